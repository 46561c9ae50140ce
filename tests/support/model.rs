//! A plain sequential reference model of the engine, and a harness that runs
//! one sequence of operations against both and compares them after every
//! step.
//!
//! The model is the subset of both faces that the property tests
//! (`tests/model.rs`) and the `ops` fuzz target (`fuzz/fuzz_targets/ops.rs`,
//! which includes this file by `#[path]`) drive: no threads, no locks, only
//! maps, vectors and one integer clock. It is written from
//! `../shared/AWS-API.md` (A1–A5) and the engine's documented rules
//! (DESIGN.md), not from the engine's code, and it depends only on
//! `activity_broker`'s public API and `std`, so that it compiles in both
//! crates.
//!
//! # What is modelled
//!
//! - SWF: domains (register, deprecate, undeprecate; retention 0 frees a
//!   closed history at once), activity types (register with any subset of
//!   defaults, deprecate, undeprecate, delete), one workflow type per domain
//!   (register with or without defaults, deprecate), executions (start,
//!   terminate), decisions (schedule with explicit or default task list,
//!   timeouts and priority; request cancel; the ScheduleActivityTaskFailed
//!   and RequestCancelActivityTaskFailed causes; the open-activities and
//!   queue-capacity limits), zero-timeout polls, heartbeats, the three
//!   closing calls and CountPendingActivityTasks.
//! - Step Functions: create and delete activity (queued tasks fail,
//!   started ones keep running), start execution (idempotent repeats, name
//!   reuse, unknown activities, queue capacity), zero-timeout
//!   GetActivityTask, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.
//! - Time: `ManualClock::advance` fires every task deadline it crosses,
//!   tick by tick, earliest first; one task's timeout is its earliest
//!   expired deadline, ties going to heartbeat, start-to-close,
//!   schedule-to-start, schedule-to-close. A deadline equal to the current
//!   instant (a zero timeout) fires before the operation that set it
//!   returns.
//! - Invalid input: bad names, lengths, durations, priorities, ARNs, JSON
//!   and tokens (garbage, well-formed but unknown, forged, closed, of the
//!   other face), unknown domains, types and executions.
//!
//! Tokens are opaque: the model knows "handle i", the i-th token any poll
//! issued; the harness keeps the real strings beside it.
//!
//! # What is compared, after every step
//!
//! The operation's result (success and its output, or the error code and,
//! for a `ValidationException`, every violated member and constraint in
//! order); every pending count (SWF lists of the pooled domains, SFN
//! activities); the registries (domains, activity types, workflow type
//! status, activities); and, for every execution ever started, its status,
//! open counts and whole history (event types and key attributes; ids dense
//! from 1; SFN `previousEventId`s).
//!
//! # Deliberately left out
//!
//! Long polls that wait (every poll here has a zero timeout, so no poller is
//! ever parked), `PollCancel`, shutdown, access policies, paging, tags,
//! encryption configurations, the execution and retention timers (the
//! clocks stay far below a day), the 25,000-event history limit, and
//! timestamps. Two same-tick timeouts of one SWF execution are recorded in
//! an order the engine leaves to its shard layout; the comparison treats
//! that order as free (the events must be the same, their positions among
//! the other events too).
#![allow(
    dead_code,
    reason = "the property tests and the fuzz target each use a subset"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use activity_broker::{Broker, Constraint, EventId, ManualClock, sfn, swf};

// ----- pools -----------------------------------------------------------------

/// The region and account of every harness broker (the engine's defaults).
pub const REGION: &str = "us-east-1";
pub const ACCOUNT: &str = "123456789012";
/// The one state machine SFN executions name.
pub const MACHINE: &str = "m";
/// The one workflow type each domain may register.
pub const WORKFLOW: &str = "wf";
/// The one workflow-type version.
pub const WORKFLOW_VERSION: &str = "1";
/// The longest SFN `TimeoutSeconds`, the engine's default.
pub const MAX_TIMEOUT_SECONDS: i64 = 99_999_999;
/// Error and cause of a queued SFN task whose activity was deleted.
pub const ACTIVITY_DELETED: &str = "ActivityBroker.ActivityDeleted";
pub const ACTIVITY_DELETED_CAUSE: &str =
    "the activity was deleted while the task waited for a worker";

/// A string in an operation, shown short: long runs of one character print
/// as `"x"×257`, so that a shrunk failing sequence stays readable.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.to_owned())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.chars().count();
        let mut chars = self.0.chars();
        match chars.next() {
            Some(c) if n > 24 && chars.all(|d| d == c) => write!(f, "{:?}×{n}", c.to_string()),
            _ if n > 24 => {
                let head: String = self.0.chars().take(16).collect();
                write!(f, "{head:?}…({n} chars)")
            }
            _ => write!(f, "{:?}", self.0),
        }
    }
}

/// Names that break one rule each (AWS-API.md A2 and A5): empty, edge
/// whitespace, `: / |`, control characters, the `arn` rule, too long.
pub fn bad_names(max: usize) -> Vec<String> {
    vec![
        String::new(),
        " d0".into(),
        "d0\t".into(),
        "a:b".into(),
        "a/b".into(),
        "a|b".into(),
        "a\u{0}b".into(),
        "a\u{1f}".into(),
        "\u{7f}".into(),
        "a\u{9f}".into(),
        "arn".into(),
        "barn".into(),
        "n".repeat(max + 1),
    ]
}

/// Valid domain names; `"barn"` is valid only under the relaxed `arn` rule.
pub const DOMAINS: [&str; 3] = ["d0", "d1", "barn"];
/// Task-list names.
pub const LISTS: [&str; 3] = ["l0", "l1", "l2"];
/// Activity-type names; `a9` is never registered by the setup.
pub const TYPE_NAMES: [&str; 3] = ["a0", "a1", "a9"];
pub const TYPE_VERSIONS: [&str; 2] = ["1", "2"];
/// Workflow ids.
pub const WORKFLOW_IDS: [&str; 3] = ["w0", "w1", "w2"];
/// Activity ids.
pub const ACTIVITY_IDS: [&str; 3] = ["x", "y", "z"];
/// Durations: valid ones, then `-1`, `1.5`, ` 1`, empty and 9 characters.
pub const DURATIONS: [&str; 10] = [
    "NONE",
    "0",
    "1",
    "2",
    "5",
    "30",
    "-1",
    "1.5",
    " 1",
    "123456789",
];
/// Priorities: valid ones, then out of `i32` and not a number.
pub const PRIORITIES: [&str; 7] = ["0", "7", "-3", "+2", "2147483647", "2147483648", "high"];
/// Retention periods: valid, then 91 days and an over-long value.
pub const RETENTIONS: [&str; 6] = ["1", "0", "NONE", "91", "", "123456789"];
/// SFN activity names; `"a b"` is an `InvalidName`.
pub const SFN_ACTIVITIES: [&str; 3] = ["act0", "act1", "act2"];
/// SFN execution names.
pub const SFN_NAMES: [&str; 2] = ["e0", "e1"];
/// JSON payloads, then text that is not JSON.
pub const JSON: [&str; 5] = ["{}", "{\"a\":1}", "[1,2]", "\"s\"", "not json"];
/// SFN `TimeoutSeconds`: valid, then 0 and one past the maximum.
pub const TIMEOUTS: [i64; 6] = [1, 2, 5, 30, 0, 100_000_000];
/// SFN `HeartbeatSeconds`.
pub const HEARTBEATS: [i64; 4] = [1, 2, 10, 0];
/// Clock advances, in milliseconds.
pub const ADVANCES: [u64; 8] = [0, 1, 500, 1000, 2000, 3000, 5000, 30_000];

// ----- operations ------------------------------------------------------------

/// Which token an operation presents.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TokenPick {
    /// The i-th most recent token this face issued (0 = the latest).
    Issued(usize),
    /// That token with one nonce character changed: well-formed, and names
    /// no task.
    Forged(usize),
    /// The i-th most recent token the *other* face issued.
    OtherFace(usize),
    /// That token with its face tag rewritten to this face's: the layout of
    /// this face, the slot and nonce of the other face's task.
    Retagged(usize),
    /// A well-formed token of this face naming a slot that never existed.
    Unknown,
    /// Not a token at all.
    Garbage,
    /// The empty string (a `ValidationException`).
    Empty,
    /// 2049 characters (over both services' limits).
    TooLong,
}

impl fmt::Debug for TokenPick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenPick::Issued(i) => write!(f, "token#-{i}"),
            TokenPick::Forged(i) => write!(f, "forged#-{i}"),
            TokenPick::OtherFace(i) => write!(f, "other-face-token#-{i}"),
            TokenPick::Retagged(i) => write!(f, "retagged-other-face-token#-{i}"),
            TokenPick::Unknown => f.write_str("unknown-token"),
            TokenPick::Garbage => f.write_str("garbage-token"),
            TokenPick::Empty => f.write_str("empty-token"),
            TokenPick::TooLong => f.write_str("2049-char-token"),
        }
    }
}

/// Which SWF execution an operation names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExecPick {
    /// The i-th most recently started SWF execution (0 = the latest).
    Exec(usize),
    /// Domain `d0`, workflow `w0`, a run id no execution has.
    Unknown,
    /// An empty run id (a `ValidationException`).
    EmptyRun,
}

impl fmt::Debug for ExecPick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecPick::Exec(i) => write!(f, "exec#-{i}"),
            ExecPick::Unknown => f.write_str("unknown-exec"),
            ExecPick::EmptyRun => f.write_str("empty-run-id"),
        }
    }
}

/// Which activity ARN an SFN operation names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ArnPick {
    /// `SFN_ACTIVITIES[i]` in this broker's region and account.
    Activity(usize),
    /// That name in another account: well-formed, names nothing here.
    OtherAccount(usize),
    /// `arn:aws:states:us-east-1:123456789012:activity:` (empty name).
    EmptyName,
    /// A state-machine ARN where an activity ARN is expected.
    StateMachine,
    /// `arn` alone.
    Arn,
    /// The empty string (a `ValidationException`).
    Empty,
}

impl fmt::Debug for ArnPick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnPick::Activity(i) => write!(f, "arn:{}", SFN_ACTIVITIES[i % 3]),
            ArnPick::OtherAccount(i) => write!(f, "arn(other account):{}", SFN_ACTIVITIES[i % 3]),
            ArnPick::EmptyName => f.write_str("arn:...:activity:"),
            ArnPick::StateMachine => f.write_str("arn:...:stateMachine:m"),
            ArnPick::Arn => f.write_str("\"arn\""),
            ArnPick::Empty => f.write_str("\"\""),
        }
    }
}

impl ArnPick {
    pub fn text(self) -> String {
        let arn = |account: &str, kind: &str, name: &str| {
            format!("arn:aws:states:{REGION}:{account}:{kind}:{name}")
        };
        match self {
            ArnPick::Activity(i) => arn(ACCOUNT, "activity", SFN_ACTIVITIES[i % 3]),
            ArnPick::OtherAccount(i) => arn("000000000000", "activity", SFN_ACTIVITIES[i % 3]),
            ArnPick::EmptyName => arn(ACCOUNT, "activity", ""),
            ArnPick::StateMachine => arn(ACCOUNT, "stateMachine", MACHINE),
            ArnPick::Arn => "arn".to_owned(),
            ArnPick::Empty => String::new(),
        }
    }
}

/// The defaults an activity type registers (each `None` is unset).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Defaults {
    pub list: Option<Text>,
    pub schedule_to_start: Option<Text>,
    pub schedule_to_close: Option<Text>,
    pub start_to_close: Option<Text>,
    pub heartbeat: Option<Text>,
    pub priority: Option<Text>,
}

/// One decision of a `respond_decision_task_completed` call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "test data: a few per operation, and flat variants print readably"
)]
pub enum Dec {
    Schedule {
        type_name: Text,
        version: Text,
        activity_id: Text,
        list: Option<Text>,
        schedule_to_start: Option<Text>,
        schedule_to_close: Option<Text>,
        start_to_close: Option<Text>,
        heartbeat: Option<Text>,
        priority: Option<Text>,
        input: Option<Text>,
    },
    Cancel {
        activity_id: Text,
    },
}

/// One operation of either face, or a clock advance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    RegisterDomain {
        name: Text,
        retention: Text,
    },
    DeprecateDomain {
        name: Text,
    },
    UndeprecateDomain {
        name: Text,
    },
    RegisterActivityType {
        domain: Text,
        name: Text,
        version: Text,
        defaults: Defaults,
    },
    DeprecateActivityType {
        domain: Text,
        name: Text,
        version: Text,
    },
    UndeprecateActivityType {
        domain: Text,
        name: Text,
        version: Text,
    },
    DeleteActivityType {
        domain: Text,
        name: Text,
        version: Text,
    },
    RegisterWorkflowType {
        domain: Text,
        with_defaults: bool,
    },
    DeprecateWorkflowType {
        domain: Text,
    },
    StartWorkflow {
        domain: Text,
        workflow_id: Text,
    },
    Terminate {
        exec: ExecPick,
        by_run_id: bool,
        reason: Option<Text>,
    },
    Decide {
        exec: ExecPick,
        decisions: Vec<Dec>,
    },
    Poll {
        domain: Text,
        list: Text,
        identity: Option<Text>,
    },
    Heartbeat {
        token: TokenPick,
        details: Option<Text>,
    },
    Complete {
        token: TokenPick,
        result: Option<Text>,
    },
    Fail {
        token: TokenPick,
        reason: Option<Text>,
        details: Option<Text>,
    },
    Cancel {
        token: TokenPick,
        details: Option<Text>,
    },
    CountPending {
        domain: Text,
        list: Text,
    },
    CreateActivity {
        name: Text,
    },
    DeleteActivity {
        arn: ArnPick,
    },
    StartExecution {
        activity: ArnPick,
        name: Option<Text>,
        input: Option<Text>,
        timeout: Option<i64>,
        heartbeat: Option<i64>,
    },
    GetActivityTask {
        arn: ArnPick,
        worker: Option<Text>,
    },
    SendSuccess {
        token: TokenPick,
        output: Text,
    },
    SendFailure {
        token: TokenPick,
        error: Option<Text>,
        cause: Option<Text>,
    },
    SendHeartbeat {
        token: TokenPick,
    },
    /// `ManualClock::advance` by this many milliseconds.
    Advance {
        ms: u64,
    },
}

/// Engine settings a run is built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub shards: usize,
    pub queue_capacity: usize,
    pub max_open_activities: usize,
    pub relaxed_arn: bool,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            shards: 4,
            queue_capacity: 3,
            max_open_activities: 3,
            relaxed_arn: false,
            seed: 1,
        }
    }
}

