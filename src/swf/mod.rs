//! The Amazon SWF face: domains, types, executions and activity tasks.
//!
//! [`Client`] mirrors the AWS operations in snake_case, each taking an
//! `<Operation>Input` and returning `Result<<Operation>Output, Error>`. Every
//! input is validated in full before any state is touched
//! (`../shared/AWS-API.md` A0), so an error changes nothing.
//!
//! # Examples
//!
//! ```
//! use activity_broker::swf::*;
//! use activity_broker::{Broker, ManualClock};
//!
//! let clock = ManualClock::new();
//! let swf = Broker::builder().clock(clock.clone()).seed(1).build()?.swf();
//! swf.register_domain(RegisterDomainInput {
//!     name: "shop".into(),
//!     workflow_execution_retention_period_in_days: "1".into(),
//!     ..Default::default()
//! })?;
//! swf.register_activity_type(RegisterActivityTypeInput {
//!     domain: "shop".into(),
//!     name: "ship".into(),
//!     version: "1".into(),
//!     default_task_list: Some(TaskList::new("shipping")),
//!     default_task_schedule_to_start_timeout: Some("NONE".into()),
//!     default_task_schedule_to_close_timeout: Some("NONE".into()),
//!     default_task_start_to_close_timeout: Some("300".into()),
//!     default_task_heartbeat_timeout: Some("NONE".into()),
//!     ..Default::default()
//! })?;
//! swf.register_workflow_type(RegisterWorkflowTypeInput {
//!     domain: "shop".into(),
//!     name: "order".into(),
//!     version: "1".into(),
//!     default_task_list: Some(TaskList::new("deciders")),
//!     default_execution_start_to_close_timeout: Some("3600".into()),
//!     default_task_start_to_close_timeout: Some("60".into()),
//!     default_child_policy: Some(ChildPolicy::Terminate),
//!     ..Default::default()
//! })?;
//! let run = swf.start_workflow_execution(StartWorkflowExecutionInput {
//!     domain: "shop".into(),
//!     workflow_id: "order-1".into(),
//!     workflow_type: WorkflowType::new("order", "1"),
//!     ..Default::default()
//! })?;
//! let execution = WorkflowExecution::new("order-1", run.run_id);
//! swf.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
//!     domain: "shop".into(),
//!     execution: execution.clone(),
//!     decisions: vec![Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
//!         activity_type: ActivityType::new("ship", "1"),
//!         activity_id: "ship-1".into(),
//!         input: Some("parcel 7".into()),
//!         ..Default::default()
//!     })],
//!     ..Default::default()
//! })?;
//! let task = swf.poll_for_activity_task(PollForActivityTaskInput {
//!     domain: "shop".into(),
//!     task_list: TaskList::new("shipping"),
//!     identity: Some("worker-1".into()),
//! })?;
//! assert_eq!(task.input.as_deref(), Some("parcel 7"));
//! swf.respond_activity_task_completed(RespondActivityTaskCompletedInput {
//!     task_token: task.task_token,
//!     result: Some("shipped".into()),
//! })?;
//! let history = swf.get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
//!     domain: "shop".into(),
//!     execution,
//!     ..Default::default()
//! })?;
//! let types: Vec<&str> = history.events.iter().map(|e| e.event_type.as_str()).collect();
//! assert_eq!(types, [
//!     "WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted",
//!     "DecisionTaskCompleted", "ActivityTaskScheduled", "ActivityTaskStarted",
//!     "ActivityTaskCompleted", "DecisionTaskScheduled",
//! ]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod event;
mod policy;
mod registry;
mod render;
mod types;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::broker::{Core, CoreDecision, DecisionTaskDone};
use crate::clock::Wait;
use crate::execution::{Execution, FollowUp};
use crate::history::{
    ExecutionClose, ExecutionStart, NextDecisionTasks, ScheduleFailure, TaskRequest, Timeout,
    Timeouts,
};
use crate::names::{Checker, ListPath, NameKind};
use crate::page::{self, Listing};
use crate::shard::{ListId, Outcome};
use crate::token::Face;
use crate::validation::Constraint;
use crate::waiter::PollCancel;

pub use error::Error;
pub use event::{
    ActivityTaskScheduledEventAttributes, EventAttributes, EventType, HistoryEvent,
    WorkflowExecutionStartedEventAttributes,
};
pub use policy::{Effect, Policy, Statement, TaskListCondition};
pub(crate) use registry::Registry;
use registry::{Domain, MAX_DOMAINS, MAX_TAGS, MAX_TYPES, TypeEntry};
pub use types::*;

/// The longest execution timeout SWF allows: one year.
const MAX_EXECUTION_TIMEOUT: Duration = Duration::from_secs(365 * 86_400);

/// A handle on the SWF face of a [`Broker`](crate::Broker).
///
/// `Clone + Send + Sync`; clones share the engine.
///
/// # Examples
///
/// See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    core: Arc<Core>,
    reg: Arc<Registry>,
    /// `None`: every call is permitted (an unscoped client).
    policy: Option<Arc<Policy>>,
    /// Operations check their input and stop ([`Client::validator`]).
    validate_only: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("swf::Client")
            .field("core", &self.core)
            .finish()
    }
}

fn unknown(what: impl fmt::Display) -> Error {
    Error::UnknownResourceFault(format!("unknown {what}"))
}

fn page_size(c: &mut Checker, member: &str, size: Option<i32>) -> usize {
    match size {
        Some(n) => {
            c.range(member, i64::from(n), 0, 1000);
            if n <= 0 { 1000 } else { n as usize }
        }
        None => 1000,
    }
}

fn page_offset(c: &mut Checker, listing: Listing, token: Option<&str>) -> u64 {
    match token {
        None => 0,
        Some(t) => {
            let before = c.violation_count();
            c.len("nextPageToken", t, 0, 2048);
            match page::decode(listing, t) {
                Some(cursor) => cursor.offset,
                None => {
                    // One violation per member: none if its length failed.
                    if c.violation_count() == before {
                        c.fail("nextPageToken", t, Constraint::PageToken);
                    }
                    0
                }
            }
        }
    }
}

impl Client {
    pub(crate) fn new(core: Arc<Core>, reg: Arc<Registry>) -> Client {
        Client {
            core,
            reg,
            policy: None,
            validate_only: false,
        }
    }

    /// A client of the same engine whose operations only validate: each
    /// checks its input as usual and stops there, answering `Validation`
    /// with the violations it found, none for a valid input, before any
    /// authorization, lock or change. The wire layer asks it what the face
    /// would refuse in a request the body's reading already refuses, to
    /// report both in one `ValidationException` (AWS-API.md A0.2).
    #[cfg(feature = "json")]
    pub(crate) fn validator(&self) -> Client {
        Client {
            validate_only: true,
            ..self.clone()
        }
    }

    /// A client of the same engine whose calls are checked against
    /// `policy`, as IAM checks SWF calls: a call outside it fails with
    /// `OperationNotPermittedFault` and changes nothing, and a decision
    /// outside it is recorded as failed with cause `OPERATION_NOT_PERMITTED`.
    ///
    /// # Examples
    ///
    /// See [`Policy`].
    pub fn scoped(&self, policy: Policy) -> Client {
        Client {
            core: Arc::clone(&self.core),
            reg: Arc::clone(&self.reg),
            policy: Some(Arc::new(policy)),
            validate_only: self.validate_only,
        }
    }

