//! Stage 4: cross-stack references. One file per integration mechanism; each collects
//! what a stack provides and consumes (in parallel, per stack), then resolves consumers
//! against an index of providers. A reference that matches nothing, or several stacks,
//! is `Unresolved` with a reason, never a guess.

mod parameter_store;
mod remote_state;
mod resource_lookup;
mod terragrunt;
mod terramate;
mod tfe_outputs;

use crate::model::{stack_scopes, CodeScope, Stack, Workspace};
use crate::source::Loc;
use crate::syntax::{Body, Op};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    RemoteState,
    TfeOutputs,
    TerragruntDependency,
    TerragruntOrder,
    TerramateOrder,
    ParameterStore,
    ResourceLookup,
}

impl Mechanism {
    pub const ALL: [Mechanism; 7] = [
        Mechanism::RemoteState,
        Mechanism::TfeOutputs,
        Mechanism::TerragruntDependency,
        Mechanism::TerragruntOrder,
        Mechanism::TerramateOrder,
        Mechanism::ParameterStore,
        Mechanism::ResourceLookup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Mechanism::RemoteState => "remote_state",
            Mechanism::TfeOutputs => "tfe_outputs",
            Mechanism::TerragruntDependency => "terragrunt_dependency",
            Mechanism::TerragruntOrder => "terragrunt_order",
            Mechanism::TerramateOrder => "terramate_order",
            Mechanism::ParameterStore => "parameter_store",
            Mechanism::ResourceLookup => "resource_lookup",
        }
    }

    pub fn from_name(s: &str) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Does the mechanism carry named outputs (and so can read a missing one)?
    pub fn has_outputs(self) -> bool {
        matches!(
            self,
            Mechanism::RemoteState | Mechanism::TfeOutputs | Mechanism::TerragruntDependency
        )
    }
}

/// An output a consumer reads through an edge, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputRead {
    pub name: String,
    pub loc: Loc,
}

/// One edge consumer -> provider per (from, to, mechanism).
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub mechanism: Mechanism,
    /// Sorted, distinct output names read. A sorted list rather than a set: most edges
    /// read one or two outputs, and a `BTreeSet`'s first node is ~280 bytes (15,000 edges
    /// on a 10,000-stack tree).
    pub outputs: Vec<String>,
    /// Where the link is declared (the first declaring block/reference).
    pub loc: Loc,
    /// Every statically named output read, with its location.
    pub reads: Vec<OutputRead>,
    /// Some reads use a computed key or the whole outputs object.
    pub dynamic_reads: bool,
    /// What links the two (a parameter name, a lookup key); empty when self-evident.
    pub via: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    pub from: usize,
    pub mechanism: Mechanism,
    pub loc: Loc,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Links {
    pub edges: Vec<Edge>,
    pub unresolved: Vec<Unresolved>,
}

/// A link found by a mechanism, before edges are merged.
#[derive(Debug, Clone)]
pub struct RawLink {
    pub from: usize,
    pub to: usize,
    pub mechanism: Mechanism,
    pub loc: Loc,
    pub reads: Vec<OutputRead>,
    pub dynamic_reads: bool,
    pub via: String,
}

/// What one stack provides and consumes through parameters and lookups, whose readers
/// are resolved once every stack's are known.
#[derive(Default)]
struct StackFacts {
    params: parameter_store::Facts,
    lookups: resource_lookup::Facts,
}

/// Links found and references left unresolved.
type Resolved = (Vec<RawLink>, Vec<Unresolved>);

