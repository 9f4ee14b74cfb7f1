//! `--format checkstyle`: Checkstyle's XML report format (as Checkstyle's `XMLLogger`
//! writes it), read by Jenkins warnings-ng, reviewdog, SonarQube and GitLab importers:
//! `<checkstyle version>`, one `<file name>` per file with findings (repository-relative
//! path, sorted), one `<error line column severity message source>` per finding, with
//! `severity` `error`/`warning`/`info` (a note is `info`) and `source`
//! `stacklint.<rule-id>`. The message includes the fix. Byte-identical across runs.

use super::{full_message, repo_path, repo_prefix, xml_escape, Report};
use crate::rules::Severity;
use std::fmt::Write as _;

pub fn render(r: &Report) -> anyhow::Result<String> {
    let prefix = repo_prefix(r.ws);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"{}\">\n",
        xml_escape(env!("CARGO_PKG_VERSION"))
    );
    // Findings arrive sorted by (path, offset): consecutive runs share a file.
    let mut current: Option<String> = None;
    for f in r.findings {
        let path = repo_path(&prefix, r.ws, f.loc.file);
        if current.as_deref() != Some(path.as_str()) {
            if current.is_some() {
                out.push_str("  </file>\n");
            }
            let _ = writeln!(out, "  <file name=\"{}\">", xml_escape(&path));
            current = Some(path);
        }
        let (s, _) = r.sources.range(r.ws, f.loc);
        let severity = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "info",
        };
        let _ = writeln!(
            out,
            "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"stacklint.{}\"/>",
            s.line,
            s.column.max(1),
            xml_escape(&full_message(f)),
            f.rule
        );
    }
    if current.is_some() {
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    Ok(out)
}
