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

    /// A derived fact of type `T`, computed the first time a rule asks and shared
    /// afterwards. The engine asks for every shared fact in a sequential prepare step
    /// (`Rule::prepare`) before rules run in parallel. A rule that gets here first
    /// computes the fact itself rather than wait: waiting inside a rayon job for work
    /// that another job (or a job stolen onto this very thread) must finish deadlocks.
    pub fn cached<T: Send + Sync + 'static>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let slot: Slot = {
            let mut map = match self.cache.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            map.entry(TypeId::of::<T>()).or_default().clone()
        };
        let value = match slot.get() {
            Some(v) => v.clone(),
            None => {
                let fresh: Arc<dyn Any + Send + Sync> = Arc::new(compute());
                // Another rule may have finished first; either value is the same fact.
                let _ = slot.set(fresh.clone());
                slot.get().cloned().unwrap_or(fresh)
            }
        };
        // Slots are keyed by the type they hold, so the downcast cannot fail.
        match value.downcast::<T>() {
            Ok(v) => v,
            Err(_) => unreachable!("context cache slot holds another type"),
        }
    }
}
