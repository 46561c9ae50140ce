//! SWF histories and executions: the one-activity history event by event,
//! history pagination, describe and terminate, retention, and the execution
//! timeout (AWS-API.md A1 "History and event ids", A2
//! `GetWorkflowExecutionHistory`).

mod support;

use std::time::UNIX_EPOCH;

use activity_broker::swf::{
    self, ActivityType, CloseStatus, DescribeWorkflowExecutionInput, EventAttributes, EventType,
    ExecutionStatus, GetWorkflowExecutionHistoryInput, ListDomainsInput, TaskList,
    TerminateWorkflowExecutionInput, WorkflowExecution,
};
use activity_broker::{Constraint, EventId, ManualClock};
use support::*;

fn page(
    env: &Env,
    exec: &WorkflowExecution,
    size: Option<i32>,
    token: Option<String>,
    reverse: bool,
) -> Result<swf::GetWorkflowExecutionHistoryOutput, swf::Error> {
    env.swf
        .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
            domain: DOMAIN.into(),
            execution: exec.clone(),
            next_page_token: token,
            maximum_page_size: size,
            reverse_order: reverse,
        })
}

fn ids(events: &[swf::HistoryEvent]) -> Vec<u64> {
    events.iter().map(|e| e.event_id.get()).collect()
}

/// Runs the one-activity workflow of AWS-API.md A1 and returns its
/// execution and the poll's output.
fn one_activity(env: &Env) -> (WorkflowExecution, swf::PollForActivityTaskOutput) {
    let exec = env.start("order-1");
    let mut attrs = sched("ship-1");
    attrs.input = Some("parcel 7".into());
    attrs.control = Some("decider notes".into());
    env.decide(&exec, vec![schedule(attrs)]);
    let task = env.poll_as(LIST, "worker-1");
    env.complete(&task.task_token, Some("shipped")).unwrap();
    (exec, task)
}

#[test]
fn one_activity_history_matches_the_aws_table_event_by_event() {
    // AWS-API.md A1, "A one-activity history": ids 1..8 and their references.
    let env = Env::new();
    let (exec, task) = one_activity(&env);
    let h = env.history(&exec);
    assert_eq!(
        h.iter().map(|e| e.event_type).collect::<Vec<_>>(),
        [
            EventType::WorkflowExecutionStarted,
            EventType::DecisionTaskScheduled,
            EventType::DecisionTaskStarted,
            EventType::DecisionTaskCompleted,
            EventType::ActivityTaskScheduled,
            EventType::ActivityTaskStarted,
            EventType::ActivityTaskCompleted,
            EventType::DecisionTaskScheduled,
        ]
    );
    assert_eq!(ids(&h), [1, 2, 3, 4, 5, 6, 7, 8]);

    // 1: the start, with the workflow type's resolved defaults.
    let EventAttributes::WorkflowExecutionStarted(s) = &h[0].attributes else {
        panic!("{:?}", h[0])
    };
    assert_eq!(s.workflow_type, swf::WorkflowType::new(WORKFLOW, VERSION));
    assert_eq!(s.task_list, TaskList::new("deciders"));
    assert_eq!(
        s.execution_start_to_close_timeout.as_deref(),
        Some("31536000")
    );
    assert_eq!(s.task_start_to_close_timeout.as_deref(), Some("60"));

    // 3, 4: the decision task started and completed.
    assert!(matches!(
        h[2].attributes,
        EventAttributes::DecisionTaskStarted { scheduled_event_id, .. } if scheduled_event_id.get() == 2
    ));
    assert!(matches!(
        h[3].attributes,
        EventAttributes::DecisionTaskCompleted { scheduled_event_id, started_event_id, .. }
            if scheduled_event_id.get() == 2 && started_event_id.get() == 3
    ));

    // 5: ActivityTaskScheduled, decisionTaskCompletedEventId = 4, with the
    // type's defaults resolved and the task list always recorded (A1).
    let EventAttributes::ActivityTaskScheduled(a) = &h[4].attributes else {
        panic!("{:?}", h[4])
    };
    assert_eq!(a.decision_task_completed_event_id.get(), 4);
    assert_eq!(a.activity_id, "ship-1");
    assert_eq!(a.activity_type, ActivityType::new(ACTIVITY, VERSION));
    assert_eq!(a.task_list, TaskList::new(LIST));
    assert_eq!(a.input.as_deref(), Some("parcel 7"));
    assert_eq!(a.control.as_deref(), Some("decider notes"));
    for t in [
        &a.schedule_to_start_timeout,
        &a.schedule_to_close_timeout,
        &a.start_to_close_timeout,
        &a.heartbeat_timeout,
    ] {
        assert_eq!(t.as_deref(), Some("NONE"));
    }
    assert_eq!(a.task_priority, None, "no priority given or defaulted");

    // 6: ActivityTaskStarted, scheduledEventId = 5, identity recorded; the
    // poll's startedEventId is this event's id.
    assert_eq!(
        h[5].attributes,
        EventAttributes::ActivityTaskStarted {
            identity: Some("worker-1".into()),
            scheduled_event_id: EventId::new(5),
        }
    );
    assert_eq!(task.started_event_id, EventId::new(6));
    assert_eq!(task.activity_id, "ship-1");
    assert_eq!(task.activity_type, ActivityType::new(ACTIVITY, VERSION));
    assert_eq!(task.workflow_execution, exec);
    // `control` stays in the history; the worker gets only `input` (A1).
    assert_eq!(task.input.as_deref(), Some("parcel 7"));

    // 7: ActivityTaskCompleted, scheduledEventId = 5, startedEventId = 6.
    assert_eq!(
        h[6].attributes,
        EventAttributes::ActivityTaskCompleted {
            result: Some("shipped".into()),
            scheduled_event_id: EventId::new(5),
            started_event_id: EventId::new(6),
        }
    );
    // 8: a new decision task, so the decider sees the result.
    assert!(matches!(
        &h[7].attributes,
        EventAttributes::DecisionTaskScheduled { task_list, .. } if task_list.name == "deciders"
    ));
    check_history(&h);
}

