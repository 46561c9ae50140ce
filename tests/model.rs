//! Model-based property tests: random sequences of every operation of both
//! faces, clock advances and invalid inputs, run against the engine and the
//! sequential reference model in `support/model.rs`, compared after every
//! step (results and error codes, poll outputs, pending counts, registries,
//! and every execution's status and whole history).
//!
//! Each case runs [`setup`] first (two domains, two activity types, the
//! workflow type, two executions, one Step Functions activity), then up to
//! 40 random operations. 96 cases by default, a few seconds in debug; set
//! `PROPTEST_CASES` for more. A failure prints the shrunk sequence, e.g.
//! `[Decide { exec: exec#-0, decisions: [...] }, Poll { .. }, Advance { ms: 1000 }]`.

#[path = "support/model.rs"]
mod model;

use model::*;
use proptest::collection::vec;
use proptest::option::of as opt;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(96)
}

/// A pooled string, the first one half the time; one time in `1 + rare`
/// a name that breaks one rule.
fn text_with(pool: &'static [&'static str], max: usize, rare: u32) -> BoxedStrategy<Text> {
    prop_oneof![
        rare => common(pool),
        1 => select(bad_names(max)).prop_map(Text::from),
    ]
    .boxed()
}

fn text(pool: &'static [&'static str], max: usize) -> BoxedStrategy<Text> {
    text_with(pool, max, 24)
}

/// The first element half the time, else any.
fn common(pool: &'static [&'static str]) -> BoxedStrategy<Text> {
    prop_oneof![1 => Just(Text::from(pool[0])), 1 => select(pool).prop_map(Text::from)].boxed()
}

fn fixed(pool: &'static [&'static str]) -> BoxedStrategy<Text> {
    select(pool).prop_map(Text::from).boxed()
}

/// A payload from `pool`, or at the limit in two-byte characters, or one
/// past it.
fn payload(pool: &'static [&'static str], max: usize) -> BoxedStrategy<Text> {
    prop_oneof![
        12 => select(pool).prop_map(Text::from),
        1 => Just(Text("é".repeat(max))),
        1 => Just(Text("x".repeat(max + 1))),
    ]
    .boxed()
}

/// Mostly small valid durations; sometimes `NONE` or `0`; rarely invalid.
fn duration() -> BoxedStrategy<Text> {
    prop_oneof![
        24 => fixed(&DURATIONS[2..6]),
        6 => fixed(&DURATIONS[..2]),
        1 => fixed(&DURATIONS[6..]),
    ]
    .boxed()
}

/// An optional member: absent `absent` times in `absent + 1`.
fn sometimes<T: std::fmt::Debug + Clone + 'static>(
    absent: u32,
    s: BoxedStrategy<T>,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![absent => Just(None), 1 => s.prop_map(Some)].boxed()
}

fn token() -> BoxedStrategy<TokenPick> {
    prop_oneof![
        12 => Just(TokenPick::Issued(0)),
        6 => (1..3usize).prop_map(TokenPick::Issued),
        1 => (0..3usize).prop_map(TokenPick::Forged),
        1 => (0..3usize).prop_map(TokenPick::OtherFace),
        1 => (0..3usize).prop_map(TokenPick::Retagged),
        1 => Just(TokenPick::Unknown),
        1 => Just(TokenPick::Garbage),
        1 => Just(TokenPick::Empty),
        1 => Just(TokenPick::TooLong),
    ]
    .boxed()
}

fn exec() -> BoxedStrategy<ExecPick> {
    prop_oneof![
        20 => (0..4usize).prop_map(ExecPick::Exec),
        1 => Just(ExecPick::Unknown),
        1 => Just(ExecPick::EmptyRun),
    ]
    .boxed()
}

fn arn() -> BoxedStrategy<ArnPick> {
    prop_oneof![
        16 => Just(ArnPick::Activity(0)),
        6 => (0..3usize).prop_map(ArnPick::Activity),
        1 => (0..3usize).prop_map(ArnPick::OtherAccount),
        1 => Just(ArnPick::EmptyName),
        1 => Just(ArnPick::StateMachine),
        1 => Just(ArnPick::Arn),
        1 => Just(ArnPick::Empty),
    ]
    .boxed()
}

fn priority() -> BoxedStrategy<Text> {
    prop_oneof![10 => fixed(&PRIORITIES[..5]), 1 => fixed(&PRIORITIES[5..])].boxed()
}

