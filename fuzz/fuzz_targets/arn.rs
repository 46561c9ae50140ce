//! Step Functions ARN parsing, against a reference parser written here from
//! AWS-API.md A3 and A5 and the engine's documented rules (`sfn` module,
//! "ARNs"): a well-formed activity ARN is exactly
//! `arn:<partition>:states:<region>:<account>:activity:<name>`, where the
//! partition and region are non-empty lowercase ASCII letters, digits and
//! `-` that neither start nor end with `-`, the account is twelve digits,
//! and the name is a valid Step Functions name (1–80 characters, none of
//! the characters CreateActivity refuses). An execution ARN is
//! `...:execution:<stateMachine>:<name>`, both names valid.
//!
//! For any string, DescribeActivity, GetActivityTask and DeleteActivity
//! never panic and answer:
//!
//! - `ValidationException` on `activityArn` when it is not 1–256 characters;
//! - else `InvalidArn` exactly when the reference says malformed (which
//!   includes a state-machine or execution ARN given for an activity);
//! - else success when it names the one activity of this broker
//!   (`us-east-1`, `123456789012`, `a`), `ActivityDoesNotExist` otherwise
//!   (DeleteActivity: success either way; it deletes only that activity).
//!
//! DescribeExecution likewise: `InvalidArn` exactly for a malformed
//! execution ARN, else `ExecutionDoesNotExist` (this broker has none).
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use activity_broker::sfn::{self, *};
use activity_broker::{Broker, Constraint, ManualClock};
use libfuzzer_sys::fuzz_target;

fn client() -> &'static sfn::Client {
    static CLIENT: OnceLock<sfn::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Broker::builder()
            .clock(ManualClock::new())
            .shards(1)
            .build()
            .expect("broker")
            .sfn()
    })
}

fn name_ok(name: &str) -> bool {
    let n = name.chars().count();
    (1..=80).contains(&n)
        && name.chars().all(|c| {
            !(c.is_whitespace()
                || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
                || c <= '\u{1f}'
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || c == '\u{fffe}'
                || c == '\u{ffff}')
        })
}

fn label_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// The fields after `arn:<p>:states:<r>:<a>:<kind>:`, if the prefix is
/// well-formed. Names cannot contain `:`, so the split is exact.
fn fields<'a>(arn: &'a str, kind: &str) -> Option<(bool, Vec<&'a str>)> {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() < 7 {
        return None;
    }
    let ok = parts[0] == "arn"
        && label_ok(parts[1])
        && parts[2] == "states"
        && label_ok(parts[3])
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5] == kind;
    let ours = parts[1] == "aws" && parts[3] == "us-east-1" && parts[4] == "123456789012";
    ok.then(|| (ours, parts[6..].to_vec()))
}

/// `Some(names "a" here)` for a well-formed activity ARN, `None` if
/// malformed.
fn activity(arn: &str) -> Option<bool> {
    match fields(arn, "activity")? {
        (ours, rest) if rest.len() == 1 && name_ok(rest[0]) => Some(ours && rest[0] == "a"),
        _ => None,
    }
}

fn execution_ok(arn: &str) -> bool {
    matches!(fields(arn, "execution"), Some((_, rest)) if rest.len() == 2 && rest.iter().all(|n| name_ok(n)))
}

fn check_length<T: std::fmt::Debug>(arn: &str, member: &str, r: &Result<T, sfn::Error>) -> bool {
    let n = arn.chars().count();
    if (1..=256).contains(&n) {
        return true;
    }
    let Err(sfn::Error::Validation(v)) = r else {
        panic!("{arn:?}: {r:?}");
    };
    let [only] = v.violations() else {
        panic!("{v}");
    };
    assert_eq!(only.member(), member);
    let want = if n == 0 {
        Constraint::MinLength(1)
    } else {
        Constraint::MaxLength(256)
    };
    assert_eq!(only.constraint(), &want);
    false
}

fuzz_target!(|data: &[u8]| {
    let arn = String::from_utf8_lossy(data).into_owned();
    let sfn = client();
    sfn.create_activity(CreateActivityInput {
        name: "a".into(),
        ..Default::default()
    })
    .expect("create");
    let want = activity(&arn);

    let r = sfn.describe_activity(DescribeActivityInput {
        activity_arn: arn.clone(),
    });
    if check_length(&arn, "activityArn", &r) {
        match (&r, want) {
            (Err(Error::InvalidArn(_)), None) => {}
            (Ok(d), Some(true)) => assert_eq!(d.name, "a"),
            (Err(Error::ActivityDoesNotExist(_)), Some(false)) => {}
            _ => panic!("describe {arn:?}: {r:?}, reference {want:?}"),
        }
    }

    let r = sfn.get_activity_task_timeout(
        GetActivityTaskInput {
            activity_arn: arn.clone(),
            worker_name: None,
        },
        Duration::ZERO,
    );
    if check_length(&arn, "activityArn", &r) {
        match (&r, want) {
            (Err(Error::InvalidArn(_)), None) => {}
            (Ok(t), Some(true)) => assert!(t.is_empty()),
            (Err(Error::ActivityDoesNotExist(_)), Some(false)) => {}
            _ => panic!("get task {arn:?}: {r:?}, reference {want:?}"),
        }
    }

    let r = sfn.delete_activity(DeleteActivityInput {
        activity_arn: arn.clone(),
    });
    if check_length(&arn, "activityArn", &r) {
        match (&r, want) {
            (Err(Error::InvalidArn(_)), None) | (Ok(_), Some(_)) => {}
            _ => panic!("delete {arn:?}: {r:?}, reference {want:?}"),
        }
    }
    let left = sfn
        .list_activities(ListActivitiesInput::default())
        .expect("list")
        .activities
        .len();
    assert_eq!(left, usize::from(want != Some(true)), "{arn:?}");

    let r = sfn.describe_execution(DescribeExecutionInput {
        execution_arn: arn.clone(),
    });
    if check_length(&arn, "executionArn", &r) {
        match (&r, execution_ok(&arn)) {
            (Err(Error::InvalidArn(_)), false) | (Err(Error::ExecutionDoesNotExist(_)), true) => {}
            _ => panic!("describe execution {arn:?}: {r:?}"),
        }
    }
});
