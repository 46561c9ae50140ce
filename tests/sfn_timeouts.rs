//! Step Functions task timeouts on the manual clock: `TimeoutSeconds`
//! (`States.Timeout`), `HeartbeatSeconds` (`States.HeartbeatTimeout`), the
//! execution's one-year limit, and the 90-day retention of closed
//! executions.

mod sfn_support;

use std::thread;

use activity_broker::EventId;
use activity_broker::sfn::{
    self, DescribeExecutionInput, EventDetails, ExecutionStatus, GetActivityTaskInput,
    GetExecutionHistoryInput, HistoryEventType, StartExecutionInput,
};
use sfn_support::{Env, NS, error_cause, secs};

fn timed(env: &Env, act: &str, name: &str, timeout: Option<i64>, heartbeat: Option<i64>) -> String {
    env.start_with(StartExecutionInput {
        timeout_seconds: timeout,
        heartbeat_seconds: heartbeat,
        ..env.start_input(act, name)
    })
}

#[test]
fn timeout_seconds_counts_from_the_schedule_and_times_out_a_queued_task() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", Some(30), None);
    env.advance(secs(30) - NS);
    assert_eq!(env.sfn.pending_tasks(&act), 1);
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Running);
    env.advance(NS);
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert!(
        env.poll_now(&act, None).is_empty(),
        "a timed-out task is never delivered"
    );
    let h = env.history(&exec);
    let types: Vec<&str> = h.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "ActivityScheduled",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    match &h[1].details {
        EventDetails::ActivityScheduled {
            timeout_in_seconds, ..
        } => assert_eq!(*timeout_in_seconds, Some(30)),
        other => panic!("{other:?}"),
    }
    assert_eq!(error_cause(&h[2].details), (Some("States.Timeout"), None));
    // It never started: it follows from its schedule.
    assert_eq!(h[2].previous_event_id, EventId::new(2));
    assert_eq!(h[2].timestamp, h[0].timestamp + secs(30));
    // An uncaught Task-state error fails the execution with it.
    assert_eq!(error_cause(&h[3].details).0, Some("States.Timeout"));
    let d = env.describe(&exec);
    assert_eq!(d.status, ExecutionStatus::Failed);
    assert_eq!(d.error.as_deref(), Some("States.Timeout"));
}

#[test]
fn timeout_seconds_bounds_a_started_task_however_often_it_beats() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", Some(100), Some(20));
    env.advance(secs(10));
    let (token, _) = env.take(&act, "w");
    // Beating every 15 s keeps the heartbeat clock (20 s) happy, but the
    // 100 s timeout counts from the schedule, not the start.
    for _ in 0..5 {
        env.advance(secs(15));
        env.heartbeat(&token).unwrap();
    }
    // t = 85 s.
    env.advance(secs(15) - NS);
    env.heartbeat(&token).unwrap();
    env.advance(NS);
    let err = env.heartbeat(&token).unwrap_err();
    assert!(matches!(err, sfn::Error::TaskTimedOut(_)), "{err:?}");
    let h = env.history(&exec);
    assert_eq!(h[3].event_type, HistoryEventType::ActivityTimedOut);
    assert_eq!(error_cause(&h[3].details), (Some("States.Timeout"), None));
    assert_eq!(h[3].previous_event_id, EventId::new(3), "follows its start");
    assert_eq!(env.describe(&exec).error.as_deref(), Some("States.Timeout"));
    for err in [env.succeed(&token, "{}"), env.fail(&token, None, None)] {
        assert!(matches!(err, Err(sfn::Error::TaskTimedOut(_))), "{err:?}");
    }
}

#[test]
fn heartbeat_seconds_times_out_a_silent_worker() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", Some(3600), Some(10));
    // The heartbeat clock starts with the task, not the schedule.
    env.advance(secs(50));
    let (token, _) = env.take(&act, "w");
    env.advance(secs(9));
    env.heartbeat(&token).unwrap();
    env.advance(secs(10) - NS);
    env.heartbeat(&token).unwrap();
    env.advance(secs(10) - NS);
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Running);
    env.advance(NS);
    let h = env.history(&exec);
    let types: Vec<&str> = h.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    match &h[1].details {
        EventDetails::ActivityScheduled {
            timeout_in_seconds,
            heartbeat_in_seconds,
            ..
        } => assert_eq!(
            (*timeout_in_seconds, *heartbeat_in_seconds),
            (Some(3600), Some(10))
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error_cause(&h[3].details),
        (Some("States.HeartbeatTimeout"), None)
    );
    assert_eq!(
        error_cause(&h[4].details).0,
        Some("States.HeartbeatTimeout")
    );
    let d = env.describe(&exec);
    assert_eq!(d.status, ExecutionStatus::Failed);
    assert_eq!(d.error.as_deref(), Some("States.HeartbeatTimeout"));
    let err = env.succeed(&token, "{}").unwrap_err();
    assert!(matches!(err, sfn::Error::TaskTimedOut(_)), "{err:?}");
}

