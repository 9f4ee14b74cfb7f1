//! `missing-output`: a consumer reads `outputs.X` (remote state, Terragrunt dependency)
//! or `values.X` (tfe_outputs) of a provider stack that declares no output `X`.
//! Reported at the consumer's reference, with the provider's outputs and a "did you
//! mean". Dynamic keys are never guessed, reads that handle absence (`try`, `can`,
//! `defaults`, `skip_outputs`) are left alone, and providers whose outputs cannot be
//! known (remote code, generated code, unparsable files) are never judged.

use crate::facts::exposed::{Exposed, OutputCatalog, Outputs};
use crate::facts::reads;
use crate::link::{loc_key, Edge, OutputRead};
use crate::model::paths;
use crate::rules::{Category, Context, Finding, Prepared, Rule, RuleId, RuleMeta, Severity};
use crate::source::Loc;
use foldhash::{HashMap, HashMapExt};
use std::collections::{BTreeMap, BTreeSet};

pub struct MissingOutput;

static META: RuleMeta = RuleMeta {
    id: RuleId::MissingOutput,
    category: Category::Coupling,
    default_severity: Severity::Error,
    summary: "a consumer reads an output the provider stack does not declare",
    options: &[],
};

/// How many of the provider's output names a message lists.
const LIST_AT_MOST: usize = 15;

/// One missing name read at one place (a read in a shared module or an included
/// Terragrunt file is one place for several consumers).
struct Miss<'a> {
    edge: &'a Edge,
    read: &'a OutputRead,
    consumers: BTreeSet<usize>,
}

impl Rule for MissingOutput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        cx.warm(|| OutputCatalog::build(cx.ws))
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let catalog = cx.cached(|| OutputCatalog::build(cx.ws));
        let mut misses: BTreeMap<(&str, u32, u32, &str, &str), Miss> = BTreeMap::new();
        for e in cx.links.edges.iter().filter(|e| e.mechanism.has_outputs()) {
            let Some(Exposed::Known(outputs)) = catalog.stacks.get(e.to) else {
                continue;
            };
            for r in &e.reads {
                if outputs.contains_key(&r.name) || reads::guarded(cx.ws, e, r) {
                    continue;
                }
                let (path, start, end) = loc_key(cx.ws, r.loc);
                misses
                    .entry((path, start, end, r.name.as_str(), cx.stack_id(e.to)))
                    .or_insert_with(|| Miss {
                        edge: e,
                        read: r,
                        consumers: BTreeSet::new(),
                    })
                    .consumers
                    .insert(e.from);
            }
        }
        if misses.is_empty() {
            return;
        }
        let index = beside_index(cx, &catalog);
        for m in misses.values() {
            if let Some(Exposed::Known(outputs)) = catalog.stacks.get(m.edge.to) {
                let beside = declared_beside(cx, &index, m);
                out.push(finding(cx, m, outputs, beside));
            }
        }
    }
}

/// Stacks that declare an output, by (parent directory, output name).
type Beside = HashMap<(String, String), Vec<(usize, Loc)>>;

fn beside_index(cx: &Context, catalog: &OutputCatalog) -> Beside {
    let mut index: Beside = HashMap::new();
    for (i, s) in cx.ws.stacks.iter().enumerate() {
        if let Some(Exposed::Known(outputs)) = catalog.stacks.get(i) {
            let parent = paths::parent(&s.dir);
            for (name, loc) in outputs.iter() {
                index
                    .entry((parent.clone(), name.to_string()))
                    .or_default()
                    .push((i, loc));
            }
        }
    }
    index
}

/// The most stacks beside the provider that may declare the name for the hint to be
/// worth giving (with more, it would be a guess among many).
const BESIDE_AT_MOST: usize = 3;

/// A stack in the provider's folder (not the provider, not a consumer) that declares
/// the missing name: the reference may point at the wrong stack.
fn declared_beside(cx: &Context, index: &Beside, m: &Miss) -> Option<(usize, Loc)> {
    let provider = &cx.ws.stacks[m.edge.to];
    let key = (paths::parent(&provider.dir), m.read.name.clone());
    let candidates: Vec<&(usize, Loc)> = index
        .get(&key)?
        .iter()
        .filter(|(i, _)| *i != m.edge.to && !m.consumers.contains(i))
        .collect();
    if candidates.len() > BESIDE_AT_MOST {
        return None;
    }
    candidates
        .into_iter()
        .min_by_key(|(i, _)| {
            let id = cx.stack_id(*i);
            (crate::suggest::distance(id, &provider.id), id)
        })
        .copied()
}

