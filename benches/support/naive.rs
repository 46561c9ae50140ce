//! The naive broker: what one would write in an afternoon, doing the same
//! job as the engine.
//!
//! One mutex over a map of task lists (`HashMap<String, List>`, std's
//! hasher), one condvar for every waiter (so a schedule must
//! `notify_all`: a `notify_one` could wake a poller of another list and be
//! lost), tokens that are a counter printed in decimal, and a `Vec` of
//! events per task. It takes the same owned inputs as the SWF API, checks
//! the same lengths, records schedule / start / close events with their
//! times and the worker's identity, and returns the task's id, type and
//! input with its token. It is fair rather than a strawman: it notifies
//! only when someone waits, hashes each key once per call, and never
//! allocates a key on the hot path. It does not keep closed tasks'
//! histories (the engine keeps them until the execution is freed), and an
//! emptied list stays in the map.
//!
//! It is generic over the lock library ([`Locks`]), so std's `Mutex` /
//! `Condvar` and parking_lot's run the same code.

use std::collections::{HashMap, VecDeque};
use std::ops::DerefMut;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{Fail, Polled, Workload, now};

/// A mutex and condvar library.
pub trait Locks: Send + Sync + 'static {
    /// Label for tables.
    const NAME: &'static str;
    /// The mutex.
    type Mutex<T: Send>: Send + Sync;
    /// Its guard.
    type Guard<'a, T: Send + 'a>: DerefMut<Target = T>;
    /// The condvar.
    type Condvar: Send + Sync;
    /// A new mutex.
    fn mutex<T: Send>(t: T) -> Self::Mutex<T>;
    /// Locks it.
    fn lock<T: Send>(m: &Self::Mutex<T>) -> Self::Guard<'_, T>;
    /// A new condvar.
    fn condvar() -> Self::Condvar;
    /// Waits until notified or `deadline`; `true` if it timed out.
    fn wait_until<'a, T: Send>(
        c: &Self::Condvar,
        g: Self::Guard<'a, T>,
        deadline: Instant,
    ) -> (Self::Guard<'a, T>, bool);
    /// Wakes every waiter.
    fn notify_all(c: &Self::Condvar);
    /// Wakes one waiter.
    fn notify_one(c: &Self::Condvar);
}

/// `std::sync`.
#[derive(Debug)]
pub struct StdLocks;

impl Locks for StdLocks {
    const NAME: &'static str = "std";
    type Mutex<T: Send> = std::sync::Mutex<T>;
    type Guard<'a, T: Send + 'a> = std::sync::MutexGuard<'a, T>;
    type Condvar = std::sync::Condvar;
    fn mutex<T: Send>(t: T) -> Self::Mutex<T> {
        std::sync::Mutex::new(t)
    }
    fn lock<T: Send>(m: &Self::Mutex<T>) -> Self::Guard<'_, T> {
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    fn condvar() -> Self::Condvar {
        std::sync::Condvar::new()
    }
    fn wait_until<'a, T: Send>(
        c: &Self::Condvar,
        g: Self::Guard<'a, T>,
        deadline: Instant,
    ) -> (Self::Guard<'a, T>, bool) {
        let left = deadline.saturating_duration_since(now());
        let (g, r) = c
            .wait_timeout(g, left)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (g, r.timed_out())
    }
    fn notify_all(c: &Self::Condvar) {
        c.notify_all();
    }
    fn notify_one(c: &Self::Condvar) {
        c.notify_one();
    }
}

/// `parking_lot`.
#[derive(Debug)]
pub struct PlLocks;

impl Locks for PlLocks {
    const NAME: &'static str = "parking_lot";
    type Mutex<T: Send> = parking_lot::Mutex<T>;
    type Guard<'a, T: Send + 'a> = parking_lot::MutexGuard<'a, T>;
    type Condvar = parking_lot::Condvar;
    fn mutex<T: Send>(t: T) -> Self::Mutex<T> {
        parking_lot::Mutex::new(t)
    }
    fn lock<T: Send>(m: &Self::Mutex<T>) -> Self::Guard<'_, T> {
        m.lock()
    }
    fn condvar() -> Self::Condvar {
        parking_lot::Condvar::new()
    }
    fn wait_until<'a, T: Send>(
        c: &Self::Condvar,
        mut g: Self::Guard<'a, T>,
        deadline: Instant,
    ) -> (Self::Guard<'a, T>, bool) {
        let r = c.wait_until(&mut g, deadline);
        (g, r.timed_out())
    }
    fn notify_all(c: &Self::Condvar) {
        c.notify_all();
    }
    fn notify_one(c: &Self::Condvar) {
        c.notify_one();
    }
}

