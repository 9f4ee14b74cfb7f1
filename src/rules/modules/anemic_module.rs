//! `anemic-module`: a local module that wraps a single resource and passes most of its
//! arguments straight through from variables of the same name.

use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};
use crate::syntax::{Body, Expr};

pub struct AnemicModule;

static META: RuleMeta = RuleMeta {
    id: RuleId::AnemicModule,
    category: Category::Modules,
    default_severity: Severity::Note,
    summary: "a module wraps one resource and passes its arguments straight through",
    options: &[OptionSpec {
        name: "pass_through_ratio",
        default: OptDefault::Float(0.8),
        doc: "share (0-1) of the resource's arguments set straight from a variable of the same name from which the module is reported",
    }],
};

/// Meta-arguments and blocks that configure Terraform rather than the resource.
const META_ARGS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection", "dynamic"];

impl Rule for AnemicModule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        for dir in ws.modules.keys() {
            let Some(code) = ws.codes.get(dir) else {
                continue;
            };
            let ([res], []) = (code.resources.as_slice(), &code.module_calls[..]) else {
                continue;
            };
            let Some(block) = ws.block(res.block) else {
                continue;
            };
            let mut args = Vec::new();
            collect(&block.body, "", &mut args, 0);
            if args.is_empty() {
                continue;
            }
            let passed: Vec<&str> = args
                .iter()
                .filter(|(_, pass)| *pass)
                .map(|(name, _)| name.as_str())
                .collect();
            let ratio = passed.len() as f64 / args.len() as f64;
            let min = cx.config.options(&META, dir).float("pass_through_ratio");
            if ratio + 1e-9 < min {
                continue;
            }
            let shown: Vec<&str> = passed.iter().take(6).copied().collect();
            let more = passed.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let mut f = Finding::new(
                &META,
                ws.loc(res.block),
                format!(
                    "module {dir} wraps a single resource, {}.{}, and passes {} of its {} arguments \
                     straight through from variables of the same name ({}{more}). It adds an interface \
                     and a version to maintain but makes {} decision of its own",
                    res.kind,
                    res.name,
                    passed.len(),
                    args.len(),
                    shown.join(", "),
                    if passed.len() == args.len() { "no" } else { "hardly any" },
                ),
            )
            .help(
                "declare the resource directly in the stacks that need it, or make the module \
                 earn its place: bundle what always goes with the resource (e.g. a bucket with \
                 its versioning, encryption and public-access block) and encode the team's \
                 defaults instead of exposing every argument",
            );
            if let Some(m) = ws.modules.get(dir) {
                for (caller, call) in m.callers.iter().take(5) {
                    f = f.related(ws.loc(call.block), format!("called from {caller}"));
                }
            }
            out.push(f);
        }
    }
}

/// The resource's arguments (nested blocks' too, as `block.arg`), each with whether it
/// is `var.<same name>` (nested: `var.<arg>` or `var.<block>_<arg>`).
fn collect(body: &Body, prefix: &str, out: &mut Vec<(String, bool)>, depth: usize) {
    if depth > 16 {
        return;
    }
    for a in &body.attrs {
        if prefix.is_empty() && META_ARGS.contains(&&*a.name) {
            continue;
        }
        let path = format!("{prefix}{}", a.name);
        let pass = passes(&a.expr, &a.name, prefix);
        out.push((path, pass));
    }
    for b in &body.blocks {
        if META_BLOCKS.contains(&&*b.kind) {
            continue;
        }
        collect(&b.body, &format!("{prefix}{}.", b.kind), out, depth + 1);
    }
}

fn passes(e: &Expr, name: &str, prefix: &str) -> bool {
    let Some(path) = e.as_path() else {
        return false;
    };
    let [root, var] = path.as_slice() else {
        return false;
    };
    if *root != "var" {
        return false;
    }
    let flat = format!("{}{name}", prefix.replace('.', "_"));
    *var == name || *var == flat
}
