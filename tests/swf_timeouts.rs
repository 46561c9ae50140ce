//! The four activity timeouts of AWS-API.md A1 ("Timeouts"): each fires at
//! the advance that crosses its deadline and not one nanosecond before;
//! heartbeats reset only the heartbeat clock; the last heartbeat's details
//! land in `ActivityTaskTimedOut.details`; a timed-out task's token is dead.

mod support;

use activity_broker::swf::{self, EventAttributes, EventType, WorkflowExecution};
use support::*;

/// Schedules one task `id` on [`LIST`] with the given timeouts (`None`
/// keeps the type's default, `NONE`).
fn schedule_with(
    env: &Env,
    exec: &WorkflowExecution,
    id: &str,
    s2s: Option<&str>,
    s2c: Option<&str>,
    stc: Option<&str>,
    hb: Option<&str>,
) {
    let mut a = sched(id);
    a.schedule_to_start_timeout = s2s.map(Into::into);
    a.schedule_to_close_timeout = s2c.map(Into::into);
    a.start_to_close_timeout = stc.map(Into::into);
    a.heartbeat_timeout = hb.map(Into::into);
    env.decide(exec, vec![schedule(a)]);
}

/// Asserts that the history of `exec` has exactly `n` events (nothing fired).
fn assert_quiet(env: &Env, exec: &WorkflowExecution, n: usize) {
    let types = env.types(exec);
    assert_eq!(
        types.len(),
        n,
        "nothing may fire before the deadline: {types:?}"
    );
}

#[test]
fn schedule_to_start_fires_exactly_at_its_deadline() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", Some("10"), None, None, None);
    assert_eq!(env.len(&exec), 5);
    env.advance(secs(10) - NS);
    assert_quiet(&env, &exec, 5);
    assert_eq!(env.pending(LIST), 1);
    env.advance(NS);
    let h = env.history(&exec);
    assert_eq!(h.len(), 7);
    // startedEventId is 0 for a task that never started (A1, an inference).
    assert_eq!(timed_out(&h[5]), ("SCHEDULE_TO_START", 5, 0, None));
    assert_eq!(h[6].event_type, EventType::DecisionTaskScheduled);
    assert_eq!(env.pending(LIST), 0);
    assert!(
        env.poll_now(LIST).is_empty(),
        "a timed-out task is never delivered"
    );
    check_history(&h);
}

#[test]
fn schedule_to_start_stops_when_the_task_is_delivered() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", Some("10"), None, None, None);
    env.advance(secs(9));
    let t = env.take(LIST);
    env.advance(secs(100));
    assert_quiet(&env, &exec, 6);
    assert_eq!(env.heartbeat(&t.task_token, None), Ok(false));
}

#[test]
fn schedule_to_close_fires_exactly_on_a_started_task() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, Some("30"), None, None);
    env.advance(secs(10));
    let t = env.take(LIST);
    env.advance(secs(20) - NS);
    assert_quiet(&env, &exec, 6);
    assert_eq!(env.heartbeat(&t.task_token, Some("almost")), Ok(false));
    env.advance(NS);
    let h = env.history(&exec);
    assert_eq!(
        timed_out(&h[6]),
        ("SCHEDULE_TO_CLOSE", 5, 6, Some("almost"))
    );
    assert_eq!(h[7].event_type, EventType::DecisionTaskScheduled);
    env.assert_token_dead(&t.task_token, &exec, LIST);
}

#[test]
fn schedule_to_close_fires_exactly_on_a_queued_task() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, Some("30"), None, None);
    env.advance(secs(30) - NS);
    assert_quiet(&env, &exec, 5);
    env.advance(NS);
    assert_eq!(
        timed_out(&env.event(&exec, 6)),
        ("SCHEDULE_TO_CLOSE", 5, 0, None)
    );
    assert_eq!(env.pending(LIST), 0);
}

#[test]
fn start_to_close_fires_exactly_and_heartbeats_do_not_extend_it() {
    // A1: the start-to-close limit applies "regardless of the number of
    // RecordActivityTaskHeartbeat requests".
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, None, Some("20"), Some("10"));
    env.advance(secs(5));
    let t = env.take(LIST);
    for i in 0..4 {
        env.advance(
            secs(5)
                - if i == 3 {
                    NS
                } else {
                    std::time::Duration::ZERO
                },
        );
        assert_eq!(
            env.heartbeat(&t.task_token, Some(&format!("hb{i}"))),
            Ok(false)
        );
    }
    // Now at 25 s - 1 ns: started at 5 s, so 20 s minus one nanosecond.
    assert_quiet(&env, &exec, 6);
    env.advance(NS);
    assert_eq!(
        timed_out(&env.event(&exec, 7)),
        ("START_TO_CLOSE", 5, 6, Some("hb3"))
    );
    env.assert_token_dead(&t.task_token, &exec, LIST);
}

