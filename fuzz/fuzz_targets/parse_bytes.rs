//! Arbitrary bytes as every kind of file stacklint reads: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "main.tf",
    "main.tf.json",
    "prod.tfvars",
    "prod.tfvars.json",
    "prod.tfbackend",
    "terragrunt.hcl",
    "stack.tm.hcl",
];

fuzz_target!(|data: &[u8]| {
    for name in NAMES {
        let _ = stacklint::parse::parse_memory(name, data.to_vec());
    }
});
