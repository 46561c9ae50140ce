//! Everything that goes wrong, and how (AWS-API.md A0, A1, A5): validation
//! errors with AWS's message text, the name rules, every
//! `ScheduleActivityTaskFailed` cause the engine produces,
//! `RequestCancelActivityTaskFailed`, queue capacity, and stale, forged,
//! truncated and tampered task tokens. An error changes nothing.

mod support;

use activity_broker::Constraint;
use activity_broker::swf::{
    self, ActivityType, Decision, EventAttributes, EventType, RegisterDomainInput,
    RequestCancelActivityTaskDecisionAttributes, TaskList,
};
use support::*;

// ----- validation: AWS's message text (A0.2) --------------------------------

#[test]
fn an_over_long_task_list_name_gives_aws_exact_message() {
    let env = Env::new();
    let name = "x".repeat(257);
    let err = env
        .swf
        .poll_for_activity_task_timeout(poll_input(&name, None), secs(60))
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    assert_eq!(
        err.wire_type(),
        "com.amazon.coral.validate#ValidationException"
    );
    let expected = format!(
        "1 validation error detected: Value '{name}' at 'taskList.name' failed to satisfy \
         constraint: Member must have length less than or equal to 256"
    );
    assert_eq!(err.message(), expected);
    assert_eq!(err.to_string(), format!("ValidationException: {expected}"));
    let v = validation::<()>(Err(err));
    assert_eq!(v.violations().len(), 1);
    assert_eq!(v.violations()[0].member(), "taskList.name");
    assert_eq!(v.violations()[0].value(), Some(name.as_str()));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MaxLength(256));
    // 256 characters is fine.
    assert!(env.poll_now(&"x".repeat(256)).is_empty());
}

#[test]
fn several_violations_are_reported_together() {
    let env = Env::new();
    let v = validation(env.swf.poll_for_activity_task_timeout(
        swf::PollForActivityTaskInput {
            domain: String::new(),
            task_list: TaskList::new(""),
            identity: Some("i".repeat(257)),
        },
        secs(60),
    ));
    assert_eq!(
        v.to_string(),
        format!(
            "3 validation errors detected: \
             Value '' at 'domain' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '' at 'taskList.name' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '{}' at 'identity' failed to satisfy constraint: Member must have length less than or equal to 256",
            "i".repeat(257)
        )
    );
}

#[test]
fn decision_violations_name_the_one_based_member_path_and_record_nothing() {
    let env = Env::new();
    let exec = env.start("w");
    let before = env.history(&exec);
    let long_id = "a".repeat(257);
    let v = validation(env.try_decide(
        &exec,
        vec![
            schedule(sched(&long_id)),
            schedule(sched("fine")),
            schedule(sched("a:b")),
            Decision::RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes {
                activity_id: String::new(),
            }),
        ],
    ));
    let members: Vec<&str> = v.violations().iter().map(|v| v.member()).collect();
    assert_eq!(
        members,
        [
            "decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId",
            "decisions.3.member.scheduleActivityTaskDecisionAttributes.activityId",
            "decisions.4.member.requestCancelActivityTaskDecisionAttributes.activityId",
        ]
    );
    assert!(v.to_string().starts_with(&format!(
        "3 validation errors detected: Value '{long_id}' at \
         'decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId' failed to \
         satisfy constraint: Member must have length less than or equal to 256; Value 'a:b' at \
         'decisions.3.member.scheduleActivityTaskDecisionAttributes.activityId' failed to \
         satisfy constraint: "
    )));
    assert_eq!(
        v.violations()[1].constraint(),
        &Constraint::NoReservedCharacters
    );
    assert_eq!(v.violations()[2].constraint(), &Constraint::MinLength(1));
    // A1: a malformed request applies no decision at all, "fine" included.
    assert_eq!(env.history(&exec), before);
    assert_eq!(env.pending(LIST), 0);
}

