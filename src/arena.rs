//! `Arena`: a history's strings, back to back, in chunks that never move.
//!
//! Every string a history records (activity ids, inputs, identities,
//! results) is copied here once and named by where it starts ([`Text`] in
//! `history.rs`). Kept in one `String`, the arena doubled as it grew: each
//! doubling copied every string recorded so far under the execution lock,
//! and a history of a thousand 64-byte inputs sat in a 128 KiB buffer with
//! 58 KiB of it unused. Here the arena grows by adding a chunk, nothing is
//! copied, and the unused room is at most one chunk.
//!
//! Chunk 0 is sized when it is made, for what its first caller says it will
//! record (a Step Functions execution records a handful of strings and is
//! kept 90 days, so it gets no more room than it needs); chunk 1 holds 256
//! bytes and each chunk after doubles, up to [`LARGEST`]. A string never
//! straddles two chunks: one that does not fit in the rest of the last chunk
//! starts a new one, of the next size that holds it. Strings longer than
//! [`LONGEST`] are not put here at all (the history keeps them one
//! allocation each), so a chunk wastes at most a quarter of itself at its
//! end.
//!
//! A string's place is one `u32`: its chunk's index above [`OFFSET_BITS`]
//! bits, its offset in the chunk below them. Reading a string is a shift, a
//! mask and two bounds checks.

/// Chunk classes by size: class 1 is 256 bytes, each class after doubles.
pub(crate) const CLASSES: usize = 8;

/// Class 1's size.
const SECOND: usize = 256;

/// The size of the largest class, and the most chunk 0 holds.
pub(crate) const LARGEST: usize = SECOND << (CLASSES - 2);

/// Bits of a place that hold the offset in its chunk.
const OFFSET_BITS: u32 = LARGEST.trailing_zeros();

/// The longest string the arena takes.
pub(crate) const LONGEST: usize = LARGEST / 4;

/// The smallest chunk 0.
const FIRST_MIN: usize = 32;

/// The chunks an arena can have: places fit in a `u32` and none is
/// `u32::MAX`, which the history's `Text` keeps for spilled strings.
pub(crate) const MAX_CHUNKS: usize = (1 << (32 - OFFSET_BITS)) - 1;

/// The size of a chunk of class `class` (1 or more; chunk 0 is sized by its
/// first caller and belongs to no class).
pub(crate) const fn capacity(class: usize) -> usize {
    if class == 0 {
        0
    } else if class >= CLASSES - 1 {
        LARGEST
    } else {
        SECOND << (class - 1)
    }
}

/// The class of a chunk of `bytes`, if that is a class's size.
fn class_of(bytes: usize) -> Option<usize> {
    (1..CLASSES).find(|&c| capacity(c) == bytes)
}

/// The arena (module docs).
///
/// Chunk 0 is held in the arena itself and the rest in a vector of their
/// own, so that a history that records a handful of strings (a Step
/// Functions execution, kept 90 days) allocates one chunk and nothing else.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    /// Chunk 0: no capacity until the first string.
    first: String,
    /// Chunks 1 and on.
    rest: Vec<String>,
}

