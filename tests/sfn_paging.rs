//! Page-token lifetimes, on the manual clock.
//!
//! AWS-API.md A3 (ListActivities): "`nextToken` is 1–1024 characters and
//! expires after 24 h; an expired one gives `InvalidToken`"; A4
//! (ListActivities.nextToken): "expires after 24 h -> HTTP 400
//! InvalidToken". The engine counts the 24 h on its own clock from the
//! moment it issued the token; a token exactly 24 h old is still good.
//!
//! The contract gives no lifetime for Step Functions `GetExecutionHistory`
//! tokens (A3 "History", A4) or for SWF `nextPageToken`s (A2), so those do
//! not expire.

mod sfn_support;

use std::time::Duration;

use activity_broker::sfn::{Error, GetExecutionHistoryInput, ListActivitiesInput};
use activity_broker::swf;
use sfn_support::{Env, NS, secs};

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// An environment with activities `a`..`e`.
fn five_activities() -> Env {
    let env = Env::new();
    for name in ["a", "b", "c", "d", "e"] {
        env.activity(name);
    }
    env
}

fn list(env: &Env, next_token: Option<String>) -> Result<(Vec<String>, Option<String>), Error> {
    env.sfn
        .list_activities(ListActivitiesInput {
            max_results: Some(2),
            next_token,
        })
        .map(|out| {
            (
                out.activities.into_iter().map(|a| a.name).collect(),
                out.next_token,
            )
        })
}

/// A fresh token for the second page (`c`, `d`), issued now.
fn second_page_token(env: &Env) -> String {
    let (names, next) = list(env, None).expect("first page");
    assert_eq!(names, ["a", "b"]);
    next.expect("a second page")
}

fn assert_invalid_token(got: Result<(Vec<String>, Option<String>), Error>, what: &str) {
    match got {
        Err(Error::InvalidToken(_)) => {}
        other => panic!("{what}: want InvalidToken, got {other:?}"),
    }
}

// A3/A4: a token is good for 24 h on the engine's clock, the end included.
#[test]
fn list_activities_token_is_good_for_exactly_24_hours() {
    let env = five_activities();
    let token = second_page_token(&env);
    env.advance(DAY);
    let (names, next) = list(&env, Some(token)).expect("a 24 h old token is still good");
    assert_eq!(names, ["c", "d"]);
    assert!(next.is_some());
}

// A3/A4: "expires after 24 h -> HTTP 400 InvalidToken".
#[test]
fn list_activities_token_expires_after_24_hours() {
    let env = five_activities();
    let token = second_page_token(&env);
    env.advance(DAY + NS);
    assert_invalid_token(list(&env, Some(token.clone())), "24 h + 1 ns");
    // Still expired later, and reusing it does not revive it.
    env.advance(secs(3600));
    assert_invalid_token(list(&env, Some(token)), "25 h");
    // Expiry is an InvalidToken, not a validation error; a listing started
    // afresh works and its tokens are good again.
    let fresh = second_page_token(&env);
    let (names, _) = list(&env, Some(fresh)).expect("fresh token");
    assert_eq!(names, ["c", "d"]);
}

// A3: each token's 24 h run from when that token was issued, not from when
// the listing began.
#[test]
fn each_page_token_has_its_own_24_hours() {
    let env = five_activities();
    let first = second_page_token(&env);
    env.advance(secs(23 * 3600));
    let (names, second) = list(&env, Some(first.clone())).expect("23 h old");
    assert_eq!(names, ["c", "d"]);
    let second = second.expect("a third page");
    // 46 h after the first token, 23 h after the second.
    env.advance(secs(23 * 3600));
    assert_invalid_token(list(&env, Some(first)), "46 h old first token");
    let (names, next) = list(&env, Some(second.clone())).expect("23 h old second token");
    assert_eq!(names, ["e"]);
    assert!(next.is_none());
    // The second token's own deadline: 24 h after it was issued.
    env.advance(secs(3600));
    let (names, _) = list(&env, Some(second.clone())).expect("exactly 24 h old");
    assert_eq!(names, ["e"]);
    env.advance(NS);
    assert_invalid_token(list(&env, Some(second)), "24 h + 1 ns old second token");
}

