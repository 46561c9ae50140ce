//! The Step Functions request and response shapes: `<Operation>Input` and
//! `<Operation>Output` with the AWS members in snake_case, and the history
//! events.
//!
//! Inputs have public fields and `Default`, so a call names only the members
//! it sets (`..Default::default()`). A required string member defaults to
//! the empty string, which validation rejects as AWS does
//! (`Member must have length greater than or equal to 1`). Outputs are
//! `#[non_exhaustive]`. Timestamps are [`SystemTime`]s on the broker's
//! clock; `timeoutInSeconds` and `heartbeatInSeconds` are `i64`, as the
//! model's `long`s.

use std::time::SystemTime;

use crate::history::EventId;

// ----- activities ------------------------------------------------------------

/// A resource tag.
///
/// # Examples
///
/// ```
/// use activity_broker::sfn::Tag;
/// let t = Tag::new("team", "imaging");
/// assert_eq!((t.key.as_str(), t.value.as_str()), ("team", "imaging"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tag {
    /// 1–128 characters.
    pub key: String,
    /// At most 256 characters.
    pub value: String,
}

impl Tag {
    /// The tag `key` = `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Who holds the key that encrypts an activity's data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EncryptionType {
    /// `AWS_OWNED_KEY`: the default.
    #[default]
    AwsOwnedKey,
    /// `CUSTOMER_MANAGED_KMS_KEY`: needs a `kms_key_id`.
    CustomerManagedKmsKey,
}

impl EncryptionType {
    /// The AWS enum value.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::EncryptionType;
    /// assert_eq!(EncryptionType::CustomerManagedKmsKey.as_str(), "CUSTOMER_MANAGED_KMS_KEY");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            EncryptionType::AwsOwnedKey => "AWS_OWNED_KEY",
            EncryptionType::CustomerManagedKmsKey => "CUSTOMER_MANAGED_KMS_KEY",
        }
    }
}

/// How an activity's data is encrypted. The engine encrypts nothing; it
/// checks and records the configuration, which may never change after
/// creation.
///
/// # Examples
///
/// ```
/// use activity_broker::sfn::{EncryptionConfiguration, EncryptionType};
/// let c = EncryptionConfiguration {
///     r#type: EncryptionType::CustomerManagedKmsKey,
///     kms_key_id: Some("alias/activities".into()),
///     kms_data_key_reuse_period_seconds: Some(300),
/// };
/// assert_ne!(c, EncryptionConfiguration::default());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EncryptionConfiguration {
    /// The key's type (AWS member `type`).
    pub r#type: EncryptionType,
    /// 1–2048 characters; required for a customer managed key.
    pub kms_key_id: Option<String>,
    /// 60–900 seconds.
    pub kms_data_key_reuse_period_seconds: Option<i32>,
}

/// Input of [`Client::create_activity`](super::Client::create_activity).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateActivityInput {
    /// 1–80 characters; no whitespace, none of
    /// `` < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / ``, no control
    /// characters.
    pub name: String,
    /// At most 50; ignored when the activity exists already.
    pub tags: Vec<Tag>,
    /// Absent means [`EncryptionType::AwsOwnedKey`].
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

/// Output of [`Client::create_activity`](super::Client::create_activity).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateActivityOutput {
    /// `arn:aws:states:<region>:<account>:activity:<name>`.
    pub activity_arn: String,
    /// When the activity was first created (a repeat returns the first
    /// date).
    pub creation_date: SystemTime,
}

/// Input of [`Client::describe_activity`](super::Client::describe_activity).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeActivityInput {
    /// The activity's ARN: 1–256 characters.
    pub activity_arn: String,
}

/// Output of [`Client::describe_activity`](super::Client::describe_activity).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeActivityOutput {
    /// The activity's ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: SystemTime,
    /// Its encryption configuration; `AWS_OWNED_KEY` when none was given.
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

/// Input of [`Client::delete_activity`](super::Client::delete_activity).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteActivityInput {
    /// The activity's ARN: 1–256 characters.
    pub activity_arn: String,
}