#[derive(Debug)]
enum Event {
    Scheduled {
        at: Instant,
    },
    Started {
        at: Instant,
        identity: Option<String>,
    },
    Completed {
        at: Instant,
        result: Option<String>,
    },
    Failed {
        at: Instant,
        reason: Option<String>,
    },
}

#[derive(Debug)]
struct Task {
    activity_id: String,
    activity_type: String,
    input: String,
    history: Vec<Event>,
    last_heartbeat: Option<Instant>,
}

#[derive(Debug, Default)]
struct List {
    queue: VecDeque<Task>,
    waiting: usize,
}

#[derive(Debug)]
struct State {
    domain: String,
    lists: HashMap<String, List>,
    started: HashMap<u64, Task>,
    next_token: u64,
    waiting: usize,
    closed: bool,
}

/// What the naive broker's schedule takes (the SWF decision's owned
/// strings).
#[derive(Debug)]
pub struct NaiveSchedule {
    /// Must be the broker's domain.
    pub domain: String,
    /// The task list.
    pub list: String,
    /// The activity type name.
    pub activity_type: String,
    /// The activity id.
    pub activity_id: String,
    /// The input.
    pub input: String,
}

/// A started task, as the naive poll returns it.
#[derive(Debug)]
pub struct NaiveTask {
    /// The counter, in decimal.
    pub token: String,
    /// Its activity id.
    pub activity_id: String,
    /// Its type.
    pub activity_type: String,
    /// Its input.
    pub input: String,
}

fn check_len(what: &str, s: &str, min: usize, max: usize) -> Result<(), Fail> {
    if (min..=max).contains(&s.len()) {
        Ok(())
    } else {
        Err(format!("{what}: length must be {min}..={max}"))
    }
}

/// The naive broker over lock library `L`.
pub struct Naive<L: Locks> {
    state: L::Mutex<State>,
    cond: L::Condvar,
    lists: Vec<String>,
    /// Condvar waits that returned (a wake-up or a timeout).
    wakeups: AtomicU64,
    closed: AtomicBool,
}

impl<L: Locks> Naive<L> {
    /// A naive broker with `lists` task lists in domain `bench`.
    pub fn new(lists: usize) -> Naive<L> {
        Naive {
            state: L::mutex(State {
                domain: super::engine::DOMAIN.to_owned(),
                lists: HashMap::new(),
                started: HashMap::new(),
                next_token: 0,
                waiting: 0,
                closed: false,
            }),
            cond: L::condvar(),
            lists: (0..lists.max(1)).map(super::engine::list_name).collect(),
            wakeups: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        }
    }

    /// Condvar waits that have returned so far.
    pub fn wakeups(&self) -> u64 {
        self.wakeups.load(Ordering::Relaxed)
    }

    /// Schedules a task.
    pub fn schedule_task(&self, input: NaiveSchedule) -> Result<(), Fail> {
        check_len("domain", &input.domain, 1, 256)?;
        check_len("taskList.name", &input.list, 1, 256)?;
        check_len("activityId", &input.activity_id, 1, 256)?;
        check_len("activityType.name", &input.activity_type, 1, 256)?;
        check_len("input", &input.input, 0, 32768)?;
        let task = Task {
            activity_id: input.activity_id,
            activity_type: input.activity_type,
            input: input.input,
            history: vec![Event::Scheduled { at: now() }],
            last_heartbeat: None,
        };
        let mut st = L::lock(&self.state);
        if st.closed {
            return Err("closed".into());
        }
        if st.domain != input.domain {
            return Err("unknown domain".into());
        }
        match st.lists.get_mut(&input.list) {
            Some(l) => l.queue.push_back(task),
            None => {
                let mut l = List::default();
                l.queue.push_back(task);
                st.lists.insert(input.list, l);
            }
        }
        if st.waiting > 0 {
            L::notify_all(&self.cond);
        }
        Ok(())
    }

