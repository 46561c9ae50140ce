//! Regressions found by the stress, handoff and memory tests of issue 4
//! (the races themselves are probed in `handoff.rs`; this file holds the
//! deterministic cases).

#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/rig.rs"]
mod rig;

use activity_broker::swf::{
    Decision, EventAttributes, EventType, RequestCancelActivityTaskDecisionAttributes,
    RespondDecisionTaskCompletedInput,
};
use rig::{DOMAIN, Rig};

/// SWF's hard limit on the events of one history.
const LIMIT: usize = 25_000;

/// `n` cancel requests for activities that do not exist: one
/// `RequestCancelActivityTaskFailed` event each.
fn filler(n: usize) -> Vec<Decision> {
    (0..n)
        .map(|i| {
            Decision::RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes {
                activity_id: format!("nobody-{i}"),
            })
        })
        .collect()
}

/// The history limit ends an execution at exactly 25,000 events, whichever
/// event of a decision call reaches it: the `DecisionTaskScheduled` it
/// records first when none is pending, `DecisionTaskStarted`,
/// `DecisionTaskCompleted`, a decision's own event, or the
/// `DecisionTaskScheduled` that follows a failed decision (AWS-API.md A1).
/// (The started event used to bypass the limit check: the history then
/// closed at 25,001 events, or had events after its close.)
#[test]
fn the_history_limit_is_exact_whichever_decision_event_reaches_it() {
    let rig = Rig::new("1", |b| b);
    // (case, events before the last call, whether a decision task is
    // pending then). The last call's events are: a `DecisionTaskScheduled`
    // unless one is pending, started, completed, three failed decisions and
    // a `DecisionTaskScheduled`; the chosen one is the 24,999th event, and
    // the limit's `WorkflowExecutionTerminated` the 25,000th.
    for (case, before, pending_before, reaching) in [
        (
            "DecisionTaskScheduled",
            LIMIT - 2,
            false,
            EventType::DecisionTaskScheduled,
        ),
        (
            "DecisionTaskStarted",
            LIMIT - 3,
            false,
            EventType::DecisionTaskStarted,
        ),
        (
            "DecisionTaskCompleted",
            LIMIT - 4,
            false,
            EventType::DecisionTaskCompleted,
        ),
        (
            "a decision",
            LIMIT - 5,
            false,
            EventType::RequestCancelActivityTaskFailed,
        ),
        (
            "the DecisionTaskScheduled after failed decisions",
            LIMIT - 7,
            true,
            EventType::DecisionTaskScheduled,
        ),
    ] {
        let exec = rig.start(case);
        let decide = |decisions| {
            rig.swf
                .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                    domain: DOMAIN.into(),
                    execution: exec.clone(),
                    decisions,
                    ..Default::default()
                })
        };
        // The events a call with `n` failing decisions adds.
        let added = |pending: bool, n: usize| usize::from(!pending) + 2 + n + usize::from(n > 0);
        // Started and DecisionTaskScheduled, then DecisionTaskStarted and
        // DecisionTaskCompleted: 4 events, and no decision task pending.
        decide(Vec::new()).expect("decide");
        let (mut len, mut pending) = (4, false);
        while before - len >= 2000 {
            decide(filler(990)).expect("decide");
            len += added(pending, 990);
            pending = true;
        }
        // One more filler leaves a decision task pending; a call without
        // decisions then takes it (two events) and leaves none.
        let tail = if pending_before { 0 } else { 2 };
        let n = before - len - tail - added(pending, 0) - 1;
        decide(filler(n)).expect("decide");
        len += added(pending, n);
        if !pending_before {
            decide(Vec::new()).expect("decide");
            len += 2;
        }
        assert_eq!(len, before, "{case}: the plan");
        assert_eq!(rig.history(&exec).len(), len, "{case}: set-up");
        // This call's events cross the limit at the chosen one.
        let out = decide(filler(3)).expect("a call that reaches the limit succeeds");
        let h = rig.history(&exec);
        assert_eq!(h.len(), LIMIT, "{case}: the history has exactly the limit");
        assert_eq!(
            h[LIMIT - 2].event_type,
            reaching,
            "{case}: the event that reached it"
        );
        let last = h.last().expect("events");
        assert_eq!(last.event_type, EventType::WorkflowExecutionTerminated);
        assert!(matches!(
            last.attributes,
            EventAttributes::WorkflowExecutionTerminated {
                cause: Some("EVENT_LIMIT_EXCEEDED"),
                ..
            }
        ));
        let completed = h
            .iter()
            .rev()
            .find(|e| e.event_type == EventType::DecisionTaskCompleted)
            .map(|e| e.event_id);
        if out.decision_task_completed_event_id.get() != 0 {
            assert_eq!(Some(out.decision_task_completed_event_id), completed);
        }
        let mut errors = Vec::new();
        invariants::check_history(case, &h, &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
        // Closed: more decisions are refused.
        assert!(decide(filler(1)).is_err());
    }
}
