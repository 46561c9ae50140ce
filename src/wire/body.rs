//! Reading request bodies and writing response bodies.
//!
//! A request body is parsed once into a [`serde_json::Value`]; [`Obj`] then
//! reads members by their AWS names, recording into a shared [`Log`] what
//! AWS would refuse before the operation runs:
//!
//! - a member of the wrong JSON type: `SerializationException` (the first
//!   one is reported);
//! - an absent (or `null`) required member: `ValidationException`,
//!   `Value null at '<path>' failed to satisfy constraint: Member must not
//!   be null`, with the path AWS writes (`taskList.name`,
//!   `decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId`);
//! - an enum member outside its value set: `ValidationException`.
//!
//! Everything else (lengths, character rules, ranges) is the engine's to
//! check: the wire layer hands it the values it read, and the face's own
//! validation answers as it does for a direct call.
//!
//! AWS reports every violation of a request in one `ValidationException`
//! (`../shared/AWS-API.md` A0.2), the absent members with the rest. So a
//! body whose reading found violations is read again ([`read_all`]): the
//! input, with placeholders where members were absent, goes to the face's
//! validation-only client, and [`Found::merge`] puts the face's violations
//! among the body's, in the order the members were read, which is the
//! shape's member order.
//!
//! Responses are built with [`Out`], which leaves absent optional members
//! out, as the AWS JSON protocol does.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::history::EventId;
use crate::validation::{Constraint, Shown, ValidationError, Violation};

/// A stand-in for a member that an engine-only member is derived from, when
/// the member is absent (the execution a decision task token names): it
/// passes the face's checks, so the absence, which the body's reading
/// reports, is not reported again under the derived member's name. A
/// request holding one is refused before it runs.
pub(crate) const ABSENT: &str = "absent";

/// What reading a request body found wrong with it.
#[derive(Debug, Default)]
pub(crate) struct Log {
    /// Absent required members and bad enum values, in reading order.
    violations: RefCell<Vec<Violation>>,
    /// The first member of the wrong JSON type.
    type_error: RefCell<Option<String>>,
    /// With `Some`, the path of every member read, in reading order.
    read: Option<RefCell<Vec<String>>>,
}

/// A refusal found while reading a body.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// `SerializationException`: the message.
    Serialization(String),
    /// `ValidationException`.
    Validation(ValidationError),
}

impl Log {
    fn type_error(&self, path: &str, expected: &str) {
        let mut slot = self.type_error.borrow_mut();
        if slot.is_none() {
            *slot = Some(format!(
                "the member '{path}' is not {expected} (malformed request body)"
            ));
        }
    }

    fn violation(&self, path: String, shown: Shown, constraint: Constraint) {
        self.violations
            .borrow_mut()
            .push(Violation::new(path, shown, constraint));
    }

    /// `Ok` if the body read cleanly; else what to answer.
    pub(crate) fn finish(self) -> Result<(), BodyError> {
        if let Some(m) = self.type_error.into_inner() {
            return Err(BodyError::Serialization(m));
        }
        let v = self.violations.into_inner();
        if v.is_empty() {
            Ok(())
        } else {
            Err(BodyError::Validation(ValidationError::new(v)))
        }
    }
}

