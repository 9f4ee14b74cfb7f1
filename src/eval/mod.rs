//! Static evaluation of the expressions that identify things: state addresses, names,
//! module sources, dependency paths. Whatever cannot be known from the files (data
//! sources, resource attributes, environment variables, commands) stays `Unknown`, and a
//! string that is partly unknown becomes a `Pattern` with wildcards. Nothing here runs a
//! command or reads a file outside the parsed tree.

mod funcs;
pub mod value;

use crate::syntax::{BinaryOp, Expr, ExprKind, ObjKey, Op, Part, Root, UnaryOp};
use std::cell::Cell;
use std::collections::BTreeMap;
pub use value::{Pattern, Seg, Value};

/// Where names come from: `var.*`, `local.*`, `each.*`, `path.*`, Terragrunt functions...
pub trait Scope {
    /// Resolves a root variable. `attr` is the first attribute after it (`x` in
    /// `var.x`); return the value and how many attribute steps were consumed (0 or 1).
    /// `None` means the name is unknown here.
    fn resolve(&self, root: &str, attr: Option<&str>) -> Option<(Value, usize)>;

    /// A function the host provides (Terragrunt's); `None` falls back to the built-ins.
    fn call(&self, _name: &str, _args: &[Value]) -> Option<Value> {
        None
    }
}

/// A scope that knows nothing: literals and built-in functions only.
pub struct EmptyScope;

impl Scope for EmptyScope {
    fn resolve(&self, _root: &str, _attr: Option<&str>) -> Option<(Value, usize)> {
        None
    }
}

/// A scope with one extra name bound (a `for` iterator, `each`), over a parent scope.
pub struct Bound<'a> {
    pub parent: &'a dyn Scope,
    pub names: Vec<(&'a str, Value)>,
}

impl Scope for Bound<'_> {
    fn resolve(&self, root: &str, attr: Option<&str>) -> Option<(Value, usize)> {
        for (n, v) in &self.names {
            if *n == root {
                return Some((v.clone(), 0));
            }
        }
        self.parent.resolve(root, attr)
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Value> {
        self.parent.call(name, args)
    }
}

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Set when an evaluation read a missing attribute or index of a *known* value: in
    /// Terraform that is an error, which `try()` and `can()` catch.
    static MISSING: Cell<bool> = const { Cell::new(false) };
}

fn note_missing() {
    MISSING.with(|m| m.set(true));
}

/// Evaluates `e` and reports whether it hit an error (a missing attribute of a known
/// object), leaving the caller's own error state as it was.
fn eval_catching(e: &Expr, scope: &dyn Scope) -> (Value, bool) {
    let outer = MISSING.with(|m| m.replace(false));
    let v = eval(e, scope);
    let failed = MISSING.with(|m| m.replace(outer));
    (v, failed)
}

/// An attribute of a value; a missing one on a known object is an error.
fn attr(v: &Value, name: &str) -> Value {
    match v {
        Value::Map(m) => match m.get(name) {
            Some(x) => x.clone(),
            None => {
                note_missing();
                Value::Unknown
            }
        },
        Value::Unknown | Value::Pattern(_) => Value::Unknown,
        _ => {
            note_missing();
            Value::Unknown
        }
    }
}

/// Bound on nested evaluations (locals referring to locals, deep expressions), so that
/// no input can exhaust the stack.
const MAX_EVAL_DEPTH: usize = 400;

/// Evaluates an expression in a scope.
pub fn eval(expr: &Expr, scope: &dyn Scope) -> Value {
    let depth = DEPTH.with(|d| {
        let v = d.get() + 1;
        d.set(v);
        v
    });
    let out = if depth > MAX_EVAL_DEPTH {
        Value::Unknown
    } else {
        eval_inner(expr, scope)
    };
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    out
}

