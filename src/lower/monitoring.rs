//! Monitoring: one CloudWatch dashboard per `dashboard` block, named after the stack and the
//! block (`payment-migration-prod-migration`, so two dashboards never share a name), whose
//! widgets follow from what the stack contains — per cutover its gate's lag (and load balancer) metrics with the
//! thresholds drawn in (or, without a gate, its requests to AWS), load balancer latency and
//! requests per exposed service, CPU and connections per database (and what its engine adds),
//! CDC latency per replication, and CPU per Auto Scaling group — plus a CPU alarm per service.

use super::json::{Json, json};
use super::{Root, attr, row_tag};
use crate::derived::enumerate::WIDGETS_PER_DASHBOARD;
use crate::derived::table::{dashboard as board, database, replication, service as svc};
use crate::model::{ServiceCondition, ServiceMetric, Stack};

/// One panel: a title, its metrics, and horizontal lines (a gate's thresholds).
struct Panel {
    title: String,
    metrics: Vec<Json>,
    lines: Vec<Json>,
}

fn widget(panel: Panel, region: &str, index: usize) -> Json {
    let mut properties = json!({ "title": panel.title, "region": region.to_string(), "metrics": panel.metrics, "period": 60, "stat": "Average", "view": "timeSeries" });
    if !panel.lines.is_empty() {
        properties.insert("annotations", json!({ "horizontal": panel.lines }));
    }
    json!({
        "type": "metric",
        "x": (index % 2) * 12,
        "y": (index / 2) * 6,
        "width": 12,
        "height": 6,
        "properties": properties
    })
}

/// The CDC latency metrics of a replication: of each of its tasks (one per database of its
/// target, `Stack::replication_tasks`).
fn lag_metrics(stack: &Stack, replication: &crate::model::Name) -> Vec<Json> {
    let instance = attr(
        &replication::INSTANCE.at(replication, &[]),
        "replication_instance_id",
    );
    stack
        .replication_tasks(replication)
        .into_iter()
        .flat_map(|(task, _)| {
            let task = super::health::task_resource_id(&task);
            let instance = instance.clone();
            ["CDCLatencySource", "CDCLatencyTarget"]
                .map(|m| json!(["AWS/DMS", m, "ReplicationInstanceIdentifier", instance.clone(), "ReplicationTaskIdentifier", task.clone(), { "stat": "Maximum" }]))
        })
        .collect()
}

