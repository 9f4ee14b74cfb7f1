//! Stage 1: walk the tree (gitignore-aware, symlink-loop safe) and classify the files
//! stacklint reads.

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Directories never worth reading: tool caches and VCS internals.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    ".terragrunt-cache",
    ".terramate-cache",
    "node_modules",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// `*.tf`, `*.tofu`
    Terraform,
    /// `*.tf.json`, `*.tofu.json`
    TerraformJson,
    /// `*.tfvars`
    Tfvars,
    /// `*.tfvars.json`
    TfvarsJson,
    /// Partial backend configuration: `*.tfbackend`, `backend.hcl`, `*.backend.hcl`,
    /// `*.backend`, `backend.<type>`.
    Backend,
    /// `terragrunt.hcl` and other Terragrunt `*.hcl` configuration.
    Terragrunt,
    /// `*.tm.hcl`, `*.tm`
    Terramate,
    /// `.terraform.lock.hcl`: only its presence is used.
    LockFile,
    /// A path the walk could not read (kept so its problem has a place in reports).
    Other,
    /// stacklint's own configuration, added after the walk so that findings about it
    /// (a contract that matches no stack) can point into it. Never part of the model.
    Config,
}

/// Backend types Terraform knows, for `backend.<type>` file names.
const BACKEND_TYPES: &[&str] = &[
    "s3",
    "gcs",
    "azurerm",
    "remote",
    "local",
    "consul",
    "http",
    "pg",
    "kubernetes",
    "oss",
    "cos",
];

impl FileKind {
    pub fn classify(name: &str) -> Option<FileKind> {
        let lower = name.to_ascii_lowercase();
        let n = lower.as_str();
        if n == ".terraform.lock.hcl" {
            return Some(FileKind::LockFile);
        }
        if n == ".stacklint.hcl" || n == ".stacklint-baseline.json" {
            return None;
        }
        if n.ends_with(".tf") || n.ends_with(".tofu") {
            return Some(FileKind::Terraform);
        }
        if n.ends_with(".tf.json") || n.ends_with(".tofu.json") {
            return Some(FileKind::TerraformJson);
        }
        if n.ends_with(".tfvars") {
            return Some(FileKind::Tfvars);
        }
        if n.ends_with(".tfvars.json") {
            return Some(FileKind::TfvarsJson);
        }
        if n.ends_with(".tm.hcl") || n.ends_with(".tm") {
            return Some(FileKind::Terramate);
        }
        if n.ends_with(".tfbackend")
            || n == "backend.hcl"
            || n.ends_with(".backend.hcl")
            || n.ends_with(".backend")
        {
            return Some(FileKind::Backend);
        }
        if let Some(t) = n.strip_prefix("backend.") {
            if BACKEND_TYPES.contains(&t) {
                return Some(FileKind::Backend);
            }
        }
        if n.ends_with(".hcl") {
            return Some(FileKind::Terragrunt);
        }
        None
    }

    pub fn is_terraform_code(self) -> bool {
        matches!(self, FileKind::Terraform | FileKind::TerraformJson)
    }

    pub fn is_tfvars(self) -> bool {
        matches!(self, FileKind::Tfvars | FileKind::TfvarsJson)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    /// Path relative to the scan root, `/`-separated.
    pub rel: String,
    pub kind: FileKind,
}

/// A path the walk could not enter or read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkProblem {
    pub rel: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<DiscoveredFile>,
    pub problems: Vec<WalkProblem>,
}

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

fn globset(patterns: &[String]) -> Result<Option<GlobSet>, globset::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p)?);
        // `dir/**` should also prune the directory itself.
        if let Some(dir) = p.strip_suffix("/**") {
            b.add(Glob::new(dir)?);
        }
    }
    Ok(Some(b.build()?))
}

/// `path` below `root`. The walk yields `root` joined with names, so its bytes start
/// with the root's and a separator: compared as bytes (`Path::strip_prefix` compares
/// component by component, 2% of the walk). Anything else takes `strip_prefix`.
fn below_root<'p>(root: &Path, path: &'p Path) -> &'p Path {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let rest = (path.as_os_str().as_bytes())
            .strip_prefix(root.as_os_str().as_bytes())
            .and_then(|r| r.strip_prefix(b"/"));
        if let Some(rest) = rest {
            let clean_start = !(rest.is_empty()
                || rest.starts_with(b"/")
                || rest.starts_with(b"./")
                || rest == b".");
            if !root.as_os_str().is_empty() && clean_start {
                return Path::new(std::ffi::OsStr::from_bytes(rest));
            }
        }
    }
    path.strip_prefix(root).unwrap_or(path)
}

pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = below_root(root, path);
    // The walk yields clean paths: taken as they are, unless a component would be
    // dropped or rewritten below (one call per file: 1% of a large run went here).
    if let Some(text) = rel.to_str() {
        if std::path::MAIN_SEPARATOR == '/'
            && !text.ends_with('/')
            && !text.ends_with("/.")
            && !text.starts_with('/')
            && !text.starts_with("./")
            && !text.contains("//")
            && !text.contains("/./")
            && text != "."
        {
            return text.to_string();
        }
    }
    let mut s = String::new();
    for c in rel.components() {
        if !s.is_empty() {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    s
}

/// Walks `root` and returns the files stacklint reads, sorted by path.
pub fn discover(root: &Path, opts: &DiscoverOptions) -> Result<Discovery, globset::Error> {
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let root_buf: PathBuf = root.to_path_buf();
    let exclude_for_filter = exclude.clone();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .ignore(true)
        .parents(true)
        .follow_links(true)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if is_dir {
                let name = e.file_name().to_string_lossy();
                if SKIPPED_DIRS.contains(&name.as_ref()) {
                    return false;
                }
                if let Some(ex) = &exclude_for_filter {
                    let rel = rel_path(&root_buf, e.path());
                    if !rel.is_empty() && ex.is_match(&rel) {
                        return false;
                    }
                }
            }
            true
        })
        .threads(rayon::current_num_threads())
        .build_parallel();
    // Each walker thread collects into its own lists and hands them over when the walk
    // drops it; sorting afterwards makes the order independent of scheduling.
    let shared = std::sync::Mutex::new(Discovery::default());
    let mut builder = Collector {
        root,
        include: include.as_ref(),
        exclude: exclude.as_ref(),
        shared: &shared,
    };
    walker.visit(&mut builder);
    let mut out = shared.into_inner().unwrap_or_else(|p| p.into_inner());
    out.files.sort();
    out.files.dedup();
    out.problems.sort();
    out.problems.dedup();
    Ok(out)
}

