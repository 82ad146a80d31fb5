//! `reach.flow` and `reach.api`: paths for the stack's flows and for its components' AWS API
//! calls. A connection needs the client's egress and the server's ingress (security groups
//! are stateful: the replies follow), and a route back for the replies; a load balancer also
//! needs a listener on the port and a target group that holds the service.

use super::super::intent::{End, Flow};
use super::super::net::{Hop, Peer, Place, vpc_cidr};
use super::super::root::{Body, Val};
use super::super::{Finding, Input};
use crate::aws::services::{API_PORT, api_of, endpoint_service};
use ipnet::Ipv4Net;

/// Every address in the world: a rule admitting it admits the internet.
fn everywhere() -> Ipv4Net {
    Ipv4Net::default()
}

/// Whether a rule of `place`'s groups in one direction, for TCP `port`, has the component at
/// `other` on its far side: a rule naming one of its groups, or a range holding all its subnets.
fn admits_place(input: &Input, place: &Place, ingress: bool, port: u16, other: &Place) -> bool {
    let cidrs = &other.subnet_cidrs;
    place.groups.iter().any(|g| {
        other.groups.iter().any(|og| {
            input
                .net
                .between(g, ingress, og)
                .any(|r| r.covers("tcp", port))
        }) || input.net.ranged(g, ingress).any(|r| {
            r.covers("tcp", port)
                && !cidrs.is_empty()
                && cidrs.len() == other.subnets.len()
                && matches!(r.peer, Peer::Cidr(c) if cidrs.iter().all(|n| c.contains(n)))
        })
    })
}

/// Whether a rule of `place`'s groups in one direction, for TCP `port`, has all of `net` on
/// its far side.
fn admits_cidr(input: &Input, place: &Place, ingress: bool, port: u16, net: Ipv4Net) -> bool {
    place.groups.iter().any(|g| {
        input
            .net
            .ranged(g, ingress)
            .any(|r| r.covers("tcp", port) && matches!(r.peer, Peer::Cidr(c) if c.contains(&net)))
    })
}

/// The networks a VPN gateway announces (from the intent; none when the intent lacks it).
fn announced<'r>(input: &'r Input) -> impl Fn(&str) -> Vec<Ipv4Net> + 'r {
    |gateway: &str| {
        input
            .intent
            .vpn(gateway)
            .map(|v| v.networks.clone())
            .unwrap_or_default()
    }
}

/// Whether the gateway is attached to the VPC.
fn attached(input: &Input, gateway: &str, vpc: &str) -> bool {
    input
        .net
        .attachments
        .get(gateway)
        .is_some_and(|vpcs| vpcs.iter().any(|v| v == vpc))
}

/// Why the subnets of `place` cannot send to `destination` (the replies of a connection
/// `destination` opened when `inbound`, or a connection opened towards it); `None` when every
/// subnet can. A NAT gateway only carries connections opened from inside: the replies of a
/// connection opened from outside never reach their client through it ("NAT gateways",
/// Amazon VPC User Guide: "resources … can connect to services outside your VPC but external
/// services can't initiate a connection with those instances").
fn route_problem(
    input: &Input,
    place: &Place,
    destination: Ipv4Net,
    inbound: bool,
) -> Option<String> {
    let vpc = place.vpc.as_deref()?;
    let cidr = place.vpc_cidr;
    let vpn = input
        .intent
        .vpns
        .iter()
        .find(|v| v.networks.iter().any(|n| n.contains(&destination)));
    for subnet in &place.subnets {
        let hop = input.net.hop(subnet, cidr, destination, &announced(input));
        let ok = match (&hop, vpn) {
            (Some(Hop::Local), _) => true,
            (Some(Hop::Vpn(gateway)), _) => attached(input, gateway, vpc),
            (Some(Hop::Nat(nat)), None) => !inbound && nat_works(input, nat, vpc),
            (Some(Hop::Internet(igw)), None) => {
                internet_gateway_of(input, igw, vpc) && public_addresses(input, place)
            }
            _ => false,
        };
        if !ok {
            let why = match (&hop, vpn) {
                (None, _) => "it has no route there".to_string(),
                (Some(Hop::Nat(_)), Some(v)) | (Some(Hop::Internet(_)), Some(v)) => format!(
                    "its route there leads to the internet, not to VPN gateway {}",
                    v.gateway
                ),
                (Some(Hop::Vpn(g)), _) => format!("VPN gateway {g} is not attached to its VPC"),
                (Some(Hop::Nat(_)), None) if inbound => "its route there is a NAT gateway, which carries no connection opened from outside: the replies never reach their client".to_string(),
                (Some(h), _) => format!("its route there ({h:?}) does not lead there"),
            };
            return Some(format!(
                "subnet {subnet} cannot send to {destination}: {why}"
            ));
        }
    }
    None
}

