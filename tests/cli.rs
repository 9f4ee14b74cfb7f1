//! The command line end to end: exit codes, configuration errors, suppressions, the
//! baseline round trip, changed-only mode (pre-commit file arguments and
//! `--changed-since`), output options and the auxiliary commands. Trees are copies of
//! `fixtures/cli/` in temporary directories.

mod common;

use common::*;
use serde_json::Value as J;
use std::path::Path;

fn json_findings(dir: &Path, extra: &[&str]) -> (i32, Vec<J>) {
    let out = stacklint()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    let v: J = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr_of(&out)));
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), findings)
}

fn rules_of(findings: &[J]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The reverse edge that closes a cycle network -> app (app already reads network).
const NETWORK_READS_APP: &str = r#"
# The network stack needs the app's load balancer security group for its NACLs.
data "terraform_remote_state" "app" {
  backend = "s3"
  config = {
    bucket = "acme-platform-tfstate"
    key    = "prod/app/terraform.tfstate"
    region = "eu-west-1"
  }
}
"#;

// ---- exit codes -------------------------------------------------------------------

#[test]
fn clean_tree_exits_0() {
    let tree = temp_copy("clean");
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    assert!(stdout_of(&out).contains("no findings (3 stacks, 2 cross-stack edges"));
    // `check` is the default command.
    stacklint().arg(tree.path()).assert().code(0);
}

#[test]
fn tree_with_a_cycle_exits_1() {
    let tree = temp_copy("clean");
    append(
        &tree.path().join("stacks/network/main.tf"),
        NETWORK_READS_APP,
    );
    let (code, findings) = json_findings(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["stack-cycle"]);
    assert!(findings[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("stacks/app -> stacks/network -> stacks/app"));
    // Below the threshold: still reported, but not failing.
    let (code, _) = json_findings(tree.path(), &["--ignore", "stack-cycle"]);
    assert_eq!(code, 0);
}

#[test]
fn fail_on_sets_the_threshold() {
    let tree = temp_copy("clean");
    // A reasoned suppression that silences nothing: one note.
    prepend(
        &tree.path().join("stacks/data/main.tf"),
        "# stacklint-ignore: stack-cycle -- accepted while PLAT-204 is open\n",
    );
    let (code, findings) = json_findings(tree.path(), &[]);
    assert_eq!(rules_of(&findings), ["unused-suppression"]);
    assert_eq!(code, 0, "a note is below the default --fail-on warning");
    assert_eq!(json_findings(tree.path(), &["--fail-on", "note"]).0, 1);
    let estate = temp_copy("estate");
    assert_eq!(json_findings(estate.path(), &["--fail-on", "error"]).0, 1);
}

#[test]
fn usage_errors_exit_2() {
    let tree = temp_copy("clean");
    let out = stacklint()
        .arg("check")
        .arg(tree.path().join("no-such-dir"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("no such file or directory"));

    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--select", "stack-cycel"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("unknown rule `stack-cycel`"), "{err}");
    assert!(err.contains("did you mean `stack-cycle`?"), "{err}");

    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--ignore", "parse-eror"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("did you mean `parse-error`?"));

    stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--format", "xml"])
        .assert()
        .code(2);
    stacklint()
        .arg("check")
        .arg(tree.path())
        .arg("--baseline")
        .arg(tree.path().join("missing-baseline.json"))
        .assert()
        .code(2);
}

// ---- configuration ----------------------------------------------------------------

/// Writes `.stacklint.hcl`, runs `check`, expects exit 2 and returns stderr.
fn config_error(config: &str) -> String {
    let tree = temp_copy("clean");
    write(&tree.path().join(".stacklint.hcl"), config);
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .output()
        .expect("runs");
    let err = stderr_of(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "config accepted: {config}\n{err}"
    );
    err
}

#[test]
fn config_mistakes_point_at_their_line() {
    let err = config_error(
        "exclude = [\"**/examples/**\"]\n\nrule \"stack-cycel\" {\n  severity = \"warning\"\n}\n",
    );
    assert!(err.contains(".stacklint.hcl:3:"), "{err}");
    assert!(err.contains("unknown rule `stack-cycel`"), "{err}");
    assert!(err.contains("did you mean `stack-cycle`?"), "{err}");

    let err = config_error("rule \"stack-cycle\" {\n  severity = \"error\"\n  max_hops = 3\n}\n");
    assert!(err.contains(".stacklint.hcl:3:"), "{err}");
    assert!(
        err.contains("unknown option `max_hops` for rule `stack-cycle`"),
        "{err}"
    );

    let err = config_error("\nrequire_suppression_reason = \"yes\"\n");
    assert!(err.contains(".stacklint.hcl:2:"), "{err}");
    assert!(err.contains("must be true or false"), "{err}");

    let err = config_error("rule \"stack-cycle\" {\n  severity = \"fatal\"\n}\n");
    assert!(err.contains(".stacklint.hcl:2:"), "{err}");
    assert!(err.contains("unknown severity \"fatal\""), "{err}");

    let err = config_error("rule \"stack-cycle\" {\n  severity = \"error\"\n");
    assert!(err.contains("is not valid HCL"), "{err}");
}

#[test]
fn config_changes_severity_and_switches_rules_off() {
    let tree = temp_copy("clean");
    append(
        &tree.path().join("stacks/network/main.tf"),
        NETWORK_READS_APP,
    );
    write(
        &tree.path().join(".stacklint.hcl"),
        "rule \"stack-cycle\" {\n  severity = \"note\"\n}\n",
    );
    let (code, findings) = json_findings(tree.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(findings[0]["severity"], "note");
    write(
        &tree.path().join(".stacklint.hcl"),
        "rule \"stack-cycle\" { enabled = false }\n",
    );
    assert_eq!(json_findings(tree.path(), &[]), (0, vec![]));
    // --no-config ignores the file, --config names another.
    assert_eq!(json_findings(tree.path(), &["--no-config"]).0, 1);
    let other = tempfile::tempdir().expect("tempdir");
    let cfg = other.path().join("strict.hcl");
    write(&cfg, "rule \"stack-cycle\" { severity = \"warning\" }\n");
    let (code, findings) = json_findings(tree.path(), &["--config", cfg.to_str().unwrap_or("")]);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["severity"], "warning");
}

// ---- suppressions -----------------------------------------------------------------

/// A tree with the app <-> network cycle and a comment above the app's remote state
/// block (where the cycle is reported).
fn cycle_with_comment(comment: &str) -> tempfile::TempDir {
    let tree = temp_copy("clean");
    append(
        &tree.path().join("stacks/network/main.tf"),
        NETWORK_READS_APP,
    );
    let app = tree.path().join("stacks/app/main.tf");
    let text = std::fs::read_to_string(&app).expect("app main.tf");
    let anchor = "data \"terraform_remote_state\" \"network\" {";
    assert!(text.contains(anchor));
    write(&app, &text.replace(anchor, &format!("{comment}\n{anchor}")));
    tree
}

#[test]
fn suppression_with_a_reason_silences_the_finding() {
    let tree = cycle_with_comment(
        "# stacklint-ignore: stack-cycle -- the NACL lookup goes away with PLAT-311",
    );
    assert_eq!(json_findings(tree.path(), &[]), (0, vec![]));
}

#[test]
fn suppression_without_a_reason_is_refused() {
    let tree = cycle_with_comment("# stacklint-ignore: stack-cycle");
    let (code, findings) = json_findings(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&findings),
        ["invalid-suppression", "stack-cycle"],
        "the cycle is still reported"
    );
    assert!(findings[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("has no reason, so it suppresses nothing"));
    // The config can relax the requirement.
    write(
        &tree.path().join(".stacklint.hcl"),
        "require_suppression_reason = false\n",
    );
    assert_eq!(json_findings(tree.path(), &[]), (0, vec![]));
}

#[test]
fn misspelt_rule_in_a_suppression_gets_a_suggestion() {
    let tree = cycle_with_comment("# stacklint-ignore: stack-cylce -- PLAT-311");
    let (code, findings) = json_findings(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["invalid-suppression", "stack-cycle"]);
    assert!(findings[0]["help"]
        .as_str()
        .unwrap_or_default()
        .contains("did you mean `stack-cycle`?"));
}

#[test]
fn unused_suppression_is_reported() {
    let tree = temp_copy("clean");
    let app = tree.path().join("stacks/app/main.tf");
    let text = std::fs::read_to_string(&app).expect("app main.tf");
    write(
        &app,
        &text.replace(
            "resource \"aws_lb\" \"app\" {",
            "# stacklint-ignore: stack-cycle -- old exception\nresource \"aws_lb\" \"app\" {",
        ),
    );
    let (code, findings) = json_findings(tree.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(rules_of(&findings), ["unused-suppression"]);
    assert_eq!(findings[0]["file"], "stacks/app/main.tf");
    assert_eq!(findings[0]["severity"], "note");
    // Not when the rule did not run: then nothing can be said about it.
    let (_, findings) = json_findings(tree.path(), &["--ignore", "stack-cycle"]);
    assert!(findings.is_empty(), "{findings:?}");
}

// ---- baseline ---------------------------------------------------------------------

#[test]
fn baseline_round_trip() {
    let tree = temp_copy("estate");
    let baseline = tree.path().join(".stacklint-baseline.json");
    let (_, all) = json_findings(tree.path(), &[]);
    assert_eq!(all.len(), 4);

    // Write: exit 0, every current finding recorded, sorted and diff-friendly.
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .arg("--write-baseline")
        .arg(&baseline)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr_of(&out).contains("wrote 4 finding(s) to baseline"));
    let written = std::fs::read_to_string(&baseline).expect("baseline written");
    let v: J = serde_json::from_str(&written).expect("baseline is JSON");
    assert_eq!(v["version"], 1);
    let entries = v["findings"].as_array().expect("findings");
    assert_eq!(entries.len(), 4);
    let fps: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap_or_default())
        .collect();
    let mut sorted = fps.clone();
    sorted.sort_unstable();
    assert_eq!(fps, sorted, "entries sorted by fingerprint");
    assert!(
        written.ends_with("}\n") && written.lines().count() > 20,
        "pretty JSON"
    );
    // Rewriting gives the same bytes.
    stacklint()
        .arg("check")
        .arg(tree.path())
        .arg("--write-baseline")
        .arg(&baseline)
        .arg("--quiet")
        .assert()
        .code(0)
        .stderr("");
    assert_eq!(std::fs::read_to_string(&baseline).ok(), Some(written));

    let with_baseline = ["--baseline", baseline.to_str().unwrap_or("")];
    assert_eq!(json_findings(tree.path(), &with_baseline), (0, vec![]));

    // Edit unrelated code and move every finding down: nothing new.
    append(
        &tree.path().join("stacks/data/main.tf"),
        "\nresource \"aws_db_parameter_group\" \"orders\" {\n  name   = \"prod-orders-pg16\"\n  family = \"postgres16\"\n}\n",
    );
    for f in [
        "stacks/app/main.tf",
        "stacks/data/main.tf",
        "stacks/observability/main.tf",
    ] {
        prepend(&tree.path().join(f), "# Owned by the platform team.\n\n");
    }
    let (_, moved) = json_findings(tree.path(), &[]);
    assert_eq!(moved.len(), 4);
    assert_ne!(moved[1]["line"], all[1]["line"], "the findings did move");
    assert_eq!(json_findings(tree.path(), &with_baseline), (0, vec![]));

    // A new cycle (two new stacks reading each other's state): exactly that one is new.
    for (me, other) in [("queue", "worker"), ("worker", "queue")] {
        write(
            &tree.path().join(format!("stacks/{me}/main.tf")),
            &format!(
                r#"terraform {{
  backend "s3" {{
    bucket = "acme-platform-tfstate"
    key    = "prod/{me}/terraform.tfstate"
    region = "eu-west-1"
  }}
}}

provider "aws" {{
  region = "eu-west-1"
}}

data "terraform_remote_state" "{other}" {{
  backend = "s3"
  config = {{
    bucket = "acme-platform-tfstate"
    key    = "prod/{other}/terraform.tfstate"
    region = "eu-west-1"
  }}
}}

resource "aws_sqs_queue" "{me}" {{
  name = "prod-{me}-${{data.terraform_remote_state.{other}.outputs.name}}"
}}

output "name" {{
  value = aws_sqs_queue.{me}.name
}}
"#
            ),
        );
    }
    let (code, new) = json_findings(tree.path(), &with_baseline);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&new), ["stack-cycle"], "{new:?}");
    let msg = new[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("stacks/queue -> stacks/worker -> stacks/queue"),
        "{msg}"
    );
    // Without the baseline both cycles are there.
    let (_, all_now) = json_findings(tree.path(), &[]);
    assert_eq!(
        rules_of(&all_now)
            .iter()
            .filter(|r| *r == "stack-cycle")
            .count(),
        2
    );
}

