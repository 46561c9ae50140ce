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

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use super::types::{EncryptionConfiguration, Tag};
use crate::execution::Execution;
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
#[derive(Clone, Debug)]
pub(crate) struct ExecEntry {
    /// The core execution; dead once its retention has ended and the core
    /// freed it, which frees the name.
    pub(crate) exec: Weak<Execution>,
    pub(crate) activity_arn: String,
    pub(crate) timeout_seconds: Option<i64>,
    pub(crate) heartbeat_seconds: Option<i64>,
}

/// Executions by `<stateMachine>:<name>` (the core's workflow id).
///
/// Entries hold the execution weakly: the core's execution table owns it and
/// frees it when its retention ends. Dead entries are dropped when a lookup
/// finds one, and all at once whenever the map has doubled since the last
/// sweep, so the map stays within twice the live executions, amortized O(1).
#[derive(Debug, Default)]
pub(crate) struct Executions {
    by_name: HashMap<String, ExecEntry>,
    /// Sweep dead entries when the map reaches this size.
    sweep_at: usize,
}

impl Executions {
    /// The live execution of `key` and its entry.
    pub(crate) fn get(&mut self, key: &str) -> Option<(Arc<Execution>, &ExecEntry)> {
        let live = self.by_name.get(key).map(|e| e.exec.upgrade());
        match live {
            Some(Some(exec)) => self.by_name.get(key).map(|e| (exec, e)),
            Some(None) => {
                self.by_name.remove(key);
                None
            }
            None => None,
        }
    }

    /// Records a new execution under `key`.
    pub(crate) fn insert(&mut self, key: String, entry: ExecEntry) {
        if self.by_name.len() >= self.sweep_at {
            self.by_name.retain(|_, e| e.exec.strong_count() > 0);
            self.sweep_at = (self.by_name.len() * 2).max(1024);
        }
        self.by_name.insert(key, entry);
    }

    /// Forgets `key` if it still names `exec` (a start that was undone).
    pub(crate) fn remove_if(&mut self, key: &str, exec: &Arc<Execution>) {
        let ours = self
            .by_name
            .get(key)
            .is_some_and(|e| std::ptr::eq(e.exec.as_ptr(), Arc::as_ptr(exec)));
        if ours {
            self.by_name.remove(key);
        }
    }
}
