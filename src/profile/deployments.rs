//! Deployments of code that declares singletons: the instances of a stack (tfvars sets,
//! backend files, workspaces) or the stacks that deploy one shared module, with where
//! each lands, and which singletons exist in two or more of them that are not provably
//! apart.

use super::targets::{self, Target, TargetNames};
use super::StackProfile;
use crate::model::refgraph;
use crate::model::taxonomy::Scope;
use crate::model::{stack_scopes, CodeScope, Workspace};
use std::collections::{BTreeMap, BTreeSet};

/// One deployment of some code: an instance of a stack, or a stack of a shared module.
pub struct Deployment {
    pub target: Target,
    pub stack: usize,
    /// The instance (tfvars set) of `stack`; `None` for the stack as a whole.
    pub instance: Option<String>,
}

/// The deployments of stack `i`: one per instance, or two stand-ins for "once per
/// workspace" (the same target twice unless it follows `terraform.workspace`).
pub fn of_stack(ws: &Workspace, i: usize, names: &TargetNames) -> Vec<Deployment> {
    let stack = &ws.stacks[i];
    if stack.instances.len() < 2 {
        let t = targets::stack_target(ws, stack, names);
        return vec![t.clone(), t]
            .into_iter()
            .map(|target| Deployment {
                target,
                stack: i,
                instance: None,
            })
            .collect();
    }
    targets::instance_targets(ws, stack, names)
        .into_iter()
        .map(|(name, target)| Deployment {
            target,
            stack: i,
            instance: Some(name),
        })
        .collect()
}

/// One deployment per stack, for a module several stacks deploy.
pub fn of_stacks(ws: &Workspace, stacks: &[usize], names: &TargetNames) -> Vec<Deployment> {
    stacks
        .iter()
        .map(|s| Deployment {
            target: targets::stack_target(ws, &ws.stacks[*s], names),
            stack: *s,
            instance: None,
        })
        .collect()
}

/// Where a singleton must be unique (account when unset).
pub fn scope_of(p: &StackProfile, k: usize) -> Scope {
    p.classes
        .get(k)
        .and_then(|c| c.class.scope)
        .unwrap_or(Scope::Account)
}

/// The singletons (indices into `stacks[i].resources`) that exist in 2+ deployments not
/// provably apart.
pub fn replicated(
    ws: &Workspace,
    p: &StackProfile,
    i: usize,
    singles: &[usize],
    deployments: &[Deployment],
    per_workspace: bool,
) -> Vec<usize> {
    let stack = &ws.stacks[i];
    // Scopes and module calls of every stack involved, for count/for_each per deployment.
    let mut scopes: BTreeMap<usize, Vec<CodeScope>> = BTreeMap::new();
    let mut calls = BTreeMap::new();
    for d in deployments {
        if let std::collections::btree_map::Entry::Vacant(e) = scopes.entry(d.stack) {
            let s = &ws.stacks[d.stack];
            e.insert(stack_scopes(ws, s));
            calls.insert(
                d.stack,
                refgraph::module_calls(&refgraph::code_contexts(ws, s)),
            );
        }
    }
    let no_calls = BTreeMap::new();
    singles
        .iter()
        .copied()
        .filter(|&k| {
            let item = &stack.resources[k];
            if per_workspace
                && targets::gated_by_workspace(ws, item, calls.get(&i).unwrap_or(&no_calls))
            {
                return false;
            }
            let live: Vec<&Target> = deployments
                .iter()
                .filter(|d| {
                    let other = &ws.stacks[d.stack];
                    let Some(it) = other.resources.iter().find(|r| {
                        r.code_dir == item.code_dir
                            && r.item.kind == item.item.kind
                            && r.item.name == item.item.name
                    }) else {
                        return false;
                    };
                    let sc = scopes.get(&d.stack).map(Vec::as_slice).unwrap_or(&[]);
                    let scope_at = |m: &str| {
                        sc.iter()
                            .find(|c| {
                                c.module == m && (d.instance.is_none() || c.instance == d.instance)
                            })
                            .map(|c| &c.scope as &dyn crate::eval::Scope)
                    };
                    targets::present(ws, it, calls.get(&d.stack).unwrap_or(&no_calls), &scope_at)
                })
                .map(|d| &d.target)
                .collect();
            live.len() >= 2 && !targets::separated(scope_of(p, k), &live)
        })
        .collect()
}

/// What the files say about where the deployments land.
pub fn evidence(targets: &[&Target]) -> String {
    let accounts: BTreeSet<&str> = targets
        .iter()
        .filter_map(|t| t.account.as_deref())
        .collect();
    let regions: BTreeSet<&str> = targets.iter().filter_map(|t| t.region.as_deref()).collect();
    let all_regions = targets.iter().all(|t| t.region.is_some());
    if accounts.is_empty() {
        let place = match (regions.len(), all_regions) {
            (1, true) => format!(
                " and all of them run in {}",
                regions.iter().next().copied().unwrap_or("")
            ),
            (n, true) if n > 1 => format!(
                " (they differ only in region: {})",
                regions.iter().copied().collect::<Vec<_>>().join(", ")
            ),
            _ => String::new(),
        };
        format!("no deployment names an account of its own{place}")
    } else {
        format!(
            "the deployments do not each name a different account (named: {})",
            accounts.into_iter().collect::<Vec<_>>().join(", ")
        )
    }
}