fn list_outputs(outputs: &Outputs) -> String {
    if outputs.is_empty() {
        return "it declares no outputs at all".to_string();
    }
    let names: Vec<&str> = outputs.keys().collect();
    let shown = names.len().min(LIST_AT_MOST);
    let more = names.len() - shown;
    format!(
        "its {} output{}: {}{}",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names[..shown].join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

fn finding(cx: &Context, m: &Miss, outputs: &Outputs, beside: Option<(usize, Loc)>) -> Finding {
    let e = m.edge;
    let name = m.read.name.as_str();
    let provider = cx.stack_id(e.to);
    let consumers: Vec<&str> = m.consumers.iter().map(|c| cx.stack_id(*c)).collect();
    let (who, verb) = match consumers.as_slice() {
        [one] => (one.to_string(), "reads"),
        many => (many.join(", "), "read"),
    };
    let suggestion = crate::suggest::closest(name, outputs.keys());
    let mut message = format!(
        "{who} {verb} output `{name}` of {provider} through {}, but {provider} declares no \
         output `{name}`",
        e.mechanism.as_str()
    );
    if let Some(s) = suggestion {
        message.push_str(&format!(" (did you mean `{s}`?)"));
    }
    message.push_str(&format!("; {}", list_outputs(outputs)));
    if let Some((b, _)) = beside {
        message.push_str(&format!(
            ". {}, beside it, declares `{name}`: the reference may point at the wrong stack",
            cx.stack_id(b)
        ));
    }
    let consumer = m.consumers.first().copied().unwrap_or(e.from);
    let mock = if m.consumers.len() == 1 {
        reads::terragrunt_mock_fallback(cx.ws, e, m.read, !outputs.is_empty())
    } else {
        None
    };
    if let Some(v) = &mock {
        let why = if outputs.is_empty() {
            "With no outputs to read"
        } else {
            "With mocks merged into the real outputs"
        };
        let gets = match v {
            Some(v) => format!("`{name}` = {v}"),
            None => format!("the mock value of `{name}`"),
        };
        message.push_str(&format!(
            ". {why}, Terragrunt substitutes mock_outputs on every command, apply \
             included, so {who} silently gets {gets}"
        ));
    }
    let fix = match (suggestion, beside) {
        (Some(s), _) => format!(
            "read `{s}`, the output {provider} declares; if {provider} renamed `{name}` on \
             purpose, keep the old name as a second output until every consumer has moved"
        ),
        (None, Some((b, _))) => format!(
            "if `{name}` comes from {}, point the reference there; otherwise add \
             `output \"{name}\"` to {provider} and apply it first",
            cx.stack_id(b)
        ),
        (None, None) => format!(
            "read one of the outputs {provider} declares, or add `output \"{name}\"` to \
             {provider} and apply it before {who} {verb} it: outputs are the contract \
             between the stacks"
        ),
    };
    let help = match mock {
        Some(_) => fix,
        None => {
            format!("{who} fails to plan (\"Unsupported attribute\") until the names agree: {fix}")
        }
    };
    let mut f = Finding::new(&META, m.read.loc, message)
        .in_stack(consumer)
        .help(help);
    let declared = suggestion
        .and_then(|s| {
            outputs
                .get(s)
                .map(|l| (l, format!("{provider} declares `{s}` here")))
        })
        .or_else(|| {
            outputs
                .iter()
                .map(|(_, l)| l)
                .min_by(|a, b| loc_key(cx.ws, *a).cmp(&loc_key(cx.ws, *b)))
                .map(|l| (l, format!("{provider} declares its outputs from here")))
        })
        .or_else(|| {
            let s = &cx.ws.stacks[e.to];
            let code = s.code_dir.as_ref().and_then(|d| cx.ws.codes.get(d));
            code.and_then(|c| c.files.first())
                .and_then(|f| {
                    let b = cx.ws.file(*f).body.blocks.first()?;
                    Some(Loc {
                        file: *f,
                        span: b.head,
                    })
                })
                .or(s.anchor)
                .map(|l| (l, format!("the code of {provider} declares no outputs")))
        });
    if let Some((loc, msg)) = declared {
        f = f.related(loc, msg);
    }
    if let Some((b, loc)) = beside {
        f = f.related(loc, format!("{} declares `{name}` here", cx.stack_id(b)));
    }
    if e.loc != m.read.loc {
        f = f.related(
            e.loc,
            format!(
                "{} reaches {provider} through this {}",
                cx.stack_id(consumer),
                e.mechanism.as_str()
            ),
        );
    }
    f
}
