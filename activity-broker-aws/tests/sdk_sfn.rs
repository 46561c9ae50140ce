//! `aws_sdk_sfn::Client` against an in-process engine: the activity
//! lifecycle, the empty long poll, typed errors, and dropped polls.
//!
//! Every test runs on a current-thread runtime, so a long poll that
//! blocked the runtime's thread would hang the test.

mod support;

use aws_sdk_sfn::error::ProvideErrorMetadata;
use aws_sdk_sfn::operation::create_activity::CreateActivityError;
use aws_sdk_sfn::operation::describe_activity::DescribeActivityError;
use aws_sdk_sfn::operation::get_activity_task::GetActivityTaskError;
use aws_sdk_sfn::operation::send_task_failure::SendTaskFailureError;
use aws_sdk_sfn::operation::send_task_heartbeat::SendTaskHeartbeatError;
use aws_sdk_sfn::operation::send_task_success::SendTaskSuccessError;
use aws_sdk_sfn::types::{ExecutionStatus, HistoryEventType};
use support::{LONG_POLL, drop_when, engine, sfn, until};

/// Creates activity `name`; returns its ARN.
async fn activity(client: &aws_sdk_sfn::Client, name: &str) -> String {
    client
        .create_activity()
        .name(name)
        .send()
        .await
        .unwrap()
        .activity_arn
}

/// Starts an execution of the state machine named like `activity` (which
/// runs that activity) with `input`; returns its ARN.
async fn start(
    client: &aws_sdk_sfn::Client,
    broker: &activity_broker::Broker,
    machine: &str,
    name: &str,
    input: &str,
) -> String {
    client
        .start_execution()
        .state_machine_arn(broker.sfn().state_machine_arn(machine))
        .name(name)
        .input(input)
        .send()
        .await
        .unwrap()
        .execution_arn
}

