//! The Step Functions face on the wire: `AWSStepFunctions.<Operation>`
//! requests read into the face's inputs, and its outputs, history events
//! and errors written as the AWS JSON 1.0 protocol carries them.
//!
//! Member names are the service model's (`activityArn`, `taskToken`,
//! `timeoutInSeconds`, `activityScheduledEventDetails`); timestamps are
//! epoch seconds, event ids and `timeoutInSeconds` integers. Error bodies
//! carry plain names (`{"__type": "ActivityDoesNotExist", ...}`).
//!
//! `StartExecution` differs from AWS because the engine has no
//! state-machine definitions: its execution runs one Task state, whose
//! activity the request may name with the engine's own members
//! `activityArn`, `timeoutSeconds` and `heartbeatSeconds`. A request
//! without `activityArn` (as the AWS SDKs send it) runs the activity of the
//! state machine's name: `...:stateMachine:resize` runs
//! `...:activity:resize`, with no timeout and no heartbeat.

use std::time::Duration;

use serde_json::Value;

use super::Wait;
use super::body::{ABSENT, BodyError, Obj, Out, Reading, empty, event_id, timestamp};
use crate::sfn::{
    ActivityListItem, Client, CreateActivityInput, CreateActivityOutput, DeleteActivityInput,
    DescribeActivityInput, DescribeActivityOutput, DescribeExecutionInput, DescribeExecutionOutput,
    EncryptionConfiguration, EncryptionType, Error, EventDetails, GetActivityTaskInput,
    GetActivityTaskOutput, GetExecutionHistoryInput, GetExecutionHistoryOutput, HistoryEvent,
    HistoryEventExecutionDataDetails, ListActivitiesInput, ListActivitiesOutput,
    SendTaskFailureInput, SendTaskHeartbeatInput, SendTaskSuccessInput, StartExecutionInput,
    StartExecutionOutput, Tag,
};

/// The `X-Amz-Target` prefix of Step Functions operations.
pub(crate) const PREFIX: &str = "AWSStepFunctions.";
/// `__type` of a body that is not JSON of the request's shape.
pub(crate) const SERIALIZATION: &str = "SerializationException";
/// `__type` of an operation this engine does not serve.
pub(crate) const UNKNOWN_OPERATION: &str = "UnknownOperationException";

const ENCRYPTION_TYPE: &[&str] = &["AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"];

/// The operations served, by `X-Amz-Target` suffix.
pub(crate) const OPERATIONS: &[&str] = &[
    "CreateActivity",
    "DescribeActivity",
    "ListActivities",
    "DeleteActivity",
    "GetActivityTask",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "StartExecution",
    "DescribeExecution",
    "GetExecutionHistory",
];

/// A refusal of a Step Functions request.
#[derive(Debug)]
pub(crate) enum Fault {
    /// The body could not be read.
    Body(BodyError),
    /// The face refused it.
    Sfn(Error),
}

impl From<BodyError> for Fault {
    fn from(e: BodyError) -> Fault {
        match e {
            BodyError::Validation(v) => Fault::Sfn(Error::Validation(v)),
            e => Fault::Body(e),
        }
    }
}

impl From<Error> for Fault {
    fn from(e: Error) -> Fault {
        Fault::Sfn(e)
    }
}

/// Runs one Step Functions operation; `None` if `op` is not one.
pub(crate) fn call(
    client: &Client,
    op: &str,
    body: &Value,
    wait: Wait<'_>,
) -> Option<Result<Value, Fault>> {
    Some(match op {
        "CreateActivity" => run(client, body, create_activity, |client, i| {
            client
                .create_activity(i)
                .map(|o| create_activity_output(&o))
        }),
        "DescribeActivity" => run(client, body, describe_activity, |client, i| {
            client
                .describe_activity(i)
                .map(|o| describe_activity_output(&o))
        }),
        "ListActivities" => run(client, body, list_activities, |client, i| {
            client
                .list_activities(i)
                .map(|o| list_activities_output(&o))
        }),
        "DeleteActivity" => run(client, body, delete_activity, |client, i| {
            client.delete_activity(i).map(empty)
        }),
        "GetActivityTask" => run(client, body, get_activity_task, |client, i| {
            poll(client, i, wait).map(|o| get_activity_task_output(&o))
        }),
        "SendTaskSuccess" => run(client, body, send_task_success, |client, i| {
            client.send_task_success(i).map(empty)
        }),
        "SendTaskFailure" => run(client, body, send_task_failure, |client, i| {
            client.send_task_failure(i).map(empty)
        }),
        "SendTaskHeartbeat" => run(client, body, send_task_heartbeat, |client, i| {
            client.send_task_heartbeat(i).map(empty)
        }),
        "StartExecution" => run(client, body, start_execution, |client, i| {
            client
                .start_execution(i)
                .map(|o| start_execution_output(&o))
        }),
        "DescribeExecution" => run(client, body, describe_execution, |client, i| {
            client
                .describe_execution(i)
                .map(|o| describe_execution_output(&o))
        }),
        "GetExecutionHistory" => run(client, body, get_execution_history, |client, i| {
            client.get_execution_history(i).map(|o| history_output(&o))
        }),
        _ => return None,
    })
}

