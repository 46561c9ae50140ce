//! The AWS JSON 1.0 protocol, as SWF and Step Functions speak it (the `json`
//! feature).
//!
//! Both services take `POST /` with the operation in the `X-Amz-Target`
//! header (`SimpleWorkflowService.PollForActivityTask`,
//! `AWSStepFunctions.GetActivityTask`) and a JSON body of the operation's
//! input, and answer with a JSON body and an HTTP status. A [`Dispatcher`]
//! does that for an engine, without a network: it takes the target and the
//! body bytes, runs the operation on the engine's faces, and returns the
//! status and body bytes AWS would send. `activity-broker-aws` puts the
//! official AWS SDK for Rust on top of it.
//!
//! # Shapes
//!
//! - **Members** have the service model's names (`taskList: {name}`,
//!   `workflowExecutionRetentionPeriodInDays`, `startedEventId`,
//!   `maximumPageSize`, `nextPageToken`); absent optional members are left
//!   out, never sent as `null`.
//! - **Timestamps** are epoch seconds with milliseconds as the fraction
//!   (`1700000000.123`), as the protocol writes its `timestamp` type.
//! - **Numbers**: event ids and Step Functions' `timeoutInSeconds` are JSON
//!   integers; SWF durations and priorities stay strings (`"300"`, `"NONE"`).
//! - **History events** carry one `<eventType>EventAttributes` (SWF) or
//!   `<type>EventDetails` (Step Functions) member named for their type.
//! - **The empty long poll.** SWF answers `{"startedEventId": 0}`, leaving
//!   the token out rather than sending `""`: that is what AWS's own pollers
//!   test for (`../shared/AWS-API.md` A1: the AWS Flow Framework treats
//!   only a missing token as "no task"), and the AWS SDK for Rust fills a
//!   missing required `taskToken` with `""`, so SDK callers see the empty
//!   string the documentation promises. Step Functions answers `{}` (a
//!   null `taskToken`).
//!
//! # Errors
//!
//! Every refusal is HTTP 400 with a body `{"__type": ..., "message": ...}`
//! (`../shared/AWS-API.md` A0.3):
//!
//! | refusal | SWF `__type` | Step Functions `__type` |
//! |---|---|---|
//! | a fault of the face | `com.amazonaws.swf.base.model#UnknownResourceFault` | `ActivityDoesNotExist` (plus `resourceName` for `TooManyTags`) |
//! | a broken constraint, an absent required member, a bad enum value | `com.amazon.coral.validate#ValidationException` | `ValidationException` |
//! | a body that is not JSON, or a member of the wrong JSON type | `com.amazon.coral.service#SerializationException` | `SerializationException` |
//! | a target this engine does not serve | `com.amazon.coral.service#UnknownOperationException` | `UnknownOperationException` |
//!
//! SDKs keep the part after `#` as the error code. The messages of
//! validation errors are AWS's (`1 validation error detected: Value null at
//! 'domain' failed to satisfy constraint: Member must not be null`), and
//! one lists every violation of the request, absent members with the
//! face's length and character rules, in member order
//! (`../shared/AWS-API.md` A0.2).
//!
//! # Where the engine's shapes differ
//!
//! The engine has no deciders and no state-machine definitions, so two
//! requests carry what AWS would take from them:
//!
//! - SWF `RespondDecisionTaskCompleted` names its execution with a
//!   [`decision_task_token`]; it applies `ScheduleActivityTask` and
//!   `RequestCancelActivityTask` decisions.
//! - Step Functions `StartExecution` runs one Task state. The request may
//!   name its activity with the engine's members `activityArn`,
//!   `timeoutSeconds` and `heartbeatSeconds`; without them (as the AWS
//!   SDKs send it) it runs the activity named like the state machine.
//!
//! # serde
//!
//! Each face's inputs implement [`serde::Deserialize`] and its outputs,
//! history events and errors [`serde::Serialize`], with exactly these
//! shapes: requests are read and responses written, as a service does.
//!
//! ```
//! use activity_broker::swf::PollForActivityTaskInput;
//!
//! let input: PollForActivityTaskInput = serde_json::from_str(
//!     r#"{"domain": "shop", "taskList": {"name": "shipping"}, "identity": "w1"}"#,
//! )?;
//! assert_eq!(input.task_list.name, "shipping");
//! # Ok::<(), serde_json::Error>(())
//! ```

