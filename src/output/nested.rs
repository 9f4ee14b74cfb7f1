//! Pretty-printed JSON written as if nested inside a larger document: the bytes that
//! `serde_json::to_string_pretty` gives for a value, with every line after the first
//! indented a given number of spaces. Streamed formats (json, sarif) write each finding
//! this way straight into its piece; printing it alone and then re-indenting the text
//! line by line was 5% of a large run.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Appends `value` to `out`, pretty-printed two spaces a level, `indent` spaces deep.
/// Returns false (and leaves `out` as it was) if the value cannot be serialised.
pub fn write_nested(out: &mut Vec<u8>, value: &impl Serialize, indent: usize) -> bool {
    let start = out.len();
    let formatter = Nested {
        base: indent,
        depth: 0,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, formatter);
    if value.serialize(&mut ser).is_err() {
        out.truncate(start);
        return false;
    }
    true
}

/// Where one item of a streamed array goes: its buffer and its depth.
pub struct Slot<'a> {
    out: &'a mut Vec<u8>,
    indent: usize,
}

impl<'a> Slot<'a> {
    pub fn new(out: &'a mut Vec<u8>, indent: usize) -> Self {
        Slot { out, indent }
    }

    /// Writes `value` here (see [`write_nested`]).
    pub fn put(self, value: &impl Serialize) -> bool {
        write_nested(self.out, value, self.indent)
    }

    /// The buffer and the depth, for an item written by hand in the same layout.
    pub fn raw(self) -> (&'a mut Vec<u8>, usize) {
        (self.out, self.indent)
    }
}

/// An object written by hand in serde_json's pretty layout, `indent` spaces deep: keys
/// one a line two spaces further in, `": "` after each. For the items of a large
/// streamed array (findings), where serde's calls per token cost more than the writing.
pub struct Object<'a> {
    out: &'a mut Vec<u8>,
    indent: usize,
    first: bool,
}

impl<'a> Object<'a> {
    pub fn open(out: &'a mut Vec<u8>, indent: usize) -> Self {
        out.push(b'{');
        Object {
            out,
            indent,
            first: true,
        }
    }

    /// Starts the next member, `key` given as written (`"name": `, no escapes); its
    /// value goes to the returned buffer next.
    pub fn key(&mut self, key: &[u8]) -> &mut Vec<u8> {
        self.out
            .extend_from_slice(if self.first { b"\n" } else { b",\n" });
        self.first = false;
        pad(self.out, self.indent + 2);
        self.out.extend_from_slice(key);
        self.out
    }

    pub fn close(self) {
        if !self.first {
            self.out.push(b'\n');
            pad(self.out, self.indent);
        }
        self.out.push(b'}');
    }
}

