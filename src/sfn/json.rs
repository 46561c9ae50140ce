//! A strict JSON validator (RFC 8259), for the payloads Step Functions
//! requires to be JSON: `SendTaskSuccess.output` (`InvalidOutput`) and the
//! execution input (`InvalidExecutionInput`).
//!
//! The crate has no JSON dependency, and needs none: the engine never reads
//! a payload, it only refuses one that is not JSON, as AWS does. So this is a
//! recognizer, not a parser: it answers yes or no and builds nothing.
//!
//! # Implementation details
//!
//! One pass over the bytes, with no recursion: open arrays and objects are
//! kept on an explicit stack, so no input, however deeply nested, can
//! overflow the thread's stack. Nesting depth is not limited: AWS-API.md
//! (A3 SendTaskSuccess, "`InvalidOutput`: the output is not JSON"; A4) states
//! no depth limit, so valid JSON of any depth is accepted. The stack needs
//! no bound of its own: every entry is one byte and is pushed for a `[` or
//! `{` consumed from the input, so it never holds more entries than the
//! input has bytes (at most 262,144, the payload limit the callers check
//! first: 256 KiB of stack, on the heap). Every index is checked (`get`), so
//! no input can panic. The input is a `&str`, so it is valid UTF-8 already;
//! the grammar only has to refuse unescaped control characters inside
//! strings.
//!
//! What RFC 8259 allows and this accepts: any value at the top level
//! (`"text"`, `3`, `null`, not only objects), surrounding whitespace
//! (space, tab, line feed, carriage return), duplicate object keys, and
//! `\u` escapes of lone surrogates (grammatical, if unwise: section 8.2).
//! What it refuses: trailing commas, comments, single quotes, leading
//! zeros, `+1`, `.5`, `1.`, `NaN`, `Infinity`, bare control characters in
//! strings, and anything after the value.

/// An open container, on the validator's stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Array,
    Object,
}

/// `true` when `text` is exactly one JSON value, optionally surrounded by
/// whitespace.
pub(crate) fn is_valid(text: &str) -> bool {
    let mut p = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut stack: Vec<Open> = Vec::new();
    p.skip_ws();
    'value: loop {
        // Expecting a value.
        match p.peek() {
            Some(b'{') => {
                p.at += 1;
                p.skip_ws();
                if p.eat(b'}') {
                    // An empty object is a complete value.
                } else {
                    stack.push(Open::Object);
                    if !p.member_key() {
                        return false;
                    }
                    continue 'value;
                }
            }
            Some(b'[') => {
                p.at += 1;
                p.skip_ws();
                if p.eat(b']') {
                    // An empty array is a complete value.
                } else {
                    stack.push(Open::Array);
                    continue 'value;
                }
            }
            Some(b'"') => {
                if !p.string() {
                    return false;
                }
            }
            Some(b't') => {
                if !p.literal(b"true") {
                    return false;
                }
            }
            Some(b'f') => {
                if !p.literal(b"false") {
                    return false;
                }
            }
            Some(b'n') => {
                if !p.literal(b"null") {
                    return false;
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                if !p.number() {
                    return false;
                }
            }
            _ => return false,
        }
        // A value is complete: close containers until one wants more.
        loop {
            p.skip_ws();
            match stack.last() {
                None => return p.at == p.bytes.len(),
                Some(Open::Array) => {
                    if p.eat(b',') {
                        p.skip_ws();
                        continue 'value;
                    }
                    if !p.eat(b']') {
                        return false;
                    }
                    stack.pop();
                }
                Some(Open::Object) => {
                    if p.eat(b',') {
                        p.skip_ws();
                        if !p.member_key() {
                            return false;
                        }
                        continue 'value;
                    }
                    if !p.eat(b'}') {
                        return false;
                    }
                    stack.pop();
                }
            }
        }
    }
}