/// The operations every run starts with, so that short random sequences
/// reach tasks: domains `d0` and `d1`, types `a0/1` (every default, list
/// `l0`) and `a1/1` (no defaults), the workflow type in `d0`, executions
/// `w0` and `w1`, and the SFN activity `act0`.
pub fn setup() -> Vec<Op> {
    let t = |s: &str| Text::from(s);
    vec![
        Op::RegisterDomain {
            name: t("d0"),
            retention: t("1"),
        },
        Op::RegisterDomain {
            name: t("d1"),
            retention: t("0"),
        },
        Op::RegisterActivityType {
            domain: t("d0"),
            name: t("a0"),
            version: t("1"),
            defaults: Defaults {
                list: Some(t("l0")),
                schedule_to_start: Some(t("NONE")),
                schedule_to_close: Some(t("NONE")),
                start_to_close: Some(t("NONE")),
                heartbeat: Some(t("NONE")),
                priority: None,
            },
        },
        Op::RegisterActivityType {
            domain: t("d0"),
            name: t("a1"),
            version: t("1"),
            defaults: Defaults::default(),
        },
        Op::RegisterWorkflowType {
            domain: t("d0"),
            with_defaults: true,
        },
        Op::StartWorkflow {
            domain: t("d0"),
            workflow_id: t("w0"),
        },
        Op::StartWorkflow {
            domain: t("d0"),
            workflow_id: t("w1"),
        },
        Op::CreateActivity { name: t("act0") },
    ]
}

// ----- observable outcomes ---------------------------------------------------

/// An error as a caller sees it: the AWS code and, for a
/// `ValidationException`, each violated member and constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub violations: Vec<(String, Constraint)>,
}

impl Fault {
    fn code(code: &str) -> Fault {
        Fault {
            code: code.to_owned(),
            violations: Vec::new(),
        }
    }
}

/// What one operation returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Out {
    Ok,
    Err(Fault),
    /// A new SWF execution, by index.
    SwfStarted(usize),
    /// The `DecisionTaskCompleted` event id.
    Decided(u64),
    /// An SWF task; `exec` is the execution's index.
    SwfTask {
        activity_id: String,
        activity_type: (String, String),
        input: Option<String>,
        started_event_id: u64,
        exec: usize,
    },
    /// The empty poll result (`taskToken` empty or null, `startedEventId` 0).
    Empty,
    Heartbeat {
        cancel_requested: bool,
    },
    Count(i32),
    /// An SFN execution, by index (new, or the idempotent repeat's).
    SfnStarted(usize),
    SfnTask {
        input: Option<String>,
    },
    /// CreateActivity's ARN.
    Created(String),
}

/// A history event: its type and key attributes, face-neutral enough for
/// both renderings. SFN events carry their `previousEventId` as `prev`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ev {
    WorkflowStarted {
        workflow_type: String,
    },
    DecisionScheduled,
    DecisionStarted {
        scheduled: u64,
    },
    DecisionCompleted {
        scheduled: u64,
        started: u64,
    },
    ActivityScheduled {
        activity_type: (String, String),
        activity_id: String,
        input: Option<String>,
        list: String,
        priority: Option<String>,
        /// schedule-to-start, schedule-to-close, start-to-close, heartbeat.
        timeouts: [String; 4],
        decision: u64,
    },
    ScheduleFailed {
        activity_type: (String, String),
        activity_id: String,
        cause: String,
        decision: u64,
    },
    ActivityStarted {
        identity: Option<String>,
        scheduled: u64,
    },
    ActivityCompleted {
        result: Option<String>,
        scheduled: u64,
        started: u64,
    },
    ActivityFailed {
        reason: Option<String>,
        details: Option<String>,
        scheduled: u64,
        started: u64,
    },
    ActivityTimedOut {
        timeout_type: String,
        scheduled: u64,
        started: u64,
        details: Option<String>,
    },
    ActivityCanceled {
        details: Option<String>,
        scheduled: u64,
        started: u64,
        latest_cancel_requested: Option<u64>,
    },
    CancelRequested {
        activity_id: String,
        decision: u64,
    },
    CancelFailed {
        activity_id: String,
        cause: String,
        decision: u64,
    },
    WorkflowTerminated {
        reason: Option<String>,
        details: Option<String>,
    },
    ExecutionStarted {
        input: Option<String>,
    },
    SfnScheduled {
        resource: String,
        input: Option<String>,
        timeout: Option<i64>,
        heartbeat: Option<i64>,
        prev: u64,
    },
    SfnScheduleFailed {
        error: Option<String>,
        cause: Option<String>,
        prev: u64,
    },
    SfnStarted {
        worker: Option<String>,
        prev: u64,
    },
    SfnSucceeded {
        output: Option<String>,
        prev: u64,
    },
    SfnFailed {
        error: Option<String>,
        cause: Option<String>,
        prev: u64,
    },
    SfnTimedOut {
        error: Option<String>,
        cause: Option<String>,
        prev: u64,
    },
    ExecutionSucceeded {
        output: Option<String>,
        prev: u64,
    },
    ExecutionFailed {
        error: Option<String>,
        cause: Option<String>,
        prev: u64,
    },
    /// An event the model has no variant for.
    Other(String),
}

// ----- the model -------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Face {
    Swf,
    Sfn,
}

/// The four timeouts, in nanoseconds (`None`: `NONE`).
#[derive(Clone, Copy, Debug, Default)]
struct Timeouts {
    schedule_to_start: Option<u64>,
    schedule_to_close: Option<u64>,
    start_to_close: Option<u64>,
    heartbeat: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeoutKind {
    Heartbeat,
    StartToClose,
    ScheduleToStart,
    ScheduleToClose,
}

#[derive(Clone, Debug)]
struct ActType {
    deprecated: bool,
    defaults: Defaults,
}

#[derive(Clone, Debug)]
struct Domain {
    deprecated: bool,
    retention_zero: bool,
    types: BTreeMap<(String, String), ActType>,
    /// The workflow type: (deprecated, registered with defaults).
    workflow: Option<(bool, bool)>,
}

/// One execution's history, and where same-tick timeouts may be reordered.
#[derive(Clone, Debug, Default)]
struct History {
    events: Vec<Ev>,
    /// Half-open ranges of event indices holding same-tick timeouts.
    free_order: Vec<(usize, usize)>,
}

impl History {
    fn push(&mut self, e: Ev) -> u64 {
        self.events.push(e);
        self.events.len() as u64
    }
}

#[derive(Clone, Debug)]
struct SwfExec {
    domain: String,
    workflow_id: String,
    open: bool,
    /// Readable: false once closed in a domain that keeps no history.
    visible: bool,
    history: History,
    decision_scheduled: Option<u64>,
    /// Open activities by activity id.
    open_tasks: BTreeMap<String, usize>,
}

#[derive(Clone, Debug)]
struct SfnExec {
    name: String,
    activity_arn: String,
    input: String,
    timeout: Option<i64>,
    heartbeat: Option<i64>,
    open: bool,
    status: &'static str,
    history: History,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ExecRef {
    Swf(usize),
    Sfn(usize),
}

#[derive(Clone, Debug)]
struct Task {
    exec: ExecRef,
    /// Domain or SFN activity name.
    ns: String,
    list: String,
    activity_id: String,
    type_name: String,
    type_version: String,
    input: Option<String>,
    priority: i32,
    seq: u64,
    scheduled: u64,
    /// 0 while queued.
    started: u64,
    schedule_to_start_at: Option<u64>,
    schedule_to_close_at: Option<u64>,
    start_to_close_at: Option<u64>,
    heartbeat_at: Option<u64>,
    timeouts: Timeouts,
    cancel_requested: u64,
    details: Option<String>,
    queued: bool,
    closed: bool,
}

impl Task {
    fn face(&self) -> Face {
        match self.exec {
            ExecRef::Swf(_) => Face::Swf,
            ExecRef::Sfn(_) => Face::Sfn,
        }
    }

    fn earliest(&self) -> Option<u64> {
        [
            self.schedule_to_start_at,
            self.schedule_to_close_at,
            self.start_to_close_at,
            self.heartbeat_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The timeout expired at `now`: the earliest deadline at or before it,
    /// ties to the narrower timeout.
    fn expired(&self, now: u64) -> Option<TimeoutKind> {
        let mut best: Option<(u64, TimeoutKind)> = None;
        for (at, kind) in [
            (self.heartbeat_at, TimeoutKind::Heartbeat),
            (self.start_to_close_at, TimeoutKind::StartToClose),
            (self.schedule_to_start_at, TimeoutKind::ScheduleToStart),
            (self.schedule_to_close_at, TimeoutKind::ScheduleToClose),
        ] {
            if let Some(at) = at {
                if at <= now && best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, kind));
                }
            }
        }
        best.map(|(_, k)| k)
    }
}

/// Why a token is refused, before each face names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenError {
    Malformed,
    NoSuchTask,
    Closed,
}

/// The reference model.
#[derive(Clone, Debug)]
pub struct Model {
    cfg: Config,
    now: u64,
    seq: u64,
    domains: BTreeMap<String, Domain>,
    swf_execs: Vec<SwfExec>,
    activities: BTreeSet<String>,
    sfn_execs: Vec<SfnExec>,
    tasks: Vec<Task>,
    /// Token handles: the task each issued token names.
    tokens: Vec<usize>,
}

/// Collects violations the way AWS reports them: every bad member, in
/// request order, one violation per member.
#[derive(Default)]
struct Check {
    v: Vec<(String, Constraint)>,
}

impl Check {
    fn len(&mut self, member: &str, value: &str, min: usize, max: usize) -> bool {
        let n = value.chars().count();
        if n < min {
            self.v.push((member.to_owned(), Constraint::MinLength(min)));
            false
        } else if n > max {
            self.v.push((member.to_owned(), Constraint::MaxLength(max)));
            false
        } else {
            true
        }
    }

    fn opt_len(&mut self, member: &str, value: Option<&Text>, max: usize) {
        if let Some(v) = value {
            self.len(member, v.as_str(), 0, max);
        }
    }

    /// An SWF name: 1..=max characters; for domains and task lists no edge
    /// whitespace; no `: / |` or control characters; the `arn` rule.
    fn name(&mut self, member: &str, value: &str, max: usize, edged: bool, relaxed: bool) {
        if !self.len(member, value, 1, max) {
            return;
        }
        let c = if edged
            && (value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace))
        {
            Some(Constraint::NoEdgeWhitespace)
        } else if value.chars().any(|c| {
            matches!(c, ':' | '/' | '|') || c <= '\u{1f}' || ('\u{7f}'..='\u{9f}').contains(&c)
        }) {
            Some(Constraint::NoReservedCharacters)
        } else if relaxed && value == "arn" {
            Some(Constraint::NotLiteralArn)
        } else if !relaxed && value.contains("arn") {
            Some(Constraint::NotArn)
        } else {
            None
        };
        if let Some(c) = c {
            self.v.push((member.to_owned(), c));
        }
    }

    /// `DurationInSecondsOptional`: at most 8 characters, digits or `NONE`.
    fn duration(&mut self, member: &str, value: Option<&Text>) -> Option<Option<u64>> {
        let value = value?.as_str();
        if !self.len(member, value, 0, 8) {
            return None;
        }
        match parse_duration(value) {
            Some(d) => Some(d),
            None => {
                self.v.push((member.to_owned(), Constraint::Duration));
                None
            }
        }
    }

    fn priority(&mut self, member: &str, value: Option<&Text>) -> Option<i32> {
        let value = value?.as_str();
        match parse_i32(value) {
            Some(p) => Some(p),
            None => {
                self.v.push((member.to_owned(), Constraint::Int32));
                None
            }
        }
    }

    fn range(&mut self, member: &str, value: i64, min: i64, max: i64) {
        if value < min {
            self.v.push((member.to_owned(), Constraint::MinValue(min)));
        } else if value > max {
            self.v.push((member.to_owned(), Constraint::MaxValue(max)));
        }
    }

    fn finish(self) -> Result<(), Out> {
        if self.v.is_empty() {
            Ok(())
        } else {
            Err(Out::Err(Fault {
                code: "ValidationException".to_owned(),
                violations: self.v,
            }))
        }
    }
}

/// Seconds as nanoseconds, `None` for `NONE`; `None` for text that is
/// neither.
fn parse_duration(v: &str) -> Option<Option<u64>> {
    if v == "NONE" {
        return Some(None);
    }
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().map(|s| Some(s * 1_000_000_000))
}

fn parse_i32(v: &str) -> Option<i32> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

fn secs_text(d: Option<u64>) -> String {
    match d {
        Some(n) => (n / 1_000_000_000).to_string(),
        None => "NONE".to_owned(),
    }
}

fn is_sfn_name_char(c: char) -> bool {
    !(c.is_whitespace()
        || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
        || c <= '\u{1f}'
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || c == '\u{fffe}'
        || c == '\u{ffff}')
}

/// The activity name of a well-formed activity ARN of this broker
/// (`Ok(Some)`), of another account (`Ok(None)`), or malformed (`Err`).
fn parse_activity_arn(arn: &str) -> Result<Option<String>, ()> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let [a, p, s, region, account, kind, name] = parts.as_slice() else {
        return Err(());
    };
    let label = |x: &str| {
        !x.is_empty()
            && !x.starts_with('-')
            && !x.ends_with('-')
            && x.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let ok = *a == "arn"
        && label(p)
        && *s == "states"
        && label(region)
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && *kind == "activity"
        && (1..=80).contains(&name.chars().count())
        && name.chars().all(is_sfn_name_char);
    if !ok {
        return Err(());
    }
    Ok((*p == "aws" && *region == REGION && *account == ACCOUNT).then(|| (*name).to_owned()))
}

/// A minimal JSON check, enough for the pooled payloads.
fn is_json(s: &str) -> bool {
    JSON[..4].contains(&s)
}

fn pick(i: usize, len: usize) -> Option<usize> {
    (len > 0).then(|| len - 1 - i % len)
}

const NANOS: u64 = 1_000_000_000;

impl Model {
    pub fn new(cfg: Config) -> Model {
        Model {
            cfg,
            now: 0,
            seq: 0,
            domains: BTreeMap::new(),
            swf_execs: Vec::new(),
            activities: BTreeSet::new(),
            sfn_execs: Vec::new(),
            tasks: Vec::new(),
            tokens: Vec::new(),
        }
    }

    fn err(code: &str) -> Out {
        Out::Err(Fault::code(code))
    }

    fn history_mut(&mut self, e: ExecRef) -> &mut History {
        match e {
            ExecRef::Swf(i) => &mut self.swf_execs[i].history,
            ExecRef::Sfn(i) => &mut self.sfn_execs[i].history,
        }
    }

