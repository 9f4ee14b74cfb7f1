//! Resource matching: a data source that finds a resource by name or tag
//! (`data "aws_vpc" { tags = { Name = "main" } }`) is linked to the stack that creates a
//! resource with that name or those tags.

use super::remote_state::for_each_bindings;
use super::{list_ids, Mechanism, RawLink, Unresolved};
use crate::eval::{self, Bound, Pattern, Scope, Value};
use crate::model::{CodeScope, Workspace};
use crate::source::Loc;
use crate::syntax::Block;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

struct Family {
    name: &'static str,
    consumers: &'static [&'static str],
    producers: &'static [&'static str],
    /// (consumer attribute, producer attribute, criterion key)
    keys: &'static [(&'static str, &'static str, &'static str)],
    tags: bool,
}

const NAME: &[(&str, &str, &str)] = &[("name", "name", "name")];
const AZ_NAME: &[(&str, &str, &str)] = &[
    ("name", "name", "name"),
    (
        "resource_group_name",
        "resource_group_name",
        "resource_group_name",
    ),
];

const fn fam(
    name: &'static str,
    consumers: &'static [&'static str],
    producers: &'static [&'static str],
    keys: &'static [(&'static str, &'static str, &'static str)],
    tags: bool,
) -> Family {
    Family {
        name,
        consumers,
        producers,
        keys,
        tags,
    }
}

