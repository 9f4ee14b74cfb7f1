//! Replication rules: how a stack is replicated across environments.

pub mod copy_paste_stack;
pub mod many_headed_stack;
pub mod mutant_stack;
pub mod wrapper_drift;

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(copy_paste_stack::CopyPasteStack),
        Box::new(many_headed_stack::ManyHeadedStack),
        Box::new(wrapper_drift::WrapperDrift),
        Box::new(mutant_stack::MutantStack),
    ]
}
