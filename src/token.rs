//! Task tokens: layout, encoding and decoding.
//!
//! A token is 27 bytes written as 36 characters of unpadded base64url
//! (`A-Z a-z 0-9 - _`), so it is URL-safe and far below SWF's 1024 and Step
//! Functions' 2048 character limits:
//!
//! ```text
//! byte  0      1..3        3..7       7..11        11..27
//!      +------+-----------+----------+------------+---------------------+
//!      | tag  | shard u16 | slot u32 | gen u32    | nonce, 128 bits     |
//!      +------+-----------+----------+------------+---------------------+
//! tag: high nibble = layout version (1), low nibble = face (1 SWF, 2 SFN)
//! ```
//!
//! The shard and slot find the task in O(1); the generation tells a live
//! task from a closed one whose slot was reused; the nonce makes the token
//! unforgeable. Integers are little-endian.
//!
//! The nonce is a MAC of the first eleven bytes: SipHash-2-4 with a 128-bit
//! output, keyed by a secret each shard draws from its CSPRNG
//! ([`TokenKey`]). So the engine can tell, for any token, whether it issued
//! it, without keeping anything per task: a token it issued for a task that
//! has since closed is `TaskTimedOut` / "no longer valid", while one it
//! never issued is `TaskDoesNotExist`, however its slot is used now
//! (AWS-API.md A5). Nothing is stored in the task, and starting a task draws
//! no random bytes.
//!
//! Decoding checks only the shape. Whether the token names a live task is the
//! shard's question ([`crate::shard`]).

use siphasher::sip128::{Hasher128, SipHasher24};

/// Which face issued a token. A token is accepted only by its own face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Face {
    /// Amazon SWF.
    Swf,
    /// AWS Step Functions.
    Sfn,
}

impl Face {
    fn tag(self) -> u8 {
        match self {
            Face::Swf => 0x11,
            Face::Sfn => 0x12,
        }
    }
}

/// The decoded fields of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TokenParts {
    pub(crate) face: Face,
    pub(crate) shard: u16,
    pub(crate) slot: u32,
    pub(crate) generation: u32,
    pub(crate) nonce: [u8; 16],
}

/// A shard's secret for sealing its tokens: the 128-bit SipHash key.
#[derive(Clone, Copy)]
pub(crate) struct TokenKey([u8; 16]);

impl TokenKey {
    /// A key drawn from `rng`.
    pub(crate) fn draw(rng: &mut impl rand::RngCore) -> TokenKey {
        let mut key = [0u8; 16];
        rng.fill_bytes(&mut key);
        TokenKey(key)
    }
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A secret: never printed.
        f.write_str("TokenKey(..)")
    }
}

/// The bytes the nonce seals: a token's first eleven.
fn header(face: Face, shard: u16, slot: u32, generation: u32) -> [u8; 11] {
    let mut h = [0u8; 11];
    h[0] = face.tag();
    h[1..3].copy_from_slice(&shard.to_le_bytes());
    h[3..7].copy_from_slice(&slot.to_le_bytes());
    h[7..11].copy_from_slice(&generation.to_le_bytes());
    h
}

fn seal(key: &TokenKey, header: &[u8; 11]) -> [u8; 16] {
    let mut mac = SipHasher24::new_with_key(&key.0);
    std::hash::Hasher::write(&mut mac, header);
    mac.finish128().as_bytes()
}

const RAW_LEN: usize = 27;
/// Length of every token this engine issues.
pub(crate) const TEXT_LEN: usize = 36;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The sextet of every byte value, indexed by the byte; [`INVALID`] for a
/// byte outside the alphabet.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut rest: &mut [u8] = &mut table;
    let mut b = 0u8;
    // Slice patterns rather than indexing: the crate denies indexing lints,
    // const code included.
    while let [slot, tail @ ..] = rest {
        *slot = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => INVALID,
        };
        rest = tail;
        b = b.wrapping_add(1);
    }
    table
};

/// A [`DECODE`] entry for a byte outside the alphabet. As an `i8` it is -1,
/// whose sign extension sets every high bit at any shift.
const INVALID: u8 = 0xFF;

