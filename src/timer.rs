//! The thread that fires activity timeouts under the system clock.
//!
//! Timers live in the shards (a min-heap each, see [`crate::shard`]); each
//! shard publishes its earliest deadline in an atomic beside its mutex. The
//! timer thread sleeps until the earliest of those, then locks only the
//! shards that are due and fires what has expired, so a timeout fires within
//! one wake-up (well under a millisecond, a few under load) of its deadline
//! with no API call needed.
//!
//! The thread sleeps on a kick channel of capacity one, with its next
//! deadline as the receive's deadline. A shard that pushes a deadline
//! earlier than the one the thread sleeps until sends a kick (a later
//! deadline costs nothing). While the thread is awake every kick is sent, and
//! a kick waits in the channel, so a deadline pushed while the thread
//! computes its next sleep is never missed.
//!
//! Close notices of executions are not the thread's business: the operation
//! whose close sent one retires it as soon as it has released its locks, and
//! a close the thread itself fires is retired in the same pass. So closing an
//! execution (every Step Functions task) never wakes the thread.
//!
//! Under the manual clock no thread runs: `ManualClock::advance` fires the
//! same code synchronously.
//!
//! The thread holds only a weak reference to the engine between passes; when
//! the last handle drops, the engine tells the thread to stop.

use std::sync::Weak;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError, bounded};

use crate::broker::Core;
use crate::clock::Tick;

/// The engine's side of its timer thread.
#[derive(Debug)]
pub(crate) struct TimerShared {
    kick_tx: Sender<()>,
    /// The tick the thread sleeps until; `u64::MAX` while it is awake, so
    /// that every kick counts then.
    planned: AtomicU64,
    stop: AtomicBool,
}

/// The thread's side: where kicks arrive.
#[derive(Debug)]
pub(crate) struct Kicks(Receiver<()>);

impl TimerShared {
    pub(crate) fn new() -> (TimerShared, Kicks) {
        let (kick_tx, kick_rx) = bounded(1);
        (
            TimerShared {
                kick_tx,
                planned: AtomicU64::new(u64::MAX),
                stop: AtomicBool::new(false),
            },
            Kicks(kick_rx),
        )
    }

    /// A deadline at `at` was pushed: wake the thread if it sleeps past it.
    pub(crate) fn kick(&self, at: Tick) {
        if at.0 < self.planned.load(Ordering::SeqCst) {
            self.send_kick();
        }
    }

    fn send_kick(&self) {
        // Full means a kick is already waiting: one is enough.
        match self.kick_tx.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
        }
    }

    /// Ends the thread.
    pub(crate) fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.send_kick();
    }
}

/// Starts the timer thread of `core`.
pub(crate) fn spawn(core: Weak<Core>, kicks: Kicks) -> std::io::Result<()> {
    thread::Builder::new()
        .name("activity-broker-timer".into())
        .spawn(move || run(&core, &kicks.0))
        .map(drop)
}

fn run(core: &Weak<Core>, kicks: &Receiver<()>) {
    loop {
        // Hold the engine only while firing, so dropping it is not delayed.
        let until = {
            let Some(core) = core.upgrade() else {
                return;
            };
            if core.timer_stopped() {
                return;
            }
            core.timer_awake();
            let now = core.clock.tick();
            core.fire(now);
            let next = core.next_due();
            core.timer_sleeps_until(next);
            core.clock.instant_of(next)
        };
        if let Err(RecvTimeoutError::Disconnected) = kicks.recv_deadline(until) {
            return;
        }
    }
}

impl TimerShared {
    pub(crate) fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    pub(crate) fn set_planned(&self, at: Tick) {
        self.planned.store(at.0, Ordering::SeqCst);
    }
}
