//! The resource taxonomy: what a resource type is (domain), how it lives (lifecycle) and
//! how it scales. The built-in table is data (`rules/taxonomy.hcl`, embedded); the
//! `taxonomy { }` block of `.stacklint.hcl` adds classes that take precedence. Matching
//! is by globs on the resource type; the most specific pattern wins.

use super::type_patterns::{Builder as TypePatternsBuilder, TypePatterns};
use crate::config::taxonomy::{ClassSpec, TaxonomyConfig};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::cmp::Reverse;

/// The built-in table, embedded at build time.
pub const BUILTIN: &str = include_str!("../../rules/taxonomy.hcl");

/// The same table parsed at build time (see build.rs).
pub const BUILTIN_PREPARED: &str = include_str!(concat!(env!("OUT_DIR"), "/taxonomy.json"));

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            /// Every value, for error messages.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// What a resource is about.
    Domain {
        Network => "network",
        Compute => "compute",
        Container => "container",
        Serverless => "serverless",
        Database => "database",
        Storage => "storage",
        Cache => "cache",
        Messaging => "messaging",
        Dns => "dns",
        Cdn => "cdn",
        Identity => "identity",
        Security => "security",
        Observability => "observability",
        Analytics => "analytics",
        Other => "other",
    }
}

named_enum! {
    /// How a resource lives: what destroying and rebuilding it costs.
    Lifecycle {
        Persistent => "persistent",
        Foundation => "foundation",
        Ephemeral => "ephemeral",
        Config => "config",
    }
}

named_enum! {
    /// How a resource scales.
    Scaling {
        Elastic => "elastic",
        SingletonGlobal => "singleton-global",
        None => "none",
    }
}

named_enum! {
    /// Where a singleton must be unique.
    Scope {
        Global => "global",
        Account => "account",
        Region => "region",
    }
}

/// The class of a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    pub domain: Domain,
    pub lifecycle: Lifecycle,
    pub scaling: Scaling,
    /// Set for singleton-global classes only.
    pub scope: Option<Scope>,
}

impl Class {
    /// The class of types nothing matches.
    pub const UNKNOWN: Class = Class {
        domain: Domain::Other,
        lifecycle: Lifecycle::Config,
        scaling: Scaling::None,
        scope: None,
    };
}

/// Where a type's class came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A class in `.stacklint.hcl`.
    Config,
    /// A class of the built-in table.
    Builtin,
    /// A name-fragment fallback.
    Fallback,
    /// Nothing matched.
    Unmatched,
}

/// A type's class and the pattern that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeClass {
    pub class: Class,
    pub origin: Origin,
    /// `class-name: pattern`, empty when unmatched.
    pub matched: std::sync::Arc<str>,
}

struct Entry {
    tier: u8,
    literal: usize,
    order: usize,
    class: usize,
    pattern: String,
}

/// The compiled taxonomy.
pub struct Taxonomy {
    classes: Vec<(String, Class)>,
    entries: Vec<Entry>,
    patterns: TypePatterns,
    knobs: WordGlobs,
    /// Classes already decided: a tree has a few hundred resource types and tens of
    /// thousands of resources, and a glob-set match is the cost of a classification.
    memo: std::sync::RwLock<foldhash::HashMap<String, TypeClass>>,
}

/// Characters of a glob that are not wildcards: the measure of its specificity.
fn literal_len(p: &str) -> usize {
    p.chars()
        .filter(|c| !matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | ','))
        .count()
}

/// Globs over variable names that match whole `_`-separated words: `*count*` matches
/// `instance_count` and `desiredCount`, not `account_id`.
#[derive(Debug, Clone)]
pub struct WordGlobs(GlobSet);

impl WordGlobs {
    pub fn new(patterns: &[String]) -> WordGlobs {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            if let Ok(g) = Glob::new(&knob_glob(p)) {
                b.add(g);
            }
        }
        WordGlobs(b.build().unwrap_or_else(|_| GlobSet::empty()))
    }

    pub fn is_match(&self, name: &str) -> bool {
        self.0.is_match(knob_subject(name))
    }
}

/// A word glob as a glob over `_name_`.
fn knob_glob(p: &str) -> String {
    let p = p.to_ascii_lowercase().replace('-', "_");
    let core = p.trim_matches('*').trim_matches('_');
    if core.is_empty() {
        return "*".to_string();
    }
    let lead = if p.starts_with('*') { "*" } else { "" };
    let trail = if p.ends_with('*') { "*" } else { "" };
    format!("{lead}_{core}_{trail}")
}

/// `instanceCount` / `instance-count` -> `_instance_count_`.
fn knob_subject(name: &str) -> String {
    let mut out = String::from("_");
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c == '-' {
            '_'
        } else {
            c.to_ascii_lowercase()
        });
    }
    out.push('_');
    out
}