#[test]
fn a_corrupt_baseline_is_an_error_with_its_position() {
    let tree = temp_copy("clean");
    let baseline = tree.path().join("baseline.json");
    write(&baseline, "{\n  \"version\": 1,\n  \"findings\": [\n}\n");
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .arg("--baseline")
        .arg(&baseline)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("baseline.json:4:"), "{err}");
    assert!(err.contains("not a stacklint baseline"), "{err}");
}

// ---- changed-only mode ------------------------------------------------------------

/// The estate in a fresh git repository with everything committed.
fn estate_repo() -> Option<tempfile::TempDir> {
    if !git_available() {
        announce("SKIPPED changed-only test: git is not installed");
        return None;
    }
    let tree = temp_copy("estate");
    git(tree.path(), &["init", "-q"]);
    git(tree.path(), &["add", "-A"]);
    git(tree.path(), &["commit", "-q", "-m", "estate"]);
    Some(tree)
}

/// `stacklint check FILE...` run from `dir`, as pre-commit runs hooks.
fn check_files(dir: &Path, files: &[&str]) -> (i32, Vec<J>) {
    let out = stacklint()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(files)
        .output()
        .expect("runs");
    let v: J = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr_of(&out)));
    (
        out.status.code().unwrap_or(-1),
        v["findings"].as_array().cloned().unwrap_or_default(),
    )
}

