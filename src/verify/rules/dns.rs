//! `reach.dns`: the host names components connect to resolve from their VPC.
//!
//! A VPC's resolver (the Route 53 Resolver at the VPC's base address + 2) answers public names
//! and the private hosted zones associated with the VPC; a name only the data centre's DNS
//! servers know reaches them only through a forwarding rule associated with the VPC, whose
//! outbound endpoint sends the query ("Resolving DNS queries between VPCs and your network",
//! Route 53 Developer Guide). A name that may be public needs nothing.

use super::super::net::{Hop, Peer};
use super::super::root::{Body, Val};
use super::super::{Finding, Input};
use crate::aws::dns::{DNS_PORT, RESOLVER_MIN_ADDRESSES, private_zone, under};
use ipnet::Ipv4Net;

pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    let domains: Vec<String> = input
        .intent
        .vpns
        .iter()
        .flat_map(|v| v.domains.iter().cloned())
        .collect();
    for host in &input.intent.hosts {
        let Some(zone) = private_zone(&host.name, &domains) else {
            continue;
        };
        let Some(vpc) = input.net.place(input.root, &host.from).vpc.clone() else {
            continue;
        };
        if let Err(why) = resolves(input, &host.name, &vpc) {
            out.push(Finding {
                rule: "reach.dns",
                message: format!(
                    "{} connects to `{}`, a name under `{zone}` that only the data centre's DNS servers know, and its VPC cannot resolve it: {why}",
                    host.from, host.name
                ),
                resources: vec![host.from.clone()],
            });
        }
    }
}

/// Whether `name` resolves from `vpc`: a private hosted zone of the VPC with its record, or a
/// forwarding rule that works.
fn resolves(input: &Input, name: &str, vpc: &str) -> Result<(), String> {
    let root = input.root;
    let zoned = root.each("aws_route53_zone").any(|body| {
        let zone = body.address();
        body.text("name").is_some_and(|z| under(name, &z))
            && body
                .get("vpc")
                .map(super::super::root::references)
                .is_some_and(|r| r.iter().any(|v| v == vpc))
            && root.each("aws_route53_record").any(|b| {
                b.one_ref("zone_id").as_deref() == Some(zone)
                    && b.text("name")
                        .is_some_and(|n| n.trim_end_matches('.').eq_ignore_ascii_case(name))
            })
    });
    if zoned {
        return Ok(());
    }
    let mut why =
        "no Route 53 Resolver forwarding rule for it is associated with the VPC".to_string();
    for body in root.each("aws_route53_resolver_rule") {
        let rule = body.address();
        let forwards = body.text("rule_type").as_deref() == Some("FORWARD")
            && body.text("domain_name").is_some_and(|d| under(name, &d));
        let associated = root
            .referring(
                "aws_route53_resolver_rule_association",
                "resolver_rule_id",
                rule,
            )
            .any(|a| root.one_ref(a, "vpc_id").as_deref() == Some(vpc));
        if !(forwards && associated) {
            continue;
        }
        match rule_works(input, rule, body, vpc) {
            Ok(()) => return Ok(()),
            Err(problem) => why = problem,
        }
    }
    Err(why)
}

/// A forwarding rule's endpoint is outbound, in the VPC, with two addresses, and reaches every
/// target on port 53 (its security group lets it out, its subnets route there).
fn rule_works(input: &Input, rule: &str, body: Body, vpc: &str) -> Result<(), String> {
    let root = input.root;
    let endpoint = root
        .one_ref(rule, "resolver_endpoint_id")
        .ok_or_else(|| format!("{rule} names no outbound endpoint"))?;
    let eb = root
        .get(&endpoint)
        .ok_or_else(|| format!("{rule}'s endpoint is not in the root"))?;
    if eb.text("direction").as_deref() != Some("OUTBOUND") {
        return Err(format!("{endpoint} is not an outbound endpoint"));
    }
    let at = input.net.place(root, &endpoint);
    if at.vpc.as_deref() != Some(vpc) {
        return Err(format!("{endpoint} is not in the VPC"));
    }
    let addresses = eb
        .get("ip_address")
        .and_then(Val::items)
        .map_or(0, |a| a.len());
    if addresses < RESOLVER_MIN_ADDRESSES {
        return Err(format!(
            "{endpoint} has {addresses} IP address(es); Route 53 Resolver needs {RESOLVER_MIN_ADDRESSES}"
        ));
    }
    let targets: Vec<Ipv4Net> = body
        .get("target_ip")
        .and_then(Val::items)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("ip")?.as_str()?.parse::<std::net::Ipv4Addr>().ok())
        .map(Ipv4Net::from)
        .collect();
    if targets.is_empty() {
        return Err(format!("{rule} forwards to no DNS server"));
    }
    let cidr = at.vpc_cidr;
    let announced = |gateway: &str| {
        input
            .intent
            .vpn(gateway)
            .map(|v| v.networks.clone())
            .unwrap_or_default()
    };
    for target in targets {
        let out = at.groups.iter().any(|g| {
            input.net.rules(g).iter().any(|r| {
                !r.ingress
                    && (r.covers("udp", DNS_PORT) || r.covers("tcp", DNS_PORT))
                    && matches!(r.peer, Peer::Cidr(c) if c.contains(&target))
            })
        });
        if !out {
            return Err(format!(
                "no security group of {endpoint} lets DNS (port 53) out to {target}"
            ));
        }
        for subnet in &at.subnets {
            match input.net.hop(subnet, cidr, target, &announced) {
                Some(Hop::Local) => {}
                Some(Hop::Vpn(g))
                    if input
                        .net
                        .attachments
                        .get(&g)
                        .is_some_and(|v| v.iter().any(|x| x == vpc)) => {}
                _ => {
                    return Err(format!(
                        "{endpoint}'s subnet {subnet} has no route to the DNS server {target} through the VPN"
                    ));
                }
            }
        }
    }
    Ok(())
}
