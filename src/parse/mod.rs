//! Stage 2: read and parse every discovered file in parallel into compact syntax facts.
//!
//! Each worker reads one file and parses it into `crate::syntax` types: with the direct
//! parser (`fast`) for the common shapes, else with hcl-edit, whose lossless tree is
//! converted and dropped (serde_json for `*.json`). Problems never abort the
//! run: they become `Problem`s that the check turns into `parse-error` findings.

#[doc(hidden)]
pub mod fast;
mod hcl;
mod json;
mod open;
mod repair;
pub mod split;

use crate::discover::{DiscoveredFile, FileKind};
use crate::source::{LineIndex, Span};
use crate::syntax::Body;
use open::{read_at_most, RootDir};
use rayon::prelude::*;
use std::path::Path;

pub use hcl::parse_template;

/// How the direct parser and hcl-edit (with the converter) read one text, for tests and
/// `examples/parse-diff.rs`: `None` when the direct parser gave way to hcl-edit, else
/// whether both built the same tree (compared through their `Debug` form).
#[doc(hidden)]
pub fn compare_parsers(text: &str) -> Option<Result<(), (String, String)>> {
    let fast = format!("{:#?}", fast::parse_body(text)?);
    let full = match hcl::parse_body(text, 0) {
        Ok(b) => format!("{b:#?}"),
        Err((at, msg)) => format!("hcl-edit error at {at}: {msg}"),
    };
    Some(if fast == full {
        Ok(())
    } else {
        Err((fast, full))
    })
}

/// Parses HCL text held in memory (configuration files, tests). Errors carry a byte
/// offset and a message.
pub fn parse_body_str(text: &str) -> Result<Body, (u32, String)> {
    parse_text(text)
}

/// A whole HCL text: the direct parser, or hcl-edit where it gives way (errors, rare
/// constructs), so both readings are the same tree.
fn parse_text(text: &str) -> Result<Body, (u32, String)> {
    match fast::parse_body(text) {
        Some(body) => Ok(body),
        None => hcl::parse_body(text, 0),
    }
}

/// Everything stacklint keeps about one file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// Path relative to the scan root, `/`-separated.
    pub path: String,
    pub kind: FileKind,
    pub body: Body,
    pub lines: LineIndex,
    pub size: u64,
    /// Hash of each top-level block's whitespace-normalised text, for stable fingerprints.
    pub block_hashes: Vec<(Span, u64)>,
    /// `# stacklint-ignore: ...` comments.
    pub suppressions: Vec<SuppressionComment>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionComment {
    pub span: Span,
    pub line: u32,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The comment stands before the first block of the file: it covers the whole stack.
    pub file_level: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: ProblemSeverity,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemSeverity {
    /// The file, or part of it, could not be read or parsed.
    Error,
    /// The file was skipped on purpose (too large).
    Note,
}

#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    pub max_file_size: u64,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_file_size: 5 * 1024 * 1024,
        }
    }
}

/// Parses every file in parallel on the current rayon pool; the result keeps input order.
pub fn parse_all(root: &Path, files: &[DiscoveredFile], opts: ParseOptions) -> Vec<ParsedFile> {
    let root = RootDir::open(root);
    files
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .map(|f| parse_file(&root, f, opts))
        .collect()
}

fn parse_file(root: &RootDir, file: &DiscoveredFile, opts: ParseOptions) -> ParsedFile {
    let mut out = ParsedFile {
        path: file.rel.clone(),
        kind: file.kind,
        body: Body::default(),
        lines: LineIndex::default(),
        size: 0,
        block_hashes: Vec::new(),
        suppressions: Vec::new(),
        problems: Vec::new(),
    };
    if file.kind == FileKind::LockFile {
        // Only its presence matters (it marks a root module); never parse it.
        return out;
    }
    let (mut handle, size) = match root.open_regular(&file.rel) {
        Ok(Ok(v)) => v,
        Ok(Err(problem)) => {
            out.problems.push(error_at(0, problem));
            return out;
        }
        Err(e) => {
            out.problems
                .push(error_at(0, &format!("cannot read file: {}", io_reason(&e))));
            return out;
        }
    };
    out.size = size;
    if size > opts.max_file_size {
        out.problems.push(Problem {
            severity: ProblemSeverity::Note,
            span: Span::default(),
            message: format!(
                "skipped: {} is larger than the {} limit (raise it with --max-file-size)",
                human_size(size),
                human_size(opts.max_file_size)
            ),
        });
        return out;
    }
    // Read at most one byte past the limit: a file that grew since it was examined is
    // still bounded.
    let bytes = match read_at_most(&mut handle, size, opts.max_file_size.saturating_add(1)) {
        Ok(b) if b.len() as u64 > opts.max_file_size => {
            out.problems.push(Problem {
                severity: ProblemSeverity::Note,
                span: Span::default(),
                message: format!(
                    "skipped: grew past the {} limit while being read",
                    human_size(opts.max_file_size)
                ),
            });
            return out;
        }
        Ok(b) => b,
        Err(e) => {
            out.problems
                .push(error_at(0, &format!("cannot read file: {}", io_reason(&e))));
            return out;
        }
    };
    drop(handle);
    parse_bytes(&mut out, bytes);
    out
}

