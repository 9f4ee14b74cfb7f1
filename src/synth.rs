//! A deterministic synthetic monorepo for benchmarks and scale tests: plain Terraform
//! stacks with remote state and per-environment tfvars, Terragrunt units with a root
//! include and dependencies, Terramate stacks ordered with `after`, SSM producers and
//! consumers, tag lookups and local modules. The same seed always writes the same bytes.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// xorshift64*: tiny, fast, and reproducible everywhere (no dependency needed).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const TEAMS: &[&str] = &[
    "payments", "identity", "search", "catalog", "checkout", "data", "platform", "mobile",
];
const COMPONENTS: &[&str] = &[
    "network",
    "database",
    "cache",
    "queue",
    "api",
    "worker",
    "cdn",
    "dns",
    "storage",
    "observability",
];
const MODULES: usize = 12;

/// Writes a monorepo of about `stacks` stacks under `root`; returns the number written.
pub fn write_monorepo(root: &Path, stacks: usize, seed: u64) -> io::Result<usize> {
    let mut rng = Rng::new(seed);
    std::fs::create_dir_all(root)?;
    for m in 0..MODULES {
        write(root, &format!("modules/m{m:02}/main.tf"), &module(m))?;
    }
    write(root, "tg/root.hcl", TG_ROOT)?;
    write(
        root,
        "tm/terramate.tm.hcl",
        "terramate {\n  config {\n  }\n}\n",
    )?;
    let tf = stacks * 5 / 10;
    let tg = stacks * 3 / 10;
    let tm = stacks - tf - tg;
    for i in 0..tf {
        terraform_stack(root, i, &mut rng)?;
    }
    for i in 0..tg {
        terragrunt_unit(root, i, &mut rng)?;
    }
    for i in 0..tm {
        terramate_stack(root, i, &mut rng)?;
    }
    Ok(tf + tg + tm)
}

fn write(root: &Path, rel: &str, text: &str) -> io::Result<()> {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d)?;
    }
    std::fs::write(p, text)
}

fn tf_dir(i: usize) -> String {
    format!(
        "tf/{}/{}-{i:05}",
        TEAMS[i % TEAMS.len()],
        COMPONENTS[(i / TEAMS.len()) % COMPONENTS.len()]
    )
}

fn terraform_stack(root: &Path, i: usize, rng: &mut Rng) -> io::Result<()> {
    let dir = tf_dir(i);
    let team = TEAMS[i % TEAMS.len()];
    let mut main = format!(
        "terraform {{\n  required_version = \">= 1.6\"\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.50\"\n    }}\n  }}\n  backend \"s3\" {{\n    bucket         = \"acme-synthetic-tfstate\"\n    key            = \"{dir}/terraform.tfstate\"\n    region         = \"eu-west-1\"\n    dynamodb_table = \"acme-synthetic-lock\"\n  }}\n}}\n\nprovider \"aws\" {{\n  region = var.region\n  default_tags {{\n    tags = local.tags\n  }}\n}}\n\nlocals {{\n  name = \"{team}-${{var.environment}}-{i}\"\n  tags = {{\n    Team        = \"{team}\"\n    Environment = var.environment\n    Service     = \"{team}\"\n  }}\n}}\n\n"
    );
    // Remote state reads of earlier stacks keep the graph a DAG with realistic fan-in.
    if i > 0 {
        for r in 0..1 + rng.below(3) {
            let target = rng.below(i);
            let _ = write!(
                main,
                "data \"terraform_remote_state\" \"dep{r}\" {{\n  backend = \"s3\"\n  config = {{\n    bucket = \"acme-synthetic-tfstate\"\n    key    = \"{}/terraform.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n\n",
                tf_dir(target)
            );
        }
    }
    let resources = 4 + rng.below(20);
    for r in 0..resources {
        main.push_str(&resource(i, r, rng));
    }
    if rng.chance(30) {
        let _ = write!(
            main,
            "resource \"aws_ssm_parameter\" \"endpoint\" {{\n  name  = \"/synthetic/${{var.environment}}/{i}/endpoint\"\n  type  = \"String\"\n  value = \"svc-{i}.internal\"\n}}\n\n"
        );
    }
    if i > 10 && rng.chance(30) {
        let p = rng.below(i);
        let _ = write!(
            main,
            "data \"aws_ssm_parameter\" \"upstream\" {{\n  name = \"/synthetic/prod/{p}/endpoint\"\n}}\n\n"
        );
    }
    if rng.chance(25) {
        let _ = write!(
            main,
            "module \"shared\" {{\n  source      = \"../../../modules/m{:02}\"\n  name        = local.name\n  environment = var.environment\n  replicas    = var.replicas\n}}\n\n",
            rng.below(MODULES)
        );
    }
    let _ = write!(main, "output \"id\" {{\n  value = aws_security_group.r0.id\n}}\n\noutput \"name\" {{\n  value = local.name\n}}\n");
    let vars = "variable \"region\" {\n  type    = string\n  default = \"eu-west-1\"\n}\n\nvariable \"environment\" {\n  type    = string\n  default = \"dev\"\n}\n\nvariable \"replicas\" {\n  type    = number\n  default = 2\n}\n";
    write(root, &format!("{dir}/main.tf"), &main)?;
    write(root, &format!("{dir}/variables.tf"), vars)?;
    write(
        root,
        &format!("{dir}/envs/dev.tfvars"),
        "environment = \"dev\"\nreplicas    = 1\n",
    )?;
    write(
        root,
        &format!("{dir}/envs/prod.tfvars"),
        "environment = \"prod\"\nreplicas    = 4\n",
    )
}

