//! `mixed-lifecycle`: persistent data stores (databases, buckets, volumes, file systems)
//! share a stack with ephemeral compute (instances, containers, functions). Rebuilding
//! or destroying the compute then plans against the data too.

use crate::model::taxonomy::{Domain, Lifecycle};
use crate::profile::{describe, Profiles};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};
use crate::syntax::ExprKind;

pub struct MixedLifecycle;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::MixedLifecycle,
    category: Category::Scaling,
    default_severity: Severity::Note,
    summary: "persistent data stores share a stack with ephemeral compute",
    options: &[OptionSpec {
        name: "data_domains",
        default: OptDefault::StrList(&["database", "storage", "analytics"]),
        doc: "domains whose persistent resources count as data stores",
    }],
};

/// Domains whose ephemeral resources are compute.
const COMPUTE: &[Domain] = &[Domain::Compute, Domain::Container, Domain::Serverless];

impl Rule for MixedLifecycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        Profiles::warm(cx)
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let profiles = Profiles::of(cx);
        cx.each_stack(out, |i, stack, out| {
            let Some(p) = profiles.stacks.get(i) else {
                return;
            };
            let opts = cx.options(&META, i);
            let data_domains = opts.str_list("data_domains");
            let (mut data, mut compute) = (Vec::new(), Vec::new());
            for (k, c) in p.classes.iter().enumerate() {
                let c = c.class;
                if c.lifecycle == Lifecycle::Persistent
                    && data_domains.iter().any(|d| d == c.domain.as_str())
                {
                    data.push(k);
                } else if c.lifecycle == Lifecycle::Ephemeral && COMPUTE.contains(&c.domain) {
                    compute.push(k);
                }
            }
            if data.is_empty() || compute.is_empty() {
                return;
            }
            let protected = data
                .iter()
                .filter(|k| {
                    stack
                        .resources
                        .get(**k)
                        .and_then(|r| cx.ws.block(r.item.block))
                        .is_some_and(|b| {
                            let yes = |e: Option<&crate::syntax::Expr>| {
                                e.is_some_and(|e| matches!(e.kind, ExprKind::Bool(true)))
                            };
                            yes(b.body.expr("deletion_protection"))
                                || yes(b
                                    .body
                                    .block("lifecycle")
                                    .and_then(|l| l.body.expr("prevent_destroy")))
                        })
                })
                .count();
            let mut message = format!(
                "{} keeps {} ({}) in one state with {} ({})",
                stack.id,
                describe::count(data.len(), "persistent data store"),
                describe::addresses(stack, &data, 3),
                describe::count(compute.len(), "ephemeral compute resource"),
                describe::addresses(stack, &compute, 3),
            );
            message.push_str(match protected {
                0 => ": none of the data stores is protected (prevent_destroy, deletion_protection), so destroying or rebuilding the compute can take the data with it",
                n if n == data.len() => ": the data stores are protected from deletion, but every compute change still plans against them and a destroy of the stack stops at them",
                _ => ": only some data stores are protected (prevent_destroy, deletion_protection); destroying or rebuilding the compute can take the others with it",
            });
            let help = format!(
                "split the stack by lifecycle (a cross-stack service): move {} into a data \
                 stack that changes rarely, and let the compute stack read its endpoints \
                 through outputs or a parameter registry, so compute can be torn down and \
                 rebuilt freely{}",
                describe::addresses(stack, &data, 2),
                if protected < data.len() {
                    "; until then set lifecycle { prevent_destroy = true } on the data stores"
                } else {
                    ""
                }
            );
            let Some(first) = stack.resources.get(data[0]) else {
                return;
            };
            let mut f = Finding::new(&META, describe::item_loc(cx.ws, stack, first), message)
                .in_stack(i)
                .help(help);
            if !first.module.is_empty() {
                f = f.related(
                    cx.ws.loc(first.item.block),
                    format!("data store: {}", first.address(false)),
                );
            }
            for k in compute.iter().take(2) {
                if let Some(r) = stack.resources.get(*k) {
                    f = f.related(
                        cx.ws.loc(r.item.block),
                        format!("ephemeral compute: {}", r.address(false)),
                    );
                }
            }
            out.push(f);
        });
    }
}
