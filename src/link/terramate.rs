//! Terramate ordering: `stack { after = [...] before = [...] }` with absolute paths (from
//! the Terramate project root), relative paths, and `tag:` filters.

use super::{Mechanism, RawLink, Unresolved};
use crate::model::{paths, Workspace};
use crate::source::Loc;

pub fn resolve(ws: &Workspace) -> (Vec<RawLink>, Vec<Unresolved>) {
    let mut links = Vec::new();
    let mut unresolved = Vec::new();
    let root = project_root(ws);
    for tm in ws.terramate.values() {
        let Some(me) = ws.stack_at_dir(&tm.dir) else {
            continue;
        };
        // `after = [x]`: this stack runs after x, so it depends on x.
        // `before = [x]`: x runs after this stack, so x depends on it.
        for (entries, after) in [(&tm.after, true), (&tm.before, false)] {
            for (entry, loc) in entries {
                match targets(ws, &root, &tm.dir, entry) {
                    Ok(ts) => {
                        for t in ts {
                            let (from, to) = if after { (me, t) } else { (t, me) };
                            links.push(link(from, to, *loc));
                        }
                    }
                    Err(reason) => unresolved.push(Unresolved {
                        from: me,
                        mechanism: Mechanism::TerramateOrder,
                        loc: *loc,
                        reason,
                    }),
                }
            }
        }
    }
    (links, unresolved)
}

fn link(from: usize, to: usize, loc: Loc) -> RawLink {
    RawLink {
        from,
        to,
        mechanism: Mechanism::TerramateOrder,
        loc,
        reads: Vec::new(),
        dynamic_reads: false,
        via: String::new(),
    }
}

/// The Terramate project root: the top-most directory holding a `terramate {}` block,
/// else the repository root when it is inside the scan, else the scan root.
fn project_root(ws: &Workspace) -> String {
    let mut best: Option<String> = None;
    for f in &ws.files {
        if f.kind == crate::discover::FileKind::Terramate && f.body.block("terramate").is_some() {
            let dir = paths::parent(&f.path);
            if best.as_ref().is_none_or(|b| dir.len() < b.len()) {
                best = Some(dir);
            }
        }
    }
    best.or_else(|| ws.rel(&ws.repo_abs))
        .unwrap_or_else(|| ".".to_string())
}

fn targets(ws: &Workspace, root: &str, dir: &str, entry: &str) -> Result<Vec<usize>, String> {
    if let Some(filter) = entry.strip_prefix("tag:") {
        // `tag:a:b` needs both tags; `tag:a,b`... one of them.
        let alternatives: Vec<Vec<&str>> = filter
            .split(',')
            .map(|alt| alt.split(':').collect())
            .collect();
        let mut out: Vec<usize> = ws
            .terramate
            .values()
            .filter(|t| t.dir != dir)
            .filter(|t| {
                alternatives
                    .iter()
                    .any(|all| all.iter().all(|tag| t.tags.iter().any(|x| x == tag)))
            })
            .filter_map(|t| ws.stack_at_dir(&t.dir))
            .collect();
        out.sort();
        return if out.is_empty() {
            Err(format!("no Terramate stack has the tags of {entry}"))
        } else {
            Ok(out)
        };
    }
    let target = match entry.strip_prefix('/') {
        Some(abs) => paths::join(root, abs),
        None => paths::join(dir, entry),
    };
    match ws.stack_at_dir(&target) {
        Some(i) => Ok(vec![i]),
        None => Err(format!(
            "{entry} resolves to {target}, which is not a stack in the tree"
        )),
    }
}
