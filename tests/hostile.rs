//! Hostile input never crashes stacklint: each case yields a clear `parse-error` (or
//! note) with a location, and the rest of the tree is still analysed.

use stacklint::check::{lint_dir, Selection};
use stacklint::rules::{RuleId, Severity};
use std::path::Path;

const GOOD_STACK: &str = r#"terraform {
  backend "s3" {
    bucket = "acme-tf"
    key    = "good/terraform.tfstate"
    region = "us-east-1"
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
"#;

fn tree_with(bad_name: &str, bad: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("good")).expect("mkdir");
    std::fs::write(dir.path().join("good/main.tf"), GOOD_STACK).expect("write");
    let bad_path = dir.path().join("bad").join(bad_name);
    std::fs::create_dir_all(bad_path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&bad_path, bad).expect("write");
    dir
}

/// Lints `root`; returns the parse-error findings as `path:line:col severity message`
/// and whether the good stack was still analysed.
fn problems(root: &Path) -> (Vec<String>, bool) {
    let (a, findings) =
        lint_dir(root, &Selection::only(&[RuleId::ParseError]), Some(2)).expect("lint runs");
    let good_seen =
        a.ws.stacks
            .iter()
            .any(|s| s.id == "good" && s.resources.len() == 1);
    let out = findings
        .iter()
        .filter(|f| f.rule == RuleId::ParseError)
        .map(|f| {
            let lc = a.ws.file(f.loc.file).lines.line_col(f.loc.span.start, None);
            format!(
                "{}:{}:{} {} {}",
                a.ws.path(f.loc.file),
                lc.line,
                lc.column,
                f.severity.as_str(),
                f.message
            )
        })
        .collect();
    (out, good_seen)
}

#[test]
fn nul_bytes_are_reported_with_their_position() {
    let dir = tree_with("main.tf", b"resource \"a\" \"b\" {}\nx = 1\0\0\0");
    let (p, good) = problems(dir.path());
    assert!(good);
    assert_eq!(
        p,
        vec!["bad/main.tf:2:6 error file contains a NUL byte; it looks binary, not HCL"]
    );
}

#[test]
fn invalid_utf8_is_reported() {
    let dir = tree_with("main.tf", b"locals {\n  a = \"caf\xe9\"\n}\n");
    let (p, good) = problems(dir.path());
    assert!(good);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("bad/main.tf:2:") && p[0].contains("not valid UTF-8"),
        "{p:?}"
    );
}

#[test]
fn absurd_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let dir = tree_with("main.tf", deep.as_bytes());
    let (p, good) = problems(dir.path());
    assert!(good);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("bad/main.tf:"), "{p:?}");
    let nested_objects = format!("x = {}1{}\n", "{a = ".repeat(50_000), "}".repeat(50_000));
    let dir = tree_with("vars.tfvars", nested_objects.as_bytes());
    let (p, _) = problems(dir.path());
    assert_eq!(p.len(), 1, "{p:?}");
}

#[test]
fn large_files_are_skipped_with_a_note() {
    let mut big = b"locals {\n".to_vec();
    big.resize(6 * 1024 * 1024, b' ');
    big.extend_from_slice(b"\n}\n");
    let dir = tree_with("generated.tf", &big);
    let (a, findings) =
        lint_dir(dir.path(), &Selection::only(&[RuleId::ParseError]), Some(1)).expect("lint");
    let notes: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Note)
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].message.contains("larger than the 5.0 MiB limit"),
        "{}",
        notes[0].message
    );
    assert!(a.ws.stacks.iter().any(|s| s.id == "good"));
}

