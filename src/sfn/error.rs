//! The Step Functions face's one error type: the AWS errors, by name.

use std::fmt;

use crate::error::CoreError;
use crate::shard::TokenError;
use crate::validation::ValidationError;

/// An AWS Step Functions error.
///
/// Each variant is the AWS error of the same name (`code()` gives its error
/// code string, as SDKs expose it) and carries AWS's `message`;
/// [`Error::Validation`] is AWS's common `ValidationException` and carries
/// every violated constraint. A call that returns an error has changed
/// nothing.
///
/// The three task-token errors follow `../shared/AWS-API.md` A5: a token
/// this engine could not have issued (or issued by the SWF face) is
/// [`InvalidToken`](Error::InvalidToken); a well-formed token that names no
/// task is [`TaskDoesNotExist`](Error::TaskDoesNotExist); the token of a
/// task that has closed or timed out is [`TaskTimedOut`](Error::TaskTimedOut).
///
/// # Examples
///
/// ```
/// use activity_broker::sfn::{self, SendTaskHeartbeatInput};
/// use activity_broker::Broker;
///
/// let sfn = Broker::new().sfn();
/// let err = sfn
///     .send_task_heartbeat(SendTaskHeartbeatInput { task_token: "forged".into() })
///     .unwrap_err();
/// assert!(matches!(err, sfn::Error::InvalidToken(_)));
/// assert_eq!(err.code(), "InvalidToken");
/// assert!(err.to_string().starts_with("InvalidToken: "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The activity does not exist (a well-formed ARN that names no
    /// activity of this broker).
    ActivityDoesNotExist(String),
    /// As many workers poll the activity at once as the broker allows
    /// ([`BrokerBuilder::max_pollers`](crate::BrokerBuilder::max_pollers)).
    ActivityWorkerLimitExceeded(String),
    /// The broker holds as many activities as it may (10,000, AWS's default
    /// quota); delete one first.
    ActivityLimitExceeded(String),
    /// An activity of this name exists with another encryption
    /// configuration, which may not be updated.
    ActivityAlreadyExists(String),
    /// The ARN is malformed, or of another kind than the member wants.
    InvalidArn(String),
    /// The name breaks the Step Functions character rules.
    InvalidName(String),
    /// The task token, or a page token, was not issued by this face.
    InvalidToken(String),
    /// `SendTaskSuccess` output that is not JSON.
    InvalidOutput(String),
    /// An encryption configuration that cannot be used: a customer managed
    /// key without a key id, or a data-key reuse period outside 60–900 s.
    InvalidEncryptionConfiguration(String),
    /// More tags than a resource may carry (50).
    TooManyTags {
        /// AWS's `message`.
        message: String,
        /// The resource the tags were for.
        resource_name: String,
    },
    /// A well-formed task token that names no task.
    TaskDoesNotExist(String),
    /// The token's task has closed (succeeded, failed, timed out, or its
    /// execution ended).
    TaskTimedOut(String),
    /// A well-formed execution ARN that names no execution (never started,
    /// or past its 90-day retention).
    ExecutionDoesNotExist(String),
    /// An execution of this name exists (or existed, within 90 days) with
    /// another request, or has closed.
    ExecutionAlreadyExists(String),
    /// The activity cannot take another task: its task list holds as many
    /// as the broker allows
    /// ([`BrokerBuilder::queue_capacity`](crate::BrokerBuilder::queue_capacity)).
    ExecutionLimitExceeded(String),
    /// Execution input that is not JSON.
    InvalidExecutionInput(String),
    /// A well-formed state-machine ARN of another partition, region or
    /// account than the broker's.
    StateMachineDoesNotExist(String),
    /// The broker has been shut down
    /// ([`Broker::shutdown`](crate::Broker::shutdown)): every call that
    /// would change state, or wait, fails with this. Reads still work.
    ServiceUnavailable(String),
    /// A member broke its constraints: AWS's `ValidationException`.
    Validation(ValidationError),
}

