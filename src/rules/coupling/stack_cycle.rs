//! `stack-cycle`: stacks that depend on each other in a circle. Each elementary cycle is
//! reported once, at its first hop, with every hop (mechanism and reference) as a
//! related location.

use crate::graph::StackGraph;
use crate::link::Edge;
use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};

pub struct StackCycle;

static META: RuleMeta = RuleMeta {
    id: RuleId::StackCycle,
    category: Category::Coupling,
    default_severity: Severity::Error,
    summary: "stacks depend on each other in a cycle",
    options: &[],
};

impl Rule for StackCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for component in &cx.graph.cycles {
            let (cycles, truncated) = cx.graph.elementary_cycles(cx.ws, component);
            for cycle in &cycles {
                if let Some(f) = finding(cx, cycle, truncated.then_some(component.len())) {
                    out.push(f);
                }
            }
        }
    }
}

fn describe(cx: &Context, e: &Edge) -> String {
    let outputs = if e.outputs.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = e.outputs.iter().map(String::as_str).collect();
        format!(", reading {}", names.join(", "))
    };
    let via = if e.via.is_empty() {
        String::new()
    } else {
        format!(" ({})", e.via)
    };
    format!(
        "{} depends on {} through {}{via}{outputs}",
        cx.stack_id(e.from),
        cx.stack_id(e.to),
        e.mechanism.as_str()
    )
}

fn finding(cx: &Context, cycle: &[usize], more_in: Option<usize>) -> Option<Finding> {
    let mut hops: Vec<&Edge> = Vec::new();
    for (i, from) in cycle.iter().enumerate() {
        let to = cycle[(i + 1) % cycle.len()];
        hops.push(StackGraph::edges_between(cx.links, *from, to).next()?);
    }
    let mut path: Vec<&str> = cycle.iter().map(|s| cx.stack_id(*s)).collect();
    path.push(cx.stack_id(cycle[0]));
    let mechanisms: Vec<&str> = hops.iter().map(|e| e.mechanism.as_str()).collect();
    let mut message = format!(
        "{} stacks depend on each other in a cycle: {} (through {})",
        cycle.len(),
        path.join(" -> "),
        mechanisms.join(", ")
    );
    if let Some(n) = more_in {
        message.push_str(&format!(
            "; these {n} stacks form more cycles than are listed"
        ));
    }
    let mut f = Finding::new(&META, hops[0].loc, message)
        .in_stack(cycle[0])
        .help(
            "dependencies between stacks must point one way: a provider stack knows nothing of \
             its consumers. Break the cycle at its weakest hop: move what both sides need into a \
             lower shared-infrastructure stack, or have the lower stack publish the value to a \
             registry (e.g. an SSM parameter) instead of reading the other stack's state",
        );
    for e in &hops {
        f = f.related(e.loc, describe(cx, e));
    }
    Some(f)
}
