//! The migration as a workflow: phases (edits of the stack) touch only Route 53, addresses are
//! stable, the gate compiles to alarms + health checks, the runbook reads right.

use serde_json::{Value, json};
use std::collections::BTreeSet;

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

use crate::common;
use common::compile;

fn addresses(root: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (kind, instances) in root["resource"].as_object().into_iter().flatten() {
        for name in instances.as_object().into_iter().flatten().map(|(n, _)| n) {
            out.insert(format!("{kind}.{name}"));
        }
    }
    out
}

/// `text` with `cutover` of `workspace` moved to `weight` by `pmigc move`'s library function.
fn moved(text: &str, workspace: &str, cutover: &str, weight: u8) -> String {
    let checked = pmigc::check_source(text);
    let weight = pmigc::Percent::new(weight).unwrap();
    pmigc::edit::move_cutover(text, &checked.stacks, workspace, cutover, weight).unwrap()
}

#[test]
fn moving_between_phases_changes_only_the_route53_records() {
    // Each phase is a real edit of the stack and a real compile: the whole roots are compared,
    // so nothing but the two records may change, in the workspace moved and nowhere else.
    let checked = pmigc::check_source(PAYMENT);
    let production = checked
        .stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == "aws-production")
        .unwrap();
    let cutover = &production.cutovers[0];
    for &from in &cutover.phases {
        let before_text = moved(PAYMENT, "aws-production", "payments", from.get());
        let before = compile(&before_text);
        for &to in &cutover.phases {
            let after_text = moved(&before_text, "aws-production", "payments", to.get());
            let after = compile(&after_text);
            for ((ws, old), (_, new)) in before.iter().zip(&after) {
                let changes = pmigc::diff::roots(old, new);
                if ws != "aws-production" || from == to {
                    assert!(changes.is_empty(), "{ws}: {from}→{to}: {changes:?}");
                    continue;
                }
                let (a, b) = (from.get().to_string(), to.get().to_string());
                let (la, lb) = ((100 - from.get()).to_string(), (100 - to.get()).to_string());
                let path = "weighted_routing_policy.weight".to_string();
                let expected = vec![
                    pmigc::diff::Change::Changed(
                        "aws_route53_record.payments_aws".into(),
                        vec![(path.clone(), a, b)],
                    ),
                    pmigc::diff::Change::Changed(
                        "aws_route53_record.payments_legacy".into(),
                        vec![(path, la, lb)],
                    ),
                ];
                assert_eq!(changes, expected, "{ws}: {from}→{to}");
                // `pmigc diff --from --to` evaluates the recorded weights: the same answer.
                let root = pmigc::root_of(production, &[]).unwrap();
                assert_eq!(pmigc::diff::phases(&root, cutover, from, to), expected);
            }
        }
    }
}

#[test]
fn no_root_has_a_variable_for_a_phase_file_to_set() {
    // The weight is a literal: an apply always puts every cutover where the stack says.
    for (ws, root) in compile(PAYMENT) {
        assert!(
            root.get("variable").is_none(),
            "{ws}: {:?}",
            root.get("variable")
        );
        let text = root.to_string();
        assert!(!text.contains("var."), "{ws} reads a variable");
    }
}

#[test]
fn adding_a_service_renames_nothing() {
    let extra = "\nservice reports {\n  instance = t3.small\n  capacity = 1..2\n  in       = main.private\n  port     = 9090\n  reads    = ledger.reader\n}\n";
    let before = compile(PAYMENT);
    let after = compile(&format!("{PAYMENT}{extra}"));
    for ((ws, old), (_, new)) in before.iter().zip(&after) {
        let (old, new) = (addresses(old), addresses(new));
        let missing: Vec<_> = old.difference(&new).collect();
        assert!(
            missing.is_empty(),
            "{ws}: adding a service removed {missing:?}"
        );
        assert!(new.len() > old.len());
    }
}

