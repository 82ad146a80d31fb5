//! What else takes the AWS side of a cutover out of rotation, besides replication lag: the
//! application's own health, as Route 53 sees it (an HTTPS health check of the service's health
//! path through its load balancer), and the data's consistency, as DMS validation sees it
//! (CloudWatch alarms on rows that failed validation and on validation suspended, bound to
//! Route 53 health checks). `cutover` joins them into the calculated health check of the AWS
//! record, so a failing application or inconsistent data sends traffic back to the data centre
//! by itself.

use super::expr::Expr;
use super::json::json;
use super::{Root, attr, row_tag};
use crate::derived::Row;
use crate::derived::table::{cutover as row, data_cutover, replication as repl, service};
use crate::model::{Cutover, DataCutover, Id, Name, Origin, Replication, Stack};

/// An HTTPS health check of the cutover's service, on its health path through its load
/// balancer (three failures in a row, every 30 seconds, make it unhealthy); returns its id.
pub(super) fn application(root: &mut Root, stack: &Stack, cutover: &Cutover) -> Expr {
    let name = &cutover.name;
    let target = &stack[&cutover.service];
    let check = row::APP_CHECK.at(name, &[]);
    root.resource(
        &check,
        json!({
            "type": "HTTPS",
            "fqdn": attr(&service::LOAD_BALANCER.at(&target.name, &[]), "dns_name"),
            "port": 443,
            "resource_path": target.health_path.clone(),
            "request_interval": 30,
            "failure_threshold": 3,
            "enable_sni": true,
            "tags": row_tag(root, &row::APP_CHECK, name, &[]),
        }),
        cutover.origin,
    );
    attr(&check, "id")
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
pub(super) fn consistency(root: &mut Root, stack: &Stack, replication: &Id<Replication>) {
    let origin = stack[replication].origin;
    let gates = stack.gated_cutovers(|g| g.covers(replication.name()));
    // One pair per task: each database of the replication is validated by its own task.
    let several = stack.replication_tasks(replication.name()).len() > 1;
    for ((task, database), (side, metric, what)) in stack
        .replication_tasks(replication.name())
        .into_iter()
        .flat_map(|t| VALIDATION.map(|v| (t.clone(), v)))
    {
        let params = [side];
        let which = match (&database, several) {
            (Some(d), true) => format!("replication {replication} (database {d})"),
            _ => format!("replication {replication}"),
        };
        dms_alarm(
            root,
            stack,
            DmsAlarm {
                alarm: &repl::VALIDATION_ALARM,
                check: &repl::VALIDATION_CHECK,
                params: &params,
                description: format!(
                    "Consistency gate of {} {}: in {which}, {what}; Route 53 stops sending traffic to AWS while this alarm fires.",
                    if gates.len() == 1 {
                        "cutover"
                    } else {
                        "cutovers"
                    },
                    gates.join(", ")
                ),
                metric,
                replication: &task,
                instance: replication.name(),
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
pub(super) fn consistency_checks(stack: &Stack, replication: &Id<Replication>) -> Vec<Expr> {
    stack
        .replication_tasks(replication.name())
        .into_iter()
        .flat_map(|(task, _)| {
            VALIDATION.map(|(side, _, _)| attr(&repl::VALIDATION_CHECK.at(&task, &[side]), "id"))
        })
        .collect()
}

/// A CloudWatch alarm on one of a DMS task's metrics and the Route 53 health check bound to it
/// (unhealthy while the alarm fires, and while it has no data).
pub(super) struct DmsAlarm<'a> {
    /// The alarm's and the health check's rows, and their parameters.
    pub alarm: &'static Row,
    pub check: &'static Row,
    pub params: &'a [&'a str],
    pub description: String,
    pub metric: &'static str,
    /// The task (a replication's, or a data cutover's fallback's: `model::task_block`) whose
    /// metric it watches; it names the alarm.
    pub replication: &'a Name,
    /// The block whose replication instance runs that task.
    pub instance: &'a Name,
    pub threshold: u64,
    pub comparison: &'static str,
    pub missing: &'static str,
}

/// Adds the alarm and its health check; returns the health check's id.
pub(super) fn dms_alarm(root: &mut Root, stack: &Stack, a: DmsAlarm, origin: Origin) -> Expr {
    let r = a.replication;
    let alarm = self::alarm(root, &a, origin);
    let check = a.check.at(r, a.params);
    root.resource(
        &check,
        json!({
            "type": "CLOUDWATCH_METRIC",
            "cloudwatch_alarm_name": attr(&alarm, "alarm_name"),
            "cloudwatch_alarm_region": stack.region.clone(),
            "insufficient_data_health_status": "Unhealthy",
            "tags": row_tag(root, a.check, r, a.params),
        }),
        origin,
    );
    attr(&check, "id")
}

/// The CloudWatch alarm alone; returns its address.
fn alarm(root: &mut Root, a: &DmsAlarm, origin: Origin) -> crate::derived::Address {
    let r = a.replication;
    let alarm = a.alarm.at(r, a.params);
    root.resource(
        &alarm,
        json!({
            "alarm_name": root.aws(a.alarm, "alarm_name", r, a.params),
            "alarm_description": alarm_description(&a.description),
            "namespace": "AWS/DMS",
            "metric_name": a.metric,
            "dimensions": {
                "ReplicationInstanceIdentifier": attr(&repl::INSTANCE.at(a.instance, &[]), "replication_instance_id"),
                "ReplicationTaskIdentifier": task_resource_id(r),
            },
            "statistic": "Maximum",
            "period": 60,
            "evaluation_periods": 1,
            "threshold": a.threshold,
            "comparison_operator": a.comparison,
            "treat_missing_data": a.missing,
            "tags": row_tag(root, a.alarm, r, a.params),
        }),
        origin,
    );
    alarm
}

/// A reference to the DMS task's resource id (the last part of its ARN), which CloudWatch
/// uses as the `ReplicationTaskIdentifier` dimension (of a replication's task, or of a data
/// cutover's fallback).
pub(super) fn task_resource_id(block: &Name) -> Expr {
    attr(&repl::TASK_RESOURCE_ID.at(block, &[]), "")
}

/// The fallback's gate: alarms on its lag (source and target side, at the data cutover's
/// `max_lag`) and on its validation, like the forward path's but bound to no Route 53 record
/// (the fallback holds back the data rollback, which the runbook's verify step refuses while
/// any of them fires). While the fallback is stopped (before the data cutover) its metrics
/// are missing: not breaching, or they would fire for months.
pub(super) fn fallback_alarms(
    root: &mut Root,
    data_cutover: &DataCutover,
    task: &Name,
    database: Option<&str>,
) {
    let origin = data_cutover.origin;
    let threshold = data_cutover.fallback.max_lag.0;
    let what = match database {
        None => format!(
            "Fallback of data cutover {} (Aurora to the data centre)",
            data_cutover.name
        ),
        Some(database) => format!(
            "Fallback of data cutover {} (Aurora to the data centre) of database {database}",
            data_cutover.name
        ),
    };
    let alarms = [
        (
            "lag_source",
            "CDCLatencySource",
            threshold,
            "GreaterThanOrEqualToThreshold",
            format!(
                "{what} is {threshold}s or more behind on the source side; a data rollback waits until this alarm is OK."
            ),
        ),
        (
            "lag_target",
            "CDCLatencyTarget",
            threshold,
            "GreaterThanOrEqualToThreshold",
            format!(
                "{what} is {threshold}s or more behind on the target side; a data rollback waits until this alarm is OK."
            ),
        ),
        (
            "validation_failed",
            "ValidationFailedOverallCount",
            0,
            "GreaterThanThreshold",
            format!(
                "{what}: rows failed validation (they differ between Aurora and the data centre); a data rollback waits until this alarm is OK."
            ),
        ),
        (
            "validation_suspended",
            "ValidationSuspendedOverallCount",
            0,
            "GreaterThanThreshold",
            format!(
                "{what}: validation is suspended for some rows; a data rollback waits until this alarm is OK."
            ),
        ),
    ];
    for (which, metric, threshold, comparison, description) in alarms {
        let kebab = which.replace('_', "-");
        let params = [which, kebab.as_str()];
        alarm(
            root,
            &DmsAlarm {
                alarm: &data_cutover::FALLBACK_ALARM,
                check: &data_cutover::FALLBACK_ALARM,
                params: &params,
                description,
                metric,
                replication: task,
                instance: &data_cutover.name,
                threshold,
                comparison,
                missing: "notBreaching",
            },
            origin,
        );
    }
}

/// The longest alarm description CloudWatch takes (`PutMetricAlarm`, `AlarmDescription`:
/// "Length Constraints: Minimum length of 0. Maximum length of 1024").
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
pub(super) const ALARM_DESCRIPTION_MAX: usize = 1024;

/// A description cut to what CloudWatch takes (ending in `...` when cut): it names every
/// cutover a gate holds back, and a stack may have many.
pub(super) fn alarm_description(text: &str) -> String {
    if text.chars().count() <= ALARM_DESCRIPTION_MAX {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(ALARM_DESCRIPTION_MAX - 3).collect();
    cut.push_str("...");
    cut
}
