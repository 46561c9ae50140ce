//! Shared builders and checks for the Step Functions integration tests.
//!
//! Every environment runs on a [`ManualClock`] with a fixed seed, so time
//! moves only through [`Env::advance`] and tokens are the same on every run.
//! Threads are ordered by waiting on broker state ([`Env::wait_for_pollers`]),
//! never by sleeping.
#![allow(
    dead_code,
    reason = "each test crate uses a different subset of these helpers"
)]

use std::time::Duration;

use activity_broker::sfn::{
    self, CreateActivityInput, DescribeExecutionInput, DescribeExecutionOutput, EventDetails,
    GetActivityTaskInput, GetActivityTaskOutput, GetExecutionHistoryInput, HistoryEvent,
    HistoryEventType, SendTaskFailureInput, SendTaskHeartbeatInput, SendTaskSuccessInput,
    StartExecutionInput,
};
use activity_broker::{Broker, BrokerBuilder, EventId, ManualClock};

/// The seed of every environment.
pub const SEED: u64 = 11;
/// The state machine every helper starts executions of.
pub const MACHINE: &str = "machine";

/// `n` seconds.
pub fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// One nanosecond: the smallest step of the manual clock.
pub const NS: Duration = Duration::from_nanos(1);

/// A broker on a manual clock and its Step Functions client.
pub struct Env {
    pub clock: ManualClock,
    pub broker: Broker,
    pub sfn: sfn::Client,
}

impl Env {
    /// The default environment.
    pub fn new() -> Env {
        Env::with(|b| b)
    }

    /// An environment whose builder `tune` adjusts (clock and seed are set
    /// first).
    pub fn with(tune: impl FnOnce(BrokerBuilder) -> BrokerBuilder) -> Env {
        let clock = ManualClock::new();
        let broker = tune(Broker::builder().clock(clock.clone()).seed(SEED))
            .build()
            .expect("build broker");
        let sfn = broker.sfn();
        Env { clock, broker, sfn }
    }

    /// Creates the activity `name`; returns its ARN.
    pub fn activity(&self, name: &str) -> String {
        self.sfn
            .create_activity(CreateActivityInput {
                name: name.into(),
                ..Default::default()
            })
            .expect("create activity")
            .activity_arn
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The input of an execution of [`MACHINE`] named `name` on `activity`.
    pub fn start_input(&self, activity: &str, name: &str) -> StartExecutionInput {
        StartExecutionInput {
            state_machine_arn: self.sfn.state_machine_arn(MACHINE),
            name: Some(name.into()),
            input: Some(format!("{{\"job\":\"{name}\"}}")),
            activity_arn: activity.into(),
            ..Default::default()
        }
    }

    /// Starts an execution of [`MACHINE`] named `name` on `activity` (input
    /// `{"job":"<name>"}`); returns its ARN.
    pub fn start(&self, activity: &str, name: &str) -> String {
        self.start_with(self.start_input(activity, name))
    }

    /// Starts an execution; returns its ARN.
    pub fn start_with(&self, input: StartExecutionInput) -> String {
        self.sfn
            .start_execution(input)
            .expect("start execution")
            .execution_arn
    }

    /// A poll that does not wait.
    pub fn poll_now(&self, activity: &str, worker: Option<&str>) -> GetActivityTaskOutput {
        self.sfn
            .get_activity_task_timeout(
                GetActivityTaskInput {
                    activity_arn: activity.into(),
                    worker_name: worker.map(str::to_owned),
                },
                Duration::ZERO,
            )
            .expect("poll")
    }

    /// Takes a queued task that must be there; returns its token and input.
    pub fn take(&self, activity: &str, worker: &str) -> (String, String) {
        let got = self.poll_now(activity, Some(worker));
        (
            got.task_token.expect("a queued task"),
            got.input.expect("task input"),
        )
    }

    /// Spins until `n` workers are parked on `activity`.
    pub fn wait_for_pollers(&self, activity: &str, n: usize) {
        while self.sfn.waiting_pollers(activity) < n {
            std::thread::yield_now();
        }
    }

    pub fn succeed(&self, token: &str, output: &str) -> Result<(), sfn::Error> {
        self.sfn
            .send_task_success(SendTaskSuccessInput {
                task_token: token.into(),
                output: output.into(),
            })
            .map(|_| ())
    }

    pub fn fail(
        &self,
        token: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), sfn::Error> {
        self.sfn
            .send_task_failure(SendTaskFailureInput {
                task_token: token.into(),
                error: error.map(str::to_owned),
                cause: cause.map(str::to_owned),
            })
            .map(|_| ())
    }

    pub fn heartbeat(&self, token: &str) -> Result<(), sfn::Error> {
        self.sfn
            .send_task_heartbeat(SendTaskHeartbeatInput {
                task_token: token.into(),
            })
            .map(|_| ())
    }

    pub fn describe(&self, execution: &str) -> DescribeExecutionOutput {
        self.sfn
            .describe_execution(DescribeExecutionInput {
                execution_arn: execution.into(),
            })
            .expect("describe execution")
    }

    /// The whole history, oldest first, read page by page.
    pub fn history(&self, execution: &str) -> Vec<HistoryEvent> {
        let mut events = Vec::new();
        let mut next_token = None;
        loop {
            let page = self
                .sfn
                .get_execution_history(GetExecutionHistoryInput {
                    execution_arn: execution.into(),
                    next_token,
                    ..Default::default()
                })
                .expect("history");
            events.extend(page.events);
            match page.next_token {
                Some(t) => next_token = Some(t),
                None => break,
            }
        }
        let problems = check_history(&events);
        assert!(problems.is_empty(), "{problems:#?}");
        events
    }

    /// The event types of the history.
    pub fn types(&self, execution: &str) -> Vec<&'static str> {
        self.history(execution)
            .iter()
            .map(|e| e.event_type.as_str())
            .collect()
    }

