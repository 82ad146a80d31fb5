//! `dms.mappings`: every DMS task's table mappings are a document DMS accepts and that copies
//! something. Per "Selection rules and actions" (DMS user guide,
//! https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Selections.html):
//! at least one selection rule; each rule's `rule-id` numeric and unique, its `rule-name`
//! unique; a selection rule's `rule-action` `include`, `exclude` or `explicit`, and its
//! `object-locator` naming a `schema-name` and a `table-name`. pmigc adds: at least one rule
//! includes something (a task of only excludes copies nothing).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::{Finding, Input};
use crate::verify::root::{Root, text_refs};

pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    for body in input.root.each("aws_dms_replication_task") {
        let task = body.address();
        let Some(text) = body.text("table_mappings") else {
            out.push(finding(task, "has no table mappings".into()));
            continue;
        };
        // Terraform reads `$${` and `%%{` in a string as the literal `${`, `%{`.
        let json = text.replace("$${", "${").replace("%%{", "%{");
        for problem in problems(&json) {
            out.push(finding(task, problem));
        }
    }
}

fn finding(task: &str, problem: String) -> Finding {
    Finding {
        rule: "dms.mappings",
        message: format!("{task}'s table mappings: {problem}"),
        resources: vec![task.to_string()],
    }
}

/// What DMS would refuse in a table-mapping document, or what would copy nothing.
fn problems(json: &str) -> Vec<String> {
    let document: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON ({e})")],
    };
    let Some(rules) = document.get("rules").and_then(Value::as_array) else {
        return vec!["no `rules` list".into()];
    };
    let mut out = Vec::new();
    let (mut ids, mut names) = (BTreeSet::new(), BTreeSet::new());
    let mut selections = 0;
    let mut includes = 0;
    for rule in rules {
        let field = |key: &str| rule.get(key).and_then(Value::as_str).unwrap_or("");
        let id = field("rule-id");
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            out.push(format!("rule id `{id}` is not a number"));
        } else if !ids.insert(id.to_string()) {
            out.push(format!("rule id {id} is used twice"));
        }
        let name = field("rule-name");
        if name.is_empty() {
            out.push(format!("rule {id} has no name"));
        } else if !names.insert(name.to_string()) {
            out.push(format!("rule name `{name}` is used twice"));
        }
        if field("rule-type") != "selection" {
            continue;
        }
        selections += 1;
        let action = field("rule-action");
        match action {
            "include" | "explicit" => includes += 1,
            "exclude" => {}
            other => out.push(format!(
                "rule {id}'s action `{other}` is not include, exclude or explicit"
            )),
        }
        let locator = |key: &str| {
            rule.get("object-locator")
                .and_then(|l| l.get(key))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        for key in ["schema-name", "table-name"] {
            if locator(key).is_empty() {
                out.push(format!("rule {id}'s object locator has no {key}"));
            }
        }
    }
    if selections == 0 {
        out.push("no selection rule".into());
    } else if includes == 0 {
        out.push("no rule includes a table: the task copies nothing".into());
    }
    out
}

/// `dms.gated`: a gate (a CALCULATED Route 53 health check) that holds traffic back on the lag
/// of one task of a DMS replication instance holds it back on the lag of every task that
/// instance runs. With several databases (`dbname = [...]`) a replication runs one task per
/// database; a gate on the first alone would let the cutover proceed while another lags.
/// Lag is a task's `CDCLatencySource` and `CDCLatencyTarget` (DMS user guide, "Replication
/// task metrics": https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Monitoring.html).
pub(super) fn gated(input: &Input, out: &mut Vec<Finding>) {
    let root = &input.root;
    // Each task's instance; each lag alarm's (task, metric); each alarm's health check.
    let mut instance_tasks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for task in root.each("aws_dms_replication_task") {
        if let Some(instance) = task.one_ref("replication_instance_arn") {
            instance_tasks
                .entry(instance)
                .or_default()
                .push(task.address().to_string());
        }
    }
    let mut alarm_lag: BTreeMap<String, (String, String)> = BTreeMap::new();
    for alarm in root.each("aws_cloudwatch_metric_alarm") {
        let metric = alarm.text("metric_name").unwrap_or_default();
        if !matches!(metric.as_ref(), "CDCLatencySource" | "CDCLatencyTarget") {
            continue;
        }
        let Some(task) = alarm
            .get("dimensions")
            .and_then(|d| d.get("ReplicationTaskIdentifier"))
            .and_then(|v| v.as_str())
            .and_then(|text| watched_task(root, &text))
        else {
            continue;
        };
        alarm_lag.insert(alarm.address().to_string(), (task, metric.to_string()));
    }
    let mut check_lag: BTreeMap<String, (String, String)> = BTreeMap::new();
    for check in root.each("aws_route53_health_check") {
        let alarm = check.one_ref("cloudwatch_alarm_name");
        if let Some(lag) = alarm.and_then(|a| alarm_lag.get(&a)) {
            check_lag.insert(check.address().to_string(), lag.clone());
        }
    }
    for gate in root.each("aws_route53_health_check") {
        if gate.text("type").as_deref() != Some("CALCULATED") {
            continue;
        }
        let watched: BTreeSet<(String, String)> = gate
            .refs("child_healthchecks")
            .iter()
            .filter_map(|c| check_lag.get(c).cloned())
            .collect();
        let gated_tasks: BTreeSet<&String> = watched.iter().map(|(t, _)| t).collect();
        for tasks in instance_tasks.values() {
            if !tasks.iter().any(|t| gated_tasks.contains(t)) {
                continue;
            }
            for task in tasks {
                for metric in ["CDCLatencySource", "CDCLatencyTarget"] {
                    if !watched.contains(&(task.clone(), metric.to_string())) {
                        out.push(Finding {
                            rule: "dms.gated",
                            message: format!(
                                "{}'s gate watches the lag of a task of the instance that runs {task}, but not {task}'s {metric}: the cutover could proceed while {task} lags",
                                gate.address()
                            ),
                            resources: vec![gate.address().to_string(), task.clone()],
                        });
                    }
                }
            }
        }
    }
}

/// The task a `ReplicationTaskIdentifier` dimension names: `${local.X}` whose value reads
/// `aws_dms_replication_task.T`'s ARN, or a direct reference to the task.
fn watched_task(root: &Root, text: &str) -> Option<String> {
    let expression = match text
        .strip_prefix("${local.")
        .and_then(|l| l.strip_suffix('}'))
    {
        Some(local) => root.local(local)?,
        None => text,
    };
    text_refs(expression)
        .into_iter()
        .find(|r| r.starts_with("aws_dms_replication_task."))
}
