//! Terragrunt units: evaluates a unit's `terragrunt.hcl` with its `include`s, enough to
//! know its remote state, its `terraform { source }`, its `dependency` and
//! `dependencies` paths, its inputs, and which dependency outputs it reads.
//!
//! Terragrunt's path functions are evaluated on absolute `/`-separated paths; functions
//! that would run a command or call a cloud API stay unknown.

use super::{paths, span_loc, Workspace};
use crate::eval::{self, Pattern, Scope, Value};
use crate::source::{FileId, Loc};
use crate::syntax::{Block, Body, ExprKind, Op};
use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Clone)]
pub struct TgUnit {
    pub dir: String,
    pub file: FileId,
    /// Files this unit includes (resolved).
    pub includes: Vec<FileId>,
    /// Evaluated `terraform { source }`.
    pub source: Option<String>,
    pub remote_state: Option<(String, BTreeMap<String, Value>, Loc)>,
    pub dependencies: Vec<TgDependency>,
    /// `dependencies { paths = [...] }` entries.
    pub order_paths: Vec<TgPath>,
    pub inputs: BTreeMap<String, Value>,
    /// `dependency.<name>.outputs.<output>` reads; `None` output: read dynamically.
    pub reads: Vec<(String, Option<String>, Loc)>,
    /// The unit holds something deployable (a source, inputs or Terraform code).
    pub deployable: bool,
}

#[derive(Debug, Clone)]
pub struct TgDependency {
    pub name: String,
    pub path: TgPath,
}

#[derive(Debug, Clone)]
pub struct TgPath {
    /// Resolved directory relative to the scan root; `None` if unknown or outside.
    pub dir: Option<String>,
    /// The path as evaluated, for messages.
    pub raw: String,
    pub loc: Loc,
}

/// What the units of one tree share while they are evaluated: whether a path is a file
/// (`find_in_parent_folders` asks the same questions for every unit) and the value of each
/// `read_terragrunt_config` file whose evaluation did not depend on the unit reading it
/// (an `account.hcl` of plain locals is read by every unit below it).
#[derive(Default)]
pub struct TgCache {
    is_file: Mutex<HashMap<String, bool>>,
    /// Keyed by file and read depth: deeper reads may stop at `MAX_READ_DEPTH`.
    configs: Mutex<HashMap<(FileId, usize), Value>>,
}

impl TgCache {
    fn is_file(&self, abs: &str) -> bool {
        if let Some(known) = lock(&self.is_file).get(abs) {
            return *known;
        }
        let found = std::path::Path::new(abs).is_file();
        lock(&self.is_file).insert(abs.to_string(), found);
        found
    }
}

/// A poisoned lock only means another unit's evaluation panicked; the cache is still sound.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct TgScope<'w> {
    ws: &'w Workspace,
    cache: &'w TgCache,
    unit_abs: String,
    /// The file whose `locals` are in scope.
    file: FileId,
    /// Directory of the included file being evaluated (for path_relative_to_include).
    include_abs: String,
    exposed: BTreeMap<String, Value>,
    locals: RefCell<HashMap<String, Option<Value>>>,
    depth: usize,
    /// Set when a value in this scope came from the reading unit's context (its
    /// directory, its includes, the read-depth limit): such a result is not cached.
    unit_dependent: Cell<bool>,
}

const MAX_READ_DEPTH: usize = 4;

impl<'w> TgScope<'w> {
    fn new(
        ws: &'w Workspace,
        cache: &'w TgCache,
        unit_abs: &str,
        file: FileId,
        include_abs: &str,
        depth: usize,
    ) -> Self {
        TgScope {
            ws,
            cache,
            unit_abs: unit_abs.to_string(),
            file,
            include_abs: include_abs.to_string(),
            exposed: BTreeMap::new(),
            locals: RefCell::new(HashMap::new()),
            depth,
            unit_dependent: Cell::new(false),
        }
    }