#[test]
fn a_heartbeat_timeout_never_fires_before_the_task_starts() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", None, Some(5));
    env.advance(secs(3600));
    assert_eq!(env.sfn.pending_tasks(&act), 1);
    let (token, _) = env.take(&act, "w");
    env.succeed(&token, "1").unwrap();
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Succeeded);
}

#[test]
fn a_late_answer_after_a_timeout_changes_nothing() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", Some(5), None);
    let (token, _) = env.take(&act, "w");
    env.advance(secs(5));
    let before = env.history(&exec);
    assert!(matches!(
        env.succeed(&token, "{}"),
        Err(sfn::Error::TaskTimedOut(_))
    ));
    assert_eq!(env.history(&exec), before);
}

#[test]
fn a_timeout_decided_by_a_call_at_the_deadline_is_recorded_once() {
    // Without advancing past the deadline's timer: the call itself finds
    // the task expired (the clock is exactly at the deadline).
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", Some(10), Some(4));
    let (token, _) = env.take(&act, "w");
    env.advance(secs(4));
    assert!(matches!(
        env.heartbeat(&token),
        Err(sfn::Error::TaskTimedOut(_))
    ));
    let timeouts = env
        .history(&exec)
        .iter()
        .filter(|e| e.event_type == HistoryEventType::ActivityTimedOut)
        .count();
    assert_eq!(timeouts, 1);
}

#[test]
fn timeouts_wake_no_one_and_release_the_worker_slot() {
    let env = Env::with(|b| b.max_pollers(1));
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", Some(30), None);
    let (token, _) = env.take(&act, "w");
    let parked = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || {
            sfn.get_activity_task(GetActivityTaskInput {
                activity_arn: act,
                worker_name: None,
            })
        })
    };
    env.wait_for_pollers(&act, 1);
    env.advance(secs(30));
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Failed);
    assert!(matches!(
        env.heartbeat(&token),
        Err(sfn::Error::TaskTimedOut(_))
    ));
    assert_eq!(
        env.sfn.waiting_pollers(&act),
        1,
        "a timeout hands nothing out"
    );
    env.advance(secs(30));
    assert!(parked.join().unwrap().unwrap().is_empty());
}

#[test]
fn timeouts_are_validated() {
    let env = Env::new();
    let act = env.activity("a");
    for (timeout, heartbeat, member) in [
        (Some(0), None, "timeoutSeconds"),
        (Some(-5), None, "timeoutSeconds"),
        (Some(100_000_000), None, "timeoutSeconds"),
        (Some(10), Some(10), "heartbeatSeconds"),
        (Some(10), Some(11), "heartbeatSeconds"),
        (None, Some(0), "heartbeatSeconds"),
        (None, Some(99_999_999), "heartbeatSeconds"),
        (Some(1), Some(1), "heartbeatSeconds"),
    ] {
        let r = env.sfn.start_execution(StartExecutionInput {
            timeout_seconds: timeout,
            heartbeat_seconds: heartbeat,
            ..env.start_input(&act, "e")
        });
        let v = sfn_support::validation(r);
        assert_eq!(
            v.violations()[0].member(),
            member,
            "{timeout:?} {heartbeat:?}"
        );
    }
    assert_eq!(
        env.sfn.pending_tasks(&act),
        0,
        "a refused start changes nothing"
    );
    timed(&env, &act, "max", Some(99_999_999), Some(99_999_998));
    timed(&env, &act, "min", Some(2), Some(1));
}

#[test]
fn an_execution_times_out_after_one_year() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = timed(&env, &act, "e", None, None);
    env.advance(secs(365 * 86_400) - NS);
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Running);
    env.advance(NS);
    let d = env.describe(&exec);
    assert_eq!(d.status, ExecutionStatus::TimedOut);
    assert_eq!(d.error.as_deref(), Some("States.Timeout"));
    let last = env.last(&exec);
    assert_eq!(last.event_type, HistoryEventType::ExecutionTimedOut);
    // Its task went with it.
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert!(env.poll_now(&act, None).is_empty());
}

#[test]
fn closed_executions_are_kept_ninety_days_then_forgotten() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    env.succeed(&token, "{}").unwrap();
    // The name stays taken while the execution is kept.
    let err = env
        .sfn
        .start_execution(env.start_input(&act, "e"))
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::ExecutionAlreadyExists(_)),
        "{err:?}"
    );
    env.advance(secs(90 * 86_400) - NS);
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Succeeded);
    env.advance(NS);
    let err = env
        .sfn
        .describe_execution(DescribeExecutionInput {
            execution_arn: exec.clone(),
        })
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::ExecutionDoesNotExist(_)),
        "{err:?}"
    );
    let err = env
        .sfn
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: exec.clone(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::ExecutionDoesNotExist(_)),
        "{err:?}"
    );
    // And the name is free again.
    let again = env.start(&act, "e");
    assert_eq!(again, exec);
    assert_eq!(env.history(&again).len(), 2);
}
