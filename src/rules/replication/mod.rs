//! Replication rules: how a stack is replicated across environments.

use super::Rule;

/// The rules of this category, in catalogue order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
