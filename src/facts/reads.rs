//! How a consumer reads a provider's output, looked up again in the consumer's syntax:
//! reads that cannot fail (guarded by `try`/`can`, by a check of the whole outputs
//! object, by `defaults` of the remote state, or served by Terragrunt mocks with
//! `skip_outputs`) are not missing outputs.

use crate::link::{Edge, Mechanism, OutputRead};
use crate::model::{paths, Workspace};
use crate::syntax::{Attr, Body, ExprKind, Op, Reference};

/// Is this read of `edge` written so that a missing output does not fail the run?
pub fn guarded(ws: &Workspace, edge: &Edge, read: &OutputRead) -> bool {
    let body = &ws.file(read.loc.file).body;
    let Some(attr) = enclosing_attr(body, read) else {
        return false;
    };
    let refs = attr.expr.references();
    let Some(me) = refs.iter().find(|r| r.span == read.loc.span) else {
        return false;
    };
    let Some((source, _)) = output_key(me) else {
        return false;
    };
    // `try(x.outputs.a, ...)` / `can(x.outputs.a)` handle a missing output on purpose,
    // and so does `contains(keys(x.outputs), "a") ? x.outputs.a : null`.
    let mut handled = false;
    attr.expr.walk(|e| {
        if !e.span.contains(read.loc.span) {
            return;
        }
        match &e.kind {
            ExprKind::Call(c) if matches!(&*c.name, "try" | "can") => handled = true,
            ExprKind::Conditional(c) => {
                handled |= c[0]
                    .references()
                    .iter()
                    .any(|r| matches!(output_key(r), Some((s, None)) if s == source));
            }
            _ => {}
        }
    });
    if handled {
        return true;
    }
    match edge.mechanism {
        Mechanism::RemoteState => remote_state_default(ws, read, &source),
        Mechanism::TerragruntDependency => terragrunt_skips_outputs(ws, edge, &source),
        _ => false,
    }
}

/// The smallest attribute whose value contains the read.
fn enclosing_attr<'a>(body: &'a Body, read: &OutputRead) -> Option<&'a Attr> {
    let mut best: Option<&Attr> = None;
    crate::syntax::for_each_attr(body, |a| {
        if a.expr.span.contains(read.loc.span) && best.is_none_or(|b| a.span.len() < b.span.len()) {
            best = Some(a);
        }
    });
    best
}

/// For a reference to another stack's outputs: the data source or dependency name
/// (`terraform_remote_state.net`, `dependency.vpc`) and the output key, if static.
fn output_key(r: &Reference) -> Option<(String, Option<String>)> {
    let (source, mut i) = match r.root {
        "data" => {
            let kind = r.name_at(0)?;
            let name = r.name_at(1)?;
            let mut i = 2;
            if matches!(r.ops.get(i), Some(Op::Index(_) | Op::LegacyIndex(_))) {
                i += 1;
            }
            (format!("{kind}.{name}"), i)
        }
        "dependency" => (format!("dependency.{}", r.name_at(0)?), 1),
        _ => return None,
    };
    if !matches!(r.name_at(i)?, "outputs" | "values" | "nonsensitive_values") {
        return None;
    }
    i += 1;
    Some((source, r.name_at(i).map(str::to_string)))
}

/// `data "terraform_remote_state" "x" { defaults = { a = ... } }` supplies `a` when the
/// state lacks it; a `defaults` that is not a literal object may supply anything.
fn remote_state_default(ws: &Workspace, read: &OutputRead, source: &str) -> bool {
    let Some(("terraform_remote_state", name)) = source.split_once('.') else {
        return false;
    };
    let dir = paths::parent(ws.path(read.loc.file));
    let Some(code) = ws.codes.get(&dir) else {
        return false;
    };
    code.data
        .iter()
        .filter(|d| &*d.kind == "terraform_remote_state" && &*d.name == name)
        .filter_map(|d| ws.block(d.block))
        .filter_map(|b| b.body.expr("defaults"))
        .any(|defaults| match &defaults.kind {
            ExprKind::Object(_) => defaults
                .object_entries()
                .iter()
                .any(|(k, _)| k.is_none() || *k == Some(read.name.as_str())),
            _ => true,
        })
}