pub fn link(ws: &Workspace) -> Links {
    // Remote state and tfe_outputs both match readers against the stacks' state
    // addresses; a stack's readers are resolved as soon as they are collected, so the
    // 15,000 readers of a 10,000-stack tree are never all held at once.
    // What needs no reader facts is built side by side with the provider index, so that
    // one core does not wait on another's serial step (a timeline of 10,000 stacks at
    // -j2 showed ~40 ms of link with one core idle).
    let ((providers, tg), tm) = rayon::join(
        || {
            rayon::join(
                || remote_state::ProviderIndex::new(ws),
                || terragrunt::resolve(ws),
            )
        },
        || terramate::resolve(ws),
    );
    // Readers first; then writers, but only of the registries and lookup keys some
    // reader uses (most resources are never looked up, so this keeps memory small).
    let collected: Vec<(StackFacts, Resolved, Resolved)> = ws
        .stacks
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .enumerate()
        .map(|(i, s)| collect(ws, &providers, i, s))
        .collect();
    let mut facts = Vec::with_capacity(collected.len());
    let (mut remote, mut tfe): (Vec<Resolved>, Vec<Resolved>) = (Vec::new(), Vec::new());
    for (f, r, t) in collected {
        facts.push(f);
        remote.push(r);
        tfe.push(t);
    }
    let lookups_wanted = resource_lookup::wanted(facts.iter().map(|f| &f.lookups));
    let mut params_wanted = BTreeSet::new();
    for f in &facts {
        f.params.wanted(&mut params_wanted);
    }
    if !lookups_wanted.is_empty() || !params_wanted.is_empty() {
        let producers: Vec<(parameter_store::Facts, resource_lookup::Facts)> = ws
            .stacks
            .par_iter()
            .with_max_len(crate::pipeline::PAR_CHUNK)
            .enumerate()
            .map(|(i, s)| {
                // Evaluating a stack's scopes is most of the cost; a stack none of
                // whose code declares a wanted producer type has nothing to offer.
                let produces = |kind: &str| {
                    parameter_store::produces(kind, &params_wanted)
                        || resource_lookup::produces(kind, &lookups_wanted)
                };
                if !any_resource_in_code(ws, s, produces) {
                    return Default::default();
                }
                let scopes = stack_scopes(ws, s);
                (
                    parameter_store::collect(ws, i, &scopes, Some(&params_wanted)),
                    resource_lookup::collect(ws, i, &scopes, Some(&lookups_wanted)),
                )
            })
            .collect();
        for (f, (p, l)) in facts.iter_mut().zip(producers) {
            f.params.take_producers(p);
            f.lookups.take_producers(l);
        }
    }

    let mut raw: Vec<RawLink> = Vec::new();
    let mut unresolved: Vec<Unresolved> = Vec::new();
    let mut out = |(l, u): (Vec<RawLink>, Vec<Unresolved>)| {
        raw.extend(l);
        unresolved.extend(u);
    };
    // In the order the mechanisms are listed: remote state for every stack, then tfe.
    remote.into_iter().chain(tfe).for_each(&mut out);
    out(tg);
    out(tm);
    let (params, lookups) = rayon::join(
        || parameter_store::resolve(ws, facts.iter().map(|f| &f.params)),
        || resource_lookup::resolve(ws, facts.iter().map(|f| &f.lookups)),
    );
    out(params);
    out(lookups);
    // Freeing 10,000 stacks' facts is a few milliseconds of its own: done while merging.
    rayon::join(move || drop(facts), || merge(ws, raw, unresolved)).1
}

/// Does any code the stack runs (its own and every local module it reaches, however
/// deep) declare a resource of a type `wanted` accepts?
fn any_resource_in_code(ws: &Workspace, stack: &Stack, wanted: impl Fn(&str) -> bool) -> bool {
    let mut todo: Vec<&str> = stack.code_dir.as_deref().into_iter().collect();
    let mut seen: Vec<&str> = Vec::new();
    while let Some(dir) = todo.pop() {
        if seen.contains(&dir) {
            continue;
        }
        seen.push(dir);
        let Some(code) = ws.codes.get(dir) else {
            continue;
        };
        if code.resources.iter().any(|r| wanted(&r.kind)) {
            return true;
        }
        todo.extend(
            code.module_calls
                .iter()
                .filter_map(|c| c.local_dir.as_deref()),
        );
    }
    false
}

fn collect(
    ws: &Workspace,
    providers: &remote_state::ProviderIndex,
    index: usize,
    stack: &Stack,
) -> (StackFacts, Resolved, Resolved) {
    let scopes = stack_scopes(ws, stack);
    let remote = remote_state::collect(ws, index, stack, &scopes);
    let tfe = tfe_outputs::collect(ws, index, &scopes);
    let facts = StackFacts {
        params: parameter_store::collect(ws, index, &scopes, None),
        lookups: resource_lookup::collect(ws, index, &scopes, None),
    };
    (
        facts,
        remote_state::resolve(ws, providers, &remote),
        tfe_outputs::resolve(ws, providers, &tfe),
    )
}

/// Sort key of a location: file path then offset, independent of file ids.
pub fn loc_key(ws: &Workspace, loc: Loc) -> (&str, u32, u32) {
    (ws.path(loc.file), loc.span.start, loc.span.end)
}

