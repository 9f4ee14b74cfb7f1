//! Writes a realistic, deterministic Terraform estate for report tests: per environment
//! a network, DNS, IAM, KMS, logging and monitoring foundation, an EKS platform, data
//! stores per service and up to 30 services, wired with `terraform_remote_state` (S3
//! backends), with one service-to-service cycle and one legacy monolith in `prod`.
//!
//! `write_estate(dir, &["prod"], 5)` gives a 5-stack tree (network, kms, rds-orders,
//! svc-orders, svc-payments: a cycle); `write_estate(dir, &["dev", "staging", "prod"], 50)`
//! gives 150 stacks.

use std::fmt::Write as _;
use std::path::Path;

const SERVICES: &[&str] = &[
    "orders",
    "payments",
    "catalog",
    "checkout",
    "search",
    "accounts",
    "billing",
    "shipping",
    "inventory",
    "pricing",
    "reviews",
    "recommendations",
    "notifications",
    "auth",
    "profile",
    "cart",
    "returns",
    "invoices",
    "ledger",
    "fraud",
    "loyalty",
    "media",
    "gateway",
    "reports",
    "exports",
    "imports",
    "scheduler",
    "webhooks",
    "audit",
    "support",
];

/// Services with their own RDS database.
const WITH_DB: &[&str] = &[
    "orders",
    "payments",
    "catalog",
    "accounts",
    "billing",
    "inventory",
    "ledger",
    "fraud",
];

/// Component names in the order they are added (the first five make the small tree).
fn components() -> Vec<String> {
    let mut v: Vec<String> = ["network", "kms", "rds-orders", "svc-orders", "svc-payments"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in [
        "dns",
        "iam",
        "logging",
        "monitoring",
        "eks",
        "ecr",
        "bastion",
        "redis-sessions",
        "s3-assets",
        "sqs-events",
    ] {
        v.push(c.to_string());
    }
    for s in WITH_DB.iter().skip(1) {
        v.push(format!("rds-{s}"));
    }
    for s in SERVICES.iter().skip(2) {
        v.push(format!("svc-{s}"));
    }
    v
}

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Stack directory of a component: foundation and platform under `platform/`, data
/// stores under `data/`, services under `services/`.
fn dir_of(env: &str, c: &str) -> String {
    let area = if c.starts_with("svc-") {
        "services"
    } else if c.starts_with("rds-")
        || c.starts_with("redis-")
        || c.starts_with("s3-")
        || c.starts_with("sqs-")
    {
        "data"
    } else {
        "platform"
    };
    format!("live/{env}/{area}/{c}")
}

/// (dependency, outputs read) per component.
fn deps(env: &str, c: &str, present: &[String], rng: &mut Lcg) -> Vec<(String, Vec<&'static str>)> {
    let has = |x: &str| present.iter().any(|p| p == x);
    let mut d: Vec<(String, Vec<&'static str>)> = Vec::new();
    let mut add = |x: &str, outs: Vec<&'static str>| {
        if has(x) && x != c {
            d.push((x.to_string(), outs));
        }
    };
    match c {
        "network" | "iam" | "kms" => {}
        "dns" | "bastion" => add("network", vec!["vpc_id", "private_subnet_ids"]),
        "logging" => add("kms", vec!["logs_key_arn"]),
        "monitoring" => add("logging", vec!["log_group_names"]),
        "eks" => {
            add("network", vec!["vpc_id", "private_subnet_ids"]);
            add("iam", vec!["cluster_role_arn", "node_role_arn"]);
            add("kms", vec!["eks_key_arn"]);
        }
        "ecr" | "s3-assets" | "sqs-events" => add("kms", vec!["data_key_arn"]),
        "redis-sessions" => add("network", vec!["vpc_id", "database_subnet_ids"]),
        c if c.starts_with("rds-") => {
            add("network", vec!["vpc_id", "database_subnet_ids"]);
            add("kms", vec!["data_key_arn"]);
        }
        c if c.starts_with("svc-") => {
            let name = &c[4..];
            add("eks", vec!["cluster_name", "oidc_provider_arn"]);
            add("network", vec!["vpc_id"]);
            add("dns", vec!["private_zone_id"]);
            add(&format!("rds-{name}"), vec!["endpoint", "secret_arn"]);
            if rng.next(3) == 0 {
                add("redis-sessions", vec!["primary_endpoint"]);
            }
            if rng.next(2) == 0 {
                add("sqs-events", vec!["queue_url", "queue_arn"]);
            }
            if c == "svc-orders" {
                add("svc-payments", vec!["api_url"]);
            }
            if c == "svc-payments" && env == "prod" {
                // The defect: payments reads orders back.
                add("svc-orders", vec!["api_url"]);
            }
            if c == "svc-checkout" {
                add("svc-cart", vec!["api_url"]);
                add("svc-pricing", vec!["api_url"]);
            }
        }
        _ => {}
    }
    d
}

fn outputs_of(c: &str) -> Vec<&'static str> {
    match c {
        "network" => vec![
            "vpc_id",
            "private_subnet_ids",
            "database_subnet_ids",
            "public_subnet_ids",
        ],
        "iam" => vec!["cluster_role_arn", "node_role_arn"],
        "kms" => vec!["logs_key_arn", "eks_key_arn", "data_key_arn"],
        "logging" => vec!["log_group_names"],
        "dns" => vec!["private_zone_id"],
        "eks" => vec!["cluster_name", "oidc_provider_arn"],
        "redis-sessions" => vec!["primary_endpoint"],
        "sqs-events" => vec!["queue_url", "queue_arn"],
        c if c.starts_with("rds-") => vec!["endpoint", "secret_arn"],
        c if c.starts_with("svc-") => vec!["api_url"],
        _ => vec![],
    }
}