    fn push(&mut self, e: ExecRef, ev: Ev) -> u64 {
        self.history_mut(e).push(ev)
    }

    fn last_id(&self, e: ExecRef) -> u64 {
        match e {
            ExecRef::Swf(i) => self.swf_execs[i].history.events.len() as u64,
            ExecRef::Sfn(i) => self.sfn_execs[i].history.events.len() as u64,
        }
    }

    /// The SWF face's resolution of the i-th most recent execution.
    fn swf_exec(&self, pick: ExecPick) -> Option<usize> {
        match pick {
            ExecPick::Exec(i) => self::pick(i, self.swf_execs.len()),
            _ => None,
        }
    }

    // ----- tasks ------------------------------------------------------------

    /// Records a task's close event and does the face's follow-up: a new
    /// decision task (SWF), or the execution's end (SFN).
    fn close_task(&mut self, t: usize, ev: Ev) {
        let task = &mut self.tasks[t];
        task.closed = true;
        task.queued = false;
        let exec = task.exec;
        let activity_id = task.activity_id.clone();
        let id = self.push(exec, ev.clone());
        match exec {
            ExecRef::Swf(i) => {
                let e = &mut self.swf_execs[i];
                e.open_tasks.remove(&activity_id);
                if e.decision_scheduled.is_none() {
                    let d = e.history.push(Ev::DecisionScheduled);
                    e.decision_scheduled = Some(d);
                }
            }
            ExecRef::Sfn(i) => {
                let (end, status) = match ev {
                    Ev::SfnSucceeded { output, .. } => {
                        (Ev::ExecutionSucceeded { output, prev: id }, "SUCCEEDED")
                    }
                    Ev::SfnFailed { error, cause, .. } | Ev::SfnTimedOut { error, cause, .. } => (
                        Ev::ExecutionFailed {
                            error,
                            cause,
                            prev: id,
                        },
                        "FAILED",
                    ),
                    other => (Ev::Other(format!("no close for {other:?}")), "FAILED"),
                };
                let e = &mut self.sfn_execs[i];
                e.history.push(end);
                e.open = false;
                e.status = status;
            }
        }
    }

    fn time_out(&mut self, t: usize, kind: TimeoutKind) {
        let task = &mut self.tasks[t];
        let details = task.details.take();
        let (scheduled, started) = (task.scheduled, task.started);
        let ev = match task.face() {
            Face::Swf => Ev::ActivityTimedOut {
                timeout_type: match kind {
                    TimeoutKind::Heartbeat => "HEARTBEAT",
                    TimeoutKind::StartToClose => "START_TO_CLOSE",
                    TimeoutKind::ScheduleToStart => "SCHEDULE_TO_START",
                    TimeoutKind::ScheduleToClose => "SCHEDULE_TO_CLOSE",
                }
                .to_owned(),
                scheduled,
                started,
                details,
            },
            Face::Sfn => Ev::SfnTimedOut {
                error: Some(
                    if kind == TimeoutKind::Heartbeat {
                        "States.HeartbeatTimeout"
                    } else {
                        "States.Timeout"
                    }
                    .to_owned(),
                ),
                cause: details,
                prev: if started == 0 { scheduled } else { started },
            },
        };
        self.close_task(t, ev);
    }

    /// Closes every task of an execution without an event (its execution
    /// closed): their tokens die.
    fn sweep(&mut self, exec: ExecRef) {
        for t in self
            .tasks
            .iter_mut()
            .filter(|t| t.exec == exec && !t.closed)
        {
            t.closed = true;
            t.queued = false;
        }
    }

    fn queued_on(&self, face: Face, ns: &str, list: &str) -> Vec<usize> {
        let mut q: Vec<usize> = (0..self.tasks.len())
            .filter(|&t| {
                let task = &self.tasks[t];
                task.queued && task.face() == face && task.ns == ns && task.list == list
            })
            .collect();
        q.sort_by_key(|&t| (std::cmp::Reverse(self.tasks[t].priority), self.tasks[t].seq));
        q
    }

    fn pending(&self, face: Face, ns: &str, list: &str) -> usize {
        self.queued_on(face, ns, list).len()
    }

    /// Takes the next task of a list for a poller: highest priority, then
    /// oldest; tasks whose deadline has come are timed out on the way.
    fn take(
        &mut self,
        face: Face,
        ns: &str,
        list: &str,
        identity: Option<String>,
    ) -> Option<usize> {
        for t in self.queued_on(face, ns, list) {
            if let Some(kind) = self.tasks[t].expired(self.now) {
                self.time_out(t, kind);
                continue;
            }
            let now = self.now;
            let task = &mut self.tasks[t];
            task.queued = false;
            let exec = task.exec;
            let scheduled = task.scheduled;
            let ev = match face {
                Face::Swf => Ev::ActivityStarted {
                    identity,
                    scheduled,
                },
                Face::Sfn => Ev::SfnStarted {
                    worker: identity,
                    prev: scheduled,
                },
            };
            let started = self.push(exec, ev);
            let task = &mut self.tasks[t];
            task.started = started;
            task.schedule_to_start_at = None;
            task.start_to_close_at = task.timeouts.start_to_close.map(|d| now + d);
            task.heartbeat_at = task.timeouts.heartbeat.map(|d| now + d);
            self.tokens.push(t);
            return Some(t);
        }
        None
    }

    /// Resolves a token to a live started task of `face`.
    /// The handle `pick` names among the tokens of `face` (the i-th most
    /// recent), if any.
    fn handle(&self, face: Face, i: usize) -> Option<usize> {
        let of_face: Vec<usize> = (0..self.tokens.len())
            .filter(|&h| self.tasks[self.tokens[h]].face() == face)
            .collect();
        pick(i, of_face.len()).map(|k| of_face[k])
    }

    fn resolve(&mut self, face: Face, token: TokenPick) -> Result<usize, TokenError> {
        let other = match face {
            Face::Swf => Face::Sfn,
            Face::Sfn => Face::Swf,
        };
        let (h, forged) = match token {
            TokenPick::Issued(i) => (self.handle(face, i), false),
            TokenPick::Forged(i) => (self.handle(face, i), true),
            TokenPick::Retagged(i) => {
                // A well-formed token of this face naming a task of the
                // other: the engine never issued it, so it names no task,
                // open or closed (AWS-API.md A5).
                if self.handle(other, i).is_none() {
                    return Err(TokenError::Malformed);
                }
                return Err(TokenError::NoSuchTask);
            }
            TokenPick::Unknown => return Err(TokenError::NoSuchTask),
            _ => return Err(TokenError::Malformed),
        };
        let Some(h) = h else {
            // No token of this face yet: the harness sends garbage.
            return Err(TokenError::Malformed);
        };
        // A forged token names no task, whether or not the task whose token
        // it was made from has closed (AWS-API.md A5).
        if forged {
            return Err(TokenError::NoSuchTask);
        }
        let t = self.tokens[h];
        let task = &self.tasks[t];
        if task.closed {
            return Err(TokenError::Closed);
        }
        if let Some(kind) = task.expired(self.now) {
            self.time_out(t, kind);
            return Err(TokenError::Closed);
        }
        Ok(t)
    }

    fn token_check(c: &mut Check, token: TokenPick, max: usize) {
        match token {
            TokenPick::Empty => {
                c.len("taskToken", "", 1, max);
            }
            TokenPick::TooLong => {
                c.len("taskToken", &"t".repeat(2049), 1, max);
            }
            _ => {}
        }
    }

    // ----- time -------------------------------------------------------------

    /// Moves the clock, firing every deadline crossed, tick by tick.
    fn advance(&mut self, by: u64) {
        let target = self.now.saturating_add(by);
        loop {
            let next = self
                .tasks
                .iter()
                .filter(|t| !t.closed)
                .filter_map(Task::earliest)
                .min();
            let Some(at) = next.filter(|&at| at <= target) else {
                break;
            };
            let due: Vec<usize> = (0..self.tasks.len())
                .filter(|&t| !self.tasks[t].closed && self.tasks[t].earliest() == Some(at))
                .collect();
            // Same-tick timeouts of one execution: the engine's order among
            // them follows its shards, so the comparison leaves it free.
            let mut per_exec: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for &t in &due {
                if let ExecRef::Swf(e) = self.tasks[t].exec {
                    per_exec.entry(e).or_default().push(t);
                }
            }
            let starts: BTreeMap<usize, usize> = per_exec
                .iter()
                .filter(|(_, ts)| ts.len() > 1)
                .map(|(&e, _)| (e, self.swf_execs[e].history.events.len()))
                .collect();
            for t in due {
                if let Some(kind) = self.tasks[t].expired(at) {
                    self.time_out(t, kind);
                }
            }
            for (e, start) in starts {
                let h = &mut self.swf_execs[e].history;
                h.free_order.push((start, h.events.len()));
            }
        }
        self.now = target;
    }

    // ----- operations -------------------------------------------------------

    /// Applies one operation; returns what the engine must answer.
    pub fn apply(&mut self, op: &Op) -> Out {
        let out = match self.apply_inner(op) {
            Ok(out) | Err(out) => out,
        };
        // Every deadline that is due has fired by the time an operation
        // returns: an operation that sets one at the current instant (a
        // zero timeout) fires it before it returns (`Core::missed`).
        self.advance(0);
        out
    }

