//! The `ValidationException` that both faces return for a malformed request.
//!
//! AWS reports every violated constraint of a request at once, in one message
//! (`../shared/AWS-API.md`, section A0, rule 2):
//!
//! ```text
//! 2 validation errors detected: Value '' at 'domain' failed to satisfy constraint: Member must have length greater than or equal to 1; Value ...
//! ```
//!
//! [`ValidationError`] keeps the same facts in structured form: one
//! [`Violation`] per broken constraint, each naming the member path (AWS's
//! camelCase path, 1-based into lists) and the [`Constraint`].

use std::fmt;

/// A request that broke one or more member constraints: AWS's
/// `ValidationException` (HTTP 400).
///
/// Inspect it with [`violations`](ValidationError::violations); its
/// `Display` is AWS's message text.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::{self, RegisterDomainInput};
/// use activity_broker::{Broker, Constraint};
///
/// let swf = Broker::new().swf();
/// let err = swf
///     .register_domain(RegisterDomainInput {
///         name: String::new(),
///         workflow_execution_retention_period_in_days: "1".into(),
///         ..Default::default()
///     })
///     .unwrap_err();
/// let swf::Error::Validation(v) = err else { panic!("{err}") };
/// assert_eq!(v.violations()[0].member(), "name");
/// assert_eq!(v.violations()[0].constraint(), &Constraint::MinLength(1));
/// assert_eq!(
///     v.to_string(),
///     "1 validation error detected: Value '' at 'name' failed to satisfy constraint: \
///      Member must have length greater than or equal to 1"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    pub(crate) fn new(violations: Vec<Violation>) -> ValidationError {
        ValidationError { violations }
    }

    /// Every constraint the request broke, in member order. Never empty.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations, by value.
    #[cfg(feature = "json")]
    pub(crate) fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// The AWS error code, `ValidationException`.
    pub fn code(&self) -> &'static str {
        "ValidationException"
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        let noun = if n == 1 { "error" } else { "errors" };
        write!(f, "{n} validation {noun} detected: ")?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// One broken constraint: which member, its value, and the rule.
///
/// # Examples
///
/// See [`ValidationError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    member: String,
    value: Shown,
    constraint: Constraint,
}

/// How a violation's value appears in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    /// The value, quoted.
    Value(String),
    /// A sensitive member (SFN payloads): AWS leaves the value out.
    Hidden,
    /// An absent required member (only a JSON request can omit one):
    /// `Value null at '<member>'`.
    #[cfg(feature = "json")]
    Null,
}

impl Violation {
    pub(crate) fn new(member: String, value: Shown, constraint: Constraint) -> Violation {
        Violation {
            member,
            value,
            constraint,
        }
    }

    /// The member path, as AWS writes it: `taskList.name`,
    /// `decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId`.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// The offending value; `None` when the member was absent or is
    /// sensitive.
    pub fn value(&self) -> Option<&str> {
        match &self.value {
            Shown::Value(v) => Some(v),
            Shown::Hidden => None,
            #[cfg(feature = "json")]
            Shown::Null => None,
        }
    }

    /// The rule the value broke.
    pub fn constraint(&self) -> &Constraint {
        &self.constraint
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Shown::Value(v) => write!(f, "Value '{v}' at '{}'", self.member)?,
            Shown::Hidden => write!(f, "Value at '{}'", self.member)?,
            #[cfg(feature = "json")]
            Shown::Null => write!(f, "Value null at '{}'", self.member)?,
        }
        write!(f, " failed to satisfy constraint: {}", self.constraint)
    }
}

/// A member constraint from the AWS service models, or one of the character
/// rules their documentation states in prose.
///
/// `Display` gives the constraint text of AWS's message
/// (`Member must have length less than or equal to 256`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// The member is required.
    NotNull,
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters (UTF-8 bytes for Step Functions
    /// payloads, whose limits AWS counts in bytes).
    MaxLength(usize),
    /// A number at least this large.
    MinValue(i64),
    /// A number at most this large.
    MaxValue(i64),
    /// One of a fixed set of values.
    Enum(&'static [&'static str]),
    /// No leading or trailing whitespace.
    NoEdgeWhitespace,
    /// None of `:` `/` `|` or the control characters
    /// `\u0000-\u001f` `\u007f-\u009f`.
    NoReservedCharacters,
    /// Does not contain the literal string `arn` (the default rule).
    NotArn,
    /// Is not the literal string `arn` (the relaxed rule, see
    /// [`BrokerBuilder::relaxed_arn_rule`](crate::BrokerBuilder::relaxed_arn_rule)).
    NotLiteralArn,
    /// A duration: a decimal number of seconds or `NONE`.
    Duration,
    /// A 32-bit signed integer written in decimal.
    Int32,
    /// A retention period: `NONE` or whole days from 0 to 90.
    RetentionDays,
    /// A page token this engine did not issue for this listing.
    PageToken,
    /// Only Unicode letters, digits, whitespace and `_ . : / = + - @`: the
    /// characters AWS allows in tag keys and values.
    TagCharacters,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::NotNull => f.write_str("Member must not be null"),
            Constraint::MinLength(n) => {
                write!(f, "Member must have length greater than or equal to {n}")
            }
            Constraint::MaxLength(n) => {
                write!(f, "Member must have length less than or equal to {n}")
            }
            Constraint::MinValue(n) => {
                write!(f, "Member must have value greater than or equal to {n}")
            }
            Constraint::MaxValue(n) => {
                write!(f, "Member must have value less than or equal to {n}")
            }
            Constraint::Enum(values) => {
                write!(
                    f,
                    "Member must satisfy enum value set: [{}]",
                    values.join(", ")
                )
            }
            Constraint::NoEdgeWhitespace => {
                f.write_str("Member must not start or end with whitespace")
            }
            Constraint::NoReservedCharacters => f.write_str(
                "Member must not contain ':', '/', '|' or control characters \
                 (\\u0000-\\u001f, \\u007f-\\u009f)",
            ),
            Constraint::NotArn => f.write_str("Member must not contain the literal string 'arn'"),
            Constraint::NotLiteralArn => f.write_str("Member must not be the literal string 'arn'"),
            Constraint::Duration => {
                f.write_str("Member must be a whole number of seconds (at least 0) or NONE")
            }
            Constraint::Int32 => {
                f.write_str("Member must be an integer from -2147483648 to 2147483647")
            }
            Constraint::PageToken => {
                f.write_str("Member must be a page token returned by an earlier call")
            }
            Constraint::RetentionDays => {
                f.write_str("Member must be NONE or a whole number of days from 0 to 90")
            }
            Constraint::TagCharacters => f.write_str(
                "Member must contain only letters, digits, whitespace and _ . : / = + - @",
            ),
        }
    }
}