/// The load balancer metrics a service condition of a gate watches, with its alarms' statistic.
fn service_gate_metrics(condition: &ServiceCondition) -> Vec<Json> {
    let lb = attr(
        &svc::LOAD_BALANCER.at(condition.service.name(), &[]),
        "arn_suffix",
    );
    condition
        .metric
        .alarms()
        .iter()
        .map(|a| json!(["AWS/ApplicationELB", a.metric, "LoadBalancer", lb.clone(), { "stat": a.statistic }]))
        .collect()
}

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    for service in &stack.services {
        let name = &service.name;
        root.resource(
            &svc::CPU_ALARM.at(name, &[]),
            json!({
                "alarm_name": root.aws(&svc::CPU_ALARM, "alarm_name", name, &[]),
                "alarm_description": super::health::alarm_description(&format!("Service {} has run above 80% CPU for 10 minutes even after scaling.", service.name)),
                "namespace": "AWS/EC2",
                "metric_name": "CPUUtilization",
                "dimensions": { "AutoScalingGroupName": attr(&svc::GROUP_OF_INSTANCES.at(name, &[]), "name") },
                "statistic": "Average",
                "period": 300,
                "evaluation_periods": 2,
                "threshold": 80,
                "comparison_operator": "GreaterThanThreshold",
                "treat_missing_data": "missing",
                "tags": row_tag(root, &svc::CPU_ALARM, name, &[]),
            }),
            service.origin,
        );
    }
    for dashboard in &stack.dashboards {
        let mut panels: Vec<Panel> = Vec::new();
        for cutover in &stack.cutovers {
            let service = &stack[&cutover.service];
            match &cutover.gate {
                Some(gate) => panels.push(Panel {
                    title: format!("cutover {} ({}): gate {}", cutover.name, cutover.record, gate.describe()),
                    metrics: gate
                        .conditions
                        .iter()
                        .flat_map(|c| lag_metrics(stack, c.replication.name()))
                        .chain(gate.service.iter().flat_map(service_gate_metrics))
                        .collect(),
                    lines: gate
                        .conditions
                        .iter()
                        .map(|c| json!({ "label": c.describe(), "value": c.threshold.0 }))
                        .chain(gate.service.iter().map(|c| {
                            let value = match c.metric {
                                ServiceMetric::Errors { per_minute } => {
                                    Json::Int(i64::try_from(per_minute).unwrap_or(i64::MAX))
                                }
                                ServiceMetric::Latency { millis } => Json::Thousandths(millis),
                            };
                            json!({ "label": c.describe(), "value": value })
                        }))
                        .collect(),
                }),
                None if service.exposure.is_some() => panels.push(Panel {
                    title: format!("cutover {} ({}): no gate; requests to AWS", cutover.name, cutover.record),
                    metrics: vec![json!(["AWS/ApplicationELB", "RequestCount", "LoadBalancer", attr(&svc::LOAD_BALANCER.at(&service.name, &[]), "arn_suffix"), { "stat": "Sum" }])],
                    lines: Vec::new(),
                }),
                None => {}
            }
        }
        let mut add = |title: String, metrics: Vec<Json>| {
            panels.push(Panel {
                title,
                metrics,
                lines: Vec::new(),
            })
        };
        for service in stack.services.iter().filter(|s| s.exposure.is_some()) {
            let lb = attr(&svc::LOAD_BALANCER.at(&service.name, &[]), "arn_suffix");
            add(
                format!("{}: response time", service.name),
                vec![json!([
                    "AWS/ApplicationELB",
                    "TargetResponseTime",
                    "LoadBalancer",
                    lb.clone()
                ])],
            );
            add(
                format!("{}: requests", service.name),
                vec![
                    json!(["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { "stat": "Sum" }]),
                ],
            );
        }
        for db in &stack.databases {
            let cluster = attr(&database::CLUSTER.at(&db.name, &[]), "cluster_identifier");
            add(
                format!("{}: CPU and connections", db.name),
                vec![
                    json!([
                        "AWS/RDS",
                        "CPUUtilization",
                        "DBClusterIdentifier",
                        cluster.clone()
                    ]),
                    json!(["AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", cluster.clone(), { "yAxis": "right" }]),
                ],
            );
            // What only this engine has to watch (PostgreSQL: transaction ID wraparound).
            for (metric, what) in db.profile().dashboard_metrics {
                add(
                    format!("{}: {what}", db.name),
                    vec![json!([
                        "AWS/RDS",
                        *metric,
                        "DBClusterIdentifier",
                        cluster.clone()
                    ])],
                );
            }
        }
        for replication in &stack.replications {
            add(
                format!(
                    "{}: replication lag (budget {}s)",
                    replication.name, replication.max_lag.0
                ),
                lag_metrics(stack, &replication.name),
            );
        }
        for service in &stack.services {
            add(
                format!("{}: instance CPU", service.name),
                vec![json!([
                    "AWS/EC2",
                    "CPUUtilization",
                    "AutoScalingGroupName",
                    attr(&svc::GROUP_OF_INSTANCES.at(&service.name, &[]), "name")
                ])],
            );
        }
        // CloudWatch takes at most 500 widgets on a dashboard: the rest go on further pages,
        // `NAME_2` (`<stack>-2` in AWS) and on, so the first page keeps its address and name
        // as a stack grows past one page.
        let mut pages: Vec<Vec<Json>> = Vec::new();
        let mut page = Vec::new();
        for panel in panels {
            if page.len() == WIDGETS_PER_DASHBOARD {
                pages.push(std::mem::take(&mut page));
            }
            let index = page.len();
            page.push(widget(panel, &stack.region, index));
        }
        pages.push(page);
        for (i, widgets) in pages.into_iter().enumerate() {
            let page = (i + 1).to_string();
            let (row, params) = match i {
                0 => (&board::DASHBOARD, Vec::new()),
                _ => (&board::PAGE, vec![page.as_str()]),
            };
            let body = json!({ "widgets": widgets });
            root.resource(
                &row.at(&dashboard.name, &params),
                json!({ "dashboard_name": root.aws(row, "dashboard_name", &dashboard.name, &params), "dashboard_body": body.compact() }),
                dashboard.origin,
            );
        }
    }
}
