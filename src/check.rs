//! `stacklint check`: runs the rules in parallel, applies configuration (severity, off),
//! suppressions, the changed-only focus and the baseline, sorts, renders, and maps the
//! result to an exit code.

use crate::app::{self, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::cli::{CheckArgs, CheckFormat, ColorChoice, FailOn, RulesArgs, TableFormat};
use crate::config::Config;
use crate::model::Workspace;
use crate::output::{self, Report, SourceCache, Summary};
use crate::pipeline::{self, Analysis};
use crate::rules::{self, Context, Finding, Prepared, Rule, RuleId, Severity};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::IsTerminal;

/// Findings about the input itself (unreadable or unparsable files).
pub fn input_findings(ws: &Workspace) -> Vec<Finding> {
    let mut v = rules::input::parse_error::findings(ws);
    sort(ws, &mut v);
    v
}

pub fn sort(ws: &Workspace, findings: &mut [Finding]) {
    findings.par_sort_by(|a, b| {
        (
            ws.path(a.loc.file),
            a.loc.span.start,
            a.loc.span.end,
            a.rule,
            &a.message,
        )
            .cmp(&(
                ws.path(b.loc.file),
                b.loc.span.start,
                b.loc.span.end,
                b.rule,
                &b.message,
            ))
    });
}

fn parse_ids(list: &[String], flag: &str) -> Result<BTreeSet<RuleId>> {
    let mut out = BTreeSet::new();
    for raw in list {
        let id = raw.trim();
        if id.is_empty() {
            continue;
        }
        match RuleId::parse(id) {
            Some(r) => {
                out.insert(r);
            }
            None => {
                let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
                let hint = crate::suggest::closest(id, known.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                bail!("{flag}: unknown rule `{id}`{hint}; `stacklint rules` lists them");
            }
        }
    }
    Ok(out)
}

/// Which rules the user asked for (`--select`, `--ignore`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: BTreeSet<RuleId>,
    pub ignore: BTreeSet<RuleId>,
}

impl Selection {
    pub fn only(ids: &[RuleId]) -> Selection {
        Selection {
            select: ids.iter().copied().collect(),
            ignore: BTreeSet::new(),
        }
    }

    fn wants(&self, config: &Config, m: &rules::RuleMeta) -> bool {
        (self.select.is_empty() || self.select.contains(&m.id))
            && !self.ignore.contains(&m.id)
            && !config.disabled_everywhere(m)
    }
}

/// Runs the rules on an analysed tree and applies configured levels and inline
/// suppressions: everything of `check` but focus, baseline, sorting and output.
/// Returns the findings (unsorted) and internal errors of rules that panicked.
pub fn lint(
    analysis: &Analysis,
    config: &Config,
    selection: &Selection,
) -> (Vec<Finding>, Vec<String>) {
    let (findings, errors, _) = lint_timed(analysis, config, selection);
    (findings, errors)
}

/// [`lint`], also returning how long each rule ran (for `--timings`).
pub fn lint_timed(
    analysis: &Analysis,
    config: &Config,
    selection: &Selection,
) -> (Vec<Finding>, Vec<String>, RuleTimes) {
    let cx = Context::new(&analysis.ws, &analysis.links, &analysis.graph, config);
    let enabled = |m: &rules::RuleMeta| selection.wants(config, m);
    let (raw, errors, ran, times) = run_rules(&cx, &enabled);
    let mut findings = apply_levels(&analysis.ws, config, raw);
    let engine = crate::suppress::apply(
        &analysis.ws,
        &mut findings,
        config.require_suppression_reason,
        &ran,
    );
    let engine: Vec<Finding> = engine
        .into_iter()
        .filter(|f| rules::meta_of(f.rule).is_some_and(&enabled))
        .collect();
    findings.extend(apply_levels(&analysis.ws, config, engine));
    (findings, errors, times)
}

/// Wall time of each rule that ran. Rules run in parallel and share analyses
/// (similarity, profiles) built before them; the first rule to need one pays for it.
#[derive(Debug, Default)]
pub struct RuleTimes(pub Vec<(RuleId, std::time::Duration)>);

impl RuleTimes {
    /// The slowest rules, one line each, in the `--timings` layout.
    pub fn render(&self, top: usize) -> String {
        let mut v = self.0.clone();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out = String::new();
        for (id, d) in v.iter().take(top) {
            out.push_str(&format!(
                "{:>9}  {:>9.3} ms  {id}\n",
                "",
                d.as_secs_f64() * 1000.0
            ));
        }
        out
    }
}

/// Analyses and lints a directory with the configuration found above it (or none):
/// the library entry point used by tests and the report.
pub fn lint_dir(
    root: &std::path::Path,
    selection: &Selection,
    jobs: Option<usize>,
) -> Result<(Analysis, Vec<Finding>)> {
    let scan = crate::cli::ScanArgs::default();
    let config = crate::config::load(&scan, root)?;
    let opts = app::scan_options(&scan, root.to_path_buf(), &config.exclude);
    let (analysis, mut findings, errors) = pipeline::with_pool(jobs, || -> Result<_> {
        let mut analysis = pipeline::analyze(&opts)?;
        crate::config::contracts::attach(&mut analysis.ws, &config);
        let (findings, errors) = lint(&analysis, &config, selection);
        Ok((analysis, findings, errors))
    })??;
    if let Some(e) = errors.first() {
        bail!("{e}");
    }
    sort(&analysis.ws, &mut findings);
    Ok((analysis, findings))
}

/// Runs every enabled rule in parallel; a panicking rule is reported, not fatal.
pub fn run_rules(
    cx: &Context,
    enabled: &dyn Fn(&rules::RuleMeta) -> bool,
) -> (Vec<Finding>, Vec<String>, BTreeSet<RuleId>, RuleTimes) {
    rules::texts::new_run();
    let all = rules::all();
    let active: Vec<&Box<dyn Rule>> = all.iter().filter(|r| enabled(r.meta())).collect();
    let ran: BTreeSet<RuleId> = active.iter().map(|r| r.meta().id).collect();
    // Shared facts first, each computed once, independent ones side by side (see
    // `Context::warm`); a rule's time includes the facts it was the first to claim. A
    // rule that warms nothing runs its check in the same step: the similarity groups'
    // serial part otherwise left one core idle for ~20 ms on 10,000 stacks.
    let first: Vec<(std::time::Duration, Option<Outcome>)> = active
        .par_iter()
        .map(|r| {
            let t = std::time::Instant::now();
            // A panic here resurfaces (and is reported) when the rule itself runs.
            let prepare = std::panic::AssertUnwindSafe(|| r.prepare(cx));
            let prepared = std::panic::catch_unwind(prepare).unwrap_or(Prepared::Facts);
            let took = t.elapsed();
            match prepared {
                Prepared::Nothing => (took, Some(check_one(cx, r.as_ref()))),
                Prepared::Facts => (took, None),
            }
        })
        .collect();
    let results: Vec<(Outcome, std::time::Duration)> = active
        .par_iter()
        .zip(first)
        .map(|(r, (prepared, done))| (done.unwrap_or_else(|| check_one(cx, r.as_ref())), prepared))
        .collect();
    // At its exact size: the findings are kept to the end of the run, and a list grown
    // by doubling keeps up to twice their room (35,000 findings, ~3.6 MiB a copy).
    let total = results
        .iter()
        .map(|((r, _), _)| r.as_ref().map_or(0, Vec::len))
        .sum();
    let mut findings = Vec::with_capacity(total);
    let mut errors = Vec::new();
    let mut times = RuleTimes::default();
    for (((r, d), p), rule) in results.into_iter().zip(&active) {
        times.0.push((rule.meta().id, d + p));
        match r {
            Ok(f) => findings.extend(f),
            Err(e) => errors.push(e),
        }
    }
    (findings, errors, ran, times)
}

/// A rule's findings (or the error its panic became) and how long its check took.
type Outcome = (Result<Vec<Finding>, String>, std::time::Duration);

/// Runs one rule's check, turning a panic into an error naming the rule.
fn check_one(cx: &Context, rule: &dyn Rule) -> Outcome {
    let t = std::time::Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Vec::new();
        rule.check(cx, &mut out);
        out
    }))
    .map_err(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        format!(
            "internal error in rule {}: {what} (please report this)",
            rule.meta().id
        )
    });
    (result, t.elapsed())
}

