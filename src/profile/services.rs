//! The services a stack hosts: values of service tag keys on its resources (and the
//! providers' `default_tags`), and calls of service modules. A service module call is one
//! service however many resources it holds; its name is the service tag its resources
//! carry, else its `service`/`name`-like argument, else the call's name.

use super::classify::{Calls, ResourceClass};
use crate::eval::{self, Scope, Value};
use crate::model::refgraph::split_module_path;
use crate::model::taxonomy::Lifecycle;
use crate::model::{first_instance_scopes, Stack, Workspace};
use crate::source::Loc;
use crate::syntax::{exact, Block, Expr, ExprKind};
use globset::GlobSet;
use std::collections::{BTreeMap, BTreeSet};

/// Arguments of a service module call that name the service, in order of preference.
const NAME_ARGS: &[&str] = &[
    "service_name",
    "service",
    "app_name",
    "app",
    "application",
    "name",
];

#[derive(Debug, Clone)]
pub struct Service {
    /// As first written.
    pub name: String,
    /// Indices into `Stack::resources`.
    pub resources: Vec<usize>,
    /// Service module calls (`module.checkout`).
    pub modules: Vec<String>,
    /// Tag keys it was found under, sorted, each once.
    pub keys: Vec<String>,
    /// The first piece of evidence.
    pub loc: Loc,
    /// Named by a tag, an argument or a `for_each` key, not only by a module call's
    /// name (which says little across stacks: `module "app"` is everywhere).
    pub named: bool,
    /// Deployed by a module call with a `count`/`for_each` that could not be evaluated:
    /// possibly several services.
    pub repeated: bool,
}

pub struct ServiceOptions<'a> {
    pub tags: &'a [String],
    pub modules: &'a GlobSet,
}

/// Services by normalised name (lowercase, `_` as `-`).
pub fn services(
    ws: &Workspace,
    stack: &Stack,
    calls: &Calls,
    classes: &[ResourceClass],
    opts: &ServiceOptions,
) -> BTreeMap<String, Service> {
    let scopes = first_instance_scopes(ws, stack);
    let scope_of: BTreeMap<&str, &dyn Scope> = scopes
        .iter()
        .map(|s| (s.module.as_str(), &s.scope as &dyn Scope))
        .collect();
    let empty = eval::EmptyScope;
    let scope = |prefix: &str| scope_of.get(prefix).copied().unwrap_or(&empty);

    let default_service = stack.providers.iter().find_map(|p| {
        let tags = ws
            .block(p.block)?
            .body
            .block("default_tags")?
            .body
            .expr("tags")?;
        tag_value(tags, scope(""), opts.tags)
    });

    let service_calls: BTreeMap<&str, &crate::model::ModuleCall> = calls
        .iter()
        .filter(|(_, (_, c))| is_service_module(&c.source, opts.modules))
        .map(|(addr, (_, c))| (addr.as_str(), *c))
        .collect();
    let mut out: BTreeMap<String, Service> = BTreeMap::new();
    // Per service module call: the resources inside it and their (tag key, service).
    type Inside = (Vec<usize>, BTreeSet<(String, String)>);
    let mut inside: BTreeMap<&str, Inside> = BTreeMap::new();
    for (i, r) in stack.resources.iter().enumerate() {
        let Some(b) = ws.block(r.item.block) else {
            continue;
        };
        let tagged = resource_service(b, scope(&r.module), opts.tags);
        let call = service_calls
            .keys()
            .filter(|a| *r.module == ***a || r.module.starts_with(&format!("{a}.")))
            .max_by_key(|a| a.len());
        if let Some(addr) = call {
            let e = inside.entry(addr).or_default();
            e.0.push(i);
            e.1.extend(tagged);
            continue;
        }
        let Some((key, name)) = tagged.or_else(|| default_service.clone()) else {
            continue;
        };
        let s = entry(&mut out, &name, ws.loc(r.item.block));
        s.resources.push(i);
        s.keys.push(key);
        s.named = true;
    }
    for (addr, call) in &service_calls {
        let (resources, tags) = inside.remove(addr).unwrap_or_default();
        let names: BTreeSet<&String> = tags.iter().map(|(_, n)| n).collect();
        let block = ws.block(call.block);
        let caller = split_module_path(addr).map(|(p, _)| p).unwrap_or("");
        // `for_each` over known keys deploys one service per key.
        let keys: Vec<String> = match block
            .and_then(|b| b.body.expr("for_each"))
            .map(|e| eval::eval(e, scope(caller)))
        {
            Some(Value::Map(m)) => m.into_keys().collect(),
            Some(Value::List(l)) => l.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let keys_unknown = keys.is_empty();
        let named: Vec<(String, bool)> = match names.into_iter().collect::<Vec<_>>().as_slice() {
            [one] => vec![((*one).clone(), true)],
            _ if !keys.is_empty() => keys.into_iter().map(|k| (k, true)).collect(),
            _ => {
                let arg = block
                    .and_then(|b| {
                        NAME_ARGS
                            .iter()
                            .find_map(|a| eval::eval(b.body.expr(a)?, scope(caller)).as_str())
                    })
                    .filter(|s| !s.trim().is_empty());
                match arg {
                    Some(a) => vec![(a, true)],
                    None => vec![(call.name.clone(), false)],
                }
            }
        };
        let repeated = keys_unknown
            && block.is_some_and(|b| {
                b.body.attr("for_each").is_some() || b.body.attr("count").is_some()
            });
        for (name, real) in named {
            let s = entry(&mut out, &name, ws.loc(call.block));
            s.modules.push(addr.to_string());
            s.resources.extend(resources.iter().copied());
            s.keys.extend(tags.iter().map(|(k, _)| k.clone()));
            s.named |= real;
            s.repeated |= repeated;
        }
    }
    // Profiles are kept for the whole run: the lists in exact allocations.
    for s in out.values_mut() {
        s.resources.sort_unstable();
        s.resources.dedup();
        s.resources = exact(std::mem::take(&mut s.resources));
        s.keys.sort_unstable();
        s.keys.dedup();
        s.keys = exact(std::mem::take(&mut s.keys));
        s.modules = exact(std::mem::take(&mut s.modules));
    }
    // A tag on policies, records or namespaces alone does not make a service: it needs
    // something that runs or holds data.
    out.retain(|_, s| {
        !s.modules.is_empty()
            || s.resources.iter().any(|i| {
                classes
                    .get(*i)
                    .is_some_and(|c| c.class.lifecycle != Lifecycle::Config)
            })
    });
    out
}

fn entry<'a>(out: &'a mut BTreeMap<String, Service>, name: &str, loc: Loc) -> &'a mut Service {
    out.entry(normalize(name)).or_insert_with(|| Service {
        name: name.to_string(),
        resources: Vec::new(),
        modules: Vec::new(),
        keys: Vec::new(),
        loc,
        named: false,
        repeated: false,
    })
}

