//! Step Functions activities: CreateActivity, DescribeActivity,
//! ListActivities, DeleteActivity, and the handle itself.

mod sfn_support;

use std::time::Duration;

use activity_broker::sfn::{
    self, CreateActivityInput, DeleteActivityInput, DescribeActivityInput, EncryptionConfiguration,
    EncryptionType, Error, GetActivityTaskInput, ListActivitiesInput, Tag,
};
use activity_broker::{Broker, Constraint, ManualClock};
use sfn_support::{Env, secs, validation};

fn create(name: &str) -> CreateActivityInput {
    CreateActivityInput {
        name: name.into(),
        ..Default::default()
    }
}

fn describe(env: &Env, arn: &str) -> Result<sfn::DescribeActivityOutput, Error> {
    env.sfn.describe_activity(DescribeActivityInput {
        activity_arn: arn.into(),
    })
}

fn cmk(key: Option<&str>, reuse: Option<i32>) -> Option<EncryptionConfiguration> {
    Some(EncryptionConfiguration {
        r#type: EncryptionType::CustomerManagedKmsKey,
        kms_key_id: key.map(str::to_owned),
        kms_data_key_reuse_period_seconds: reuse,
    })
}

#[test]
fn the_client_is_clone_send_sync_and_debug() {
    fn bounds<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    bounds::<sfn::Client>();
    bounds::<sfn::Error>();
    let sfn = Broker::new().sfn();
    assert!(format!("{sfn:?}").starts_with("sfn::Client"));
}

#[test]
fn create_returns_the_arn_and_is_idempotent() {
    let env = Env::new();
    let first = env.sfn.create_activity(create("resize")).unwrap();
    assert_eq!(
        first.activity_arn,
        "arn:aws:states:us-east-1:123456789012:activity:resize"
    );
    assert_eq!(first.creation_date, env.broker.clock().now_wall());
    env.advance(secs(5));
    // A repeat returns the existing activity, with its first creation date;
    // different tags are ignored (A3).
    let again = env
        .sfn
        .create_activity(CreateActivityInput {
            tags: vec![Tag::new("team", "imaging")],
            ..create("resize")
        })
        .unwrap();
    assert_eq!(again, first);
    let listed = env
        .sfn
        .list_activities(ListActivitiesInput::default())
        .unwrap();
    assert_eq!(listed.activities.len(), 1);
}

#[test]
fn arns_use_the_configured_region_and_account() {
    let env = Env::with(|b| b.region("eu-west-3").account("000000000042"));
    let arn = env.activity("a");
    assert_eq!(arn, "arn:aws:states:eu-west-3:000000000042:activity:a");
    assert_eq!(describe(&env, &arn).unwrap().activity_arn, arn);
    // The default region's ARN is well-formed, but names nothing here.
    let elsewhere = "arn:aws:states:us-east-1:123456789012:activity:a";
    assert!(matches!(
        describe(&env, elsewhere),
        Err(Error::ActivityDoesNotExist(_))
    ));
}

#[test]
fn names_that_break_the_character_rules_are_invalid_names() {
    let env = Env::new();
    let bad = [
        "a b",
        "a\tb",
        "a\nb",
        "\u{a0}x",
        "a<b",
        "a>b",
        "a{b",
        "a}b",
        "a[b",
        "a]b",
        "a?b",
        "a*b",
        "a\"b",
        "a#b",
        "a%b",
        "a\\b",
        "a^b",
        "a|b",
        "a~b",
        "a`b",
        "a$b",
        "a&b",
        "a,b",
        "a;b",
        "a:b",
        "a/b",
        "a\u{0}b",
        "a\u{1f}b",
        "a\u{7f}b",
        "a\u{9f}b",
        "a\u{fffe}b",
        "a\u{ffff}b",
    ];
    for name in bad {
        let err = env.sfn.create_activity(create(name)).unwrap_err();
        assert!(matches!(err, Error::InvalidName(_)), "{name:?}: {err:?}");
        assert_eq!(err.code(), "InvalidName");
    }
    for ok in ["a-b_c.d", "ünïcödé", "x+y=z@w!", "arn", "(1)'"] {
        env.sfn.create_activity(create(ok)).unwrap();
    }
    let none = env
        .sfn
        .list_activities(ListActivitiesInput::default())
        .unwrap();
    assert_eq!(none.activities.len(), 5, "a refused create changes nothing");
}

