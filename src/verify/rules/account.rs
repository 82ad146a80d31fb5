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

/// (account, region — empty for IAM —, resource type, name).
type NameKey<'a> = (String, String, &'a str, String);

/// `account.once`.
pub fn once(workspaces: &[Workspace], out: &mut Vec<(usize, Finding)>) {
    // (account, gateway) → the (workspace, attachment) pairs.
    let mut attached: BTreeMap<(String, String), Vec<(usize, String)>> = BTreeMap::new();
    // (account, region, kind, name) → (workspace, address).
    let mut names: std::collections::HashMap<NameKey, Vec<(usize, String)>> =
        std::collections::HashMap::new();
    for (i, ws) in workspaces.iter().enumerate() {
        let account = ws.intent.account.clone();
        for (attachment, _) in ws.root.each("aws_vpn_gateway_attachment") {
            if let Some(gateway) = ws.root.one_ref(attachment, "vpn_gateway_id") {
                attached
                    .entry((account.clone(), gateway_id(&ws.root, &gateway)))
                    .or_default()
                    .push((i, attachment.to_string()));
            }
        }
        for rule in RULES.iter().filter(|r| !NOT_ACCOUNT_WIDE.contains(&r.kind)) {
            for (address, body) in ws.root.each(rule.kind) {
                let Some(name) = body
                    .get(rule.attribute)
                    .and_then(|v| v.as_str())
                    .and_then(|t| ws.root.evaluate(t))
                else {
                    continue;
                };
                let region = if rule.kind.starts_with("aws_iam_") {
                    String::new()
                } else {
                    ws.root.region.clone()
                };
                names
                    .entry((account.clone(), region, rule.kind, name))
                    .or_default()
                    .push((i, address.to_string()));
            }
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
    let mut twice: Vec<(NameKey, Vec<(usize, String)>)> = names
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
                        resources: vec![b.clone()],
                    },
                ));
            }
        }
    }
}

/// `account.lookup`.
pub fn lookup(workspaces: &[Workspace], out: &mut Vec<(usize, Finding)>) {
    // gateway id → the accounts that look it up, with (workspace, data source).
    let mut looked: BTreeMap<String, BTreeMap<String, (usize, String)>> = BTreeMap::new();
    for (i, ws) in workspaces.iter().enumerate() {
        for (data, _) in ws.root.each("data.aws_vpn_gateway") {
            let id = gateway_id(&ws.root, data);
            if id.starts_with("vgw-") {
                looked
                    .entry(id)
                    .or_default()
                    .entry(ws.intent.account.clone())
                    .or_insert((i, data.to_string()));
            }
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
