//! `Segments`: an append-only array kept in segments that never move.
//!
//! A history grows one event at a time for as long as its execution is open
//! (up to 25,000 events, 800 KiB). Kept in a `Vec`, every doubling copies the
//! whole history into a fresh buffer on the call that happens to cross a
//! power of two: hundreds of kilobytes copied and, worse on these machines,
//! a fresh buffer's pages faulted in one by one (3 to 15 µs each), then a
//! buffer half empty. Here the array grows by adding a segment: nothing is
//! ever copied, the unused room is at most one segment, and the caller
//! supplies each new segment, so it can hand out segments a freed history
//! gave back ([`HistoryPool`](crate::history::HistoryPool)), whose pages are
//! already mapped.
//!
//! Segment sizes: six elements first (a Step Functions execution records
//! five or six events, and a retained one keeps no slack), then 8, 16, ...,
//! 512, then [`LARGEST`] for every segment after. So small histories stay
//! small and a full SWF history (25,001 events) is 32 segments.

/// Segment size classes: segment `k` is of class `min(k, CLASSES - 1)`.
pub(crate) const CLASSES: usize = 9;

/// The first segment's size.
const FIRST: usize = 6;

/// The second segment's size; each segment after it doubles, up to
/// [`LARGEST`].
const SECOND: usize = 8;

/// The size of every segment from class `CLASSES - 1` on.
pub(crate) const LARGEST: usize = SECOND << (CLASSES - 2);

/// Elements in the doubling segments, classes 1 to `CLASSES - 2`.
const DOUBLING: usize = SECOND * ((1 << (CLASSES - 2)) - 1);

/// The number of elements a segment of class `class` holds.
pub(crate) const fn capacity(class: usize) -> usize {
    if class == 0 {
        FIRST
    } else if class >= CLASSES - 1 {
        LARGEST
    } else {
        SECOND << (class - 1)
    }
}

/// The segment that holds element `i`, and `i`'s offset in it.
const fn locate(i: usize) -> (usize, usize) {
    if i < FIRST {
        return (0, i);
    }
    let j = i - FIRST;
    if j < DOUBLING {
        // Doubling segment `k` (class `k + 1`) starts at `SECOND * (2^k - 1)`.
        let k = (j / SECOND + 1).ilog2() as usize;
        (k + 1, j - SECOND * ((1 << k) - 1))
    } else {
        let m = j - DOUBLING;
        (CLASSES - 1 + m / LARGEST, m % LARGEST)
    }
}

/// An append-only array of `T` in segments (module docs).
///
/// The first segment is held in the array itself and the rest in a vector
/// of their own: an array that never outgrows its first segment (a Step
/// Functions history, kept 90 days) allocates that segment and nothing
/// else.
#[derive(Debug)]
pub(crate) struct Segments<T> {
    /// Segment 0. Every segment but the last is full; the last is never
    /// empty.
    first: Vec<T>,
    /// Segments 1 and on.
    rest: Vec<Vec<T>>,
    len: usize,
    /// Elements the last segment has room for, by the size schedule.
    room: usize,
}

impl<T> Default for Segments<T> {
    fn default() -> Segments<T> {
        Segments {
            first: Vec::new(),
            rest: Vec::new(),
            len: 0,
            room: 0,
        }
    }
}

impl<T> Segments<T> {
    /// Appends `value`. When the last segment is full, `segment(class)`
    /// supplies the next one: an empty `Vec` with room for at least
    /// [`capacity(class)`](capacity) elements (more room is left unused).
    pub(crate) fn push_with(&mut self, value: T, segment: impl FnOnce(usize) -> Vec<T>) {
        if self.room == 0 {
            let k = if self.len == 0 {
                0
            } else {
                self.rest.len() + 1
            };
            let class = k.min(CLASSES - 1);
            let mut fresh = segment(class);
            fresh.clear();
            if k == 0 {
                self.first = fresh;
            } else {
                self.rest.push(fresh);
            }
            self.room = capacity(class);
        }
        let last = match self.rest.last_mut() {
            Some(last) => last,
            None => &mut self.first,
        };
        last.push(value);
        self.len += 1;
        self.room -= 1;
    }

    /// Segment `k`.
    fn segment(&self, k: usize) -> Option<&Vec<T>> {
        match k.checked_sub(1) {
            None => Some(&self.first),
            Some(r) => self.rest.get(r),
        }
    }

    /// Appends `value` into a newly allocated segment if it needs one.
    #[cfg(test)]
    pub(crate) fn push(&mut self, value: T) {
        self.push_with(value, |class| Vec::with_capacity(capacity(class)));
    }

