//! Concurrent stress: many producer and worker threads over many task lists,
//! then the invariant checker over every history
//! (`support/invariants.rs`).
//!
//! Each row (parking_lot's `webkit_queue_test` style) runs one engine on a
//! [`ManualClock`]:
//!
//! - **producers** start executions and schedule activities through
//!   `respond_decision_task_completed`: one to three schedules per decision
//!   list (unique activity ids, random lists, priorities and timeouts of 1-10
//!   s), sometimes a `RequestCancelActivityTask` of an earlier activity, and
//!   sometimes a termination of the execution;
//! - **workers** poll (zero timeout, a deadline on the manual clock, or a
//!   [`PollCancel`] the clock thread may fire), and with each task they get
//!   complete, fail, respond canceled, heartbeat (and respond canceled when a
//!   cancel was requested), dawdle past their timeouts, respond twice, or
//!   abandon it; they record every task they receive and what the engine
//!   answered;
//! - a **clock thread** advances the manual clock by 100 ms each time the
//!   threads have done a few operations (or when they are all parked), so
//!   heartbeat, start-to-close, schedule-to-start and schedule-to-close
//!   timeouts, and poll deadlines, fire while the threads run, without any
//!   real waiting; it also cancels a random worker's poll now and then.
//!
//! At the end the producers have stopped, every task list is drained, the
//! workers and the clock thread are joined, and one last advance (an hour)
//! times out every task a worker abandoned. Then the checker runs over every
//! history and every delivery, with the engine at rest: each task closed
//! exactly once (or its execution terminated with it open), each start seen
//! by exactly one poller, ids dense, references right, timestamps
//! non-decreasing, no pending task and no waiting poller anywhere.
//!
//! The random choices of every thread come from a seed printed at the start
//! (set `ACTIVITY_BROKER_SEED` to replay one; the interleaving itself is the
//! OS's). `ACTIVITY_BROKER_SOAK=1` runs every row again and again, with fresh
//! seeds and four times the work, for 60 s each; `ACTIVITY_BROKER_SOAK=<n>`
//! for `n` seconds each.

#[path = "support/invariants.rs"]
mod invariants;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use activity_broker::swf::{
    self, ActivityType, ChildPolicy, Decision, PollForActivityTaskInput, PollForActivityTaskOutput,
    RecordActivityTaskHeartbeatInput, RegisterActivityTypeInput, RegisterDomainInput,
    RegisterWorkflowTypeInput, RequestCancelActivityTaskDecisionAttributes,
    RespondActivityTaskCanceledInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput, RespondDecisionTaskCompletedInput,
    ScheduleActivityTaskDecisionAttributes, StartWorkflowExecutionInput, TaskList,
    TerminateWorkflowExecutionInput, WorkflowExecution, WorkflowType,
};
use activity_broker::{Broker, ManualClock, PollCancel};
use invariants::{Action, Delivery, Tally, World};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

const DOMAIN: &str = "stress";
const ACTIVITY: &str = "job";
const WORKFLOW: &str = "flow";
const VERSION: &str = "1";

/// The manual clock's step.
const STEP: Duration = Duration::from_millis(100);

/// One stress configuration.
#[derive(Clone, Copy, Debug)]
struct Row {
    producers: usize,
    workers: usize,
    lists: usize,
    shards: usize,
    /// Pollers one list admits; beyond, polls fail with
    /// `LimitExceededFault`.
    max_pollers: usize,
    /// Executions each producer runs, one after another.
    executions: usize,
    /// Decision lists applied to each execution.
    batches: usize,
    /// Chance that a producer terminates an execution when done with it.
    terminate: f64,
    seed: u64,
}

/// Work multiplier: miri is slow; the soak mode does four times the work.
fn scale(n: usize) -> usize {
    if cfg!(miri) {
        (n / 20).max(1)
    } else if soak_secs().is_some() {
        n * 4
    } else {
        n
    }
}

/// `ACTIVITY_BROKER_SOAK`: unset or `0` is the CI mode; `1` soaks each row
/// for 60 s; `n` for `n` seconds.
fn soak_secs() -> Option<u64> {
    let v = std::env::var("ACTIVITY_BROKER_SOAK").ok()?;
    match v.trim().parse::<u64>() {
        Ok(0) => None,
        Ok(1) => Some(60),
        Ok(n) => Some(n),
        Err(_) => Some(60),
    }
}

