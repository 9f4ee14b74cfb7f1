//! Terramate code generation that may write `output` blocks into a stack: which
//! `generate_hcl`/`generate_file` blocks apply to which stack (by directory, through
//! `import`, narrowed by a literal `stack_filter`), and whether the generated file is
//! committed.

use super::exposed::template_text;
use crate::discover::FileKind;
use crate::model::{paths, Workspace};
use crate::source::FileId;
use crate::syntax::{Block, ExprKind};
use foldhash::{HashMap, HashMapExt};
use globset::GlobBuilder;
use std::collections::BTreeSet;

/// Terramate `generate_hcl` / `generate_file` blocks that may write `output` blocks.
#[derive(Default)]
pub struct TerramateGenerators {
    /// Generators by the directory they apply in (and below): the directory of the file
    /// that defines them, and of every file that imports it. Each is (Terramate file,
    /// what it generates).
    by_dir: HashMap<String, Vec<Generator>>,
}

#[derive(Clone)]
struct Generator {
    file: FileId,
    /// The generated file's name, or what stacklint could not follow.
    label: String,
    /// `stack_filter { project_paths = [...] }`, as globs over stack directories;
    /// `None`: every stack.
    filter: Option<Vec<globset::GlobMatcher>>,
}

/// `stack_filter { project_paths = [...] }` of a generator, when it is a literal list.
/// Terramate matches relative patterns anywhere (as `**/pattern`); absolute ones from
/// the project root, which stacklint approximates the same way (matching more stacks,
/// so more outputs stay unknown rather than fewer).
fn stack_filter(b: &Block) -> Option<Vec<globset::GlobMatcher>> {
    let filter = b.body.block("stack_filter")?;
    let ExprKind::Array(items) = &filter.body.expr("project_paths")?.kind else {
        return None;
    };
    let mut out = Vec::new();
    for i in items {
        let p = i.as_literal_str()?;
        let p = format!("**/{}", p.trim_start_matches('/'));
        out.push(
            GlobBuilder::new(&p)
                .literal_separator(true)
                .build()
                .ok()?
                .compile_matcher(),
        );
    }
    Some(out)
}

/// How many levels of `import` are followed.
const MAX_IMPORT_DEPTH: usize = 8;

impl TerramateGenerators {
    pub fn collect(ws: &Workspace) -> TerramateGenerators {
        let tm_files: Vec<FileId> = (0..ws.files.len())
            .filter_map(|i| u32::try_from(i).ok().map(FileId))
            .filter(|f| ws.file(*f).kind == FileKind::Terramate)
            .collect();
        let mut gens: Vec<Generator> = Vec::new();
        let gen = |file: FileId, label: &str, filter| Generator {
            file,
            label: label.to_string(),
            filter,
        };
        for f in &tm_files {
            let body = &ws.file(*f).body;
            for b in body.blocks_of("generate_hcl") {
                if generates_outputs_hcl(b) {
                    gens.push(gen(*f, b.label(0).unwrap_or(""), stack_filter(b)));
                }
            }
            for b in body.blocks_of("generate_file") {
                let label = b.label(0).unwrap_or("");
                let tf = label.ends_with(".tf") || label.ends_with(".tf.json");
                let may = match b.body.expr("content").and_then(template_text) {
                    Some((text, _)) => text.contains("output"),
                    None => true,
                };
                if tf && may {
                    gens.push(gen(*f, label, stack_filter(b)));
                }
            }
        }
        // Imports: (importing file, imported files), each distinct pattern resolved once.
        // An import stacklint cannot follow may bring in generators of its own.
        let mut imports: Vec<(FileId, Vec<FileId>)> = Vec::new();
        let mut resolved: HashMap<String, Vec<FileId>> = HashMap::new();
        for f in &tm_files {
            for b in ws.file(*f).body.blocks_of("import") {
                let src = b.body.expr("source").and_then(|e| e.as_literal_str());
                let targets = src.map(|src| {
                    let pattern = match src.strip_prefix('/') {
                        Some(abs) => paths::normalize(abs),
                        None => paths::join(&paths::parent(ws.path(*f)), src),
                    };
                    resolved
                        .entry(pattern)
                        .or_insert_with_key(|p| import_targets(ws, p, &tm_files))
                        .clone()
                });
                match targets {
                    Some(t) if !t.is_empty() => imports.push((*f, t)),
                    _ => gens.push(gen(
                        *f,
                        &format!(
                            "files from an import it cannot follow ({})",
                            src.unwrap_or("?")
                        ),
                        None,
                    )),
                }
            }
        }
        if gens.is_empty() {
            return TerramateGenerators::default();
        }
        // Imported configuration acts in the importing file's directory.
        let mut applies_in: HashMap<FileId, BTreeSet<String>> = tm_files
            .iter()
            .map(|f| (*f, BTreeSet::from([paths::parent(ws.path(*f))])))
            .collect();
        for _ in 0..MAX_IMPORT_DEPTH {
            let mut changed = false;
            for (importer, targets) in &imports {
                let dirs = applies_in.get(importer).cloned().unwrap_or_default();
                for t in targets {
                    let e = applies_in.entry(*t).or_default();
                    let before = e.len();
                    e.extend(dirs.iter().cloned());
                    changed |= e.len() != before;
                }
            }
            if !changed {
                break;
            }
        }
        let mut out = TerramateGenerators::default();
        for g in gens {
            for d in applies_in.get(&g.file).into_iter().flatten() {
                out.by_dir.entry(d.clone()).or_default().push(g.clone());
            }
        }
        out
    }

    /// A generator that applies to the stack at `dir` (in its directory or an ancestor)
    /// and whose file is not among the stack's `files`.
    pub fn missing_generated(
        &self,
        ws: &Workspace,
        dir: &str,
        files: &BTreeSet<String>,
    ) -> Option<(String, String)> {
        if self.by_dir.is_empty() || !ws.terramate.contains_key(dir) {
            return None;
        }
        let mut dirs = vec![dir.to_string()];
        dirs.extend(paths::ancestors(dir));
        dirs.iter()
            .filter_map(|d| self.by_dir.get(d))
            .flatten()
            .filter(|g| {
                g.filter
                    .as_ref()
                    .is_none_or(|globs| globs.iter().any(|m| m.is_match(dir)))
            })
            .find(|g| !files.contains(paths::file_name(&g.label)))
            .map(|g| (ws.path(g.file).to_string(), g.label.clone()))
    }
}

/// Does a `generate_hcl` content write an `output` block (literally or through a
/// `tm_dynamic` whose label is not a literal)?
fn generates_outputs_hcl(b: &Block) -> bool {
    let Some(content) = b.body.block("content") else {
        return false;
    };
    let mut stack = vec![&content.body];
    while let Some(body) = stack.pop() {
        for nb in &body.blocks {
            match &*nb.kind {
                "output" => return true,
                "tm_dynamic" if nb.label(0).is_none_or(|l| l == "output") => return true,
                _ => stack.push(&nb.body),
            }
        }
    }
    false
}

/// The Terramate files an import pattern (a path or a glob, already resolved against
/// the importing file's directory) names.
fn import_targets(ws: &Workspace, pattern: &str, tm_files: &[FileId]) -> Vec<FileId> {
    if !pattern.contains(['*', '?', '[', '{']) {
        return ws.file_id(pattern).into_iter().collect();
    }
    let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
        return Vec::new();
    };
    let m = glob.compile_matcher();
    tm_files
        .iter()
        .copied()
        .filter(|f| m.is_match(ws.path(*f)))
        .collect()
}