#[test]
fn file_arguments_narrow_the_report_to_their_stacks() {
    let Some(repo) = estate_repo() else { return };
    let dir = repo.path();
    // The network stack's variables: the cycle runs through the network stack, so it
    // is reported (the whole tree is analysed, not just the named file).
    let (code, findings) = check_files(dir, &["stacks/network/variables.tf"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["stack-cycle"]);
    // The data stack: only its own unused suppression (a note: exit 0).
    let (code, findings) = check_files(dir, &["stacks/data/main.tf"]);
    assert_eq!(code, 0);
    assert_eq!(rules_of(&findings), ["unused-suppression"]);
    // The observability stack: its parse error.
    let (code, findings) = check_files(dir, &["stacks/observability/main.tf"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["parse-error"]);
    // Several files, as pre-commit passes them.
    let (_, findings) = check_files(dir, &["stacks/data/main.tf", "stacks/app/main.tf"]);
    assert_eq!(
        rules_of(&findings),
        ["invalid-suppression", "stack-cycle", "unused-suppression"]
    );
    // The same report from a subdirectory with paths relative to it.
    let (_, from_sub) = stacklint()
        .current_dir(dir.join("stacks"))
        .args(["check", "--format", "json", "data/main.tf", "app/main.tf"])
        .output()
        .map(|o| {
            (
                0,
                serde_json::from_slice::<J>(&o.stdout).unwrap_or_default(),
            )
        })
        .expect("runs");
    assert_eq!(
        rules_of(from_sub["findings"].as_array().unwrap_or(&vec![])),
        rules_of(&findings)
    );
    // A changed configuration can change any finding: everything is reported.
    write(
        &dir.join(".stacklint.hcl"),
        "require_suppression_reason = true\n",
    );
    let (code, findings) = check_files(dir, &[".stacklint.hcl"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 4, "{findings:?}");
}

#[test]
fn changed_since_reports_only_stacks_changed_since_the_ref() {
    let Some(repo) = estate_repo() else { return };
    let dir = repo.path();
    let since = |r: &str| json_findings(dir, &["--changed-since", r]);
    assert_eq!(since("HEAD"), (0, vec![]), "nothing changed");

    append(&dir.join("stacks/data/main.tf"), "\n# reviewed\n");
    let (code, findings) = since("HEAD");
    assert_eq!(code, 0);
    assert_eq!(rules_of(&findings), ["unused-suppression"]);

    // An untracked file in the DNS stack counts as a change there.
    write(
        &dir.join("stacks/dns/records.tf"),
        "resource \"aws_route53_record\" \"www\" {\n  zone_id = aws_route53_zone.private.zone_id\n  name    = \"www\"\n  type    = \"CNAME\"\n  ttl     = 300\n  records = [\"api.prod.acme.internal\"]\n}\n",
    );
    let (code, findings) = since("HEAD");
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["stack-cycle", "unused-suppression"]);

    // Committed changes count from an older ref.
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "records"]);
    assert_eq!(since("HEAD").0, 0);
    assert_eq!(since("HEAD~1").0, 1);

    let out = stacklint()
        .arg("check")
        .arg(dir)
        .args(["--changed-since", "no-such-ref"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("git diff failed"));
}

// ---- output options ---------------------------------------------------------------

#[test]
fn output_writes_the_file_and_nothing_to_stdout() {
    let tree = temp_copy("estate");
    let dest = tree.path().join("reports/stacklint.sarif");
    std::fs::create_dir_all(tree.path().join("reports")).expect("mkdir");
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--format", "sarif", "--output"])
        .arg(&dest)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_of(&out), "");
    let text = std::fs::read_to_string(&dest).expect("report written");
    let v: J = serde_json::from_str(&text).expect("SARIF");
    assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(4));
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(tree.path().join("reports"))
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["stacklint.sarif"]);
}

