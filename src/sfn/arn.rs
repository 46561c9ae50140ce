//! Step Functions ARNs: strict parsing and formatting.
//!
//! ```text
//! arn:<partition>:states:<region>:<account>:activity:<name>
//! arn:<partition>:states:<region>:<account>:stateMachine:<name>
//! arn:<partition>:states:<region>:<account>:execution:<stateMachine>:<name>
//! ```
//!
//! Parsing answers one question, "is this a well-formed ARN of this
//! kind?", and nothing about existence: a malformed ARN, or an ARN of
//! another kind (an execution ARN where an activity ARN is expected), is
//! `InvalidArn`; a well-formed one that names nothing here is the caller's
//! `ActivityDoesNotExist` (or `ExecutionDoesNotExist`).
//! `../shared/AWS-API.md` A5 draws the line there.
//!
//! Well-formed means: exactly the fields above, separated by `:`; a
//! partition and a region of lowercase ASCII letters, digits and `-` that
//! neither start nor end with `-`; an account of twelve digits; and names
//! that are valid Step Functions names (1–80 characters, none of the
//! characters CreateActivity refuses). Every ARN this engine formats uses
//! the partition `aws` and the broker's region and account
//! ([`BrokerBuilder::region`](crate::BrokerBuilder::region),
//! [`BrokerBuilder::account`](crate::BrokerBuilder::account)); an ARN of
//! another partition, region or account is well-formed but names nothing
//! here.

use std::ops::Range;
use std::sync::Arc;

use crate::names::is_sfn_name;

/// The partition of every ARN this engine issues.
pub(crate) const PARTITION: &str = "aws";

/// Where an ARN points: the fields shared by every Step Functions ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scope<'a> {
    pub(crate) partition: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
}

impl Scope<'_> {
    /// `true` when the ARN is in `region` and `account` of the `aws`
    /// partition, that is, could name a resource of this broker.
    pub(crate) fn is(&self, region: &str, account: &str) -> bool {
        self.partition == PARTITION && self.region == region && self.account == account
    }
}

/// A parsed activity ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ActivityArn<'a> {
    pub(crate) scope: Scope<'a>,
    pub(crate) name: &'a str,
}

/// A parsed state-machine ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StateMachineArn<'a> {
    pub(crate) scope: Scope<'a>,
    pub(crate) name: &'a str,
}

/// A parsed execution ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ExecutionArn<'a> {
    pub(crate) scope: Scope<'a>,
    pub(crate) state_machine: &'a str,
    pub(crate) name: &'a str,
}

/// Splits `arn:<partition>:states:<region>:<account>:<kind>:<rest>` and
/// checks the shared fields. (`rest` may hold more colons: an execution
/// ARN's.) ARNs are parsed on every Step Functions call: the fixed fields
/// are matched in place and only the partition and the region are searched
/// for their colon (`splitn` cost over a thousand instructions per ARN, a
/// scan for the first six colons about 700).
fn split<'a>(arn: &'a str, kind: &str) -> Option<(Scope<'a>, &'a str)> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = to_colon(rest)?;
    let rest = rest.strip_prefix("states:")?;
    let (region, rest) = to_colon(rest)?;
    // An account is twelve digits: a longer or shorter field, or one holding
    // a colon, fails `is_account` whichever twelve bytes are taken here.
    let account = rest.get(..12)?;
    let rest = rest.get(12..)?.strip_prefix(':')?;
    let rest = rest.strip_prefix(kind)?.strip_prefix(':')?;
    if !is_label(partition) || !is_label(region) || !is_account(account) {
        return None;
    }
    Some((
        Scope {
            partition,
            region,
            account,
        },
        rest,
    ))
}

