//! Where each deployment of a stack lands: the account and region its provider
//! configuration or its inputs name, as far as the files tell. A singleton declared in
//! a stack deployed several times is only safe when the deployments provably land in
//! different accounts (or regions, for per-region singletons).

use super::classify::Calls;
use crate::eval::{self, EmptyScope, Value};
use crate::model::refgraph::{local_expr, split_module_path};
use crate::model::taxonomy::{Scope, WordGlobs};
use crate::model::{Code, Stack, StackItem, TfScope, Workspace};
use crate::syntax::{Block, Expr};
use std::collections::{BTreeMap, BTreeSet};

/// Provider arguments that select the account (subscription, project).
const ACCOUNT_ATTRS: &[&str] = &[
    "profile",
    "allowed_account_ids",
    "account_id",
    "subscription_id",
    "project",
];
/// Nested provider blocks whose `role_arn` selects the account.
const ROLE_BLOCKS: &[&str] = &["assume_role", "assume_role_with_web_identity"];
const REGION_ATTRS: &[&str] = &["region", "location"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub account: Option<String>,
    pub region: Option<String>,
    /// The account/region follows `terraform.workspace`: each workspace has its own.
    pub account_per_workspace: bool,
    pub region_per_workspace: bool,
}

pub struct TargetNames {
    pub account: WordGlobs,
    pub region: WordGlobs,
}

/// One target per instance of the stack (tfvars sets, backend files).
pub fn instance_targets(
    ws: &Workspace,
    stack: &Stack,
    names: &TargetNames,
) -> Vec<(String, Target)> {
    let Some(code) = stack.code_dir.as_ref().and_then(|d| ws.codes.get(d)) else {
        return Vec::new();
    };
    let inputs = ws
        .units
        .get(&stack.dir)
        .map(|u| u.inputs.clone())
        .unwrap_or_default();
    let auto = values(ws, &stack.auto_var_files);
    let mut out = Vec::new();
    for inst in &stack.instances {
        let own = values(ws, &inst.var_files);
        let mut vars = inputs.clone();
        vars.extend(auto.clone());
        vars.extend(own.clone());
        let mut t = provider_target(ws, code, vars);
        // Values the instance's own files give to account- or region-like variables.
        fill(&mut t, &own, names);
        out.push((inst.name.clone(), t));
    }
    out
}

/// The target of a stack deployed once (a Terragrunt unit, a Terramate stack): its
/// provider configuration, its inputs, and region-like folder names.
pub fn stack_target(ws: &Workspace, stack: &Stack, names: &TargetNames) -> Target {
    let inputs = ws
        .units
        .get(&stack.dir)
        .map(|u| u.inputs.clone())
        .unwrap_or_default();
    let mut t = match stack.code_dir.as_ref().and_then(|d| ws.codes.get(d)) {
        Some(code) => {
            let mut vars = inputs.clone();
            vars.extend(values(ws, &stack.auto_var_files));
            provider_target(ws, code, vars)
        }
        None => Target::default(),
    };
    fill(&mut t, &inputs, names);
    if t.region.is_none() {
        t.region = stack
            .dir
            .split('/')
            .find(|s| looks_like_region(s))
            .map(str::to_string);
    }
    t
}

/// Do the deployments provably land in different places for a singleton of `scope`?
pub fn separated(scope: Scope, targets: &[&Target]) -> bool {
    let by_account = targets.iter().all(|t| t.account_per_workspace)
        || distinct(targets.iter().map(|t| t.account.clone()));
    match scope {
        Scope::Global => false,
        Scope::Account => by_account,
        Scope::Region => {
            by_account
                || targets.iter().all(|t| t.region_per_workspace)
                || distinct(targets.iter().map(|t| match (&t.account, &t.region) {
                    (None, None) => None,
                    (a, r) => Some(format!("{a:?}/{r:?}")),
                }))
        }
    }
}

/// All known and pairwise different.
fn distinct(keys: impl Iterator<Item = Option<String>>) -> bool {
    let mut seen = BTreeSet::new();
    let mut n = 0;
    for k in keys {
        let Some(k) = k else { return false };
        seen.insert(k);
        n += 1;
    }
    n >= 2 && seen.len() == n
}

fn values(ws: &Workspace, files: &[crate::source::FileId]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for f in files {
        for a in &ws.file(*f).body.attrs {
            out.insert(a.name.to_string(), eval::eval(&a.expr, &EmptyScope));
        }
    }
    out
}

fn fill(t: &mut Target, vars: &BTreeMap<String, Value>, names: &TargetNames) {
    for (k, v) in vars {
        if t.account.is_none() && names.account.is_match(k) {
            t.account = render(v);
        }
        if t.region.is_none() && names.region.is_match(k) {
            t.region = render(v);
        }
    }
}

fn provider_target(ws: &Workspace, code: &Code, vars: BTreeMap<String, Value>) -> Target {
    let scope = TfScope::new(ws, code, vars);
    let mut t = Target::default();
    for p in code.providers.iter() {
        let Some(b) = ws.block(p.block) else { continue };
        let mut accounts: Vec<&Expr> = ACCOUNT_ATTRS
            .iter()
            .filter_map(|a| b.body.expr(a))
            .collect();
        accounts.extend(role_arns(b));
        for e in accounts {
            t.account_per_workspace |= mentions_workspace(ws, code, e, 0);
            if t.account.is_none() {
                t.account = render(&eval::eval(e, &scope));
            }
        }
        for e in REGION_ATTRS.iter().filter_map(|a| b.body.expr(a)) {
            t.region_per_workspace |= mentions_workspace(ws, code, e, 0);
            if t.region.is_none() {
                t.region = render(&eval::eval(e, &scope));
            }
        }
    }
    t
}

