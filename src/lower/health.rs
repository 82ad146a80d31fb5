//! What else takes the AWS side of a cutover out of rotation, besides replication lag: the
//! application's own health, as Route 53 sees it (an HTTPS health check of the service's health
//! path through its load balancer), and the data's consistency, as DMS validation sees it
//! (CloudWatch alarms on rows that failed validation and on validation suspended, bound to
//! Route 53 health checks). `cutover` joins them into the calculated health check of the AWS
//! record, so a failing application or inconsistent data sends traffic back to the data centre
//! by itself.

use super::expr::Expr;
use super::json::json;
use super::{Root, attr, name_tag, stack_name};
use crate::model::{
    Cutover, DataCutover, Id, Origin, Replication, Stack, app_check_suffix,
    consistency_alarm_suffixes, fallback_alarm_suffixes,
};

/// An HTTPS health check of the cutover's service, on its health path through its load
/// balancer (three failures in a row, every 30 seconds, make it unhealthy); returns its id.
pub fn application(root: &mut Root, stack: &Stack, cutover: &Cutover) -> Expr {
    let c = cutover.name.address();
    let service = &stack[&cutover.service];
    let check = format!("{c}_app");
    root.resource(
        "aws_route53_health_check",
        &check,
        json!({
            "type": "HTTPS",
            "fqdn": attr("aws_lb", &service.name.address(), "dns_name"),
            "port": 443,
            "resource_path": service.health_path.clone(),
            "request_interval": 30,
            "failure_threshold": 3,
            "enable_sni": true,
            "tags": name_tag(stack_name(&app_check_suffix(&cutover.name))),
        }),
        cutover.origin,
    );
    attr("aws_route53_health_check", &check, "id")
}

/// The two kinds of rows DMS validation can report on, as (resource suffix, metric, words).
const VALIDATION: [(&str, &str, &str); 2] = [
    (
        "failed",
        "ValidationFailedOverallCount",
        "rows failed validation (they differ between the data centre and AWS)",
    ),
    (
        "suspended",
        "ValidationSuspendedOverallCount",
        "validation is suspended for some rows (they are not being compared)",
    ),
];

/// The consistency gate of a replication some gate watches: alarms on its DMS validation, each
/// bound to a Route 53 health check (made once per replication, however many gates watch it).
pub fn consistency(root: &mut Root, stack: &Stack, replication: &Id<Replication>) {
    let r = replication.address();
    let origin = stack[replication].origin;
    let gates = stack.gated_cutovers(|g| g.covers(replication.name()));
    let suffixes = consistency_alarm_suffixes(replication.name());
    for ((side, metric, what), suffix) in VALIDATION.into_iter().zip(suffixes) {
        dms_alarm(
            root,
            stack,
            DmsAlarm {
                alarm: format!("{r}_validation_{side}"),
                check: format!("{r}_validation_{side}"),
                suffix,
                description: format!(
                    "Consistency gate of {} {}: in replication {replication}, {what}; Route 53 stops sending traffic to AWS while this alarm fires.",
                    if gates.len() == 1 {
                        "cutover"
                    } else {
                        "cutovers"
                    },
                    gates.join(", ")
                ),
                metric,
                replication: replication.name(),
                threshold: 0,
                comparison: "GreaterThanThreshold",
                // A task that reports nothing is already held back by the lag alarms, which
                // treat missing data as breaching; validation reports only once it runs.
                missing: "notBreaching",
            },
            origin,
        );
    }
}

/// The health checks of a replication's consistency gate (made by `consistency`).
pub fn consistency_checks(replication: &Id<Replication>) -> [Expr; 2] {
    let r = replication.address();
    VALIDATION.map(|(side, _, _)| {
        attr(
            "aws_route53_health_check",
            &format!("{r}_validation_{side}"),
            "id",
        )
    })
}

/// A CloudWatch alarm on one of a DMS task's metrics and the Route 53 health check bound to it
/// (unhealthy while the alarm fires, and while it has no data).
pub struct DmsAlarm<'a> {
    /// The alarm's and the health check's resource names.
    pub alarm: String,
    pub check: String,
    /// Both are named `<stack name>-SUFFIX` in AWS.
    pub suffix: String,
    pub description: String,
    pub metric: &'static str,
    /// The task (a replication, or a data cutover's fallback) whose metric it watches.
    pub replication: &'a crate::model::Name,
    pub threshold: u64,
    pub comparison: &'static str,
    pub missing: &'static str,
}

