//! `monolithic-stack`: a stack that holds too much, by size (resources, local modules
//! expanded) or by spread (service domains). The message gives the counts, the domains
//! with their resource counts and, when the stack's reference graph falls apart, the
//! independent groups a split could start from.

use super::independent_clusters;
use crate::model::taxonomy::Domain;
use crate::model::Stack;
use crate::profile::{describe, Profiles, StackProfile, SUPPORTING_DOMAINS};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta,
    RuleOptions, Severity,
};
use std::collections::BTreeMap;

pub struct MonolithicStack;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::MonolithicStack,
    category: Category::Structure,
    default_severity: Severity::Warning,
    summary: "a stack holds too many resources or spans too many service domains",
    options: &[
        OptionSpec {
            name: "max_resources",
            default: OptDefault::Int(100),
            doc: "most resources (local modules expanded) a stack may hold",
        },
        OptionSpec {
            name: "max_domains",
            default: OptDefault::Int(5),
            doc: "most service domains a stack may span",
        },
        OptionSpec {
            name: "supporting_domains",
            default: OptDefault::StrList(SUPPORTING_DOMAINS),
            doc: "domains that do not count toward max_domains",
        },
    ],
};

/// A stack's size and spread against the thresholds.
pub struct Monolith {
    pub resources: usize,
    /// Service domains: resources per domain, configuration and supporting domains aside.
    pub domains: BTreeMap<Domain, usize>,
    pub max_resources: usize,
    pub max_domains: usize,
}

impl Monolith {
    pub fn too_big(&self) -> bool {
        self.resources > self.max_resources
    }

    pub fn too_spread(&self) -> bool {
        self.domains.len() > self.max_domains
    }

    pub fn fires(&self) -> bool {
        self.too_big() || self.too_spread()
    }
}

pub fn measure(stack: &Stack, profile: &StackProfile, opts: &RuleOptions) -> Monolith {
    Monolith {
        resources: stack.resources.len(),
        domains: profile.service_domains(opts.str_list("supporting_domains")),
        max_resources: opts.int("max_resources").max(0) as usize,
        max_domains: opts.int("max_domains").max(0) as usize,
    }
}

impl Rule for MonolithicStack {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        Profiles::warm(cx)
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let profiles = Profiles::of(cx);
        for (i, stack) in cx.ws.stacks.iter().enumerate() {
            let Some(p) = profiles.stacks.get(i) else {
                continue;
            };
            if stack.code_dir.is_none() {
                continue;
            }
            let m = measure(stack, p, &cx.options(&META, i));
            if m.fires() {
                out.extend(finding(cx, i, stack, p, &m));
            }
        }
    }
}

fn finding(
    cx: &Context,
    i: usize,
    stack: &Stack,
    p: &StackProfile,
    m: &Monolith,
) -> Option<Finding> {
    let mut notes = Vec::new();
    if m.too_big() {
        notes.push(format!("more than max_resources = {}", m.max_resources));
    }
    if stack.resources.iter().any(|r| !r.module.is_empty()) {
        notes.push("local modules expanded".to_string());
    }
    let mut message = format!(
        "{} holds {}{} in {} domains ({})",
        stack.id,
        describe::count(m.resources, "resource"),
        if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        },
        p.domains.len(),
        describe::domains(&p.domains),
    );
    let mut service: Vec<(&Domain, &usize)> = m.domains.iter().collect();
    service.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let names: Vec<&str> = service.iter().map(|(d, _)| d.as_str()).collect();
    message.push_str(&format!(
        "; {} of them are service domains{}: {}",
        names.len(),
        if m.too_spread() {
            format!(" (more than max_domains = {})", m.max_domains)
        } else {
            String::new()
        },
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        },
    ));
    let min = cx
        .options(&independent_clusters::META, i)
        .int("min_cluster_size")
        .max(1) as usize;
    let groups: Vec<_> = p.groups.iter().filter(|g| g.size() >= min).collect();
    if groups.len() >= 2 {
        let mut listed: Vec<String> = groups
            .iter()
            .take(4)
            .map(|g| describe::group_short(stack, p, g))
            .collect();
        if groups.len() > 4 {
            listed.push(format!("{} more", groups.len() - 4));
        }
        message.push_str(&format!(
            ". Its resources form {} groups that never reference each other: {}",
            groups.len(),
            listed.join(", ")
        ));
    }
    let help = if groups.len() >= 2 {
        format!(
            "split it, starting with the {} independent groups: they share no references, so \
             each can move to its own stack without new cross-stack wiring; cut a part further \
             by lifecycle if it is still large",
            groups.len(),
        )
    } else {
        format!(
            "split it into smaller stacks that change, and are owned, independently: {}; \
             connect them through a few outputs or parameter-registry values, dependencies \
             pointing one way",
            seams(p)
        )
    };
    let loc = describe::stack_loc(cx.ws, stack)?;
    let mut f = Finding::new(&META, loc, message).in_stack(i).help(help);
    let mut domains: Vec<(&Domain, &usize)> = m.domains.iter().collect();
    domains.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (d, n) in domains.into_iter().take(6) {
        let first = p.classes.iter().position(|c| {
            c.class.domain == *d && c.class.lifecycle != crate::model::taxonomy::Lifecycle::Config
        });
        if let Some(r) = first.and_then(|k| stack.resources.get(k)) {
            f = f.related(
                cx.ws.loc(r.item.block),
                format!(
                    "{d}: {}, e.g. {}",
                    describe::count(*n, "resource"),
                    r.address(false)
                ),
            );
        }
    }
    Some(f)
}

/// The cut by lifecycle: foundations, data stores, compute, each with its domains.
fn seams(p: &StackProfile) -> String {
    use crate::model::taxonomy::Lifecycle;
    let buckets = [
        (Lifecycle::Foundation, "a shared foundation stack"),
        (
            Lifecycle::Persistent,
            "the data stores in a stack of their own",
        ),
        (Lifecycle::Ephemeral, "compute in one stack per service"),
    ];
    let mut parts = Vec::new();
    for (lifecycle, what) in buckets {
        let mut domains: Vec<&str> = p
            .classes
            .iter()
            .filter(|c| c.class.lifecycle == lifecycle)
            .map(|c| c.class.domain.as_str())
            .collect();
        domains.sort_unstable();
        domains.dedup();
        if !domains.is_empty() {
            parts.push(format!("{what} ({})", domains.join(", ")));
        }
    }
    if parts.is_empty() {
        "one stack per concern".to_string()
    } else {
        parts.join(", ")
    }
}
