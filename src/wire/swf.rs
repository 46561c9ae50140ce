//! The SWF face on the wire: `SimpleWorkflowService.<Operation>` requests
//! read into the face's inputs, and its outputs, history events and faults
//! written as the AWS JSON 1.0 protocol carries them.
//!
//! Member names are the service model's (`taskList: {name}`,
//! `startedEventId`, `activityTaskStartedEventAttributes`); durations and
//! priorities stay strings, event ids are integers, timestamps are epoch
//! seconds.
//!
//! Two shapes differ from AWS because the engine has no deciders:
//!
//! - `RespondDecisionTaskCompleted` names its execution with a decision
//!   task token made by [`decision_task_token`].
//! - Decisions other than `ScheduleActivityTask` and
//!   `RequestCancelActivityTask` are refused with `ValidationException`.

use std::time::Duration;

use serde_json::Value;

use super::Wait;
use super::body::{ABSENT, BodyError, Obj, Out, Reading, empty, event_id, timestamp};
use crate::swf::{
    ActivityTaskScheduledEventAttributes, ActivityType, ActivityTypeConfiguration,
    ActivityTypeInfo, ActivityTypeInput, ChildPolicy, Client, CloseStatus,
    CountPendingActivityTasksInput, CountPendingActivityTasksOutput, Decision,
    DeprecateDomainInput, DescribeActivityTypeOutput, DescribeDomainInput, DescribeDomainOutput,
    DescribeWorkflowExecutionInput, DescribeWorkflowExecutionOutput, DescribeWorkflowTypeOutput,
    DomainInfo, Error, EventAttributes, ExecutionStatus, GetWorkflowExecutionHistoryInput,
    GetWorkflowExecutionHistoryOutput, HistoryEvent, ListActivityTypesInput,
    ListActivityTypesOutput, ListDomainsInput, ListDomainsOutput, PollForActivityTaskInput,
    PollForActivityTaskOutput, RecordActivityTaskHeartbeatInput, RecordActivityTaskHeartbeatOutput,
    RegisterActivityTypeInput, RegisterDomainInput, RegisterWorkflowTypeInput, RegistrationStatus,
    RequestCancelActivityTaskDecisionAttributes, ResourceTag, RespondActivityTaskCanceledInput,
    RespondActivityTaskCompletedInput, RespondActivityTaskFailedInput,
    RespondDecisionTaskCompletedInput, ScheduleActivityTaskDecisionAttributes,
    StartWorkflowExecutionInput, StartWorkflowExecutionOutput, TaskList,
    TerminateWorkflowExecutionInput, UndeprecateDomainInput, WorkflowExecution,
    WorkflowExecutionInfo, WorkflowExecutionStartedEventAttributes, WorkflowType,
    WorkflowTypeConfiguration, WorkflowTypeInfo, WorkflowTypeInput,
};

/// The `X-Amz-Target` prefix of SWF operations.
pub(crate) const PREFIX: &str = "SimpleWorkflowService.";
/// The namespace of SWF's own faults in `__type`.
pub(crate) const SERIALIZATION: &str = "com.amazon.coral.service#SerializationException";
/// `__type` of an operation this engine does not serve.
pub(crate) const UNKNOWN_OPERATION: &str = "com.amazon.coral.service#UnknownOperationException";

const REGISTRATION_STATUS: &[&str] = &["REGISTERED", "DEPRECATED"];
const CHILD_POLICY: &[&str] = &["TERMINATE", "REQUEST_CANCEL", "ABANDON"];
/// The decision types this engine applies.
const DECISION_TYPE: &[&str] = &["ScheduleActivityTask", "RequestCancelActivityTask"];
/// What a decision task token starts with.
const DECISION_TOKEN: &str = "activity-broker-decision|";

/// The operations served, by `X-Amz-Target` suffix.
pub(crate) const OPERATIONS: &[&str] = &[
    "RegisterDomain",
    "DeprecateDomain",
    "UndeprecateDomain",
    "DescribeDomain",
    "ListDomains",
    "RegisterActivityType",
    "DeprecateActivityType",
    "UndeprecateActivityType",
    "DeleteActivityType",
    "DescribeActivityType",
    "ListActivityTypes",
    "RegisterWorkflowType",
    "DeprecateWorkflowType",
    "UndeprecateWorkflowType",
    "DescribeWorkflowType",
    "StartWorkflowExecution",
    "DescribeWorkflowExecution",
    "TerminateWorkflowExecution",
    "GetWorkflowExecutionHistory",
    "RespondDecisionTaskCompleted",
    "PollForActivityTask",
    "RecordActivityTaskHeartbeat",
    "RespondActivityTaskCompleted",
    "RespondActivityTaskFailed",
    "RespondActivityTaskCanceled",
    "CountPendingActivityTasks",
];

/// A refusal of an SWF request.
#[derive(Debug)]
pub(crate) enum Fault {
    /// The body could not be read.
    Body(BodyError),
    /// The face refused it.
    Swf(Error),
}

impl From<BodyError> for Fault {
    fn from(e: BodyError) -> Fault {
        match e {
            BodyError::Validation(v) => Fault::Swf(Error::Validation(v)),
            e => Fault::Body(e),
        }
    }
}

