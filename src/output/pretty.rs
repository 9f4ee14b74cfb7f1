//! `--format pretty`: miette's graphical report, one block per finding, with the code
//! excerpt, a label at the finding and at related places in the same file, related
//! places in other files as nested reports, and the fix as help.

use super::Report;
use crate::rules::{Finding, Severity};
use crate::source::LineIndex;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::Arc;

struct Shown<'r> {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Source<'r>,
    labels: Vec<LabeledSpan>,
    related: Vec<Shown<'r>>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

fn level(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// A file as miette shows it; the text is shared with the cache, not copied per
/// finding.
struct Source<'r> {
    name: String,
    text: Arc<str>,
    /// The file's line index, when it describes `text` and the file has no carriage
    /// return (miette counts a lone `\r` as a line break; the index does not).
    lines: Option<&'r LineIndex>,
}

impl Source<'_> {
    fn len(&self) -> usize {
        self.text.len()
    }
}

impl SourceCode for Source<'_> {
    /// miette finds the lines around a span by scanning the text from its first byte,
    /// for every excerpt: with 35,000 findings that was an eighth of this format's time.
    /// Here the scan starts at the first line miette will show, found through the line
    /// index; what it returns is what the scan from the top returns, shifted back.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (base, lines_before) = self
            .lines
            .and_then(|ix| {
                let offset = u32::try_from(span.offset()).ok()?;
                let line = ix.line_col(offset, None).line as usize - 1;
                let first = line.saturating_sub(context_lines_before);
                let base = ix.line_span(first as u32 + 1)?.start as usize;
                let bytes = self.text.as_bytes();
                // miette takes an empty span to end one byte before it: an empty span at
                // the start of a line ends on the line above, which the shorter scan would
                // not see.
                let ends_above = span.is_empty() && span.offset() == base;
                (base == 0
                    || (base <= span.offset()
                        && !ends_above
                        && bytes.get(base - 1) == Some(&b'\n')))
                .then_some((base, first))
            })
            .unwrap_or((0, 0));
        let tail = &self.text.as_bytes()[base..];
        let local = SourceSpan::new((span.offset() - base).into(), span.len());
        let found = tail.read_span(&local, context_lines_before, context_lines_after)?;
        let at = SourceSpan::new((found.span().offset() + base).into(), found.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            found.data(),
            at,
            found.line() + lines_before,
            found.column(),
            found.line_count() + lines_before,
        )))
    }
}

fn source<'r>(r: &Report<'r>, file: crate::source::FileId) -> Source<'r> {
    let text = r.sources.text(r.ws, file).unwrap_or_else(|| Arc::from(""));
    let index = &r.ws.file(file).lines;
    let lines = (index.text_len() as usize == text.len()
        && memchr::memchr(b'\r', text.as_bytes()).is_none())
    .then_some(index);
    Source {
        name: r.ws.path(file).to_string(),
        text,
        lines,
    }
}

fn span_of(loc: crate::source::Loc, len_limit: usize) -> (usize, usize) {
    let start = loc.span.start as usize;
    let len = (loc.span.len() as usize).clamp(1, len_limit.max(1));
    (start, len)
}

fn shown<'r>(r: &Report<'r>, f: &Finding) -> Shown<'r> {
    let src = source(r, f.loc.file);
    let text_len = src.len();
    let clip = |(s, l): (usize, usize)| -> (usize, usize) {
        let s = s.min(text_len);
        (s, l.min(text_len.saturating_sub(s)))
    };
    // The primary label says what is at that spot: a related note for the same place,
    // else the rule id.
    let primary_text = f
        .related
        .iter()
        .find(|r| r.loc == f.loc)
        .map(|r| r.message.to_string())
        .unwrap_or_else(|| f.rule.to_string());
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(primary_text),
        clip(span_of(f.loc, 200)),
    )];
    let mut related = Vec::new();
    for rel in &f.related {
        if rel.loc.file == f.loc.file {
            if rel.loc != f.loc {
                labels.push(LabeledSpan::new_with_span(
                    Some(rel.message.to_string()),
                    clip(span_of(rel.loc, 200)),
                ));
            }
        } else {
            let rsrc = source(r, rel.loc.file);
            let rlen = rsrc.len();
            let (s, l) = span_of(rel.loc, 200);
            let s = s.min(rlen);
            related.push(Shown {
                code: String::new(),
                message: rel.message.to_string(),
                severity: miette::Severity::Advice,
                help: None,
                source: rsrc,
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    (s, l.min(rlen.saturating_sub(s))),
                )],
                related: Vec::new(),
            });
        }
    }
    Shown {
        code: f.rule.to_string(),
        message: f.message.to_string(),
        severity: level(f.severity),
        help: f.help.as_deref().map(str::to_string),
        source: src,
        labels,
        related,
    }
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(false)
        .with_width(100)
        // Stack ids and rule ids are full of hyphens: never break a word at them.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false)
        .with_context_lines(1)
}

/// Writes one block per finding, in order; rendered in parallel a batch at a time
/// (laying out code excerpts is the slow part of this format).
pub fn write(r: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::stream(
        out,
        r.findings,
        || handler(r.color),
        |handler, _, f| {
            let mut out = String::new();
            let _ = handler.render_report(&mut out, &shown(r, f));
            out.push('\n');
            out
        },
    )
}

/// The closing line: counts by severity.
pub fn summary_line(r: &Report) -> String {
    let s = &r.summary;
    if r.findings.is_empty() {
        return format!(
            "stacklint: no findings ({} stacks, {} cross-stack edges, {} files)\n",
            s.stacks, s.edges, s.files
        );
    }
    format!(
        "stacklint: {} error(s), {} warning(s), {} note(s) in {} stacks ({} cross-stack edges, {} files)\n",
        s.error, s.warning, s.note, s.stacks, s.edges, s.files
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of an excerpt that the layout reads.
    type Fields = (Vec<u8>, usize, usize, usize, usize, usize);

    fn fields(c: &dyn SpanContents) -> Fields {
        (
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        )
    }

    #[test]
    fn excerpts_found_through_the_line_index_are_those_of_a_scan_from_the_top() {
        let text = "terraform {\n  backend \"s3\" {}\n}\n\nresource \"aws_vpc\" \"main\" {\n  \
                    cidr_block = \"10.0.0.0/16\" # é\n}\n\n\nlocals {\n  x = 1\n}";
        let index = LineIndex::new(text);
        let source = Source {
            name: "main.tf".into(),
            text: Arc::from(text),
            lines: Some(&index),
        };
        let mut checked = 0;
        for offset in 0..=text.len() {
            for len in 0..4 {
                for (before, after) in [(0, 0), (1, 1), (2, 1), (0, 2), (3, 3)] {
                    let span = SourceSpan::new(offset.into(), len);
                    // What miette reads scanning the whole text from its first byte.
                    let want = text
                        .as_bytes()
                        .read_span(&span, before, after)
                        .ok()
                        .map(|c| fields(&*c));
                    let got = source.read_span(&span, before, after).ok().map(|c| {
                        assert_eq!(c.name(), Some("main.tf"));
                        fields(&*c)
                    });
                    assert_eq!(
                        got, want,
                        "offset {offset}, len {len}, context {before}/{after}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }
}
