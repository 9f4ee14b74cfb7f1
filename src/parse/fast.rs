//! A direct parser from HCL text to stacklint's syntax types, for the common shapes of
//! Terraform, Terragrunt and Terramate files. hcl-edit builds a lossless editing tree
//! (every space and comment kept) that `hcl.rs` then converts and drops: most of the
//! parse stage's time. This parser builds the summary in one pass.
//!
//! It gives the tree hcl-edit plus the converter would give, spans included, or gives up
//! (`None`): on any error, and on any construct it does not handle or whose reading by
//! hcl-edit it does not reproduce exactly (non-ASCII identifiers, template directives,
//! a newline inside an expression where one may end it, very deep nesting). The caller
//! then parses the file with hcl-edit, so errors, recovery and rare constructs keep one
//! implementation. Tests compare both parsers on every fixture and on tricky snippets.

use crate::source::Span;
use crate::syntax::*;

/// Nesting beyond this is left to hcl-edit, which bounds it with an error.
const MAX_DEPTH: usize = 48;
/// Binary operators chained in one expression beyond this are left to hcl-edit.
const MAX_CHAIN: usize = 64;

/// Parses a whole file's body; `None`: use hcl-edit.
pub fn parse_body(text: &str) -> Option<Body> {
    let mut p = Parser::new(text);
    if has_lone_cr(text) {
        return None;
    }
    let body = p.body(false)?;
    (p.i == p.s.len()).then_some(body)
}

/// A carriage return not followed by a newline: hcl-edit takes it as a space in some
/// places and rejects it in others (found by fuzzing), so such files go to hcl-edit.
fn has_lone_cr(text: &str) -> bool {
    text.contains('\r')
        && text
            .match_indices('\r')
            .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
}

/// Two attributes of one body share a name. Bodies are short, so pairs are compared
/// directly; long ones (generated tfvars) use a set to stay linear.
fn has_duplicate_names(attrs: &[Attr]) -> bool {
    if attrs.len() <= 16 {
        return attrs
            .iter()
            .enumerate()
            .any(|(i, a)| attrs[i + 1..].iter().any(|b| a.name == b.name));
    }
    let mut seen = <foldhash::HashSet<_> as foldhash::HashSetExt>::with_capacity(attrs.len());
    attrs.iter().any(|a| !seen.insert(&*a.name))
}

/// Where the direct parser stopped when it gave way (for `examples/parse-diff.rs`).
pub fn gives_way_at(text: &str) -> Option<usize> {
    let mut p = Parser::new(text);
    match p.body(false) {
        Some(_) if p.i == p.s.len() => None,
        _ => Some(p.i),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
    /// Attributes and blocks of the bodies being parsed, innermost last: a body takes
    /// its items off the end when it closes. Per body vectors grew from empty, several
    /// reallocations each before the copy at the exact size.
    attrs: Vec<Attr>,
    blocks: Vec<Block>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            s: text.as_bytes(),
            text,
            i: 0,
            depth: 0,
            attrs: Vec::new(),
            blocks: Vec::new(),
        }
    }
}

