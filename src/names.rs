//! AWS input validation: strings become checked values here and nowhere
//! else.
//!
//! A [`Checker`] walks a whole request and collects every violation, because
//! AWS reports them all in one `ValidationException` (`../shared/AWS-API.md`
//! A0.2). Operations call it before they take any lock, so a rejected request
//! changes nothing.
//!
//! Lengths count Unicode scalar values (`char`s), except where AWS counts
//! UTF-8 bytes (Step Functions payloads, A0.4). A value of at most `max`
//! bytes has at most `max` chars, so the common short value is never
//! counted char by char.

use std::fmt::Display;
use std::time::Duration;

use crate::validation::{Constraint, Shown, ValidationError, Violation};

/// The `arn` rule in force (see `../shared/AWS-API.md`, "One deliberate
/// difference").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArnRule {
    /// A name must not contain `arn` anywhere (the reference wording).
    NotContain,
    /// A name must not be exactly `arn` (the current botocore wording).
    NotEqual,
}

/// What a name rule also forbids beyond its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// Domain and task-list names: also no leading or trailing whitespace.
    Edged,
    /// Type names, versions, activity ids and workflow ids.
    Plain,
}

/// A member path of a list element, formatted only if it is reported:
/// `decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ListPath<'a> {
    pub(crate) list: &'a str,
    /// 1-based, as AWS numbers list members.
    pub(crate) index: usize,
    pub(crate) rest: &'a str,
}

impl Display for ListPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.member", self.list, self.index)?;
        if !self.rest.is_empty() {
            write!(f, ".{}", self.rest)?;
        }
        Ok(())
    }
}

/// Collects the violations of one request.
#[derive(Debug)]
pub(crate) struct Checker {
    arn: ArnRule,
    violations: Vec<Violation>,
}

impl Checker {
    pub(crate) fn new(arn: ArnRule) -> Checker {
        Checker {
            arn,
            violations: Vec::new(),
        }
    }

    /// Records a violation of `constraint` by `member`.
    pub(crate) fn fail(&mut self, member: impl Display, value: &str, constraint: Constraint) {
        self.violations.push(Violation::new(
            member.to_string(),
            Shown::Value(value.to_owned()),
            constraint,
        ));
    }

    /// Length in chars within `min..=max`.
    pub(crate) fn len(&mut self, member: impl Display + Copy, value: &str, min: usize, max: usize) {
        if value.len() < min || value.len() > max {
            let n = if value.len() > max {
                value.chars().count()
            } else {
                value.len()
            };
            if n < min {
                self.fail(member, value, Constraint::MinLength(min));
            } else if n > max {
                self.fail(member, value, Constraint::MaxLength(max));
            }
        }
    }

    /// An optional member: checked only when present.
    pub(crate) fn opt_len(
        &mut self,
        member: impl Display + Copy,
        value: Option<&str>,
        min: usize,
        max: usize,
    ) {
        if let Some(v) = value {
            self.len(member, v, min, max);
        }
    }

    /// A sensitive payload limited in UTF-8 bytes (Step Functions). Its value
    /// is left out of the message, as AWS does.
    pub(crate) fn bytes_hidden(&mut self, member: impl Display + Copy, value: &str, max: usize) {
        if value.len() > max {
            self.violations.push(Violation::new(
                member.to_string(),
                Shown::Hidden,
                Constraint::MaxLength(max),
            ));
        }
    }

    /// A sensitive string limited in chars: the value is left out.
    pub(crate) fn len_hidden(&mut self, member: impl Display + Copy, value: &str, max: usize) {
        if value.len() > max && value.chars().count() > max {
            self.violations.push(Violation::new(
                member.to_string(),
                Shown::Hidden,
                Constraint::MaxLength(max),
            ));
        }
    }

    /// A name: length, then the character rules of `kind`. The character
    /// rules are checked only on a value of valid length, so one bad value
    /// gives one violation.
    pub(crate) fn name(
        &mut self,
        member: impl Display + Copy,
        value: &str,
        max: usize,
        kind: NameKind,
    ) {
        let before = self.violations.len();
        self.len(member, value, 1, max);
        if self.violations.len() != before {
            return;
        }
        if let Some(c) = name_violation(value, kind, self.arn) {
            self.fail(member, value, c);
        }
    }

