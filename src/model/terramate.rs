//! Terramate stacks: a directory with a `stack {}` block in a `*.tm.hcl` / `*.tm` file.
//! Its Terraform code is the directory's `*.tf` files (generated files included).

use super::span_loc;
use crate::eval::{self, EmptyScope, Value};
use crate::parse::ParsedFile;
use crate::source::{FileId, Loc};

#[derive(Debug, Clone)]
pub struct TmStack {
    pub dir: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// `after` entries: (path or `tag:` filter, where it is written).
    pub after: Vec<(String, Loc)>,
    pub before: Vec<(String, Loc)>,
    pub loc: Loc,
}

/// Reads the `stack {}` block of a directory's Terramate files, if any.
pub fn read_stack(dir: &str, files: &[(FileId, &ParsedFile)]) -> Option<TmStack> {
    for (id, f) in files {
        let Some(b) = f.body.block("stack") else {
            continue;
        };
        let loc = span_loc(*id, b.head);
        let strings = |name: &str| -> Vec<(String, Loc)> {
            let Some(a) = b.body.attr(name) else {
                return Vec::new();
            };
            let at = span_loc(*id, a.span);
            match eval::eval(&a.expr, &EmptyScope) {
                Value::List(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|s| (s, at))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let single = |name: &str| {
            b.body
                .expr(name)
                .and_then(|e| eval::eval(e, &EmptyScope).as_str())
        };
        let mut tags: Vec<String> = strings("tags").into_iter().map(|(s, _)| s).collect();
        tags.sort();
        tags.dedup();
        return Some(TmStack {
            dir: dir.to_string(),
            id: single("id"),
            name: single("name"),
            tags,
            after: strings("after"),
            before: strings("before"),
            loc,
        });
    }
    None
}
