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
/// event of a decision call reaches it: `DecisionTaskScheduled`,
/// `DecisionTaskStarted`, `DecisionTaskCompleted` or a decision's own event.
/// (The started event used to bypass the limit check: the history then
/// closed at 25,001 events, or had events after its close.)
#[test]
fn the_history_limit_is_exact_whichever_decision_event_reaches_it() {
    let rig = Rig::new("1", |b| b);
    for (case, before) in [
        ("DecisionTaskScheduled", LIMIT - 2),
        ("DecisionTaskStarted", LIMIT - 3),
        ("DecisionTaskCompleted", LIMIT - 4),
        ("a decision", LIMIT - 5),
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
        // Started + DecisionTaskScheduled, then DecisionTaskStarted and
        // DecisionTaskCompleted: 4 events; every later call adds a
        // scheduled, a started and a completed event and one per decision.
        decide(Vec::new()).expect("decide");
        let mut len = 4;
        while before - len >= 1000 + 3 {
            decide(filler(997)).expect("decide");
            len += 1000;
        }
        decide(filler(before - len - 3)).expect("decide");
        assert_eq!(rig.history(&exec).len(), before, "{case}: set-up");
        // This call's events cross the limit at the chosen one.
        let out = decide(filler(3)).expect("a call that reaches the limit succeeds");
        let h = rig.history(&exec);
        assert_eq!(h.len(), LIMIT, "{case}: the history has exactly the limit");
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
