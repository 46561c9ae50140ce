//! `Slots`: a slab (stable keys, reused when freed) kept in [`Segments`],
//! whose slots carry generations.
//!
//! A shard's queued and started tasks live here, a million of them when a
//! backlog builds, and its waiting pollers. In a `Vec`-backed slab the insert that crosses a power of
//! two copies every task under the shard lock (96 MB at a million tasks,
//! tens of milliseconds in which no poll of the shard's lists gets through)
//! and leaves up to half the buffer unused. Here growth adds a segment and
//! copies nothing, and the unused room is at most one segment.
//!
//! Keys are reused, so a reference to a slot (a task token, a queue entry,
//! a timer) carries the slot's generation, which changes each time the slot
//! is freed. The generation lives in the slot itself: in the value while it
//! is occupied (four bytes of a task), in the free-list
//! link while it is not. Checking a reference then reads one cache line,
//! where a generation vector beside the slab made it two.
//!
//! Freed slots are reused last-freed first, as `slab` does: the slot a task
//! just left is the one still in cache.

use crate::segments::{self, Segments};

/// A value that keeps its slot's generation.
pub(crate) trait Generational {
    /// The generation of the slot the value is in.
    fn generation(&self) -> u32;
    /// Sets it, as the value moves in.
    fn set_generation(&mut self, generation: u32);
}

/// A slot: a value, or a link in the free list.
#[derive(Debug)]
enum Entry<T> {
    /// Free; the next free slot plus one (0 at the list's end), and the
    /// generation the slot's next value gets.
    Vacant {
        next: u32,
        generation: u32,
    },
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

impl<T: Generational> Slots<T> {
    /// The key the next [`insert`](Slots::insert) will return.
    pub(crate) fn vacant_key(&self) -> usize {
        match self.free {
            0 => self.entries.len(),
            n => n as usize - 1,
        }
    }

    /// The key the next [`insert`](Slots::insert) will return, and the
    /// generation it will give (a new slot's is 0).
    pub(crate) fn vacant(&self) -> (usize, u32) {
        let key = self.vacant_key();
        match self.entries.get(key) {
            Some(Entry::Vacant { generation, .. }) => (key, *generation),
            _ => (key, 0),
        }
    }

    /// Stores `value`, with its slot's generation, and returns its key.
    pub(crate) fn insert(&mut self, mut value: T) -> usize {
        let key = self.vacant_key();
        match self.entries.get_mut(key) {
            Some(entry) => {
                if let Entry::Vacant { next, generation } = *entry {
                    self.free = next;
                    value.set_generation(generation);
                }
                *entry = Entry::Occupied(value);
            }
            None => {
                value.set_generation(0);
                self.entries.push_with(Entry::Occupied(value), |class| {
                    Vec::with_capacity(segments::capacity(class))
                });
            }
        }
        key
    }

    /// The current generation of slot `key`, occupied or free, if the slot
    /// was ever used.
    pub(crate) fn generation(&self, key: usize) -> Option<u32> {
        match self.entries.get(key)? {
            Entry::Occupied(v) => Some(v.generation()),
            Entry::Vacant { generation, .. } => Some(*generation),
        }
    }

    /// The value at `key`.
    pub(crate) fn get(&self, key: usize) -> Option<&T> {
        match self.entries.get(key)? {
            Entry::Occupied(v) => Some(v),
            Entry::Vacant { .. } => None,
        }
    }

    /// The value at `key` if it is of `generation`.
    pub(crate) fn get_of(&self, key: usize, generation: u32) -> Option<&T> {
        self.get(key).filter(|v| v.generation() == generation)
    }

    /// The value at `key`, mutably.
    pub(crate) fn get_mut(&mut self, key: usize) -> Option<&mut T> {
        match self.entries.get_mut(key)? {
            Entry::Occupied(v) => Some(v),
            Entry::Vacant { .. } => None,
        }
    }

    /// The value at `key` if it is of `generation`, mutably.
    pub(crate) fn get_mut_of(&mut self, key: usize, generation: u32) -> Option<&mut T> {
        self.get_mut(key).filter(|v| v.generation() == generation)
    }