fn activity_type() -> BoxedStrategy<(Text, Text)> {
    prop_oneof![
        24 => Just(("a0", "1")),
        6 => Just(("a1", "1")),
        3 => Just(("a9", "1")),
        3 => Just(("a0", "2")),
        1 => Just(("", "1")),
    ]
    .prop_map(|(n, v)| (Text::from(n), Text::from(v)))
    .boxed()
}

fn decision() -> BoxedStrategy<Dec> {
    let schedule = (
        (activity_type(), text_with(&ACTIVITY_IDS, 256, 60)),
        sometimes(2, text_with(&LISTS, 256, 60)),
        (
            sometimes(3, duration()),
            sometimes(3, duration()),
            sometimes(3, duration()),
            sometimes(3, duration()),
        ),
        sometimes(3, priority()),
        sometimes(
            1,
            prop_oneof![8 => fixed(&["in", "{}"]), 1 => payload(&["in"], 32768)].boxed(),
        ),
    )
        .prop_map(
            |(((type_name, version), activity_id), list, (s2s, s2c, stc, hb), priority, input)| {
                Dec::Schedule {
                    type_name,
                    version,
                    activity_id,
                    list,
                    schedule_to_start: s2s,
                    schedule_to_close: s2c,
                    start_to_close: stc,
                    heartbeat: hb,
                    priority,
                    input,
                }
            },
        );
    prop_oneof![
        5 => schedule,
        1 => text_with(&ACTIVITY_IDS, 256, 60).prop_map(|activity_id| Dec::Cancel { activity_id }),
    ]
    .boxed()
}

fn op() -> impl Strategy<Value = Op> {
    let domain = || text(&DOMAINS, 256);
    let type_ref = || (domain(), text(&TYPE_NAMES, 256), fixed(&TYPE_VERSIONS));
    prop_oneof![
        1 => (domain(), fixed(&RETENTIONS))
            .prop_map(|(name, retention)| Op::RegisterDomain { name, retention }),
        1 => domain().prop_map(|name| Op::DeprecateDomain { name }),
        1 => domain().prop_map(|name| Op::UndeprecateDomain { name }),
        1 => (
            domain(),
            text(&TYPE_NAMES, 256),
            text(&TYPE_VERSIONS, 64),
            (opt(text(&LISTS, 256)), opt(duration()), opt(duration())),
            (opt(duration()), opt(duration()), opt(priority())),
        )
            .prop_map(|(domain, name, version, (list, s2s, s2c), (stc, hb, priority))| {
                Op::RegisterActivityType {
                    domain,
                    name,
                    version,
                    defaults: Defaults {
                        list,
                        schedule_to_start: s2s,
                        schedule_to_close: s2c,
                        start_to_close: stc,
                        heartbeat: hb,
                        priority,
                    },
                }
            }),
        1 => type_ref().prop_map(|(domain, name, version)| Op::DeprecateActivityType { domain, name, version }),
        1 => type_ref().prop_map(|(domain, name, version)| Op::UndeprecateActivityType { domain, name, version }),
        1 => type_ref().prop_map(|(domain, name, version)| Op::DeleteActivityType { domain, name, version }),
        1 => (domain(), any::<bool>())
            .prop_map(|(domain, with_defaults)| Op::RegisterWorkflowType { domain, with_defaults }),
        1 => domain().prop_map(|domain| Op::DeprecateWorkflowType { domain }),
        4 => (domain(), text(&WORKFLOW_IDS, 256))
            .prop_map(|(domain, workflow_id)| Op::StartWorkflow { domain, workflow_id }),
        1 => (exec(), any::<bool>(), opt(payload(&["stop"], 256)))
            .prop_map(|(exec, by_run_id, reason)| Op::Terminate { exec, by_run_id, reason }),
        10 => (exec(), vec(decision(), 0..4))
            .prop_map(|(exec, decisions)| Op::Decide { exec, decisions }),
        10 => (
            prop_oneof![3 => Just(Text::from("d0")), 1 => domain()],
            prop_oneof![1 => Just(Text::from("l0")), 1 => text(&LISTS, 256)],
            sometimes(1, payload(&["worker"], 256)),
        )
            .prop_map(|(domain, list, identity)| Op::Poll { domain, list, identity }),
        3 => (token(), sometimes(1, payload(&["beat"], 2048)))
            .prop_map(|(token, details)| Op::Heartbeat { token, details }),
        5 => (token(), sometimes(1, payload(&["done"], 32768)))
            .prop_map(|(token, result)| Op::Complete { token, result }),
        1 => (token(), opt(payload(&["why"], 256)), opt(payload(&["trace"], 32768)))
            .prop_map(|(token, reason, details)| Op::Fail { token, reason, details }),
        2 => (token(), opt(payload(&["bye"], 32768)))
            .prop_map(|(token, details)| Op::Cancel { token, details }),
        1 => (domain(), text(&LISTS, 256))
            .prop_map(|(domain, list)| Op::CountPending { domain, list }),
        1 => prop_oneof![6 => common(&SFN_ACTIVITIES), 1 => fixed(&["a b", "", "a:b", "arn"])]
            .prop_map(|name| Op::CreateActivity { name }),
        1 => arn().prop_map(|arn| Op::DeleteActivity { arn }),
        6 => (
            arn(),
            sometimes(1, prop_oneof![8 => fixed(&SFN_NAMES), 1 => fixed(&["", "a b", "é"])].boxed()),
            sometimes(1, prop_oneof![8 => fixed(&JSON[..4]), 1 => fixed(&JSON[4..])].boxed()),
            sometimes(1, prop_oneof![10 => select(&TIMEOUTS[..4]), 1 => select(&TIMEOUTS[4..])].boxed()),
            sometimes(2, select(&HEARTBEATS[..]).boxed()),
        )
            .prop_map(|(activity, name, input, timeout, heartbeat)| Op::StartExecution {
                activity,
                name,
                input,
                timeout,
                heartbeat,
            }),
        6 => (arn(), sometimes(1, payload(&["w"], 80)))
            .prop_map(|(arn, worker)| Op::GetActivityTask { arn, worker }),
        4 => (token(), prop_oneof![8 => fixed(&JSON[..4]), 1 => fixed(&JSON[4..])])
            .prop_map(|(token, output)| Op::SendSuccess { token, output }),
        2 => (token(), opt(payload(&["E"], 256)), opt(payload(&["C"], 32768)))
            .prop_map(|(token, error, cause)| Op::SendFailure { token, error, cause }),
        2 => token().prop_map(|token| Op::SendHeartbeat { token }),
        7 => select(&ADVANCES[..]).prop_map(|ms| Op::Advance { ms }),
    ]
}

