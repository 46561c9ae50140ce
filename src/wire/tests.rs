//! The JSON shapes of representative requests, responses, events and
//! errors, byte for byte where the engine fixes every value.

use serde_json::{Value, json};

use super::{Dispatcher, decision_task_token};
use crate::{Broker, ManualClock, PollCancel};

fn engine() -> (Broker, Dispatcher) {
    let broker = Broker::builder()
        .clock(ManualClock::new())
        .seed(3)
        .build()
        .unwrap();
    let wire = Dispatcher::new(&broker);
    (broker, wire)
}

/// Dispatches `body` to `target`; the status and the parsed body.
fn call(wire: &Dispatcher, target: &str, body: Value) -> (u16, Value) {
    let reply = wire.dispatch(target, body.to_string().as_bytes());
    let v = serde_json::from_slice(reply.body()).unwrap();
    (reply.status(), v)
}

fn swf(wire: &Dispatcher, op: &str, body: Value) -> (u16, Value) {
    call(wire, &format!("SimpleWorkflowService.{op}"), body)
}

fn sfn(wire: &Dispatcher, op: &str, body: Value) -> (u16, Value) {
    call(wire, &format!("AWSStepFunctions.{op}"), body)
}

fn ok(r: (u16, Value)) -> Value {
    assert_eq!(r.0, 200, "{}", r.1);
    r.1
}

/// A domain, a type `ship` on `shipping`, and a started execution with one
/// activity scheduled; returns the run id.
fn swf_setup(wire: &Dispatcher) -> String {
    ok(swf(
        wire,
        "RegisterDomain",
        json!({"name": "shop", "workflowExecutionRetentionPeriodInDays": "1"}),
    ));
    ok(swf(
        wire,
        "RegisterActivityType",
        json!({
            "domain": "shop", "name": "ship", "version": "1",
            "defaultTaskList": {"name": "shipping"},
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "300",
            "defaultTaskHeartbeatTimeout": "NONE",
            "defaultTaskPriority": "-5",
        }),
    ));
    ok(swf(
        wire,
        "RegisterWorkflowType",
        json!({
            "domain": "shop", "name": "order", "version": "1",
            "defaultTaskList": {"name": "deciders"},
            "defaultExecutionStartToCloseTimeout": "3600",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        }),
    ));
    let run = ok(swf(
        wire,
        "StartWorkflowExecution",
        json!({"domain": "shop", "workflowId": "order-1",
               "workflowType": {"name": "order", "version": "1"}}),
    ));
    let run_id = run["runId"].as_str().unwrap().to_owned();
    let token = decision_task_token(
        "shop",
        &crate::swf::WorkflowExecution::new("order-1", &run_id),
    );
    let done = ok(swf(
        wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": token, "decisions": [{
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "ship", "version": "1"},
                "activityId": "ship-1", "input": "parcel 7", "control": "c",
            },
        }]}),
    ));
    assert_eq!(done, json!({}));
    run_id
}

