//! Recognises literal cloud identifiers in string text: AWS resource ids (`vpc-`,
//! `subnet-`, `sg-`, ... followed by 8 or 17 hex digits), ARNs with a 12-digit account,
//! Azure resource ids (`/subscriptions/<uuid>/resourceGroups/...`) and GCP self links
//! (`projects/<p>/global/...`, `.../regions/<r>/...`, `.../zones/<z>/...`). AMI ids,
//! AWS-managed ARNs (no account) and public catalogue links (images, machine types)
//! are not identifiers of something another stack owns, and are not matched.

use crate::source::Span;

/// AWS id prefixes and what they name.
const AWS_PREFIXES: &[(&str, &str)] = &[
    ("vpc", "VPC"),
    ("subnet", "subnet"),
    ("sg", "security group"),
    ("igw", "internet gateway"),
    ("nat", "NAT gateway"),
    ("rtb", "route table"),
    ("eni", "network interface"),
    ("vol", "EBS volume"),
    ("i", "EC2 instance"),
];

/// GCP collections that are public catalogues, not resources a stack creates.
const GCP_CATALOGUES: &[&str] = &[
    "images",
    "licenses",
    "machineTypes",
    "diskTypes",
    "acceleratorTypes",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdKind {
    /// An AWS id; the value names the resource (`VPC`, `subnet`, ...).
    Aws(&'static str),
    Arn,
    Azure,
    Gcp,
}

impl IdKind {
    pub fn describe(self) -> String {
        match self {
            IdKind::Aws(what) => format!("AWS {what} id"),
            IdKind::Arn => "ARN with a literal account".to_string(),
            IdKind::Azure => "Azure resource id".to_string(),
            IdKind::Gcp => "GCP self link".to_string(),
        }
    }

    pub fn describe_plural(self) -> String {
        match self {
            IdKind::Arn => "ARNs with a literal account".to_string(),
            other => format!("{}s", other.describe()),
        }
    }
}

/// One identifier found in a string: its kind and byte range in that string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: IdKind,
    pub start: usize,
    pub end: usize,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Characters that end an ARN, resource id or link inside larger text.
fn is_stop(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | ',' | ']' | '[' | '}' | '{' | ')' | '(' | '<' | '>' | '`' | ';'
        )
}

fn is_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every identifier [`scan`] finds has a `-`, `:` or `/` in it and is at least
/// `MIN_ID_LEN` long; most literals (names, sizes, regions) are skipped on this test.
pub fn may_contain(s: &str) -> bool {
    s.len() >= MIN_ID_LEN && s.bytes().any(|b| matches!(b, b'-' | b':' | b'/'))
}

/// The shortest identifier `scan` can find: the shortest AWS prefix, `-` and 8 hex
/// digits (ARNs, Azure ids and GCP links are longer). Most literals in a tree are
/// shorter (names, sizes, regions) and are not scanned.
const MIN_ID_LEN: usize = {
    let mut min = usize::MAX;
    let mut i = 0;
    while i < AWS_PREFIXES.len() {
        if AWS_PREFIXES[i].0.len() < min {
            min = AWS_PREFIXES[i].0.len();
        }
        i += 1;
    }
    min + 1 + 8
};

/// Every identifier in `s`, in order, not overlapping (an AWS id inside an ARN is
/// part of the ARN). Linear in the length of `s`.
pub fn scan(s: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let at_boundary =
            s.is_char_boundary(i) && (i == 0 || !s[..i].chars().next_back().is_some_and(is_word));
        if !at_boundary {
            i += 1;
            continue;
        }
        let rest = &s[i..];
        let long_end = || rest.find(is_stop).map_or(s.len(), |e| i + e);
        let hit = if rest.starts_with("arn:") {
            let e = long_end();
            arn(&s[i..e]).then_some((IdKind::Arn, e))
        } else if starts_with_ci(rest, "/subscriptions/") {
            let e = long_end();
            azure(&s[i..e]).then_some((IdKind::Azure, e))
        } else if rest.starts_with("projects/") {
            let e = long_end();
            gcp(&s[i..e]).then_some((IdKind::Gcp, e))
        } else if rest.starts_with(|c: char| c.is_ascii_lowercase()) {
            let e = rest.find(|c: char| !is_word(c)).map_or(s.len(), |e| i + e);
            aws(&s[i..e]).map(|k| (k, e))
        } else {
            None
        };
        match hit {
            Some((kind, end)) => {
                out.push(Found {
                    kind,
                    start: i,
                    end,
                });
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn aws(word: &str) -> Option<IdKind> {
    let (prefix, hex) = word.split_once('-')?;
    let (_, what) = AWS_PREFIXES.iter().find(|(p, _)| *p == prefix)?;
    ((hex.len() == 8 || hex.len() == 17) && is_hex(hex)).then_some(IdKind::Aws(what))
}

/// `arn:<partition>:<service>:<region>:<12-digit account>:<resource>`.
fn arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, service, _region, account, resource] => {
            partition.starts_with("aws")
                && !service.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && !resource.is_empty()
        }
        _ => false,
    }
}

/// `/subscriptions/<uuid>/resourceGroups/<name>...`.
fn azure(s: &str) -> bool {
    let rest = s.get("/subscriptions/".len()..).unwrap_or("");
    let (Some(uuid), Some(after)) = (rest.get(..36), rest.get(36..)) else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    let uuid_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
    uuid_ok && starts_with_ci(after, "/resourceGroups/") && after.len() > "/resourceGroups/".len()
}

/// `projects/<id>/global/<collection>/<name>` or with `regions/<r>` / `zones/<z>`.
fn gcp(s: &str) -> bool {
    let segs: Vec<&str> = s.split('/').collect();
    let project_ok = |p: &str| {
        (6..=30).contains(&p.len())
            && p.starts_with(|c: char| c.is_ascii_lowercase())
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let (collection, name) = match segs.as_slice() {
        ["projects", p, "global", c, n, ..] if project_ok(p) => (*c, *n),
        ["projects", p, "regions" | "zones", loc, c, n, ..] if project_ok(p) && !loc.is_empty() => {
            (*c, *n)
        }
        _ => return false,
    };
    !collection.is_empty() && !name.is_empty() && !GCP_CATALOGUES.contains(&collection)
}

/// The (Terraform resource type, name) that creates the thing an identifier names,
/// when the identifier carries the name (ARNs, Azure ids, GCP links); `None` for
/// opaque AWS ids, which only an `import` block can tie to a stack.
pub fn created_by(kind: IdKind, id: &str) -> Option<(&'static str, String)> {
    let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    match kind {
        IdKind::Arn => {
            let parts: Vec<&str> = id.splitn(6, ':').collect();
            let (service, resource) = (*parts.get(2)?, *parts.get(5)?);
            let (kind, rest) = resource.split_once(['/', ':']).unwrap_or(("", resource));
            let t = match (service, kind) {
                ("iam", "role") => "aws_iam_role",
                ("iam", "user") => "aws_iam_user",
                ("iam", "policy") => "aws_iam_policy",
                ("sns", "") => "aws_sns_topic",
                ("sqs", "") => "aws_sqs_queue",
                ("lambda", "function") => "aws_lambda_function",
                ("dynamodb", "table") => "aws_dynamodb_table",
                ("ecr", "repository") => "aws_ecr_repository",
                ("logs", "log-group") => "aws_cloudwatch_log_group",
                ("kms", "alias") => return Some(("aws_kms_alias", format!("alias/{rest}"))),
                _ => return None,
            };
            let name = if kind.is_empty() {
                resource.to_string()
            } else {
                last(rest)
            };
            Some((t, name))
        }
        IdKind::Azure => {
            let segs: Vec<&str> = id.trim_end_matches('/').split('/').collect();
            let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
            let t = match lower.get(6).map(String::as_str) {
                None => return Some(("azurerm_resource_group", segs.get(4)?.to_string())),
                Some("microsoft.network") => match lower.get(7).map(String::as_str) {
                    Some("virtualnetworks") if lower.get(9).is_some_and(|s| s == "subnets") => {
                        return Some(("azurerm_subnet", segs.get(10)?.to_string()))
                    }
                    Some("virtualnetworks") => "azurerm_virtual_network",
                    Some("networksecuritygroups") => "azurerm_network_security_group",
                    Some("privatednszones") => "azurerm_private_dns_zone",
                    _ => return None,
                },
                Some("microsoft.storage") => "azurerm_storage_account",
                Some("microsoft.keyvault") => "azurerm_key_vault",
                Some("microsoft.operationalinsights") => "azurerm_log_analytics_workspace",
                Some("microsoft.containerservice") => "azurerm_kubernetes_cluster",
                Some("microsoft.managedidentity") => "azurerm_user_assigned_identity",
                _ => return None,
            };
            Some((t, segs.get(8)?.to_string()))
        }
        IdKind::Gcp => {
            let segs: Vec<&str> = id.split('/').collect();
            let (c, n) = match segs.get(2) {
                Some(&"global") => (*segs.get(3)?, *segs.get(4)?),
                _ => (*segs.get(4)?, *segs.get(5)?),
            };
            let t = match c {
                "networks" => "google_compute_network",
                "subnetworks" => "google_compute_subnetwork",
                "instances" => "google_compute_instance",
                "firewalls" => "google_compute_firewall",
                "routers" => "google_compute_router",
                "addresses" => "google_compute_address",
                _ => return None,
            };
            Some((t, n.to_string()))
        }
        IdKind::Aws(_) => None,
    }
}

/// Is `id` in the `allow` list (exact, or a prefix ending in `*`)?
pub fn allowed(allow: &[String], id: &str) -> bool {
    allow.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => a == id,
    })
}

