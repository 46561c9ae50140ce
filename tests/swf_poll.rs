//! `PollForActivityTask` (AWS-API.md A1 "Polling"): the 60 s long poll on
//! the manual clock, wake-ups by schedules from other threads, delivery
//! order (priority, then FIFO), the poller limit, and what a poll records.

mod support;

use std::thread;
use std::time::Duration;

use activity_broker::EventId;
use activity_broker::swf::{self, EventAttributes, EventType, TaskList};
use support::*;

/// Starts a thread that long-polls `list` with the engine's default
/// duration, as `identity`.
fn spawn_poller(
    env: &Env,
    list: &str,
    identity: &str,
) -> thread::JoinHandle<Result<swf::PollForActivityTaskOutput, swf::Error>> {
    let swf = env.swf.clone();
    let input = poll_input(list, Some(identity));
    thread::spawn(move || swf.poll_for_activity_task(input))
}

#[test]
fn long_poll_waits_the_full_60_virtual_seconds_then_returns_the_empty_token() {
    // A1: the service holds the poll for at most 60 s; then taskToken is "".
    let env = Env::new();
    let exec = env.start("w");
    let poller = spawn_poller(&env, LIST, "p");
    env.wait_for_pollers(LIST, 1);
    env.advance(secs(60));
    // The poll ended at 60 s: a task scheduled now is queued, not handed to it.
    env.schedule(&exec, &["late"]);
    let got = poller.join().unwrap().unwrap();
    assert!(got.is_empty());
    assert_eq!(got.task_token, "");
    assert_eq!(
        got.started_event_id,
        EventId::NONE,
        "A5: empty poll has startedEventId 0"
    );
    assert_eq!(got.activity_id, "");
    assert_eq!(env.clock.elapsed(), secs(60));
    assert_eq!(env.pending(LIST), 1);
    assert_eq!(env.swf.waiting_pollers(DOMAIN, LIST), 0);
}

#[test]
fn long_poll_still_waits_one_nanosecond_before_60_seconds() {
    let env = Env::new();
    let exec = env.start("w");
    let poller = spawn_poller(&env, LIST, "patient");
    env.wait_for_pollers(LIST, 1);
    env.advance(secs(60) - NS);
    env.schedule(&exec, &["just-in-time"]);
    let got = poller.join().unwrap().unwrap();
    assert_eq!(got.activity_id, "just-in-time");
    assert_eq!(got.started_event_id, EventId::new(6));
    assert_eq!(env.pending(LIST), 0);
    assert_eq!(
        env.event(&exec, 6).attributes,
        EventAttributes::ActivityTaskStarted {
            identity: Some("patient".into()),
            scheduled_event_id: EventId::new(5),
        }
    );
}

#[test]
fn long_poll_is_woken_by_a_schedule_from_another_thread() {
    let env = Env::new();
    let exec = env.start("w");
    let poller = spawn_poller(&env, LIST, "p");
    env.wait_for_pollers(LIST, 1);
    let scheduler = {
        let swf = env.swf.clone();
        let exec = exec.clone();
        thread::spawn(move || {
            swf.respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution: exec,
                decisions: vec![schedule(sched("from-afar"))],
                ..Default::default()
            })
        })
    };
    scheduler.join().unwrap().unwrap();
    let got = poller.join().unwrap().unwrap();
    assert_eq!(got.activity_id, "from-afar");
    assert_eq!(got.workflow_execution, exec);
    assert_eq!(
        env.clock.elapsed(),
        Duration::ZERO,
        "no virtual time passed"
    );
    assert_eq!(
        env.types(&exec)[4..],
        ["ActivityTaskScheduled", "ActivityTaskStarted"]
    );
    env.complete(&got.task_token, Some("done")).unwrap();
    check_history(&env.history(&exec));
}

#[test]
fn one_schedule_wakes_one_poller_the_longest_waiting_first() {
    let env = Env::new();
    let exec = env.start("w");
    let first = spawn_poller(&env, LIST, "first");
    env.wait_for_pollers(LIST, 1);
    let second = spawn_poller(&env, LIST, "second");
    env.wait_for_pollers(LIST, 2);
    env.schedule(&exec, &["a"]);
    let got = first.join().unwrap().unwrap();
    assert_eq!(got.activity_id, "a");
    env.wait_for_pollers(LIST, 1);
    env.schedule(&exec, &["b"]);
    assert_eq!(second.join().unwrap().unwrap().activity_id, "b");
    let identities: Vec<Option<String>> = env
        .history(&exec)
        .into_iter()
        .filter_map(|e| match e.attributes {
            EventAttributes::ActivityTaskStarted { identity, .. } => Some(identity),
            _ => None,
        })
        .collect();
    assert_eq!(identities, [Some("first".into()), Some("second".into())]);
}

