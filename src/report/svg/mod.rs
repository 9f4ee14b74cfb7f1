//! The dependency graph as inline SVG: stacks (or, for large trees, directory groups of
//! stacks) as nodes sized by resources and coloured by pattern, a badge with the finding
//! count, edges styled by mechanism with the number of outputs read, cycles in red,
//! providers below consumers. Nodes without any edge are listed in a compact grid under
//! the layered part. Colours come from CSS classes, so the page's light/dark/print
//! styles apply.

pub mod layout;

use super::facts::Pattern;
use super::{ReportData, SeverityCounts};
use crate::link::Mechanism;
use layout::{NodeSize, Params};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Above this many stacks the overview groups stacks by directory.
pub const GROUP_ABOVE: usize = 40;
/// Most groups in the grouped overview.
pub const MAX_GROUPS: usize = 36;
/// The full stack graph is offered (collapsed) up to this many stacks.
pub const FULL_GRAPH_MAX: usize = 400;

const FONT: f64 = 12.0;
const SMALL: f64 = 10.5;

/// One node of the drawn graph: a stack or a directory group.
#[derive(Debug, Clone)]
pub struct VNode {
    pub key: String,
    /// Dim first line (the parent directory), may be empty.
    pub top: String,
    /// Bold second line.
    pub main: String,
    /// Third line (size).
    pub sub: String,
    pub title: String,
    pub resources: usize,
    /// Stacks per primary pattern (`None`: unclassified).
    pub mix: BTreeMap<Option<Pattern>, usize>,
    pub findings: SeverityCounts,
    pub in_cycle: bool,
    pub href: Option<String>,
    pub group: bool,
}

#[derive(Debug, Clone)]
pub struct VEdge {
    pub from: usize,
    pub to: usize,
    /// The tightest mechanism (drawn style); all mechanisms with edge counts in `title`.
    pub mechanism: Mechanism,
    pub edges: usize,
    pub outputs: usize,
    pub in_cycle: bool,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct View {
    pub nodes: Vec<VNode>,
    pub edges: Vec<VEdge>,
    pub grouped: bool,
}

/// The primary (first) pattern of a stack.
fn primary(p: &[Pattern]) -> Option<Pattern> {
    p.first().copied()
}

pub fn pattern_class(p: Option<Pattern>) -> &'static str {
    match p {
        Some(Pattern::Monolithic) => "p-monolithic",
        Some(Pattern::MultiService) => "p-multi-service",
        Some(Pattern::CrossStackService) => "p-cross-stack-service",
        Some(Pattern::SharedInfrastructure) => "p-shared-infrastructure",
        Some(Pattern::SingleService) => "p-single-service",
        Some(Pattern::Micro) => "p-micro",
        Some(Pattern::SharedNothing) => "p-shared-nothing",
        None => "p-none",
    }
}

pub fn mechanism_class(m: Mechanism) -> String {
    format!("m-{}", m.as_str().replace('_', "-"))
}

/// One line per mechanism for the legend.
pub fn mechanism_meaning(m: Mechanism) -> &'static str {
    match m {
        Mechanism::RemoteState => "reads the provider's state (terraform_remote_state)",
        Mechanism::TfeOutputs => "reads the provider's state (tfe_outputs)",
        Mechanism::TerragruntDependency => "Terragrunt dependency block (outputs injected)",
        Mechanism::TerragruntOrder => "Terragrunt dependencies (order only)",
        Mechanism::TerramateOrder => "Terramate after/before (order only)",
        Mechanism::ParameterStore => "a value in a parameter registry",
        Mechanism::ResourceLookup => "a data source finds the provider's resource",
    }
}

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Estimated text width in pixels (DejaVu/Helvetica-like metrics, a little generous).
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let mut w = 0.0;
    for c in s.chars() {
        let f = match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
            'f' | 't' | 'r' | '/' | '-' | ' ' | '(' | ')' => 0.42,
            'm' | 'w' | 'M' | 'W' => 0.9,
            c if c.is_ascii_uppercase() => 0.7,
            c if c.is_ascii_digit() => 0.62,
            _ => 0.6,
        };
        w += f;
    }
    w * size * if bold { 1.08 } else { 1.0 }
}

