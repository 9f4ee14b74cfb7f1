//! The whole analysis: discover -> parse -> model -> link -> graph, on a rayon pool with
//! large thread stacks (deeply nested input needs them in debug builds).

use crate::discover::{self, DiscoverOptions};
use crate::graph::StackGraph;
use crate::link::{self, Links};
use crate::model::{self, Workspace};
use crate::parse::{self, ParseOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub root: PathBuf,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: Option<u64>,
    pub jobs: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Stage, wall time, what it produced, resident memory when it ended (KiB).
    pub stages: Vec<(&'static str, Duration, String, Option<u64>)>,
}

impl Timings {
    pub fn record(&mut self, stage: &'static str, start: Instant, what: String) {
        #[cfg(feature = "heap-stats")]
        let what = {
            let (live, peak) = crate::allocator::stats::stage_mark();
            format!("{what} (heap {} MiB, peak {} MiB)", live >> 20, peak >> 20)
        };
        self.stages
            .push((stage, start.elapsed(), what, resident_kib("VmRSS:")));
    }

    pub fn render(&self) -> String {
        let total: Duration = self.stages.iter().map(|s| s.1).sum();
        let mut out = String::new();
        for (stage, d, what, rss) in &self.stages {
            let rss = match rss {
                Some(kib) => format!("{:>6} MiB RSS  ", kib / 1024),
                None => String::new(),
            };
            out.push_str(&format!(
                "{stage:>9}: {:>9.3} ms  {rss}{what}\n",
                d.as_secs_f64() * 1000.0
            ));
        }
        out.push_str(&format!(
            "{:>9}: {:>9.3} ms\n",
            "total",
            total.as_secs_f64() * 1000.0
        ));
        if let Some(peak) = resident_kib("VmHWM:") {
            out.push_str(&format!("{:>9}: {:>6} MiB\n", "peak RSS", peak / 1024));
        }
        out
    }
}

/// A memory figure of this process from `/proc/self/status` (Linux), in KiB.
fn resident_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

pub struct Analysis {
    pub ws: Workspace,
    pub links: Links,
    pub graph: StackGraph,
    pub timings: Timings,
}

/// Transparent huge pages off for this process (the binary and the benchmarks call it
/// first thing). mimalloc asks for them on its arenas, and the kernel then zeroes 2 MiB
/// at the first touch of each: on a 16-file tree that was a third of the run and
/// doubled resident memory (10 -> 20 MiB); on 10,000 stacks it cost 0.4 s of system
/// time. A short-lived process gains nothing from fewer TLB misses.
#[cfg(target_os = "linux")]
pub fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag on this
    // process's memory descriptor; the result is ignored (older kernels lack it).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn no_huge_pages() {}

pub const THREAD_STACK: usize = 8 * 1024 * 1024;

/// Most items (files, stacks) one parallel task takes on. Rayon otherwise splits a list
/// into a few large pieces, and the last one ran alone on one core for tens of
/// milliseconds at the end of each stage (seen in a perf timeline of 10,000 stacks);
/// items cost microseconds, so smaller pieces add no measurable overhead.
pub const PAR_CHUNK: usize = 16;

/// Runs `f` on a rayon pool with `jobs` threads (default: one per core) and large stacks.
pub fn with_pool<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> anyhow::Result<T> {
    let mut b = rayon::ThreadPoolBuilder::new().stack_size(THREAD_STACK);
    if let Some(n) = jobs {
        b = b.num_threads(n.max(1));
    }
    let pool = b.build()?;
    Ok(pool.install(f))
}

/// Discovers, parses, models and links a tree. Must run inside `with_pool`.
pub fn analyze(opts: &ScanOptions) -> anyhow::Result<Analysis> {
    analyze_observed(opts, &|_, _| {})
}

/// `analyze`, telling `on_stage(stage, what)` when each stage is done (for progress).
pub fn analyze_observed(
    opts: &ScanOptions,
    on_stage: &(dyn Fn(&'static str, &str) + Sync),
) -> anyhow::Result<Analysis> {
    crate::model::taxonomy::prewarm();
    let mut timings = Timings::default();
    let timings_record = |timings: &mut Timings, stage, t, what: String| {
        on_stage(stage, &what);
        timings.record(stage, t, what);
    };
    let t = Instant::now();
    let found = discover::discover(
        &opts.root,
        &DiscoverOptions {
            include: opts.include.clone(),
            exclude: opts.exclude.clone(),
        },
    )?;
    timings_record(
        &mut timings,
        "discover",
        t,
        format!("{} files", found.files.len()),
    );

    let t = Instant::now();
    let popts = ParseOptions {
        max_file_size: opts
            .max_file_size
            .unwrap_or(ParseOptions::default().max_file_size),
    };
    let mut files = parse::parse_all(&opts.root, &found.files, popts);
    // Paths the walk could not enter become file entries carrying their problem, so the
    // check reports them like any unreadable file.
    for p in &found.problems {
        files.push(parse::unreadable(&p.rel, &p.message));
    }
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    timings_record(
        &mut timings,
        "parse",
        t,
        format!("{} files, {}", files.len(), parse::human_size(bytes)),
    );

    let t = Instant::now();
    let ws = model::build(&opts.root, files, Vec::new());
    timings_record(
        &mut timings,
        "model",
        t,
        format!("{} stacks", ws.stacks.len()),
    );

    let t = Instant::now();
    let links = link::link(&ws);
    timings_record(
        &mut timings,
        "link",
        t,
        format!(
            "{} edges, {} unresolved",
            links.edges.len(),
            links.unresolved.len()
        ),
    );

    let t = Instant::now();
    let graph = StackGraph::build(&ws, &links);
    timings_record(
        &mut timings,
        "graph",
        t,
        format!("{} cycles", graph.cycles.len()),
    );
    Ok(Analysis {
        ws,
        links,
        graph,
        timings,
    })
}

/// The whole pipeline on files held in memory (`(relative path, bytes)`), rooted at
/// `root` for path functions: parse, model, link, graph. For fuzzing and tests.
pub fn analyze_in_memory(root: &std::path::Path, files: Vec<(String, Vec<u8>)>) -> Analysis {
    let mut parsed: Vec<parse::ParsedFile> = files
        .into_iter()
        .filter_map(|(rel, bytes)| parse::parse_memory(&rel, bytes))
        .collect();
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    parsed.dedup_by(|a, b| a.path == b.path);
    let ws = model::build(root, parsed, Vec::new());
    let links = link::link(&ws);
    let graph = StackGraph::build(&ws, &links);
    Analysis {
        ws,
        links,
        graph,
        timings: Timings::default(),
    }
}

/// Test support: a tree written from `(path, text)` pairs into a temporary directory
/// (kept alive by the returned handle) and analysed on `jobs` threads.
#[cfg(test)]
pub(crate) fn analyze_files(files: &[(&str, &str)], jobs: usize) -> (tempfile::TempDir, Analysis) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (p, text) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let opts = ScanOptions {
        root: dir.path().to_path_buf(),
        ..ScanOptions::default()
    };
    let a = with_pool(Some(jobs), || analyze(&opts))
        .expect("pool")
        .expect("analyze");
    (dir, a)
}
