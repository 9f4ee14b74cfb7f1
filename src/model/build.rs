//! Builds the `Workspace` from parsed files: which directories are stacks, which are
//! local modules, each stack's code, instances, backend and state addresses.

use super::backend::{addresses, WorkspaceSel};
use super::instances::{self, InstanceFolder};
use super::terragrunt::{self, TgUnit};
use super::terramate::{self, TmStack};
use super::*;
use crate::discover::{FileKind, WalkProblem};
use crate::eval::{self, EmptyScope};
use crate::parse::ParsedFile;
use crate::source::FileId;
use crate::syntax::exact;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {}

/// Local modules nested deeper than this are not expanded (and cycles never are).
const MAX_MODULE_DEPTH: usize = 12;

pub fn build(root: &Path, files: Vec<ParsedFile>, walk_problems: Vec<WalkProblem>) -> Workspace {
    let root_abs = abs_string(root);
    let repo_abs = repo_root(root)
        .map(|p| abs_string(&p))
        .unwrap_or_else(|| root_abs.clone());
    let mut by_path: Vec<FileId> = (0..files.len()).map(|i| FileId(i as u32)).collect();
    by_path.sort_by(|a, b| files[a.index()].path.cmp(&files[b.index()].path));
    let mut ws = Workspace {
        root: root.to_path_buf(),
        root_abs,
        repo_abs,
        files,
        walk_problems,
        codes: BTreeMap::new(),
        stacks: Vec::new(),
        modules: BTreeMap::new(),
        units: BTreeMap::new(),
        terramate: BTreeMap::new(),
        by_path,
    };

    let dirs = group_by_dir(&ws.files);
    ws.codes = collect_codes(&ws.files, &dirs);
    ws.terramate = collect_terramate(&ws.files, &dirs);
    ws.units = collect_units(&ws, &dirs);

    // Local modules: called by Terraform code or deployed as a Terragrunt unit's source.
    let mut modules: BTreeMap<String, LocalModule> = BTreeMap::new();
    for code in ws.codes.values() {
        for call in code.module_calls.iter() {
            if let Some(dir) = &call.local_dir {
                let m = modules.entry(dir.clone()).or_default();
                m.dir = dir.clone();
                m.callers.push((code.dir.clone(), call.clone()));
            }
        }
    }
    // Resolving sources is path work per unit: in parallel, then merged in unit order.
    let units: Vec<&super::TgUnit> = ws.units.values().collect();
    let sources: Vec<Option<String>> = units
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .map(|unit| {
            let dir = local_source_dir(&ws, &unit.dir, unit.source.as_deref()?)?;
            (dir != unit.dir && ws.codes.contains_key(&dir)).then_some(dir)
        })
        .collect();
    let mut unit_code: BTreeMap<String, String> = BTreeMap::new();
    for (unit, dir) in units.iter().zip(sources) {
        if let Some(dir) = dir {
            modules.entry(dir.clone()).or_default().dir = dir.clone();
            unit_code.insert(unit.dir.clone(), dir);
        }
    }
    ws.modules = modules;

    // Which directories are stacks, and of what kind.
    let mut kinds: BTreeMap<String, StackKind> = BTreeMap::new();
    for dir in ws.units.keys() {
        kinds.insert(dir.clone(), StackKind::Terragrunt);
    }
    for dir in ws.terramate.keys() {
        kinds.insert(dir.clone(), StackKind::Terramate);
    }
    for (dir, code) in &ws.codes {
        if kinds.contains_key(dir) || ws.modules.contains_key(dir) {
            continue;
        }
        let root_like = code.backend.is_some()
            || !code.providers.is_empty()
            || code.has_lockfile
            || !code.resources.is_empty()
            || !code.module_calls.is_empty();
        // A directory under `modules/` without a backend or lock file is shared module
        // code called from elsewhere (another repository, a registry), not a stack.
        let module_by_convention = code.backend.is_none()
            && !code.has_lockfile
            && dir
                .split('/')
                .any(|seg| seg == "modules" || seg == "module");
        if root_like && !module_by_convention {
            kinds.insert(dir.clone(), StackKind::Terraform);
        }
    }

    // Folders with only tfvars/backend files belong to the nearest stack above them.
    let dir_list: Vec<(&String, &Vec<FileId>)> = dirs.iter().collect();
    let owned: Vec<Option<(String, &String)>> = dir_list
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK * 4)
        .map(|(dir, ids)| {
            if kinds.contains_key(*dir) || ws.codes.contains_key(*dir) {
                return None;
            }
            let has_instance_files = ids.iter().any(|id| {
                let kind = ws.files[id.index()].kind;
                kind.is_tfvars() || kind == FileKind::Backend
            });
            if !has_instance_files {
                return None;
            }
            let owner = paths::ancestors(dir).into_iter().find(|a| {
                matches!(
                    kinds.get(a),
                    Some(StackKind::Terraform | StackKind::Terramate)
                )
            })?;
            Some((owner, *dir))
        })
        .collect();
    let mut instance_folders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (owner, dir) in owned.into_iter().flatten() {
        instance_folders.entry(owner).or_default().push(dir.clone());
    }

    // Stacks are independent of each other here: assembled in parallel.
    let kinds: Vec<(&String, &StackKind)> = kinds.iter().collect();
    let mut stacks: Vec<Stack> = kinds
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .map(|(dir, kind)| {
            let code_dir = match kind {
                StackKind::Terragrunt => unit_code
                    .get(*dir)
                    .cloned()
                    .or_else(|| ws.codes.contains_key(*dir).then(|| dir.to_string())),
                _ => ws.codes.contains_key(*dir).then(|| dir.to_string()),
            };
            let extra = instance_folders.get(*dir).cloned().unwrap_or_default();
            assemble(&ws, dir, **kind, code_dir, &dirs, &extra)
        })
        .collect();
    stacks.sort_by(|a, b| a.id.cmp(&b.id));
    ws.stacks = stacks;
    ws
}