mod body;
mod sfn;
mod swf;
#[cfg(test)]
mod tests;

use std::time::Duration;

use serde_json::Value;

use crate::Broker;
use crate::waiter::PollCancel;
use body::{BodyError, empty};
pub use swf::decision_task_token;

/// The `Content-Type` of every request and response body.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// Runs AWS JSON 1.0 requests against an engine.
///
/// `Clone + Send + Sync`; clones share the engine. Calls run on the
/// caller's thread: a long poll (SWF `PollForActivityTask`, Step Functions
/// `GetActivityTask`) blocks it for up to the engine's long-poll duration
/// ([`BrokerBuilder::long_poll`](crate::BrokerBuilder::long_poll)), unless
/// it is withdrawn through
/// [`dispatch_cancelable`](Dispatcher::dispatch_cancelable).
///
/// # Examples
///
/// ```
/// use activity_broker::{Broker, wire::Dispatcher};
///
/// let broker = Broker::new();
/// let wire = Dispatcher::new(&broker);
/// let reply = wire.dispatch(
///     "SimpleWorkflowService.RegisterDomain",
///     br#"{"name": "shop", "workflowExecutionRetentionPeriodInDays": "1"}"#,
/// );
/// assert_eq!((reply.status(), reply.body()), (200, &b"{}"[..]));
///
/// let reply = wire.dispatch(
///     "SimpleWorkflowService.PollForActivityTask",
///     br#"{"domain": "nowhere", "taskList": {"name": "work"}}"#,
/// );
/// assert_eq!(reply.status(), 400);
/// let body: serde_json::Value = serde_json::from_slice(reply.body())?;
/// assert_eq!(body["__type"], "com.amazonaws.swf.base.model#UnknownResourceFault");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Dispatcher {
    swf: crate::swf::Client,
    sfn: crate::sfn::Client,
    /// The engine's long-poll duration.
    long_poll: Duration,
}

/// A response: an HTTP status and a JSON body.
///
/// # Examples
///
/// See [`Dispatcher`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    /// 200, or 400 for every refusal.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The JSON body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The status and the body.
    pub fn into_parts(self) -> (u16, Vec<u8>) {
        (self.status, self.body)
    }

    fn ok(v: &Value) -> Reply {
        Reply::json(200, v)
    }

    fn refused(v: &Value) -> Reply {
        Reply::json(400, v)
    }

    fn json(status: u16, v: &Value) -> Reply {
        // Writing a `Value` cannot fail: its map keys are strings.
        let body = serde_json::to_vec(v).unwrap_or_default();
        Reply { status, body }
    }

    fn fault(kind: &str, message: &str) -> Reply {
        let mut m = serde_json::Map::new();
        m.insert("__type".to_owned(), Value::from(kind));
        m.insert("message".to_owned(), Value::from(message));
        Reply::refused(&Value::Object(m))
    }
}

/// How a long poll waits.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Wait<'a> {
    /// The engine's long-poll duration.
    Full,
    /// The engine's long-poll duration, `long_poll`, unless `cancel` is
    /// canceled first.
    Cancelable {
        long_poll: Duration,
        cancel: &'a PollCancel,
    },
    /// Not at all: a task already queued, or the empty result.
    No,
}

/// Which face a target names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Face {
    Swf,
    Sfn,
}

impl Dispatcher {
    /// A dispatcher for `broker`'s two faces, with an unscoped SWF client.
    pub fn new(broker: &Broker) -> Dispatcher {
        Dispatcher {
            swf: broker.swf(),
            sfn: broker.sfn(),
            long_poll: broker.core.config.long_poll,
        }
    }

    /// The same dispatcher with its SWF calls checked against `policy`, as
    /// [`swf::Client::scoped`](crate::swf::Client::scoped) checks them.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::swf::{Policy, Statement};
    /// use activity_broker::{Broker, wire::Dispatcher};
    ///
    /// let broker = Broker::new();
    /// let read_only = Dispatcher::new(&broker)
    ///     .scoped(Policy::new().with(Statement::allow(["swf:Describe*", "swf:List*"])));
    /// let reply = read_only.dispatch(
    ///     "SimpleWorkflowService.RegisterDomain",
    ///     br#"{"name": "d", "workflowExecutionRetentionPeriodInDays": "1"}"#,
    /// );
    /// assert_eq!(reply.status(), 400);
    /// assert!(String::from_utf8_lossy(reply.body()).contains("OperationNotPermittedFault"));
    /// ```
    pub fn scoped(mut self, policy: crate::swf::Policy) -> Dispatcher {
        self.swf = self.swf.scoped(policy);
        self
    }

