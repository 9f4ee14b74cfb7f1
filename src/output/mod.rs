//! Renderers. Each takes a [`Report`] (findings already filtered and sorted) and
//! returns text, or, for the formats that grow with the findings, writes it batch by
//! batch as it is rendered (see [`stream`]).

pub mod checkstyle;
pub mod compact;
pub mod github;
pub mod graph;
pub mod json;
pub mod junit;
pub mod line_hash;
pub mod nested;
pub mod pretty;
pub mod sarif;
pub mod stacks;

use crate::model::Workspace;
use crate::rules::{Finding, Severity};
use crate::source::{FileId, LineCol, Loc};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
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
        if let Some(known) = self.lock().get(&file) {
            return known.clone();
        }
        // Read outside the lock so that renderers working in parallel read side by side.
        let text: Option<Arc<str>> = std::fs::read(self.root.join(ws.path(file)))
            .ok()
            .map(|bytes| Arc::from(String::from_utf8_lossy(&bytes).as_ref()));
        self.lock().entry(file).or_insert(text).clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<FileId, Option<Arc<str>>>> {
        match self.texts.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Start and end (line, column), columns in characters, end exclusive.
    pub fn range(&self, ws: &Workspace, loc: Loc) -> (LineCol, LineCol) {
        let lines = &ws.file(loc.file).lines;
        // In an ASCII file a byte column is the character column: no need to read it.
        let text = if lines.is_ascii() {
            None
        } else {
            self.text(ws, loc.file)
        };
        let t = text.as_deref();
        let start = lines.line_col(loc.span.start, t);
        let end = lines.line_col(loc.span.end.max(loc.span.start), t);
        (start, end)
    }
}

/// Findings rendered per batch: enough for both threads to stay busy, small enough that
/// a report of any size holds only a few MB of rendered text at a time.
const BATCH: usize = 1024;

/// Renders `items` in parallel, one batch at a time, and writes each batch in order
/// before rendering the next: the bytes are those of rendering everything and joining,
/// without the whole report ever sitting in memory. `piece` gets the item's index in
/// `items` (for separators) and per-thread state from `init` (e.g. a layout handler).
pub fn stream<T: Sync, S, P: AsRef<[u8]> + Send>(
    out: &mut dyn Write,
    items: &[T],
    init: impl Fn() -> S + Sync + Send,
    piece: impl Fn(&mut S, usize, &T) -> P + Sync + Send,
) -> std::io::Result<()> {
    for (b, batch) in items.chunks(BATCH).enumerate() {
        let pieces: Vec<P> = batch
            .par_iter()
            .enumerate()
            .map_init(&init, |state, (k, item)| piece(state, b * BATCH + k, item))
            .collect();
        for p in &pieces {
            out.write_all(p.as_ref())?;
        }
    }
    Ok(())
}

