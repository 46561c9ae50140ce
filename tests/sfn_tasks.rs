//! Step Functions workers: GetActivityTask (long poll, worker limit),
//! SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat, and the three token
//! errors.

mod sfn_support;

use std::thread;
use std::time::Duration;

use activity_broker::sfn::{
    self, EventDetails, ExecutionStatus, GetActivityTaskInput, HistoryEventType,
    SendTaskFailureInput, SendTaskHeartbeatInput, SendTaskSuccessInput,
};
use activity_broker::{Broker, Constraint, EventId, PollCancel};
use sfn_support::{Env, NS, error_cause, forge_nonce, forge_unused_slot, secs, validation};

fn poll_input(arn: &str, worker: Option<&str>) -> GetActivityTaskInput {
    GetActivityTaskInput {
        activity_arn: arn.into(),
        worker_name: worker.map(str::to_owned),
    }
}

#[test]
fn a_task_runs_from_schedule_to_success() {
    let env = Env::new();
    let act = env.activity("resize");
    let exec = env.start(&act, "photo-1");
    assert_eq!(env.sfn.pending_tasks(&act), 1);
    let got = env.poll_now(&act, Some("worker-7"));
    assert!(!got.is_empty());
    let token = got.task_token.unwrap();
    assert_eq!(token.len(), 36);
    assert_eq!(got.input.as_deref(), Some(r#"{"job":"photo-1"}"#));
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Running);

    env.advance(secs(3));
    env.succeed(&token, r#"{"ok": true}"#).unwrap();

    let h = env.history(&exec);
    let types: Vec<&str> = h.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "ExecutionSucceeded"
        ]
    );
    let ids: Vec<u64> = h.iter().map(|e| e.id.get()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let previous: Vec<u64> = h.iter().map(|e| e.previous_event_id.get()).collect();
    assert_eq!(previous, [0, 1, 2, 3, 4]);
    assert_eq!(
        h[0].details,
        EventDetails::ExecutionStarted {
            input: Some(r#"{"job":"photo-1"}"#.into()),
            input_details: Some(Default::default()),
        }
    );
    match &h[1].details {
        EventDetails::ActivityScheduled {
            resource,
            input,
            input_details,
            timeout_in_seconds,
            heartbeat_in_seconds,
        } => {
            assert_eq!(resource, &act);
            assert_eq!(input.as_deref(), Some(r#"{"job":"photo-1"}"#));
            assert_eq!(input_details.map(|d| d.truncated), Some(false));
            // No TimeoutSeconds given: the States Language default.
            assert_eq!(*timeout_in_seconds, Some(99_999_999));
            assert_eq!(*heartbeat_in_seconds, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        h[2].details,
        EventDetails::ActivityStarted {
            worker_name: Some("worker-7".into())
        }
    );
    assert_eq!(
        h[3].details,
        EventDetails::ActivitySucceeded {
            output: Some(r#"{"ok": true}"#.into()),
            output_details: Some(Default::default()),
        }
    );
    assert_eq!(
        h[4].details,
        EventDetails::ExecutionSucceeded {
            output: Some(r#"{"ok": true}"#.into()),
            output_details: Some(Default::default()),
        }
    );
    let start = h[0].timestamp;
    assert_eq!(h[2].timestamp, start);
    assert_eq!(h[3].timestamp, start + secs(3));

    let d = env.describe(&exec);
    assert_eq!(d.status, ExecutionStatus::Succeeded);
    assert_eq!(d.output.as_deref(), Some(r#"{"ok": true}"#));
    assert_eq!(d.start_date, start);
    assert_eq!(d.stop_date, Some(start + secs(3)));
    assert_eq!((d.error, d.cause), (None, None));
}

#[test]
fn send_task_failure_fails_the_task_and_the_execution() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    env.fail(&token, Some("Custom.Error"), Some("it broke"))
        .unwrap();
    let h = env.history(&exec);
    assert_eq!(h[3].event_type, HistoryEventType::ActivityFailed);
    assert_eq!(
        error_cause(&h[3].details),
        (Some("Custom.Error"), Some("it broke"))
    );
    assert_eq!(h[3].previous_event_id, EventId::new(3));
    assert_eq!(h[4].event_type, HistoryEventType::ExecutionFailed);
    assert_eq!(
        error_cause(&h[4].details),
        (Some("Custom.Error"), Some("it broke"))
    );
    let d = env.describe(&exec);
    assert_eq!(d.status, ExecutionStatus::Failed);
    assert_eq!(d.error.as_deref(), Some("Custom.Error"));
    assert_eq!(d.cause.as_deref(), Some("it broke"));
    assert_eq!(d.output, None);

    // Error and cause are optional.
    let exec = env.start(&act, "e2");
    let (token, _) = env.take(&act, "w");
    env.fail(&token, None, None).unwrap();
    assert_eq!(error_cause(&env.last(&exec).details), (None, None));
}

#[test]
fn output_must_be_json_of_at_most_262144_bytes() {
    let env = Env::new();
    let act = env.activity("a");
    env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    for bad in [
        "",
        "not json",
        "{",
        "{'a':1}",
        "[1,]",
        "01",
        "\"unterminated",
    ] {
        let err = env.succeed(&token, bad).unwrap_err();
        assert!(
            matches!(err, sfn::Error::InvalidOutput(_)),
            "{bad:?}: {err:?}"
        );
        assert_eq!(err.code(), "InvalidOutput");
    }
    // Over the limit, counted in UTF-8 bytes (A0.4): a ValidationException
    // whose message leaves the sensitive value out.
    let big = format!("\"{}\"", "é".repeat(131_071)); // 262,144 bytes
    assert_eq!(big.len(), 262_144);
    let over = format!("\"{}\"", "é".repeat(131_072)); // 262,146 bytes
    let v = validation(env.succeed(&token, &over));
    assert_eq!(v.violations()[0].member(), "output");
    assert_eq!(v.violations()[0].value(), None);
    assert_eq!(
        v.violations()[0].constraint(),
        &Constraint::MaxLength(262_144)
    );
    assert!(!v.to_string().contains('é'));
    // A refused call changed nothing: the token still works, at the limit.
    env.succeed(&token, &big).unwrap();
}

#[test]
fn error_and_cause_lengths_are_checked_and_hidden() {
    let env = Env::new();
    let act = env.activity("a");
    env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    let v = validation(env.fail(&token, Some(&"e".repeat(257)), Some(&"c".repeat(32_769))));
    let members: Vec<&str> = v.violations().iter().map(|x| x.member()).collect();
    assert_eq!(members, ["error", "cause"]);
    assert!(v.violations().iter().all(|x| x.value().is_none()));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MaxLength(256));
    assert_eq!(
        v.violations()[1].constraint(),
        &Constraint::MaxLength(32_768)
    );
    // Exactly at the limits (in characters, not bytes): accepted.
    env.fail(&token, Some(&"é".repeat(256)), Some(&"c".repeat(32_768)))
        .unwrap();
}

#[test]
fn the_three_token_errors_are_told_apart() {
    // A5: garbage -> InvalidToken; well-formed, naming no task ->
    // TaskDoesNotExist; a closed or timed-out task -> TaskTimedOut.
    let env = Env::new();
    let act = env.activity("a");
    env.start(&act, "e");
    let (token, _) = env.take(&act, "w");

    type Call = fn(&Env, &str) -> Result<(), sfn::Error>;
    let calls: [(&str, Call); 3] = [
        ("success", |env, t| env.succeed(t, "{}")),
        ("failure", |env, t| env.fail(t, None, None)),
        ("heartbeat", |env, t| env.heartbeat(t)),
    ];
    for (what, call) in calls {
        for garbage in [
            "x",
            "garbage token",
            &"A".repeat(36),
            &"é".repeat(36),
            &token[..35],
        ] {
            let err = call(&env, garbage).unwrap_err();
            assert!(
                matches!(err, sfn::Error::InvalidToken(_)),
                "{what} {garbage:?}: {err:?}"
            );
        }
        for forged in [forge_nonce(&token), forge_unused_slot(&token)] {
            let err = call(&env, &forged).unwrap_err();
            assert!(
                matches!(err, sfn::Error::TaskDoesNotExist(_)),
                "{what}: {err:?}"
            );
            assert_eq!(err.code(), "TaskDoesNotExist");
        }
        // TaskToken is 1..2048 characters: outside is a ValidationException.
        for bad in [String::new(), "t".repeat(2049)] {
            let v = validation(call(&env, &bad));
            assert_eq!(v.violations()[0].member(), "taskToken");
        }
    }
    env.heartbeat(&token).unwrap();
    env.succeed(&token, "{}").unwrap();
    for (what, call) in calls {
        let err = call(&env, &token).unwrap_err();
        assert!(
            matches!(err, sfn::Error::TaskTimedOut(_)),
            "{what}: {err:?}"
        );
        assert_eq!(err.code(), "TaskTimedOut");
    }
    // A new task in the freed slot does not revive the old token.
    env.start(&act, "e2");
    let (fresh, _) = env.take(&act, "w");
    assert_ne!(fresh, token);
    assert!(matches!(
        env.succeed(&token, "{}"),
        Err(sfn::Error::TaskTimedOut(_))
    ));
    env.succeed(&fresh, "{}").unwrap();
}

#[test]
fn a_queued_task_goes_to_a_poller_that_arrives_later() {
    let env = Env::new();
    let act = env.activity("a");
    assert!(env.poll_now(&act, None).is_empty());
    let exec = env.start(&act, "e");
    let got = env.poll_now(&act, None);
    assert!(got.task_token.is_some());
    // No worker name: ActivityStarted without one.
    assert_eq!(
        env.history(&exec)[2].details,
        EventDetails::ActivityStarted { worker_name: None }
    );
}

#[test]
fn a_waiting_worker_gets_a_task_the_moment_it_is_scheduled() {
    let env = Env::new();
    let act = env.activity("a");
    let worker = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task(poll_input(&act, Some("parked"))))
    };
    env.wait_for_pollers(&act, 1);
    let exec = env.start(&act, "e");
    let got = worker.join().unwrap().unwrap();
    let token = got.task_token.expect("handed over");
    assert_eq!(env.sfn.waiting_pollers(&act), 0);
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert_eq!(
        env.history(&exec)[2].details,
        EventDetails::ActivityStarted {
            worker_name: Some("parked".into())
        }
    );
    env.succeed(&token, "{}").unwrap();
}

#[test]
fn the_long_poll_lasts_sixty_seconds_by_default() {
    let env = Env::new();
    let act = env.activity("a");
    let worker = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task(poll_input(&act, None)))
    };
    env.wait_for_pollers(&act, 1);
    env.advance(secs(60) - NS);
    assert_eq!(
        env.sfn.waiting_pollers(&act),
        1,
        "still waiting at 59.999…s"
    );
    env.advance(NS);
    let got = worker.join().unwrap().unwrap();
    assert!(got.is_empty());
    assert_eq!(got.task_token, None);
    assert_eq!(got.input, None);
    // A task scheduled after the poll ended waits for the next poll.
    env.start(&act, "e");
    assert_eq!(env.sfn.pending_tasks(&act), 1);
}

#[test]
fn the_long_poll_is_configurable() {
    let env = Env::with(|b| b.long_poll(secs(20)));
    let act = env.activity("a");
    let worker = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task(poll_input(&act, None)))
    };
    env.wait_for_pollers(&act, 1);
    env.advance(secs(20));
    assert!(worker.join().unwrap().unwrap().is_empty());
}

#[test]
fn the_long_poll_cannot_exceed_sixty_seconds() {
    // AWS-API.md A3: GetActivityTask holds the request "for at most 60 s".
    assert!(Broker::builder().long_poll(secs(60)).build().is_ok());
    let err = Broker::builder()
        .long_poll(secs(60) + NS)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "long_poll must be more than zero and at most 60 s"
    );
}

#[test]
fn timeout_and_deadline_variants_wait_as_asked() {
    let env = Env::new();
    let act = env.activity("a");
    let by_timeout = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task_timeout(poll_input(&act, None), secs(5)))
    };
    let deadline = env.sfn.now() + secs(8);
    let by_deadline = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task_deadline(poll_input(&act, None), deadline))
    };
    env.wait_for_pollers(&act, 2);
    env.advance(secs(5));
    assert!(by_timeout.join().unwrap().unwrap().is_empty());
    assert_eq!(env.sfn.waiting_pollers(&act), 1);
    env.advance(secs(3));
    assert!(by_deadline.join().unwrap().unwrap().is_empty());
    // A past deadline, or a zero timeout, does not wait.
    let past = env.sfn.now() - secs(1);
    assert!(
        env.sfn
            .get_activity_task_deadline(poll_input(&act, None), past)
            .unwrap()
            .is_empty()
    );
    // A huge timeout saturates instead of overflowing.
    env.start(&act, "e");
    let got = env
        .sfn
        .get_activity_task_timeout(poll_input(&act, None), Duration::MAX)
        .unwrap();
    assert!(got.task_token.is_some());
}