    /// `true` for the targets that long-poll: SWF `PollForActivityTask` and
    /// Step Functions `GetActivityTask`. Callers that must not block (an
    /// async runtime's threads) run these elsewhere, with
    /// [`dispatch_cancelable`](Dispatcher::dispatch_cancelable).
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::wire::Dispatcher;
    /// assert!(Dispatcher::is_long_poll("AWSStepFunctions.GetActivityTask"));
    /// assert!(!Dispatcher::is_long_poll("AWSStepFunctions.SendTaskSuccess"));
    /// ```
    pub fn is_long_poll(target: &str) -> bool {
        matches!(
            target,
            "SimpleWorkflowService.PollForActivityTask" | "AWSStepFunctions.GetActivityTask"
        )
    }

    /// Runs the operation `target` names (the `X-Amz-Target` header) on
    /// the request `body`, and returns AWS's response. A long poll waits
    /// for the engine's full long-poll duration.
    ///
    /// Never fails: every refusal is a 400 reply whose body names it
    /// (see the [module documentation](self)).
    ///
    /// # Examples
    ///
    /// See [`Dispatcher`].
    pub fn dispatch(&self, target: &str, body: &[u8]) -> Reply {
        self.answer(target, body, Wait::Full)
    }

    /// [`dispatch`](Dispatcher::dispatch), with a long poll withdrawn by
    /// `cancel`: once [`PollCancel::cancel`] is called, the poll returns the
    /// empty result and no task is handed to it. Other operations ignore
    /// `cancel`.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::{Broker, PollCancel, wire::Dispatcher};
    ///
    /// let broker = Broker::new();
    /// let wire = Dispatcher::new(&broker);
    /// wire.dispatch(
    ///     "SimpleWorkflowService.RegisterDomain",
    ///     br#"{"name": "d", "workflowExecutionRetentionPeriodInDays": "1"}"#,
    /// );
    /// let cancel = PollCancel::new();
    /// cancel.cancel(); // withdrawn before it starts: it returns at once
    /// let reply = wire.dispatch_cancelable(
    ///     "SimpleWorkflowService.PollForActivityTask",
    ///     br#"{"domain": "d", "taskList": {"name": "l"}}"#,
    ///     &cancel,
    /// );
    /// assert_eq!(reply.body(), br#"{"startedEventId":0}"#);
    /// ```
    pub fn dispatch_cancelable(&self, target: &str, body: &[u8], cancel: &PollCancel) -> Reply {
        let wait = Wait::Cancelable {
            long_poll: self.long_poll,
            cancel,
        };
        self.answer(target, body, wait)
    }

    /// [`dispatch`](Dispatcher::dispatch) if it can answer without waiting;
    /// `None` for a long poll that finds no task queued, which then changes
    /// nothing (no poller waited, no event was recorded). A caller that must
    /// not block tries this first, and waits elsewhere only on `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::{Broker, wire::Dispatcher};
    ///
    /// let broker = Broker::new();
    /// let wire = Dispatcher::new(&broker);
    /// let created = wire.try_dispatch("AWSStepFunctions.CreateActivity", br#"{"name": "a"}"#);
    /// assert_eq!(created.map(|r| r.status()), Some(200));
    /// let poll = format!(r#"{{"activityArn": "{}"}}"#, broker.sfn().activity_arn("a"));
    /// assert_eq!(wire.try_dispatch("AWSStepFunctions.GetActivityTask", poll.as_bytes()), None);
    /// ```
    pub fn try_dispatch(&self, target: &str, body: &[u8]) -> Option<Reply> {
        if !Dispatcher::is_long_poll(target) {
            return Some(self.answer(target, body, Wait::Full));
        }
        self.run(target, body, Wait::No)
    }

    fn answer(&self, target: &str, body: &[u8], wait: Wait<'_>) -> Reply {
        // Only `Wait::No` answers `None`.
        self.run(target, body, wait)
            .unwrap_or_else(|| Reply::ok(&Value::Object(serde_json::Map::new())))
    }

