//! Architecture contracts in `.stacklint.hcl`, in the spirit of dependency-cruiser and
//! import-linter, over stack ids:
//!
//! ```hcl
//! layers = ["foundation/**", "platform/**", ["apps/**", "services/**"]]  # lowest first
//!
//! contract "apps-are-independent" {
//!   description = "Apps share nothing but what platform/ provides."
//!   forbid {
//!     from               = ["apps/*/**"]
//!     to                 = ["apps/*/**"]
//!     except_same_parent = true             # apps/shop/api -> apps/shop/db is fine
//!     mechanisms         = ["remote_state"] # optional: only these mechanisms
//!   }
//! }
//!
//! allowed_mechanisms = ["terragrunt_dependency", "parameter_store"]
//! ```
//!
//! Globs match stack ids: `*` stays within one path segment, `**` crosses segments,
//! and `dir/**` also matches `dir` itself. Everything is validated strictly: unknown
//! keys, empty lists, bad globs and unknown mechanisms are errors with a span.

use super::{ConfigError, Ctx};
use crate::discover::FileKind;
use crate::link::Mechanism;
use crate::model::Workspace;
use crate::parse::ParsedFile;
use crate::source::{FileId, LineIndex, Span};
use crate::syntax::{Attr, Block, Expr, ExprKind};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default)]
pub struct Contracts {
    /// Lowest layer first.
    pub layers: Vec<Layer>,
    pub contracts: Vec<Contract>,
    pub allowed_mechanisms: Option<Allowed>,
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub globs: Globs,
}

#[derive(Debug, Clone)]
pub struct Contract {
    pub name: String,
    pub description: Option<String>,
    pub forbids: Vec<Forbid>,
    pub head: Span,
}

#[derive(Debug, Clone)]
pub struct Forbid {
    pub from: Globs,
    pub to: Globs,
    /// `None`: every mechanism.
    pub mechanisms: Option<BTreeSet<Mechanism>>,
    pub except_same_parent: bool,
    pub head: Span,
}

#[derive(Debug, Clone)]
pub struct Allowed {
    pub mechanisms: BTreeSet<Mechanism>,
    pub span: Span,
}

/// Globs over stack ids, each with its span in the config file.
#[derive(Debug, Clone)]
pub struct Globs {
    pub items: Vec<GlobItem>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct GlobItem {
    pub pattern: String,
    pub span: Span,
    matcher: GlobMatcher,
    /// The pattern without its trailing `/**`: matches the directory itself, and
    /// decides a stack's group for `except_same_parent`.
    base: Option<GlobMatcher>,
}

impl GlobItem {
    pub fn matches(&self, id: &str) -> bool {
        self.matcher.is_match(id) || self.base.as_ref().is_some_and(|b| b.is_match(id))
    }

    /// The directory the pattern matched before its trailing `/**` (`apps/shop` for
    /// `apps/*/**` and `apps/shop/api`), else the stack's parent directory.
    pub fn group(&self, id: &str) -> String {
        if let Some(base) = &self.base {
            let segs: Vec<&str> = id.split('/').collect();
            for k in 1..=segs.len() {
                let prefix = segs[..k].join("/");
                if base.is_match(&prefix) {
                    return prefix;
                }
            }
        }
        crate::model::paths::parent(id)
    }
}

impl Globs {
    /// The first glob that matches a stack id.
    pub fn matching(&self, id: &str) -> Option<&GlobItem> {
        self.items.iter().find(|g| g.matches(id))
    }

    pub fn describe(&self) -> String {
        let p: Vec<String> = self
            .items
            .iter()
            .map(|g| format!("{:?}", g.pattern))
            .collect();
        p.join(", ")
    }
}

impl Contracts {
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.contracts.is_empty() && self.allowed_mechanisms.is_none()
    }

    /// The layer (index, lowest first) a stack belongs to: the first whose globs match.
    pub fn layer_of(&self, id: &str) -> Option<usize> {
        self.layers
            .iter()
            .position(|l| l.globs.matching(id).is_some())
    }
}

