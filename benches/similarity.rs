//! The similarity step (fingerprints + MinHash/LSH grouping) on generated trees of 500 and
//! 5,000 stacks. The tree is written once per size into a temporary directory (fixed
//! seed, so every run sees the same code) and analysed outside the measurement.
//!
//! Run: `cargo bench --bench similarity`. Before the measurements it prints one timing
//! of the whole pipeline and of all rules on each tree, to show the share similarity takes.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use stacklint::check::{lint, Selection};
use stacklint::config::Config;
use stacklint::pipeline::{self, Analysis, ScanOptions};
use stacklint::similarity;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TYPES: &[(&str, &[&str])] = &[
    (
        "aws_vpc",
        &["cidr_block", "enable_dns_support", "enable_dns_hostnames"],
    ),
    ("aws_subnet", &["vpc_id", "cidr_block", "availability_zone"]),
    ("aws_security_group", &["name", "vpc_id", "description"]),
    (
        "aws_instance",
        &["ami", "instance_type", "subnet_id", "monitoring"],
    ),
    ("aws_s3_bucket", &["bucket", "force_destroy"]),
    ("aws_iam_role", &["name", "assume_role_policy", "path"]),
    ("aws_lb", &["name", "load_balancer_type", "internal"]),
    (
        "aws_lb_target_group",
        &["name", "port", "protocol", "vpc_id"],
    ),
    (
        "aws_autoscaling_group",
        &["name", "min_size", "max_size", "desired_capacity"],
    ),
    (
        "aws_db_instance",
        &[
            "identifier",
            "engine",
            "instance_class",
            "allocated_storage",
        ],
    ),
    (
        "aws_sqs_queue",
        &[
            "name",
            "visibility_timeout_seconds",
            "message_retention_seconds",
        ],
    ),
    ("aws_sns_topic", &["name", "display_name"]),
    ("aws_cloudwatch_log_group", &["name", "retention_in_days"]),
    (
        "aws_kms_key",
        &[
            "description",
            "deletion_window_in_days",
            "enable_key_rotation",
        ],
    ),
    ("aws_route53_record", &["zone_id", "name", "type", "ttl"]),
    (
        "aws_ecs_service",
        &["name", "cluster", "desired_count", "launch_type"],
    ),
    (
        "aws_lambda_function",
        &["function_name", "runtime", "handler", "memory_size"],
    ),
    ("aws_dynamodb_table", &["name", "billing_mode", "hash_key"]),
    ("aws_ecr_repository", &["name", "image_tag_mutability"]),
    ("aws_eip", &["domain"]),
];

const NAMES: &[&str] = &[
    "main", "app", "api", "web", "worker", "data", "logs", "edge",
];

fn resource(rng: &mut Rng, out: &mut String, salt: usize) {
    let (ty, attrs) = TYPES[rng.below(TYPES.len())];
    let name = NAMES[rng.below(NAMES.len())];
    let _ = writeln!(out, "resource \"{ty}\" \"{name}_{salt}\" {{");
    for a in attrs.iter() {
        match rng.below(3) {
            0 => {
                let _ = writeln!(out, "  {a} = \"value-{}\"", rng.below(1000));
            }
            1 => {
                let _ = writeln!(out, "  {a} = {}", rng.below(100));
            }
            _ => {
                let _ = writeln!(out, "  {a} = var.{a}");
            }
        }
    }
    let _ = writeln!(
        out,
        "\n  tags = {{\n    Name = \"{name}-{salt}\"\n    Team = \"team-{}\"\n  }}\n}}\n",
        rng.below(20)
    );
}

fn header(out: &mut String, key: &str) {
    let _ = writeln!(
        out,
        "terraform {{\n  backend \"s3\" {{\n    bucket = \"acme-state\"\n    key    = \"{key}/terraform.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n\nprovider \"aws\" {{\n  region = \"eu-west-1\"\n}}\n"
    );
}

/// Writes `n` stacks: a third are per-environment copies (three near-identical stacks
/// with edited values and the odd extra resource), a third are unrelated stacks, a third
/// are thin wrappers of one of a few shared modules.
fn generate(root: &Path, n: usize) {
    let mut rng = Rng(0x5eed_5eed);
    let write = |rel: String, text: &str| {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("create fixture dir");
        }
        std::fs::write(p, text).expect("write fixture file");
    };
    for m in 0..8 {
        let mut code = String::new();
        for i in 0..6 {
            resource(&mut rng, &mut code, i);
        }
        write(format!("modules/m{m}/main.tf"), &code);
    }
    let mut i = 0;
    while i < n {
        match i % 9 {
            // Three copies of one project, per environment.
            0..=2 if i + 3 <= n => {
                let seed = rng.next();
                for env in ["dev", "stage", "prod"] {
                    let mut copy_rng = Rng(seed);
                    let mut code = String::new();
                    header(&mut code, &format!("svc{i}/{env}"));
                    let count = 5 + copy_rng.below(12);
                    for r in 0..count {
                        resource(&mut copy_rng, &mut code, r);
                    }
                    if env == "prod" {
                        resource(&mut rng, &mut code, 99);
                    }
                    write(format!("envs/{env}/svc{i}/main.tf"), &code);
                    i += 1;
                }
            }
            3..=5 => {
                let mut code = String::new();
                header(&mut code, &format!("misc{i}"));
                for r in 0..(3 + rng.below(15)) {
                    resource(&mut rng, &mut code, r);
                }
                write(format!("misc/s{i}/main.tf"), &code);
                i += 1;
            }
            _ => {
                let mut code = String::new();
                header(&mut code, &format!("wrap{i}"));
                let _ = writeln!(
                    code,
                    "module \"app\" {{\n  source = \"../../modules/m{}\"\n  name   = \"w{i}\"\n  size   = {}\n}}",
                    rng.below(8),
                    rng.below(10)
                );
                write(format!("wrappers/w{i}/main.tf"), &code);
                i += 1;
            }
        }
    }
}

fn analysed(n: usize) -> (tempfile::TempDir, Analysis) {
    let dir = tempfile::tempdir().expect("temp dir");
    generate(dir.path(), n);
    let opts = ScanOptions {
        root: dir.path().to_path_buf(),
        ..ScanOptions::default()
    };
    let t = Instant::now();
    let a = pipeline::with_pool(None, || pipeline::analyze(&opts))
        .expect("pool")
        .expect("analysis");
    let analyse = t.elapsed();
    let config = Config::empty();
    let t = Instant::now();
    let (findings, _) =
        pipeline::with_pool(None, || lint(&a, &config, &Selection::default())).expect("pool");
    let rules = t.elapsed();
    let t = Instant::now();
    let sim = pipeline::with_pool(None, || similarity::analyse(&a.ws, 0.8)).expect("pool");
    eprintln!(
        "{n} stacks ({} projects): discover+parse+model+link {:.0} ms, all rules {:.0} ms \
         ({} findings), similarity alone {:.1} ms ({} groups, {} full comparisons)",
        sim.nodes.len(),
        analyse.as_secs_f64() * 1e3,
        rules.as_secs_f64() * 1e3,
        findings.len(),
        t.elapsed().as_secs_f64() * 1e3,
        sim.groups.len(),
        sim.comparisons,
    );
    (dir, a)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("similarity");
    g.sample_size(10);
    for n in [500usize, 5_000] {
        let (_dir, a) = analysed(n);
        g.bench_with_input(BenchmarkId::new("analyse", n), &a, |b, a| {
            b.iter(|| similarity::analyse(&a.ws, 0.8))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
