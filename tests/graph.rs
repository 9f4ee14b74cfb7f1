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
    assert!(
        out.status.success(),
        "graph failed on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn graphs_equal_the_hand_checked_expectations() {
    let cases = cases();
    assert!(
        cases.len() >= 5,
        "expected graph fixtures, found {}",
        cases.len()
    );
    for (dir, expected) in cases {
        let got: serde_json::Value = serde_json::from_str(&graph(&dir, "2")).expect("json");
        let want: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&expected).expect("expected graph file"))
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

/// The shared acceptance scripts: `$STACKLINT_SHARED_DIR/acceptance`, else
/// `../shared/acceptance` beside the checkout.
fn shared_acceptance() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("STACKLINT_ACCEPTANCE_DIR") {
        return Some(PathBuf::from(d));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/acceptance"))
        .find(|d| d.is_dir())
}

/// Prints why a validator test is skipped, or fails when `.ci/run` requires validators.
fn skip(test: &str, why: &str) {
    if std::env::var_os("STACKLINT_REQUIRE_VALIDATORS").is_some() {
        panic!("{test}: validator required (STACKLINT_REQUIRE_VALIDATORS) but {why}");
    }
    eprintln!("SKIPPED {test}: {why}");
}

fn tool_available(name: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Graphviz must render every DOT export without a warning (`dot` exits 0 on warnings,
/// e.g. an unknown colour renders nodes black), using the shared acceptance script.
#[test]
fn dot_exports_render_cleanly_in_graphviz() {
    let Some(acc) = shared_acceptance() else {
        skip(
            "dot_exports_render_cleanly_in_graphviz",
            "../shared/acceptance not found",
        );
        return;
    };
    if !tool_available("dot") {
        skip(
            "dot_exports_render_cleanly_in_graphviz",
            "graphviz `dot` is not installed (.ci/run installs it)",
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (i, (dir, _)) in cases().into_iter().enumerate() {
        let out = Command::cargo_bin("stacklint")
            .expect("binary")
            .args(["graph", "--no-config", "--format", "dot"])
            .arg(&dir)
            .output()
            .expect("runs");
        assert!(out.status.success());
        let f = tmp.path().join(format!("g{i}.dot"));
        std::fs::write(&f, &out.stdout).expect("write");
        files.push(f);
    }
    let status = std::process::Command::new("bash")
        .arg(acc.join("validate-dot.sh"))
        .args(&files)
        .status()
        .expect("validate-dot.sh runs");
    assert!(
        status.success(),
        "Graphviz rejected or warned about a DOT export"
    );
}

/// mermaid-cli must render every Mermaid export (needs Chromium and mermaid-cli, which
/// `.ci/run` installs; skipped elsewhere when they are missing).
#[test]
fn mermaid_exports_render_in_mermaid_cli() {
    let Some(acc) = shared_acceptance() else {
        skip(
            "mermaid_exports_render_in_mermaid_cli",
            "../shared/acceptance not found",
        );
        return;
    };
    let cache = std::env::var("STACKLINT_TOOLS_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(&std::env::var("HOME").unwrap_or_default())
                .join(".cache/stacklint-acceptance")
        });
    if !cache.join("node/node_modules/.bin/mmdc").exists() || !tool_available("chromium") {
        skip(
            "mermaid_exports_render_in_mermaid_cli",
            "mermaid-cli or chromium not installed (.ci/run installs them)",
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (i, (dir, _)) in cases().into_iter().enumerate() {
        let out = Command::cargo_bin("stacklint")
            .expect("binary")
            .args(["graph", "--no-config", "--format", "mermaid"])
            .arg(&dir)
            .output()
            .expect("runs");
        assert!(out.status.success());
        let f = tmp.path().join(format!("g{i}.mmd"));
        std::fs::write(&f, &out.stdout).expect("write");
        files.push(f);
    }
    let status = std::process::Command::new("bash")
        .arg(acc.join("validate-mermaid.sh"))
        .args(&files)
        .status()
        .expect("validate-mermaid.sh runs");
    assert!(status.success(), "mermaid-cli rejected a Mermaid export");
}
