//! The engine, driven through its public SWF API as a user would.
//!
//! Setup registers one domain (retention `NONE`, so a terminated execution
//! is freed at once), one activity type whose every timeout defaults to
//! `NONE` (no timers) and one workflow type. A producing thread schedules
//! through its own execution, one `ScheduleActivityTask` decision per
//! `RespondDecisionTaskCompleted`, with unique activity ids. After
//! [`SwfEngine::rotate_every`] schedules it starts a new execution; a retired
//! execution is terminated (and freed) once it has no open activity, so a
//! long run keeps neither the per-execution open-activity limit (1,000 by
//! default) nor an ever-growing history in its way. The amortized cost of
//! rotation (a start, two describes and a terminate per 1,000 lifecycles) is
//! part of every engine figure.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use activity_broker::swf::{
    ActivityType, ChildPolicy, Client, Decision, DescribeWorkflowExecutionInput,
    PollForActivityTaskInput, RecordActivityTaskHeartbeatInput, RegisterActivityTypeInput,
    RegisterDomainInput, RegisterWorkflowTypeInput, RespondActivityTaskCompletedInput,
    RespondActivityTaskFailedInput, RespondDecisionTaskCompletedInput,
    ScheduleActivityTaskDecisionAttributes, StartWorkflowExecutionInput, TaskList,
    TerminateWorkflowExecutionInput, WorkflowExecution, WorkflowType,
};
use activity_broker::{Broker, BrokerBuilder, ManualClock};

use super::{Fail, Polled, Workload};

/// The domain every engine workload uses.
pub const DOMAIN: &str = "bench";

/// Schedules per execution before a producer starts a new one: the
/// engine's default open-activity limit, so no schedule can hit it.
pub const ROTATE_EVERY: usize = 1000;

/// The engine as a [`Workload`].
pub struct SwfEngine {
    broker: Broker,
    swf: Client,
    manual: Option<ManualClock>,
    lists: Vec<String>,
    activity_type: ActivityType,
    workflow_type: WorkflowType,
    rotate_every: usize,
    next_exec: AtomicU64,
}

/// A thread's state: its current execution and the retired ones still
/// holding open activities.
pub struct SwfCtx {
    exec: Option<WorkflowExecution>,
    in_exec: usize,
    next_activity: u64,
    retired: VecDeque<WorkflowExecution>,
    identity: String,
}

fn fault(e: impl std::fmt::Display) -> Fail {
    e.to_string()
}

/// The name of list `i`.
pub fn list_name(i: usize) -> String {
    format!("list-{i}")
}

impl SwfEngine {
    /// An engine with default settings and `lists` task lists, on the
    /// system clock or a manual one.
    pub fn new(lists: usize, manual_clock: bool) -> SwfEngine {
        SwfEngine::with(lists, manual_clock, |b| b)
    }