/// The embedded table, parsed once per process. It is checked by tests; a broken build
/// degrades to the configuration's classes only.
fn builtin_table() -> &'static TaxonomyConfig {
    static TABLE: std::sync::OnceLock<TaxonomyConfig> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        crate::config::taxonomy::parse_prepared(BUILTIN_PREPARED).unwrap_or_default()
    })
}

/// Reads the built-in table in the background (~1 ms, its HCL already parsed at build
/// time), while discovery and parsing run. The parse uses no pool work, so a rule that needs
/// the table meanwhile waits on plain sequential code and cannot deadlock.
pub fn prewarm() {
    rayon::spawn(|| {
        builtin_table();
    });
}

impl Taxonomy {
    /// The built-in table alone.
    pub fn builtin() -> Taxonomy {
        Taxonomy::new(&TaxonomyConfig::default())
    }

    /// The built-in table (unless the config turns it off) under the config's classes.
    pub fn new(config: &TaxonomyConfig) -> Taxonomy {
        let none = TaxonomyConfig::default();
        let builtin = if config.use_builtin {
            builtin_table()
        } else {
            &none
        };
        let knob_patterns: &[String] = config
            .scale_variables
            .as_deref()
            .or(builtin.scale_variables.as_deref())
            .unwrap_or(&[]);
        let mut t = Taxonomy {
            classes: Vec::new(),
            entries: Vec::new(),
            patterns: TypePatterns::default(),
            knobs: WordGlobs::new(knob_patterns),
            memo: Default::default(),
        };
        let mut b = TypePatternsBuilder::default();
        let mut add = |t: &mut Taxonomy, specs: &[ClassSpec], user: bool| {
            for spec in specs {
                let ci = t.classes.len();
                t.classes.push((spec.name.clone(), spec.class()));
                let tier = match (user, spec.fallback) {
                    (true, false) => 0,
                    (false, false) => 1,
                    (true, true) => 2,
                    (false, true) => 3,
                };
                for p in &spec.patterns {
                    if !b.add(t.entries.len(), p) {
                        continue;
                    }
                    t.entries.push(Entry {
                        tier,
                        literal: literal_len(p),
                        order: t.entries.len(),
                        class: ci,
                        pattern: p.clone(),
                    });
                }
            }
        };
        add(&mut t, &config.classes, true);
        add(&mut t, &builtin.classes, false);
        t.patterns = b.build();
        t
    }

    /// The class of a resource type.
    pub fn classify(&self, resource_type: &str) -> TypeClass {
        let memo = |m: &foldhash::HashMap<String, TypeClass>| m.get(resource_type).cloned();
        if let Some(c) = self.memo.read().ok().as_deref().and_then(memo) {
            return c;
        }
        let c = self.decide(resource_type);
        if let Ok(mut m) = self.memo.write() {
            m.insert(resource_type.to_string(), c.clone());
        }
        c
    }

    fn decide(&self, resource_type: &str) -> TypeClass {
        let best = self
            .patterns
            .matches(resource_type)
            .into_iter()
            .filter_map(|i| self.entries.get(i))
            .min_by_key(|e| (e.tier, Reverse(e.literal), e.order));
        match best.and_then(|e| self.classes.get(e.class).map(|c| (e, c))) {
            Some((e, (name, class))) => TypeClass {
                class: *class,
                origin: match e.tier {
                    0 => Origin::Config,
                    1 => Origin::Builtin,
                    _ => Origin::Fallback,
                },
                matched: format!("{name}: {}", e.pattern).into(),
            },
            None => TypeClass {
                class: Class::UNKNOWN,
                origin: Origin::Unmatched,
                matched: "".into(),
            },
        }
    }

    /// Is a variable with this name a scale knob (`instance_count`, `min_size`, ...)?
    pub fn is_scale_knob(&self, variable: &str) -> bool {
        self.knobs.is_match(variable)
    }

