//! The web application firewall in front of the internet-facing load balancers: one regional
//! WAFv2 web ACL per stack with AWS managed rule groups suited to a payment API (IP reputation,
//! anonymous IPs with hosting providers only counted, the common rule set, known bad inputs,
//! SQL injection), associated with the load balancer of every exposed service that does not
//! turn it off (`waf = off because "..."`) and of every internal one that asks (`waf = on`), logging to a log group encrypted with the stack's KMS key and kept a year (WAF requires the
//! `aws-waf-logs-` prefix), with the `authorization` and `cookie` headers redacted.

use super::json::{Json, json};
use super::security::{self, Waiver};
use super::{Root, attr, row_tag};
use crate::derived::table::{service as svc, stack as st};
use crate::model::{Service, Stack};

/// The AWS managed rule groups, in the order WAF evaluates them: cheap reputation lists first.
/// 1,175 capacity units of the 1,500 a web ACL has without a quota increase.
const RULE_GROUPS: [&str; 5] = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesAnonymousIpList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
];

/// The scanner checks a load balancer fails when the stack turns its firewall off.
pub(super) const UNPROTECTED_CHECKS: [&str; 1] = ["CKV2_AWS_28"];

/// The services whose load balancer the web ACL protects.
fn protected(stack: &Stack) -> impl Iterator<Item = &Service> {
    stack
        .services
        .iter()
        .filter(|s| s.exposure.as_ref().is_some_and(|e| e.waf))
}

/// CloudWatch metrics and sampled requests for the ACL or one of its rules.
fn visibility(metric: &str) -> Json {
    json!({ "cloudwatch_metrics_enabled": true, "metric_name": metric.to_string(), "sampled_requests_enabled": true })
}

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    if protected(stack).next().is_none() {
        return;
    }
    let origin = stack.origin;
    let name = &stack.name;
    let acl = st::WEB_ACL.at(name, &[]);
    let rules: Vec<Json> = RULE_GROUPS
        .iter()
        .enumerate()
        .map(|(priority, group)| {
            let mut statement = json!({ "name": group.to_string(), "vendor_name": "AWS" });
            if *group == "AWSManagedRulesAnonymousIpList" {
                // Tor and anonymising proxies are blocked; cloud hosting providers only counted:
                // a payment API's callers include merchants' servers running in clouds.
                statement.insert(
                    "rule_action_override",
                    json!([{ "name": "HostingProviderIPList", "action_to_use": { "count": {} } }]),
                );
            }
            json!({
                "name": group.to_string(),
                "priority": priority,
                "override_action": { "none": {} },
                "statement": { "managed_rule_group_statement": statement },
                "visibility_config": visibility(group),
            })
        })
        .collect();
    let mut visibility_config = visibility("");
    visibility_config.insert(
        "metric_name",
        json!(root.aws(&st::WEB_ACL, "visibility_config.metric_name", name, &[])),
    );
    root.resource(
        &acl,
        json!({
            "name": root.aws(&st::WEB_ACL, "name", name, &[]),
            "description": format!("Managed rules in front of the load balancers of stack {}", stack.name),
            "scope": "REGIONAL",
            "default_action": { "allow": {} },
            "rule": rules,
            "visibility_config": visibility_config,
            "tags": row_tag(root, &st::WEB_ACL, name, &[]),
        }),
        origin,
    );
    let logs = st::WAF_LOGS.at(name, &[]);
    root.resource(
        &logs,
        json!({
            "name": root.aws(&st::WAF_LOGS, "name", name, &[]),
            "retention_in_days": 365,
            "kms_key_id": security::kms_key(stack),
            "tags": row_tag(root, &st::WAF_LOGS, name, &[]),
        }),
        origin,
    );
    root.resource(
        &st::WAF_LOGGING.at(name, &[]),
        json!({
            "resource_arn": attr(&acl, "arn"),
            "log_destination_configs": [attr(&logs, "arn")],
            "redacted_fields": [
                { "single_header": { "name": "authorization" } },
                { "single_header": { "name": "cookie" } }
            ],
        }),
        origin,
    );
    for service in protected(stack) {
        root.resource(
            &svc::WAF_ASSOCIATION.at(&service.name, &[]),
            json!({
                "resource_arn": attr(&svc::LOAD_BALANCER.at(&service.name, &[]), "arn"),
                "web_acl_arn": attr(&acl, "arn"),
            }),
            service.origin,
        );
    }
}

/// The scan waiver of a load balancer whose firewall the stack turned off, with its reason.
pub(super) fn load_balancer_waivers(service: &Service) -> Option<Json> {
    let off = service
        .exposure
        .as_ref()
        .and_then(|e| e.waf_off_because.as_deref())?;
    Some(security::waivers(
        &[] as &[Waiver],
        Some((UNPROTECTED_CHECKS.as_slice(), off)),
    ))
}
