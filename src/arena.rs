//! `Arena`: a history's strings, back to back, in chunks that never move.
//!
//! Every string a history records (activity ids, inputs, identities,
//! results) is copied here once and named by its offset ([`Text`] in
//! `history.rs`). Kept in one `String`, the arena doubled as it grew: each
//! doubling copied every string recorded so far under the execution lock,
//! and a history of a thousand 64-byte inputs sat in a 128 KiB buffer with
//! 58 KiB of it unused. Here the arena grows by adding a chunk, nothing is
//! copied, and the unused room is at most one chunk.
//!
//! The arena is one run of offsets, chunk after chunk. Chunk 0 is sized
//! when it is made, for what its first caller says it will record (a Step
//! Functions execution records a handful of strings and is kept 90 days, so
//! it gets no more room than it needs); chunk 1 holds 256 bytes and each
//! chunk after doubles, up to [`LARGEST`]. A string never straddles two
//! chunks: one that does not fit in the rest of a chunk starts the next
//! chunk that can hold it, and chunks skipped over are never allocated.
//! Strings longer than [`LONGEST`] are not put here at all (the history
//! keeps them one allocation each), so a chunk wastes at most a quarter of
//! itself at its end.

/// Chunk classes: chunk `k` is of class `min(k, CLASSES - 1)`.
pub(crate) const CLASSES: usize = 8;

/// Class 1's size; each class after doubles, up to [`LARGEST`].
const SECOND: u32 = 256;

/// The size of every chunk from class `CLASSES - 1` on.
pub(crate) const LARGEST: u32 = SECOND << (CLASSES - 2);

/// The longest string the arena takes.
pub(crate) const LONGEST: u32 = LARGEST / 4;

/// Bytes in the doubling chunks, classes 1 to `CLASSES - 2`.
const DOUBLING: u32 = SECOND * ((1 << (CLASSES - 2)) - 1);

/// The smallest chunk 0.
const FIRST_MIN: u32 = 32;

/// The size of a chunk of class `class` (1 or more; chunk 0's is its own).
pub(crate) const fn capacity(class: usize) -> u32 {
    if class >= CLASSES - 1 {
        LARGEST
    } else if class == 0 {
        0
    } else {
        SECOND << (class - 1)
    }
}

/// The arena (module docs).
#[derive(Debug, Default)]
pub(crate) struct Arena {
    /// Chunk `k`, or an empty `String` for a chunk skipped over.
    chunks: Vec<String>,
    /// Chunk 0's size, fixed when it is made.
    first: u32,
    /// The offset at which the next string goes.
    end: u32,
    /// The offset at which the last chunk, which holds `end`, ends.
    limit: u32,
}

impl Arena {
    /// The chunk that holds offset `at`, and `at`'s offset in it.
    fn locate(&self, at: u32) -> (usize, u32) {
        if at < self.first {
            return (0, at);
        }
        let j = at - self.first;
        if j < DOUBLING {
            let m = (j / SECOND + 1).ilog2();
            (m as usize + 1, j - SECOND * ((1 << m) - 1))
        } else {
            let r = j - DOUBLING;
            (CLASSES - 1 + (r / LARGEST) as usize, r % LARGEST)
        }
    }

    /// The size of chunk `k`.
    fn chunk_size(&self, k: usize) -> u32 {
        if k == 0 { self.first } else { capacity(k) }
    }

    /// The offset at which chunk `k` starts, if it is below `u32::MAX`.
    fn base(&self, k: usize) -> Option<u32> {
        if k == 0 {
            return Some(0);
        }
        let k = u32::try_from(k).ok()?;
        let doubling = CLASSES as u32 - 2;
        let past_first = if k <= doubling + 1 {
            SECOND * ((1 << (k - 1)) - 1)
        } else {
            DOUBLING.checked_add((k - doubling - 1).checked_mul(LARGEST)?)?
        };
        self.first.checked_add(past_first)
    }

