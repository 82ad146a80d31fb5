//! Cutovers: two weighted CNAME records on the cutover's name — the legacy host at
//! `100 - weight`, the service's load balancer at `weight` — with the weight this workspace
//! gives the cutover in the stack, written as a literal: a root has no weight variable, so
//! applying it moves each cutover exactly where the stack puts it and nowhere else.
//! A gate compiles into Terraform, not prose: for each distinct lag condition of the gates
//! (`orders.lag < 5s`), one pair of CloudWatch alarms on the replication's CDCLatencySource and
//! CDCLatencyTarget at that threshold, named after the condition, with a Route 53 health check
//! bound to each; each cutover's gate combines the health checks of its conditions into one
//! attached to its AWS record (so Route 53 stops sending traffic to AWS by itself while any of
//! its replications is behind). The same calculated health check also holds the application's
//! health (an HTTPS check of the service through its load balancer) and, per replication the
//! gate watches, the data's consistency (alarms on DMS validation; `health`): a failing
//! application or inconsistent data steps traffic back to the data centre by itself. A `check`
//! block per watched replication warns, through a check-scoped data source, when its DMS task
//! is not running. Only the workspace that manages a cutover (`Stack::manages`) writes any of
//! this.

use super::expr::Expr;
use super::health::DmsAlarm;
use super::json::json;
use super::{Root, attr, row_tag};
use crate::derived::table::{cutover as row, replication, service};
use crate::model::{Cutover, Gate, LagCondition, Stack};

/// Which record of a cutover a weight is written to, and what it is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The AWS record: the weight itself.
    Aws,
    /// The legacy record: `100 - weight` (`Percent::complement`).
    Legacy,
}

impl Side {
    /// The record's weight when the cutover's weight is `weight`.
    pub fn at(self, weight: crate::model::Percent) -> crate::model::Percent {
        match self {
            Side::Aws => weight,
            Side::Legacy => weight.complement(),
        }
    }
}

pub(crate) fn lower(root: &mut Root, stack: &Stack) {
    for condition in stack.gate_conditions() {
        lower_condition(root, stack, condition);
    }
    for replication in stack.gated_replications() {
        super::health::consistency(root, stack, replication);
    }
    super::service_gate::lower(root, stack);
    for cutover in stack.cutovers.iter().filter(|c| stack.manages(c)) {
        lower_cutover(root, stack, cutover);
    }
}

fn lower_cutover(root: &mut Root, stack: &Stack, cutover: &Cutover) {
    let name = &cutover.name;
    let origin = cutover.origin;
    let zone = row::ZONE.at(name, &[]);
    root.data(
        &zone,
        json!({ "name": cutover.zone.clone(), "private_zone": false }),
        origin,
    );
    let zone_id = attr(&zone, "zone_id");
    if stack.legacy_retired(cutover) {
        retired(root, cutover, zone_id);
        return;
    }
    let legacy = row::LEGACY_RECORD.at(name, &[]);
    root.reads_weight(&legacy, &cutover.name, Side::Legacy);
    root.resource(
        &legacy,
        json!({
            "zone_id": zone_id.clone(),
            "name": cutover.record.clone(),
            "type": "CNAME",
            "ttl": cutover.ttl,
            "records": [cutover.legacy_host.clone()],
            "set_identifier": "legacy",
            "weighted_routing_policy": { "weight": Side::Legacy.at(cutover.weight).get() },
        }),
        origin,
    );
    let mut aws = json!({
        "zone_id": zone_id,
        "name": cutover.record.clone(),
        "type": "CNAME",
        "ttl": cutover.ttl,
        "records": [attr(&service::LOAD_BALANCER.at(cutover.service.name(), &[]), "dns_name")],
        "set_identifier": "aws",
        "weighted_routing_policy": { "weight": Side::Aws.at(cutover.weight).get() },
    });
    if let Some(gate) = &cutover.gate {
        let health_check = lower_gate(root, stack, cutover, gate);
        aws.insert("health_check_id", json!(health_check));
    } else {
        // No gate: the application's own health still takes AWS out of rotation.
        let health_check = super::health::application(root, stack, cutover);
        aws.insert("health_check_id", json!(health_check));
    }
    let record = row::AWS_RECORD.at(name, &[]);
    root.reads_weight(&record, &cutover.name, Side::Aws);
    root.resource(&record, aws, origin);
}

/// After the data cutover of a database the cutover's service writes, the legacy
/// application must get no traffic at all (it writes the data centre's copy, now the
/// fallback's target): its record is gone, and so is the gate, whose only way to hold AWS back
/// was to send traffic to the legacy side. The AWS record stays, weighted at 100 (the checker
/// proves the cutover is there), so that a data rollback brings the legacy record back beside
/// it without replacing it.
fn retired(root: &mut Root, cutover: &Cutover, zone_id: Expr) {
    let record = row::AWS_RECORD.at(&cutover.name, &[]);
    root.reads_weight(&record, &cutover.name, Side::Aws);
    root.resource(
        &record,
        json!({
            "zone_id": zone_id,
            "name": cutover.record.clone(),
            "type": "CNAME",
            "ttl": cutover.ttl,
            "records": [attr(&service::LOAD_BALANCER.at(cutover.service.name(), &[]), "dns_name")],
            "set_identifier": "aws",
            "weighted_routing_policy": { "weight": Side::Aws.at(cutover.weight).get() },
        }),
        cutover.origin,
    );
}