/// Adds the alarm and its health check; returns the health check's id.
pub fn dms_alarm(root: &mut Root, stack: &Stack, a: DmsAlarm, origin: Origin) -> Expr {
    let check = a.check.clone();
    let suffix = a.suffix.clone();
    alarm(root, &a, origin);
    root.resource(
        "aws_route53_health_check",
        &check,
        json!({
            "type": "CLOUDWATCH_METRIC",
            "cloudwatch_alarm_name": attr("aws_cloudwatch_metric_alarm", &a.alarm, "alarm_name"),
            "cloudwatch_alarm_region": stack.region.clone(),
            "insufficient_data_health_status": "Unhealthy",
            "tags": name_tag(stack_name(&suffix)),
        }),
        origin,
    );
    attr("aws_route53_health_check", &check, "id")
}

/// The CloudWatch alarm alone.
fn alarm(root: &mut Root, a: &DmsAlarm, origin: Origin) {
    let r = a.replication.address();
    root.resource(
        "aws_cloudwatch_metric_alarm",
        &a.alarm,
        json!({
            "alarm_name": stack_name(&a.suffix),
            "alarm_description": a.description.clone(),
            "namespace": "AWS/DMS",
            "metric_name": a.metric,
            "dimensions": {
                "ReplicationInstanceIdentifier": attr("aws_dms_replication_instance", &r, "replication_instance_id"),
                "ReplicationTaskIdentifier": super::replication::task_resource_id(a.replication),
            },
            "statistic": "Maximum",
            "period": 60,
            "evaluation_periods": 1,
            "threshold": a.threshold,
            "comparison_operator": a.comparison,
            "treat_missing_data": a.missing,
            "tags": name_tag(stack_name(&a.suffix)),
        }),
        origin,
    );
}

/// The fallback's gate: alarms on its lag (source and target side, at the data cutover's
/// `max_lag`) and on its validation, like the forward path's but bound to no Route 53 record
/// (the fallback holds back the data rollback, which the runbook's verify step refuses while
/// any of them fires). While the fallback is stopped (before the data cutover) its metrics
/// are missing: not breaching, or they would fire for months.
pub fn fallback_alarms(root: &mut Root, data_cutover: &DataCutover) {
    let f = data_cutover.name.address();
    let origin = data_cutover.origin;
    let [lag_source, lag_target, failed, suspended] = fallback_alarm_suffixes(&data_cutover.name);
    let threshold = data_cutover.fallback.max_lag.0;
    let what = format!(
        "Fallback of data cutover {} (Aurora to the data centre)",
        data_cutover.name
    );
    let alarms = [
        (
            "lag_source",
            lag_source,
            "CDCLatencySource",
            threshold,
            "GreaterThanOrEqualToThreshold",
            format!(
                "{what} is {threshold}s or more behind on the source side; a data rollback waits until this alarm is OK."
            ),
        ),
        (
            "lag_target",
            lag_target,
            "CDCLatencyTarget",
            threshold,
            "GreaterThanOrEqualToThreshold",
            format!(
                "{what} is {threshold}s or more behind on the target side; a data rollback waits until this alarm is OK."
            ),
        ),
        (
            "validation_failed",
            failed,
            "ValidationFailedOverallCount",
            0,
            "GreaterThanThreshold",
            format!(
                "{what}: rows failed validation (they differ between Aurora and the data centre); a data rollback waits until this alarm is OK."
            ),
        ),
        (
            "validation_suspended",
            suspended,
            "ValidationSuspendedOverallCount",
            0,
            "GreaterThanThreshold",
            format!(
                "{what}: validation is suspended for some rows; a data rollback waits until this alarm is OK."
            ),
        ),
    ];
    for (name, suffix, metric, threshold, comparison, description) in alarms {
        alarm(
            root,
            &DmsAlarm {
                alarm: format!("{f}_{name}"),
                check: String::new(),
                suffix,
                description,
                metric,
                replication: &data_cutover.name,
                threshold,
                comparison,
                missing: "notBreaching",
            },
            origin,
        );
    }
}
