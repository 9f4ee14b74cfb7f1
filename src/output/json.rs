//! `--format json`: the finding contract of ARCHITECTURE.md, plus `help` and
//! `fingerprint`.

use super::Report;
use serde_json::{json, Value as J};

pub fn to_value(r: &Report) -> J {
    let findings: Vec<J> = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (s, e) = r.sources.range(r.ws, f.loc);
            let related: Vec<J> = f
                .related
                .iter()
                .map(|rel| {
                    let (rs, _) = r.sources.range(r.ws, rel.loc);
                    json!({"file": r.ws.path(rel.loc.file), "line": rs.line, "message": rel.message})
                })
                .collect();
            json!({
                "rule": f.rule.as_str(),
                "severity": f.severity.as_str(),
                "stack": f.stack.map(|s| r.ws.stacks[s].id.clone()),
                "file": r.ws.path(f.loc.file),
                "line": s.line,
                "column": s.column,
                "end_line": e.line,
                "end_column": e.column,
                "message": f.message,
                "help": f.help,
                "related": related,
                "fingerprint": r.fingerprints.get(i),
            })
        })
        .collect();
    json!({"version": 1, "findings": findings, "summary": r.summary})
}

pub fn render(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(r)).unwrap_or_default();
    s.push('\n');
    s
}
