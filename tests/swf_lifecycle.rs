//! Lifecycles: activity cancellation (AWS-API.md A1 "Cancellation"), the
//! `PollCancel` handle, `Broker::shutdown`, seeded reproducibility, the
//! handles' auto traits, and many workers draining many tasks at once.

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::thread;

use activity_broker::swf::{self, EventAttributes, EventType, TaskList};
use activity_broker::{Broker, EventId, PollCancel};
use support::*;

// ----- auto traits --------------------------------------------------------------

#[test]
fn handles_are_clone_send_sync() {
    fn client<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    fn broker<T: Clone + Send + Sync + 'static>() {}
    client::<swf::Client>();
    broker::<Broker>();
    client::<PollCancel>();
    // Clones drive one engine.
    let env = Env::new();
    let exec = env.start("w");
    env.broker
        .clone()
        .swf()
        .clone()
        .respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
            domain: DOMAIN.into(),
            execution: exec.clone(),
            decisions: vec![schedule(sched("a"))],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(env.pending(LIST), 1);
    assert!(format!("{:?}", env.swf).starts_with("swf::Client"));
}

// ----- cancellation of activity tasks ---------------------------------------------

#[test]
fn a_queued_task_is_canceled_at_once() {
    // A1: "If the activity task was scheduled but has not been assigned to a
    // worker, then it is canceled."
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    assert_eq!(env.pending(LIST), 1);
    let completed = env.cancel(&exec, "a");
    let h = env.history(&exec);
    let n = completed.get() as usize;
    assert_eq!(
        h[n].attributes,
        EventAttributes::ActivityTaskCancelRequested {
            decision_task_completed_event_id: completed,
            activity_id: "a".into(),
        }
    );
    // startedEventId 0: it never started (A1, an inference).
    assert_eq!(
        h[n + 1].attributes,
        EventAttributes::ActivityTaskCanceled {
            details: None,
            scheduled_event_id: EventId::new(5),
            started_event_id: EventId::NONE,
            latest_cancel_requested_event_id: Some(h[n].event_id),
        }
    );
    assert_eq!(h[n + 2].event_type, EventType::DecisionTaskScheduled);
    assert_eq!(h.len(), n + 3);
    assert_eq!(env.pending(LIST), 0);
    assert!(
        env.poll_now(LIST).is_empty(),
        "a canceled task is never delivered"
    );
    check_history(&h);
}

#[test]
fn a_started_task_learns_of_the_cancel_through_its_heartbeat() {
    // A1: "If the activity task was already assigned to a worker, then the
    // worker is informed ... in the response to RecordActivityTaskHeartbeat."
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    assert_eq!(env.heartbeat(&t.task_token, None), Ok(false));
    let completed = env.cancel(&exec, "a");
    let requested = env.last(&exec);
    assert_eq!(requested.event_id.get(), completed.get() + 1);
    assert_eq!(requested.event_type, EventType::ActivityTaskCancelRequested);
    assert_eq!(env.heartbeat(&t.task_token, Some("stopping")), Ok(true));
    assert_eq!(
        env.heartbeat(&t.task_token, None),
        Ok(true),
        "it stays requested"
    );
    env.canceled(&t.task_token, Some("bye")).unwrap();
    let h = env.history(&exec);
    let canceled = &h[requested.event_id.get() as usize];
    assert_eq!(
        canceled.attributes,
        EventAttributes::ActivityTaskCanceled {
            details: Some("bye".into()),
            scheduled_event_id: EventId::new(5),
            started_event_id: EventId::new(6),
            latest_cancel_requested_event_id: Some(requested.event_id),
        }
    );
    assert_eq!(
        h.last().unwrap().event_type,
        EventType::DecisionTaskScheduled
    );
    env.assert_token_dead(&t.task_token, &exec, LIST);
    check_history(&h);
}