#[test]
fn heartbeat_timeout_fires_exactly_after_the_last_heartbeat() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, None, None, Some("10"));
    let t = env.take(LIST);
    // Heartbeats every 9 s keep the task alive far past 10 s.
    for i in 0..5 {
        env.advance(secs(9));
        assert_eq!(
            env.heartbeat(&t.task_token, Some(&format!("{}%", i * 20))),
            Ok(false)
        );
    }
    assert_quiet(&env, &exec, 6);
    env.advance(secs(10) - NS);
    assert_quiet(&env, &exec, 6);
    env.advance(NS);
    let h = env.history(&exec);
    // The last heartbeat's details become ActivityTaskTimedOut.details (A1).
    assert_eq!(timed_out(&h[6]), ("HEARTBEAT", 5, 6, Some("80%")));
    assert_eq!(h[7].event_type, EventType::DecisionTaskScheduled);
    env.assert_token_dead(&t.task_token, &exec, LIST);
}

#[test]
fn a_heartbeat_without_details_leaves_the_timeout_without_details() {
    // A1: "The last `details` become `ActivityTaskTimedOut.details`": the
    // last call gave none, so none are recorded, not an earlier call's.
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, None, Some("NONE"), Some("10"));
    let t = env.take(LIST);
    env.advance(secs(5));
    assert_eq!(env.heartbeat(&t.task_token, Some("first")), Ok(false));
    env.advance(secs(5));
    assert_eq!(env.heartbeat(&t.task_token, None), Ok(false));
    env.advance(secs(10));
    assert_eq!(timed_out(&env.event(&exec, 7)), ("HEARTBEAT", 5, 6, None));
}

#[test]
fn heartbeat_timeout_without_any_heartbeat_counts_from_the_start() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, None, Some("NONE"), Some("10"));
    env.advance(secs(3));
    let _t = env.take(LIST);
    env.advance(secs(10) - NS);
    assert_quiet(&env, &exec, 6);
    env.advance(NS);
    assert_eq!(timed_out(&env.event(&exec, 7)), ("HEARTBEAT", 5, 6, None));
}

#[test]
fn heartbeat_resets_only_the_heartbeat_clock() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, Some("40"), Some("25"), Some("10"));
    let t = env.take(LIST);
    for _ in 0..4 {
        env.advance(secs(6));
        assert_eq!(env.heartbeat(&t.task_token, Some("busy")), Ok(false));
    }
    // 24 s: heartbeat clock at 34 s, start-to-close at 25 s, schedule-to-close at 40 s.
    env.advance(secs(1) - NS);
    assert_quiet(&env, &exec, 6);
    env.advance(NS);
    assert_eq!(
        timed_out(&env.event(&exec, 7)),
        ("START_TO_CLOSE", 5, 6, Some("busy"))
    );
}

#[test]
fn heartbeat_records_no_event() {
    // A1: RecordActivityTaskHeartbeat "records no history event".
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    let before = env.history(&exec);
    for _ in 0..3 {
        assert_eq!(env.heartbeat(&t.task_token, Some("x")), Ok(false));
    }
    assert_eq!(env.history(&exec), before);
}

#[test]
fn timeouts_come_from_the_type_defaults_when_the_decision_gives_none() {
    let env = Env::new();
    let mut reg = full_defaults("timed", VERSION);
    reg.default_task_schedule_to_start_timeout = Some("5".into());
    reg.default_task_schedule_to_close_timeout = Some("50".into());
    reg.default_task_start_to_close_timeout = Some("20".into());
    reg.default_task_heartbeat_timeout = Some("8".into());
    env.swf.register_activity_type(reg).unwrap();
    let exec = env.start("w");
    let mut a = sched("a");
    a.activity_type = swf::ActivityType::new("timed", VERSION);
    env.decide(&exec, vec![schedule(a)]);
    let EventAttributes::ActivityTaskScheduled(s) = env.event(&exec, 5).attributes else {
        panic!()
    };
    assert_eq!(s.schedule_to_start_timeout.as_deref(), Some("5"));
    assert_eq!(s.schedule_to_close_timeout.as_deref(), Some("50"));
    assert_eq!(s.start_to_close_timeout.as_deref(), Some("20"));
    assert_eq!(s.heartbeat_timeout.as_deref(), Some("8"));
    env.advance(secs(5) - NS);
    assert_quiet(&env, &exec, 5);
    env.advance(NS);
    assert_eq!(
        timed_out(&env.event(&exec, 6)),
        ("SCHEDULE_TO_START", 5, 0, None)
    );
}

