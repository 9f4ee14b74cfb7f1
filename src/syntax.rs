//! stacklint's own syntax types: a compact, owned summary of an HCL (or Terraform JSON)
//! file. The direct parser builds these; hcl-edit's trees, where it is used, are converted
//! into them inside the parse worker and dropped, so no model or rule code sees parser
//! types and memory stays a small multiple of the source size.

use crate::source::Span;

/// An identifier (attribute name, block type, traversal step, variable, function
/// name). Identifiers repeat endlessly across a tree (`name`, `tags`, `aws_s3_bucket`),
/// so they are interned per parse thread and shared: see [`ident`]. A thin pointer (8
/// bytes, the length lives with the text) rather than `Arc<str>` (16): an identifier
/// sits in every attribute, block and traversal step, half a million of each on a
/// 10,000-stack tree.
pub type Ident = arcstr::ArcStr;

thread_local! {
    static IDENTS: std::cell::RefCell<foldhash::HashSet<Ident>> =
        std::cell::RefCell::new(<foldhash::HashSet<_> as foldhash::HashSetExt>::new());
}

/// Most distinct identifiers a parse thread keeps for sharing; past that, new ones are
/// allocated on their own (bounded memory on hostile input).
const MAX_INTERNED: usize = 64 * 1024;

/// The shared copy of an identifier.
pub fn ident(s: &str) -> Ident {
    IDENTS.with(|set| {
        let mut set = set.borrow_mut();
        if let Some(found) = set.get(s) {
            return found.clone();
        }
        let new = Ident::from(s);
        if set.len() < MAX_INTERNED {
            set.insert(new.clone());
        }
        new
    })
}

/// The text of a string literal, shared like an [`Ident`]: literals repeat across a
/// tree nearly as much as identifiers (tag keys and values, regions, CIDRs, policy
/// actions). On 10,000 stacks 363,094 literals are 47,889 distinct texts; shared, they
/// take ~1.9 MB where a copy each took ~5.7.
pub type Lit = arcstr::ArcStr;

thread_local! {
    static LITS: std::cell::RefCell<foldhash::HashSet<Lit>> =
        std::cell::RefCell::new(<foldhash::HashSet<_> as foldhash::HashSetExt>::new());
}

/// The shared copy of a literal's text (bounded like [`ident`]: past
/// [`MAX_INTERNED`] distinct texts, new ones are allocated on their own).
pub fn lit(s: &str) -> Lit {
    LITS.with(|set| {
        let mut set = set.borrow_mut();
        if let Some(found) = set.get(s) {
            return found.clone();
        }
        let new = Lit::from(s);
        if set.len() < MAX_INTERNED {
            set.insert(new.clone());
        }
        new
    })
}

/// Starting room of the work lists that tree walks keep (see [`Expr::walk`]).
const WALK_ROOM: usize = 16;

/// `v` in an allocation of exactly its length. Syntax is kept for the whole run, and
/// `shrink_to_fit` does not give the room back: mimalloc keeps a block that shrinks by
/// less than half in place, so a body of 5 attributes would keep room for 8.
pub fn exact<T>(mut v: Vec<T>) -> Vec<T> {
    if v.capacity() == v.len() {
        return v;
    }
    let mut out = Vec::with_capacity(v.len());
    out.append(&mut v);
    out
}

/// A string built piece by piece, in an allocation of exactly its length (see [`exact`]).
pub fn exact_str(s: String) -> Box<str> {
    if s.capacity() == s.len() {
        s.into_boxed_str()
    } else {
        Box::from(s.as_str())
    }
}

