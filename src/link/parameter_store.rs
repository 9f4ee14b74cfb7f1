//! Integration registries: a producer stack writes a value under a name (SSM parameter,
//! Secrets Manager secret, GCP Secret Manager secret, Consul key, Azure App Configuration
//! key, Key Vault secret) and a consumer stack reads it by the same evaluated name.

use super::remote_state::for_each_bindings;
use super::{list_ids, Mechanism, RawLink, Unresolved};
use crate::eval::{self, Bound, Pattern, Value};
use crate::model::{CodeScope, Workspace};
use crate::source::Loc;
use crate::syntax::Block;
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeSet;

/// (registry, resource type, attribute naming the entry) for producers.
const PRODUCERS: &[(&str, &str, &str)] = &[
    ("SSM parameter", "aws_ssm_parameter", "name"),
    (
        "Secrets Manager secret",
        "aws_secretsmanager_secret",
        "name",
    ),
    (
        "Secret Manager secret",
        "google_secret_manager_secret",
        "secret_id",
    ),
    ("Consul key", "consul_keys", "key.path"),
    ("Consul key prefix", "consul_key_prefix", "path_prefix"),
    (
        "App Configuration key",
        "azurerm_app_configuration_key",
        "key",
    ),
    ("Key Vault secret", "azurerm_key_vault_secret", "name"),
];

/// (registry, data source type, attribute naming the entry) for consumers.
const CONSUMERS: &[(&str, &str, &str)] = &[
    ("SSM parameter", "aws_ssm_parameter", "name"),
    (
        "Secrets Manager secret",
        "aws_secretsmanager_secret",
        "name",
    ),
    (
        "Secrets Manager secret",
        "aws_secretsmanager_secret_version",
        "secret_id",
    ),
    (
        "Secret Manager secret",
        "google_secret_manager_secret",
        "secret_id",
    ),
    (
        "Secret Manager secret",
        "google_secret_manager_secret_version",
        "secret",
    ),
    ("Consul key", "consul_keys", "key.path"),
    ("Consul key prefix", "consul_key_prefix", "path_prefix"),
    (
        "App Configuration key",
        "azurerm_app_configuration_key",
        "key",
    ),
    ("Key Vault secret", "azurerm_key_vault_secret", "name"),
];

pub struct Entry {
    pub stack: usize,
    pub registry: &'static str,
    pub names: Vec<Pattern>,
    pub loc: Loc,
}

#[derive(Default)]
pub struct Facts {
    producers: Vec<Entry>,
    consumers: Vec<Entry>,
}

impl Facts {
    /// Registries some consumer reads from.
    pub fn wanted(&self, into: &mut BTreeSet<&'static str>) {
        into.extend(self.consumers.iter().map(|c| c.registry));
    }

    pub fn take_producers(&mut self, from: Facts) {
        self.producers = from.producers;
    }
}

/// Is `kind` a resource type that writes to a registry in `wanted`?
pub fn produces(kind: &str, wanted: &BTreeSet<&'static str>) -> bool {
    PRODUCERS
        .iter()
        .any(|&(registry, k, _)| k == kind && wanted.contains(registry))
}

/// Collects the stack's reads (`wanted` is `None`), or what it writes to the wanted
/// registries (`Some`): writers nobody reads from are never evaluated.
pub fn collect(
    ws: &Workspace,
    index: usize,
    scopes: &[CodeScope],
    wanted: Option<&BTreeSet<&'static str>>,
) -> Facts {
    let mut facts = Facts::default();
    for cs in scopes {
        let code = cs.scope.code;
        let (items, table, out) = match wanted {
            None => (&code.data, CONSUMERS, &mut facts.consumers),
            Some(_) => (&code.resources, PRODUCERS, &mut facts.producers),
        };
        for item in items {
            let Some(&(registry, _, attr)) = table.iter().find(|t| t.1 == &*item.kind) else {
                continue;
            };
            if wanted.is_some_and(|w| !w.contains(registry)) {
                continue;
            }
            let Some(block) = ws.block(item.block) else {
                continue;
            };
            if table == CONSUMERS && names_own_resource(block, attr) {
                // `secret_id = aws_secretsmanager_secret.x.id`: read in the same stack.
                continue;
            }
            let mut names = Vec::new();
            for each in for_each_bindings(block, &cs.scope) {
                let scope = Bound {
                    parent: &cs.scope,
                    names: each.map(|v| vec![("each", v)]).unwrap_or_default(),
                };
                names.extend(entry_names(block, attr, &scope));
            }
            names.sort();
            names.dedup();
            let loc = ws.loc(item.block);
            // One entry per block, merged over instances.
            match out.iter_mut().find(|e| e.loc == loc) {
                Some(e) => {
                    e.names.extend(names);
                    e.names.sort();
                    e.names.dedup();
                }
                None => out.push(Entry {
                    stack: index,
                    registry,
                    names,
                    loc,
                }),
            }
        }
    }
    facts
}

