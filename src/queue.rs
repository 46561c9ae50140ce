//! The two queues of a task list: tasks waiting for a worker, and workers
//! waiting for a task.
//!
//! Both hold `(slot, generation)` references into the shard's slabs, not the
//! tasks or waiters themselves, and both are plain data with `&mut self`
//! methods: the shard lock that guards them lives in [`crate::shard`].
//!
//! Removal from the middle (a task canceled or timed out before it started,
//! a poller that gave up) is lazy: the reference stays queued and the shard
//! skips it when it reaches the front, because its slot's generation no
//! longer matches. The shard compacts a queue when stale references
//! outnumber live ones, so a list that is never polled still stays bounded.

use std::collections::VecDeque;

/// A reference to a slab slot at one generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SlotRef {
    pub(crate) slot: u32,
    pub(crate) generation: u32,
}

/// A FIFO of references whose front is held inline.
///
/// Most lists hold one task or one poller at a time: with 10,000 lists and
/// as many tasks, each list is created for one task and freed when it
/// drains. Holding the first reference inline, that list allocates no
/// buffer at all; a second reference spills into the `VecDeque`.
#[derive(Debug, Default)]
struct Fifo {
    /// The front; `None` only if `rest` is empty too.
    front: Option<SlotRef>,
    /// Everything behind the front, in order.
    rest: VecDeque<SlotRef>,
}

impl Fifo {
    fn push_back(&mut self, r: SlotRef) {
        if self.front.is_none() {
            self.front = Some(r);
        } else {
            self.rest.push_back(r);
        }
    }

    fn pop_front(&mut self) -> Option<SlotRef> {
        let r = self.front.take()?;
        self.front = self.rest.pop_front();
        Some(r)
    }

    fn is_empty(&self) -> bool {
        self.front.is_none()
    }

    fn len(&self) -> usize {
        usize::from(self.front.is_some()) + self.rest.len()
    }

    /// Keeps only the references `keep` approves, in order; `keep` sees
    /// each once, front first.
    fn retain(&mut self, mut keep: impl FnMut(&SlotRef) -> bool) {
        if self.front.is_some_and(|r| !keep(&r)) {
            self.front = None;
        }
        self.rest.retain(keep);
        if self.front.is_none() {
            self.front = self.rest.pop_front();
        }
    }

    /// Frees the buffer once nothing waits behind the front.
    fn shrink(&mut self) {
        if self.rest.is_empty() {
            self.rest = VecDeque::new();
        }
    }
}

/// Tasks in delivery order: higher priority first, FIFO within a priority.
///
/// Priorities are few in practice (most lists use one), so levels are a
/// short vector searched linearly, each a FIFO: push and pop are O(1) for a
/// list of one priority however long it grows. The highest level is held in
/// the queue itself: a pop reads the list and the FIFO's buffer, with no
/// vector of levels in between, and a new list allocates one buffer.
#[derive(Debug, Default)]
pub(crate) struct TaskQueue {
    /// The highest priority's level; empty only if `lower` is.
    head: Level,
    /// The lower levels, highest first, none empty.
    lower: Vec<Level>,
    /// References queued, stale ones included.
    len: usize,
}

#[derive(Debug, Default)]
struct Level {
    priority: i32,
    fifo: Fifo,
}

impl Level {
    fn of(priority: i32, r: SlotRef) -> Level {
        let mut fifo = Fifo::default();
        fifo.push_back(r);
        Level { priority, fifo }
    }
}

impl TaskQueue {
    /// Queues `r` behind every task of priority `priority` or higher.
    pub(crate) fn push(&mut self, priority: i32, r: SlotRef) {
        // An empty queue takes the priority of what comes (and keeps its
        // buffer, so a list that alternates between a few tasks and none
        // does not allocate each time).
        if self.head.fifo.is_empty() {
            self.head.priority = priority;
        }
        if priority == self.head.priority {
            self.head.fifo.push_back(r);
        } else if priority > self.head.priority {
            let old = std::mem::replace(&mut self.head, Level::of(priority, r));
            self.lower.insert(0, old);
        } else {
            let at = self
                .lower
                .iter()
                .position(|l| l.priority <= priority)
                .unwrap_or(self.lower.len());
            match self.lower.get_mut(at) {
                Some(level) if level.priority == priority => level.fifo.push_back(r),
                _ => self.lower.insert(at, Level::of(priority, r)),
            }
        }
        self.len += 1;
    }

