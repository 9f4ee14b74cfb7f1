//! Coupling rules: how stacks depend on each other.

pub mod stack_cycle;

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(stack_cycle::StackCycle)]
}
