//! `values`: arguments AWS refuses given what pmigc adds itself, and regional facts.

use super::super::root::Val;
use super::super::{Finding, Input};
use crate::aws::{rds, regions};

pub fn check(input: &Input, out: &mut Vec<Finding>) {
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
    for body in root.each("data.aws_availability_zones") {
        let zones = body.address();
        let by_name = body
            .get("filter")
            .and_then(Val::items)
            .into_iter()
            .flatten()
            .any(|f| f.get("name").and_then(Val::as_str).as_deref() == Some("zone-name"))
            || body.get("names").is_some();
        if by_name && regions::ZONES_BY_LETTER_ARE_PER_ACCOUNT {
            out.push(Finding {
                rule: "values",
                message: format!(
                    "{zones} picks zones by letter: letters are mapped per account, and an account may lack one (us-west-1 and ap-northeast-1 do), so the subnets may land in other zones or fail"
                ),
                resources: vec![zones.to_string()],
            });
        }
    }
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
