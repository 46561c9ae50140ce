//! Shared builders and checks for the SWF integration tests.
//!
//! Every environment runs on a [`ManualClock`] with a fixed seed, so time
//! moves only through [`Env::advance`] and tokens and run ids are the same on
//! every run. Threads are ordered by waiting on broker state
//! ([`Env::wait_for_pollers`]), never by sleeping.
#![allow(
    dead_code,
    reason = "each test crate uses a different subset of these helpers"
)]

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use activity_broker::swf::{
    self, ActivityType, ChildPolicy, CountPendingActivityTasksInput, Decision, EventAttributes,
    GetWorkflowExecutionHistoryInput, HistoryEvent, PollForActivityTaskInput,
    PollForActivityTaskOutput, RecordActivityTaskHeartbeatInput, RegisterActivityTypeInput,
    RegisterDomainInput, RegisterWorkflowTypeInput, RequestCancelActivityTaskDecisionAttributes,
    RespondActivityTaskCanceledInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput, RespondDecisionTaskCompletedInput,
    ScheduleActivityTaskDecisionAttributes, StartWorkflowExecutionInput, TaskList,
    WorkflowExecution, WorkflowType,
};
use activity_broker::{Broker, BrokerBuilder, EventId, ManualClock};

/// The domain every environment registers.
pub const DOMAIN: &str = "shop";
/// The activity type's default task list.
pub const LIST: &str = "work";
/// The activity type registered with every default set.
pub const ACTIVITY: &str = "ship";
/// The workflow type registered with every default set.
pub const WORKFLOW: &str = "order";
/// The version of both types.
pub const VERSION: &str = "1";
/// The seed of every environment.
pub const SEED: u64 = 7;

/// One nanosecond: the smallest step of the manual clock.
pub const NS: Duration = Duration::from_nanos(1);

/// `n` seconds.
pub fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A broker on a manual clock, with domain [`DOMAIN`] (retention 1 day),
/// activity type [`ACTIVITY`] and workflow type [`WORKFLOW`] registered.
pub struct Env {
    pub clock: ManualClock,
    pub broker: Broker,
    pub swf: swf::Client,
}

impl Env {
    /// The default environment.
    pub fn new() -> Env {
        Env::with(|b| b)
    }

    /// An environment whose builder `tune` adjusts (the clock and seed are
    /// set before `tune` runs).
    pub fn with(tune: impl FnOnce(BrokerBuilder) -> BrokerBuilder) -> Env {
        let env = Env::bare(tune);
        register_domain(&env.swf, DOMAIN, "1");
        env.register_activity_type(ACTIVITY, VERSION);
        env.swf
            .register_workflow_type(RegisterWorkflowTypeInput {
                domain: DOMAIN.into(),
                name: WORKFLOW.into(),
                version: VERSION.into(),
                default_task_list: Some(TaskList::new("deciders")),
                default_execution_start_to_close_timeout: Some("31536000".into()),
                default_task_start_to_close_timeout: Some("60".into()),
                default_child_policy: Some(ChildPolicy::Terminate),
                ..Default::default()
            })
            .expect("register workflow type");
        env
    }

    /// A manual-clock broker with nothing registered.
    pub fn bare(tune: impl FnOnce(BrokerBuilder) -> BrokerBuilder) -> Env {
        let clock = ManualClock::new();
        let broker = tune(Broker::builder().clock(clock.clone()).seed(SEED))
            .build()
            .expect("build broker");
        let swf = broker.swf();
        Env { clock, broker, swf }
    }

    /// Registers an activity type in [`DOMAIN`] whose defaults are all set:
    /// task list [`LIST`], every timeout `NONE`, no default priority.
    pub fn register_activity_type(&self, name: &str, version: &str) {
        self.swf
            .register_activity_type(full_defaults(name, version))
            .expect("register activity type");
    }