#[test]
fn latest_cancel_requested_event_id_names_the_last_request() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    env.cancel(&exec, "a");
    let first = env.last(&exec).event_id;
    env.cancel(&exec, "a");
    let second = env.last(&exec).event_id;
    assert!(second > first);
    env.canceled(&t.task_token, None).unwrap();
    let canceled = env
        .history(&exec)
        .into_iter()
        .find(|e| e.event_type == EventType::ActivityTaskCanceled)
        .unwrap();
    assert!(matches!(
        canceled.attributes,
        EventAttributes::ActivityTaskCanceled { latest_cancel_requested_event_id: Some(id), .. }
            if id == second
    ));
}

#[test]
fn a_worker_may_ignore_a_cancel_request() {
    // A1: the worker "either cancels ... or ignores the request".
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    env.cancel(&exec, "a");
    assert_eq!(env.heartbeat(&t.task_token, None), Ok(true));
    env.complete(&t.task_token, Some("done anyway")).unwrap();
    let types = env.types(&exec);
    assert_eq!(types[types.len() - 2], "ActivityTaskCompleted");
    check_history(&env.history(&exec));
}

#[test]
fn respond_canceled_without_a_request_has_no_latest_cancel_requested_event_id() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    env.canceled(&t.task_token, Some("gave up")).unwrap();
    assert_eq!(
        env.event(&exec, 7).attributes,
        EventAttributes::ActivityTaskCanceled {
            details: Some("gave up".into()),
            scheduled_event_id: EventId::new(5),
            started_event_id: EventId::new(6),
            latest_cancel_requested_event_id: None,
        }
    );
}

// ----- PollCancel ---------------------------------------------------------------------

#[test]
fn poll_cancel_during_a_poll_returns_empty_at_once() {
    let env = Env::new();
    let exec = env.start("w");
    let cancel = PollCancel::new();
    let poller = {
        let (swf, cancel) = (env.swf.clone(), cancel.clone());
        let deadline = env.swf.now() + secs(60);
        thread::spawn(move || {
            swf.poll_for_activity_task_cancelable(poll_input(LIST, None), deadline, &cancel)
        })
    };
    env.wait_for_pollers(LIST, 1);
    cancel.cancel();
    assert!(cancel.is_canceled());
    let got = poller.join().unwrap().unwrap();
    assert!(got.is_empty());
    assert_eq!(env.clock.elapsed(), std::time::Duration::ZERO);
    assert_eq!(env.swf.waiting_pollers(DOMAIN, LIST), 0);
    // No task was handed to the withdrawn poller: a schedule now is queued.
    env.schedule(&exec, &["a"]);
    assert_eq!(env.pending(LIST), 1);
    assert_eq!(env.take(LIST).activity_id, "a");
}

#[test]
fn poll_cancel_before_a_poll_makes_it_return_at_once_without_a_task() {
    // PollCancel docs: a poll with a canceled handle returns the empty
    // result at once, and no task is handed to it.
    let env = Env::new();
    let exec = env.start("w");
    let cancel = PollCancel::new();
    cancel.cancel();
    let deadline = env.swf.now() + secs(60);
    let got = env
        .swf
        .poll_for_activity_task_cancelable(poll_input(LIST, None), deadline, &cancel)
        .unwrap();
    assert!(got.is_empty());
    // Even with a task queued, a canceled handle takes nothing.
    env.schedule(&exec, &["a"]);
    let got = env
        .swf
        .poll_for_activity_task_cancelable(poll_input(LIST, None), deadline, &cancel)
        .unwrap();
    assert!(got.is_empty());
    assert_eq!(env.pending(LIST), 1);
    assert_eq!(env.len(&exec), 5, "no ActivityTaskStarted was recorded");
}