impl Arena {
    /// Whether nothing was recorded yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.first.capacity() == 0
    }

    /// The number of chunks.
    fn chunks(&self) -> usize {
        if self.is_empty() {
            0
        } else {
            1 + self.rest.len()
        }
    }

    /// Records `parts` back to back and returns the place of the first, or
    /// `None` if they are longer than [`LONGEST`] or would need chunk
    /// `max_chunks`: then nothing is recorded. The first call makes chunk 0
    /// with room for `first_room` bytes (at least the parts); `chunk(class)`
    /// supplies an empty `String` of [`capacity(class)`](capacity) for each
    /// chunk after.
    pub(crate) fn put<const N: usize>(
        &mut self,
        parts: [&str; N],
        first_room: usize,
        max_chunks: usize,
        chunk: impl FnOnce(usize) -> String,
    ) -> Option<u32> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len > LONGEST {
            return None;
        }
        // Usually the parts fit in the last chunk. (In an empty arena, only
        // empty parts "fit" chunk 0's zero capacity: they read back as "".)
        let last = self.rest.len();
        let c = match self.rest.last_mut() {
            Some(c) => c,
            None => &mut self.first,
        };
        // Capped: a chunk's offsets must stay within their bits.
        if c.len() + len <= c.capacity().min(LARGEST) {
            let start = (last << OFFSET_BITS) | c.len();
            for p in parts {
                c.push_str(p);
            }
            return u32::try_from(start).ok();
        }
        let k = self.chunks();
        if k >= max_chunks.min(MAX_CHUNKS) {
            return None;
        }
        let mut c = if k == 0 {
            String::with_capacity(first_room.clamp(len.max(FIRST_MIN), LARGEST))
        } else {
            // The chunk's own class, or the first after it that holds the
            // parts (LONGEST fits the largest).
            let class = (k.min(CLASSES - 1)..CLASSES)
                .find(|&c| capacity(c) >= len)
                .unwrap_or(CLASSES - 1);
            let mut fresh = chunk(class);
            fresh.clear();
            fresh
        };
        for p in parts {
            c.push_str(p);
        }
        if k == 0 {
            self.first = c;
        } else {
            self.rest.push(c);
        }
        u32::try_from(k << OFFSET_BITS).ok()
    }

    /// The `len` bytes at `place`, if a [`put`](Arena::put) recorded them.
    pub(crate) fn get(&self, place: u32, len: u32) -> Option<&str> {
        if len == 0 {
            return Some("");
        }
        let (k, off) = (place >> OFFSET_BITS, place & ((1 << OFFSET_BITS) - 1));
        let chunk = match (k as usize).checked_sub(1) {
            None => &self.first,
            Some(r) => self.rest.get(r)?,
        };
        chunk.get(off as usize..off as usize + len as usize)
    }

    /// Empties the arena and hands back its chunks after the first, with
    /// their classes (chunk 0's size is its own; it is freed).
    pub(crate) fn take_chunks(&mut self) -> impl Iterator<Item = (usize, String)> + use<> {
        self.first = String::new();
        std::mem::take(&mut self.rest)
            .into_iter()
            .filter_map(|c| Some((class_of(c.capacity())?, c)))
    }

    /// Chunk 0's size.
    #[cfg(test)]
    pub(crate) fn first_size(&self) -> usize {
        self.first.capacity()
    }

    /// The bytes of the chunks' buffers.
    #[cfg(test)]
    pub(crate) fn capacity_bytes(&self) -> usize {
        self.first.capacity() + self.rest.iter().map(String::capacity).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fresh(class: usize) -> String {
        String::with_capacity(capacity(class))
    }

    fn put(a: &mut Arena, s: &str) -> Option<u32> {
        a.put([s], 0, MAX_CHUNKS, fresh)
    }

    const CHUNK: u32 = 1 << OFFSET_BITS;

    #[test]
    fn classes_double_from_256_to_the_largest() {
        let sizes: Vec<usize> = (1..CLASSES).map(capacity).collect();
        assert_eq!(sizes, [256, 512, 1024, 2048, 4096, 8192, 16384]);
        assert_eq!(CHUNK as usize, LARGEST);
        assert_eq!(class_of(1024), Some(3));
        assert_eq!(class_of(1000), None);
    }

    #[test]
    fn chunk_zero_is_sized_by_its_first_caller() {
        let mut a = Arena::default();
        assert!(a.is_empty());
        assert_eq!(a.put(["abc"], 40, MAX_CHUNKS, fresh), Some(0));
        assert_eq!(a.first_size(), 40);
        let mut b = Arena::default();
        assert_eq!(b.put(["abc"], 0, MAX_CHUNKS, fresh), Some(0));
        assert_eq!(b.first_size(), FIRST_MIN, "never below the minimum");
        let mut c = Arena::default();
        assert_eq!(c.put(["abc"], usize::MAX, MAX_CHUNKS, fresh), Some(0));
        assert_eq!(c.first_size(), LARGEST, "never above the largest");
    }

    #[test]
    fn a_string_that_does_not_fit_starts_a_chunk_that_holds_it() {
        let mut a = Arena::default();
        assert_eq!(a.put(["x"], 32, MAX_CHUNKS, fresh), Some(0));
        // 31 bytes left in chunk 0, and chunk 1 would hold 256: a 300-byte
        // string starts chunk 1 in the 512-byte class.
        let long = "y".repeat(300);
        assert_eq!(put(&mut a, &long), Some(CHUNK));
        assert_eq!(a.get(CHUNK, 300), Some(long.as_str()));
        assert_eq!(a.capacity_bytes(), 32 + 512);
        // Short strings follow it there.
        assert_eq!(put(&mut a, "z"), Some(CHUNK + 300));
        assert_eq!(put(&mut a, "w"), Some(CHUNK + 301));
        // Chunk 2 is of class 2 again (512 bytes).
        assert_eq!(put(&mut a, &"v".repeat(300)), Some(2 * CHUNK));
        let back: Vec<(usize, usize)> = a.take_chunks().map(|(c, s)| (c, s.len())).collect();
        assert_eq!(back, [(2, 302), (2, 300)], "chunk 0 is freed");
        assert!(a.is_empty());
    }

    #[test]
    fn too_long_or_too_many_chunks_records_nothing() {
        let mut a = Arena::default();
        let huge = "h".repeat(LONGEST + 1);
        assert_eq!(put(&mut a, &huge), None);
        assert!(a.is_empty());
        assert_eq!(a.put(["abc"], 0, 0, fresh), None, "no chunk allowed");
        assert_eq!(a.put(["abc"], 0, 1, fresh), Some(0));
        assert_eq!(
            a.put([&"d".repeat(40)], 0, 1, fresh),
            None,
            "a second chunk"
        );
        assert_eq!(a.get(0, 3), Some("abc"));
        assert_eq!(a.get(3, 1), None, "never recorded");
        assert_eq!(a.get(CHUNK, 1), None, "no such chunk");
        assert_eq!(a.get(7, 0), Some(""));
    }

    /// A string stays where it was recorded: growth adds chunks and never
    /// copies the arena (module docs).
    #[test]
    fn strings_never_move_as_the_arena_grows() {
        let mut a = Arena::default();
        let mut places = Vec::new();
        for i in 0..3_000usize {
            let word = format!("word-{i}");
            let place = put(&mut a, &word);
            assert!(place.is_some());
            let place = place.unwrap_or_default();
            if i % 101 == 0 {
                let at = a
                    .get(place, word.len() as u32)
                    .map_or(std::ptr::null(), str::as_ptr);
                places.push((place, word, at));
            }
        }
        for (place, word, at) in places {
            let now = a.get(place, word.len() as u32);
            assert_eq!(now, Some(word.as_str()));
            assert!(
                std::ptr::eq(now.map_or(std::ptr::null(), str::as_ptr), at),
                "{word} moved"
            );
        }
    }

    #[test]
    fn parts_are_recorded_back_to_back() {
        let mut a = Arena::default();
        let at = a.put(["reason", "", "details"], 0, MAX_CHUNKS, fresh);
        assert_eq!(at, Some(0));
        assert_eq!(a.get(0, 6), Some("reason"));
        assert_eq!(a.get(6, 7), Some("details"));
    }

    proptest! {
        /// Every string reads back whole, however the lengths fall against
        /// the chunk ends, and the arena holds little more than it records.
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
                let start = a.put([w.as_str()], first_room, MAX_CHUNKS, fresh);
                prop_assert!(start.is_some());
                at.push(start.unwrap_or_default());
            }
            for (w, start) in words.iter().zip(at) {
                prop_assert_eq!(a.get(start, w.len() as u32), Some(w.as_str()));
            }
            // A chunk is left with less room than the string that starts the
            // next: a chunk of 2 KiB or more is at least half used.
            let used: usize = words.iter().map(String::len).sum();
            prop_assert!(a.capacity_bytes() <= used * 2 + a.first_size() + 4 * LARGEST);
        }
    }
}
