//! `--format checkstyle` (being written).

use super::Report;

pub fn render(_r: &Report) -> anyhow::Result<String> {
    anyhow::bail!("--format checkstyle is not implemented yet")
}