/// Output of [`Client::delete_activity`](super::Client::delete_activity): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteActivityOutput {}

/// Input of [`Client::list_activities`](super::Client::list_activities).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListActivitiesInput {
    /// 0–1000; absent or 0 means 100.
    pub max_results: Option<i32>,
    /// The `next_token` of the previous page.
    pub next_token: Option<String>,
}

/// One activity in a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActivityListItem {
    /// The activity's ARN.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: SystemTime,
}

/// Output of [`Client::list_activities`](super::Client::list_activities).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListActivitiesOutput {
    /// One page, in name order.
    pub activities: Vec<ActivityListItem>,
    /// Present when more pages follow.
    pub next_token: Option<String>,
}

// ----- workers ---------------------------------------------------------------

/// Input of [`Client::get_activity_task`](super::Client::get_activity_task).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetActivityTaskInput {
    /// The activity's ARN: 1–256 characters.
    pub activity_arn: String,
    /// 1–80 characters; recorded as `ActivityStarted.workerName`.
    pub worker_name: Option<String>,
}

/// Output of [`Client::get_activity_task`](super::Client::get_activity_task).
///
/// A poll that found no task has no token (AWS's null `taskToken`);
/// [`is_empty`](GetActivityTaskOutput::is_empty) says so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetActivityTaskOutput {
    /// The token for `send_task_*` calls: 36 URL-safe characters. `None`
    /// when the poll found no task.
    pub task_token: Option<String>,
    /// The task's JSON input.
    pub input: Option<String>,
}

impl GetActivityTaskOutput {
    /// `true` when the poll found no task.
    pub fn is_empty(&self) -> bool {
        self.task_token.is_none()
    }
}

/// Input of [`Client::send_task_success`](super::Client::send_task_success).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskSuccessInput {
    /// The task token: 1–2048 characters.
    pub task_token: String,
    /// JSON, at most 262,144 UTF-8 bytes.
    pub output: String,
}

/// Output of [`Client::send_task_success`](super::Client::send_task_success): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendTaskSuccessOutput {}

/// Input of [`Client::send_task_failure`](super::Client::send_task_failure).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskFailureInput {
    /// The task token: 1–2048 characters.
    pub task_token: String,
    /// An error code: at most 256 characters.
    pub error: Option<String>,
    /// A longer explanation: at most 32,768 characters.
    pub cause: Option<String>,
}

/// Output of [`Client::send_task_failure`](super::Client::send_task_failure): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendTaskFailureOutput {}

/// Input of [`Client::send_task_heartbeat`](super::Client::send_task_heartbeat).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendTaskHeartbeatInput {
    /// The task token: 1–2048 characters.
    pub task_token: String,
}

/// Output of [`Client::send_task_heartbeat`](super::Client::send_task_heartbeat): empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendTaskHeartbeatOutput {}

// ----- executions --------------------------------------------------------------

/// Input of [`Client::start_execution`](super::Client::start_execution).
///
/// `state_machine_arn`, `name` and `input` are AWS's `StartExecution`
/// members. The engine has no state-machine definitions, so the request
/// also carries what the definition's one Task state would say:
/// `activity_arn` (its `Resource`), `timeout_seconds` and
/// `heartbeat_seconds` (its `TimeoutSeconds` and `HeartbeatSeconds`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartExecutionInput {
    /// `arn:aws:states:<region>:<account>:stateMachine:<name>`. State
    /// machines are implicit: any well-formed ARN of this broker's region
    /// and account names one.
    pub state_machine_arn: String,
    /// The execution's name, unique per state machine for 90 days: 1–80
    /// characters, the rules of activity names. Absent: a generated one.
    pub name: Option<String>,
    /// JSON, at most 262,144 UTF-8 bytes; absent means `{}`. It is the
    /// task's input.
    pub input: Option<String>,
    /// The activity the Task state runs (our addition).
    pub activity_arn: String,
    /// The Task state's `TimeoutSeconds`: 1–99,999,999, counted from the
    /// schedule; absent means 99,999,999, the States Language default.
    /// On expiry the task times out with `States.Timeout`.
    pub timeout_seconds: Option<i64>,
    /// The Task state's `HeartbeatSeconds`: at least 1 and less than the
    /// timeout, counted from the task's start and reset by each heartbeat;
    /// absent means none. On expiry the task times out with
    /// `States.HeartbeatTimeout`.
    pub heartbeat_seconds: Option<i64>,
}

