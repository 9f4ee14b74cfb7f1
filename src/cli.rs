//! Command-line definitions (clap derive). Parsing only; `app` runs the commands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "stacklint",
    version,
    about = "Lint how Terraform/OpenTofu, Terragrunt and Terramate code is cut into stacks",
    long_about = "stacklint parses a whole tree, infers the stacks (root modules, Terragrunt units, \
Terramate stacks) and the cross-stack references between them (remote state, tfe_outputs, \
Terragrunt dependencies, Terramate ordering, parameter-store values, lookups by name or tag), and \
flags monolithic stacks, tight coupling and uneven scaling splits. It only reads files: it never \
runs terraform, providers or network calls.\n\nWithout a subcommand, `stacklint [PATH...]` runs `check`.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the tree and report findings (the default)
    Check(CheckArgs),
    /// Print the stack graph (stacks, cross-stack edges, unresolved references)
    Graph(GraphArgs),
    /// List the stacks with their kind, size, backend and coupling metrics
    Stacks(StacksArgs),
    /// Write an architecture review report (HTML, Markdown or JSON)
    Report(ReportArgs),
    /// List the rules
    Rules(RulesArgs),
    /// Show the documentation of a rule
    Explain {
        /// Rule id, e.g. `stack-cycle`
        rule: String,
    },
    /// Write a commented default `.stacklint.hcl`
    Init {
        /// Directory to write it in
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(hide = true)]
    Man,
}

/// Options shared by every command that scans a tree.
#[derive(Debug, Args, Clone, Default)]
pub struct ScanArgs {
    /// Directories to scan (default: the current directory). Files narrow the report to
    /// the stacks they belong to (what pre-commit passes).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Only read files matching this glob (relative to the scanned root); repeatable
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files and directories matching this glob; repeatable
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Configuration file (default: `.stacklint.hcl` found upward from the scanned path)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Skip files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Print per-stage timings, counts and memory on stderr
    #[arg(long)]
    pub timings: bool,
    /// Where to write the output (default: stdout)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Colours: auto (when stdout is a terminal and NO_COLOR is unset), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Pretty)]
    pub format: CheckFormat,
    /// Exit 1 when a finding at or above this severity remains
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Run only these rules (comma-separated ids)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub ignore: Vec<String>,
    /// Print nothing but findings (no summary line)
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Hide findings recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record current findings in this baseline file (then exit 0)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only stacks with files changed since this git ref
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct GraphArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Json)]
    pub format: GraphFormat,
}

#[derive(Debug, Args, Clone)]
pub struct StacksArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Days of git history to read for the change-history section
    #[arg(long, default_value_t = 90, value_name = "DAYS")]
    pub history_days: u32,
    /// Do not read git history
    #[arg(long)]
    pub no_history: bool,
}

#[derive(Debug, Args, Clone)]
pub struct RulesArgs {
    #[arg(long, short = 'f', value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    /// Rich, human-readable report with code excerpts
    #[default]
    Pretty,
    /// One line per finding: file:line:col: severity[rule] message
    Compact,
    /// JSON (stable contract)
    Json,
    /// SARIF 2.1.0 for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML
    Junit,
    /// Checkstyle XML
    Checkstyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Json,
    Dot,
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum, Default)]
pub enum FailOn {
    Error,
    #[default]
    Warning,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}
