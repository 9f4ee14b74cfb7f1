//! Contract rules: architecture rules declared in `.stacklint.hcl`.

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
