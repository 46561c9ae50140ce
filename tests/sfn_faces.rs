//! The two faces share machinery, not namespaces: a Step Functions task is
//! never handed to an SWF poller, an SWF task never to a Step Functions
//! worker, and neither face accepts the other's tokens or page tokens. Both
//! ways, with names chosen to collide.

mod sfn_support;

use std::thread;
use std::time::Duration;

use activity_broker::sfn::{self, ExecutionStatus, GetActivityTaskInput};
use activity_broker::swf::{
    self, ActivityType, ChildPolicy, CountPendingActivityTasksInput, Decision,
    GetWorkflowExecutionHistoryInput, PollForActivityTaskInput, RecordActivityTaskHeartbeatInput,
    RegisterActivityTypeInput, RegisterDomainInput, RegisterWorkflowTypeInput,
    RespondActivityTaskCompletedInput, RespondActivityTaskFailedInput,
    RespondDecisionTaskCompletedInput, ScheduleActivityTaskDecisionAttributes,
    StartWorkflowExecutionInput, TaskList, WorkflowExecution, WorkflowType,
};
use sfn_support::{Env, secs};

/// The one name everything uses: SFN activity, SWF domain, task list and
/// activity type.
const NAME: &str = "work";

/// Registers domain, types; returns a started SWF execution.
fn swf_setup(swf: &swf::Client) -> WorkflowExecution {
    swf.register_domain(RegisterDomainInput {
        name: NAME.into(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    })
    .unwrap();
    swf.register_activity_type(RegisterActivityTypeInput {
        domain: NAME.into(),
        name: NAME.into(),
        version: "1".into(),
        default_task_list: Some(TaskList::new(NAME)),
        default_task_schedule_to_start_timeout: Some("NONE".into()),
        default_task_schedule_to_close_timeout: Some("NONE".into()),
        default_task_start_to_close_timeout: Some("NONE".into()),
        default_task_heartbeat_timeout: Some("NONE".into()),
        ..Default::default()
    })
    .unwrap();
    swf.register_workflow_type(RegisterWorkflowTypeInput {
        domain: NAME.into(),
        name: NAME.into(),
        version: "1".into(),
        default_task_list: Some(TaskList::new("deciders")),
        default_execution_start_to_close_timeout: Some("3600".into()),
        default_task_start_to_close_timeout: Some("60".into()),
        default_child_policy: Some(ChildPolicy::Terminate),
        ..Default::default()
    })
    .unwrap();
    let run = swf
        .start_workflow_execution(StartWorkflowExecutionInput {
            domain: NAME.into(),
            workflow_id: NAME.into(),
            workflow_type: WorkflowType::new(NAME, "1"),
            ..Default::default()
        })
        .unwrap();
    WorkflowExecution::new(NAME, run.run_id)
}

fn swf_schedule(swf: &swf::Client, exec: &WorkflowExecution, id: &str) {
    swf.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
        domain: NAME.into(),
        execution: exec.clone(),
        decisions: vec![Decision::ScheduleActivityTask(
            ScheduleActivityTaskDecisionAttributes {
                activity_type: ActivityType::new(NAME, "1"),
                activity_id: id.into(),
                input: Some(format!("swf {id}")),
                ..Default::default()
            },
        )],
        ..Default::default()
    })
    .unwrap();
}

fn swf_poll() -> PollForActivityTaskInput {
    PollForActivityTaskInput {
        domain: NAME.into(),
        task_list: TaskList::new(NAME),
        identity: Some("swf-worker".into()),
    }
}

fn swf_pending(swf: &swf::Client) -> i32 {
    swf.count_pending_activity_tasks(CountPendingActivityTasksInput {
        domain: NAME.into(),
        task_list: TaskList::new(NAME),
    })
    .unwrap()
    .count
}

fn sfn_poll(arn: &str) -> GetActivityTaskInput {
    GetActivityTaskInput {
        activity_arn: arn.into(),
        worker_name: Some("sfn-worker".into()),
    }
}

#[test]
fn a_step_functions_task_never_reaches_an_swf_poller() {
    let env = Env::new();
    let swf = env.broker.swf();
    swf_setup(&swf);
    let act = env.activity(NAME);
    // An SWF poller parked first, on the colliding names.
    let parked = {
        let swf = swf.clone();
        thread::spawn(move || swf.poll_for_activity_task(swf_poll()))
    };
    while swf.waiting_pollers(NAME, NAME) == 0 {
        thread::yield_now();
    }
    let exec = env.start(&act, "e");
    // The task waits for a Step Functions worker; the SWF poller still waits.
    assert_eq!(env.sfn.pending_tasks(&act), 1);
    assert_eq!(swf.waiting_pollers(NAME, NAME), 1);
    assert_eq!(swf_pending(&swf), 0);
    env.advance(secs(60));
    assert!(parked.join().unwrap().unwrap().is_empty());
    assert!(
        swf.poll_for_activity_task_timeout(swf_poll(), Duration::ZERO)
            .unwrap()
            .is_empty()
    );
    let (token, _) = env.take(&act, "w");
    env.succeed(&token, "{}").unwrap();
    assert_eq!(env.describe(&exec).status, ExecutionStatus::Succeeded);
}

