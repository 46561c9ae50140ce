//! The SWF face's one error type: the AWS faults, by name.

use std::fmt;

use crate::error::CoreError;
use crate::shard::TokenError;
use crate::validation::ValidationError;

/// An Amazon SWF fault.
///
/// Each variant is the AWS fault of the same name (`code()` gives its error
/// code string) and carries AWS's `message`; [`Error::Validation`] is AWS's
/// common `ValidationException` and carries every violated constraint.
/// A call that returns an error has changed nothing.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::{self, RespondActivityTaskCompletedInput};
/// use activity_broker::Broker;
///
/// let swf = Broker::new().swf();
/// let err = swf
///     .respond_activity_task_completed(RespondActivityTaskCompletedInput {
///         task_token: "forged".into(),
///         ..Default::default()
///     })
///     .unwrap_err();
/// assert!(matches!(err, swf::Error::UnknownResourceFault(_)));
/// assert_eq!(err.code(), "UnknownResourceFault");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The named resource (domain, type, execution, task) does not exist or
    /// is no longer available; also any task token that is not live.
    UnknownResourceFault(String),
    /// The caller may not do this (and, in this engine, any call after
    /// [`Broker::shutdown`](crate::Broker::shutdown)).
    OperationNotPermittedFault(String),
    /// A limit was reached: a full task list, too many pollers on one list,
    /// or a registration quota.
    LimitExceededFault(String),
    /// The type exists (registered or deprecated), or an undeprecate found it
    /// registered.
    TypeAlreadyExistsFault(String),
    /// The type is deprecated.
    TypeDeprecatedFault(String),
    /// The domain exists (registered or deprecated), or an undeprecate found
    /// it registered.
    DomainAlreadyExistsFault(String),
    /// The domain is deprecated.
    DomainDeprecatedFault(String),
    /// An open execution with this workflow id exists in the domain.
    WorkflowExecutionAlreadyStartedFault(String),
    /// The type must be deprecated first.
    TypeNotDeprecatedFault(String),
    /// A start parameter has neither a value nor a type default.
    DefaultUndefinedFault(String),
    /// Too many tags on a resource.
    TooManyTagsFault(String),
    /// A member broke its constraints: AWS's `ValidationException`.
    Validation(ValidationError),
}

impl Error {
    /// The AWS error code, as SDKs expose it (`UnknownResourceFault`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownResourceFault(_) => "UnknownResourceFault",
            Error::OperationNotPermittedFault(_) => "OperationNotPermittedFault",
            Error::LimitExceededFault(_) => "LimitExceededFault",
            Error::TypeAlreadyExistsFault(_) => "TypeAlreadyExistsFault",
            Error::TypeDeprecatedFault(_) => "TypeDeprecatedFault",
            Error::DomainAlreadyExistsFault(_) => "DomainAlreadyExistsFault",
            Error::DomainDeprecatedFault(_) => "DomainDeprecatedFault",
            Error::WorkflowExecutionAlreadyStartedFault(_) => {
                "WorkflowExecutionAlreadyStartedFault"
            }
            Error::TypeNotDeprecatedFault(_) => "TypeNotDeprecatedFault",
            Error::DefaultUndefinedFault(_) => "DefaultUndefinedFault",
            Error::TooManyTagsFault(_) => "TooManyTagsFault",
            Error::Validation(v) => v.code(),
        }
    }

    /// AWS's `message` member.
    pub fn message(&self) -> String {
        match self {
            Error::UnknownResourceFault(m)
            | Error::OperationNotPermittedFault(m)
            | Error::LimitExceededFault(m)
            | Error::TypeAlreadyExistsFault(m)
            | Error::TypeDeprecatedFault(m)
            | Error::DomainAlreadyExistsFault(m)
            | Error::DomainDeprecatedFault(m)
            | Error::WorkflowExecutionAlreadyStartedFault(m)
            | Error::TypeNotDeprecatedFault(m)
            | Error::DefaultUndefinedFault(m)
            | Error::TooManyTagsFault(m) => m.clone(),
            Error::Validation(v) => v.to_string(),
        }
    }

    /// The AWS JSON protocol's `__type`:
    /// `com.amazonaws.swf.base.model#UnknownResourceFault`.
    pub fn wire_type(&self) -> String {
        match self {
            Error::Validation(_) => "com.amazon.coral.validate#ValidationException".to_owned(),
            _ => format!("com.amazonaws.swf.base.model#{}", self.code()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(v) => write!(f, "{}: {v}", v.code()),
            _ => write!(f, "{}: {}", self.code(), self.message()),
        }
    }
}

impl std::error::Error for Error {}

impl From<ValidationError> for Error {
    fn from(v: ValidationError) -> Error {
        Error::Validation(v)
    }
}

/// The SWF fault of a core refusal.
pub(crate) fn from_core(e: CoreError) -> Error {
    match e {
        CoreError::ShutDown => {
            Error::OperationNotPermittedFault("the broker has been shut down".to_owned())
        }
        CoreError::UnknownNamespace => Error::UnknownResourceFault("unknown domain".to_owned()),
        CoreError::QueueFull => {
            Error::LimitExceededFault("the task list is full (queue capacity reached)".to_owned())
        }
        CoreError::TooManyPollers => {
            Error::LimitExceededFault("too many pollers are waiting on this task list".to_owned())
        }
        CoreError::Token(TokenError::Malformed | TokenError::NoSuchTask) => {
            Error::UnknownResourceFault("unknown activity task token".to_owned())
        }
        CoreError::Token(TokenError::Closed) => Error::UnknownResourceFault(
            "the activity task is closed: Amazon SWF no longer considers it valid".to_owned(),
        ),
        CoreError::ExecutionClosed => {
            Error::UnknownResourceFault("unknown execution or execution is closed".to_owned())
        }
        CoreError::AlreadyStarted => Error::WorkflowExecutionAlreadyStartedFault(
            "an open execution with this workflow id is already running".to_owned(),
        ),
        CoreError::TooManyExecutions => Error::LimitExceededFault(
            "the domain has as many open executions as it may have".to_owned(),
        ),
    }
}