    /// Whether nothing was recorded yet (chunk 0 is not made).
    pub(crate) fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Records `parts` back to back and returns the offset of the first,
    /// or `None` if they are longer than [`LONGEST`] or would end past
    /// `limit`: then nothing is recorded. The first call makes chunk 0 with
    /// room for `first_room` bytes (at least the parts); `chunk(class)`
    /// supplies an empty `String` of at least [`capacity(class)`](capacity)
    /// for each chunk after.
    pub(crate) fn put(
        &mut self,
        parts: &[&str],
        first_room: usize,
        limit: u32,
        chunk: impl FnOnce(usize) -> String,
    ) -> Option<u32> {
        let len = u32::try_from(parts.iter().map(|p| p.len()).sum::<usize>()).ok()?;
        if len > LONGEST {
            return None;
        }
        // Usually the parts fit in the last chunk.
        let end = self.end.checked_add(len)?;
        if end <= self.limit && end <= limit {
            if let Some(c) = self.chunks.last_mut() {
                for p in parts {
                    c.push_str(p);
                }
                let start = self.end;
                self.end = end;
                return Some(start);
            }
        }
        if self.chunks.is_empty() {
            let room = u32::try_from(first_room).unwrap_or(LARGEST);
            self.first = room.clamp(len.max(FIRST_MIN), LARGEST);
            self.chunks.push(String::with_capacity(self.first as usize));
        }
        // Chunk sizes grow to LARGEST >= LONGEST >= len: a chunk that holds
        // the parts is at most a few chunks on.
        let (mut k, mut off) = self.locate(self.end);
        while off + len > self.chunk_size(k) {
            k += 1;
            off = 0;
        }
        let start = self.base(k)?.checked_add(off)?;
        if start.checked_add(len)? > limit {
            return None;
        }
        while self.chunks.len() <= k {
            self.chunks.push(String::new());
        }
        let c = self.chunks.get_mut(k)?;
        if c.capacity() == 0 && len > 0 {
            let mut fresh = chunk(k.min(CLASSES - 1));
            fresh.clear();
            *c = fresh;
        }
        for p in parts {
            c.push_str(p);
        }
        self.end = start + len;
        // Past 4 GiB of offsets, every put takes the slow path (and spills).
        self.limit = self.base(k + 1).unwrap_or(self.end);
        Some(start)
    }

    /// The `len` bytes at `start`, if a [`put`](Arena::put) recorded them.
    pub(crate) fn get(&self, start: u32, len: u32) -> Option<&str> {
        if len == 0 {
            return Some("");
        }
        let (k, off) = self.locate(start);
        self.chunks
            .get(k)?
            .get(off as usize..off.checked_add(len)? as usize)
    }

    /// Empties the arena and hands back its chunks after the first, with
    /// their classes (chunk 0's size is its own; it is freed).
    pub(crate) fn take_chunks(&mut self) -> impl Iterator<Item = (usize, String)> + use<> {
        self.first = 0;
        self.end = 0;
        self.limit = 0;
        std::mem::take(&mut self.chunks)
            .into_iter()
            .enumerate()
            .skip(1)
            .filter(|(_, c)| c.capacity() != 0)
            .map(|(k, c)| (k.min(CLASSES - 1), c))
    }

    /// Chunk 0's size.
    #[cfg(test)]
    pub(crate) fn first_size(&self) -> usize {
        self.first as usize
    }