fn names_own_resource(block: &Block, attr: &str) -> bool {
    let expr = match attr.split_once('.') {
        Some((nested, a)) => block.body.blocks_of(nested).find_map(|b| b.body.expr(a)),
        None => block.body.expr(attr),
    };
    expr.is_some_and(|e| {
        e.references()
            .iter()
            .any(|r| super::is_resource_reference(r.root))
    })
}

/// Evaluates the naming attribute; `key.path` means the `path` of every `key {}` block.
fn entry_names(block: &Block, attr: &str, scope: &dyn eval::Scope) -> Vec<Pattern> {
    let exprs: Vec<_> = match attr.split_once('.') {
        Some((nested, a)) => block
            .body
            .blocks_of(nested)
            .filter_map(|b| b.body.expr(a))
            .collect(),
        None => block.body.expr(attr).into_iter().collect(),
    };
    exprs
        .into_iter()
        .map(|e| eval::eval(e, scope))
        .filter(|v| !matches!(v, Value::Null))
        .map(|v| {
            // A secret read by ARN carries its name after `secret:`.
            let p = v.to_pattern();
            match p.as_literal().and_then(|s| s.split_once(":secret:")) {
                Some((_, name)) => Pattern::literal(name),
                None => p,
            }
        })
        .collect()
}

pub fn resolve<'a>(
    ws: &Workspace,
    facts: impl Iterator<Item = &'a Facts> + Clone,
) -> (Vec<RawLink>, Vec<Unresolved>) {
    let mut exact: HashMap<(&str, &str), BTreeSet<usize>> = HashMap::new();
    let mut patterned: HashMap<&str, Vec<(usize, &Pattern)>> = HashMap::new();
    let mut all: HashMap<&str, Vec<(usize, &Pattern)>> = HashMap::new();
    for f in facts.clone() {
        for p in &f.producers {
            for n in p.names.iter().filter(|n| n.is_informative()) {
                match n.as_literal() {
                    Some(l) => {
                        exact.entry((p.registry, l)).or_default().insert(p.stack);
                    }
                    None => patterned.entry(p.registry).or_default().push((p.stack, n)),
                }
                all.entry(p.registry).or_default().push((p.stack, n));
            }
        }
    }
    let mut links = Vec::new();
    let mut unresolved = Vec::new();
    for f in facts {
        for c in &f.consumers {
            let mut resolved = false;
            let mut failures = Vec::new();
            for name in &c.names {
                if !name.is_informative() {
                    failures.push(format!(
                        "the {} name cannot be determined statically",
                        c.registry
                    ));
                    continue;
                }
                let mut hits: BTreeSet<usize> = BTreeSet::new();
                match name.as_literal() {
                    Some(l) => {
                        if let Some(h) = exact.get(&(c.registry, l)) {
                            hits.extend(h);
                        } else {
                            for (s, p) in patterned.get(c.registry).into_iter().flatten() {
                                if p.matches(l) {
                                    hits.insert(*s);
                                }
                            }
                        }
                    }
                    None => {
                        // A partial name only matches fully known producer names.
                        for (s, p) in all.get(c.registry).into_iter().flatten() {
                            if p.is_literal() && p.intersects(name) {
                                hits.insert(*s);
                            }
                        }
                    }
                }
                if hits.contains(&c.stack) {
                    // Written and read by the same stack: not a cross-stack link.
                    resolved = true;
                    continue;
                }
                match hits.len() {
                    0 => {
                        failures.push(format!("no stack in the tree writes {} {name}", c.registry))
                    }
                    1 => {
                        resolved = true;
                        for to in hits {
                            links.push(RawLink {
                                from: c.stack,
                                to,
                                mechanism: Mechanism::ParameterStore,
                                loc: c.loc,
                                reads: Vec::new(),
                                dynamic_reads: false,
                                via: format!("{} {name}", c.registry),
                            });
                        }
                    }
                    _ => failures.push(format!(
                        "{} {name} is written by several stacks ({}); not guessing",
                        c.registry,
                        list_ids(ws, &hits)
                    )),
                }
            }
            if !resolved && !failures.is_empty() {
                failures.sort();
                failures.dedup();
                unresolved.push(Unresolved {
                    from: c.stack,
                    mechanism: Mechanism::ParameterStore,
                    loc: c.loc,
                    reason: failures.join("; "),
                });
            }
        }
    }
    (links, unresolved)
}
