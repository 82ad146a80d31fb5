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

use super::expr::{Expr, Template, tmpl};
use super::json::json;
use super::{Root, attr};
use crate::model::{Database, Name, Stack, WRITER_ZONE_SUFFIX, WritePath, writer_label};

/// The resource name of the zone.
const ZONE: &str = "writers";

/// The records' time to live: short, so that a switch reaches every service within seconds;
/// the runbook waits this long before writes resume.
pub const TTL: u32 = 10;

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
pub fn has_names(stack: &Stack, db: &Name) -> bool {
    stack.replications.iter().any(|r| r.target.name() == db)
}

/// The label of a database in the zone; a renamed database keeps its old name, like its
/// resources in AWS.
fn label(root: &Root, db: &Name) -> String {
    root.physical
        .get(db.as_str())
        .map(|old| writer_label(&Name::checked(old.clone())))
        .unwrap_or_else(|| writer_label(db))
}

/// The zone's name: `${local.name}.internal`.
fn zone_name() -> Template {
    tmpl!(Expr::local("name"), format!(".{WRITER_ZONE_SUFFIX}"))
}

/// `writer.<database>.<zone>`: where `db`'s writes go.
pub fn writer_name(root: &Root, db: &Name) -> Template {
    tmpl!(format!("writer.{}.", label(root, db)), zone_name())
}

/// `reader.<database>.<zone>`: Aurora's reader endpoint.
pub fn reader_name(root: &Root, db: &Name) -> Template {
    tmpl!(format!("reader.{}.", label(root, db)), zone_name())
}

/// The resource name of `db`'s writer record, which services that write it wait for.
pub fn writer_record(db: &Name) -> String {
    format!("{}_writer", db.address())
}

/// The resource name of the `i`-th (from 0) egress rule from `service` to the data centre's
/// primary of `db`, one per network behind the replication's VPN (the data rollback's runbook
/// names them in its targeted apply).
pub fn datacentre_rule(service: &Name, db: &Name, i: usize) -> String {
    format!(
        "{}_to_{}_datacentre_{}",
        service.address(),
        db.address(),
        i + 1
    )
}

pub fn lower(root: &mut Root, stack: &Stack) {
    let Some(first) = named(stack).next() else {
        return;
    };
    let vpcs: Vec<_> = stack
        .networks
        .iter()
        .map(|n| json!({ "vpc_id": attr("aws_vpc", &n.name.address(), "id") }))
        .collect();
    root.resource(
        "aws_route53_zone",
        ZONE,
        json!({
            "name": zone_name(),
            "comment": "Writer and reader names of the replicated databases: where each database's writes go (pmigc switches them at its data cutover)",
            "vpc": vpcs,
        }),
        first.origin,
    );
    let zone_id = attr("aws_route53_zone", ZONE, "zone_id");
    for (id, db) in stack.database_ids() {
        if !has_names(stack, &db.name) {
            continue;
        }
        let d = db.name.address();
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
            _ => ("CNAME", json!(attr("aws_rds_cluster", &d, "endpoint"))),
        };
        root.resource(
            "aws_route53_record",
            &writer_record(&db.name),
            json!({
                "zone_id": zone_id.clone(),
                "name": writer_name(root, &db.name),
                "type": kind,
                "ttl": TTL,
                "records": [target],
            }),
            db.origin,
        );
        root.resource(
            "aws_route53_record",
            &format!("{d}_reader"),
            json!({
                "zone_id": zone_id.clone(),
                "name": reader_name(root, &db.name),
                "type": "CNAME",
                "ttl": TTL,
                "records": [attr("aws_rds_cluster", &d, "reader_endpoint")],
            }),
            db.origin,
        );
    }
}