/// The body of a file or block: attributes and nested blocks in source order. Boxed
/// slices, built once by [`Body::new`]: a body is never added to after parsing, and a
/// `Vec`'s capacity word would cost 8 bytes a list in 177,000 blocks of a large tree.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Box<[Attr]>,
    pub blocks: Box<[Block]>,
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Ident,
    /// The whole `name = value` span.
    pub span: Span,
    pub expr: Expr,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: Ident,
    /// Interned: resource types and names repeat across a tree as much as identifiers do.
    pub labels: Box<[Ident]>,
    /// The whole block, from its identifier to its closing brace.
    pub span: Span,
    /// The identifier and labels (`resource "aws_vpc" "main"`): where findings point.
    pub head: Span,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A quoted string, heredoc or template; a plain literal is one `Part::Lit`.
    Template(Parts),
    Array(Box<[Expr]>),
    Object(Box<[(ObjKey, Expr)]>),
    /// A bare identifier: `var`, `local`, `each`, an iterator variable, ...
    Variable(Ident),
    /// A traversal from a bare identifier (`var.region`, `aws_vpc.main.id`, `each.key`),
    /// nearly every traversal in a tree. The identifier is the first step, an
    /// `Op::Attr`, so the whole reference is one allocation of 16 bytes a step: `var.x`
    /// takes 32 bytes where a `Traversal` box and its steps took 64. Built by
    /// [`ExprKind::traversal`]; read through [`Expr::as_traversal`].
    VarTraversal(Box<[Op]>),
    /// A traversal from any other expression (`func(x)[0]`, `(a ? b : c).id`). Boxed
    /// whole, so that no variant is wider than a template's parts and an `Expr` stays 32
    /// bytes (see `syntax_nodes_stay_small`).
    Traversal(Box<Traversal>),
    Call(Box<Call>),
    Conditional(Box<[Expr; 3]>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<[Expr; 2]>),
    For(Box<ForExpr>),
    /// Something we chose not to keep (e.g. an over-deep expression).
    Unknown,
}

#[derive(Debug, Clone)]
pub enum ObjKey {
    /// A bare identifier key (`name = ...`).
    Ident(Ident),
    /// Any other key expression (`"name" = ...`, `(var.k) = ...`).
    Expr(Expr),
}

#[derive(Debug, Clone)]
pub enum Part {
    Lit(Lit),
    /// Boxed so that a `Part` (one per string literal) stays small.
    Interp(Box<Expr>),
    /// A `%{if}` / `%{for}` directive: not evaluated, but its expressions are kept so
    /// references inside it are still seen.
    Directive(Vec<Expr>),
}

/// The parts of a template. Most strings in a tree are one literal, kept inline: a list
/// of its own for each cost an allocation per string literal.
#[derive(Debug, Clone)]
pub enum Parts {
    One(Part),
    Many(Box<[Part]>),
}

impl Parts {
    pub fn lit(s: &str) -> Parts {
        Parts::One(Part::Lit(lit(s)))
    }

    pub fn as_slice(&self) -> &[Part] {
        match self {
            Parts::One(p) => std::slice::from_ref(p),
            Parts::Many(ps) => ps,
        }
    }
}