/// The commented example `stacklint init` writes.
pub const TEMPLATE: &str =
    "\n# Architecture contracts (`stacklint explain layer-violation`, `forbidden-dependency`,\n\
# `disallowed-mechanism`). Globs match stack ids: `*` within a level, `**` across levels.\n\
# layers = [\"foundation/**\", \"platform/**\", \"apps/**\"]   # lowest first\n\
# contract \"apps-are-independent\" {\n\
#   description = \"Apps share nothing but what platform/ provides.\"\n\
#   forbid {\n\
#     from               = [\"apps/*/**\"]\n\
#     to                 = [\"apps/*/**\"]\n\
#     except_same_parent = true\n\
#   }\n\
# }\n\
# allowed_mechanisms = [\"terragrunt_dependency\", \"parameter_store\"]\n";

const TOP_HELP: &str = "contract settings: layers = [...], allowed_mechanisms = [...], \
                        contract \"<name>\" { description = \"...\", forbid { from = [...], to = [...], \
                        except_same_parent = true, mechanisms = [...] } }";

pub fn parse_attr(cx: &Ctx, a: &Attr, c: &mut Contracts) -> Result<(), Box<ConfigError>> {
    match &*a.name {
        "layers" => {
            if !c.layers.is_empty() {
                return Err(cx.err(a.span, "`layers` is set twice", "set again here"));
            }
            let items = non_empty_list(cx, a, "a glob or a list of globs per layer")?;
            let mut seen: BTreeSet<String> = BTreeSet::new();
            for item in items {
                let globs = match &item.kind {
                    ExprKind::Array(inner) if !inner.is_empty() => globs(cx, inner, item.span)?,
                    _ => globs(cx, std::slice::from_ref(item), item.span)?,
                };
                for g in &globs.items {
                    if !seen.insert(g.pattern.clone()) {
                        return Err(cx.err(
                            g.span,
                            format!("{:?} is listed in two layers", g.pattern),
                            "listed again here",
                        ));
                    }
                }
                c.layers.push(Layer { globs });
            }
        }
        "allowed_mechanisms" => {
            if c.allowed_mechanisms.is_some() {
                return Err(cx.err(
                    a.span,
                    "`allowed_mechanisms` is set twice",
                    "set again here",
                ));
            }
            let items = non_empty_list(cx, a, "mechanism names")?;
            c.allowed_mechanisms = Some(Allowed {
                mechanisms: mechanisms(cx, items)?,
                span: a.span,
            });
        }
        other => {
            return Err(cx.err_help(
                a.span,
                format!("unknown setting `{other}`"),
                "unknown",
                TOP_HELP,
            ))
        }
    }
    Ok(())
}

pub fn parse_block(cx: &Ctx, b: &Block, c: &mut Contracts) -> Result<(), Box<ConfigError>> {
    let (Some(name), 1) = (b.label(0), b.labels.len()) else {
        return Err(cx.err(
            b.head,
            "a contract needs exactly one label, its name",
            "e.g. contract \"apps-are-independent\" { ... }",
        ));
    };
    if name.trim().is_empty() {
        return Err(cx.err(b.head, "a contract name cannot be empty", "empty name"));
    }
    if c.contracts.iter().any(|k| k.name == name) {
        return Err(cx.err(
            b.head,
            format!("contract {name:?} is defined twice"),
            "defined again here",
        ));
    }
    let mut description = None;
    for a in &b.body.attrs {
        match &*a.name {
            "description" => description = Some(cx.string(a)?),
            other => return Err(cx.err_help(
                a.span,
                format!("unknown setting `{other}` in contract {name:?}"),
                "unknown setting",
                "a contract holds `description = \"...\"` and one or more `forbid { ... }` blocks",
            )),
        }
    }
    let mut forbids = Vec::new();
    for nb in &b.body.blocks {
        if &*nb.kind != "forbid" {
            return Err(cx.err_help(
                nb.head,
                format!("unexpected block `{}` in contract {name:?}", nb.kind),
                "not a contract block",
                "a contract holds `forbid { from = [...], to = [...] }` blocks",
            ));
        }
        forbids.push(forbid(cx, nb)?);
    }
    if forbids.is_empty() {
        return Err(cx.err(
            b.head,
            format!("contract {name:?} forbids nothing"),
            "add a forbid { from = [...], to = [...] } block",
        ));
    }
    c.contracts.push(Contract {
        name: name.to_string(),
        description,
        forbids,
        head: b.head,
    });
    Ok(())
}

