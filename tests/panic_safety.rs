//! Panic safety: a worker thread that panics while it holds a task, or while
//! another thread's poll is blocked, or while it holds a [`PollCancel`],
//! leaves the engine usable, leaves no waiter behind, and its task times out
//! as any abandoned task does.
//!
//! The engine never runs user code under a lock and parking_lot does not
//! poison, so a panic can only happen in the caller's own code, between
//! engine calls; these tests check that nothing the engine hands out (a
//! task, a token, a cancel handle, a thread's reusable condvar) is left in a
//! state that needs the panicking thread to finish.
//!
//! A poll in progress cannot be interrupted by a panic from outside (Rust
//! has no asynchronous exceptions): the tests panic the threads around it.

#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/rig.rs"]
mod rig;

use std::panic;
use std::sync::{Arc, Mutex, Once};
use std::thread;
use std::time::Duration;

use activity_broker::PollCancel;
use activity_broker::swf::{self, EventAttributes, RecordActivityTaskHeartbeatInput};
use invariants::{Action, Delivery, World};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rig::{DOMAIN, NS, Rig, Timeouts, closes, secs, timeouts};

/// The payload of every deliberate panic; the hook keeps them quiet.
struct Deliberate;

/// Installs (once) a panic hook that is silent for [`Deliberate`] panics and
/// the default hook for every other, so a real failure still prints.
fn quiet_deliberate_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Deliberate>() {
                default(info);
            }
        }));
    });
}

fn crash() -> ! {
    panic::panic_any(Deliberate)
}

