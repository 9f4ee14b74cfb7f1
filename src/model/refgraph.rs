//! The reference graph inside one stack: its resources, data sources and module calls
//! (local modules expanded) as nodes, an edge wherever one block's arguments refer to
//! another, references through `local.*` followed. Variables, providers and outputs are
//! not nodes. Everything inside a local module hangs on the module call, so a module is
//! never cut apart. Used to find groups of resources that could live in separate stacks.

use super::{BlockRef, Code, ModuleCall, Stack, Workspace};
use crate::syntax::{for_each_attr, Expr};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::collections::BTreeMap;

/// Local modules nested deeper than this are not expanded (as in the model).
const MAX_MODULE_DEPTH: usize = 12;
/// Locals referring to locals are followed at most this deep.
const MAX_LOCAL_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A managed resource: index into `Stack::resources`.
    Resource(usize),
    /// A data source: index into `Stack::data`.
    Data(usize),
    /// A module call; `local` when its code is in the tree and expanded.
    Module { local: bool },
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// A module call's address (`module.a.module.b`); empty for resources and data
    /// sources, whose address their item in the `Stack` gives (saves a string per node).
    pub address: String,
    pub block: BlockRef,
}

/// One code directory as seen from a stack: the root (`prefix` empty) or a local module
/// at `module.a.module.b`.
pub struct CodeContext<'w> {
    pub prefix: String,
    pub code: &'w Code,
}

/// Every code context of a stack, root first, local modules in call order.
pub fn code_contexts<'w>(ws: &'w Workspace, stack: &Stack) -> Vec<CodeContext<'w>> {
    let mut out = Vec::new();
    if let Some(code) = stack.code_dir.as_ref().and_then(|d| ws.codes.get(d)) {
        walk(ws, code, String::new(), &mut Vec::new(), &mut out);
    }
    out
}

fn walk<'w>(
    ws: &'w Workspace,
    code: &'w Code,
    prefix: String,
    seen: &mut Vec<String>,
    out: &mut Vec<CodeContext<'w>>,
) {
    if seen.len() > MAX_MODULE_DEPTH || seen.contains(&code.dir) {
        return;
    }
    seen.push(code.dir.clone());
    out.push(CodeContext {
        prefix: prefix.clone(),
        code,
    });
    for call in code.module_calls.iter() {
        if let Some(child) = call.local_dir.as_ref().and_then(|d| ws.codes.get(d)) {
            walk(ws, child, join(&prefix, &call.name), seen, out);
        }
    }
    seen.pop();
}

/// `module.a` + `b` -> `module.a.module.b`.
pub fn join(prefix: &str, call: &str) -> String {
    if prefix.is_empty() {
        format!("module.{call}")
    } else {
        format!("{prefix}.module.{call}")
    }
}

/// `module.a.module.b` -> (`module.a`, `b`); `None` for the root.
pub fn split_module_path(path: &str) -> Option<(&str, &str)> {
    // Most paths asked about are the root's: skip the substring search's set-up.
    if path.is_empty() {
        return None;
    }
    match path.rfind(".module.") {
        Some(i) => Some((&path[..i], &path[i + ".module.".len()..])),
        None => path.strip_prefix("module.").map(|n| ("", n)),
    }
}

/// The expression of `local.<name>` in a code directory.
pub fn local_expr<'w>(ws: &'w Workspace, code: &Code, name: &str) -> Option<&'w Expr> {
    let &(_, file, top, attr) = code.locals.iter().find(|l| &*l.0 == name)?;
    ws.files
        .get(file.index())?
        .body
        .blocks
        .get(top as usize)?
        .body
        .attrs
        .get(attr as usize)
        .map(|a| &a.expr)
}

/// The module calls of a stack by address (`module.a.module.b`), with the code that
/// makes each call.
pub fn module_calls<'w>(
    contexts: &[CodeContext<'w>],
) -> BTreeMap<String, (&'w Code, &'w ModuleCall)> {
    let mut out = BTreeMap::new();
    for cx in contexts {
        for call in cx.code.module_calls.iter() {
            out.insert(join(&cx.prefix, &call.name), (cx.code, call));
        }
    }
    out
}

#[derive(Debug, Clone, Default)]
pub struct RefGraph {
    pub nodes: Vec<Node>,
    /// `(from, to)`: `from`'s arguments refer to `to`. Sorted, distinct.
    pub edges: Vec<(usize, usize)>,
}

/// (module prefix, kind, type, name) of a node; kind: `r` resource, `d` data, `m` module.
type Key<'a> = (&'a str, u8, &'a str, &'a str);