impl Error {
    /// The AWS error code, as SDKs expose it (`ActivityDoesNotExist`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::ActivityDoesNotExist(_) => "ActivityDoesNotExist",
            Error::ActivityWorkerLimitExceeded(_) => "ActivityWorkerLimitExceeded",
            Error::ActivityLimitExceeded(_) => "ActivityLimitExceeded",
            Error::ActivityAlreadyExists(_) => "ActivityAlreadyExists",
            Error::InvalidArn(_) => "InvalidArn",
            Error::InvalidName(_) => "InvalidName",
            Error::InvalidToken(_) => "InvalidToken",
            Error::InvalidOutput(_) => "InvalidOutput",
            Error::InvalidEncryptionConfiguration(_) => "InvalidEncryptionConfiguration",
            Error::TooManyTags { .. } => "TooManyTags",
            Error::TaskDoesNotExist(_) => "TaskDoesNotExist",
            Error::TaskTimedOut(_) => "TaskTimedOut",
            Error::ExecutionDoesNotExist(_) => "ExecutionDoesNotExist",
            Error::ExecutionAlreadyExists(_) => "ExecutionAlreadyExists",
            Error::ExecutionLimitExceeded(_) => "ExecutionLimitExceeded",
            Error::InvalidExecutionInput(_) => "InvalidExecutionInput",
            Error::StateMachineDoesNotExist(_) => "StateMachineDoesNotExist",
            Error::ServiceUnavailable(_) => "ServiceUnavailable",
            Error::Validation(v) => v.code(),
        }
    }

    /// AWS's `message` member.
    pub fn message(&self) -> String {
        match self {
            Error::ActivityDoesNotExist(m)
            | Error::ActivityWorkerLimitExceeded(m)
            | Error::ActivityLimitExceeded(m)
            | Error::ActivityAlreadyExists(m)
            | Error::InvalidArn(m)
            | Error::InvalidName(m)
            | Error::InvalidToken(m)
            | Error::InvalidOutput(m)
            | Error::InvalidEncryptionConfiguration(m)
            | Error::TooManyTags { message: m, .. }
            | Error::TaskDoesNotExist(m)
            | Error::TaskTimedOut(m)
            | Error::ExecutionDoesNotExist(m)
            | Error::ExecutionAlreadyExists(m)
            | Error::ExecutionLimitExceeded(m)
            | Error::InvalidExecutionInput(m)
            | Error::StateMachineDoesNotExist(m)
            | Error::ServiceUnavailable(m) => m.clone(),
            Error::Validation(v) => v.to_string(),
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

/// The message of every call refused after shutdown.
const SHUT_DOWN: &str = "the broker has been shut down";

/// The Step Functions error of a core refusal.
pub(crate) fn from_core(e: CoreError) -> Error {
    match e {
        CoreError::ShutDown => Error::ServiceUnavailable(SHUT_DOWN.to_owned()),
        CoreError::UnknownNamespace => {
            Error::ActivityDoesNotExist("activity does not exist".to_owned())
        }
        CoreError::QueueFull => Error::ExecutionLimitExceeded(
            "the activity's task list is full (queue capacity reached)".to_owned(),
        ),
        CoreError::TooManyPollers => Error::ActivityWorkerLimitExceeded(
            "too many workers are polling this activity at once".to_owned(),
        ),
        CoreError::Token(TokenError::Malformed) => {
            Error::InvalidToken("invalid task token".to_owned())
        }
        CoreError::Token(TokenError::NoSuchTask) => {
            Error::TaskDoesNotExist("the task token names no task".to_owned())
        }
        CoreError::Token(TokenError::Closed) => Error::TaskTimedOut(
            "the task token has expired or its task has already been closed".to_owned(),
        ),
        CoreError::ExecutionClosed => {
            Error::ExecutionDoesNotExist("the execution has closed".to_owned())
        }
        CoreError::AlreadyStarted => {
            Error::ExecutionAlreadyExists("an execution of this name is running".to_owned())
        }
        CoreError::TooManyExecutions => {
            Error::ExecutionLimitExceeded("too many open executions".to_owned())
        }
    }
}

/// The error of a call refused after shutdown.
pub(crate) fn shut_down() -> Error {
    from_core(CoreError::ShutDown)
}
