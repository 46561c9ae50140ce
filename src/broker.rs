//! The engine: [`Broker`], its builder, and the facade-neutral core that both
//! faces drive.
//!
//! [`Core`] owns the clock, the shards, the execution table and the timer
//! thread. Its operations take face-neutral arguments (a [`ListId`], a
//! [`TaskRequest`], a token string and its [`Face`]) and return core results;
//! the `swf` and `sfn` modules translate AWS shapes to and from them.

use std::fmt;
use std::hash::Hasher;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, unbounded};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

use crate::clock::{Clock, Subscriber, Tick, Wait};
use crate::error::CoreError;
use crate::execution::{ExecState, ExecTable, ExecTimer, Execution, FollowUp};
use crate::hash_index::HashIndex;
use crate::history::{
    CancelFailure, EventId, EventKind, ExecutionClose, ExecutionStart, HistoryPool,
    NextDecisionTasks, ScheduleFailure, TaskRequest,
};
use crate::names::ArnRule;
use crate::queue::SlotRef;
use crate::shard::{FoldHasher, ListId, Outcome, Shard, TokenError};
use crate::sync::{CachePadded, Mutex, MutexGuard};
use crate::timer::{self, TimerShared};
use crate::token::{Face, TokenParts};
use crate::waiter::{PollCancel, Started, Target, WaiterState, Withdraw};

/// Engine settings, fixed at build time.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) shards: usize,
    pub(crate) queue_capacity: usize,
    pub(crate) max_pollers: usize,
    pub(crate) long_poll: Duration,
    pub(crate) max_open_activities: usize,
    pub(crate) max_open_executions: usize,
    pub(crate) arn_rule: ArnRule,
    pub(crate) region: String,
    pub(crate) account: String,
}

/// One shard of the run index: executions by run id.
/// One shard of the run index: executions by the hash of their run id. The
/// hash is computed once per lookup (it also picks the shard), and no run
/// id is copied into a key.
type RunIndex = Mutex<HashIndex<Arc<Execution>>>;

/// A shard and the earliest deadline of its timers, published for the timer
/// thread without taking the lock.
#[derive(Debug)]
struct ShardCell {
    next_due: AtomicU64,
    shard: Mutex<Shard>,
}

/// A decision the core carries out against one execution.
#[derive(Debug)]
pub(crate) enum CoreDecision {
    /// Schedule a task on the list `spec.task_list` of the execution's
    /// namespace.
    Schedule { spec: TaskRequest },
    /// Record that a schedule could not be carried out.
    ScheduleFailed {
        activity_id: String,
        type_name: String,
        type_version: String,
        cause: ScheduleFailure,
    },
    /// Request the cancellation of an open activity.
    Cancel { activity_id: String },
    /// Record that a cancel request could not be carried out.
    CancelFailed {
        activity_id: String,
        cause: CancelFailure,
    },
}

/// The decision task that a batch of decisions completes (SWF; Step
/// Functions' decisions complete none).
#[derive(Debug, Default)]
pub(crate) struct DecisionTaskDone {
    /// Recorded in its `DecisionTaskCompleted` event.
    pub(crate) context: Option<String>,
    /// Where the execution's decision tasks are scheduled from now on.
    pub(crate) next: NextDecisionTasks,
}

/// What shutting an engine down found.
///
/// # Examples
///
/// ```
/// use activity_broker::Broker;
///
/// let broker = Broker::new();
/// let report = broker.shutdown();
/// assert_eq!(report.pollers_released, 0);
/// assert!(broker.is_shut_down());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Blocked pollers that returned the empty result.
    pub pollers_released: usize,
    /// Open executions closed with a terminated event.
    pub executions_terminated: usize,
    /// Tasks (queued or started) of those executions, whose tokens are now
    /// dead.
    pub tasks_closed: usize,
}

/// The facade-neutral engine.
pub(crate) struct Core {
    pub(crate) clock: Clock,
    pub(crate) config: Config,
    shards: Box<[CachePadded<ShardCell>]>,
    mask: usize,
    /// Lock order: after the facades' registries, before any shard.
    pub(crate) execs: Mutex<ExecTable>,
    closed_rx: Receiver<(u64, Tick)>,
    closed_tx: Sender<(u64, Tick)>,
    shut_down: AtomicBool,
    timer: Arc<TimerShared>,
    /// Draws run ids; a leaf lock.
    ids: Mutex<StdRng>,
    /// Executions by run id, sharded: the hot path's way to an execution
    /// (decisions name one), so that no global lock is on it. A leaf lock.
    runs: Box<[CachePadded<RunIndex>]>,
    /// Buffers of freed histories, for new ones.
    histories: Arc<HistoryPool>,
    me: Weak<Core>,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("clock", &self.clock)
            .field("shards", &self.shards.len())
            .field("shut_down", &self.is_shut_down())
            .finish_non_exhaustive()
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        self.timer.stop();
    }
}

