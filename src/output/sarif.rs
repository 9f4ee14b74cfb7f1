//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! - One run, `automationDetails.id` `stacklint/` (or `$STACKLINT_SARIF_CATEGORY/`, so
//!   several stacklint uploads in one repository can keep separate alert sets).
//! - `tool.driver.rules` lists every rule, with descriptions and help from the rule's
//!   embedded documentation page, its default level, tags, precision and
//!   `problem.severity` (never `security-severity`: these are architecture findings, not
//!   vulnerabilities).
//! - Each result has the rule id and index, the effective level, the message with its
//!   fix, the primary location (URI relative to the repository root, see
//!   [`super::repo_path`]; region with 1-based lines and columns counted in Unicode code
//!   points, end column exclusive), related locations, and two partial fingerprints:
//!   `stacklint/v1` (the baseline fingerprint, stable under line moves) and
//!   `primaryLocationLineHash` (computed exactly as upload-sarif does, see
//!   [`super::line_hash`]; left out only when the file cannot be read, and then
//!   upload-sarif computes it if it can).
//! - Nothing depends on the clock or the machine: the same tree gives the same bytes.

use super::{full_message, line_hash, repo_path, repo_prefix, Report};
use crate::rules::{self, Category, Finding, RuleId, RuleMeta, Severity};
use crate::source::FileId;
use foldhash::HashMap;
use rayon::prelude::*;
use serde_json::{json, Map, Value as J};
use std::collections::{BTreeMap, BTreeSet};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub rejects rule descriptions longer than this (characters).
const MAX_DESCRIPTION: usize = 1024;

/// The whole document through one `serde_json::Value` tree: the reference the streamed
/// bytes of [`write`] are tested against.
#[cfg(test)]
fn render(r: &Report) -> anyhow::Result<String> {
    let results = Results::new(r);
    let all: Vec<J> = (r.findings.par_iter().enumerate())
        .map(|(i, f)| results.build(r, i, f))
        .collect();
    let mut s = serde_json::to_string_pretty(&document(all))?;
    s.push('\n');
    Ok(s)
}

/// Writes the document around an empty `results` array, with the results streamed in
/// between: each built and serialised on its own, in parallel, a batch at a time,
/// indented to its depth. 35,000 results as one `serde_json::Value` tree cost 1.7 s and
/// 450 MB; streamed they cost neither.
pub fn write(r: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut shell = serde_json::to_string_pretty(&document(Vec::new()))?;
    shell.push('\n');
    // The empty array is the only `"results": []` in the text: inside a JSON string the
    // quotes would be escaped.
    let Some(at) = shell.find(EMPTY_RESULTS) else {
        return Err(std::io::Error::other(
            "SARIF skeleton lacks its results array (this is a bug)",
        ));
    };
    out.write_all(&shell.as_bytes()[..at])?;
    out.write_all(b"\"results\": ")?;
    let results = Results::new(r);
    super::stream_json_array(out, r.findings, 8, |slot, i, f| {
        slot.put(&results.build(r, i, f))
    })?;
    out.write_all(&shell.as_bytes()[at + EMPTY_RESULTS.len()..])
}

const EMPTY_RESULTS: &str = "\"results\": []";

/// What every result needs: rule indices, the repository prefix of paths and the line
/// hashes of the findings' lines.
struct Results {
    index: HashMap<RuleId, usize>,
    prefix: String,
    hashes: HashMap<(FileId, u32), String>,
}

impl Results {
    fn new(r: &Report) -> Results {
        let metas = rules::all_meta();
        Results {
            index: metas.iter().enumerate().map(|(i, m)| (m.id, i)).collect(),
            prefix: repo_prefix(r.ws),
            hashes: line_hashes(r),
        }
    }

    /// Finding `i` as a SARIF result.
    fn build(&self, r: &Report, i: usize, f: &Finding) -> J {
        let prefix = &self.prefix;
        let (start, _) = r.sources.range(r.ws, f.loc);
        let mut res = Map::new();
        res.insert("ruleId".into(), json!(f.rule.as_str()));
        if let Some(ix) = self.index.get(&f.rule) {
            res.insert("ruleIndex".into(), json!(ix));
        }
        res.insert("level".into(), json!(f.severity.as_str()));
        res.insert("message".into(), json!({ "text": full_message(f) }));
        res.insert(
            "locations".into(),
            json!([{ "physicalLocation": physical(r, prefix, f.loc) }]),
        );
        if !f.related.is_empty() {
            let related: Vec<J> = f
                .related
                .iter()
                .enumerate()
                .map(|(k, rel)| {
                    json!({
                        "id": k + 1,
                        "physicalLocation": physical(r, prefix, rel.loc),
                        "message": { "text": &*rel.message },
                    })
                })
                .collect();
            res.insert("relatedLocations".into(), J::Array(related));
        }
        let mut fps = Map::new();
        if let Some(h) = self.hashes.get(&(f.loc.file, start.line)) {
            fps.insert("primaryLocationLineHash".into(), json!(h));
        }
        if let Some(fp) = r.fingerprints.get(i) {
            fps.insert("stacklint/v1".into(), json!(fp));
        }
        if !fps.is_empty() {
            res.insert("partialFingerprints".into(), J::Object(fps));
        }
        if let Some(s) = f.stack {
            res.insert("properties".into(), json!({ "stack": r.ws.stacks[s].id }));
        }
        J::Object(res)
    }
}

