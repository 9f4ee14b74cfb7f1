//! `taxonomy { ... }` in `.stacklint.hcl`, and the built-in table `rules/taxonomy.hcl`,
//! which share one grammar:
//!
//! ```hcl
//! taxonomy {
//!   class "acme-queues" {             # a name, for messages and precedence ties
//!     domain    = "messaging"         # see `Domain`
//!     lifecycle = "persistent"        # persistent | foundation | ephemeral | config
//!     scaling   = "none"              # elastic | singleton-global | none (default)
//!     scope     = "account"           # singleton-global only: global | account | region
//!     types     = ["acme_queue", "acme_stream_*"]   # globs over resource types
//!   }
//!   fallback "acme-fragments" { ... } # consulted only when no class matches
//!   scale_variables = ["*count*", "*shards*"]       # replaces the built-in list
//!   builtin = true                    # false: use only the classes written here
//! }
//! ```
//!
//! Every mistake is an error with a span: unknown keys, unknown values (with a
//! suggestion), invalid globs, empty type lists, `scope` on a class that is not a
//! singleton, duplicate class names.

use super::{ConfigError, Ctx};
use crate::model::taxonomy::{Class, Domain, Lifecycle, Scaling, Scope};
use crate::syntax::{Attr, Block, Body, ExprKind};
use globset::Glob;
use std::collections::BTreeSet;

/// At most this many patterns one `{a,b}` glob may expand to.
const MAX_EXPANSION: usize = 256;
/// Longest glob accepted (resource type names are far shorter).
const MAX_PATTERN_LEN: usize = 200;

#[derive(Debug, Clone)]
pub struct ClassSpec {
    pub name: String,
    pub domain: Domain,
    pub lifecycle: Lifecycle,
    pub scaling: Scaling,
    pub scope: Option<Scope>,
    /// Globs with `{a,b}` alternatives expanded, so each has an exact specificity.
    pub patterns: Vec<String>,
    pub fallback: bool,
}

