//! Unit tests of the verifier: for each rule, one tiny root that passes and the same root with
//! one thing changed that makes the rule fire (and only that rule's finding is looked for).

use super::*;
use serde_json::{Value, json};

/// A small root: a VPC with a public and a private subnet, an internet gateway, a NAT gateway,
/// an internet-facing load balancer in front of a service that reads a database, a VPN gateway
/// attached and propagating to the private route table.
fn base() -> Value {
    json!({
        "provider": { "aws": { "region": "eu-west-1" } },
        "locals": { "name": "shop-dev" },
        "data": {
            "aws_vpn_gateway": { "dc": { "id": "vgw-0123456789abcdef0" } },
            "aws_secretsmanager_secret": { "db": { "name": "db" } }
        },
        "resource": {
            "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16" } },
            "aws_subnet": {
                "pub": { "vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.0.0.0/24", "availability_zone_id": "euw1-az1" },
                "priv": { "vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.0.1.0/24", "availability_zone_id": "euw1-az2" }
            },
            "aws_internet_gateway": { "main": { "vpc_id": "${aws_vpc.main.id}" } },
            "aws_eip": { "nat": { "domain": "vpc" } },
            "aws_nat_gateway": { "main": { "subnet_id": "${aws_subnet.pub.id}", "allocation_id": "${aws_eip.nat.id}" } },
            "aws_route_table": { "pub": { "vpc_id": "${aws_vpc.main.id}" }, "priv": { "vpc_id": "${aws_vpc.main.id}" } },
            "aws_route": {
                "pub_out": { "route_table_id": "${aws_route_table.pub.id}", "destination_cidr_block": "0.0.0.0/0", "gateway_id": "${aws_internet_gateway.main.id}" },
                "priv_out": { "route_table_id": "${aws_route_table.priv.id}", "destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": "${aws_nat_gateway.main.id}" }
            },
            "aws_route_table_association": {
                "pub": { "subnet_id": "${aws_subnet.pub.id}", "route_table_id": "${aws_route_table.pub.id}" },
                "priv": { "subnet_id": "${aws_subnet.priv.id}", "route_table_id": "${aws_route_table.priv.id}" }
            },
            "aws_vpn_gateway_attachment": { "main_dc": { "vpc_id": "${aws_vpc.main.id}", "vpn_gateway_id": "${data.aws_vpn_gateway.dc.id}" } },
            "aws_vpn_gateway_route_propagation": { "priv": { "route_table_id": "${aws_route_table.priv.id}", "vpn_gateway_id": "${data.aws_vpn_gateway.dc.id}" } },
            "aws_security_group": {
                "web_alb": { "vpc_id": "${aws_vpc.main.id}", "name": "${local.name}-web-alb" },
                "web": { "vpc_id": "${aws_vpc.main.id}", "name": "${local.name}-web-svc" },
                "db": { "vpc_id": "${aws_vpc.main.id}", "name": "${local.name}-db" }
            },
            "aws_vpc_security_group_ingress_rule": {
                "alb_https": { "security_group_id": "${aws_security_group.web_alb.id}", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0" },
                "web_from_alb": { "security_group_id": "${aws_security_group.web.id}", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080, "referenced_security_group_id": "${aws_security_group.web_alb.id}" },
                "db_from_web": { "security_group_id": "${aws_security_group.db.id}", "ip_protocol": "tcp", "from_port": 3306, "to_port": 3306, "referenced_security_group_id": "${aws_security_group.web.id}" }
            },
            "aws_vpc_security_group_egress_rule": {
                "alb_to_web": { "security_group_id": "${aws_security_group.web_alb.id}", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080, "referenced_security_group_id": "${aws_security_group.web.id}" },
                "web_to_db": { "security_group_id": "${aws_security_group.web.id}", "ip_protocol": "tcp", "from_port": 3306, "to_port": 3306, "referenced_security_group_id": "${aws_security_group.db.id}" },
                "web_https": { "security_group_id": "${aws_security_group.web.id}", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0" }
            },
            "aws_lb": { "web": { "name": "${local.name}-web", "internal": false, "subnets": ["${aws_subnet.pub.id}"], "security_groups": ["${aws_security_group.web_alb.id}"] } },
            "aws_lb_target_group": { "web": { "name": "${local.name}-web", "port": 8080 } },
            "aws_lb_listener": { "web_https": { "load_balancer_arn": "${aws_lb.web.arn}", "port": 443, "default_action": [{ "type": "forward", "target_group_arn": "${aws_lb_target_group.web.arn}" }] } },
            "aws_launch_template": { "web": { "name": "${local.name}-web", "vpc_security_group_ids": ["${aws_security_group.web.id}"], "iam_instance_profile": { "arn": "${aws_iam_instance_profile.web.arn}" } } },
            "aws_iam_instance_profile": { "web": { "name": "${local.name}-web", "role": "${aws_iam_role.web.name}" } },
            "aws_iam_role": { "web": { "name": "${local.name}-web", "assume_role_policy": "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}]}" } },
            "aws_iam_role_policy": { "web_secrets": { "name": "read", "role": "${aws_iam_role.web.id}", "policy": "{\"Statement\":[{\"Action\":\"secretsmanager:GetSecretValue\",\"Effect\":\"Allow\",\"Resource\":[\"${data.aws_secretsmanager_secret.db.arn}\"]}]}" } },
            "aws_autoscaling_group": { "web": { "name": "${local.name}-web", "vpc_zone_identifier": ["${aws_subnet.priv.id}"], "launch_template": { "id": "${aws_launch_template.web.id}" }, "target_group_arns": ["${aws_lb_target_group.web.arn}"] } },
            "aws_db_subnet_group": { "db": { "name": "${local.name}-db", "subnet_ids": ["${aws_subnet.priv.id}"] } },
            "aws_rds_cluster": { "db": { "cluster_identifier": "${local.name}-db", "engine": "aurora-mysql", "db_subnet_group_name": "${aws_db_subnet_group.db.name}", "vpc_security_group_ids": ["${aws_security_group.db.id}"] } },
            "aws_rds_cluster_instance": { "db_1": { "identifier": "${local.name}-db-writer-1", "instance_class": "db.r6g.large", "engine": "${aws_rds_cluster.db.engine}", "performance_insights_enabled": true, "monitoring_interval": 0 } }
        }
    })
}