    /// The policy of a [`scoped`](Client::scoped) client.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_deref()
    }

    fn permits(&self, action: &str, domain: Option<&str>, task_list: Option<&str>) -> bool {
        self.policy
            .as_ref()
            .is_none_or(|p| p.permits(action, domain, task_list))
    }

    fn authorize(
        &self,
        action: &str,
        domain: Option<&str>,
        task_list: Option<&str>,
    ) -> Result<(), Error> {
        if self.permits(action, domain, task_list) {
            return Ok(());
        }
        let resource = match domain {
            Some(d) => format!(
                "arn:aws:swf:{}:{}:/domain/{d}",
                self.core.config.region, self.core.config.account
            ),
            None => "*".to_owned(),
        };
        Err(Error::OperationNotPermittedFault(policy::refusal(
            action, resource,
        )))
    }

    /// Turns a decision outside the policy into its `OPERATION_NOT_PERMITTED`
    /// failure, as SWF records it.
    fn authorize_decision(&self, domain: &str, d: CoreDecision) -> CoreDecision {
        match d {
            CoreDecision::Schedule { spec }
                if !self.permits(
                    "swf:ScheduleActivityTask",
                    Some(domain),
                    Some(&spec.task_list),
                ) =>
            {
                CoreDecision::ScheduleFailed {
                    activity_id: spec.activity_id,
                    type_name: spec.type_name,
                    type_version: spec.type_version,
                    cause: ScheduleFailure::NotPermitted,
                }
            }
            CoreDecision::Cancel { activity_id }
                if !self.permits("swf:RequestCancelActivityTask", Some(domain), None) =>
            {
                CoreDecision::CancelFailed {
                    activity_id,
                    cause: crate::history::CancelFailure::NotPermitted,
                }
            }
            d => d,
        }
    }

    /// Authorizes a call that names its task by token: the resource is the
    /// task's domain, read without changing anything.
    fn authorize_task(&self, action: &str, token: &str) -> Result<(), Error> {
        if self.policy.is_none() {
            return Ok(());
        }
        let domain = self
            .core
            .task_namespace(Face::Swf, token)
            .map_err(error::from_core)?;
        self.authorize(action, Some(&domain), None)
    }

    fn checker(&self) -> Checker {
        Checker::new(self.core.config.arn_rule).dry_run(self.validate_only)
    }

    fn wall(&self) -> std::time::SystemTime {
        self.core.clock.now_wall()
    }

    fn live(&self) -> Result<(), Error> {
        if self.core.is_shut_down() {
            Err(error::from_core(crate::error::CoreError::ShutDown))
        } else {
            Ok(())
        }
    }

    /// The current instant on the engine's clock; deadlines passed to
    /// [`poll_for_activity_task_deadline`](Client::poll_for_activity_task_deadline)
    /// are instants on it.
    pub fn now(&self) -> Instant {
        self.core.clock.now()
    }

    // ----- domains ----------------------------------------------------------

    /// `RegisterDomain`: registers a domain.
    ///
    /// # Errors
    ///
    /// `DomainAlreadyExistsFault` if the name is taken (registered or
    /// deprecated); `LimitExceededFault` at 100 domains; `TooManyTagsFault`
    /// past 50 tags; `Validation` for a bad member.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::swf::{Error, RegisterDomainInput};
    /// let swf = activity_broker::Broker::new().swf();
    /// let input = RegisterDomainInput {
    ///     name: "d".into(),
    ///     workflow_execution_retention_period_in_days: "NONE".into(),
    ///     ..Default::default()
    /// };
    /// swf.register_domain(input.clone())?;
    /// assert!(matches!(swf.register_domain(input), Err(Error::DomainAlreadyExistsFault(_))));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn register_domain(
        &self,
        input: RegisterDomainInput,
    ) -> Result<RegisterDomainOutput, Error> {
        let mut c = self.checker();
        c.name("name", &input.name, 256, NameKind::Edged);
        c.opt_len("description", input.description.as_deref(), 0, 1024);
        let retention = retention_days(&mut c, &input.workflow_execution_retention_period_in_days);
        for (i, tag) in input.tags.iter().enumerate() {
            let p = |rest| ListPath {
                list: "tags",
                index: i + 1,
                rest,
            };
            c.tag(p("key"), &tag.key, 1, 128);
            if let Some(v) = &tag.value {
                c.tag(p("value"), v, 0, 256);
            }
        }
        c.finish()?;
        self.authorize("swf:RegisterDomain", Some(&input.name), None)?;
        self.live()?;
        if input.tags.len() > MAX_TAGS {
            return Err(Error::TooManyTagsFault(format!(
                "a domain may have at most {MAX_TAGS} tags"
            )));
        }
        let mut st = self.reg.state.write();
        if st.domains.contains_key(&input.name) {
            return Err(Error::DomainAlreadyExistsFault(input.name));
        }
        if st.domains.len() >= MAX_DOMAINS {
            return Err(Error::LimitExceededFault(format!(
                "at most {MAX_DOMAINS} domains may be registered"
            )));
        }
        self.core.open_namespace(Face::Swf, &input.name);
        st.domains.insert(
            input.name,
            Domain {
                description: input.description,
                retention_text: input.workflow_execution_retention_period_in_days,
                retention: retention.unwrap_or_default(),
                status: RegistrationStatus::Registered,
                tags: input.tags,
                activity_types: Default::default(),
                workflow_types: Default::default(),
            },
        );
        Ok(RegisterDomainOutput {})
    }

    fn set_domain_status(&self, name: &str, to: RegistrationStatus) -> Result<(), Error> {
        let mut c = self.checker();
        c.len("name", name, 1, 256);
        c.finish()?;
        self.authorize(
            if to == RegistrationStatus::Deprecated {
                "swf:DeprecateDomain"
            } else {
                "swf:UndeprecateDomain"
            },
            Some(name),
            None,
        )?;
        self.live()?;
        let mut st = self.reg.state.write();
        let d = st
            .domains
            .get_mut(name)
            .ok_or_else(|| unknown(format!("domain: {name}")))?;
        match (d.status, to) {
            (RegistrationStatus::Deprecated, RegistrationStatus::Deprecated) => Err(
                Error::DomainDeprecatedFault(format!("domain already deprecated: {name}")),
            ),
            (RegistrationStatus::Registered, RegistrationStatus::Registered) => Err(
                Error::DomainAlreadyExistsFault(format!("domain is registered: {name}")),
            ),
            _ => {
                d.status = to;
                Ok(())
            }
        }
    }

    /// `DeprecateDomain`: no new executions or types in the domain; polls
    /// and open executions go on.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `DomainDeprecatedFault` if already deprecated,
    /// `Validation`.
    pub fn deprecate_domain(
        &self,
        input: DeprecateDomainInput,
    ) -> Result<DeprecateDomainOutput, Error> {
        self.set_domain_status(&input.name, RegistrationStatus::Deprecated)
            .map(|()| DeprecateDomainOutput {})
    }

    /// `UndeprecateDomain`.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `DomainAlreadyExistsFault` if it is
    /// registered, `Validation`.
    pub fn undeprecate_domain(
        &self,
        input: UndeprecateDomainInput,
    ) -> Result<UndeprecateDomainOutput, Error> {
        self.set_domain_status(&input.name, RegistrationStatus::Registered)
            .map(|()| UndeprecateDomainOutput {})
    }

    fn domain_info(&self, name: &str, d: &Domain) -> DomainInfo {
        DomainInfo {
            name: name.to_owned(),
            status: d.status,
            description: d.description.clone(),
            arn: format!(
                "arn:aws:swf:{}:{}:/domain/{name}",
                self.core.config.region, self.core.config.account
            ),
        }
    }

    /// `DescribeDomain`.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation`.
    pub fn describe_domain(
        &self,
        input: DescribeDomainInput,
    ) -> Result<DescribeDomainOutput, Error> {
        let mut c = self.checker();
        c.len("name", &input.name, 1, 256);
        c.finish()?;
        self.authorize("swf:DescribeDomain", Some(&input.name), None)?;
        let st = self.reg.state.read();
        let d = st
            .domains
            .get(&input.name)
            .ok_or_else(|| unknown(format!("domain: {}", input.name)))?;
        Ok(DescribeDomainOutput {
            domain_info: self.domain_info(&input.name, d),
            configuration: DomainConfiguration {
                workflow_execution_retention_period_in_days: d.retention_text.clone(),
            },
        })
    }

    /// `ListDomains`: domains of one status, by name, paginated.
    ///
    /// # Errors
    ///
    /// `Validation` for a page size outside 0–1000 or a page token this
    /// engine did not issue.
    pub fn list_domains(&self, input: ListDomainsInput) -> Result<ListDomainsOutput, Error> {
        let mut c = self.checker();
        // `nextPageToken` comes first among the members: its violation too.
        let offset = page_offset(&mut c, Listing::Domains, input.next_page_token.as_deref());
        let size = page_size(&mut c, "maximumPageSize", input.maximum_page_size);
        c.finish()?;
        self.authorize("swf:ListDomains", None, None)?;
        let st = self.reg.state.read();
        let mut all: Vec<DomainInfo> = st
            .domains
            .iter()
            .filter(|(_, d)| d.status == input.registration_status)
            .map(|(n, d)| self.domain_info(n, d))
            .collect();
        if input.reverse_order {
            all.reverse();
        }
        let (domain_infos, next_page_token) =
            page::page(&all, offset, size, Listing::Domains, self.core.clock.tick());
        Ok(ListDomainsOutput {
            domain_infos,
            next_page_token,
        })
    }

    // ----- activity types ---------------------------------------------------

    /// `RegisterActivityType`: registers a type and its defaults, which
    /// never change afterwards.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` for an unknown domain, `DomainDeprecatedFault`
    /// for a deprecated one, `TypeAlreadyExistsFault`, `LimitExceededFault`
    /// at 10,000 types, `Validation`.
    pub fn register_activity_type(
        &self,
        input: RegisterActivityTypeInput,
    ) -> Result<RegisterActivityTypeOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.name("name", &input.name, 256, NameKind::Plain);
        c.name("version", &input.version, 64, NameKind::Plain);
        c.opt_len("description", input.description.as_deref(), 0, 1024);
        c.opt_duration(
            "defaultTaskStartToCloseTimeout",
            input.default_task_start_to_close_timeout.as_deref(),
        );
        c.opt_duration(
            "defaultTaskHeartbeatTimeout",
            input.default_task_heartbeat_timeout.as_deref(),
        );
        if let Some(tl) = &input.default_task_list {
            c.name("defaultTaskList.name", &tl.name, 256, NameKind::Edged);
        }
        c.opt_priority(
            "defaultTaskPriority",
            input.default_task_priority.as_deref(),
        );
        c.opt_duration(
            "defaultTaskScheduleToStartTimeout",
            input.default_task_schedule_to_start_timeout.as_deref(),
        );
        c.opt_duration(
            "defaultTaskScheduleToCloseTimeout",
            input.default_task_schedule_to_close_timeout.as_deref(),
        );
        c.finish()?;
        self.authorize(
            "swf:RegisterActivityType",
            Some(&input.domain),
            input.default_task_list.as_ref().map(|t| t.name.as_str()),
        )?;
        self.live()?;
        let now = self.wall();
        let mut st = self.reg.state.write();
        let d = writable_domain(&mut st.domains, &input.domain)?;
        let key = ActivityType::new(input.name, input.version);
        if d.activity_types.contains_key(&key) {
            return Err(Error::TypeAlreadyExistsFault(format!(
                "activity type exists: [{}, {}]",
                key.name, key.version
            )));
        }
        if d.activity_types.len() >= MAX_TYPES {
            return Err(Error::LimitExceededFault(format!(
                "at most {MAX_TYPES} activity types per domain"
            )));
        }
        let config = ActivityTypeConfiguration {
            default_task_start_to_close_timeout: input.default_task_start_to_close_timeout,
            default_task_heartbeat_timeout: input.default_task_heartbeat_timeout,
            default_task_list: input.default_task_list,
            default_task_priority: input.default_task_priority,
            default_task_schedule_to_start_timeout: input.default_task_schedule_to_start_timeout,
            default_task_schedule_to_close_timeout: input.default_task_schedule_to_close_timeout,
        };
        d.activity_types
            .insert(key, TypeEntry::new(input.description, now, config));
        Ok(RegisterActivityTypeOutput {})
    }

    fn check_type_ref(
        &self,
        action: &str,
        domain: &str,
        name: &str,
        version: &str,
        path: &str,
    ) -> Result<(), Error> {
        let mut c = self.checker();
        c.len("domain", domain, 1, 256);
        if name.is_empty() || name.len() > 256 {
            c.len(format_args!("{path}.name"), name, 1, 256);
        }
        if version.is_empty() || version.len() > 64 {
            c.len(format_args!("{path}.version"), version, 1, 64);
        }
        c.finish()?;
        self.authorize(action, Some(domain), None)
    }

    /// `DeprecateActivityType`: no new tasks of the type; tasks scheduled
    /// before keep running.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `TypeDeprecatedFault` if already deprecated,
    /// `Validation`.
    pub fn deprecate_activity_type(
        &self,
        input: DeprecateActivityTypeInput,
    ) -> Result<EmptyOutput, Error> {
        let t = &input.activity_type;
        self.check_type_ref(
            "swf:DeprecateActivityType",
            &input.domain,
            &t.name,
            &t.version,
            "activityType",
        )?;
        self.live()?;
        let now = self.wall();
        let mut st = self.reg.state.write();
        let entry = activity_entry(&mut st.domains, &input.domain, t)?;
        if entry.status == RegistrationStatus::Deprecated {
            return Err(Error::TypeDeprecatedFault(format!(
                "activity type already deprecated: [{}, {}]",
                t.name, t.version
            )));
        }
        entry.status = RegistrationStatus::Deprecated;
        entry.deprecation = Some(now);
        Ok(EmptyOutput {})
    }

    /// `UndeprecateActivityType`.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `TypeAlreadyExistsFault` if it is registered,
    /// `Validation`.
    pub fn undeprecate_activity_type(
        &self,
        input: UndeprecateActivityTypeInput,
    ) -> Result<EmptyOutput, Error> {
        let t = &input.activity_type;
        self.check_type_ref(
            "swf:UndeprecateActivityType",
            &input.domain,
            &t.name,
            &t.version,
            "activityType",
        )?;
        self.live()?;
        let mut st = self.reg.state.write();
        let entry = activity_entry(&mut st.domains, &input.domain, t)?;
        if entry.status == RegistrationStatus::Registered {
            return Err(Error::TypeAlreadyExistsFault(format!(
                "activity type is registered: [{}, {}]",
                t.name, t.version
            )));
        }
        entry.status = RegistrationStatus::Registered;
        entry.deprecation = None;
        Ok(EmptyOutput {})
    }

    /// `DeleteActivityType`: the type must be deprecated first. Tasks already
    /// scheduled keep running.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `TypeNotDeprecatedFault`, `Validation`.
    pub fn delete_activity_type(
        &self,
        input: DeleteActivityTypeInput,
    ) -> Result<EmptyOutput, Error> {
        let t = &input.activity_type;
        self.check_type_ref(
            "swf:DeleteActivityType",
            &input.domain,
            &t.name,
            &t.version,
            "activityType",
        )?;
        self.live()?;
        let mut st = self.reg.state.write();
        let entry = activity_entry(&mut st.domains, &input.domain, t)?;
        if entry.status != RegistrationStatus::Deprecated {
            return Err(Error::TypeNotDeprecatedFault(format!(
                "activity type is not deprecated: [{}, {}]",
                t.name, t.version
            )));
        }
        if let Some(d) = st.domains.get_mut(&input.domain) {
            d.activity_types.remove(t);
        }
        Ok(EmptyOutput {})
    }

    /// `DescribeActivityType`: status, dates and registered defaults.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation`.
    pub fn describe_activity_type(
        &self,
        input: DescribeActivityTypeInput,
    ) -> Result<DescribeActivityTypeOutput, Error> {
        let t = &input.activity_type;
        self.check_type_ref(
            "swf:DescribeActivityType",
            &input.domain,
            &t.name,
            &t.version,
            "activityType",
        )?;
        let st = self.reg.state.read();
        let d = st
            .domains
            .get(&input.domain)
            .ok_or_else(|| unknown(format!("domain: {}", input.domain)))?;
        let e = d.activity_types.get(t).ok_or_else(|| {
            unknown(format!(
                "type: ActivityType=[name={}, version={}]",
                t.name, t.version
            ))
        })?;
        Ok(DescribeActivityTypeOutput {
            type_info: activity_info(t, e),
            configuration: e.config.clone(),
        })
    }

    /// `ListActivityTypes`: types of one status, by (name, version),
    /// paginated.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` for an unknown domain, `Validation`.
    pub fn list_activity_types(
        &self,
        input: ListActivityTypesInput,
    ) -> Result<ListActivityTypesOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.opt_len("name", input.name.as_deref(), 1, 256);
        // `nextPageToken` comes first among the members: its violation too.
        let offset = page_offset(
            &mut c,
            Listing::ActivityTypes,
            input.next_page_token.as_deref(),
        );
        let size = page_size(&mut c, "maximumPageSize", input.maximum_page_size);
        c.finish()?;
        self.authorize("swf:ListActivityTypes", Some(&input.domain), None)?;
        let st = self.reg.state.read();
        let d = st
            .domains
            .get(&input.domain)
            .ok_or_else(|| unknown(format!("domain: {}", input.domain)))?;
        let mut all: Vec<ActivityTypeInfo> = d
            .activity_types
            .iter()
            .filter(|(t, e)| {
                e.status == input.registration_status
                    && input.name.as_ref().is_none_or(|n| *n == t.name)
            })
            .map(|(t, e)| activity_info(t, e))
            .collect();
        if input.reverse_order {
            all.reverse();
        }
        let (type_infos, next_page_token) = page::page(
            &all,
            offset,
            size,
            Listing::ActivityTypes,
            self.core.clock.tick(),
        );
        Ok(ListActivityTypesOutput {
            type_infos,
            next_page_token,
        })
    }

    // ----- workflow types ---------------------------------------------------

    /// `RegisterWorkflowType`: registers a workflow type and the defaults
    /// its executions start with.
    ///
    /// # Errors
    ///
    /// As [`register_activity_type`](Client::register_activity_type).
    pub fn register_workflow_type(
        &self,
        input: RegisterWorkflowTypeInput,
    ) -> Result<EmptyOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.name("name", &input.name, 256, NameKind::Plain);
        c.name("version", &input.version, 64, NameKind::Plain);
        c.opt_len("description", input.description.as_deref(), 0, 1024);
        c.opt_duration(
            "defaultTaskStartToCloseTimeout",
            input.default_task_start_to_close_timeout.as_deref(),
        );
        if let Some(t) = input.default_execution_start_to_close_timeout.as_deref() {
            execution_timeout(&mut c, "defaultExecutionStartToCloseTimeout", t);
        }
        if let Some(tl) = &input.default_task_list {
            c.name("defaultTaskList.name", &tl.name, 256, NameKind::Edged);
        }
        c.opt_priority(
            "defaultTaskPriority",
            input.default_task_priority.as_deref(),
        );
        c.opt_len(
            "defaultLambdaRole",
            input.default_lambda_role.as_deref(),
            1,
            1600,
        );
        c.finish()?;
        self.authorize(
            "swf:RegisterWorkflowType",
            Some(&input.domain),
            input.default_task_list.as_ref().map(|t| t.name.as_str()),
        )?;
        self.live()?;
        let now = self.wall();
        let mut st = self.reg.state.write();
        let d = writable_domain(&mut st.domains, &input.domain)?;
        let key = WorkflowType::new(input.name, input.version);
        if d.workflow_types.contains_key(&key) {
            return Err(Error::TypeAlreadyExistsFault(format!(
                "workflow type exists: [{}, {}]",
                key.name, key.version
            )));
        }
        if d.workflow_types.len() >= MAX_TYPES {
            return Err(Error::LimitExceededFault(format!(
                "at most {MAX_TYPES} workflow types per domain"
            )));
        }
        let config = WorkflowTypeConfiguration {
            default_task_start_to_close_timeout: input.default_task_start_to_close_timeout,
            default_execution_start_to_close_timeout: input
                .default_execution_start_to_close_timeout,
            default_task_list: input.default_task_list,
            default_task_priority: input.default_task_priority,
            default_child_policy: input.default_child_policy,
            default_lambda_role: input.default_lambda_role,
        };
        d.workflow_types
            .insert(key, TypeEntry::new(input.description, now, config));
        Ok(EmptyOutput {})
    }

    fn set_workflow_status(
        &self,
        input: &WorkflowTypeInput,
        to: RegistrationStatus,
    ) -> Result<(), Error> {
        let t = &input.workflow_type;
        self.check_type_ref(
            if to == RegistrationStatus::Deprecated {
                "swf:DeprecateWorkflowType"
            } else {
                "swf:UndeprecateWorkflowType"
            },
            &input.domain,
            &t.name,
            &t.version,
            "workflowType",
        )?;
        self.live()?;
        let now = self.wall();
        let mut st = self.reg.state.write();
        let d = st
            .domains
            .get_mut(&input.domain)
            .ok_or_else(|| unknown(format!("domain: {}", input.domain)))?;
        let e = d.workflow_types.get_mut(t).ok_or_else(|| {
            unknown(format!(
                "type: WorkflowType=[name={}, version={}]",
                t.name, t.version
            ))
        })?;
        match (e.status, to) {
            (RegistrationStatus::Deprecated, RegistrationStatus::Deprecated) => {
                Err(Error::TypeDeprecatedFault(format!(
                    "workflow type already deprecated: [{}, {}]",
                    t.name, t.version
                )))
            }
            (RegistrationStatus::Registered, RegistrationStatus::Registered) => {
                Err(Error::TypeAlreadyExistsFault(format!(
                    "workflow type is registered: [{}, {}]",
                    t.name, t.version
                )))
            }
            _ => {
                e.status = to;
                e.deprecation = (to == RegistrationStatus::Deprecated).then_some(now);
                Ok(())
            }
        }
    }

    /// `DeprecateWorkflowType`: no new executions of the type.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `TypeDeprecatedFault`, `Validation`.
    pub fn deprecate_workflow_type(&self, input: WorkflowTypeInput) -> Result<EmptyOutput, Error> {
        self.set_workflow_status(&input, RegistrationStatus::Deprecated)
            .map(|()| EmptyOutput {})
    }

    /// `UndeprecateWorkflowType`.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `TypeAlreadyExistsFault`, `Validation`.
    pub fn undeprecate_workflow_type(
        &self,
        input: WorkflowTypeInput,
    ) -> Result<EmptyOutput, Error> {
        self.set_workflow_status(&input, RegistrationStatus::Registered)
            .map(|()| EmptyOutput {})
    }

    /// `DescribeWorkflowType`.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation`.
    pub fn describe_workflow_type(
        &self,
        input: WorkflowTypeInput,
    ) -> Result<DescribeWorkflowTypeOutput, Error> {
        let t = &input.workflow_type;
        self.check_type_ref(
            "swf:DescribeWorkflowType",
            &input.domain,
            &t.name,
            &t.version,
            "workflowType",
        )?;
        let st = self.reg.state.read();
        let d = st
            .domains
            .get(&input.domain)
            .ok_or_else(|| unknown(format!("domain: {}", input.domain)))?;
        let e = d.workflow_types.get(t).ok_or_else(|| {
            unknown(format!(
                "type: WorkflowType=[name={}, version={}]",
                t.name, t.version
            ))
        })?;
        Ok(DescribeWorkflowTypeOutput {
            type_info: WorkflowTypeInfo {
                workflow_type: t.clone(),
                status: e.status,
                description: e.description.clone(),
                creation_date: e.creation,
                deprecation_date: e.deprecation,
            },
            configuration: e.config.clone(),
        })
    }

    // ----- executions -------------------------------------------------------

    /// `StartWorkflowExecution`: starts an execution and returns its new run
    /// id. The history opens with `WorkflowExecutionStarted` and
    /// `DecisionTaskScheduled`, as in AWS.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` (domain or type), `DomainDeprecatedFault`,
    /// `TypeDeprecatedFault`, `WorkflowExecutionAlreadyStartedFault`,
    /// `LimitExceededFault` (the domain has
    /// [`max_open_executions`](crate::BrokerBuilder::max_open_executions)
    /// open executions), `DefaultUndefinedFault` (decision task list,
    /// execution or task timeout, child policy), `Validation`.
    pub fn start_workflow_execution(
        &self,
        input: StartWorkflowExecutionInput,
    ) -> Result<StartWorkflowExecutionOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.workflow_id("workflowId", &input.workflow_id);
        c.len("workflowType.name", &input.workflow_type.name, 1, 256);
        c.len("workflowType.version", &input.workflow_type.version, 1, 64);
        if let Some(tl) = &input.task_list {
            c.name("taskList.name", &tl.name, 256, NameKind::Edged);
        }
        let priority = c.opt_priority("taskPriority", input.task_priority.as_deref());
        c.opt_len("input", input.input.as_deref(), 0, 32768);
        let exec_timeout = input
            .execution_start_to_close_timeout
            .as_deref()
            .and_then(|t| execution_timeout(&mut c, "executionStartToCloseTimeout", t));
        if input.tag_list.len() > 5 {
            c.fail(
                "tagList",
                &format!("{:?}", input.tag_list),
                Constraint::MaxLength(5),
            );
        }
        for (i, tag) in input.tag_list.iter().enumerate() {
            let p = ListPath {
                list: "tagList",
                index: i + 1,
                rest: "",
            };
            c.len(p, tag, 0, 256);
        }
        let task_timeout = c.opt_duration(
            "taskStartToCloseTimeout",
            input.task_start_to_close_timeout.as_deref(),
        );
        c.opt_len("lambdaRole", input.lambda_role.as_deref(), 1, 1600);
        c.finish()?;
        self.authorize(
            "swf:StartWorkflowExecution",
            Some(&input.domain),
            input.task_list.as_ref().map(|t| t.name.as_str()),
        )?;
        self.live()?;
        let (retention, start) = {
            let st = self.reg.state.read();
            let d = st
                .domains
                .get(&input.domain)
                .ok_or_else(|| unknown(format!("domain: {}", input.domain)))?;
            if d.status == RegistrationStatus::Deprecated {
                return Err(Error::DomainDeprecatedFault(format!(
                    "domain is deprecated: {}",
                    input.domain
                )));
            }
            let t = &input.workflow_type;
            let e = d.workflow_types.get(t).ok_or_else(|| {
                unknown(format!(
                    "type: WorkflowType=[name={}, version={}]",
                    t.name, t.version
                ))
            })?;
            if e.status == RegistrationStatus::Deprecated {
                return Err(Error::TypeDeprecatedFault(format!(
                    "workflow type is deprecated: [{}, {}]",
                    t.name, t.version
                )));
            }
            let cfg = &e.config;
            let undefined = |what: &str| {
                Error::DefaultUndefinedFault(format!(
                    "{what} is neither given nor a default of the workflow type"
                ))
            };
            let task_list = input
                .task_list
                .clone()
                .or_else(|| cfg.default_task_list.clone())
                .ok_or_else(|| undefined("the decision task list"))?;
            let exec_timeout = match exec_timeout {
                Some(t) => t,
                None => cfg
                    .default_execution_start_to_close_timeout
                    .as_deref()
                    .and_then(crate::names::parse_duration)
                    .flatten()
                    .ok_or_else(|| undefined("executionStartToCloseTimeout"))?,
            };
            let task_timeout = match task_timeout {
                Some(t) => t,
                None => cfg
                    .default_task_start_to_close_timeout
                    .as_deref()
                    .and_then(crate::names::parse_duration)
                    .ok_or_else(|| undefined("taskStartToCloseTimeout"))?,
            };
            let child = input
                .child_policy
                .or(cfg.default_child_policy)
                .ok_or_else(|| undefined("childPolicy"))?;
            let priority = priority.or_else(|| {
                cfg.default_task_priority
                    .as_deref()
                    .and_then(crate::names::parse_i32)
            });
            let start = ExecutionStart {
                type_name: t.name.clone(),
                type_version: t.version.clone(),
                input: input.input,
                task_list: Some(task_list.name),
                task_priority: priority,
                execution_timeout: Some(exec_timeout),
                task_timeout,
                child_policy: Some(child.as_str().to_owned()),
                tags: input.tag_list,
                role: input
                    .lambda_role
                    .or_else(|| cfg.default_lambda_role.clone()),
            };
            (d.retention, start)
        };
        let timeout = start.execution_timeout;
        let exec = self
            .core
            .start_execution(
                Face::Swf,
                &input.domain,
                &input.workflow_id,
                Some(retention),
                FollowUp::DecisionTask,
                start,
                timeout,
            )
            .map_err(error::from_core)?;
        Ok(StartWorkflowExecutionOutput {
            run_id: exec.run_id.clone(),
        })
    }

    fn check_execution(&self, c: &mut Checker, domain: &str, e: &WorkflowExecution) {
        c.len("domain", domain, 1, 256);
        c.len("execution.workflowId", &e.workflow_id, 1, 256);
        c.len("execution.runId", &e.run_id, 1, 64);
    }

    fn execution(&self, domain: &str, e: &WorkflowExecution) -> Result<Arc<Execution>, Error> {
        // An execution found in the domain proves the domain exists (domains
        // are never deleted), so the registry is read only to word a miss.
        if let Some(exec) = self
            .core
            .find_execution(Face::Swf, domain, &e.workflow_id, &e.run_id)
        {
            return Ok(exec);
        }
        if !self.reg.state.read().domains.contains_key(domain) {
            return Err(unknown(format!("domain: {domain}")));
        }
        Err(unknown(format!(
            "execution: WorkflowExecution=[workflowId={}, runId={}]",
            e.workflow_id, e.run_id
        )))
    }

    /// `DescribeWorkflowExecution`: status and open counts.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` (unknown, or past its retention),
    /// `Validation`.
    pub fn describe_workflow_execution(
        &self,
        input: DescribeWorkflowExecutionInput,
    ) -> Result<DescribeWorkflowExecutionOutput, Error> {
        let mut c = self.checker();
        self.check_execution(&mut c, &input.domain, &input.execution);
        c.finish()?;
        self.authorize("swf:DescribeWorkflowExecution", Some(&input.domain), None)?;
        let exec = self.execution(&input.domain, &input.execution)?;
        let st = exec.state.lock();
        Ok(render::describe(&self.core.clock, &exec, &st))
    }

    /// `TerminateWorkflowExecution`: closes an open execution; its activity
    /// tasks' tokens die (heartbeats and responds then get
    /// `UnknownResourceFault`) and queued tasks are never delivered.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` (unknown or closed execution), `Validation`.
    pub fn terminate_workflow_execution(
        &self,
        input: TerminateWorkflowExecutionInput,
    ) -> Result<EmptyOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.len("workflowId", &input.workflow_id, 1, 256);
        c.opt_len("runId", input.run_id.as_deref(), 0, 64);
        c.opt_len("reason", input.reason.as_deref(), 0, 256);
        c.opt_len("details", input.details.as_deref(), 0, 32768);
        c.finish()?;
        self.authorize("swf:TerminateWorkflowExecution", Some(&input.domain), None)?;
        self.live()?;
        if !self.reg.state.read().domains.contains_key(&input.domain) {
            return Err(unknown(format!("domain: {}", input.domain)));
        }
        let exec = self
            .core
            .with_table(|t| match &input.run_id {
                Some(run) => t
                    .find(Face::Swf, &input.domain, &input.workflow_id, run)
                    .cloned(),
                None => t
                    .find_open(Face::Swf, &input.domain, &input.workflow_id)
                    .cloned(),
            })
            .ok_or_else(|| unknown(format!("execution: {}", input.workflow_id)))?;
        let how = ExecutionClose::Terminated {
            reason: input.reason,
            details: input.details,
            cause: None,
            child_policy: input.child_policy.map(|p| p.as_str().to_owned()),
        };
        self.core
            .close_execution(&exec, how)
            .map_err(error::from_core)?;
        Ok(EmptyOutput {})
    }

    /// `GetWorkflowExecutionHistory`: the events, oldest first (or newest
    /// first with `reverse_order`), in pages of at most
    /// `maximum_page_size` (default and maximum 1000).
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation` (including a page token this
    /// engine did not issue).
    pub fn get_workflow_execution_history(
        &self,
        input: GetWorkflowExecutionHistoryInput,
    ) -> Result<GetWorkflowExecutionHistoryOutput, Error> {
        let mut c = self.checker();
        self.check_execution(&mut c, &input.domain, &input.execution);
        // `nextPageToken` comes first among the members: its violation too.
        let offset = page_offset(&mut c, Listing::History, input.next_page_token.as_deref());
        let size = page_size(&mut c, "maximumPageSize", input.maximum_page_size);
        c.finish()?;
        self.authorize("swf:GetWorkflowExecutionHistory", Some(&input.domain), None)?;
        let exec = self.execution(&input.domain, &input.execution)?;
        let st = exec.state.lock();
        let events = st.history.iter();
        let n = st.history.len();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(n);
        let end = start.saturating_add(size).min(n);
        let picked: Vec<_> = if input.reverse_order {
            events.rev().skip(start).take(end - start).collect()
        } else {
            events.skip(start).take(end - start).collect()
        };
        let rendered = picked
            .into_iter()
            .map(|e| render::event(&self.core.clock, &st, e))
            .collect();
        Ok(GetWorkflowExecutionHistoryOutput {
            events: rendered,
            next_page_token: (end < n)
                .then(|| page::encode(Listing::History, end as u64, self.core.clock.tick())),
        })
    }

    // ----- decisions --------------------------------------------------------

    /// Applies decisions to an open execution, as a decider's
    /// `RespondDecisionTaskCompleted` would (this engine has no deciders, so
    /// the caller names the execution). Records `DecisionTaskStarted` and
    /// `DecisionTaskCompleted` (scheduling the decision task first if none is
    /// scheduled), then one event per decision: `ActivityTaskScheduled`, or
    /// `ScheduleActivityTaskFailed` with its AWS cause;
    /// `ActivityTaskCancelRequested` (a queued task is then canceled at
    /// once), or `RequestCancelActivityTaskFailed`. If any decision failed,
    /// a `DecisionTaskScheduled` follows the call's events, so that the
    /// decider sees the failure (AWS-API.md A1), unless a decision task is
    /// scheduled already: an execution has at most one.
    ///
    /// All or nothing: if any decision is malformed, nothing is recorded. A
    /// well-formed decision that cannot be carried out does not fail the
    /// call (AWS-API.md A1): a schedule on a full task list (its queue holds
    /// [`queue_capacity`](crate::BrokerBuilder::queue_capacity) tasks) records
    /// `ScheduleActivityTaskFailed` with cause
    /// `ACTIVITY_CREATION_RATE_EXCEEDED`, and the others go ahead.
    ///
    /// `task_list` moves the execution's later decision tasks to another
    /// list: each `DecisionTaskScheduled` recorded after this call names it
    /// (with `task_list_schedule_to_start_timeout`, if given) until a later
    /// call names another, while the events recorded before keep theirs. A
    /// decision task this call itself had to schedule is the one it
    /// completes, and stays on the list in force before it.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` (unknown domain, unknown or closed execution),
    /// `Validation` (member paths
    /// such as
    /// `decisions.1.member.scheduleActivityTaskDecisionAttributes.activityId`).
    pub fn respond_decision_task_completed(
        &self,
        input: RespondDecisionTaskCompletedInput,
    ) -> Result<RespondDecisionTaskCompletedOutput, Error> {
        let mut c = self.checker();
        self.check_execution(&mut c, &input.domain, &input.execution);
        // The first decision's parse stays on the stack: the usual call has
        // one decision and then allocates nothing here.
        let mut first = None;
        let mut rest = Vec::new();
        for (i, d) in input.decisions.iter().enumerate() {
            let p = check_decision(&mut c, i + 1, d);
            if i == 0 {
                first = Some(p);
            } else {
                rest.push(p);
            }
        }
        let parsed = first.into_iter().chain(rest);
        c.opt_len(
            "executionContext",
            input.execution_context.as_deref(),
            0,
            32768,
        );
        if let Some(tl) = &input.task_list {
            c.name("taskList.name", &tl.name, 256, NameKind::Edged);
        }
        let schedule_to_start = c
            .opt_duration(
                "taskListScheduleToStartTimeout",
                input.task_list_schedule_to_start_timeout.as_deref(),
            )
            .map(Timeout::new);
        c.finish()?;
        self.authorize(
            "swf:RespondDecisionTaskCompleted",
            Some(&input.domain),
            None,
        )?;
        self.live()?;
        let exec = self.execution(&input.domain, &input.execution)?;
        let decisions = {
            let st = self.reg.state.read();
            let d = st
                .domains
                .get(&input.domain)
                .ok_or_else(|| unknown(format!("domain: {}", input.domain)))?;
            let mut resolved = input.decisions.into_iter().zip(parsed).map(|(dec, p)| {
                self.authorize_decision(&input.domain, resolve_decision(d, dec, p))
            });
            // The usual single decision goes without a vector.
            match (resolved.next(), resolved.next()) {
                (Some(one), None) => Ok(one),
                (first, second) => Err(first.into_iter().chain(second).chain(resolved).collect()),
            }
        };
        let done = DecisionTaskDone {
            context: input.execution_context,
            next: NextDecisionTasks {
                task_list: input.task_list.map(|t| t.name),
                schedule_to_start,
            },
        };
        let id = match decisions {
            Ok(one) => self.core.apply_decision(&exec, one, Some(done)),
            Err(many) => self.core.apply(&exec, many, Some(done)),
        }
        .map_err(error::from_core)?;
        Ok(RespondDecisionTaskCompletedOutput {
            decision_task_completed_event_id: id,
        })
    }

    // ----- activity tasks ---------------------------------------------------

    /// `PollForActivityTask` with the engine's long-poll duration (60 s by
    /// default, [`BrokerBuilder::long_poll`](crate::BrokerBuilder::long_poll)).
    ///
    /// Returns a queued task at once (highest priority first, FIFO within a
    /// priority), recording `ActivityTaskStarted` with `identity`; otherwise
    /// waits for a task to be scheduled on the list. When the wait ends with
    /// no task, the output has an empty `task_token` and `started_event_id`
    /// 0, as AWS answers ([`PollForActivityTaskOutput::is_empty`]).
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` (unknown domain), `LimitExceededFault` (too
    /// many pollers already wait on the list), `OperationNotPermittedFault`
    /// (after shutdown), `Validation`.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::swf::*;
    /// use activity_broker::{Broker, ManualClock};
    /// use std::time::Duration;
    ///
    /// let clock = ManualClock::new();
    /// let swf = Broker::builder().clock(clock.clone()).build()?.swf();
    /// swf.register_domain(RegisterDomainInput {
    ///     name: "d".into(),
    ///     workflow_execution_retention_period_in_days: "1".into(),
    ///     ..Default::default()
    /// })?;
    /// let poller = {
    ///     let swf = swf.clone();
    ///     std::thread::spawn(move || swf.poll_for_activity_task(PollForActivityTaskInput {
    ///         domain: "d".into(),
    ///         task_list: TaskList::new("empty"),
    ///         ..Default::default()
    ///     }))
    /// };
    /// // Wait until the poller is parked, then let 60 virtual seconds pass.
    /// while swf.waiting_pollers("d", "empty") == 0 {
    ///     std::thread::yield_now();
    /// }
    /// clock.advance(Duration::from_secs(60));
    /// let got = poller.join().expect("poller")?;
    /// assert!(got.is_empty());
    /// assert_eq!(got.task_token, "");
    /// assert_eq!(got.started_event_id.get(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn poll_for_activity_task(
        &self,
        input: PollForActivityTaskInput,
    ) -> Result<PollForActivityTaskOutput, Error> {
        self.poll_for_activity_task_timeout(input, self.core.config.long_poll)
    }

    /// `PollForActivityTask` waiting at most `timeout` (zero: do not wait).
    ///
    /// # Errors
    ///
    /// As [`poll_for_activity_task`](Client::poll_for_activity_task).
    pub fn poll_for_activity_task_timeout(
        &self,
        input: PollForActivityTaskInput,
        timeout: Duration,
    ) -> Result<PollForActivityTaskOutput, Error> {
        self.poll(input, Wait::For(timeout), None)
    }

    /// `PollForActivityTask` waiting until `deadline`, an instant on the
    /// engine's clock ([`Client::now`]); a past deadline does not wait.
    ///
    /// # Errors
    ///
    /// As [`poll_for_activity_task`](Client::poll_for_activity_task).
    pub fn poll_for_activity_task_deadline(
        &self,
        input: PollForActivityTaskInput,
        deadline: Instant,
    ) -> Result<PollForActivityTaskOutput, Error> {
        let deadline = self.core.clock.tick_of(deadline);
        self.poll(input, Wait::Until(deadline), None)
    }

    /// `PollForActivityTask` waiting until `deadline` unless `cancel` is
    /// canceled first; then it returns the empty result at once and no task
    /// is handed to it.
    ///
    /// # Errors
    ///
    /// As [`poll_for_activity_task`](Client::poll_for_activity_task).
    ///
    /// # Examples
    ///
    /// See [`PollCancel`].
    pub fn poll_for_activity_task_cancelable(
        &self,
        input: PollForActivityTaskInput,
        deadline: Instant,
        cancel: &PollCancel,
    ) -> Result<PollForActivityTaskOutput, Error> {
        let deadline = self.core.clock.tick_of(deadline);
        self.poll(input, Wait::Until(deadline), Some(cancel))
    }

    fn poll(
        &self,
        input: PollForActivityTaskInput,
        wait: Wait,
        cancel: Option<&PollCancel>,
    ) -> Result<PollForActivityTaskOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.name("taskList.name", &input.task_list.name, 256, NameKind::Edged);
        c.opt_len("identity", input.identity.as_deref(), 0, 256);
        c.finish()?;
        self.authorize(
            "swf:PollForActivityTask",
            Some(&input.domain),
            Some(&input.task_list.name),
        )?;
        let id = ListId::new(Face::Swf, &input.domain, &input.task_list.name);
        let got = self
            .core
            .poll(&id, input.identity, wait, cancel)
            .map_err(error::from_core)?;
        Ok(match got {
            None => PollForActivityTaskOutput::default(),
            Some(s) => PollForActivityTaskOutput {
                task_token: s.token,
                activity_id: s.activity_id,
                started_event_id: s.started,
                workflow_execution: WorkflowExecution::new(&s.exec.workflow_id, &s.exec.run_id),
                activity_type: ActivityType::new(s.type_name, s.type_version),
                input: s.input,
            },
        })
    }

    /// Pollers now blocked on a task list. Tests use it to wait until a
    /// poller is parked before moving a manual clock.
    pub fn waiting_pollers(&self, domain: &str, task_list: &str) -> usize {
        self.core
            .waiting_pollers(&ListId::new(Face::Swf, domain, task_list))
    }

    fn check_token(c: &mut Checker, token: &str) {
        c.len("taskToken", token, 1, 1024);
    }

    /// `RecordActivityTaskHeartbeat`: resets the task's heartbeat clock (not
    /// its start-to-close clock), keeps `details` for a later
    /// `ActivityTaskTimedOut`, records no event, and says whether a cancel
    /// was requested.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` for any token that is not of a live started
    /// task (forged, truncated, closed, timed out), `Validation`.
    pub fn record_activity_task_heartbeat(
        &self,
        input: RecordActivityTaskHeartbeatInput,
    ) -> Result<RecordActivityTaskHeartbeatOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        c.opt_len("details", input.details.as_deref(), 0, 2048);
        c.finish()?;
        self.authorize_task("swf:RecordActivityTaskHeartbeat", &input.task_token)?;
        let cancel_requested = self
            .core
            .heartbeat(Face::Swf, &input.task_token, input.details)
            .map_err(error::from_core)?;
        Ok(RecordActivityTaskHeartbeatOutput { cancel_requested })
    }

    fn respond(&self, token: &str, outcome: Outcome) -> Result<EmptyOutput, Error> {
        self.core
            .respond(Face::Swf, token, outcome)
            .map_err(error::from_core)?;
        Ok(EmptyOutput {})
    }

    /// `RespondActivityTaskCompleted`: records `ActivityTaskCompleted` and
    /// closes the task (its token dies).
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation`.
    pub fn respond_activity_task_completed(
        &self,
        input: RespondActivityTaskCompletedInput,
    ) -> Result<EmptyOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        c.opt_len("result", input.result.as_deref(), 0, 32768);
        c.finish()?;
        self.authorize_task("swf:RespondActivityTaskCompleted", &input.task_token)?;
        self.respond(
            &input.task_token,
            Outcome::Completed {
                result: input.result,
            },
        )
    }

    /// `RespondActivityTaskFailed`: records `ActivityTaskFailed` and closes
    /// the task.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation`.
    pub fn respond_activity_task_failed(
        &self,
        input: RespondActivityTaskFailedInput,
    ) -> Result<EmptyOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        c.opt_len("reason", input.reason.as_deref(), 0, 256);
        c.opt_len("details", input.details.as_deref(), 0, 32768);
        c.finish()?;
        self.authorize_task("swf:RespondActivityTaskFailed", &input.task_token)?;
        self.respond(
            &input.task_token,
            Outcome::Failed {
                reason: input.reason,
                details: input.details,
            },
        )
    }

    /// `RespondActivityTaskCanceled`: records `ActivityTaskCanceled` (with
    /// the latest cancel request's event id) and closes the task.
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault`, `Validation`.
    pub fn respond_activity_task_canceled(
        &self,
        input: RespondActivityTaskCanceledInput,
    ) -> Result<EmptyOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        c.opt_len("details", input.details.as_deref(), 0, 32768);
        c.finish()?;
        self.authorize_task("swf:RespondActivityTaskCanceled", &input.task_token)?;
        self.respond(
            &input.task_token,
            Outcome::Canceled {
                details: input.details,
            },
        )
    }

    /// `CountPendingActivityTasks`: tasks scheduled on the list and not yet
    /// started (0 for a list never used).
    ///
    /// # Errors
    ///
    /// `UnknownResourceFault` (unknown domain), `Validation`.
    pub fn count_pending_activity_tasks(
        &self,
        input: CountPendingActivityTasksInput,
    ) -> Result<CountPendingActivityTasksOutput, Error> {
        let mut c = self.checker();
        c.len("domain", &input.domain, 1, 256);
        c.len("taskList.name", &input.task_list.name, 1, 256);
        c.finish()?;
        self.authorize(
            "swf:CountPendingActivityTasks",
            Some(&input.domain),
            Some(&input.task_list.name),
        )?;
        if !self.core.has_namespace(Face::Swf, &input.domain) {
            return Err(unknown(format!("domain: {}", input.domain)));
        }
        let n = self.core.pending(&ListId::new(
            Face::Swf,
            &input.domain,
            &input.task_list.name,
        ));
        Ok(CountPendingActivityTasksOutput {
            count: i32::try_from(n).unwrap_or(i32::MAX),
            truncated: n > i32::MAX as usize,
        })
    }
}

/// Parses a retention period: `NONE`, or 0–90 days.
fn retention_days(c: &mut Checker, value: &str) -> Option<Duration> {
    let member = "workflowExecutionRetentionPeriodInDays";
    // One violation per member: a value of bad length is not also parsed.
    let before = c.violation_count();
    c.len(member, value, 1, 8);
    if c.violation_count() != before {
        return None;
    }
    if value == "NONE" {
        return Some(Duration::ZERO);
    }
    match value.parse::<u64>() {
        Ok(days) if days <= 90 && value.bytes().all(|b| b.is_ascii_digit()) => {
            Some(Duration::from_secs(days * 86_400))
        }
        _ => {
            c.fail(member, value, Constraint::RetentionDays);
            None
        }
    }
}

/// Parses an execution timeout: seconds, not `NONE`, at most a year.
fn execution_timeout(c: &mut Checker, member: &str, value: &str) -> Option<Duration> {
    match c.duration(member, value)? {
        Some(d) if d <= MAX_EXECUTION_TIMEOUT => Some(d),
        Some(_) => {
            c.fail(
                member,
                value,
                Constraint::MaxValue(MAX_EXECUTION_TIMEOUT.as_secs() as i64),
            );
            None
        }
        None => {
            c.fail(member, value, Constraint::Duration);
            None
        }
    }
}

fn writable_domain<'a>(
    domains: &'a mut std::collections::BTreeMap<String, Domain>,
    name: &str,
) -> Result<&'a mut Domain, Error> {
    let d = domains
        .get_mut(name)
        .ok_or_else(|| unknown(format!("domain: {name}")))?;
    if d.status == RegistrationStatus::Deprecated {
        return Err(Error::DomainDeprecatedFault(format!(
            "domain is deprecated: {name}"
        )));
    }
    Ok(d)
}

fn activity_entry<'a>(
    domains: &'a mut std::collections::BTreeMap<String, Domain>,
    domain: &str,
    t: &ActivityType,
) -> Result<&'a mut TypeEntry<ActivityTypeConfiguration>, Error> {
    domains
        .get_mut(domain)
        .ok_or_else(|| unknown(format!("domain: {domain}")))?
        .activity_types
        .get_mut(t)
        .ok_or_else(|| {
            unknown(format!(
                "type: ActivityType=[name={}, version={}]",
                t.name, t.version
            ))
        })
}

fn activity_info(t: &ActivityType, e: &TypeEntry<ActivityTypeConfiguration>) -> ActivityTypeInfo {
    ActivityTypeInfo {
        activity_type: t.clone(),
        status: e.status,
        description: e.description.clone(),
        creation_date: e.creation,
        deprecation_date: e.deprecation,
    }
}

/// What validation learned about a schedule decision's explicit members.
#[derive(Debug, Default)]
struct Parsed {
    priority: Option<i32>,
    schedule_to_start: Option<Option<Duration>>,
    schedule_to_close: Option<Option<Duration>>,
    start_to_close: Option<Option<Duration>>,
    heartbeat: Option<Option<Duration>>,
}

fn check_decision(c: &mut Checker, n: usize, d: &Decision) -> Parsed {
    match d {
        Decision::ScheduleActivityTask(a) => {
            let p = |rest| ListPath {
                list: "decisions",
                index: n,
                rest,
            };
            c.len(
                p("scheduleActivityTaskDecisionAttributes.activityType.name"),
                &a.activity_type.name,
                1,
                256,
            );
            c.len(
                p("scheduleActivityTaskDecisionAttributes.activityType.version"),
                &a.activity_type.version,
                1,
                64,
            );
            c.name(
                p("scheduleActivityTaskDecisionAttributes.activityId"),
                &a.activity_id,
                256,
                NameKind::Plain,
            );
            c.opt_len(
                p("scheduleActivityTaskDecisionAttributes.control"),
                a.control.as_deref(),
                0,
                32768,
            );
            c.opt_len(
                p("scheduleActivityTaskDecisionAttributes.input"),
                a.input.as_deref(),
                0,
                32768,
            );
            // Violations are reported in the members' order (AWS-API.md A2):
            // `scheduleToCloseTimeout` comes before `taskList`.
            let schedule_to_close = c.opt_duration(
                p("scheduleActivityTaskDecisionAttributes.scheduleToCloseTimeout"),
                a.schedule_to_close_timeout.as_deref(),
            );
            if let Some(tl) = &a.task_list {
                c.name(
                    p("scheduleActivityTaskDecisionAttributes.taskList.name"),
                    &tl.name,
                    256,
                    NameKind::Edged,
                );
            }
            Parsed {
                schedule_to_close,
                priority: c.opt_priority(
                    p("scheduleActivityTaskDecisionAttributes.taskPriority"),
                    a.task_priority.as_deref(),
                ),
                schedule_to_start: c.opt_duration(
                    p("scheduleActivityTaskDecisionAttributes.scheduleToStartTimeout"),
                    a.schedule_to_start_timeout.as_deref(),
                ),
                start_to_close: c.opt_duration(
                    p("scheduleActivityTaskDecisionAttributes.startToCloseTimeout"),
                    a.start_to_close_timeout.as_deref(),
                ),
                heartbeat: c.opt_duration(
                    p("scheduleActivityTaskDecisionAttributes.heartbeatTimeout"),
                    a.heartbeat_timeout.as_deref(),
                ),
            }
        }
        Decision::RequestCancelActivityTask(a) => {
            let p = ListPath {
                list: "decisions",
                index: n,
                rest: "requestCancelActivityTaskDecisionAttributes.activityId",
            };
            c.len(p, &a.activity_id, 1, 256);
            Parsed::default()
        }
    }
}

/// Resolves a validated decision against the domain's types: a schedule
/// with its defaults filled in, or the failure SWF would record.
fn resolve_decision(domain: &Domain, d: Decision, p: Parsed) -> CoreDecision {
    match d {
        Decision::RequestCancelActivityTask(a) => CoreDecision::Cancel {
            activity_id: a.activity_id,
        },
        Decision::ScheduleActivityTask(a) => {
            let fail = |cause| CoreDecision::ScheduleFailed {
                activity_id: a.activity_id.clone(),
                type_name: a.activity_type.name.clone(),
                type_version: a.activity_type.version.clone(),
                cause,
            };
            let Some(e) = domain.activity_types.get(&a.activity_type) else {
                return fail(ScheduleFailure::TypeDoesNotExist);
            };
            if e.status == RegistrationStatus::Deprecated {
                return fail(ScheduleFailure::TypeDeprecated);
            }
            let cfg = &e.config;
            // The decision's own list moves; only a default is copied.
            let Some(task_list) = a
                .task_list
                .map(|t| t.name)
                .or_else(|| cfg.default_task_list.as_ref().map(|t| t.name.clone()))
            else {
                return fail(ScheduleFailure::TaskListUndefined);
            };
            let default = |v: &Option<String>| v.as_deref().and_then(crate::names::parse_duration);
            // The order of AWS-API.md A1's resolution table (moto's too):
            // schedule-to-start is judged before schedule-to-close.
            let Some(s2s) = p
                .schedule_to_start
                .or_else(|| default(&cfg.default_task_schedule_to_start_timeout))
            else {
                return fail(ScheduleFailure::ScheduleToStartUndefined);
            };
            let Some(s2c) = p
                .schedule_to_close
                .or_else(|| default(&cfg.default_task_schedule_to_close_timeout))
            else {
                return fail(ScheduleFailure::ScheduleToCloseUndefined);
            };
            let Some(stc) = p
                .start_to_close
                .or_else(|| default(&cfg.default_task_start_to_close_timeout))
            else {
                return fail(ScheduleFailure::StartToCloseUndefined);
            };
            let Some(hb) = p
                .heartbeat
                .or_else(|| default(&cfg.default_task_heartbeat_timeout))
            else {
                return fail(ScheduleFailure::HeartbeatUndefined);
            };
            let priority = p.priority.or_else(|| {
                cfg.default_task_priority
                    .as_deref()
                    .and_then(crate::names::parse_i32)
            });
            CoreDecision::Schedule {
                spec: TaskRequest {
                    activity_id: a.activity_id,
                    type_name: a.activity_type.name,
                    type_version: a.activity_type.version,
                    input: a.input,
                    control: a.control,
                    task_list,
                    priority: priority.unwrap_or(0),
                    priority_set: priority.is_some(),
                    timeouts: Timeouts {
                        schedule_to_start: Timeout::new(s2s),
                        schedule_to_close: Timeout::new(s2c),
                        start_to_close: Timeout::new(stc),
                        heartbeat: Timeout::new(hb),
                    },
                },
            }
        }
    }
}