/// Parses a file held in memory, its kind taken from its name (fuzzing, tests).
pub fn parse_memory(rel: &str, bytes: Vec<u8>) -> Option<ParsedFile> {
    let kind = FileKind::classify(crate::model::paths::file_name(rel))?;
    let mut out = ParsedFile {
        path: rel.to_string(),
        kind,
        body: Body::default(),
        lines: LineIndex::default(),
        size: 0,
        block_hashes: Vec::new(),
        suppressions: Vec::new(),
        problems: Vec::new(),
    };
    if kind != FileKind::LockFile {
        parse_bytes(&mut out, bytes);
    }
    Some(out)
}

/// A file entry for a path that could not be read at all.
pub fn unreadable(rel: &str, message: &str) -> ParsedFile {
    ParsedFile {
        path: if rel.is_empty() {
            ".".to_string()
        } else {
            rel.to_string()
        },
        kind: FileKind::Other,
        body: Body::default(),
        lines: LineIndex::default(),
        size: 0,
        block_hashes: Vec::new(),
        suppressions: Vec::new(),
        problems: vec![error_at(0, message)],
    }
}

/// Parses file contents already in memory (also the entry point for fuzzing).
pub fn parse_bytes(out: &mut ParsedFile, mut bytes: Vec<u8>) {
    out.size = bytes.len() as u64;
    // A UTF-8 BOM is valid for Terraform but rejected by hcl-edit. Blank it out instead of
    // removing it, so every offset still matches the file on disk.
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[..3].copy_from_slice(b"   ");
    }
    if bytes.starts_with(b"\0GITCRYPT\0") {
        out.problems.push(Problem {
            severity: ProblemSeverity::Note,
            span: Span::new(0, 1),
            message: "skipped: the file is encrypted with git-crypt".to_string(),
        });
        return;
    }
    // memchr's vector search: `iter().position` went a byte at a time (~1% of a run).
    if let Some(nul) = memchr::memchr(0, &bytes) {
        let text = String::from_utf8_lossy(&bytes[..nul]);
        out.lines = LineIndex::new(&text);
        out.problems.push(error_at(
            nul,
            "file contains a NUL byte; it looks binary, not HCL",
        ));
        return;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            out.lines = LineIndex::new(&valid);
            out.problems.push(error_at(
                at,
                "file is not valid UTF-8 (Terraform requires UTF-8)",
            ));
            return;
        }
    };
    out.lines = LineIndex::new(&text);
    out.suppressions = scan_suppressions(&text, &out.lines);
    match out.kind {
        FileKind::TerraformJson | FileKind::TfvarsJson => {
            match json::parse(&text, out.kind == FileKind::TerraformJson) {
                Ok(body) => out.body = body,
                Err((at, msg)) => out.problems.push(error_at(at, &msg)),
            }
        }
        FileKind::LockFile | FileKind::Other | FileKind::Config => {}
        _ => parse_hcl(out, &text),
    }
    out.block_hashes = out
        .body
        .blocks
        .iter()
        .map(|b| (b.span, normalized_hash(text_at(&text, b.span))))
        .collect();
    mark_file_level_suppressions(out);
}

