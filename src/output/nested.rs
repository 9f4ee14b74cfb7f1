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