    /// A tag key or value: its length, then AWS's tag characters (Unicode
    /// letters, digits, whitespace and `_ . : / = + - @`; AWS-API.md A2
    /// RegisterDomain, A4 CreateActivity), checked only on a value of valid
    /// length.
    pub(crate) fn tag(&mut self, member: impl Display + Copy, value: &str, min: usize, max: usize) {
        let before = self.violations.len();
        self.len(member, value, min, max);
        if self.violations.len() == before
            && !value
                .chars()
                .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
        {
            self.fail(member, value, Constraint::TagCharacters);
        }
    }

    /// A `DurationInSecondsOptional`: at most 8 characters, digits or
    /// `NONE`. Returns the parsed value (`Some(None)` for `NONE`).
    pub(crate) fn duration(
        &mut self,
        member: impl Display + Copy,
        value: &str,
    ) -> Option<Option<Duration>> {
        let before = self.violations.len();
        self.len(member, value, 0, 8);
        if self.violations.len() != before {
            return None;
        }
        match parse_duration(value) {
            Some(d) => Some(d),
            None => {
                self.fail(member, value, Constraint::Duration);
                None
            }
        }
    }

    /// An optional duration member.
    pub(crate) fn opt_duration(
        &mut self,
        member: impl Display + Copy,
        value: Option<&str>,
    ) -> Option<Option<Duration>> {
        value.and_then(|v| self.duration(member, v))
    }

    /// A `TaskPriority`: a decimal 32-bit integer.
    pub(crate) fn priority(&mut self, member: impl Display + Copy, value: &str) -> Option<i32> {
        match parse_i32(value) {
            Some(p) => Some(p),
            None => {
                self.fail(member, value, Constraint::Int32);
                None
            }
        }
    }

    /// An optional priority member.
    pub(crate) fn opt_priority(
        &mut self,
        member: impl Display + Copy,
        value: Option<&str>,
    ) -> Option<i32> {
        value.and_then(|v| self.priority(member, v))
    }

    /// An integer within `min..=max`.
    pub(crate) fn range(&mut self, member: impl Display + Copy, value: i64, min: i64, max: i64) {
        let text = value.to_string();
        if value < min {
            self.fail(member, &text, Constraint::MinValue(min));
        } else if value > max {
            self.fail(member, &text, Constraint::MaxValue(max));
        }
    }

    /// How many violations are recorded so far. A member check compares it
    /// before and after itself to learn whether *that member* failed (the
    /// request as a whole may have failed earlier, on another member).
    pub(crate) fn violation_count(&self) -> usize {
        self.violations.len()
    }

    /// The request's verdict.
    pub(crate) fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(self.violations))
        }
    }
}

/// The first character rule `value` breaks, if any.
pub(crate) fn name_violation(value: &str, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
    if value.is_ascii() {
        return ascii_name_violation(value.as_bytes(), kind, arn);
    }
    char_name_violation(value, kind, arn)
}

/// [`name_violation`] char by char, for any name.
fn char_name_violation(value: &str, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
    if kind == NameKind::Edged
        && (value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace))
    {
        return Some(Constraint::NoEdgeWhitespace);
    }
    if value.chars().any(is_reserved) {
        return Some(Constraint::NoReservedCharacters);
    }
    match arn {
        ArnRule::NotContain if value.contains("arn") => Some(Constraint::NotArn),
        ArnRule::NotEqual if value == "arn" => Some(Constraint::NotLiteralArn),
        _ => None,
    }
}

