//! Embeds every `rules/<id>.md` page into the binary (for `stacklint explain` and SARIF
//! help text), so the docs ship with the code that they describe; and parses the
//! built-in taxonomy (`rules/taxonomy.hcl`) ahead of time into a generic JSON body:
//! parsing its 62 KB of HCL at startup was a third of the CPU of a small run (the
//! pre-commit case). A test checks that the prepared table equals the HCL parsed at run
//! time, so the HCL stays the one source.

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
    taxonomy();
}

/// `rules/taxonomy.hcl` as `{"a": [[name, value], ...], "b": [[kind, [labels], body], ...]}`.
fn taxonomy() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/taxonomy.hcl");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("rules/taxonomy.hcl is readable");
    let body = hcl::parse(&text).unwrap_or_else(|e| panic!("rules/taxonomy.hcl: {e}"));
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("taxonomy.json");
    std::fs::write(dest, body_json(&body).to_string()).expect("OUT_DIR is writable");
}

fn body_json(body: &hcl::Body) -> serde_json::Value {
    let (mut attrs, mut blocks) = (Vec::new(), Vec::new());
    for s in body.iter() {
        match s {
            hcl::Structure::Attribute(a) => {
                attrs.push(serde_json::json!([a.key.as_str(), expr_json(&a.expr)]))
            }
            hcl::Structure::Block(b) => {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                blocks.push(serde_json::json!([
                    b.identifier.as_str(),
                    labels,
                    body_json(&b.body)
                ]))
            }
        }
    }
    serde_json::json!({ "a": attrs, "b": blocks })
}

fn expr_json(e: &hcl::Expression) -> serde_json::Value {
    use hcl::Expression as E;
    match e {
        E::Null => serde_json::Value::Null,
        E::Bool(b) => serde_json::json!(b),
        E::Number(n) => serde_json::json!(n.as_f64()),
        E::String(s) => serde_json::json!(s),
        E::Array(items) => serde_json::Value::Array(items.iter().map(expr_json).collect()),
        other => panic!("rules/taxonomy.hcl holds literal values only, found {other:?}"),
    }
}
