//! Several workers drain a few thousand Step Functions tasks, scheduled by
//! several threads at once, on the manual clock: nothing is lost and nothing
//! is delivered twice, and every execution ends as its worker said.

mod sfn_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use activity_broker::sfn::{EventDetails, ExecutionStatus, GetActivityTaskInput};
use sfn_support::{Env, secs};

/// One labelled configuration.
#[derive(Debug, Clone, Copy)]
struct Row {
    label: &'static str,
    workers: usize,
    producers: usize,
    tasks: usize,
    shards: usize,
    /// Heartbeat every this many tasks (0: never).
    heartbeat_every: usize,
}

const ROWS: &[Row] = &[
    Row {
        label: "eight workers, two producers, one shard",
        workers: 8,
        producers: 2,
        tasks: 3000,
        shards: 1,
        heartbeat_every: 3,
    },
    Row {
        label: "eight workers, four producers, default shards",
        workers: 8,
        producers: 4,
        tasks: 4000,
        shards: 64,
        heartbeat_every: 0,
    },
    Row {
        label: "two workers, one producer",
        workers: 2,
        producers: 1,
        tasks: 2000,
        shards: 4,
        heartbeat_every: 1,
    },
];

fn scaled(n: usize) -> usize {
    if cfg!(miri) { (n / 100).max(4) } else { n }
}

/// What a worker saw: (task number, worker name).
type Seen = Vec<(usize, String)>;

fn task_number(input: &str) -> usize {
    input
        .strip_prefix("{\"job\":\"t")
        .and_then(|s| s.strip_suffix("\"}"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected input {input}"))
}

fn run(row: Row) {
    let tasks = scaled(row.tasks);
    let env = Arc::new(Env::with(|b| b.shards(row.shards)));
    let act = env.activity("drain");
    let completed = Arc::new(AtomicUsize::new(0));

    let workers: Vec<thread::JoinHandle<Seen>> = (0..row.workers)
        .map(|w| {
            let (env, act, completed) = (Arc::clone(&env), act.clone(), Arc::clone(&completed));
            thread::spawn(move || {
                let name = format!("w{w}");
                let mut seen = Seen::new();
                loop {
                    let got = env
                        .sfn
                        .get_activity_task(GetActivityTaskInput {
                            activity_arn: act.clone(),
                            worker_name: Some(name.clone()),
                        })
                        .expect("poll");
                    let Some(token) = got.task_token else {
                        if completed.load(Ordering::SeqCst) == tasks {
                            return seen;
                        }
                        continue;
                    };
                    let n = task_number(got.input.as_deref().expect("input"));
                    seen.push((n, name.clone()));
                    if row.heartbeat_every != 0 && n % row.heartbeat_every == 0 {
                        env.heartbeat(&token).expect("heartbeat");
                    }
                    if n % 2 == 0 {
                        env.succeed(&token, &format!("{{\"done\":{n}}}"))
                            .expect("success");
                    } else {
                        env.fail(&token, Some(&format!("E{n}")), Some("odd"))
                            .expect("failure");
                    }
                    // The token is dead now.
                    assert!(env.heartbeat(&token).is_err());
                    completed.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    let producers: Vec<thread::JoinHandle<Vec<(usize, String)>>> = (0..row.producers)
        .map(|p| {
            let (env, act) = (Arc::clone(&env), act.clone());
            thread::spawn(move || {
                (p..tasks)
                    .step_by(row.producers)
                    .map(|i| (i, env.start(&act, &format!("t{i}"))))
                    .collect()
            })
        })
        .collect();
    let mut executions: HashMap<usize, String> = HashMap::new();
    for p in producers {
        executions.extend(p.join().expect("producer"));
    }
    assert_eq!(executions.len(), tasks, "{}", row.label);

    // Every task done: release the workers parked in their long polls. A
    // worker still on its way to a poll parks later, so advance until all
    // have returned.
    while completed.load(Ordering::SeqCst) < tasks {
        thread::yield_now();
    }
    while !workers.iter().all(|w| w.is_finished()) {
        env.advance(secs(60));
        thread::yield_now();
    }
    let mut delivered: HashMap<usize, String> = HashMap::new();
    for w in workers {
        for (n, name) in w.join().expect("worker") {
            if let Some(first) = delivered.insert(n, name) {
                panic!("{}: task {n} delivered twice (first to {first})", row.label);
            }
        }
    }
    assert_eq!(delivered.len(), tasks, "{}: lost tasks", row.label);
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert_eq!(env.sfn.waiting_pollers(&act), 0);

    // Exactly once, as the histories tell it too.
    for (n, exec) in &executions {
        let d = env.describe(exec);
        if n % 2 == 0 {
            assert_eq!(d.status, ExecutionStatus::Succeeded, "{}: t{n}", row.label);
            assert_eq!(d.output, Some(format!("{{\"done\":{n}}}")));
        } else {
            assert_eq!(d.status, ExecutionStatus::Failed, "{}: t{n}", row.label);
            assert_eq!(d.error, Some(format!("E{n}")));
        }
        let h = env.history(exec);
        assert_eq!(h.len(), 5, "{}: t{n}", row.label);
        assert_eq!(
            h[2].details,
            EventDetails::ActivityStarted {
                worker_name: delivered.get(n).cloned()
            },
            "{}: t{n}",
            row.label
        );
    }
}

#[test]
fn workers_drain_thousands_of_tasks_exactly_once() {
    for &row in ROWS {
        run(row);
    }
}
