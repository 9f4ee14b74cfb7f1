//! Every rule against its fixtures: each `fixtures/rules/<id>/bad/<case>` must make the
//! rule fire (and its messages are snapshotted), each `good/<case>` must keep it silent.
//! The metadata test fails when a rule lacks a doc page, fixtures, or a documented option.

use stacklint::check::{lint_dir, Selection};
use stacklint::rules::{self, RuleId};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn cases(rule: &str, kind: &str) -> Vec<PathBuf> {
    let dir = fixtures().join(rule).join(kind);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Findings of one rule as text: what users read, without colours or absolute paths.
fn render(root: &Path, id: RuleId) -> (usize, String) {
    // All rules run, as in real use: suppression rules depend on what the others found.
    let (a, findings) = lint_dir(root, &Selection::default(), Some(2)).expect("fixture analyses");
    let mine: Vec<_> = findings.iter().filter(|f| f.rule == id).collect();
    let mut out = String::new();
    for f in &mine {
        let lc = a.ws.file(f.loc.file).lines.line_col(f.loc.span.start, None);
        out.push_str(&format!(
            "{}:{}:{} {}[{}]\n  {}\n",
            a.ws.path(f.loc.file),
            lc.line,
            lc.column,
            f.severity.as_str(),
            f.rule,
            f.message
        ));
        if let Some(h) = &f.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        for r in &f.related {
            let rl = a.ws.file(r.loc.file).lines.line_col(r.loc.span.start, None);
            out.push_str(&format!(
                "  related {}:{}: {}\n",
                a.ws.path(r.loc.file),
                rl.line,
                r.message
            ));
        }
    }
    (mine.len(), out)
}

#[test]
fn bad_fixtures_fire_and_good_fixtures_stay_silent() {
    let mut checked = 0;
    for meta in rules::all_meta() {
        let id = meta.id;
        for case in cases(id.as_str(), "bad") {
            let (n, text) = render(&case, id);
            assert!(n > 0, "{id} did not fire on {}", case.display());
            let name = format!("{}__{}", id, case.file_name().unwrap().to_string_lossy());
            insta::assert_snapshot!(name, text);
            checked += 1;
        }
        for case in cases(id.as_str(), "good") {
            let (n, text) = render(&case, id);
            assert_eq!(
                n,
                0,
                "{id} fired on good fixture {}:\n{text}",
                case.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn every_rule_has_docs_fixtures_and_documented_options() {
    let mut seen = std::collections::BTreeSet::new();
    for meta in rules::all_meta() {
        let id = meta.id.as_str();
        assert!(seen.insert(id), "duplicate rule id {id}");
        let doc = rules::doc(meta.id).unwrap_or_else(|| panic!("rules/{id}.md is missing"));
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Fix",
            "## Options",
        ] {
            assert!(doc.contains(section), "rules/{id}.md lacks `{section}`");
        }
        assert!(
            doc.starts_with(&format!("# {id}\n")),
            "rules/{id}.md must start with `# {id}`"
        );
        assert!(
            doc.contains(&format!(
                "**Default severity:** {}",
                meta.default_severity.as_str()
            )),
            "rules/{id}.md states another default severity than the code"
        );
        for o in meta.options {
            assert!(
                doc.contains(&format!("`{}`", o.name)),
                "rules/{id}.md does not document option `{}`",
                o.name
            );
        }
        assert!(
            !cases(id, "bad").is_empty(),
            "fixtures/rules/{id}/bad has no case"
        );
        assert!(
            !cases(id, "good").is_empty(),
            "fixtures/rules/{id}/good has no case"
        );
    }
    // Every rule id of the catalogue is implemented (checked or engine-reported).
    for id in RuleId::ALL {
        assert_eq!(
            rules::meta_of(*id).map(|m| m.id),
            Some(*id),
            "rule {id} has no implementation"
        );
    }
}
