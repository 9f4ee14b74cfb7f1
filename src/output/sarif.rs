//! `--format sarif` (being written).

use super::Report;

pub fn render(_r: &Report) -> anyhow::Result<String> {
    anyhow::bail!("--format sarif is not implemented yet")
}