#[test]
fn malformed_decision_members_are_validation_errors() {
    let env = Env::new();
    let exec = env.start("w");
    let p = "decisions.1.member.scheduleActivityTaskDecisionAttributes";
    let cases: Vec<(
        swf::ScheduleActivityTaskDecisionAttributes,
        String,
        Constraint,
    )> = vec![
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                schedule_to_start_timeout: Some("123456789".into()),
                ..sched("a")
            },
            format!("{p}.scheduleToStartTimeout"),
            Constraint::MaxLength(8),
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                schedule_to_close_timeout: Some("-1".into()),
                ..sched("a")
            },
            format!("{p}.scheduleToCloseTimeout"),
            Constraint::Duration,
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                start_to_close_timeout: Some("none".into()),
                ..sched("a")
            },
            format!("{p}.startToCloseTimeout"),
            Constraint::Duration,
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                heartbeat_timeout: Some("1.5".into()),
                ..sched("a")
            },
            format!("{p}.heartbeatTimeout"),
            Constraint::Duration,
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                task_priority: Some("2147483648".into()),
                ..sched("a")
            },
            format!("{p}.taskPriority"),
            Constraint::Int32,
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                input: Some("i".repeat(32769)),
                ..sched("a")
            },
            format!("{p}.input"),
            Constraint::MaxLength(32768),
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                control: Some("c".repeat(32769)),
                ..sched("a")
            },
            format!("{p}.control"),
            Constraint::MaxLength(32768),
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                activity_type: ActivityType::new(ACTIVITY, "v".repeat(65)),
                ..sched("a")
            },
            format!("{p}.activityType.version"),
            Constraint::MaxLength(64),
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                activity_type: ActivityType::new("", VERSION),
                ..sched("a")
            },
            format!("{p}.activityType.name"),
            Constraint::MinLength(1),
        ),
        (
            swf::ScheduleActivityTaskDecisionAttributes {
                task_list: Some(TaskList::new(" padded")),
                ..sched("a")
            },
            format!("{p}.taskList.name"),
            Constraint::NoEdgeWhitespace,
        ),
    ];
    let n = env.len(&exec);
    for (attrs, member, constraint) in cases {
        let v = validation(env.try_decide(&exec, vec![schedule(attrs)]));
        assert_eq!(v.violations().len(), 1, "{v}");
        assert_eq!(v.violations()[0].member(), member);
        assert_eq!(v.violations()[0].constraint(), &constraint, "{member}");
    }
    // The limits themselves are fine.
    let ok = swf::ScheduleActivityTaskDecisionAttributes {
        schedule_to_start_timeout: Some("99999999".into()),
        task_priority: Some("-2147483648".into()),
        input: Some("i".repeat(32768)),
        control: Some("c".repeat(32768)),
        ..sched(&"a".repeat(256))
    };
    assert_eq!(env.len(&exec), n);
    env.decide(&exec, vec![schedule(ok)]);
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskScheduled);
    let v = validation(env.swf.respond_decision_task_completed(
        swf::RespondDecisionTaskCompletedInput {
            domain: DOMAIN.into(),
            execution: exec.clone(),
            execution_context: Some("x".repeat(32769)),
            ..Default::default()
        },
    ));
    assert_eq!(v.violations()[0].member(), "executionContext");
}

#[test]
fn decision_task_list_members_are_validated_in_member_order_and_a_refusal_records_nothing() {
    // AWS-API.md A2 RespondDecisionTaskCompleted: `taskList.name` is a Name
    // (1-256, with the task-list name rules of A1 "Polling"), and
    // `taskListScheduleToStartTimeout` a DurationInSecondsOptional (max 8).
    let env = Env::new();
    let exec = env.start("w");
    let before = env.history(&exec);
    let respond = |list: Option<&str>, timeout: Option<&str>, id: &str| {
        env.swf
            .respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
                domain: DOMAIN.into(),
                execution: exec.clone(),
                decisions: vec![schedule(sched(id))],
                task_list: list.map(TaskList::new),
                task_list_schedule_to_start_timeout: timeout.map(str::to_owned),
                ..Default::default()
            })
    };
    let long = "l".repeat(257);
    let cases = [
        (Some(""), None, "taskList.name", Constraint::MinLength(1)),
        (
            Some(long.as_str()),
            None,
            "taskList.name",
            Constraint::MaxLength(256),
        ),
        (
            Some(" l"),
            None,
            "taskList.name",
            Constraint::NoEdgeWhitespace,
        ),
        (
            Some("a|b"),
            None,
            "taskList.name",
            Constraint::NoReservedCharacters,
        ),
        (
            Some("my-arn-list"),
            None,
            "taskList.name",
            Constraint::NotArn,
        ),
        (
            None,
            Some("123456789"),
            "taskListScheduleToStartTimeout",
            Constraint::MaxLength(8),
        ),
        (
            None,
            Some("-1"),
            "taskListScheduleToStartTimeout",
            Constraint::Duration,
        ),
        (
            None,
            Some(""),
            "taskListScheduleToStartTimeout",
            Constraint::Duration,
        ),
    ];
    for (list, timeout, member, constraint) in cases {
        let v = validation(respond(list, timeout, "a"));
        assert_eq!(v.violations().len(), 1, "{v}");
        assert_eq!(v.violations()[0].member(), member);
        assert_eq!(
            v.violations()[0].constraint(),
            &constraint,
            "{list:?} {timeout:?}"
        );
    }
    // Reported with the decisions' violations, in the shape's member order.
    let v = validation(respond(Some(""), Some("soon"), "a:b"));
    assert_eq!(
        violated(&v),
        [
            (
                "decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId",
                &Constraint::NoReservedCharacters
            ),
            ("taskList.name", &Constraint::MinLength(1)),
            ("taskListScheduleToStartTimeout", &Constraint::Duration),
        ]
    );
    assert!(
        v.to_string()
            .starts_with("3 validation errors detected: Value 'a:b' at 'decisions.1."),
        "{v}"
    );
    // A refusal schedules nothing, and moves no later decision task.
    assert_eq!(env.history(&exec), before);
    assert_eq!(env.pending(LIST), 0);
    env.schedule(&exec, &["b"]);
    let b = env.take(LIST);
    env.complete(&b.task_token, None).unwrap();
    assert!(matches!(
        env.last(&exec).attributes,
        EventAttributes::DecisionTaskScheduled { ref task_list, schedule_to_start_timeout: None, .. }
            if task_list.name == "deciders"
    ));
    // The limits themselves are fine.
    respond(Some(&"l".repeat(256)), Some("99999999"), "c").unwrap();
}

