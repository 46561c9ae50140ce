//! SWF history events, rendered from the core's face-neutral history.
//!
//! Each [`HistoryEvent`] has AWS's three required members (`event_timestamp`,
//! `event_type`, `event_id`) and exactly one attributes member, here the
//! [`EventAttributes`] variant named for the event type.

use std::time::SystemTime;

use super::types::{ActivityType, ChildPolicy, TaskList, WorkflowType};
use crate::history::EventId;

/// One event of an execution's history.
///
/// # Examples
///
/// See [`Client::get_workflow_execution_history`](super::Client::get_workflow_execution_history).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryEvent {
    /// When it was recorded, on the engine's clock.
    pub event_timestamp: SystemTime,
    /// Which event.
    pub event_type: EventType,
    /// 1, 2, 3, ... in order within the execution.
    pub event_id: EventId,
    /// The `<eventType>EventAttributes` member.
    pub attributes: EventAttributes,
}

/// The SWF event types this engine records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `WorkflowExecutionStarted`.
    WorkflowExecutionStarted,
    /// `WorkflowExecutionCompleted`.
    WorkflowExecutionCompleted,
    /// `WorkflowExecutionFailed`.
    WorkflowExecutionFailed,
    /// `WorkflowExecutionTimedOut`.
    WorkflowExecutionTimedOut,
    /// `WorkflowExecutionTerminated`.
    WorkflowExecutionTerminated,
    /// `DecisionTaskScheduled`.
    DecisionTaskScheduled,
    /// `DecisionTaskStarted`.
    DecisionTaskStarted,
    /// `DecisionTaskCompleted`.
    DecisionTaskCompleted,
    /// `ActivityTaskScheduled`.
    ActivityTaskScheduled,
    /// `ScheduleActivityTaskFailed`.
    ScheduleActivityTaskFailed,
    /// `ActivityTaskStarted`.
    ActivityTaskStarted,
    /// `ActivityTaskCompleted`.
    ActivityTaskCompleted,
    /// `ActivityTaskFailed`.
    ActivityTaskFailed,
    /// `ActivityTaskTimedOut`.
    ActivityTaskTimedOut,
    /// `ActivityTaskCanceled`.
    ActivityTaskCanceled,
    /// `ActivityTaskCancelRequested`.
    ActivityTaskCancelRequested,
    /// `RequestCancelActivityTaskFailed`.
    RequestCancelActivityTaskFailed,
}

impl EventType {
    /// The AWS name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::WorkflowExecutionStarted => "WorkflowExecutionStarted",
            EventType::WorkflowExecutionCompleted => "WorkflowExecutionCompleted",
            EventType::WorkflowExecutionFailed => "WorkflowExecutionFailed",
            EventType::WorkflowExecutionTimedOut => "WorkflowExecutionTimedOut",
            EventType::WorkflowExecutionTerminated => "WorkflowExecutionTerminated",
            EventType::DecisionTaskScheduled => "DecisionTaskScheduled",
            EventType::DecisionTaskStarted => "DecisionTaskStarted",
            EventType::DecisionTaskCompleted => "DecisionTaskCompleted",
            EventType::ActivityTaskScheduled => "ActivityTaskScheduled",
            EventType::ScheduleActivityTaskFailed => "ScheduleActivityTaskFailed",
            EventType::ActivityTaskStarted => "ActivityTaskStarted",
            EventType::ActivityTaskCompleted => "ActivityTaskCompleted",
            EventType::ActivityTaskFailed => "ActivityTaskFailed",
            EventType::ActivityTaskTimedOut => "ActivityTaskTimedOut",
            EventType::ActivityTaskCanceled => "ActivityTaskCanceled",
            EventType::ActivityTaskCancelRequested => "ActivityTaskCancelRequested",
            EventType::RequestCancelActivityTaskFailed => "RequestCancelActivityTaskFailed",
        }
    }
}

