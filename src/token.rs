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
//! task from a closed one whose slot was reused; the nonce, 128 bits drawn
//! from the shard's CSPRNG when the task started and kept in its slot, makes
//! the token unforgeable. Integers are little-endian.
//!
//! Decoding checks only the shape. Whether the token names a live task is the
//! shard's question ([`crate::shard`]).

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

const RAW_LEN: usize = 27;
/// Length of every token this engine issues.
pub(crate) const TEXT_LEN: usize = 36;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl TokenParts {
    /// The token text.
    pub(crate) fn encode(&self) -> String {
        let mut raw = [0u8; RAW_LEN];
        raw[0] = self.face.tag();
        raw[1..3].copy_from_slice(&self.shard.to_le_bytes());
        raw[3..7].copy_from_slice(&self.slot.to_le_bytes());
        raw[7..11].copy_from_slice(&self.generation.to_le_bytes());
        raw[11..27].copy_from_slice(&self.nonce);
        base64url(&raw)
    }

    /// The fields of `text`, or `None` when it is not a token of this
    /// engine's layout (wrong length, alphabet or tag).
    pub(crate) fn decode(text: &str) -> Option<TokenParts> {
        let bytes = text.as_bytes();
        if bytes.len() != TEXT_LEN {
            return None;
        }
        let mut raw = [0u8; RAW_LEN];
        for (quad, out) in bytes.chunks_exact(4).zip(raw.chunks_exact_mut(3)) {
            let mut n = 0u32;
            for &c in quad {
                n = n << 6 | u32::from(sextet(c)?);
            }
            out.copy_from_slice(&n.to_be_bytes()[1..4]);
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
        let &[a, b, c] = chunk else {
            continue;
        };
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        for (shift, o) in [18u32, 12, 6, 0].into_iter().zip(quad.iter_mut()) {
            *o = ALPHABET
                .get((n >> shift) as usize & 63)
                .copied()
                .unwrap_or(b'A');
        }
    }
    // Every byte is from the ASCII alphabet, so this cannot fail.
    String::from_utf8(out).unwrap_or_default()
}

pub(crate) fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
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
