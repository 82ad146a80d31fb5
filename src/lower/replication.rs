//! Replications: a DMS replication instance in the private subnets of its target's network
//! (not publicly accessible, storage encrypted with the stack's KMS key), the source endpoint
//! on-premises through the VPN and the Aurora target endpoint (TLS required, credentials in
//! secrets of the shape DMS reads, written from the existing secret write-only; engine names,
//! the database and a PostgreSQL source's logical decoding settings from the engine tables of
//! `crate::engine`), the task, and — in the one workspace the stack lets create them
//! (`dms_roles`) — the two account-wide IAM roles DMS requires by name. Its security group
//! allows exactly: out to the on-premises networks on the source
//! port, out to the target database on its port.

use super::expr::Expr;
use super::json::json;
use super::security::{self, Peer, Rule};
use super::{Root, attr, network, row_tag};
use crate::derived::table::{database, replication as row, stack as st};
use crate::engine::Family;
use crate::model::{DmsRoles, Origin, Placement, Replication, Stack, Tier};

pub fn lower(root: &mut Root, stack: &Stack) {
    if stack.replications.is_empty() {
        return;
    }
    for replication in &stack.replications {
        lower_replication(root, stack, replication);
    }
    // DMS looks these two roles up by their fixed names; they exist once per account, and
    // only the workspace the stack names (`dms_roles`) creates them.
    if stack.dms_roles != DmsRoles::Create {
        return;
    }
    let origin = stack
        .replications
        .first()
        .map(|r| r.origin)
        .unwrap_or_default();
    for (role, attachment, policy) in [
        (
            &st::DMS_VPC_ROLE,
            &st::DMS_VPC_POLICY,
            "AmazonDMSVPCManagementRole",
        ),
        (
            &st::DMS_LOGS_ROLE,
            &st::DMS_LOGS_POLICY,
            "AmazonDMSCloudWatchLogsRole",
        ),
    ] {
        let role = security::role(root, role, &stack.name, "dms.amazonaws.com", origin);
        root.resource(
            &attachment.at(&stack.name, &[]),
            json!({
                "role": attr(&role, "name"),
                "policy_arn": format!("arn:aws:iam::aws:policy/service-role/{policy}"),
            }),
            origin,
        );
    }
}

/// A reference to the DMS task's resource id (the last part of its ARN), which CloudWatch
/// uses as the `ReplicationTaskIdentifier` dimension.
pub fn task_resource_id(replication: &crate::model::Name) -> Expr {
    attr(&row::TASK_RESOURCE_ID.at(replication, &[]), "")
}