/// [`name_violation`] for the usual all-ASCII name: one pass over bytes,
/// the same verdicts (ASCII has no `\u0080-\u009f`, and its whitespace is
/// `\t`-`\r` and space).
fn ascii_name_violation(b: &[u8], kind: NameKind, arn: ArnRule) -> Option<Constraint> {
    let space = |c: &u8| matches!(c, b'\t'..=b'\r' | b' ');
    if kind == NameKind::Edged && (b.first().is_some_and(space) || b.last().is_some_and(space)) {
        return Some(Constraint::NoEdgeWhitespace);
    }
    if b.iter()
        .any(|&c| c < 0x20 || c == 0x7f || c == b':' || c == b'/' || c == b'|')
    {
        return Some(Constraint::NoReservedCharacters);
    }
    match arn {
        ArnRule::NotContain if b.windows(3).any(|w| w == b"arn") => Some(Constraint::NotArn),
        ArnRule::NotEqual if b == b"arn" => Some(Constraint::NotLiteralArn),
        _ => None,
    }
}

/// `:` `/` `|` and the control characters `\u0000-\u001f`, `\u007f-\u009f`.
fn is_reserved(c: char) -> bool {
    matches!(c, ':' | '/' | '|' | '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// A Step Functions name (activity, state machine, execution): 1–80
/// characters; no whitespace; none of `< > { } [ ] ? * " # % \ ^ | ~ ` $ &
/// , ; : /`; no control characters (U+0000–001F, U+007F–009F) and not
/// U+FFFE or U+FFFF (`../shared/AWS-API.md` A3, A4). Surrogates cannot
/// occur in a `str`. A breach of the character rules is `InvalidName`, of
/// the length `ValidationException` (A0.2, A5).
pub(crate) fn is_sfn_name(value: &str) -> bool {
    sfn_name_chars_ok(value)
        && !value.is_empty()
        && (value.len() <= 80 || value.chars().count() <= 80)
}

/// The character rules of a Step Functions name, without its length.
pub(crate) fn sfn_name_chars_ok(value: &str) -> bool {
    !value.chars().any(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '{' | '}' | '[' | ']' | '?' | '*' | '"' | '#' | '%' | '\\' | '^'
                    | '|' | '~' | '`' | '$' | '&' | ',' | ';' | ':' | '/'
                    | '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'
            )
    })
}

/// Digits (seconds) or `NONE`; `None` when neither.
pub(crate) fn parse_duration(value: &str) -> Option<Option<Duration>> {
    if value == "NONE" {
        return Some(None);
    }
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value
        .parse::<u64>()
        .ok()
        .map(|s| Some(Duration::from_secs(s)))
}

/// A decimal `i32` with an optional sign, as Java's `Integer.parseInt`
/// accepts it.
pub(crate) fn parse_i32(value: &str) -> Option<i32> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<i32>().ok()
}