fn resource(i: usize, r: usize, rng: &mut Rng) -> String {
    if r == 0 {
        return "resource \"aws_security_group\" \"r0\" {\n  name   = \"${local.name}-sg\"\n  vpc_id = \"vpc-0a1b2c3d\"\n  tags   = local.tags\n}\n\n".to_string();
    }
    match rng.below(8) {
        0 => format!("resource \"aws_s3_bucket\" \"r{r}\" {{\n  bucket = \"acme-synthetic-{i}-{r}\"\n  tags   = local.tags\n}}\n\n"),
        1 => format!("resource \"aws_iam_role\" \"r{r}\" {{\n  name               = \"${{local.name}}-{r}\"\n  assume_role_policy = jsonencode({{ Version = \"2012-10-17\", Statement = [] }})\n}}\n\n"),
        2 => format!("resource \"aws_cloudwatch_log_group\" \"r{r}\" {{\n  name              = \"/synthetic/{i}/{r}\"\n  retention_in_days = 14\n}}\n\n"),
        3 => format!("resource \"aws_sqs_queue\" \"r{r}\" {{\n  name                      = \"${{local.name}}-{r}\"\n  message_retention_seconds = 86400\n  tags                      = local.tags\n}}\n\n"),
        4 => format!("resource \"aws_lambda_function\" \"r{r}\" {{\n  function_name = \"${{local.name}}-{r}\"\n  role          = \"arn:aws:iam::123456789012:role/lambda\"\n  handler       = \"index.handler\"\n  runtime       = \"nodejs20.x\"\n  filename      = \"lambda.zip\"\n  environment {{\n    variables = {{\n      QUEUE = \"q-{r}\"\n    }}\n  }}\n}}\n\n"),
        5 => format!("resource \"aws_autoscaling_group\" \"r{r}\" {{\n  name             = \"${{local.name}}-{r}\"\n  min_size         = 1\n  max_size         = var.replicas * 2\n  desired_capacity = var.replicas\n  vpc_zone_identifier = [\"subnet-0a1b2c3d\"]\n}}\n\n"),
        6 => format!("resource \"aws_db_instance\" \"r{r}\" {{\n  identifier        = \"${{local.name}}-{r}\"\n  engine            = \"postgres\"\n  instance_class    = \"db.t4g.medium\"\n  allocated_storage = 50\n  tags              = local.tags\n}}\n\n"),
        _ => format!("resource \"aws_cloudwatch_metric_alarm\" \"r{r}\" {{\n  alarm_name          = \"${{local.name}}-{r}\"\n  comparison_operator = \"GreaterThanThreshold\"\n  evaluation_periods  = 2\n  metric_name         = \"Errors\"\n  namespace           = \"Synthetic\"\n  period              = 60\n  statistic           = \"Sum\"\n  threshold           = {}\n}}\n\n", 5 + r),
    }
}

const TG_ROOT: &str = "locals {\n  region = \"eu-west-1\"\n}\n\nremote_state {\n  backend = \"s3\"\n  config = {\n    bucket  = \"acme-synthetic-terragrunt\"\n    key     = \"${path_relative_to_include()}/terraform.tfstate\"\n    region  = local.region\n    encrypt = true\n  }\n  generate = {\n    path      = \"backend.tf\"\n    if_exists = \"overwrite_terragrunt\"\n  }\n}\n";

fn tg_dir(i: usize) -> String {
    format!(
        "tg/{}/{}/unit-{i:05}",
        ["dev", "stage", "prod"][i % 3],
        TEAMS[(i / 3) % TEAMS.len()]
    )
}

