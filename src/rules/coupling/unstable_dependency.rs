//! `unstable-dependency`: the stable-dependencies principle. A stack depends on one
//! whose instability I = Ce / (Ca + Ce) exceeds its own by more than `margin`.

use crate::graph::StackGraph;
use crate::link::loc_key;
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};

pub struct UnstableDependency;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnstableDependency,
    category: Category::Coupling,
    default_severity: Severity::Warning,
    summary: "a stack depends on one whose instability exceeds its own by more than 0.25",
    options: &[OptionSpec {
        name: "margin",
        default: OptDefault::Float(0.25),
        doc: "how much less stable (higher instability) a provider may be than its consumer",
    }],
};

/// Instabilities are ratios of small integers; compare them with a little slack so
/// that a difference equal to the margin never fires by rounding.
const EPSILON: f64 = 1e-9;

/// At most this many consumers of the stack are named in a message.
const NAME_AT_MOST: usize = 8;

impl Rule for UnstableDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let g = cx.graph;
        for (a, providers) in g.depends_on.iter().enumerate() {
            let margin = cx.options(&META, a).float("margin");
            let ia = g.metrics[a].instability;
            for &b in providers {
                let ib = g.metrics[b].instability;
                // Inside a cycle stack-cycle already reports the defect.
                if ib - ia <= margin + EPSILON || g.same_cycle(a, b) {
                    continue;
                }
                out.extend(finding(cx, a, b, margin));
            }
        }
    }
}

fn describe(cx: &Context, s: usize) -> String {
    let m = &cx.graph.metrics[s];
    format!(
        "I = {:.2}: {} stack{} depend{} on it, it depends on {}",
        m.instability,
        m.ca,
        if m.ca == 1 { "" } else { "s" },
        if m.ca == 1 { "s" } else { "" },
        m.ce
    )
}

fn finding(cx: &Context, a: usize, b: usize, margin: f64) -> Option<Finding> {
    let edges: Vec<_> = StackGraph::edges_between(cx.links, a, b).collect();
    let first = edges
        .iter()
        .min_by(|x, y| loc_key(cx.ws, x.loc).cmp(&loc_key(cx.ws, y.loc)))?;
    let (ia, ib) = (
        cx.graph.metrics[a].instability,
        cx.graph.metrics[b].instability,
    );
    let (me, other) = (cx.stack_id(a), cx.stack_id(b));
    let consumers = &cx.graph.depended_on_by[a];
    let mut names: Vec<&str> = consumers.iter().map(|c| cx.stack_id(*c)).collect();
    names.sort_unstable();
    let listed = match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        many if many.len() > NAME_AT_MOST => format!(
            "{} and {} more",
            many[..NAME_AT_MOST].join(", "),
            many.len() - NAME_AT_MOST
        ),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let mechanisms: Vec<&str> = edges.iter().map(|e| e.mechanism.as_str()).collect();
    let message = format!(
        "{me} ({}) depends on {other} ({}) through {}: the provider is {:.2} less stable \
         than its consumer (margin {margin:.2}); {listed} depend{} on {me} and so on every \
         change to {other}",
        describe(cx, a),
        describe(cx, b),
        mechanisms.join(", "),
        ib - ia,
        if names.len() == 1 { "s" } else { "" },
    );
    let mut f = Finding::new(&META, first.loc, message)
        .in_stack(a)
        .help(format!(
            "depend in the direction of stability: a stack others rely on should itself rely \
             only on stacks that change less. Move what {me} takes from {other} into {me} or \
             into a lower shared-infrastructure stack, or have {other} publish the value to a \
             registry owned by a stable stack, so that {other} becomes a leaf nothing stable \
             depends on"
        ));
    for e in &edges {
        f = f.related(
            e.loc,
            format!("{me} depends on {other} through {}", e.mechanism.as_str()),
        );
    }
    for c in consumers.iter().take(NAME_AT_MOST) {
        if let Some(e) = StackGraph::edges_between(cx.links, *c, a)
            .min_by(|x, y| loc_key(cx.ws, x.loc).cmp(&loc_key(cx.ws, y.loc)))
        {
            f = f.related(
                e.loc,
                format!(
                    "{} depends on {me} through {}",
                    cx.stack_id(*c),
                    e.mechanism.as_str()
                ),
            );
        }
    }
    Some(f)
}