/// Reads the body with `parse`, then runs `exec` on what it read with
/// `client`. A body with absent members or bad enum values is refused, and
/// its input is run on the validation-only client instead, so that the
/// refusal lists the face's violations too (`../shared/AWS-API.md` A0.2).
/// Only the face's `ValidationException` joins it: its own faults
/// (`InvalidArn`, `InvalidName`, ...) are found after the members' checks,
/// which the refusal stops at.
fn run<I>(
    client: &Client,
    body: &Value,
    parse: fn(&Obj<'_>) -> I,
    exec: impl FnOnce(&Client, I) -> Result<Value, Error>,
) -> Result<Value, Fault> {
    match super::body::read_all(body, parse)? {
        Reading::Clean(input) => Ok(exec(client, input)?),
        Reading::Invalid(input, found) => {
            let face = match exec(&client.validator(), input) {
                Err(Error::Validation(v)) => v.into_violations(),
                _ => Vec::new(),
            };
            Err(Fault::Sfn(Error::Validation(found.merge(face))))
        }
    }
}

/// A long poll, waiting as `wait` says.
fn poll(
    client: &Client,
    input: GetActivityTaskInput,
    wait: Wait<'_>,
) -> Result<GetActivityTaskOutput, Error> {
    match wait {
        Wait::Full => client.get_activity_task(input),
        Wait::No => client.get_activity_task_timeout(input, Duration::ZERO),
        Wait::Cancelable { long_poll, cancel } => match client.now().checked_add(long_poll) {
            Some(d) => client.get_activity_task_cancelable(input, d, cancel),
            None => client.get_activity_task(input),
        },
    }
}

// ----- requests ------------------------------------------------------------------

pub(crate) fn create_activity(o: &Obj<'_>) -> CreateActivityInput {
    CreateActivityInput {
        name: o.req_str("name"),
        tags: o
            .objs("tags")
            .iter()
            .map(|t| Tag {
                key: t.str("key").unwrap_or_default(),
                value: t.str("value").unwrap_or_default(),
            })
            .collect(),
        encryption_configuration: o.obj("encryptionConfiguration").map(|e| {
            EncryptionConfiguration {
                r#type: match e.req_enumeration("type", ENCRYPTION_TYPE) {
                    Some(1) => EncryptionType::CustomerManagedKmsKey,
                    _ => EncryptionType::AwsOwnedKey,
                },
                kms_key_id: e.str("kmsKeyId"),
                kms_data_key_reuse_period_seconds: e.i32("kmsDataKeyReusePeriodSeconds"),
            }
        }),
    }
}

pub(crate) fn describe_activity(o: &Obj<'_>) -> DescribeActivityInput {
    DescribeActivityInput {
        activity_arn: o.req_str("activityArn"),
    }
}

pub(crate) fn delete_activity(o: &Obj<'_>) -> DeleteActivityInput {
    DeleteActivityInput {
        activity_arn: o.req_str("activityArn"),
    }
}

pub(crate) fn list_activities(o: &Obj<'_>) -> ListActivitiesInput {
    ListActivitiesInput {
        max_results: o.i32("maxResults"),
        next_token: o.str("nextToken"),
    }
}

pub(crate) fn get_activity_task(o: &Obj<'_>) -> GetActivityTaskInput {
    GetActivityTaskInput {
        activity_arn: o.req_str("activityArn"),
        worker_name: o.str("workerName"),
    }
}

