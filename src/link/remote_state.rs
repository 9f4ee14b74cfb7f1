//! `data "terraform_remote_state"`: the consumer's backend + config (+ workspace) is
//! evaluated per instance and matched against the state addresses every stack writes.

use super::{data_output_reads, list_ids, Mechanism, OutputRead, RawLink, Unresolved};
use crate::eval::{self, Bound, Scope, Value};
use crate::model::{addresses, CodeScope, Stack, StateAddress, Workspace, WorkspaceSel};
use crate::source::Loc;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub struct Consumer {
    pub stack: usize,
    pub loc: Loc,
    /// Addresses over all instances; empty with a reason when none could be built.
    pub addresses: Vec<StateAddress>,
    pub problem: Option<String>,
    pub reads: Vec<OutputRead>,
    pub dynamic_reads: bool,
    /// `; it depends on var.x, which has no value` when the address is unknown.
    pub unknown_inputs: String,
}

pub fn collect(ws: &Workspace, index: usize, stack: &Stack, scopes: &[CodeScope]) -> Vec<Consumer> {
    collect_kind(
        ws,
        index,
        stack,
        scopes,
        "terraform_remote_state",
        &["outputs"],
        consumer_addresses,
    )
}

type AddressFn = fn(&crate::syntax::Block, &dyn Scope, &str) -> Result<Vec<StateAddress>, String>;

/// Shared by `terraform_remote_state` and `tfe_outputs`: evaluates each data source of
/// `kind` in every code scope and gathers its output reads.
pub(super) fn collect_kind(
    ws: &Workspace,
    index: usize,
    stack: &Stack,
    scopes: &[CodeScope],
    kind: &str,
    read_attrs: &[&str],
    address_fn: AddressFn,
) -> Vec<Consumer> {
    // (module path, data name) -> consumer under construction
    let mut by_block: BTreeMap<(String, String), Consumer> = BTreeMap::new();
    let mut reads_cache: HashMap<String, super::OutputReads> = HashMap::new();
    for cs in scopes {
        let code = cs.scope.code;
        for item in code.data.iter().filter(|d| &*d.kind == kind) {
            let Some(block) = ws.block(item.block) else {
                continue;
            };
            let loc = ws.loc(item.block);
            let key = (cs.module.clone(), item.name.to_string());
            let reads = reads_cache
                .entry(code.dir.clone())
                .or_insert_with(|| data_output_reads(ws, cs, kind, read_attrs));
            let c = by_block.entry(key).or_insert_with(|| {
                let mut reads_here = Vec::new();
                let mut dynamic = false;
                for (output, at) in reads.get(&*item.name).into_iter().flatten() {
                    match output {
                        Some(o) => reads_here.push(OutputRead {
                            name: o.clone(),
                            loc: *at,
                        }),
                        None => dynamic = true,
                    }
                }
                Consumer {
                    stack: index,
                    loc,
                    addresses: Vec::new(),
                    problem: None,
                    reads: reads_here,
                    dynamic_reads: dynamic,
                    unknown_inputs: unknown_inputs(block, &cs.scope),
                }
            });
            for each in for_each_bindings(block, &cs.scope) {
                let scope: Box<dyn Scope> = match &each {
                    Some(v) => Box::new(Bound {
                        parent: &cs.scope,
                        names: vec![("each", v.clone())],
                    }),
                    None => Box::new(Bound {
                        parent: &cs.scope,
                        names: Vec::new(),
                    }),
                };
                match address_fn(block, scope.as_ref(), &stack.dir) {
                    Ok(addrs) => c.addresses.extend(addrs),
                    Err(reason) => {
                        c.problem.get_or_insert(reason);
                    }
                }
            }
        }
    }
    let mut out: Vec<Consumer> = by_block.into_values().collect();
    for c in &mut out {
        c.addresses.sort();
        c.addresses.dedup();
    }
    out
}

/// Names the variables without a value that the block's settings depend on.
fn unknown_inputs(block: &crate::syntax::Block, scope: &dyn Scope) -> String {
    let mut missing: BTreeSet<String> = BTreeSet::new();
    crate::syntax::for_each_attr(&block.body, |a| {
        for r in a.expr.references() {
            if r.root == "var" {
                if let Some(name) = r.name_at(0) {
                    if matches!(
                        scope.resolve("var", Some(name)),
                        Some((Value::Unknown, _)) | None
                    ) {
                        missing.insert(format!("var.{name}"));
                    }
                }
            }
        }
    });
    if missing.is_empty() {
        return String::new();
    }
    let list: Vec<String> = missing.into_iter().collect();
    format!(
        "; it depends on {}, which {} no default, tfvars or module-argument value",
        list.join(", "),
        if list.len() == 1 { "has" } else { "have" }
    )
}

