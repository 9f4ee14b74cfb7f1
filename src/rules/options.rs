//! Typed rule options: declared by each rule with a default, validated when the config
//! is read (unknown names and wrong types are errors), resolved per stack path.

use super::{RuleId, RuleMeta};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    Int,
    Float,
    Bool,
    Str,
    StrList,
}

impl OptKind {
    pub fn describe(self) -> &'static str {
        match self {
            OptKind::Int => "a whole number",
            OptKind::Float => "a number",
            OptKind::Bool => "true or false",
            OptKind::Str => "a string",
            OptKind::StrList => "a list of strings",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum OptValue {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    StrList(Vec<String>),
}

/// A default written in a `const` rule table.
#[derive(Debug, Clone, Copy)]
pub enum OptDefault {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(&'static str),
    StrList(&'static [&'static str]),
}

impl OptDefault {
    pub fn value(self) -> OptValue {
        match self {
            OptDefault::Int(v) => OptValue::Int(v),
            OptDefault::Float(v) => OptValue::Float(v),
            OptDefault::Bool(v) => OptValue::Bool(v),
            OptDefault::Str(v) => OptValue::Str(v.to_string()),
            OptDefault::StrList(v) => OptValue::StrList(v.iter().map(|s| s.to_string()).collect()),
        }
    }

    pub fn kind(self) -> OptKind {
        match self {
            OptDefault::Int(_) => OptKind::Int,
            OptDefault::Float(_) => OptKind::Float,
            OptDefault::Bool(_) => OptKind::Bool,
            OptDefault::Str(_) => OptKind::Str,
            OptDefault::StrList(_) => OptKind::StrList,
        }
    }

    pub fn render(self) -> String {
        match self {
            OptDefault::Int(v) => v.to_string(),
            OptDefault::Float(v) => format!("{v}"),
            OptDefault::Bool(v) => v.to_string(),
            OptDefault::Str(v) => format!("{v:?}"),
            OptDefault::StrList(v) => {
                let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub default: OptDefault,
    pub doc: &'static str,
}

/// The options in force for one rule at one place: defaults overlaid by the config.
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    values: BTreeMap<&'static str, OptValue>,
}

/// Each rule's default options, built once per run.
static SHARED_DEFAULTS: [OnceLock<Arc<RuleOptions>>; RuleId::ALL.len()] =
    [const { OnceLock::new() }; RuleId::ALL.len()];

impl RuleOptions {
    pub fn defaults(specs: &'static [OptionSpec]) -> RuleOptions {
        RuleOptions {
            values: specs.iter().map(|s| (s.name, s.default.value())).collect(),
        }
    }

    /// The rule's defaults, shared (each rule id has one `RuleMeta`).
    pub fn shared_defaults(rule: &'static RuleMeta) -> Arc<RuleOptions> {
        SHARED_DEFAULTS[rule.id as usize]
            .get_or_init(|| Arc::new(RuleOptions::defaults(rule.options)))
            .clone()
    }

    pub fn set(&mut self, name: &'static str, v: OptValue) {
        self.values.insert(name, v);
    }

    pub fn int(&self, name: &str) -> i64 {
        match self.values.get(name) {
            Some(OptValue::Int(v)) => *v,
            Some(OptValue::Float(v)) => *v as i64,
            _ => 0,
        }
    }

    pub fn float(&self, name: &str) -> f64 {
        match self.values.get(name) {
            Some(OptValue::Float(v)) => *v,
            Some(OptValue::Int(v)) => *v as f64,
            _ => 0.0,
        }
    }

    pub fn bool(&self, name: &str) -> bool {
        matches!(self.values.get(name), Some(OptValue::Bool(true)))
    }

    pub fn str(&self, name: &str) -> &str {
        match self.values.get(name) {
            Some(OptValue::Str(v)) => v,
            _ => "",
        }
    }

    pub fn str_list(&self, name: &str) -> &[String] {
        match self.values.get(name) {
            Some(OptValue::StrList(v)) => v,
            _ => &[],
        }
    }
}
