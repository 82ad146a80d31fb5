//! Databases: an Aurora cluster of the engine's profile (`crate::engine`: engine name, port,
//! parameter family, TLS parameter, log types) in the private subnets of its network, encrypted
//! with the stack's KMS key, TLS required by its cluster parameter group, the master password
//! written from the existing secret through a write-only argument (never in the state), and a
//! security group that admits the engine's port only from the services that read it and the
//! replications that write it.

use super::json::{Json, json};
use super::security::{self, Peer, Rule};
use super::{Root, attr, network, row_tag};
use crate::derived::table::{database as row, replication, service};
use crate::model::{Database, KeysApart, Stack};

/// The scanner checks a cluster fails when the stack turns encryption off (with a reason).
const UNENCRYPTED_CHECKS: [&str; 2] = ["CKV_AWS_96", "CKV_AWS_327"];

/// Findings that are wrong for a database being fed by replication during a migration.
const CLUSTER_WAIVERS: [security::Waiver; 2] = [
    security::Waiver {
        check: "CKV_AWS_326",
        reason: "backtracking rewinds the cluster in place, which would silently diverge it from the DMS source during the migration; recovery is point-in-time restore from the automated backups",
    },
    security::Waiver {
        check: "CKV2_AWS_8",
        reason: "backups are Aurora's automated backups with the retention the stack declares, plus a final snapshot; an AWS Backup plan is an organisation-wide choice outside the stack",
    },
];

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    for db in &stack.databases {
        lower_database(root, stack, db);
    }
}

/// The cluster parameter group's parameters: TLS required and the engine's log settings;
/// with a data cutover this root owns, what makes Aurora a DMS source for the fallback
/// (`Profile::dms_source_parameters`, applied at the next reboot on a cluster that exists
/// already: the runbook says so) and, for a two-way replication on MySQL, Aurora's side of the
/// auto-increment pair, so that Aurora never generates a key the data centre generates
/// (`auto_increment_increment` and `auto_increment_offset`, cluster-level parameters of Aurora
/// MySQL: Aurora User Guide, "Aurora MySQL configuration parameters").
fn parameters(stack: &Stack, db: &Database) -> Vec<Json> {
    let profile = db.profile();
    let mut out: Vec<Json> = std::iter::once(&profile.tls_parameter)
        .chain(profile.log_parameters)
        .map(|(name, value)| json!({ "name": *name, "value": *value }))
        .collect();
    let Some(data_cutover) = stack
        .owned_data_cutovers()
        .find(|d| d.database.name() == &db.name)
    else {
        return out;
    };
    out.extend(profile.dms_source_parameters.iter().map(
        |(name, value)| json!({ "name": *name, "value": *value, "apply_method": "pending-reboot" }),
    ));
    if let Some(KeysApart::AutoIncrement {
        increment,
        aurora_offset,
        ..
    }) = &data_cutover.two_way
    {
        out.push(json!({ "name": "auto_increment_increment", "value": increment.to_string() }));
        out.push(json!({ "name": "auto_increment_offset", "value": aurora_offset.to_string() }));
    }
    out
}

