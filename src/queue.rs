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
/// list of one priority however long it grows.
#[derive(Debug, Default)]
pub(crate) struct TaskQueue {
    /// Sorted by priority, highest first; only a lone level may be empty.
    levels: Vec<Level>,
    /// References queued, stale ones included.
    len: usize,
}

#[derive(Debug)]
struct Level {
    priority: i32,
    fifo: VecDeque<SlotRef>,
}

impl TaskQueue {
    /// Queues `r` behind every task of priority `priority` or higher.
    pub(crate) fn push(&mut self, priority: i32, r: SlotRef) {
        if let [only] = self.levels.as_mut_slice() {
            if only.fifo.is_empty() {
                only.priority = priority;
            }
        }
        let at = self
            .levels
            .iter()
            .position(|l| l.priority <= priority)
            .unwrap_or(self.levels.len());
        match self.levels.get_mut(at) {
            Some(level) if level.priority == priority => level.fifo.push_back(r),
            _ => {
                let mut fifo = VecDeque::new();
                fifo.push_back(r);
                self.levels.insert(at, Level { priority, fifo });
            }
        }
        self.len += 1;
    }

    /// Takes the first reference in delivery order.
    pub(crate) fn pop(&mut self) -> Option<SlotRef> {
        let level = self.levels.first_mut()?;
        let r = level.fifo.pop_front();
        // The last level stays, empty, so a list that alternates between one
        // task and none does not allocate a level per task.
        if level.fifo.is_empty() && self.levels.len() > 1 {
            self.levels.remove(0);
        }
        if r.is_some() {
            self.len -= 1;
        }
        r
    }

    /// Keeps only the references `keep` approves, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(SlotRef) -> bool) {
        for level in &mut self.levels {
            level.fifo.retain(|r| keep(*r));
        }
        self.levels.retain(|l| !l.fifo.is_empty());
        self.len = self.levels.iter().map(|l| l.fifo.len()).sum();
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
            self.levels = Vec::new();
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
