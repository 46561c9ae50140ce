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

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::arena::{self, Arena};
use crate::clock::Tick;
use crate::segments::{self, Segments};
use crate::sync::Mutex;

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
pub struct EventId(u32);

impl EventId {
    /// The id AWS writes where no event is meant: `0` (an empty poll's
    /// `startedEventId`, a timed-out task that never started).
    pub const NONE: EventId = EventId(0);

    /// The event id `n`.
    ///
    /// Ids are held in 32 bits, so that events, tasks and open activities
    /// that refer to other events stay small (DESIGN.md, "History"); `n`
    /// above `u32::MAX` is taken as `u32::MAX`. No history comes near it: one
    /// holds at most 25,001 events (AWS-API.md, "SWF quotas").
    pub const fn new(n: u64) -> EventId {
        if n > u32::MAX as u64 {
            EventId(u32::MAX)
        } else {
            EventId(n as u32)
        }
    }

    /// The number, as the AWS `long` carries it.
    pub const fn get(self) -> u64 {
        self.0 as u64
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
    /// The task list's queue is full (SWF's `ACTIVITY_CREATION_RATE_EXCEEDED`:
    /// the engine's bounded queue is its throttle on creating activities).
    CreationRateExceeded,
    ScheduleToCloseUndefined,
    TaskListUndefined,
    ScheduleToStartUndefined,
    StartToCloseUndefined,
    HeartbeatUndefined,
    NotPermitted,
}

impl ScheduleFailure {
    /// Whether this is one of the `DEFAULT_*_UNDEFINED` causes: a setting
    /// neither the decision nor the activity type gave.
    pub(crate) fn is_default_undefined(self) -> bool {
        matches!(
            self,
            ScheduleFailure::TaskListUndefined
                | ScheduleFailure::ScheduleToStartUndefined
                | ScheduleFailure::ScheduleToCloseUndefined
                | ScheduleFailure::StartToCloseUndefined
                | ScheduleFailure::HeartbeatUndefined
        )
    }
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

/// The four activity timeouts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) schedule_to_start: Timeout,
    pub(crate) schedule_to_close: Timeout,
    pub(crate) start_to_close: Timeout,
    pub(crate) heartbeat: Timeout,
}

/// An activity timeout in whole seconds, or `NONE`, no limit.
///
/// Four bytes where an `Option<Duration>` takes sixteen: every task spec
/// holds four. AWS timeouts are whole seconds of at most eight digits (SWF's
/// `DurationInSecondsOptional`, Step Functions' 1–99,999,999), far below
/// `u32::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeout(u32);

impl Timeout {
    /// No limit.
    pub(crate) const NONE: Timeout = Timeout(u32::MAX);

    /// `d`'s whole seconds (`None`: [`NONE`](Timeout::NONE)); a longer one is
    /// taken as the longest that is not `NONE`.
    pub(crate) fn new(d: Option<Duration>) -> Timeout {
        d.map_or(Timeout::NONE, |d| {
            Timeout(u32::try_from(d.as_secs()).map_or(u32::MAX - 1, |s| s.min(u32::MAX - 1)))
        })
    }

    /// The timeout, `None` for `NONE`.
    pub(crate) fn get(self) -> Option<Duration> {
        (self != Timeout::NONE).then(|| Duration::from_secs(u64::from(self.0)))
    }
}

impl Default for Timeout {
    fn default() -> Timeout {
        Timeout::NONE
    }
}

/// An activity task as a decision (SWF) or an execution start (Step
/// Functions) asks for it: owned strings, before they are recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TaskRequest {
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

/// An activity task as it was scheduled, its strings in the history's text
/// arena ([`History::str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TaskSpec {
    pub(crate) activity_id: Text,
    /// The type's name and version and the task list, back to back in one
    /// string ([`History::kind`]): an execution schedules one kind over and
    /// over, so its specs share one record of it, and one `Text` with two
    /// lengths takes twelve bytes where three took twenty-four.
    kind: Text,
    /// The bytes of the type name, then of the version, in `kind`. A name
    /// is at most 256 characters (1,024 bytes), a version 64.
    name_len: u16,
    version_len: u16,
    pub(crate) input: Option<Text>,
    pub(crate) control: Option<Text>,
    pub(crate) priority: i32,
    pub(crate) priority_set: bool,
    pub(crate) timeouts: Timeouts,
}