    fn body(&self) -> &'w Body {
        &self.ws.file(self.file).body
    }

    fn local(&self, name: &str) -> Value {
        if let Some(state) = self.locals.borrow().get(name) {
            return state.clone().unwrap_or(Value::Unknown);
        }
        let expr = self
            .body()
            .blocks_of("locals")
            .find_map(|b| b.body.expr(name));
        let Some(expr) = expr else {
            return Value::Unknown;
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        let v = eval::eval(expr, self);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Some(v.clone()));
        v
    }

    fn all_locals(&self) -> Value {
        let names: Vec<String> = self
            .body()
            .blocks_of("locals")
            .flat_map(|b| b.body.attrs.iter().map(|a| a.name.to_string()))
            .collect();
        Value::Map(
            names
                .into_iter()
                .map(|n| (n.clone(), self.local(&n)))
                .collect(),
        )
    }

    /// Searches the parents of the unit's directory for `name` (Terragrunt's
    /// `find_in_parent_folders`), returning an absolute path.
    fn find_in_parents(&self, name: &str) -> Option<String> {
        let mut dir = paths::parent(&self.unit_abs);
        loop {
            let candidate = paths::join(&dir, name);
            if self.exists(&candidate) {
                return Some(candidate);
            }
            if dir == "/"
                || !dir.starts_with(&self.ws.repo_abs) && !dir.starts_with(&self.ws.root_abs)
            {
                return None;
            }
            let up = paths::parent(&dir);
            if up == dir {
                return None;
            }
            dir = up;
        }
    }

    fn exists(&self, abs: &str) -> bool {
        match self.ws.rel(abs) {
            Some(rel) => self.ws.file_id(&rel).is_some() || self.cache.is_file(abs),
            None => self.cache.is_file(abs),
        }
    }

    fn read_config(&self, path: &str) -> Option<Value> {
        if self.depth >= MAX_READ_DEPTH {
            self.unit_dependent.set(true);
            return None;
        }
        let abs = if path.starts_with('/') {
            paths::normalize(path)
        } else {
            self.unit_dependent.set(true);
            paths::join(&self.unit_abs, path)
        };
        let rel = self.ws.rel(&abs)?;
        let file = self.ws.file_id(&rel)?;
        if let Some(v) = lock(&self.cache.configs).get(&(file, self.depth)) {
            return Some(v.clone());
        }
        let scope = TgScope::new(
            self.ws,
            self.cache,
            &self.unit_abs,
            file,
            &paths::parent(&abs),
            self.depth + 1,
        );
        let mut m = BTreeMap::new();
        m.insert("locals".to_string(), scope.all_locals());
        for a in &scope.body().attrs {
            m.insert(a.name.to_string(), eval::eval(&a.expr, &scope));
        }
        let v = Value::Map(m);
        if scope.unit_dependent.get() {
            self.unit_dependent.set(true);
        } else {
            lock(&self.cache.configs).insert((file, self.depth), v.clone());
        }
        Some(v)
    }
}

fn arg(args: &[Value], i: usize) -> Option<String> {
    args.get(i).and_then(Value::as_str)
}

impl Scope for TgScope<'_> {
    fn resolve(&self, root: &str, attr: Option<&str>) -> Option<(Value, usize)> {
        if root == "include" {
            self.unit_dependent.set(true);
        }
        match (root, attr) {
            ("local", Some(name)) => Some((self.local(name), 1)),
            ("include", Some(name)) => {
                Some((self.exposed.get(name).cloned().unwrap_or(Value::Unknown), 1))
            }
            // Without a label, `include.locals` reads the single exposed include.
            ("include", None) => self.exposed.values().next().map(|v| (v.clone(), 0)),
            _ => None,
        }
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Value> {
        let ws = self.ws;
        let s = |v: String| Some(Value::Str(v));
        if matches!(
            name,
            "find_in_parent_folders"
                | "path_relative_to_include"
                | "path_relative_from_include"
                | "get_terragrunt_dir"
                | "get_original_terragrunt_dir"
                | "get_parent_terragrunt_dir"
                | "get_path_to_repo_root"
                | "get_path_from_repo_root"
        ) {
            self.unit_dependent.set(true);
        }
        match name {
            "find_in_parent_folders" => {
                let target = arg(args, 0).unwrap_or_else(|| "terragrunt.hcl".to_string());
                match self.find_in_parents(&target) {
                    Some(p) => s(p),
                    None => Some(args.get(1).cloned().unwrap_or(Value::Unknown)),
                }
            }
            "path_relative_to_include" => s(paths::relative(&self.include_abs, &self.unit_abs)),
            "path_relative_from_include" => s(paths::relative(&self.unit_abs, &self.include_abs)),
            "get_terragrunt_dir" | "get_original_terragrunt_dir" => s(self.unit_abs.clone()),
            "get_parent_terragrunt_dir" => s(self.include_abs.clone()),
            "get_repo_root" => s(ws.repo_abs.clone()),
            "get_path_to_repo_root" => s(paths::relative(&self.unit_abs, &ws.repo_abs)),
            "get_path_from_repo_root" => s(paths::relative(&ws.repo_abs, &self.unit_abs)),
            // The environment is unknown; a non-empty default is the value most runs see,
            // an empty one means "must be set".
            "get_env" => Some(match args.get(1) {
                Some(v) if v.as_str().is_some_and(|s| !s.is_empty()) => v.clone(),
                _ => Value::Unknown,
            }),
            "read_terragrunt_config" => match arg(args, 0).and_then(|p| self.read_config(&p)) {
                Some(v) => Some(v),
                None => Some(args.get(1).cloned().unwrap_or(Value::Unknown)),
            },
            "run_cmd"
            | "get_aws_account_id"
            | "get_aws_account_alias"
            | "get_aws_caller_identity_arn"
            | "get_aws_caller_identity_user_id"
            | "sops_decrypt_file"
            | "get_terraform_command"
            | "get_terraform_cli_args"
            | "local_exec"
            | "mark_as_read"
            | "read_tfvars_file"
            | "get_working_dir"
            | "get_platform" => Some(Value::Unknown),
            _ => None,
        }
    }
}

