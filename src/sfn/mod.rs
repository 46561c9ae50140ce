//! The AWS Step Functions face: activities, their workers, and the
//! executions that schedule their tasks.
//!
//! [`Client`] mirrors the AWS operations in snake_case, each taking an
//! `<Operation>Input` and returning `Result<<Operation>Output, Error>`. Every
//! input is validated in full before any state is touched
//! (`../shared/AWS-API.md` A0), so an error changes nothing.
//!
//! It is served by the same engine as the [SWF face](crate::swf): the same
//! shards, long polls, task tokens, timeouts and histories. The faces share
//! that machinery, not their namespaces: a Step Functions task is never
//! handed to an SWF poller, and a token of one face is refused by the other
//! (`InvalidToken` here).
//!
//! # Activities and executions
//!
//! An activity ([`create_activity`](Client::create_activity)) is a queue of
//! tasks that workers take with [`get_activity_task`](Client::get_activity_task)
//! and close with [`send_task_success`](Client::send_task_success) or
//! [`send_task_failure`](Client::send_task_failure). In AWS the tasks come
//! from state machines whose Task state names the activity. This engine has
//! no state-machine definitions; [`start_execution`](Client::start_execution)
//! plays that part: it starts an execution that runs one Task state, whose
//! activity, `TimeoutSeconds` and `HeartbeatSeconds` the request names. The
//! execution ends with its task: succeeded, failed, or timed out
//! (`States.Timeout`, `States.HeartbeatTimeout`).
//!
//! # Deleting an activity
//!
//! [`delete_activity`](Client::delete_activity) never strands a thread or a
//! task. Workers blocked in `get_activity_task` on it return at once with
//! the empty result. Tasks still queued fail with the error
//! `ActivityBroker.ActivityDeleted` (an `ActivityFailed` event), which fails their
//! executions. Tasks already started keep running: their tokens stay valid
//! until the worker closes them or they time out. Later polls get
//! `ActivityDoesNotExist`; executions started later record
//! `ActivityScheduleFailed`.
//!
//! # Examples
//!
//! ```
//! use activity_broker::sfn::*;
//! use activity_broker::{Broker, ManualClock};
//!
//! let sfn = Broker::builder().clock(ManualClock::new()).seed(1).build()?.sfn();
//! let activity = sfn.create_activity(CreateActivityInput {
//!     name: "resize".into(),
//!     ..Default::default()
//! })?;
//! let run = sfn.start_execution(StartExecutionInput {
//!     state_machine_arn: sfn.state_machine_arn("thumbnails"),
//!     name: Some("photo-7".into()),
//!     input: Some(r#"{"photo": 7}"#.into()),
//!     activity_arn: activity.activity_arn.clone(),
//!     timeout_seconds: Some(300),
//!     ..Default::default()
//! })?;
//! let task = sfn.get_activity_task(GetActivityTaskInput {
//!     activity_arn: activity.activity_arn,
//!     worker_name: Some("worker-1".into()),
//! })?;
//! assert_eq!(task.input.as_deref(), Some(r#"{"photo": 7}"#));
//! sfn.send_task_success(SendTaskSuccessInput {
//!     task_token: task.task_token.expect("a task was queued"),
//!     output: r#"{"thumbnail": "7-small.png"}"#.into(),
//! })?;
//! let done = sfn.describe_execution(DescribeExecutionInput {
//!     execution_arn: run.execution_arn.clone(),
//! })?;
//! assert_eq!(done.status, ExecutionStatus::Succeeded);
//! assert_eq!(done.output.as_deref(), Some(r#"{"thumbnail": "7-small.png"}"#));
//! let history = sfn.get_execution_history(GetExecutionHistoryInput {
//!     execution_arn: run.execution_arn,
//!     ..Default::default()
//! })?;
//! let types: Vec<&str> = history.events.iter().map(|e| e.event_type.as_str()).collect();
//! assert_eq!(types, [
//!     "ExecutionStarted", "ActivityScheduled", "ActivityStarted",
//!     "ActivitySucceeded", "ExecutionSucceeded",
//! ]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod arn;
mod error;
mod json;
mod registry;
mod render;
mod types;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::broker::{Core, CoreDecision};
use crate::clock::{Tick, Wait};
use crate::error::CoreError;
use crate::execution::{Execution, FollowUp};
use crate::history::{
    ExecutionClose, ExecutionStart, ScheduleFailure, TaskRequest, Timeout, Timeouts,
};
use crate::names::{Checker, sfn_name_chars_ok};
use crate::page::{self, Listing};
use crate::shard::{ListId, Outcome};
use crate::token::Face;
use crate::waiter::PollCancel;

pub use error::Error;
pub(crate) use registry::Registry;
use registry::{Activity, ExecEntry, MAX_ACTIVITIES, MAX_TAGS, RETENTION};
pub use types::*;

/// `SensitiveData`: task output and execution input, in UTF-8 bytes.
const MAX_PAYLOAD: usize = 262_144;
/// A Task state's longest `TimeoutSeconds`, and its default.
const MAX_TIMEOUT_SECONDS: i64 = 99_999_999;
/// The longest a standard execution may run (a hard AWS limit).
const MAX_EXECUTION_TIME: Duration = Duration::from_secs(365 * 86_400);
/// Page size when none (or 0) is asked for.
const DEFAULT_PAGE: usize = 100;

/// A handle on the Step Functions face of a [`Broker`](crate::Broker).
///
/// `Clone + Send + Sync`; clones share the engine. ARNs it issues and
/// accepts are in the broker's region and account
/// ([`BrokerBuilder::region`](crate::BrokerBuilder::region), default
/// `us-east-1`; [`BrokerBuilder::account`](crate::BrokerBuilder::account),
/// default `123456789012`).
///
/// # Examples
///
/// See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    core: Arc<Core>,
    reg: Arc<Registry>,
    /// This broker's ARN prefix, for the hot paths' parses.
    home: Option<arn::Home>,
    /// Operations check their input and stop ([`Client::validator`]).
    validate_only: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("sfn::Client")
            .field("core", &self.core)
            .finish()
    }
}