    /// Moves the manual clock; every deadline crossed fires before it returns.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Starts an execution of [`WORKFLOW`] with the type's defaults.
    pub fn start(&self, workflow_id: &str) -> WorkflowExecution {
        let run = self
            .swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: workflow_id.into(),
                workflow_type: WorkflowType::new(WORKFLOW, VERSION),
                ..Default::default()
            })
            .expect("start execution");
        WorkflowExecution::new(workflow_id, run.run_id)
    }

    /// Applies `decisions` to `exec`; returns the `DecisionTaskCompleted` id.
    pub fn decide(&self, exec: &WorkflowExecution, decisions: Vec<Decision>) -> EventId {
        self.try_decide(exec, decisions).expect("decide")
    }

    /// Applies `decisions` to `exec`.
    pub fn try_decide(
        &self,
        exec: &WorkflowExecution,
        decisions: Vec<Decision>,
    ) -> Result<EventId, swf::Error> {
        self.swf
            .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution: exec.clone(),
                decisions,
                ..Default::default()
            })
            .map(|o| o.decision_task_completed_event_id)
    }

    /// Schedules one task of [`ACTIVITY`] per id, with the type's defaults.
    pub fn schedule(&self, exec: &WorkflowExecution, ids: &[&str]) -> EventId {
        self.decide(exec, ids.iter().map(|id| schedule(sched(id))).collect())
    }

    /// Requests the cancellation of `activity_id`.
    pub fn cancel(&self, exec: &WorkflowExecution, activity_id: &str) -> EventId {
        self.decide(
            exec,
            vec![Decision::RequestCancelActivityTask(
                RequestCancelActivityTaskDecisionAttributes {
                    activity_id: activity_id.into(),
                },
            )],
        )
    }

    /// A poll of `list` that does not wait.
    pub fn poll_now(&self, list: &str) -> PollForActivityTaskOutput {
        self.poll_as(list, "worker-1")
    }

    /// A poll of `list` that does not wait, recording `identity`.
    pub fn poll_as(&self, list: &str, identity: &str) -> PollForActivityTaskOutput {
        self.swf
            .poll_for_activity_task_timeout(poll_input(list, Some(identity)), Duration::ZERO)
            .expect("poll")
    }

    /// Polls `list` and insists on a task.
    pub fn take(&self, list: &str) -> PollForActivityTaskOutput {
        let t = self.poll_now(list);
        assert!(!t.is_empty(), "expected a task on {list:?}");
        t
    }

    /// Waits (yielding, never sleeping) until `n` pollers are parked on
    /// `list`.
    pub fn wait_for_pollers(&self, list: &str, n: usize) {
        while self.swf.waiting_pollers(DOMAIN, list) != n {
            std::thread::yield_now();
        }
    }

    /// Tasks scheduled on `list` and not started.
    pub fn pending(&self, list: &str) -> i32 {
        self.swf
            .count_pending_activity_tasks(CountPendingActivityTasksInput {
                domain: DOMAIN.into(),
                task_list: TaskList::new(list),
            })
            .expect("count pending")
            .count
    }

    /// The whole history of `exec`, oldest first.
    pub fn history(&self, exec: &WorkflowExecution) -> Vec<HistoryEvent> {
        history_of(&self.swf, DOMAIN, exec)
    }

    /// The event types of `exec`'s history, oldest first.
    pub fn types(&self, exec: &WorkflowExecution) -> Vec<&'static str> {
        self.history(exec)
            .iter()
            .map(|e| e.event_type.as_str())
            .collect()
    }

    /// The last event of `exec`'s history.
    pub fn last(&self, exec: &WorkflowExecution) -> HistoryEvent {
        self.history(exec).pop().expect("a non-empty history")
    }

    /// `DescribeWorkflowExecution` of `exec`.
    pub fn describe(
        &self,
        exec: &WorkflowExecution,
    ) -> Result<swf::DescribeWorkflowExecutionOutput, swf::Error> {
        self.swf
            .describe_workflow_execution(swf::DescribeWorkflowExecutionInput {
                domain: DOMAIN.into(),
                execution: exec.clone(),
            })
    }

    /// The last event a failed decision recorded in `exec`'s history: it
    /// must be followed by the `DecisionTaskScheduled` that shows it to the
    /// decider, and by nothing else (AWS-API.md A1: "The decider sees that
    /// event in its next decision task").
    pub fn last_failure(&self, exec: &WorkflowExecution) -> HistoryEvent {
        let mut h = self.history(exec);
        let next = h.pop().expect("a non-empty history");
        assert_eq!(
            next.event_type,
            swf::EventType::DecisionTaskScheduled,
            "a failed decision schedules a decision task after it"
        );
        h.pop().expect("the failure before it")
    }

    /// The event with id `id` of `exec`'s history.
    pub fn event(&self, exec: &WorkflowExecution, id: u64) -> HistoryEvent {
        self.history(exec)
            .into_iter()
            .find(|e| e.event_id.get() == id)
            .expect("event exists")
    }

    /// The number of events in `exec`'s history.
    pub fn len(&self, exec: &WorkflowExecution) -> usize {
        self.history(exec).len()
    }

    pub fn heartbeat(&self, token: &str, details: Option<&str>) -> Result<bool, swf::Error> {
        self.swf
            .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                task_token: token.into(),
                details: details.map(Into::into),
            })
            .map(|o| o.cancel_requested)
    }

    pub fn complete(&self, token: &str, result: Option<&str>) -> Result<(), swf::Error> {
        self.swf
            .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                task_token: token.into(),
                result: result.map(Into::into),
            })
            .map(drop)
    }

    pub fn fail(
        &self,
        token: &str,
        reason: Option<&str>,
        details: Option<&str>,
    ) -> Result<(), swf::Error> {
        self.swf
            .respond_activity_task_failed(RespondActivityTaskFailedInput {
                task_token: token.into(),
                reason: reason.map(Into::into),
                details: details.map(Into::into),
            })
            .map(drop)
    }

    pub fn canceled(&self, token: &str, details: Option<&str>) -> Result<(), swf::Error> {
        self.swf
            .respond_activity_task_canceled(RespondActivityTaskCanceledInput {
                task_token: token.into(),
                details: details.map(Into::into),
            })
            .map(drop)
    }

    /// Every token operation on `token` fails with `UnknownResourceFault`
    /// and changes nothing: `exec`'s history and `list`'s pending count are
    /// as before.
    pub fn assert_token_dead(&self, token: &str, exec: &WorkflowExecution, list: &str) {
        let before = self.history(exec);
        let pending = self.pending(list);
        let results = [
            ("heartbeat", self.heartbeat(token, Some("d")).map(drop)),
            ("completed", self.complete(token, Some("r"))),
            ("failed", self.fail(token, Some("r"), Some("d"))),
            ("canceled", self.canceled(token, Some("d"))),
        ];
        for (op, r) in results {
            match r {
                Err(swf::Error::UnknownResourceFault(_)) => {}
                other => panic!("{op} with a dead token gave {other:?}"),
            }
        }
        assert_eq!(
            self.history(exec),
            before,
            "a dead token changed the history"
        );
        assert_eq!(
            self.pending(list),
            pending,
            "a dead token changed the pending count"
        );
    }
}