fn config() -> impl Strategy<Value = Config> {
    (
        select(vec![4usize, 1, 64]),
        2..5usize,
        2..5usize,
        prop_oneof![4 => Just(false), 1 => Just(true)],
        any::<u64>(),
    )
        .prop_map(
            |(shards, queue_capacity, max_open_activities, relaxed_arn, seed)| Config {
                shards,
                queue_capacity,
                max_open_activities,
                relaxed_arn,
                seed,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn engine_matches_model(cfg in config(), ops in vec(op(), 0..40)) {
        let r = Harness::run(cfg, &ops);
        prop_assert!(r.is_ok(), "{}", r.err().unwrap_or_default());
    }
}

/// The committed seed corpus of the `ops` fuzz target, replayed here so that
/// every input that ever found a disagreement stays a regression test.
#[test]
fn fuzz_corpus_replays_clean() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/ops");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/corpus/ops") {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).expect("corpus file");
        let (cfg, ops) = ops_from_bytes(&data);
        if let Err(e) = Harness::run(cfg, &ops) {
            panic!("{}: {e}\nops: {ops:#?}", path.display());
        }
        n += 1;
    }
    assert!(n > 0, "no corpus in {}", dir.display());
}

/// With `MODEL_STATS=1`, prints how often each operation outcome and each
/// event occurred over 200 generated cases (no assertion beyond agreement).
#[test]
fn outcome_statistics() {
    if std::env::var_os("MODEL_STATS").is_none() {
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut stats = std::collections::BTreeMap::new();
    let strategy = (config(), vec(op(), 0..40));
    for _ in 0..200 {
        let (cfg, ops) = strategy.new_tree(&mut runner).expect("generate").current();
        Harness::run_counted(cfg, &ops, &mut stats).expect("agreement");
    }
    for (k, v) in stats {
        println!("{v:8} {k}");
    }
}

/// The standard setup alone agrees with the model.
#[test]
fn setup_agrees() {
    Harness::run(Config::default(), &[]).expect("setup");
}
