//! `--format github` (being written).

use super::Report;

pub fn render(_r: &Report) -> anyhow::Result<String> {
    anyhow::bail!("--format github is not implemented yet")
}