    fn apply_inner(&mut self, op: &Op) -> Result<Out, Out> {
        let relaxed = self.cfg.relaxed_arn;
        match op {
            Op::RegisterDomain { name, retention } => {
                let mut c = Check::default();
                c.name("name", name.as_str(), 256, true, relaxed);
                let r = retention.as_str();
                let member = "workflowExecutionRetentionPeriodInDays";
                if c.len(member, r, 1, 8)
                    && r != "NONE"
                    && !(r.bytes().all(|b| b.is_ascii_digit())
                        && r.parse::<u64>().is_ok_and(|d| d <= 90))
                {
                    c.v.push((member.to_owned(), Constraint::RetentionDays));
                }
                c.finish()?;
                if self.domains.contains_key(name.as_str()) {
                    return Err(Self::err("DomainAlreadyExistsFault"));
                }
                let retention_zero = r == "NONE" || r.parse::<u64>() == Ok(0);
                self.domains.insert(
                    name.0.clone(),
                    Domain {
                        deprecated: false,
                        retention_zero,
                        types: BTreeMap::new(),
                        workflow: None,
                    },
                );
                Ok(Out::Ok)
            }
            Op::DeprecateDomain { name } | Op::UndeprecateDomain { name } => {
                let deprecate = matches!(op, Op::DeprecateDomain { .. });
                let mut c = Check::default();
                c.len("name", name.as_str(), 1, 256);
                c.finish()?;
                let d = self
                    .domains
                    .get_mut(name.as_str())
                    .ok_or_else(|| Self::err("UnknownResourceFault"))?;
                match (d.deprecated, deprecate) {
                    (true, true) => Err(Self::err("DomainDeprecatedFault")),
                    (false, false) => Err(Self::err("DomainAlreadyExistsFault")),
                    _ => {
                        d.deprecated = deprecate;
                        Ok(Out::Ok)
                    }
                }
            }
            Op::RegisterActivityType {
                domain,
                name,
                version,
                defaults: d,
            } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                c.name("name", name.as_str(), 256, false, relaxed);
                c.name("version", version.as_str(), 64, false, relaxed);
                c.duration("defaultTaskStartToCloseTimeout", d.start_to_close.as_ref());
                c.duration("defaultTaskHeartbeatTimeout", d.heartbeat.as_ref());
                if let Some(l) = &d.list {
                    c.name("defaultTaskList.name", l.as_str(), 256, true, relaxed);
                }
                c.priority("defaultTaskPriority", d.priority.as_ref());
                c.duration(
                    "defaultTaskScheduleToStartTimeout",
                    d.schedule_to_start.as_ref(),
                );
                c.duration(
                    "defaultTaskScheduleToCloseTimeout",
                    d.schedule_to_close.as_ref(),
                );
                c.finish()?;
                let dom = self.writable_domain(domain.as_str())?;
                let key = (name.0.clone(), version.0.clone());
                if dom.types.contains_key(&key) {
                    return Err(Self::err("TypeAlreadyExistsFault"));
                }
                dom.types.insert(
                    key,
                    ActType {
                        deprecated: false,
                        defaults: d.clone(),
                    },
                );
                Ok(Out::Ok)
            }
            Op::DeprecateActivityType {
                domain,
                name,
                version,
            }
            | Op::UndeprecateActivityType {
                domain,
                name,
                version,
            }
            | Op::DeleteActivityType {
                domain,
                name,
                version,
            } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                c.len("activityType.name", name.as_str(), 1, 256);
                c.len("activityType.version", version.as_str(), 1, 64);
                c.finish()?;
                let key = (name.0.clone(), version.0.clone());
                let dom = self
                    .domains
                    .get_mut(domain.as_str())
                    .ok_or_else(|| Self::err("UnknownResourceFault"))?;
                let t = dom
                    .types
                    .get_mut(&key)
                    .ok_or_else(|| Self::err("UnknownResourceFault"))?;
                match op {
                    Op::DeprecateActivityType { .. } if t.deprecated => {
                        Err(Self::err("TypeDeprecatedFault"))
                    }
                    Op::DeprecateActivityType { .. } => {
                        t.deprecated = true;
                        Ok(Out::Ok)
                    }
                    Op::UndeprecateActivityType { .. } if !t.deprecated => {
                        Err(Self::err("TypeAlreadyExistsFault"))
                    }
                    Op::UndeprecateActivityType { .. } => {
                        t.deprecated = false;
                        Ok(Out::Ok)
                    }
                    _ if !t.deprecated => Err(Self::err("TypeNotDeprecatedFault")),
                    _ => {
                        dom.types.remove(&key);
                        Ok(Out::Ok)
                    }
                }
            }
            Op::RegisterWorkflowType {
                domain,
                with_defaults,
            } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                c.finish()?;
                let dom = self.writable_domain(domain.as_str())?;
                if dom.workflow.is_some() {
                    return Err(Self::err("TypeAlreadyExistsFault"));
                }
                dom.workflow = Some((false, *with_defaults));
                Ok(Out::Ok)
            }
            Op::DeprecateWorkflowType { domain } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                c.finish()?;
                let dom = self
                    .domains
                    .get_mut(domain.as_str())
                    .ok_or_else(|| Self::err("UnknownResourceFault"))?;
                match &mut dom.workflow {
                    None => Err(Self::err("UnknownResourceFault")),
                    Some((true, _)) => Err(Self::err("TypeDeprecatedFault")),
                    Some((dep, _)) => {
                        *dep = true;
                        Ok(Out::Ok)
                    }
                }
            }
            Op::StartWorkflow {
                domain,
                workflow_id,
            } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                // The service's own `arn` wording, whatever the engine's
                // (AWS-API.md's "contain" reading does not name workflowId).
                c.name("workflowId", workflow_id.as_str(), 256, false, true);
                c.finish()?;
                let dom = self
                    .domains
                    .get(domain.as_str())
                    .ok_or_else(|| Self::err("UnknownResourceFault"))?;
                if dom.deprecated {
                    return Err(Self::err("DomainDeprecatedFault"));
                }
                match dom.workflow {
                    None => return Err(Self::err("UnknownResourceFault")),
                    Some((true, _)) => return Err(Self::err("TypeDeprecatedFault")),
                    Some((false, false)) => return Err(Self::err("DefaultUndefinedFault")),
                    Some((false, true)) => {}
                }
                if self
                    .swf_execs
                    .iter()
                    .any(|e| e.open && e.domain == domain.0 && e.workflow_id == workflow_id.0)
                {
                    return Err(Self::err("WorkflowExecutionAlreadyStartedFault"));
                }
                let mut history = History::default();
                history.push(Ev::WorkflowStarted {
                    workflow_type: WORKFLOW.to_owned(),
                });
                let d = history.push(Ev::DecisionScheduled);
                self.swf_execs.push(SwfExec {
                    domain: domain.0.clone(),
                    workflow_id: workflow_id.0.clone(),
                    open: true,
                    visible: true,
                    history,
                    decision_scheduled: Some(d),
                    open_tasks: BTreeMap::new(),
                });
                Ok(Out::SwfStarted(self.swf_execs.len() - 1))
            }
            Op::Terminate {
                exec,
                by_run_id,
                reason,
            } => {
                // The engine gives Terminate's runId no minimum (0..64), so
                // an empty one is not a validation error: it names nothing.
                let mut c = Check::default();
                c.opt_len("reason", reason.as_ref(), 256);
                c.finish()?;
                let target = match self.swf_exec(*exec) {
                    Some(e) if *by_run_id => Some(e),
                    Some(e) => {
                        let (d, w) = (&self.swf_execs[e].domain, &self.swf_execs[e].workflow_id);
                        self.swf_execs
                            .iter()
                            .position(|x| x.open && &x.domain == d && &x.workflow_id == w)
                    }
                    None if *by_run_id => None,
                    None => self
                        .swf_execs
                        .iter()
                        .position(|x| x.open && x.domain == "d0" && x.workflow_id == "w0"),
                };
                let e = target
                    .filter(|&e| self.swf_execs[e].visible && self.swf_execs[e].open)
                    .ok_or_else(|| Self::err("UnknownResourceFault"))?;
                self.push(
                    ExecRef::Swf(e),
                    Ev::WorkflowTerminated {
                        reason: reason.as_ref().map(|r| r.0.clone()),
                        details: None,
                    },
                );
                self.close_swf(e);
                Ok(Out::Ok)
            }
            Op::Decide { exec, decisions } => self.decide(*exec, decisions),
            Op::Poll {
                domain,
                list,
                identity,
            } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                c.name("taskList.name", list.as_str(), 256, true, relaxed);
                c.opt_len("identity", identity.as_ref(), 256);
                c.finish()?;
                if !self.domains.contains_key(domain.as_str()) {
                    return Err(Self::err("UnknownResourceFault"));
                }
                let identity = identity.as_ref().map(|i| i.0.clone());
                Ok(
                    match self.take(Face::Swf, domain.as_str(), list.as_str(), identity) {
                        None => Out::Empty,
                        Some(t) => {
                            let task = &self.tasks[t];
                            let ExecRef::Swf(exec) = task.exec else {
                                return Err(Out::Err(Fault::code("model: SFN task on SWF list")));
                            };
                            Out::SwfTask {
                                activity_id: task.activity_id.clone(),
                                activity_type: (task.type_name.clone(), task.type_version.clone()),
                                input: task.input.clone(),
                                started_event_id: task.started,
                                exec,
                            }
                        }
                    },
                )
            }
            Op::Heartbeat { token, details } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 1024);
                c.opt_len("details", details.as_ref(), 2048);
                c.finish()?;
                let t = self
                    .resolve(Face::Swf, *token)
                    .map_err(|_| Self::err("UnknownResourceFault"))?;
                let now = self.now;
                let task = &mut self.tasks[t];
                task.heartbeat_at = task.timeouts.heartbeat.map(|d| now + d);
                // The last heartbeat's details, absent if it gave none
                // (AWS-API.md A1).
                task.details = details.as_ref().map(|d| d.0.clone());
                Ok(Out::Heartbeat {
                    cancel_requested: task.cancel_requested != 0,
                })
            }
            Op::Complete { token, result } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 1024);
                c.opt_len("result", result.as_ref(), 32768);
                c.finish()?;
                let t = self
                    .resolve(Face::Swf, *token)
                    .map_err(|_| Self::err("UnknownResourceFault"))?;
                let (scheduled, started) = (self.tasks[t].scheduled, self.tasks[t].started);
                self.close_task(
                    t,
                    Ev::ActivityCompleted {
                        result: result.as_ref().map(|r| r.0.clone()),
                        scheduled,
                        started,
                    },
                );
                Ok(Out::Ok)
            }
            Op::Fail {
                token,
                reason,
                details,
            } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 1024);
                c.opt_len("reason", reason.as_ref(), 256);
                c.opt_len("details", details.as_ref(), 32768);
                c.finish()?;
                let t = self
                    .resolve(Face::Swf, *token)
                    .map_err(|_| Self::err("UnknownResourceFault"))?;
                let (scheduled, started) = (self.tasks[t].scheduled, self.tasks[t].started);
                self.close_task(
                    t,
                    Ev::ActivityFailed {
                        reason: reason.as_ref().map(|r| r.0.clone()),
                        details: details.as_ref().map(|r| r.0.clone()),
                        scheduled,
                        started,
                    },
                );
                Ok(Out::Ok)
            }
            Op::Cancel { token, details } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 1024);
                c.opt_len("details", details.as_ref(), 32768);
                c.finish()?;
                let t = self
                    .resolve(Face::Swf, *token)
                    .map_err(|_| Self::err("UnknownResourceFault"))?;
                let task = &self.tasks[t];
                let ev = Ev::ActivityCanceled {
                    details: details.as_ref().map(|r| r.0.clone()),
                    scheduled: task.scheduled,
                    started: task.started,
                    latest_cancel_requested: (task.cancel_requested != 0)
                        .then_some(task.cancel_requested),
                };
                self.close_task(t, ev);
                Ok(Out::Ok)
            }
            Op::CountPending { domain, list } => {
                let mut c = Check::default();
                c.len("domain", domain.as_str(), 1, 256);
                c.len("taskList.name", list.as_str(), 1, 256);
                c.finish()?;
                if !self.domains.contains_key(domain.as_str()) {
                    return Err(Self::err("UnknownResourceFault"));
                }
                let n = self.pending(Face::Swf, domain.as_str(), list.as_str());
                Ok(Out::Count(n as i32))
            }
            Op::CreateActivity { name } => {
                let mut c = Check::default();
                c.len("name", name.as_str(), 1, 80);
                c.finish()?;
                if !name.as_str().chars().all(is_sfn_name_char) {
                    return Err(Self::err("InvalidName"));
                }
                self.activities.insert(name.0.clone());
                Ok(Out::Created(format!(
                    "arn:aws:states:{REGION}:{ACCOUNT}:activity:{}",
                    name.0
                )))
            }
            Op::DeleteActivity { arn } => {
                let name = self.activity_arn(*arn)?;
                let Some(name) = name else {
                    return Ok(Out::Ok);
                };
                if self.activities.remove(&name) {
                    for t in self.queued_on(Face::Sfn, &name, "") {
                        let scheduled = self.tasks[t].scheduled;
                        self.close_task(
                            t,
                            Ev::SfnFailed {
                                error: Some(ACTIVITY_DELETED.to_owned()),
                                cause: Some(ACTIVITY_DELETED_CAUSE.to_owned()),
                                prev: scheduled,
                            },
                        );
                    }
                }
                Ok(Out::Ok)
            }
            Op::StartExecution {
                activity,
                name,
                input,
                timeout,
                heartbeat,
            } => self.start_execution(
                *activity,
                name.as_ref(),
                input.as_ref(),
                *timeout,
                *heartbeat,
            ),
            Op::GetActivityTask { arn, worker } => {
                let mut c = Check::default();
                let text = arn.text();
                c.len("activityArn", &text, 1, 256);
                if let Some(w) = worker {
                    c.len("workerName", w.as_str(), 1, 80);
                }
                c.finish()?;
                let name = parse_activity_arn(&text)
                    .map_err(|()| Self::err("InvalidArn"))?
                    .filter(|n| self.activities.contains(n))
                    .ok_or_else(|| Self::err("ActivityDoesNotExist"))?;
                let worker = worker.as_ref().map(|w| w.0.clone());
                Ok(match self.take(Face::Sfn, &name, "", worker) {
                    None => Out::Empty,
                    Some(t) => Out::SfnTask {
                        input: self.tasks[t].input.clone(),
                    },
                })
            }
            Op::SendSuccess { token, output } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 2048);
                if output.as_str().len() > 262_144 {
                    c.v.push(("output".to_owned(), Constraint::MaxLength(262_144)));
                }
                c.finish()?;
                if !is_json(output.as_str()) {
                    return Err(Self::err("InvalidOutput"));
                }
                let t = self.resolve(Face::Sfn, *token).map_err(Self::sfn_token)?;
                let prev = self.tasks[t].started;
                self.close_task(
                    t,
                    Ev::SfnSucceeded {
                        output: Some(output.0.clone()),
                        prev,
                    },
                );
                Ok(Out::Ok)
            }
            Op::SendFailure {
                token,
                error,
                cause,
            } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 2048);
                c.opt_len("error", error.as_ref(), 256);
                c.opt_len("cause", cause.as_ref(), 32768);
                c.finish()?;
                let t = self.resolve(Face::Sfn, *token).map_err(Self::sfn_token)?;
                let prev = self.tasks[t].started;
                self.close_task(
                    t,
                    Ev::SfnFailed {
                        error: error.as_ref().map(|e| e.0.clone()),
                        cause: cause.as_ref().map(|e| e.0.clone()),
                        prev,
                    },
                );
                Ok(Out::Ok)
            }
            Op::SendHeartbeat { token } => {
                let mut c = Check::default();
                Self::token_check(&mut c, *token, 2048);
                c.finish()?;
                let t = self.resolve(Face::Sfn, *token).map_err(Self::sfn_token)?;
                let now = self.now;
                let task = &mut self.tasks[t];
                task.heartbeat_at = task.timeouts.heartbeat.map(|d| now + d);
                Ok(Out::Ok)
            }
            Op::Advance { ms } => {
                self.advance(ms * 1_000_000);
                Ok(Out::Ok)
            }
        }
    }

    fn sfn_token(e: TokenError) -> Out {
        Self::err(match e {
            TokenError::Malformed => "InvalidToken",
            TokenError::NoSuchTask => "TaskDoesNotExist",
            TokenError::Closed => "TaskTimedOut",
        })
    }

    fn writable_domain(&mut self, name: &str) -> Result<&mut Domain, Out> {
        let d = self
            .domains
            .get_mut(name)
            .ok_or_else(|| Self::err("UnknownResourceFault"))?;
        if d.deprecated {
            return Err(Self::err("DomainDeprecatedFault"));
        }
        Ok(d)
    }

    fn close_swf(&mut self, e: usize) {
        let exec = &mut self.swf_execs[e];
        exec.open = false;
        exec.open_tasks.clear();
        exec.decision_scheduled = None;
        if self
            .domains
            .get(&exec.domain)
            .is_some_and(|d| d.retention_zero)
        {
            exec.visible = false;
        }
        self.sweep(ExecRef::Swf(e));
    }

    /// Validates an activity ARN member: the activity name for an ARN of
    /// this broker, `None` for another account's.
    fn activity_arn(&self, arn: ArnPick) -> Result<Option<String>, Out> {
        let text = arn.text();
        let mut c = Check::default();
        c.len("activityArn", &text, 1, 256);
        c.finish()?;
        parse_activity_arn(&text).map_err(|()| Self::err("InvalidArn"))
    }

    fn decide(&mut self, exec: ExecPick, decisions: &[Dec]) -> Result<Out, Out> {
        let relaxed = self.cfg.relaxed_arn;
        let mut c = Check::default();
        if exec == ExecPick::EmptyRun {
            c.len("execution.runId", "", 1, 64);
        }
        struct Parsed {
            s2s: Option<Option<u64>>,
            s2c: Option<Option<u64>>,
            stc: Option<Option<u64>>,
            hb: Option<Option<u64>>,
            priority: Option<i32>,
        }
        let mut parsed = Vec::new();
        for (i, d) in decisions.iter().enumerate() {
            let n = i + 1;
            match d {
                Dec::Schedule {
                    type_name,
                    version,
                    activity_id,
                    list,
                    schedule_to_start,
                    schedule_to_close,
                    start_to_close,
                    heartbeat,
                    priority,
                    input,
                } => {
                    let p = |m: &str| {
                        format!("decisions.{n}.member.scheduleActivityTaskDecisionAttributes.{m}")
                    };
                    c.len(&p("activityType.name"), type_name.as_str(), 1, 256);
                    c.len(&p("activityType.version"), version.as_str(), 1, 64);
                    c.name(&p("activityId"), activity_id.as_str(), 256, false, relaxed);
                    c.opt_len(&p("input"), input.as_ref(), 32768);
                    // AWS-API.md's member order: scheduleToCloseTimeout comes before taskList.
                    let s2c = c.duration(&p("scheduleToCloseTimeout"), schedule_to_close.as_ref());
                    if let Some(l) = list {
                        c.name(&p("taskList.name"), l.as_str(), 256, true, relaxed);
                    }
                    let priority = c.priority(&p("taskPriority"), priority.as_ref());
                    let s2s = c.duration(&p("scheduleToStartTimeout"), schedule_to_start.as_ref());
                    let stc = c.duration(&p("startToCloseTimeout"), start_to_close.as_ref());
                    let hb = c.duration(&p("heartbeatTimeout"), heartbeat.as_ref());
                    parsed.push(Parsed {
                        s2s,
                        s2c,
                        stc,
                        hb,
                        priority,
                    });
                }
                Dec::Cancel { activity_id } => {
                    c.len(
                        &format!(
                            "decisions.{n}.member.requestCancelActivityTaskDecisionAttributes.activityId"
                        ),
                        activity_id.as_str(),
                        1,
                        256,
                    );
                    parsed.push(Parsed {
                        s2s: None,
                        s2c: None,
                        stc: None,
                        hb: None,
                        priority: None,
                    });
                }
            }
        }
        c.finish()?;
        let e = self
            .swf_exec(exec)
            .filter(|&e| self.swf_execs[e].visible)
            .ok_or_else(|| Self::err("UnknownResourceFault"))?;
        let domain = self.swf_execs[e].domain.clone();
        let dom = self
            .domains
            .get(&domain)
            .ok_or_else(|| Self::err("UnknownResourceFault"))?;

        /// A decision resolved against the domain's types.
        enum Resolved {
            Schedule {
                type_name: String,
                version: String,
                activity_id: String,
                list: String,
                priority: Option<i32>,
                timeouts: Timeouts,
                input: Option<String>,
            },
            Failed {
                type_name: String,
                version: String,
                activity_id: String,
                cause: &'static str,
            },
            Cancel(String),
        }
        let mut resolved = Vec::new();
        for (d, p) in decisions.iter().zip(parsed) {
            let r = match d {
                Dec::Cancel { activity_id } => Resolved::Cancel(activity_id.0.clone()),
                Dec::Schedule {
                    type_name,
                    version,
                    activity_id,
                    list,
                    input,
                    ..
                } => {
                    let fail = |cause| Resolved::Failed {
                        type_name: type_name.0.clone(),
                        version: version.0.clone(),
                        activity_id: activity_id.0.clone(),
                        cause,
                    };
                    let key = (type_name.0.clone(), version.0.clone());
                    let default =
                        |v: &Option<Text>| v.as_ref().and_then(|t| parse_duration(t.as_str()));
                    match dom.types.get(&key) {
                        None => fail("ACTIVITY_TYPE_DOES_NOT_EXIST"),
                        Some(t) if t.deprecated => fail("ACTIVITY_TYPE_DEPRECATED"),
                        Some(t) => {
                            let df = &t.defaults;
                            let list = list.as_ref().or(df.list.as_ref());
                            let s2c = p.s2c.or_else(|| default(&df.schedule_to_close));
                            let s2s = p.s2s.or_else(|| default(&df.schedule_to_start));
                            let stc = p.stc.or_else(|| default(&df.start_to_close));
                            let hb = p.hb.or_else(|| default(&df.heartbeat));
                            match (list, s2s, s2c, stc, hb) {
                                (None, ..) => fail("DEFAULT_TASK_LIST_UNDEFINED"),
                                (_, None, ..) => {
                                    fail("DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED")
                                }
                                (_, _, None, ..) => {
                                    fail("DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED")
                                }
                                (_, _, _, None, _) => {
                                    fail("DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED")
                                }
                                (_, _, _, _, None) => fail("DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED"),
                                (Some(l), Some(s2s), Some(s2c), Some(stc), Some(hb)) => {
                                    Resolved::Schedule {
                                        type_name: type_name.0.clone(),
                                        version: version.0.clone(),
                                        activity_id: activity_id.0.clone(),
                                        list: l.0.clone(),
                                        priority: p.priority.or_else(|| {
                                            df.priority.as_ref().and_then(|t| parse_i32(t.as_str()))
                                        }),
                                        timeouts: Timeouts {
                                            schedule_to_start: s2s,
                                            schedule_to_close: s2c,
                                            start_to_close: stc,
                                            heartbeat: hb,
                                        },
                                        input: input.as_ref().map(|i| i.0.clone()),
                                    }
                                }
                            }
                        }
                    }
                }
            };
            resolved.push(r);
        }
        if !self.swf_execs[e].open {
            return Err(Self::err("UnknownResourceFault"));
        }
        // The decision task: scheduled (if none is), started, completed.
        let x = ExecRef::Swf(e);
        let scheduled = match self.swf_execs[e].decision_scheduled.take() {
            Some(s) => s,
            None => self.push(x, Ev::DecisionScheduled),
        };
        let started = self.push(x, Ev::DecisionStarted { scheduled });
        let decision = self.push(x, Ev::DecisionCompleted { scheduled, started });
        let now = self.now;
        let mut failed = false;
        for r in resolved {
            match r {
                Resolved::Failed {
                    type_name,
                    version,
                    activity_id,
                    cause,
                } => {
                    failed = true;
                    // An open id is judged before the type's defaults (moto's
                    // order), after the type itself.
                    let cause = if cause.starts_with("DEFAULT_")
                        && self.swf_execs[e].open_tasks.contains_key(&activity_id)
                    {
                        "ACTIVITY_ID_ALREADY_IN_USE"
                    } else {
                        cause
                    };
                    self.push(
                        x,
                        Ev::ScheduleFailed {
                            activity_type: (type_name, version),
                            activity_id,
                            cause: cause.to_owned(),
                            decision,
                        },
                    );
                }
                Resolved::Schedule {
                    type_name,
                    version,
                    activity_id,
                    list,
                    priority,
                    timeouts,
                    input,
                } => {
                    let cause = if self.swf_execs[e].open_tasks.contains_key(&activity_id) {
                        Some("ACTIVITY_ID_ALREADY_IN_USE")
                    } else if self.swf_execs[e].open_tasks.len() >= self.cfg.max_open_activities {
                        Some("OPEN_ACTIVITIES_LIMIT_EXCEEDED")
                    } else if self.pending(Face::Swf, &domain, &list) >= self.cfg.queue_capacity {
                        // A full list fails the one decision, not the call
                        // (AWS-API.md A1).
                        Some("ACTIVITY_CREATION_RATE_EXCEEDED")
                    } else {
                        None
                    };
                    if let Some(cause) = cause {
                        failed = true;
                        self.push(
                            x,
                            Ev::ScheduleFailed {
                                activity_type: (type_name, version),
                                activity_id,
                                cause: cause.to_owned(),
                                decision,
                            },
                        );
                        continue;
                    }
                    let id = self.push(
                        x,
                        Ev::ActivityScheduled {
                            activity_type: (type_name.clone(), version.clone()),
                            activity_id: activity_id.clone(),
                            input: input.clone(),
                            list: list.clone(),
                            priority: priority.map(|p| p.to_string()),
                            timeouts: [
                                secs_text(timeouts.schedule_to_start),
                                secs_text(timeouts.schedule_to_close),
                                secs_text(timeouts.start_to_close),
                                secs_text(timeouts.heartbeat),
                            ],
                            decision,
                        },
                    );
                    self.seq += 1;
                    self.tasks.push(Task {
                        exec: x,
                        ns: domain.clone(),
                        list,
                        activity_id: activity_id.clone(),
                        type_name,
                        type_version: version,
                        input,
                        priority: priority.unwrap_or(0),
                        seq: self.seq,
                        scheduled: id,
                        started: 0,
                        schedule_to_start_at: timeouts.schedule_to_start.map(|d| now + d),
                        schedule_to_close_at: timeouts.schedule_to_close.map(|d| now + d),
                        start_to_close_at: None,
                        heartbeat_at: None,
                        timeouts,
                        cancel_requested: 0,
                        details: None,
                        queued: true,
                        closed: false,
                    });
                    self.swf_execs[e]
                        .open_tasks
                        .insert(activity_id, self.tasks.len() - 1);
                }
                Resolved::Cancel(activity_id) => {
                    let Some(&t) = self.swf_execs[e].open_tasks.get(&activity_id) else {
                        failed = true;
                        self.push(
                            x,
                            Ev::CancelFailed {
                                activity_id,
                                cause: "ACTIVITY_ID_UNKNOWN".to_owned(),
                                decision,
                            },
                        );
                        continue;
                    };
                    let requested = self.push(
                        x,
                        Ev::CancelRequested {
                            activity_id,
                            decision,
                        },
                    );
                    if self.tasks[t].queued {
                        let scheduled = self.tasks[t].scheduled;
                        self.close_task(
                            t,
                            Ev::ActivityCanceled {
                                details: None,
                                scheduled,
                                started: 0,
                                latest_cancel_requested: Some(requested),
                            },
                        );
                    } else {
                        self.tasks[t].cancel_requested = requested;
                    }
                }
            }
        }
        // AWS-API.md A1: the decider sees a failed decision's event in its
        // next decision task, scheduled after the response's events unless
        // one is scheduled already.
        let ex = &mut self.swf_execs[e];
        if failed && ex.open && ex.decision_scheduled.is_none() {
            let d = ex.history.push(Ev::DecisionScheduled);
            ex.decision_scheduled = Some(d);
        }
        Ok(Out::Decided(decision))
    }

    fn start_execution(
        &mut self,
        activity: ArnPick,
        name: Option<&Text>,
        input: Option<&Text>,
        timeout: Option<i64>,
        heartbeat: Option<i64>,
    ) -> Result<Out, Out> {
        let arn = activity.text();
        let mut c = Check::default();
        if let Some(n) = name {
            c.len("name", n.as_str(), 1, 80);
        }
        c.len("activityArn", &arn, 1, 256);
        let mut limit = MAX_TIMEOUT_SECONDS;
        if let Some(t) = timeout {
            c.range("timeoutSeconds", t, 1, MAX_TIMEOUT_SECONDS);
            if (1..=MAX_TIMEOUT_SECONDS).contains(&t) {
                limit = t;
            }
        }
        if let Some(h) = heartbeat {
            c.range("heartbeatSeconds", h, 1, limit - 1);
        }
        c.finish()?;
        let activity_name = parse_activity_arn(&arn).map_err(|()| Self::err("InvalidArn"))?;
        if let Some(n) = name {
            if !n.as_str().chars().all(is_sfn_name_char) {
                return Err(Self::err("InvalidName"));
            }
        }
        if let Some(i) = input {
            if !is_json(i.as_str()) {
                return Err(Self::err("InvalidExecutionInput"));
            }
        }
        let exec_input = input.map_or_else(|| "{}".to_owned(), |i| i.0.clone());
        if let Some(n) = name {
            if let Some(i) = self.sfn_execs.iter().position(|e| e.name == n.0) {
                let e = &self.sfn_execs[i];
                let same = e.open
                    && e.input == exec_input
                    && e.activity_arn == arn
                    && e.timeout == timeout
                    && e.heartbeat == heartbeat;
                return if same {
                    Ok(Out::SfnStarted(i))
                } else {
                    Err(Self::err("ExecutionAlreadyExists"))
                };
            }
        }
        let live = activity_name.filter(|n| self.activities.contains(n));
        if let Some(n) = &live {
            if self.pending(Face::Sfn, n, "") >= self.cfg.queue_capacity {
                return Err(Self::err("ExecutionLimitExceeded"));
            }
        }
        let index = self.sfn_execs.len();
        let mut history = History::default();
        history.push(Ev::ExecutionStarted {
            input: Some(exec_input.clone()),
        });
        self.sfn_execs.push(SfnExec {
            // Unnamed executions get a random name no pooled name equals.
            name: name.map_or_else(|| format!("#{index}"), |n| n.0.clone()),
            activity_arn: arn.clone(),
            input: exec_input.clone(),
            timeout,
            heartbeat,
            open: true,
            status: "RUNNING",
            history,
        });
        let x = ExecRef::Sfn(index);
        match live {
            None => {
                let error = Some("ActivityDoesNotExist".to_owned());
                let cause = Some(format!("activity does not exist: {arn}"));
                let id = self.push(
                    x,
                    Ev::SfnScheduleFailed {
                        error: error.clone(),
                        cause: cause.clone(),
                        prev: 1,
                    },
                );
                self.push(
                    x,
                    Ev::ExecutionFailed {
                        error,
                        cause,
                        prev: id,
                    },
                );
                let e = &mut self.sfn_execs[index];
                e.open = false;
                e.status = "FAILED";
            }
            Some(n) => {
                let secs = timeout.unwrap_or(MAX_TIMEOUT_SECONDS);
                let id = self.push(
                    x,
                    Ev::SfnScheduled {
                        resource: arn.clone(),
                        input: Some(exec_input.clone()),
                        timeout: Some(secs),
                        heartbeat,
                        prev: 1,
                    },
                );
                let now = self.now;
                let timeouts = Timeouts {
                    schedule_to_start: None,
                    schedule_to_close: Some(secs as u64 * NANOS),
                    start_to_close: None,
                    heartbeat: heartbeat.map(|h| h as u64 * NANOS),
                };
                self.seq += 1;
                self.tasks.push(Task {
                    exec: x,
                    ns: n.clone(),
                    list: String::new(),
                    activity_id: n,
                    type_name: arn,
                    type_version: String::new(),
                    input: Some(exec_input),
                    priority: 0,
                    seq: self.seq,
                    scheduled: id,
                    started: 0,
                    schedule_to_start_at: None,
                    schedule_to_close_at: timeouts.schedule_to_close.map(|d| now + d),
                    start_to_close_at: None,
                    heartbeat_at: None,
                    timeouts,
                    cancel_requested: 0,
                    details: None,
                    queued: true,
                    closed: false,
                });
            }
        }
        Ok(Out::SfnStarted(index))
    }
}

