//! Load balancers: an internet-facing ALB in the public subnets with an HTTPS listener (TLS
//! 1.2+, the existing ACM certificate), an optional HTTP listener that only redirects, and
//! security groups that open exactly internet → ALB:443 → service:port; or an internal ALB in
//! the private subnets (HTTPS, or plain HTTP on port 80 when the stack says `internal http`)
//! that only the VPC's range and the on-premises networks behind its VPN may reach; and the
//! target groups and listener rules of the services behind them.

use super::json::json;
use super::security::{self, Peer, Rule, Waiver};
use super::{Root, attr, network, row_tag};
use crate::derived::Address;
use crate::derived::table::{existing, network as net, service as row};
use crate::model::{Exposure, Facing, HttpMode, Listener, Name, Route, Service, Stack};

/// Port 80 open to the internet on a listener that only redirects: the accepted practice.
const REDIRECT_WAIVERS: [Waiver; 1] = [Waiver {
    check: "CKV_AWS_260",
    reason: "port 80 only answers with a permanent redirect to HTTPS (http = redirect); no request reaches the service unencrypted, and clients typing the bare host name still arrive",
}];

/// Why plain HTTP on an internal load balancer is not a finding: the stack chose it.
const PLAIN: &str = "the stack serves this internal load balancer over plain HTTP (exposed = internal http via ...): it sits in private subnets and admits only the VPC's range and the on-premises networks behind its VPN";

/// The findings of a plain-HTTP listener (not HTTPS, no TLS version to set).
const PLAIN_LISTENER_WAIVERS: [Waiver; 2] = [
    Waiver {
        check: "CKV_AWS_2",
        reason: PLAIN,
    },
    Waiver {
        check: "CKV_AWS_103",
        reason: PLAIN,
    },
];

/// The finding of a load balancer without an HTTPS listener to redirect to.
const PLAIN_BALANCER_WAIVERS: [Waiver; 1] = [Waiver {
    check: "CKV2_AWS_20",
    reason: PLAIN,
}];

/// The finding of a target group reached over HTTP from an HTTP listener.
const PLAIN_TARGET_WAIVERS: [Waiver; 1] = [Waiver {
    check: "CKV_AWS_378",
    reason: PLAIN,
}];

/// Whether `service`'s load balancer is an internal plain-HTTP one.
fn plain(service: &Service) -> bool {
    service
        .exposure
        .as_ref()
        .is_some_and(|e| e.listener == Listener::Http)
}

/// The TLS policy of every HTTPS listener: TLS 1.3 and 1.2 only.
pub(super) const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// The service's target group and the two rules that let `alb` (the security group of the load
/// balancer of service `owner`: its own, or the one it is routed on) reach the service port and
/// nothing else.
fn target(root: &mut Root, service: &Service, owner: &Name, alb: &Address, plain: bool) {
    let name = &service.name;
    let origin = service.origin;
    // The checker proves a service behind a load balancer has a port.
    let Some(port) = service.port.map(|p| p.get()) else {
        return;
    };
    let group = row::GROUP.at(name, &[]);
    security::egress(
        root,
        Rule {
            name: row::ALB_TO_SERVICE.at(name, &[&owner.address()]),
            group: alb,
            port,
            peer: Peer::Group(group.clone()),
            description: format!("To service {} on its port", service.name),
        },
        origin,
    );
    security::ingress(
        root,
        Rule {
            name: row::FROM_ALB.at(name, &[&owner.address()]),
            group: &group,
            port,
            peer: Peer::Group(alb.clone()),
            description: if *owner == service.name {
                "From its load balancer".into()
            } else {
                format!("From the load balancer of service {owner}")
            },
        },
        origin,
    );
    let mut target_group = json!({
        "name": root.aws(&row::TARGET_GROUP, "name", name, &[]),
        "port": port,
        "protocol": "HTTP",
        "target_type": "instance",
        "vpc_id": attr(&net::VPC.at(service.placement.network.name(), &[]), "id"),
        "deregistration_delay": "30",
        "health_check": {
            "enabled": true,
            "path": service.health_path.clone(),
            "port": port.to_string(),
            "protocol": "HTTP",
            "matcher": "200",
            "interval": 15,
            "timeout": 5,
            "healthy_threshold": 3,
            "unhealthy_threshold": 3
        },
        "tags": row_tag(root, &row::TARGET_GROUP, name, &[]),
    });
    if plain {
        target_group.insert("//", security::waivers(&PLAIN_TARGET_WAIVERS, None));
    }
    root.resource(&row::TARGET_GROUP.at(name, &[]), target_group, origin);
}

