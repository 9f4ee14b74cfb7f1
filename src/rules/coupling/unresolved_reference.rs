//! `unresolved-reference`: a cross-stack reference (remote state, `tfe_outputs`,
//! Terragrunt dependency, Terramate ordering) that matches no stack in the tree, or
//! several, becomes a note with the reason the linker gave.

use crate::link::{Mechanism, Unresolved};
use crate::rules::{Category, Context, Finding, Rule, RuleId, RuleMeta, Severity};

pub struct UnresolvedReference;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnresolvedReference,
    category: Category::Coupling,
    default_severity: Severity::Note,
    summary: "a remote-state/dependency reference matches no stack in the tree",
    options: &[],
};

impl Rule for UnresolvedReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for u in &cx.links.unresolved {
            let message = format!(
                "{} has a {} reference stacklint cannot tie to one stack: {}",
                cx.stack_id(u.from),
                u.mechanism.as_str(),
                u.reason
            );
            out.push(
                Finding::new(&META, u.loc, message)
                    .in_stack(u.from)
                    .help(help(u)),
            );
        }
    }
}

fn help(u: &Unresolved) -> String {
    let tail = "until then the dependency is invisible to the graph, so cycles, layers and \
                contracts through it go unchecked";
    let several = u.reason.contains("several stacks");
    match u.mechanism {
        Mechanism::RemoteState | Mechanism::TfeOutputs if several => format!(
            "make the state address name one stack: give each instance its own literal key \
             or workspace (or set the variables it depends on in tfvars); {tail}"
        ),
        Mechanism::RemoteState | Mechanism::TfeOutputs => format!(
            "if the provider lives in another repository, scan both together or suppress this \
             note with a reason; otherwise make the address statically known (literal \
             bucket/key or workspace, or tfvars values for the variables it uses) and make \
             sure the provider's backend declares the same address; {tail}"
        ),
        Mechanism::ParameterStore => format!(
            "if the value is written outside this tree (by hand, by a pipeline, by another \
             repository), say so where it is read or suppress this note with a reason; \
             otherwise make the name statically known on both sides (a literal, or tfvars values \
             for the variables it uses); {tail}"
        ),
        Mechanism::ResourceLookup => format!(
            "a data source that finds a resource by name or tag is a dependency on whoever \
             creates it; if that is outside this tree (a registry module, another repository, \
             the console), this note documents it, otherwise make the name or tags statically \
             known on both sides; {tail}"
        ),
        Mechanism::TerragruntDependency
        | Mechanism::TerragruntOrder
        | Mechanism::TerramateOrder => format!(
            "point the path at a stack directory inside the scanned tree (or scan the tree \
             that holds it); {tail}"
        ),
    }
}