#[test]
fn swf_poll_task_and_empty_poll() {
    let (_broker, wire) = engine();
    let run_id = swf_setup(&wire);
    let task = ok(swf(
        &wire,
        "PollForActivityTask",
        json!({"domain": "shop", "taskList": {"name": "shipping"}, "identity": "w1"}),
    ));
    let token = task["taskToken"].as_str().unwrap();
    assert_eq!(token.len(), 36);
    assert_eq!(
        task,
        json!({
            "taskToken": token,
            "activityId": "ship-1",
            "startedEventId": 6,
            "workflowExecution": {"workflowId": "order-1", "runId": run_id},
            "activityType": {"name": "ship", "version": "1"},
            "input": "parcel 7",
        })
    );
    let beat = ok(swf(
        &wire,
        "RecordActivityTaskHeartbeat",
        json!({"taskToken": token}),
    ));
    assert_eq!(beat, json!({"cancelRequested": false}));

    // The empty poll leaves the token out.
    let cancel = PollCancel::new();
    cancel.cancel();
    let reply = wire.dispatch_cancelable(
        "SimpleWorkflowService.PollForActivityTask",
        br#"{"domain": "shop", "taskList": {"name": "shipping"}}"#,
        &cancel,
    );
    assert_eq!(
        (reply.status(), reply.body()),
        (200, &br#"{"startedEventId":0}"#[..])
    );
    let count = ok(swf(
        &wire,
        "CountPendingActivityTasks",
        json!({"domain": "shop", "taskList": {"name": "shipping"}}),
    ));
    assert_eq!(count, json!({"count": 0, "truncated": false}));
}

#[test]
fn swf_history_events() {
    let (broker, wire) = engine();
    let run_id = swf_setup(&wire);
    let task = ok(swf(
        &wire,
        "PollForActivityTask",
        json!({"domain": "shop", "taskList": {"name": "shipping"}, "identity": "w1"}),
    ));
    ok(swf(
        &wire,
        "RespondActivityTaskFailed",
        json!({"taskToken": task["taskToken"], "reason": "lost"}),
    ));
    let history = ok(swf(
        &wire,
        "GetWorkflowExecutionHistory",
        json!({"domain": "shop", "execution": {"workflowId": "order-1", "runId": run_id},
               "maximumPageSize": 7}),
    ));
    let now = broker
        .clock()
        .now_wall()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let events = history["events"].as_array().unwrap();
    assert_eq!(events.len(), 7);
    assert!(history["nextPageToken"].is_string());
    assert_eq!(
        events[4],
        json!({
            "eventTimestamp": now,
            "eventType": "ActivityTaskScheduled",
            "eventId": 5,
            "activityTaskScheduledEventAttributes": {
                "activityType": {"name": "ship", "version": "1"},
                "activityId": "ship-1",
                "input": "parcel 7",
                "control": "c",
                "scheduleToStartTimeout": "NONE",
                "scheduleToCloseTimeout": "NONE",
                "startToCloseTimeout": "300",
                "heartbeatTimeout": "NONE",
                "taskList": {"name": "shipping"},
                "taskPriority": "-5",
                "decisionTaskCompletedEventId": 4,
            },
        })
    );
    assert_eq!(
        events[5],
        json!({
            "eventTimestamp": now,
            "eventType": "ActivityTaskStarted",
            "eventId": 6,
            "activityTaskStartedEventAttributes": {"identity": "w1", "scheduledEventId": 5},
        })
    );
    assert_eq!(
        events[6]["activityTaskFailedEventAttributes"],
        json!({"reason": "lost", "scheduledEventId": 5, "startedEventId": 6})
    );
    assert_eq!(
        events[0]["workflowExecutionStartedEventAttributes"]["childPolicy"],
        "TERMINATE"
    );

    let described = ok(swf(
        &wire,
        "DescribeActivityType",
        json!({"domain": "shop", "activityType": {"name": "ship", "version": "1"}}),
    ));
    assert_eq!(
        described["typeInfo"],
        json!({
            "activityType": {"name": "ship", "version": "1"},
            "status": "REGISTERED",
            "creationDate": described["typeInfo"]["creationDate"],
        })
    );
    assert!(described["typeInfo"]["creationDate"].is_f64());
    assert_eq!(
        described["configuration"]["defaultTaskList"],
        json!({"name": "shipping"})
    );
}

#[test]
fn swf_decision_task_list_moves_later_decision_tasks() {
    // AWS-API.md A2 RespondDecisionTaskCompleted: `taskList` and
    // `taskListScheduleToStartTimeout` are read, and the next
    // DecisionTaskScheduled carries them.
    let (_broker, wire) = engine();
    let run_id = swf_setup(&wire);
    let execution = crate::swf::WorkflowExecution::new("order-1", &run_id);
    let task = ok(swf(
        &wire,
        "PollForActivityTask",
        json!({"domain": "shop", "taskList": {"name": "shipping"}}),
    ));
    ok(swf(
        &wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": decision_task_token("shop", &execution),
               "taskList": {"name": "urgent"}, "taskListScheduleToStartTimeout": "30"}),
    ));
    ok(swf(
        &wire,
        "RespondActivityTaskCompleted",
        json!({"taskToken": task["taskToken"]}),
    ));
    let history = ok(swf(
        &wire,
        "GetWorkflowExecutionHistory",
        json!({"domain": "shop", "execution": {"workflowId": "order-1", "runId": run_id},
               "reverseOrder": true, "maximumPageSize": 1}),
    ));
    assert_eq!(
        history["events"][0]["decisionTaskScheduledEventAttributes"],
        json!({
            "taskList": {"name": "urgent"},
            "startToCloseTimeout": "60",
            "scheduleToStartTimeout": "30",
        })
    );
    // Checked as the face checks it.
    let (status, body) = swf(
        &wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": decision_task_token("shop", &execution),
               "taskList": {"name": "a:b"}, "taskListScheduleToStartTimeout": "123456789"}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "2 validation errors detected: Value 'a:b' at 'taskList.name' failed to satisfy \
         constraint: Member must not contain ':', '/', '|' or control characters \
         (\\u0000-\\u001f, \\u007f-\\u009f); Value '123456789' at \
         'taskListScheduleToStartTimeout' failed to satisfy constraint: Member must have \
         length less than or equal to 8"
    );
}