/// Resource blocks of a component: (type, name) pairs, chained by references.
fn resources(env: &str, c: &str, rng: &mut Lcg) -> Vec<(&'static str, String)> {
    let mut r: Vec<(&'static str, String)> = Vec::new();
    let mut push = |t: &'static str, n: &str| r.push((t, n.to_string()));
    match c {
        "network" => {
            push("aws_vpc", "main");
            push("aws_internet_gateway", "main");
            for az in ["a", "b", "c"] {
                push("aws_subnet", &format!("private_{az}"));
                push("aws_subnet", &format!("public_{az}"));
                push("aws_subnet", &format!("database_{az}"));
                push("aws_nat_gateway", &format!("nat_{az}"));
                push("aws_eip", &format!("nat_{az}"));
                push("aws_route_table", &format!("private_{az}"));
            }
            push("aws_route_table", "public");
            push("aws_flow_log", "vpc");
        }
        "kms" => {
            for k in ["logs", "eks", "data"] {
                push("aws_kms_key", k);
                push("aws_kms_alias", k);
            }
        }
        "iam" => {
            push("aws_iam_role", "cluster");
            push("aws_iam_role", "node");
            push("aws_iam_role_policy_attachment", "cluster");
            push("aws_iam_role_policy_attachment", "node");
            push("aws_iam_openid_connect_provider", "ci");
        }
        "dns" => {
            push("aws_route53_zone", "private");
            push("aws_route53_record", "bastion");
        }
        "logging" => {
            push("aws_cloudwatch_log_group", "platform");
            push("aws_cloudwatch_log_group", "audit");
            push("aws_s3_bucket", "archive");
        }
        "monitoring" => {
            push("aws_cloudwatch_dashboard", "platform");
            push("aws_sns_topic", "alerts");
            push("aws_cloudwatch_metric_alarm", "errors");
        }
        "eks" => {
            push("aws_eks_cluster", "main");
            push("aws_eks_node_group", "general");
            push("aws_eks_node_group", "spot");
            push("aws_security_group", "cluster");
            push("aws_eks_addon", "vpc_cni");
            push("aws_eks_addon", "coredns");
        }
        "ecr" => {
            for s in SERVICES.iter().take(6) {
                push("aws_ecr_repository", s);
            }
        }
        "bastion" => {
            push("aws_security_group", "bastion");
            push("aws_instance", "bastion");
        }
        "redis-sessions" => {
            push("aws_elasticache_subnet_group", "sessions");
            push("aws_elasticache_replication_group", "sessions");
            push("aws_security_group", "redis");
        }
        "s3-assets" => {
            push("aws_s3_bucket", "assets");
            push("aws_s3_bucket_versioning", "assets");
            push("aws_s3_bucket_policy", "assets");
        }
        "sqs-events" => {
            push("aws_sqs_queue", "events");
            push("aws_sqs_queue", "events_dlq");
        }
        c if c.starts_with("rds-") => {
            push("aws_db_subnet_group", "main");
            push("aws_db_instance", "main");
            push("aws_security_group", "db");
            push("aws_secretsmanager_secret", "db");
            if env == "prod" {
                push("aws_db_instance", "replica");
            }
        }
        "svc-orders" if env == "prod" => {
            // The legacy monolith: everything the order domain ever needed.
            for i in 0..24 {
                push("aws_instance", &format!("worker_{i:02}"));
            }
            for i in 0..18 {
                push("aws_security_group_rule", &format!("ingress_{i:02}"));
            }
            for i in 0..16 {
                push("aws_s3_bucket", &format!("exports_{i:02}"));
            }
            for i in 0..14 {
                push("aws_sqs_queue", &format!("jobs_{i:02}"));
            }
            for i in 0..12 {
                push("aws_iam_role", &format!("task_{i:02}"));
            }
            for i in 0..10 {
                push("aws_cloudwatch_metric_alarm", &format!("alarm_{i:02}"));
            }
            for i in 0..8 {
                push("aws_lambda_function", &format!("hook_{i:02}"));
            }
            push("aws_db_instance", "reporting");
            push("aws_route53_record", "api");
            push("aws_lb", "public");
        }
        _ => {
            let n = 3 + rng.next(9) as usize;
            let kinds: [(&'static str, &str); 9] = [
                ("kubernetes_namespace", "app"),
                ("kubernetes_deployment", "app"),
                ("kubernetes_service", "app"),
                ("aws_iam_role", "irsa"),
                ("aws_iam_role_policy", "irsa"),
                ("aws_cloudwatch_log_group", "app"),
                ("aws_sqs_queue", "work"),
                ("aws_route53_record", "api"),
                ("kubernetes_horizontal_pod_autoscaler", "app"),
            ];
            for (t, name) in kinds.iter().take(n) {
                push(t, name);
            }
        }
    }
    r
}

fn body_of(t: &str, name: &str, prev: Option<&(&str, String)>, env: &str, c: &str) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "resource \"{t}\" \"{name}\" {{");
    match t {
        "aws_vpc" => {
            let _ = writeln!(b, "  cidr_block           = var.cidr_block");
            let _ = writeln!(b, "  enable_dns_hostnames = true");
        }
        "aws_kms_key" => {
            let _ = writeln!(b, "  description         = \"{env} {name} key\"");
            let _ = writeln!(b, "  enable_key_rotation = true");
        }
        _ => {
            let _ = writeln!(b, "  name = \"{env}-{c}-{name}\"");
        }
    }
    // Chain each resource to the one before it, so the stack is one cluster.
    if let Some((pt, pn)) = prev {
        let _ = writeln!(b, "  depends_on = [{pt}.{pn}]");
    }
    let _ = writeln!(b, "  tags = local.tags");
    b.push_str("}\n\n");
    b
}

