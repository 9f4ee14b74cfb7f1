//! `--format markdown`: the report as a pull-request comment: summary, verdict, top
//! findings, the stack table, findings by rule (collapsed), a Mermaid graph for small
//! trees and the change history. Long lists are cut, saying how much was left out.

use super::history::History;
use super::{ReportData, SeverityCounts, StackRow};
use crate::link::Mechanism;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Most stack rows in the table.
pub const MAX_STACK_ROWS: usize = 60;
/// Most findings listed per rule.
pub const MAX_FINDINGS_PER_RULE: usize = 10;
/// Largest tree that gets a Mermaid graph.
pub const MERMAID_MAX_STACKS: usize = 40;
/// Most copy-paste groups listed, and stacks per group.
pub const MAX_GROUPS: usize = 10;
pub const MAX_GROUP_MEMBERS: usize = 4;
/// Most split candidates listed.
pub const MAX_SPLITS: usize = 20;
/// Most history rows (stacks, pairs).
pub const MAX_HISTORY_ROWS: usize = 10;

/// Table cell text: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn counts_text(c: &SeverityCounts) -> String {
    if c.total() == 0 {
        return "0".to_string();
    }
    let mut parts = Vec::new();
    if c.error > 0 {
        parts.push(format!("{} E", c.error));
    }
    if c.warning > 0 {
        parts.push(format!("{} W", c.warning));
    }
    if c.note > 0 {
        parts.push(format!("{} N", c.note));
    }
    parts.join(" ")
}