impl From<Error> for Fault {
    fn from(e: Error) -> Fault {
        Fault::Swf(e)
    }
}

/// Runs one SWF operation; `None` if `op` is not one.
pub(crate) fn call(
    client: &Client,
    op: &str,
    body: &Value,
    wait: Wait<'_>,
) -> Option<Result<Value, Fault>> {
    Some(match op {
        "RegisterDomain" => run(client, body, register_domain, |client, i| {
            client.register_domain(i).map(empty)
        }),
        "DeprecateDomain" => run(client, body, deprecate_domain, |client, i| {
            client.deprecate_domain(i).map(empty)
        }),
        "UndeprecateDomain" => run(client, body, undeprecate_domain, |client, i| {
            client.undeprecate_domain(i).map(empty)
        }),
        "DescribeDomain" => run(client, body, describe_domain, |client, i| {
            client
                .describe_domain(i)
                .map(|o| describe_domain_output(&o))
        }),
        "ListDomains" => run(client, body, list_domains, |client, i| {
            client.list_domains(i).map(|o| list_domains_output(&o))
        }),
        "RegisterActivityType" => run(client, body, register_activity_type, |client, i| {
            client.register_activity_type(i).map(empty)
        }),
        "DeprecateActivityType" => run(client, body, activity_type_input, |client, i| {
            client.deprecate_activity_type(i).map(empty)
        }),
        "UndeprecateActivityType" => run(client, body, activity_type_input, |client, i| {
            client.undeprecate_activity_type(i).map(empty)
        }),
        "DeleteActivityType" => run(client, body, activity_type_input, |client, i| {
            client.delete_activity_type(i).map(empty)
        }),
        "DescribeActivityType" => run(client, body, activity_type_input, |client, i| {
            client
                .describe_activity_type(i)
                .map(|o| describe_activity_type_output(&o))
        }),
        "ListActivityTypes" => run(client, body, list_activity_types, |client, i| {
            client
                .list_activity_types(i)
                .map(|o| list_activity_types_output(&o))
        }),
        "RegisterWorkflowType" => run(client, body, register_workflow_type, |client, i| {
            client.register_workflow_type(i).map(empty)
        }),
        "DeprecateWorkflowType" => run(client, body, workflow_type_input, |client, i| {
            client.deprecate_workflow_type(i).map(empty)
        }),
        "UndeprecateWorkflowType" => run(client, body, workflow_type_input, |client, i| {
            client.undeprecate_workflow_type(i).map(empty)
        }),
        "DescribeWorkflowType" => run(client, body, workflow_type_input, |client, i| {
            client
                .describe_workflow_type(i)
                .map(|o| describe_workflow_type_output(&o))
        }),
        "StartWorkflowExecution" => run(client, body, start_workflow_execution, |client, i| {
            client
                .start_workflow_execution(i)
                .map(|o| start_workflow_execution_output(&o))
        }),
        "DescribeWorkflowExecution" => {
            run(client, body, describe_workflow_execution, |client, i| {
                client
                    .describe_workflow_execution(i)
                    .map(|o| describe_workflow_execution_output(&o))
            })
        }
        "TerminateWorkflowExecution" => {
            run(client, body, terminate_workflow_execution, |client, i| {
                client.terminate_workflow_execution(i).map(empty)
            })
        }
        "GetWorkflowExecutionHistory" => {
            run(client, body, get_workflow_execution_history, |client, i| {
                client
                    .get_workflow_execution_history(i)
                    .map(|o| history_output(&o))
            })
        }
        "RespondDecisionTaskCompleted" => {
            run(client, body, respond_decision_task_completed, decide)
        }
        "PollForActivityTask" => run(client, body, poll_for_activity_task, |client, i| {
            poll(client, i, wait).map(|o| poll_output(&o))
        }),
        "RecordActivityTaskHeartbeat" => {
            run(client, body, record_activity_task_heartbeat, |client, i| {
                client
                    .record_activity_task_heartbeat(i)
                    .map(|o| heartbeat_output(&o))
            })
        }
        "RespondActivityTaskCompleted" => run(
            client,
            body,
            respond_activity_task_completed,
            |client, i| client.respond_activity_task_completed(i).map(empty),
        ),
        "RespondActivityTaskFailed" => {
            run(client, body, respond_activity_task_failed, |client, i| {
                client.respond_activity_task_failed(i).map(empty)
            })
        }
        "RespondActivityTaskCanceled" => {
            run(client, body, respond_activity_task_canceled, |client, i| {
                client.respond_activity_task_canceled(i).map(empty)
            })
        }
        "CountPendingActivityTasks" => {
            run(client, body, count_pending_activity_tasks, |client, i| {
                client
                    .count_pending_activity_tasks(i)
                    .map(|o| count_output(&o))
            })
        }
        _ => return None,
    })
}