fn forbid(cx: &Ctx, b: &Block) -> Result<Forbid, Box<ConfigError>> {
    if let Some(nb) = b.body.blocks.first() {
        return Err(cx.err(
            nb.head,
            format!("unexpected block `{}` in forbid", nb.kind),
            "forbid holds settings only",
        ));
    }
    let mut from = None;
    let mut to = None;
    let mut mechs = None;
    let mut except_same_parent = false;
    for a in &b.body.attrs {
        match &*a.name {
            "from" => {
                from = Some(globs(
                    cx,
                    non_empty_list(cx, a, "stack globs")?,
                    a.expr.span,
                )?)
            }
            "to" => {
                to = Some(globs(
                    cx,
                    non_empty_list(cx, a, "stack globs")?,
                    a.expr.span,
                )?)
            }
            "mechanisms" => {
                mechs = Some(mechanisms(cx, non_empty_list(cx, a, "mechanism names")?)?)
            }
            "except_same_parent" => except_same_parent = cx.bool(a)?,
            other => {
                return Err(cx.err_help(
                    a.span,
                    format!("unknown setting `{other}` in forbid"),
                    "unknown setting",
                    "forbid takes from, to, except_same_parent and mechanisms",
                ))
            }
        }
    }
    let missing = |what: &str| {
        cx.err(
            b.head,
            format!("forbid needs `{what} = [...]`"),
            format!("no `{what}`"),
        )
    };
    Ok(Forbid {
        from: from.ok_or_else(|| missing("from"))?,
        to: to.ok_or_else(|| missing("to"))?,
        mechanisms: mechs,
        except_same_parent,
        head: b.head,
    })
}

fn non_empty_list<'a>(cx: &Ctx, a: &'a Attr, what: &str) -> Result<&'a [Expr], Box<ConfigError>> {
    match &a.expr.kind {
        ExprKind::Array(items) if !items.is_empty() => Ok(items),
        ExprKind::Array(_) => Err(cx.err(
            a.expr.span,
            format!("`{}` is empty", a.name),
            format!("list {what} here"),
        )),
        _ => Err(cx.err(
            a.expr.span,
            format!("`{}` must be a list", a.name),
            format!("expected [...] of {what}"),
        )),
    }
}

fn globs(cx: &Ctx, items: &[Expr], span: Span) -> Result<Globs, Box<ConfigError>> {
    let mut out = Vec::new();
    for e in items {
        let Some(p) = e.as_literal_str() else {
            return Err(cx.err(e.span, "expected a quoted glob", "not a string"));
        };
        let build = |p: &str| GlobBuilder::new(p).literal_separator(true).build();
        let glob = build(p).map_err(|err| {
            cx.err(
                e.span,
                format!("invalid glob {p:?}: {}", err.kind()),
                "invalid glob",
            )
        })?;
        if p.is_empty() || p.starts_with('/') || p.starts_with("./") {
            return Err(cx.err_help(e.span, format!("glob {p:?} cannot match a stack id"), "not a stack id glob", "stack ids are paths relative to the scanned root, like \"live/prod/vpc\" (\".\" for the root)"));
        }
        let base = p
            .strip_suffix("/**")
            .and_then(|b| build(b).ok())
            .map(|g| g.compile_matcher());
        out.push(GlobItem {
            pattern: p.to_string(),
            span: e.span,
            matcher: glob.compile_matcher(),
            base,
        });
    }
    Ok(Globs { items: out, span })
}

