//! Gates on the cutover's own service (`web.errors < 5 per minute and web.latency < 750ms`,
//! docs/gates.md): everything that shows a gate shows all of it — the graph's edge, the
//! runbook's checks and its JSON, the dashboard's gate panel — and the alarms are those the
//! health checks are bound to.

use pmigc::graph::{self, EdgeKind};
use serde_json::Value;

use crate::common;

const CASE: &str = include_str!("../cases/ok/service-gates.pmig");
const GATE: &str = "web.errors < 5 per minute and web.latency < 750ms";

fn stack() -> pmigc::Stack {
    let checked = common::check(CASE);
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        checked.diagnostics
    );
    checked.stacks.into_iter().next().unwrap()
}

#[test]
fn the_graph_draws_the_whole_gate() {
    let stack = stack();
    let g = graph::build(&stack, None).unwrap();
    let lines: Vec<String> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Traffic)
        .flat_map(|e| e.gates.clone())
        .collect();
    assert_eq!(lines, [format!("gate {GATE}")]);
}

#[test]
fn the_runbook_checks_every_alarm_of_the_gate() {
    let stack = stack();
    let paths = pmigc::runbook::Paths {
        stack: "tests/cases/ok/service-gates.pmig",
        out: "out",
    };
    let text = pmigc::runbook::text(&stack, paths, None);
    for line in [
        "gate condition `web.errors < 5 per minute`: CloudWatch alarms `shop-dev-web-errors-under-5-per-minute-target` and `shop-dev-web-errors-under-5-per-minute-elb` are OK",
        "gate condition `web.latency < 750ms`: CloudWatch alarm `shop-dev-web-latency-under-750ms` is OK",
    ] {
        assert!(text.contains(line), "{line}\nnot in:\n{text}");
    }
    let json = pmigc::runbook::json(&stack, paths, None);
    let gate = json
        .pointer("/cutovers/0/service_gate")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{json:#}"));
    let conditions: Vec<&str> = gate
        .iter()
        .filter_map(|c| c.get("condition").and_then(Value::as_str))
        .collect();
    assert_eq!(
        conditions,
        ["web.errors < 5 per minute", "web.latency < 750ms"]
    );
}

#[test]
fn every_alarm_a_gate_check_is_bound_to_exists_and_is_one_route53_takes() {
    let roots = common::compile(CASE);
    let (_, root) = roots.first().unwrap();
    let checks = root["resource"]["aws_route53_health_check"]
        .as_object()
        .unwrap();
    let alarms = root["resource"]["aws_cloudwatch_metric_alarm"]
        .as_object()
        .unwrap();
    let bound: Vec<&str> = checks
        .values()
        .filter(|c| c["type"] == "CLOUDWATCH_METRIC")
        .map(|c| c["cloudwatch_alarm_name"].as_str().unwrap())
        .collect();
    assert_eq!(bound.len(), 3, "{checks:#?}");
    for name in bound {
        let address = name
            .trim_start_matches("${aws_cloudwatch_metric_alarm.")
            .trim_end_matches(".alarm_name}");
        let alarm = &alarms[address];
        assert_eq!(alarm["namespace"], "AWS/ApplicationELB", "{address}");
        assert_eq!(alarm["period"], 60, "{address}");
        assert_eq!(alarm["treat_missing_data"], "notBreaching", "{address}");
        assert!(
            ["Sum", "Average"].contains(&alarm["statistic"].as_str().unwrap()),
            "{address}"
        );
        assert_eq!(
            alarm["dimensions"]["LoadBalancer"],
            "${aws_lb.web.arn_suffix}"
        );
    }
    assert_eq!(alarms["web_latency_under_750ms"]["threshold"], 0.75);
    assert_eq!(alarms["web_errors_under_5_per_minute_elb"]["threshold"], 5);
    // All three join the gate's calculated check, with the service's HTTPS check.
    let gate = &checks["storefront_gate"];
    assert_eq!(gate["child_health_threshold"], 4);
    // The dashboard draws the gate's metrics with its thresholds.
    let board = root["resource"]["aws_cloudwatch_dashboard"]["traffic"]["dashboard_body"]
        .as_str()
        .unwrap();
    for part in [
        "HTTPCode_Target_5XX_Count",
        "HTTPCode_ELB_5XX_Count",
        "TargetResponseTime",
        "\"label\":\"web.errors < 5 per minute\"",
        "\"label\":\"web.latency < 750ms\"",
    ] {
        assert!(board.contains(part), "{part} not in {board}");
    }
    assert!(board.contains("\"value\":0.75"), "{board}");
}

/// A replication of several databases runs one task per database, each gated
/// (docs/language.md, "Several databases of one source"): the runbook checks, before each step,
/// every lag and consistency alarm the gate's calculated health check is bound to, not only the
/// first database's, and its JSON lists them.
#[test]
fn the_runbook_checks_the_lag_of_every_database_of_a_replication() {
    const MANY: &str = include_str!("../cases/ok/postgresql-databases-of-one-source.pmig");
    let checked = common::check(MANY);
    let stack = checked
        .stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == "production")
        .unwrap();
    let roots = common::compile(MANY);
    let (_, root) = roots.iter().find(|(w, _)| w == "production").unwrap();
    let checks = root["resource"]["aws_route53_health_check"]
        .as_object()
        .unwrap();
    let gate = checks.values().find(|c| c["type"] == "CALCULATED").unwrap();
    let bound: Vec<String> = gate["child_healthchecks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|id| {
            let name = id.as_str()?.strip_prefix("${aws_route53_health_check.")?;
            let check = &checks[name.strip_suffix(".id}")?];
            let alarm = check["cloudwatch_alarm_name"]
                .as_str()?
                .strip_prefix("${aws_cloudwatch_metric_alarm.")?
                .strip_suffix(".alarm_name}")?;
            let name =
                root["resource"]["aws_cloudwatch_metric_alarm"][alarm]["alarm_name"].as_str()?;
            Some(name.strip_prefix("${local.name}-")?.to_string())
        })
        .collect();
    // Both databases' lag (source and target) and validation alarms.
    assert_eq!(bound.len(), 8, "{bound:?}");
    assert!(
        bound.iter().any(|a| a.contains("ledger-audit-lag")),
        "{bound:?}"
    );
    let paths = pmigc::runbook::Paths {
        stack: "tests/cases/ok/postgresql-databases-of-one-source.pmig",
        out: "out",
    };
    let text = pmigc::runbook::text(stack, paths, None);
    let gate_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("gate condition `") || l.contains("data consistency of `"))
        .collect();
    for alarm in &bound {
        assert!(
            gate_lines.iter().any(|l| l.contains(&format!("-{alarm}`"))),
            "the runbook's gate checks do not name alarm `{alarm}`:\n{}",
            gate_lines.join("\n")
        );
    }
    let json = pmigc::runbook::json(stack, paths, None);
    let listed = json
        .pointer("/cutovers/0/gate/0/alarms")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(listed.len(), 4, "{listed:?}");
}
