//! Environment names in code, for `many-headed-stack`: whole-token matching with
//! synonyms, and the static `for_each` keys a stack writes (locals yes, variables no).

use crate::eval::{self, Scope, Value};
use crate::model::{Code, TfScope, Workspace};
use crate::syntax::Expr;

/// Synonyms counted as one environment.
const SYNONYMS: &[(&str, &str)] = &[
    ("development", "dev"),
    ("staging", "stage"),
    ("production", "prod"),
];

/// Environment words in `text` as whole tokens, canonicalised (`production` -> `prod`).
/// A negated word (`non_prod`, `non-production`) names no environment.
pub fn envs_in(text: &str, words: &[String]) -> Vec<String> {
    // Tokens compared as slices of `text`, without a lowercased copy of each: this runs
    // on every name, label and tag value of every stack.
    let lower_eq = |w: &str, t: &str| {
        w.len() == t.len()
            && w.bytes()
                .zip(t.bytes())
                .all(|(a, b)| a == b.to_ascii_lowercase())
    };
    let mut v: Vec<String> = Vec::new();
    let mut prev: Option<&str> = None;
    for t in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let negated = prev.is_some_and(|p| ["non", "not", "pre"].iter().any(|n| lower_eq(n, p)));
        prev = Some(t);
        if negated {
            continue;
        }
        if let Some(w) = words.iter().find(|w| lower_eq(w, t)) {
            let c = canonical(w).to_string();
            if !v.contains(&c) {
                v.push(c);
            }
        }
    }
    v
}

pub fn canonical(word: &str) -> &str {
    SYNONYMS
        .iter()
        .find(|(long, _)| *long == word)
        .map(|(_, short)| *short)
        .unwrap_or(word)
}

/// Literal keys of a `for_each` map, or elements of a set/list, evaluated with locals.
pub fn for_each_keys(e: &Expr, scope: &dyn Scope) -> Vec<String> {
    match eval::eval(e, scope) {
        Value::Map(m) => m.into_keys().collect(),
        Value::List(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::Str(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Does the expression read a variable, directly or through a local? Such keys are set
/// per instance (tfvars), not written in the code.
pub fn reads_variables(code: &Code, ws: &Workspace, e: &Expr) -> bool {
    e.references().iter().any(|r| {
        r.root == "var"
            || (r.root == "local"
                && r.name_at(0).is_some_and(|name| {
                    code.locals.iter().any(|(n, file, blk, at)| {
                        &**n == name
                            && ws
                                .file(*file)
                                .body
                                .blocks
                                .get(*blk as usize)
                                .and_then(|b| b.body.attrs.get(*at as usize))
                                .is_some_and(|a| {
                                    a.expr.references().iter().any(|r| r.root == "var")
                                })
                    })
                }))
    })
}

/// Locals are code; variables are per instance and stay unknown.
pub struct LocalsOnly<'w>(pub TfScope<'w>);

impl Scope for LocalsOnly<'_> {
    fn resolve(&self, root: &str, attr: Option<&str>) -> Option<(Value, usize)> {
        if root == "var" {
            return None;
        }
        self.0.resolve(root, attr)
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Value> {
        self.0.call(name, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<String> {
        [
            "dev",
            "development",
            "test",
            "stage",
            "staging",
            "prod",
            "production",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn whole_tokens_synonyms_and_negation() {
        assert_eq!(envs_in("orders_prod", &words()), vec!["prod"]);
        assert_eq!(envs_in("role/terraform-production", &words()), vec!["prod"]);
        assert_eq!(envs_in("staging.acme.internal", &words()), vec!["stage"]);
        assert!(envs_in("product_images", &words()).is_empty());
        assert!(envs_in("devops-runner", &words()).is_empty());
        assert!(envs_in("internal_non_prod_zone", &words()).is_empty());
        assert_eq!(envs_in("dev-to-prod", &words()), vec!["dev", "prod"]);
        // Case does not matter in the text; an empty token between separators breaks a
        // negation; a synonym already found is not listed twice.
        assert_eq!(envs_in("ORDERS-Prod", &words()), vec!["prod"]);
        assert_eq!(envs_in("non--prod", &words()), vec!["prod"]);
        assert!(envs_in("NOT_PROD", &words()).is_empty());
        assert_eq!(envs_in("production_prod", &words()), vec!["prod"]);
    }
}
