//! One line per finding: `file:line:col: severity[rule] message`.

use super::Report;

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    for f in r.findings {
        let (start, _) = r.sources.range(r.ws, f.loc);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            r.ws.path(f.loc.file),
            start.line,
            start.column,
            f.severity.as_str(),
            f.rule,
            f.message
        ));
    }
    out
}