    /// The element at `i`.
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        let (seg, off) = locate(i);
        self.segment(seg)?.get(off)
    }

    /// The element at `i`, mutably.
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let (seg, off) = locate(i);
        match seg.checked_sub(1) {
            None => self.first.get_mut(off),
            Some(r) => self.rest.get_mut(r)?.get_mut(off),
        }
    }

    /// The first element.
    pub(crate) fn first(&self) -> Option<&T> {
        self.first.first()
    }

    /// The last element.
    pub(crate) fn last(&self) -> Option<&T> {
        match self.rest.last() {
            Some(last) => last.last(),
            None => self.first.last(),
        }
    }

    /// The number of elements.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Every element, first to last.
    pub(crate) fn iter(&self) -> Iter<'_, T> {
        Iter {
            inner: self.first.iter().chain(self.rest.iter().flatten()),
            left: self.len,
        }
    }

    /// Empties the array and hands back its segments with their classes,
    /// still holding their elements.
    pub(crate) fn take_segments(&mut self) -> impl Iterator<Item = (usize, Vec<T>)> + use<T> {
        let had = self.len != 0;
        self.len = 0;
        self.room = 0;
        let first = std::mem::take(&mut self.first);
        let rest = std::mem::take(&mut self.rest);
        had.then_some((0, first)).into_iter().chain(
            rest.into_iter()
                .enumerate()
                .map(|(r, seg)| ((r + 1).min(CLASSES - 1), seg)),
        )
    }

    /// The bytes of the segments' buffers.
    #[cfg(test)]
    pub(crate) fn capacity_bytes(&self) -> usize {
        std::iter::once(&self.first)
            .chain(&self.rest)
            .map(|s| s.capacity() * std::mem::size_of::<T>())
            .sum()
    }
}

/// The iterator of [`Segments::iter`]: double-ended and of known length, so
/// that `enumerate().rev()` gives each element its index.
#[derive(Debug)]
pub(crate) struct Iter<'a, T> {
    inner:
        std::iter::Chain<std::slice::Iter<'a, T>, std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>>,
    left: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let next = self.inner.next()?;
        self.left -= 1;
        Some(next)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let next = self.inner.next_back()?;
        self.left -= 1;
        Some(next)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn segments_are_six_then_doubling_from_eight_to_the_largest() {
        let sizes: Vec<usize> = (0..CLASSES).map(capacity).collect();
        assert_eq!(sizes, [6, 8, 16, 32, 64, 128, 256, 512, 1024]);
        // Every index lands in the segment the sizes say, at the right offset.
        let mut i = 0;
        for k in 0..40 {
            for off in 0..capacity(k.min(CLASSES - 1)) {
                assert_eq!(locate(i), (k, off), "index {i}");
                i += 1;
            }
        }
    }

    #[test]
    fn a_full_swf_history_takes_32_segments_and_wastes_under_one() {
        let mut s = Segments::default();
        for i in 0..25_001u32 {
            s.push(i);
        }
        assert_eq!(s.rest.len() + 1, 32);
        let room = s.capacity_bytes() / 4 - s.len();
        assert!(room < LARGEST, "{room} unused");
    }

    /// The point of segments: growth never moves an element, so it never
    /// copies the array into a fresh buffer (module docs).
    #[test]
    fn elements_never_move_as_the_array_grows() {
        let mut s = Segments::default();
        s.push(0u64);
        let first: *const u64 = s.first().map_or(std::ptr::null(), |e| e);
        let mut places = Vec::new();
        for i in 1..5_000u64 {
            s.push(i);
            if i % 97 == 0 {
                places.push((i, s.last().map_or(std::ptr::null(), |e| e as *const u64)));
            }
        }
        assert!(std::ptr::eq(
            s.first().map_or(std::ptr::null(), |e| e),
            first
        ));
        for (i, at) in places {
            let now: *const u64 = s.get(i as usize).map_or(std::ptr::null(), |e| e);
            assert!(std::ptr::eq(now, at), "element {i} moved");
        }
    }

    #[test]
    fn given_segments_are_emptied_and_handed_back_with_their_class() {
        let mut s = Segments::default();
        let mut asked = Vec::new();
        for i in 0..40u8 {
            s.push_with(i, |class| {
                asked.push(class);
                // A recycled segment that still holds something: it is
                // emptied before use.
                let mut v = Vec::with_capacity(capacity(class) + 3);
                v.push(99);
                v
            });
        }
        assert_eq!(asked, [0, 1, 2, 3]);
        assert_eq!(
            s.iter().copied().collect::<Vec<u8>>(),
            (0..40).collect::<Vec<u8>>()
        );
        let back: Vec<(usize, usize)> = s.take_segments().map(|(c, v)| (c, v.len())).collect();
        assert_eq!(back, [(0, 6), (1, 8), (2, 16), (3, 10)]);
        assert_eq!(s.len(), 0);
        assert!(s.first().is_none() && s.last().is_none() && s.get(0).is_none());
        // Emptied, it starts over from the first class.
        let mut again = Vec::new();
        for i in 0..7u8 {
            s.push_with(i, |class| {
                again.push(class);
                Vec::with_capacity(capacity(class))
            });
        }
        assert_eq!(again, [0, 1]);
        assert_eq!(s.get(6), Some(&6));
    }

    proptest! {
        /// The array reads back as a `Vec` of the same pushes would, from
        /// either end and by index.
        #[test]
        fn reads_as_a_vec(n in 0usize..3000, probe in 0usize..3100) {
            let mut s = Segments::default();
            let v: Vec<usize> = (0..n).collect();
            for &x in &v {
                s.push(x);
            }
            prop_assert_eq!(s.len(), n);
            prop_assert_eq!(s.get(probe), v.get(probe));
            prop_assert_eq!(s.first(), v.first());
            prop_assert_eq!(s.last(), v.last());
            prop_assert!(s.iter().eq(v.iter()));
            prop_assert!(s.iter().rev().eq(v.iter().rev()));
            let indexed: Vec<(usize, &usize)> = s.iter().enumerate().rev().collect();
            let expected: Vec<(usize, &usize)> = v.iter().enumerate().rev().collect();
            prop_assert_eq!(indexed, expected);
        }
    }
}