/// `s` up to its first colon, and what follows that colon.
fn to_colon(s: &str) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == b':')?;
    // A colon is ASCII: both bounds are char boundaries.
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Lowercase ASCII letters, digits and inner `-`: `aws`, `aws-cn`,
/// `us-east-1`.
fn is_label(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The prefix `arn:aws:states:<region>:<account>:` of this broker's ARNs,
/// for a broker whose region and account are well-formed.
///
/// An ARN that starts with it has its shared fields at known places, all
/// well-formed, so [`split`]'s scan and checks can be skipped: the ARNs of
/// StartExecution and GetActivityTask (three per lifecycle) are nearly
/// always the broker's own, and the scan was a tenth of a lifecycle's
/// instructions.
#[derive(Clone, Debug)]
pub(crate) struct Home {
    prefix: Arc<str>,
    region: Range<usize>,
    account: Range<usize>,
}

impl Home {
    /// `None` when `region` or `account` is not well-formed (an ARN that
    /// holds it is then malformed, which only [`split`] tells).
    pub(crate) fn new(region: &str, account: &str) -> Option<Home> {
        if !is_label(region) || !is_account(account) {
            return None;
        }
        let head = "arn:".len() + PARTITION.len() + ":states:".len();
        let prefix = format(region, account, "", "");
        // `format` ends with `<kind>:<name>`, both empty here.
        let prefix = prefix.strip_suffix(':').unwrap_or(&prefix);
        Some(Home {
            prefix: Arc::from(prefix),
            region: head..head + region.len(),
            account: head + region.len() + 1..head + region.len() + 1 + account.len(),
        })
    }

    /// [`split`] of an ARN that starts with this prefix; `None` for any
    /// other, which may still be well-formed.
    fn split<'a>(&self, arn: &'a str, kind: &str) -> Option<Option<(Scope<'a>, &'a str)>> {
        let after = arn.strip_prefix(&*self.prefix)?;
        // The prefix is ASCII: every bound is a char boundary.
        let scope = Scope {
            partition: arn.get("arn:".len().."arn:".len() + PARTITION.len())?,
            region: arn.get(self.region.clone())?,
            account: arn.get(self.account.clone())?,
        };
        let rest = after.strip_prefix(kind).and_then(|r| r.strip_prefix(':'));
        Some(rest.map(|rest| (scope, rest)))
    }
}

/// [`split`], skipping its scan for an ARN under `home`.
fn split_in<'a>(arn: &'a str, kind: &str, home: Option<&Home>) -> Option<(Scope<'a>, &'a str)> {
    match home.and_then(|h| h.split(arn, kind)) {
        Some(split) => split,
        None => split(arn, kind),
    }
}

/// Parses an activity ARN; `None` when it is not a well-formed one.
pub(crate) fn parse_activity(arn: &str) -> Option<ActivityArn<'_>> {
    parse_activity_in(arn, None)
}

/// [`parse_activity`], faster for an ARN under `home`.
pub(crate) fn parse_activity_in<'a>(arn: &'a str, home: Option<&Home>) -> Option<ActivityArn<'a>> {
    let (scope, name) = split_in(arn, "activity", home)?;
    is_sfn_name(name).then_some(ActivityArn { scope, name })
}

/// Parses a state-machine ARN; `None` when it is not a well-formed one.
/// (The face parses them under its home only; the tests use this.)
#[cfg(test)]
pub(crate) fn parse_state_machine(arn: &str) -> Option<StateMachineArn<'_>> {
    parse_state_machine_in(arn, None)
}

/// [`parse_state_machine`], faster for an ARN under `home`.
pub(crate) fn parse_state_machine_in<'a>(
    arn: &'a str,
    home: Option<&Home>,
) -> Option<StateMachineArn<'a>> {
    let (scope, name) = split_in(arn, "stateMachine", home)?;
    is_sfn_name(name).then_some(StateMachineArn { scope, name })
}

/// Parses an execution ARN; `None` when it is not a well-formed one.
pub(crate) fn parse_execution(arn: &str) -> Option<ExecutionArn<'_>> {
    let (scope, rest) = split(arn, "execution")?;
    let (state_machine, name) = rest.split_once(':')?;
    (is_sfn_name(state_machine) && is_sfn_name(name)).then_some(ExecutionArn {
        scope,
        state_machine,
        name,
    })
}

