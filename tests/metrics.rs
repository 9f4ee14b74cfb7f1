//! Stack metrics on a graph whose values were computed by hand
//! (fixtures/metrics/known-graph/README.md): Ca, Ce, instability, depth, cycle
//! membership, outputs read by others out of those exposed, and longest paths.

use stacklint::pipeline::{analyze, with_pool, Analysis, ScanOptions};
use std::path::Path;

fn analysis() -> Analysis {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/metrics/known-graph");
    let opts = ScanOptions {
        root,
        ..ScanOptions::default()
    };
    with_pool(Some(2), || analyze(&opts))
        .expect("thread pool")
        .expect("fixture analyses")
}

fn index(a: &Analysis, id: &str) -> usize {
    a.ws.stack_index(id)
        .unwrap_or_else(|| panic!("no stack {id}"))
}

/// (stack, Ca, Ce, instability, depth, in a cycle, outputs read by others, exposed)
type Row = (&'static str, usize, usize, f64, usize, bool, usize, usize);

const EXPECTED: &[Row] = &[
    ("core/dns", 1, 0, 0.0, 0, false, 0, 1),
    ("core/network", 3, 0, 0.0, 0, false, 2, 3),
    ("edge/cdn", 1, 1, 0.5, 1, false, 0, 1),
    ("ring/x", 1, 1, 0.5, 1, true, 1, 1),
    ("ring/y", 1, 1, 0.5, 1, true, 1, 1),
    ("ring/z", 1, 2, 2.0 / 3.0, 1, true, 0, 0),
    ("shop/api", 1, 2, 2.0 / 3.0, 2, false, 2, 3),
    ("shop/app", 0, 2, 1.0, 3, false, 0, 0),
    ("shop/db", 1, 1, 0.5, 1, false, 1, 2),
    ("tools/lonely", 0, 0, 0.0, 0, false, 0, 0),
];

#[test]
fn metrics_equal_hand_computed_values() {
    let a = analysis();
    assert_eq!(a.ws.stacks.len(), EXPECTED.len());
    for &(id, ca, ce, inst, depth, cycle, read, exposed) in EXPECTED {
        let m = &a.graph.metrics[index(&a, id)];
        assert_eq!((m.ca, m.ce), (ca, ce), "{id}: Ca, Ce");
        assert!(
            (m.instability - inst).abs() < 1e-9,
            "{id}: instability {} != {inst}",
            m.instability
        );
        assert_eq!(m.depth, depth, "{id}: depth");
        assert_eq!(m.cycle.is_some(), cycle, "{id}: cycle membership");
        assert_eq!(m.outputs_read.len(), read, "{id}: outputs read by others");
        assert_eq!(
            a.ws.stacks[index(&a, id)].outputs.len(),
            exposed,
            "{id}: outputs exposed"
        );
    }
    let net = &a.graph.metrics[index(&a, "core/network")];
    let read: Vec<&str> = net.outputs_read.iter().map(String::as_str).collect();
    assert_eq!(read, ["private_subnet_ids", "vpc_id"]);
    assert_eq!(a.graph.cycles.len(), 1);
}

#[test]
fn longest_paths_follow_real_edges_and_cross_cycles() {
    let a = analysis();
    let path = |id: &str| -> Vec<String> {
        a.graph
            .longest_path(index(&a, id))
            .into_iter()
            .map(|i| a.ws.stacks[i].id.clone())
            .collect()
    };
    assert_eq!(
        path("shop/app"),
        ["shop/app", "shop/api", "shop/db", "core/network"]
    );
    // Inside the cycle the path walks to the member that leaves it.
    assert_eq!(
        path("ring/x"),
        ["ring/x", "ring/y", "ring/z", "core/network"]
    );
    assert_eq!(path("ring/z"), ["ring/z", "core/network"]);
    assert_eq!(path("tools/lonely"), ["tools/lonely"]);
    for id in ["shop/app", "ring/x", "ring/y"] {
        let p = a.graph.longest_path(index(&a, id));
        for w in p.windows(2) {
            assert!(
                a.graph.depends_on[w[0]].contains(&w[1]),
                "{id}: {} -> {} is not an edge",
                a.ws.stacks[w[0]].id,
                a.ws.stacks[w[1]].id
            );
        }
    }
}

#[test]
fn stacks_output_shows_the_metrics() {
    let a = analysis();
    let facts =
        stacklint::profile::Facts::compute(&a.ws, &a.graph, &stacklint::config::Config::empty());
    let json = stacklint::output::stacks::to_json(&a.ws, &a.graph, &facts);
    let api = json["stacks"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "shop/api"))
        .expect("shop/api row");
    assert_eq!(api["ca"], 1);
    assert_eq!(api["ce"], 2);
    assert_eq!(api["instability"], 0.67);
    assert_eq!(api["depth"], 2);
    assert_eq!(api["in_cycle"], false);
    assert_eq!(api["outputs"], 3);
    assert_eq!(api["outputs_known"], true);
    assert_eq!(api["outputs_read"], 2);
    assert_eq!(api["outputs_read_dynamically"], false);
    let table = stacklint::output::stacks::to_table(&a.ws, &a.graph, &facts);
    let row = table
        .lines()
        .find(|l| l.starts_with("ring/x "))
        .expect("ring/x row");
    assert!(row.contains("1 (cycle)"), "{row}");
    assert!(row.contains(" 1/1 "), "{row}");
}

#[test]
fn edges_between_finds_exactly_the_edges_of_a_pair() {
    let a = analysis();
    let n = a.ws.stacks.len();
    for from in 0..n {
        for to in 0..n {
            let fast: Vec<_> = stacklint::graph::StackGraph::edges_between(&a.links, from, to)
                .map(|e| e.mechanism)
                .collect();
            let slow: Vec<_> = a
                .links
                .edges
                .iter()
                .filter(|e| e.from == from && e.to == to)
                .map(|e| e.mechanism)
                .collect();
            assert_eq!(fast, slow, "{from} -> {to}");
        }
    }
}
