//! Networks: a VPC per `network`, one public and one private subnet per zone (CIDRs carved by
//! the checker), an internet gateway, NAT per zone or single, route tables, the existing VPN
//! gateway attached with its routes propagated to the private subnets, and a default security
//! group stripped of all rules.

use super::expr::{Expr, tmpl};
use super::json::json;
use super::{Root, attr, name_tag};
use crate::model::{NatMode, Network, Placement, Stack, Tier};

/// Resource names of a placement's subnets, in zone order.
pub fn subnets(stack: &Stack, placement: &Placement) -> Vec<String> {
    let zones = stack[&placement.network].zones;
    let tier = match placement.tier {
        Tier::Public => "public",
        Tier::Private => "private",
    };
    (1..=zones)
        .map(|i| format!("{}_{tier}_{i}", placement.network.address()))
        .collect()
}

/// `${aws_subnet.X.id}` for each subnet of a placement.
pub fn subnet_ids(stack: &Stack, placement: &Placement) -> Vec<Expr> {
    subnets(stack, placement)
        .iter()
        .map(|s| attr("aws_subnet", s, "id"))
        .collect()
}

pub fn lower(root: &mut Root, stack: &Stack) {
    for vpn in &stack.vpns {
        root.data(
            "aws_vpn_gateway",
            &vpn.name.address(),
            json!({ "id": vpn.gateway_id.clone() }),
            vpn.origin,
        );
    }
    for network in &stack.networks {
        lower_network(
            root,
            network,
            crate::aws::regions::zone_ids(&stack.region).unwrap_or_default(),
        );
        flow_logs(root, stack, network);
    }
}

/// VPC flow logs into a CloudWatch log group encrypted with the stack's key, kept a year.
fn flow_logs(root: &mut Root, stack: &Stack, network: &Network) {
    let n = network.name.address();
    let name = format!("{n}_flow_logs");
    let origin = network.origin;
    let group_name = tmpl!(
        "/pmigc/",
        Expr::local("name"),
        format!("/{}/flow-logs", network.name)
    );
    root.resource(
        "aws_cloudwatch_log_group",
        &name,
        json!({
            "name": group_name,
            "retention_in_days": 365,
            "kms_key_id": super::security::kms_key(stack),
            "tags": name_tag(root.aws_name(&network.name, "flow-logs")),
        }),
        origin,
    );
    let aws = root.aws_name(&network.name, "flow-logs");
    super::security::role(root, &name, &aws, "vpc-flow-logs.amazonaws.com", origin);
    let group_arn = attr("aws_cloudwatch_log_group", &name, "arn");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "WriteFlowLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": [group_arn.clone(), tmpl!(group_arn.clone(), ":*")]
        }]
    });
    root.resource(
        "aws_iam_role_policy",
        &name,
        json!({ "name": "write-flow-logs", "role": attr("aws_iam_role", &name, "id"), "policy": policy.compact() }),
        origin,
    );
    root.resource(
        "aws_flow_log",
        &n,
        json!({
            "vpc_id": attr("aws_vpc", &n, "id"),
            "traffic_type": "ALL",
            "log_destination_type": "cloud-watch-logs",
            "log_destination": group_arn,
            "iam_role_arn": attr("aws_iam_role", &name, "arn"),
            "tags": name_tag(&aws),
        }),
        origin,
    );
}

