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
    /// [`finish`](Checker::finish) fails even with no violation.
    dry_run: bool,
}

impl Checker {
    pub(crate) fn new(arn: ArnRule) -> Checker {
        Checker {
            arn,
            violations: Vec::new(),
            dry_run: false,
        }
    }

    /// A checker whose [`finish`](Checker::finish) fails even with no
    /// violation, so that the operation stops there, having checked its
    /// input and done nothing else (a face's validation-only client).
    pub(crate) fn dry_run(mut self, on: bool) -> Checker {
        self.dry_run = on;
        self
    }

    /// Records a violation of `constraint` by `member`.
    // Cold and out of line so the formatting it pulls in stays off the hot
    // path of every check that calls it.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail(&mut self, member: impl Display, value: &str, constraint: Constraint) {
        self.violations.push(Violation::new(
            member.to_string(),
            Shown::Value(value.to_owned()),
            constraint,
        ));
    }

    /// Length in chars within `min..=max`. A `min` above 1 is compared with
    /// the byte length (no caller has one).
    #[inline]
    pub(crate) fn len(&mut self, member: impl Display + Copy, value: &str, min: usize, max: usize) {
        if value.len() < min || value.len() > max {
            if let Some(c) = len_violation(value, min, max) {
                self.fail(member, value, c);
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
    // Inlined, so a valid name costs the caller one call to a function
    // that calls nothing on its usual path, and `member` is touched only on
    // failure.
    #[inline]
    pub(crate) fn name(
        &mut self,
        member: impl Display + Copy,
        value: &str,
        max: usize,
        kind: NameKind,
    ) {
        if let Some(c) = name_verdict(value, max, kind, self.arn) {
            self.fail(member, value, c);
        }
    }

    /// A workflow id: the name rules, except that the `arn` rule is always
    /// the service's own wording, "must not be the literal string arn".
    /// AWS-API.md's deliberate "contain" reading names the members it covers
    /// (task list, domain, type name and version, activity id), and
    /// `workflowId` is not among them.
    pub(crate) fn workflow_id(&mut self, member: impl Display + Copy, value: &str) {
        if let Some(c) = name_verdict(value, 256, NameKind::Plain, ArnRule::NotEqual) {
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

    /// The request's verdict: in a dry run always an error, whose
    /// violations are empty if the request is valid.
    pub(crate) fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() && !self.dry_run {
            Ok(())
        } else {
            Err(ValidationError::new(self.violations))
        }
    }
}

/// The length rule `value` breaks, if any, in chars (a `min` above 1 is
/// compared with the byte length). Cold: [`Checker::len`] calls it only once
/// the byte length is outside `min..=max`, when only a value with
/// multi-byte chars can still pass, and only that one is counted char by
/// char.
#[cold]
#[inline(never)]
pub(crate) fn len_violation(value: &str, min: usize, max: usize) -> Option<Constraint> {
    let n = if value.len() > max {
        value.chars().count()
    } else {
        value.len()
    };
    if n < min {
        Some(Constraint::MinLength(min))
    } else if n > max {
        Some(Constraint::MaxLength(max))
    } else {
        None
    }
}

/// The one rule a name breaks, if any: its length, else the first
/// character rule.
// Out of line so each inlined `Checker::name` stays small; its own calls
// are only on rare paths, so the usual one needs almost no stack frame.
#[inline(never)]
fn name_verdict(value: &str, max: usize, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
    if value.is_empty() || value.len() > max {
        return odd_length_name_verdict(value, max, kind, arn);
    }
    name_violation(value, kind, arn)
}

/// [`name_verdict`] for a value empty or longer than `max` bytes.
#[cold]
#[inline(never)]
fn odd_length_name_verdict(
    value: &str,
    max: usize,
    kind: NameKind,
    arn: ArnRule,
) -> Option<Constraint> {
    len_violation(value, 1, max).or_else(|| name_violation(value, kind, arn))
}

/// The first character rule `value` breaks, if any.
#[inline]
pub(crate) fn name_violation(value: &str, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
    let b = value.as_bytes();
    // One table lookup per byte tells every rule that can apply, so the
    // usual clean ASCII name costs one pass and one branch.
    let seen = b.iter().fold(0u8, |acc, &c| acc | byte_class(c));
    if seen & WIDE != 0 {
        return char_name_violation(value, kind, arn);
    }
    if seen == 0 {
        return None;
    }
    ascii_name_verdict(b, seen, kind, arn)
}

/// [`name_violation`] char by char, for a name that is not all ASCII.
#[inline(never)]
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

/// A reserved ASCII character: `:` `/` `|` and the controls
/// `\u0000-\u001f`, `\u007f`.
const RESERVED: u8 = 1;
/// ASCII whitespace: `\t`-`\r` and space. It matters only at an edge.
const SPACE: u8 = 2;
/// Part of a non-ASCII char, which [`char_name_violation`] judges (it may be
/// a `\u0080-\u009f` control or Unicode whitespace).
const WIDE: u8 = 4;
/// `a`, with which an `arn` begins.
const ARN_A: u8 = 8;

/// The classes of every byte value, indexed by the byte.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut rest: &mut [u8] = &mut table;
    let mut b = 0u8;
    // Slice patterns rather than indexing: the crate denies indexing lints,
    // const code included.
    while let [slot, tail @ ..] = rest {
        let mut class = 0;
        if b < 0x20 || b == 0x7f || b == b':' || b == b'/' || b == b'|' {
            class |= RESERVED;
        }
        if matches!(b, b'\t'..=b'\r' | b' ') {
            class |= SPACE;
        }
        if b >= 0x80 {
            class |= WIDE;
        }
        if b == b'a' {
            class |= ARN_A;
        }
        *slot = class;
        rest = tail;
        b = b.wrapping_add(1);
    }
    table
};

/// The [`BYTE_CLASS`] entry of `c`.
#[inline(always)]
fn byte_class(c: u8) -> u8 {
    // A `u8` always indexes a 256-entry table; the fallback is never taken
    // and the bounds check folds away.
    BYTE_CLASS.get(usize::from(c)).copied().unwrap_or(WIDE)
}

/// [`name_violation`] for an all-ASCII name whose byte classes, OR-ed,
/// are `seen` (not zero): the same verdicts in the same order as the char
/// rules (ASCII has no `\u0080-\u009f`, and its whitespace is `\t`-`\r`
/// and space).
fn ascii_name_verdict(b: &[u8], seen: u8, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
    let space = |c: &u8| byte_class(*c) & SPACE != 0;
    if kind == NameKind::Edged
        && seen & SPACE != 0
        && (b.first().is_some_and(space) || b.last().is_some_and(space))
    {
        return Some(Constraint::NoEdgeWhitespace);
    }
    if seen & RESERVED != 0 {
        return Some(Constraint::NoReservedCharacters);
    }
    if seen & ARN_A == 0 {
        return None;
    }
    match arn {
        ArnRule::NotContain if contains_arn(b) => Some(Constraint::NotArn),
        ArnRule::NotEqual if b == b"arn" => Some(Constraint::NotLiteralArn),
        _ => None,
    }
}

/// Whether `arn` occurs in `b`: only where an `a` is found is the rest
/// compared, so no window is compared as a slice.
fn contains_arn(b: &[u8]) -> bool {
    let mut rest = b;
    while let Some(at) = rest.iter().position(|&c| c == b'a') {
        rest = rest.get(at + 1..).unwrap_or_default();
        if rest.starts_with(b"rn") {
            return true;
        }
    }
    false
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
    if value.is_ascii() {
        // One table lookup per byte for the usual ASCII name; the same
        // verdicts as the char rules below (ASCII whitespace is `\t`-`\r` and
        // space; ASCII has no U+0080-009F, U+FFFE or U+FFFF).
        return value.bytes().all(sfn_ascii_ok);
    }
    sfn_name_chars_ok_by_char(value)
}

/// Whether a Step Functions name may hold the ASCII byte `b` (LLVM turns
/// this into a bit test).
fn sfn_ascii_ok(b: u8) -> bool {
    matches!(b, 0x21..=0x7e)
        && !matches!(
            b,
            b'<' | b'>'
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'?'
                | b'*'
                | b'"'
                | b'#'
                | b'%'
                | b'\\'
                | b'^'
                | b'|'
                | b'~'
                | b'`'
                | b'$'
                | b'&'
                | b','
                | b';'
                | b':'
                | b'/'
        )
}

/// [`sfn_name_chars_ok`] char by char, for any name.
fn sfn_name_chars_ok_by_char(value: &str) -> bool {
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

#[cfg(test)]
mod sfn_name_tests {
    use super::*;

    #[test]
    fn the_ascii_table_agrees_with_the_char_rules() {
        for b in 0u8..128 {
            let one = char::from(b).to_string();
            assert_eq!(
                sfn_name_chars_ok(&one),
                sfn_name_chars_ok_by_char(&one),
                "byte {b:#x}"
            );
            let framed = format!("a{one}b");
            assert_eq!(
                sfn_name_chars_ok(&framed),
                sfn_name_chars_ok_by_char(&framed)
            );
        }
        assert!(sfn_name_chars_ok("resize-images_2.v1"));
        assert!(!sfn_name_chars_ok("a b"));
        assert!(!sfn_name_chars_ok("é\u{85}"));
        assert!(sfn_name_chars_ok("é"));
    }
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
    fn the_fast_path_agrees_with_the_char_rules() {
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
                        name_violation(s, kind, arn),
                        char_name_violation(s, kind, arn),
                        "{s:?} {kind:?} {arn:?}"
                    );
                }
            }
        }
    }

    /// The name rules as AWS-API.md words them, char by char and with no
    /// shortcut: what [`Checker::name`] must agree with.
    fn reference_name(value: &str, max: usize, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
        let chars: Vec<char> = value.chars().collect();
        if chars.is_empty() {
            return Some(Constraint::MinLength(1));
        }
        if chars.len() > max {
            return Some(Constraint::MaxLength(max));
        }
        let edge = |c: Option<&char>| c.is_some_and(|c| c.is_whitespace());
        if kind == NameKind::Edged && (edge(chars.first()) || edge(chars.last())) {
            return Some(Constraint::NoEdgeWhitespace);
        }
        let reserved =
            |&c: &char| matches!(u32::from(c), 0..=0x1f | 0x7f..=0x9f) || ":/|".contains(c);
        if chars.iter().any(reserved) {
            return Some(Constraint::NoReservedCharacters);
        }
        let arn_at = |i: usize| chars.get(i..i + 3) == Some(&['a', 'r', 'n'][..]);
        match arn {
            ArnRule::NotContain if (0..chars.len()).any(arn_at) => Some(Constraint::NotArn),
            ArnRule::NotEqual if chars == ['a', 'r', 'n'] => Some(Constraint::NotLiteralArn),
            _ => None,
        }
    }

    /// The one verdict of [`Checker::name`] on `value`, if any.
    fn checker_name(value: &str, max: usize, kind: NameKind, arn: ArnRule) -> Option<Constraint> {
        let mut c = Checker::new(arn);
        c.name("m", value, max, kind);
        match c.finish() {
            Ok(()) => None,
            Err(e) => {
                assert_eq!(e.violations().len(), 1, "{value:?}");
                Some(e.violations()[0].constraint().clone())
            }
        }
    }

    fn agree_with_reference(value: &str) {
        for kind in [NameKind::Edged, NameKind::Plain] {
            for arn in [ArnRule::NotContain, ArnRule::NotEqual] {
                for max in [3, 256] {
                    assert_eq!(
                        checker_name(value, max, kind, arn),
                        reference_name(value, max, kind, arn),
                        "{value:?} {max} {kind:?} {arn:?}"
                    );
                }
                assert_eq!(
                    name_violation(value, kind, arn),
                    char_name_violation(value, kind, arn),
                    "{value:?} {kind:?} {arn:?}"
                );
            }
        }
    }

    /// A xorshift generator: reproducible inputs without a dependency.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn names_agree_with_the_reference_on_every_short_string() {
        // Edge whitespace, the reserved marks, both kinds of control, `arn`
        // and its parts, and non-ASCII letters and whitespace.
        const ALPHABET: [char; 14] = [
            ' ', '\t', ':', '/', '|', '\u{7f}', 'a', 'r', 'n', 'x', 'é', '\u{85}', '\u{a0}', '\0',
        ];
        let mut strings = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        for s in &strings {
            agree_with_reference(s);
        }
    }

    #[test]
    fn names_agree_with_the_reference_on_random_strings() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..20_000 {
            let len = rng.below(12);
            let s: String = (0..len)
                .map(|_| match (round % 4, rng.below(8)) {
                    // Mostly `arn` material, so the arn rule is reached.
                    (0, k) => ['a', 'r', 'n', 'a', 'r', 'n', ' ', 'z'][k],
                    (1, 0) => ['é', '\u{85}', '\u{2003}', '中'][rng.below(4)],
                    _ => char::from(rng.below(128) as u8),
                })
                .collect();
            agree_with_reference(&s);
        }
    }

    #[test]
    fn lengths_agree_with_a_char_count() {
        let mut rng = Rng(7);
        for _ in 0..5_000 {
            let s: String = (0..rng.below(10))
                .map(|_| ['x', 'é', '中', '😀'][rng.below(4)])
                .collect();
            // Every caller's `min` is 0 or 1, where bytes and chars agree.
            let (min, max) = (rng.below(2), rng.below(12));
            let n = s.chars().count();
            let want = if n < min {
                Some(Constraint::MinLength(min))
            } else if n > max {
                Some(Constraint::MaxLength(max))
            } else {
                None
            };
            let mut c = Checker::new(ArnRule::NotContain);
            c.len("m", &s, min, max);
            let got = c
                .finish()
                .err()
                .map(|e| e.violations()[0].constraint().clone());
            assert_eq!(got, want, "{s:?} {min} {max}");
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