/// Writes a duration as SWF does: whole seconds, or `NONE`.
pub(crate) fn format_duration(d: Option<Duration>) -> String {
    match d {
        Some(d) => d.as_secs().to_string(),
        None => "NONE".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_name(v: &str, kind: NameKind) -> Result<(), ValidationError> {
        let mut c = Checker::new(ArnRule::NotContain);
        c.name("name", v, 256, kind);
        c.finish()
    }

    #[test]
    fn names_follow_the_character_rules() {
        assert!(check_name("ok-name_1.2", NameKind::Edged).is_ok());
        for bad in [
            "a:b", "a/b", "a|b", "a\u{0}", "a\u{1f}", "\u{7f}", "x\u{9f}", "barn",
        ] {
            assert!(check_name(bad, NameKind::Plain).is_err(), "{bad:?}");
        }
        assert!(check_name(" lead", NameKind::Edged).is_err());
        assert!(check_name(" lead", NameKind::Plain).is_ok());
        assert!(check_name("trail\t", NameKind::Edged).is_err());
        assert!(check_name("\u{a0}", NameKind::Plain).is_ok());
        assert!(check_name("ARN", NameKind::Plain).is_ok());
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_char_rules() {
        let mut samples: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        for b in 0u8..128 {
            let c = char::from(b);
            samples.push(format!("a{c}b"));
            samples.push(format!("{c}ok"));
            samples.push(format!("ok{c}"));
        }
        samples.extend(["arn", "barnyard", "ar n", "ARN", "a:rn", ""].map(String::from));
        for s in &samples {
            for kind in [NameKind::Edged, NameKind::Plain] {
                for arn in [ArnRule::NotContain, ArnRule::NotEqual] {
                    assert_eq!(
                        ascii_name_violation(s.as_bytes(), kind, arn),
                        char_name_violation(s, kind, arn),
                        "{s:?} {kind:?} {arn:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn relaxed_arn_rule_forbids_only_the_literal() {
        let mut c = Checker::new(ArnRule::NotEqual);
        c.name("name", "barn", 256, NameKind::Plain);
        assert_eq!(c.violation_count(), 0);
        c.name("name", "arn", 256, NameKind::Plain);
        assert_eq!(
            c.finish().unwrap_err().violations()[0].constraint(),
            &Constraint::NotLiteralArn
        );
    }

    #[test]
    fn lengths_count_chars_not_bytes() {
        let mut c = Checker::new(ArnRule::NotContain);
        c.len("m", &"é".repeat(256), 1, 256);
        assert_eq!(c.violation_count(), 0);
        c.len("m", &"é".repeat(257), 1, 256);
        c.len("m", "", 1, 256);
        let e = c.finish().unwrap_err();
        assert_eq!(e.violations()[0].constraint(), &Constraint::MaxLength(256));
        assert_eq!(e.violations()[1].constraint(), &Constraint::MinLength(1));
        assert!(e.to_string().starts_with("2 validation errors detected: "));
    }

    #[test]
    fn sfn_names_follow_the_step_functions_rules() {
        for ok in [
            "a",
            "resize-images_2.v1",
            "é中😀",
            "(x)!@+='",
            &"n".repeat(80),
        ] {
            assert!(is_sfn_name(ok), "{ok:?}");
        }
        assert!(is_sfn_name(&"é".repeat(80)));
        assert!(!is_sfn_name(&"é".repeat(81)));
        assert!(!is_sfn_name(""));
        assert!(!is_sfn_name(&"n".repeat(81)));
        for c in [
            ' ', '\t', '\n', '\u{a0}', '\u{2003}', '<', '>', '{', '}', '[', ']', '?', '*', '"',
            '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/', '\u{0}', '\u{1f}',
            '\u{7f}', '\u{9f}', '\u{fffe}', '\u{ffff}',
        ] {
            assert!(!is_sfn_name(&format!("a{c}b")), "{c:?}");
            assert!(!sfn_name_chars_ok(&c.to_string()), "{c:?}");
        }
        // The SWF `arn` rule is not a Step Functions rule.
        assert!(is_sfn_name("arn"));
    }

    #[test]
    fn tags_allow_letters_digits_whitespace_and_seven_marks() {
        let mut c = Checker::new(ArnRule::NotContain);
        for ok in ["team", "é中 1", "a_.:/=+-@", "", "tab\there"] {
            c.tag("t", ok, 0, 128);
        }
        assert_eq!(c.violation_count(), 0);
        c.tag("t", "a#b", 0, 128);
        c.tag("t", &"k".repeat(129), 0, 128);
        let e = c.finish().unwrap_err();
        assert_eq!(e.violations()[0].constraint(), &Constraint::TagCharacters);
        assert_eq!(e.violations()[1].constraint(), &Constraint::MaxLength(128));
        assert_eq!(e.violations().len(), 2);
    }

    #[test]
    fn durations_are_digits_or_none() {
        assert_eq!(parse_duration("NONE"), Some(None));
        assert_eq!(parse_duration("0"), Some(Some(Duration::ZERO)));
        assert_eq!(
            parse_duration("99999999"),
            Some(Some(Duration::from_secs(99_999_999)))
        );
        for bad in ["", "-1", "+1", "1.5", "none", " 1", "1s"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
        let mut c = Checker::new(ArnRule::NotContain);
        assert_eq!(c.duration("d", "123456789"), None);
        assert_eq!(
            c.finish().unwrap_err().violations()[0].constraint(),
            &Constraint::MaxLength(8)
        );
    }

    #[test]
    fn priorities_are_int32() {
        assert_eq!(parse_i32("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_i32("2147483647"), Some(i32::MAX));
        assert_eq!(parse_i32("+7"), Some(7));
        for bad in ["2147483648", "-2147483649", "", "-", "1e3", " 1", "0x10"] {
            assert_eq!(parse_i32(bad), None, "{bad:?}");
        }
    }
}