/// Registers domain `name` with retention `retention`.
pub fn register_domain(swf: &swf::Client, name: &str, retention: &str) {
    swf.register_domain(RegisterDomainInput {
        name: name.into(),
        workflow_execution_retention_period_in_days: retention.into(),
        ..Default::default()
    })
    .expect("register domain");
}

/// A registration of `name`/`version` in [`DOMAIN`] with every default set:
/// task list [`LIST`], every timeout `NONE`.
pub fn full_defaults(name: &str, version: &str) -> RegisterActivityTypeInput {
    RegisterActivityTypeInput {
        domain: DOMAIN.into(),
        name: name.into(),
        version: version.into(),
        default_task_list: Some(TaskList::new(LIST)),
        default_task_schedule_to_start_timeout: Some("NONE".into()),
        default_task_schedule_to_close_timeout: Some("NONE".into()),
        default_task_start_to_close_timeout: Some("NONE".into()),
        default_task_heartbeat_timeout: Some("NONE".into()),
        ..Default::default()
    }
}

/// Schedule attributes for a task of [`ACTIVITY`] with id `id`, everything
/// else left to the type's defaults.
pub fn sched(id: &str) -> ScheduleActivityTaskDecisionAttributes {
    ScheduleActivityTaskDecisionAttributes {
        activity_type: ActivityType::new(ACTIVITY, VERSION),
        activity_id: id.into(),
        ..Default::default()
    }
}

/// The schedule decision of `attrs`.
pub fn schedule(attrs: ScheduleActivityTaskDecisionAttributes) -> Decision {
    Decision::ScheduleActivityTask(attrs)
}

/// A poll input for [`DOMAIN`] / `list`.
pub fn poll_input(list: &str, identity: Option<&str>) -> PollForActivityTaskInput {
    PollForActivityTaskInput {
        domain: DOMAIN.into(),
        task_list: TaskList::new(list),
        identity: identity.map(Into::into),
    }
}

