//! Deleting an activity that has work: no thread hangs and no task
//! vanishes without an event.
//!
//! * workers blocked in `get_activity_task` return the empty result at once;
//! * queued tasks fail (`ActivityFailed`, error `ActivityBroker.ActivityDeleted`),
//!   which fails their executions;
//! * started tasks keep running: their tokens work until they close or time
//!   out;
//! * later polls get `ActivityDoesNotExist`; later executions record
//!   `ActivityScheduleFailed`.

mod sfn_support;

use std::thread;

use activity_broker::EventId;
use activity_broker::sfn::{
    self, DeleteActivityInput, ExecutionStatus, GetActivityTaskInput, HistoryEventType,
    StartExecutionInput,
};
use sfn_support::{Env, error_cause, secs};

fn delete(env: &Env, arn: &str) {
    env.sfn
        .delete_activity(DeleteActivityInput {
            activity_arn: arn.into(),
        })
        .expect("delete");
}

fn poll(arn: &str) -> GetActivityTaskInput {
    GetActivityTaskInput {
        activity_arn: arn.into(),
        worker_name: None,
    }
}

#[test]
fn waiting_workers_return_at_once_with_no_task() {
    let env = Env::new();
    let act = env.activity("a");
    let other = env.activity("b");
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (sfn, act) = (env.sfn.clone(), act.clone());
            thread::spawn(move || sfn.get_activity_task(poll(&act)))
        })
        .collect();
    let bystander = {
        let (sfn, other) = (env.sfn.clone(), other.clone());
        thread::spawn(move || sfn.get_activity_task(poll(&other)))
    };
    env.wait_for_pollers(&act, 4);
    env.wait_for_pollers(&other, 1);
    delete(&env, &act);
    // No clock movement: the delete itself ends the waits.
    for w in workers {
        assert!(w.join().unwrap().unwrap().is_empty());
    }
    assert_eq!(env.sfn.waiting_pollers(&act), 0);
    // Another activity's worker is not disturbed.
    assert_eq!(env.sfn.waiting_pollers(&other), 1);
    let exec = env.start(&other, "e");
    let got = bystander.join().unwrap().unwrap();
    assert!(got.task_token.is_some());
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Running);
}

#[test]
fn queued_tasks_fail_and_started_tasks_keep_running() {
    let env = Env::new();
    let act = env.activity("a");
    let started = env.start(&act, "started");
    let (token, _) = env.take(&act, "w");
    let started_with_timeout = env.start_with(StartExecutionInput {
        timeout_seconds: Some(100),
        ..env.start_input(&act, "started-2")
    });
    let (token2, _) = env.take(&act, "w");
    let queued: Vec<String> = (0..3).map(|i| env.start(&act, &format!("q{i}"))).collect();
    assert_eq!(env.sfn.pending_tasks(&act), 3);

    env.advance(secs(1));
    delete(&env, &act);
    assert_eq!(env.sfn.pending_tasks(&act), 0);

    for exec in &queued {
        let h = env.history(exec);
        let types: Vec<&str> = h.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "ActivityScheduled",
                "ActivityFailed",
                "ExecutionFailed"
            ]
        );
        let (error, cause) = error_cause(&h[2].details);
        assert_eq!(error, Some("ActivityBroker.ActivityDeleted"));
        assert!(cause.is_some());
        assert_eq!(h[2].previous_event_id, EventId::new(2), "never started");
        assert_eq!(h[2].timestamp, h[0].timestamp + secs(1));
        let d = env.describe(exec);
        assert_eq!(d.status, ExecutionStatus::Failed);
        assert_eq!(d.error.as_deref(), Some("ActivityBroker.ActivityDeleted"));
    }

    // The started tasks: still running, tokens alive.
    assert_eq!(env.describe(&started).status, ExecutionStatus::Running);
    env.heartbeat(&token).unwrap();
    env.succeed(&token, r#""done anyway""#).unwrap();
    assert_eq!(env.describe(&started).status, ExecutionStatus::Succeeded);
    // ... and their timeouts still fire.
    env.advance(secs(99));
    let err = env.succeed(&token2, "{}").unwrap_err();
    assert!(matches!(err, sfn::Error::TaskTimedOut(_)), "{err:?}");
    assert_eq!(
        env.last(&started_with_timeout).event_type,
        HistoryEventType::ExecutionFailed
    );
    assert_eq!(
        env.describe(&started_with_timeout).error.as_deref(),
        Some("States.Timeout")
    );
}

#[test]
fn after_delete_polls_fail_and_new_executions_cannot_schedule() {
    let env = Env::new();
    let act = env.activity("a");
    delete(&env, &act);
    let err = env.sfn.get_activity_task(poll(&act)).unwrap_err();
    assert!(
        matches!(err, sfn::Error::ActivityDoesNotExist(_)),
        "{err:?}"
    );
    let exec = env.start(&act, "late");
    assert_eq!(
        env.types(&exec),
        [
            "ExecutionStarted",
            "ActivityScheduleFailed",
            "ExecutionFailed"
        ]
    );
}

#[test]
fn a_recreated_activity_starts_empty_and_old_tokens_still_work() {
    let env = Env::new();
    let act = env.activity("a");
    let old = env.start(&act, "old");
    let (token, _) = env.take(&act, "w");
    let dropped = env.start(&act, "dropped");
    delete(&env, &act);
    assert_eq!(env.activity("a"), act);
    // The queued task did not come back with the name.
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert_eq!(env.describe(&dropped).status, ExecutionStatus::Failed);
    let fresh = env.start(&act, "fresh");
    let (fresh_token, input) = env.take(&act, "w");
    assert_eq!(input, r#"{"job":"fresh"}"#);
    env.succeed(&token, "1").unwrap();
    env.succeed(&fresh_token, "2").unwrap();
    assert_eq!(env.describe(&old).output.as_deref(), Some("1"));
    assert_eq!(env.describe(&fresh).output.as_deref(), Some("2"));
}

/// Workers that keep polling while the activity is deleted under them all
/// stop: each poll either ends empty or is refused, and none parks on the
/// deleted activity (a poll arriving while withdrawn workers are still
/// leaving once could).
#[test]
fn workers_polling_through_a_delete_all_stop() {
    for round in 0..20 {
        let env = Env::new();
        let act = env.activity("a");
        let workers: Vec<_> = (0..6)
            .map(|_| {
                let (sfn, act) = (env.sfn.clone(), act.clone());
                thread::spawn(move || {
                    let mut polls = 0u32;
                    loop {
                        polls += 1;
                        match sfn.get_activity_task(poll(&act)) {
                            Ok(got) => assert!(got.is_empty(), "no task was ever scheduled"),
                            Err(sfn::Error::ActivityDoesNotExist(_)) => return polls,
                            Err(other) => panic!("{other:?}"),
                        }
                    }
                })
            })
            .collect();
        env.wait_for_pollers(&act, 1 + round % 6);
        delete(&env, &act);
        // On a correct engine every worker stops within microseconds. Should
        // one park on the deleted activity, fail rather than hang: move the
        // clock to release it, then report.
        let mut spins = 0u64;
        while !workers.iter().all(|w| w.is_finished()) {
            spins += 1;
            if spins == 50_000_000 {
                env.advance(secs(3600));
                panic!("round {round}: a worker parked on a deleted activity");
            }
            thread::yield_now();
        }
        for w in workers {
            assert!(w.join().unwrap() >= 1);
        }
    }
}
