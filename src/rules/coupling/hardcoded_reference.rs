//! `hardcoded-reference`: literal cloud identifiers (AWS ids, ARNs with an account,
//! Azure resource ids, GCP self links) in resource, data, module or locals values, in
//! tfvars and in Terragrunt `inputs`, where a lookup or an input belongs. Each file's
//! syntax is scanned once; one finding per attribute, at the first literal.

use super::cloud_ids::{self, IdKind};
use super::id_owners::{Owner, Owners};
use crate::discover::FileKind;
use crate::model::paths;
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};
use crate::source::{FileId, Loc, Span};
use crate::syntax::{Attr, ExprKind, Part};
use rayon::prelude::*;

pub struct HardcodedReference;

static META: RuleMeta = RuleMeta {
    id: RuleId::HardcodedReference,
    category: Category::Coupling,
    default_severity: Severity::Warning,
    summary: "a literal cloud id/ARN stands where a lookup or input belongs",
    options: &[OptionSpec {
        name: "allow",
        default: OptDefault::StrList(&[]),
        doc: "identifiers that are fine as literals: exact, or a prefix ending in `*` (e.g. \"arn:aws:iam::123456789012:*\")",
    }],
};

/// Identifiers named in one message.
const NAME_AT_MOST: usize = 4;

impl Rule for HardcodedReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let owners = cx.cached(|| Owners::build(cx.ws));
        let found: Vec<Vec<Finding>> = (0..cx.ws.files.len())
            .into_par_iter()
            .map(|i| scan_file(cx, FileId(i as u32), &owners))
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// One identifier: its text, kind and where it is.
struct Hit {
    id: String,
    kind: IdKind,
    loc: Loc,
}

fn scan_file(cx: &Context, file: FileId, owners: &Owners) -> Vec<Finding> {
    let ws = cx.ws;
    let f = ws.file(file);
    let dir = paths::parent(&f.path);
    // (where, attributes) to scan, and the stack the file belongs to.
    let mut targets: Vec<(String, &Attr)> = Vec::new();
    let stack = match f.kind {
        FileKind::Terraform | FileKind::TerraformJson => {
            for b in &f.body.blocks {
                let what = match (&*b.kind, b.label(0), b.label(1)) {
                    ("resource", Some(t), Some(n)) => format!("resource {t}.{n}"),
                    ("data", Some(t), Some(n)) => format!("data source {t}.{n}"),
                    ("module", Some(n), _) => format!("module {n}"),
                    ("locals", _, _) => "locals".to_string(),
                    _ => continue,
                };
                let skip = &*b.kind == "module";
                crate::syntax::for_each_attr(&b.body, |a| {
                    if !(skip && matches!(&*a.name, "source" | "version")) {
                        targets.push((what.clone(), a));
                    }
                });
            }
            ws.stack_at_dir(&dir)
        }
        FileKind::Tfvars | FileKind::TfvarsJson => {
            let name = paths::file_name(&f.path).to_string();
            targets.extend(f.body.attrs.iter().map(|a| (name.clone(), a)));
            ws.stack_of_file(&f.path)
        }
        FileKind::Terragrunt => {
            targets.extend(
                f.body
                    .attrs
                    .iter()
                    .filter(|a| &*a.name == "inputs")
                    .map(|a| ("Terragrunt inputs".to_string(), a)),
            );
            ws.stack_at_dir(&dir)
        }
        _ => return Vec::new(),
    };
    let options = match stack {
        Some(s) => cx.options(&META, s),
        None => cx.tree_options(&META),
    };
    let allow = options.str_list("allow");
    let mut text: Option<Option<String>> = None;
    let mut out = Vec::new();
    for (what, attr) in targets {
        let mut hits: Vec<Hit> = Vec::new();
        attr.expr.walk(|e| {
            let ExprKind::Template(parts) = &e.kind else {
                return;
            };
            let mut seen: Vec<String> = Vec::new();
            for p in parts {
                let Part::Lit(lit) = p else { continue };
                for m in cloud_ids::scan(lit) {
                    let id = lit[m.start..m.end].to_string();
                    if allowed(allow, &id) {
                        continue;
                    }
                    let nth = seen.iter().filter(|s| **s == id).count();
                    seen.push(id.clone());
                    let src = text
                        .get_or_insert_with(|| std::fs::read_to_string(ws.root.join(&f.path)).ok());
                    let span = precise(src.as_deref(), e.span, &id, nth);
                    hits.push(Hit {
                        id,
                        kind: m.kind,
                        loc: Loc { file, span },
                    });
                }
            }
        });
        out.extend(finding(cx, stack, &what, attr, &hits, owners));
    }
    out
}

fn allowed(allow: &[String], id: &str) -> bool {
    allow.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => a == id,
    })
}

/// The span of the `nth` occurrence of `id` inside the expression's source text; the
/// whole expression when the text cannot be read.
fn precise(text: Option<&str>, within: Span, id: &str, nth: usize) -> Span {
    let Some(src) = text.and_then(|t| t.get(within.start as usize..within.end as usize)) else {
        return within;
    };
    match src.match_indices(id).nth(nth) {
        Some((at, _)) => {
            let start = within.start as usize + at;
            Span::new(start, start + id.len())
        }
        None => within,
    }
}

