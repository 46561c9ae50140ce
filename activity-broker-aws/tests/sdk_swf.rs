//! `aws_sdk_swf::Client` against an in-process engine: the activity
//! lifecycle, the empty long poll, typed errors, and dropped polls.
//!
//! Every test runs on a current-thread runtime, so a long poll that
//! blocked the runtime's thread would hang the test.

mod support;

use activity_broker::wire::decision_task_token;
use aws_sdk_swf::error::ProvideErrorMetadata;
use aws_sdk_swf::operation::delete_activity_type::DeleteActivityTypeError;
use aws_sdk_swf::operation::poll_for_activity_task::PollForActivityTaskError;
use aws_sdk_swf::operation::record_activity_task_heartbeat::RecordActivityTaskHeartbeatError;
use aws_sdk_swf::operation::register_domain::RegisterDomainError;
use aws_sdk_swf::operation::respond_activity_task_completed::RespondActivityTaskCompletedError;
use aws_sdk_swf::operation::respond_decision_task_completed::RespondDecisionTaskCompletedError;
use aws_sdk_swf::types::{
    ActivityType, ChildPolicy, Decision, DecisionType, EventType, RegistrationStatus,
    ScheduleActivityTaskDecisionAttributes, TaskList, WorkflowExecution, WorkflowType,
};
use support::{LONG_POLL, drop_when, engine, swf, until};

const DOMAIN: &str = "shop";

fn task_list(name: &str) -> TaskList {
    TaskList::builder().name(name).build().unwrap()
}

/// Registers the domain, an activity type `ship` on `shipping`, and a
/// workflow type; starts execution `order-1`.
async fn setup(client: &aws_sdk_swf::Client) -> WorkflowExecution {
    client
        .register_domain()
        .name(DOMAIN)
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await
        .unwrap();
    client
        .register_activity_type()
        .domain(DOMAIN)
        .name("ship")
        .version("1")
        .default_task_list(task_list("shipping"))
        .default_task_schedule_to_start_timeout("NONE")
        .default_task_schedule_to_close_timeout("NONE")
        .default_task_start_to_close_timeout("300")
        .default_task_heartbeat_timeout("NONE")
        .send()
        .await
        .unwrap();
    client
        .register_workflow_type()
        .domain(DOMAIN)
        .name("order")
        .version("1")
        .default_task_list(task_list("deciders"))
        .default_execution_start_to_close_timeout("3600")
        .default_task_start_to_close_timeout("60")
        .default_child_policy(ChildPolicy::Terminate)
        .send()
        .await
        .unwrap();
    let run = client
        .start_workflow_execution()
        .domain(DOMAIN)
        .workflow_id("order-1")
        .workflow_type(
            WorkflowType::builder()
                .name("order")
                .version("1")
                .build()
                .unwrap(),
        )
        .input("order 1")
        .send()
        .await
        .unwrap();
    WorkflowExecution::builder()
        .workflow_id("order-1")
        .run_id(run.run_id().unwrap())
        .build()
        .unwrap()
}

fn engine_execution(e: &WorkflowExecution) -> activity_broker::swf::WorkflowExecution {
    activity_broker::swf::WorkflowExecution::new(e.workflow_id(), e.run_id())
}

