//! Where writes go (issue 25): the write model in the roots at each state of a data cutover,
//! `pmigc move` of a data cutover (and the moves it refuses), and the data cutover's runbook
//! as text and JSON. Stacks: `stacks/payment.pmig` (MySQL, one data cutover owned by
//! aws-production) and `tests/cases/ok/postgresql-two-databases.pmig` (PostgreSQL, two-way).

use crate::common;

use pmigc::Writer;
use serde_json::Value;

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
const LEDGER: &str = include_str!("../cases/ok/postgresql-two-databases.pmig");

/// The payment stack with its data cutover moved to `state` in aws-production (proven by the
/// library like `pmigc move`), and its roots.
fn payment_at(state: Writer) -> (String, Vec<(String, Value)>) {
    let checked = common::check(PAYMENT);
    let moved = pmigc::edit::move_data_cutover(
        PAYMENT,
        &checked.stacks,
        "aws-production",
        "ledger_data",
        state,
    )
    .unwrap();
    let roots = common::compile(&moved.text);
    (moved.text, roots)
}

fn root<'r>(roots: &'r [(String, Value)], ws: &str) -> &'r Value {
    &roots.iter().find(|(n, _)| n == ws).unwrap().1
}

#[test]
fn the_writer_name_and_the_tasks_follow_the_data_cutover() {
    let (_, before) = payment_at(Writer::Datacentre);
    let (text, after) = payment_at(Writer::Aurora);
    // The one-line change: the workspace's writer input.
    assert_eq!(
        text.replacen("  ledger_writer      = aurora\n", "", 1),
        PAYMENT,
        "{text}"
    );
    for (roots, writer, forward, fallback, egress) in [
        (&before, "db.corp.example.com", true, false, true),
        (
            &after,
            "${aws_rds_cluster.ledger.endpoint}",
            false,
            true,
            false,
        ),
    ] {
        let r = &root(roots, "aws-production")["resource"];
        let record = &r["aws_route53_record"]["ledger_writer"];
        assert_eq!(record["name"], "writer.ledger.${local.name}.internal");
        assert_eq!(record["records"][0], writer);
        assert_eq!(record["ttl"], 10);
        assert_eq!(record["zone_id"], "${aws_route53_zone.writers.zone_id}");
        let tasks = &r["aws_dms_replication_task"];
        assert_eq!(tasks["onprem_to_aws"]["start_replication_task"], forward);
        assert_eq!(tasks["ledger_data"]["start_replication_task"], fallback);
        // The services' egress to the data centre exists only while the writer is there.
        assert_eq!(
            !r["aws_vpc_security_group_egress_rule"]["api_to_ledger_datacentre_1"].is_null(),
            egress
        );
        // The cutover's legacy record and gate go with the data cutover.
        assert_eq!(
            !r["aws_route53_record"]["payments_legacy"].is_null(),
            egress
        );
        assert_eq!(
            r["aws_route53_record"]["payments_aws"]["health_check_id"].is_null(),
            !egress
        );
    }
    // The workspace that does not own the data cutover never switches and has no fallback.
    let sync = &root(&after, "legacy-sync")["resource"];
    assert_eq!(
        sync["aws_route53_record"]["ledger_writer"]["records"][0],
        "db.corp.example.com"
    );
    assert!(sync["aws_dms_replication_task"]["ledger_data"].is_null());
}

