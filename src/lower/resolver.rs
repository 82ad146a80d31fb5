//! Names only the data centre's DNS servers know: a replication whose source host is under a
//! private top-level domain (`db1.shop.internal`) or a domain its VPN declares (`domains`)
//! needs the VPC to ask those servers. Each network that runs such a replication gets a Route
//! 53 Resolver outbound endpoint in its private subnets (one address per zone: at least two),
//! whose security group lets DNS (TCP and UDP 53) out to the VPN's `dns` servers only, and one
//! forwarding rule per such domain, associated with the VPC ("Forwarding outbound DNS queries
//! to your network", Route 53 Developer Guide). The checker proves the VPN declares its DNS
//! servers (PMG1230); the routes to them are the VPN's, propagated to the private subnets.

use super::json::json;
use super::{Root, attr, network, row_tag};
use crate::aws::dns::DNS_PORT;
use crate::derived::table::network as row;
use crate::model::{Placement, Stack, Tier};

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    for net in &stack.networks {
        let Some(vpn) = net.vpn.as_ref().map(|v| &stack[v]) else {
            continue;
        };
        let zones = crate::derived::enumerate::resolver_zones(stack, net, vpn);
        // The endpoint sits in this network's private subnets (its first replication's
        // target's placement), whatever other networks hold.
        let Some(first) = stack
            .replications
            .iter()
            .find(|r| stack[&r.target].placement.network.name() == &net.name)
        else {
            continue;
        };
        if zones.is_empty() || vpn.dns.is_empty() {
            continue;
        }
        let n = &net.name;
        let origin = first.origin;
        let placement = Placement {
            network: stack[&first.target].placement.network.clone(),
            tier: Tier::Private,
        };
        let group = super::security::group(
            root,
            &row::RESOLVER_GROUP,
            n,
            &placement.network,
            &format!("DNS resolver of network {n}: DNS out to the data centre DNS servers only"),
            origin,
        );
        for (i, server) in vpn.dns.iter().enumerate() {
            for protocol in ["udp", "tcp"] {
                root.resource(
                    &row::RESOLVER_TO_SERVER.at(n, &[protocol, &(i + 1).to_string()]),
                    json!({
                        "security_group_id": attr(&group, "id"),
                        "ip_protocol": protocol,
                        "from_port": DNS_PORT,
                        "to_port": DNS_PORT,
                        "cidr_ipv4": format!("{server}/32"),
                        "description": super::security::description(&format!("DNS to the data centre DNS server {server} through VPN {}", vpn.name)),
                    }),
                    origin,
                );
            }
        }
        let addresses: Vec<_> = network::subnet_ids(stack, &placement)
            .into_iter()
            .map(|s| json!({ "subnet_id": s }))
            .collect();
        let endpoint = row::RESOLVER.at(n, &[]);
        root.resource(
            &endpoint,
            json!({
                "name": root.aws(&row::RESOLVER, "name", n, &[]),
                "direction": "OUTBOUND",
                "security_group_ids": [attr(&group, "id")],
                "ip_address": addresses,
                "tags": row_tag(root, &row::RESOLVER, n, &[]),
            }),
            origin,
        );
        for (i, zone) in zones.iter().enumerate() {
            let i = (i + 1).to_string();
            let rule = row::FORWARD.at(n, &[&i]);
            let targets: Vec<_> = vpn
                .dns
                .iter()
                .map(|ip| json!({ "ip": ip.to_string(), "port": DNS_PORT }))
                .collect();
            root.resource(
                &rule,
                json!({
                    "name": root.aws(&row::FORWARD, "name", n, &[&i]),
                    "domain_name": zone.clone(),
                    "rule_type": "FORWARD",
                    "resolver_endpoint_id": attr(&endpoint, "id"),
                    "target_ip": targets,
                    "tags": row_tag(root, &row::FORWARD, n, &[&i]),
                }),
                origin,
            );
            root.resource(
                &row::FORWARD_ASSOCIATION.at(n, &[&i]),
                json!({
                    "resolver_rule_id": attr(&rule, "id"),
                    "vpc_id": attr(&row::VPC.at(n, &[]), "id"),
                }),
                origin,
            );
        }
    }
}
