//! `stacklint report`: Markdown and JSON snapshots on fixture trees, the HTML's
//! structure (self-contained, every section, the graph and the table), git history on a
//! repository made here, and the history section degrading without git or a repository.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report(dir: &Path, args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("stacklint")
        .expect("binary builds")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["report", "--no-config", "-o", "-"])
        .args(args)
        .arg(dir)
        .output()
        .expect("stacklint runs");
    assert!(
        out.status.success(),
        "report failed on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fixture trees snapshotted (name, path).
fn snapshot_cases() -> Vec<(&'static str, PathBuf)> {
    vec![
        ("monorepo", root().join("examples/monorepo")),
        ("terraform-s3", root().join("fixtures/graph/terraform-s3")),
        (
            "terragrunt-live",
            root().join("fixtures/graph/terragrunt-live"),
        ),
        (
            "stack-cycle",
            root().join("fixtures/rules/stack-cycle/bad/three-stacks-two-mechanisms"),
        ),
    ]
}

#[test]
fn markdown_snapshots() {
    for (name, dir) in snapshot_cases() {
        let (md, _) = report(&dir, &["--no-history", "-f", "markdown"]);
        insta::assert_snapshot!(format!("markdown_{name}"), md);
    }
}

#[test]
fn json_snapshots() {
    for (name, dir) in snapshot_cases() {
        let (json, _) = report(&dir, &["--no-history", "-f", "json"]);
        let v: Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(v["version"], 1);
        insta::assert_snapshot!(format!("json_{name}"), json);
    }
}

#[test]
fn markdown_is_a_readable_pr_comment() {
    let dir = root().join("fixtures/rules/stack-cycle/bad/three-stacks-two-mechanisms");
    let (md, _) = report(&dir, &["--no-history", "-f", "markdown"]);
    // Every row of a table has the header's column count (no broken pipes).
    let mut header: Option<usize> = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let cells = line.matches('|').count() - line.matches("\\|").count();
        match header {
            None => header = Some(cells),
            Some(h) => assert_eq!(cells, h, "row does not match its header: {line}"),
        }
    }
    assert_eq!(md.matches("```").count() % 2, 0, "unbalanced code fences");
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count(),
        "unbalanced <details>"
    );
    assert!(md.contains("stack-cycle"));
    assert!(md.len() < 60_000, "too long for a PR comment: {}", md.len());
}

/// Structure checks every HTML report must pass.
fn check_html(html: &str, stacks: usize) {
    // Self-contained: nothing loads from outside the document.
    for bad in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "<object",
        "<embed",
    ] {
        assert!(!html.contains(bad), "HTML contains {bad}");
    }
    for (i, _) in html.match_indices("url(") {
        assert!(
            html[i..].starts_with("url(#"),
            "url() to something other than a fragment: {}",
            &html[i..(i + 40).min(html.len())]
        );
    }
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !without_ns.contains("http://") && !without_ns.contains("https://"),
        "HTML references a network URL"
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("prefers-color-scheme: dark"), "no dark mode");
    assert!(html.contains("@media print"), "no print styles");
    for id in [
        "summary", "graph", "stacks", "details", "findings", "history",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing"
        );
    }
    assert!(html.contains("<svg class=\"graph\""), "graph SVG missing");
    assert!(html.contains("<table class=\"sortable\" id=\"stack-table\">"));
    let table = html
        .split("id=\"stack-table\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("stack table");
    assert_eq!(
        table.matches("<tr data-i=").count(),
        stacks,
        "one row per stack"
    );
    for i in 0..stacks {
        assert!(
            html.contains(&format!("<details class=\"stack\" id=\"s{i}\"")),
            "detail of stack {i} missing"
        );
    }
    // Balanced SVG elements.
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
}