fn severities_long(c: &SeverityCounts) -> String {
    let p = |n: usize, w: &str| {
        if n == 1 {
            format!("1 {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{} · {} · {}",
        p(c.error, "error"),
        p(c.warning, "warning"),
        p(c.note, "note")
    )
}

fn domains_text(s: &StackRow) -> String {
    let named: Vec<String> = s
        .domains
        .iter()
        .take(3)
        .map(|d| format!("{} {}", d.domain, d.resources))
        .collect();
    let more = s.domains.len().saturating_sub(3);
    if named.is_empty() {
        "-".to_string()
    } else if more > 0 {
        format!("{} +{more}", named.join(", "))
    } else {
        named.join(", ")
    }
}

pub fn render(d: &ReportData) -> String {
    let mut out = String::new();
    let s = &d.summary;
    let _ = writeln!(out, "## stacklint report: `{}`\n", d.root);
    let _ = writeln!(out, "> {}\n", s.verdict);
    let mechs: Vec<String> = s
        .edges_by_mechanism
        .iter()
        .map(|(m, c)| format!("{m} {c}"))
        .collect();
    let _ = writeln!(
        out,
        "| stacks | resources | instances | cross-stack edges | cycles | findings |\n|---:|---:|---:|---|---:|---|"
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {}{} | {} | {} |\n",
        s.stacks,
        s.resources,
        s.instances,
        s.edges,
        if mechs.is_empty() {
            String::new()
        } else {
            format!(" ({})", mechs.join(", "))
        },
        s.cycles,
        severities_long(&s.findings)
    );
    if !s.top_findings.is_empty() {
        out.push_str("**Highest-impact findings**\n\n");
        for (i, f) in s.top_findings.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **{}** `{}` in `{}` ({}:{}): {}",
                i + 1,
                f.severity.as_str(),
                f.rule,
                f.stack.as_deref().unwrap_or("-"),
                f.file,
                f.line,
                cell(&f.message)
            );
        }
        out.push('\n');
    }

    // Stacks.
    let _ = writeln!(out, "### Stacks\n");
    let mut rows: Vec<&StackRow> = d.stacks.iter().collect();
    let cut = rows.len() > MAX_STACK_ROWS;
    if cut {
        rows.sort_by(|a, b| {
            b.findings
                .total()
                .cmp(&a.findings.total())
                .then(b.resources.cmp(&a.resources))
                .then(a.id.cmp(&b.id))
        });
        rows.truncate(MAX_STACK_ROWS);
        rows.sort_by(|a, b| a.id.cmp(&b.id));
    }
    if rows.is_empty() {
        out.push_str("No stacks found.\n\n");
    } else {
        out.push_str(
            "| stack | kind | patterns | res | domains | inst | Ca | Ce | I | depth | findings |\n",
        );
        out.push_str("|---|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        for r in &rows {
            let patterns: Vec<&str> = r.patterns.iter().map(|p| p.as_str()).collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {:.2} | {}{} | {} |",
                cell(&r.id),
                r.kind,
                if patterns.is_empty() {
                    "-".to_string()
                } else {
                    patterns.join(", ")
                },
                r.resources,
                domains_text(r),
                r.instances,
                r.ca,
                r.ce,
                r.instability,
                r.depth,
                if r.cycle.is_some() { " ↻" } else { "" },
                counts_text(&r.findings)
            );
        }
        if cut {
            let _ = writeln!(
                out,
                "\n_{} of {} stacks shown (most findings and resources first); the HTML and JSON reports list all._",
                rows.len(),
                d.stacks.len()
            );
        }
        out.push('\n');
    }
    let splits: Vec<&StackRow> = d
        .stacks
        .iter()
        .filter(|r| r.split_candidates() > 0)
        .collect();
    if !splits.is_empty() {
        out.push_str("**Split candidates** (independent clusters of 5+ resources): ");
        let list: Vec<String> = splits
            .iter()
            .take(MAX_SPLITS)
            .map(|r| {
                let sizes: Vec<String> = r
                    .clusters
                    .iter()
                    .filter(|c| c.resources >= super::facts::CLUSTER_MIN)
                    .map(|c| c.resources.to_string())
                    .collect();
                format!("`{}` ({})", r.id, sizes.join(" + "))
            })
            .collect();
        out.push_str(&list.join(", "));
        if splits.len() > MAX_SPLITS {
            let _ = write!(out, " and {} more", splits.len() - MAX_SPLITS);
        }
        out.push_str("\n\n");
    }
    if !d.copy_paste_groups.is_empty() {
        out.push_str("**Copy-paste groups**: ");
        let mut list: Vec<String> = d
            .copy_paste_groups
            .iter()
            .take(MAX_GROUPS)
            .map(|g| {
                let mut ids: Vec<String> = g
                    .stacks
                    .iter()
                    .take(MAX_GROUP_MEMBERS)
                    .map(|s| format!("`{s}`"))
                    .collect();
                if g.stacks.len() > MAX_GROUP_MEMBERS {
                    ids.push(format!("{} more", g.stacks.len() - MAX_GROUP_MEMBERS));
                }
                ids.join(" = ")
            })
            .collect();
        if d.copy_paste_groups.len() > MAX_GROUPS {
            list.push(format!(
                "{} more groups",
                d.copy_paste_groups.len() - MAX_GROUPS
            ));
        }
        out.push_str(&list.join("; "));
        out.push_str("\n\n");
    }

    // Findings.
    let _ = writeln!(out, "### Findings\n");
    if d.rules.is_empty() {
        out.push_str("No findings.\n\n");
    }
    for g in &d.rules {
        let _ = writeln!(
            out,
            "<details><summary><b>{}</b> ({}): {}</summary>\n",
            g.rule.as_str(),
            counts_text(&g.counts)
                .replace(" E", " error")
                .replace(" W", " warning")
                .replace(" N", " note"),
            g.summary
        );
        if let Some(first) = g.fix.split("\n\n").next().filter(|f| !f.is_empty()) {
            let _ = writeln!(out, "_Fix_: {}\n", first.replace('\n', " "));
        }
        for f in g.findings.iter().take(MAX_FINDINGS_PER_RULE) {
            let _ = write!(
                out,
                "- **{}** `{}:{}`: {}",
                f.severity.as_str(),
                f.file,
                f.line,
                f.message.replace('\n', " ")
            );
            if let Some(h) = &f.help {
                let end = if f.message.ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                };
                let _ = write!(out, "{end} Fix: {}", h.replace('\n', " "));
            }
            out.push('\n');
        }
        if g.findings.len() > MAX_FINDINGS_PER_RULE {
            let _ = writeln!(
                out,
                "- … and {} more",
                g.findings.len() - MAX_FINDINGS_PER_RULE
            );
        }
        out.push_str("\n</details>\n\n");
    }

    // Graph.
    if !d.stacks.is_empty() && d.stacks.len() <= MERMAID_MAX_STACKS && !d.edges.is_empty() {
        out.push_str(
            "<details><summary>Dependency graph (consumers above providers)</summary>\n\n",
        );
        out.push_str("```mermaid\n");
        out.push_str(&mermaid(d));
        out.push_str("```\n\n</details>\n\n");
    }

    history_md(&mut out, &d.history);
    let _ = writeln!(out, "<sub>Generated by {}.</sub>", d.generated);
    out
}