/// `--output` into a FIFO or through a symlink writes into it; it must not rename a new
/// file over it (as root that turned `--output /dev/null` into a regular file).
#[cfg(unix)]
#[test]
fn output_into_a_fifo_or_a_symlink_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let tree = temp_copy("estate");
    let reports = tempfile::tempdir().expect("tempdir");
    let real = reports.path().join("real.json");
    std::fs::write(&real, "old").expect("write");
    let link = reports.path().join("latest.json");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--format", "json", "--output"])
        .arg(&link)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the symlink was replaced");
    let text = std::fs::read_to_string(&real).expect("read");
    assert!(
        text.starts_with('{') && text.contains("\"findings\""),
        "{text}"
    );

    let fifo = reports.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        announce("SKIPPED the FIFO half of output_into_a_fifo_or_a_symlink_writes_through_it: mkfifo failed");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
    };
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--format", "compact", "--output"])
        .arg(&fifo)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let got = reader.join().expect("reader");
    assert!(got.contains("[stack-cycle]"), "{got}");
    let meta = std::fs::symlink_metadata(&fifo).expect("fifo");
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
}

#[test]
fn quiet_drops_the_summary_line() {
    let tree = temp_copy("estate");
    let loud = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--color", "never"])
        .output()
        .expect("runs");
    let quiet = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--color", "never", "--quiet"])
        .output()
        .expect("runs");
    let (loud, quiet) = (stdout_of(&loud), stdout_of(&quiet));
    assert!(loud.contains("stacklint: 2 error(s), 1 warning(s), 1 note(s) in 5 stacks"));
    assert!(!quiet.contains("stacklint: "), "{quiet}");
    assert!(quiet.contains("3 stacks depend on each other in a cycle"));
    let clean = temp_copy("clean");
    stacklint()
        .arg("check")
        .arg(clean.path())
        .arg("-q")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let tree = temp_copy("estate");
    let run = |args: &[&str], no_color: bool| {
        let mut c = stacklint();
        c.arg("check").arg(tree.path()).args(args);
        if no_color {
            c.env("NO_COLOR", "1");
        }
        stdout_of(&c.output().expect("runs"))
    };
    let esc = "\u{1b}[";
    assert!(run(&["--color", "always"], false).contains(esc));
    assert!(
        run(&["--color", "always"], true).contains(esc),
        "an explicit flag overrides NO_COLOR"
    );
    assert!(!run(&["--color", "never"], false).contains(esc));
    assert!(!run(&[], true).contains(esc), "auto with NO_COLOR");
    assert!(
        !run(&[], false).contains(esc),
        "auto when stdout is not a terminal"
    );
    // Machine formats never carry colour codes.
    for format in ["compact", "json", "sarif", "github", "junit", "checkstyle"] {
        assert!(
            !run(&["--color", "always", "--format", format], false).contains(esc),
            "{format}"
        );
    }
}

