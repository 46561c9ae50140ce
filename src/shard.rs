//! Shards: the task lists, tasks, waiting pollers and task timers of one
//! slice of the key space, behind one mutex.
//!
//! A task list is found by hashing `(face, namespace, name)` once
//! ([`ListId::new`]); the hash picks the shard (`hash & mask`) and is then
//! the key of the shard's list index, so the strings are hashed once per
//! call. Everything a list owns lives in its shard: the list, its queued and
//! started tasks (in a slab, so a token finds its task in O(1)), its waiting
//! pollers, and the timers of its tasks. An operation on one list therefore
//! takes exactly one shard lock.
//!
//! # Lock order
//!
//! 1. a facade's registry lock (domains, types, activities), released before 2
//!    in every hot-path operation;
//! 2. the execution table lock;
//! 3. shard locks, several only in ascending index order;
//! 4. execution locks (at most one at a time);
//! 5. leaf locks that call nothing: a [`crate::PollCancel`]'s state, a shard
//!    of the run index, the run-id RNG, the pool of history buffers (taken
//!    when a history is created or dropped, which a shard or execution lock
//!    may be held around).
//!
//! A lock is never taken while one later in this order is held. The manual
//! clock's advance lock comes before all of them.
//!
//! # Slots and generations
//!
//! Slab keys are reused, so every slot has a generation, bumped when the slot
//! is freed. A [`SlotRef`] (and a token) names a slot *at* a generation; a
//! stale reference never reaches a new occupant.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use slab::Slab;

use crate::clock::Tick;
use crate::execution::{ExecState, Execution, OpenSlot};
use crate::history::{EventId, EventKind, TaskRequest, TimeoutKind};
use crate::list_name::ListName;
use crate::queue::{SlotRef, TaskQueue, WaiterQueue};
use crate::slots::{Generational, Slots};
use crate::token::{Face, TokenKey, TokenParts};
use crate::waiter::{Handoff, Waiter, WaiterState};

/// A task list's identity, hashed once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ListId<'a> {
    pub(crate) face: Face,
    pub(crate) namespace: &'a str,
    pub(crate) name: &'a str,
    pub(crate) hash: u64,
}

impl<'a> ListId<'a> {
    pub(crate) fn new(face: Face, namespace: &'a str, name: &'a str) -> ListId<'a> {
        let mut h = FoldHasher::default();
        h.write_u8(face as u8);
        h.write(namespace.as_bytes());
        // 0xff never occurs in UTF-8, so (ns, name) pairs cannot collide by
        // moving bytes across the boundary.
        h.write_u8(0xff);
        h.write(name.as_bytes());
        ListId {
            face,
            namespace,
            name,
            hash: h.finish(),
        }
    }
}