/// `for_each` over a known collection gives one `each` binding per element; otherwise
/// one evaluation with `each` unknown.
pub(super) fn for_each_bindings(
    block: &crate::syntax::Block,
    scope: &dyn Scope,
) -> Vec<Option<Value>> {
    let Some(fe) = block.body.expr("for_each") else {
        return vec![None];
    };
    let pair = |k: Value, v: Value| {
        Some(Value::Map(
            [("key".to_string(), k), ("value".to_string(), v)].into(),
        ))
    };
    match eval::eval(fe, scope) {
        Value::Map(m) if !m.is_empty() => {
            m.into_iter().map(|(k, v)| pair(Value::Str(k), v)).collect()
        }
        Value::List(items) if !items.is_empty() => {
            items.into_iter().map(|v| pair(v.clone(), v)).collect()
        }
        Value::Map(_) | Value::List(_) => Vec::new(),
        _ => vec![Some(Value::Unknown)],
    }
}

fn consumer_addresses(
    block: &crate::syntax::Block,
    scope: &dyn Scope,
    dir: &str,
) -> Result<Vec<StateAddress>, String> {
    let backend = block
        .body
        .expr("backend")
        .map(|e| eval::eval(e, scope))
        .unwrap_or(Value::Unknown);
    let Some(backend) = backend.as_str() else {
        return Err("the backend type cannot be determined statically".into());
    };
    let config = match block.body.expr("config").map(|e| eval::eval(e, scope)) {
        Some(Value::Map(m)) => m,
        None => BTreeMap::new(),
        Some(_) => {
            return Err(format!(
                "the {backend} config cannot be determined statically"
            ))
        }
    };
    let ws_sel = match block.body.expr("workspace").map(|e| eval::eval(e, scope)) {
        None => WorkspaceSel::Default,
        Some(v) => WorkspaceSel::Named(v.to_pattern()),
    };
    Ok(addresses(&backend, &config, &ws_sel, dir))
}

/// Index of the state addresses stacks write.
pub(super) struct ProviderIndex<'a> {
    exact: HashMap<String, BTreeSet<usize>>,
    by_backend: HashMap<&'a str, Vec<(usize, &'a StateAddress)>>,
    /// Stacks per backend whose state address is not known statically.
    opaque: HashMap<&'a str, usize>,
}

impl<'a> ProviderIndex<'a> {
    pub fn new(ws: &'a Workspace) -> Self {
        // The keys are formatted in parallel: on 10,000 stacks this loop ran alone on one
        // core for ~20 ms.
        let keyed: Vec<Vec<(&StateAddress, Option<String>)>> = ws
            .stacks
            .par_iter()
            .with_max_len(crate::pipeline::PAR_CHUNK)
            .map(|s| {
                // An address that is mostly unknown (a key given only at `terraform init`)
                // would match every reader: it takes no part in matching.
                (s.addresses.iter().filter(|a| a.is_informative()))
                    .map(|a| (a, a.is_literal().then(|| a.exact_key())))
                    .collect()
            })
            .collect();
        let mut exact: HashMap<String, BTreeSet<usize>> = HashMap::new();
        let mut by_backend: HashMap<&str, Vec<(usize, &StateAddress)>> = HashMap::new();
        for (i, addrs) in keyed.into_iter().enumerate() {
            for (a, key) in addrs {
                if let Some(key) = key {
                    exact.entry(key).or_default().insert(i);
                }
                by_backend
                    .entry(a.backend.as_str())
                    .or_default()
                    .push((i, a));
            }
        }
        let mut opaque: HashMap<&str, usize> = HashMap::new();
        for s in &ws.stacks {
            if let Some(a) = s.addresses.iter().find(|a| !a.is_informative()) {
                if !s.addresses.iter().any(|a| a.is_informative()) {
                    *opaque.entry(a.backend.as_str()).or_default() += 1;
                }
            }
        }
        ProviderIndex {
            exact,
            by_backend,
            opaque,
        }
    }

