//! The taxonomy's resource-type patterns, indexed. Almost every pattern is a literal
//! type (`aws_db_instance`), a prefix (`aws_db_*`) or uses only `*` (`*_bucket*`); those
//! are matched with hash lookups and a small wildcard matcher. Compiling them all into
//! one glob automaton instead cost ~15 ms per run: most of a small pre-commit run, and
//! a second per input under the fuzzer's sanitizers. Anything else (`?`, `[...]`,
//! `{a,b}`) still goes through globset.

use foldhash::HashMap;
use globset::{Glob, GlobSet, GlobSetBuilder};

#[derive(Debug, Default)]
pub struct TypePatterns {
    exact: HashMap<String, Vec<usize>>,
    prefix: HashMap<String, Vec<usize>>,
    /// Patterns with `*` elsewhere than at the end, split at the stars.
    starred: Vec<(usize, Vec<String>)>,
    complex: Vec<usize>,
    globs: GlobSet,
}

pub struct Builder {
    out: TypePatterns,
    globs: GlobSetBuilder,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            out: TypePatterns::default(),
            globs: GlobSetBuilder::new(),
        }
    }
}

impl Builder {
    /// Adds pattern number `id`; false (and not added) when it is not a valid glob.
    pub fn add(&mut self, id: usize, pattern: &str) -> bool {
        if pattern.contains(['?', '[', ']', '{', '}', '\\']) {
            let Ok(g) = Glob::new(pattern) else {
                return false;
            };
            self.globs.add(g);
            self.out.complex.push(id);
            return true;
        }
        match pattern.find('*') {
            None => self
                .out
                .exact
                .entry(pattern.to_string())
                .or_default()
                .push(id),
            Some(at) if at == pattern.len() - 1 => self
                .out
                .prefix
                .entry(pattern[..at].to_string())
                .or_default()
                .push(id),
            Some(_) => self
                .out
                .starred
                .push((id, pattern.split('*').map(str::to_string).collect())),
        }
        true
    }

    pub fn build(mut self) -> TypePatterns {
        self.out.globs = self.globs.build().unwrap_or_else(|_| GlobSet::empty());
        self.out
    }
}

impl TypePatterns {
    /// The ids of every pattern matching `s`, sorted.
    pub fn matches(&self, s: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let Some(ids) = self.exact.get(s) {
            out.extend(ids);
        }
        for end in (0..=s.len()).filter(|&e| s.is_char_boundary(e)) {
            if let Some(ids) = self.prefix.get(&s[..end]) {
                out.extend(ids);
            }
        }
        for (id, parts) in &self.starred {
            if wildcard(parts, s) {
                out.push(*id);
            }
        }
        for i in self.globs.matches(s) {
            if let Some(id) = self.complex.get(i) {
                out.push(*id);
            }
        }
        out.sort_unstable();
        out
    }
}

/// Does `s` match the pattern whose `*`-separated pieces are `parts`?
fn wildcard(parts: &[String], s: &str) -> bool {
    let [first, middle @ .., last] = parts else {
        return parts.first().is_some_and(|p| p == s);
    };
    if s.len() < first.len() + last.len() || !s.starts_with(first.as_str()) {
        return false;
    }
    if !s.ends_with(last.as_str()) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form agrees with globset on a set of real and awkward type names.
    #[test]
    fn agrees_with_globset() {
        let patterns = [
            "aws_db_instance",
            "aws_db_*",
            "*_bucket*",
            "*_queue",
            "google_*_instance*",
            "azurerm_*",
            "*",
            "aws_s3_bucket_?olicy",
            "{aws,google}_dns_*",
            "a*b*a",
            "",
        ];
        let types = [
            "aws_db_instance",
            "aws_db_subnet_group",
            "aws_s3_bucket",
            "aws_s3_bucket_policy",
            "google_storage_bucket",
            "aws_sqs_queue",
            "aws_sqs_queue_policy",
            "google_compute_instance_group_manager",
            "google_sql_database_instance",
            "azurerm_linux_virtual_machine",
            "aws_dns_zone",
            "google_dns_managed_zone",
            "aba",
            "ab",
            "",
            "ünïcode_bucket",
        ];
        let mut b = Builder::default();
        for (i, p) in patterns.iter().enumerate() {
            assert!(b.add(i, p), "{p}");
        }
        let index = b.build();
        for t in types {
            let want: Vec<usize> = patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| Glob::new(p).unwrap().compile_matcher().is_match(t))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(index.matches(t), want, "{t}");
        }
    }

    #[test]
    fn invalid_globs_are_refused() {
        let mut b = Builder::default();
        assert!(!b.add(0, "aws_[db"));
        assert!(b.build().matches("aws_[db").is_empty());
    }
}
