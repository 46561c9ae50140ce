//! What a request costs on each path into the engine: a direct call on
//! `swf::Client`, the wire `Dispatcher` (JSON in, JSON out), and the AWS
//! SDK for Rust on `BrokerHttpClient` (the SDK's request pipeline, signing
//! included, on a current-thread runtime).
//!
//! - `heartbeat/*`: `RecordActivityTaskHeartbeat` on a started task, the
//!   shortest call a worker makes over and over.
//! - `poll_complete/*`: `PollForActivityTask` that finds a queued task, then
//!   `RespondActivityTaskCompleted`; the task is scheduled directly, outside
//!   the timing. Through the SDK, the poll runs on a thread of its own.
//!
//! `cargo bench -p activity-broker-aws --bench wire`

use std::hint::black_box;
use std::time::Duration;

use activity_broker::swf::{
    ActivityType, ChildPolicy, Client, Decision, PollForActivityTaskInput,
    RecordActivityTaskHeartbeatInput, RegisterActivityTypeInput, RegisterDomainInput,
    RegisterWorkflowTypeInput, RespondActivityTaskCompletedInput,
    RespondDecisionTaskCompletedInput, ScheduleActivityTaskDecisionAttributes,
    StartWorkflowExecutionInput, TaskList, TerminateWorkflowExecutionInput, WorkflowExecution,
    WorkflowType,
};
use activity_broker::wire::Dispatcher;
use activity_broker::{Broker, ManualClock};
use activity_broker_aws::BrokerHttpClient;
use aws_sdk_swf::config::{BehaviorVersion, Credentials, Region};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const DOMAIN: &str = "bench";
/// Executions are replaced after this many tasks, well under the history
/// limit; the domain keeps no closed history, so memory stays flat.
const TASKS_PER_EXECUTION: u32 = 1_000;

/// One engine and its three entrances.
struct Rig {
    swf: Client,
    wire: Dispatcher,
    sdk: aws_sdk_swf::Client,
    rt: tokio::runtime::Runtime,
    execution: WorkflowExecution,
    scheduled: u32,
    runs: u32,
}

impl Rig {
    fn new() -> Rig {
        let broker = Broker::builder()
            .clock(ManualClock::new())
            .seed(1)
            .build()
            .expect("engine");
        let swf = broker.swf();
        swf.register_domain(RegisterDomainInput {
            name: DOMAIN.into(),
            workflow_execution_retention_period_in_days: "NONE".into(),
            ..Default::default()
        })
        .expect("domain");
        swf.register_activity_type(RegisterActivityTypeInput {
            domain: DOMAIN.into(),
            name: "work".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("work")),
            default_task_schedule_to_start_timeout: Some("NONE".into()),
            default_task_schedule_to_close_timeout: Some("NONE".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_task_heartbeat_timeout: Some("NONE".into()),
            ..Default::default()
        })
        .expect("activity type");
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
        .expect("workflow type");
        let sdk = aws_sdk_swf::Client::from_conf(
            aws_sdk_swf::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("key", "secret", None, None, "bench"))
                .http_client(BrokerHttpClient::new(&broker))
                .build(),
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut rig = Rig {
            wire: Dispatcher::new(&broker),
            swf,
            sdk,
            rt,
            execution: WorkflowExecution::default(),
            scheduled: 0,
            runs: 0,
        };
        rig.start();
        rig
    }

    fn start(&mut self) {
        self.runs += 1;
        let id = format!("run-{}", self.runs);
        let run = self
            .swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: id.clone(),
                workflow_type: WorkflowType::new("flow", "1"),
                ..Default::default()
            })
            .expect("start");
        self.execution = WorkflowExecution::new(id, run.run_id);
    }

    /// Queues one task on `work`.
    fn schedule(&mut self) {
        if self.scheduled == TASKS_PER_EXECUTION {
            self.swf
                .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                    domain: DOMAIN.into(),
                    workflow_id: self.execution.workflow_id.clone(),
                    run_id: Some(self.execution.run_id.clone()),
                    ..Default::default()
                })
                .expect("terminate");
            self.start();
            self.scheduled = 0;
        }
        self.scheduled += 1;
        self.swf
            .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution: self.execution.clone(),
                decisions: vec![Decision::ScheduleActivityTask(
                    ScheduleActivityTaskDecisionAttributes {
                        activity_type: ActivityType::new("work", "1"),
                        activity_id: format!("a{}", self.scheduled),
                        input: Some("x".repeat(64)),
                        ..Default::default()
                    },
                )],
                ..Default::default()
            })
            .expect("schedule");
    }

    /// A started task's token, for heartbeats.
    fn started(&mut self) -> String {
        self.schedule();
        self.swf
            .poll_for_activity_task_timeout(poll_input(), Duration::ZERO)
            .expect("poll")
            .task_token
    }
}