pub(crate) fn send_task_success(o: &Obj<'_>) -> SendTaskSuccessInput {
    SendTaskSuccessInput {
        task_token: o.req_str("taskToken"),
        output: o.req_str("output"),
    }
}

pub(crate) fn send_task_failure(o: &Obj<'_>) -> SendTaskFailureInput {
    SendTaskFailureInput {
        task_token: o.req_str("taskToken"),
        error: o.str("error"),
        cause: o.str("cause"),
    }
}

pub(crate) fn send_task_heartbeat(o: &Obj<'_>) -> SendTaskHeartbeatInput {
    SendTaskHeartbeatInput {
        task_token: o.req_str("taskToken"),
    }
}

/// The activity a state machine of this engine runs when the request names
/// none: the one of the state machine's name, in its partition, region
/// and account. An ARN that is not a state machine's is passed on as it
/// is, for the face to refuse (`InvalidArn`).
fn activity_of(state_machine_arn: &str) -> String {
    let parts: Vec<&str> = state_machine_arn.splitn(7, ':').collect();
    match parts.as_slice() {
        [
            "arn",
            partition,
            service,
            region,
            account,
            "stateMachine",
            name,
        ] => {
            format!("arn:{partition}:{service}:{region}:{account}:activity:{name}")
        }
        _ => state_machine_arn.to_owned(),
    }
}

pub(crate) fn start_execution(o: &Obj<'_>) -> StartExecutionInput {
    let state_machine_arn = o.req_str("stateMachineArn");
    let activity_arn = o.str("activityArn").unwrap_or_else(|| {
        if state_machine_arn.is_empty() {
            // Of no state machine: the face is not to report it as well.
            ABSENT.to_owned()
        } else {
            activity_of(&state_machine_arn)
        }
    });
    StartExecutionInput {
        name: o.str("name"),
        input: o.str("input"),
        activity_arn,
        timeout_seconds: o.i64("timeoutSeconds"),
        heartbeat_seconds: o.i64("heartbeatSeconds"),
        state_machine_arn,
    }
}

pub(crate) fn describe_execution(o: &Obj<'_>) -> DescribeExecutionInput {
    DescribeExecutionInput {
        execution_arn: o.req_str("executionArn"),
    }
}

pub(crate) fn get_execution_history(o: &Obj<'_>) -> GetExecutionHistoryInput {
    GetExecutionHistoryInput {
        execution_arn: o.req_str("executionArn"),
        max_results: o.i32("maxResults"),
        next_token: o.str("nextToken"),
        reverse_order: o.bool("reverseOrder").unwrap_or(false),
        include_execution_data: o.bool("includeExecutionData"),
    }
}

// ----- responses -----------------------------------------------------------------

pub(crate) fn create_activity_output(o: &CreateActivityOutput) -> Value {
    Out::new()
        .put("activityArn", o.activity_arn.as_str())
        .put("creationDate", timestamp(o.creation_date))
        .into()
}