    /// Number of patterns known (for tests and `--timings`-like reports).
    pub fn pattern_count(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn class(t: &Taxonomy, ty: &str) -> (Domain, Lifecycle, Scaling) {
        let c = t.classify(ty).class;
        (c.domain, c.lifecycle, c.scaling)
    }

    #[test]
    fn builtin_table_parses_and_is_large() {
        let parsed = crate::config::taxonomy::parse_builtin(BUILTIN).expect("taxonomy.hcl parses");
        assert!(parsed.classes.len() > 100);
        let t = Taxonomy::builtin();
        assert!(t.pattern_count() > 800, "{}", t.pattern_count());
    }

    #[test]
    fn the_table_prepared_at_build_time_is_the_hcl_parsed_at_run_time() {
        let parsed = crate::config::taxonomy::parse_builtin(BUILTIN).expect("taxonomy.hcl parses");
        let prepared = crate::config::taxonomy::parse_prepared(BUILTIN_PREPARED)
            .expect("the prepared table reads");
        assert_eq!(format!("{prepared:?}"), format!("{parsed:?}"));
        assert!(prepared.scale_variables.is_some() && prepared.classes.len() > 100);
    }

    #[test]
    fn no_pattern_is_written_twice_in_one_tier() {
        let parsed = crate::config::taxonomy::parse_builtin(BUILTIN).expect("parses");
        let mut seen: BTreeMap<(bool, String), String> = BTreeMap::new();
        for c in &parsed.classes {
            for p in &c.patterns {
                if let Some(prev) = seen.insert((c.fallback, p.clone()), c.name.clone()) {
                    panic!("{p} is in both {prev} and {}", c.name);
                }
            }
        }
    }

    #[test]
    fn most_specific_pattern_wins() {
        let t = Taxonomy::builtin();
        use Domain::*;
        use Lifecycle::*;
        assert_eq!(class(&t, "aws_vpc"), (Network, Foundation, Scaling::None));
        assert_eq!(class(&t, "aws_lb"), (Network, Foundation, Scaling::None));
        assert_eq!(
            class(&t, "aws_lb_listener"),
            (Network, Config, Scaling::None)
        );
        assert_eq!(
            class(&t, "aws_autoscaling_group"),
            (Compute, Ephemeral, Scaling::Elastic)
        );
        assert_eq!(
            class(&t, "aws_s3_bucket"),
            (Storage, Persistent, Scaling::None)
        );
        assert_eq!(
            class(&t, "aws_s3_bucket_versioning"),
            (Storage, Config, Scaling::None)
        );
        assert_eq!(
            class(&t, "aws_s3_account_public_access_block"),
            (Security, Config, Scaling::SingletonGlobal)
        );
        assert_eq!(
            class(&t, "aws_cloudwatch_event_rule"),
            (Messaging, Config, Scaling::None)
        );
        assert_eq!(
            class(&t, "aws_guardduty_detector"),
            (Security, Config, Scaling::SingletonGlobal)
        );
        assert_eq!(
            class(&t, "aws_organizations_organization"),
            (Identity, Foundation, Scaling::SingletonGlobal)
        );
        assert_eq!(
            class(&t, "google_storage_bucket_iam_member"),
            (Identity, Config, Scaling::None)
        );
        assert_eq!(
            class(&t, "azurerm_cosmosdb_sql_database"),
            (Database, Persistent, Scaling::None)
        );
        assert_eq!(
            class(&t, "azurerm_linux_virtual_machine_scale_set"),
            (Compute, Ephemeral, Scaling::Elastic)
        );
        assert_eq!(
            class(&t, "kubernetes_deployment_v1"),
            (Container, Ephemeral, Scaling::Elastic)
        );
        assert_eq!(
            class(&t, "helm_release"),
            (Container, Ephemeral, Scaling::None)
        );
        assert_eq!(class(&t, "random_password"), (Other, Config, Scaling::None));
        let s = t.classify("aws_guardduty_detector").class.scope;
        assert_eq!(s, Some(Scope::Region));
    }

    #[test]
    fn commonly_used_types_are_known_by_a_class() {
        let t = Taxonomy::builtin();
        // Types every platform team writes, by provider.
        let common = [
            // aws
            "aws_vpc aws_subnet aws_nat_gateway aws_route_table_association \
             aws_security_group_rule aws_vpc_security_group_ingress_rule aws_lb_listener_rule \
             aws_instance aws_launch_template aws_autoscaling_group aws_ecs_service \
             aws_ecs_cluster aws_eks_node_group aws_eks_addon aws_lambda_function \
             aws_lambda_permission aws_api_gateway_rest_api aws_apigatewayv2_route \
             aws_db_instance aws_rds_cluster_instance aws_dynamodb_table \
             aws_elasticache_replication_group aws_s3_bucket aws_s3_bucket_policy \
             aws_s3_object aws_efs_file_system aws_sqs_queue aws_sns_topic_subscription \
             aws_kinesis_stream aws_cloudwatch_event_rule aws_route53_record \
             aws_cloudfront_distribution aws_iam_role_policy_attachment \
             aws_iam_openid_connect_provider aws_kms_key aws_secretsmanager_secret_version \
             aws_ssm_parameter aws_acm_certificate_validation aws_wafv2_web_acl \
             aws_cloudwatch_log_group aws_cloudwatch_metric_alarm aws_opensearch_domain \
             aws_glue_job aws_sfn_state_machine aws_appsync_graphql_api aws_backup_plan \
             aws_organizations_account aws_ecr_repository aws_msk_cluster",
            // google
            "google_compute_network google_compute_subnetwork google_compute_firewall \
             google_compute_instance_template google_compute_region_instance_group_manager \
             google_container_cluster google_container_node_pool google_cloud_run_v2_service \
             google_cloudfunctions2_function google_sql_database_instance google_sql_user \
             google_storage_bucket google_storage_bucket_iam_member google_pubsub_topic \
             google_pubsub_subscription google_dns_record_set google_service_account \
             google_project_iam_member google_project_service google_kms_crypto_key \
             google_secret_manager_secret google_bigquery_dataset \
             google_monitoring_alert_policy google_redis_instance \
             google_artifact_registry_repository",
            // azure
            "azurerm_resource_group azurerm_virtual_network azurerm_subnet \
             azurerm_network_security_group azurerm_subnet_network_security_group_association \
             azurerm_public_ip azurerm_linux_virtual_machine azurerm_network_interface \
             azurerm_linux_virtual_machine_scale_set azurerm_kubernetes_cluster \
             azurerm_kubernetes_cluster_node_pool azurerm_container_registry \
             azurerm_service_plan azurerm_linux_web_app azurerm_linux_function_app \
             azurerm_mssql_server azurerm_mssql_database azurerm_postgresql_flexible_server \
             azurerm_cosmosdb_account azurerm_storage_account azurerm_storage_container \
             azurerm_key_vault azurerm_key_vault_secret azurerm_role_assignment \
             azurerm_user_assigned_identity azurerm_log_analytics_workspace \
             azurerm_monitor_diagnostic_setting azurerm_private_endpoint \
             azurerm_private_dns_zone azurerm_dns_a_record azurerm_servicebus_namespace \
             azurerm_redis_cache azurerm_application_gateway azuread_application",
            // kubernetes and friends
            "kubernetes_namespace kubernetes_deployment kubernetes_service_v1 \
             kubernetes_ingress_v1 kubernetes_config_map kubernetes_secret_v1 \
             kubernetes_horizontal_pod_autoscaler_v2 kubernetes_persistent_volume_claim \
             kubernetes_cluster_role_binding kubernetes_manifest helm_release \
             kubectl_manifest random_password random_id tls_private_key null_resource \
             time_sleep terraform_data local_file cloudflare_record datadog_monitor \
             github_repository tfe_workspace vault_generic_secret",
        ];
        let unknown: Vec<&str> = common
            .iter()
            .flat_map(|line| line.split_whitespace())
            .filter(|ty| t.classify(ty).origin != Origin::Builtin)
            .collect();
        assert!(unknown.is_empty(), "not in a class: {unknown:?}");
    }

    #[test]
    fn fallbacks_only_when_no_class_matches() {
        let t = Taxonomy::builtin();
        let c = t.classify("contoso_widget_database");
        assert_eq!(c.origin, Origin::Fallback);
        assert_eq!(c.class.domain, Domain::Database);
        assert_eq!(
            t.classify("contoso_bucket").class.lifecycle,
            Lifecycle::Persistent
        );
        let u = t.classify("contoso_frobnicator");
        assert_eq!(u.origin, Origin::Unmatched);
        assert_eq!(u.class, Class::UNKNOWN);
    }

    #[test]
    fn scale_knobs_match_whole_words() {
        let t = Taxonomy::builtin();
        for yes in [
            "instance_count",
            "count",
            "web_replicas",
            "desired_capacity",
            "min_size",
            "desiredCount",
            "number-of-instances",
            "node_count_per_zone",
        ] {
            assert!(t.is_scale_knob(yes), "{yes}");
        }
        for no in [
            "account_id",
            "accounts",
            "min_size_gb",
            "enabled",
            "discount",
            "region",
        ] {
            assert!(!t.is_scale_knob(no), "{no}");
        }
    }

    #[test]
    fn config_classes_take_precedence() {
        let cfg = crate::config::parse_config(
            "t.hcl",
            r#"
taxonomy {
  class "our-queues" {
    domain    = "messaging"
    lifecycle = "persistent"
    types     = ["aws_s3_*"]
  }
  scale_variables = ["*shards*"]
}
"#,
        )
        .expect("config parses");
        let t = Taxonomy::new(&cfg.taxonomy);
        let c = t.classify("aws_s3_bucket");
        assert_eq!(c.origin, Origin::Config);
        assert_eq!(c.class.domain, Domain::Messaging);
        assert_eq!(&*c.matched, "our-queues: aws_s3_*");
        assert!(t.is_scale_knob("shards"));
        assert!(!t.is_scale_knob("instance_count"));
    }
}