impl std::ops::Deref for Parts {
    type Target = [Part];
    fn deref(&self) -> &[Part] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Parts {
    type Item = &'a Part;
    type IntoIter = std::slice::Iter<'a, Part>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl From<Vec<Part>> for Parts {
    fn from(mut parts: Vec<Part>) -> Parts {
        match parts.pop() {
            Some(p) if parts.is_empty() => Parts::One(p),
            Some(p) => {
                parts.push(p);
                Parts::Many(exact(parts).into_boxed_slice())
            }
            None => Parts::Many(Box::default()),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Op {
    /// `.name`. No span of its own: locations come from the expression holding the
    /// traversal, and 8 bytes fewer per step makes an `Op` 16 bytes (~430,000 steps on a
    /// 10,000-stack tree).
    Attr(Ident),
    /// Boxed so that an `Op` (one per traversal step) stays small.
    Index(Box<Expr>),
    LegacyIndex(u64),
    AttrSplat,
    FullSplat,
}

/// `root.step[0].step`: the expression steps are taken from, and the steps.
#[derive(Debug, Clone)]
pub struct Traversal {
    pub root: Expr,
    pub ops: Box<[Op]>,
}

/// Where a traversal starts: a bare identifier, or another expression.
#[derive(Debug, Clone, Copy)]
pub enum Root<'a> {
    Var(&'a Ident),
    Expr(&'a Expr),
}

/// A traversal however it is stored: its root and its steps.
#[derive(Debug, Clone, Copy)]
pub struct TraversalRef<'a> {
    pub root: Root<'a>,
    pub ops: &'a [Op],
}

impl ExprKind {
    /// The traversal `root` followed by `ops`, in its compact form when the root is a
    /// bare identifier.
    pub fn traversal(root: Expr, mut ops: Vec<Op>) -> ExprKind {
        match root.kind {
            ExprKind::Variable(name) => {
                ops.insert(0, Op::Attr(name));
                ExprKind::VarTraversal(exact(ops).into_boxed_slice())
            }
            kind => ExprKind::Traversal(Box::new(Traversal {
                root: Expr {
                    kind,
                    span: root.span,
                },
                ops: exact(ops).into_boxed_slice(),
            })),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Call {
    pub name: Ident,
    pub args: Vec<Expr>,
    pub expand_final: bool,
}

#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<Ident>,
    pub value_var: Ident,
    pub collection: Expr,
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    LessEq,
    GreaterEq,
    Less,
    Greater,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

impl Body {
    /// A body of exactly these attributes and blocks (see [`exact`]).
    pub fn new(attrs: Vec<Attr>, blocks: Vec<Block>) -> Body {
        Body {
            attrs: exact(attrs).into_boxed_slice(),
            blocks: exact(blocks).into_boxed_slice(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| &*a.name == name)
    }

    pub fn expr(&self, name: &str) -> Option<&Expr> {
        self.attr(name).map(|a| &a.expr)
    }

    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| &*b.kind == kind)
    }

    pub fn block(&self, kind: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| &*b.kind == kind)
    }
}

impl Block {
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(|l| &**l)
    }
}

impl Expr {
    pub fn unknown(span: Span) -> Expr {
        Expr {
            kind: ExprKind::Unknown,
            span,
        }
    }

    /// The literal string value, when the expression is a plain quoted string.
    pub fn as_literal_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Template(parts) => match parts.as_slice() {
                [Part::Lit(s)] => Some(s),
                [] => Some(""),
                _ => None,
            },
            _ => None,
        }
    }

    /// `a.b.c` as a list of names, when the expression is a plain dotted traversal.
    pub fn as_path(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Variable(v) => Some(vec![v]),
            ExprKind::VarTraversal(_) | ExprKind::Traversal(_) => {
                let t = self.as_traversal()?;
                let mut out = match t.root {
                    Root::Var(v) => vec![&**v],
                    Root::Expr(e) => e.as_path()?,
                };
                for op in t.ops {
                    match op {
                        Op::Attr(name) => out.push(name),
                        _ => return None,
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// The root and steps of a traversal, whichever form it is stored in.
    pub fn as_traversal(&self) -> Option<TraversalRef<'_>> {
        match &self.kind {
            ExprKind::VarTraversal(ops) => match ops.split_first() {
                Some((Op::Attr(root), ops)) => Some(TraversalRef {
                    root: Root::Var(root),
                    ops,
                }),
                // Not built by `ExprKind::traversal`; never produced by the parsers.
                _ => None,
            },
            ExprKind::Traversal(t) => Some(TraversalRef {
                // Only a tree built by hand has a bare identifier here; it reads the same.
                root: match &t.root.kind {
                    ExprKind::Variable(v) => Root::Var(v),
                    _ => Root::Expr(&t.root),
                },
                ops: &t.ops,
            }),
            _ => None,
        }
    }

    /// The entries of an object constructor with their key text (identifier or literal).
    pub fn object_entries(&self) -> Vec<(Option<&str>, &Expr)> {
        match &self.kind {
            ExprKind::Object(items) => items
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjKey::Ident(s) => Some(&**s),
                        ObjKey::Expr(e) => e.as_literal_str().or(
                            // `(name) = ...` keeps a bare identifier.
                            match &e.kind {
                                ExprKind::Variable(v) => Some(&**v),
                                _ => None,
                            },
                        ),
                    };
                    (key, v)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Calls `f` on this expression and every sub-expression, iteratively so that even a
    /// maximally nested expression cannot overflow the stack.
    pub fn walk<'a>(&'a self, mut f: impl FnMut(&'a Expr)) {
        // Most values are single literals: they visit without allocating a stack.
        f(self);
        if self.is_leaf() {
            return;
        }
        // Room for a typical expression up front: growing from empty reallocated three
        // or four times per walk (~3% of a run went to growing these stacks).
        let mut stack: Vec<&'a Expr> = Vec::with_capacity(WALK_ROOM);
        self.push_children(&mut stack);
        while let Some(e) = stack.pop() {
            f(e);
            e.push_children(&mut stack);
        }
    }

    /// No sub-expressions and no reference: a literal.
    fn is_leaf(&self) -> bool {
        match &self.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Unknown => true,
            ExprKind::Template(parts) => parts.as_slice().iter().all(|p| matches!(p, Part::Lit(_))),
            _ => false,
        }
    }

    fn push_children<'a>(&'a self, out: &mut Vec<&'a Expr>) {
        match &self.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::Variable(_)
            | ExprKind::Unknown => {}
            ExprKind::Template(parts) => {
                for p in parts.iter().rev() {
                    match p {
                        Part::Lit(_) => {}
                        Part::Interp(e) => out.push(e),
                        Part::Directive(es) => out.extend(es.iter().rev()),
                    }
                }
            }
            ExprKind::Array(items) => out.extend(items.iter().rev()),
            ExprKind::Object(items) => {
                for (k, v) in items.iter().rev() {
                    out.push(v);
                    if let ObjKey::Expr(k) = k {
                        out.push(k);
                    }
                }
            }
            ExprKind::VarTraversal(ops) => push_indices(ops, out),
            ExprKind::Traversal(t) => {
                push_indices(&t.ops, out);
                out.push(&t.root);
            }
            ExprKind::Call(c) => out.extend(c.args.iter().rev()),
            ExprKind::Conditional(c) => out.extend(c.iter().rev()),
            ExprKind::Unary(_, e) => out.push(e),
            ExprKind::Binary(_, b) => out.extend(b.iter().rev()),
            ExprKind::For(f) => {
                if let Some(c) = &f.cond {
                    out.push(c);
                }
                out.push(&f.value);
                if let Some(k) = &f.key {
                    out.push(k);
                }
                out.push(&f.collection);
            }
        }
    }

    /// Every reference (traversal rooted at a variable, or a bare variable) inside the
    /// expression, outermost first. A traversal's nested index expressions are visited too.
    pub fn references(&self) -> Vec<Reference<'_>> {
        let mut out = Vec::new();
        if self.is_leaf() {
            return out;
        }
        let mut stack: Vec<&Expr> = Vec::with_capacity(WALK_ROOM);
        stack.push(self);
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::VarTraversal(_) | ExprKind::Traversal(_) => match e.as_traversal() {
                    Some(TraversalRef {
                        root: Root::Var(v),
                        ops,
                    }) => {
                        out.push(Reference {
                            root: v,
                            ops,
                            span: e.span,
                        });
                        push_indices(ops, &mut stack);
                    }
                    _ => e.push_children(&mut stack),
                },
                ExprKind::Variable(v) => out.push(Reference {
                    root: v,
                    ops: &[],
                    span: e.span,
                }),
                _ => e.push_children(&mut stack),
            }
        }
        out
    }
}

