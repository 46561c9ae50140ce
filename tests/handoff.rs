//! The handoff race, ordering by ordering.
//!
//! A task meets a poller under the shard lock, and so do the poller's
//! deadline and the task's own timeouts: whichever critical section runs
//! first decides, and the other finds the decision made. loom cannot model
//! parking_lot, so these tests are a deterministic scheduler of their own:
//! the [`ManualClock`](activity_broker::ManualClock) fixes when a deadline
//! is decided (inside `advance`, before it returns), the engine's observable
//! state (`waiting_pollers`, `count_pending_activity_tasks`) fixes when a
//! poller is parked or gone, and the test thread then runs the competing
//! operation, so each ordering of the deciding sections is forced, not hoped
//! for:
//!
//! 1. the poller's deadline passes, then a task is scheduled: the task stays
//!    queued and the poller returns empty (with the expired poller gone, and
//!    with it still registered when the schedule runs);
//! 2. a task is handed to a parked poller, then its deadline passes before
//!    it wakes: it returns the task;
//! 3. a task's schedule-to-start deadline passes at the advance a poller
//!    arrives at: one nanosecond earlier it is delivered; at the deadline it
//!    has timed out and is never delivered;
//! 4. a delivered task's start-to-close timeout fires before the worker
//!    responds: the respond is refused and there is exactly one close;
//! 5. two threads and the clock race with random interleavings, many times,
//!    and every run is checked for exactly-once delivery and close;
//! 6. a poll or a schedule that reads the clock just before a concurrent
//!    advance moves it still has its deadline fired by that advance.
//!
//! The one position the tests cannot force is when a woken poller thread
//! gets the lock back to leave (the OS picks); it only reads a state already
//! decided, and 1, 2 and 5 observe and report both positions.

#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/rig.rs"]
mod rig;

use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use activity_broker::PollCancel;
use activity_broker::swf::{self, EventType, RecordActivityTaskHeartbeatInput};
use invariants::{Action, Delivery, World};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rig::{DOMAIN, NS, Rig, Timeouts, closes, secs, timeouts};

/// Repetitions of the observed orderings.
fn reps(n: usize) -> usize {
    if cfg!(miri) { n / 50 } else { n }
}

/// Yields a random number of times: a random interleaving point.
fn jitter(rng: &mut StdRng) {
    for _ in 0..rng.random_range(0..40) {
        thread::yield_now();
    }
}

/// Every history of `execs` and every delivery is checked, at rest.
fn check_all(
    rig: &Rig,
    execs: &[swf::WorkflowExecution],
    deliveries: &[Delivery],
    lists: &[String],
) {
    World {
        swf: &rig.swf,
        domain: DOMAIN,
        executions: execs,
        deliveries,
        lists,
        quiescent: true,
        page_size: 1000,
    }
    .check();
}

fn delivery(task: &swf::PollForActivityTaskOutput, action: Action, accepted: bool) -> Delivery {
    Delivery {
        execution: task.workflow_execution.clone(),
        activity_id: task.activity_id.clone(),
        started_event_id: task.started_event_id.get(),
        input: task.input.clone(),
        action,
        accepted,
        saw_cancel_requested: false,
    }
}

// ----- 1. the deadline passes, then the schedule --------------------------

#[test]
fn a_poller_whose_deadline_passed_never_receives_a_task() {
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    let mut lists = Vec::new();
    let mut deliveries = Vec::new();
    let mut still_registered = 0;
    let n = reps(200);
    for i in 0..n {
        let list = format!("l{i}");
        let poller = rig.poller(&list, secs(1));
        rig.wait_for_pollers(&list, 1);
        // The expiry is decided inside `advance`, under the shard lock.
        rig.clock.advance(secs(1));
        let gone_first = i % 2 == 0;
        if gone_first {
            // Forced: the expired poller has left the list.
            rig.wait_for_pollers(&list, 0);
        }
        rig.schedule(&exec, &format!("a{i}"), &list, Timeouts::default());
        if !gone_first && rig.swf.waiting_pollers(DOMAIN, &list) == 1 {
            // Observed: the schedule ran while the expired poller was still
            // registered, and skipped it.
            still_registered += 1;
        }
        let got = poller.join().expect("poller").expect("poll");
        assert!(got.is_empty(), "an expired poller received {got:?}");
        assert_eq!(rig.pending(&list), 1, "the task stays queued");
        // It goes to the next poller.
        let task = rig.poll_now(&list);
        assert_eq!(task.activity_id, format!("a{i}"));
        rig.complete(&task.task_token).expect("complete");
        deliveries.push(delivery(&task, Action::Completed, true));
        lists.push(list);
    }
    println!(
        "expiry then schedule: {n} runs; the expired poller was still registered at the schedule in {still_registered}"
    );
    check_all(&rig, &[exec], &deliveries, &lists);
}