/// Reads the body with `parse`, then runs `exec` on what it read with
/// `client`. A body with absent members or bad enum values is refused, and
/// its input is run on the validation-only client instead, so that the
/// refusal lists the face's violations too (`../shared/AWS-API.md` A0.2).
fn run<I>(
    client: &Client,
    body: &Value,
    parse: fn(&Obj<'_>) -> I,
    exec: impl FnOnce(&Client, I) -> Result<Value, Error>,
) -> Result<Value, Fault> {
    match super::body::read_all(body, parse)? {
        Reading::Clean(input) => Ok(exec(client, input)?),
        Reading::Invalid(input, found) => {
            // Anything but its verdict on the members (a decision task
            // token that names nothing) leaves the body's violations alone.
            let face = match exec(&client.validator(), input) {
                Err(Error::Validation(v)) => v.into_violations(),
                _ => Vec::new(),
            };
            Err(Fault::Swf(Error::Validation(found.merge(face))))
        }
    }
}

/// A long poll, waiting as `wait` says.
fn poll(
    client: &Client,
    input: PollForActivityTaskInput,
    wait: Wait<'_>,
) -> Result<PollForActivityTaskOutput, Error> {
    match wait {
        Wait::Full => client.poll_for_activity_task(input),
        Wait::No => client.poll_for_activity_task_timeout(input, Duration::ZERO),
        Wait::Cancelable { long_poll, cancel } => match client.now().checked_add(long_poll) {
            Some(d) => client.poll_for_activity_task_cancelable(input, d, cancel),
            None => client.poll_for_activity_task(input),
        },
    }
}

// ----- decision task tokens ----------------------------------------------------

/// The decision task token that names `execution` in `domain` on the wire.
///
/// The engine has no deciders: it hands out no decision tasks, and its
/// [`respond_decision_task_completed`](Client::respond_decision_task_completed)
/// names the execution directly. On the wire, where AWS's
/// `RespondDecisionTaskCompleted` names it by `taskToken`, pass this token,
/// and the request applies its decisions to that execution as the direct
/// call does. It stays valid as long as the execution is open.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::WorkflowExecution;
/// use activity_broker::wire::decision_task_token;
///
/// let token = decision_task_token("shop", &WorkflowExecution::new("order-1", "run-1"));
/// assert!(!token.is_empty());
/// ```
pub fn decision_task_token(domain: &str, execution: &WorkflowExecution) -> String {
    format!(
        "{DECISION_TOKEN}{domain}|{}|{}",
        execution.workflow_id, execution.run_id
    )
}

/// The domain and execution a decision task token names.
fn parse_decision_token(token: &str) -> Option<(String, WorkflowExecution)> {
    let rest = token.strip_prefix(DECISION_TOKEN)?;
    let mut parts = rest.split('|');
    let (domain, workflow_id, run_id) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((
        domain.to_owned(),
        WorkflowExecution::new(workflow_id, run_id),
    ))
}

// ----- requests ------------------------------------------------------------------

fn task_list(o: &Obj<'_>) -> TaskList {
    TaskList::new(o.req_str("name"))
}

fn opt_task_list(o: &Obj<'_>, key: &str) -> Option<TaskList> {
    o.obj(key).map(|t| task_list(&t))
}

fn activity_type(o: &Obj<'_>) -> ActivityType {
    ActivityType::new(o.req_str("name"), o.req_str("version"))
}

fn workflow_type(o: &Obj<'_>) -> WorkflowType {
    WorkflowType::new(o.req_str("name"), o.req_str("version"))
}

fn execution(o: &Obj<'_>) -> WorkflowExecution {
    WorkflowExecution::new(o.req_str("workflowId"), o.req_str("runId"))
}

fn registration_status(o: &Obj<'_>) -> RegistrationStatus {
    match o.req_enumeration("registrationStatus", REGISTRATION_STATUS) {
        Some(1) => RegistrationStatus::Deprecated,
        _ => RegistrationStatus::Registered,
    }
}

fn child_policy(o: &Obj<'_>, key: &str) -> Option<ChildPolicy> {
    o.enumeration(key, CHILD_POLICY)
        .and_then(|i| CHILD_POLICY.get(i))
        .and_then(|s| ChildPolicy::parse(s))
}

pub(crate) fn register_domain(o: &Obj<'_>) -> RegisterDomainInput {
    RegisterDomainInput {
        name: o.req_str("name"),
        description: o.str("description"),
        workflow_execution_retention_period_in_days: o
            .req_str("workflowExecutionRetentionPeriodInDays"),
        tags: o
            .objs("tags")
            .iter()
            .map(|t| ResourceTag {
                key: t.req_str("key"),
                value: t.str("value"),
            })
            .collect(),
    }
}

pub(crate) fn deprecate_domain(o: &Obj<'_>) -> DeprecateDomainInput {
    DeprecateDomainInput {
        name: o.req_str("name"),
    }
}

pub(crate) fn undeprecate_domain(o: &Obj<'_>) -> UndeprecateDomainInput {
    UndeprecateDomainInput {
        name: o.req_str("name"),
    }
}

pub(crate) fn describe_domain(o: &Obj<'_>) -> DescribeDomainInput {
    DescribeDomainInput {
        name: o.req_str("name"),
    }
}

pub(crate) fn list_domains(o: &Obj<'_>) -> ListDomainsInput {
    ListDomainsInput {
        next_page_token: o.str("nextPageToken"),
        registration_status: registration_status(o),
        maximum_page_size: o.i32("maximumPageSize"),
        reverse_order: o.bool("reverseOrder").unwrap_or(false),
    }
}

pub(crate) fn register_activity_type(o: &Obj<'_>) -> RegisterActivityTypeInput {
    RegisterActivityTypeInput {
        domain: o.req_str("domain"),
        name: o.req_str("name"),
        version: o.req_str("version"),
        description: o.str("description"),
        default_task_start_to_close_timeout: o.str("defaultTaskStartToCloseTimeout"),
        default_task_heartbeat_timeout: o.str("defaultTaskHeartbeatTimeout"),
        default_task_list: opt_task_list(o, "defaultTaskList"),
        default_task_priority: o.str("defaultTaskPriority"),
        default_task_schedule_to_start_timeout: o.str("defaultTaskScheduleToStartTimeout"),
        default_task_schedule_to_close_timeout: o.str("defaultTaskScheduleToCloseTimeout"),
    }
}

pub(crate) fn activity_type_input(o: &Obj<'_>) -> ActivityTypeInput {
    ActivityTypeInput {
        domain: o.req_str("domain"),
        activity_type: activity_type(&o.req_obj("activityType")),
    }
}

pub(crate) fn list_activity_types(o: &Obj<'_>) -> ListActivityTypesInput {
    ListActivityTypesInput {
        domain: o.req_str("domain"),
        name: o.str("name"),
        registration_status: registration_status(o),
        next_page_token: o.str("nextPageToken"),
        maximum_page_size: o.i32("maximumPageSize"),
        reverse_order: o.bool("reverseOrder").unwrap_or(false),
    }
}

pub(crate) fn register_workflow_type(o: &Obj<'_>) -> RegisterWorkflowTypeInput {
    RegisterWorkflowTypeInput {
        domain: o.req_str("domain"),
        name: o.req_str("name"),
        version: o.req_str("version"),
        description: o.str("description"),
        default_task_start_to_close_timeout: o.str("defaultTaskStartToCloseTimeout"),
        default_execution_start_to_close_timeout: o.str("defaultExecutionStartToCloseTimeout"),
        default_task_list: opt_task_list(o, "defaultTaskList"),
        default_task_priority: o.str("defaultTaskPriority"),
        default_child_policy: child_policy(o, "defaultChildPolicy"),
        default_lambda_role: o.str("defaultLambdaRole"),
    }
}

pub(crate) fn workflow_type_input(o: &Obj<'_>) -> WorkflowTypeInput {
    WorkflowTypeInput {
        domain: o.req_str("domain"),
        workflow_type: workflow_type(&o.req_obj("workflowType")),
    }
}

pub(crate) fn start_workflow_execution(o: &Obj<'_>) -> StartWorkflowExecutionInput {
    StartWorkflowExecutionInput {
        domain: o.req_str("domain"),
        workflow_id: o.req_str("workflowId"),
        workflow_type: workflow_type(&o.req_obj("workflowType")),
        task_list: opt_task_list(o, "taskList"),
        task_priority: o.str("taskPriority"),
        input: o.str("input"),
        execution_start_to_close_timeout: o.str("executionStartToCloseTimeout"),
        tag_list: o.strs("tagList"),
        task_start_to_close_timeout: o.str("taskStartToCloseTimeout"),
        child_policy: child_policy(o, "childPolicy"),
        lambda_role: o.str("lambdaRole"),
    }
}

pub(crate) fn describe_workflow_execution(o: &Obj<'_>) -> DescribeWorkflowExecutionInput {
    DescribeWorkflowExecutionInput {
        domain: o.req_str("domain"),
        execution: execution(&o.req_obj("execution")),
    }
}

pub(crate) fn terminate_workflow_execution(o: &Obj<'_>) -> TerminateWorkflowExecutionInput {
    TerminateWorkflowExecutionInput {
        domain: o.req_str("domain"),
        workflow_id: o.req_str("workflowId"),
        run_id: o.str("runId"),
        reason: o.str("reason"),
        details: o.str("details"),
        child_policy: child_policy(o, "childPolicy"),
    }
}

pub(crate) fn get_workflow_execution_history(o: &Obj<'_>) -> GetWorkflowExecutionHistoryInput {
    GetWorkflowExecutionHistoryInput {
        domain: o.req_str("domain"),
        execution: execution(&o.req_obj("execution")),
        next_page_token: o.str("nextPageToken"),
        maximum_page_size: o.i32("maximumPageSize"),
        reverse_order: o.bool("reverseOrder").unwrap_or(false),
    }
}

fn decision(o: &Obj<'_>) -> Decision {
    match o.req_enumeration("decisionType", DECISION_TYPE) {
        // Reported by the body's reading. The placeholder keeps the later
        // decisions' numbers in the face's member paths.
        None => Decision::RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes {
            activity_id: ABSENT.to_owned(),
        }),
        Some(0) => {
            let a = o.req_obj("scheduleActivityTaskDecisionAttributes");
            Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
                activity_type: activity_type(&a.req_obj("activityType")),
                activity_id: a.req_str("activityId"),
                control: a.str("control"),
                input: a.str("input"),
                schedule_to_close_timeout: a.str("scheduleToCloseTimeout"),
                task_list: opt_task_list(&a, "taskList"),
                task_priority: a.str("taskPriority"),
                schedule_to_start_timeout: a.str("scheduleToStartTimeout"),
                start_to_close_timeout: a.str("startToCloseTimeout"),
                heartbeat_timeout: a.str("heartbeatTimeout"),
            })
        }
        Some(_) => {
            let a = o.req_obj("requestCancelActivityTaskDecisionAttributes");
            Decision::RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes {
                activity_id: a.req_str("activityId"),
            })
        }
    }
}