#[test]
fn respond_and_heartbeat_members_have_aws_limits_and_a_refusal_changes_nothing() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let t = env.take(LIST);
    let before = env.history(&exec);
    let tok = t.task_token.as_str();
    let cases: Vec<(&str, Result<(), swf::Error>)> = vec![
        (
            "details",
            env.heartbeat(tok, Some(&"d".repeat(2049))).map(drop),
        ),
        ("result", env.complete(tok, Some(&"r".repeat(32769)))),
        ("reason", env.fail(tok, Some(&"r".repeat(257)), None)),
        ("details", env.fail(tok, None, Some(&"d".repeat(32769)))),
        ("details", env.canceled(tok, Some(&"d".repeat(32769)))),
        ("taskToken", env.complete("", None)),
        ("taskToken", env.complete(&"t".repeat(1025), None)),
    ];
    for (member, r) in cases {
        let v = validation(r);
        assert_eq!(v.violations()[0].member(), member);
    }
    assert_eq!(env.history(&exec), before);
    // At the limits, the task still answers.
    assert_eq!(env.heartbeat(tok, Some(&"d".repeat(2048))), Ok(false));
    env.complete(tok, Some(&"r".repeat(32768))).unwrap();
}

// ----- name rules (A1, A2 doc facts, A5) --------------------------------------

const RESERVED: [char; 9] = [
    ':', '/', '|', '\u{0}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\n',
];

