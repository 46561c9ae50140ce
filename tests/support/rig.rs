//! A small manual-clock rig for the handoff, panic-safety and memory tests:
//! one engine, one domain, one activity type whose defaults are all `NONE`,
//! one workflow type, and helpers that order threads by engine state
//! (waiting pollers), never by sleeping.
//!
//! Included by path (`#[path = "support/rig.rs"] mod rig;`), beside
//! `support/invariants.rs`.
#![allow(dead_code, reason = "each test crate uses a different part of the rig")]

use std::thread;
use std::time::Duration;

use activity_broker::swf::{
    self, ActivityType, ChildPolicy, CountPendingActivityTasksInput, Decision, EventAttributes,
    HistoryEvent, PollForActivityTaskInput, PollForActivityTaskOutput, RegisterActivityTypeInput,
    RegisterDomainInput, RegisterWorkflowTypeInput, RequestCancelActivityTaskDecisionAttributes,
    RespondActivityTaskCompletedInput, RespondDecisionTaskCompletedInput,
    ScheduleActivityTaskDecisionAttributes, StartWorkflowExecutionInput, TaskList,
    WorkflowExecution, WorkflowType,
};
use activity_broker::{Broker, BrokerBuilder, ManualClock};

pub const DOMAIN: &str = "rig";
pub const ACTIVITY: &str = "act";
pub const WORKFLOW: &str = "flow";
pub const VERSION: &str = "1";

/// One nanosecond, the manual clock's smallest step.
pub const NS: Duration = Duration::from_nanos(1);

/// `n` seconds.
pub fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The four activity timeouts of one schedule, as SWF strings (`None`: the
/// type's default, `NONE`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Timeouts {
    pub schedule_to_start: Option<&'static str>,
    pub schedule_to_close: Option<&'static str>,
    pub start_to_close: Option<&'static str>,
    pub heartbeat: Option<&'static str>,
}

/// A manual-clock engine with [`DOMAIN`] and the two types registered.
pub struct Rig {
    pub clock: ManualClock,
    pub broker: Broker,
    pub swf: swf::Client,
}

impl Rig {
    /// Retention `retention` (days, `NONE` or `0`), builder tuned by `tune`.
    pub fn new(retention: &str, tune: impl FnOnce(BrokerBuilder) -> BrokerBuilder) -> Rig {
        let clock = ManualClock::new();
        let broker = tune(Broker::builder().clock(clock.clone()).seed(11))
            .build()
            .expect("build broker");
        let swf = broker.swf();
        swf.register_domain(RegisterDomainInput {
            name: DOMAIN.into(),
            workflow_execution_retention_period_in_days: retention.into(),
            ..Default::default()
        })
        .expect("register domain");
        swf.register_activity_type(RegisterActivityTypeInput {
            domain: DOMAIN.into(),
            name: ACTIVITY.into(),
            version: VERSION.into(),
            default_task_list: Some(TaskList::new("default")),
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
        Rig { clock, broker, swf }
    }

    /// Starts execution `workflow_id`.
    pub fn start(&self, workflow_id: &str) -> WorkflowExecution {
        let run = self
            .swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: workflow_id.into(),
                workflow_type: WorkflowType::new(WORKFLOW, VERSION),
                ..Default::default()
            })
            .expect("start execution");
        WorkflowExecution::new(workflow_id, run.run_id)
    }