#[test]
fn swf_errors() {
    let (_broker, wire) = engine();
    swf_setup(&wire);
    let unknown = swf(
        &wire,
        "PollForActivityTask",
        json!({"domain": "nowhere", "taskList": {"name": "l"}}),
    );
    assert_eq!(
        unknown,
        (
            400,
            json!({
                "__type": "com.amazonaws.swf.base.model#UnknownResourceFault",
                "message": "unknown domain",
            })
        )
    );
    let invalid = swf(
        &wire,
        "PollForActivityTask",
        json!({"domain": "shop", "taskList": {"name": " edged"}}),
    );
    assert_eq!(invalid.0, 400);
    assert_eq!(
        invalid.1["__type"],
        "com.amazon.coral.validate#ValidationException"
    );
    // Absent members and bad enum values are reported together, with AWS's
    // paths into the decision list.
    let (status, body) = swf(
        &wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": "t", "decisions": [
            {"decisionType": "ScheduleActivityTask",
             "scheduleActivityTaskDecisionAttributes": {"activityType": {"name": "ship"}}},
            {"decisionType": "StartTimer"},
        ]}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "3 validation errors detected: \
         Value null at 'decisions.1.member.scheduleActivityTaskDecisionAttributes.activityType.version' \
         failed to satisfy constraint: Member must not be null; \
         Value null at 'decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId' \
         failed to satisfy constraint: Member must not be null; \
         Value 'StartTimer' at 'decisions.2.member.decisionType' failed to satisfy constraint: \
         Member must satisfy enum value set: [ScheduleActivityTask, RequestCancelActivityTask]"
    );
    let bad_token = swf(
        &wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": "t"}),
    );
    assert_eq!(
        bad_token.1["__type"],
        "com.amazonaws.swf.base.model#UnknownResourceFault"
    );
    // A token that names nothing is judged after the members, as the
    // direct call judges an unknown execution after them (AWS-API.md A1:
    // the call fails for an unknown token or a malformed request).
    let (status, body) = swf(
        &wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": "t", "executionContext": "x".repeat(32769)}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "1 validation error detected: Value '{}' at 'executionContext' failed to satisfy \
         constraint: Member must have length less than or equal to 32768"
            .replace("{}", &"x".repeat(32769))
    );
    let (status, body) = swf(
        &wire,
        "RespondDecisionTaskCompleted",
        json!({"taskToken": "t", "decisions": [
            {"decisionType": "RequestCancelActivityTask",
             "requestCancelActivityTaskDecisionAttributes": {"activityId": "a"}},
        ]}),
    );
    assert_eq!(
        (status, &body["__type"]),
        (
            400,
            &json!("com.amazonaws.swf.base.model#UnknownResourceFault")
        )
    );
    let wrong_type = swf(&wire, "DescribeDomain", json!({"name": 7}));
    assert_eq!(
        (wrong_type.0, &wrong_type.1["__type"]),
        (
            400,
            &json!("com.amazon.coral.service#SerializationException")
        )
    );
    let reply = wire.dispatch("SimpleWorkflowService.DescribeDomain", b"{not json");
    assert_eq!(reply.status(), 400);
    assert!(String::from_utf8_lossy(reply.body()).contains("SerializationException"));
    let unknown_op = swf(&wire, "PollForDecisionTask", json!({}));
    assert_eq!(
        unknown_op,
        (
            400,
            json!({
                "__type": "com.amazon.coral.service#UnknownOperationException",
                "message": "unknown operation: SimpleWorkflowService.PollForDecisionTask",
            })
        )
    );
    let elsewhere = call(&wire, "DynamoDB_20120810.GetItem", json!({}));
    assert_eq!(elsewhere.1["__type"], "UnknownOperationException");
}

