//! `stacklint report`: the architecture review as one document.
//!
//! [`gather`] turns an analysis, its findings and the git history into a plain
//! [`ReportData`] (sorted, deterministic, no references into the model); the renderers
//! (`html`, `markdown`, `json`) only read that. Facts owned by other parts of stacklint
//! (taxonomy domains, pattern classification, independent clusters, copy-paste groups)
//! come from the seams in [`facts`].

pub mod facts;
pub mod history;
pub mod html;
pub mod json;
pub mod markdown;
mod mdlite;
mod progress;
pub mod svg;

use crate::app::{self, EXIT_ERROR, EXIT_OK};
use crate::check::{self, Selection};
use crate::cli::{ReportArgs, ReportFormat};
use crate::link::Mechanism;
use crate::model::Workspace;
use crate::output::SourceCache;
use crate::pipeline::{self, Analysis};
use crate::rules::{self, Finding, RuleId, Severity};
use anyhow::Result;
pub use facts::DomainCount;
use facts::{Cluster, CopyPasteGroup, Pattern};
use history::{History, StackChanges};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Default output file of the HTML report.
pub const DEFAULT_HTML_OUTPUT: &str = "stacklint-report.html";

/// Everything a report shows.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub version: u32,
    /// The scanned directory's name (not its absolute path: reports are shareable).
    pub root: String,
    /// `stacklint <version>`, plus the date when `SOURCE_DATE_EPOCH` is set.
    pub generated: String,
    pub summary: Summary,
    pub stacks: Vec<StackRow>,
    pub edges: Vec<EdgeRow>,
    pub unresolved: Vec<UnresolvedRow>,
    /// Stack ids of each dependency cycle (strongly connected component), sorted.
    pub cycles: Vec<Vec<String>>,
    pub copy_paste_groups: Vec<CopyPasteGroup>,
    /// Findings grouped by rule, most severe rule first.
    pub rules: Vec<RuleGroup>,
    pub history: History,
    /// Where derived facts come from (see `facts`).
    pub sources: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Note => self.note += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.note
    }

    /// The most severe level present.
    pub fn worst(&self) -> Option<Severity> {
        if self.error > 0 {
            Some(Severity::Error)
        } else if self.warning > 0 {
            Some(Severity::Warning)
        } else if self.note > 0 {
            Some(Severity::Note)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub files: usize,
    pub stacks: usize,
    pub resources: usize,
    pub instances: usize,
    pub modules: usize,
    pub edges: usize,
    pub edges_by_mechanism: BTreeMap<String, usize>,
    pub unresolved: usize,
    pub cycles: usize,
    pub findings: SeverityCounts,
    /// Stacks per pattern (a stack may show several).
    pub patterns: BTreeMap<String, usize>,
    pub copy_paste_groups: usize,
    /// The three highest-impact findings: most severe first, then the stack with the most
    /// consumers, then the largest stack.
    pub top_findings: Vec<TopFinding>,
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopFinding {
    pub rule: String,
    pub severity: Severity,
    pub stack: Option<String>,
    pub file: String,
    pub line: u32,
    pub message: String,
    /// Anchor of the finding in the findings section.
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutputRow {
    pub name: String,
    /// Stacks that read it, sorted.
    pub read_by: Vec<String>,
    /// Read by other stacks but not declared here.
    pub declared: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReadRow {
    /// The provider stack.
    pub from: String,
    pub mechanism: Mechanism,
    pub outputs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StackRow {
    pub id: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_source: Option<String>,
    pub patterns: Vec<Pattern>,
    pub resources: usize,
    pub data_sources: usize,
    pub module_calls: usize,
    pub domains: Vec<DomainCount>,
    pub instances: usize,
    pub instance_names: Vec<String>,
    pub workspaces: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    pub ca: usize,
    pub ce: usize,
    pub instability: f64,
    pub depth: usize,
    /// Index into `ReportData::cycles`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle: Option<usize>,
    pub findings: SeverityCounts,
    /// Independent clusters of 2+ resources, largest first.
    pub clusters: Vec<Cluster>,
    /// Resources that reference no other resource of the stack.
    pub loose_resources: usize,
    /// Outputs declared, or read by other stacks, with their readers.
    pub outputs: Vec<OutputRow>,
    /// What this stack reads from others.
    pub reads: Vec<ReadRow>,
    pub depends_on: Vec<String>,
    pub used_by: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<StackChanges>,
}

impl StackRow {
    /// Two or more clusters of `CLUSTER_MIN`+ resources: the stack could be split.
    pub fn split_candidates(&self) -> usize {
        let big = self
            .clusters
            .iter()
            .filter(|c| c.resources >= facts::CLUSTER_MIN)
            .count();
        if big >= 2 {
            big
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EdgeRow {
    pub from: String,
    pub to: String,
    pub mechanism: Mechanism,
    pub outputs: Vec<String>,
    pub file: String,
    pub line: u32,
    /// Both ends are in one dependency cycle.
    pub in_cycle: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnresolvedRow {
    pub from: String,
    pub mechanism: Mechanism,
    pub file: String,
    pub line: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleGroup {
    pub rule: RuleId,
    pub category: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// "Why it matters" from the rule's documentation page (Markdown).
    pub why: String,
    /// "Fix" from the rule's documentation page (Markdown).
    pub fix: String,
    pub counts: SeverityCounts,
    pub findings: Vec<FindingRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub file: String,
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    /// Line number of `lines[0]`.
    pub first_line: u32,
    pub lines: Vec<String>,
    /// The lines the finding points at (inclusive).
    pub mark_from: u32,
    pub mark_to: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub anchor: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Excerpt>,
}

/// Inputs of [`gather`] besides the analysis.
pub struct GatherOptions {
    pub root_name: String,
    pub generated: String,
    pub history: History,
}

/// The `generated` line: fixed, plus a date only when `SOURCE_DATE_EPOCH` is set.
pub fn generated_line() -> String {
    let base = format!("stacklint {}", env!("CARGO_PKG_VERSION"));
    match std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        Some(t) => format!("{base} on {}", history::date(t)),
        None => base,
    }
}

/// The scanned directory's display name.
pub fn root_name(root: &Path) -> String {
    std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn backend_summary(s: &crate::model::Stack) -> Option<String> {
    let b = s.backend.as_ref()?;
    let mut parts = vec![b.kind.clone()];
    for k in ["bucket", "key", "prefix", "organization", "path"] {
        if let Some(v) = b.config.get(k) {
            parts.push(format!("{k}={v}"));
        }
    }
    Some(parts.join(" "))
}

/// The stack a finding belongs to: its own, else the stack owning its file.
fn finding_stack(ws: &Workspace, f: &Finding) -> Option<usize> {
    f.stack.or_else(|| ws.stack_of_file(ws.path(f.loc.file)))
}

/// Builds the report data. `findings` must be sorted (`check::sort`).
pub fn gather(
    a: &Analysis,
    findings: &[Finding],
    config: &crate::config::Config,
    opts: GatherOptions,
) -> ReportData {
    let ws = &a.ws;
    let g = &a.graph;
    let arch = crate::profile::Facts::compute(ws, g, config);
    let n = ws.stacks.len();
    let sources = SourceCache::new(ws);

    // Findings per stack.
    let mut per_stack = vec![SeverityCounts::default(); n];
    for f in findings {
        if let Some(s) = finding_stack(ws, f) {
            per_stack[s].add(f.severity);
        }
    }

    // Outputs read per provider, and reads per consumer.
    let mut read_by: Vec<BTreeMap<String, BTreeSet<String>>> = vec![BTreeMap::new(); n];
    let mut reads: Vec<Vec<ReadRow>> = vec![Vec::new(); n];
    for e in &a.links.edges {
        for o in &e.outputs {
            read_by[e.to]
                .entry(o.clone())
                .or_default()
                .insert(ws.stacks[e.from].id.clone());
        }
        reads[e.from].push(ReadRow {
            from: ws.stacks[e.to].id.clone(),
            mechanism: e.mechanism,
            outputs: e.outputs.to_vec(),
        });
    }

    let stacks: Vec<StackRow> = ws
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = &g.metrics[i];
            let profile = arch.profiles.stacks.get(i);
            let domains = facts::domains(profile);
            let patterns = facts::patterns(&arch, i);
            let all_clusters = facts::clusters(ws, i, profile);
            let loose = all_clusters.iter().filter(|c| c.resources == 1).count();
            let clusters = all_clusters
                .into_iter()
                .filter(|c| c.resources >= 2)
                .collect();
            let mut outputs: BTreeMap<String, OutputRow> = s
                .outputs
                .iter()
                .map(|o| {
                    (
                        o.name.to_string(),
                        OutputRow {
                            name: o.name.to_string(),
                            read_by: Vec::new(),
                            declared: true,
                        },
                    )
                })
                .collect();
            for (name, by) in std::mem::take(&mut read_by[i]) {
                let row = outputs.entry(name.clone()).or_insert(OutputRow {
                    name,
                    read_by: Vec::new(),
                    // Terragrunt units and remote code declare outputs we cannot see.
                    declared: s.code_dir.is_none(),
                });
                row.read_by = by.into_iter().collect();
            }
            StackRow {
                id: s.id.clone(),
                kind: s.kind.as_str(),
                code_dir: s.code_dir.clone().filter(|d| *d != s.dir),
                remote_source: s.remote_source.clone(),
                patterns,
                resources: s.resources.len(),
                data_sources: s.data.len(),
                module_calls: s.module_calls.len(),
                domains,
                instances: s.instance_count(),
                instance_names: s.instances.iter().map(|x| x.name.clone()).collect(),
                workspaces: s.uses_workspaces,
                backend: backend_summary(s),
                ca: m.ca,
                ce: m.ce,
                instability: round2(m.instability),
                depth: m.depth,
                cycle: m.cycle,
                findings: std::mem::take(&mut per_stack[i]),
                clusters,
                loose_resources: loose,
                outputs: outputs.into_values().collect(),
                reads: std::mem::take(&mut reads[i]),
                depends_on: g.depends_on[i]
                    .iter()
                    .map(|x| ws.stacks[*x].id.clone())
                    .collect(),
                used_by: g.depended_on_by[i]
                    .iter()
                    .map(|x| ws.stacks[*x].id.clone())
                    .collect(),
                history: opts.history.stacks.get(&s.id).cloned(),
            }
        })
        .collect();

    let edges: Vec<EdgeRow> = a
        .links
        .edges
        .iter()
        .map(|e| EdgeRow {
            from: ws.stacks[e.from].id.clone(),
            to: ws.stacks[e.to].id.clone(),
            mechanism: e.mechanism,
            outputs: e.outputs.to_vec(),
            file: ws.path(e.loc.file).to_string(),
            line: ws.line_of(e.loc),
            in_cycle: g.metrics[e.from].cycle.is_some()
                && g.metrics[e.from].cycle == g.metrics[e.to].cycle,
        })
        .collect();
    let unresolved = a
        .links
        .unresolved
        .iter()
        .map(|u| UnresolvedRow {
            from: ws.stacks[u.from].id.clone(),
            mechanism: u.mechanism,
            file: ws.path(u.loc.file).to_string(),
            line: ws.line_of(u.loc),
            reason: u.reason.clone(),
        })
        .collect();
    let cycles: Vec<Vec<String>> = g
        .cycles
        .iter()
        .map(|c| c.iter().map(|i| ws.stacks[*i].id.clone()).collect())
        .collect();
    let copy_paste_groups = facts::copy_paste_groups(ws, config);

    // Findings by rule, each with an anchor in global order.
    let anchors: Vec<String> = (0..findings.len()).map(|i| format!("f{}", i + 1)).collect();
    let mut groups: BTreeMap<RuleId, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        groups.entry(f.rule).or_default().push(i);
    }
    let mut rule_groups: Vec<RuleGroup> = groups
        .into_iter()
        .map(|(rule, idx)| {
            let meta = rules::meta_of(rule);
            let doc = rules::doc(rule).unwrap_or("");
            let mut counts = SeverityCounts::default();
            let rows = idx
                .iter()
                .map(|i| {
                    let f = &findings[*i];
                    counts.add(f.severity);
                    finding_row(ws, &sources, f, anchors[*i].clone())
                })
                .collect();
            RuleGroup {
                rule,
                category: meta.map(|m| m.category.as_str()).unwrap_or(""),
                default_severity: meta.map(|m| m.default_severity).unwrap_or(Severity::Note),
                summary: meta.map(|m| m.summary).unwrap_or(""),
                why: doc_section(doc, "Why it matters"),
                fix: doc_section(doc, "Fix"),
                counts,
                findings: rows,
            }
        })
        .collect();
    rule_groups.sort_by(|a, b| {
        b.counts
            .worst()
            .cmp(&a.counts.worst())
            .then_with(|| b.counts.total().cmp(&a.counts.total()))
            .then_with(|| a.rule.as_str().cmp(b.rule.as_str()))
    });

    // The three highest-impact findings.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    let impact = |i: usize| {
        let f = &findings[i];
        let s = finding_stack(ws, f);
        (
            f.severity,
            s.map(|s| g.metrics[s].ca).unwrap_or(0),
            s.map(|s| ws.stacks[s].resources.len()).unwrap_or(0),
        )
    };
    order.sort_by(|a, b| impact(*b).cmp(&impact(*a)).then(a.cmp(b)));
    let top_findings: Vec<TopFinding> = order
        .iter()
        .take(3)
        .map(|i| {
            let f = &findings[*i];
            TopFinding {
                rule: f.rule.as_str().to_string(),
                severity: f.severity,
                stack: finding_stack(ws, f).map(|s| ws.stacks[s].id.clone()),
                file: ws.path(f.loc.file).to_string(),
                line: ws.line_of(f.loc),
                message: f.message.to_string(),
                anchor: anchors[*i].clone(),
            }
        })
        .collect();

    let mut severity = SeverityCounts::default();
    for f in findings {
        severity.add(f.severity);
    }
    let mut by_mech: BTreeMap<String, usize> = BTreeMap::new();
    for e in &a.links.edges {
        *by_mech.entry(e.mechanism.as_str().to_string()).or_default() += 1;
    }
    let mut patterns: BTreeMap<String, usize> = BTreeMap::new();
    for s in &stacks {
        for p in &s.patterns {
            *patterns.entry(p.as_str().to_string()).or_default() += 1;
        }
    }
    let mut summary = Summary {
        files: ws.files.len(),
        stacks: n,
        resources: stacks.iter().map(|s| s.resources).sum(),
        instances: stacks.iter().map(|s| s.instances).sum(),
        modules: ws.modules.len(),
        edges: edges.len(),
        edges_by_mechanism: by_mech,
        unresolved: a.links.unresolved.len(),
        cycles: cycles.len(),
        findings: severity,
        patterns,
        copy_paste_groups: copy_paste_groups.len(),
        top_findings,
        verdict: String::new(),
    };
    summary.verdict = verdict(
        &summary,
        &stacks,
        &cycles,
        &copy_paste_groups,
        &opts.history,
    );

    ReportData {
        version: 1,
        root: opts.root_name,
        generated: opts.generated,
        summary,
        stacks,
        edges,
        unresolved,
        cycles,
        copy_paste_groups,
        rules: rule_groups,
        history: opts.history,
        sources: facts::SOURCES
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

fn finding_row(ws: &Workspace, sources: &SourceCache, f: &Finding, anchor: String) -> FindingRow {
    let (start, end) = sources.range(ws, f.loc);
    FindingRow {
        anchor,
        severity: f.severity,
        stack: finding_stack(ws, f).map(|s| ws.stacks[s].id.clone()),
        file: ws.path(f.loc.file).to_string(),
        line: start.line,
        column: start.column,
        message: f.message.to_string(),
        help: f.help.as_deref().map(str::to_string),
        related: f
            .related
            .iter()
            .map(|r| Related {
                file: ws.path(r.loc.file).to_string(),
                line: ws.line_of(r.loc),
                message: r.message.to_string(),
            })
            .collect(),
        excerpt: excerpt(ws, sources, f.loc.file, start.line, end.line),
    }
}

/// Longest excerpt shown, in lines, and longest line, in characters.
const EXCERPT_LINES: u32 = 8;
const EXCERPT_WIDTH: usize = 160;

fn excerpt(
    ws: &Workspace,
    sources: &SourceCache,
    file: crate::source::FileId,
    from: u32,
    to: u32,
) -> Option<Excerpt> {
    let text = sources.text(ws, file)?;
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() || from == 0 {
        return None;
    }
    let last = lines.len() as u32;
    let mark_from = from.min(last);
    let mark_to = to.clamp(mark_from, last).min(mark_from + EXCERPT_LINES - 2);
    let first = mark_from.saturating_sub(1).max(1);
    let end = (mark_to + 1).min(last);
    let shown = (first..=end)
        .filter_map(|l| lines.get(l as usize - 1))
        .map(|l| {
            let l = l.trim_end();
            if l.chars().count() > EXCERPT_WIDTH {
                let cut: String = l.chars().take(EXCERPT_WIDTH).collect();
                format!("{cut}…")
            } else {
                l.to_string()
            }
        })
        .collect();
    Some(Excerpt {
        first_line: first,
        lines: shown,
        mark_from,
        mark_to,
    })
}

/// The text of a `## title` section of a rule page, trimmed.
pub fn doc_section(doc: &str, title: &str) -> String {
    let head = format!("## {title}");
    let mut out = Vec::new();
    let mut inside = false;
    let mut fence = false;
    for line in doc.lines() {
        if !fence && line.starts_with("## ") {
            if inside {
                break;
            }
            inside = line.trim_end() == head;
            continue;
        }
        if line.trim_start().starts_with("```") {
            fence = !fence;
        }
        if inside {
            out.push(line);
        }
    }
    out.join("\n").trim().to_string()
}

fn pct(part: usize, whole: usize) -> usize {
    if whole == 0 {
        0
    } else {
        ((part as f64 * 100.0) / whole as f64).round() as usize
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One paragraph that says what the tree looks like, most important first.
fn verdict(
    s: &Summary,
    stacks: &[StackRow],
    cycles: &[Vec<String>],
    copies: &[CopyPasteGroup],
    history: &History,
) -> String {
    if s.stacks == 0 {
        return "No stacks found: the tree has no Terraform root module, Terragrunt unit or \
                Terramate stack."
            .to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let monoliths: Vec<&StackRow> = stacks
        .iter()
        .filter(|r| r.patterns.contains(&Pattern::Monolithic))
        .collect();
    if !monoliths.is_empty() {
        let held: usize = monoliths.iter().map(|m| m.resources).sum();
        parts.push(format!(
            "{} {} {}% of resources",
            plural(monoliths.len(), "monolith", "monoliths"),
            if monoliths.len() == 1 {
                "holds"
            } else {
                "hold"
            },
            pct(held, s.resources)
        ));
    } else if let Some(big) = stacks
        .iter()
        .max_by(|a, b| a.resources.cmp(&b.resources).then(b.id.cmp(&a.id)))
        .filter(|b| b.resources > 0 && s.stacks >= 3)
    {
        parts.push(format!(
            "no monolith (the largest stack, {}, holds {}% of resources)",
            big.id,
            pct(big.resources, s.resources)
        ));
    }
    parts.push(match cycles.len() {
        0 => "no dependency cycle".to_string(),
        1 => format!(
            "1 dependency cycle ({})",
            match cycles.first().map(Vec::as_slice) {
                Some([a, b]) => format!("{a} ↔ {b}"),
                Some([init @ .., last]) => format!("among {} and {last}", init.join(", ")),
                _ => String::new(),
            }
        ),
        k => format!("{k} dependency cycles"),
    });
    if !copies.is_empty() {
        let in_groups: usize = copies.iter().map(|c| c.stacks.len()).sum();
        parts.push(format!(
            "{} ({} stacks)",
            plural(copies.len(), "copy-paste group", "copy-paste groups"),
            in_groups
        ));
    }
    if let Some(hub) = stacks
        .iter()
        .filter(|r| r.ca >= 2)
        .max_by(|a, b| a.ca.cmp(&b.ca).then(b.id.cmp(&a.id)))
    {
        parts.push(format!(
            "the most shared provider is {} ({} consumers)",
            hub.id, hub.ca
        ));
    }
    let splits = stacks.iter().filter(|r| r.split_candidates() > 0).count();
    if splits > 0 {
        parts.push(format!(
            "{} independent clusters (split candidates)",
            plural(splits, "stack has", "stacks have")
        ));
    }
    if history.available {
        if let Some((id, c)) = history
            .stacks
            .iter()
            .max_by(|a, b| a.1.authors.cmp(&b.1.authors).then(b.0.cmp(a.0)))
            .filter(|(_, c)| c.authors >= 3)
        {
            parts.push(format!(
                "{id} was changed by {} in {} days",
                plural(c.authors, "author", "authors"),
                history.days
            ));
        }
        if !history.co_changes.is_empty() {
            parts.push(format!(
                "{} usually change together",
                plural(history.co_change_pairs, "pair of stacks", "pairs of stacks")
            ));
        }
    }
    let mut text = format!(
        "{} with {} and {}: ",
        plural(s.stacks, "stack", "stacks"),
        plural(s.resources, "resource", "resources"),
        plural(s.edges, "cross-stack edge", "cross-stack edges"),
    );
    text.push_str(&parts.join("; "));
    text.push_str(". ");
    let f = &s.findings;
    if f.total() == 0 {
        text.push_str("No findings.");
    } else {
        text.push_str(&format!(
            "{}: {}, {}, {}.",
            plural(f.total(), "finding", "findings"),
            plural(f.error, "error", "errors"),
            plural(f.warning, "warning", "warnings"),
            plural(f.note, "note", "notes")
        ));
    }
    text
}

/// Analyses, lints and gathers a directory (the library entry point tests use).
pub fn build(root: &Path, history_days: Option<u32>) -> Result<ReportData> {
    let (analysis, findings) = check::lint_dir(root, &Selection::default(), None)?;
    let config = crate::config::load(&crate::cli::ScanArgs::default(), root)?;
    let history = match history_days {
        Some(d) => history::collect(&analysis.ws, root, d),
        None => History::unavailable(0, "history was not read (--no-history)"),
    };
    Ok(gather(
        &analysis,
        &findings,
        &config,
        GatherOptions {
            root_name: root_name(root),
            generated: generated_line(),
            history,
        },
    ))
}

/// Renders report data in a format.
pub fn render(data: &ReportData, format: ReportFormat) -> String {
    match format {
        ReportFormat::Html => html::render(data),
        ReportFormat::Markdown => markdown::render(data),
        ReportFormat::Json => json::render(data),
    }
}

pub fn run(args: ReportArgs) -> Result<i32> {
    let target = app::resolve_target(&args.scan.paths)?;
    let config = crate::config::load(&args.scan, &target.root)?;
    let opts = app::scan_options(&args.scan, target.root.clone(), &config.exclude);
    let progress = progress::Progress::start();
    let (analysis, mut findings, errors) =
        pipeline::with_pool(args.scan.jobs, || -> Result<_> {
            let analysis = pipeline::analyze_observed(&opts, &|stage, what| {
                progress.stage(stage, what);
            })?;
            progress.message("running rules");
            let (findings, errors) = check::lint(&analysis, &config, &Selection::default());
            Ok((analysis, findings, errors))
        })??;
    if args.scan.timings {
        eprint!("{}", analysis.timings.render());
    }
    check::sort(&analysis.ws, &mut findings);
    let history = if args.no_history {
        History::unavailable(args.history_days, "history was not read (--no-history)")
    } else {
        progress.message("reading git history");
        history::collect(&analysis.ws, &target.root, args.history_days)
    };
    progress.message("summarising stacks, clusters and findings");
    let data = gather(
        &analysis,
        &findings,
        &config,
        GatherOptions {
            root_name: root_name(&target.root),
            generated: generated_line(),
            history,
        },
    );
    progress.message("writing the report");
    let text = render(&data, args.format);
    progress.finish();
    let output = match (&args.scan.output, args.format) {
        (Some(p), _) => Some(p.clone()),
        (None, ReportFormat::Html) => Some(DEFAULT_HTML_OUTPUT.into()),
        (None, _) => None,
    };
    app::write_out(output.as_deref(), &text)?;
    if let Some(p) = output.as_deref().filter(|p| *p != Path::new("-")) {
        eprintln!(
            "stacklint: wrote {} ({}, {}, {})",
            p.display(),
            plural(data.summary.stacks, "stack", "stacks"),
            plural(data.summary.edges, "edge", "edges"),
            plural(data.summary.findings.total(), "finding", "findings"),
        );
    }
    for e in &errors {
        eprintln!("stacklint: {e}");
    }
    Ok(if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}
