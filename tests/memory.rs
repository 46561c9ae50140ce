//! Memory: many task lifecycles, and the process's resident set stays flat
//! after warm-up: closed tasks, drained task lists, parked pollers and
//! closed executions (with their histories) are all freed.
//!
//! One test in its own file, so its process runs nothing else (RSS is
//! process-wide). The lifecycles rotate through every way a task and an
//! execution end:
//!
//! - tasks are completed, failed, canceled (queued, and started after a
//!   cancel request), timed out queued (schedule-to-start) and timed out
//!   started (a worker abandons them; start-to-close);
//! - a tenth go through a parked poller on another thread (the handoff);
//! - half use a task list named for their execution, created and freed with
//!   it;
//! - executions rotate: most are terminated after a few hundred lifecycles,
//!   some run into the 25,000-event history limit (terminated with cause
//!   `EVENT_LIMIT_EXCEEDED`), and now and then one opens 1,000 activities at
//!   once (the open-activities limit) and drains them;
//! - two domains: retention `NONE` (a closed history is freed at once) and
//!   retention 1 day (freed when the manual clock passes it, which the test
//!   makes happen every few executions).
//!
//! CI runs 100,000 lifecycles; `ACTIVITY_BROKER_SOAK=1` runs 3,000,000
//! (best with `--release`); `ACTIVITY_BROKER_LIFECYCLES=<n>` runs `n`. The
//! resident set is sampled from `/proc/self/status` (Linux; elsewhere the
//! test runs the lifecycles and skips the figure).

#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/rig.rs"]
mod rig;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use activity_broker::swf::{
    self, ActivityType, ChildPolicy, Decision, DescribeWorkflowExecutionInput, EventType,
    PollForActivityTaskInput, RecordActivityTaskHeartbeatInput, RegisterActivityTypeInput,
    RegisterDomainInput, RegisterWorkflowTypeInput, RequestCancelActivityTaskDecisionAttributes,
    RespondActivityTaskCanceledInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput, RespondDecisionTaskCompletedInput,
    ScheduleActivityTaskDecisionAttributes, StartWorkflowExecutionInput, TaskList,
    TerminateWorkflowExecutionInput, WorkflowExecution, WorkflowType,
};
use activity_broker::{Broker, ManualClock};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const DOMAINS: [(&str, &str); 2] = [("gone", "NONE"), ("kept", "1")];
const ACTIVITY: &str = "act";
const WORKFLOW: &str = "flow";
const VERSION: &str = "1";
const HANDOFF_LIST: &str = "hand";

/// The resident set size in bytes, if the platform tells.
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn lifecycles() -> usize {
    if let Some(n) = std::env::var("ACTIVITY_BROKER_LIFECYCLES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return n;
    }
    let soak = std::env::var("ACTIVITY_BROKER_SOAK")
        .ok()
        .is_some_and(|v| v.trim() != "0");
    if cfg!(miri) {
        200
    } else if soak {
        3_000_000
    } else {
        100_000
    }
}

#[expect(
    clippy::disallowed_methods,
    reason = "wall time only reports the run's speed"
)]
fn wall() -> std::time::Instant {
    std::time::Instant::now()
}

struct Soak {
    clock: ManualClock,
    swf: swf::Client,
    rng: StdRng,
    /// Task lifecycles ended (each scheduled task closed once).
    done: usize,
    /// Executions started.
    started: usize,
    /// Executions that hit the history limit.
    limit_hits: usize,
    /// The handoff worker: tasks completed, acknowledged one by one.
    acks: mpsc::Receiver<()>,
}

