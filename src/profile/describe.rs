//! Wording shared by the structure and scaling messages: domain counts, resource lists,
//! groups.

use super::{Group, StackProfile};
use crate::model::taxonomy::{Domain, Lifecycle};
use crate::model::Stack;
use std::collections::BTreeMap;

/// `network 40, compute 12, dns 1`: largest first, then by name.
pub fn domains<'a>(counts: impl IntoIterator<Item = (&'a Domain, &'a usize)>) -> String {
    let mut v: Vec<(&Domain, &usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(d, n)| format!("{d} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `aws_vpc.main, aws_subnet.private, +3 more`.
pub fn addresses(stack: &Stack, resources: &[usize], max: usize) -> String {
    let mut names: Vec<String> = resources
        .iter()
        .take(max)
        .filter_map(|i| stack.resources.get(*i))
        .map(|r| r.address(false))
        .collect();
    if resources.len() > max {
        names.push(format!("+{} more", resources.len() - max));
    }
    names.join(", ")
}

/// The members worth naming first: foundations, data stores and compute before
/// configuration, then declaration order.
pub fn notable(profile: &StackProfile, resources: &[usize]) -> Vec<usize> {
    let rank = |i: &usize| match profile.classes.get(*i).map(|c| c.class.lifecycle) {
        Some(Lifecycle::Foundation) => 0,
        Some(Lifecycle::Persistent) => 1,
        Some(Lifecycle::Ephemeral) => 2,
        _ => 3,
    };
    let mut v = resources.to_vec();
    v.sort_by_key(|i| (rank(i), *i));
    v
}

/// A few members that show what a set of resources is: the most notable member of each
/// of its largest domains.
pub fn sample(profile: &StackProfile, resources: &[usize], max: usize) -> Vec<usize> {
    let ordered = notable(profile, resources);
    let mut by_domain: BTreeMap<Domain, Vec<usize>> = BTreeMap::new();
    for i in &ordered {
        if let Some(c) = profile.classes.get(*i) {
            by_domain.entry(c.class.domain).or_default().push(*i);
        }
    }
    let mut domains: Vec<(Domain, Vec<usize>)> = by_domain.into_iter().collect();
    domains.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let mut out: Vec<usize> = domains
        .iter()
        .filter_map(|(_, v)| v.first().copied())
        .take(max)
        .collect();
    for i in ordered {
        if out.len() >= max {
            break;
        }
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// `24 resources [network 10, compute 8], e.g. aws_vpc.main, aws_instance.web, and 2
/// module calls (module.eks, module.rds)`.
pub fn group(stack: &Stack, profile: &StackProfile, g: &Group) -> String {
    let mut out = describe_count(g.size());
    let counts = g.domains(&profile.classes);
    if let Some(m) = single_module(stack, g) {
        out = format!("{m}: {out}");
        if !counts.is_empty() {
            out.push_str(&format!(" [{}]", domains(&counts)));
        }
        return out;
    }
    if !counts.is_empty() {
        out.push_str(&format!(" [{}]", domains(&counts)));
    }
    let picked = sample(profile, &g.resources, 3);
    if !picked.is_empty() {
        let names: Vec<String> = picked
            .iter()
            .filter_map(|i| stack.resources.get(*i))
            .map(|r| r.address(false))
            .collect();
        out.push_str(&format!(", e.g. {}", names.join(", ")));
    }
    if !g.remote_modules.is_empty() {
        let mods: Vec<&str> = g
            .remote_modules
            .iter()
            .take(2)
            .map(String::as_str)
            .collect();
        let more = if g.remote_modules.len() > 2 {
            ", ..."
        } else {
            ""
        };
        out.push_str(&format!(
            "{} {} ({}{more})",
            if picked.is_empty() { ":" } else { ", and" },
            count(g.remote_modules.len(), "module call"),
            mods.join(", ")
        ));
    }
    out
}

/// `module.team_a: 18 resources` or `12 resources, e.g. aws_vpc.main, aws_lb.web`.
pub fn group_short(stack: &Stack, profile: &StackProfile, g: &Group) -> String {
    if let Some(m) = single_module(stack, g) {
        return format!("{m} ({})", describe_count(g.size()));
    }
    let picked = sample(profile, &g.resources, 2);
    let names: Vec<String> = picked
        .iter()
        .filter_map(|i| stack.resources.get(*i))
        .map(|r| r.address(false))
        .chain(
            g.remote_modules
                .iter()
                .take(2usize.saturating_sub(picked.len()))
                .cloned(),
        )
        .collect();
    format!("{} ({})", describe_count(g.size()), names.join(", "))
}

/// The one top-level module call that holds the whole group, if so.
fn single_module(stack: &Stack, g: &Group) -> Option<String> {
    let top = |m: &str| -> Option<String> {
        let rest = m.strip_prefix("module.")?;
        Some(format!(
            "module.{}",
            rest.split(".module.").next().unwrap_or(rest)
        ))
    };
    let mut tops = g
        .resources
        .iter()
        .map(|i| stack.resources.get(*i).and_then(|r| top(&r.module)))
        .chain(g.remote_modules.iter().map(|m| top(m)));
    let first = tops.next()??;
    tops.all(|t| t.as_deref() == Some(first.as_str()))
        .then_some(first)
}

fn describe_count(n: usize) -> String {
    count(n, "resource")
}

/// `1 resource` / `2 resources`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Where a finding about a whole stack points: its backend block (or first block), else
/// its first resource.
pub fn stack_loc(ws: &crate::model::Workspace, stack: &Stack) -> Option<crate::source::Loc> {
    stack
        .anchor
        .or_else(|| stack.resources.first().map(|r| ws.loc(r.item.block)))
}

/// Where a finding about a resource points: the resource block when it is written in the
/// stack's own code, else the stack's call of the local module that holds it (the line
/// the stack's owner controls).
pub fn item_loc(
    ws: &crate::model::Workspace,
    stack: &Stack,
    item: &crate::model::StackItem,
) -> crate::source::Loc {
    let top = item
        .module
        .strip_prefix("module.")
        .map(|rest| rest.split(".module.").next().unwrap_or(rest));
    match top.and_then(|name| stack.module_calls.iter().find(|c| c.name == name)) {
        Some(call) => ws.loc(call.block),
        None => ws.loc(item.item.block),
    }
}
