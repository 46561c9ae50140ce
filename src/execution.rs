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
use crate::hash_index::HashIndex;
use crate::history::{
    DecisionList, EventId, EventKind, ExecutionClose, History, HistoryPool, NextDecisionTasks,
};
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
    /// `open` by the hash of its activity id, for SWF's "id in use" and
    /// cancel requests: a chained hash table whose chains run through the
    /// open activities themselves ([`OpenTask::next_in_bucket`]), so the
    /// table is one `u32` per bucket (an open activity's slot plus one, 0
    /// for none), at most two buckets per open activity. Keyed by hash
    /// rather than by the id itself, so that indexing an activity copies no
    /// string (the id is in the history's arena). A hash map of hash to slot
    /// took 16 bytes a bucket at up to 7/8 load: a tenth of a queued task's
    /// memory.
    buckets: Vec<u32>,
    /// `None` while open.
    pub(crate) closed_at: Option<Tick>,
    /// The decision task scheduled and not yet started, if any.
    pub(crate) decision_scheduled: Option<EventId>,
    /// Where decision tasks are scheduled from now on (SWF).
    pub(crate) decision_list: DecisionList,
    pub(crate) started_at: Tick,
}

/// An open activity's key in [`ExecState::open`].
///
/// 32 bits, as the tasks that hold one are kept small: an execution has at
/// most one open activity per event of its history, which holds at most
/// 25,001.
pub(crate) type OpenSlot = u32;

/// Where an open activity's task lives.
#[derive(Clone, Debug)]
pub(crate) struct OpenTask {
    /// Its `ActivityScheduled` event, which holds its activity id.
    pub(crate) scheduled: EventId,
    shard: u32,
    pub(crate) task: SlotRef,
    /// The hash of its activity id.
    id_hash: u64,
    /// The next older open activity in its bucket of
    /// [`ExecState::buckets`].
    next_in_bucket: Option<OpenSlot>,
}

impl OpenTask {
    /// The index of the shard that holds its task.
    pub(crate) fn shard(&self) -> usize {
        self.shard as usize
    }
}

#[cfg(not(test))]
fn activity_hash(activity_id: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::shard::FoldHasher::default();
    h.write(activity_id.as_bytes());
    h.finish()
}

/// Unit tests collide on purpose (ids of one length share a hash), so the
/// hash chains are exercised.
#[cfg(test)]
fn activity_hash(activity_id: &str) -> u64 {
    activity_id.len() as u64
}

