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

pub(crate) use parking_lot::{Condvar, Mutex, MutexGuard, RwLock};

/// Pads and aligns a value to a cache line so that two shards never share one
/// (false sharing would make independent task lists contend).
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct CachePadded<T>(pub(crate) T);

impl<T> std::ops::Deref for CachePadded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
