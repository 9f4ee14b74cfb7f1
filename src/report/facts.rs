//! Architecture facts the report shows, taken from the parts of stacklint that own them:
//! the resource taxonomy and stack profiles (`crate::profile`: domains, pattern
//! classification, independent groups) and code similarity (`crate::similarity`:
//! copy-paste groups). This module only adapts them to the report's rows.

use crate::config::Config;
use crate::model::Workspace;
use crate::profile::{Facts, StackProfile};
use crate::rules::{self, RuleId};
use serde::Serialize;

/// Where each fact comes from, shown in the report's footnotes and JSON.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "domains",
        "the resource taxonomy (rules/taxonomy.hcl plus the taxonomy block of .stacklint.hcl)",
    ),
    (
        "patterns",
        "stacklint's stack pattern classification (README: Stack patterns), from resource \
         counts, service domains, service tags and modules, and the dependency graph",
    ),
    (
        "clusters",
        "groups of a stack's resources that never reference each other (the \
         independent-clusters rule's reference graph)",
    ),
    (
        "copy_paste_groups",
        "stacks whose normalised code fingerprints are at least min_similarity alike \
         (the copy-paste-stack rule's similarity, thin wrappers excluded)",
    ),
];

/// A stack pattern from the catalogue (PATTERNS.md), in display priority order: a
/// stack's colour in the graph is its first pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    Monolithic,
    MultiService,
    CrossStackService,
    SharedInfrastructure,
    SingleService,
    Micro,
    SharedNothing,
}

impl Pattern {
    pub const ALL: [Pattern; 7] = [
        Pattern::Monolithic,
        Pattern::MultiService,
        Pattern::CrossStackService,
        Pattern::SharedInfrastructure,
        Pattern::SingleService,
        Pattern::Micro,
        Pattern::SharedNothing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::Monolithic => "monolithic",
            Pattern::MultiService => "multi-service",
            Pattern::CrossStackService => "cross-stack-service",
            Pattern::SharedInfrastructure => "shared-infrastructure",
            Pattern::SingleService => "single-service",
            Pattern::Micro => "micro",
            Pattern::SharedNothing => "shared-nothing",
        }
    }

    /// One line for the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Pattern::Monolithic => "holds too much: many resources or many concerns",
            Pattern::MultiService => "several applications in one stack",
            Pattern::CrossStackService => "one application split across stacks",
            Pattern::SharedInfrastructure => "a provider used by several consumers",
            Pattern::SingleService => "one application's infrastructure",
            Pattern::Micro => "small and focused",
            Pattern::SharedNothing => "depends on no other stack",
        }
    }
}

impl Pattern {
    pub fn from_name(name: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// A group this size or larger is a split candidate (`independent-clusters` default).
pub const CLUSTER_MIN: usize = 5;

/// Resources of one domain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DomainCount {
    pub domain: String,
    pub resources: usize,
}

/// A group of a stack's resources that reference each other but nothing outside the
/// group.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    pub resources: usize,
    /// Resource addresses, sorted; at most [`CLUSTER_SAMPLE`].
    pub sample: Vec<String>,
    /// Resources per domain, largest first.
    pub domains: Vec<DomainCount>,
}

pub const CLUSTER_SAMPLE: usize = 6;

fn domain_counts<'a>(m: impl Iterator<Item = (&'a str, usize)>) -> Vec<DomainCount> {
    let mut v: Vec<DomainCount> = m
        .map(|(d, n)| DomainCount {
            domain: d.to_string(),
            resources: n,
        })
        .collect();
    v.sort_by(|a, b| {
        b.resources
            .cmp(&a.resources)
            .then_with(|| a.domain.cmp(&b.domain))
    });
    v
}

/// Resources per domain of one stack, largest first.
pub fn domains(p: Option<&StackProfile>) -> Vec<DomainCount> {
    match p {
        Some(p) => domain_counts(p.domains.iter().map(|(d, n)| (d.as_str(), *n))),
        None => Vec::new(),
    }
}

/// The stack's catalogue patterns, in display priority order (the first colours it).
pub fn patterns(facts: &Facts, stack: usize) -> Vec<Pattern> {
    let mut v: Vec<Pattern> = facts
        .patterns
        .get(stack)
        .into_iter()
        .flatten()
        .filter_map(|p| Pattern::from_name(p.as_str()))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Independent groups of a stack's resources, largest first.
pub fn clusters(ws: &Workspace, stack: usize, p: Option<&StackProfile>) -> Vec<Cluster> {
    let Some(p) = p else { return Vec::new() };
    let s = &ws.stacks[stack];
    let mut out: Vec<Cluster> = p
        .groups
        .iter()
        .map(|g| {
            let mut sample: Vec<String> = g
                .resources
                .iter()
                .filter_map(|r| s.resources.get(*r).map(|x| x.address(false)))
                .chain(g.remote_modules.iter().cloned())
                .collect();
            sample.sort();
            sample.truncate(CLUSTER_SAMPLE);
            Cluster {
                resources: g.size(),
                sample,
                domains: domain_counts(g.domains(&p.classes).iter().map(|(d, n)| (d.as_str(), *n))),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.resources
            .cmp(&a.resources)
            .then_with(|| a.sample.cmp(&b.sample))
    });
    out
}

/// Stacks whose code is a copy of each other's.
#[derive(Debug, Clone, Serialize)]
pub struct CopyPasteGroup {
    /// Stack indices, sorted by id.
    #[serde(skip)]
    pub members: Vec<usize>,
    pub stacks: Vec<String>,
    /// Lowest similarity between members (1.0: the same code up to names and values).
    pub similarity: f64,
    pub resources: usize,
}

/// Copy-paste groups at the configured `copy-paste-stack` threshold.
pub fn copy_paste_groups(ws: &Workspace, config: &Config) -> Vec<CopyPasteGroup> {
    let threshold = rules::meta_of(RuleId::CopyPasteStack)
        .map(|m| config.options(m, ".").float("min_similarity"))
        .unwrap_or(0.8)
        .clamp(0.0, 1.0);
    let sim = crate::similarity::analyse(ws, threshold);
    let mut out: Vec<CopyPasteGroup> = sim
        .groups
        .iter()
        .map(|g| {
            let mut members: Vec<usize> = g
                .nodes
                .iter()
                .flat_map(|n| sim.nodes[*n].stacks.iter().copied())
                .collect();
            members.sort_by(|a, b| ws.stacks[*a].id.cmp(&ws.stacks[*b].id));
            members.dedup();
            CopyPasteGroup {
                stacks: members.iter().map(|i| ws.stacks[*i].id.clone()).collect(),
                resources: members
                    .first()
                    .map(|i| ws.stacks[*i].resources.len())
                    .unwrap_or(0),
                members,
                similarity: (g.min * 100.0).round() / 100.0,
            }
        })
        .collect();
    out.sort_by(|a, b| a.stacks.cmp(&b.stacks));
    out
}