fn intent() -> Value {
    json!({
        "account": "default",
        "flows": [
            { "from": "internet", "to": "aws_lb.web", "port": 443, "why": "exposed" },
            { "from": "aws_lb.web", "to": "aws_autoscaling_group.web", "port": 8080, "why": "forwards" },
            { "from": "aws_autoscaling_group.web", "to": "aws_rds_cluster.db", "port": 3306, "why": "reads" }
        ],
        "calls": [{ "from": "aws_autoscaling_group.web", "action": "secretsmanager:GetSecretValue", "resource": "${data.aws_secretsmanager_secret.db.arn}" }],
        "hosts": [],
        "vpns": [{ "gateway": "vgw-0123456789abcdef0", "networks": ["192.168.0.0/16"], "dns": [], "domains": [] }],
        "restricted": []
    })
}

/// A root's bytes, as `main.tf.json` holds them.
fn bytes(main: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(main).unwrap()
}

fn findings_of(main: &Value, intent: &Value) -> Vec<Finding> {
    let main = bytes(main);
    let ws = Workspace::read("w", &main, Intent::read(intent));
    check_root(&ws)
}

/// The rule ids that fired.
fn fired(main: &Value, intent: &Value) -> Vec<&'static str> {
    let mut ids: Vec<&str> = findings_of(main, intent).iter().map(|f| f.rule).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Sets `value` at a JSON pointer, creating objects on the way.
fn set(v: &mut Value, pointer: &str, value: Value) {
    let mut at = v;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let (last, path) = parts.split_last().unwrap();
    for p in path {
        at = at
            .as_object_mut()
            .unwrap()
            .entry(p.to_string())
            .or_insert_with(|| json!({}));
    }
    at.as_object_mut().unwrap().insert(last.to_string(), value);
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(last);
}

#[test]
fn the_base_root_verifies_clean() {
    assert_eq!(findings_of(&base(), &intent()), Vec::<Finding>::new());
}

#[test]
fn names_fire_on_a_name_aws_refuses() {
    let mut root = base();
    set(
        &mut root,
        "/locals/name",
        json!("a-very-long-stack-name-for-this"),
    );
    assert_eq!(fired(&root, &intent()), ["names"]);
}

