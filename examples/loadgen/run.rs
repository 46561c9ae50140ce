//! The phases, each generic over [`Workload`] so every implementation runs
//! the same code.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::alloc;
use crate::args::Config;
use crate::support::stats::{Histogram, Reservoir};
use crate::support::{
    Payload, Rng, STAMP_LEN, Workload, lifecycle, nanos, now, pause, proc_status_bytes,
    reset_peak_rss, stamp_of, voluntary_switches,
};

/// A counter on its own cache line, written by one thread.
#[repr(align(128))]
#[derive(Default)]
struct Padded(AtomicU64);

fn sum(v: &[Padded]) -> u64 {
    v.iter().map(|p| p.0.load(Ordering::Relaxed)).sum()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Prints a progress line (carriage return, stderr) unless quiet.
pub fn progress(quiet: bool, line: &str) {
    if !quiet {
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K{line}");
        let _ = e.flush();
    }
}

/// Ends the progress line.
pub fn progress_done(quiet: bool) {
    if !quiet {
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K");
        let _ = e.flush();
    }
}

/// Large numbers with a suffix: 1.23 M.
pub fn si(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.2} G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

// ----- single thread -------------------------------------------------------------

/// Single-thread lifecycle throughput.
#[derive(Clone, Debug, Default)]
pub struct StResult {
    pub lifecycles: u64,
    pub secs: f64,
    pub rate: f64,
}

impl StResult {
    /// Adds another round.
    pub fn merge(&mut self, o: &StResult) {
        self.lifecycles += o.lifecycles;
        self.secs += o.secs;
        self.rate = self.lifecycles as f64 / self.secs.max(1e-9);
    }
}

/// Lifecycles (schedule, zero-timeout poll that finds it, complete) on one
/// list, in one thread, for `dur`.
pub fn single_thread<W: Workload>(
    w: &W,
    dur: Duration,
    payload: &Payload,
    quiet: bool,
) -> StResult {
    let mut cx = w.ctx(0);
    let input = payload.plain();
    for _ in 0..500 {
        lifecycle(w, &mut cx, 0, &input);
    }
    let t0 = now();
    let mut n = 0u64;
    let mut next_print = Duration::from_millis(100);
    loop {
        for _ in 0..256 {
            lifecycle(w, &mut cx, 0, &input);
        }
        n += 256;
        let e = now() - t0;
        if e >= next_print {
            progress(
                quiet,
                &format!(
                    "[st {}] {:.1} s  {}/s",
                    w.name(),
                    secs(e),
                    si(n as f64 / secs(e))
                ),
            );
            next_print += Duration::from_millis(100);
        }
        if e >= dur {
            progress_done(quiet);
            return StResult {
                lifecycles: n,
                secs: secs(e),
                rate: n as f64 / secs(e),
            };
        }
    }
}

// ----- producers and workers ----------------------------------------------------------

/// What one producers + workers run measured.
#[derive(Clone, Debug, Default)]
pub struct MtResult {
    /// Lifecycles closed in the measured window.
    pub lifecycles: u64,
    pub secs: f64,
    pub rate: f64,
    pub schedules: u64,
    /// Poll call to its return with a task.
    pub poll_to_start: Histogram,
    /// Schedule call to the return of the poll that got the task.
    pub schedule_to_start: Histogram,
    pub p2s_samples: Vec<(u64, u64)>,
    pub s2s_samples: Vec<(u64, u64)>,
    /// Voluntary context switches of the worker threads (each ends in a
    /// wake-up), over the whole run.
    pub worker_sleeps: u64,
    pub producer_sleeps: u64,
    /// Schedules over the whole run (the divisor of the sleeps).
    pub schedules_total: u64,
    pub empty_polls: u64,
    pub heartbeats: u64,
    pub failed: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// `VmHWM` after the run, `VmHWM` having been reset before it.
    pub peak_rss: u64,
    /// RSS before the run started (after any preload).
    pub start_rss: u64,
}

impl MtResult {
    /// Adds another round of the same workload.
    pub fn merge(&mut self, o: MtResult) {
        self.lifecycles += o.lifecycles;
        self.secs += o.secs;
        self.rate = self.lifecycles as f64 / self.secs.max(1e-9);
        self.schedules += o.schedules;
        self.poll_to_start.merge(&o.poll_to_start);
        self.schedule_to_start.merge(&o.schedule_to_start);
        self.p2s_samples.extend(o.p2s_samples);
        self.s2s_samples.extend(o.s2s_samples);
        self.worker_sleeps += o.worker_sleeps;
        self.producer_sleeps += o.producer_sleeps;
        self.schedules_total += o.schedules_total;
        self.empty_polls += o.empty_polls;
        self.heartbeats += o.heartbeats;
        self.failed += o.failed;
        self.errors += o.errors;
        if self.first_error.is_none() {
            self.first_error = o.first_error;
        }
        self.peak_rss = self.peak_rss.max(o.peak_rss);
        self.start_rss = self.start_rss.max(o.start_rss);
    }
}

struct WorkerOut {
    p2s: Histogram,
    s2s: Histogram,
    p2s_res: Reservoir,
    s2s_res: Reservoir,
    sleeps: u64,
    empty: u64,
    heartbeats: u64,
    failed: u64,
}

/// How long a blocked poll waits before it looks at the stop flag again
/// (the engine's and the naive broker's release end it sooner).
const BLOCK: Duration = Duration::from_millis(100);

/// `cfg.producers` threads schedule round-robin over `cfg.lists` lists
/// (producer `p`'s `i`-th task goes to list `(i * P + p) % L`);
/// `cfg.workers` threads poll the lists in the same pattern (worker `w`'s
/// `j`-th task comes from list `(j * W + w) % L`), blocking when they are
/// ahead, then heartbeat and complete or fail. Producers pause while more
/// than `cfg.backlog` tasks wait.
pub fn multi_thread<W: Workload>(w: &W, cfg: &Config, duration: Duration) -> MtResult {
    let (np, nw, nl) = (cfg.producers, cfg.workers, cfg.lists);
    let payload = Payload::new(cfg.payload);
    let stamp = cfg.payload >= STAMP_LEN;
    let stop = AtomicBool::new(false);
    let measuring = AtomicBool::new(cfg.tasks > 0);
    let scheduled: Vec<Padded> = (0..np).map(|_| Padded::default()).collect();
    let started: Vec<Padded> = (0..nw).map(|_| Padded::default()).collect();
    let closed: Vec<Padded> = (0..nw).map(|_| Padded::default()).collect();
    let errors = AtomicU64::new(0);
    let first_error: Mutex<Option<String>> = Mutex::new(None);
    let error = |e: String| {
        if !stop.load(Ordering::Relaxed) {
            errors.fetch_add(1, Ordering::Relaxed);
            let mut f = first_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if f.is_none() {
                *f = Some(e);
            }
        }
    };
    let per_producer = if cfg.tasks > 0 {
        cfg.tasks.div_ceil(np as u64)
    } else {
        u64::MAX
    };
    let backlog = cfg.backlog.max(1);
    let rate_each = cfg.rate / np as f64;
    let t_start = now();
    let mut result = MtResult::default();
    // Give back what earlier runs freed, so this run's peak is its own.
    alloc::trim();
    reset_peak_rss();
    result.start_rss = proc_status_bytes("VmRSS");
    std::thread::scope(|s| {
        let mut producers = Vec::new();
        for p in 0..np {
            let (stop, scheduled, started, error, payload) =
                (&stop, &scheduled, &started, &error, &payload);
            producers.push(s.spawn(move || {
                let sw0 = voluntary_switches();
                let mut cx = w.ctx(p);
                let mine = &scheduled[p].0;
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) && i < per_producer {
                    if i % 32 == 0 {
                        while sum(scheduled).saturating_sub(sum(started)) > backlog
                            && !stop.load(Ordering::Relaxed)
                        {
                            std::thread::yield_now();
                        }
                    }
                    if rate_each > 0.0 {
                        // Open loop at a fixed rate: wait for this task's turn.
                        while (i as f64) >= secs(now() - t_start) * rate_each
                            && !stop.load(Ordering::Relaxed)
                        {
                            pause(Duration::from_micros(20));
                        }
                    }
                    let list = ((i as usize).wrapping_mul(np) + p) % nl;
                    let input = if stamp {
                        payload.stamped(nanos())
                    } else {
                        payload.plain()
                    };
                    match w.schedule(&mut cx, list, input) {
                        Ok(()) => {
                            i += 1;
                            mine.store(i, Ordering::Relaxed);
                        }
                        Err(e) => {
                            error(e);
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                        }
                    }
                }
                voluntary_switches().saturating_sub(sw0)
            }));
        }
        let mut workers = Vec::new();
        for k in 0..nw {
            let (stop, measuring, started, closed, error) =
                (&stop, &measuring, &started, &closed, &error);
            let (hb_rate, fail_rate, seed, samples) =
                (cfg.heartbeat, cfg.fail, cfg.seed, cfg.csv_samples);
            workers.push(s.spawn(move || {
                let sw0 = voluntary_switches();
                let mut cx = w.ctx(np + k);
                let mut rng = Rng::new(seed.wrapping_add(k as u64 + 1).wrapping_mul(0x9E37_79B9));
                let mut out = WorkerOut {
                    p2s: Histogram::new(),
                    s2s: Histogram::new(),
                    p2s_res: Reservoir::new(samples / nw.max(1), seed ^ (2 * k as u64 + 7)),
                    s2s_res: Reservoir::new(samples / nw.max(1), seed ^ (2 * k as u64 + 8)),
                    sleeps: 0,
                    empty: 0,
                    heartbeats: 0,
                    failed: 0,
                };
                let (got, done) = (&started[k].0, &closed[k].0);
                let mut j = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let list = ((j as usize).wrapping_mul(nw) + k) % nl;
                    let t0 = nanos();
                    match w.poll(&mut cx, list, BLOCK) {
                        Ok(Some(task)) => {
                            let t1 = nanos();
                            j += 1;
                            got.store(j, Ordering::Relaxed);
                            if measuring.load(Ordering::Relaxed) {
                                out.p2s.record(t1 - t0);
                                out.p2s_res.offer(t1, t1 - t0);
                                if let Some(at) = stamp_of(&task.input) {
                                    out.s2s.record(t1.saturating_sub(at));
                                    out.s2s_res.offer(t1, t1.saturating_sub(at));
                                }
                            }
                            let mut beats = hb_rate.floor() as u64;
                            if rng.unit() < hb_rate.fract() {
                                beats += 1;
                            }
                            for _ in 0..beats {
                                match w.heartbeat(&mut cx, &task.token) {
                                    Ok(_) => out.heartbeats += 1,
                                    Err(e) => error(e),
                                }
                            }
                            let r = if fail_rate > 0.0 && rng.unit() < fail_rate {
                                out.failed += 1;
                                w.fail(&mut cx, task.token)
                            } else {
                                w.complete(&mut cx, task.token)
                            };
                            match r {
                                Ok(()) => {
                                    done.fetch_add(1, Ordering::Relaxed);
                                }
                                Err(e) => error(e),
                            }
                        }
                        Ok(None) => out.empty += 1,
                        Err(e) => {
                            error(e);
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                        }
                    }
                }
                out.sleeps = voluntary_switches().saturating_sub(sw0);
                out
            }));
        }

        // Measure: a warm-up tenth (timed runs), then the window.
        let t0 = now();
        let warm = if cfg.tasks > 0 {
            Duration::ZERO
        } else {
            duration / 10
        };
        let mut base = 0u64;
        let mut t_base = t0;
        let mut warmed = warm.is_zero();
        let mut next_print = Duration::from_millis(250);
        let (t_end, done_end) = loop {
            pause(Duration::from_millis(1));
            let e = now() - t0;
            if !warmed && e >= warm {
                base = sum(&closed);
                t_base = now();
                measuring.store(true, Ordering::Relaxed);
                warmed = true;
            }
            let done = sum(&closed);
            if e >= next_print {
                let rate = if warmed && now() > t_base {
                    (done - base) as f64 / secs(now() - t_base)
                } else {
                    done as f64 / secs(e)
                };
                progress(
                    cfg.quiet,
                    &format!(
                        "[mt {}] {:.1}/{:.1} s  closed {}  {}/s  waiting {}  errors {}",
                        w.name(),
                        secs(e),
                        secs(duration),
                        si(done as f64),
                        si(rate),
                        si(sum(&scheduled).saturating_sub(sum(&started)) as f64),
                        errors.load(Ordering::Relaxed),
                    ),
                );
                next_print += Duration::from_millis(250);
            }
            if e >= duration || (cfg.tasks > 0 && done >= cfg.tasks) {
                break (now(), done);
            }
        };
        stop.store(true, Ordering::SeqCst);
        progress_done(cfg.quiet);
        result.lifecycles = done_end - base;
        result.secs = secs(t_end - t_base);
        result.rate = result.lifecycles as f64 / result.secs.max(1e-9);
        result.schedules = sum(&scheduled);
        for p in producers {
            result.producer_sleeps += p.join().unwrap_or(0);
        }
        w.release();
        let mut p2s_samples = Vec::new();
        let mut s2s_samples = Vec::new();
        for h in workers {
            if let Ok(o) = h.join() {
                result.poll_to_start.merge(&o.p2s);
                result.schedule_to_start.merge(&o.s2s);
                p2s_samples.extend(o.p2s_res.samples);
                s2s_samples.extend(o.s2s_res.samples);
                result.worker_sleeps += o.sleeps;
                result.empty_polls += o.empty;
                result.heartbeats += o.heartbeats;
                result.failed += o.failed;
            }
        }
        result.p2s_samples = p2s_samples;
        result.s2s_samples = s2s_samples;
    });
    result.schedules_total = sum(&scheduled);
    result.errors = errors.load(Ordering::Relaxed);
    result.first_error = first_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    result.peak_rss = proc_status_bytes("VmHWM");
    result
}