/// `RespondDecisionTaskCompleted`: the input, or `UnknownResourceFault`
/// for a task token that is not a [`decision_task_token`].
/// The input named by a body's decision task token, and whether the token
/// is settled: it names an execution, or the body's reading refuses it
/// already (absent, empty, over-long). An unsettled token still yields an
/// input (on placeholder names), so that the body's members are judged
/// first: the call fails with `UnknownResourceFault` only if they are
/// well formed, as the direct call does for an unknown execution.
pub(crate) fn respond_decision_task_completed(
    o: &Obj<'_>,
) -> (RespondDecisionTaskCompletedInput, bool) {
    let token = o.req_str_within("taskToken", 1, 1024);
    let decisions = o.objs("decisions").iter().map(decision).collect();
    let execution_context = o.str("executionContext");
    let task_list = opt_task_list(o, "taskList");
    let task_list_schedule_to_start_timeout = o.str("taskListScheduleToStartTimeout");
    // An absent, empty or over-long token is reported by the body's
    // reading; any other that names nothing, after the members.
    let named = parse_decision_token(&token);
    let settled = named.is_some() || token.is_empty() || token.chars().count() > 1024;
    let (domain, execution) =
        named.unwrap_or_else(|| (ABSENT.to_owned(), WorkflowExecution::new(ABSENT, ABSENT)));
    let input = RespondDecisionTaskCompletedInput {
        domain,
        execution,
        decisions,
        execution_context,
        task_list,
        task_list_schedule_to_start_timeout,
    };
    (input, settled)
}

