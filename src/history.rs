//! Execution histories: append-only vectors of events with dense ids.
//!
//! The core records facts in face-neutral terms ([`EventKind`]); each face
//! renders them as its own AWS event shapes when a history is read. An
//! event's id is its position plus one, so ids run 1, 2, 3, ... by
//! construction and lookups by id are O(1).
//!
//! **Invariant:** a history only grows, one event at a time, under its
//! execution's lock; no event is ever changed or removed (the whole history
//! is dropped when the execution's retention period ends). Timestamps never
//! decrease in id order ([`History::push`] clamps).

use std::time::Duration;

use crate::clock::Tick;

/// The id of an event in an execution's history: 1 for the first event, and
/// one more for each event after it.
///
/// # Examples
///
/// ```
/// use activity_broker::EventId;
///
/// let id = EventId::new(6);
/// assert_eq!(id.get(), 6);
/// assert_eq!(EventId::NONE.get(), 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(u64);

impl EventId {
    /// The id AWS writes where no event is meant: `0` (an empty poll's
    /// `startedEventId`, a timed-out task that never started).
    pub const NONE: EventId = EventId(0);

    /// The event id `n`.
    pub const fn new(n: u64) -> EventId {
        EventId(n)
    }

    /// The number, as the AWS `long` carries it.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Why an activity timed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TimeoutKind {
    ScheduleToStart,
    ScheduleToClose,
    StartToClose,
    Heartbeat,
}

/// Why a schedule request could not be carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ScheduleFailure {
    TypeDeprecated,
    TypeDoesNotExist,
    IdInUse,
    OpenLimitExceeded,
    ScheduleToCloseUndefined,
    TaskListUndefined,
    ScheduleToStartUndefined,
    StartToCloseUndefined,
    HeartbeatUndefined,
    NotPermitted,
}

/// Why a cancel request could not be carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CancelFailure {
    IdUnknown,
    NotPermitted,
}

/// How an execution closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExecutionClose {
    Completed {
        result: Option<String>,
    },
    Failed {
        reason: Option<String>,
        details: Option<String>,
    },
    TimedOut,
    Terminated {
        reason: Option<String>,
        details: Option<String>,
        cause: Option<&'static str>,
        /// The child policy the terminate call gave, overriding the
        /// execution's.
        child_policy: Option<String>,
    },
}

/// What was asked for when an execution started; faces read back the members
/// they know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ExecutionStart {
    pub(crate) type_name: String,
    pub(crate) type_version: String,
    pub(crate) input: Option<String>,
    pub(crate) task_list: Option<String>,
    pub(crate) task_priority: Option<i32>,
    pub(crate) execution_timeout: Option<Duration>,
    pub(crate) task_timeout: Option<Duration>,
    pub(crate) child_policy: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) role: Option<String>,
}

/// The four activity timeouts; `None` is `NONE`, no limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) schedule_to_start: Option<Duration>,
    pub(crate) schedule_to_close: Option<Duration>,
    pub(crate) start_to_close: Option<Duration>,
    pub(crate) heartbeat: Option<Duration>,
}

/// An activity task as it was scheduled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TaskSpec {
    /// SWF activity id; for Step Functions, the execution-unique id.
    pub(crate) activity_id: String,
    /// SWF activity-type name, or the Step Functions activity ARN.
    pub(crate) type_name: String,
    /// SWF activity-type version; empty for Step Functions.
    pub(crate) type_version: String,
    pub(crate) input: Option<String>,
    pub(crate) control: Option<String>,
    pub(crate) task_list: String,
    pub(crate) priority: i32,
    /// Whether the priority was given (SWF records `taskPriority` only then).
    pub(crate) priority_set: bool,
    pub(crate) timeouts: Timeouts,
}

/// A schedule request that could not be carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ScheduleFailed {
    pub(crate) activity_id: String,
    pub(crate) type_name: String,
    pub(crate) type_version: String,
    pub(crate) cause: ScheduleFailure,
    pub(crate) decision: EventId,
}