fn setup() -> (Broker, swf::Client, ManualClock) {
    let clock = ManualClock::new();
    let broker = Broker::builder()
        .clock(clock.clone())
        .seed(1)
        .build()
        .expect("build broker");
    let swf = broker.swf();
    for (domain, retention) in DOMAINS {
        swf.register_domain(RegisterDomainInput {
            name: domain.into(),
            workflow_execution_retention_period_in_days: retention.into(),
            ..Default::default()
        })
        .expect("register domain");
        swf.register_activity_type(RegisterActivityTypeInput {
            domain: domain.into(),
            name: ACTIVITY.into(),
            version: VERSION.into(),
            default_task_list: Some(TaskList::new("shared")),
            default_task_schedule_to_start_timeout: Some("NONE".into()),
            default_task_schedule_to_close_timeout: Some("NONE".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_task_heartbeat_timeout: Some("NONE".into()),
            ..Default::default()
        })
        .expect("register activity type");
        swf.register_workflow_type(RegisterWorkflowTypeInput {
            domain: domain.into(),
            name: WORKFLOW.into(),
            version: VERSION.into(),
            default_task_list: Some(TaskList::new("deciders")),
            default_execution_start_to_close_timeout: Some("31536000".into()),
            default_task_start_to_close_timeout: Some("60".into()),
            default_child_policy: Some(ChildPolicy::Terminate),
            ..Default::default()
        })
        .expect("register workflow type");
    }
    (broker, swf, clock)
}

/// The handoff worker: parks on [`HANDOFF_LIST`] of `domain`, completes
/// what it gets, acknowledges; ends on the activity `stop`.
fn handoff_worker(swf: swf::Client, domain: &'static str, acks: mpsc::Sender<()>) {
    loop {
        let input = PollForActivityTaskInput {
            domain: domain.into(),
            task_list: TaskList::new(HANDOFF_LIST),
            identity: Some("handoff".into()),
        };
        let task = swf
            .poll_for_activity_task_timeout(input, Duration::from_secs(10 * 86_400))
            .expect("poll");
        if task.is_empty() {
            continue;
        }
        swf.respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: task.task_token,
            result: None,
        })
        .expect("complete");
        if task.activity_id == "stop" {
            return;
        }
        acks.send(()).expect("ack");
    }
}

impl Soak {
    fn decide(&self, domain: &str, exec: &WorkflowExecution, decisions: Vec<Decision>) {
        self.try_decide(domain, exec, decisions, true);
    }