fn encryption(c: &EncryptionConfiguration) -> Out {
    Out::new()
        .opt("kmsKeyId", c.kms_key_id.as_deref())
        .opt(
            "kmsDataKeyReusePeriodSeconds",
            c.kms_data_key_reuse_period_seconds,
        )
        .put("type", c.r#type.as_str())
}

pub(crate) fn describe_activity_output(o: &DescribeActivityOutput) -> Value {
    Out::new()
        .put("activityArn", o.activity_arn.as_str())
        .put("name", o.name.as_str())
        .put("creationDate", timestamp(o.creation_date))
        .opt(
            "encryptionConfiguration",
            o.encryption_configuration.as_ref().map(encryption),
        )
        .into()
}

fn activity_item(a: &ActivityListItem) -> Out {
    Out::new()
        .put("activityArn", a.activity_arn.as_str())
        .put("name", a.name.as_str())
        .put("creationDate", timestamp(a.creation_date))
}

pub(crate) fn list_activities_output(o: &ListActivitiesOutput) -> Value {
    Out::new()
        .put(
            "activities",
            o.activities.iter().map(activity_item).collect::<Vec<_>>(),
        )
        .opt("nextToken", o.next_token.as_deref())
        .into()
}

/// `GetActivityTask`'s output; `{}` when the poll found no task (AWS's null
/// `taskToken`).
pub(crate) fn get_activity_task_output(o: &GetActivityTaskOutput) -> Value {
    Out::new()
        .opt("taskToken", o.task_token.as_deref())
        .opt("input", o.input.as_deref())
        .into()
}

pub(crate) fn start_execution_output(o: &StartExecutionOutput) -> Value {
    Out::new()
        .put("executionArn", o.execution_arn.as_str())
        .put("startDate", timestamp(o.start_date))
        .into()
}

pub(crate) fn describe_execution_output(o: &DescribeExecutionOutput) -> Value {
    Out::new()
        .put("executionArn", o.execution_arn.as_str())
        .put("stateMachineArn", o.state_machine_arn.as_str())
        .put("name", o.name.as_str())
        .put("status", o.status.as_str())
        .put("startDate", timestamp(o.start_date))
        .opt("stopDate", o.stop_date.map(timestamp))
        .opt("input", o.input.as_deref())
        .opt("output", o.output.as_deref())
        .opt("error", o.error.as_deref())
        .opt("cause", o.cause.as_deref())
        .into()
}

pub(crate) fn history_output(o: &GetExecutionHistoryOutput) -> Value {
    Out::new()
        .put("events", o.events.iter().map(event).collect::<Vec<_>>())
        .opt("nextToken", o.next_token.as_deref())
        .into()
}

/// `{"__type": "<Error>", "message": ...}`, with `resourceName` for
/// `TooManyTags`.
pub(crate) fn error(e: &Error) -> Value {
    let out = Out::new()
        .put("__type", e.code())
        .put("message", e.message());
    match e {
        Error::TooManyTags { resource_name, .. } => {
            out.put("resourceName", resource_name.as_str()).into()
        }
        _ => out.into(),
    }
}

// ----- history events ------------------------------------------------------------

/// One `HistoryEvent`: `timestamp`, `type`, `id`, `previousEventId` and the
/// `<type>EventDetails` member (type with a lowercase first letter).
pub(crate) fn event(e: &HistoryEvent) -> Value {
    let name = e.event_type.as_str();
    let mut key = String::with_capacity(name.len() + 12);
    let mut chars = name.chars();
    if let Some(first) = chars.next() {
        key.extend(first.to_lowercase());
    }
    key.push_str(chars.as_str());
    key.push_str("EventDetails");
    Out::new()
        .put("timestamp", timestamp(e.timestamp))
        .put("type", name)
        .put("id", event_id(e.id))
        .put("previousEventId", event_id(e.previous_event_id))
        .put(&key, details(&e.details))
        .into()
}

fn data_details(d: &HistoryEventExecutionDataDetails) -> Out {
    Out::new().put("truncated", d.truncated)
}

fn error_cause(error: &Option<String>, cause: &Option<String>) -> Out {
    Out::new()
        .opt("error", error.as_deref())
        .opt("cause", cause.as_deref())
}

fn details(d: &EventDetails) -> Out {
    match d {
        EventDetails::ExecutionStarted {
            input,
            input_details,
        } => Out::new()
            .opt("input", input.as_deref())
            .opt("inputDetails", input_details.as_ref().map(data_details)),
        EventDetails::ExecutionSucceeded {
            output,
            output_details,
        }
        | EventDetails::ActivitySucceeded {
            output,
            output_details,
        } => Out::new()
            .opt("output", output.as_deref())
            .opt("outputDetails", output_details.as_ref().map(data_details)),
        EventDetails::ExecutionFailed { error, cause }
        | EventDetails::ExecutionTimedOut { error, cause }
        | EventDetails::ExecutionAborted { error, cause }
        | EventDetails::ActivityScheduleFailed { error, cause }
        | EventDetails::ActivityFailed { error, cause }
        | EventDetails::ActivityTimedOut { error, cause } => error_cause(error, cause),
        EventDetails::ActivityScheduled {
            resource,
            input,
            input_details,
            timeout_in_seconds,
            heartbeat_in_seconds,
        } => Out::new()
            .put("resource", resource.as_str())
            .opt("input", input.as_deref())
            .opt("inputDetails", input_details.as_ref().map(data_details))
            .opt("timeoutInSeconds", *timeout_in_seconds)
            .opt("heartbeatInSeconds", *heartbeat_in_seconds),
        EventDetails::ActivityStarted { worker_name } => {
            Out::new().opt("workerName", worker_name.as_deref())
        }
    }
}
