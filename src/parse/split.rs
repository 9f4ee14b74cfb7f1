//! A small lexer that splits an HCL file into top-level items (blocks and attributes)
//! while respecting strings, template interpolations, heredocs and comments. When
//! hcl-edit rejects a file, each item is parsed on its own, so one construct the parser
//! does not accept loses only its own block, not the whole file.

/// A top-level chunk `start..end` of the text, plus where the lexer saw it go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    /// Offset and description of an unbalanced construct found inside the chunk.
    pub problem: Option<(usize, &'static str)>,
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    /// A bracket opened at the offset: `{`, `[` or `(`.
    Bracket(u8, usize),
    /// A quoted string opened at the offset.
    Str(usize),
    /// `${` or `%{` inside a string, opened at the offset.
    Interp(usize),
}

pub fn split_top_level(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut chunks = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut chunk_start = 0usize;
    let mut problem: Option<(usize, &'static str)> = None;
    let mut i = 0usize;
    let mut line_start = true;

    let close_chunk = |start: &mut usize,
                       end: usize,
                       problem: &mut Option<(usize, &'static str)>,
                       chunks: &mut Vec<Chunk>| {
        if text[*start..end].trim().is_empty() {
            *start = end;
            *problem = None;
            return;
        }
        chunks.push(Chunk {
            start: *start,
            end,
            problem: problem.take(),
        });
        *start = end;
    };

    while i < b.len() {
        let c = b[i];
        let in_string = matches!(stack.last(), Some(Frame::Str(_)));
        if in_string {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 3,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Frame::Interp(i));
                    i += 2;
                }
                b'\n' => {
                    // Quoted strings cannot span lines: close it here and note where it began.
                    if let Some(Frame::Str(at)) = stack.pop() {
                        problem.get_or_insert((at, "unterminated string"));
                    }
                    // Also unwind interpolations the string sat in.
                    while let Some(Frame::Interp(_)) = stack.last() {
                        stack.pop();
                        if let Some(Frame::Str(_)) = stack.last() {
                            stack.pop();
                        }
                    }
                }
                _ => i += 1,
            }
            continue;
        }

        // Recovery heuristic: a line at column 0 that opens a new block while a bracket is
        // still open means the previous block lost its closing brace.
        if line_start && !stack.is_empty() && looks_like_block_start(&text[i..]) {
            if let Some(at) = outermost_bracket(&stack) {
                problem.get_or_insert((at, "unclosed bracket"));
            }
            stack.clear();
            close_chunk(&mut chunk_start, i, &mut problem, &mut chunks);
        }
        line_start = false;

        match c {
            b'"' => {
                stack.push(Frame::Str(i));
                i += 1;
            }
            b'#' => i = skip_line(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = skip_line(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = match text[i + 2..].find("*/") {
                    Some(p) => i + 2 + p + 2,
                    None => {
                        problem.get_or_insert((i, "unterminated comment"));
                        b.len()
                    }
                };
            }
            b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_end(text, i) {
                Some(end) => i = end,
                None => i += 2,
            },
            b'{' | b'[' | b'(' => {
                stack.push(Frame::Bracket(c, i));
                i += 1;
            }
            b'}' => {
                match stack.last() {
                    Some(Frame::Interp(_)) => {
                        stack.pop();
                    }
                    Some(Frame::Bracket(b'{', _)) => {
                        stack.pop();
                    }
                    Some(Frame::Bracket(_, at)) => {
                        problem.get_or_insert((*at, "unclosed bracket"));
                        stack.pop();
                    }
                    _ => {
                        problem.get_or_insert((i, "unexpected closing brace"));
                    }
                }
                i += 1;
            }
            b']' | b')' => {
                let want = if c == b']' { b'[' } else { b'(' };
                match stack.last() {
                    Some(Frame::Bracket(o, _)) if *o == want => {
                        stack.pop();
                    }
                    _ => {
                        problem.get_or_insert((i, "unexpected closing bracket"));
                    }
                }
                i += 1;
            }
            b'\n' => {
                i += 1;
                line_start = true;
                if stack.is_empty() {
                    close_chunk(&mut chunk_start, i, &mut problem, &mut chunks);
                }
            }
            _ => i += 1,
        }
    }
    if let Some(frame) = stack.iter().find(|f| matches!(f, Frame::Str(_))).copied() {
        if let Frame::Str(at) = frame {
            problem.get_or_insert((at, "unterminated string"));
        }
    } else if let Some(at) = outermost_bracket(&stack) {
        problem.get_or_insert((at, "unclosed bracket"));
    }
    close_chunk(&mut chunk_start, b.len(), &mut problem, &mut chunks);
    chunks
}

fn outermost_bracket(stack: &[Frame]) -> Option<usize> {
    stack.iter().find_map(|f| match f {
        Frame::Bracket(_, at) | Frame::Interp(at) => Some(*at),
        Frame::Str(_) => None,
    })
}

fn skip_line(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    i
}

/// `ident "label" ... {` at the very start of a line.
fn looks_like_block_start(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    let first = line.chars().next();
    if !first.is_some_and(|c| c.is_ascii_alphabetic() || c == '_') {
        return false;
    }
    let code = line.split('#').next().unwrap_or("").trim_end();
    code.ends_with('{') && !code.contains('=')
}

/// End offset of a heredoc starting at `<<` at `at` (just past its closing marker line).
fn heredoc_end(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let ident_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if ident_len == 0 {
        return None;
    }
    let marker = &rest[..ident_len];
    let after = &rest[ident_len..];
    let nl = after.find('\n')?;
    if !after[..nl].trim().is_empty() {
        return None;
    }
    let body_start = text.len() - after.len() + nl + 1;
    let mut pos = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let end = pos + line.len();
        if line.trim() == marker {
            // Stop before the newline so the caller sees it and can close the chunk.
            return Some(if line.ends_with('\n') { end - 1 } else { end });
        }
        pos = end;
    }
    Some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        split_top_level(src)
            .iter()
            .map(|c| src[c.start..c.end].trim())
            .collect()
    }

    #[test]
    fn splits_blocks_and_attributes() {
        let src = "a = 1\n\nresource \"x\" \"y\" {\n  b = \"}\"\n  c = <<EOF\n}\nEOF\n}\n# c\nd = [\n 1,\n]\n";
        let t = texts(src);
        assert_eq!(t.len(), 4, "{t:?}");
        assert_eq!(t[0], "a = 1");
        assert!(t[1].starts_with("resource"));
        assert!(t[1].ends_with('}'));
        assert_eq!(t[2], "# c");
    }

    #[test]
    fn strings_with_nested_interpolations() {
        let src = "a = \"${join(\"}\", [\"x\"])}\"\nb = 2\n";
        assert_eq!(texts(src), vec!["a = \"${join(\"}\", [\"x\"])}\"", "b = 2"]);
    }

    #[test]
    fn unterminated_string_is_located_and_contained() {
        let src = "a = \"oops\nb = 2\n";
        let chunks = split_top_level(src);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].problem, Some((4, "unterminated string")));
        assert_eq!(chunks[1].problem, None);
    }

    #[test]
    fn missing_closing_brace_stops_at_next_top_level_block() {
        let src = "resource \"a\" \"b\" {\n  x = 1\n\nresource \"c\" \"d\" {\n  y = 2\n}\n";
        let chunks = split_top_level(src);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].problem, Some((17, "unclosed bracket")));
        assert!(src[chunks[1].start..].starts_with("resource \"c\""));
    }
}