/// The [`DECODE`] entry of `c`, sign-extended: a sextet below 64, or all
/// ones for a byte outside the alphabet.
#[inline(always)]
fn decode_byte(c: u8) -> u32 {
    // A `u8` always indexes a 256-entry table: the fallback is never taken
    // and the bounds check folds away.
    let v = DECODE.get(usize::from(c)).copied().unwrap_or(INVALID);
    v as i8 as u32
}

/// The alphabet character of the low six bits of `n`.
#[inline(always)]
fn encode_sextet(n: u64) -> u8 {
    // The mask keeps the index below 64: the fallback is never taken.
    ALPHABET.get(n as usize & 63).copied().unwrap_or(b'A')
}

/// Three bytes as four alphabet characters.
#[inline(always)]
fn encode_group(chunk: &[u8], quad: &mut [u8]) {
    if let ([a, b, c], [w, x, y, z]) = (chunk, quad) {
        let n = u64::from(*a) << 16 | u64::from(*b) << 8 | u64::from(*c);
        *w = encode_sextet(n >> 18);
        *x = encode_sextet(n >> 12);
        *y = encode_sextet(n >> 6);
        *z = encode_sextet(n);
    }
}

/// Room for the text of a token read six raw bytes (eight characters) at a
/// time: the last step writes four characters past the token.
const TEXT_ROOM: usize = 40;
/// Room for the raw token read as eight-byte words six bytes apart: the
/// last word starts at byte 24.
const RAW_ROOM: usize = 32;

/// Token text on the stack, word-aligned so that `str::from_utf8` checks it
/// a word at a time from its first byte.
#[repr(align(8))]
struct TextBuf([u8; TEXT_ROOM]);

impl TokenParts {
    /// The token of the task in `slot` of `shard`, generation `generation`,
    /// sealed with the shard's `key`.
    pub(crate) fn sealed(
        key: &TokenKey,
        face: Face,
        shard: u16,
        slot: u32,
        generation: u32,
    ) -> TokenParts {
        TokenParts {
            face,
            shard,
            slot,
            generation,
            nonce: seal(key, &header(face, shard, slot, generation)),
        }
    }

    /// Whether `key` sealed this token: whether the shard issued it.
    pub(crate) fn is_sealed_by(&self, key: &TokenKey) -> bool {
        let header = header(self.face, self.shard, self.slot, self.generation);
        seal(key, &header) == self.nonce
    }

    /// The token text.
    pub(crate) fn encode(&self) -> String {
        let mut raw = [0u8; RAW_ROOM];
        raw[..11].copy_from_slice(&header(self.face, self.shard, self.slot, self.generation));
        raw[11..27].copy_from_slice(&self.nonce);
        // On the stack, so the text costs a single allocation of its exact
        // length. Six raw bytes are one load and eight characters; the
        // loop has a constant trip count and unrolls, so no bound is
        // checked at run time.
        let mut text = TextBuf([0u8; TEXT_ROOM]);
        for (k, out) in text.0.chunks_exact_mut(8).enumerate() {
            let Some(&word) = raw
                .get(6 * k..6 * k + 8)
                .and_then(|w| <&[u8; 8]>::try_from(w).ok())
            else {
                continue;
            };
            let x = u64::from_be_bytes(word);
            for (j, o) in out.iter_mut().enumerate() {
                *o = encode_sextet(x >> (58 - 6 * j));
            }
        }
        // Every byte is from the ASCII alphabet, so this cannot fail.
        text.0
            .get(..TEXT_LEN)
            .and_then(|t| std::str::from_utf8(t).ok())
            .map(String::from)
            .unwrap_or_default()
    }

