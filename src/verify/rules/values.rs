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
    zones(input, out);
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
