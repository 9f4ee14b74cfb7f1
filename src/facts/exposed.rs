//! The outputs each stack exposes, as far as the files in the tree tell, shared by
//! `missing-output`, `wide-interface` and `stacklint stacks`.
//!
//! A stack's outputs are *unknown* (and nothing may be concluded from a missing name)
//! when its code is not in the tree (a Terragrunt unit with a remote `source`), when
//! one of its files could not be parsed completely, or when part of its code is
//! generated at run time: a Terragrunt `generate` block whose contents cannot be read
//! statically or that writes `output` blocks stacklint cannot name, or a Terramate
//! `generate_hcl`/`generate_file` that may write outputs into a file that is not
//! committed.

use super::tm_generators::TerramateGenerators;
use crate::model::{paths, Name, Stack, StackKind, Workspace};
use crate::source::{FileId, Loc, Span};
use crate::syntax::{Block, Expr, ExprKind, Part};
use foldhash::HashMap;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// What is known about a stack's outputs.
#[derive(Debug, Clone)]
pub enum Exposed {
    /// Every output the stack declares, with where it is declared.
    Known(Outputs),
    /// The outputs cannot be listed; the reason says why.
    Unknown(String),
}

impl Exposed {
    pub fn names(&self) -> Option<Vec<&str>> {
        match self {
            Exposed::Known(m) => Some(m.keys().collect()),
            Exposed::Unknown(_) => None,
        }
    }
}

/// A stack's outputs by name, each where it is first declared. A sorted list of shared
/// names rather than a `BTreeMap` of copies: a map's first node is ~280 bytes, and most
/// stacks declare a handful of outputs (3 MiB on 10,000 stacks, kept while the rules run).
#[derive(Debug, Clone, Default)]
pub struct Outputs(Box<[(Name, Loc)]>);

impl Outputs {
    /// From `(name, loc)` in declaration order; the first of a name wins.
    fn from_declared(mut all: Vec<(Name, Loc)>) -> Outputs {
        // Stable: among equal names the first declared stays first, and is kept.
        all.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        all.dedup_by(|later, first| later.0 == first.0);
        Outputs(all.into_boxed_slice())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Where `name` is declared.
    pub fn get(&self, name: &str) -> Option<Loc> {
        let at = self
            .0
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()?;
        self.0.get(at).map(|(_, l)| *l)
    }

    /// Names in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }

    /// Names and where each is declared, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Loc)> {
        self.0.iter().map(|(n, l)| (n.as_str(), *l))
    }
}

/// Exposed outputs of every stack, by stack index.
pub struct OutputCatalog {
    pub stacks: Vec<Exposed>,
}

/// What each Terragrunt `generate` block of a file writes (its head, and the output
/// names or why they cannot be known), by file. A root `terragrunt.hcl` is included by
/// every unit: its blocks' contents are parsed once, not once per unit (on a 49-unit
/// tree that re-parsing was a fifth of the run).
type Generated = HashMap<FileId, Vec<(Span, Result<Vec<String>, String>)>>;

impl OutputCatalog {
    pub fn build(ws: &Workspace) -> OutputCatalog {
        let generators = TerramateGenerators::collect(ws);
        let files: BTreeSet<FileId> = (ws.units.values())
            .flat_map(|u| std::iter::once(u.file).chain(u.includes.iter().copied()))
            .collect();
        let generated: Generated = files
            .into_par_iter()
            .map(|fid| {
                let blocks = ws.file(fid).body.blocks_of("generate");
                (
                    fid,
                    blocks.map(|b| (b.head, terragrunt_generated(b))).collect(),
                )
            })
            .collect();
        OutputCatalog {
            stacks: (ws.stacks.par_iter())
                .with_max_len(crate::pipeline::PAR_CHUNK)
                .map(|s| exposed(ws, s, &generators, &generated))
                .collect(),
        }
    }
}

