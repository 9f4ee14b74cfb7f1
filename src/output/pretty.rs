//! `--format pretty`: miette's graphical report, one block per finding, with the code
//! excerpt, a label at the finding and at related places in the same file, related
//! places in other files as nested reports, and the fix as help.

use super::Report;
use crate::rules::{Finding, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::fmt;
use std::sync::Arc;

struct Shown {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<Arc<str>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Shown>,
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
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

/// The file as miette shows it; the text is shared with the cache, not copied per
/// finding.
fn source(r: &Report, file: crate::source::FileId) -> NamedSource<Arc<str>> {
    let text = r.sources.text(r.ws, file).unwrap_or_else(|| Arc::from(""));
    NamedSource::new(r.ws.path(file), text)
}

fn span_of(loc: crate::source::Loc, len_limit: usize) -> (usize, usize) {
    let start = loc.span.start as usize;
    let len = (loc.span.len() as usize).clamp(1, len_limit.max(1));
    (start, len)
}

fn shown(r: &Report, f: &Finding) -> Shown {
    let src = source(r, f.loc.file);
    let text_len = src.inner().len();
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
        .map(|r| r.message.clone())
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
                    Some(rel.message.clone()),
                    clip(span_of(rel.loc, 200)),
                ));
            }
        } else {
            let rsrc = source(r, rel.loc.file);
            let rlen = rsrc.inner().len();
            let (s, l) = span_of(rel.loc, 200);
            let s = s.min(rlen);
            related.push(Shown {
                code: String::new(),
                message: rel.message.clone(),
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
        message: f.message.clone(),
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
