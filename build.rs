//! Embeds every `rules/<id>.md` page into the binary (for `stacklint explain` and SARIF
//! help text), so the docs ship with the code that they describe.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<(String, String)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) == Some("md") {
                let id = p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string();
                println!("cargo:rerun-if-changed={}", p.display());
                entries.push((id, p.display().to_string()));
            }
        }
    }
    entries.sort();
    let mut out = String::from("pub const DOCS: &[(&str, &str)] = &[\n");
    for (id, path) in entries {
        let _ = writeln!(out, "    ({id:?}, include_str!({path:?})),");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_docs.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