struct Collector<'a> {
    root: &'a Path,
    include: Option<&'a GlobSet>,
    exclude: Option<&'a GlobSet>,
    shared: &'a std::sync::Mutex<Discovery>,
}

impl<'s, 'a: 's> ignore::ParallelVisitorBuilder<'s> for Collector<'a> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            root: self.root,
            include: self.include,
            exclude: self.exclude,
            shared: self.shared,
            found: Discovery::default(),
        })
    }
}

struct Visitor<'a> {
    root: &'a Path,
    include: Option<&'a GlobSet>,
    exclude: Option<&'a GlobSet>,
    shared: &'a std::sync::Mutex<Discovery>,
    found: Discovery,
}

impl ignore::ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        match entry {
            Ok(e) => {
                if let Some(file) = self.file(&e) {
                    self.found.files.push(file);
                }
            }
            Err(err) => self.found.problems.push(walk_problem(self.root, &err)),
        }
        ignore::WalkState::Continue
    }
}

impl Visitor<'_> {
    fn file(&self, e: &ignore::DirEntry) -> Option<DiscoveredFile> {
        if e.file_type().is_some_and(|t| t.is_dir()) {
            return None;
        }
        let kind = FileKind::classify(&e.file_name().to_string_lossy())?;
        let rel = rel_path(self.root, e.path());
        if rel.is_empty()
            || self.exclude.is_some_and(|x| x.is_match(&rel))
            || self.include.is_some_and(|i| !i.is_match(&rel))
        {
            return None;
        }
        Some(DiscoveredFile { rel, kind })
    }
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        shared.files.append(&mut self.found.files);
        shared.problems.append(&mut self.found.problems);
    }
}

fn walk_problem(root: &Path, err: &ignore::Error) -> WalkProblem {
    // ignore::Error wraps the path and the cause at several depths; find both.
    fn parts(err: &ignore::Error) -> (Option<PathBuf>, String) {
        match err {
            ignore::Error::WithPath { path, err } => {
                let (_, msg) = parts(err);
                (Some(path.clone()), msg)
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            ignore::Error::Loop { child, ancestor } => (
                Some(child.clone()),
                format!(
                    "symlink loop: points back to {}",
                    ancestor.to_string_lossy()
                ),
            ),
            ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                (None, "permission denied".to_string())
            }
            other => (None, other.to_string()),
        }
    }
    let (path, message) = parts(err);
    WalkProblem {
        rel: path.map(|p| rel_path(root, &p)).unwrap_or_default(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::FileKind::{self, *};

    #[test]
    fn relative_paths_are_clean_and_slash_separated() {
        use std::path::Path;
        let root = Path::new("/repo");
        let cases = [
            ("/repo/live/prod/main.tf", "live/prod/main.tf"),
            ("/repo/a b/ü.tf", "a b/ü.tf"),
            ("/repo/a//b/./c.tf", "a/b/c.tf"),
            ("/repo/live/", "live"),
            ("/repo", ""),
            ("rel/./x.tf", "rel/x.tf"),
            ("/repo/live/.", "live"),
            ("/repo/./live", "live"),
        ];
        for (path, want) in cases {
            assert_eq!(super::rel_path(root, Path::new(path)), want, "{path}");
        }
        // Roots as a user types them: relative, or with a trailing slash.
        let rooted = [
            (".", "./live/main.tf", "live/main.tf"),
            ("repo/", "repo/live/main.tf", "live/main.tf"),
            ("../repo", "../repo/live/main.tf", "live/main.tf"),
            ("/re", "/re//live/main.tf", "live/main.tf"),
        ];
        for (root, path, want) in rooted {
            let got = super::rel_path(Path::new(root), Path::new(path));
            assert_eq!(got, want, "{root} {path}");
        }
    }

    #[test]
    fn classifies_stack_files() {
        let cases = [
            ("main.tf", Some(Terraform)),
            ("main.tofu", Some(Terraform)),
            ("main.tf.json", Some(TerraformJson)),
            ("prod.tfvars", Some(Tfvars)),
            ("prod.tfvars.json", Some(TfvarsJson)),
            ("prod.tfbackend", Some(Backend)),
            ("backend.hcl", Some(Backend)),
            ("prod.backend.hcl", Some(Backend)),
            ("backend.azurerm", Some(Backend)),
            ("terragrunt.hcl", Some(Terragrunt)),
            ("root.hcl", Some(Terragrunt)),
            ("stack.tm.hcl", Some(Terramate)),
            ("config.tm", Some(Terramate)),
            (".terraform.lock.hcl", Some(LockFile)),
            (".stacklint.hcl", None),
            ("README.md", None),
            ("backend.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(FileKind::classify(name), want, "{name}");
        }
    }
}
