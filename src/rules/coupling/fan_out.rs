//! `fan-out`: a stack depends on more than `max_dependencies` other stacks.

use crate::link::{loc_key, Edge, Mechanism};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};
use std::collections::BTreeMap;

pub struct FanOut;

static META: RuleMeta = RuleMeta {
    id: RuleId::FanOut,
    category: Category::Coupling,
    default_severity: Severity::Warning,
    summary: "a stack depends on more than 6 other stacks",
    options: &[OptionSpec {
        name: "max_dependencies",
        default: OptDefault::Int(6),
        doc: "most provider stacks one stack may depend on (through any mechanism)",
    }],
};

impl Rule for FanOut {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // The edges of each consumer, grouped by provider; edges are sorted by
        // (from, to, mechanism) ids, so each group keeps that order.
        let mut by_consumer: BTreeMap<usize, BTreeMap<usize, Vec<&Edge>>> = BTreeMap::new();
        for e in &cx.links.edges {
            by_consumer
                .entry(e.from)
                .or_default()
                .entry(e.to)
                .or_default()
                .push(e);
        }
        for (stack, providers) in &by_consumer {
            let max = cx.options(&META, *stack).int("max_dependencies");
            let n = providers.len();
            if i64::try_from(n).unwrap_or(i64::MAX) <= max {
                continue;
            }
            out.extend(finding(cx, *stack, providers, max));
        }
    }
}

fn finding(
    cx: &Context,
    stack: usize,
    providers: &BTreeMap<usize, Vec<&Edge>>,
    max: i64,
) -> Option<Finding> {
    let mut listed: Vec<(&str, Vec<Mechanism>, &Edge)> = providers
        .iter()
        .filter_map(|(to, edges)| {
            let first = edges
                .iter()
                .min_by(|a, b| loc_key(cx.ws, a.loc).cmp(&loc_key(cx.ws, b.loc)))?;
            Some((
                cx.stack_id(*to),
                edges.iter().map(|e| e.mechanism).collect(),
                *first,
            ))
        })
        .collect();
    listed.sort_by(|a, b| a.0.cmp(b.0));
    let names: Vec<String> = listed
        .iter()
        .map(|(id, mechs, _)| {
            let m: Vec<&str> = mechs.iter().map(|m| m.as_str()).collect();
            format!("{id} ({})", m.join(", "))
        })
        .collect();
    let ca = cx.graph.depended_on_by.get(stack).map_or(0, Vec::len);
    let me = cx.stack_id(stack);
    let message = format!(
        "{me} depends on {} other stacks (limit {max}): {}",
        listed.len(),
        names.join(", ")
    );
    let first = listed
        .iter()
        .map(|(_, _, e)| *e)
        .min_by(|a, b| loc_key(cx.ws, a.loc).cmp(&loc_key(cx.ws, b.loc)))?;
    let exposure = if ca > 0 {
        format!(
            ", and the {ca} stack{} that depend on {me} inherit that exposure",
            if ca == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let mut f = Finding::new(&META, first.loc, message)
        .in_stack(stack)
        .help(format!(
            "every provider is an integration point: a change to any of these {} stacks can \
             break {me}, and {me} cannot be planned, tested or rebuilt without all of them{exposure}. \
             Depend on fewer, more stable stacks: take shared values from one registry (SSM \
             parameters a platform stack publishes) instead of reading each provider's state, or \
             split {me} so each part needs only the providers it really uses",
            listed.len()
        ));
    for (id, mechs, e) in &listed {
        let m: Vec<&str> = mechs.iter().map(|m| m.as_str()).collect();
        f = f.related(e.loc, format!("depends on {id} through {}", m.join(", ")));
    }
    Some(f)
}
