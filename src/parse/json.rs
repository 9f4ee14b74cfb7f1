//! Terraform JSON syntax (`*.tf.json`, `*.tfvars.json`) into the same syntax summary as
//! native HCL. serde_json keeps no positions, so block spans are found by locating each
//! block's last label in the text after the previous one (good enough to point a reader
//! at the right place).

use crate::source::Span;
use crate::syntax::*;
use serde_json::Value as J;

/// How many labels each top-level block type has in Terraform JSON.
fn label_count(kind: &str) -> Option<usize> {
    Some(match kind {
        "resource" | "data" | "ephemeral" => 2,
        "module" | "variable" | "output" | "provider" | "check" => 1,
        "terraform" | "locals" | "moved" | "import" | "removed" => 0,
        _ => return None,
    })
}

pub fn parse(text: &str, terraform: bool) -> Result<Body, (usize, String)> {
    let v: J = serde_json::from_str(text).map_err(|e| {
        let offset = crate::source::LineIndex::new(text).offset(e.line(), e.column());
        (offset as usize, format!("invalid JSON: {e}"))
    })?;
    let J::Object(map) = v else {
        return Err((0, "a Terraform JSON file must hold an object".into()));
    };
    let mut finder = SpanFinder { text, cursor: 0 };
    let (mut attrs, mut blocks_) = (Vec::new(), Vec::new());
    for (k, v) in &map {
        if k == "//" {
            continue;
        }
        match (terraform, label_count(k)) {
            (true, Some(n)) => {
                blocks_.extend(blocks(k, n, v, &mut finder));
            }
            _ => attrs.push(Attr {
                name: ident(k.as_str()),
                span: finder.find(k),
                expr: expr(v, Span::default()),
            }),
        }
    }
    Ok(Body::new(attrs, blocks_))
}

struct SpanFinder<'a> {
    text: &'a str,
    cursor: usize,
}

impl SpanFinder<'_> {
    fn find(&mut self, key: &str) -> Span {
        let needle = format!("\"{key}\"");
        match self.text[self.cursor..].find(&needle) {
            Some(p) => {
                let start = self.cursor + p;
                self.cursor = start + needle.len();
                Span::new(start, start + needle.len())
            }
            None => Span::new(self.cursor, self.cursor),
        }
    }
}

/// Expands `{"type": {"name": {...}}}` (or arrays of such objects) into blocks.
fn blocks(kind: &str, labels: usize, v: &J, finder: &mut SpanFinder) -> Vec<Block> {
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<String>, &J)> = vec![(Vec::new(), v)];
    while let Some((prefix, v)) = stack.pop() {
        if prefix.len() == labels {
            for item in as_items(v) {
                let span = prefix
                    .last()
                    .map(|l| finder.find(l))
                    .unwrap_or_else(|| finder.find(kind));
                out.push(Block {
                    kind: ident(kind),
                    labels: prefix.iter().map(|s| ident(s)).collect(),
                    span,
                    head: span,
                    body: block_body(kind, item, span),
                });
            }
            continue;
        }
        for item in as_items(v) {
            if let J::Object(m) = item {
                for (k, child) in m.iter().rev() {
                    let mut p = prefix.clone();
                    p.push(k.clone());
                    stack.push((p, child));
                }
            }
        }
    }
    out
}

fn as_items(v: &J) -> Vec<&J> {
    match v {
        J::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Inside `terraform`, `backend`/`cloud` are blocks that stacklint reads; everything else
/// is kept as attributes holding object values.
fn block_body(kind: &str, v: &J, span: Span) -> Body {
    let J::Object(m) = v else {
        return Body::default();
    };
    let (mut attrs, mut blocks_) = (Vec::new(), Vec::new());
    for (k, child) in m {
        let nested = match (kind, k.as_str()) {
            ("terraform", "backend") => Some(1),
            ("terraform", "cloud") | ("cloud", "workspaces") => Some(0),
            _ => None,
        };
        match nested {
            Some(n) => {
                let mut finder = SpanFinder {
                    text: "",
                    cursor: 0,
                };
                for mut b in blocks(k, n, child, &mut finder) {
                    b.span = span;
                    b.head = span;
                    blocks_.push(b);
                }
            }
            None => attrs.push(Attr {
                name: ident(k.as_str()),
                span,
                expr: expr(child, span),
            }),
        }
    }
    Body::new(attrs, blocks_)
}

fn expr(v: &J, span: Span) -> Expr {
    // Iterative construction is not needed: serde_json itself refuses nesting deeper than
    // 128 levels, so this recursion is bounded.
    let kind = match v {
        J::Null => ExprKind::Null,
        J::Bool(b) => ExprKind::Bool(*b),
        J::Number(n) => ExprKind::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => {
            if s.contains("${") || s.contains("%{") {
                match super::hcl::parse_template(s, span.start) {
                    Some(parts) => ExprKind::Template(parts),
                    None => ExprKind::Template(Parts::lit(s)),
                }
            } else {
                ExprKind::Template(Parts::lit(s))
            }
        }
        J::Array(items) => ExprKind::Array(items.iter().map(|x| expr(x, span)).collect()),
        J::Object(m) => ExprKind::Object(
            m.iter()
                .map(|(k, v)| (ObjKey::Ident(ident(k.as_str())), expr(v, span)))
                .collect(),
        ),
    };
    Expr { kind, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_backends_and_templates() {
        let src = r#"{
  "terraform": {"backend": {"s3": {"bucket": "acme", "key": "net/terraform.tfstate"}}},
  "resource": {"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "${var.name}"}}}},
  "output": {"vpc_id": {"value": "${aws_vpc.main.id}"}}
}"#;
        let body = parse(src, true).unwrap();
        let tf = body.block("terraform").unwrap();
        let be = tf.body.block("backend").unwrap();
        assert_eq!(be.labels[0].as_str(), "s3");
        assert_eq!(
            be.body.expr("bucket").unwrap().as_literal_str(),
            Some("acme")
        );
        let res = body.block("resource").unwrap();
        assert_eq!(res.labels.len(), 2);
        assert!(src[res.span.start as usize..].starts_with("\"main\""));
        let out = body.block("output").unwrap();
        let refs = out.body.expr("value").unwrap().references();
        assert_eq!(refs[0].root, "aws_vpc");
    }

    #[test]
    fn errors_have_positions() {
        let err = parse("{\n  \"a\": ,\n}", true).unwrap_err();
        assert!(err.0 > 0);
    }
}
