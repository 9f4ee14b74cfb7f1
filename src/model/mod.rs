//! Stage 3: the workspace model. Groups parsed files by directory, decides which
//! directories are stacks (Terraform root modules, Terragrunt units, Terramate stacks)
//! and which are local modules, and records per stack what later stages need: backend
//! and instances, resources (with local modules expanded), data sources, module calls,
//! outputs, variables and providers.
//!
//! The model refers to syntax by index (`BlockRef`) instead of cloning it, so it stays
//! small; `Workspace::block` resolves a reference.

mod backend;
mod build;
mod code;
mod instances;
pub mod paths;
pub mod refgraph;
pub mod taxonomy;
mod terragrunt;
mod terramate;
mod tfscope;
mod type_patterns;

use crate::discover::WalkProblem;
use crate::eval::Value;
use crate::parse::ParsedFile;
use crate::source::{FileId, Loc, Span};
use crate::syntax::Block;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use backend::{addresses, BackendKind, StateAddress, WorkspaceSel};
pub use build::{build, BuildOptions};
pub use code::Code;
pub use terragrunt::{TgDependency, TgPath, TgUnit};
pub use terramate::TmStack;
pub use tfscope::{first_instance_scopes, stack_scopes, CodeScope, TfScope};

/// Everything known about the scanned tree.
#[derive(Debug)]
pub struct Workspace {
    /// The scan root, absolute.
    pub root: PathBuf,
    /// `root` as a `/`-separated string, for path arithmetic.
    pub root_abs: String,
    /// The repository root (nearest ancestor with `.git`), absolute, `/`-separated.
    pub repo_abs: String,
    pub files: Vec<ParsedFile>,
    pub walk_problems: Vec<WalkProblem>,
    /// The Terraform code of every directory that has some, by directory.
    pub codes: BTreeMap<String, Code>,
    /// Stacks sorted by id.
    pub stacks: Vec<Stack>,
    /// Local module directories and the stacks/modules that call them.
    pub modules: BTreeMap<String, LocalModule>,
    /// Terragrunt units by directory.
    pub units: BTreeMap<String, TgUnit>,
    /// Terramate stacks by directory.
    pub terramate: BTreeMap<String, TmStack>,
    /// Every file, ordered by its relative path (see [`Workspace::file_id`]): indices rather
    /// than a map of copied paths, 4 bytes a file.
    pub by_path: Vec<FileId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StackKind {
    Terraform,
    Terragrunt,
    Terramate,
}

impl StackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StackKind::Terraform => "terraform",
            StackKind::Terragrunt => "terragrunt",
            StackKind::Terramate => "terramate",
        }
    }
}

/// A top-level block (`child == None`) or a block nested one level inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockRef {
    pub file: FileId,
    pub top: u32,
    pub child: Option<u32>,
}

/// A shared, immutable name: cloned into every stack that expands the code it belongs
/// to, so a copy costs a reference count rather than an allocation.
pub type Name = arcstr::ArcStr;

/// A named top-level item of Terraform code: resource, data source, output, variable...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Resource/data type (`aws_vpc`), interned; empty for outputs, variables, modules.
    pub kind: crate::syntax::Ident,
    pub name: Name,
    pub block: BlockRef,
}

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    /// The evaluated `source` (as written when it cannot be evaluated).
    pub source: String,
    /// The directory of a local source, relative to the scan root.
    pub local_dir: Option<String>,
    pub block: BlockRef,
}

#[derive(Debug, Clone)]
pub struct Provider {
    pub name: String,
    pub alias: Option<String>,
    pub block: BlockRef,
}

/// A resource or data source as seen from a stack: its own, or from a local module the
/// stack calls (`module` is the module path, `module.net.module.subnets`, or empty).
#[derive(Debug, Clone)]
pub struct StackItem {
    pub module: Name,
    /// The code directory the item is written in.
    pub code_dir: Name,
    pub item: Item,
}

impl StackItem {
    /// `module.net.aws_vpc.main`, or `aws_vpc.main` at the root.
    pub fn address(&self, data: bool) -> String {
        let prefix = if data { "data." } else { "" };
        if self.module.is_empty() {
            format!("{prefix}{}.{}", self.item.kind, self.item.name)
        } else {
            format!(
                "{}.{prefix}{}.{}",
                self.module, self.item.kind, self.item.name
            )
        }
    }
}

/// The backend a stack declares (or that Terragrunt generates for it).
#[derive(Debug, Clone)]
pub struct Backend {
    pub kind: String,
    /// Configuration evaluated in the stack's default instance; instance files add to it.
    pub config: BTreeMap<String, Value>,
    pub loc: Loc,
}

/// One deployment of a stack: a tfvars set, a backend configuration file, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub name: String,
    pub var_files: Vec<FileId>,
    pub backend_file: Option<FileId>,
}

