//! The secure-output rules of issue 17, checked on every workspace of the payment stack and of
//! every `tests/cases/ok/` stack (and on variants of them written here): every internet-facing
//! load balancer is behind the web ACL unless the stack waives it with a reason; the WAF logs go
//! to a KMS-encrypted `aws-waf-logs-` group; port 80 is open only with a redirect, and only then
//! carries the scan waiver; every record of a cutover carries a health check that includes the
//! application's; ephemeral secret values reach write-only arguments only; an internal load
//! balancer sits in private subnets and admits only private networks, each rule saying which.

use crate::common;

use serde_json::Value;
use std::path::Path;

/// Every stack the rules are checked on: the payment stack, each `ok/` case, and the payment
/// stack with `http = redirect`, `http = forward` and `waf = off because "..."`.
fn stacks() -> Vec<(String, String)> {
    let payment = include_str!("../../stacks/payment.pmig").to_string();
    let mut all = vec![("payment".to_string(), payment.clone())];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/ok");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
        .collect();
    cases.sort();
    for path in cases {
        all.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    let exposed = "  exposed  = https via main.public with pay\n";
    assert!(payment.contains(exposed));
    for (name, extra) in [
        ("payment+redirect", "  http     = redirect\n"),
        ("payment+forward", "  http     = forward\n"),
        (
            "payment+waf-off",
            "  waf      = off because \"filtered by the CDN's firewall in front of it\"\n",
        ),
    ] {
        all.push((
            name.to_string(),
            payment.replace(exposed, &format!("{exposed}{extra}")),
        ));
    }
    all
}

/// Where a stack of [`stacks`] lives, for the files it names: the payment variants in
/// `stacks/`, the cases in `tests/cases/ok/`.
fn home(name: &str) -> std::path::PathBuf {
    Path::new(name)
        .parent()
        .filter(|d| d.is_dir())
        .map_or_else(|| common::repo("stacks"), Path::to_path_buf)
}

fn each_root(mut check: impl FnMut(&str, &Value)) {
    for (name, text) in stacks() {
        for (ws, root) in common::compile_in(&text, &home(&name)) {
            check(&format!("{name} / {ws}"), &root);
        }
    }
}

fn objects<'a>(root: &'a Value, kind: &str) -> Vec<(&'a String, &'a Value)> {
    root["resource"][kind]
        .as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

#[test]
fn every_internet_facing_load_balancer_is_behind_the_web_acl_or_waived_with_a_reason() {
    let mut waived = 0;
    each_root(|at, root| {
        let associated: Vec<String> = objects(root, "aws_wafv2_web_acl_association")
            .iter()
            .map(|(_, a)| a["resource_arn"].as_str().unwrap().to_string())
            .collect();
        for (name, lb) in objects(root, "aws_lb") {
            if lb["internal"] == true {
                // Internal ones: `every_internal_load_balancer_admits_only_private_networks`.
                continue;
            }
            assert_eq!(lb["internal"], false, "{at}");
            let arn = format!("${{aws_lb.{name}.arn}}");
            let waiver = lb["//"].as_str().unwrap_or("");
            if associated.contains(&arn) {
                assert!(!waiver.contains("CKV2_AWS_28"), "{at}: {name}");
            } else {
                assert!(
                    waiver.contains("checkov:skip=CKV2_AWS_28: waived in the stack: "),
                    "{at}: load balancer {name} has no web ACL and no reason"
                );
                waived += 1;
            }
        }
        for (_, acl) in objects(root, "aws_wafv2_web_acl") {
            assert_eq!(acl["scope"], "REGIONAL");
            let groups: Vec<&str> = acl["rule"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    r["statement"]["managed_rule_group_statement"]["name"]
                        .as_str()
                        .unwrap()
                })
                .collect();
            for wanted in [
                "AWSManagedRulesCommonRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesSQLiRuleSet",
                "AWSManagedRulesAmazonIpReputationList",
            ] {
                assert!(groups.contains(&wanted), "{at}: {wanted}");
            }
            let logging = objects(root, "aws_wafv2_web_acl_logging_configuration");
            assert_eq!(logging.len(), 1, "{at}");
            let group = logging[0].1["log_destination_configs"][0].as_str().unwrap();
            let group = group
                .strip_prefix("${aws_cloudwatch_log_group.")
                .and_then(|g| g.strip_suffix(".arn}"))
                .unwrap();
            let group = &root["resource"]["aws_cloudwatch_log_group"][group];
            assert!(
                group["name"].as_str().unwrap().starts_with("aws-waf-logs-"),
                "{at}"
            );
            assert!(
                group["kms_key_id"]
                    .as_str()
                    .unwrap()
                    .starts_with("${aws_kms_key."),
                "{at}"
            );
        }
    });
    assert!(waived >= 2, "the waf-off variants were not exercised");
}