#[test]
fn failed_activity_records_reason_and_details() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    env.fail(&t.task_token, Some("broken"), Some("stack"))
        .unwrap();
    assert_eq!(
        env.event(&exec, 7).attributes,
        EventAttributes::ActivityTaskFailed {
            reason: Some("broken".into()),
            details: Some("stack".into()),
            scheduled_event_id: EventId::new(5),
            started_event_id: EventId::new(6),
        }
    );
    assert_eq!(env.last(&exec).event_type, EventType::DecisionTaskScheduled);
}

#[test]
fn at_most_one_decision_task_is_scheduled_at_a_time() {
    // AWS-API.md A1: SWF keeps at most one scheduled decision task.
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a", "b"]);
    let a = env.take(LIST);
    let b = env.take(LIST);
    env.complete(&a.task_token, None).unwrap();
    env.complete(&b.task_token, None).unwrap();
    let types = env.types(&exec);
    assert_eq!(
        &types[types.len() - 3..],
        [
            "ActivityTaskCompleted",
            "DecisionTaskScheduled",
            "ActivityTaskCompleted"
        ]
    );
    // The next decision consumes the scheduled decision task.
    let completed = env.decide(&exec, vec![]);
    let h = env.history(&exec);
    assert!(matches!(
        h[completed.get() as usize - 2].attributes,
        EventAttributes::DecisionTaskStarted { scheduled_event_id, .. }
            if h[scheduled_event_id.get() as usize - 1].event_type == EventType::DecisionTaskScheduled
                && scheduled_event_id.get() == completed.get() - 3
    ));
    check_history(&h);
}

#[test]
fn event_timestamps_follow_the_manual_clock() {
    let env = Env::new();
    let exec = env.start("w");
    env.advance(secs(90));
    env.schedule(&exec, &["a"]);
    let h = env.history(&exec);
    let start = UNIX_EPOCH + ManualClock::DEFAULT_START;
    assert_eq!(h[0].event_timestamp, start);
    assert_eq!(h[4].event_timestamp, start + secs(90));
}

#[test]
fn history_pages_follow_next_page_token() {
    let env = Env::new();
    let (exec, _) = one_activity(&env);
    let p1 = page(&env, &exec, Some(3), None, false).unwrap();
    assert_eq!(ids(&p1.events), [1, 2, 3]);
    let p2 = page(&env, &exec, Some(3), p1.next_page_token.clone(), false).unwrap();
    assert_eq!(ids(&p2.events), [4, 5, 6]);
    let p3 = page(&env, &exec, Some(3), p2.next_page_token.clone(), false).unwrap();
    assert_eq!(ids(&p3.events), [7, 8]);
    assert_eq!(p3.next_page_token, None, "the last page has no token");
    // An exact fit ends without a token too.
    let all = page(&env, &exec, Some(8), None, false).unwrap();
    assert_eq!(all.events.len(), 8);
    assert_eq!(all.next_page_token, None);
}

