//! What a rule sees: the model, the links, the graph and the configuration.

use super::{RuleMeta, RuleOptions};
use crate::config::Config;
use crate::graph::StackGraph;
use crate::link::Links;
use crate::model::Workspace;

pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub links: &'a Links,
    pub graph: &'a StackGraph,
    pub config: &'a Config,
}

impl<'a> Context<'a> {
    /// Options of `rule` for one stack (overrides match the stack's directory).
    pub fn options(&self, rule: &'static RuleMeta, stack: usize) -> RuleOptions {
        self.config.options(rule, &self.ws.stacks[stack].dir)
    }

    /// Options of `rule` for tree-wide checks (overrides for `.` apply).
    pub fn tree_options(&self, rule: &'static RuleMeta) -> RuleOptions {
        self.config.options(rule, ".")
    }

    pub fn stack_id(&self, stack: usize) -> &'a str {
        &self.ws.stacks[stack].id
    }
}
