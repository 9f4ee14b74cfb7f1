//! What `hardcoded-reference` says about each kind of literal identifier: why it is a
//! problem and what to write instead.

use super::cloud_ids::IdKind;

/// Why a literal with no known owner is a problem.
pub fn consequence(kind: IdKind, id: &str, several: bool) -> String {
    let (it, names, goes) = if several {
        ("they", "name resources", "go")
    } else {
        ("it", "names a resource", "goes")
    };
    let hidden = format!(
        "{it} {names} this stack does not manage, and whoever owns {} is invisible to \
         Terraform and to stacklint",
        if several { "them" } else { "it" }
    );
    match (kind, pinned(kind, id)) {
        (IdKind::Aws(_), _) | (_, None) => {
            format!(
                "{hidden}; {it} {goes} stale when the owner replaces {}",
                if several { "them" } else { "it" }
            )
        }
        (_, Some(p)) => format!("{hidden}; {p}"),
    }
}

/// The account, subscription or project an identifier writes into the code.
pub fn pinned(kind: IdKind, id: &str) -> Option<String> {
    let seg = |i: usize, sep: char| id.split(sep).nth(i).unwrap_or("").to_string();
    match kind {
        IdKind::Aws(_) => None,
        IdKind::Arn => Some(format!("account {} is pinned into the code", seg(4, ':'))),
        IdKind::Azure => Some(format!(
            "subscription {} is pinned into the code",
            seg(2, '/')
        )),
        IdKind::Gcp => Some(format!("project {} is pinned into the code", seg(1, '/'))),
    }
}

pub fn fix(kind: IdKind) -> &'static str {
    match kind {
        IdKind::Aws(_) => "take the id from the stack that owns the resource: an output it \
            exposes (in Terragrunt, a dependency block's outputs), an SSM parameter it publishes, or a data source that finds the resource by \
            tag (data \"aws_vpc\" { tags = { Name = \"...\" } }); or make it an input variable set \
            per instance",
        IdKind::Arn => "build the ARN from lookups: data.aws_caller_identity.current.account_id \
            for this stack's own account (a variable for another team's or a vendor's), and a \
            reference, output or data source for the resource, so the stack can be instantiated \
            in another account; a literal that is meant to stay can go in the rule's `allow` list",
        IdKind::Azure => "look the resource up (a data \"azurerm_...\" source by name and \
            resource group) or read it from the stack that creates it, with the subscription \
            from the provider configuration or a variable",
        IdKind::Gcp => "reference the resource through a lookup (data \"google_compute_...\") \
            or an output of the stack that creates it, with the project as a variable",
    }
}