/// The whole history of `exec` in `domain`, following every page.
pub fn history_of(swf: &swf::Client, domain: &str, exec: &WorkflowExecution) -> Vec<HistoryEvent> {
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let page = swf
            .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                domain: domain.into(),
                execution: exec.clone(),
                next_page_token: token,
                ..Default::default()
            })
            .expect("history");
        events.extend(page.events);
        match page.next_page_token {
            Some(t) => token = Some(t),
            None => return events,
        }
    }
}

/// The `ScheduleActivityTaskFailed` cause of `e`.
pub fn schedule_failure(e: &HistoryEvent) -> (&str, &'static str, EventId) {
    match &e.attributes {
        EventAttributes::ScheduleActivityTaskFailed {
            activity_id,
            cause,
            decision_task_completed_event_id,
            ..
        } => (activity_id, cause, *decision_task_completed_event_id),
        other => panic!("not ScheduleActivityTaskFailed: {other:?}"),
    }
}

/// `(timeoutType, scheduledEventId, startedEventId, details)` of an
/// `ActivityTaskTimedOut` event.
pub fn timed_out(e: &HistoryEvent) -> (&'static str, u64, u64, Option<&str>) {
    match &e.attributes {
        EventAttributes::ActivityTaskTimedOut {
            timeout_type,
            scheduled_event_id,
            started_event_id,
            details,
        } => (
            timeout_type,
            scheduled_event_id.get(),
            started_event_id.get(),
            details.as_deref(),
        ),
        other => panic!("not ActivityTaskTimedOut: {other:?}"),
    }
}

/// The validation error of `r`, or a panic naming what came instead.
pub fn validation<T: std::fmt::Debug>(
    r: Result<T, swf::Error>,
) -> activity_broker::ValidationError {
    match r {
        Err(swf::Error::Validation(v)) => v,
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

/// The members and constraints a `ValidationException` lists, in order.
pub fn violated(v: &activity_broker::ValidationError) -> Vec<(&str, &activity_broker::Constraint)> {
    v.violations()
        .iter()
        .map(|v| (v.member(), v.constraint()))
        .collect()
}

/// Checks the invariants of an SWF history: ids 1, 2, 3, ...; it opens with
/// `WorkflowExecutionStarted`; every reference points back to an earlier
/// event of the right type; each activity is started at most once and closed
/// at most once, after its schedule (and start, when it has one); nothing
/// follows an execution close. Returns the activity ids that were closed by
/// `ActivityTaskCompleted`.
pub fn check_history(events: &[HistoryEvent]) -> Vec<String> {
    use swf::EventType as T;
    assert!(!events.is_empty(), "empty history");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.event_id.get(), i as u64 + 1, "ids are dense from 1");
    }
    assert_eq!(events[0].event_type, T::WorkflowExecutionStarted);
    let ty = |id: EventId| -> Option<T> {
        let i = usize::try_from(id.get()).ok()?.checked_sub(1)?;
        events.get(i).map(|e| e.event_type)
    };
    // scheduled event id -> activity id
    let mut scheduled: HashMap<u64, String> = HashMap::new();
    // scheduled event id -> started event id
    let mut started: HashMap<u64, u64> = HashMap::new();
    let mut closed: HashSet<u64> = HashSet::new();
    let mut completed = Vec::new();
    let mut execution_closed = false;
    for e in events {
        assert!(!execution_closed, "event after the execution closed: {e:?}");
        let id = e.event_id;
        match &e.attributes {
            EventAttributes::ActivityTaskScheduled(a) => {
                assert_eq!(
                    ty(a.decision_task_completed_event_id),
                    Some(T::DecisionTaskCompleted)
                );
                assert!(a.decision_task_completed_event_id < id);
                scheduled.insert(id.get(), a.activity_id.clone());
            }
            EventAttributes::ScheduleActivityTaskFailed {
                decision_task_completed_event_id,
                ..
            }
            | EventAttributes::ActivityTaskCancelRequested {
                decision_task_completed_event_id,
                ..
            }
            | EventAttributes::RequestCancelActivityTaskFailed {
                decision_task_completed_event_id,
                ..
            } => {
                assert_eq!(
                    ty(*decision_task_completed_event_id),
                    Some(T::DecisionTaskCompleted)
                );
                assert!(*decision_task_completed_event_id < id);
            }
            EventAttributes::ActivityTaskStarted {
                scheduled_event_id, ..
            } => {
                assert_eq!(ty(*scheduled_event_id), Some(T::ActivityTaskScheduled));
                assert!(
                    !closed.contains(&scheduled_event_id.get()),
                    "started after close"
                );
                assert!(
                    started.insert(scheduled_event_id.get(), id.get()).is_none(),
                    "activity {scheduled_event_id} started twice"
                );
            }
            EventAttributes::ActivityTaskCompleted {
                scheduled_event_id,
                started_event_id,
                ..
            } => {
                assert_ne!(*started_event_id, EventId::NONE);
                close_activity(
                    &ty,
                    &started,
                    &mut closed,
                    e,
                    *scheduled_event_id,
                    *started_event_id,
                );
                completed.push(scheduled[&scheduled_event_id.get()].clone());
            }
            EventAttributes::ActivityTaskFailed {
                scheduled_event_id,
                started_event_id,
                ..
            }
            | EventAttributes::ActivityTaskTimedOut {
                scheduled_event_id,
                started_event_id,
                ..
            }
            | EventAttributes::ActivityTaskCanceled {
                scheduled_event_id,
                started_event_id,
                ..
            } => close_activity(
                &ty,
                &started,
                &mut closed,
                e,
                *scheduled_event_id,
                *started_event_id,
            ),
            EventAttributes::DecisionTaskStarted {
                scheduled_event_id, ..
            } => assert_eq!(ty(*scheduled_event_id), Some(T::DecisionTaskScheduled)),
            EventAttributes::DecisionTaskCompleted {
                scheduled_event_id,
                started_event_id,
                ..
            } => {
                assert_eq!(ty(*scheduled_event_id), Some(T::DecisionTaskScheduled));
                assert_eq!(ty(*started_event_id), Some(T::DecisionTaskStarted));
                assert_eq!(started_event_id.get(), id.get() - 1);
            }
            EventAttributes::WorkflowExecutionCompleted { .. }
            | EventAttributes::WorkflowExecutionFailed { .. }
            | EventAttributes::WorkflowExecutionTimedOut { .. }
            | EventAttributes::WorkflowExecutionTerminated { .. } => execution_closed = true,
            _ => {}
        }
    }
    completed
}

