//! Executions: one history each, and the table that finds them.
//!
//! An [`Execution`] is shared (`Arc`) by the table and by every task it has
//! in a shard, so the hot path reaches a task's history through the task,
//! without the table's lock. Its state sits behind its own mutex, which is
//! always taken *after* any shard lock (see [`crate::shard`]).
//!
//! The [`ExecTable`] maps ids to executions, enforces "one open execution per
//! workflow id", and keeps two timer heaps that are not on the hot path: the
//! execution timeout and the end of a closed execution's retention period,
//! after which the execution and its history are freed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::Sender;
use slab::Slab;

use crate::clock::Tick;
use crate::history::{EventId, EventKind, ExecutionClose, History};
use crate::queue::SlotRef;
use crate::shard::FastMap;
use crate::sync::Mutex;
use crate::token::Face;

/// What the engine does when one of an execution's activities closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FollowUp {
    /// SWF: schedule a decision task, unless one is already scheduled.
    DecisionTask,
    /// Step Functions: the execution ends with the activity's outcome.
    CloseExecution,
}

/// One workflow (SWF) or state-machine (Step Functions) execution.
#[derive(Debug)]
pub(crate) struct Execution {
    /// Table id; never reused.
    pub(crate) id: u64,
    pub(crate) face: Face,
    /// The SWF domain, or the Step Functions state machine.
    pub(crate) namespace: String,
    pub(crate) workflow_id: String,
    pub(crate) run_id: String,
    /// How long the history is kept after close; `None` keeps it until the
    /// engine is dropped.
    pub(crate) retention: Option<Duration>,
    pub(crate) follow_up: FollowUp,
    /// Guarded by its own lock, taken after any shard lock.
    pub(crate) state: Mutex<ExecState>,
}

/// SWF's hard limit on events in one history; reaching it terminates the
/// execution (cause `EVENT_LIMIT_EXCEEDED`), the terminated event being the
/// last.
pub(crate) const MAX_HISTORY_EVENTS: usize = 25_000;

/// The mutable part of an execution.
#[derive(Debug)]
pub(crate) struct ExecState {
    /// The execution's table id, for the close notice.
    id: u64,
    /// Where the close notice goes: the execution table drains it.
    closed_tx: Sender<(u64, Tick)>,
    pub(crate) history: History,
    /// Activities scheduled and not yet closed.
    pub(crate) open: Slab<OpenTask>,
    /// `open` by activity id, for SWF's "id in use" and cancel requests.
    pub(crate) by_activity_id: FastMap<String, usize>,
    /// `None` while open.
    pub(crate) closed_at: Option<Tick>,
    /// The decision task scheduled and not yet started, if any.
    pub(crate) decision_scheduled: Option<EventId>,
    pub(crate) started_at: Tick,
}

/// Where an open activity's task lives.
#[derive(Clone, Debug)]
pub(crate) struct OpenTask {
    /// Its `ActivityScheduled` event, which holds its activity id.
    pub(crate) scheduled: EventId,
    pub(crate) shard: usize,
    pub(crate) task: SlotRef,
}

impl ExecState {
    pub(crate) fn new(id: u64, started_at: Tick, closed_tx: Sender<(u64, Tick)>) -> ExecState {
        ExecState {
            id,
            closed_tx,
            history: History::default(),
            open: Slab::new(),
            by_activity_id: FastMap::default(),
            closed_at: None,
            decision_scheduled: None,
            started_at,
        }
    }

    /// Appends an event. The event that brings the history to one short of
    /// [`MAX_HISTORY_EVENTS`] is followed by the execution's termination.
    /// Callers append only to open executions.
    pub(crate) fn push(&mut self, at: Tick, kind: EventKind) -> EventId {
        let id = self.history.push(at, kind);
        if self.history.len() + 1 >= MAX_HISTORY_EVENTS {
            self.close(
                at,
                ExecutionClose::Terminated {
                    reason: None,
                    details: None,
                    cause: Some("EVENT_LIMIT_EXCEEDED"),
                    child_policy: None,
                },
            );
        }
        id
    }

    /// `true` until the execution closes.
    pub(crate) fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// Forgets an open activity (its task closed).
    pub(crate) fn forget(&mut self, open_slot: usize) {
        if let Some(t) = self.open.try_remove(open_slot) {
            if let Some(spec) = self.history.spec(t.scheduled) {
                self.by_activity_id.remove(&spec.activity_id);
            }
        }
    }

    /// Records the close event of an activity, forgets it, and does the
    /// face's follow-up. An activity of a closed execution is only
    /// forgotten: nothing is recorded after an execution's close.
    pub(crate) fn close_activity(
        &mut self,
        open_slot: usize,
        at: Tick,
        kind: EventKind,
        follow_up: FollowUp,
    ) {
        self.forget(open_slot);
        if !self.is_open() {
            return;
        }
        let outcome = execution_outcome(&kind);
        self.push(at, kind);
        if !self.is_open() {
            return;
        }
        match follow_up {
            FollowUp::DecisionTask => {
                if self.decision_scheduled.is_none() {
                    let id = self.push(at, EventKind::DecisionTaskScheduled);
                    self.decision_scheduled = Some(id);
                }
            }
            FollowUp::CloseExecution => {
                self.close(at, outcome);
            }
        }
    }