    /// As [`new`](SwfEngine::new), with builder settings changed by `f`.
    ///
    /// # Panics
    ///
    /// If the engine cannot be built or set up.
    pub fn with(
        lists: usize,
        manual_clock: bool,
        f: impl FnOnce(BrokerBuilder) -> BrokerBuilder,
    ) -> SwfEngine {
        let manual = manual_clock.then(ManualClock::new);
        let mut builder = Broker::builder().seed(42);
        if let Some(m) = &manual {
            builder = builder.clock(m.clone());
        }
        let broker = f(builder).build().expect("engine settings");
        let swf = broker.swf();
        swf.register_domain(RegisterDomainInput {
            name: DOMAIN.into(),
            workflow_execution_retention_period_in_days: "NONE".into(),
            ..Default::default()
        })
        .expect("register domain");
        swf.register_activity_type(RegisterActivityTypeInput {
            domain: DOMAIN.into(),
            name: "work".into(),
            version: "1".into(),
            default_task_schedule_to_start_timeout: Some("NONE".into()),
            default_task_schedule_to_close_timeout: Some("NONE".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_task_heartbeat_timeout: Some("NONE".into()),
            ..Default::default()
        })
        .expect("register activity type");
        swf.register_workflow_type(RegisterWorkflowTypeInput {
            domain: DOMAIN.into(),
            name: "flow".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("deciders")),
            default_execution_start_to_close_timeout: Some("31536000".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_child_policy: Some(ChildPolicy::Terminate),
            ..Default::default()
        })
        .expect("register workflow type");
        SwfEngine {
            broker,
            swf,
            manual,
            lists: (0..lists.max(1)).map(list_name).collect(),
            activity_type: ActivityType::new("work", "1"),
            workflow_type: WorkflowType::new("flow", "1"),
            rotate_every: ROTATE_EVERY,
            next_exec: AtomicU64::new(0),
        }
    }

    /// Starts a new execution every `n` schedules (at most the engine's
    /// open-activity limit).
    pub fn rotate_every(mut self, n: usize) -> SwfEngine {
        self.rotate_every = n.max(1);
        self
    }

    /// The engine's root handle.
    pub fn broker(&self) -> &Broker {
        &self.broker
    }

    /// The SWF client.
    pub fn client(&self) -> &Client {
        &self.swf
    }

    /// The manual clock, if the engine runs on one.
    pub fn manual_clock(&self) -> Option<&ManualClock> {
        self.manual.as_ref()
    }

    /// Closes every execution of `cx` now, whatever it holds, and frees
    /// them (manual clock: at once; system clock: when the timer thread
    /// next runs).
    pub fn retire_all(&self, cx: &mut SwfCtx) -> Result<(), Fail> {
        if let Some(e) = cx.exec.take() {
            cx.retired.push_back(e);
        }
        while let Some(e) = cx.retired.pop_front() {
            self.terminate(&e)?;
        }
        if let Some(m) = &self.manual {
            m.advance(Duration::ZERO);
        }
        Ok(())
    }

    fn terminate(&self, e: &WorkflowExecution) -> Result<(), Fail> {
        self.swf
            .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: e.workflow_id.clone(),
                run_id: Some(e.run_id.clone()),
                ..Default::default()
            })
            .map(drop)
            .map_err(fault)
    }

    fn has_open_tasks(&self, e: &WorkflowExecution) -> Result<bool, Fail> {
        let d = self
            .swf
            .describe_workflow_execution(DescribeWorkflowExecutionInput {
                domain: DOMAIN.into(),
                execution: e.clone(),
            })
            .map_err(fault)?;
        Ok(d.open_counts.open_activity_tasks > 0)
    }

    /// Moves `cx` to a new execution; terminates retired ones that have
    /// nothing open: the newest retired, the one it leaves, and then the
    /// oldest (tasks are taken roughly FIFO).
    fn rotate(&self, cx: &mut SwfCtx) -> Result<(), Fail> {
        let mut freed = false;
        // The newest retired first, before the one being left joins them:
        // a loop on one list that leaves its last task queued for the next
        // lifecycle (`scale_lists` hot, behind a preload) retires each
        // execution with that one task open; the next lifecycle closes it,
        // but the execution sits behind the preload's, which stay open for
        // the whole bench, so a sweep from the front never reaches it.
        while let Some(e) = cx.retired.back() {
            if self.has_open_tasks(e)? {
                break;
            }
            self.terminate(e)?;
            cx.retired.pop_back();
            freed = true;
        }
        if let Some(e) = cx.exec.take() {
            // Done already (a loop that closes every task before the next
            // schedule): freed now, not queued behind older executions
            // (which kept the measured loop's histories alive, growing into
            // fresh pages: a quarter of `scale_lists` hot's time at
            // 1,000,000 lists went to zeroing them).
            if self.has_open_tasks(&e)? {
                cx.retired.push_back(e);
            } else {
                self.terminate(&e)?;
                freed = true;
            }
        }
        while let Some(e) = cx.retired.front() {
            if self.has_open_tasks(e)? {
                break;
            }
            self.terminate(e)?;
            cx.retired.pop_front();
            freed = true;
        }
        if freed {
            if let Some(m) = &self.manual {
                // Retention is NONE: a zero advance frees them now.
                m.advance(Duration::ZERO);
            }
        }
        let n = self.next_exec.fetch_add(1, Ordering::Relaxed);
        let workflow_id = format!("w{n}");
        let run = self
            .swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: workflow_id.clone(),
                workflow_type: self.workflow_type.clone(),
                ..Default::default()
            })
            .map_err(fault)?;
        cx.exec = Some(WorkflowExecution::new(workflow_id, run.run_id));
        cx.in_exec = 0;
        Ok(())
    }

    fn list(&self, i: usize) -> &str {
        self.lists.get(i).map_or("list-0", String::as_str)
    }
}

