//! Scaling rules: parts that scale or live differently in one stack.

pub mod mixed_lifecycle;
pub mod mixed_scaling;
pub mod replicated_singleton;

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(mixed_scaling::MixedScaling),
        Box::new(mixed_lifecycle::MixedLifecycle),
        Box::new(replicated_singleton::ReplicatedSingleton),
    ]
}