fn merge(ws: &Workspace, raw: Vec<RawLink>, mut unresolved: Vec<Unresolved>) -> Links {
    let mut edges: BTreeMap<(usize, usize, Mechanism), Edge> = BTreeMap::new();
    for l in raw {
        if l.from == l.to {
            continue;
        }
        let e = edges
            .entry((l.from, l.to, l.mechanism))
            .or_insert_with(|| Edge {
                from: l.from,
                to: l.to,
                mechanism: l.mechanism,
                outputs: Vec::new(),
                loc: l.loc,
                reads: Vec::new(),
                dynamic_reads: false,
                via: l.via.clone(),
            });
        if loc_key(ws, l.loc) < loc_key(ws, e.loc) {
            e.loc = l.loc;
            e.via = l.via.clone();
        }
        e.outputs.extend(l.reads.iter().map(|r| r.name.clone()));
        e.reads.extend(l.reads);
        e.dynamic_reads |= l.dynamic_reads;
    }
    // A pair linked by a Terragrunt `dependency` needs no separate ordering edge.
    let dependency_pairs: BTreeSet<(usize, usize)> = edges
        .keys()
        .filter(|k| k.2 == Mechanism::TerragruntDependency)
        .map(|k| (k.0, k.1))
        .collect();
    edges.retain(|k, _| {
        !(k.2 == Mechanism::TerragruntOrder && dependency_pairs.contains(&(k.0, k.1)))
    });
    let mut edges: Vec<Edge> = edges.into_values().collect();
    for e in &mut edges {
        e.reads.sort_by(|a, b| {
            (a.name.as_str(), loc_key(ws, a.loc)).cmp(&(b.name.as_str(), loc_key(ws, b.loc)))
        });
        e.reads.dedup();
        e.outputs.sort_unstable();
        e.outputs.dedup();
        e.outputs = crate::syntax::exact(std::mem::take(&mut e.outputs));
    }
    edges.sort_by(|a, b| {
        (&ws.stacks[a.from].id, &ws.stacks[a.to].id, a.mechanism).cmp(&(
            &ws.stacks[b.from].id,
            &ws.stacks[b.to].id,
            b.mechanism,
        ))
    });
    unresolved.sort_by(|a, b| {
        (
            &ws.stacks[a.from].id,
            loc_key(ws, a.loc),
            a.mechanism,
            &a.reason,
        )
            .cmp(&(
                &ws.stacks[b.from].id,
                loc_key(ws, b.loc),
                b.mechanism,
                &b.reason,
            ))
    });
    unresolved.dedup_by(|a, b| {
        a.from == b.from && a.loc == b.loc && a.mechanism == b.mechanism && a.reason == b.reason
    });
    Links { edges, unresolved }
}

/// Per data source name, the outputs read (`None`: a computed key) and where.
pub(crate) type OutputReads = BTreeMap<String, Vec<(Option<String>, Loc)>>;

/// References of the form `data.<kind>.<name>[<index>].<attr>.<output>` in a code
/// directory's files: for each data source name, the outputs read (`None` = dynamic).
pub(crate) fn data_output_reads(
    ws: &Workspace,
    scope: &CodeScope,
    kind: &str,
    attrs: &[&str],
) -> OutputReads {
    let mut out: OutputReads = BTreeMap::new();
    for file in &scope.scope.code.files {
        scan_body(
            &ws.file(*file).body,
            |r, loc| {
                if r.root != "data" || r.name_at(0) != Some(kind) {
                    return;
                }
                let Some(name) = r.name_at(1) else { return };
                // Skip an instance index: data.x.name["key"] / data.x.name[0].
                let mut i = 2;
                if matches!(r.ops.get(i), Some(Op::Index(_) | Op::LegacyIndex(_))) {
                    i += 1;
                }
                let reads = out.entry(name.to_string()).or_default();
                match r.name_at(i) {
                    Some(a) if attrs.contains(&a) => {
                        let output = match r.ops.get(i + 1) {
                            Some(Op::Attr(n)) => Some(n.to_string()),
                            Some(Op::Index(e)) => e.as_literal_str().map(str::to_string),
                            _ => None,
                        };
                        reads.push((output, loc(r.span)));
                    }
                    // Referenced without reading outputs (depends_on, count...): no read.
                    _ => {}
                }
            },
            *file,
        );
    }
    out
}

fn scan_body(
    body: &Body,
    mut f: impl FnMut(crate::syntax::Reference, &dyn Fn(crate::source::Span) -> Loc),
    file: crate::source::FileId,
) {
    let mk = move |span| Loc { file, span };
    crate::syntax::for_each_attr(body, |a| {
        for r in a.expr.references() {
            f(r, &mk);
        }
    });
}

/// Is a reference root a managed resource type (`aws_vpc` in `aws_vpc.main.id`) rather
/// than a variable, local, data source, module or iterator?
pub fn is_resource_reference(root: &str) -> bool {
    root.contains('_')
        && !matches!(
            root,
            "var" | "local" | "data" | "module" | "each" | "count" | "self" | "path" | "terraform"
        )
}

/// Human list of stack ids: `a, b and c`.
pub fn list_ids(ws: &Workspace, stacks: &BTreeSet<usize>) -> String {
    let ids: Vec<&str> = stacks.iter().map(|i| ws.stacks[*i].id.as_str()).collect();
    match ids.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}
