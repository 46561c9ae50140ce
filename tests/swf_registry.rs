//! Registration (AWS-API.md A1 "Registration", A2 tables, A5): domains,
//! activity types and workflow types through register, deprecate,
//! undeprecate, delete, describe and list, with every fault; and the faults
//! of StartWorkflowExecution.

mod support;

use std::time::UNIX_EPOCH;

use activity_broker::swf::{
    self, ActivityType, ActivityTypeInput, ChildPolicy, DeprecateDomainInput, DescribeDomainInput,
    ListActivityTypesInput, ListDomainsInput, RegisterDomainInput, RegisterWorkflowTypeInput,
    RegistrationStatus, ResourceTag, StartWorkflowExecutionInput, TaskList, UndeprecateDomainInput,
    WorkflowType, WorkflowTypeInput,
};
use activity_broker::{Constraint, ManualClock};
use support::*;

fn at(type_name: &str, version: &str) -> ActivityTypeInput {
    ActivityTypeInput {
        domain: DOMAIN.into(),
        activity_type: ActivityType::new(type_name, version),
    }
}

fn wt(type_name: &str, version: &str) -> WorkflowTypeInput {
    WorkflowTypeInput {
        domain: DOMAIN.into(),
        workflow_type: WorkflowType::new(type_name, version),
    }
}

fn domain_input(name: &str, retention: &str) -> RegisterDomainInput {
    RegisterDomainInput {
        name: name.into(),
        workflow_execution_retention_period_in_days: retention.into(),
        ..Default::default()
    }
}

fn start_input(workflow_id: &str) -> StartWorkflowExecutionInput {
    StartWorkflowExecutionInput {
        domain: DOMAIN.into(),
        workflow_id: workflow_id.into(),
        workflow_type: WorkflowType::new(WORKFLOW, VERSION),
        ..Default::default()
    }
}

// ----- domains ----------------------------------------------------------------