/// `arn:aws:states:<region>:<account>:<kind>:<name>`.
pub(crate) fn format(region: &str, account: &str, kind: &str, name: &str) -> String {
    // Every StartExecution formats one: `format!` cost about 1,500
    // instructions, this one allocation and ten copies about 200.
    let parts = [
        "arn:", PARTITION, ":states:", region, ":", account, ":", kind, ":", name,
    ];
    let mut arn = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        arn.push_str(p);
    }
    arn
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "us-east-1";
    const A: &str = "123456789012";

    #[test]
    fn formats_and_parses_back() {
        let arn = format(R, A, "activity", "resize-images_2");
        assert_eq!(
            arn,
            "arn:aws:states:us-east-1:123456789012:activity:resize-images_2"
        );
        let p = parse_activity(&arn).unwrap();
        assert_eq!(p.name, "resize-images_2");
        assert!(p.scope.is(R, A));
        assert!(!p.scope.is("eu-west-1", A));
        assert!(!p.scope.is(R, "210987654321"));

        let sm = format(R, A, "stateMachine", "orders");
        assert_eq!(parse_state_machine(&sm).unwrap().name, "orders");
        let ex = format(R, A, "execution", "orders:run-1");
        let p = parse_execution(&ex).unwrap();
        assert_eq!((p.state_machine, p.name), ("orders", "run-1"));
        assert!(p.scope.is(R, A));
    }

    #[test]
    fn other_partitions_regions_and_accounts_are_well_formed() {
        let p = parse_activity("arn:aws-cn:states:cn-north-1:000000000000:activity:x").unwrap();
        assert_eq!(p.scope.partition, "aws-cn");
        assert!(!p.scope.is("cn-north-1", "000000000000"));
    }

    #[test]
    fn refuses_malformed_arns() {
        for bad in [
            "",
            "arn",
            "activity",
            "arn:aws:states:us-east-1:123456789012:activity",
            "arn:aws:states:us-east-1:123456789012:activity:",
            "arn:aws:states:us-east-1:123456789012:activity:a:b",
            "arn:aws:states:us-east-1:123456789012:activity:a b",
            "arn:aws:states:us-east-1:123456789012:activity:a/b",
            "arn:aws:states:us-east-1:123456789012:activity:a*",
            "arn:aws:swf:us-east-1:123456789012:activity:a",
            "arn:aws:states:us-east-1:12345678901:activity:a",
            "arn:aws:states:us-east-1:1234567890123:activity:a",
            "arn:aws:states:us-east-1:12345678901x:activity:a",
            "arn:aws:states::123456789012:activity:a",
            "arn::states:us-east-1:123456789012:activity:a",
            "arn:AWS:states:us-east-1:123456789012:activity:a",
            "arn:aws:states:US-EAST-1:123456789012:activity:a",
            "arn:aws:states:-us:123456789012:activity:a",
            "ARN:aws:states:us-east-1:123456789012:activity:a",
            "arn:aws:states:us-east-1:123456789012:Activity:a",
            "arn:aws:states:us-east-1:123456789012:stateMachine:a",
            "arn:aws:states:us-east-1:123456789012:execution:a:b",
            " arn:aws:states:us-east-1:123456789012:activity:a",
        ] {
            assert!(parse_activity(bad).is_none(), "{bad:?}");
        }
        let long = format(R, A, "activity", &"n".repeat(81));
        assert!(parse_activity(&long).is_none());
        assert!(parse_activity(&format(R, A, "activity", &"n".repeat(80))).is_some());
    }

    /// The parser before it was made one pass, kept as the reference.
    fn split_reference<'a>(arn: &'a str, kind: &str) -> Option<(Scope<'a>, &'a str)> {
        let mut parts = arn.splitn(7, ':');
        let f: Vec<&str> = (0..7).filter_map(|_| parts.next()).collect();
        let [arn_, partition, states, region, account, k, rest] = f.as_slice() else {
            return None;
        };
        if *arn_ != "arn" || *states != "states" || *k != kind {
            return None;
        }
        if !is_label(partition) || !is_label(region) || !is_account(account) {
            return None;
        }
        Some((
            Scope {
                partition,
                region,
                account,
            },
            rest,
        ))
    }

    #[test]
    fn the_home_prefix_changes_no_answer() {
        assert!(Home::new("US-EAST-1", A).is_none());
        assert!(Home::new(R, "12345").is_none());
        let homes = [
            Home::new(R, A).unwrap(),
            Home::new("x", "000000000000").unwrap(),
        ];
        let tails = [
            "", ":", "a", "a:", ":a", "a:b", "a:b:c", "a b", "é", "-", "x:é", "a::b",
        ];
        let mut n = 0;
        for home in &homes {
            let p = &*home.prefix;
            assert!(p.ends_with(':') && split(&format!("{p}activity:a"), "activity").is_some());
            let mut arns = vec![p.to_owned(), p[..p.len() - 1].to_owned()];
            for kind in [
                "activity",
                "stateMachine",
                "execution",
                "activityx",
                "",
                "a:b",
            ] {
                for tail in tails {
                    arns.push(format!("{p}{kind}:{tail}"));
                    arns.push(format!("{p}{kind}{tail}"));
                    arns.push(format!("arn:aws:states:us-east-2:{A}:{kind}:{tail}"));
                }
            }
            for arn in &arns {
                assert_eq!(
                    parse_activity_in(arn, Some(home)),
                    parse_activity(arn),
                    "{arn:?}"
                );
                assert_eq!(
                    parse_state_machine_in(arn, Some(home)),
                    parse_state_machine(arn),
                    "{arn:?}"
                );
                for kind in ["activity", "execution", ""] {
                    assert_eq!(split_in(arn, kind, Some(home)), split(arn, kind), "{arn:?}");
                }
                n += 1;
            }
        }
        assert!(n > 300);
    }

    #[test]
    fn split_agrees_with_splitn_on_every_shape() {
        let fields = [
            "",
            "arn",
            "aws",
            "states",
            "us-east-1",
            "123456789012",
            "activity",
            "execution",
            "a",
            "a:b",
            ":",
            "x:",
        ];
        let mut n = 0;
        for a in fields {
            for b in fields {
                for c in fields {
                    for d in ["activity", "execution", "states", "a:b"] {
                        let arn = format!("arn:{a}:states:{b}:{c}:{d}:{a}");
                        let odd = format!("{a}:{b}:{c}:{d}");
                        for s in [arn.as_str(), odd.as_str()] {
                            for kind in ["activity", "execution"] {
                                assert_eq!(
                                    split(s, kind),
                                    split_reference(s, kind),
                                    "{s:?} {kind}"
                                );
                                n += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(n > 10_000);
    }

    #[test]
    fn refuses_malformed_execution_and_state_machine_arns() {
        for bad in [
            "arn:aws:states:us-east-1:123456789012:execution:sm",
            "arn:aws:states:us-east-1:123456789012:execution:sm:",
            "arn:aws:states:us-east-1:123456789012:execution::run",
            "arn:aws:states:us-east-1:123456789012:execution:sm:run:x",
            "arn:aws:states:us-east-1:123456789012:activity:sm",
        ] {
            assert!(parse_execution(bad).is_none(), "{bad:?}");
        }
        for bad in [
            "arn:aws:states:us-east-1:123456789012:stateMachine:",
            "arn:aws:states:us-east-1:123456789012:stateMachine:a:b",
            "arn:aws:states:us-east-1:123456789012:statemachine:a",
            "arn:aws:states:us-east-1:123456789012:activity:a",
        ] {
            assert!(parse_state_machine(bad).is_none(), "{bad:?}");
        }
    }
}
