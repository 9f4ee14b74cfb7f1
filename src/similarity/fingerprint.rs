//! The normalised fingerprint of a directory of Terraform code: one 64-bit feature per
//! block (kind and labels), per attribute (its path, name and the *shape* of its value)
//! and per object key. String literals, numbers and booleans are normalised away, and
//! so are environment words inside names (`vpc_prod` reads as `vpc_*`), so two copies
//! of a stack that differ only in the values an instance would set get the same
//! features. References, function names, object keys and block structure are kept.

use crate::model::{Code, Workspace};
use crate::source::FileId;
use crate::syntax::{Block, Body, Expr, ExprKind, ObjKey, Op, Part, Root};

/// Environment words normalised inside names (`module "db_prod"` ~ `module "db_dev"`).
const ENV_WORDS: &[&str] = &[
    "dev",
    "development",
    "test",
    "qa",
    "uat",
    "stage",
    "staging",
    "preprod",
    "prod",
    "production",
];

/// Expressions deeper than this contribute one marker instead of their structure.
const MAX_DEPTH: usize = 24;

/// FNV-1a: small, fast and the same on every run and platform.
#[derive(Clone, Copy)]
pub struct Fnv(pub u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub fn bytes(&mut self, b: &[u8]) {
        for x in b {
            self.0 ^= u64::from(*x);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// A string followed by a separator, so `("ab","c")` and `("a","bc")` differ.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.bytes(&[0xff]);
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }

    /// `self.str(&normalise_name(name))` without building the normalised string.
    pub fn name(&mut self, name: &str) {
        normalised_pieces(name, |piece| self.bytes(piece.as_bytes()));
        self.bytes(&[0xff]);
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

/// Splits a name into tokens and replaces environment words with `*`.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalised_pieces(name, |piece| out.push_str(piece));
    out
}

/// The pieces [`normalise_name`] joins, in order: tokens (or `*`) and the characters
/// between them. Tokens are slices of `name`, compared without lowercased copies: this
/// runs for every name of every block of every stack.
fn normalised_pieces(name: &str, mut emit: impl FnMut(&str)) {
    fn token(t: &str) -> &str {
        if ENV_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            "*"
        } else {
            t
        }
    }
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if !c.is_ascii_alphanumeric() {
            emit(token(&name[start..i]));
            start = i + c.len_utf8();
            emit(&name[i..start]);
        }
    }
    emit(token(&name[start..]));
}

/// The hash of an expression: its shape only (`full == false`) or its shape and every
/// literal value but environment words (`full == true`, to tell which values differ
/// between copies beyond the environment's name).
pub fn expr_hash(h: &mut Fnv, e: &Expr, full: bool, depth: usize) {
    if depth > MAX_DEPTH {
        h.str("…");
        return;
    }
    let d = depth + 1;
    match &e.kind {
        ExprKind::Null => h.str("null"),
        ExprKind::Bool(b) => h.str(if !full {
            "B"
        } else if *b {
            "true"
        } else {
            "false"
        }),
        ExprKind::Number(n) => {
            h.str("N");
            if full {
                h.u64(n.to_bits());
            }
        }
        ExprKind::Template(parts) => {
            h.str("T");
            for p in parts {
                match p {
                    // Environment words are expected to differ between copies.
                    Part::Lit(s) if full => h.name(s),
                    Part::Lit(_) => {}
                    Part::Interp(x) => expr_hash(h, x, full, d),
                    Part::Directive(xs) => {
                        h.str("%");
                        for x in xs {
                            expr_hash(h, x, full, d);
                        }
                    }
                }
            }
        }
        ExprKind::Array(items) => {
            // A list of plain values (CIDRs, zones, ids) varies in length per instance.
            if !full && items.iter().all(is_plain_value) {
                h.str("[v]");
            } else {
                h.str("[");
                for x in items {
                    expr_hash(h, x, full, d);
                }
                h.str("]");
            }
        }
        ExprKind::Object(items) => {
            h.str("{");
            for (k, v) in items {
                match k {
                    ObjKey::Ident(s) => h.str(s),
                    ObjKey::Expr(x) => match x.as_literal_str() {
                        Some(s) if !full => h.name(s),
                        _ => expr_hash(h, x, full, d),
                    },
                }
                expr_hash(h, v, full, d);
            }
            h.str("}");
        }
        ExprKind::Variable(v) => h.str(v),
        ExprKind::VarTraversal(_) | ExprKind::Traversal(_) => {
            let Some(t) = e.as_traversal() else { return };
            match t.root {
                // As the root's own `Variable` expression hashes.
                Root::Var(v) => h.str(v),
                Root::Expr(root) => expr_hash(h, root, full, d),
            }
            for op in t.ops {
                match op {
                    Op::Attr(n) => h.name(n),
                    Op::Index(x) => {
                        h.str("[]");
                        expr_hash(h, x, full, d);
                    }
                    Op::LegacyIndex(i) => {
                        h.str("[]");
                        if full {
                            h.u64(*i);
                        }
                    }
                    Op::AttrSplat => h.str(".*"),
                    Op::FullSplat => h.str("[*]"),
                }
            }
        }
        ExprKind::Call(c) => {
            h.str("()");
            h.str(&c.name);
            for a in &c.args {
                expr_hash(h, a, full, d);
            }
        }
        ExprKind::Conditional(c) => {
            h.str("?:");
            for x in c.iter() {
                expr_hash(h, x, full, d);
            }
        }
        ExprKind::Unary(op, x) => {
            h.str(&format!("{op:?}"));
            expr_hash(h, x, full, d);
        }
        ExprKind::Binary(op, xs) => {
            h.str(&format!("{op:?}"));
            for x in xs.iter() {
                expr_hash(h, x, full, d);
            }
        }
        ExprKind::For(f) => {
            h.str("for");
            expr_hash(h, &f.collection, full, d);
            if let Some(k) = &f.key {
                expr_hash(h, k, full, d);
            }
            expr_hash(h, &f.value, full, d);
            if let Some(c) = &f.cond {
                expr_hash(h, c, full, d);
            }
        }
        ExprKind::Unknown => h.str("?"),
    }
}

