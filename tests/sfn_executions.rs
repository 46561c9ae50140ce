//! Step Functions executions: StartExecution (the Task state's side),
//! DescribeExecution and GetExecutionHistory.

mod sfn_support;

use activity_broker::sfn::{
    self, DescribeExecutionInput, EventDetails, ExecutionStatus, GetExecutionHistoryInput,
    HistoryEventType, StartExecutionInput,
};
use activity_broker::{Constraint, EventId};
use sfn_support::{Env, MACHINE, error_cause, secs, validation};

fn history_page(
    env: &Env,
    exec: &str,
    max_results: Option<i32>,
    next_token: Option<String>,
    reverse_order: bool,
) -> Result<sfn::GetExecutionHistoryOutput, sfn::Error> {
    env.sfn.get_execution_history(GetExecutionHistoryInput {
        execution_arn: exec.into(),
        max_results,
        next_token,
        reverse_order,
        include_execution_data: None,
    })
}

#[test]
fn start_returns_the_execution_arn_and_date() {
    let env = Env::new();
    let act = env.activity("a");
    env.advance(secs(7));
    let out = env
        .sfn
        .start_execution(env.start_input(&act, "run-1"))
        .unwrap();
    assert_eq!(
        out.execution_arn,
        "arn:aws:states:us-east-1:123456789012:execution:machine:run-1"
    );
    assert_eq!(out.start_date, env.broker.clock().now_wall());
    let d = env.describe(&out.execution_arn);
    assert_eq!(d.execution_arn, out.execution_arn);
    assert_eq!(d.state_machine_arn, env.sfn.state_machine_arn(MACHINE));
    assert_eq!(d.name, "run-1");
    assert_eq!(d.status, ExecutionStatus::Running);
    assert_eq!(d.start_date, out.start_date);
    assert_eq!(d.stop_date, None);
    assert_eq!(d.input.as_deref(), Some(r#"{"job":"run-1"}"#));
    assert_eq!((d.output, d.error, d.cause), (None, None, None));
    assert_eq!(
        env.types(&out.execution_arn),
        ["ExecutionStarted", "ActivityScheduled"]
    );
}

#[test]
fn defaults_a_name_and_an_empty_input() {
    let env = Env::new();
    let act = env.activity("a");
    let out = env
        .sfn
        .start_execution(StartExecutionInput {
            state_machine_arn: env.sfn.state_machine_arn("m"),
            activity_arn: act.clone(),
            ..Default::default()
        })
        .unwrap();
    let d = env.describe(&out.execution_arn);
    assert!(!d.name.is_empty() && d.name.len() <= 80);
    assert_eq!(d.input.as_deref(), Some("{}"));
    let (_, input) = env.take(&act, "w");
    assert_eq!(input, "{}");
    // Two unnamed starts are two executions.
    let other = env
        .sfn
        .start_execution(StartExecutionInput {
            state_machine_arn: env.sfn.state_machine_arn("m"),
            activity_arn: act,
            ..Default::default()
        })
        .unwrap();
    assert_ne!(other.execution_arn, out.execution_arn);
}

#[test]
fn names_are_unique_per_state_machine_and_a_repeat_is_idempotent() {
    let env = Env::new();
    let act = env.activity("a");
    let first = env.sfn.start_execution(env.start_input(&act, "e")).unwrap();
    env.advance(secs(1));
    // The same request while it runs: the same answer, nothing new.
    let again = env.sfn.start_execution(env.start_input(&act, "e")).unwrap();
    assert_eq!(again, first);
    assert_eq!(env.sfn.pending_tasks(&act), 1);
    // Another input, activity or timeout: ExecutionAlreadyExists.
    let other_act = env.activity("b");
    for changed in [
        StartExecutionInput {
            input: Some("[1]".into()),
            ..env.start_input(&act, "e")
        },
        env.start_input(&other_act, "e"),
        StartExecutionInput {
            timeout_seconds: Some(5),
            ..env.start_input(&act, "e")
        },
    ] {
        let err = env.sfn.start_execution(changed).unwrap_err();
        assert!(
            matches!(err, sfn::Error::ExecutionAlreadyExists(_)),
            "{err:?}"
        );
        assert_eq!(err.code(), "ExecutionAlreadyExists");
    }
    // Another state machine may use the name.
    let elsewhere = env
        .sfn
        .start_execution(StartExecutionInput {
            state_machine_arn: env.sfn.state_machine_arn("other"),
            ..env.start_input(&act, "e")
        })
        .unwrap();
    assert_ne!(elsewhere.execution_arn, first.execution_arn);
    // Once closed, even the same request is refused (AWS: "if the
    // execution is closed ... ExecutionAlreadyExists").
    let (token, _) = env.take(&act, "w");
    env.succeed(&token, "{}").unwrap();
    let closed: Vec<_> = [first.execution_arn.clone(), elsewhere.execution_arn.clone()]
        .iter()
        .filter(|e| env.describe(e).status == ExecutionStatus::Succeeded)
        .cloned()
        .collect();
    assert_eq!(closed.len(), 1);
    let name = if closed[0] == first.execution_arn {
        MACHINE
    } else {
        "other"
    };
    let err = env
        .sfn
        .start_execution(StartExecutionInput {
            state_machine_arn: env.sfn.state_machine_arn(name),
            ..env.start_input(&act, "e")
        })
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::ExecutionAlreadyExists(_)),
        "{err:?}"
    );
}

