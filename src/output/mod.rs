//! Renderers. Each takes a [`Report`] (findings already filtered and sorted) and
//! returns text; the app writes it.

pub mod checkstyle;
pub mod compact;
pub mod github;
pub mod graph;
pub mod json;
pub mod junit;
pub mod pretty;
pub mod sarif;
pub mod stacks;

use crate::model::Workspace;
use crate::rules::{Finding, Severity};
use crate::source::{FileId, LineCol, Loc};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub stacks: usize,
    pub edges: usize,
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Summary {
    pub fn new(ws: &Workspace, edges: usize, findings: &[Finding]) -> Summary {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            files: ws
                .files
                .iter()
                .filter(|f| f.kind != crate::discover::FileKind::Config)
                .count(),
            stacks: ws.stacks.len(),
            edges,
            error: count(Severity::Error),
            warning: count(Severity::Warning),
            note: count(Severity::Note),
        }
    }
}

pub struct Report<'a> {
    pub ws: &'a Workspace,
    pub findings: &'a [Finding],
    /// Baseline fingerprints, parallel to `findings`.
    pub fingerprints: &'a [String],
    pub summary: Summary,
    pub color: bool,
    pub sources: &'a SourceCache,
}

/// File texts, read again on demand for snippets and columns (the parse step keeps no
/// text). Only files with findings are read.
pub struct SourceCache {
    root: std::path::PathBuf,
    texts: Mutex<HashMap<FileId, Option<Arc<str>>>>,
}

impl SourceCache {
    pub fn new(ws: &Workspace) -> SourceCache {
        SourceCache {
            root: ws.root.clone(),
            texts: Mutex::new(HashMap::new()),
        }
    }

    pub fn text(&self, ws: &Workspace, file: FileId) -> Option<Arc<str>> {
        let mut map = match self.texts.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(file)
            .or_insert_with(|| {
                let bytes = std::fs::read(self.root.join(ws.path(file))).ok()?;
                Some(Arc::from(String::from_utf8_lossy(&bytes).as_ref()))
            })
            .clone()
    }

    /// Start and end (line, column), columns in characters, end exclusive.
    pub fn range(&self, ws: &Workspace, loc: Loc) -> (LineCol, LineCol) {
        let text = self.text(ws, loc.file);
        let lines = &ws.file(loc.file).lines;
        let t = text.as_deref();
        let start = lines.line_col(loc.span.start, t);
        let end = lines.line_col(loc.span.end.max(loc.span.start), t);
        (start, end)
    }
}

/// `file:line:col: severity[rule] message` lines (also used for stderr diagnostics).
pub fn render_compact(ws: &Workspace, findings: &[Finding]) -> String {
    let cache = SourceCache::new(ws);
    let report = Report {
        ws,
        findings,
        fingerprints: &[],
        summary: Summary::default(),
        color: false,
        sources: &cache,
    };
    compact::render(&report)
}

/// XML attribute/text escaping.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Message plus fix, as one text for formats without a separate help field.
pub fn full_message(f: &Finding) -> String {
    match &f.help {
        Some(h) => format!("{} Fix: {h}", ensure_period(&f.message)),
        None => f.message.clone(),
    }
}

fn ensure_period(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}
