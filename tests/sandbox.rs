//! stacklint only reads: every command is run under `strace -f` on a fixture tree in a
//! git repository, and the trace must show no socket, no program but git, and no file
//! opened for writing (or renamed, removed, created) except the `--output` /
//! `--write-baseline` target and its temporary sibling. `stacklint init`, whose job is to
//! write a config file, is the one command left out.
//!
//! Needs strace and permission to ptrace (`.ci/run` installs strace); without them the
//! test prints SKIPPED, unless `STACKLINT_REQUIRE_VALIDATORS` is set.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const TRACED: &str = "execve,open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,\
unlink,unlinkat,rmdir,truncate,ftruncate,symlink,symlinkat,link,linkat,chmod,fchmodat,\
socket,socketpair,connect,bind";

const WRITE_FLAGS: [&str; 5] = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"];

/// Why strace cannot be used here, if it cannot.
fn strace_missing() -> Option<String> {
    match Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .output()
    {
        Err(e) => Some(format!("strace is not installed ({e})")),
        Ok(o) if !o.status.success() => Some(format!(
            "strace cannot trace here: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => None,
    }
}

/// Runs the binary under strace; returns the trace lines.
fn trace(cwd: &Path, log: &Path, args: &[&str]) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("stacklint");
    let out = Command::new("strace")
        .current_dir(cwd)
        .args(["-f", "-qq", "-s", "4096", "-e"])
        .arg(format!("trace={TRACED}"))
        .arg("-o")
        .arg(log)
        .arg(&bin)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("strace runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "stacklint {args:?} exited {code}: {}",
        stderr_of(&out)
    );
    std::fs::read_to_string(log)
        .expect("trace log")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The quoted path arguments of a trace line (`"..."`), in order.
fn quoted(line: &str) -> Vec<String> {
    line.split('"')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// Every problem the trace shows: sockets, other programs, writes outside `allowed`.
fn violations(lines: &[String], bin: &Path, allowed: &[PathBuf]) -> Vec<String> {
    let allowed_path = |p: &str| {
        p == "/dev/null"
            || allowed.iter().any(|a| {
                let tmp = a.with_file_name(format!(
                    ".{}.stacklint-tmp",
                    a.file_name().unwrap_or_default().to_string_lossy()
                ));
                Path::new(p) == a || Path::new(p) == tmp
            })
    };
    let mut bad = Vec::new();
    for line in lines {
        // "PID syscall(args) = ret"
        let Some(call) = line.split_whitespace().nth(1) else {
            continue;
        };
        let name = call.split('(').next().unwrap_or_default();
        let failed = line.contains(" = -1 ");
        match name {
            "socket" | "socketpair" | "connect" | "bind" => bad.push(format!("network: {line}")),
            "execve" if !failed => {
                let prog = quoted(line).into_iter().next().unwrap_or_default();
                if Path::new(&prog) != bin && !prog.ends_with("/git") {
                    bad.push(format!("started a program: {line}"));
                }
            }
            "open" | "openat" | "openat2" | "creat" if !failed => {
                let writes = name == "creat" || WRITE_FLAGS.iter().any(|f| line.contains(f));
                let path = quoted(line).into_iter().next().unwrap_or_default();
                if writes && !allowed_path(&path) {
                    bad.push(format!("opened for writing: {line}"));
                }
            }
            "mkdir" | "mkdirat" | "rename" | "renameat" | "renameat2" | "unlink" | "unlinkat"
            | "rmdir" | "truncate" | "symlink" | "symlinkat" | "link" | "linkat" | "chmod"
            | "fchmodat"
                if !failed =>
            {
                let paths = quoted(line);
                if paths.is_empty() || !paths.iter().all(|p| allowed_path(p)) {
                    bad.push(format!("changed the file system: {line}"));
                }
            }
            _ => {}
        }
    }
    bad
}

#[test]
fn stacklint_only_reads_starts_only_git_and_opens_no_socket() {
    if let Some(why) = strace_missing() {
        if std::env::var_os("STACKLINT_REQUIRE_VALIDATORS").is_some() {
            panic!("strace required (STACKLINT_REQUIRE_VALIDATORS) but {why}");
        }
        announce(&format!(
            "SKIPPED sandbox test: {why}. Install strace (apt-get install strace; .ci/run does)."
        ));
        return;
    }
    if !git_available() {
        announce("SKIPPED sandbox test: git is not installed");
        return;
    }
    let work = tempfile::tempdir().expect("tempdir");
    let tree = work.path().join("estate");
    copy_tree(&fixture("estate"), &tree);
    git(&tree, &["init", "-q"]);
    git(&tree, &["add", "-A"]);
    git(&tree, &["commit", "-q", "-m", "estate"]);
    let out = work.path().join("out");
    std::fs::create_dir(&out).expect("out dir");
    let bin = assert_cmd::cargo::cargo_bin("stacklint");
    let t = tree.to_string_lossy().to_string();
    let target = |name: &str| out.join(name);
    let runs: Vec<(Vec<String>, Vec<PathBuf>)> = vec![
        (vec!["check".into(), t.clone()], vec![]),
        (
            vec!["check".into(), t.clone(), "--format".into(), "sarif".into()]
                .into_iter()
                .chain([
                    "--output".into(),
                    target("check.sarif").display().to_string(),
                ])
                .collect(),
            vec![target("check.sarif")],
        ),
        (
            vec![
                "check".into(),
                t.clone(),
                "--write-baseline".into(),
                target("baseline.json").display().to_string(),
            ],
            vec![target("baseline.json")],
        ),
        (
            vec![
                "check".into(),
                t.clone(),
                "--baseline".into(),
                target("baseline.json").display().to_string(),
            ],
            vec![],
        ),
        (vec!["graph".into(), t.clone()], vec![]),
        (
            vec!["stacks".into(), t.clone(), "--format".into(), "json".into()],
            vec![],
        ),
        (
            vec![
                "report".into(),
                t.clone(),
                "--output".into(),
                target("report.html").display().to_string(),
            ],
            vec![target("report.html")],
        ),
        (vec!["rules".into()], vec![]),
        (vec!["explain".into(), "stack-cycle".into()], vec![]),
    ];
    let mut problems = Vec::new();
    for (i, (args, allowed)) in runs.iter().enumerate() {
        let log = work.path().join(format!("trace-{i}.log"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let lines = trace(&tree, &log, &args);
        assert!(
            lines.iter().any(|l| l.contains("execve(")),
            "strace recorded nothing for {args:?}"
        );
        for p in violations(&lines, &bin, allowed) {
            problems.push(format!("stacklint {}: {p}", args.join(" ")));
        }
        for a in allowed {
            assert!(
                a.exists(),
                "stacklint {args:?} did not write {}",
                a.display()
            );
        }
    }
    // The report reads history: git must have run, so the trace did see child processes.
    let report_log = std::fs::read_to_string(work.path().join("trace-6.log")).expect("log");
    assert!(
        report_log.contains("/git\""),
        "the report run did not start git"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_trace_check_catches_writes_programs_and_sockets() {
    let bin = Path::new("/usr/bin/stacklint");
    let allowed = vec![PathBuf::from("/tmp/out/report.html")];
    let lines: Vec<String> = [
        r#"10 execve("/usr/bin/stacklint", ["stacklint"], 0x0 /* 1 var */) = 0"#,
        r#"11 execve("/usr/bin/git", ["git", "log"], 0x0 /* 1 var */) = 0"#,
        r#"10 openat(AT_FDCWD, "/tmp/out/.report.html.stacklint-tmp", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3"#,
        r#"10 rename("/tmp/out/.report.html.stacklint-tmp", "/tmp/out/report.html") = 0"#,
        r#"10 openat(AT_FDCWD, "/tree/main.tf", O_RDONLY|O_CLOEXEC) = 3"#,
        r#"12 execve("/bin/sh", ["sh", "-c", "terraform init"], 0x0 /* 1 var */) = 0"#,
        r#"10 openat(AT_FDCWD, "/tree/.terraform.lock.hcl", O_WRONLY|O_CREAT, 0644) = 4"#,
        r#"10 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 5"#,
        r#"10 unlink("/tree/main.tf") = 0"#,
        r#"10 execve("/usr/local/sbin/git", ["git"], 0x0 /* 1 var */) = -1 ENOENT (No such file or directory)"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let bad = violations(&lines, bin, &allowed);
    assert_eq!(bad.len(), 4, "{bad:#?}");
    assert!(bad[0].starts_with("started a program") && bad[0].contains("/bin/sh"));
    assert!(bad[1].starts_with("opened for writing") && bad[1].contains(".terraform.lock.hcl"));
    assert!(bad[2].starts_with("network"));
    assert!(bad[3].starts_with("changed the file system") && bad[3].contains("unlink"));
}
