//! One long poller's slot, its states, and the handle that withdraws it.
//!
//! A poller that finds no task puts a [`Waiter`] in its shard's waiter slab
//! and its reference at the back of the list's waiter queue, then sleeps on
//! its own condvar (paired with the shard mutex). Exactly one party moves it
//! out of `Waiting`, always under the shard lock, so a delivery and a timeout
//! can never both win:
//!
//! | from      | to          | by                                              |
//! |-----------|-------------|-------------------------------------------------|
//! | `Waiting` | `Delivered` | a schedule that found it first in the queue     |
//! | `Waiting` | `TimedOut`  | the poller at its deadline, or a manual advance |
//! | `Waiting` | `Withdrawn` | a [`PollCancel`], engine shutdown, or the list's namespace closing |
//!
//! Only the poller itself removes the slot, after it has woken and read the
//! final state.

use std::fmt;
use std::sync::{Arc, Weak};

use crate::execution::Execution;
use crate::history::EventId;
use crate::sync::{Condvar, Mutex};
use crate::token::TokenParts;

/// What a poll that found a task returns.
#[derive(Debug)]
pub(crate) struct Started {
    pub(crate) token: String,
    pub(crate) started: EventId,
    pub(crate) exec: Arc<Execution>,
    pub(crate) activity_id: String,
    pub(crate) type_name: String,
    pub(crate) type_version: String,
    pub(crate) input: Option<String>,
}

/// A task just started for a poller, before its output is built.
///
/// The poller builds the output ([`Handoff::into_started`]) after it has
/// left the shard lock: formatting the token and copying the task's strings
/// out of the history then happen outside the lock, on the poller's own
/// thread, and a schedule that hands a task to a waiting poller does not do
/// them while it holds the shard and execution locks.
#[derive(Debug)]
pub(crate) struct Handoff {
    pub(crate) exec: Arc<Execution>,
    pub(crate) scheduled: EventId,
    pub(crate) started: EventId,
    pub(crate) token: TokenParts,
}

impl Handoff {
    /// The poll's output. Takes the execution's lock alone (it is taken
    /// without a shard lock, which the lock order allows). The history is
    /// append-only and the task's spec never changes, so what this reads is
    /// what the start recorded, even if the execution has closed since.
    pub(crate) fn into_started(self) -> Started {
        let token = self.token.encode();
        let (activity_id, type_name, type_version, input) = {
            let st = self.exec.state.lock();
            let h = &st.history;
            let spec = h.spec_or_empty(self.scheduled);
            let (type_name, type_version, _) = h.kind(spec);
            (
                h.owned(spec.activity_id),
                type_name.to_owned(),
                type_version.to_owned(),
                h.owned_opt(spec.input),
            )
        };
        Started {
            token,
            started: self.started,
            exec: self.exec,
            activity_id,
            type_name,
            type_version,
            input,
        }
    }
}

/// Where a waiting poller stands.
#[derive(Debug)]
pub(crate) enum WaiterState {
    Waiting,
    Delivered(Handoff),
    TimedOut,
    Withdrawn,
}

/// A poller waiting on a list. Guarded by the shard lock.
#[derive(Debug)]
pub(crate) struct Waiter {
    /// The list it waits on (a key into the shard's list slab).
    pub(crate) list: usize,
    /// Recorded in the `ActivityTaskStarted` event if a task comes.
    pub(crate) identity: Option<String>,
    pub(crate) state: WaiterState,
    /// The poller's own condvar: one notify wakes exactly this poller.
    pub(crate) wake: Arc<Condvar>,
    /// Its slot's generation (`Slots`): references to the waiter carry it.
    pub(crate) generation: u32,
}

impl crate::slots::Generational for Waiter {
    fn generation(&self) -> u32 {
        self.generation
    }

    fn set_generation(&mut self, generation: u32) {
        self.generation = generation;
    }
}

thread_local! {
    // One condvar per thread, reused by every poll it makes: a blocking
    // poll clones an `Arc` instead of allocating.
    static WAKE: Arc<Condvar> = Arc::new(Condvar::new());
}

/// This thread's condvar.
pub(crate) fn thread_wake() -> Arc<Condvar> {
    WAKE.with(Arc::clone)
}

/// Withdraws a long poll from another thread.
///
/// Pass it to a `*_cancelable` poll; [`cancel`](PollCancel::cancel) then ends
/// that poll at once with the empty result (no task), and no task is handed
/// to it afterwards. A handle canceled before the poll starts makes the poll
/// return at once. One handle serves one poll at a time; it stays canceled.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::{PollForActivityTaskInput, RegisterDomainInput, TaskList};
/// use activity_broker::{Broker, PollCancel};
///
/// let swf = Broker::new().swf();
/// swf.register_domain(RegisterDomainInput {
///     name: "d".into(),
///     workflow_execution_retention_period_in_days: "1".into(),
///     ..Default::default()
/// })?;
/// let cancel = PollCancel::new();
/// let poller = {
///     let (swf, cancel) = (swf.clone(), cancel.clone());
///     std::thread::spawn(move || {
///         let input = PollForActivityTaskInput {
///             domain: "d".into(),
///             task_list: TaskList::new("l"),
///             ..Default::default()
///         };
///         swf.poll_for_activity_task_cancelable(input, swf.now() + std::time::Duration::from_secs(60), &cancel)
///     })
/// };
/// cancel.cancel();
/// let got = poller.join().expect("poller thread")?;
/// assert!(got.is_empty());
/// # Ok::<(), activity_broker::swf::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct PollCancel {
    inner: Arc<Mutex<CancelState>>,
}

#[derive(Default)]
struct CancelState {
    canceled: bool,
    target: Option<Target>,
}

/// The waiter a cancel must reach.
pub(crate) struct Target {
    pub(crate) notify: Weak<dyn Withdraw>,
    pub(crate) shard: usize,
    pub(crate) waiter: crate::queue::SlotRef,
}

/// An engine that can withdraw one of its waiters.
pub(crate) trait Withdraw: Send + Sync {
    fn withdraw(&self, shard: usize, waiter: crate::queue::SlotRef);
}

impl PollCancel {
    /// A handle that has not been canceled.
    pub fn new() -> PollCancel {
        PollCancel::default()
    }

    /// Ends the poll this handle was passed to, if it is waiting, with the
    /// empty result; a poll that starts later returns at once.
    pub fn cancel(&self) {
        let target = {
            let mut s = self.inner.lock();
            s.canceled = true;
            s.target.take()
        };
        // The handle's lock is released before the shard's is taken: the
        // poller takes them in the other order (shard, then handle).
        if let Some(t) = target {
            if let Some(engine) = t.notify.upgrade() {
                engine.withdraw(t.shard, t.waiter);
            }
        }
    }

    /// `true` once [`cancel`](PollCancel::cancel) has been called.
    pub fn is_canceled(&self) -> bool {
        self.inner.lock().canceled
    }

    /// Called by the poller under the shard lock: registers the waiter to
    /// withdraw, or answers `false` when the handle is already canceled.
    pub(crate) fn arm(&self, target: Target) -> bool {
        let mut s = self.inner.lock();
        if s.canceled {
            return false;
        }
        s.target = Some(target);
        true
    }

    /// Called by the poller when its wait ends, so a late cancel does not
    /// reach a slot that has been reused.
    pub(crate) fn disarm(&self) {
        self.inner.lock().target = None;
    }
}

impl fmt::Debug for PollCancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollCancel")
            .field("canceled", &self.is_canceled())
            .finish()
    }
}