/// Reads a request body with `parse`: what it read, or the refusal the body
/// earned.
pub(crate) fn read<T>(body: &Value, parse: impl FnOnce(&Obj<'_>) -> T) -> Result<T, BodyError> {
    let log = Log::default();
    let out = parse(&Obj::root(body, &log));
    log.finish()?;
    Ok(out)
}

/// What [`read_all`] read.
#[derive(Debug)]
pub(crate) enum Reading<T> {
    /// A body with nothing to refuse before the operation runs.
    Clean(T),
    /// A body with absent members or bad enum values. The input holds
    /// placeholders (empty strings, empty structures, [`ABSENT`]) in their
    /// place, for the face's validation only.
    Invalid(T, Found),
}

/// The violations a body's reading found, and the members it read.
#[derive(Debug)]
pub(crate) struct Found {
    violations: Vec<Violation>,
    /// Member paths in reading order.
    read: Vec<String>,
}

/// Reads a request body with `parse`, as [`read`] does, except that a body
/// whose members are absent or out of their enums yields its input anyway,
/// with what it found; only a type error (`SerializationException`) is a
/// refusal.
pub(crate) fn read_all<T>(
    body: &Value,
    parse: impl Fn(&Obj<'_>) -> T,
) -> Result<Reading<T>, BodyError> {
    let log = Log::default();
    let out = parse(&Obj::root(body, &log));
    match log.finish() {
        Ok(()) => Ok(Reading::Clean(out)),
        Err(BodyError::Validation(_)) => {
            // Read again, noting each member read: a clean body, the usual
            // one, pays for no list of paths.
            let log = Log {
                read: Some(RefCell::default()),
                ..Log::default()
            };
            let input = parse(&Obj::root(body, &log));
            let found = Found {
                violations: log.violations.into_inner(),
                read: log.read.map(RefCell::into_inner).unwrap_or_default(),
            };
            Ok(Reading::Invalid(input, found))
        }
        Err(e) => Err(e),
    }
}

impl Found {
    /// One `ValidationException` of the body's violations and the face's
    /// (`face`, from its validation-only client), in the order their
    /// members were read; a face violation of a member the body reported
    /// absent, or of one inside it, only restates the absence and is left
    /// out.
    pub(crate) fn merge(self, face: Vec<Violation>) -> ValidationError {
        let restates = |v: &Violation| {
            self.violations
                .iter()
                .any(|b| is_within(v.member(), b.member()))
        };
        let face: Vec<Violation> = face.into_iter().filter(|v| !restates(v)).collect();
        let mut all = self.violations;
        all.extend(face);
        // Stable: the body's violation of a member comes before the face's,
        // and members never read (engine-only ones) keep their order, last.
        all.sort_by_cached_key(|v| {
            self.read
                .iter()
                .enumerate()
                .filter(|(_, r)| is_within(v.member(), r))
                .max_by_key(|(i, r)| (r.len(), std::cmp::Reverse(*i)))
                .map_or(usize::MAX, |(i, _)| i)
        });
        ValidationError::new(all)
    }
}

/// `true` when `path` is `member` or a path inside it.
fn is_within(path: &str, member: &str) -> bool {
    path.strip_prefix(member)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::Serialization(m) => write!(f, "SerializationException: {m}"),
            BodyError::Validation(v) => write!(f, "{}: {v}", v.code()),
        }
    }
}

/// One JSON object of a request, read member by member.
#[derive(Debug)]
pub(crate) struct Obj<'a> {
    /// `None` for an absent object: its members read as absent, and its
    /// required members are not reported again (AWS reports the object).
    map: Option<&'a Map<String, Value>>,
    /// The path of this object, ending in `.` (empty at the top).
    prefix: String,
    log: &'a Log,
}

