//! `replicated-singleton`: something that must exist once per organisation, account or
//! region is declared in code that is deployed several times: a stack with 2+ instances
//! (tfvars sets, backend files, workspaces), or a module deployed by several Terragrunt
//! units or Terramate stacks. Deployments that provably target different accounts (or
//! regions, for per-region singletons) are fine and not reported.

use crate::model::taxonomy::{Scaling, Scope, WordGlobs};
use crate::model::{Stack, StackKind};
use crate::profile::deployments;
use crate::profile::targets::{Target, TargetNames};
use crate::profile::{describe, Profiles};
use crate::rules::{
    Category, Context, Finding, OptDefault, OptionSpec, Prepared, Rule, RuleId, RuleMeta, Severity,
};
use std::collections::BTreeMap;

pub struct ReplicatedSingleton;

pub static META: RuleMeta = RuleMeta {
    id: RuleId::ReplicatedSingleton,
    category: Category::Scaling,
    default_severity: Severity::Warning,
    summary: "code deployed several times declares resources that must exist once (organisation, account or region)",
    options: &[
        OptionSpec {
            name: "account_variables",
            default: OptDefault::StrList(&[
                "account",
                "account_id",
                "account_name",
                "aws_account_id",
                "aws_profile",
                "profile",
                "subscription",
                "subscription_id",
                "project",
                "project_id",
                "tenant_id",
            ]),
            doc: "variables/inputs whose per-deployment values show that deployments target different accounts (whole words)",
        },
        OptionSpec {
            name: "region_variables",
            default: OptDefault::StrList(&["region", "aws_region", "location", "*_region"]),
            doc: "variables/inputs whose per-deployment values show that deployments target different regions (whole words)",
        },
    ],
};

impl Rule for ReplicatedSingleton {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, cx: &Context) -> Prepared {
        Profiles::warm(cx)
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let profiles = Profiles::of(cx);
        let names = |i: usize| {
            let o = cx.options(&META, i);
            TargetNames {
                account: WordGlobs::new(o.str_list("account_variables")),
                region: WordGlobs::new(o.str_list("region_variables")),
            }
        };
        // Modules deployed by several Terragrunt units / Terramate stacks.
        let mut shared: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, stack) in cx.ws.stacks.iter().enumerate() {
            let Some(p) = profiles.stacks.get(i) else {
                continue;
            };
            let singles: Vec<usize> = (0..stack.resources.len())
                .filter(|k| {
                    p.classes
                        .get(*k)
                        .is_some_and(|c| c.class.scaling == Scaling::SingletonGlobal)
                })
                .collect();
            if singles.is_empty() {
                continue;
            }
            if matches!(stack.kind, StackKind::Terragrunt | StackKind::Terramate) {
                for &k in &singles {
                    let e = shared.entry(&*stack.resources[k].code_dir).or_default();
                    if e.last() != Some(&i) {
                        e.push(i);
                    }
                }
            }
            let per_workspace = stack.instances.len() < 2;
            if per_workspace && !stack.uses_workspaces {
                continue;
            }
            let deployments = deployments::of_stack(cx.ws, i, &names(i));
            let bad = deployments::replicated(cx.ws, p, i, &singles, &deployments, per_workspace);
            if bad.is_empty() {
                continue;
            }
            let how = if per_workspace {
                format!(
                    "{} is deployed once per workspace (its code reads terraform.workspace)",
                    stack.id
                )
            } else {
                let inst: Vec<&str> = stack.instances.iter().map(|x| x.name.as_str()).collect();
                format!(
                    "{} is deployed {} times (instances {})",
                    stack.id,
                    inst.len(),
                    list(&inst, 4)
                )
            };
            let ts: Vec<&Target> = deployments.iter().map(|d| &d.target).collect();
            out.extend(finding(cx, i, stack, p, &bad, &how, &ts, &[]));
        }
        for (dir, stacks) in shared {
            let [first, ..] = stacks[..] else { continue };
            if stacks.len() < 2 {
                continue;
            }
            let (stack, p) = (&cx.ws.stacks[first], &profiles.stacks[first]);
            let deployments = deployments::of_stacks(cx.ws, &stacks, &names(first));
            let singles: Vec<usize> = (0..stack.resources.len())
                .filter(|k| {
                    &*stack.resources[*k].code_dir == dir
                        && p.classes
                            .get(*k)
                            .is_some_and(|c| c.class.scaling == Scaling::SingletonGlobal)
                })
                .collect();
            let bad = deployments::replicated(cx.ws, p, first, &singles, &deployments, false);
            if bad.is_empty() {
                continue;
            }
            let kind = if stack.kind == StackKind::Terragrunt {
                "Terragrunt units"
            } else {
                "Terramate stacks"
            };
            let ids: Vec<&str> = stacks.iter().map(|s| cx.stack_id(*s)).collect();
            let how = format!(
                "module {dir} is deployed by {} {kind} ({})",
                ids.len(),
                list(&ids, 3)
            );
            let ts: Vec<&Target> = deployments.iter().map(|d| &d.target).collect();
            out.extend(finding(cx, first, stack, p, &bad, &how, &ts, &stacks));
        }
    }
}