/// A fast, deterministic multiply-fold hash for list keys. Determinism
/// matters: the shard a list lands in is part of its tokens, and a seeded
/// engine must issue the same tokens on every run.
#[derive(Default)]
pub(crate) struct FoldHasher {
    state: u64,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.state = (self.state ^ u64::from_le_bytes(w))
                .wrapping_mul(K)
                .rotate_left(29);
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = tail.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.state = (self.state ^ u64::from_le_bytes(tail) ^ rest.len() as u64)
            .wrapping_mul(K)
            .rotate_left(29);
    }

    fn write_u64(&mut self, n: u64) {
        // Used by the list index, whose keys are already hashes.
        self.state = n;
    }

    fn finish(&self) -> u64 {
        // A final avalanche, so that the low bits (the shard index) depend
        // on every input bit.
        let mut x = self.state;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

/// A hash map keyed by engine-chosen or program-supplied strings with the
/// fast fold hash. (The engine runs in its user's process: there is no
/// remote party to mount a collision attack.)
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FoldHasher>>;

/// The set form of [`FastMap`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FoldHasher>>;

/// Passes an already-computed hash through (the list index's keys).
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// One task list: its queued tasks and its waiting pollers.
#[derive(Debug)]
pub(crate) struct TaskList {
    face: Face,
    key: ListName,
    hash: u64,
    /// Next list in this shard with the same hash.
    next_same_hash: Option<usize>,
    queue: TaskQueue,
    waiters: WaiterQueue,
    /// Tasks queued and not yet started (the queue may also hold stale
    /// references).
    live: usize,
    /// Pollers waiting on this list.
    pollers: usize,
    /// In the shard's ring of recently idle lists.
    in_idle_ring: bool,
    /// Its namespace was closed (a deleted activity): the list must not be
    /// used again unless the namespace exists anew.
    closed: bool,
}

/// Idle lists a shard keeps allocated, so that a list that drains and
/// refills (one task at a time, the common case) does not allocate its names
/// and queue each time. Past this many, the oldest idle list is freed: idle
/// lists cost a bounded amount of memory however many there are.
const IDLE_KEEP: usize = 8;

/// One activity task, from schedule to close.
///
/// Aligned to its size, one cache line, so that reading a slot (a poll's
/// take, a token check) touches one line, not two, and two cores working on
/// neighbouring slots never share a line.
#[derive(Debug)]
#[repr(align(64))]
pub(crate) struct Task {
    /// Its list's index in the shard (lists are far fewer than 2^32).
    list: u32,
    pub(crate) exec: Arc<Execution>,
    /// Its entry in the execution's open activities.
    open_slot: OpenSlot,
    pub(crate) scheduled: EventId,
    /// `EventId::NONE` while queued.
    pub(crate) started: EventId,
    /// The deadline of the task's phase: schedule-to-start while it is
    /// queued, start-to-close once it is started. The two never run at
    /// once, and sharing the field keeps a slot at 64 bytes, one cache line
    /// (memory per queued task is an issue-5 target).
    phase_at: Tick,
    schedule_to_close_at: Tick,
    heartbeat_at: Tick,
    /// The earliest tick at which a timer entry for this task is queued.
    armed: Tick,
    /// The latest `ActivityTaskCancelRequested` event, or `NONE`.
    pub(crate) cancel_requested: EventId,
    /// Its slot's generation (`Slots`): references to the task carry it.
    generation: u32,
}

impl Generational for Task {
    fn generation(&self) -> u32 {
        self.generation
    }

    fn set_generation(&mut self, generation: u32) {
        self.generation = generation;
    }
}

impl Task {
    fn is_started(&self) -> bool {
        self.started != EventId::NONE
    }

    fn next_deadline(&self) -> Tick {
        self.phase_at
            .min(self.schedule_to_close_at)
            .min(self.heartbeat_at)
    }

    /// The timeout that has expired at `now`, if any: the earliest deadline,
    /// ties going to the narrower timeout (heartbeat, start-to-close,
    /// schedule-to-start, then schedule-to-close).
    fn expired(&self, now: Tick) -> Option<TimeoutKind> {
        let phase = if self.is_started() {
            TimeoutKind::StartToClose
        } else {
            TimeoutKind::ScheduleToStart
        };
        // In the tie order: a queued task has no heartbeat deadline, so the
        // phase's place between heartbeat and schedule-to-close holds for
        // both phases.
        let candidates = [
            (self.heartbeat_at, TimeoutKind::Heartbeat),
            (self.phase_at, phase),
            (self.schedule_to_close_at, TimeoutKind::ScheduleToClose),
        ];
        let mut best: Option<(Tick, TimeoutKind)> = None;
        for (at, kind) in candidates {
            if at.is_set() && at <= now && best.is_none_or(|(b, _)| at < b) {
                best = Some((at, kind));
            }
        }
        best.map(|(_, k)| k)
    }
}

/// What a timer entry wakes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum TimerRef {
    Task(u32, u32),
    Poll(u32, u32),
}

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// Not a token of this face's layout.
    Malformed,
    /// Well-formed, but names no task this engine issued.
    NoSuchTask,
    /// Its task has closed (completed, failed, canceled, timed out, or its
    /// execution closed).
    Closed,
}

/// How a respond call closes a task.
#[derive(Debug)]
pub(crate) enum Outcome {
    Completed {
        result: Option<String>,
    },
    Failed {
        reason: Option<String>,
        details: Option<String>,
    },
    Canceled {
        details: Option<String>,
    },
}

/// A shard's state. Guarded by its mutex in [`crate::broker`].
#[derive(Debug)]
pub(crate) struct Shard {
    index: usize,
    lists: Slab<TaskList>,
    /// Recently idle lists, oldest first (see [`IDLE_KEEP`]).
    idle: std::collections::VecDeque<usize>,
    /// First list of each hash.
    by_hash: HashMap<u64, usize, BuildHasherDefault<PassThrough>>,
    /// Namespaces that exist (SWF domains, Step Functions activities), by
    /// face; replicated in every shard so that a poll checks existence under
    /// the one lock it takes anyway.
    namespaces: [FastSet<Box<str>>; 2],
    /// In segments: a backlog's growth copies no task (`slots.rs`).
    tasks: Slots<Task>,
    waiters: Slots<Waiter>,
    timers: BinaryHeap<Reverse<(Tick, TimerRef)>>,
    /// Timer entries whose task or waiter is gone (an estimate): the heap is
    /// rebuilt without them when they are half of it, so closed tasks with
    /// long timeouts do not keep memory.
    timer_garbage: usize,
    /// The last heartbeat's details of this shard's tasks that have any,
    /// by slot. Beside the tasks rather than in them: few tasks heartbeat
    /// with details, and sixteen bytes in every task slot were a sixth of
    /// it (memory per queued task is an issue-5 target).
    details: FastMap<u32, Box<str>>,
    /// The earliest timer pushed since the broker last looked.
    new_earliest: Tick,
    /// Seals and checks the tokens of this shard's tasks.
    token_key: TokenKey,
}