#[test]
fn an_unknown_activity_is_an_activity_schedule_failure() {
    // A5: a schedule that cannot be carried out is not an API error in Step
    // Functions; the history gets ActivityScheduleFailed.
    let env = Env::new();
    for (i, act) in [
        env.sfn.activity_arn("missing"),
        "arn:aws:states:eu-west-1:123456789012:activity:missing".to_owned(),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("e{i}");
        let exec = env.start(&act, &name);
        let h = env.history(&exec);
        let types: Vec<&str> = h.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "ActivityScheduleFailed",
                "ExecutionFailed"
            ]
        );
        let (error, cause) = error_cause(&h[1].details);
        assert_eq!(error, Some("ActivityDoesNotExist"));
        assert!(cause.is_some_and(|c| c.contains(&act)), "{cause:?}");
        assert_eq!(h[1].previous_event_id, EventId::new(1));
        let d = env.describe(&exec);
        assert_eq!(d.status, ExecutionStatus::Failed);
        assert_eq!(d.error.as_deref(), Some("ActivityDoesNotExist"));
    }
}

#[test]
fn a_full_task_list_refuses_the_start_and_leaves_nothing() {
    let env = Env::with(|b| b.queue_capacity(2));
    let act = env.activity("a");
    env.start(&act, "e1");
    env.start(&act, "e2");
    let err = env
        .sfn
        .start_execution(env.start_input(&act, "e3"))
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::ExecutionLimitExceeded(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), "ExecutionLimitExceeded");
    let gone = env
        .sfn
        .describe_execution(DescribeExecutionInput {
            execution_arn: env
                .sfn
                .state_machine_arn(MACHINE)
                .replace("stateMachine", "execution")
                + ":e3",
        })
        .unwrap_err();
    assert!(
        matches!(gone, sfn::Error::ExecutionDoesNotExist(_)),
        "{gone:?}"
    );
    // Room again: the name was never taken.
    env.take(&act, "w");
    let e3 = env.start(&act, "e3");
    assert_eq!(env.types(&e3), ["ExecutionStarted", "ActivityScheduled"]);
}

