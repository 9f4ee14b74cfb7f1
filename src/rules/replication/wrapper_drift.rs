//! `wrapper-drift`: wrapper stacks that call the same module should stay alike; this
//! reports a wrapper that declares resources or module calls some of its siblings lack.

use super::copy_paste_stack;
use super::wrappers::{alike, member, source_key, Extra, Member, MAX_COMPARED_FAMILY};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};
use std::collections::{BTreeMap, BTreeSet};

pub struct WrapperDrift;

static META: RuleMeta = RuleMeta {
    id: RuleId::WrapperDrift,
    category: Category::Replication,
    default_severity: Severity::Warning,
    summary: "a wrapper stack adds resources its sibling wrappers of the same module lack",
    options: &[OptionSpec {
        name: "max_extra_blocks",
        default: OptDefault::Int(5),
        doc: "a stack that declares more resources and other module calls than this is a stack of its own, not a wrapper",
    }],
};

impl Rule for WrapperDrift {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let ws = cx.ws;
        let max_extra = cx.tree_options(&META).int("max_extra_blocks").max(0) as usize;
        let sim = copy_paste_stack::groups(cx);
        // Module source -> wrapper code directories calling it.
        let mut families: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        let mut stacks_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, stack) in ws.stacks.iter().enumerate() {
            let Some(code) = stack.code_dir.as_ref().and_then(|d| ws.codes.get(d)) else {
                continue;
            };
            stacks_of.entry(code.dir.as_str()).or_default().push(i);
            if code.module_calls.is_empty() || code.module_calls.len() > 2 {
                continue;
            }
            if code.resources.len() + code.module_calls.len() - 1 > max_extra {
                continue;
            }
            for call in &code.module_calls {
                families
                    .entry(source_key(call))
                    .or_default()
                    .insert(&code.dir);
            }
        }
        // A wrapper of two modules belongs to two families; it is reported once.
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for (source, dirs) in &families {
            if dirs.len() < 2 {
                continue;
            }
            let blocks: Vec<Member> = dirs
                .iter()
                .filter_map(|d| ws.codes.get(*d).map(|c| member(ws, d, c, source, &sim)))
                .collect();
            let small = blocks.len() <= MAX_COMPARED_FAMILY;
            for m in &blocks {
                // Siblings: wrappers passing (nearly) the same inputs (instances of one
                // thing), not other projects that happen to use the module.
                let siblings: Vec<&Member> = blocks
                    .iter()
                    .filter(|o| o.dir != m.dir && (!small || alike(m, o)))
                    .collect();
                if siblings.is_empty() {
                    continue;
                }
                let names: Vec<&str> = siblings.iter().map(|o| o.dir).collect();
                let mut drift: Vec<(&Extra, Vec<&str>)> = Vec::new();
                for (key, extra) in &m.extras {
                    let lacking: Vec<&str> = siblings
                        .iter()
                        .filter(|o| !o.extras.contains_key(key))
                        .map(|o| o.dir)
                        .collect();
                    if !lacking.is_empty() {
                        drift.push((extra, lacking));
                    }
                }
                let dir = m.dir;
                let siblings = names;
                if drift.is_empty() || !reported.insert(dir) {
                    continue;
                }
                let stacks = stacks_of.get(dir).map(Vec::as_slice).unwrap_or_default();
                if let Some(f) = finding(cx, dir, stacks, source, &siblings, &drift) {
                    out.push(f);
                }
            }
        }
    }
}

fn finding(
    cx: &Context,
    dir: &str,
    stacks: &[usize],
    source: &str,
    siblings: &[&str],
    drift: &[(&Extra, Vec<&str>)],
) -> Option<Finding> {
    let ws = cx.ws;
    let listed: Vec<String> = drift
        .iter()
        .map(|(e, lacking)| {
            if lacking.len() == siblings.len() {
                e.display.clone()
            } else {
                format!("{} (missing from {})", e.display, lacking.join(", "))
            }
        })
        .collect();
    let n = siblings.len();
    let deployed: Vec<&str> = stacks
        .iter()
        .map(|&i| ws.stacks[i].id.as_str())
        .filter(|id| *id != dir)
        .collect();
    let dir_label = if deployed.is_empty() {
        dir.to_string()
    } else {
        format!("{dir} (deployed by {})", deployed.join(", "))
    };
    let message = format!(
        "{dir_label} wraps {source} like {n} sibling wrapper{} ({}) but also declares {} block{} they do not all have: {}. \
         The instances no longer differ only by their inputs",
        if n == 1 { "" } else { "s" },
        siblings.join(", "),
        drift.len(),
        if drift.len() == 1 { "" } else { "s" },
        listed.join(", "),
    );
    let first = drift.first()?;
    let mut f = Finding::new(&META, first.0.loc, message).help(
        "keep wrapper stacks thin: move the extra blocks into the shared module behind an \
         input (an optional feature every instance can switch on), or into a small stack of \
         their own that consumes the module's outputs, so every wrapper again only sets the \
         provider, the backend and the module's inputs",
    );
    for (e, _) in drift.iter().skip(1).take(8) {
        f = f.related(e.loc, format!("also only here: {}", e.display));
    }
    for s in siblings.iter().take(8) {
        if let Some(call) = ws
            .codes
            .get(*s)
            .and_then(|c| c.module_calls.iter().find(|m| source_key(m) == source))
        {
            f = f.related(ws.loc(call.block), format!("sibling wrapper {s}"));
        }
    }
    Some(match stacks.first() {
        Some(&i) => f.in_stack(i),
        None => f,
    })
}
