//! Inline suppressions: `# stacklint-ignore: rule-id[,rule-id] -- reason`.
//!
//! A comment directly above a block (or on its first line, or inside it) silences the
//! listed rules for findings in that block; a comment at the top of a file, separated
//! from the first block by a blank line, silences them for the whole stack. A reason is
//! required unless the config relaxes it. Comments that silence nothing are reported.

use crate::model::Workspace;
use crate::rules::{input, Finding, RuleId};
use crate::source::{FileId, Loc, Span};
use std::collections::BTreeSet;

struct Active {
    loc: Loc,
    rules: Vec<RuleId>,
    scope: Scope,
    used: Vec<bool>,
}

enum Scope {
    Stack(usize),
    Block(FileId, Span),
}

/// Removes suppressed findings and returns the engine's own findings about the
/// suppression comments (invalid ones, and unused ones for rules that ran).
pub fn apply(
    ws: &Workspace,
    findings: &mut Vec<Finding>,
    require_reason: bool,
    rules_run: &BTreeSet<RuleId>,
) -> Vec<Finding> {
    let mut engine = Vec::new();
    let mut active: Vec<Active> = Vec::new();
    for (i, f) in ws.files.iter().enumerate() {
        let file = FileId(i as u32);
        for s in &f.suppressions {
            let loc = Loc { file, span: s.span };
            let mut ids = Vec::new();
            let mut bad = Vec::new();
            for r in &s.rules {
                match RuleId::parse(r) {
                    Some(id) => ids.push(id),
                    None => bad.push(r.clone()),
                }
            }
            if !bad.is_empty() {
                let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
                let hint = bad
                    .iter()
                    .filter_map(|b| {
                        crate::suggest::closest(b, known.iter().copied()).map(|k| format!("`{k}`"))
                    })
                    .collect::<Vec<_>>();
                let mut finding = Finding::new(
                    &input::INVALID_SUPPRESSION,
                    loc,
                    format!("stacklint-ignore names unknown rule(s): {}", bad.join(", ")),
                )
                .help(if hint.is_empty() {
                    "use rule ids as `stacklint rules` lists them".to_string()
                } else {
                    format!("did you mean {}?", hint.join(", "))
                });
                if let Some(st) = ws.stack_of_file(&f.path) {
                    finding = finding.in_stack(st);
                }
                engine.push(finding);
            }
            if ids.is_empty() {
                if bad.is_empty() {
                    engine.push(
                        Finding::new(
                            &input::INVALID_SUPPRESSION,
                            loc,
                            "stacklint-ignore names no rule",
                        )
                        .help("write `# stacklint-ignore: rule-id -- reason`"),
                    );
                }
                continue;
            }
            if require_reason && s.reason.is_none() {
                let mut finding = Finding::new(
                    &input::INVALID_SUPPRESSION,
                    loc,
                    format!(
                        "stacklint-ignore: {} has no reason, so it suppresses nothing",
                        ids.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
                    ),
                )
                .help("say why after `--`: `# stacklint-ignore: rule-id -- why this is acceptable` (or set require_suppression_reason = false)");
                if let Some(st) = ws.stack_of_file(&f.path) {
                    finding = finding.in_stack(st);
                }
                engine.push(finding);
                continue;
            }
            let scope = if s.file_level {
                match ws.stack_of_file(&f.path) {
                    Some(st) => Scope::Stack(st),
                    None => Scope::Block(
                        file,
                        Span {
                            start: 0,
                            end: u32::MAX,
                        },
                    ),
                }
            } else {
                Scope::Block(file, target_span(ws, file, s.line, s.span))
            };
            let n = ids.len();
            active.push(Active {
                loc,
                rules: ids,
                scope,
                used: vec![false; n],
            });
        }
    }
    if active.is_empty() {
        return engine;
    }
    findings.retain(|f| {
        let mut keep = true;
        for a in &mut active {
            let Some(k) = a.rules.iter().position(|r| *r == f.rule) else {
                continue;
            };
            let hit = match a.scope {
                Scope::Stack(st) => f.stack == Some(st),
                Scope::Block(file, span) => f.loc.file == file && span.contains(f.loc.span),
            };
            if hit {
                a.used[k] = true;
                keep = false;
            }
        }
        keep
    });
    for a in &active {
        for (k, rule) in a.rules.iter().enumerate() {
            if !a.used[k] && rules_run.contains(rule) {
                let mut finding = Finding::new(
                    &input::UNUSED_SUPPRESSION,
                    a.loc,
                    format!("stacklint-ignore: {rule} silences no finding here"),
                )
                .help("remove the comment (or the rule id) so suppressions do not outlive the problem they excused");
                if let Some(st) = ws.stack_of_file(ws.path(a.loc.file)) {
                    finding = finding.in_stack(st);
                }
                engine.push(finding);
            }
        }
    }
    engine
}

/// The block a comment on `line` refers to: the top-level block containing it, else the
/// first one starting on this line or the next.
fn target_span(ws: &Workspace, file: FileId, line: u32, comment: Span) -> Span {
    let f = ws.file(file);
    let line_of = |off: u32| f.lines.line_col(off, None).line;
    let items = f
        .body
        .blocks
        .iter()
        .map(|b| b.span)
        .chain(f.body.attrs.iter().map(|a| a.span));
    let mut after: Option<Span> = None;
    for span in items {
        if span.start <= comment.start && comment.start < span.end {
            return span;
        }
        let l = line_of(span.start);
        if (l == line || l == line + 1) && after.is_none_or(|a| span.start < a.start) {
            after = Some(span);
        }
    }
    after.unwrap_or(Span {
        start: comment.start,
        end: comment.end,
    })
}
