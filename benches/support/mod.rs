//! Workload code shared by the criterion benches (`benches/ops.rs`,
//! `benches/scale.rs`) and the `loadgen` example, which includes this
//! directory with `#[path]`.
//!
//! Everything measured implements one trait, [`Workload`], so one workload
//! function runs over the engine, the naive broker and the channel floor in
//! one process (parking_lot's `benchmark/src/bin/mutex.rs`, redb's
//! `BenchDatabase`):
//!
//! | type                       | what it is                                                        |
//! |----------------------------|-------------------------------------------------------------------|
//! | [`engine::SwfEngine`]      | the engine through its public SWF API                             |
//! | [`sfn::SfnEngine`]         | the engine through its Step Functions API                         |
//! | [`naive::Naive`]           | one mutex over a map of task lists, one condvar, counter tokens   |
//! | [`floor::ChannelFloor`]    | a `crossbeam_channel` per list: send + recv, no history, no token |
//! | [`floor::Rendezvous`]      | a zero-capacity channel: the floor of a wake-up                   |
//! | [`floor::CondvarWake`]     | a bare mutex + condvar flag: the wake-up the engine is judged by  |
//!
//! Wall time is read only through [`now`] (and [`pause`] waits), which carry
//! the `clippy::disallowed_methods` expectation: the engine itself reads
//! time only through its clock.
#![allow(
    dead_code,
    reason = "each bench target and the example use a different subset; `expect` would fail in the targets that use everything"
)]

pub mod engine;
pub mod floor;
pub mod naive;
pub mod sfn;
pub mod stats;
pub mod wake;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Why an operation was refused, as text (the benches compare only
/// successes; the load generator counts failures).
pub type Fail = String;

/// A task a poll handed out.
#[derive(Debug)]
pub struct Polled<T> {
    /// What heartbeat and complete take.
    pub token: T,
    /// The task's input, as scheduled.
    pub input: String,
}

/// One implementation of "activity tasks": schedule, poll, heartbeat,
/// complete. `list` is an index into the task lists the implementation was
/// built with.
pub trait Workload: Send + Sync {
    /// Per-thread state: the engine keeps its current execution here.
    type Ctx: Send;
    /// What a poll hands out and a respond takes.
    type Token: Send;

    /// A short label for tables ("engine/swf", "naive/parking_lot", …).
    fn name(&self) -> String;
    /// State for one thread; `thread` is a small unique number.
    fn ctx(&self, thread: usize) -> Self::Ctx;
    /// Schedules one task with `input` on `list`.
    fn schedule(&self, cx: &mut Self::Ctx, list: usize, input: String) -> Result<(), Fail>;
    /// Polls `list`, waiting at most `timeout`; `Ok(None)` is the empty
    /// result.
    fn poll(
        &self,
        cx: &mut Self::Ctx,
        list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<Self::Token>>, Fail>;
    /// Records a heartbeat; `Ok(cancel_requested)`.
    fn heartbeat(&self, cx: &mut Self::Ctx, token: &Self::Token) -> Result<bool, Fail>;
    /// Completes a started task.
    fn complete(&self, cx: &mut Self::Ctx, token: Self::Token) -> Result<(), Fail>;
    /// Fails a started task.
    fn fail(&self, cx: &mut Self::Ctx, token: Self::Token) -> Result<(), Fail>;
    /// Pollers now blocked on `list`, where the implementation can tell.
    fn waiting(&self, list: usize) -> Option<usize>;
    /// Ends the run: every blocked poller returns soon, later calls may
    /// fail.
    fn release(&self);
}

/// The engine behind one of its faces, as the load generator builds it.
pub trait Engine: Workload + Sized {
    /// The most task lists the face allows.
    const MAX_LISTS: usize;
    /// An engine with default settings and `lists` task lists.
    fn build(lists: usize, manual_clock: bool) -> Self;
    /// Frees what a drained engine still keeps for `cx` (its closed
    /// executions), as far as the face lets a user: immediately on a manual
    /// clock.
    fn free(&self, cx: &mut Self::Ctx);
}

/// One full lifecycle on `list`: schedule, a zero-timeout poll that must
/// find a task, complete. With tasks already queued the poll finds the
/// oldest one, so the queue length stays the same.
///
/// # Panics
///
/// If any step fails or the poll finds nothing.
#[inline]
pub fn lifecycle<W: Workload>(w: &W, cx: &mut W::Ctx, list: usize, input: &str) {
    w.schedule(cx, list, input.to_owned())
        .unwrap_or_else(|e| panic!("{}: schedule: {e}", w.name()));
    let got = w
        .poll(cx, list, Duration::ZERO)
        .unwrap_or_else(|e| panic!("{}: poll: {e}", w.name()))
        .unwrap_or_else(|| panic!("{}: the poll found no task", w.name()));
    w.complete(cx, got.token)
        .unwrap_or_else(|e| panic!("{}: complete: {e}", w.name()));
}

/// Queues `n` tasks round-robin over `lists` lists, through `cx`.
///
/// Pass the context that will then run the lifecycles: the engine's context
/// keeps the executions it scheduled through, and terminates each (freeing
/// its history) once its tasks are drained, as a user who closes finished
/// workflows would. A throwaway context would leave the preloaded
/// executions open for ever, so that every new execution grows into fresh
/// pages instead of the buffers a drained one gives back.
///
/// # Panics
///
/// If a schedule fails.
pub fn preload<W: Workload>(w: &W, cx: &mut W::Ctx, lists: usize, n: usize, input: &str) {
    for i in 0..n {
        w.schedule(cx, i % lists.max(1), input.to_owned())
            .unwrap_or_else(|e| panic!("{}: preload: {e}", w.name()));
    }
}

// ----- wall time ---------------------------------------------------------------

/// The wall clock: the one place benches and the example read it.
#[expect(clippy::disallowed_methods, reason = "wall-time measurement")]
#[inline]
pub fn now() -> Instant {
    Instant::now()
}

/// The process's measurement origin.
pub fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(now)
}

/// Nanoseconds since [`origin`].
#[inline]
pub fn nanos() -> u64 {
    u64::try_from(now().saturating_duration_since(origin()).as_nanos()).unwrap_or(u64::MAX)
}

/// Sleeps: the load generator's progress line and its stop checks, never
/// used to order threads.
#[expect(
    clippy::disallowed_methods,
    reason = "wall-time pacing of a measurement loop"
)]
pub fn pause(d: Duration) {
    std::thread::sleep(d);
}

