//! Networks: a VPC per `network`, one public and one private subnet per zone (CIDRs carved by
//! the checker), an internet gateway, NAT per zone or single, route tables, the existing VPN
//! gateway attached with its routes propagated to the private subnets, and a default security
//! group stripped of all rules; an alarm on each VPN connection's tunnels.

use super::expr::Expr;
use super::json::json;
use super::{Root, attr, row_tag};
use crate::derived::table::{existing, network as row};
use crate::model::{NatMode, Network, Placement, Stack, Tier};

/// The subnets of a placement, in zone order.
pub(super) fn subnets(stack: &Stack, placement: &Placement) -> Vec<crate::derived::Address> {
    let zones = stack[&placement.network].zones;
    let tier = match placement.tier {
        Tier::Public => "public",
        Tier::Private => "private",
    };
    (1..=zones)
        .map(|i| row::SUBNET.at(placement.network.name(), &[tier, &i.to_string()]))
        .collect()
}

/// `${aws_subnet.X.id}` for each subnet of a placement.
pub(super) fn subnet_ids(stack: &Stack, placement: &Placement) -> Vec<Expr> {
    subnets(stack, placement)
        .iter()
        .map(|s| attr(s, "id"))
        .collect()
}

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    for vpn in &stack.vpns {
        root.data(
            &existing::VPN_GATEWAY.at(&vpn.name, &[]),
            json!({ "id": vpn.gateway_id.clone() }),
            vpn.origin,
        );
        tunnel_alarm(root, vpn);
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
    let name = &network.name;
    let origin = network.origin;
    let group = row::FLOW_LOG_GROUP.at(name, &[]);
    root.resource(
        &group,
        json!({
            "name": root.aws(&row::FLOW_LOG_GROUP, "name", name, &[]),
            "retention_in_days": 365,
            "kms_key_id": super::security::kms_key(stack),
            "tags": row_tag(root, &row::FLOW_LOG_GROUP, name, &[]),
        }),
        origin,
    );
    let role = super::security::role(
        root,
        &row::FLOW_LOG_ROLE,
        name,
        "vpc-flow-logs.amazonaws.com",
        origin,
    );
    let group_arn = attr(&group, "arn");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "WriteFlowLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": [group_arn.clone(), super::expr::tmpl!(group_arn.clone(), ":*")]
        }]
    });
    root.resource(
        &row::FLOW_LOG_POLICY.at(name, &[]),
        json!({ "name": root.aws(&row::FLOW_LOG_POLICY, "name", name, &[]), "role": attr(&role, "id"), "policy": policy.compact() }),
        origin,
    );
    root.resource(
        &row::FLOW_LOG.at(name, &[]),
        json!({
            "vpc_id": attr(&row::VPC.at(name, &[]), "id"),
            "traffic_type": "ALL",
            "log_destination_type": "cloud-watch-logs",
            "log_destination": group_arn,
            "iam_role_arn": attr(&role, "arn"),
            "tags": row_tag(root, &row::FLOW_LOG, name, &[]),
        }),
        origin,
    );
}

