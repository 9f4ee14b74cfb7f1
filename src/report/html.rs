//! `--format html`: one self-contained page (inline CSS, inline SVG, a few lines of
//! inline JavaScript for table sorting and printing; nothing is fetched), readable in
//! light and dark mode and printable.

use super::facts::Pattern;
use super::history::History;
use super::mdlite;
use super::svg::{self, esc};
use super::{ReportData, SeverityCounts, StackRow};
use crate::link::Mechanism;
use crate::rules::Severity;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Most findings shown per rule (the JSON report has all).
pub const MAX_FINDINGS_PER_RULE: usize = 200;
/// Graphs are not scaled below this share of their natural size (they scroll instead).
const MIN_GRAPH_SCALE: f64 = 0.7;

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Domains in legend order, each with a colour class `d-<domain>`.
const DOMAINS: &[&str] = &[
    "network",
    "compute",
    "container",
    "serverless",
    "database",
    "storage",
    "cache",
    "messaging",
    "dns",
    "cdn",
    "identity",
    "security",
    "observability",
    "analytics",
    "other",
];

fn domain_class(d: &str) -> String {
    if DOMAINS.contains(&d) {
        format!("d-{d}")
    } else {
        "d-other".to_string()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn sev_chip(s: Severity) -> String {
    format!(r#"<span class="sev sev-{0}">{0}</span>"#, s.as_str())
}

fn counts_chips(c: &SeverityCounts) -> String {
    let mut out = String::new();
    for (n, s) in [
        (c.error, Severity::Error),
        (c.warning, Severity::Warning),
        (c.note, Severity::Note),
    ] {
        if n > 0 {
            let _ = write!(
                out,
                r#"<span class="cnt sev-{}" title="{n} {}">{n}</span>"#,
                s.as_str(),
                s.as_str()
            );
        }
    }
    if out.is_empty() {
        out.push_str(r#"<span class="muted">0</span>"#);
    }
    out
}

fn pattern_chips(ps: &[Pattern]) -> String {
    if ps.is_empty() {
        return r#"<span class="muted">–</span>"#.to_string();
    }
    ps.iter()
        .map(|p| {
            format!(
                r#"<span class="pat {}" title="{}">{}</span>"#,
                svg::pattern_class(Some(*p)),
                esc(p.meaning()),
                p.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A horizontal bar of resources per domain.
fn domain_bar(s: &StackRow, wide: bool) -> String {
    let total: usize = s.domains.iter().map(|d| d.resources).sum();
    if total == 0 {
        return r#"<span class="muted">no resources</span>"#.to_string();
    }
    let title: Vec<String> = s
        .domains
        .iter()
        .map(|d| format!("{} {}", d.domain, d.resources))
        .collect();
    let mut out = format!(
        r#"<span class="dbar{}" title="{}">"#,
        if wide { " wide" } else { "" },
        esc(&title.join(" · "))
    );
    for d in &s.domains {
        let _ = write!(
            out,
            r#"<span class="{}" style="flex-grow:{}"></span>"#,
            domain_class(&d.domain),
            d.resources
        );
    }
    out.push_str("</span>");
    out
}

/// Links to at most `LIST_MAX` stacks, then "and N more".
const LIST_MAX: usize = 12;

fn stack_links<'a>(index: &BTreeMap<&str, usize>, ids: impl Iterator<Item = &'a String>) -> String {
    let all: Vec<&String> = ids.collect();
    let mut parts: Vec<String> = all
        .iter()
        .take(LIST_MAX)
        .map(|id| stack_link(index, id))
        .collect();
    if all.len() > LIST_MAX {
        parts.push(format!("and {} more", all.len() - LIST_MAX));
    }
    parts.join(", ")
}

fn stack_link(index: &BTreeMap<&str, usize>, id: &str) -> String {
    match index.get(id) {
        Some(i) => format!(r##"<a href="#s{i}"><code>{}</code></a>"##, esc(id)),
        None => format!("<code>{}</code>", esc(id)),
    }
}

pub fn render(d: &ReportData) -> String {
    let index: BTreeMap<&str, usize> = d
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="{gen}">
<title>Stack architecture review: {root}</title>
<style>
{CSS}</style>
</head>
<body>
<header class="top">
<div class="wrap">
<p class="kicker">Stack architecture review</p>
<h1><code>{root}</code></h1>
<nav aria-label="Sections"><a href="#summary">Summary</a><a href="#graph">Graph</a><a href="#stacks">Stacks</a><a href="#details">Stack details</a><a href="#findings">Findings</a><a href="#history">Change history</a></nav>
</div>
</header>
<main class="wrap">
"##,
        gen = esc(&d.generated),
        root = esc(&d.root)
    );
    summary(&mut h, d, &index);
    graph(&mut h, d);
    table(&mut h, d);
    details(&mut h, d, &index);
    findings(&mut h, d, &index);
    history(&mut h, &d.history, &index);
    footer(&mut h, d);
    let _ = write!(h, "</main>\n<script>\n{JS}</script>\n</body>\n</html>\n");
    h
}

fn summary(h: &mut String, d: &ReportData, index: &BTreeMap<&str, usize>) {
    let s = &d.summary;
    h.push_str(r#"<section id="summary"><h2>Summary</h2>"#);
    let _ = write!(h, r#"<p class="verdict">{}</p>"#, esc(&s.verdict));
    h.push_str(r#"<div class="cards">"#);
    let card = |h: &mut String, n: String, label: &str, extra: &str| {
        let _ = write!(
            h,
            r#"<div class="card{extra}"><div class="num">{n}</div><div class="lbl">{label}</div></div>"#
        );
    };
    card(h, s.stacks.to_string(), "stacks", "");
    card(h, s.resources.to_string(), "resources", "");
    card(h, s.instances.to_string(), "instances", "");
    card(h, s.edges.to_string(), "cross-stack edges", "");
    card(
        h,
        s.cycles.to_string(),
        "dependency cycles",
        if s.cycles > 0 { " bad" } else { "" },
    );
    card(
        h,
        s.findings.error.to_string(),
        "errors",
        if s.findings.error > 0 { " bad" } else { "" },
    );
    card(
        h,
        s.findings.warning.to_string(),
        "warnings",
        if s.findings.warning > 0 { " warn" } else { "" },
    );
    card(h, s.findings.note.to_string(), "notes", "");
    h.push_str("</div>");

    h.push_str(r#"<div class="cols">"#);
    // Edges by mechanism.
    h.push_str(r#"<div><h3>Edges by mechanism</h3>"#);
    if s.edges_by_mechanism.is_empty() {
        h.push_str(r#"<p class="muted">No cross-stack edges.</p>"#);
    } else {
        h.push_str(r#"<ul class="plain">"#);
        for (m, c) in &s.edges_by_mechanism {
            let mech = Mechanism::from_name(m);
            let _ = write!(
                h,
                r#"<li><svg class="key" width="34" height="10" aria-hidden="true"><line class="e {}" x1="1" y1="5" x2="33" y2="5"/></svg> <code>{}</code> <b>{c}</b> <span class="muted">{}</span></li>"#,
                mech.map(svg::mechanism_class).unwrap_or_default(),
                esc(m),
                mech.map(svg::mechanism_meaning).unwrap_or("")
            );
        }
        h.push_str("</ul>");
    }
    if s.unresolved > 0 {
        let _ = write!(
            h,
            r##"<p class="muted">{} could not be resolved to a stack (<a href="#unresolved">listed under the graph</a>).</p>"##,
            plural(s.unresolved, "reference", "references")
        );
    }
    h.push_str("</div>");
    // Patterns.
    h.push_str(r#"<div><h3>Patterns</h3>"#);
    if s.patterns.is_empty() {
        h.push_str(r#"<p class="muted">No stack matches a catalogue pattern.</p>"#);
    } else {
        h.push_str(r#"<ul class="plain">"#);
        for p in Pattern::ALL {
            if let Some(c) = s.patterns.get(p.as_str()) {
                let _ = write!(
                    h,
                    r#"<li>{} <b>{c}</b> <span class="muted">{}</span></li>"#,
                    pattern_chips(&[p]),
                    esc(p.meaning())
                );
            }
        }
        h.push_str("</ul>");
    }
    if s.copy_paste_groups > 0 {
        let _ = write!(
            h,
            r##"<p><a href="#copies">{}</a></p>"##,
            plural(s.copy_paste_groups, "copy-paste group", "copy-paste groups")
        );
    }
    h.push_str("</div></div>");

    h.push_str("<h3>Highest-impact findings</h3>");
    if s.top_findings.is_empty() {
        h.push_str(r#"<p class="muted">No findings.</p>"#);
    } else {
        h.push_str(r#"<ol class="top">"#);
        for f in &s.top_findings {
            let _ = write!(
                h,
                r##"<li>{} <a href="#{}"><b>{}</b></a>{} <span class="loc">{}:{}</span><br>{}</li>"##,
                sev_chip(f.severity),
                esc(&f.anchor),
                esc(&f.rule),
                f.stack
                    .as_deref()
                    .map(|s| format!(" in {}", stack_link(index, s)))
                    .unwrap_or_default(),
                esc(&f.file),
                f.line,
                esc(&f.message)
            );
        }
        h.push_str("</ol>");
    }
    h.push_str("</section>\n");
}

fn legend(h: &mut String, view: &svg::View, d: &ReportData) {
    h.push_str(r#"<div class="legend" aria-label="Legend">"#);
    let mut pats: BTreeSet<Option<Pattern>> = BTreeSet::new();
    for s in &d.stacks {
        pats.insert(s.patterns.first().copied());
    }
    h.push_str(r#"<span class="lg-h">Node colour</span>"#);
    for p in &pats {
        let (name, meaning) = match p {
            Some(p) => (p.as_str(), p.meaning()),
            None => ("no pattern", "matches no catalogue pattern"),
        };
        let _ = write!(
            h,
            r#"<span class="lg" title="{}"><i class="sw {}"></i>{}</span>"#,
            esc(meaning),
            svg::pattern_class(*p),
            name
        );
    }
    if view.grouped {
        h.push_str(
            r#"<span class="lg"><i class="sw grp"></i>directory group (bar: pattern mix)</span>"#,
        );
    }
    if !view.edges.is_empty() {
        h.push_str(r#"<span class="lg-h">Edge</span>"#);
    }
    let mechs: BTreeSet<Mechanism> = view.edges.iter().map(|e| e.mechanism).collect();
    for m in &mechs {
        let _ = write!(
            h,
            r#"<span class="lg" title="{}"><svg class="key" width="34" height="10" aria-hidden="true"><line class="e {}" x1="1" y1="5" x2="33" y2="5"/></svg>{}</span>"#,
            esc(svg::mechanism_meaning(*m)),
            svg::mechanism_class(*m),
            m.as_str()
        );
    }
    if view.edges.iter().any(|e| e.in_cycle) {
        h.push_str(r#"<span class="lg"><svg class="key" width="34" height="10" aria-hidden="true"><line class="e cyc" x1="1" y1="5" x2="33" y2="5"/></svg>in a cycle</span>"#);
    }
    if view.grouped {
        h.push_str(
            r#"<span class="lg">number: edges between the groups; line width grows with it</span>"#,
        );
    } else if !view.edges.is_empty() {
        h.push_str(r#"<span class="lg">number: outputs read</span>"#);
    }
    h.push_str(r#"<span class="lg-h">Badge</span><span class="lg"><i class="bd sev-error"></i>findings (colour: most severe)</span>"#);
    h.push_str(r#"<span class="lg">size: resources</span>"#);
    h.push_str(r#"<span class="lg">arrows point from consumer to provider; providers are drawn below</span>"#);
    h.push_str("</div>");
}

fn graph_block(h: &mut String, r: &svg::Rendered) {
    let _ = write!(
        h,
        r#"<div class="graph-wrap" style="--min-w:{:.0}px">{}</div>"#,
        (r.width * MIN_GRAPH_SCALE).min(r.width),
        r.svg
    );
}

fn graph(h: &mut String, d: &ReportData) {
    h.push_str(r#"<section id="graph"><h2>Dependency graph</h2>"#);
    if d.stacks.is_empty() {
        h.push_str(r#"<p class="muted">No stacks.</p></section>"#);
        return;
    }
    let view = svg::overview(d);
    if view.grouped {
        let between: usize = view.edges.iter().map(|e| e.edges).sum();
        let inside = d.edges.len().saturating_sub(between);
        let _ = write!(
            h,
            r#"<p class="muted">{} stacks are grouped by directory into {} nodes; a group's badge adds up its stacks' findings. Hover a group for its stacks.{}</p>"#,
            d.stacks.len(),
            view.nodes.len(),
            if inside > 0 {
                format!(
                    " {} inside a group {} not drawn here{}",
                    plural(inside, "edge", "edges"),
                    if inside == 1 { "is" } else { "are" },
                    if d.stacks.len() <= svg::FULL_GRAPH_MAX {
                        "; “Show all” below draws every stack."
                    } else {
                        "; the table and stack details list every edge."
                    }
                )
            } else {
                String::new()
            }
        );
    }
    legend(h, &view, d);
    let aria = format!(
        "Dependency graph of {}: {} stacks, {} edges",
        d.root,
        d.stacks.len(),
        d.edges.len()
    );
    graph_block(h, &svg::render(&view, &aria));
    if view.grouped && d.stacks.len() <= svg::FULL_GRAPH_MAX {
        let _ = write!(
            h,
            r#"<details class="full"><summary>Show all {} stacks</summary>"#,
            d.stacks.len()
        );
        graph_block(h, &svg::render(&svg::stack_view(d), &aria));
        h.push_str("</details>");
    }
    if !d.cycles.is_empty() {
        h.push_str(r#"<h3>Cycles</h3><ul>"#);
        for c in &d.cycles {
            let ids: Vec<String> = c
                .iter()
                .map(|s| format!("<code>{}</code>", esc(s)))
                .collect();
            let text = match ids.as_slice() {
                [a, b] => format!("{a} ↔ {b}"),
                [init @ .., last] => format!(
                    "{} stacks depend on each other in a loop: {} and {last}",
                    ids.len(),
                    init.join(", ")
                ),
                [] => String::new(),
            };
            let _ = write!(h, "<li class=\"cyc-text\">{text}</li>");
        }
        h.push_str("</ul>");
    }
    if !d.unresolved.is_empty() {
        let _ = write!(
            h,
            r#"<details id="unresolved"><summary>{} that match no stack</summary><ul class="unres">"#,
            plural(d.unresolved.len(), "reference", "references")
        );
        for u in &d.unresolved {
            let _ = write!(
                h,
                r#"<li><code>{}</code> <span class="loc">{}:{}</span> ({}): {}</li>"#,
                esc(&u.from),
                esc(&u.file),
                u.line,
                u.mechanism.as_str(),
                esc(&u.reason)
            );
        }
        h.push_str("</ul></details>");
    }
    h.push_str("</section>\n");
}

fn table(h: &mut String, d: &ReportData) {
    h.push_str(r#"<section id="stacks"><h2>Stacks</h2>"#);
    h.push_str(r#"<p class="muted">Click a column to sort. Ca: stacks that depend on this one; Ce: stacks it depends on; I: instability Ce/(Ca+Ce); depth: longest dependency path.</p>"#);
    h.push_str(r#"<div class="tbl-wrap"><table class="sortable" id="stack-table"><thead><tr>"#);
    for (label, kind, title) in [
        ("Stack", "text", "stack id (its directory)"),
        ("Kind", "text", "terraform, terragrunt or terramate"),
        ("Patterns", "text", "catalogue patterns"),
        (
            "Resources",
            "num",
            "managed resources, local modules expanded",
        ),
        ("Domains", "num", "resources per domain"),
        (
            "Instances",
            "num",
            "deployments: tfvars sets, backend files, units",
        ),
        ("Ca", "num", "afferent coupling: stacks that depend on it"),
        ("Ce", "num", "efferent coupling: stacks it depends on"),
        ("I", "num", "instability Ce / (Ca + Ce)"),
        ("Depth", "num", "longest dependency path"),
        ("Findings", "num", "findings in the stack"),
    ] {
        let _ = write!(
            h,
            r#"<th data-type="{kind}" aria-sort="none" title="{title}"><button type="button">{label}</button></th>"#
        );
    }
    h.push_str("</tr></thead><tbody>");
    for (i, s) in d.stacks.iter().enumerate() {
        let findings_key =
            s.findings.error * 1_000_000 + s.findings.warning * 1000 + s.findings.note;
        let _ = write!(
            h,
            r##"<tr data-i="{i}"{cyc}><td data-v="{id}"><a href="#s{i}"><code>{id}</code></a>{cyc_mark}</td><td>{kind}</td><td class="pats" data-v="{pv}">{pats}</td><td class="n" data-v="{res}">{res}</td><td data-v="{nd}">{bar}</td><td class="n" data-v="{inst}">{inst}</td><td class="n" data-v="{ca}">{ca}</td><td class="n" data-v="{ce}">{ce}</td><td class="n" data-v="{ins}">{ins:.2}</td><td class="n" data-v="{dep}">{dep}</td><td data-v="{fk}">{fc}</td></tr>"##,
            cyc = if s.cycle.is_some() {
                r#" class="in-cycle""#
            } else {
                ""
            },
            id = esc(&s.id),
            cyc_mark = if s.cycle.is_some() {
                r#" <span class="cyc-text" title="in a dependency cycle">↻</span>"#
            } else {
                ""
            },
            kind = s.kind,
            pv = esc(&s
                .patterns
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            pats = pattern_chips(&s.patterns),
            res = s.resources,
            nd = s.domains.len(),
            bar = domain_bar(s, false),
            inst = s.instances,
            ca = s.ca,
            ce = s.ce,
            ins = s.instability,
            dep = s.depth,
            fk = findings_key,
            fc = counts_chips(&s.findings),
        );
    }
    h.push_str("</tbody></table></div>");
    // Domain colours used by the bars.
    let used: BTreeSet<&str> = d
        .stacks
        .iter()
        .flat_map(|s| s.domains.iter().map(|x| x.domain.as_str()))
        .collect();
    if !used.is_empty() {
        h.push_str(r#"<div class="legend"><span class="lg-h">Domains</span>"#);
        for dom in DOMAINS.iter().filter(|x| used.contains(**x)) {
            let _ = write!(
                h,
                r#"<span class="lg"><i class="sw {}"></i>{dom}</span>"#,
                domain_class(dom)
            );
        }
        h.push_str("</div>");
    }
    h.push_str("</section>\n");
}

fn details(h: &mut String, d: &ReportData, index: &BTreeMap<&str, usize>) {
    h.push_str(r#"<section id="details"><h2>Stack details</h2>"#);
    h.push_str(r#"<p class="muted">Domains, independent clusters (groups of resources that do not reference each other: split candidates), the outputs each stack exposes and reads.</p>"#);
    let copies_of: BTreeMap<&str, usize> = d
        .copy_paste_groups
        .iter()
        .enumerate()
        .flat_map(|(g, c)| c.stacks.iter().map(move |s| (s.as_str(), g)))
        .collect();
    for (i, s) in d.stacks.iter().enumerate() {
        let open = if d.stacks.len() <= 12 { " open" } else { "" };
        let _ = write!(
            h,
            r#"<details class="stack" id="s{i}"{open}><summary><code>{}</code> <span class="muted">{} · {}</span>{}{}</summary><div class="sd">"#,
            esc(&s.id),
            s.kind,
            plural(s.resources, "resource", "resources"),
            if s.patterns.is_empty() {
                String::new()
            } else {
                format!(" {}", pattern_chips(&s.patterns))
            },
            if s.findings.total() == 0 {
                String::new()
            } else {
                format!(" {}", counts_chips(&s.findings))
            }
        );
        // Facts.
        h.push_str(r#"<dl class="facts">"#);
        if let Some(c) = &s.code_dir {
            let _ = write!(h, "<dt>Code</dt><dd><code>{}</code></dd>", esc(c));
        }
        if let Some(r) = &s.remote_source {
            let _ = write!(h, "<dt>Module source</dt><dd><code>{}</code></dd>", esc(r));
        }
        if let Some(b) = &s.backend {
            let _ = write!(h, "<dt>Backend</dt><dd><code>{}</code></dd>", esc(b));
        }
        let _ = write!(
            h,
            "<dt>Instances</dt><dd>{}{}{}</dd>",
            s.instances,
            if s.instance_names.is_empty() {
                String::new()
            } else {
                format!(": {}", esc(&s.instance_names.join(", ")))
            },
            if s.workspaces { " (workspaces)" } else { "" }
        );
        let _ = write!(
            h,
            "<dt>Coupling</dt><dd>Ca {} · Ce {} · I {:.2} · depth {}{}</dd>",
            s.ca,
            s.ce,
            s.instability,
            s.depth,
            if s.cycle.is_some() {
                r#" · <span class="cyc-text">in a cycle</span>"#
            } else {
                ""
            }
        );
        let _ = write!(
            h,
            "<dt>Contents</dt><dd>{}, {}, {}</dd>",
            plural(s.resources, "resource", "resources"),
            plural(s.data_sources, "data source", "data sources"),
            plural(s.module_calls, "module call", "module calls")
        );
        if let Some(c) = &s.history {
            let _ = write!(
                h,
                "<dt>Changes</dt><dd>{} by {} in {} days</dd>",
                plural(c.commits, "commit", "commits"),
                plural(c.authors, "author", "authors"),
                d.history.days
            );
        }
        if let Some(g) = copies_of.get(s.id.as_str()) {
            let others = stack_links(
                index,
                d.copy_paste_groups[*g]
                    .stacks
                    .iter()
                    .filter(|x| **x != s.id),
            );
            let _ = write!(h, "<dt>Copies</dt><dd>{others}</dd>");
        }
        h.push_str("</dl>");
        // Domains.
        if !s.domains.is_empty() {
            h.push_str(r#"<div class="dom"><h4>Domains</h4>"#);
            h.push_str(&domain_bar(s, true));
            h.push_str(r#"<ul class="inline">"#);
            for dc in &s.domains {
                let _ = write!(
                    h,
                    r#"<li><i class="sw {}"></i>{} {}</li>"#,
                    domain_class(&dc.domain),
                    esc(&dc.domain),
                    dc.resources
                );
            }
            h.push_str("</ul></div>");
        }
        // Clusters.
        if s.resources > 0 {
            h.push_str("<h4>Independent clusters</h4>");
            let split = s.split_candidates();
            if split > 0 {
                let _ = write!(
                    h,
                    r#"<p class="warn-text">{split} groups of {}+ resources share no reference: split candidates.</p>"#,
                    super::facts::CLUSTER_MIN
                );
            }
            if s.clusters.is_empty() {
                let _ = write!(
                    h,
                    r#"<p class="muted">No two resources reference each other{}.</p>"#,
                    if s.resources > 1 {
                        ""
                    } else {
                        " (one resource)"
                    }
                );
            } else {
                h.push_str(r#"<ul class="clusters">"#);
                for c in &s.clusters {
                    let doms: Vec<String> = c
                        .domains
                        .iter()
                        .map(|d| format!("{} {}", d.domain, d.resources))
                        .collect();
                    let more = c.resources.saturating_sub(c.sample.len());
                    let _ = write!(
                        h,
                        r#"<li><b>{}</b> <span class="muted">({})</span>: {}{}</li>"#,
                        plural(c.resources, "resource", "resources"),
                        esc(&doms.join(", ")),
                        c.sample
                            .iter()
                            .map(|a| format!("<code>{}</code>", esc(a)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    );
                }
                h.push_str("</ul>");
                if s.loose_resources > 0 {
                    let _ = write!(
                        h,
                        r#"<p class="muted">{} reference no other resource of the stack.</p>"#,
                        plural(s.loose_resources, "resource", "resources")
                    );
                }
            }
        }
        // Outputs.
        h.push_str(r#"<div class="cols">"#);
        h.push_str("<div><h4>Outputs exposed</h4>");
        if s.outputs.is_empty() {
            h.push_str(r#"<p class="muted">None.</p>"#);
        } else {
            h.push_str(r#"<ul class="outs">"#);
            for o in &s.outputs {
                let readers = stack_links(index, o.read_by.iter());
                let _ = write!(
                    h,
                    "<li><code>{}</code>{}{}</li>",
                    esc(&o.name),
                    if o.declared {
                        ""
                    } else {
                        r#" <span class="sev sev-error">not declared</span>"#
                    },
                    if readers.is_empty() {
                        r#" <span class="muted">not read by any stack</span>"#.to_string()
                    } else {
                        format!(" ← {readers}")
                    }
                );
            }
            h.push_str("</ul>");
        }
        h.push_str("</div><div><h4>Reads from other stacks</h4>");
        if s.reads.is_empty() {
            h.push_str(r#"<p class="muted">Nothing: depends on no other stack.</p>"#);
        } else {
            h.push_str(r#"<ul class="outs">"#);
            for r in &s.reads {
                let _ = write!(
                    h,
                    r#"<li>{} <span class="muted">via {}</span>{}</li>"#,
                    stack_link(index, &r.from),
                    r.mechanism.as_str(),
                    if r.outputs.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ": {}",
                            r.outputs
                                .iter()
                                .map(|o| format!("<code>{}</code>", esc(o)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                );
            }
            h.push_str("</ul>");
        }
        if !s.used_by.is_empty() {
            let _ = write!(h, "<p>Used by {}</p>", stack_links(index, s.used_by.iter()));
        }
        h.push_str("</div></div></div></details>\n");
    }
    if !d.copy_paste_groups.is_empty() {
        h.push_str(r#"<h3 id="copies">Copy-paste groups</h3><ul>"#);
        for g in &d.copy_paste_groups {
            let ids: Vec<String> = g.stacks.iter().map(|s| stack_link(index, s)).collect();
            let _ = write!(
                h,
                "<li>{} <span class=\"muted\">(same {}, similarity {:.0}%)</span></li>",
                ids.join(" = "),
                plural(g.resources, "resource", "resources"),
                g.similarity * 100.0
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>\n");
}

fn findings(h: &mut String, d: &ReportData, index: &BTreeMap<&str, usize>) {
    h.push_str(r#"<section id="findings"><h2>Findings</h2>"#);
    if d.rules.is_empty() {
        h.push_str(r#"<p class="muted">No findings.</p></section>"#);
        return;
    }
    h.push_str(r#"<p class="toc">"#);
    for g in &d.rules {
        let _ = write!(
            h,
            r##"<a href="#rule-{0}">{0}</a> {1} "##,
            g.rule.as_str(),
            counts_chips(&g.counts)
        );
    }
    h.push_str("</p>");
    for g in &d.rules {
        let _ = write!(
            h,
            r#"<article class="rule" id="rule-{id}"><h3><code>{id}</code> {chips} <span class="muted">{cat}</span></h3><p class="rsum">{sum}</p>"#,
            id = g.rule.as_str(),
            chips = counts_chips(&g.counts),
            cat = g.category,
            sum = esc(g.summary)
        );
        if !g.why.is_empty() || !g.fix.is_empty() {
            h.push_str(r#"<div class="cols explain">"#);
            if !g.why.is_empty() {
                let _ = write!(
                    h,
                    "<div><h4>Why it matters</h4>{}</div>",
                    mdlite::to_html(&g.why)
                );
            }
            if !g.fix.is_empty() {
                let _ = write!(h, "<div><h4>Fix</h4>{}</div>", mdlite::to_html(&g.fix));
            }
            h.push_str("</div>");
        }
        for f in g.findings.iter().take(MAX_FINDINGS_PER_RULE) {
            let _ = write!(
                h,
                r#"<div class="finding sev-{sev}" id="{a}"><p class="fh">{chip} <span class="loc">{file}:{line}:{col}</span>{stack}</p><p class="msg">{msg}</p>"#,
                sev = f.severity.as_str(),
                a = esc(&f.anchor),
                chip = sev_chip(f.severity),
                file = esc(&f.file),
                line = f.line,
                col = f.column,
                stack = f
                    .stack
                    .as_deref()
                    .map(|s| format!(" in {}", stack_link(index, s)))
                    .unwrap_or_default(),
                msg = esc(&f.message)
            );
            if let Some(x) = &f.excerpt {
                h.push_str(r#"<pre class="code">"#);
                for (k, line) in x.lines.iter().enumerate() {
                    let n = x.first_line + k as u32;
                    let mark = n >= x.mark_from && n <= x.mark_to;
                    let _ = write!(
                        h,
                        r#"<span class="cl{}"><span class="ln">{n}</span>{}</span>"#,
                        if mark { " mark" } else { "" },
                        esc(line)
                    );
                }
                h.push_str("</pre>");
            }
            if let Some(help) = &f.help {
                let _ = write!(h, r#"<p class="fix"><b>Fix:</b> {}</p>"#, esc(help));
            }
            if !f.related.is_empty() {
                h.push_str(r#"<ul class="related">"#);
                for r in &f.related {
                    let _ = write!(
                        h,
                        r#"<li><span class="loc">{}:{}</span> {}</li>"#,
                        esc(&r.file),
                        r.line,
                        esc(&r.message)
                    );
                }
                h.push_str("</ul>");
            }
            h.push_str("</div>");
        }
        if g.findings.len() > MAX_FINDINGS_PER_RULE {
            let _ = write!(
                h,
                r#"<p class="muted">… and {} more (the JSON report lists all).</p>"#,
                g.findings.len() - MAX_FINDINGS_PER_RULE
            );
        }
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

fn history(h: &mut String, hist: &History, index: &BTreeMap<&str, usize>) {
    h.push_str(r#"<section id="history"><h2>Change history</h2>"#);
    if !hist.available {
        let _ = write!(
            h,
            r#"<p class="muted" id="history-unavailable">Not available: {}. Everything else in this report comes from the files alone.</p></section>"#,
            esc(hist.reason.as_deref().unwrap_or("unknown reason"))
        );
        return;
    }
    let _ = write!(
        h,
        r#"<p>{} by {} touched stacks in the {} days up to the last commit ({} to {}).{}</p>"#,
        plural(hist.commits, "commit", "commits"),
        plural(hist.authors, "author", "authors"),
        hist.days,
        esc(hist.from.as_deref().unwrap_or("?")),
        esc(hist.to.as_deref().unwrap_or("?")),
        if hist.truncated {
            " Only the newest commits were read."
        } else {
            ""
        }
    );
    if hist.stacks.is_empty() {
        h.push_str(r#"<p class="muted">No commit in the window touched a stack.</p></section>"#);
        return;
    }
    h.push_str(r#"<div class="cols"><div><h3>Per stack</h3><p class="muted">Many authors on one stack is a sign that several teams share it.</p><div class="tbl-wrap short"><table class="sortable" id="history-table"><thead><tr><th data-type="text" aria-sort="none"><button type="button">Stack</button></th><th data-type="num" aria-sort="none"><button type="button">Commits</button></th><th data-type="num" aria-sort="none"><button type="button">Authors</button></th></tr></thead><tbody>"#);
    let mut rows: Vec<(&String, &super::history::StackChanges)> = hist.stacks.iter().collect();
    rows.sort_by(|a, b| {
        b.1.commits
            .cmp(&a.1.commits)
            .then(b.1.authors.cmp(&a.1.authors))
            .then(a.0.cmp(b.0))
    });
    for (i, (id, c)) in rows.iter().enumerate() {
        let _ = write!(
            h,
            r#"<tr data-i="{i}"><td data-v="{}">{}</td><td class="n" data-v="{c1}">{c1}</td><td class="n" data-v="{a}">{a}</td></tr>"#,
            esc(id),
            stack_link(index, id),
            c1 = c.commits,
            a = c.authors
        );
    }
    h.push_str("</tbody></table></div></div>");
    let _ = write!(
        h,
        r#"<div><h3>Change coupling</h3><p class="muted">Pairs of stacks changed together in at least {:.0}% of their commits (together ÷ average of both counts, {}+ shared commits; commits touching more than {} stacks left out). A pair that always changes together is one unit split in two: the split does not pay.</p>"#,
        super::history::MIN_DEGREE * 100.0,
        super::history::MIN_TOGETHER,
        super::history::BULK_COMMIT_STACKS
    );
    if hist.co_changes.is_empty() {
        h.push_str(r#"<p class="muted" id="no-co-change">No such pair.</p>"#);
    } else {
        h.push_str(r#"<div class="tbl-wrap short"><table id="co-change-table"><thead><tr><th>Stacks</th><th>Together</th><th>Commits (each)</th><th>Coupling</th></tr></thead><tbody>"#);
        for c in &hist.co_changes {
            let _ = write!(
                h,
                r#"<tr><td>{} + {}</td><td class="n">{}</td><td class="n">{} / {}</td><td class="n">{:.0}%</td></tr>"#,
                stack_link(index, &c.a),
                stack_link(index, &c.b),
                c.together,
                c.a_commits,
                c.b_commits,
                c.degree * 100.0
            );
        }
        h.push_str("</tbody></table></div>");
        if hist.co_change_pairs > hist.co_changes.len() {
            let _ = write!(
                h,
                r#"<p class="muted">{} more pairs not shown.</p>"#,
                hist.co_change_pairs - hist.co_changes.len()
            );
        }
    }
    h.push_str("</div></div></section>\n");
}

fn footer(h: &mut String, d: &ReportData) {
    h.push_str(r#"<footer><h2>About this report</h2><ul>"#);
    for (k, v) in &d.sources {
        let _ = write!(
            h,
            "<li><b>{}</b> come from {}.</li>",
            esc(&k.replace('_', " ")),
            esc(v)
        );
    }
    let _ = write!(
        h,
        "</ul><p class=\"muted\">Generated by {}. stacklint only reads files (and git history); it never runs terraform or providers.</p></footer>",
        esc(&d.generated)
    );
}
