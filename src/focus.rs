//! Changed-only reporting (pre-commit file arguments, `--changed-since`): the whole tree
//! is analysed, but only findings about the stacks those files belong to are kept, plus
//! findings whose related locations (edges) touch them.

use crate::pipeline::Analysis;
use crate::rules::Finding;
use std::collections::BTreeSet;

pub fn filter(a: &Analysis, findings: Vec<Finding>, paths: &[String]) -> Vec<Finding> {
    let ws = &a.ws;
    let mut stacks: BTreeSet<usize> = BTreeSet::new();
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for p in paths {
        let p = p.trim_end_matches('/');
        files.insert(p);
        if p == "." || p.is_empty() {
            stacks.extend(0..ws.stacks.len());
            continue;
        }
        // A directory names every stack at or below it; a file, the stack that owns it
        // (and the stacks whose code is a module in that directory).
        let prefix = format!("{p}/");
        for (i, s) in ws.stacks.iter().enumerate() {
            if s.dir == p || s.dir.starts_with(&prefix) {
                stacks.insert(i);
            }
            let module_dir = crate::model::paths::parent(p);
            if s.code_dir.as_deref() == Some(module_dir.as_str())
                || s.resources.iter().any(|r| r.code_dir == module_dir)
            {
                stacks.insert(i);
            }
        }
        if let Some(i) = ws.stack_of_file(p) {
            stacks.insert(i);
        }
    }
    findings
        .into_iter()
        .filter(|f| {
            f.stack.is_some_and(|s| stacks.contains(&s))
                || files.contains(ws.path(f.loc.file))
                || f.related.iter().any(|r| {
                    ws.stack_of_file(ws.path(r.loc.file))
                        .is_some_and(|s| stacks.contains(&s))
                })
        })
        .collect()
}
