//! `hardcoded-reference`: literal cloud identifiers (AWS ids, ARNs with an account,
//! Azure resource ids, GCP self links) in resource, data, module or locals values, in
//! tfvars and in Terragrunt `inputs`, where a lookup or an input belongs. Each file's
//! syntax is scanned once; one finding per attribute, at the first literal.

use crate::discover::FileKind;
use crate::facts::cloud_ids::{self, IdKind};
use crate::facts::id_advice::{consequence, fix, pinned};
use crate::facts::id_owners::{Owner, Owners};
use crate::model::paths;
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};
use crate::source::{FileId, Loc, Span};
use crate::syntax::{Expr, ExprKind, Part};
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

    fn prepare(&self, cx: &Context) -> Prepared {
        cx.warm(|| Owners::build(cx.ws))
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let owners = cx.cached(|| Owners::build(cx.ws));
        let found: Vec<Vec<Finding>> = (0..cx.ws.files.len())
            .into_par_iter()
            .with_max_len(crate::pipeline::PAR_CHUNK)
            .map(|i| scan_file(cx, FileId(i as u32), &owners))
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// Where an argument is, named in the message.
enum What<'a> {
    Resource(&'a str, &'a str),
    Data(&'a str, &'a str),
    Module(&'a str),
    Named(&'a str),
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::Resource(t, n) => write!(f, "resource {t}.{n}"),
            What::Data(t, n) => write!(f, "data source {t}.{n}"),
            What::Module(n) => write!(f, "module {n}"),
            What::Named(s) => f.write_str(s),
        }
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
    // (where, argument name, value) to scan, and the stack the file belongs to; the
    // "where" is an index into `whats`, spelled out only when an identifier is found.
    let mut whats: Vec<What> = Vec::new();
    let mut targets: Vec<(usize, &str, &Expr)> = Vec::new();
    let stack = match f.kind {
        FileKind::Terraform | FileKind::TerraformJson => {
            for b in &f.body.blocks {
                let what = match (&*b.kind, b.label(0), b.label(1)) {
                    ("resource", Some(t), Some(n)) => What::Resource(t, n),
                    ("data", Some(t), Some(n)) => What::Data(t, n),
                    ("module", Some(n), _) => What::Module(n),
                    ("locals", _, _) => What::Named("locals"),
                    _ => continue,
                };
                whats.push(what);
                let at = whats.len() - 1;
                let skip = &*b.kind == "module";
                crate::syntax::for_each_attr(&b.body, |a| {
                    if !(skip && matches!(&*a.name, "source" | "version")) {
                        targets.push((at, &a.name, &a.expr));
                    }
                });
            }
            ws.stack_at_dir(&dir)
        }
        FileKind::Tfvars | FileKind::TfvarsJson => {
            whats.push(What::Named(paths::file_name(&f.path)));
            targets.extend(f.body.attrs.iter().map(|a| (0, &*a.name, &a.expr)));
            ws.stack_of_file(&f.path)
        }
        FileKind::Terragrunt => {
            // Each input is its own argument, like a tfvars entry.
            whats.push(What::Named("Terragrunt inputs"));
            for a in f.body.attrs.iter().filter(|a| &*a.name == "inputs") {
                let entries = a.expr.object_entries();
                if entries.is_empty() {
                    targets.push((0, "inputs", &a.expr));
                }
                for (k, v) in entries {
                    targets.push((0, k.unwrap_or("inputs"), v));
                }
            }
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
    for (what, name, expr) in targets {
        let mut hits: Vec<Hit> = Vec::new();
        expr.walk(|e| {
            let ExprKind::Template(parts) = &e.kind else {
                return;
            };
            let mut seen: Vec<String> = Vec::new();
            for p in parts {
                let Part::Lit(lit) = p else { continue };
                if !cloud_ids::may_contain(lit) {
                    continue;
                }
                for m in cloud_ids::scan(lit) {
                    let id = lit[m.start..m.end].to_string();
                    if cloud_ids::allowed(allow, &id) {
                        continue;
                    }
                    let nth = seen.iter().filter(|s| **s == id).count();
                    seen.push(id.clone());
                    let span = match unescaped(e.span, parts) {
                        // Its own source text, one byte after the opening quote.
                        Some(lit) => {
                            cloud_ids::precise(Some(lit), Span::new(0, lit.len()), &id, nth)
                                .shifted(e.span.start + 1)
                        }
                        None => {
                            let src = text.get_or_insert_with(|| {
                                std::fs::read_to_string(ws.root.join(&f.path)).ok()
                            });
                            cloud_ids::precise(src.as_deref(), e.span, &id, nth)
                        }
                    };
                    hits.push(Hit {
                        id,
                        kind: m.kind,
                        loc: Loc { file, span },
                    });
                }
            }
        });
        if !hits.is_empty() {
            let what = whats[what].to_string();
            out.extend(finding(cx, stack, &what, name, &hits, owners));
        }
    }
    out
}

/// A quoted string of one literal whose source is exactly as long as the value plus its
/// quotes: written without escapes (every escape is longer than what it stands for), so
/// the value is its source text and finding an id in it needs no second read of the file.
fn unescaped(span: Span, parts: &[Part]) -> Option<&str> {
    match parts {
        [Part::Lit(lit)] if span.len() as usize == lit.len() + 2 => Some(lit),
        _ => None,
    }
}

fn finding(
    cx: &Context,
    stack: Option<usize>,
    what: &str,
    name: &str,
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
    message.push_str(&format!(" in {what} (`{name}`)"));
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
                o.how,
                o.address(cx.ws)
            )
        } else {
            format!(
                "{owner} {} {what} ({}), so this stack depends on {owner} without any reference \
                 showing it",
                o.how,
                o.address(cx.ws)
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
            format!("`{}` as {}", h.id, o.address(cx.ws))
        } else {
            o.address(cx.ws)
        };
        f = f.related(
            o.loc,
            format!("{} {} {what} here", cx.stack_id(o.stack), o.how),
        );
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of `a = <text>`, with its span.
    fn literal(text: &str) -> (Span, Vec<Part>) {
        let body = crate::parse::parse_body_str(&format!("a = {text}\n")).expect("parses");
        let e = &body.attrs[0].expr;
        match &e.kind {
            ExprKind::Template(parts) => (e.span, parts.to_vec()),
            _ => panic!("not a template: {text}"),
        }
    }

    #[test]
    fn only_strings_written_without_escapes_are_their_own_source() {
        let (span, parts) = literal("\"vpc-0a1b2c3d\"");
        assert_eq!(unescaped(span, &parts), Some("vpc-0a1b2c3d"));
        for text in [
            "\"a\\tvpc-0a1b2c3d\"",
            "\"\\u0076pc-0a1b2c3d\"",
            "\"$${x} vpc-0a1b2c3d\"",
            "\"${x}vpc-0a1b2c3d\"",
            "<<EOT\nvpc-0a1b2c3d\nEOT",
        ] {
            let (span, parts) = literal(text);
            assert_eq!(unescaped(span, &parts), None, "{text}");
        }
    }
}