/// Where newlines may stand inside an expression: inside `(...)`, `[...]` and `${...}`
/// they are plain space; at an attribute or object item they end the expression.
#[derive(Clone, Copy, PartialEq)]
enum Lines {
    Free,
    End,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// Which bytes continue an identifier: one load a byte where the three comparisons of
/// `is_ascii_alphanumeric() || '_' || '-'` were ~1.5% of a run's instructions.
static IDENT_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

fn is_ident_char(b: u8) -> bool {
    IDENT_CHAR[b as usize]
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn starts(&self, lit: &[u8]) -> bool {
        self.s[self.i..].starts_with(lit)
    }

    /// Skips spaces and comments; also newlines when `lines` is `Free`. Returns whether
    /// anything was skipped, or `None` on an unterminated comment.
    ///
    /// Inlined, with comments out of line: it runs ~1 million times on 1,000 stacks,
    /// mostly over one to three spaces, and the call cost more than the skipping.
    #[inline(always)]
    fn ws(&mut self, lines: Lines) -> Option<bool> {
        let start = self.i;
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(b'\n') if lines == Lines::Free => self.i += 1,
                Some(b'#' | b'/') => return self.comments(lines, start),
                _ => return Some(self.i > start),
            }
        }
    }

    /// [`Parser::ws`] from a `#` or `/`, which may start a comment.
    #[inline(never)]
    fn comments(&mut self, lines: Lines, start: usize) -> Option<bool> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(b'\n') if lines == Lines::Free => self.i += 1,
                Some(b'#') => self.line_comment(),
                Some(b'/') if self.peek_at(1) == Some(b'/') => self.line_comment(),
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    let end = find(&self.s[self.i + 2..], b"*/")?;
                    let comment = &self.s[self.i..self.i + 2 + end + 2];
                    // A block comment spanning lines is a line end where lines matter.
                    if lines == Lines::End && comment.contains(&b'\n') {
                        return None;
                    }
                    self.i += 2 + end + 2;
                }
                _ => return Some(self.i > start),
            }
        }
    }

    /// A line comment, up to (not including) its newline.
    fn line_comment(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'\n' {
                break;
            }
            self.i += 1;
        }
    }

    /// After an attribute or a block: spaces, a comment, then a newline or the end.
    fn end_of_line(&mut self) -> Option<()> {
        self.ws(Lines::End)?;
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.i += 1;
                Some(())
            }
            _ => None,
        }
    }

    fn ident(&mut self) -> Option<(&'a str, Span)> {
        let start = self.i;
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        while self.peek().is_some_and(is_ident_char) {
            self.i += 1;
        }
        // A non-ASCII letter continuing an identifier: hcl-edit's Unicode rules decide.
        if self.peek().is_some_and(|b| b >= 0x80) {
            return None;
        }
        Some((self.text.get(start..self.i)?, Span::new(start, self.i)))
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// A body: the file's (`nested == false`, up to the end) or a block's (up to `}`).
    fn body(&mut self, nested: bool) -> Option<Body> {
        let (a0, b0) = (self.attrs.len(), self.blocks.len());
        let done = self.body_items(nested);
        if done.is_none() || has_duplicate_names(&self.attrs[a0..]) {
            // hcl-edit rejects a redefined attribute; its error is the one to report.
            self.attrs.truncate(a0);
            self.blocks.truncate(b0);
            return None;
        }
        // Drained at their exact length (see `syntax::exact`).
        Some(Body {
            attrs: self.attrs.drain(a0..).collect(),
            blocks: self.blocks.drain(b0..).collect(),
        })
    }

    /// The items of a body, pushed onto `attrs` and `blocks`.
    fn body_items(&mut self, nested: bool) -> Option<()> {
        loop {
            self.ws(Lines::Free)?;
            match self.peek() {
                None if !nested => break,
                Some(b'}') if nested => break,
                None | Some(b'}') => return None,
                _ => {}
            }
            let (name, name_span) = self.ident()?;
            self.ws(Lines::End)?;
            if self.at_assign() {
                let attr = self.attribute(name, name_span)?;
                self.attrs.push(attr);
            } else {
                let block = self.block(name, name_span)?;
                self.blocks.push(block);
            }
            self.end_of_line()?;
        }
        Some(())
    }

    /// An `=` (not `==`) is next.
    fn at_assign(&self) -> bool {
        self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=')
    }

    /// `name = value`, standing on the `=`.
    fn attribute(&mut self, name: &str, name_span: Span) -> Option<Attr> {
        self.i += 1;
        self.ws(Lines::End)?;
        let expr = self.expr(Lines::End)?;
        Some(Attr {
            name: ident(name),
            span: Span::new(name_span.start as usize, self.i),
            expr,
        })
    }

    fn block(&mut self, kind: &str, kind_span: Span) -> Option<Block> {
        self.enter()?;
        let mut labels = Vec::new();
        let mut head_end = kind_span.end;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let (parts, _) = self.quoted()?;
                    let label = match parts.as_slice() {
                        [Part::Lit(s)] => ident(s),
                        _ => return None,
                    };
                    labels.push(label);
                    head_end = self.i as u32;
                }
                Some(b'{') => break,
                _ => {
                    let (label, span) = self.ident()?;
                    labels.push(ident(label));
                    head_end = span.end;
                }
            }
            self.ws(Lines::End)?;
        }
        self.i += 1;
        self.ws(Lines::End)?;
        let body = match self.peek() {
            Some(b'}') => Body::default(),
            Some(b'\n') => self.body(true)?,
            // `name { key = value }` on one line: exactly one attribute.
            _ => {
                let (name, name_span) = self.ident()?;
                self.ws(Lines::End)?;
                if !self.at_assign() {
                    return None;
                }
                let attr = self.attribute(name, name_span)?;
                self.ws(Lines::End)?;
                Body::new(vec![attr], Vec::new())
            }
        };
        if !self.eat(b'}') {
            return None;
        }
        self.leave();
        Some(Block {
            kind: ident(kind),
            labels: exact(labels).into_boxed_slice(),
            span: Span::new(kind_span.start as usize, self.i),
            head: Span {
                start: kind_span.start,
                end: head_end,
            },
            body,
        })
    }

    /// An expression: a conditional, or an operator chain.
    fn expr(&mut self, lines: Lines) -> Option<Expr> {
        self.enter()?;
        let (cond, start) = self.binary(lines)?;
        let save = self.i;
        self.ws(lines)?;
        let out = if self.peek() == Some(b'?') {
            self.i += 1;
            self.ws(Lines::Free)?;
            if lines == Lines::End && self.s[save..self.i].contains(&b'\n') {
                return None;
            }
            let yes = self.expr(lines)?;
            let before = self.i;
            self.ws(lines)?;
            if !self.eat(b':') {
                return None;
            }
            self.ws(Lines::Free)?;
            if lines == Lines::End && self.s[before..self.i].contains(&b'\n') {
                return None;
            }
            let no = self.expr(lines)?;
            Expr {
                kind: ExprKind::Conditional(Box::new([cond, yes, no])),
                span: Span::new(start, self.i),
            }
        } else {
            self.i = save;
            cond
        };
        self.leave();
        Some(out)
    }

    /// An operator chain, folded by precedence (all left-associative). Returns the
    /// expression and where it starts (a parenthesised operand's `(`).
    fn binary(&mut self, lines: Lines) -> Option<(Expr, usize)> {
        let start = self.i;
        let first = self.unary(lines)?;
        let first_end = self.i;
        let Some(op) = self.next_binary_op(lines)? else {
            return Some((first, start));
        };
        let mut operands: Vec<(Expr, usize, usize)> = vec![(first, start, first_end)];
        let mut ops: Vec<BinaryOp> = vec![op];
        loop {
            let at = self.i;
            let e = self.unary(lines)?;
            operands.push((e, at, self.i));
            match self.next_binary_op(lines)? {
                Some(op) if ops.len() < MAX_CHAIN => ops.push(op),
                Some(_) => return None,
                None => break,
            }
        }
        Some(fold(operands, ops))
    }

    /// After an operand: the operator that continues the chain (and the space after it),
    /// or `None` with the parser left just after the operand.
    fn next_binary_op(&mut self, lines: Lines) -> Option<Option<BinaryOp>> {
        let save = self.i;
        self.ws(lines)?;
        let Some(op) = self.binary_op() else {
            self.i = save;
            return Some(None);
        };
        let before = self.i;
        self.ws(Lines::Free)?;
        if lines == Lines::End && self.s[before..self.i].contains(&b'\n') {
            return None;
        }
        Some(Some(op))
    }

    fn binary_op(&mut self) -> Option<BinaryOp> {
        let two = |p: &Self, a: u8, b: u8| p.peek() == Some(a) && p.peek_at(1) == Some(b);
        let (op, len) = if two(self, b'=', b'=') {
            (BinaryOp::Eq, 2)
        } else if two(self, b'!', b'=') {
            (BinaryOp::NotEq, 2)
        } else if two(self, b'<', b'=') {
            (BinaryOp::LessEq, 2)
        } else if two(self, b'>', b'=') {
            (BinaryOp::GreaterEq, 2)
        } else if two(self, b'&', b'&') {
            (BinaryOp::And, 2)
        } else if two(self, b'|', b'|') {
            (BinaryOp::Or, 2)
        } else {
            let op = match self.peek()? {
                b'<' => BinaryOp::Less,
                b'>' => BinaryOp::Greater,
                b'+' => BinaryOp::Plus,
                // `-` followed by a digit or a letter is still subtraction here.
                b'-' => BinaryOp::Minus,
                b'*' => BinaryOp::Mul,
                b'/' => BinaryOp::Div,
                b'%' => BinaryOp::Mod,
                _ => return None,
            };
            (op, 1)
        };
        self.i += len;
        Some(op)
    }

    fn unary(&mut self, lines: Lines) -> Option<Expr> {
        let start = self.i;
        let op = match self.peek() {
            Some(b'-') => UnaryOp::Neg,
            Some(b'!') => UnaryOp::Not,
            _ => return self.postfix(lines),
        };
        self.i += 1;
        self.enter()?;
        self.ws(Lines::End)?;
        let operand_at = self.peek();
        if matches!(operand_at, Some(b'-' | b'!')) {
            return None;
        }
        let inner = self.unary(lines)?;
        self.leave();
        let span = Span::new(start, self.i);
        // hcl-edit reads a minus before a number literal as part of the number.
        if let (UnaryOp::Neg, ExprKind::Number(v), Some(b'0'..=b'9')) =
            (op, &inner.kind, operand_at)
        {
            // Its negative zero is an integer 0 or a float -0.0 (found by fuzzing).
            if *v == 0.0 {
                return None;
            }
            return Some(Expr {
                kind: ExprKind::Number(-v),
                span,
            });
        }
        Some(Expr {
            kind: ExprKind::Unary(op, Box::new(inner)),
            span,
        })
    }

    /// A term and its traversal steps (`.name`, `[i]`, `.*`, `[*]`, `.0`).
    fn postfix(&mut self, lines: Lines) -> Option<Expr> {
        let start = self.i;
        let root = self.term()?;
        let mut ops: Vec<Op> = Vec::new();
        loop {
            match self.peek() {
                // `x...`: an expanded final argument or a grouping, not a step.
                Some(b'.') if self.starts(b"..") => break,
                Some(b'.') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'*') => {
                            self.i += 1;
                            ops.push(Op::AttrSplat);
                        }
                        Some(b) if b.is_ascii_digit() => {
                            let from = self.i;
                            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                                self.i += 1;
                            }
                            let decimal = self.peek() == Some(b'.')
                                && self.peek_at(1).is_some_and(|b| b.is_ascii_digit());
                            // hcl-edit reads a leading 0 as the whole index (found by
                            // fuzzing: `x.007`).
                            let leading_zero = self.s[from] == b'0' && self.i - from > 1;
                            if decimal || leading_zero || self.peek().is_some_and(is_ident_char) {
                                return None;
                            }
                            let n = self.text[from..self.i].parse().ok()?;
                            ops.push(Op::LegacyIndex(n));
                        }
                        _ => {
                            let (name, _) = self.ident()?;
                            ops.push(Op::Attr(ident(name)));
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    self.ws(Lines::Free)?;
                    if self.peek() == Some(b'*') {
                        self.i += 1;
                        self.ws(Lines::Free)?;
                        if !self.eat(b']') {
                            return None;
                        }
                        ops.push(Op::FullSplat);
                    } else {
                        let index = self.expr(Lines::Free)?;
                        self.ws(Lines::Free)?;
                        if !self.eat(b']') {
                            return None;
                        }
                        ops.push(Op::Index(Box::new(index)));
                    }
                }
                _ => break,
            }
        }
        // A traversal step after a space (`a .b`, `a [0]`) is read differently by
        // different parsers; leave it to hcl-edit.
        let save = self.i;
        if self.ws(lines)? && matches!(self.peek(), Some(b'.' | b'[')) {
            return None;
        }
        self.i = save;
        if ops.is_empty() {
            return Some(root);
        }
        Some(Expr {
            kind: ExprKind::traversal(root, ops),
            span: Span::new(start, self.i),
        })
    }

    fn term(&mut self) -> Option<Expr> {
        let start = self.i;
        let b = self.peek()?;
        let kind = match b {
            b'"' => ExprKind::Template(self.quoted()?.0),
            b'<' if self.starts(b"<<") => ExprKind::Template(self.heredoc()?.into()),
            b'0'..=b'9' => self.number()?,
            b'(' => {
                self.i += 1;
                self.enter()?;
                self.ws(Lines::Free)?;
                let inner = self.expr(Lines::Free)?;
                self.ws(Lines::Free)?;
                if !self.eat(b')') {
                    return None;
                }
                self.leave();
                // hcl-edit keeps the parentheses as a node; the converter unwraps them.
                return Some(inner);
            }
            b'[' => {
                self.i += 1;
                self.enter()?;
                let kind = self.tuple()?;
                self.leave();
                kind
            }
            b'{' => {
                self.i += 1;
                self.enter()?;
                let kind = self.object()?;
                self.leave();
                kind
            }
            _ if is_ident_start(b) => {
                let (name, _) = self.ident()?;
                if self.peek() == Some(b'(') || self.starts(b"::") {
                    self.call(name)?
                } else {
                    match name {
                        "null" => ExprKind::Null,
                        "true" => ExprKind::Bool(true),
                        "false" => ExprKind::Bool(false),
                        "for" => return None,
                        _ => ExprKind::Variable(ident(name)),
                    }
                }
            }
            _ => return None,
        };
        Some(Expr {
            kind,
            span: Span::new(start, self.i),
        })
    }

    fn number(&mut self) -> Option<ExprKind> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.i += 1;
            }
            p.i > from
        };
        digits(self);
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
            digits(self);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        if self.peek().is_some_and(|b| is_ident_char(b) || b == b'.') {
            return None;
        }
        let v: f64 = self.text[start..self.i].parse().ok()?;
        // hcl-edit rejects a literal too large for a float (found by fuzzing).
        v.is_finite().then_some(ExprKind::Number(v))
    }

    /// `name(args)` or `provider::ns::name(args)`; the name is already read.
    fn call(&mut self, first: &str) -> Option<ExprKind> {
        let mut name = first.to_string();
        while self.starts(b"::") {
            self.i += 2;
            let (next, _) = self.ident()?;
            name.push_str("::");
            name.push_str(next);
        }
        if !self.eat(b'(') {
            return None;
        }
        let mut args = Vec::new();
        let mut expand_final = false;
        loop {
            self.ws(Lines::Free)?;
            if self.eat(b')') {
                break;
            }
            args.push(self.expr(Lines::Free)?);
            self.ws(Lines::Free)?;
            if self.starts(b"...") {
                self.i += 3;
                expand_final = true;
                self.ws(Lines::Free)?;
                if !self.eat(b')') {
                    return None;
                }
                break;
            }
            if self.eat(b',') {
                continue;
            }
            if !self.eat(b')') {
                return None;
            }
            break;
        }
        Some(ExprKind::Call(Box::new(Call {
            name: ident(&name),
            args: exact(args),
            expand_final,
        })))
    }

    fn tuple(&mut self) -> Option<ExprKind> {
        self.ws(Lines::Free)?;
        if self.starts(b"for") && !self.peek_at(3).is_some_and(is_ident_char) {
            return self.for_expr(b']');
        }
        let mut items = Vec::new();
        loop {
            self.ws(Lines::Free)?;
            if self.eat(b']') {
                break;
            }
            items.push(self.expr(Lines::Free)?);
            self.ws(Lines::Free)?;
            if self.eat(b',') {
                continue;
            }
            if !self.eat(b']') {
                return None;
            }
            break;
        }
        Some(ExprKind::Array(exact(items).into_boxed_slice()))
    }

    fn object(&mut self) -> Option<ExprKind> {
        self.ws(Lines::Free)?;
        if self.starts(b"for") && !self.peek_at(3).is_some_and(is_ident_char) {
            return self.for_expr(b'}');
        }
        let mut items = Vec::new();
        // Each key's source text: what is compared for keys that are neither identifiers
        // nor literals.
        let mut key_spans: Vec<(usize, usize)> = Vec::new();
        loop {
            self.ws(Lines::Free)?;
            if self.eat(b'}') {
                break;
            }
            let key_start = self.i;
            let key = self.object_key()?;
            key_spans.push((key_start, self.i));
            self.ws(Lines::End)?;
            if self.at_assign() {
                self.i += 1;
            } else if !self.eat(b':') {
                return None;
            }
            self.ws(Lines::End)?;
            let value = self.expr(Lines::End)?;
            items.push((key, value));
            self.ws(Lines::End)?;
            match self.peek() {
                Some(b',' | b'\n') => self.i += 1,
                Some(b'}') => {}
                _ => return None,
            }
        }
        // hcl-edit rejects a key given twice (Terraform lets the last win): its error and
        // recovery apply.
        let mut key_texts = Vec::with_capacity(items.len());
        for ((key, _), &(start, end)) in items.iter().zip(&key_spans) {
            key_texts.push(match key {
                ObjKey::Ident(name) => &**name,
                ObjKey::Expr(e) => match e.as_literal_str() {
                    Some(lit) => lit,
                    None => self.text.get(start..end)?,
                },
            });
        }
        key_texts.sort_unstable();
        if key_texts.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        Some(ExprKind::Object(exact(items).into_boxed_slice()))
    }

    fn object_key(&mut self) -> Option<ObjKey> {
        if self.peek().is_some_and(is_ident_start) {
            let save = self.i;
            let (name, _) = self.ident()?;
            let after = self.i;
            self.ws(Lines::End)?;
            let next = self.peek();
            let literal = matches!(name, "true" | "false" | "null");
            if !literal && (next == Some(b':') || self.at_assign()) {
                self.i = after;
                return Some(ObjKey::Ident(ident(name)));
            }
            self.i = save;
        }
        Some(ObjKey::Expr(self.expr(Lines::End)?))
    }

    /// `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if
    /// cond}`; the opening bracket and the `for` are next.
    fn for_expr(&mut self, close: u8) -> Option<ExprKind> {
        // Line breaks may stand between the parts of a `for`; inside an object `for` a
        // part's expression ends at a line end, as hcl-edit reads it (it rejects a value
        // continued on the next line, which Terraform accepts: left to hcl-edit).
        let lines = if close == b'}' {
            Lines::End
        } else {
            Lines::Free
        };
        let gap = |p: &mut Self| -> Option<()> { p.ws(Lines::Free).map(|_| ()) };
        self.i += 3;
        gap(self)?;
        let (first, _) = self.ident()?;
        gap(self)?;
        let (key_var, value_var) = if self.eat(b',') {
            gap(self)?;
            let (second, _) = self.ident()?;
            gap(self)?;
            (Some(ident(first)), ident(second))
        } else {
            (None, ident(first))
        };
        if !self.starts(b"in") || self.peek_at(2).is_some_and(is_ident_char) {
            return None;
        }
        self.i += 2;
        gap(self)?;
        let collection = self.expr(lines)?;
        gap(self)?;
        if !self.eat(b':') {
            return None;
        }
        gap(self)?;
        let first = self.expr(lines)?;
        gap(self)?;
        let (key, value) = if close == b'}' {
            if !self.starts(b"=>") {
                return None;
            }
            self.i += 2;
            gap(self)?;
            let value = self.expr(lines)?;
            gap(self)?;
            (Some(first), value)
        } else {
            (None, first)
        };
        let grouping = close == b'}' && self.starts(b"...");
        if grouping {
            self.i += 3;
            gap(self)?;
        }
        let cond = if self.starts(b"if") && !self.peek_at(2).is_some_and(is_ident_char) {
            self.i += 2;
            gap(self)?;
            let c = self.expr(lines)?;
            gap(self)?;
            Some(c)
        } else {
            None
        };
        self.ws(Lines::Free)?;
        if !self.eat(close) {
            return None;
        }
        Some(ExprKind::For(Box::new(ForExpr {
            key_var,
            value_var,
            collection,
            key,
            value,
            cond,
            grouping,
        })))
    }

    /// A quoted string or template, from its opening quote. Returns its parts and whether
    /// it had interpolations.
    fn quoted(&mut self) -> Option<(Parts, bool)> {
        self.i += 1;
        // Most strings are plain text (no escape, no template): one copy, no buffer.
        let rest = self.s.get(self.i..)?;
        if let Some(n) = rest
            .iter()
            .position(|&b| matches!(b, b'"' | b'\\' | b'$' | b'%' | b'\n'))
        {
            if rest[n] == b'"' {
                let lit = self.text.get(self.i..self.i + n)?;
                self.i += n + 1;
                return Some((Parts::lit(lit), false));
            }
        }
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let mut interp = false;
        loop {
            let b = self.peek()?;
            match b {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\n' => return None,
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'n' => lit.push('\n'),
                        b'r' => lit.push('\r'),
                        b't' => lit.push('\t'),
                        b'"' => lit.push('"'),
                        b'\\' => lit.push('\\'),
                        b'u' => lit.push(self.hex_escape(4)?),
                        b'U' => lit.push(self.hex_escape(8)?),
                        _ => return None,
                    }
                    self.i += 1;
                }
                _ => interp |= self.template_text(&mut lit, &mut parts, b"\"\n\\")?,
            }
        }
        if !interp {
            return Some((Parts::lit(&lit), false));
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(crate::syntax::lit(&lit)));
        }
        Some((parts.into(), true))
    }
}

