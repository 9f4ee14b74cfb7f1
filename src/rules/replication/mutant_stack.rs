//! `mutant-stack`: a stack or module whose blocks are switched on and off by many
//! conditionals (`count = var.x ? 1 : 0`, `for_each = var.x ? ... : {}`, guarded
//! `dynamic` blocks), so its instances can differ a lot (the Swiss-army module).

use crate::model::{Code, Workspace};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};
use crate::source::Loc;
use crate::syntax::{Attr, Block, Expr, ExprKind};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub struct MutantStack;

static META: RuleMeta = RuleMeta {
    id: RuleId::MutantStack,
    category: Category::Replication,
    default_severity: Severity::Note,
    summary: "a stack or module has 5+ on/off conditional resources or modules",
    options: &[OptionSpec {
        name: "max_toggles",
        default: OptDefault::Int(5),
        doc: "conditional blocks (resources, module calls, dynamic blocks) from which a stack or module is reported",
    }],
};

impl Rule for MutantStack {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        // Each code directory once: stacks' code and local modules.
        let mut dirs: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        for (i, s) in ws.stacks.iter().enumerate() {
            if let Some(d) = &s.code_dir {
                dirs.entry(d.as_str()).or_insert(Some(i));
            }
        }
        for m in ws.modules.keys() {
            dirs.entry(m.as_str()).or_insert(None);
        }
        // In parallel: a serial loop over every code directory was the last rule running
        // at -j2, with the other core idle.
        let dirs: Vec<(&str, Option<usize>)> = dirs.into_iter().collect();
        let found: Vec<Option<Finding>> = dirs
            .par_iter()
            .with_max_len(crate::pipeline::PAR_CHUNK)
            .map(|&(dir, stack)| code_finding(cx, dir, stack))
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// The finding for one code directory (a stack's code or a local module), if any.
fn code_finding(cx: &Context, dir: &str, stack: Option<usize>) -> Option<Finding> {
    let ws = cx.ws;
    let code = ws.codes.get(dir)?;
    let max = match stack {
        Some(i) => cx.options(&META, i).int("max_toggles"),
        None => cx.config.options(&META, dir).int("max_toggles"),
    };
    let toggles = toggles(ws, code);
    let switches: BTreeMap<&str, Vec<&Toggle>> =
        toggles.iter().fold(BTreeMap::new(), |mut m, t| {
            m.entry(t.switch.as_str()).or_default().push(t);
            m
        });
    // One kill switch guarding everything is all-or-nothing, not a mutant.
    if (toggles.len() as i64) < max.max(1) || switches.len() < 2 {
        return None;
    }
    let listed: Vec<String> = switches
        .iter()
        .map(|(s, ts)| {
            let blocks: Vec<&str> = ts.iter().map(|t| t.block.as_str()).collect();
            format!("{s} ({})", blocks.join(", "))
        })
        .collect();
    let what = if stack.is_some_and(|i| ws.stacks[i].dir == dir) {
        "stack"
    } else {
        "module"
    };
    let mut f = Finding::new(
        &META,
        toggles[0].loc,
        format!(
            "{what} {dir} switches {} blocks on and off with {} switches: {}. Its instances \
                 can take up to {} different shapes, and no single test covers them",
            toggles.len(),
            switches.len(),
            listed.join("; "),
            shapes(switches.len()),
        ),
    )
    .help(
        "split the optional parts into their own modules or small stacks that the \
             instances that need them compose, or into a few named variants; keep switches \
             for genuine per-instance settings, not for what makes instances different systems",
    );
    for t in toggles.iter().skip(1).take(10) {
        f = f.related(t.loc, format!("{} switched by {}", t.block, t.switch));
    }
    if let Some(i) = stack {
        f = f.in_stack(i);
    }
    Some(f)
}

fn shapes(n: usize) -> String {
    if n >= 20 {
        format!("2^{n}")
    } else {
        (1u64 << n).to_string()
    }
}

struct Toggle {
    block: String,
    switch: String,
    loc: Loc,
}

/// Resources, module calls and `dynamic` blocks (at any depth) guarded by a conditional.
fn toggles(ws: &Workspace, code: &Code) -> Vec<Toggle> {
    let mut out = Vec::new();
    for file in &code.files {
        for b in &ws.file(*file).body.blocks {
            let addr = match &*b.kind {
                "resource" => format!("{}.{}", b.label(0).unwrap_or(""), b.label(1).unwrap_or("")),
                "module" => format!("module.{}", b.label(0).unwrap_or("")),
                _ => continue,
            };
            let meta = b.body.attr("count").or_else(|| b.body.attr("for_each"));
            if let Some(switch) = meta.and_then(switch_of) {
                out.push(Toggle {
                    block: addr.clone(),
                    switch,
                    loc: Loc {
                        file: *file,
                        span: b.head,
                    },
                });
            }
            dynamic_blocks(b, &addr, *file, &mut out);
        }
    }
    out.sort_by_key(|t| (t.loc.file, t.loc.span.start));
    out
}

fn dynamic_blocks(b: &Block, addr: &str, file: crate::source::FileId, out: &mut Vec<Toggle>) {
    let mut stack: Vec<&Block> = b.body.blocks.iter().collect();
    while let Some(nb) = stack.pop() {
        if &*nb.kind == "dynamic" {
            if let Some(switch) = nb.body.attr("for_each").and_then(switch_of) {
                out.push(Toggle {
                    block: format!("{addr} dynamic \"{}\"", nb.label(0).unwrap_or("")),
                    switch,
                    loc: Loc {
                        file,
                        span: nb.head,
                    },
                });
            }
        }
        stack.extend(nb.body.blocks.iter());
    }
}

/// `cond ? x : <nothing>` (or the reverse): the references in `cond`, as the switch.
fn switch_of(a: &Attr) -> Option<String> {
    let ExprKind::Conditional(c) = &a.expr.kind else {
        return None;
    };
    let [cond, yes, no] = &**c;
    if !is_nothing(yes) && !is_nothing(no) {
        return None;
    }
    let refs: BTreeSet<String> = cond
        .references()
        .iter()
        .map(|r| {
            let mut p = vec![r.root];
            p.extend(r.attr_path().into_iter().take(1));
            p.join(".")
        })
        .collect();
    if refs.is_empty() {
        return Some("a constant condition".to_string());
    }
    Some(refs.into_iter().collect::<Vec<_>>().join(" + "))
}

/// `0`, `null`, `[]`, `{}`, `toset([])` and the like: the branch that turns a block off.
fn is_nothing(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(n) => *n == 0.0,
        ExprKind::Null => true,
        ExprKind::Array(items) => items.is_empty(),
        ExprKind::Object(items) => items.is_empty(),
        ExprKind::Call(c) => {
            matches!(&*c.name, "toset" | "tomap" | "tolist") && c.args.iter().all(is_nothing)
        }
        _ => false,
    }
}