fn face_index(face: Face) -> usize {
    match face {
        Face::Swf => 0,
        Face::Sfn => 1,
    }
}

fn slot_ref(slot: usize, generation: u32) -> SlotRef {
    SlotRef {
        slot: slot as u32,
        generation,
    }
}

impl Shard {
    pub(crate) fn new(index: usize, mut rng: StdRng) -> Shard {
        Shard {
            index,
            lists: Slab::new(),
            idle: std::collections::VecDeque::new(),
            by_hash: HashMap::default(),
            namespaces: [FastSet::default(), FastSet::default()],
            tasks: Slots::default(),
            waiters: Slots::default(),
            timers: BinaryHeap::new(),
            timer_garbage: 0,
            details: FastMap::default(),
            new_earliest: Tick::NEVER,
            token_key: TokenKey::draw(&mut rng),
        }
    }

    // ----- namespaces and lists -------------------------------------------

    pub(crate) fn open_namespace(&mut self, face: Face, ns: &str) {
        if let Some(set) = self.namespaces.get_mut(face_index(face)) {
            set.insert(ns.into());
        }
    }

    pub(crate) fn has_namespace(&self, face: Face, ns: &str) -> bool {
        self.namespaces
            .get(face_index(face))
            .is_some_and(|s| s.contains(ns))
    }

    /// Removes a namespace. Its list in this shard, if any, is closed: every
    /// waiting poller is withdrawn (it returns the empty result) and the
    /// queued tasks are returned for the caller to close with an event.
    pub(crate) fn close_namespace(&mut self, face: Face, ns: &str) -> Vec<SlotRef> {
        if let Some(set) = self.namespaces.get_mut(face_index(face)) {
            set.remove(ns);
        }
        let lists: Vec<usize> = self
            .lists
            .iter()
            .filter(|(_, l)| l.face == face && l.key.in_namespace(ns))
            .map(|(k, _)| k)
            .collect();
        let mut queued = Vec::new();
        for l in lists {
            if let Some(list) = self.lists.get_mut(l) {
                list.closed = true;
            }
            while let Some(w) = self.lists.get_mut(l).and_then(|list| list.waiters.pop()) {
                self.withdraw(w);
            }
            while let Some(r) = self.lists.get_mut(l).and_then(|list| list.queue.pop()) {
                if self.live_queued(r) {
                    queued.push(r);
                }
            }
        }
        queued
    }

    pub(crate) fn find_list(&self, id: &ListId<'_>) -> Option<usize> {
        let mut at = self.by_hash.get(&id.hash).copied();
        while let Some(k) = at {
            let l = self.lists.get(k)?;
            if l.face == id.face && l.key.is(id.namespace, id.name) {
                return Some(k);
            }
            at = l.next_same_hash;
        }
        None
    }

    /// The list named by `id`, created if need be; `None` when its namespace
    /// does not exist.
    ///
    /// The namespace is checked even when the list exists: a list outlives
    /// its closed namespace until its withdrawn pollers have woken and left,
    /// and a poll arriving in that window must be refused, not parked on a
    /// list no task can reach.
    pub(crate) fn list_or_create(&mut self, id: &ListId<'_>) -> Option<usize> {
        // A list exists only while its namespace does (closing a namespace
        // marks its lists), so the common case needs no second string hash.
        if let Some(k) = self.find_list(id) {
            if self.lists.get(k).is_some_and(|l| !l.closed) {
                return Some(k);
            }
            if !self.has_namespace(id.face, id.namespace) {
                return None;
            }
            // The namespace was created again: its old, emptied list serves.
            if let Some(l) = self.lists.get_mut(k) {
                l.closed = false;
            }
            return Some(k);
        }
        if !self.has_namespace(id.face, id.namespace) {
            return None;
        }
        let next_same_hash = self.by_hash.get(&id.hash).copied();
        let k = self.lists.insert(TaskList {
            face: id.face,
            key: ListName::new(id.namespace, id.name),
            hash: id.hash,
            next_same_hash,
            queue: TaskQueue::default(),
            waiters: WaiterQueue::default(),
            live: 0,
            pollers: 0,
            in_idle_ring: false,
            closed: false,
        });
        self.by_hash.insert(id.hash, k);
        Some(k)
    }