/// Joins a thread that must have panicked deliberately.
fn join_crashed<T: std::fmt::Debug>(h: thread::JoinHandle<T>) {
    match h.join() {
        Err(payload) => assert!(
            payload.is::<Deliberate>(),
            "the thread panicked, but not deliberately"
        ),
        Ok(v) => panic!("the thread did not panic: {v:?}"),
    }
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

fn check(
    rig: &Rig,
    execs: &[swf::WorkflowExecution],
    deliveries: &[Delivery],
    lists: &[&str],
) -> invariants::Tally {
    let lists: Vec<String> = lists.iter().map(|l| (*l).to_owned()).collect();
    World {
        swf: &rig.swf,
        domain: DOMAIN,
        executions: execs,
        deliveries,
        lists: &lists,
        quiescent: true,
        page_size: 1000,
    }
    .check()
}

/// Proves the engine still works: a fresh task on `list` is scheduled,
/// delivered to a parked poller, and completed.
fn still_usable(rig: &Rig, exec: &swf::WorkflowExecution, id: &str, list: &str) -> Delivery {
    let poller = rig.poller(list, secs(60));
    rig.wait_for_pollers(list, 1);
    rig.schedule(exec, id, list, Timeouts::default());
    let task = poller.join().expect("poller").expect("poll");
    assert_eq!(task.activity_id, id);
    rig.complete(&task.task_token).expect("complete");
    delivery(&task, Action::Completed, true)
}

#[test]
fn a_worker_that_panics_holding_a_task_leaves_it_to_time_out() {
    quiet_deliberate_panics();
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    rig.schedule(
        &exec,
        "doomed",
        "l",
        Timeouts {
            start_to_close: Some("5"),
            ..Timeouts::default()
        },
    );
    let seen = Arc::new(Mutex::new(None));
    let worker = {
        let (swf, seen) = (rig.swf.clone(), Arc::clone(&seen));
        thread::spawn(move || {
            let task = swf
                .poll_for_activity_task_timeout(Rig::input("l", "crasher"), Duration::ZERO)
                .expect("poll");
            *seen.lock().unwrap() = Some(task);
            crash()
        })
    };
    join_crashed(worker);
    let task = seen
        .lock()
        .unwrap()
        .take()
        .expect("the worker got the task");
    assert_eq!(task.activity_id, "doomed");
    // The engine is usable: the same list and another serve new tasks.
    let mut deliveries = vec![
        delivery(&task, Action::Abandoned, false),
        still_usable(&rig, &exec, "after-1", "l"),
        still_usable(&rig, &exec, "after-2", "other"),
    ];
    // The crashed worker's task times out normally, at its deadline.
    rig.clock.advance(secs(5) - NS);
    assert!(timeouts(&rig.history(&exec)).is_empty());
    rig.clock.advance(NS);
    let h = rig.history(&exec);
    assert_eq!(
        timeouts(&h),
        [("START_TO_CLOSE", 5, task.started_event_id.get())]
    );
    assert!(matches!(
        rig.complete(&task.task_token),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    deliveries.push(still_usable(&rig, &exec, "after-3", "l"));
    check(&rig, &[exec], &deliveries, &["l", "other"]);
}

#[test]
fn a_worker_that_panics_after_a_heartbeat_times_out_on_heartbeat_with_its_details() {
    quiet_deliberate_panics();
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    rig.schedule(
        &exec,
        "doomed",
        "l",
        Timeouts {
            start_to_close: Some("60"),
            heartbeat: Some("2"),
            ..Timeouts::default()
        },
    );
    let seen = Arc::new(Mutex::new(None));
    let worker = {
        let (swf, seen) = (rig.swf.clone(), Arc::clone(&seen));
        thread::spawn(move || {
            let task = swf
                .poll_for_activity_task_timeout(Rig::input("l", "crasher"), Duration::ZERO)
                .expect("poll");
            swf.record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                task_token: task.task_token.clone(),
                details: Some("half-way".into()),
            })
            .expect("heartbeat");
            *seen.lock().unwrap() = Some(task);
            crash()
        })
    };
    join_crashed(worker);
    let task = seen
        .lock()
        .unwrap()
        .take()
        .expect("the worker got the task");
    rig.clock.advance(secs(2));
    let h = rig.history(&exec);
    let last_close = h
        .iter()
        .rev()
        .find(|e| e.event_type == swf::EventType::ActivityTaskTimedOut)
        .expect("timed out");
    match &last_close.attributes {
        EventAttributes::ActivityTaskTimedOut {
            timeout_type,
            details,
            started_event_id,
            ..
        } => {
            assert_eq!(*timeout_type, "HEARTBEAT");
            assert_eq!(details.as_deref(), Some("half-way"));
            assert_eq!(*started_event_id, task.started_event_id);
        }
        other => panic!("{other:?}"),
    }
    let deliveries = vec![
        delivery(&task, Action::Abandoned, false),
        still_usable(&rig, &exec, "after", "l"),
    ];
    check(&rig, &[exec], &deliveries, &["l"]);
}

#[test]
fn a_panic_while_another_thread_polls_does_not_disturb_the_poll() {
    quiet_deliberate_panics();
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    let poller = rig.poller("l", secs(60));
    rig.wait_for_pollers("l", 1);
    // Another thread uses the engine on the same list (a zero-timeout poll
    // and a refused heartbeat), then panics.
    let crasher = {
        let swf = rig.swf.clone();
        thread::spawn(move || {
            let got = swf
                .poll_for_activity_task_timeout(Rig::input("l", "crasher"), Duration::ZERO)
                .expect("poll");
            assert!(got.is_empty());
            let refused = swf.record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                task_token: "A".repeat(36),
                details: None,
            });
            assert!(refused.is_err());
            crash()
        })
    };
    join_crashed(crasher);
    // The parked poller is still there, and gets the next task.
    assert_eq!(rig.swf.waiting_pollers(DOMAIN, "l"), 1);
    rig.schedule(&exec, "a", "l", Timeouts::default());
    let task = poller.join().expect("poller").expect("poll");
    assert_eq!(task.activity_id, "a");
    rig.complete(&task.task_token).expect("complete");
    assert_eq!(rig.swf.waiting_pollers(DOMAIN, "l"), 0);
    check(
        &rig,
        &[exec],
        &[delivery(&task, Action::Completed, true)],
        &["l"],
    );
}