// Tokens stay opaque and within A4's PageToken 1..1024 characters.
#[test]
fn list_activities_tokens_stay_short_and_url_safe() {
    let env = five_activities();
    env.advance(secs(400 * 24 * 3600));
    let token = second_page_token(&env);
    assert!((1..=1024).contains(&token.len()), "{}", token.len());
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{token}"
    );
    // An edited token (its issue time moved, say) is refused, not obeyed.
    let mut bytes = token.clone().into_bytes();
    for i in 0..bytes.len() {
        let saved = bytes[i];
        bytes[i] = if saved == b'A' { b'B' } else { b'A' };
        let edited = String::from_utf8(bytes.clone()).unwrap();
        assert_invalid_token(list(&env, Some(edited)), "edited token");
        bytes[i] = saved;
    }
}

// A4 gives GetExecutionHistory.nextToken no lifetime, so it does not expire.
#[test]
fn execution_history_tokens_do_not_expire() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let page = |next_token| {
        env.sfn
            .get_execution_history(GetExecutionHistoryInput {
                execution_arn: exec.clone(),
                max_results: Some(1),
                next_token,
                ..Default::default()
            })
            .expect("history page")
    };
    let first = page(None);
    let token = first.next_token.expect("a second page");
    env.advance(DAY * 30);
    let second = page(Some(token));
    assert_eq!(second.events.len(), 1);
    assert_eq!(second.events[0].id.get(), 2);
}

// A2 gives SWF's nextPageToken no lifetime: SWF listings page on, across
// days, with the token format they share with Step Functions.
#[test]
fn swf_page_tokens_work_and_do_not_expire() {
    let env = Env::new();
    let swf = env.broker.swf();
    for name in ["d1", "d2", "d3"] {
        swf.register_domain(swf::RegisterDomainInput {
            name: name.into(),
            workflow_execution_retention_period_in_days: "1".into(),
            ..Default::default()
        })
        .expect("register domain");
        swf.register_activity_type(swf::RegisterActivityTypeInput {
            domain: "d1".into(),
            name: format!("t-{name}"),
            version: "1".into(),
            ..Default::default()
        })
        .expect("register activity type");
    }
    let domains = |next_page_token| {
        swf.list_domains(swf::ListDomainsInput {
            maximum_page_size: Some(2),
            next_page_token,
            ..Default::default()
        })
        .expect("list domains")
    };
    let types = |next_page_token| {
        swf.list_activity_types(swf::ListActivityTypesInput {
            domain: "d1".into(),
            maximum_page_size: Some(2),
            next_page_token,
            ..Default::default()
        })
        .expect("list activity types")
    };
    let d = domains(None);
    let t = types(None);
    env.advance(DAY * 3);
    let d2 = domains(d.next_page_token);
    let t2 = types(t.next_page_token);
    let names: Vec<_> = d
        .domain_infos
        .iter()
        .chain(&d2.domain_infos)
        .map(|i| i.name.clone())
        .collect();
    assert_eq!(names, ["d1", "d2", "d3"]);
    assert!(d2.next_page_token.is_none());
    assert_eq!(t.type_infos.len() + t2.type_infos.len(), 3);
    assert!(t2.next_page_token.is_none());
}

// A4: "expires after 24 h -> HTTP 400 InvalidToken", on the wire.
#[cfg(feature = "json")]
#[test]
fn an_expired_token_is_http_400_invalid_token_on_the_wire() {
    let env = five_activities();
    let wire = activity_broker::wire::Dispatcher::new(&env.broker);
    let token = second_page_token(&env);
    let body = format!("{{\"maxResults\":2,\"nextToken\":\"{token}\"}}");
    let reply = wire.dispatch("AWSStepFunctions.ListActivities", body.as_bytes());
    assert_eq!(reply.status(), 200);
    env.advance(DAY + NS);
    let reply = wire.dispatch("AWSStepFunctions.ListActivities", body.as_bytes());
    assert_eq!(reply.status(), 400);
    let text = String::from_utf8_lossy(reply.body());
    assert!(text.contains("\"InvalidToken\""), "{text}");
}
