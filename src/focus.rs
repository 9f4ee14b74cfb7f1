//! Changed-only reporting (pre-commit file arguments, `--changed-since`): the whole tree
//! is analysed, but only findings about the stacks those files belong to are kept, plus
//! findings whose related locations (edges) touch them. A changed `.stacklint.hcl` can
//! change any finding, so naming it reports the whole tree.

use crate::pipeline::Analysis;
use crate::rules::Finding;
use foldhash::{HashMap, HashMapExt};
use std::collections::{BTreeMap, BTreeSet};

pub fn filter(a: &Analysis, findings: Vec<Finding>, paths: &[String]) -> Vec<Finding> {
    let keep = mask(a, &findings, paths);
    findings
        .into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect()
}

/// For each finding, whether it is about the named paths (same order). Lookups are
/// indexed, so `pre-commit run --all-files` on a large tree stays linear.
pub fn mask(a: &Analysis, findings: &[Finding], paths: &[String]) -> Vec<bool> {
    let ws = &a.ws;
    let mut by_dir: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_code_dir: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for (i, s) in ws.stacks.iter().enumerate() {
        by_dir.entry(s.dir.as_str()).or_default().push(i);
        if let Some(c) = s.code_dir.as_deref() {
            by_code_dir.entry(c).or_default().insert(i);
        }
        for r in &s.resources {
            by_code_dir.entry(&*r.code_dir).or_default().insert(i);
        }
    }
    let mut stacks: BTreeSet<usize> = BTreeSet::new();
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for p in paths {
        let p = p.trim_end_matches('/');
        files.insert(p);
        // The whole tree for the tree itself, or for a changed configuration (it can
        // change any finding).
        if p == "." || p.is_empty() || crate::model::paths::file_name(p) == crate::config::FILE_NAME
        {
            stacks.extend(0..ws.stacks.len());
            continue;
        }
        // A directory names every stack at or below it; a file, the stack that owns it;
        // a file or directory of module code, the stacks whose code uses that module.
        if let Some(v) = by_dir.get(p) {
            stacks.extend(v.iter().copied());
        }
        let prefix = format!("{p}/");
        for (_, v) in by_dir
            .range(prefix.as_str()..)
            .take_while(|(d, _)| d.starts_with(&prefix))
        {
            stacks.extend(v.iter().copied());
        }
        let module_dir = crate::model::paths::parent(p);
        for dir in [module_dir.as_str(), p] {
            if let Some(v) = by_code_dir.get(dir) {
                stacks.extend(v.iter().copied());
            }
        }
        if let Some(i) = ws.stack_of_file(p) {
            stacks.insert(i);
        }
    }
    findings
        .iter()
        .map(|f| {
            f.stack.is_some_and(|s| stacks.contains(&s))
                || files.contains(ws.path(f.loc.file))
                || f.related.iter().any(|r| {
                    ws.stack_of_file(ws.path(r.loc.file))
                        .is_some_and(|s| stacks.contains(&s))
                })
        })
        .collect()
}