fn close_activity(
    ty: &dyn Fn(EventId) -> Option<swf::EventType>,
    started: &HashMap<u64, u64>,
    closed: &mut HashSet<u64>,
    e: &HistoryEvent,
    s: EventId,
    st: EventId,
) {
    assert_eq!(ty(s), Some(swf::EventType::ActivityTaskScheduled), "{e:?}");
    assert!(s < e.event_id);
    assert!(closed.insert(s.get()), "activity {s} closed twice");
    match started.get(&s.get()) {
        Some(&real) => assert_eq!(st.get(), real, "{e:?}"),
        None => assert_eq!(st, EventId::NONE, "{e:?}"),
    }
}

/// The fields of a task token, decoded from its documented layout (27 bytes
/// of unpadded base64url: tag, shard u16, slot u32, generation u32, nonce).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawToken {
    pub bytes: [u8; 27],
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl RawToken {
    pub fn decode(text: &str) -> RawToken {
        assert_eq!(text.len(), 36, "token length");
        let mut bytes = [0u8; 27];
        for (quad, out) in text.as_bytes().chunks(4).zip(bytes.chunks_mut(3)) {
            let mut n = 0u32;
            for &c in quad {
                let v = B64.iter().position(|&b| b == c).expect("base64url") as u32;
                n = n << 6 | v;
            }
            out.copy_from_slice(&n.to_be_bytes()[1..4]);
        }
        RawToken { bytes }
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        for c in self.bytes.chunks(3) {
            let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
            for shift in [18, 12, 6, 0] {
                out.push(char::from(B64[(n >> shift) as usize & 63]));
            }
        }
        out
    }

    pub fn shard(&self) -> u16 {
        u16::from_le_bytes([self.bytes[1], self.bytes[2]])
    }

    pub fn slot(&self) -> u32 {
        u32::from_le_bytes(self.bytes[3..7].try_into().unwrap())
    }

    pub fn generation(&self) -> u32 {
        u32::from_le_bytes(self.bytes[7..11].try_into().unwrap())
    }
}