/// Applies per-path severity from the config; drops findings of rules that are off there.
pub fn apply_levels(ws: &Workspace, config: &Config, findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            let meta = rules::meta_of(f.rule)?;
            let path = match f.stack {
                Some(s) => ws.stacks[s].dir.clone(),
                None => ws.path(f.loc.file).to_string(),
            };
            let level = config.level(meta, &path)?;
            // A rule that chose a lower severity for one finding (a skipped file is a
            // note) keeps it unless the config sets the rule explicitly.
            if f.severity == meta.default_severity || config_sets_level(config, f.rule) {
                f.severity = level;
            }
            Some(f)
        })
        .collect()
}

fn config_sets_level(config: &Config, id: RuleId) -> bool {
    config.rules.get(&id).is_some_and(|s| s.level.is_some())
        || config
            .overrides
            .iter()
            .any(|o| o.rules.get(&id).is_some_and(|s| s.level.is_some()))
}

fn use_color(choice: ColorChoice) -> bool {
    color_enabled(
        choice,
        std::env::var_os("NO_COLOR").as_deref(),
        std::io::stdout().is_terminal(),
    )
}

/// `--color`: `always`/`never` win; `auto` colours a terminal unless `NO_COLOR` is set to
/// a non-empty value (no-color.org: an explicit flag overrides the variable).
pub fn color_enabled(choice: ColorChoice, no_color: Option<&std::ffi::OsStr>, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => no_color.is_none_or(|v| v.is_empty()) && tty,
    }
}

