//! `--format junit`: JUnit XML that both the Jenkins xUnit schema and the strict Apache
//! Ant schema accept (../shared/schemas), so GitLab, Jenkins, Azure DevOps, CircleCI and
//! the other test-report importers show findings as failed tests.
//!
//! - `<testsuites>` without attributes (Ant forbids them), one `<testsuite>` per stack,
//!   sorted by stack id, plus one named `(outside stacks)` for findings in files that
//!   belong to no stack. Each suite has `package`, `id` (0, 1, ...), `hostname`
//!   `localhost`, a fixed `timestamp` (see [`super::report_timestamp`]: `1970-01-01T00:00:00`
//!   or `SOURCE_DATE_EPOCH`), `time="0"`, `<properties/>` first and empty
//!   `<system-out/>`/`<system-err/>` last.
//! - One `<testcase>` per finding with one `<failure type="<severity>">`; a stack without
//!   findings is one passing testcase, and a tree with no stacks and no findings is one
//!   passing `stacklint` suite, so "no findings" still reads as a passed test.
//! - Nothing depends on the clock, host or scheduling: the same tree gives the same bytes.

use super::{full_message, repo_path, repo_prefix, report_timestamp, xml_escape, Report};
use crate::rules::Finding;
use std::collections::BTreeMap;
use std::fmt::Write as _;

struct Suite<'a> {
    name: String,
    classname: String,
    findings: Vec<&'a Finding>,
}

/// Writes the document, the suites streamed as they are rendered.
pub fn write(r: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let prefix = repo_prefix(r.ws);
    let timestamp = report_timestamp();
    let mut by_stack: BTreeMap<&str, Suite> = BTreeMap::new();
    for s in &r.ws.stacks {
        by_stack.insert(
            s.id.as_str(),
            Suite {
                name: s.id.clone(),
                classname: classname(&s.id),
                findings: Vec::new(),
            },
        );
    }
    let mut outside = Suite {
        name: "(outside stacks)".to_string(),
        classname: "stacklint.(outside stacks)".to_string(),
        findings: Vec::new(),
    };
    for f in r.findings {
        let suite = f
            .stack
            .and_then(|i| r.ws.stacks.get(i))
            .and_then(|s| by_stack.get_mut(s.id.as_str()));
        match suite {
            Some(s) => s.findings.push(f),
            None => outside.findings.push(f),
        }
    }
    let mut suites: Vec<Suite> = by_stack.into_values().collect();
    if !outside.findings.is_empty() {
        suites.push(outside);
    }
    if suites.is_empty() {
        suites.push(Suite {
            name: "stacklint".to_string(),
            classname: "stacklint".to_string(),
            findings: Vec::new(),
        });
    }

    // One suite per stack, written in parallel a batch at a time.
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n")?;
    super::stream(
        out,
        &suites,
        || (),
        |_, id, suite| suite_xml(r, &prefix, &timestamp, id, suite),
    )?;
    out.write_all(b"</testsuites>\n")
}

fn suite_xml(r: &Report, prefix: &str, timestamp: &str, id: usize, suite: &Suite) -> String {
    let mut out = String::new();
    let tests = suite.findings.len().max(1);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" package=\"stacklint\" id=\"{id}\" hostname=\"localhost\" timestamp=\"{timestamp}\" tests=\"{tests}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">",
        xml_escape(&suite.name),
        suite.findings.len()
    );
    out.push_str("    <properties/>\n");
    if suite.findings.is_empty() {
        let name = if r.ws.stacks.is_empty() {
            "no findings".to_string()
        } else {
            suite.name.clone()
        };
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"/>",
            xml_escape(&suite.classname),
            xml_escape(&name)
        );
    }
    for f in &suite.findings {
        let (s, _) = r.sources.range(r.ws, f.loc);
        let path = repo_path(prefix, r.ws, f.loc.file);
        let mut body = format!(
            "{path}:{}:{}: {}[{}] {}",
            s.line,
            s.column,
            f.severity.as_str(),
            f.rule,
            full_message(f)
        );
        for rel in &f.related {
            let (rs, _) = r.sources.range(r.ws, rel.loc);
            let _ = write!(
                body,
                "\n  {}:{}: {}",
                repo_path(prefix, r.ws, rel.loc.file),
                rs.line,
                rel.message
            );
        }
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
            xml_escape(&suite.classname),
            xml_escape(&format!("{} {path}:{}:{}", f.rule, s.line, s.column)),
            xml_escape(&f.message),
            f.severity.as_str(),
            text_escape(&body)
        );
    }
    out.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
    out
}

/// `stacklint.` and the stack id with `/` as `.`, the way test-report viewers group
/// classes into packages; the root stack is `(root)`.
fn classname(stack_id: &str) -> String {
    if stack_id == "." {
        "stacklint.(root)".to_string()
    } else {
        format!("stacklint.{}", stack_id.replace('/', "."))
    }
}

/// Element text: like attributes, but line breaks stay literal.
fn text_escape(s: &str) -> String {
    s.split('\n').map(xml_escape).collect::<Vec<_>>().join("\n")
}
