//! Determinism: every output of every command is the same bytes across 20 runs and
//! across `--jobs 1`, `2` and `8`, on a synthetic monorepo big enough that rayon really
//! splits the work (remote state, Terragrunt, Terramate, SSM, local modules, tfvars).

mod common;

use common::*;
use std::path::Path;

const RUNS: usize = 20;
const JOBS: [&str; 3] = ["1", "2", "8"];

/// The command's stdout for each of 20 runs, cycling through the thread counts; fails
/// on the first run whose bytes differ from the first.
fn assert_stable(root: &Path, args: &[&str]) {
    let mut first: Option<Vec<u8>> = None;
    for run in 0..RUNS {
        let jobs = JOBS[run % JOBS.len()];
        let out = stacklint()
            .args(args)
            .arg(root)
            .args(["--jobs", jobs, "--color", "never"])
            .output()
            .expect("runs");
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 1,
            "{args:?} exited {code}: {}",
            stderr_of(&out)
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
        match &first {
            None => first = Some(out.stdout),
            Some(f) => assert!(
                *f == out.stdout,
                "{args:?}: run {run} (--jobs {jobs}) differs from run 0 (--jobs 1)"
            ),
        }
    }
}

#[test]
fn every_output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let written = stacklint::synth::write_monorepo(dir.path(), 60, 7).expect("synthetic tree");
    assert!(written >= 50, "generator wrote {written} stacks");
    for format in [
        "pretty",
        "compact",
        "json",
        "sarif",
        "github",
        "junit",
        "checkstyle",
    ] {
        assert_stable(dir.path(), &["check", "--no-config", "--format", format]);
    }
    for format in ["json", "dot", "mermaid"] {
        assert_stable(dir.path(), &["graph", "--no-config", "--format", format]);
    }
    for format in ["table", "json"] {
        assert_stable(dir.path(), &["stacks", "--no-config", "--format", format]);
    }
    for format in ["html", "markdown", "json"] {
        assert_stable(
            dir.path(),
            &[
                "report",
                "--no-config",
                "--no-history",
                "--output",
                "-",
                "--format",
                format,
            ],
        );
    }
}