fn once_per(p: &crate::profile::StackProfile, k: usize) -> &'static str {
    let dns = p
        .classes
        .get(k)
        .is_some_and(|c| c.class.domain == crate::model::taxonomy::Domain::Dns);
    match (deployments::scope_of(p, k), dns) {
        (Scope::Global, true) => "once per DNS name",
        (Scope::Global, false) => "once per organisation",
        (Scope::Account, _) => "once per account",
        (Scope::Region, _) => "once per account and region",
    }
}

fn list(items: &[&str], max: usize) -> String {
    let mut v: Vec<String> = items.iter().take(max).map(|s| s.to_string()).collect();
    if items.len() > max {
        v.push(format!("+{} more", items.len() - max));
    }
    v.join(", ")
}

#[allow(clippy::too_many_arguments)]
fn finding(
    cx: &Context,
    i: usize,
    stack: &Stack,
    p: &crate::profile::StackProfile,
    bad: &[usize],
    how: &str,
    targets: &[&Target],
    stacks: &[usize],
) -> Option<Finding> {
    let named: Vec<String> = bad
        .iter()
        .take(4)
        .filter_map(|k| {
            Some(format!(
                "{} ({})",
                stack.resources.get(*k)?.address(false),
                once_per(p, *k)
            ))
        })
        .collect();
    let more = bad.len().saturating_sub(4);
    let evidence = if bad
        .iter()
        .all(|k| deployments::scope_of(p, *k) == Scope::Global)
    {
        "only one can exist whichever account a deployment uses".to_string()
    } else {
        deployments::evidence(targets)
    };
    let message = format!(
        "{how} but declares {} that must exist only once: {}{}; {evidence}, so every deployment after the first collides with or takes over the same one",
        describe::count(bad.len(), "resource"),
        named.join(", "),
        if more > 0 { format!(", +{more} more") } else { String::new() },
    );
    let help = "keep organisation-, account- and region-level singletons in a stack applied \
                exactly once per organisation/account/region (an account-baseline stack) and let \
                the template stack's instances read them; if each deployment really targets its \
                own account, make that visible in the files (an account variable in each \
                instance's tfvars, or allowed_account_ids/assume_role per deployment)";
    let first = bad.first().and_then(|k| stack.resources.get(*k));
    let loc = first.map(|r| cx.ws.loc(r.item.block)).or(stack.anchor)?;
    let mut f = Finding::new(&META, loc, message).in_stack(i).help(help);
    for k in bad.iter().skip(1).take(3) {
        if let Some(r) = stack.resources.get(*k) {
            f = f.related(
                cx.ws.loc(r.item.block),
                format!("also a singleton: {}", r.address(false)),
            );
        }
    }
    for s in stacks.iter().take(4) {
        if let Some(a) = deployer_loc(cx, *s) {
            f = f.related(a, format!("deployed by {}", cx.stack_id(*s)));
        }
    }
    Some(f)
}

/// Where a stack deploys the module: a Terragrunt unit's `terraform { source }` block,
/// else the stack's anchor.
fn deployer_loc(cx: &Context, i: usize) -> Option<crate::source::Loc> {
    let stack = &cx.ws.stacks[i];
    let unit = cx.ws.units.get(&stack.dir).and_then(|u| {
        let f = cx.ws.file(u.file);
        let b = f.body.block("terraform").or(f.body.blocks.first())?;
        Some(crate::source::Loc {
            file: u.file,
            span: b.head,
        })
    });
    unit.or(stack.anchor)
}
