//! Core history events rendered as SWF shapes.

use super::event::{
    ActivityTaskScheduledEventAttributes, EventAttributes, EventType, HistoryEvent,
    WorkflowExecutionStartedEventAttributes,
};
use super::types::{
    ActivityType, ChildPolicy, CloseStatus, DescribeWorkflowExecutionOutput, ExecutionStatus,
    TaskList, WorkflowExecution, WorkflowExecutionInfo, WorkflowExecutionOpenCounts, WorkflowType,
};
use crate::clock::Clock;
use crate::execution::{ExecState, Execution};
use crate::history::{
    CancelFailure, Event, EventId, EventKind, ExecutionClose, ExecutionStart, ScheduleFailure,
    TimeoutKind,
};
use crate::names::format_duration;

fn start_of(st: &ExecState) -> Option<&ExecutionStart> {
    match &st.history.first()?.kind {
        EventKind::ExecutionStarted(s) => Some(s),
        _ => None,
    }
}

fn child_policy(start: Option<&ExecutionStart>) -> ChildPolicy {
    start
        .and_then(|s| s.child_policy.as_deref())
        .and_then(ChildPolicy::parse)
        .unwrap_or(ChildPolicy::Terminate)
}

pub(crate) fn timeout_type(kind: TimeoutKind) -> &'static str {
    match kind {
        TimeoutKind::ScheduleToStart => "SCHEDULE_TO_START",
        TimeoutKind::ScheduleToClose => "SCHEDULE_TO_CLOSE",
        TimeoutKind::StartToClose => "START_TO_CLOSE",
        TimeoutKind::Heartbeat => "HEARTBEAT",
    }
}

fn schedule_cause(c: ScheduleFailure) -> &'static str {
    match c {
        ScheduleFailure::TypeDeprecated => "ACTIVITY_TYPE_DEPRECATED",
        ScheduleFailure::TypeDoesNotExist => "ACTIVITY_TYPE_DOES_NOT_EXIST",
        ScheduleFailure::IdInUse => "ACTIVITY_ID_ALREADY_IN_USE",
        ScheduleFailure::OpenLimitExceeded => "OPEN_ACTIVITIES_LIMIT_EXCEEDED",
        ScheduleFailure::CreationRateExceeded => "ACTIVITY_CREATION_RATE_EXCEEDED",
        ScheduleFailure::ScheduleToCloseUndefined => "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
        ScheduleFailure::TaskListUndefined => "DEFAULT_TASK_LIST_UNDEFINED",
        ScheduleFailure::ScheduleToStartUndefined => "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",
        ScheduleFailure::StartToCloseUndefined => "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED",
        ScheduleFailure::HeartbeatUndefined => "DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED",
        ScheduleFailure::NotPermitted => "OPERATION_NOT_PERMITTED",
    }
}

fn cancel_cause(c: CancelFailure) -> &'static str {
    match c {
        CancelFailure::IdUnknown => "ACTIVITY_ID_UNKNOWN",
        CancelFailure::NotPermitted => "OPERATION_NOT_PERMITTED",
    }
}

