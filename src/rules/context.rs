//! What a rule sees: the model, the links, the graph and the configuration, plus a
//! cache for derived facts several rules share (classification, similarity), computed
//! once per run by whichever rule asks first.

use super::{RuleMeta, RuleOptions};
use crate::config::Config;
use crate::graph::StackGraph;
use crate::link::Links;
use crate::model::Workspace;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

type Slot = Arc<OnceLock<Arc<dyn Any + Send + Sync>>>;

pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub links: &'a Links,
    pub graph: &'a StackGraph,
    pub config: &'a Config,
    cache: Mutex<HashMap<TypeId, Slot>>,
}

impl<'a> Context<'a> {
    pub fn new(
        ws: &'a Workspace,
        links: &'a Links,
        graph: &'a StackGraph,
        config: &'a Config,
    ) -> Self {
        Context {
            ws,
            links,
            graph,
            config,
            cache: Mutex::new(HashMap::new()),
        }
    }

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

    /// A derived fact of type `T`, computed by `compute` the first time any rule asks
    /// (other rules asking meanwhile wait for it) and shared afterwards.
    pub fn cached<T: Send + Sync + 'static>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let slot: Slot = {
            let mut map = match self.cache.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            map.entry(TypeId::of::<T>()).or_default().clone()
        };
        let value = slot.get_or_init(|| Arc::new(compute()) as Arc<dyn Any + Send + Sync>);
        // Slots are keyed by the type they hold, so the downcast cannot fail.
        match value.clone().downcast::<T>() {
            Ok(v) => v,
            Err(_) => unreachable!("context cache slot holds another type"),
        }
    }
}
