//! Stage and whole-run benchmarks on synthetic monorepos of 100, 1,000 and 10,000 stacks
//! (`stacklint::synth`, deterministic from a seed). Run with
//! `cargo bench --bench pipeline` (all sizes) or
//! `STACKLINT_BENCH_SIZES=100,1000 cargo bench --bench pipeline`.
//! The trees are written once under `target/bench-data/`.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use stacklint::check::{lint, Selection};
use stacklint::config::Config;
use stacklint::discover::{discover, DiscoverOptions};
use stacklint::graph::StackGraph;
use stacklint::parse::{parse_all, ParseOptions};
use stacklint::pipeline::{analyze, with_pool, ScanOptions};
use stacklint::{link, model};
use std::path::{Path, PathBuf};
use std::time::Duration;

// The binary's allocator, so that the stages cost here what they cost in `stacklint`.
#[global_allocator]
static GLOBAL: stacklint::allocator::Allocator = stacklint::allocator::Allocator;

fn sizes() -> Vec<usize> {
    std::env::var("STACKLINT_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1_000, 10_000])
}

fn tree(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/synth-{n}"));
    if !dir.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        stacklint::synth::write_monorepo(&dir, n, 42).expect("write synthetic tree");
        std::fs::write(dir.join(".complete"), b"").expect("mark complete");
    }
    dir
}

fn samples(n: usize) -> usize {
    if n >= 10_000 {
        10
    } else {
        20
    }
}

fn bench(c: &mut Criterion) {
    // As the binary does: page zeroing for huge pages would otherwise be measured.
    stacklint::pipeline::no_huge_pages();
    stacklint::allocator::set_defaults();
    for n in sizes() {
        let root = tree(n);
        let mut g = c.benchmark_group(format!("stacks-{n}"));
        g.sample_size(samples(n));
        g.measurement_time(Duration::from_secs(if n >= 10_000 { 60 } else { 10 }));
        let files = discover(&root, &DiscoverOptions::default())
            .expect("discover")
            .files;

        g.bench_function(BenchmarkId::new("read", n), |b| {
            b.iter(|| {
                with_pool(None, || {
                    use rayon::prelude::*;
                    files
                        .par_iter()
                        .map(|f| {
                            std::fs::read(root.join(&f.rel))
                                .map(|v| v.len())
                                .unwrap_or(0)
                        })
                        .sum::<usize>()
                })
            })
        });
        // Parse and check return what they built and criterion drops it outside the
        // timing: the binary never frees the analysis (it exits), so freeing it (~70 ms
        // for a whole analysis of 10,000 stacks) is not a cost a user pays.
        g.bench_function(BenchmarkId::new("parse", n), |b| {
            b.iter_with_large_drop(|| {
                with_pool(None, || parse_all(&root, &files, ParseOptions::default()))
            })
        });
        g.bench_function(BenchmarkId::new("model", n), |b| {
            b.iter_batched(
                || {
                    with_pool(None, || parse_all(&root, &files, ParseOptions::default()))
                        .expect("pool")
                },
                |parsed| model::build(&root, parsed, Vec::new()),
                BatchSize::LargeInput,
            )
        });
        let opts = ScanOptions {
            root: root.clone(),
            ..ScanOptions::default()
        };
        let analysis = with_pool(None, || analyze(&opts))
            .expect("pool")
            .expect("analyze");
        g.bench_function(BenchmarkId::new("link", n), |b| {
            b.iter(|| with_pool(None, || link::link(&analysis.ws)))
        });
        g.bench_function(BenchmarkId::new("graph", n), |b| {
            b.iter(|| StackGraph::build(&analysis.ws, &analysis.links))
        });
        let config = Config::empty();
        g.bench_function(BenchmarkId::new("rules", n), |b| {
            b.iter(|| with_pool(None, || lint(&analysis, &config, &Selection::default())))
        });
        g.bench_function(BenchmarkId::new("check", n), |b| {
            b.iter_with_large_drop(|| {
                with_pool(None, || {
                    let a = analyze(&opts).expect("analyze");
                    let findings = lint(&a, &config, &Selection::default());
                    (a, findings)
                })
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
