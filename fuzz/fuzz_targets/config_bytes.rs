//! The readers of user-written settings: `.stacklint.hcl` and baseline files. Bad input
//! must come back as an error (with a position), never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    if selector % 2 == 0 {
        if let Err(e) = stacklint::config::parse_config(".stacklint.hcl", &text) {
            // Rendered the way the CLI prints it: the span must lie inside the text.
            let mut out = String::new();
            let _ = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::none())
                .render_report(&mut out, &*e);
        }
    } else {
        let _ = stacklint::baseline::parse("baseline.json", &text);
    }
});
