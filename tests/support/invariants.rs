//! The invariant checker: what must hold of every SWF history, and between
//! the histories and what the workers saw, however the threads interleaved.
//!
//! Included by path (`#[path = "support/invariants.rs"] mod invariants;`)
//! from the stress, handoff, panic-safety and memory tests. It reads the
//! engine only through the public API, and it collects every violation
//! instead of stopping at the first, so a failing stress run says all that
//! went wrong (and the seed that reproduces it).
//!
//! Per history ([`check_history`]):
//! - event ids are 1, 2, 3, ... and timestamps never decrease;
//! - it opens with `WorkflowExecutionStarted`, and an execution close is the
//!   last event;
//! - every `decisionTaskCompletedEventId`, `scheduledEventId`,
//!   `startedEventId` and `latestCancelRequestedEventId` points back to an
//!   earlier event of the right type (and of the same activity);
//! - an activity id is open at most once at a time; an activity is started
//!   at most once and closed at most once, after its start; a task that
//!   never started closes only by a timeout of its schedule or a cancel;
//! - decision tasks alternate scheduled / started / completed, and every
//!   activity close is followed by a `DecisionTaskScheduled` unless one was
//!   already scheduled.
//!
//! Across histories and workers ([`World::check`]):
//! - each `ActivityTaskStarted` was returned to exactly one poller, with the
//!   activity id and input that were scheduled;
//! - a respond the engine accepted is the close event recorded; a refused one
//!   (`UnknownResourceFault`) means a timeout or a closed execution got there
//!   first; an abandoned task timed out (or its execution closed);
//! - when the engine is quiescent, every scheduled task is closed exactly
//!   once or its execution closed with it open, and every task list has no
//!   pending task and no waiting poller.
#![allow(
    dead_code,
    reason = "each test crate uses a different part of the checker"
)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use activity_broker::EventId;
use activity_broker::swf::{
    self, CountPendingActivityTasksInput, EventAttributes, EventType,
    GetWorkflowExecutionHistoryInput, HistoryEvent, TaskList, WorkflowExecution,
};

/// How a worker ended its hold on a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// `RespondActivityTaskCompleted`.
    Completed,
    /// `RespondActivityTaskFailed`.
    Failed,
    /// `RespondActivityTaskCanceled`.
    Canceled,
    /// Never responded: the task must time out (or its execution close).
    Abandoned,
}

/// One task a poll returned, and what its worker did with it.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The execution the poll named.
    pub execution: WorkflowExecution,
    /// The activity id the poll returned.
    pub activity_id: String,
    /// The poll's `startedEventId`.
    pub started_event_id: u64,
    /// The poll's input.
    pub input: Option<String>,
    /// What the worker did.
    pub action: Action,
    /// For a respond: `true` if the engine accepted it, `false` if it was
    /// refused with `UnknownResourceFault`. Ignored for `Abandoned`.
    pub accepted: bool,
    /// A heartbeat for this task answered `cancelRequested: true`.
    pub saw_cancel_requested: bool,
}

/// One activity as its history tells it.
#[derive(Clone, Debug, Default)]
pub struct Activity {
    /// Its activity id.
    pub activity_id: String,
    /// Its input, as scheduled.
    pub input: Option<String>,
    /// Its task list, as scheduled.
    pub task_list: String,
    /// The `ActivityTaskStarted` event, if it started.
    pub started: Option<u64>,
    /// The close event: its type and id.
    pub close: Option<(EventType, u64)>,
    /// The `timeoutType` of an `ActivityTaskTimedOut` close.
    pub timeout_type: Option<&'static str>,
    /// Its `ActivityTaskCancelRequested` events.
    pub cancel_requested: Vec<u64>,
}

/// What one history says, once checked.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Activities by `ActivityTaskScheduled` event id.
    pub activities: BTreeMap<u64, Activity>,
    /// `ActivityTaskStarted` event id -> `ActivityTaskScheduled` event id.
    pub starts: HashMap<u64, u64>,
    /// The execution's close event type, if it closed.
    pub closed: Option<EventType>,
    /// Number of events.
    pub events: usize,
    /// `ScheduleActivityTaskFailed` causes.
    pub schedule_failed: Vec<&'static str>,
    /// `RequestCancelActivityTaskFailed` events.
    pub cancel_failed: usize,
}