/// Schedules activity `id` of type `ship` with `input`, through the SDK.
async fn schedule(
    client: &aws_sdk_swf::Client,
    execution: &WorkflowExecution,
    id: &str,
    input: &str,
) {
    let attrs = ScheduleActivityTaskDecisionAttributes::builder()
        .activity_type(
            ActivityType::builder()
                .name("ship")
                .version("1")
                .build()
                .unwrap(),
        )
        .activity_id(id)
        .input(input)
        .build()
        .unwrap();
    client
        .respond_decision_task_completed()
        .task_token(decision_task_token(DOMAIN, &engine_execution(execution)))
        .decisions(
            Decision::builder()
                .decision_type(DecisionType::ScheduleActivityTask)
                .schedule_activity_task_decision_attributes(attrs)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

async fn history(
    client: &aws_sdk_swf::Client,
    execution: &WorkflowExecution,
) -> Vec<aws_sdk_swf::types::HistoryEvent> {
    client
        .get_workflow_execution_history()
        .domain(DOMAIN)
        .execution(execution.clone())
        .send()
        .await
        .unwrap()
        .events
}

#[tokio::test]
async fn full_lifecycle_through_the_sdk() {
    let (broker, _clock) = engine();
    let client = swf(&broker);
    let execution = setup(&client).await;
    schedule(&client, &execution, "ship-1", "parcel 7").await;

    let pending = client
        .count_pending_activity_tasks()
        .domain(DOMAIN)
        .task_list(task_list("shipping"))
        .send()
        .await
        .unwrap();
    assert_eq!((pending.count(), pending.truncated()), (1, false));

    let task = client
        .poll_for_activity_task()
        .domain(DOMAIN)
        .task_list(task_list("shipping"))
        .identity("worker-1")
        .send()
        .await
        .unwrap();
    assert!(!task.task_token().is_empty());
    assert_eq!(task.activity_id(), "ship-1");
    assert_eq!(task.input(), Some("parcel 7"));
    assert_eq!(task.started_event_id(), 6);
    assert_eq!(task.workflow_execution(), Some(&execution));
    assert_eq!(task.activity_type().map(|t| t.name()), Some("ship"));

    let beat = client
        .record_activity_task_heartbeat()
        .task_token(task.task_token())
        .details("half way")
        .send()
        .await
        .unwrap();
    assert!(!beat.cancel_requested());
    client
        .respond_activity_task_completed()
        .task_token(task.task_token())
        .result("shipped")
        .send()
        .await
        .unwrap();

    let events = history(&client, &execution).await;
    let types: Vec<&str> = events.iter().map(|e| e.event_type().as_str()).collect();
    assert_eq!(
        types,
        [
            "WorkflowExecutionStarted",
            "DecisionTaskScheduled",
            "DecisionTaskStarted",
            "DecisionTaskCompleted",
            "ActivityTaskScheduled",
            "ActivityTaskStarted",
            "ActivityTaskCompleted",
            "DecisionTaskScheduled",
        ]
    );
    let ids: Vec<i64> = events.iter().map(|e| e.event_id()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 8]);
    let scheduled = events[4]
        .activity_task_scheduled_event_attributes()
        .unwrap();
    assert_eq!(scheduled.activity_id(), "ship-1");
    assert_eq!(scheduled.task_list().map(|t| t.name()), Some("shipping"));
    assert_eq!(scheduled.start_to_close_timeout(), Some("300"));
    assert_eq!(scheduled.decision_task_completed_event_id(), 4);
    let started = events[5].activity_task_started_event_attributes().unwrap();
    assert_eq!(
        (started.identity(), started.scheduled_event_id()),
        (Some("worker-1"), 5)
    );
    let completed = events[6]
        .activity_task_completed_event_attributes()
        .unwrap();
    assert_eq!(
        (
            completed.result(),
            completed.scheduled_event_id(),
            completed.started_event_id()
        ),
        (Some("shipped"), 5, 6)
    );
    let started_at = events[0].event_timestamp();
    assert_eq!(
        started_at.secs(),
        broker
            .clock()
            .now_wall()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    );

    // Registration round trips.
    let described = client
        .describe_activity_type()
        .domain(DOMAIN)
        .activity_type(
            ActivityType::builder()
                .name("ship")
                .version("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let info = described.type_info().unwrap();
    assert_eq!(info.status(), &RegistrationStatus::Registered);
    assert_eq!(info.deprecation_date(), None);
    let config = described.configuration().unwrap();
    assert_eq!(
        config.default_task_list().map(|t| t.name()),
        Some("shipping")
    );
    assert_eq!(config.default_task_heartbeat_timeout(), Some("NONE"));
    client
        .deprecate_activity_type()
        .domain(DOMAIN)
        .activity_type(
            ActivityType::builder()
                .name("ship")
                .version("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let deprecated = client
        .list_activity_types()
        .domain(DOMAIN)
        .registration_status(RegistrationStatus::Deprecated)
        .send()
        .await
        .unwrap();
    assert_eq!(deprecated.type_infos().len(), 1);
    assert!(deprecated.type_infos()[0].deprecation_date().is_some());
    let domain = client.describe_domain().name(DOMAIN).send().await.unwrap();
    assert_eq!(
        domain
            .configuration()
            .map(|c| c.workflow_execution_retention_period_in_days()),
        Some("1")
    );
    let open = client
        .describe_workflow_execution()
        .domain(DOMAIN)
        .execution(execution.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(open.open_counts().map(|c| c.open_decision_tasks()), Some(1));
}

#[tokio::test]
async fn the_empty_long_poll_ends_at_sixty_virtual_seconds() {
    let (broker, clock) = engine();
    let client = swf(&broker);
    let engine = broker.swf();
    setup(&client).await;

    let poll = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .poll_for_activity_task()
                .domain(DOMAIN)
                .task_list(task_list("empty"))
                .send()
                .await
        }
    });
    // The poll waits on its own thread: this loop runs on the runtime's
    // only one.
    until(|| engine.waiting_pollers(DOMAIN, "empty") == 1).await;
    assert!(!poll.is_finished());
    clock.advance(LONG_POLL);
    let empty = poll.await.unwrap().unwrap();
    // AWS's empty task: the token is absent on the wire, and the SDK
    // shows it as the empty string.
    assert_eq!(empty.task_token(), "");
    assert_eq!(empty.started_event_id(), 0);
    assert_eq!(empty.activity_id(), "");
}

#[tokio::test]
async fn a_poll_waiting_when_a_task_is_scheduled_gets_it() {
    let (broker, _clock) = engine();
    let client = swf(&broker);
    let engine = broker.swf();
    let execution = setup(&client).await;
    let poll = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .poll_for_activity_task()
                .domain(DOMAIN)
                .task_list(task_list("shipping"))
                .identity("waiting")
                .send()
                .await
        }
    });
    until(|| engine.waiting_pollers(DOMAIN, "shipping") == 1).await;
    schedule(&client, &execution, "ship-1", "parcel").await;
    let task = poll.await.unwrap().unwrap();
    assert_eq!(task.activity_id(), "ship-1");
    assert_eq!(task.started_event_id(), 6);
}