impl ExecState {
    pub(crate) fn new(
        id: u64,
        started_at: Tick,
        closed_tx: Sender<(u64, Tick)>,
        pool: &Arc<HistoryPool>,
    ) -> ExecState {
        ExecState {
            id,
            closed_tx,
            history: pool.history(),
            open: Slab::new(),
            buckets: Vec::new(),
            closed_at: None,
            decision_scheduled: None,
            decision_list: DecisionList::default(),
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

    /// Records a `DecisionTaskScheduled` on the list in force.
    pub(crate) fn push_decision_task(&mut self, at: Tick) -> EventId {
        self.push(at, EventKind::DecisionTaskScheduled(self.decision_list))
    }

    /// Schedules a decision task so that the decider sees what just
    /// happened, unless one is scheduled already: SWF keeps at most one
    /// scheduled decision task per execution (AWS-API.md A1), and the one
    /// that waits will show the decider this event too. Nothing is recorded
    /// once the execution has closed.
    pub(crate) fn schedule_decision_task(&mut self, at: Tick) {
        if self.is_open() && self.decision_scheduled.is_none() {
            let id = self.push_decision_task(at);
            self.decision_scheduled = Some(id);
        }
    }

    /// Schedules the execution's decision tasks from now on as a decider
    /// asked: a new list replaces the one in force along with its timeout;
    /// a timeout alone applies to the list in force.
    pub(crate) fn redirect_decisions(&mut self, next: NextDecisionTasks) {
        let Some(name) = next.task_list else {
            if next.schedule_to_start.is_some() {
                self.decision_list.schedule_to_start = next.schedule_to_start;
            }
            return;
        };
        // A decider that names its list on every call records it once.
        let task_list = match self.decision_list.task_list {
            Some(t) if self.history.str(t) == name => t,
            _ => self.history.put(&name),
        };
        self.decision_list = DecisionList {
            task_list: Some(task_list),
            schedule_to_start: next.schedule_to_start,
        };
    }

    /// `true` until the execution closes.
    pub(crate) fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// The open activity with id `activity_id`.
    pub(crate) fn open_activity(&self, activity_id: &str) -> Option<&OpenTask> {
        let id_hash = activity_hash(activity_id);
        let mut at = self.bucket_head(id_hash);
        while let Some(slot) = at {
            let t = self.open.get(slot as usize)?;
            if t.id_hash == id_hash {
                let id = self.history.spec(t.scheduled).map(|s| s.activity_id);
                if id.is_some_and(|id| self.history.str(id) == activity_id) {
                    return Some(t);
                }
            }
            at = t.next_in_bucket;
        }
        None
    }

    /// The bucket of `id_hash` (the table has a power-of-two length).
    fn bucket_of(&self, id_hash: u64) -> usize {
        (id_hash as usize) & self.buckets.len().wrapping_sub(1)
    }

    /// The newest open activity in the bucket of `id_hash`.
    fn bucket_head(&self, id_hash: u64) -> Option<OpenSlot> {
        let head = *self.buckets.get(self.bucket_of(id_hash))?;
        head.checked_sub(1)
    }

    /// Makes `slot` the head of the bucket of `id_hash`; returns the old
    /// head.
    fn link(&mut self, id_hash: u64, slot: OpenSlot) -> Option<OpenSlot> {
        let b = self.bucket_of(id_hash);
        let head = self.buckets.get_mut(b)?;
        let old = head.checked_sub(1);
        *head = slot.saturating_add(1);
        old
    }

    /// Doubles the table (from 8 buckets) and files every open activity
    /// anew, once the activities outnumber the buckets.
    fn grow_buckets(&mut self, open: usize) {
        if open <= self.buckets.len() {
            return;
        }
        let len = (self.buckets.len() * 2).max(8);
        self.buckets = vec![0; len];
        let mask = len - 1;
        for (slot, t) in self.open.iter_mut() {
            if let Some(head) = self.buckets.get_mut((t.id_hash as usize) & mask) {
                t.next_in_bucket = head.checked_sub(1);
                // Slots fit (see `OpenSlot`).
                *head = slot as u32 + 1;
            }
        }
    }

    /// Records an activity scheduled by event `scheduled` as open; returns
    /// its slot. The caller has checked that its id is not open.
    pub(crate) fn add_open(&mut self, scheduled: EventId, shard: usize, task: SlotRef) -> OpenSlot {
        let id = self.history.spec(scheduled).map(|s| s.activity_id);
        let id_hash = activity_hash(id.map_or("", |id| self.history.str(id)));
        // Both fit (see `OpenSlot`; shards are at most 2^16).
        let slot = self.open.vacant_key() as OpenSlot;
        self.grow_buckets(self.open.len() + 1);
        let next_in_bucket = self.link(id_hash, slot);
        self.open.insert(OpenTask {
            scheduled,
            shard: shard as u32,
            task,
            id_hash,
            next_in_bucket,
        });
        slot
    }

    /// Frees the open-activity slab and index of a closed execution that
    /// has nothing open: a closed execution opens nothing again, and it may
    /// be retained for days (Step Functions keeps every execution 90 days,
    /// so this is memory per execution). With activities still open they
    /// stay, for the sweep that frees their tasks.
    pub(crate) fn shed_open_indexes(&mut self) {
        if !self.is_open() && self.open.is_empty() {
            self.open = Slab::new();
            self.buckets = Vec::new();
        }
    }

    /// Forgets an open activity (its task closed).
    pub(crate) fn forget(&mut self, open_slot: OpenSlot) {
        let Some(t) = self.open.try_remove(open_slot as usize) else {
            return;
        };
        // Unlink it from its bucket's chain.
        let b = self.bucket_of(t.id_hash);
        let Some(head) = self.buckets.get_mut(b) else {
            return;
        };
        if head.checked_sub(1) == Some(open_slot) {
            *head = t.next_in_bucket.map_or(0, |n| n.saturating_add(1));
            return;
        }
        let mut at = head.checked_sub(1);
        while let Some(slot) = at {
            let Some(o) = self.open.get_mut(slot as usize) else {
                return;
            };
            if o.next_in_bucket == Some(open_slot) {
                o.next_in_bucket = t.next_in_bucket;
                return;
            }
            at = o.next_in_bucket;
        }
    }

    /// Records the close event of an activity, forgets it, and does the
    /// face's follow-up. An activity of a closed execution is only
    /// forgotten: nothing is recorded after an execution's close.
    pub(crate) fn close_activity(
        &mut self,
        open_slot: OpenSlot,
        at: Tick,
        kind: EventKind,
        follow_up: FollowUp,
    ) {
        self.forget(open_slot);
        if !self.is_open() {
            return;
        }
        // Only Step Functions needs the outcome, and it copies strings.
        let outcome = (follow_up == FollowUp::CloseExecution)
            .then(|| execution_outcome(&self.history, &kind));
        self.push(at, kind);
        if !self.is_open() {
            return;
        }
        match follow_up {
            FollowUp::DecisionTask => self.schedule_decision_task(at),
            FollowUp::CloseExecution => {
                if let Some(outcome) = outcome {
                    self.close(at, outcome);
                }
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
fn execution_outcome(history: &History, kind: &EventKind) -> ExecutionClose {
    match kind {
        EventKind::ActivityCompleted { result, .. } => ExecutionClose::Completed {
            result: history.owned_opt(*result),
        },
        EventKind::ActivityTimedOut { .. } => ExecutionClose::TimedOut,
        EventKind::ActivityFailed { texts, .. } => {
            let (reason, details) = history.owned_pair(*texts);
            ExecutionClose::Failed { reason, details }
        }
        _ => ExecutionClose::Failed {
            reason: None,
            details: None,
        },
    }
}

/// Hashes of execution names, for [`ExecTable`]'s indexes: keyed by hash,
/// so that a lookup copies no string and an execution's names are stored
/// once, in the execution.
fn name_hash(face: Face, ns: &str, wid: &str, run: Option<&str>) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::shard::FoldHasher::default();
    h.write_u8(face as u8);
    h.write(ns.as_bytes());
    // 0xff never occurs in UTF-8: the fields cannot run into each other.
    h.write_u8(0xff);
    h.write(wid.as_bytes());
    if let Some(run) = run {
        h.write_u8(0xff);
        h.write(run.as_bytes());
    }
    h.finish()
}

/// Whether executions of `face` are found by run id ([`ExecTable::find`],
/// `Core::find_execution`). SWF names an execution by workflow id and run
/// id. Step Functions names one by its ARN, through the face's own registry,
/// and never shows a run id; its executions are each kept 90 days, so the
/// two run-id indexes would hold hundreds of thousands of entries nobody
/// reads, each an insert into a large table on every start.
pub(crate) fn indexed_by_run(face: Face) -> bool {
    face != Face::Sfn
}

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
    /// Every execution by (face, namespace, workflow id, run id): ids by
    /// [`name_hash`].
    by_run: HashIndex<u64>,
    /// Open executions by (face, namespace, workflow id).
    pub(crate) open: HashIndex<u64>,
    /// Open SWF executions per domain, for SWF's quota of open executions
    /// per domain (AWS-API.md A1, "SWF quotas"). An entry stays at zero
    /// rather than going: domains are at most 100 and never deleted, and a
    /// domain whose one execution closes and starts again would otherwise
    /// allocate its key each time.
    open_per_domain: FastMap<Box<str>, usize>,
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
        let id = self
            .by_run
            .find(name_hash(face, ns, wid, Some(run)), |id| {
                self.by_id.get(id).is_some_and(|e| {
                    e.face == face && e.namespace == ns && e.workflow_id == wid && e.run_id == run
                })
            })?;
        self.by_id.get(id)
    }

    /// Open executions of `face` in `ns` that count against a quota: SWF's
    /// only (the contract gives Step Functions none per activity).
    pub(crate) fn open_in(&self, face: Face, ns: &str) -> usize {
        match face {
            Face::Swf => self.open_per_domain.get(ns).copied().unwrap_or(0),
            Face::Sfn => 0,
        }
    }

    /// Takes an execution out of the open index, and out of its domain's
    /// count if it was there.
    fn unopen(&mut self, exec: &Execution) {
        let (face, ns, wid) = (exec.face, &exec.namespace, &exec.workflow_id);
        let was_open = self
            .open
            .remove(name_hash(face, ns, wid, None), |&id| id == exec.id);
        if was_open && face == Face::Swf {
            if let Some(n) = self.open_per_domain.get_mut(ns.as_str()) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// Finds the open execution of a workflow id.
    pub(crate) fn find_open(&self, face: Face, ns: &str, wid: &str) -> Option<&Arc<Execution>> {
        let id = self.open.find(name_hash(face, ns, wid, None), |id| {
            self.by_id
                .get(id)
                .is_some_and(|e| e.face == face && e.namespace == ns && e.workflow_id == wid)
        })?;
        self.by_id.get(id)
    }

    /// Registers a new execution. A Step Functions execution is not indexed
    /// by run id (see [`indexed_by_run`]): [`find`](ExecTable::find) does
    /// not see it.
    pub(crate) fn insert(&mut self, exec: Arc<Execution>) {
        let id = exec.id;
        let (face, ns, wid) = (exec.face, &exec.namespace, &exec.workflow_id);
        if indexed_by_run(face) {
            self.by_run
                .insert(name_hash(face, ns, wid, Some(&exec.run_id)), id);
        }
        self.open.insert(name_hash(face, ns, wid, None), id);
        if face == Face::Swf {
            match self.open_per_domain.get_mut(ns.as_str()) {
                Some(n) => *n += 1,
                None => {
                    self.open_per_domain.insert(ns.as_str().into(), 1);
                }
            }
        }
        self.by_id.insert(id, exec);
    }

    /// Marks an execution closed at `at`: it leaves the open index and is
    /// freed when its retention ends (at once for a zero retention).
    pub(crate) fn closed(&mut self, exec: &Execution, at: Tick) {
        self.unopen(exec);
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
        let (face, ns, wid) = (exec.face, &exec.namespace, &exec.workflow_id);
        if indexed_by_run(face) {
            self.by_run
                .remove(name_hash(face, ns, wid, Some(&exec.run_id)), |&x| x == id);
        }
        self.unopen(&exec);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{TaskRequest, Timeouts};

    fn state() -> ExecState {
        let (tx, _rx) = crossbeam_channel::unbounded();
        ExecState::new(1, Tick(0), tx, &Arc::new(HistoryPool::default()))
    }

    fn schedule(st: &mut ExecState, activity_id: &str) -> OpenSlot {
        let spec = st.history.put_spec(&TaskRequest {
            activity_id: activity_id.to_owned(),
            type_name: "t".to_owned(),
            type_version: "1".to_owned(),
            input: None,
            control: None,
            task_list: "l".to_owned(),
            priority: 0,
            priority_set: false,
            timeouts: Timeouts::default(),
        });
        let scheduled = st.push(
            Tick(0),
            EventKind::ActivityScheduled {
                spec,
                decision: EventId::NONE,
            },
        );
        let slot = st.open.vacant_key() as u32;
        st.add_open(
            scheduled,
            0,
            SlotRef {
                slot,
                generation: 0,
            },
        )
    }

    #[test]
    fn a_closed_execution_sheds_its_open_indexes_once_nothing_is_open() {
        let mut st = state();
        let a = schedule(&mut st, "a");
        let b = schedule(&mut st, "b");
        st.forget(a);
        st.shed_open_indexes();
        assert!(st.open.capacity() > 0, "an open execution keeps them");
        st.close(Tick(1), ExecutionClose::TimedOut);
        st.shed_open_indexes();
        assert!(found(&st, "b").is_some(), "kept while an activity is open");
        st.forget(b);
        st.shed_open_indexes();
        assert_eq!(st.open.capacity(), 0);
        assert_eq!(st.buckets.capacity(), 0);
        assert_eq!(found(&st, "b"), None);
    }

    #[test]
    fn the_table_grows_and_every_open_activity_is_found_after() {
        let mut st = state();
        // Unit-test hashes are the id's length: 40 lengths, 3 ids each.
        let ids: Vec<String> = (0..120)
            .map(|i| format!("{}{}", ["x", "y", "z"][i % 3], "-".repeat(i / 3)))
            .collect();
        let slots: Vec<OpenSlot> = ids.iter().map(|id| schedule(&mut st, id)).collect();
        assert_eq!(st.buckets.len(), 128, "grown from 8 by doubling");
        assert!(ids.iter().all(|id| found(&st, id).is_some()));
        for (slot, _) in slots.iter().zip(&ids).filter(|(_, id)| id.starts_with('y')) {
            st.forget(*slot);
        }
        for id in &ids {
            assert_eq!(found(&st, id).is_some(), !id.starts_with('y'), "{id}");
        }
    }

    fn found(st: &ExecState, activity_id: &str) -> Option<EventId> {
        st.open_activity(activity_id).map(|o| o.scheduled)
    }

    #[test]
    fn ids_sharing_a_hash_are_found_and_forgotten_one_by_one() {
        let mut st = state();
        let ids = ["a1", "b2", "c3", "d4", "e"];
        let slots: Vec<OpenSlot> = ids.iter().map(|id| schedule(&mut st, id)).collect();
        for id in ids {
            let want = st
                .history
                .iter()
                .find(|(_, e)| match &e.kind {
                    EventKind::ActivityScheduled { spec, .. } => {
                        st.history.str(st.history.spec_of(*spec).activity_id) == id
                    }
                    _ => false,
                })
                .map(|(id, _)| id);
            assert_eq!(found(&st, id), want, "{id}");
        }
        assert_eq!(found(&st, "zz"), None);
        // Middle of the chain, then its head, then its tail.
        for (i, gone) in [(2, "c3"), (3, "d4"), (0, "a1")] {
            st.forget(slots[i]);
            assert_eq!(found(&st, gone), None, "{gone} forgotten");
        }
        assert!(found(&st, "b2").is_some());
        assert!(found(&st, "e").is_some());
        st.forget(slots[1]);
        assert_eq!(found(&st, "b2"), None);
        assert_eq!(
            st.buckets.get(st.bucket_of(2)),
            Some(&0),
            "empty chain removed"
        );
        // An id can be opened again once forgotten.
        schedule(&mut st, "c3");
        assert!(found(&st, "c3").is_some());
        assert!(found(&st, "e").is_some());
    }
}