/// `ACTIVITY_BROKER_SEED` replaces every row's seed.
fn seed_override() -> Option<u64> {
    std::env::var("ACTIVITY_BROKER_SEED")
        .ok()?
        .trim()
        .parse()
        .ok()
}

#[expect(
    clippy::disallowed_methods,
    reason = "wall time only measures the run and bounds the soak; no engine behaviour depends on it"
)]
fn wall() -> std::time::Instant {
    std::time::Instant::now()
}

/// What the threads share.
struct Shared {
    swf: swf::Client,
    clock: ManualClock,
    lists: Vec<String>,
    /// API calls made by workers: paces the clock, so that virtual time
    /// moves with the workers' progress, whatever the machine's speed.
    ops: AtomicU64,
    stop_workers: AtomicBool,
    stop_clock: AtomicBool,
    /// Each worker's current cancelable poll, for the clock thread to cancel.
    polls: Vec<Mutex<Option<PollCancel>>>,
}

impl Shared {
    fn op(&self) {
        self.ops.fetch_add(1, Ordering::Relaxed);
    }
}

fn setup(row: &Row, seed: u64) -> (Broker, Arc<Shared>) {
    let clock = ManualClock::new();
    let broker = Broker::builder()
        .clock(clock.clone())
        .shards(row.shards)
        .max_pollers(row.max_pollers)
        .seed(seed)
        .build()
        .expect("build broker");
    let swf = broker.swf();
    swf.register_domain(RegisterDomainInput {
        name: DOMAIN.into(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    })
    .expect("register domain");
    swf.register_activity_type(RegisterActivityTypeInput {
        domain: DOMAIN.into(),
        name: ACTIVITY.into(),
        version: VERSION.into(),
        default_task_list: Some(TaskList::new("l0")),
        default_task_schedule_to_start_timeout: Some("NONE".into()),
        default_task_schedule_to_close_timeout: Some("NONE".into()),
        default_task_start_to_close_timeout: Some("NONE".into()),
        default_task_heartbeat_timeout: Some("NONE".into()),
        ..Default::default()
    })
    .expect("register activity type");
    swf.register_workflow_type(RegisterWorkflowTypeInput {
        domain: DOMAIN.into(),
        name: WORKFLOW.into(),
        version: VERSION.into(),
        default_task_list: Some(TaskList::new("deciders")),
        default_execution_start_to_close_timeout: Some("31536000".into()),
        default_task_start_to_close_timeout: Some("60".into()),
        default_child_policy: Some(ChildPolicy::Terminate),
        ..Default::default()
    })
    .expect("register workflow type");
    let shared = Arc::new(Shared {
        swf,
        clock,
        lists: (0..row.lists).map(|i| format!("l{i}")).collect(),
        ops: AtomicU64::new(0),
        stop_workers: AtomicBool::new(false),
        stop_clock: AtomicBool::new(false),
        polls: (0..row.workers).map(|_| Mutex::new(None)).collect(),
    });
    (broker, shared)
}

/// A schedule decision with random list, priority and timeouts. Every task
/// has a finite start-to-close timeout and a finite schedule-to-start or
/// schedule-to-close timeout, so the final advance closes every task.
fn schedule(rng: &mut StdRng, sh: &Shared, wid: &str, n: usize) -> Decision {
    let activity_id = format!("a{n}");
    let s2s = *["NONE", "1", "3"].choose(rng).unwrap_or(&"NONE");
    let s2c = if s2s == "NONE" {
        *["5", "10"].choose(rng).unwrap_or(&"10")
    } else {
        *["NONE", "10"].choose(rng).unwrap_or(&"NONE")
    };
    Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
        activity_type: ActivityType::new(ACTIVITY, VERSION),
        input: Some(format!("{wid}:{activity_id}")),
        activity_id,
        task_list: sh.lists.choose(rng).map(|l| TaskList::new(l.as_str())),
        task_priority: rng
            .random_bool(0.3)
            .then(|| rng.random_range(-2..=2).to_string()),
        schedule_to_start_timeout: Some(s2s.into()),
        schedule_to_close_timeout: Some(s2c.into()),
        start_to_close_timeout: Some((*["1", "2", "5"].choose(rng).unwrap_or(&"2")).into()),
        heartbeat_timeout: Some((*["NONE", "1", "2"].choose(rng).unwrap_or(&"NONE")).into()),
        ..Default::default()
    })
}

