use clap::Parser;
use stacklint::{app, cli::Cli, config::ConfigError};

// mimalloc: faster than the system allocator for the parse workers' many small
// allocations, and it returns memory to the OS between stages (see PARSING.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
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

/// Transparent huge pages off for this process. mimalloc asks for them on its arenas, and
/// the kernel then zeroes 2 MiB at the first touch of each: on a 16-file tree that was a
/// third of the run and doubled resident memory (20 -> 10 MiB); on 10,000 stacks it cost
/// 0.4 s of system time. A short-lived process gains nothing from fewer TLB misses.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag on this
    // process's memory descriptor; the result is ignored (older kernels lack it).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