/// The span of the `nth` occurrence of `id` inside the expression's source text; the
/// whole expression when the text cannot be read.
pub fn precise(text: Option<&str>, within: Span, id: &str, nth: usize) -> Span {
    let Some(src) = text.and_then(|t| t.get(within.start as usize..within.end as usize)) else {
        return within;
    };
    match src.match_indices(id).nth(nth) {
        Some((at, _)) => {
            let start = within.start as usize + at;
            Span::new(start, start + id.len())
        }
        None => within,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &str) -> Vec<(&str, IdKind)> {
        scan(s)
            .into_iter()
            .map(|f| (&s[f.start..f.end], f.kind))
            .collect()
    }

    #[test]
    fn finds_aws_ids_by_prefix_and_length() {
        assert_eq!(
            ids("vpc-0a1b2c3d4e5f67890"),
            vec![("vpc-0a1b2c3d4e5f67890", IdKind::Aws("VPC"))]
        );
        assert_eq!(ids("sg-12ab34cd,i-0123456789abcdef0").len(), 2);
        // Wrong length, upper case, AMIs, part of a longer name: not ids.
        assert!(ids("vpc-0a1b2c3d4").is_empty());
        assert!(ids("subnet-0A1B2C3D").is_empty());
        assert!(ids("ami-0a1b2c3d4e5f67890").is_empty());
        assert!(ids("my-vpc-12345678").is_empty());
        assert!(ids("vpc-placeholder").is_empty());
    }

    #[test]
    fn the_length_pre_test_keeps_the_shortest_ids() {
        // `i-` and 8 hex digits is the shortest id: found, and not skipped by the
        // pre-test; one digit less is neither.
        assert_eq!(MIN_ID_LEN, 10);
        assert!(may_contain("i-0a1b2c3d"));
        assert_eq!(
            ids("i-0a1b2c3d"),
            vec![("i-0a1b2c3d", IdKind::Aws("EC2 instance"))]
        );
        assert!(!may_contain("i-0a1b2c3"));
        assert!(ids("i-0a1b2c3").is_empty());
    }

    #[test]
    fn finds_arns_with_an_account_only() {
        let s = "arn:aws:iam::123456789012:role/deployer";
        assert_eq!(ids(s), vec![(s, IdKind::Arn)]);
        assert!(ids("arn:aws:iam::aws:policy/ReadOnlyAccess").is_empty());
        assert!(ids("arn:aws:s3:::acme-logs/*").is_empty());
        // The subnet id inside the ARN is part of the ARN.
        let t = "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0a1b2c3d";
        assert_eq!(ids(t), vec![(t, IdKind::Arn)]);
        assert_eq!(
            created_by(IdKind::Arn, s),
            Some(("aws_iam_role", "deployer".to_string()))
        );
    }

    #[test]
    fn finds_azure_ids_and_gcp_links() {
        let a = "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-app";
        assert_eq!(ids(a), vec![(a, IdKind::Azure)]);
        assert_eq!(
            created_by(IdKind::Azure, a),
            Some(("azurerm_subnet", "snet-app".to_string()))
        );
        assert!(ids("/subscriptions/${var.sub}/resourceGroups/x").is_empty());
        let g = "projects/acme-prod-net/regions/europe-west1/subnetworks/gke-nodes";
        assert_eq!(ids(g), vec![(g, IdKind::Gcp)]);
        assert!(ids("projects/debian-cloud/global/images/family/debian-12").is_empty());
        assert!(ids("projects/acme-prod/secrets/db-password").is_empty());
    }
}