    /// Every value held, with its key, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &T)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(key, e)| match e {
                Entry::Occupied(v) => Some((key, v)),
                Entry::Vacant { .. } => None,
            })
    }

    /// Takes the value at `key` out, freeing the slot and moving it to its
    /// next generation.
    pub(crate) fn try_remove(&mut self, key: usize) -> Option<T> {
        let next = self.free;
        let entry = self.entries.get_mut(key)?;
        let generation = match entry {
            Entry::Occupied(v) => v.generation().wrapping_add(1),
            Entry::Vacant { .. } => return None,
        };
        let Entry::Occupied(value) = std::mem::replace(entry, Entry::Vacant { next, generation })
        else {
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

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct V {
        value: u16,
        generation: u32,
    }

    impl Generational for V {
        fn generation(&self) -> u32 {
            self.generation
        }
        fn set_generation(&mut self, generation: u32) {
            self.generation = generation;
        }
    }

    fn v(value: u16) -> V {
        V {
            value,
            generation: 99,
        }
    }

    fn value(s: &Slots<V>, key: usize) -> Option<u16> {
        s.get(key).map(|v| v.value)
    }

    #[test]
    fn freed_slots_are_reused_last_freed_first_in_their_next_generation() {
        let mut s = Slots::default();
        let keys: Vec<usize> = (0..10).map(|i| s.insert(v(i))).collect();
        assert_eq!(keys, (0..10).collect::<Vec<usize>>());
        assert_eq!(s.generation(3), Some(0), "a fresh slot starts at 0");
        assert_eq!(s.try_remove(3).map(|v| v.value), Some(3));
        assert_eq!(s.try_remove(7).map(|v| v.value), Some(7));
        assert!(s.try_remove(7).is_none(), "already free");
        assert!(s.get(3).is_none() && s.get(7).is_none());
        assert_eq!(s.generation(7), Some(1), "a freed slot moves on");
        assert_eq!(s.vacant(), (7, 1));
        assert_eq!(s.insert(v(70)), 7);
        assert_eq!(
            s.get(7),
            Some(&V {
                value: 70,
                generation: 1
            })
        );
        assert_eq!(s.insert(v(30)), 3);
        assert_eq!(s.vacant(), (10, 0));
        assert_eq!(s.insert(v(10)), 10, "then past the end");
        assert_eq!(value(&s, 3), Some(30));
        // A reference of the old generation no longer finds the slot.
        assert!(s.get_of(3, 0).is_none());
        assert_eq!(s.get_of(3, 1).map(|v| v.value), Some(30));
        if let Some(x) = s.get_mut_of(7, 1) {
            x.value += 1;
        }
        assert!(s.get_mut_of(7, 0).is_none());
        assert_eq!(value(&s, 7), Some(71));
        assert!(s.try_remove(99).is_none(), "never used");
        assert_eq!(s.generation(99), None);
    }

    /// Memory per queued task is an issue-5 target: the free-list link
    /// costs a task slot nothing (the tag hides in the task's non-null
    /// pointer, the link in the bytes beside it).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_task_slot_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<Entry<crate::shard::Task>>(), 64);
        assert_eq!(std::mem::align_of::<Entry<crate::shard::Task>>(), 64);
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
        /// `Slots` hands out the keys `slab` would and holds what it holds;
        /// a slot's generation counts how often it was freed.
        #[test]
        fn behaves_as_slab(ops in proptest::collection::vec(op(), 0..2000)) {
            let mut ours = Slots::default();
            let mut theirs = slab::Slab::new();
            let mut frees = std::collections::HashMap::<usize, u32>::new();
            for op in ops {
                match op {
                    Op::Insert(x) => {
                        prop_assert_eq!(ours.vacant_key(), theirs.vacant_key());
                        let key = ours.insert(v(x));
                        prop_assert_eq!(key, theirs.insert(x));
                        let expected = frees.get(&key).copied().unwrap_or(0);
                        prop_assert_eq!(ours.get(key).map(|v| v.generation), Some(expected));
                    }
                    Op::Remove(k) => {
                        let removed = ours.try_remove(k).map(|v| v.value);
                        prop_assert_eq!(removed, theirs.try_remove(k));
                        if removed.is_some() {
                            *frees.entry(k).or_default() += 1;
                        }
                    }
                }
            }
            for k in 0..700 {
                prop_assert_eq!(value(&ours, k), theirs.get(k).copied());
            }
            prop_assert!(ours.iter().map(|(k, v)| (k, v.value)).eq(theirs.iter().map(|(k, v)| (k, *v))));
        }
    }
}