#[test]
fn long_poll_duration_follows_the_builder() {
    let env = Env::with(|b| b.long_poll(secs(20)));
    let exec = env.start("w");
    let poller = spawn_poller(&env, LIST, "p");
    env.wait_for_pollers(LIST, 1);
    env.advance(secs(20));
    env.schedule(&exec, &["after"]);
    assert!(poller.join().unwrap().unwrap().is_empty());
    assert_eq!(env.pending(LIST), 1);
}

#[test]
fn deadline_and_timeout_variants_end_where_asked() {
    let env = Env::new();
    let exec = env.start("w");
    // Zero timeout and a past deadline do not wait.
    assert!(env.poll_now(LIST).is_empty());
    env.advance(secs(1));
    let past = env.swf.now() - secs(1);
    assert!(
        env.swf
            .poll_for_activity_task_deadline(poll_input(LIST, None), past)
            .unwrap()
            .is_empty()
    );
    // A deadline 5 s ahead ends at 5 s.
    let deadline = env.swf.now() + secs(5);
    let poller = {
        let swf = env.swf.clone();
        thread::spawn(move || swf.poll_for_activity_task_deadline(poll_input(LIST, None), deadline))
    };
    env.wait_for_pollers(LIST, 1);
    env.advance(secs(5) - NS);
    assert_eq!(env.swf.waiting_pollers(DOMAIN, LIST), 1);
    env.advance(NS);
    env.schedule(&exec, &["after"]);
    assert!(poller.join().unwrap().unwrap().is_empty());
    // A timeout so long it overflows means "as long as the engine allows".
    let poller = {
        let swf = env.swf.clone();
        thread::spawn(move || {
            swf.poll_for_activity_task_timeout(poll_input(LIST, None), Duration::MAX)
        })
    };
    // The queued task is taken at once.
    assert_eq!(poller.join().unwrap().unwrap().activity_id, "after");
}

#[test]
fn a_queued_task_is_returned_at_once() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let got = env
        .swf
        .poll_for_activity_task(poll_input(LIST, None))
        .unwrap();
    assert_eq!(got.activity_id, "a");
    // No identity given: none recorded.
    assert_eq!(
        env.event(&exec, 6).attributes,
        EventAttributes::ActivityTaskStarted {
            identity: None,
            scheduled_event_id: EventId::new(5),
        }
    );
}

#[test]
fn higher_priority_first_then_fifo_within_a_priority() {
    // A1 "Order": higher taskPriority first; FIFO within one is ours.
    let env = Env::new();
    let exec = env.start("w");
    let with_priority = |id: &str, p: Option<&str>| {
        let mut a = sched(id);
        a.task_priority = p.map(Into::into);
        schedule(a)
    };
    env.decide(
        &exec,
        vec![
            with_priority("zero-1", Some("0")),
            with_priority("five-1", Some("5")),
            with_priority("unset-1", None),
            with_priority("minus-1", Some("-3")),
            with_priority("five-2", Some("+5")),
            with_priority("max", Some("2147483647")),
            with_priority("min", Some("-2147483648")),
            with_priority("zero-2", Some("0")),
        ],
    );
    let order: Vec<String> = (0..8).map(|_| env.take(LIST).activity_id).collect();
    assert_eq!(
        order,
        [
            "max", "five-1", "five-2", "zero-1", "unset-1", "zero-2", "minus-1", "min"
        ]
    );
    assert!(env.poll_now(LIST).is_empty());
    // taskPriority is recorded only when given or defaulted (A1 table).
    let recorded: Vec<Option<String>> = env
        .history(&exec)
        .into_iter()
        .filter_map(|e| match e.attributes {
            EventAttributes::ActivityTaskScheduled(a) => Some(a.task_priority),
            _ => None,
        })
        .collect();
    assert_eq!(recorded[2], None);
    assert_eq!(recorded[4].as_deref(), Some("5"));
}

#[test]
fn priority_comes_from_the_type_default_when_the_decision_gives_none() {
    let env = Env::new();
    let mut reg = full_defaults("urgent", VERSION);
    reg.default_task_priority = Some("9".into());
    env.swf.register_activity_type(reg).unwrap();
    let exec = env.start("w");
    let mut urgent = sched("u");
    urgent.activity_type = swf::ActivityType::new("urgent", VERSION);
    let mut overridden = sched("o");
    overridden.activity_type = swf::ActivityType::new("urgent", VERSION);
    overridden.task_priority = Some("-1".into());
    env.decide(
        &exec,
        vec![
            schedule(sched("plain")),
            schedule(overridden),
            schedule(urgent),
        ],
    );
    let order: Vec<String> = (0..3).map(|_| env.take(LIST).activity_id).collect();
    assert_eq!(order, ["u", "plain", "o"]);
    let EventAttributes::ActivityTaskScheduled(a) = env.event(&exec, 7).attributes else {
        panic!()
    };
    assert_eq!(a.activity_id, "u");
    assert_eq!(a.task_priority.as_deref(), Some("9"));
}