/// A string recorded in a history: a byte range of its text arena.
///
/// Events keep their strings in one arena per history instead of one
/// allocation each: an activity's lifecycle then allocates nothing that
/// outlives the call that recorded it, and a closed history is freed in a
/// handful of `free`s instead of one per string (freeing thousands of small
/// strings at once overflows the allocator's thread cache, and that slow
/// path dominated the profile, BENCHMARKS.md).
///
/// Eight bytes, and `Option<Text>` too: the length is kept plus one in a
/// `NonZeroU32`, whose zero is the `None`. Events hold up to three optional
/// strings, and that niche is what keeps an event within 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Text {
    /// Its place in the arena (chunk and offset, `arena.rs`), or
    /// [`SPILLED`]: then `len` is an index into the spill list.
    start: u32,
    /// The length (or spill index) plus one.
    len: NonZeroU32,
}

impl Text {
    const fn new(start: u32, len: u32) -> Text {
        // Arena lengths stop at `arena::LONGEST` and spill indexes at
        // `u32::MAX - 1` (see `put`), so the sum never wraps; were it to,
        // `MIN` keeps this total.
        match NonZeroU32::new(len.wrapping_add(1)) {
            Some(len) => Text { start, len },
            None => Text {
                start,
                len: NonZeroU32::MIN,
            },
        }
    }

    const fn len(self) -> u32 {
        self.len.get() - 1
    }
}

/// `Text::start` of a string kept in the spill list: longer than the arena
/// takes, or recorded after the arena reached its last chunk (4 GiB; 25,000
/// events of the longest members can exceed it). No arena place is this.
const SPILLED: u32 = u32::MAX;

/// Chunks the arena has before it spills. Unit tests spill early, so that
/// the spill path runs.
#[cfg(not(test))]
const ARENA_CHUNKS: usize = arena::MAX_CHUNKS;
#[cfg(test)]
const ARENA_CHUNKS: usize = 4;

const EMPTY: Text = Text::new(0, 0);
/// Two optional strings recorded back to back: an `ActivityFailed` event's
/// reason and details. Twelve bytes where two `Option<Text>` take sixteen,
/// which keeps that event, the largest, within an event's 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TextPair {
    /// Byte offset of the first string in the arena (the second follows it),
    /// or [`SPILLED`]: then the lengths are indexes into the spill list.
    start: u32,
    /// The first string's length (or spill index) plus one; 0 if absent.
    first: u32,
    /// The same for the second string.
    second: u32,
}

/// What [`History::spec_of`] answers for an id it never issued.
static NO_SPEC: TaskSpec = TaskSpec {
    activity_id: EMPTY,
    kind: EMPTY,
    name_len: 0,
    version_len: 0,
    input: None,
    control: None,
    priority: 0,
    priority_set: false,
    timeouts: Timeouts {
        schedule_to_start: Timeout::NONE,
        schedule_to_close: Timeout::NONE,
        start_to_close: Timeout::NONE,
        heartbeat: Timeout::NONE,
    },
};

/// Where an execution's decision tasks are scheduled, as a decider last
/// asked (SWF's `taskList` and `taskListScheduleToStartTimeout` of
/// `RespondDecisionTaskCompleted`, AWS-API.md A2).
///
/// The execution keeps the one in force, and each `DecisionTaskScheduled`
/// event a copy: a later request may name another list, and the events
/// recorded before it still show the list they were scheduled on. Sixteen
/// bytes, its name in the history's arena, so the variant that holds it
/// keeps an event within 32 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DecisionList {
    /// The list; `None`: the execution's own (its start's).
    pub(crate) task_list: Option<Text>,
    /// The schedule-to-start timeout; `None`: not given.
    pub(crate) schedule_to_start: Option<Timeout>,
}

/// What a decider asks of an execution's next decision tasks, before it is
/// recorded ([`DecisionList`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NextDecisionTasks {
    /// The list to schedule them on; `None` keeps the one in force.
    pub(crate) task_list: Option<String>,
    /// Their schedule-to-start timeout. With a new list and without this,
    /// the new list has none (AWS: "when this parameter is missing, the
    /// task list override is permanent").
    pub(crate) schedule_to_start: Option<Timeout>,
}