pub fn normalize(name: &str) -> String {
    name.trim().to_lowercase().replace('_', "-")
}

/// `(tag key, service)` of a resource: `tags`, `labels`, or Kubernetes `metadata.labels`.
fn resource_service(b: &Block, scope: &dyn Scope, keys: &[String]) -> Option<(String, String)> {
    ["tags", "labels"]
        .iter()
        .find_map(|n| b.body.expr(n))
        .or_else(|| b.body.block("metadata").and_then(|m| m.body.expr("labels")))
        .and_then(|e| tag_value(e, scope, keys))
}

/// The first configured key with a known, non-empty value in a tags expression.
fn tag_value(e: &Expr, scope: &dyn Scope, keys: &[String]) -> Option<(String, String)> {
    let known = |v: Value| v.as_str().filter(|s| !s.trim().is_empty());
    if let Value::Map(m) = eval::eval(e, scope) {
        return keys
            .iter()
            .find_map(|k| m.get(k).cloned().and_then(known).map(|v| (k.clone(), v)));
    }
    // Partly unknown (`merge(var.tags, {...})`): read the object literals inside.
    let mut found: Vec<(usize, String, String)> = Vec::new();
    e.walk(|x| {
        if let ExprKind::Object(_) = &x.kind {
            for (k, v) in x.object_entries() {
                let Some(k) = k else { continue };
                if let Some(pos) = keys.iter().position(|want| want == k) {
                    if let Some(val) = known(eval::eval(v, scope)) {
                        found.push((pos, k.to_string(), val));
                    }
                }
            }
        }
    });
    found.sort();
    found.into_iter().next().map(|(_, k, v)| (k, v))
}

fn is_service_module(source: &str, globs: &GlobSet) -> bool {
    let name = module_name(source);
    !name.is_empty() && globs.is_match(&name)
}

/// The module's name from its source: the last path segment (`./modules/ecs-service`,
/// `git::https://host/org/repo.git//ecs-service?ref=v1`), the name of a registry address
/// (`terraform-aws-modules/lambda/aws` -> `lambda`), without `terraform-<provider>-`.
pub fn module_name(source: &str) -> String {
    let s = source.split('?').next().unwrap_or(source);
    let s = s.rsplit("::").next().unwrap_or(s);
    let s = s.split_once("://").map(|(_, rest)| rest).unwrap_or(s);
    let s = match s.split_once("//") {
        Some((_, sub)) if !sub.is_empty() => sub,
        _ => s,
    };
    let segs: Vec<&str> = s
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let host = segs.first().is_some_and(|h| h.contains('.'));
    let registry = !s.starts_with('.')
        && !source.contains("://")
        && ((segs.len() == 3 && !host) || (segs.len() == 4 && host));
    let name = if registry {
        segs[segs.len() - 2]
    } else {
        segs.last().copied().unwrap_or("")
    };
    let name = name
        .trim_end_matches(".git")
        .to_lowercase()
        .replace('_', "-");
    match name.strip_prefix("terraform-") {
        Some(rest) => match rest.split_once('-') {
            Some((_, n)) if !n.is_empty() => n.to_string(),
            _ => rest.to_string(),
        },
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::module_name;

    #[test]
    fn module_names_from_sources() {
        assert_eq!(module_name("./modules/ecs-service"), "ecs-service");
        assert_eq!(
            module_name("../../modules/services/hello-world-app"),
            "hello-world-app"
        );
        assert_eq!(
            module_name("git::https://github.com/acme/infra.git//modules/checkout_api?ref=v1.2"),
            "checkout-api"
        );
        assert_eq!(module_name("terraform-aws-modules/lambda/aws"), "lambda");
        assert_eq!(
            module_name("git::https://github.com/acme/terraform-aws-ecs-service.git?ref=v3"),
            "ecs-service"
        );
        assert_eq!(module_name("app.terraform.io/acme/service/aws"), "service");
        assert_eq!(module_name(""), "");
    }
}