fn domain_error(env: &Env, name: &str) -> Option<Constraint> {
    match env.swf.register_domain(RegisterDomainInput {
        name: name.into(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    }) {
        Ok(_) => None,
        Err(e) => Some(
            validation::<()>(Err(e)).violations()[0]
                .constraint()
                .clone(),
        ),
    }
}

#[test]
fn names_refuse_reserved_and_control_characters() {
    let env = Env::new();
    let exec = env.start("w");
    for c in RESERVED {
        let name = format!("a{c}b");
        assert_eq!(
            domain_error(&env, &name),
            Some(Constraint::NoReservedCharacters),
            "domain {name:?}"
        );
        let v = validation(
            env.swf
                .poll_for_activity_task_timeout(poll_input(&name, None), secs(1)),
        );
        assert_eq!(
            v.violations()[0].constraint(),
            &Constraint::NoReservedCharacters
        );
        let v = validation(env.try_decide(&exec, vec![schedule(sched(&name))]));
        assert_eq!(
            v.violations()[0].constraint(),
            &Constraint::NoReservedCharacters
        );
        let mut reg = full_defaults(&name, VERSION);
        let v = validation(env.swf.register_activity_type(reg.clone()));
        assert_eq!(v.violations()[0].member(), "name");
        reg.name = "ok".into();
        reg.version = name.clone();
        let v = validation(env.swf.register_activity_type(reg));
        assert_eq!(v.violations()[0].member(), "version");
        let v = validation(
            env.swf
                .start_workflow_execution(swf::StartWorkflowExecutionInput {
                    domain: DOMAIN.into(),
                    workflow_id: name.clone(),
                    workflow_type: swf::WorkflowType::new(WORKFLOW, VERSION),
                    ..Default::default()
                }),
        );
        assert_eq!(v.violations()[0].member(), "workflowId");
    }
    // Just outside the control ranges, and other punctuation, are fine.
    for ok in ["a\u{a0}b", "a\u{7e}b", "a.b-c_d", "a b", "é", "a\\b"] {
        assert_eq!(domain_error(&env, ok), None, "{ok:?}");
    }
}

#[test]
fn domain_and_task_list_names_refuse_edge_whitespace_others_do_not() {
    // A2: domain and poll task-list names: "no leading/trailing whitespace".
    let env = Env::new();
    let exec = env.start("w");
    for bad in [" d", "d ", "\td", "d\u{3000}"] {
        assert_eq!(
            domain_error(&env, bad),
            Some(Constraint::NoEdgeWhitespace),
            "{bad:?}"
        );
        let v = validation(
            env.swf
                .poll_for_activity_task_timeout(poll_input(bad, None), secs(1)),
        );
        assert_eq!(
            v.violations()[0].constraint(),
            &Constraint::NoEdgeWhitespace
        );
        let mut reg = full_defaults("t", VERSION);
        reg.default_task_list = Some(TaskList::new(bad));
        let v = validation(env.swf.register_activity_type(reg));
        assert_eq!(v.violations()[0].member(), "defaultTaskList.name");
    }
    assert_eq!(domain_error(&env, "inner space"), None);
    // Activity ids and type names have no whitespace rule.
    env.register_activity_type(" padded type ", VERSION);
    let mut a = sched(" padded id ");
    a.activity_type = ActivityType::new(" padded type ", VERSION);
    env.decide(&exec, vec![schedule(a)]);
    assert_eq!(env.take(LIST).activity_id, " padded id ");
}

#[test]
fn names_containing_arn_are_refused_by_default() {
    // AWS-API.md "One deliberate difference": by default a name must not
    // contain `arn`.
    let env = Env::new();
    let exec = env.start("w");
    for bad in ["arn", "barnyard", "x-arn"] {
        assert_eq!(domain_error(&env, bad), Some(Constraint::NotArn), "{bad:?}");
        let v = validation(env.try_decide(&exec, vec![schedule(sched(bad))]));
        assert_eq!(v.violations()[0].constraint(), &Constraint::NotArn);
        assert!(
            v.to_string()
                .ends_with("Member must not contain the literal string 'arn'")
        );
        let v = validation(
            env.swf
                .poll_for_activity_task_timeout(poll_input(bad, None), secs(1)),
        );
        assert_eq!(v.violations()[0].constraint(), &Constraint::NotArn);
        let v = validation(env.swf.register_activity_type(full_defaults(bad, VERSION)));
        assert_eq!(v.violations()[0].member(), "name");
    }
    // The rule is case-sensitive: `ARN` is not `arn`.
    assert_eq!(domain_error(&env, "ARN"), None);
}

#[test]
fn relaxed_arn_rule_refuses_only_the_literal_arn() {
    let env = Env::with(|b| b.relaxed_arn_rule(true));
    let exec = env.start("w");
    assert_eq!(domain_error(&env, "barnyard"), None);
    assert_eq!(domain_error(&env, "arn"), Some(Constraint::NotLiteralArn));
    env.decide(&exec, vec![schedule(sched("yarn-1"))]);
    assert_eq!(env.take(LIST).activity_id, "yarn-1");
    let v = validation(env.try_decide(&exec, vec![schedule(sched("arn"))]));
    assert_eq!(v.violations()[0].constraint(), &Constraint::NotLiteralArn);
    assert!(
        v.to_string()
            .ends_with("Member must not be the literal string 'arn'")
    );
    assert!(env.poll_now("barn").is_empty());
}

#[test]
fn name_lengths_are_checked_at_their_limits() {
    let env = Env::new();
    assert_eq!(domain_error(&env, &"d".repeat(256)), None);
    assert_eq!(
        domain_error(&env, &"d".repeat(257)),
        Some(Constraint::MaxLength(256))
    );
    assert_eq!(domain_error(&env, ""), Some(Constraint::MinLength(1)));
    // Lengths count characters, not bytes.
    assert_eq!(domain_error(&env, &"é".repeat(256)), None);
    env.swf
        .register_activity_type(full_defaults("t", &"v".repeat(64)))
        .unwrap();
    let v = validation(
        env.swf
            .register_activity_type(full_defaults("t", &"v".repeat(65))),
    );
    assert_eq!(v.violations()[0].constraint(), &Constraint::MaxLength(64));
}

// ----- ScheduleActivityTaskFailed: every cause (A1 "Scheduling") -------------

/// Applies `attrs`, asserts the call succeeded and recorded exactly one
/// `ScheduleActivityTaskFailed` with `cause`, referring to this decision,
/// and then a decision task for the decider to see it.
fn assert_schedule_fails(
    env: &Env,
    exec: &swf::WorkflowExecution,
    attrs: swf::ScheduleActivityTaskDecisionAttributes,
    cause: &'static str,
) {
    let id = attrs.activity_id.clone();
    let kind = attrs.activity_type.clone();
    let pending = env.pending(LIST);
    let completed = env.decide(exec, vec![schedule(attrs)]);
    let last = env.last_failure(exec);
    assert_eq!(last.event_id.get(), completed.get() + 1);
    assert_eq!(
        last.attributes,
        EventAttributes::ScheduleActivityTaskFailed {
            activity_type: kind,
            activity_id: id,
            cause,
            decision_task_completed_event_id: completed,
        }
    );
    assert_eq!(
        env.pending(LIST),
        pending,
        "a failed schedule queues nothing"
    );
}

#[test]
fn unknown_or_deleted_type_gives_activity_type_does_not_exist() {
    let env = Env::new();
    let exec = env.start("w");
    let mut a = sched("a");
    a.activity_type = ActivityType::new("ghost", VERSION);
    assert_schedule_fails(&env, &exec, a, "ACTIVITY_TYPE_DOES_NOT_EXIST");
    let mut a = sched("b");
    a.activity_type = ActivityType::new(ACTIVITY, "2");
    assert_schedule_fails(&env, &exec, a, "ACTIVITY_TYPE_DOES_NOT_EXIST");
    let t = swf::ActivityTypeInput {
        domain: DOMAIN.into(),
        activity_type: ActivityType::new(ACTIVITY, VERSION),
    };
    env.swf.deprecate_activity_type(t.clone()).unwrap();
    env.swf.delete_activity_type(t).unwrap();
    assert_schedule_fails(&env, &exec, sched("c"), "ACTIVITY_TYPE_DOES_NOT_EXIST");
    check_history(&env.history(&exec));
}

#[test]
fn deprecated_type_gives_activity_type_deprecated_and_running_tasks_go_on() {
    // A1 DeprecateActivityType: tasks scheduled before keep running.
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["before"]);
    let t = swf::ActivityTypeInput {
        domain: DOMAIN.into(),
        activity_type: ActivityType::new(ACTIVITY, VERSION),
    };
    env.swf.deprecate_activity_type(t.clone()).unwrap();
    assert_schedule_fails(&env, &exec, sched("after"), "ACTIVITY_TYPE_DEPRECATED");
    let task = env.take(LIST);
    assert_eq!(task.activity_id, "before");
    env.complete(&task.task_token, None).unwrap();
    env.swf.undeprecate_activity_type(t).unwrap();
    env.schedule(&exec, &["again"]);
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskScheduled);
}

#[test]
fn a_deleted_types_started_task_still_completes() {
    // A1 DeleteActivityType: started tasks "continue to run".
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let task = env.take(LIST);
    let t = swf::ActivityTypeInput {
        domain: DOMAIN.into(),
        activity_type: ActivityType::new(ACTIVITY, VERSION),
    };
    env.swf.deprecate_activity_type(t.clone()).unwrap();
    env.swf.delete_activity_type(t).unwrap();
    assert_eq!(env.heartbeat(&task.task_token, None), Ok(false));
    env.complete(&task.task_token, Some("ok")).unwrap();
    assert_eq!(env.types(&exec)[6], "ActivityTaskCompleted");
}