impl Core {
    fn build(clock: Clock, config: Config, seed: Option<u64>) -> Result<Arc<Core>, BuildError> {
        let (closed_tx, closed_rx) = unbounded();
        let mut master = match seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_os_rng(),
        };
        let shards: Box<[CachePadded<ShardCell>]> = (0..config.shards)
            .map(|i| {
                let rng = StdRng::seed_from_u64(master.next_u64());
                CachePadded::new(ShardCell {
                    next_due: AtomicU64::new(u64::MAX),
                    shard: Mutex::new(Shard::new(i, rng)),
                })
            })
            .collect();
        let ids = StdRng::seed_from_u64(master.next_u64());
        let runs = (0..config.shards)
            .map(|_| CachePadded::new(Mutex::new(HashIndex::default())))
            .collect();
        let (timer, kicks) = TimerShared::new();
        let timer = Arc::new(timer);
        let mask = config.shards - 1;
        let core = Arc::new_cyclic(|me| Core {
            clock: clock.clone(),
            config,
            shards,
            mask,
            execs: Mutex::new(ExecTable::default()),
            closed_rx,
            closed_tx,
            shut_down: AtomicBool::new(false),
            timer: Arc::clone(&timer),
            ids: Mutex::new(ids),
            runs,
            histories: Arc::new(HistoryPool::default()),
            me: me.clone(),
        });
        match clock.manual() {
            Some(m) => {
                let weak: Weak<dyn Subscriber> = Arc::downgrade(&core) as Weak<dyn Subscriber>;
                m.subscribe(weak);
            }
            None => timer::spawn(Arc::downgrade(&core), kicks).map_err(|e| BuildError {
                what: format!("cannot start the timer thread: {e}"),
            })?,
        }
        Ok(core)
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }

    fn check_live(&self) -> Result<(), CoreError> {
        if self.is_shut_down() {
            Err(CoreError::ShutDown)
        } else {
            Ok(())
        }
    }

    fn cell(&self, index: usize) -> Option<&ShardCell> {
        self.shards.get(index).map(|c| &**c)
    }

    /// The shard index of a list: the only place a list hash becomes an
    /// index.
    fn shard_for(&self, id: &ListId<'_>) -> usize {
        (id.hash as usize) & self.mask
    }

    fn lock(&self, index: usize) -> Option<MutexGuard<'_, Shard>> {
        self.cell(index).map(|c| c.shard.lock())
    }

    /// Publishes timers a locked shard pushed, waking the timer thread if
    /// one is earlier than anything it sleeps until. Returns the earliest
    /// deadline published (`NEVER` if none), for [`Core::missed`].
    fn publish(&self, index: usize, shard: &mut Shard) -> Tick {
        let at = shard.take_new_earliest();
        if !at.is_set() {
            return at;
        }
        if let Some(cell) = self.cell(index) {
            let before = cell.next_due.fetch_min(at.0, Ordering::SeqCst);
            if at.0 < before && !self.clock.is_manual() {
                self.timer.kick(at);
            }
        }
        at
    }

    /// `true` when a deadline just published (`at`) is already due on the
    /// manual clock, so that an advance running concurrently may have
    /// missed it; the caller then fires it itself.
    ///
    /// An operation reads the clock under its shard lock, pushes a deadline
    /// computed from that reading, and publishes it; `ManualClock::advance`
    /// stores the new time, then reads the published deadlines. An advance
    /// that stores between the operation's reading and its publishing, and
    /// reads before the publishing, misses the deadline, which would then
    /// fire only at the next advance. So the operation reads the clock again
    /// *after* publishing: all four accesses are `SeqCst`, so either the
    /// advance's read comes after the publishing (and the advance fires the
    /// deadline), or this read comes after the advance's store (and sees
    /// the deadline due). A deadline already due when it is set (a zero
    /// timeout) is fired the same way, before the operation returns, as the
    /// system clock's timer thread fires it at once. The system clock needs
    /// none of this: the timer thread is kicked (see [`Core::publish`]).
    fn missed(&self, at: Tick) -> bool {
        at.is_set() && self.clock.is_manual() && at <= self.clock.tick()
    }

    /// A new random run id: 44 URL-safe characters (264 random bits).
    pub(crate) fn new_run_id(&self) -> String {
        let mut bytes = [0u8; 33];
        self.ids.lock().fill_bytes(&mut bytes);
        crate::token::base64url(&bytes)
    }

    // ----- namespaces -------------------------------------------------------

    /// Makes a namespace exist in every shard.
    pub(crate) fn open_namespace(&self, face: Face, ns: &str) {
        for cell in self.shards.iter() {
            cell.shard.lock().open_namespace(face, ns);
        }
    }

    /// Removes a namespace. Waiting pollers of its lists return the empty
    /// result; queued tasks are failed with `reason` and `details`, so none
    /// disappears without an event. Returns the number of tasks failed.
    pub(crate) fn close_namespace(
        &self,
        face: Face,
        ns: &str,
        reason: &str,
        details: &str,
    ) -> usize {
        let mut failed = 0;
        for (i, cell) in self.shards.iter().enumerate() {
            let mut shard = cell.shard.lock();
            let queued = shard.close_namespace(face, ns);
            let now = self.clock.tick();
            for r in queued {
                if shard.fail_queued(r, reason, details, now) {
                    failed += 1;
                }
            }
            self.publish(i, &mut shard);
        }
        self.retire_closed();
        failed
    }

    // ----- executions -------------------------------------------------------

    /// The run index shard of `run_id`, and the run id's hash.
    fn runs_of(&self, run_id: &str) -> Option<(u64, &RunIndex)> {
        let mut h = FoldHasher::default();
        h.write(run_id.as_bytes());
        let hash = h.finish();
        let i = (hash as usize) & self.mask;
        self.runs.get(i).map(|c| (hash, &**c))
    }

    /// Removes `exec` from the run index.
    fn unindex_run(&self, exec: &Execution) {
        if let Some((hash, runs)) = self.runs_of(&exec.run_id) {
            runs.lock().remove(hash, |e| e.id == exec.id);
        }
    }

    /// The execution `(face, namespace, workflow id, run id)`, open or
    /// retained. Locks only one shard of the run index. Never a Step
    /// Functions execution, which is not indexed by run id
    /// ([`indexed_by_run`](crate::execution::indexed_by_run)).
    pub(crate) fn find_execution(
        &self,
        face: Face,
        namespace: &str,
        workflow_id: &str,
        run_id: &str,
    ) -> Option<Arc<Execution>> {
        let (hash, runs) = self.runs_of(run_id)?;
        runs.lock()
            .find(hash, |e| {
                e.face == face
                    && e.run_id == run_id
                    && e.namespace == namespace
                    && e.workflow_id == workflow_id
            })
            .cloned()
    }

    /// Forgets an open execution that has no task and whose start is being
    /// undone (its schedule was refused), as if it had never started: it
    /// leaves the table and the run index, and records nothing.
    pub(crate) fn discard_execution(&self, exec: &Arc<Execution>) {
        self.with_table(|t| t.remove(exec.id));
        self.unindex_run(exec);
    }

    /// Starts an execution: records `ExecutionStarted` (and, for SWF, the
    /// first `DecisionTaskScheduled`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start_execution(
        &self,
        face: Face,
        namespace: &str,
        workflow_id: &str,
        retention: Option<Duration>,
        follow_up: FollowUp,
        start: ExecutionStart,
        timeout: Option<Duration>,
    ) -> Result<Arc<Execution>, CoreError> {
        self.check_live()?;
        let mut table = self.execs.lock();
        self.drain_closed(&mut table);
        if table.find_open(face, namespace, workflow_id).is_some() {
            return Err(CoreError::AlreadyStarted);
        }
        if table.open_in(face, namespace) >= self.config.max_open_executions {
            return Err(CoreError::TooManyExecutions);
        }
        let now = self.clock.tick();
        table.next_id += 1;
        let mut st = ExecState::new(table.next_id, now, self.closed_tx.clone(), &self.histories);
        st.push(now, EventKind::ExecutionStarted(Box::new(start)));
        if follow_up == FollowUp::DecisionTask {
            let id = st.push_decision_task(now);
            st.decision_scheduled = Some(id);
        }
        let exec = Arc::new(Execution {
            id: table.next_id,
            face,
            namespace: namespace.to_owned(),
            workflow_id: workflow_id.to_owned(),
            run_id: self.new_run_id(),
            retention,
            follow_up,
            state: Mutex::new(st),
        });
        if let Some(d) = timeout {
            table.timers.push(std::cmp::Reverse((
                now.after(d),
                ExecTimer::Timeout,
                exec.id,
            )));
        }
        table.insert(Arc::clone(&exec));
        if crate::execution::indexed_by_run(face) {
            if let Some((hash, runs)) = self.runs_of(&exec.run_id) {
                runs.lock().insert(hash, Arc::clone(&exec));
            }
        }
        if !self.clock.is_manual() {
            self.timer.kick(table.next_due());
        }
        Ok(exec)
    }

    /// Closes an open execution: records `how`, then frees its tasks (their
    /// tokens die).
    pub(crate) fn close_execution(
        &self,
        exec: &Arc<Execution>,
        how: ExecutionClose,
    ) -> Result<usize, CoreError> {
        self.close_execution_at(exec, how, None)
    }

    /// [`close_execution`](Core::close_execution) at tick `at` (a deadline
    /// being fired), or now.
    fn close_execution_at(
        &self,
        exec: &Arc<Execution>,
        how: ExecutionClose,
        at: Option<Tick>,
    ) -> Result<usize, CoreError> {
        let (open, at) = {
            let mut st = exec.state.lock();
            if !st.is_open() {
                return Err(CoreError::ExecutionClosed);
            }
            let now = at.unwrap_or_else(|| self.clock.tick());
            st.close(now, how);
            let open: Vec<(usize, SlotRef)> =
                st.open.iter().map(|(_, o)| (o.shard(), o.task)).collect();
            (open, now)
        };
        let n = open.len();
        self.sweep(exec, &open);
        // The close notice `close` sent retires it now.
        let _ = at;
        self.with_table(|_| ());
        Ok(n)
    }

    /// Moves a closed execution into retention ([`ExecTable::closed`]); one
    /// with a zero retention leaves the run index too, at once ("no history
    /// is kept after the execution closes", AWS-API.md A1).
    ///
    /// The caller kicks the timer thread (system clock) afterwards: without
    /// that, a sleeping thread would free the history only when some other
    /// deadline woke it.
    fn retire(&self, table: &mut ExecTable, exec: &Execution, at: Tick) {
        table.closed(exec, at);
        if exec.retention.is_some_and(|d| d.is_zero()) {
            self.unindex_run(exec);
        }
    }

    /// Frees the tasks of a closed execution from their shards.
    fn sweep(&self, exec: &Execution, open: &[(usize, SlotRef)]) {
        for &(si, r) in open {
            if let Some(mut shard) = self.lock(si) {
                let mut st = exec.state.lock();
                shard.drop_ref(r, &mut st);
            }
        }
    }

    pub(crate) fn timer_stopped(&self) -> bool {
        self.timer.is_stopped()
    }

    /// The timer thread is awake: every kick counts until it sleeps again.
    pub(crate) fn timer_awake(&self) {
        self.timer.set_planned(Tick::NEVER);
    }

    pub(crate) fn timer_sleeps_until(&self, at: Tick) {
        self.timer.set_planned(Tick(at.0.min(u64::MAX - 1)));
    }

    /// Retires the close notices that an operation's closes sent, once the
    /// operation has released its locks (a close happens under shard and
    /// execution locks, which come after the table's in the lock order).
    /// Costs one atomic load when nothing closed.
    fn retire_closed(&self) {
        if !self.closed_rx.is_empty() {
            let mut table = self.execs.lock();
            self.drain_closed(&mut table);
        }
    }

    fn retire_one(&self, table: &mut ExecTable, id: u64, at: Tick) {
        if let Some(exec) = table.by_id.get(&id).cloned() {
            self.retire(table, &exec, at);
            let open: Vec<(usize, SlotRef)> = {
                let mut st = exec.state.lock();
                st.shed_open_indexes();
                st.open.iter().map(|(_, o)| (o.shard(), o.task)).collect()
            };
            self.sweep(&exec, &open);
        }
    }

    /// Moves closed executions into retention and sweeps any tasks they
    /// still have out of the shards (an execution closed by reaching the
    /// history limit, for one). Every close sends its notice
    /// ([`ExecState::close`]); this is where they land, under the table lock,
    /// which the lock order lets take shard locks.
    fn drain_closed(&self, table: &mut ExecTable) {
        let mut any = false;
        while let Ok((id, at)) = self.closed_rx.try_recv() {
            self.retire_one(table, id, at);
            any = true;
        }
        if any && !self.clock.is_manual() {
            self.timer.kick(table.next_due());
        }
    }

    /// Runs `f` on the execution table, with closed executions accounted.
    pub(crate) fn with_table<R>(&self, f: impl FnOnce(&mut ExecTable) -> R) -> R {
        let mut table = self.execs.lock();
        self.drain_closed(&mut table);
        f(&mut table)
    }

    // ----- decisions --------------------------------------------------------

    /// Applies decisions to an open execution, all or nothing: the shards of
    /// every list involved are locked (ascending), then the execution; if
    /// any list would overflow, nothing is recorded. With a decision task
    /// `done`, its started and completed events are recorded first, and
    /// every decision event refers to the completed one. Returns that
    /// event's id (`NONE` without).
    pub(crate) fn apply(
        &self,
        exec: &Arc<Execution>,
        decisions: Vec<CoreDecision>,
        done: Option<DecisionTaskDone>,
    ) -> Result<EventId, CoreError> {
        self.check_live()?;
        if let [CoreDecision::Schedule { .. }] = decisions.as_slice() {
            if let Some(d) = decisions.into_iter().next() {
                return self.apply_single(exec, d, done);
            }
            return Err(CoreError::ExecutionClosed);
        }
        let mut targets: Vec<(usize, Option<usize>)> = decisions
            .iter()
            .map(|d| match d {
                CoreDecision::Schedule { spec } => {
                    let id = ListId::new(exec.face, &exec.namespace, &spec.task_list);
                    (self.shard_for(&id), None)
                }
                _ => (usize::MAX, None),
            })
            .collect();
        loop {
            // Where do the cancel targets live? Read without shard locks,
            // verified below once every lock is held.
            {
                let st = exec.state.lock();
                if !st.is_open() {
                    return Err(CoreError::ExecutionClosed);
                }
                for (d, t) in decisions.iter().zip(targets.iter_mut()) {
                    if let CoreDecision::Cancel { activity_id } = d {
                        *t = (usize::MAX, st.open_activity(activity_id).map(|o| o.shard()));
                    }
                }
            }
            let mut indices: Vec<usize> = targets
                .iter()
                .filter_map(|&(s, c)| if s != usize::MAX { Some(s) } else { c })
                .collect();
            indices.sort_unstable();
            indices.dedup();
            let mut guards: Vec<(usize, MutexGuard<'_, Shard>)> = Vec::with_capacity(indices.len());
            for &i in &indices {
                if let Some(g) = self.lock(i) {
                    guards.push((i, g));
                }
            }
            let mut st = exec.state.lock();
            if !st.is_open() {
                return Err(CoreError::ExecutionClosed);
            }
            let moved = decisions.iter().any(|d| match d {
                CoreDecision::Cancel { activity_id } => st
                    .open_activity(activity_id)
                    .is_some_and(|o| !indices.contains(&o.shard())),
                _ => false,
            });
            if moved {
                continue;
            }
            // Step Functions refuses a start whose list is full, counted per
            // list before anything is recorded; SWF records
            // `ScheduleActivityTaskFailed` for each schedule that finds its
            // list full (`schedule_one`). Both check the namespace here.
            let refuse_full = exec.face == Face::Sfn;
            let mut demand: Vec<(usize, &str, usize)> = Vec::new();
            for d in &decisions {
                if let CoreDecision::Schedule { spec } = d {
                    let list = &spec.task_list;
                    let id = ListId::new(exec.face, &exec.namespace, list);
                    let si = self.shard_for(&id);
                    match demand
                        .iter_mut()
                        .find(|(s, l, _)| *s == si && *l == list.as_str())
                    {
                        Some(e) => e.2 += 1,
                        None => demand.push((si, list.as_str(), 1)),
                    }
                }
            }
            for &(si, list, n) in &demand {
                let id = ListId::new(exec.face, &exec.namespace, list);
                let Some((_, g)) = guards.iter().find(|(i, _)| *i == si) else {
                    return Err(CoreError::QueueFull);
                };
                if !g.has_namespace(exec.face, &exec.namespace) {
                    return Err(CoreError::UnknownNamespace);
                }
                if refuse_full && g.pending(&id) + n > self.config.queue_capacity {
                    return Err(CoreError::QueueFull);
                }
            }
            let now = self.clock.tick();
            let decision = self::record_decision_task(&mut st, done, now);
            let mut failed = false;
            for d in decisions {
                failed |= self.apply_one(exec, &mut st, &mut guards, d, decision, now);
            }
            if failed {
                show_failure(exec, &mut st, now);
            }
            drop(st);
            let mut published = Tick::NEVER;
            for (i, g) in &mut guards {
                published = published.min(self.publish(*i, g));
            }
            drop(guards);
            if self.missed(published) {
                self.fire(self.clock.tick());
            }
            self.retire_closed();
            return Ok(decision);
        }
    }

    /// [`apply`](Core::apply) for a single decision, without the vector.
    pub(crate) fn apply_decision(
        &self,
        exec: &Arc<Execution>,
        decision: CoreDecision,
        done: Option<DecisionTaskDone>,
    ) -> Result<EventId, CoreError> {
        self.check_live()?;
        if let CoreDecision::Schedule { .. } = decision {
            return self.apply_single(exec, decision, done);
        }
        self.apply(exec, vec![decision], done)
    }

    /// [`apply`](Core::apply) for the common single schedule: one shard
    /// lock, one execution lock, no allocation.
    fn apply_single(
        &self,
        exec: &Arc<Execution>,
        d: CoreDecision,
        done: Option<DecisionTaskDone>,
    ) -> Result<EventId, CoreError> {
        let CoreDecision::Schedule { spec } = &d else {
            return Err(CoreError::ExecutionClosed);
        };
        let id = ListId::new(exec.face, &exec.namespace, &spec.task_list);
        let si = self.shard_for(&id);
        let g = self.lock(si).ok_or(CoreError::UnknownNamespace)?;
        let mut guards = [(si, g)];
        let mut st = exec.state.lock();
        if !st.is_open() {
            return Err(CoreError::ExecutionClosed);
        }
        let [(_, g)] = &mut guards;
        // One list lookup serves the namespace check, the capacity check and
        // the schedule (a closed or missing list checks the namespace).
        let k = g.list_or_create(&id).ok_or(CoreError::UnknownNamespace)?;
        if exec.face == Face::Sfn && g.live(k) >= self.config.queue_capacity {
            g.release_list(k);
            return Err(CoreError::QueueFull);
        }
        let now = self.clock.tick();
        let decision = record_decision_task(&mut st, done, now);
        let CoreDecision::Schedule { spec } = d else {
            return Err(CoreError::ExecutionClosed);
        };
        if self.schedule_one(exec, &mut st, g, k, spec, decision, now) {
            show_failure(exec, &mut st, now);
        }
        drop(st);
        let [(i, g)] = &mut guards;
        let published = self.publish(*i, g);
        drop(guards);
        if self.missed(published) {
            self.fire(self.clock.tick());
        }
        self.retire_closed();
        Ok(decision)
    }

    /// Applies one decision; returns `true` if it recorded a failure
    /// (`ScheduleActivityTaskFailed`, `RequestCancelActivityTaskFailed`).
    fn apply_one(
        &self,
        exec: &Arc<Execution>,
        st: &mut ExecState,
        guards: &mut [(usize, MutexGuard<'_, Shard>)],
        d: CoreDecision,
        decision: EventId,
        now: Tick,
    ) -> bool {
        match d {
            _ if !st.is_open() => {
                // An earlier event reached the history limit: the execution
                // has ended and records nothing more.
                false
            }
            CoreDecision::Schedule { spec } => {
                let id = ListId::new(exec.face, &exec.namespace, &spec.task_list);
                let si = self.shard_for(&id);
                // `apply` checked both under these locks.
                guards
                    .iter_mut()
                    .find(|(i, _)| *i == si)
                    .and_then(|(_, g)| g.list_or_create(&id).map(|k| (g, k)))
                    .is_some_and(|(g, k)| self.schedule_one(exec, st, g, k, spec, decision, now))
            }
            CoreDecision::ScheduleFailed {
                activity_id,
                type_name,
                type_version,
                cause,
            } => {
                // An open id is judged after the type and before its defaults
                // (moto's order); only here is the execution's state at hand.
                let cause =
                    if cause.is_default_undefined() && st.open_activity(&activity_id).is_some() {
                        ScheduleFailure::IdInUse
                    } else {
                        cause
                    };
                st.push(
                    now,
                    EventKind::ScheduleFailed(Box::new(crate::history::ScheduleFailed {
                        activity_id,
                        type_name,
                        type_version,
                        cause,
                        decision,
                    })),
                );
                true
            }
            CoreDecision::Cancel { activity_id } => {
                let target = st.open_activity(&activity_id).map(|o| (o.shard(), o.task));
                let done = match target {
                    Some((si, r)) => match guards.iter_mut().find(|(i, _)| *i == si) {
                        Some((_, g)) => g.request_cancel(r, st, &activity_id, decision, now),
                        None => false,
                    },
                    None => false,
                };
                if !done {
                    let activity_id = st.history.put(&activity_id);
                    st.push(
                        now,
                        EventKind::CancelFailed {
                            activity_id,
                            cause: CancelFailure::IdUnknown,
                            decision,
                        },
                    );
                }
                !done
            }
            CoreDecision::CancelFailed { activity_id, cause } => {
                let activity_id = st.history.put(&activity_id);
                st.push(
                    now,
                    EventKind::CancelFailed {
                        activity_id,
                        cause,
                        decision,
                    },
                );
                true
            }
        }
    }

    /// Schedules `spec` on list `k` of the locked shard `g`, or records why
    /// it cannot be (its id is open, the open-activity limit is reached, or
    /// the list is full); returns `true` if it recorded that failure. Past
    /// the history limit it records nothing.
    #[allow(clippy::too_many_arguments)]
    fn schedule_one(
        &self,
        exec: &Arc<Execution>,
        st: &mut ExecState,
        g: &mut Shard,
        k: usize,
        spec: TaskRequest,
        decision: EventId,
        now: Tick,
    ) -> bool {
        if !st.is_open() {
            // The history limit ended the execution: nothing more is recorded.
            g.release_list(k);
            return false;
        }
        let failure = if st.open_activity(&spec.activity_id).is_some() {
            Some(ScheduleFailure::IdInUse)
        } else if st.open.len() >= self.config.max_open_activities {
            Some(ScheduleFailure::OpenLimitExceeded)
        } else if g.live(k) >= self.config.queue_capacity {
            // AWS-API.md A1: a well-formed decision that cannot be carried
            // out does not fail the call. (Step Functions refused the start
            // before anything was recorded.)
            Some(ScheduleFailure::CreationRateExceeded)
        } else {
            None
        };
        let Some(cause) = failure else {
            g.schedule(k, exec, st, spec, decision, now);
            return false;
        };
        g.release_list(k);
        st.push(
            now,
            EventKind::ScheduleFailed(Box::new(crate::history::ScheduleFailed {
                activity_id: spec.activity_id,
                type_name: spec.type_name,
                type_version: spec.type_version,
                cause,
                decision,
            })),
        );
        true
    }

    // ----- polling ----------------------------------------------------------

    /// Long-polls list `id` until `deadline`: a queued task is started at
    /// once; otherwise the poller waits for a schedule to hand it one, its
    /// deadline, or a withdrawal. `Ok(None)` is the empty result.
    pub(crate) fn poll(
        &self,
        id: &ListId<'_>,
        identity: Option<String>,
        wait: Wait,
        cancel: Option<&PollCancel>,
    ) -> Result<Option<Started>, CoreError> {
        self.check_live()?;
        let si = self.shard_for(id);
        let Some(cell) = self.cell(si) else {
            return Err(CoreError::UnknownNamespace);
        };
        let mut shard = cell.shard.lock();
        // Checked again under the lock: shutdown withdraws every waiter it
        // finds, so none may register after it has passed.
        self.check_live()?;
        let now = self.clock.tick();
        let k = shard
            .list_or_create(id)
            .ok_or(CoreError::UnknownNamespace)?;
        // A canceled handle takes nothing, not even a queued task: "no task
        // is handed to it" (`PollCancel`), so a worker that is stopping
        // never starts a task it will not work.
        if cancel.is_some_and(PollCancel::is_canceled) {
            shard.release_list(k);
            return Ok(None);
        }
        let mut identity = identity;
        if let Some(started) = shard.take(k, &mut identity, now) {
            let published = self.publish(si, &mut shard);
            drop(shard);
            if self.missed(published) {
                self.fire(self.clock.tick());
            }
            self.retire_closed();
            return Ok(Some(started.into_started()));
        }
        let deadline = wait.deadline(now);
        if deadline <= now {
            shard.release_list(k);
            self.publish(si, &mut shard);
            return Ok(None);
        }
        if shard.pollers(k) >= self.config.max_pollers {
            shard.release_list(k);
            return Err(CoreError::TooManyPollers);
        }
        let manual = self.clock.is_manual();
        let w = shard.add_waiter(k, identity, manual.then_some(deadline));
        if self.missed(self.publish(si, &mut shard)) && self.clock.tick() >= deadline {
            // An advance that ran while this poll registered passed its
            // deadline without seeing it (see `missed`): the wait is over
            // before it starts. Still under the shard lock, so a schedule
            // has not delivered to it.
            shard.expire_waiter(w);
        }
        if let Some(c) = cancel {
            let me: Weak<dyn Withdraw> = self.me.clone() as Weak<dyn Withdraw>;
            let armed = c.arm(Target {
                notify: me,
                shard: si,
                waiter: w,
            });
            if !armed {
                shard.withdraw(w);
            }
        }
        let wake = shard.waiter_wake(w);
        let until = self.clock.instant_of(deadline);
        while let (Some(WaiterState::Waiting), Some(wake)) = (shard.waiter_state(w), wake.as_ref())
        {
            if manual {
                wake.wait(&mut shard);
            } else if wake.wait_until(&mut shard, until).timed_out()
                && self.clock.tick() >= deadline
            {
                // Decided under the shard lock: a schedule that got here
                // first has already delivered, and then this changes nothing.
                shard.expire_waiter(w);
            }
        }
        if let Some(c) = cancel {
            c.disarm();
        }
        let state = shard.remove_waiter(w);
        self.publish(si, &mut shard);
        match state {
            Some(WaiterState::Delivered(started)) => {
                drop(shard);
                self.retire_closed();
                Ok(Some(started.into_started()))
            }
            _ => Ok(None),
        }
    }

    /// Pollers now waiting on list `id`.
    pub(crate) fn waiting_pollers(&self, id: &ListId<'_>) -> usize {
        self.lock(self.shard_for(id))
            .map_or(0, |s| s.pollers_of(id))
    }

    /// Tasks queued on list `id` and not started.
    pub(crate) fn pending(&self, id: &ListId<'_>) -> usize {
        self.lock(self.shard_for(id)).map_or(0, |s| s.pending(id))
    }

    /// `true` when the namespace exists.
    pub(crate) fn has_namespace(&self, face: Face, ns: &str) -> bool {
        self.lock(0).is_some_and(|s| s.has_namespace(face, ns))
    }

    // ----- working a task ---------------------------------------------------

    fn with_task<R>(
        &self,
        face: Face,
        token: &str,
        f: impl FnOnce(&mut Shard, usize, Tick) -> Result<R, TokenError>,
    ) -> Result<R, CoreError> {
        self.check_live()?;
        let parts = TokenParts::decode(token)
            .filter(|p| p.face == face)
            .ok_or(CoreError::Token(TokenError::Malformed))?;
        let si = usize::from(parts.shard);
        let mut shard = self
            .lock(si)
            .ok_or(CoreError::Token(TokenError::NoSuchTask))?;
        let now = self.clock.tick();
        let result = shard
            .resolve(&parts, now)
            .and_then(|slot| f(&mut shard, slot, now));
        self.publish(si, &mut shard);
        drop(shard);
        self.retire_closed();
        Ok(result?)
    }

    /// Records a heartbeat; returns `cancelRequested`.
    pub(crate) fn heartbeat(
        &self,
        face: Face,
        token: &str,
        details: Option<String>,
    ) -> Result<bool, CoreError> {
        self.with_task(face, token, |shard, slot, now| {
            shard.heartbeat(slot, details, now)
        })
    }

    /// Closes a started task with a worker's outcome.
    pub(crate) fn respond(
        &self,
        face: Face,
        token: &str,
        outcome: Outcome,
    ) -> Result<(), CoreError> {
        self.with_task(face, token, |shard, slot, now| {
            shard.respond(slot, outcome, now)
        })
    }

    /// The namespace (SWF domain) of a token's live task.
    pub(crate) fn task_namespace(&self, face: Face, token: &str) -> Result<String, CoreError> {
        self.with_task(face, token, |shard, slot, _| {
            shard
                .task_exec(slot)
                .map(|e| e.namespace.clone())
                .ok_or(TokenError::NoSuchTask)
        })
    }

    // ----- time -------------------------------------------------------------

    /// Fires everything due at `now`: task timeouts, poll deadlines (manual
    /// clock), execution timeouts and the end of retention periods.
    ///
    /// Deadlines fire one tick at a time, earliest first, across every shard
    /// and the execution table, each at its own tick: one long
    /// `ManualClock::advance` (or a late timer-thread pass) then records
    /// what real time would have. An execution that timed out at 50 s
    /// records no activity timeout due at 80 s, and two lists in different
    /// shards time out in deadline order, not in shard order.
    pub(crate) fn fire(&self, now: Tick) {
        loop {
            let at = self.next_due();
            if at > now {
                return;
            }
            self.fire_at(at);
        }
    }

    /// Fires everything due at `at`, the earliest deadline in the engine.
    /// Every entry due at or before `at` is popped, so [`Core::fire`]
    /// always moves on.
    fn fire_at(&self, at: Tick) {
        for cell in self.shards.iter() {
            if cell.next_due.load(Ordering::SeqCst) > at.0 {
                continue;
            }
            let mut shard = cell.shard.lock();
            shard.fire_due(at);
            shard.take_new_earliest();
            cell.next_due.store(shard.next_due().0, Ordering::SeqCst);
        }
        loop {
            let due = {
                let mut table = self.execs.lock();
                self.drain_closed(&mut table);
                match table.pop_due(at) {
                    Some((ExecTimer::Retention, id)) => {
                        if let Some(exec) = table.remove(id) {
                            self.unindex_run(&exec);
                        }
                        continue;
                    }
                    Some((ExecTimer::Timeout, id)) => table.by_id.get(&id).cloned(),
                    None => break,
                }
            };
            if let Some(exec) = due {
                let _ = self.close_execution_at(&exec, ExecutionClose::TimedOut, Some(at));
            }
        }
    }

    /// The earliest deadline anywhere in the engine.
    pub(crate) fn next_due(&self) -> Tick {
        let shards = self
            .shards
            .iter()
            .map(|c| c.next_due.load(Ordering::SeqCst))
            .min()
            .unwrap_or(u64::MAX);
        let table = {
            let mut table = self.execs.lock();
            // A close notice not yet drained carries a retention deadline
            // that is in no heap yet: without this, `fire` would never see
            // it (an execution closed by its activity, then nothing else
            // touching the table, was kept past its retention).
            self.drain_closed(&mut table);
            table.next_due()
        };
        Tick(shards).min(table)
    }

    // ----- shutdown ---------------------------------------------------------

    pub(crate) fn shutdown(&self) -> ShutdownReport {
        let mut report = ShutdownReport::default();
        if self.shut_down.swap(true, Ordering::SeqCst) {
            return report;
        }
        for cell in self.shards.iter() {
            report.pollers_released += cell.shard.lock().withdraw_all();
        }
        let open: Vec<Arc<Execution>> = {
            let mut table = self.execs.lock();
            self.drain_closed(&mut table);
            table
                .open
                .values()
                .filter_map(|id| table.by_id.get(id).cloned())
                .collect()
        };
        for exec in open {
            let how = ExecutionClose::Terminated {
                reason: Some("activity-broker shut down".to_owned()),
                details: None,
                cause: Some("OPERATOR_INITIATED"),
                child_policy: None,
            };
            if let Ok(n) = self.close_execution(&exec, how) {
                report.executions_terminated += 1;
                report.tasks_closed += n;
            }
        }
        self.timer.stop();
        report
    }
}

/// Records a decision task's started and completed events (scheduling it
/// first if none is scheduled), then takes up where the decider asked the
/// next decision tasks to be scheduled; returns the completed event's id,
/// which the decisions' events refer to, or `NONE` if the history limit
/// ended the execution first. Without a decision task, records nothing.
fn record_decision_task(st: &mut ExecState, done: Option<DecisionTaskDone>, now: Tick) -> EventId {
    let Some(DecisionTaskDone { context, next }) = done else {
        return EventId::NONE;
    };
    // Every event goes through `ExecState::push`, which enforces the
    // history limit: any of the three may be the one that ends the
    // execution, and then nothing more is recorded (the decisions see a
    // closed execution and record nothing either).
    // A decision task scheduled here is the one being completed: it is on
    // the list in force before this request's `next` takes over.
    let scheduled = match st.decision_scheduled.take() {
        Some(s) => s,
        None => st.push_decision_task(now),
    };
    if !st.is_open() {
        return EventId::NONE;
    }
    let started = st.push(now, EventKind::DecisionTaskStarted { scheduled });
    if !st.is_open() {
        return EventId::NONE;
    }
    let context = st.history.put_opt(context.as_deref());
    let completed = st.push(
        now,
        EventKind::DecisionTaskCompleted {
            scheduled,
            started,
            context,
        },
    );
    // Before the decisions are applied: a cancel that closes a queued task
    // at once schedules the next decision task, which goes where this
    // request asked.
    st.redirect_decisions(next);
    completed
}

/// After a call's decisions, some of which failed: AWS-API.md A1, "the
/// decider sees that event in its next decision task", scheduled after the
/// call's other events (as moto does). Step Functions has no decider: its
/// face handles a failed schedule itself.
fn show_failure(exec: &Execution, st: &mut ExecState, now: Tick) {
    if exec.follow_up == FollowUp::DecisionTask {
        st.schedule_decision_task(now);
    }
}

impl Subscriber for Core {
    fn on_advance(&self, now: Tick) {
        self.fire(now);
    }
}

impl Withdraw for Core {
    fn withdraw(&self, shard: usize, waiter: SlotRef) {
        if let Some(mut s) = self.lock(shard) {
            s.withdraw(waiter);
        }
    }
}

/// An in-process activity-task engine: the root handle.
///
/// A `Broker` owns the engine; [`swf`](Broker::swf) and
/// [`sfn`](Broker::sfn) hand out clients of its two faces, which share its
/// shards, clock, timers and histories but not their namespaces. Cloning a
/// broker is cheap and every clone drives the same engine.
///
/// # Examples
///
/// ```
/// use activity_broker::{Broker, ManualClock};
///
/// let clock = ManualClock::new();
/// let broker = Broker::builder().clock(clock.clone()).seed(7).build()?;
/// let swf = broker.swf();
/// # let _ = swf;
/// # Ok::<(), activity_broker::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Broker {
    pub(crate) core: Arc<Core>,
    pub(crate) swf: Arc<crate::swf::Registry>,
    pub(crate) sfn: Arc<crate::sfn::Registry>,
}

impl fmt::Debug for Broker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Broker").field("core", &self.core).finish()
    }
}

