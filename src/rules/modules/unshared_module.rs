//! `unshared-module`: a local module that exactly one stack uses, through one call.
//! Calls through other local modules count for the stacks that use those, and a
//! Terragrunt unit whose `terraform { source }` is the module counts as a user.

use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};
use crate::source::Loc;
use crate::syntax::{Expr, ExprKind};
use std::collections::{BTreeMap, BTreeSet};

pub struct UnsharedModule;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnsharedModule,
    category: Category::Modules,
    default_severity: Severity::Note,
    summary: "a local module is used by exactly one stack",
    options: &[],
};

/// Who uses a module in the end: stacks, how many call paths reach them, and the
/// first call (where a finding points) with the chain of modules it went through.
#[derive(Debug, Clone, Default)]
struct Users {
    stacks: BTreeSet<usize>,
    paths: usize,
    first: Option<(Loc, Vec<String>)>,
}

/// Local modules nested deeper than this are not followed.
const MAX_DEPTH: usize = 12;

impl Rule for UnsharedModule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        let mut stacks_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, s) in ws.stacks.iter().enumerate() {
            if let Some(d) = &s.code_dir {
                stacks_of.entry(d.as_str()).or_default().push(i);
            }
        }
        let mut memo: BTreeMap<String, Users> = BTreeMap::new();
        for dir in ws.modules.keys() {
            let Some(code) = ws.codes.get(dir) else {
                continue;
            };
            let u = users(cx, dir, &stacks_of, &mut memo, &mut Vec::new());
            let (Some(&stack), 1, Some((loc, via))) = (u.stacks.first(), u.paths, u.first) else {
                continue;
            };
            if u.stacks.len() != 1 {
                continue;
            }
            let through = if via.is_empty() {
                String::new()
            } else {
                format!(" through {}", via.join(" -> "))
            };
            let mut f = Finding::new(
                &META,
                loc,
                format!(
                    "module {dir} ({} resource{}) is used by one stack only, {}, with a single call{through}. \
                     It pays a module's cost (an interface, versioning, its own tests) without the reuse that justifies it",
                    code.resources.len(),
                    if code.resources.len() == 1 { "" } else { "s" },
                    ws.stacks[stack].id,
                ),
            )
            .in_stack(stack)
            .help(
                "fold the module's code back into the stack that uses it, or, if other stacks \
                 need the same infrastructure, have them call it too (and version it as a \
                 shared module); a module is worth its interface when several stacks share it",
            );
            if let Some(r) = code
                .resources
                .first()
                .map(|r| r.block)
                .or(code.variables.first().map(|v| v.block))
            {
                f = f.related(ws.loc(r), format!("module {dir}"));
            }
            out.push(f);
        }
    }
}

/// A Terragrunt unit's `terraform { source }` block.
fn unit_source(cx: &Context, stack: usize) -> Option<Loc> {
    let unit = cx.ws.units.get(&cx.ws.stacks[stack].dir)?;
    let f = cx.ws.file(unit.file);
    let b = f.body.block("terraform")?;
    Some(Loc {
        file: unit.file,
        span: b.head,
    })
}

/// `cond ? 1 : 0` (or `? 0 : 1`): the module exists once or not at all.
fn is_switch(e: &Expr) -> bool {
    let ExprKind::Conditional(c) = &e.kind else {
        return false;
    };
    let one = |x: &Expr| matches!(x.kind, ExprKind::Number(n) if n == 0.0 || n == 1.0);
    one(&c[1]) && one(&c[2])
}

fn users(
    cx: &Context,
    dir: &str,
    stacks_of: &BTreeMap<&str, Vec<usize>>,
    memo: &mut BTreeMap<String, Users>,
    visiting: &mut Vec<String>,
) -> Users {
    if let Some(u) = memo.get(dir) {
        return u.clone();
    }
    if visiting.len() > MAX_DEPTH || visiting.iter().any(|v| v == dir) {
        return Users::default();
    }
    visiting.push(dir.to_string());
    let ws = cx.ws;
    let mut u = Users::default();
    // Terragrunt units (or stacks) deploying the directory itself.
    for &s in stacks_of.get(dir).map(Vec::as_slice).unwrap_or_default() {
        u.stacks.insert(s);
        u.paths += 1;
        if u.first.is_none() {
            u.first = unit_source(cx, s)
                .or(ws.stacks[s].anchor)
                .map(|a| (a, Vec::new()));
        }
    }
    if let Some(m) = ws.modules.get(dir) {
        for (caller, call) in &m.callers {
            let mut direct = stacks_of.get(caller.as_str()).cloned().unwrap_or_default();
            let loc = ws.loc(call.block);
            // A call with `for_each` (or a `count` other than an on/off switch) makes many
            // instances of the module: that is reuse.
            let repeated = ws.block(call.block).is_some_and(|b| {
                b.body.attr("for_each").is_some()
                    || b.body.expr("count").is_some_and(|e| !is_switch(e))
            });
            if repeated {
                u.paths += 2;
            }
            if !direct.is_empty() {
                u.paths += direct.len();
                if u.first.is_none() {
                    u.first = Some((loc, Vec::new()));
                }
                u.stacks.extend(direct.drain(..));
            } else if ws.modules.contains_key(caller) {
                let up = users(cx, caller, stacks_of, memo, visiting);
                u.paths += up.paths;
                u.stacks.extend(up.stacks.iter().copied());
                if u.first.is_none() {
                    // Point at this module's own call, inside the calling module.
                    u.first = up.first.map(|(_, mut via)| {
                        via.push(caller.clone());
                        (loc, via)
                    });
                }
            }
        }
    }
    visiting.pop();
    memo.insert(dir.to_string(), u.clone());
    u
}