/// Writes a JSON array whose items sit `indent` spaces deep, each item written by `json`
/// through [`nested::Slot::put`] (streamed, see [`stream`]): the bytes `to_string_pretty`
/// gives for the same array nested at that depth. An item that cannot be serialised is
/// written as `{}`, so the array stays valid.
pub fn stream_json_array<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    indent: usize,
    json: impl Fn(nested::Slot, usize, &T) -> bool + Sync + Send,
) -> std::io::Result<()> {
    out.write_all(b"[")?;
    stream(
        out,
        items,
        || (),
        |_, i, item| {
            let mut piece = Vec::with_capacity(1024);
            piece.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            piece.resize(piece.len() + indent, b' ');
            if !json(nested::Slot::new(&mut piece, indent), i, item) {
                piece.extend_from_slice(b"{}");
            }
            piece
        },
    )?;
    if items.is_empty() {
        out.write_all(b"]")
    } else {
        write!(out, "\n{}]", " ".repeat(indent.saturating_sub(2)))
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
            // Character references keep line breaks and tabs through attribute-value
            // normalisation; other control characters are not allowed in XML 1.0.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Message plus fix, as one text for formats without a separate help field.
pub fn full_message(f: &Finding) -> String {
    match &f.help {
        Some(h) => format!("{} Fix: {h}", ensure_period(&f.message)),
        None => f.message.to_string(),
    }
}

fn ensure_period(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The directory of the scanned root relative to the repository root (the nearest
/// ancestor holding `.git`), `/`-separated; empty when the scan starts at the repository
/// root or outside any repository.
pub fn repo_prefix(ws: &Workspace) -> String {
    if ws.repo_abs == ws.root_abs {
        return String::new();
    }
    let rel = crate::model::paths::relative(&ws.repo_abs, &ws.root_abs);
    if rel == "." || rel == ".." || rel.starts_with("../") {
        String::new()
    } else {
        rel
    }
}

/// A file's path as CI tools resolve it: relative to the repository root (see
/// [`repo_prefix`]), `/`-separated. GitHub code scanning, workflow annotations and
/// Checkstyle consumers all attach findings to repository paths, so
/// `stacklint check infra/ --format sarif` reports `infra/stacks/app/main.tf`.
pub fn repo_path(prefix: &str, ws: &Workspace, file: FileId) -> String {
    let rel = ws.path(file);
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// The timestamp written into reports that need one (JUnit): never the wall clock, so
/// output is byte-identical across runs. `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention) when set and valid, else `1970-01-01T00:00:00`. UTC,
/// without a zone suffix (the Ant JUnit schema forbids one).
pub fn report_timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    format_utc(secs)
}

/// `YYYY-MM-DDThh:mm:ss` of a Unix time, clamped to years 1970..=9999.
pub fn format_utc(secs: i64) -> String {
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59
    let secs = secs.clamp(0, MAX);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Shared by the renderers' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::Report;

    /// The estate fixture's findings as a report (the renderers' input).
    pub fn estate_report(check: impl Fn(&Report) + Sync) {
        use crate::output::{SourceCache, Summary};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli/estate");
        let opts = crate::pipeline::ScanOptions {
            root,
            ..Default::default()
        };
        let run = crate::pipeline::with_pool(Some(2), || {
            let a = crate::pipeline::analyze(&opts).expect("fixture analyses");
            let config = crate::config::Config::empty();
            let selection = crate::check::Selection {
                select: Default::default(),
                ignore: Default::default(),
            };
            let (mut findings, _) = crate::check::lint(&a, &config, &selection);
            crate::check::sort(&a.ws, &mut findings);
            let fps = crate::baseline::fingerprints(&a.ws, &findings);
            assert!(
                findings.iter().any(|f| !f.related.is_empty()),
                "the fixture has findings with related locations"
            );
            let cache = SourceCache::new(&a.ws);
            // Enough findings for several streaming batches, each with its fingerprint.
            let (mut many, mut many_fps) = (Vec::new(), Vec::new());
            while many.len() <= 2 * super::BATCH {
                many.extend(findings.iter().cloned());
                many_fps.extend(fps.iter().cloned());
            }
            for (shown, fps) in [(&findings[..], &fps), (&[], &fps), (&many[..], &many_fps)] {
                check(&Report {
                    ws: &a.ws,
                    findings: shown,
                    fingerprints: fps,
                    summary: Summary::new(&a.ws, a.links.edges.len(), shown),
                    color: false,
                    sources: &cache,
                });
            }
        });
        run.expect("pool");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_timestamps() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14T22:13:20");
        assert_eq!(format_utc(-5), "1970-01-01T00:00:00");
        assert_eq!(format_utc(i64::MAX), "9999-12-31T23:59:59");
    }

    #[test]
    fn streaming_writes_every_piece_in_order_across_batches() {
        let items: Vec<usize> = (0..BATCH * 2 + 7).collect();
        let mut out = Vec::new();
        stream(
            &mut out,
            &items,
            || 0usize,
            |calls, i, item| {
                *calls += 1;
                assert_eq!(i, *item, "the index is the item's position");
                format!("{}{item}", if i == 0 { "" } else { "," })
            },
        )
        .expect("writes to memory");
        let want: Vec<String> = items.iter().map(|i| i.to_string()).collect();
        assert_eq!(String::from_utf8(out).expect("UTF-8"), want.join(","));
    }

    #[test]
    fn xml_escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c\" 'd'\n\u{1}e\tf"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;&#10;e&#9;f"
        );
    }
}
