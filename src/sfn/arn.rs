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
/// ARN's.) One pass over the bytes: ARNs are parsed on every Step Functions
/// call, and `splitn` cost over a thousand instructions per ARN.
fn split<'a>(arn: &'a str, kind: &str) -> Option<(Scope<'a>, &'a str)> {
    // The first six colons, found in one pass.
    let mut colon = [0usize; 6];
    let mut found = 0;
    for (i, b) in arn.bytes().enumerate() {
        if b == b':' {
            if let Some(c) = colon.get_mut(found) {
                *c = i;
            }
            found += 1;
            if found == colon.len() {
                break;
            }
        }
    }
    if found < colon.len() {
        return None;
    }
    let [c0, c1, c2, c3, c4, c5] = colon;
    // Colons are ASCII, so every bound is a char boundary.
    let field = |from: usize, to: usize| arn.get(from..to);
    let (Some("arn"), Some(partition), Some("states"), Some(region), Some(account), Some(k)) = (
        field(0, c0),
        field(c0 + 1, c1),
        field(c1 + 1, c2),
        field(c2 + 1, c3),
        field(c3 + 1, c4),
        field(c4 + 1, c5),
    ) else {
        return None;
    };
    let rest = arn.get(c5 + 1..)?;
    if k != kind || !is_label(partition) || !is_label(region) || !is_account(account) {
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

/// Parses an activity ARN; `None` when it is not a well-formed one.
pub(crate) fn parse_activity(arn: &str) -> Option<ActivityArn<'_>> {
    let (scope, name) = split(arn, "activity")?;
    is_sfn_name(name).then_some(ActivityArn { scope, name })
}

/// Parses a state-machine ARN; `None` when it is not a well-formed one.
pub(crate) fn parse_state_machine(arn: &str) -> Option<StateMachineArn<'_>> {
    let (scope, name) = split(arn, "stateMachine")?;
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
    format!("arn:{PARTITION}:states:{region}:{account}:{kind}:{name}")
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