const FAMILIES: &[Family] = &[
    fam(
        "aws_vpc",
        &["aws_vpc"],
        &["aws_vpc"],
        &[("cidr_block", "cidr_block", "cidr")],
        true,
    ),
    fam(
        "aws_subnet",
        &["aws_subnet", "aws_subnets", "aws_subnet_ids"],
        &["aws_subnet"],
        &[("cidr_block", "cidr_block", "cidr")],
        true,
    ),
    fam(
        "aws_security_group",
        &["aws_security_group", "aws_security_groups"],
        &["aws_security_group"],
        NAME,
        true,
    ),
    fam(
        "aws_route53_zone",
        &["aws_route53_zone"],
        &["aws_route53_zone"],
        NAME,
        false,
    ),
    fam(
        "aws_lb",
        &["aws_lb", "aws_alb"],
        &["aws_lb", "aws_alb"],
        NAME,
        true,
    ),
    fam(
        "aws_lb_target_group",
        &["aws_lb_target_group", "aws_alb_target_group"],
        &["aws_lb_target_group", "aws_alb_target_group"],
        NAME,
        true,
    ),
    fam(
        "aws_eks_cluster",
        &["aws_eks_cluster", "aws_eks_cluster_auth"],
        &["aws_eks_cluster"],
        NAME,
        false,
    ),
    fam(
        "aws_ecs_cluster",
        &["aws_ecs_cluster"],
        &["aws_ecs_cluster"],
        &[("cluster_name", "name", "name")],
        false,
    ),
    fam(
        "aws_iam_role",
        &["aws_iam_role"],
        &["aws_iam_role"],
        NAME,
        false,
    ),
    fam(
        "aws_iam_policy",
        &["aws_iam_policy"],
        &["aws_iam_policy"],
        NAME,
        false,
    ),
    fam(
        "aws_kms_alias",
        &["aws_kms_alias"],
        &["aws_kms_alias"],
        NAME,
        false,
    ),
    fam(
        "aws_s3_bucket",
        &["aws_s3_bucket"],
        &["aws_s3_bucket"],
        &[("bucket", "bucket", "bucket")],
        false,
    ),
    fam(
        "aws_ec2_transit_gateway",
        &["aws_ec2_transit_gateway"],
        &["aws_ec2_transit_gateway"],
        &[],
        true,
    ),
    fam(
        "aws_internet_gateway",
        &["aws_internet_gateway"],
        &["aws_internet_gateway"],
        &[],
        true,
    ),
    fam(
        "aws_nat_gateway",
        &["aws_nat_gateway"],
        &["aws_nat_gateway"],
        &[],
        true,
    ),
    fam(
        "aws_route_table",
        &["aws_route_table"],
        &["aws_route_table"],
        &[],
        true,
    ),
    fam(
        "aws_sns_topic",
        &["aws_sns_topic"],
        &["aws_sns_topic"],
        NAME,
        false,
    ),
    fam(
        "aws_sqs_queue",
        &["aws_sqs_queue"],
        &["aws_sqs_queue"],
        NAME,
        false,
    ),
    fam(
        "aws_dynamodb_table",
        &["aws_dynamodb_table"],
        &["aws_dynamodb_table"],
        NAME,
        false,
    ),
    fam(
        "aws_db_instance",
        &["aws_db_instance"],
        &["aws_db_instance"],
        &[("db_instance_identifier", "identifier", "identifier")],
        false,
    ),
    fam(
        "aws_ecr_repository",
        &["aws_ecr_repository"],
        &["aws_ecr_repository"],
        NAME,
        false,
    ),
    fam(
        "aws_cloudwatch_log_group",
        &["aws_cloudwatch_log_group"],
        &["aws_cloudwatch_log_group"],
        NAME,
        false,
    ),
    fam(
        "aws_acm_certificate",
        &["aws_acm_certificate"],
        &["aws_acm_certificate"],
        &[("domain", "domain_name", "domain")],
        false,
    ),
    fam(
        "google_compute_network",
        &["google_compute_network"],
        &["google_compute_network"],
        NAME,
        false,
    ),
    fam(
        "google_compute_subnetwork",
        &["google_compute_subnetwork"],
        &["google_compute_subnetwork"],
        NAME,
        false,
    ),
    fam(
        "google_container_cluster",
        &["google_container_cluster"],
        &["google_container_cluster"],
        NAME,
        false,
    ),
    fam(
        "google_storage_bucket",
        &["google_storage_bucket"],
        &["google_storage_bucket"],
        NAME,
        false,
    ),
    fam(
        "google_sql_database_instance",
        &["google_sql_database_instance"],
        &["google_sql_database_instance"],
        NAME,
        false,
    ),
    fam(
        "google_dns_managed_zone",
        &["google_dns_managed_zone"],
        &["google_dns_managed_zone"],
        NAME,
        false,
    ),
    fam(
        "google_service_account",
        &["google_service_account"],
        &["google_service_account"],
        &[("account_id", "account_id", "account_id")],
        false,
    ),
    fam(
        "azurerm_resource_group",
        &["azurerm_resource_group"],
        &["azurerm_resource_group"],
        NAME,
        false,
    ),
    fam(
        "azurerm_virtual_network",
        &["azurerm_virtual_network"],
        &["azurerm_virtual_network"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_subnet",
        &["azurerm_subnet"],
        &["azurerm_subnet"],
        &[
            ("name", "name", "name"),
            (
                "virtual_network_name",
                "virtual_network_name",
                "virtual_network_name",
            ),
            (
                "resource_group_name",
                "resource_group_name",
                "resource_group_name",
            ),
        ],
        false,
    ),
    fam(
        "azurerm_kubernetes_cluster",
        &["azurerm_kubernetes_cluster"],
        &["azurerm_kubernetes_cluster"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_storage_account",
        &["azurerm_storage_account"],
        &["azurerm_storage_account"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_key_vault",
        &["azurerm_key_vault"],
        &["azurerm_key_vault"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_container_registry",
        &["azurerm_container_registry"],
        &["azurerm_container_registry"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_log_analytics_workspace",
        &["azurerm_log_analytics_workspace"],
        &["azurerm_log_analytics_workspace"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_dns_zone",
        &["azurerm_dns_zone"],
        &["azurerm_dns_zone"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_private_dns_zone",
        &["azurerm_private_dns_zone"],
        &["azurerm_private_dns_zone"],
        AZ_NAME,
        false,
    ),
    fam(
        "azurerm_user_assigned_identity",
        &["azurerm_user_assigned_identity"],
        &["azurerm_user_assigned_identity"],
        AZ_NAME,
        false,
    ),
];

/// Criterion key -> acceptable values (any of them), sorted by key. A sorted list, not a
/// `BTreeMap`: a lookup or a resource has one to three keys, and a map's first node
/// (~550 bytes with these keys and values) made the producers of a 10,000-stack tree
/// 15 MiB, held through the rest of the link stage.
#[derive(Debug, Default, PartialEq)]
pub struct Criteria(Vec<(String, Vec<Pattern>)>);

impl Criteria {
    fn new() -> Criteria {
        Criteria::default()
    }

    /// The values of `key`, added empty if absent.
    fn values_mut(&mut self, key: &str) -> &mut Vec<Pattern> {
        let i = match self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key.to_string(), Vec::new()));
                i
            }
        };
        &mut self.0[i].1
    }

    fn get(&self, key: &str) -> Option<&Vec<Pattern>> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &Vec<Pattern>)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    fn values(&self) -> impl Iterator<Item = &Vec<Pattern>> {
        self.0.iter().map(|(_, v)| v)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the keys `keep` accepts, in an allocation of exactly their number.
    fn retain(&mut self, mut keep: impl FnMut(&String, &mut Vec<Pattern>) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
        self.0 = crate::syntax::exact(std::mem::take(&mut self.0));
    }
}

pub struct Lookup {
    pub stack: usize,
    pub family: &'static str,
    pub criteria: Vec<Criteria>,
    pub loc: Loc,
    pub what: String,
}

pub struct Identity {
    pub stack: usize,
    pub family: &'static str,
    pub attrs: Vec<Criteria>,
}

#[derive(Default)]
pub struct Facts {
    producers: Vec<Identity>,
    consumers: Vec<Lookup>,
}

/// DNS zone names are case-insensitive and may end with a dot.
fn normalize(family: &str, key: &str, p: Pattern) -> Pattern {
    if key == "name" && (family.contains("dns") || family.contains("route53")) {
        p.map_literals(|s| s.trim_end_matches('.').to_lowercase())
    } else {
        p
    }
}

fn push(f: &Family, c: &mut Criteria, key: &str, values: Vec<Pattern>) {
    let values: Vec<Pattern> = values
        .into_iter()
        .map(|v| normalize(f.name, key, v))
        .collect();
    if !values.is_empty() {
        c.values_mut(key).extend(values);
    }
}

fn patterns(v: Value) -> Vec<Pattern> {
    match v {
        Value::Null => Vec::new(),
        Value::List(items) => items.iter().map(Value::to_pattern).collect(),
        other => vec![other.to_pattern()],
    }
}

fn tag_criteria(f: &Family, c: &mut Criteria, block: &Block, scope: &dyn Scope) {
    if let Some(Value::Map(m)) = block.body.expr("tags").map(|e| eval::eval(e, scope)) {
        for (k, v) in m {
            push(f, c, &format!("tag:{k}"), patterns(v));
        }
    }
}

fn consumer_criteria(f: &Family, block: &Block, scope: &dyn Scope) -> Criteria {
    let mut c = Criteria::new();
    for (attr, _, key) in f.keys {
        if let Some(e) = block.body.expr(attr) {
            push(f, &mut c, key, patterns(eval::eval(e, scope)));
        }
    }
    if f.tags {
        tag_criteria(f, &mut c, block, scope);
    }
    for filter in block.body.blocks_of("filter") {
        let Some(name) = filter
            .body
            .expr("name")
            .and_then(|e| eval::eval(e, scope).as_str())
        else {
            continue;
        };
        let values = filter
            .body
            .expr("values")
            .map(|e| patterns(eval::eval(e, scope)))
            .unwrap_or_default();
        let key = match name.as_str() {
            n if n.starts_with("tag:") => n.to_string(),
            "group-name" => "name".to_string(),
            "cidr" | "cidr-block" | "cidrBlock" => "cidr".to_string(),
            _ => continue,
        };
        push(f, &mut c, &key, values);
    }
    // Only criteria that pin something down take part.
    c.retain(|_, vs| {
        vs.retain(|v| v.is_informative());
        !vs.is_empty()
    });
    c
}

fn producer_attrs(f: &Family, block: &Block, scope: &dyn Scope) -> Criteria {
    let mut c = Criteria::new();
    for (_, attr, key) in f.keys {
        if let Some(e) = block.body.expr(attr) {
            push(f, &mut c, key, patterns(eval::eval(e, scope)));
        }
    }
    if f.tags {
        tag_criteria(f, &mut c, block, scope);
    }
    // A name with almost nothing known (`"${var.x}."`) would match anything.
    c.retain(|_, vs| {
        vs.retain(|v| v.is_informative());
        !vs.is_empty()
    });
    c
}

/// Families and criterion keys some consumer looks up: producers are only collected
/// for these, keeping only these keys (most resources are never looked up).
pub type Wanted = BTreeMap<&'static str, BTreeSet<String>>;

impl Facts {
    pub fn take_producers(&mut self, from: Facts) {
        self.producers = from.producers;
    }
}

pub fn wanted<'a>(facts: impl Iterator<Item = &'a Facts>) -> Wanted {
    let mut w = Wanted::new();
    for f in facts {
        for c in &f.consumers {
            let keys = w.entry(c.family).or_default();
            for crit in &c.criteria {
                keys.extend(crit.keys().cloned());
            }
        }
    }
    w
}

/// Is `kind` a resource type that a wanted lookup family can find?
pub fn produces(kind: &str, wanted: &Wanted) -> bool {
    FAMILIES
        .iter()
        .find(|f| f.producers.contains(&kind))
        .is_some_and(|f| wanted.contains_key(f.name))
}

/// Collects the stack's lookups (`wanted` is `None`), or the identities of the
/// resources it creates in the wanted families (`Some`).
pub fn collect(
    ws: &Workspace,
    index: usize,
    scopes: &[CodeScope],
    wanted: Option<&Wanted>,
) -> Facts {
    let mut facts = Facts::default();
    let mut consumers: BTreeMap<Loc, Lookup> = BTreeMap::new();
    let mut unknown: BTreeMap<Loc, (&'static str, String)> = BTreeMap::new();
    for cs in scopes {
        let code = cs.scope.code;
        let Some(wanted) = wanted else {
            collect_consumers(ws, index, cs, &mut consumers, &mut unknown);
            continue;
        };
        for item in &code.resources {
            let Some(f) = FAMILIES.iter().find(|f| f.producers.contains(&&*item.kind)) else {
                continue;
            };
            let Some(keys) = wanted.get(f.name) else {
                continue;
            };
            let Some(block) = ws.block(item.block) else {
                continue;
            };
            let attrs: Vec<Criteria> = for_each_bindings(block, &cs.scope)
                .into_iter()
                .map(|each| {
                    let scope = Bound {
                        parent: &cs.scope,
                        names: each.map(|v| vec![("each", v)]).unwrap_or_default(),
                    };
                    let mut c = producer_attrs(f, block, &scope);
                    c.retain(|k, _| keys.contains(k));
                    c
                })
                .filter(|c| !c.is_empty())
                .collect();
            if !attrs.is_empty() {
                facts.producers.push(Identity {
                    stack: index,
                    family: f.name,
                    attrs,
                });
            }
        }
    }
    // A lookup whose keys are known in no instance is kept, with no criteria, so it can be
    // reported as unresolved.
    for (loc, (family, what)) in unknown {
        consumers.entry(loc).or_insert(Lookup {
            stack: index,
            family,
            criteria: Vec::new(),
            loc,
            what,
        });
    }
    facts.consumers = consumers.into_values().collect();
    facts
}

/// A `filter` that finds something by name or tag (not `vpc-id = data.x.id`). A filter
/// whose name is computed counts, so it is reported rather than silently skipped.
fn identifying_filter(b: &Block) -> bool {
    match b.body.expr("name").and_then(|e| e.as_literal_str()) {
        Some(n) => {
            n.starts_with("tag:") || matches!(n, "group-name" | "cidr" | "cidr-block" | "cidrBlock")
        }
        None => b.body.attr("name").is_some(),
    }
}

/// Does a lookup key refer to a managed resource (`aws_vpc.main.tags`)? Then it is
/// found inside the same stack, not matched across stacks.
fn references_own_resource(block: &Block, f: &Family) -> bool {
    let mut attrs: Vec<&crate::syntax::Expr> = f
        .keys
        .iter()
        .filter_map(|(a, _, _)| block.body.expr(a))
        .collect();
    attrs.extend(block.body.expr("tags"));
    attrs.into_iter().any(|e| {
        e.references()
            .iter()
            .any(|r| super::is_resource_reference(r.root))
    })
}

fn collect_consumers(
    ws: &Workspace,
    index: usize,
    cs: &CodeScope,
    consumers: &mut BTreeMap<Loc, Lookup>,
    unknown: &mut BTreeMap<Loc, (&'static str, String)>,
) {
    let code = cs.scope.code;
    for item in &code.data {
        let Some(f) = FAMILIES.iter().find(|f| f.consumers.contains(&&*item.kind)) else {
            continue;
        };
        let Some(block) = ws.block(item.block) else {
            continue;
        };
        let loc = ws.loc(item.block);
        let what = format!("data.{}.{}", item.kind, item.name);
        if references_own_resource(block, f) {
            // Looked up by an attribute of a resource of the same stack: no lookup.
            continue;
        }
        let has_keys = f.keys.iter().any(|(a, _, _)| block.body.attr(a).is_some())
            || (f.tags && block.body.attr("tags").is_some())
            || block.body.blocks_of("filter").any(identifying_filter);
        if !has_keys {
            // Found by id or `default = true`: not a lookup by name or tag.
            continue;
        }
        for each in for_each_bindings(block, &cs.scope) {
            let scope = Bound {
                parent: &cs.scope,
                names: each.map(|v| vec![("each", v)]).unwrap_or_default(),
            };
            let criteria = consumer_criteria(f, block, &scope);
            if criteria.is_empty() {
                unknown.entry(loc).or_insert((f.name, what.clone()));
                continue;
            }
            let l = consumers.entry(loc).or_insert_with(|| Lookup {
                stack: index,
                family: f.name,
                criteria: Vec::new(),
                loc,
                what: what.clone(),
            });
            if !l.criteria.contains(&criteria) {
                l.criteria.push(criteria);
            }
        }
    }
}

fn satisfied(criteria: &Criteria, attrs: &Criteria) -> bool {
    criteria.iter().all(|(k, wanted)| {
        attrs
            .get(k)
            // At least one side must be fully known: two partial names that merely could
            // coincide are a guess, not a link.
            .is_some_and(|have| {
                wanted.iter().any(|w| {
                    have.iter()
                        .any(|h| (w.is_literal() || h.is_literal()) && h.intersects(w))
                })
            })
    })
}

fn describe(c: &Criteria) -> String {
    c.iter()
        .map(|(k, vs)| {
            let vals: Vec<String> = vs.iter().map(|v| v.to_string()).collect();
            format!("{k}={}", vals.join("|"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn resolve<'a>(
    ws: &Workspace,
    facts: impl Iterator<Item = &'a Facts> + Clone,
) -> (Vec<RawLink>, Vec<Unresolved>) {
    // Index producers by (family, key, literal value) for the common exact case.
    let mut producers: Vec<(usize, &'static str, &Criteria)> = Vec::new();
    for f in facts.clone() {
        for p in &f.producers {
            for a in &p.attrs {
                producers.push((p.stack, p.family, a));
            }
        }
    }
    let mut exact: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    let mut by_family: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, family, attrs)) in producers.iter().enumerate() {
        by_family.entry(family).or_default().push(i);
        for (k, vs) in attrs.iter() {
            for v in vs {
                if let Some(l) = v.as_literal() {
                    exact.entry((family, k.as_str(), l)).or_default().push(i);
                } else {
                    // Patterned producer values are found through the family scan.
                }
            }
        }
    }
    let patterned_in_family: HashMap<&str, Vec<usize>> = {
        let mut m: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (_, family, attrs)) in producers.iter().enumerate() {
            if attrs.values().flatten().any(|v| !v.is_literal()) {
                m.entry(family).or_default().push(i);
            }
        }
        m
    };

    let ix = Index {
        producers,
        exact,
        by_family,
        patterned_in_family,
    };
    // Consumers are resolved independently; in parallel, kept in order.
    let consumers: Vec<&Lookup> = facts.flat_map(|f| &f.consumers).collect();
    let resolved: Vec<(Vec<RawLink>, Option<Unresolved>)> = consumers
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .map(|c| resolve_consumer(ws, &ix, c))
        .collect();
    let mut links = Vec::new();
    let mut unresolved = Vec::new();
    for (l, u) in resolved {
        links.extend(l);
        unresolved.extend(u);
    }
    (links, unresolved)
}

/// The producers indexed for [`resolve`].
struct Index<'a> {
    producers: Vec<(usize, &'static str, &'a Criteria)>,
    /// (family, key, literal value) -> producers.
    exact: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    by_family: HashMap<&'a str, Vec<usize>>,
    /// Producers with a patterned value, per family.
    patterned_in_family: HashMap<&'a str, Vec<usize>>,
}

fn unresolved(c: &Lookup, reason: String) -> Unresolved {
    Unresolved {
        from: c.stack,
        mechanism: Mechanism::ResourceLookup,
        loc: c.loc,
        reason,
    }
}

/// What one consumer's lookup resolves to: a link, or why it does not.
fn resolve_consumer(ws: &Workspace, ix: &Index, c: &Lookup) -> (Vec<RawLink>, Option<Unresolved>) {
    if c.criteria.is_empty() {
        let reason = format!(
            "{}: the name or tags it looks up cannot be determined statically",
            c.what
        );
        return (Vec::new(), Some(unresolved(c, reason)));
    }
    let mut links = Vec::new();
    let mut resolved = false;
    let mut failures = Vec::new();
    for criteria in &c.criteria {
        // Candidates: producers sharing one literal criterion, plus patterned ones.
        let seed = criteria.iter().find_map(|(k, vs)| {
            let lits: Vec<&str> = vs.iter().filter_map(|v| v.as_literal()).collect();
            (lits.len() == vs.len()).then_some((k, lits))
        });
        let candidates: Vec<usize> = match seed {
            Some((k, lits)) => {
                let mut v: Vec<usize> = lits
                    .iter()
                    .flat_map(|l| {
                        ix.exact
                            .get(&(c.family, k.as_str(), *l))
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect();
                v.extend(ix.patterned_in_family.get(c.family).into_iter().flatten());
                v
            }
            None => ix.by_family.get(c.family).cloned().unwrap_or_default(),
        };
        let matching: Vec<usize> = candidates
            .into_iter()
            .filter(|i| satisfied(criteria, ix.producers[*i].2))
            .collect();
        // A producer whose values are all literal beats one that only might match.
        let literal: BTreeSet<usize> = matching
            .iter()
            .filter(|i| {
                ix.producers[**i]
                    .2
                    .values()
                    .flatten()
                    .all(|v| v.is_literal())
            })
            .map(|i| ix.producers[*i].0)
            .collect();
        let hits: BTreeSet<usize> = if literal.is_empty() {
            matching.iter().map(|i| ix.producers[*i].0).collect()
        } else {
            literal
        };
        if hits.contains(&c.stack) {
            resolved = true;
            continue;
        }
        match hits.len() {
            0 => failures.push(format!(
                "no stack in the tree creates {} with {} (resources inside registry or git modules are not visible)",
                c.family,
                describe(criteria)
            )),
            1 => {
                resolved = true;
                for to in hits {
                    links.push(RawLink {
                        from: c.stack,
                        to,
                        mechanism: Mechanism::ResourceLookup,
                        loc: c.loc,
                        reads: Vec::new(),
                        dynamic_reads: false,
                        via: format!("{} {}", c.family, describe(criteria)),
                    });
                }
            }
            _ => failures.push(format!(
                "{} with {} is created by several stacks ({}); not guessing",
                c.family,
                describe(criteria),
                list_ids(ws, &hits)
            )),
        }
    }
    if !resolved && !failures.is_empty() {
        failures.sort();
        failures.dedup();
        let reason = format!("{}: {}", c.what, failures.join("; "));
        return (links, Some(unresolved(c, reason)));
    }
    (links, None)
}