impl Default for Broker {
    fn default() -> Self {
        Broker::new()
    }
}

impl Broker {
    /// An engine with the default settings on the system clock.
    ///
    /// # Panics
    ///
    /// Panics only if the operating system refuses to start the timer
    /// thread; [`BrokerBuilder::build`] reports that as an error instead.
    #[expect(
        clippy::expect_used,
        reason = "the defaults are valid; only thread creation can fail, which Default cannot report"
    )]
    pub fn new() -> Broker {
        Broker::builder()
            .build()
            .expect("the timer thread could not be started")
    }

    /// A builder with every setting at its default.
    pub fn builder() -> BrokerBuilder {
        BrokerBuilder::default()
    }

    /// A client of the Amazon SWF face.
    pub fn swf(&self) -> crate::swf::Client {
        crate::swf::Client::new(Arc::clone(&self.core), Arc::clone(&self.swf))
    }

    /// A client of the AWS Step Functions face.
    pub fn sfn(&self) -> crate::sfn::Client {
        crate::sfn::Client::new(Arc::clone(&self.core), Arc::clone(&self.sfn))
    }

    /// The engine's clock.
    pub fn clock(&self) -> &Clock {
        &self.core.clock
    }

    /// Shuts the engine down: every blocked poller returns the empty result
    /// at once, every open execution is closed with a terminated event
    /// (reason `activity-broker shut down`, so no queued or started task
    /// vanishes without an event saying so), and later calls that would
    /// change state fail. Histories stay readable. A second call does
    /// nothing and reports zeros.
    ///
    /// # Examples
    ///
    /// See [`ShutdownReport`].
    pub fn shutdown(&self) -> ShutdownReport {
        self.core.shutdown()
    }

    /// `true` after [`shutdown`](Broker::shutdown).
    pub fn is_shut_down(&self) -> bool {
        self.core.is_shut_down()
    }
}