/// Writes the estate; returns the stack ids written.
pub fn write_estate(root: &Path, envs: &[&str], per_env: usize) -> Vec<String> {
    let comps: Vec<String> = components().into_iter().take(per_env).collect();
    let mut ids = Vec::new();
    for (ei, env) in envs.iter().enumerate() {
        let mut rng = Lcg(0x5eed + ei as u64 * 7919);
        for c in &comps {
            let dir = dir_of(env, c);
            let path = root.join(&dir);
            std::fs::create_dir_all(&path).expect("create stack dir");
            let mut tf = String::new();
            let _ = writeln!(
                tf,
                "terraform {{\n  required_version = \">= 1.6\"\n  backend \"s3\" {{\n    bucket = \"acme-tf-state\"\n    key    = \"{env}/{c}/terraform.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n"
            );
            let _ = writeln!(
                tf,
                "provider \"aws\" {{\n  region = var.region\n}}\n\nvariable \"region\" {{\n  type    = string\n  default = \"eu-west-1\"\n}}\n"
            );
            if c == "network" {
                let _ = writeln!(
                    tf,
                    "variable \"cidr_block\" {{\n  type    = string\n  default = \"10.{}.0.0/16\"\n}}\n",
                    10 + ei
                );
            }
            let _ = writeln!(
                tf,
                "locals {{\n  tags = {{\n    Environment = \"{env}\"\n    Component   = \"{c}\"\n    ManagedBy   = \"terraform\"\n  }}\n}}\n"
            );
            for (dep, outs) in deps(env, c, &comps, &mut rng) {
                let label = dep.replace('-', "_");
                let _ = writeln!(
                    tf,
                    "data \"terraform_remote_state\" \"{label}\" {{\n  backend = \"s3\"\n  config = {{\n    bucket = \"acme-tf-state\"\n    key    = \"{env}/{dep}/terraform.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n"
                );
                let _ = writeln!(tf, "locals {{");
                for o in outs {
                    let _ = writeln!(
                        tf,
                        "  {label}_{o} = data.terraform_remote_state.{label}.outputs.{o}"
                    );
                }
                let _ = writeln!(tf, "}}\n");
            }
            let res = resources(env, c, &mut rng);
            for (i, (t, n)) in res.iter().enumerate() {
                let prev = if i == 0 { None } else { res.get(i - 1) };
                tf.push_str(&body_of(t, n, prev, env, c));
            }
            let first = res.first();
            for o in outputs_of(c) {
                let value = match first {
                    Some((t, n)) => format!("{t}.{n}.id"),
                    None => "null".to_string(),
                };
                let _ = writeln!(tf, "output \"{o}\" {{\n  value = {value}\n}}\n");
            }
            std::fs::write(path.join("main.tf"), tf).expect("write main.tf");
            ids.push(dir);
        }
    }
    ids.sort();
    ids
}
