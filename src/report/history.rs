//! Change history from git: per stack, the commits and distinct authors in the last N
//! days, and *change coupling*: pairs of stacks changed together in most of their
//! commits (the catalogue's sign that a split does not pay, or that many people work on
//! a monolith).
//!
//! Like `crate::history`, this starts only `git`, with fixed argument lists, and only
//! reads. The window ends at the newest commit (not at the wall clock), so the same
//! repository gives the same report on any day. Outside a repository or without git the
//! result says why, and the rest of the report is unaffected.

use crate::model::Workspace;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Commits touching more stacks than this are bulk edits (formatting, provider
/// upgrades): they count for each stack but not for change coupling.
pub const BULK_COMMIT_STACKS: usize = 30;
/// A pair is listed when changed together at least this often...
pub const MIN_TOGETHER: usize = 2;
/// ...and in at least this share of their commits (together / average of both counts).
pub const MIN_DEGREE: f64 = 0.5;
/// At most this many pairs are listed.
pub const MAX_PAIRS: usize = 200;
/// At most this many commits are read.
pub const MAX_COMMITS: usize = 50_000;

#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    /// `false`: `reason` says why there is no history.
    pub available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub days: u32,
    /// The window, as dates (UTC): `days` days up to the newest commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Commits in the window that touch a stack.
    pub commits: usize,
    /// Distinct authors of those commits.
    pub authors: usize,
    /// Per stack id with at least one commit in the window.
    pub stacks: BTreeMap<String, StackChanges>,
    pub co_changes: Vec<CoChange>,
    /// Pairs that met the thresholds (more than `co_changes` holds when capped).
    pub co_change_pairs: usize,
    /// Commits left out of change coupling because they touch more than
    /// `BULK_COMMIT_STACKS` stacks.
    pub bulk_commits: usize,
    /// `MAX_COMMITS` was reached.
    pub truncated: bool,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StackChanges {
    pub commits: usize,
    pub authors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoChange {
    pub a: String,
    pub b: String,
    /// Commits that changed both.
    pub together: usize,
    pub a_commits: usize,
    pub b_commits: usize,
    /// `together` / average of `a_commits` and `b_commits`, two decimals.
    pub degree: f64,
}

impl History {
    pub fn unavailable(days: u32, reason: impl Into<String>) -> History {
        History {
            available: false,
            reason: Some(reason.into()),
            days,
            ..History::default()
        }
    }
}

/// One commit: author key, commit time and the files it changed (relative to the root).
#[derive(Debug, Clone)]
pub struct Commit {
    pub author: String,
    pub time: i64,
    pub files: Vec<String>,
}

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    // No pager, no file-system monitor hook from the repository's config: read only.
    c.arg("--no-pager")
        .arg("-c")
        .arg("core.fsmonitor=false")
        .arg("-C")
        .arg(root);
    c
}

fn stderr_line(out: &std::process::Output) -> String {
    let e = String::from_utf8_lossy(&out.stderr);
    e.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Reads the commits of the last `days` days (up to the newest commit) that touch files
/// under `root`; `Err` says why history is unavailable.
pub fn read_commits(root: &Path, days: u32) -> Result<(Vec<Commit>, i64, bool), String> {
    let inside = git(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(|e| {
            format!("git could not be started ({e}); install git to see change history")
        })?;
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        let why = stderr_line(&inside);
        return Err(if why.contains("not a git repository") || why.is_empty() {
            "the scanned tree is not inside a git repository".to_string()
        } else {
            format!("git cannot read this repository: {why}")
        });
    }
    let head = git(root)
        .args(["log", "-1", "--format=%ct", "--"])
        .output()
        .map_err(|e| format!("git could not be started ({e})"))?;
    let head_time: i64 = match String::from_utf8_lossy(&head.stdout).trim().parse() {
        Ok(t) if head.status.success() => t,
        _ => return Err("the repository has no commits yet".to_string()),
    };
    let since = head_time - i64::from(days) * 86_400;
    let out = git(root)
        .args([
            "log",
            "--no-merges",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--format=%x1e%aE%x1f%aN%x1f%ct",
            "--name-only",
            "-z",
            "--relative",
        ])
        .arg(format!("--since=@{since}"))
        .arg(format!("--max-count={}", MAX_COMMITS + 1))
        .args(["--", "."])
        .output()
        .map_err(|e| format!("git could not be started ({e})"))?;
    if !out.status.success() {
        return Err(format!("git log failed: {}", stderr_line(&out)));
    }
    let mut commits = parse_log(&out.stdout);
    commits.retain(|c| c.time >= since && c.time <= head_time);
    let truncated = commits.len() > MAX_COMMITS;
    commits.truncate(MAX_COMMITS);
    Ok((commits, head_time, truncated))
}

/// Parses `--format=%x1e%aE%x1f%aN%x1f%ct --name-only -z` output.
pub fn parse_log(bytes: &[u8]) -> Vec<Commit> {
    let mut out = Vec::new();
    for rec in bytes.split(|b| *b == 0x1e).filter(|r| !r.is_empty()) {
        let mut parts = rec.split(|b| *b == 0);
        let header = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        let mut fields = header.split('\x1f');
        let email = fields.next().unwrap_or("").trim().to_lowercase();
        let name = fields.next().unwrap_or("").trim().to_string();
        let Some(time) = fields.next().and_then(|t| t.trim().parse::<i64>().ok()) else {
            continue;
        };
        let files = parts
            .map(|p| {
                String::from_utf8_lossy(p)
                    .trim_start_matches('\n')
                    .to_string()
            })
            .filter(|p| !p.is_empty())
            .collect();
        out.push(Commit {
            author: if email.is_empty() { name } else { email },
            time,
            files,
        });
    }
    out
}

/// Reads git history for the stacks of `ws` (never fails: an unavailable history says
/// why).
pub fn collect(ws: &Workspace, root: &Path, days: u32) -> History {
    match read_commits(root, days) {
        Ok((commits, head, truncated)) => {
            let mut h = summarize(ws, &commits, days);
            h.from = Some(date(head - i64::from(days) * 86_400));
            h.to = Some(date(head));
            h.truncated = truncated;
            h
        }
        Err(reason) => History::unavailable(days, reason),
    }
}

/// Per-stack counts and change coupling from a list of commits.
pub fn summarize(ws: &Workspace, commits: &[Commit], days: u32) -> History {
    let n = ws.stacks.len();
    let mut stack_commits = vec![0usize; n];
    let mut stack_authors: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); n];
    let mut all_authors: BTreeSet<&str> = BTreeSet::new();
    let mut pairs: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut touching = 0usize;
    let mut bulk = 0usize;
    for c in commits {
        let stacks: BTreeSet<usize> = c.files.iter().filter_map(|f| ws.stack_of_file(f)).collect();
        if stacks.is_empty() {
            continue;
        }
        touching += 1;
        all_authors.insert(&c.author);
        for s in &stacks {
            stack_commits[*s] += 1;
            stack_authors[*s].insert(&c.author);
        }
        if stacks.len() > BULK_COMMIT_STACKS {
            bulk += 1;
            continue;
        }
        let v: Vec<usize> = stacks.into_iter().collect();
        for (i, a) in v.iter().enumerate() {
            for b in &v[i + 1..] {
                *pairs.entry((*a, *b)).or_default() += 1;
            }
        }
    }
    let mut co: Vec<CoChange> = pairs
        .into_iter()
        .filter_map(|((a, b), together)| {
            let (ca, cb) = (stack_commits[a], stack_commits[b]);
            let degree = together as f64 * 2.0 / (ca + cb) as f64;
            (together >= MIN_TOGETHER && degree >= MIN_DEGREE).then(|| {
                let (sa, sb) = (&ws.stacks[a].id, &ws.stacks[b].id);
                let ((a, ca), (b, cb)) = if sa <= sb {
                    ((sa, ca), (sb, cb))
                } else {
                    ((sb, cb), (sa, ca))
                };
                CoChange {
                    a: a.clone(),
                    b: b.clone(),
                    together,
                    a_commits: ca,
                    b_commits: cb,
                    degree: (degree * 100.0).round() / 100.0,
                }
            })
        })
        .collect();
    co.sort_by(|x, y| {
        y.degree
            .total_cmp(&x.degree)
            .then_with(|| y.together.cmp(&x.together))
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    let pairs_total = co.len();
    co.truncate(MAX_PAIRS);
    History {
        available: true,
        reason: None,
        days,
        from: None,
        to: None,
        commits: touching,
        authors: all_authors.len(),
        stacks: (0..n)
            .filter(|i| stack_commits[*i] > 0)
            .map(|i| {
                (
                    ws.stacks[i].id.clone(),
                    StackChanges {
                        commits: stack_commits[i],
                        authors: stack_authors[i].len(),
                    },
                )
            })
            .collect(),
        co_changes: co,
        co_change_pairs: pairs_total,
        bulk_commits: bulk,
        truncated: false,
    }
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn date(unix: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_700_000_000), "2023-11-14");
        assert_eq!(date(-86_400), "1969-12-31");
    }

    #[test]
    fn parses_git_log_records() {
        let raw = b"\x1eAnn@X.io\x1fAnn\x1f100\0\na/f.tf\0b/g.tf\0\x1e\x1fBob\x1f90\0\nc.tf\0";
        let c = parse_log(raw);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].author, "ann@x.io");
        assert_eq!(c[0].files, vec!["a/f.tf", "b/g.tf"]);
        assert_eq!(c[1].author, "Bob");
        assert_eq!(c[1].time, 90);
        assert_eq!(c[1].files, vec!["c.tf"]);
    }
}
