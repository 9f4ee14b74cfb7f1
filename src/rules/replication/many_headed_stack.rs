//! `many-headed-stack`: one stack (one state) whose code defines several environments:
//! environment names in module-call or resource labels, `for_each` keys, literal
//! `env`/`environment`/`stage` arguments and tags, or aliased providers aimed at
//! environment-named accounts. Values from tfvars or variable defaults are not read: an
//! instance set to `env = "prod"` is one environment, not several.

use crate::facts::envwords::{canonical, envs_in, for_each_keys, reads_variables, LocalsOnly};
use crate::model::{Code, TfScope, Workspace};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Rule, RuleId, RuleMeta, Severity,
};
use crate::source::Loc;
use crate::syntax::{for_each_attr, Block, Expr};
use std::collections::BTreeMap;

pub struct ManyHeadedStack;

static META: RuleMeta = RuleMeta {
    id: RuleId::ManyHeadedStack,
    category: Category::Replication,
    default_severity: Severity::Warning,
    summary: "one stack defines 2+ environments",
    options: &[OptionSpec {
        name: "environments",
        default: OptDefault::StrList(&[
            "dev",
            "development",
            "test",
            "qa",
            "uat",
            "stage",
            "staging",
            "preprod",
            "prod",
            "production",
        ]),
        doc: "words that name an environment (matched as whole tokens, case-insensitively)",
    }],
};

const ENV_KEYS: &[&str] = &["env", "environment", "stage"];

impl Rule for ManyHeadedStack {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        cx.each_stack(out, |i, stack, out| {
            let Some(code) = stack.code_dir.as_ref().and_then(|d| cx.ws.codes.get(d)) else {
                return;
            };
            let words: Vec<String> = cx
                .options(&META, i)
                .str_list("environments")
                .iter()
                .map(|w| w.to_ascii_lowercase())
                .collect();
            let found = evidence(cx.ws, code, &words);
            if found.len() < 2 {
                return;
            }
            let summary: Vec<String> = found
                .iter()
                .map(|((_, env), ev)| {
                    let places: Vec<&str> = ev.iter().take(3).map(|e| e.what.as_str()).collect();
                    let more = ev.len().saturating_sub(3);
                    let more = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    format!("{env} ({}{more})", places.join(", "))
                })
                .collect();
            let names: Vec<&str> = found.keys().map(|(_, n)| n.as_str()).collect();
            debug_assert!(names.len() >= 2);
            let Some(first) = found
                .values()
                .flatten()
                .min_by_key(|e| (e.order, e.loc.span.start))
            else {
                return;
            };
            let mut f = Finding::new(
                &META,
                first.loc,
                format!(
                    "{} defines {} environments in one stack and one state: {}. A plan or apply \
                     meant for {} also reaches {}",
                    stack.id,
                    found.len(),
                    summary.join("; "),
                    names[0],
                    names[1..].join(" and ")
                ),
            )
            .in_stack(i)
            .help(
                "give each environment its own stack instance: one template stack with a tfvars \
                 file and backend configuration per environment (or one thin wrapper stack per \
                 environment calling a shared module), so each has its own state, a change can be \
                 applied to the lower environment first and a mistake cannot reach production",
            );
            for ((_, env), ev) in &found {
                if let Some(e) = ev.first() {
                    f = f.related(e.loc, format!("{env}: {}", e.what));
                }
            }
            out.push(f);
        });
    }
}

struct Evidence {
    what: String,
    loc: Loc,
    /// File order, then span: where the finding points.
    order: usize,
}

