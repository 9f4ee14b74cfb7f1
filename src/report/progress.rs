//! A progress line on stderr for long scans: shown only when stderr is a terminal, and
//! only once the scan has taken longer than a moment (short runs print nothing).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Runs shorter than this show no progress at all.
const SHOW_AFTER: Duration = Duration::from_millis(400);

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn start() -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}") {
            bar.set_style(style);
        }
        bar.set_message("discovering files");
        if std::io::stderr().is_terminal() {
            let shown = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(SHOW_AFTER);
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar }
    }

    /// A pipeline stage finished: say what comes next.
    pub fn stage(&self, stage: &str, what: &str) {
        let msg = match stage {
            "discover" => format!("parsing {what}"),
            "parse" => format!("modelling stacks ({what} parsed)"),
            "model" => format!("linking {what}"),
            "link" => format!("building the stack graph ({what})"),
            _ => format!("{stage}: {what}"),
        };
        self.bar.set_message(msg);
    }

    pub fn message(&self, msg: &str) {
        self.bar.set_message(msg.to_string());
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
