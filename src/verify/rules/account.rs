//! `account.once` and `account.lookup`: over the roots of one build, by account (the intent's
//! `account`; workspaces that name none share `default`).
//!
//! AWS attaches a virtual private gateway to one VPC at a time ("AttachVpnGateway": "You can
//! attach one virtual private gateway to one VPC at a time", Amazon EC2 API Reference); names
//! of IAM roles and instance profiles are unique in an account, and those of load balancers,
//! target groups, Aurora clusters and instances, DMS resources, secrets, log groups, alarms,
//! dashboards, KMS aliases, launch templates, Auto Scaling groups and web ACLs in an account's
//! region (each service's create call fails with "already exists"); S3 bucket names are
//! unique everywhere ("General purpose bucket naming rules", Amazon S3 User Guide).

use super::super::net::gateway_id;
use super::super::{Finding, Workspace};
use crate::aws::names::RULES;
use std::collections::BTreeMap;

/// Name arguments that are not unique per account (a security group's name is unique per VPC,
/// a role policy's per role, a VPC endpoint has no name).
const NOT_ACCOUNT_WIDE: &[&str] = &[
    "aws_security_group",
    "aws_iam_role_policy",
    "aws_vpc_endpoint",
];

/// What the account rules read of one root: small beside the root, so that a build keeps
/// these, not the roots, until every root is verified.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The workspace's name.
    pub name: String,
    /// The AWS account the root is applied in (the intent's).
    pub account: String,
    pub region: String,
    /// (VPN gateway, the attachment's address), for each gateway attachment.
    pub attachments: Vec<(String, String)>,
    /// (resource type, name, address) for each name unique in an account or region.
    pub names: Vec<(&'static str, String, String)>,
    /// (VPN gateway id, the data source's address), for each gateway looked up by its id.
    pub lookups: Vec<(String, String)>,
}

impl Facts {
    pub fn of(ws: &Workspace) -> Facts {
        let root = &ws.root;
        let mut facts = Facts {
            name: ws.name.clone(),
            account: ws.intent.account.clone(),
            region: root.region.clone(),
            ..Facts::default()
        };
        for attachment in root.each("aws_vpn_gateway_attachment") {
            if let Some(gateway) = attachment.one_ref("vpn_gateway_id") {
                facts
                    .attachments
                    .push((gateway_id(root, &gateway), attachment.address().to_string()));
            }
        }
        for rule in RULES.iter().filter(|r| !NOT_ACCOUNT_WIDE.contains(&r.kind)) {
            for body in root.each(rule.kind) {
                if let Some(name) = body.text(rule.attribute).and_then(|t| root.evaluate(&t)) {
                    facts
                        .names
                        .push((rule.kind, name, body.address().to_string()));
                }
            }
        }
        for data in root.each("data.aws_vpn_gateway") {
            let id = gateway_id(root, data.address());
            if id.starts_with("vgw-") {
                facts.lookups.push((id, data.address().to_string()));
            }
        }
        facts
    }
}

/// (account, region — empty for IAM —, resource type, name).
type NameKey<'a> = (&'a str, &'a str, &'static str, &'a str);

/// `account.once`.
pub fn once(workspaces: &[Facts], out: &mut Vec<(usize, Finding)>) {
    // (account, gateway) → the (workspace, attachment) pairs.
    let mut attached: BTreeMap<(String, String), Vec<(usize, String)>> = BTreeMap::new();
    // (account, region, kind, name) → (workspace, address).
    let mut names: std::collections::HashMap<NameKey, Vec<(usize, &str)>> =
        std::collections::HashMap::new();
    for (i, ws) in workspaces.iter().enumerate() {
        for (gateway, attachment) in &ws.attachments {
            attached
                .entry((ws.account.clone(), gateway.clone()))
                .or_default()
                .push((i, attachment.clone()));
        }
        for (kind, name, address) in &ws.names {
            let region = if kind.starts_with("aws_iam_") {
                ""
            } else {
                ws.region.as_str()
            };
            names
                .entry((ws.account.as_str(), region, kind, name.as_str()))
                .or_default()
                .push((i, address.as_str()));
        }
    }
    for ((account, gateway), uses) in attached {
        if let [(first, a), rest @ ..] = uses.as_slice()
            && !rest.is_empty()
        {
            let others: Vec<String> = rest
                .iter()
                .filter_map(|(j, b)| {
                    workspaces
                        .get(*j)
                        .map(|w| format!("{b} of workspace {}", w.name))
                })
                .collect();
            let name = workspaces.get(*first).map_or("", |w| w.name.as_str());
            for (j, b) in rest {
                out.push((
                    *j,
                    Finding {
                        rule: "account.once",
                        message: format!(
                            "VPN gateway {gateway} is attached by {a} of workspace {name} and by {}, in account `{account}`: AWS attaches a virtual private gateway to one VPC at a time",
                            others.join(" and ")
                        ),
                        resources: vec![b.clone()],
                    },
                ));
            }
        }
    }
    // Only names used twice, in a stable order.
    let mut twice: Vec<(NameKey, Vec<(usize, &str)>)> = names
        .into_iter()
        .filter(|(_, uses)| uses.len() > 1)
        .collect();
    twice.sort();
    for ((account, _, kind, name), uses) in twice {
        if let [(first, a), rest @ ..] = uses.as_slice() {
            for (j, b) in rest {
                let ws = workspaces.get(*first).map_or("", |w| w.name.as_str());
                out.push((
                    *j,
                    Finding {
                        rule: "account.once",
                        message: format!(
                            "{b} and {a} of workspace {ws} both create the {kind} named `{name}` in account `{account}`: the second apply fails"
                        ),
                        resources: vec![b.to_string()],
                    },
                ));
            }
        }
    }
}

/// `account.lookup`.
pub fn lookup(workspaces: &[Facts], out: &mut Vec<(usize, Finding)>) {
    // gateway id → the accounts that look it up, with (workspace, data source).
    let mut looked: BTreeMap<String, BTreeMap<String, (usize, String)>> = BTreeMap::new();
    for (i, ws) in workspaces.iter().enumerate() {
        for (id, data) in &ws.lookups {
            looked
                .entry(id.clone())
                .or_default()
                .entry(ws.account.clone())
                .or_insert((i, data.clone()));
        }
    }
    for (gateway, accounts) in looked {
        if accounts.len() < 2 {
            continue;
        }
        let list: Vec<String> = accounts.keys().map(|a| format!("`{a}`")).collect();
        for (i, data) in accounts.values().skip(1) {
            out.push((
                *i,
                Finding {
                    rule: "account.lookup",
                    message: format!(
                        "VPN gateway {gateway} is looked up from accounts {}: it exists in one account, so every other account's lookup fails",
                        list.join(" and ")
                    ),
                    resources: vec![data.clone()],
                },
            ));
        }
    }
}