    /// The fields of `text`, or `None` when it is not a token of this
    /// engine's layout (wrong length, alphabet or tag).
    pub(crate) fn decode(text: &str) -> Option<TokenParts> {
        let bytes: &[u8; TEXT_LEN] = text.as_bytes().try_into().ok()?;
        // Each quad stores a whole word whose fourth byte the next quad
        // overwrites, hence the spare byte.
        let mut raw = [0u8; RAW_LEN + 1];
        // An invalid character sets bits above the 24 of a quad; they are
        // OR-ed together and checked once, and the garbage they put in
        // `raw` is never read.
        let mut seen = 0u32;
        for i in 0..TEXT_LEN / 4 {
            let (Some([a, b, c, d]), Some(out)) =
                (bytes.get(4 * i..4 * i + 4), raw.get_mut(3 * i..3 * i + 4))
            else {
                continue;
            };
            let n = decode_byte(*a) << 18
                | decode_byte(*b) << 12
                | decode_byte(*c) << 6
                | decode_byte(*d);
            seen |= n;
            out.copy_from_slice(&(n << 8).to_be_bytes());
        }
        if seen >> 24 != 0 {
            return None;
        }
        let face = match raw[0] {
            0x11 => Face::Swf,
            0x12 => Face::Sfn,
            _ => return None,
        };
        let mut nonce = [0u8; 16];
        nonce.copy_from_slice(&raw[11..27]);
        Some(TokenParts {
            face,
            shard: u16::from_le_bytes([raw[1], raw[2]]),
            slot: u32::from_le_bytes([raw[3], raw[4], raw[5], raw[6]]),
            generation: u32::from_le_bytes([raw[7], raw[8], raw[9], raw[10]]),
            nonce,
        })
    }
}

/// Unpadded base64url of `raw`, whose length is a multiple of three.
pub(crate) fn base64url(raw: &[u8]) -> String {
    let mut out = vec![0u8; raw.len() / 3 * 4];
    for (chunk, quad) in raw.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
        encode_group(chunk, quad);
    }
    // Every byte is from the ASCII alphabet, so this cannot fail.
    String::from_utf8(out).unwrap_or_default()
}

