//! Arbitrary bytes split into a small tree of files (Terraform, tfvars, Terragrunt,
//! Terramate, in several directories), through parse -> model -> link -> graph -> rules.
#![no_main]
use libfuzzer_sys::fuzz_target;
use stacklint::check::{lint, Selection};
use stacklint::config::Config;

const PATHS: &[&str] = &[
    "live/app/main.tf",
    "live/app/prod.tfvars",
    "live/net/main.tf",
    "live/net/prod.tfbackend",
    "root.hcl",
    "tg/vpc/terragrunt.hcl",
    "tg/eks/terragrunt.hcl",
    "tm/stacks/a/stack.tm.hcl",
    "tm/stacks/a/main.tf",
    "modules/m/main.tf",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<(String, Vec<u8>)> = data
        .split(|b| *b == 0x1e)
        .zip(PATHS)
        .map(|(chunk, path)| (path.to_string(), chunk.to_vec()))
        .collect();
    let a = stacklint::pipeline::analyze_in_memory(std::path::Path::new("/nonexistent/fuzz"), files);
    let _ = lint(&a, &Config::empty(), &Selection::default());
});
