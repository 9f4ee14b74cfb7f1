//! Every `check` output format on the fixture trees of `fixtures/cli/`: snapshots, byte
//! stability (tests/determinism.rs), the consumers' validators (../shared/acceptance) and the details those
//! consumers depend on (SARIF rules and fingerprints, repository-relative paths, fixed
//! timestamps, escaping).

mod common;

use common::*;
use serde_json::Value as J;
use std::path::Path;

const FORMATS: [&str; 7] = [
    "pretty",
    "compact",
    "json",
    "sarif",
    "github",
    "junit",
    "checkstyle",
];

/// `stacklint check DIR --format F` (no colour, two threads): exit code and stdout.
fn check(dir: &Path, format: &str, extra: &[&str]) -> (i32, String) {
    let mut cmd = stacklint();
    cmd.arg("check")
        .arg(dir)
        .args(["--format", format, "--color", "never"]);
    if !extra.contains(&"-j") {
        cmd.args(["-j", "2"]);
    }
    let out = cmd.args(extra).output().expect("runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "--format {format} exited {code}: {}",
        stderr_of(&out)
    );
    (code, stdout_of(&out))
}

fn without_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// SARIF with the rule descriptors and rule indexes (which change whenever a rule is
/// added) replaced by placeholders; both are checked structurally by
/// `sarif_describes_every_rule_from_its_page_and_fingerprints_every_result`.
fn sarif_for_snapshot(text: &str) -> String {
    let mut v: J = serde_json::from_str(text).expect("SARIF is JSON");
    let run = &mut v["runs"][0];
    let ids: Vec<J> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules[]")
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    run["tool"]["driver"]["rules"] = J::String("[one descriptor per rule]".into());
    for res in run["results"].as_array_mut().expect("results[]") {
        let ix = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            ids.get(ix),
            Some(&res["ruleId"]),
            "ruleIndex points at ruleId"
        );
        res["ruleIndex"] = J::String("[index of ruleId]".into());
    }
    without_version(&serde_json::to_string_pretty(&v).expect("serialises"))
}

#[test]
fn every_format_on_the_estate_fixture() {
    let tree = temp_copy("estate");
    for format in FORMATS {
        let (code, text) = check(tree.path(), format, &[]);
        assert_eq!(code, 1, "--format {format}: the estate has errors");
        let shown = match format {
            "sarif" => sarif_for_snapshot(&text),
            _ => without_version(&text),
        };
        insta::assert_snapshot!(format!("estate_{format}"), shown);
    }
}

#[test]
fn clean_tree_in_every_format() {
    let tree = temp_copy("clean");
    for format in FORMATS {
        let (code, text) = check(tree.path(), format, &[]);
        assert_eq!(code, 0, "--format {format}: the clean tree has no findings");
        match format {
            "compact" | "github" => assert_eq!(text, "", "--format {format}"),
            "json" => {
                let v: J = serde_json::from_str(&text).expect("JSON");
                assert_eq!(v["findings"], J::Array(vec![]));
                assert_eq!(v["summary"]["stacks"], 3);
            }
            "sarif" => {
                let v: J = serde_json::from_str(&text).expect("SARIF");
                assert_eq!(v["runs"][0]["results"], J::Array(vec![]));
            }
            "junit" => {
                // One passing testcase per stack, no failure anywhere.
                assert_eq!(text.matches("<testcase ").count(), 3, "{text}");
                assert!(!text.contains("<failure"), "{text}");
                assert!(text.contains("name=\"stacks/network\""), "{text}");
            }
            "checkstyle" => assert!(!text.contains("<file"), "{text}"),
            _ => assert!(text.contains("no findings"), "{text}"),
        }
    }
    // A tree without any stack still yields one passing JUnit test.
    let empty = tempfile::tempdir().expect("tempdir");
    let (code, text) = check(empty.path(), "junit", &[]);
    assert_eq!(code, 0);
    assert!(
        text.contains("<testcase classname=\"stacklint\" name=\"no findings\""),
        "{text}"
    );
}

