//! `--format junit` (being written).

use super::Report;

pub fn render(_r: &Report) -> anyhow::Result<String> {
    anyhow::bail!("--format junit is not implemented yet")
}
