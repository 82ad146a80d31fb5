//! Workspaces that share one AWS account. Every workspace is applied to the account `default`
//! unless it says `account = "…"`; in one account, names are account-wide (IAM roles, S3
//! buckets, RDS, DMS and load balancer identifiers, dashboards, alarms, Route 53 record sets),
//! so two workspaces of one account must never create the same one: the second apply would
//! fail ("EntityAlreadyExists") or two states would fight over one record set. Everything pmigc
//! names starts with the stack's resolved name, so two workspaces with one resolved name in one
//! account collide everywhere (PMG0614). Every other name AWS keeps unique in a region or an
//! account — all those the registry of derived names (`crate::derived`) gives a resource, DMS's
//! two fixed-name roles among them, and the cutovers' record sets — is claimed by at most one
//! workspace of an account (PMG0613): a name pattern can make one workspace's names equal
//! another's (`pay-{env}` with `env = "x"` and `env = "x-api"`: `pay-x` + `api-cpu` is
//! `pay-x-api` + `cpu`). `dms_roles = WORKSPACE | existing` in the `stack` block and `owner =
//! WORKSPACE` on a cutover say which workspace creates the names that never start with the
//! stack's.

mod diagnostics;
pub(crate) use diagnostics::{AccountNameTaken, SameNameInAccount, SharedVpnGateway};

use super::error::CheckError;
use super::owners::SharedCutoverRecord;
use crate::aws::names::Scope;
use crate::derived::fingerprint::{self, Seen};
use crate::derived::{ACCOUNT_STAND_IN, Named, table};
use crate::diag::at;
use crate::model::{Name, Origin, Stack};
use crate::syntax::ast::Span;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// An account-wide name a workspace's root creates, and the block that makes it.
struct Claim {
    what: &'static str,
    /// What it names, in the stack's words.
    describe: String,
    /// Where the name is unique: `(rule, region)` (the region empty for names unique in the
    /// whole account), then the name as AWS compares it.
    namespace: (&'static str, String),
    name: String,
    cause: Origin,
    /// How to give the name to one workspace only (`{OWNER}` stands for the first workspace
    /// that claims it).
    help: String,
    /// For a cutover's record set: the cutover, and whether it lists several owners (whose
    /// shared record is PMG0862, not PMG0613).
    cutover: Option<OfCutover>,
}

/// A cutover, and whether it lists several owners.
type OfCutover = (Name, bool);

/// Where a name is unique across workspaces, `None` for names unique within a root only.
fn region_of<'s>(stack: &'s Stack, named: &Named) -> Option<&'s str> {
    match named.rule.scope {
        Scope::Region => Some(stack.region.as_str()),
        Scope::Account | Scope::Global => Some(""),
        Scope::None | Scope::Parent | Scope::Root => None,
    }
}

/// The fingerprint of an account-wide name in `account`.
fn fingerprint_of(account: &str, region: &str, named: &Named, folded: &str) -> u64 {
    fingerprint::of(&[account, region, named.rule.id, folded])
}