#[test]
fn an_uncanceled_handle_polls_normally_and_a_late_cancel_is_harmless() {
    let env = Env::new();
    let exec = env.start("w");
    let cancel = PollCancel::new();
    let poller = {
        let (swf, cancel) = (env.swf.clone(), cancel.clone());
        let deadline = env.swf.now() + secs(60);
        thread::spawn(move || {
            swf.poll_for_activity_task_cancelable(poll_input(LIST, None), deadline, &cancel)
        })
    };
    env.wait_for_pollers(LIST, 1);
    env.schedule(&exec, &["a"]);
    let got = poller.join().unwrap().unwrap();
    assert_eq!(got.activity_id, "a");
    // Canceling after the poll ended affects no other poller or task.
    let other = thread::spawn({
        let swf = env.swf.clone();
        move || swf.poll_for_activity_task(poll_input(LIST, Some("other")))
    });
    env.wait_for_pollers(LIST, 1);
    cancel.cancel();
    env.schedule(&exec, &["b"]);
    assert_eq!(other.join().unwrap().unwrap().activity_id, "b");
    env.complete(&got.task_token, None).unwrap();
}

#[test]
fn poll_cancel_reaches_the_poll_past_its_deadline_too() {
    // A canceled poll and a timed-out poll both end empty; the deadline
    // still works with a handle that is never canceled.
    let env = Env::new();
    let cancel = PollCancel::new();
    let poller = {
        let (swf, cancel) = (env.swf.clone(), cancel.clone());
        let deadline = env.swf.now() + secs(10);
        thread::spawn(move || {
            swf.poll_for_activity_task_cancelable(poll_input(LIST, None), deadline, &cancel)
        })
    };
    env.wait_for_pollers(LIST, 1);
    env.advance(secs(10));
    assert!(poller.join().unwrap().unwrap().is_empty());
    assert!(!cancel.is_canceled());
}

// ----- shutdown --------------------------------------------------------------------------

