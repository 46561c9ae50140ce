//! The thread that fires activity timeouts under the system clock.
//!
//! Timers live in the shards (a min-heap each, see [`crate::shard`]); each
//! shard publishes its earliest deadline in an atomic beside its mutex. The
//! timer thread sleeps until the earliest of those, then locks only the
//! shards that are due and fires what has expired, so a timeout fires within
//! a condvar wake-up (well under a millisecond, a few under load) of its
//! deadline with no API call needed.
//!
//! A shard that pushes a deadline earlier than the one the thread sleeps
//! until kicks it awake; a later deadline costs nothing. While the thread is
//! awake, every kick is remembered, so a deadline pushed while it computes
//! its next sleep is never missed.
//!
//! Under the manual clock no thread runs: `ManualClock::advance` fires the
//! same code synchronously.
//!
//! The thread holds only a weak reference to the engine between passes; when
//! the last handle drops, the engine tells the thread to stop.

use std::sync::{Arc, Weak};
use std::thread;

use crate::broker::Core;
use crate::clock::Tick;
use crate::sync::{Condvar, Mutex};

/// Shared between the engine and its timer thread.
#[derive(Debug, Default)]
pub(crate) struct TimerShared {
    state: Mutex<TimerState>,
    wake: Condvar,
}

#[derive(Debug)]
struct TimerState {
    /// The tick the thread sleeps until; `NEVER` while it is awake.
    planned: Tick,
    /// A deadline earlier than `planned` arrived.
    kicked: bool,
    stop: bool,
}

impl Default for TimerState {
    fn default() -> Self {
        TimerState {
            planned: Tick::NEVER,
            kicked: false,
            stop: false,
        }
    }
}

impl TimerShared {
    /// A deadline at `at` was pushed: wake the thread if it sleeps past it.
    pub(crate) fn kick(&self, at: Tick) {
        let mut s = self.state.lock();
        if at < s.planned || s.planned == Tick::NEVER {
            s.kicked = true;
            self.wake.notify_one();
        }
    }

    /// Ends the thread.
    pub(crate) fn stop(&self) {
        self.state.lock().stop = true;
        self.wake.notify_one();
    }
}

/// Starts the timer thread of `core`.
pub(crate) fn spawn(core: Weak<Core>, shared: Arc<TimerShared>) -> std::io::Result<()> {
    thread::Builder::new()
        .name("activity-broker-timer".into())
        .spawn(move || run(&core, &shared))
        .map(drop)
}

fn run(core: &Weak<Core>, shared: &TimerShared) {
    loop {
        // Hold the engine only while firing, so dropping it is not delayed.
        let (next, until) = {
            let Some(core) = core.upgrade() else {
                return;
            };
            let now = core.clock.tick();
            core.fire(now);
            let next = core.next_due();
            (next, core.clock.instant_of(next))
        };
        let mut s = shared.state.lock();
        if s.stop {
            return;
        }
        if s.kicked {
            s.kicked = false;
            continue;
        }
        s.planned = next;
        if next == Tick::NEVER {
            shared.wake.wait(&mut s);
        } else {
            let _ = shared.wake.wait_until(&mut s, until);
        }
        s.planned = Tick::NEVER;
        s.kicked = false;
        if s.stop {
            return;
        }
    }
}
