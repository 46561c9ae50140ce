//! What Step Functions registers: activities, and executions by name.
//!
//! An activity is a core namespace of the Step Functions face, with one task
//! list (the empty name) in it: creating the activity opens the namespace in
//! every shard, deleting it closes the namespace. Polls, heartbeats and
//! `send_task_*` calls never take a registry lock: a poll finds its
//! activity in the shard it locks anyway, and a token finds its task.
//!
//! # Lock order
//!
//! Both locks here are rule 1 of [`crate::shard`]'s order (a facade's
//! registry lock), and never held together:
//!
//! * `activities` is held across `Core::open_namespace` (create) and
//!   `Core::close_namespace` (delete), which take shard locks and then
//!   execution locks. Holding it there is what makes create and delete of
//!   one name atomic with the namespace they open and close.
//! * `executions` is held across `Core::start_execution` (the execution
//!   table, rule 2), so that two starts of one name cannot both win; never
//!   across a shard lock.

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use super::types::{EncryptionConfiguration, Tag};
use crate::execution::Execution;
use crate::hash_index::HashIndex;
#[cfg(not(test))]
use crate::shard::FoldHasher;
use crate::sync::{Mutex, ReadMostly};

/// Activities a broker may hold (AWS's default quota).
pub(crate) const MAX_ACTIVITIES: usize = 10_000;
/// Tags per activity.
pub(crate) const MAX_TAGS: usize = 50;
/// How long a closed execution (its history, and its name) is kept.
pub(crate) const RETENTION: Duration = Duration::from_secs(90 * 86_400);

/// The Step Functions registry of a broker.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    /// Activities by name (name order is listing order). Lock order rule 1.
    pub(crate) activities: ReadMostly<BTreeMap<String, Activity>>,
    /// Executions by `<stateMachine>:<name>`. Lock order rule 1.
    pub(crate) executions: Mutex<Executions>,
}

/// A created activity.
#[derive(Clone, Debug)]
pub(crate) struct Activity {
    pub(crate) creation: SystemTime,
    /// As given, or the default (`AWS_OWNED_KEY`) when none was.
    pub(crate) encryption: EncryptionConfiguration,
    /// As given at creation; kept, never read back (AWS lists them with
    /// `ListTagsForResource`, which this engine does not have).
    #[expect(
        dead_code,
        reason = "recorded as AWS records them; no operation reads tags yet"
    )]
    pub(crate) tags: Vec<Tag>,
}

/// What a started execution was asked to do, to tell an idempotent repeat
/// of `StartExecution` from a conflicting one.
///
/// One is kept per execution for 90 days, so it is kept small: 32 bytes,
/// the activity ARN shared ([`Executions::arn`]).
#[derive(Clone, Debug)]
pub(crate) struct ExecEntry {
    /// The core execution; dead once its retention has ended and the core
    /// freed it, which frees the name.
    pub(crate) exec: Weak<Execution>,
    activity_arn: Arc<str>,
    /// `TimeoutSeconds` and `HeartbeatSeconds` as given ([`seconds`]).
    timeout_seconds: u32,
    heartbeat_seconds: u32,
}

/// An optional `TimeoutSeconds` or `HeartbeatSeconds` in 32 bits: 0 when
/// absent. Both are validated (1 to 99,999,999) before an entry is made or
/// compared, so this tells every two valid values apart.
fn seconds(s: Option<i64>) -> u32 {
    s.map_or(0, |s| u32::try_from(s).unwrap_or(u32::MAX))
}

impl ExecEntry {
    pub(crate) fn new(
        exec: Weak<Execution>,
        activity_arn: Arc<str>,
        timeout_seconds: Option<i64>,
        heartbeat_seconds: Option<i64>,
    ) -> ExecEntry {
        ExecEntry {
            exec,
            activity_arn,
            timeout_seconds: seconds(timeout_seconds),
            heartbeat_seconds: seconds(heartbeat_seconds),
        }
    }

    /// Whether a repeated start asks for the same task.
    pub(crate) fn same_task(
        &self,
        activity_arn: &str,
        timeout_seconds: Option<i64>,
        heartbeat_seconds: Option<i64>,
    ) -> bool {
        *self.activity_arn == *activity_arn
            && self.timeout_seconds == seconds(timeout_seconds)
            && self.heartbeat_seconds == seconds(heartbeat_seconds)
    }
}

/// Executions by `<stateMachine>:<name>` (the core's workflow id).
///
/// Entries hold the execution weakly: the core's execution table owns it and
/// frees it when its retention ends. Dead entries are dropped when a lookup
/// finds one, and all at once whenever the map has doubled since the last
/// sweep, so the map stays within twice the live executions, amortized O(1).
///
/// Keyed by the hash of the name, told apart by the execution's own name:
/// every execution is kept 90 days, so this map holds hundreds of thousands
/// of them; an owned name per key cost an allocation, a SipHash and, when
/// the map grew, a read of every name to rehash it.
#[derive(Debug, Default)]
pub(crate) struct Executions {
    by_name: HashIndex<ExecEntry>,
    /// Entries filed, dead ones included until the next sweep.
    filed: usize,
    /// Sweep dead entries when `filed` reaches this.
    sweep_at: usize,
    /// The activity ARN of the latest entry. Executions mostly name one
    /// activity over and over (a state machine's Task state): they share
    /// one copy instead of keeping one each.
    last_arn: Option<Arc<str>>,
}