    /// Retires a list that holds nothing into the idle ring, and frees the
    /// oldest idle list once the ring is full.
    fn free_if_idle(&mut self, k: usize) {
        let Some(list) = self.lists.get_mut(k) else {
            return;
        };
        if list.live != 0 || list.pollers != 0 || list.in_idle_ring {
            return;
        }
        list.in_idle_ring = true;
        self.idle.push_back(k);
        while self.idle.len() > IDLE_KEEP {
            let Some(old) = self.idle.pop_front() else {
                break;
            };
            let Some(l) = self.lists.get_mut(old) else {
                continue;
            };
            l.in_idle_ring = false;
            if l.live == 0 && l.pollers == 0 {
                self.free_list(old);
            }
        }
    }

    /// Frees list `k` and unlinks it from the index.
    fn free_list(&mut self, k: usize) {
        let Some(list) = self.lists.try_remove(k) else {
            return;
        };
        // Unlink from the hash chain.
        if self.by_hash.get(&list.hash) == Some(&k) {
            match list.next_same_hash {
                Some(n) => {
                    self.by_hash.insert(list.hash, n);
                }
                None => {
                    self.by_hash.remove(&list.hash);
                }
            }
        } else {
            let mut at = self.by_hash.get(&list.hash).copied();
            while let Some(p) = at {
                let Some(prev) = self.lists.get_mut(p) else {
                    break;
                };
                if prev.next_same_hash == Some(k) {
                    prev.next_same_hash = list.next_same_hash;
                    break;
                }
                at = prev.next_same_hash;
            }
        }
    }

    /// Tasks queued on a list and not started.
    pub(crate) fn pending(&self, id: &ListId<'_>) -> usize {
        self.find_list(id)
            .and_then(|k| self.lists.get(k))
            .map_or(0, |l| l.live)
    }

    /// Tasks queued on list `k` and not started.
    pub(crate) fn live(&self, k: usize) -> usize {
        self.lists.get(k).map_or(0, |l| l.live)
    }

    /// Pollers waiting on list `k`.
    pub(crate) fn pollers(&self, k: usize) -> usize {
        self.lists.get(k).map_or(0, |l| l.pollers)
    }

    /// Pollers waiting on the list named by `id`.
    pub(crate) fn pollers_of(&self, id: &ListId<'_>) -> usize {
        self.find_list(id).map_or(0, |k| self.pollers(k))
    }

    /// Frees list `k` if an operation that created it found nothing to do.
    pub(crate) fn release_list(&mut self, k: usize) {
        self.free_if_idle(k);
    }

    // ----- tasks ------------------------------------------------------------

    fn task_at(&self, r: SlotRef) -> Option<&Task> {
        self.tasks.get_of(r.slot as usize, r.generation)
    }

    fn live_queued(&self, r: SlotRef) -> bool {
        self.task_at(r).is_some_and(|t| !t.is_started())
    }

    /// The execution of the task in `slot`.
    pub(crate) fn task_exec(&self, slot: usize) -> Option<&Arc<Execution>> {
        self.tasks.get(slot).map(|t| &t.exec)
    }