impl Parser<'_> {
    /// `<<EOF` / `<<-EOF` up to its closing delimiter. Heredocs take no backslash escapes.
    /// The parts are dedented as hcl-edit and the converter do: once by hcl-edit for
    /// `<<-`, and once more by the converter for every heredoc.
    fn heredoc(&mut self) -> Option<Vec<Part>> {
        self.i += 2;
        let indented = self.eat(b'-');
        let (delim, _) = self.ident()?;
        if !self.eat(b'\n') {
            return None;
        }
        let is_end = |p: &Self, at: usize| -> Option<usize> {
            let mut j = at;
            while matches!(p.s.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            let after = j + delim.len();
            let closes = p.s.get(j..after) == Some(delim.as_bytes())
                && !p
                    .s
                    .get(after)
                    .is_some_and(|&b| is_ident_char(b) || b >= 0x80);
            closes.then_some(after)
        };
        // An empty heredoc, or one whose first line is its delimiter: left to hcl-edit.
        if is_end(self, self.i).is_some() {
            return None;
        }
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        loop {
            match self.peek()? {
                b'\r' => return None,
                b'\n' => {
                    lit.push('\n');
                    self.i += 1;
                    if let Some(after) = is_end(self, self.i) {
                        self.i = after;
                        break;
                    }
                }
                _ => {
                    self.template_text(&mut lit, &mut parts, b"\n\r")?;
                }
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(crate::syntax::lit(&lit)));
        }
        if indented {
            dedent(&mut parts);
        }
        dedent(&mut parts);
        Some(parts)
    }

    /// One step through a template's text, shared by quoted strings and heredocs: an
    /// escaped `$${` or `%%{` (literal text), an interpolation (pushed; `true`), a
    /// directive (left to hcl-edit), or a run of ordinary bytes up to `$`, `%` or one of
    /// `stops` (UTF-8 continues unbroken).
    fn template_text(
        &mut self,
        lit: &mut String,
        parts: &mut Vec<Part>,
        stops: &[u8],
    ) -> Option<bool> {
        if self.starts(b"$${") || self.starts(b"%%{") {
            lit.push_str(if self.starts(b"$") { "${" } else { "%{" });
            self.i += 3;
        } else if self.starts(b"%{") {
            return None;
        } else if self.starts(b"${") {
            let e = self.interpolation()?;
            if !lit.is_empty() {
                parts.push(Part::Lit(crate::syntax::lit(lit)));
                lit.clear();
            }
            parts.push(Part::Interp(Box::new(e)));
            return Some(true);
        } else {
            let from = self.i;
            while let Some(c) = self.peek() {
                if matches!(c, b'$' | b'%') || stops.contains(&c) {
                    break;
                }
                self.i += 1;
            }
            if self.i == from {
                self.i += 1;
            }
            lit.push_str(self.text.get(from..self.i)?);
        }
        Some(false)
    }

    /// `${ expr }`, standing on the `$`.
    fn interpolation(&mut self) -> Option<Expr> {
        self.i += 2;
        if self.peek() == Some(b'~') {
            return None;
        }
        self.enter()?;
        self.ws(Lines::Free)?;
        let e = self.expr(Lines::Free)?;
        self.ws(Lines::Free)?;
        if self.peek() == Some(b'~') || !self.eat(b'}') {
            return None;
        }
        self.leave();
        Some(e)
    }

    /// `\\uXXXX` / `\\UXXXXXXXX`, standing on the `u`; leaves the parser on the last digit.
    fn hex_escape(&mut self, digits: usize) -> Option<char> {
        let hex = self.text.get(self.i + 1..self.i + 1 + digits)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
        self.i += digits;
        Some(c)
    }
}

