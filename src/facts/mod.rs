//! What several rules share but is not a rule itself (kept out of `src/rules/<category>/`,
//! where every file is a rule with a page): cloud identifiers and who owns them, the
//! outputs each stack exposes and reads, Terramate generators, environment words and
//! wrapper stacks.

pub mod cloud_ids;
pub mod envwords;
pub mod exposed;
pub mod id_advice;
pub mod id_owners;
pub mod reads;
pub mod tm_generators;
pub mod wrappers;