fn producer(sh: &Shared, row: Row, p: usize, mut rng: StdRng) -> Vec<WorkflowExecution> {
    let swf = &sh.swf;
    let mut executions = Vec::new();
    for e in 0..row.executions {
        let wid = format!("p{p}-e{e}");
        let run = swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: wid.clone(),
                workflow_type: WorkflowType::new(WORKFLOW, VERSION),
                ..Default::default()
            })
            .expect("start execution");
        let exec = WorkflowExecution::new(wid.clone(), run.run_id);
        executions.push(exec.clone());
        let mut next = 0;
        for _ in 0..row.batches {
            let mut decisions = Vec::new();
            for _ in 0..rng.random_range(1..=3) {
                decisions.push(schedule(&mut rng, sh, &wid, next));
                next += 1;
            }
            if rng.random_bool(0.15) {
                // Often an open task (queued: canceled at once; started: the
                // worker hears of it), sometimes a closed one (the request
                // fails with ACTIVITY_ID_UNKNOWN).
                let target = rng.random_range(next.saturating_sub(8)..next);
                let cancel = Decision::RequestCancelActivityTask(
                    RequestCancelActivityTaskDecisionAttributes {
                        activity_id: format!("a{target}"),
                    },
                );
                let at = rng.random_range(0..=decisions.len());
                decisions.insert(at, cancel);
            }
            swf.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution: exec.clone(),
                decisions,
                ..Default::default()
            })
            .expect("decisions on an open execution");
            // Pace on virtual time: a batch every 0-2 clock steps, so the
            // load a row puts on its workers does not depend on how fast
            // this machine runs producers.
            let next_batch = sh.clock.elapsed() + STEP * rng.random_range(0..=2);
            wait_for_clock(sh, next_batch);
        }
        if rng.random_bool(row.terminate) {
            swf.terminate_workflow_execution(TerminateWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: wid.clone(),
                run_id: Some(exec.run_id.clone()),
                reason: Some("stress".into()),
                ..Default::default()
            })
            .expect("terminate");
        }
    }
    executions
}

/// `Ok(true)` if the engine accepted a respond; `Ok(false)` if it refused the
/// token (`UnknownResourceFault`: a timeout or the execution's close came
/// first). Any other error is a failure.
fn accepted<T>(r: Result<T, swf::Error>) -> bool {
    match r {
        Ok(_) => true,
        Err(swf::Error::UnknownResourceFault(_)) => false,
        Err(e) => panic!("a worker call failed with {e:?}"),
    }
}

fn complete(swf: &swf::Client, token: &str) -> bool {
    accepted(
        swf.respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: token.into(),
            result: Some("done".into()),
        }),
    )
}

fn canceled(swf: &swf::Client, token: &str) -> bool {
    accepted(
        swf.respond_activity_task_canceled(RespondActivityTaskCanceledInput {
            task_token: token.into(),
            details: None,
        }),
    )
}

/// Heartbeats; `Some(cancel_requested)` if accepted.
fn heartbeat(swf: &swf::Client, token: &str, details: &str) -> Option<bool> {
    match swf.record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
        task_token: token.into(),
        details: Some(details.into()),
    }) {
        Ok(out) => Some(out.cancel_requested),
        Err(swf::Error::UnknownResourceFault(_)) => None,
        Err(e) => panic!("a heartbeat failed with {e:?}"),
    }
}

/// Spins until the manual clock reads `until` (the clock thread moves it).
fn wait_for_clock(sh: &Shared, until: Duration) {
    while sh.clock.elapsed() < until {
        thread::yield_now();
    }
}