    /// The last event.
    pub fn last(&self, execution: &str) -> HistoryEvent {
        self.history(execution).pop().expect("an event")
    }
}

/// Everything wrong with a history: ids must run 1, 2, 3, …; each
/// `previous_event_id` must point backwards; it must open with
/// `ExecutionStarted` and hold at most one execution close, last.
pub fn check_history(events: &[HistoryEvent]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let want = i as u64 + 1;
        if e.id.get() != want {
            problems.push(format!("event {i} has id {} (want {want})", e.id));
        }
        if e.id.get() > 1 && (e.previous_event_id == EventId::NONE || e.previous_event_id >= e.id) {
            problems.push(format!(
                "event {} points to {} (not an earlier event)",
                e.id, e.previous_event_id
            ));
        }
    }
    match events.first() {
        Some(e) if e.event_type == HistoryEventType::ExecutionStarted => {
            if e.previous_event_id != EventId::NONE {
                problems.push("ExecutionStarted has a previous event".into());
            }
        }
        Some(e) => problems.push(format!("history opens with {:?}", e.event_type)),
        None => problems.push("empty history".into()),
    }
    let closes: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| is_execution_close(e.event_type))
        .map(|(i, _)| i)
        .collect();
    if closes.len() > 1 || closes.first().is_some_and(|&i| i + 1 != events.len()) {
        problems.push(format!("execution closes at positions {closes:?}"));
    }
    problems
}

/// `true` for the four execution close events.
pub fn is_execution_close(t: HistoryEventType) -> bool {
    matches!(
        t,
        HistoryEventType::ExecutionSucceeded
            | HistoryEventType::ExecutionFailed
            | HistoryEventType::ExecutionTimedOut
            | HistoryEventType::ExecutionAborted
    )
}

/// `(error, cause)` of an event with such details.
pub fn error_cause(d: &EventDetails) -> (Option<&str>, Option<&str>) {
    match d {
        EventDetails::ExecutionFailed { error, cause }
        | EventDetails::ExecutionTimedOut { error, cause }
        | EventDetails::ExecutionAborted { error, cause }
        | EventDetails::ActivityScheduleFailed { error, cause }
        | EventDetails::ActivityFailed { error, cause }
        | EventDetails::ActivityTimedOut { error, cause } => (error.as_deref(), cause.as_deref()),
        other => panic!("no error or cause in {other:?}"),
    }
}

/// The validation error inside `r`, which must be one.
pub fn validation<T: std::fmt::Debug>(
    r: Result<T, sfn::Error>,
) -> activity_broker::ValidationError {
    match r {
        Err(sfn::Error::Validation(v)) => v,
        other => panic!("want a ValidationException, got {other:?}"),
    }
}

// ----- tokens ----------------------------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 27 bytes of a 36-character token.
pub fn token_bytes(token: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for quad in token.as_bytes().chunks(4) {
        let mut n = 0u32;
        for &c in quad {
            let v = ALPHABET.iter().position(|&a| a == c).expect("base64url") as u32;
            n = n << 6 | v;
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4]);
    }
    out
}

/// The token of 27 bytes.
pub fn token_text(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.chunks(3) {
        let n = u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]);
        for shift in [18u32, 12, 6, 0] {
            out.push(char::from(ALPHABET[(n >> shift) as usize & 63]));
        }
    }
    out
}

/// A well-formed token of the same task slot with another nonce: it names
/// no task the engine issued.
pub fn forge_nonce(token: &str) -> String {
    let mut raw = token_bytes(token);
    for b in &mut raw[11..27] {
        *b ^= 0x5A;
    }
    token_text(&raw)
}

/// A well-formed Step Functions token for a slot that was never used.
pub fn forge_unused_slot(token: &str) -> String {
    let mut raw = token_bytes(token);
    raw[3..7].copy_from_slice(&0x00FF_FFF0u32.to_le_bytes());
    token_text(&raw)
}