/// `zone_ids` are the region's AZ IDs (the checker refused a region pmigc does not offer, and
/// more zones than the region has), subnet `i` of a tier in the
/// `i`-th.
fn lower_network(root: &mut Root, network: &Network, zone_ids: &[&str]) {
    let name = &network.name;
    let origin = network.origin;
    let vpc_at = row::VPC.at(name, &[]);
    let vpc = attr(&vpc_at, "id");
    root.resource(
        &vpc_at,
        json!({
            "cidr_block": network.cidr.to_string(),
            "enable_dns_support": true,
            "enable_dns_hostnames": true,
            "tags": row_tag(root, &row::VPC, name, &[]),
        }),
        origin,
    );
    root.resource(
        &row::DEFAULT_GROUP.at(name, &[]),
        json!({ "vpc_id": vpc.clone(), "tags": row_tag(root, &row::DEFAULT_GROUP, name, &[]) }),
        origin,
    );
    for (tier, cidrs) in [
        ("public", &network.public_subnets),
        ("private", &network.private_subnets),
    ] {
        for (i, cidr) in cidrs.iter().enumerate() {
            let zone = (i + 1).to_string();
            root.resource(
                &row::SUBNET.at(name, &[tier, &zone]),
                json!({
                    "vpc_id": vpc.clone(),
                    "cidr_block": cidr.to_string(),
                    "availability_zone_id": zone_ids.get(i).map(|id| id.to_string()),
                    "map_public_ip_on_launch": false,
                    "tags": row_tag(root, &row::SUBNET, name, &[tier, &zone]),
                }),
                origin,
            );
        }
    }
    let gateway = row::INTERNET_GATEWAY.at(name, &[]);
    root.resource(
        &gateway,
        json!({ "vpc_id": vpc.clone(), "tags": row_tag(root, &row::INTERNET_GATEWAY, name, &[]) }),
        origin,
    );
    let nat_count = match network.nat {
        NatMode::PerZone => network.zones,
        NatMode::Single => 1,
    };
    for zone in 1..=nat_count {
        let zone = zone.to_string();
        let address = row::NAT_ADDRESS.at(name, &[&zone]);
        root.resource(
            &address,
            json!({
                "domain": "vpc",
                "depends_on": [gateway.spelled()],
                "tags": row_tag(root, &row::NAT_ADDRESS, name, &[&zone]),
            }),
            origin,
        );
        root.resource(
            &row::NAT_GATEWAY.at(name, &[&zone]),
            json!({
                "allocation_id": attr(&address, "id"),
                "subnet_id": attr(&row::SUBNET.at(name, &["public", &zone]), "id"),
                "depends_on": [gateway.spelled()],
                "tags": row_tag(root, &row::NAT_GATEWAY, name, &[&zone]),
            }),
            origin,
        );
    }
    let public_routes = row::PUBLIC_ROUTES.at(name, &[]);
    root.resource(
        &public_routes,
        json!({ "vpc_id": vpc.clone(), "tags": row_tag(root, &row::PUBLIC_ROUTES, name, &[]) }),
        origin,
    );
    root.resource(
        &row::PUBLIC_ROUTE.at(name, &[]),
        json!({
            "route_table_id": attr(&public_routes, "id"),
            "destination_cidr_block": "0.0.0.0/0",
            "gateway_id": attr(&gateway, "id"),
        }),
        origin,
    );
    let attachment = network.vpn.as_ref().map(|vpn| {
        let at = row::VPN_ATTACHMENT.at(name, &[&vpn.address()]);
        let gateway = existing::VPN_GATEWAY.at(vpn.name(), &[]);
        root.resource(
            &at,
            json!({ "vpc_id": vpc.clone(), "vpn_gateway_id": attr(&gateway, "id") }),
            origin,
        );
        (gateway, at)
    });
    for zone in 1..=network.zones {
        let zone = zone.to_string();
        root.resource(
            &row::PUBLIC_ASSOCIATION.at(name, &[&zone]),
            json!({ "subnet_id": attr(&row::SUBNET.at(name, &["public", &zone]), "id"), "route_table_id": attr(&public_routes, "id") }),
            origin,
        );
        let private = row::PRIVATE_ROUTES.at(name, &[&zone]);
        root.resource(
            &private,
            json!({ "vpc_id": vpc.clone(), "tags": row_tag(root, &row::PRIVATE_ROUTES, name, &[&zone]) }),
            origin,
        );
        let nat = if network.nat == NatMode::PerZone {
            zone.clone()
        } else {
            "1".to_string()
        };
        root.resource(
            &row::PRIVATE_ROUTE.at(name, &[&zone]),
            json!({
                "route_table_id": attr(&private, "id"),
                "destination_cidr_block": "0.0.0.0/0",
                "nat_gateway_id": attr(&row::NAT_GATEWAY.at(name, &[&nat]), "id"),
            }),
            origin,
        );
        root.resource(
            &row::PRIVATE_ASSOCIATION.at(name, &[&zone]),
            json!({ "subnet_id": attr(&row::SUBNET.at(name, &["private", &zone]), "id"), "route_table_id": attr(&private, "id") }),
            origin,
        );
        if let Some((gateway, attachment)) = &attachment {
            root.resource(
                &row::PROPAGATION.at(name, &[&zone]),
                json!({
                    "vpn_gateway_id": attr(gateway, "id"),
                    "route_table_id": attr(&private, "id"),
                    "depends_on": [attachment.spelled()],
                }),
                origin,
            );
        }
    }
}

/// Where an `existing vpn`'s `connection` takes effect: an alarm on the connection's
/// `TunnelState`, the fraction of its tunnels that are up (AWS Site-to-Site VPN User Guide,
/// "Monitoring your Site-to-Site VPN tunnels using Amazon CloudWatch",
/// <https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html>: "values
/// between 0 and 1 indicate at least one tunnel is not UP", dimension `VpnId`). It fires when
/// no tunnel has been up for 15 minutes (three 5-minute periods, the period AWS's recommended
/// alarm on `TunnelState` uses) — DMS and the data centre's DNS are cut off — and, with missing
/// data breaching, when the connection reports nothing at all: a wrong or deleted connection id
/// shows as an alarm instead of doing nothing. One tunnel down alone does not fire (many data
/// centres configure one). Not a `check` block with `data "aws_vpn_connection"`: that data
/// source exists in provider 6.x but not in 5.100, which `scripts/validate.sh` runs.
fn tunnel_alarm(root: &mut Root, vpn: &crate::model::Vpn) {
    let name = &vpn.name;
    root.resource(
        &existing::VPN_TUNNEL_ALARM.at(name, &[]),
        json!({
            "alarm_name": root.aws(&existing::VPN_TUNNEL_ALARM, "alarm_name", name, &[]),
            "alarm_description": super::health::alarm_description(&format!(
                "VPN connection {} ({}) has had no tunnel up for 15 minutes, or reports no tunnel state (a wrong or deleted connection id): DMS and DNS to the data centre are cut off.",
                vpn.connection_id, vpn.name
            )),
            "namespace": "AWS/VPN",
            "metric_name": "TunnelState",
            "dimensions": { "VpnId": vpn.connection_id.clone() },
            "statistic": "Maximum",
            "period": 300,
            "evaluation_periods": 3,
            "threshold": 0,
            "comparison_operator": "LessThanOrEqualToThreshold",
            "treat_missing_data": "breaching",
            "tags": row_tag(root, &existing::VPN_TUNNEL_ALARM, name, &[]),
        }),
        vpn.origin,
    );
}
