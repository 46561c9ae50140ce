//! The SWF request and response shapes: `<Operation>Input` and
//! `<Operation>Output` with the AWS members in snake_case.
//!
//! Inputs have public fields and `Default`, so a call names only the members
//! it sets (`..Default::default()`). A required string member defaults to
//! the empty string, which validation rejects as AWS does
//! (`Member must have length greater than or equal to 1`). Outputs are
//! `#[non_exhaustive]`. Durations and priorities are strings, as on the wire
//! (`"300"`, `"NONE"`, `"-5"`).

use std::time::SystemTime;

use crate::history::EventId;

/// A task list, by name. Task lists are never registered: they exist once
/// named.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::TaskList;
/// assert_eq!(TaskList::new("work").name, "work");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskList {
    /// The name: 1–256 characters, no edge whitespace, no `:` `/` `|` or
    /// control characters, no `arn`.
    pub name: String,
}

impl TaskList {
    /// The task list `name`.
    pub fn new(name: impl Into<String>) -> TaskList {
        TaskList { name: name.into() }
    }
}

/// An activity type: name and version.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::ActivityType;
/// let t = ActivityType::new("resize", "1");
/// assert_eq!((t.name.as_str(), t.version.as_str()), ("resize", "1"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActivityType {
    /// 1–256 characters.
    pub name: String,
    /// 1–64 characters.
    pub version: String,
}

impl ActivityType {
    /// The type `name`, version `version`.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> ActivityType {
        ActivityType {
            name: name.into(),
            version: version.into(),
        }
    }
}

/// A workflow type: name and version.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::WorkflowType;
/// assert_eq!(WorkflowType::new("order", "2").version, "2");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkflowType {
    /// 1–256 characters.
    pub name: String,
    /// 1–64 characters.
    pub version: String,
}

impl WorkflowType {
    /// The type `name`, version `version`.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> WorkflowType {
        WorkflowType {
            name: name.into(),
            version: version.into(),
        }
    }
}

/// One workflow execution: its workflow id and run id.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::WorkflowExecution;
/// let e = WorkflowExecution::new("order-1", "run");
/// assert_eq!(e.workflow_id, "order-1");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct WorkflowExecution {
    /// The workflow id given at start.
    pub workflow_id: String,
    /// The run id the engine generated.
    pub run_id: String,
}

impl WorkflowExecution {
    /// The execution `workflow_id` / `run_id`.
    pub fn new(workflow_id: impl Into<String>, run_id: impl Into<String>) -> WorkflowExecution {
        WorkflowExecution {
            workflow_id: workflow_id.into(),
            run_id: run_id.into(),
        }
    }
}

/// `REGISTERED` or `DEPRECATED`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RegistrationStatus {
    /// In use.
    #[default]
    Registered,
    /// Deprecated: no new executions, types or tasks.
    Deprecated,
}

impl RegistrationStatus {
    /// The AWS enum value.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "REGISTERED",
            RegistrationStatus::Deprecated => "DEPRECATED",
        }
    }
}

/// What happens to child executions when an execution closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChildPolicy {
    /// `TERMINATE`.
    Terminate,
    /// `REQUEST_CANCEL`.
    RequestCancel,
    /// `ABANDON`.
    Abandon,
}

impl ChildPolicy {
    /// The AWS enum value.
    pub fn as_str(self) -> &'static str {
        match self {
            ChildPolicy::Terminate => "TERMINATE",
            ChildPolicy::RequestCancel => "REQUEST_CANCEL",
            ChildPolicy::Abandon => "ABANDON",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<ChildPolicy> {
        match s {
            "TERMINATE" => Some(ChildPolicy::Terminate),
            "REQUEST_CANCEL" => Some(ChildPolicy::RequestCancel),
            "ABANDON" => Some(ChildPolicy::Abandon),
            _ => None,
        }
    }
}

/// A resource tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResourceTag {
    /// 1–128 characters.
    pub key: String,
    /// At most 256 characters.
    pub value: Option<String>,
}

