//! Canonical state addresses: where a backend configuration puts a state, reduced to a
//! (backend family, container, key) triple so a `terraform_remote_state` reader can be
//! matched to the stack that writes that state.

use super::paths;
use crate::eval::{Pattern, Value};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    S3,
    Gcs,
    Azurerm,
    /// `remote` backend and `cloud` block (HCP Terraform / Terraform Enterprise).
    Tfc,
    Local,
    Consul,
    Http,
    Other,
}

impl BackendKind {
    pub fn from_name(name: &str) -> BackendKind {
        match name {
            "s3" => BackendKind::S3,
            "gcs" => BackendKind::Gcs,
            "azurerm" => BackendKind::Azurerm,
            "remote" | "cloud" => BackendKind::Tfc,
            "local" => BackendKind::Local,
            "consul" => BackendKind::Consul,
            "http" => BackendKind::Http,
            _ => BackendKind::Other,
        }
    }
}

/// Which workspace(s) an address is for.
#[derive(Debug, Clone)]
pub enum WorkspaceSel {
    Default,
    Named(Pattern),
    /// The stack uses workspaces: the default one and any other.
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateAddress {
    /// Backend family: `s3`, `gcs`, `azurerm`, `remote`, `local`, `consul`, `http`, or the
    /// backend's own name.
    pub backend: String,
    /// The container part (`bucket`, `storage_account/container`, `organization`), with
    /// its field name for messages.
    pub container: Option<(&'static str, Pattern)>,
    pub key: (&'static str, Pattern),
}

impl StateAddress {
    /// Could both addresses name the same state?
    pub fn matches(&self, other: &StateAddress) -> bool {
        if self.backend != other.backend {
            return false;
        }
        let containers = match (&self.container, &other.container) {
            (Some((_, a)), Some((_, b))) => a.intersects(b),
            (None, None) => true,
            _ => false,
        };
        containers && self.key.1.intersects(&other.key.1)
    }

    /// Is the address pinned down enough to be worth matching (not just wildcards)?
    pub fn is_informative(&self) -> bool {
        self.key.1.is_informative()
    }

    pub fn is_literal(&self) -> bool {
        self.key.1.is_literal() && self.container.as_ref().is_none_or(|(_, c)| c.is_literal())
    }

    /// A string key for exact-match indexes (only meaningful when `is_literal`).
    pub fn exact_key(&self) -> String {
        format!(
            "{}\u{1f}{}\u{1f}{}",
            self.backend,
            self.container
                .as_ref()
                .map(|(_, c)| c.to_string())
                .unwrap_or_default(),
            self.key.1
        )
    }
}

impl fmt::Display for StateAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "backend {}", self.backend)?;
        if let Some((name, c)) = &self.container {
            write!(f, " {name}={c}")?;
        }
        write!(f, " {}={}", self.key.0, self.key.1)
    }
}

fn field(config: &BTreeMap<String, Value>, name: &str) -> Option<Pattern> {
    match config.get(name)? {
        Value::Null => None,
        v => Some(v.to_pattern()),
    }
}

fn cat(parts: &[&Pattern]) -> Pattern {
    let mut p = Pattern::literal("");
    for x in parts {
        p.append(x);
    }
    p
}

fn lit(s: &str) -> Pattern {
    Pattern::literal(s)
}

