//! An embedded, in-process activity-task engine with the semantics of Amazon
//! SWF's activity tasks and AWS Step Functions activities.
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

mod broker;
mod clock;
mod error;
mod execution;
mod history;
mod names;
mod page;
mod queue;
mod shard;
mod sync;
mod timer;
mod token;
mod validation;
mod waiter;

pub mod sfn;
pub mod swf;

pub use broker::{Broker, BrokerBuilder, BuildError, ShutdownReport};
pub use clock::{Clock, ManualClock};
pub use history::EventId;
pub use validation::{Constraint, ValidationError, Violation};
pub use waiter::PollCancel;