fn terragrunt_unit(root: &Path, i: usize, rng: &mut Rng) -> io::Result<()> {
    let dir = tg_dir(i);
    let mut text = format!(
        "include \"root\" {{\n  path = find_in_parent_folders(\"root.hcl\")\n}}\n\nterraform {{\n  source = \"../../../../modules//m{:02}\"\n}}\n\n",
        rng.below(MODULES)
    );
    let mut inputs = format!(
        "  name        = \"unit-{i}\"\n  environment = \"{}\"\n  replicas    = {}\n",
        ["dev", "stage", "prod"][i % 3],
        1 + rng.below(5)
    );
    if i >= 3 {
        for d in 0..1 + rng.below(2) {
            let target = i - 3 * (1 + rng.below(i / 3).min(20));
            let rel = relative(&dir, &tg_dir(target));
            let _ = write!(text, "dependency \"d{d}\" {{\n  config_path = \"{rel}\"\n  mock_outputs = {{\n    id = \"mock\"\n  }}\n}}\n\n");
            let _ = writeln!(inputs, "  upstream_{d} = dependency.d{d}.outputs.id");
        }
    }
    let _ = write!(text, "inputs = {{\n{inputs}}}\n");
    write(root, &format!("{dir}/terragrunt.hcl"), &text)
}

fn relative(from: &str, to: &str) -> String {
    crate::model::paths::relative(from, to)
}

fn terramate_stack(root: &Path, i: usize, rng: &mut Rng) -> io::Result<()> {
    let dir = format!("tm/stacks/{}/s{i:05}", COMPONENTS[i % COMPONENTS.len()]);
    let mut stack = format!("stack {{\n  name = \"s{i}\"\n  id   = \"00000000-0000-4000-8000-{i:012}\"\n  tags = [\"{}\"]\n", COMPONENTS[i % COMPONENTS.len()]);
    if i > 0 && rng.chance(60) {
        let t = rng.below(i);
        let _ = writeln!(
            stack,
            "  after = [\"/stacks/{}/s{t:05}\"]",
            COMPONENTS[t % COMPONENTS.len()]
        );
    }
    stack.push_str("}\n");
    write(root, &format!("{dir}/stack.tm.hcl"), &stack)?;
    let mut main = format!("terraform {{\n  backend \"s3\" {{\n    bucket = \"acme-synthetic-terramate\"\n    key    = \"{dir}/terraform.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n\nprovider \"aws\" {{\n  region = \"eu-west-1\"\n}}\n\nlocals {{\n  name = \"tm-{i}\"\n  tags = {{\n    Service = \"tm-{i}\"\n  }}\n}}\n\n");
    if i > 0 && rng.chance(20) {
        let _ = write!(
            main,
            "data \"aws_sqs_queue\" \"upstream\" {{\n  name = \"tm-{}-queue\"\n}}\n\n",
            rng.below(i)
        );
    }
    let _ = write!(
        main,
        "resource \"aws_sqs_queue\" \"queue\" {{\n  name = \"tm-{i}-queue\"\n}}\n\n"
    );
    for r in 0..2 + rng.below(6) {
        main.push_str(&resource(i, r, rng));
    }
    write(root, &format!("{dir}/main.tf"), &main)
}

fn module(m: usize) -> String {
    format!(
        "variable \"name\" {{\n  type = string\n}}\n\nvariable \"environment\" {{\n  type = string\n}}\n\nvariable \"replicas\" {{\n  type    = number\n  default = 2\n}}\n\nresource \"aws_ecs_cluster\" \"this\" {{\n  name = var.name\n}}\n\nresource \"aws_ecs_service\" \"this\" {{\n  name          = \"${{var.name}}-m{m}\"\n  cluster       = aws_ecs_cluster.this.id\n  desired_count = var.replicas\n}}\n\nresource \"aws_security_group\" \"this\" {{\n  name = \"${{var.name}}-m{m}\"\n}}\n\noutput \"id\" {{\n  value = aws_ecs_cluster.this.id\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_seed_same_bytes() {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        assert_eq!(super::write_monorepo(a.path(), 40, 7).expect("write"), 40);
        super::write_monorepo(b.path(), 40, 7).expect("write");
        let read = |root: &std::path::Path| {
            let mut v: Vec<(String, Vec<u8>)> = walk(root)
                .into_iter()
                .map(|p| {
                    (
                        p.strip_prefix(root).expect("prefix").display().to_string(),
                        std::fs::read(&p).expect("read"),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(read(a.path()), read(b.path()));
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }
}
