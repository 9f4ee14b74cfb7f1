use clap::Parser;
use stacklint::{app, cli::Cli, config::ConfigError};

fn main() {
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