/// `RespondDecisionTaskCompleted` on the wire: the members are judged
/// before the token ([`respond_decision_task_completed`]).
fn decide(
    client: &Client,
    (input, settled): (RespondDecisionTaskCompletedInput, bool),
) -> Result<Value, Error> {
    if settled {
        return client.respond_decision_task_completed(input).map(empty);
    }
    // The validation-only client always fails; with no violation, the
    // members are fine.
    match client.validator().respond_decision_task_completed(input) {
        Err(Error::Validation(v)) if !v.violations().is_empty() => Err(Error::Validation(v)),
        _ => Err(unknown_decision_token()),
    }
}

/// The fault of a decision task token that names no execution.
pub(crate) fn unknown_decision_token() -> Error {
    Error::UnknownResourceFault("unknown decision task token".to_owned())
}

pub(crate) fn poll_for_activity_task(o: &Obj<'_>) -> PollForActivityTaskInput {
    PollForActivityTaskInput {
        domain: o.req_str("domain"),
        task_list: task_list(&o.req_obj("taskList")),
        identity: o.str("identity"),
    }
}

pub(crate) fn record_activity_task_heartbeat(o: &Obj<'_>) -> RecordActivityTaskHeartbeatInput {
    RecordActivityTaskHeartbeatInput {
        task_token: o.req_str("taskToken"),
        details: o.str("details"),
    }
}

pub(crate) fn respond_activity_task_completed(o: &Obj<'_>) -> RespondActivityTaskCompletedInput {
    RespondActivityTaskCompletedInput {
        task_token: o.req_str("taskToken"),
        result: o.str("result"),
    }
}

pub(crate) fn respond_activity_task_failed(o: &Obj<'_>) -> RespondActivityTaskFailedInput {
    RespondActivityTaskFailedInput {
        task_token: o.req_str("taskToken"),
        reason: o.str("reason"),
        details: o.str("details"),
    }
}

pub(crate) fn respond_activity_task_canceled(o: &Obj<'_>) -> RespondActivityTaskCanceledInput {
    RespondActivityTaskCanceledInput {
        task_token: o.req_str("taskToken"),
        details: o.str("details"),
    }
}

pub(crate) fn count_pending_activity_tasks(o: &Obj<'_>) -> CountPendingActivityTasksInput {
    CountPendingActivityTasksInput {
        domain: o.req_str("domain"),
        task_list: task_list(&o.req_obj("taskList")),
    }
}

// ----- responses -----------------------------------------------------------------

fn task_list_out(t: &TaskList) -> Out {
    Out::new().put("name", t.name.as_str())
}

fn activity_type_out(t: &ActivityType) -> Out {
    Out::new()
        .put("name", t.name.as_str())
        .put("version", t.version.as_str())
}

fn workflow_type_out(t: &WorkflowType) -> Out {
    Out::new()
        .put("name", t.name.as_str())
        .put("version", t.version.as_str())
}