fn lower_database(root: &mut Root, stack: &Stack, db: &Database) {
    let name = &db.name;
    let origin = db.origin;
    let kms = security::kms_key(stack);
    let port = db.port.get();
    let profile = db.profile();
    let protocol = profile.family.label();
    let subnet_group = row::SUBNET_GROUP.at(name, &[]);
    root.resource(
        &subnet_group,
        json!({
            "name": root.aws(&row::SUBNET_GROUP, "name", name, &[]),
            "description": format!("Private subnets of database {}", db.name),
            "subnet_ids": network::subnet_ids(stack, &db.placement),
            "tags": row_tag(root, &row::SUBNET_GROUP, name, &[]),
        }),
        origin,
    );
    let group = security::group(
        root,
        &row::GROUP,
        name,
        &db.placement.network,
        &format!(
            "Database {}: {protocol} from its readers and replications only",
            db.name
        ),
        origin,
    );
    for service in stack
        .services
        .iter()
        .filter(|s| s.reads.iter().any(|r| r.name() == &db.name))
    {
        security::ingress(
            root,
            Rule {
                name: row::FROM.at(name, &[&service.name.address()]),
                group: &group,
                port,
                peer: Peer::Group(service::GROUP.at(&service.name, &[])),
                description: format!("{protocol} from service {}", service.name),
            },
            origin,
        );
    }
    for replication in stack
        .replications
        .iter()
        .filter(|r| r.target.name() == &db.name)
    {
        security::ingress(
            root,
            Rule {
                name: row::FROM.at(name, &[&replication.name.address()]),
                group: &group,
                port,
                peer: Peer::Group(replication::GROUP.at(&replication.name, &[])),
                description: format!("{protocol} from replication {}", replication.name),
            },
            origin,
        );
    }
    for data_cutover in stack
        .owned_data_cutovers()
        .filter(|d| d.database.name() == &db.name)
    {
        security::ingress(
            root,
            Rule {
                name: row::FROM.at(name, &[&data_cutover.name.address()]),
                group: &group,
                port,
                peer: Peer::Group(replication::GROUP.at(&data_cutover.name, &[])),
                description: format!(
                    "{protocol} from the fallback replication of data cutover {}",
                    data_cutover.name
                ),
            },
            origin,
        );
    }
    for (i, cidr) in db.allow.iter().enumerate() {
        security::ingress(
            root,
            Rule {
                name: row::ALLOW.at(name, &[&(i + 1).to_string()]),
                group: &group,
                port,
                peer: Peer::Cidr(cidr.to_string()),
                description: format!("{protocol} from {cidr}, allowed by the stack"),
            },
            origin,
        );
    }
    let parameter_group = row::PARAMETER_GROUP.at(name, &[]);
    root.resource(
        &parameter_group,
        json!({
            "name": root.aws(&row::PARAMETER_GROUP, "name", name, &[]),
            "family": db.parameter_family.clone(),
            "description": match profile.log_parameters {
                [] => format!("Database {}: TLS required in transit", db.name),
                _ => format!("Database {}: TLS required in transit, slow statements and schema changes logged", db.name),
            },
            "parameter": parameters(stack, db),
        }),
        origin,
    );
    // Encrypted with the stack's key unless the stack turns it off, with a reason.
    let waived = db
        .unencrypted_because
        .as_deref()
        .map(|why| (UNENCRYPTED_CHECKS.as_slice(), why));
    let mut cluster = json!({
        "//": security::waivers(&CLUSTER_WAIVERS, waived),
        "cluster_identifier": root.aws(&row::CLUSTER, "cluster_identifier", name, &[]),
        "engine": profile.rds_engine,
        "engine_version": db.engine_version.clone(),
        "master_username": db.username.clone(),
        // Write-only: sent to RDS, never stored in the state or the plan.
        "master_password_wo": security::secret_value(&db.password),
        "master_password_wo_version": security::write_only_version(stack, &db.password),
        "port": port,
        "db_subnet_group_name": attr(&subnet_group, "name"),
        "db_cluster_parameter_group_name": attr(&parameter_group, "name"),
        "vpc_security_group_ids": [attr(&group, "id")],
        "storage_encrypted": db.unencrypted_because.is_none(),
        "backup_retention_period": db.backup_days,
        "preferred_backup_window": "03:00-04:00",
        "copy_tags_to_snapshot": true,
        "deletion_protection": true,
        "skip_final_snapshot": false,
        "final_snapshot_identifier": root.aws(&row::CLUSTER, "final_snapshot_identifier", name, &[]),
        "iam_database_authentication_enabled": true,
        "enabled_cloudwatch_logs_exports": profile.log_exports.to_vec(),
        "tags": row_tag(root, &row::CLUSTER, name, &[]),
    });
    if db.unencrypted_because.is_none() {
        cluster.insert("kms_key_id", json!(kms.clone()));
    }
    if let Some((min, max)) = db.serverless {
        cluster.insert(
            "serverlessv2_scaling_configuration",
            json!({ "min_capacity": Json::Halves(min.halves()), "max_capacity": Json::Halves(max.halves()) }),
        );
    }
    if let Some(name) = db.initial_database() {
        cluster.insert("database_name", json!(name));
    }
    let cluster_at = row::CLUSTER.at(name, &[]);
    root.resource(&cluster_at, cluster, origin);
    // Enhanced monitoring publishes OS metrics through a role RDS assumes.
    let monitoring = security::role(
        root,
        &row::MONITORING_ROLE,
        name,
        "monitoring.rds.amazonaws.com",
        origin,
    );
    root.resource(
        &row::MONITORING_POLICY.at(name, &[]),
        json!({
            "role": attr(&monitoring, "name"),
            "policy_arn": "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        }),
        origin,
    );
    let instances = (1..=db.writers)
        .map(|i| ("writer", i, 0))
        .chain((1..=db.readers).map(|i| ("reader", i, 1)));
    // Performance Insights wherever the engine runs it on the class (`crate::aws::rds`).
    let insights = crate::aws::rds::performance_insights(profile.rds_engine, &db.instance_class);
    for (role, i, tier) in instances {
        let i = i.to_string();
        let params = [role, i.as_str()];
        let mut body = json!({
            "identifier": root.aws(&row::INSTANCE, "identifier", name, &params),
            "cluster_identifier": attr(&cluster_at, "id"),
            "instance_class": db.instance_class.clone(),
            "engine": attr(&cluster_at, "engine"),
            "engine_version": attr(&cluster_at, "engine_version"),
            "db_subnet_group_name": attr(&subnet_group, "name"),
            "promotion_tier": tier,
            "publicly_accessible": false,
            "auto_minor_version_upgrade": true,
            "performance_insights_enabled": insights,
            "monitoring_interval": 60,
            "monitoring_role_arn": attr(&monitoring, "arn"),
            "tags": row_tag(root, &row::INSTANCE, name, &params),
        });
        if insights {
            body.insert("performance_insights_kms_key_id", json!(kms.clone()));
        } else {
            body.insert("//", security::waivers(&NO_INSIGHTS_WAIVERS, None));
        }
        root.resource(&row::INSTANCE.at(name, &params), body, origin);
    }
}

/// Aurora MySQL runs no Performance Insights on this class.
const NO_INSIGHTS_WAIVERS: [security::Waiver; 1] = [security::Waiver {
    check: "CKV_AWS_353",
    reason: "Aurora MySQL does not run Performance Insights on this instance class (db.t3, db.t4g.micro and small); AWS refuses the instance with it on",
}];
