//! Page tokens for the list operations: opaque, URL-safe, and checked.
//!
//! A token is the offset of the next item in the listing's order and the
//! engine-clock tick at which it was issued, tagged with the listing it
//! belongs to and a 16-bit check (a CRC) over all of that, so that a token
//! from another listing or a mangled one is refused rather than misread, and
//! an edited issue time is refused like any other mangling.
//!
//! Layout (21 bytes, 28 base64url characters, within every listing's
//! length limit: SFN `PageToken` 1–1024, SWF `PageToken` ≤ 2048):
//!
//! ```text
//! listing: u8 | offset: u64 LE | issued: u64 LE (tick) | check: u16 BE | 0x5A 0xC3
//! ```
//!
//! Whether a token is too old is the face's question, not this module's:
//! the issue time is only carried and checked here, and each face decides
//! which of its listings' tokens expire (AWS-API.md A3/A4: only Step
//! Functions `ListActivities` tokens, after 24 h).

use crate::clock::Tick;
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

/// Bytes in a token before base64url.
const RAW_LEN: usize = 21;
/// Bytes the check covers: the listing, the offset and the issue time.
const BODY_LEN: usize = 17;
/// Characters in a token.
const TOKEN_LEN: usize = RAW_LEN / 3 * 4;
/// The token's last two bytes.
const TRAILER: [u8; 2] = [0x5A, 0xC3];

/// What a token says: where the listing continues and when it was issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// The offset of the next item in the listing's order.
    pub(crate) offset: u64,
    /// The engine-clock tick at which the token was issued.
    pub(crate) issued: Tick,
}

/// CRC-16/CCITT (polynomial 0x1021, MSB first, stored big-endian after the
/// bytes it covers): it detects every error burst of up to 16 bits, so any
/// edit of one token character (six contiguous bits) is refused.
fn check(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0xFFFFu16, |crc, &b| {
        (0..8).fold(crc ^ u16::from(b) << 8, |crc, _| {
            if crc & 0x8000 == 0 {
                crc << 1
            } else {
                crc << 1 ^ 0x1021
            }
        })
    })
}

/// The token that continues `listing` at `offset`, issued at `issued` on
/// the engine's clock.
pub(crate) fn encode(listing: Listing, offset: u64, issued: Tick) -> String {
    let mut raw = [0u8; RAW_LEN];
    raw[0] = listing as u8;
    raw[1..9].copy_from_slice(&offset.to_le_bytes());
    raw[9..17].copy_from_slice(&issued.0.to_le_bytes());
    let sum = check(&raw[..BODY_LEN]);
    raw[17..19].copy_from_slice(&sum.to_be_bytes());
    raw[19..21].copy_from_slice(&TRAILER);
    base64url(&raw)
}

/// The offset and issue time a token carries, or `None` if it is not a
/// token of `listing`.
pub(crate) fn decode(listing: Listing, token: &str) -> Option<Cursor> {
    if token.len() != TOKEN_LEN {
        return None;
    }
    let mut raw = [0u8; RAW_LEN];
    for (quad, out) in token
        .as_bytes()
        .chunks_exact(4)
        .zip(raw.chunks_exact_mut(3))
    {
        let mut n = 0u32;
        for &c in quad {
            n = n << 6 | u32::from(crate::token::sextet(c)?);
        }
        out.copy_from_slice(n.to_be_bytes().get(1..4)?);
    }
    let (body, tail) = raw.split_at(BODY_LEN);
    let sum = check(body).to_be_bytes();
    if body.first() != Some(&(listing as u8)) || tail != [sum[0], sum[1], TRAILER[0], TRAILER[1]] {
        return None;
    }
    let word = |at: usize| -> Option<u64> {
        let mut w = [0u8; 8];
        w.copy_from_slice(body.get(at..at + 8)?);
        Some(u64::from_le_bytes(w))
    };
    Some(Cursor {
        offset: word(1)?,
        issued: Tick(word(9)?),
    })
}

/// One page of `items` from `offset`: the page and the next token, issued
/// at `now`.
pub(crate) fn page<T: Clone>(
    items: &[T],
    offset: u64,
    size: usize,
    listing: Listing,
    now: Tick,
) -> (Vec<T>, Option<String>) {
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(items.len());
    let end = start.saturating_add(size).min(items.len());
    let out = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    let next = (end < items.len()).then(|| encode(listing, end as u64, now));
    (out, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: u64, issued: u64) -> Cursor {
        Cursor {
            offset,
            issued: Tick(issued),
        }
    }

    #[test]
    fn tokens_round_trip_and_refuse_others() {
        let t = encode(Listing::History, 1234, Tick(99));
        assert_eq!(decode(Listing::History, &t), Some(at(1234, 99)));
        assert_eq!(decode(Listing::Domains, &t), None);
        assert_eq!(decode(Listing::History, "garbage"), None);
        assert_eq!(decode(Listing::History, &"A".repeat(TOKEN_LEN)), None);
        let mut bad = t.into_bytes();
        bad[3] = if bad[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            decode(Listing::History, std::str::from_utf8(&bad).unwrap()),
            None
        );
    }

    #[test]
    fn tokens_carry_the_issue_time_under_the_check() {
        for (offset, issued) in [
            (0, 0),
            (7, 1),
            (u64::MAX, u64::MAX - 1),
            (1 << 40, 86_400_000_000_000),
        ] {
            let t = encode(Listing::Activities, offset, Tick(issued));
            // Opaque, URL-safe, and within SFN's 1..1024 and SWF's 2048.
            assert_eq!(t.len(), TOKEN_LEN);
            assert!(
                t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(decode(Listing::Activities, &t), Some(at(offset, issued)));
        }
        // Editing any one character (the issue time's included) is refused.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for t in [
            encode(Listing::Activities, 3, Tick(5_000_000_000)),
            encode(Listing::Activities, 0, Tick(0)),
        ] {
            for i in 0..t.len() {
                for &c in alphabet {
                    let mut bad = t.clone().into_bytes();
                    if bad[i] == c {
                        continue;
                    }
                    bad[i] = c;
                    let bad = String::from_utf8(bad).unwrap();
                    assert_eq!(decode(Listing::Activities, &bad), None, "{bad}");
                }
            }
        }
    }

    #[test]
    fn pages_split_a_listing() {
        let items: Vec<u32> = (0..5).collect();
        let (p, next) = page(&items, 0, 2, Listing::Domains, Tick(10));
        assert_eq!(p, [0, 1]);
        let cur = decode(Listing::Domains, &next.unwrap()).unwrap();
        assert_eq!(cur, at(2, 10));
        let (p, next) = page(&items, cur.offset, 10, Listing::Domains, Tick(20));
        assert_eq!(p, [2, 3, 4]);
        assert!(next.is_none());
    }
}