#[test]
fn timings_go_to_stderr_and_leave_the_output_alone() {
    let tree = temp_copy("estate");
    let run = |extra: &[&str]| {
        stacklint()
            .arg("check")
            .arg(tree.path())
            .args(["--format", "json", "--jobs", "2"])
            .args(extra)
            .output()
            .expect("runs")
    };
    let plain = run(&[]);
    let timed = run(&["--timings"]);
    assert_eq!(plain.stdout, timed.stdout, "--timings changed the report");
    assert_eq!(plain.status.code(), timed.status.code());
    let err = stderr_of(&timed);
    // Every stage, in pipeline order, with its time and what it produced.
    let stages = [
        "discover", "parse", "model", "link", "graph", "rules", "report",
    ];
    let mut at = 0;
    for stage in stages {
        let line = err[at..]
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{stage}:")))
            .unwrap_or_else(|| panic!("no `{stage}` line in:\n{err}"));
        assert!(line.contains(" ms "), "no time in `{line}`");
        at += err[at..].find(line).unwrap_or(0) + line.len();
    }
    assert!(err.contains("stacks"), "{err}");
    assert!(err.contains("findings shown"), "{err}");
    assert!(err.contains("total:"), "{err}");
    assert!(err.contains("slowest rules"), "{err}");
    if cfg!(target_os = "linux") {
        assert!(
            err.contains("MiB RSS") && err.contains("peak RSS:"),
            "{err}"
        );
    }
    assert!(stderr_of(&plain).is_empty(), "{}", stderr_of(&plain));
}