/// After a poll on `shipping` was dropped: a task scheduled now stays
/// queued, the next poller gets it, and the history records one start.
async fn no_task_was_swallowed(
    client: &aws_sdk_swf::Client,
    engine: &activity_broker::swf::Client,
    execution: &WorkflowExecution,
) {
    schedule(client, execution, "ship-1", "parcel").await;
    let pending = client
        .count_pending_activity_tasks()
        .domain(DOMAIN)
        .task_list(task_list("shipping"))
        .send()
        .await
        .unwrap();
    assert_eq!(pending.count(), 1);
    let task = client
        .poll_for_activity_task()
        .domain(DOMAIN)
        .task_list(task_list("shipping"))
        .identity("fresh")
        .send()
        .await
        .unwrap();
    assert_eq!(task.activity_id(), "ship-1");
    let events = history(client, execution).await;
    let started: Vec<_> = events
        .iter()
        .filter(|e| e.event_type() == &EventType::ActivityTaskStarted)
        .map(|e| {
            e.activity_task_started_event_attributes()
                .unwrap()
                .identity()
        })
        .collect();
    assert_eq!(started, [Some("fresh")]);
    // The abandoned poll's thread ends on its own.
    until(|| engine.waiting_pollers(DOMAIN, "shipping") == 0).await;
}

#[tokio::test]
async fn a_poll_future_dropped_while_parked_never_takes_a_task() {
    let (broker, _clock) = engine();
    let client = swf(&broker);
    let engine = broker.swf();
    let execution = setup(&client).await;
    let poll = client
        .poll_for_activity_task()
        .domain(DOMAIN)
        .task_list(task_list("shipping"))
        .identity("dropped")
        .send();
    drop_when(poll, || engine.waiting_pollers(DOMAIN, "shipping") == 1).await;
    // Scheduled at once: the withdrawn poll's thread may not have woken yet.
    no_task_was_swallowed(&client, &engine, &execution).await;
}