// ----- 2. the schedule, then the deadline ------------------------------------

#[test]
fn a_task_handed_over_is_returned_even_if_the_deadline_passes_first() {
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    let mut lists = Vec::new();
    let mut deliveries = Vec::new();
    let mut late_wakers = 0;
    let n = reps(200);
    for i in 0..n {
        let list = format!("l{i}");
        let poller = rig.poller(&list, secs(1));
        rig.wait_for_pollers(&list, 1);
        if i % 2 == 0 {
            // Forced: the handoff happens one nanosecond before the deadline,
            // which passes before the poller reads its result.
            rig.clock.advance(secs(1) - NS);
        }
        // The handoff is decided inside the schedule, under the shard lock.
        rig.schedule(&exec, &format!("a{i}"), &list, Timeouts::default());
        if rig.swf.waiting_pollers(DOMAIN, &list) == 1 {
            // Observed: the poller has not woken yet; its deadline now
            // passes before it does.
            late_wakers += 1;
        }
        rig.clock.advance(secs(1));
        let task = poller.join().expect("poller").expect("poll");
        assert_eq!(task.activity_id, format!("a{i}"), "the handed-over task");
        assert_eq!(rig.pending(&list), 0);
        rig.complete(&task.task_token).expect("complete");
        deliveries.push(delivery(&task, Action::Completed, true));
        lists.push(list);
    }
    println!("schedule then expiry: {n} runs; the poller woke after its deadline in {late_wakers}");
    let h = rig.history(&exec);
    assert!(timeouts(&h).is_empty(), "nothing timed out");
    check_all(&rig, &[exec], &deliveries, &lists);
}

// ----- 3. schedule-to-start meets a poll ----------------------------------

#[test]
fn a_schedule_to_start_deadline_meeting_a_poll_decides_once() {
    let rig = Rig::new("1", |b| b);
    let t = Timeouts {
        schedule_to_start: Some("1"),
        ..Timeouts::default()
    };
    // One nanosecond early: delivered.
    let early = rig.start("early");
    rig.schedule(&early, "a", "early", t);
    rig.clock.advance(secs(1) - NS);
    let task = rig.poll_now("early");
    assert_eq!(task.activity_id, "a");
    rig.complete(&task.task_token).expect("complete");
    // At the deadline: the advance timed it out; the poll finds nothing.
    let late = rig.start("late");
    rig.schedule(&late, "a", "late", t);
    rig.clock.advance(secs(1));
    assert!(rig.poll_now("late").is_empty());
    assert_eq!(rig.pending("late"), 0);
    assert_eq!(timeouts(&rig.history(&late)), [("SCHEDULE_TO_START", 5, 0)]);
    let mut deliveries = vec![delivery(&task, Action::Completed, true)];
    let mut execs = vec![early, late];
    let mut lists = vec!["early".to_owned(), "late".to_owned()];

    // Concurrently: a poll arrives while the advance crosses the deadline.
    // Whichever reads the clock under the shard lock first decides.
    let mut rng = StdRng::seed_from_u64(3);
    let (mut delivered, mut expired) = (0, 0);
    let n = reps(300);
    for i in 0..n {
        let list = format!("c{i}");
        let exec = rig.start(&list);
        rig.schedule(&exec, "a", &list, t);
        rig.clock.advance(secs(1) - NS);
        let barrier = Arc::new(Barrier::new(2));
        let poller = {
            let (swf, barrier) = (rig.swf.clone(), Arc::clone(&barrier));
            let mut rng = StdRng::seed_from_u64(rng.random());
            let input = Rig::input(&list, "racer");
            thread::spawn(move || {
                barrier.wait();
                jitter(&mut rng);
                swf.poll_for_activity_task_timeout(input, Duration::ZERO)
            })
        };
        barrier.wait();
        jitter(&mut rng);
        rig.clock.advance(NS);
        let got = poller.join().expect("poller").expect("poll");
        let h = rig.history(&exec);
        if got.is_empty() {
            expired += 1;
            assert_eq!(timeouts(&h), [("SCHEDULE_TO_START", 5, 0)], "{h:#?}");
        } else {
            delivered += 1;
            assert!(timeouts(&h).is_empty(), "delivered and timed out: {h:#?}");
            rig.complete(&got.task_token).expect("complete");
            deliveries.push(delivery(&got, Action::Completed, true));
        }
        assert_eq!(rig.pending(&list), 0);
        execs.push(exec);
        lists.push(list);
    }
    println!("schedule-to-start vs poll: {n} runs, {delivered} delivered, {expired} timed out");
    check_all(&rig, &execs, &deliveries, &lists);
}

