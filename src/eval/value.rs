//! Values of static evaluation, including partially known strings (`Pattern`).

use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    /// A string with unknown parts: `"${var.env}/network.tfstate"` -> `*/network.tfstate`.
    Pattern(Pattern),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Unknown,
}

/// A string pattern whose `Any` segments stand for unknown text (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pattern(Vec<Seg>);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Lit(String),
    /// Any text, `/` included.
    Any,
    /// Any text without `/` (a workspace name, one path segment).
    Word,
}

impl Value {
    pub fn is_known(&self) -> bool {
        !matches!(self, Value::Unknown | Value::Pattern(_))
    }

    /// The value as a known string (numbers and bools convert as Terraform does).
    pub fn as_str(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Number(n) => Some(number_to_string(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value in a string context: known, partially known, or fully unknown (`*`).
    pub fn to_pattern(&self) -> Pattern {
        match self {
            Value::Pattern(p) => p.clone(),
            other => match other.as_str() {
                Some(s) => Pattern::literal(&s),
                None => Pattern::any(),
            },
        }
    }

    pub fn from_pattern(p: Pattern) -> Value {
        match p.as_literal() {
            Some(s) => Value::Str(s.to_string()),
            None => Value::Pattern(p),
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s == "true" => Some(true),
            Value::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Value {
        match self {
            Value::Map(m) => m.get(key).cloned().unwrap_or(Value::Unknown),
            _ => Value::Unknown,
        }
    }

    /// True when the value holds no unknown part anywhere.
    pub fn is_fully_known(&self) -> bool {
        match self {
            Value::Unknown | Value::Pattern(_) => false,
            Value::List(items) => items.iter().all(Value::is_fully_known),
            Value::Map(m) => m.values().all(Value::is_fully_known),
            _ => true,
        }
    }
}

pub fn number_to_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Pattern {
    pub fn literal(s: &str) -> Pattern {
        if s.is_empty() {
            Pattern(Vec::new())
        } else {
            Pattern(vec![Seg::Lit(s.to_string())])
        }
    }

    pub fn any() -> Pattern {
        Pattern(vec![Seg::Any])
    }

    /// One unknown path segment (no `/`), e.g. a workspace name.
    pub fn word() -> Pattern {
        Pattern(vec![Seg::Word])
    }

    pub fn push_word(&mut self) {
        if !matches!(self.0.last(), Some(Seg::Any | Seg::Word)) {
            self.0.push(Seg::Word);
        }
    }

    pub fn segs(&self) -> &[Seg] {
        &self.0
    }

    pub fn push_lit(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Seg::Lit(prev)) = self.0.last_mut() {
            prev.push_str(s);
        } else {
            self.0.push(Seg::Lit(s.to_string()));
        }
    }

    pub fn push_any(&mut self) {
        match self.0.last_mut() {
            Some(Seg::Any) => {}
            // `Word` followed by `Any` is just `Any`.
            Some(last @ Seg::Word) => *last = Seg::Any,
            _ => self.0.push(Seg::Any),
        }
    }

    pub fn append(&mut self, other: &Pattern) {
        for s in &other.0 {
            match s {
                Seg::Lit(l) => self.push_lit(l),
                Seg::Any => self.push_any(),
                Seg::Word => self.push_word(),
            }
        }
    }

    pub fn is_literal(&self) -> bool {
        self.0.iter().all(|s| matches!(s, Seg::Lit(_)))
    }

    pub fn as_literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [] => Some(""),
            [Seg::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// Number of known characters: how much the pattern actually pins down.
    pub fn literal_len(&self) -> usize {
        self.0
            .iter()
            .map(|s| match s {
                Seg::Lit(l) => l.len(),
                Seg::Any | Seg::Word => 0,
            })
            .sum()
    }

    /// Pins down enough to identify something: two or more known letters or digits.
    pub fn is_informative(&self) -> bool {
        // Stops at the second character: state keys can be long.
        (self.0.iter())
            .flat_map(|s| {
                match s {
                    Seg::Lit(l) => l.as_str(),
                    _ => "",
                }
                .chars()
            })
            .filter(|c| c.is_alphanumeric())
            .nth(1)
            .is_some()
    }

    pub fn map_literals(&self, f: impl Fn(&str) -> String) -> Pattern {
        let mut out = Pattern(Vec::new());
        for s in &self.0 {
            match s {
                Seg::Lit(l) => out.push_lit(&f(l)),
                Seg::Any => out.push_any(),
                Seg::Word => out.push_word(),
            }
        }
        out
    }

    /// Does the pattern match the whole string?
    pub fn matches(&self, s: &str) -> bool {
        self.intersects(&Pattern::literal(s))
    }

    /// Can both patterns produce a common string? Dynamic programming over both patterns
    /// as token sequences, where a wildcard matches any run: O(|a| * |b|).
    pub fn intersects(&self, other: &Pattern) -> bool {
        let a = tokens(self);
        let b = tokens(other);
        let (n, m) = (a.len(), b.len());
        // reach[i][j]: the prefixes a[..i] and b[..j] can produce a common string.
        let mut reach = vec![vec![false; m + 1]; n + 1];
        reach[0][0] = true;
        for i in 0..=n {
            for j in 0..=m {
                if !reach[i][j] {
                    continue;
                }
                // A wildcard may end here (consume nothing more)...
                if i < n && a[i].is_wild() {
                    reach[i + 1][j] = true;
                }
                if j < m && b[j].is_wild() {
                    reach[i][j + 1] = true;
                }
                if i < n && j < m {
                    match (a[i], b[j]) {
                        (Tok::Char(x), Tok::Char(y)) => {
                            if x == y {
                                reach[i + 1][j + 1] = true;
                            }
                        }
                        // ...or swallow one character of the other side and stay.
                        (w, Tok::Char(c)) if w.is_wild() => {
                            if w.accepts(c) {
                                reach[i][j + 1] = true;
                            }
                        }
                        (Tok::Char(c), w) if w.is_wild() => {
                            if w.accepts(c) {
                                reach[i + 1][j] = true;
                            }
                        }
                        // Two wildcards meet: whatever both accept; skip either.
                        _ => {
                            reach[i + 1][j] = true;
                            reach[i][j + 1] = true;
                        }
                    }
                }
            }
        }
        reach[n][m]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    Any,
    Word,
}

impl Tok {
    fn is_wild(self) -> bool {
        !matches!(self, Tok::Char(_))
    }

    fn accepts(self, c: char) -> bool {
        match self {
            Tok::Any => true,
            Tok::Word => c != '/',
            Tok::Char(x) => x == c,
        }
    }
}

fn tokens(p: &Pattern) -> Vec<Tok> {
    let mut out = Vec::new();
    for s in &p.0 {
        match s {
            Seg::Lit(l) => out.extend(l.chars().map(Tok::Char)),
            Seg::Any => out.push(Tok::Any),
            Seg::Word => out.push(Tok::Word),
        }
    }
    out
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.0 {
            match s {
                Seg::Lit(l) => f.write_str(l)?,
                Seg::Any | Seg::Word => f.write_str("*")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Unknown => f.write_str("*"),
            Value::Pattern(p) => write!(f, "{p}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            other => f.write_str(&other.as_str().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Pattern {
        let mut p = Pattern(Vec::new());
        for (i, part) in s.split('*').enumerate() {
            if i > 0 {
                p.push_any();
            }
            p.push_lit(part);
        }
        p
    }

    #[test]
    fn patterns_match_and_intersect() {
        assert!(pat("*/network.tfstate").matches("prod/network.tfstate"));
        assert!(!pat("*/network.tfstate").matches("prod/app.tfstate"));
        assert!(pat("a/*/k").intersects(&pat("a/b*")));
        assert!(pat("env:/*/net").intersects(&pat("env:/prod/*")));
        assert!(!pat("x/*").intersects(&pat("y/*")));
        assert!(pat("*").intersects(&pat("")));
        assert_eq!(pat("a*b*").to_string(), "a*b*");
        assert_eq!(pat("a*b").literal_len(), 2);
        let mut w = Pattern::literal("vpc/");
        w.push_word();
        w.push_lit("/terraform.tfstate");
        assert!(w.matches("vpc/live-1/terraform.tfstate"));
        assert!(!w.matches("vpc/eks/live/terraform.tfstate"));
        assert!(w.intersects(&pat("vpc/*/terraform.tfstate")));
        let mut w2 = Pattern::literal("vpc/eks/");
        w2.push_word();
        w2.push_lit("/terraform.tfstate");
        assert!(!w.intersects(&w2));
        assert!(!pat("*.").is_informative());
    }
}