/// Which of a history's task specs an `ActivityScheduled` event holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SpecId(u32);

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
    DecisionTaskScheduled(DecisionList),
    DecisionTaskStarted {
        scheduled: EventId,
    },
    DecisionTaskCompleted {
        scheduled: EventId,
        started: EventId,
        context: Option<Text>,
    },
    ActivityScheduled {
        spec: SpecId,
        decision: EventId,
    },
    /// Boxed for the same reason as `ExecutionClosed`.
    ScheduleFailed(Box<ScheduleFailed>),
    ActivityStarted {
        identity: Option<Text>,
        scheduled: EventId,
    },
    ActivityCompleted {
        result: Option<Text>,
        scheduled: EventId,
        started: EventId,
    },
    ActivityFailed {
        /// The reason, then the details.
        texts: TextPair,
        scheduled: EventId,
        started: EventId,
    },
    ActivityTimedOut {
        kind: TimeoutKind,
        details: Option<Text>,
        scheduled: EventId,
        started: EventId,
    },
    ActivityCanceled {
        details: Option<Text>,
        scheduled: EventId,
        started: EventId,
        latest_cancel_requested: EventId,
    },
    CancelRequested {
        activity_id: Text,
        decision: EventId,
    },
    CancelFailed {
        activity_id: Text,
        cause: CancelFailure,
        decision: EventId,
    },
}

/// One recorded event, 32 bytes. Its id is its position plus one
/// ([`History::iter`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) at: Tick,
    pub(crate) kind: EventKind,
}

/// An append-only event log.
#[derive(Debug, Default)]
pub(crate) struct History {
    /// In segments that never move: growth copies nothing (`segments.rs`).
    events: Segments<Event>,
    /// Every string the events hold, back to back ([`Text`]), in chunks
    /// that never move (`arena.rs`).
    text: Arena,
    /// Strings too long for the arena, and those recorded after it reached
    /// 4 GiB.
    spill: Vec<Box<str>>,
    /// The specs of `ActivityScheduled` events ([`SpecId`]).
    specs: Vec<TaskSpec>,
    /// Where the buffers go when the history is dropped.
    pool: Option<Arc<HistoryPool>>,
}

/// The buffers of dropped histories, emptied and kept for new ones.
///
/// A history grows to hundreds of kilobytes, and the allocator hands
/// buffers that large back to the kernel when they are freed (`munmap`, or a
/// trim of the heap's top). The next execution's history then grows into
/// fresh pages, each a page fault of several microseconds: the loadgen's
/// single-thread loop spent about 30 % of its time there (BENCHMARKS.md).
/// Reusing the buffers keeps those pages mapped. Event segments and text
/// chunks are kept by size class and handed to any history that grows into
/// that class, so an old execution whose tasks are draining grows into the
/// segments of one that was freed. The pool is bounded in count and in bytes, so what it
/// holds is small next to the histories it serves: at most [`POOL_KEEP`]
/// spec buffers, and 16 MiB in all.
#[derive(Debug, Default)]
pub(crate) struct HistoryPool {
    /// A leaf lock (lock order rule 5), taken once per history created or
    /// dropped, and once per event segment or text chunk a history adds.
    free: Mutex<Pooled>,
}

#[derive(Debug, Default)]
struct Pooled {
    sets: Vec<Buffers>,
    /// Event segments by class, empty.
    segments: [Vec<Vec<Event>>; segments::CLASSES],
    /// Text chunks by class, empty.
    chunks: [Vec<String>; arena::CLASSES],
    /// The capacity of all the above, in bytes.
    bytes: usize,
}

#[derive(Debug, Default)]
struct Buffers {
    specs: Vec<TaskSpec>,
}

impl Buffers {
    fn bytes(&self) -> usize {
        self.specs.capacity() * std::mem::size_of::<TaskSpec>()
    }
}

/// The bytes of an event segment's buffer.
fn segment_bytes(seg: &Vec<Event>) -> usize {
    seg.capacity() * std::mem::size_of::<Event>()
}

/// Takes an empty buffer of `class` off `shelf` (one list per class), if
/// there is one, and counts its bytes out of the pool's `held`.
fn unshelve<T>(
    shelf: &mut [Vec<T>],
    class: usize,
    held: &mut usize,
    bytes: impl Fn(&T) -> usize,
) -> Option<T> {
    let buffer = shelf.get_mut(class)?.pop()?;
    *held = held.saturating_sub(bytes(&buffer));
    Some(buffer)
}

/// Puts emptied buffers, given with their classes, on `shelf` while the
/// pool has room, the last given (the largest: the costliest to fault in
/// again) first; what does not fit stays in `given`.
fn shelve<T>(
    shelf: &mut [Vec<T>],
    given: &mut Vec<(usize, T)>,
    held: &mut usize,
    bytes: impl Fn(&T) -> usize,
) {
    while let Some((class, buffer)) = given.pop() {
        let size = bytes(&buffer);
        match shelf.get_mut(class) {
            Some(list) if *held + size <= POOL_TOTAL_BYTES => {
                list.push(buffer);
                *held += size;
            }
            _ => {
                given.push((class, buffer));
                return;
            }
        }
    }
}

