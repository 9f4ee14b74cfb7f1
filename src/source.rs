//! Positions in source files: byte spans, line/column lookup and file ids.
//!
//! Syntax facts keep only byte offsets (8 bytes a span); a per-file line index turns them
//! into 1-based line and column numbers when a diagnostic is rendered.

use serde::Serialize;

/// A half-open byte range `start..end` into one file's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    pub fn shifted(self, by: u32) -> Span {
        Span {
            start: self.start.saturating_add(by),
            end: self.end.saturating_add(by),
        }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

fn clamp_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Index of a file in `Workspace::files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A span in a particular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// Start offsets of every line, for offset -> (line, column) lookups. Kept for every
/// file for the whole run (findings are placed at the end), so stored narrow: one byte
/// a line (its length) and the start of every 32nd line, ~1.1 bytes a line where a list
/// of starts took 4 (3 MiB less on 10,000 stacks). A file with a line longer than 255
/// bytes keeps the plain list.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Starts,
    len: u32,
    /// Every byte is ASCII: byte columns are character columns, so rendering a finding
    /// needs no second read of the file.
    ascii: bool,
}

/// Lines between two kept starts of a narrow index.
const MARK_EVERY: usize = 32;

#[derive(Debug, Clone)]
enum Starts {
    /// The start of every line.
    Wide(Box<[u32]>),
    /// `marks[k]`: start of line `k * MARK_EVERY` (0-based); `lens[i]`: length of line
    /// `i` with its newline, for every line that ends in one.
    Narrow { marks: Box<[u32]>, lens: Box<[u8]> },
}

impl Default for Starts {
    fn default() -> Self {
        Starts::Wide(Box::new([0]))
    }
}

impl Starts {
    fn new(text: &str) -> Starts {
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Vec<u32>, Vec<u8>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        // One search pass (memchr's vector search: a byte-at-a-time loop was 1.7% of a
        // large run) into per-thread scratch lists, then copies at the exact size: a
        // shrunk vector keeps its room (see `syntax::exact`).
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let (marks, lens) = &mut *scratch;
            marks.clear();
            lens.clear();
            marks.push(0);
            let bytes = text.as_bytes();
            let mut start = 0usize;
            for nl in memchr::memchr_iter(b'\n', bytes) {
                let Ok(len) = u8::try_from(nl + 1 - start) else {
                    return Starts::wide(bytes);
                };
                lens.push(len);
                start = nl + 1;
                if lens.len() % MARK_EVERY == 0 {
                    marks.push(clamp_u32(start));
                }
            }
            let out = Starts::Narrow {
                marks: Box::from(marks.as_slice()),
                lens: Box::from(lens.as_slice()),
            };
            // A huge file's lists are not kept for the rest of the run.
            if lens.capacity() > 1 << 22 {
                *scratch = Default::default();
            }
            out
        })
    }

    fn wide(bytes: &[u8]) -> Starts {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', bytes).map(|i| clamp_u32(i + 1)))
            .collect();
        Starts::Wide(starts)
    }

    fn count(&self) -> usize {
        match self {
            Starts::Wide(s) => s.len(),
            Starts::Narrow { lens, .. } => lens.len() + 1,
        }
    }

    /// Start of 0-based line `i` (`None` past the last line).
    fn get(&self, i: usize) -> Option<u32> {
        match self {
            Starts::Wide(s) => s.get(i).copied(),
            Starts::Narrow { marks, lens } => {
                if i > lens.len() {
                    return None;
                }
                let k = i / MARK_EVERY;
                let from = *marks.get(k)?;
                let skipped = lens[k * MARK_EVERY..i]
                    .iter()
                    .fold(0u32, |sum, &l| sum.saturating_add(u32::from(l)));
                Some(from.saturating_add(skipped))
            }
        }
    }

    /// 0-based line holding `offset`.
    fn line_of(&self, offset: u32) -> usize {
        let last_at_most = |v: &[u32]| match v.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        match self {
            Starts::Wide(s) => last_at_most(s),
            Starts::Narrow { marks, lens } => {
                let k = last_at_most(marks);
                let mut line = k * MARK_EVERY;
                let mut end = marks.get(k).copied().unwrap_or(0);
                for &l in &lens[line.min(lens.len())..] {
                    end = end.saturating_add(u32::from(l));
                    if end > offset {
                        break;
                    }
                    line += 1;
                }
                line
            }
        }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: Starts::new(text),
            len: clamp_u32(text.len()),
            ascii: text.is_ascii(),
        }
    }

    /// The file is pure ASCII (columns need no text to count characters).
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// 1-based line and column of a byte offset. The column counts characters when the
    /// text is given, bytes otherwise.
    pub fn line_col(&self, offset: u32, text: Option<&str>) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.starts.line_of(offset);
        let start = self.starts.get(line).unwrap_or(0);
        let column = match text.and_then(|t| t.get(start as usize..offset as usize)) {
            Some(prefix) => prefix.chars().count() as u32,
            None => offset - start,
        };
        LineCol {
            line: line as u32 + 1,
            column: column + 1,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.count()
    }

    /// Length in bytes of the text the index was built from.
    pub fn text_len(&self) -> u32 {
        self.len
    }

    /// Byte range of a 1-based line, without its newline.
    pub fn line_span(&self, line: u32) -> Option<Span> {
        let i = (line as usize).checked_sub(1)?;
        let start = self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map(|s| s.saturating_sub(1))
            .unwrap_or(self.len);
        Some(Span { start, end })
    }

    /// Offset of a 1-based line and column given in bytes.
    pub fn offset(&self, line: usize, column: usize) -> u32 {
        let start = self.starts.get(line.saturating_sub(1)).unwrap_or(self.len);
        start
            .saturating_add(clamp_u32(column.saturating_sub(1)))
            .min(self.len)
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_lines() {
        let text = "a = 1\nbé = \"x\"\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(0, Some(text)), LineCol { line: 1, column: 1 });
        let x = text.find('"').unwrap() as u32;
        assert_eq!(idx.line_col(x, Some(text)), LineCol { line: 2, column: 6 });
        assert_eq!(idx.line_col(x, None), LineCol { line: 2, column: 7 });
        assert_eq!(idx.line_span(2), Some(Span { start: 6, end: 15 }));
        assert_eq!(idx.offset(2, 1), 6);
        assert!(!idx.is_ascii());
        assert!(LineIndex::new("a = 1\n").is_ascii());
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let idx = LineIndex::new("x");
        assert_eq!(idx.line_col(99, None), LineCol { line: 1, column: 2 });
    }

    /// The plain list of line starts the narrow index stands for.
    fn starts_of(text: &str) -> Vec<u32> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect()
    }

    #[test]
    fn narrow_and_wide_indexes_agree_with_the_list_of_line_starts() {
        // Line lengths cycle through 1 to 97 bytes (narrow), one text adds a line of
        // 300 bytes (wide); with and without a final newline, across several marks.
        let mut texts = vec![String::new(), "\n".into(), "x".into(), "\n\n\n".into()];
        for lines in [1, 31, 32, 33, 64, 65, 200] {
            let mut t = String::new();
            for i in 0..lines {
                t.push_str(&"a".repeat(i * 7 % 97));
                t.push('\n');
            }
            texts.push(t.clone());
            texts.push(format!("{t}tail"));
            texts.push(format!("{t}{}\nend", "b".repeat(300)));
        }
        for text in &texts {
            let idx = LineIndex::new(text);
            let starts = starts_of(text);
            let long = text.split('\n').any(|l| l.len() >= 255);
            assert_eq!(matches!(idx.starts, Starts::Wide(_)), long, "{text:?}");
            assert_eq!(idx.line_count(), starts.len());
            for (i, &s) in starts.iter().enumerate() {
                assert_eq!(idx.offset(i + 1, 1), s);
                let end = starts.get(i + 1).map_or(text.len() as u32, |n| n - 1);
                assert_eq!(idx.line_span(i as u32 + 1), Some(Span { start: s, end }));
            }
            assert_eq!(idx.line_span(starts.len() as u32 + 1), None);
            for offset in 0..=text.len() as u32 + 2 {
                let line = starts
                    .iter()
                    .rposition(|&s| s <= offset.min(text.len() as u32));
                let line = line.unwrap_or(0);
                let want = LineCol {
                    line: line as u32 + 1,
                    column: offset.min(text.len() as u32) - starts[line] + 1,
                };
                assert_eq!(
                    idx.line_col(offset, None),
                    want,
                    "offset {offset} of {text:?}"
                );
            }
        }
    }
}
