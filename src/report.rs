//! `stacklint report` (being written).

use crate::cli::ReportArgs;

pub fn run(_args: ReportArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`stacklint report` is not implemented yet")
}
