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