/// The index expressions among a traversal's steps, last first (for a walk's stack).
fn push_indices<'a>(ops: &'a [Op], out: &mut Vec<&'a Expr>) {
    for op in ops.iter().rev() {
        if let Op::Index(e) = op {
            out.push(e);
        }
    }
}

/// A reference such as `data.terraform_remote_state.net.outputs.vpc_id`.
#[derive(Debug, Clone, Copy)]
pub struct Reference<'a> {
    pub root: &'a str,
    pub ops: &'a [Op],
    pub span: Span,
}

impl<'a> Reference<'a> {
    /// The static name of step `i` (`GetAttr`, or an index by a literal string), if any.
    pub fn name_at(&self, i: usize) -> Option<&'a str> {
        match self.ops.get(i)? {
            Op::Attr(n) => Some(n),
            Op::Index(e) => e.as_literal_str(),
            _ => None,
        }
    }

    /// The leading plain attribute names after the root (`data.aws_vpc.main.id` ->
    /// `["aws_vpc", "main", "id"]`), stopping at the first index or splat.
    pub fn attr_path(&self) -> Vec<&'a str> {
        let mut out = Vec::new();
        for op in self.ops {
            match op {
                Op::Attr(n) => out.push(&**n),
                _ => break,
            }
        }
        out
    }
}