#[test]
fn port_80_is_open_only_to_redirect_and_only_then_waived() {
    let mut redirects = 0;
    each_root(|at, root| {
        for (name, rule) in objects(root, "aws_vpc_security_group_ingress_rule") {
            if rule["cidr_ipv4"] != "0.0.0.0/0" {
                continue;
            }
            let waiver = rule["//"].as_str().unwrap_or("");
            let redirect = rule["description"]
                .as_str()
                .unwrap()
                .contains("redirect to HTTPS");
            match rule["from_port"].as_u64().unwrap() {
                443 => assert!(waiver.is_empty(), "{at}: {name}"),
                80 if redirect => {
                    assert!(waiver.starts_with("checkov:skip=CKV_AWS_260: "), "{at}");
                    redirects += 1;
                }
                80 => assert!(waiver.is_empty(), "{at}: forwarding is never waived"),
                port => panic!("{at}: {name} opens {port} to the internet"),
            }
        }
    });
    assert!(redirects >= 3, "the redirect stacks were not exercised");
}

#[test]
fn every_aws_record_carries_a_health_check_that_includes_the_application() {
    each_root(|at, root| {
        let checks = &root["resource"]["aws_route53_health_check"];
        let records = objects(root, "aws_route53_record");
        for (name, record) in &records {
            if record["set_identifier"] != "aws" {
                continue;
            }
            // After the data cutover of a database its service writes, the legacy record is
            // gone and nothing can take the AWS record out of rotation (there is nowhere
            // else to send traffic): no health check, by design.
            let legacy = records
                .iter()
                .any(|(_, r)| r["set_identifier"] == "legacy" && r["name"] == record["name"]);
            if !legacy {
                assert!(record.get("health_check_id").is_none(), "{at}: {name}");
                continue;
            }
            let id = record["health_check_id"].as_str().unwrap();
            let check = id
                .strip_prefix("${aws_route53_health_check.")
                .and_then(|c| c.strip_suffix(".id}"))
                .unwrap();
            let check = &checks[check];
            let https = |c: &Value| c["type"] == "HTTPS" && c["port"] == 443;
            let ok = https(check)
                || check["child_healthchecks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|child| {
                        let child = child.as_str().unwrap();
                        let child = child
                            .strip_prefix("${aws_route53_health_check.")
                            .and_then(|c| c.strip_suffix(".id}"))
                            .unwrap();
                        https(&checks[child])
                    });
            assert!(ok, "{at}: record {name} ignores the application's health");
            if check["type"] == "CALCULATED" {
                assert_eq!(
                    check["child_health_threshold"].as_u64().unwrap() as usize,
                    check["child_healthchecks"].as_array().unwrap().len(),
                    "{at}: every child must be healthy"
                );
            }
        }
    });
}