fn eval_inner(expr: &Expr, scope: &dyn Scope) -> Value {
    match &expr.kind {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Number(n) => Value::Number(*n),
        ExprKind::Template(parts) => template(parts, scope),
        ExprKind::Array(items) => Value::List(items.iter().map(|e| eval(e, scope)).collect()),
        ExprKind::Object(items) => {
            let mut m = BTreeMap::new();
            for (k, v) in items {
                let key = match k {
                    ObjKey::Ident(s) => s.to_string(),
                    ObjKey::Expr(e) => match eval(e, scope).as_str() {
                        Some(s) => s,
                        None => return Value::Unknown,
                    },
                };
                m.insert(key, eval(v, scope));
            }
            Value::Map(m)
        }
        ExprKind::Variable(name) => match scope.resolve(name, None) {
            Some((v, _)) => v,
            None => Value::Unknown,
        },
        ExprKind::VarTraversal(_) | ExprKind::Traversal(_) => match expr.as_traversal() {
            Some(t) => traversal(t.root, t.ops, scope),
            None => Value::Unknown,
        },
        ExprKind::Call(c) if matches!(&*c.name, "try" | "can") => {
            // Static `try`: the first argument that evaluates; one that is unknown for
            // lack of input (not an error) makes the result unknown.
            for a in &c.args {
                let (v, failed) = eval_catching(a, scope);
                if &*c.name == "can" {
                    return match (failed, v.is_known() || matches!(v, Value::Pattern(_))) {
                        (true, _) => Value::Bool(false),
                        (false, true) => Value::Bool(true),
                        (false, false) => Value::Unknown,
                    };
                }
                if failed {
                    continue;
                }
                return v;
            }
            Value::Unknown
        }
        ExprKind::Call(c) => {
            let args: Vec<Value> = c.args.iter().map(|a| eval(a, scope)).collect();
            let args = if c.expand_final {
                match args.split_last() {
                    Some((Value::List(last), init)) => {
                        init.iter().cloned().chain(last.iter().cloned()).collect()
                    }
                    _ => return Value::Unknown,
                }
            } else {
                args
            };
            let name = c.name.rsplit("::").next().unwrap_or(&c.name);
            scope
                .call(name, &args)
                .unwrap_or_else(|| funcs::call(name, &args))
        }
        ExprKind::Conditional(c) => {
            let [cond, t, f] = &**c;
            match eval(cond, scope).as_bool() {
                Some(true) => eval(t, scope),
                Some(false) => eval(f, scope),
                None => {
                    let (a, b) = (eval(t, scope), eval(f, scope));
                    if a == b {
                        a
                    } else {
                        Value::Unknown
                    }
                }
            }
        }
        ExprKind::Unary(op, e) => {
            let v = eval(e, scope);
            match (op, &v) {
                (UnaryOp::Not, _) => v.as_bool().map(|b| Value::Bool(!b)),
                (UnaryOp::Neg, _) => v.as_number().map(|n| Value::Number(-n)),
            }
            .unwrap_or(Value::Unknown)
        }
        ExprKind::Binary(op, b) => binary(*op, eval(&b[0], scope), eval(&b[1], scope)),
        ExprKind::For(f) => {
            let coll = eval(&f.collection, scope);
            let items: Vec<(Value, Value)> = match coll {
                Value::List(items) => items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::Number(i as f64), v))
                    .collect(),
                Value::Map(m) => m.into_iter().map(|(k, v)| (Value::Str(k), v)).collect(),
                _ => return Value::Unknown,
            };
            let mut list = Vec::new();
            let mut map: BTreeMap<String, Value> = BTreeMap::new();
            for (k, v) in items {
                let mut names = vec![(&*f.value_var, v)];
                if let Some(kv) = &f.key_var {
                    names.push((&**kv, k));
                }
                let inner = Bound {
                    parent: scope,
                    names,
                };
                if let Some(c) = &f.cond {
                    match eval(c, &inner).as_bool() {
                        Some(true) => {}
                        Some(false) => continue,
                        None => return Value::Unknown,
                    }
                }
                let val = eval(&f.value, &inner);
                match &f.key {
                    Some(ke) => {
                        let Some(key) = eval(ke, &inner).as_str() else {
                            return Value::Unknown;
                        };
                        if f.grouping {
                            match map.entry(key).or_insert_with(|| Value::List(Vec::new())) {
                                Value::List(l) => l.push(val),
                                _ => return Value::Unknown,
                            }
                        } else {
                            map.insert(key, val);
                        }
                    }
                    None => list.push(val),
                }
            }
            if f.key.is_some() {
                Value::Map(map)
            } else {
                Value::List(list)
            }
        }
        ExprKind::Unknown => Value::Unknown,
    }
}