#[test]
fn start_validates_everything_before_starting_anything() {
    let env = Env::new();
    let act = env.activity("a");
    let sm = env.sfn.state_machine_arn(MACHINE);
    let base = || env.start_input(&act, "e");

    let v = validation(env.sfn.start_execution(StartExecutionInput {
        state_machine_arn: String::new(),
        name: Some("n".repeat(81)),
        activity_arn: "a".repeat(257),
        ..base()
    }));
    let members: Vec<&str> = v.violations().iter().map(|x| x.member()).collect();
    assert_eq!(members, ["stateMachineArn", "name", "activityArn"]);
    assert!(v.to_string().starts_with("3 validation errors detected: "));

    // Input: at most 262,144 UTF-8 bytes, hidden; then it must be JSON.
    let big = format!("\"{}\"", "x".repeat(262_143));
    let v = validation(env.sfn.start_execution(StartExecutionInput {
        input: Some(big),
        ..base()
    }));
    assert_eq!(v.violations()[0].member(), "input");
    assert_eq!(v.violations()[0].value(), None);
    assert_eq!(
        v.violations()[0].constraint(),
        &Constraint::MaxLength(262_144)
    );
    for bad in ["", "{", "nope", "{\"a\":}"] {
        let err = env
            .sfn
            .start_execution(StartExecutionInput {
                input: Some(bad.into()),
                ..base()
            })
            .unwrap_err();
        assert!(
            matches!(err, sfn::Error::InvalidExecutionInput(_)),
            "{bad:?}: {err:?}"
        );
    }

    for (field, bad) in [
        ("sm", "arn:aws:states:us-east-1:123456789012:activity:a"),
        ("act", "arn:x"),
        ("act", sm.as_str()),
    ] {
        let input = if field == "sm" {
            StartExecutionInput {
                state_machine_arn: bad.into(),
                ..base()
            }
        } else {
            StartExecutionInput {
                activity_arn: bad.into(),
                ..base()
            }
        };
        let err = env.sfn.start_execution(input).unwrap_err();
        assert!(matches!(err, sfn::Error::InvalidArn(_)), "{bad}: {err:?}");
    }
    for bad in ["a b", "a:b", "a/b", "a*", "\u{1}"] {
        let err = env
            .sfn
            .start_execution(StartExecutionInput {
                name: Some(bad.into()),
                ..base()
            })
            .unwrap_err();
        assert!(
            matches!(err, sfn::Error::InvalidName(_)),
            "{bad:?}: {err:?}"
        );
    }
    let err = env
        .sfn
        .start_execution(StartExecutionInput {
            state_machine_arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:m".into(),
            ..base()
        })
        .unwrap_err();
    assert!(
        matches!(err, sfn::Error::StateMachineDoesNotExist(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), "StateMachineDoesNotExist");

    assert_eq!(env.sfn.pending_tasks(&act), 0);
    // Every refusal left the name free.
    env.start(&act, "e");
}

#[test]
fn describe_and_history_refuse_bad_or_unknown_executions() {
    let env = Env::new();
    let act = env.activity("a");
    env.start(&act, "e");
    let exec_arn = |sm: &str, name: &str| {
        format!("arn:aws:states:us-east-1:123456789012:execution:{sm}:{name}")
    };
    for unknown in [
        exec_arn(MACHINE, "other"),
        exec_arn("other", "e"),
        "arn:aws:states:eu-west-1:123456789012:execution:machine:e".to_owned(),
    ] {
        let err = env
            .sfn
            .describe_execution(DescribeExecutionInput {
                execution_arn: unknown.clone(),
            })
            .unwrap_err();
        assert!(
            matches!(err, sfn::Error::ExecutionDoesNotExist(_)),
            "{unknown}: {err:?}"
        );
        let err = history_page(&env, &unknown, None, None, false).unwrap_err();
        assert!(
            matches!(err, sfn::Error::ExecutionDoesNotExist(_)),
            "{err:?}"
        );
    }
    for bad in [
        act.clone(),
        "arn:aws:states:us-east-1:123456789012:execution:machine".into(),
        "x".into(),
    ] {
        let err = env
            .sfn
            .describe_execution(DescribeExecutionInput {
                execution_arn: bad.clone(),
            })
            .unwrap_err();
        assert!(matches!(err, sfn::Error::InvalidArn(_)), "{bad}: {err:?}");
        let err = history_page(&env, &bad, None, None, false).unwrap_err();
        assert!(matches!(err, sfn::Error::InvalidArn(_)), "{err:?}");
    }
    validation(
        env.sfn
            .describe_execution(DescribeExecutionInput::default()),
    );
}

#[test]
fn history_pages_forwards_and_backwards() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    env.succeed(&token, "{}").unwrap();
    let all = env.history(&exec);
    assert_eq!(all.len(), 5);

    let mut forward = Vec::new();
    let mut token = None;
    loop {
        let page = history_page(&env, &exec, Some(2), token, false).unwrap();
        assert!(page.events.len() <= 2);
        forward.extend(page.events);
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(forward, all);

    let mut backward = Vec::new();
    let mut token = None;
    loop {
        let page = history_page(&env, &exec, Some(3), token, true).unwrap();
        backward.extend(page.events);
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    backward.reverse();
    assert_eq!(backward, all);

    // 0 and absent both mean 100; the limits are 0..1000.
    assert_eq!(
        history_page(&env, &exec, Some(0), None, false)
            .unwrap()
            .events
            .len(),
        5
    );
    for bad in [-1, 1001] {
        let v = validation(history_page(&env, &exec, Some(bad), None, false));
        assert_eq!(v.violations()[0].member(), "maxResults");
    }
    // A token this operation did not issue: InvalidToken.
    let listing = env
        .sfn
        .list_activities(sfn::ListActivitiesInput {
            max_results: Some(1),
            next_token: None,
        })
        .unwrap();
    assert!(listing.next_token.is_none());
    for bad in ["garbage".to_owned(), "AAAAAAAAAAAAAAAA".to_owned()] {
        let err = history_page(&env, &exec, None, Some(bad), false).unwrap_err();
        assert!(matches!(err, sfn::Error::InvalidToken(_)), "{err:?}");
    }
    let v = validation(history_page(
        &env,
        &exec,
        None,
        Some("t".repeat(1025)),
        false,
    ));
    assert_eq!(v.violations()[0].member(), "nextToken");
}

#[test]
fn history_can_leave_execution_data_out() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let (token, _) = env.take(&act, "w");
    env.succeed(&token, "[42]").unwrap();
    let h = env
        .sfn
        .get_execution_history(GetExecutionHistoryInput {
            execution_arn: exec.clone(),
            include_execution_data: Some(false),
            ..Default::default()
        })
        .unwrap()
        .events;
    for e in &h {
        match &e.details {
            EventDetails::ExecutionStarted {
                input,
                input_details,
            } => {
                assert_eq!((input, input_details), (&None, &None))
            }
            EventDetails::ActivityScheduled {
                input,
                input_details,
                resource,
                ..
            } => {
                assert_eq!((input, input_details), (&None, &None));
                assert_eq!(resource, &act);
            }
            EventDetails::ActivitySucceeded {
                output,
                output_details,
            }
            | EventDetails::ExecutionSucceeded {
                output,
                output_details,
            } => {
                assert_eq!((output, output_details), (&None, &None))
            }
            EventDetails::ActivityStarted { worker_name } => {
                assert_eq!(worker_name.as_deref(), Some("w"))
            }
            other => panic!("{other:?}"),
        }
    }
    let with = env.history(&exec);
    assert_eq!(with.len(), h.len());
    assert_eq!(with[4].event_type, HistoryEventType::ExecutionSucceeded);
}

#[test]
fn executions_of_one_activity_are_served_oldest_first() {
    let env = Env::new();
    let act = env.activity("a");
    let names: Vec<String> = (0..20).map(|i| format!("e{i:02}")).collect();
    for n in &names {
        env.start(&act, n);
    }
    let got: Vec<String> = (0..20).map(|_| env.take(&act, "w").1).collect();
    let want: Vec<String> = names
        .iter()
        .map(|n| format!("{{\"job\":\"{n}\"}}"))
        .collect();
    assert_eq!(got, want);
}