fn document(results: Vec<J>) -> J {
    let metas = rules::all_meta();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "stacklint",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": metas.iter().map(|m| rule_descriptor(m)).collect::<Vec<_>>(),
                }
            },
            "automationDetails": { "id": automation_id() },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// `stacklint/`, or the category in `STACKLINT_SARIF_CATEGORY` (the composite action
/// sets it from its `category` input). upload-sarif keeps an id that is already set, so
/// this is where the category has to go.
fn automation_id() -> String {
    let cat = std::env::var("STACKLINT_SARIF_CATEGORY")
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "stacklint".to_string());
    if cat.ends_with('/') {
        cat
    } else {
        format!("{cat}/")
    }
}

fn physical(r: &Report, prefix: &str, loc: crate::source::Loc) -> J {
    let (s, e) = r.sources.range(r.ws, loc);
    json!({
        "artifactLocation": { "uri": uri_path(&repo_path(prefix, r.ws, loc.file)) },
        "region": {
            "startLine": s.line,
            "startColumn": s.column,
            "endLine": e.line,
            "endColumn": e.column,
        }
    })
}

/// Percent-encodes a `/`-separated relative path into a URI reference: unreserved
/// characters, sub-delimiters, `@` and `/` stay, everything else (spaces, `%`, `:`, `#`,
/// `?`, non-ASCII bytes) becomes `%XX`. upload-sarif decodes it with
/// `decodeURIComponent` before it looks the file up.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The line hash of every (file, line) a result starts on.
fn line_hashes(r: &Report) -> HashMap<(FileId, u32), String> {
    let mut wanted: BTreeMap<FileId, BTreeSet<u32>> = BTreeMap::new();
    for f in r.findings {
        let (start, _) = r.sources.range(r.ws, f.loc);
        wanted.entry(f.loc.file).or_default().insert(start.line);
    }
    let wanted: Vec<(FileId, BTreeSet<u32>)> = wanted.into_iter().collect();
    wanted
        .into_par_iter()
        .flat_map_iter(|(file, lines)| {
            // Hash the bytes upload-sarif will read, decoded as Node decodes a `utf8`
            // stream: invalid sequences become U+FFFD by the same "maximal subpart" rule
            // `from_utf8_lossy` follows (checked against Node on random binary files
            // that cross its 64 KiB chunk boundaries).
            let hashes = match std::fs::read(r.ws.root.join(r.ws.path(file))) {
                Ok(bytes) => line_hash::line_hashes(&String::from_utf8_lossy(&bytes), &lines),
                Err(_) => BTreeMap::new(),
            };
            hashes.into_iter().map(move |(line, h)| ((file, line), h))
        })
        .collect()
}

fn rule_descriptor(m: &RuleMeta) -> J {
    let doc = rules::doc(m.id).unwrap_or("");
    let body = doc_body(doc);
    let short = truncate(&sentence(m.summary), MAX_DESCRIPTION);
    let full = section(doc, "What it checks")
        .map(|s| truncate(&plain(s), MAX_DESCRIPTION))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| short.clone());
    let help_md = if body.trim().is_empty() {
        format!("{short}\n\nSee `stacklint explain {}`.", m.id)
    } else {
        body.trim().to_string()
    };
    json!({
        "id": m.id.as_str(),
        "name": pascal(m.id.as_str()),
        "shortDescription": { "text": short },
        "fullDescription": { "text": full },
        "help": { "text": help_md, "markdown": help_md },
        "defaultConfiguration": { "level": m.default_severity.as_str() },
        "properties": {
            "tags": tags(m),
            "precision": precision(m.category),
            "problem.severity": problem_severity(m.default_severity),
        }
    })
}

fn tags(m: &RuleMeta) -> Vec<&'static str> {
    let mut t = vec!["stacklint", "architecture", m.category.as_str()];
    if m.category == Category::Input {
        t[1] = "correctness";
    } else {
        t.push("maintainability");
    }
    t
}