    /// The bytes of the chunks' buffers.
    #[cfg(test)]
    pub(crate) fn capacity_bytes(&self) -> usize {
        self.chunks.iter().map(String::capacity).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fresh(class: usize) -> String {
        String::with_capacity(capacity(class) as usize)
    }

    fn put(a: &mut Arena, s: &str) -> Option<u32> {
        a.put(&[s], 0, u32::MAX, fresh)
    }

    #[test]
    fn chunks_are_sized_first_then_doubling_from_256_to_the_largest() {
        let sizes: Vec<u32> = (1..CLASSES).map(capacity).collect();
        assert_eq!(sizes, [256, 512, 1024, 2048, 4096, 8192, 16384]);
        let a = Arena {
            first: 100,
            ..Arena::default()
        };
        // Every offset lands in the chunk the sizes say, at the right place.
        let mut at = 0u32;
        for k in 0..12 {
            assert_eq!(a.base(k), Some(at), "chunk {k}");
            for off in 0..a.chunk_size(k) {
                assert_eq!(a.locate(at), (k, off), "offset {at}");
                at += 1;
            }
        }
    }

    #[test]
    fn chunk_zero_is_sized_by_its_first_caller() {
        let mut a = Arena::default();
        assert!(a.is_empty());
        assert_eq!(a.put(&["abc"], 40, u32::MAX, fresh), Some(0));
        assert_eq!(a.first, 40);
        assert_eq!(a.capacity_bytes(), 40);
        let mut b = Arena::default();
        assert_eq!(b.put(&["abc"], 0, u32::MAX, fresh), Some(0));
        assert_eq!(b.first, FIRST_MIN, "never below the minimum");
    }

    #[test]
    fn a_string_that_does_not_fit_starts_the_next_chunk_that_holds_it() {
        let mut a = Arena::default();
        assert_eq!(a.put(&["x"], 32, u32::MAX, fresh), Some(0));
        // 31 bytes left in chunk 0, 256 in chunk 1: a 300-byte string goes
        // to chunk 2 (at 32 + 256), and chunk 1 is never allocated.
        let long = "y".repeat(300);
        assert_eq!(put(&mut a, &long), Some(288));
        assert_eq!(a.get(288, 300), Some(long.as_str()));
        assert_eq!(a.capacity_bytes(), 32 + 512);
        // The next short string follows it in chunk 2.
        assert_eq!(put(&mut a, "z"), Some(588));
        let back: Vec<(usize, usize)> = a.take_chunks().map(|(c, s)| (c, s.len())).collect();
        assert_eq!(
            back,
            [(2, 301)],
            "chunk 0 is freed, the skipped chunk 1 was never made"
        );
        assert!(a.is_empty());
    }

    #[test]
    fn too_long_or_past_the_limit_records_nothing() {
        let mut a = Arena::default();
        let huge = "h".repeat(LONGEST as usize + 1);
        assert_eq!(put(&mut a, &huge), None);
        assert_eq!(a.put(&["abc"], 0, 2, fresh), None, "would end past 2");
        assert_eq!(put(&mut a, "abc"), Some(0));
        assert_eq!(a.get(0, 3), Some("abc"));
        assert_eq!(a.get(3, 1), None, "never recorded");
        assert_eq!(a.get(7, 0), Some(""));
    }

    #[test]
    fn parts_are_recorded_back_to_back() {
        let mut a = Arena::default();
        let at = a.put(&["reason", "", "details"], 0, u32::MAX, fresh);
        assert_eq!(at, Some(0));
        assert_eq!(a.get(0, 6), Some("reason"));
        assert_eq!(a.get(6, 7), Some("details"));
    }

    proptest! {
        /// Every string reads back whole, however the lengths fall against
        /// the chunk ends.
        #[test]
        fn strings_read_back(
            first_room in 0usize..600,
            shapes in proptest::collection::vec(
                (prop_oneof![0usize..40, 900usize..1100], proptest::char::range('a', 'é')),
                1..300,
            ),
        ) {
            let words: Vec<String> =
                shapes.iter().map(|&(n, c)| c.to_string().repeat(n)).collect();
            let mut a = Arena::default();
            let mut at = Vec::new();
            for w in &words {
                let start = a.put(&[w.as_str()], first_room, u32::MAX, fresh);
                prop_assert!(start.is_some());
                at.push(start);
            }
            for (w, start) in words.iter().zip(at) {
                let start = start.unwrap_or_default();
                prop_assert_eq!(a.get(start, w.len() as u32), Some(w.as_str()));
            }
            // Skipping wastes at most a string's length per chunk: the arena
            // holds at most twice what it records, past chunk 0 and one
            // largest chunk.
            let used: usize = words.iter().map(String::len).sum();
            prop_assert!(a.capacity_bytes() <= used * 2 + a.first as usize + LARGEST as usize);
        }
    }
}
