//! Helpers shared by the CLI and format tests: fixture copies in temporary directories,
//! the binary with a clean environment, git, and the acceptance validators of
//! ../shared/acceptance (skipped loudly when their tools are not installed, mandatory
//! when `STACKLINT_REQUIRE_VALIDATORS` is set, as `.ci/run` does).

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cli")
        .join(name)
}

pub fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read fixture dir").flatten() {
        let p = entry.path();
        let to = dst.join(entry.file_name());
        if p.is_dir() {
            copy_tree(&p, &to);
        } else {
            std::fs::copy(&p, &to).expect("copy fixture file");
        }
    }
}

/// A temporary copy of `fixtures/cli/<name>` (outside any git repository, so paths in
/// every format are relative to the copy's root).
pub fn temp_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture(name), dir.path());
    dir
}

/// The stacklint binary with an environment that does not leak the developer's settings.
pub fn stacklint() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("stacklint").expect("binary builds");
    for var in [
        "NO_COLOR",
        "SOURCE_DATE_EPOCH",
        "STACKLINT_SARIF_CATEGORY",
        "CLICOLOR_FORCE",
    ] {
        c.env_remove(var);
    }
    c
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(path, text).expect("write file");
}

pub fn append(path: &Path, text: &str) {
    let mut t = std::fs::read_to_string(path).expect("read file");
    t.push_str(text);
    write(path, &t);
}

pub fn prepend(path: &Path, text: &str) {
    let t = std::fs::read_to_string(path).expect("read file");
    write(path, &format!("{text}{t}"));
}

/// Runs git in `dir` with a fixed identity and no signing; panics on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=stacklint tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn git_available() -> bool {
    Process::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Prints past the test harness's output capture, so a skip is visible in a passing run.
pub fn announce(msg: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{msg}");
}

// ---- acceptance validators -------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// validate-sarif.sh --strict: OASIS schema, upload-sarif's schema check, GitHub rules.
    Sarif,
    /// validate-junit.sh --ant: Jenkins xUnit and strict Ant schemas.
    Junit,
    /// validate-checkstyle.sh: checkstyle.xsd.
    Checkstyle,
    /// check_gh_annotations.py --strict: the runner's parsing of workflow commands.
    Annotations,
}

fn acceptance_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("STACKLINT_ACCEPTANCE_DIR") {
        return Some(PathBuf::from(d));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/acceptance"))
        .find(|d| d.join("validate-sarif.sh").is_file())
}

fn tools_cache() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("STACKLINT_TOOLS_CACHE") {
        return Some(PathBuf::from(d));
    }
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(x).join("stacklint-acceptance"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/stacklint-acceptance"))
}

fn on_path(cmd: &str) -> bool {
    Process::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What is missing for a validator, if anything. The scripts would install a missing
/// tool themselves, but a test must not reach for the network: `.ci/run` installs them.
fn missing(v: Validator) -> Option<String> {
    if cfg!(windows) {
        return Some("the acceptance scripts are bash scripts (not run on Windows)".into());
    }
    if acceptance_dir().is_none() {
        return Some("../shared/acceptance not found (set STACKLINT_ACCEPTANCE_DIR)".into());
    }
    match v {
        Validator::Sarif => {
            let cache = tools_cache()?;
            for (what, ok) in [
                ("python3", on_path("python3")),
                ("node", on_path("node")),
                (
                    "check-jsonschema in $STACKLINT_TOOLS_CACHE/venv",
                    cache.join("venv/bin/check-jsonschema").is_file(),
                ),
                (
                    "npm jsonschema in $STACKLINT_TOOLS_CACHE/node",
                    cache.join("node/node_modules/jsonschema").is_dir(),
                ),
            ] {
                if !ok {
                    return Some(format!("{what} is not installed"));
                }
            }
            None
        }
        Validator::Junit | Validator::Checkstyle => {
            (!on_path("xmllint")).then(|| "xmllint (libxml2-utils) is not installed".into())
        }
        Validator::Annotations => (!on_path("python3")).then(|| "python3 is not installed".into()),
    }
}

/// Validates `file` with the acceptance script for `v`. Returns false (after printing
/// `SKIPPED ...`) when the tool is missing and validators are not required.
pub fn validate(v: Validator, file: &Path) -> bool {
    if let Some(why) = missing(v) {
        if std::env::var_os("STACKLINT_REQUIRE_VALIDATORS").is_some() {
            panic!("{v:?} validator required (STACKLINT_REQUIRE_VALIDATORS) but {why}");
        }
        announce(&format!(
            "SKIPPED {v:?} validation of {}: {why}. Run ../shared/acceptance/selftest.sh \
             (or .ci/run) once to install the validators.",
            file.display()
        ));
        return false;
    }
    let acc = acceptance_dir().unwrap_or_default();
    let mut cmd = match v {
        Validator::Sarif => {
            let mut c = Process::new("bash");
            c.arg(acc.join("validate-sarif.sh")).arg("--strict");
            c
        }
        Validator::Junit => {
            let mut c = Process::new("bash");
            c.arg(acc.join("validate-junit.sh")).arg("--ant");
            c
        }
        Validator::Checkstyle => {
            let mut c = Process::new("bash");
            c.arg(acc.join("validate-checkstyle.sh"));
            c
        }
        Validator::Annotations => {
            let mut c = Process::new("python3");
            c.arg(acc.join("check_gh_annotations.py")).arg("--strict");
            c
        }
    };
    let out = cmd.arg(file).output().expect("validator runs");
    assert!(
        out.status.success(),
        "{v:?} validator rejected {}:\n{}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}
