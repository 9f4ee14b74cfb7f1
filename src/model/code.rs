//! The Terraform code of one directory (a root module or a local module): its
//! resources, data sources, module calls, outputs, variables, locals and providers.

use super::{paths, BlockRef, Item, ModuleCall, Name, Provider};
use crate::eval::{self, EmptyScope};
use crate::parse::ParsedFile;
use crate::source::FileId;
use crate::syntax::{exact, ident, Body, Ident, Root};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Code {
    pub dir: String,
    pub files: Vec<FileId>,
    pub resources: Vec<Item>,
    pub data: Vec<Item>,
    /// Shared with every stack that deploys this code (see `Stack`).
    pub module_calls: Arc<[ModuleCall]>,
    pub outputs: Arc<[Item]>,
    pub variables: Arc<[Item]>,
    /// `locals` entries: (name, file, locals block index, attribute index).
    pub locals: Vec<(Ident, FileId, u32, u32)>,
    pub providers: Arc<[Provider]>,
    /// `terraform { backend "x" {} }` or `terraform { cloud {} }`.
    pub backend: Option<BlockRef>,
    pub uses_workspace: bool,
    pub has_lockfile: bool,
}

/// What a code directory's blocks add to lists that are shared once built.
#[derive(Default)]
struct Shared {
    module_calls: Vec<ModuleCall>,
    outputs: Vec<Item>,
    variables: Vec<Item>,
    providers: Vec<Provider>,
}

impl Code {
    pub fn from_files(dir: &str, files: &[(FileId, &ParsedFile)]) -> Code {
        let mut code = Code {
            dir: dir.to_string(),
            ..Code::default()
        };
        let mut shared = Shared::default();
        for (id, f) in files {
            code.files.push(*id);
            code.add_body(*id, &f.body, &mut shared);
        }
        code.module_calls = shared.module_calls.into();
        code.outputs = shared.outputs.into();
        code.variables = shared.variables.into();
        code.providers = shared.providers.into();
        // Kept for the whole run, once per code directory.
        code.resources = exact(code.resources);
        code.data = exact(code.data);
        code.locals = exact(code.locals);
        code
    }

    fn add_body(&mut self, file: FileId, body: &Body, shared: &mut Shared) {
        for (i, b) in body.blocks.iter().enumerate() {
            let r = BlockRef {
                file,
                top: i as u32,
                child: None,
            };
            // Types repeat across the tree and are interned; names are shared with every
            // stack that expands this code (see `StackItem`).
            let l0 = || b.label(0).unwrap_or("");
            // Labels are interned: the item shares the parser's copy of its name.
            let label =
                |i: usize| -> Name { b.labels.get(i).cloned().unwrap_or_else(|| ident("")) };
            match &*b.kind {
                "resource" => self.resources.push(Item {
                    kind: label(0),
                    name: label(1),
                    block: r,
                }),
                "data" => self.data.push(Item {
                    kind: label(0),
                    name: label(1),
                    block: r,
                }),
                "output" => shared.outputs.push(Item {
                    kind: ident(""),
                    name: label(0),
                    block: r,
                }),
                "variable" => shared.variables.push(Item {
                    kind: ident(""),
                    name: label(0),
                    block: r,
                }),
                "locals" => {
                    for (j, a) in b.body.attrs.iter().enumerate() {
                        self.locals.push((a.name.clone(), file, i as u32, j as u32));
                    }
                }
                "provider" => shared.providers.push(Provider {
                    name: l0().to_string(),
                    alias: b
                        .body
                        .expr("alias")
                        .and_then(|e| e.as_literal_str())
                        .map(str::to_string),
                    block: r,
                }),
                "module" => {
                    let source = b
                        .body
                        .expr("source")
                        .map(|e| match eval::eval(e, &EmptyScope).as_str() {
                            Some(s) => s,
                            None => "(dynamic)".to_string(),
                        })
                        .unwrap_or_default();
                    let local_dir =
                        paths::is_local_source(&source).then(|| paths::join(&self.dir, &source));
                    shared.module_calls.push(ModuleCall {
                        name: l0().to_string(),
                        source,
                        local_dir,
                        block: r,
                    });
                }
                "terraform" => {
                    for (j, nb) in b.body.blocks.iter().enumerate() {
                        if &*nb.kind == "backend" || &*nb.kind == "cloud" {
                            self.backend.get_or_insert(BlockRef {
                                file,
                                top: i as u32,
                                child: Some(j as u32),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        if !self.uses_workspace && uses_terraform_workspace(body) {
            self.uses_workspace = true;
        }
    }
}

/// Does any expression read `terraform.workspace`?
fn uses_terraform_workspace(body: &Body) -> bool {
    let mut found = false;
    crate::syntax::for_each_attr(body, |a| {
        if found {
            return;
        }
        a.expr.walk(|e| {
            if let Some(t) = e.as_traversal() {
                if matches!(t.root, Root::Var(v) if v == "terraform")
                    && matches!(t.ops.first(), Some(crate::syntax::Op::Attr(n)) if n == "workspace")
                {
                    found = true;
                }
            }
        });
    });
    found
}
