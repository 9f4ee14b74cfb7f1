//! stacklint: a linter for how infrastructure code is cut into stacks.
//!
//! Pipeline (each stage a plain data type in and out):
//! discover -> parse -> model -> link -> rules -> output.

pub mod discover;
pub mod eval;
pub mod parse;
pub mod source;
pub mod syntax;
