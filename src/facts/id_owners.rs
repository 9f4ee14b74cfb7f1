//! Which stack owns the thing a literal cloud identifier names, when the tree says so:
//! an `import` block with that literal id, or a resource whose literal name matches the
//! name an ARN, Azure resource id or GCP self link carries.

use super::cloud_ids::{self, IdKind};
use crate::model::Workspace;
use crate::source::Loc;
use crate::syntax::Ident;
use foldhash::HashMap;

#[derive(Debug, Clone)]
pub struct Owner {
    pub stack: usize,
    what: Owned,
    /// "creates" or "imports".
    pub how: &'static str,
    pub loc: Loc,
}

/// What an owner declares: spelled out only for the few owners a message names.
#[derive(Debug, Clone)]
enum Owned {
    /// The stack's resource at this index.
    Resource(usize),
    /// The target of an `import` block, as written.
    Import(String),
}

impl Owner {
    /// `aws_iam_role.deployer`, `module.iam.aws_iam_role.deployer`.
    pub fn address(&self, ws: &Workspace) -> String {
        match &self.what {
            Owned::Resource(r) => ws.stacks[self.stack].resources[*r].address(false),
            Owned::Import(to) => to.clone(),
        }
    }
}

/// Who creates or imports what. Resources that name what they create are kept as a
/// sorted list of (type, name) and their owner rather than a map of copied keys to
/// lists: one entry each for ~20,000 named resources on 10,000 stacks, read for the few
/// names a hardcoded identifier carries, and kept while the rules run.
#[derive(Default)]
pub struct Owners {
    imported: HashMap<String, Vec<Owner>>,
    named: Vec<((Ident, Box<str>), Owner)>,
}

/// The (type, name) a named owner is found by.
fn named_key(entry: &((Ident, Box<str>), Owner)) -> (&str, &str) {
    (entry.0 .0.as_str(), &entry.0 .1)
}

/// Resource types whose literal name the identifiers above carry, and the argument
/// that holds the name.
fn name_argument(kind: &str) -> Option<&'static str> {
    match kind {
        "aws_lambda_function" => Some("function_name"),
        "aws_iam_role"
        | "aws_iam_user"
        | "aws_iam_policy"
        | "aws_sns_topic"
        | "aws_sqs_queue"
        | "aws_dynamodb_table"
        | "aws_ecr_repository"
        | "aws_cloudwatch_log_group"
        | "aws_kms_alias" => Some("name"),
        k if k.starts_with("azurerm_") || k.starts_with("google_compute_") => Some("name"),
        _ => None,
    }
}

impl Owners {
    pub fn build(ws: &Workspace) -> Owners {
        let mut o = Owners::default();
        for (i, s) in ws.stacks.iter().enumerate() {
            for (k, r) in s.resources.iter().enumerate() {
                let Some(arg) = name_argument(&r.item.kind) else {
                    continue;
                };
                let Some(name) = ws
                    .block(r.item.block)
                    .and_then(|b| b.body.expr(arg))
                    .and_then(|e| e.as_literal_str())
                else {
                    continue;
                };
                o.named.push((
                    (r.item.kind.clone(), name.into()),
                    Owner {
                        stack: i,
                        what: Owned::Resource(k),
                        how: "creates",
                        loc: ws.loc(r.item.block),
                    },
                ));
            }
            let Some(code) = s.code_dir.as_ref().and_then(|d| ws.codes.get(d)) else {
                continue;
            };
            for f in &code.files {
                for b in ws.file(*f).body.blocks_of("import") {
                    let Some(id) = b.body.expr("id").and_then(|e| e.as_literal_str()) else {
                        continue;
                    };
                    let address = b
                        .body
                        .expr("to")
                        .and_then(|e| e.as_path())
                        .map(|p| p.join("."))
                        .unwrap_or_else(|| "an import block".to_string());
                    o.imported.entry(id.to_string()).or_default().push(Owner {
                        stack: i,
                        what: Owned::Import(address),
                        how: "imports",
                        loc: Loc {
                            file: *f,
                            span: b.head,
                        },
                    });
                }
            }
        }
        // Stable: a name's owners stay in stack order.
        o.named.sort_by(|a, b| named_key(a).cmp(&named_key(b)));
        o.named = crate::syntax::exact(o.named);
        o
    }

    /// The stacks that own what `id` names, in stack order.
    pub fn of(&self, kind: IdKind, id: &str) -> Vec<&Owner> {
        let mut out: Vec<&Owner> = self.imported.get(id).into_iter().flatten().collect();
        if let Some((t, name)) = cloud_ids::created_by(kind, id) {
            let key = (t, name.as_str());
            let from = self.named.partition_point(|e| named_key(e) < key);
            let to = from + self.named[from..].partition_point(|e| named_key(e) == key);
            out.extend(self.named[from..to].iter().map(|(_, o)| o));
        }
        out.sort_by_key(|o| o.stack);
        out
    }
}
