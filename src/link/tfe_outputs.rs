//! `data "tfe_outputs"`: reads another HCP Terraform / Terraform Enterprise workspace's
//! outputs by organization and workspace name; matched to the stack whose `cloud` block
//! or `remote` backend names that workspace.

use super::remote_state::{collect_kind, resolve_with, Consumer, ProviderIndex};
use super::{Mechanism, RawLink, Unresolved};
use crate::eval::{self, Scope, Value};
use crate::model::{addresses, CodeScope, StateAddress, Workspace, WorkspaceSel};
use std::collections::BTreeMap;

pub fn collect(ws: &Workspace, index: usize, scopes: &[CodeScope]) -> Vec<Consumer> {
    let stack = &ws.stacks[index];
    collect_kind(
        ws,
        index,
        stack,
        scopes,
        "tfe_outputs",
        &["values", "nonsensitive_values"],
        consumer_addresses,
    )
}

fn consumer_addresses(
    block: &crate::syntax::Block,
    scope: &dyn Scope,
    dir: &str,
) -> Result<Vec<StateAddress>, String> {
    let get = |name: &str| {
        block
            .body
            .expr(name)
            .map(|e| eval::eval(e, scope))
            .unwrap_or(Value::Unknown)
    };
    let (org, workspace) = (get("organization"), get("workspace"));
    if matches!(workspace, Value::Unknown) {
        return Err("the workspace name cannot be determined statically".into());
    }
    let mut config = BTreeMap::new();
    config.insert("organization".to_string(), org);
    config.insert(
        "workspaces".to_string(),
        Value::Map([("name".to_string(), workspace)].into()),
    );
    Ok(addresses("remote", &config, &WorkspaceSel::Default, dir))
}

/// One stack's `tfe_outputs` readers resolved, on the calling thread.
pub fn resolve(
    ws: &Workspace,
    index: &ProviderIndex,
    consumers: &[Consumer],
) -> (Vec<RawLink>, Vec<Unresolved>) {
    resolve_with(ws, index, consumers, Mechanism::TfeOutputs)
}
