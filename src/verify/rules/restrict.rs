//! `restrict.ingress` and `restrict.path`: nothing reaches a component but what the stack
//! means.

use super::super::intent::End;
use super::super::net::{COMPONENTS, Peer};
use super::super::root::Val;
use super::super::{Finding, Input};
use super::reach::{api_callers, interface_endpoint};
use crate::aws::services::API_PORT;
use ipnet::Ipv4Net;
use std::collections::HashMap;

/// Private address space (RFC 1918 and RFC 6598): anything else in a rule is the internet.
fn private(net: &Ipv4Net) -> bool {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ]
    .iter()
    .filter_map(|p| p.parse::<Ipv4Net>().ok())
    .any(|p| p.contains(net))
}

/// `restrict.ingress`.
pub(super) fn ingress(input: &Input, out: &mut Vec<Finding>) {
    // Each group → the components that use it.
    let mut users: HashMap<String, Vec<String>> = HashMap::new();
    for kind in COMPONENTS {
        for body in input.root.each(kind) {
            let address = body.address();
            for group in &input.net.place(input.root, address).groups {
                users
                    .entry(group.clone())
                    .or_default()
                    .push(address.to_string());
            }
        }
    }
    // The components behind an interface endpoint's API: who may call it.
    let callers = api_callers(input);
    let mut endpoint_clients: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    for (caller, api) in &callers {
        if let Some(vpc) = input.net.place(input.root, caller).vpc.as_deref()
            && let Some(endpoint) = interface_endpoint(input, vpc, api)
        {
            endpoint_clients
                .entry(endpoint.to_string())
                .or_default()
                .insert(caller.clone());
        }
    }
    // The flows into each component, by port: each rule looks at its own.
    let mut flows: HashMap<(&str, u16), Vec<&End>> = HashMap::new();
    let mut between: std::collections::HashSet<(&str, u16, &str)> = Default::default();
    for f in &input.intent.flows {
        if let Some(to) = f.to.block() {
            match f.from.block() {
                Some(from) => {
                    between.insert((to, f.port, from));
                }
                None => flows.entry((to, f.port)).or_default().push(&f.from),
            }
        }
    }
    let mut groups: Vec<(&String, &Vec<super::super::net::SgRule>)> =
        input.net.all_rules().collect();
    groups.sort_by(|a, b| a.0.cmp(b.0));
    for (group, rules) in groups {
        let Some(components) = users.get(group) else {
            continue;
        };
        for rule in rules.iter().filter(|r| r.ingress) {
            for component in components {
                if let Some(why) = unmeant(
                    input,
                    component,
                    rule,
                    &users,
                    &endpoint_clients,
                    &flows,
                    &between,
                ) {
                    out.push(Finding {
                        rule: "restrict.ingress",
                        message: format!(
                            "{} admits {why} into {component}, which the stack does not mean",
                            rule.address
                        ),
                        resources: vec![rule.address.clone(), component.clone()],
                    });
                }
            }
        }
    }
}

/// What `rule` admits into `component` beyond the stack's flows, in words; `None` when every
/// connection it admits is meant.
fn unmeant(
    input: &Input,
    component: &str,
    rule: &super::super::net::SgRule,
    users: &HashMap<String, Vec<String>>,
    endpoint_clients: &HashMap<String, std::collections::HashSet<String>>,
    flows: &HashMap<(&str, u16), Vec<&End>>,
    between: &std::collections::HashSet<(&str, u16, &str)>,
) -> Option<String> {
    let ports: Vec<u16> = if rule.protocol == "-1" || rule.to.saturating_sub(rule.from) > 0 {
        return Some(match &rule.peer {
            Peer::Cidr(c) => format!("a range of ports from {c}"),
            _ => "a range of ports".to_string(),
        });
    } else {
        vec![rule.from]
    };
    let port = ports.first().copied().unwrap_or(0);
    let flows_in = || flows.get(&(component, port)).into_iter().flatten().copied();
    if component.starts_with("aws_vpc_endpoint.") {
        let none = std::collections::HashSet::new();
        let clients = endpoint_clients.get(component).unwrap_or(&none);
        let vpc_cidr = input.net.place(input.root, component).vpc_cidr;
        let meant = port == API_PORT
            && match &rule.peer {
                Peer::Group(g) => users
                    .get(g)
                    .is_some_and(|u| u.iter().all(|c| clients.contains(c))),
                Peer::Cidr(c) => vpc_cidr.is_some_and(|v| v.contains(c)),
                Peer::Other => false,
            };
        return (!meant).then(|| format!("port {port} from {:?}", rule.peer));
    }
    if component.starts_with("aws_route53_resolver_endpoint.") {
        return Some(format!("port {port}"));
    }
    match &rule.peer {
        Peer::Cidr(c) => {
            let meant = flows_in().any(|from| match from {
                End::Internet | End::HealthCheckers => true,
                End::Cidr(allowed) => allowed.contains(c),
                End::Block(_) => false,
            });
            (!meant).then(|| {
                if private(c) {
                    format!("port {port} from {c}")
                } else {
                    format!("port {port} from the internet ({c})")
                }
            })
        }
        Peer::Group(g) => {
            let senders = users.get(g).cloned().unwrap_or_default();
            let meant = !senders.is_empty()
                && senders
                    .iter()
                    .all(|s| between.contains(&(component, port, s.as_str())));
            (!meant).then(|| {
                format!(
                    "port {port} from {}",
                    if senders.is_empty() {
                        g.clone()
                    } else {
                        senders.join(", ")
                    }
                )
            })
        }
        Peer::Other => Some(format!("port {port} from a prefix list or unknown peer")),
    }
}

/// `restrict.path`: a routed service with an allow-list is forwarded to only from it.
pub(super) fn paths(input: &Input, out: &mut Vec<Finding>) {
    for restricted in &input.intent.restricted {
        let groups = input.root.refs(&restricted.target, "target_group_arns");
        for group in &groups {
            for body in input.root.each("aws_lb_listener_rule") {
                let rule = body.address();
                let forwards = body
                    .get("action")
                    .map(super::super::root::references)
                    .is_some_and(|r| r.contains(group));
                if !forwards {
                    continue;
                }
                let sources: Vec<Ipv4Net> = body
                    .get("condition")
                    .and_then(Val::items)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.get("source_ip")?.get("values")?.items())
                    .flatten()
                    .filter_map(|v| v.as_str()?.parse().ok())
                    .collect();
                let within = !sources.is_empty()
                    && sources
                        .iter()
                        .all(|s| restricted.sources.iter().any(|a| a.contains(s)));
                if !within {
                    out.push(Finding {
                        rule: "restrict.path",
                        message: format!(
                            "{rule} forwards to {} from {}, but the stack allows only {}",
                            restricted.target,
                            if sources.is_empty() {
                                "anyone who reaches the load balancer".to_string()
                            } else {
                                sources
                                    .iter()
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            },
                            restricted
                                .sources
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        resources: vec![rule.to_string(), restricted.target.clone()],
                    });
                }
            }
            for body in input.root.each("aws_lb_listener") {
                let listener = body.address();
                if body
                    .get("default_action")
                    .map(super::super::root::references)
                    .is_some_and(|r| r.contains(group))
                {
                    out.push(Finding {
                        rule: "restrict.path",
                        message: format!(
                            "{listener} forwards everything to {} by default, but the stack allows it only from its allow-list",
                            restricted.target
                        ),
                        resources: vec![listener.to_string(), restricted.target.clone()],
                    });
                }
            }
        }
    }
}
