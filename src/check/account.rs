//! Workspaces that share one AWS account. Every workspace is applied to the account `default`
//! unless it says `account = "…"`; in one account, names are account-wide (IAM roles, S3
//! buckets, RDS, DMS and load balancer identifiers, dashboards, alarms, Route 53 record sets),
//! so two workspaces of one account must never create the same one: the second apply would
//! fail ("EntityAlreadyExists") or two states would fight over one record set. Everything pmigc
//! names starts with the stack's resolved name, so two workspaces with one resolved name in one
//! account collide everywhere (PMG0614); the names that do not (DMS's two fixed-name roles, the
//! cutovers' record sets) are listed with the block that causes them, and each is claimed by
//! at most one workspace of an account (PMG0613): `dms_roles = WORKSPACE | existing` in the
//! `stack` block and `owner = WORKSPACE` on a cutover say which.

use super::error::CheckError;
use crate::diag::at;
use crate::model::{DmsRoles, Origin, Stack};
use crate::syntax::ast::Span;
use std::collections::BTreeMap;

/// An account-wide name a workspace's root creates, and the block that makes it.
struct Claim {
    what: &'static str,
    name: String,
    cause: Origin,
    /// How to give the name to one workspace only (`{OWNER}` stands for the first workspace
    /// that claims it).
    help: String,
}

/// The account-wide names a workspace's root creates.
fn claims(stack: &Stack) -> Vec<Claim> {
    let mut claims = Vec::new();
    let mut named = |what: &'static str, name: String, cause: Origin| {
        claims.push(Claim {
            what,
            name,
            cause,
            help: "give the workspaces different values of the inputs in the stack's name, or different accounts (`account = \"…\"`)".into(),
        })
    };
    for service in &stack.services {
        named("IAM role", stack.aws_name(&service.name), service.origin);
    }
    for db in &stack.databases {
        named("RDS cluster", stack.aws_name(&db.name), db.origin);
    }
    for replication in &stack.replications {
        named(
            "DMS replication instance",
            stack.aws_name(&replication.name),
            replication.origin,
        );
    }
    for dashboard in &stack.dashboards {
        named(
            "CloudWatch dashboard",
            stack.aws_name(&dashboard.name),
            dashboard.origin,
        );
    }
    if stack.dms_roles == DmsRoles::Create
        && let Some(first) = stack.replications.first()
    {
        for role in crate::model::DMS_ROLES {
            claims.push(Claim {
                what: "IAM role",
                name: role.to_string(),
                cause: first.origin,
                help: "DMS needs these roles once per account: say which workspace creates them with `dms_roles = {OWNER}` in the `stack` block (or `dms_roles = existing` when the account has them)".into(),
            });
        }
    }
    for cutover in stack.cutovers.iter().filter(|c| stack.manages(c)) {
        for set in ["aws", "legacy"] {
            claims.push(Claim {
                what: "Route 53 record set",
                name: format!("{} ({set}) in zone {}", cutover.record, cutover.zone),
                cause: cutover.origin,
                help: format!(
                    "one workspace manages a cutover's records: write `owner = {{OWNER}}` in cutover `{}` (each other workspace's root leaves them alone)",
                    cutover.name
                ),
            });
        }
    }
    claims
}

fn span(origin: Origin) -> Span {
    Span::new(origin.start, origin.end)
}