fn abs_string(p: &Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let s = abs.to_string_lossy().replace('\\', "/");
    // Windows canonical paths start with `//?/`; keep them usable as plain paths.
    let s = s.strip_prefix("//?/").map(|r| format!("/{r}")).unwrap_or(s);
    paths::normalize(&s)
}

fn repo_root(root: &Path) -> Option<std::path::PathBuf> {
    let abs = std::fs::canonicalize(root).ok()?;
    abs.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

type Dirs = BTreeMap<String, Vec<FileId>>;

fn group_by_dir(files: &[ParsedFile]) -> Dirs {
    // Sorted by directory in parallel, then grouped in one pass and built into the map
    // from sorted keys: inserting 27,000 files one by one was ~10 ms with a core idle.
    let mut by_dir: Vec<(&str, FileId)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| (paths::parent_str(&f.path), FileId(i as u32)))
        .collect();
    by_dir.par_sort_unstable();
    let mut grouped: Vec<(String, Vec<FileId>)> = Vec::new();
    for (dir, id) in by_dir {
        match grouped.last_mut() {
            Some((last, ids)) if last == dir => ids.push(id),
            _ => grouped.push((dir.to_string(), vec![id])),
        }
    }
    grouped.into_iter().collect()
}

fn files_of<'a>(files: &'a [ParsedFile], ids: &[FileId]) -> Vec<(FileId, &'a ParsedFile)> {
    ids.iter().map(|id| (*id, &files[id.index()])).collect()
}