impl<'a> Obj<'a> {
    /// The top-level object of a request body.
    pub(crate) fn root(v: &'a Value, log: &'a Log) -> Obj<'a> {
        let map = match v {
            Value::Object(m) => Some(m),
            _ => {
                log.type_error("", "a JSON object");
                None
            }
        };
        Obj {
            map,
            prefix: String::new(),
            log,
        }
    }

    fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The member, if present and not `null`.
    fn get(&self, key: &str) -> Option<&'a Value> {
        if let Some(read) = &self.log.read {
            read.borrow_mut().push(self.path(key));
        }
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// Records an absent required member, unless this object is absent.
    fn require(&self, key: &str) -> bool {
        if self.get(key).is_some() {
            return true;
        }
        if self.map.is_some() {
            self.log
                .violation(self.path(key), Shown::Null, Constraint::NotNull);
        }
        false
    }

    /// An optional string member.
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.log.type_error(&self.path(key), "a string");
                None
            }
        }
    }

    /// A required string member; absent reads as the empty string, and is
    /// reported.
    pub(crate) fn req_str(&self, key: &str) -> String {
        if self.require(key) {
            self.str(key).unwrap_or_default()
        } else {
            String::new()
        }
    }

    /// A required string member that only the wire carries (a decision
    /// task token), so the face cannot check it: its length in characters
    /// is checked here, when present.
    pub(crate) fn req_str_within(&self, key: &str, min: usize, max: usize) -> String {
        let present = self.get(key).is_some();
        let s = self.req_str(key);
        if let Some(c) = crate::names::len_violation(&s, min, max).filter(|_| present) {
            self.log
                .violation(self.path(key), Shown::Value(s.clone()), c);
        }
        s
    }

    /// An optional integer member that must fit an `i32`.
    pub(crate) fn i32(&self, key: &str) -> Option<i32> {
        let n = self.i64(key)?;
        match i32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                self.log.type_error(&self.path(key), "a 32-bit integer");
                None
            }
        }
    }

    /// An optional integer member.
    pub(crate) fn i64(&self, key: &str) -> Option<i64> {
        match self.get(key)?.as_i64() {
            Some(n) => Some(n),
            None => {
                self.log.type_error(&self.path(key), "an integer");
                None
            }
        }
    }

    /// An optional boolean member.
    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.log.type_error(&self.path(key), "a boolean");
                None
            }
        }
    }

    /// An optional structure member.
    pub(crate) fn obj(&self, key: &str) -> Option<Obj<'a>> {
        match self.get(key)? {
            Value::Object(m) => Some(self.child(Some(m), self.path(key))),
            _ => {
                self.log.type_error(&self.path(key), "a structure");
                None
            }
        }
    }

    /// A required structure member; absent reads as an empty structure
    /// whose own required members are not reported again.
    pub(crate) fn req_obj(&self, key: &str) -> Obj<'a> {
        if self.require(key) {
            if let Some(o) = self.obj(key) {
                return o;
            }
        }
        self.child(None, self.path(key))
    }

    fn child(&self, map: Option<&'a Map<String, Value>>, path: String) -> Obj<'a> {
        Obj {
            map,
            prefix: format!("{path}."),
            log: self.log,
        }
    }

    /// The elements of an optional list member (absent: none).
    fn items(&self, key: &str) -> &'a [Value] {
        match self.get(key) {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(_) => {
                self.log.type_error(&self.path(key), "a list");
                &[]
            }
        }
    }

    /// A list of structures, each read with the 1-based member path AWS
    /// writes: `tags.1.member.key`.
    pub(crate) fn objs(&self, key: &str) -> Vec<Obj<'a>> {
        let mut out = Vec::new();
        for (i, v) in self.items(key).iter().enumerate() {
            let path = format!("{}.{}.member", self.path(key), i + 1);
            match v {
                Value::Object(m) => out.push(self.child(Some(m), path)),
                _ => self.log.type_error(&path, "a structure"),
            }
        }
        out
    }

    /// A list of strings.
    pub(crate) fn strs(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, v) in self.items(key).iter().enumerate() {
            match v {
                Value::String(s) => out.push(s.clone()),
                _ => self
                    .log
                    .type_error(&format!("{}.{}.member", self.path(key), i + 1), "a string"),
            }
        }
        out
    }

    /// An optional enum member: one of `values`, else a violation.
    pub(crate) fn enumeration(&self, key: &str, values: &'static [&'static str]) -> Option<usize> {
        let s = self.str(key)?;
        let found = values.iter().position(|v| *v == s);
        if found.is_none() {
            self.log
                .violation(self.path(key), Shown::Value(s), Constraint::Enum(values));
        }
        found
    }

    /// A required enum member.
    pub(crate) fn req_enumeration(
        &self,
        key: &str,
        values: &'static [&'static str],
    ) -> Option<usize> {
        if self.require(key) {
            self.enumeration(key, values)
        } else {
            None
        }
    }
}