#[test]
fn the_fallback_reads_aurora_and_writes_the_data_centre_with_loopback_prevention() {
    let (_, roots) = payment_at(Writer::Aurora);
    let r = &root(&roots, "aws-production")["resource"];
    let endpoints = &r["aws_dms_endpoint"];
    assert_eq!(endpoints["ledger_data_source"]["endpoint_type"], "source");
    assert_eq!(endpoints["ledger_data_source"]["engine_name"], "aurora");
    assert_eq!(endpoints["ledger_data_target"]["endpoint_type"], "target");
    assert_eq!(endpoints["ledger_data_target"]["engine_name"], "mysql");
    let task = &r["aws_dms_replication_task"]["ledger_data"];
    assert_eq!(task["migration_type"], "cdc");
    for name in ["ledger_data", "onprem_to_aws"] {
        let settings: Value = serde_json::from_str(
            r["aws_dms_replication_task"][name]["replication_task_settings"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            settings["LoopbackPreventionSettings"]["EnableLoopbackPrevention"], true,
            "{name}"
        );
    }
    // Aurora is a DMS source from the first apply: binary logging in its parameter group.
    let parameters = r["aws_rds_cluster_parameter_group"]["ledger"]["parameter"].to_string();
    assert!(parameters.contains("\"binlog_format\""), "{parameters}");
    // Aurora admits the fallback, which reaches the data centre through the VPN.
    assert!(!r["aws_vpc_security_group_ingress_rule"]["ledger_from_ledger_data"].is_null());
    assert_eq!(
        r["aws_vpc_security_group_egress_rule"]["ledger_data_to_onprem_1"]["cidr_ipv4"],
        "192.168.0.0/16"
    );
    // Its gate: four alarms, silent while it is stopped.
    for alarm in [
        "lag_source",
        "lag_target",
        "validation_failed",
        "validation_suspended",
    ] {
        let alarm = &r["aws_cloudwatch_metric_alarm"][format!("ledger_data_{alarm}")];
        assert_eq!(alarm["treat_missing_data"], "notBreaching");
    }
}

#[test]
fn postgresql_two_way_and_read_only_services() {
    let roots = common::compile_in(LEDGER, &common::repo("tests/cases/ok"));
    let r = &root(&roots, "production")["resource"];
    // `both`: the API writes Aurora, both tasks run.
    assert_eq!(
        r["aws_route53_record"]["ledger_writer"]["records"][0],
        "${aws_rds_cluster.ledger.endpoint}"
    );
    assert_eq!(
        r["aws_dms_replication_task"]["ledger_sync"]["start_replication_task"],
        true
    );
    assert_eq!(
        r["aws_dms_replication_task"]["ledger_data"]["start_replication_task"],
        true
    );
    // The legacy side still takes traffic at `both`.
    assert!(!r["aws_route53_record"]["api_traffic_legacy"].is_null());
    // PostgreSQL: logical replication on Aurora, triggers off for DMS's session on the target.
    let parameters = r["aws_rds_cluster_parameter_group"]["ledger"]["parameter"].to_string();
    assert!(
        parameters.contains("rds.logical_replication"),
        "{parameters}"
    );
    assert_eq!(
        r["aws_dms_endpoint"]["ledger_data_target"]["postgres_settings"][0]["after_connect_script"],
        "SET session_replication_role = replica"
    );
    // The audit log still writes the data centre: egress on both of the VPN's networks.
    assert!(!r["aws_vpc_security_group_egress_rule"]["api_to_audit_datacentre_2"].is_null());
    // The reporting service only reads: no egress to the data centre, and its boot script (the
    // only one of the stack) receives each database's reader endpoint and the ledger's
    // read-only login, never a writer's name.
    assert!(
        r["aws_vpc_security_group_egress_rule"]
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("reports_to_") || !k.contains("datacentre"))
    );
    let parameters = r["aws_ssm_parameter"].as_object().unwrap();
    for db in ["ledger", "audit"] {
        assert_eq!(
            parameters[&format!("reports_{db}_reader_endpoint")]["insecure_value"],
            format!("reader.{db}.${{local.name}}.internal")
        );
    }
    assert_eq!(
        parameters["reports_ledger_username"]["insecure_value"],
        "reports_ro"
    );
    assert_eq!(
        parameters["reports_ledger_secret_key"]["insecure_value"],
        "reports_password"
    );
    assert!(
        parameters
            .keys()
            .all(|k| k.starts_with("reports_") && !k.contains("writer")),
        "{:?}",
        parameters.keys().collect::<Vec<_>>()
    );
}

#[test]
fn move_refuses_two_primaries_in_either_order_and_a_workspace_that_does_not_own() {
    let checked = common::check(PAYMENT);
    // At 100 %, to Aurora and back: fine.
    let moved = pmigc::edit::move_data_cutover(
        PAYMENT,
        &checked.stacks,
        "aws-production",
        "ledger_data",
        Writer::Aurora,
    )
    .unwrap();
    assert!(moved.along.is_empty());
    // Then the traffic cannot roll back: the data rolls back first.
    let refused = pmigc::edit::move_cutover(
        &moved.text,
        &moved.stacks,
        "aws-production",
        "payments",
        pmigc::Percent::new(0).unwrap(),
    )
    .unwrap_err()
    .0;
    assert!(refused.contains("PMG0823"), "{refused}");
    assert!(
        refused.contains("pmigc move ledger_data datacentre --workspace aws-production"),
        "{refused}"
    );
    // Below 100 %, the data cutover itself is refused.
    let half = PAYMENT.replace(
        "  traffic_weight     = 100%\n",
        "  traffic_weight     = 50%\n",
    );
    let half_checked = common::check(&half);
    let refused = pmigc::edit::move_data_cutover(
        &half,
        &half_checked.stacks,
        "aws-production",
        "ledger_data",
        Writer::Aurora,
    )
    .unwrap_err()
    .0;
    assert!(refused.contains("PMG0823"), "{refused}");
    // Writes on both sides are refused without a two-way replication.
    let refused = pmigc::edit::move_data_cutover(
        PAYMENT,
        &checked.stacks,
        "aws-production",
        "ledger_data",
        Writer::Both,
    )
    .unwrap_err()
    .0;
    assert!(refused.contains("PMG0824"), "{refused}");
    // Only the owner moves it.
    let refused = pmigc::edit::move_data_cutover(
        PAYMENT,
        &checked.stacks,
        "legacy-sync",
        "ledger_data",
        Writer::Aurora,
    )
    .unwrap_err()
    .0;
    assert!(refused.contains("does not own"), "{refused}");
    // A data cutover is not moved to a percentage, nor a cutover to a state.
    let refused = pmigc::edit::move_cutover(
        PAYMENT,
        &checked.stacks,
        "aws-production",
        "ledger_data",
        pmigc::Percent::new(50).unwrap(),
    )
    .unwrap_err()
    .0;
    assert!(refused.contains("is a data cutover"), "{refused}");
}