/// The member paths and message of a `ValidationException` reply.
fn violations(r: (u16, Value), kind: &str) -> (Vec<String>, String) {
    assert_eq!((r.0, r.1["__type"].as_str()), (400, Some(kind)), "{}", r.1);
    let message = r.1["message"].as_str().unwrap().to_owned();
    // Each violation names its member once, as `at '<path>'`.
    let paths = message
        .split(" at '")
        .skip(1)
        .map(|rest| rest.split('\'').next().unwrap().to_owned())
        .collect();
    (paths, message)
}

const SWF_VALIDATION: &str = "com.amazon.coral.validate#ValidationException";

#[test]
fn swf_absent_members_are_reported_with_the_faces_violations() {
    // AWS-API.md A0.2: one ValidationException lists every violation,
    // "N validation errors detected: <msg>; <msg>", in member order.
    let (broker, wire) = engine();
    let (paths, message) = violations(
        swf(
            &wire,
            "RegisterDomain",
            json!({"workflowExecutionRetentionPeriodInDays": "123456789",
                   "description": "d".repeat(1025)}),
        ),
        SWF_VALIDATION,
    );
    assert_eq!(
        paths,
        [
            "name",
            "description",
            "workflowExecutionRetentionPeriodInDays"
        ]
    );
    assert!(
        message.starts_with(
            "3 validation errors detected: Value null at 'name' failed to satisfy \
             constraint: Member must not be null; Value 'ddd"
        ),
        "{message}"
    );
    assert!(message.ends_with(
        "Value '123456789' at 'workflowExecutionRetentionPeriodInDays' failed to satisfy \
         constraint: Member must have length less than or equal to 8"
    ));
    // Refused whole: nothing was registered.
    assert!(
        broker
            .swf()
            .list_domains(crate::swf::ListDomainsInput::default())
            .unwrap()
            .domain_infos
            .is_empty()
    );

    // An absent structure is reported once: the face's `taskList.name`
    // would only restate it.
    let (paths, _) = violations(
        swf(
            &wire,
            "PollForActivityTask",
            json!({"domain": "d".repeat(257), "identity": "i".repeat(257)}),
        ),
        SWF_VALIDATION,
    );
    assert_eq!(paths, ["domain", "taskList", "identity"]);

    // Decisions keep their numbers past one the body could not read, and
    // the decision task token, which only the wire carries, is checked
    // here: no path of the engine's own members (`domain`, `execution`).
    let (paths, message) = violations(
        swf(
            &wire,
            "RespondDecisionTaskCompleted",
            json!({
                "decisions": [
                    {"scheduleActivityTaskDecisionAttributes": {}},
                    {"decisionType": "ScheduleActivityTask",
                     "scheduleActivityTaskDecisionAttributes": {
                         "activityType": {"name": "ship"}, "activityId": "a:b"}},
                ],
                "executionContext": "c".repeat(32769),
                "taskList": {},
                "taskListScheduleToStartTimeout": "soon",
            }),
        ),
        SWF_VALIDATION,
    );
    let p =
        |rest: &str| format!("decisions.2.member.scheduleActivityTaskDecisionAttributes.{rest}");
    assert_eq!(
        paths,
        [
            "taskToken".to_owned(),
            "decisions.1.member.decisionType".to_owned(),
            p("activityType.version"),
            p("activityId"),
            "executionContext".to_owned(),
            "taskList.name".to_owned(),
            "taskListScheduleToStartTimeout".to_owned(),
        ]
    );
    assert!(
        message.starts_with("7 validation errors detected: "),
        "{message}"
    );
    let (paths, message) = violations(
        swf(
            &wire,
            "RespondDecisionTaskCompleted",
            json!({"taskToken": "", "taskList": {"name": " edged"}}),
        ),
        SWF_VALIDATION,
    );
    assert_eq!(paths, ["taskToken", "taskList.name"]);
    assert!(message.starts_with(
        "2 validation errors detected: Value '' at 'taskToken' failed to satisfy constraint: \
         Member must have length greater than or equal to 1; "
    ));

    // A bad enum value goes with the face's violations too.
    let (paths, _) = violations(
        swf(
            &wire,
            "ListDomains",
            json!({"registrationStatus": "GONE", "maximumPageSize": 1001}),
        ),
        SWF_VALIDATION,
    );
    assert_eq!(paths, ["registrationStatus", "maximumPageSize"]);

    // A member of the wrong type refuses the body as a whole, as before.
    let wrong = swf(&wire, "PollForActivityTask", json!({"domain": 5}));
    assert_eq!(
        wrong.1["__type"],
        "com.amazon.coral.service#SerializationException"
    );
}