    /// The reply; `None` for a poll that waited not at all and found no task.
    fn run(&self, target: &str, body: &[u8], wait: Wait<'_>) -> Option<Reply> {
        let (face, op) = if let Some(op) = target.strip_prefix(swf::PREFIX) {
            (Face::Swf, op)
        } else if let Some(op) = target.strip_prefix(sfn::PREFIX) {
            (Face::Sfn, op)
        } else {
            return Some(Reply::fault(
                sfn::UNKNOWN_OPERATION,
                &format!("unknown operation: {target}"),
            ));
        };
        let unknown_op = || {
            let kind = match face {
                Face::Swf => swf::UNKNOWN_OPERATION,
                Face::Sfn => sfn::UNKNOWN_OPERATION,
            };
            Reply::fault(kind, &format!("unknown operation: {target}"))
        };
        let known = match face {
            Face::Swf => swf::OPERATIONS.contains(&op),
            Face::Sfn => sfn::OPERATIONS.contains(&op),
        };
        if !known {
            return Some(unknown_op());
        }
        let value = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(serde_json::Map::new())
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(v) => v,
                Err(e) => {
                    return Some(serialization(face, &format!("malformed JSON body: {e}")));
                }
            }
        };
        let answered = match face {
            Face::Swf => match swf::call(&self.swf, op, &value, wait) {
                None => return Some(unknown_op()),
                Some(Ok(v)) => Ok(v),
                Some(Err(swf::Fault::Swf(e))) => Err(Reply::refused(&swf::error(&e))),
                Some(Err(swf::Fault::Body(e))) => Err(body_fault(face, e)),
            },
            Face::Sfn => match sfn::call(&self.sfn, op, &value, wait) {
                None => return Some(unknown_op()),
                Some(Ok(v)) => Ok(v),
                Some(Err(sfn::Fault::Sfn(e))) => Err(Reply::refused(&sfn::error(&e))),
                Some(Err(sfn::Fault::Body(e))) => Err(body_fault(face, e)),
            },
        };
        match answered {
            // Both faces' empty polls leave the token out.
            Ok(v)
                if matches!(wait, Wait::No)
                    && Dispatcher::is_long_poll(target)
                    && v.get("taskToken").is_none() =>
            {
                None
            }
            Ok(v) => Some(Reply::ok(&v)),
            Err(refused) => Some(refused),
        }
    }
}

fn serialization(face: Face, message: &str) -> Reply {
    let kind = match face {
        Face::Swf => swf::SERIALIZATION,
        Face::Sfn => sfn::SERIALIZATION,
    };
    Reply::fault(kind, message)
}

fn body_fault(face: Face, e: BodyError) -> Reply {
    match e {
        BodyError::Serialization(m) => serialization(face, &m),
        BodyError::Validation(v) => match face {
            Face::Swf => Reply::refused(&swf::error(&crate::swf::Error::Validation(v))),
            Face::Sfn => Reply::refused(&sfn::error(&crate::sfn::Error::Validation(v))),
        },
    }
}

// ----- serde -------------------------------------------------------------------------

/// `Deserialize` for inputs, through the wire layer's reader.
macro_rules! inputs {
    ($($ty:ty => $parse:path),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <Value as serde::Deserialize>::deserialize(d)?;
                body::read(&v, $parse).map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    )*};
}

/// `Serialize` for outputs, events and errors, through the wire layer's
/// writer.
macro_rules! outputs {
    ($($ty:ty => $render:path),* $(,)?) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&$render(self), s)
            }
        }
    )*};
}

