//! Core history events rendered as Step Functions shapes.
//!
//! A Step Functions execution here is one Task state running one activity,
//! so its core history is short and always in this order:
//!
//! | core event | Step Functions event |
//! |---|---|
//! | `ExecutionStarted` | `ExecutionStarted {input}` |
//! | `ActivityScheduled` | `ActivityScheduled {resource, input, timeoutInSeconds, heartbeatInSeconds?}` |
//! | `ScheduleFailed` | `ActivityScheduleFailed {error, cause}` |
//! | `ActivityStarted` | `ActivityStarted {workerName?}` |
//! | `ActivityCompleted` | `ActivitySucceeded {output}` |
//! | `ActivityFailed` | `ActivityFailed {error?, cause?}` |
//! | `ActivityTimedOut` | `ActivityTimedOut {error: States.Timeout or States.HeartbeatTimeout}` |
//! | `ExecutionClosed` | `ExecutionSucceeded`, `ExecutionFailed`, `ExecutionTimedOut` or `ExecutionAborted` |
//!
//! The state-level events AWS also records (`TaskStateEntered`,
//! `TaskStateExited`) are left out: there is no state machine definition to
//! name the state. An activity that times out fails the execution with the
//! task's error (`States.Timeout` or `States.HeartbeatTimeout`), as an
//! uncaught Task-state error does in AWS; `ExecutionTimedOut` is only the
//! execution's own one-year limit.

use super::types::{
    DescribeExecutionOutput, EventDetails, ExecutionStatus, HistoryEvent,
    HistoryEventExecutionDataDetails, HistoryEventType,
};
use crate::clock::Clock;
use crate::execution::{ExecState, Execution};
use crate::history::{
    Event, EventId, EventKind, ExecutionClose, ExecutionStart, ScheduleFailure, TimeoutKind,
};

/// The error of a task that timed out.
pub(crate) fn timeout_error(kind: TimeoutKind) -> &'static str {
    match kind {
        TimeoutKind::Heartbeat => "States.HeartbeatTimeout",
        TimeoutKind::ScheduleToStart | TimeoutKind::ScheduleToClose | TimeoutKind::StartToClose => {
            "States.Timeout"
        }
    }
}

/// The error of a queued task whose activity was deleted (this engine's
/// name: AWS does not say what becomes of such a task).
pub(crate) const ACTIVITY_DELETED: &str = "ActivityBroker.ActivityDeleted";
/// Its cause.
pub(crate) const ACTIVITY_DELETED_CAUSE: &str =
    "the activity was deleted while the task waited for a worker";

/// The error and cause of an `ActivityScheduleFailed` event.
pub(crate) fn schedule_failure(cause: ScheduleFailure, activity_arn: &str) -> (String, String) {
    match cause {
        ScheduleFailure::TypeDoesNotExist => (
            "ActivityDoesNotExist".to_owned(),
            format!("activity does not exist: {activity_arn}"),
        ),
        other => (
            "States.Runtime".to_owned(),
            format!("the activity task could not be scheduled ({other:?}): {activity_arn}"),
        ),
    }
}

/// The execution's ARN.
pub(crate) fn execution_arn(region: &str, account: &str, exec: &Execution) -> String {
    super::arn::format(region, account, "execution", &exec.workflow_id)
}

fn start_of(st: &ExecState) -> Option<&ExecutionStart> {
    match &st.history.first()?.kind {
        EventKind::ExecutionStarted(s) => Some(s),
        _ => None,
    }
}

/// How a closed execution ended, as Step Functions reports it.
struct Ending {
    status: ExecutionStatus,
    output: Option<String>,
    error: Option<String>,
    cause: Option<String>,
}