    /// A schedule decision for activity `id` on `list`, input `id`.
    pub fn schedule_decision(id: &str, list: &str, t: Timeouts) -> Decision {
        Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
            activity_type: ActivityType::new(ACTIVITY, VERSION),
            activity_id: id.into(),
            input: Some(id.into()),
            task_list: Some(TaskList::new(list)),
            schedule_to_start_timeout: t.schedule_to_start.map(Into::into),
            schedule_to_close_timeout: t.schedule_to_close.map(Into::into),
            start_to_close_timeout: t.start_to_close.map(Into::into),
            heartbeat_timeout: t.heartbeat.map(Into::into),
            ..Default::default()
        })
    }

    /// Applies `decisions` to `exec`.
    pub fn decide(&self, exec: &WorkflowExecution, decisions: Vec<Decision>) {
        self.swf
            .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution: exec.clone(),
                decisions,
                ..Default::default()
            })
            .expect("decisions");
    }

    /// Schedules activity `id` on `list`.
    pub fn schedule(&self, exec: &WorkflowExecution, id: &str, list: &str, t: Timeouts) {
        self.decide(exec, vec![Rig::schedule_decision(id, list, t)]);
    }

    /// Requests the cancellation of activity `id`.
    pub fn request_cancel(&self, exec: &WorkflowExecution, id: &str) {
        self.decide(
            exec,
            vec![Decision::RequestCancelActivityTask(
                RequestCancelActivityTaskDecisionAttributes {
                    activity_id: id.into(),
                },
            )],
        );
    }

    /// A poll input for `list`, identity `who`.
    pub fn input(list: &str, who: &str) -> PollForActivityTaskInput {
        PollForActivityTaskInput {
            domain: DOMAIN.into(),
            task_list: TaskList::new(list),
            identity: Some(who.into()),
        }
    }

    /// Polls `list` without waiting.
    pub fn poll_now(&self, list: &str) -> PollForActivityTaskOutput {
        self.swf
            .poll_for_activity_task_timeout(Rig::input(list, "now"), Duration::ZERO)
            .expect("poll")
    }

    /// A thread that long-polls `list` until `wait` from now on the manual
    /// clock.
    pub fn poller(
        &self,
        list: &str,
        wait: Duration,
    ) -> thread::JoinHandle<Result<PollForActivityTaskOutput, swf::Error>> {
        let swf = self.swf.clone();
        let input = Rig::input(list, "poller");
        let deadline = swf.now() + wait;
        thread::spawn(move || swf.poll_for_activity_task_deadline(input, deadline))
    }

    /// Spins until `n` pollers wait on `list`.
    pub fn wait_for_pollers(&self, list: &str, n: usize) {
        while self.swf.waiting_pollers(DOMAIN, list) != n {
            thread::yield_now();
        }
    }

    /// Tasks pending on `list`.
    pub fn pending(&self, list: &str) -> i32 {
        self.swf
            .count_pending_activity_tasks(CountPendingActivityTasksInput {
                domain: DOMAIN.into(),
                task_list: TaskList::new(list),
            })
            .expect("count")
            .count
    }

    /// Completes a task.
    pub fn complete(&self, token: &str) -> Result<(), swf::Error> {
        self.swf
            .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                task_token: token.into(),
                result: None,
            })
            .map(drop)
    }

    /// The whole history of `exec`.
    pub fn history(&self, exec: &WorkflowExecution) -> Vec<HistoryEvent> {
        crate::invariants::history(&self.swf, DOMAIN, exec, 1000).expect("history")
    }

    /// The event types of `exec`'s history.
    pub fn types(&self, exec: &WorkflowExecution) -> Vec<&'static str> {
        self.history(exec)
            .iter()
            .map(|e| e.event_type.as_str())
            .collect()
    }
}

/// The `(timeoutType, scheduledEventId, startedEventId)` of every
/// `ActivityTaskTimedOut` in `events`.
pub fn timeouts(events: &[HistoryEvent]) -> Vec<(&'static str, u64, u64)> {
    events
        .iter()
        .filter_map(|e| match &e.attributes {
            EventAttributes::ActivityTaskTimedOut {
                timeout_type,
                scheduled_event_id,
                started_event_id,
                ..
            } => Some((
                *timeout_type,
                scheduled_event_id.get(),
                started_event_id.get(),
            )),
            _ => None,
        })
        .collect()
}

/// Close events (Completed, Failed, Canceled, TimedOut) in `events`.
pub fn closes(events: &[HistoryEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| e.event_type.as_str())
        .filter(|t| {
            matches!(
                *t,
                "ActivityTaskCompleted"
                    | "ActivityTaskFailed"
                    | "ActivityTaskCanceled"
                    | "ActivityTaskTimedOut"
            )
        })
        .collect()
}
