//! What each stack is made of, in the taxonomy's terms: every resource's class, counts per
//! domain, lifecycle and scaling class, the groups of resources that never reference each
//! other, and the services it hosts. Computed once per run (rules share it through
//! `Context::cached`; `stacklint stacks` and reports call [`Profiles::compute`]).

pub mod classify;
pub mod counts;
pub mod deployments;
pub mod describe;
pub mod patterns;
pub mod services;
pub mod targets;

use crate::config::Config;
use crate::model::refgraph::{self, NodeKind, RefGraph};
use crate::model::taxonomy::{Domain, Lifecycle, Origin, Scaling, Taxonomy};
use crate::model::{BlockRef, Stack, Workspace};
use crate::rules::structure::multi_service_stack;
use crate::rules::{Context, Prepared};
use classify::ResourceClass;
use counts::Counts;
use foldhash::{HashMap, HashMapExt};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use services::{Service, ServiceOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Domains every stack carries (IAM, keys, logs, helpers): they do not make a stack
/// span more concerns.
pub const SUPPORTING_DOMAINS: &[&str] = &["identity", "security", "observability", "other"];

/// Resources that reference each other, directly or through other members. Most groups
/// are one resource (87,000 groups on 10,000 stacks, 83,000 of one): boxed lists, and
/// domain counts worked out when a message needs them.
#[derive(Debug, Clone)]
pub struct Group {
    /// Indices into `Stack::resources`, in declaration order.
    pub resources: Box<[usize]>,
    /// Calls of modules whose code is not in the tree (each counts as one resource).
    pub remote_modules: Box<[String]>,
    /// The first member's block.
    pub first: BlockRef,
}

impl Group {
    pub fn size(&self) -> usize {
        self.resources.len() + self.remote_modules.len()
    }

    /// Resources per domain; `classes`: the profile's, parallel to `Stack::resources`.
    pub fn domains(&self, classes: &[ResourceClass]) -> Counts<Domain> {
        let mut out = Counts::default();
        for c in self.resources.iter().filter_map(|i| classes.get(*i)) {
            out.add(c.class.domain);
        }
        out
    }
}

/// A stack's profile. What follows from its code alone (classes, counts, groups) is shared
/// by every stack deployed from the same code: cloning it is a reference count.
#[derive(Debug, Clone, Default)]
pub struct StackProfile {
    /// Parallel to `Stack::resources`.
    pub classes: Arc<[ResourceClass]>,
    pub domains: Counts<Domain>,
    pub lifecycles: Counts<Lifecycle>,
    pub scalings: Counts<Scaling>,
    /// Resource types no taxonomy pattern matched.
    pub unclassified: BTreeSet<String>,
    /// Connected groups of the internal reference graph holding at least one resource,
    /// largest first.
    pub groups: Arc<[Group]>,
    /// Services by normalised name, sorted by it (a list: most stacks host one or two, and
    /// a map's first node costs ~1.6 KB).
    pub services: Vec<(String, Service)>,
}

impl StackProfile {
    /// Resources per domain that count as a concern of their own: not configuration
    /// (policies, rules, records, attachments) and not in a supporting domain.
    pub fn service_domains(&self, supporting: &[String]) -> BTreeMap<Domain, usize> {
        let mut out = BTreeMap::new();
        for c in self.classes.iter() {
            if c.class.lifecycle != Lifecycle::Config
                && !supporting.iter().any(|s| s == c.class.domain.as_str())
            {
                *out.entry(c.class.domain).or_insert(0) += 1;
            }
        }
        out
    }
}

pub struct Profiles {
    pub taxonomy: Taxonomy,
    /// Parallel to `Workspace::stacks`.
    pub stacks: Vec<StackProfile>,
}

impl Profiles {
    pub fn compute(ws: &Workspace, config: &Config) -> Profiles {
        let taxonomy = Taxonomy::new(&config.taxonomy);
        // Service options per stack, compiled once per distinct setting.
        let mut compiled: HashMap<Vec<String>, GlobSet> = HashMap::new();
        let opts: Vec<(Vec<String>, Vec<String>)> = ws
            .stacks
            .iter()
            .map(|s| {
                let o = config.options(&multi_service_stack::META, &s.dir);
                let globs = o.str_list("service_modules").to_vec();
                compiled
                    .entry(globs.clone())
                    .or_insert_with(|| module_globs(&globs));
                (o.str_list("service_tags").to_vec(), globs)
            })
            .collect();
        // Stacks deployed from the same code (Terragrunt units of one local module) have
        // the same resources, classes and reference groups: computed once per code
        // directory, for the first stack that uses it. Only services differ per stack.
        let mut first_of_code: HashMap<&str, (usize, bool)> = HashMap::new();
        for (i, s) in ws.stacks.iter().enumerate() {
            if let Some(dir) = &s.code_dir {
                first_of_code
                    .entry(dir.as_str())
                    .and_modify(|e| e.1 = true)
                    .or_insert((i, false));
            }
        }
        let mut shared_firsts: Vec<usize> = first_of_code
            .values()
            .filter(|(_, shared)| *shared)
            .map(|(i, _)| *i)
            .collect();
        shared_firsts.sort_unstable();
        let shared: HashMap<&str, StackProfile> = shared_firsts
            .par_iter()
            .map(|&i| {
                let s = &ws.stacks[i];
                let contexts = refgraph::code_contexts(ws, s);
                let calls = refgraph::module_calls(&contexts);
                let code = s.code_dir.as_deref().unwrap_or_default();
                (code, code_profile(ws, s, &taxonomy, &contexts, &calls))
            })
            .collect();
        let stacks = ws
            .stacks
            .par_iter()
            .zip(opts.par_iter())
            .with_max_len(crate::pipeline::PAR_CHUNK)
            .map(|(s, (tags, globs))| {
                let empty = GlobSet::empty();
                let modules = compiled.get(globs).unwrap_or(&empty);
                let code = s.code_dir.as_deref().and_then(|d| shared.get(d));
                profile(ws, s, &taxonomy, &ServiceOptions { tags, modules }, code)
            })
            .collect();
        Profiles { taxonomy, stacks }
    }

    /// The run's profiles, computed by the first rule that asks.
    pub fn of(cx: &Context) -> Arc<Profiles> {
        cx.cached(|| Profiles::compute(cx.ws, cx.config))
    }

    /// Computes the run's profiles in the prepare step (see `Context::warm`).
    pub fn warm(cx: &Context) -> Prepared {
        cx.warm(|| Profiles::compute(cx.ws, cx.config))
    }
}

/// Profiles and pattern classification of every stack: what `stacklint stacks` and
/// reports show.
pub struct Facts {
    pub profiles: Profiles,
    /// Parallel to `Workspace::stacks`, each sorted by name.
    pub patterns: Vec<Vec<patterns::StackPattern>>,
}

impl Facts {
    pub fn compute(ws: &Workspace, graph: &crate::graph::StackGraph, config: &Config) -> Facts {
        let profiles = Profiles::compute(ws, config);
        let patterns = patterns::classify(ws, graph, config, &profiles);
        Facts { profiles, patterns }
    }
}

fn module_globs(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let p = p.to_lowercase().replace('_', "-");
        if let Ok(g) = GlobBuilder::new(&p).case_insensitive(true).build() {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// A stack's profile; `code`: the profile of its code when another stack shares it.
fn profile(
    ws: &Workspace,
    stack: &Stack,
    taxonomy: &Taxonomy,
    so: &ServiceOptions,
    code: Option<&StackProfile>,
) -> StackProfile {
    let contexts = refgraph::code_contexts(ws, stack);
    let calls = refgraph::module_calls(&contexts);
    let mut p = match code {
        Some(p) => p.clone(),
        None => code_profile(ws, stack, taxonomy, &contexts, &calls),
    };
    p.services = services::services(ws, stack, &calls, &p.classes, so)
        .into_iter()
        .collect();
    p
}

/// Everything in a profile that follows from the stack's code alone (all but services).
fn code_profile(
    ws: &Workspace,
    stack: &Stack,
    taxonomy: &Taxonomy,
    contexts: &[refgraph::CodeContext],
    calls: &classify::Calls,
) -> StackProfile {
    let mut p = StackProfile::default();
    let mut by_type: HashMap<&str, ()> = HashMap::new();
    let mut classes = Vec::with_capacity(stack.resources.len());
    for r in &stack.resources {
        let c = classify::classify(ws, r, taxonomy, calls);
        if c.origin == Origin::Unmatched && by_type.insert(&r.item.kind, ()).is_none() {
            p.unclassified.insert(r.item.kind.to_string());
        }
        p.domains.add(c.class.domain);
        p.lifecycles.add(c.class.lifecycle);
        p.scalings.add(c.class.scaling);
        classes.push(c);
    }
    p.domains = p.domains.exact();
    p.lifecycles = p.lifecycles.exact();
    p.scalings = p.scalings.exact();
    p.groups = groups(ws, stack, contexts).into();
    p.classes = classes.into();
    p
}

fn groups(ws: &Workspace, stack: &Stack, contexts: &[refgraph::CodeContext]) -> Vec<Group> {
    let g = RefGraph::build(ws, stack, contexts);
    let mut out: Vec<Group> = g
        .groups()
        .into_iter()
        .filter_map(|members| {
            let first = g.nodes.get(*members.first()?)?.block;
            let (mut resources, mut remote_modules) = (Vec::new(), Vec::new());
            for m in members {
                let node = &g.nodes[m];
                match node.kind {
                    NodeKind::Resource(i) => resources.push(i),
                    NodeKind::Module { local: false } => remote_modules.push(node.address.clone()),
                    _ => {}
                }
            }
            let grp = Group {
                resources: resources.into(),
                remote_modules: remote_modules.into(),
                first,
            };
            (grp.size() > 0).then_some(grp)
        })
        .collect();
    out.sort_by(|a, b| {
        b.size()
            .cmp(&a.size())
            .then_with(|| a.resources.first().cmp(&b.resources.first()))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyze_files;

    const MODULE: &str = r#"
variable "service" {
  type = string
}

variable "environment" {
  type = string
}

resource "aws_ecs_cluster" "this" {
  name = "${var.service}-${var.environment}"
  tags = {
    Service     = var.service
    Environment = var.environment
  }
}

resource "aws_ecs_service" "this" {
  name    = var.service
  cluster = aws_ecs_cluster.this.id
  tags = {
    Service = var.service
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "${var.service}-jobs"
  tags = {
    Service = var.service
  }
}
"#;

    fn unit(service: &str) -> String {
        format!(
            r#"terraform {{
  source = "../../../modules//app"
}}

inputs = {{
  service     = "{service}"
  environment = "prod"
}}
"#
        )
    }

    /// Units deployed from one local module share everything that follows from the code
    /// (computed once), but each names its own services from its own inputs.
    #[test]
    fn units_sharing_code_share_classes_and_groups_but_not_services() {
        let (checkout_unit, billing_unit) = (unit("checkout"), unit("billing"));
        let (_dir, a) = analyze_files(
            &[
                ("modules/app/main.tf", MODULE),
                ("live/prod/checkout/terragrunt.hcl", &checkout_unit),
                ("live/prod/billing/terragrunt.hcl", &billing_unit),
            ],
            2,
        );
        let p = Profiles::compute(&a.ws, &Config::empty());
        let of = |id: &str| {
            let i = a.ws.stacks.iter().position(|s| s.id == id).expect(id);
            &p.stacks[i]
        };
        let (checkout, billing) = (of("live/prod/checkout"), of("live/prod/billing"));

        let classes = |s: &StackProfile| -> Vec<String> {
            s.classes.iter().map(|c| format!("{:?}", c.class)).collect()
        };
        assert_eq!(checkout.classes.len(), 3);
        assert_eq!(classes(checkout), classes(billing));
        // The cluster and its service reference each other; the queue stands alone.
        let groups = |s: &StackProfile| -> Vec<Vec<usize>> {
            s.groups.iter().map(|g| g.resources.to_vec()).collect()
        };
        assert_eq!(groups(checkout), vec![vec![0, 1], vec![2]]);
        assert_eq!(groups(checkout), groups(billing));

        let services = |s: &StackProfile| -> Vec<String> {
            s.services.iter().map(|(name, _)| name.clone()).collect()
        };
        assert_eq!(services(checkout), ["checkout"]);
        assert_eq!(services(billing), ["billing"]);
    }
}