/// An event's attributes, one variant per [`EventType`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventAttributes {
    /// `workflowExecutionStartedEventAttributes`.
    WorkflowExecutionStarted(WorkflowExecutionStartedEventAttributes),
    /// `workflowExecutionCompletedEventAttributes`.
    WorkflowExecutionCompleted {
        /// The result.
        result: Option<String>,
        /// The decision that completed it.
        decision_task_completed_event_id: EventId,
    },
    /// `workflowExecutionFailedEventAttributes`.
    WorkflowExecutionFailed {
        /// The reason.
        reason: Option<String>,
        /// The details.
        details: Option<String>,
        /// The decision that failed it.
        decision_task_completed_event_id: EventId,
    },
    /// `workflowExecutionTimedOutEventAttributes`.
    WorkflowExecutionTimedOut {
        /// Always `START_TO_CLOSE`.
        timeout_type: &'static str,
        /// The execution's child policy.
        child_policy: ChildPolicy,
    },
    /// `workflowExecutionTerminatedEventAttributes`.
    WorkflowExecutionTerminated {
        /// As given.
        reason: Option<String>,
        /// As given.
        details: Option<String>,
        /// The child policy applied.
        child_policy: ChildPolicy,
        /// `OPERATOR_INITIATED` when the engine shut down.
        cause: Option<&'static str>,
    },
    /// `decisionTaskScheduledEventAttributes`.
    DecisionTaskScheduled {
        /// The list it was scheduled on: the execution's, or the one the
        /// last `RespondDecisionTaskCompleted` before it named.
        task_list: TaskList,
        /// Its priority, if set.
        task_priority: Option<String>,
        /// The decision-task timeout.
        start_to_close_timeout: Option<String>,
        /// The schedule-to-start timeout a `RespondDecisionTaskCompleted`
        /// gave, if one did.
        schedule_to_start_timeout: Option<String>,
    },
    /// `decisionTaskStartedEventAttributes`.
    DecisionTaskStarted {
        /// Who decided: this engine records `activity-broker`.
        identity: Option<String>,
        /// The `DecisionTaskScheduled` event.
        scheduled_event_id: EventId,
    },
    /// `decisionTaskCompletedEventAttributes`.
    DecisionTaskCompleted {
        /// As given.
        execution_context: Option<String>,
        /// The `DecisionTaskScheduled` event.
        scheduled_event_id: EventId,
        /// The `DecisionTaskStarted` event.
        started_event_id: EventId,
    },
    /// `activityTaskScheduledEventAttributes`.
    ActivityTaskScheduled(ActivityTaskScheduledEventAttributes),
    /// `scheduleActivityTaskFailedEventAttributes`.
    ScheduleActivityTaskFailed {
        /// The type asked for.
        activity_type: ActivityType,
        /// The id asked for.
        activity_id: String,
        /// The `ScheduleActivityTaskFailedCause`.
        cause: &'static str,
        /// The decision.
        decision_task_completed_event_id: EventId,
    },
    /// `activityTaskStartedEventAttributes`.
    ActivityTaskStarted {
        /// The poller's identity.
        identity: Option<String>,
        /// The `ActivityTaskScheduled` event.
        scheduled_event_id: EventId,
    },
    /// `activityTaskCompletedEventAttributes`.
    ActivityTaskCompleted {
        /// The worker's result.
        result: Option<String>,
        /// The `ActivityTaskScheduled` event.
        scheduled_event_id: EventId,
        /// The `ActivityTaskStarted` event.
        started_event_id: EventId,
    },
    /// `activityTaskFailedEventAttributes`.
    ActivityTaskFailed {
        /// The worker's reason.
        reason: Option<String>,
        /// The worker's details.
        details: Option<String>,
        /// The `ActivityTaskScheduled` event.
        scheduled_event_id: EventId,
        /// The `ActivityTaskStarted` event.
        started_event_id: EventId,
    },
    /// `activityTaskTimedOutEventAttributes`.
    ActivityTaskTimedOut {
        /// `START_TO_CLOSE`, `SCHEDULE_TO_START`, `SCHEDULE_TO_CLOSE` or
        /// `HEARTBEAT`.
        timeout_type: &'static str,
        /// The `ActivityTaskScheduled` event.
        scheduled_event_id: EventId,
        /// The `ActivityTaskStarted` event, 0 if it never started.
        started_event_id: EventId,
        /// The last heartbeat's details.
        details: Option<String>,
    },
    /// `activityTaskCanceledEventAttributes`.
    ActivityTaskCanceled {
        /// The worker's details.
        details: Option<String>,
        /// The `ActivityTaskScheduled` event.
        scheduled_event_id: EventId,
        /// The `ActivityTaskStarted` event, 0 if it never started.
        started_event_id: EventId,
        /// The last `ActivityTaskCancelRequested` event, if any.
        latest_cancel_requested_event_id: Option<EventId>,
    },
    /// `activityTaskCancelRequestedEventAttributes`.
    ActivityTaskCancelRequested {
        /// The decision.
        decision_task_completed_event_id: EventId,
        /// The activity.
        activity_id: String,
    },
    /// `requestCancelActivityTaskFailedEventAttributes`.
    RequestCancelActivityTaskFailed {
        /// The activity asked for.
        activity_id: String,
        /// `ACTIVITY_ID_UNKNOWN` or `OPERATION_NOT_PERMITTED`.
        cause: &'static str,
        /// The decision.
        decision_task_completed_event_id: EventId,
    },
}

/// `workflowExecutionStartedEventAttributes`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkflowExecutionStartedEventAttributes {
    /// The input.
    pub input: Option<String>,
    /// The resolved execution timeout.
    pub execution_start_to_close_timeout: Option<String>,
    /// The resolved decision-task timeout.
    pub task_start_to_close_timeout: Option<String>,
    /// The resolved child policy.
    pub child_policy: ChildPolicy,
    /// The resolved decision task list.
    pub task_list: TaskList,
    /// The decision-task priority.
    pub task_priority: Option<String>,
    /// The type.
    pub workflow_type: WorkflowType,
    /// The tags.
    pub tag_list: Vec<String>,
    /// The Lambda role.
    pub lambda_role: Option<String>,
}

/// `activityTaskScheduledEventAttributes`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityTaskScheduledEventAttributes {
    /// The type.
    pub activity_type: ActivityType,
    /// The id.
    pub activity_id: String,
    /// The input.
    pub input: Option<String>,
    /// The decider's control data.
    pub control: Option<String>,
    /// The resolved timeout.
    pub schedule_to_start_timeout: Option<String>,
    /// The resolved timeout.
    pub schedule_to_close_timeout: Option<String>,
    /// The resolved timeout.
    pub start_to_close_timeout: Option<String>,
    /// The resolved task list (always recorded).
    pub task_list: TaskList,
    /// The priority, when one was given or defaulted from the type.
    pub task_priority: Option<String>,
    /// The decision.
    pub decision_task_completed_event_id: EventId,
    /// The resolved timeout.
    pub heartbeat_timeout: Option<String>,
}
