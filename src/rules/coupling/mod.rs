//! Coupling rules: how stacks depend on each other.

pub mod deep_chain;
pub mod fan_out;
pub mod hardcoded_reference;
pub mod missing_output;
pub mod stack_cycle;
pub mod unresolved_reference;
pub mod unstable_dependency;
pub mod wide_interface;

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(stack_cycle::StackCycle),
        Box::new(missing_output::MissingOutput),
        Box::new(wide_interface::WideInterface),
        Box::new(fan_out::FanOut),
        Box::new(unstable_dependency::UnstableDependency),
        Box::new(deep_chain::DeepChain),
        Box::new(hardcoded_reference::HardcodedReference),
        Box::new(unresolved_reference::UnresolvedReference),
    ]
}