#[test]
fn a_panic_in_a_thread_holding_a_poll_cancel_leaves_no_waiter() {
    quiet_deliberate_panics();
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    let deadline = rig.swf.now() + secs(10);
    let cancelable = |cancel: &PollCancel| {
        let (swf, cancel) = (rig.swf.clone(), cancel.clone());
        thread::spawn(move || {
            swf.poll_for_activity_task_cancelable(Rig::input("l", "p"), deadline, &cancel)
        })
    };

    // A thread holding a clone of the handle panics without canceling: the
    // poll goes on to its deadline, and then nothing is left.
    let handle = PollCancel::new();
    let poller = cancelable(&handle);
    rig.wait_for_pollers("l", 1);
    let holder = {
        let h = handle.clone();
        thread::spawn(move || {
            let _held = h;
            crash()
        })
    };
    join_crashed(holder);
    assert_eq!(rig.swf.waiting_pollers(DOMAIN, "l"), 1);
    rig.clock.advance(secs(10));
    assert!(poller.join().expect("poller").expect("poll").is_empty());
    assert_eq!(rig.swf.waiting_pollers(DOMAIN, "l"), 0);

    // A thread that cancels, then panics: the poll ends at once.
    let deadline = rig.swf.now() + secs(10);
    let handle = PollCancel::new();
    let poller = {
        let (swf, cancel) = (rig.swf.clone(), handle.clone());
        thread::spawn(move || {
            swf.poll_for_activity_task_cancelable(Rig::input("l", "p"), deadline, &cancel)
        })
    };
    rig.wait_for_pollers("l", 1);
    let canceler = {
        let h = handle.clone();
        thread::spawn(move || {
            h.cancel();
            crash()
        })
    };
    join_crashed(canceler);
    assert!(poller.join().expect("poller").expect("poll").is_empty());
    assert_eq!(rig.swf.waiting_pollers(DOMAIN, "l"), 0);

    // The poller thread itself panics right after its poll returned: its
    // handle (still held here) is disarmed, so canceling it later cannot
    // reach the next poller, which may reuse the same waiter slot.
    let handle = PollCancel::new();
    let deadline = rig.swf.now() + secs(10);
    let poller = {
        let (swf, cancel) = (rig.swf.clone(), handle.clone());
        thread::spawn(move || {
            let got = swf
                .poll_for_activity_task_cancelable(Rig::input("l", "p"), deadline, &cancel)
                .expect("poll");
            assert!(got.is_empty());
            crash()
        })
    };
    rig.wait_for_pollers("l", 1);
    rig.clock.advance(secs(10));
    join_crashed(poller);
    assert_eq!(rig.swf.waiting_pollers(DOMAIN, "l"), 0);
    let next = rig.poller("l", secs(60));
    rig.wait_for_pollers("l", 1);
    handle.cancel();
    assert_eq!(
        rig.swf.waiting_pollers(DOMAIN, "l"),
        1,
        "a stale cancel handle withdrew another poll"
    );
    rig.schedule(&exec, "a", "l", Timeouts::default());
    let task = next.join().expect("poller").expect("poll");
    assert_eq!(task.activity_id, "a");
    rig.complete(&task.task_token).expect("complete");
    check(
        &rig,
        &[exec],
        &[delivery(&task, Action::Completed, true)],
        &["l"],
    );
}