// ----- the harness -----------------------------------------------------------

/// A broker and the model, driven in lock step.
pub struct Harness {
    pub model: Model,
    clock: ManualClock,
    broker: Broker,
    swf: swf::Client,
    sfn: sfn::Client,
    /// Token strings, by handle, and whether Step Functions issued them.
    tokens: Vec<(String, bool)>,
    /// SWF executions by index: (domain, workflow id, run id).
    runs: Vec<(String, String, String)>,
    /// SFN execution ARNs by index.
    arns: Vec<String>,
    /// Steps taken, for messages.
    step: usize,
    /// How often each (operation, outcome) and each recorded event type
    /// occurred: evidence that the generators reach the interesting states.
    pub stats: BTreeMap<String, u64>,
}

impl fmt::Debug for Harness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Harness").field("step", &self.step).finish()
    }
}

fn swf_fault(e: &swf::Error) -> Fault {
    Fault {
        code: e.code().to_owned(),
        violations: match e {
            swf::Error::Validation(v) => v
                .violations()
                .iter()
                .map(|v| (v.member().to_owned(), v.constraint().clone()))
                .collect(),
            _ => Vec::new(),
        },
    }
}

fn sfn_fault(e: &sfn::Error) -> Fault {
    Fault {
        code: e.code().to_owned(),
        violations: match e {
            sfn::Error::Validation(v) => v
                .violations()
                .iter()
                .map(|v| (v.member().to_owned(), v.constraint().clone()))
                .collect(),
            _ => Vec::new(),
        },
    }
}

fn ok<T>(r: Result<T, swf::Error>) -> Out {
    match r {
        Ok(_) => Out::Ok,
        Err(e) => Out::Err(swf_fault(&e)),
    }
}

