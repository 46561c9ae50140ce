//! Values by a 64-bit hash of a name, the name itself kept elsewhere.
//!
//! The execution table, the run index and the Step Functions registry find
//! executions by name (workflow id, run id, execution name) without storing
//! the name a second time: a [`HashIndex`] maps
//! the name's hash to the values filed under it, and the caller tells them
//! apart by comparing each value's own name. A hash almost always holds one
//! value, which is stored inline; a shared hash holds a `Vec`.

use crate::shard::FastMap;

/// Values filed under 64-bit hashes; several may share one.
#[derive(Debug)]
pub(crate) struct HashIndex<T> {
    map: FastMap<u64, Filed<T>>,
}

#[derive(Debug)]
enum Filed<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for HashIndex<T> {
    fn default() -> Self {
        HashIndex {
            map: FastMap::default(),
        }
    }
}

impl<T> HashIndex<T> {
    /// Files `value` under `hash`, beside any values already there.
    pub(crate) fn insert(&mut self, hash: u64, value: T) {
        let filed = match self.map.remove(&hash) {
            None => Filed::One(value),
            Some(Filed::One(first)) => Filed::Many(vec![first, value]),
            Some(Filed::Many(mut all)) => {
                all.push(value);
                Filed::Many(all)
            }
        };
        self.map.insert(hash, filed);
    }

    /// Removes the values under `hash` that `is` picks; `true` if it
    /// removed any.
    pub(crate) fn remove(&mut self, hash: u64, is: impl Fn(&T) -> bool) -> bool {
        let (removed, empty) = match self.map.get_mut(&hash) {
            Some(Filed::One(v)) => {
                let picked = is(v);
                (picked, picked)
            }
            Some(Filed::Many(all)) => {
                let before = all.len();
                all.retain(|v| !is(v));
                (all.len() != before, all.is_empty())
            }
            None => (false, false),
        };
        if empty {
            self.map.remove(&hash);
        }
        removed
    }

    /// The first value under `hash` that `is` picks.
    pub(crate) fn find(&self, hash: u64, is: impl Fn(&T) -> bool) -> Option<&T> {
        match self.map.get(&hash)? {
            Filed::One(v) => is(v).then_some(v),
            Filed::Many(all) => all.iter().find(|v| is(v)),
        }
    }

    /// Keeps only the values `keep` accepts.
    pub(crate) fn retain(&mut self, keep: impl Fn(&T) -> bool) {
        self.map.retain(|_, filed| match filed {
            Filed::One(v) => keep(v),
            Filed::Many(all) => {
                all.retain(|v| keep(v));
                !all.is_empty()
            }
        });
    }

    /// Every value, in no particular order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.map.values().flat_map(|filed| match filed {
            Filed::One(v) => std::slice::from_ref(v).iter(),
            Filed::Many(all) => all.iter(),
        })
    }

    /// `true` when nothing is filed.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_sharing_a_hash_are_kept_and_found_apart() {
        let mut ix = HashIndex::default();
        for v in [1, 2, 3] {
            ix.insert(7, v);
        }
        ix.insert(9, 4);
        assert_eq!(ix.find(7, |&v| v == 2), Some(&2));
        assert_eq!(ix.find(7, |&v| v == 4), None, "another hash's value");
        assert_eq!(ix.find(8, |_| true), None);
        ix.remove(7, |&v| v == 2);
        ix.remove(7, |&v| v == 2);
        ix.remove(9, |&v| v == 1);
        assert_eq!(ix.find(7, |&v| v == 2), None);
        let mut all: Vec<i32> = ix.values().copied().collect();
        all.sort_unstable();
        assert_eq!(all, [1, 3, 4], "only the picked values are removed");
        ix.remove(7, |&v| v == 1);
        ix.remove(7, |&v| v == 3);
        ix.remove(9, |&v| v == 4);
        assert!(ix.is_empty(), "emptied hashes are dropped");
        ix.insert(5, 6);
        assert_eq!(ix.find(5, |_| true), Some(&6));
        for v in [1, 2, 3] {
            ix.insert(7, v);
        }
        ix.retain(|&v| v != 2 && v != 6);
        let mut all: Vec<i32> = ix.values().copied().collect();
        all.sort_unstable();
        assert_eq!(all, [1, 3]);
    }
}
