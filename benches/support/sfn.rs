//! The engine through its Step Functions face.
//!
//! Task list `i` is activity `list-i`. A schedule is a `StartExecution`
//! naming the activity (this engine's stand-in for a state machine whose one
//! Task state runs it), so every task has its own execution, which closes
//! with the task. Inputs must be JSON: each is sent as a JSON string
//! (`"…"`, two bytes more than the payload), and `SendTaskSuccess` sends
//! `{}`. Closed executions are kept for 90 days, as AWS keeps them, so a
//! long run on the system clock grows by one history per lifecycle;
//! [`SfnEngine::free_closed`] moves a manual clock past the retention.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use activity_broker::sfn::{
    Client, CreateActivityInput, GetActivityTaskInput, SendTaskFailureInput,
    SendTaskHeartbeatInput, SendTaskSuccessInput, StartExecutionInput,
};
use activity_broker::{Broker, BrokerBuilder, ManualClock};

use super::{Fail, Polled, Workload};

/// Activities the face allows (AWS's default quota).
pub const MAX_LISTS: usize = 10_000;

/// The Step Functions face as a [`Workload`].
pub struct SfnEngine {
    broker: Broker,
    sfn: Client,
    manual: Option<ManualClock>,
    arns: Vec<String>,
    machine: String,
    next_exec: AtomicU64,
}

/// A thread's worker name.
pub struct SfnCtx {
    worker: String,
}

fn fault(e: impl std::fmt::Display) -> Fail {
    e.to_string()
}

impl SfnEngine {
    /// An engine with `lists` activities (at most [`MAX_LISTS`]).
    pub fn new(lists: usize, manual_clock: bool) -> SfnEngine {
        SfnEngine::with(lists, manual_clock, |b| b)
    }

    /// As [`new`](SfnEngine::new), with builder settings changed by `f`.
    ///
    /// # Panics
    ///
    /// If the engine cannot be built, or `lists` exceeds [`MAX_LISTS`].
    pub fn with(
        lists: usize,
        manual_clock: bool,
        f: impl FnOnce(BrokerBuilder) -> BrokerBuilder,
    ) -> SfnEngine {
        assert!(
            lists <= MAX_LISTS,
            "the sfn face allows at most {MAX_LISTS} activities"
        );
        let manual = manual_clock.then(ManualClock::new);
        let mut builder = Broker::builder().seed(42);
        if let Some(m) = &manual {
            builder = builder.clock(m.clone());
        }
        let broker = f(builder).build().expect("engine settings");
        let sfn = broker.sfn();
        let arns = (0..lists.max(1))
            .map(|i| {
                sfn.create_activity(CreateActivityInput {
                    name: super::engine::list_name(i),
                    ..Default::default()
                })
                .expect("create activity")
                .activity_arn
            })
            .collect();
        let machine = sfn.state_machine_arn("bench");
        SfnEngine {
            broker,
            sfn,
            manual,
            arns,
            machine,
            next_exec: AtomicU64::new(0),
        }
    }

    /// Frees closed executions now by moving a manual clock past the
    /// 90-day retention (a no-op on the system clock).
    pub fn free_closed(&self) {
        if let Some(m) = &self.manual {
            m.advance(Duration::from_secs(91 * 86_400));
        }
    }

    /// The engine's root handle.
    pub fn broker(&self) -> &Broker {
        &self.broker
    }

    fn arn(&self, i: usize) -> &str {
        self.arns.get(i).map_or("", String::as_str)
    }
}

impl super::Engine for SfnEngine {
    const MAX_LISTS: usize = MAX_LISTS;

    fn build(lists: usize, manual_clock: bool) -> SfnEngine {
        SfnEngine::new(lists, manual_clock)
    }

    fn free(&self, _cx: &mut SfnCtx) {
        self.free_closed();
    }
}

impl Workload for SfnEngine {
    type Ctx = SfnCtx;
    type Token = String;

    fn name(&self) -> String {
        if self.manual.is_some() {
            "engine/sfn (manual clock)".into()
        } else {
            "engine/sfn".into()
        }
    }

    fn ctx(&self, thread: usize) -> SfnCtx {
        SfnCtx {
            worker: format!("worker-{thread}"),
        }
    }

    fn schedule(&self, _cx: &mut SfnCtx, list: usize, input: String) -> Result<(), Fail> {
        let n = self.next_exec.fetch_add(1, Ordering::Relaxed);
        let mut json = String::with_capacity(input.len() + 2);
        json.push('"');
        json.push_str(&input);
        json.push('"');
        self.sfn
            .start_execution(StartExecutionInput {
                state_machine_arn: self.machine.clone(),
                name: Some(format!("e{n}")),
                input: Some(json),
                activity_arn: self.arn(list).to_owned(),
                ..Default::default()
            })
            .map(drop)
            .map_err(fault)
    }

    fn poll(
        &self,
        cx: &mut SfnCtx,
        list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<String>>, Fail> {
        let out = self
            .sfn
            .get_activity_task_timeout(
                GetActivityTaskInput {
                    activity_arn: self.arn(list).to_owned(),
                    worker_name: Some(cx.worker.clone()),
                },
                timeout,
            )
            .map_err(fault)?;
        Ok(out.task_token.map(|token| Polled {
            token,
            input: out.input.unwrap_or_default(),
        }))
    }

    fn heartbeat(&self, _cx: &mut SfnCtx, token: &String) -> Result<bool, Fail> {
        self.sfn
            .send_task_heartbeat(SendTaskHeartbeatInput {
                task_token: token.clone(),
            })
            .map(|_| false)
            .map_err(fault)
    }

    fn complete(&self, _cx: &mut SfnCtx, token: String) -> Result<(), Fail> {
        self.sfn
            .send_task_success(SendTaskSuccessInput {
                task_token: token,
                output: "{}".into(),
            })
            .map(drop)
            .map_err(fault)
    }

    fn fail(&self, _cx: &mut SfnCtx, token: String) -> Result<(), Fail> {
        self.sfn
            .send_task_failure(SendTaskFailureInput {
                task_token: token,
                error: Some("bench".into()),
                cause: None,
            })
            .map(drop)
            .map_err(fault)
    }

    fn waiting(&self, list: usize) -> Option<usize> {
        Some(self.sfn.waiting_pollers(self.arn(list)))
    }

    fn release(&self) {
        self.broker.shutdown();
    }
}
