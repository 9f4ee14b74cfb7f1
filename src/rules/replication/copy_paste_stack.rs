//! `copy-paste-stack`: two or more stack projects whose code is a near copy of one
//! another (the singleton-stack antipattern). One finding at each member of a group,
//! naming the whole group and what differs between the copies.

use crate::model::Workspace;
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};
use crate::similarity::{self, Differences, SimilarGroup, Similarity};
use crate::source::Loc;
use rayon::prelude::*;

pub struct CopyPasteStack;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::CopyPasteStack,
    category: Category::Replication,
    default_severity: Severity::Warning,
    summary: "2+ stacks are near copies (similarity >= 0.8) and not thin wrappers",
    options: &[OptionSpec {
        name: "min_similarity",
        default: OptDefault::Float(0.8),
        doc: "similarity (0-1, Jaccard of normalised code fingerprints) from which two stacks count as copies",
    }],
};

/// Members named in a message, and related locations shown, at most.
const SHOWN: usize = 8;

/// Copies compared for "what differs", at most.
const DIFF_SAMPLE: usize = 16;

/// The tree's similarity groups, computed once per run at the configured threshold.
pub fn groups(cx: &Context) -> std::sync::Arc<Similarity> {
    let t = threshold(cx);
    cx.cached(|| similarity::analyse(cx.ws, t))
}

/// Computes the groups in the prepare step (see `Context::warm`).
pub fn warm_groups(cx: &Context) -> Prepared {
    let t = threshold(cx);
    cx.warm(|| similarity::analyse(cx.ws, t))
}

fn threshold(cx: &Context) -> f64 {
    cx.tree_options(&META)
        .float("min_similarity")
        .clamp(0.0, 1.0)
}

impl Rule for CopyPasteStack {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        warm_groups(cx)
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let sim = groups(cx);
        // Groups in parallel, findings in group order (see `Context::each_stack`).
        let found: Vec<Vec<Finding>> = sim
            .groups
            .par_iter()
            .map(|g| group_findings(cx, &sim, g))
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// One finding per copy of the code in group `g`.
fn group_findings(cx: &Context, sim: &Similarity, g: &SimilarGroup) -> Vec<Finding> {
    let mut out = Vec::new();
    // What differs is read from the first copies only: a group of thousands of
    // copies would otherwise cost time and memory for a message nobody reads in
    // full.
    let dirs: Vec<&str> = g
        .nodes
        .iter()
        .take(DIFF_SAMPLE)
        .map(|&n| sim.nodes[n].code_dir.as_str())
        .collect();
    let diff = similarity::differences(cx.ws, &dirs);
    let names: Vec<String> = g.nodes.iter().map(|&n| label(cx.ws, sim, n)).collect();
    let range = if (g.max - g.min).abs() < 0.005 {
        format!("similarity {:.2}", g.min)
    } else {
        format!("similarity {:.2}-{:.2}", g.min, g.max)
    };
    let what = describe(&diff);
    for (k, &n) in g.nodes.iter().enumerate() {
        let node = &sim.nodes[n];
        // One finding per copy of the code, at the first stack deploying it: a
        // module copied once and deployed by hundreds of units is one copy.
        if let Some(&stack) = node.stacks.iter().min_by_key(|s| cx.stack_id(**s)) {
            let message = format!(
                "{} is one of {} near copies of the same stack code ({range}): {}. {what}. \
                 Each copy is edited by hand, so a change tested in one is not the code the others run",
                cx.stack_id(stack),
                g.nodes.len(),
                list(&names, SHOWN),
            );
            let Some(loc) = anchor(cx.ws, stack, &node.code_dir) else {
                continue;
            };
            let mut f = Finding::new(&META, loc, message).in_stack(stack).help(HELP);
            for (j, &o) in g
                .nodes
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .take(SHOWN)
            {
                let other = &sim.nodes[o];
                let s = similarity::jaccard(&node.features, &other.features);
                let at = other
                    .stacks
                    .first()
                    .and_then(|&os| anchor(cx.ws, os, &other.code_dir));
                if let Some(at) = at {
                    f = f.related(
                        at,
                        format!("{} is a near copy (similarity {s:.2})", names[j]),
                    );
                }
            }
            out.push(f);
        }
    }
    out
}

const HELP: &str = "keep one copy of the code as a template stack: move what differs into \
variables and give each environment its own tfvars file and backend configuration \
(envs/dev.tfvars + dev.tfbackend, ...), so every instance runs the same tested code. Or move \
the code into a module and keep one thin wrapper stack per environment that only sets the \
provider, the backend and the module's inputs. Blocks only some copies have become a \
variable-driven option or a stack of their own";

/// A code directory, with the stacks deploying it when they live elsewhere.
fn label(ws: &Workspace, sim: &Similarity, n: usize) -> String {
    let node = &sim.nodes[n];
    let ids: Vec<&str> = node
        .stacks
        .iter()
        .map(|&s| ws.stacks[s].id.as_str())
        .filter(|id| *id != node.code_dir)
        .collect();
    match ids.len() {
        0 => node.code_dir.clone(),
        n if n <= 3 => format!("{} (deployed by {})", node.code_dir, ids.join(", ")),
        n => format!(
            "{} (deployed by {} and {} more)",
            node.code_dir,
            ids[..2].join(", "),
            n - 2
        ),
    }
}

/// The stack's backend or first block when it lies in the code; else the first
/// resource (or module call) of the code the stack deploys.
fn anchor(ws: &Workspace, stack: usize, code_dir: &str) -> Option<Loc> {
    let s = &ws.stacks[stack];
    let code = ws.codes.get(code_dir)?;
    if let Some(a) = s.anchor.filter(|a| code.files.contains(&a.file)) {
        return Some(a);
    }
    let resource = code.resources.iter().map(|r| r.block).min();
    resource
        .or_else(|| code.module_calls.iter().map(|m| m.block).min())
        .map(|r| ws.loc(r))
        .or(s.anchor)
}

fn describe(d: &Differences) -> String {
    let mut parts = Vec::new();
    let blocks: Vec<String> = d
        .partial_blocks
        .iter()
        .map(|(addr, having)| format!("{addr} only in {}", having.join(", ")))
        .collect();
    if !blocks.is_empty() {
        parts.push(list(&blocks, 4));
    }
    if !d.values.is_empty() {
        parts.push(format!(
            "{} literal value{} beyond the environment name ({})",
            d.values.len(),
            if d.values.len() == 1 {
                " differs"
            } else {
                "s differ"
            },
            list(&d.values, 4)
        ));
    }
    if !d.shapes.is_empty() {
        parts.push(format!(
            "{} attribute{} written differently ({})",
            d.shapes.len(),
            if d.shapes.len() == 1 { "" } else { "s" },
            list(&d.shapes, 3)
        ));
    }
    if parts.is_empty() {
        "The copies are identical".to_string()
    } else {
        format!("What differs: {}", parts.join("; "))
    }
}

/// `a, b, c and 4 more`.
pub(crate) fn list(items: &[String], cap: usize) -> String {
    if items.len() <= cap {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..cap].join(", "), items.len() - cap)
    }
}
