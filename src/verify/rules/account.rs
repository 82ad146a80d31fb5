//! `account.once` and `account.lookup`: over the roots of one build, by account (the intent's
//! `account`; workspaces that name none share `default`).
//!
//! AWS attaches a virtual private gateway to one VPC at a time ("AttachVpnGateway": "You can
//! attach one virtual private gateway to one VPC at a time", Amazon EC2 API Reference); names
//! of IAM roles and instance profiles are unique in an account, and those of load balancers,
//! target groups, Aurora clusters and instances, DMS resources, secrets, log groups, alarms,
//! dashboards, KMS aliases, launch templates, Auto Scaling groups and web ACLs in an account's
//! region (each service's create call fails with "already exists"); S3 bucket names are
//! unique everywhere ("General purpose bucket naming rules", Amazon S3 User Guide). Which name
//! is unique where, and whether AWS ignores its case, is each rule's `scope` and `folds_case`
//! in `crate::aws::names`, the facts the checker compares derived names with. A Route 53 record
//! set (name, type and set identifier in a hosted zone a root looks up) is managed by one root
//! of an account: the second root's create fails ("Tried to create resource record set … but it
//! already exists"). A health check has no name AWS keeps unique (each root's has its own id);
//! the alarms it watches are names, compared above.

use super::super::net::gateway_id;
use super::super::{Finding, Workspace};
use super::names::at_path;
use crate::aws::names::{ARGUMENTS, NameRule, Scope};
use std::collections::BTreeMap;

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
    /// (its rule, name, address) for each name unique in an account's region, an account or
    /// all of AWS.
    pub names: Vec<(&'static NameRule, String, String)>,
    /// (VPN gateway id, the data source's address), for each gateway looked up by its id.
    pub lookups: Vec<(String, String)>,
    /// (record set, address) for each Route 53 record in a hosted zone the root looks up
    /// (`data.aws_route53_zone`): a zone that exists once, shared by every root of the account.
    pub records: Vec<(String, String)>,
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
        // A security group's name is unique per VPC, a role policy's per role: only names
        // unique in an account's region, the account or everywhere are compared across roots.
        for argument in ARGUMENTS
            .iter()
            .filter(|a| matches!(a.rule.scope, Scope::Region | Scope::Account | Scope::Global))
        {
            for body in root.each(argument.kind) {
                for name in at_path(body, argument.path)
                    .iter()
                    .filter_map(|t| root.evaluate(t))
                {
                    facts
                        .names
                        .push((argument.rule, name, body.address().to_string()));
                }
            }
        }
        for record in root.each("aws_route53_record") {
            if let Some(set) = record_set(root, record) {
                facts.records.push((set, record.address().to_string()));
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

/// A record in a looked-up hosted zone as Route 53 tells record sets apart: its name, type and
/// set identifier ("Record ID") in the zone, names without case and trailing dot ("Values
/// specific for weighted records", Route 53 Developer Guide:
/// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-weighted.html;
/// "DNS domain name format": https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html).
/// A zone the root creates itself is its own (a new zone id each time): `None`.
fn record_set(root: &super::super::root::Root, record: super::super::root::Body) -> Option<String> {
    let zone = record.one_ref("zone_id")?;
    if !zone.starts_with("data.aws_route53_zone.") {
        return None;
    }
    let zone_body = root.get(&zone)?;
    let canonical = |n: &str| n.trim_end_matches('.').to_ascii_lowercase();
    let private = zone_body
        .get("private_zone")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let name = root.evaluate(&record.text("name")?)?;
    Some(format!(
        "{} {} ({}) in {}zone {}",
        canonical(&name),
        record.text("type").unwrap_or_default(),
        record.text("set_identifier").unwrap_or_default(),
        if private { "private " } else { "" },
        canonical(&zone_body.text("name")?)
    ))
}

/// (account — empty for a name unique across accounts —, region — empty for a name unique in
/// the whole account —, what the name is, the name as AWS compares it).
type NameKey<'a> = (&'a str, &'a str, &'static str, String);

/// `account.once`.
pub(super) fn once(workspaces: &[Facts], out: &mut Vec<(usize, Finding)>) {
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
        for (rule, name, address) in &ws.names {
            let (account, region) = match rule.scope {
                Scope::Global => ("", ""),
                Scope::Account => (ws.account.as_str(), ""),
                _ => (ws.account.as_str(), ws.region.as_str()),
            };
            names
                .entry((account, region, rule.what, rule.key(name)))
                .or_default()
                .push((i, address.as_str()));
        }
    }
    // (account, record set) → the (workspace, record) pairs.
    let mut records: BTreeMap<(&str, &str), Vec<(usize, &str)>> = BTreeMap::new();
    for (i, ws) in workspaces.iter().enumerate() {
        for (set, address) in &ws.records {
            records
                .entry((ws.account.as_str(), set.as_str()))
                .or_default()
                .push((i, address.as_str()));
        }
    }
    for ((account, set), uses) in records {
        let Some(((first, a), rest)) = uses.split_first() else {
            continue;
        };
        let ws = workspaces.get(*first).map_or("", |w| w.name.as_str());
        for (j, b) in rest.iter().filter(|(j, _)| j != first) {
            out.push((
                *j,
                Finding {
                    rule: "account.once",
                    message: format!(
                        "{b} and {a} of workspace {ws} both manage the Route 53 record set {set} in account `{account}`: the second create fails, and two states would overwrite each other's records"
                    ),
                    resources: vec![b.to_string()],
                },
            ));
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
    for ((account, _, what, name), uses) in twice {
        if let [(first, a), rest @ ..] = uses.as_slice() {
            for (j, b) in rest {
                let ws = workspaces.get(*first).map_or("", |w| w.name.as_str());
                out.push((
                    *j,
                    Finding {
                        rule: "account.once",
                        message: format!(
                            "{b} and {a} of workspace {ws} both create the {what} `{name}`{}: the second apply fails",
                            if account.is_empty() {
                                " (unique across every AWS account)".to_string()
                            } else {
                                format!(" in account `{account}`")
                            }
                        ),
                        resources: vec![b.to_string()],
                    },
                ));
            }
        }
    }
}

/// `account.lookup`.
pub(super) fn lookup(workspaces: &[Facts], out: &mut Vec<(usize, Finding)>) {
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
