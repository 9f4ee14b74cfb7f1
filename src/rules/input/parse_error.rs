//! `parse-error`: a file could not be read or parsed. The rest of the tree is still
//! analysed; a file that is skipped on purpose (too large) is a note.

use crate::parse::ProblemSeverity;
use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};
use crate::source::{FileId, Loc};

pub struct ParseError;

static META: RuleMeta = RuleMeta {
    id: RuleId::ParseError,
    category: Category::Input,
    default_severity: Severity::Error,
    summary: "a file cannot be parsed or read",
    options: &[],
};

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        out.extend(findings(cx.ws));
    }
}

/// Also used by `graph`/`stacks`, which print these on stderr.
pub fn findings(ws: &crate::model::Workspace) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, f) in ws.files.iter().enumerate() {
        for p in &f.problems {
            let loc = Loc {
                file: FileId(i as u32),
                span: p.span,
            };
            let mut finding = Finding::new(&META, loc, p.message.clone());
            if p.severity == ProblemSeverity::Note {
                finding.severity = Severity::Note;
            } else {
                finding = finding.help(
                    "stacklint analysed the rest of the tree without this part; fix the syntax \
                     (`terraform validate` reports the same spot) or exclude the path in .stacklint.hcl",
                );
            }
            if let Some(s) = ws.stack_of_file(&f.path) {
                finding = finding.in_stack(s);
            }
            out.push(finding);
        }
    }
    out
}