#[test]
fn an_open_activity_id_gives_activity_id_already_in_use() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    // Queued.
    assert_schedule_fails(&env, &exec, sched("a"), "ACTIVITY_ID_ALREADY_IN_USE");
    // Started.
    let t = env.take(LIST);
    assert_schedule_fails(&env, &exec, sched("a"), "ACTIVITY_ID_ALREADY_IN_USE");
    // Twice in one decision list: the second fails, the first stands.
    let completed = env.decide(&exec, vec![schedule(sched("b")), schedule(sched("b"))]);
    let h = env.history(&exec);
    let n = completed.get() as usize;
    assert_eq!(h[n].event_type, EventType::ActivityTaskScheduled);
    assert_eq!(
        schedule_failure(&h[n + 1]),
        ("b", "ACTIVITY_ID_ALREADY_IN_USE", completed)
    );
    // Once closed, the id may be used again (the model does not say; this
    // engine allows it).
    env.complete(&t.task_token, None).unwrap();
    env.schedule(&exec, &["a"]);
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskScheduled);
    check_history(&env.history(&exec));
}

#[test]
fn max_open_activities_gives_open_activities_limit_exceeded() {
    let env = Env::with(|b| b.max_open_activities(2));
    let exec = env.start("w");
    env.schedule(&exec, &["a", "b"]);
    assert_schedule_fails(&env, &exec, sched("c"), "OPEN_ACTIVITIES_LIMIT_EXCEEDED");
    // The limit is per execution.
    let other = env.start("other");
    env.schedule(&other, &["c"]);
    assert_eq!(
        env.last(&other).event_type,
        EventType::ActivityTaskScheduled
    );
    // Closing one frees a place.
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    env.schedule(&exec, &["c"]);
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskScheduled);
}

#[test]
fn missing_task_list_gives_default_task_list_undefined() {
    let env = Env::new();
    let mut reg = full_defaults("listless", VERSION);
    reg.default_task_list = None;
    env.swf.register_activity_type(reg).unwrap();
    let exec = env.start("w");
    let mut a = sched("a");
    a.activity_type = ActivityType::new("listless", VERSION);
    assert_schedule_fails(&env, &exec, a.clone(), "DEFAULT_TASK_LIST_UNDEFINED");
    // Given in the decision, it schedules.
    a.task_list = Some(TaskList::new("explicit"));
    env.decide(&exec, vec![schedule(a)]);
    assert_eq!(env.take("explicit").activity_id, "a");
}

#[test]
fn each_missing_timeout_gives_its_default_undefined_cause() {
    type Field = fn(&mut swf::RegisterActivityTypeInput) -> &mut Option<String>;
    type Override = fn(&mut swf::ScheduleActivityTaskDecisionAttributes) -> &mut Option<String>;
    let cases: [(&str, Field, Override, &str); 4] = [
        (
            "no-s2s",
            |r| &mut r.default_task_schedule_to_start_timeout,
            |a| &mut a.schedule_to_start_timeout,
            "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",
        ),
        (
            "no-s2c",
            |r| &mut r.default_task_schedule_to_close_timeout,
            |a| &mut a.schedule_to_close_timeout,
            "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        (
            "no-stc",
            |r| &mut r.default_task_start_to_close_timeout,
            |a| &mut a.start_to_close_timeout,
            "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        (
            "no-hb",
            |r| &mut r.default_task_heartbeat_timeout,
            |a| &mut a.heartbeat_timeout,
            "DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED",
        ),
    ];
    let env = Env::new();
    let exec = env.start("w");
    for (name, field, over, cause) in cases {
        let mut reg = full_defaults(name, VERSION);
        *field(&mut reg) = None;
        env.swf.register_activity_type(reg).unwrap();
        let mut a = sched(&format!("{name}-task"));
        a.activity_type = ActivityType::new(name, VERSION);
        assert_schedule_fails(&env, &exec, a.clone(), cause);
        // The decision may supply what the type lacks.
        *over(&mut a) = Some("NONE".into());
        env.decide(&exec, vec![schedule(a)]);
        assert_eq!(
            env.last(&exec).event_type,
            EventType::ActivityTaskScheduled,
            "{name}"
        );
    }
    check_history(&env.history(&exec));
}

#[test]
fn missing_defaults_are_judged_in_the_resolution_table_order() {
    // AWS-API.md A1's resolution table: taskList, scheduleToStartTimeout,
    // scheduleToCloseTimeout, startToCloseTimeout, heartbeatTimeout. With
    // several missing, the first in that order is the cause (moto agrees).
    let env = Env::new();
    let mut bare = full_defaults("bare", VERSION);
    bare.default_task_list = None;
    bare.default_task_schedule_to_start_timeout = None;
    bare.default_task_schedule_to_close_timeout = None;
    bare.default_task_start_to_close_timeout = None;
    bare.default_task_heartbeat_timeout = None;
    env.swf.register_activity_type(bare).unwrap();
    let exec = env.start("w");
    let mut a = sched("a");
    a.activity_type = ActivityType::new("bare", VERSION);
    a.task_list = None;
    type Supply = fn(&mut swf::ScheduleActivityTaskDecisionAttributes);
    let steps: [(Supply, &str); 5] = [
        (
            |a| a.task_list = Some(TaskList::new(LIST)),
            "DEFAULT_TASK_LIST_UNDEFINED",
        ),
        (
            |a| a.schedule_to_start_timeout = Some("NONE".into()),
            "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",
        ),
        (
            |a| a.schedule_to_close_timeout = Some("NONE".into()),
            "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        (
            |a| a.start_to_close_timeout = Some("NONE".into()),
            "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        (
            |a| a.heartbeat_timeout = Some("NONE".into()),
            "DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED",
        ),
    ];
    // Each step supplies the setting whose absence was just reported.
    for (supply, cause) in steps {
        assert_schedule_fails(&env, &exec, a.clone(), cause);
        supply(&mut a);
    }
    env.decide(&exec, vec![schedule(a)]);
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskScheduled);
}

