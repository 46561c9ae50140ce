//! `Slots`: a slab (stable keys, reused when freed) kept in [`Segments`].
//!
//! A shard's queued and started tasks live here, a million of them when a
//! backlog builds. In a `Vec`-backed slab the insert that crosses a power of
//! two copies every task under the shard lock (96 MB at a million tasks,
//! tens of milliseconds in which no poll of the shard's lists gets through)
//! and leaves up to half the buffer unused. Here growth adds a segment and
//! copies nothing, and the unused room is at most one segment.
//!
//! Freed slots are reused last-freed first, as `slab` does: the slot a task
//! just left is the one still in cache.

use crate::segments::{self, Segments};

/// A slot: a value, or a link in the free list.
#[derive(Debug)]
enum Entry<T> {
    /// Free; the next free slot plus one, or 0 at the list's end.
    Vacant(u32),
    Occupied(T),
}

/// A slab in segments (module docs). Keys are `usize`, as `slab`'s are,
/// and stay below `u32::MAX`.
#[derive(Debug)]
pub(crate) struct Slots<T> {
    entries: Segments<Entry<T>>,
    /// The first free slot plus one, or 0 if none.
    free: u32,
}

impl<T> Default for Slots<T> {
    fn default() -> Slots<T> {
        Slots {
            entries: Segments::default(),
            free: 0,
        }
    }
}

impl<T> Slots<T> {
    /// The key the next [`insert`](Slots::insert) will return.
    pub(crate) fn vacant_key(&self) -> usize {
        match self.free {
            0 => self.entries.len(),
            n => n as usize - 1,
        }
    }

    /// Stores `value` and returns its key.
    pub(crate) fn insert(&mut self, value: T) -> usize {
        let key = self.vacant_key();
        match self.entries.get_mut(key) {
            Some(entry) => {
                if let Entry::Vacant(next) = *entry {
                    self.free = next;
                }
                *entry = Entry::Occupied(value);
            }
            None => self.entries.push_with(Entry::Occupied(value), |class| {
                Vec::with_capacity(segments::capacity(class))
            }),
        }
        key
    }

    /// The value at `key`.
    pub(crate) fn get(&self, key: usize) -> Option<&T> {
        match self.entries.get(key)? {
            Entry::Occupied(v) => Some(v),
            Entry::Vacant(_) => None,
        }
    }

    /// The value at `key`, mutably.
    pub(crate) fn get_mut(&mut self, key: usize) -> Option<&mut T> {
        match self.entries.get_mut(key)? {
            Entry::Occupied(v) => Some(v),
            Entry::Vacant(_) => None,
        }
    }

    /// Whether `key` holds a value.
    pub(crate) fn contains(&self, key: usize) -> bool {
        self.get(key).is_some()
    }

    /// Takes the value at `key` out, freeing the slot.
    pub(crate) fn try_remove(&mut self, key: usize) -> Option<T> {
        let next = self.free;
        let entry = self.entries.get_mut(key)?;
        if matches!(entry, Entry::Vacant(_)) {
            return None;
        }
        let Entry::Occupied(value) = std::mem::replace(entry, Entry::Vacant(next)) else {
            return None;
        };
        // Keys come from `insert`, which never hands out `u32::MAX` or more
        // (`Segments` would need 4 billion elements first).
        self.free = u32::try_from(key).map_or(0, |k| k.saturating_add(1));
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn freed_slots_are_reused_last_freed_first() {
        let mut s = Slots::default();
        let keys: Vec<usize> = (0..10).map(|i| s.insert(i)).collect();
        assert_eq!(keys, (0..10).collect::<Vec<usize>>());
        assert_eq!(s.try_remove(3), Some(3));
        assert_eq!(s.try_remove(7), Some(7));
        assert_eq!(s.try_remove(7), None, "already free");
        assert!(!s.contains(3) && s.get(7).is_none());
        assert_eq!(s.vacant_key(), 7);
        assert_eq!(s.insert(70), 7);
        assert_eq!(s.insert(30), 3);
        assert_eq!(s.insert(10), 10, "then past the end");
        assert_eq!(s.get(3), Some(&30));
        if let Some(v) = s.get_mut(7) {
            *v += 1;
        }
        assert_eq!(s.get(7), Some(&71));
        assert_eq!(s.try_remove(99), None, "never used");
    }

    /// Memory per queued task is an issue-5 target: a free-list link costs
    /// a task slot nothing (the tag hides in the task's non-null pointer).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_task_slot_is_96_bytes() {
        assert_eq!(std::mem::size_of::<Entry<crate::shard::Task>>(), 96);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u16),
        Remove(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            any::<u16>().prop_map(Op::Insert),
            (0usize..600).prop_map(Op::Remove),
        ]
    }

    proptest! {
        /// `Slots` hands out the keys `slab` would and holds what it holds.
        #[test]
        fn behaves_as_slab(ops in proptest::collection::vec(op(), 0..2000)) {
            let mut ours = Slots::default();
            let mut theirs = slab::Slab::new();
            for op in ops {
                match op {
                    Op::Insert(v) => {
                        prop_assert_eq!(ours.vacant_key(), theirs.vacant_key());
                        prop_assert_eq!(ours.insert(v), theirs.insert(v));
                    }
                    Op::Remove(k) => prop_assert_eq!(ours.try_remove(k), theirs.try_remove(k)),
                }
            }
            for k in 0..700 {
                prop_assert_eq!(ours.get(k), theirs.get(k));
            }
        }
    }
}
