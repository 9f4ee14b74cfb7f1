//! `/`-separated path arithmetic on strings, independent of the host OS, so that stack
//! ids and resolved module/dependency paths are the same on every platform.

/// Normalises `.` and `..` segments and repeated slashes. Keeps a leading `/` and any
/// `..` that climbs above the start of a relative path.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(s) if *s != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// Joins `rel` onto directory `dir` (both `/`-separated); an absolute `rel` wins.
pub fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') || dir.is_empty() || dir == "." {
        normalize(rel)
    } else {
        normalize(&format!("{dir}/{rel}"))
    }
}

/// The parent directory of a `/`-separated path (`"."` for a top-level entry).
pub fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => path[..i].to_string(),
        None => ".".to_string(),
    }
}

/// The last segment of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The relative path that leads from directory `from` to `to` (both normalised,
/// both relative to the same root).
pub fn relative(from: &str, to: &str) -> String {
    let split = |p: &str| -> Vec<String> {
        if p == "." || p.is_empty() {
            Vec::new()
        } else {
            p.trim_start_matches('/')
                .split('/')
                .map(str::to_string)
                .collect()
        }
    };
    let (f, t) = (split(from), split(to));
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(t[common..].iter().cloned());
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Ancestors of a directory, nearest first, ending with the root `"."`.
pub fn ancestors(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = dir.to_string();
    while cur != "." && cur != "/" && !cur.is_empty() {
        cur = parent(&cur);
        out.push(cur.clone());
    }
    out
}

/// Is a module `source` a local path (`./x`, `../x`)?
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_joins() {
        assert_eq!(normalize("a/./b/../c//d"), "a/c/d");
        assert_eq!(normalize("../x"), "../x");
        assert_eq!(normalize("/a/../../b"), "/b");
        assert_eq!(normalize("a/.."), ".");
        assert_eq!(join("live/prod/app", "../vpc"), "live/prod/vpc");
        assert_eq!(join(".", "modules/x"), "modules/x");
        assert_eq!(join("a", "/abs"), "/abs");
    }

    #[test]
    fn relative_paths_and_parents() {
        assert_eq!(relative("live", "live/prod/app"), "prod/app");
        assert_eq!(relative("live/prod/app", "."), "../../..");
        assert_eq!(relative("a/b", "a/c"), "../c");
        assert_eq!(relative(".", "."), ".");
        assert_eq!(parent("a/b"), "a");
        assert_eq!(parent("a"), ".");
        assert_eq!(ancestors("a/b"), vec!["a", "."]);
        assert!(is_local_source("../modules/vpc"));
        assert!(!is_local_source("git::https://x"));
    }
}