/// One lag condition: its two alarms (source and target side) and a Route 53 health check
/// bound to each, named after the condition (`orders_lag_under_5s_source`).
fn lower_condition(root: &mut Root, stack: &Stack, condition: &LagCondition) {
    let origin = stack[&condition.replication].origin;
    let gates = stack.gated_cutovers(|g| g.conditions.contains(condition));
    let threshold = condition.threshold.0.to_string();
    // The condition holds for every task of the replication, one per database of its target:
    // a pair of alarms each, never only the first's.
    let tasks = stack.replication_tasks(condition.replication.name());
    let several = tasks.len() > 1;
    for ((task, database), (side, metric)) in tasks.into_iter().flat_map(|t| {
        [
            ("source", "CDCLatencySource"),
            ("target", "CDCLatencyTarget"),
        ]
        .map(|m| (t.clone(), m))
    }) {
        let params = [threshold.as_str(), side];
        let which = match (&database, several) {
            (Some(d), true) => format!("{} (database {d})", condition.replication),
            _ => condition.replication.to_string(),
        };
        super::health::dms_alarm(
            root,
            stack,
            DmsAlarm {
                alarm: &replication::LAG_ALARM,
                check: &replication::LAG_CHECK,
                params: &params,
                description: format!(
                    "Gate condition {} of cutover {}: replication {which} is {}s or more behind on the {side} side; Route 53 stops sending traffic to AWS while this alarm fires.",
                    condition.describe(),
                    gates.join(", "),
                    condition.threshold.0
                ),
                metric,
                replication: &task,
                instance: condition.replication.name(),
                threshold: condition.threshold.0,
                comparison: "GreaterThanOrEqualToThreshold",
                missing: "breaching",
            },
            origin,
        );
    }
}

/// The gate's combined health check and runtime check; returns the health check to attach.
fn lower_gate(root: &mut Root, stack: &Stack, cutover: &Cutover, gate: &Gate) -> Expr {
    let name = &cutover.name;
    let origin = cutover.origin;
    // A condition on a replication its data cutover stopped holds nothing back any more.
    let conditions: Vec<&LagCondition> = gate
        .conditions
        .iter()
        .filter(|c| stack.forward_runs(c.replication.name()))
        .collect();
    let mut children: Vec<Expr> = conditions
        .iter()
        .flat_map(|condition| {
            let threshold = condition.threshold.0.to_string();
            stack
                .replication_tasks(condition.replication.name())
                .into_iter()
                .flat_map(move |(task, _)| {
                    let threshold = threshold.clone();
                    ["source", "target"].map(|side| {
                        attr(&replication::LAG_CHECK.at(&task, &[&threshold, side]), "id")
                    })
                })
        })
        .collect();
    // The service's own errors and latency (`service_gate`), the application's health and
    // the data's consistency count like lag does.
    for condition in &gate.service {
        children.extend(super::service_gate::checks(stack, condition));
    }
    children.push(super::health::application(root, stack, cutover));
    for condition in &conditions {
        children.extend(super::health::consistency_checks(
            stack,
            &condition.replication,
        ));
    }
    let gate_check = row::GATE_CHECK.at(name, &[]);
    root.resource(
        &gate_check,
        json!({
            "type": "CALCULATED",
            "child_health_threshold": children.len(),
            "child_healthchecks": children,
            "tags": row_tag(root, &row::GATE_CHECK, name, &[]),
        }),
        origin,
    );
    // Each watched task's status, read by a data source scoped to its check (a check block
    // holds at most one): Terraform reads it on every plan, and a failed read or assertion is
    // a warning that never blocks the plan.
    for condition in &conditions {
        for (task_block, _) in stack.replication_tasks(condition.replication.name()) {
            let r = task_block.address();
            let which = if &task_block == condition.replication.name() {
                condition.replication.to_string()
            } else {
                format!("{} (task {task_block})", condition.replication)
            };
            let task = row::RUNNING_TASK.at(name, &[&r]);
            let replication_task = replication::TASK.at(&task_block, &[]);
            // The check-scoped data source is claimed like any other: it shares the data
            // sources' namespace.
            root.claim_nested(&task, origin);
            root.top(
                &row::RUNNING.at(name, &[&r]),
                json!({
                    "data": { (task.kind()): { (task.name().to_string()): {
                        "replication_task_id": attr(&replication_task, "replication_task_id"),
                    } } },
                    "assert": [{
                        "condition": attr(&task, "status").op("==", Expr::string("running")),
                        "error_message": format!(
                            "Replication {which} is not running: the gate of cutover {} keeps traffic on the data centre until it is.",
                            cutover.name
                        ),
                    }]
                }),
                origin,
            );
        }
    }
    attr(&gate_check, "id")
}