fn exposed(ws: &Workspace, s: &Stack, tm: &TerramateGenerators, gen: &Generated) -> Exposed {
    let Some(code_dir) = &s.code_dir else {
        return Exposed::Unknown(match &s.remote_source {
            Some(src) => format!(
                "its code is the remote module {src}, which stacklint does not fetch, so its outputs are unknown"
            ),
            None => "it has no Terraform code in the tree, so its outputs are unknown".into(),
        });
    };
    // A Terragrunt unit deploys its module with the unit's own .tf files copied beside it.
    let mut dirs = vec![code_dir.as_str()];
    if s.kind == StackKind::Terragrunt && s.dir != *code_dir && ws.codes.contains_key(&s.dir) {
        dirs.push(&s.dir);
    }
    let mut out: Vec<(Name, Loc)> = Vec::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    for dir in &dirs {
        let Some(code) = ws.codes.get(*dir) else {
            continue;
        };
        for f in &code.files {
            let pf = ws.file(*f);
            if !pf.problems.is_empty() {
                return Exposed::Unknown(format!(
                    "{} could not be read completely, so its outputs are not all known",
                    pf.path
                ));
            }
            files.insert(paths::file_name(&pf.path).to_string());
        }
        out.extend(
            code.outputs
                .iter()
                .map(|o| (o.name.clone(), ws.loc(o.block))),
        );
    }
    if let Some(unit) = ws.units.get(&s.dir) {
        for fid in std::iter::once(unit.file).chain(unit.includes.iter().copied()) {
            for (head, written) in gen.get(&fid).into_iter().flatten() {
                match written {
                    Ok(names) => {
                        out.extend(names.iter().map(|n| {
                            let at = Loc {
                                file: fid,
                                span: *head,
                            };
                            (Name::from(n.as_str()), at)
                        }));
                    }
                    Err(why) => {
                        return Exposed::Unknown(format!(
                            "{} generates {why}, so its outputs are not all known",
                            ws.path(fid)
                        ))
                    }
                }
            }
        }
    }
    if let Some((file, label)) = tm.missing_generated(ws, &s.dir, &files) {
        return Exposed::Unknown(format!(
            "{file} generates {label} with outputs, and the generated file is not in the tree, so its outputs are not all known"
        ));
    }
    Exposed::Known(Outputs::from_declared(out))
}

/// Output names a Terragrunt `generate` block writes; `Err` when they cannot be known.
fn terragrunt_generated(b: &Block) -> Result<Vec<String>, String> {
    let label = b.label(0).unwrap_or("a file");
    if matches!(
        b.body.expr("disable").map(|e| &e.kind),
        Some(ExprKind::Bool(true))
    ) {
        return Ok(Vec::new());
    }
    let Some(contents) = b.body.expr("contents") else {
        return Ok(Vec::new());
    };
    let (text, has_directive) = template_text(contents)
        .ok_or_else(|| format!("\"{label}\" from an expression it cannot read"))?;
    let mentions_output = text.contains("output");
    if has_directive && mentions_output {
        return Err(format!("\"{label}\" with template directives"));
    }
    match crate::parse::parse_body_str(&text) {
        Ok(body) => {
            let mut names = Vec::new();
            for o in body.blocks_of("output") {
                match o.label(0) {
                    Some(n) if !n.contains(HOLE) => names.push(n.to_string()),
                    _ => return Err(format!("\"{label}\" with computed output names")),
                }
            }
            Ok(names)
        }
        Err(_) if mentions_output => Err(format!("\"{label}\", which it cannot parse")),
        Err(_) => Ok(Vec::new()),
    }
}

const HOLE: &str = "__stacklint_unknown__";

/// The text of a template with interpolations replaced by a placeholder, and whether
/// it has `%{}` directives; `None` when the expression is not a template.
pub(super) fn template_text(e: &Expr) -> Option<(String, bool)> {
    let ExprKind::Template(parts) = &e.kind else {
        return None;
    };
    let mut text = String::new();
    let mut directive = false;
    for p in parts {
        match p {
            Part::Lit(s) => text.push_str(s),
            Part::Interp(_) => text.push_str(HOLE),
            Part::Directive(_) => directive = true,
        }
    }
    Some((text, directive))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: u32, start: u32) -> Loc {
        Loc {
            file: FileId(file),
            span: Span::new(start as usize, start as usize + 1),
        }
    }

    #[test]
    fn outputs_are_sorted_by_name_and_the_first_declaration_wins() {
        let declared = vec![
            (Name::from("vpc_id"), at(0, 10)),
            (Name::from("subnet_ids"), at(0, 40)),
            // A generated output of a name the code declares already.
            (Name::from("vpc_id"), at(1, 5)),
            (Name::from("arn"), at(1, 9)),
        ];
        let outputs = Outputs::from_declared(declared);
        assert_eq!(outputs.len(), 3);
        assert_eq!(
            outputs.keys().collect::<Vec<_>>(),
            ["arn", "subnet_ids", "vpc_id"]
        );
        assert_eq!(outputs.get("vpc_id"), Some(at(0, 10)));
        assert_eq!(outputs.get("arn"), Some(at(1, 9)));
        assert!(outputs.contains_key("subnet_ids"));
        assert!(!outputs.contains_key("subnet"));
        assert!(Outputs::default().is_empty());
    }
}