#[test]
fn sfn_absent_members_are_reported_with_the_faces_validation_only() {
    // AWS-API.md A0.2 for the members' constraints; A4's own faults
    // (InvalidArn, InvalidName) are not constraint violations, and a body
    // refused for an absent member never reaches them.
    let (broker, wire) = engine();
    let (paths, message) = violations(
        sfn(
            &wire,
            "GetActivityTask",
            json!({"workerName": "w".repeat(81)}),
        ),
        "ValidationException",
    );
    assert_eq!(paths, ["activityArn", "workerName"]);
    assert!(message.starts_with("2 validation errors detected: Value null at 'activityArn'"));
    // The activity a state machine runs is derived from its ARN: with the
    // ARN absent, it is not reported as well.
    let (paths, _) = violations(
        sfn(&wire, "StartExecution", json!({"name": "n".repeat(81)})),
        "ValidationException",
    );
    assert_eq!(paths, ["stateMachineArn", "name"]);
    let (paths, _) = violations(
        sfn(&wire, "StartExecution", json!({"name": "bad name"})),
        "ValidationException",
    );
    assert_eq!(paths, ["stateMachineArn"]);
    // With every member present, the face's own faults stand.
    let named = sfn(
        &wire,
        "StartExecution",
        json!({"stateMachineArn": broker.sfn().state_machine_arn("m"), "name": "bad name"}),
    );
    assert_eq!(named.1["__type"], "InvalidName");
    let arn = sfn(
        &wire,
        "DescribeActivity",
        json!({"activityArn": "arn:nope"}),
    );
    assert_eq!(arn.1["__type"], "InvalidArn");
    let (paths, _) = violations(
        sfn(
            &wire,
            "CreateActivity",
            json!({"encryptionConfiguration": {"kmsKeyId": "k"}}),
        ),
        "ValidationException",
    );
    assert_eq!(paths, ["name", "encryptionConfiguration.type"]);
}

