//! Replication fixtures seen as a platform engineer would: a template stack with
//! per-environment tfvars is one stack with three instances, and its copy-paste twin is
//! three stacks grouped as near copies.

use stacklint::check::{lint_dir, Selection};
use stacklint::rules::RuleId;
use stacklint::similarity;
use std::path::Path;

fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(rel)
}

#[test]
fn template_stack_with_tfvars_is_one_stack_with_three_instances() {
    let root = fixture("copy-paste-stack/good/template-stack-with-tfvars");
    let (a, findings) = lint_dir(&root, &Selection::default(), Some(1)).expect("analyses");
    assert_eq!(a.ws.stacks.len(), 1);
    let names: Vec<&str> = a.ws.stacks[0]
        .instances
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names.len(), 3, "instances: {names:?}");
    assert!(findings.iter().all(|f| f.rule != RuleId::CopyPasteStack));
}

#[test]
fn copied_environments_form_one_group_at_the_default_threshold() {
    let root = fixture("copy-paste-stack/bad/envs-copied-with-small-edits");
    let (a, _) =
        lint_dir(&root, &Selection::only(&[RuleId::CopyPasteStack]), Some(1)).expect("analyses");
    let sim = similarity::analyse(&a.ws, 0.8);
    assert_eq!(sim.groups.len(), 1);
    let dirs: Vec<&str> = sim.groups[0]
        .nodes
        .iter()
        .map(|&n| sim.nodes[n].code_dir.as_str())
        .collect();
    assert_eq!(dirs, ["envs/dev", "envs/prod", "envs/stage"]);
    // Raising the bar above the prod copy's similarity leaves dev and stage together.
    let strict = similarity::analyse(&a.ws, 0.95);
    assert_eq!(strict.groups.len(), 1);
    assert_eq!(strict.groups[0].nodes.len(), 2);
}

/// A family of wrappers too large to compare pairwise (70 regional instances of one
/// module) still reports the wrappers that drifted, with counts instead of names.
#[test]
fn large_wrapper_family_reports_drift_with_counts() {
    use stacklint::check::lint;
    use stacklint::config::Config;
    use stacklint::pipeline::analyze_in_memory;
    let mut files = vec![(
        "modules/service/main.tf".to_string(),
        br#"variable "name" { type = string }
variable "region" { type = string }
resource "aws_ecs_service" "this" {
  name          = var.name
  desired_count = 2
}
output "service_name" { value = aws_ecs_service.this.name }
"#
        .to_vec(),
    )];
    for i in 0..70 {
        let mut main = format!(
            r#"terraform {{
  backend "s3" {{
    bucket = "acme-tfstate"
    key    = "services/edge-{i:02}/terraform.tfstate"
    region = "eu-west-1"
  }}
}}
provider "aws" {{ region = "eu-west-1" }}
module "service" {{
  source = "../../modules/service"
  name   = "edge-{i:02}"
  region = "eu-west-1"
}}
"#
        );
        if i % 7 == 3 {
            main.push_str(
                r#"resource "aws_cloudwatch_log_group" "debug" {
  name              = "/ecs/debug"
  retention_in_days = 3
}
"#,
            );
        }
        files.push((format!("services/edge-{i:02}/main.tf"), main.into_bytes()));
    }
    let analysis = analyze_in_memory(Path::new("/estate"), files);
    let (findings, errors) = lint(
        &analysis,
        &Config::empty(),
        &Selection::only(&[RuleId::WrapperDrift]),
    );
    assert!(errors.is_empty(), "{errors:?}");
    let mut dirs: Vec<String> = findings
        .iter()
        .map(|f| analysis.ws.path(f.loc.file).to_string())
        .collect();
    dirs.sort();
    let expected: Vec<String> = (0..70)
        .filter(|i| i % 7 == 3)
        .map(|i| format!("services/edge-{i:02}/main.tf"))
        .collect();
    assert_eq!(dirs, expected);
    let m = &findings[0].message;
    assert!(m.contains("like 69 sibling wrappers"), "{m}");
    assert!(m.contains("and 59 more"), "{m}");
    assert!(
        m.contains("resource aws_cloudwatch_log_group.debug (missing from 60 of them)"),
        "{m}"
    );
}