/// `exposed = path "/orders/*" on api`: a rule on the HTTPS listener of `api`'s load balancer.
pub(super) fn route(root: &mut Root, stack: &Stack, service: &Service, route: &Route) {
    let name = &service.name;
    let via = route.via.name();
    target(
        root,
        service,
        via,
        &row::ALB_GROUP.at(via, &[]),
        self::plain(&stack[&route.via]),
    );
    // The service's allow-list is applied here, where its clients arrive: requests for the
    // path from elsewhere match no rule and get the listener's default action.
    let mut conditions = vec![json!({ "path_pattern": { "values": [route.path.clone()] } })];
    if !service.allow.is_empty() {
        let sources: Vec<String> = service.allow.iter().map(ToString::to_string).collect();
        conditions.push(json!({ "source_ip": { "values": sources } }));
    }
    root.resource(
        &row::LISTENER_RULE.at(name, &[]),
        json!({
            "listener_arn": attr(&row::LISTENER.at(via, &[main_listener(stack, route)]), "arn"),
            "condition": conditions,
            "action": [{ "type": "forward", "target_group_arn": attr(&row::TARGET_GROUP.at(name, &[]), "arn") }],
            "tags": row_tag(root, &row::LISTENER_RULE, name, &[]),
        }),
        service.origin,
    );
}

/// The listener (`https` or `http`) a route on `route.via`'s load balancer is a rule of.
fn main_listener(stack: &Stack, route: &Route) -> &'static str {
    match stack[&route.via].exposure.as_ref().map(|e| &e.listener) {
        Some(Listener::Http) => "http",
        _ => "https",
    }
}

pub(super) fn load_balancer(
    root: &mut Root,
    stack: &Stack,
    service: &Service,
    exposure: &Exposure,
) {
    let name = &service.name;
    let alb = row::ALB_GROUP.at(name, &[]);
    let origin = service.origin;
    let description = match exposure.facing {
        Facing::Internet => internet_ingress(root, service, exposure, &alb),
        Facing::Internal => internal_ingress(root, stack, service, exposure, &alb),
    };
    security::group(
        root,
        &row::ALB_GROUP,
        name,
        &exposure.placement.network,
        &description,
        origin,
    );
    target(root, service, &service.name, &alb, plain(service));
    let mut balancer = json!({
        "name": root.aws(&row::LOAD_BALANCER, "name", name, &[]),
        "internal": exposure.facing == Facing::Internal,
        "load_balancer_type": "application",
        "security_groups": [attr(&alb, "id")],
        "subnets": network::subnet_ids(stack, &exposure.placement),
        "drop_invalid_header_fields": true,
        "enable_deletion_protection": true,
        "tags": row_tag(root, &row::LOAD_BALANCER, name, &[]),
    });
    if let Some(waivers) = super::waf::load_balancer_waivers(service) {
        balancer.insert("//", waivers);
    } else if plain(service) {
        balancer.insert("//", security::waivers(&PLAIN_BALANCER_WAIVERS, None));
    }
    super::edge::attach_access_logs(root, stack, &service.name, &mut balancer);
    let lb = row::LOAD_BALANCER.at(name, &[]);
    root.resource(&lb, balancer, origin);
    let forward = json!([{ "type": "forward", "target_group_arn": attr(&row::TARGET_GROUP.at(name, &[]), "arn") }]);
    let Listener::Https(certificate) = &exposure.listener else {
        root.resource(
            &row::LISTENER.at(name, &["http"]),
            json!({
                "//": security::waivers(&PLAIN_LISTENER_WAIVERS, None),
                "load_balancer_arn": attr(&lb, "arn"),
                "port": 80,
                "protocol": "HTTP",
                "default_action": forward,
            }),
            origin,
        );
        return;
    };
    root.resource(
        &row::LISTENER.at(name, &["https"]),
        json!({
            "load_balancer_arn": attr(&lb, "arn"),
            "port": 443,
            "protocol": "HTTPS",
            "ssl_policy": TLS_POLICY,
            "certificate_arn": attr(&existing::CERTIFICATE.at(certificate.name(), &[]), "arn"),
            "default_action": forward.clone(),
        }),
        origin,
    );
    let http_action = match exposure.http {
        HttpMode::Off => return,
        HttpMode::Redirect => {
            json!([{ "type": "redirect", "redirect": { "port": "443", "protocol": "HTTPS", "status_code": "HTTP_301" } }])
        }
        HttpMode::Forward => forward,
    };
    root.resource(
        &row::LISTENER.at(name, &["http"]),
        json!({
            "load_balancer_arn": attr(&lb, "arn"),
            "port": 80,
            "protocol": "HTTP",
            "default_action": http_action,
        }),
        origin,
    );
}

