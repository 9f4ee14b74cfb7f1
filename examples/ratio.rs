//! The check / read ratio of issue 8, measured by alternating the two in one process.
//!
//! Criterion times `read` and `check` a minute apart, and this VM's speed drifts by
//! ±10% over minutes, which moves the ratio more than most changes do. Here each round
//! times one read of the files, then one whole check, on the same pool size, so both
//! halves of a ratio see the same machine. Prints medians and the median of the
//! per-round ratios.
//!
//!   cargo run --release --example ratio -- [TREE] [ROUNDS]
//!
//! TREE defaults to `target/bench-data/synth-10000` (written by `cargo bench` or
//! `gen-monorepo`), ROUNDS to 15. Same work as `benches/pipeline.rs`: `read` reads
//! every discovered file on 2 threads, `check` is discovery to findings (no output),
//! and what check built is freed outside the timing, as the binary never frees it.

use rayon::prelude::*;
use stacklint::check::{lint, Selection};
use stacklint::config::Config;
use stacklint::discover::{discover, DiscoverOptions};
use stacklint::pipeline::{analyze, with_pool, ScanOptions};
use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static GLOBAL: stacklint::allocator::Allocator = stacklint::allocator::Allocator;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> anyhow::Result<()> {
    stacklint::pipeline::no_huge_pages();
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/bench-data/synth-10000".to_string()),
    );
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(15);
    let files = discover(&root, &DiscoverOptions::default())?.files;
    let opts = ScanOptions {
        root: root.clone(),
        ..ScanOptions::default()
    };
    let config = Config::empty();
    let (mut reads, mut checks, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    // One warm-up round: page cache and allocator.
    for round in 0..=rounds {
        let t = Instant::now();
        let bytes: usize = with_pool(None, || {
            files
                .par_iter()
                .map(|f| {
                    std::fs::read(root.join(&f.rel))
                        .map(|v| v.len())
                        .unwrap_or(0)
                })
                .sum()
        })?;
        let read = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let built = with_pool(None, || {
            let a = analyze(&opts)?;
            let findings = lint(&a, &config, &Selection::default());
            anyhow::Ok((a, findings))
        })??;
        let check = t.elapsed().as_secs_f64() * 1e3;
        drop(built);
        if round == 0 {
            eprintln!("{} files, {:.1} MiB", files.len(), bytes as f64 / 1048576.0);
            continue;
        }
        eprintln!(
            "round {round:2}: read {read:7.1} ms  check {check:7.1} ms  {:.2}x",
            check / read
        );
        reads.push(read);
        checks.push(check);
        ratios.push(check / read);
    }
    let (r, c) = (median(&mut reads), median(&mut checks));
    println!(
        "read {r:.1} ms, check {c:.1} ms (medians of {rounds}): check / read {:.2}x; median of per-round ratios {:.2}x",
        c / r,
        median(&mut ratios)
    );
    Ok(())
}
