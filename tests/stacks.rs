//! `stacklint stacks`: the pattern classification, domains and classes of each stack, on
//! a small tree with one stack of each kind (fixtures/stacks/patterns).

use stacklint::config::{parse_config, Config};
use stacklint::pipeline::{analyze, with_pool, Analysis, ScanOptions};
use stacklint::profile::Facts;
use std::collections::BTreeMap;
use std::path::Path;

fn analysis() -> Analysis {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stacks/patterns");
    let opts = ScanOptions {
        root,
        ..ScanOptions::default()
    };
    with_pool(Some(2), || analyze(&opts))
        .expect("pool")
        .expect("fixture analyses")
}

fn patterns(a: &Analysis, config: &Config) -> BTreeMap<String, Vec<String>> {
    let facts = Facts::compute(&a.ws, &a.graph, config);
    let json = stacklint::output::stacks::to_json(&a.ws, &a.graph, &facts);
    json["stacks"]
        .as_array()
        .expect("stacks")
        .iter()
        .map(|s| {
            let ps = s["patterns"]
                .as_array()
                .expect("patterns")
                .iter()
                .map(|p| p.as_str().expect("string").to_string())
                .collect();
            (s["id"].as_str().expect("id").to_string(), ps)
        })
        .collect()
}

fn want(rows: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    rows.iter()
        .map(|(id, ps)| (id.to_string(), ps.iter().map(|p| p.to_string()).collect()))
        .collect()
}

#[test]
fn every_stack_gets_its_patterns() {
    let a = analysis();
    assert_eq!(
        patterns(&a, &Config::empty()),
        want(&[
            // checkout's app and data live in two stacks: a split by lifecycle.
            (
                "live/checkout-app",
                &["cross-stack-service", "micro", "single-service"]
            ),
            (
                "live/checkout-data",
                &["cross-stack-service", "micro", "single-service"]
            ),
            // Read by two stacks.
            ("live/network", &["micro", "shared-infrastructure"]),
            // Six service domains and two services.
            ("live/platform", &["monolithic", "multi-service"]),
            // No edge in or out.
            ("live/tools", &["micro", "shared-nothing"]),
        ])
    );
}

#[test]
fn thresholds_come_from_the_config() {
    let a = analysis();
    let cfg = parse_config(
        "t.hcl",
        "rule \"monolithic-stack\" {\n  max_domains = 6\n}\nrule \"multi-service-stack\" {\n  service_tags = [\"Team\"]\n}\n",
    )
    .expect("config parses");
    let got = patterns(&a, &cfg);
    // Six domains are allowed now (but too many for a micro stack), and no resource has
    // a Team tag.
    assert!(
        got["live/platform"].is_empty(),
        "{:?}",
        got["live/platform"]
    );
    assert_eq!(got["live/checkout-app"], vec!["micro".to_string()]);
}

#[test]
fn json_has_domains_and_classes_and_the_table_a_patterns_column() {
    let a = analysis();
    let facts = Facts::compute(&a.ws, &a.graph, &Config::empty());
    let json = stacklint::output::stacks::to_json(&a.ws, &a.graph, &facts);
    let platform = json["stacks"]
        .as_array()
        .expect("stacks")
        .iter()
        .find(|s| s["id"] == "live/platform")
        .expect("platform stack");
    assert_eq!(platform["domains"]["cache"], 1);
    assert_eq!(platform["domains"]["network"], 2);
    assert_eq!(platform["classes"]["lifecycle"]["persistent"], 3);
    assert_eq!(platform["classes"]["scaling"]["none"], 7);
    assert_eq!(
        platform["services"],
        serde_json::json!(["search", "storefront"])
    );
    // Existing fields stay.
    assert_eq!(platform["resources"], 7);
    assert_eq!(platform["depends_on"], 1);
    let table = stacklint::output::stacks::to_table(&a.ws, &a.graph, &facts);
    let header = table.lines().next().expect("header");
    assert!(header.ends_with("PATTERNS"), "{header}");
    assert!(table.contains("micro,shared-nothing"), "{table}");
}
