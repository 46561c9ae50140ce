//! Wake-up latency: how long after a schedule starts does a poller that is
//! already blocked on the list get the task back?
//!
//! One poller thread blocks in a long poll on list 0; the measuring thread
//! waits until the poller is parked (the implementation's own count of
//! waiting pollers where it has one, else the poller's "about to poll"
//! flag), spins `settle` more so the poller is asleep in the kernel, reads
//! the clock, and schedules. The poller reads the clock as its poll
//! returns. The latency is the difference: the schedule call, the wake-up
//! and the poll's return path. Every implementation is measured this same
//! way, so the engine's figure is comparable with a bare condvar's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{Workload, nanos, spin_for};

/// How long the measuring thread lets a parked poller settle.
pub const SETTLE: Duration = Duration::from_micros(100);

/// Runs `rounds` wake-ups of a blocked poller on `w`'s list 0 and returns
/// each latency in nanoseconds.
///
/// # Panics
///
/// If a poll or schedule fails or the poller times out (10 s).
pub fn wake_rounds<W: Workload>(w: &W, rounds: usize, settle: Duration) -> Vec<u64> {
    let ready = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let woke_at = AtomicU64::new(0);
    let mut out = Vec::with_capacity(rounds);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut cx = w.ctx(1);
            for r in 1..=rounds as u64 {
                ready.store(r, Ordering::SeqCst);
                let got = w
                    .poll(&mut cx, 0, Duration::from_secs(10))
                    .unwrap_or_else(|e| panic!("{}: poll: {e}", w.name()));
                let t1 = nanos();
                let task = got.unwrap_or_else(|| panic!("{}: the poller timed out", w.name()));
                woke_at.store(t1, Ordering::SeqCst);
                done.store(r, Ordering::SeqCst);
                w.complete(&mut cx, task.token)
                    .unwrap_or_else(|e| panic!("{}: complete: {e}", w.name()));
            }
        });
        let mut cx = w.ctx(0);
        for r in 1..=rounds as u64 {
            while ready.load(Ordering::SeqCst) < r {
                std::hint::spin_loop();
            }
            if w.waiting(0).is_some() {
                while w.waiting(0).unwrap_or(1) == 0 {
                    std::thread::yield_now();
                }
            }
            spin_for(settle);
            let t0 = nanos();
            w.schedule(&mut cx, 0, String::from("wake"))
                .unwrap_or_else(|e| panic!("{}: schedule: {e}", w.name()));
            while done.load(Ordering::SeqCst) < r {
                std::hint::spin_loop();
            }
            out.push(woke_at.load(Ordering::SeqCst).saturating_sub(t0));
        }
    });
    out
}