/// Busy-waits for `d` (lets a blocked thread settle into the kernel without
/// giving the core away).
pub fn spin_for(d: Duration) {
    let end = now() + d;
    while now() < end {
        std::hint::spin_loop();
    }
}

// ----- payloads ------------------------------------------------------------------

/// Builds task inputs of a fixed size, optionally stamped with the
/// schedule time (`@` and 16 hex digits of [`nanos`]) so a worker can
/// compute schedule-to-start latency from the task alone.
#[derive(Clone, Debug)]
pub struct Payload {
    size: usize,
    pad: String,
}

/// Bytes a stamp takes at the front of an input.
pub const STAMP_LEN: usize = 17;

impl Payload {
    /// Inputs of `size` bytes (at least [`STAMP_LEN`] when stamped).
    pub fn new(size: usize) -> Payload {
        Payload {
            size,
            pad: "x".repeat(size),
        }
    }

    /// The input size in bytes of an unstamped payload.
    pub fn size(&self) -> usize {
        self.size
    }

    /// An unstamped input.
    pub fn plain(&self) -> String {
        self.pad.clone()
    }

    /// An input stamped with `at` (nanoseconds since [`origin`]).
    pub fn stamped(&self, at: u64) -> String {
        let mut s = String::with_capacity(self.size.max(STAMP_LEN));
        s.push('@');
        for i in (0..16).rev() {
            let d = ((at >> (i * 4)) & 0xf) as u8;
            s.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
        }
        let rest = self.size.saturating_sub(STAMP_LEN);
        s.push_str(self.pad.get(..rest).unwrap_or(""));
        s
    }
}

/// The stamp of an input built by [`Payload::stamped`] (also inside a JSON
/// string, as the Step Functions face sends it).
pub fn stamp_of(input: &str) -> Option<u64> {
    let input = input.strip_prefix('"').unwrap_or(input);
    let hex = input.strip_prefix('@')?.get(..16)?;
    u64::from_str_radix(hex, 16).ok()
}

/// xorshift64*: a tiny deterministic generator for heartbeat and failure
/// draws and reservoir sampling.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeded; a zero seed is replaced.
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}

/// This thread's voluntary context switches so far (each is one sleep that
/// ended in a wake-up), from `/proc/thread-self/status`; 0 where that file
/// does not exist.
pub fn voluntary_switches() -> u64 {
    std::fs::read_to_string("/proc/thread-self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`, …); 0 where
/// unavailable.
pub fn proc_status_bytes(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                let rest = l.strip_prefix(field)?.strip_prefix(':')?;
                let kb: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
                Some(kb * 1024)
            })
        })
        .unwrap_or(0)
}

/// Resets `VmHWM` to the current RSS (Linux `clear_refs` 5), so the next
/// read gives the peak of one phase. `false` where not supported.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