fn is_plain_value(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_)
    ) || e.as_literal_str().is_some()
}

/// The path of a top-level block as people write it: `aws_s3_bucket.logs`,
/// `data.aws_ami.ubuntu`, `module.vpc`, `var.region`, `output.vpc_id`, `provider.aws.east`.
pub fn block_address(b: &Block) -> String {
    let l0 = b.label(0).unwrap_or("");
    let l1 = b.label(1).unwrap_or("");
    match &*b.kind {
        "resource" => format!("{l0}.{l1}"),
        "data" => format!("data.{l0}.{l1}"),
        "variable" => format!("var.{l0}"),
        "provider" => match b.body.expr("alias").and_then(Expr::as_literal_str) {
            Some(a) => format!("provider.{l0}.{a}"),
            None => format!("provider.{l0}"),
        },
        _ if b.labels.is_empty() => b.kind.to_string(),
        k => format!("{k}.{}", b.labels.join(".")),
    }
}

/// One digest per attribute: `(path, shape hash, full hash)`, for telling copies apart.
pub type AttrDigest = (String, u64, u64);

/// Collects a code directory's features: sorted, with repeated features made distinct
/// by their occurrence number (two identical `ingress {}` blocks count twice).
pub fn features(ws: &Workspace, files: &[FileId]) -> Vec<u64> {
    let mut out = Vec::new();
    for f in files {
        for b in &ws.file(*f).body.blocks {
            top_block(b, &mut out);
        }
    }
    out.sort_unstable();
    let mut i = 0;
    while i < out.len() {
        let mut j = i + 1;
        while j < out.len() && out[j] == out[i] {
            let mut h = Fnv(out[j]);
            h.u64(j as u64 - i as u64);
            out[j] = h.0;
            j += 1;
        }
        i = j;
    }
    out.sort_unstable();
    out.dedup();
    // Kept for the whole run, one list per code directory.
    crate::syntax::exact(out)
}

fn top_block(b: &Block, out: &mut Vec<u64>) {
    let mut h = Fnv::new();
    h.str(&b.kind);
    match &*b.kind {
        // Locals: each entry is a block of its own.
        "locals" => {
            for a in &b.body.attrs {
                let mut l = h;
                l.name(&a.name);
                out.push(l.0);
                attr(l, a.name.as_ref(), &a.expr, out);
            }
            return;
        }
        // The resource type is structure; every other label is a name.
        "resource" | "data" => {
            h.str(b.label(0).unwrap_or(""));
            h.name(b.label(1).unwrap_or(""));
        }
        _ => {
            for l in &b.labels {
                h.name(l);
            }
        }
    }
    out.push(h.0);
    body(h, &b.body, out, 0);
}

/// Nested blocks deeper than this are not fingerprinted (hostile input).
const MAX_BLOCK_DEPTH: usize = 32;

fn body(path: Fnv, b: &Body, out: &mut Vec<u64>, depth: usize) {
    if depth > MAX_BLOCK_DEPTH {
        return;
    }
    for a in &b.attrs {
        attr(path, &a.name, &a.expr, out);
    }
    for nb in &b.blocks {
        let mut h = path;
        h.str(&nb.kind);
        for l in &nb.labels {
            h.name(l);
        }
        out.push(h.0);
        body(h, &nb.body, out, depth + 1);
    }
}