// ----- domains ---------------------------------------------------------------

/// Input of [`Client::register_domain`](super::Client::register_domain).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterDomainInput {
    /// The domain name, unique in the engine.
    pub name: String,
    /// At most 1024 characters.
    pub description: Option<String>,
    /// Days a closed execution's history is kept: `"0"`–`"90"`, or `"NONE"`
    /// (not kept).
    pub workflow_execution_retention_period_in_days: String,
    /// At most 50 tags.
    pub tags: Vec<ResourceTag>,
}

/// Output of [`Client::register_domain`](super::Client::register_domain): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegisterDomainOutput {}

/// Input of [`Client::deprecate_domain`](super::Client::deprecate_domain).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeprecateDomainInput {
    /// The domain.
    pub name: String,
}

/// Output of [`Client::deprecate_domain`](super::Client::deprecate_domain): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeprecateDomainOutput {}

/// Input of [`Client::undeprecate_domain`](super::Client::undeprecate_domain).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UndeprecateDomainInput {
    /// The domain.
    pub name: String,
}

/// Output of [`Client::undeprecate_domain`](super::Client::undeprecate_domain): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UndeprecateDomainOutput {}

/// Input of [`Client::describe_domain`](super::Client::describe_domain).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeDomainInput {
    /// The domain.
    pub name: String,
}

/// A domain's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DomainInfo {
    /// The name.
    pub name: String,
    /// `REGISTERED` or `DEPRECATED`.
    pub status: RegistrationStatus,
    /// The description given at registration.
    pub description: Option<String>,
    /// `arn:aws:swf:<region>:<account>:/domain/<name>`.
    pub arn: String,
}

/// A domain's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DomainConfiguration {
    /// As registered.
    pub workflow_execution_retention_period_in_days: String,
}

/// Output of [`Client::describe_domain`](super::Client::describe_domain).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeDomainOutput {
    /// The summary.
    pub domain_info: DomainInfo,
    /// The configuration.
    pub configuration: DomainConfiguration,
}

/// Input of [`Client::list_domains`](super::Client::list_domains).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListDomainsInput {
    /// A token from a previous page.
    pub next_page_token: Option<String>,
    /// Which domains to list.
    pub registration_status: RegistrationStatus,
    /// 0–1000; 0 or absent means 1000.
    pub maximum_page_size: Option<i32>,
    /// Descending name order.
    pub reverse_order: bool,
}

/// Output of [`Client::list_domains`](super::Client::list_domains).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListDomainsOutput {
    /// One page, in name order.
    pub domain_infos: Vec<DomainInfo>,
    /// Present when more pages follow.
    pub next_page_token: Option<String>,
}

// ----- activity types --------------------------------------------------------

/// Input of [`Client::register_activity_type`](super::Client::register_activity_type).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterActivityTypeInput {
    /// The domain.
    pub domain: String,
    /// The type name.
    pub name: String,
    /// The type version.
    pub version: String,
    /// At most 1024 characters.
    pub description: Option<String>,
    /// Default start-to-close timeout: seconds or `NONE`.
    pub default_task_start_to_close_timeout: Option<String>,
    /// Default heartbeat timeout: seconds or `NONE`.
    pub default_task_heartbeat_timeout: Option<String>,
    /// Default task list.
    pub default_task_list: Option<TaskList>,
    /// Default priority: an `i32` as a string.
    pub default_task_priority: Option<String>,
    /// Default schedule-to-start timeout: seconds or `NONE`.
    pub default_task_schedule_to_start_timeout: Option<String>,
    /// Default schedule-to-close timeout: seconds or `NONE`.
    pub default_task_schedule_to_close_timeout: Option<String>,
}

/// Output of [`Client::register_activity_type`](super::Client::register_activity_type): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegisterActivityTypeOutput {}

/// Input naming one activity type: deprecate, undeprecate, delete, describe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityTypeInput {
    /// The domain.
    pub domain: String,
    /// The type.
    pub activity_type: ActivityType,
}