impl ClassSpec {
    pub fn class(&self) -> Class {
        Class {
            domain: self.domain,
            lifecycle: self.lifecycle,
            scaling: self.scaling,
            scope: self.scope,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TaxonomyConfig {
    pub classes: Vec<ClassSpec>,
    /// Replaces the built-in scale-knob patterns when set.
    pub scale_variables: Option<Vec<String>>,
    /// Use the built-in table under these classes (default true).
    pub use_builtin: bool,
    /// A `taxonomy` block was read (a second one is an error).
    pub seen: bool,
}

impl Default for TaxonomyConfig {
    fn default() -> Self {
        TaxonomyConfig {
            classes: Vec::new(),
            scale_variables: None,
            use_builtin: true,
            seen: false,
        }
    }
}

/// Reads the `taxonomy { }` block of `.stacklint.hcl`.
pub fn parse_block(cx: &Ctx, b: &Block, c: &mut TaxonomyConfig) -> Result<(), Box<ConfigError>> {
    if c.seen {
        return Err(cx.err(
            b.head,
            "only one `taxonomy` block is allowed",
            "second taxonomy block",
        ));
    }
    if !b.labels.is_empty() {
        return Err(cx.err(
            b.head,
            "a `taxonomy` block takes no label",
            "write `taxonomy { ... }`",
        ));
    }
    c.seen = true;
    parse_body(cx, &b.body, c, true)
}

/// Parses the embedded table (the same grammar, at top level).
pub fn parse_builtin(text: &str) -> Result<TaxonomyConfig, Box<ConfigError>> {
    let cx = Ctx {
        name: "rules/taxonomy.hcl",
        text,
    };
    let body = crate::parse::parse_body_str(text).map_err(|(offset, msg)| {
        cx.err(
            crate::source::Span::new(offset as usize, offset as usize + 1),
            format!("rules/taxonomy.hcl is not valid HCL: {msg}"),
            "here",
        )
    })?;
    let mut c = TaxonomyConfig::default();
    parse_body(&cx, &body, &mut c, false)?;
    Ok(c)
}

/// Reads the embedded table as build.rs prepared it (its HCL parsed at build time into a
/// generic JSON body): the same checks as [`parse_builtin`], without parsing 62 KB of HCL
/// at every start. Errors carry no position; the HCL itself is checked by tests.
pub fn parse_prepared(json: &str) -> Result<TaxonomyConfig, Box<ConfigError>> {
    let cx = Ctx {
        name: "rules/taxonomy.hcl",
        text: "",
    };
    let here = crate::source::Span::new(0, 0);
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        cx.err(
            here,
            format!("the prepared taxonomy is not JSON: {e}"),
            "here",
        )
    })?;
    let mut c = TaxonomyConfig::default();
    parse_body(&cx, &prepared_body(&value), &mut c, false)?;
    Ok(c)
}

/// A body of build.rs's JSON form: `{"a": [[name, value]], "b": [[kind, [labels], body]]}`.
fn prepared_body(v: &serde_json::Value) -> Body {
    use crate::syntax::{ident, Attr, Expr, Parts};
    use serde_json::Value as J;
    let here = crate::source::Span::new(0, 0);
    fn expr(v: &J, span: crate::source::Span) -> Expr {
        let kind = match v {
            J::Bool(b) => ExprKind::Bool(*b),
            J::Number(n) => ExprKind::Number(n.as_f64().unwrap_or(0.0)),
            J::String(s) => ExprKind::Template(Parts::lit(s)),
            J::Array(items) => ExprKind::Array(items.iter().map(|x| expr(x, span)).collect()),
            _ => ExprKind::Null,
        };
        Expr { kind, span }
    }
    let none = Vec::new();
    let list = |key: &str| v.get(key).and_then(J::as_array).unwrap_or(&none);
    let attrs = list("a")
        .iter()
        .filter_map(|pair| {
            let name = pair.get(0)?.as_str()?;
            Some(Attr {
                name: ident(name),
                span: here,
                expr: expr(pair.get(1)?, here),
            })
        })
        .collect();
    let blocks = list("b")
        .iter()
        .filter_map(|triple| {
            let labels = triple.get(1)?.as_array()?;
            Some(Block {
                kind: ident(triple.get(0)?.as_str()?),
                labels: labels
                    .iter()
                    .filter_map(J::as_str)
                    .map(Into::into)
                    .collect(),
                span: here,
                head: here,
                body: prepared_body(triple.get(2)?),
            })
        })
        .collect();
    Body::new(attrs, blocks)
}

fn parse_body(
    cx: &Ctx,
    body: &Body,
    c: &mut TaxonomyConfig,
    in_config: bool,
) -> Result<(), Box<ConfigError>> {
    for a in &body.attrs {
        match &*a.name {
            "scale_variables" => c.scale_variables = Some(cx.string_list(a)?),
            "builtin" if in_config => c.use_builtin = cx.bool(a)?,
            other => {
                return Err(cx.err_help(
                    a.span,
                    format!("unknown setting `{other}` in taxonomy"),
                    "not a taxonomy setting",
                    "a taxonomy holds `class \"name\" {...}` and `fallback \"name\" {...}` blocks and the settings `scale_variables` and `builtin`",
                ))
            }
        }
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    for nb in &body.blocks {
        let fallback = match &*nb.kind {
            "class" => false,
            "fallback" => true,
            other => {
                return Err(cx.err_help(
                    nb.head,
                    format!("unexpected block `{other}` in taxonomy"),
                    "not a taxonomy block",
                    "use `class \"name\" { ... }` or `fallback \"name\" { ... }`",
                ))
            }
        };
        let spec = class_block(cx, nb, fallback)?;
        if !names.insert(spec.name.clone()) {
            return Err(cx.err(
                nb.head,
                format!("taxonomy class `{}` is defined twice", spec.name),
                "duplicate name",
            ));
        }
        c.classes.push(spec);
    }
    Ok(())
}

fn enum_value<T>(
    cx: &Ctx,
    a: &Attr,
    parse: impl Fn(&str) -> Option<T>,
    names: &[&'static str],
) -> Result<T, Box<ConfigError>> {
    let v = cx.string(a)?;
    parse(&v).ok_or_else(|| {
        let hint = crate::suggest::closest(&v, names.iter().copied())
            .map(|s| format!("did you mean \"{s}\"? "))
            .unwrap_or_default();
        cx.err_help(
            a.expr.span,
            format!("unknown {} {v:?}", a.name),
            format!("not a {}", a.name),
            format!("{hint}one of: {}", names.join(", ")),
        )
    })
}

fn class_block(cx: &Ctx, b: &Block, fallback: bool) -> Result<ClassSpec, Box<ConfigError>> {
    let kind = if fallback { "fallback" } else { "class" };
    let name = match &b.labels[..] {
        [one] => one.to_string(),
        _ => {
            return Err(cx.err(
                b.head,
                format!("a `{kind}` block needs exactly one label, its name"),
                format!("e.g. {kind} \"acme-queues\" {{ ... }}"),
            ))
        }
    };
    if let Some(nb) = b.body.blocks.first() {
        return Err(cx.err(
            nb.head,
            format!("unexpected block `{}` in {kind} `{name}`", nb.kind),
            "classes hold settings only",
        ));
    }
    let (mut domain, mut lifecycle, mut scaling, mut scope, mut types) =
        (None, None, Scaling::None, None, None);
    let mut scope_attr: Option<&Attr> = None;
    for a in &b.body.attrs {
        match &*a.name {
            "domain" => domain = Some(enum_value(cx, a, Domain::parse, &Domain::names())?),
            "lifecycle" => {
                lifecycle = Some(enum_value(cx, a, Lifecycle::parse, &Lifecycle::names())?)
            }
            "scaling" => scaling = enum_value(cx, a, Scaling::parse, &Scaling::names())?,
            "scope" => {
                scope = Some(enum_value(cx, a, Scope::parse, &Scope::names())?);
                scope_attr = Some(a);
            }
            "types" => types = Some(type_patterns(cx, a)?),
            other => {
                return Err(cx.err_help(
                    a.span,
                    format!("unknown setting `{other}` in {kind} `{name}`"),
                    "not a class setting",
                    "a class has domain, lifecycle, scaling, scope and types",
                ))
            }
        }
    }
    let missing = |what: &str| {
        cx.err(
            b.head,
            format!("{kind} `{name}` needs `{what}`"),
            format!("missing {what}"),
        )
    };
    let domain = domain.ok_or_else(|| missing("domain"))?;
    let lifecycle = lifecycle.ok_or_else(|| missing("lifecycle"))?;
    let patterns = types.ok_or_else(|| missing("types"))?;
    if let (Some(a), true) = (scope_attr, scaling != Scaling::SingletonGlobal) {
        return Err(cx.err(
            a.span,
            format!("`scope` applies only to singleton-global classes (`{name}` is not)"),
            "remove scope or set scaling = \"singleton-global\"",
        ));
    }
    if scaling == Scaling::SingletonGlobal && scope.is_none() {
        scope = Some(Scope::Account);
    }
    Ok(ClassSpec {
        name,
        domain,
        lifecycle,
        scaling,
        scope,
        patterns,
        fallback,
    })
}

fn type_patterns(cx: &Ctx, a: &Attr) -> Result<Vec<String>, Box<ConfigError>> {
    let ExprKind::Array(items) = &a.expr.kind else {
        return Err(cx.err(
            a.expr.span,
            "`types` must be a list of globs",
            "expected [\"aws_vpc\", \"aws_subnet*\", ...]",
        ));
    };
    if items.is_empty() {
        return Err(cx.err(a.expr.span, "`types` is empty", "list at least one type"));
    }
    let mut out = Vec::new();
    for item in items {
        let Some(p) = item.as_literal_str() else {
            return Err(cx.err(
                item.span,
                "each entry of `types` must be a quoted glob",
                "expected a string",
            ));
        };
        if p.len() > MAX_PATTERN_LEN || p.matches('{').count() > 8 {
            return Err(cx.err(
                item.span,
                format!("glob {p:?} is too long or has too many `{{...}}` groups"),
                "at most 200 characters and 8 groups",
            ));
        }
        let expanded = expand_braces(p).filter(|v| v.len() <= MAX_EXPANSION);
        let Some(expanded) = expanded else {
            return Err(cx.err(
                item.span,
                format!("glob {p:?} has unbalanced or too many `{{...}}` alternatives"),
                "invalid glob",
            ));
        };
        for e in expanded {
            if e.is_empty() || e.chars().any(|c| c.is_whitespace() || c == '/') {
                return Err(cx.err(
                    item.span,
                    format!("{p:?} cannot match a resource type"),
                    "resource types have no spaces or slashes",
                ));
            }
            // A name with only `*` and `?` wildcards is always a valid glob: building one
            // just to check it cost 80% of reading the built-in table.
            if !plain_glob(&e) {
                Glob::new(&e).map_err(|err| {
                    cx.err(
                        item.span,
                        format!("invalid glob {p:?}: {err}"),
                        "invalid glob",
                    )
                })?;
            }
            out.push(e);
        }
    }
    Ok(out)
}

/// Letters, digits, `_`, `-`, `.` and lone `*`/`?` wildcards: nothing globset could reject.
fn plain_glob(p: &str) -> bool {
    !p.contains("**")
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'*' | b'?'))
}

/// Expands `a{b,c}d` into `abd`, `acd` (nested braces too); `None` when unbalanced or
/// when the expansion grows past the limit.
fn expand_braces(p: &str) -> Option<Vec<String>> {
    let Some(open) = p.find('{') else {
        return (!p.contains('}')).then(|| vec![p.to_string()]);
    };
    let mut depth = 0usize;
    let mut close = None;
    let mut splits = Vec::new();
    for (i, c) in p.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => splits.push(i),
            _ => {}
        }
    }
    let close = close?;
    let (head, tail) = (&p[..open], &p[close + 1..]);
    let mut bounds = vec![open];
    bounds.extend(splits);
    bounds.push(close);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let alt = &p[w[0] + 1..w[1]];
        for rest in expand_braces(&format!("{head}{alt}{tail}"))? {
            out.push(rest);
            if out.len() > MAX_EXPANSION {
                return None;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_type_names_skip_the_glob_check_and_are_valid_globs() {
        for p in [
            "aws_vpc",
            "aws_*",
            "google_compute_?",
            "azurerm_lb*rule",
            "a.b-c",
        ] {
            assert!(plain_glob(p), "{p}");
            assert!(Glob::new(p).is_ok(), "{p}");
        }
        // Anything else still goes through globset, which rejects some of it.
        for p in ["aws_**", "aws_[", "aws_\\", "a[b-c]", "a{b}"] {
            assert!(!plain_glob(p), "{p}");
        }
        assert!(Glob::new("aws_[").is_err());
    }
    use crate::config::parse_config;

    #[test]
    fn braces_expand() {
        assert_eq!(
            expand_braces("aws_{vpc,subnet}_x"),
            Some(vec!["aws_vpc_x".to_string(), "aws_subnet_x".to_string()])
        );
        assert_eq!(
            expand_braces("a{b,c{d,e}}"),
            Some(vec!["ab".into(), "acd".into(), "ace".into()])
        );
        assert_eq!(expand_braces("a{b"), None);
        assert_eq!(expand_braces("a}b"), None);
    }

    #[test]
    fn a_valid_block_parses() {
        let c = parse_config(
            "t.hcl",
            r#"
taxonomy {
  builtin = false
  scale_variables = ["*shards*"]
  class "acme" {
    domain    = "messaging"
    lifecycle = "persistent"
    types     = ["acme_{queue,stream}"]
  }
  fallback "acme-orgs" {
    domain    = "identity"
    lifecycle = "config"
    scaling   = "singleton-global"
    scope     = "global"
    types     = ["*_org_*"]
  }
}
"#,
        )
        .expect("parses");
        let t = &c.taxonomy;
        assert!(!t.use_builtin);
        assert_eq!(t.classes.len(), 2);
        assert_eq!(t.classes[0].patterns, vec!["acme_queue", "acme_stream"]);
        assert!(t.classes[1].fallback);
        assert_eq!(t.classes[1].scope, Some(Scope::Global));
    }

    fn error_of(text: &str) -> (String, String) {
        let e = parse_config("t.hcl", text).expect_err("must fail");
        let at = &text[e.span.offset()..e.span.offset() + e.span.len()];
        (e.message.clone(), at.to_string())
    }

    #[test]
    fn mistakes_are_errors_pointing_at_the_culprit() {
        let (m, at) = error_of(
            "taxonomy {\n  class \"q\" {\n    domain = \"mesaging\"\n    lifecycle = \"config\"\n    types = [\"x\"]\n  }\n}\n",
        );
        assert_eq!(m, "unknown domain \"mesaging\"");
        assert_eq!(at, "\"mesaging\"");

        let (m, at) = error_of(
            "taxonomy {\n  class \"q\" {\n    domain = \"dns\"\n    lifecycle = \"config\"\n    types = [\"ok_*\", \"bad[\"]\n  }\n}\n",
        );
        assert!(m.starts_with("invalid glob \"bad[\""), "{m}");
        assert_eq!(at, "\"bad[\"");

        let (m, _) = error_of(
            "taxonomy {\n  class \"q\" {\n    domain = \"dns\"\n    types = [\"x\"]\n  }\n}\n",
        );
        assert_eq!(m, "class `q` needs `lifecycle`");

        let (m, at) = error_of(
            "taxonomy {\n  class \"q\" {\n    domain = \"dns\"\n    lifecycle = \"config\"\n    scope = \"global\"\n    types = [\"x\"]\n  }\n}\n",
        );
        assert!(m.starts_with("`scope` applies only"), "{m}");
        assert!(at.starts_with("scope"));

        let (m, _) = error_of("taxonomy {\n  colour = \"red\"\n}\n");
        assert_eq!(m, "unknown setting `colour` in taxonomy");

        let (m, _) = error_of("taxonomy {\n  class \"q\" {\n    domain = \"dns\"\n    lifecycle = \"config\"\n    types = []\n  }\n}\n");
        assert_eq!(m, "`types` is empty");

        let long = format!(
            "taxonomy {{\n  class \"q\" {{\n    domain = \"dns\"\n    lifecycle = \"config\"\n    types = [\"{}\"]\n  }}\n}}\n",
            "{a,b}".repeat(40)
        );
        let (m, _) = error_of(&long);
        assert!(m.contains("too many `{...}` groups"), "{m}");

        let (m, _) = error_of("taxonomy {}\ntaxonomy {}\n");
        assert_eq!(m, "only one `taxonomy` block is allowed");

        let (m, _) = error_of("taxonomy {\n  class \"a\" {\n    domain = \"dns\"\n    lifecycle = \"config\"\n    types = [\"x\"]\n  }\n  class \"a\" {\n    domain = \"dns\"\n    lifecycle = \"config\"\n    types = [\"y\"]\n  }\n}\n");
        assert_eq!(m, "taxonomy class `a` is defined twice");
    }
}
