//! The network picture of a root, read from its resources: where each component runs (its
//! VPC, subnets and security groups), what each security group admits and lets out, which
//! route each subnet takes to a destination (local, internet gateway, NAT gateway, virtual
//! private gateway — static or propagated), and the VPC endpoints. Everything is indexed once
//! so that each question is answered in time proportional to the rules it looks at.
//!
//! AWS's behaviour modelled here, from the Amazon VPC User Guide: security groups are
//! stateful and a connection needs the client's egress and the server's ingress ("Security
//! group rules"); a route table picks the most specific route, the `local` route of the VPC's
//! range cannot be overridden, and propagated VPN routes lose to static routes of the same
//! prefix ("Route priority"); a subnet without an association uses the VPC's main route table,
//! which pmigc never adds routes to ("Subnet route tables"); a NAT gateway reaches the internet
//! only from a subnet whose route to `0.0.0.0/0` is an internet gateway ("NAT gateways").
//! Network ACLs are not modelled (see `docs/verify.md`): pmigc emits none, and the VPC's
//! default ACL admits all traffic ("Default network ACL").

use super::root::{Body, Root, Val};
use ipnet::Ipv4Net;
use std::collections::HashMap;

/// Where a component runs.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub vpc: Option<String>,
    /// The VPC's range.
    pub vpc_cidr: Option<Ipv4Net>,
    pub subnets: Vec<String>,
    /// The ranges of the subnets that have one.
    pub subnet_cidrs: Vec<Ipv4Net>,
    pub groups: Vec<String>,
}

/// The kinds of resource that stand for a component (where it runs is read once for each).
pub const COMPONENTS: &[&str] = &[
    "aws_autoscaling_group",
    "aws_lb",
    "aws_rds_cluster",
    "aws_dms_replication_instance",
    "aws_vpc_endpoint",
    "aws_route53_resolver_endpoint",
];

/// Who is on the other side of a security-group rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    Cidr(Ipv4Net),
    Group(String),
    /// A prefix list or a peer the verifier cannot read.
    Other,
}

#[derive(Debug, Clone)]
pub struct SgRule {
    pub address: String,
    pub ingress: bool,
    /// `tcp`, `udp` or `-1` (everything).
    pub protocol: String,
    pub from: u16,
    pub to: u16,
    pub peer: Peer,
}

impl SgRule {
    pub fn covers(&self, protocol: &str, port: u16) -> bool {
        self.protocol == "-1" || (self.protocol == protocol && self.from <= port && port <= self.to)
    }
}

/// Where a route sends traffic.
#[derive(Debug, Clone, PartialEq)]
pub enum Hop {
    Local,
    Internet(String),
    Nat(String),
    Vpn(String),
    Endpoint(String),
    Other(String),
}

#[derive(Debug, Clone)]
struct Route {
    destination: Ipv4Net,
    hop: Hop,
    propagated: bool,
}

/// The indexes.
#[derive(Debug, Default)]
pub struct Net {
    rules: HashMap<String, Vec<SgRule>>,
    /// group → the peer group → positions in `rules[group]` (egress, ingress).
    by_peer: HashMap<String, HashMap<String, [Vec<usize>; 2]>>,
    /// group → positions of the rules whose peer is not a group (egress, ingress).
    by_cidr: HashMap<String, [Vec<usize>; 2]>,
    /// Subnet → its route table.
    tables: HashMap<String, String>,
    routes: HashMap<String, Vec<Route>>,
    /// Route table → VPN gateways propagating into it (`data.aws_vpn_gateway.x` or a literal id).
    propagations: HashMap<String, Vec<String>>,
    /// VPN gateway → the VPCs it is attached to.
    pub attachments: HashMap<String, Vec<String>>,
    /// Where each component runs ([`COMPONENTS`]).
    places: HashMap<String, Place>,
}

/// Every CIDR of a list (`cidr_blocks`), or the one of `cidr_ipv4`.
fn cidrs_of(body: Body, key: &str) -> Vec<Ipv4Net> {
    let Some(v) = body.get(key) else {
        return Vec::new();
    };
    match v.as_str() {
        Some(s) => s.parse().ok().into_iter().collect(),
        None => v
            .items()
            .into_iter()
            .flatten()
            .filter_map(|i| i.as_str()?.parse().ok())
            .collect(),
    }
}

/// A port attribute (a number, or a number as text; 0 when neither).
fn port_of(body: Body, key: &str) -> u16 {
    body.get(key)
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .and_then(|n| u16::try_from(n).ok())
        .unwrap_or(0)
}