/// The environments named in a code directory, canonical name -> evidence.
/// Keyed by (position in the configured list, canonical name): lower environments first.
fn evidence(
    ws: &Workspace,
    code: &Code,
    words: &[String],
) -> BTreeMap<(usize, String), Vec<Evidence>> {
    let scope = LocalsOnly(TfScope::new(ws, code, BTreeMap::new()));
    let mut out: BTreeMap<(usize, String), Vec<Evidence>> = BTreeMap::new();
    let rank = |env: &str| {
        words
            .iter()
            .position(|w| canonical(w) == env)
            .unwrap_or(usize::MAX)
    };
    // `what` is spelled out only when the text names an environment.
    let mut add = |text: &str, what: &dyn Fn() -> String, loc: Loc, order: usize| {
        let envs = envs_in(text, words);
        if envs.is_empty() {
            return;
        }
        let what = what();
        for env in envs {
            let list = out.entry((rank(&env), env)).or_default();
            if !list.iter().any(|e| e.what == what) {
                list.push(Evidence {
                    what: what.clone(),
                    loc,
                    order,
                });
            }
        }
    };
    for (order, file) in code.files.iter().enumerate() {
        for b in &ws.file(*file).body.blocks {
            let loc = Loc {
                file: *file,
                span: b.head,
            };
            let l0 = b.label(0).unwrap_or("");
            let l1 = b.label(1).unwrap_or("");
            let addr = match &*b.kind {
                "module" => {
                    add(l0, &|| format!("module \"{l0}\""), loc, order);
                    Addr::Module(l0)
                }
                "resource" => {
                    add(l1, &|| format!("resource {l0}.{l1}"), loc, order);
                    Addr::Resource(l0, l1)
                }
                "provider" => {
                    if let Some(alias) = b.body.expr("alias").and_then(Expr::as_literal_str) {
                        let mut seen: Vec<String> = Vec::new();
                        for text in std::iter::once(alias.to_string()).chain(provider_targets(b)) {
                            for env in envs_in(&text, words) {
                                if seen.contains(&env) {
                                    continue;
                                }
                                seen.push(env);
                                let what = || {
                                    if text == alias {
                                        format!("provider {l0} alias \"{alias}\"")
                                    } else {
                                        format!("provider {l0} alias \"{alias}\" targeting {text}")
                                    }
                                };
                                add(&text, &what, loc, order);
                            }
                        }
                    }
                    Addr::Provider(l0)
                }
                _ => continue,
            };
            if let Some(fe) = b
                .body
                .attr("for_each")
                .filter(|a| !reads_variables(code, ws, &a.expr))
            {
                for key in for_each_keys(&fe.expr, &scope) {
                    let at = Loc {
                        file: *file,
                        span: fe.span,
                    };
                    add(
                        &key,
                        &|| format!("for_each key \"{key}\" of {addr}"),
                        at,
                        order,
                    );
                }
            }
            for_each_attr(&b.body, |a| {
                let at = Loc {
                    file: *file,
                    span: a.span,
                };
                if is_env_key(&a.name) {
                    if let Some(v) = a.expr.as_literal_str() {
                        add(v, &|| format!("{} = \"{v}\" in {addr}", a.name), at, order);
                    }
                }
                if &*a.name == "tags" || &*a.name == "labels" {
                    for (k, v) in a.expr.object_entries() {
                        if let (Some(k), Some(v)) = (k, v.as_literal_str()) {
                            if is_env_key(k) {
                                add(v, &|| format!("tag {k} = \"{v}\" in {addr}"), at, order);
                            }
                        }
                    }
                }
            });
        }
    }
    out
}

/// The address of a block in evidence (`module.a`, `aws_vpc.main`, `provider aws`).
enum Addr<'a> {
    Module(&'a str),
    Resource(&'a str, &'a str),
    Provider(&'a str),
}

impl std::fmt::Display for Addr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Addr::Module(n) => write!(f, "module.{n}"),
            Addr::Resource(t, n) => write!(f, "{t}.{n}"),
            Addr::Provider(n) => write!(f, "provider {n}"),
        }
    }
}

fn is_env_key(k: &str) -> bool {
    ENV_KEYS.iter().any(|e| e.eq_ignore_ascii_case(k))
}

/// The alias and the literal strings of an aliased provider (role ARNs, profiles,
/// projects, subscriptions): what says which account it targets.
fn provider_targets(b: &Block) -> Vec<String> {
    let mut v = Vec::new();
    for_each_attr(&b.body, |a| {
        if &*a.name == "region" || &*a.name == "location" {
            return;
        }
        if let Some(s) = a.expr.as_literal_str() {
            v.push(s.to_string());
        }
    });
    v
}