fn execution_out(e: &WorkflowExecution) -> Out {
    Out::new()
        .put("workflowId", e.workflow_id.as_str())
        .put("runId", e.run_id.as_str())
}

fn domain_info(d: &DomainInfo) -> Out {
    Out::new()
        .put("name", d.name.as_str())
        .put("status", d.status.as_str())
        .opt("description", d.description.as_deref())
        .put("arn", d.arn.as_str())
}

pub(crate) fn describe_domain_output(o: &DescribeDomainOutput) -> Value {
    Out::new()
        .put("domainInfo", domain_info(&o.domain_info))
        .put(
            "configuration",
            Out::new().put(
                "workflowExecutionRetentionPeriodInDays",
                o.configuration
                    .workflow_execution_retention_period_in_days
                    .as_str(),
            ),
        )
        .into()
}

pub(crate) fn list_domains_output(o: &ListDomainsOutput) -> Value {
    Out::new()
        .put(
            "domainInfos",
            o.domain_infos.iter().map(domain_info).collect::<Vec<_>>(),
        )
        .opt("nextPageToken", o.next_page_token.as_deref())
        .into()
}

fn activity_type_info(t: &ActivityTypeInfo) -> Out {
    Out::new()
        .put("activityType", activity_type_out(&t.activity_type))
        .put("status", t.status.as_str())
        .opt("description", t.description.as_deref())
        .put("creationDate", timestamp(t.creation_date))
        .opt("deprecationDate", t.deprecation_date.map(timestamp))
}

fn activity_type_configuration(c: &ActivityTypeConfiguration) -> Out {
    Out::new()
        .opt(
            "defaultTaskStartToCloseTimeout",
            c.default_task_start_to_close_timeout.as_deref(),
        )
        .opt(
            "defaultTaskHeartbeatTimeout",
            c.default_task_heartbeat_timeout.as_deref(),
        )
        .opt(
            "defaultTaskList",
            c.default_task_list.as_ref().map(task_list_out),
        )
        .opt("defaultTaskPriority", c.default_task_priority.as_deref())
        .opt(
            "defaultTaskScheduleToStartTimeout",
            c.default_task_schedule_to_start_timeout.as_deref(),
        )
        .opt(
            "defaultTaskScheduleToCloseTimeout",
            c.default_task_schedule_to_close_timeout.as_deref(),
        )
}

pub(crate) fn describe_activity_type_output(o: &DescribeActivityTypeOutput) -> Value {
    Out::new()
        .put("typeInfo", activity_type_info(&o.type_info))
        .put(
            "configuration",
            activity_type_configuration(&o.configuration),
        )
        .into()
}

pub(crate) fn list_activity_types_output(o: &ListActivityTypesOutput) -> Value {
    Out::new()
        .put(
            "typeInfos",
            o.type_infos
                .iter()
                .map(activity_type_info)
                .collect::<Vec<_>>(),
        )
        .opt("nextPageToken", o.next_page_token.as_deref())
        .into()
}

fn workflow_type_info(t: &WorkflowTypeInfo) -> Out {
    Out::new()
        .put("workflowType", workflow_type_out(&t.workflow_type))
        .put("status", t.status.as_str())
        .opt("description", t.description.as_deref())
        .put("creationDate", timestamp(t.creation_date))
        .opt("deprecationDate", t.deprecation_date.map(timestamp))
}

fn workflow_type_configuration(c: &WorkflowTypeConfiguration) -> Out {
    Out::new()
        .opt(
            "defaultTaskStartToCloseTimeout",
            c.default_task_start_to_close_timeout.as_deref(),
        )
        .opt(
            "defaultExecutionStartToCloseTimeout",
            c.default_execution_start_to_close_timeout.as_deref(),
        )
        .opt(
            "defaultTaskList",
            c.default_task_list.as_ref().map(task_list_out),
        )
        .opt("defaultTaskPriority", c.default_task_priority.as_deref())
        .opt(
            "defaultChildPolicy",
            c.default_child_policy.map(ChildPolicy::as_str),
        )
        .opt("defaultLambdaRole", c.default_lambda_role.as_deref())
}

pub(crate) fn describe_workflow_type_output(o: &DescribeWorkflowTypeOutput) -> Value {
    Out::new()
        .put("typeInfo", workflow_type_info(&o.type_info))
        .put(
            "configuration",
            workflow_type_configuration(&o.configuration),
        )
        .into()
}

pub(crate) fn start_workflow_execution_output(o: &StartWorkflowExecutionOutput) -> Value {
    Out::new().put("runId", o.run_id.as_str()).into()
}

fn execution_status(s: ExecutionStatus) -> &'static str {
    match s {
        ExecutionStatus::Open => "OPEN",
        ExecutionStatus::Closed => "CLOSED",
    }
}

fn close_status(s: CloseStatus) -> &'static str {
    match s {
        CloseStatus::Completed => "COMPLETED",
        CloseStatus::Failed => "FAILED",
        CloseStatus::Terminated => "TERMINATED",
        CloseStatus::TimedOut => "TIMED_OUT",
    }
}