#[test]
fn an_open_activity_id_is_judged_before_the_missing_defaults() {
    // moto's order (AWS-API.md A1 names no precedence): the type, then the
    // open id, then the defaults.
    let env = Env::new();
    let mut listless = full_defaults("listless", VERSION);
    listless.default_task_list = None;
    env.swf.register_activity_type(listless).unwrap();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    let mut a = sched("a");
    a.activity_type = ActivityType::new("listless", VERSION);
    a.task_list = None;
    assert_schedule_fails(&env, &exec, a.clone(), "ACTIVITY_ID_ALREADY_IN_USE");
    // A type that does not exist is still judged first.
    a.activity_type = ActivityType::new("ghost", VERSION);
    assert_schedule_fails(&env, &exec, a, "ACTIVITY_TYPE_DOES_NOT_EXIST");
}

#[test]
fn a_failed_schedule_does_not_stop_the_decisions_after_it() {
    let env = Env::new();
    let exec = env.start("w");
    let mut ghost = sched("x");
    ghost.activity_type = ActivityType::new("ghost", VERSION);
    let completed = env.decide(
        &exec,
        vec![schedule(sched("a")), schedule(ghost), schedule(sched("b"))],
    );
    let types = env.types(&exec);
    // The decision task that shows the failure comes after the call's
    // other events (as moto records it, AWS-API.md A1).
    assert_eq!(
        types[completed.get() as usize..],
        [
            "ActivityTaskScheduled",
            "ScheduleActivityTaskFailed",
            "ActivityTaskScheduled",
            "DecisionTaskScheduled"
        ]
    );
    assert_eq!(env.pending(LIST), 2);
}

// ----- RequestCancelActivityTaskFailed (A1 "Cancellation") -------------------

#[test]
fn cancel_of_an_unknown_or_closed_activity_gives_activity_id_unknown() {
    let env = Env::new();
    let exec = env.start("w");
    let completed = env.cancel(&exec, "never-scheduled");
    assert_eq!(
        env.last_failure(&exec).attributes,
        EventAttributes::RequestCancelActivityTaskFailed {
            activity_id: "never-scheduled".into(),
            cause: "ACTIVITY_ID_UNKNOWN",
            decision_task_completed_event_id: completed,
        }
    );
    env.schedule(&exec, &["done"]);
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    let completed = env.cancel(&exec, "done");
    assert_eq!(
        env.last_failure(&exec).attributes,
        EventAttributes::RequestCancelActivityTaskFailed {
            activity_id: "done".into(),
            cause: "ACTIVITY_ID_UNKNOWN",
            decision_task_completed_event_id: completed,
        }
    );
    check_history(&env.history(&exec));
}

// ----- a failed decision schedules the decision task that shows it (A1) -----

/// The decision tasks `exec` has open, as `DescribeWorkflowExecution` counts
/// them.
fn open_decision_tasks(env: &Env, exec: &swf::WorkflowExecution) -> i32 {
    env.describe(exec)
        .expect("describe")
        .open_counts
        .open_decision_tasks
}

/// A1: "The decider sees that event in its next decision task", so a
/// failed decision schedules one (as moto does, after the call's other
/// events), unless one is scheduled already: SWF keeps at most one. The
/// next call then starts that one rather than scheduling another.
#[test]
fn a_failed_decision_schedules_one_decision_task_for_the_decider() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a"]);
    assert_eq!(open_decision_tasks(&env, &exec), 0, "nothing to decide yet");
    let mut ghost = sched("ghost");
    ghost.activity_type = ActivityType::new("ghost", VERSION);
    let cancel_nobody =
        Decision::RequestCancelActivityTask(RequestCancelActivityTaskDecisionAttributes {
            activity_id: "nobody".into(),
        });
    let completed = env.decide(
        &exec,
        vec![schedule(ghost), cancel_nobody, schedule(sched("b"))],
    );
    let types = env.types(&exec);
    assert_eq!(
        types[completed.get() as usize..],
        [
            "ScheduleActivityTaskFailed",
            "RequestCancelActivityTaskFailed",
            "ActivityTaskScheduled",
            "DecisionTaskScheduled"
        ],
        "two failures, one decision task, after the call's other events"
    );
    let scheduled = env.last(&exec).event_id;
    assert_eq!(open_decision_tasks(&env, &exec), 1);

    // A task closing while that decision task waits schedules no other.
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskCompleted);

    // The next call starts the waiting one; its failure schedules anew.
    let completed = env.cancel(&exec, "nobody-either");
    let h = env.history(&exec);
    let started = h
        .iter()
        .find(|e| e.event_id.get() == completed.get() - 1)
        .expect("started");
    assert!(matches!(
        started.attributes,
        EventAttributes::DecisionTaskStarted { scheduled_event_id, .. } if scheduled_event_id == scheduled
    ));
    assert_eq!(
        env.last_failure(&exec).event_type,
        EventType::RequestCancelActivityTaskFailed
    );
    assert_eq!(open_decision_tasks(&env, &exec), 1);

    // A call whose decisions all succeed leaves no decision task behind.
    env.schedule(&exec, &["c"]);
    assert_eq!(env.last(&exec).event_type, EventType::ActivityTaskScheduled);
    assert_eq!(open_decision_tasks(&env, &exec), 0);
    check_history(&env.history(&exec));
}