/// The include blocks of a Terragrunt file: (name, path expression's block).
fn include_blocks(body: &Body) -> impl Iterator<Item = &Block> {
    body.blocks_of("include")
}

/// Resolves a unit's includes to files, evaluated in the unit's own scope.
pub fn resolve_includes(
    ws: &Workspace,
    cache: &TgCache,
    file: FileId,
    unit_dir: &str,
) -> Vec<(String, FileId, bool)> {
    let unit_abs = ws.abs(unit_dir);
    let scope = TgScope::new(ws, cache, &unit_abs, file, &unit_abs, 0);
    let mut out = Vec::new();
    for b in include_blocks(&ws.file(file).body) {
        let Some(path) = b.body.expr("path").map(|e| eval::eval(e, &scope)) else {
            continue;
        };
        let Some(p) = path.as_str() else { continue };
        let abs = if p.starts_with('/') {
            paths::normalize(&p)
        } else {
            paths::join(&unit_abs, &p)
        };
        if let Some(id) = ws.rel(&abs).and_then(|r| ws.file_id(&r)) {
            let expose = b
                .body
                .expr("expose")
                .and_then(|e| match e.kind {
                    ExprKind::Bool(v) => Some(v),
                    _ => None,
                })
                .unwrap_or(false);
            out.push((b.label(0).unwrap_or("").to_string(), id, expose));
        }
    }
    out
}

/// Evaluates a Terragrunt unit.
pub fn evaluate_unit(
    ws: &Workspace,
    cache: &TgCache,
    file: FileId,
    dir: &str,
    has_code: bool,
) -> TgUnit {
    let unit_abs = ws.abs(dir);
    let includes = resolve_includes(ws, cache, file, dir);
    let mut exposed = BTreeMap::new();
    for (name, id, expose) in &includes {
        if *expose {
            let inc_dir = paths::parent(&ws.abs(ws.path(*id)));
            let scope = TgScope::new(ws, cache, &unit_abs, *id, &inc_dir, 0);
            let mut m = BTreeMap::new();
            m.insert("locals".to_string(), scope.all_locals());
            exposed.insert(name.clone(), Value::Map(m));
        }
    }
    let first_include_dir = includes
        .first()
        .map(|(_, id, _)| paths::parent(&ws.abs(ws.path(*id))))
        .unwrap_or_else(|| unit_abs.clone());
    let mut unit_scope = TgScope::new(ws, cache, &unit_abs, file, &first_include_dir, 0);
    unit_scope.exposed = exposed;

    let mut unit = TgUnit {
        dir: dir.to_string(),
        file,
        includes: includes.iter().map(|(_, id, _)| *id).collect(),
        source: None,
        remote_state: None,
        dependencies: Vec::new(),
        order_paths: Vec::new(),
        inputs: BTreeMap::new(),
        reads: Vec::new(),
        deployable: has_code,
    };

    // Included files first, the unit last, so the unit's own settings win (shallow merge).
    let mut layers: Vec<(FileId, TgScope)> = Vec::new();
    for (_, id, _) in &includes {
        let inc_dir = paths::parent(&ws.abs(ws.path(*id)));
        let mut sc = TgScope::new(ws, cache, &unit_abs, *id, &inc_dir, 0);
        sc.exposed = unit_scope.exposed.clone();
        layers.push((*id, sc));
    }
    layers.push((file, unit_scope));

    let mut deps: BTreeMap<String, TgDependency> = BTreeMap::new();
    for (fid, scope) in &layers {
        let body = &ws.file(*fid).body;
        for b in body.blocks_of("terraform") {
            if let Some(e) = b.body.expr("source") {
                let v = eval::eval(e, scope);
                unit.source = Some(match v.as_str() {
                    Some(s) => s,
                    None => v.to_pattern().to_string(),
                });
                unit.deployable = true;
            }
        }
        for b in body.blocks_of("remote_state") {
            let kind = b
                .body
                .expr("backend")
                .and_then(|e| eval::eval(e, scope).as_str())
                .unwrap_or_default();
            let config = match b.body.expr("config").map(|e| eval::eval(e, scope)) {
                Some(Value::Map(m)) => m,
                _ => BTreeMap::new(),
            };
            unit.remote_state = Some((kind, config, span_loc(*fid, b.head)));
        }
        for b in body.blocks_of("generate") {
            if let Some(rs) = generated_backend(b, scope, *fid) {
                unit.remote_state.get_or_insert(rs);
            }
        }
        if let Some(inputs) = body.expr("inputs") {
            if let Value::Map(m) = eval::eval(inputs, scope) {
                unit.inputs.extend(m);
            }
            unit.deployable = true;
        }
        for b in body.blocks_of("dependency") {
            let name = b.label(0).unwrap_or("").to_string();
            let path = b.body.expr("config_path").map(|e| {
                resolve_path(ws, &unit_abs, &eval::eval(e, scope), span_loc(*fid, b.head))
            });
            if let Some(path) = path {
                deps.insert(name.clone(), TgDependency { name, path });
            }
            unit.deployable = true;
        }
        for b in body.blocks_of("dependencies") {
            let Some(e) = b.body.expr("paths") else {
                continue;
            };
            let loc = span_loc(*fid, b.head);
            unit.order_paths.clear();
            match eval::eval(e, scope) {
                Value::List(items) => {
                    for it in items {
                        unit.order_paths.push(resolve_path(ws, &unit_abs, &it, loc));
                    }
                }
                other => unit
                    .order_paths
                    .push(resolve_path(ws, &unit_abs, &other, loc)),
            }
        }
        collect_reads(body, *fid, &mut unit.reads);
    }
    unit.dependencies = deps.into_values().collect();
    unit
}

