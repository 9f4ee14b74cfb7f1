//! The contracts in `.stacklint.hcl` through the real binary: mistakes are
//! configuration errors (exit 2, with the line), and a glob that matches no stack is
//! a finding that points into the configuration file.

use assert_cmd::Command;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("repo marker");
    write(
        dir.path(),
        "apps/shop/main.tf",
        "terraform {\n  backend \"s3\" {\n    bucket = \"acme\"\n    key    = \"shop.tfstate\"\n    region = \"eu-west-1\"\n  }\n}\n\nresource \"aws_s3_bucket\" \"assets\" {\n  bucket = \"acme-shop-assets\"\n}\n",
    );
    dir
}

#[test]
fn unknown_mechanism_is_a_configuration_error_with_a_suggestion() {
    let dir = tree();
    write(
        dir.path(),
        ".stacklint.hcl",
        "allowed_mechanisms = [\"parameter_store\", \"terragrunt-dependency\"]\n",
    );
    let out = Command::cargo_bin("stacklint")
        .expect("binary")
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown mechanism \"terragrunt-dependency\""),
        "{err}"
    );
    assert!(
        err.contains("did you mean \"terragrunt_dependency\""),
        "{err}"
    );
    assert!(err.contains(".stacklint.hcl:1:"), "{err}");
}

#[test]
fn a_layer_that_matches_no_stack_is_reported_in_the_config_file() {
    let dir = tree();
    write(
        dir.path(),
        ".stacklint.hcl",
        "layers = [\n  \"foundation/**\",\n  \"apps/**\",\n]\n",
    );
    let out = Command::cargo_bin("stacklint")
        .expect("binary")
        .args(["check", "--format", "json", "--select", "layer-violation"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{json}");
    let f = &findings[0];
    assert_eq!(f["rule"], "layer-violation");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["file"], ".stacklint.hcl");
    assert_eq!(f["line"], 2);
    assert!(f["message"]
        .as_str()
        .unwrap_or_default()
        .contains("\"foundation/**\" matches no stack"));
    // The configuration file is not counted as scanned input.
    assert_eq!(json["summary"]["files"], 1);
}