#[tokio::test]
async fn full_lifecycle_through_the_sdk() {
    let (broker, _clock) = engine();
    let client = sfn(&broker);
    let arn = activity(&client, "resize").await;
    assert_eq!(arn, broker.sfn().activity_arn("resize"));
    let execution = start(&client, &broker, "resize", "photo-7", r#"{"photo": 7}"#).await;

    let task = client
        .get_activity_task()
        .activity_arn(&arn)
        .worker_name("worker-1")
        .send()
        .await
        .unwrap();
    let token = task.task_token().unwrap().to_owned();
    assert_eq!(task.input(), Some(r#"{"photo": 7}"#));
    client
        .send_task_heartbeat()
        .task_token(&token)
        .send()
        .await
        .unwrap();
    client
        .send_task_success()
        .task_token(&token)
        .output(r#"{"thumbnail": "7-small.png"}"#)
        .send()
        .await
        .unwrap();

    let done = client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), &ExecutionStatus::Succeeded);
    assert_eq!(done.output(), Some(r#"{"thumbnail": "7-small.png"}"#));
    assert_eq!(done.name(), Some("photo-7"));
    assert!(done.stop_date().is_some());

    let history = client
        .get_execution_history()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    let events = history.events();
    let types: Vec<&str> = events.iter().map(|e| e.r#type().as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "ExecutionSucceeded",
        ]
    );
    let ids: Vec<(i64, i64)> = events
        .iter()
        .map(|e| (e.id(), e.previous_event_id()))
        .collect();
    assert_eq!(ids, [(1, 0), (2, 1), (3, 2), (4, 3), (5, 4)]);
    let scheduled = events[1].activity_scheduled_event_details().unwrap();
    assert_eq!(scheduled.resource(), arn);
    assert_eq!(scheduled.input(), Some(r#"{"photo": 7}"#));
    assert_eq!(scheduled.timeout_in_seconds(), Some(99_999_999));
    assert_eq!(scheduled.heartbeat_in_seconds(), None);
    assert_eq!(
        events[2]
            .activity_started_event_details()
            .and_then(|d| d.worker_name()),
        Some("worker-1")
    );
    assert_eq!(
        events[3]
            .activity_succeeded_event_details()
            .and_then(|d| d.output()),
        Some(r#"{"thumbnail": "7-small.png"}"#)
    );

    // Activities: describe, list, delete.
    let described = client
        .describe_activity()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.name(), "resize");
    let listed = client.list_activities().send().await.unwrap();
    assert_eq!(listed.activities().len(), 1);
    assert_eq!(
        listed.activities()[0].creation_date(),
        described.creation_date()
    );
    client
        .delete_activity()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap();
    let err = client
        .describe_activity()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, DescribeActivityError::ActivityDoesNotExist(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_failed_task_fails_its_execution() {
    let (broker, _clock) = engine();
    let client = sfn(&broker);
    let arn = activity(&client, "resize").await;
    let execution = start(&client, &broker, "resize", "photo-8", "{}").await;
    let task = client
        .get_activity_task()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap();
    client
        .send_task_failure()
        .task_token(task.task_token().unwrap())
        .error("Photo.TooLarge")
        .cause("8 GB")
        .send()
        .await
        .unwrap();
    let done = client
        .describe_execution()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), &ExecutionStatus::Failed);
    assert_eq!(
        (done.error(), done.cause()),
        (Some("Photo.TooLarge"), Some("8 GB"))
    );
}

#[tokio::test]
async fn the_empty_long_poll_ends_at_sixty_virtual_seconds() {
    let (broker, clock) = engine();
    let client = sfn(&broker);
    let engine = broker.sfn();
    let arn = activity(&client, "idle").await;
    let poll = tokio::spawn({
        let (client, arn) = (client.clone(), arn.clone());
        async move { client.get_activity_task().activity_arn(arn).send().await }
    });
    until(|| engine.waiting_pollers(&arn) == 1).await;
    assert!(!poll.is_finished());
    clock.advance(LONG_POLL);
    let empty = poll.await.unwrap().unwrap();
    assert_eq!((empty.task_token(), empty.input()), (None, None));
}

/// After a poll on `arn` was dropped: a task started now stays queued, the
/// next worker gets it, and the history records one start.
async fn no_task_was_swallowed(
    client: &aws_sdk_sfn::Client,
    broker: &activity_broker::Broker,
    arn: &str,
) {
    let execution = start(client, broker, "resize", "after-drop", "{}").await;
    assert_eq!(broker.sfn().pending_tasks(arn), 1);
    let task = client
        .get_activity_task()
        .activity_arn(arn)
        .worker_name("fresh")
        .send()
        .await
        .unwrap();
    assert!(task.task_token().is_some());
    let history = client
        .get_execution_history()
        .execution_arn(&execution)
        .send()
        .await
        .unwrap();
    let started: Vec<_> = history
        .events()
        .iter()
        .filter(|e| e.r#type() == &HistoryEventType::ActivityStarted)
        .map(|e| {
            e.activity_started_event_details()
                .and_then(|d| d.worker_name())
        })
        .collect();
    assert_eq!(started, [Some("fresh")]);
    until(|| broker.sfn().waiting_pollers(arn) == 0).await;
}

#[tokio::test]
async fn a_poll_future_dropped_while_parked_never_takes_a_task() {
    let (broker, _clock) = engine();
    let client = sfn(&broker);
    let engine = broker.sfn();
    let arn = activity(&client, "resize").await;
    let poll = client
        .get_activity_task()
        .activity_arn(&arn)
        .worker_name("dropped")
        .send();
    drop_when(poll, || engine.waiting_pollers(&arn) == 1).await;
    no_task_was_swallowed(&client, &broker, &arn).await;
}

#[tokio::test]
async fn a_poll_future_dropped_by_a_timeout_never_takes_a_task() {
    let (broker, _clock) = engine();
    let client = sfn(&broker);
    let engine = broker.sfn();
    let arn = activity(&client, "resize").await;
    let poll = client
        .get_activity_task()
        .activity_arn(&arn)
        .worker_name("timed out")
        .send();
    // A real-time timeout of the SDK call, as a caller would write it; the
    // engine's clock is manual, so the poll cannot end first.
    let timed_out = tokio::time::timeout(std::time::Duration::from_millis(50), poll).await;
    assert!(timed_out.is_err());
    no_task_was_swallowed(&client, &broker, &arn).await;
    assert_eq!(engine.waiting_pollers(&arn), 0);
}

#[tokio::test]
async fn errors_surface_as_the_sdks_typed_errors() {
    let (broker, _clock) = engine();
    let client = sfn(&broker);
    let arn = activity(&client, "resize").await;

    let unknown = broker.sfn().activity_arn("missing");
    let err = client
        .get_activity_task()
        .activity_arn(&unknown)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, GetActivityTaskError::ActivityDoesNotExist(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("ActivityDoesNotExist"));

    let err = client
        .get_activity_task()
        .activity_arn("not-an-arn")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, GetActivityTaskError::InvalidArn(_)),
        "{err:?}"
    );

    let err = client
        .create_activity()
        .name("bad name")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, CreateActivityError::InvalidName(_)),
        "{err:?}"
    );

    let err = client
        .send_task_heartbeat()
        .task_token("garbage")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, SendTaskHeartbeatError::InvalidToken(_)),
        "{err:?}"
    );

    start(&client, &broker, "resize", "run-1", "{}").await;
    let task = client
        .get_activity_task()
        .activity_arn(&arn)
        .send()
        .await
        .unwrap();
    let token = task.task_token().unwrap().to_owned();

    // Output that is not JSON: refused, and the task stays open.
    let err = client
        .send_task_success()
        .task_token(&token)
        .output("not json")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, SendTaskSuccessError::InvalidOutput(_)),
        "{err:?}"
    );

    // A well-formed token whose nonce names no task: its last character
    // carries the nonce's last six bits.
    let mut forged = token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let err = client
        .send_task_failure()
        .task_token(&forged)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, SendTaskFailureError::TaskDoesNotExist(_)),
        "{err:?}"
    );

    client
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await
        .unwrap();
    let err = client
        .send_task_heartbeat()
        .task_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, SendTaskHeartbeatError::TaskTimedOut(_)),
        "{err:?}"
    );

    // Constraint violations: AWS's ValidationException.
    let err = client
        .create_activity()
        .name("n".repeat(81))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
    let expected = format!(
        "1 validation error detected: Value '{}' at 'name' failed to satisfy constraint: \
         Member must have length less than or equal to 80",
        "n".repeat(81)
    );
    assert_eq!(err.message(), Some(expected.as_str()));
}