#[test]
fn shutdown_releases_pollers_terminates_executions_and_refuses_changes() {
    let env = Env::new();
    let open = env.start("open");
    env.schedule(&open, &["queued", "started"]);
    let started = env.take(LIST);
    assert_eq!(started.activity_id, "queued");
    let closed = env.start("closed");
    env.swf
        .terminate_workflow_execution(swf::TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "closed".into(),
            ..Default::default()
        })
        .unwrap();
    let closed_len = env.len(&closed);
    let pollers: Vec<_> = (0..2)
        .map(|i| {
            let swf = env.swf.clone();
            thread::spawn(move || {
                swf.poll_for_activity_task(poll_input("idle", Some(&format!("p{i}"))))
            })
        })
        .collect();
    env.wait_for_pollers("idle", 2);

    let report = env.broker.shutdown();
    assert_eq!(report.pollers_released, 2);
    assert_eq!(report.executions_terminated, 1);
    assert_eq!(report.tasks_closed, 2);
    assert!(env.broker.is_shut_down());
    assert!(env.broker.clone().is_shut_down());
    for p in pollers {
        assert!(p.join().unwrap().unwrap().is_empty());
    }
    assert_eq!(
        env.clock.elapsed(),
        std::time::Duration::ZERO,
        "released at once"
    );

    // The open execution got WorkflowExecutionTerminated; the closed one
    // nothing.
    let h = env.history(&open);
    assert!(matches!(
        &h.last().unwrap().attributes,
        EventAttributes::WorkflowExecutionTerminated { reason, cause: Some("OPERATOR_INITIATED"), .. }
            if reason.as_deref() == Some("activity-broker shut down")
    ));
    check_history(&h);
    assert_eq!(env.len(&closed), closed_len);

    // Every call that would change state is refused.
    let not_permitted = |what: &str, r: Result<(), swf::Error>| {
        assert!(
            matches!(r, Err(swf::Error::OperationNotPermittedFault(_))),
            "{what}: {r:?}"
        );
    };
    let t = swf::ActivityTypeInput {
        domain: DOMAIN.into(),
        activity_type: swf::ActivityType::new(ACTIVITY, VERSION),
    };
    let w = swf::WorkflowTypeInput {
        domain: DOMAIN.into(),
        workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
    };
    let s = &env.swf;
    not_permitted(
        "register_domain",
        s.register_domain(swf::RegisterDomainInput {
            name: "new".into(),
            workflow_execution_retention_period_in_days: "1".into(),
            ..Default::default()
        })
        .map(drop),
    );
    not_permitted(
        "deprecate_domain",
        s.deprecate_domain(swf::DeprecateDomainInput {
            name: DOMAIN.into(),
        })
        .map(drop),
    );
    not_permitted(
        "register_activity_type",
        s.register_activity_type(full_defaults("new", VERSION))
            .map(drop),
    );
    not_permitted(
        "deprecate_activity_type",
        s.deprecate_activity_type(t.clone()).map(drop),
    );
    not_permitted(
        "undeprecate_activity_type",
        s.undeprecate_activity_type(t.clone()).map(drop),
    );
    not_permitted(
        "delete_activity_type",
        s.delete_activity_type(t.clone()).map(drop),
    );
    not_permitted(
        "register_workflow_type",
        s.register_workflow_type(swf::RegisterWorkflowTypeInput {
            domain: DOMAIN.into(),
            name: "new".into(),
            version: VERSION.into(),
            ..Default::default()
        })
        .map(drop),
    );
    not_permitted(
        "deprecate_workflow_type",
        s.deprecate_workflow_type(w).map(drop),
    );
    not_permitted(
        "start_workflow_execution",
        s.start_workflow_execution(swf::StartWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "new".into(),
            workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
            ..Default::default()
        })
        .map(drop),
    );
    not_permitted(
        "respond_decision_task_completed",
        env.try_decide(&open, vec![]).map(drop),
    );
    not_permitted(
        "poll",
        s.poll_for_activity_task_timeout(poll_input(LIST, None), secs(60))
            .map(drop),
    );
    not_permitted(
        "heartbeat",
        env.heartbeat(&started.task_token, None).map(drop),
    );
    not_permitted("completed", env.complete(&started.task_token, None));
    not_permitted("failed", env.fail(&started.task_token, None, None));
    not_permitted("canceled", env.canceled(&started.task_token, None));
    not_permitted(
        "terminate",
        s.terminate_workflow_execution(swf::TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "open".into(),
            ..Default::default()
        })
        .map(drop),
    );

    // Everything stays readable.
    assert_eq!(env.history(&open), h);
    assert!(
        s.describe_domain(swf::DescribeDomainInput {
            name: DOMAIN.into()
        })
        .is_ok()
    );
    assert_eq!(
        s.list_domains(swf::ListDomainsInput::default())
            .unwrap()
            .domain_infos
            .len(),
        1
    );
    assert!(s.describe_activity_type(t).is_ok());
    assert!(
        s.describe_workflow_execution(swf::DescribeWorkflowExecutionInput {
            domain: DOMAIN.into(),
            execution: open.clone(),
        })
        .is_ok()
    );
    assert_eq!(env.pending(LIST), 0);

    // A second shutdown does nothing.
    assert_eq!(
        env.broker.shutdown(),
        activity_broker::ShutdownReport::default()
    );
}

// ----- seeded reproducibility ----------------------------------------------------------

/// The same calls on a broker seeded with `seed`: run ids, tokens, and the
/// histories they produced.
fn scripted_run(seed: u64) -> (Vec<String>, Vec<String>, Vec<Vec<swf::HistoryEvent>>) {
    let env = Env::with(|b| b.seed(seed));
    let execs: Vec<swf::WorkflowExecution> = (0..3).map(|i| env.start(&format!("w{i}"))).collect();
    for (i, e) in execs.iter().enumerate() {
        let mut other = sched(&format!("b{i}"));
        other.task_list = Some(TaskList::new("second"));
        env.decide(e, vec![schedule(sched(&format!("a{i}"))), schedule(other)]);
    }
    let mut tokens = Vec::new();
    for list in [LIST, "second"] {
        for _ in 0..3 {
            let t = env.take(list);
            env.advance(secs(1));
            env.complete(&t.task_token, Some("ok")).unwrap();
            tokens.push(t.task_token);
        }
    }
    let runs = execs.iter().map(|e| e.run_id.clone()).collect();
    let histories = execs.iter().map(|e| env.history(e)).collect();
    (runs, tokens, histories)
}