    /// Takes the first reference in delivery order.
    pub(crate) fn pop(&mut self) -> Option<SlotRef> {
        let r = self.head.fifo.pop_front();
        if r.is_some() {
            self.len -= 1;
        }
        self.promote();
        r
    }

    /// Moves the highest lower level up if the head is empty.
    fn promote(&mut self) {
        if self.head.fifo.is_empty() && !self.lower.is_empty() {
            self.head = self.lower.remove(0);
        }
    }

    /// Keeps only the references `keep` approves, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(SlotRef) -> bool) {
        self.head.fifo.retain(|r| keep(*r));
        for level in &mut self.lower {
            level.fifo.retain(|r| keep(*r));
        }
        self.lower.retain(|l| !l.fifo.is_empty());
        self.promote();
        self.len = self.head.fifo.len() + self.lower.iter().map(|l| l.fifo.len()).sum::<usize>();
    }

    /// References queued, stale ones included.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// `true` when nothing is queued.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Frees the memory an emptied queue still holds.
    pub(crate) fn shrink(&mut self) {
        if self.len == 0 {
            *self = TaskQueue::default();
        }
    }
}

/// Pollers waiting on one list, longest-waiting first.
#[derive(Debug, Default)]
pub(crate) struct WaiterQueue {
    fifo: Fifo,
}

impl WaiterQueue {
    /// Queues a poller behind all others.
    pub(crate) fn push(&mut self, r: SlotRef) {
        self.fifo.push_back(r);
    }

    /// Takes the longest-waiting poller.
    pub(crate) fn pop(&mut self) -> Option<SlotRef> {
        self.fifo.pop_front()
    }