fn attr(path: Fnv, name: &str, e: &Expr, out: &mut Vec<u64>) {
    let mut h = path;
    h.str("=");
    h.str(name);
    let key_path = h;
    expr_hash(&mut h, e, false, 0);
    out.push(h.0);
    // Object entries (tags, settings maps) one by one, so one added key is one change.
    for (k, v) in e.object_entries() {
        let mut kh = key_path;
        kh.name(k.unwrap_or("?"));
        expr_hash(&mut kh, v, false, 0);
        out.push(kh.0);
    }
}

/// Every top-level block of a code directory with its attribute digests, by address.
pub fn digests(ws: &Workspace, code: &Code) -> Vec<(String, Vec<AttrDigest>)> {
    let mut out = Vec::new();
    for f in &code.files {
        for b in &ws.file(*f).body.blocks {
            if &*b.kind == "locals" {
                for a in &b.body.attrs {
                    let mut v = Vec::new();
                    attr_digest(String::new(), &a.expr, &mut v);
                    out.push((format!("local.{}", a.name), v));
                }
                continue;
            }
            let mut v = Vec::new();
            body_digest("", &b.body, &mut v, 0);
            out.push((block_address(b), v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn body_digest(prefix: &str, body: &Body, out: &mut Vec<AttrDigest>, depth: usize) {
    if depth > MAX_BLOCK_DEPTH {
        return;
    }
    for a in &body.attrs {
        attr_digest(format!("{prefix}{}", a.name), &a.expr, out);
    }
    for nb in &body.blocks {
        let mut p = format!("{prefix}{}", nb.kind);
        for l in &nb.labels {
            p.push('.');
            p.push_str(l);
        }
        p.push('.');
        body_digest(&p, &nb.body, out, depth + 1);
    }
}

fn attr_digest(path: String, e: &Expr, out: &mut Vec<AttrDigest>) {
    let mut shape = Fnv::new();
    expr_hash(&mut shape, e, false, 0);
    let mut full = Fnv::new();
    expr_hash(&mut full, e, true, 0);
    out.push((path, shape.0, full.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_words_are_normalised_as_whole_tokens() {
        assert_eq!(normalise_name("vpc_prod"), "vpc_*");
        assert_eq!(normalise_name("Staging-db"), "*-db");
        assert_eq!(normalise_name("product_catalog"), "product_catalog");
        assert_eq!(normalise_name("devops"), "devops");
        // Separators and non-ASCII characters stay; tokens around them are normalised.
        assert_eq!(normalise_name(""), "");
        assert_eq!(normalise_name("_PROD_"), "_*_");
        assert_eq!(normalise_name("prod-é-dev"), "*-é-*");
        assert_eq!(normalise_name("qaé"), "*é");
        // Hashing a name streams exactly the normalised string's bytes.
        for name in [
            "",
            "vpc_prod",
            "_PROD_",
            "prod-é-dev",
            "qaé",
            "api",
            "a--b",
            "é",
        ] {
            let (mut streamed, mut built) = (Fnv::new(), Fnv::new());
            streamed.name(name);
            built.str(&normalise_name(name));
            assert_eq!(streamed.0, built.0, "{name}");
        }
    }

    fn shape(src: &str, full: bool) -> u64 {
        let body = crate::parse::parse_body_str(&format!("x = {src}\n")).expect("parses");
        let mut h = Fnv::new();
        expr_hash(&mut h, &body.attrs[0].expr, full, 0);
        h.0
    }

    #[test]
    fn literals_vary_but_references_and_calls_do_not() {
        assert_eq!(shape(r#""t3.small""#, false), shape(r#""m5.large""#, false));
        assert_eq!(shape("2", false), shape("12", false));
        assert_eq!(
            shape(r#"["10.0.1.0/24"]"#, false),
            shape(r#"["a", "b", "c"]"#, false)
        );
        assert_eq!(
            shape(r#""app-${var.env}""#, false),
            shape(r#""svc-${var.env}-x""#, false)
        );
        assert_ne!(shape("var.instance_type", false), shape("var.size", false));
        assert_ne!(shape("lower(var.x)", false), shape("upper(var.x)", false));
        // The full hash sees values, except environment words.
        assert_ne!(shape(r#""t3.small""#, true), shape(r#""m5.large""#, true));
        assert_eq!(shape(r#""app-dev""#, true), shape(r#""app-prod""#, true));
    }
}