    /// A hint for "no stack matches": stacks whose address is only known at init time.
    pub fn opaque_hint(&self, backend: &str) -> String {
        match self.opaque.get(backend) {
            Some(n) => format!(
                " ({n} stack(s) with a {backend} backend set their state key only at `terraform init` time and cannot be matched)"
            ),
            None => String::new(),
        }
    }

    /// Stacks whose state the address may name: literal matches when there are any,
    /// else every pattern that intersects.
    pub fn lookup(&self, addr: &StateAddress) -> BTreeSet<usize> {
        if addr.is_literal() {
            if let Some(hits) = self.exact.get(&addr.exact_key()) {
                return hits.clone();
            }
        }
        let mut out = BTreeSet::new();
        for (i, a) in self
            .by_backend
            .get(addr.backend.as_str())
            .into_iter()
            .flatten()
        {
            // A literal consumer already failed the exact lookup: only patterned
            // providers can still match it.
            if addr.is_literal() && a.is_literal() {
                continue;
            }
            if a.matches(addr) {
                out.insert(*i);
            }
        }
        out
    }
}

/// One stack's remote-state readers resolved, on the calling thread (the link stage
/// runs it per stack in parallel, as the readers are collected).
pub fn resolve(
    ws: &Workspace,
    index: &ProviderIndex,
    consumers: &[Consumer],
) -> (Vec<RawLink>, Vec<Unresolved>) {
    resolve_with(ws, index, consumers, Mechanism::RemoteState)
}

pub(super) fn resolve_with(
    ws: &Workspace,
    index: &ProviderIndex,
    consumers: &[Consumer],
    mechanism: Mechanism,
) -> (Vec<RawLink>, Vec<Unresolved>) {
    let mut links = Vec::new();
    let mut unresolved = Vec::new();
    for c in consumers {
        let (l, u) = resolve_one(ws, index, c, mechanism);
        links.extend(l);
        unresolved.extend(u);
    }
    (links, unresolved)
}

/// The stack one consumer reads, or why none could be chosen.
fn resolve_one(
    ws: &Workspace,
    index: &ProviderIndex,
    c: &Consumer,
    mechanism: Mechanism,
) -> (Vec<RawLink>, Option<Unresolved>) {
    let mut targets = BTreeSet::new();
    let mut failures = Vec::new();
    for addr in &c.addresses {
        if !addr.is_informative() {
            failures.push(format!(
                "the state address cannot be determined statically ({addr}){}",
                c.unknown_inputs
            ));
            continue;
        }
        let mut hits = index.lookup(addr);
        hits.remove(&c.stack);
        match hits.len() {
            0 => {
                // Reading another workspace of its own state is not a cross-stack link.
                if !ws.stacks[c.stack].addresses.iter().any(|a| a.matches(addr)) {
                    failures.push(format!(
                        "no stack in the tree has {addr}{}",
                        index.opaque_hint(&addr.backend)
                    ));
                }
            }
            1 => targets.extend(hits),
            _ => failures.push(format!(
                "{addr} matches several stacks ({}); not guessing",
                list_ids(ws, &hits)
            )),
        }
    }
    if let Some(p) = &c.problem {
        if c.addresses.is_empty() {
            failures.push(format!("{p}{}", c.unknown_inputs));
        }
    }
    let links = (targets.iter())
        .map(|to| RawLink {
            from: c.stack,
            to: *to,
            mechanism,
            loc: c.loc,
            reads: c.reads.clone(),
            dynamic_reads: c.dynamic_reads,
            via: String::new(),
        })
        .collect();
    let mut unresolved = None;
    if targets.is_empty() {
        failures.sort();
        failures.dedup();
        unresolved = summarize(failures).map(|reason| Unresolved {
            from: c.stack,
            mechanism,
            loc: c.loc,
            reason,
        });
    }
    (links, unresolved)
}

fn summarize(failures: Vec<String>) -> Option<String> {
    match failures.len() {
        0 => None,
        1 => failures.into_iter().next(),
        n => {
            let first: Vec<String> = failures.into_iter().take(3).collect();
            let more = if n > 3 {
                format!("; and {} more", n - 3)
            } else {
                String::new()
            };
            Some(format!("{}{more}", first.join("; ")))
        }
    }
}