/// One event as SWF shows it.
pub(crate) fn event(clock: &Clock, st: &ExecState, (id, e): (EventId, &Event)) -> HistoryEvent {
    let start = start_of(st);
    let h = &st.history;
    let (event_type, attributes) = match &e.kind {
        EventKind::ExecutionStarted(s) => (
            EventType::WorkflowExecutionStarted,
            EventAttributes::WorkflowExecutionStarted(WorkflowExecutionStartedEventAttributes {
                input: s.input.clone(),
                execution_start_to_close_timeout: s
                    .execution_timeout
                    .map(|d| format_duration(Some(d))),
                task_start_to_close_timeout: Some(format_duration(s.task_timeout)),
                child_policy: child_policy(Some(s)),
                task_list: TaskList::new(s.task_list.clone().unwrap_or_default()),
                task_priority: s.task_priority.map(|p| p.to_string()),
                workflow_type: WorkflowType::new(s.type_name.clone(), s.type_version.clone()),
                tag_list: s.tags.clone(),
                lambda_role: s.role.clone(),
            }),
        ),
        EventKind::ExecutionClosed(how) => match &**how {
            ExecutionClose::Completed { result } => (
                EventType::WorkflowExecutionCompleted,
                EventAttributes::WorkflowExecutionCompleted {
                    result: result.clone(),
                    decision_task_completed_event_id: EventId::NONE,
                },
            ),
            ExecutionClose::Failed { reason, details } => (
                EventType::WorkflowExecutionFailed,
                EventAttributes::WorkflowExecutionFailed {
                    reason: reason.clone(),
                    details: details.clone(),
                    decision_task_completed_event_id: EventId::NONE,
                },
            ),
            ExecutionClose::TimedOut => (
                EventType::WorkflowExecutionTimedOut,
                EventAttributes::WorkflowExecutionTimedOut {
                    timeout_type: "START_TO_CLOSE",
                    child_policy: child_policy(start),
                },
            ),
            ExecutionClose::Terminated {
                reason,
                details,
                cause,
                child_policy: given,
            } => (
                EventType::WorkflowExecutionTerminated,
                EventAttributes::WorkflowExecutionTerminated {
                    reason: reason.clone(),
                    details: details.clone(),
                    child_policy: given
                        .as_deref()
                        .and_then(ChildPolicy::parse)
                        .unwrap_or_else(|| child_policy(start)),
                    cause: *cause,
                },
            ),
        },
        EventKind::DecisionTaskScheduled(list) => (
            EventType::DecisionTaskScheduled,
            EventAttributes::DecisionTaskScheduled {
                task_list: TaskList::new(match list.task_list {
                    Some(name) => h.owned(name),
                    None => start.and_then(|s| s.task_list.clone()).unwrap_or_default(),
                }),
                task_priority: start.and_then(|s| s.task_priority).map(|p| p.to_string()),
                start_to_close_timeout: start.map(|s| format_duration(s.task_timeout)),
                schedule_to_start_timeout: list.schedule_to_start.map(|t| format_duration(t.get())),
            },
        ),
        EventKind::DecisionTaskStarted { scheduled } => (
            EventType::DecisionTaskStarted,
            EventAttributes::DecisionTaskStarted {
                identity: Some("activity-broker".to_owned()),
                scheduled_event_id: *scheduled,
            },
        ),
        EventKind::DecisionTaskCompleted {
            scheduled,
            started,
            context,
        } => (
            EventType::DecisionTaskCompleted,
            EventAttributes::DecisionTaskCompleted {
                execution_context: h.owned_opt(*context),
                scheduled_event_id: *scheduled,
                started_event_id: *started,
            },
        ),
        EventKind::ActivityScheduled { spec, decision } => {
            let spec = h.spec_of(*spec);
            let (type_name, type_version, task_list) = h.kind(spec);
            (
                EventType::ActivityTaskScheduled,
                EventAttributes::ActivityTaskScheduled(ActivityTaskScheduledEventAttributes {
                    activity_type: ActivityType::new(type_name, type_version),
                    activity_id: h.owned(spec.activity_id),
                    input: h.owned_opt(spec.input),
                    control: h.owned_opt(spec.control),
                    schedule_to_start_timeout: Some(format_duration(
                        spec.timeouts.schedule_to_start.get(),
                    )),
                    schedule_to_close_timeout: Some(format_duration(
                        spec.timeouts.schedule_to_close.get(),
                    )),
                    start_to_close_timeout: Some(format_duration(
                        spec.timeouts.start_to_close.get(),
                    )),
                    task_list: TaskList::new(task_list),
                    task_priority: spec.priority_set.then(|| spec.priority.to_string()),
                    decision_task_completed_event_id: *decision,
                    heartbeat_timeout: Some(format_duration(spec.timeouts.heartbeat.get())),
                }),
            )
        }
        EventKind::ScheduleFailed(f) => (
            EventType::ScheduleActivityTaskFailed,
            EventAttributes::ScheduleActivityTaskFailed {
                activity_type: ActivityType::new(f.type_name.clone(), f.type_version.clone()),
                activity_id: f.activity_id.clone(),
                cause: schedule_cause(f.cause),
                decision_task_completed_event_id: f.decision,
            },
        ),
        EventKind::ActivityStarted {
            identity,
            scheduled,
        } => (
            EventType::ActivityTaskStarted,
            EventAttributes::ActivityTaskStarted {
                identity: h.owned_opt(*identity),
                scheduled_event_id: *scheduled,
            },
        ),
        EventKind::ActivityCompleted {
            result,
            scheduled,
            started,
        } => (
            EventType::ActivityTaskCompleted,
            EventAttributes::ActivityTaskCompleted {
                result: h.owned_opt(*result),
                scheduled_event_id: *scheduled,
                started_event_id: *started,
            },
        ),
        EventKind::ActivityFailed {
            texts,
            scheduled,
            started,
        } => {
            let (reason, details) = h.owned_pair(*texts);
            (
                EventType::ActivityTaskFailed,
                EventAttributes::ActivityTaskFailed {
                    reason,
                    details,
                    scheduled_event_id: *scheduled,
                    started_event_id: *started,
                },
            )
        }
        EventKind::ActivityTimedOut {
            kind,
            details,
            scheduled,
            started,
        } => (
            EventType::ActivityTaskTimedOut,
            EventAttributes::ActivityTaskTimedOut {
                timeout_type: timeout_type(*kind),
                scheduled_event_id: *scheduled,
                started_event_id: *started,
                details: h.owned_opt(*details),
            },
        ),
        EventKind::ActivityCanceled {
            details,
            scheduled,
            started,
            latest_cancel_requested,
        } => (
            EventType::ActivityTaskCanceled,
            EventAttributes::ActivityTaskCanceled {
                details: h.owned_opt(*details),
                scheduled_event_id: *scheduled,
                started_event_id: *started,
                latest_cancel_requested_event_id: (*latest_cancel_requested != EventId::NONE)
                    .then_some(*latest_cancel_requested),
            },
        ),
        EventKind::CancelRequested {
            activity_id,
            decision,
        } => (
            EventType::ActivityTaskCancelRequested,
            EventAttributes::ActivityTaskCancelRequested {
                decision_task_completed_event_id: *decision,
                activity_id: h.owned(*activity_id),
            },
        ),
        EventKind::CancelFailed {
            activity_id,
            cause,
            decision,
        } => (
            EventType::RequestCancelActivityTaskFailed,
            EventAttributes::RequestCancelActivityTaskFailed {
                activity_id: h.owned(*activity_id),
                cause: cancel_cause(*cause),
                decision_task_completed_event_id: *decision,
            },
        ),
    };
    HistoryEvent {
        event_timestamp: clock.wall_of(e.at),
        event_type,
        event_id: id,
        attributes,
    }
}