fn poll_input() -> PollForActivityTaskInput {
    PollForActivityTaskInput {
        domain: DOMAIN.into(),
        task_list: TaskList::new("work"),
        identity: Some("bench".into()),
    }
}

const POLL_BODY: &[u8] = br#"{"domain":"bench","taskList":{"name":"work"},"identity":"bench"}"#;

fn token_of(body: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).expect("json");
    v["taskToken"].as_str().expect("a task").to_owned()
}

fn heartbeat(c: &mut Criterion) {
    let mut rig = Rig::new();
    let token = rig.started();
    let body = format!(r#"{{"taskToken":"{token}"}}"#);
    let mut g = c.benchmark_group("heartbeat");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("direct", |b| {
        b.iter(|| {
            rig.swf
                .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                    task_token: black_box(token.clone()),
                    details: None,
                })
                .expect("heartbeat")
        })
    });
    g.bench_function("dispatcher", |b| {
        b.iter(|| {
            let reply = rig.wire.dispatch(
                "SimpleWorkflowService.RecordActivityTaskHeartbeat",
                black_box(body.as_bytes()),
            );
            assert_eq!(reply.status(), 200);
        })
    });
    g.bench_function("sdk", |b| {
        b.iter(|| {
            rig.rt
                .block_on(
                    rig.sdk
                        .record_activity_task_heartbeat()
                        .task_token(black_box(&token))
                        .send(),
                )
                .expect("heartbeat")
        })
    });
    g.finish();
}

fn poll_complete(c: &mut Criterion) {
    let mut rig = Rig::new();
    let mut g = c.benchmark_group("poll_complete");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    // Each measured routine takes the task the untimed setup queued.
    let rig = std::cell::RefCell::new(&mut rig);
    g.bench_function("direct", |b| {
        b.iter_batched(
            || rig.borrow_mut().schedule(),
            |()| {
                let r = rig.borrow();
                let task = r
                    .swf
                    .poll_for_activity_task_timeout(poll_input(), Duration::ZERO)
                    .expect("poll");
                r.swf
                    .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                        task_token: task.task_token,
                        result: Some("done".into()),
                    })
                    .expect("complete");
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("dispatcher", |b| {
        b.iter_batched(
            || rig.borrow_mut().schedule(),
            |()| {
                let r = rig.borrow();
                let reply = r
                    .wire
                    .dispatch("SimpleWorkflowService.PollForActivityTask", POLL_BODY);
                let body = format!(
                    r#"{{"taskToken":"{}","result":"done"}}"#,
                    token_of(reply.body())
                );
                let done = r.wire.dispatch(
                    "SimpleWorkflowService.RespondActivityTaskCompleted",
                    body.as_bytes(),
                );
                assert_eq!(done.status(), 200);
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("sdk", |b| {
        b.iter_batched(
            || rig.borrow_mut().schedule(),
            |()| {
                let r = rig.borrow();
                r.rt.block_on(async {
                    let task = r
                        .sdk
                        .poll_for_activity_task()
                        .domain(DOMAIN)
                        .task_list(
                            aws_sdk_swf::types::TaskList::builder()
                                .name("work")
                                .build()
                                .expect("list"),
                        )
                        .identity("bench")
                        .send()
                        .await
                        .expect("poll");
                    r.sdk
                        .respond_activity_task_completed()
                        .task_token(task.task_token())
                        .result("done")
                        .send()
                        .await
                        .expect("complete");
                })
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, heartbeat, poll_complete);
criterion_main!(benches);