/// An internet-facing load balancer's rules: HTTPS (and port 80 when the stack asks) from
/// anywhere; returns its group's description.
fn internet_ingress(
    root: &mut Root,
    service: &Service,
    exposure: &Exposure,
    alb: &Address,
) -> String {
    let origin = service.origin;
    let mut listeners = vec![("https", 443, "HTTPS from the internet")];
    match exposure.http {
        HttpMode::Off => {}
        HttpMode::Redirect => listeners.push((
            "http",
            80,
            "HTTP from the internet, answered with a redirect to HTTPS",
        )),
        HttpMode::Forward => {
            listeners.push(("http", 80, "HTTP from the internet, forwarded unencrypted"))
        }
    }
    for (suffix, port, description) in listeners {
        let rule = Rule {
            name: row::ALB_FROM_INTERNET.at(&service.name, &[suffix]),
            group: alb,
            port,
            peer: Peer::Cidr("0.0.0.0/0".into()),
            description: description.into(),
        };
        match (port, exposure.http) {
            (80, HttpMode::Redirect) => {
                security::ingress_waived(root, rule, origin, &REDIRECT_WAIVERS)
            }
            _ => security::ingress(root, rule, origin),
        }
    }
    format!(
        "Load balancer of service {}: HTTPS from the internet",
        service.name
    )
}

/// An internal load balancer's rules: its listeners from the VPC's range and from each
/// on-premises network behind the VPC's VPN, and from nowhere else; returns its group's
/// description.
fn internal_ingress(
    root: &mut Root,
    stack: &Stack,
    service: &Service,
    exposure: &Exposure,
    alb: &Address,
) -> String {
    let origin = service.origin;
    let network = &stack[&exposure.placement.network];
    let mut sources = vec![(
        "vpc".to_string(),
        network.cidr.to_string(),
        format!("VPC {}", network.name),
    )];
    // The group's description names where from; its rules list each range (a description
    // holds 255 characters, a VPN any number of networks).
    let mut from = format!("VPC {} ({})", network.name, network.cidr);
    if let Some(vpn) = &network.vpn {
        let vpn = &stack[vpn];
        for (i, cidr) in vpn.networks.iter().enumerate() {
            sources.push((
                format!("onprem_{}", i + 1),
                cidr.to_string(),
                format!("on-premises {cidr} through VPN {}", vpn.name),
            ));
        }
        from = format!(
            "{from} and the on-premises networks behind VPN {}",
            vpn.name
        );
    }
    // (resource suffix, port, protocol, what the listener does with it)
    let mut listeners = match exposure.listener {
        Listener::Https(_) => vec![("https", 443, "HTTPS", "")],
        Listener::Http => vec![("http", 80, "HTTP", "")],
    };
    match (&exposure.listener, exposure.http) {
        (Listener::Https(_), HttpMode::Redirect) => {
            listeners.push(("http", 80, "HTTP", ", answered with a redirect to HTTPS"))
        }
        (Listener::Https(_), HttpMode::Forward) => {
            listeners.push(("http", 80, "HTTP", ", forwarded unencrypted"))
        }
        _ => {}
    }
    let protocols: Vec<&str> = listeners.iter().map(|l| l.2).collect();
    for (suffix, port, protocol, then) in &listeners {
        for (source, cidr, label) in &sources {
            security::ingress(
                root,
                Rule {
                    name: row::ALB_FROM_NETWORK.at(&service.name, &[suffix, source]),
                    group: alb,
                    port: *port,
                    peer: Peer::Cidr(cidr.clone()),
                    description: format!("{protocol} from {label}{then}"),
                },
                origin,
            );
        }
    }
    format!(
        "Internal load balancer of service {}: {} from {from} only",
        service.name,
        protocols.join(" and ")
    )
}
