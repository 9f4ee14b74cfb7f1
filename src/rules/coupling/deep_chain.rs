//! `deep-chain`: the longest dependency path from a stack is more than `max_depth`
//! levels. Reported once per chain, at the top-most stack over the limit (every stack
//! further down the same chain has a shorter suffix of it).

use crate::graph::StackGraph;
use crate::link::loc_key;
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};

pub struct DeepChain;

static META: RuleMeta = RuleMeta {
    id: RuleId::DeepChain,
    category: Category::Coupling,
    default_severity: Severity::Note,
    summary: "the longest dependency path from a stack is longer than 5",
    options: &[OptionSpec {
        name: "max_depth",
        default: OptDefault::Int(5),
        doc: "most levels of stacks below one stack (a cycle counts as one level)",
    }],
};

/// Hops shown in a message and as related locations.
const SHOW_AT_MOST: usize = 25;

impl Rule for DeepChain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let too_deep = |s: usize| {
            let max = cx.options(&META, s).int("max_depth");
            (i64::try_from(g.metrics[s].depth).unwrap_or(i64::MAX) > max).then_some(max)
        };
        cx.each_stack(out, |s, _, out| {
            let Some(max) = too_deep(s) else { return };
            if g.depended_on_by[s].iter().any(|c| too_deep(*c).is_some()) {
                return;
            }
            out.extend(finding(cx, s, max));
        });
    }
}

fn finding(cx: &Context, s: usize, max: i64) -> Option<Finding> {
    let g = cx.graph;
    let path = g.longest_path(s);
    let hops: Vec<_> = path
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => StackGraph::edges_between(cx.links, *a, *b)
                .min_by(|x, y| loc_key(cx.ws, x.loc).cmp(&loc_key(cx.ws, y.loc))),
            _ => None,
        })
        .collect();
    let first = hops.first()?;
    let mut shown: Vec<&str> = path
        .iter()
        .take(SHOW_AT_MOST + 1)
        .map(|p| cx.stack_id(*p))
        .collect();
    if path.len() > SHOW_AT_MOST + 1 {
        shown.push("...");
    }
    let depth = g.metrics[s].depth;
    let mut message = format!(
        "{} sits on a dependency chain {depth} levels deep (limit {max}): {}",
        cx.stack_id(s),
        shown.join(" -> ")
    );
    let in_cycle = path
        .iter()
        .filter(|p| g.metrics[**p].cycle.is_some())
        .count();
    if in_cycle > 0 {
        message.push_str(&format!(
            " ({in_cycle} of these stacks form cycles, and a cycle counts as one level)"
        ));
    }
    let bottom = path.last().map_or("", |p| cx.stack_id(*p));
    let mut f = Finding::new(&META, first.loc, message)
        .in_stack(s)
        .help(format!(
            "each level must be applied before the one above it, so building the environment \
             from scratch takes {} applies in order, and a change to {bottom} can ripple \
             through every stack on the way up. Flatten the chain: let a stack read what it \
             needs from the stack that owns it (directly or through a registry) instead of \
             having intermediate stacks relay it, and merge stacks that always change together",
            depth + 1
        ));
    for e in hops.iter().take(SHOW_AT_MOST) {
        f = f.related(
            e.loc,
            format!(
                "{} depends on {} through {}",
                cx.stack_id(e.from),
                cx.stack_id(e.to),
                e.mechanism.as_str()
            ),
        );
    }
    Some(f)
}