// ---- auxiliary commands -----------------------------------------------------------

#[test]
fn rules_lists_every_rule_as_a_table_and_as_json() {
    let out = stacklint()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: J = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    let rules = v["rules"].as_array().expect("rules");
    let metas = stacklint::rules::all_meta();
    assert_eq!(rules.len(), metas.len());
    let cycle = rules
        .iter()
        .find(|r| r["id"] == "stack-cycle")
        .expect("stack-cycle listed");
    assert_eq!(cycle["category"], "coupling");
    assert_eq!(cycle["severity"], "error");
    assert!(cycle["summary"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(cycle["options"].is_array());

    let table = stdout_of(&stacklint().arg("rules").output().expect("runs"));
    assert!(table.starts_with("RULE"), "{table}");
    for m in metas {
        assert!(
            table.contains(m.id.as_str()),
            "{} missing from the table",
            m.id
        );
    }
}

#[test]
fn explain_prints_the_rule_page() {
    let out = stacklint()
        .args(["explain", "stack-cycle"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let page = stdout_of(&out);
    assert!(page.starts_with("# stack-cycle\n"));
    assert!(page.contains("## Fix"));
    let out = stacklint()
        .args(["explain", "stack-cycel"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("did you mean `stack-cycle`?"));
}

#[test]
fn init_writes_a_config_that_parses() {
    let tree = temp_copy("clean");
    let out = stacklint()
        .arg("init")
        .arg(tree.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let cfg = tree.path().join(".stacklint.hcl");
    let text = std::fs::read_to_string(&cfg).expect("config written");
    assert!(text.contains("# rule \"stack-cycle\""));
    // The default config is picked up and changes nothing.
    stacklint().arg("check").arg(tree.path()).assert().code(0);
    // Uncommented, its settings (every rule block with its options) parse as well.
    let settings = text
        .split("# Different settings for part of the tree")
        .next()
        .unwrap_or_default();
    let uncommented: String = settings
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with("rule ")
                    || rest.starts_with("taxonomy ")
                    || rest.starts_with("  ")
                    || rest.starts_with('}')
                    || rest.starts_with("exclude =")
                    || rest.starts_with("require_suppression_reason") =>
            {
                rest.to_string()
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(uncommented.contains("\nrule \"stack-cycle\" {\n"));
    assert_ne!(uncommented, text);
    write(&cfg, &uncommented);
    stacklint().arg("check").arg(tree.path()).assert().code(0);
    // An existing file is kept unless --force.
    let again = stacklint()
        .arg("init")
        .arg(tree.path())
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr_of(&again).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&cfg).ok(), Some(uncommented));
    stacklint()
        .arg("init")
        .arg(tree.path())
        .arg("--force")
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(&cfg).ok(), Some(text));
}

#[test]
fn completions_and_man_page() {
    let out = stacklint()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let script = stdout_of(&out);
    assert!(script.contains("_stacklint()"), "bash completion function");
    assert!(script.contains("--changed-since"));
    assert!(script.contains("sarif"), "format values are completed");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        stacklint().args(["completions", shell]).assert().code(0);
    }
    let man = stdout_of(&stacklint().arg("man").output().expect("runs"));
    assert!(
        man.contains(".TH stacklint"),
        "{}",
        &man[..man.len().min(200)]
    );
}