fn role_arns(b: &Block) -> impl Iterator<Item = &Expr> {
    ROLE_BLOCKS
        .iter()
        .filter_map(|n| b.body.block(n))
        .filter_map(|rb| rb.body.expr("role_arn"))
}

/// Does the expression read `terraform.workspace`, directly or through locals?
fn mentions_workspace(ws: &Workspace, code: &Code, e: &Expr, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    e.references().iter().any(|r| match (r.root, r.name_at(0)) {
        ("terraform", Some("workspace")) => true,
        ("local", Some(l)) => {
            local_expr(ws, code, l).is_some_and(|le| mentions_workspace(ws, code, le, depth + 1))
        }
        _ => false,
    })
}

fn render(v: &Value) -> Option<String> {
    match v {
        Value::List(items) => {
            let parts: Option<Vec<String>> = items.iter().map(Value::as_str).collect();
            parts.filter(|p| !p.is_empty()).map(|p| p.join(","))
        }
        other => other.as_str().filter(|s| !s.is_empty()),
    }
}

/// `us-east-1`, `eu-west-2`, `europe-west1`, `us-gov-west-1`.
pub fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let alpha = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase());
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [geo, dir, n] => geo.len() == 2 && alpha(geo) && alpha(dir) && digits(n),
        [geo, "gov", dir, n] => geo.len() == 2 && alpha(dir) && digits(n),
        [geo, dirn] => {
            let split = dirn
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(dirn.len());
            alpha(geo) && geo.len() > 2 && alpha(&dirn[..split]) && digits(&dirn[split..])
        }
        _ => false,
    }
}

/// Whether a resource exists in one deployment: its `count`/`for_each`, and those of the
/// module calls around it, evaluated in that deployment's scopes (`scope_of(module path)`);
/// `false` only when one of them is known to be 0 or empty.
pub fn present<'s>(
    ws: &Workspace,
    item: &StackItem,
    calls: &Calls,
    scope_of: &dyn Fn(&str) -> Option<&'s dyn crate::eval::Scope>,
) -> bool {
    let absent = |b: Option<&Block>, module: &str| {
        let (Some(b), Some(scope)) = (b, scope_of(module)) else {
            return false;
        };
        let zero = b
            .body
            .expr("count")
            .is_some_and(|e| eval::eval(e, scope).as_number() == Some(0.0));
        let empty = b.body.expr("for_each").is_some_and(|e| {
            matches!(eval::eval(e, scope), Value::List(l) if l.is_empty())
                || matches!(eval::eval(e, scope), Value::Map(m) if m.is_empty())
        });
        zero || empty
    };
    if absent(ws.block(item.item.block), &item.module) {
        return false;
    }
    chain(&item.module).all(|(path, caller)| {
        !calls
            .get(path)
            .is_some_and(|(_, call)| absent(ws.block(call.block), caller))
    })
}

/// Does the resource's `count`/`for_each` (or a module call's around it) follow
/// `terraform.workspace`, so that it exists only in the workspaces it selects?
pub fn gated_by_workspace(ws: &Workspace, item: &StackItem, calls: &Calls) -> bool {
    let gated = |b: Option<&Block>, code: Option<&Code>| {
        let (Some(b), Some(code)) = (b, code) else {
            return false;
        };
        ["count", "for_each"]
            .iter()
            .filter_map(|n| b.body.expr(n))
            .any(|e| mentions_workspace(ws, code, e, 0))
    };
    gated(ws.block(item.item.block), ws.codes.get(&*item.code_dir))
        || chain(&item.module).any(|(path, _)| {
            calls
                .get(path)
                .is_some_and(|(code, call)| gated(ws.block(call.block), Some(code)))
        })
}

/// `module.a.module.b` -> (`module.a.module.b`, `module.a`), (`module.a`, ``).
fn chain(path: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut cur = Some(path).filter(|p| !p.is_empty());
    std::iter::from_fn(move || {
        let p = cur?;
        let parent = split_module_path(p).map(|(a, _)| a).unwrap_or("");
        cur = Some(parent).filter(|x| !x.is_empty());
        Some((p, parent))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(account: Option<&str>, region: Option<&str>) -> Target {
        Target {
            account: account.map(str::to_string),
            region: region.map(str::to_string),
            ..Target::default()
        }
    }

    #[test]
    fn separation_needs_known_distinct_targets() {
        let (a, b) = (
            t(Some("111"), Some("eu-west-1")),
            t(Some("222"), Some("eu-west-1")),
        );
        assert!(separated(Scope::Account, &[&a, &b]));
        assert!(separated(Scope::Region, &[&a, &b]));
        assert!(!separated(Scope::Global, &[&a, &b]));
        let (c, d) = (t(None, Some("eu-west-1")), t(None, Some("us-east-1")));
        assert!(!separated(Scope::Account, &[&c, &d]));
        assert!(separated(Scope::Region, &[&c, &d]));
        let (e, f) = (t(None, None), t(Some("1"), None));
        assert!(!separated(Scope::Account, &[&e, &f]));
        assert!(!separated(Scope::Region, &[&a, &a.clone()]));
    }

    #[test]
    fn regions_are_recognised() {
        for yes in [
            "us-east-1",
            "eu-west-2",
            "europe-west1",
            "us-gov-west-1",
            "ap-southeast-2",
        ] {
            assert!(looks_like_region(yes), "{yes}");
        }
        for no in ["prod", "main-vpc", "non-prod", "us-east", "qa"] {
            assert!(!looks_like_region(no), "{no}");
        }
    }
}