/// hcl-edit's heredoc dedent (`Template::dedent`), on the parts: the smallest leading
/// whitespace of the lines that start inside literals is removed from each, unless an
/// interpolation starts a line.
fn dedent(parts: &mut [Part]) {
    let mut indent: Option<usize> = None;
    let mut skip_first = false;
    for part in parts.iter() {
        match part {
            Part::Lit(l) => {
                if let Some(ws) = min_leading_whitespace(l, skip_first) {
                    indent = Some(indent.map_or(ws, |i| i.min(ws)));
                }
                skip_first = !l.ends_with('\n');
            }
            _ if !skip_first => return,
            _ => {}
        }
    }
    let Some(n) = indent else { return };
    skip_first = false;
    for part in parts.iter_mut() {
        match part {
            Part::Lit(l) => {
                *l = crate::syntax::lit(&dedent_by(l, n, skip_first));
                skip_first = !l.ends_with('\n');
            }
            _ if !skip_first => skip_first = true,
            _ => {}
        }
    }
}

fn min_leading_whitespace(s: &str, skip_first: bool) -> Option<usize> {
    let mut least: Option<usize> = None;
    for (i, line) in s.lines().enumerate() {
        if (i == 0 && skip_first) || line.is_empty() {
            continue;
        }
        let ws = line.chars().take_while(|c| c.is_whitespace()).count();
        if ws == 0 {
            // As hcl-edit: a line without indentation ends the search for this literal.
            return None;
        }
        least = Some(least.map_or(ws, |l| l.min(ws)));
    }
    least
}