#[test]
fn history_reverse_order_pages_newest_first() {
    let env = Env::new();
    let (exec, _) = one_activity(&env);
    let p1 = page(&env, &exec, Some(5), None, true).unwrap();
    assert_eq!(ids(&p1.events), [8, 7, 6, 5, 4]);
    let p2 = page(&env, &exec, Some(5), p1.next_page_token, true).unwrap();
    assert_eq!(ids(&p2.events), [3, 2, 1]);
    assert_eq!(p2.next_page_token, None);
}

#[test]
fn history_page_size_zero_or_absent_means_the_maximum() {
    let env = Env::new();
    let (exec, _) = one_activity(&env);
    for size in [None, Some(0), Some(1000)] {
        let p = page(&env, &exec, size, None, false).unwrap();
        assert_eq!(p.events.len(), 8, "{size:?}");
        assert_eq!(p.next_page_token, None);
    }
}

#[test]
fn history_page_size_out_of_range_is_a_validation_error() {
    // A2: PageSize is min 0, max 1000.
    let env = Env::new();
    let (exec, _) = one_activity(&env);
    let v = validation(page(&env, &exec, Some(1001), None, false));
    assert_eq!(
        v.to_string(),
        "1 validation error detected: Value '1001' at 'maximumPageSize' failed to satisfy \
         constraint: Member must have value less than or equal to 1000"
    );
    let v = validation(page(&env, &exec, Some(-1), None, false));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MinValue(0));
}

#[test]
fn history_bad_page_token_is_a_validation_error() {
    let env = Env::new();
    let (exec, _) = one_activity(&env);
    let v = validation(page(&env, &exec, None, Some("garbage".into()), false));
    assert_eq!(v.violations()[0].member(), "nextPageToken");
    assert_eq!(v.violations()[0].constraint(), &Constraint::PageToken);
    // A real token of another listing is refused too.
    for d in ["d1", "d2", "d3"] {
        register_domain(&env.swf, d, "1");
    }
    let other = env
        .swf
        .list_domains(ListDomainsInput {
            maximum_page_size: Some(1),
            ..Default::default()
        })
        .unwrap()
        .next_page_token
        .expect("more domains follow");
    let v = validation(page(&env, &exec, None, Some(other), false));
    assert_eq!(v.violations()[0].constraint(), &Constraint::PageToken);
    // Over 2048 characters: the length rule.
    let v = validation(page(&env, &exec, None, Some("A".repeat(2049)), false));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MaxLength(2048));
}

