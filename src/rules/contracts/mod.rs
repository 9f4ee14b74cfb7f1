//! Contract rules: architecture rules declared in `.stacklint.hcl` (`layers`,
//! `contract` blocks, `allowed_mechanisms`), and the helpers they share.

pub mod disallowed_mechanism;
pub mod forbidden_dependency;
pub mod layer_violation;

use super::{Context, Finding, Rule, RuleMeta, Severity};
use crate::config::contracts::{config_file, GlobItem};
use crate::graph::StackGraph;
use crate::link::{loc_key, Edge};
use crate::source::{Loc, Span};

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(forbidden_dependency::ForbiddenDependency),
        Box::new(layer_violation::LayerViolation),
        Box::new(disallowed_mechanism::DisallowedMechanism),
    ]
}

/// A location in the configuration file, when it is part of the workspace.
pub(crate) fn config_loc(cx: &Context, span: Span) -> Option<Loc> {
    config_file(cx.ws).map(|file| Loc { file, span })
}

/// The edges between two stacks, first-declared first.
pub(crate) fn edges_of_pair<'a>(cx: &Context<'a>, from: usize, to: usize) -> Vec<&'a Edge> {
    let mut v: Vec<&Edge> = StackGraph::edges_between(cx.links, from, to).collect();
    v.sort_by(|a, b| loc_key(cx.ws, a.loc).cmp(&loc_key(cx.ws, b.loc)));
    v
}

/// A dependency between two stacks over one or more mechanisms.
pub(crate) struct Pair<'a> {
    pub from_id: &'a str,
    pub to_id: &'a str,
    pub edges: Vec<&'a Edge>,
}

impl<'a> Pair<'a> {
    pub fn new(cx: &Context<'a>, from: usize, to: usize, edges: Vec<&'a Edge>) -> Pair<'a> {
        Pair {
            from_id: cx.stack_id(from),
            to_id: cx.stack_id(to),
            edges,
        }
    }

    pub fn first(&self) -> Option<&'a Edge> {
        self.edges.first().copied()
    }

    /// `remote_state (reading vpc_id); terragrunt_order`.
    pub fn describe_edges(&self) -> String {
        let parts: Vec<String> = self
            .edges
            .iter()
            .map(|e| {
                let mut detail: Vec<String> = Vec::new();
                if !e.via.is_empty() {
                    detail.push(e.via.clone());
                }
                if !e.outputs.is_empty() {
                    let names: Vec<&str> = e.outputs.iter().map(String::as_str).collect();
                    detail.push(format!("reading {}", names.join(", ")));
                }
                if detail.is_empty() {
                    e.mechanism.as_str().to_string()
                } else {
                    format!("{} ({})", e.mechanism.as_str(), detail.join("; "))
                }
            })
            .collect();
        parts.join(" and ")
    }
}

/// A note-worthy piece of configuration that matches no stack: reported (as a
/// warning) at the glob in the config file, when that file is part of the workspace.
pub(crate) fn unmatched(
    cx: &Context,
    meta: &'static RuleMeta,
    glob: &GlobItem,
    message: String,
) -> Option<Finding> {
    if cx.ws.stacks.iter().any(|s| glob.matches(&s.id)) {
        return None;
    }
    let loc = config_loc(cx, glob.span)?;
    let mut f = Finding::new(meta, loc, message).help(
        "globs match stack ids, the stack directories relative to the scanned root (`stacklint \
         stacks` lists them); `*` stays within one directory level, `**` crosses levels, and \
         `dir/**` also matches `dir`. Fix the glob or remove it",
    );
    f.severity = Severity::Warning;
    Some(f)
}
