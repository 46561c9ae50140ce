//! How a lifecycle's cost grows with scale (it should stay flat):
//!
//! * `scale_lists/<impl>/<n>/hot`: a lifecycle on list 0 while `n` lists
//!   exist, each holding one queued task (an idle list is freed by the
//!   engine, so a task is what keeps it alive);
//! * `scale_lists/<impl>/<n>/round_robin`: the lifecycle on list `i % n`,
//!   touching every list in turn (reported, not judged: it measures cache
//!   misses as much as the engine);
//! * `scale_queued/<impl>/<n>`: a lifecycle on one list with `n` tasks
//!   already queued on it (the poll takes the oldest, the schedule adds one).
//!
//! Each setup is built once per (implementation, size) and dropped before
//! the next; the 1,000,000 setups take a few seconds and about a gigabyte.
//! `cargo bench --bench scale`; `SCALE_MAX=10000` skips the million cases.

mod support;

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, black_box, criterion_group, criterion_main,
};

use support::engine::SwfEngine;
use support::floor::ChannelFloor;
use support::naive::{Naive, PlLocks};
use support::{Payload, Workload, lifecycle, preload};

const PAYLOAD: usize = 64;

fn max_scale() -> usize {
    std::env::var("SCALE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn configure<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    g
}

fn lists_case<W: Workload>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W, n: usize) {
    let input = Payload::new(PAYLOAD).plain();
    let mut cx = w.ctx(0);
    preload(w, &mut cx, n, n, &input);
    g.bench_function(BenchmarkId::new(format!("{}/hot", w.name()), n), |b| {
        b.iter(|| lifecycle(w, &mut cx, 0, black_box(&input)))
    });
    let mut i = 0usize;
    g.bench_function(
        BenchmarkId::new(format!("{}/round_robin", w.name()), n),
        |b| {
            b.iter(|| {
                lifecycle(w, &mut cx, i, black_box(&input));
                i += 1;
                if i == n {
                    i = 0;
                }
            })
        },
    );
}

/// One queued task on each of `n` lists; lifecycles on one list and over
/// all of them.
fn lists(c: &mut Criterion) {
    let mut g = configure(c, "scale_lists");
    for n in [1, 100, 10_000, 1_000_000] {
        if n > max_scale() {
            continue;
        }
        lists_case(&mut g, &SwfEngine::new(n, false), n);
        lists_case(&mut g, &Naive::<PlLocks>::new(n), n);
    }
    g.finish();
}

fn queued_case<W: Workload>(g: &mut BenchmarkGroup<'_, WallTime>, w: &W, n: usize) {
    let input = Payload::new(PAYLOAD).plain();
    let mut cx = w.ctx(0);
    preload(w, &mut cx, 1, n, &input);
    g.bench_function(BenchmarkId::new(w.name(), n), |b| {
        b.iter(|| lifecycle(w, &mut cx, 0, black_box(&input)))
    });
}

/// `n` tasks queued on one list; lifecycles on it.
fn queued(c: &mut Criterion) {
    let mut g = configure(c, "scale_queued");
    for n in [0, 1_000, 1_000_000] {
        if n > max_scale() {
            continue;
        }
        queued_case(&mut g, &SwfEngine::new(1, false), n);
        queued_case(&mut g, &Naive::<PlLocks>::new(1), n);
        queued_case(&mut g, &ChannelFloor::bounded(1, n + 1024), n);
    }
    g.finish();
}

criterion_group!(benches, lists, queued);
criterion_main!(benches);
