//! Replications: a DMS replication instance in the private subnets of its target's network
//! (not publicly accessible, storage encrypted with the stack's KMS key), the source endpoint
//! on-premises through the VPN and the Aurora target endpoint (TLS required, passwords read
//! from the existing secret; engine names, the database and a PostgreSQL source's logical
//! decoding settings from the engine tables of `crate::engine`), the task, and the two account-wide IAM roles DMS requires by
//! name. Its security group allows exactly: out to the on-premises networks on the source
//! port, out to the target database on its port.

use super::expr::{Expr, Template};
use super::json::json;
use super::security::{self, Peer, Rule};
use super::{Root, attr, name_tag, network};
use crate::engine::Family;
use crate::model::{Origin, Placement, Replication, Stack, Tier};

pub fn lower(root: &mut Root, stack: &Stack) {
    if stack.replications.is_empty() {
        return;
    }
    // DMS looks these two roles up by their fixed names; they exist once per account.
    let origin = stack
        .replications
        .first()
        .map(|r| r.origin)
        .unwrap_or_default();
    for (name, aws, policy) in [
        ("dms_vpc", "dms-vpc-role", "AmazonDMSVPCManagementRole"),
        (
            "dms_cloudwatch_logs",
            "dms-cloudwatch-logs-role",
            "AmazonDMSCloudWatchLogsRole",
        ),
    ] {
        security::role(
            root,
            name,
            &Template::from(aws),
            "dms.amazonaws.com",
            origin,
        );
        root.resource(
            "aws_iam_role_policy_attachment",
            name,
            json!({
                "role": attr("aws_iam_role", name, "name"),
                "policy_arn": format!("arn:aws:iam::aws:policy/service-role/{policy}"),
            }),
            origin,
        );
    }
    for replication in &stack.replications {
        lower_replication(root, stack, replication);
    }
}

/// A reference to the DMS task's resource id (the last part of its ARN), which CloudWatch
/// uses as the `ReplicationTaskIdentifier` dimension.
pub fn task_resource_id(replication: &crate::model::Name) -> Expr {
    Expr::local(&format!("{}_task_resource_id", replication.address()))
}