/// A load balancer's subnets may be public; nothing else pmigc places has a public address.
fn public_addresses(input: &Input, place: &Place) -> bool {
    place.subnets.iter().all(|s| {
        input
            .root
            .get(s)
            .and_then(|b| b.get("map_public_ip_on_launch"))
            .and_then(Val::as_bool)
            == Some(true)
    })
}

fn internet_gateway_of(input: &Input, igw: &str, vpc: &str) -> bool {
    input.root.one_ref(igw, "vpc_id").as_deref() == Some(vpc)
        || input.root.each("aws_internet_gateway_attachment").any(|a| {
            a.one_ref("internet_gateway_id").as_deref() == Some(igw)
                && a.one_ref("vpc_id").as_deref() == Some(vpc)
        })
}

/// A NAT gateway reaches the internet: it has an address and sits in a subnet of the VPC
/// whose default route is the VPC's internet gateway.
fn nat_works(input: &Input, nat: &str, vpc: &str) -> bool {
    let Some(subnet) = input.root.one_ref(nat, "subnet_id") else {
        return false;
    };
    let public = input
        .root
        .get(nat)
        .and_then(|b| b.text("connectivity_type"))
        .as_deref()
        != Some("private")
        && input.root.one_ref(nat, "allocation_id").is_some();
    let out = input.net.hop(
        &subnet,
        vpc_cidr(input.root, vpc),
        everywhere(),
        &announced(input),
    );
    public && matches!(out, Some(Hop::Internet(igw)) if internet_gateway_of(input, &igw, vpc))
}

/// Listeners of a load balancer on `port`.
fn listeners<'r>(input: &'r Input, lb: &'r str, port: u16) -> Vec<&'r str> {
    input
        .root
        .referring("aws_lb_listener", "load_balancer_arn", lb)
        .filter(|l| {
            input
                .root
                .get(l)
                .and_then(|b| b.get("port"))
                .and_then(|p| p.as_u64().or_else(|| p.as_str()?.parse().ok()))
                == Some(u64::from(port))
        })
        .collect()
}

/// Whether the load balancer forwards, from some listener or listener rule, to a target group
/// that holds the Auto Scaling group `asg` on `port`.
fn forwards(input: &Input, lb: &str, asg: &str, port: u16) -> bool {
    let groups = input.root.refs(asg, "target_group_arns");
    let serving: Vec<&String> = groups
        .iter()
        .filter(|tg| {
            input
                .root
                .get(tg)
                .and_then(|b| b.get("port"))
                .and_then(Val::as_u64)
                == Some(u64::from(port))
        })
        .collect();
    // From each target group to what forwards to it (the index: not every rule of the load
    // balancer), then whether that is a listener of `lb` or a rule of one.
    let of_lb =
        |listener: &str| input.root.one_ref(listener, "load_balancer_arn").as_deref() == Some(lb);
    serving.iter().any(|tg| {
        input
            .root
            .referring("aws_lb_listener", "default_action", tg)
            .any(of_lb)
            || input
                .root
                .referring("aws_lb_listener_rule", "action", tg)
                .any(|rule| {
                    input
                        .root
                        .one_ref(rule, "listener_arn")
                        .is_some_and(|l| of_lb(&l))
                })
    })
}