impl super::Engine for SwfEngine {
    const MAX_LISTS: usize = usize::MAX;

    fn build(lists: usize, manual_clock: bool) -> SwfEngine {
        SwfEngine::new(lists, manual_clock)
    }

    fn free(&self, cx: &mut SwfCtx) {
        self.retire_all(cx)
            .unwrap_or_else(|e| panic!("terminating executions: {e}"));
    }
}

impl Workload for SwfEngine {
    type Ctx = SwfCtx;
    type Token = String;

    fn name(&self) -> String {
        if self.manual.is_some() {
            "engine/swf (manual clock)".into()
        } else {
            "engine/swf".into()
        }
    }

    fn ctx(&self, thread: usize) -> SwfCtx {
        SwfCtx {
            exec: None,
            in_exec: 0,
            next_activity: 0,
            retired: VecDeque::new(),
            identity: format!("worker-{thread}"),
        }
    }

    fn schedule(&self, cx: &mut SwfCtx, list: usize, input: String) -> Result<(), Fail> {
        if cx.exec.is_none() || cx.in_exec >= self.rotate_every {
            self.rotate(cx)?;
        }
        let Some(execution) = cx.exec.clone() else {
            return Err("no execution".into());
        };
        cx.in_exec += 1;
        cx.next_activity += 1;
        self.swf
            .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution,
                decisions: vec![Decision::ScheduleActivityTask(
                    ScheduleActivityTaskDecisionAttributes {
                        activity_type: self.activity_type.clone(),
                        activity_id: format!("a{}", cx.next_activity),
                        input: Some(input),
                        task_list: Some(TaskList::new(self.list(list))),
                        ..Default::default()
                    },
                )],
                ..Default::default()
            })
            .map(drop)
            .map_err(fault)
    }

    fn poll(
        &self,
        cx: &mut SwfCtx,
        list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<String>>, Fail> {
        let out = self
            .swf
            .poll_for_activity_task_timeout(
                PollForActivityTaskInput {
                    domain: DOMAIN.into(),
                    task_list: TaskList::new(self.list(list)),
                    identity: Some(cx.identity.clone()),
                },
                timeout,
            )
            .map_err(fault)?;
        if out.is_empty() {
            return Ok(None);
        }
        Ok(Some(Polled {
            token: out.task_token,
            input: out.input.unwrap_or_default(),
        }))
    }

    fn heartbeat(&self, _cx: &mut SwfCtx, token: &String) -> Result<bool, Fail> {
        self.swf
            .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                task_token: token.clone(),
                details: None,
            })
            .map(|o| o.cancel_requested)
            .map_err(fault)
    }

    fn complete(&self, _cx: &mut SwfCtx, token: String) -> Result<(), Fail> {
        self.swf
            .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                task_token: token,
                result: None,
            })
            .map(drop)
            .map_err(fault)
    }

    fn fail(&self, _cx: &mut SwfCtx, token: String) -> Result<(), Fail> {
        self.swf
            .respond_activity_task_failed(RespondActivityTaskFailedInput {
                task_token: token,
                reason: Some("bench".into()),
                details: None,
            })
            .map(drop)
            .map_err(fault)
    }

    fn waiting(&self, list: usize) -> Option<usize> {
        Some(self.swf.waiting_pollers(DOMAIN, self.list(list)))
    }

    fn release(&self) {
        self.broker.shutdown();
    }
}
