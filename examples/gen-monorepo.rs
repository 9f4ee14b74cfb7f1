//! Writes a deterministic synthetic monorepo for benchmarks:
//! `cargo run --release --example gen-monorepo -- OUT_DIR [STACKS] [SEED]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: gen-monorepo OUT_DIR [STACKS=1000] [SEED=42]");
        std::process::exit(2);
    };
    let stacks = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(42);
    match stacklint::synth::write_monorepo(std::path::Path::new(&out), stacks, seed) {
        Ok(n) => eprintln!("wrote {n} stacks to {out}"),
        Err(e) => {
            eprintln!("gen-monorepo: {e}");
            std::process::exit(1);
        }
    }
}
