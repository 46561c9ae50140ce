//! `loadgen`: a load generator for activity-broker that measures the
//! engine and its baselines (a naive broker, a crossbeam channel floor,
//! bare condvars) in one process and prints one table with the ratios.
//!
//! `cargo run --release --example loadgen -- --help` lists the flags;
//! BENCHMARKS.md explains each figure and what limits it.

#[path = "../../benches/support/mod.rs"]
mod support;

mod alloc;
mod args;
mod report;
mod run;

use std::time::Duration;

use args::{ClockKind, Config, Face, NaiveLock};
use report::{Report, Row};
use support::engine::SwfEngine;
use support::floor::{ChannelFloor, CondvarWake, Rendezvous};
use support::naive::{Locks, Naive, PlLocks, StdLocks};
use support::sfn::SfnEngine;
use support::stats::Histogram;
use support::{Engine, Payload, Workload, lifecycle, now, preload};

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match args::parse(&argv) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{}", args::HELP);
            return;
        }
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let mut cfg = cfg;
    if cfg.face == Face::Sfn {
        let most = support::sfn::MAX_LISTS;
        if cfg.lists > most {
            eprintln!(
                "loadgen: the sfn face allows at most {most} activities (task lists): lower --lists"
            );
            std::process::exit(2);
        }
        if cfg.profile == 0
            && cfg.phases.iter().any(|p| p == "mem")
            && 2 * cfg.idle_lists + 1 > most
        {
            cfg.idle_lists = (most - 1) / 2;
            eprintln!(
                "loadgen: --face sfn: the memory phase drains {} lists (the face allows {most} activities)",
                cfg.idle_lists
            );
        }
    }
    if cfg.profile > 0 {
        let n = cfg.profile_lists;
        let manual = cfg.clock == ClockKind::Manual;
        match cfg.impls.first().map(String::as_str) {
            Some("naive") => profile(&Naive::<PlLocks>::new(n), &cfg),
            Some("floor") => profile(&ChannelFloor::bounded(n, cfg.queued + 1024), &cfg),
            _ if cfg.face == Face::Sfn => profile(&SfnEngine::new(n, manual), &cfg),
            _ => profile(&SwfEngine::new(n, manual), &cfg),
        }
        return;
    }
    let _ = support::origin();
    let mut rep = Report::new(&cfg);
    match (cfg.naive_lock, cfg.face) {
        (NaiveLock::ParkingLot, Face::Swf) => run_all::<PlLocks, SwfEngine>(&cfg, &mut rep),
        (NaiveLock::Std, Face::Swf) => run_all::<StdLocks, SwfEngine>(&cfg, &mut rep),
        (NaiveLock::ParkingLot, Face::Sfn) => run_all::<PlLocks, SfnEngine>(&cfg, &mut rep),
        (NaiveLock::Std, Face::Sfn) => run_all::<StdLocks, SfnEngine>(&cfg, &mut rep),
    }
    rep.finish();
    print!("{}", rep.table());
    if let Some(path) = &cfg.json {
        if let Err(e) = std::fs::write(path, rep.json()) {
            eprintln!("loadgen: cannot write {path}: {e}");
            std::process::exit(1);
        }
        eprintln!("loadgen: wrote {path}");
    }
    if let Some(path) = &cfg.csv {
        if let Err(e) = std::fs::write(path, rep.csv()) {
            eprintln!("loadgen: cannot write {path}: {e}");
            std::process::exit(1);
        }
        eprintln!("loadgen: wrote {path}");
    }
}

/// Single-thread rounds (0.1 s each at the default) and wake-up blocks
/// interleave the implementations, so that a change of background load
/// hits all of them alike.
const ST_ROUNDS: u32 = 5;
const WAKE_BLOCKS: usize = 20;

