//! Which stack patterns (PATTERNS.md) each stack follows. A stack can follow several
//! (a `micro`, `single-service`, `shared-nothing` stack is common). Definitions:
//!
//! - `monolithic`: `monolithic-stack` would fire (resources > `max_resources` or service
//!   domains > `max_domains`, with that rule's options for the stack);
//! - `multi-service`: 2+ services (service tags or service module calls);
//! - `single-service`: exactly one service (not one module call repeated by a
//!   `count`/`for_each` that cannot be evaluated);
//! - `micro`: 1 to 25 resources in at most 2 service domains (and not monolithic);
//! - `cross-stack-service`: one of its services (named by a tag, an argument or a
//!   `for_each` key, not just by a module call) also has resources in a stack with
//!   another directory name and other resource types (stacks with the same name, such as
//!   `dev/app` and `prod/app`, or with the same resource types of the service are copies
//!   or instances of one stack, not parts of a split);
//! - `shared-infrastructure`: 2+ other stacks depend on it;
//! - `shared-nothing`: the tree has 2+ stacks and this one has no edge in or out.
//!
//! Stacks whose code is not in the tree (a Terragrunt unit of a remote module) get only
//! the graph-based patterns.

use super::Profiles;
use crate::config::Config;
use crate::graph::StackGraph;
use crate::model::Workspace;
use crate::rules::structure::monolithic_stack;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Largest stack that still counts as a micro stack.
pub const MICRO_MAX_RESOURCES: usize = 25;
/// Most service domains a micro stack spans.
pub const MICRO_MAX_DOMAINS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum StackPattern {
    CrossStackService,
    Micro,
    Monolithic,
    MultiService,
    SharedInfrastructure,
    SharedNothing,
    SingleService,
}

impl StackPattern {
    pub fn as_str(self) -> &'static str {
        match self {
            StackPattern::CrossStackService => "cross-stack-service",
            StackPattern::Micro => "micro",
            StackPattern::Monolithic => "monolithic",
            StackPattern::MultiService => "multi-service",
            StackPattern::SharedInfrastructure => "shared-infrastructure",
            StackPattern::SharedNothing => "shared-nothing",
            StackPattern::SingleService => "single-service",
        }
    }
}

/// The patterns of every stack, each list sorted by name.
pub fn classify(
    ws: &Workspace,
    graph: &StackGraph,
    config: &Config,
    profiles: &Profiles,
) -> Vec<Vec<StackPattern>> {
    let n = ws.stacks.len();
    let mut out: Vec<BTreeSet<StackPattern>> = vec![BTreeSet::new(); n];
    // service -> directory names of the stacks holding it, the resource types it has in
    // each, and those stacks.
    type Spread<'a> = (BTreeSet<&'a str>, BTreeSet<BTreeSet<&'a str>>, Vec<usize>);
    let mut spread: BTreeMap<&str, Spread> = BTreeMap::new();
    for (i, (stack, p)) in ws.stacks.iter().zip(&profiles.stacks).enumerate() {
        let set = &mut out[i];
        if graph.depended_on_by.get(i).is_some_and(|c| c.len() >= 2) {
            set.insert(StackPattern::SharedInfrastructure);
        }
        let isolated = graph.depends_on.get(i).is_none_or(Vec::is_empty)
            && graph.depended_on_by.get(i).is_none_or(Vec::is_empty);
        if n >= 2 && isolated {
            set.insert(StackPattern::SharedNothing);
        }
        if stack.code_dir.is_none() {
            continue;
        }
        let opts = config.options(&monolithic_stack::META, &stack.dir);
        let monolith = monolithic_stack::measure(stack, p, &opts);
        if monolith.fires() {
            set.insert(StackPattern::Monolithic);
        } else if (1..=MICRO_MAX_RESOURCES).contains(&stack.resources.len())
            && monolith.domains.len() <= MICRO_MAX_DOMAINS
        {
            set.insert(StackPattern::Micro);
        }
        match p.services.len() {
            0 => {}
            1 if p.services.iter().any(|(_, s)| s.repeated) => {}
            1 => {
                set.insert(StackPattern::SingleService);
            }
            _ => {
                set.insert(StackPattern::MultiService);
            }
        }
        let base = stack.dir.rsplit('/').next().unwrap_or(&stack.dir);
        for (key, svc) in p.services.iter().filter(|(_, s)| s.named) {
            let types: BTreeSet<&str> = svc
                .resources
                .iter()
                .filter_map(|r| stack.resources.get(*r))
                .map(|r| &*r.item.kind)
                .collect();
            let e = spread.entry(key).or_default();
            e.0.insert(base);
            e.1.insert(types);
            e.2.push(i);
        }
    }
    for (names, parts, stacks) in spread.values() {
        // Same-named stacks, or stacks with the same resource types of the service, are
        // copies or instances; a split puts different parts in different stacks.
        if names.len() >= 2 && parts.len() >= 2 {
            for &i in stacks {
                out[i].insert(StackPattern::CrossStackService);
            }
        }
    }
    out.into_iter().map(|s| s.into_iter().collect()).collect()
}
