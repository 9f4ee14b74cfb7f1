//! Architecture facts the report shows that other parts of stacklint own (or are about
//! to): the resource taxonomy (domains), the stack pattern classification, independent
//! clusters and copy-paste groups.
//!
//! **Seams.** Each fact is computed by one function here with a small, conservative local
//! implementation, so the report works today and says where its numbers come from. When
//! the structure work (issue 4: taxonomy, patterns, clusters) and the replication work
//! (issue 6: similarity) are merged, point these functions at their APIs and nothing else
//! in the report changes:
//!
//! - [`domain_of`]          -> the taxonomy's domain of a resource type;
//! - [`classify`]           -> the stack pattern classification;
//! - [`clusters`]           -> independent clusters of one stack;
//! - [`copy_paste_groups`]  -> similarity groups (`crate::similarity`).
//!
//! [`SOURCES`] names the implementation behind each, and is shown in the report.

use crate::model::{Stack, Workspace};
use crate::syntax::{Body, Reference};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where each fact comes from, shown in the report's footnotes and JSON.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "domains",
        "resource type names matched against a built-in list of service words",
    ),
    (
        "patterns",
        "size, domains and dependency counts (monolithic: > 100 resources or > 5 domains; \
         shared-infrastructure: 2+ consumers; shared-nothing: depends on no stack and is not \
         shared infrastructure; micro: 1 to 20 resources, not monolithic)",
    ),
    (
        "clusters",
        "references between the stack's resources, locals, data sources and module calls",
    ),
    (
        "copy_paste_groups",
        "stacks of different code directories with the same resources, data sources and \
         module sources",
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

/// Local thresholds (the catalogue defaults of `monolithic-stack`).
pub const MONOLITH_RESOURCES: usize = 100;
pub const MONOLITH_DOMAINS: usize = 5;
pub const MICRO_RESOURCES: usize = 20;
/// A cluster this size or larger is a split candidate (`independent-clusters` default).
pub const CLUSTER_MIN: usize = 5;

/// Service words per domain, matched as whole `_`-separated words of the type name
/// without its provider prefix; the first domain with a match wins.
const DOMAIN_WORDS: &[(&str, &[&str])] = &[
    ("identity", &["iam"]),
    ("dns", &["route53", "dns", "record", "zone"]),
    ("cdn", &["cloudfront", "cdn", "frontdoor"]),
    (
        "cache",
        &["elasticache", "redis", "memcache", "memcached", "cache"],
    ),
    (
        "database",
        &[
            "db",
            "rds",
            "dynamodb",
            "sql",
            "mysql",
            "postgresql",
            "mssql",
            "docdb",
            "neptune",
            "cosmosdb",
            "spanner",
            "bigtable",
            "database",
            "aurora",
            "mongodb",
            "documentdb",
            "firestore",
            "memorydb",
            "keyspaces",
            "timestream",
        ],
    ),
    (
        "storage",
        &[
            "s3",
            "bucket",
            "storage",
            "efs",
            "ebs",
            "volume",
            "disk",
            "fsx",
            "backup",
            "glacier",
            "share",
            "filestore",
        ],
    ),
    (
        "analytics",
        &[
            "athena",
            "glue",
            "redshift",
            "emr",
            "bigquery",
            "dataflow",
            "dataproc",
            "synapse",
            "databricks",
            "opensearch",
            "elasticsearch",
            "quicksight",
        ],
    ),
    (
        "messaging",
        &[
            "sqs",
            "sns",
            "kinesis",
            "pubsub",
            "eventhub",
            "servicebus",
            "msk",
            "kafka",
            "mq",
            "eventbridge",
            "event",
            "queue",
            "topic",
            "sfn",
        ],
    ),
    (
        "observability",
        &[
            "cloudwatch",
            "log",
            "logging",
            "monitor",
            "monitoring",
            "alarm",
            "dashboard",
            "metric",
            "xray",
            "datadog",
            "newrelic",
            "grafana",
            "prometheus",
            "insights",
        ],
    ),
    (
        "container",
        &[
            "ecs",
            "eks",
            "ecr",
            "kubernetes",
            "container",
            "aks",
            "gke",
            "helm",
            "k8s",
            "kubectl",
            "apprunner",
        ],
    ),
    (
        "serverless",
        &[
            "lambda",
            "function",
            "functions",
            "cloudfunctions",
            "cloudfunctions2",
            "run",
            "api",
            "apigatewayv2",
            "app",
            "appsync",
        ],
    ),
    (
        "network",
        &[
            "vpc",
            "subnet",
            "subnetwork",
            "route",
            "routes",
            "gateway",
            "nat",
            "eip",
            "lb",
            "alb",
            "elb",
            "network",
            "peering",
            "vpn",
            "endpoint",
            "firewall",
            "address",
            "dx",
            "ip",
            "transit",
            "virtual_network",
            "security_group",
            "acl",
        ],
    ),
    (
        "compute",
        &[
            "instance",
            "instances",
            "autoscaling",
            "launch",
            "compute",
            "vm",
            "machine",
            "scale",
            "spot",
            "ec2",
            "ami",
            "key_pair",
            "placement",
            "batch",
        ],
    ),
    (
        "identity",
        &[
            "iam",
            "role",
            "user",
            "policy",
            "identity",
            "service_account",
            "cognito",
            "sso",
            "organizations",
            "ad",
            "group_membership",
            "permission",
            "principal",
        ],
    ),
    (
        "security",
        &[
            "kms",
            "secret",
            "secretsmanager",
            "key_vault",
            "waf",
            "wafv2",
            "guardduty",
            "securityhub",
            "certificate",
            "acm",
            "shield",
            "macie",
            "config",
            "cloudtrail",
            "key",
        ],
    ),
];

/// Provider prefixes that are plumbing, not infrastructure of a domain.
const PLUMBING: &[&str] = &[
    "null",
    "random",
    "local",
    "tls",
    "time",
    "terraform",
    "external",
    "http",
    "template",
    "archive",
    "cloudinit",
];

/// The domain of a resource type (`aws_db_instance` -> `database`), `other` when unknown.
///
/// Seam: replace with the taxonomy lookup of the structure branch.
pub fn domain_of(kind: &str) -> &'static str {
    let mut parts = kind.split('_');
    let provider = parts.next().unwrap_or("");
    if PLUMBING.contains(&provider) {
        return "other";
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return "other";
    }
    let padded = format!("_{}_", rest.join("_"));
    for (domain, words) in DOMAIN_WORDS {
        if words.iter().any(|w| padded.contains(&format!("_{w}_"))) {
            return domain;
        }
    }
    "other"
}