/// Counts over every checked history, for the test's report.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Executions checked.
    pub executions: usize,
    /// Events in all.
    pub events: usize,
    /// `ActivityTaskScheduled` events.
    pub scheduled: usize,
    /// `ActivityTaskStarted` events.
    pub started: usize,
    /// Close events by type (`ActivityTaskTimedOut` by timeout type).
    pub closes: BTreeMap<String, usize>,
    /// Activities still open when their execution closed.
    pub open_at_execution_close: usize,
    /// `ActivityTaskCancelRequested` events.
    pub cancel_requested: usize,
    /// `RequestCancelActivityTaskFailed` events.
    pub cancel_failed: usize,
    /// Executions closed, by close event type.
    pub executions_closed: BTreeMap<String, usize>,
    /// Deliveries checked.
    pub deliveries: usize,
    /// Responds the engine refused.
    pub refused: usize,
}

impl Tally {
    /// Closes of one kind (`"ActivityTaskCompleted"`,
    /// `"ActivityTaskTimedOut/HEARTBEAT"`, ...); a prefix sums the kinds it
    /// starts (`"ActivityTaskTimedOut"`).
    pub fn closes_of(&self, prefix: &str) -> usize {
        self.closes
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }
}

fn type_matches(t: EventType, a: &EventAttributes) -> bool {
    use EventAttributes as A;
    use EventType as T;
    matches!(
        (t, a),
        (T::WorkflowExecutionStarted, A::WorkflowExecutionStarted(_))
            | (
                T::WorkflowExecutionCompleted,
                A::WorkflowExecutionCompleted { .. }
            )
            | (
                T::WorkflowExecutionFailed,
                A::WorkflowExecutionFailed { .. }
            )
            | (
                T::WorkflowExecutionTimedOut,
                A::WorkflowExecutionTimedOut { .. }
            )
            | (
                T::WorkflowExecutionTerminated,
                A::WorkflowExecutionTerminated { .. }
            )
            | (T::DecisionTaskScheduled, A::DecisionTaskScheduled { .. })
            | (T::DecisionTaskStarted, A::DecisionTaskStarted { .. })
            | (T::DecisionTaskCompleted, A::DecisionTaskCompleted { .. })
            | (T::ActivityTaskScheduled, A::ActivityTaskScheduled(_))
            | (
                T::ScheduleActivityTaskFailed,
                A::ScheduleActivityTaskFailed { .. }
            )
            | (T::ActivityTaskStarted, A::ActivityTaskStarted { .. })
            | (T::ActivityTaskCompleted, A::ActivityTaskCompleted { .. })
            | (T::ActivityTaskFailed, A::ActivityTaskFailed { .. })
            | (T::ActivityTaskTimedOut, A::ActivityTaskTimedOut { .. })
            | (T::ActivityTaskCanceled, A::ActivityTaskCanceled { .. })
            | (
                T::ActivityTaskCancelRequested,
                A::ActivityTaskCancelRequested { .. }
            )
            | (
                T::RequestCancelActivityTaskFailed,
                A::RequestCancelActivityTaskFailed { .. }
            )
    )
}

fn is_execution_close(t: EventType) -> bool {
    matches!(
        t,
        EventType::WorkflowExecutionCompleted
            | EventType::WorkflowExecutionFailed
            | EventType::WorkflowExecutionTimedOut
            | EventType::WorkflowExecutionTerminated
    )
}

