//! `--format json`: the report data as it is, for other tools (version 1).

use super::ReportData;

pub fn render(data: &ReportData) -> String {
    let mut s = serde_json::to_string_pretty(data).unwrap_or_default();
    s.push('\n');
    s
}