#[cfg(not(test))]
fn name_hash(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = FoldHasher::default();
    h.write(name.as_bytes());
    h.finish()
}

/// Unit tests collide on purpose (names of one length share a hash), so
/// names sharing a hash are exercised.
#[cfg(test)]
fn name_hash(name: &str) -> u64 {
    name.len() as u64
}

impl Executions {
    /// The live execution of `key` and its entry.
    pub(crate) fn get(&self, key: &str) -> Option<(Arc<Execution>, &ExecEntry)> {
        let e = self.by_name.find(name_hash(key), |e| {
            e.exec.upgrade().is_some_and(|x| x.workflow_id == key)
        })?;
        Some((e.exec.upgrade()?, e))
    }

    /// Records a new execution under `key`, which [`get`](Executions::get)
    /// has just found free. Entries of freed executions are swept once the
    /// index has doubled since the last sweep.
    pub(crate) fn insert(&mut self, key: &str, entry: ExecEntry) {
        if self.filed >= self.sweep_at {
            self.by_name.retain(|e| e.exec.strong_count() > 0);
            self.filed = self.by_name.values().count();
            self.sweep_at = (self.filed * 2).max(1024);
        }
        self.by_name.insert(name_hash(key), entry);
        self.filed += 1;
    }

    /// `activity_arn`, shared with the latest entry's if it is the same.
    pub(crate) fn arn(&mut self, activity_arn: &str) -> Arc<str> {
        match &self.last_arn {
            Some(last) if **last == *activity_arn => Arc::clone(last),
            _ => {
                let arn: Arc<str> = Arc::from(activity_arn);
                self.last_arn = Some(Arc::clone(&arn));
                arn
            }
        }
    }

    /// Forgets `key` if it still names `exec` (a start that was undone).
    pub(crate) fn remove_if(&mut self, key: &str, exec: &Arc<Execution>) {
        self.by_name.remove(name_hash(key), |e| {
            std::ptr::eq(e.exec.as_ptr(), Arc::as_ptr(exec))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Tick;
    use crate::execution::{ExecState, FollowUp};
    use crate::history::HistoryPool;
    use crate::token::Face;

    fn exec(id: u64, name: &str) -> Arc<Execution> {
        let (tx, _rx) = crossbeam_channel::unbounded();
        let pool = Arc::new(HistoryPool::default());
        Arc::new(Execution {
            id,
            face: Face::Sfn,
            namespace: "a".to_owned(),
            workflow_id: name.to_owned(),
            run_id: String::new(),
            retention: None,
            follow_up: FollowUp::CloseExecution,
            state: Mutex::new(ExecState::new(id, Tick(0), tx, &pool)),
        })
    }

    fn entry(e: &Arc<Execution>) -> ExecEntry {
        ExecEntry::new(Arc::downgrade(e), Arc::from(""), None, None)
    }

    #[test]
    fn an_entry_tells_tasks_apart() {
        let mut x = Executions::default();
        let e = exec(1, "m:a");
        let arn = x.arn("arn:a");
        assert!(Arc::ptr_eq(&arn, &x.arn("arn:a")), "shared");
        let entry = ExecEntry::new(Arc::downgrade(&e), arn, Some(60), None);
        assert!(entry.same_task("arn:a", Some(60), None));
        assert!(!entry.same_task("arn:b", Some(60), None));
        assert!(!entry.same_task("arn:a", None, None));
        assert!(!entry.same_task("arn:a", Some(61), None));
        assert!(!entry.same_task("arn:a", Some(60), Some(1)));
        let other = x.arn("arn:b");
        assert_eq!(&*other, "arn:b");
        assert_eq!(std::mem::size_of::<ExecEntry>(), 32);
    }

    fn found(x: &mut Executions, name: &str) -> Option<u64> {
        x.get(name).map(|(e, _)| e.id)
    }

    #[test]
    fn names_sharing_a_hash_are_told_apart() {
        let mut x = Executions::default();
        // Names of one length share a hash in unit tests.
        let (a, b, c) = (exec(1, "m:a"), exec(2, "m:b"), exec(3, "m:c"));
        for (e, name) in [(&a, "m:a"), (&b, "m:b"), (&c, "m:c")] {
            assert_eq!(found(&mut x, name), None);
            x.insert(name, entry(e));
        }
        assert_eq!(x.by_name.values().count(), 3);
        assert_eq!(found(&mut x, "m:a"), Some(1));
        assert_eq!(found(&mut x, "m:b"), Some(2));
        assert_eq!(found(&mut x, "m:c"), Some(3));
        assert_eq!(found(&mut x, "m:d"), None);

        // An undone start frees its name only if the name is still its own.
        x.remove_if("m:b", &a);
        assert_eq!(found(&mut x, "m:b"), Some(2));
        x.remove_if("m:b", &b);
        assert_eq!(found(&mut x, "m:b"), None);

        // A freed execution frees its name, wherever its entry was.
        drop(a);
        assert_eq!(found(&mut x, "m:a"), None);
        drop(c);
        assert_eq!(found(&mut x, "m:c"), None);
        // The sweep drops the dead entries.
        x.sweep_at = 0;
        let d = exec(5, "m:d");
        x.insert("m:d", entry(&d));
        assert_eq!(x.by_name.values().count(), 1);
        assert_eq!(found(&mut x, "m:d"), Some(5));

        // The name can be taken again.
        let a2 = exec(4, "m:a");
        x.insert("m:a", entry(&a2));
        assert_eq!(found(&mut x, "m:a"), Some(4));
    }
}
