//! Instances of a Terraform stack: tfvars sets and partial backend configuration files
//! beside the stack or in its instance folders (`envs/prod.tfvars`, `prod.tfbackend`,
//! `env/prod/backend.hcl`). Files named alike (`prod.tfvars` + `prod.tfbackend`) are one
//! instance.

use super::{paths, Instance};
use crate::discover::FileKind;
use crate::eval::{self, EmptyScope, Value};
use crate::parse::ParsedFile;
use crate::source::FileId;
use std::collections::BTreeMap;

/// Words that mark a tfvars file as one instance of its own rather than one part of a
/// folder's combined set.
const INSTANCE_WORDS: &[&str] = &[
    "dev",
    "development",
    "test",
    "testing",
    "qa",
    "uat",
    "stage",
    "staging",
    "preprod",
    "prod",
    "production",
    "live",
    "sandbox",
    "demo",
    "shared",
    "global",
];

pub fn is_auto_var_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "terraform.tfvars"
        || n == "terraform.tfvars.json"
        || n.ends_with(".auto.tfvars")
        || n.ends_with(".auto.tfvars.json")
}

fn stem(name: &str) -> String {
    let n = paths::file_name(name);
    for suffix in [
        ".tfvars.json",
        ".tfvars",
        ".tfbackend",
        ".backend.hcl",
        ".backend",
    ] {
        if let Some(s) = n.strip_suffix(suffix) {
            return s.to_string();
        }
    }
    // `backend.hcl`, `backend.azurerm`: the folder names the instance.
    n.split('.').next().unwrap_or(n).to_string()
}

fn looks_like_instance_name(stem: &str) -> bool {
    let s = stem.to_ascii_lowercase();
    s.split(['-', '_', '.'])
        .any(|w| INSTANCE_WORDS.contains(&w) || looks_like_region(w))
}

fn looks_like_region(w: &str) -> bool {
    // us-east-1 style is split on '-', so check common region prefixes and codes.
    matches!(
        w,
        "us" | "eu"
            | "ap"
            | "sa"
            | "ca"
            | "me"
            | "af"
            | "euw1"
            | "use1"
            | "usw2"
            | "westeurope"
            | "northeurope"
            | "eastus"
            | "westus"
    )
}

/// Files of one folder that can define instances: `(folder relative to the stack, files)`.
pub struct InstanceFolder<'a> {
    pub rel: String,
    pub files: Vec<(FileId, &'a ParsedFile)>,
}

/// Returns the auto-loaded var files and the instances of a stack.
pub fn instances(folders: &[InstanceFolder]) -> (Vec<FileId>, Vec<Instance>) {
    let mut auto = Vec::new();
    let mut out: BTreeMap<String, Instance> = BTreeMap::new();
    for folder in folders {
        let at_stack = folder.rel == ".";
        let vars: Vec<&(FileId, &ParsedFile)> = folder
            .files
            .iter()
            .filter(|(_, f)| f.kind.is_tfvars())
            .collect();
        let backends: Vec<&(FileId, &ParsedFile)> = folder
            .files
            .iter()
            .filter(|(_, f)| f.kind == FileKind::Backend && !super::build::declares_backend(f))
            .collect();
        let mut instance_vars = Vec::new();
        for (id, f) in &vars {
            if at_stack && is_auto_var_file(paths::file_name(&f.path)) {
                auto.push(*id);
            } else {
                instance_vars.push((*id, *f));
            }
        }
        let backend_stems: Vec<String> = backends.iter().map(|(_, f)| stem(&f.path)).collect();
        let per_file = at_stack
            || backends.len() > 1
            || instance_vars.iter().any(|(_, f)| {
                let s = stem(&f.path);
                looks_like_instance_name(&s) || backend_stems.contains(&s)
            });
        let name_of = |s: &str| -> String {
            if at_stack {
                s.to_string()
            } else {
                format!("{}/{}", folder.rel, s)
            }
        };
        if per_file {
            for (id, f) in &instance_vars {
                let name = name_of(&stem(&f.path));
                out.entry(name.clone())
                    .or_insert_with(|| empty(&name))
                    .var_files
                    .push(*id);
            }
            for (id, f) in &backends {
                let s = stem(&f.path);
                let name = if backends.len() == 1 && instance_vars.len() <= 1 && !at_stack {
                    // One backend file in an instance folder: the folder is the instance.
                    instance_vars
                        .first()
                        .map(|(_, v)| name_of(&stem(&v.path)))
                        .unwrap_or_else(|| folder.rel.clone())
                } else {
                    name_of(&s)
                };
                out.entry(name.clone())
                    .or_insert_with(|| empty(&name))
                    .backend_file
                    .get_or_insert(*id);
            }
        } else {
            // A folder of var files passed together (`-var-file` for each).
            let name = folder.rel.clone();
            let inst = out.entry(name.clone()).or_insert_with(|| empty(&name));
            inst.var_files
                .extend(instance_vars.iter().map(|(id, _)| *id));
            if let Some((id, _)) = backends.first() {
                inst.backend_file.get_or_insert(*id);
            }
        }
    }
    (auto, out.into_values().collect())
}

fn empty(name: &str) -> Instance {
    Instance {
        name: name.to_string(),
        var_files: Vec::new(),
        backend_file: None,
    }
}

/// The top-level attributes of tfvars files, later files winning.
pub fn var_values(files: &[&ParsedFile]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for f in files {
        for a in &f.body.attrs {
            out.insert(a.name.to_string(), eval::eval(&a.expr, &EmptyScope));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_instance_names() {
        assert_eq!(stem("envs/prod.tfvars"), "prod");
        assert_eq!(stem("prod.backend.hcl"), "prod");
        assert_eq!(stem("backend.azurerm"), "backend");
        assert_eq!(stem("dev.tfbackend"), "dev");
        assert!(looks_like_instance_name("prod-eu"));
        assert!(!looks_like_instance_name("configuration"));
        assert!(is_auto_var_file("terraform.tfvars"));
        assert!(is_auto_var_file("x.auto.tfvars.json"));
        assert!(!is_auto_var_file("prod.tfvars"));
    }
}