/// `n` spaces.
pub fn pad(out: &mut Vec<u8>, n: usize) {
    const SPACES: &[u8; 32] = &[b' '; 32];
    match SPACES.get(..n) {
        Some(spaces) => out.extend_from_slice(spaces),
        None => out.resize(out.len() + n, b' '),
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, the short forms `\b \t \n \f
/// \r`, `\u00xx` (lowercase) for the other control characters, everything else as is.
/// Checked sixteen bytes at a time: serde_json tests every byte against its table, 4% of
/// a JSON run on 10,000 stacks (48 MB of output).
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    // Up to here the bytes are taken one at a time (a window that needs an escape).
    let mut bytewise_until = 0;
    while i < bytes.len() {
        if i >= bytewise_until {
            if let Some(words) = bytes
                .get(i..i + 16)
                .and_then(|w| <[u8; 16]>::try_from(w).ok())
            {
                let (a, b) = words.split_at(8);
                let word = |w: &[u8]| <[u8; 8]>::try_from(w).map_or(0, u64::from_le_bytes);
                if !needs_escape(word(a)) && !needs_escape(word(b)) {
                    i += 16;
                    continue;
                }
                bytewise_until = i + 16;
            }
        }
        let b = bytes[i];
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            b'\t' => Some(b't'),
            b'\n' => Some(b'n'),
            0x0c => Some(b'f'),
            b'\r' => Some(b'r'),
            0..=0x1f => None,
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        match short {
            Some(c) => out.extend_from_slice(&[b'\\', c]),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let (hi, lo) = (HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]);
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
            }
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether any of eight bytes is below 0x20, `"` or `\\`. Each test leaves the high bit
/// of exactly the matching bytes (no carry crosses a byte).
fn needs_escape(x: u64) -> bool {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    let control = !(((x & LOW7) + 0x6060_6060_6060_6060) | x) & HIGH;
    let quote = zero(x ^ 0x2222_2222_2222_2222);
    let backslash = zero(x ^ 0x5c5c_5c5c_5c5c_5c5c);
    (control | quote | backslash) != 0
}

/// A number as serde_json writes it.
pub fn number(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    let mut n = n;
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

/// serde_json's pretty layout (`[`/`{`, one value a line, `": "` after keys), with the
/// lines indented from `base` spaces rather than from the left margin.
struct Nested {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut n = self.base + 2 * self.depth;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every ASCII character and some others, alone and at every offset around the
    /// eight-byte words, escape as serde_json escapes them.
    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut samples: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        samples.extend(["é", "→", "𝄞", "\u{7f}", "\u{2028}"].map(String::from));
        for sample in &samples {
            for before in 0..10 {
                for after in [0, 1, 7, 8, 9] {
                    let s = format!("{}{sample}{}", "a".repeat(before), "é".repeat(after));
                    let mut got = Vec::new();
                    string(&mut got, &s);
                    let want = serde_json::to_string(&s).expect("serialises");
                    assert_eq!(String::from_utf8(got).expect("UTF-8"), want, "{s:?}");
                }
            }
        }
        // Escapes close together, inside and across the sixteen-byte windows.
        for every in 1..20 {
            let s: String = (0..70)
                .map(|i| match i % every {
                    0 => '"',
                    1 => '\n',
                    2 => '\u{1}',
                    _ => 'x',
                })
                .collect();
            let mut got = Vec::new();
            string(&mut got, &s);
            let want = serde_json::to_string(&s).expect("serialises");
            assert_eq!(String::from_utf8(got).expect("UTF-8"), want, "{s:?}");
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for n in [0, 7, 10, 99, 100, 4_294_967_295] {
            let mut got = Vec::new();
            number(&mut got, n);
            assert_eq!(String::from_utf8(got).expect("ASCII"), n.to_string());
        }
    }

    /// What the module replaces: pretty-print alone, then indent every later line.
    fn reindented(value: &serde_json::Value, indent: usize) -> String {
        let text = serde_json::to_string_pretty(value).expect("serialises");
        text.replace('\n', &format!("\n{}", " ".repeat(indent)))
    }

    #[test]
    fn nested_output_is_the_pretty_text_indented() {
        let values = [
            json!({"rule": "deep-chain", "line": 3, "related": [], "tags": {}, "help": null}),
            json!({"a": [1, {"b": [true, "x\ny"]}], "c": {"d": {"e": []}}, "f": 1.5}),
            json!([]),
            json!([[], [[]], {}]),
            json!("plain"),
            json!({"long": "é \u{1} \"quoted\" \\"}),
        ];
        for v in &values {
            for indent in [0, 2, 4, 8, 70] {
                let mut out = Vec::new();
                assert!(write_nested(&mut out, v, indent));
                assert_eq!(
                    String::from_utf8(out).expect("UTF-8"),
                    reindented(v, indent)
                );
            }
        }
    }

    #[test]
    fn a_value_that_cannot_be_serialised_leaves_the_buffer_as_it_was() {
        // JSON object keys must be strings: a map keyed by tuples is refused.
        let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let mut out = b"kept".to_vec();
        assert!(!write_nested(&mut out, &bad, 4));
        assert_eq!(out, b"kept");
    }
}
