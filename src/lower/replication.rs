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
use crate::derived::Address;
use crate::derived::table::{database, replication as row, stack as st};
use crate::engine::Family;
use crate::model::{DmsRoles, LOOPBACK_SCHEMA, Name, Origin, Placement, Replication, Stack, Tier};

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    if stack.replications.is_empty() {
        return;
    }
    for replication in &stack.replications {
        lower_replication(root, stack, replication);
    }
    for data_cutover in stack.owned_data_cutovers() {
        fallback(root, stack, data_cutover);
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

/// `local.<block>_task_resource_id`: the last part of the task's ARN.
fn task_resource_local(root: &mut Root, block: &Name, origin: Origin) {
    let task = row::TASK.at(block, &[]);
    root.top(
        &row::TASK_RESOURCE_ID.at(block, &[]),
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
}

fn lower_replication(root: &mut Root, stack: &Stack, replication: &Replication) {
    let name = &replication.name;
    let origin: Origin = replication.origin;
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
    instance(
        root,
        stack,
        Instance {
            block: &replication.name,
            class: &replication.instance_class,
            subnet_group: &subnets,
            replication,
            description: format!(
                "Replication {}: {} to on-premises and to its target only",
                replication.name,
                replication.source.engine.profile().family.label()
            ),
            onprem_role: "Source",
            aurora_role: "Target",
        },
        origin,
    );
    let db = target;
    let source = &replication.source;
    let kms = &kms;
    let postgres = source.engine.profile().family == Family::Postgresql;
    // With a data cutover the forward task is half of a bidirectional pair: it skips what the
    // fallback applied to the data centre when it resumes after a data rollback.
    let paired = stack.drained_by(&replication.name).is_some();
    // A DMS PostgreSQL endpoint names one database (`DatabaseName`, CreateEndpoint,
    // https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateEndpoint.html) and a task
    // has one source and one target endpoint (CreateReplicationTask,
    // https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationTask.html): per
    // database of the target its own pair of endpoints and task, on the one instance, all
    // reading the one pair of endpoint secrets (host, port and login are the same).
    for (task_block, database) in stack.tasks(&replication.name, &db.name) {
        task_resource_local(root, &task_block, origin);
        endpoint(
            root,
            stack,
            Endpoint {
                block: &task_block,
                secrets: &replication.name,
                kind: "replication",
                role: "source",
                engine: source.engine.profile().dms_engine,
                database: database.clone(),
                server: Expr::string(&source.host),
                port: source.port.get(),
                username: &source.username,
                password: &source.password,
                kms,
                postgres: postgres.then_some(PostgresRole::LogicalSource),
                origin,
            },
        );
        endpoint(
            root,
            stack,
            Endpoint {
                block: &task_block,
                secrets: &replication.name,
                kind: "replication",
                role: "target",
                engine: db.profile().dms_target,
                database,
                server: attr(&database::CLUSTER.at(&db.name, &[]), "endpoint"),
                port: db.port.get(),
                username: &db.username,
                password: &db.password,
                kms,
                postgres: None,
                origin,
            },
        );
        task(
            root,
            Task {
                block: &task_block,
                instance: &replication.name,
                migration_type: replication.mode.dms_value(),
                runs: stack.forward_runs(&replication.name),
                loopback: paired,
                tables: &replication.tables,
                origin,
            },
        );
    }
    secrets_access(root, stack, &replication.name, origin);
}

/// A DMS replication instance of its own security group, for a replication or a fallback.
struct Instance<'a> {
    /// The block whose name the instance, its group and rules carry.
    block: &'a crate::model::Name,
    class: &'a str,
    /// The subnet group (the forward replication's).
    subnet_group: &'a Address,
    /// The replication whose source and target database the instance connects.
    replication: &'a Replication,
    description: String,
    /// What the data centre's database and Aurora are to its task (`Source`, `Target`).
    onprem_role: &'static str,
    aurora_role: &'static str,
}

/// The instance, in the private subnets of the subnet group, with a group that lets it out to
/// the data centre's networks on the source's port and to Aurora on its port, nothing else.
fn instance(root: &mut Root, stack: &Stack, i: Instance, origin: Origin) {
    let block = i.block;
    let db = &stack[&i.replication.target];
    let source = &i.replication.source;
    let vpn = &stack[&source.vpn];
    let group = security::group(
        root,
        &row::GROUP,
        block,
        &db.placement.network,
        &i.description,
        origin,
    );
    for (n, cidr) in vpn.networks.iter().enumerate() {
        security::egress(
            root,
            Rule {
                name: row::TO_ONPREM.at(block, &[&(n + 1).to_string()]),
                group: &group,
                port: source.port.get(),
                peer: Peer::Cidr(cidr.to_string()),
                description: format!(
                    "{} database on-premises through VPN {}",
                    i.onprem_role, vpn.name
                ),
            },
            origin,
        );
    }
    security::egress(
        root,
        Rule {
            name: row::TO_DATABASE.at(block, &[&db.name.address()]),
            group: &group,
            port: db.port.get(),
            peer: Peer::Group(database::GROUP.at(&db.name, &[])),
            description: format!("{} database {}", i.aurora_role, db.name),
        },
        origin,
    );
    root.resource(
        &row::INSTANCE.at(block, &[]),
        json!({
            "replication_instance_id": root.aws(&row::INSTANCE, "replication_instance_id", block, &[]),
            "replication_instance_class": i.class.to_string(),
            "allocated_storage": 50,
            "kms_key_arn": security::kms_key(stack),
            "publicly_accessible": false,
            "multi_az": false,
            "auto_minor_version_upgrade": true,
            "replication_subnet_group_id": attr(i.subnet_group, "id"),
            "vpc_security_group_ids": [attr(&group, "id")],
            "tags": row_tag(root, &row::INSTANCE, block, &[]),
        }),
        origin,
    );
}

/// A DMS task between the `{block}_source` and `{block}_target` endpoints.
struct Task<'a> {
    block: &'a crate::model::Name,
    /// The block whose replication instance runs it (the replication or the data cutover).
    instance: &'a crate::model::Name,
    migration_type: &'static str,
    /// `start_replication_task`: the provider starts the task when this turns true (a first
    /// start from the beginning, later ones resume from the task's checkpoint) and stops it when
    /// it turns false.
    runs: bool,
    /// Loopback prevention: a transaction that the opposite task applied is not replicated
    /// back; such a task may not apply changes in batches (`BatchApplyEnabled` stays false, its
    /// default).
    loopback: bool,
    /// What it copies: a fallback carries back exactly what its replication carried forward.
    tables: &'a crate::model::TableSelection,
    origin: Origin,
}