#[test]
fn values_fire_on_performance_insights_a_class_lacks() {
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_rds_cluster_instance/db_1/instance_class",
        json!("db.t3.medium"),
    );
    assert_eq!(fired(&root, &intent()), ["values"]);
}

/// A gate's alarm on the load balancer and the Route 53 health check bound to it, as
/// `lower::service_gate` writes them.
fn with_gate_alarm() -> Value {
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_cloudwatch_metric_alarm/web_errors",
        json!({ "alarm_name": "${local.name}-web-errors", "namespace": "AWS/ApplicationELB", "metric_name": "HTTPCode_Target_5XX_Count", "dimensions": { "LoadBalancer": "${aws_lb.web.arn_suffix}" }, "statistic": "Sum", "period": 60, "evaluation_periods": 1, "threshold": 10, "comparison_operator": "GreaterThanOrEqualToThreshold", "treat_missing_data": "notBreaching" }),
    );
    set(
        &mut root,
        "/resource/aws_route53_health_check/web_errors",
        json!({ "type": "CLOUDWATCH_METRIC", "cloudwatch_alarm_name": "${aws_cloudwatch_metric_alarm.web_errors.alarm_name}", "cloudwatch_alarm_region": "eu-west-1", "insufficient_data_health_status": "Unhealthy" }),
    );
    root
}

#[test]
fn values_fire_on_a_health_check_bound_to_an_alarm_route53_cannot_watch() {
    assert_eq!(
        findings_of(&with_gate_alarm(), &intent()),
        Vec::<Finding>::new()
    );
    let alarm = "/resource/aws_cloudwatch_metric_alarm/web_errors";
    let check = "/resource/aws_route53_health_check/web_errors";
    let changes: [(&str, Value); 5] = [
        ("/extended_statistic", json!("p99")),
        ("/statistic", json!("p99")),
        ("/period", json!(10)),
        (
            "/metric_query",
            json!([{ "id": "rate", "expression": "m1/m2" }]),
        ),
        ("/cloudwatch_alarm_region", json!("us-east-1")),
    ];
    for (pointer, value) in changes {
        let mut root = with_gate_alarm();
        let at = if pointer == "/cloudwatch_alarm_region" {
            check
        } else {
            alarm
        };
        set(&mut root, &format!("{at}{pointer}"), value);
        assert_eq!(fired(&root, &intent()), ["values"], "{pointer}");
    }
    let mut missing = with_gate_alarm();
    remove(&mut missing, alarm);
    assert_eq!(fired(&missing, &intent()), ["values"]);
}

#[test]
fn values_fire_on_zones_not_by_identity_and_a_missing_elb_account() {
    for (path, value) in [
        // By letter, or taken from the zones available now.
        (
            "/resource/aws_subnet/pub/availability_zone",
            json!("eu-west-1a"),
        ),
        (
            "/resource/aws_subnet/pub/availability_zone",
            json!("${data.aws_availability_zones.available.names[0]}"),
        ),
        // Another region's zone.
        (
            "/resource/aws_subnet/priv/availability_zone_id",
            json!("use1-az1"),
        ),
        // None at all.
        (
            "/resource/aws_subnet/priv/availability_zone_id",
            Value::Null,
        ),
    ] {
        let mut root = base();
        set(&mut root, path, value.clone());
        assert_eq!(fired(&root, &intent()), ["values"], "{path} = {value}");
    }
    let mut root = base();
    set(&mut root, "/provider/aws/region", json!("eu-central-2"));
    set(
        &mut root,
        "/data/aws_elb_service_account/current",
        json!({}),
    );
    assert!(
        findings_of(&root, &intent())
            .iter()
            .any(|f| f.message.contains("no account in eu-central-2"))
    );
}

#[test]
fn reach_flow_fires_when_a_side_of_a_connection_is_closed() {
    for rule in [
        "/resource/aws_vpc_security_group_egress_rule/web_to_db",
        "/resource/aws_vpc_security_group_ingress_rule/web_from_alb",
        "/resource/aws_route/pub_out",
    ] {
        let mut root = base();
        remove(&mut root, rule);
        assert!(fired(&root, &intent()).contains(&"reach.flow"), "{rule}");
    }
}

