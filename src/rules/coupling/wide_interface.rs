//! `wide-interface`: a consumer reads more than `max_outputs` distinct outputs of one
//! provider stack (over every mechanism that carries outputs).

use crate::facts::exposed::{Exposed, OutputCatalog};
use crate::link::{loc_key, Edge};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};
use std::collections::{BTreeMap, BTreeSet};

pub struct WideInterface;

static META: RuleMeta = RuleMeta {
    id: RuleId::WideInterface,
    category: Category::Coupling,
    default_severity: Severity::Warning,
    summary: "a consumer reads more than 10 distinct outputs of one provider",
    options: &[OptionSpec {
        name: "max_outputs",
        default: OptDefault::Int(10),
        doc: "most distinct outputs one consumer may read from one provider stack",
    }],
};

impl Rule for WideInterface {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        cx.warm(|| OutputCatalog::build(cx.ws))
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let mut pairs: BTreeMap<(usize, usize), Vec<&Edge>> = BTreeMap::new();
        for e in cx.links.edges.iter().filter(|e| !e.outputs.is_empty()) {
            pairs.entry((e.from, e.to)).or_default().push(e);
        }
        let catalog = cx.cached(|| OutputCatalog::build(cx.ws));
        for ((from, to), edges) in &pairs {
            let max = cx.options(&META, *from).int("max_outputs");
            let read: BTreeSet<&str> = edges
                .iter()
                .flat_map(|e| e.outputs.iter().map(String::as_str))
                .collect();
            if i64::try_from(read.len()).unwrap_or(i64::MAX) <= max {
                continue;
            }
            out.extend(finding(
                cx,
                *from,
                *to,
                edges,
                &read,
                max,
                catalog.stacks.get(*to),
            ));
        }
    }
}

fn finding(
    cx: &Context,
    from: usize,
    to: usize,
    edges: &[&Edge],
    read: &BTreeSet<&str>,
    max: i64,
    exposed: Option<&Exposed>,
) -> Option<Finding> {
    let first = edges
        .iter()
        .min_by(|a, b| loc_key(cx.ws, a.loc).cmp(&loc_key(cx.ws, b.loc)))?;
    let (consumer, provider) = (cx.stack_id(from), cx.stack_id(to));
    let names: Vec<&str> = read.iter().copied().collect();
    let share = match exposed {
        Some(Exposed::Known(all)) if !all.is_empty() => {
            format!(" of the {} it declares", all.len())
        }
        _ => String::new(),
    };
    let message = format!(
        "{consumer} reads {} distinct outputs of {provider}{share} (limit {max}): {}",
        read.len(),
        names.join(", ")
    );
    let mut f = Finding::new(&META, first.loc, message)
        .in_stack(from)
        .help(format!(
            "every output read is a name and a shape both stacks must keep in step; a consumer \
             that needs {} of them is entangled with how {provider} is built (or the two change \
             together and belong in one stack). Narrow the integration point: have {provider} \
             publish one structured output (an object holding what consumers need) or a few \
             registry entries, or move the resources that need all of it into {provider}",
            read.len()
        ));
    for e in edges {
        let n = e.outputs.len();
        f = f.related(
            e.loc,
            format!(
                "{consumer} reads {n} output{} of {provider} through {}",
                if n == 1 { "" } else { "s" },
                e.mechanism.as_str()
            ),
        );
    }
    Some(f)
}
