//! Structure rules: monolithic stacks, split candidates, services per stack.

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