/// Why `flow` has no path, if it has none.
fn flow_problem(input: &Input, flow: &Flow) -> Option<(String, Vec<String>)> {
    let port = flow.port;
    match (&flow.from, &flow.to) {
        (End::Internet | End::HealthCheckers, End::Block(lb)) => {
            let to = input.net.place(input.root, lb);
            let internal = input
                .root
                .get(lb)
                .and_then(|b| b.get("internal"))
                .and_then(Val::as_bool)
                .unwrap_or(false);
            if internal {
                return Some((format!("{lb} is internal"), vec![lb.clone()]));
            }
            if listeners(input, lb, port).is_empty() {
                return Some((
                    format!("{lb} has no listener on port {port}"),
                    vec![lb.clone()],
                ));
            }
            if !admits_cidr(input, &to, true, port, everywhere()) {
                return Some((
                    format!("no security group of {lb} admits port {port} from everywhere"),
                    vec![lb.clone()],
                ));
            }
            let vpc = to.vpc.as_deref().unwrap_or_default();
            let back = to.subnets.iter().find(|s| {
                !matches!(
                    input.net.hop(s, to.vpc_cidr, everywhere(), &announced(input)),
                    Some(Hop::Internet(igw)) if internet_gateway_of(input, &igw, vpc)
                )
            });
            back.map(|s| {
                (
                    format!(
                        "{lb}'s subnet {s} has no route to the internet gateway for the replies"
                    ),
                    vec![lb.clone(), s.clone()],
                )
            })
        }
        (End::Cidr(from), End::Block(to_address)) => {
            let to = input.net.place(input.root, to_address);
            if to_address.starts_with("aws_lb.") && listeners(input, to_address, port).is_empty() {
                return Some((
                    format!("{to_address} has no listener on port {port}"),
                    vec![to_address.clone()],
                ));
            }
            if !admits_cidr(input, &to, true, port, *from) {
                return Some((
                    format!("no security group of {to_address} admits port {port} from {from}"),
                    vec![to_address.clone()],
                ));
            }
            route_problem(input, &to, *from, true).map(|why| {
                (
                    format!("the replies cannot leave: {why}"),
                    vec![to_address.clone()],
                )
            })
        }
        (End::Block(from_address), End::Block(to_address)) => {
            let (from, to) = (
                input.net.place(input.root, from_address),
                input.net.place(input.root, to_address),
            );
            if from.vpc.is_none() || from.vpc != to.vpc {
                return Some((
                    format!("{from_address} and {to_address} are not in one VPC"),
                    vec![from_address.clone(), to_address.clone()],
                ));
            }
            if !admits_place(input, &from, false, port, &to) {
                return Some((
                    format!(
                        "no security group of {from_address} lets port {port} out to {to_address}"
                    ),
                    vec![from_address.clone(), to_address.clone()],
                ));
            }
            if !admits_place(input, &to, true, port, &from) {
                return Some((
                    format!(
                        "no security group of {to_address} admits port {port} from {from_address}"
                    ),
                    vec![to_address.clone(), from_address.clone()],
                ));
            }
            if from_address.starts_with("aws_lb.")
                && to_address.starts_with("aws_autoscaling_group.")
                && !forwards(input, from_address, to_address, port)
            {
                return Some((
                    format!(
                        "{from_address} has no listener forwarding to a target group of {to_address} on port {port}"
                    ),
                    vec![from_address.clone(), to_address.clone()],
                ));
            }
            None
        }
        (End::Block(from_address), End::Cidr(to)) => {
            let from = input.net.place(input.root, from_address);
            if !admits_cidr(input, &from, false, port, *to) {
                return Some((
                    format!("no security group of {from_address} lets port {port} out to {to}"),
                    vec![from_address.clone()],
                ));
            }
            route_problem(input, &from, *to, false).map(|why| (why, vec![from_address.clone()]))
        }
        (from, to) => Some((
            format!("a flow from {from} to {to} is not one the verifier can prove"),
            Vec::new(),
        )),
    }
}

