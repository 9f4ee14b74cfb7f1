//! Terragrunt `dependency` blocks (`terragrunt_dependency`, with the outputs read through
//! `dependency.<name>.outputs`) and `dependencies { paths }` (`terragrunt_order`).

use super::{Mechanism, OutputRead, RawLink, Unresolved};
use crate::model::TgPath;
use crate::model::Workspace;

pub fn resolve(ws: &Workspace) -> (Vec<RawLink>, Vec<Unresolved>) {
    let mut links = Vec::new();
    let mut unresolved = Vec::new();
    for unit in ws.units.values() {
        let Some(from) = ws.stack_at_dir(&unit.dir) else {
            continue;
        };
        for dep in &unit.dependencies {
            let mut reads = Vec::new();
            let mut dynamic = false;
            for (name, output, loc) in &unit.reads {
                if *name != dep.name {
                    continue;
                }
                match output {
                    Some(o) => reads.push(OutputRead {
                        name: o.clone(),
                        loc: *loc,
                    }),
                    None => dynamic = true,
                }
            }
            match target(ws, &dep.path) {
                Ok(to) => links.push(RawLink {
                    from,
                    to,
                    mechanism: Mechanism::TerragruntDependency,
                    loc: dep.path.loc,
                    reads,
                    dynamic_reads: dynamic,
                    via: String::new(),
                }),
                Err(reason) => unresolved.push(Unresolved {
                    from,
                    mechanism: Mechanism::TerragruntDependency,
                    loc: dep.path.loc,
                    reason: format!("dependency \"{}\": {reason}", dep.name),
                }),
            }
        }
        for p in &unit.order_paths {
            match target(ws, p) {
                Ok(to) => links.push(RawLink {
                    from,
                    to,
                    mechanism: Mechanism::TerragruntOrder,
                    loc: p.loc,
                    reads: Vec::new(),
                    dynamic_reads: false,
                    via: String::new(),
                }),
                Err(reason) => unresolved.push(Unresolved {
                    from,
                    mechanism: Mechanism::TerragruntOrder,
                    loc: p.loc,
                    reason: format!("dependencies path: {reason}"),
                }),
            }
        }
    }
    (links, unresolved)
}

fn target(ws: &Workspace, p: &TgPath) -> Result<usize, String> {
    match &p.dir {
        Some(dir) => ws.stack_at_dir(dir).ok_or_else(|| {
            format!(
                "config path {} resolves to {dir}, which is not a stack in the tree",
                p.raw
            )
        }),
        None if p.raw.contains('*') => Err(format!(
            "config path {} cannot be determined statically",
            p.raw
        )),
        None => Err(format!(
            "config path {} points outside the scanned tree",
            p.raw
        )),
    }
}
