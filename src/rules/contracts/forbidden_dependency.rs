//! `forbidden-dependency`: an edge matches a `forbid { from, to }` of a `contract`
//! in `.stacklint.hcl`. One finding per (consumer, provider, contract); globs of a
//! forbid that match no stack are reported too (the contract can never fire there).

use super::{config_loc, unmatched, Pair};
use crate::config::contracts::{Contract, Forbid};
use crate::link::Edge;
use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};
use std::collections::BTreeMap;

pub struct ForbiddenDependency;

static META: RuleMeta = RuleMeta {
    id: RuleId::ForbiddenDependency,
    category: Category::Contracts,
    default_severity: Severity::Error,
    summary: "an edge matches a configured forbidden rule",
    options: &[],
};

impl Rule for ForbiddenDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let contracts = &cx.config.contracts.contracts;
        // (from, to, contract index) -> (the forbid that matched, the edges)
        let mut hits: BTreeMap<(usize, usize, usize), (&Forbid, Vec<&Edge>)> = BTreeMap::new();
        for e in &cx.links.edges {
            let (a, b) = (cx.stack_id(e.from), cx.stack_id(e.to));
            for (ci, c) in contracts.iter().enumerate() {
                if let Some(f) = c.forbids.iter().find(|f| forbids(f, a, b, e)) {
                    hits.entry((e.from, e.to, ci))
                        .or_insert_with(|| (f, Vec::new()))
                        .1
                        .push(e);
                }
            }
        }
        for ((from, to, ci), (forbid, mut edges)) in hits {
            let Some(contract) = contracts.get(ci) else {
                continue;
            };
            edges.sort_by(|x, y| {
                crate::link::loc_key(cx.ws, x.loc).cmp(&crate::link::loc_key(cx.ws, y.loc))
            });
            out.extend(finding(
                cx,
                Pair::new(cx, from, to, edges),
                contract,
                forbid,
            ));
        }
        for c in contracts {
            for f in &c.forbids {
                for (side, globs) in [("from", &f.from), ("to", &f.to)] {
                    for g in &globs.items {
                        out.extend(unmatched(
                            cx,
                            &META,
                            g,
                            format!(
                                "contract {:?}: `{side}` glob {:?} matches no stack, so this part of the contract is never checked",
                                c.name, g.pattern
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// Does the forbid cover this edge?
fn forbids(f: &Forbid, a: &str, b: &str, e: &Edge) -> bool {
    if f.mechanisms
        .as_ref()
        .is_some_and(|m| !m.contains(&e.mechanism))
    {
        return false;
    }
    let (Some(gf), Some(gt)) = (f.from.matching(a), f.to.matching(b)) else {
        return false;
    };
    !(f.except_same_parent && gf.group(a) == gt.group(b))
}

fn finding(cx: &Context, pair: Pair, contract: &Contract, forbid: &Forbid) -> Option<Finding> {
    let first = pair.first()?;
    let mut message = format!(
        "{} depends on {} through {}, which contract {:?} forbids: stacks in {} must not \
         depend on stacks in {}",
        pair.from_id,
        pair.to_id,
        pair.describe_edges(),
        contract.name,
        forbid.from.describe(),
        forbid.to.describe(),
    );
    if let Some(m) = &forbid.mechanisms {
        let names: Vec<&str> = m.iter().map(|m| m.as_str()).collect();
        message.push_str(&format!(" through {}", names.join(" or ")));
    }
    if forbid.except_same_parent {
        let groups = forbid
            .from
            .matching(pair.from_id)
            .zip(forbid.to.matching(pair.to_id))
            .map(|(f, t)| (f.group(pair.from_id), t.group(pair.to_id)));
        if let Some((a, b)) = groups {
            message.push_str(&format!(" outside their own folder ({a} is not {b})"));
        }
    }
    if let Some(d) = &contract.description {
        message.push_str(&format!(". {}", d.trim_end_matches('.')));
    }
    let mut f = Finding::new(&META, first.loc, message)
        .in_stack(first.from)
        .help(format!(
            "keep the dependency out: move what {} needs from {} into a stack the contract \
             lets both use (a lower shared-infrastructure stack), or have it published to a \
             registry the contract allows; if the dependency is intended, change contract {:?} \
             in .stacklint.hcl rather than working around it",
            pair.from_id, pair.to_id, contract.name
        ));
    for e in pair.edges.iter().skip(1) {
        f = f.related(e.loc, format!("also through {}", e.mechanism.as_str()));
    }
    if let Some(loc) = config_loc(cx, forbid.head) {
        f = f.related(loc, format!("contract {:?} forbids it here", contract.name));
    }
    Some(f)
}
