//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//!
//! ```text
//! ::error file=stacks/app/main.tf,line=22,endLine=30,title=stack-cycle::3 stacks depend on each other...
//! ```
//!
//! Severity maps to the command (`note` -> `notice`). Paths are relative to the
//! repository root (annotations attach to repository files). Values are escaped the way
//! the runner unescapes them (actions/toolkit `command.ts`): in the message `%`, `\r`,
//! `\n`; in properties also `:` and `,`. The runner drops columns on a multi-line
//! annotation, so `col`/`endColumn` are only written when the finding starts and ends on
//! one line. Related locations follow the message on their own lines.

use super::{full_message, repo_path, repo_prefix, Report};
use crate::rules::{Finding, Severity};

/// Writes one annotation line per finding, rendered in parallel a batch at a time.
pub fn write(r: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let prefix = repo_prefix(r.ws);
    super::stream(out, r.findings, || (), |_, _, f| annotation(r, &prefix, f))
}

fn annotation(r: &Report, prefix: &str, f: &Finding) -> String {
    let (s, e) = r.sources.range(r.ws, f.loc);
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = vec![
        format!(
            "file={}",
            escape_property(&repo_path(prefix, r.ws, f.loc.file))
        ),
        format!("line={}", s.line),
    ];
    let end_line = e.line.max(s.line);
    if end_line == s.line {
        props.push(format!("col={}", s.column));
        props.push(format!("endLine={end_line}"));
        props.push(format!("endColumn={}", e.column.max(s.column)));
    } else {
        props.push(format!("endLine={end_line}"));
    }
    props.push(format!("title={}", escape_property(f.rule.as_str())));
    let mut message = full_message(f);
    for rel in &f.related {
        let (rs, _) = r.sources.range(r.ws, rel.loc);
        message.push_str(&format!(
            "\n  {}:{}: {}",
            repo_path(prefix, r.ws, rel.loc.file),
            rs.line,
            rel.message
        ));
    }
    format!("::{kind} {}::{}\n", props.join(","), escape_data(&message))
}

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(
            escape_property("stacks/a,b:c%/main.tf"),
            "stacks/a%2Cb%3Ac%25/main.tf"
        );
    }
}