fn sfn_ok<T>(r: Result<T, sfn::Error>) -> Out {
    match r {
        Ok(_) => Out::Ok,
        Err(e) => Out::Err(sfn_fault(&e)),
    }
}

fn id(e: EventId) -> u64 {
    e.get()
}

fn opt(v: &Option<Text>) -> Option<String> {
    v.as_ref().map(|t| t.0.clone())
}

/// A task token of `face_tag`'s layout naming a slot no shard has: well
/// formed, and no task (DESIGN.md, "Task tokens").
pub fn unknown_token(face_tag: u8) -> String {
    let mut raw = [0u8; 27];
    raw[0] = face_tag;
    raw[3..7].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    raw[11..27].copy_from_slice(&[0xab; 16]);
    b64(&raw)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64(raw: &[u8]) -> String {
    let mut out = String::new();
    for c in raw.chunks(3) {
        let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(B64[(n >> shift) as usize & 63]));
        }
    }
    out
}

/// `token` with its face tag (the first byte) set to `face_tag`: the first
/// two characters encode it and the high bits of the shard's low byte.
pub fn retag(token: &str, face_tag: u8) -> String {
    let sextet = |c: u8| B64.iter().position(|&x| x == c).unwrap_or(0) as u8;
    let b = token.as_bytes();
    let (Some(&c0), Some(&c1)) = (b.first(), b.get(1)) else {
        return token.to_owned();
    };
    let second = (sextet(c1) & 0x0f) | ((face_tag & 0x03) << 4);
    let mut out = String::new();
    out.push(char::from(B64[usize::from(face_tag >> 2)]));
    out.push(char::from(B64[usize::from(second)]));
    let _ = c0;
    out.push_str(token.get(2..).unwrap_or_default());
    out
}

/// `token` with its last character (the nonce's low bits) changed.
pub fn forge(token: &str) -> String {
    let mut s: Vec<char> = token.chars().collect();
    if let Some(last) = s.last_mut() {
        *last = if *last == 'A' { 'B' } else { 'A' };
    }
    s.into_iter().collect()
}

impl Harness {
    /// A broker with `cfg` on a manual clock, and the model, both after
    /// [`setup`].
    pub fn new(cfg: Config) -> Result<Harness, String> {
        let clock = ManualClock::new();
        let broker = Broker::builder()
            .clock(clock.clone())
            .seed(cfg.seed)
            .shards(cfg.shards)
            .queue_capacity(cfg.queue_capacity)
            .max_open_activities(cfg.max_open_activities)
            .relaxed_arn_rule(cfg.relaxed_arn)
            .build()
            .map_err(|e| e.to_string())?;
        let mut h = Harness {
            model: Model::new(cfg),
            swf: broker.swf(),
            sfn: broker.sfn(),
            clock,
            broker,
            tokens: Vec::new(),
            runs: Vec::new(),
            arns: Vec::new(),
            step: 0,
            stats: BTreeMap::new(),
        };
        for op in setup() {
            h.step(&op).map_err(|e| format!("setup: {e}"))?;
        }
        Ok(h)
    }

    /// Runs `ops` after the setup; the first disagreement, if any.
    pub fn run(cfg: Config, ops: &[Op]) -> Result<(), String> {
        Harness::run_counted(cfg, ops, &mut BTreeMap::new())
    }

    /// [`Harness::run`], adding its statistics to `stats`.
    pub fn run_counted(
        cfg: Config,
        ops: &[Op],
        stats: &mut BTreeMap<String, u64>,
    ) -> Result<(), String> {
        let mut h = Harness::new(cfg)?;
        h.stats.clear();
        let r = ops.iter().try_for_each(|op| h.step(op));
        for (k, v) in std::mem::take(&mut h.stats) {
            *stats.entry(k).or_default() += v;
        }
        for e in h
            .model
            .swf_execs
            .iter()
            .map(|e| &e.history)
            .chain(h.model.sfn_execs.iter().map(|e| &e.history))
        {
            for ev in &e.events {
                let name = format!("{ev:?}");
                let name = name.split([' ', '(']).next().unwrap_or_default();
                let detail = match ev {
                    Ev::ScheduleFailed { cause, .. } | Ev::CancelFailed { cause, .. } => {
                        cause.clone()
                    }
                    Ev::ActivityTimedOut { timeout_type, .. } => timeout_type.clone(),
                    Ev::SfnTimedOut { error, .. } | Ev::SfnFailed { error, .. } => {
                        error.clone().unwrap_or_default()
                    }
                    _ => String::new(),
                };
                *stats.entry(format!("event {name} {detail}")).or_default() += 1;
            }
            if !e.free_order.is_empty() {
                *stats
                    .entry("same-tick timeouts in one execution".into())
                    .or_default() += 1;
            }
        }
        r
    }

    /// The i-th most recent token issued by Step Functions (`sfn`) or SWF.
    fn issued(&self, sfn: bool, i: usize) -> Option<&str> {
        let of_face: Vec<&str> = self
            .tokens
            .iter()
            .filter(|(_, s)| *s == sfn)
            .map(|(t, _)| t.as_str())
            .collect();
        pick_index(i, of_face.len()).map(|k| of_face[k])
    }

    fn token(&self, pick: TokenPick, face_tag: u8) -> String {
        let sfn = face_tag == 0x12;
        match pick {
            TokenPick::Issued(i) => self.issued(sfn, i).unwrap_or("garbage").to_owned(),
            TokenPick::Forged(i) => self
                .issued(sfn, i)
                .map_or_else(|| "garbage".to_owned(), forge),
            TokenPick::OtherFace(i) => self.issued(!sfn, i).unwrap_or("garbage").to_owned(),
            TokenPick::Retagged(i) => self
                .issued(!sfn, i)
                .map_or_else(|| "garbage".to_owned(), |t| retag(t, face_tag)),
            TokenPick::Unknown => unknown_token(face_tag),
            TokenPick::Garbage => "garbage".to_owned(),
            TokenPick::Empty => String::new(),
            TokenPick::TooLong => "t".repeat(2049),
        }
    }

    fn exec(&self, pick: ExecPick) -> (String, String, String) {
        match pick {
            ExecPick::Exec(i) => match pick_index(i, self.runs.len()) {
                Some(e) => self.runs[e].clone(),
                None => ("d0".into(), "w0".into(), "unknownrun".into()),
            },
            ExecPick::Unknown => ("d0".into(), "w0".into(), "unknownrun".into()),
            ExecPick::EmptyRun => ("d0".into(), "w0".into(), String::new()),
        }
    }

