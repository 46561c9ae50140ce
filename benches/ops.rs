//! The operations users pay for, over the engine and its baselines in one
//! process: a full lifecycle, an empty zero-timeout poll, a heartbeat, a
//! bad token, and the wake-up of a blocked poller.
//!
//! `cargo bench --bench ops`; one group with `cargo bench --bench ops -- lifecycle`.
//! See BENCHMARKS.md for figures and what limits them.

mod support;

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, black_box, criterion_group, criterion_main};

use support::engine::SwfEngine;
use support::floor::{ChannelFloor, CondvarWake, Rendezvous};
use support::naive::{Naive, PlLocks, StdLocks};
use support::wake::{SETTLE, wake_rounds};
use support::{Payload, Workload, lifecycle};

const PAYLOAD: usize = 64;

fn configure<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    g
}

fn bench_lifecycle<W: Workload>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W) {
    let input = Payload::new(PAYLOAD).plain();
    let mut cx = w.ctx(0);
    g.bench_function(w.name(), |b| {
        b.iter(|| lifecycle(w, &mut cx, 0, black_box(&input)))
    });
}

/// Schedule, a zero-timeout poll that finds the task, complete; 64-byte
/// input, one list.
fn lifecycles(c: &mut Criterion) {
    let mut g = configure(c, "lifecycle");
    bench_lifecycle(&mut g, &SwfEngine::new(1, false));
    bench_lifecycle(&mut g, &SwfEngine::new(1, true));
    bench_lifecycle(&mut g, &Naive::<PlLocks>::new(1));
    bench_lifecycle(&mut g, &Naive::<StdLocks>::new(1));
    bench_lifecycle(&mut g, &ChannelFloor::bounded(1, 1024));
    g.finish();
}

fn bench_empty<W: Workload>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W) {
    let mut cx = w.ctx(0);
    g.bench_function(w.name(), |b| {
        b.iter(|| {
            let got = w.poll(&mut cx, 0, Duration::ZERO).expect("poll");
            assert!(got.is_none());
        })
    });
}

/// A zero-timeout poll of an empty list.
fn empty_polls(c: &mut Criterion) {
    let mut g = configure(c, "poll_empty");
    bench_empty(&mut g, &SwfEngine::new(1, false));
    bench_empty(&mut g, &Naive::<PlLocks>::new(1));
    bench_empty(&mut g, &Naive::<StdLocks>::new(1));
    bench_empty(&mut g, &ChannelFloor::bounded(1, 1024));
    g.finish();
}

fn started<W: Workload>(w: &W, cx: &mut W::Ctx) -> W::Token {
    w.schedule(cx, 0, Payload::new(PAYLOAD).plain())
        .expect("schedule");
    w.poll(cx, 0, Duration::ZERO)
        .expect("poll")
        .expect("a task")
        .token
}

fn bench_heartbeat<W: Workload>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W) {
    let mut cx = w.ctx(0);
    let token = started(w, &mut cx);
    g.bench_function(w.name(), |b| {
        b.iter(|| w.heartbeat(&mut cx, black_box(&token)).expect("heartbeat"))
    });
}

/// `RecordActivityTaskHeartbeat` on a started task.
fn heartbeats(c: &mut Criterion) {
    let mut g = configure(c, "heartbeat");
    bench_heartbeat(&mut g, &SwfEngine::new(1, false));
    bench_heartbeat(&mut g, &Naive::<PlLocks>::new(1));
    bench_heartbeat(&mut g, &Naive::<StdLocks>::new(1));
    g.finish();
}

fn bench_bad_token<W: Workload<Token = String>>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W) {
    let mut cx = w.ctx(0);
    // A token of a task that has closed: well formed, refused by lookup.
    let stale = started(w, &mut cx);
    w.complete(&mut cx, stale.clone()).expect("complete");
    // Garbage of a plausible length: refused by decoding.
    let garbage = "not-a-token-".repeat(4);
    g.bench_function(format!("{}/stale", w.name()), |b| {
        b.iter(|| assert!(w.heartbeat(&mut cx, black_box(&stale)).is_err()))
    });
    g.bench_function(format!("{}/malformed", w.name()), |b| {
        b.iter(|| assert!(w.heartbeat(&mut cx, black_box(&garbage)).is_err()))
    });
}

/// A heartbeat with a token that must be refused.
fn bad_tokens(c: &mut Criterion) {
    let mut g = configure(c, "bad_token");
    bench_bad_token(&mut g, &SwfEngine::new(1, false));
    bench_bad_token(&mut g, &Naive::<PlLocks>::new(1));
    g.finish();
}

fn bench_wake<W: Workload>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W) {
    g.bench_function(w.name(), |b| {
        b.iter_custom(|iters| {
            let lat = wake_rounds(w, iters as usize, SETTLE);
            Duration::from_nanos(lat.iter().sum())
        })
    });
}

/// A poller blocked on a list, woken by a schedule from another thread:
/// latency from the schedule call to the poll's return (mean per wake-up;
/// `loadgen` prints the percentiles).
fn wakeups(c: &mut Criterion) {
    let mut g = c.benchmark_group("wakeup");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    bench_wake(&mut g, &SwfEngine::new(1, false));
    bench_wake(&mut g, &Naive::<PlLocks>::new(1));
    bench_wake(&mut g, &Naive::<StdLocks>::new(1));
    bench_wake(&mut g, &CondvarWake::<PlLocks>::new());
    bench_wake(&mut g, &CondvarWake::<StdLocks>::new());
    bench_wake(&mut g, &Rendezvous::new());
    g.finish();
}

criterion_group!(
    benches,
    lifecycles,
    empty_polls,
    heartbeats,
    bad_tokens,
    wakeups
);
criterion_main!(benches);
