//! `wrapper-drift`: wrapper stacks that call the same module should stay alike; this
//! reports a wrapper that declares resources or module calls some of its siblings lack.

use super::copy_paste_stack;
use crate::facts::wrappers::{alike, member, source_key, Extra, Member, MAX_COMPARED_FAMILY};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
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

    fn prepare(&self, cx: &Context) -> Prepared {
        copy_paste_stack::warm_groups(cx)
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
            for call in code.module_calls.iter() {
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
            // In a large family every member is a sibling of every other; how many
            // members declare each extra block answers "who lacks it" without a
            // pairwise pass.
            let mut having: BTreeMap<&str, usize> = BTreeMap::new();
            if !small {
                for m in &blocks {
                    for key in m.extras.keys() {
                        *having.entry(key.as_str()).or_default() += 1;
                    }
                }
            }
            for m in &blocks {
                // Siblings: wrappers passing (nearly) the same inputs (instances of one
                // thing), not other projects that happen to use the module.
                let (siblings, drift) = if small {
                    let siblings: Vec<&Member> = blocks
                        .iter()
                        .filter(|o| o.dir != m.dir && alike(m, o))
                        .collect();
                    let drift: Vec<Drift> = m
                        .extras
                        .iter()
                        .filter_map(|(key, extra)| {
                            let lacking: Vec<&str> = siblings
                                .iter()
                                .filter(|o| !o.extras.contains_key(key))
                                .map(|o| o.dir)
                                .collect();
                            let count = lacking.len();
                            (count > 0).then_some(Drift {
                                extra,
                                lacking,
                                count,
                            })
                        })
                        .collect();
                    (siblings.iter().map(|o| o.dir).collect::<Vec<_>>(), drift)
                } else {
                    let drift: Vec<Drift> = m
                        .extras
                        .iter()
                        .filter_map(|(key, extra)| {
                            let count = blocks.len() - having.get(key.as_str()).copied()?;
                            (count > 0).then_some(Drift {
                                extra,
                                lacking: Vec::new(),
                                count,
                            })
                        })
                        .collect();
                    let siblings: Vec<&str> = blocks
                        .iter()
                        .filter(|o| o.dir != m.dir)
                        .take(SHOWN)
                        .map(|o| o.dir)
                        .collect();
                    (siblings, drift)
                };
                if siblings.is_empty() || drift.is_empty() || !reported.insert(m.dir) {
                    continue;
                }
                let family = Family {
                    source,
                    siblings: &siblings,
                    size: if small {
                        siblings.len()
                    } else {
                        blocks.len() - 1
                    },
                };
                let stacks = stacks_of.get(m.dir).map(Vec::as_slice).unwrap_or_default();
                if let Some(f) = finding(cx, m.dir, stacks, &family, &drift) {
                    out.push(f);
                }
            }
        }
    }
}

/// Names shown in a message before "and N more".
const SHOWN: usize = 10;

/// A block only some siblings have: who lacks it (names up to [`SHOWN`]; none in a
/// family too large to compare) and how many.
struct Drift<'a> {
    extra: &'a Extra,
    lacking: Vec<&'a str>,
    count: usize,
}

/// The wrapped module and the siblings (names shown, total).
struct Family<'a> {
    source: &'a str,
    siblings: &'a [&'a str],
    size: usize,
}

fn names(shown: &[&str], total: usize) -> String {
    let mut s = shown
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let listed = shown.len().min(SHOWN);
    if total > listed {
        s.push_str(&format!(" and {} more", total - listed));
    }
    s
}

fn finding(
    cx: &Context,
    dir: &str,
    stacks: &[usize],
    family: &Family,
    drift: &[Drift],
) -> Option<Finding> {
    let ws = cx.ws;
    let n = family.size;
    let listed: Vec<String> = drift
        .iter()
        .map(|d| {
            if d.count == n {
                d.extra.display.clone()
            } else if d.lacking.is_empty() {
                format!("{} (missing from {} of them)", d.extra.display, d.count)
            } else {
                format!(
                    "{} (missing from {})",
                    d.extra.display,
                    names(&d.lacking, d.count)
                )
            }
        })
        .collect();
    let deployed: Vec<&str> = stacks
        .iter()
        .map(|&i| ws.stacks[i].id.as_str())
        .filter(|id| *id != dir)
        .collect();
    let dir_label = if deployed.is_empty() {
        dir.to_string()
    } else {
        format!("{dir} (deployed by {})", names(&deployed, deployed.len()))
    };
    let message = format!(
        "{dir_label} wraps {} like {n} sibling wrapper{} ({}) but also declares {} block{} they do not all have: {}. \
         The instances no longer differ only by their inputs",
        family.source,
        if n == 1 { "" } else { "s" },
        names(family.siblings, n),
        drift.len(),
        if drift.len() == 1 { "" } else { "s" },
        listed.join(", "),
    );
    let first = drift.first()?;
    let mut f = Finding::new(&META, first.extra.loc, message).help(
        "keep wrapper stacks thin: move the extra blocks into the shared module behind an \
         input (an optional feature every instance can switch on), or into a small stack of \
         their own that consumes the module's outputs, so every wrapper again only sets the \
         provider, the backend and the module's inputs",
    );
    for d in drift.iter().skip(1).take(8) {
        f = f.related(d.extra.loc, format!("also only here: {}", d.extra.display));
    }
    for s in family.siblings.iter().take(8) {
        if let Some(call) = ws.codes.get(*s).and_then(|c| {
            c.module_calls
                .iter()
                .find(|m| source_key(m) == family.source)
        }) {
            f = f.related(ws.loc(call.block), format!("sibling wrapper {s}"));
        }
    }
    Some(match stacks.first() {
        Some(&i) => f.in_stack(i),
        None => f,
    })
}