#[tokio::test]
async fn an_aborted_poll_task_never_takes_a_task() {
    let (broker, _clock) = engine();
    let client = swf(&broker);
    let engine = broker.swf();
    let execution = setup(&client).await;
    let poll = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .poll_for_activity_task()
                .domain(DOMAIN)
                .task_list(task_list("shipping"))
                .identity("aborted")
                .send()
                .await
        }
    });
    until(|| engine.waiting_pollers(DOMAIN, "shipping") == 1).await;
    poll.abort();
    assert!(poll.await.unwrap_err().is_cancelled());
    no_task_was_swallowed(&client, &engine, &execution).await;
}

#[tokio::test]
async fn faults_surface_as_the_sdks_typed_errors() {
    let (broker, _clock) = engine();
    let client = swf(&broker);
    let execution = setup(&client).await;

    let err = client
        .poll_for_activity_task()
        .domain("nowhere")
        .task_list(task_list("work"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, PollForActivityTaskError::UnknownResourceFault(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("UnknownResourceFault"));
    assert_eq!(err.message(), Some("unknown domain"));

    let err = client
        .register_domain()
        .name(DOMAIN)
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, RegisterDomainError::DomainAlreadyExistsFault(_)),
        "{err:?}"
    );

    let err = client
        .delete_activity_type()
        .domain(DOMAIN)
        .activity_type(
            ActivityType::builder()
                .name("ship")
                .version("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, DeleteActivityTypeError::TypeNotDeprecatedFault(_)),
        "{err:?}"
    );

    let err = client
        .respond_activity_task_completed()
        .task_token("forged")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(
            err,
            RespondActivityTaskCompletedError::UnknownResourceFault(_)
        ),
        "{err:?}"
    );

    // A closed task's token.
    schedule(&client, &execution, "ship-1", "parcel").await;
    let task = client
        .poll_for_activity_task()
        .domain(DOMAIN)
        .task_list(task_list("shipping"))
        .send()
        .await
        .unwrap();
    client
        .respond_activity_task_completed()
        .task_token(task.task_token())
        .send()
        .await
        .unwrap();
    let err = client
        .record_activity_task_heartbeat()
        .task_token(task.task_token())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(
            err,
            RecordActivityTaskHeartbeatError::UnknownResourceFault(_)
        ),
        "{err:?}"
    );

    let err = client
        .respond_decision_task_completed()
        .task_token("not a decision token")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(
            err,
            RespondDecisionTaskCompletedError::UnknownResourceFault(_)
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn validation_errors_are_aws_validation_exceptions() {
    let (broker, _clock) = engine();
    let client = swf(&broker);
    setup(&client).await;

    let err = client
        .poll_for_activity_task()
        .domain("")
        .task_list(task_list(&"l".repeat(257)))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    // Not a modeled error of the operation: the SDK keeps its code.
    assert_eq!(err.code(), Some("ValidationException"));
    let expected = format!(
        "2 validation errors detected: Value '' at 'domain' failed to satisfy constraint: \
         Member must have length greater than or equal to 1; Value '{}' at 'taskList.name' \
         failed to satisfy constraint: Member must have length less than or equal to 256",
        "l".repeat(257)
    );
    assert_eq!(err.message(), Some(expected.as_str()));

    // A member the SDK leaves out, as the engine reports it.
    let err = client
        .count_pending_activity_tasks()
        .domain(DOMAIN)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(
        err.message(),
        Some(
            "1 validation error detected: Value null at 'taskList' failed to satisfy \
             constraint: Member must not be null"
        )
    );

    let err = client
        .list_activity_types()
        .domain(DOMAIN)
        .registration_status(RegistrationStatus::from("RETIRED"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(
        err.message().is_some_and(
            |m| m.contains("Member must satisfy enum value set: [REGISTERED, DEPRECATED]")
        ),
        "{err:?}"
    );
}
