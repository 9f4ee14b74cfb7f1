//! stacklint: a linter for how infrastructure code is cut into stacks.
//!
//! Pipeline (each stage a plain data type in and out):
//! discover -> parse -> model -> link -> graph -> rules -> output.

pub mod allocator;
pub mod app;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod eval;
pub mod facts;
pub mod focus;
pub mod graph;
pub mod history;
pub mod link;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod profile;
pub mod report;
pub mod rules;
pub mod similarity;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod syntax;
#[doc(hidden)]
pub mod synth;