fn resolve_path(ws: &Workspace, unit_abs: &str, v: &Value, loc: Loc) -> TgPath {
    match v.as_str() {
        Some(p) => {
            let abs = if p.starts_with('/') {
                paths::normalize(&p)
            } else {
                paths::join(unit_abs, &p)
            };
            TgPath {
                dir: ws.rel(&abs),
                raw: p,
                loc,
            }
        }
        None => TgPath {
            dir: None,
            raw: v.to_pattern().to_string(),
            loc,
        },
    }
}

/// `generate "backend" { contents = <<EOF terraform { backend "s3" {...} } EOF }`: the
/// generated text is evaluated (unknown parts become a placeholder), parsed, and its
/// backend block read.
fn generated_backend(
    b: &Block,
    scope: &TgScope,
    fid: FileId,
) -> Option<(String, BTreeMap<String, Value>, Loc)> {
    const HOLE: &str = "__stacklint_unknown__";
    let contents = eval::eval(b.body.expr("contents")?, scope).to_pattern();
    let text = contents
        .segs()
        .iter()
        .map(|s| match s {
            eval::Seg::Lit(l) => l.as_str(),
            eval::Seg::Any | eval::Seg::Word => HOLE,
        })
        .collect::<String>();
    if !text.contains("backend") {
        return None;
    }
    let body = crate::parse::parse_body_str(&text).ok()?;
    let backend = body
        .blocks_of("terraform")
        .find_map(|t| t.body.block("backend"))?;
    let kind = backend.label(0)?.to_string();
    let config = backend
        .body
        .attrs
        .iter()
        .map(|a| {
            let v = eval::eval(&a.expr, &eval::EmptyScope);
            let v = match v.as_str() {
                Some(s) if s.contains(HOLE) => {
                    let mut p = Pattern::literal("");
                    for (i, part) in s.split(HOLE).enumerate() {
                        if i > 0 {
                            p.push_any();
                        }
                        p.push_lit(part);
                    }
                    Value::Pattern(p)
                }
                _ => v,
            };
            (a.name.to_string(), v)
        })
        .collect();
    Some((kind, config, span_loc(fid, b.head)))
}

/// Every `dependency.<name>.outputs.<x>` in a Terragrunt file.
fn collect_reads(body: &Body, file: FileId, out: &mut Vec<(String, Option<String>, Loc)>) {
    crate::syntax::for_each_attr(body, |a| {
        for r in a.expr.references() {
            if r.root != "dependency" {
                continue;
            }
            let Some(dep) = r.name_at(0) else { continue };
            match r.name_at(1) {
                Some("outputs") => {}
                _ => continue,
            }
            let output = match r.ops.get(2) {
                Some(Op::Attr(n)) => Some(n.to_string()),
                Some(Op::Index(e)) => e.as_literal_str().map(str::to_string),
                _ => None,
            };
            out.push((dep.to_string(), output, span_loc(file, r.span)));
        }
    });
}
