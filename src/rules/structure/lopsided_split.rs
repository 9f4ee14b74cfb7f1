//! `lopsided-split`: the tree is cut into 3+ stacks, but one of them holds more than
//! `max_share` of all resources: the split left a monolith with satellites. Only stacks
//! whose code is in the tree count (a Terragrunt unit of a remote module has an unknown
//! size).

use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};

pub struct LopsidedSplit;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::LopsidedSplit,
    category: Category::Structure,
    default_severity: Severity::Note,
    summary: "3+ stacks, and the largest holds more than 60% of all resources",
    options: &[
        OptionSpec {
            name: "max_share",
            default: OptDefault::Float(0.6),
            doc: "largest share of all resources one stack may hold (0 to 1)",
        },
        OptionSpec {
            name: "min_stacks",
            default: OptDefault::Int(3),
            doc: "stacks of known size the tree needs before the share is judged",
        },
        OptionSpec {
            name: "min_resources",
            default: OptDefault::Int(30),
            doc: "resources the tree needs before the share is judged",
        },
    ],
};

impl Rule for LopsidedSplit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let opts = cx.tree_options(&META);
        let mut sized: Vec<(usize, usize)> = cx
            .ws
            .stacks
            .iter()
            .enumerate()
            .filter(|(_, s)| s.code_dir.is_some())
            .map(|(i, s)| (i, s.resources.len()))
            .collect();
        let total: usize = sized.iter().map(|(_, n)| n).sum();
        let min_stacks = opts.int("min_stacks").max(2) as usize;
        if sized.len() < min_stacks || total == 0 || (total as i64) < opts.int("min_resources") {
            return;
        }
        // Largest first; ties by stack id (stacks are sorted by id).
        sized.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let (big, n) = sized[0];
        let share = n as f64 / total as f64;
        let max_share = opts.float("max_share");
        if share <= max_share {
            return;
        }
        let stack = &cx.ws.stacks[big];
        let next: Vec<String> = sized[1..]
            .iter()
            .take(3)
            .map(|(i, n)| format!("{} ({n})", cx.stack_id(*i)))
            .collect();
        let unknown = cx.ws.stacks.len() - sized.len();
        let mut message = format!(
            "{} holds {n} of the {total} resources in this tree ({:.0}%, more than max_share = \
             {:.0}%), across {} stacks of known size; the next largest: {}",
            stack.id,
            share * 100.0,
            max_share * 100.0,
            sized.len(),
            next.join(", ")
        );
        if unknown > 0 {
            message.push_str(&format!(
                " ({unknown} more stacks deploy remote code of unknown size)"
            ));
        }
        let help = "the tree is split into stacks in name only: one monolith with small \
                    satellites. Split the large stack further along its seams (see \
                    monolithic-stack and independent-clusters) so that no single plan holds \
                    most of the estate; the satellites show the cut already works";
        let Some(loc) = crate::profile::describe::stack_loc(cx.ws, stack) else {
            return;
        };
        let mut f = Finding::new(&META, loc, message).in_stack(big).help(help);
        for (i, n) in sized[1..].iter().take(3) {
            if let Some(a) = cx.ws.stacks[*i].anchor {
                f = f.related(a, format!("{} holds {n}", cx.stack_id(*i)));
            }
        }
        out.push(f);
    }
}