/// Works one task; returns what the worker did.
fn work(sh: &Shared, rng: &mut StdRng, task: PollForActivityTaskOutput) -> Delivery {
    let swf = &sh.swf;
    let token = task.task_token.as_str();
    let mut d = Delivery {
        execution: task.workflow_execution.clone(),
        activity_id: task.activity_id.clone(),
        started_event_id: task.started_event_id.get(),
        input: task.input.clone(),
        action: Action::Abandoned,
        accepted: false,
        saw_cancel_requested: false,
    };
    let roll = rng.random_range(0..100);
    let respond = |d: &mut Delivery, action: Action| {
        d.action = action;
        d.accepted = match action {
            Action::Completed => complete(swf, token),
            Action::Failed => accepted(swf.respond_activity_task_failed(
                RespondActivityTaskFailedInput {
                    task_token: token.into(),
                    reason: Some("stress".into()),
                    details: None,
                },
            )),
            Action::Canceled => canceled(swf, token),
            Action::Abandoned => false,
        };
        sh.op();
    };
    match roll {
        0..45 => respond(&mut d, Action::Completed),
        45..55 => respond(&mut d, Action::Failed),
        55..60 => respond(&mut d, Action::Canceled),
        60..72 => {
            // Heartbeat a few times; honour a cancel request.
            let mut action = Action::Completed;
            for i in 0..rng.random_range(1..=3) {
                let hb = heartbeat(swf, token, &format!("beat {i}"));
                sh.op();
                if hb == Some(true) {
                    d.saw_cancel_requested = true;
                    action = Action::Canceled;
                    break;
                }
            }
            respond(&mut d, action);
        }
        72..84 => {
            // Dawdle to around the start-to-close or heartbeat deadline, so
            // the respond races the timeout; heartbeat half-way sometimes.
            let start = sh.clock.elapsed();
            let late = Duration::from_millis(rng.random_range(300..2600));
            if rng.random_bool(0.5) {
                wait_for_clock(sh, start + late / 2);
                if heartbeat(swf, token, "half-way") == Some(true) {
                    d.saw_cancel_requested = true;
                }
                sh.op();
            }
            wait_for_clock(sh, start + late);
            respond(&mut d, Action::Completed);
        }
        84..90 => {
            // Respond twice: the second call must be refused.
            respond(&mut d, Action::Failed);
            assert!(
                !complete(swf, token),
                "a second respond with the same token was accepted"
            );
            assert!(
                heartbeat(swf, token, "after close").is_none(),
                "a heartbeat after the close was accepted"
            );
        }
        _ => {
            // Abandon the task: it must time out.
        }
    }
    d
}

/// What a worker's polls returned.
#[derive(Clone, Copy, Debug, Default)]
struct Polls {
    /// Polls made.
    polls: u64,
    /// Polls that returned no task.
    empty: u64,
    /// Polls refused with `LimitExceededFault`.
    limited: u64,
    /// Cancelable polls that returned empty with their handle canceled.
    withdrawn: u64,
}

fn worker(sh: &Shared, row: Row, w: usize, mut rng: StdRng) -> (Vec<Delivery>, Polls) {
    let swf = &sh.swf;
    let n = sh.lists.len();
    let mine: Vec<&String> = if n <= sh.polls.len() {
        vec![&sh.lists[w % n]]
    } else {
        sh.lists.iter().skip(w).step_by(sh.polls.len()).collect()
    };
    let identity = format!("w{w}");
    let mut deliveries = Vec::new();
    let mut stats = Polls::default();
    let mut cursor = 0;
    while !sh.stop_workers.load(Ordering::SeqCst) {
        let list = if rng.random_bool(0.25) {
            &sh.lists[rng.random_range(0..n)]
        } else {
            cursor += 1;
            mine[cursor % mine.len()]
        };
        let input = PollForActivityTaskInput {
            domain: DOMAIN.into(),
            task_list: TaskList::new(list.as_str()),
            identity: Some(identity.clone()),
        };
        let got = match rng.random_range(0..10) {
            0..4 => swf.poll_for_activity_task_timeout(input, Duration::ZERO),
            4..8 => {
                let wait = Duration::from_millis(rng.random_range(50..1000));
                swf.poll_for_activity_task_deadline(input, swf.now() + wait)
            }
            _ => {
                let cancel = PollCancel::new();
                *sh.polls[w].lock().unwrap() = Some(cancel.clone());
                let r = swf.poll_for_activity_task_cancelable(
                    input,
                    swf.now() + Duration::from_secs(2),
                    &cancel,
                );
                sh.polls[w].lock().unwrap().take();
                if cancel.is_canceled() && r.as_ref().is_ok_and(|t| t.is_empty()) {
                    stats.withdrawn += 1;
                }
                r
            }
        };
        stats.polls += 1;
        let task = match got {
            Ok(task) => task,
            // Too many pollers on the list: allowed only when the row
            // sets a limit the workers can reach. Back off for a clock
            // step, as a real client would.
            Err(swf::Error::LimitExceededFault(_)) if row.max_pollers < row.workers => {
                stats.limited += 1;
                wait_for_clock(sh, sh.clock.elapsed() + STEP);
                continue;
            }
            Err(e) => panic!("poll failed with {e:?}"),
        };
        sh.op();
        if task.is_empty() {
            assert_eq!(task.started_event_id.get(), 0);
            stats.empty += 1;
            continue;
        }
        deliveries.push(work(sh, &mut rng, task));
    }
    (deliveries, stats)
}