/// A read position in the input.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Consumes `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// `"key" ws : ws`, leaving the cursor on the member's value.
    fn member_key(&mut self) -> bool {
        if self.peek() != Some(b'"') || !self.string() {
            return false;
        }
        self.skip_ws();
        if !self.eat(b':') {
            return false;
        }
        self.skip_ws();
        true
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let end = self.at.saturating_add(word.len());
        if self.bytes.get(self.at..end) == Some(word) {
            self.at = end;
            true
        } else {
            false
        }
    }

    /// A string, the cursor on its opening quote.
    fn string(&mut self) -> bool {
        self.at += 1;
        loop {
            self.skip_plain();
            match self.peek() {
                None => return false,
                Some(b'"') => {
                    self.at += 1;
                    return true;
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.at += 1;
                        }
                        Some(b'u') => {
                            self.at += 1;
                            for _ in 0..4 {
                                if !self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                                    return false;
                                }
                                self.at += 1;
                            }
                        }
                        _ => return false,
                    }
                }
                // Control characters must be escaped (RFC 8259 section 7).
                Some(0x00..=0x1f) => return false,
                // Any other byte of valid UTF-8, multi-byte sequences
                // included: the input is a `str`.
                Some(_) => self.at += 1,
            }
        }
    }

    /// Skips string bytes that need no look, eight at a time, up to the
    /// eight holding a quote, a backslash or a control character. Payloads
    /// are mostly string bytes (every execution input is checked, up to
    /// 256 KiB): one byte at a time cost ten instructions each.
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // A byte of `x` below `n` (n <= 0x80) sets the high bit of some byte
        // of the result; none does otherwise (Hacker's Delight 6-1).
        let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
        while let Some(word) = self
            .bytes
            .get(self.at..self.at.saturating_add(8))
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            let w = u64::from_le_bytes(word);
            let special = below(w ^ (ONES * u64::from(b'"')), 1)
                | below(w ^ (ONES * u64::from(b'\\')), 1)
                | below(w, 0x20);
            if special != 0 {
                return;
            }
            self.at += 8;
        }
    }

    /// One or more ASCII digits.
    fn digits(&mut self) -> bool {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at > start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> bool {
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return false,
        }
        if self.eat(b'.') && !self.digits() {
            return false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !self.digits() {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_kind_of_value() {
        for ok in [
            "{}",
            "[]",
            "null",
            "true",
            "false",
            "0",
            "-0",
            "7",
            "-12.5e+3",
            "1E9",
            "0.000",
            "\"\"",
            "\"text\"",
            " \t\r\n{\"a\" : [1, 2.5, \"x\", null, true, {\"b\": {}}]}\n ",
            "{\"a\":1,\"a\":2}",
            "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD800\"",
            "\"é ü 中 😀\"",
            "[[[]]]",
            "[{}, [], \"\"]",
        ] {
            assert!(is_valid(ok), "{ok:?}");
        }
    }

    #[test]
    fn a_special_byte_is_seen_at_every_offset_of_a_word() {
        for before in 0..20 {
            for after in 0..20 {
                let a = "a".repeat(before);
                let b = "z".repeat(after);
                for (mid, ok) in [
                    ("\n", false),
                    ("\u{0}", false),
                    ("\u{1f}", false),
                    ("\"", false),
                    ("\\x", false),
                    ("\\", false),
                    ("\\n", true),
                    ("\\\"", true),
                    ("\\u00e9", true),
                    (" ", true),
                    ("\u{7f}", true),
                    ("é中😀", true),
                    ("!#[]", true),
                ] {
                    let s = format!("\"{a}{mid}{b}\"");
                    assert_eq!(is_valid(&s), ok, "{s:?}");
                }
                assert!(!is_valid(&format!("\"{a}{b}")), "unterminated");
            }
        }
    }

    #[test]
    fn refuses_what_rfc_8259_refuses() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "[",
            "]",
            "[1,]",
            "{\"a\":1,}",
            "{,}",
            "[,1]",
            "{\"a\"}",
            "{\"a\" 1}",
            "{a:1}",
            "{'a':1}",
            "'x'",
            "\"unterminated",
            "\"bad \\x escape\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"tab\there\"",
            "\"nl\nhere\"",
            "01",
            "-",
            "+1",
            ".5",
            "1.",
            "1e",
            "1e+",
            "--1",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "truex",
            "{} {}",
            "1 2",
            "[1] x",
            "// c\n{}",
            "{\"a\":1}}",
            "[1]]",
            "\u{feff}{}",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }

    /// AWS-API.md A3/A4: `InvalidOutput` is for output that "is not JSON";
    /// no depth limit is stated, so deep valid nesting is JSON like any other.
    #[test]
    fn deep_nesting_is_accepted_and_never_overflows_the_stack() {
        // Past the 512 levels this validator once refused.
        for depth in [512, 513, 600] {
            let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert!(is_valid(&arrays), "{depth} arrays");
            let objects = format!("{}1{}", "{\"k\":".repeat(depth), "}".repeat(depth));
            assert!(is_valid(&objects), "{depth} objects");
        }
        // As deep as a 262,144-byte payload can nest: 131,072 levels.
        let max = crate::sfn::MAX_PAYLOAD / 2;
        let arrays = format!("{}{}", "[".repeat(max), "]".repeat(max));
        assert_eq!(arrays.len(), crate::sfn::MAX_PAYLOAD);
        assert!(is_valid(&arrays));
        let mixed: String = (0..65_000)
            .map(|i| if i % 2 == 0 { "[" } else { "{\"k\":" })
            .chain(["null"])
            .chain(
                (0..65_000)
                    .rev()
                    .map(|i| if i % 2 == 0 { "]" } else { "}" }),
            )
            .collect();
        assert!(is_valid(&mixed));
        let wrapped = format!(" [ {arrays} , {{\"a\" : {arrays}}} ] ");
        assert!(is_valid(&wrapped));
    }

    #[test]
    fn unbalanced_deep_nesting_is_refused() {
        let n = 131_000;
        // One bracket short, one too many, and a mismatched closer deep down.
        assert!(!is_valid(&format!(
            "{}{}",
            "[".repeat(n),
            "]".repeat(n - 1)
        )));
        assert!(!is_valid(&format!(
            "{}{}",
            "[".repeat(n),
            "]".repeat(n + 1)
        )));
        assert!(!is_valid(&format!(
            "{}}}{}",
            "[".repeat(n),
            "]".repeat(n - 1)
        )));
        assert!(!is_valid(&format!(
            "{}1{}]",
            "{\"k\":".repeat(600),
            "}".repeat(599)
        )));
        // Only openers, up to and past the payload limit: refused without
        // recursion or panic.
        assert!(!is_valid(&"[".repeat(crate::sfn::MAX_PAYLOAD)));
        assert!(!is_valid(&"{".repeat(crate::sfn::MAX_PAYLOAD)));
        assert!(!is_valid(&"[".repeat(1_000_000)));
        assert!(!is_valid(&"{\"a\":".repeat(100_000)));
        assert!(!is_valid(&"[{\"a\":".repeat(40_000)));
        // Deep but with a trailing comma at the bottom.
        assert!(!is_valid(&format!("{}1,{}", "[".repeat(n), "]".repeat(n))));
    }

    #[test]
    fn never_panics_on_truncations() {
        let doc =
            "{\"a\": [1, -2.5e-3, \"s\\u0041\\n\", true, false, null, {}], \"b\": {\"c\": []}}";
        assert!(is_valid(doc));
        for end in 0..doc.len() {
            if let Some(prefix) = doc.get(..end) {
                assert!(!is_valid(prefix), "{prefix:?}");
            }
        }
    }
}