#[test]
fn a_canceled_poll_returns_empty_and_takes_nothing() {
    let env = Env::new();
    let act = env.activity("a");
    let cancel = PollCancel::new();
    let worker = {
        let (sfn, act, cancel) = (env.sfn.clone(), act.clone(), cancel.clone());
        thread::spawn(move || {
            let deadline = sfn.now() + secs(60);
            sfn.get_activity_task_cancelable(poll_input(&act, None), deadline, &cancel)
        })
    };
    env.wait_for_pollers(&act, 1);
    cancel.cancel();
    assert!(worker.join().unwrap().unwrap().is_empty());
    env.start(&act, "e");
    assert_eq!(env.sfn.pending_tasks(&act), 1);
}

#[test]
fn concurrent_workers_are_bounded_per_activity() {
    let env = Env::with(|b| b.max_pollers(2));
    let act = env.activity("a");
    let other = env.activity("b");
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (sfn, act) = (env.sfn.clone(), act.clone());
            thread::spawn(move || sfn.get_activity_task(poll_input(&act, None)))
        })
        .collect();
    env.wait_for_pollers(&act, 2);
    let err = env
        .sfn
        .get_activity_task(poll_input(&act, Some("third")))
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::ActivityWorkerLimitExceeded(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), "ActivityWorkerLimitExceeded");
    // A poll that would not wait is never refused: it does not add a waiter.
    assert!(env.poll_now(&act, None).is_empty());
    // The limit is per activity.
    let elsewhere = {
        let (sfn, other) = (env.sfn.clone(), other.clone());
        thread::spawn(move || sfn.get_activity_task(poll_input(&other, None)))
    };
    env.wait_for_pollers(&other, 1);
    // A task frees a place: the oldest waiter takes it.
    let exec = env.start(&act, "e");
    env.advance(secs(60));
    let results: Vec<_> = workers
        .into_iter()
        .map(|w| w.join().unwrap().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|r| !r.is_empty()).count(), 1);
    assert!(elsewhere.join().unwrap().unwrap().is_empty());
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Running);
}

