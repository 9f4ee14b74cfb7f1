//! Architecture contracts in `.stacklint.hcl`: `layers`, `contract` blocks and
//! `allowed_mechanisms`. (Parsing is filled in with the contract rules.)

use super::{ConfigError, Ctx};
use crate::syntax::{Attr, Block};

#[derive(Debug, Clone, Default)]
pub struct Contracts {}

pub fn parse_attr(cx: &Ctx, a: &Attr, _c: &mut Contracts) -> Result<(), Box<ConfigError>> {
    Err(cx.err(
        a.span,
        format!("`{}` is not supported yet", a.name),
        "not supported yet",
    ))
}

pub fn parse_block(cx: &Ctx, b: &Block, _c: &mut Contracts) -> Result<(), Box<ConfigError>> {
    Err(cx.err(
        b.head,
        "`contract` blocks are not supported yet",
        "not supported yet",
    ))
}