    /// Polls `list`, waiting until `timeout` passes.
    pub fn poll_task(
        &self,
        domain: &str,
        list: &str,
        identity: Option<&str>,
        timeout: Duration,
    ) -> Result<Option<NaiveTask>, Fail> {
        check_len("domain", domain, 1, 256)?;
        check_len("taskList.name", list, 1, 256)?;
        if let Some(i) = identity {
            check_len("identity", i, 0, 256)?;
        }
        let deadline = if timeout.is_zero() {
            None
        } else {
            now().checked_add(timeout)
        };
        let mut st = L::lock(&self.state);
        if st.domain != domain {
            return Err("unknown domain".into());
        }
        loop {
            if st.closed {
                return Ok(None);
            }
            if let Some(mut task) = st.lists.get_mut(list).and_then(|l| l.queue.pop_front()) {
                task.history.push(Event::Started {
                    at: now(),
                    identity: identity.map(str::to_owned),
                });
                st.next_token += 1;
                let n = st.next_token;
                let out = NaiveTask {
                    token: n.to_string(),
                    activity_id: task.activity_id.clone(),
                    activity_type: task.activity_type.clone(),
                    input: task.input.clone(),
                };
                st.started.insert(n, task);
                return Ok(Some(out));
            }
            let Some(deadline) = deadline else {
                return Ok(None);
            };
            if now() >= deadline {
                return Ok(None);
            }
            st.waiting += 1;
            st.lists.entry(list.to_owned()).or_default().waiting += 1;
            let (g, _) = L::wait_until(&self.cond, st, deadline);
            st = g;
            self.wakeups.fetch_add(1, Ordering::Relaxed);
            st.waiting -= 1;
            if let Some(l) = st.lists.get_mut(list) {
                l.waiting -= 1;
            }
        }
    }

    fn token(token: &str) -> Result<u64, Fail> {
        check_len("taskToken", token, 1, 1024)?;
        token.parse().map_err(|_| "malformed token".to_owned())
    }

    /// Records a heartbeat.
    pub fn heartbeat_task(&self, token: &str) -> Result<bool, Fail> {
        let n = Self::token(token)?;
        let mut st = L::lock(&self.state);
        let task = st.started.get_mut(&n).ok_or("unknown task")?;
        task.last_heartbeat = Some(now());
        Ok(false)
    }

    /// Closes a started task, completed or failed.
    pub fn close_task(&self, token: &str, failed: bool) -> Result<(), Fail> {
        let n = Self::token(token)?;
        let mut task = {
            let mut st = L::lock(&self.state);
            let mut task = st.started.remove(&n).ok_or("unknown task")?;
            task.history.push(if failed {
                Event::Failed {
                    at: now(),
                    reason: Some("bench".into()),
                }
            } else {
                Event::Completed {
                    at: now(),
                    result: None,
                }
            });
            task
        };
        // Dropped outside the lock.
        task.history.clear();
        Ok(())
    }

    fn list(&self, i: usize) -> &str {
        self.lists.get(i).map_or("list-0", String::as_str)
    }
}

/// A thread's identity and activity counter.
#[derive(Debug)]
pub struct NaiveCtx {
    identity: String,
    next_activity: u64,
}

impl<L: Locks> Workload for Naive<L> {
    type Ctx = NaiveCtx;
    type Token = String;

    fn name(&self) -> String {
        format!("naive/{}", L::NAME)
    }

    fn ctx(&self, thread: usize) -> NaiveCtx {
        NaiveCtx {
            identity: format!("worker-{thread}"),
            next_activity: 0,
        }
    }

    fn schedule(&self, cx: &mut NaiveCtx, list: usize, input: String) -> Result<(), Fail> {
        cx.next_activity += 1;
        self.schedule_task(NaiveSchedule {
            domain: super::engine::DOMAIN.into(),
            list: self.list(list).to_owned(),
            activity_type: "work".into(),
            activity_id: format!("a{}", cx.next_activity),
            input,
        })
    }

    fn poll(
        &self,
        cx: &mut NaiveCtx,
        list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<String>>, Fail> {
        Ok(self
            .poll_task(
                super::engine::DOMAIN,
                self.list(list),
                Some(&cx.identity),
                timeout,
            )?
            .map(|t| Polled {
                token: t.token,
                input: t.input,
            }))
    }

    fn heartbeat(&self, _cx: &mut NaiveCtx, token: &String) -> Result<bool, Fail> {
        self.heartbeat_task(token)
    }

    fn complete(&self, _cx: &mut NaiveCtx, token: String) -> Result<(), Fail> {
        self.close_task(&token, false)
    }

    fn fail(&self, _cx: &mut NaiveCtx, token: String) -> Result<(), Fail> {
        self.close_task(&token, true)
    }

    fn waiting(&self, list: usize) -> Option<usize> {
        let st = L::lock(&self.state);
        Some(st.lists.get(self.list(list)).map_or(0, |l| l.waiting))
    }

    fn release(&self) {
        self.closed.store(true, Ordering::SeqCst);
        let mut st = L::lock(&self.state);
        st.closed = true;
        L::notify_all(&self.cond);
    }
}