/// Bytes of text a fresh history's first task makes room for beyond its own
/// strings: a worker identity and a short result.
const FIRST_TEXT_SLACK: usize = 128;

/// Buffer sets the pool keeps.
const POOL_KEEP: usize = 16;

/// The largest buffer set the pool keeps. Larger ones are freed.
const POOL_MAX_BYTES: usize = 4 << 20;

/// The most the pool holds in all.
const POOL_TOTAL_BYTES: usize = 16 << 20;

impl HistoryPool {
    /// An empty history that will grow into pooled buffers if there are any.
    pub(crate) fn history(self: &Arc<HistoryPool>) -> History {
        let b = {
            let mut free = self.free.lock();
            let b = free.sets.pop().unwrap_or_default();
            free.bytes = free.bytes.saturating_sub(b.bytes());
            b
        };
        History {
            events: Segments::default(),
            text: Arena::default(),
            spill: Vec::new(),
            specs: b.specs,
            pool: Some(Arc::clone(self)),
        }
    }

    /// An empty event segment of `class`, pooled if there is one.
    fn segment(&self, class: usize) -> Vec<Event> {
        let pooled = {
            let free = &mut *self.free.lock();
            unshelve(&mut free.segments, class, &mut free.bytes, segment_bytes)
        };
        pooled.unwrap_or_else(|| Vec::with_capacity(segments::capacity(class)))
    }

    /// An empty text chunk of `class`, pooled if there is one.
    fn chunk(&self, class: usize) -> String {
        let pooled = {
            let free = &mut *self.free.lock();
            unshelve(&mut free.chunks, class, &mut free.bytes, String::capacity)
        };
        pooled.unwrap_or_else(|| String::with_capacity(arena::capacity(class)))
    }

    fn give(&self, mut b: Buffers, events: &mut Segments<Event>, text: &mut Arena) {
        // Emptied before the lock is taken: events own boxed parts.
        let mut segs: Vec<(usize, Vec<Event>)> = events
            .take_segments()
            .map(|(class, mut seg)| {
                seg.clear();
                (class, seg)
            })
            .collect();
        let mut chunks: Vec<(usize, String)> = text
            .take_chunks()
            .map(|(class, mut c)| {
                c.clear();
                (class, c)
            })
            .collect();
        let keep_set = b.bytes() != 0 && b.bytes() <= POOL_MAX_BYTES;
        b.specs.clear();
        let bytes = b.bytes();
        let mut guard = self.free.lock();
        let free = &mut *guard;
        if keep_set && free.sets.len() < POOL_KEEP && free.bytes + bytes <= POOL_TOTAL_BYTES {
            free.sets.push(b);
            free.bytes += bytes;
        }
        shelve(
            &mut free.segments,
            &mut segs,
            &mut free.bytes,
            segment_bytes,
        );
        shelve(
            &mut free.chunks,
            &mut chunks,
            &mut free.bytes,
            String::capacity,
        );
        drop(guard);
        // What the pool had no room for is freed outside its lock.
        drop((segs, chunks));
    }

    /// Buffer sets held now.
    #[cfg(test)]
    fn held(&self) -> usize {
        self.free.lock().sets.len()
    }

    /// Text chunks held now, by class.
    #[cfg(test)]
    fn held_chunks(&self) -> [usize; arena::CLASSES] {
        self.free.lock().chunks.each_ref().map(Vec::len)
    }

    /// Event segments held now, by class.
    #[cfg(test)]
    fn held_segments(&self) -> [usize; segments::CLASSES] {
        self.free.lock().segments.each_ref().map(Vec::len)
    }
}