// ----- queue capacity: a full list fails the decision, not the call ---------

/// The `ScheduleActivityTaskFailed` attributes of `id` with `cause`.
fn failed_schedule(
    id: &str,
    cause: &'static str,
    decision: activity_broker::EventId,
) -> EventAttributes {
    EventAttributes::ScheduleActivityTaskFailed {
        activity_type: ActivityType::new(ACTIVITY, VERSION),
        activity_id: id.into(),
        cause,
        decision_task_completed_event_id: decision,
    }
}

#[test]
fn a_full_task_list_fails_its_schedules_and_the_rest_of_the_decision_goes_ahead() {
    // A1 "Scheduling": the call fails only for an unknown token or a
    // malformed request; a well-formed decision that cannot be carried out
    // records ScheduleActivityTaskFailed. A2 lists no LimitExceededFault for
    // RespondDecisionTaskCompleted.
    let env = Env::with(|b| b.queue_capacity(2));
    let exec = env.start("w");
    env.schedule(&exec, &["a", "b"]);
    assert_eq!(env.pending(LIST), 2);
    let mut elsewhere = sched("c");
    elsewhere.task_list = Some(TaskList::new("roomy"));
    let decision = env.decide(&exec, vec![schedule(sched("d")), schedule(elsewhere)]);
    let h = env.history(&exec);
    let n = h.len();
    assert_eq!(
        h[n - 3].attributes,
        failed_schedule("d", "ACTIVITY_CREATION_RATE_EXCEEDED", decision)
    );
    assert_eq!(h[n - 2].event_type, EventType::ActivityTaskScheduled);
    assert_eq!(h[n - 1].event_type, EventType::DecisionTaskScheduled);
    assert_eq!(env.pending(LIST), 2, "the full list took nothing");
    assert_eq!(env.pending("roomy"), 1);
    // Three at once on an empty list of capacity 2: the third fails, in
    // decision order.
    let decision = env.decide(
        &exec,
        ["x", "y", "z"]
            .iter()
            .map(|id| {
                let mut a = sched(id);
                a.task_list = Some(TaskList::new("small"));
                schedule(a)
            })
            .collect(),
    );
    let h = env.history(&exec);
    let n = h.len();
    assert_eq!(h[n - 4].event_type, EventType::ActivityTaskScheduled);
    assert_eq!(h[n - 3].event_type, EventType::ActivityTaskScheduled);
    assert_eq!(
        h[n - 2].attributes,
        failed_schedule("z", "ACTIVITY_CREATION_RATE_EXCEEDED", decision)
    );
    assert_eq!(h[n - 1].event_type, EventType::DecisionTaskScheduled);
    assert_eq!(env.pending("small"), 2);
    // The failed id was never open: once there is room it can be scheduled.
    env.take(LIST);
    env.schedule(&exec, &["d"]);
    assert_eq!(env.pending(LIST), 2);
    check_history(&env.history(&exec));
}

// ----- stale, forged, truncated and tampered tokens (A1, A5) -----------------

#[test]
fn tokens_of_closed_tasks_are_unknown_resource_and_change_nothing() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["completed", "failed", "canceled", "timed-out"]);
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    env.assert_token_dead(&t.task_token, &exec, LIST);
    let t = env.take(LIST);
    env.fail(&t.task_token, None, None).unwrap();
    env.assert_token_dead(&t.task_token, &exec, LIST);
    let t = env.take(LIST);
    env.canceled(&t.task_token, None).unwrap();
    env.assert_token_dead(&t.task_token, &exec, LIST);
    let mut a = sched("timed");
    a.heartbeat_timeout = Some("5".into());
    env.decide(&exec, vec![schedule(a)]);
    let _ = env.take(LIST); // "timed-out", no timeout
    let timed = env.take(LIST);
    assert_eq!(timed.activity_id, "timed");
    env.advance(secs(5));
    assert_eq!(env.last(&exec).event_type, EventType::DecisionTaskScheduled);
    env.assert_token_dead(&timed.task_token, &exec, LIST);
    // The message says why.
    let e = env.complete(&timed.task_token, None).unwrap_err();
    assert_eq!(e.code(), "UnknownResourceFault");
    assert!(e.to_string().starts_with("UnknownResourceFault: "));
}

#[test]
fn a_token_whose_slot_was_reused_is_unknown_resource() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["old"]);
    let old = env.take(LIST);
    env.complete(&old.task_token, None).unwrap();
    env.schedule(&exec, &["new"]);
    let new = env.take(LIST);
    let (o, n) = (
        RawToken::decode(&old.task_token),
        RawToken::decode(&new.task_token),
    );
    assert_eq!(
        (o.shard(), o.slot()),
        (n.shard(), n.slot()),
        "the slot was reused"
    );
    assert_ne!(o.generation(), n.generation());
    env.assert_token_dead(&old.task_token, &exec, LIST);
    // The new occupant is untouched and still answers.
    assert_eq!(env.heartbeat(&new.task_token, None), Ok(false));
    env.complete(&new.task_token, Some("ok")).unwrap();
    check_history(&env.history(&exec));
}

