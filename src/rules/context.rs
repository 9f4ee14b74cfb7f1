//! What a rule sees: the model, the links, the graph and the configuration, plus a
//! cache for derived facts several rules share (classification, similarity), computed
//! once per run by whichever rule asks first, and let go once the last rule that
//! declared it has read it.

use super::{Finding, Prepared, RuleMeta, RuleOptions};
use crate::config::Config;
use crate::graph::StackGraph;
use crate::link::Links;
use crate::model::{Stack, Workspace};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

type Value = Arc<dyn Any + Send + Sync>;

/// The cache's hold on a fact: the fact itself until its last declared reader takes it,
/// then a weak reference, so that a reader that comes later (one that did not declare
/// it, or a declared one overtaken by the last) shares it while it is still in use.
#[derive(Default)]
struct Held {
    value: Option<Value>,
    taken: Option<Weak<dyn Any + Send + Sync>>,
}

impl Held {
    fn get(&self) -> Option<Value> {
        self.value
            .clone()
            .or_else(|| self.taken.as_ref().and_then(Weak::upgrade))
    }

    fn take(&mut self) -> Option<Value> {
        let value = self.value.take().or_else(|| self.get())?;
        self.taken = Some(Arc::downgrade(&value));
        Some(value)
    }
}

/// One shared fact: claimed by the first rule that warms it, then filled.
#[derive(Default)]
struct Fact {
    claimed: AtomicBool,
    held: Mutex<Held>,
    /// Rules that declared the fact (each `warm` call), and reads so far (`cached`).
    /// The read that makes them equal hands the fact over instead of sharing it, so it
    /// is freed when that rule (and any earlier reader still running) is done with it:
    /// on 10,000 stacks the facts are tens of MiB, and findings keep growing after them.
    declared: AtomicUsize,
    reads: AtomicUsize,
}

impl Fact {
    fn held(&self) -> MutexGuard<'_, Held> {
        match self.held.lock() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
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
    pub fn options(&self, rule: &'static RuleMeta, stack: usize) -> Arc<RuleOptions> {
        self.config.options(rule, &self.ws.stacks[stack].dir)
    }

    /// Options of `rule` for tree-wide checks (overrides for `.` apply).
    pub fn tree_options(&self, rule: &'static RuleMeta) -> Arc<RuleOptions> {
        self.config.options(rule, ".")
    }

