use clap::Parser;
use stacklint::{app, cli::Cli, config::ConfigError};

// mimalloc: faster than the system allocator for the parse workers' many small
// allocations, and it returns memory to the OS between stages (see PARSING.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    stacklint::pipeline::no_huge_pages();
    let cli = Cli::parse();
    let code = match app::run(cli) {
        Ok(code) => code,
        Err(err) => {
            match err.downcast::<Box<ConfigError>>() {
                Ok(cfg) => {
                    let report = miette::Report::new(*cfg);
                    eprintln!("{report:?}");
                }
                Err(other) => eprintln!("stacklint: error: {other:#}"),
            }
            app::EXIT_ERROR
        }
    };
    std::process::exit(code);
}