fn lower_replication(root: &mut Root, stack: &Stack, replication: &Replication) {
    let r = replication.name.address();
    root.local(
        &format!("{r}_task_resource_id"),
        json!(Expr::call(
            "element",
            [
                Expr::call(
                    "split",
                    [
                        Expr::string(":"),
                        attr("aws_dms_replication_task", &r, "replication_task_arn"),
                    ],
                ),
                Expr::int(6),
            ],
        )),
    );
    let origin: Origin = replication.origin;
    let kms = security::kms_key(stack);
    let target = &stack[&replication.target];
    let placement = Placement {
        network: target.placement.network.clone(),
        tier: Tier::Private,
    };
    root.resource(
        "aws_dms_replication_subnet_group",
        &r,
        json!({
            "replication_subnet_group_id": root.aws_name(&replication.name, ""),
            "replication_subnet_group_description": format!("Private subnets of replication {}", replication.name),
            "subnet_ids": network::subnet_ids(stack, &placement),
            "depends_on": ["aws_iam_role_policy_attachment.dms_vpc"],
            "tags": name_tag(root.aws_name(&replication.name, "")),
        }),
        origin,
    );
    security::group(
        root,
        &r,
        &replication.name,
        "dms",
        &placement.network,
        &format!(
            "Replication {}: {} to on-premises and to its target only",
            replication.name,
            replication.source.engine.profile().family.label()
        ),
        origin,
    );
    let source = &replication.source;
    let vpn = &stack[&source.vpn];
    for (i, cidr) in vpn.networks.iter().enumerate() {
        security::egress(
            root,
            Rule {
                name: format!("{r}_to_onprem_{}", i + 1),
                group: &r,
                port: source.port.get(),
                peer: Peer::Cidr(cidr.to_string()),
                description: format!("Source database on-premises through VPN {}", vpn.name),
            },
            origin,
        );
    }
    let db = target;
    security::egress(
        root,
        Rule {
            name: format!("{r}_to_{}", db.name.address()),
            group: &r,
            port: db.port.get(),
            peer: Peer::Group(db.name.address()),
            description: format!("Target database {}", db.name),
        },
        origin,
    );
    root.resource(
        "aws_dms_replication_instance",
        &r,
        json!({
            "replication_instance_id": root.aws_name(&replication.name, ""),
            "replication_instance_class": replication.instance_class.clone(),
            "allocated_storage": 50,
            "kms_key_arn": kms.clone(),
            "publicly_accessible": false,
            "multi_az": false,
            "auto_minor_version_upgrade": true,
            "replication_subnet_group_id": attr("aws_dms_replication_subnet_group", &r, "id"),
            "vpc_security_group_ids": [attr("aws_security_group", &r, "id")],
            "tags": name_tag(root.aws_name(&replication.name, "")),
        }),
        origin,
    );
    let kms = &kms;
    let database = db.initial_database();
    endpoint(
        root,
        replication,
        Endpoint {
            role: "source",
            engine: source.engine.profile().dms_engine,
            database: database.clone(),
            server: Template::from(source.host.clone()),
            port: source.port.get(),
            username: &source.username,
            password: &source.password,
            kms,
        },
    );
    endpoint(
        root,
        replication,
        Endpoint {
            role: "target",
            engine: db.profile().dms_target,
            database,
            server: Template::from(attr("aws_rds_cluster", &db.name.address(), "endpoint")),
            port: db.port.get(),
            username: &db.username,
            password: &db.password,
            kms,
        },
    );
    let mappings = json!({
        "rules": [{
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "everything",
            "object-locator": { "schema-name": "%", "table-name": "%" },
            "rule-action": "include"
        }]
    });
    let settings = json!({
        "Logging": { "EnableLogging": true },
        "ValidationSettings": { "EnableValidation": true }
    });
    root.resource(
        "aws_dms_replication_task",
        &r,
        json!({
            "replication_task_id": root.aws_name(&replication.name, ""),
            "migration_type": replication.mode.dms_value(),
            "replication_instance_arn": attr("aws_dms_replication_instance", &r, "replication_instance_arn"),
            "source_endpoint_arn": attr("aws_dms_endpoint", &format!("{r}_source"), "endpoint_arn"),
            "target_endpoint_arn": attr("aws_dms_endpoint", &format!("{r}_target"), "endpoint_arn"),
            "table_mappings": mappings.compact(),
            "replication_task_settings": settings.compact(),
            "start_replication_task": true,
            "tags": name_tag(root.aws_name(&replication.name, "")),
        }),
        origin,
    );
}

/// One side of a replication, as DMS sees it.
struct Endpoint<'a> {
    role: &'static str,
    engine: &'static str,
    /// The database to connect to, for engines that need one (PostgreSQL).
    database: Option<String>,
    server: Template,
    port: u16,
    username: &'a str,
    password: &'a crate::model::SecretRef,
    kms: &'a Expr,
}

/// A DMS endpoint with TLS required, its password read from the existing secret.
fn endpoint(root: &mut Root, replication: &Replication, e: Endpoint) {
    let aws = root.aws_name(&replication.name, e.role);
    let mut body = json!({
            "endpoint_id": aws.clone(),
            "endpoint_type": e.role,
            "engine_name": e.engine,
            "server_name": e.server,
            "port": e.port,
            "username": e.username.to_string(),
            "password": security::secret_value(e.password),
            "ssl_mode": "require",
            "kms_key_arn": e.kms.clone(),
            "tags": name_tag(&aws),
    });
    if let Some(database) = e.database {
        body.insert("database_name", json!(database));
    }
    // A PostgreSQL source is read by logical decoding: the built-in `test_decoding` plugin
    // needs no extension on the source, and the heartbeat keeps the replication slot's
    // position moving (so WAL does not pile up on the source) while the tables are idle.
    if e.role == "source" && replication.source.engine.profile().family == Family::Postgresql {
        body.insert(
            "postgres_settings",
            json!([{ "plugin_name": "test_decoding", "heartbeat_enable": true }]),
        );
    }
    root.resource(
        "aws_dms_endpoint",
        &format!("{}_{}", replication.name.address(), e.role),
        body,
        replication.origin,
    );
}
