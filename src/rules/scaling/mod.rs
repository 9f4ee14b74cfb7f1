//! Scaling rules: parts that scale or live differently in one stack.

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