#[test]
fn reach_flow_fires_on_an_allow_list_whose_replies_leave_through_nat() {
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/db_office",
        json!({ "security_group_id": "${aws_security_group.db.id}", "ip_protocol": "tcp", "from_port": 3306, "to_port": 3306, "cidr_ipv4": "203.0.113.0/24" }),
    );
    let mut meant = intent();
    meant["flows"].as_array_mut().unwrap().push(
        json!({ "from": "cidr:203.0.113.0/24", "to": "aws_rds_cluster.db", "port": 3306, "why": "allowed" }),
    );
    assert_eq!(fired(&root, &meant), ["reach.flow"]);
    // Behind the VPN, it routes back.
    let office = json!({ "security_group_id": "${aws_security_group.db.id}", "ip_protocol": "tcp", "from_port": 3306, "to_port": 3306, "cidr_ipv4": "192.168.1.0/24" });
    set(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/db_office",
        office,
    );
    meant["flows"][3]["from"] = json!("cidr:192.168.1.0/24");
    assert_eq!(fired(&root, &meant), Vec::<&str>::new());
}

#[test]
fn reach_api_fires_when_dms_cannot_reach_secrets_manager() {
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_security_group/dms",
        json!({ "vpc_id": "${aws_vpc.main.id}", "name": "dms" }),
    );
    set(
        &mut root,
        "/resource/aws_dms_replication_subnet_group/r",
        json!({ "replication_subnet_group_id": "${local.name}-r", "subnet_ids": ["${aws_subnet.priv.id}"] }),
    );
    set(
        &mut root,
        "/resource/aws_dms_replication_instance/r",
        json!({ "replication_instance_id": "${local.name}-r", "replication_subnet_group_id": "${aws_dms_replication_subnet_group.r.id}", "vpc_security_group_ids": ["${aws_security_group.dms.id}"] }),
    );
    set(
        &mut root,
        "/resource/aws_dms_endpoint/r_source",
        json!({ "endpoint_id": "${local.name}-r-source", "secrets_manager_arn": "${aws_secretsmanager_secret.s.arn}", "secrets_manager_access_role_arn": "${aws_iam_role.r.arn}" }),
    );
    set(
        &mut root,
        "/resource/aws_secretsmanager_secret/s",
        json!({ "name": "${local.name}-s" }),
    );
    set(
        &mut root,
        "/resource/aws_iam_role/r",
        json!({ "name": "${local.name}-r", "assume_role_policy": "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"dms.eu-west-1.amazonaws.com\"}}]}" }),
    );
    set(
        &mut root,
        "/resource/aws_iam_role_policy/r",
        json!({ "name": "read", "role": "${aws_iam_role.r.id}", "policy": "{\"Statement\":[{\"Action\":\"secretsmanager:GetSecretValue\",\"Effect\":\"Allow\",\"Resource\":\"${aws_secretsmanager_secret.s.arn}\"}]}" }),
    );
    set(
        &mut root,
        "/resource/aws_dms_replication_task/r",
        json!({ "replication_task_id": "${local.name}-r", "replication_instance_arn": "${aws_dms_replication_instance.r.replication_instance_arn}", "source_endpoint_arn": "${aws_dms_endpoint.r_source.endpoint_arn}", "table_mappings": "{\"rules\":[{\"rule-type\":\"selection\",\"rule-id\":\"1\",\"rule-name\":\"all\",\"rule-action\":\"include\",\"object-locator\":{\"schema-name\":\"%\",\"table-name\":\"%\"}}]}" }),
    );
    assert_eq!(fired(&root, &intent()), ["reach.api"]);
    // An interface endpoint with private DNS that admits it, and a way out to it.
    set(
        &mut root,
        "/resource/aws_security_group/sm",
        json!({ "vpc_id": "${aws_vpc.main.id}", "name": "sm" }),
    );
    set(
        &mut root,
        "/resource/aws_vpc_endpoint/sm",
        json!({ "vpc_id": "${aws_vpc.main.id}", "service_name": "com.amazonaws.eu-west-1.secretsmanager", "vpc_endpoint_type": "Interface", "private_dns_enabled": true, "subnet_ids": ["${aws_subnet.priv.id}"], "security_group_ids": ["${aws_security_group.sm.id}"] }),
    );
    set(
        &mut root,
        "/resource/aws_vpc_security_group_egress_rule/dms_sm",
        json!({ "security_group_id": "${aws_security_group.dms.id}", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "referenced_security_group_id": "${aws_security_group.sm.id}" }),
    );
    set(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/sm_dms",
        json!({ "security_group_id": "${aws_security_group.sm.id}", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "referenced_security_group_id": "${aws_security_group.dms.id}" }),
    );
    set(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/sm_web",
        json!({ "security_group_id": "${aws_security_group.sm.id}", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "referenced_security_group_id": "${aws_security_group.web.id}" }),
    );
    assert_eq!(fired(&root, &intent()), Vec::<&str>::new());
    // Private DNS sends the service there too: without its ingress, it is cut off.
    remove(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/sm_web",
    );
    assert_eq!(fired(&root, &intent()), ["reach.api"]);
}

