use clap::Parser;
use stacklint::{app, cli::Cli, config::ConfigError};

// mimalloc, called through `stacklint::allocator` (see there): faster than the system
// allocator for the parse workers' many small allocations, and it returns memory to the
// OS between stages (see PARSING.md).
#[global_allocator]
static GLOBAL: stacklint::allocator::Allocator = stacklint::allocator::Allocator;

// Transparent huge pages are turned off, and mimalloc's defaults set (see
// `allocator::set_defaults`), before mimalloc's own start-up code reserves and touches its
// first arena (a constructor that runs before `main`): calling it from `main` came too
// late for those first pages, two 2 MiB pages zeroed on every run.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00101"]
static NO_HUGE_PAGES_BEFORE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn before_allocator() {
        stacklint::pipeline::no_huge_pages();
        stacklint::allocator::set_defaults();
    }
    before_allocator
};

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