impl RefGraph {
    /// `contexts`: the stack's [`code_contexts`].
    pub fn build(ws: &Workspace, stack: &Stack, contexts: &[CodeContext]) -> RefGraph {
        let mut g = RefGraph::default();
        let mut index: HashMap<Key, usize> = HashMap::new();
        // Which code (by prefix) each node's block is written in.
        let mut node_prefix: Vec<&str> = Vec::new();
        for (i, r) in stack.resources.iter().enumerate() {
            index.insert((&r.module, b'r', &r.item.kind, &r.item.name), g.nodes.len());
            node_prefix.push(&r.module);
            g.nodes.push(Node {
                kind: NodeKind::Resource(i),
                address: String::new(),
                block: r.item.block,
            });
        }
        for (i, d) in stack.data.iter().enumerate() {
            index.insert((&d.module, b'd', &d.item.kind, &d.item.name), g.nodes.len());
            node_prefix.push(&d.module);
            g.nodes.push(Node {
                kind: NodeKind::Data(i),
                address: String::new(),
                block: d.item.block,
            });
        }
        for cx in contexts {
            for call in cx.code.module_calls.iter() {
                let local = call
                    .local_dir
                    .as_ref()
                    .is_some_and(|d| ws.codes.contains_key(d));
                index.insert((&cx.prefix, b'm', "", &call.name), g.nodes.len());
                node_prefix.push(&cx.prefix);
                g.nodes.push(Node {
                    kind: NodeKind::Module { local },
                    address: join(&cx.prefix, &call.name),
                    block: call.block,
                });
            }
        }
        let code_of: HashMap<&str, &Code> = contexts
            .iter()
            .map(|c| (c.prefix.as_str(), c.code))
            .collect();
        let mut resolver = Resolver {
            ws,
            index: &index,
            locals: HashMap::new(),
        };
        let mut edges: HashSet<(usize, usize)> = HashSet::new();
        let mut targets = Vec::new();
        for (from, node) in g.nodes.iter().enumerate() {
            let prefix = node_prefix[from];
            // Everything inside a local module hangs on its call.
            if let Some((parent, name)) = split_module_path(prefix) {
                if let Some(&m) = index.get(&(parent, b'm', "", name)) {
                    edges.insert((from, m));
                }
            }
            let (Some(block), Some(code)) = (ws.block(node.block), code_of.get(prefix)) else {
                continue;
            };
            targets.clear();
            for_each_attr(&block.body, |a| {
                resolver.targets(code, prefix, &a.expr, 0, &mut targets);
            });
            for &to in &targets {
                if to != from {
                    edges.insert((from, to));
                }
            }
        }
        g.edges = edges.into_iter().collect();
        g.edges.sort_unstable();
        g
    }

    /// Groups of nodes joined by references, the way a split would have to keep them:
    /// a data source that depends on nothing in the stack (a region, an account id, a
    /// lookup by a variable) can be copied into each part, so it joins nothing.
    /// Each group is sorted; groups are sorted by their first node.
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let n = self.nodes.len();
        let is_data = |i: usize| matches!(self.nodes[i].kind, NodeKind::Data(_));
        // A data source is anchored when it reaches a resource or module call.
        let mut anchored = vec![false; n];
        let mut changed = true;
        while changed {
            changed = false;
            for &(a, b) in &self.edges {
                if is_data(a) && !anchored[a] && (!is_data(b) || anchored[b]) {
                    anchored[a] = true;
                    changed = true;
                }
            }
        }
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for &(a, b) in &self.edges {
            if (is_data(a) && !anchored[a]) || (is_data(b) && !anchored[b]) {
                continue;
            }
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            let r = find(&mut parent, i);
            by_root.entry(r).or_default().push(i);
        }
        by_root.into_values().collect()
    }
}

struct Resolver<'a, 'w> {
    ws: &'w Workspace,
    index: &'a HashMap<Key<'a>, usize>,
    /// Targets of `local.<name>` per (prefix, name); `None` while being resolved.
    locals: HashMap<(&'a str, &'w str), Option<Vec<usize>>>,
}

impl<'a, 'w> Resolver<'a, 'w> {
    fn targets(
        &mut self,
        code: &Code,
        prefix: &'a str,
        expr: &'w Expr,
        depth: usize,
        out: &mut Vec<usize>,
    ) {
        for r in expr.references() {
            let found = match r.root {
                "data" => match (r.name_at(0), r.name_at(1)) {
                    (Some(t), Some(n)) => self.index.get(&(prefix, b'd', t, n)),
                    _ => None,
                },
                "module" => r
                    .name_at(0)
                    .and_then(|n| self.index.get(&(prefix, b'm', "", n))),
                "local" => {
                    if let Some(name) = r.name_at(0) {
                        out.extend(self.local(code, prefix, name, depth));
                    }
                    None
                }
                "var" | "each" | "count" | "path" | "terraform" | "self" => None,
                ty => r
                    .name_at(0)
                    .and_then(|n| self.index.get(&(prefix, b'r', ty, n))),
            };
            if let Some(&i) = found {
                out.push(i);
            }
        }
    }

    fn local(&mut self, code: &Code, prefix: &'a str, name: &'w str, depth: usize) -> Vec<usize> {
        let key = (prefix, name);
        match self.locals.get(&key) {
            Some(Some(v)) => return v.clone(),
            Some(None) => return Vec::new(), // a cycle among locals
            None => {}
        }
        if depth > MAX_LOCAL_DEPTH {
            return Vec::new();
        }
        self.locals.insert(key, None);
        let mut v = Vec::new();
        if let Some(e) = local_expr(self.ws, code, name) {
            self.targets(code, prefix, e, depth + 1, &mut v);
        }
        v.sort_unstable();
        v.dedup();
        self.locals.insert(key, Some(v.clone()));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_split() {
        assert_eq!(split_module_path("module.a"), Some(("", "a")));
        assert_eq!(
            split_module_path("module.a.module.b"),
            Some(("module.a", "b"))
        );
        assert_eq!(split_module_path(""), None);
        assert_eq!(join("", "a"), "module.a");
        assert_eq!(join("module.a", "b"), "module.a.module.b");
    }
}
