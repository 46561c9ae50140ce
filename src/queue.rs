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
    fifo: VecDeque<SlotRef>,
}

impl Level {
    fn of(priority: i32, r: SlotRef) -> Level {
        let mut fifo = VecDeque::new();
        fifo.push_back(r);
        Level { priority, fifo }
    }
}

impl TaskQueue {
    /// Queues `r` behind every task of priority `priority` or higher.
    pub(crate) fn push(&mut self, priority: i32, r: SlotRef) {
        // An empty queue takes the priority of what comes (and keeps its
        // buffer, so a list that alternates between one task and none does
        // not allocate each time).
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
    fifo: VecDeque<SlotRef>,
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
        if self.fifo.is_empty() {
            self.fifo = VecDeque::new();
        }
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