#[test]
fn name_lengths_are_validation_errors() {
    // AWS-API.md A0.2 and A5: a length violation detected by the service is
    // a ValidationException (the real service sent one for an 81-character
    // execution name); only the character rules are InvalidName.
    let env = Env::new();
    let v = validation(env.sfn.create_activity(create(&"n".repeat(81))));
    assert_eq!(v.violations()[0].member(), "name");
    assert_eq!(v.violations()[0].constraint(), &Constraint::MaxLength(80));
    let v = validation(env.sfn.create_activity(create("")));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MinLength(1));
    // 80 characters, counted as characters, not bytes.
    env.sfn.create_activity(create(&"é".repeat(80))).unwrap();
    // A too long name that also breaks the character rules: length first.
    validation(env.sfn.create_activity(create(&" ".repeat(81))));
}

#[test]
fn encryption_configuration_may_not_change() {
    let env = Env::new();
    let key = cmk(Some("alias/k"), Some(300));
    let first = env
        .sfn
        .create_activity(CreateActivityInput {
            encryption_configuration: key.clone(),
            ..create("a")
        })
        .unwrap();
    // The same configuration: idempotent.
    let again = env
        .sfn
        .create_activity(CreateActivityInput {
            encryption_configuration: key.clone(),
            ..create("a")
        })
        .unwrap();
    assert_eq!(again, first);
    // Another one, or none (AWS_OWNED_KEY): ActivityAlreadyExists.
    for other in [
        None,
        cmk(Some("alias/other"), Some(300)),
        cmk(Some("alias/k"), Some(301)),
    ] {
        let err = env
            .sfn
            .create_activity(CreateActivityInput {
                encryption_configuration: other,
                ..create("a")
            })
            .unwrap_err();
        assert!(matches!(err, Error::ActivityAlreadyExists(_)), "{err:?}");
    }
    let d = describe(&env, &first.activity_arn).unwrap();
    assert_eq!(d.encryption_configuration, key);

    // No configuration and an explicit AWS-owned key are the same.
    env.sfn.create_activity(create("b")).unwrap();
    env.sfn
        .create_activity(CreateActivityInput {
            encryption_configuration: Some(EncryptionConfiguration::default()),
            ..create("b")
        })
        .unwrap();
}

#[test]
fn invalid_encryption_configurations_are_refused() {
    let env = Env::new();
    for (config, what) in [
        (cmk(None, None), "customer managed key without a key id"),
        (cmk(Some("k"), Some(59)), "reuse period below 60"),
        (cmk(Some("k"), Some(901)), "reuse period above 900"),
        (
            Some(EncryptionConfiguration {
                kms_data_key_reuse_period_seconds: Some(0),
                ..Default::default()
            }),
            "reuse period 0",
        ),
    ] {
        let err = env
            .sfn
            .create_activity(CreateActivityInput {
                encryption_configuration: config,
                ..create("a")
            })
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidEncryptionConfiguration(_)),
            "{what}: {err:?}"
        );
        assert_eq!(err.code(), "InvalidEncryptionConfiguration");
    }
    for ok in [
        cmk(Some("k"), Some(60)),
        cmk(Some("k"), Some(900)),
        cmk(Some("k"), None),
    ] {
        let name = format!(
            "ok{}",
            ok.as_ref()
                .and_then(|c| c.kms_data_key_reuse_period_seconds)
                .unwrap_or(0)
        );
        env.sfn
            .create_activity(CreateActivityInput {
                encryption_configuration: ok,
                ..create(&name)
            })
            .unwrap();
    }
    // The key id's length is a model constraint: ValidationException.
    let v = validation(env.sfn.create_activity(CreateActivityInput {
        encryption_configuration: cmk(Some(&"k".repeat(2049)), None),
        ..create("long")
    }));
    assert_eq!(
        v.violations()[0].member(),
        "encryptionConfiguration.kmsKeyId"
    );
    assert!(matches!(
        describe(&env, &env.sfn.activity_arn("a")),
        Err(Error::ActivityDoesNotExist(_))
    ));
}

