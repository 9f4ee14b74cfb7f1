//! What a rule sees: the model, the links, the graph and the configuration, plus a
//! cache for derived facts several rules share (classification, similarity), computed
//! once per run by whichever rule asks first.

use super::{RuleMeta, RuleOptions};
use crate::config::Config;
use crate::graph::StackGraph;
use crate::link::Links;
use crate::model::Workspace;
use foldhash::{HashMap, HashMapExt};
use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// One shared fact: claimed by the first rule that warms it, then filled.
#[derive(Default)]
struct Fact {
    claimed: AtomicBool,
    value: OnceLock<Arc<dyn Any + Send + Sync>>,
}

type Slot = Arc<Fact>;

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

    fn slot<T: 'static>(&self) -> Slot {
        let mut map = match self.cache.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(TypeId::of::<T>()).or_default().clone()
    }

    /// Computes the shared fact of type `T` unless another rule already claimed it.
    /// The engine calls every rule's `prepare` (which warms what the rule reads) in
    /// parallel before the rules run, so each fact is computed once and independent
    /// facts are computed side by side. Never waits for a claimed fact.
    pub fn warm<T: Send + Sync + 'static>(&self, compute: impl FnOnce() -> T) {
        let slot = self.slot::<T>();
        if !slot.claimed.swap(true, Ordering::AcqRel) {
            let _ = slot.value.set(Arc::new(compute()));
        }
    }

    /// A derived fact of type `T`: the one warmed in the prepare step, or (for a rule
    /// that did not declare it) computed here. A rule that gets here while the fact is
    /// still being computed computes it itself rather than wait: waiting inside a rayon
    /// job for work that another job (or a job stolen onto this very thread) must
    /// finish deadlocks.
    pub fn cached<T: Send + Sync + 'static>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let slot = self.slot::<T>();
        let value = match slot.value.get() {
            Some(v) => v.clone(),
            None => {
                slot.claimed.store(true, Ordering::Release);
                let fresh: Arc<dyn Any + Send + Sync> = Arc::new(compute());
                // Another rule may have finished first; either value is the same fact.
                let _ = slot.value.set(fresh.clone());
                slot.value.get().cloned().unwrap_or(fresh)
            }
        };
        // Slots are keyed by the type they hold, so the downcast cannot fail.
        match value.downcast::<T>() {
            Ok(v) => v,
            Err(_) => unreachable!("context cache slot holds another type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyze_in_memory;
    use rayon::prelude::*;
    use std::sync::atomic::AtomicUsize;

    struct Fact(usize);

    #[test]
    fn a_warmed_fact_is_computed_once_and_then_read() {
        let a = analyze_in_memory(std::path::Path::new("/t"), Vec::new());
        let config = Config::default();
        let cx = Context::new(&a.ws, &a.links, &a.graph, &config);
        let runs = AtomicUsize::new(0);
        let compute = || Fact(runs.fetch_add(1, Ordering::SeqCst) + 41);
        // Many rules warming the same fact at once: one computes, the others return.
        (0..64).into_par_iter().for_each(|_| cx.warm(compute));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(cx.cached(compute).0, 41);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_fact_nobody_warmed_is_computed_on_first_read() {
        let a = analyze_in_memory(std::path::Path::new("/t"), Vec::new());
        let config = Config::default();
        let cx = Context::new(&a.ws, &a.links, &a.graph, &config);
        assert_eq!(cx.cached(|| Fact(7)).0, 7);
        // Later reads share the first value; a later warm does not recompute it.
        cx.warm(|| Fact(8));
        assert_eq!(cx.cached(|| Fact(9)).0, 7);
    }
}
