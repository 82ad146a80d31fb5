//! The writer and reader names: one Route 53 private hosted zone per root,
//! `<stack name>.internal`, associated with every VPC of the stack, and in it, for each database
//! a replication feeds, `writer.<database>` and `reader.<database>` with a short TTL. The writer
//! name points at the data centre's primary (the replication's source: a CNAME, or an A record
//! when the source is an IPv4 address) until the database's data cutover, and at Aurora's
//! cluster endpoint from then on (`Stack::write_path`); the reader name points at Aurora's
//! reader endpoint. Services find their databases through these names (`boot`'s SSM
//! parameters), so a data cutover changes one record, never an instance.
//!
//! Route 53 allows private hosted zones of one name in one account when they are associated
//! with different VPCs (Route 53 Developer Guide, "Working with private hosted zones":
//! "you can create multiple private hosted zones with the same name ... as long as the VPCs
//! ... don't overlap"); the zone's name carries the workspace's resolved stack name anyway, so
//! two workspaces of an account never share one.

use super::expr::Template;
use super::json::json;
use super::{Root, attr, security};
use crate::derived::table::{database as row, network, service, stack as st};
use crate::model::{Database, Name, Stack, WritePath};

/// The writer name of a database whose source is given by its address is an A record to that
/// on-premises address, in the root's private zone: no AWS resource holds the address, so
/// there is nothing to attach it to and nothing AWS could release for another account to take.
const ADDRESS_WAIVERS: [security::Waiver; 1] = [security::Waiver {
    check: "CKV2_AWS_23",
    reason: "the writer name points at the data centre's primary by its on-premises address (behind the VPN, in the root's private hosted zone) until the data cutover; no AWS resource holds that address",
}];

/// The records' time to live: short, so that a switch reaches every service within seconds;
/// the runbook waits this long before writes resume.
pub(crate) const TTL: u32 = 10;

/// The databases of `stack` that get writer and reader names: those a replication feeds.
fn named(stack: &Stack) -> impl Iterator<Item = &Database> {
    stack.databases.iter().filter(|db| {
        stack
            .replications
            .iter()
            .any(|r| r.target.name() == &db.name)
    })
}

/// Whether `db` has writer and reader names (a replication feeds it).
pub(crate) fn has_names(stack: &Stack, db: &Name) -> bool {
    stack.replications.iter().any(|r| r.target.name() == db)
}

/// `writer.<database>.<zone>`: where `db`'s writes go (a renamed database keeps its old name,
/// like its resources in AWS).
pub(crate) fn writer_name(root: &Root, db: &Name) -> Template {
    root.aws(&row::WRITER_RECORD, "name", db, &[])
}

/// `reader.<database>.<zone>`: Aurora's reader endpoint.
pub(crate) fn reader_name(root: &Root, db: &Name) -> Template {
    root.aws(&row::READER_RECORD, "name", db, &[])
}

/// The address of `db`'s writer record, which services that write it wait for.
pub(crate) fn writer_record(db: &Name) -> crate::derived::Address {
    row::WRITER_RECORD.at(db, &[])
}

/// The address of the `i`-th (from 0) egress rule from `service` to the data centre's
/// primary of `db`, one per network behind the replication's VPN (the data rollback's runbook
/// names them in its targeted apply).
pub(crate) fn datacentre_rule(service: &Name, db: &Name, i: usize) -> crate::derived::Address {
    service::TO_DATACENTRE.at(service, &[&db.address(), &(i + 1).to_string()])
}

pub(crate) fn lower(root: &mut Root, stack: &Stack) {
    let Some(first) = named(stack).next() else {
        return;
    };
    let vpcs: Vec<_> = stack
        .networks
        .iter()
        .map(|n| json!({ "vpc_id": attr(&network::VPC.at(&n.name, &[]), "id") }))
        .collect();
    let zone = st::WRITER_ZONE.at(&stack.name, &[]);
    root.resource(
        &zone,
        json!({
            "name": root.aws(&st::WRITER_ZONE, "name", &stack.name, &[]),
            "comment": "Writer and reader names of the replicated databases: where each database's writes go (pmigc switches them at its data cutover)",
            "vpc": vpcs,
        }),
        first.origin,
    );
    let zone_id = attr(&zone, "zone_id");
    for (id, db) in stack.database_ids() {
        if !has_names(stack, &db.name) {
            continue;
        }
        let cluster = row::CLUSTER.at(&db.name, &[]);
        let (kind, target) = match stack.write_path(&id) {
            WritePath::Replicated {
                replication,
                writer,
                ..
            } if !writer.aws_writes_aurora() => {
                let host = &replication.source.host;
                let kind = if host.parse::<std::net::Ipv4Addr>().is_ok() {
                    "A"
                } else {
                    "CNAME"
                };
                (kind, json!(host.clone()))
            }
            _ => ("CNAME", json!(attr(&cluster, "endpoint"))),
        };
        let mut record = json!({
            "zone_id": zone_id.clone(),
            "name": writer_name(root, &db.name),
            "type": kind,
            "ttl": TTL,
            "records": [target],
        });
        if kind == "A" {
            record.insert("//", security::waivers(&ADDRESS_WAIVERS, None));
        }
        root.resource(&row::WRITER_RECORD.at(&db.name, &[]), record, db.origin);
        root.resource(
            &row::READER_RECORD.at(&db.name, &[]),
            json!({
                "zone_id": zone_id.clone(),
                "name": reader_name(root, &db.name),
                "type": "CNAME",
                "ttl": TTL,
                "records": [attr(&cluster, "reader_endpoint")],
            }),
            db.origin,
        );
    }
}