/// `reach.flow`: every flow of the intent has a path.
pub(super) fn flows(input: &Input, out: &mut Vec<Finding>) {
    for flow in &input.intent.flows {
        if let Some((why, resources)) = flow_problem(input, flow) {
            out.push(Finding {
                rule: "reach.flow",
                message: format!(
                    "{} to {} on port {} ({}) has no path: {why}",
                    flow.from, flow.to, flow.port, flow.why
                ),
                resources,
            });
        }
    }
}

/// The components that call an API, and which: the intent's calls, and each DMS instance
/// whose endpoints read their credentials from Secrets Manager.
pub(super) fn api_callers(input: &Input) -> Vec<(String, String)> {
    let mut callers: Vec<(String, String)> = input
        .intent
        .calls
        .iter()
        .map(|c| (c.from.clone(), api_of(&c.action).to_string()))
        .collect();
    for task in input.root.each("aws_dms_replication_task") {
        let Some(instance) = task.one_ref("replication_instance_arn") else {
            continue;
        };
        for side in ["source_endpoint_arn", "target_endpoint_arn"] {
            if let Some(endpoint) = task.one_ref(side)
                && input
                    .root
                    .get(&endpoint)
                    .is_some_and(|b| b.get("secrets_manager_arn").is_some())
            {
                callers.push((instance.clone(), "secretsmanager".into()));
            }
        }
    }
    callers.sort();
    callers.dedup();
    callers
}

/// The interface endpoint with private DNS for `api` in `vpc`, if there is one.
pub(super) fn interface_endpoint<'r>(input: &'r Input, vpc: &str, api: &str) -> Option<&'r str> {
    let service = endpoint_service(&input.root.region, api);
    input
        .root
        .each("aws_vpc_endpoint")
        .find(|b| {
            b.one_ref("vpc_id").as_deref() == Some(vpc)
                && b.text("service_name").as_deref() == Some(service.as_str())
                && b.text("vpc_endpoint_type").as_deref() == Some("Interface")
                && b.get("private_dns_enabled").and_then(Val::as_bool) == Some(true)
        })
        .map(Body::address)
}

/// `reach.api`: every caller reaches the API it calls.
pub(super) fn apis(input: &Input, out: &mut Vec<Finding>) {
    for (caller, api) in api_callers(input) {
        let from = input.net.place(input.root, &caller);
        let Some(vpc) = from.vpc.clone() else {
            continue;
        };
        let problem = match interface_endpoint(input, &vpc, &api) {
            Some(endpoint) => {
                let to = input.net.place(input.root, endpoint);
                if !admits_place(input, &from, false, API_PORT, &to) {
                    Some(format!(
                        "no security group of {caller} lets HTTPS out to the {api} endpoint {endpoint}, which private DNS sends it to"
                    ))
                } else if !admits_place(input, &to, true, API_PORT, &from) {
                    Some(format!(
                        "the {api} endpoint {endpoint} does not admit HTTPS from {caller}"
                    ))
                } else {
                    None
                }
            }
            None => {
                if !admits_cidr(input, &from, false, API_PORT, everywhere()) {
                    Some(format!(
                        "no security group of {caller} lets HTTPS out to the internet, and its VPC has no {api} interface endpoint with private DNS"
                    ))
                } else {
                    route_problem(input, &from, everywhere(), false).map(|why| {
                        format!(
                            "its VPC has no {api} interface endpoint with private DNS, and {why}"
                        )
                    })
                }
            }
        };
        if let Some(why) = problem {
            out.push(Finding {
                rule: "reach.api",
                message: format!("{caller} cannot reach the {api} API: {why}"),
                resources: vec![caller.clone()],
            });
        }
    }
}