/// Input of [`Client::deprecate_activity_type`](super::Client::deprecate_activity_type).
pub type DeprecateActivityTypeInput = ActivityTypeInput;
/// Input of [`Client::undeprecate_activity_type`](super::Client::undeprecate_activity_type).
pub type UndeprecateActivityTypeInput = ActivityTypeInput;
/// Input of [`Client::delete_activity_type`](super::Client::delete_activity_type).
pub type DeleteActivityTypeInput = ActivityTypeInput;
/// Input of [`Client::describe_activity_type`](super::Client::describe_activity_type).
pub type DescribeActivityTypeInput = ActivityTypeInput;

/// An empty output (deprecate, undeprecate, delete, respond calls).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmptyOutput {}

/// An activity type's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityTypeInfo {
    /// The type.
    pub activity_type: ActivityType,
    /// `REGISTERED` or `DEPRECATED`.
    pub status: RegistrationStatus,
    /// As registered.
    pub description: Option<String>,
    /// When it was registered.
    pub creation_date: SystemTime,
    /// When it was deprecated; only while deprecated.
    pub deprecation_date: Option<SystemTime>,
}

/// An activity type's registered defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityTypeConfiguration {
    /// As registered.
    pub default_task_start_to_close_timeout: Option<String>,
    /// As registered.
    pub default_task_heartbeat_timeout: Option<String>,
    /// As registered.
    pub default_task_list: Option<TaskList>,
    /// As registered.
    pub default_task_priority: Option<String>,
    /// As registered.
    pub default_task_schedule_to_start_timeout: Option<String>,
    /// As registered.
    pub default_task_schedule_to_close_timeout: Option<String>,
}

/// Output of [`Client::describe_activity_type`](super::Client::describe_activity_type).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeActivityTypeOutput {
    /// The summary.
    pub type_info: ActivityTypeInfo,
    /// The defaults.
    pub configuration: ActivityTypeConfiguration,
}

/// Input of [`Client::list_activity_types`](super::Client::list_activity_types).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListActivityTypesInput {
    /// The domain.
    pub domain: String,
    /// Only types of this name.
    pub name: Option<String>,
    /// Which types to list.
    pub registration_status: RegistrationStatus,
    /// A token from a previous page.
    pub next_page_token: Option<String>,
    /// 0–1000; 0 or absent means 1000.
    pub maximum_page_size: Option<i32>,
    /// Descending (name, version) order.
    pub reverse_order: bool,
}

/// Output of [`Client::list_activity_types`](super::Client::list_activity_types).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListActivityTypesOutput {
    /// One page.
    pub type_infos: Vec<ActivityTypeInfo>,
    /// Present when more pages follow.
    pub next_page_token: Option<String>,
}

// ----- workflow types --------------------------------------------------------

/// Input of [`Client::register_workflow_type`](super::Client::register_workflow_type).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterWorkflowTypeInput {
    /// The domain.
    pub domain: String,
    /// The type name.
    pub name: String,
    /// The type version.
    pub version: String,
    /// At most 1024 characters.
    pub description: Option<String>,
    /// Default decision-task start-to-close timeout.
    pub default_task_start_to_close_timeout: Option<String>,
    /// Default execution start-to-close timeout (not `NONE`, at most a
    /// year).
    pub default_execution_start_to_close_timeout: Option<String>,
    /// Default decision task list.
    pub default_task_list: Option<TaskList>,
    /// Default decision-task priority.
    pub default_task_priority: Option<String>,
    /// Default child policy.
    pub default_child_policy: Option<ChildPolicy>,
    /// Default Lambda role.
    pub default_lambda_role: Option<String>,
}

/// Input naming one workflow type: deprecate, undeprecate, describe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkflowTypeInput {
    /// The domain.
    pub domain: String,
    /// The type.
    pub workflow_type: WorkflowType,
}