/// `DescribeWorkflowExecution` of an execution.
pub(crate) fn describe(
    clock: &Clock,
    exec: &Execution,
    st: &ExecState,
) -> DescribeWorkflowExecutionOutput {
    let start = start_of(st);
    let close_status = st.closed_at.and_then(|_| {
        st.history.iter().rev().find_map(|(_, e)| match &e.kind {
            EventKind::ExecutionClosed(how) => Some(match &**how {
                ExecutionClose::Completed { .. } => CloseStatus::Completed,
                ExecutionClose::Failed { .. } => CloseStatus::Failed,
                ExecutionClose::TimedOut => CloseStatus::TimedOut,
                ExecutionClose::Terminated { .. } => CloseStatus::Terminated,
            }),
            _ => None,
        })
    });
    DescribeWorkflowExecutionOutput {
        execution_info: WorkflowExecutionInfo {
            execution: WorkflowExecution::new(&exec.workflow_id, &exec.run_id),
            workflow_type: WorkflowType::new(
                start.map(|s| s.type_name.clone()).unwrap_or_default(),
                start.map(|s| s.type_version.clone()).unwrap_or_default(),
            ),
            start_timestamp: clock.wall_of(st.started_at),
            close_timestamp: st.closed_at.map(|t| clock.wall_of(t)),
            execution_status: if st.is_open() {
                ExecutionStatus::Open
            } else {
                ExecutionStatus::Closed
            },
            close_status,
            tag_list: start.map(|s| s.tags.clone()).unwrap_or_default(),
        },
        open_counts: WorkflowExecutionOpenCounts {
            open_activity_tasks: if st.is_open() {
                i32::try_from(st.open.len()).unwrap_or(i32::MAX)
            } else {
                0
            },
            open_decision_tasks: i32::from(st.is_open() && st.decision_scheduled.is_some()),
            ..Default::default()
        },
    }
}