/// The ending recorded by the close event `id`.
fn ending(st: &ExecState, id: EventId, how: &ExecutionClose) -> Ending {
    let fail = |error: Option<String>, cause: Option<String>| Ending {
        status: ExecutionStatus::Failed,
        output: None,
        error,
        cause,
    };
    match how {
        ExecutionClose::Completed { result } => Ending {
            status: ExecutionStatus::Succeeded,
            output: result.clone(),
            error: None,
            cause: None,
        },
        ExecutionClose::Failed { reason, details } => fail(reason.clone(), details.clone()),
        ExecutionClose::TimedOut => {
            // An activity timeout closes the execution in the same instant,
            // right after the task's `ActivityTimedOut`.
            let before = id.get().checked_sub(1).map(EventId::new);
            match before.and_then(|b| st.history.get(b)).map(|e| &e.kind) {
                Some(EventKind::ActivityTimedOut { kind, details, .. }) => fail(
                    Some(timeout_error(*kind).to_owned()),
                    st.history.owned_opt(*details),
                ),
                _ => Ending {
                    status: ExecutionStatus::TimedOut,
                    output: None,
                    error: Some("States.Timeout".to_owned()),
                    cause: Some("the execution ran for its limit of one year".to_owned()),
                },
            }
        }
        ExecutionClose::Terminated {
            reason, details, ..
        } => Ending {
            status: ExecutionStatus::Aborted,
            output: None,
            error: None,
            cause: reason.clone().or_else(|| details.clone()),
        },
    }
}

fn data(
    include: bool,
    value: Option<&str>,
) -> (Option<String>, Option<HistoryEventExecutionDataDetails>) {
    match value {
        Some(v) if include => (
            Some(v.to_owned()),
            Some(HistoryEventExecutionDataDetails::default()),
        ),
        _ => (None, None),
    }
}

