//! An embedded, in-process activity-task engine with the semantics of Amazon
//! SWF's activity tasks and AWS Step Functions activities.
//!
//! Workers long-poll a named task list (up to 60 s; on timeout they get a task
//! whose token is empty), receive an opaque task token, heartbeat, and
//! complete, fail or cancel the task. Every step is recorded in the
//! execution's append-only history. There is no networking: the engine is a
//! library, a test double for code that talks to AWS, and a benchmark target.
//!
//! # Quick start
//!
//! ```
//! use activity_broker::swf::*;
//! use activity_broker::{Broker, ManualClock};
//!
//! let clock = ManualClock::new();
//! let swf = Broker::builder().clock(clock.clone()).build()?.swf();
//! swf.register_domain(RegisterDomainInput {
//!     name: "d".into(),
//!     workflow_execution_retention_period_in_days: "1".into(),
//!     ..Default::default()
//! })?;
//! // Nothing is queued: a zero-timeout poll returns AWS's empty task.
//! let task = swf.poll_for_activity_task_timeout(
//!     PollForActivityTaskInput {
//!         domain: "d".into(),
//!         task_list: TaskList::new("work"),
//!         ..Default::default()
//!     },
//!     std::time::Duration::ZERO,
//! )?;
//! assert!(task.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The [`swf`] module documentation walks a whole activity lifecycle.
//!
//! # Concepts
//!
//! - **Task lists** are named queues inside a namespace (an SWF domain, a
//!   Step Functions activity). They need no registration, are bounded
//!   ([`BrokerBuilder::queue_capacity`]), deliver higher priorities first and
//!   FIFO within a priority, and vanish when drained and unpolled.
//! - **Long polling**: a poll returns a queued task at once, or waits until a
//!   schedule hands it one (the longest-waiting poller first; one schedule
//!   wakes one poller), its deadline passes, or a [`PollCancel`] withdraws
//!   it. Three forms: the engine's default wait, an explicit timeout, or a
//!   deadline on the engine's clock.
//! - **Tokens** are opaque, URL-safe, unforgeable (128 random bits), and
//!   resolved in O(1). A token of a closed task is refused forever.
//! - **Clocks**: the system [`Clock`], or a [`ManualClock`] on which nothing
//!   waits in real time and every timeout fires at the advance that crosses
//!   it.
//! - **History**: every execution has an append-only history with event ids
//!   1, 2, 3, ...; a poll's `startedEventId` is the id of the
//!   `ActivityTaskStarted` event it recorded.
//! - **Errors**: each face has one error enum whose variants are its AWS
//!   faults ([`swf::Error`]), plus AWS's `ValidationException`
//!   ([`ValidationError`]). A call that fails changes nothing.
//!
//! # Features
//!
//! - `json` (off by default): the AWS JSON 1.0 protocol of both services in
//!   the `wire` module: every input, output, history event and error in its
//!   AWS shape (serde), and a dispatcher from `X-Amz-Target` and a request
//!   body to AWS's status and response body. The workspace's
//!   `activity-broker-aws` crate runs the official AWS SDK for Rust on it.
#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    rust_2018_idioms
)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![doc(test(attr(deny(warnings))))]

mod arena;
mod broker;
mod clock;
mod error;
mod execution;
mod hash_index;
mod history;
mod list_name;
mod names;
mod page;
mod queue;
mod segments;
mod shard;
mod slots;
mod sync;
mod timer;
mod token;
mod validation;
mod waiter;

pub mod sfn;
pub mod swf;
#[cfg(feature = "json")]
pub mod wire;

pub use broker::{Broker, BrokerBuilder, BuildError, ShutdownReport};
pub use clock::{Clock, ManualClock};
pub use history::EventId;
pub use validation::{Constraint, ValidationError, Violation};
pub use waiter::PollCancel;

/// The README's example, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
