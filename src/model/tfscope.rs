//! Evaluation scope for Terraform code: `var.*` (call arguments or tfvars, then
//! defaults), `local.*` (lazily, cycle-safe), `terraform.workspace`, `path.*`.

use super::{Code, Workspace};
use crate::eval::{self, EmptyScope, Scope, Value};
use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;
use std::collections::BTreeMap;

pub struct TfScope<'w> {
    pub ws: &'w Workspace,
    pub code: &'w Code,
    /// Values given to variables (tfvars, Terragrunt inputs, module call arguments).
    pub vars: BTreeMap<String, Value>,
    /// The workspace name when known (`None`: any workspace).
    pub workspace: Option<String>,
    /// Directory of the root module being deployed (`path.root`).
    pub root_dir: String,
    locals: RefCell<HashMap<String, Option<Value>>>,
}

impl<'w> TfScope<'w> {
    pub fn new(ws: &'w Workspace, code: &'w Code, vars: BTreeMap<String, Value>) -> Self {
        TfScope {
            ws,
            code,
            vars,
            workspace: None,
            root_dir: code.dir.clone(),
            locals: RefCell::new(HashMap::new()),
        }
    }

    fn variable(&self, name: &str) -> Value {
        if let Some(v) = self.vars.get(name) {
            return v.clone();
        }
        for item in self.code.variables.iter() {
            if &*item.name == name {
                return self
                    .ws
                    .block(item.block)
                    .and_then(|b| b.body.expr("default"))
                    .map(|e| eval::eval(e, &EmptyScope))
                    .unwrap_or(Value::Unknown);
            }
        }
        Value::Unknown
    }

    fn local(&self, name: &str) -> Value {
        if let Some(state) = self.locals.borrow().get(name) {
            // `None` marks a local being evaluated: a cycle, so unknown.
            return state.clone().unwrap_or(Value::Unknown);
        }
        let Some(&(_, file, top, attr)) = self.code.locals.iter().find(|l| &*l.0 == name) else {
            return Value::Unknown;
        };
        let Some(expr) = self
            .ws
            .files
            .get(file.index())
            .and_then(|f| f.body.blocks.get(top as usize))
            .and_then(|b| b.body.attrs.get(attr as usize))
            .map(|a| &a.expr)
        else {
            return Value::Unknown;
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        let v = eval::eval(expr, self);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Some(v.clone()));
        v
    }
}

impl Scope for TfScope<'_> {
    fn resolve(&self, root: &str, attr: Option<&str>) -> Option<(Value, usize)> {
        match (root, attr) {
            ("var", Some(name)) => Some((self.variable(name), 1)),
            ("local", Some(name)) => Some((self.local(name), 1)),
            ("terraform", Some("workspace")) => Some((
                self.workspace
                    .clone()
                    .map(Value::Str)
                    // Workspace names never contain `/`.
                    .unwrap_or(Value::Pattern(crate::eval::Pattern::word())),
                1,
            )),
            ("path", Some("module")) => Some((Value::Str(self.code.dir.clone()), 1)),
            ("path", Some("root")) => Some((Value::Str(self.root_dir.clone()), 1)),
            ("path", Some("cwd")) => Some((Value::Str(self.ws.abs(&self.root_dir)), 1)),
            _ => None,
        }
    }
}

/// One evaluation context of a stack's code: the root module of one instance, or a
/// local module it calls (with the call's arguments evaluated in the caller).
pub struct CodeScope<'w> {
    /// `""` for the root module, else `module.a.module.b`.
    pub module: String,
    pub instance: Option<String>,
    pub scope: TfScope<'w>,
}

const MAX_MODULE_DEPTH: usize = 12;

/// Arguments of a module call that are not input variables.
const META_ARGS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Every code context of a stack, per instance, local modules included.
pub fn stack_scopes<'w>(ws: &'w Workspace, stack: &'w super::Stack) -> Vec<CodeScope<'w>> {
    scopes(ws, stack, usize::MAX)
}

/// The code contexts of a stack's first instance (its only one, when it has none):
/// `stack_scopes` without evaluating the other instances' variables and module calls.
pub fn first_instance_scopes<'w>(ws: &'w Workspace, stack: &'w super::Stack) -> Vec<CodeScope<'w>> {
    scopes(ws, stack, 1)
}

/// The code contexts of at most `instances` instances of a stack, in its order.
fn scopes<'w>(ws: &'w Workspace, stack: &'w super::Stack, instances: usize) -> Vec<CodeScope<'w>> {
    let Some(code) = stack.code_dir.as_ref().and_then(|d| ws.codes.get(d)) else {
        return Vec::new();
    };
    let inputs = ws
        .units
        .get(&stack.dir)
        .map(|u| u.inputs.clone())
        .unwrap_or_default();
    let vars_for = |extra: &[crate::source::FileId]| {
        let mut files: Vec<&crate::parse::ParsedFile> =
            stack.auto_var_files.iter().map(|f| ws.file(*f)).collect();
        files.extend(extra.iter().map(|f| ws.file(*f)));
        let mut vars = inputs.clone();
        vars.extend(super::instances::var_values(&files));
        vars
    };
    let mut roots: Vec<(Option<String>, BTreeMap<String, Value>)> = Vec::new();
    if stack.instances.is_empty() {
        roots.push((None, vars_for(&[])));
    } else {
        for inst in stack.instances.iter().take(instances) {
            roots.push((Some(inst.name.clone()), vars_for(&inst.var_files)));
        }
    }
    let mut out = Vec::new();
    for (instance, vars) in roots {
        let mut root = TfScope::new(ws, code, vars);
        root.root_dir = stack.dir.clone();
        let mut children = Vec::new();
        let mut seen = vec![code.dir.clone()];
        modules_of(ws, &root, "", &instance, &mut seen, &mut children);
        out.push(CodeScope {
            module: String::new(),
            instance: instance.clone(),
            scope: root,
        });
        out.extend(children);
    }
    out
}

fn modules_of<'w>(
    ws: &'w Workspace,
    parent: &TfScope<'w>,
    prefix: &str,
    instance: &Option<String>,
    seen: &mut Vec<String>,
    out: &mut Vec<CodeScope<'w>>,
) {
    if seen.len() > MAX_MODULE_DEPTH {
        return;
    }
    for call in parent.code.module_calls.iter() {
        let Some(dir) = &call.local_dir else { continue };
        let Some(code) = ws.codes.get(dir) else {
            continue;
        };
        if seen.contains(dir) {
            continue;
        }
        let Some(block) = ws.block(call.block) else {
            continue;
        };
        let vars: BTreeMap<String, Value> = block
            .body
            .attrs
            .iter()
            .filter(|a| !META_ARGS.contains(&&*a.name))
            .map(|a| (a.name.to_string(), eval::eval(&a.expr, parent)))
            .collect();
        let mut scope = TfScope::new(ws, code, vars);
        scope.root_dir = parent.root_dir.clone();
        scope.workspace = parent.workspace.clone();
        let path = if prefix.is_empty() {
            format!("module.{}", call.name)
        } else {
            format!("{prefix}.module.{}", call.name)
        };
        seen.push(dir.clone());
        let mut nested = Vec::new();
        modules_of(ws, &scope, &path, instance, seen, &mut nested);
        seen.pop();
        out.push(CodeScope {
            module: path,
            instance: instance.clone(),
            scope,
        });
        out.extend(nested);
    }
}