fn lower_replication(root: &mut Root, stack: &Stack, replication: &Replication) {
    let name = &replication.name;
    let origin: Origin = replication.origin;
    let task = row::TASK.at(name, &[]);
    root.top(
        &row::TASK_RESOURCE_ID.at(name, &[]),
        json!(Expr::call(
            "element",
            [
                Expr::call(
                    "split",
                    [Expr::string(":"), attr(&task, "replication_task_arn")],
                ),
                Expr::int(6),
            ],
        )),
        origin,
    );
    let kms = security::kms_key(stack);
    let target = &stack[&replication.target];
    let placement = Placement {
        network: target.placement.network.clone(),
        tier: Tier::Private,
    };
    let mut subnet_group = json!({
        "replication_subnet_group_id": root.aws(&row::SUBNET_GROUP, "replication_subnet_group_id", name, &[]),
        "replication_subnet_group_description": format!("Private subnets of replication {}", replication.name),
        "subnet_ids": network::subnet_ids(stack, &placement),
        "tags": row_tag(root, &row::SUBNET_GROUP, name, &[]),
    });
    // The group needs `dms-vpc-role`: after its policy when this root creates it; when it
    // exists already (or another workspace of the account creates it) there is nothing here
    // to wait for.
    if stack.dms_roles == DmsRoles::Create {
        subnet_group.insert(
            "depends_on",
            json!([st::DMS_VPC_POLICY.at(&stack.name, &[]).spelled()]),
        );
    }
    let subnets = row::SUBNET_GROUP.at(name, &[]);
    root.resource(&subnets, subnet_group, origin);
    let group = security::group(
        root,
        &row::GROUP,
        name,
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
                name: row::TO_ONPREM.at(name, &[&(i + 1).to_string()]),
                group: &group,
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
            name: row::TO_DATABASE.at(name, &[&db.name.address()]),
            group: &group,
            port: db.port.get(),
            peer: Peer::Group(database::GROUP.at(&db.name, &[])),
            description: format!("Target database {}", db.name),
        },
        origin,
    );
    let instance = row::INSTANCE.at(name, &[]);
    root.resource(
        &instance,
        json!({
            "replication_instance_id": root.aws(&row::INSTANCE, "replication_instance_id", name, &[]),
            "replication_instance_class": replication.instance_class.clone(),
            "allocated_storage": 50,
            "kms_key_arn": kms.clone(),
            "publicly_accessible": false,
            "multi_az": false,
            "auto_minor_version_upgrade": true,
            "replication_subnet_group_id": attr(&subnets, "id"),
            "vpc_security_group_ids": [attr(&group, "id")],
            "tags": row_tag(root, &row::INSTANCE, name, &[]),
        }),
        origin,
    );
    let kms = &kms;
    let database = db.initial_database();
    endpoint(
        root,
        stack,
        replication,
        Endpoint {
            role: "source",
            engine: source.engine.profile().dms_engine,
            database: database.clone(),
            server: Expr::string(&source.host),
            port: source.port.get(),
            username: &source.username,
            password: &source.password,
            kms,
        },
    );
    endpoint(
        root,
        stack,
        replication,
        Endpoint {
            role: "target",
            engine: db.profile().dms_target,
            database,
            server: attr(&database::CLUSTER.at(&db.name, &[]), "endpoint"),
            port: db.port.get(),
            username: &db.username,
            password: &db.password,
            kms,
        },
    );
    secrets_access(root, stack, replication);
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
        &task,
        json!({
            "replication_task_id": root.aws(&row::TASK, "replication_task_id", name, &[]),
            "migration_type": replication.mode.dms_value(),
            "replication_instance_arn": attr(&instance, "replication_instance_arn"),
            "source_endpoint_arn": attr(&row::ENDPOINT.at(name, &["source"]), "endpoint_arn"),
            "target_endpoint_arn": attr(&row::ENDPOINT.at(name, &["target"]), "endpoint_arn"),
            "table_mappings": mappings.compact(),
            "replication_task_settings": settings.compact(),
            "start_replication_task": true,
            "tags": row_tag(root, &row::TASK, name, &[]),
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
    server: Expr,
    port: u16,
    username: &'a str,
    password: &'a crate::model::SecretRef,
    kms: &'a Expr,
}

/// The finding on the DMS-shaped copies that does not apply to them.
const COPY_WAIVERS: [security::Waiver; 1] = [security::Waiver {
    check: "CKV2_AWS_57",
    reason: "a copy pmigc writes for DMS from the existing secret, which is the one to rotate; the copy is rewritten when its write-only version changes",
}];

/// A DMS endpoint with TLS required, connecting with the credentials of a secret in the shape
/// DMS reads (`username`, `password`, `host`, `port`). pmigc writes that secret from the
/// existing one through the write-only `secret_string_wo`, so no password is in the state:
/// the existing secret does not hold the host (the Aurora target's is only known after
/// apply) nor the replication's user name, so it cannot be handed to DMS as it is.
fn endpoint(root: &mut Root, stack: &Stack, replication: &Replication, e: Endpoint) {
    let name = &replication.name;
    let side = [e.role];
    let secret = row::SECRET.at(name, &side);
    let origin = replication.origin;
    root.resource(
        &secret,
        json!({
            "//": security::waivers(&COPY_WAIVERS, None),
            "name": root.aws(&row::SECRET, "name", name, &side),
            "description": format!("Credentials of replication {}'s {} endpoint, in the shape DMS reads; written by pmigc from the existing secret", replication.name, e.role),
            "kms_key_id": security::kms_key(stack),
            "recovery_window_in_days": 7,
            "tags": row_tag(root, &row::SECRET, name, &side),
        }),
        origin,
    );
    let credentials = Expr::call(
        "jsonencode",
        [Expr::object([
            ("username", Expr::string(e.username)),
            ("password", security::secret_value(e.password)),
            ("host", e.server),
            ("port", Expr::int(i64::from(e.port))),
        ])],
    );
    let version = row::SECRET_VERSION.at(name, &side);
    root.resource(
        &version,
        json!({
            "secret_id": attr(&secret, "id"),
            "secret_string_wo": credentials,
            "secret_string_wo_version": security::write_only_version(stack, e.password),
        }),
        origin,
    );
    let role = row::SECRETS_ROLE.at(name, &[]);
    let mut body = json!({
            "endpoint_id": root.aws(&row::ENDPOINT, "endpoint_id", name, &side),
            "endpoint_type": e.role,
            "engine_name": e.engine,
            "secrets_manager_arn": attr(&secret, "arn"),
            "secrets_manager_access_role_arn": attr(&role, "arn"),
            "ssl_mode": "require",
            "kms_key_arn": e.kms.clone(),
            "depends_on": [
                version.spelled(),
                row::SECRETS_POLICY.at(name, &[]).spelled(),
            ],
            "tags": row_tag(root, &row::ENDPOINT, name, &side),
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
    root.resource(&row::ENDPOINT.at(name, &side), body, origin);
}

/// The role DMS assumes to read its endpoints' secrets: those two secrets and the key they are
/// encrypted with, nothing else.
fn secrets_access(root: &mut Root, stack: &Stack, replication: &Replication) {
    let name = &replication.name;
    let origin = replication.origin;
    let role = security::role(
        root,
        &row::SECRETS_ROLE,
        name,
        &format!("dms.{}.amazonaws.com", stack.region),
        origin,
    );
    let secrets: Vec<Expr> = ["source", "target"]
        .iter()
        .map(|side| attr(&row::SECRET.at(name, &[side]), "arn"))
        .collect();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "ReadEndpointCredentials", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secrets },
            { "Sid": "DecryptEndpointCredentials", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": security::kms_key(stack) }
        ]
    });
    root.resource(
        &row::SECRETS_POLICY.at(name, &[]),
        json!({ "name": root.aws(&row::SECRETS_POLICY, "name", name, &[]), "role": attr(&role, "id"), "policy": policy.compact() }),
        origin,
    );
}
