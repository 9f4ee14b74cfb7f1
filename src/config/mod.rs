//! `.stacklint.hcl`: found by walking up from the scanned path (stopping at the
//! repository root), parsed with stacklint's own HCL parser so every mistake points at
//! its line, and validated strictly: unknown keys, rule ids, options or wrong types are
//! errors (exit 2), never silently ignored.

pub mod contracts;
pub mod taxonomy;

use crate::cli::ScanArgs;
use crate::parse;
use crate::rules::{self, OptKind, OptValue, RuleId, RuleOptions, Severity};
use crate::syntax::{Attr, Block, Body, Expr, ExprKind};
use anyhow::Result;
use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FILE_NAME: &str = ".stacklint.hcl";

/// A configuration mistake, shown with the offending line.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(stacklint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// Severity as configured: a level, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    On(Severity),
    Off,
}

#[derive(Debug, Clone, Default)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub level: Option<Level>,
    pub options: Vec<(&'static str, OptValue)>,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub patterns: Vec<String>,
    pub paths: GlobSet,
    pub rules: BTreeMap<RuleId, RuleSetting>,
    /// 1-based line of the `override` block, for "matched nothing" reports.
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    pub exclude: Vec<String>,
    pub require_suppression_reason: bool,
    pub rules: BTreeMap<RuleId, RuleSetting>,
    pub overrides: Vec<Override>,
    pub contracts: contracts::Contracts,
    pub taxonomy: taxonomy::TaxonomyConfig,
}

impl Config {
    pub fn empty() -> Config {
        Config {
            require_suppression_reason: true,
            ..Config::default()
        }
    }

    fn matching_overrides<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Override> + 'a {
        self.overrides
            .iter()
            .filter(move |o| o.paths.is_match(path))
    }

    /// Options of a rule at a path (a stack directory or file), defaults overlaid by the
    /// rule block and then by matching overrides in file order. Rules ask once per stack
    /// or file: where the config sets none of the rule's options, every caller shares
    /// one copy of the defaults.
    pub fn options(&self, rule: &'static rules::RuleMeta, path: &str) -> Arc<RuleOptions> {
        let settings = self
            .rules
            .get(&rule.id)
            .into_iter()
            .chain(
                self.matching_overrides(path)
                    .filter_map(|ov| ov.rules.get(&rule.id)),
            )
            .filter(|s| !s.options.is_empty());
        let mut o: Option<RuleOptions> = None;
        for s in settings {
            let o = o.get_or_insert_with(|| RuleOptions::defaults(rule.options));
            for (k, v) in &s.options {
                o.set(k, v.clone());
            }
        }
        match o {
            Some(o) => Arc::new(o),
            None => RuleOptions::shared_defaults(rule),
        }
    }

    /// The level of a rule at a path, or `None` when the rule is off there.
    pub fn level(&self, rule: &rules::RuleMeta, path: &str) -> Option<Severity> {
        let mut level = Level::On(rule.default_severity);
        let mut apply = |s: &RuleSetting| {
            if let Some(l) = s.level {
                level = l;
            }
            match s.enabled {
                Some(false) => level = Level::Off,
                Some(true) if level == Level::Off => level = Level::On(rule.default_severity),
                _ => {}
            }
        };
        if let Some(s) = self.rules.get(&rule.id) {
            apply(s);
        }
        for ov in self.matching_overrides(path) {
            if let Some(s) = ov.rules.get(&rule.id) {
                apply(s);
            }
        }
        match level {
            Level::On(s) => Some(s),
            Level::Off => None,
        }
    }

    /// Is the rule switched off everywhere (not worth running)?
    pub fn disabled_everywhere(&self, rule: &rules::RuleMeta) -> bool {
        let off = |s: Option<&RuleSetting>| {
            s.is_some_and(|s| s.enabled == Some(false) || s.level == Some(Level::Off))
        };
        off(self.rules.get(&rule.id))
            && !self.overrides.iter().any(|o| {
                o.rules.get(&rule.id).is_some_and(|s| {
                    s.enabled == Some(true) || matches!(s.level, Some(Level::On(_)))
                })
            })
    }
}