fn execution_info(i: &WorkflowExecutionInfo) -> Out {
    Out::new()
        .put("execution", execution_out(&i.execution))
        .put("workflowType", workflow_type_out(&i.workflow_type))
        .put("startTimestamp", timestamp(i.start_timestamp))
        .opt("closeTimestamp", i.close_timestamp.map(timestamp))
        .put("executionStatus", execution_status(i.execution_status))
        .opt("closeStatus", i.close_status.map(close_status))
        .list("tagList", i.tag_list.clone())
}

pub(crate) fn describe_workflow_execution_output(o: &DescribeWorkflowExecutionOutput) -> Value {
    let c = &o.open_counts;
    Out::new()
        .put("executionInfo", execution_info(&o.execution_info))
        .put(
            "openCounts",
            Out::new()
                .put("openActivityTasks", c.open_activity_tasks)
                .put("openDecisionTasks", c.open_decision_tasks)
                .put("openTimers", c.open_timers)
                .put(
                    "openChildWorkflowExecutions",
                    c.open_child_workflow_executions,
                )
                .put("openLambdaFunctions", c.open_lambda_functions),
        )
        .into()
}

pub(crate) fn history_output(o: &GetWorkflowExecutionHistoryOutput) -> Value {
    Out::new()
        .put("events", o.events.iter().map(event).collect::<Vec<_>>())
        .opt("nextPageToken", o.next_page_token.as_deref())
        .into()
}

/// `PollForActivityTask`'s `ActivityTask`. The empty result is
/// `{"startedEventId": 0}`: the token is left out, not sent as `""` (see
/// the [module docs](super)).
pub(crate) fn poll_output(o: &PollForActivityTaskOutput) -> Value {
    if o.is_empty() {
        return Out::new().put("startedEventId", 0).into();
    }
    Out::new()
        .put("taskToken", o.task_token.as_str())
        .put("activityId", o.activity_id.as_str())
        .put("startedEventId", event_id(o.started_event_id))
        .put("workflowExecution", execution_out(&o.workflow_execution))
        .put("activityType", activity_type_out(&o.activity_type))
        .opt("input", o.input.as_deref())
        .into()
}

pub(crate) fn heartbeat_output(o: &RecordActivityTaskHeartbeatOutput) -> Value {
    Out::new().put("cancelRequested", o.cancel_requested).into()
}

pub(crate) fn count_output(o: &CountPendingActivityTasksOutput) -> Value {
    Out::new()
        .put("count", o.count)
        .put("truncated", o.truncated)
        .into()
}

/// `{"__type": "com.amazonaws.swf.base.model#<Fault>", "message": ...}`.
pub(crate) fn error(e: &Error) -> Value {
    Out::new()
        .put("__type", e.wire_type())
        .put("message", e.message())
        .into()
}

// ----- history events ------------------------------------------------------------

/// One `HistoryEvent`: `eventTimestamp`, `eventType`, `eventId` and the
/// `<eventType>EventAttributes` member (event type with a lowercase first
/// letter).
pub(crate) fn event(e: &HistoryEvent) -> Value {
    let name = e.event_type.as_str();
    let mut key = String::with_capacity(name.len() + 15);
    let mut chars = name.chars();
    if let Some(first) = chars.next() {
        key.extend(first.to_lowercase());
    }
    key.push_str(chars.as_str());
    key.push_str("EventAttributes");
    Out::new()
        .put("eventTimestamp", timestamp(e.event_timestamp))
        .put("eventType", name)
        .put("eventId", event_id(e.event_id))
        .put(&key, attributes(&e.attributes))
        .into()
}

fn workflow_started(a: &WorkflowExecutionStartedEventAttributes) -> Out {
    Out::new()
        .opt("input", a.input.as_deref())
        .opt(
            "executionStartToCloseTimeout",
            a.execution_start_to_close_timeout.as_deref(),
        )
        .opt(
            "taskStartToCloseTimeout",
            a.task_start_to_close_timeout.as_deref(),
        )
        .put("childPolicy", a.child_policy.as_str())
        .put("taskList", task_list_out(&a.task_list))
        .opt("taskPriority", a.task_priority.as_deref())
        .put("workflowType", workflow_type_out(&a.workflow_type))
        .list("tagList", a.tag_list.clone())
        .opt("lambdaRole", a.lambda_role.as_deref())
}

fn activity_scheduled(a: &ActivityTaskScheduledEventAttributes) -> Out {
    Out::new()
        .put("activityType", activity_type_out(&a.activity_type))
        .put("activityId", a.activity_id.as_str())
        .opt("input", a.input.as_deref())
        .opt("control", a.control.as_deref())
        .opt(
            "scheduleToStartTimeout",
            a.schedule_to_start_timeout.as_deref(),
        )
        .opt(
            "scheduleToCloseTimeout",
            a.schedule_to_close_timeout.as_deref(),
        )
        .opt("startToCloseTimeout", a.start_to_close_timeout.as_deref())
        .put("taskList", task_list_out(&a.task_list))
        .opt("taskPriority", a.task_priority.as_deref())
        .put(
            "decisionTaskCompletedEventId",
            event_id(a.decision_task_completed_event_id),
        )
        .opt("heartbeatTimeout", a.heartbeat_timeout.as_deref())
}

