//! Time, for the whole engine: the only module that reads the system clock.
//!
//! The engine counts time in [`Tick`]s, nanoseconds since the clock's origin,
//! so that a deadline fits in eight bytes and compares as an integer. Public
//! APIs speak [`Instant`] and [`Duration`]; this module converts at the edge.
//!
//! Two clocks exist:
//!
//! * the **system** clock follows [`Instant::now`]; pollers wait with timed
//!   condvar waits and a timer thread fires activity timeouts;
//! * a **manual** clock ([`ManualClock`]) moves only when
//!   [`ManualClock::advance`] is called. Nothing ever waits in real time
//!   under it: a poller waits untimed, and `advance` itself fires every
//!   timeout and poll deadline it crosses before it returns, in deadline
//!   order. Advancing by 60 s takes microseconds.
//!
//! **Invariant:** the current tick is read while holding the lock of the
//! shard whose state it is compared with. `advance` moves the tick before it
//! visits any shard, so a poller that registers after the move sees the new
//! time, and one that registered before it is found by the visit.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::sync::Mutex;

/// Nanoseconds since a clock's origin. `Tick::NEVER` is "no deadline".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Tick(pub(crate) u64);

impl Tick {
    /// A deadline that never comes.
    pub(crate) const NEVER: Tick = Tick(u64::MAX);

    /// `self + d`, saturating at [`Tick::NEVER`]: a deadline past the end of
    /// the representable range means "as long as the engine allows".
    pub(crate) fn after(self, d: Duration) -> Tick {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Tick(self.0.saturating_add(nanos))
    }

    /// `true` when this is a real deadline.
    pub(crate) fn is_set(self) -> bool {
        self != Tick::NEVER
    }
}

/// Which clock an engine runs on.
///
/// Cheap to clone; every clone reads the same time.
///
/// # Examples
///
/// ```
/// use activity_broker::{Clock, ManualClock};
/// use std::time::Duration;
///
/// let manual = ManualClock::new();
/// let clock = Clock::from(manual.clone());
/// let before = clock.now();
/// manual.advance(Duration::from_secs(60));
/// assert_eq!(clock.now() - before, Duration::from_secs(60));
/// assert!(clock.is_manual());
/// assert!(!Clock::system().is_manual());
/// ```
#[derive(Clone)]
pub struct Clock {
    kind: ClockKind,
}

#[derive(Clone)]
enum ClockKind {
    System(Arc<SystemOrigin>),
    Manual(ManualClock),
}

struct SystemOrigin {
    instant: Instant,
    wall: SystemTime,
}

impl Clock {
    /// The system clock: real time, as [`Instant::now`] reads it.
    pub fn system() -> Clock {
        Clock {
            kind: ClockKind::System(Arc::new(SystemOrigin {
                instant: read_instant(),
                wall: read_wall(),
            })),
        }
    }

    /// `true` for a [`ManualClock`].
    pub fn is_manual(&self) -> bool {
        matches!(self.kind, ClockKind::Manual(_))
    }

    /// The current time on this clock.
    ///
    /// Deadlines passed to the engine's `*_deadline` operations are instants
    /// on this clock. Under a manual clock it is the origin plus every
    /// advance so far.
    pub fn now(&self) -> Instant {
        self.instant_of(self.tick())
    }

    /// The current wall-clock time on this clock, as history timestamps
    /// record it. A manual clock starts at [`ManualClock::DEFAULT_START`].
    pub fn now_wall(&self) -> SystemTime {
        self.wall_of(self.tick())
    }

    pub(crate) fn tick(&self) -> Tick {
        match &self.kind {
            ClockKind::System(origin) => {
                let elapsed = read_instant().saturating_duration_since(origin.instant);
                Tick(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX - 1))
            }
            ClockKind::Manual(m) => Tick(m.inner.now.load(Ordering::SeqCst)),
        }
    }

    fn origin(&self) -> (Instant, SystemTime) {
        match &self.kind {
            ClockKind::System(o) => (o.instant, o.wall),
            ClockKind::Manual(m) => (m.inner.origin, m.inner.wall),
        }
    }

    /// The instant of a tick; saturates far in the future for `NEVER`.
    pub(crate) fn instant_of(&self, t: Tick) -> Instant {
        let (origin, _) = self.origin();
        origin
            .checked_add(Duration::from_nanos(t.0))
            .unwrap_or_else(|| far_future(origin))
    }

    /// The tick of an instant; an instant before the origin is tick 0.
    pub(crate) fn tick_of(&self, at: Instant) -> Tick {
        let (origin, _) = self.origin();
        let d = at.saturating_duration_since(origin);
        Tick(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    }

    /// The wall-clock time of a tick.
    pub(crate) fn wall_of(&self, t: Tick) -> SystemTime {
        let (_, wall) = self.origin();
        wall.checked_add(Duration::from_nanos(t.0)).unwrap_or(wall)
    }

    pub(crate) fn manual(&self) -> Option<&ManualClock> {
        match &self.kind {
            ClockKind::Manual(m) => Some(m),
            ClockKind::System(_) => None,
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ClockKind::System(_) => f.write_str("Clock::System"),
            ClockKind::Manual(m) => write!(f, "Clock::Manual({:?})", m.elapsed()),
        }
    }
}

impl From<ManualClock> for Clock {
    fn from(m: ManualClock) -> Clock {
        Clock {
            kind: ClockKind::Manual(m),
        }
    }
}

impl From<&ManualClock> for Clock {
    fn from(m: &ManualClock) -> Clock {
        Clock::from(m.clone())
    }
}

/// Something that must act when a manual clock moves: an engine firing the
/// timeouts and poll deadlines that the new time has crossed.
pub(crate) trait Subscriber: Send + Sync {
    fn on_advance(&self, now: Tick);
}