/// Output of [`Client::start_execution`](super::Client::start_execution).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartExecutionOutput {
    /// `arn:aws:states:<region>:<account>:execution:<stateMachine>:<name>`.
    pub execution_arn: String,
    /// When the execution started.
    pub start_date: SystemTime,
}

/// Input of [`Client::describe_execution`](super::Client::describe_execution).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribeExecutionInput {
    /// The execution's ARN: 1–256 characters.
    pub execution_arn: String,
}

/// Where an execution stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExecutionStatus {
    /// `RUNNING`.
    Running,
    /// `SUCCEEDED`: its task succeeded.
    Succeeded,
    /// `FAILED`: its task failed, timed out, or could not be scheduled.
    Failed,
    /// `TIMED_OUT`: the execution ran for its limit of one year.
    TimedOut,
    /// `ABORTED`: the broker was shut down.
    Aborted,
}

impl ExecutionStatus {
    /// The AWS enum value.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::ExecutionStatus;
    /// assert_eq!(ExecutionStatus::TimedOut.as_str(), "TIMED_OUT");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }
}

/// Output of [`Client::describe_execution`](super::Client::describe_execution).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeExecutionOutput {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The state machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub name: String,
    /// Where it stands.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: SystemTime,
    /// When it closed; `None` while running.
    pub stop_date: Option<SystemTime>,
    /// Its JSON input.
    pub input: Option<String>,
    /// Its JSON output: the task's output, once it succeeded.
    pub output: Option<String>,
    /// The error it failed (or timed out, or was aborted) with.
    pub error: Option<String>,
    /// The cause of that error.
    pub cause: Option<String>,
}

/// Input of [`Client::get_execution_history`](super::Client::get_execution_history).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetExecutionHistoryInput {
    /// The execution's ARN: 1–256 characters.
    pub execution_arn: String,
    /// 0–1000; absent or 0 means 100.
    pub max_results: Option<i32>,
    /// The `next_token` of the previous page.
    pub next_token: Option<String>,
    /// Newest event first.
    pub reverse_order: bool,
    /// `Some(false)` leaves inputs and outputs out of the events; absent
    /// means `true`.
    pub include_execution_data: Option<bool>,
}

/// Output of [`Client::get_execution_history`](super::Client::get_execution_history).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetExecutionHistoryOutput {
    /// One page of events.
    pub events: Vec<HistoryEvent>,
    /// Present when more pages follow.
    pub next_token: Option<String>,
}

// ----- history -----------------------------------------------------------------

/// One event of an execution's history.
///
/// # Examples
///
/// See [`Client::get_execution_history`](super::Client::get_execution_history).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryEvent {
    /// When it was recorded, on the broker's clock.
    pub timestamp: SystemTime,
    /// Which event (AWS member `type`).
    pub event_type: HistoryEventType,
    /// 1, 2, 3, … in order within the execution.
    pub id: EventId,
    /// The event this one follows from (the task's `ActivityScheduled` for
    /// `ActivityStarted`, its `ActivityStarted` for the task's close); 0 for
    /// the first event.
    pub previous_event_id: EventId,
    /// The `<type>EventDetails` member.
    pub details: EventDetails,
}

