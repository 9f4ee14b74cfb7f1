//! `taxonomy { ... }` in `.stacklint.hcl`: extra or overriding resource-type patterns.
//! (Parsing is filled in with the structure and scaling rules.)

use super::{ConfigError, Ctx};
use crate::syntax::Block;

#[derive(Debug, Clone, Default)]
pub struct TaxonomyConfig {}

pub fn parse_block(cx: &Ctx, b: &Block, _c: &mut TaxonomyConfig) -> Result<(), Box<ConfigError>> {
    Err(cx.err(
        b.head,
        "`taxonomy` blocks are not supported yet",
        "not supported yet",
    ))
}
