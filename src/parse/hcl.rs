//! The only place that sees hcl-edit types: converts a parsed body into stacklint's own
//! syntax summary (`crate::syntax`), shifting every span by `base` so that a chunk parsed
//! on its own (block recovery) still points into the original file.

use crate::source::Span;
use crate::syntax::*;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{self as hs, BlockLabel, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span as _;

/// Expressions nested deeper than this are kept as `Unknown`; hcl-edit already refuses
/// more than 64 nested levels, so this only bounds our own recursion on long operator chains.
const MAX_DEPTH: usize = 200;

pub struct Converter {
    pub base: u32,
}

impl Converter {
    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        match r {
            Some(r) => Span::new(r.start, r.end).shifted(self.base),
            None => Span::new(0, 0).shifted(self.base),
        }
    }

    pub fn body(&self, body: &hs::Body) -> Body {
        // Exact capacities: bodies are kept for the whole run, growth slack is waste.
        let attrs = body.iter().filter(|s| s.is_attribute()).count();
        let mut out = (
            Vec::with_capacity(attrs),
            Vec::with_capacity(body.len() - attrs),
        );
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => out.0.push(self.attr(a)),
                Structure::Block(b) => out.1.push(self.block(b)),
            }
        }
        Body::new(out.0, out.1)
    }

    fn attr(&self, a: &hs::Attribute) -> Attr {
        Attr {
            name: ident(a.key.as_str()),
            span: self.span(a.span()),
            expr: self.expr(&a.value, 0),
        }
    }

    pub fn block(&self, b: &hs::Block) -> Block {
        let span = self.span(b.span());
        let ident = self.span(b.ident.span());
        let head_end = b
            .labels
            .last()
            .and_then(|l| l.span())
            .map(|r| self.span(Some(r)).end)
            .unwrap_or(ident.end);
        Block {
            kind: crate::syntax::ident(b.ident.as_str()),
            labels: b
                .labels
                .iter()
                .map(|l| match l {
                    BlockLabel::Ident(i) => crate::syntax::ident(i.as_str()),
                    BlockLabel::String(s) => crate::syntax::ident(s.value().as_str()),
                })
                .collect(),
            span,
            head: Span {
                start: ident.start,
                end: head_end.max(ident.end),
            },
            body: self.body(&b.body),
        }
    }

    fn expr(&self, e: &Expression, depth: usize) -> Expr {
        let span = self.span(e.span());
        if depth > MAX_DEPTH {
            return Expr::unknown(span);
        }
        let d = depth + 1;
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(0.0)),
            Expression::String(s) => ExprKind::Template(Parts::lit(s.value())),
            Expression::Array(a) => ExprKind::Array(a.iter().map(|x| self.expr(x, d)).collect()),
            Expression::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => ObjKey::Ident(ident(i.as_str())),
                            ObjectKey::Expression(x) => ObjKey::Expr(self.expr(x, d)),
                        };
                        (key, self.expr(v.expr(), d))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => ExprKind::Template(self.template(t, d).into()),
            Expression::HeredocTemplate(h) => {
                let mut h = h.clone();
                // `<<-EOF` strips the common indentation, as Terraform does.
                h.dedent();
                ExprKind::Template(self.template(&h.template, d).into())
            }
            Expression::Parenthesis(p) => return self.expr(p.inner(), d),
            Expression::Variable(v) => ExprKind::Variable(ident(v.as_str())),
            Expression::Conditional(c) => ExprKind::Conditional(Box::new([
                self.expr(&c.cond_expr, d),
                self.expr(&c.true_expr, d),
                self.expr(&c.false_expr, d),
            ])),
            Expression::FuncCall(c) => {
                let mut name = String::new();
                for ns in &c.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(c.name.name.as_str());
                ExprKind::Call(Box::new(Call {
                    name: ident(&name),
                    args: c.args.iter().map(|x| self.expr(x, d)).collect(),
                    expand_final: c.args.expand_final(),
                }))
            }
            Expression::Traversal(t) => {
                let root = self.expr(&t.expr, d);
                let ops = t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => Op::AttrSplat,
                        TraversalOperator::FullSplat(_) => Op::FullSplat,
                        TraversalOperator::GetAttr(i) => Op::Attr(ident(i.as_str())),
                        TraversalOperator::Index(x) => Op::Index(Box::new(self.expr(x, d))),
                        TraversalOperator::LegacyIndex(n) => Op::LegacyIndex(*n.value()),
                    })
                    .collect();
                ExprKind::traversal(root, ops)
            }
            Expression::UnaryOp(u) => {
                let op = match u.operator.value() {
                    UnaryOperator::Neg => UnaryOp::Neg,
                    UnaryOperator::Not => UnaryOp::Not,
                };
                ExprKind::Unary(op, Box::new(self.expr(&u.expr, d)))
            }
            Expression::BinaryOp(b) => {
                let op = match b.operator.value() {
                    BinaryOperator::Eq => BinaryOp::Eq,
                    BinaryOperator::NotEq => BinaryOp::NotEq,
                    BinaryOperator::LessEq => BinaryOp::LessEq,
                    BinaryOperator::GreaterEq => BinaryOp::GreaterEq,
                    BinaryOperator::Less => BinaryOp::Less,
                    BinaryOperator::Greater => BinaryOp::Greater,
                    BinaryOperator::Plus => BinaryOp::Plus,
                    BinaryOperator::Minus => BinaryOp::Minus,
                    BinaryOperator::Mul => BinaryOp::Mul,
                    BinaryOperator::Div => BinaryOp::Div,
                    BinaryOperator::Mod => BinaryOp::Mod,
                    BinaryOperator::And => BinaryOp::And,
                    BinaryOperator::Or => BinaryOp::Or,
                };
                ExprKind::Binary(
                    op,
                    Box::new([self.expr(&b.lhs_expr, d), self.expr(&b.rhs_expr, d)]),
                )
            }
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| ident(k.as_str())),
                value_var: ident(f.intro.value_var.as_str()),
                collection: self.expr(&f.intro.collection_expr, d),
                key: f.key_expr.as_ref().map(|k| self.expr(k, d)),
                value: self.expr(&f.value_expr, d),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr, d)),
                grouping: f.grouping,
            })),
        };
        Expr { kind, span }
    }

    fn template(&self, t: &Template, depth: usize) -> Vec<Part> {
        let mut parts = Vec::new();
        for el in t.iter() {
            match el {
                Element::Literal(s) => match parts.last_mut() {
                    Some(Part::Lit(prev)) => {
                        let mut joined = String::from(&**prev);
                        joined.push_str(s.value());
                        *prev = crate::syntax::lit(&joined);
                    }
                    _ => parts.push(Part::Lit(crate::syntax::lit(s.value()))),
                },
                Element::Interpolation(i) => {
                    parts.push(Part::Interp(Box::new(self.expr(&i.expr, depth))))
                }
                Element::Directive(dir) => {
                    // hcl-edit's default visitor skips a `for` directive's collection; we
                    // convert it explicitly so `%{ for s in data.x.outputs.y }` is seen.
                    let mut exprs = Vec::new();
                    self.directive(dir, depth, &mut exprs);
                    parts.push(Part::Directive(exprs));
                }
            }
        }
        parts
    }

    fn directive(&self, dir: &Directive, depth: usize, out: &mut Vec<Expr>) {
        let d = depth + 1;
        if d > MAX_DEPTH {
            return;
        }
        let nested = |t: &Template, out: &mut Vec<Expr>| {
            for part in self.template(t, d) {
                match part {
                    Part::Lit(_) => {}
                    Part::Interp(e) => out.push(*e),
                    Part::Directive(es) => out.extend(es),
                }
            }
        };
        match dir {
            Directive::If(i) => {
                out.push(self.expr(&i.if_expr.cond_expr, d));
                nested(&i.if_expr.template, out);
                if let Some(e) = &i.else_expr {
                    nested(&e.template, out);
                }
            }
            Directive::For(f) => {
                out.push(self.expr(&f.for_expr.collection_expr, d));
                nested(&f.for_expr.template, out);
            }
        }
    }
}

/// Parses a whole HCL body. Errors carry a byte offset into `text` (already shifted by
/// `base`) and hcl-edit's message.
pub fn parse_body(text: &str, base: u32) -> Result<Body, (u32, String)> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(Converter { base }.body(&body)),
        Err(e) => {
            let loc = e.location();
            let offset = u32::try_from(loc.offset()).unwrap_or(u32::MAX);
            Err((offset.saturating_add(base), e.message().to_string()))
        }
    }
}

/// Parses a string as an HCL template (used for `${...}` strings in Terraform JSON).
pub fn parse_template(text: &str, base: u32) -> Option<Parts> {
    let t: Template = text.parse().ok()?;
    Some(Converter { base }.template(&t, 0).into())
}
