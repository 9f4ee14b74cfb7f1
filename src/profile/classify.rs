//! One resource's class: the taxonomy's answer for its type, refined by its own code.
//! - a `count`/`for_each` driven by a scale-knob variable (on the resource or on a module
//!   call around it, followed through locals) makes ephemeral or persistent resources
//!   elastic;
//! - a DNS zone is a singleton only when public and named by a literal;
//! - an organisation trail is a global singleton.

use crate::model::refgraph::{local_expr, split_module_path};
use crate::model::taxonomy::{Class, Lifecycle, Origin, Scaling, Scope, Taxonomy};
use crate::model::{Code, ModuleCall, StackItem, Workspace};
use crate::syntax::{Block, Expr, ExprKind};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceClass {
    pub class: Class,
    pub origin: Origin,
    /// The scale knob that made the resource elastic (`var.instance_count`, on
    /// `module.web` when it drives the module call).
    /// Shared text: a class per resource is kept for the run, and most have no knob.
    pub knob: Option<crate::model::Name>,
}

/// Module calls of one stack by address, with the calling code.
pub type Calls<'w> = BTreeMap<String, (&'w Code, &'w ModuleCall)>;

pub fn classify(
    ws: &Workspace,
    item: &StackItem,
    taxonomy: &Taxonomy,
    calls: &Calls,
) -> ResourceClass {
    let tc = taxonomy.classify(&item.item.kind);
    let mut class = tc.class;
    let block = ws.block(item.item.block);
    if let Some(b) = block {
        if class.scaling == Scaling::SingletonGlobal
            && class.domain == crate::model::taxonomy::Domain::Dns
            && !public_literal_zone(b)
        {
            class.scaling = Scaling::None;
            class.scope = None;
        }
        if &*item.item.kind == "aws_cloudtrail"
            && matches!(
                b.body.expr("is_organization_trail").map(|e| &e.kind),
                Some(ExprKind::Bool(true))
            )
        {
            class.scaling = Scaling::SingletonGlobal;
            class.scope = Some(Scope::Global);
        }
    }
    let mut knob = None;
    if class.scaling == Scaling::None
        && matches!(
            class.lifecycle,
            Lifecycle::Ephemeral | Lifecycle::Persistent
        )
    {
        knob = find_knob(ws, item, block, taxonomy, calls);
        if knob.is_some() {
            class.scaling = Scaling::Elastic;
        }
    }
    ResourceClass {
        class,
        origin: tc.origin,
        knob,
    }
}

/// Public (no `vpc` block, no private visibility) and named by a literal.
fn public_literal_zone(b: &Block) -> bool {
    let private = b.body.block("vpc").is_some()
        || b.body.block("private_visibility_config").is_some()
        || b.body.expr("visibility").and_then(Expr::as_literal_str) == Some("private");
    let literal = ["name", "dns_name", "zone"]
        .iter()
        .any(|n| b.body.expr(n).and_then(Expr::as_literal_str).is_some());
    !private && literal
}

fn find_knob(
    ws: &Workspace,
    item: &StackItem,
    block: Option<&Block>,
    taxonomy: &Taxonomy,
    calls: &Calls,
) -> Option<crate::model::Name> {
    if let (Some(b), Some(code)) = (block, ws.codes.get(&*item.code_dir)) {
        if let Some(v) = knob_in(ws, code, b, taxonomy) {
            return Some(format!("var.{v}").into());
        }
    }
    // A module call's count/for_each repeats everything inside it.
    let mut path = &*item.module;
    while !path.is_empty() {
        if let Some((code, call)) = calls.get(path) {
            if let Some(b) = ws.block(call.block) {
                if let Some(v) = knob_in(ws, code, b, taxonomy) {
                    return Some(format!("var.{v} (on {path})").into());
                }
            }
        }
        path = split_module_path(path).map(|(p, _)| p).unwrap_or("");
    }
    None
}

/// The first scale-knob variable among those driving the block's count/for_each.
fn knob_in(ws: &Workspace, code: &Code, b: &Block, taxonomy: &Taxonomy) -> Option<String> {
    let mut vars = Vec::new();
    for name in ["count", "for_each"] {
        if let Some(e) = b.body.expr(name) {
            driving_vars(ws, code, e, &mut Vec::new(), &mut vars);
        }
    }
    vars.into_iter().find(|v| taxonomy.is_scale_knob(v))
}