/// A face-neutral history event body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EventKind {
    ExecutionStarted(Box<ExecutionStart>),
    /// Boxed: closes are rare, and the variant would double every event.
    ExecutionClosed(Box<ExecutionClose>),
    DecisionTaskScheduled,
    DecisionTaskStarted {
        scheduled: EventId,
    },
    DecisionTaskCompleted {
        scheduled: EventId,
        started: EventId,
        context: Option<String>,
    },
    ActivityScheduled {
        spec: Box<TaskSpec>,
        decision: EventId,
    },
    /// Boxed for the same reason as `ExecutionClosed`.
    ScheduleFailed(Box<ScheduleFailed>),
    ActivityStarted {
        identity: Option<String>,
        scheduled: EventId,
    },
    ActivityCompleted {
        result: Option<String>,
        scheduled: EventId,
        started: EventId,
    },
    ActivityFailed {
        reason: Option<String>,
        details: Option<String>,
        scheduled: EventId,
        started: EventId,
    },
    ActivityTimedOut {
        kind: TimeoutKind,
        details: Option<String>,
        scheduled: EventId,
        started: EventId,
    },
    ActivityCanceled {
        details: Option<String>,
        scheduled: EventId,
        started: EventId,
        latest_cancel_requested: EventId,
    },
    CancelRequested {
        activity_id: String,
        decision: EventId,
    },
    CancelFailed {
        activity_id: String,
        cause: CancelFailure,
        decision: EventId,
    },
}

/// One recorded event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) id: EventId,
    pub(crate) at: Tick,
    pub(crate) kind: EventKind,
}

/// An append-only event log.
#[derive(Debug, Default)]
pub(crate) struct History {
    events: Vec<Event>,
}

impl History {
    /// Appends `kind` at time `at`, or at the previous event's time if that
    /// is later, and returns its id.
    ///
    /// Callers read the clock under a shard lock and append under the
    /// execution lock, which comes after it: two shards can therefore append
    /// to one history in the opposite order of their clock reads (and a
    /// timer fires at its deadline, which may precede an event already
    /// recorded). Clamping keeps timestamps non-decreasing in id order, as
    /// AWS histories are; an event never moves later than the moment it was
    /// appended, since the previous event's time had already come.
    pub(crate) fn push(&mut self, at: Tick, kind: EventKind) -> EventId {
        let id = EventId(self.events.len() as u64 + 1);
        let at = self.events.last().map_or(at, |last| last.at.max(at));
        self.events.push(Event { id, at, kind });
        id
    }

    /// Every event, oldest first.
    pub(crate) fn events(&self) -> &[Event] {
        &self.events
    }

    /// The event with id `id`.
    pub(crate) fn get(&self, id: EventId) -> Option<&Event> {
        let i = usize::try_from(id.0).ok()?.checked_sub(1)?;
        self.events.get(i)
    }

    /// The number of events.
    pub(crate) fn len(&self) -> usize {
        self.events.len()
    }

    /// The scheduled spec of the activity whose `ActivityScheduled` event is
    /// `scheduled`.
    pub(crate) fn spec(&self, scheduled: EventId) -> Option<&TaskSpec> {
        match &self.get(scheduled)?.kind {
            EventKind::ActivityScheduled { spec, .. } => Some(spec),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_from_one() {
        let mut h = History::default();
        assert_eq!(
            h.push(Tick(0), EventKind::DecisionTaskScheduled),
            EventId(1)
        );
        let started = h.push(
            Tick(5),
            EventKind::DecisionTaskStarted {
                scheduled: EventId(1),
            },
        );
        assert_eq!(started, EventId(2));
        assert_eq!(h.get(EventId(2)).map(|e| e.at), Some(Tick(5)));
        assert!(h.get(EventId(0)).is_none());
        assert!(h.get(EventId(3)).is_none());
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn timestamps_never_decrease() {
        let mut h = History::default();
        h.push(Tick(10), EventKind::DecisionTaskScheduled);
        // Appended later with an earlier clock reading (another shard, or a
        // timer firing at its deadline): it takes the previous time.
        let late = h.push(Tick(4), EventKind::DecisionTaskScheduled);
        assert_eq!(h.get(late).map(|e| e.at), Some(Tick(10)));
        let next = h.push(Tick(12), EventKind::DecisionTaskScheduled);
        assert_eq!(h.get(next).map(|e| e.at), Some(Tick(12)));
    }
}