#[test]
fn tags_are_checked_and_limited_to_fifty() {
    let env = Env::new();
    let tags = |n: usize| {
        (0..n)
            .map(|i| Tag::new(format!("k{i}"), "v"))
            .collect::<Vec<_>>()
    };
    env.sfn
        .create_activity(CreateActivityInput {
            tags: tags(50),
            ..create("fifty")
        })
        .unwrap();
    let err = env
        .sfn
        .create_activity(CreateActivityInput {
            tags: tags(51),
            ..create("too-many")
        })
        .unwrap_err();
    match &err {
        Error::TooManyTags { resource_name, .. } => {
            assert_eq!(resource_name, &env.sfn.activity_arn("too-many"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), "TooManyTags");
    // AWS-API.md A3, "CreateActivity": a repeat "returns the existing
    // activity, and different tags are ignored, not applied"; none is added,
    // so none exceeds the quota.
    let first = env.sfn.create_activity(create("fifty")).unwrap();
    let again = env
        .sfn
        .create_activity(CreateActivityInput {
            tags: tags(51),
            ..create("fifty")
        })
        .unwrap();
    assert_eq!(again, first);
    let v = validation(env.sfn.create_activity(CreateActivityInput {
        tags: vec![Tag::new("", "v"), Tag::new("k", "v".repeat(257))],
        ..create("bad-tags")
    }));
    let members: Vec<&str> = v.violations().iter().map(|x| x.member()).collect();
    assert_eq!(members, ["tags.1.member.key", "tags.2.member.value"]);
}

#[test]
fn the_activity_quota_is_ten_thousand() {
    let env = Env::with(|b| b.shards(1));
    for i in 0..10_000 {
        env.sfn.create_activity(create(&format!("a{i}"))).unwrap();
    }
    let err = env.sfn.create_activity(create("one-more")).unwrap_err();
    assert!(matches!(err, Error::ActivityLimitExceeded(_)), "{err:?}");
    // An idempotent repeat is not a new activity.
    env.sfn.create_activity(create("a7")).unwrap();
    // Deleting one makes room.
    env.sfn
        .delete_activity(DeleteActivityInput {
            activity_arn: env.sfn.activity_arn("a7"),
        })
        .unwrap();
    env.sfn.create_activity(create("one-more")).unwrap();
}

#[test]
fn describe_reports_the_activity_or_the_right_error() {
    let env = Env::new();
    let arn = env.activity("resize");
    let d = describe(&env, &arn).unwrap();
    assert_eq!(d.activity_arn, arn);
    assert_eq!(d.name, "resize");
    assert_eq!(d.creation_date, env.broker.clock().now_wall());
    assert_eq!(
        d.encryption_configuration,
        Some(EncryptionConfiguration::default())
    );

    let unknown = describe(&env, &env.sfn.activity_arn("nope")).unwrap_err();
    assert!(
        matches!(unknown, Error::ActivityDoesNotExist(_)),
        "{unknown:?}"
    );
    assert_eq!(unknown.code(), "ActivityDoesNotExist");

    // A5: a malformed ARN, or one of another kind, is InvalidArn.
    for bad in [
        "resize".to_owned(),
        "arn:aws:states:us-east-1:123456789012:activity:".to_owned(),
        "arn:aws:states:us-east-1:123456789012:activity:a b".to_owned(),
        "arn:aws:states:us-east-1:12345:activity:resize".to_owned(),
        "arn:aws:swf:us-east-1:123456789012:activity:resize".to_owned(),
        env.sfn.state_machine_arn("resize"),
        "arn:aws:states:us-east-1:123456789012:execution:m:resize".to_owned(),
    ] {
        let err = describe(&env, &bad).unwrap_err();
        assert!(matches!(err, Error::InvalidArn(_)), "{bad}: {err:?}");
        assert_eq!(err.code(), "InvalidArn");
    }
    // Arn is 1..256 characters: outside is a ValidationException.
    let v = validation(describe(&env, ""));
    assert_eq!(v.violations()[0].member(), "activityArn");
    let v = validation(describe(&env, &"a".repeat(257)));
    assert_eq!(v.violations()[0].constraint(), &Constraint::MaxLength(256));
}

#[test]
fn list_pages_through_every_activity_in_name_order() {
    let env = Env::new();
    let mut names: Vec<String> = (0..250).map(|i| format!("act-{i:03}")).collect();
    for n in names.iter().rev() {
        env.activity(n);
    }
    names.sort();
    // Default page: 100; 0 also means the default.
    for max_results in [None, Some(0)] {
        let page = env
            .sfn
            .list_activities(ListActivitiesInput {
                max_results,
                next_token: None,
            })
            .unwrap();
        assert_eq!(page.activities.len(), 100);
        assert!(page.next_token.is_some());
    }
    let mut seen = Vec::new();
    let mut next_token = None;
    let mut pages = 0;
    loop {
        let page = env
            .sfn
            .list_activities(ListActivitiesInput {
                max_results: Some(7),
                next_token,
            })
            .unwrap();
        pages += 1;
        assert!(page.activities.len() <= 7);
        for a in &page.activities {
            assert_eq!(a.activity_arn, env.sfn.activity_arn(&a.name));
        }
        seen.extend(page.activities.into_iter().map(|a| a.name));
        match page.next_token {
            Some(t) => next_token = Some(t),
            None => break,
        }
    }
    assert_eq!(pages, 36);
    assert_eq!(seen, names);
    let all = env
        .sfn
        .list_activities(ListActivitiesInput {
            max_results: Some(1000),
            next_token: None,
        })
        .unwrap();
    assert_eq!(all.activities.len(), 250);
    assert!(all.next_token.is_none());
}

#[test]
fn list_refuses_bad_page_sizes_and_tokens() {
    let env = Env::new();
    env.activity("a");
    for bad in [-1, 1001, i32::MIN] {
        let v = validation(env.sfn.list_activities(ListActivitiesInput {
            max_results: Some(bad),
            next_token: None,
        }));
        assert_eq!(v.violations()[0].member(), "maxResults");
    }
    // A token of 1..1024 characters that this operation did not issue is
    // InvalidToken (the only token error ListActivities lists).
    for bad in ["garbage", "AAAAAAAAAAAAAAAA", "x"] {
        let err = env
            .sfn
            .list_activities(ListActivitiesInput {
                max_results: None,
                next_token: Some(bad.into()),
            })
            .unwrap_err();
        assert!(matches!(err, Error::InvalidToken(_)), "{bad}: {err:?}");
    }
    // Outside 1..1024 characters: ValidationException.
    for bad in [String::new(), "t".repeat(1025)] {
        let v = validation(env.sfn.list_activities(ListActivitiesInput {
            max_results: None,
            next_token: Some(bad),
        }));
        assert_eq!(v.violations()[0].member(), "nextToken");
    }
}

#[test]
fn a_history_page_token_does_not_continue_a_listing() {
    let env = Env::new();
    let act = env.activity("a");
    let exec = env.start(&act, "e");
    let page = env
        .sfn
        .get_execution_history(sfn::GetExecutionHistoryInput {
            execution_arn: exec,
            max_results: Some(1),
            ..Default::default()
        })
        .unwrap();
    let err = env
        .sfn
        .list_activities(ListActivitiesInput {
            max_results: None,
            next_token: page.next_token,
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidToken(_)), "{err:?}");
}

#[test]
fn delete_removes_the_activity_and_is_not_an_error_when_repeated() {
    let env = Env::new();
    let arn = env.activity("a");
    env.sfn
        .delete_activity(DeleteActivityInput {
            activity_arn: arn.clone(),
        })
        .unwrap();
    assert!(matches!(
        describe(&env, &arn),
        Err(Error::ActivityDoesNotExist(_))
    ));
    let poll = env.sfn.get_activity_task_timeout(
        GetActivityTaskInput {
            activity_arn: arn.clone(),
            worker_name: None,
        },
        Duration::ZERO,
    );
    assert!(
        matches!(poll, Err(Error::ActivityDoesNotExist(_))),
        "{poll:?}"
    );
    // A3: DeleteActivity lists only InvalidArn, so deleting an unknown,
    // well-formed ARN (again, another region's) is not an error.
    for arn in [
        arn.clone(),
        env.sfn.activity_arn("never"),
        "arn:aws:states:eu-west-1:123456789012:activity:a".to_owned(),
    ] {
        env.sfn
            .delete_activity(DeleteActivityInput { activity_arn: arn })
            .unwrap();
    }
    let err = env
        .sfn
        .delete_activity(DeleteActivityInput {
            activity_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:a".into(),
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArn(_)), "{err:?}");
    validation(env.sfn.delete_activity(DeleteActivityInput::default()));

    // The name may be used again: a new activity, with a new date.
    env.advance(secs(1));
    let again = env.sfn.create_activity(create("a")).unwrap();
    assert_eq!(again.activity_arn, arn);
    assert_eq!(again.creation_date, env.broker.clock().now_wall());
}

#[test]
fn after_shutdown_changes_fail_and_reads_still_work() {
    let env = Env::new();
    let arn = env.activity("a");
    env.broker.shutdown();
    let err = env.sfn.create_activity(create("b")).unwrap_err();
    assert!(matches!(err, Error::ServiceUnavailable(_)), "{err:?}");
    assert_eq!(err.code(), "ServiceUnavailable");
    let err = env
        .sfn
        .delete_activity(DeleteActivityInput {
            activity_arn: arn.clone(),
        })
        .unwrap_err();
    assert!(matches!(err, Error::ServiceUnavailable(_)), "{err:?}");
    assert_eq!(describe(&env, &arn).unwrap().name, "a");
    let listed = env
        .sfn
        .list_activities(ListActivitiesInput::default())
        .unwrap();
    assert_eq!(listed.activities.len(), 1);
}

#[test]
fn errors_display_code_then_message() {
    let env = Env::new();
    let err = describe(&env, &env.sfn.activity_arn("x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("ActivityDoesNotExist: {}", err.message())
    );
    let v = env.sfn.create_activity(create("")).unwrap_err();
    assert_eq!(v.code(), "ValidationException");
    assert!(
        v.to_string()
            .starts_with("ValidationException: 1 validation error detected: ")
    );
    let source: &dyn std::error::Error = &v;
    assert!(!source.to_string().is_empty());
}

#[test]
fn every_clone_of_a_broker_shares_the_registry() {
    let clock = ManualClock::new();
    let broker = Broker::builder().clock(clock).build().unwrap();
    let (a, b) = (broker.sfn(), broker.clone().sfn());
    let arn = a.create_activity(create("shared")).unwrap().activity_arn;
    assert_eq!(
        b.describe_activity(DescribeActivityInput { activity_arn: arn })
            .unwrap()
            .name,
        "shared"
    );
}

/// A0.2 lists several violations in one message; they come in the
/// members' order of A4 ListActivities, `maxResults` before `nextToken`.
#[test]
fn list_activities_lists_its_violations_in_the_members_order() {
    let env = Env::new();
    let v = validation(env.sfn.list_activities(ListActivitiesInput {
        max_results: Some(-1),
        next_token: Some(String::new()),
    }));
    let members: Vec<&str> = v.violations().iter().map(|x| x.member()).collect();
    assert_eq!(members, ["maxResults", "nextToken"]);
}
