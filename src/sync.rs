//! The one file that names the lock types.
//!
//! Every other module imports `Mutex`, `Condvar` and friends from here, so a
//! model checker or a different lock implementation can be swapped in at one
//! place (tokio's `loom` module and redb's `sync.rs` do the same).
//!
//! Nothing here poisons. Poisoning exists to stop a second thread from seeing
//! state that a panicking thread left half-updated; the engine instead keeps
//! every critical section free of code that can panic (no user callbacks, no
//! indexing, no unwraps), so a panic can only happen outside a lock.

pub(crate) use crossbeam_utils::CachePadded;
pub(crate) use parking_lot::{Condvar, Mutex, MutexGuard};

/// A reader-writer lock for data read on every hot-path call and written
/// rarely (the SWF registry): each reader locks only its own shard of the
/// lock, so readers on different cores never share a cache line; a writer
/// locks every shard. This is crossbeam's `ShardedLock`, whose poisoning is
/// stripped here: nothing panics while holding it.
#[derive(Debug, Default)]
pub(crate) struct ReadMostly<T> {
    inner: crossbeam_utils::sync::ShardedLock<T>,
}

impl<T> ReadMostly<T> {
    pub(crate) fn read(&self) -> crossbeam_utils::sync::ShardedLockReadGuard<'_, T> {
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn write(&self) -> crossbeam_utils::sync::ShardedLockWriteGuard<'_, T> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