/// Builds a [`Broker`] with chosen settings.
///
/// # Examples
///
/// ```
/// use activity_broker::{Broker, ManualClock};
/// use std::time::Duration;
///
/// let broker = Broker::builder()
///     .shards(16)
///     .queue_capacity(10_000)
///     .max_pollers(64)
///     .long_poll(Duration::from_secs(20))
///     .clock(ManualClock::new())
///     .seed(42)
///     .build()?;
/// # drop(broker);
/// assert!(Broker::builder().shards(3).build().is_err());
/// # Ok::<(), activity_broker::BuildError>(())
/// ```
#[derive(Clone, Debug)]
pub struct BrokerBuilder {
    shards: usize,
    queue_capacity: usize,
    max_pollers: usize,
    long_poll: Duration,
    max_open_activities: usize,
    max_open_executions: usize,
    arn_rule: ArnRule,
    region: String,
    account: String,
    clock: Clock,
    seed: Option<u64>,
}

impl Default for BrokerBuilder {
    fn default() -> Self {
        BrokerBuilder {
            shards: 64,
            queue_capacity: 1 << 20,
            max_pollers: 1000,
            long_poll: Duration::from_secs(60),
            max_open_activities: 1000,
            max_open_executions: 100_000,
            arn_rule: ArnRule::NotContain,
            region: "us-east-1".to_owned(),
            account: "123456789012".to_owned(),
            clock: Clock::system(),
            seed: None,
        }
    }
}