/// A protocol as the verifier compares it: `tcp`, `udp`, `-1` for all.
fn normal(p: String) -> String {
    match p.as_str() {
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "all" => "-1".into(),
        _ => p,
    }
}

/// A block's protocol (`ip_protocol` or `protocol`), as the verifier compares it.
fn protocol_of(body: Body) -> String {
    let p = body
        .get("ip_protocol")
        .or_else(|| body.get("protocol"))
        .and_then(|v: Val| {
            v.as_str()
                .map(|s| s.to_ascii_lowercase())
                .or_else(|| v.as_i64().map(|n| n.to_string()))
        })
        .unwrap_or_default();
    normal(p)
}

/// A VPN gateway's identity: the data source's literal id when it is one.
pub fn gateway_id(root: &Root, reference: &str) -> String {
    root.text(reference, "id")
        .filter(|id| !id.contains("${"))
        .map_or_else(|| reference.to_string(), |id| id.into_owned())
}

impl Net {
    pub fn read(root: &Root) -> Net {
        let mut net = Net::default();
        for (kind, ingress) in [
            ("aws_vpc_security_group_ingress_rule", true),
            ("aws_vpc_security_group_egress_rule", false),
        ] {
            for body in root.each(kind) {
                let Some(group) = body.one_ref("security_group_id") else {
                    continue;
                };
                let peer = match (
                    cidrs_of(body, "cidr_ipv4").first(),
                    body.one_ref("referenced_security_group_id"),
                ) {
                    (Some(c), _) => Peer::Cidr(*c),
                    (None, Some(g)) => Peer::Group(g),
                    _ => Peer::Other,
                };
                let protocol = protocol_of(body);
                let all = protocol == "-1";
                net.rules.entry(group).or_default().push(SgRule {
                    address: body.address().to_string(),
                    ingress,
                    from: if all { 0 } else { port_of(body, "from_port") },
                    to: if all {
                        u16::MAX
                    } else {
                        port_of(body, "to_port")
                    },
                    protocol,
                    peer,
                });
            }
        }
        // Inline rules of `aws_security_group` and `aws_security_group_rule`, as hand edits
        // may add them.
        for body in root.each("aws_security_group") {
            for (key, ingress) in [("ingress", true), ("egress", false)] {
                let Some(rules) = body.get(key) else {
                    continue;
                };
                for rule in rules.items().into_iter().flatten() {
                    let members = rule.members().unwrap_or_default();
                    let rule = Body::nested(body.address(), &members);
                    net.inline(body.address(), body.address(), rule, ingress);
                }
            }
        }
        for body in root.each("aws_security_group_rule") {
            if let Some(group) = body.one_ref("security_group_id") {
                let ingress = body.text("type").as_deref() == Some("ingress");
                net.inline(&group, body.address(), body, ingress);
            }
        }
        for (group, rules) in &net.rules {
            for (i, rule) in rules.iter().enumerate() {
                let side = usize::from(rule.ingress);
                let positions = match &rule.peer {
                    Peer::Group(peer) => net
                        .by_peer
                        .entry(group.clone())
                        .or_default()
                        .entry(peer.clone())
                        .or_default(),
                    _ => net.by_cidr.entry(group.clone()).or_default(),
                };
                if let Some(list) = positions.get_mut(side) {
                    list.push(i);
                }
            }
        }
        for body in root.each("aws_route_table_association") {
            if let (Some(subnet), Some(table)) =
                (body.one_ref("subnet_id"), body.one_ref("route_table_id"))
            {
                net.tables.insert(subnet, table);
            }
        }
        for body in root.each("aws_route") {
            if let Some(table) = body.one_ref("route_table_id") {
                net.route(root, &table, body.address(), body);
            }
        }
        for body in root.each("aws_route_table") {
            let Some(routes) = body.get("route") else {
                continue;
            };
            for route in routes.items().into_iter().flatten() {
                let members = route.members().unwrap_or_default();
                let route = Body::nested(body.address(), &members);
                net.route(root, body.address(), body.address(), route);
            }
        }
        for body in root.each("aws_vpn_gateway_route_propagation") {
            if let (Some(table), Some(gateway)) = (
                body.one_ref("route_table_id"),
                body.one_ref("vpn_gateway_id"),
            ) {
                net.propagations
                    .entry(table)
                    .or_default()
                    .push(gateway_id(root, &gateway));
            }
        }
        for body in root.each("aws_vpn_gateway_attachment") {
            if let (Some(vpc), Some(gateway)) =
                (body.one_ref("vpc_id"), body.one_ref("vpn_gateway_id"))
            {
                net.attachments
                    .entry(gateway_id(root, &gateway))
                    .or_default()
                    .push(vpc);
            }
        }
        for kind in COMPONENTS {
            for body in root.each(kind) {
                net.places
                    .insert(body.address().to_string(), place(root, body.address()));
            }
        }
        net
    }