fn mechanisms(cx: &Ctx, items: &[Expr]) -> Result<BTreeSet<Mechanism>, Box<ConfigError>> {
    let mut out = BTreeSet::new();
    for e in items {
        let Some(name) = e.as_literal_str() else {
            return Err(cx.err(e.span, "expected a quoted mechanism name", "not a string"));
        };
        let Some(m) = Mechanism::from_name(name) else {
            let known = Mechanism::ALL.map(Mechanism::as_str);
            let hint = match crate::suggest::closest(name, known.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"? mechanisms: {}", known.join(", ")),
                None => format!("mechanisms: {}", known.join(", ")),
            };
            return Err(cx.err_help(
                e.span,
                format!("unknown mechanism {name:?}"),
                "unknown mechanism",
                hint,
            ));
        };
        if !out.insert(m) {
            return Err(cx.err(
                e.span,
                format!("{name:?} is listed twice"),
                "listed again here",
            ));
        }
    }
    Ok(out)
}

/// Adds the configuration file to the workspace so that findings about the contracts
/// themselves (a layer or rule that matches no stack) can point into it. Returns its
/// file id; the file takes no part in the model.
pub fn attach(ws: &mut Workspace, config: &super::Config) -> Option<FileId> {
    if config.contracts.is_empty() {
        return None;
    }
    let path = config.path.as_ref()?;
    let text = std::fs::read_to_string(path).ok()?;
    let abs = std::fs::canonicalize(path).ok()?;
    let abs = abs.to_string_lossy().replace('\\', "/");
    let rel = ws.rel(&abs).unwrap_or_else(|| {
        use crate::model::paths;
        let up = paths::relative(&ws.root_abs, &paths::parent(&abs));
        paths::join(&up, paths::file_name(&abs))
    });
    let id = FileId(u32::try_from(ws.files.len()).ok()?);
    ws.files.push(ParsedFile {
        path: rel,
        kind: FileKind::Config,
        body: Default::default(),
        lines: LineIndex::new(&text),
        size: text.len() as u64,
        block_hashes: Vec::new(),
        suppressions: Vec::new(),
        problems: Vec::new(),
    });
    Some(id)
}

/// The configuration file `attach` added, if any.
pub fn config_file(ws: &Workspace) -> Option<FileId> {
    ws.files
        .iter()
        .rposition(|f| f.kind == FileKind::Config)
        .and_then(|i| u32::try_from(i).ok())
        .map(FileId)
}

#[cfg(test)]
mod tests {
    use super::super::parse_config;
    use crate::link::Mechanism;

    const VALID: &str = r#"
layers = ["foundation/**", "platform/**", ["apps/**", "services/**"]]

contract "apps-are-independent" {
  description = "Apps share nothing but platform."
  forbid {
    from               = ["apps/*/**"]
    to                 = ["apps/*/**"]
    except_same_parent = true
  }
  forbid {
    from       = ["apps/**"]
    to         = ["data/**"]
    mechanisms = ["remote_state"]
  }
}

allowed_mechanisms = ["terragrunt_dependency", "parameter_store"]
"#;