impl BrokerBuilder {
    /// Number of shards: a power of two from 1 to 65,536. Default 64.
    pub fn shards(mut self, n: usize) -> Self {
        self.shards = n;
        self
    }

    /// Tasks one task list can hold; at least 1. Default 1,048,576. A
    /// schedule on a full list records SWF's `ScheduleActivityTaskFailed`
    /// (cause `ACTIVITY_CREATION_RATE_EXCEEDED`); a Step Functions start
    /// whose activity's list is full fails with `ExecutionLimitExceeded`.
    pub fn queue_capacity(mut self, n: usize) -> Self {
        self.queue_capacity = n;
        self
    }

    /// Pollers that may wait on one task list at once; at least 1. Default
    /// 1,000.
    pub fn max_pollers(mut self, n: usize) -> Self {
        self.max_pollers = n;
        self
    }

    /// How long `poll_for_activity_task` and `get_activity_task` wait for a
    /// task; more than zero and at most 60 s, the longest poll AWS holds
    /// (AWS-API.md A1, A3). Default 60 s. The `*_timeout` and `*_deadline`
    /// variants of the polls take their own wait.
    ///
    /// ```
    /// use activity_broker::Broker;
    /// use std::time::Duration;
    ///
    /// assert!(Broker::builder().long_poll(Duration::from_secs(20)).build().is_ok());
    /// assert!(Broker::builder().long_poll(Duration::from_secs(61)).build().is_err());
    /// ```
    pub fn long_poll(mut self, d: Duration) -> Self {
        self.long_poll = d;
        self
    }