#[test]
fn the_same_seed_and_calls_give_the_same_tokens_run_ids_and_histories() {
    let a = scripted_run(42);
    let b = scripted_run(42);
    assert_eq!(a, b);
    let c = scripted_run(43);
    assert_ne!(a.0, c.0, "another seed, other run ids");
    assert_ne!(a.1, c.1, "another seed, other tokens");
    // Unseeded engines draw from the OS: two of them differ.
    let x = Broker::builder().build().unwrap().swf();
    let y = Broker::builder().build().unwrap().swf();
    let run = |s: &swf::Client| {
        register_domain(s, DOMAIN, "1");
        s.register_workflow_type(swf::RegisterWorkflowTypeInput {
            domain: DOMAIN.into(),
            name: WORKFLOW.into(),
            version: VERSION.into(),
            default_task_list: Some(TaskList::new("d")),
            default_execution_start_to_close_timeout: Some("60".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_child_policy: Some(swf::ChildPolicy::Terminate),
            ..Default::default()
        })
        .unwrap();
        s.start_workflow_execution(swf::StartWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
            ..Default::default()
        })
        .unwrap()
        .run_id
    };
    assert_ne!(run(&x), run(&y));
}

// ----- concurrency: many workers, many tasks -------------------------------------------

/// One labelled stress configuration.
struct Drain {
    label: &'static str,
    lists: usize,
    workers_per_list: usize,
    executions: usize,
    tasks_per_execution: usize,
    batch: usize,
}