/// Resources per domain, largest first (ties by name).
pub fn domains(stack: &Stack) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in &stack.resources {
        *counts.entry(domain_of(&r.item.kind)).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(d, n)| (d.to_string(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// What [`classify`] looks at.
pub struct StackShape {
    pub resources: usize,
    /// Distinct domains, `other` not counted.
    pub domains: usize,
    pub ca: usize,
    pub ce: usize,
}

/// The catalogue patterns a stack shows, in priority order.
///
/// Seam: replace with the structure branch's classification (which also knows services,
/// so it adds multi-service, single-service and cross-stack-service).
pub fn classify(s: &StackShape) -> Vec<Pattern> {
    let mut v = Vec::new();
    let monolith = s.resources > MONOLITH_RESOURCES || s.domains > MONOLITH_DOMAINS;
    if monolith {
        v.push(Pattern::Monolithic);
    }
    if s.ca >= 2 {
        v.push(Pattern::SharedInfrastructure);
    }
    if !monolith && s.resources > 0 && s.resources <= MICRO_RESOURCES {
        v.push(Pattern::Micro);
    }
    // A provider used by several stacks shares plenty, even if it depends on nothing.
    if s.ce == 0 && s.ca < 2 {
        v.push(Pattern::SharedNothing);
    }
    v
}

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

/// Independent clusters of a stack's resources, largest first (groups of one resource
/// included). A module call and everything in it is one unit; locals and data sources
/// connect what they reference only when they lead to a resource (a `local.tags` of
/// variables does not tie the stack together).
///
/// Seam: replace with the structure branch's independent clusters.
pub fn clusters(ws: &Workspace, stack: &Stack) -> Vec<Cluster> {
    let mut g = RefGraph::default();
    // Nodes: root resources (`r:type.name`), module calls (`m:name`), locals
    // (`l:name`), data sources (`d:type.name`).
    let mut resource_nodes: Vec<(usize, String, &str)> = Vec::new();
    for r in &stack.resources {
        let key = match module_root(&r.module) {
            Some(m) => format!("m:{m}"),
            None => format!("r:{}.{}", r.item.kind, r.item.name),
        };
        let id = g.node(&key);
        resource_nodes.push((id, r.address(false), r.item.kind.as_str()));
    }
    let Some(code_dir) = stack.code_dir.as_deref() else {
        return group(&mut g, &resource_nodes);
    };
    let Some(code) = ws.codes.get(code_dir) else {
        return group(&mut g, &resource_nodes);
    };
    let mut links: Vec<(String, Vec<String>)> = Vec::new();
    for r in &code.resources {
        if let Some(b) = ws.block(r.block) {
            links.push((format!("r:{}.{}", r.kind, r.name), body_refs(&b.body)));
        }
    }
    for d in &code.data {
        if let Some(b) = ws.block(d.block) {
            links.push((format!("d:{}.{}", d.kind, d.name), body_refs(&b.body)));
        }
    }
    for m in &code.module_calls {
        if let Some(b) = ws.block(m.block) {
            links.push((format!("m:{}", m.name), body_refs(&b.body)));
        }
    }
    for (name, file, blk, attr) in &code.locals {
        let expr = ws
            .files
            .get(file.index())
            .and_then(|f| f.body.blocks.get(*blk as usize))
            .and_then(|b| b.body.attrs.get(*attr as usize))
            .map(|a| &a.expr);
        if let Some(e) = expr {
            let refs = e.references().iter().filter_map(ref_key).collect();
            links.push((format!("l:{name}"), refs));
        }
    }
    // A local or data source connects only when it leads to a resource or module call.
    let connectors: BTreeMap<&str, &Vec<String>> = links
        .iter()
        .filter(|(k, _)| k.starts_with("l:") || k.starts_with("d:"))
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let mut active: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = active.len();
        for (k, refs) in &connectors {
            if !active.contains(k)
                && refs.iter().any(|r| {
                    r.starts_with("r:") || r.starts_with("m:") || active.contains(r.as_str())
                })
            {
                active.insert(k);
            }
        }
        if active.len() == before {
            break;
        }
    }
    for (k, refs) in &links {
        let is_connector = k.starts_with("l:") || k.starts_with("d:");
        if is_connector && !active.contains(k.as_str()) {
            continue;
        }
        let a = g.node(k);
        for r in refs {
            let usable = r.starts_with("r:")
                || r.starts_with("m:")
                || ((r.starts_with("l:") || r.starts_with("d:")) && active.contains(r.as_str()));
            if usable {
                let b = g.node(r);
                g.union(a, b);
            }
        }
    }
    group(&mut g, &resource_nodes)
}

/// `module.net.module.subnets` -> `net`.
fn module_root(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("module.")?;
    Some(rest.split('.').next().unwrap_or(rest))
}

fn ref_key(r: &Reference) -> Option<String> {
    match r.root {
        "local" => r.name_at(0).map(|n| format!("l:{n}")),
        "module" => r.name_at(0).map(|n| format!("m:{n}")),
        "data" => Some(format!("d:{}.{}", r.name_at(0)?, r.name_at(1)?)),
        root if crate::link::is_resource_reference(root) => {
            r.name_at(0).map(|n| format!("r:{root}.{n}"))
        }
        _ => None,
    }
}

fn body_refs(body: &Body) -> Vec<String> {
    let mut out = Vec::new();
    crate::syntax::for_each_attr(body, |a| {
        for r in a.expr.references() {
            if let Some(k) = ref_key(&r) {
                out.push(k);
            }
        }
    });
    // `depends_on = [aws_x.y]` is a reference too, and is an attribute: already seen.
    out
}

#[derive(Default)]
struct RefGraph {
    ids: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl RefGraph {
    fn node(&mut self, key: &str) -> usize {
        if let Some(i) = self.ids.get(key) {
            return *i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.ids.insert(key.to_string(), i);
        i
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

fn group(g: &mut RefGraph, nodes: &[(usize, String, &str)]) -> Vec<Cluster> {
    let mut by_root: BTreeMap<usize, Vec<(&str, &str)>> = BTreeMap::new();
    for (id, addr, kind) in nodes {
        let root = g.find(*id);
        by_root.entry(root).or_default().push((addr.as_str(), kind));
    }
    let mut out: Vec<Cluster> = by_root
        .into_values()
        .map(|mut members| {
            members.sort();
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, kind) in &members {
                *counts.entry(domain_of(kind)).or_default() += 1;
            }
            let mut domains: Vec<DomainCount> = counts
                .into_iter()
                .map(|(d, n)| DomainCount {
                    domain: d.to_string(),
                    resources: n,
                })
                .collect();
            domains.sort_by(|a, b| {
                b.resources
                    .cmp(&a.resources)
                    .then_with(|| a.domain.cmp(&b.domain))
            });
            Cluster {
                resources: members.len(),
                sample: members
                    .iter()
                    .take(CLUSTER_SAMPLE)
                    .map(|(a, _)| a.to_string())
                    .collect(),
                domains,
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
    /// Similarity of the code (1.0: the same resources, data sources and modules).
    pub similarity: f64,
    pub resources: usize,
}

/// Stacks with this many resources or more are compared; smaller ones are wrappers.
pub const COPY_MIN_RESOURCES: usize = 3;

/// Groups of 2+ stacks that deploy different code directories with exactly the same
/// resources, data sources and module sources (names included). Linear: one signature
/// per stack, grouped in a map.
///
/// Seam: replace with the replication branch's similarity groups (which also find near
/// copies, similarity >= 0.8).
pub fn copy_paste_groups(ws: &Workspace) -> Vec<CopyPasteGroup> {
    let mut by_sig: BTreeMap<Vec<String>, BTreeMap<String, usize>> = BTreeMap::new();
    for (i, s) in ws.stacks.iter().enumerate() {
        if s.resources.len() < COPY_MIN_RESOURCES {
            continue;
        }
        let Some(code_dir) = s.code_dir.clone() else {
            continue;
        };
        let mut sig: Vec<String> = s
            .resources
            .iter()
            .map(|r| format!("r {}", r.address(false)))
            .chain(s.data.iter().map(|d| format!("d {}", d.address(true))))
            .chain(s.module_calls.iter().map(|m| {
                let src = match &m.local_dir {
                    Some(d) => crate::model::paths::file_name(d).to_string(),
                    None => m.source.clone(),
                };
                format!("m {} {src}", m.name)
            }))
            .collect();
        sig.sort();
        // One stack per code directory: Terragrunt units of one module are instances.
        by_sig.entry(sig).or_default().entry(code_dir).or_insert(i);
    }
    let mut out: Vec<CopyPasteGroup> = by_sig
        .into_values()
        .filter(|m| m.len() >= 2)
        .map(|m| {
            let mut members: Vec<usize> = m.into_values().collect();
            members.sort_by(|a, b| ws.stacks[*a].id.cmp(&ws.stacks[*b].id));
            CopyPasteGroup {
                stacks: members.iter().map(|i| ws.stacks[*i].id.clone()).collect(),
                resources: members
                    .first()
                    .map(|i| ws.stacks[*i].resources.len())
                    .unwrap_or(0),
                members,
                similarity: 1.0,
            }
        })
        .collect();
    out.sort_by(|a, b| a.stacks.cmp(&b.stacks));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_of_common_types() {
        for (kind, want) in [
            ("aws_db_instance", "database"),
            ("aws_db_subnet_group", "database"),
            ("aws_security_group", "network"),
            ("aws_vpc", "network"),
            ("aws_route53_record", "dns"),
            ("aws_s3_bucket_policy", "storage"),
            ("aws_iam_role_policy", "identity"),
            ("aws_autoscaling_group", "compute"),
            ("aws_lambda_function", "serverless"),
            ("aws_cloudwatch_log_group", "observability"),
            ("aws_kms_key", "security"),
            ("aws_eks_cluster", "container"),
            ("aws_sqs_queue", "messaging"),
            ("google_sql_database_instance", "database"),
            ("azurerm_virtual_network", "network"),
            ("null_resource", "other"),
            ("random_id", "other"),
        ] {
            assert_eq!(domain_of(kind), want, "{kind}");
        }
    }

    #[test]
    fn classification_thresholds() {
        let shape = |resources, domains, ca, ce| StackShape {
            resources,
            domains,
            ca,
            ce,
        };
        assert_eq!(classify(&shape(101, 1, 0, 1)), vec![Pattern::Monolithic]);
        assert_eq!(
            classify(&shape(100, 1, 0, 1)),
            Vec::<Pattern>::new(),
            "100 resources is at the limit, not over it"
        );
        assert_eq!(classify(&shape(30, 6, 0, 1)), vec![Pattern::Monolithic]);
        assert_eq!(classify(&shape(20, 5, 0, 1)), vec![Pattern::Micro]);
        assert_eq!(classify(&shape(21, 1, 0, 1)), Vec::<Pattern>::new());
        assert_eq!(
            classify(&shape(12, 1, 3, 0)),
            vec![Pattern::SharedInfrastructure, Pattern::Micro]
        );
        assert_eq!(
            classify(&shape(12, 1, 1, 0)),
            vec![Pattern::Micro, Pattern::SharedNothing]
        );
        assert_eq!(classify(&shape(0, 0, 1, 1)), Vec::<Pattern>::new());
    }
}
