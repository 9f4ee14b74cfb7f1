//! Runs commands. One exit point: `run` returns the process exit code.

use crate::cli::*;
use crate::output;
use crate::pipeline::{self, Analysis, ScanOptions};
use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Some(Command::Graph(a)) => graph(a),
        Some(Command::Stacks(a)) => stacks(a),
        Some(Command::Check(a)) => crate::check::run(a),
        None => crate::check::run(cli.check),
        Some(Command::Rules(a)) => crate::check::list_rules(a),
        Some(Command::Explain { rule }) => crate::check::explain(&rule),
        Some(Command::Init { dir, force }) => crate::config::init(&dir, force),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "stacklint", &mut buf);
            write_out(None, &String::from_utf8_lossy(&buf))?;
            Ok(EXIT_OK)
        }
        Some(Command::Man) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            write_out(None, &String::from_utf8_lossy(&buf))?;
            Ok(EXIT_OK)
        }
        Some(Command::Report(a)) => crate::report::run(a),
    }
}

/// Where the scan starts and which files the user pointed at.
#[derive(Debug, Clone)]
pub struct Target {
    pub root: PathBuf,
    /// Files or directories (relative to `root`) the report is narrowed to.
    pub focus: Option<Vec<String>>,
}

/// The nearest ancestor of `start` (inclusive) holding `.git`.
pub fn repo_root_of(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    abs.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

pub fn resolve_target(paths: &[PathBuf]) -> Result<Target> {
    if paths.is_empty() {
        return Ok(Target {
            root: PathBuf::from("."),
            focus: None,
        });
    }
    for p in paths {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let all_dirs = paths.iter().all(|p| p.is_dir());
    if all_dirs && paths.len() == 1 {
        return Ok(Target {
            root: paths[0].clone(),
            focus: None,
        });
    }
    let canon: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::fs::canonicalize(p).with_context(|| format!("{}", p.display())))
        .collect::<Result<_>>()?;
    // Files (pre-commit) or several directories: scan the enclosing repository (or the
    // common ancestor) and narrow the report to what was named.
    let mut root = common_ancestor(&canon);
    if !all_dirs {
        if let Some(repo) = repo_root_of(&root) {
            root = repo;
        }
    }
    let focus = canon
        .iter()
        .map(|p| crate::discover::rel_path(&root, p))
        .map(|r| if r.is_empty() { ".".to_string() } else { r })
        .collect();
    Ok(Target {
        root,
        focus: Some(focus),
    })
}

fn common_ancestor(paths: &[PathBuf]) -> PathBuf {
    let mut base: PathBuf = paths[0].clone();
    if base.is_file() {
        base.pop();
    }
    for p in &paths[1..] {
        while !p.starts_with(&base) {
            if !base.pop() {
                break;
            }
        }
    }
    base
}

pub fn scan_options(scan: &ScanArgs, root: PathBuf, exclude_extra: &[String]) -> ScanOptions {
    let mut exclude = scan.exclude.clone();
    exclude.extend(exclude_extra.iter().cloned());
    ScanOptions {
        root,
        include: scan.include.clone(),
        exclude,
        max_file_size: (scan.max_file_size > 0).then_some(scan.max_file_size),
        jobs: scan.jobs,
    }
}

/// Writes to `--output` (atomically) or stdout; a closed stdout pipe is not an error.
pub fn write_out(path: Option<&Path>, text: &str) -> Result<()> {
    write_with(path, |out| out.write_all(text.as_bytes()))
}

/// Writes what `body` produces to `--output` (atomically) or stdout as it is produced,
/// so a large report is streamed rather than held whole in memory; a closed stdout pipe
/// is not an error.
pub fn write_with(
    path: Option<&Path>,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match path {
        Some(p) if p != Path::new("-") => write_atomic_with(p, body),
        _ => match buffered(std::io::stdout().lock(), body) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        },
    }
}

fn buffered(
    sink: impl Write,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, sink);
    body(&mut out)?;
    out.flush()
}

/// Writes a new or regular file through a temporary sibling and a rename, so a reader
/// never sees half a report. Anything else is written in place: renaming over
/// `/dev/null`, `/dev/stdout`, a FIFO or a symlink would replace the device, pipe or
/// link itself (as root, `--output /dev/null` would leave a regular file there).
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    write_atomic_with(path, |out| out.write_all(text.as_bytes()))
}

fn write_atomic_with(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        return buffered(f, body).with_context(|| format!("cannot write {}", path.display()));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.stacklint-tmp"));
    let written = std::fs::File::create(&tmp).and_then(|f| buffered(f, body));
    if let Err(e) = written {
        // Never leave half a report behind.
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", tmp.display()));
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn analyze_scan(scan: &ScanArgs) -> Result<(Analysis, Target, crate::config::Config)> {
    let target = resolve_target(&scan.paths)?;
    let cfg = crate::config::load(scan, &target.root)?;
    let opts = scan_options(scan, target.root.clone(), &cfg.exclude);
    let analysis = pipeline::with_pool(scan.jobs, || pipeline::analyze(&opts))??;
    if scan.timings {
        eprint!("{}", analysis.timings.render());
    }
    print_input_problems(&analysis);
    Ok((analysis, target, cfg))
}

/// Files that could not be read or parsed are reported on stderr by `graph`/`stacks`
/// (the check turns them into `parse-error` findings).
fn print_input_problems(a: &Analysis) {
    let diags = crate::check::input_findings(&a.ws);
    if diags.is_empty() {
        return;
    }
    let text = output::render_compact(&a.ws, &diags);
    eprint!("{text}");
}

fn graph(args: GraphArgs) -> Result<i32> {
    let (a, _, _) = analyze_scan(&args.scan)?;
    let text = match args.format {
        GraphFormat::Json => {
            let mut s = serde_json::to_string_pretty(&output::graph::to_json(&a.ws, &a.links))?;
            s.push('\n');
            s
        }
        GraphFormat::Dot => output::graph::to_dot(&a.ws, &a.links),
        GraphFormat::Mermaid => output::graph::to_mermaid(&a.ws, &a.links),
    };
    write_out(args.scan.output.as_deref(), &text)?;
    Ok(EXIT_OK)
}

fn stacks(args: StacksArgs) -> Result<i32> {
    let (a, _, cfg) = analyze_scan(&args.scan)?;
    let facts = crate::profile::Facts::compute(&a.ws, &a.graph, &cfg);
    let text = match args.format {
        TableFormat::Table => output::stacks::to_table(&a.ws, &a.graph, &facts),
        TableFormat::Json => {
            let json = output::stacks::to_json(&a.ws, &a.graph, &facts);
            let mut s = serde_json::to_string_pretty(&json)?;
            s.push('\n');
            s
        }
    };
    write_out(args.scan.output.as_deref(), &text)?;
    Ok(EXIT_OK)
}