impl Drop for History {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            pool.give(
                Buffers {
                    specs: std::mem::take(&mut self.specs),
                },
                &mut self.events,
                &mut self.text,
            );
        }
    }
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
        let id = EventId::new(self.events.len() as u64 + 1);
        let at = self.events.last().map_or(at, |last| last.at.max(at));
        let pool = &self.pool;
        self.events
            .push_with(Event { at, kind }, |class| match pool {
                Some(pool) => pool.segment(class),
                None => Vec::with_capacity(segments::capacity(class)),
            });
        id
    }

    /// Records `parts` back to back in the text arena, which makes room for
    /// `first_room` bytes if this is its first string; returns the first
    /// part's offset, or `None` if they belong in the spill list.
    fn put_parts<const N: usize>(&mut self, parts: [&str; N], first_room: usize) -> Option<u32> {
        let pool = &self.pool;
        self.text
            .put(parts, first_room, ARENA_CHUNKS, |class| match pool {
                Some(pool) => pool.chunk(class),
                None => String::with_capacity(arena::capacity(class)),
            })
    }

    /// Keeps `s` in the spill list and returns its index there.
    fn spill(&mut self, s: Box<str>) -> u32 {
        // Spill indexes stop below `u32::MAX`, so a `Text`'s length plus one
        // never wraps (see `Text::new`).
        let index = u32::try_from(self.spill.len()).unwrap_or(u32::MAX - 1);
        self.spill.push(s);
        index
    }

    /// Records `s` in the text arena (or the spill list).
    pub(crate) fn put(&mut self, s: &str) -> Text {
        self.put_room(s, s.len() + FIRST_TEXT_SLACK)
    }

    /// [`put`](History::put), making room for `first_room` bytes if this is
    /// the arena's first string.
    fn put_room(&mut self, s: &str, first_room: usize) -> Text {
        match self.put_parts([s], first_room) {
            // `put_parts` took it, so its length is below `LONGEST`.
            Some(start) => Text::new(start, s.len() as u32),
            None => Text::new(SPILLED, self.spill(s.into())),
        }
    }

    /// Records a type name, version and task list back to back, as a
    /// spec's `kind`.
    fn put_kind(&mut self, (name, version, list): (&str, &str, &str)) -> (Text, u16, u16) {
        // Validated names are far shorter; were one not, it would read back
        // cut, never out of bounds.
        let len16 = |s: &str| u16::try_from(s.len()).unwrap_or(u16::MAX);
        let total = name.len() + version.len() + list.len();
        let text = match self.put_parts([name, version, list], total + FIRST_TEXT_SLACK) {
            // `put_parts` took them, so their length is below `LONGEST`.
            Some(start) => Text::new(start, total as u32),
            None => Text::new(SPILLED, self.spill([name, version, list].concat().into())),
        };
        (text, len16(name), len16(version))
    }

    /// A spec's type name, type version and task list.
    pub(crate) fn kind(&self, spec: &TaskSpec) -> (&str, &str, &str) {
        let all = self.str(spec.kind);
        let name_end = usize::from(spec.name_len).min(all.len());
        let version_end = (name_end + usize::from(spec.version_len)).min(all.len());
        // The lengths are the parts' own, so they fall on char boundaries.
        (
            all.get(..name_end).unwrap_or_default(),
            all.get(name_end..version_end).unwrap_or_default(),
            all.get(version_end..).unwrap_or_default(),
        )
    }

    /// [`put`](History::put) for an optional member.
    pub(crate) fn put_opt(&mut self, s: Option<&str>) -> Option<Text> {
        s.map(|s| self.put(s))
    }

    /// Records two optional strings as a [`TextPair`].
    pub(crate) fn put_pair(&mut self, first: Option<&str>, second: Option<&str>) -> TextPair {
        // A present string is its length plus one: the arena takes only
        // strings far below `u32::MAX`.
        let plus_one = |s: Option<&str>| s.map_or(0, |s| s.len() as u32 + 1);
        let parts = [first.unwrap_or_default(), second.unwrap_or_default()];
        let room = parts[0].len() + parts[1].len() + FIRST_TEXT_SLACK;
        match self.put_parts(parts, room) {
            Some(start) => TextPair {
                start,
                first: plus_one(first),
                second: plus_one(second),
            },
            _ => {
                let mut spill = |s: Option<&str>| s.map_or(0, |s| self.spill(s.into()) + 1);
                let (first, second) = (spill(first), spill(second));
                TextPair {
                    start: SPILLED,
                    first,
                    second,
                }
            }
        }
    }

    /// The two strings of `p`.
    pub(crate) fn pair_strs(&self, p: TextPair) -> (Option<&str>, Option<&str>) {
        let text = |n: u32, start: u32| (n != 0).then(|| self.str(Text::new(start, n - 1)));
        if p.start == SPILLED {
            (text(p.first, SPILLED), text(p.second, SPILLED))
        } else {
            let second_start = p.start + p.first.saturating_sub(1);
            (text(p.first, p.start), text(p.second, second_start))
        }
    }

    /// The two strings of `p`, owned.
    pub(crate) fn owned_pair(&self, p: TextPair) -> (Option<String>, Option<String>) {
        let (a, b) = self.pair_strs(p);
        (a.map(str::to_owned), b.map(str::to_owned))
    }

    /// The string `t`.
    pub(crate) fn str(&self, t: Text) -> &str {
        let found = if t.start == SPILLED {
            self.spill.get(t.len() as usize).map(|s| &**s)
        } else {
            self.text.get(t.start, t.len())
        };
        // `t` came from `put` on this history, which only grows.
        found.unwrap_or_default()
    }

    /// The optional string `t`.
    pub(crate) fn opt_str(&self, t: Option<Text>) -> Option<&str> {
        t.map(|t| self.str(t))
    }

    /// The string `t`, owned (for an output).
    pub(crate) fn owned(&self, t: Text) -> String {
        self.str(t).to_owned()
    }

    /// The optional string `t`, owned.
    pub(crate) fn owned_opt(&self, t: Option<Text>) -> Option<String> {
        t.map(|t| self.owned(t))
    }

    /// Records a task request's strings and returns its spec.
    pub(crate) fn put_spec(&mut self, r: &TaskRequest) -> SpecId {
        // An execution usually schedules one type on one list over and over:
        // those strings are recorded once and shared by the specs after.
        let last = self.specs.last().copied();
        // A fresh history's first task: its arena's first chunk holds its
        // strings and the few a start and a close add (a Step Functions
        // execution records little more, and is kept 90 days). Strings the
        // arena will not take are not counted.
        let first_room = if self.text.is_empty() {
            let arena_len = |s: &str| {
                if s.len() <= arena::LONGEST {
                    s.len()
                } else {
                    0
                }
            };
            [
                r.activity_id.as_str(),
                &r.type_name,
                &r.type_version,
                r.input.as_deref().unwrap_or_default(),
                r.control.as_deref().unwrap_or_default(),
                &r.task_list,
            ]
            .map(arena_len)
            .iter()
            .sum::<usize>()
                + FIRST_TEXT_SLACK
        } else {
            0
        };
        if self.specs.capacity() == 0 {
            // Step Functions schedules one task per execution.
            self.specs.reserve_exact(1);
        }
        let activity_id = self.put_room(&r.activity_id, first_room);
        let kind = (
            r.type_name.as_str(),
            r.type_version.as_str(),
            r.task_list.as_str(),
        );
        let (kind, name_len, version_len) = match last {
            Some(l) if self.kind(&l) == kind => (l.kind, l.name_len, l.version_len),
            _ => self.put_kind(kind),
        };
        let spec = TaskSpec {
            activity_id,
            kind,
            name_len,
            version_len,
            input: self.put_opt(r.input.as_deref()),
            control: self.put_opt(r.control.as_deref()),
            priority: r.priority,
            priority_set: r.priority_set,
            timeouts: r.timeouts,
        };
        // At most one spec per event, and events are far fewer than 2^32.
        let id = SpecId(u32::try_from(self.specs.len()).unwrap_or(u32::MAX));
        self.specs.push(spec);
        id
    }

    /// The spec `id`.
    pub(crate) fn spec_of(&self, id: SpecId) -> &TaskSpec {
        // `id` came from `put_spec` on this history, which only grows; the
        // empty spec stands in rather than a panic.
        self.specs.get(id.0 as usize).unwrap_or(&NO_SPEC)
    }

    /// [`spec`](History::spec), or the empty spec if `scheduled` is not an
    /// `ActivityScheduled` event (callers pass ids they recorded as one).
    pub(crate) fn spec_or_empty(&self, scheduled: EventId) -> &TaskSpec {
        self.spec(scheduled).unwrap_or(&NO_SPEC)
    }

    /// The first event.
    pub(crate) fn first(&self) -> Option<&Event> {
        self.events.first()
    }

    /// Every event with its id, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (EventId, &Event)> + '_ {
        self.events
            .iter()
            .enumerate()
            .map(|(i, e)| (EventId::new(i as u64 + 1), e))
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
            EventKind::ActivityScheduled { spec, .. } => Some(self.spec_of(*spec)),
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
            h.push(
                Tick(0),
                EventKind::DecisionTaskScheduled(DecisionList::default())
            ),
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
    fn strings_come_back_whole_past_the_arena_limit() {
        let mut h = History::default();
        // The test arena has four chunks: the later words spill, and so
        // does one too long for any arena chunk.
        let mut words: Vec<String> = (0..40).map(|i| format!("word-{i}-é").repeat(8)).collect();
        words.insert(3, "long".repeat(arena::LONGEST));
        let texts: Vec<Text> = words.iter().map(|w| h.put(w)).collect();
        assert_eq!(texts.get(3).map(|t| t.start), Some(SPILLED));
        assert!(texts.get(4).is_some_and(|t| t.start != SPILLED));
        assert!(texts.last().is_some_and(|t| t.start == SPILLED));
        for (w, t) in words.iter().zip(&texts) {
            assert_eq!(h.str(*t), w);
        }
        let (empty, none, x) = (h.put(""), h.put_opt(None), h.put_opt(Some("x")));
        assert_eq!(h.str(empty), "");
        assert_eq!(h.opt_str(none), None);
        assert_eq!(h.owned_opt(x).as_deref(), Some("x"));
    }

    fn request(activity_id: &str, type_name: &str, task_list: &str) -> TaskRequest {
        TaskRequest {
            activity_id: activity_id.into(),
            type_name: type_name.into(),
            type_version: "1".into(),
            input: Some(format!("in-{activity_id}")),
            control: None,
            task_list: task_list.into(),
            priority: 0,
            priority_set: false,
            timeouts: Timeouts::default(),
        }
    }

    #[test]
    fn specs_share_repeated_names_and_keep_their_own() {
        let mut h = History::default();
        let reqs = [
            request("a", "t", "l"),
            request("b", "t", "l"),
            request("c", "u", "l"),
            request("d", "t", "m"),
        ];
        let ids: Vec<SpecId> = reqs.iter().map(|r| h.put_spec(r)).collect();
        for (r, id) in reqs.iter().zip(&ids) {
            let s = *h.spec_of(*id);
            assert_eq!(h.str(s.activity_id), r.activity_id);
            let (name, version, list) = h.kind(&s);
            assert_eq!(name, r.type_name);
            assert_eq!(version, r.type_version);
            assert_eq!(list, r.task_list);
            assert_eq!(h.opt_str(s.input), r.input.as_deref());
        }
        let (a, b) = (*h.spec_of(ids[0]), *h.spec_of(ids[1]));
        assert_eq!(a.kind, b.kind, "a repeated kind is shared");
        let (c, d) = (*h.spec_of(ids[2]), *h.spec_of(ids[3]));
        assert_ne!(b.kind, c.kind, "another type is recorded anew");
        assert_ne!(c.kind, d.kind, "another list is recorded anew");
    }

    #[test]
    fn a_kind_reads_back_whole_in_the_arena_and_spilled() {
        let mut h = History::default();
        let r = |name: &str, version: &str, list: &str| TaskRequest {
            type_version: version.into(),
            ..request("a", name, list)
        };
        let reqs = [r("é-type", "v€", "list-ü"), r("t", "", ""), r("", "1", "l")];
        let mut ids: Vec<SpecId> = reqs.iter().map(|q| h.put_spec(q)).collect();
        // Fill the test arena's four chunks: the next kind spills.
        for _ in 0..4 {
            h.put(&"x".repeat(4000));
        }
        while h.put("y").start != SPILLED {}
        let spilled = r("ü-spilled", "2", "l2");
        ids.push(h.put_spec(&spilled));
        assert_eq!(h.spec_of(ids[3]).kind.start, SPILLED);
        for (q, id) in reqs.iter().chain([&spilled]).zip(&ids) {
            let (name, version, list) = h.kind(h.spec_of(*id));
            assert_eq!(
                (name, version, list),
                (&*q.type_name, &*q.type_version, &*q.task_list)
            );
        }
        assert_eq!(h.kind(&NO_SPEC), ("", "", ""));
    }

    #[test]
    fn dropped_histories_lend_their_buffers_to_new_ones() {
        let pool = Arc::new(HistoryPool::default());
        let mut h = pool.history();
        for i in 0..100 {
            h.put_spec(&request(&format!("a{i}"), "t", "l"));
            h.push(
                Tick(i),
                EventKind::DecisionTaskScheduled(DecisionList::default()),
            );
        }
        let grown = h.specs.capacity();
        // Specs share "t", "1" and "l": about 1 KiB of ids and inputs, in
        // chunk 0, then chunks of 256 and 512 bytes.
        assert_eq!(h.text.capacity_bytes() - h.text.first_size(), 256 + 512);
        drop(h);
        assert_eq!(pool.held(), 1);
        // 100 events took segments of 6, 8, 16, 32 and 64.
        assert_eq!(pool.held_segments(), [1, 1, 1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(pool.held_chunks(), [0, 1, 1, 0, 0, 0, 0, 0]);
        let mut h = pool.history();
        assert_eq!(pool.held(), 0);
        assert_eq!(h.len(), 0, "a pooled history starts empty");
        assert_eq!(h.specs.capacity(), grown);
        // Its text grows into the pooled chunks past its own chunk 0: 300
        // bytes fit neither the rest of chunk 0 nor chunk 1, so they start
        // chunk 2.
        h.put("first");
        h.put(&"y".repeat(300));
        assert_eq!(pool.held_chunks(), [0, 1, 0, 0, 0, 0, 0, 0]);
        let again = h.put("again");
        assert_eq!(h.str(again), "again");
        assert!(h.get(EventId(1)).is_none());
        // It grows into the pooled segments, which come back empty.
        for i in 0..20 {
            h.push(
                Tick(i),
                EventKind::DecisionTaskScheduled(DecisionList::default()),
            );
        }
        assert_eq!(pool.held_segments(), [0, 0, 0, 1, 1, 0, 0, 0, 0]);
        assert_eq!(h.len(), 20);
        assert_eq!(h.get(EventId(20)).map(|e| e.at), Some(Tick(19)));
        assert!(h.get(EventId(21)).is_none());
        drop(h);
        // Bounded in count.
        let many: Vec<History> = (0..POOL_KEEP + 5)
            .map(|_| {
                let mut h = pool.history();
                h.put_spec(&request("a", "t", "l"));
                h
            })
            .collect();
        drop(many);
        assert_eq!(pool.held(), POOL_KEEP);
    }

    #[test]
    fn the_pool_keeps_event_segments_up_to_its_byte_bound() {
        let pool = Arc::new(HistoryPool::default());
        // Each 25,000-event history holds 800 KiB of events; twenty of them
        // are more than the pool keeps.
        let full: Vec<History> = (0..20)
            .map(|_| {
                let mut h = pool.history();
                for i in 0..25_000 {
                    h.push(
                        Tick(i),
                        EventKind::DecisionTaskScheduled(DecisionList::default()),
                    );
                }
                h
            })
            .collect();
        drop(full);
        let held = pool.free.lock().bytes;
        assert!(held <= POOL_TOTAL_BYTES, "{held} bytes held");
        assert!(held > POOL_TOTAL_BYTES / 10 * 9, "{held} bytes held");
        // Each history offers its largest segments first: they are most of
        // what is kept.
        let largest = pool.held_segments()[segments::CLASSES - 1];
        let largest_bytes = largest * segments::LARGEST * std::mem::size_of::<Event>();
        assert!(largest_bytes > held / 10 * 9, "{largest} of the largest");
    }

    #[test]
    fn pairs_come_back_whole_in_the_arena_and_past_it() {
        let mut h = History::default();
        let cases = [
            (Some("reason"), Some("some details")),
            (None, Some("details only")),
            (Some("reason only"), None),
            (None, None),
            (Some(""), Some("")),
            (Some("é"), Some("ü€")),
        ];
        // The test arena has four chunks: these fill all but 96 bytes of
        // them, and the later pairs spill.
        let mut pairs = Vec::new();
        for _ in 0..4 {
            h.put(&"x".repeat(4000));
        }
        for _ in 0..4 {
            for (a, b) in cases {
                pairs.push(((a, b), h.put_pair(a, b)));
            }
        }
        assert!(!h.spill.is_empty(), "the test arena spills");
        for ((a, b), p) in pairs {
            assert_eq!(h.pair_strs(p), (a, b));
            assert_eq!(
                h.owned_pair(p),
                (a.map(str::to_owned), b.map(str::to_owned))
            );
        }
    }

    /// Memory per queued task is a target of issue 5 (BENCHMARKS.md): these
    /// sizes are what it is made of, so a field that grows one shows here.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn records_stay_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<Option<Text>>(), 8);
        assert_eq!(size_of::<EventKind>(), 24);
        assert_eq!(size_of::<Event>(), 32);
        assert_eq!(size_of::<TaskSpec>(), 60);
        assert_eq!(size_of::<DecisionList>(), 16);
    }

    #[test]
    fn an_unknown_spec_id_is_the_empty_spec() {
        let h = History::default();
        let spec = h.spec_of(SpecId(7));
        assert_eq!(h.str(spec.activity_id), "");
        assert_eq!(spec.input, None);
    }

    #[test]
    fn timestamps_never_decrease() {
        let mut h = History::default();
        h.push(
            Tick(10),
            EventKind::DecisionTaskScheduled(DecisionList::default()),
        );
        // Appended later with an earlier clock reading (another shard, or a
        // timer firing at its deadline): it takes the previous time.
        let late = h.push(
            Tick(4),
            EventKind::DecisionTaskScheduled(DecisionList::default()),
        );
        assert_eq!(h.get(late).map(|e| e.at), Some(Tick(10)));
        let next = h.push(
            Tick(12),
            EventKind::DecisionTaskScheduled(DecisionList::default()),
        );
        assert_eq!(h.get(next).map(|e| e.at), Some(Tick(12)));
    }
}