/// How long a `ListActivities` page token stays good, on the engine's
/// clock. AWS-API.md A3: "`nextToken` ... expires after 24 h; an expired one
/// gives `InvalidToken`" (A4: "expires after 24 h -> HTTP 400
/// InvalidToken"). A token exactly 24 h old is still good; one older by a
/// nanosecond has expired.
const ACTIVITIES_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How long a page token of `listing` stays good: `None` for ever. The
/// contract gives a lifetime only for `ListActivities` tokens (A3, A4); it
/// says none for `GetExecutionHistory` tokens, so those never expire here.
fn page_token_lifetime(listing: Listing) -> Option<Duration> {
    match listing {
        Listing::Activities => Some(ACTIVITIES_TOKEN_LIFETIME),
        _ => None,
    }
}

/// Where a paged listing starts: `InvalidToken` for a token this face did
/// not issue for it, and for one whose listing's lifetime
/// ([`page_token_lifetime`]) has passed at `now` (ListActivities and
/// GetExecutionHistory list only that error for bad tokens). A token issued
/// after `now` was not issued by this engine's clock, so it is refused too.
fn page_start(listing: Listing, token: Option<&str>, now: Tick) -> Result<usize, Error> {
    let Some(t) = token else {
        return Ok(0);
    };
    let invalid = || Error::InvalidToken(format!("invalid page token: {t}"));
    let cursor = page::decode(listing, t).ok_or_else(invalid)?;
    if let Some(lifetime) = page_token_lifetime(listing) {
        let age = now.0.checked_sub(cursor.issued.0).ok_or_else(invalid)?;
        if Duration::from_nanos(age) > lifetime {
            return Err(Error::InvalidToken(format!("expired page token: {t}")));
        }
    }
    Ok(usize::try_from(cursor.offset).unwrap_or(usize::MAX))
}

/// Checks a page size (0–1000) and a page token's length (1–1024); returns
/// the page size, 0 and absent meaning 100.
fn check_page(c: &mut Checker, max_results: Option<i32>, next_token: Option<&str>) -> usize {
    // In the members' order (AWS-API.md A4 ListActivities): `maxResults`
    // first, so its violation is listed first too.
    let size = match max_results {
        Some(n) => {
            c.range("maxResults", i64::from(n), 0, 1000);
            match usize::try_from(n) {
                Ok(0) | Err(_) => DEFAULT_PAGE,
                Ok(n) => n,
            }
        }
        None => DEFAULT_PAGE,
    };
    c.opt_len("nextToken", next_token, 1, 1024);
    size
}

impl Client {
    pub(crate) fn new(core: Arc<Core>, reg: Arc<Registry>) -> Client {
        let home = arn::Home::new(&core.config.region, &core.config.account);
        Client {
            core,
            reg,
            home,
            validate_only: false,
        }
    }

    /// A client of the same engine whose operations only validate: each
    /// checks its input's members as usual and stops there, answering
    /// `Validation` with the violations it found, none for a valid input,
    /// before any other check (`InvalidArn`, `InvalidName`, ...), lock or
    /// change. The wire layer asks it what the face would refuse in a
    /// request the body's reading already refuses, to report both in one
    /// `ValidationException` (AWS-API.md A0.2).
    #[cfg(feature = "json")]
    pub(crate) fn validator(&self) -> Client {
        Client {
            validate_only: true,
            ..self.clone()
        }
    }

    fn checker(&self) -> Checker {
        Checker::new(self.core.config.arn_rule).dry_run(self.validate_only)
    }

    fn live(&self) -> Result<(), Error> {
        if self.core.is_shut_down() {
            Err(error::shut_down())
        } else {
            Ok(())
        }
    }

    fn wall(&self) -> SystemTime {
        self.core.clock.now_wall()
    }

    fn is_ours(&self, scope: &arn::Scope<'_>) -> bool {
        scope.is(&self.core.config.region, &self.core.config.account)
    }

    fn arn_of(&self, kind: &str, name: &str) -> String {
        arn::format(
            &self.core.config.region,
            &self.core.config.account,
            kind,
            name,
        )
    }

    /// The current instant on the engine's clock; deadlines passed to
    /// [`get_activity_task_deadline`](Client::get_activity_task_deadline)
    /// are instants on it.
    pub fn now(&self) -> Instant {
        self.core.clock.now()
    }

    /// The ARN the activity `name` has (or would have) in this broker:
    /// `arn:aws:states:<region>:<account>:activity:<name>`.
    ///
    /// # Examples
    ///
    /// ```
    /// let sfn = activity_broker::Broker::new().sfn();
    /// assert_eq!(
    ///     sfn.activity_arn("resize"),
    ///     "arn:aws:states:us-east-1:123456789012:activity:resize"
    /// );
    /// ```
    pub fn activity_arn(&self, name: &str) -> String {
        self.arn_of("activity", name)
    }

    /// The ARN of the state machine `name` in this broker:
    /// `arn:aws:states:<region>:<account>:stateMachine:<name>`. State
    /// machines are implicit: every such ARN names one.
    ///
    /// # Examples
    ///
    /// ```
    /// let sfn = activity_broker::Broker::builder()
    ///     .region("eu-west-1")
    ///     .account("000000000042")
    ///     .build()?
    ///     .sfn();
    /// assert_eq!(
    ///     sfn.state_machine_arn("orders"),
    ///     "arn:aws:states:eu-west-1:000000000042:stateMachine:orders"
    /// );
    /// # Ok::<(), activity_broker::BuildError>(())
    /// ```
    pub fn state_machine_arn(&self, name: &str) -> String {
        self.arn_of("stateMachine", name)
    }

    // ----- activities -------------------------------------------------------