/// Shortens `s` to about `max` pixels, keeping the end (`…/prod/network`).
pub fn clip_left(s: &str, size: f64, max: f64) -> String {
    if text_width(s, size, false) <= max {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    for start in 1..chars.len() {
        let tail: String = chars[start..].iter().collect();
        let cand = format!("…{tail}");
        if text_width(&cand, size, false) <= max {
            return cand;
        }
    }
    "…".to_string()
}

fn split_id(id: &str) -> (String, String) {
    match id.rsplit_once('/') {
        Some((parent, last)) => (parent.to_string(), last.to_string()),
        None => (String::new(), id.to_string()),
    }
}

fn resources_text(n: usize) -> String {
    if n == 1 {
        "1 resource".into()
    } else {
        format!("{n} resources")
    }
}

/// The graph with one node per stack.
pub fn stack_view(data: &ReportData) -> View {
    let nodes = (0..data.stacks.len())
        .map(|i| stack_view_node(data, i))
        .collect();
    let index: BTreeMap<&str, usize> = data
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let of = |id: &str| index.get(id).copied();
    View {
        nodes,
        edges: aggregate_edges(data, &of),
        grouped: false,
    }
}

fn aggregate_edges(data: &ReportData, node_of: &dyn Fn(&str) -> Option<usize>) -> Vec<VEdge> {
    #[derive(Default)]
    struct Acc {
        mechs: BTreeMap<Mechanism, usize>,
        outputs: usize,
        cycle: bool,
        edges: usize,
    }
    let mut acc: BTreeMap<(usize, usize), Acc> = BTreeMap::new();
    for e in &data.edges {
        let (Some(a), Some(b)) = (node_of(&e.from), node_of(&e.to)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let x = acc.entry((a, b)).or_default();
        *x.mechs.entry(e.mechanism).or_default() += 1;
        x.outputs += e.outputs.len();
        x.cycle |= e.in_cycle;
        x.edges += 1;
    }
    acc.into_iter()
        .map(|((from, to), x)| {
            let mechanism = x
                .mechs
                .keys()
                .next()
                .copied()
                .unwrap_or(Mechanism::RemoteState);
            let mechs: Vec<String> = x
                .mechs
                .iter()
                .map(|(m, c)| {
                    if x.edges > 1 {
                        format!("{} × {c}", m.as_str())
                    } else {
                        m.as_str().to_string()
                    }
                })
                .collect();
            VEdge {
                from,
                to,
                mechanism,
                edges: x.edges,
                outputs: x.outputs,
                in_cycle: x.cycle,
                title: mechs.join(", "),
            }
        })
        .collect()
}

/// Directory groups of at most `max`: the deepest directory level at which the stacks
/// fall into at most `max` groups (`live/prod/services`, `live/dev/data`, ...), so that
/// every group is cut the same way. When that level has 3 groups or fewer (a flat
/// tree), groups are split greedily instead. Returns (path, member indices) sorted by
/// path; a group of one stack is named by the stack's id.
pub fn group_by_directory(ids: &[&str], max: usize) -> Vec<(String, Vec<usize>)> {
    let max = max.max(2);
    let comps: Vec<Vec<&str>> = ids
        .iter()
        .map(|id| {
            if *id == "." {
                Vec::new()
            } else {
                id.split('/').collect()
            }
        })
        .collect();
    let deepest = comps.iter().map(Vec::len).max().unwrap_or(0);
    let at_depth = |d: usize| -> BTreeMap<Vec<&str>, Vec<usize>> {
        let mut m: BTreeMap<Vec<&str>, Vec<usize>> = BTreeMap::new();
        for (i, c) in comps.iter().enumerate() {
            m.entry(c[..d.min(c.len())].to_vec()).or_default().push(i);
        }
        m
    };
    let mut best: Option<BTreeMap<Vec<&str>, Vec<usize>>> = None;
    for d in 1..=deepest {
        let m = at_depth(d);
        if m.len() > max {
            break;
        }
        best = Some(m);
    }
    match best {
        Some(m) if m.len() > 3 || m.len() == ids.len() => {
            let mut out: Vec<(String, Vec<usize>)> = m
                .into_iter()
                .map(|(prefix, members)| {
                    let name = match members.as_slice() {
                        [one] => ids[*one].to_string(),
                        _ if prefix.is_empty() => ".".to_string(),
                        _ => prefix.join("/"),
                    };
                    (name, members)
                })
                .collect();
            out.sort();
            out
        }
        _ => greedy_groups(ids, max),
    }
}

/// Greedy directory groups: start from the common directory and keep splitting the group
/// with the most stacks into its subdirectories while the total stays within `max`;
/// when no full split fits, the largest subdirectories become groups and the rest stay
/// together.
fn greedy_groups(ids: &[&str], max: usize) -> Vec<(String, Vec<usize>)> {
    #[derive(Clone)]
    struct G {
        depth: usize,
        prefix: Vec<String>,
        members: Vec<usize>,
        rest: bool,
    }
    let comps: Vec<Vec<&str>> = ids
        .iter()
        .map(|id| {
            if *id == "." {
                Vec::new()
            } else {
                id.split('/').collect()
            }
        })
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    let mut groups = vec![G {
        depth: 0,
        prefix: Vec::new(),
        members: (0..ids.len()).collect(),
        rest: false,
    }];
    let max = max.max(2);
    loop {
        // Extend each group's prefix while all members share the next directory.
        for g in groups.iter_mut() {
            while g.members.len() > 1 && !g.rest {
                let next: BTreeSet<Option<&str>> = g
                    .members
                    .iter()
                    .map(|m| comps[*m].get(g.depth).copied())
                    .collect();
                match next.into_iter().collect::<Vec<_>>().as_slice() {
                    [Some(one)] => {
                        g.prefix.push(one.to_string());
                        g.depth += 1;
                    }
                    _ => break,
                }
            }
        }
        let mut order: Vec<usize> = (0..groups.len())
            .filter(|i| groups[*i].members.len() > 1 && !groups[*i].rest)
            .collect();
        order.sort_by(|a, b| {
            groups[*b]
                .members
                .len()
                .cmp(&groups[*a].members.len())
                .then_with(|| groups[*a].prefix.cmp(&groups[*b].prefix))
        });
        let children = |g: &G| -> Vec<G> {
            let mut by: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
            for m in &g.members {
                by.entry(comps[*m].get(g.depth).copied())
                    .or_default()
                    .push(*m);
            }
            let mut out = Vec::new();
            for (k, members) in by {
                match k {
                    // Stacks at the group's own directory are groups of one.
                    None => {
                        for m in members {
                            out.push(G {
                                depth: g.depth,
                                prefix: g.prefix.clone(),
                                members: vec![m],
                                rest: false,
                            });
                        }
                    }
                    Some(c) => {
                        let mut prefix = g.prefix.clone();
                        prefix.push(c.to_string());
                        out.push(G {
                            depth: g.depth + 1,
                            prefix,
                            members,
                            rest: false,
                        });
                    }
                }
            }
            out
        };
        let mut changed = false;
        for &gi in &order {
            let kids = children(&groups[gi]);
            if groups.len() - 1 + kids.len() <= max {
                groups.splice(gi..=gi, kids);
                changed = true;
                break;
            }
        }
        if !changed {
            // Partial split of the largest group, when room is left for 2+ new groups.
            if let Some(&gi) = order.first() {
                let room = max.saturating_sub(groups.len() - 1);
                if room >= 3 {
                    let mut kids = children(&groups[gi]);
                    kids.sort_by(|a, b| {
                        b.members
                            .len()
                            .cmp(&a.members.len())
                            .then_with(|| a.prefix.cmp(&b.prefix))
                    });
                    let keep = room - 1;
                    let rest_members: Vec<usize> = kids[keep..]
                        .iter()
                        .flat_map(|k| k.members.iter().copied())
                        .collect();
                    let parent = groups[gi].clone();
                    let mut new: Vec<G> = kids.into_iter().take(keep).collect();
                    new.push(G {
                        rest: true,
                        members: rest_members,
                        ..parent
                    });
                    groups.splice(gi..=gi, new);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut out: Vec<(String, Vec<usize>)> = groups
        .into_iter()
        .map(|g| {
            let path = if g.members.len() == 1 && !g.rest {
                ids[g.members[0]].to_string()
            } else if g.prefix.is_empty() {
                ".".to_string()
            } else {
                g.prefix.join("/")
            };
            let label = if g.rest {
                format!("{path}/… (other directories)")
            } else {
                path
            };
            let mut m = g.members;
            m.sort_unstable();
            (label, m)
        })
        .collect();
    out.sort();
    out
}

/// The graph with stacks grouped by directory.
pub fn group_view(data: &ReportData, max_groups: usize) -> View {
    let ids: Vec<&str> = data.stacks.iter().map(|s| s.id.as_str()).collect();
    let groups = group_by_directory(&ids, max_groups);
    let mut node_of_stack: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nodes = Vec::new();
    for (gi, (path, members)) in groups.iter().enumerate() {
        for m in members {
            node_of_stack.insert(ids[*m], gi);
        }
        if let [only] = members.as_slice() {
            let mut single = stack_view_node(data, *only);
            single.key = path.clone();
            nodes.push(single);
            continue;
        }
        let mut mix: BTreeMap<Option<Pattern>, usize> = BTreeMap::new();
        let mut findings = SeverityCounts::default();
        let mut resources = 0;
        let mut in_cycle = false;
        for m in members {
            let s = &data.stacks[*m];
            *mix.entry(primary(&s.patterns)).or_default() += 1;
            findings.error += s.findings.error;
            findings.warning += s.findings.warning;
            findings.note += s.findings.note;
            resources += s.resources;
            in_cycle |= s.cycle.is_some();
        }
        let (top, main) = split_id(path);
        let listed: Vec<&str> = members.iter().take(12).map(|m| ids[*m]).collect();
        nodes.push(VNode {
            key: path.clone(),
            top,
            main: if main.ends_with(')') {
                main
            } else {
                format!("{main}/")
            },
            sub: format!("{} stacks · {}", members.len(), resources_text(resources)),
            title: format!(
                "{path}: {} stacks, {}, {} finding(s)\n{}{}",
                members.len(),
                resources_text(resources),
                findings.total(),
                listed.join("\n"),
                if members.len() > listed.len() {
                    format!("\n… and {} more", members.len() - listed.len())
                } else {
                    String::new()
                }
            ),
            resources,
            mix,
            findings,
            in_cycle,
            href: None,
            group: true,
        });
    }
    let of = |id: &str| node_of_stack.get(id).copied();
    View {
        edges: aggregate_edges(data, &of),
        nodes,
        grouped: true,
    }
}

fn stack_view_node(data: &ReportData, i: usize) -> VNode {
    let s = &data.stacks[i];
    let (top, main) = split_id(&s.id);
    let mut mix = BTreeMap::new();
    mix.insert(primary(&s.patterns), 1);
    let patterns: Vec<&str> = s.patterns.iter().map(|p| p.as_str()).collect();
    VNode {
        key: s.id.clone(),
        top,
        main,
        sub: if s.instances > 1 {
            format!(
                "{} · {} instances",
                resources_text(s.resources),
                s.instances
            )
        } else {
            resources_text(s.resources)
        },
        title: format!(
            "{} ({}): {}; {}; {} finding(s){}",
            s.id,
            s.kind,
            resources_text(s.resources),
            if patterns.is_empty() {
                "no pattern".to_string()
            } else {
                patterns.join(", ")
            },
            s.findings.total(),
            if s.cycle.is_some() {
                "; in a dependency cycle"
            } else {
                ""
            }
        ),
        resources: s.resources,
        mix,
        findings: s.findings.clone(),
        in_cycle: s.cycle.is_some(),
        href: Some(format!("#s{i}")),
        group: false,
    }
}

/// The overview view: one node per stack, or directory groups above `GROUP_ABOVE`.
pub fn overview(data: &ReportData) -> View {
    if data.stacks.len() > GROUP_ABOVE {
        group_view(data, MAX_GROUPS)
    } else {
        stack_view(data)
    }
}

struct Geometry {
    w: f64,
    h: f64,
}

fn node_geometry(n: &VNode, max_res: usize, label_max: f64) -> Geometry {
    let top = clip_left(&n.top, SMALL, label_max);
    let main = clip_left(&n.main, FONT, label_max);
    let tw = text_width(&top, SMALL, false)
        .max(text_width(&main, FONT, true))
        .max(text_width(&n.sub, SMALL, false));
    let scale = if max_res == 0 {
        0.0
    } else {
        (n.resources as f64 / max_res as f64).sqrt()
    };
    Geometry {
        w: (tw + 30.0).max(96.0 + 64.0 * scale).ceil(),
        h: (if n.top.is_empty() { 40.0 } else { 52.0 } + 14.0 * scale).ceil(),
    }
}

/// A rendered graph and its natural size in pixels.
pub struct Rendered {
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

/// Renders a view as an SVG element.
pub fn render(view: &View, aria: &str) -> Rendered {
    let label_max = 220.0;
    let max_res = view.nodes.iter().map(|n| n.resources).max().unwrap_or(0);
    let geo: Vec<Geometry> = view
        .nodes
        .iter()
        .map(|n| node_geometry(n, max_res, label_max))
        .collect();
    let mut degree = vec![0usize; view.nodes.len()];
    for e in &view.edges {
        degree[e.from] += 1;
        degree[e.to] += 1;
    }
    let connected: Vec<usize> = (0..view.nodes.len()).filter(|i| degree[*i] > 0).collect();
    let isolated: Vec<usize> = (0..view.nodes.len()).filter(|i| degree[*i] == 0).collect();
    let local: BTreeMap<usize, usize> =
        connected.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let sizes: Vec<NodeSize> = connected
        .iter()
        .map(|i| NodeSize {
            w: geo[*i].w,
            h: geo[*i].h,
        })
        .collect();
    let ledges: Vec<(usize, usize)> = view
        .edges
        .iter()
        .filter_map(|e| Some((*local.get(&e.from)?, *local.get(&e.to)?)))
        .collect();
    let params = Params::default();
    let lay = layout::layout(&sizes, &ledges, &params);

    // Isolated nodes: a grid of equal cells under the layered part.
    let cell_w = isolated
        .iter()
        .map(|i| geo[*i].w)
        .fold(0.0, f64::max)
        .max(120.0);
    let cell_h = isolated
        .iter()
        .map(|i| geo[*i].h)
        .fold(0.0, f64::max)
        .max(40.0);
    let grid_gap = 14.0;
    let min_width = 1180.0f64;
    let width = lay.width.max(min_width);
    let cols = (((width - 2.0 * params.margin + grid_gap) / (cell_w + grid_gap)).floor() as usize)
        .max(1)
        .min(isolated.len().max(1));
    let rows = isolated.len().div_ceil(cols);
    let grid_top = if connected.is_empty() {
        params.margin
    } else {
        lay.height + 24.0
    };
    let heading_h = if isolated.is_empty() { 0.0 } else { 26.0 };
    let height = if isolated.is_empty() {
        lay.height.max(60.0)
    } else {
        grid_top + heading_h + rows as f64 * (cell_h + grid_gap) + params.margin
    };
    // Centre the layered part when the grid is wider.
    let dx = ((width - lay.width) / 2.0).max(0.0);

    let mut pos: Vec<(f64, f64)> = vec![(0.0, 0.0); view.nodes.len()];
    for (k, i) in connected.iter().enumerate() {
        pos[*i] = (lay.pos[k].0 + dx, lay.pos[k].1);
    }
    for (k, i) in isolated.iter().enumerate() {
        let (r, c) = (k / cols, k % cols);
        pos[*i] = (
            params.margin + c as f64 * (cell_w + grid_gap) + cell_w / 2.0,
            grid_top + heading_h + r as f64 * (cell_h + grid_gap) + cell_h / 2.0,
        );
    }

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" aria-label="{aria}"><title>{aria}</title>"#,
        w = width.ceil(),
        h = height.ceil(),
        aria = esc(aria)
    );
    s.push_str("<defs>");
    let mut mechs: BTreeSet<Mechanism> = view.edges.iter().map(|e| e.mechanism).collect();
    mechs.insert(Mechanism::RemoteState);
    for m in &mechs {
        for (suffix, size) in [("", 9), ("-l", 15)] {
            let _ = write!(
                s,
                r#"<marker id="a-{c}{suffix}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="{size}" markerHeight="{size}" orient="auto-start-reverse"><path class="ah {c}" d="M0,1 L10,5 L0,9 z"/></marker>"#,
                c = mechanism_class(*m)
            );
        }
    }
    s.push_str(r#"<marker id="a-cyc" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path class="ah cyc" d="M0,1 L10,5 L0,9 z"/></marker>"#);
    s.push_str("</defs>");

    // Edges, then their labels (above every edge), then nodes.
    s.push_str(r#"<g class="edges">"#);
    let mut labels = String::new();
    let mut li = 0;
    let pairs: BTreeSet<(usize, usize)> = view.edges.iter().map(|e| (e.from, e.to)).collect();
    for e in &view.edges {
        let (Some(_), Some(_)) = (local.get(&e.from), local.get(&e.to)) else {
            continue;
        };
        let route = lay.routes.get(li).cloned().unwrap_or_default();
        li += 1;
        if route.len() < 2 {
            continue;
        }
        // A pair of opposite edges (a cycle of two) is drawn as two parallel lines.
        let shift = if pairs.contains(&(e.to, e.from)) {
            if e.from < e.to {
                -7.0
            } else {
                7.0
            }
        } else {
            0.0
        };
        let pts: Vec<(f64, f64)> = route.iter().map(|(x, y)| (x + dx + shift, *y)).collect();
        let d = smooth_path(&pts);
        let class = mechanism_class(e.mechanism);
        // Bundled edges (groups) get wider with their count, and a larger arrow.
        let stroke = 1.5 + ((e.edges as f64).log2() * 0.7).min(3.0);
        let big = stroke > 2.6;
        let (cls, marker) = if e.in_cycle {
            (format!("e {class} cyc"), "a-cyc".to_string())
        } else {
            (
                format!("e {class}"),
                format!("a-{class}{}", if big { "-l" } else { "" }),
            )
        };
        let width_boost = if e.edges > 1 {
            format!(r#" style="stroke-width:{stroke:.1}px""#)
        } else {
            String::new()
        };
        let title = if e.outputs > 0 {
            format!(
                "{} → {}: {} ({} output{} read)",
                view.nodes[e.from].key,
                view.nodes[e.to].key,
                e.title,
                e.outputs,
                if e.outputs == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{} → {}: {}",
                view.nodes[e.from].key, view.nodes[e.to].key, e.title
            )
        };
        let _ = write!(
            s,
            r#"<path class="{cls}" d="{d}" marker-end="url(#{marker})"{width_boost}><title>{}</title></path>"#,
            esc(&title)
        );
        let label = if view.grouped && e.edges > 1 {
            format!("{}×", e.edges)
        } else if e.outputs > 0 {
            e.outputs.to_string()
        } else {
            String::new()
        };
        if !label.is_empty() {
            let (lx, ly) = label_point(&pts);
            let lw = text_width(&label, SMALL, true) + 8.0;
            let _ = write!(
                labels,
                r#"<g class="el{cyc}"><rect x="{x:.1}" y="{y:.1}" width="{lw:.1}" height="15" rx="7.5"/><text x="{lx:.1}" y="{ty:.1}">{t}</text><title>{title}</title></g>"#,
                cyc = if e.in_cycle { " cyc" } else { "" },
                x = lx - lw / 2.0,
                y = ly - 7.5,
                ty = ly + 3.8,
                t = esc(&label),
                title = esc(&title)
            );
        }
    }
    s.push_str("</g>");
    s.push_str(r#"<g class="labels">"#);
    s.push_str(&labels);
    s.push_str("</g>");

    if !isolated.is_empty() {
        let what = if view.grouped { "groups" } else { "stacks" };
        let text = if connected.is_empty() {
            format!("No edges between the {what}")
        } else {
            format!("{} {what} without edges to others", isolated.len())
        };
        let _ = write!(
            s,
            r#"<text class="gh" x="{:.1}" y="{:.1}">{}</text>"#,
            params.margin,
            grid_top + 15.0,
            esc(&text)
        );
    }

    s.push_str(r#"<g class="nodes">"#);
    for (i, n) in view.nodes.iter().enumerate() {
        let (cx, cy) = pos[i];
        let g = &geo[i];
        let (w, h) = if degree[i] == 0 {
            (cell_w, g.h)
        } else {
            (g.w, g.h)
        };
        node_svg(&mut s, n, cx, cy, w, h, label_max);
    }
    s.push_str("</g></svg>");
    Rendered {
        svg: s,
        width: width.ceil(),
        height: height.ceil(),
    }
}

fn node_svg(s: &mut String, n: &VNode, cx: f64, cy: f64, w: f64, h: f64, label_max: f64) {
    let x = cx - w / 2.0;
    let y = cy - h / 2.0;
    let main_pattern = n
        .mix
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(p, _)| *p)
        .unwrap_or(None);
    let mut cls = format!(
        "node {}",
        if n.group {
            "grp".to_string()
        } else {
            pattern_class(main_pattern).to_string()
        }
    );
    if n.in_cycle {
        cls.push_str(" cyc");
    }
    if let Some(h) = &n.href {
        let _ = write!(s, r#"<a href="{}">"#, esc(h));
    }
    let _ = write!(s, r#"<g class="{cls}"><title>{}</title>"#, esc(&n.title));
    let _ = write!(
        s,
        r#"<rect class="box" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="7"/>"#
    );
    // Groups: a bar of the pattern mix along the bottom edge.
    if n.group {
        let total: usize = n.mix.values().sum();
        let bar_w = w - 16.0;
        let mut bx = x + 8.0;
        for (p, c) in &n.mix {
            let seg = bar_w * *c as f64 / total.max(1) as f64;
            let _ = write!(
                s,
                r#"<rect class="mix {}" x="{bx:.1}" y="{:.1}" width="{seg:.1}" height="4"/>"#,
                pattern_class(*p),
                y + h - 8.0
            );
            bx += seg;
        }
    }
    let top = clip_left(&n.top, SMALL, label_max);
    let main = clip_left(&n.main, FONT, label_max);
    let mut ty = if n.top.is_empty() {
        cy - 3.0
    } else {
        let t = cy - 9.0;
        let _ = write!(
            s,
            r#"<text class="t-top" x="{cx:.1}" y="{:.1}">{}</text>"#,
            t - 4.0,
            esc(&top)
        );
        t + 9.0
    };
    if n.group {
        ty -= 2.0;
    }
    let _ = write!(
        s,
        r#"<text class="t-main" x="{cx:.1}" y="{ty:.1}">{}</text>"#,
        esc(&main)
    );
    let _ = write!(
        s,
        r#"<text class="t-sub" x="{cx:.1}" y="{:.1}">{}</text>"#,
        ty + 14.0,
        esc(&n.sub)
    );
    if let Some(worst) = n.findings.worst() {
        let count = n.findings.total();
        let label = if count > 99 {
            "99+".to_string()
        } else {
            count.to_string()
        };
        let bw = (text_width(&label, SMALL, true) + 9.0).max(18.0);
        let _ = write!(
            s,
            r#"<g class="badge b-{}"><rect x="{:.1}" y="{:.1}" width="{bw:.1}" height="18" rx="9"/><text x="{:.1}" y="{:.1}">{}</text></g>"#,
            worst.as_str(),
            x + w - bw * 0.75,
            y - 8.0,
            x + w - bw * 0.75 + bw / 2.0,
            y + 5.0,
            esc(&label)
        );
    }
    s.push_str("</g>");
    if n.href.is_some() {
        s.push_str("</a>");
    }
}

/// A smooth path through the route: vertical tangents at each point.
fn smooth_path(pts: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let Some(first) = pts.first() else {
        return d;
    };
    let _ = write!(d, "M{:.1},{:.1}", first.0, first.1);
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.0 - b.0).abs() < 0.5 {
            let _ = write!(d, " L{:.1},{:.1}", b.0, b.1);
        } else {
            let my = (a.1 + b.1) / 2.0;
            let _ = write!(
                d,
                " C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                a.0, my, b.0, my, b.0, b.1
            );
        }
    }
    d
}

/// Where an edge's label goes: the middle of its middle segment.
fn label_point(pts: &[(f64, f64)]) -> (f64, f64) {
    let k = pts.len() / 2;
    match (pts.get(k.saturating_sub(1)), pts.get(k)) {
        (Some(a), Some(b)) if pts.len() % 2 == 0 => ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0),
        (_, Some(b)) => *b,
        _ => (0.0, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_the_directory_tree() {
        let ids = [
            "live/dev/app",
            "live/dev/db",
            "live/dev/net",
            "live/prod/app",
            "live/prod/db",
            "live/prod/net",
            "global/iam",
        ];
        let g = group_by_directory(&ids, 3);
        let names: Vec<&str> = g.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, vec!["global/iam", "live/dev", "live/prod"]);
        assert_eq!(g[1].1, vec![0, 1, 2]);
        // With room for every stack, every stack is its own group.
        let g = group_by_directory(&ids, 10);
        assert_eq!(g.len(), 7);
    }

    #[test]
    fn a_flat_directory_too_wide_to_split_keeps_a_rest_group() {
        let ids: Vec<String> = (0..50).map(|i| format!("stacks/s{i:02}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let g = group_by_directory(&refs, 10);
        assert_eq!(g.len(), 10);
        let total: usize = g.iter().map(|(_, m)| m.len()).sum();
        assert_eq!(total, 50);
        assert!(g.iter().any(|(p, _)| p.ends_with("(other directories)")));
    }

    #[test]
    fn clipping_keeps_the_end() {
        let s = clip_left("live/production/eu-west-1/services/payments", FONT, 120.0);
        assert!(s.starts_with('…') && s.ends_with("payments"), "{s}");
        assert!(text_width(&s, FONT, false) <= 120.0);
    }
}