fn secs(d: Option<std::time::Duration>) -> Option<i64> {
    d.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// One event as Step Functions shows it; `None` for the SWF-only kinds
/// (decision tasks, cancel requests), which a Step Functions execution
/// never records.
pub(crate) fn event(
    clock: &Clock,
    st: &ExecState,
    (id, e): (EventId, &Event),
    include_data: bool,
) -> Option<HistoryEvent> {
    let before = EventId::new(id.get().saturating_sub(1));
    let h = &st.history;
    let (event_type, previous, details) = match &e.kind {
        EventKind::ExecutionStarted(s) => {
            let (input, input_details) = data(include_data, s.input.as_deref());
            (
                HistoryEventType::ExecutionStarted,
                EventId::NONE,
                EventDetails::ExecutionStarted {
                    input,
                    input_details,
                },
            )
        }
        EventKind::ExecutionClosed(how) => {
            let end = ending(st, id, how);
            let details = match end.status {
                ExecutionStatus::Succeeded | ExecutionStatus::Running => {
                    let (output, output_details) = data(include_data, end.output.as_deref());
                    EventDetails::ExecutionSucceeded {
                        output,
                        output_details,
                    }
                }
                ExecutionStatus::Failed => EventDetails::ExecutionFailed {
                    error: end.error,
                    cause: end.cause,
                },
                ExecutionStatus::TimedOut => EventDetails::ExecutionTimedOut {
                    error: end.error,
                    cause: end.cause,
                },
                ExecutionStatus::Aborted => EventDetails::ExecutionAborted {
                    error: end.error,
                    cause: end.cause,
                },
            };
            let event_type = match end.status {
                ExecutionStatus::Succeeded | ExecutionStatus::Running => {
                    HistoryEventType::ExecutionSucceeded
                }
                ExecutionStatus::Failed => HistoryEventType::ExecutionFailed,
                ExecutionStatus::TimedOut => HistoryEventType::ExecutionTimedOut,
                ExecutionStatus::Aborted => HistoryEventType::ExecutionAborted,
            };
            (event_type, before, details)
        }
        EventKind::ActivityScheduled { spec, .. } => {
            let spec = h.spec_of(*spec);
            let (input, input_details) = data(include_data, h.opt_str(spec.input));
            (
                HistoryEventType::ActivityScheduled,
                before,
                EventDetails::ActivityScheduled {
                    resource: h.kind(spec).0.to_owned(),
                    input,
                    input_details,
                    timeout_in_seconds: secs(spec.timeouts.schedule_to_close.get()),
                    heartbeat_in_seconds: secs(spec.timeouts.heartbeat.get()),
                },
            )
        }
        EventKind::ScheduleFailed(f) => {
            let (error, cause) = schedule_failure(f.cause, &f.type_name);
            (
                HistoryEventType::ActivityScheduleFailed,
                before,
                EventDetails::ActivityScheduleFailed {
                    error: Some(error),
                    cause: Some(cause),
                },
            )
        }
        EventKind::ActivityStarted {
            identity,
            scheduled,
        } => (
            HistoryEventType::ActivityStarted,
            *scheduled,
            EventDetails::ActivityStarted {
                worker_name: h.owned_opt(*identity),
            },
        ),
        EventKind::ActivityCompleted {
            result,
            scheduled,
            started,
        } => {
            let (output, output_details) = data(include_data, h.opt_str(*result));
            (
                HistoryEventType::ActivitySucceeded,
                follows(*scheduled, *started),
                EventDetails::ActivitySucceeded {
                    output,
                    output_details,
                },
            )
        }
        EventKind::ActivityFailed {
            texts,
            scheduled,
            started,
        } => {
            let (error, cause) = h.owned_pair(*texts);
            (
                HistoryEventType::ActivityFailed,
                follows(*scheduled, *started),
                EventDetails::ActivityFailed { error, cause },
            )
        }
        EventKind::ActivityTimedOut {
            kind,
            details,
            scheduled,
            started,
        } => (
            HistoryEventType::ActivityTimedOut,
            follows(*scheduled, *started),
            EventDetails::ActivityTimedOut {
                error: Some(timeout_error(*kind).to_owned()),
                cause: h.owned_opt(*details),
            },
        ),
        EventKind::DecisionTaskScheduled(_)
        | EventKind::DecisionTaskStarted { .. }
        | EventKind::DecisionTaskCompleted { .. }
        | EventKind::ActivityCanceled { .. }
        | EventKind::CancelRequested { .. }
        | EventKind::CancelFailed { .. } => return None,
    };
    Some(HistoryEvent {
        timestamp: clock.wall_of(e.at),
        event_type,
        id,
        previous_event_id: previous,
        details,
    })
}

/// A task's close follows its start, or its schedule if it never started.
fn follows(scheduled: EventId, started: EventId) -> EventId {
    if started == EventId::NONE {
        scheduled
    } else {
        started
    }
}

/// `DescribeExecution` of an execution.
pub(crate) fn describe(
    clock: &Clock,
    region: &str,
    account: &str,
    exec: &Execution,
    st: &ExecState,
) -> DescribeExecutionOutput {
    let start = start_of(st);
    let closed = st.closed_at.and_then(|_| {
        st.history.iter().rev().find_map(|(id, e)| match &e.kind {
            EventKind::ExecutionClosed(how) => Some(ending(st, id, how)),
            _ => None,
        })
    });
    let end = closed.unwrap_or(Ending {
        status: ExecutionStatus::Running,
        output: None,
        error: None,
        cause: None,
    });
    let name = exec
        .workflow_id
        .split_once(':')
        .map_or(exec.workflow_id.as_str(), |(_, n)| n);
    DescribeExecutionOutput {
        execution_arn: execution_arn(region, account, exec),
        state_machine_arn: start.map(|s| s.type_name.clone()).unwrap_or_default(),
        name: name.to_owned(),
        status: end.status,
        start_date: clock.wall_of(st.started_at),
        stop_date: st.closed_at.map(|t| clock.wall_of(t)),
        input: start.and_then(|s| s.input.clone()),
        output: end.output,
        error: end.error,
        cause: end.cause,
    }
}
