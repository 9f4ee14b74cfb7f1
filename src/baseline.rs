//! Baselines for adopting stacklint on an existing estate: `--write-baseline` records
//! today's findings by a fingerprint that does not depend on line numbers; `--baseline`
//! hides those and reports only new ones.

use crate::model::Workspace;
use crate::parse::{normalized_hash, NormalizedHasher};
use crate::rules::Finding;
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    fingerprint: String,
    rule: String,
    stack: Option<String>,
    file: String,
    message: String,
}

/// The hash of the top-level block holding the finding, else of its message without
/// digits: stable when lines move or unrelated code changes.
fn anchor(ws: &Workspace, f: &Finding) -> u64 {
    let file = ws.file(f.loc.file);
    file.block_hashes
        .iter()
        .find(|(span, _)| {
            span.contains(f.loc.span)
                || (span.start <= f.loc.span.start && f.loc.span.start < span.end)
        })
        .map(|(_, h)| *h)
        .unwrap_or_else(|| normalized_hash(&f.message.replace(|c: char| c.is_ascii_digit(), "")))
}

/// Fingerprints of findings (same order). Findings sharing rule, stack, file and
/// anchor are told apart by their rank in message order.
pub fn fingerprints(ws: &Workspace, findings: &[Finding]) -> Vec<String> {
    let mut base: Vec<u64> = findings
        .par_iter()
        .map(|f| {
            let stack = f.stack.map(|s| ws.stacks[s].id.as_str()).unwrap_or("");
            // The hash of `rule␟stack␟file␟anchor` (anchor in 16 hex digits), fed in
            // pieces: formatting the key was most of this function's cost.
            let mut h = NormalizedHasher::new();
            for piece in [f.rule.as_str(), SEP, stack, SEP, ws.path(f.loc.file), SEP] {
                h.feed(piece);
            }
            h.feed(&hex16(anchor(ws, f)));
            h.finish()
        })
        .collect();
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.par_sort_by(|a, b| {
        (base[*a], &findings[*a].message).cmp(&(base[*b], &findings[*b].message))
    });
    let mut rank = vec![0usize; findings.len()];
    for w in 1..order.len() {
        if base[order[w]] == base[order[w - 1]] {
            rank[order[w]] = rank[order[w - 1]] + 1;
        }
    }
    for (i, b) in base.iter_mut().enumerate() {
        if rank[i] > 0 {
            *b = normalized_hash(&format!("{b:016x}#{}", rank[i]));
        }
    }
    base.par_iter().map(|&b| hex16(b)).collect()
}

/// Separates the parts of a fingerprint's key.
const SEP: &str = "\u{1f}";

/// `format!("{v:016x}")`, without the formatting machinery.
fn hex16(v: u64) -> String {
    (0..16)
        .rev()
        .map(|i| char::from(b"0123456789abcdef"[((v >> (4 * i)) & 0xf) as usize]))
        .collect()
}

pub fn write(path: &Path, ws: &Workspace, findings: &[Finding], fps: &[String]) -> Result<()> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .zip(fps)
        .map(|(f, fp)| Entry {
            fingerprint: fp.clone(),
            rule: f.rule.as_str().to_string(),
            stack: f.stack.map(|s| ws.stacks[s].id.clone()),
            file: ws.path(f.loc.file).to_string(),
            message: f.message.to_string(),
        })
        .collect();
    entries.sort();
    let mut text = serde_json::to_string_pretty(&File {
        version: 1,
        findings: entries,
    })?;
    text.push('\n');
    crate::app::write_atomic(path, &text)
}

/// Reads a baseline: fingerprint -> how many findings it holds.
pub fn read(path: &Path) -> Result<BTreeMap<String, usize>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    parse(&path.display().to_string(), &text)
}

/// Parses a baseline's text; `name` prefixes the `name:line:col` of an error.
pub fn parse(name: &str, text: &str) -> Result<BTreeMap<String, usize>> {
    let file: File = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{name}:{}:{}: not a stacklint baseline: {e}",
            e.line(),
            e.column()
        )
    })?;
    if file.version != 1 {
        anyhow::bail!("{name}: unsupported baseline version {}", file.version);
    }
    let mut out = BTreeMap::new();
    for e in file.findings {
        *out.entry(e.fingerprint).or_insert(0) += 1;
    }
    Ok(out)
}

/// Keeps findings not in the baseline (a baseline entry hides one finding).
pub fn filter(
    findings: Vec<Finding>,
    fps: Vec<String>,
    mut known: BTreeMap<String, usize>,
) -> (Vec<Finding>, Vec<String>) {
    findings
        .into_iter()
        .zip(fps)
        .filter(|(_, fp)| match known.get_mut(fp) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::hex16;

    #[test]
    fn hex16_is_sixteen_lowercase_digits() {
        for v in [0, 1, 0xabc, 0xdead_beef_0000_0001, u64::MAX] {
            assert_eq!(hex16(v), format!("{v:016x}"));
        }
    }
}
