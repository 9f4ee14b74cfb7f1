//! The rule engine's vocabulary and the registry of rules.
//!
//! A rule is a small struct implementing [`Rule`]: it reads the model through a
//! [`Context`] and pushes [`Finding`]s with its default severity. Severity overrides,
//! suppressions and the baseline are applied centrally afterwards (`crate::check`).
//! Each rule lives in its own file under `src/rules/<category>/` with its documentation
//! in `rules/<id>.md`.

pub mod context;
pub mod contracts;
pub mod coupling;
pub mod input;
pub mod modules;
pub mod options;
pub mod replication;
pub mod scaling;
pub mod structure;
pub mod texts;

use crate::source::Loc;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

pub use context::Context;
pub use options::{OptDefault, OptKind, OptValue, OptionSpec, RuleOptions};

macro_rules! rule_ids {
    ($($variant:ident => $id:literal),* $(,)?) => {
        /// Every rule id stacklint knows. Strings appear only at the edges.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id),* }
            }

            pub fn parse(s: &str) -> Option<RuleId> {
                match s { $($id => Some(RuleId::$variant),)* _ => None }
            }
        }
    };
}

rule_ids! {
    ParseError => "parse-error",
    InvalidSuppression => "invalid-suppression",
    UnusedSuppression => "unused-suppression",
    MonolithicStack => "monolithic-stack",
    IndependentClusters => "independent-clusters",
    MultiServiceStack => "multi-service-stack",
    LopsidedSplit => "lopsided-split",
    MixedScaling => "mixed-scaling",
    MixedLifecycle => "mixed-lifecycle",
    ReplicatedSingleton => "replicated-singleton",
    StackCycle => "stack-cycle",
    MissingOutput => "missing-output",
    WideInterface => "wide-interface",
    FanOut => "fan-out",
    UnstableDependency => "unstable-dependency",
    DeepChain => "deep-chain",
    HardcodedReference => "hardcoded-reference",
    UnresolvedReference => "unresolved-reference",
    ForbiddenDependency => "forbidden-dependency",
    LayerViolation => "layer-violation",
    DisallowedMechanism => "disallowed-mechanism",
    CopyPasteStack => "copy-paste-stack",
    ManyHeadedStack => "many-headed-stack",
    WrapperDrift => "wrapper-drift",
    MutantStack => "mutant-stack",
    UnsharedModule => "unshared-module",
    AnemicModule => "anemic-module",
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Input,
    Structure,
    Scaling,
    Coupling,
    Contracts,
    Replication,
    Modules,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Structure => "structure",
            Category::Scaling => "scaling",
            Category::Coupling => "coupling",
            Category::Contracts => "contracts",
            Category::Replication => "replication",
            Category::Modules => "modules",
        }
    }
}

/// Finding severities, as SARIF levels. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A rule's fixed metadata, checked by tests (unique id, docs page, options documented).
#[derive(Debug)]
pub struct RuleMeta {
    pub id: RuleId,
    pub category: Category,
    pub default_severity: Severity,
    /// One line, shown by `stacklint rules`.
    pub summary: &'static str,
    pub options: &'static [OptionSpec],
}

/// What a rule's [`Rule::prepare`] did. Only [`Context::warm`] makes `Facts`, so a
/// prepare that warms a fact returns what `warm` gave it.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prepared {
    /// Nothing shared: the rule's check need not wait for the prepare step.
    Nothing,
    /// Shared facts warmed: the rule's check runs once every rule has prepared, so that
    /// each fact is computed once.
    Facts,
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Pushes findings with the rule's default severity; the engine applies the rest.
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
    /// Warms the shared facts (`Context::warm`) the rule reads. Called for every enabled
    /// rule, in parallel, before the rules that warmed facts run; each fact is computed
    /// once. A rule that warms nothing runs its check alongside the others' prepare.
    fn prepare(&self, _cx: &Context) -> Prepared {
        Prepared::Nothing
    }
}

/// A secondary location shown with a finding (the other stack, the other hop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub loc: Loc,
    pub message: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// The stack the finding is about (index into `Workspace::stacks`).
    pub stack: Option<usize>,
    pub loc: Loc,
    /// The evidence. Texts of findings are shared (see [`texts`]).
    pub message: Arc<str>,
    /// The fix: what to change, in stack-pattern terms.
    pub help: Option<Arc<str>>,
    pub related: Vec<Related>,
}

impl Finding {
    pub fn new(meta: &RuleMeta, loc: Loc, message: impl AsRef<str>) -> Finding {
        Finding {
            rule: meta.id,
            severity: meta.default_severity,
            stack: None,
            loc,
            message: texts::shared(message),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn in_stack(mut self, stack: usize) -> Finding {
        self.stack = Some(stack);
        self
    }

    pub fn help(mut self, help: impl AsRef<str>) -> Finding {
        self.help = Some(texts::shared(help));
        self
    }

    pub fn related(mut self, loc: Loc, message: impl AsRef<str>) -> Finding {
        // Room for one more at a time while the list is short: a finding keeps its list
        // to the end of the run, and doubling left deep-chain's twenty hops in room for 32.
        if self.related.len() < EXACT_RELATED {
            self.related.reserve_exact(1);
        }
        self.related.push(Related {
            loc,
            message: texts::shared(message),
        });
        self
    }
}

/// Related locations a finding's list grows by one at a time (see [`Finding::related`]).
const EXACT_RELATED: usize = 32;

/// Every rule, in catalogue order. Plain lists: adding a rule is one line in its
/// category's `rules()`.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut v = input::rules();
    v.extend(structure::rules());
    v.extend(scaling::rules());
    v.extend(coupling::rules());
    v.extend(contracts::rules());
    v.extend(replication::rules());
    v.extend(modules::rules());
    v
}

/// Metadata of rules the engine itself reports (suppressions), which have no `check`.
pub const ENGINE_RULES: &[&RuleMeta] = &[&input::INVALID_SUPPRESSION, &input::UNUSED_SUPPRESSION];

/// Metadata of every rule, engine rules included, sorted by id.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = all().iter().map(|r| r.meta()).collect();
    v.extend(ENGINE_RULES.iter().copied());
    v.sort_by_key(|m| m.id.as_str());
    v
}

/// The rule's metadata; a table built once, since the engine asks for every finding.
pub fn meta_of(id: RuleId) -> Option<&'static RuleMeta> {
    static BY_ID: std::sync::OnceLock<Vec<Option<&'static RuleMeta>>> = std::sync::OnceLock::new();
    let table = BY_ID.get_or_init(|| {
        let metas = all_meta();
        RuleId::ALL
            .iter()
            .map(|id| metas.iter().copied().find(|m| m.id == *id))
            .collect()
    });
    // Variants are declared in `ALL`'s order, so the discriminant is the index.
    table.get(id as usize).copied().flatten()
}

/// The rule's documentation page (`rules/<id>.md`), embedded at build time.
pub fn doc(id: RuleId) -> Option<&'static str> {
    docs::DOCS
        .iter()
        .find(|(i, _)| *i == id.as_str())
        .map(|(_, d)| *d)
}

mod docs {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}