#[test]
fn a_thread_that_catches_a_panic_between_poll_and_respond_polls_on() {
    quiet_deliberate_panics();
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    let t = Timeouts {
        start_to_close: Some("3"),
        ..Timeouts::default()
    };
    rig.schedule(&exec, "a0", "l", t);
    // One worker thread: its first task's handler panics (caught), then it
    // parks in a blocking poll on the same thread (the same per-thread
    // condvar) and completes what it gets.
    let worker = {
        let swf = rig.swf.clone();
        thread::spawn(move || {
            let first = swf
                .poll_for_activity_task_timeout(Rig::input("l", "w"), Duration::ZERO)
                .expect("poll");
            let caught = panic::catch_unwind(|| {
                let _task = &first;
                crash()
            });
            assert!(caught.is_err());
            let second = swf
                .poll_for_activity_task_timeout(Rig::input("l", "w"), secs(60))
                .expect("poll");
            swf.respond_activity_task_completed(swf::RespondActivityTaskCompletedInput {
                task_token: second.task_token.clone(),
                result: None,
            })
            .expect("complete");
            (first, second)
        })
    };
    rig.wait_for_pollers("l", 1);
    rig.schedule(&exec, "a1", "l", t);
    let (first, second) = worker.join().expect("worker");
    assert_eq!(
        (first.activity_id.as_str(), second.activity_id.as_str()),
        ("a0", "a1")
    );
    rig.clock.advance(secs(3));
    let h = rig.history(&exec);
    assert_eq!(
        timeouts(&h),
        [("START_TO_CLOSE", 5, first.started_event_id.get())]
    );
    check(
        &rig,
        &[exec],
        &[
            delivery(&first, Action::Abandoned, false),
            delivery(&second, Action::Completed, true),
        ],
        &["l"],
    );
}

#[test]
fn workers_panicking_at_random_leave_every_task_closed_exactly_once() {
    quiet_deliberate_panics();
    let rig = Rig::new("1", |b| b);
    let exec = rig.start("w");
    let n = if cfg!(miri) { 20 } else { 300 };
    let lists = ["l0", "l1", "l2"];
    let mut rng = StdRng::seed_from_u64(0xC0FFEE);
    let t = Timeouts {
        start_to_close: Some("2"),
        ..Timeouts::default()
    };
    for i in 0..n {
        let list = lists[i % lists.len()];
        rig.schedule(&exec, &format!("a{i}"), list, t);
    }
    let deliveries = Arc::new(Mutex::new(Vec::new()));
    let mut crashed = 0;
    // Waves of short-lived workers; about a third crash holding a task.
    while lists.iter().any(|l| rig.pending(l) > 0) {
        let wave: Vec<_> = (0..4)
            .map(|w| {
                let (swf, deliveries) = (rig.swf.clone(), Arc::clone(&deliveries));
                let list = lists[w % lists.len()];
                let crash_now = rng.random_bool(0.35);
                thread::spawn(move || {
                    for _ in 0..5 {
                        let task = swf
                            .poll_for_activity_task_timeout(Rig::input(list, "w"), Duration::ZERO)
                            .expect("poll");
                        if task.is_empty() {
                            return;
                        }
                        if crash_now {
                            deliveries.lock().unwrap().push(delivery(
                                &task,
                                Action::Abandoned,
                                false,
                            ));
                            crash();
                        }
                        let ok = swf
                            .respond_activity_task_completed(
                                swf::RespondActivityTaskCompletedInput {
                                    task_token: task.task_token.clone(),
                                    result: None,
                                },
                            )
                            .is_ok();
                        deliveries
                            .lock()
                            .unwrap()
                            .push(delivery(&task, Action::Completed, ok));
                    }
                })
            })
            .collect();
        for h in wave {
            if h.join().is_err() {
                crashed += 1;
            }
        }
    }
    assert!(crashed > 0);
    rig.clock.advance(secs(2));
    let deliveries = deliveries.lock().unwrap().clone();
    let tally = check(&rig, std::slice::from_ref(&exec), &deliveries, &lists);
    assert_eq!(tally.scheduled, n);
    assert_eq!(
        tally.closes_of("ActivityTaskTimedOut/START_TO_CLOSE"),
        crashed
    );
    assert_eq!(tally.closes_of("ActivityTaskCompleted"), n - crashed);
    assert_eq!(closes(&rig.history(&exec)).len(), n);
    println!("{n} tasks, {crashed} workers crashed holding one; every task closed once");
}