#[test]
fn get_activity_task_refuses_bad_or_unknown_activities() {
    let env = Env::new();
    env.activity("a");
    let err = env
        .sfn
        .get_activity_task(poll_input("not-an-arn", None))
        .unwrap_err();
    assert!(matches!(err, sfn::Error::InvalidArn(_)), "{err:?}");
    let sm = env.sfn.state_machine_arn("a");
    let err = env
        .sfn
        .get_activity_task(poll_input(&sm, None))
        .unwrap_err();
    assert!(matches!(err, sfn::Error::InvalidArn(_)), "{err:?}");
    for unknown in [
        env.sfn.activity_arn("b"),
        "arn:aws:states:eu-west-1:123456789012:activity:a".to_owned(),
        "arn:aws:states:us-east-1:000000000000:activity:a".to_owned(),
        "arn:aws-cn:states:us-east-1:123456789012:activity:a".to_owned(),
    ] {
        let err = env
            .sfn
            .get_activity_task(poll_input(&unknown, None))
            .unwrap_err();
        assert!(
            matches!(err, sfn::Error::ActivityDoesNotExist(_)),
            "{unknown}: {err:?}"
        );
        assert_eq!(env.sfn.waiting_pollers(&unknown), 0);
    }
    let act = env.sfn.activity_arn("a");
    let v = validation(
        env.sfn
            .get_activity_task(poll_input(&act, Some(&"w".repeat(81)))),
    );
    assert_eq!(v.violations()[0].member(), "workerName");
    let v = validation(env.sfn.get_activity_task(poll_input(&act, Some(""))));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MinLength(1));
    validation(env.sfn.get_activity_task(poll_input("", None)));
    // A worker name of 80 characters is fine.
    assert!(env.poll_now(&act, Some(&"w".repeat(80))).is_empty());
}