    /// Open activities one SWF execution may have; more schedules record
    /// `OPEN_ACTIVITIES_LIMIT_EXCEEDED`. At least 1. Default 1,000.
    pub fn max_open_activities(mut self, n: usize) -> Self {
        self.max_open_activities = n;
        self
    }

    /// Open executions one SWF domain may have (AWS-API.md A1, "SWF
    /// quotas": 100,000); a start beyond it fails with `LimitExceededFault`
    /// until one closes. At least 1. Default 100,000.
    pub fn max_open_executions(mut self, n: usize) -> Self {
        self.max_open_executions = n;
        self
    }

    /// Relaxes the `arn` name rule to the current botocore wording: a name
    /// must not *be* `arn`, rather than not *contain* it. Default off. The
    /// strict reading covers the names `../shared/AWS-API.md` lists for it
    /// (task lists, domains, type names and versions, activity ids); a
    /// workflow id always has the botocore wording.
    pub fn relaxed_arn_rule(mut self, relaxed: bool) -> Self {
        self.arn_rule = if relaxed {
            ArnRule::NotEqual
        } else {
            ArnRule::NotContain
        };
        self
    }

    /// The Step Functions region in activity ARNs. Default `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The twelve-digit account id in activity ARNs. Default
    /// `123456789012`.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = account.into();
        self
    }

    /// The clock: [`Clock::system`] (the default) or a
    /// [`ManualClock`](crate::ManualClock).
    pub fn clock(mut self, clock: impl Into<Clock>) -> Self {
        self.clock = clock.into();
        self
    }

    /// Seeds every random choice (task-token nonces, run ids), so that the
    /// same calls in the same order give the same tokens and ids on every
    /// run. Unseeded engines draw from the operating system.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Builds the engine.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] names the first setting out of range, or says that
    /// the timer thread could not be started.
    pub fn build(self) -> Result<Broker, BuildError> {
        let bad = |what: &str| {
            Err(BuildError {
                what: what.to_owned(),
            })
        };
        if !self.shards.is_power_of_two() || self.shards > 65_536 {
            return bad("shards must be a power of two from 1 to 65536");
        }
        if self.queue_capacity == 0 {
            return bad("queue_capacity must be at least 1");
        }
        if self.max_pollers == 0 {
            return bad("max_pollers must be at least 1");
        }
        if self.long_poll.is_zero() || self.long_poll > Duration::from_secs(60) {
            return bad("long_poll must be more than zero and at most 60 s");
        }
        if self.max_open_activities == 0 {
            return bad("max_open_activities must be at least 1");
        }
        if self.max_open_executions == 0 {
            return bad("max_open_executions must be at least 1");
        }
        if self.account.len() != 12 || !self.account.bytes().all(|b| b.is_ascii_digit()) {
            return bad("account must be twelve digits");
        }
        if self.region.is_empty()
            || !self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return bad("region must be lowercase letters, digits and '-'");
        }
        let config = Config {
            shards: self.shards,
            queue_capacity: self.queue_capacity,
            max_pollers: self.max_pollers,
            long_poll: self.long_poll,
            max_open_activities: self.max_open_activities,
            max_open_executions: self.max_open_executions,
            arn_rule: self.arn_rule,
            region: self.region,
            account: self.account,
        };
        let core = Core::build(self.clock, config, self.seed)?;
        Ok(Broker {
            core,
            swf: Arc::new(crate::swf::Registry::default()),
            sfn: Arc::new(crate::sfn::Registry::default()),
        })
    }
}

/// A [`BrokerBuilder`] setting out of range, or a timer thread that could
/// not start.
///
/// # Examples
///
/// ```
/// use activity_broker::Broker;
///
/// let err = Broker::builder().max_pollers(0).build().unwrap_err();
/// assert_eq!(err.to_string(), "max_pollers must be at least 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    what: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for BuildError {}