#[test]
fn reach_dns_fires_on_a_name_only_the_data_centre_knows() {
    let mut root = base();
    let mut meant = intent();
    meant["hosts"] = json!([{ "from": "aws_autoscaling_group.web", "name": "db1.shop.internal" }]);
    assert_eq!(fired(&root, &meant), ["reach.dns"]);
    // A public name needs nothing.
    meant["hosts"][0]["name"] = json!("db.example.com");
    assert_eq!(fired(&root, &meant), Vec::<&str>::new());
    // A forwarding rule through an outbound endpoint that reaches the DNS servers.
    meant["hosts"][0]["name"] = json!("db1.shop.internal");
    set(
        &mut root,
        "/resource/aws_security_group/resolver",
        json!({ "vpc_id": "${aws_vpc.main.id}", "name": "resolver" }),
    );
    set(
        &mut root,
        "/resource/aws_vpc_security_group_egress_rule/resolver_dns",
        json!({ "security_group_id": "${aws_security_group.resolver.id}", "ip_protocol": "udp", "from_port": 53, "to_port": 53, "cidr_ipv4": "192.168.0.2/32" }),
    );
    set(
        &mut root,
        "/resource/aws_route53_resolver_endpoint/out",
        json!({ "direction": "OUTBOUND", "security_group_ids": ["${aws_security_group.resolver.id}"], "ip_address": [{ "subnet_id": "${aws_subnet.priv.id}" }, { "subnet_id": "${aws_subnet.priv.id}" }] }),
    );
    set(
        &mut root,
        "/resource/aws_route53_resolver_rule/internal",
        json!({ "rule_type": "FORWARD", "domain_name": "internal", "resolver_endpoint_id": "${aws_route53_resolver_endpoint.out.id}", "target_ip": [{ "ip": "192.168.0.2" }] }),
    );
    set(
        &mut root,
        "/resource/aws_route53_resolver_rule_association/internal",
        json!({ "resolver_rule_id": "${aws_route53_resolver_rule.internal.id}", "vpc_id": "${aws_vpc.main.id}" }),
    );
    assert_eq!(fired(&root, &meant), Vec::<&str>::new());
    // A DNS server outside the VPN's networks: no route there.
    set(
        &mut root,
        "/resource/aws_route53_resolver_rule/internal/target_ip",
        json!([{ "ip": "172.31.0.2" }]),
    );
    set(
        &mut root,
        "/resource/aws_vpc_security_group_egress_rule/resolver_dns/cidr_ipv4",
        json!("172.31.0.2/32"),
    );
    assert_eq!(fired(&root, &meant), ["reach.dns"]);
}

#[test]
fn restrict_ingress_fires_on_the_internet_into_a_database() {
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/db_world",
        json!({ "security_group_id": "${aws_security_group.db.id}", "ip_protocol": "tcp", "from_port": 3306, "to_port": 3306, "cidr_ipv4": "0.0.0.0/0" }),
    );
    assert_eq!(fired(&root, &intent()), ["restrict.ingress"]);
    // And on a component the stack does not say reads it.
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_vpc_security_group_ingress_rule/db_from_alb",
        json!({ "security_group_id": "${aws_security_group.db.id}", "ip_protocol": "tcp", "from_port": 3306, "to_port": 3306, "referenced_security_group_id": "${aws_security_group.web_alb.id}" }),
    );
    assert_eq!(fired(&root, &intent()), ["restrict.ingress"]);
}

