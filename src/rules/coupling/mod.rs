//! Coupling rules: how stacks depend on each other.

pub mod stack_cycle;
