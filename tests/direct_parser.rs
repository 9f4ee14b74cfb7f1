//! The direct HCL parser against hcl-edit on every HCL file shipped in `fixtures/` and on
//! a synthetic monorepo: both must build the same tree (spans included) wherever the
//! direct parser reads a file, and it must read nearly all of them (giving way everywhere
//! would pass the first check and lose the speed).

use std::path::Path;

fn hcl_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            hcl_files(&p, out);
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let hcl = [".tf", ".hcl", ".tfvars", ".tm", ".tofu"]
                .iter()
                .any(|ext| name.ends_with(ext));
            if hcl && name != ".terraform.lock.hcl" {
                out.push(p);
            }
        }
    }
}

fn compare(texts: &[(String, String)]) -> (usize, usize) {
    let (mut read, mut gave_way) = (0, 0);
    for (name, text) in texts {
        match stacklint::parse::compare_parsers(text) {
            Some(Ok(())) => read += 1,
            None => gave_way += 1,
            Some(Err((fast, full))) => {
                panic!("{name}: the direct parser and hcl-edit differ\n{fast}\n---\n{full}")
            }
        }
    }
    (read, gave_way)
}

#[test]
fn every_fixture_reads_the_same_with_both_parsers() {
    let mut files = Vec::new();
    hcl_files(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
        &mut files,
    );
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    assert!(texts.len() > 400, "fixtures not found: {}", texts.len());
    let (read, gave_way) = compare(&texts);
    // Fixtures include deliberately broken and exotic files, which go to hcl-edit.
    assert!(
        read * 100 >= texts.len() * 95,
        "read {read}, gave way {gave_way}"
    );
}

#[test]
fn a_synthetic_monorepo_reads_the_same_with_both_parsers() {
    let dir = tempfile::tempdir().expect("temp dir");
    stacklint::synth::write_monorepo(dir.path(), 60, 7).expect("write synthetic tree");
    let mut files = Vec::new();
    hcl_files(dir.path(), &mut files);
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    assert!(texts.len() > 100);
    let (read, gave_way) = compare(&texts);
    assert_eq!(gave_way, 0, "read {read}");
}