#[test]
fn fifo_holds_across_executions_and_decisions() {
    let env = Env::new();
    let one = env.start("one");
    let two = env.start("two");
    env.schedule(&one, &["1a"]);
    env.schedule(&two, &["2a"]);
    env.schedule(&one, &["1b"]);
    let order: Vec<(String, String)> = (0..3)
        .map(|_| {
            let t = env.take(LIST);
            (t.workflow_execution.workflow_id, t.activity_id)
        })
        .collect();
    assert_eq!(
        order,
        [
            ("one".to_owned(), "1a".to_owned()),
            ("two".to_owned(), "2a".to_owned()),
            ("one".to_owned(), "1b".to_owned())
        ]
    );
}

#[test]
fn task_lists_and_domains_are_separate() {
    let env = Env::new();
    register_domain(&env.swf, "other", "1");
    let exec = env.start("w");
    let mut a = sched("elsewhere");
    a.task_list = Some(TaskList::new("special"));
    env.decide(&exec, vec![schedule(a)]);
    assert!(env.poll_now(LIST).is_empty());
    assert!(
        env.swf
            .poll_for_activity_task_timeout(
                swf::PollForActivityTaskInput {
                    domain: "other".into(),
                    task_list: TaskList::new("special"),
                    identity: None,
                },
                Duration::ZERO
            )
            .unwrap()
            .is_empty()
    );
    assert_eq!(env.take("special").activity_id, "elsewhere");
    let EventAttributes::ActivityTaskScheduled(s) = env.event(&exec, 5).attributes else {
        panic!()
    };
    assert_eq!(
        s.task_list,
        TaskList::new("special"),
        "the decision's list overrides the default"
    );
}

#[test]
fn max_pollers_limits_the_pollers_waiting_on_one_list() {
    // A2 PollForActivityTask errors: LimitExceededFault.
    let env = Env::with(|b| b.max_pollers(2));
    let exec = env.start("w");
    let p1 = spawn_poller(&env, LIST, "p1");
    env.wait_for_pollers(LIST, 1);
    let p2 = spawn_poller(&env, LIST, "p2");
    env.wait_for_pollers(LIST, 2);
    let third = env
        .swf
        .poll_for_activity_task_timeout(poll_input(LIST, Some("p3")), secs(60));
    assert!(
        matches!(&third, Err(swf::Error::LimitExceededFault(_))),
        "{third:?}"
    );
    assert_eq!(third.unwrap_err().code(), "LimitExceededFault");
    // The limit is per list: another list still takes a poller.
    let other = spawn_poller(&env, "other", "p4");
    env.wait_for_pollers("other", 1);
    // A zero-timeout poll never waits, so the limit does not apply to it.
    assert!(env.poll_now(LIST).is_empty());
    // Once a poller leaves, a new one may wait.
    env.schedule(&exec, &["a"]);
    assert_eq!(p1.join().unwrap().unwrap().activity_id, "a");
    env.wait_for_pollers(LIST, 1);
    let p5 = spawn_poller(&env, LIST, "p5");
    env.wait_for_pollers(LIST, 2);
    env.advance(secs(60));
    for p in [p2, other, p5] {
        assert!(p.join().unwrap().unwrap().is_empty());
    }
    assert_eq!(env.len(&exec), 6, "the refused poll recorded nothing");
}

#[test]
fn polling_an_unknown_domain_is_unknown_resource() {
    let env = Env::new();
    let r = env.swf.poll_for_activity_task_timeout(
        swf::PollForActivityTaskInput {
            domain: "nowhere".into(),
            task_list: TaskList::new(LIST),
            identity: None,
        },
        secs(60),
    );
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
}

#[test]
fn polls_go_on_in_a_deprecated_domain() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    env.swf
        .deprecate_domain(swf::DeprecateDomainInput {
            name: DOMAIN.into(),
        })
        .unwrap();
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    assert_eq!(env.types(&exec)[6], "ActivityTaskCompleted");
}

#[test]
fn every_delivery_has_a_distinct_token_and_started_event() {
    // A1: each activity task is identified by a unique task token.
    let env = Env::new();
    let exec = env.start("w");
    let ids: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    env.schedule(&exec, &refs);
    let tasks: Vec<swf::PollForActivityTaskOutput> = (0..20).map(|_| env.take(LIST)).collect();
    let tokens: std::collections::HashSet<&str> =
        tasks.iter().map(|t| t.task_token.as_str()).collect();
    assert_eq!(tokens.len(), 20);
    for t in &tasks {
        assert!(!t.task_token.is_empty() && t.task_token.len() <= 1024);
        let e = env.event(&exec, t.started_event_id.get());
        assert_eq!(e.event_type, EventType::ActivityTaskStarted);
    }
}