    /// `CreateActivity`: creates an activity, or returns the existing one of
    /// that name (idempotent, as AWS: a repeat's tags are ignored).
    ///
    /// # Errors
    ///
    /// `Validation` for a name outside 1–80 characters, a tag key outside
    /// 1–128 or a value over 256 characters, or a key id outside 1–2048;
    /// `InvalidName` for a name that breaks the character rules;
    /// `InvalidEncryptionConfiguration` for a customer managed key without a
    /// key id or a reuse period outside 60–900 s; `TooManyTags` past 50 on
    /// a new activity (a repeat's tags are ignored, however many);
    /// `ActivityAlreadyExists` for a repeat with another encryption
    /// configuration; `ActivityLimitExceeded` at 10,000 activities;
    /// `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, EncryptionConfiguration, EncryptionType, Error};
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let input = CreateActivityInput { name: "resize".into(), ..Default::default() };
    /// let first = sfn.create_activity(input.clone())?;
    /// let again = sfn.create_activity(input.clone())?;
    /// assert_eq!(first, again);
    ///
    /// let cmk = CreateActivityInput {
    ///     encryption_configuration: Some(EncryptionConfiguration {
    ///         r#type: EncryptionType::CustomerManagedKmsKey,
    ///         kms_key_id: Some("alias/k".into()),
    ///         kms_data_key_reuse_period_seconds: None,
    ///     }),
    ///     ..input
    /// };
    /// assert!(matches!(sfn.create_activity(cmk), Err(Error::ActivityAlreadyExists(_))));
    /// assert!(matches!(
    ///     sfn.create_activity(CreateActivityInput { name: "a b".into(), ..Default::default() }),
    ///     Err(Error::InvalidName(_))
    /// ));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn create_activity(
        &self,
        input: CreateActivityInput,
    ) -> Result<CreateActivityOutput, Error> {
        let mut c = self.checker();
        c.len("name", &input.name, 1, 80);
        for (i, tag) in input.tags.iter().enumerate() {
            c.tag(&format!("tags.{}.member.key", i + 1), &tag.key, 1, 128);
            c.tag(&format!("tags.{}.member.value", i + 1), &tag.value, 0, 256);
        }
        if let Some(e) = &input.encryption_configuration {
            c.opt_len(
                "encryptionConfiguration.kmsKeyId",
                e.kms_key_id.as_deref(),
                1,
                2048,
            );
        }
        c.finish()?;
        if !sfn_name_chars_ok(&input.name) {
            return Err(Error::InvalidName(format!(
                "invalid activity name: {}",
                input.name
            )));
        }
        let encryption = input.encryption_configuration.unwrap_or_default();
        if encryption.r#type == EncryptionType::CustomerManagedKmsKey
            && encryption.kms_key_id.is_none()
        {
            return Err(Error::InvalidEncryptionConfiguration(
                "a customer managed KMS key needs a kmsKeyId".to_owned(),
            ));
        }
        if let Some(p) = encryption.kms_data_key_reuse_period_seconds {
            if !(60..=900).contains(&p) {
                return Err(Error::InvalidEncryptionConfiguration(format!(
                    "kmsDataKeyReusePeriodSeconds must be from 60 to 900, not {p}"
                )));
            }
        }
        self.live()?;
        let activity_arn = self.activity_arn(&input.name);
        let mut activities = self.reg.activities.write();
        if let Some(a) = activities.get(&input.name) {
            if a.encryption != encryption {
                return Err(Error::ActivityAlreadyExists(format!(
                    "activity already exists with another encryption configuration: {activity_arn}"
                )));
            }
            // A repeat's tags are "ignored, not applied" (AWS-API.md A3), so
            // however many there are, none is added to the activity and
            // none can exceed its quota.
            return Ok(CreateActivityOutput {
                activity_arn,
                creation_date: a.creation,
            });
        }
        if input.tags.len() > MAX_TAGS {
            return Err(Error::TooManyTags {
                message: format!("an activity may have at most {MAX_TAGS} tags"),
                resource_name: activity_arn,
            });
        }
        if activities.len() >= MAX_ACTIVITIES {
            return Err(Error::ActivityLimitExceeded(format!(
                "at most {MAX_ACTIVITIES} activities may exist"
            )));
        }
        let creation = self.wall();
        // Lock order: the registry's lock, then the shards'.
        self.core.open_namespace(Face::Sfn, &input.name);
        activities.insert(
            input.name,
            Activity {
                creation,
                encryption,
                tags: input.tags,
            },
        );
        Ok(CreateActivityOutput {
            activity_arn,
            creation_date: creation,
        })
    }

    /// Validates an activity ARN member and parses it.
    fn activity_member<'a>(
        &self,
        member: &str,
        value: &'a str,
    ) -> Result<arn::ActivityArn<'a>, Error> {
        let mut c = self.checker();
        c.len(member, value, 1, 256);
        c.finish()?;
        arn::parse_activity(value)
            .ok_or_else(|| Error::InvalidArn(format!("invalid activity ARN: {value}")))
    }

    /// `DescribeActivity`.
    ///
    /// # Errors
    ///
    /// `Validation` (an ARN outside 1–256 characters), `InvalidArn` (not a
    /// well-formed activity ARN), `ActivityDoesNotExist`.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, DescribeActivityInput, EncryptionType, Error};
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let d = sfn.describe_activity(DescribeActivityInput { activity_arn: arn })?;
    /// assert_eq!(d.name, "a");
    /// assert_eq!(d.encryption_configuration.map(|e| e.r#type), Some(EncryptionType::AwsOwnedKey));
    /// let unknown = DescribeActivityInput { activity_arn: sfn.activity_arn("b") };
    /// assert!(matches!(sfn.describe_activity(unknown), Err(Error::ActivityDoesNotExist(_))));
    /// let bad = DescribeActivityInput { activity_arn: "arn:nope".into() };
    /// assert!(matches!(sfn.describe_activity(bad), Err(Error::InvalidArn(_))));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn describe_activity(
        &self,
        input: DescribeActivityInput,
    ) -> Result<DescribeActivityOutput, Error> {
        let a = self.activity_member("activityArn", &input.activity_arn)?;
        let missing = || {
            Error::ActivityDoesNotExist(format!("activity does not exist: {}", input.activity_arn))
        };
        if !self.is_ours(&a.scope) {
            return Err(missing());
        }
        let activities = self.reg.activities.read();
        let entry = activities.get(a.name).ok_or_else(missing)?;
        Ok(DescribeActivityOutput {
            activity_arn: self.activity_arn(a.name),
            name: a.name.to_owned(),
            creation_date: entry.creation,
            encryption_configuration: Some(entry.encryption.clone()),
        })
    }

    /// `ListActivities`: every activity, in name order, in pages of
    /// `max_results` (default 100, at most 1000).
    ///
    /// A page token is the position of the next activity in name order, so
    /// an activity deleted between two pages may shift a later one onto the
    /// page already read (AWS calls this listing eventually consistent).
    /// It also carries the time it was issued on the engine's clock, and
    /// expires 24 h later (AWS-API.md A3, A4): a token exactly 24 h old is
    /// still accepted, an older one is `InvalidToken`.
    ///
    /// # Errors
    ///
    /// `Validation` (`max_results` outside 0–1000, a token outside 1–1024
    /// characters), `InvalidToken` (a token this operation did not issue, or
    /// one issued more than 24 h ago on the engine's clock).
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, ListActivitiesInput};
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// for name in ["a", "b", "c"] {
    ///     sfn.create_activity(CreateActivityInput { name: name.into(), ..Default::default() })?;
    /// }
    /// let first = sfn.list_activities(ListActivitiesInput { max_results: Some(2), next_token: None })?;
    /// assert_eq!(first.activities.len(), 2);
    /// let rest = sfn.list_activities(ListActivitiesInput { max_results: Some(2), next_token: first.next_token })?;
    /// assert_eq!(rest.activities[0].name, "c");
    /// assert!(rest.next_token.is_none());
    /// # Ok::<(), activity_broker::sfn::Error>(())
    /// ```
    pub fn list_activities(
        &self,
        input: ListActivitiesInput,
    ) -> Result<ListActivitiesOutput, Error> {
        let mut c = self.checker();
        let size = check_page(&mut c, input.max_results, input.next_token.as_deref());
        c.finish()?;
        let now = self.core.clock.tick();
        let start = page_start(Listing::Activities, input.next_token.as_deref(), now)?;
        let activities = self.reg.activities.read();
        let items: Vec<ActivityListItem> = activities
            .iter()
            .skip(start)
            .take(size)
            .map(|(name, a)| ActivityListItem {
                activity_arn: self.activity_arn(name),
                name: name.clone(),
                creation_date: a.creation,
            })
            .collect();
        let end = start.saturating_add(items.len());
        let next_token =
            (end < activities.len()).then(|| page::encode(Listing::Activities, end as u64, now));
        Ok(ListActivitiesOutput {
            activities: items,
            next_token,
        })
    }

    /// `DeleteActivity`: deletes an activity. Deleting one that does not
    /// exist is not an error (AWS lists only `InvalidArn`).
    ///
    /// What becomes of its work, so that no thread hangs and no task
    /// vanishes: workers blocked in `get_activity_task` on it return at once
    /// with the empty result; queued tasks fail (`ActivityFailed` with error
    /// `ActivityBroker.ActivityDeleted`), failing their executions; started tasks
    /// keep running, and their tokens stay valid until they close or time
    /// out. A later activity of the same name is a new, empty activity.
    ///
    /// # Errors
    ///
    /// `Validation`, `InvalidArn`, `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, DeleteActivityInput, DescribeActivityInput, Error};
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// sfn.delete_activity(DeleteActivityInput { activity_arn: arn.clone() })?;
    /// sfn.delete_activity(DeleteActivityInput { activity_arn: arn.clone() })?; // not an error
    /// let gone = sfn.describe_activity(DescribeActivityInput { activity_arn: arn });
    /// assert!(matches!(gone, Err(Error::ActivityDoesNotExist(_))));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn delete_activity(
        &self,
        input: DeleteActivityInput,
    ) -> Result<DeleteActivityOutput, Error> {
        let a = self.activity_member("activityArn", &input.activity_arn)?;
        self.live()?;
        if !self.is_ours(&a.scope) {
            return Ok(DeleteActivityOutput {});
        }
        let mut activities = self.reg.activities.write();
        if activities.remove(a.name).is_some() {
            // Under the registry lock, so a create of the same name cannot
            // open the namespace between the removal and the close.
            self.core.close_namespace(
                Face::Sfn,
                a.name,
                render::ACTIVITY_DELETED,
                render::ACTIVITY_DELETED_CAUSE,
            );
        }
        Ok(DeleteActivityOutput {})
    }

    // ----- workers ----------------------------------------------------------

    /// `GetActivityTask` with the engine's long-poll duration (60 s by
    /// default, [`BrokerBuilder::long_poll`](crate::BrokerBuilder::long_poll)).
    ///
    /// Returns a queued task of the activity at once (oldest first),
    /// recording `ActivityStarted` with `worker_name`; otherwise waits for
    /// an execution to schedule one. When the wait ends with no task, the
    /// output has no token ([`GetActivityTaskOutput::is_empty`]), as AWS
    /// answers. A poll waiting when its activity is deleted, or the broker
    /// shut down, returns the empty result at once.
    ///
    /// # Errors
    ///
    /// `Validation` (an ARN outside 1–256 characters, a worker name outside
    /// 1–80), `InvalidArn`, `ActivityDoesNotExist`,
    /// `ActivityWorkerLimitExceeded` (as many workers wait on the activity as
    /// [`BrokerBuilder::max_pollers`](crate::BrokerBuilder::max_pollers)
    /// allows), `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, GetActivityTaskInput};
    /// use activity_broker::{Broker, ManualClock};
    /// use std::time::Duration;
    ///
    /// let clock = ManualClock::new();
    /// let sfn = Broker::builder().clock(clock.clone()).build()?.sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "idle".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let worker = {
    ///     let (sfn, arn) = (sfn.clone(), arn.clone());
    ///     std::thread::spawn(move || sfn.get_activity_task(GetActivityTaskInput {
    ///         activity_arn: arn,
    ///         worker_name: Some("w1".into()),
    ///     }))
    /// };
    /// // Wait until the worker is parked, then let 60 virtual seconds pass.
    /// while sfn.waiting_pollers(&arn) == 0 {
    ///     std::thread::yield_now();
    /// }
    /// clock.advance(Duration::from_secs(60));
    /// let got = worker.join().expect("worker")?;
    /// assert!(got.is_empty());
    /// assert_eq!(got.task_token, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_activity_task(
        &self,
        input: GetActivityTaskInput,
    ) -> Result<GetActivityTaskOutput, Error> {
        self.get_activity_task_timeout(input, self.core.config.long_poll)
    }

    /// `GetActivityTask` waiting at most `timeout` (zero: do not wait).
    ///
    /// # Errors
    ///
    /// As [`get_activity_task`](Client::get_activity_task).
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, GetActivityTaskInput};
    /// use std::time::Duration;
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let input = GetActivityTaskInput { activity_arn: arn, worker_name: None };
    /// assert!(sfn.get_activity_task_timeout(input, Duration::ZERO)?.is_empty());
    /// # Ok::<(), activity_broker::sfn::Error>(())
    /// ```
    pub fn get_activity_task_timeout(
        &self,
        input: GetActivityTaskInput,
        timeout: Duration,
    ) -> Result<GetActivityTaskOutput, Error> {
        self.poll(input, Wait::For(timeout), None)
    }

    /// `GetActivityTask` waiting until `deadline`, an instant on the
    /// engine's clock ([`Client::now`]); a past deadline does not wait.
    ///
    /// # Errors
    ///
    /// As [`get_activity_task`](Client::get_activity_task).
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, GetActivityTaskInput};
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let input = GetActivityTaskInput { activity_arn: arn, worker_name: None };
    /// assert!(sfn.get_activity_task_deadline(input, sfn.now())?.is_empty());
    /// # Ok::<(), activity_broker::sfn::Error>(())
    /// ```
    pub fn get_activity_task_deadline(
        &self,
        input: GetActivityTaskInput,
        deadline: Instant,
    ) -> Result<GetActivityTaskOutput, Error> {
        let deadline = self.core.clock.tick_of(deadline);
        self.poll(input, Wait::Until(deadline), None)
    }

    /// `GetActivityTask` waiting until `deadline` unless `cancel` is
    /// canceled first; then it returns the empty result at once and no task
    /// is handed to it.
    ///
    /// # Errors
    ///
    /// As [`get_activity_task`](Client::get_activity_task).
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, GetActivityTaskInput};
    /// use activity_broker::PollCancel;
    /// use std::time::Duration;
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let cancel = PollCancel::new();
    /// cancel.cancel();
    /// let input = GetActivityTaskInput { activity_arn: arn, worker_name: None };
    /// let deadline = sfn.now() + Duration::from_secs(60);
    /// assert!(sfn.get_activity_task_cancelable(input, deadline, &cancel)?.is_empty());
    /// # Ok::<(), activity_broker::sfn::Error>(())
    /// ```
    pub fn get_activity_task_cancelable(
        &self,
        input: GetActivityTaskInput,
        deadline: Instant,
        cancel: &PollCancel,
    ) -> Result<GetActivityTaskOutput, Error> {
        let deadline = self.core.clock.tick_of(deadline);
        self.poll(input, Wait::Until(deadline), Some(cancel))
    }

    fn poll(
        &self,
        input: GetActivityTaskInput,
        wait: Wait,
        cancel: Option<&PollCancel>,
    ) -> Result<GetActivityTaskOutput, Error> {
        let mut c = self.checker();
        c.len("activityArn", &input.activity_arn, 1, 256);
        c.opt_len("workerName", input.worker_name.as_deref(), 1, 80);
        c.finish()?;
        let a =
            arn::parse_activity_in(&input.activity_arn, self.home.as_ref()).ok_or_else(|| {
                Error::InvalidArn(format!("invalid activity ARN: {}", input.activity_arn))
            })?;
        let missing = || {
            Error::ActivityDoesNotExist(format!("activity does not exist: {}", input.activity_arn))
        };
        if !self.is_ours(&a.scope) {
            return Err(missing());
        }
        let id = ListId::new(Face::Sfn, a.name, "");
        match self.core.poll(&id, input.worker_name, wait, cancel) {
            Ok(None) => Ok(GetActivityTaskOutput::default()),
            Ok(Some(s)) => Ok(GetActivityTaskOutput {
                task_token: Some(s.token),
                input: s.input,
            }),
            Err(CoreError::UnknownNamespace) => Err(missing()),
            Err(e) => Err(error::from_core(e)),
        }
    }

    /// Workers now blocked in `get_activity_task` on the activity (0 for a
    /// malformed or unknown ARN). Tests use it to wait until a worker is
    /// parked before moving a manual clock.
    ///
    /// # Examples
    ///
    /// See [`get_activity_task`](Client::get_activity_task).
    pub fn waiting_pollers(&self, activity_arn: &str) -> usize {
        match arn::parse_activity(activity_arn) {
            Some(a) if self.is_ours(&a.scope) => {
                self.core
                    .waiting_pollers(&ListId::new(Face::Sfn, a.name, ""))
            }
            _ => 0,
        }
    }

    /// Tasks of the activity queued and not yet started (0 for a malformed
    /// or unknown ARN). Not an AWS operation: a window for tests and
    /// monitoring.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::{CreateActivityInput, StartExecutionInput};
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// assert_eq!(sfn.pending_tasks(&arn), 0);
    /// sfn.start_execution(StartExecutionInput {
    ///     state_machine_arn: sfn.state_machine_arn("m"),
    ///     activity_arn: arn.clone(),
    ///     ..Default::default()
    /// })?;
    /// assert_eq!(sfn.pending_tasks(&arn), 1);
    /// # Ok::<(), activity_broker::sfn::Error>(())
    /// ```
    pub fn pending_tasks(&self, activity_arn: &str) -> usize {
        match arn::parse_activity(activity_arn) {
            Some(a) if self.is_ours(&a.scope) => {
                self.core.pending(&ListId::new(Face::Sfn, a.name, ""))
            }
            _ => 0,
        }
    }

    fn check_token(c: &mut Checker, token: &str) {
        c.len("taskToken", token, 1, 2048);
    }

    /// `SendTaskSuccess`: records `ActivitySucceeded` with `output`, closes
    /// the task (its token dies) and ends its execution, `SUCCEEDED` with
    /// that output.
    ///
    /// # Errors
    ///
    /// `Validation` (a token outside 1–2048 characters; output over 262,144
    /// UTF-8 bytes, whose value the message leaves out as AWS does for
    /// sensitive members), `InvalidOutput` (output that is not JSON),
    /// `InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut` (see [`Error`]),
    /// `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn send_task_success(
        &self,
        input: SendTaskSuccessInput,
    ) -> Result<SendTaskSuccessOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        c.bytes_hidden("output", &input.output, MAX_PAYLOAD);
        c.finish()?;
        if !json::is_valid(&input.output) {
            return Err(Error::InvalidOutput(
                "the output is not valid JSON".to_owned(),
            ));
        }
        self.core
            .respond(
                Face::Sfn,
                &input.task_token,
                Outcome::Completed {
                    result: Some(input.output),
                },
            )
            .map_err(error::from_core)?;
        Ok(SendTaskSuccessOutput {})
    }

    /// `SendTaskFailure`: records `ActivityFailed` with `error` and `cause`,
    /// closes the task and ends its execution, `FAILED` with them.
    ///
    /// # Errors
    ///
    /// `Validation` (a token outside 1–2048 characters, an error over 256 or
    /// a cause over 32,768 characters; values left out of the message),
    /// `InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut`,
    /// `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::*;
    ///
    /// let sfn = activity_broker::Broker::new().sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "a".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let run = sfn.start_execution(StartExecutionInput {
    ///     state_machine_arn: sfn.state_machine_arn("m"),
    ///     activity_arn: arn.clone(),
    ///     ..Default::default()
    /// })?;
    /// let task = sfn.get_activity_task(GetActivityTaskInput { activity_arn: arn, worker_name: None })?;
    /// sfn.send_task_failure(SendTaskFailureInput {
    ///     task_token: task.task_token.expect("queued"),
    ///     error: Some("Resize.TooLarge".into()),
    ///     cause: Some("40000 x 40000 pixels".into()),
    /// })?;
    /// let d = sfn.describe_execution(DescribeExecutionInput { execution_arn: run.execution_arn })?;
    /// assert_eq!(d.status, ExecutionStatus::Failed);
    /// assert_eq!(d.error.as_deref(), Some("Resize.TooLarge"));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn send_task_failure(
        &self,
        input: SendTaskFailureInput,
    ) -> Result<SendTaskFailureOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        if let Some(e) = &input.error {
            c.len_hidden("error", e, 256);
        }
        if let Some(cause) = &input.cause {
            c.len_hidden("cause", cause, 32_768);
        }
        c.finish()?;
        self.core
            .respond(
                Face::Sfn,
                &input.task_token,
                Outcome::Failed {
                    reason: input.error,
                    details: input.cause,
                },
            )
            .map_err(error::from_core)?;
        Ok(SendTaskFailureOutput {})
    }

    /// `SendTaskHeartbeat`: resets the task's `HeartbeatSeconds` clock (not
    /// its `TimeoutSeconds` clock, which bounds the task however often it
    /// beats) and records no event.
    ///
    /// # Errors
    ///
    /// `Validation`, `InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut`,
    /// `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// See [`Error`].
    pub fn send_task_heartbeat(
        &self,
        input: SendTaskHeartbeatInput,
    ) -> Result<SendTaskHeartbeatOutput, Error> {
        let mut c = self.checker();
        Self::check_token(&mut c, &input.task_token);
        c.finish()?;
        self.core
            .heartbeat(Face::Sfn, &input.task_token, None)
            .map_err(error::from_core)?;
        Ok(SendTaskHeartbeatOutput {})
    }

    // ----- executions -------------------------------------------------------

    /// `StartExecution` of a state machine whose one Task state runs
    /// `activity_arn` (see [`StartExecutionInput`]): records
    /// `ExecutionStarted`, then schedules the task with the execution's
    /// input (`ActivityScheduled`), handing it to a waiting worker at once if
    /// there is one.
    ///
    /// If the activity does not exist (a well-formed ARN naming none here),
    /// the call still succeeds, as in AWS a state machine only learns this
    /// when it runs: the history records `ActivityScheduleFailed` (error
    /// `ActivityDoesNotExist`) and the execution fails with it.
    ///
    /// Names are unique per state machine while the execution is kept (90
    /// days after it closes). Starting a running execution again with the
    /// same request returns the same answer, as AWS does.
    ///
    /// # Errors
    ///
    /// `Validation` (ARNs outside 1–256 characters, a name outside 1–80,
    /// input over 262,144 UTF-8 bytes, `timeout_seconds` outside
    /// 1–99,999,999, `heartbeat_seconds` not from 1 to below the timeout),
    /// `InvalidArn` (either ARN), `InvalidName`, `InvalidExecutionInput`
    /// (input that is not JSON), `StateMachineDoesNotExist` (an ARN of
    /// another region or account), `ExecutionAlreadyExists`,
    /// `ExecutionLimitExceeded` (the activity's task list is full),
    /// `ServiceUnavailable` after shutdown.
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn start_execution(
        &self,
        mut input: StartExecutionInput,
    ) -> Result<StartExecutionOutput, Error> {
        let mut c = self.checker();
        c.len("stateMachineArn", &input.state_machine_arn, 1, 256);
        c.opt_len("name", input.name.as_deref(), 1, 80);
        if let Some(i) = &input.input {
            c.bytes_hidden("input", i, MAX_PAYLOAD);
        }
        c.len("activityArn", &input.activity_arn, 1, 256);
        let mut timeout = MAX_TIMEOUT_SECONDS;
        if let Some(t) = input.timeout_seconds {
            c.range("timeoutSeconds", t, 1, MAX_TIMEOUT_SECONDS);
            if (1..=MAX_TIMEOUT_SECONDS).contains(&t) {
                timeout = t;
            }
        }
        if let Some(h) = input.heartbeat_seconds {
            c.range("heartbeatSeconds", h, 1, timeout - 1);
        }
        c.finish()?;
        let machine = arn::parse_state_machine_in(&input.state_machine_arn, self.home.as_ref())
            .ok_or_else(|| {
                Error::InvalidArn(format!(
                    "invalid state machine ARN: {}",
                    input.state_machine_arn
                ))
            })?;
        let activity =
            arn::parse_activity_in(&input.activity_arn, self.home.as_ref()).ok_or_else(|| {
                Error::InvalidArn(format!("invalid activity ARN: {}", input.activity_arn))
            })?;
        if let Some(n) = &input.name {
            if !sfn_name_chars_ok(n) {
                return Err(Error::InvalidName(format!("invalid execution name: {n}")));
            }
        }
        if let Some(i) = &input.input {
            if !json::is_valid(i) {
                return Err(Error::InvalidExecutionInput(
                    "the input is not valid JSON".to_owned(),
                ));
            }
        }
        if !self.is_ours(&machine.scope) {
            return Err(Error::StateMachineDoesNotExist(format!(
                "state machine does not exist: {}",
                input.state_machine_arn
            )));
        }
        self.live()?;
        // The request is ours: its strings are moved, not copied.
        let name = input.name.take().unwrap_or_else(|| self.core.new_run_id());
        let mut key = String::with_capacity(machine.name.len() + 1 + name.len());
        key.push_str(machine.name);
        key.push(':');
        key.push_str(&name);
        let execution_arn = self.arn_of("execution", &key);
        let exec_input = input.input.take().unwrap_or_else(|| "{}".to_owned());

        // Claim the name and start the execution, atomically with other
        // starts (lock order: this registry lock, then the execution table).
        let exec = {
            let mut executions = self.reg.executions.lock();
            if let Some((existing, entry)) = executions.get(&key) {
                let st = existing.state.lock();
                let same_input = st
                    .history
                    .first()
                    .is_some_and(|e| matches!(&e.kind, crate::history::EventKind::ExecutionStarted(s) if s.input.as_deref() == Some(exec_input.as_str())));
                let same = st.is_open()
                    && same_input
                    && entry.same_task(
                        &input.activity_arn,
                        input.timeout_seconds,
                        input.heartbeat_seconds,
                    );
                if same {
                    return Ok(StartExecutionOutput {
                        execution_arn,
                        start_date: self.core.clock.wall_of(st.started_at),
                    });
                }
                return Err(Error::ExecutionAlreadyExists(format!(
                    "execution already exists: {execution_arn}"
                )));
            }
            let start = ExecutionStart {
                type_name: std::mem::take(&mut input.state_machine_arn),
                input: Some(exec_input.clone()),
                ..Default::default()
            };
            let exec = self
                .core
                .start_execution(
                    Face::Sfn,
                    activity.name,
                    &key,
                    Some(RETENTION),
                    FollowUp::CloseExecution,
                    start,
                    Some(MAX_EXECUTION_TIME),
                )
                .map_err(error::from_core)?;
            let activity_arn = executions.arn(&input.activity_arn);
            executions.insert(
                &key,
                ExecEntry::new(
                    Arc::downgrade(&exec),
                    activity_arn,
                    input.timeout_seconds,
                    input.heartbeat_seconds,
                ),
            );
            exec
        };
        let start_date = self.core.clock.wall_of(exec.state.lock().started_at);

        // Schedule the task; the registry lock is released (apply locks a
        // shard).
        let secs = |s: i64| Duration::from_secs(u64::try_from(s).unwrap_or(0));
        let spec = TaskRequest {
            activity_id: activity.name.to_owned(),
            type_name: input.activity_arn.clone(),
            type_version: String::new(),
            input: Some(exec_input),
            control: None,
            task_list: String::new(),
            priority: 0,
            priority_set: false,
            timeouts: Timeouts {
                schedule_to_start: Timeout::NONE,
                schedule_to_close: Timeout::new(Some(secs(timeout))),
                start_to_close: Timeout::NONE,
                heartbeat: Timeout::new(input.heartbeat_seconds.map(secs)),
            },
        };
        let failure = if !self.is_ours(&activity.scope) {
            Some(ScheduleFailure::TypeDoesNotExist)
        } else {
            let schedule = CoreDecision::Schedule { spec };
            match self.core.apply_decision(&exec, schedule, None) {
                Ok(_) | Err(CoreError::ExecutionClosed) => None,
                Err(CoreError::UnknownNamespace) => Some(ScheduleFailure::TypeDoesNotExist),
                Err(CoreError::QueueFull) => {
                    self.undo_start(&key, &exec);
                    return Err(Error::ExecutionLimitExceeded(format!(
                        "the task list of {} is full",
                        input.activity_arn
                    )));
                }
                Err(e) => {
                    // Shut down between the start and the schedule: the
                    // execution must not stay open without a task.
                    let _ = self.core.close_execution(
                        &exec,
                        ExecutionClose::Terminated {
                            reason: Some("activity-broker shut down".to_owned()),
                            details: None,
                            cause: Some("OPERATOR_INITIATED"),
                            child_policy: None,
                        },
                    );
                    return Err(error::from_core(e));
                }
            }
        };
        if let Some(cause) = failure {
            self.fail_schedule(&exec, activity.name, &input.activity_arn, cause);
        }
        Ok(StartExecutionOutput {
            execution_arn,
            start_date,
        })
    }

    /// Records `ActivityScheduleFailed` and fails the execution with it.
    fn fail_schedule(
        &self,
        exec: &Arc<Execution>,
        activity_id: &str,
        activity_arn: &str,
        cause: ScheduleFailure,
    ) {
        let decision = CoreDecision::ScheduleFailed {
            activity_id: activity_id.to_owned(),
            type_name: activity_arn.to_owned(),
            type_version: String::new(),
            cause,
        };
        // Either fails only if the broker shut down meanwhile, which closed
        // the execution already.
        let _ = self.core.apply_decision(exec, decision, None);
        let (error, cause) = render::schedule_failure(cause, activity_arn);
        let _ = self.core.close_execution(
            exec,
            ExecutionClose::Failed {
                reason: Some(error),
                details: Some(cause),
            },
        );
    }

    /// Forgets an execution whose task could not be scheduled, so that the
    /// failed call leaves nothing behind.
    fn undo_start(&self, key: &str, exec: &Arc<Execution>) {
        self.reg.executions.lock().remove_if(key, exec);
        self.core.discard_execution(exec);
    }

    /// Validates an execution ARN member and finds its execution.
    fn execution(&self, execution_arn: &str, c: Checker) -> Result<Arc<Execution>, Error> {
        let mut c = c;
        c.len("executionArn", execution_arn, 1, 256);
        c.finish()?;
        let e = arn::parse_execution(execution_arn)
            .ok_or_else(|| Error::InvalidArn(format!("invalid execution ARN: {execution_arn}")))?;
        let missing =
            || Error::ExecutionDoesNotExist(format!("execution does not exist: {execution_arn}"));
        if !self.is_ours(&e.scope) {
            return Err(missing());
        }
        let key = format!("{}:{}", e.state_machine, e.name);
        let found = self.reg.executions.lock().get(&key).map(|(exec, _)| exec);
        found.ok_or_else(missing)
    }

    /// `DescribeExecution`: status, dates, input, and the output or error
    /// it ended with.
    ///
    /// # Errors
    ///
    /// `Validation`, `InvalidArn` (not a well-formed execution ARN),
    /// `ExecutionDoesNotExist` (never started, or past its retention).
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn describe_execution(
        &self,
        input: DescribeExecutionInput,
    ) -> Result<DescribeExecutionOutput, Error> {
        let exec = self.execution(&input.execution_arn, self.checker())?;
        let st = exec.state.lock();
        Ok(render::describe(
            &self.core.clock,
            &self.core.config.region,
            &self.core.config.account,
            &exec,
            &st,
        ))
    }

    /// `GetExecutionHistory`: the events, oldest first (or newest first with
    /// `reverse_order`), in pages of `max_results` (default 100, at most
    /// 1000). Event ids run 1, 2, 3, …; see [`HistoryEvent`].
    ///
    /// # Errors
    ///
    /// `Validation` (`max_results` outside 0–1000, a token outside 1–1024
    /// characters), `InvalidArn`, `ExecutionDoesNotExist`, `InvalidToken` (a
    /// page token this operation did not issue). Its page tokens do not
    /// expire: AWS-API.md gives a lifetime only for `ListActivities` tokens.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::sfn::*;
    /// use activity_broker::{Broker, ManualClock};
    /// use std::time::Duration;
    ///
    /// let clock = ManualClock::new();
    /// let sfn = Broker::builder().clock(clock.clone()).build()?.sfn();
    /// let arn = sfn.create_activity(CreateActivityInput { name: "slow".into(), ..Default::default() })?
    ///     .activity_arn;
    /// let run = sfn.start_execution(StartExecutionInput {
    ///     state_machine_arn: sfn.state_machine_arn("m"),
    ///     activity_arn: arn.clone(),
    ///     timeout_seconds: Some(30),
    ///     ..Default::default()
    /// })?;
    /// clock.advance(Duration::from_secs(30)); // nobody took the task
    /// let h = sfn.get_execution_history(GetExecutionHistoryInput {
    ///     execution_arn: run.execution_arn,
    ///     reverse_order: true,
    ///     ..Default::default()
    /// })?;
    /// assert_eq!(h.events[0].event_type, HistoryEventType::ExecutionFailed);
    /// assert_eq!(h.events[1].details, EventDetails::ActivityTimedOut {
    ///     error: Some("States.Timeout".into()),
    ///     cause: None,
    /// });
    /// assert_eq!(h.events[1].id.get(), 3);
    /// assert_eq!(h.events[1].previous_event_id.get(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_execution_history(
        &self,
        input: GetExecutionHistoryInput,
    ) -> Result<GetExecutionHistoryOutput, Error> {
        let mut c = self.checker();
        let size = check_page(&mut c, input.max_results, input.next_token.as_deref());
        let exec = self.execution(&input.execution_arn, c)?;
        let now = self.core.clock.tick();
        let start = page_start(Listing::SfnHistory, input.next_token.as_deref(), now)?;
        let include = input.include_execution_data.unwrap_or(true);
        let st = exec.state.lock();
        let all = st.history.iter();
        let n = st.history.len();
        let start = start.min(n);
        let end = start.saturating_add(size).min(n);
        let picked: Box<dyn Iterator<Item = (crate::EventId, &crate::history::Event)>> =
            if input.reverse_order {
                Box::new(all.rev().skip(start).take(end - start))
            } else {
                Box::new(all.skip(start).take(end - start))
            };
        let events = picked
            .filter_map(|e| render::event(&self.core.clock, &st, e, include))
            .collect();
        Ok(GetExecutionHistoryOutput {
            events,
            next_token: (end < n).then(|| page::encode(Listing::SfnHistory, end as u64, now)),
        })
    }
}