/// The account-wide names of `stack`'s root whose fingerprints are in `wanted`: every name the registry of derived names gives a resource that AWS keeps
/// unique in a region or an account, and the cutovers' record sets.
fn claims(stack: &Stack, renames: &[(Name, Name)], wanted: &HashSet<u64>) -> Vec<Claim> {
    let mut claims = Vec::new();
    let account = stack.workspace.account.as_str();
    let mut visit = |item: &crate::derived::Item| {
        let fixed =
            item.row.is(&table::stack::DMS_VPC_ROLE) || item.row.is(&table::stack::DMS_LOGS_ROLE);
        for named in item.row.names {
            let Some(region) = region_of(stack, named) else {
                continue;
            };
            let name = named.resolve(
                item.physical,
                item.params,
                &stack.resolved_name,
                ACCOUNT_STAND_IN,
            );
            let folded = named.rule.key(&name);
            if !wanted.contains(&fingerprint_of(account, region, named, &folded)) {
                continue;
            }
            let help = if fixed {
                "DMS needs these roles once per account: say which workspace creates them with `dms_roles = {OWNER}` in the `stack` block (or `dms_roles = existing` when the account has them)".to_string()
            } else {
                format!(
                    "in `{}` it is {}, in `{{OWNER}}` {{FIRST}}: a name pattern that gives one workspace a name starting with another's can make their names meet; give the workspaces values of the inputs in the stack's name that do not start with one another, or different accounts (`account = \"…\"`)",
                    stack.workspace.name,
                    item.describe()
                )
            };
            claims.push(Claim {
                what: named.rule.what,
                describe: item.describe(),
                namespace: (named.rule.id, region.to_string()),
                name: folded,
                cause: item.origin,
                help,
                cutover: None,
            });
        }
    };
    if !wanted.is_empty() {
        crate::derived::enumerate::each(stack, renames, &mut visit);
    }
    for cutover in stack.cutovers.iter().filter(|c| stack.manages(c)) {
        for set in ["aws", "legacy"] {
            claims.push(Claim {
                what: "Route 53 record set",
                describe: format!("a record of cutover `{}`", cutover.name),
                namespace: ("route53-record", String::new()),
                name: super::owners::record_set(&cutover.record, set, &cutover.zone),
                cause: cutover.origin,
                help: format!(
                    "one workspace manages a cutover's records: write `owner = {{OWNER}}` in cutover `{}` (each other workspace's root leaves them alone)",
                    cutover.name
                ),
                cutover: Some((
                    cutover.name.clone(),
                    cutover.owner.as_ref().is_some_and(|o| o.names().len() > 1),
                )),
            });
        }
    }
    claims
}

/// The fingerprints of the account-wide names two workspaces of one account both derive
/// (found without holding the names; `claims` spells out only these).
fn shared(stacks: &[Stack], renames: &[(Name, Name)]) -> HashSet<u64> {
    let mut seen: Seen<usize> = Seen::default();
    let mut hits = HashSet::new();
    let mut text = String::new();
    for (w, stack) in stacks.iter().enumerate() {
        let account = stack.workspace.account.as_str();
        let mates = || {
            stacks
                .iter()
                .enumerate()
                .filter(move |(o, other)| *o != w && other.workspace.account == account)
        };
        // A workspace alone in its account shares nothing.
        if mates().next().is_none() {
            continue;
        }
        // A name built as `P{stack}S` equals another workspace's `P{stack}S'` only if one
        // stack name starts with the other (equal ones are PMG0614, reported already), or if
        // the other's is a fixed name (DMS's roles) that starts with this one's: otherwise
        // only the fixed names are compared.
        let resolved = stack.resolved_name.as_str();
        let full = mates().any(|(_, other)| {
            let theirs = other.resolved_name.as_str();
            theirs != resolved && (theirs.starts_with(resolved) || resolved.starts_with(theirs))
        }) || crate::model::DMS_ROLES
            .iter()
            .any(|role| role.starts_with(resolved));
        let mut visit = |item: &crate::derived::Item| {
            for named in item.row.names {
                let Some(region) = region_of(stack, named) else {
                    continue;
                };
                if !full && named.pattern.contains("{stack}") {
                    continue;
                }
                text.clear();
                item.write_name(&mut text, named, &stack.resolved_name, ACCOUNT_STAND_IN);
                if named.rule.folds_case {
                    text.make_ascii_lowercase();
                }
                let hash = fingerprint_of(account, region, named, &text);
                match seen.get(&hash) {
                    Some(first) if *first != w => {
                        hits.insert(hash);
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(hash, w);
                    }
                }
            }
        };
        // Otherwise only names without the stack's name can be shared, and only the stack
        // block derives those (DMS's roles; a block's own are unique per root).
        if full {
            crate::derived::enumerate::each(stack, renames, &mut visit);
        } else {
            crate::derived::enumerate::each_of_stack(stack, &mut visit);
        }
    }
    hits
}