/// A Mermaid flowchart of the stacks (top to bottom: providers below consumers), with
/// cycle members outlined.
pub fn mermaid(d: &ReportData) -> String {
    let mut out = String::from("flowchart TB\n");
    let index: BTreeMap<&str, usize> = d
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    for (i, s) in d.stacks.iter().enumerate() {
        let _ = writeln!(
            out,
            "  s{i}[\"{}<br/>{} · {} res\"]",
            s.id.replace('"', "#quot;"),
            s.kind,
            s.resources
        );
    }
    for e in &d.edges {
        let (Some(a), Some(b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            continue;
        };
        let arrow = match e.mechanism {
            Mechanism::TerragruntOrder | Mechanism::TerramateOrder => "-.->",
            _ => "-->",
        };
        let label = if e.outputs.is_empty() {
            e.mechanism.as_str().to_string()
        } else {
            format!("{} ({})", e.mechanism.as_str(), e.outputs.len())
        };
        let _ = writeln!(out, "  s{a} {arrow}|\"{label}\"| s{b}");
    }
    let in_cycle: Vec<String> = d
        .stacks
        .iter()
        .enumerate()
        .filter(|(_, s)| s.cycle.is_some())
        .map(|(i, _)| format!("s{i}"))
        .collect();
    if !in_cycle.is_empty() {
        out.push_str("  classDef cycle stroke:#c0392b,stroke-width:3px\n");
        let _ = writeln!(out, "  class {} cycle", in_cycle.join(","));
    }
    out
}

fn history_md(out: &mut String, h: &History) {
    out.push_str("### Change history\n\n");
    if !h.available {
        let _ = writeln!(
            out,
            "_Not available: {}._\n",
            h.reason.as_deref().unwrap_or("unknown reason")
        );
        return;
    }
    let _ = writeln!(
        out,
        "{} commit{} by {} author{} touched stacks in the {} days up to {}.\n",
        h.commits,
        if h.commits == 1 { "" } else { "s" },
        h.authors,
        if h.authors == 1 { "" } else { "s" },
        h.days,
        h.to.as_deref().unwrap_or("the last commit")
    );
    if h.stacks.is_empty() {
        return;
    }
    let mut most: Vec<(&String, &super::history::StackChanges)> = h.stacks.iter().collect();
    most.sort_by(|a, b| {
        b.1.commits
            .cmp(&a.1.commits)
            .then(b.1.authors.cmp(&a.1.authors))
            .then(a.0.cmp(b.0))
    });
    out.push_str("| most changed stack | commits | authors |\n|---|---:|---:|\n");
    for (id, c) in most.iter().take(MAX_HISTORY_ROWS) {
        let _ = writeln!(out, "| `{}` | {} | {} |", cell(id), c.commits, c.authors);
    }
    out.push('\n');
    if h.co_changes.is_empty() {
        out.push_str("No pair of stacks changes together in most of its commits.\n\n");
    } else {
        out.push_str(
            "| changed together | together | commits (each) | coupling |\n|---|---:|---|---:|\n",
        );
        for c in h.co_changes.iter().take(MAX_HISTORY_ROWS) {
            let _ = writeln!(
                out,
                "| `{}` + `{}` | {} | {} / {} | {:.0}% |",
                cell(&c.a),
                cell(&c.b),
                c.together,
                c.a_commits,
                c.b_commits,
                c.degree * 100.0
            );
        }
        if h.co_change_pairs > MAX_HISTORY_ROWS {
            let _ = writeln!(
                out,
                "\n_{} more pairs in the HTML and JSON reports._",
                h.co_change_pairs - MAX_HISTORY_ROWS
            );
        }
        out.push('\n');
    }
}
