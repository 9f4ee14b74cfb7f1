//! `--format json`: the finding contract of ARCHITECTURE.md, plus `help` and
//! `fingerprint`. Serialised from borrowed structs straight into the output (a
//! `serde_json::Value` tree of 35,000 findings cost a second and 200 MB), each finding
//! on its own in parallel and streamed a batch at a time; the bytes are those of
//! `to_string_pretty` on the whole document.

use super::Report;
use serde::Serialize;
use std::io::Write;

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
    help: Option<&'a str>,
    related: Vec<Related<'a>>,
    fingerprint: Option<&'a String>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    line: u32,
    message: &'a str,
}

/// Writes the document: header, the findings a batch at a time as they are rendered
/// (see [`super::stream`]), then the summary.
pub fn write(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"{\n  \"version\": 1,\n  \"findings\": ")?;
    super::stream_json_array(out, r.findings, 4, |slot, i, f| {
        let (piece, indent) = slot.raw();
        write_finding(piece, &finding(r, i, f), indent);
        true
    })?;
    let mut tail = b",\n  \"summary\": ".to_vec();
    super::nested::write_nested(&mut tail, &r.summary, 2);
    tail.extend_from_slice(b"\n}\n");
    out.write_all(&tail)
}

/// A finding's object as serde_json pretty-prints `Finding` (the test below compares
/// the two), written by hand: through serde, rendering findings was 7.6% of a JSON run
/// on 10,000 stacks, most of it a formatter call per token and escaping byte by byte.
fn write_finding(out: &mut Vec<u8>, f: &Finding, indent: usize) {
    use super::nested::{number, pad, string, Object};
    let opt = |out: &mut Vec<u8>, s: Option<&str>| match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    };
    let mut o = Object::open(out, indent);
    string(o.key(b"\"rule\": "), f.rule);
    string(o.key(b"\"severity\": "), f.severity);
    opt(o.key(b"\"stack\": "), f.stack);
    string(o.key(b"\"file\": "), f.file);
    number(o.key(b"\"line\": "), f.line);
    number(o.key(b"\"column\": "), f.column);
    number(o.key(b"\"end_line\": "), f.end_line);
    number(o.key(b"\"end_column\": "), f.end_column);
    string(o.key(b"\"message\": "), f.message);
    opt(o.key(b"\"help\": "), f.help);
    let related = o.key(b"\"related\": ");
    if f.related.is_empty() {
        related.extend_from_slice(b"[]");
    } else {
        related.push(b'[');
        for (k, rel) in f.related.iter().enumerate() {
            if k > 0 {
                related.push(b',');
            }
            related.push(b'\n');
            pad(related, indent + 4);
            let mut item = Object::open(related, indent + 4);
            string(item.key(b"\"file\": "), rel.file);
            number(item.key(b"\"line\": "), rel.line);
            string(item.key(b"\"message\": "), rel.message);
            item.close();
        }
        related.push(b'\n');
        pad(related, indent + 2);
        related.push(b']');
    }
    opt(
        o.key(b"\"fingerprint\": "),
        f.fingerprint.map(String::as_str),
    );
    o.close();
}

fn finding<'a>(r: &'a Report, i: usize, f: &'a crate::rules::Finding) -> Finding<'a> {
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
        help: f.help.as_deref(),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        findings: Vec<Finding<'a>>,
        summary: &'a super::super::Summary,
    }

    #[test]
    fn streamed_bytes_are_the_whole_documents_pretty_print() {
        crate::output::testing::estate_report(|r| {
            let whole = Document {
                version: 1,
                findings: (r.findings.iter().enumerate())
                    .map(|(i, f)| finding(r, i, f))
                    .collect(),
                summary: &r.summary,
            };
            let mut want = serde_json::to_string_pretty(&whole).expect("serialises");
            want.push('\n');
            let mut got = Vec::new();
            write(r, &mut got).expect("writes");
            assert_eq!(String::from_utf8(got).expect("UTF-8"), want);
        });
    }
}