    /// Applies `op` to the engine and the model and compares everything.
    pub fn step(&mut self, op: &Op) -> Result<(), String> {
        self.step += 1;
        let want = self.model.apply(op);
        let got = self.engine(op, &want);
        let kind = format!("{op:?}");
        let kind = kind.split([' ', '{']).next().unwrap_or_default();
        let out = match &want {
            Out::Err(f) => f.code.clone(),
            other => format!("{other:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_owned(),
        };
        *self.stats.entry(format!("op {kind} -> {out}")).or_default() += 1;
        if got != want {
            return Err(format!(
                "step {} {op:?}:\n  engine: {got:?}\n  model:  {want:?}",
                self.step
            ));
        }
        self.compare()
            .map_err(|e| format!("step {} {op:?}: {e}", self.step))
    }

    /// Runs `op` on the engine; `want` tells it which handle a new token or
    /// execution gets.
    fn engine(&mut self, op: &Op, want: &Out) -> Out {
        use swf::*;
        let fault = |e: swf::Error| Out::Err(swf_fault(&e));
        let activity_type = |domain: &Text, name: &Text, version: &Text| ActivityTypeInput {
            domain: domain.0.clone(),
            activity_type: ActivityType::new(name.0.clone(), version.0.clone()),
        };
        match op {
            Op::RegisterDomain { name, retention } => {
                ok(self.swf.register_domain(RegisterDomainInput {
                    name: name.0.clone(),
                    workflow_execution_retention_period_in_days: retention.0.clone(),
                    ..Default::default()
                }))
            }
            Op::DeprecateDomain { name } => ok(self.swf.deprecate_domain(DeprecateDomainInput {
                name: name.0.clone(),
            })),
            Op::UndeprecateDomain { name } => {
                ok(self.swf.undeprecate_domain(UndeprecateDomainInput {
                    name: name.0.clone(),
                }))
            }
            Op::RegisterActivityType {
                domain,
                name,
                version,
                defaults: d,
            } => ok(self.swf.register_activity_type(RegisterActivityTypeInput {
                domain: domain.0.clone(),
                name: name.0.clone(),
                version: version.0.clone(),
                default_task_start_to_close_timeout: opt(&d.start_to_close),
                default_task_heartbeat_timeout: opt(&d.heartbeat),
                default_task_list: d.list.as_ref().map(|l| TaskList::new(l.0.clone())),
                default_task_priority: opt(&d.priority),
                default_task_schedule_to_start_timeout: opt(&d.schedule_to_start),
                default_task_schedule_to_close_timeout: opt(&d.schedule_to_close),
                ..Default::default()
            })),
            Op::DeprecateActivityType {
                domain,
                name,
                version,
            } => ok(self
                .swf
                .deprecate_activity_type(activity_type(domain, name, version))),
            Op::UndeprecateActivityType {
                domain,
                name,
                version,
            } => ok(self
                .swf
                .undeprecate_activity_type(activity_type(domain, name, version))),
            Op::DeleteActivityType {
                domain,
                name,
                version,
            } => ok(self
                .swf
                .delete_activity_type(activity_type(domain, name, version))),
            Op::RegisterWorkflowType {
                domain,
                with_defaults,
            } => {
                let mut input = RegisterWorkflowTypeInput {
                    domain: domain.0.clone(),
                    name: WORKFLOW.into(),
                    version: WORKFLOW_VERSION.into(),
                    ..Default::default()
                };
                if *with_defaults {
                    input.default_task_list = Some(TaskList::new("deciders"));
                    input.default_execution_start_to_close_timeout = Some("31536000".into());
                    input.default_task_start_to_close_timeout = Some("60".into());
                    input.default_child_policy = Some(ChildPolicy::Terminate);
                }
                ok(self.swf.register_workflow_type(input))
            }
            Op::DeprecateWorkflowType { domain } => {
                ok(self.swf.deprecate_workflow_type(WorkflowTypeInput {
                    domain: domain.0.clone(),
                    workflow_type: WorkflowType::new(WORKFLOW, WORKFLOW_VERSION),
                }))
            }
            Op::StartWorkflow {
                domain,
                workflow_id,
            } => match self
                .swf
                .start_workflow_execution(StartWorkflowExecutionInput {
                    domain: domain.0.clone(),
                    workflow_id: workflow_id.0.clone(),
                    workflow_type: WorkflowType::new(WORKFLOW, WORKFLOW_VERSION),
                    ..Default::default()
                }) {
                Ok(run) => {
                    self.runs
                        .push((domain.0.clone(), workflow_id.0.clone(), run.run_id));
                    Out::SwfStarted(self.runs.len() - 1)
                }
                Err(e) => fault(e),
            },
            Op::Terminate {
                exec,
                by_run_id,
                reason,
            } => {
                let (domain, workflow_id, run) = self.exec(*exec);
                ok(self
                    .swf
                    .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                        domain,
                        workflow_id,
                        run_id: by_run_id.then_some(run),
                        reason: opt(reason),
                        ..Default::default()
                    }))
            }
            Op::Decide { exec, decisions } => {
                let (domain, workflow_id, run) = self.exec(*exec);
                let decisions = decisions
                    .iter()
                    .map(|d| match d {
                        Dec::Schedule {
                            type_name,
                            version,
                            activity_id,
                            list,
                            schedule_to_start,
                            schedule_to_close,
                            start_to_close,
                            heartbeat,
                            priority,
                            input,
                        } => {
                            Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
                                activity_type: ActivityType::new(
                                    type_name.0.clone(),
                                    version.0.clone(),
                                ),
                                activity_id: activity_id.0.clone(),
                                input: opt(input),
                                task_list: list.as_ref().map(|l| TaskList::new(l.0.clone())),
                                schedule_to_start_timeout: opt(schedule_to_start),
                                schedule_to_close_timeout: opt(schedule_to_close),
                                start_to_close_timeout: opt(start_to_close),
                                heartbeat_timeout: opt(heartbeat),
                                task_priority: opt(priority),
                                ..Default::default()
                            })
                        }
                        Dec::Cancel { activity_id } => Decision::RequestCancelActivityTask(
                            RequestCancelActivityTaskDecisionAttributes {
                                activity_id: activity_id.0.clone(),
                            },
                        ),
                    })
                    .collect();
                match self
                    .swf
                    .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                        domain,
                        execution: WorkflowExecution::new(workflow_id, run),
                        decisions,
                        ..Default::default()
                    }) {
                    Ok(o) => Out::Decided(id(o.decision_task_completed_event_id)),
                    Err(e) => fault(e),
                }
            }
            Op::Poll {
                domain,
                list,
                identity,
            } => match self.swf.poll_for_activity_task_timeout(
                PollForActivityTaskInput {
                    domain: domain.0.clone(),
                    task_list: TaskList::new(list.0.clone()),
                    identity: opt(identity),
                },
                Duration::ZERO,
            ) {
                Ok(t) if t.is_empty() => {
                    if t.started_event_id != EventId::NONE || !t.activity_id.is_empty() {
                        return Out::Err(Fault::code("engine: empty task with members set"));
                    }
                    Out::Empty
                }
                Ok(t) => {
                    self.tokens.push((t.task_token.clone(), false));
                    let exec = self
                        .runs
                        .iter()
                        .position(|(_, w, r)| {
                            *w == t.workflow_execution.workflow_id
                                && *r == t.workflow_execution.run_id
                        })
                        .unwrap_or(usize::MAX);
                    Out::SwfTask {
                        activity_id: t.activity_id,
                        activity_type: (t.activity_type.name, t.activity_type.version),
                        input: t.input,
                        started_event_id: id(t.started_event_id),
                        exec,
                    }
                }
                Err(e) => fault(e),
            },
            Op::Heartbeat { token, details } => {
                let task_token = self.token(*token, 0x11);
                match self
                    .swf
                    .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                        task_token,
                        details: opt(details),
                    }) {
                    Ok(o) => Out::Heartbeat {
                        cancel_requested: o.cancel_requested,
                    },
                    Err(e) => fault(e),
                }
            }
            Op::Complete { token, result } => {
                let task_token = self.token(*token, 0x11);
                ok(self
                    .swf
                    .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                        task_token,
                        result: opt(result),
                    }))
            }
            Op::Fail {
                token,
                reason,
                details,
            } => {
                let task_token = self.token(*token, 0x11);
                ok(self
                    .swf
                    .respond_activity_task_failed(RespondActivityTaskFailedInput {
                        task_token,
                        reason: opt(reason),
                        details: opt(details),
                    }))
            }
            Op::Cancel { token, details } => {
                let task_token = self.token(*token, 0x11);
                ok(self
                    .swf
                    .respond_activity_task_canceled(RespondActivityTaskCanceledInput {
                        task_token,
                        details: opt(details),
                    }))
            }
            Op::CountPending { domain, list } => {
                match self
                    .swf
                    .count_pending_activity_tasks(CountPendingActivityTasksInput {
                        domain: domain.0.clone(),
                        task_list: TaskList::new(list.0.clone()),
                    }) {
                    Ok(o) if o.truncated => Out::Err(Fault::code("engine: truncated count")),
                    Ok(o) => Out::Count(o.count),
                    Err(e) => fault(e),
                }
            }
            Op::CreateActivity { name } => {
                match self.sfn.create_activity(sfn::CreateActivityInput {
                    name: name.0.clone(),
                    ..Default::default()
                }) {
                    Ok(o) => Out::Created(o.activity_arn),
                    Err(e) => Out::Err(sfn_fault(&e)),
                }
            }
            Op::DeleteActivity { arn } => {
                sfn_ok(self.sfn.delete_activity(sfn::DeleteActivityInput {
                    activity_arn: arn.text(),
                }))
            }
            Op::StartExecution {
                activity,
                name,
                input,
                timeout,
                heartbeat,
            } => match self.sfn.start_execution(sfn::StartExecutionInput {
                state_machine_arn: self.sfn.state_machine_arn(MACHINE),
                name: opt(name),
                input: opt(input),
                activity_arn: activity.text(),
                timeout_seconds: *timeout,
                heartbeat_seconds: *heartbeat,
            }) {
                Ok(o) => match self.arns.iter().position(|a| *a == o.execution_arn) {
                    Some(i) => Out::SfnStarted(i),
                    None => {
                        self.arns.push(o.execution_arn);
                        Out::SfnStarted(self.arns.len() - 1)
                    }
                },
                Err(e) => Out::Err(sfn_fault(&e)),
            },
            Op::GetActivityTask { arn, worker } => match self.sfn.get_activity_task_timeout(
                sfn::GetActivityTaskInput {
                    activity_arn: arn.text(),
                    worker_name: opt(worker),
                },
                Duration::ZERO,
            ) {
                Ok(o) => match o.task_token {
                    None if o.input.is_some() => {
                        Out::Err(Fault::code("engine: input without token"))
                    }
                    None => Out::Empty,
                    Some(t) => {
                        self.tokens.push((t, true));
                        Out::SfnTask { input: o.input }
                    }
                },
                Err(e) => Out::Err(sfn_fault(&e)),
            },
            Op::SendSuccess { token, output } => {
                let task_token = self.token(*token, 0x12);
                sfn_ok(self.sfn.send_task_success(sfn::SendTaskSuccessInput {
                    task_token,
                    output: output.0.clone(),
                }))
            }
            Op::SendFailure {
                token,
                error,
                cause,
            } => {
                let task_token = self.token(*token, 0x12);
                sfn_ok(self.sfn.send_task_failure(sfn::SendTaskFailureInput {
                    task_token,
                    error: opt(error),
                    cause: opt(cause),
                }))
            }
            Op::SendHeartbeat { token } => {
                let task_token = self.token(*token, 0x12);
                sfn_ok(
                    self.sfn
                        .send_task_heartbeat(sfn::SendTaskHeartbeatInput { task_token }),
                )
            }
            Op::Advance { ms } => {
                self.clock.advance(Duration::from_millis(*ms));
                let _ = want;
                Out::Ok
            }
        }
    }

    // ----- comparison -------------------------------------------------------

    /// Compares every observable the model keeps.
    fn compare(&self) -> Result<(), String> {
        let m = &self.model;
        if self.tokens.len() != m.tokens.len() {
            return Err(format!(
                "tokens issued: engine {}, model {}",
                self.tokens.len(),
                m.tokens.len()
            ));
        }
        // Registries.
        for status in [
            swf::RegistrationStatus::Registered,
            swf::RegistrationStatus::Deprecated,
        ] {
            let got: Vec<String> = self
                .swf
                .list_domains(swf::ListDomainsInput {
                    registration_status: status,
                    ..Default::default()
                })
                .map_err(|e| format!("list_domains: {e}"))?
                .domain_infos
                .into_iter()
                .map(|d| d.name)
                .collect();
            let deprecated = status == swf::RegistrationStatus::Deprecated;
            let want: Vec<String> = m
                .domains
                .iter()
                .filter(|(_, d)| d.deprecated == deprecated)
                .map(|(n, _)| n.clone())
                .collect();
            if got != want {
                return Err(format!(
                    "{status:?} domains: engine {got:?}, model {want:?}"
                ));
            }
            for (name, d) in &m.domains {
                let got: Vec<(String, String)> = self
                    .swf
                    .list_activity_types(swf::ListActivityTypesInput {
                        domain: name.clone(),
                        registration_status: status,
                        ..Default::default()
                    })
                    .map_err(|e| format!("list_activity_types: {e}"))?
                    .type_infos
                    .into_iter()
                    .map(|t| (t.activity_type.name, t.activity_type.version))
                    .collect();
                let want: Vec<(String, String)> = d
                    .types
                    .iter()
                    .filter(|(_, t)| t.deprecated == deprecated)
                    .map(|(k, _)| k.clone())
                    .collect();
                if got != want {
                    return Err(format!(
                        "{status:?} activity types of {name}: engine {got:?}, model {want:?}"
                    ));
                }
            }
        }
        for (name, d) in &m.domains {
            let got = self
                .swf
                .describe_workflow_type(swf::WorkflowTypeInput {
                    domain: name.clone(),
                    workflow_type: swf::WorkflowType::new(WORKFLOW, WORKFLOW_VERSION),
                })
                .map(|o| o.type_info.status == swf::RegistrationStatus::Deprecated)
                .ok();
            let want = d.workflow.map(|(dep, _)| dep);
            if got != want {
                return Err(format!(
                    "workflow type of {name} deprecated: engine {got:?}, model {want:?}"
                ));
            }
        }
        let got: Vec<String> = self
            .sfn
            .list_activities(sfn::ListActivitiesInput {
                max_results: Some(1000),
                next_token: None,
            })
            .map_err(|e| format!("list_activities: {e}"))?
            .activities
            .into_iter()
            .map(|a| a.name)
            .collect();
        let want: Vec<String> = m.activities.iter().cloned().collect();
        if got != want {
            return Err(format!("activities: engine {got:?}, model {want:?}"));
        }
        // Pending counts.
        for domain in DOMAINS {
            for list in LISTS {
                let got = self
                    .swf
                    .count_pending_activity_tasks(swf::CountPendingActivityTasksInput {
                        domain: domain.into(),
                        task_list: swf::TaskList::new(list),
                    })
                    .map(|o| o.count as usize)
                    .map_err(|e| e.code());
                let want = if m.domains.contains_key(domain) {
                    Ok(m.pending(Face::Swf, domain, list))
                } else {
                    Err("UnknownResourceFault")
                };
                if got != want {
                    return Err(format!(
                        "pending on {domain}/{list}: engine {got:?}, model {want:?}"
                    ));
                }
            }
        }
        for (i, name) in SFN_ACTIVITIES.iter().enumerate() {
            let got = self.sfn.pending_tasks(&ArnPick::Activity(i).text());
            let want = if m.activities.contains(*name) {
                m.pending(Face::Sfn, name, "")
            } else {
                0
            };
            if got != want {
                return Err(format!("pending on {name}: engine {got}, model {want}"));
            }
        }
        // Executions.
        for (i, e) in m.swf_execs.iter().enumerate() {
            let (domain, wid, run) = &self.runs[i];
            let execution = swf::WorkflowExecution::new(wid.clone(), run.clone());
            let history =
                self.swf
                    .get_workflow_execution_history(swf::GetWorkflowExecutionHistoryInput {
                        domain: domain.clone(),
                        execution: execution.clone(),
                        ..Default::default()
                    });
            let history = match (history, e.visible) {
                (Err(err), false) if err.code() == "UnknownResourceFault" => continue,
                (Ok(h), true) => h.events,
                (other, visible) => {
                    return Err(format!(
                        "SWF execution {i} ({wid}): engine {:?}, model visible={visible}",
                        other.map(|h| h.events.len())
                    ));
                }
            };
            let got: Vec<Ev> = history
                .iter()
                .enumerate()
                .map(|(k, ev)| {
                    if id(ev.event_id) == k as u64 + 1 {
                        swf_ev(ev)
                    } else {
                        Ev::Other(format!("event id {} at position {}", ev.event_id, k + 1))
                    }
                })
                .collect();
            same_history(&format!("SWF execution {i} ({wid})"), got, &e.history)?;
            let d = self
                .swf
                .describe_workflow_execution(swf::DescribeWorkflowExecutionInput {
                    domain: domain.clone(),
                    execution,
                })
                .map_err(|err| format!("describe SWF execution {i}: {err}"))?;
            let got = (
                d.execution_info.execution_status == swf::ExecutionStatus::Open,
                d.open_counts.open_activity_tasks,
                d.open_counts.open_decision_tasks,
            );
            let want = (
                e.open,
                e.open_tasks.len() as i32,
                i32::from(e.open && e.decision_scheduled.is_some()),
            );
            if got != want {
                return Err(format!(
                    "SWF execution {i} (open, open activities, open decisions): engine {got:?}, model {want:?}"
                ));
            }
        }
        for (i, e) in m.sfn_execs.iter().enumerate() {
            let arn = &self.arns[i];
            let h = self
                .sfn
                .get_execution_history(sfn::GetExecutionHistoryInput {
                    execution_arn: arn.clone(),
                    max_results: Some(1000),
                    ..Default::default()
                })
                .map_err(|err| format!("SFN history {i}: {err}"))?;
            let got: Vec<Ev> = h
                .events
                .iter()
                .enumerate()
                .map(|(k, ev)| {
                    if id(ev.id) == k as u64 + 1 {
                        sfn_ev(ev)
                    } else {
                        Ev::Other(format!("event id {} at position {}", ev.id, k + 1))
                    }
                })
                .collect();
            same_history(&format!("SFN execution {i} ({})", e.name), got, &e.history)?;
            let d = self
                .sfn
                .describe_execution(sfn::DescribeExecutionInput {
                    execution_arn: arn.clone(),
                })
                .map_err(|err| format!("describe SFN execution {i}: {err}"))?;
            if d.status.as_str() != e.status {
                return Err(format!(
                    "SFN execution {i} status: engine {}, model {}",
                    d.status.as_str(),
                    e.status
                ));
            }
        }
        let _ = &self.broker;
        Ok(())
    }
}

fn pick_index(i: usize, len: usize) -> Option<usize> {
    pick(i, len)
}

/// Compares a history with the model's, the order inside each free-order
/// range aside.
fn same_history(what: &str, mut got: Vec<Ev>, want: &History) -> Result<(), String> {
    let mut want_events = want.events.clone();
    for &(a, b) in &want.free_order {
        canonical(&mut got, a, b);
        canonical(&mut want_events, a, b);
    }
    if got == want_events {
        return Ok(());
    }
    let at = got
        .iter()
        .zip(&want_events)
        .position(|(g, w)| g != w)
        .unwrap_or(got.len().min(want_events.len()));
    Err(format!(
        "{what}: histories differ at event {} (engine {} events, model {}):\n  engine: {:?}\n  model:  {:?}",
        at + 1,
        got.len(),
        want_events.len(),
        got.get(at),
        want_events.get(at),
    ))
}

/// Sorts the timeout events inside `a..b` by their scheduled event, leaving
/// every other event where it is.
fn canonical(events: &mut [Ev], a: usize, b: usize) {
    let Some(range) = events.get_mut(a..b.min(events.len())) else {
        return;
    };
    let slots: Vec<usize> = (0..range.len())
        .filter(|&k| matches!(range[k], Ev::ActivityTimedOut { .. }))
        .collect();
    let mut picked: Vec<Ev> = slots.iter().map(|&k| range[k].clone()).collect();
    picked.sort_by_key(|e| match e {
        Ev::ActivityTimedOut { scheduled, .. } => *scheduled,
        _ => 0,
    });
    for (k, e) in slots.into_iter().zip(picked) {
        range[k] = e;
    }
}

fn swf_ev(e: &swf::HistoryEvent) -> Ev {
    use swf::EventAttributes as A;
    match &e.attributes {
        A::WorkflowExecutionStarted(a) => Ev::WorkflowStarted {
            workflow_type: a.workflow_type.name.clone(),
        },
        A::DecisionTaskScheduled { .. } => Ev::DecisionScheduled,
        A::DecisionTaskStarted {
            scheduled_event_id, ..
        } => Ev::DecisionStarted {
            scheduled: id(*scheduled_event_id),
        },
        A::DecisionTaskCompleted {
            scheduled_event_id,
            started_event_id,
            ..
        } => Ev::DecisionCompleted {
            scheduled: id(*scheduled_event_id),
            started: id(*started_event_id),
        },
        A::ActivityTaskScheduled(a) => Ev::ActivityScheduled {
            activity_type: (
                a.activity_type.name.clone(),
                a.activity_type.version.clone(),
            ),
            activity_id: a.activity_id.clone(),
            input: a.input.clone(),
            list: a.task_list.name.clone(),
            priority: a.task_priority.clone(),
            timeouts: [
                a.schedule_to_start_timeout.clone().unwrap_or_default(),
                a.schedule_to_close_timeout.clone().unwrap_or_default(),
                a.start_to_close_timeout.clone().unwrap_or_default(),
                a.heartbeat_timeout.clone().unwrap_or_default(),
            ],
            decision: id(a.decision_task_completed_event_id),
        },
        A::ScheduleActivityTaskFailed {
            activity_type,
            activity_id,
            cause,
            decision_task_completed_event_id,
        } => Ev::ScheduleFailed {
            activity_type: (activity_type.name.clone(), activity_type.version.clone()),
            activity_id: activity_id.clone(),
            cause: (*cause).to_owned(),
            decision: id(*decision_task_completed_event_id),
        },
        A::ActivityTaskStarted {
            identity,
            scheduled_event_id,
        } => Ev::ActivityStarted {
            identity: identity.clone(),
            scheduled: id(*scheduled_event_id),
        },
        A::ActivityTaskCompleted {
            result,
            scheduled_event_id,
            started_event_id,
        } => Ev::ActivityCompleted {
            result: result.clone(),
            scheduled: id(*scheduled_event_id),
            started: id(*started_event_id),
        },
        A::ActivityTaskFailed {
            reason,
            details,
            scheduled_event_id,
            started_event_id,
        } => Ev::ActivityFailed {
            reason: reason.clone(),
            details: details.clone(),
            scheduled: id(*scheduled_event_id),
            started: id(*started_event_id),
        },
        A::ActivityTaskTimedOut {
            timeout_type,
            scheduled_event_id,
            started_event_id,
            details,
        } => Ev::ActivityTimedOut {
            timeout_type: (*timeout_type).to_owned(),
            scheduled: id(*scheduled_event_id),
            started: id(*started_event_id),
            details: details.clone(),
        },
        A::ActivityTaskCanceled {
            details,
            scheduled_event_id,
            started_event_id,
            latest_cancel_requested_event_id,
        } => Ev::ActivityCanceled {
            details: details.clone(),
            scheduled: id(*scheduled_event_id),
            started: id(*started_event_id),
            latest_cancel_requested: latest_cancel_requested_event_id.map(id),
        },
        A::ActivityTaskCancelRequested {
            decision_task_completed_event_id,
            activity_id,
        } => Ev::CancelRequested {
            activity_id: activity_id.clone(),
            decision: id(*decision_task_completed_event_id),
        },
        A::RequestCancelActivityTaskFailed {
            activity_id,
            cause,
            decision_task_completed_event_id,
        } => Ev::CancelFailed {
            activity_id: activity_id.clone(),
            cause: (*cause).to_owned(),
            decision: id(*decision_task_completed_event_id),
        },
        A::WorkflowExecutionTerminated {
            reason,
            details,
            cause: None,
            ..
        } => Ev::WorkflowTerminated {
            reason: reason.clone(),
            details: details.clone(),
        },
        other => Ev::Other(format!("{other:?}")),
    }
}