#[test]
fn html_has_every_section_and_is_self_contained() {
    let dir = root().join("fixtures/rules/stack-cycle/bad/three-stacks-two-mechanisms");
    let (html, _) = report(&dir, &["--no-history"]);
    check_html(&html, 3);
    // The cycle is drawn in red and the finding is explained with its fix and code.
    assert!(html.contains("class=\"e m-remote-state cyc\"") || html.contains(" cyc\" d=\""));
    assert!(html.contains("id=\"rule-stack-cycle\""));
    assert!(html.contains("<h4>Why it matters</h4>"));
    assert!(html.contains("<h4>Fix</h4>"));
    assert!(html.contains("<pre class=\"code\">"));
    assert!(html.contains("class=\"cl mark\""));
    assert!(html.contains("id=\"history-unavailable\""));
}

#[test]
fn large_trees_are_grouped_by_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ids = support::estate::write_estate(tmp.path(), &["dev", "staging", "prod"], 50);
    assert_eq!(ids.len(), 150);
    let (html, _) = report(tmp.path(), &["--no-history"]);
    check_html(&html, 150);
    assert!(html.contains("150 stacks are grouped by directory"));
    assert!(html.contains("Show all 150 stacks"));
    let (json, _) = report(tmp.path(), &["--no-history", "-f", "json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["summary"]["stacks"], 150);
    assert_eq!(v["summary"]["cycles"], 1);
    let cycle: Vec<&str> = v["cycles"][0]
        .as_array()
        .expect("a cycle")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        cycle,
        vec![
            "live/prod/services/svc-orders",
            "live/prod/services/svc-payments"
        ]
    );
    // The legacy monolith in prod is classified and named in the verdict.
    let verdict = v["summary"]["verdict"].as_str().expect("verdict");
    assert!(verdict.starts_with("150 stacks"), "{verdict}");
    assert!(verdict.contains("1 monolith holds"), "{verdict}");
    assert!(verdict.contains("1 dependency cycle"), "{verdict}");
}

