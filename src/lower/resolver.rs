//! Names only the data centre's DNS servers know: a replication whose source host is under a
//! private top-level domain (`db1.shop.internal`) or a domain its VPN declares (`domains`)
//! needs the VPC to ask those servers. Each network that runs such a replication gets a Route
//! 53 Resolver outbound endpoint in its private subnets (one address per zone: at least two),
//! whose security group lets DNS (TCP and UDP 53) out to the VPN's `dns` servers only, and one
//! forwarding rule per such domain, associated with the VPC ("Forwarding outbound DNS queries
//! to your network", Route 53 Developer Guide). The checker proves the VPN declares its DNS
//! servers (PMG1230); the routes to them are the VPN's, propagated to the private subnets.

use super::json::json;
use super::{Root, attr, name_tag, network};
use crate::aws::dns::{DNS_PORT, private_zone};
use crate::model::{Placement, Stack, Tier};

pub fn lower(root: &mut Root, stack: &Stack) {
    for net in &stack.networks {
        let Some(vpn) = net.vpn.as_ref().map(|v| &stack[v]) else {
            continue;
        };
        let mut zones: Vec<String> = stack
            .replications
            .iter()
            .filter(|r| stack[&r.target].placement.network.name() == &net.name)
            .filter_map(|r| private_zone(&r.source.host, &vpn.domains))
            .collect();
        zones.sort();
        zones.dedup();
        let Some(first) = stack.replications.first() else {
            continue;
        };
        if zones.is_empty() || vpn.dns.is_empty() {
            continue;
        }
        let n = net.name.address();
        let name = format!("{n}_resolver");
        let origin = first.origin;
        let placement = Placement {
            network: stack[&first.target].placement.network.clone(),
            tier: Tier::Private,
        };
        super::security::group(
            root,
            &name,
            &net.name,
            "resolver",
            &placement.network,
            &format!(
                "DNS resolver of network {}: DNS out to the data centre's servers only",
                net.name
            ),
            origin,
        );
        for (i, server) in vpn.dns.iter().enumerate() {
            for protocol in ["udp", "tcp"] {
                root.resource(
                    "aws_vpc_security_group_egress_rule",
                    &format!("{name}_{protocol}_{}", i + 1),
                    json!({
                        "security_group_id": attr("aws_security_group", &name, "id"),
                        "ip_protocol": protocol,
                        "from_port": DNS_PORT,
                        "to_port": DNS_PORT,
                        "cidr_ipv4": format!("{server}/32"),
                        "description": format!("DNS to the data centre's server {server} through VPN {}", vpn.name),
                    }),
                    origin,
                );
            }
        }
        let addresses: Vec<_> = network::subnet_ids(stack, &placement)
            .into_iter()
            .map(|s| json!({ "subnet_id": s }))
            .collect();
        root.resource(
            "aws_route53_resolver_endpoint",
            &n,
            json!({
                "name": root.aws_name(&net.name, "resolver"),
                "direction": "OUTBOUND",
                "security_group_ids": [attr("aws_security_group", &name, "id")],
                "ip_address": addresses,
                "tags": name_tag(root.aws_name(&net.name, "resolver")),
            }),
            origin,
        );
        for (i, zone) in zones.iter().enumerate() {
            let rule = format!("{n}_forward_{}", i + 1);
            let targets: Vec<_> = vpn
                .dns
                .iter()
                .map(|ip| json!({ "ip": ip.to_string(), "port": DNS_PORT }))
                .collect();
            root.resource(
                "aws_route53_resolver_rule",
                &rule,
                json!({
                    "name": root.aws_name(&net.name, &format!("forward-{}", i + 1)),
                    "domain_name": zone.clone(),
                    "rule_type": "FORWARD",
                    "resolver_endpoint_id": attr("aws_route53_resolver_endpoint", &n, "id"),
                    "target_ip": targets,
                    "tags": name_tag(root.aws_name(&net.name, &format!("forward-{}", i + 1))),
                }),
                origin,
            );
            root.resource(
                "aws_route53_resolver_rule_association",
                &rule,
                json!({
                    "resolver_rule_id": attr("aws_route53_resolver_rule", &rule, "id"),
                    "vpc_id": attr("aws_vpc", &n, "id"),
                }),
                origin,
            );
        }
    }
}