fn sfn_ev(e: &sfn::HistoryEvent) -> Ev {
    use sfn::EventDetails as D;
    let prev = id(e.previous_event_id);
    match &e.details {
        D::ExecutionStarted { input, .. } if prev == 0 => Ev::ExecutionStarted {
            input: input.clone(),
        },
        D::ActivityScheduled {
            resource,
            input,
            timeout_in_seconds,
            heartbeat_in_seconds,
            ..
        } => Ev::SfnScheduled {
            resource: resource.clone(),
            input: input.clone(),
            timeout: *timeout_in_seconds,
            heartbeat: *heartbeat_in_seconds,
            prev,
        },
        D::ActivityScheduleFailed { error, cause } => Ev::SfnScheduleFailed {
            error: error.clone(),
            cause: cause.clone(),
            prev,
        },
        D::ActivityStarted { worker_name } => Ev::SfnStarted {
            worker: worker_name.clone(),
            prev,
        },
        D::ActivitySucceeded { output, .. } => Ev::SfnSucceeded {
            output: output.clone(),
            prev,
        },
        D::ActivityFailed { error, cause } => Ev::SfnFailed {
            error: error.clone(),
            cause: cause.clone(),
            prev,
        },
        D::ActivityTimedOut { error, cause } => Ev::SfnTimedOut {
            error: error.clone(),
            cause: cause.clone(),
            prev,
        },
        D::ExecutionSucceeded { output, .. } => Ev::ExecutionSucceeded {
            output: output.clone(),
            prev,
        },
        D::ExecutionFailed { error, cause } => Ev::ExecutionFailed {
            error: error.clone(),
            cause: cause.clone(),
            prev,
        },
        other => Ev::Other(format!("{other:?} (previous {prev})")),
    }
}

// ----- operations from bytes (the fuzz target's decoder) ---------------------

/// Reads choices from fuzzer bytes; past the end every choice is 0.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    fn bit(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    fn is_done(&self) -> bool {
        self.at >= self.data.len()
    }

    /// A pooled string, the first one half the time; one time in 32 a
    /// name that breaks one rule.
    fn text(&mut self, pool: &[&str], max: usize) -> Text {
        let b = self.byte();
        if b % 32 == 31 {
            let bad = bad_names(max);
            Text(bad[usize::from(b / 32) % bad.len()].clone())
        } else if b < 128 {
            Text::from(pool[0])
        } else {
            Text(pool[usize::from(b) % pool.len()].to_owned())
        }
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.bit() { Some(f(self)) } else { None }
    }

    /// Mostly small valid durations; sometimes `NONE` or `0`; rarely
    /// invalid.
    fn duration(&mut self) -> Text {
        match self.below(32) {
            31 => Text::from(DURATIONS[6 + self.below(DURATIONS.len() - 6)]),
            i if i < 24 => Text::from(DURATIONS[2 + i % 4]),
            i => Text::from(DURATIONS[i % 2]),
        }
    }

    fn payload(&mut self, pool: &[&str], max: usize) -> Text {
        match self.below(16) {
            15 => Text("x".repeat(max + 1)),
            14 => Text("é".repeat(max)),
            i => Text::from(pool[usize::from(i as u8) % pool.len()]),
        }
    }

    fn token(&mut self) -> TokenPick {
        match self.below(24) {
            18 => TokenPick::Retagged(self.below(3)),
            19 => TokenPick::OtherFace(self.below(3)),
            20 => TokenPick::Forged(self.below(3)),
            21 => TokenPick::Unknown,
            22 => TokenPick::Garbage,
            23 => match self.below(2) {
                0 => TokenPick::Empty,
                _ => TokenPick::TooLong,
            },
            i if i < 12 => TokenPick::Issued(0),
            i => TokenPick::Issued(1 + i % 2),
        }
    }

    fn exec(&mut self) -> ExecPick {
        match self.below(22) {
            20 => ExecPick::Unknown,
            21 => ExecPick::EmptyRun,
            i => ExecPick::Exec(i % 4),
        }
    }

    fn arn(&mut self) -> ArnPick {
        match self.below(28) {
            i if i < 16 => ArnPick::Activity(0),
            i if i < 22 => ArnPick::Activity(i % 3),
            22 => ArnPick::OtherAccount(self.below(3)),
            23 => ArnPick::EmptyName,
            24 => ArnPick::StateMachine,
            25 => ArnPick::Arn,
            _ => ArnPick::Empty,
        }
    }

    fn priority(&mut self) -> Text {
        let i = self.below(11);
        Text::from(PRIORITIES[if i < 10 { i % 5 } else { 5 + self.below(2) }])
    }

    fn activity_type(&mut self) -> (Text, Text) {
        let (n, v) = match self.below(37) {
            i if i < 24 => ("a0", "1"),
            i if i < 30 => ("a1", "1"),
            i if i < 33 => ("a9", "1"),
            i if i < 36 => ("a0", "2"),
            _ => ("", "1"),
        };
        (Text::from(n), Text::from(v))
    }

    fn decision(&mut self) -> Dec {
        if self.below(6) == 5 {
            return Dec::Cancel {
                activity_id: self.text(&ACTIVITY_IDS, 256),
            };
        }
        let (type_name, version) = self.activity_type();
        let rare = |b: &mut Self, absent: usize| b.below(absent + 1) == absent;
        Dec::Schedule {
            type_name,
            version,
            activity_id: self.text(&ACTIVITY_IDS, 256),
            list: rare(self, 2).then(|| self.text(&LISTS, 256)),
            schedule_to_start: rare(self, 3).then(|| self.duration()),
            schedule_to_close: rare(self, 3).then(|| self.duration()),
            start_to_close: rare(self, 3).then(|| self.duration()),
            heartbeat: rare(self, 3).then(|| self.duration()),
            priority: rare(self, 3).then(|| self.priority()),
            input: self.opt(|b| match b.below(9) {
                8 => b.payload(&["in"], 32768),
                i => Text::from(["in", "{}"][i % 2]),
            }),
        }
    }

    fn op(&mut self) -> Op {
        // Operation kinds, weighted as the property tests weight them: the
        // working path (decide, poll, respond, advance) most.
        const KINDS: [(u8, u8); 26] = [
            (0, 1),
            (1, 1),
            (2, 1),
            (3, 1),
            (4, 1),
            (5, 1),
            (6, 1),
            (7, 1),
            (8, 1),
            (9, 4),
            (11, 1),
            (12, 10),
            (16, 10),
            (19, 3),
            (20, 5),
            (21, 1),
            (22, 2),
            (23, 1),
            (24, 1),
            (25, 1),
            (26, 6),
            (29, 6),
            (31, 4),
            (32, 2),
            (33, 2),
            (34, 7),
        ];
        let total: usize = KINDS.iter().map(|&(_, w)| usize::from(w)).sum();
        let mut r = self.below(total);
        let mut kind = 34;
        for &(k, w) in &KINDS {
            if r < usize::from(w) {
                kind = k;
                break;
            }
            r -= usize::from(w);
        }
        match kind {
            0 => Op::RegisterDomain {
                name: self.text(&DOMAINS, 256),
                retention: Text::from(RETENTIONS[self.below(RETENTIONS.len())]),
            },
            1 => Op::DeprecateDomain {
                name: self.text(&DOMAINS, 256),
            },
            2 => Op::UndeprecateDomain {
                name: self.text(&DOMAINS, 256),
            },
            3 => Op::RegisterActivityType {
                domain: self.text(&DOMAINS, 256),
                name: self.text(&TYPE_NAMES, 256),
                version: self.text(&TYPE_VERSIONS, 64),
                defaults: Defaults {
                    list: self.opt(|b| b.text(&LISTS, 256)),
                    schedule_to_start: self.opt(Self::duration),
                    schedule_to_close: self.opt(Self::duration),
                    start_to_close: self.opt(Self::duration),
                    heartbeat: self.opt(Self::duration),
                    priority: self.opt(|b| Text::from(PRIORITIES[b.below(PRIORITIES.len())])),
                },
            },
            4..=6 => {
                let (domain, name, version) = (
                    self.text(&DOMAINS, 256),
                    self.text(&TYPE_NAMES, 256),
                    Text::from(TYPE_VERSIONS[self.below(2)]),
                );
                match self.below(3) {
                    0 => Op::DeprecateActivityType {
                        domain,
                        name,
                        version,
                    },
                    1 => Op::UndeprecateActivityType {
                        domain,
                        name,
                        version,
                    },
                    _ => Op::DeleteActivityType {
                        domain,
                        name,
                        version,
                    },
                }
            }
            7 => Op::RegisterWorkflowType {
                domain: self.text(&DOMAINS, 256),
                with_defaults: self.bit(),
            },
            8 => Op::DeprecateWorkflowType {
                domain: self.text(&DOMAINS, 256),
            },
            9 | 10 => Op::StartWorkflow {
                domain: self.text(&DOMAINS, 256),
                workflow_id: self.text(&WORKFLOW_IDS, 256),
            },
            11 => Op::Terminate {
                exec: self.exec(),
                by_run_id: self.bit(),
                reason: self.opt(|b| b.payload(&["stop"], 256)),
            },
            12..=15 => {
                let n = self.below(4);
                Op::Decide {
                    exec: self.exec(),
                    decisions: (0..n).map(|_| self.decision()).collect(),
                }
            }
            16..=18 => Op::Poll {
                domain: if self.below(4) < 3 {
                    Text::from("d0")
                } else {
                    self.text(&DOMAINS, 256)
                },
                list: if self.bit() {
                    Text::from("l0")
                } else {
                    self.text(&LISTS, 256)
                },
                identity: self.opt(|b| b.payload(&["worker"], 256)),
            },
            19 => Op::Heartbeat {
                token: self.token(),
                details: self.opt(|b| b.payload(&["beat"], 2048)),
            },
            20 => Op::Complete {
                token: self.token(),
                result: self.opt(|b| b.payload(&["done"], 32768)),
            },
            21 => Op::Fail {
                token: self.token(),
                reason: self.opt(|b| b.payload(&["why"], 256)),
                details: self.opt(|b| b.payload(&["trace"], 32768)),
            },
            22 => Op::Cancel {
                token: self.token(),
                details: self.opt(|b| b.payload(&["bye"], 32768)),
            },
            23 => Op::CountPending {
                domain: self.text(&DOMAINS, 256),
                list: self.text(&LISTS, 256),
            },
            24 => Op::CreateActivity {
                name: if self.below(4) == 3 {
                    Text::from(["a b", "", "a:b", "arn"][self.below(4)])
                } else {
                    Text::from(SFN_ACTIVITIES[self.below(3)])
                },
            },
            25 => Op::DeleteActivity { arn: self.arn() },
            26..=28 => Op::StartExecution {
                activity: self.arn(),
                name: self.opt(|b| {
                    Text::from(["e0", "e1", "e0", "e1", "e0", "e1", "", "a b", "é"][b.below(9)])
                }),
                input: self.opt(|b| Text::from(JSON[if b.below(9) == 8 { 4 } else { b.below(4) }])),
                timeout: self.opt(|b| {
                    TIMEOUTS[if b.below(11) == 10 {
                        4 + b.below(2)
                    } else {
                        b.below(4)
                    }]
                }),
                heartbeat: (self.below(3) == 2).then(|| HEARTBEATS[self.below(HEARTBEATS.len())]),
            },
            29 | 30 => Op::GetActivityTask {
                arn: self.arn(),
                worker: self.opt(|b| b.payload(&["w"], 80)),
            },
            31 => Op::SendSuccess {
                token: self.token(),
                output: Text::from(JSON[if self.below(9) == 8 { 4 } else { self.below(4) }]),
            },
            32 => Op::SendFailure {
                token: self.token(),
                error: self.opt(|b| b.payload(&["E"], 256)),
                cause: self.opt(|b| b.payload(&["C"], 32768)),
            },
            33 => Op::SendHeartbeat {
                token: self.token(),
            },
            _ => Op::Advance {
                ms: ADVANCES[self.below(ADVANCES.len())],
            },
        }
    }
}

/// The most operations one fuzz input decodes to.
pub const MAX_FUZZ_OPS: usize = 64;

/// Decodes fuzzer bytes: a configuration from the first byte, then up to
/// [`MAX_FUZZ_OPS`] operations.
pub fn ops_from_bytes(data: &[u8]) -> (Config, Vec<Op>) {
    let mut b = Bytes { data, at: 0 };
    let c = b.byte();
    let cfg = Config {
        shards: [1, 4, 64][usize::from(c % 3)],
        queue_capacity: 2 + usize::from(c / 3 % 3),
        max_open_activities: 2 + usize::from(c / 9 % 3),
        relaxed_arn: c / 27 % 2 == 1,
        seed: u64::from(c),
    };
    let mut ops = Vec::new();
    while !b.is_done() && ops.len() < MAX_FUZZ_OPS {
        ops.push(b.op());
    }
    (cfg, ops)
}
