//! One line per finding: `file:line:col: severity[rule] message`.

use super::Report;
use crate::rules::Finding;

pub fn render(r: &Report) -> String {
    r.findings.iter().map(|f| line(r, f)).collect()
}

/// Writes the lines, rendered in parallel a batch at a time.
pub fn write(r: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::stream(out, r.findings, || (), |_, _, f| line(r, f))
}

fn line(r: &Report, f: &Finding) -> String {
    let (start, _) = r.sources.range(r.ws, f.loc);
    format!(
        "{}:{}:{}: {}[{}] {}\n",
        r.ws.path(f.loc.file),
        start.line,
        start.column,
        f.severity.as_str(),
        f.rule,
        f.message
    )
}
