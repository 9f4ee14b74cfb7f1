//! What the replication rules share but is not a rule: environment words and wrapper
//! stacks.

pub mod envwords;
pub mod wrappers;