fn task(root: &mut Root, t: Task) {
    let block = t.block;
    let mut rules: Vec<_> = if t.tables.copies_everything() {
        vec![json!({
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "everything",
            "object-locator": { "schema-name": "%", "table-name": "%" },
            "rule-action": "include"
        })]
    } else {
        // The stack's own lists, in its order, ids and names unique ("Selection rules and
        // actions", DMS user guide): `crate::model::TableSelection::rules`.
        t.tables
            .rules()
            .into_iter()
            .enumerate()
            .map(|(i, (action, schema, table))| {
                let id = (i + 1).to_string();
                json!({
                    "rule-type": "selection",
                    "rule-id": id.clone(),
                    "rule-name": format!("{action}-{id}"),
                    "object-locator": { "schema-name": schema, "table-name": table },
                    "rule-action": action
                })
            })
            .collect()
    };
    let mut settings = json!({
        "Logging": { "EnableLogging": true },
        "ValidationSettings": { "EnableValidation": true }
    });
    if t.loopback {
        // The loopback table is DMS's own bookkeeping, not data to replicate.
        let id = (rules.len() + 1).to_string();
        rules.push(json!({
            "rule-type": "selection",
            "rule-id": id,
            "rule-name": "not-the-loopback-table",
            "object-locator": { "schema-name": LOOPBACK_SCHEMA, "table-name": "%" },
            "rule-action": "exclude"
        }));
        settings.insert(
            "LoopbackPreventionSettings",
            json!({
                "EnableLoopbackPrevention": true,
                "SourceSchema": LOOPBACK_SCHEMA,
                "TargetSchema": LOOPBACK_SCHEMA,
            }),
        );
    }
    let mappings = json!({ "rules": rules });
    root.resource(
        &row::TASK.at(block, &[]),
        json!({
            "replication_task_id": root.aws(&row::TASK, "replication_task_id", block, &[]),
            "migration_type": t.migration_type,
            "replication_instance_arn": attr(&row::INSTANCE.at(t.instance, &[]), "replication_instance_arn"),
            "source_endpoint_arn": attr(&row::ENDPOINT.at(block, &["source"]), "endpoint_arn"),
            "target_endpoint_arn": attr(&row::ENDPOINT.at(block, &["target"]), "endpoint_arn"),
            "table_mappings": mappings.compact(),
            "replication_task_settings": settings.compact(),
            "start_replication_task": t.runs,
            "tags": row_tag(root, &row::TASK, block, &[]),
        }),
        t.origin,
    );
}