#[test]
fn output_is_deterministic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    support::estate::write_estate(tmp.path(), &["dev", "prod"], 20);
    let (a, _) = report(tmp.path(), &["--no-history", "-j", "1"]);
    let (b, _) = report(tmp.path(), &["--no-history", "-j", "2"]);
    assert_eq!(a, b);
    assert!(a.contains("content=\"stacklint "));
    // SOURCE_DATE_EPOCH adds a fixed date, never the clock.
    let out = Command::cargo_bin("stacklint")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args([
            "report",
            "--no-config",
            "--no-history",
            "-f",
            "json",
            "-o",
            "-",
        ])
        .arg(tmp.path())
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v["generated"],
        format!("stacklint {} on 2023-11-14", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn html_goes_to_stacklint_report_html_by_default() {
    let tmp = tempfile::tempdir().expect("tempdir");
    support::estate::write_estate(&tmp.path().join("tree"), &["prod"], 5);
    let out = Command::cargo_bin("stacklint")
        .expect("binary")
        .current_dir(tmp.path())
        .args(["report", "--no-config", "--no-history", "tree"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let html = std::fs::read_to_string(tmp.path().join("stacklint-report.html"))
        .expect("stacklint-report.html written");
    check_html(&html, 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrote stacklint-report.html (5 stacks"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------
// Change history
// ---------------------------------------------------------------------------------

const T0: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

fn git(repo: &Path, args: &[&str], author: Option<(&str, i64)>) {
    let mut c = std::process::Command::new("git");
    c.current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ]);
    if let Some((name, time)) = author {
        let date = format!("@{time} +0000");
        c.env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(["-c", &format!("user.name={name}")])
            .args([
                "-c",
                &format!("user.email={}@example.com", name.to_lowercase()),
            ]);
    }
    let out = c.args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git_available() -> bool {
    std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn touch(repo: &Path, rel: &str, line: &str) {
    let p = repo.join(rel);
    let mut text = std::fs::read_to_string(&p).unwrap_or_default();
    text.push_str(line);
    text.push('\n');
    std::fs::write(p, text).expect("write");
}

/// stacks/net, stacks/app, stacks/db and a README; commits by Ann, Bob and Cid.
fn history_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    git(repo, &["init", "-q"], None);
    for s in ["net", "app", "db"] {
        std::fs::create_dir_all(repo.join("stacks").join(s)).expect("mkdir");
        std::fs::write(
            repo.join("stacks").join(s).join("main.tf"),
            format!(
                "terraform {{\n  backend \"s3\" {{\n    bucket = \"acme-tf\"\n    key    = \"{s}/terraform.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n\nresource \"aws_s3_bucket\" \"{s}\" {{\n  bucket = \"acme-{s}\"\n}}\n"
            ),
        )
        .expect("write");
    }
    let commit = |files: &[&str], who: &str, time: i64, msg: &str| {
        for f in files {
            touch(repo, f, &format!("# {msg}"));
        }
        git(repo, &["add", "-A"], None);
        git(repo, &["commit", "-q", "-m", msg], Some((who, time)));
    };
    // Outside a 90-day window ending at the last commit.
    commit(
        &["stacks/net/main.tf", "stacks/app/main.tf"],
        "Ann",
        T0 - 200 * DAY,
        "initial stacks",
    );
    commit(
        &["stacks/net/main.tf", "stacks/app/main.tf"],
        "Ann",
        T0 - 30 * DAY,
        "open port 8443 on app",
    );
    commit(
        &["stacks/net/main.tf", "stacks/app/main.tf"],
        "Bob",
        T0 - 20 * DAY,
        "new subnet for app",
    );
    commit(
        &["stacks/app/main.tf", "stacks/db/main.tf"],
        "Cid",
        T0 - 10 * DAY,
        "app reads replica",
    );
    commit(&["stacks/db/main.tf"], "Bob", T0 - 5 * DAY, "db backups");
    std::fs::write(repo.join("README.md"), "# infra\n").expect("write");
    commit(&["README.md"], "Ann", T0, "readme");
    tmp
}

#[test]
fn history_counts_commits_authors_and_co_changes() {
    if !git_available() {
        eprintln!("SKIP history_counts_commits_authors_and_co_changes: git is not installed");
        return;
    }
    let repo = history_repo();
    let (json, _) = report(repo.path(), &["-f", "json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    let h = &v["history"];
    assert_eq!(h["available"], true, "{h}");
    assert_eq!(h["days"], 90);
    assert_eq!(h["from"], "2023-08-16");
    assert_eq!(h["to"], "2023-11-14");
    assert_eq!(h["commits"], 4, "commits touching stacks in the window");
    assert_eq!(h["authors"], 3);
    assert_eq!(
        h["stacks"]["stacks/net"],
        serde_json::json!({"commits": 2, "authors": 2})
    );
    assert_eq!(
        h["stacks"]["stacks/app"],
        serde_json::json!({"commits": 3, "authors": 3})
    );
    assert_eq!(
        h["stacks"]["stacks/db"],
        serde_json::json!({"commits": 2, "authors": 2})
    );
    assert_eq!(
        h["co_changes"],
        serde_json::json!([{
            "a": "stacks/app", "b": "stacks/net", "together": 2,
            "a_commits": 3, "b_commits": 2, "degree": 0.8
        }])
    );
    // The per-stack rows carry the same numbers.
    let app = v["stacks"]
        .as_array()
        .expect("stacks")
        .iter()
        .find(|s| s["id"] == "stacks/app")
        .expect("app");
    assert_eq!(
        app["history"],
        serde_json::json!({"commits": 3, "authors": 3})
    );

    // A longer window takes the first commit in too.
    let (json, _) = report(repo.path(), &["-f", "json", "--history-days", "365"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    let h = &v["history"];
    assert_eq!(h["commits"], 5);
    assert_eq!(h["stacks"]["stacks/net"]["commits"], 3);
    assert_eq!(h["co_changes"][0]["together"], 3);
    assert_eq!(h["co_changes"][0]["degree"], 0.86);

    // The HTML and Markdown show them.
    let (html, _) = report(repo.path(), &[]);
    assert!(html.contains("id=\"history-table\""));
    assert!(html.contains("id=\"co-change-table\""));
    assert!(html.contains("4 commits by 3 authors"));
    let (md, _) = report(repo.path(), &["-f", "markdown"]);
    assert!(
        md.contains("| `stacks/app` + `stacks/net` | 2 | 3 / 2 | 80% |"),
        "{md}"
    );
}

#[test]
fn history_degrades_outside_a_repository() {
    let tmp = tempfile::tempdir().expect("tempdir");
    support::estate::write_estate(tmp.path(), &["prod"], 5);
    let (json, _) = report(tmp.path(), &["-f", "json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["history"]["available"], false);
    let reason = v["history"]["reason"].as_str().expect("reason");
    // Without git installed the reason is that git is missing; both are clean.
    assert!(
        reason.contains("not inside a git repository")
            || reason.contains("git could not be started"),
        "{reason}"
    );
    assert_eq!(
        v["summary"]["stacks"], 5,
        "the rest of the report is unaffected"
    );
    let (html, _) = report(tmp.path(), &[]);
    check_html(&html, 5);
    assert!(html.contains("id=\"history-unavailable\""));
}

#[test]
fn history_degrades_without_git() {
    let repo = history_repo_or_plain();
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::cargo_bin("stacklint")
        .expect("binary")
        .env("PATH", empty.path())
        .args(["report", "--no-config", "-f", "json", "-o", "-"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["history"]["available"], false);
    let reason = v["history"]["reason"].as_str().expect("reason");
    assert!(reason.starts_with("git could not be started"), "{reason}");
    assert_eq!(v["summary"]["stacks"], 3);
    let out = Command::cargo_bin("stacklint")
        .expect("binary")
        .env("PATH", empty.path())
        .args(["report", "--no-config", "-f", "markdown", "-o", "-"])
        .arg(repo.path())
        .output()
        .expect("runs");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("_Not available: git could not be started"),
        "{md}"
    );
}

/// The history repository when git exists (to prove the missing binary is the cause),
/// else a plain tree with the same stacks.
fn history_repo_or_plain() -> tempfile::TempDir {
    if git_available() {
        return history_repo();
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    for s in ["net", "app", "db"] {
        let d = tmp.path().join("stacks").join(s);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(
            d.join("main.tf"),
            format!("resource \"aws_s3_bucket\" \"{s}\" {{\n  bucket = \"acme-{s}\"\n}}\n"),
        )
        .expect("write");
    }
    tmp
}

#[test]
fn no_history_flag_says_so() {
    let dir = root().join("fixtures/graph/terraform-s3");
    let (md, _) = report(&dir, &["--no-history", "-f", "markdown"]);
    assert!(md.contains("_Not available: history was not read (--no-history)._"));
}

/// The Markdown report's Mermaid block renders in mermaid-cli (needs Chromium and
/// mermaid-cli, which `.ci/run` installs; skipped elsewhere).
#[test]
fn markdown_mermaid_block_renders() {
    let from_env = std::env::var_os("STACKLINT_SHARED_DIR").map(PathBuf::from);
    let Some(acc) = [from_env, Some(root().join("../shared"))]
        .into_iter()
        .flatten()
        .map(|p| p.join("acceptance"))
        .find(|p| p.is_dir())
    else {
        eprintln!("SKIP markdown_mermaid_block_renders: ../shared/acceptance not found");
        return;
    };
    let cache = std::env::var("STACKLINT_TOOLS_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(&std::env::var("HOME").unwrap_or_default())
                .join(".cache/stacklint-acceptance")
        });
    let has_chromium = std::process::Command::new("sh")
        .args(["-c", "command -v chromium"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !cache.join("node/node_modules/.bin/mmdc").exists() || !has_chromium {
        eprintln!("SKIP markdown_mermaid_block_renders: mermaid-cli or chromium not installed (.ci/run installs them)");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = root().join("fixtures/rules/stack-cycle/bad/three-stacks-two-mechanisms");
    let (md, _) = report(&dir, &["--no-history", "-f", "markdown"]);
    assert!(md.contains("```mermaid"));
    let f = tmp.path().join("report.md");
    std::fs::write(&f, md).expect("write");
    let status = std::process::Command::new("bash")
        .arg(acc.join("validate-mermaid.sh"))
        .arg(&f)
        .status()
        .expect("validate-mermaid.sh runs");
    assert!(
        status.success(),
        "mermaid-cli rejected the report's Mermaid block"
    );
}