#[test]
fn heartbeats_record_no_event() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    for _ in 0..5 {
        env.heartbeat(&token).unwrap();
    }
    assert_eq!(env.history(&exec).len(), 3);
    env.sfn
        .send_task_heartbeat(SendTaskHeartbeatInput {
            task_token: token.clone(),
        })
        .unwrap();
    env.sfn
        .send_task_success(SendTaskSuccessInput {
            task_token: token.clone(),
            output: "[]".into(),
        })
        .unwrap();
    let err = env
        .sfn
        .send_task_failure(SendTaskFailureInput {
            task_token: token,
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, sfn::Error::TaskTimedOut(_)), "{err:?}");
}

#[test]
fn after_shutdown_workers_get_service_unavailable() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    let parked = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task(poll_input(&act, None)))
    };
    env.wait_for_pollers(&act, 1);
    let report = env.broker.shutdown();
    assert_eq!(report.pollers_released, 1);
    assert!(parked.join().unwrap().unwrap().is_empty());
    for err in [
        env.succeed(&token, "{}").unwrap_err(),
        env.fail(&token, None, None).unwrap_err(),
        env.heartbeat(&token).unwrap_err(),
        env.sfn
            .get_activity_task(poll_input(&act, None))
            .unwrap_err(),
    ] {
        assert!(matches!(err, sfn::Error::ServiceUnavailable(_)), "{err:?}");
    }
    // The execution was aborted, and that is readable.
    let d = env.describe(&exec);
    assert_eq!(d.status, ExecutionStatus::Aborted);
    assert_eq!(d.cause.as_deref(), Some("activity-broker shut down"));
    assert_eq!(
        env.last(&exec).event_type,
        HistoryEventType::ExecutionAborted
    );
}