#[test]
fn a_zero_timeout_is_never_handed_to_a_parked_poller() {
    // AWS-API.md A1 allows "0" and leaves its meaning undocumented; the
    // engine reads it as already expired (DESIGN.md), and a poller parked
    // when the task is scheduled must not change that.
    let rig = Rig::new("1", |b| b);
    let zero_s2s = Timeouts {
        schedule_to_start: Some("0"),
        ..Timeouts::default()
    };
    let zero_s2c = Timeouts {
        schedule_to_close: Some("0"),
        ..Timeouts::default()
    };
    for (list, t, kind) in [
        ("s2s", zero_s2s, "SCHEDULE_TO_START"),
        ("s2c", zero_s2c, "SCHEDULE_TO_CLOSE"),
    ] {
        let exec = rig.start(list);
        let poller = rig.poller(list, secs(1));
        rig.wait_for_pollers(list, 1);
        rig.schedule(&exec, "a", list, t);
        // The handoff is decided inside the schedule: the poller is still
        // parked, with nothing delivered.
        assert_eq!(rig.swf.waiting_pollers(DOMAIN, list), 1, "{list}");
        rig.clock.advance(secs(1));
        let got = poller.join().expect("poller").expect("poll");
        assert!(got.is_empty(), "{list}: delivered {got:?}");
        assert_eq!(timeouts(&rig.history(&exec)), [(kind, 5, 0)], "{list}");
        assert_eq!(rig.pending(list), 0, "{list}");
    }
}

// ----- 4. start-to-close meets a respond ---------------------------------------

