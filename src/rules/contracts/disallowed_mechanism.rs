//! `disallowed-mechanism`: an edge uses an integration mechanism that
//! `allowed_mechanisms` in `.stacklint.hcl` does not list.

use super::config_loc;
use crate::link::Mechanism;
use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};

pub struct DisallowedMechanism;

static META: RuleMeta = RuleMeta {
    id: RuleId::DisallowedMechanism,
    category: Category::Contracts,
    default_severity: Severity::Warning,
    summary: "an edge uses a mechanism the config does not allow",
    options: &[],
};

impl Rule for DisallowedMechanism {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(allowed) = &cx.config.contracts.allowed_mechanisms else {
            return;
        };
        let names: Vec<&str> = allowed.mechanisms.iter().map(|m| m.as_str()).collect();
        let ways: Vec<String> = allowed
            .mechanisms
            .iter()
            .map(|m| how(*m).to_string())
            .collect();
        for e in &cx.links.edges {
            if allowed.mechanisms.contains(&e.mechanism) {
                continue;
            }
            let (a, b) = (cx.stack_id(e.from), cx.stack_id(e.to));
            let pair = super::Pair::new(cx, e.from, e.to, vec![e]);
            let mut f = Finding::new(
                &META,
                e.loc,
                format!(
                    "{a} depends on {b} through {}, a mechanism the configuration does not \
                     allow (allowed: {})",
                    pair.describe_edges(),
                    names.join(", ")
                ),
            )
            .in_stack(e.from)
            .help(format!(
                "{} couples the stacks {}. Integrate through an allowed mechanism instead: {}",
                e.mechanism.as_str(),
                why(e.mechanism),
                ways.join("; ")
            ));
            if let Some(loc) = config_loc(cx, allowed.span) {
                f = f.related(loc, "the allowed mechanisms are configured here");
            }
            out.push(f);
        }
    }
}

/// Why a mechanism may be unwelcome, in stack-pattern terms.
fn why(m: Mechanism) -> &'static str {
    match m {
        Mechanism::RemoteState | Mechanism::TfeOutputs => {
            "tightly: the consumer reads the provider's whole state and needs access to it"
        }
        Mechanism::TerragruntDependency => {
            "through Terragrunt, which must read the provider's outputs on every run"
        }
        Mechanism::TerragruntOrder | Mechanism::TerramateOrder => {
            "by run order only, with no value showing what is actually shared"
        }
        Mechanism::ParameterStore => "through a registry entry both sides must name alike",
        Mechanism::ResourceLookup => {
            "implicitly: a data source finds the provider's resource by name or tag, and nothing \
             in the provider shows that anyone relies on it"
        }
    }
}

/// How to integrate through an allowed mechanism.
fn how(m: Mechanism) -> &'static str {
    match m {
        Mechanism::RemoteState => {
            "read the provider's outputs with data \"terraform_remote_state\""
        }
        Mechanism::TfeOutputs => "read the provider's outputs with data \"tfe_outputs\"",
        Mechanism::TerragruntDependency => {
            "pass the value as an input from a Terragrunt dependency block"
        }
        Mechanism::TerragruntOrder => "order the units with Terragrunt dependencies { paths }",
        Mechanism::TerramateOrder => "order the stacks with Terramate after/before",
        Mechanism::ParameterStore => {
            "have the provider publish the value to a registry (an SSM parameter, a secret) that \
             the consumer reads by name"
        }
        Mechanism::ResourceLookup => {
            "find the provider's resource with a data source by tag or name"
        }
    }
}