/// A workflow type's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkflowTypeInfo {
    /// The type.
    pub workflow_type: WorkflowType,
    /// `REGISTERED` or `DEPRECATED`.
    pub status: RegistrationStatus,
    /// As registered.
    pub description: Option<String>,
    /// When it was registered.
    pub creation_date: SystemTime,
    /// When it was deprecated; only while deprecated.
    pub deprecation_date: Option<SystemTime>,
}

/// A workflow type's registered defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkflowTypeConfiguration {
    /// As registered.
    pub default_task_start_to_close_timeout: Option<String>,
    /// As registered.
    pub default_execution_start_to_close_timeout: Option<String>,
    /// As registered.
    pub default_task_list: Option<TaskList>,
    /// As registered.
    pub default_task_priority: Option<String>,
    /// As registered.
    pub default_child_policy: Option<ChildPolicy>,
    /// As registered.
    pub default_lambda_role: Option<String>,
}

/// Output of [`Client::describe_workflow_type`](super::Client::describe_workflow_type).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeWorkflowTypeOutput {
    /// The summary.
    pub type_info: WorkflowTypeInfo,
    /// The defaults.
    pub configuration: WorkflowTypeConfiguration,
}

// ----- executions ------------------------------------------------------------

/// Input of [`Client::start_workflow_execution`](super::Client::start_workflow_execution).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartWorkflowExecutionInput {
    /// The domain.
    pub domain: String,
    /// Unique among the domain's open executions.
    pub workflow_id: String,
    /// A registered workflow type.
    pub workflow_type: WorkflowType,
    /// The decision task list; else the type's default.
    pub task_list: Option<TaskList>,
    /// Decision-task priority.
    pub task_priority: Option<String>,
    /// At most 32768 characters.
    pub input: Option<String>,
    /// Seconds (not `NONE`, at most a year); else the type's default.
    pub execution_start_to_close_timeout: Option<String>,
    /// At most 5 tags.
    pub tag_list: Vec<String>,
    /// Decision-task timeout; else the type's default.
    pub task_start_to_close_timeout: Option<String>,
    /// Else the type's default.
    pub child_policy: Option<ChildPolicy>,
    /// 1–1600 characters.
    pub lambda_role: Option<String>,
}

/// Output of [`Client::start_workflow_execution`](super::Client::start_workflow_execution).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartWorkflowExecutionOutput {
    /// The generated run id.
    pub run_id: String,
}

/// Input naming one execution: describe, history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeWorkflowExecutionInput {
    /// The domain.
    pub domain: String,
    /// The execution.
    pub execution: WorkflowExecution,
}

/// `OPEN` or `CLOSED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionStatus {
    /// Running.
    Open,
    /// Closed.
    Closed,
}

/// How an execution closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseStatus {
    /// `COMPLETED`.
    Completed,
    /// `FAILED`.
    Failed,
    /// `TERMINATED`.
    Terminated,
    /// `TIMED_OUT`.
    TimedOut,
}

/// An execution's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkflowExecutionInfo {
    /// The execution.
    pub execution: WorkflowExecution,
    /// Its type.
    pub workflow_type: WorkflowType,
    /// When it started.
    pub start_timestamp: SystemTime,
    /// When it closed.
    pub close_timestamp: Option<SystemTime>,
    /// `OPEN` or `CLOSED`.
    pub execution_status: ExecutionStatus,
    /// How it closed.
    pub close_status: Option<CloseStatus>,
    /// Its tags.
    pub tag_list: Vec<String>,
}

/// Counts of an execution's open work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkflowExecutionOpenCounts {
    /// Activity tasks scheduled or started and not closed.
    pub open_activity_tasks: i32,
    /// 1 while a decision task is scheduled, else 0.
    pub open_decision_tasks: i32,
    /// Always 0: this engine has no timers.
    pub open_timers: i32,
    /// Always 0: this engine has no child executions.
    pub open_child_workflow_executions: i32,
    /// Always 0: this engine has no Lambda tasks.
    pub open_lambda_functions: i32,
}