    /// Keeps only the references `keep` approves, in order.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&SlotRef) -> bool) {
        self.fifo.retain(keep);
    }

    /// References queued, stale ones included.
    pub(crate) fn len(&self) -> usize {
        self.fifo.len()
    }

    /// Frees the memory an emptied queue still holds.
    pub(crate) fn shrink(&mut self) {
        self.fifo.shrink();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(slot: u32) -> SlotRef {
        SlotRef {
            slot,
            generation: 0,
        }
    }

    #[test]
    fn higher_priority_first_then_fifo() {
        let mut q = TaskQueue::default();
        q.push(0, r(1));
        q.push(5, r(2));
        q.push(0, r(3));
        q.push(-3, r(4));
        q.push(5, r(5));
        q.push(i32::MIN, r(6));
        q.push(i32::MAX, r(7));
        let order: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|r| r.slot).collect();
        assert_eq!(order, [7, 2, 5, 1, 3, 4, 6]);
        assert!(q.is_empty());
    }

    #[test]
    fn a_higher_priority_takes_the_head_and_an_emptied_head_gives_it_back() {
        let mut q = TaskQueue::default();
        q.push(1, r(1));
        q.push(3, r(2));
        q.push(2, r(3));
        q.push(3, r(4));
        assert_eq!(q.pop(), Some(r(2)));
        assert_eq!(q.pop(), Some(r(4)));
        // Priority 2 is the head now; a later 3 goes before it again.
        q.push(3, r(5));
        let order: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|r| r.slot).collect();
        assert_eq!(order, [5, 3, 1]);
        assert_eq!(q.pop(), None);
        // Emptied, it takes any priority, lower ones included.
        q.push(-7, r(6));
        q.push(-9, r(7));
        assert_eq!(q.pop(), Some(r(6)));
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn retain_that_empties_the_head_promotes_the_next_level() {
        let mut q = TaskQueue::default();
        q.push(5, r(1));
        q.push(0, r(2));
        q.push(0, r(3));
        q.retain(|r| r.slot != 1);
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop(), Some(r(2)));
        q.push(0, r(4));
        assert_eq!(q.pop(), Some(r(3)));
        assert_eq!(q.pop(), Some(r(4)));
        assert!(q.is_empty());
        q.shrink();
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn retain_drops_stale_references() {
        let mut q = TaskQueue::default();
        for i in 0..10 {
            q.push(i % 2, r(i as u32));
        }
        q.retain(|r| r.slot % 3 != 0);
        assert_eq!(q.len(), 6);
        let order: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|r| r.slot).collect();
        assert_eq!(order, [1, 5, 7, 2, 4, 8]);
    }

    proptest::proptest! {
        /// The queue delivers as a list kept sorted by priority (highest
        /// first, FIFO within one) would.
        #[test]
        fn delivers_by_priority_then_fifo(
            ops in proptest::collection::vec((0u8..4, -3i32..4), 0..300),
        ) {
            let mut q = TaskQueue::default();
            let mut model: Vec<(i32, u32)> = Vec::new();
            for (i, (op, priority)) in ops.into_iter().enumerate() {
                let slot = i as u32;
                match op {
                    0 | 1 => {
                        q.push(priority, r(slot));
                        let at = model.iter().position(|&(p, _)| p < priority).unwrap_or(model.len());
                        model.insert(at, (priority, slot));
                    }
                    2 => {
                        let expected = (!model.is_empty()).then(|| model.remove(0).1);
                        proptest::prop_assert_eq!(q.pop().map(|r| r.slot), expected);
                    }
                    _ => {
                        q.retain(|r| r.slot % 3 != 0);
                        model.retain(|&(_, s)| s % 3 != 0);
                    }
                }
                proptest::prop_assert_eq!(q.len(), model.len());
            }
        }
    }

    #[test]
    fn a_lone_reference_needs_no_buffer() {
        let mut f = Fifo::default();
        f.push_back(r(1));
        assert_eq!(f.rest.capacity(), 0, "the front is inline");
        f.push_back(r(2));
        assert!(f.rest.capacity() > 0, "the second spills");
        assert_eq!(f.pop_front(), Some(r(1)));
        assert_eq!((f.front, f.rest.len()), (Some(r(2)), 0));
        f.shrink();
        assert_eq!(f.rest.capacity(), 0);
        assert_eq!(f.pop_front(), Some(r(2)));
        assert_eq!(f.pop_front(), None);
    }

    proptest::proptest! {
        /// `Fifo` behaves as a `VecDeque`, and `retain` asks about each
        /// reference once, in order.
        #[test]
        fn fifo_behaves_as_vec_deque(ops in proptest::collection::vec(0u8..8, 0..200)) {
            let mut f = Fifo::default();
            let mut model = VecDeque::new();
            for (i, op) in ops.into_iter().enumerate() {
                match op {
                    0..=3 => {
                        f.push_back(r(i as u32));
                        model.push_back(r(i as u32));
                    }
                    4 | 5 => proptest::prop_assert_eq!(f.pop_front(), model.pop_front()),
                    6 => {
                        let mut seen = Vec::new();
                        f.retain(|x| {
                            seen.push(*x);
                            x.slot % 3 != i as u32 % 3
                        });
                        proptest::prop_assert_eq!(&seen, &Vec::from(model.clone()));
                        model.retain(|x| x.slot % 3 != i as u32 % 3);
                    }
                    _ => f.shrink(),
                }
                proptest::prop_assert_eq!(f.len(), model.len());
                proptest::prop_assert_eq!(f.is_empty(), model.is_empty());
                proptest::prop_assert_eq!(f.front, model.front().copied());
            }
        }
    }

    #[test]
    fn waiters_are_fifo() {
        let mut w = WaiterQueue::default();
        w.push(r(3));
        w.push(r(1));
        w.push(r(2));
        w.retain(|r| r.slot != 1);
        assert_eq!(w.pop(), Some(r(3)));
        assert_eq!(w.pop(), Some(r(2)));
        assert_eq!(w.pop(), None);
    }
}
