//! `stacklint graph`: the stack graph as JSON (the fixed contract), Graphviz DOT and
//! Mermaid.

use crate::eval::Value;
use crate::link::Links;
use crate::model::{Stack, Workspace};
use serde_json::{json, Map, Value as J};

pub fn value_json(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::Str(s) => J::String(s.clone()),
        Value::Pattern(p) => J::String(p.to_string()),
        Value::Unknown => J::String("*".into()),
        Value::List(items) => J::Array(items.iter().map(value_json).collect()),
        Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), value_json(v))).collect()),
    }
}

pub fn backend_json(stack: &Stack) -> J {
    match &stack.backend {
        Some(b) => {
            let config: Map<String, J> = b
                .config
                .iter()
                .map(|(k, v)| (k.clone(), value_json(v)))
                .collect();
            json!({"type": b.kind, "config": config})
        }
        None => J::Null,
    }
}

pub fn to_json(ws: &Workspace, links: &Links) -> J {
    let stacks: Vec<J> = ws
        .stacks
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "kind": s.kind.as_str(),
                "resources": s.resources.len(),
                "instances": s.instance_count(),
                "backend": backend_json(s),
            })
        })
        .collect();
    let edges: Vec<J> = links
        .edges
        .iter()
        .map(|e| {
            json!({
                "from": ws.stacks[e.from].id,
                "to": ws.stacks[e.to].id,
                "mechanism": e.mechanism.as_str(),
                "outputs": e.outputs.iter().collect::<Vec<_>>(),
                "file": ws.path(e.loc.file),
                "line": ws.line_of(e.loc),
            })
        })
        .collect();
    let unresolved: Vec<J> = links
        .unresolved
        .iter()
        .map(|u| {
            json!({
                "from": ws.stacks[u.from].id,
                "mechanism": u.mechanism.as_str(),
                "file": ws.path(u.loc.file),
                "line": ws.line_of(u.loc),
                "reason": u.reason,
            })
        })
        .collect();
    json!({"version": 1, "stacks": stacks, "edges": edges, "unresolved": unresolved})
}

/// Colour per mechanism, 6-digit hex (Graphviz warns on short forms).
fn mechanism_style(m: crate::link::Mechanism) -> (&'static str, &'static str) {
    use crate::link::Mechanism::*;
    match m {
        RemoteState => ("#c0392b", "solid"),
        TfeOutputs => ("#8e44ad", "solid"),
        TerragruntDependency => ("#2471a3", "solid"),
        TerragruntOrder => ("#2471a3", "dashed"),
        TerramateOrder => ("#117a65", "dashed"),
        ParameterStore => ("#b9770e", "solid"),
        ResourceLookup => ("#5d6d7e", "dotted"),
    }
}

fn resources_label(n: usize) -> String {
    if n == 1 {
        "1 resource".to_string()
    } else {
        format!("{n} resources")
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn to_dot(ws: &Workspace, links: &Links) -> String {
    let mut out = String::from(
        "digraph stacks {\n  rankdir=BT;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6f7\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for s in &ws.stacks {
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\\n{} · {}\"];\n",
            dot_escape(&s.id),
            dot_escape(&s.id),
            s.kind.as_str(),
            resources_label(s.resources.len())
        ));
    }
    for e in &links.edges {
        let (color, style) = mechanism_style(e.mechanism);
        let label = if e.outputs.is_empty() {
            e.mechanism.as_str().to_string()
        } else {
            format!("{} ({})", e.mechanism.as_str(), e.outputs.len())
        };
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\", color=\"{color}\", fontcolor=\"{color}\", style={style}];\n",
            dot_escape(&ws.stacks[e.from].id),
            dot_escape(&ws.stacks[e.to].id),
            label
        ));
    }
    out.push_str("}\n");
    out
}

fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;")
}

pub fn to_mermaid(ws: &Workspace, links: &Links) -> String {
    let mut out = String::from("flowchart BT\n");
    for (i, s) in ws.stacks.iter().enumerate() {
        out.push_str(&format!(
            "  s{i}[\"{}<br/>{} · {}\"]\n",
            mermaid_label(&s.id),
            s.kind.as_str(),
            resources_label(s.resources.len())
        ));
    }
    for e in &links.edges {
        let arrow = match e.mechanism {
            crate::link::Mechanism::TerragruntOrder | crate::link::Mechanism::TerramateOrder => {
                "-.->"
            }
            _ => "-->",
        };
        let label = if e.outputs.is_empty() {
            e.mechanism.as_str().to_string()
        } else {
            format!("{} ({})", e.mechanism.as_str(), e.outputs.len())
        };
        out.push_str(&format!("  s{} {arrow}|\"{label}\"| s{}\n", e.from, e.to));
    }
    out
}