#[test]
fn the_runbook_walks_the_data_cutover_and_gates_the_data_rollback() {
    let checked = common::check(PAYMENT);
    let stack = checked
        .stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == "aws-production")
        .unwrap();
    let paths = pmigc::runbook::Paths {
        stack: "stacks/payment.pmig",
        out: "out",
    };
    let json = pmigc::runbook::json(stack, paths, Some("ledger_data"));
    assert_eq!(json["cutovers"].as_array().unwrap().len(), 0);
    let data = &json["data_cutovers"][0];
    assert_eq!(data["data_cutover"], "ledger_data");
    assert_eq!(data["current_state"], "datacentre");
    assert_eq!(
        data["writer_name"],
        "writer.ledger.payment-migration-prod.internal"
    );
    let titles: Vec<&str> = data["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.first(), Some(&"stop writes at the data centre"));
    let switch = data["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["title"]
                .as_str()
                .unwrap()
                .starts_with("switch the writer")
        })
        .unwrap();
    assert_eq!(
        switch["commands"][0],
        "pmigc move ledger_data aurora --workspace aws-production stacks/payment.pmig"
    );
    // The data rollback refuses to go on while the fallback is unhealthy: a command that fails.
    let gate = &data["rollback"][1];
    assert!(gate["title"].as_str().unwrap().contains("refuse"));
    let alarms = gate["commands"][0].as_str().unwrap();
    assert!(
        alarms.starts_with("test -z \"$(aws cloudwatch describe-alarms"),
        "{alarms}"
    );
    for name in data["fallback_alarms"].as_array().unwrap() {
        assert!(alarms.contains(name.as_str().unwrap()), "{alarms}");
    }
    // The switch back to the data centre applies the writer record, the tasks and the egress to
    // the data centre only: the services' capacity (their Auto Scaling groups) comes back in a
    // later step, once the record's TTL has passed, with a full apply.
    let rollback = data["rollback"].as_array().unwrap();
    let at = |prefix: &str| {
        rollback
            .iter()
            .position(|s| s["title"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("no rollback step `{prefix}`: {rollback:#?}"))
    };
    let back = at("switch the writer back");
    let restore = at("after the writer record's TTL");
    assert!(back < restore, "{rollback:#?}");
    let switch_apply = rollback[back]["commands"][2].as_str().unwrap();
    assert!(
        switch_apply.starts_with("terraform -chdir=out/aws-production apply -target="),
        "{switch_apply}"
    );
    for target in [
        "-target=aws_route53_record.ledger_writer",
        "-target=aws_dms_replication_task.onprem_to_aws",
        "-target=aws_dms_replication_task.ledger_data",
        "-target=aws_vpc_security_group_egress_rule.api_to_ledger_datacentre_1",
    ] {
        assert!(switch_apply.contains(target), "{switch_apply}");
    }
    assert!(
        !switch_apply.contains("aws_autoscaling_group"),
        "{switch_apply}"
    );
    // The targets are resources of the root at `datacentre`.
    let (_, roots) = payment_at(Writer::Datacentre);
    let root = root(&roots, "aws-production");
    for target in switch_apply
        .split(' ')
        .filter_map(|w| w.strip_prefix("-target="))
    {
        let (kind, name) = target.split_once('.').unwrap();
        assert!(root["resource"][kind][name].is_object(), "{target}");
    }
    let commands: Vec<&str> = rollback[restore]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        ["sleep 10", "terraform -chdir=out/aws-production apply"]
    );
    // The traffic cutover's runbook says where its service writes.
    let traffic = pmigc::runbook::text(stack, paths, Some("payments"));
    assert!(
        traffic.contains("writes database `ledger` on the data centre's primary"),
        "{traffic}"
    );
    // Stack text in SQL is SQL data, in commands it is quoted for `sh`.
    let odd = PAYMENT.replace("\"dms_writer\"", "\"o'hara\"");
    let checked = common::check(&odd);
    let stack = checked
        .stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == "aws-production")
        .unwrap();
    let text = pmigc::runbook::text(stack, paths, Some("ledger_data"));
    assert!(
        text.contains("GRANT ALL PRIVILEGES ON awsdms_control.* TO 'o''hara'@'%';"),
        "{text}"
    );
}