#[test]
fn empty_and_whitespace_files_are_fine() {
    let dir = tree_with("main.tf", b"");
    std::fs::write(dir.path().join("bad/variables.tf"), b"\n\n   \n").expect("write");
    let (p, good) = problems(dir.path());
    assert!(good);
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn a_broken_block_loses_only_itself() {
    let src = format!("{GOOD_STACK}\nresource \"aws_s3_bucket\" \"broken\" {{\n  bucket = = \"x\"\n}}\n\nresource \"aws_s3_bucket\" \"after\" {{\n  bucket = \"acme-after\"\n}}\n");
    let dir = tree_with("main.tf", src.as_bytes());
    let (a, findings) =
        lint_dir(dir.path(), &Selection::only(&[RuleId::ParseError]), Some(1)).expect("lint");
    assert_eq!(findings.len(), 1);
    let bad =
        a.ws.stacks
            .iter()
            .find(|s| s.id == "bad")
            .expect("bad stack still modelled");
    let names: Vec<&str> = bad.resources.iter().map(|r| &*r.item.name).collect();
    assert_eq!(names, vec!["logs", "after"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_terminate_with_a_diagnostic() {
    let dir = tree_with("main.tf", GOOD_STACK.as_bytes());
    std::os::unix::fs::symlink("..", dir.path().join("bad/loop")).expect("symlink");
    std::os::unix::fs::symlink("missing.tf", dir.path().join("bad/dangling.tf")).expect("symlink");
    let (p, good) = problems(dir.path());
    assert!(good);
    assert!(p.iter().any(|m| m.contains("symlink loop")), "{p:?}");
    assert!(
        p.iter()
            .any(|m| m.starts_with("bad/dangling.tf") && m.contains("dangling")),
        "{p:?}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree_with("main.tf", GOOD_STACK.as_bytes());
    let f = dir.path().join("bad/main.tf");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&f).is_ok() {
        // Root reads anything: run the binary as `nobody` instead, so CI (root) still
        // proves the diagnostic.
        unreadable_as_nobody(dir.path());
        return;
    }
    let (p, good) = problems(dir.path());
    assert!(good);
    assert_eq!(
        p,
        vec!["bad/main.tf:1:1 error cannot read file: permission denied"]
    );
}

/// As root: `stacklint check` run as `nobody` through setpriv on a world-readable copy.
#[cfg(unix)]
fn unreadable_as_nobody(tree: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let has_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_setpriv {
        eprintln!(
            "SKIPPED unreadable_files_are_reported: running as root and setpriv (util-linux) \
             is missing, so permissions cannot be enforced"
        );
        return;
    }
    // The temporary directory is private to root; nobody needs to traverse it.
    for d in [tree, &tree.join("good"), &tree.join("bad")] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::fs::set_permissions(
        tree.join("good/main.tf"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
        .arg(assert_cmd::cargo::cargo_bin("stacklint"))
        .args([
            "check",
            "--no-config",
            "--format",
            "compact",
            "--color",
            "never",
        ])
        .arg(tree)
        .output()
        .expect("setpriv runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("bad/main.tf:1:1: error[parse-error] cannot read file: permission denied"),
        "{stdout}"
    );
    // The readable stack was analysed: its resource shows in the stack listing.
    let stacks = std::process::Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
        .arg(assert_cmd::cargo::cargo_bin("stacklint"))
        .args(["stacks", "--no-config", "--format", "json"])
        .arg(tree)
        .output()
        .expect("setpriv runs");
    let json = String::from_utf8_lossy(&stacks.stdout);
    assert!(json.contains("\"good\""), "{json}");
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_not_read() {
    let dir = tree_with("main.tf", GOOD_STACK.as_bytes());
    let fifo = dir.path().join("bad/pipe.tf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("bad/zero.tf")).expect("symlink");
    let (p, good) = problems(dir.path());
    assert!(good);
    let not_regular = "is not a regular file (a FIFO, socket or device); not read";
    assert!(
        p.contains(&format!("bad/zero.tf:1:1 error {not_regular}")),
        "{p:?}"
    );
    if made {
        assert!(
            p.contains(&format!("bad/pipe.tf:1:1 error {not_regular}")),
            "{p:?}"
        );
    } else {
        eprintln!("SKIPPED the FIFO half of fifos_and_devices_are_not_read: mkfifo failed");
    }
}

/// Files under `/proc` say they hold 0 bytes: they are still read (to the size
/// limit), not taken as empty. `/proc/version` is one line of text, not HCL, so reading
/// it gives a parse error; taken as empty it would give nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_says_it_is_empty_is_still_read() {
    let proc_file = Path::new("/proc/version");
    if std::fs::metadata(proc_file).map_or(true, |m| m.len() != 0) {
        eprintln!(
            "SKIPPED a_file_that_says_it_is_empty_is_still_read: no empty-sized /proc/version"
        );
        return;
    }
    let dir = tree_with("main.tf", GOOD_STACK.as_bytes());
    std::os::unix::fs::symlink(proc_file, dir.path().join("bad/version.tf")).expect("symlink");
    let (p, good) = problems(dir.path());
    assert!(good);
    let read: Vec<&String> = p
        .iter()
        .filter(|l| l.starts_with("bad/version.tf:"))
        .collect();
    assert!(!read.is_empty(), "{p:?}");
    assert!(
        read.iter()
            .all(|l| !l.contains("not read") && !l.contains("cannot read")),
        "{read:?}"
    );
}

#[test]
fn a_directory_named_like_a_stack_file_is_walked_not_read() {
    let dir = tree_with("main.tf", GOOD_STACK.as_bytes());
    let odd = dir.path().join("network.tf");
    std::fs::create_dir_all(&odd).expect("mkdir");
    std::fs::write(odd.join("main.tf"), GOOD_STACK.replace("good/", "network/")).expect("write");
    let (a, findings) =
        lint_dir(dir.path(), &Selection::only(&[RuleId::ParseError]), Some(2)).expect("lint");
    assert!(findings.is_empty(), "{findings:?}");
    let ids: Vec<&str> = a.ws.stacks.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(&"network.tf"), "{ids:?}");
    assert!(ids.contains(&"good"), "{ids:?}");
}

#[test]
fn paths_with_spaces_and_non_ascii_names_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stack = dir.path().join("équipe données/prod stack");
    std::fs::create_dir_all(&stack).expect("mkdir");
    std::fs::write(stack.join("main.tf"), GOOD_STACK).expect("write");
    let (a, findings) = lint_dir(dir.path(), &Selection::default(), Some(1)).expect("lint");
    assert!(findings.is_empty());
    assert_eq!(a.ws.stacks[0].id, "équipe données/prod stack");
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let src = format!("\u{feff}{}", GOOD_STACK.replace('\n', "\r\n"));
    let dir = tree_with("main.tf", src.as_bytes());
    let (p, good) = problems(dir.path());
    assert!(good && p.is_empty(), "{p:?}");
}
