//! Module rules: local module pitfalls.

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
