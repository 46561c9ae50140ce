//! The floors: what moving a task between threads costs with nothing else
//! on top (no history, no token, no validation).
//!
//! * [`ChannelFloor`]: one `crossbeam_channel` per task list; a lifecycle is
//!   a send and a receive. Bounded channels allocate their whole buffer up
//!   front, so [`ChannelFloor::unbounded`] exists for runs with many lists.
//! * [`Rendezvous`]: a zero-capacity channel, the floor of handing a task to
//!   a blocked receiver.
//! * [`CondvarWake`]: a bare mutex-guarded flag and condvar; the wake-up the
//!   engine's is judged against, for std and parking_lot.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, unbounded};

use super::naive::Locks;
use super::{Fail, Polled, Workload, now};

/// One channel per task list.
pub struct ChannelFloor {
    lists: Vec<(Sender<String>, Receiver<String>)>,
    label: String,
    closed: AtomicBool,
}

impl ChannelFloor {
    /// `lists` bounded channels of `capacity` each.
    pub fn bounded(lists: usize, capacity: usize) -> ChannelFloor {
        ChannelFloor {
            lists: (0..lists.max(1)).map(|_| bounded(capacity)).collect(),
            label: "floor/crossbeam".into(),
            closed: AtomicBool::new(false),
        }
    }

    /// `lists` unbounded channels.
    pub fn unbounded(lists: usize) -> ChannelFloor {
        ChannelFloor {
            lists: (0..lists.max(1)).map(|_| unbounded()).collect(),
            label: "floor/crossbeam".into(),
            closed: AtomicBool::new(false),
        }
    }

    fn chan(&self, i: usize) -> Result<&(Sender<String>, Receiver<String>), Fail> {
        self.lists.get(i).ok_or_else(|| "no such list".to_owned())
    }
}

impl Workload for ChannelFloor {
    type Ctx = ();
    type Token = ();

    fn name(&self) -> String {
        self.label.clone()
    }

    fn ctx(&self, _thread: usize) {}

    fn schedule(&self, _cx: &mut (), list: usize, input: String) -> Result<(), Fail> {
        self.chan(list)?.0.send(input).map_err(|e| e.to_string())
    }

    fn poll(
        &self,
        _cx: &mut (),
        list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<()>>, Fail> {
        let rx = &self.chan(list)?.1;
        let got = if timeout.is_zero() {
            rx.try_recv().ok()
        } else {
            match rx.recv_timeout(timeout) {
                Ok(s) => Some(s),
                Err(RecvTimeoutError::Timeout) => None,
                Err(e) => return Err(e.to_string()),
            }
        };
        Ok(got.map(|input| Polled { token: (), input }))
    }

    fn heartbeat(&self, _cx: &mut (), _token: &()) -> Result<bool, Fail> {
        Ok(false)
    }

    fn complete(&self, _cx: &mut (), _token: ()) -> Result<(), Fail> {
        Ok(())
    }

    fn fail(&self, _cx: &mut (), _token: ()) -> Result<(), Fail> {
        Ok(())
    }

    fn waiting(&self, _list: usize) -> Option<usize> {
        None
    }

    fn release(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }
}

/// A zero-capacity channel: the schedule blocks until a poller takes the
/// task. Only for wake-up measurements (one list).
pub struct Rendezvous {
    tx: Sender<String>,
    rx: Receiver<String>,
}

impl Rendezvous {
    /// A rendezvous channel.
    pub fn new() -> Rendezvous {
        let (tx, rx) = bounded(0);
        Rendezvous { tx, rx }
    }
}

impl Default for Rendezvous {
    fn default() -> Self {
        Rendezvous::new()
    }
}

impl Workload for Rendezvous {
    type Ctx = ();
    type Token = ();

    fn name(&self) -> String {
        "rendezvous/crossbeam".into()
    }

    fn ctx(&self, _thread: usize) {}

    fn schedule(&self, _cx: &mut (), _list: usize, input: String) -> Result<(), Fail> {
        self.tx
            .send_timeout(input, Duration::from_secs(10))
            .map_err(|e| e.to_string())
    }

    fn poll(
        &self,
        _cx: &mut (),
        _list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<()>>, Fail> {
        match self.rx.recv_timeout(timeout) {
            Ok(input) => Ok(Some(Polled { token: (), input })),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn heartbeat(&self, _cx: &mut (), _token: &()) -> Result<bool, Fail> {
        Ok(false)
    }

    fn complete(&self, _cx: &mut (), _token: ()) -> Result<(), Fail> {
        Ok(())
    }

    fn fail(&self, _cx: &mut (), _token: ()) -> Result<(), Fail> {
        Ok(())
    }

    fn waiting(&self, _list: usize) -> Option<usize> {
        None
    }

    fn release(&self) {}
}

struct Flag {
    set: bool,
    waiting: usize,
}

/// A bare condvar wake-up: the poll waits for a flag under a mutex, the
/// schedule sets it and notifies one waiter. Only for wake-up
/// measurements (one list).
pub struct CondvarWake<L: Locks> {
    flag: L::Mutex<Flag>,
    cond: L::Condvar,
}

impl<L: Locks> CondvarWake<L> {
    /// An unset flag.
    pub fn new() -> CondvarWake<L> {
        CondvarWake {
            flag: L::mutex(Flag {
                set: false,
                waiting: 0,
            }),
            cond: L::condvar(),
        }
    }
}

impl<L: Locks> Default for CondvarWake<L> {
    fn default() -> Self {
        CondvarWake::new()
    }
}

impl<L: Locks> Workload for CondvarWake<L> {
    type Ctx = ();
    type Token = ();

    fn name(&self) -> String {
        format!("condvar/{}", L::NAME)
    }

    fn ctx(&self, _thread: usize) {}

    fn schedule(&self, _cx: &mut (), _list: usize, _input: String) -> Result<(), Fail> {
        let mut f = L::lock(&self.flag);
        f.set = true;
        L::notify_one(&self.cond);
        Ok(())
    }

    fn poll(
        &self,
        _cx: &mut (),
        _list: usize,
        timeout: Duration,
    ) -> Result<Option<Polled<()>>, Fail> {
        let deadline = now() + timeout;
        let mut f = L::lock(&self.flag);
        f.waiting += 1;
        while !f.set {
            let (g, timed_out) = L::wait_until(&self.cond, f, deadline);
            f = g;
            if timed_out {
                break;
            }
        }
        f.waiting -= 1;
        let got = std::mem::replace(&mut f.set, false);
        Ok(got.then(|| Polled {
            token: (),
            input: String::new(),
        }))
    }

    fn heartbeat(&self, _cx: &mut (), _token: &()) -> Result<bool, Fail> {
        Ok(false)
    }

    fn complete(&self, _cx: &mut (), _token: ()) -> Result<(), Fail> {
        Ok(())
    }

    fn fail(&self, _cx: &mut (), _token: ()) -> Result<(), Fail> {
        Ok(())
    }

    fn waiting(&self, _list: usize) -> Option<usize> {
        Some(L::lock(&self.flag).waiting)
    }

    fn release(&self) {}
}