/// Advances the manual clock by [`STEP`] whenever the other threads have
/// made `per_step` calls, or when they seem parked (nothing for a while);
/// cancels a random worker's poll now and then. Returns the steps taken.
fn clock_thread(sh: &Shared, per_step: u64, mut rng: StdRng) -> u64 {
    let mut last = 0;
    let mut idle = 0;
    let mut steps = 0;
    while !sh.stop_clock.load(Ordering::SeqCst) {
        let ops = sh.ops.load(Ordering::Relaxed);
        if ops >= last + per_step || idle >= 64 {
            sh.clock.advance(STEP);
            steps += 1;
            last = ops;
            idle = 0;
            if rng.random_bool(0.2) {
                let w = rng.random_range(0..sh.polls.len());
                let target = sh.polls[w].lock().unwrap().take();
                if let Some(c) = target {
                    c.cancel();
                }
            }
        } else {
            idle += 1;
            thread::yield_now();
        }
    }
    steps
}

fn pending_total(sh: &Shared) -> i64 {
    sh.lists
        .iter()
        .map(|l| {
            i64::from(
                sh.swf
                    .count_pending_activity_tasks(swf::CountPendingActivityTasksInput {
                        domain: DOMAIN.into(),
                        task_list: TaskList::new(l.as_str()),
                    })
                    .expect("count")
                    .count,
            )
        })
        .sum()
}

fn join<T>(h: thread::JoinHandle<T>, what: &str, seed: u64) -> T {
    match h.join() {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked (seed {seed}); its message is above"),
    }
}

/// Runs one row once with `seed`; returns the checker's tally.
fn run_once(label: &str, row: Row, seed: u64) -> Tally {
    println!("{label}: seed {seed} ({row:?})");
    let started = wall();
    let (broker, sh) = setup(&row, seed);
    let mut master = StdRng::seed_from_u64(seed);
    let clock = {
        let (sh, rng) = (Arc::clone(&sh), StdRng::seed_from_u64(master.random()));
        let per_step = 2 * row.workers as u64;
        thread::spawn(move || clock_thread(&sh, per_step, rng))
    };
    let workers: Vec<_> = (0..row.workers)
        .map(|w| {
            let (sh, rng) = (Arc::clone(&sh), StdRng::seed_from_u64(master.random()));
            thread::spawn(move || worker(&sh, row, w, rng))
        })
        .collect();
    let producers: Vec<_> = (0..row.producers)
        .map(|p| {
            let (sh, rng) = (Arc::clone(&sh), StdRng::seed_from_u64(master.random()));
            thread::spawn(move || producer(&sh, row, p, rng))
        })
        .collect();
    let mut executions = Vec::new();
    for (p, h) in producers.into_iter().enumerate() {
        executions.extend(join(h, &format!("producer {p}"), seed));
    }
    // Let the workers (and the schedule timeouts) drain every list.
    while pending_total(&sh) > 0 {
        thread::yield_now();
    }
    sh.stop_workers.store(true, Ordering::SeqCst);
    let mut deliveries = Vec::new();
    let mut polls = Polls::default();
    for (w, h) in workers.into_iter().enumerate() {
        let (d, p) = join(h, &format!("worker {w}"), seed);
        deliveries.extend(d);
        polls.polls += p.polls;
        polls.empty += p.empty;
        polls.limited += p.limited;
        polls.withdrawn += p.withdrawn;
    }
    sh.stop_clock.store(true, Ordering::SeqCst);
    let steps = join(clock, "the clock thread", seed);
    // Every abandoned or dawdled task times out now.
    sh.clock.advance(Duration::from_secs(3600));
    let tally = World {
        swf: &sh.swf,
        domain: DOMAIN,
        executions: &executions,
        deliveries: &deliveries,
        lists: &sh.lists,
        quiescent: true,
        page_size: 250,
    }
    .check();
    let open = executions.len() - tally.executions_closed.values().sum::<usize>();
    let report = broker.shutdown();
    assert_eq!(report.pollers_released, 0, "no poller may still wait");
    assert_eq!(report.tasks_closed, 0, "every task closed before shutdown");
    assert_eq!(report.executions_terminated, open);
    println!(
        "{label}: {} executions, {} events, {} scheduled, {} started, {} delivered, {} refused, {} open at execution close, {} cancel requests ({} failed), closes {:?}, {polls:?}, {} clock steps, {:.2?}",
        tally.executions,
        tally.events,
        tally.scheduled,
        tally.started,
        tally.deliveries,
        tally.refused,
        tally.open_at_execution_close,
        tally.cancel_requested,
        tally.cancel_failed,
        tally.closes,
        steps,
        started.elapsed(),
    );
    tally
}