#[test]
fn an_swf_task_never_reaches_a_step_functions_worker() {
    let env = Env::new();
    let swf = env.broker.swf();
    let exec = swf_setup(&swf);
    let act = env.activity(NAME);
    let parked = {
        let (sfn, act) = (env.sfn.clone(), act.clone());
        thread::spawn(move || sfn.get_activity_task(sfn_poll(&act)))
    };
    env.wait_for_pollers(&act, 1);
    swf_schedule(&swf, &exec, "a1");
    assert_eq!(env.sfn.waiting_pollers(&act), 1);
    assert_eq!(env.sfn.pending_tasks(&act), 0);
    assert_eq!(swf_pending(&swf), 1);
    env.advance(secs(60));
    assert!(parked.join().unwrap().unwrap().is_empty());
    let got = swf
        .poll_for_activity_task_timeout(swf_poll(), Duration::ZERO)
        .unwrap();
    assert_eq!(got.input.as_deref(), Some("swf a1"));
}

#[test]
fn a_step_functions_token_is_refused_by_swf() {
    let env = Env::new();
    let swf = env.broker.swf();
    swf_setup(&swf);
    let act = env.activity(NAME);
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    let refused: Vec<swf::Error> = vec![
        swf.respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: token.clone(),
            result: Some("stolen".into()),
        })
        .unwrap_err(),
        swf.respond_activity_task_failed(RespondActivityTaskFailedInput {
            task_token: token.clone(),
            ..Default::default()
        })
        .unwrap_err(),
        swf.record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
            task_token: token.clone(),
            details: None,
        })
        .unwrap_err(),
    ];
    for err in refused {
        assert!(
            matches!(err, swf::Error::UnknownResourceFault(_)),
            "{err:?}"
        );
    }
    // Nothing happened to the task: its own face closes it.
    assert_eq!(env.history(&exec).len(), 3);
    env.succeed(&token, "\"mine\"").unwrap();
    assert_eq!(env.describe(&exec).output.as_deref(), Some("\"mine\""));
}

#[test]
fn an_swf_token_is_refused_by_step_functions() {
    let env = Env::new();
    let swf = env.broker.swf();
    let exec = swf_setup(&swf);
    env.activity(NAME);
    swf_schedule(&swf, &exec, "a1");
    let got = swf
        .poll_for_activity_task_timeout(swf_poll(), Duration::ZERO)
        .unwrap();
    let token = got.task_token;
    assert!(!token.is_empty());
    // Garbage to this face: InvalidToken, for all three calls.
    for err in [
        env.succeed(&token, "{}").unwrap_err(),
        env.fail(&token, Some("E"), None).unwrap_err(),
        env.heartbeat(&token).unwrap_err(),
    ] {
        assert!(matches!(err, sfn::Error::InvalidToken(_)), "{err:?}");
    }
    let before = swf
        .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
            domain: NAME.into(),
            execution: exec.clone(),
            ..Default::default()
        })
        .unwrap()
        .events
        .len();
    swf.respond_activity_task_completed(RespondActivityTaskCompletedInput {
        task_token: token,
        result: Some("done".into()),
    })
    .unwrap();
    let after = swf
        .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
            domain: NAME.into(),
            execution: exec,
            ..Default::default()
        })
        .unwrap()
        .events
        .len();
    assert_eq!(after, before + 2, "completed, then a new decision task");
}

#[test]
fn history_page_tokens_do_not_cross_faces() {
    let env = Env::new();
    let swf = env.broker.swf();
    let exec = swf_setup(&swf);
    let act = env.activity(NAME);
    let sfn_exec = env.start(&act, "e");
    let swf_page = swf
        .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
            domain: NAME.into(),
            execution: exec.clone(),
            maximum_page_size: Some(1),
            ..Default::default()
        })
        .unwrap();
    let swf_token = swf_page.next_page_token.expect("more than one event");
    let err = env
        .sfn
        .get_execution_history(sfn::GetExecutionHistoryInput {
            execution_arn: sfn_exec.clone(),
            next_token: Some(swf_token),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, sfn::Error::InvalidToken(_)), "{err:?}");
    let sfn_token = env
        .sfn
        .get_execution_history(sfn::GetExecutionHistoryInput {
            execution_arn: sfn_exec,
            max_results: Some(1),
            ..Default::default()
        })
        .unwrap()
        .next_token
        .expect("more than one event");
    let err = swf
        .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
            domain: NAME.into(),
            execution: exec,
            next_page_token: Some(sfn_token),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, swf::Error::Validation(_)), "{err:?}");
}

#[test]
fn deleting_an_activity_leaves_the_swf_domain_alone() {
    let env = Env::new();
    let swf = env.broker.swf();
    let exec = swf_setup(&swf);
    let act = env.activity(NAME);
    swf_schedule(&swf, &exec, "a1");
    let parked = {
        let swf = swf.clone();
        thread::spawn(move || {
            // Wait for the first task, then for a second.
            let first = swf.poll_for_activity_task(swf_poll()).unwrap();
            let second = swf.poll_for_activity_task(swf_poll()).unwrap();
            (first, second)
        })
    };
    while swf_pending(&swf) != 0 || swf.waiting_pollers(NAME, NAME) == 0 {
        thread::yield_now();
    }
    env.sfn
        .delete_activity(sfn::DeleteActivityInput { activity_arn: act })
        .unwrap();
    assert_eq!(
        swf.waiting_pollers(NAME, NAME),
        1,
        "the SWF poller still waits"
    );
    swf_schedule(&swf, &exec, "a2");
    let (first, second) = parked.join().unwrap();
    assert_eq!(first.input.as_deref(), Some("swf a1"));
    assert_eq!(second.input.as_deref(), Some("swf a2"));
}