    fn schedule(id: &str, list: &str, s2s: &str, stc: &str) -> Decision {
        Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
            activity_type: ActivityType::new(ACTIVITY, VERSION),
            activity_id: id.into(),
            input: Some("payload".into()),
            task_list: Some(TaskList::new(list)),
            schedule_to_start_timeout: Some(s2s.into()),
            start_to_close_timeout: Some(stc.into()),
            ..Default::default()
        })
    }

    /// The value of `r`; `None` for the `UnknownResourceFault` of an
    /// execution the history limit has closed (`strict` is off only in runs
    /// that go to the limit, where any event may be the last).
    fn ok<T>(r: Result<T, swf::Error>, strict: bool) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(swf::Error::UnknownResourceFault(_)) if !strict => None,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn poll(
        &self,
        domain: &str,
        list: &str,
        strict: bool,
    ) -> Option<swf::PollForActivityTaskOutput> {
        let task = self
            .swf
            .poll_for_activity_task_timeout(
                PollForActivityTaskInput {
                    domain: domain.into(),
                    task_list: TaskList::new(list),
                    identity: Some("soak".into()),
                },
                Duration::ZERO,
            )
            .expect("poll");
        assert!(!(strict && task.is_empty()), "the task is queued");
        (!task.is_empty()).then_some(task)
    }

    fn complete(&self, token: String, strict: bool) -> Option<()> {
        Soak::ok(
            self.swf
                .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                    task_token: token,
                    result: Some("ok".into()),
                }),
            strict,
        )
        .map(drop)
    }

    fn try_decide(
        &self,
        domain: &str,
        exec: &WorkflowExecution,
        decisions: Vec<Decision>,
        strict: bool,
    ) -> Option<()> {
        Soak::ok(
            self.swf
                .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                    domain: domain.into(),
                    execution: exec.clone(),
                    decisions,
                    ..Default::default()
                }),
            strict,
        )
        .map(drop)
    }

    /// One task lifecycle in `exec`, ended one of seven ways. `to_limit`:
    /// the execution runs until the history limit closes it, possibly in
    /// the middle of this lifecycle; returns `None` once it has.
    fn lifecycle(
        &mut self,
        domain: &'static str,
        exec: &WorkflowExecution,
        n: usize,
        to_limit: bool,
    ) -> Option<()> {
        let strict = !to_limit;
        let id = format!("a{n}");
        let own = format!("x{}", self.started);
        let mut list = if n % 2 == 0 { "shared" } else { own.as_str() };
        let mut kind = n % 20;
        if kind == 2 || kind == 12 {
            if to_limit {
                // A schedule the limit cuts short never reaches the other
                // thread: keep these on this one.
                kind = 19;
            } else {
                // Through a poller parked on another thread.
                list = HANDOFF_LIST;
                while self.swf.waiting_pollers(domain, HANDOFF_LIST) == 0 {
                    thread::yield_now();
                }
            }
        }
        let (s2s, stc) = match kind {
            0 => ("1", "NONE"),
            1 => ("NONE", "1"),
            _ => ("NONE", "NONE"),
        };
        self.try_decide(
            domain,
            exec,
            vec![Soak::schedule(&id, list, s2s, stc)],
            strict,
        )?;
        self.done += 1;
        match kind {
            // Queued too long: schedule-to-start.
            0 => self.clock.advance(Duration::from_secs(1)),
            // Abandoned by its worker: start-to-close.
            1 => {
                let _abandoned = self.poll(domain, list, strict)?;
                self.clock.advance(Duration::from_secs(1));
            }
            2 | 12 => {
                self.acks.recv().expect("the handoff worker acknowledges");
            }
            3 => {
                let task = self.poll(domain, list, strict)?;
                Soak::ok(
                    self.swf
                        .respond_activity_task_failed(RespondActivityTaskFailedInput {
                            task_token: task.task_token,
                            reason: Some("no".into()),
                            details: None,
                        }),
                    strict,
                )?;
            }
            // Canceled while queued.
            4 => self.try_decide(domain, exec, vec![cancel(&id)], strict)?,
            5 => {
                // Started, asked to cancel, cancels.
                let task = self.poll(domain, list, strict)?;
                self.try_decide(domain, exec, vec![cancel(&id)], strict)?;
                let hb = Soak::ok(
                    self.swf
                        .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                            task_token: task.task_token.clone(),
                            details: Some("beat".into()),
                        }),
                    strict,
                )?;
                assert!(hb.cancel_requested);
                Soak::ok(
                    self.swf
                        .respond_activity_task_canceled(RespondActivityTaskCanceledInput {
                            task_token: task.task_token,
                            details: None,
                        }),
                    strict,
                )?;
            }
            _ => {
                let task = self.poll(domain, list, strict)?;
                self.complete(task.task_token, strict)?;
            }
        }
        Some(())
    }

    /// Opens the maximum of 1,000 activities at once (the next schedule
    /// fails with `OPEN_ACTIVITIES_LIMIT_EXCEEDED`), then drains them.
    fn burst(&mut self, domain: &'static str, exec: &WorkflowExecution) {
        let list = format!("burst{}", self.started);
        let decisions: Vec<Decision> = (0..1001)
            .map(|i| Soak::schedule(&format!("b{i}"), &list, "NONE", "NONE"))
            .collect();
        self.decide(domain, exec, decisions);
        let h = invariants::history(&self.swf, domain, exec, 1000).expect("history");
        assert!(h.iter().any(|e| matches!(
            &e.attributes,
            swf::EventAttributes::ScheduleActivityTaskFailed { cause, .. }
                if *cause == "OPEN_ACTIVITIES_LIMIT_EXCEEDED"
        )));
        for _ in 0..1000 {
            let task = self.poll(domain, &list, true);
            self.complete(task.expect("queued").task_token, true);
            self.done += 1;
        }
    }

    /// Runs one execution: `target` lifecycles (or until the history
    /// limit), then terminates it if still open. Every tenth history is
    /// checked before it is freed.
    fn execution(&mut self, target: usize, burst: bool) {
        let domain = DOMAINS[self.started % 2].0;
        self.started += 1;
        let wid = format!("w{}", self.started % 1000);
        let run = self
            .swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: domain.into(),
                workflow_id: wid.clone(),
                workflow_type: WorkflowType::new(WORKFLOW, VERSION),
                ..Default::default()
            })
            .expect("start");
        let exec = WorkflowExecution::new(wid.clone(), run.run_id);
        if burst {
            self.burst(domain, &exec);
        }
        let to_limit = target == usize::MAX;
        let mut open = true;
        for n in 0..target {
            if self.lifecycle(domain, &exec, n, to_limit).is_none() {
                open = false;
                break;
            }
        }
        let check = self.started % 10 == 0 || !open;
        let history = check.then(|| invariants::history(&self.swf, domain, &exec, 1000));
        if open {
            self.swf
                .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                    domain: domain.into(),
                    workflow_id: wid,
                    run_id: Some(exec.run_id.clone()),
                    ..Default::default()
                })
                .expect("terminate");
        } else {
            self.limit_hits += 1;
        }
        if let Some(h) = history {
            let h = h.expect("history");
            let mut errors = Vec::new();
            let facts = invariants::check_history(&exec.run_id, &h, &mut errors);
            assert!(errors.is_empty(), "{errors:#?}");
            if !open {
                assert_eq!(facts.events, 25_000, "the history limit");
                assert_eq!(
                    h.last().map(|e| e.event_type),
                    Some(EventType::WorkflowExecutionTerminated)
                );
            }
        }
        if domain == "gone" {
            // Retention NONE: freed at its close.
            let gone = self
                .swf
                .describe_workflow_execution(DescribeWorkflowExecutionInput {
                    domain: domain.into(),
                    execution: exec,
                });
            assert!(matches!(gone, Err(swf::Error::UnknownResourceFault(_))));
        }
    }
}