fn parse_hcl(out: &mut ParsedFile, text: &str) {
    match parse_text(text) {
        Ok(body) => out.body = body,
        Err(_) => {
            // Recover per top-level item: what hcl-edit rejects loses only its own block.
            let (mut attrs, mut blocks) = (Vec::new(), Vec::new());
            for chunk in split::split_top_level(text) {
                let piece = &text[chunk.start..chunk.end];
                match repair::parse_repaired(piece, chunk.start as u32) {
                    Ok(body) => {
                        attrs.extend(body.attrs);
                        blocks.extend(body.blocks);
                    }
                    Err((offset, msg)) => {
                        // An imbalance the lexer saw (unterminated string, unclosed
                        // bracket) is the root cause; hcl-edit reports its symptom later
                        // in the file, or at the chunk start.
                        let (at, msg) = match chunk.problem {
                            Some((at, what))
                                if at as u32 <= offset || offset as usize <= chunk.start + 1 =>
                            {
                                (at, imbalance(what))
                            }
                            _ => (offset as usize, describe(&msg)),
                        };
                        out.problems.push(error_at(at, &msg));
                    }
                }
            }
            out.body = Body::new(attrs, blocks);
        }
    }
}

fn imbalance(what: &str) -> String {
    match what {
        "unterminated string" => {
            "unterminated string: a quoted string must end on the line it starts".to_string()
        }
        "unclosed bracket" => "this bracket is never closed".to_string(),
        "unterminated comment" => "this /* comment is never closed".to_string(),
        other => format!("invalid HCL syntax: {other}"),
    }
}

fn describe(msg: &str) -> String {
    let msg = msg.trim();
    if msg.is_empty() {
        "invalid HCL syntax".to_string()
    } else {
        format!("invalid HCL syntax: {msg}")
    }
}

fn error_at(offset: usize, message: &str) -> Problem {
    Problem {
        severity: ProblemSeverity::Error,
        span: Span::new(offset, offset + 1),
        message: message.to_string(),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "file not found (a dangling symlink?)".into(),
        _ => e.to_string(),
    }
}

