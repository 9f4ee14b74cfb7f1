//! `mixed-scaling`: elastic resources (autoscaling groups, services and deployments with
//! replicas, serverless functions, counts driven by scale-knob variables) share a stack
//! with foundations that must stay one (networks, DNS zones, clusters) or with
//! singletons. Scaling the elastic part then plans, and can churn or replicate, the rest.

use crate::model::taxonomy::{Domain, Lifecycle, Scaling};
use crate::profile::{describe, Profiles};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;

pub struct MixedScaling;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::MixedScaling,
    category: Category::Scaling,
    default_severity: Severity::Warning,
    summary: "elastic resources share a stack with shared foundations (networks, zones, clusters) or singletons",
    options: &[
        OptionSpec {
            name: "foundation_domains",
            default: OptDefault::StrList(&["network", "dns", "container"]),
            doc: "domains whose foundation resources must not share a stack with elastic ones",
        },
        OptionSpec {
            name: "exempt_types",
            default: OptDefault::StrList(&[
                "*_lb",
                "*_alb",
                "*_elb",
                "*_application_gateway",
                "*_forwarding_rule",
                "aws_eip",
                "aws_globalaccelerator_accelerator",
                "azurerm_public_ip",
                "google_compute_address",
                "google_compute_global_address",
            ]),
            doc: "foundation types that travel with the service they front (load balancers, their public IPs)",
        },
    ],
};

impl Rule for MixedScaling {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        Profiles::warm(cx)
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let profiles = Profiles::of(cx);
        // Options rarely differ between stacks: compile each distinct glob list once.
        let mut compiled: foldhash::HashMap<Vec<String>, GlobSet> =
            <foldhash::HashMap<_, _> as foldhash::HashMapExt>::new();
        for (i, stack) in cx.ws.stacks.iter().enumerate() {
            let Some(p) = profiles.stacks.get(i) else {
                continue;
            };
            let opts = cx.options(&META, i);
            let domains = opts.str_list("foundation_domains");
            let exempt = compiled
                .entry(opts.str_list("exempt_types").to_vec())
                .or_insert_with(|| globs(opts.str_list("exempt_types")));
            let (mut elastic, mut foundation) = (Vec::new(), Vec::new());
            for (k, (r, c)) in stack.resources.iter().zip(p.classes.iter()).enumerate() {
                let class = c.class;
                if class.scaling == Scaling::Elastic && class.lifecycle != Lifecycle::Foundation {
                    elastic.push(k);
                } else if class.scaling == Scaling::SingletonGlobal
                    || (class.lifecycle == Lifecycle::Foundation
                        && class.scaling == Scaling::None
                        && domains.iter().any(|d| d == class.domain.as_str())
                        && !exempt.is_match(&*r.item.kind))
                {
                    foundation.push(k);
                }
            }
            if elastic.is_empty() || foundation.is_empty() {
                continue;
            }
            let elastic = describe::notable(p, &elastic);
            let foundation = describe::notable(p, &foundation);
            let knobs: Vec<String> = elastic
                .iter()
                .filter_map(|k| {
                    let knob = p.classes.get(*k)?.knob.as_ref()?;
                    Some(format!(
                        "{} is scaled by {knob}",
                        stack.resources.get(*k)?.address(false)
                    ))
                })
                .take(2)
                .collect();
            // What must stay one, by kind: `network foundations (...)`, `singletons (...)`.
            let mut kinds: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for k in &foundation {
                if let Some(c) = p.classes.get(*k) {
                    let kind = match c.class.scaling {
                        Scaling::SingletonGlobal => "singleton",
                        _ => match c.class.domain {
                            Domain::Network => "network",
                            Domain::Dns => "DNS",
                            Domain::Container => "cluster",
                            _ => c.class.domain.as_str(),
                        },
                    };
                    kinds.entry(kind).or_default().push(*k);
                }
            }
            let parts: Vec<String> = kinds
                .iter()
                .map(|(kind, ks)| {
                    let plural = if ks.len() == 1 { "" } else { "s" };
                    let what = if *kind == "singleton" {
                        format!("singleton{plural}")
                    } else {
                        format!("{kind} foundation{plural}")
                    };
                    format!("{what} ({})", describe::addresses(stack, ks, 3))
                })
                .collect();
            let mut message = format!(
                "{} mixes {} ({}) with what must stay one: {}",
                stack.id,
                describe::count(elastic.len(), "elastic resource"),
                describe::addresses(stack, &elastic, 3),
                parts.join(", "),
            );
            if !knobs.is_empty() {
                message.push_str(&format!("; {}", knobs.join(", ")));
            }
            let what: Vec<&str> = kinds.keys().copied().collect();
            message.push_str(&format!(
                ". Every change of capacity re-plans the {} too, and a second instance of this \
                 stack would duplicate {}",
                what.join(" and "),
                if what.len() == 1 && foundation.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            ));
            let help = format!(
                "scale the parts that surge without replicating the rest: move {} into a stack \
                 of its own that reads what it needs from this one (outputs or a parameter \
                 registry), so the foundation ({}) changes only when it must",
                describe::addresses(stack, &elastic, 2),
                describe::addresses(stack, &foundation, 2),
            );
            let Some(first) = stack.resources.get(elastic[0]) else {
                continue;
            };
            let mut f = Finding::new(&META, describe::item_loc(cx.ws, stack, first), message)
                .in_stack(i)
                .help(help);
            if !first.module.is_empty() {
                f = f.related(
                    cx.ws.loc(first.item.block),
                    format!("elastic: {}", first.address(false)),
                );
            }
            for k in foundation.iter().take(3) {
                if let (Some(r), Some(c)) = (stack.resources.get(*k), p.classes.get(*k)) {
                    let what = if c.class.scaling == Scaling::SingletonGlobal {
                        "singleton"
                    } else {
                        "shared foundation"
                    };
                    f = f.related(
                        cx.ws.loc(r.item.block),
                        format!("{what}: {}", r.address(false)),
                    );
                }
            }
            out.push(f);
        }
    }
}

fn globs(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}