fn collect_codes(files: &[ParsedFile], dirs: &Dirs) -> BTreeMap<String, Code> {
    let dirs: Vec<(&String, &Vec<FileId>)> = dirs.iter().collect();
    dirs.par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .filter_map(|(dir, ids)| {
            let all = files_of(files, ids);
            let tf: Vec<_> = all
                .iter()
                .filter(|(_, f)| f.kind.is_terraform_code() || declares_backend(f))
                .copied()
                .collect();
            if tf.is_empty() {
                return None;
            }
            let mut code = Code::from_files(dir, &tf);
            code.has_lockfile = all.iter().any(|(_, f)| f.kind == FileKind::LockFile);
            Some((dir.to_string(), code))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// A backend file holding a whole `terraform { backend ... }` block (CAF's
/// `backend.azurerm`, renamed to `.tf` by its tooling) is code, not partial config.
pub(super) fn declares_backend(f: &ParsedFile) -> bool {
    f.kind == FileKind::Backend && f.body.block("terraform").is_some()
}

fn collect_terramate(files: &[ParsedFile], dirs: &Dirs) -> BTreeMap<String, TmStack> {
    let dirs: Vec<(&String, &Vec<FileId>)> = dirs.iter().collect();
    dirs.par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .filter_map(|(dir, ids)| {
            let tm: Vec<_> = files_of(files, ids)
                .into_iter()
                .filter(|(_, f)| f.kind == FileKind::Terramate)
                .collect();
            terramate::read_stack(dir, &tm).map(|s| (dir.to_string(), s))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn collect_units(ws: &Workspace, dirs: &Dirs) -> BTreeMap<String, TgUnit> {
    let mut candidates = Vec::new();
    for (dir, ids) in dirs {
        for id in ids {
            let f = &ws.files[id.index()];
            if f.kind == FileKind::Terragrunt && paths::file_name(&f.path) == "terragrunt.hcl" {
                candidates.push((dir.clone(), *id));
            }
        }
    }
    let cache = terragrunt::TgCache::default();
    // A terragrunt.hcl that other units include is shared configuration, not a unit.
    let included: BTreeSet<FileId> = candidates
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .flat_map_iter(|(dir, id)| {
            terragrunt::resolve_includes(ws, &cache, *id, dir)
                .into_iter()
                .map(|(_, inc, _)| inc)
                .filter(move |inc| inc != id)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    candidates
        .into_par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .filter(|(_, id)| !included.contains(id))
        .filter_map(|(dir, id)| {
            let has_code = ws.codes.contains_key(&dir);
            let unit = terragrunt::evaluate_unit(ws, &cache, id, &dir, has_code);
            (unit.deployable || unit.remote_state.is_some()).then_some((dir, unit))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// A Terragrunt `terraform { source }` that points into the tree: the directory, relative
/// to the root. `//` separates the repository from the module folder in source URLs.
fn local_source_dir(ws: &Workspace, unit_dir: &str, source: &str) -> Option<String> {
    if source.contains("::") || source.contains("://") || source.contains('*') {
        return None;
    }
    let path = source
        .split('?')
        .next()
        .unwrap_or(source)
        .replace("//", "/");
    let abs = if path.starts_with('/') {
        paths::normalize(&path)
    } else if paths::is_local_source(&path) {
        paths::join(&ws.abs(unit_dir), &path)
    } else {
        return None;
    };
    ws.rel(&abs)
}

fn assemble(
    ws: &Workspace,
    dir: &str,
    kind: StackKind,
    code_dir: Option<String>,
    dirs: &Dirs,
    extra_dirs: &[String],
) -> Stack {
    let own = dirs.get(dir).cloned().unwrap_or_default();
    let mut files = own.clone();
    let mut folders = vec![InstanceFolder {
        rel: ".".to_string(),
        files: files_of(&ws.files, &own),
    }];
    for d in extra_dirs {
        let ids = dirs.get(d).cloned().unwrap_or_default();
        files.extend(ids.iter().copied());
        folders.push(InstanceFolder {
            rel: paths::relative(dir, d),
            files: files_of(&ws.files, &ids),
        });
    }
    files.sort();
    let code = code_dir.as_ref().and_then(|d| ws.codes.get(d));
    let unit = ws.units.get(dir);
    let (auto_vars, mut insts) = if kind == StackKind::Terragrunt {
        (Vec::new(), Vec::new())
    } else {
        instances::instances(&folders)
    };
    insts.sort_by(|a, b| a.name.cmp(&b.name));

    let mut stack = Stack {
        id: stack_id(dir),
        dir: dir.to_string(),
        kind,
        code_dir: code_dir.clone(),
        remote_source: unit
            .and_then(|u| u.source.clone())
            .filter(|s| local_source_dir(ws, dir, s).is_none()),
        files,
        resources: Vec::new(),
        data: Vec::new(),
        module_calls: code.map(|c| c.module_calls.clone()).unwrap_or_default(),
        outputs: code.map(|c| c.outputs.clone()).unwrap_or_default(),
        variables: code.map(|c| c.variables.clone()).unwrap_or_default(),
        providers: code.map(|c| c.providers.clone()).unwrap_or_default(),
        backend: None,
        instances: insts,
        auto_var_files: auto_vars.clone(),
        addresses: Vec::new(),
        uses_workspaces: code.is_some_and(|c| c.uses_workspace),
        anchor: None,
    };
    if let Some(code) = code {
        expand(ws, code, "", &mut Vec::new(), &mut stack);
    }

    let ws_sel = if stack.uses_workspaces {
        WorkspaceSel::Any
    } else {
        WorkspaceSel::Default
    };
    match (unit, code) {
        (Some(u), _) if u.remote_state.is_some() => {
            if let Some((k, config, loc)) = &u.remote_state {
                stack.addresses = addresses(k, config, &ws_sel, dir);
                stack.backend = Some(Backend {
                    kind: k.clone(),
                    config: config.clone(),
                    loc: *loc,
                });
            }
        }
        (_, Some(code)) => {
            let inputs = unit.map(|u| u.inputs.clone()).unwrap_or_default();
            let (backend, addrs) =
                code_backend(ws, code, dir, &auto_vars, &stack.instances, inputs, &ws_sel);
            stack.backend = backend;
            stack.addresses = addrs;
        }
        _ => {}
    }
    stack.addresses.sort();
    stack.addresses.dedup();
    // Kept for the whole run, once per stack.
    stack.addresses = exact(stack.addresses);
    stack.resources = exact(stack.resources);
    stack.data = exact(stack.data);
    stack.files = exact(stack.files);

    stack.anchor = stack
        .backend
        .as_ref()
        .map(|b| b.loc)
        .or_else(|| ws.terramate.get(dir).map(|t| t.loc))
        .or_else(|| unit.map(|u| first_loc(ws, u.file)))
        .or_else(|| {
            code.and_then(|c| c.files.first())
                .map(|f| first_loc(ws, *f))
        });
    stack
}

fn first_loc(ws: &Workspace, file: FileId) -> Loc {
    let f = ws.file(file);
    let span = f
        .body
        .blocks
        .first()
        .map(|b| b.head)
        .or_else(|| f.body.attrs.first().map(|a| a.span))
        .unwrap_or_default();
    span_loc(file, span)
}

/// Adds a code directory's resources and data sources to the stack, then those of the
/// local modules it calls, prefixed with the module path.
fn expand(ws: &Workspace, code: &Code, prefix: &str, seen: &mut Vec<String>, stack: &mut Stack) {
    if seen.len() > MAX_MODULE_DEPTH || seen.contains(&code.dir) {
        return;
    }
    seen.push(code.dir.clone());
    let (module, code_dir): (Name, Name) = (prefix.into(), code.dir.as_str().into());
    let item = |i: &Item| StackItem {
        module: module.clone(),
        code_dir: code_dir.clone(),
        item: i.clone(),
    };
    stack.resources.extend(code.resources.iter().map(item));
    stack.data.extend(code.data.iter().map(item));
    for call in code.module_calls.iter() {
        let Some(child) = call.local_dir.as_ref().and_then(|d| ws.codes.get(d)) else {
            continue;
        };
        let p = if prefix.is_empty() {
            format!("module.{}", call.name)
        } else {
            format!("{prefix}.module.{}", call.name)
        };
        expand(ws, child, &p, seen, stack);
    }
    seen.pop();
}

/// The backend a stack's code declares, evaluated per instance, and all its addresses.
fn code_backend(
    ws: &Workspace,
    code: &Code,
    dir: &str,
    auto_vars: &[FileId],
    insts: &[Instance],
    inputs: BTreeMap<String, Value>,
    ws_sel: &WorkspaceSel,
) -> (Option<Backend>, Vec<StateAddress>) {
    let block = code.backend.and_then(|r| ws.block(r).map(|b| (r, b)));
    let (kind, block) = match block {
        Some((r, b)) if &*b.kind == "cloud" => ("cloud".to_string(), Some((r, b))),
        Some((r, b)) => (b.label(0).unwrap_or("local").to_string(), Some((r, b))),
        // No backend block: Terraform keeps state in ./terraform.tfstate.
        None => ("local".to_string(), None),
    };
    let base_vars = |extra: &[FileId]| {
        let mut fs: Vec<&ParsedFile> = auto_vars.iter().map(|id| ws.file(*id)).collect();
        fs.extend(extra.iter().map(|id| ws.file(*id)));
        let mut vars = inputs.clone();
        vars.extend(instances::var_values(&fs));
        vars
    };
    let config_in = |vars: BTreeMap<String, Value>, backend_file: Option<FileId>| {
        let scope = TfScope::new(ws, code, vars);
        let mut config = BTreeMap::new();
        if let Some((_, b)) = block {
            for a in &b.body.attrs {
                config.insert(a.name.to_string(), eval::eval(&a.expr, &scope));
            }
            // `cloud { workspaces { name = ... } }` is a nested block.
            for nb in &b.body.blocks {
                let m: BTreeMap<String, Value> = nb
                    .body
                    .attrs
                    .iter()
                    .map(|a| (a.name.to_string(), eval::eval(&a.expr, &scope)))
                    .collect();
                config.insert(nb.kind.to_string(), Value::Map(m));
            }
        }
        if let Some(f) = backend_file {
            for a in &ws.file(f).body.attrs {
                config.insert(a.name.to_string(), eval::eval(&a.expr, &EmptyScope));
            }
        }
        config
    };
    let mut addrs = Vec::new();
    let mut base = None;
    if insts.is_empty() {
        let config = config_in(base_vars(&[]), None);
        addrs.extend(addresses(&kind, &config, ws_sel, dir));
        base = Some(config);
    } else {
        let mut configs = Vec::new();
        for inst in insts {
            let config = config_in(base_vars(&inst.var_files), inst.backend_file);
            addrs.extend(addresses(&kind, &config, ws_sel, dir));
            configs.push(config);
        }
        // Show what all instances agree on.
        let mut common = configs.first().cloned().unwrap_or_default();
        for c in &configs[1..] {
            common.retain(|k, v| c.get(k) == Some(v));
        }
        base = base.or(Some(common));
    }
    let backend = block.map(|(r, _)| Backend {
        kind: kind.clone(),
        config: base.unwrap_or_default(),
        loc: ws.loc(r),
    });
    (backend, addrs)
}