    /// Where a component runs (read once; a block that is not a component is read now).
    pub fn place(&self, root: &Root, address: &str) -> std::borrow::Cow<'_, Place> {
        match self.places.get(address) {
            Some(place) => std::borrow::Cow::Borrowed(place),
            None => std::borrow::Cow::Owned(place(root, address)),
        }
    }

    fn inline(&mut self, group: &str, address: &str, rule: Body, ingress: bool) {
        let protocol = protocol_of(rule);
        let all = protocol == "-1";
        let groups = rule
            .get("security_groups")
            .or_else(|| rule.get("source_security_group_id"))
            .map(Val::refs)
            .unwrap_or_default();
        let mut peers: Vec<Peer> = cidrs_of(rule, "cidr_blocks")
            .into_iter()
            .map(Peer::Cidr)
            .collect();
        peers.extend(groups.into_iter().map(Peer::Group));
        if rule.get("self").and_then(Val::as_bool) == Some(true) {
            peers.push(Peer::Group(group.to_string()));
        }
        for peer in peers {
            self.rules
                .entry(group.to_string())
                .or_default()
                .push(SgRule {
                    address: address.to_string(),
                    ingress,
                    from: if all { 0 } else { port_of(rule, "from_port") },
                    to: if all {
                        u16::MAX
                    } else {
                        port_of(rule, "to_port")
                    },
                    protocol: protocol.clone(),
                    peer,
                });
        }
    }

    fn route(&mut self, root: &Root, table: &str, address: &str, body: Body) {
        let Some(destination) = cidrs_of(body, "destination_cidr_block")
            .first()
            .copied()
            .or_else(|| cidrs_of(body, "cidr_block").first().copied())
        else {
            return;
        };
        let target = |key: &str| {
            body.get(key).and_then(|v| {
                v.refs()
                    .into_iter()
                    .next()
                    .or_else(|| v.as_str().map(std::borrow::Cow::into_owned))
            })
        };
        let hop = if let Some(nat) = target("nat_gateway_id") {
            Hop::Nat(nat)
        } else if let Some(endpoint) = target("vpc_endpoint_id") {
            Hop::Endpoint(endpoint)
        } else if let Some(gateway) = target("gateway_id") {
            if gateway.starts_with("aws_internet_gateway.") || gateway.starts_with("igw-") {
                Hop::Internet(gateway)
            } else if gateway.starts_with("data.aws_vpn_gateway.")
                || gateway.starts_with("aws_vpn_gateway.")
                || gateway.starts_with("vgw-")
            {
                Hop::Vpn(gateway_id(root, &gateway))
            } else if gateway == "local" {
                Hop::Local
            } else {
                Hop::Other(gateway)
            }
        } else {
            Hop::Other(address.to_string())
        };
        self.routes
            .entry(table.to_string())
            .or_default()
            .push(Route {
                destination,
                hop,
                propagated: false,
            });
    }

    /// The rules of a security group.
    pub fn rules(&self, group: &str) -> &[SgRule] {
        self.rules.get(group).map_or(&[], Vec::as_slice)
    }

    /// The rules of `group` in one direction whose peer is the group `peer`.
    pub fn between<'a>(
        &'a self,
        group: &str,
        ingress: bool,
        peer: &str,
    ) -> impl Iterator<Item = &'a SgRule> + 'a {
        let rules = self.rules(group);
        self.by_peer
            .get(group)
            .and_then(|peers| peers.get(peer))
            .and_then(|sides| sides.get(usize::from(ingress)))
            .into_iter()
            .flatten()
            .filter_map(move |i| rules.get(*i))
    }

    /// The rules of `group` in one direction whose peer is not a group (CIDR blocks).
    pub fn ranged<'a>(
        &'a self,
        group: &str,
        ingress: bool,
    ) -> impl Iterator<Item = &'a SgRule> + 'a {
        let rules = self.rules(group);
        self.by_cidr
            .get(group)
            .and_then(|sides| sides.get(usize::from(ingress)))
            .into_iter()
            .flatten()
            .filter_map(move |i| rules.get(*i))
    }

    /// Every security group with rules, and its rules.
    pub fn all_rules(&self) -> impl Iterator<Item = (&String, &Vec<SgRule>)> {
        self.rules.iter()
    }

    /// The hop a subnet of VPC `vpc_cidr` takes towards all of `destination`: the most
    /// specific route that contains it (static before propagated), `local` inside the VPC.
    /// `vpn_networks` are the networks a propagating gateway announces.
    pub fn hop(
        &self,
        subnet: &str,
        vpc_cidr: Option<Ipv4Net>,
        destination: Ipv4Net,
        vpn_networks: &dyn Fn(&str) -> Vec<Ipv4Net>,
    ) -> Option<Hop> {
        if vpc_cidr.is_some_and(|vpc| vpc.contains(&destination)) {
            return Some(Hop::Local);
        }
        let table = self.tables.get(subnet)?;
        // The best route: the longest prefix, a static route before a propagated one; of
        // equals, the last (as `max_by_key` picks). Static routes first, in order.
        let mut best: Option<((u8, bool), &Hop)> = None;
        for route in self.routes.get(table).into_iter().flatten() {
            let key = (route.destination.prefix_len(), !route.propagated);
            if route.destination.contains(&destination) && best.is_none_or(|(k, _)| key >= k) {
                best = Some((key, &route.hop));
            }
        }
        let mut best: Option<((u8, bool), Hop)> = best.map(|(k, h)| (k, h.clone()));
        for gateway in self.propagations.get(table).into_iter().flatten() {
            for network in vpn_networks(gateway) {
                let key = (network.prefix_len(), false);
                if network.contains(&destination) && best.as_ref().is_none_or(|(k, _)| key >= *k) {
                    best = Some((key, Hop::Vpn(gateway.clone())));
                }
            }
        }
        best.map(|(_, hop)| hop)
    }

    /// The route table of a subnet.
    pub fn table(&self, subnet: &str) -> Option<&String> {
        self.tables.get(subnet)
    }
}

