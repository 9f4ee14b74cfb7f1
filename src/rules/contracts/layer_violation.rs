//! `layer-violation`: a stack in a lower configured layer depends on a stack in a
//! higher one. Layers come from `layers = [...]` in `.stacklint.hcl`, lowest first; a
//! layer glob that matches no stack is reported too (the config matched nothing).

use super::{config_loc, edges_of_pair, unmatched, Pair};
use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};

pub struct LayerViolation;

static META: RuleMeta = RuleMeta {
    id: RuleId::LayerViolation,
    category: Category::Contracts,
    default_severity: Severity::Error,
    summary: "a stack in a lower configured layer depends on a higher one",
    options: &[],
};

impl Rule for LayerViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let layers = &cx.config.contracts.layers;
        if layers.is_empty() {
            return;
        }
        let n = layers.len();
        let layer_of: Vec<Option<usize>> = cx
            .ws
            .stacks
            .iter()
            .map(|s| cx.config.contracts.layer_of(&s.id))
            .collect();
        for (a, providers) in cx.graph.depends_on.iter().enumerate() {
            let Some(la) = layer_of[a] else { continue };
            for &b in providers {
                let Some(lb) = layer_of[b] else { continue };
                if la >= lb {
                    continue;
                }
                let pair = Pair::new(cx, a, b, edges_of_pair(cx, a, b));
                let Some(first) = pair.first() else { continue };
                let (ga, gb) = (&layers[la].globs, &layers[lb].globs);
                let mut f = Finding::new(
                    &META,
                    first.loc,
                    format!(
                        "{} (layer {} of {n}: {}) depends on {} (layer {} of {n}: {}) through {}: \
                         a lower layer must not depend on a higher one",
                        pair.from_id,
                        la + 1,
                        ga.describe(),
                        pair.to_id,
                        lb + 1,
                        gb.describe(),
                        pair.describe_edges(),
                    ),
                )
                .in_stack(a)
                .help(format!(
                    "layers are built bottom-up: layer {} must be appliable before anything in \
                     layer {} exists. Move what {} needs from {} down into layer {} or lower, or \
                     turn the dependency around so that {} reads it from {}",
                    la + 1,
                    lb + 1,
                    pair.from_id,
                    pair.to_id,
                    la + 1,
                    pair.to_id,
                    pair.from_id,
                ));
                for e in pair.edges.iter().skip(1) {
                    f = f.related(e.loc, format!("also through {}", e.mechanism.as_str()));
                }
                for (l, what) in [(la, "lower"), (lb, "higher")] {
                    if let Some(loc) = config_loc(cx, layers[l].globs.span) {
                        f = f.related(loc, format!("the {what} layer, layer {}", l + 1));
                    }
                }
                out.push(f);
            }
        }
        for (i, layer) in layers.iter().enumerate() {
            for g in &layer.globs.items {
                out.extend(unmatched(
                    cx,
                    &META,
                    g,
                    format!(
                        "layer {} glob {:?} matches no stack, so the layer constrains nothing",
                        i + 1,
                        g.pattern
                    ),
                ));
            }
        }
    }
}
