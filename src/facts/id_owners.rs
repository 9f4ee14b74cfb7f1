//! Which stack owns the thing a literal cloud identifier names, when the tree says so:
//! an `import` block with that literal id, or a resource whose literal name matches the
//! name an ARN, Azure resource id or GCP self link carries.

use super::cloud_ids::{self, IdKind};
use crate::model::Workspace;
use crate::source::Loc;
use foldhash::HashMap;

#[derive(Debug, Clone)]
pub struct Owner {
    pub stack: usize,
    /// `aws_iam_role.deployer`, `module.iam.aws_iam_role.deployer`.
    pub address: String,
    /// "creates" or "imports".
    pub how: &'static str,
    pub loc: Loc,
}

#[derive(Default)]
pub struct Owners {
    imported: HashMap<String, Vec<Owner>>,
    named: HashMap<(String, String), Vec<Owner>>,
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
            for r in &s.resources {
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
                o.named
                    .entry((r.item.kind.to_string(), name.to_string()))
                    .or_default()
                    .push(Owner {
                        stack: i,
                        address: r.address(false),
                        how: "creates",
                        loc: ws.loc(r.item.block),
                    });
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
                        address,
                        how: "imports",
                        loc: Loc {
                            file: *f,
                            span: b.head,
                        },
                    });
                }
            }
        }
        o
    }

    /// The stacks that own what `id` names, in stack order.
    pub fn of(&self, kind: IdKind, id: &str) -> Vec<&Owner> {
        let mut out: Vec<&Owner> = self.imported.get(id).into_iter().flatten().collect();
        if let Some((t, name)) = cloud_ids::created_by(kind, id) {
            out.extend(self.named.get(&(t.to_string(), name)).into_iter().flatten());
        }
        out.sort_by_key(|o| o.stack);
        out
    }
}