fn dedent_by(s: &str, n: usize, skip_first: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i == 0 && skip_first {
            out.push_str(line);
        } else if !line.is_empty() {
            out.extend(line.chars().skip(n));
        }
        out.push('\n');
    }
    if out.ends_with('\n') && !s.ends_with('\n') {
        out.pop();
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq | BinaryOp::NotEq => 3,
        BinaryOp::Less | BinaryOp::Greater | BinaryOp::LessEq | BinaryOp::GreaterEq => 4,
        BinaryOp::Plus | BinaryOp::Minus => 5,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 6,
    }
}

/// Folds operands and operators into a left-associative tree by precedence (a shunting
/// yard over the flat chain). Spans run from a left operand's start to a right one's end.
fn fold(operands: Vec<(Expr, usize, usize)>, ops: Vec<BinaryOp>) -> (Expr, usize) {
    let mut values: Vec<(Expr, usize, usize)> = Vec::with_capacity(operands.len());
    let mut pending: Vec<BinaryOp> = Vec::with_capacity(ops.len());
    let reduce = |values: &mut Vec<(Expr, usize, usize)>, op: BinaryOp| {
        if let (Some(r), Some(l)) = (values.pop(), values.pop()) {
            let (start, end) = (l.1, r.2);
            values.push((
                Expr {
                    kind: ExprKind::Binary(op, Box::new([l.0, r.0])),
                    span: Span::new(start, end),
                },
                start,
                end,
            ));
        }
    };
    let mut operands = operands.into_iter();
    if let Some(first) = operands.next() {
        values.push(first);
    }
    for (op, operand) in ops.into_iter().zip(operands) {
        while let Some(&top) = pending.last() {
            if precedence(top) >= precedence(op) {
                pending.pop();
                reduce(&mut values, top);
            } else {
                break;
            }
        }
        pending.push(op);
        values.push(operand);
    }
    while let Some(op) = pending.pop() {
        reduce(&mut values, op);
    }
    match values.pop() {
        Some((e, start, _)) => (e, start),
        None => (Expr::unknown(Span::new(0, 0)), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::compare_parsers;

    /// Read by the direct parser, with the very tree hcl-edit and the converter build.
    fn agrees(text: &str) {
        match compare_parsers(text) {
            Some(Ok(())) => {}
            None => panic!(
                "the direct parser gave way at {:?} on {text:?}",
                gives_way_at(text)
            ),
            Some(Err((fast, full))) => panic!("{text:?}\ndirect: {fast}\nhcl-edit: {full}"),
        }
    }

    /// Left to hcl-edit (never read differently).
    fn gives_way(text: &str) {
        assert!(parse_body(text).is_none(), "expected to give way: {text:?}");
    }

    #[test]
    fn expressions_read_as_hcl_edit_reads_them() {
        for e in [
            "-1",
            "- 1",
            "-1.5",
            "-1e2",
            "-a",
            "-x.y",
            "-(1)",
            "1 - -1",
            "[-1, - 2]",
            "!true",
            "!a.b",
            "1e3",
            "10",
            "0.5",
            "null",
            "true",
            "false",
            "x.0.y",
            "x.y.10",
            "x[*].y",
            "x.*.y",
            "x[0][1]",
            "x[\"k\"].y",
            "(a)",
            "(a).b",
            "{ k: 1, \"q\": 2 }",
            "f(x).y[0]",
            "[a,b,]",
            "f(a,b,)",
            "f()",
            "f(x...)",
            "f(x, y...)",
            "provider::aws::arn_parse(x)",
            "a ? b : c ? d : e",
            "1 + 2 * 3 - 4 / 5 % 6",
            "a || b && c == d != e < f > g <= h >= i",
            "(a + b) * c",
            "a ? [1] : {}",
            "[\n  1\n  + 2\n]",
            "f(a\n ? 1 : 2 )",
            "[for k, v in x :\n v\n if k != \"\" ]",
            "[for x in xs : upper(x)]",
            "{ for k, v in x : k => v... }",
            "{ for k, v in x : k => v... if v }",
            "{ for k, v in x :\n k => v\n if k != \"\" }",
            "{\n for k, v in x :\n  k => {\n    a = 1\n  }\n}",
            "{ a = 1, b = 2 }",
            "{\n  a = 1, b = 2\n  c = 3\n}",
            "{\n  \"q\" : 0,\n}",
            "{ \"a\" = 1, \"${x}\" = 2, (y) = 3, aws.x = aws.y, a.b[0] = 1 }",
            "{\n  true = 1\n  null = 2\n}",
            "{}",
            "[]",
            "\"\"",
            // Plain strings take a shortcut; these stop it at each of its stop bytes.
            "\"us-east-1\"",
            "\"caf\u{e9}\"",
            "\"cost $5\"",
            "\"100%\"",
            "\"a\\\"b\"",
            "\"a$${b}\"",
            "\"%%{x}\"",
            "\"${x}\"",
            "\"a${x}b\"",
            "\"x\\ty\\n\\\"\\\\\"",
            "\"\\u00e9 \\U0001F600\"",
            "\"caf\u{e9} ${var.x}\"",
            "<<EOF\nhello\nEOF",
            "<<-EOF\n   hello\n     world\n   EOF",
            "<<-EOF\n   hello ${x}\n     ${y} world\n   EOF",
            "<<EOF\n  x\n  y\nEOF",
            "<<EOT\n${x}\nEOT",
            "<<EOT\na $${x} %%{y}\nEOT",
            "<<EOT\n\n  a\n\n  b\nEOT",
            "<<-EOT\n\tx\n\t  y\n\tEOT",
            "<<EOF\nEOFX\nEOF",
            "jsonencode(<<EOF\nx\nEOF\n)",
        ] {
            agrees(&format!("a = {e}\n"));
        }
    }

    #[test]
    fn bodies_read_as_hcl_edit_reads_them() {
        for text in [
            "",
            "\n\n# only a comment\n",
            "b \"x\" {\n}\n",
            "b x \"y\" { a = 1 }\n",
            "b { a = 1 }",
            "b {}\n",
            "resource \"aws_s3_bucket\" \"logs\" { # trailing comment\n  bucket = \"x\" // two\n  /* three */\n  tags = {\n    Name = \"logs\" # four\n  }\n}\n",
            "terraform {\n  backend \"s3\" {\n    key = \"a/b\"\n  }\n}\nlocals {\n  x = 1\n}\n",
            "a = 1 # note\r\nb = 2 /* x */\r\n",
            "a = \"x\" \r\nb {\r\n  c = [\r\n    1,\r\n  ]\r\n}\r\n",
            "b {\n  c = <<-EOF\n    {\n      \"a\": \"${var.x}\"\n    }\n  EOF\n}\n",
        ] {
            agrees(text);
        }
    }

    #[test]
    fn uncertain_or_invalid_input_is_left_to_hcl_edit() {
        for text in [
            // Errors: hcl-edit reports them, with its positions.
            "a = \n",
            "a = [1, 2\n",
            "a = \"open\n",
            "b {\n  a = 1 }\n",
            "b { a = 1\n  c = 2\n}\n",
            "a = {\n  k = 1\n  k = 2\n}\n",
            "a = { for k, v in x : k => v\n ? 1 : 2 }\n",
            // A redefined attribute (found by fuzzing), short and long bodies.
            "key = \"a\"\nb {}\nkey = \"b\"\n",
            "b \"l\" {\n  key = 1\n  region = 2\n  key = 3\n}\n",
            // Found by fuzzing: a lone carriage return, negative zero, an infinite literal.
            "a = -0\r\n",
            "a = -0.0\n",
            "a = 3e33333\n",
            "inputs = {\n  name := \"experiments\"\n}\n",
            "a = x.007\n",
            "r {\n  feature_set \r\r= \"ALL\"\n}\n",
            &format!(
                "{}v0 = 0\n",
                (0..40).map(|i| format!("v{i} = {i}\n")).collect::<String>()
            ),
            "a = 1 +\n 2\n",
            "a = b\n ? 1 : 2\n",
            "a = \"\\q\"\n",
            "/* open",
            // Readings this parser does not reproduce.
            "a = \"%{ if x }y%{ endif }\"\n",
            "a = \"${~ x ~}\"\n",
            "a = <<EOF\nEOF\n",
            "na\u{ef}ve = 1\n",
            "a = x .y\n",
            "a = !!x\n",
            "a = f(x, y ... )\n",
            "a = <<EOF\r\nx\r\nEOF\r\n",
        ] {
            gives_way(text);
        }
    }

    #[test]
    fn deep_nesting_and_long_chains_are_left_to_hcl_edit() {
        let deep = format!("a = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
        gives_way(&deep);
        let chain = format!("a = {}1\n", "1 + ".repeat(10_000));
        gives_way(&chain);
        let blocks = format!("{}{}", "b {\n".repeat(10_000), "}\n".repeat(10_000));
        gives_way(&blocks);
    }
}