fn attributes(a: &EventAttributes) -> Out {
    match a {
        EventAttributes::WorkflowExecutionStarted(a) => workflow_started(a),
        EventAttributes::WorkflowExecutionCompleted {
            result,
            decision_task_completed_event_id,
        } => Out::new().opt("result", result.as_deref()).put(
            "decisionTaskCompletedEventId",
            event_id(*decision_task_completed_event_id),
        ),
        EventAttributes::WorkflowExecutionFailed {
            reason,
            details,
            decision_task_completed_event_id,
        } => Out::new()
            .opt("reason", reason.as_deref())
            .opt("details", details.as_deref())
            .put(
                "decisionTaskCompletedEventId",
                event_id(*decision_task_completed_event_id),
            ),
        EventAttributes::WorkflowExecutionTimedOut {
            timeout_type,
            child_policy,
        } => Out::new()
            .put("timeoutType", *timeout_type)
            .put("childPolicy", child_policy.as_str()),
        EventAttributes::WorkflowExecutionTerminated {
            reason,
            details,
            child_policy,
            cause,
        } => Out::new()
            .opt("reason", reason.as_deref())
            .opt("details", details.as_deref())
            .put("childPolicy", child_policy.as_str())
            .opt("cause", *cause),
        EventAttributes::DecisionTaskScheduled {
            task_list,
            task_priority,
            start_to_close_timeout,
            schedule_to_start_timeout,
        } => Out::new()
            .put("taskList", task_list_out(task_list))
            .opt("taskPriority", task_priority.as_deref())
            .opt("startToCloseTimeout", start_to_close_timeout.as_deref())
            .opt(
                "scheduleToStartTimeout",
                schedule_to_start_timeout.as_deref(),
            ),
        EventAttributes::DecisionTaskStarted {
            identity,
            scheduled_event_id,
        }
        | EventAttributes::ActivityTaskStarted {
            identity,
            scheduled_event_id,
        } => Out::new()
            .opt("identity", identity.as_deref())
            .put("scheduledEventId", event_id(*scheduled_event_id)),
        EventAttributes::DecisionTaskCompleted {
            execution_context,
            scheduled_event_id,
            started_event_id,
        } => Out::new()
            .opt("executionContext", execution_context.as_deref())
            .put("scheduledEventId", event_id(*scheduled_event_id))
            .put("startedEventId", event_id(*started_event_id)),
        EventAttributes::ActivityTaskScheduled(a) => activity_scheduled(a),
        EventAttributes::ScheduleActivityTaskFailed {
            activity_type,
            activity_id,
            cause,
            decision_task_completed_event_id,
        } => Out::new()
            .put("activityType", activity_type_out(activity_type))
            .put("activityId", activity_id.as_str())
            .put("cause", *cause)
            .put(
                "decisionTaskCompletedEventId",
                event_id(*decision_task_completed_event_id),
            ),
        EventAttributes::ActivityTaskCompleted {
            result,
            scheduled_event_id,
            started_event_id,
        } => Out::new()
            .opt("result", result.as_deref())
            .put("scheduledEventId", event_id(*scheduled_event_id))
            .put("startedEventId", event_id(*started_event_id)),
        EventAttributes::ActivityTaskFailed {
            reason,
            details,
            scheduled_event_id,
            started_event_id,
        } => Out::new()
            .opt("reason", reason.as_deref())
            .opt("details", details.as_deref())
            .put("scheduledEventId", event_id(*scheduled_event_id))
            .put("startedEventId", event_id(*started_event_id)),
        EventAttributes::ActivityTaskTimedOut {
            timeout_type,
            scheduled_event_id,
            started_event_id,
            details,
        } => Out::new()
            .put("timeoutType", *timeout_type)
            .put("scheduledEventId", event_id(*scheduled_event_id))
            .put("startedEventId", event_id(*started_event_id))
            .opt("details", details.as_deref()),
        EventAttributes::ActivityTaskCanceled {
            details,
            scheduled_event_id,
            started_event_id,
            latest_cancel_requested_event_id,
        } => Out::new()
            .opt("details", details.as_deref())
            .put("scheduledEventId", event_id(*scheduled_event_id))
            .put("startedEventId", event_id(*started_event_id))
            .opt(
                "latestCancelRequestedEventId",
                latest_cancel_requested_event_id.map(event_id),
            ),
        EventAttributes::ActivityTaskCancelRequested {
            decision_task_completed_event_id,
            activity_id,
        } => Out::new()
            .put(
                "decisionTaskCompletedEventId",
                event_id(*decision_task_completed_event_id),
            )
            .put("activityId", activity_id.as_str()),
        EventAttributes::RequestCancelActivityTaskFailed {
            activity_id,
            cause,
            decision_task_completed_event_id,
        } => Out::new()
            .put("activityId", activity_id.as_str())
            .put("cause", *cause)
            .put(
                "decisionTaskCompletedEventId",
                event_id(*decision_task_completed_event_id),
            ),
    }
}