#[test]
fn a_start_to_close_timeout_before_the_respond_closes_once() {
    let rig = Rig::new("1", |b| b);
    let t = Timeouts {
        start_to_close: Some("1"),
        ..Timeouts::default()
    };
    let mut deliveries = Vec::new();
    let mut execs = Vec::new();
    let mut lists = Vec::new();
    // Forced, the timeout first: the respond and a heartbeat are refused,
    // and the history has exactly one close.
    let exec = rig.start("timeout-first");
    rig.schedule(&exec, "a", "l", t);
    let task = rig.poll_now("l");
    rig.clock.advance(secs(1));
    assert!(matches!(
        rig.complete(&task.task_token),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    assert!(matches!(
        rig.swf
            .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                task_token: task.task_token.clone(),
                details: None,
            }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    let h = rig.history(&exec);
    assert_eq!(closes(&h), ["ActivityTaskTimedOut"]);
    assert_eq!(timeouts(&h), [("START_TO_CLOSE", 5, 6)]);
    deliveries.push(delivery(&task, Action::Completed, false));
    execs.push(exec);
    // Forced, the respond first (one nanosecond before the deadline): the
    // advance past the deadline then finds nothing to time out.
    let exec = rig.start("respond-first");
    rig.schedule(&exec, "a", "l", t);
    let task = rig.poll_now("l");
    rig.clock.advance(secs(1) - NS);
    rig.complete(&task.task_token).expect("complete");
    rig.clock.advance(secs(1));
    assert_eq!(closes(&rig.history(&exec)), ["ActivityTaskCompleted"]);
    deliveries.push(delivery(&task, Action::Completed, true));
    execs.push(exec);
    lists.push("l".to_owned());

    // Concurrently, many times: the respond races the advance across the
    // deadline. Exactly one close, and the respond's answer says which.
    let mut rng = StdRng::seed_from_u64(4);
    let (mut completed, mut timed_out) = (0, 0);
    let n = reps(300);
    for i in 0..n {
        let exec = rig.start(&format!("race{i}"));
        rig.schedule(&exec, "a", "l", t);
        let task = rig.poll_now("l");
        rig.clock.advance(secs(1) - NS);
        let barrier = Arc::new(Barrier::new(2));
        let worker = {
            let (swf, barrier) = (rig.swf.clone(), Arc::clone(&barrier));
            let mut rng = StdRng::seed_from_u64(rng.random());
            let token = task.task_token.clone();
            thread::spawn(move || {
                barrier.wait();
                jitter(&mut rng);
                swf.respond_activity_task_completed(swf::RespondActivityTaskCompletedInput {
                    task_token: token,
                    result: None,
                })
            })
        };
        barrier.wait();
        jitter(&mut rng);
        rig.clock.advance(NS);
        let answer = worker.join().expect("worker");
        let h = rig.history(&exec);
        match answer {
            Ok(_) => {
                completed += 1;
                assert_eq!(closes(&h), ["ActivityTaskCompleted"], "{h:#?}");
            }
            Err(swf::Error::UnknownResourceFault(_)) => {
                timed_out += 1;
                assert_eq!(closes(&h), ["ActivityTaskTimedOut"], "{h:#?}");
            }
            Err(e) => panic!("unexpected {e:?}"),
        }
        deliveries.push(delivery(&task, Action::Completed, answer.is_ok()));
        execs.push(exec);
    }
    println!("start-to-close vs respond: {n} runs, {completed} completed, {timed_out} timed out");
    check_all(&rig, &execs, &deliveries, &lists);
}

// ----- 5. random interleavings of a producer, a poller and the clock ---------

#[test]
fn random_interleavings_deliver_and_close_exactly_once() {
    let rig = Rig::new("1", |b| b);
    let mut rng = StdRng::seed_from_u64(5);
    let mut deliveries = Vec::new();
    let mut execs = Vec::new();
    let mut lists = Vec::new();
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    let n = reps(400);
    for i in 0..n {
        let list = format!("r{i}");
        let exec = rig.start(&list);
        let t = Timeouts {
            schedule_to_start: Some(if rng.random_bool(0.5) { "1" } else { "NONE" }),
            schedule_to_close: Some("NONE"),
            start_to_close: Some(if rng.random_bool(0.5) { "1" } else { "2" }),
            heartbeat: Some("NONE"),
        };
        let barrier = Arc::new(Barrier::new(3));
        let cancel = PollCancel::new();
        let mode = rng.random_range(0..3);
        // The producer.
        let producer = {
            let (swf, barrier, exec, list) = (
                rig.swf.clone(),
                Arc::clone(&barrier),
                exec.clone(),
                list.clone(),
            );
            let mut rng = StdRng::seed_from_u64(rng.random());
            thread::spawn(move || {
                barrier.wait();
                jitter(&mut rng);
                swf.respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
                    domain: DOMAIN.into(),
                    execution: exec,
                    decisions: vec![Rig::schedule_decision("a", &list, t)],
                    ..Default::default()
                })
                .expect("schedule");
            })
        };
        // The poller: a deadline one second away, a zero timeout, or a
        // cancelable poll that the test thread withdraws.
        let poller = {
            let (swf, barrier, cancel) = (rig.swf.clone(), Arc::clone(&barrier), cancel.clone());
            let deadline = rig.swf.now() + secs(1);
            let input = Rig::input(&list, "racer");
            let mut rng = StdRng::seed_from_u64(rng.random());
            thread::spawn(move || {
                barrier.wait();
                jitter(&mut rng);
                match mode {
                    0 => swf.poll_for_activity_task_deadline(input, deadline),
                    1 => swf.poll_for_activity_task_timeout(input, Duration::ZERO),
                    _ => swf.poll_for_activity_task_cancelable(input, deadline, &cancel),
                }
            })
        };
        barrier.wait();
        jitter(&mut rng);
        rig.clock.advance(secs(1));
        if mode == 2 {
            jitter(&mut rng);
            cancel.cancel();
        }
        producer.join().expect("producer");
        let got = poller.join().expect("poller").expect("poll");
        let outcome = if got.is_empty() {
            "empty"
        } else {
            // The worker responds, unless start-to-close got there first.
            let ok = rig.complete(&got.task_token).is_ok();
            deliveries.push(delivery(&got, Action::Completed, ok));
            if ok { "completed" } else { "refused" }
        };
        *outcomes.entry(outcome).or_default() += 1;
        // A task no poller took (and whose schedule-to-start is NONE) goes
        // to the next poller.
        if rig.pending(&list) == 1 {
            let task = rig.poll_now(&list);
            assert_eq!(task.activity_id, "a", "run {i}: the queued task");
            let ok = rig.complete(&task.task_token).is_ok();
            deliveries.push(delivery(&task, Action::Completed, ok));
        }
        // Let every timeout fire, then exactly one close must be recorded.
        rig.clock.advance(secs(3600));
        let h = rig.history(&exec);
        assert_eq!(closes(&h).len(), 1, "run {i}: {h:#?}");
        execs.push(exec);
        lists.push(list);
    }
    println!("random interleavings: {n} runs, outcomes {outcomes:?}");
    check_all(&rig, &execs, &deliveries, &lists);
}

// ----- 6. a deadline published as an advance moves the clock ------------------

#[test]
fn a_poll_parking_as_the_clock_passes_its_deadline_ends_at_that_advance() {
    let rig = Rig::new("1", |b| b);
    let mut rng = StdRng::seed_from_u64(6);
    let n = reps(5000);
    let mut missed = 0;
    for i in 0..n {
        let list = format!("p{i}");
        let barrier = Arc::new(Barrier::new(2));
        let (tx, rx) = mpsc::channel();
        let deadline = rig.swf.now() + secs(1);
        let poller = {
            let (swf, barrier) = (rig.swf.clone(), Arc::clone(&barrier));
            let input = Rig::input(&list, "racer");
            let mut rng = StdRng::seed_from_u64(rng.random());
            thread::spawn(move || {
                barrier.wait();
                jitter(&mut rng);
                let r = swf.poll_for_activity_task_deadline(input, deadline);
                let _ = tx.send(());
                r
            })
        };
        barrier.wait();
        jitter(&mut rng);
        rig.clock.advance(secs(1));
        // The advance crossed the poll's deadline: whether the poll parked
        // before or during it, it must end without another advance. (A
        // real-time bound only detects the failure; a passing run never
        // waits on it.)
        if rx.recv_timeout(Duration::from_secs(20)).is_err() {
            missed += 1;
            rig.clock.advance(NS);
        }
        let got = poller.join().expect("poller").expect("poll");
        assert!(got.is_empty());
        assert_eq!(rig.swf.waiting_pollers(DOMAIN, &list), 0);
    }
    assert_eq!(
        missed, 0,
        "{missed} of {n} polls outlived the advance that crossed their deadline"
    );
}

#[test]
fn a_task_scheduled_as_the_clock_passes_its_deadline_times_out_at_that_advance() {
    let rig = Rig::new("1", |b| b);
    let mut rng = StdRng::seed_from_u64(7);
    let t = Timeouts {
        schedule_to_start: Some("1"),
        ..Timeouts::default()
    };
    let n = reps(3000);
    let mut missed = 0;
    for i in 0..n {
        let list = format!("s{i}");
        let exec = rig.start(&list);
        let barrier = Arc::new(Barrier::new(2));
        // A schedule that reads the clock before the advance moves it has
        // its schedule-to-start deadline exactly at the advance's new time.
        let producer = {
            let (swf, barrier, exec) = (rig.swf.clone(), Arc::clone(&barrier), exec.clone());
            let mut rng = StdRng::seed_from_u64(rng.random());
            let list = list.clone();
            thread::spawn(move || {
                barrier.wait();
                jitter(&mut rng);
                swf.respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
                    domain: DOMAIN.into(),
                    execution: exec,
                    decisions: vec![Rig::schedule_decision("a", &list, t)],
                    ..Default::default()
                })
                .expect("schedule");
            })
        };
        barrier.wait();
        jitter(&mut rng);
        rig.clock.advance(secs(1));
        producer.join().expect("producer");
        // If the schedule read the old time, its deadline is now: this
        // advance must have fired it.
        let h = rig.history(&exec);
        let scheduled = h
            .iter()
            .rev()
            .find(|e| e.event_type == EventType::ActivityTaskScheduled)
            .expect("scheduled");
        let due = scheduled.event_timestamp + secs(1);
        let now = rig.broker.clock().now_wall();
        let fired = h.last().map(|e| e.event_type) == Some(EventType::DecisionTaskScheduled)
            && h.iter().rev().nth(1).map(|e| e.event_type) == Some(EventType::ActivityTaskTimedOut);
        if due <= now && !fired {
            missed += 1;
        }
        // Close it either way before the next run.
        rig.clock.advance(secs(1));
        assert_eq!(rig.pending(&list), 0);
    }
    assert_eq!(
        missed, 0,
        "{missed} of {n} tasks were due at the advance but not fired by it"
    );
}
