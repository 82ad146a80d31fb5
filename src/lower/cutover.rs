//! Cutovers: two weighted CNAME records on the cutover's name — the legacy host at
//! `100 - weight`, the service's load balancer at `weight` — driven by the weight input.
//! A gate compiles into Terraform, not prose: CloudWatch alarms on the replication's
//! CDCLatencySource and CDCLatencyTarget at the gate's threshold, Route 53 health checks bound
//! to them and combined, attached to the AWS record (so Route 53 stops sending traffic to AWS
//! by itself while replication is behind, and, with `health`, while the application fails or
//! DMS validation finds differences), a precondition that refuses any weight that is not a
//! declared phase, and a `check` block that warns when the DMS task is not running.

use super::expr::Expr;
use super::health::DmsAlarm;
use super::json::json;
use super::{Root, attr, name_tag};
use crate::model::{Cutover, Gate, Stack, lag_alarm_suffixes};

/// `contains([0, 10, 25, 50, 75, 100], WEIGHT)`: whether a weight is one of the cutover's
/// phases — the one expression both the variable's validation and the record's precondition
/// use (the checker's rule is `Cutover::is_phase`, the same list).
pub fn in_phases(cutover: &Cutover, weight: Expr) -> Expr {
    let phases = cutover.phases.iter().map(|p| Expr::int(i64::from(p.get())));
    Expr::call("contains", [Expr::list(phases), weight])
}

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

    /// The same as a Terraform expression of the weight variable.
    fn expr(self, weight: Expr) -> Expr {
        match self {
            Side::Aws => weight,
            Side::Legacy => Expr::int(100).op("-", weight),
        }
    }
}

pub fn lower(root: &mut Root, stack: &Stack) {
    for cutover in &stack.cutovers {
        lower_cutover(root, stack, cutover);
    }
}

fn lower_cutover(root: &mut Root, stack: &Stack, cutover: &Cutover) {
    let c = cutover.name.address();
    let origin = cutover.origin;
    let weight = Expr::var(cutover.weight_input.as_str());
    root.data(
        "aws_route53_zone",
        &c,
        json!({ "name": cutover.zone.clone(), "private_zone": false }),
        origin,
    );
    let zone_id = Expr::data("aws_route53_zone", &c, "zone_id");
    let legacy = format!("{c}_legacy");
    root.reads_weight(&legacy, &cutover.name, Side::Legacy);
    root.resource(
        "aws_route53_record",
        &legacy,
        json!({
            "zone_id": zone_id.clone(),
            "name": cutover.record.clone(),
            "type": "CNAME",
            "ttl": cutover.ttl,
            "records": [cutover.legacy_host.clone()],
            "set_identifier": "legacy",
            "weighted_routing_policy": { "weight": Side::Legacy.expr(weight.clone()) },
        }),
        origin,
    );
    let mut aws = json!({
        "zone_id": zone_id,
        "name": cutover.record.clone(),
        "type": "CNAME",
        "ttl": cutover.ttl,
        "records": [attr("aws_lb", &cutover.service.address(), "dns_name")],
        "set_identifier": "aws",
        "weighted_routing_policy": { "weight": Side::Aws.expr(weight.clone()) },
        "lifecycle": {
            "precondition": [{
                "condition": in_phases(cutover, weight),
                "error_message": format!(
                    "The traffic weight of cutover {} must be one of its declared phases ({}); apply a file from phases/ instead of typing a number.",
                    cutover.name,
                    cutover.phase_list(),
                ),
            }]
        },
    });
    if let Some(gate) = &cutover.gate {
        let health_check = lower_gate(root, stack, cutover, gate);
        aws.insert("health_check_id", json!(health_check));
    } else {
        // No gate: the application's own health still takes AWS out of rotation.
        let health_check = super::health::application(root, stack, cutover);
        aws.insert("health_check_id", json!(health_check));
    }
    let record = format!("{c}_aws");
    root.reads_weight(&record, &cutover.name, Side::Aws);
    root.resource("aws_route53_record", &record, aws, origin);
}

/// The gate's alarms, health checks and runtime check; returns the health check to attach.
fn lower_gate(root: &mut Root, stack: &Stack, cutover: &Cutover, gate: &Gate) -> Expr {
    let c = cutover.name.address();
    let r = gate.replication.address();
    let origin = cutover.origin;
    let suffixes = lag_alarm_suffixes(gate.replication.name());
    let mut children = Vec::new();
    for (side, (metric, suffix)) in ["source", "target"].into_iter().zip(
        ["CDCLatencySource", "CDCLatencyTarget"]
            .into_iter()
            .zip(suffixes),
    ) {
        children.push(super::health::dms_alarm(
            root,
            stack,
            DmsAlarm {
                alarm: format!("{r}_lag_{side}"),
                check: format!("{c}_lag_{side}"),
                suffix,
                description: format!(
                    "Gate of cutover {}: replication {} is more than {}s behind on the {side} side; Route 53 stops sending traffic to AWS while this alarm fires.",
                    cutover.name, gate.replication, gate.threshold.0
                ),
                metric,
                replication: &gate.replication,
                threshold: gate.threshold.0,
                comparison: "GreaterThanOrEqualToThreshold",
                missing: "breaching",
            },
            origin,
        ));
    }
    // The application's health and the data's consistency count like lag does.
    children.push(super::health::application(root, stack, cutover));
    children.extend(super::health::consistency(root, stack, cutover, gate));
    let gate_check = format!("{c}_gate");
    root.resource(
        "aws_route53_health_check",
        &gate_check,
        json!({
            "type": "CALCULATED",
            "child_health_threshold": children.len(),
            "child_healthchecks": children,
            "tags": name_tag(root.aws_name(&cutover.name, "gate")),
        }),
        origin,
    );
    // The task's status read by a data source scoped to the check: Terraform reads it on every
    // plan, and a failed read or assertion is a warning that never blocks the plan.
    let task = format!("{r}_task");
    root.top(
        "check",
        &format!("{c}_replication_running"),
        json!({
            "data": { "aws_dms_replication_task": { (task.clone()): {
                "replication_task_id": attr("aws_dms_replication_task", &r, "replication_task_id"),
            } } },
            "assert": [{
                "condition": Expr::data("aws_dms_replication_task", &task, "status").op("==", Expr::string("running")),
                "error_message": format!(
                    "Replication {} is not running: the gate of cutover {} keeps traffic on the data centre until it is.",
                    gate.replication, cutover.name
                ),
            }]
        }),
    );
    attr("aws_route53_health_check", &gate_check, "id")
}