#[test]
fn restrict_path_fires_on_a_rule_without_the_allow_list() {
    let mut root = base();
    let rule = json!({ "listener_arn": "${aws_lb_listener.web_https.arn}", "condition": [{ "path_pattern": { "values": ["/admin/*"] } }], "action": [{ "type": "forward", "target_group_arn": "${aws_lb_target_group.admin.arn}" }] });
    set(&mut root, "/resource/aws_lb_listener_rule/admin", rule);
    set(
        &mut root,
        "/resource/aws_lb_target_group/admin",
        json!({ "name": "admin", "port": 8080 }),
    );
    set(
        &mut root,
        "/resource/aws_autoscaling_group/web/target_group_arns",
        json!([
            "${aws_lb_target_group.web.arn}",
            "${aws_lb_target_group.admin.arn}"
        ]),
    );
    let mut meant = intent();
    meant["restricted"] =
        json!([{ "target": "aws_autoscaling_group.web", "sources": ["198.51.100.0/24"] }]);
    assert!(fired(&root, &meant).contains(&"restrict.path"));
    set(
        &mut root,
        "/resource/aws_lb_listener_rule/admin/condition",
        json!([{ "path_pattern": { "values": ["/admin/*"] } }, { "source_ip": { "values": ["198.51.100.0/25"] } }]),
    );
    let findings = findings_of(&root, &meant);
    assert!(
        findings.iter().all(|f| !f
            .resources
            .contains(&"aws_lb_listener_rule.admin".to_string())),
        "{findings:?}"
    );
}

#[test]
fn iam_allows_fires_on_a_missing_permission_or_trust() {
    let mut root = base();
    remove(&mut root, "/resource/aws_iam_role_policy/web_secrets");
    assert_eq!(fired(&root, &intent()), ["iam.allows"]);
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_iam_role/web/assume_role_policy",
        json!(
            "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"
        ),
    );
    assert_eq!(fired(&root, &intent()), ["iam.allows"]);
}

#[test]
fn iam_least_fires_on_a_role_broader_than_its_calls() {
    let mut root = base();
    set(
        &mut root,
        "/resource/aws_iam_role_policy/web_secrets/policy",
        json!(
            "{\"Statement\":[{\"Action\":\"secretsmanager:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}]}"
        ),
    );
    assert_eq!(fired(&root, &intent()), ["iam.least"]);
}

/// The intent, applied in `account`, as a source map carries it, read back.
fn sourcemap(account: &str) -> Intent {
    let mut i = intent();
    i["account"] = json!(account);
    read_intent(&bytes(&json!({ "intent": i })))
}

#[test]
fn account_rules_fire_across_workspaces() {
    let mut other = base();
    set(&mut other, "/locals/name", json!("shop-prod"));
    let (base, other) = (bytes(&base()), bytes(&other));
    let same = [
        Workspace::read("a", &base, sourcemap("default")),
        Workspace::read("b", &other, sourcemap("default")),
    ];
    let rules: Vec<&str> = check_all(&same).iter().map(|(_, f)| f.rule).collect();
    assert_eq!(rules, ["account.once"]);
    let apart = [
        Workspace::read("a", &base, sourcemap("staging")),
        Workspace::read("b", &other, sourcemap("production")),
    ];
    let rules: Vec<&str> = check_all(&apart).iter().map(|(_, f)| f.rule).collect();
    assert_eq!(rules, ["account.lookup"]);
    // One name in two roots of one account.
    let twice = [
        Workspace::read("a", &base, sourcemap("x")),
        Workspace::read("b", &base, sourcemap("y")),
    ];
    assert!(
        check_all(&twice)
            .iter()
            .all(|(_, f)| f.rule != "account.once")
    );
}

