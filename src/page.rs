//! Page tokens for the list operations: opaque, URL-safe, and checked.
//!
//! A token is the offset of the next item in the listing's order, tagged
//! with the listing it belongs to and a check byte, so that a token from
//! another listing or a mangled one is refused rather than misread.

use crate::token::base64url;

/// Which listing a token continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Listing {
    Domains = 1,
    ActivityTypes = 2,
    History = 4,
    Activities = 5,
    /// Step Functions execution histories: a token of an SWF history is
    /// refused, as faces share machinery, not namespaces.
    SfnHistory = 6,
}

fn check(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0xA5u8, |acc, b| acc.rotate_left(3) ^ b)
}

/// The token that continues `listing` at `offset`.
pub(crate) fn encode(listing: Listing, offset: u64) -> String {
    let mut raw = [0u8; 12];
    raw[0] = listing as u8;
    raw[1..9].copy_from_slice(&offset.to_le_bytes());
    raw[9] = check(&raw[..9]);
    raw[10] = 0x5A;
    raw[11] = 0xC3;
    base64url(&raw)
}

/// The offset a token continues at, or `None` if it is not a token of
/// `listing`.
pub(crate) fn decode(listing: Listing, token: &str) -> Option<u64> {
    if token.len() != 16 {
        return None;
    }
    let mut raw = Vec::with_capacity(12);
    for quad in token.as_bytes().chunks_exact(4) {
        let mut n = 0u32;
        for &c in quad {
            n = n << 6 | u32::from(crate::token::sextet(c)?);
        }
        raw.extend_from_slice(&n.to_be_bytes()[1..4]);
    }
    let (head, tail) = raw.split_at(9);
    if head.first() != Some(&(listing as u8)) || tail != [check(head), 0x5A, 0xC3] {
        return None;
    }
    let mut off = [0u8; 8];
    off.copy_from_slice(head.get(1..9)?);
    Some(u64::from_le_bytes(off))
}

/// One page of `items` from `offset`: the page and the next token.
pub(crate) fn page<T: Clone>(
    items: &[T],
    offset: u64,
    size: usize,
    listing: Listing,
) -> (Vec<T>, Option<String>) {
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(items.len());
    let end = start.saturating_add(size).min(items.len());
    let out = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    let next = (end < items.len()).then(|| encode(listing, end as u64));
    (out, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_others() {
        let t = encode(Listing::History, 1234);
        assert_eq!(decode(Listing::History, &t), Some(1234));
        assert_eq!(decode(Listing::Domains, &t), None);
        assert_eq!(decode(Listing::History, "garbage"), None);
        let mut bad = t.into_bytes();
        bad[3] = if bad[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            decode(Listing::History, std::str::from_utf8(&bad).unwrap()),
            None
        );
    }

    #[test]
    fn pages_split_a_listing() {
        let items: Vec<u32> = (0..5).collect();
        let (p, next) = page(&items, 0, 2, Listing::Domains);
        assert_eq!(p, [0, 1]);
        let off = decode(Listing::Domains, &next.unwrap()).unwrap();
        let (p, next) = page(&items, off, 10, Listing::Domains);
        assert_eq!(p, [2, 3, 4]);
        assert!(next.is_none());
    }
}