/// Output of [`Client::describe_workflow_execution`](super::Client::describe_workflow_execution).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeWorkflowExecutionOutput {
    /// The summary.
    pub execution_info: WorkflowExecutionInfo,
    /// What is open.
    pub open_counts: WorkflowExecutionOpenCounts,
}

/// Input of [`Client::terminate_workflow_execution`](super::Client::terminate_workflow_execution).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerminateWorkflowExecutionInput {
    /// The domain.
    pub domain: String,
    /// The workflow id.
    pub workflow_id: String,
    /// The run; absent means the open run of `workflow_id`.
    pub run_id: Option<String>,
    /// At most 256 characters.
    pub reason: Option<String>,
    /// At most 32768 characters.
    pub details: Option<String>,
    /// Recorded in the event.
    pub child_policy: Option<ChildPolicy>,
}

/// Input of [`Client::get_workflow_execution_history`](super::Client::get_workflow_execution_history).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetWorkflowExecutionHistoryInput {
    /// The domain.
    pub domain: String,
    /// The execution.
    pub execution: WorkflowExecution,
    /// A token from a previous page.
    pub next_page_token: Option<String>,
    /// 0–1000; 0 or absent means 1000.
    pub maximum_page_size: Option<i32>,
    /// Newest first.
    pub reverse_order: bool,
}

/// Output of [`Client::get_workflow_execution_history`](super::Client::get_workflow_execution_history).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetWorkflowExecutionHistoryOutput {
    /// One page of events.
    pub events: Vec<super::HistoryEvent>,
    /// Present when more pages follow.
    pub next_page_token: Option<String>,
}

// ----- decisions ---------------------------------------------------------------

/// `ScheduleActivityTask` decision attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScheduleActivityTaskDecisionAttributes {
    /// A registered activity type.
    pub activity_type: ActivityType,
    /// Unique among the execution's open activities.
    pub activity_id: String,
    /// Kept in the history for the decider; never sent to the worker.
    pub control: Option<String>,
    /// Sent to the worker; at most 32768 characters.
    pub input: Option<String>,
    /// Seconds or `NONE`; else the type's default.
    pub schedule_to_close_timeout: Option<String>,
    /// Else the type's default.
    pub task_list: Option<TaskList>,
    /// An `i32` as a string; else the type's default, else 0.
    pub task_priority: Option<String>,
    /// Seconds or `NONE`; else the type's default.
    pub schedule_to_start_timeout: Option<String>,
    /// Seconds or `NONE`; else the type's default.
    pub start_to_close_timeout: Option<String>,
    /// Seconds or `NONE`; else the type's default.
    pub heartbeat_timeout: Option<String>,
}

/// `RequestCancelActivityTask` decision attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestCancelActivityTaskDecisionAttributes {
    /// The open activity to cancel.
    pub activity_id: String,
}

/// A decision about an execution's activities.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[expect(
    clippy::large_enum_variant,
    reason = "a decision is built once and moved; boxing would burden every caller"
)]
pub enum Decision {
    /// Schedule an activity task.
    ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes),
    /// Cancel an open activity task.
    RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes),
}

/// Input of [`Client::respond_decision_task_completed`](super::Client::respond_decision_task_completed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RespondDecisionTaskCompletedInput {
    /// The domain.
    pub domain: String,
    /// The open execution the decisions are for. (AWS identifies it by a
    /// decision task token; this engine has no deciders, so the caller
    /// names the execution and acts as its decider.)
    pub execution: WorkflowExecution,
    /// Applied in order.
    pub decisions: Vec<Decision>,
    /// At most 32768 characters; recorded in `DecisionTaskCompleted`.
    pub execution_context: Option<String>,
    /// The task list of the execution's decision tasks from now on, in
    /// place of the one it started with: every later `DecisionTaskScheduled`
    /// event names it, until a later call names another. Absent: the list
    /// in force stays.
    pub task_list: Option<TaskList>,
    /// Seconds or `NONE`: the schedule-to-start timeout recorded in later
    /// `DecisionTaskScheduled` events. With `task_list` it belongs to that
    /// list (absent: the new list has none); alone, to the list in force.
    /// This engine has no deciders, so it records the timeout and never
    /// times a decision task out.
    pub task_list_schedule_to_start_timeout: Option<String>,
}