/// Variables an expression reads, directly or through locals.
fn driving_vars(
    ws: &Workspace,
    code: &Code,
    e: &Expr,
    seen_locals: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    for r in e.references() {
        match (r.root, r.name_at(0)) {
            ("var", Some(v)) if !out.iter().any(|o| o == v) => out.push(v.to_string()),
            ("local", Some(l)) => {
                if seen_locals.len() > 32 || seen_locals.iter().any(|s| s == l) {
                    continue;
                }
                seen_locals.push(l.to_string());
                if let Some(le) = local_expr(ws, code, l) {
                    driving_vars(ws, code, le, seen_locals, out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::model::taxonomy::{Scaling, Scope};
    use crate::pipeline::analyze_files;
    use crate::profile::Profiles;

    /// Classes of the one stack in a tree written from `(path, text)` pairs.
    fn classes(files: &[(&str, &str)]) -> Vec<(String, Scaling, Option<Scope>, Option<String>)> {
        let (_dir, a) = analyze_files(files, 1);
        let p = Profiles::compute(&a.ws, &Config::empty());
        let stack =
            a.ws.stacks
                .iter()
                .position(|s| s.id == "live")
                .expect("stack live");
        a.ws.stacks[stack]
            .resources
            .iter()
            .zip(p.stacks[stack].classes.iter())
            .map(|(r, c)| {
                (
                    r.address(false),
                    c.class.scaling,
                    c.class.scope,
                    c.knob.as_deref().map(str::to_string),
                )
            })
            .collect()
    }

    /// One class per resource of every stack is kept for the whole rules stage (92,644
    /// on 10,000 stacks): 16 bytes each, where a `String` knob made 32.
    #[test]
    fn a_resource_class_stays_small() {
        assert!(std::mem::size_of::<super::ResourceClass>() <= 16);
    }

    #[test]
    fn a_scale_knob_on_a_module_call_makes_its_compute_elastic() {
        let got = classes(&[
            (
                "live/main.tf",
                "terraform {\n  backend \"s3\" {}\n}\nvariable \"web_replicas\" {\n  default = 3\n}\nlocals {\n  n = var.web_replicas\n}\nmodule \"web\" {\n  source = \"../modules/web\"\n  count  = local.n\n}\n",
            ),
            (
                "modules/web/main.tf",
                "resource \"aws_instance\" \"this\" {\n  ami = \"ami-1\"\n}\nresource \"aws_iam_role\" \"this\" {\n  name = \"web\"\n}\n",
            ),
        ]);
        assert_eq!(
            got,
            vec![
                (
                    "module.web.aws_instance.this".to_string(),
                    Scaling::Elastic,
                    None,
                    Some("var.web_replicas (on module.web)".to_string())
                ),
                // Configuration repeated with the instances is not capacity.
                (
                    "module.web.aws_iam_role.this".to_string(),
                    Scaling::None,
                    None,
                    None
                ),
            ]
        );
    }

    #[test]
    fn zones_are_singletons_only_when_public_and_literal() {
        let got = classes(&[(
            "live/main.tf",
            "terraform {\n  backend \"s3\" {}\n}\n\
             resource \"aws_route53_zone\" \"apex\" {\n  name = \"acme.io\"\n}\n\
             resource \"aws_route53_zone\" \"private\" {\n  name = \"acme.internal\"\n  vpc {\n    vpc_id = \"vpc-1\"\n  }\n}\n\
             resource \"aws_route53_zone\" \"env\" {\n  name = \"${var.env}.acme.io\"\n}\n\
             resource \"google_dns_managed_zone\" \"corp\" {\n  name       = \"corp\"\n  dns_name   = \"corp.acme.io.\"\n  visibility = \"private\"\n}\n\
             resource \"aws_cloudtrail\" \"org\" {\n  name                  = \"org\"\n  is_organization_trail = true\n}\n\
             resource \"aws_cloudtrail\" \"account\" {\n  name = \"account\"\n}\n\
             variable \"env\" {}\n",
        )]);
        let scaling: Vec<(&str, Scaling, Option<Scope>)> = got
            .iter()
            .map(|(a, s, sc, _)| (a.as_str(), *s, *sc))
            .collect();
        assert_eq!(
            scaling,
            vec![
                (
                    "aws_route53_zone.apex",
                    Scaling::SingletonGlobal,
                    Some(Scope::Global)
                ),
                ("aws_route53_zone.private", Scaling::None, None),
                ("aws_route53_zone.env", Scaling::None, None),
                ("google_dns_managed_zone.corp", Scaling::None, None),
                (
                    "aws_cloudtrail.org",
                    Scaling::SingletonGlobal,
                    Some(Scope::Global)
                ),
                ("aws_cloudtrail.account", Scaling::None, None),
            ]
        );
    }
}
