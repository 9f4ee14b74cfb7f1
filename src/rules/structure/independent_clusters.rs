//! `independent-clusters`: a stack whose internal reference graph (resources, data
//! sources and module calls, references through locals followed) falls apart into 2+
//! groups of `min_cluster_size`+ resources that never reference each other: split
//! candidates that need no new cross-stack wiring.

use crate::profile::{describe, Group, Profiles};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};

pub struct IndependentClusters;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::IndependentClusters,
    category: Category::Structure,
    default_severity: Severity::Note,
    summary: "a stack holds 2+ groups of resources that never reference each other",
    options: &[OptionSpec {
        name: "min_cluster_size",
        default: OptDefault::Int(5),
        doc: "resources a group needs to count as a split candidate",
    }],
};

/// Groups listed in full in a message; the rest are counted.
const MAX_LISTED: usize = 5;

impl Rule for IndependentClusters {
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
            let min = cx.options(&META, i).int("min_cluster_size").max(1) as usize;
            let big: Vec<_> = p.groups.iter().filter(|g| g.size() >= min).collect();
            if big.len() < 2 {
                continue;
            }
            let rest: usize = p
                .groups
                .iter()
                .filter(|g| g.size() < min)
                .map(|g| g.size())
                .sum();
            let listed: Vec<String> = big
                .iter()
                .take(MAX_LISTED)
                .enumerate()
                .map(|(n, g)| format!("({}) {}", n + 1, describe::group(stack, p, g)))
                .collect();
            let mut message = format!(
                "{} holds {} groups of {}+ resources that never reference each other: {}",
                stack.id,
                big.len(),
                min,
                listed.join("; ")
            );
            if big.len() > MAX_LISTED {
                message.push_str(&format!(
                    "; and {} more",
                    describe::count(big.len() - MAX_LISTED, "group")
                ));
            }
            if rest > 0 {
                message.push_str(&format!(
                    "; {} more in smaller groups",
                    describe::count(rest, "resource")
                ));
            }
            let help = "each group is a split candidate: it shares only variables and \
                        providers with the others, so it can move to its own stack (with its \
                        own state, plan and owner) without any new cross-stack reference. \
                        Keep them together only if they are always changed and deployed as one";
            let loc = group_loc(cx, stack, big[0]);
            let mut f = Finding::new(&META, loc, message).in_stack(i).help(help);
            for (n, g) in big.iter().enumerate().skip(1).take(MAX_LISTED - 1) {
                let first = g
                    .resources
                    .first()
                    .and_then(|r| stack.resources.get(*r))
                    .map(|r| r.address(false))
                    .or_else(|| g.remote_modules.first().cloned())
                    .unwrap_or_default();
                f = f.related(
                    group_loc(cx, stack, g),
                    format!("group ({}) starts here: {first}", n + 1),
                );
            }
            out.push(f);
        }
    }
}

/// The first member of a group, as the stack's own code shows it.
fn group_loc(cx: &Context, stack: &crate::model::Stack, g: &Group) -> crate::source::Loc {
    match g.resources.first().and_then(|r| stack.resources.get(*r)) {
        Some(item) => describe::item_loc(cx.ws, stack, item),
        None => cx.ws.loc(g.first),
    }
}