/// A response object under construction. Absent optional members are left
/// out.
#[derive(Debug, Default)]
pub(crate) struct Out(Map<String, Value>);

impl Out {
    pub(crate) fn new() -> Out {
        Out::default()
    }

    /// Sets a member.
    pub(crate) fn put(mut self, key: &str, v: impl Into<Value>) -> Out {
        self.0.insert(key.to_owned(), v.into());
        self
    }

    /// Sets a member when it has a value.
    pub(crate) fn opt<T: Into<Value>>(self, key: &str, v: Option<T>) -> Out {
        match v {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// Sets a list member when the list is not empty.
    pub(crate) fn list<T: Into<Value>>(self, key: &str, items: Vec<T>) -> Out {
        if items.is_empty() {
            self
        } else {
            self.put(key, items)
        }
    }
}

impl From<Out> for Value {
    fn from(o: Out) -> Value {
        Value::Object(o.0)
    }
}

/// The empty structure `{}`, whatever the output it stands for.
pub(crate) fn empty<T>(_: T) -> Value {
    Value::Object(Map::new())
}

/// A timestamp as the AWS JSON protocol writes it: epoch seconds, with the
/// milliseconds as the fraction (`1700000000.123`).
pub(crate) fn timestamp(t: SystemTime) -> Value {
    let millis: i128 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(e) => -(e.duration().as_millis() as i128),
    };
    // Whole seconds and milliseconds stay exact in an f64 for any date
    // within ±285,000 years of 1970.
    Value::from(millis as f64 / 1000.0)
}

/// An event id: a JSON integer.
pub(crate) fn event_id(id: EventId) -> Value {
    Value::from(id.get())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn timestamps_are_epoch_seconds_with_millis() {
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(timestamp(t).to_string(), "1700000000.123");
        let whole = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(timestamp(whole).to_string(), "1700000000.0");
    }

    #[test]
    fn reader_reports_missing_members_with_their_paths() {
        let v: Value = serde_json::from_str(r#"{"taskList": {}, "decisions": [{}]}"#).unwrap();
        let log = Log::default();
        let o = Obj::root(&v, &log);
        assert_eq!(o.req_str("domain"), "");
        assert_eq!(o.req_obj("taskList").req_str("name"), "");
        // An absent structure is reported once, not member by member.
        assert_eq!(o.req_obj("execution").req_str("workflowId"), "");
        let d = o.objs("decisions");
        assert_eq!(d.len(), 1);
        let _ = d[0].req_str("decisionType");
        let Err(BodyError::Validation(e)) = log.finish() else {
            panic!("expected a validation error")
        };
        let paths: Vec<&str> = e.violations().iter().map(|v| v.member()).collect();
        assert_eq!(
            paths,
            [
                "domain",
                "taskList.name",
                "execution",
                "decisions.1.member.decisionType"
            ]
        );
        assert!(e.to_string().starts_with(
            "4 validation errors detected: Value null at 'domain' failed to satisfy \
             constraint: Member must not be null; "
        ));
    }

    #[test]
    fn reader_reports_the_first_type_error() {
        let v: Value = serde_json::from_str(r#"{"domain": 5, "identity": []}"#).unwrap();
        let log = Log::default();
        let o = Obj::root(&v, &log);
        assert_eq!(o.req_str("domain"), "");
        assert_eq!(o.str("identity"), None);
        let Err(BodyError::Serialization(m)) = log.finish() else {
            panic!("expected a serialization error")
        };
        assert!(m.contains("'domain'"), "{m}");
    }

    #[test]
    fn writer_leaves_absent_members_out() {
        let v: Value = Out::new()
            .put("a", 1)
            .opt::<String>("b", None)
            .list::<String>("c", vec![])
            .into();
        assert_eq!(v.to_string(), r#"{"a":1}"#);
    }
}
