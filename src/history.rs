//! Reading git history. The only process stacklint ever starts is `git`, with a fixed
//! argument list, and only to read.

use anyhow::{bail, Context as _, Result};
use std::path::Path;
use std::process::Command;

/// Files changed since `reference` (committed, staged or not), relative to `root`.
pub fn changed_files(root: &Path, reference: &str) -> Result<Vec<String>> {
    if reference.starts_with('-') {
        bail!("--changed-since: {reference:?} is not a git revision");
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["diff", "--name-only", "--relative", "-z", reference, "--"])
        .output()
        .context("--changed-since needs git, which could not be started")?;
    if !out.status.success() {
        bail!(
            "--changed-since {reference}: git diff failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut files: Vec<String> = out
        .stdout
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    // Untracked files count as changed too.
    let untracked = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "--others", "--exclude-standard", "-z"])
        .output();
    if let Ok(u) = untracked {
        files.extend(
            u.stdout
                .split(|b| *b == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned()),
        );
    }
    files.sort();
    files.dedup();
    Ok(files)
}