/// Checks one history. Violations are appended to `errors`, each prefixed
/// with `label`; the facts are returned for the cross checks.
pub fn check_history(label: &str, events: &[HistoryEvent], errors: &mut Vec<String>) -> Facts {
    let mut facts = Facts {
        events: events.len(),
        ..Facts::default()
    };
    let mut err = |msg: String| errors.push(format!("{label}: {msg}"));
    let ty = |id: EventId| -> Option<EventType> {
        let i = usize::try_from(id.get()).ok()?.checked_sub(1)?;
        events.get(i).map(|e| e.event_type)
    };
    if events.first().map(|e| e.event_type) != Some(EventType::WorkflowExecutionStarted) {
        err("the history does not open with WorkflowExecutionStarted".into());
    }
    // Activity ids open now -> scheduled event id.
    let mut open_ids: HashMap<String, u64> = HashMap::new();
    let mut decision_scheduled: Option<u64> = None;
    let mut decision_started: Option<u64> = None;
    let mut decision_completed: HashSet<u64> = HashSet::new();
    // Set by an activity close: the next event must schedule a decision task.
    let mut need_decision = false;
    let mut last_at = None;
    for (i, e) in events.iter().enumerate() {
        let id = e.event_id.get();
        let here = format!("event {id} ({})", e.event_type.as_str());
        if id != i as u64 + 1 {
            err(format!(
                "{here}: at position {} (ids must be dense from 1)",
                i + 1
            ));
        }
        if let Some(prev) = last_at {
            if e.event_timestamp < prev {
                err(format!(
                    "{here}: timestamp goes back ({:?} < {prev:?})",
                    e.event_timestamp
                ));
            }
        }
        last_at = Some(e.event_timestamp);
        if !type_matches(e.event_type, &e.attributes) {
            err(format!(
                "{here}: attributes of another type: {:?}",
                e.attributes
            ));
        }
        if let Some(t) = facts.closed {
            err(format!(
                "{here}: recorded after the execution closed ({})",
                t.as_str()
            ));
        }
        if i > 0 && e.event_type == EventType::WorkflowExecutionStarted {
            err(format!("{here}: a second start"));
        }
        if need_decision
            && e.event_type != EventType::DecisionTaskScheduled
            && !is_execution_close(e.event_type)
        {
            err(format!(
                "{here}: an activity close was not followed by DecisionTaskScheduled"
            ));
        }
        need_decision = false;
        let decision_ref = |d: EventId, err: &mut dyn FnMut(String)| {
            if ty(d) != Some(EventType::DecisionTaskCompleted) || d.get() >= id {
                err(format!(
                    "{here}: decisionTaskCompletedEventId {d} is not an earlier DecisionTaskCompleted"
                ));
            }
        };
        match &e.attributes {
            EventAttributes::WorkflowExecutionStarted(_) => {}
            EventAttributes::DecisionTaskScheduled { .. } => {
                if let Some(s) = decision_scheduled {
                    err(format!("{here}: decision task {s} is already scheduled"));
                }
                decision_scheduled = Some(id);
            }
            EventAttributes::DecisionTaskStarted {
                scheduled_event_id, ..
            } => {
                if decision_scheduled != Some(scheduled_event_id.get()) {
                    err(format!(
                        "{here}: scheduledEventId {scheduled_event_id} is not the scheduled decision task {decision_scheduled:?}"
                    ));
                }
                decision_scheduled = None;
                decision_started = Some(id);
            }
            EventAttributes::DecisionTaskCompleted {
                scheduled_event_id,
                started_event_id,
                ..
            } => {
                if decision_started != Some(started_event_id.get())
                    || ty(*scheduled_event_id) != Some(EventType::DecisionTaskScheduled)
                {
                    err(format!(
                        "{here}: refers to scheduled {scheduled_event_id} / started {started_event_id}, the started decision task is {decision_started:?}"
                    ));
                }
                decision_started = None;
                decision_completed.insert(id);
            }
            EventAttributes::ActivityTaskScheduled(a) => {
                decision_ref(a.decision_task_completed_event_id, &mut err);
                if !decision_completed.contains(&a.decision_task_completed_event_id.get()) {
                    err(format!("{here}: its decision is unknown"));
                }
                if let Some(s) = open_ids.insert(a.activity_id.clone(), id) {
                    err(format!(
                        "{here}: activity id {:?} is already open (scheduled at {s})",
                        a.activity_id
                    ));
                }
                facts.activities.insert(
                    id,
                    Activity {
                        activity_id: a.activity_id.clone(),
                        input: a.input.clone(),
                        task_list: a.task_list.name.clone(),
                        ..Activity::default()
                    },
                );
            }
            EventAttributes::ScheduleActivityTaskFailed {
                decision_task_completed_event_id,
                cause,
                ..
            } => {
                decision_ref(*decision_task_completed_event_id, &mut err);
                facts.schedule_failed.push(cause);
            }
            EventAttributes::ActivityTaskStarted {
                scheduled_event_id, ..
            } => match facts.activities.get_mut(&scheduled_event_id.get()) {
                None => err(format!(
                    "{here}: scheduledEventId {scheduled_event_id} is not an ActivityTaskScheduled"
                )),
                Some(a) => {
                    if a.close.is_some() {
                        err(format!("{here}: started after its close"));
                    }
                    if let Some(s) = a.started {
                        err(format!("{here}: started twice (first at {s})"));
                    }
                    a.started = Some(id);
                    facts.starts.insert(id, scheduled_event_id.get());
                }
            },
            EventAttributes::ActivityTaskCompleted {
                scheduled_event_id,
                started_event_id,
                ..
            }
            | EventAttributes::ActivityTaskFailed {
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
            } => {
                let Some(a) = facts.activities.get_mut(&scheduled_event_id.get()) else {
                    err(format!(
                        "{here}: scheduledEventId {scheduled_event_id} is not an ActivityTaskScheduled"
                    ));
                    continue;
                };
                if let Some((t, c)) = a.close {
                    err(format!(
                        "{here}: closed twice (first by {} at {c})",
                        t.as_str()
                    ));
                }
                match a.started {
                    Some(s) if s != started_event_id.get() => err(format!(
                        "{here}: startedEventId {started_event_id}, but it started at {s}"
                    )),
                    None if *started_event_id != EventId::NONE => err(format!(
                        "{here}: startedEventId {started_event_id} for a task that never started"
                    )),
                    _ => {}
                }
                match &e.attributes {
                    EventAttributes::ActivityTaskCompleted { .. }
                    | EventAttributes::ActivityTaskFailed { .. }
                        if a.started.is_none() =>
                    {
                        err(format!("{here}: a worker's close of a task never started"));
                    }
                    EventAttributes::ActivityTaskTimedOut { timeout_type, .. } => {
                        let ok = match a.started {
                            None => {
                                matches!(*timeout_type, "SCHEDULE_TO_START" | "SCHEDULE_TO_CLOSE")
                            }
                            Some(_) => matches!(
                                *timeout_type,
                                "START_TO_CLOSE" | "HEARTBEAT" | "SCHEDULE_TO_CLOSE"
                            ),
                        };
                        if !ok {
                            err(format!(
                                "{here}: timeout {timeout_type} for a task {} started",
                                if a.started.is_some() {
                                    "already"
                                } else {
                                    "never"
                                }
                            ));
                        }
                        a.timeout_type = Some(timeout_type);
                    }
                    EventAttributes::ActivityTaskCanceled {
                        latest_cancel_requested_event_id,
                        ..
                    } => match latest_cancel_requested_event_id {
                        Some(r) => {
                            if a.cancel_requested.last() != Some(&r.get()) {
                                err(format!(
                                    "{here}: latestCancelRequestedEventId {r}, but its cancel requests are {:?}",
                                    a.cancel_requested
                                ));
                            }
                        }
                        None => {
                            if a.started.is_none() {
                                err(format!("{here}: a queued task canceled without a request"));
                            }
                            if let Some(r) = a.cancel_requested.last() {
                                err(format!(
                                    "{here}: no latestCancelRequestedEventId, but a cancel was requested at {r}"
                                ));
                            }
                        }
                    },
                    _ => {}
                }
                if let Some(s) = a.started {
                    if s >= id {
                        err(format!("{here}: closed before its start {s}"));
                    }
                }
                a.close = Some((e.event_type, id));
                if open_ids.get(&a.activity_id) == Some(&scheduled_event_id.get()) {
                    open_ids.remove(&a.activity_id);
                } else {
                    err(format!(
                        "{here}: activity id {:?} was not open",
                        a.activity_id
                    ));
                }
                need_decision = decision_scheduled.is_none();
            }
            EventAttributes::ActivityTaskCancelRequested {
                decision_task_completed_event_id,
                activity_id,
            } => {
                decision_ref(*decision_task_completed_event_id, &mut err);
                match open_ids.get(activity_id) {
                    Some(s) => {
                        if let Some(a) = facts.activities.get_mut(s) {
                            a.cancel_requested.push(id);
                        }
                    }
                    None => err(format!("{here}: activity id {activity_id:?} is not open")),
                }
            }
            EventAttributes::RequestCancelActivityTaskFailed {
                decision_task_completed_event_id,
                activity_id,
                cause,
            } => {
                decision_ref(*decision_task_completed_event_id, &mut err);
                if *cause == "ACTIVITY_ID_UNKNOWN" && open_ids.contains_key(activity_id) {
                    err(format!(
                        "{here}: ACTIVITY_ID_UNKNOWN for the open activity {activity_id:?}"
                    ));
                }
                facts.cancel_failed += 1;
            }
            EventAttributes::WorkflowExecutionCompleted { .. }
            | EventAttributes::WorkflowExecutionFailed { .. }
            | EventAttributes::WorkflowExecutionTimedOut { .. }
            | EventAttributes::WorkflowExecutionTerminated { .. } => {
                facts.closed = Some(e.event_type);
            }
            other => err(format!("{here}: unexpected attributes {other:?}")),
        }
    }
    facts
}