/// A Terragrunt `dependency` with `skip_outputs = true` reads its mocks, never the
/// provider's state (and an expression there may be true).
fn terragrunt_skips_outputs(ws: &Workspace, edge: &Edge, source: &str) -> bool {
    let Some(dep) = source.strip_prefix("dependency.") else {
        return false;
    };
    let Some(unit) = ws.units.get(&ws.stacks[edge.from].dir) else {
        return false;
    };
    std::iter::once(unit.file)
        .chain(unit.includes.iter().copied())
        .flat_map(|f| ws.file(f).body.blocks_of("dependency"))
        .filter(|b| b.label(0) == Some(dep))
        .filter_map(|b| b.body.expr("skip_outputs"))
        .any(|e| !matches!(e.kind, ExprKind::Bool(false)))
}

/// Terragrunt falls back to `mock_outputs` when mocks are allowed for every command
/// (no `mock_outputs_allowed_terraform_commands`, or one that lists `apply`) and either
/// the provider has no outputs at all (`provider_has_outputs` false) or the mocks are
/// merged into the real outputs (`mock_outputs_merge_strategy_with_state` other than
/// `no_merge`, or the older `mock_outputs_merge_with_state = true`): the mock value the
/// read then gets, as written (`None` inside when it is not a literal).
pub fn terragrunt_mock_fallback(
    ws: &Workspace,
    edge: &Edge,
    read: &OutputRead,
    provider_has_outputs: bool,
) -> Option<Option<String>> {
    if edge.mechanism != Mechanism::TerragruntDependency {
        return None;
    }
    let body = &ws.file(read.loc.file).body;
    let dep = enclosing_attr(body, read).and_then(|a| {
        a.expr
            .references()
            .iter()
            .find(|r| r.span == read.loc.span)
            .and_then(|r| r.name_at(0).map(str::to_string))
    })?;
    let unit = ws.units.get(&ws.stacks[edge.from].dir)?;
    std::iter::once(unit.file)
        .chain(unit.includes.iter().copied())
        .flat_map(|f| ws.file(f).body.blocks_of("dependency"))
        .filter(|b| b.label(0) == Some(dep.as_str()))
        .find_map(|b| {
            let allowed = match b.body.expr("mock_outputs_allowed_terraform_commands") {
                None => true,
                Some(e) => match &e.kind {
                    ExprKind::Array(items) => {
                        items.iter().any(|i| i.as_literal_str() == Some("apply"))
                    }
                    _ => false,
                },
            };
            let merged = match (
                b.body
                    .expr("mock_outputs_merge_strategy_with_state")
                    .map(|e| e.as_literal_str()),
                b.body
                    .expr("mock_outputs_merge_with_state")
                    .map(|e| &e.kind),
            ) {
                (Some(strategy), _) => strategy != Some("no_merge"),
                (None, Some(ExprKind::Bool(v))) => *v,
                (None, Some(_)) => true,
                (None, None) => false,
            };
            let applies = allowed && (merged || !provider_has_outputs);
            let mocks = b.body.expr("mock_outputs").filter(|_| applies)?;
            let entries = mocks.object_entries();
            let (_, value) = entries
                .iter()
                .find(|(k, _)| *k == Some(read.name.as_str()))?;
            Some(match (&value.kind, value.as_literal_str()) {
                (_, Some(s)) => Some(format!("{s:?}")),
                (ExprKind::Number(n), _) => Some(crate::eval::value::number_to_string(*n)),
                (ExprKind::Bool(b), _) => Some(b.to_string()),
                _ => None,
            })
        })
}