/// The six bits a base64url character stands for, or `None` for a byte
/// outside the alphabet.
#[inline]
pub(crate) fn sextet(c: u8) -> Option<u8> {
    let v = DECODE.get(usize::from(c)).copied().unwrap_or(INVALID);
    (v != INVALID).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TokenParts {
        TokenParts {
            face: Face::Sfn,
            shard: 0xBEEF,
            slot: 0xDEAD_BEEF,
            generation: 7,
            nonce: *b"0123456789abcdef",
        }
    }

    #[test]
    fn round_trips() {
        let t = sample();
        let text = t.encode();
        assert_eq!(text.len(), TEXT_LEN);
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(TokenParts::decode(&text), Some(t));
        let swf = TokenParts {
            face: Face::Swf,
            ..t
        };
        assert_eq!(TokenParts::decode(&swf.encode()), Some(swf));
    }

    /// Base64url as RFC 4648 §5 defines it, bit by bit and unpadded: what
    /// the table-driven code must agree with.
    fn reference_encode(raw: &[u8]) -> String {
        let bits: Vec<u8> = raw
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1))
            .collect();
        bits.chunks(6)
            .map(|six| {
                let v = six.iter().fold(0usize, |n, &bit| n << 1 | usize::from(bit));
                char::from(ALPHABET[v])
            })
            .collect()
    }

    /// The layout decoded char by char with a search of the alphabet.
    fn reference_decode(text: &str) -> Option<TokenParts> {
        let b = text.as_bytes();
        if b.len() != TEXT_LEN {
            return None;
        }
        let mut raw = Vec::new();
        for quad in b.chunks(4) {
            let mut n = 0u32;
            for &c in quad {
                n = n << 6 | ALPHABET.iter().position(|&a| a == c)? as u32;
            }
            raw.extend_from_slice(&n.to_be_bytes()[1..]);
        }
        let face = match raw[0] {
            0x11 => Face::Swf,
            0x12 => Face::Sfn,
            _ => return None,
        };
        Some(TokenParts {
            face,
            shard: u16::from_le_bytes([raw[1], raw[2]]),
            slot: u32::from_le_bytes(raw[3..7].try_into().unwrap()),
            generation: u32::from_le_bytes(raw[7..11].try_into().unwrap()),
            nonce: raw[11..27].try_into().unwrap(),
        })
    }

    /// Reproducible pseudo-random tokens (xorshift).
    fn tokens(n: usize) -> Vec<TokenParts> {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..n)
            .map(|i| {
                let mut nonce = [0u8; 16];
                nonce[..8].copy_from_slice(&next().to_le_bytes());
                nonce[8..].copy_from_slice(&next().to_le_bytes());
                let r = next();
                TokenParts {
                    face: if i % 2 == 0 { Face::Swf } else { Face::Sfn },
                    shard: r as u16,
                    slot: (r >> 16) as u32,
                    generation: (r >> 40) as u32 ^ i as u32,
                    nonce,
                }
            })
            .collect()
    }

    #[test]
    fn the_tables_agree_with_the_alphabet() {
        for c in 0..=255u8 {
            let want = ALPHABET.iter().position(|&a| a == c).map(|v| v as u8);
            assert_eq!(sextet(c), want, "{c}");
        }
    }

    #[test]
    fn encoding_agrees_with_the_reference() {
        for t in tokens(2_000) {
            let text = t.encode();
            let mut raw = vec![t.face.tag()];
            raw.extend_from_slice(&t.shard.to_le_bytes());
            raw.extend_from_slice(&t.slot.to_le_bytes());
            raw.extend_from_slice(&t.generation.to_le_bytes());
            raw.extend_from_slice(&t.nonce);
            assert_eq!(text, reference_encode(&raw));
            assert_eq!(base64url(&raw), text);
            assert_eq!(TokenParts::decode(&text), Some(t));
            // The other callers' lengths (page tokens, run ids).
            for len in [0, 3, 12, 33] {
                let r = &raw[..len.min(raw.len())];
                let r = [r, &raw[..len - r.len()]].concat();
                assert_eq!(base64url(&r), reference_encode(&r));
            }
        }
        // The text of a fixed token, so a seeded engine's tokens never
        // change with the code.
        assert_eq!(sample().encode(), "Eu--776t3gcAAAAwMTIzNDU2Nzg5YWJjZGVm");
    }

    #[test]
    fn every_single_character_corruption_decodes_as_the_reference() {
        for t in tokens(16) {
            let text = t.encode();
            for at in 0..TEXT_LEN {
                for c in 0..128u8 {
                    let mut b = text.clone().into_bytes();
                    b[at] = c;
                    let s = String::from_utf8(b).unwrap();
                    let got = TokenParts::decode(&s);
                    assert_eq!(got, reference_decode(&s), "{s:?}");
                    if c == text.as_bytes()[at] {
                        assert_eq!(got, Some(t));
                    }
                }
                // A non-ASCII char in place of two bytes keeps the length.
                if at + 1 < TEXT_LEN {
                    let s = format!("{}é{}", &text[..at], &text[at + 2..]);
                    assert_eq!(s.len(), TEXT_LEN);
                    assert_eq!(TokenParts::decode(&s), None, "{s:?}");
                }
                // One character dropped or doubled changes the length.
                let short = format!("{}{}", &text[..at], &text[at + 1..]);
                assert_eq!(TokenParts::decode(&short), None);
                let long = format!("{}{}", &text[..=at], &text[at..]);
                assert_eq!(TokenParts::decode(&long), None);
            }
        }
    }

    #[test]
    fn rejects_bad_shapes() {
        let text = sample().encode();
        assert_eq!(TokenParts::decode(&text[..35]), None);
        assert_eq!(TokenParts::decode(&format!("{text}A")), None);
        assert_eq!(TokenParts::decode(""), None);
        let mut bad = text.clone().into_bytes();
        bad[10] = b'+';
        assert_eq!(
            TokenParts::decode(std::str::from_utf8(&bad).unwrap_or("")),
            None
        );
        // A wrong tag byte: first character changed.
        let mut tag = text.into_bytes();
        tag[0] = b'A';
        assert_eq!(
            TokenParts::decode(std::str::from_utf8(&tag).unwrap_or("")),
            None
        );
        assert_eq!(TokenParts::decode("é".repeat(18).as_str()), None);
    }
}