pub fn run(args: CheckArgs) -> Result<i32> {
    // Everything, rendering included, runs on the pool: `--jobs` bounds every stage.
    pipeline::with_pool(args.scan.jobs, move || run_pooled(args))?
}

fn run_pooled(args: CheckArgs) -> Result<i32> {
    let select = parse_ids(&args.select, "--select")?;
    let ignore = parse_ids(&args.ignore, "--ignore")?;
    let target = app::resolve_target(&args.scan.paths)?;
    let config = crate::config::load(&args.scan, &target.root)?;
    let opts = app::scan_options(&args.scan, target.root.clone(), &config.exclude);
    let changed = match &args.changed_since {
        Some(r) => Some(crate::history::changed_files(&target.root, r)?),
        None => None,
    };

    let selection = Selection { select, ignore };
    let (analysis, mut findings, errors, times) = {
        let mut analysis = pipeline::analyze(&opts)?;
        crate::config::contracts::attach(&mut analysis.ws, &config);
        let t = std::time::Instant::now();
        let (findings, errors, times) = lint_timed(&analysis, &config, &selection);
        analysis
            .timings
            .record("rules", t, format!("{} findings", findings.len()));
        (analysis, findings, errors, times)
    };
    // The process exits after the output; freeing millions of small allocations on a
    // large tree costs ~100 ms the user waits for and gains nothing.
    let analysis = std::mem::ManuallyDrop::new(analysis);
    let ws = &analysis.ws;
    let report_start = std::time::Instant::now();
    // Printed once the output is written, so that rendering is counted too.
    let print_timings = |findings: usize| {
        if args.scan.timings {
            let mut timings = analysis.timings.clone();
            timings.record("report", report_start, format!("{findings} findings shown"));
            eprint!("{}", timings.render());
            eprintln!("slowest rules (in parallel, wall time each):");
            eprint!("{}", times.render(8));
        }
    };

    sort(ws, &mut findings);
    // Fingerprints over every finding of the tree, before narrowing: a duplicate's rank
    // (see `baseline::fingerprints`) must not depend on which files were named.
    let mut fingerprints = crate::baseline::fingerprints(ws, &findings);

    // Narrow to what was asked: files passed (pre-commit) or changed since a ref.
    let mut focus: Option<Vec<String>> = target.focus.clone();
    if let Some(ch) = changed {
        focus.get_or_insert_with(Vec::new).extend(ch);
    }
    if let Some(paths) = &focus {
        let keep = crate::focus::mask(&analysis, &findings, paths);
        let (kept, fps): (Vec<Finding>, Vec<String>) = findings
            .into_iter()
            .zip(fingerprints)
            .zip(keep)
            .filter_map(|(pair, k)| k.then_some(pair))
            .unzip();
        findings = kept;
        fingerprints = fps;
    }
    if let Some(path) = &args.write_baseline {
        crate::baseline::write(path, ws, &findings, &fingerprints)?;
        print_timings(findings.len());
        if !args.quiet {
            eprintln!(
                "stacklint: wrote {} finding(s) to baseline {}",
                findings.len(),
                path.display()
            );
        }
        return Ok(if errors.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERROR
        });
    }
    let (findings, fingerprints) = match &args.baseline {
        Some(path) => {
            let known = crate::baseline::read(path)?;
            crate::baseline::filter(findings, fingerprints, known)
        }
        None => (findings, fingerprints),
    };

    let cache = SourceCache::new(ws);
    let report = Report {
        ws,
        findings: &findings,
        fingerprints: &fingerprints,
        summary: Summary::new(ws, analysis.links.edges.len(), &findings),
        color: use_color(args.scan.color) && args.scan.output.is_none(),
        sources: &cache,
    };
    type Writer = fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>;
    let write: Writer = match args.format {
        CheckFormat::Pretty => output::pretty::write,
        CheckFormat::Json => output::json::write,
        CheckFormat::Sarif => output::sarif::write,
        CheckFormat::Compact => output::compact::write,
        CheckFormat::Github => output::github::write,
        CheckFormat::Junit => output::junit::write,
        CheckFormat::Checkstyle => output::checkstyle::write,
    };
    app::write_with(args.scan.output.as_deref(), |out| {
        write(&report, out)?;
        if matches!(args.format, CheckFormat::Pretty) && !args.quiet {
            out.write_all(output::pretty::summary_line(&report).as_bytes())?;
        }
        Ok(())
    })?;
    print_timings(findings.len());
    for e in &errors {
        eprintln!("stacklint: {e}");
    }
    if !errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
    };
    Ok(if findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

pub fn list_rules(args: RulesArgs) -> Result<i32> {
    let metas = rules::all_meta();
    let text = match args.format {
        TableFormat::Json => {
            let v: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id.as_str(),
                        "category": m.category.as_str(),
                        "severity": m.default_severity.as_str(),
                        "summary": m.summary,
                        "options": m.options.iter().map(|o| serde_json::json!({
                            "name": o.name, "default": o.default.render(), "doc": o.doc
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let mut s =
                serde_json::to_string_pretty(&serde_json::json!({"version": 1, "rules": v}))?;
            s.push('\n');
            s
        }
        TableFormat::Table => {
            let rows: Vec<Vec<String>> = metas
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.category.as_str().to_string(),
                        m.default_severity.as_str().to_string(),
                        m.summary.to_string(),
                    ]
                })
                .collect();
            output::stacks::render_table(&["RULE", "CATEGORY", "SEVERITY", "SUMMARY"], &rows)
        }
    };
    app::write_out(None, &text)?;
    Ok(EXIT_OK)
}

pub fn explain(id: &str) -> Result<i32> {
    let Some(rule) = RuleId::parse(id) else {
        let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        let hint = crate::suggest::closest(id, known.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        bail!("unknown rule `{id}`{hint}; `stacklint rules` lists them");
    };
    match rules::doc(rule) {
        Some(doc) => {
            app::write_out(None, doc)?;
            Ok(EXIT_OK)
        }
        None => bail!("rule `{id}` has no documentation page (this is a bug)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_only_affects_auto() {
        let set = Some(OsStr::new("1"));
        assert!(color_enabled(ColorChoice::Auto, None, true));
        assert!(!color_enabled(ColorChoice::Auto, set, true));
        assert!(color_enabled(ColorChoice::Auto, Some(OsStr::new("")), true));
        assert!(!color_enabled(ColorChoice::Auto, None, false));
        assert!(color_enabled(ColorChoice::Always, set, false));
        assert!(!color_enabled(ColorChoice::Never, None, true));
    }
}
