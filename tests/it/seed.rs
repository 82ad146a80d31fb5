//! Each workspace compiled from `stacks/payment.pmig` covers the infrastructure of the seed
//! (the CDKTF README): the resource kinds and counts it lists, the six outputs, the literal
//! backend, and no secret value anywhere.

use serde_json::Value;

use crate::common;

fn roots() -> Vec<(String, Value)> {
    common::compile(include_str!("../../stacks/payment.pmig"))
}

fn resources<'a>(root: &'a Value, kind: &str) -> Vec<&'a Value> {
    root["resource"][kind]
        .as_object()
        .map(|m| m.values().collect())
        .unwrap_or_default()
}

fn count(root: &Value, kind: &str) -> usize {
    resources(root, kind).len()
}

#[test]
fn both_workspaces_compile() {
    let names: Vec<String> = roots().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, vec!["legacy-sync", "aws-production"]);
}

#[test]
fn network_has_three_zones_of_public_and_private_subnets() {
    for (ws, root) in roots() {
        assert_eq!(count(&root, "aws_vpc"), 1, "{ws}");
        assert_eq!(count(&root, "aws_subnet"), 6, "{ws}");
        let cidrs: Vec<&str> = resources(&root, "aws_subnet")
            .iter()
            .filter_map(|s| s["cidr_block"].as_str())
            .collect();
        for cidr in [
            "10.40.0.0/24",
            "10.40.1.0/24",
            "10.40.2.0/24",
            "10.40.3.0/24",
            "10.40.4.0/24",
            "10.40.5.0/24",
        ] {
            assert!(cidrs.contains(&cidr), "{ws}: {cidr} missing from {cidrs:?}");
        }
        assert_eq!(count(&root, "aws_internet_gateway"), 1, "{ws}");
        assert_eq!(count(&root, "aws_nat_gateway"), 3, "{ws}: NAT per zone");
        assert!(
            count(&root, "aws_route_table") >= 4,
            "{ws}: a public and three private route tables"
        );
    }
}

#[test]
fn aurora_has_one_writer_and_two_readers_encrypted() {
    for (ws, root) in roots() {
        let clusters = resources(&root, "aws_rds_cluster");
        assert_eq!(clusters.len(), 1, "{ws}");
        let cluster = clusters[0];
        assert_eq!(cluster["engine"], "aurora-mysql");
        assert_eq!(cluster["storage_encrypted"], true);
        assert!(
            cluster["kms_key_id"]
                .as_str()
                .is_some_and(|k| k.contains("aws_kms_key.")),
            "{ws}"
        );
        assert_eq!(cluster["backup_retention_period"], 7);
        assert_eq!(count(&root, "aws_rds_cluster_instance"), 3, "{ws}");
    }
}

#[test]
fn compute_is_three_to_nine_t3_medium_behind_an_https_alb() {
    for (ws, root) in roots() {
        let groups = resources(&root, "aws_autoscaling_group");
        assert_eq!(groups.len(), 1, "{ws}");
        assert_eq!(groups[0]["min_size"], 3);
        assert_eq!(groups[0]["max_size"], 9);
        let templates = resources(&root, "aws_launch_template");
        assert_eq!(templates[0]["instance_type"], "t3.medium");
        assert_eq!(count(&root, "aws_lb"), 1, "{ws}");
        let groups = resources(&root, "aws_lb_target_group");
        assert_eq!(groups[0]["port"], 8080);
        let listeners = resources(&root, "aws_lb_listener");
        assert!(
            listeners.iter().any(|l| l["protocol"] == "HTTPS"
                && l["port"] == 443
                && l["certificate_arn"].is_string()),
            "{ws}"
        );
        assert!(
            !listeners
                .iter()
                .any(|l| l["protocol"] == "HTTP"
                    && l["default_action"].to_string().contains("forward")),
            "{ws}: plain HTTP never forwards"
        );
    }
}

#[test]
fn dms_replicates_full_load_and_cdc() {
    for (ws, root) in roots() {
        // The workspace that owns the ledger's data cutover also has its fallback (Aurora →
        // the data centre, changes only), stopped before the data cutover.
        let owner = ws == "aws-production";
        let instances = resources(&root, "aws_dms_replication_instance");
        assert_eq!(instances.len(), if owner { 2 } else { 1 }, "{ws}");
        for instance in &instances {
            assert_eq!(instance["replication_instance_class"], "dms.t3.medium");
            assert_eq!(instance["publicly_accessible"], false);
        }
        assert_eq!(
            count(&root, "aws_dms_endpoint"),
            if owner { 4 } else { 2 },
            "{ws}: source and target of each task"
        );
        let tasks = &root["resource"]["aws_dms_replication_task"];
        assert_eq!(
            tasks["onprem_to_aws"]["migration_type"],
            "full-load-and-cdc"
        );
        assert_eq!(tasks["onprem_to_aws"]["start_replication_task"], true);
        if owner {
            assert_eq!(tasks["ledger_data"]["migration_type"], "cdc");
            assert_eq!(tasks["ledger_data"]["start_replication_task"], false);
        } else {
            assert!(tasks["ledger_data"].is_null(), "{ws}");
        }
    }
}