#[test]
fn history_of_an_unknown_execution_or_domain_is_unknown_resource() {
    let env = Env::new();
    let exec = env.start("w");
    let wrong_run = WorkflowExecution::new("w", "no-such-run");
    assert!(matches!(
        page(&env, &wrong_run, None, None, false),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    assert!(matches!(
        env.swf
            .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                domain: "nowhere".into(),
                execution: exec.clone(),
                ..Default::default()
            }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    assert!(matches!(
        env.describe(&wrong_run),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn describe_reports_status_and_open_counts() {
    let env = Env::new();
    let exec = env.start("w");
    let d = env.describe(&exec).unwrap();
    assert_eq!(d.execution_info.execution, exec);
    assert_eq!(d.execution_info.execution_status, ExecutionStatus::Open);
    assert_eq!(d.execution_info.close_status, None);
    assert_eq!(d.open_counts.open_decision_tasks, 1);
    assert_eq!(d.open_counts.open_activity_tasks, 0);

    env.schedule(&exec, &["a", "b", "c"]);
    let a = env.take(LIST);
    let d = env.describe(&exec).unwrap();
    assert_eq!(
        d.open_counts.open_activity_tasks, 3,
        "queued and started both count"
    );
    assert_eq!(d.open_counts.open_decision_tasks, 0);
    env.complete(&a.task_token, None).unwrap();
    let d = env.describe(&exec).unwrap();
    assert_eq!(d.open_counts.open_activity_tasks, 2);
    assert_eq!(d.open_counts.open_decision_tasks, 1);
}

#[test]
fn terminate_closes_the_execution_and_kills_its_tokens() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["queued", "started"]);
    let started = env.take(LIST);
    assert_eq!(started.activity_id, "queued");
    assert_eq!(env.pending(LIST), 1);
    env.swf
        .terminate_workflow_execution(TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            run_id: Some(exec.run_id.clone()),
            reason: Some("enough".into()),
            details: Some("ops".into()),
            ..Default::default()
        })
        .unwrap();
    let last = env.last(&exec);
    assert!(matches!(
        &last.attributes,
        EventAttributes::WorkflowExecutionTerminated { reason, details, cause: None, .. }
            if reason.as_deref() == Some("enough") && details.as_deref() == Some("ops")
    ));
    let d = env.describe(&exec).unwrap();
    assert_eq!(d.execution_info.execution_status, ExecutionStatus::Closed);
    assert_eq!(d.execution_info.close_status, Some(CloseStatus::Terminated));
    assert_eq!(d.open_counts.open_activity_tasks, 0);
    // The queued task is gone from its list and is never delivered.
    assert_eq!(env.pending(LIST), 0);
    assert!(env.poll_now(LIST).is_empty());
    env.assert_token_dead(&started.task_token, &exec, LIST);
    check_history(&env.history(&exec));

    // A closed execution cannot be terminated again; nothing is recorded.
    let n = env.len(&exec);
    let again = env
        .swf
        .terminate_workflow_execution(TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            run_id: Some(exec.run_id.clone()),
            ..Default::default()
        });
    assert!(
        matches!(again, Err(swf::Error::UnknownResourceFault(_))),
        "{again:?}"
    );
    assert_eq!(env.len(&exec), n);
}

#[test]
fn terminate_without_run_id_closes_the_open_run() {
    let env = Env::new();
    let exec = env.start("w");
    let term = |env: &Env| {
        env.swf
            .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                domain: DOMAIN.into(),
                workflow_id: "w".into(),
                ..Default::default()
            })
    };
    term(&env).unwrap();
    assert_eq!(
        env.last(&exec).event_type,
        EventType::WorkflowExecutionTerminated
    );
    assert!(matches!(
        term(&env),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    // The workflow id is free again: a new run starts.
    let second = env.start("w");
    assert_ne!(second.run_id, exec.run_id);
    assert!(matches!(
        env.swf
            .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                domain: "nowhere".into(),
                workflow_id: "w".into(),
                ..Default::default()
            }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn closed_execution_is_describable_until_its_retention_passes() {
    // A1 RegisterDomain: retention in days; the history goes when it passes.
    let env = Env::new(); // DOMAIN keeps closed histories 1 day
    let exec = env.start("w");
    env.advance(secs(10));
    env.swf
        .terminate_workflow_execution(TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            ..Default::default()
        })
        .unwrap();
    let day = secs(86_400);
    env.advance(day - NS);
    assert_eq!(
        env.describe(&exec).unwrap().execution_info.close_status,
        Some(CloseStatus::Terminated)
    );
    assert_eq!(env.len(&exec), 3);
    env.advance(NS);
    assert!(matches!(
        env.describe(&exec),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    assert!(matches!(
        page(&env, &exec, None, None, false),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn retention_none_or_zero_keeps_no_closed_history() {
    // A1: "`NONE` or `0` means no history is kept after the execution closes".
    for retention in ["NONE", "0"] {
        let env = Env::new();
        let domain = format!("d{retention}");
        register_domain(&env.swf, &domain, retention);
        env.swf
            .register_workflow_type(swf::RegisterWorkflowTypeInput {
                domain: domain.clone(),
                name: WORKFLOW.into(),
                version: VERSION.into(),
                default_task_list: Some(TaskList::new("deciders")),
                default_execution_start_to_close_timeout: Some("100".into()),
                default_task_start_to_close_timeout: Some("60".into()),
                default_child_policy: Some(swf::ChildPolicy::Abandon),
                ..Default::default()
            })
            .unwrap();
        let run = env
            .swf
            .start_workflow_execution(swf::StartWorkflowExecutionInput {
                domain: domain.clone(),
                workflow_id: "w".into(),
                workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
                ..Default::default()
            })
            .unwrap();
        let exec = WorkflowExecution::new("w", run.run_id);
        let input = DescribeWorkflowExecutionInput {
            domain: domain.clone(),
            execution: exec.clone(),
        };
        assert!(env.swf.describe_workflow_execution(input.clone()).is_ok());
        env.swf
            .terminate_workflow_execution(TerminateWorkflowExecutionInput {
                domain: domain.clone(),
                workflow_id: "w".into(),
                ..Default::default()
            })
            .unwrap();
        assert!(
            matches!(
                env.swf.describe_workflow_execution(input),
                Err(swf::Error::UnknownResourceFault(_))
            ),
            "retention {retention}: the closed execution must be gone at once"
        );
        assert_eq!(
            env.swf
                .describe_domain(swf::DescribeDomainInput { name: domain })
                .unwrap()
                .configuration
                .workflow_execution_retention_period_in_days,
            retention
        );
    }
}

#[test]
fn execution_start_to_close_timeout_fires_exactly_at_its_deadline() {
    let env = Env::new();
    let run = env
        .swf
        .start_workflow_execution(swf::StartWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
            execution_start_to_close_timeout: Some("100".into()),
            ..Default::default()
        })
        .unwrap();
    let exec = WorkflowExecution::new("w", run.run_id);
    env.schedule(&exec, &["a", "b"]);
    let a = env.take(LIST);
    env.advance(secs(100) - NS);
    assert_eq!(
        env.describe(&exec).unwrap().execution_info.execution_status,
        ExecutionStatus::Open
    );
    assert_eq!(env.heartbeat(&a.task_token, None), Ok(false));
    let n = env.len(&exec);
    env.advance(NS);
    let h = env.history(&exec);
    assert_eq!(h.len(), n + 1);
    assert_eq!(
        h[n].attributes,
        EventAttributes::WorkflowExecutionTimedOut {
            timeout_type: "START_TO_CLOSE",
            child_policy: swf::ChildPolicy::Terminate,
        }
    );
    assert_eq!(
        env.describe(&exec).unwrap().execution_info.close_status,
        Some(CloseStatus::TimedOut)
    );
    env.assert_token_dead(&a.task_token, &exec, LIST);
    assert_eq!(
        env.pending(LIST),
        0,
        "the queued task left with its execution"
    );
    check_history(&h);
}

#[test]
fn count_pending_counts_scheduled_tasks_not_started_ones() {
    // A1 CountPendingActivityTasks: "in the task list" = scheduled, not started.
    let env = Env::new();
    assert_eq!(env.pending("never-used"), 0);
    let exec = env.start("w");
    env.schedule(&exec, &["a", "b", "c"]);
    assert_eq!(env.pending(LIST), 3);
    let a = env.take(LIST);
    assert_eq!(env.pending(LIST), 2);
    env.complete(&a.task_token, None).unwrap();
    assert_eq!(env.pending(LIST), 2);
    let out = env
        .swf
        .count_pending_activity_tasks(swf::CountPendingActivityTasksInput {
            domain: DOMAIN.into(),
            task_list: TaskList::new(LIST),
        })
        .unwrap();
    assert!(!out.truncated);
    assert!(matches!(
        env.swf
            .count_pending_activity_tasks(swf::CountPendingActivityTasksInput {
                domain: "nowhere".into(),
                task_list: TaskList::new(LIST),
            }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn a_second_execution_has_its_own_history() {
    let env = Env::new();
    let one = env.start("one");
    let two = env.start("two");
    env.schedule(&one, &["a"]);
    assert_eq!(env.len(&one), 5);
    assert_eq!(env.len(&two), 2);
    // The same activity id may be open in two executions at once.
    env.schedule(&two, &["a"]);
    assert_eq!(env.last(&two).event_type, EventType::ActivityTaskScheduled);
}

// ----- the decision task list (A2 RespondDecisionTaskCompleted) -------------

/// Applies `decisions` with the `taskList` and
/// `taskListScheduleToStartTimeout` members.
fn decide_on(
    env: &Env,
    exec: &WorkflowExecution,
    decisions: Vec<swf::Decision>,
    list: Option<&str>,
    timeout: Option<&str>,
) -> EventId {
    env.swf
        .respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
            domain: DOMAIN.into(),
            execution: exec.clone(),
            decisions,
            task_list: list.map(TaskList::new),
            task_list_schedule_to_start_timeout: timeout.map(str::to_owned),
            ..Default::default()
        })
        .expect("decide")
        .decision_task_completed_event_id
}

/// The list and schedule-to-start timeout of every `DecisionTaskScheduled`
/// event, by event id.
fn decision_lists(env: &Env, exec: &WorkflowExecution) -> Vec<(u64, String, Option<String>)> {
    env.history(exec)
        .into_iter()
        .filter_map(|e| match e.attributes {
            EventAttributes::DecisionTaskScheduled {
                task_list,
                schedule_to_start_timeout,
                ..
            } => Some((e.event_id.get(), task_list.name, schedule_to_start_timeout)),
            _ => None,
        })
        .collect()
}

fn on(id: u64, list: &str, timeout: Option<&str>) -> (u64, String, Option<String>) {
    (id, list.to_owned(), timeout.map(str::to_owned))
}

#[test]
fn a_decision_task_list_holds_for_every_later_decision_task_and_earlier_ones_keep_theirs() {
    // AWS-API.md A2 RespondDecisionTaskCompleted `taskList`: the list of the
    // execution's future decision tasks, in place of the one it started
    // with; `taskListScheduleToStartTimeout` goes with it.
    let env = Env::new();
    let exec = env.start("w");
    decide_on(
        &env,
        &exec,
        vec![schedule(sched("a"))],
        Some("urgent"),
        Some("30"),
    );
    let a = env.take(LIST);
    env.complete(&a.task_token, None).unwrap();
    assert_eq!(
        decision_lists(&env, &exec),
        [on(2, "deciders", None), on(8, "urgent", Some("30"))]
    );

    // A call that names no list leaves the one in force, timeout and all.
    decide_on(&env, &exec, vec![schedule(sched("b"))], None, None);
    let b = env.take(LIST);
    env.complete(&b.task_token, None).unwrap();
    // A new list without a timeout has none.
    decide_on(&env, &exec, vec![schedule(sched("c"))], Some("calm"), None);
    let c = env.take(LIST);
    env.complete(&c.task_token, None).unwrap();
    assert_eq!(
        decision_lists(&env, &exec),
        [
            on(2, "deciders", None),
            on(8, "urgent", Some("30")),
            on(14, "urgent", Some("30")),
            on(20, "calm", None),
        ]
    );
    // Only the decision tasks moved: the start still names its own list.
    let EventAttributes::WorkflowExecutionStarted(s) = &env.event(&exec, 1).attributes else {
        panic!("{:?}", env.event(&exec, 1))
    };
    assert_eq!(s.task_list, TaskList::new("deciders"));
    check_history(&env.history(&exec));
}

#[test]
fn a_schedule_to_start_timeout_alone_applies_to_the_list_in_force() {
    let env = Env::new();
    let exec = env.start("w");
    decide_on(&env, &exec, vec![schedule(sched("a"))], None, Some("NONE"));
    let a = env.take(LIST);
    env.complete(&a.task_token, None).unwrap();
    decide_on(
        &env,
        &exec,
        vec![schedule(sched("b"))],
        Some("urgent"),
        None,
    );
    decide_on(&env, &exec, vec![], None, Some("00000005"));
    let b = env.take(LIST);
    env.complete(&b.task_token, None).unwrap();
    // The third call found no decision task scheduled, so it scheduled the
    // one it completes (12) on the list then in force; the timeout it gave
    // holds from the next one on, written as every duration is (`5`).
    assert_eq!(
        decision_lists(&env, &exec),
        [
            on(2, "deciders", None),
            on(8, "deciders", Some("NONE")),
            on(12, "urgent", None),
            on(17, "urgent", Some("5")),
        ]
    );
}

#[test]
fn the_decision_task_a_call_completes_stays_on_the_list_before_it() {
    // The call that names a new list completes a decision task of the old
    // one; a queued task its cancel decision closes at once schedules the
    // next decision task, which goes to the new list.
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let done = decide_on(
        &env,
        &exec,
        vec![swf::Decision::RequestCancelActivityTask(
            swf::RequestCancelActivityTaskDecisionAttributes {
                activity_id: "a".into(),
            },
        )],
        Some("urgent"),
        Some("10"),
    );
    assert_eq!(
        env.types(&exec)[5..],
        [
            "DecisionTaskScheduled",
            "DecisionTaskStarted",
            "DecisionTaskCompleted",
            "ActivityTaskCancelRequested",
            "ActivityTaskCanceled",
            "DecisionTaskScheduled",
        ]
    );
    assert_eq!(done, EventId::new(8));
    assert_eq!(
        decision_lists(&env, &exec),
        [
            on(2, "deciders", None),
            on(6, "deciders", None),
            on(11, "urgent", Some("10")),
        ]
    );
    check_history(&env.history(&exec));
}