fn template(parts: &[Part], scope: &dyn Scope) -> Value {
    // Most templates are a quoted string: its text, without a pattern built and
    // copied out again (evaluating them was 1.5% of a run on a large tree).
    if let [Part::Lit(s)] = parts {
        return Value::Str(s.to_string());
    }
    let mut p = Pattern::literal("");
    for part in parts {
        match part {
            Part::Lit(s) => p.push_lit(s),
            Part::Interp(e) => match eval(e, scope) {
                Value::List(_) | Value::Map(_) => p.push_any(),
                Value::Pattern(q) => p.append(&q),
                Value::Str(s) => p.push_lit(&s),
                // What `to_pattern` gives, appended without a pattern of its own.
                v => match v.as_str() {
                    Some(s) => p.push_lit(&s),
                    None => p.push_any(),
                },
            },
            Part::Directive(_) => p.push_any(),
        }
    }
    Value::from_pattern(p)
}

fn traversal(root: Root, ops: &[Op], scope: &dyn Scope) -> Value {
    let (mut v, consumed) = match root {
        Root::Var(name) => {
            let attr = match ops.first() {
                Some(Op::Attr(a)) => Some(&**a),
                _ => None,
            };
            match scope.resolve(name, attr) {
                Some(r) => r,
                None => return Value::Unknown,
            }
        }
        Root::Expr(root) => (eval(root, scope), 0),
    };
    let mut i = consumed;
    while i < ops.len() {
        v = match &ops[i] {
            Op::Attr(name) => attr(&v, name),
            Op::LegacyIndex(n) => index(&v, &Value::Number(*n as f64)),
            Op::Index(e) => index(&v, &eval(e, scope)),
            Op::AttrSplat | Op::FullSplat => {
                let items = match v {
                    Value::List(items) => items,
                    Value::Null => Vec::new(),
                    Value::Unknown => return Value::Unknown,
                    other => vec![other],
                };
                let rest = &ops[i + 1..];
                return Value::List(
                    items
                        .into_iter()
                        .map(|item| apply_static_ops(item, rest, scope))
                        .collect(),
                );
            }
        };
        if v == Value::Unknown {
            return v;
        }
        i += 1;
    }
    v
}

fn apply_static_ops(mut v: Value, ops: &[Op], scope: &dyn Scope) -> Value {
    for op in ops {
        v = match op {
            Op::Attr(name) => attr(&v, name),
            Op::LegacyIndex(n) => index(&v, &Value::Number(*n as f64)),
            Op::Index(e) => index(&v, &eval(e, scope)),
            Op::AttrSplat | Op::FullSplat => return Value::Unknown,
        };
    }
    v
}

fn index(v: &Value, key: &Value) -> Value {
    let found = match (v, key) {
        (Value::List(items), k) => match k.as_number() {
            Some(n) if n >= 0.0 => items.get(n as usize).cloned(),
            _ => return Value::Unknown,
        },
        (Value::Map(m), k) => match k.as_str() {
            Some(s) => m.get(&s).cloned(),
            None => return Value::Unknown,
        },
        _ => return Value::Unknown,
    };
    found.unwrap_or_else(|| {
        note_missing();
        Value::Unknown
    })
}

fn binary(op: BinaryOp, a: Value, b: Value) -> Value {
    use BinaryOp::*;
    match op {
        Eq | NotEq => {
            if !a.is_fully_known() || !b.is_fully_known() {
                return Value::Unknown;
            }
            let eq = match (a.as_str(), b.as_str()) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            };
            Value::Bool(if op == Eq { eq } else { !eq })
        }
        And | Or => match (a.as_bool(), b.as_bool()) {
            (Some(x), Some(y)) => Value::Bool(if op == And { x && y } else { x || y }),
            (Some(false), None) | (None, Some(false)) if op == And => Value::Bool(false),
            (Some(true), None) | (None, Some(true)) if op == Or => Value::Bool(true),
            _ => Value::Unknown,
        },
        _ => {
            let (Some(x), Some(y)) = (a.as_number(), b.as_number()) else {
                return Value::Unknown;
            };
            match op {
                Plus => Value::Number(x + y),
                Minus => Value::Number(x - y),
                Mul => Value::Number(x * y),
                Div if y != 0.0 => Value::Number(x / y),
                Mod if y != 0.0 => Value::Number(x % y),
                Less => Value::Bool(x < y),
                LessEq => Value::Bool(x <= y),
                Greater => Value::Bool(x > y),
                GreaterEq => Value::Bool(x >= y),
                _ => Value::Unknown,
            }
        }
    }
}

#[cfg(test)]
mod tests;
