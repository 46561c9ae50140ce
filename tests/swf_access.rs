//! Access control: scoped clients carrying an IAM-style policy.
//!
//! AWS-API.md lists `OperationNotPermittedFault` for every SWF operation
//! ("the caller doesn't have sufficient permissions"), and the decision
//! causes `OPERATION_NOT_PERMITTED` (ScheduleActivityTaskFailedCause,
//! RequestCancelActivityTaskFailedCause, A2). A refused call changes nothing.

use std::time::Duration;

use activity_broker::swf::*;
use activity_broker::{Broker, EventId, ManualClock};

struct World {
    admin: Client,
    execution: WorkflowExecution,
}

fn world() -> World {
    let broker = Broker::builder()
        .clock(ManualClock::new())
        .seed(3)
        .build()
        .unwrap();
    let admin = broker.swf();
    for d in ["shop", "bank"] {
        admin
            .register_domain(RegisterDomainInput {
                name: d.into(),
                workflow_execution_retention_period_in_days: "1".into(),
                ..Default::default()
            })
            .unwrap();
    }
    admin
        .register_activity_type(RegisterActivityTypeInput {
            domain: "shop".into(),
            name: "ship".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("ship-eu")),
            default_task_schedule_to_start_timeout: Some("NONE".into()),
            default_task_schedule_to_close_timeout: Some("NONE".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_task_heartbeat_timeout: Some("NONE".into()),
            ..Default::default()
        })
        .unwrap();
    admin
        .register_workflow_type(RegisterWorkflowTypeInput {
            domain: "shop".into(),
            name: "order".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("deciders")),
            default_execution_start_to_close_timeout: Some("3600".into()),
            default_task_start_to_close_timeout: Some("60".into()),
            default_child_policy: Some(ChildPolicy::Terminate),
            ..Default::default()
        })
        .unwrap();
    let run = admin
        .start_workflow_execution(StartWorkflowExecutionInput {
            domain: "shop".into(),
            workflow_id: "o1".into(),
            workflow_type: WorkflowType::new("order", "1"),
            ..Default::default()
        })
        .unwrap();
    World {
        admin,
        execution: WorkflowExecution::new("o1", run.run_id),
    }
}

fn schedule(c: &Client, e: &WorkflowExecution, id: &str, list: &str) -> Result<(), Error> {
    c.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
        domain: "shop".into(),
        execution: e.clone(),
        decisions: vec![Decision::ScheduleActivityTask(
            ScheduleActivityTaskDecisionAttributes {
                activity_type: ActivityType::new("ship", "1"),
                activity_id: id.into(),
                task_list: Some(TaskList::new(list)),
                ..Default::default()
            },
        )],
        ..Default::default()
    })
    .map(drop)
}

fn poll(c: &Client, domain: &str, list: &str) -> Result<PollForActivityTaskOutput, Error> {
    c.poll_for_activity_task_timeout(
        PollForActivityTaskInput {
            domain: domain.into(),
            task_list: TaskList::new(list),
            identity: Some("w".into()),
        },
        Duration::ZERO,
    )
}

fn history(c: &Client, e: &WorkflowExecution) -> Vec<HistoryEvent> {
    c.get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
        domain: "shop".into(),
        execution: e.clone(),
        ..Default::default()
    })
    .unwrap()
    .events
}

fn pending(c: &Client, list: &str) -> i32 {
    c.count_pending_activity_tasks(CountPendingActivityTasksInput {
        domain: "shop".into(),
        task_list: TaskList::new(list),
    })
    .unwrap()
    .count
}

fn not_permitted<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::OperationNotPermittedFault(m)) => m,
        other => panic!("expected OperationNotPermittedFault, got {other:?}"),
    }
}

#[test]
fn the_empty_policy_denies_everything_and_changes_nothing() {
    let w = world();
    let nobody = w.admin.scoped(Policy::new());
    schedule(&w.admin, &w.execution, "a1", "ship-eu").unwrap();
    let before = history(&w.admin, &w.execution).len();
    let msg = not_permitted(poll(&nobody, "shop", "ship-eu"));
    assert_eq!(
        msg,
        "User is not authorized to perform: swf:PollForActivityTask on resource: \
         arn:aws:swf:us-east-1:123456789012:/domain/shop"
    );
    not_permitted(nobody.list_domains(ListDomainsInput::default()));
    not_permitted(nobody.register_domain(RegisterDomainInput {
        name: "new".into(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    }));
    // Nothing changed: the task is still queued, no event was added, and
    // the domain was not registered.
    assert_eq!(pending(&w.admin, "ship-eu"), 1);
    assert_eq!(history(&w.admin, &w.execution).len(), before);
    assert!(
        w.admin
            .describe_domain(DescribeDomainInput { name: "new".into() })
            .is_err()
    );
}

#[test]
fn allow_grants_only_the_named_actions_and_domains() {
    let w = world();
    let worker = w.admin.scoped(
        Policy::new()
            .with(Statement::allow(["swf:PollForActivityTask", "swf:Respond*"]).domains(["shop"])),
    );
    schedule(&w.admin, &w.execution, "a1", "ship-eu").unwrap();
    let task = poll(&worker, "shop", "ship-eu").unwrap();
    assert!(!task.is_empty());
    // Another domain, another action: refused.
    not_permitted(poll(&worker, "bank", "ship-eu"));
    not_permitted(
        worker.record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
            task_token: task.task_token.clone(),
            details: None,
        }),
    );
    worker
        .respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: task.task_token,
            result: Some("ok".into()),
        })
        .unwrap();
    let types: Vec<EventType> = history(&w.admin, &w.execution)
        .iter()
        .map(|e| e.event_type)
        .collect();
    assert!(types.contains(&EventType::ActivityTaskCompleted));
}