#[test]
fn machine_readable_formats_pass_their_validators() {
    let out = tempfile::tempdir().expect("tempdir");
    for (tree_name, with_findings) in [("estate", true), ("clean", false)] {
        let tree = temp_copy(tree_name);
        for (format, validator) in [
            ("sarif", Validator::Sarif),
            ("junit", Validator::Junit),
            ("checkstyle", Validator::Checkstyle),
            ("github", Validator::Annotations),
        ] {
            if format == "github" && !with_findings {
                continue; // an empty annotation log is not something to validate
            }
            let file = out.path().join(format!("{tree_name}.{format}"));
            stacklint()
                .arg("check")
                .arg(tree.path())
                .args(["--format", format, "--output"])
                .arg(&file)
                .assert()
                .code(if with_findings { 1 } else { 0 });
            validate(validator, &file);
        }
    }
}

#[test]
fn sarif_describes_every_rule_from_its_page_and_fingerprints_every_result() {
    let tree = temp_copy("estate");
    let (_, text) = check(tree.path(), "sarif", &[]);
    let v: J = serde_json::from_str(&text).expect("SARIF");
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"]
        .as_str()
        .is_some_and(|s| s.contains("sarif-2.1.0")));
    let run = &v["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "stacklint/");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "stacklint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules[]");
    let metas = stacklint::rules::all_meta();
    assert_eq!(rules.len(), metas.len(), "every rule is described");
    for (rule, meta) in rules.iter().zip(&metas) {
        let id = meta.id.as_str();
        assert_eq!(rule["id"], id);
        for key in ["shortDescription", "fullDescription"] {
            let t = rule[key]["text"].as_str().unwrap_or_default();
            assert!(!t.is_empty() && t.chars().count() <= 1024, "{id} {key}");
        }
        let page = stacklint::rules::doc(meta.id).expect("rule page");
        let help = rule["help"]["markdown"].as_str().unwrap_or_default();
        assert!(
            page.contains(help),
            "{id}: help.markdown is not the rule page"
        );
        assert!(help.contains("## Fix"), "{id}");
        assert!(!rule["help"]["text"].as_str().unwrap_or_default().is_empty());
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            meta.default_severity.as_str()
        );
        let props = &rule["properties"];
        assert!(props.get("security-severity").is_none(), "{id}");
        assert!(props["tags"].as_array().is_some_and(|t| t.len() <= 20));
        assert!(["very-high", "high", "medium", "low"]
            .contains(&props["precision"].as_str().unwrap_or_default()));
        assert!(["error", "warning", "recommendation"]
            .contains(&props["problem.severity"].as_str().unwrap_or_default()));
    }

    let json: J = serde_json::from_str(&check(tree.path(), "json", &[]).1).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    assert!(!results.is_empty());
    for (res, f) in results.iter().zip(findings) {
        assert_eq!(res["ruleId"], f["rule"]);
        let ix = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[ix]["id"], res["ruleId"]);
        assert_eq!(res["level"], f["severity"]);
        let msg = res["message"]["text"].as_str().unwrap_or_default();
        assert!(msg.starts_with(f["message"].as_str().unwrap_or("?")));
        assert!(msg.contains(" Fix: "), "message carries the fix: {msg}");
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["file"]);
        for (sarif_key, json_key) in [
            ("startLine", "line"),
            ("startColumn", "column"),
            ("endLine", "end_line"),
            ("endColumn", "end_column"),
        ] {
            assert_eq!(loc["region"][sarif_key], f[json_key], "{sarif_key}");
        }
        let fps = &res["partialFingerprints"];
        assert_eq!(fps["stacklint/v1"], f["fingerprint"]);
        let line_hash = fps["primaryLocationLineHash"].as_str().unwrap_or_default();
        let (hex, n) = line_hash.split_once(':').unwrap_or_default();
        assert!(
            !hex.is_empty()
                && hex.len() <= 16
                && hex.chars().all(|c| c.is_ascii_hexdigit())
                && n.parse::<u32>().is_ok_and(|n| n >= 1),
            "primaryLocationLineHash {line_hash:?}"
        );
        let related = f["related"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(
            res["relatedLocations"]
                .as_array()
                .map(Vec::len)
                .unwrap_or(0),
            related
        );
    }

    // The line hash is that of the primary line: the same line text elsewhere in the
    // file (after moving the block down) keeps the value.
    let app = tree.path().join("stacks/app/main.tf");
    let before: Vec<String> = results
        .iter()
        .filter(|r| r["ruleId"] == "stack-cycle")
        .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].to_string())
        .collect();
    prepend(&app, "# Owned by the app team.\n\n");
    let (_, moved) = check(tree.path(), "sarif", &[]);
    let moved: J = serde_json::from_str(&moved).expect("SARIF");
    let after: Vec<String> = moved["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "stack-cycle")
        .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].to_string())
        .collect();
    assert_eq!(before, after);

    // A category for several uploads in one repository.
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--format", "sarif"])
        .env("STACKLINT_SARIF_CATEGORY", "infra-prod")
        .output()
        .expect("runs");
    let v: J = serde_json::from_slice(&out.stdout).expect("SARIF");
    assert_eq!(v["runs"][0]["automationDetails"]["id"], "infra-prod/");
}