    /// Records the execution's close and sends the close notice to the
    /// execution table, which starts its retention and sweeps the tasks still
    /// open out of their shards. Returns `false` if it was closed already.
    pub(crate) fn close(&mut self, at: Tick, how: ExecutionClose) -> bool {
        if self.closed_at.is_some() {
            return false;
        }
        self.history
            .push(at, EventKind::ExecutionClosed(Box::new(how)));
        self.closed_at = Some(at);
        // The receiver lives in the engine, which outlives every execution
        // that can still change; a failed send has nobody to tell.
        let _ = self.closed_tx.send((self.id, at));
        true
    }
}

/// The execution outcome a Step Functions activity close implies.
fn execution_outcome(kind: &EventKind) -> ExecutionClose {
    match kind {
        EventKind::ActivityCompleted { result, .. } => ExecutionClose::Completed {
            result: result.clone(),
        },
        EventKind::ActivityTimedOut { .. } => ExecutionClose::TimedOut,
        EventKind::ActivityFailed {
            reason, details, ..
        } => ExecutionClose::Failed {
            reason: reason.clone(),
            details: details.clone(),
        },
        _ => ExecutionClose::Failed {
            reason: None,
            details: None,
        },
    }
}

/// Key of an execution by name: face, namespace, workflow id, run id.
pub(crate) type RunKey = (Face, String, String, String);

/// Why an execution-level timer was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExecTimer {
    /// The execution's start-to-close timeout.
    Timeout,
    /// The end of a closed execution's retention period.
    Retention,
}

/// All executions, open and retained.
#[derive(Debug, Default)]
pub(crate) struct ExecTable {
    pub(crate) by_id: FastMap<u64, Arc<Execution>>,
    pub(crate) by_run: FastMap<RunKey, u64>,
    /// Open executions by (face, namespace, workflow id).
    pub(crate) open: FastMap<(Face, String, String), u64>,
    pub(crate) timers: BinaryHeap<Reverse<(Tick, ExecTimer, u64)>>,
    pub(crate) next_id: u64,
}

impl ExecTable {
    /// Finds an execution by name.
    pub(crate) fn find(
        &self,
        face: Face,
        ns: &str,
        wid: &str,
        run: &str,
    ) -> Option<&Arc<Execution>> {
        let key = (face, ns.to_owned(), wid.to_owned(), run.to_owned());
        self.by_run.get(&key).and_then(|id| self.by_id.get(id))
    }

    /// Finds the open execution of a workflow id.
    pub(crate) fn find_open(&self, face: Face, ns: &str, wid: &str) -> Option<&Arc<Execution>> {
        let key = (face, ns.to_owned(), wid.to_owned());
        self.open.get(&key).and_then(|id| self.by_id.get(id))
    }

    /// Registers a new execution.
    pub(crate) fn insert(&mut self, exec: Arc<Execution>) {
        let id = exec.id;
        self.by_run.insert(
            (
                exec.face,
                exec.namespace.clone(),
                exec.workflow_id.clone(),
                exec.run_id.clone(),
            ),
            id,
        );
        self.open.insert(
            (exec.face, exec.namespace.clone(), exec.workflow_id.clone()),
            id,
        );
        self.by_id.insert(id, exec);
    }

    /// Marks an execution closed at `at`: it leaves the open index and is
    /// freed when its retention ends (at once for a zero retention).
    pub(crate) fn closed(&mut self, exec: &Execution, at: Tick) {
        let key = (exec.face, exec.namespace.clone(), exec.workflow_id.clone());
        if self.open.get(&key) == Some(&exec.id) {
            self.open.remove(&key);
        }
        match exec.retention {
            // `NONE` or `0`: "no history is kept after the execution
            // closes" (AWS-API.md A1), so it goes now, not at the next
            // timer pass.
            Some(d) if d.is_zero() => {
                self.remove(exec.id);
            }
            Some(d) => {
                self.timers
                    .push(Reverse((at.after(d), ExecTimer::Retention, exec.id)));
            }
            None => {}
        }
    }

    /// Forgets an execution (its retention ended) and returns it.
    pub(crate) fn remove(&mut self, id: u64) -> Option<Arc<Execution>> {
        let exec = self.by_id.remove(&id)?;
        {
            self.by_run.remove(&(
                exec.face,
                exec.namespace.clone(),
                exec.workflow_id.clone(),
                exec.run_id.clone(),
            ));
            let key = (exec.face, exec.namespace.clone(), exec.workflow_id.clone());
            if self.open.get(&key) == Some(&id) {
                self.open.remove(&key);
            }
        }
        Some(exec)
    }

    /// Pops the next timer due at `now`.
    pub(crate) fn pop_due(&mut self, now: Tick) -> Option<(ExecTimer, u64)> {
        match self.timers.peek() {
            Some(Reverse((at, _, _))) if *at <= now => {
                self.timers.pop().map(|Reverse((_, kind, id))| (kind, id))
            }
            _ => None,
        }
    }

    /// When the next timer is due.
    pub(crate) fn next_due(&self) -> Tick {
        self.timers
            .peek()
            .map_or(Tick::NEVER, |Reverse((at, _, _))| *at)
    }
}