// ----- wake-ups ---------------------------------------------------------------------------

/// One block of wake-up latencies of a blocked poller, nanoseconds, in
/// round order; the first few rounds of the block (a new poller thread's
/// page faults and first park) are dropped.
pub fn wake_block<W: Workload>(w: &W, rounds: usize) -> Vec<u64> {
    const DROP: usize = 5;
    let mut raw = crate::support::wake::wake_rounds(w, rounds + DROP, crate::support::wake::SETTLE);
    raw.drain(..DROP.min(raw.len()));
    raw
}

// ----- memory ---------------------------------------------------------------------------------

/// Heap (exact, from the counting allocator) and RSS per queued task, and
/// what drained lists keep.
#[derive(Clone, Debug, Default)]
pub struct MemResult {
    pub tasks: usize,
    pub payload: usize,
    /// Live heap bytes added per queued task (payload included).
    pub heap_per_task: f64,
    /// `heap_per_task` less the payload's own bytes.
    pub beyond_payload: f64,
    /// RSS growth per queued task (malloc overhead included; may be low if
    /// freed memory was reused).
    pub rss_per_task: f64,
    /// Heap still held per task after every task was drained (histories of
    /// open executions, and the like).
    pub after_drain_per_task: f64,
    /// Heap still held after draining and freeing what the implementation
    /// lets a user free (engine: terminate the executions), bytes in all.
    pub after_free: i64,
    pub idle_lists: usize,
    /// Heap kept per list after one task was scheduled and drained on each
    /// of `idle_lists` fresh lists (capacity growth included).
    pub idle_first_per_list: f64,
    /// The same on as many *other* fresh lists: growth that capacity reuse
    /// does not explain.
    pub idle_second_per_list: f64,
}

