//! What SWF registers: domains, and their activity and workflow types.
//!
//! One read-mostly lock guards it all (readers on different cores do not
//! contend). Polls, heartbeats and responds do not take it: polls find
//! their domain in the shard they lock anyway (domains are replicated into
//! every shard as core namespaces), and heartbeats and responds need only
//! their token. Decisions and execution starts read it, then release it
//! before any execution or shard lock (lock order rule 1).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::types::{
    ActivityType, ActivityTypeConfiguration, RegistrationStatus, ResourceTag, WorkflowType,
    WorkflowTypeConfiguration,
};
use crate::sync::ReadMostly;

/// Domains a broker may hold, counting deprecated ones (AWS quota).
pub(crate) const MAX_DOMAINS: usize = 100;
/// Activity types (and, separately, workflow types) per domain.
pub(crate) const MAX_TYPES: usize = 10_000;
/// Tags per domain.
pub(crate) const MAX_TAGS: usize = 50;

/// The SWF registry of a broker.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub(crate) state: ReadMostly<State>,
}

/// Everything registered.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) domains: BTreeMap<String, Domain>,
}

/// A registered domain.
#[derive(Debug)]
pub(crate) struct Domain {
    pub(crate) description: Option<String>,
    /// As registered (`"NONE"`, `"0"`–`"90"`).
    pub(crate) retention_text: String,
    pub(crate) retention: Duration,
    pub(crate) status: RegistrationStatus,
    #[expect(
        dead_code,
        reason = "kept as registered; no tag operation reads it yet"
    )]
    pub(crate) tags: Vec<ResourceTag>,
    pub(crate) activity_types: BTreeMap<ActivityType, TypeEntry<ActivityTypeConfiguration>>,
    pub(crate) workflow_types: BTreeMap<WorkflowType, TypeEntry<WorkflowTypeConfiguration>>,
}

/// A registered type and its defaults.
#[derive(Clone, Debug)]
pub(crate) struct TypeEntry<C> {
    pub(crate) status: RegistrationStatus,
    pub(crate) description: Option<String>,
    pub(crate) creation: SystemTime,
    pub(crate) deprecation: Option<SystemTime>,
    pub(crate) config: C,
}

impl<C> TypeEntry<C> {
    pub(crate) fn new(description: Option<String>, creation: SystemTime, config: C) -> Self {
        TypeEntry {
            status: RegistrationStatus::Registered,
            description,
            creation,
            deprecation: None,
            config,
        }
    }
}