/// Refuses two workspaces of one account that would create the same account-wide name: one
/// diagnostic per pair of workspaces and cause.
pub fn check(stacks: &[Stack], errors: &mut Vec<CheckError>) {
    let mut first_named: BTreeMap<(&str, &str), &Stack> = BTreeMap::new();
    let mut collided: Vec<(&str, &str)> = Vec::new();
    for stack in stacks {
        let account = stack.workspace.account.as_str();
        match first_named.get(&(account, stack.resolved_name.as_str())) {
            Some(earlier) => {
                collided.push((
                    earlier.workspace.name.as_str(),
                    stack.workspace.name.as_str(),
                ));
                errors.push(CheckError::SameNameInAccount {
                    a: earlier.workspace.name.to_string(),
                    b: stack.workspace.name.to_string(),
                    account: account.to_string(),
                    name: stack.resolved_name.clone(),
                    at: at(span(stack.workspace.origin)),
                    other: at(span(earlier.workspace.origin)),
                    help: Some("every name pmigc gives a resource starts with the stack's name: give each workspace of an account its own value of the inputs in `name` (such as `environment_suffix`), or its own `account = \"…\"`".into()),
                });
            }
            None => {
                first_named.insert((account, stack.resolved_name.as_str()), stack);
            }
        }
    }
    let mut owners: BTreeMap<(String, &str, String), &Stack> = BTreeMap::new();
    let mut reported: Vec<(&str, &str, usize)> = Vec::new();
    for stack in stacks {
        let account = stack.workspace.account.as_str();
        for claim in claims(stack) {
            let key = (account.to_string(), claim.what, claim.name.clone());
            let Some(earlier) = owners.get(&key).copied() else {
                owners.insert(key, stack);
                continue;
            };
            let (a, b) = (
                earlier.workspace.name.as_str(),
                stack.workspace.name.as_str(),
            );
            if collided.contains(&(a, b)) || reported.contains(&(a, b, claim.cause.start)) {
                continue;
            }
            reported.push((a, b, claim.cause.start));
            errors.push(CheckError::AccountNameTaken {
                a: a.to_string(),
                b: b.to_string(),
                account: account.to_string(),
                what: claim.what.to_string(),
                name: claim.name,
                at: at(span(stack.workspace.origin)),
                other: at(span(earlier.workspace.origin)),
                cause_at: at(span(claim.cause)),
                cause: "because of this block".into(),
                help: Some(claim.help.replace("{OWNER}", a)),
            });
        }
    }
}

/// Two workspaces attaching one VPN gateway: AWS attaches a virtual private gateway to one VPC
/// at a time ("AttachVpnGateway", Amazon EC2 API Reference), so in one account the second
/// apply fails; and a gateway exists in one account, so from another its lookup fails.
pub fn gateways(stacks: &[Stack], errors: &mut Vec<CheckError>) {
    let mut first: BTreeMap<&str, &Stack> = BTreeMap::new();
    for stack in stacks {
        let attached: Vec<&crate::model::Vpn> = stack
            .networks
            .iter()
            .filter_map(|n| n.vpn.as_ref())
            .map(|v| &stack[v])
            .collect();
        for vpn in attached {
            let Some(earlier) = first.get(vpn.gateway_id.as_str()).copied() else {
                first.insert(vpn.gateway_id.as_str(), stack);
                continue;
            };
            if earlier.workspace.name == stack.workspace.name {
                continue;
            }
            let (a, b) = (
                earlier.workspace.name.as_str(),
                stack.workspace.name.as_str(),
            );
            let same = earlier.workspace.account == stack.workspace.account;
            errors.push(CheckError::SharedVpnGateway {
                a: a.to_string(),
                b: b.to_string(),
                vpn: vpn.name.to_string(),
                gateway: vpn.gateway_id.clone(),
                why: if same {
                    format!(
                        " in account `{}`: AWS attaches a virtual private gateway to one VPC at a time",
                        stack.workspace.account
                    )
                } else {
                    format!(
                        " from accounts `{}` and `{}`: a gateway exists in one account only",
                        earlier.workspace.account, stack.workspace.account
                    )
                },
                at: at(span(stack.workspace.origin)),
                other: at(span(earlier.workspace.origin)),
                gateway_at: at(span(vpn.origin)),
                help: Some(format!(
                    "give each workspace its own VPN gateway and connection to the data centre: in workspace `{b}` write `{v}.gateway = \"vgw-…\"` and `{v}.connection = \"vpn-…\"`",
                    v = vpn.name
                )),
            });
        }
    }
}