/// Where a component runs, read from its own resource: an Auto Scaling group through its
/// launch template, a load balancer, an Aurora cluster through its subnet group, a DMS
/// instance through its replication subnet group, a VPC endpoint, a Resolver endpoint.
fn place(root: &Root, address: &str) -> Place {
    let kind = address.split('.').next().unwrap_or_default();
    let mut place = Place::default();
    let Some(body) = root.get(address) else {
        return place;
    };
    match kind {
        "aws_autoscaling_group" => {
            place.subnets = body.refs("vpc_zone_identifier");
            if let Some(template) = body.one_ref("launch_template") {
                place.groups = root.refs(&template, "vpc_security_group_ids");
            }
        }
        "aws_lb" => {
            place.subnets = body.refs("subnets");
            place.groups = body.refs("security_groups");
        }
        "aws_rds_cluster" => {
            place.groups = body.refs("vpc_security_group_ids");
            if let Some(group) = body.one_ref("db_subnet_group_name") {
                place.subnets = root.refs(&group, "subnet_ids");
            }
        }
        "aws_dms_replication_instance" => {
            place.groups = body.refs("vpc_security_group_ids");
            if let Some(group) = body.one_ref("replication_subnet_group_id") {
                place.subnets = root.refs(&group, "subnet_ids");
            }
        }
        "aws_vpc_endpoint" => {
            place.groups = body.refs("security_group_ids");
            place.subnets = body.refs("subnet_ids");
        }
        "aws_route53_resolver_endpoint" => {
            place.groups = body.refs("security_group_ids");
            place.subnets = body.refs("ip_address");
        }
        _ => {}
    }
    place.vpc = place
        .subnets
        .first()
        .and_then(|s| root.one_ref(s, "vpc_id"))
        .or_else(|| body.one_ref("vpc_id"));
    place.vpc_cidr = place.vpc.as_deref().and_then(|v| vpc_cidr(root, v));
    place.subnet_cidrs = place
        .subnets
        .iter()
        .filter_map(|s| subnet_cidr(root, s))
        .collect();
    place
}

/// A VPC's range.
pub fn vpc_cidr(root: &Root, vpc: &str) -> Option<Ipv4Net> {
    root.text(vpc, "cidr_block")?.parse().ok()
}

/// A subnet's range.
pub fn subnet_cidr(root: &Root, subnet: &str) -> Option<Ipv4Net> {
    root.text(subnet, "cidr_block")?.parse().ok()
}
