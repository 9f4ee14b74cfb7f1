//! `--format json`: the finding contract of ARCHITECTURE.md, plus `help` and
//! `fingerprint`. Serialised from borrowed structs straight into the output (a
//! `serde_json::Value` tree of 35,000 findings cost a second and 200 MB), each finding
//! on its own in parallel and written piece by piece; the pieces concatenate to the
//! bytes of `to_string_pretty` on the whole document.

use super::Report;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: &'static str,
    stack: Option<&'a str>,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    help: &'a Option<String>,
    related: Vec<Related<'a>>,
    fingerprint: Option<&'a String>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    line: u32,
    message: &'a str,
}

/// The document in pieces (header, one piece per finding, trailer): large reports are
/// written piece by piece, never joined.
pub fn render_chunks(r: &Report) -> Vec<String> {
    let findings: Vec<String> = r
        .findings
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let (s, e) = r.sources.range(r.ws, f.loc);
            let finding = Finding {
                rule: f.rule.as_str(),
                severity: f.severity.as_str(),
                stack: f.stack.map(|s| r.ws.stacks[s].id.as_str()),
                file: r.ws.path(f.loc.file),
                line: s.line,
                column: s.column,
                end_line: e.line,
                end_column: e.column,
                message: &f.message,
                help: &f.help,
                related: f
                    .related
                    .iter()
                    .map(|rel| Related {
                        file: r.ws.path(rel.loc.file),
                        line: r.sources.range(r.ws, rel.loc).0.line,
                        message: &rel.message,
                    })
                    .collect(),
                fingerprint: r.fingerprints.get(i),
            };
            pretty(&finding, 4)
        })
        .collect();
    let mut out = Vec::with_capacity(findings.len() + 2);
    out.push("{\n  \"version\": 1,\n  \"findings\": [".to_string());
    let shown = !findings.is_empty();
    for (i, mut f) in findings.into_iter().enumerate() {
        f.insert_str(0, if i == 0 { "\n    " } else { ",\n    " });
        out.push(f);
    }
    let mut tail = String::from(if shown { "\n  ]," } else { "]," });
    tail.push_str("\n  \"summary\": ");
    tail.push_str(&pretty(&r.summary, 2));
    tail.push_str("\n}\n");
    out.push(tail);
    out
}

/// `value` pretty-printed (two spaces a level) as if nested `indent` spaces deep.
/// JSON strings never hold a raw newline, so indenting every line after the first is
/// exact.
fn pretty(value: &impl Serialize, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let pad = " ".repeat(indent);
    text.replace('\n', &format!("\n{pad}"))
}
