//! `stacklint stacks`: one row per stack, with its coupling metrics: Ca (USED-BY),
//! Ce (DEPS), instability I = Ce / (Ca + Ce), depth (longest dependency path, a cycle
//! counting as one level) and outputs read by other stacks out of those it exposes
//! (`2/5`; `+` when some consumer reads the outputs object dynamically, `?` when the
//! exposed outputs are unknown).

use crate::facts::exposed::{Exposed, OutputCatalog};
use crate::graph::{StackGraph, StackMetrics};
use crate::model::{Stack, Workspace};
use crate::profile::Facts;
use serde_json::{json, Map, Value as J};
use std::collections::BTreeMap;

fn backend_summary(s: &Stack) -> String {
    let Some(b) = &s.backend else {
        return "-".to_string();
    };
    let pick = [
        "bucket",
        "key",
        "prefix",
        "storage_account_name",
        "organization",
        "path",
    ];
    let mut parts = vec![b.kind.clone()];
    for k in pick {
        if let Some(v) = b.config.get(k) {
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join(" ")
}

/// Outputs the stack exposes (when known) and how many of them other stacks read.
fn outputs_cell(exposed: Option<&Exposed>, m: &StackMetrics) -> String {
    let read = format!(
        "{}{}",
        m.outputs_read.len(),
        if m.outputs_read_dynamically { "+" } else { "" }
    );
    match exposed {
        Some(Exposed::Known(o)) => format!("{read}/{}", o.len()),
        _ => format!("{read}/?"),
    }
}

/// `{"network": 4, ...}` sorted by name.
fn counts<'a, K: Copy + 'a>(
    m: impl IntoIterator<Item = (&'a K, &'a usize)>,
    name: impl Fn(K) -> &'static str,
) -> J {
    let sorted: BTreeMap<&str, usize> = m.into_iter().map(|(k, v)| (name(*k), *v)).collect();
    J::Object(
        sorted
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect::<Map<_, _>>(),
    )
}

fn pattern_names(facts: &Facts, i: usize) -> Vec<&'static str> {
    facts
        .patterns
        .get(i)
        .map(|ps| ps.iter().map(|p| p.as_str()).collect())
        .unwrap_or_default()
}

pub fn to_json(ws: &Workspace, graph: &StackGraph, facts: &Facts) -> J {
    let catalog = OutputCatalog::build(ws);
    let stacks: Vec<J> = ws
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = &graph.metrics[i];
            let exposed = catalog.stacks.get(i);
            let (outputs, known) = match exposed {
                Some(Exposed::Known(o)) => (o.len(), true),
                _ => (s.outputs.len(), false),
            };
            let p = facts.profiles.stacks.get(i);
            json!({
                "id": s.id,
                "kind": s.kind.as_str(),
                "resources": s.resources.len(),
                "data_sources": s.data.len(),
                "modules": s.module_calls.len(),
                "outputs": outputs,
                "outputs_known": known,
                "outputs_read": m.outputs_read.len(),
                "outputs_read_dynamically": m.outputs_read_dynamically,
                "instances": s.instance_count(),
                "instance_names": s.instances.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
                "workspaces": s.uses_workspaces,
                "backend": super::graph::backend_json(s),
                "depends_on": graph.depends_on[i].len(),
                "depended_on_by": graph.depended_on_by[i].len(),
                "ca": m.ca,
                "ce": m.ce,
                "instability": (m.instability * 100.0).round() / 100.0,
                "depth": m.depth,
                "in_cycle": m.cycle.is_some(),
                "patterns": pattern_names(facts, i),
                "domains": p.map(|p| counts(&p.domains, |d| d.as_str())).unwrap_or_else(|| json!({})),
                "classes": {
                    "lifecycle": p.map(|p| counts(&p.lifecycles, |d| d.as_str())).unwrap_or_else(|| json!({})),
                    "scaling": p.map(|p| counts(&p.scalings, |d| d.as_str())).unwrap_or_else(|| json!({})),
                },
                "services": p.map(|p| p.services.iter().map(|(_, s)| s.name.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                "unclassified_types": p.map(|p| p.unclassified.iter().cloned().collect::<Vec<_>>()).unwrap_or_default(),
            })
        })
        .collect();
    json!({"version": 1, "stacks": stacks})
}

pub fn to_table(ws: &Workspace, graph: &StackGraph, facts: &Facts) -> String {
    let catalog = OutputCatalog::build(ws);
    let header = [
        "STACK", "KIND", "RES", "INST", "BACKEND", "DEPS", "USED-BY", "I", "DEPTH", "OUT-READ",
        "PATTERNS",
    ];
    let rows: Vec<Vec<String>> = ws
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = &graph.metrics[i];
            vec![
                s.id.clone(),
                s.kind.as_str().to_string(),
                s.resources.len().to_string(),
                s.instance_count().to_string(),
                backend_summary(s),
                m.ce.to_string(),
                m.ca.to_string(),
                format!("{:.2}", m.instability),
                format!(
                    "{}{}",
                    m.depth,
                    if m.cycle.is_some() { " (cycle)" } else { "" }
                ),
                outputs_cell(catalog.stacks.get(i), m),
                {
                    let names = pattern_names(facts, i);
                    if names.is_empty() {
                        "-".to_string()
                    } else {
                        names.join(",")
                    }
                },
            ]
        })
        .collect();
    render_table(&header, &rows)
}

/// Left-aligned text columns separated by two spaces; numeric columns right-aligned.
pub fn render_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| {
            !rows.is_empty()
                && rows
                    .iter()
                    .all(|r| r.get(i).is_some_and(|c| c.parse::<f64>().is_ok()))
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if numeric[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}