/// The Step Functions event types this engine records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HistoryEventType {
    /// `ExecutionStarted`.
    ExecutionStarted,
    /// `ExecutionSucceeded`.
    ExecutionSucceeded,
    /// `ExecutionFailed`.
    ExecutionFailed,
    /// `ExecutionTimedOut`.
    ExecutionTimedOut,
    /// `ExecutionAborted`.
    ExecutionAborted,
    /// `ActivityScheduled`.
    ActivityScheduled,
    /// `ActivityScheduleFailed`.
    ActivityScheduleFailed,
    /// `ActivityStarted`.
    ActivityStarted,
    /// `ActivitySucceeded`.
    ActivitySucceeded,
    /// `ActivityFailed`.
    ActivityFailed,
    /// `ActivityTimedOut`.
    ActivityTimedOut,
}

impl HistoryEventType {
    /// The AWS name.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::HistoryEventType;
    /// assert_eq!(HistoryEventType::ActivityTimedOut.as_str(), "ActivityTimedOut");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryEventType::ExecutionStarted => "ExecutionStarted",
            HistoryEventType::ExecutionSucceeded => "ExecutionSucceeded",
            HistoryEventType::ExecutionFailed => "ExecutionFailed",
            HistoryEventType::ExecutionTimedOut => "ExecutionTimedOut",
            HistoryEventType::ExecutionAborted => "ExecutionAborted",
            HistoryEventType::ActivityScheduled => "ActivityScheduled",
            HistoryEventType::ActivityScheduleFailed => "ActivityScheduleFailed",
            HistoryEventType::ActivityStarted => "ActivityStarted",
            HistoryEventType::ActivitySucceeded => "ActivitySucceeded",
            HistoryEventType::ActivityFailed => "ActivityFailed",
            HistoryEventType::ActivityTimedOut => "ActivityTimedOut",
        }
    }
}

/// AWS's `HistoryEventExecutionDataDetails`: whether a payload was cut.
/// The engine never truncates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct HistoryEventExecutionDataDetails {
    /// Always `false`.
    pub truncated: bool,
}

/// The details member of an event, one variant per event type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventDetails {
    /// `executionStartedEventDetails`.
    ExecutionStarted {
        /// The execution's input (absent without execution data).
        input: Option<String>,
        /// Present with the input.
        input_details: Option<HistoryEventExecutionDataDetails>,
    },
    /// `executionSucceededEventDetails`.
    ExecutionSucceeded {
        /// The execution's output (absent without execution data).
        output: Option<String>,
        /// Present with the output.
        output_details: Option<HistoryEventExecutionDataDetails>,
    },
    /// `executionFailedEventDetails`.
    ExecutionFailed {
        /// The error code.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// `executionTimedOutEventDetails`.
    ExecutionTimedOut {
        /// `States.Timeout`.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// `executionAbortedEventDetails`.
    ExecutionAborted {
        /// The error code, if any.
        error: Option<String>,
        /// Why it was aborted.
        cause: Option<String>,
    },
    /// `activityScheduledEventDetails`.
    ActivityScheduled {
        /// The activity's ARN.
        resource: String,
        /// The task's input (absent without execution data).
        input: Option<String>,
        /// Present with the input.
        input_details: Option<HistoryEventExecutionDataDetails>,
        /// The task's timeout.
        timeout_in_seconds: Option<i64>,
        /// The task's heartbeat timeout, when it has one.
        heartbeat_in_seconds: Option<i64>,
    },
    /// `activityScheduleFailedEventDetails`.
    ActivityScheduleFailed {
        /// The error code.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// `activityStartedEventDetails`.
    ActivityStarted {
        /// The poller's `worker_name`.
        worker_name: Option<String>,
    },
    /// `activitySucceededEventDetails`.
    ActivitySucceeded {
        /// The worker's output (absent without execution data).
        output: Option<String>,
        /// Present with the output.
        output_details: Option<HistoryEventExecutionDataDetails>,
    },
    /// `activityFailedEventDetails`.
    ActivityFailed {
        /// The worker's (or the engine's) error code.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
    /// `activityTimedOutEventDetails`.
    ActivityTimedOut {
        /// `States.Timeout` or `States.HeartbeatTimeout`.
        error: Option<String>,
        /// Its cause.
        cause: Option<String>,
    },
}