/// Finds `.stacklint.hcl` from `start` upwards, stopping at the repository root.
pub fn find(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    for dir in abs.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Loads the configuration the scan arguments ask for.
pub fn load(scan: &ScanArgs, root: &Path) -> Result<Config> {
    if scan.no_config {
        return Ok(Config::empty());
    }
    let path = match &scan.config {
        Some(p) => {
            if !p.is_file() {
                anyhow::bail!("config file {} does not exist", p.display());
            }
            Some(p.clone())
        }
        None => find(root),
    };
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?;
            let mut c = parse_config(&p.display().to_string(), &text)?;
            c.path = Some(p);
            Ok(c)
        }
        None => Ok(Config::empty()),
    }
}

/// Builds errors that point into the config text.
pub struct Ctx<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Ctx<'_> {
    pub fn err(
        &self,
        span: crate::source::Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Box<ConfigError> {
        Box::new(ConfigError {
            message: message.into(),
            src: NamedSource::new(self.name, self.text.to_string()),
            span: (span.start as usize, span.len().max(1) as usize).into(),
            label: label.into(),
            help: None,
        })
    }

    pub fn err_help(
        &self,
        span: crate::source::Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Box<ConfigError> {
        let mut e = self.err(span, message, label);
        e.help = Some(help.into());
        e
    }

    pub fn string(&self, a: &Attr) -> Result<String, Box<ConfigError>> {
        a.expr.as_literal_str().map(str::to_string).ok_or_else(|| {
            self.err(
                a.expr.span,
                format!("`{}` must be a string", a.name),
                "expected a quoted string",
            )
        })
    }

    pub fn string_list(&self, a: &Attr) -> Result<Vec<String>, Box<ConfigError>> {
        let bad = || {
            self.err(
                a.expr.span,
                format!("`{}` must be a list of strings", a.name),
                "expected [\"...\", ...]",
            )
        };
        match &a.expr.kind {
            ExprKind::Array(items) => items
                .iter()
                .map(|e| e.as_literal_str().map(str::to_string).ok_or_else(bad))
                .collect(),
            _ => Err(bad()),
        }
    }

    pub fn bool(&self, a: &Attr) -> Result<bool, Box<ConfigError>> {
        match a.expr.kind {
            ExprKind::Bool(b) => Ok(b),
            _ => Err(self.err(
                a.expr.span,
                format!("`{}` must be true or false", a.name),
                "expected a boolean",
            )),
        }
    }

    pub fn globs(&self, a: &Attr) -> Result<(Vec<String>, GlobSet), Box<ConfigError>> {
        let pats = self.string_list(a)?;
        let mut b = GlobSetBuilder::new();
        for p in &pats {
            let g = Glob::new(p).map_err(|e| {
                self.err(
                    a.expr.span,
                    format!("invalid glob {p:?}: {e}"),
                    "invalid glob",
                )
            })?;
            b.add(g);
            // `dir/**` also matches the directory itself (a stack id).
            if let Some(dir) = p.strip_suffix("/**") {
                if let Ok(g) = Glob::new(dir) {
                    b.add(g);
                }
            }
        }
        let set = b
            .build()
            .map_err(|e| self.err(a.expr.span, format!("invalid globs: {e}"), "invalid glob"))?;
        Ok((pats, set))
    }
}

pub fn parse_config(name: &str, text: &str) -> Result<Config, Box<ConfigError>> {
    let cx = Ctx { name, text };
    let body = parse::parse_body_str(text).map_err(|(offset, msg)| {
        cx.err(
            crate::source::Span::new(offset as usize, offset as usize + 1),
            format!("{name} is not valid HCL: {msg}"),
            "here",
        )
    })?;
    let mut c = Config::empty();
    for a in &body.attrs {
        match &*a.name {
            "exclude" => c.exclude = cx.string_list(a)?,
            "require_suppression_reason" => c.require_suppression_reason = cx.bool(a)?,
            "layers" | "allowed_mechanisms" => contracts::parse_attr(&cx, a, &mut c.contracts)?,
            other => {
                return Err(cx.err_help(
                    a.span,
                    format!("unknown setting `{other}`"),
                    "not a stacklint setting",
                    "top-level settings: exclude, require_suppression_reason, layers, allowed_mechanisms; blocks: rule, override, contract, taxonomy",
                ))
            }
        }
    }
    for b in &body.blocks {
        match &*b.kind {
            "rule" => {
                let (id, s) = rule_block(&cx, b)?;
                c.rules.insert(id, s);
            }
            "override" => c.overrides.push(override_block(&cx, b)?),
            "contract" => contracts::parse_block(&cx, b, &mut c.contracts)?,
            "taxonomy" => taxonomy::parse_block(&cx, b, &mut c.taxonomy)?,
            other => {
                return Err(cx.err_help(
                    b.head,
                    format!("unknown block `{other}`"),
                    "not a stacklint block",
                    "blocks: rule \"<id>\" {...}, override {...}, contract \"<name>\" {...}, taxonomy {...}",
                ))
            }
        }
    }
    Ok(c)
}

fn rule_block(cx: &Ctx, b: &Block) -> Result<(RuleId, RuleSetting), Box<ConfigError>> {
    let Some(id_text) = b.label(0) else {
        return Err(cx.err(
            b.head,
            "a rule block needs the rule id as its label",
            "e.g. rule \"monolithic-stack\" { ... }",
        ));
    };
    let meta = RuleId::parse(id_text)
        .and_then(rules::meta_of)
        .ok_or_else(|| {
            let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
            let hint = crate::suggest::closest(id_text, known.iter().copied())
                .map(|s| format!("did you mean `{s}`? (`stacklint rules` lists them all)"))
                .unwrap_or_else(|| "`stacklint rules` lists the rule ids".to_string());
            cx.err_help(
                b.head,
                format!("unknown rule `{id_text}`"),
                "no rule has this id",
                hint,
            )
        })?;
    let s = rule_settings(cx, meta, &b.body)?;
    Ok((meta.id, s))
}

fn rule_settings(
    cx: &Ctx,
    meta: &'static rules::RuleMeta,
    body: &Body,
) -> Result<RuleSetting, Box<ConfigError>> {
    let mut s = RuleSetting::default();
    if let Some(nb) = body.blocks.first() {
        return Err(cx.err(
            nb.head,
            format!("unexpected block `{}` in rule `{}`", nb.kind, meta.id),
            "rule blocks hold settings only",
        ));
    }
    for a in &body.attrs {
        match &*a.name {
            "enabled" => s.enabled = Some(cx.bool(a)?),
            "severity" => {
                let v = cx.string(a)?;
                s.level = Some(match v.as_str() {
                    "off" => Level::Off,
                    other => Level::On(Severity::parse(other).ok_or_else(|| {
                        cx.err(
                            a.expr.span,
                            format!("unknown severity {other:?}"),
                            "use \"error\", \"warning\", \"note\" or \"off\"",
                        )
                    })?),
                });
            }
            name => {
                let Some(spec) = meta.options.iter().find(|o| o.name == name) else {
                    let names: Vec<&str> = meta.options.iter().map(|o| o.name).collect();
                    let help = if names.is_empty() {
                        format!("`{}` takes only `enabled` and `severity`", meta.id)
                    } else {
                        format!(
                            "options of `{}`: enabled, severity, {}",
                            meta.id,
                            names.join(", ")
                        )
                    };
                    return Err(cx.err_help(
                        a.span,
                        format!("unknown option `{name}` for rule `{}`", meta.id),
                        "unknown option",
                        help,
                    ));
                };
                s.options
                    .push((spec.name, option_value(cx, a, spec.default.kind())?));
            }
        }
    }
    Ok(s)
}

fn option_value(cx: &Ctx, a: &Attr, kind: OptKind) -> Result<OptValue, Box<ConfigError>> {
    let e: &Expr = &a.expr;
    let wrong = || {
        cx.err(
            e.span,
            format!("`{}` must be {}", a.name, kind.describe()),
            format!("expected {}", kind.describe()),
        )
    };
    Ok(match (kind, &e.kind) {
        (OptKind::Int, ExprKind::Number(n)) if n.fract() == 0.0 => OptValue::Int(*n as i64),
        (OptKind::Float, ExprKind::Number(n)) => OptValue::Float(*n),
        (OptKind::Bool, ExprKind::Bool(b)) => OptValue::Bool(*b),
        (OptKind::Str, _) => OptValue::Str(e.as_literal_str().ok_or_else(wrong)?.to_string()),
        (OptKind::StrList, _) => OptValue::StrList(cx.string_list(a).map_err(|_| wrong())?),
        _ => return Err(wrong()),
    })
}

fn override_block(cx: &Ctx, b: &Block) -> Result<Override, Box<ConfigError>> {
    let Some(paths) = b.body.attr("paths") else {
        return Err(cx.err(
            b.head,
            "an override block needs `paths = [...]`",
            "missing paths",
        ));
    };
    let (patterns, set) = cx.globs(paths)?;
    let mut rules_map = BTreeMap::new();
    for a in &b.body.attrs {
        if &*a.name != "paths" {
            return Err(cx.err(
                a.span,
                format!("unknown setting `{}` in override", a.name),
                "overrides hold `paths` and rule blocks",
            ));
        }
    }
    for nb in &b.body.blocks {
        if &*nb.kind != "rule" {
            return Err(cx.err(
                nb.head,
                format!("unexpected block `{}` in override", nb.kind),
                "overrides hold `paths` and rule blocks",
            ));
        }
        let (id, s) = rule_block(cx, nb)?;
        rules_map.insert(id, s);
    }
    let line = crate::source::LineIndex::new(cx.text)
        .line_col(b.head.start, None)
        .line as usize;
    Ok(Override {
        patterns,
        paths: set,
        rules: rules_map,
        line,
    })
}

/// The commented default configuration `stacklint init` writes.
pub fn default_config_text() -> String {
    let mut out = String::from(
        "# stacklint configuration. Docs: `stacklint explain <rule>`, `stacklint rules`.\n\
         # Every setting below shows its default; uncomment to change it.\n\n\
         # Paths (globs relative to this file's directory) that are never read.\n\
         # exclude = [\"**/examples/**\", \"**/test/fixtures/**\"]\n\n\
         # Inline suppressions (`# stacklint-ignore: rule-id -- reason`) must give a reason.\n\
         # require_suppression_reason = true\n\n",
    );
    for m in rules::all_meta() {
        if m.id == RuleId::ParseError {
            continue;
        }
        out.push_str(&format!(
            "# {} ({}): {}\n",
            m.id,
            m.category.as_str(),
            m.summary
        ));
        out.push_str(&format!(
            "# rule \"{}\" {{\n#   severity = \"{}\"\n",
            m.id,
            m.default_severity.as_str()
        ));
        for o in m.options {
            out.push_str(&format!(
                "#   {} = {}  # {}\n",
                o.name,
                o.default.render(),
                o.doc
            ));
        }
        out.push_str("# }\n\n");
    }
    out.push_str(
        "# Resource types stacklint's taxonomy does not know, or classifies differently\n\
         # from you (see rules/taxonomy.hcl and the README):\n\
         # taxonomy {\n\
         #   class \"acme-queues\" {\n\
         #     domain    = \"messaging\"\n\
         #     lifecycle = \"persistent\"\n\
         #     types     = [\"acme_queue*\"]\n\
         #   }\n\
         # }\n\n",
    );
    out.push_str(
        "# Different settings for part of the tree:\n\
         # override {\n#   paths = [\"legacy/**\"]\n#   rule \"monolithic-stack\" { severity = \"note\" }\n# }\n",
    );
    out.push_str(contracts::TEMPLATE);
    out
}

pub fn init(dir: &Path, force: bool) -> Result<i32> {
    let path = dir.join(FILE_NAME);
    if path.exists() && !force {
        anyhow::bail!(
            "{} already exists (use --force to overwrite)",
            path.display()
        );
    }
    crate::app::write_atomic(&path, &default_config_text())?;
    eprintln!("wrote {}", path.display());
    Ok(crate::app::EXIT_OK)
}

#[cfg(test)]
mod tests;
