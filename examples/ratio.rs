//! The ratios of issue 8, measured by alternating the passes in one process.
//!
//! Criterion times each pass a minute apart, and this VM's speed drifts by ±10% over
//! minutes, which moves a ratio more than most changes do. Here each round times every
//! pass once, one after the other on the same pool size, so both halves of a ratio see
//! the same machine. The passes:
//!
//! - `read`: every discovered file read, from the list discovery made (no walk);
//! - `walk+read`: the tree walked (discovery) and every file read: the "just reading the
//!   files" row of PARSING.md, which the issue's 7x and 8x figures are relative to;
//! - `parse`: the tree walked and every file parsed into stacklint's syntax (a parse-only
//!   pass of stacklint itself);
//! - `hcl-edit`: the tree walked and every file parsed by hcl-edit's `parse_body`, the
//!   parser PARSING.md measured (its tree dropped in the worker);
//! - `check`: discovery to findings, no output. What it built is freed outside the
//!   timing, as the binary never frees it.
//!
//! Prints the median of each pass and of each per-round ratio.
//!
//!   cargo run --release --example ratio -- [TREE] [ROUNDS]
//!
//! TREE defaults to `target/bench-data/synth-10000` (written by `cargo bench` or
//! `gen-monorepo`), ROUNDS to 15.

use rayon::prelude::*;
use stacklint::check::{lint, Selection};
use stacklint::config::Config;
use stacklint::discover::{discover, DiscoverOptions};
use stacklint::parse::{parse_all, ParseOptions};
use stacklint::pipeline::{analyze, with_pool, ScanOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static GLOBAL: stacklint::allocator::Allocator = stacklint::allocator::Allocator;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

const PASSES: [&str; 5] = ["read", "walk+read", "parse", "hcl-edit", "check"];

/// Milliseconds since `start`, then `built` freed: outside the timing, as the binary
/// never frees what it built.
fn elapsed_then_drop<T>(start: Instant, built: T) -> f64 {
    let ms = start.elapsed().as_secs_f64() * 1e3;
    drop(built);
    ms
}

/// Runs one pass; returns its wall time in ms.
fn pass(which: &str, root: &Path, opts: &ScanOptions) -> anyhow::Result<f64> {
    let config = Config::empty();
    let t = Instant::now();
    let walk = || discover(root, &DiscoverOptions::default()).map(|d| d.files);
    Ok(match which {
        "read" | "walk+read" => {
            let files = walk()?;
            // The walk is outside the timing for `read` only.
            let t = if which == "read" { Instant::now() } else { t };
            let bytes: usize = with_pool(None, || {
                files
                    .par_iter()
                    .map(|f| std::fs::read(root.join(&f.rel)).map_or(0, |v| v.len()))
                    .sum()
            })?;
            elapsed_then_drop(t, bytes)
        }
        "parse" => {
            let files = walk()?;
            let parsed = with_pool(None, || parse_all(root, &files, ParseOptions::default()))?;
            elapsed_then_drop(t, parsed)
        }
        "hcl-edit" => {
            let files = walk()?;
            let blocks: usize = with_pool(None, || {
                files
                    .par_iter()
                    .map(|f| {
                        let text = std::fs::read_to_string(root.join(&f.rel)).unwrap_or_default();
                        hcl_edit::parser::parse_body(&text).map_or(0, |b| b.len())
                    })
                    .sum()
            })?;
            elapsed_then_drop(t, blocks)
        }
        _ => {
            let built = with_pool(None, || {
                let a = analyze(opts)?;
                let findings = lint(&a, &config, &Selection::default());
                anyhow::Ok((a, findings))
            })??;
            elapsed_then_drop(t, built)
        }
    })
}

/// `read 88.5, walk+read 182.5, ...`: each pass with its time in ms.
fn cells(times: &[f64], sep: &str) -> String {
    let cells: Vec<String> = PASSES
        .iter()
        .zip(times)
        .map(|(p, ms)| format!("{p} {ms:6.1}"))
        .collect();
    cells.join(sep)
}

fn main() -> anyhow::Result<()> {
    stacklint::pipeline::no_huge_pages();
    stacklint::allocator::set_defaults();
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/bench-data/synth-10000".to_string()),
    );
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(15);
    let opts = ScanOptions {
        root: root.clone(),
        ..ScanOptions::default()
    };
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); PASSES.len()];
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); PASSES.len() - 1];
    // One warm-up round: page cache and allocator.
    for round in 0..=rounds {
        let mut row = Vec::new();
        for p in PASSES {
            row.push(pass(p, &root, &opts)?);
        }
        if round == 0 {
            continue;
        }
        let check = row[PASSES.len() - 1];
        eprintln!("round {round:2}: {} ms", cells(&row, "  "));
        for (i, ms) in row.iter().enumerate() {
            times[i].push(*ms);
            if i < ratios.len() {
                ratios[i].push(check / ms);
            }
        }
    }
    let medians: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
    println!("medians of {rounds} rounds (ms): {}", cells(&medians, ", "));
    for (i, r) in ratios.iter_mut().enumerate() {
        println!(
            "check / {:<9} {:5.2}x (median of per-round ratios)",
            PASSES[i],
            median(r)
        );
    }
    Ok(())
}
