//! `--format json`: the finding contract of ARCHITECTURE.md, plus `help` and
//! `fingerprint`. Serialised from borrowed structs straight into the output: a
//! `serde_json::Value` tree of 35,000 findings cost a second and 200 MB.

use super::{Report, Summary};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<Finding<'a>>,
    summary: &'a Summary,
}

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

pub fn render(r: &Report) -> String {
    let findings = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (s, e) = r.sources.range(r.ws, f.loc);
            Finding {
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
            }
        })
        .collect();
    let doc = Document {
        version: 1,
        findings,
        summary: &r.summary,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
