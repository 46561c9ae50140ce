//! Name validation against references written from AWS-API.md (A2, A3, A4,
//! A5), under both `arn` rules:
//!
//! - an SWF domain name is accepted exactly when it has 1 to 256
//!   characters, no leading or trailing whitespace, none of `:` `/` `|` or
//!   the control characters `\u0000-\u001f` `\u007f-\u009f`, and does not
//!   contain `arn` (relaxed rule: is not `arn`);
//! - an activity-type name follows the same rules without the whitespace
//!   one (it is not a domain or task-list name);
//! - a Step Functions activity name is accepted exactly when it has 1 to 80
//!   characters and none of whitespace, `< > { } [ ] ? * " # % \ ^ | ~ ` $
//!   & , ; : /`, control characters, U+FFFE or U+FFFF; a bad length is a
//!   `ValidationException`, a bad character `InvalidName`.
//!
//! A refused name registers nothing.
#![no_main]

use activity_broker::swf::{
    self, DescribeDomainInput, RegisterActivityTypeInput, RegisterDomainInput,
};
use activity_broker::{Broker, ManualClock, sfn};
use libfuzzer_sys::fuzz_target;

fn swf_valid(name: &str, max: usize, edged: bool, relaxed: bool) -> bool {
    let n = name.chars().count();
    (1..=max).contains(&n)
        && !(edged
            && (name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace)))
        && !name.chars().any(|c| {
            matches!(c, ':' | '/' | '|')
                || ('\u{0}'..='\u{1f}').contains(&c)
                || ('\u{7f}'..='\u{9f}').contains(&c)
        })
        && if relaxed {
            name != "arn"
        } else {
            !name.contains("arn")
        }
}

fn sfn_chars_ok(name: &str) -> bool {
    !name.chars().any(|c| {
        c.is_whitespace()
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
            || ('\u{0}'..='\u{1f}').contains(&c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || c == '\u{fffe}'
            || c == '\u{ffff}'
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let relaxed = flags & 1 == 1;
    let name = String::from_utf8_lossy(rest).into_owned();
    let broker = Broker::builder()
        .clock(ManualClock::new())
        .shards(1)
        .relaxed_arn_rule(relaxed)
        .build()
        .expect("broker");
    let swf = broker.swf();

    // A domain name.
    let r = swf.register_domain(RegisterDomainInput {
        name: name.clone(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    });
    assert_eq!(
        r.is_ok(),
        swf_valid(&name, 256, true, relaxed),
        "{name:?}: {r:?}"
    );
    if let Err(e) = r {
        assert!(matches!(e, swf::Error::Validation(_)), "{e:?}");
        let d = swf.describe_domain(DescribeDomainInput { name: name.clone() });
        assert!(d.is_err(), "a refused name was registered: {name:?}");
    }

    // An activity-type name, in a domain that exists.
    swf.register_domain(RegisterDomainInput {
        name: "d".into(),
        workflow_execution_retention_period_in_days: "1".into(),
        ..Default::default()
    })
    .ok();
    let r = swf.register_activity_type(RegisterActivityTypeInput {
        domain: "d".into(),
        name: name.clone(),
        version: "1".into(),
        ..Default::default()
    });
    assert_eq!(
        r.is_ok(),
        swf_valid(&name, 256, false, relaxed),
        "{name:?}: {r:?}"
    );
    if let Err(e) = r {
        assert!(matches!(e, swf::Error::Validation(_)), "{e:?}");
    }

    // A Step Functions activity name (no `arn` rule there).
    let sfn = broker.sfn();
    let r = sfn.create_activity(sfn::CreateActivityInput {
        name: name.clone(),
        ..Default::default()
    });
    let n = name.chars().count();
    match r {
        Ok(_) => assert!((1..=80).contains(&n) && sfn_chars_ok(&name), "{name:?}"),
        Err(sfn::Error::Validation(_)) => assert!(!(1..=80).contains(&n), "{name:?}"),
        Err(sfn::Error::InvalidName(_)) => {
            assert!((1..=80).contains(&n) && !sfn_chars_ok(&name), "{name:?}")
        }
        Err(e) => panic!("{name:?}: {e:?}"),
    }
    let listed = sfn
        .list_activities(sfn::ListActivitiesInput::default())
        .expect("list")
        .activities
        .len();
    assert_eq!(listed, usize::from(r_ok(&name, n)), "{name:?}");
});

fn r_ok(name: &str, n: usize) -> bool {
    (1..=80).contains(&n) && sfn_chars_ok(name)
}