#[test]
fn a_gate_holds_the_cutover_on_failed_and_suspended_validation() {
    // The workspace that manages the cutover (`owner = aws-production`).
    let roots = common::compile(include_str!("../../stacks/payment.pmig"));
    let root = &roots
        .iter()
        .find(|(ws, _)| ws == "aws-production")
        .expect("workspace")
        .1;
    let alarms = &root["resource"]["aws_cloudwatch_metric_alarm"];
    let metrics: Vec<&str> = alarms
        .as_object()
        .unwrap()
        .values()
        .filter(|a| a["namespace"] == "AWS/DMS")
        .map(|a| a["metric_name"].as_str().unwrap())
        .collect();
    for metric in [
        "CDCLatencySource",
        "CDCLatencyTarget",
        "ValidationFailedOverallCount",
        "ValidationSuspendedOverallCount",
    ] {
        assert!(metrics.contains(&metric), "{metric}");
    }
    let gate = &root["resource"]["aws_route53_health_check"]["payments_gate"];
    let children = gate["child_healthchecks"].as_array().unwrap();
    for child in [
        "onprem_to_aws_validation_failed",
        "onprem_to_aws_validation_suspended",
    ] {
        assert!(
            children
                .iter()
                .any(|c| c.as_str().unwrap().contains(&format!(".{child}."))),
            "{child}"
        );
    }
}

#[test]
fn the_runtime_check_reads_the_task_through_a_scoped_data_source() {
    each_root(|at, root| {
        for (_, check) in root["check"].as_object().into_iter().flatten() {
            let data = check["data"]["aws_dms_replication_task"]
                .as_object()
                .unwrap();
            let (name, _) = data.iter().next().unwrap();
            let condition = check["assert"][0]["condition"].as_str().unwrap();
            assert!(
                condition.contains(&format!("data.aws_dms_replication_task.{name}.status")),
                "{at}: {condition}"
            );
        }
    });
}

/// An internal load balancer (`exposed = internal ...`): in private subnets, its group admits
/// nothing but private ranges (the VPC's and the VPN's networks), never `0.0.0.0/0`, and every
/// description says where from, never "the internet". Checked on every stack above and on the
/// marketplace, whose support desk is internal; at least two must be seen.
#[test]
fn every_internal_load_balancer_admits_only_private_networks() {
    let mut seen = 0;
    let marketplace = include_str!("../../stacks/marketplace.pmig").to_string();
    let mut all = stacks();
    all.push(("marketplace".to_string(), marketplace));
    for (name, text) in all {
        for (ws, root) in common::compile_in(&text, &home(&name)) {
            let at = format!("{name} / {ws}");
            for (lb_name, lb) in objects(&root, "aws_lb") {
                if lb["internal"] != true {
                    continue;
                }
                seen += 1;
                for subnet in lb["subnets"].as_array().unwrap() {
                    let subnet = subnet.as_str().unwrap();
                    assert!(
                        subnet.starts_with("${aws_subnet.") && subnet.contains("_private_"),
                        "{at}: {lb_name} in {subnet}"
                    );
                }
                let group = lb["security_groups"][0].as_str().unwrap().to_string();
                let group_name = group
                    .strip_prefix("${aws_security_group.")
                    .and_then(|g| g.strip_suffix(".id}"))
                    .unwrap();
                let description = root["resource"]["aws_security_group"][group_name]["description"]
                    .as_str()
                    .unwrap();
                assert!(
                    description.starts_with("Internal load balancer of service ")
                        && description.contains(" from VPC ")
                        && !description.contains("internet"),
                    "{at}: {description}"
                );
                let rules: Vec<_> = objects(&root, "aws_vpc_security_group_ingress_rule")
                    .into_iter()
                    .filter(|(_, r)| r["security_group_id"] == group.as_str())
                    .collect();
                assert!(!rules.is_empty(), "{at}: {lb_name} admits nothing");
                for (rule_name, rule) in rules {
                    let cidr = rule["cidr_ipv4"].as_str().unwrap_or_else(|| {
                        panic!("{at}: {rule_name} admits a group, not a network")
                    });
                    let net: ipnet::Ipv4Net = cidr.parse().unwrap();
                    assert!(
                        net.addr().is_private() && net.prefix_len() >= 8,
                        "{at}: {rule_name} admits {cidr}"
                    );
                    let words = rule["description"].as_str().unwrap();
                    assert!(
                        (words.contains(" from VPC ") || words.contains(" from on-premises "))
                            && !words.contains("internet"),
                        "{at}: {rule_name}: {words}"
                    );
                }
            }
        }
    }
    assert!(seen >= 2, "only {seen} internal load balancers seen");
}