#[derive(Debug, Clone)]
pub struct Stack {
    pub id: String,
    pub dir: String,
    pub kind: StackKind,
    /// The directory whose Terraform code the stack deploys (its own directory, or a
    /// Terragrunt unit's local `terraform { source }`); `None` when that code is remote.
    pub code_dir: Option<String>,
    /// The unit's remote `terraform { source }`, not fetched.
    pub remote_source: Option<String>,
    /// Files in the stack's own directory (and its instance subfolders).
    pub files: Vec<FileId>,
    /// Managed resources, local modules expanded.
    pub resources: Vec<StackItem>,
    /// Data sources, local modules expanded.
    pub data: Vec<StackItem>,
    /// Module calls in the stack's own code.
    /// The deployed code's, shared with `Code` (many units deploy one module).
    pub module_calls: std::sync::Arc<[ModuleCall]>,
    pub outputs: std::sync::Arc<[Item]>,
    pub variables: std::sync::Arc<[Item]>,
    pub providers: std::sync::Arc<[Provider]>,
    pub backend: Option<Backend>,
    pub instances: Vec<Instance>,
    /// `terraform.tfvars` and `*.auto.tfvars`: loaded for every instance.
    pub auto_var_files: Vec<FileId>,
    /// State addresses of every instance (and workspace), for remote-state matching.
    pub addresses: Vec<StateAddress>,
    /// The code uses `terraform.workspace`: the stack is deployed once per workspace.
    pub uses_workspaces: bool,
    /// Where a reader finds the stack: its backend block, else its first block.
    pub anchor: Option<Loc>,
}

impl Stack {
    pub fn instance_count(&self) -> usize {
        self.instances.len().max(1)
    }
}

/// A local module directory and who calls it.
#[derive(Debug, Clone, Default)]
pub struct LocalModule {
    pub dir: String,
    /// Calls as (calling code directory, call).
    pub callers: Vec<(String, ModuleCall)>,
}

impl Workspace {
    /// The file at a relative path.
    pub fn file_id(&self, rel: &str) -> Option<FileId> {
        self.by_path
            .binary_search_by(|id| self.files[id.index()].path.as_str().cmp(rel))
            .ok()
            .map(|i| self.by_path[i])
    }

    pub fn file(&self, id: FileId) -> &ParsedFile {
        &self.files[id.index()]
    }

    pub fn block(&self, r: BlockRef) -> Option<&Block> {
        let top = self
            .files
            .get(r.file.index())?
            .body
            .blocks
            .get(r.top as usize)?;
        match r.child {
            None => Some(top),
            Some(c) => top.body.blocks.get(c as usize),
        }
    }

    pub fn loc(&self, r: BlockRef) -> Loc {
        Loc {
            file: r.file,
            span: self.block(r).map(|b| b.head).unwrap_or_default(),
        }
    }

    pub fn stack_index(&self, id: &str) -> Option<usize> {
        self.stacks.binary_search_by(|s| s.id.as_str().cmp(id)).ok()
    }

    /// The stack whose directory is `dir` (a normalised path relative to the root).
    pub fn stack_at_dir(&self, dir: &str) -> Option<usize> {
        self.stack_index(&stack_id(dir))
    }

    /// The stack that owns a file: the nearest stack directory at or above it.
    pub fn stack_of_file(&self, rel: &str) -> Option<usize> {
        let mut dir = paths::parent(rel);
        loop {
            if let Some(i) = self.stack_at_dir(&dir) {
                return Some(i);
            }
            if dir == "." || dir == "/" {
                return None;
            }
            dir = paths::parent(&dir);
        }
    }

    pub fn path(&self, file: FileId) -> &str {
        &self.file(file).path
    }

    /// `file:line:col` for messages.
    pub fn display_loc(&self, loc: Loc) -> String {
        let f = self.file(loc.file);
        let lc = f.lines.line_col(loc.span.start, None);
        format!("{}:{}:{}", f.path, lc.line, lc.column)
    }

    pub fn line_of(&self, loc: Loc) -> u32 {
        self.file(loc.file)
            .lines
            .line_col(loc.span.start, None)
            .line
    }

    /// Absolute `/`-separated form of a root-relative path.
    pub fn abs(&self, rel: &str) -> String {
        if rel == "." || rel.is_empty() {
            self.root_abs.clone()
        } else {
            paths::join(&self.root_abs, rel)
        }
    }

    /// Root-relative form of an absolute path; `None` outside the scanned tree.
    pub fn rel(&self, abs: &str) -> Option<String> {
        let abs = paths::normalize(abs);
        if abs == self.root_abs {
            return Some(".".into());
        }
        let below = abs.strip_prefix(self.root_abs.as_str())?;
        if self.root_abs.ends_with('/') {
            Some(below.to_string())
        } else {
            below.strip_prefix('/').map(str::to_string)
        }
    }
}

/// A stack's id: its directory relative to the scan root, `.` for the root itself.
pub fn stack_id(dir: &str) -> String {
    if dir.is_empty() {
        ".".to_string()
    } else {
        dir.to_string()
    }
}

pub(crate) fn span_loc(file: FileId, span: Span) -> Loc {
    Loc { file, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_found_by_path_whatever_order_they_come_in() {
        // Component order (discovery's) puts `net/main.tf` before `net-b/main.tf`; string
        // order puts it after.
        let paths = ["net/main.tf", "net-b/main.tf", "app/main.tf"];
        let files: Vec<ParsedFile> = paths
            .iter()
            .filter_map(|p| crate::parse::parse_memory(p, b"variable \"x\" {}\n".to_vec()))
            .collect();
        let ws = build(std::path::Path::new("/repo"), files, Vec::new());
        for (i, p) in paths.iter().enumerate() {
            assert_eq!(ws.file_id(p), Some(FileId(i as u32)), "{p}");
        }
        assert_eq!(ws.file_id("net/other.tf"), None);
    }
}