/// The fallback replication of a data cutover: Aurora → the data centre, change data capture
/// only, on an instance of its own in the forward replication's subnets, with a security group
/// of its own (out to Aurora and to the data centre's networks, nothing else). It exists from
/// the first apply, stopped; it runs while the data cutover is at `both` or `aurora`, starting
/// from the moment it first starts (a CDC task with no start position), with loopback
/// prevention. Its lag and validation alarms gate the data rollback (`crate::runbook`).
fn fallback(root: &mut Root, stack: &Stack, data_cutover: &crate::model::DataCutover) {
    let origin = data_cutover.origin;
    let replication = &stack[&data_cutover.replication];
    let subnets = row::SUBNET_GROUP.at(&replication.name, &[]);
    let db = &stack[&data_cutover.database];
    let source = &replication.source;
    let kms = security::kms_key(stack);
    instance(
        root,
        stack,
        Instance {
            block: &data_cutover.name,
            class: &data_cutover.fallback.instance_class,
            subnet_group: &subnets,
            replication,
            description: format!(
                "Fallback of data cutover {}: {} to its Aurora source and to the data centre only",
                data_cutover.name,
                db.profile().family.label()
            ),
            onprem_role: "Target",
            aurora_role: "Source",
        },
        origin,
    );
    let postgres = db.profile().family == Family::Postgresql;
    // Per database a fallback task of its own, as forward (`lower_replication`): a rollback
    // carries every database's writes back, never only the first's.
    let tasks = stack.tasks(&data_cutover.name, &db.name);
    let several = tasks.len() > 1;
    for (task_block, database) in tasks {
        task_resource_local(root, &task_block, origin);
        let label = database.clone().filter(|_| several);
        endpoint(
            root,
            stack,
            Endpoint {
                block: &task_block,
                secrets: &data_cutover.name,
                kind: "the fallback of data cutover",
                role: "source",
                engine: db.profile().dms_target,
                database: database.clone(),
                server: attr(&database::CLUSTER.at(&db.name, &[]), "endpoint"),
                port: db.port.get(),
                username: &db.username,
                password: &db.password,
                kms: &kms,
                postgres: postgres.then_some(PostgresRole::LogicalSource),
                origin,
            },
        );
        endpoint(
            root,
            stack,
            Endpoint {
                block: &task_block,
                secrets: &data_cutover.name,
                kind: "the fallback of data cutover",
                role: "target",
                engine: source.engine.profile().dms_engine,
                database,
                server: Expr::string(&source.host),
                port: source.port.get(),
                username: &data_cutover.fallback.login.username,
                password: &data_cutover.fallback.login.password,
                kms: &kms,
                postgres: postgres.then_some(PostgresRole::ReplicaTarget),
                origin,
            },
        );
        task(
            root,
            Task {
                block: &task_block,
                instance: &data_cutover.name,
                migration_type: crate::model::MigrationMode::Cdc.dms_value(),
                runs: data_cutover.writer.fallback_runs(),
                loopback: true,
                tables: &replication.tables,
                origin,
            },
        );
        super::health::fallback_alarms(root, data_cutover, &task_block, label.as_deref());
    }
    secrets_access(root, stack, &data_cutover.name, origin);
}

/// What a PostgreSQL endpoint is to DMS.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PostgresRole {
    /// Read by logical decoding.
    LogicalSource,
    /// Written by DMS while the other side is the primary: triggers and foreign-key checks
    /// must not fire again on what the primary already ran.
    ReplicaTarget,
}

