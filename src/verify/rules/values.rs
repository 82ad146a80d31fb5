//! `values`: arguments AWS refuses given what pmigc adds itself, and regional facts.

use super::super::root::Val;
use super::super::{Finding, Input};
use crate::aws::{rds, regions};

pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    let root = input.root;
    for body in root.each("aws_rds_cluster_instance") {
        let instance = body.address();
        let class = body.text("instance_class");
        let engine = body.text("engine").and_then(|e| {
            if e.contains("${") {
                let cluster = body.one_ref("engine")?;
                root.text(&cluster, "engine")
            } else {
                Some(e)
            }
        });
        if body
            .get("performance_insights_enabled")
            .and_then(Val::as_bool)
            == Some(true)
            && let (Some(class), Some(engine)) = (class, engine)
            && !rds::performance_insights(&engine, &class)
        {
            out.push(Finding {
                rule: "values",
                message: format!(
                    "{instance} enables Performance Insights on {class}, which {engine} does not support on that class"
                ),
                resources: vec![instance.to_string()],
            });
        }
        if let Some(interval) = body.get("monitoring_interval").and_then(Val::as_u64)
            && !rds::MONITORING_INTERVALS.contains(&interval)
        {
            out.push(Finding {
                rule: "values",
                message: format!(
                    "{instance}'s Enhanced Monitoring interval {interval} s is not one RDS offers (0, 1, 5, 10, 15, 30, 60)"
                ),
                resources: vec![instance.to_string()],
            });
        }
    }
    zones(input, out);
    alarm_checks(input, out);
    if !regions::elb_account_delivers(&root.region) {
        for account in root
            .each("data.aws_elb_service_account")
            .map(|b| b.address())
        {
            out.push(Finding {
                rule: "values",
                message: format!(
                    "{account} has no account in {}: load balancers there deliver logs as {}",
                    root.region,
                    regions::LOG_DELIVERY_PRINCIPAL
                ),
                resources: vec![account.to_string()],
            });
        }
    }
}

/// Zones by identity: a subnet names its zone by AZ ID, one of the region's; no zone by letter
/// (letters are mapped per account) and no zone taken from "the zones available now" (that set
/// changes when AWS adds a zone or one is impaired, and the subnets indexed into it would be
/// replaced): `crate::aws::regions`.
fn zones(input: &Input, out: &mut Vec<Finding>) {
    let root = input.root;
    let ids = regions::zone_ids(&root.region).unwrap_or_default();
    for body in root.each("aws_subnet") {
        let subnet = body.address();
        let message = match (
            body.text("availability_zone_id").as_deref(),
            body.get("availability_zone"),
        ) {
            (_, Some(_)) if regions::ZONES_BY_LETTER_ARE_PER_ACCOUNT => format!(
                "{subnet} names its zone by letter or by the zones available now: letters are mapped per account, an account may lack one (us-west-1 and ap-northeast-1 do), and the set of available zones changes, so the subnet may land elsewhere or be replaced"
            ),
            (Some(id), _) if !ids.contains(&id) => format!(
                "{subnet}'s zone {id} is not one of {}'s availability zones ({})",
                root.region,
                ids.join(", ")
            ),
            (None, _) => {
                format!("{subnet} names no zone: AWS picks one, and a tier's subnets may share it")
            }
            _ => continue,
        };
        out.push(Finding {
            rule: "values",
            message,
            resources: vec![subnet.to_string()],
        });
    }
}

/// The statistics a Route 53 health check takes from a CloudWatch alarm: "Average, Minimum,
/// Maximum, Sum, and SampleCount. Extended statistics aren't supported", and only
/// standard-resolution metrics
/// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html).
const ROUTE53_STATISTICS: [&str; 5] = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"];

/// Every health check bound to a CloudWatch alarm (a gate's) is bound to an alarm of this root,
/// in its region, on one metric (the check keeps one MetricName, Namespace and Statistic:
/// https://docs.aws.amazon.com/Route53/latest/APIReference/API_CloudWatchAlarmConfiguration.html)
/// with a statistic Route 53 supports over a standard-resolution period (60 s or more).
fn alarm_checks(input: &Input, out: &mut Vec<Finding>) {
    let root = input.root;
    for body in root.each("aws_route53_health_check") {
        if body.text("type").as_deref() != Some("CLOUDWATCH_METRIC") {
            continue;
        }
        let check = body.address();
        let mut finding = |problem: String, resources: Vec<String>| {
            out.push(Finding {
                rule: "values",
                message: format!(
                    "{check} {problem}: Route 53 would refuse it or never see it fire"
                ),
                resources,
            });
        };
        let Some(alarm) = body
            .one_ref("cloudwatch_alarm_name")
            .filter(|a| a.starts_with("aws_cloudwatch_metric_alarm."))
        else {
            finding(
                "names no CloudWatch alarm of this root".into(),
                vec![check.to_string()],
            );
            continue;
        };
        let Some(a) = root.get(&alarm) else {
            finding(
                format!("is bound to {alarm}, which this root does not hold"),
                vec![check.to_string()],
            );
            continue;
        };
        let both = vec![check.to_string(), alarm.clone()];
        if body.text("cloudwatch_alarm_region").as_deref() != Some(root.region.as_str()) {
            finding(
                format!(
                    "looks for its alarm outside the root's region {}",
                    root.region
                ),
                both.clone(),
            );
        }
        let statistic = a.text("statistic");
        if a.get("metric_query").is_some() {
            finding(format!("is bound to {alarm}, a metric-math alarm"), both);
        } else if a.get("extended_statistic").is_some()
            || !statistic.is_some_and(|s| ROUTE53_STATISTICS.contains(&s.as_ref()))
        {
            finding(
                format!(
                    "is bound to {alarm}, whose statistic is not Average, Minimum, Maximum, Sum or SampleCount"
                ),
                both,
            );
        } else if a.get("period").and_then(Val::as_u64).is_none_or(|p| p < 60) {
            finding(
                format!("is bound to {alarm}, whose period is under a minute (high resolution)"),
                both,
            );
        }
    }
}