#[test]
fn register_and_describe_a_domain() {
    let env = Env::bare(|b| b);
    env.swf
        .register_domain(RegisterDomainInput {
            description: Some("the shop".into()),
            tags: vec![ResourceTag {
                key: "team".into(),
                value: Some("ops".into()),
            }],
            ..domain_input("shop", "30")
        })
        .unwrap();
    let d = env
        .swf
        .describe_domain(DescribeDomainInput {
            name: "shop".into(),
        })
        .unwrap();
    assert_eq!(d.domain_info.name, "shop");
    assert_eq!(d.domain_info.status, RegistrationStatus::Registered);
    assert_eq!(d.domain_info.description.as_deref(), Some("the shop"));
    assert_eq!(
        d.domain_info.arn,
        "arn:aws:swf:us-east-1:123456789012:/domain/shop"
    );
    assert_eq!(
        d.configuration.workflow_execution_retention_period_in_days,
        "30"
    );
    assert!(matches!(
        env.swf.describe_domain(DescribeDomainInput {
            name: "nowhere".into()
        }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn a_domain_name_is_taken_whether_registered_or_deprecated() {
    // A1 RegisterDomain: DomainAlreadyExistsFault, registered or deprecated.
    let env = Env::bare(|b| b);
    env.swf.register_domain(domain_input("d", "1")).unwrap();
    let again = env.swf.register_domain(domain_input("d", "2"));
    assert!(
        matches!(again, Err(swf::Error::DomainAlreadyExistsFault(_))),
        "{again:?}"
    );
    env.swf
        .deprecate_domain(DeprecateDomainInput { name: "d".into() })
        .unwrap();
    let again = env.swf.register_domain(domain_input("d", "2"));
    assert!(
        matches!(again, Err(swf::Error::DomainAlreadyExistsFault(_))),
        "{again:?}"
    );
    // The first registration stands.
    let d = env
        .swf
        .describe_domain(DescribeDomainInput { name: "d".into() })
        .unwrap();
    assert_eq!(
        d.configuration.workflow_execution_retention_period_in_days,
        "1"
    );
}

#[test]
fn deprecate_and_undeprecate_a_domain_with_their_faults() {
    let env = Env::bare(|b| b);
    env.swf.register_domain(domain_input("d", "1")).unwrap();
    let dep = || {
        env.swf
            .deprecate_domain(DeprecateDomainInput { name: "d".into() })
    };
    let undep = || {
        env.swf
            .undeprecate_domain(UndeprecateDomainInput { name: "d".into() })
    };
    assert!(matches!(
        undep(),
        Err(swf::Error::DomainAlreadyExistsFault(_))
    ));
    dep().unwrap();
    let status = || {
        env.swf
            .describe_domain(DescribeDomainInput { name: "d".into() })
            .unwrap()
            .domain_info
            .status
    };
    assert_eq!(status(), RegistrationStatus::Deprecated);
    assert!(matches!(dep(), Err(swf::Error::DomainDeprecatedFault(_))));
    undep().unwrap();
    assert_eq!(status(), RegistrationStatus::Registered);
    assert!(matches!(
        env.swf.deprecate_domain(DeprecateDomainInput {
            name: "nowhere".into()
        }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    assert!(matches!(
        env.swf.undeprecate_domain(UndeprecateDomainInput {
            name: "nowhere".into()
        }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn a_deprecated_domain_takes_no_new_types_or_executions_but_open_ones_go_on() {
    let env = Env::new();
    let exec = env.start("open");
    env.schedule(&exec, &["a"]);
    env.swf
        .deprecate_domain(DeprecateDomainInput {
            name: DOMAIN.into(),
        })
        .unwrap();
    let r = env
        .swf
        .register_activity_type(full_defaults("new", VERSION));
    assert!(
        matches!(r, Err(swf::Error::DomainDeprecatedFault(_))),
        "{r:?}"
    );
    let r = env.swf.register_workflow_type(RegisterWorkflowTypeInput {
        domain: DOMAIN.into(),
        name: "new".into(),
        version: VERSION.into(),
        ..Default::default()
    });
    assert!(
        matches!(r, Err(swf::Error::DomainDeprecatedFault(_))),
        "{r:?}"
    );
    let r = env.swf.start_workflow_execution(start_input("new"));
    assert!(
        matches!(r, Err(swf::Error::DomainDeprecatedFault(_))),
        "{r:?}"
    );
    // The open execution goes on: its task is delivered and completed, and
    // it takes new decisions.
    let t = env.take(LIST);
    env.complete(&t.task_token, None).unwrap();
    env.schedule(&exec, &["b"]);
    assert_eq!(env.take(LIST).activity_id, "b");
}

#[test]
fn retention_must_be_none_or_0_to_90_days() {
    let env = Env::bare(|b| b);
    for (i, ok) in ["NONE", "0", "1", "90"].iter().enumerate() {
        env.swf
            .register_domain(domain_input(&format!("ok{i}"), ok))
            .unwrap();
    }
    let cases = [
        ("91", Constraint::RetentionDays),
        ("-1", Constraint::RetentionDays),
        ("1.5", Constraint::RetentionDays),
        ("none", Constraint::RetentionDays),
        ("", Constraint::MinLength(1)),
        ("123456789", Constraint::MaxLength(8)),
    ];
    for (i, (bad, c)) in cases.into_iter().enumerate() {
        let v = validation(
            env.swf
                .register_domain(domain_input(&format!("bad{i}"), bad)),
        );
        assert_eq!(
            v.violations()[0].member(),
            "workflowExecutionRetentionPeriodInDays"
        );
        assert_eq!(v.violations()[0].constraint(), &c, "{bad:?}");
    }
    assert_eq!(
        env.swf
            .list_domains(ListDomainsInput::default())
            .unwrap()
            .domain_infos
            .len(),
        4,
        "refused registrations left nothing behind"
    );
}

#[test]
fn domain_limits_tags_and_description() {
    let env = Env::bare(|b| b);
    let tags: Vec<ResourceTag> = (0..51)
        .map(|i| ResourceTag {
            key: format!("k{i}"),
            value: None,
        })
        .collect();
    let r = env.swf.register_domain(RegisterDomainInput {
        tags: tags.clone(),
        ..domain_input("tagged", "1")
    });
    assert!(matches!(r, Err(swf::Error::TooManyTagsFault(_))), "{r:?}");
    env.swf
        .register_domain(RegisterDomainInput {
            tags: tags[..50].to_vec(),
            ..domain_input("tagged", "1")
        })
        .unwrap();
    let v = validation(env.swf.register_domain(RegisterDomainInput {
        tags: vec![ResourceTag {
            key: String::new(),
            value: Some("v".repeat(257)),
        }],
        description: Some("d".repeat(1025)),
        ..domain_input("x", "1")
    }));
    let members: Vec<&str> = v.violations().iter().map(|v| v.member()).collect();
    assert_eq!(
        members,
        ["description", "tags.1.member.key", "tags.1.member.value"]
    );
}

#[test]
fn at_most_100_domains_counting_deprecated_ones() {
    // A1 SWF quotas: 100 registered domains, counting deprecated ones.
    let env = Env::bare(|b| b.shards(1));
    for i in 0..100 {
        env.swf
            .register_domain(domain_input(&format!("d{i}"), "1"))
            .unwrap();
    }
    env.swf
        .deprecate_domain(DeprecateDomainInput { name: "d0".into() })
        .unwrap();
    let r = env.swf.register_domain(domain_input("one-too-many", "1"));
    assert!(matches!(r, Err(swf::Error::LimitExceededFault(_))), "{r:?}");
}

#[test]
fn list_domains_filters_by_status_and_pages() {
    let env = Env::bare(|b| b);
    for name in ["c", "a", "e", "b", "d"] {
        env.swf.register_domain(domain_input(name, "1")).unwrap();
    }
    env.swf
        .deprecate_domain(DeprecateDomainInput { name: "d".into() })
        .unwrap();
    let names = |out: &swf::ListDomainsOutput| -> Vec<String> {
        out.domain_infos.iter().map(|d| d.name.clone()).collect()
    };
    let all = env.swf.list_domains(ListDomainsInput::default()).unwrap();
    assert_eq!(names(&all), ["a", "b", "c", "e"]);
    let deprecated = env
        .swf
        .list_domains(ListDomainsInput {
            registration_status: RegistrationStatus::Deprecated,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(names(&deprecated), ["d"]);
    let p1 = env
        .swf
        .list_domains(ListDomainsInput {
            maximum_page_size: Some(3),
            reverse_order: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(names(&p1), ["e", "c", "b"]);
    let p2 = env
        .swf
        .list_domains(ListDomainsInput {
            maximum_page_size: Some(3),
            reverse_order: true,
            next_page_token: p1.next_page_token.clone(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(names(&p2), ["a"]);
    assert_eq!(p2.next_page_token, None);
    let v = validation(env.swf.list_domains(ListDomainsInput {
        next_page_token: Some("bogus".into()),
        ..Default::default()
    }));
    assert_eq!(v.violations()[0].constraint(), &Constraint::PageToken);
    let v = validation(env.swf.list_domains(ListDomainsInput {
        maximum_page_size: Some(1001),
        ..Default::default()
    }));
    assert_eq!(v.violations()[0].member(), "maximumPageSize");
}

// ----- activity types -----------------------------------------------------------

#[test]
fn describe_activity_type_returns_its_status_dates_and_defaults() {
    let env = Env::new();
    env.advance(secs(5));
    let mut reg = full_defaults("resize", "2");
    reg.description = Some("resizes images".into());
    reg.default_task_priority = Some("3".into());
    reg.default_task_start_to_close_timeout = Some("300".into());
    env.swf.register_activity_type(reg).unwrap();
    let d = env.swf.describe_activity_type(at("resize", "2")).unwrap();
    let t0 = UNIX_EPOCH + ManualClock::DEFAULT_START;
    assert_eq!(d.type_info.activity_type, ActivityType::new("resize", "2"));
    assert_eq!(d.type_info.status, RegistrationStatus::Registered);
    assert_eq!(d.type_info.description.as_deref(), Some("resizes images"));
    assert_eq!(d.type_info.creation_date, t0 + secs(5));
    assert_eq!(d.type_info.deprecation_date, None, "only while deprecated");
    assert_eq!(d.configuration.default_task_list, Some(TaskList::new(LIST)));
    assert_eq!(d.configuration.default_task_priority.as_deref(), Some("3"));
    assert_eq!(
        d.configuration
            .default_task_start_to_close_timeout
            .as_deref(),
        Some("300")
    );
    assert_eq!(
        d.configuration.default_task_heartbeat_timeout.as_deref(),
        Some("NONE")
    );

    env.advance(secs(5));
    env.swf.deprecate_activity_type(at("resize", "2")).unwrap();
    let d = env.swf.describe_activity_type(at("resize", "2")).unwrap();
    assert_eq!(d.type_info.status, RegistrationStatus::Deprecated);
    assert_eq!(d.type_info.deprecation_date, Some(t0 + secs(10)));
    env.swf
        .undeprecate_activity_type(at("resize", "2"))
        .unwrap();
    let d = env.swf.describe_activity_type(at("resize", "2")).unwrap();
    assert_eq!(d.type_info.status, RegistrationStatus::Registered);
    assert_eq!(d.type_info.deprecation_date, None);
}

#[test]
fn activity_type_faults() {
    let env = Env::new();
    // Registering twice: registered, then deprecated (A1).
    let r = env
        .swf
        .register_activity_type(full_defaults(ACTIVITY, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeAlreadyExistsFault(_))),
        "{r:?}"
    );
    env.swf
        .deprecate_activity_type(at(ACTIVITY, VERSION))
        .unwrap();
    let r = env
        .swf
        .register_activity_type(full_defaults(ACTIVITY, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeAlreadyExistsFault(_))),
        "{r:?}"
    );
    // Deprecating twice.
    let r = env.swf.deprecate_activity_type(at(ACTIVITY, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeDeprecatedFault(_))),
        "{r:?}"
    );
    // Undeprecating a registered type.
    env.swf
        .undeprecate_activity_type(at(ACTIVITY, VERSION))
        .unwrap();
    let r = env.swf.undeprecate_activity_type(at(ACTIVITY, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeAlreadyExistsFault(_))),
        "{r:?}"
    );
    // Deleting a registered type.
    let r = env.swf.delete_activity_type(at(ACTIVITY, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeNotDeprecatedFault(_))),
        "{r:?}"
    );
    // Unknown types and domains.
    for r in [
        env.swf.deprecate_activity_type(at("ghost", VERSION)),
        env.swf.undeprecate_activity_type(at("ghost", VERSION)),
        env.swf.delete_activity_type(at("ghost", VERSION)),
        env.swf.deprecate_activity_type(ActivityTypeInput {
            domain: "nowhere".into(),
            ..at(ACTIVITY, VERSION)
        }),
    ] {
        assert!(
            matches!(r, Err(swf::Error::UnknownResourceFault(_))),
            "{r:?}"
        );
    }
    assert!(matches!(
        env.swf.describe_activity_type(at("ghost", VERSION)),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    let r = env
        .swf
        .register_activity_type(swf::RegisterActivityTypeInput {
            domain: "nowhere".into(),
            ..full_defaults("t", VERSION)
        });
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
    // Validation of a type reference.
    let v = validation(env.swf.describe_activity_type(at("", VERSION)));
    assert_eq!(v.violations()[0].member(), "activityType.name");
    let v = validation(
        env.swf
            .deprecate_activity_type(at(ACTIVITY, &"v".repeat(65))),
    );
    assert_eq!(v.violations()[0].member(), "activityType.version");
}

#[test]
fn delete_requires_deprecation_and_frees_the_name() {
    let env = Env::new();
    env.swf
        .deprecate_activity_type(at(ACTIVITY, VERSION))
        .unwrap();
    env.swf.delete_activity_type(at(ACTIVITY, VERSION)).unwrap();
    assert!(matches!(
        env.swf.describe_activity_type(at(ACTIVITY, VERSION)),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    assert!(matches!(
        env.swf.delete_activity_type(at(ACTIVITY, VERSION)),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    // The (name, version) may be registered again.
    env.register_activity_type(ACTIVITY, VERSION);
}

#[test]
fn register_activity_type_validates_its_defaults() {
    let env = Env::new();
    let mut reg = full_defaults("t", VERSION);
    reg.default_task_start_to_close_timeout = Some("5m".into());
    reg.default_task_heartbeat_timeout = Some("123456789".into());
    reg.default_task_priority = Some("high".into());
    reg.default_task_schedule_to_start_timeout = Some("".into());
    reg.default_task_schedule_to_close_timeout = Some("-5".into());
    reg.description = Some("d".repeat(1025));
    let v = validation(env.swf.register_activity_type(reg));
    assert_eq!(
        violated(&v),
        [
            ("description", &Constraint::MaxLength(1024)),
            ("defaultTaskStartToCloseTimeout", &Constraint::Duration),
            ("defaultTaskHeartbeatTimeout", &Constraint::MaxLength(8)),
            ("defaultTaskPriority", &Constraint::Int32),
            ("defaultTaskScheduleToStartTimeout", &Constraint::Duration),
            ("defaultTaskScheduleToCloseTimeout", &Constraint::Duration),
        ]
    );
    assert!(v.to_string().starts_with("6 validation errors detected: "));
    assert!(matches!(
        env.swf.describe_activity_type(at("t", VERSION)),
        Err(swf::Error::UnknownResourceFault(_))
    ));
}

#[test]
fn list_activity_types_filters_and_pages() {
    let env = Env::new(); // ship/1 registered
    for (n, v) in [("ship", "2"), ("pack", "1"), ("pack", "2"), ("zip", "1")] {
        env.register_activity_type(n, v);
    }
    env.swf.deprecate_activity_type(at("pack", "2")).unwrap();
    let list = |input: ListActivityTypesInput| -> (Vec<(String, String)>, Option<String>) {
        let out = env.swf.list_activity_types(input).unwrap();
        (
            out.type_infos
                .into_iter()
                .map(|i| (i.activity_type.name, i.activity_type.version))
                .collect(),
            out.next_page_token,
        )
    };
    let base = ListActivityTypesInput {
        domain: DOMAIN.into(),
        ..Default::default()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let (all, next) = list(base.clone());
    assert_eq!(
        all,
        pairs(&[("pack", "1"), ("ship", "1"), ("ship", "2"), ("zip", "1")])
    );
    assert_eq!(next, None);
    let (dep, _) = list(ListActivityTypesInput {
        registration_status: RegistrationStatus::Deprecated,
        ..base.clone()
    });
    assert_eq!(dep, pairs(&[("pack", "2")]));
    let (ships, _) = list(ListActivityTypesInput {
        name: Some("ship".into()),
        ..base.clone()
    });
    assert_eq!(ships, pairs(&[("ship", "1"), ("ship", "2")]));
    let (p1, next) = list(ListActivityTypesInput {
        maximum_page_size: Some(3),
        reverse_order: true,
        ..base.clone()
    });
    assert_eq!(p1, pairs(&[("zip", "1"), ("ship", "2"), ("ship", "1")]));
    let (p2, next) = list(ListActivityTypesInput {
        maximum_page_size: Some(3),
        reverse_order: true,
        next_page_token: next,
        ..base.clone()
    });
    assert_eq!(p2, pairs(&[("pack", "1")]));
    assert_eq!(next, None);
    assert!(matches!(
        env.swf.list_activity_types(ListActivityTypesInput {
            domain: "nowhere".into(),
            ..Default::default()
        }),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    let v = validation(env.swf.list_activity_types(ListActivityTypesInput {
        next_page_token: Some("bogus".into()),
        ..base
    }));
    assert_eq!(v.violations()[0].constraint(), &Constraint::PageToken);
}

#[test]
fn at_most_10000_activity_types_per_domain() {
    // A1 SWF quotas: 10,000 activity types per domain, deprecated included.
    let env = Env::new(); // one type registered
    for i in 1..10_000 {
        env.register_activity_type("t", &i.to_string());
    }
    env.swf.deprecate_activity_type(at("t", "1")).unwrap();
    let r = env.swf.register_activity_type(full_defaults("t", "10000"));
    assert!(matches!(r, Err(swf::Error::LimitExceededFault(_))), "{r:?}");
}

// ----- workflow types -------------------------------------------------------------

#[test]
fn workflow_type_register_deprecate_undeprecate_describe_and_faults() {
    let env = Env::new();
    let d = env
        .swf
        .describe_workflow_type(wt(WORKFLOW, VERSION))
        .unwrap();
    assert_eq!(d.type_info.status, RegistrationStatus::Registered);
    assert_eq!(
        d.configuration.default_task_list,
        Some(TaskList::new("deciders"))
    );
    assert_eq!(
        d.configuration.default_child_policy,
        Some(ChildPolicy::Terminate)
    );
    let r = env.swf.register_workflow_type(RegisterWorkflowTypeInput {
        domain: DOMAIN.into(),
        name: WORKFLOW.into(),
        version: VERSION.into(),
        ..Default::default()
    });
    assert!(
        matches!(r, Err(swf::Error::TypeAlreadyExistsFault(_))),
        "{r:?}"
    );
    let r = env.swf.undeprecate_workflow_type(wt(WORKFLOW, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeAlreadyExistsFault(_))),
        "{r:?}"
    );
    env.swf
        .deprecate_workflow_type(wt(WORKFLOW, VERSION))
        .unwrap();
    let d = env
        .swf
        .describe_workflow_type(wt(WORKFLOW, VERSION))
        .unwrap();
    assert_eq!(d.type_info.status, RegistrationStatus::Deprecated);
    assert!(d.type_info.deprecation_date.is_some());
    let r = env.swf.deprecate_workflow_type(wt(WORKFLOW, VERSION));
    assert!(
        matches!(r, Err(swf::Error::TypeDeprecatedFault(_))),
        "{r:?}"
    );
    env.swf
        .undeprecate_workflow_type(wt(WORKFLOW, VERSION))
        .unwrap();
    assert_eq!(
        env.swf
            .describe_workflow_type(wt(WORKFLOW, VERSION))
            .unwrap()
            .type_info
            .deprecation_date,
        None
    );
    for r in [
        env.swf.deprecate_workflow_type(wt("ghost", VERSION)),
        env.swf.undeprecate_workflow_type(wt("ghost", VERSION)),
    ] {
        assert!(
            matches!(r, Err(swf::Error::UnknownResourceFault(_))),
            "{r:?}"
        );
    }
    assert!(matches!(
        env.swf.describe_workflow_type(wt("ghost", VERSION)),
        Err(swf::Error::UnknownResourceFault(_))
    ));
    // The default execution timeout may not be NONE or past a year (A1).
    for (bad, c) in [
        ("NONE", Constraint::Duration),
        ("31536001", Constraint::MaxValue(31_536_000)),
    ] {
        let v = validation(env.swf.register_workflow_type(RegisterWorkflowTypeInput {
            domain: DOMAIN.into(),
            name: "w2".into(),
            version: VERSION.into(),
            default_execution_start_to_close_timeout: Some(bad.into()),
            ..Default::default()
        }));
        assert_eq!(
            v.violations()[0].member(),
            "defaultExecutionStartToCloseTimeout"
        );
        assert_eq!(v.violations()[0].constraint(), &c);
    }
}

// ----- StartWorkflowExecution -----------------------------------------------------

/// Registers the domain "other" with the workflow type, and starts
/// `workflow_id` there.
fn start_in_other_domain(env: &Env, workflow_id: &str) {
    register_domain(&env.swf, "other", "1");
    env.swf
        .register_workflow_type(RegisterWorkflowTypeInput {
            domain: "other".into(),
            name: WORKFLOW.into(),
            version: VERSION.into(),
            default_task_list: Some(TaskList::new("d")),
            default_execution_start_to_close_timeout: Some("60".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_child_policy: Some(ChildPolicy::Abandon),
            ..Default::default()
        })
        .unwrap();
    env.swf
        .start_workflow_execution(StartWorkflowExecutionInput {
            domain: "other".into(),
            ..start_input(workflow_id)
        })
        .unwrap();
}

#[test]
fn start_refuses_a_second_open_execution_of_one_workflow_id() {
    let env = Env::new();
    let first = env.start("w");
    let r = env.swf.start_workflow_execution(start_input("w"));
    assert!(
        matches!(r, Err(swf::Error::WorkflowExecutionAlreadyStartedFault(_))),
        "{r:?}"
    );
    // Another domain has its own workflow ids.
    start_in_other_domain(&env, "w");
    assert_eq!(env.len(&first), 2, "the refused start changed nothing");
}

#[test]
fn a_domain_takes_at_most_its_quota_of_open_executions() {
    // AWS-API.md A1, "SWF quotas": 100,000 open executions per domain;
    // breaching a quota gives `LimitExceededFault`, which A2 lists for
    // StartWorkflowExecution. The quota counts open executions only, per
    // domain.
    let env = Env::with(|b| b.max_open_executions(2));
    let first = env.start("a");
    env.start("b");
    let r = env.swf.start_workflow_execution(start_input("c"));
    assert!(matches!(r, Err(swf::Error::LimitExceededFault(_))), "{r:?}");
    let r = env
        .swf
        .terminate_workflow_execution(swf::TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: "c".into(),
            ..Default::default()
        });
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "the refused start left no execution: {r:?}"
    );
    // Another domain has its own quota.
    start_in_other_domain(&env, "c");
    // A closed execution, still retained, no longer counts.
    env.swf
        .terminate_workflow_execution(swf::TerminateWorkflowExecutionInput {
            domain: DOMAIN.into(),
            workflow_id: first.workflow_id.clone(),
            ..Default::default()
        })
        .unwrap();
    env.start("c");
    let r = env.swf.start_workflow_execution(start_input("d"));
    assert!(matches!(r, Err(swf::Error::LimitExceededFault(_))), "{r:?}");
}

#[test]
fn the_open_execution_quota_is_100000_by_default() {
    // AWS-API.md A1, "SWF quotas": "100,000 open executions per domain".
    let env = Env::new();
    for i in 0..100_000 {
        env.start(&format!("w{i}"));
    }
    let r = env.swf.start_workflow_execution(start_input("one-more"));
    assert!(matches!(r, Err(swf::Error::LimitExceededFault(_))), "{r:?}");
}

#[test]
fn start_of_a_deprecated_or_unknown_type_or_domain_fails() {
    let env = Env::new();
    env.swf
        .deprecate_workflow_type(wt(WORKFLOW, VERSION))
        .unwrap();
    let r = env.swf.start_workflow_execution(start_input("w"));
    assert!(
        matches!(r, Err(swf::Error::TypeDeprecatedFault(_))),
        "{r:?}"
    );
    env.swf
        .undeprecate_workflow_type(wt(WORKFLOW, VERSION))
        .unwrap();
    let r = env
        .swf
        .start_workflow_execution(StartWorkflowExecutionInput {
            workflow_type: WorkflowType::new("ghost", VERSION),
            ..start_input("w")
        });
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
    let r = env
        .swf
        .start_workflow_execution(StartWorkflowExecutionInput {
            domain: "nowhere".into(),
            ..start_input("w")
        });
    assert!(
        matches!(r, Err(swf::Error::UnknownResourceFault(_))),
        "{r:?}"
    );
    env.swf
        .deprecate_domain(DeprecateDomainInput {
            name: DOMAIN.into(),
        })
        .unwrap();
    let r = env.swf.start_workflow_execution(start_input("w"));
    assert!(
        matches!(r, Err(swf::Error::DomainDeprecatedFault(_))),
        "{r:?}"
    );
}

#[test]
fn start_without_a_value_or_default_gives_default_undefined() {
    // A2 DefaultUndefinedFault: a parameter with neither value nor default.
    let env = Env::new();
    env.swf
        .register_workflow_type(RegisterWorkflowTypeInput {
            domain: DOMAIN.into(),
            name: "bare".into(),
            version: VERSION.into(),
            ..Default::default()
        })
        .unwrap();
    let mut input = StartWorkflowExecutionInput {
        workflow_type: WorkflowType::new("bare", VERSION),
        ..start_input("w")
    };
    let fill: [fn(&mut StartWorkflowExecutionInput); 4] = [
        |i| i.task_list = Some(TaskList::new("deciders")),
        |i| i.execution_start_to_close_timeout = Some("60".into()),
        |i| i.task_start_to_close_timeout = Some("NONE".into()),
        |i| i.child_policy = Some(ChildPolicy::RequestCancel),
    ];
    for f in fill {
        let r = env.swf.start_workflow_execution(input.clone());
        assert!(
            matches!(r, Err(swf::Error::DefaultUndefinedFault(_))),
            "{r:?}"
        );
        assert_eq!(r.unwrap_err().code(), "DefaultUndefinedFault");
        f(&mut input);
    }
    let run = env.swf.start_workflow_execution(input).unwrap();
    let exec = swf::WorkflowExecution::new("w", run.run_id);
    let swf::EventAttributes::WorkflowExecutionStarted(s) = env.event(&exec, 1).attributes else {
        panic!()
    };
    assert_eq!(s.child_policy, ChildPolicy::RequestCancel);
    assert_eq!(s.task_list, TaskList::new("deciders"));
    assert_eq!(s.execution_start_to_close_timeout.as_deref(), Some("60"));
    assert_eq!(s.task_start_to_close_timeout.as_deref(), Some("NONE"));
}

#[test]
fn start_validates_its_members() {
    let env = Env::new();
    let v = validation(
        env.swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                execution_start_to_close_timeout: Some("NONE".into()),
                ..start_input("w")
            }),
    );
    assert_eq!(v.violations()[0].member(), "executionStartToCloseTimeout");
    let v = validation(
        env.swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                execution_start_to_close_timeout: Some("31536001".into()),
                tag_list: (0..6).map(|i| i.to_string()).collect(),
                task_priority: Some("1e3".into()),
                ..start_input("")
            }),
    );
    let members: Vec<&str> = v.violations().iter().map(|v| v.member()).collect();
    assert_eq!(
        members,
        [
            "workflowId",
            "taskPriority",
            "executionStartToCloseTimeout",
            "tagList"
        ]
    );
    // A year exactly is allowed.
    env.swf
        .start_workflow_execution(StartWorkflowExecutionInput {
            execution_start_to_close_timeout: Some("31536000".into()),
            ..start_input("w")
        })
        .unwrap();
}

#[test]
fn run_ids_are_distinct_and_fit_the_model() {
    let env = Env::new();
    let mut seen = std::collections::HashSet::new();
    for i in 0..50 {
        let e = env.start(&format!("w{i}"));
        assert!(!e.run_id.is_empty() && e.run_id.len() <= 64, "{}", e.run_id);
        assert!(seen.insert(e.run_id));
    }
}