    /// Schedules a task on list `list` for an execution whose lock the
    /// caller holds: records `ActivityScheduled`, then hands the task to the
    /// longest-waiting poller or queues it. The caller has checked capacity.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn schedule(
        &mut self,
        list: usize,
        exec: &Arc<Execution>,
        st: &mut ExecState,
        request: TaskRequest,
        decision: EventId,
        now: Tick,
    ) -> Option<(EventId, SlotRef)> {
        let priority = request.priority;
        let timeouts = request.timeouts;
        let spec = st.history.put_spec(&request);
        drop(request);
        let scheduled = st.push(now, EventKind::ActivityScheduled { spec, decision });
        if !st.is_open() {
            // That event reached the history limit and ended the execution.
            return None;
        }
        let (slot, generation) = self.tasks.vacant();
        let r = slot_ref(slot, generation);
        let open_slot = st.add_open(scheduled, self.index, r);
        self.tasks.insert(Task {
            list: list as u32,
            exec: Arc::clone(exec),
            open_slot,
            scheduled,
            started: EventId::NONE,
            phase_at: deadline(now, timeouts.schedule_to_start.get()),
            schedule_to_close_at: deadline(now, timeouts.schedule_to_close.get()),
            heartbeat_at: Tick::NEVER,
            armed: Tick::NEVER,
            cancel_requested: EventId::NONE,
            generation,
        });
        // A poller is waiting only if the queue is empty: hand over directly.
        // A task whose deadline is already due (a "0" timeout) is never
        // handed over: it queues and times out as it would with no poller,
        // so whether one was parked does not decide its fate.
        let due = self.tasks.get(slot).and_then(|t| t.expired(now)).is_some();
        while let Some(w) = self
            .lists
            .get_mut(list)
            .filter(|_| !due)
            .and_then(|l| l.waiters.pop())
        {
            let Some(waiter) = self.waiter_at_mut(w) else {
                continue;
            };
            if !matches!(waiter.state, WaiterState::Waiting) {
                continue;
            }
            let identity = waiter.identity.take();
            if let Some(started) = self.start(slot, st, identity, now) {
                if let Some(waiter) = self.waiter_at_mut(w) {
                    waiter.state = WaiterState::Delivered(started);
                    waiter.wake.notify_one();
                }
            }
            return Some((scheduled, r));
        }
        if let Some(l) = self.lists.get_mut(list) {
            l.queue.push(priority, r);
            l.live += 1;
        }
        self.arm(slot);
        Some((scheduled, r))
    }

    /// Starts task `slot` for a poller: records `ActivityStarted`, seals its
    /// token, and starts the start-to-close and heartbeat clocks.
    fn start(
        &mut self,
        slot: usize,
        st: &mut ExecState,
        identity: Option<String>,
        now: Tick,
    ) -> Option<Handoff> {
        if !st.is_open() {
            return None;
        }
        let task = self.tasks.get_mut(slot)?;
        let generation = task.generation;
        let identity = st.history.put_opt(identity.as_deref());
        let started = st.push(
            now,
            EventKind::ActivityStarted {
                identity,
                scheduled: task.scheduled,
            },
        );
        task.started = started;
        // The start-to-close and heartbeat timeouts are the spec's: read
        // there, under the execution lock held anyway, rather than copied
        // into every task slot.
        let timeouts = st.history.spec_or_empty(task.scheduled).timeouts;
        task.phase_at = deadline(now, timeouts.start_to_close.get());
        task.heartbeat_at = deadline(now, timeouts.heartbeat.get());
        let out = Handoff {
            exec: Arc::clone(&task.exec),
            scheduled: task.scheduled,
            started,
            token: TokenParts::sealed(
                &self.token_key,
                task.exec.face,
                self.index as u16,
                slot as u32,
                generation,
            ),
        };
        self.arm(slot);
        Some(out)
    }

    /// Takes the next task of list `k` for a poller and starts it. Tasks
    /// whose deadline has passed are timed out on the way, and tasks of
    /// closed executions are dropped.
    /// The poller's identity moves into the `ActivityStarted` event if a
    /// task is started, and stays with the caller otherwise.
    pub(crate) fn take(
        &mut self,
        k: usize,
        identity: &mut Option<String>,
        now: Tick,
    ) -> Option<Handoff> {
        loop {
            let r = self.lists.get_mut(k)?.queue.pop()?;
            if !self.live_queued(r) {
                continue;
            }
            let slot = r.slot as usize;
            let Some(task) = self.tasks.get(slot) else {
                continue;
            };
            if let Some(kind) = task.expired(now) {
                self.time_out(slot, kind, now);
                continue;
            }
            let exec = Arc::clone(&task.exec);
            let mut st = exec.state.lock();
            if !st.is_open() {
                self.drop_task(slot, &mut st);
                continue;
            }
            if let Some(l) = self.lists.get_mut(k) {
                l.live = l.live.saturating_sub(1);
            }
            let started = self.start(slot, &mut st, identity.take(), now);
            drop(st);
            self.shrink_list(k);
            return started;
        }
    }

    /// Resolves a token of `face` to its live, started task.
    pub(crate) fn resolve(&mut self, parts: &TokenParts, now: Tick) -> Result<usize, TokenError> {
        // The seal covers the face, shard, slot and generation: a token it
        // does not match was never issued (a forgery, or a token of one face
        // re-tagged for the other), whatever its slot holds now.
        if !parts.is_sealed_by(&self.token_key) {
            return Err(TokenError::NoSuchTask);
        }
        let slot = parts.slot as usize;
        let current = self.tasks.generation(slot).ok_or(TokenError::NoSuchTask)?;
        if parts.generation != current {
            // Generations only grow: an older one was issued and has closed.
            return Err(if parts.generation.wrapping_sub(current) > u32::MAX / 2 {
                TokenError::Closed
            } else {
                TokenError::NoSuchTask
            });
        }
        let task = self.tasks.get(slot).ok_or(TokenError::NoSuchTask)?;
        // A slot's generation changes when its task is freed, so an issued
        // token of the current generation names this task, started; the
        // checks stand guard all the same.
        if task.exec.face != parts.face || !task.is_started() {
            return Err(TokenError::NoSuchTask);
        }
        if let Some(kind) = task.expired(now) {
            self.time_out(slot, kind, now);
            return Err(TokenError::Closed);
        }
        Ok(slot)
    }

    /// Records a heartbeat on a resolved task. Returns `cancelRequested`.
    pub(crate) fn heartbeat(
        &mut self,
        slot: usize,
        details: Option<String>,
        now: Tick,
    ) -> Result<bool, TokenError> {
        let task = self.tasks.get_mut(slot).ok_or(TokenError::NoSuchTask)?;
        let exec = Arc::clone(&task.exec);
        let mut st = exec.state.lock();
        if !st.is_open() {
            self.drop_task(slot, &mut st);
            return Err(TokenError::Closed);
        }
        let task = self.tasks.get_mut(slot).ok_or(TokenError::NoSuchTask)?;
        let heartbeat = st.history.spec_or_empty(task.scheduled).timeouts.heartbeat;
        task.heartbeat_at = deadline(now, heartbeat.get());
        let cancel_requested = task.cancel_requested != EventId::NONE;
        // The last call's details, absent if it gave none (AWS-API.md A1:
        // "the last `details` become `ActivityTaskTimedOut.details`").
        // Slots fit (`Slots`).
        match details {
            Some(d) => {
                self.details.insert(slot as u32, d.into_boxed_str());
            }
            None if !self.details.is_empty() => {
                self.details.remove(&(slot as u32));
            }
            None => {}
        }
        // The old timer entry stays queued; when it fires it finds the later
        // deadline and re-arms (no push per heartbeat).
        Ok(cancel_requested)
    }

    /// Closes a resolved task with a respond call's outcome.
    pub(crate) fn respond(
        &mut self,
        slot: usize,
        outcome: Outcome,
        now: Tick,
    ) -> Result<(), TokenError> {
        let task = self.tasks.get(slot).ok_or(TokenError::NoSuchTask)?;
        let (scheduled, started, latest) = (task.scheduled, task.started, task.cancel_requested);
        let exec = Arc::clone(&task.exec);
        let mut st = exec.state.lock();
        if !st.is_open() {
            self.drop_task(slot, &mut st);
            return Err(TokenError::Closed);
        }
        let h = &mut st.history;
        let kind = match outcome {
            Outcome::Completed { result } => EventKind::ActivityCompleted {
                result: h.put_opt(result.as_deref()),
                scheduled,
                started,
            },
            Outcome::Failed { reason, details } => EventKind::ActivityFailed {
                texts: h.put_pair(reason.as_deref(), details.as_deref()),
                scheduled,
                started,
            },
            Outcome::Canceled { details } => EventKind::ActivityCanceled {
                details: h.put_opt(details.as_deref()),
                scheduled,
                started,
                latest_cancel_requested: latest,
            },
        };
        self.close(slot, &mut st, kind, now);
        Ok(())
    }

    /// Records a cancel request against task `r` of an execution whose lock
    /// the caller holds: a queued task is canceled at once, a started one
    /// learns of it through its next heartbeat.
    pub(crate) fn request_cancel(
        &mut self,
        r: SlotRef,
        st: &mut ExecState,
        activity_id: &str,
        decision: EventId,
        now: Tick,
    ) -> bool {
        let slot = r.slot as usize;
        let Some(task) = self.task_at(r) else {
            return false;
        };
        let queued = !task.is_started();
        let scheduled = task.scheduled;
        let activity_id = st.history.put(activity_id);
        let requested = st.push(
            now,
            EventKind::CancelRequested {
                activity_id,
                decision,
            },
        );
        if queued {
            let kind = EventKind::ActivityCanceled {
                details: None,
                scheduled,
                started: EventId::NONE,
                latest_cancel_requested: requested,
            };
            self.close(slot, st, kind, now);
        } else if let Some(task) = self.tasks.get_mut(slot) {
            task.cancel_requested = requested;
        }
        true
    }

    /// Closes task `slot` with the event `kind` and frees its slot.
    fn close(&mut self, slot: usize, st: &mut ExecState, kind: EventKind, now: Tick) {
        let Some(task) = self.remove_task(slot) else {
            return;
        };
        let follow_up = task.exec.follow_up;
        st.close_activity(task.open_slot, now, kind, follow_up);
    }

    /// Fails a queued task whose list was closed (its namespace deleted),
    /// recording `ActivityFailed` with `reason` and `details`.
    pub(crate) fn fail_queued(
        &mut self,
        r: SlotRef,
        reason: &str,
        details: &str,
        now: Tick,
    ) -> bool {
        let Some(task) = self.task_at(r) else {
            return false;
        };
        let exec = Arc::clone(&task.exec);
        let scheduled = task.scheduled;
        let mut st = exec.state.lock();
        if !st.is_open() {
            self.drop_task(r.slot as usize, &mut st);
            return false;
        }
        let kind = EventKind::ActivityFailed {
            texts: st.history.put_pair(Some(reason), Some(details)),
            scheduled,
            started: EventId::NONE,
        };
        self.close(r.slot as usize, &mut st, kind, now);
        true
    }

    /// Frees a task whose execution has closed; no event.
    pub(crate) fn drop_task(&mut self, slot: usize, st: &mut ExecState) {
        if let Some(task) = self.remove_task(slot) {
            st.forget(task.open_slot);
        }
    }

    /// Drops the task of `r` if it is still that task (execution sweep).
    pub(crate) fn drop_ref(&mut self, r: SlotRef, st: &mut ExecState) {
        if self.task_at(r).is_some() {
            self.drop_task(r.slot as usize, st);
        }
    }

    fn remove_task(&mut self, slot: usize) -> Option<Task> {
        let task = self.tasks.try_remove(slot)?;
        if !self.details.is_empty() {
            self.details.remove(&(slot as u32));
        }
        if task.armed.is_set() {
            self.collect_timer_garbage();
        }
        if !task.is_started() {
            if let Some(l) = self.lists.get_mut(task.list as usize) {
                debug_assert!(l.live > 0, "a queued task was not counted");
                l.live = l.live.saturating_sub(1);
            }
            self.shrink_list(task.list as usize);
        }
        Some(task)
    }

    /// Compacts a list's queue when stale references outnumber live ones,
    /// and frees the list when it is idle.
    fn shrink_list(&mut self, k: usize) {
        let Some(l) = self.lists.get_mut(k) else {
            return;
        };
        if l.live == 0 && l.pollers == 0 {
            self.free_if_idle(k);
            return;
        }
        if l.queue.len() > 2 * l.live + 16 {
            let tasks = &self.tasks;
            l.queue.retain(|r| {
                tasks
                    .get_of(r.slot as usize, r.generation)
                    .is_some_and(|t| !t.is_started())
            });
            l.queue.shrink();
        }
    }

    /// Times out task `slot` with `kind`.
    fn time_out(&mut self, slot: usize, kind: TimeoutKind, now: Tick) {
        let Some(task) = self.tasks.get_mut(slot) else {
            return;
        };
        let exec = Arc::clone(&task.exec);
        let (scheduled, started) = (task.scheduled, task.started);
        let details = self.details.remove(&(slot as u32));
        let mut st = exec.state.lock();
        if !st.is_open() {
            self.drop_task(slot, &mut st);
            return;
        }
        let details = st.history.put_opt(details.as_deref());
        let event = EventKind::ActivityTimedOut {
            kind,
            details,
            scheduled,
            started,
        };
        self.close(slot, &mut st, event, now);
    }

    // ----- timers -----------------------------------------------------------

    /// Makes sure a timer entry exists at or before the task's earliest
    /// deadline.
    fn arm(&mut self, slot: usize) {
        let Some(task) = self.tasks.get_mut(slot) else {
            return;
        };
        let generation = task.generation;
        let next = task.next_deadline();
        if next.is_set() && next < task.armed {
            task.armed = next;
            self.push_timer(next, TimerRef::Task(slot as u32, generation));
        }
    }

    /// Counts one dead timer entry, and rebuilds the heap without dead
    /// entries once they are half of it (amortised O(1) per entry).
    fn collect_timer_garbage(&mut self) {
        self.timer_garbage += 1;
        if self.timer_garbage < 64 || self.timer_garbage * 2 < self.timers.len() {
            return;
        }
        let (tasks, waiters) = (&self.tasks, &self.waiters);
        let live = |r: &TimerRef| match *r {
            TimerRef::Task(slot, g) => tasks.get_of(slot as usize, g).is_some(),
            TimerRef::Poll(slot, g) => waiters.get_of(slot as usize, g).is_some(),
        };
        let kept: Vec<Reverse<(Tick, TimerRef)>> = std::mem::take(&mut self.timers)
            .into_vec()
            .into_iter()
            .filter(|Reverse((_, r))| live(r))
            .collect();
        self.timers = BinaryHeap::from(kept);
        self.timer_garbage = 0;
    }

    fn push_timer(&mut self, at: Tick, r: TimerRef) {
        self.timers.push(Reverse((at, r)));
        self.new_earliest = self.new_earliest.min(at);
    }

    /// The earliest timer pushed since the last call, for the timer thread.
    pub(crate) fn take_new_earliest(&mut self) -> Tick {
        std::mem::replace(&mut self.new_earliest, Tick::NEVER)
    }

    /// When the next timer entry is due.
    pub(crate) fn next_due(&self) -> Tick {
        self.timers
            .peek()
            .map_or(Tick::NEVER, |Reverse((at, _))| *at)
    }

    /// Fires every timer entry due at `now`: task timeouts and, under the
    /// manual clock, poll deadlines.
    pub(crate) fn fire_due(&mut self, now: Tick) {
        while let Some(Reverse((at, r))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            match r {
                TimerRef::Task(slot, generation) => {
                    let slot = slot as usize;
                    let Some(task) = self.tasks.get_mut_of(slot, generation) else {
                        continue;
                    };
                    if let Some(kind) = task.expired(now) {
                        self.time_out(slot, kind, now);
                    } else if at >= task.armed {
                        task.armed = Tick::NEVER;
                        self.arm(slot);
                    }
                }
                TimerRef::Poll(slot, generation) => {
                    let w = SlotRef { slot, generation };
                    if let Some(waiter) = self.waiter_at_mut(w) {
                        if matches!(waiter.state, WaiterState::Waiting) {
                            waiter.state = WaiterState::TimedOut;
                            waiter.wake.notify_one();
                        }
                    }
                }
            }
        }
    }

    // ----- waiters ----------------------------------------------------------

    fn waiter_at_mut(&mut self, r: SlotRef) -> Option<&mut Waiter> {
        self.waiters.get_mut_of(r.slot as usize, r.generation)
    }

    /// Queues a poller on list `k`. Under the manual clock a timer entry at
    /// its deadline ends the wait; under the system clock the poller's own
    /// timed wait does.
    pub(crate) fn add_waiter(
        &mut self,
        k: usize,
        identity: Option<String>,
        deadline: Option<Tick>,
    ) -> SlotRef {
        let (_, generation) = self.waiters.vacant();
        let slot = self.waiters.insert(Waiter {
            list: k,
            identity,
            state: WaiterState::Waiting,
            wake: crate::waiter::thread_wake(),
            generation,
        });
        let r = slot_ref(slot, generation);
        if let Some(l) = self.lists.get_mut(k) {
            l.waiters.push(r);
            l.pollers += 1;
        }
        if let Some(at) = deadline.filter(|at| at.is_set()) {
            self.push_timer(at, TimerRef::Poll(r.slot, r.generation));
        }
        r
    }

    /// The state of a waiter.
    pub(crate) fn waiter_state(&self, r: SlotRef) -> Option<&WaiterState> {
        self.waiters
            .get_of(r.slot as usize, r.generation)
            .map(|w| &w.state)
    }

    /// Ends a wait that is still `Waiting` as timed out.
    pub(crate) fn expire_waiter(&mut self, r: SlotRef) {
        if let Some(w) = self.waiter_at_mut(r) {
            if matches!(w.state, WaiterState::Waiting) {
                w.state = WaiterState::TimedOut;
            }
        }
    }

    /// Withdraws a waiting poller (cancel handle, shutdown, namespace
    /// closing): it returns the empty result.
    pub(crate) fn withdraw(&mut self, r: SlotRef) {
        if let Some(w) = self.waiter_at_mut(r) {
            if matches!(w.state, WaiterState::Waiting) {
                w.state = WaiterState::Withdrawn;
                w.wake.notify_one();
            }
        }
    }

    /// Withdraws every waiting poller (shutdown).
    pub(crate) fn withdraw_all(&mut self) -> usize {
        let refs: Vec<SlotRef> = self
            .waiters
            .iter()
            .filter(|(_, w)| matches!(w.state, WaiterState::Waiting))
            .map(|(k, w)| slot_ref(k, w.generation))
            .collect();
        for r in &refs {
            self.withdraw(*r);
        }
        refs.len()
    }

    /// Removes a waiter after its wait, returning its final state, and frees
    /// its list if that left it idle.
    pub(crate) fn remove_waiter(&mut self, r: SlotRef) -> Option<WaiterState> {
        self.waiters.get_of(r.slot as usize, r.generation)?;
        let w = self.waiters.try_remove(r.slot as usize)?;
        if !matches!(w.state, WaiterState::TimedOut) {
            // Its deadline entry (manual clock) is now dead weight.
            self.collect_timer_garbage();
        }
        if let Some(l) = self.lists.get_mut(w.list) {
            debug_assert!(l.pollers > 0, "a waiter was not counted");
            l.pollers = l.pollers.saturating_sub(1);
            if l.waiters.len() > 2 * l.pollers + 16 {
                let waiters = &self.waiters;
                l.waiters.retain(|r| {
                    waiters
                        .get_of(r.slot as usize, r.generation)
                        .is_some_and(|w| matches!(w.state, WaiterState::Waiting))
                });
                l.waiters.shrink();
            }
        }
        self.shrink_list(w.list);
        Some(w.state)
    }

    /// The condvar of a waiter, to wait on.
    pub(crate) fn waiter_wake(&self, r: SlotRef) -> Option<Arc<crate::sync::Condvar>> {
        self.waiters
            .get(r.slot as usize)
            .map(|w| Arc::clone(&w.wake))
    }
}

fn deadline(now: Tick, d: Option<Duration>) -> Tick {
    d.map_or(Tick::NEVER, |d| now.after(d))
}