pub fn human_size(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

pub fn text_at(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

/// FNV-1a over the text with runs of whitespace folded to one space: stable across
/// releases and platforms, unlike `std`'s hasher.
pub fn normalized_hash(text: &str) -> u64 {
    let mut h = NormalizedHasher::new();
    h.feed(text.trim());
    h.finish()
}

/// [`normalized_hash`] of a text given in pieces, without joining them (baseline
/// fingerprints hash a key per finding). The whole text must not start or end with
/// whitespace, which `normalized_hash` would trim.
pub struct NormalizedHasher {
    h: u64,
    in_ws: bool,
}

impl Default for NormalizedHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl NormalizedHasher {
    pub fn new() -> Self {
        NormalizedHasher {
            h: 0xcbf2_9ce4_8422_2325,
            in_ws: false,
        }
    }

    pub fn feed(&mut self, piece: &str) {
        for b in piece.bytes() {
            let b = if b.is_ascii_whitespace() {
                if self.in_ws {
                    continue;
                }
                self.in_ws = true;
                b' '
            } else {
                self.in_ws = false;
                b
            };
            self.h ^= u64::from(b);
            self.h = self.h.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.h
    }
}

const MARKER: &str = "stacklint-ignore";

fn scan_suppressions(text: &str, lines: &LineIndex) -> Vec<SuppressionComment> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if let Some(pos) = line.find(MARKER) {
            let before = &line[..pos];
            let in_comment = before.contains('#') || before.contains("//") || before.contains("/*");
            if in_comment {
                let rest = &line[pos + MARKER.len()..];
                if let Some(rest) = rest.trim_start().strip_prefix(':') {
                    let rest = rest.trim().trim_end_matches("*/").trim();
                    let (ids, reason) = match rest.split_once("--") {
                        Some((ids, reason)) => (ids, Some(reason.trim().to_string())),
                        None => (rest, None),
                    };
                    let rules = ids
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect();
                    let start = offset + pos;
                    let end = offset + line.trim_end().len();
                    out.push(SuppressionComment {
                        span: Span::new(start, end.max(start)),
                        line: n as u32 + 1,
                        rules,
                        reason: reason.filter(|r| !r.is_empty()),
                        file_level: false,
                    });
                }
            }
        }
        offset += line.len();
    }
    let _ = lines;
    out
}

fn mark_file_level_suppressions(out: &mut ParsedFile) {
    let first_item = out
        .body
        .blocks
        .iter()
        .map(|b| b.span.start)
        .chain(out.body.attrs.iter().map(|a| a.span.start))
        .min()
        .unwrap_or(u32::MAX);
    // A comment before the first item is file level unless it directly precedes that item
    // (no blank line in between), in which case it belongs to the item.
    for s in &mut out.suppressions {
        if s.span.end >= first_item {
            continue;
        }
        let first_line = out.lines.line_col(first_item, None).line;
        s.file_level = first_line > s.line + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fed in pieces, the hash is that of the joined text, whitespace runs that cross
    /// a piece boundary included.
    #[test]
    fn normalized_hash_in_pieces_is_the_hash_of_the_whole() {
        let pieces = [
            "copy-paste-stack",
            "\u{1f}",
            "live/prod app",
            " ",
            "\t  x",
            "",
            "z9",
        ];
        let mut h = NormalizedHasher::new();
        for p in pieces {
            h.feed(p);
        }
        assert_eq!(h.finish(), normalized_hash(&pieces.concat()));
        assert_eq!(normalized_hash("a  b"), normalized_hash(" a \n\tb "));
        assert_ne!(normalized_hash("ab"), normalized_hash("a b"));
    }

    fn parsed(kind: FileKind, src: &[u8]) -> ParsedFile {
        let mut f = ParsedFile {
            path: "x.tf".into(),
            kind,
            body: Body::default(),
            lines: LineIndex::default(),
            size: 0,
            block_hashes: Vec::new(),
            suppressions: Vec::new(),
            problems: Vec::new(),
        };
        parse_bytes(&mut f, src.to_vec());
        f
    }

    #[test]
    fn bom_is_accepted_and_offsets_kept() {
        let f = parsed(
            FileKind::Terraform,
            b"\xEF\xBB\xBFresource \"a\" \"b\" {}\n",
        );
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.body.blocks[0].span.start, 3);
    }

    #[test]
    fn a_bad_block_loses_only_itself() {
        let src = b"resource \"a\" \"ok1\" {}\nresource \"a\" \"bad\" {\n  x = = 2\n}\nresource \"a\" \"ok2\" {}\n";
        let f = parsed(FileKind::Terraform, src);
        let names: Vec<_> = f
            .body
            .blocks
            .iter()
            .map(|b| b.labels[1].to_string())
            .collect();
        assert_eq!(names, vec!["ok1", "ok2"]);
        assert_eq!(f.problems.len(), 1);
        let lc = f.lines.line_col(f.problems[0].span.start, None);
        assert_eq!(lc.line, 3, "{:?}", f.problems);
    }

    #[test]
    fn unterminated_string_points_at_the_quote() {
        let f = parsed(FileKind::Terraform, b"a = 1\nb = \"never closed\nc = 3\n");
        assert_eq!(f.problems.len(), 1);
        let lc = f.lines.line_col(f.problems[0].span.start, None);
        assert_eq!((lc.line, lc.column), (2, 5), "{:?}", f.problems);
        assert!(f.body.attr("a").is_some() && f.body.attr("c").is_some());
    }

    #[test]
    fn binary_and_invalid_utf8_are_problems() {
        assert_eq!(
            parsed(FileKind::Terraform, b"a = 1\n\0\0").problems.len(),
            1
        );
        let f = parsed(FileKind::Terraform, b"a = \"\xff\"\n");
        assert!(f.problems[0].message.contains("UTF-8"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("a = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        let f = parsed(FileKind::Terraform, src.as_bytes());
        assert!(!f.problems.is_empty());
    }

    #[test]
    fn suppressions_are_read_with_reasons() {
        let src = b"# stacklint-ignore: stack-cycle -- legacy, see JIRA-12\n\nresource \"a\" \"b\" {} # stacklint-ignore: monolithic-stack\n";
        let f = parsed(FileKind::Terraform, src);
        assert_eq!(f.suppressions.len(), 2);
        assert!(f.suppressions[0].file_level);
        assert_eq!(
            f.suppressions[0].reason.as_deref(),
            Some("legacy, see JIRA-12")
        );
        assert_eq!(f.suppressions[1].rules, vec!["monolithic-stack"]);
        assert_eq!(f.suppressions[1].reason, None);
        assert!(!f.suppressions[1].file_level);
    }

    #[test]
    fn template_for_directive_collection_is_kept() {
        let src = b"x = \"%{ for s in data.terraform_remote_state.net.outputs.subnets }${s}%{ endfor }\"\n";
        let f = parsed(FileKind::Terraform, src);
        let refs = f.body.attrs[0].expr.references();
        assert!(refs.iter().any(|r| r.root == "data"
            && r.attr_path() == vec!["terraform_remote_state", "net", "outputs", "subnets"]));
    }
}