#[test]
fn route53_weights_follow_the_stack_in_the_workspace_that_owns_the_cutover() {
    // Both workspaces share one account: the seed's one weighted record set is managed by the
    // cutover's owner (`aws-production`, at 100 %), and DMS's two fixed-name roles by
    // `legacy-sync` (`dms_roles`), so neither is created twice.
    for (ws, root) in roots() {
        // The cutover's records (the private zone's writer and reader names are every
        // workspace's own).
        let records: Vec<_> = resources(&root, "aws_route53_record")
            .into_iter()
            .filter(|r| !r["name"].as_str().unwrap_or("").ends_with(".internal"))
            .collect();
        let roles: Vec<&str> = resources(&root, "aws_iam_role")
            .iter()
            .filter_map(|r| r["name"].as_str())
            .filter(|n| n.starts_with("dms-"))
            .collect();
        if ws == "legacy-sync" {
            assert!(records.is_empty(), "{ws}: {records:?}");
            assert_eq!(roles, ["dms-cloudwatch-logs-role", "dms-vpc-role"], "{ws}");
            continue;
        }
        assert!(roles.is_empty(), "{ws}: {roles:?}");
        assert_eq!(records.len(), 2, "{ws}: legacy and aws");
        let weight = |set: &str| {
            records
                .iter()
                .find(|r| r["set_identifier"] == set)
                .map(|r| r["weighted_routing_policy"]["weight"].clone())
        };
        assert_eq!(weight("aws"), Some(serde_json::json!(100)), "{ws}");
        assert_eq!(weight("legacy"), Some(serde_json::json!(0)), "{ws}");
    }
}

#[test]
fn dashboard_shows_the_migration_metrics() {
    for (ws, root) in roots() {
        let dashboards = resources(&root, "aws_cloudwatch_dashboard");
        assert_eq!(dashboards.len(), 1, "{ws}");
        let body = dashboards[0]["dashboard_body"].as_str().expect("body");
        for metric in [
            "TargetResponseTime",
            "RequestCount",
            "CPUUtilization",
            "DatabaseConnections",
            "CDCLatencySource",
            "CDCLatencyTarget",
        ] {
            assert!(body.contains(metric), "{ws}: {metric} missing");
        }
    }
}

#[test]
fn the_six_outputs_and_a_literal_backend_per_workspace() {
    for (ws, root) in roots() {
        let outputs: Vec<&String> = root["output"]
            .as_object()
            .expect("outputs")
            .keys()
            .collect();
        assert_eq!(
            outputs,
            vec![
                "alb_dns_name",
                "dms_replication_status",
                "rds_cluster_endpoint",
                "rds_reader_endpoint",
                "vpc_id",
                "vpn_connection_id"
            ]
        );
        let s3 = &root["terraform"]["backend"]["s3"];
        assert_eq!(s3["bucket"], "pay-tfstate");
        assert_eq!(s3["key"], format!("payment/{ws}.tfstate"));
        assert_eq!(s3["use_lockfile"], true);
        // Each workspace has its own VPN connection (a gateway serves one VPC: PMG1009).
        let connection = if ws == "aws-production" {
            "vpn-0a1b2c3d4e5f67891"
        } else {
            "vpn-0a1b2c3d4e5f67890"
        };
        assert_eq!(root["output"]["vpn_connection_id"]["value"], connection);
    }
}

#[test]
fn existing_things_are_looked_up_and_no_secret_is_written() {
    for (ws, root) in roots() {
        assert!(root["data"]["aws_vpn_gateway"].is_object(), "{ws}");
        assert!(
            root["data"]["aws_secretsmanager_secret"].is_object(),
            "{ws}"
        );
        assert!(
            resources(&root, "aws_vpn_connection").is_empty(),
            "{ws}: the VPN is never created"
        );
        assert!(
            root["data"]["aws_secretsmanager_secret_version"].is_null(),
            "{ws}: a secret's value is never read by a data source (it would be in the state)"
        );
        assert!(
            root["ephemeral"]["aws_secretsmanager_secret_version"].is_object(),
            "{ws}"
        );
        for cluster in resources(&root, "aws_rds_cluster") {
            assert!(cluster["master_password"].is_null(), "{ws}");
            let password = cluster["master_password_wo"].as_str().unwrap_or("");
            assert!(
                password.starts_with("${")
                    && password.contains("ephemeral.aws_secretsmanager_secret_version."),
                "{ws}: {password}"
            );
            assert!(cluster["master_password_wo_version"].is_number(), "{ws}");
        }
        for endpoint in resources(&root, "aws_dms_endpoint") {
            assert!(endpoint["password"].is_null(), "{ws}");
            let secret = endpoint["secrets_manager_arn"].as_str().unwrap_or("");
            assert!(
                secret.starts_with("${aws_secretsmanager_secret."),
                "{ws}: {secret}"
            );
        }
        for version in resources(&root, "aws_secretsmanager_secret_version") {
            assert!(version["secret_string"].is_null(), "{ws}");
            let value = version["secret_string_wo"].as_str().unwrap_or("");
            assert!(
                value.contains("ephemeral.aws_secretsmanager_secret_version."),
                "{ws}: {value}"
            );
        }
        // An ephemeral value reaches write-only arguments only (`…_wo`), nowhere else.
        fn only_write_only(value: &serde_json::Value, key: &str, ws: &str) {
            match value {
                serde_json::Value::String(s) if s.contains("ephemeral.") => {
                    assert!(key.ends_with("_wo"), "{ws}: {key} = {s}")
                }
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        only_write_only(v, k, ws);
                    }
                }
                serde_json::Value::Array(items) => {
                    for v in items {
                        only_write_only(v, key, ws);
                    }
                }
                _ => {}
            }
        }
        only_write_only(&root["resource"], "resource", &ws);
        only_write_only(&root["output"], "output", &ws);
    }
}