/// The whole history of `execution`, following every page of `page_size`.
pub fn history(
    swf: &swf::Client,
    domain: &str,
    execution: &WorkflowExecution,
    page_size: i32,
) -> Result<Vec<HistoryEvent>, swf::Error> {
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let page = swf.get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
            domain: domain.into(),
            execution: execution.clone(),
            next_page_token: token,
            maximum_page_size: Some(page_size),
            reverse_order: false,
        })?;
        events.extend(page.events);
        match page.next_page_token {
            Some(t) => token = Some(t),
            None => return Ok(events),
        }
    }
}

/// Everything a run produced, to be checked as a whole.
#[derive(Debug)]
pub struct World<'a> {
    /// The engine.
    pub swf: &'a swf::Client,
    /// The domain of every execution.
    pub domain: &'a str,
    /// Every execution started (retained: their histories are readable).
    pub executions: &'a [WorkflowExecution],
    /// Every task a poll returned.
    pub deliveries: &'a [Delivery],
    /// Every task list used.
    pub lists: &'a [String],
    /// The engine is at rest: no poller waits, no task may be open in an
    /// open execution (each closed or its execution closed), no list has a
    /// pending task.
    pub quiescent: bool,
    /// History page size (1-1000).
    pub page_size: i32,
}

impl World<'_> {
    /// Checks every invariant and returns the tally; panics listing every
    /// violation (up to 40) if any failed.
    pub fn check(&self) -> Tally {
        let (tally, errors) = self.violations();
        if !errors.is_empty() {
            let mut msg = format!("{} invariant violations:\n", errors.len());
            for e in errors.iter().take(40) {
                let _ = writeln!(msg, "  {e}");
            }
            panic!("{msg}");
        }
        tally
    }

    /// Checks every invariant; returns the tally and the violations.
    pub fn violations(&self) -> (Tally, Vec<String>) {
        let mut errors = Vec::new();
        let mut tally = Tally::default();
        let mut facts: HashMap<String, Facts> = HashMap::new();
        let mut seen_runs = HashSet::new();
        for ex in self.executions {
            if !seen_runs.insert(ex.run_id.clone()) {
                errors.push(format!("run id {} issued twice", ex.run_id));
            }
            let label = format!("{}/{}", ex.workflow_id, ex.run_id);
            let events = match history(self.swf, self.domain, ex, self.page_size) {
                Ok(ev) => ev,
                Err(e) => {
                    errors.push(format!("{label}: history unreadable: {e}"));
                    continue;
                }
            };
            let f = check_history(&label, &events, &mut errors);
            tally.executions += 1;
            tally.events += f.events;
            tally.scheduled += f.activities.len();
            tally.started += f.starts.len();
            tally.cancel_failed += f.cancel_failed;
            if let Some(t) = f.closed {
                *tally
                    .executions_closed
                    .entry(t.as_str().to_owned())
                    .or_default() += 1;
            }
            for (s, a) in &f.activities {
                tally.cancel_requested += a.cancel_requested.len();
                match (a.close, f.closed) {
                    (Some((t, _)), _) => {
                        let key = match a.timeout_type {
                            Some(tt) => format!("{}/{tt}", t.as_str()),
                            None => t.as_str().to_owned(),
                        };
                        *tally.closes.entry(key).or_default() += 1;
                    }
                    (None, Some(_)) => tally.open_at_execution_close += 1,
                    (None, None) if self.quiescent => errors.push(format!(
                        "{label}: activity {:?} (scheduled at {s}) is open in an open execution at rest",
                        a.activity_id
                    )),
                    (None, None) => {}
                }
            }
            facts.insert(ex.run_id.clone(), f);
        }
        // Each start was returned to exactly one poller.
        let mut delivered: HashMap<(String, u64), usize> = HashMap::new();
        for (i, d) in self.deliveries.iter().enumerate() {
            tally.deliveries += 1;
            let label = format!(
                "delivery {i} ({}/{} {:?} started {})",
                d.execution.workflow_id, d.execution.run_id, d.activity_id, d.started_event_id
            );
            if let Some(j) = delivered.insert((d.execution.run_id.clone(), d.started_event_id), i) {
                errors.push(format!(
                    "{label}: the same start was also delivered as delivery {j}"
                ));
            }
            let Some(f) = facts.get(&d.execution.run_id) else {
                errors.push(format!("{label}: an execution the run did not start"));
                continue;
            };
            let Some(s) = f.starts.get(&d.started_event_id) else {
                errors.push(format!("{label}: no ActivityTaskStarted has that id"));
                continue;
            };
            let Some(a) = f.activities.get(s) else {
                continue;
            };
            if a.activity_id != d.activity_id || a.input != d.input {
                errors.push(format!(
                    "{label}: delivered {:?}/{:?}, but the start is of {:?}/{:?}",
                    d.activity_id, d.input, a.activity_id, a.input
                ));
            }
            if d.saw_cancel_requested && a.cancel_requested.is_empty() {
                errors.push(format!(
                    "{label}: a heartbeat said cancelRequested, but no cancel was requested"
                ));
            }
            let close = a.close.map(|(t, _)| t);
            let worker_close = match d.action {
                Action::Completed => Some(EventType::ActivityTaskCompleted),
                Action::Failed => Some(EventType::ActivityTaskFailed),
                Action::Canceled => Some(EventType::ActivityTaskCanceled),
                Action::Abandoned => None,
            };
            match worker_close {
                Some(t) if d.accepted => {
                    if close != Some(t) {
                        errors.push(format!(
                            "{label}: the engine accepted {}, but the history closed it with {close:?}",
                            t.as_str()
                        ));
                    }
                }
                _ => {
                    if !d.accepted && worker_close.is_some() {
                        tally.refused += 1;
                    }
                    // Refused or abandoned: a timeout, or the execution's
                    // close, must have got there first.
                    let ok = match close {
                        Some(EventType::ActivityTaskTimedOut) => true,
                        None => f.closed.is_some() || !self.quiescent,
                        Some(_) => false,
                    };
                    if !ok {
                        errors.push(format!(
                            "{label}: {:?} (accepted: {}), but the history says {close:?} and the execution {:?}",
                            d.action, d.accepted, f.closed
                        ));
                    }
                }
            }
        }
        for (run, f) in &facts {
            for (&started, s) in &f.starts {
                if !delivered.contains_key(&(run.clone(), started)) {
                    let id = f.activities.get(s).map(|a| a.activity_id.as_str());
                    errors.push(format!(
                        "{run}: ActivityTaskStarted {started} ({id:?}) reached no poller"
                    ));
                }
            }
        }
        if self.quiescent {
            for list in self.lists {
                match self
                    .swf
                    .count_pending_activity_tasks(CountPendingActivityTasksInput {
                        domain: self.domain.into(),
                        task_list: TaskList::new(list.as_str()),
                    }) {
                    Ok(c) if c.count == 0 => {}
                    Ok(c) => errors.push(format!("list {list}: {} tasks still pending", c.count)),
                    Err(e) => errors.push(format!("list {list}: count failed: {e}")),
                }
                let w = self.swf.waiting_pollers(self.domain, list);
                if w != 0 {
                    errors.push(format!("list {list}: {w} pollers still waiting"));
                }
            }
        }
        (tally, errors)
    }
}
