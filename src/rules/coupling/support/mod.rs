//! What the coupling rules share but is not a rule: cloud identifiers and who owns
//! them, the outputs each stack exposes and reads, Terramate generators.

pub mod cloud_ids;
pub mod exposed;
pub mod id_advice;
pub mod id_owners;
pub mod reads;
pub mod tm_generators;