/// How often a finding is right, by the kind of evidence the category works from:
/// input problems are facts; coupling and contracts read explicit references; the
/// structure, scaling, replication and module rules weigh heuristics (taxonomy,
/// similarity, thresholds).
fn precision(c: Category) -> &'static str {
    match c {
        Category::Input => "very-high",
        Category::Coupling | Category::Contracts => "high",
        Category::Structure | Category::Scaling | Category::Replication | Category::Modules => {
            "medium"
        }
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "recommendation",
    }
}

/// `stack-cycle` -> `StackCycle`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// Capitalised, ending with a period.
fn sentence(s: &str) -> String {
    let mut c = s.trim().chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The page without its `# id` title line.
fn doc_body(doc: &str) -> &str {
    match doc.strip_prefix("# ") {
        Some(rest) => rest.split_once('\n').map(|(_, b)| b).unwrap_or(""),
        None => doc,
    }
}

/// The text of a `## name` section.
fn section<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let head = format!("## {name}");
    let start = doc.lines().position(|l| l.trim_end() == head)?;
    let mut offset = 0;
    for (i, l) in doc.split_inclusive('\n').enumerate() {
        if i == start + 1 {
            break;
        }
        offset += l.len();
    }
    let rest = doc.get(offset..)?;
    let end = rest.find("\n## ").map(|e| e + 1).unwrap_or(rest.len());
    rest.get(..end)
}

/// Markdown as one line of text: whitespace collapsed, a fenced code block as inline
/// code (other markup kept: `**` may be part of a glob).
fn plain(md: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            match code.take() {
                Some(lines) => words.push(format!("`{}`", lines.join(" "))),
                None => code = Some(Vec::new()),
            }
            continue;
        }
        match &mut code {
            Some(lines) => lines.extend(line.split_whitespace()),
            None => words.extend(line.split_whitespace().map(str::to_string)),
        }
    }
    if let Some(lines) = code {
        words.extend(lines.iter().map(|w| w.to_string()));
    }
    words.join(" ")
}

/// At most `max` characters, cut at a word boundary with an ellipsis.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_bytes_are_the_value_trees_document() {
        crate::output::testing::estate_report(|r| {
            let whole = render(r).expect("renders");
            let mut streamed = Vec::new();
            write(r, &mut streamed).expect("writes");
            assert_eq!(String::from_utf8(streamed).expect("UTF-8"), whole);
        });
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(uri_path("stacks/app/main.tf"), "stacks/app/main.tf");
        assert_eq!(
            uri_path("stacks/my app/100%:a#b?.tf"),
            "stacks/my%20app/100%25%3Aa%23b%3F.tf"
        );
        assert_eq!(uri_path("stacks/é/main.tf"), "stacks/%C3%A9/main.tf");
    }

    #[test]
    fn descriptions_respect_githubs_limit() {
        let long = "word ".repeat(400);
        let t = truncate(&long, MAX_DESCRIPTION);
        assert!(t.chars().count() <= MAX_DESCRIPTION);
        assert!(t.ends_with('…'));
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn every_rule_has_descriptions_and_help_from_its_page() {
        for m in rules::all_meta() {
            let d = rule_descriptor(m);
            let full = d["fullDescription"]["text"].as_str().unwrap_or_default();
            let short = d["shortDescription"]["text"].as_str().unwrap_or_default();
            assert!(!short.is_empty() && short.chars().count() <= MAX_DESCRIPTION);
            assert!(!full.is_empty() && full.chars().count() <= MAX_DESCRIPTION);
            assert_ne!(
                full, short,
                "{}: fullDescription should come from its page",
                m.id
            );
            let help = d["help"]["markdown"].as_str().unwrap_or_default();
            assert!(help.contains("## Fix"), "{}: help lacks the page", m.id);
            assert!(!help.starts_with("# "), "{}: help repeats the title", m.id);
            assert!(d["properties"].get("security-severity").is_none());
        }
    }

    #[test]
    fn names_and_sections() {
        assert_eq!(pascal("stack-cycle"), "StackCycle");
        let doc = "# x\n\nintro\n\n## What it checks\n\nA **b**\nc.\n\n## Why\n\nd\n";
        assert_eq!(section(doc, "What it checks"), Some("\nA **b**\nc.\n\n"));
        assert_eq!(
            plain(section(doc, "What it checks").unwrap_or("")),
            "A **b** c."
        );
        assert_eq!(section(doc, "Nope"), None);
        assert_eq!(
            plain("The form\n\n```hcl\n# a:  b\n```\n\nis  refused."),
            "The form `# a: b` is refused."
        );
        assert_eq!(sentence("stacks depend"), "Stacks depend.");
    }
}
