//! `--format checkstyle`: Checkstyle's XML report format (as Checkstyle's `XMLLogger`
//! writes it), read by Jenkins warnings-ng, reviewdog, SonarQube and GitLab importers:
//! `<checkstyle version>`, one `<file name>` per file with findings (repository-relative
//! path, sorted), one `<error line column severity message source>` per finding, with
//! `severity` `error`/`warning`/`info` (a note is `info`) and `source`
//! `stacklint.<rule-id>`. The message includes the fix. Byte-identical across runs.

use super::{full_message, repo_path, repo_prefix, xml_escape, Report};
use crate::rules::Severity;
use std::fmt::Write as _;

/// Writes the document: one `<file>` per run of findings in the same file (findings
/// arrive sorted by path), the findings rendered in parallel a batch at a time.
pub fn write(r: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let prefix = repo_prefix(r.ws);
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"{}\">\n",
        xml_escape(env!("CARGO_PKG_VERSION"))
    )?;
    super::stream(
        out,
        r.findings,
        || (),
        |_, i, f| {
            let mut piece = String::new();
            let previous = i.checked_sub(1).and_then(|p| r.findings.get(p));
            if previous.is_none_or(|p| p.loc.file != f.loc.file) {
                if previous.is_some() {
                    piece.push_str("  </file>\n");
                }
                let path = repo_path(&prefix, r.ws, f.loc.file);
                let _ = writeln!(piece, "  <file name=\"{}\">", xml_escape(&path));
            }
            let (s, _) = r.sources.range(r.ws, f.loc);
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "info",
            };
            let _ = writeln!(
            piece,
            "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"stacklint.{}\"/>",
            s.line,
            s.column.max(1),
            xml_escape(&full_message(f)),
            f.rule
        );
            piece
        },
    )?;
    if !r.findings.is_empty() {
        out.write_all(b"  </file>\n")?;
    }
    out.write_all(b"</checkstyle>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_element_per_run_of_findings_in_a_file_across_batches() {
        crate::output::testing::estate_report(|r| {
            let mut got = Vec::new();
            write(r, &mut got).expect("writes");
            let text = String::from_utf8(got).expect("UTF-8");
            let runs = (r.findings.iter().enumerate())
                .filter(|(i, f)| *i == 0 || r.findings[i - 1].loc.file != f.loc.file)
                .count();
            assert_eq!(text.matches("<file name=").count(), runs);
            assert_eq!(text.matches("</file>").count(), runs);
            assert_eq!(text.matches("<error ").count(), r.findings.len());
            assert!(text.ends_with("</checkstyle>\n"));
        });
    }
}