    pub fn stack_id(&self, stack: usize) -> &'a str {
        &self.ws.stacks[stack].id
    }

    /// Runs `check` on every stack in parallel and appends the findings in stack order.
    /// A rule's loop over 10,000 stacks takes tens of milliseconds: run serially, the
    /// rule that happened to run last kept one core busy while the other waited.
    pub fn each_stack<F>(&self, out: &mut Vec<Finding>, check: F)
    where
        F: Fn(usize, &'a Stack, &mut Vec<Finding>) + Sync,
    {
        let stacks: &'a [Stack] = &self.ws.stacks;
        let found: Vec<Vec<Finding>> = stacks
            .par_iter()
            .with_max_len(crate::pipeline::PAR_CHUNK)
            .enumerate()
            .map(|(i, stack)| {
                let mut found = Vec::new();
                check(i, stack, &mut found);
                found
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }

    fn slot<T: 'static>(&self) -> Slot {
        let mut map = match self.cache.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(TypeId::of::<T>()).or_default().clone()
    }

    /// Computes the shared fact of type `T` unless another rule already claimed it, and
    /// counts the calling rule as one of its readers: a rule that warms a fact must read
    /// it once with [`Context::cached`]. The engine calls every rule's `prepare` (which
    /// warms what the rule reads) in parallel before the rules run, so each fact is
    /// computed once and independent facts are computed side by side. Never waits for a
    /// claimed fact.
    pub fn warm<T: Send + Sync + 'static>(&self, compute: impl FnOnce() -> T) -> Prepared {
        let slot = self.slot::<T>();
        slot.declared.fetch_add(1, Ordering::AcqRel);
        if !slot.claimed.swap(true, Ordering::AcqRel) {
            let fresh: Value = Arc::new(compute());
            slot.held().value.get_or_insert(fresh);
        }
        Prepared::Facts
    }

    /// A derived fact of type `T`: the one warmed in the prepare step, or (for a rule
    /// that did not declare it, or after its last declared reader took it) computed
    /// here. A rule that gets here while the fact is still being computed computes it
    /// itself rather than wait: waiting inside a rayon job for work that another job (or
    /// a job stolen onto this very thread) must finish deadlocks.
    pub fn cached<T: Send + Sync + 'static>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let slot = self.slot::<T>();
        let read = slot.reads.fetch_add(1, Ordering::AcqRel) + 1;
        let last = read == slot.declared.load(Ordering::Acquire);
        let held = {
            let mut held = slot.held();
            if last {
                held.take()
            } else {
                held.get()
            }
        };
        let value = match held {
            Some(v) => v,
            None => {
                slot.claimed.store(true, Ordering::Release);
                let fresh: Value = Arc::new(compute());
                if last {
                    fresh
                } else {
                    // Another rule may have finished first; either value is the same fact.
                    slot.held().value.get_or_insert(fresh).clone()
                }
            }
        };
        // Slots are keyed by the type they hold, so the downcast cannot fail.
        match value.downcast::<T>() {
            Ok(v) => v,
            Err(_) => unreachable!("context cache slot holds another type"),
        }
    }

    /// Shared facts declared or read so far (test support).
    #[cfg(test)]
    fn facts_touched(&self) -> usize {
        match self.cache.lock() {
            Ok(m) => m.len(),
            Err(poisoned) => poisoned.into_inner().len(),
        }
    }

    /// Is the fact of type `T` held by the cache (test support)?
    #[cfg(test)]
    fn holds<T: 'static>(&self) -> bool {
        self.slot::<T>().held().value.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyze_in_memory;
    use std::sync::atomic::AtomicUsize;

    struct Fact(usize);

    /// Runs `test` with the context of an empty tree and the default configuration.
    fn with_context(test: impl FnOnce(&Context)) {
        let a = analyze_in_memory(std::path::Path::new("/t"), Vec::new());
        let config = Config::default();
        test(&Context::new(&a.ws, &a.links, &a.graph, &config));
    }

    /// The engine runs the check of a rule whose prepare warmed nothing while other
    /// rules still warm theirs (`check::run_rules`). Such a check must read no shared
    /// fact, or it would compute its own copy; a prepare that warms one says so.
    #[test]
    fn rules_that_warm_nothing_read_no_shared_fact() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/monorepo");
        let opts = crate::pipeline::ScanOptions {
            root,
            ..Default::default()
        };
        let a = crate::pipeline::analyze(&opts).expect("the shipped example tree analyses");
        assert!(a.ws.stacks.len() > 5, "the example tree has stacks");
        let config = Config::default();
        let (mut warming, mut plain) = (0, 0);
        for rule in crate::rules::all().iter() {
            let id = rule.meta().id;
            let cx = Context::new(&a.ws, &a.links, &a.graph, &config);
            match rule.prepare(&cx) {
                Prepared::Facts => {
                    warming += 1;
                    assert!(cx.facts_touched() > 0, "{id} says it warmed a fact");
                }
                Prepared::Nothing => {
                    plain += 1;
                    assert_eq!(cx.facts_touched(), 0, "{id} warmed a fact and said not");
                    rule.check(&cx, &mut Vec::new());
                    assert_eq!(cx.facts_touched(), 0, "{id} reads a fact it does not warm");
                }
            }
        }
        // Both kinds exist, so the test exercises both arms.
        assert!(warming > 5 && plain > 5, "{warming} warming, {plain} plain");
    }

    #[test]
    fn each_stack_appends_findings_in_stack_order_whatever_the_threads() {
        // 100 stacks: more than one parallel piece, so pieces finish out of order.
        let files: Vec<(String, Vec<u8>)> = (0..100)
            .map(|i| {
                let tf = format!(
                    "terraform {{\n  backend \"s3\" {{\n    bucket = \"tfstate\"\n    key = \"s{i:03}.tfstate\"\n  }}\n}}\n"
                );
                (format!("stacks/s{i:03}/main.tf"), tf.into_bytes())
            })
            .collect();
        let a = analyze_in_memory(std::path::Path::new("/t"), files);
        assert_eq!(a.ws.stacks.len(), 100);
        let config = Config::default();
        let cx = Context::new(&a.ws, &a.links, &a.graph, &config);
        let meta = &crate::rules::input::INVALID_SUPPRESSION;
        let at = crate::source::Loc {
            file: crate::source::FileId(0),
            span: Default::default(),
        };
        let mut out = vec![Finding::new(meta, at, "already there")];
        cx.each_stack(&mut out, |i, stack, out| {
            // Uneven work: every third stack has two findings, the others none or one.
            for k in 0..(i % 3) {
                out.push(Finding::new(meta, at, format!("{} {k}", stack.id)).in_stack(i));
            }
        });
        let mut want = vec!["already there".to_string()];
        for (i, s) in a.ws.stacks.iter().enumerate() {
            want.extend((0..(i % 3)).map(|k| format!("{} {k}", s.id)));
        }
        let got: Vec<&str> = out.iter().map(|f| &*f.message).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_warmed_fact_is_computed_once_and_then_read() {
        with_context(|cx| {
            let runs = AtomicUsize::new(0);
            let compute = || Fact(runs.fetch_add(1, Ordering::SeqCst) + 41);
            // Many rules warming the same fact at once: one computes, the others return.
            (0..64).into_par_iter().for_each(|_| {
                let _ = cx.warm(compute);
            });
            assert_eq!(runs.load(Ordering::SeqCst), 1);
            assert_eq!(cx.cached(compute).0, 41);
            assert_eq!(runs.load(Ordering::SeqCst), 1);
        });
    }

    /// Sets its flag when dropped.
    struct Watched(Arc<AtomicBool>);

    impl Drop for Watched {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_fact_is_freed_once_every_rule_that_declared_it_is_done() {
        with_context(|cx| {
            let dropped = Arc::new(AtomicBool::new(false));
            let compute = || Watched(dropped.clone());
            // Two rules declare the fact; it is computed once.
            let _ = cx.warm(compute);
            let _ = cx.warm(compute);
            let first = cx.cached(compute);
            assert!(
                cx.holds::<Watched>(),
                "one declared reader is still to come"
            );
            let last = cx.cached(compute);
            assert!(Arc::ptr_eq(&first, &last), "both readers share one value");
            assert!(
                !cx.holds::<Watched>(),
                "the last declared reader takes the fact"
            );
            drop(first);
            assert!(
                !dropped.load(Ordering::SeqCst),
                "the last reader still uses it"
            );
            drop(last);
            assert!(dropped.load(Ordering::SeqCst), "freed when both are done");
        });
    }

    #[test]
    fn a_reader_after_the_last_declared_one_shares_the_fact_while_it_is_in_use() {
        with_context(|cx| {
            let runs = AtomicUsize::new(0);
            let compute = || Fact(runs.fetch_add(1, Ordering::SeqCst));
            let _ = cx.warm(compute);
            let declared = cx.cached(compute);
            assert!(!cx.holds::<Fact>(), "the only declared reader took it");
            // Read while the declared reader still holds it (as when a declared reader is
            // overtaken by the last one): the same value, not a second computation.
            let late = cx.cached(compute);
            assert!(Arc::ptr_eq(&declared, &late));
            assert_eq!(runs.load(Ordering::SeqCst), 1);
        });
    }

    #[test]
    fn a_reader_after_the_last_declared_one_computes_the_fact_again() {
        with_context(|cx| {
            let runs = AtomicUsize::new(0);
            let compute = || Fact(runs.fetch_add(1, Ordering::SeqCst));
            let _ = cx.warm(compute);
            assert_eq!(cx.cached(compute).0, 0);
            // An undeclared reader still gets the fact (computed afresh), never nothing.
            assert_eq!(cx.cached(compute).0, 1);
            assert_eq!(cx.cached(compute).0, 1, "and shares it with later ones");
        });
    }

    #[test]
    fn a_fact_nobody_warmed_is_computed_on_first_read() {
        with_context(|cx| {
            assert_eq!(cx.cached(|| Fact(7)).0, 7);
            // Later reads share the first value; a later warm does not recompute it.
            let _ = cx.warm(|| Fact(8));
            assert_eq!(cx.cached(|| Fact(9)).0, 7);
        });
    }
}