/// Output of [`Client::respond_decision_task_completed`](super::Client::respond_decision_task_completed).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RespondDecisionTaskCompletedOutput {
    /// The `DecisionTaskCompleted` event the decisions refer to.
    pub decision_task_completed_event_id: EventId,
}

// ----- activity tasks --------------------------------------------------------

/// Input of [`Client::poll_for_activity_task`](super::Client::poll_for_activity_task).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollForActivityTaskInput {
    /// The domain.
    pub domain: String,
    /// The task list.
    pub task_list: TaskList,
    /// At most 256 characters; recorded in `ActivityTaskStarted`.
    pub identity: Option<String>,
}

/// Output of [`Client::poll_for_activity_task`](super::Client::poll_for_activity_task):
/// AWS's `ActivityTask`.
///
/// When the poll timed out, `task_token` is empty and `started_event_id` is
/// 0, as AWS answers; [`is_empty`](PollForActivityTaskOutput::is_empty) says so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollForActivityTaskOutput {
    /// The opaque token for heartbeat and respond calls; empty for no task.
    pub task_token: String,
    /// The activity id.
    pub activity_id: String,
    /// The id of the `ActivityTaskStarted` event this poll recorded.
    pub started_event_id: EventId,
    /// The execution.
    pub workflow_execution: WorkflowExecution,
    /// The activity type.
    pub activity_type: ActivityType,
    /// The task's input.
    pub input: Option<String>,
}

impl PollForActivityTaskOutput {
    /// `true` when the poll found no task.
    pub fn is_empty(&self) -> bool {
        self.task_token.is_empty()
    }
}

/// Input of [`Client::record_activity_task_heartbeat`](super::Client::record_activity_task_heartbeat).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordActivityTaskHeartbeatInput {
    /// The task token.
    pub task_token: String,
    /// At most 2048 characters; becomes `ActivityTaskTimedOut.details` if
    /// the task later times out.
    pub details: Option<String>,
}

/// Output of [`Client::record_activity_task_heartbeat`](super::Client::record_activity_task_heartbeat).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordActivityTaskHeartbeatOutput {
    /// `true` once a cancel was requested for the task.
    pub cancel_requested: bool,
}

/// Input of [`Client::respond_activity_task_completed`](super::Client::respond_activity_task_completed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RespondActivityTaskCompletedInput {
    /// The task token.
    pub task_token: String,
    /// At most 32768 characters.
    pub result: Option<String>,
}

/// Input of [`Client::respond_activity_task_failed`](super::Client::respond_activity_task_failed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RespondActivityTaskFailedInput {
    /// The task token.
    pub task_token: String,
    /// At most 256 characters.
    pub reason: Option<String>,
    /// At most 32768 characters.
    pub details: Option<String>,
}

/// Input of [`Client::respond_activity_task_canceled`](super::Client::respond_activity_task_canceled).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RespondActivityTaskCanceledInput {
    /// The task token.
    pub task_token: String,
    /// At most 32768 characters.
    pub details: Option<String>,
}

/// Input of [`Client::count_pending_activity_tasks`](super::Client::count_pending_activity_tasks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountPendingActivityTasksInput {
    /// The domain.
    pub domain: String,
    /// The task list.
    pub task_list: TaskList,
}

/// Output of [`Client::count_pending_activity_tasks`](super::Client::count_pending_activity_tasks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CountPendingActivityTasksOutput {
    /// Tasks scheduled on the list and not yet started.
    pub count: i32,
    /// `true` if the real count exceeded `i32::MAX`.
    pub truncated: bool,
}