/// Walks every block (recursively, iteratively) and attribute in a body.
pub fn for_each_attr<'a>(body: &'a Body, mut f: impl FnMut(&'a Attr)) {
    let mut stack = Vec::with_capacity(WALK_ROOM);
    stack.push(body);
    while let Some(b) = stack.pop() {
        for a in &b.attrs {
            f(a);
        }
        for blk in b.blocks.iter().rev() {
            stack.push(&blk.body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Syntax nodes are kept for the whole run, one per expression of the tree: a field
    /// that grows one of them grows memory on a large tree by megabytes.
    #[test]
    fn syntax_nodes_stay_small() {
        use std::mem::size_of;
        assert!(
            size_of::<Expr>() <= 32,
            "Expr is {} bytes",
            size_of::<Expr>()
        );
        assert!(size_of::<Op>() <= 16, "Op is {} bytes", size_of::<Op>());
        // One literal inline, no larger than the list it replaces.
        assert!(size_of::<Parts>() <= size_of::<Vec<Part>>());
        assert!(
            size_of::<Ident>() <= 8,
            "Ident is {} bytes",
            size_of::<Ident>()
        );
        assert!(
            size_of::<Attr>() <= 48,
            "Attr is {} bytes",
            size_of::<Attr>()
        );
        assert!(
            size_of::<Block>() <= 96,
            "Block is {} bytes",
            size_of::<Block>()
        );
    }

    #[test]
    fn a_traversal_from_an_identifier_is_one_list_of_steps_read_back_whole() {
        let sp = |a, b| Span::new(a, b);
        let var = |n: &str, a, b| Expr {
            kind: ExprKind::Variable(ident(n)),
            span: sp(a, b),
        };
        let index = Op::Index(Box::new(var("k", 16, 17)));
        // `aws_vpc.main[k].id`
        let e = Expr {
            kind: ExprKind::traversal(
                var("aws_vpc", 0, 7),
                vec![Op::Attr(ident("main")), index, Op::Attr(ident("id"))],
            ),
            span: sp(0, 21),
        };
        assert!(matches!(&e.kind, ExprKind::VarTraversal(ops) if ops.len() == 4));
        let t = e.as_traversal().expect("a traversal");
        assert!(matches!(t.root, Root::Var(v) if v == "aws_vpc"));
        assert_eq!(t.ops.len(), 3);
        let refs = e.references();
        let roots: Vec<(&str, Vec<&str>)> = refs.iter().map(|r| (r.root, r.attr_path())).collect();
        // The reference itself, then the one inside its index.
        assert_eq!(roots, [("aws_vpc", vec!["main"]), ("k", vec![])]);
        assert_eq!(refs[0].span, sp(0, 21));
        assert_eq!(e.as_path(), None);

        // `func(x).id` keeps its root expression.
        let call = Expr {
            kind: ExprKind::Call(Box::new(Call {
                name: ident("func"),
                args: vec![var("x", 5, 6)],
                expand_final: false,
            })),
            span: sp(0, 7),
        };
        let e = Expr {
            kind: ExprKind::traversal(call, vec![Op::Attr(ident("id"))]),
            span: sp(0, 10),
        };
        assert!(matches!(&e.kind, ExprKind::Traversal(_)));
        let t = e.as_traversal().expect("a traversal");
        assert!(matches!(t.root, Root::Expr(r) if matches!(&r.kind, ExprKind::Call(_))));
        let roots: Vec<&str> = e.references().iter().map(|r| r.root).collect();
        assert_eq!(roots, ["x"]);

        // A `Traversal` built by hand around a bare identifier reads as the compact form.
        let e = Expr {
            kind: ExprKind::Traversal(Box::new(Traversal {
                root: var("local", 0, 5),
                ops: Box::new([Op::Attr(ident("tags"))]),
            })),
            span: sp(0, 10),
        };
        let refs = e.references();
        assert_eq!(refs.len(), 1);
        assert_eq!((refs[0].root, refs[0].attr_path()), ("local", vec!["tags"]));
        assert_eq!(e.as_path(), Some(vec!["local", "tags"]));

        // `var.a.b` reads back as a dotted path.
        let e = Expr {
            kind: ExprKind::traversal(
                var("var", 0, 3),
                vec![Op::Attr(ident("a")), Op::Attr(ident("b"))],
            ),
            span: sp(0, 7),
        };
        assert_eq!(e.as_path(), Some(vec!["var", "a", "b"]));
    }

    #[test]
    fn exact_keeps_the_items_in_an_allocation_of_their_number() {
        let mut v: Vec<u32> = Vec::with_capacity(8);
        v.extend([3, 1, 2]);
        let e = exact(v);
        assert_eq!((e.as_slice(), e.capacity()), (&[3, 1, 2][..], 3));
        assert_eq!(exact(Vec::<u8>::new()).capacity(), 0);
        let mut s = String::with_capacity(32);
        s.push_str("vpc-0a1b");
        assert_eq!(&*exact_str(s), "vpc-0a1b");
    }

    #[test]
    fn parts_keep_their_order_whatever_their_number() {
        let lit = |s: &str| Part::Lit(s.into());
        let texts = |p: &Parts| -> Vec<String> {
            p.iter()
                .map(|x| match x {
                    Part::Lit(s) => s.to_string(),
                    _ => "?".to_string(),
                })
                .collect()
        };
        assert!(Parts::from(Vec::new()).is_empty());
        assert!(matches!(Parts::from(vec![lit("a")]), Parts::One(_)));
        assert_eq!(texts(&Parts::from(vec![lit("a")])), ["a"]);
        assert_eq!(
            texts(&Parts::from(vec![lit("a"), lit("b"), lit("c")])),
            ["a", "b", "c"]
        );
        assert_eq!(texts(&Parts::lit("x")), ["x"]);
    }
}