    /// The error for `text`, with the text its span points at.
    fn error(text: &str) -> (String, String, Option<String>) {
        match parse_config(".stacklint.hcl", text) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => {
                let start = e.span.offset();
                let at = text
                    .get(start..start + e.span.len())
                    .unwrap_or_default()
                    .to_string();
                (e.message.clone(), at, e.help.clone())
            }
        }
    }

    #[test]
    fn parses_layers_contracts_and_mechanisms() {
        let c = parse_config(".stacklint.hcl", VALID)
            .expect("valid")
            .contracts;
        assert_eq!(c.layers.len(), 3);
        assert_eq!(c.layers[2].globs.items.len(), 2);
        assert_eq!(c.layer_of("foundation"), Some(0));
        assert_eq!(c.layer_of("services/mail/api"), Some(2));
        assert_eq!(c.layer_of("tools/ci"), None);
        let k = &c.contracts[0];
        assert_eq!(k.name, "apps-are-independent");
        assert_eq!(k.forbids.len(), 2);
        assert!(k.forbids[0].except_same_parent);
        assert_eq!(k.forbids[1].mechanisms.as_ref().map(|m| m.len()), Some(1));
        let allowed = c.allowed_mechanisms.expect("allowed");
        assert!(allowed.mechanisms.contains(&Mechanism::ParameterStore));
        assert!(!allowed.mechanisms.contains(&Mechanism::RemoteState));
    }

    #[test]
    fn globs_keep_star_within_a_level_and_group_by_the_matched_folder() {
        let c = parse_config(".stacklint.hcl", VALID)
            .expect("valid")
            .contracts;
        let from = &c.contracts[0].forbids[0].from;
        let g = from.matching("apps/shop/api").expect("matches");
        assert_eq!(g.group("apps/shop/api"), "apps/shop");
        assert_eq!(g.group("apps/shop"), "apps/shop");
        assert!(from.matching("apps").is_none());
        let layer = &c.layers[0].globs;
        assert!(layer.matching("foundation").is_some());
        assert!(layer.matching("foundationx/net").is_none());
        let star = parse_config(".stacklint.hcl", "layers = [\"apps/*\"]").expect("valid");
        assert!(star.contracts.layer_of("apps/shop").is_some());
        assert!(star.contracts.layer_of("apps/shop/api").is_none());
    }

    #[test]
    fn rejects_mistakes_with_spans() {
        let (msg, at, _) = error("layers = []\n");
        assert!(msg.contains("`layers` is empty"), "{msg}");
        assert_eq!(at, "[]");

        let (msg, at, help) = error("allowed_mechanisms = [\"remote-state\"]\n");
        assert!(msg.contains("unknown mechanism \"remote-state\""), "{msg}");
        assert_eq!(at, "\"remote-state\"");
        assert!(help
            .unwrap_or_default()
            .contains("did you mean \"remote_state\""));

        let (msg, at, _) = error("layers = [\"apps/[\"]\n");
        assert!(msg.contains("invalid glob"), "{msg}");
        assert_eq!(at, "\"apps/[\"");

        let (msg, at, _) = error(
            "contract \"x\" {\n  forbid {\n    from = [\"a/**\"]\n    to = [\"b/**\"]\n    excpet_same_parent = true\n  }\n}\n",
        );
        assert!(
            msg.contains("unknown setting `excpet_same_parent` in forbid"),
            "{msg}"
        );
        assert!(at.starts_with("excpet_same_parent"), "{at}");

        let (msg, _, _) = error("contract \"x\" {\n  forbid {\n    from = [\"a/**\"]\n  }\n}\n");
        assert!(msg.contains("forbid needs `to"), "{msg}");

        let (msg, at, _) = error("contract \"x\" {\n  description = \"nothing\"\n}\n");
        assert!(msg.contains("forbids nothing"), "{msg}");
        assert_eq!(at, "contract \"x\"");

        let twice =
            "contract \"x\" {\n  forbid {\n    from = [\"a/**\"]\n    to = [\"b/**\"]\n  }\n}\n";
        let (msg, _, _) = error(&format!("{twice}{twice}"));
        assert!(msg.contains("defined twice"), "{msg}");

        let (msg, _, _) = error("layers = [\"apps/**\", [\"apps/**\"]]\n");
        assert!(msg.contains("listed in two layers"), "{msg}");

        let (msg, _, _) = error("layers = [\"/apps/**\"]\n");
        assert!(msg.contains("cannot match a stack id"), "{msg}");

        let (msg, _, _) = error("contract \"x\" {\n  forbid {\n    from = [\"a/**\"]\n    to = [\"b/**\"]\n    mechanisms = []\n  }\n}\n");
        assert!(msg.contains("`mechanisms` is empty"), "{msg}");
    }
}