#[test]
fn deny_wins_over_allow() {
    let w = world();
    let c = w.admin.scoped(
        Policy::new()
            .with(Statement::allow(["swf:*"]))
            .with(Statement::deny(["swf:RespondActivityTaskCompleted"]).domains(["shop"])),
    );
    schedule(&c, &w.execution, "a1", "ship-eu").unwrap();
    let task = poll(&c, "shop", "ship-eu").unwrap();
    let before = history(&w.admin, &w.execution).len();
    not_permitted(
        c.respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: task.task_token.clone(),
            result: None,
        }),
    );
    assert_eq!(history(&w.admin, &w.execution).len(), before);
    // The token is still live: the admin can complete it.
    w.admin
        .respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: task.task_token,
            result: None,
        })
        .unwrap();
}

#[test]
fn task_list_condition_limits_polls_and_decisions() {
    let w = world();
    let c = w.admin.scoped(
        Policy::new()
            .with(Statement::allow([
                "swf:RespondDecisionTaskCompleted",
                "swf:GetWorkflowExecutionHistory",
            ]))
            .with(
                Statement::allow(["swf:PollForActivityTask", "swf:ScheduleActivityTask"])
                    .domains(["shop"])
                    .task_list(TaskListCondition::StringLike(vec!["ship-*".into()])),
            ),
    );
    assert!(poll(&c, "shop", "ship-us").unwrap().is_empty());
    not_permitted(poll(&c, "shop", "billing"));

    // Within the condition: scheduled.
    schedule(&c, &w.execution, "a1", "ship-us").unwrap();
    assert_eq!(pending(&w.admin, "ship-us"), 1);
    // Outside it: the call succeeds, the decision fails with SWF's cause.
    schedule(&c, &w.execution, "a2", "billing").unwrap();
    assert_eq!(pending(&w.admin, "billing"), 0);
    let events = history(&c, &w.execution);
    // The failure, then the decision task that shows it to the decider
    // (AWS-API.md A1).
    let [.., failed, next] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(next.event_type, EventType::DecisionTaskScheduled);
    assert_eq!(failed.event_type, EventType::ScheduleActivityTaskFailed);
    match &failed.attributes {
        EventAttributes::ScheduleActivityTaskFailed {
            cause,
            activity_id,
            decision_task_completed_event_id,
            ..
        } => {
            assert_eq!(*cause, "OPERATION_NOT_PERMITTED");
            assert_eq!(activity_id, "a2");
            assert_eq!(
                *decision_task_completed_event_id,
                EventId::new(failed.event_id.get() - 1)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cancel_decisions_outside_the_policy_fail_with_operation_not_permitted() {
    let w = world();
    schedule(&w.admin, &w.execution, "a1", "ship-eu").unwrap();
    let c = w
        .admin
        .scoped(Policy::new().with(Statement::allow(["swf:RespondDecisionTaskCompleted"])));
    c.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
        domain: "shop".into(),
        execution: w.execution.clone(),
        decisions: vec![Decision::RequestCancelActivityTask(
            RequestCancelActivityTaskDecisionAttributes {
                activity_id: "a1".into(),
            },
        )],
        ..Default::default()
    })
    .unwrap();
    let events = history(&w.admin, &w.execution);
    let [.., failed, next] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(next.event_type, EventType::DecisionTaskScheduled);
    match &failed.attributes {
        EventAttributes::RequestCancelActivityTaskFailed { cause, .. } => {
            assert_eq!(*cause, "OPERATION_NOT_PERMITTED")
        }
        other => panic!("{other:?}"),
    }
    // The task was not canceled.
    assert_eq!(pending(&w.admin, "ship-eu"), 1);
}

#[test]
fn token_calls_are_judged_by_the_tasks_domain() {
    let w = world();
    let bank_only = w
        .admin
        .scoped(Policy::new().with(Statement::allow(["swf:*"]).domains(["bank"])));
    schedule(&w.admin, &w.execution, "a1", "ship-eu").unwrap();
    let task = poll(&w.admin, "shop", "ship-eu").unwrap();
    not_permitted(
        bank_only.respond_activity_task_failed(RespondActivityTaskFailedInput {
            task_token: task.task_token.clone(),
            reason: None,
            details: None,
        }),
    );
    // A garbage token is reported as such, not as a permission problem.
    assert!(matches!(
        bank_only.respond_activity_task_failed(RespondActivityTaskFailedInput {
            task_token: "garbage".into(),
            ..Default::default()
        }),
        Err(Error::UnknownResourceFault(_))
    ));
}