/// The state addresses a backend configuration denotes. `dir` is the working directory
/// (for the `local` backend's relative paths).
pub fn addresses(
    backend: &str,
    config: &BTreeMap<String, Value>,
    ws: &WorkspaceSel,
    dir: &str,
) -> Vec<StateAddress> {
    let kind = BackendKind::from_name(backend);
    let any = Pattern::any();
    let mut out = Vec::new();
    let mut push = |container: Option<(&'static str, Pattern)>, key: (&'static str, Pattern)| {
        let family = match kind {
            BackendKind::Tfc => "remote".to_string(),
            _ => backend.to_string(),
        };
        out.push(StateAddress {
            backend: family,
            container,
            key,
        });
    };
    // For each workspace selection: (default?, named pattern?).
    let (default, named): (bool, Option<Pattern>) = match ws {
        WorkspaceSel::Default => (true, None),
        WorkspaceSel::Named(p) if p.as_literal() == Some("default") => (true, None),
        WorkspaceSel::Named(p) => (false, Some(p.clone())),
        WorkspaceSel::Any => (true, Some(Pattern::word())),
    };
    match kind {
        BackendKind::S3 => {
            let bucket = field(config, "bucket").unwrap_or_else(|| any.clone());
            let key = field(config, "key").unwrap_or_else(|| any.clone());
            let prefix = field(config, "workspace_key_prefix").unwrap_or_else(|| lit("env:"));
            if default {
                push(Some(("bucket", bucket.clone())), ("key", key.clone()));
            }
            if let Some(w) = named {
                push(
                    Some(("bucket", bucket)),
                    ("key", cat(&[&prefix, &lit("/"), &w, &lit("/"), &key])),
                );
            }
        }
        BackendKind::Gcs => {
            let bucket = field(config, "bucket").unwrap_or_else(|| any.clone());
            let prefix = field(config, "prefix").unwrap_or_else(|| lit(""));
            let base = if prefix.as_literal() == Some("") {
                lit("")
            } else {
                cat(&[&prefix, &lit("/")])
            };
            if default {
                push(
                    Some(("bucket", bucket.clone())),
                    ("prefix", cat(&[&base, &lit("default.tfstate")])),
                );
            }
            if let Some(w) = named {
                push(
                    Some(("bucket", bucket)),
                    ("prefix", cat(&[&base, &w, &lit(".tfstate")])),
                );
            }
        }
        BackendKind::Azurerm => {
            let account = field(config, "storage_account_name").unwrap_or_else(|| any.clone());
            let container = field(config, "container_name").unwrap_or_else(|| any.clone());
            let key = field(config, "key").unwrap_or_else(|| any.clone());
            let c = cat(&[&account, &lit("/"), &container]);
            if default {
                push(
                    Some(("storage_account_name/container_name", c.clone())),
                    ("key", key.clone()),
                );
            }
            if let Some(w) = named {
                push(
                    Some(("storage_account_name/container_name", c)),
                    ("key", cat(&[&key, &lit("env:"), &w])),
                );
            }
        }
        BackendKind::Tfc => {
            let org = field(config, "organization").unwrap_or_else(|| any.clone());
            let workspaces = config.get("workspaces");
            let name = workspaces.map(|w| w.get("name")).and_then(|v| match v {
                Value::Unknown => None,
                v => Some(v.to_pattern()),
            });
            let prefix = workspaces.map(|w| w.get("prefix")).and_then(|v| match v {
                Value::Unknown => None,
                v => Some(v.to_pattern()),
            });
            let key = match (name, prefix) {
                (Some(n), _) => n,
                (None, Some(p)) => match ws {
                    WorkspaceSel::Named(w) => cat(&[&p, w]),
                    _ => cat(&[&p, &any]),
                },
                (None, None) => any.clone(),
            };
            push(Some(("organization", org)), ("workspace", key));
        }
        BackendKind::Local => {
            let path = field(config, "path").unwrap_or_else(|| lit("terraform.tfstate"));
            let resolve = |p: &Pattern| match p.as_literal() {
                Some(s) => lit(&paths::join(dir, s)),
                None => cat(&[&lit(&format!("{dir}/")), p]),
            };
            if default {
                push(None, ("path", resolve(&path)));
            }
            if let Some(w) = named {
                let wdir =
                    field(config, "workspace_dir").unwrap_or_else(|| lit("terraform.tfstate.d"));
                push(
                    None,
                    (
                        "path",
                        resolve(&cat(&[&wdir, &lit("/"), &w, &lit("/terraform.tfstate")])),
                    ),
                );
            }
        }
        BackendKind::Consul => {
            let path = field(config, "path").unwrap_or_else(|| any.clone());
            push(None, ("path", path));
        }
        BackendKind::Http => {
            let addr = field(config, "address").unwrap_or_else(|| any.clone());
            push(None, ("address", addr));
        }
        BackendKind::Other => {
            // Unknown backends: every configured field, sorted, is the key.
            let mut p = Pattern::literal("");
            for (i, (k, v)) in config.iter().enumerate() {
                if i > 0 {
                    p.push_lit(",");
                }
                p.push_lit(&format!("{k}="));
                p.append(&v.to_pattern());
            }
            push(None, ("config", p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Str(v.to_string())))
            .collect()
    }

    #[test]
    fn s3_workspaces_use_the_key_prefix() {
        let producer = addresses(
            "s3",
            &cfg(&[
                ("bucket", "b"),
                ("key", "terraform.tfstate"),
                ("workspace_key_prefix", "vpc"),
            ]),
            &WorkspaceSel::Any,
            "vpc",
        );
        assert_eq!(producer.len(), 2);
        let consumer = addresses(
            "s3",
            &cfg(&[("bucket", "b"), ("key", "vpc/live-1/terraform.tfstate")]),
            &WorkspaceSel::Default,
            "app",
        );
        assert!(producer.iter().any(|p| p.matches(&consumer[0])));
        let other = addresses(
            "s3",
            &cfg(&[("bucket", "c"), ("key", "vpc/live-1/terraform.tfstate")]),
            &WorkspaceSel::Default,
            "x",
        );
        assert!(!producer.iter().any(|p| p.matches(&other[0])));
        assert_eq!(
            consumer[0].to_string(),
            "backend s3 bucket=b key=vpc/live-1/terraform.tfstate"
        );
    }

    #[test]
    fn remote_and_cloud_share_a_family() {
        let mut c = cfg(&[("organization", "acme")]);
        c.insert(
            "workspaces".into(),
            Value::Map([("name".to_string(), Value::Str("net-prod".into()))].into()),
        );
        let a = addresses("cloud", &c, &WorkspaceSel::Default, ".");
        let b = addresses("remote", &c, &WorkspaceSel::Default, ".");
        assert!(a[0].matches(&b[0]));
    }

    #[test]
    fn local_paths_resolve_against_the_working_directory() {
        let a = addresses(
            "local",
            &cfg(&[("path", "../net/terraform.tfstate")]),
            &WorkspaceSel::Default,
            "envs/app",
        );
        let b = addresses(
            "local",
            &BTreeMap::new(),
            &WorkspaceSel::Default,
            "envs/net",
        );
        assert!(a[0].matches(&b[0]));
    }
}