#[test]
fn forged_truncated_and_tampered_tokens_are_unknown_resource() {
    let env = Env::new();
    let exec = env.start("w");
    env.schedule(&exec, &["a", "queued"]);
    let t = env.take(LIST);
    let real = RawToken::decode(&t.task_token);
    assert_eq!(real.encode(), t.task_token);
    let tampered = |f: &dyn Fn(&mut [u8; 27])| {
        let mut r = real;
        f(&mut r.bytes);
        r.encode()
    };
    let mut forged: Vec<(&str, String)> = vec![
        ("short garbage", "forged".into()),
        ("right length, zero tag", "A".repeat(36)),
        ("truncated", t.task_token[..35].to_owned()),
        ("extended", format!("{}A", t.task_token)),
        ("bad alphabet", format!("+{}", &t.task_token[1..])),
        ("nonce", tampered(&|b| b[20] ^= 1)),
        ("generation", tampered(&|b| b[7] = b[7].wrapping_add(1))),
        (
            "older generation",
            tampered(&|b| b[7] = b[7].wrapping_sub(1)),
        ),
        ("slot", tampered(&|b| b[3] ^= 1)),
        ("shard", tampered(&|b| b[1] ^= 1)),
        (
            "shard out of range",
            tampered(&|b| {
                b[1] = 0xff;
                b[2] = 0xff;
            }),
        ),
        ("face", tampered(&|b| b[0] = 0x12)),
        ("layout version", tampered(&|b| b[0] = 0x21)),
    ];
    // A queued task has no token yet; its slot with a zero nonce is refused.
    let queued_slot = tampered(&|b| {
        b[3] = b[3].wrapping_add(1);
        for x in &mut b[11..27] {
            *x = 0;
        }
    });
    forged.push(("queued task's slot", queued_slot));
    for (what, token) in &forged {
        assert_ne!(token, &t.task_token, "{what}");
        let before = env.history(&exec);
        for r in [
            env.heartbeat(token, None).map(drop),
            env.complete(token, None),
            env.fail(token, None, None),
            env.canceled(token, None),
        ] {
            assert!(
                matches!(r, Err(swf::Error::UnknownResourceFault(_))),
                "{what}: {r:?}"
            );
        }
        assert_eq!(env.history(&exec), before, "{what}");
        assert_eq!(env.pending(LIST), 1, "{what}");
    }
    // The real token still works.
    env.complete(&t.task_token, Some("real")).unwrap();
}

// ----- decisions on closed or unknown executions --------------------------------

#[test]
fn decisions_for_a_closed_or_unknown_execution_are_unknown_resource() {
    let env = Env::new();
    let exec = env.start("w");
    env.swf
        .terminate_workflow_execution(swf::TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "w".into(),
            ..Default::default()
        })
        .unwrap();
    let before = env.history(&exec);
    let r = env.try_decide(&exec, vec![schedule(sched("a"))]);
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
    assert_eq!(env.history(&exec), before);
    assert_eq!(env.pending(LIST), 0);
    let ghost = swf::WorkflowExecution::new("w", "no-such-run");
    let r = env.try_decide(&ghost, vec![schedule(sched("a"))]);
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
    let r = env
        .swf
        .respond_decision_task_completed(swf::RespondDecisionTaskCompletedInput {
            domain: "nowhere".into(),
            execution: exec.clone(),
            ..Default::default()
        });
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
    let v = validation(env.try_decide(&swf::WorkflowExecution::new("", "r".repeat(65)), vec![]));
    let members: Vec<&str> = v.violations().iter().map(|v| v.member()).collect();
    assert_eq!(members, ["execution.workflowId", "execution.runId"]);
}

// ----- several violations are listed in the members' order (A0.2, A2) -------

/// The members a refusal lists, in its order.
fn members(e: swf::Error) -> Vec<String> {
    violated(&validation::<()>(Err(e)))
        .into_iter()
        .map(|(m, _)| m.to_owned())
        .collect()
}

/// A2 lists `scheduleToCloseTimeout` before `taskList` in a decision's
/// attributes, and `nextPageToken` before `maximumPageSize` in the
/// listings: a refusal lists their violations in that order, whichever
/// other members are present.
#[test]
fn violations_come_in_the_members_order() {
    let env = Env::new();
    let exec = env.start("w");
    let mut a = sched("a");
    a.schedule_to_close_timeout = Some("abc".into());
    a.task_list = Some(TaskList::new("bad:list"));
    let refused = env.try_decide(&exec, vec![schedule(a)]).unwrap_err();
    let at = |m: &str| format!("decisions.1.member.scheduleActivityTaskDecisionAttributes.{m}");
    assert_eq!(
        members(refused),
        [at("scheduleToCloseTimeout"), at("taskList.name")]
    );
    let listing = env
        .swf
        .list_activity_types(swf::ListActivityTypesInput {
            domain: DOMAIN.into(),
            next_page_token: Some("bogus".into()),
            maximum_page_size: Some(2000),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(members(listing), ["nextPageToken", "maximumPageSize"]);
    let history = env
        .swf
        .get_workflow_execution_history(swf::GetWorkflowExecutionHistoryInput {
            domain: DOMAIN.into(),
            execution: exec,
            next_page_token: Some("bogus".into()),
            maximum_page_size: Some(2000),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(members(history), ["nextPageToken", "maximumPageSize"]);
}
