//! What `wrapper-drift` knows about wrapper stacks: the module a call deploys, the
//! inputs a wrapper passes, the blocks it adds, and when two wrappers are siblings.

use crate::model::{Code, ModuleCall, Workspace};
use crate::similarity::fingerprint::normalise_name;
use crate::similarity::{jaccard, Similarity};
use crate::source::Loc;
use std::collections::{BTreeMap, BTreeSet};

/// Families larger than this skip the input comparison (all members are siblings).
pub const MAX_COMPARED_FAMILY: usize = 64;
/// Share of module inputs two wrappers must have in common to be instances of one thing.
const MIN_INPUT_OVERLAP: f64 = 0.8;
/// Similarity of the whole code two sibling wrappers keep (extra blocks included).
const MIN_CODE_SIMILARITY: f64 = 0.5;

pub struct Member<'a> {
    pub dir: &'a str,
    /// Input names passed to each module called, by module source.
    pub inputs: BTreeMap<String, BTreeSet<String>>,
    /// The code's similarity fingerprint.
    pub features: &'a [u64],
    pub extras: BTreeMap<String, Extra>,
}

pub fn member<'a>(
    ws: &Workspace,
    dir: &'a str,
    code: &Code,
    source: &str,
    sim: &'a Similarity,
) -> Member<'a> {
    let mut inputs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in code.module_calls.iter() {
        let Some(b) = ws.block(m.block) else { continue };
        let names = inputs.entry(source_key(m)).or_default();
        for a in &b.body.attrs {
            if !matches!(&*a.name, "source" | "version" | "providers" | "depends_on") {
                names.insert(a.name.to_string());
            }
        }
    }
    let features = sim
        .nodes
        .binary_search_by(|n| n.code_dir.as_str().cmp(dir))
        .ok()
        .map(|i| sim.nodes[i].features.as_slice())
        .unwrap_or_default();
    Member {
        dir,
        inputs,
        features,
        extras: extras(ws, code, source),
    }
}

/// Two wrappers are instances of one thing when every module they both call gets
/// (nearly) the same inputs from them and their code is still mostly alike; a project
/// that merely uses the same module among others is not a sibling.
pub fn alike(a: &Member, b: &Member) -> bool {
    let inputs = a.inputs.iter().all(|(src, x)| {
        b.inputs.get(src).is_none_or(|y| {
            let union = x.union(y).count();
            union == 0 || x.intersection(y).count() as f64 / union as f64 >= MIN_INPUT_OVERLAP
        })
    });
    inputs && jaccard(a.features, b.features) >= MIN_CODE_SIMILARITY
}

pub struct Extra {
    pub display: String,
    pub loc: Loc,
}

/// Resources and module calls other than the wrapped module, keyed with environment
/// words normalised (`exports_prod` and `exports_dev` are the same block).
fn extras(ws: &Workspace, code: &Code, source: &str) -> BTreeMap<String, Extra> {
    let mut out = BTreeMap::new();
    for r in &code.resources {
        let key = format!("{}.{}", r.kind, normalise_name(&r.name));
        let display = format!("resource {}.{}", r.kind, r.name);
        out.insert(
            key,
            Extra {
                display,
                loc: ws.loc(r.block),
            },
        );
    }
    for m in code.module_calls.iter() {
        let key = source_key(m);
        if key != source {
            let display = format!("module.{} ({})", m.name, m.source);
            out.insert(
                format!("module {key}"),
                Extra {
                    display,
                    loc: ws.loc(m.block),
                },
            );
        }
    }
    out
}

/// The module a call deploys: the resolved local directory, or the remote source
/// without its version (`?ref=v1.2.0`), so wrappers pinned to other versions are siblings.
pub fn source_key(call: &ModuleCall) -> String {
    match &call.local_dir {
        Some(d) => d.clone(),
        None => call
            .source
            .split("?ref=")
            .next()
            .unwrap_or(&call.source)
            .to_string(),
    }
}