/// A virtual clock that moves only when told to.
///
/// Handles are cheap clones of one clock. An engine built on it never waits
/// in real time: [`advance`](ManualClock::advance) fires, before it returns,
/// every activity timeout and ends every long poll whose deadline it crosses.
///
/// # Examples
///
/// ```
/// use activity_broker::ManualClock;
/// use std::time::Duration;
///
/// let clock = ManualClock::new();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.elapsed(), Duration::from_secs(90));
/// ```
#[derive(Clone)]
pub struct ManualClock {
    inner: Arc<ManualInner>,
}

struct ManualInner {
    origin: Instant,
    wall: SystemTime,
    /// Nanoseconds since `origin`; written only under `advancing`.
    now: AtomicU64,
    /// Serializes advances, so timeouts fire in one global order.
    advancing: Mutex<()>,
    /// Engines built on this clock. Lock order: `advancing`, then this,
    /// released before any engine is called.
    subscribers: Mutex<Vec<Weak<dyn Subscriber>>>,
}

impl ManualClock {
    /// The wall-clock time at which a new manual clock starts,
    /// 2026-01-01T00:00:00Z, so that seeded runs record the same
    /// timestamps every time.
    pub const DEFAULT_START: Duration = Duration::from_secs(1_767_225_600);

    /// A manual clock at [`DEFAULT_START`](ManualClock::DEFAULT_START).
    pub fn new() -> ManualClock {
        ManualClock::starting_at(UNIX_EPOCH + Self::DEFAULT_START)
    }

    /// A manual clock whose wall-clock time starts at `wall`.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::{Clock, ManualClock};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let clock = ManualClock::starting_at(UNIX_EPOCH + Duration::from_secs(10));
    /// assert_eq!(Clock::from(clock).now_wall(), UNIX_EPOCH + Duration::from_secs(10));
    /// ```
    pub fn starting_at(wall: SystemTime) -> ManualClock {
        ManualClock {
            inner: Arc::new(ManualInner {
                origin: read_instant(),
                wall,
                now: AtomicU64::new(0),
                advancing: Mutex::new(()),
                subscribers: Mutex::new(Vec::new()),
            }),
        }
    }

    /// How far the clock has been advanced in all.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.inner.now.load(Ordering::SeqCst))
    }

    /// The current instant on this clock.
    pub fn now(&self) -> Instant {
        Clock::from(self).now()
    }

    /// Moves the clock forward by `by` and, before returning, fires every
    /// activity timeout and ends every long poll whose deadline is now past,
    /// in every engine built on this clock.
    ///
    /// The clock saturates: advancing past about 584 years stops there.
    ///
    /// # Examples
    ///
    /// ```
    /// use activity_broker::ManualClock;
    /// use std::time::Duration;
    ///
    /// let clock = ManualClock::new();
    /// clock.advance(Duration::from_millis(1500));
    /// assert_eq!(clock.elapsed(), Duration::from_millis(1500));
    /// ```
    pub fn advance(&self, by: Duration) {
        let _serial = self.inner.advancing.lock();
        let now = Tick(self.inner.now.load(Ordering::SeqCst))
            .after(by)
            .0
            .min(u64::MAX - 1);
        self.inner.now.store(now, Ordering::SeqCst);
        let live: Vec<Arc<dyn Subscriber>> = {
            let mut subs = self.inner.subscribers.lock();
            subs.retain(|w| w.strong_count() > 0);
            subs.iter().filter_map(Weak::upgrade).collect()
        };
        for sub in live {
            sub.on_advance(Tick(now));
        }
    }

    pub(crate) fn subscribe(&self, sub: Weak<dyn Subscriber>) {
        self.inner.subscribers.lock().push(sub);
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock::new()
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("elapsed", &self.elapsed())
            .finish()
    }
}

fn far_future(origin: Instant) -> Instant {
    // About 30 years: far enough to mean "never", near enough that no
    // platform's Instant overflows when a condvar adds to it.
    origin
        .checked_add(Duration::from_secs(30 * 365 * 86_400))
        .unwrap_or(origin)
}

#[expect(
    clippy::disallowed_methods,
    reason = "clock.rs is the one reader of system time"
)]
fn read_instant() -> Instant {
    Instant::now()
}

#[expect(
    clippy::disallowed_methods,
    reason = "clock.rs is the one reader of system time"
)]
fn read_wall() -> SystemTime {
    SystemTime::now()
}
/// How long a poll may wait for a task.
///
/// A timeout is counted from the clock reading the poll takes under its
/// shard lock, which it takes anyway for the `ActivityTaskStarted` event:
/// one reading serves both (a clock read costs as much as a lock on a VM),
/// and a zero timeout then means "do not wait" with no reading of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// At most this long.
    For(Duration),
    /// Until this tick of the engine's clock.
    Until(Tick),
}

impl Wait {
    /// The deadline, for a poll that read `now` under its lock.
    pub(crate) fn deadline(self, now: Tick) -> Tick {
        match self {
            Wait::For(d) => now.after(d),
            Wait::Until(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_ends_at_its_deadline_or_its_timeout_after_the_reading() {
        let now = Tick(1_000);
        assert_eq!(Wait::For(Duration::ZERO).deadline(now), now, "no wait");
        assert_eq!(
            Wait::For(Duration::from_nanos(5)).deadline(now),
            Tick(1_005)
        );
        assert_eq!(
            Wait::For(Duration::MAX).deadline(now),
            Tick::NEVER,
            "saturates"
        );
        assert_eq!(
            Wait::Until(Tick(7)).deadline(now),
            Tick(7),
            "already passed"
        );
    }
}
