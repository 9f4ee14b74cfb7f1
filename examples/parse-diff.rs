//! Compares stacklint's direct HCL parser with hcl-edit (plus the converter) on every
//! HCL file under the given directories: how many files the direct parser read, how many
//! it left to hcl-edit, and any file where the two trees differ (which is a bug).
//!
//! `cargo run --release --example parse-diff -- DIR...`

use std::path::Path;

fn main() {
    let (mut same, mut gave_way, mut differ) = (0usize, 0usize, 0usize);
    let mut gave_way_files = Vec::new();
    for dir in std::env::args().skip(1) {
        let walk = ignore::WalkBuilder::new(&dir)
            .standard_filters(false)
            .build();
        for entry in walk.flatten() {
            let path = entry.path();
            if !is_hcl(path) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            match stacklint::parse::compare_parsers(&text) {
                None => {
                    gave_way += 1;
                    let at = stacklint::parse::fast::gives_way_at(&text).unwrap_or(0);
                    let line = text[..at.min(text.len())].matches('\n').count() + 1;
                    let context: String = text
                        .get(at.saturating_sub(30)..(at + 30).min(text.len()))
                        .unwrap_or("")
                        .chars()
                        .collect();
                    gave_way_files.push(format!("{}:{line} {context:?}", path.display()));
                }
                Some(Ok(())) => same += 1,
                Some(Err((fast, full))) => {
                    differ += 1;
                    println!("DIFFERS: {}", path.display());
                    let (f, h): (Vec<_>, Vec<_>) = (fast.lines().collect(), full.lines().collect());
                    if let Some(i) = (0..f.len().max(h.len())).find(|&i| f.get(i) != h.get(i)) {
                        let from = i.saturating_sub(12);
                        println!(
                            "  direct:   {:?}",
                            &f[from.min(f.len())..(i + 3).min(f.len())]
                        );
                        println!(
                            "  hcl-edit: {:?}",
                            &h[from.min(h.len())..(i + 3).min(h.len())]
                        );
                    }
                }
            }
        }
    }
    if std::env::var_os("SHOW_GAVE_WAY").is_some() {
        for f in &gave_way_files {
            println!("gave way: {f}");
        }
    }
    println!("{same} same, {gave_way} left to hcl-edit, {differ} differ");
    if differ > 0 {
        std::process::exit(1);
    }
}

fn is_hcl(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [".tf", ".hcl", ".tfvars", ".tm", ".tofu", ".tfbackend"]
        .iter()
        .any(|ext| name.ends_with(ext))
        && name != ".terraform.lock.hcl"
}