#[test]
fn ci_formats_use_repository_relative_paths() {
    if !git_available() {
        announce("SKIPPED ci_formats_use_repository_relative_paths: git is not installed");
        return;
    }
    let repo = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("estate"), &repo.path().join("infra"));
    git(repo.path(), &["init", "-q"]);
    let infra = repo.path().join("infra");
    let (_, sarif) = check(&infra, "sarif", &[]);
    let v: J = serde_json::from_str(&sarif).expect("SARIF");
    for r in v["runs"][0]["results"].as_array().expect("results") {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or_default();
        assert!(uri.starts_with("infra/stacks/"), "{uri}");
        assert!(
            r["partialFingerprints"]["primaryLocationLineHash"].is_string(),
            "the file is found through the repository path"
        );
        for rel in r["relatedLocations"].as_array().into_iter().flatten() {
            let uri = rel["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or_default();
            assert!(uri.starts_with("infra/stacks/"), "{uri}");
        }
    }
    let (_, github) = check(&infra, "github", &[]);
    assert!(!github.is_empty());
    for line in github.lines() {
        assert!(line.contains(" file=infra/stacks/"), "{line}");
    }
    let (_, checkstyle) = check(&infra, "checkstyle", &[]);
    assert!(checkstyle.contains("<file name=\"infra/stacks/app/main.tf\">"));
    let (_, junit) = check(&infra, "junit", &[]);
    assert!(junit.contains("infra/stacks/app/main.tf:23:1"), "{junit}");
    // The JSON contract keeps paths relative to the scanned root.
    let (_, json) = check(&infra, "json", &[]);
    let v: J = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["findings"][0]["file"], "stacks/app/main.tf");
}

#[test]
fn junit_timestamp_is_fixed_unless_source_date_epoch_is_set() {
    let tree = temp_copy("estate");
    let (_, text) = check(tree.path(), "junit", &[]);
    assert!(text.contains("timestamp=\"1970-01-01T00:00:00\""));
    let out = stacklint()
        .arg("check")
        .arg(tree.path())
        .args(["--format", "junit"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("runs");
    let text = stdout_of(&out);
    assert!(text.contains("timestamp=\"2023-11-14T22:13:20\""), "{text}");
    assert!(!text.contains("1970-01-01"));
}

/// Stack and file names with the characters each format must escape: `,` `:` `%` in
/// annotation properties, space and `%` in SARIF URIs, `&` `'` in XML.
#[cfg(unix)]
#[test]
fn awkward_names_are_escaped_for_every_consumer() {
    let tree = temp_copy("estate");
    let odd = "stacks/app, v2: 100% & co's";
    std::fs::rename(tree.path().join("stacks/app"), tree.path().join(odd)).expect("rename");
    let out = tempfile::tempdir().expect("tempdir");

    let (_, sarif) = check(tree.path(), "sarif", &[]);
    let v: J = serde_json::from_str(&sarif).expect("SARIF");
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains(&"stacks/app,%20v2%3A%20100%25%20&%20co's/main.tf"),
        "{uris:?}"
    );

    let (_, github) = check(tree.path(), "github", &[]);
    assert!(
        github.contains("file=stacks/app%2C v2%3A 100%25 & co's/main.tf,"),
        "{github}"
    );
    for (format, validator) in [
        ("sarif", Validator::Sarif),
        ("junit", Validator::Junit),
        ("checkstyle", Validator::Checkstyle),
        ("github", Validator::Annotations),
    ] {
        let file = out.path().join(format!("odd.{format}"));
        let (_, text) = check(tree.path(), format, &[]);
        write(&file, &text);
        validate(validator, &file);
    }
    let (_, xml) = check(tree.path(), "checkstyle", &[]);
    assert!(
        xml.contains("name=\"stacks/app, v2: 100% &amp; co&apos;s/main.tf\""),
        "{xml}"
    );
}