/// Measures memory on a fresh `w` built with at least `2 * idle + 1`
/// lists; `free` releases what the implementation keeps after a drain.
pub fn memory<W: Workload>(
    w: &W,
    tasks: usize,
    payload: usize,
    idle: usize,
    quiet: bool,
    free: impl Fn(&mut W::Ctx),
) -> MemResult {
    progress(quiet, &format!("[mem {}] warming up", w.name()));
    alloc::trim();
    let mut cx = w.ctx(0);
    let input = Payload::new(payload).plain();
    for _ in 0..2000 {
        lifecycle(w, &mut cx, 0, &input);
    }
    free(&mut cx);
    alloc::trim();
    let drain = |cx: &mut W::Ctx, list: usize, n: usize| {
        for _ in 0..n {
            let t = w
                .poll(cx, list, Duration::ZERO)
                .unwrap_or_else(|e| panic!("{}: poll: {e}", w.name()))
                .unwrap_or_else(|| panic!("{}: drain found nothing", w.name()));
            w.complete(cx, t.token)
                .unwrap_or_else(|e| panic!("{}: complete: {e}", w.name()));
        }
    };
    alloc::start();
    progress(
        quiet,
        &format!("[mem {}] draining {} lists", w.name(), si(idle as f64)),
    );
    let round = |cx: &mut W::Ctx, first: usize| {
        let before = alloc::live();
        for l in first..first + idle {
            w.schedule(cx, l, input.clone())
                .unwrap_or_else(|e| panic!("{}: schedule: {e}", w.name()));
            drain(cx, l, 1);
        }
        free(cx);
        alloc::live() - before
    };
    let r1 = round(&mut cx, 1);
    let r2 = round(&mut cx, 1 + idle);
    alloc::stop();
    alloc::trim();
    progress(
        quiet,
        &format!("[mem {}] queueing {} tasks", w.name(), si(tasks as f64)),
    );
    let rss0 = proc_status_bytes("VmRSS");
    alloc::start();
    for _ in 0..tasks {
        w.schedule(&mut cx, 0, input.clone())
            .unwrap_or_else(|e| panic!("{}: schedule: {e}", w.name()));
    }
    let h1 = alloc::live();
    let rss1 = proc_status_bytes("VmRSS");
    drain(&mut cx, 0, tasks);
    let h2 = alloc::live();
    free(&mut cx);
    let h3 = alloc::live();
    alloc::stop();
    progress_done(quiet);
    let n = tasks.max(1) as f64;
    let k = idle.max(1) as f64;
    MemResult {
        tasks,
        payload,
        heap_per_task: h1 as f64 / n,
        beyond_payload: h1 as f64 / n - payload as f64,
        rss_per_task: rss1.saturating_sub(rss0) as f64 / n,
        after_drain_per_task: h2 as f64 / n,
        after_free: h3,
        idle_lists: idle,
        idle_first_per_list: r1 as f64 / k,
        idle_second_per_list: r2 as f64 / k,
    }
}