/// `zone_ids` are the region's AZ IDs (the checker refused a region pmigc does not offer, and
/// more zones than the region has), subnet `i` of a tier in the
/// `i`-th.
fn lower_network(root: &mut Root, network: &Network, zone_ids: &[&str]) {
    let n = network.name.address();
    let origin = network.origin;
    let vpc = attr("aws_vpc", &n, "id");
    root.resource(
        "aws_vpc",
        &n,
        json!({
            "cidr_block": network.cidr.to_string(),
            "enable_dns_support": true,
            "enable_dns_hostnames": true,
            "tags": name_tag(root.aws_name(&network.name, "")),
        }),
        origin,
    );
    root.resource(
        "aws_default_security_group",
        &n,
        json!({ "vpc_id": vpc.clone(), "tags": name_tag(root.aws_name(&network.name, "default-deny")) }),
        origin,
    );
    for (tier, cidrs) in [
        ("public", &network.public_subnets),
        ("private", &network.private_subnets),
    ] {
        for (i, cidr) in cidrs.iter().enumerate() {
            let zone = i + 1;
            root.resource(
                "aws_subnet",
                &format!("{n}_{tier}_{zone}"),
                json!({
                    "vpc_id": vpc.clone(),
                    "cidr_block": cidr.to_string(),
                    "availability_zone_id": zone_ids.get(i).map(|id| id.to_string()),
                    "map_public_ip_on_launch": false,
                    "tags": name_tag(root.aws_name(&network.name, &format!("{tier}-{zone}"))),
                }),
                origin,
            );
        }
    }
    root.resource(
        "aws_internet_gateway",
        &n,
        json!({ "vpc_id": vpc.clone(), "tags": name_tag(root.aws_name(&network.name, "")) }),
        origin,
    );
    let nat_count = match network.nat {
        NatMode::PerZone => network.zones,
        NatMode::Single => 1,
    };
    for zone in 1..=nat_count {
        root.resource(
            "aws_eip",
            &format!("{n}_nat_{zone}"),
            json!({
                "domain": "vpc",
                "depends_on": [format!("aws_internet_gateway.{n}")],
                "tags": name_tag(root.aws_name(&network.name, &format!("nat-{zone}"))),
            }),
            origin,
        );
        root.resource(
            "aws_nat_gateway",
            &format!("{n}_{zone}"),
            json!({
                "allocation_id": attr("aws_eip", &format!("{n}_nat_{zone}"), "id"),
                "subnet_id": attr("aws_subnet", &format!("{n}_public_{zone}"), "id"),
                "depends_on": [format!("aws_internet_gateway.{n}")],
                "tags": name_tag(root.aws_name(&network.name, &format!("nat-{zone}"))),
            }),
            origin,
        );
    }
    root.resource(
        "aws_route_table",
        &format!("{n}_public"),
        json!({ "vpc_id": vpc.clone(), "tags": name_tag(root.aws_name(&network.name, "public")) }),
        origin,
    );
    root.resource(
        "aws_route",
        &format!("{n}_public_internet"),
        json!({
            "route_table_id": attr("aws_route_table", &format!("{n}_public"), "id"),
            "destination_cidr_block": "0.0.0.0/0",
            "gateway_id": attr("aws_internet_gateway", &n, "id"),
        }),
        origin,
    );
    let attachment = network.vpn.as_ref().map(|vpn| {
        let name = format!("{n}_{}", vpn.address());
        root.resource(
            "aws_vpn_gateway_attachment",
            &name,
            json!({ "vpc_id": vpc.clone(), "vpn_gateway_id": Expr::data("aws_vpn_gateway", &vpn.address(), "id") }),
            origin,
        );
        (vpn, name)
    });
    for zone in 1..=network.zones {
        let public = format!("{n}_public_{zone}");
        root.resource(
            "aws_route_table_association",
            &public,
            json!({ "subnet_id": attr("aws_subnet", &public, "id"), "route_table_id": attr("aws_route_table", &format!("{n}_public"), "id") }),
            origin,
        );
        let private = format!("{n}_private_{zone}");
        root.resource(
            "aws_route_table",
            &private,
            json!({ "vpc_id": vpc.clone(), "tags": name_tag(root.aws_name(&network.name, &format!("private-{zone}"))) }),
            origin,
        );
        let nat = if network.nat == NatMode::PerZone {
            zone
        } else {
            1
        };
        root.resource(
            "aws_route",
            &format!("{private}_nat"),
            json!({
                "route_table_id": attr("aws_route_table", &private, "id"),
                "destination_cidr_block": "0.0.0.0/0",
                "nat_gateway_id": attr("aws_nat_gateway", &format!("{n}_{nat}"), "id"),
            }),
            origin,
        );
        root.resource(
            "aws_route_table_association",
            &private,
            json!({ "subnet_id": attr("aws_subnet", &private, "id"), "route_table_id": attr("aws_route_table", &private, "id") }),
            origin,
        );
        if let Some((vpn, attachment)) = &attachment {
            root.resource(
                "aws_vpn_gateway_route_propagation",
                &private,
                json!({
                    "vpn_gateway_id": Expr::data("aws_vpn_gateway", &vpn.address(), "id"),
                    "route_table_id": attr("aws_route_table", &private, "id"),
                    "depends_on": [format!("aws_vpn_gateway_attachment.{attachment}")],
                }),
                origin,
            );
        }
    }
}
