//! Input rules: files stacklint could not read, and suppression comments.

pub mod parse_error;

use super::{Category, Rule, RuleId, RuleMeta, Severity};

/// The rules of this category that have a check of their own.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(parse_error::ParseError)]
}

/// Reported by the engine (`crate::suppress`) for a suppression comment without a
/// reason or naming an unknown rule.
pub static INVALID_SUPPRESSION: RuleMeta = RuleMeta {
    id: RuleId::InvalidSuppression,
    category: Category::Input,
    default_severity: Severity::Warning,
    summary: "a stacklint-ignore comment has no reason or names an unknown rule, so it suppresses nothing",
    options: &[],
};

/// Reported by the engine (`crate::suppress`) for a suppression that silenced nothing.
pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: RuleId::UnusedSuppression,
    category: Category::Input,
    default_severity: Severity::Note,
    summary: "a stacklint-ignore comment silences no finding",
    options: &[],
};