fn finding(
    cx: &Context,
    stack: Option<usize>,
    what: &str,
    attr: &Attr,
    hits: &[Hit],
    owners: &Owners,
) -> Option<Finding> {
    let first = hits.first()?;
    let mut kinds: Vec<IdKind> = hits.iter().map(|h| h.kind).collect();
    kinds.sort();
    kinds.dedup();
    let subject = match (hits.len(), kinds.as_slice()) {
        (1, _) => format!("hardcoded {} `{}`", first.kind.describe(), first.id),
        (n, [k]) => format!("{n} hardcoded {}", k.describe_plural()),
        (n, _) => format!("{n} hardcoded cloud identifiers"),
    };
    let mut message = subject;
    if hits.len() > 1 {
        let names: Vec<String> = hits
            .iter()
            .take(NAME_AT_MOST)
            .map(|h| format!("`{}`", h.id))
            .collect();
        let more = hits.len().saturating_sub(NAME_AT_MOST);
        message.push_str(&format!(" ({}", names.join(", ")));
        if more > 0 {
            message.push_str(&format!(" and {more} more"));
        }
        message.push(')');
    }
    message.push_str(&format!(" in {what} (`{}`)", attr.name));
    let found_owners: Vec<(&Hit, &Owner)> = hits
        .iter()
        .flat_map(|h| owners.of(h.kind, &h.id).into_iter().map(move |o| (h, o)))
        .collect();
    let mut clauses: Vec<String> = Vec::new();
    for (h, o) in found_owners.iter().take(NAME_AT_MOST) {
        let owner = cx.stack_id(o.stack);
        let what = if hits.len() == 1 {
            "it".to_string()
        } else {
            format!("`{}`", h.id)
        };
        clauses.push(if Some(o.stack) == stack {
            format!(
                "this stack {} {what} itself ({}): reference that instead of spelling it out",
                o.how, o.address
            )
        } else {
            format!(
                "{owner} {} {what} ({}), so this stack depends on {owner} without any reference \
                 showing it",
                o.how, o.address
            )
        });
    }
    if clauses.is_empty() {
        clauses.push(consequence(first.kind, &first.id, hits.len() > 1));
    } else if let Some(p) = pinned(first.kind, &first.id) {
        clauses.push(p);
    }
    message.push_str(&format!(": {}", clauses.join("; ")));
    let mut f = Finding::new(&META, first.loc, message).help(fix(first.kind));
    if let Some(s) = stack {
        f = f.in_stack(s);
    }
    for h in hits.iter().skip(1) {
        f = f.related(h.loc, format!("also hardcoded: `{}`", h.id));
    }
    for (h, o) in &found_owners {
        let what = if o.how == "imports" {
            format!("`{}` as {}", h.id, o.address)
        } else {
            o.address.clone()
        };
        f = f.related(
            o.loc,
            format!("{} {} {what} here", cx.stack_id(o.stack), o.how),
        );
    }
    Some(f)
}

/// Why a literal with no known owner is a problem.
fn consequence(kind: IdKind, id: &str, several: bool) -> String {
    let (it, names, goes) = if several {
        ("they", "name resources", "go")
    } else {
        ("it", "names a resource", "goes")
    };
    let hidden = format!(
        "{it} {names} this stack does not manage, and whoever owns {} is invisible to \
         Terraform and to stacklint",
        if several { "them" } else { "it" }
    );
    match (kind, pinned(kind, id)) {
        (IdKind::Aws(_), _) | (_, None) => {
            format!(
                "{hidden}; {it} {goes} stale when the owner replaces {}",
                if several { "them" } else { "it" }
            )
        }
        (_, Some(p)) => format!("{hidden}; {p}"),
    }
}

/// The account, subscription or project an identifier writes into the code.
fn pinned(kind: IdKind, id: &str) -> Option<String> {
    let seg = |i: usize, sep: char| id.split(sep).nth(i).unwrap_or("").to_string();
    match kind {
        IdKind::Aws(_) => None,
        IdKind::Arn => Some(format!("account {} is pinned into the code", seg(4, ':'))),
        IdKind::Azure => Some(format!(
            "subscription {} is pinned into the code",
            seg(2, '/')
        )),
        IdKind::Gcp => Some(format!("project {} is pinned into the code", seg(1, '/'))),
    }
}

fn fix(kind: IdKind) -> String {
    match kind {
        IdKind::Aws(_) => "take the id from the stack that owns the resource: an output it \
            exposes, an SSM parameter it publishes, or a data source that finds the resource by \
            tag (data \"aws_vpc\" { tags = { Name = \"...\" } }); or make it an input variable set \
            per instance"
            .to_string(),
        IdKind::Arn => "build the ARN from lookups: data.aws_caller_identity.current.account_id \
            for this stack's own account (a variable for another team's or a vendor's), and a \
            reference, output or data source for the resource, so the stack can be instantiated \
            in another account; a literal that is meant to stay can go in the rule's `allow` list"
            .to_string(),
        IdKind::Azure => "look the resource up (a data \"azurerm_...\" source by name and \
            resource group) or read it from the stack that creates it, with the subscription \
            from the provider configuration or a variable"
            .to_string(),
        IdKind::Gcp => "reference the resource through a lookup (data \"google_compute_...\") \
            or an output of the stack that creates it, with the project as a variable"
            .to_string(),
    }
}