#[test]
fn account_once_fires_on_a_record_set_two_roots_of_one_account_manage() {
    // A weighted record in a hosted zone the root looks up; `name` as written in `records`.
    let with_record = |locals: &str, name: &str, zone: &str| {
        let mut root = base();
        set(&mut root, "/locals/name", json!(locals));
        set(
            &mut root,
            "/data/aws_route53_zone/shop",
            json!({ "name": zone, "private_zone": false }),
        );
        set(
            &mut root,
            "/resource/aws_route53_record/shop_aws",
            json!({
                "zone_id": "${data.aws_route53_zone.shop.zone_id}",
                "name": name,
                "type": "CNAME",
                "ttl": 60,
                "records": ["${aws_lb.web.dns_name}"],
                "set_identifier": "aws",
                "weighted_routing_policy": { "weight": 10 },
            }),
        );
        bytes(&root)
    };
    let records = |a: &[u8], b: &[u8], accounts: [&str; 2]| -> Vec<String> {
        let ws = [
            Workspace::read("staging", a, sourcemap(accounts[0])),
            Workspace::read("production", b, sourcemap(accounts[1])),
        ];
        check_all(&ws)
            .into_iter()
            .map(|(_, f)| f.message)
            .filter(|m| m.contains("Route 53 record set"))
            .collect()
    };
    let staging = with_record("shop-stg", "www.shop.example.com", "shop.example.com");
    // The same set, spelt as Route 53 does not tell apart (case, trailing dot).
    let production = with_record("shop-prod", "WWW.shop.example.com.", "shop.example.com.");
    let found = records(&staging, &production, ["default", "default"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("www.shop.example.com CNAME (aws) in zone shop.example.com"),
        "{found:?}"
    );
    // A name built from each root's own stack name differs per root.
    let stg = with_record(
        "shop-stg",
        "${local.name}.shop.example.com",
        "shop.example.com",
    );
    let prod = with_record(
        "shop-prod",
        "${local.name}.shop.example.com",
        "shop.example.com",
    );
    assert_eq!(
        records(&stg, &prod, ["default", "default"]),
        Vec::<String>::new()
    );
    // Another record of the zone, or another account's zone, is no collision.
    let other = with_record(
        "shop-prod",
        "www.staging.shop.example.com",
        "shop.example.com",
    );
    assert_eq!(
        records(&staging, &other, ["default", "default"]),
        Vec::<String>::new()
    );
    assert_eq!(
        records(&staging, &production, ["a", "b"]),
        Vec::<String>::new()
    );
}

/// The intent as `sourcemap.json` carries it: every part written as read, keys sorted.
#[test]
fn an_intent_is_written_as_it_reads() {
    let mut full = intent();
    full["flows"][0]["from"] = json!("cidr:203.0.113.0/24");
    full["flows"][1]["from"] = json!("route53-health-checkers");
    full["hosts"] = json!([{ "from": "aws_autoscaling_group.web", "name": "db.corp" }]);
    full["vpns"][0]["dns"] = json!(["192.168.0.2"]);
    full["vpns"][0]["domains"] = json!(["corp"]);
    full["restricted"] =
        json!([{ "target": "aws_autoscaling_group.web", "sources": ["10.1.0.0/16"] }]);
    let read = Intent::read(&full);
    let text = read.to_json_text();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), full);
    assert_eq!(text, serde_json::to_string_pretty(&full).unwrap());
    assert_eq!(read_intent(&bytes(&json!({ "intent": full }))), read);
}

#[test]
fn dms_mappings_fire_on_rules_dms_refuses_or_that_copy_nothing() {
    let task = "/resource/aws_dms_replication_task/sync/table_mappings";
    let rule = |id: &str, name: &str, action: &str, schema: &str| {
        json!({ "rule-type": "selection", "rule-id": id, "rule-name": name, "rule-action": action,
                "object-locator": { "schema-name": schema, "table-name": "%" } })
    };
    let good = json!({ "rules": [rule("1", "include-1", "include", "shop"), rule("2", "exclude-2", "exclude", "tmp")] });
    let mut root = base();
    set(&mut root, task, json!(good.to_string()));
    assert_eq!(fired(&root, &intent()), Vec::<&str>::new());
    for bad in [
        json!({ "rules": [rule("1", "a", "include", "shop"), rule("1", "b", "exclude", "tmp")] }),
        json!({ "rules": [rule("1", "a", "include", "shop"), rule("2", "a", "exclude", "tmp")] }),
        json!({ "rules": [rule("x", "a", "include", "shop")] }),
        json!({ "rules": [rule("1", "a", "exclude", "shop")] }),
        json!({ "rules": [rule("1", "a", "copy", "shop")] }),
        json!({ "rules": [rule("1", "a", "include", "")] }),
        json!({ "rules": [] }),
        json!("not an object"),
    ] {
        let mut root = base();
        set(&mut root, task, json!(bad.to_string()));
        assert_eq!(fired(&root, &intent()), ["dms.mappings"], "{bad}");
    }
}

#[test]
fn every_rule_has_a_test_here() {
    let text = include_str!("tests.rs");
    for id in RULES
        .iter()
        .map(|r| r.id)
        .chain(ACCOUNT_RULES.iter().map(|r| r.id))
    {
        assert!(text.contains(&format!("\"{id}\"")), "{id}");
    }
}