/// One side of a replication, as DMS sees it.
struct Endpoint<'a> {
    /// The block whose name the endpoint's resources carry (a replication or a data cutover),
    /// and what it is (`replication`, `data cutover`).
    block: &'a crate::model::Name,
    /// The block whose endpoint secrets and secrets role it reads (made with the endpoints of
    /// that block's first database; the others share them).
    secrets: &'a crate::model::Name,
    kind: &'static str,
    role: &'static str,
    engine: &'static str,
    /// The database to connect to, for engines that need one (PostgreSQL).
    database: Option<String>,
    server: Expr,
    port: u16,
    username: &'a str,
    password: &'a crate::model::SecretRef,
    kms: &'a Expr,
    postgres: Option<PostgresRole>,
    origin: Origin,
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
fn endpoint(root: &mut Root, stack: &Stack, e: Endpoint) {
    let block = e.block;
    let side = [e.role];
    let secret = row::SECRET.at(e.secrets, &side);
    let version = row::SECRET_VERSION.at(e.secrets, &side);
    let origin = e.origin;
    if block == e.secrets {
        endpoint_secret(root, stack, &e);
    }
    let role = row::SECRETS_ROLE.at(e.secrets, &[]);
    let mut body = json!({
            "endpoint_id": root.aws(&row::ENDPOINT, "endpoint_id", block, &side),
            "endpoint_type": e.role,
            "engine_name": e.engine,
            "secrets_manager_arn": attr(&secret, "arn"),
            "secrets_manager_access_role_arn": attr(&role, "arn"),
            "ssl_mode": "require",
            "kms_key_arn": e.kms.clone(),
            "depends_on": [
                version.spelled(),
                row::SECRETS_POLICY.at(e.secrets, &[]).spelled(),
            ],
            "tags": row_tag(root, &row::ENDPOINT, block, &side),
    });
    if let Some(database) = &e.database {
        body.insert("database_name", json!(database));
    }
    match e.postgres {
        // A PostgreSQL source is read by logical decoding: the built-in `test_decoding` plugin
        // needs no extension on the source, and the heartbeat keeps the replication slot's
        // position moving (so WAL does not pile up on the source) while the tables are idle.
        Some(PostgresRole::LogicalSource) => body.insert(
            "postgres_settings",
            json!([{ "plugin_name": "test_decoding", "heartbeat_enable": true }]),
        ),
        // DMS guide, "Using a PostgreSQL database as a target": with `session_replication_role`
        // at `replica`, only triggers in the `replica` state fire (foreign keys are triggers).
        Some(PostgresRole::ReplicaTarget) => body.insert(
            "postgres_settings",
            json!([{ "after_connect_script": "SET session_replication_role = replica" }]),
        ),
        None => {}
    }
    root.resource(&row::ENDPOINT.at(block, &side), body, origin);
}

/// The secret an endpoint of `e.secrets` reads, and its write-only value.
fn endpoint_secret(root: &mut Root, stack: &Stack, e: &Endpoint) {
    let block = e.secrets;
    let side = [e.role];
    let secret = row::SECRET.at(block, &side);
    let origin = e.origin;
    root.resource(
        &secret,
        json!({
            "//": security::waivers(&COPY_WAIVERS, None),
            "name": root.aws(&row::SECRET, "name", block, &side),
            "description": format!("Credentials of {} {}'s {} endpoint, in the shape DMS reads; written by pmigc from the existing secret", e.kind, block, e.role),
            "kms_key_id": security::kms_key(stack),
            "recovery_window_in_days": 7,
            "tags": row_tag(root, &row::SECRET, block, &side),
        }),
        origin,
    );
    let credentials = Expr::call(
        "jsonencode",
        [Expr::object([
            ("username", Expr::string(e.username)),
            ("password", security::secret_value(e.password)),
            ("host", e.server.clone()),
            ("port", Expr::int(i64::from(e.port))),
        ])],
    );
    let version = row::SECRET_VERSION.at(block, &side);
    root.resource(
        &version,
        json!({
            "secret_id": attr(&secret, "id"),
            "secret_string_wo": credentials,
            "secret_string_wo_version": security::write_only_version(stack, e.password),
        }),
        origin,
    );
}

/// The role DMS assumes to read its endpoints' secrets: those two secrets and the key they are
/// encrypted with, nothing else.
fn secrets_access(root: &mut Root, stack: &Stack, block: &Name, origin: Origin) {
    let role = security::role(
        root,
        &row::SECRETS_ROLE,
        block,
        &format!("dms.{}.amazonaws.com", stack.region),
        origin,
    );
    let secrets: Vec<Expr> = ["source", "target"]
        .iter()
        .map(|side| attr(&row::SECRET.at(block, &[side]), "arn"))
        .collect();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "ReadEndpointCredentials", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secrets },
            { "Sid": "DecryptEndpointCredentials", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": security::kms_key(stack) }
        ]
    });
    root.resource(
        &row::SECRETS_POLICY.at(block, &[]),
        json!({ "name": root.aws(&row::SECRETS_POLICY, "name", block, &[]), "role": attr(&role, "id"), "policy": policy.compact() }),
        origin,
    );
}