/// An account, a name's namespace (rule and region) and the name.
type ClaimKey<'r> = (String, (&'r str, String), String);

fn span(origin: Origin) -> Span {
    Span::new(origin.start, origin.end)
}

/// Refuses two workspaces of one account that would create the same account-wide name: one
/// diagnostic per pair of workspaces and cause.
pub(crate) fn check(stacks: &[Stack], renames: &[(Name, Name)], errors: &mut Vec<CheckError>) {
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
                errors.push(SameNameInAccount {
                    a: earlier.workspace.name.to_string(),
                    b: stack.workspace.name.to_string(),
                    account: account.to_string(),
                    name: stack.resolved_name.clone(),
                    at: at(span(stack.workspace.origin)),
                    other: at(span(earlier.workspace.origin)),
                    help: Some("every name pmigc gives a resource starts with the stack's name: give each workspace of an account its own value of the inputs in `name` (such as `environment_suffix`), or its own `account = \"…\"`".into()),
                }.into());
            }
            None => {
                first_named.insert((account, stack.resolved_name.as_str()), stack);
            }
        }
    }
    let wanted = shared(stacks, renames);
    let mut owners: BTreeMap<ClaimKey, (&Stack, String, Option<OfCutover>)> = BTreeMap::new();
    let mut reported: BTreeSet<(&str, &str, usize)> = BTreeSet::new();
    for stack in stacks {
        let account = stack.workspace.account.as_str();
        for claim in claims(stack, renames, &wanted) {
            let key = (
                account.to_string(),
                claim.namespace.clone(),
                claim.name.clone(),
            );
            let Some((earlier, first, of)) = owners.get(&key).cloned() else {
                owners.insert(key, (stack, claim.describe.clone(), claim.cutover.clone()));
                continue;
            };
            let (a, b) = (
                earlier.workspace.name.as_str(),
                stack.workspace.name.as_str(),
            );
            if collided.contains(&(a, b)) || !reported.insert((a, b, claim.cause.start)) {
                continue;
            }
            // Two owners of one cutover that left its record the same.
            if let Some((cutover, true)) = of.filter(|o| Some(o) == claim.cutover.as_ref()) {
                let (record, zone) = stack
                    .cutovers
                    .iter()
                    .find(|c| c.name == cutover)
                    .map(|c| (c.record.as_str(), c.zone.as_str()))
                    .unwrap_or_default();
                errors.push(
                    SharedCutoverRecord {
                        a: a.to_string(),
                        b: b.to_string(),
                        account: account.to_string(),
                        help: Some(super::owners::own_record_help(cutover.as_str(), b)),
                        cutover: cutover.to_string(),
                        record: record.to_string(),
                        zone: zone.to_string(),
                        at: at(span(stack.workspace.origin)),
                        other: at(span(earlier.workspace.origin)),
                        cause_at: at(span(claim.cause)),
                    }
                    .into(),
                );
                continue;
            }
            errors.push(
                AccountNameTaken {
                    a: a.to_string(),
                    b: b.to_string(),
                    account: account.to_string(),
                    what: claim.what.to_string(),
                    name: claim.name,
                    at: at(span(stack.workspace.origin)),
                    other: at(span(earlier.workspace.origin)),
                    cause_at: at(span(claim.cause)),
                    cause: "because of this block".into(),
                    help: Some(claim.help.replace("{OWNER}", a).replace("{FIRST}", &first)),
                }
                .into(),
            );
        }
    }
}

/// Two workspaces attaching one VPN gateway: AWS attaches a virtual private gateway to one VPC
/// at a time ("AttachVpnGateway", Amazon EC2 API Reference), so in one account the second
/// apply fails; and a gateway exists in one account, so from another its lookup fails.
pub(crate) fn gateways(stacks: &[Stack], errors: &mut Vec<CheckError>) {
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
            errors.push(SharedVpnGateway {
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
            }.into());
        }
    }
}