fn cancel(id: &str) -> Decision {
    Decision::RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes {
        activity_id: id.into(),
    })
}

#[test]
fn memory_stays_flat_over_many_task_lifecycles() {
    let total = lifecycles();
    // Warm-up covers several executions that run into the history limit:
    // their 25,000-event histories are the largest blocks the engine
    // allocates, and the allocator's heap reaches its high-water mark only
    // after a few of them have come and gone.
    let warm_up = (total / 10).max(60_000).min(total * 6 / 10);
    let (broker, swf, clock) = setup();
    let (ack_tx, ack_rx) = mpsc::channel();
    let workers: Vec<_> = DOMAINS
        .iter()
        .map(|&(domain, _)| {
            let (swf, acks) = (swf.clone(), ack_tx.clone());
            thread::spawn(move || handoff_worker(swf, domain, acks))
        })
        .collect();
    let mut soak = Soak {
        clock: clock.clone(),
        swf: swf.clone(),
        rng: StdRng::seed_from_u64(0x5EED),
        done: 0,
        started: 0,
        limit_hits: 0,
        acks: ack_rx,
    };
    let t0 = wall();
    let mut at_warm_up = None;
    let mut peak = 0;
    let mut samples = Vec::new();
    let mut next_sample = warm_up;
    while soak.done < total {
        // Every eighth execution runs into the history limit (about 4,200
        // lifecycles), every 25th opens 1,000 activities first; the rest end
        // after 100-600.
        let target = if soak.started % 8 == 7 {
            usize::MAX
        } else {
            soak.rng.random_range(100..600)
        };
        let burst = soak.started % 25 == 3;
        soak.execution(target, burst);
        if soak.started % 8 == 0 {
            // Retention of the "kept" domain (1 day) ends for everything
            // closed so far.
            clock.advance(Duration::from_secs(86_400 + 1));
        }
        if soak.done >= next_sample {
            if let Some(r) = rss() {
                if at_warm_up.is_none() {
                    at_warm_up = Some(r);
                }
                peak = peak.max(r);
                samples.push((soak.done, r));
            }
            next_sample += (total / 20).max(5_000);
        }
    }
    let elapsed = t0.elapsed();
    clock.advance(Duration::from_secs(2 * 86_400));
    for (domain, _) in DOMAINS {
        swf.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
            domain: domain.into(),
            execution: {
                let run = swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        domain: domain.into(),
                        workflow_id: "stopper".into(),
                        workflow_type: WorkflowType::new(WORKFLOW, VERSION),
                        ..Default::default()
                    })
                    .expect("start");
                WorkflowExecution::new("stopper", run.run_id)
            },
            decisions: vec![Soak::schedule("stop", HANDOFF_LIST, "NONE", "NONE")],
            ..Default::default()
        })
        .expect("stop the worker");
    }
    for w in workers {
        w.join().expect("handoff worker");
    }
    let report = broker.shutdown();
    assert_eq!(report.pollers_released, 0);
    assert_eq!(report.tasks_closed, 0, "every lifecycle ended");
    let end = rss();
    println!(
        "{} lifecycles in {:.2?} ({:.1} µs each), {} executions, {} ended by the history limit",
        soak.done,
        elapsed,
        elapsed.as_secs_f64() * 1e6 / soak.done as f64,
        soak.started,
        soak.limit_hits,
    );
    if let (Some(warm), Some(end)) = (at_warm_up, end) {
        let after = soak.done.saturating_sub(warm_up).max(1);
        let growth = end.saturating_sub(warm);
        println!(
            "RSS after warm-up ({warm_up} lifecycles) {:.1} MiB, at the end {:.1} MiB, peak {:.1} MiB; growth {:.2} MiB over {after} lifecycles ({:.2} bytes each)",
            mib(warm),
            mib(end),
            mib(peak.max(end)),
            mib(growth),
            growth as f64 / after as f64,
        );
        let trail: Vec<String> = samples
            .iter()
            .map(|(n, r)| format!("{n}:{:.1}", mib(*r)))
            .collect();
        println!("RSS samples (lifecycles:MiB): {}", trail.join(" "));
        assert!(
            growth < 20 * 1024 * 1024,
            "RSS grew by {:.1} MiB after warm-up",
            mib(growth)
        );
    }
}
