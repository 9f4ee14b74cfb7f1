//! Work-arounds for valid Terraform that hcl-edit rejects (see PARSING.md), applied to
//! one failing top-level block at a time. Every repair keeps the text's byte length, so
//! spans still point into the original file.
//!
//! - an object constructor with a duplicate key (Terraform lets the last one win): the
//!   repeated key is renamed in place;
//! - a `for` expression whose body continues over several lines: the newlines (and
//!   comments) inside its brackets become spaces.

use super::hcl;
use crate::syntax::Body;

/// How many repairs one block may need before we give up.
const MAX_REPAIRS: usize = 64;

/// Parses `piece`, repairing known hcl-edit gaps; the error is the original one when no
/// repair helps.
pub fn parse_repaired(piece: &str, base: u32) -> Result<Body, (u32, String)> {
    let first = match hcl::parse_body(piece, base) {
        Ok(b) => return Ok(b),
        Err(e) => e,
    };
    let mut text = piece.to_string();
    let mut err = first.clone();
    for _ in 0..MAX_REPAIRS {
        let at = (err.0.saturating_sub(base)) as usize;
        let Some(fixed) = repair_once(&text, at, &err.1) else {
            return Err(first);
        };
        text = fixed;
        match hcl::parse_body(&text, base) {
            Ok(b) => return Ok(b),
            Err(e) => err = e,
        }
    }
    Err(first)
}

fn repair_once(text: &str, at: usize, msg: &str) -> Option<String> {
    // The parser's offset may fall inside a multi-byte character: step back to a
    // boundary so slicing never panics.
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if msg.contains("redefined object key") {
        return rename_key(text, at);
    }
    flatten_for(text, at)
}

/// Renames the object key starting at `at` by changing one ASCII character.
fn rename_key(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let (start, end) = if bytes.get(at) == Some(&b'"') {
        let close = text.get(at + 1..)?.find('"')? + at + 1;
        (at + 1, close)
    } else {
        let len = text
            .get(at..)?
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(text.len() - at);
        (at, at + len)
    };
    // Change the last ASCII letter or digit of the key; `~` and `0`..`9` keep it a valid
    // quoted key, `_` keeps it a valid identifier.
    let pos = (start..end)
        .rev()
        .find(|i| bytes[*i].is_ascii_alphanumeric())?;
    let mut out = bytes.to_vec();
    let quoted = bytes.get(at) == Some(&b'"');
    let current = out[pos];
    out[pos] = if quoted {
        match current {
            b'~' => b'^',
            _ => b'~',
        }
    } else if current == b'_' {
        b'x'
    } else {
        b'_'
    };
    String::from_utf8(out).ok()
}

/// Replaces newlines and comments with spaces inside the innermost `{ for` / `[ for`
/// bracket that encloses `at`.
fn flatten_for(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let mut search_end = at.min(text.len());
    loop {
        let open = text[..search_end].rfind(['{', '['])?;
        let after = text[open + 1..].trim_start();
        if after.starts_with("for ") {
            let close = matching_close(bytes, open).unwrap_or(text.len());
            if close < at {
                search_end = open;
                continue;
            }
            let mut out = bytes.to_vec();
            blank_comments_and_newlines(&mut out, open, close);
            let s = String::from_utf8(out).ok()?;
            return (s != text).then_some(s);
        }
        if open == 0 {
            return None;
        }
        search_end = open;
    }
}

fn matching_close(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' | b'[' | b'(' => depth += 1,
                b'}' | b']' | b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

fn blank_comments_and_newlines(b: &mut [u8], from: usize, to: usize) {
    let mut in_str = false;
    let mut i = from;
    while i < to.min(b.len()) {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b'#' || (c == b'/' && b.get(i + 1) == Some(&b'/')) {
            while i < b.len() && b[i] != b'\n' {
                b[i] = b' ';
                i += 1;
            }
            continue;
        } else if c == b'\n' || c == b'\r' {
            b[i] = b' ';
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_parse_and_keep_offsets() {
        let src = "x = {\n  a = 1\n  a = 2\n  \"b\" : 1,\n  \"b\" : 2\n}\n";
        let body = parse_repaired(src, 10).expect("repaired");
        assert_eq!(body.attrs[0].span.start, 10);
        assert_eq!(body.attrs[0].expr.object_entries().len(), 4);
    }

    #[test]
    fn multi_line_for_expression_parses() {
        let src = "x = { for k, v in y : k => # note\n  v\n  ? 1\n  : 2 }\ny = 1\n";
        let body = parse_repaired(src, 0).expect("repaired");
        assert_eq!(body.attrs.len(), 2);
    }

    #[test]
    fn real_syntax_errors_stay_errors() {
        assert!(parse_repaired("x = = 1\n", 0).is_err());
    }
}

#[cfg(test)]
mod regressions {
    use super::*;

    /// Found by `cargo fuzz run parse_bytes`: the parser's error offset fell inside a
    /// multi-byte character and the repair sliced through it.
    #[test]
    fn error_offset_inside_a_multibyte_character() {
        let src = "h\"$${\u{1b}\"\u{145}";
        assert!(parse_repaired(src, 0).is_err());
        // Must not panic, whatever the parser says.
        let _ = parse_repaired("x = { \"é\" = 1, \"é\" = 2 }\n", 0);
    }
}
