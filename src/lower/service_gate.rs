//! A gate's conditions on the cutover's own service (`api.errors < 10 per minute`,
//! `api.latency < 500ms`): for each distinct condition, CloudWatch alarms on the service's
//! load balancer (`AWS/ApplicationELB`, dimension `LoadBalancer`), each bound to a Route 53
//! health check of type CLOUDWATCH_METRIC that `cutover` joins into the gate's calculated
//! check, like a lag condition's.
//!
//! Route 53 binds a health check to an alarm on one standard-resolution metric with the
//! statistic Average, Minimum, Maximum, Sum or SampleCount ("Extended statistics aren't
//! supported": https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html),
//! and keeps of it one MetricName, Namespace, Statistic and Dimensions
//! (https://docs.aws.amazon.com/Route53/latest/APIReference/API_CloudWatchAlarmConfiguration.html):
//! no metric-math expression. So errors are counted (Sum over a minute), once per source of
//! 5XX — the targets' (`HTTPCode_Target_5XX_Count`) and the load balancer's own
//! (`HTTPCode_ELB_5XX_Count`), each alarm firing on its own at the threshold — and latency is
//! the average `TargetResponseTime` over a minute (in seconds).
//!
//! The dimension is the load balancer alone: the cutover's record sends every request to it,
//! whichever target group serves the path, so the gate measures what clients of the record get.
//! Missing data is not breaching: a load balancer publishes `HTTPCode_*_Count` only for periods
//! with such responses and `TargetResponseTime` only for periods with requests
//! (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html),
//! so no data means no errors (or no traffic), which must not take AWS out at 0 %. A load
//! balancer that answers nothing at all is what the gate's HTTPS health check of the service
//! (`health::application`, in the same calculated check) catches, so "absent for a real
//! reason" still trips the gate.

use super::expr::Expr;
use super::health::alarm_description;
use super::json::{Json, json};
use super::{Root, attr, row_tag};
use crate::derived::table::service as row;
use crate::model::{ServiceCondition, ServiceMetric, Stack};

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    for condition in stack.service_gate_conditions() {
        lower_condition(root, stack, condition);
    }
}

/// One service condition: its alarms and the health check bound to each.
fn lower_condition(root: &mut Root, stack: &Stack, condition: &ServiceCondition) {
    let service = &stack[&condition.service];
    let name = &service.name;
    let origin = service.origin;
    let gates = stack.gated_cutovers(|g| g.service.contains(condition));
    let threshold = match condition.metric {
        ServiceMetric::Errors { per_minute } => {
            Json::Int(i64::try_from(per_minute).unwrap_or(i64::MAX))
        }
        ServiceMetric::Latency { millis } => Json::Thousandths(millis),
    };
    for (part, alarm) in condition.alarm_parts() {
        let aws = part.replace('_', "-");
        let params = [part.as_str(), aws.as_str()];
        let at = row::GATE_ALARM.at(name, &params);
        let what = match condition.metric {
            ServiceMetric::Errors { per_minute } => format!(
                "service {name}'s load balancer counts {per_minute} or more {} in a minute",
                alarm.what
            ),
            ServiceMetric::Latency { millis } => format!(
                "{} at service {name}'s load balancer is {millis}ms or more",
                alarm.what
            ),
        };
        root.resource(
            &at,
            json!({
                "alarm_name": root.aws(&row::GATE_ALARM, "alarm_name", name, &params),
                "alarm_description": alarm_description(&format!(
                    "Gate condition {} of cutover {}: {what}; Route 53 stops sending traffic to AWS while this alarm fires.",
                    condition.describe(),
                    gates.join(", "),
                )),
                "namespace": "AWS/ApplicationELB",
                "metric_name": alarm.metric,
                "dimensions": { "LoadBalancer": attr(&row::LOAD_BALANCER.at(name, &[]), "arn_suffix") },
                "statistic": alarm.statistic,
                "period": 60,
                "evaluation_periods": 1,
                "threshold": threshold.clone(),
                "comparison_operator": "GreaterThanOrEqualToThreshold",
                "treat_missing_data": "notBreaching",
                "tags": row_tag(root, &row::GATE_ALARM, name, &params),
            }),
            origin,
        );
        let check = row::GATE_CHECK.at(name, &params);
        root.resource(
            &check,
            json!({
                "type": "CLOUDWATCH_METRIC",
                "cloudwatch_alarm_name": attr(&at, "alarm_name"),
                "cloudwatch_alarm_region": stack.region.clone(),
                // Only before the alarm's first evaluation: missing data is not breaching.
                "insufficient_data_health_status": "Unhealthy",
                "tags": row_tag(root, &row::GATE_CHECK, name, &params),
            }),
            origin,
        );
    }
}

/// The health checks of a service condition (made by `lower`), to join into a gate.
pub(super) fn checks(stack: &Stack, condition: &ServiceCondition) -> Vec<Expr> {
    let name = &stack[&condition.service].name;
    condition
        .alarm_parts()
        .into_iter()
        .map(|(part, _)| {
            let aws = part.replace('_', "-");
            attr(&row::GATE_CHECK.at(name, &[&part, &aws]), "id")
        })
        .collect()
}