fn drain(p: &Drain) {
    let env = Env::new();
    let lists: Vec<String> = (0..p.lists).map(|i| format!("list-{i}")).collect();
    let execs: Vec<swf::WorkflowExecution> = (0..p.executions)
        .map(|i| env.start(&format!("wf-{i}")))
        .collect();
    let total = p.executions * p.tasks_per_execution;
    let (done_tx, done_rx) = mpsc::channel::<(String, String, String)>();
    let mut cancels = Vec::new();
    let mut workers = Vec::new();
    for (li, list) in lists.iter().enumerate() {
        for w in 0..p.workers_per_list {
            let cancel = PollCancel::new();
            cancels.push(cancel.clone());
            let swf = env.swf.clone();
            let list = list.clone();
            let done = done_tx.clone();
            let identity = format!("worker-{li}-{w}");
            workers.push(thread::spawn(move || {
                let mut got = 0usize;
                loop {
                    let deadline = swf.now() + secs(60);
                    let input = poll_input(&list, Some(&identity));
                    let t = swf
                        .poll_for_activity_task_cancelable(input, deadline, &cancel)
                        .expect("poll");
                    if t.is_empty() {
                        // The manual clock never moves here: only the cancel
                        // handle ends a poll empty.
                        return got;
                    }
                    got += 1;
                    if got % 7 == 0 {
                        let hb = swf.record_activity_task_heartbeat(
                            swf::RecordActivityTaskHeartbeatInput {
                                task_token: t.task_token.clone(),
                                details: Some("half".into()),
                            },
                        );
                        assert!(!hb.expect("heartbeat").cancel_requested);
                    }
                    swf.respond_activity_task_completed(swf::RespondActivityTaskCompletedInput {
                        task_token: t.task_token.clone(),
                        result: Some(t.activity_id.clone()),
                    })
                    .expect("complete");
                    done.send((
                        t.workflow_execution.workflow_id,
                        t.activity_id,
                        list.clone(),
                    ))
                    .expect("send");
                }
            }));
        }
    }
    drop(done_tx);
    // Two deciders schedule concurrently with the workers.
    let deciders: Vec<_> = (0..2)
        .map(|d| {
            let swf = env.swf.clone();
            let mine: Vec<swf::WorkflowExecution> =
                execs.iter().skip(d).step_by(2).cloned().collect();
            let lists = lists.clone();
            let (per, batch) = (p.tasks_per_execution, p.batch);
            thread::spawn(move || {
                for e in &mine {
                    for start in (0..per).step_by(batch) {
                        let decisions = (start..(start + batch).min(per))
                            .map(|i| {
                                let mut a = sched(&format!("{}-t{i}", e.workflow_id));
                                a.task_list = Some(TaskList::new(&lists[i % lists.len()]));
                                a.task_priority = Some((i % 3).to_string());
                                schedule(a)
                            })
                            .collect();
                        swf.respond_decision_task_completed(
                            swf::RespondDecisionTaskCompletedInput {
                                domain: DOMAIN.into(),
                                execution: e.clone(),
                                decisions,
                                ..Default::default()
                            },
                        )
                        .expect("decide");
                    }
                }
            })
        })
        .collect();
    for d in deciders {
        d.join().expect("decider");
    }
    let mut seen: HashMap<(String, String), String> = HashMap::new();
    for _ in 0..total {
        let (wf, id, list) = done_rx.recv().expect("a completion");
        assert!(
            seen.insert((wf.clone(), id.clone()), list).is_none(),
            "{}: {wf}/{id} delivered twice",
            p.label
        );
    }
    for c in &cancels {
        c.cancel();
    }
    let per_worker: Vec<usize> = workers
        .into_iter()
        .map(|w| w.join().expect("worker"))
        .collect();
    assert_eq!(per_worker.iter().sum::<usize>(), total, "{}", p.label);
    assert!(
        done_rx.try_recv().is_err(),
        "{}: nothing beyond the total",
        p.label
    );

    // Every activity id exactly once, on the list it was scheduled on.
    for e in &execs {
        for i in 0..p.tasks_per_execution {
            let key = (e.workflow_id.clone(), format!("{}-t{i}", e.workflow_id));
            assert_eq!(
                seen.get(&key).map(String::as_str),
                Some(lists[i % lists.len()].as_str()),
                "{}: {key:?}",
                p.label
            );
        }
    }
    assert_eq!(seen.len(), total);
    for list in &lists {
        assert_eq!(env.pending(list), 0, "{}: {list}", p.label);
        assert_eq!(env.swf.waiting_pollers(DOMAIN, list), 0);
    }
    // Every history well formed, and its completions are its activity ids.
    for e in &execs {
        let h = env.history(e);
        let completed: HashSet<String> = check_history(&h).into_iter().collect();
        let expected: HashSet<String> = (0..p.tasks_per_execution)
            .map(|i| format!("{}-t{i}", e.workflow_id))
            .collect();
        assert_eq!(completed, expected, "{}: {}", p.label, e.workflow_id);
        let started = h
            .iter()
            .filter(|ev| ev.event_type == EventType::ActivityTaskStarted)
            .count();
        assert_eq!(started, p.tasks_per_execution, "{}", p.label);
    }
}

#[test]
fn many_workers_drain_many_tasks_exactly_once() {
    let rows = [
        Drain {
            label: "4 lists x 2 workers, 2000 tasks",
            lists: 4,
            workers_per_list: 2,
            executions: 8,
            tasks_per_execution: 250,
            batch: 25,
        },
        Drain {
            label: "1 list x 6 workers, 600 tasks, one at a time",
            lists: 1,
            workers_per_list: 6,
            executions: 3,
            tasks_per_execution: 200,
            batch: 1,
        },
    ];
    for row in &rows {
        drain(row);
    }
}

#[test]
fn schedule_and_cancel_in_one_response_cancels_the_new_task() {
    let env = Env::new();
    let exec = env.start("w");
    let completed = env.decide(
        &exec,
        vec![
            schedule(sched("a")),
            swf::Decision::RequestCancelActivityTask(
                swf::RequestCancelActivityTaskDecisionAttributes {
                    activity_id: "a".into(),
                },
            ),
        ],
    );
    let types = env.types(&exec);
    assert_eq!(
        types[completed.get() as usize..],
        [
            "ActivityTaskScheduled",
            "ActivityTaskCancelRequested",
            "ActivityTaskCanceled",
            "DecisionTaskScheduled"
        ]
    );
    assert_eq!(env.pending(LIST), 0);
    check_history(&env.history(&exec));
}
