//! The stack graph of every tree in `fixtures/graph/<case>/` must equal the hand-checked
//! `expected.json` beside it (stacks, edges with outputs, unresolved references with
//! their reasons), through the real binary; and must be byte-identical across thread
//! counts.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// (tree, expected graph): every `fixtures/graph/<case>/` with its `expected.json`, and
/// the README's example tree.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(root.join("fixtures/graph"))
        .expect("fixtures/graph exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.json").is_file())
        .map(|p| (p.clone(), p.join("expected.json")))
        .collect();
    v.push((
        root.join("examples/monorepo"),
        root.join("fixtures/graph/examples-monorepo.expected.json"),
    ));
    v.sort();
    v
}

fn graph(dir: &Path, jobs: &str) -> String {
    let out = Command::cargo_bin("stacklint")
        .expect("binary builds")
        .args(["graph", "--no-config", "--jobs", jobs])
        .arg(dir)
        .output()
        .expect("stacklint runs");
    assert!(out.status.success(), "graph failed on {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn graphs_equal_the_hand_checked_expectations() {
    let cases = cases();
    assert!(cases.len() >= 5, "expected graph fixtures, found {}", cases.len());
    for (dir, expected) in cases {
        let got: serde_json::Value = serde_json::from_str(&graph(&dir, "2")).expect("json");
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&expected).expect("expected graph file"),
        )
        .expect("expected.json is JSON");
        if got != want {
            panic!(
                "graph of {} differs from expected.json\n--- got ---\n{}",
                dir.display(),
                serde_json::to_string_pretty(&got).unwrap_or_default()
            );
        }
    }
}

#[test]
fn output_is_identical_across_thread_counts() {
    for (dir, _) in cases() {
        let one = graph(&dir, "1");
        let two = graph(&dir, "2");
        let eight = graph(&dir, "8");
        assert_eq!(one, two, "{}: --jobs 1 and 2 differ", dir.display());
        assert_eq!(one, eight, "{}: --jobs 1 and 8 differ", dir.display());
    }
}