/// Runs a row once (CI) or repeatedly with fresh seeds (soak).
fn run(label: &str, row: Row) {
    let row = Row {
        executions: scale(row.executions),
        ..row
    };
    let seed = seed_override().unwrap_or(row.seed);
    let tally = run_once(label, row, seed);
    // Every way a task closes happened (the counts are large enough that a
    // missing kind means a broken path, not bad luck).
    if tally.scheduled >= 500 {
        for kind in [
            "ActivityTaskCompleted",
            "ActivityTaskFailed",
            "ActivityTaskCanceled",
            "ActivityTaskTimedOut",
        ] {
            assert!(tally.closes_of(kind) > 0, "{label}: no {kind} in {tally:?}");
        }
        assert!(tally.refused > 0, "{label}: no respond raced a timeout");
    }
    if let Some(secs) = soak_secs() {
        let until = wall() + Duration::from_secs(secs);
        let mut i = 1u64;
        while wall() < until {
            run_once(label, row, seed.wrapping_add(i.wrapping_mul(0x9E37_79B9)));
            i += 1;
        }
    }
}

#[test]
fn p4_w8_l16() {
    run(
        "producers 4, workers 8, lists 16",
        Row {
            producers: 4,
            workers: 8,
            lists: 16,
            shards: 64,
            max_pollers: 1000,
            executions: 10,
            batches: 50,
            terminate: 0.2,
            seed: 0x5EED_0001,
        },
    );
}

#[test]
fn p8_w16_l200() {
    run(
        "producers 8, workers 16, lists 200",
        Row {
            producers: 8,
            workers: 16,
            lists: 200,
            shards: 64,
            max_pollers: 1000,
            executions: 5,
            batches: 50,
            terminate: 0.2,
            seed: 0x5EED_0002,
        },
    );
}

#[test]
fn p2_w24_l2_one_shard() {
    // Few lists, many pollers, one shard: most schedules find a parked
    // poller (the handoff path), every call contends for one lock, and
    // polls beyond 8 per list are refused.
    run(
        "producers 2, workers 24, lists 2, shards 1, max pollers 8",
        Row {
            producers: 2,
            workers: 24,
            lists: 2,
            shards: 1,
            max_pollers: 8,
            executions: 16,
            batches: 50,
            terminate: 0.1,
            seed: 0x5EED_0003,
        },
    );
}

#[test]
fn p12_w4_l64() {
    // More producers than workers: queues build up, schedule-to-start and
    // schedule-to-close timeouts fire on queued tasks.
    run(
        "producers 12, workers 4, lists 64, shards 8",
        Row {
            producers: 12,
            workers: 4,
            lists: 64,
            shards: 8,
            max_pollers: 1000,
            executions: 4,
            batches: 40,
            terminate: 0.3,
            seed: 0x5EED_0004,
        },
    );
}

#[test]
fn p16_w32_l1000() {
    // 49 threads on a few shards and a thousand lists: lists are created
    // and freed all the time, multi-decision lists lock several shards.
    run(
        "producers 16, workers 32, lists 1000, shards 4",
        Row {
            producers: 16,
            workers: 32,
            lists: 1000,
            shards: 4,
            max_pollers: 1000,
            executions: 2,
            batches: 50,
            terminate: 0.2,
            seed: 0x5EED_0005,
        },
    );
}