#[test]
fn the_gate_compiles_to_alarms_and_health_checks() {
    let roots = compile(PAYMENT);
    let (_, root) = roots
        .iter()
        .find(|(n, _)| n == "aws-production")
        .expect("workspace");
    let r = &root["resource"];
    let gate = json!({
        "alarm_source": r["aws_cloudwatch_metric_alarm"]["onprem_to_aws_lag_under_5s_source"],
        "alarm_target": r["aws_cloudwatch_metric_alarm"]["onprem_to_aws_lag_under_5s_target"],
        "health_checks": r["aws_route53_health_check"],
        "aws_record": r["aws_route53_record"]["payments_aws"],
        "check": root["check"],
    });
    common::snapshots().bind(|| insta::assert_json_snapshot!("migration__gate_resources", gate));
    assert_eq!(
        r["aws_cloudwatch_metric_alarm"]["onprem_to_aws_lag_under_5s_source"]["threshold"],
        5
    );
    assert_eq!(
        r["aws_route53_record"]["payments_aws"]["health_check_id"],
        "${aws_route53_health_check.payments_gate.id}"
    );
}

#[test]
fn the_runbook_walks_every_phase_and_the_rollback() {
    let checked = pmigc::check_source(PAYMENT);
    let stack = checked
        .stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == "aws-production")
        .expect("workspace");
    let paths = pmigc::runbook::Paths {
        stack: "stacks/payment.pmig",
        out: "out",
    };
    let text = pmigc::runbook::text(stack, paths, None);
    common::snapshots().bind(|| insta::assert_snapshot!("migration__runbook_aws_production", text));
    let json = pmigc::runbook::json(stack, paths, None);
    let steps = json["cutovers"][0]["steps"].as_array().expect("steps");
    let weights: Vec<u64> = steps.iter().filter_map(|s| s["weight"].as_u64()).collect();
    assert_eq!(weights, vec![0, 10, 25, 50, 75, 100]);
    assert_eq!(
        json["cutovers"][0]["rollback"]["commands"][0],
        "pmigc move payments 0% --workspace aws-production stacks/payment.pmig"
    );
}

#[test]
fn a_renamed_database_is_moved_not_replaced() {
    let renamed = PAYMENT
        .replace("database ledger", "database books")
        .replace("= ledger", "= books")
        .replace("input ledger_writer:", "input books_writer:")
        .replace("ledger.", "books.");
    let checked = pmigc::check_source(&renamed);
    let stack = checked.stacks.first().expect("compiles");
    let renames = [(
        pmigc::Name::parse("ledger").unwrap(),
        pmigc::Name::parse("books").unwrap(),
    )];
    let root = pmigc::root_of(stack, &renames).unwrap().value();
    let moved: Vec<(String, String)> = root["moved"]
        .as_array()
        .expect("moved blocks")
        .iter()
        .map(|m| {
            (
                m["from"].as_str().unwrap_or("").to_string(),
                m["to"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (from, to) in [
        ("aws_rds_cluster.ledger", "aws_rds_cluster.books"),
        (
            "aws_rds_cluster_instance.ledger_writer_1",
            "aws_rds_cluster_instance.books_writer_1",
        ),
        ("aws_security_group.ledger", "aws_security_group.books"),
        (
            "aws_vpc_security_group_egress_rule.api_to_ledger",
            "aws_vpc_security_group_egress_rule.api_to_books",
        ),
    ] {
        assert!(
            moved.contains(&(from.to_string(), to.to_string())),
            "{from} → {to} missing from {moved:?}"
        );
    }
    // Every moved address exists in the new root, and the AWS identifiers did not change.
    let all = addresses(&root);
    assert!(moved.iter().all(|(_, to)| all.contains(to)));
    let original = compile(PAYMENT);
    let (_, before) = original.first().expect("root");
    assert_eq!(
        root["resource"]["aws_rds_cluster"]["books"]["cluster_identifier"],
        before["resource"]["aws_rds_cluster"]["ledger"]["cluster_identifier"]
    );
    assert_eq!(
        moved.len(),
        all.len() - addresses(before).intersection(&all).count()
    );
}