#[test]
fn validation_only_clients_check_and_change_nothing() {
    let (broker, wire) = engine();
    let run_id = swf_setup(&wire);
    let swf = broker.swf().validator();
    let refused = |r: Result<_, crate::swf::Error>| match r {
        Err(crate::swf::Error::Validation(v)) => v.violations().len(),
        other => panic!("{other:?}"),
    };
    // Valid inputs: an empty verdict, and nothing done.
    let domain = crate::swf::RegisterDomainInput {
        name: "other".into(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    };
    assert_eq!(refused(swf.register_domain(domain).map(drop)), 0);
    let poll = crate::swf::PollForActivityTaskInput {
        domain: "shop".into(),
        task_list: crate::swf::TaskList::new("shipping"),
        identity: None,
    };
    assert_eq!(
        refused(
            swf.poll_for_activity_task_timeout(poll, std::time::Duration::ZERO)
                .map(drop)
        ),
        0
    );
    let execution = crate::swf::WorkflowExecution::new("order-1", &run_id);
    let decide = crate::swf::RespondDecisionTaskCompletedInput {
        domain: "shop".into(),
        execution: execution.clone(),
        task_list: Some(crate::swf::TaskList::new("elsewhere")),
        ..Default::default()
    };
    assert_eq!(
        refused(swf.respond_decision_task_completed(decide).map(drop)),
        0
    );
    let real = broker.swf();
    let count = real
        .count_pending_activity_tasks(crate::swf::CountPendingActivityTasksInput {
            domain: "shop".into(),
            task_list: crate::swf::TaskList::new("shipping"),
        })
        .unwrap();
    assert_eq!(count.count, 1, "the queued task is still queued");
    assert!(
        real.describe_domain(crate::swf::DescribeDomainInput {
            name: "other".into()
        })
        .is_err()
    );
    let history = real
        .get_workflow_execution_history(crate::swf::GetWorkflowExecutionHistoryInput {
            domain: "shop".into(),
            execution,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(history.events.len(), 5);
    // A bad input: its violations.
    let bad = crate::swf::RegisterDomainInput::default();
    assert_eq!(refused(swf.register_domain(bad).map(drop)), 2);

    let sfn = broker.sfn().validator();
    let created = sfn.create_activity(crate::sfn::CreateActivityInput {
        name: "a".into(),
        ..Default::default()
    });
    assert!(
        matches!(&created, Err(crate::sfn::Error::Validation(v)) if v.violations().is_empty()),
        "{created:?}"
    );
    assert!(
        broker
            .sfn()
            .list_activities(crate::sfn::ListActivitiesInput::default())
            .unwrap()
            .activities
            .is_empty()
    );
}

#[test]
fn sfn_lifecycle_shapes() {
    let (broker, wire) = engine();
    let created = ok(sfn(&wire, "CreateActivity", json!({"name": "resize"})));
    let arn = broker.sfn().activity_arn("resize");
    assert_eq!(created["activityArn"], arn.as_str());
    assert!(created["creationDate"].is_f64());
    // The engine's own members name the Task state's settings.
    let started = ok(sfn(
        &wire,
        "StartExecution",
        json!({"stateMachineArn": broker.sfn().state_machine_arn("thumbs"), "name": "p7",
               "input": "{}", "activityArn": arn, "timeoutSeconds": 30, "heartbeatSeconds": 10}),
    ));
    let execution = started["executionArn"].as_str().unwrap().to_owned();
    let task = ok(sfn(
        &wire,
        "GetActivityTask",
        json!({"activityArn": arn, "workerName": "w"}),
    ));
    assert_eq!(task["input"], "{}");
    ok(sfn(
        &wire,
        "SendTaskSuccess",
        json!({"taskToken": task["taskToken"], "output": "[1]"}),
    ));
    let history = ok(sfn(
        &wire,
        "GetExecutionHistory",
        json!({"executionArn": execution}),
    ));
    let events = history["events"].as_array().unwrap();
    assert_eq!(
        events[1],
        json!({
            "timestamp": events[1]["timestamp"],
            "type": "ActivityScheduled",
            "id": 2,
            "previousEventId": 1,
            "activityScheduledEventDetails": {
                "resource": arn,
                "input": "{}",
                "inputDetails": {"truncated": false},
                "timeoutInSeconds": 30,
                "heartbeatInSeconds": 10,
            },
        })
    );
    assert_eq!(
        events[2]["activityStartedEventDetails"],
        json!({"workerName": "w"})
    );
    assert_eq!(
        events[3]["activitySucceededEventDetails"],
        json!({"output": "[1]", "outputDetails": {"truncated": false}})
    );
    let described = ok(sfn(
        &wire,
        "DescribeExecution",
        json!({"executionArn": execution}),
    ));
    assert_eq!(described["status"], "SUCCEEDED");
    assert_eq!(described["output"], "[1]");

    // Without `activityArn`, the state machine runs the activity of its
    // name; the empty poll is `{}`.
    let by_name = ok(sfn(
        &wire,
        "StartExecution",
        json!({"stateMachineArn": broker.sfn().state_machine_arn("resize")}),
    ));
    assert!(by_name["executionArn"].is_string());
    assert_eq!(broker.sfn().pending_tasks(&arn), 1);
    // A queued task is answered without waiting; then nothing is queued.
    let poll = format!(r#"{{"activityArn": "{arn}"}}"#);
    let got = wire
        .try_dispatch("AWSStepFunctions.GetActivityTask", poll.as_bytes())
        .unwrap();
    assert_eq!(got.status(), 200);
    assert!(String::from_utf8_lossy(got.body()).contains("taskToken"));
    assert_eq!(
        wire.try_dispatch("AWSStepFunctions.GetActivityTask", poll.as_bytes()),
        None
    );
    let cancel = PollCancel::new();
    cancel.cancel();
    let empty = wire.dispatch_cancelable(
        "AWSStepFunctions.GetActivityTask",
        format!(
            r#"{{"activityArn": "{}"}}"#,
            broker.sfn().activity_arn("idle")
        )
        .as_bytes(),
        &cancel,
    );
    assert_eq!(empty.status(), 400, "idle does not exist");
    ok(sfn(&wire, "CreateActivity", json!({"name": "idle"})));
    let empty = wire.dispatch_cancelable(
        "AWSStepFunctions.GetActivityTask",
        format!(
            r#"{{"activityArn": "{}"}}"#,
            broker.sfn().activity_arn("idle")
        )
        .as_bytes(),
        &cancel,
    );
    assert_eq!((empty.status(), empty.body()), (200, &b"{}"[..]));
}

#[test]
fn sfn_errors() {
    let (broker, wire) = engine();
    let missing = sfn(
        &wire,
        "DescribeActivity",
        json!({"activityArn": broker.sfn().activity_arn("missing")}),
    );
    assert_eq!(missing.0, 400);
    assert_eq!(missing.1["__type"], "ActivityDoesNotExist");
    let tags: Vec<Value> = (0..51)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    let too_many = sfn(
        &wire,
        "CreateActivity",
        json!({"name": "tagged", "tags": tags}),
    );
    assert_eq!(too_many.1["__type"], "TooManyTags");
    assert!(too_many.1["resourceName"].is_string());
    let invalid = sfn(&wire, "SendTaskSuccess", json!({"taskToken": "t"}));
    assert_eq!(
        invalid.1,
        json!({
            "__type": "ValidationException",
            "message": "1 validation error detected: Value null at 'output' failed to satisfy \
                        constraint: Member must not be null",
        })
    );
    let bad_enum = sfn(
        &wire,
        "CreateActivity",
        json!({"name": "e", "encryptionConfiguration": {"type": "ROT13"}}),
    );
    assert_eq!(bad_enum.1["__type"], "ValidationException");
    let wrong_type = sfn(&wire, "ListActivities", json!({"maxResults": "ten"}));
    assert_eq!(wrong_type.1["__type"], "SerializationException");
}

#[test]
fn serde_traits_read_requests_and_write_responses() {
    let input: crate::swf::RespondDecisionTaskCompletedInput = serde_json::from_value(json!({
        "taskToken": decision_task_token("d", &crate::swf::WorkflowExecution::new("w", "r")),
        "decisions": [{"decisionType": "RequestCancelActivityTask",
                       "requestCancelActivityTaskDecisionAttributes": {"activityId": "a"}}],
    }))
    .unwrap();
    assert_eq!(input.domain, "d");
    assert_eq!(input.execution.run_id, "r");
    assert_eq!(input.decisions.len(), 1);
    let missing = serde_json::from_value::<crate::sfn::GetActivityTaskInput>(json!({}));
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("Value null at 'activityArn'")
    );
    let out = crate::sfn::GetActivityTaskOutput::default();
    assert_eq!(serde_json::to_string(&out).unwrap(), "{}");
    let err = crate::swf::Error::TypeDeprecatedFault("deprecated".into());
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        json!({"__type": "com.amazonaws.swf.base.model#TypeDeprecatedFault", "message": "deprecated"})
    );
}

#[test]
fn a_long_poll_is_withdrawn_by_its_cancel() {
    let (broker, wire) = engine();
    ok(sfn(&wire, "CreateActivity", json!({"name": "idle"})));
    let arn = broker.sfn().activity_arn("idle");
    let cancel = PollCancel::new();
    let poller = {
        let (wire, cancel, arn) = (wire.clone(), cancel.clone(), arn.clone());
        std::thread::spawn(move || {
            wire.dispatch_cancelable(
                "AWSStepFunctions.GetActivityTask",
                format!(r#"{{"activityArn": "{arn}"}}"#).as_bytes(),
                &cancel,
            )
        })
    };
    while broker.sfn().waiting_pollers(&arn) == 0 {
        std::thread::yield_now();
    }
    cancel.cancel();
    let reply = poller.join().unwrap();
    // Nothing moved the manual clock: the cancel ended the poll.
    assert_eq!(reply.body(), b"{}");
}

#[test]
fn every_listed_operation_is_served() {
    let (_broker, wire) = engine();
    let targets = super::swf::OPERATIONS
        .iter()
        .map(|op| format!("SimpleWorkflowService.{op}"))
        .chain(
            super::sfn::OPERATIONS
                .iter()
                .map(|op| format!("AWSStepFunctions.{op}")),
        );
    for target in targets {
        // An empty request: refused by validation (or served), never an
        // unknown operation, and never a wait.
        let (_, body) = call(&wire, &target, json!({}));
        assert_ne!(
            body["__type"]
                .as_str()
                .map(|t| t.ends_with("UnknownOperationException")),
            Some(true),
            "{target}: {body}"
        );
    }
}

#[test]
fn dispatchers_are_shared_across_threads() {
    fn shared<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    shared::<Dispatcher>();
    shared::<super::Reply>();
}