/// Every phase, with the naive broker on lock library `N` and the engine
/// behind face `E`.
fn run_all<N: Locks, E: Engine>(cfg: &Config, rep: &mut Report) {
    let has = |p: &str| cfg.phases.iter().any(|x| x == p);
    let wants = |i: &str| cfg.impls.iter().any(|x| x == i);
    let manual = cfg.clock == ClockKind::Manual;

    if has("mem") {
        let idle = cfg.idle_lists;
        let lists = 2 * idle + 1;
        if wants("engine") {
            // Always on a manual clock: a zero advance then frees terminated
            // executions synchronously, so the figures do not race the
            // timer thread.
            let e = E::build(lists, true);
            let m = run::memory(&e, cfg.mem_tasks, cfg.payload, idle, cfg.quiet, |cx| {
                e.free(cx)
            });
            rep.row_of("engine").mem = Some(m);
        }
        if wants("naive") {
            let n = Naive::<N>::new(lists);
            let m = run::memory(&n, cfg.mem_tasks, cfg.payload, idle, cfg.quiet, |_| {});
            rep.row_of("naive").mem = Some(m);
        }
        if wants("floor") {
            let f = ChannelFloor::unbounded(lists);
            let m = run::memory(&f, cfg.mem_tasks, cfg.payload, idle, cfg.quiet, |_| {});
            rep.row_of("floor").mem = Some(m);
        }
    }

    let payload = Payload::new(cfg.payload);
    if has("st") {
        let e = wants("engine").then(|| E::build(1, manual));
        let n = wants("naive").then(|| Naive::<N>::new(1));
        let f = wants("floor").then(|| ChannelFloor::bounded(1, 1024));
        let d = cfg.st_secs / ST_ROUNDS;
        for _ in 0..ST_ROUNDS {
            if let Some(e) = &e {
                st(rep, "engine", e, d, &payload, cfg.quiet);
            }
            if let Some(n) = &n {
                st(rep, "naive", n, d, &payload, cfg.quiet);
            }
            if let Some(f) = &f {
                st(rep, "floor", f, d, &payload, cfg.quiet);
            }
        }
    }

    if has("mt") {
        let d = cfg.duration / cfg.rounds as u32;
        // A task count is split over the rounds too.
        let mut cfg = cfg.clone();
        cfg.tasks = cfg.tasks.div_ceil(cfg.rounds as u64);
        let cfg = &cfg;
        for _ in 0..cfg.rounds {
            // Fresh instances each round: the end of a run shuts them down.
            if wants("engine") {
                mt(rep, "engine", &E::build(cfg.lists, manual), cfg, d);
            }
            if wants("naive") {
                mt(rep, "naive", &Naive::<N>::new(cfg.lists), cfg, d);
            }
            if wants("floor") {
                mt(rep, "floor", &ChannelFloor::unbounded(cfg.lists), cfg, d);
            }
        }
    }

    if has("wake") && cfg.wake_rounds > 0 {
        let e = wants("engine").then(|| E::build(1, manual));
        let n = wants("naive").then(|| Naive::<N>::new(1));
        let r = wants("floor").then(Rendezvous::new);
        let pl = CondvarWake::<PlLocks>::new();
        let sd = CondvarWake::<StdLocks>::new();
        let per = cfg.wake_rounds.div_ceil(WAKE_BLOCKS);
        for b in 0..WAKE_BLOCKS {
            run::progress(cfg.quiet, &format!("[wake] block {}/{WAKE_BLOCKS}", b + 1));
            if let Some(e) = &e {
                wake(rep, "engine", e, per);
            }
            if let Some(n) = &n {
                wake(rep, "naive", n, per);
            }
            if let Some(r) = &r {
                // A tenth as many: on a loaded machine crossbeam's
                // spin-then-yield turns each of its wake-ups into a
                // scheduler timeslice (milliseconds).
                wake(rep, "rendezvous", r, per.div_ceil(10));
            }
            wake(rep, "condvar/parking_lot", &pl, per);
            wake(rep, "condvar/std", &sd, per);
        }
        run::progress_done(cfg.quiet);
    }
}

fn st<W: Workload>(
    rep: &mut Report,
    key: &str,
    w: &W,
    d: Duration,
    payload: &Payload,
    quiet: bool,
) {
    let r = run::single_thread(w, d, payload, quiet);
    let row = rep.row(key, w);
    match &mut row.st {
        Some(s) => s.merge(&r),
        None => row.st = Some(r),
    }
}

fn mt<W: Workload>(rep: &mut Report, key: &str, w: &W, cfg: &Config, d: Duration) {
    if cfg.queued > 0 {
        run::progress(
            cfg.quiet,
            &format!("[mt {}] queueing {} tasks", w.name(), cfg.queued),
        );
        // The workers' contexts are their own: these executions stay open
        // after their tasks drain (the run is too short for that to matter).
        let mut cx = w.ctx(usize::MAX / 2);
        let input = Payload::new(cfg.payload).plain();
        preload(w, &mut cx, cfg.lists, cfg.queued, &input);
    }
    let r = run::multi_thread(w, cfg, d);
    let row = rep.row(key, w);
    match &mut row.mt {
        Some(m) => m.merge(r),
        None => row.mt = Some(r),
    }
}

fn wake<W: Workload>(rep: &mut Report, key: &str, w: &W, rounds: usize) {
    let raw = run::wake_block(w, rounds);
    let row: &mut Row = rep.row(key, w);
    let h = row.wake.get_or_insert_with(Histogram::new);
    for &v in &raw {
        h.record(v);
    }
    row.wake_raw.extend(raw);
}

/// A fixed single-thread run of `--profile` lifecycles of the first of
/// `--impls` (the engine by default), on list 0 after `--queued` tasks were
/// queued there, or round robin over `--profile-lists` lists, for
/// `valgrind --tool=callgrind --toggle-collect='*profile_loop*'`.
fn profile<W: Workload>(w: &W, cfg: &Config) {
    let n = cfg.profile;
    let input = Payload::new(cfg.payload).plain();
    let mut cx = w.ctx(0);
    preload(w, &mut cx, 1, cfg.queued, &input);
    let lists = cfg.profile_lists;
    for i in 0..1000.max(lists) {
        lifecycle(w, &mut cx, i % lists, &input);
    }
    let t0 = now();
    profile_loop(w, &mut cx, n, lists, &input);
    let d = now() - t0;
    println!(
        "profile: {n} {} lifecycles in {:.3} s ({:.0} ns each)",
        w.name(),
        d.as_secs_f64(),
        d.as_nanos() as f64 / n as f64
    );
}

#[inline(never)]
fn profile_loop<W: Workload>(w: &W, cx: &mut W::Ctx, n: u64, lists: usize, input: &str) {
    let mut list = 0;
    for _ in 0..n {
        lifecycle(w, cx, list, input);
        list += 1;
        if list == lists {
            list = 0;
        }
    }
}