#[test]
fn decision_timeouts_override_the_type_defaults() {
    let env = Env::new();
    let mut reg = full_defaults("timed", VERSION);
    reg.default_task_schedule_to_start_timeout = Some("5".into());
    env.swf.register_activity_type(reg).unwrap();
    let exec = env.start("w");
    let mut a = sched("a");
    a.activity_type = swf::ActivityType::new("timed", VERSION);
    a.schedule_to_start_timeout = Some("NONE".into());
    env.decide(&exec, vec![schedule(a)]);
    env.advance(secs(1_000_000));
    assert_quiet(&env, &exec, 5);
    assert_eq!(env.pending(LIST), 1);
}

#[test]
fn a_zero_timeout_expires_before_the_task_can_be_delivered() {
    // A1: "0" is allowed but undocumented; the engine reads it as "already
    // expired", so the task times out instead of being delivered.
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", Some("0"), None, None, None);
    assert!(env.poll_now(LIST).is_empty());
    assert_eq!(
        timed_out(&env.event(&exec, 6)),
        ("SCHEDULE_TO_START", 5, 0, None)
    );
}

#[test]
fn a_closed_task_never_times_out() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(
        &env,
        &exec,
        "a",
        Some("10"),
        Some("10"),
        Some("10"),
        Some("10"),
    );
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    let n = env.len(&exec);
    env.advance(secs(3600));
    assert_quiet(&env, &exec, n);
}

#[test]
fn a_late_respond_after_the_deadline_is_refused() {
    // The advance that crosses the deadline closes the task; the worker's
    // answer that follows finds it closed and changes nothing (A1).
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", None, None, Some("10"), None);
    let t = env.take(LIST);
    env.advance(secs(10));
    assert!(matches!(
        env.complete(&t.task_token, Some("late")),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    let h = env.history(&exec);
    assert_eq!(h.len(), 8);
    assert!(
        !h.iter()
            .any(|e| e.event_type == EventType::ActivityTaskCompleted)
    );
}

#[test]
fn one_advance_fires_many_deadlines_in_deadline_order() {
    // ManualClock::advance fires every deadline it crosses, in deadline
    // order, across task lists (and so across shards).
    let env = Env::new();
    let exec = env.start("w");
    let lists = ["l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7"];
    let decisions = lists
        .iter()
        .enumerate()
        .map(|(i, list)| {
            let mut a = sched(&format!("a{i}"));
            a.task_list = Some(swf::TaskList::new(*list));
            // Later lists time out earlier: 80 s, 70 s, ..., 10 s.
            a.schedule_to_start_timeout = Some(((8 - i) * 10).to_string());
            schedule(a)
        })
        .collect();
    env.decide(&exec, decisions);
    env.advance(secs(100));
    let h = env.history(&exec);
    let order: Vec<u64> = h
        .iter()
        .filter(|e| e.event_type == EventType::ActivityTaskTimedOut)
        .map(|e| timed_out(e).1)
        .collect();
    // Scheduled ids 5..=12; the last scheduled has the earliest deadline.
    assert_eq!(order, [12, 11, 10, 9, 8, 7, 6, 5]);
    check_history(&h);
}

#[test]
fn an_execution_timeout_before_an_activity_deadline_wins_in_one_advance() {
    // The execution times out at 50 s; its task's heartbeat deadline is at
    // 80 s. One advance past both must record only the execution's timeout,
    // as real time would have.
    let env = Env::new();
    let run = env
        .swf
        .start_workflow_execution(swf::StartWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
            execution_start_to_close_timeout: Some("50".into()),
            ..Default::default()
        })
        .unwrap();
    let exec = WorkflowExecution::new("w", run.run_id);
    schedule_with(&env, &exec, "a", None, None, None, Some("80"));
    let t = env.take(LIST);
    env.advance(secs(100));
    let types = env.types(&exec);
    assert_eq!(
        types.last(),
        Some(&"WorkflowExecutionTimedOut"),
        "{types:?}"
    );
    assert!(!types.contains(&"ActivityTaskTimedOut"), "{types:?}");
    env.assert_token_dead(&t.task_token, &exec, LIST);
}

#[test]
fn a_timeout_is_recorded_at_its_deadline_when_one_advance_jumps_past_it() {
    let env = Env::new();
    let exec = env.start("w");
    schedule_with(&env, &exec, "a", Some("10"), None, None, None);
    env.advance(secs(100));
    let h = env.history(&exec);
    let t0 = std::time::UNIX_EPOCH + activity_broker::ManualClock::DEFAULT_START;
    assert_eq!(h[5].event_type, EventType::ActivityTaskTimedOut);
    assert_eq!(h[5].event_timestamp, t0 + secs(10));
    assert_eq!(h[6].event_timestamp, t0 + secs(10));
    // What happens after the advance is stamped with the clock's time.
    env.schedule(&exec, &["b"]);
    assert_eq!(env.last(&exec).event_timestamp, t0 + secs(100));
}