inputs! {
    crate::swf::RegisterDomainInput => swf::register_domain,
    crate::swf::DeprecateDomainInput => swf::deprecate_domain,
    crate::swf::UndeprecateDomainInput => swf::undeprecate_domain,
    crate::swf::DescribeDomainInput => swf::describe_domain,
    crate::swf::ListDomainsInput => swf::list_domains,
    crate::swf::RegisterActivityTypeInput => swf::register_activity_type,
    crate::swf::ActivityTypeInput => swf::activity_type_input,
    crate::swf::ListActivityTypesInput => swf::list_activity_types,
    crate::swf::RegisterWorkflowTypeInput => swf::register_workflow_type,
    crate::swf::WorkflowTypeInput => swf::workflow_type_input,
    crate::swf::StartWorkflowExecutionInput => swf::start_workflow_execution,
    crate::swf::DescribeWorkflowExecutionInput => swf::describe_workflow_execution,
    crate::swf::TerminateWorkflowExecutionInput => swf::terminate_workflow_execution,
    crate::swf::GetWorkflowExecutionHistoryInput => swf::get_workflow_execution_history,
    crate::swf::PollForActivityTaskInput => swf::poll_for_activity_task,
    crate::swf::RecordActivityTaskHeartbeatInput => swf::record_activity_task_heartbeat,
    crate::swf::RespondActivityTaskCompletedInput => swf::respond_activity_task_completed,
    crate::swf::RespondActivityTaskFailedInput => swf::respond_activity_task_failed,
    crate::swf::RespondActivityTaskCanceledInput => swf::respond_activity_task_canceled,
    crate::swf::CountPendingActivityTasksInput => swf::count_pending_activity_tasks,
    crate::sfn::CreateActivityInput => sfn::create_activity,
    crate::sfn::DescribeActivityInput => sfn::describe_activity,
    crate::sfn::DeleteActivityInput => sfn::delete_activity,
    crate::sfn::ListActivitiesInput => sfn::list_activities,
    crate::sfn::GetActivityTaskInput => sfn::get_activity_task,
    crate::sfn::SendTaskSuccessInput => sfn::send_task_success,
    crate::sfn::SendTaskFailureInput => sfn::send_task_failure,
    crate::sfn::SendTaskHeartbeatInput => sfn::send_task_heartbeat,
    crate::sfn::StartExecutionInput => sfn::start_execution,
    crate::sfn::DescribeExecutionInput => sfn::describe_execution,
    crate::sfn::GetExecutionHistoryInput => sfn::get_execution_history,
}

impl<'de> serde::Deserialize<'de> for crate::swf::RespondDecisionTaskCompletedInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <Value as serde::Deserialize>::deserialize(d)?;
        match body::read(&v, swf::respond_decision_task_completed)
            .map_err(<D::Error as serde::de::Error>::custom)?
        {
            (input, true) => Ok(input),
            // Without an engine to judge the members, the token is all.
            (_, false) => Err(<D::Error as serde::de::Error>::custom(
                swf::unknown_decision_token(),
            )),
        }
    }
}

outputs! {
    crate::swf::RegisterDomainOutput => empty,
    crate::swf::DeprecateDomainOutput => empty,
    crate::swf::UndeprecateDomainOutput => empty,
    crate::swf::RegisterActivityTypeOutput => empty,
    crate::swf::EmptyOutput => empty,
    crate::swf::RespondDecisionTaskCompletedOutput => empty,
    crate::swf::DescribeDomainOutput => swf::describe_domain_output,
    crate::swf::ListDomainsOutput => swf::list_domains_output,
    crate::swf::DescribeActivityTypeOutput => swf::describe_activity_type_output,
    crate::swf::ListActivityTypesOutput => swf::list_activity_types_output,
    crate::swf::DescribeWorkflowTypeOutput => swf::describe_workflow_type_output,
    crate::swf::StartWorkflowExecutionOutput => swf::start_workflow_execution_output,
    crate::swf::DescribeWorkflowExecutionOutput => swf::describe_workflow_execution_output,
    crate::swf::GetWorkflowExecutionHistoryOutput => swf::history_output,
    crate::swf::HistoryEvent => swf::event,
    crate::swf::PollForActivityTaskOutput => swf::poll_output,
    crate::swf::RecordActivityTaskHeartbeatOutput => swf::heartbeat_output,
    crate::swf::CountPendingActivityTasksOutput => swf::count_output,
    crate::swf::Error => swf::error,
    crate::sfn::CreateActivityOutput => sfn::create_activity_output,
    crate::sfn::DescribeActivityOutput => sfn::describe_activity_output,
    crate::sfn::ListActivitiesOutput => sfn::list_activities_output,
    crate::sfn::DeleteActivityOutput => empty,
    crate::sfn::GetActivityTaskOutput => sfn::get_activity_task_output,
    crate::sfn::SendTaskSuccessOutput => empty,
    crate::sfn::SendTaskFailureOutput => empty,
    crate::sfn::SendTaskHeartbeatOutput => empty,
    crate::sfn::StartExecutionOutput => sfn::start_execution_output,
    crate::sfn::DescribeExecutionOutput => sfn::describe_execution_output,
    crate::sfn::GetExecutionHistoryOutput => sfn::history_output,
    crate::sfn::HistoryEvent => sfn::event,
    crate::sfn::Error => sfn::error,
}
