//! The direct HCL parser against hcl-edit: on any text, the direct parser either gives
//! way or builds exactly the tree hcl-edit and the converter build. The first byte picks
//! a frame (a whole file, an attribute value, a block body) so short inputs reach deep
//! into expressions.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&frame, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let text = match frame % 3 {
        0 => text.to_string(),
        1 => format!("a = {text}\n"),
        _ => format!("b \"l\" {{\n{text}\n}}\n"),
    };
    if let Some(Err((fast, full))) = stacklint::parse::compare_parsers(&text) {
        panic!("parsers differ on {text:?}\ndirect: {fast}\nhcl-edit: {full}");
    }
});
