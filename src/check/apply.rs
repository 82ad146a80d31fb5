//! AWS apply-time constraints (PMG1212–PMG1227): values pmigc would otherwise compile into
//! Terraform that AWS rejects at apply time, or accepts and then fails on. Subnets in two zones
//! for a load balancer, an Aurora or a DMS subnet group; /27 public subnets for a load
//! balancer; enough private addresses for what is placed there; one VPC per security-group
//! reference and per target group; VPC ranges of /16 to /28 outside the ranges AWS reserves;
//! a DMS source reachable through an attached VPN; a reader to fail over to under a cutover;
//! tag, secret name, master user name, health-check path and path-pattern rules.
//! These rules run on the checked model of each workspace (`rules::check_stack`).

mod diagnostics;
pub(crate) use diagnostics::{
    AllowUnroutable, BadHealthPath, BadMasterUsername, BadPathPattern, BadSecretName, BadTag,
    LoadBalancerSubnetTooSmall, NoFailoverReader, OneZone, PathAllowTooLong,
    PrivateSubnetsTooSmall, ReadsAcrossNetworks, SecretNameSuffix, SourceNameUnresolvable,
    SourceOutsideVpn, TargetsInOtherNetwork, VpcRangeReserved, VpcTooLarge, VpnNotAttached,
};

use super::context::Ctx;
use super::spans::{source_term, span_of, term_span};
use crate::diag::at;
use crate::model::{Id, Lookup, Network, Stack, Tier};
use crate::registry::{Key, cutover, database, network, secret, service, stack, vpn};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Ranges AWS does not allow as a VPC's CIDR block.
const RESERVED: &[(&str, &str)] = &[
    ("0.0.0.0/8", "\"this network\" (0.0.0.0/8)"),
    ("127.0.0.0/8", "the loopback range 127.0.0.0/8"),
    ("169.254.0.0/16", "the link-local range 169.254.0.0/16"),
    ("224.0.0.0/4", "the multicast range 224.0.0.0/4"),
    ("240.0.0.0/4", "the reserved range 240.0.0.0/4"),
];

/// Master user names Aurora MySQL keeps for itself.
const RESERVED_USERS: &[&str] = &[
    "rdsadmin",
    "rdsrepladmin",
    "rdsproxyadmin",
    "mysql.sys",
    "root",
];

pub(crate) fn check(ctx: &mut Ctx, stack: &Stack) {
    for network in &stack.networks {
        vpc_range(ctx, network);
        zones(ctx, stack, network);
        addresses(ctx, stack, network);
    }
    services(ctx, stack);
    replications(ctx, stack);
    allow_lists(ctx, stack);
    for cutover in &stack.cutovers {
        let Some(service) = stack.find(&cutover.service) else {
            continue;
        };
        for database in service.reads.iter().filter_map(|id| stack.find(id)) {
            if database.readers == 0 {
                ctx.error(NoFailoverReader {
                    database: database.name.to_string(),
                    cutover: cutover.name.to_string(),
                    at: at(span_of(ctx, database.name.as_str(), &database::READERS)),
                    cutover_at: at(span_of(ctx, cutover.name.as_str(), &cutover::AWS)),
                    service: service.name.to_string(),
                });
            }
        }
    }
    names(ctx, stack);
}

fn vpc_range(ctx: &mut Ctx, network: &Network) {
    let span = span_of(ctx, network.name.as_str(), &network::CIDR);
    if network.cidr.prefix_len() < 16 {
        ctx.error(VpcTooLarge {
            network: network.name.to_string(),
            cidr: network.cidr.to_string(),
            at: at(span),
            help: Some(format!(
                "write a /16 or smaller range, e.g. `{}/16`",
                network.cidr.network()
            )),
        });
    }
    for (range, words) in RESERVED {
        if let Ok(range) = range.parse::<Ipv4Net>()
            && (range.contains(&network.cidr) || network.cidr.contains(&range))
        {
            ctx.error(VpcRangeReserved {
                network: network.name.to_string(),
                cidr: network.cidr.to_string(),
                range: (*words).to_string(),
                at: at(span),
            });
        }
    }
}

/// A load balancer, an Aurora subnet group and a DMS subnet group each need two zones.
fn zones(ctx: &mut Ctx, stack: &Stack, network: &Network) {
    if network.zones >= 2 {
        return;
    }
    let here = |n: &crate::model::Id<Network>| n.name() == &network.name;
    let mut users: Vec<String> = Vec::new();
    for service in &stack.services {
        if service
            .exposure
            .as_ref()
            .is_some_and(|e| here(&e.placement.network))
        {
            users.push(format!("the load balancer of `{}`", service.name));
        }
    }
    for database in &stack.databases {
        if here(&database.placement.network) {
            users.push(format!("database `{}`", database.name));
        }
    }
    for replication in &stack.replications {
        if let Some(target) = stack.find(&replication.target)
            && here(&target.placement.network)
        {
            users.push(format!("replication `{}`", replication.name));
        }
    }
    if users.is_empty() {
        return;
    }
    let users = match users.as_slice() {
        [one] => one.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
        [] => String::new(),
    };
    ctx.error(OneZone {
        network: network.name.to_string(),
        users,
        at: at(span_of(ctx, network.name.as_str(), &network::ZONES)),
    });
}

/// Every instance, database instance and DMS instance in the private subnets takes an address;
/// AWS keeps five of every subnet.
fn addresses(ctx: &mut Ctx, stack: &Stack, network: &Network) {
    let here =
        |p: &crate::model::Placement| p.network.name() == &network.name && p.tier == Tier::Private;
    let usable: u64 = network
        .private_subnets
        .iter()
        .map(|s| (1u64 << (32 - u32::from(s.prefix_len()))).saturating_sub(5))
        .sum();
    let mut need: u64 = 0;
    let mut parts = Vec::new();
    for service in stack.services.iter().filter(|s| here(&s.placement)) {
        need += u64::from(service.max);
        parts.push(format!(
            "{} for `{}` at its maximum",
            service.max, service.name
        ));
    }
    // AWS wants 8 free addresses in each subnet of a load balancer, to scale into.
    for service in &stack.services {
        if service
            .exposure
            .as_ref()
            .is_some_and(|e| here(&e.placement))
        {
            let n = 8 * u64::from(network.zones);
            need += n;
            parts.push(format!(
                "{n} for the internal load balancer of `{}`",
                service.name
            ));
        }
    }
    for database in stack.databases.iter().filter(|d| here(&d.placement)) {
        let n = u64::from(database.writers) + u64::from(database.readers);
        need += n;
        parts.push(format!("{n} for `{}`", database.name));
    }
    for replication in &stack.replications {
        if stack
            .find(&replication.target)
            .is_some_and(|d| here(&d.placement))
        {
            need += 1;
            parts.push(format!("1 for `{}`", replication.name));
        }
    }
    if need <= usable {
        return;
    }
    ctx.error(PrivateSubnetsTooSmall {
        network: network.name.to_string(),
        usable,
        need,
        at: at(span_of(ctx, network.name.as_str(), &network::PRIVATE)),
        zones: network.zones,
        help: Some(format!(
            "{}; instances that find no address fail to launch: use larger private subnets (a shorter prefix) or a smaller `capacity`",
            parts.join(", ")
        )),
    });
}

fn services(ctx: &mut Ctx, stack: &Stack) {
    for service in &stack.services {
        let block = service.name.as_str();
        for id in &service.reads {
            if let Some(database) = stack.find(id)
                && database.placement.network != service.placement.network
            {
                ctx.error(ReadsAcrossNetworks {
                    service: service.name.to_string(),
                    network: service.placement.network.to_string(),
                    database: database.name.to_string(),
                    other: database.placement.network.to_string(),
                    at: at(span_of(ctx, block, &service::READS)),
                    placement_at: at(span_of(ctx, block, &service::IN)),
                });
            }
        }
        let lb_network = match (&service.exposure, &service.route) {
            (Some(e), _) => Some(e.placement.network.clone()),
            (None, Some(r)) => stack
                .find(&r.via)
                .and_then(|v| v.exposure.as_ref().map(|e| e.placement.network.clone())),
            (None, None) => None,
        };
        if let Some(lb_network) = lb_network
            && lb_network != service.placement.network
        {
            ctx.error(TargetsInOtherNetwork {
                service: service.name.to_string(),
                lb_network: lb_network.to_string(),
                network: service.placement.network.to_string(),
                at: at(span_of(ctx, block, &service::EXPOSED)),
                placement_at: at(span_of(ctx, block, &service::IN)),
            });
        }
        if let Some(exposure) = &service.exposure
            && let Some(network) = stack.find(&exposure.placement.network)
            && let tier = exposure.placement.tier
            && let Some(size) = match tier {
                Tier::Public => network.public_subnets.first(),
                Tier::Private => network.private_subnets.first(),
            }
            .map(Ipv4Net::prefix_len)
            && size > 27
        {
            ctx.error(LoadBalancerSubnetTooSmall {
                service: service.name.to_string(),
                network: network.name.to_string(),
                size,
                tier: tier.as_str(),
                at: at(span_of(ctx, network.name.as_str(), tier_key(tier))),
                exposed_at: at(term_span(ctx, block, &service::EXPOSED, 2)),
            });
        }
        health_path(ctx, block, &service.health_path);
        if let Some(route) = &service.route {
            path_pattern(ctx, block, &route.path);
        }
    }
}

/// Characters an ALB health-check path may hold.
fn health_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~/$\"'@:+&()!,;=%?".contains(c)
}

fn health_path(ctx: &mut Ctx, block: &str, path: &str) {
    let problem = if path.len() > 1024 {
        format!(
            "is {} characters; the load balancer allows 1024",
            path.len()
        )
    } else if let Some(c) = path.chars().find(|c| !health_char(*c)) {
        format!("holds `{c}`, which a load balancer health check does not accept")
    } else {
        return;
    };
    ctx.error(BadHealthPath {
        service: block.to_string(),
        problem,
        at: at(span_of(ctx, block, &service::HEALTH)),
        help: Some("a health-check path is at most 1024 characters of letters, digits and `-._~/$\"'@:+&()!,;=%?`, e.g. \"/health\"".into()),
    });
}

fn path_pattern(ctx: &mut Ctx, block: &str, path: &str) {
    let problem = if path.len() > 128 {
        format!("is {} characters; a listener rule allows 128", path.len())
    } else if !path.starts_with('/') {
        "does not start with `/`".to_string()
    } else if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_-.$/~\"'@:+&*?".contains(*c)))
    {
        format!("holds `{c}`, which a path pattern does not accept")
    } else {
        return;
    };
    ctx.error(BadPathPattern {
        path: path.to_string(),
        service: block.to_string(),
        problem,
        at: at(term_span(ctx, block, &service::EXPOSED, 1)),
        help: Some("a path pattern is at most 128 characters of letters, digits and `_-.$/~\"'@:+&`, with `*` and `?` as wildcards, starting with `/`: e.g. \"/orders/*\"".into()),
    });
}

/// DMS runs in its target's network: the VPN to its source must be attached there, and an
/// address given as the source must lie behind that VPN.
fn replications(ctx: &mut Ctx, stack: &Stack) {
    for replication in &stack.replications {
        let vpn = &replication.source.vpn;
        if let Some(network) = stack
            .find(&replication.target)
            .and_then(|d| stack.find(&d.placement.network))
            && network.vpn.as_ref() != Some(vpn)
        {
            let net = network.name.as_str();
            let attached = match &network.vpn {
                Some(other) => format!("it attaches `{other}`"),
                None => "it attaches no VPN".to_string(),
            };
            ctx.error(VpnNotAttached {
                replication: replication.name.to_string(),
                vpn: vpn.to_string(),
                network: network.name.to_string(),
                at: at(source_term(ctx, replication, 2)),
                network_at: at(crate::check::spans::value_span(ctx, net, &network::VPN)
                    .unwrap_or_else(|| span_of(ctx, net, &network::CIDR))),
                attached,
                help: Some(format!(
                    "DMS could not route to the data centre: write `vpn = {vpn}` in network `{net}`"
                )),
            });
        }
        if let Some(v) = stack.find(vpn)
            && v.dns.is_empty()
            && let Some(zone) = crate::aws::dns::private_zone(&replication.source.host, &v.domains)
        {
            ctx.error(SourceNameUnresolvable {
                replication: replication.name.to_string(),
                host: replication.source.host.clone(),
                vpn: vpn.to_string(),
                zone,
                at: at(source_term(ctx, replication, 0)),
                vpn_at: at(span_of(ctx, vpn.name().as_str(), &vpn::NETWORKS)),
                help: Some(format!(
                    "name the data centre's DNS servers in VPN `{vpn}` (`dns = [{}]`, addresses behind the VPN) so the VPC forwards the name to them, or give the source's address instead of its name",
                    example_servers(&v.networks)
                )),
            });
        }
        if let Ok(address) = replication.source.host.parse::<Ipv4Addr>()
            && let Some(v) = stack.find(vpn)
            && !v.networks.iter().any(|n| n.contains(&address))
        {
            let listed: Vec<String> = v.networks.iter().map(ToString::to_string).collect();
            ctx.error(SourceOutsideVpn {
                replication: replication.name.to_string(),
                address: address.to_string(),
                vpn: vpn.to_string(),
                at: at(source_term(ctx, replication, 0)),
                networks_at: at(span_of(ctx, vpn.name().as_str(), &vpn::NETWORKS)),
                help: Some(format!(
                    "only {} are routed through `{vpn}`: give the source's address there, or add its network to the VPN's `networks`",
                    listed.join(", ")
                )),
            });
        }
    }
}

fn names(ctx: &mut Ctx, stack: &Stack) {
    tags(ctx, stack);
    for secret in &stack.secrets {
        let block = secret.name.as_str();
        let name = &secret.secret_name;
        let span = span_of(ctx, block, &secret::NAME);
        let problem = if name.is_empty() || name.len() > 512 {
            Some(format!("is {} characters", name.len()))
        } else {
            name.chars()
                .find(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(*c)))
                .map(|c| format!("holds `{c}`"))
        };
        if let Some(problem) = problem {
            ctx.error(BadSecretName {
                name: name.clone(),
                problem,
                at: at(span),
            });
        } else if let Some((_, suffix)) = name.rsplit_once('-')
            && suffix.len() == 6
            && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        {
            ctx.error(SecretNameSuffix {
                name: name.clone(),
                suffix: format!("-{suffix}"),
                at: at(span),
            });
        }
    }
    for database in &stack.databases {
        let user = &database.username;
        let problem = super::identifiers::sql_identifier_problem(
            user,
            16,
            "Aurora",
            RESERVED_USERS,
            "is reserved by Amazon RDS",
        );
        if let Some(problem) = problem {
            ctx.error(BadMasterUsername {
                name: user.clone(),
                database: database.name.to_string(),
                problem,
                at: at(span_of(ctx, database.name.as_str(), &database::USERNAME)),
                help: Some("a master user name is 1 to 16 letters, digits and `_`, starting with a letter, e.g. \"payments_admin\"".into()),
            });
        }
    }
}

/// The most tags a stack may give: AWS takes 50 per resource ("Tagging AWS resources", tag
/// naming limits and requirements), and pmigc adds up to four of its own.
/// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
pub(crate) const MAX_STACK_TAGS: usize = 46;

/// The tag keys pmigc writes itself (the provider's `default_tags`, each resource's `Name`,
/// an instance's parameter path), and why a stack's own of that key would be lost: a
/// resource's tag replaces a default tag of the same key, silently.
const PMIGC_TAGS: &[(&str, &str)] = &[
    (
        "Name",
        "every resource's own `Name` tag (its name in AWS) replaces it",
    ),
    (
        "pmigc-stack",
        "pmigc writes the stack's name there on every resource",
    ),
    (
        "pmigc-workspace",
        "pmigc writes the workspace's name there on every resource",
    ),
    (
        "pmigc:parameters",
        "pmigc writes a service's parameter path there on its instances",
    ),
];

/// AWS tags: keys of 1 to 128 and values of up to 256 characters of letters, digits, spaces
/// and `_.:/=+-@`; keys starting with `aws:` belong to AWS; keys pmigc writes itself would be
/// lost; at most `MAX_STACK_TAGS`.
fn tags(ctx: &mut Ctx, stack: &Stack) {
    let Some((_, block)) = ctx.decls.stack else {
        return;
    };
    let value = super::spans::stack_value(ctx, &stack::TAGS);
    let whole = value.map_or(block.header_span, |v| v.span);
    // The entry `key = "value"` of a tag, or the whole map.
    let entry = |key: &str| match value.and_then(|v| v.single()).map(|t| &t.kind) {
        Some(crate::syntax::ast::TermKind::Map(entries)) => entries
            .iter()
            .find(|a| a.key_text() == key)
            .map_or(whole, |a| a.key_span.to(a.value.span)),
        _ => whole,
    };
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    // AWS takes 50 tags per resource; pmigc adds `pmigc-stack`, `pmigc-workspace`, `Name` and,
    // on instances, `pmigc:parameters`.
    if stack.tags.len() > MAX_STACK_TAGS {
        ctx.error(BadTag {
            key: "tags".into(),
            problem: format!(
                "gives {} tags; a resource holds at most 50, and pmigc adds up to {} of its own",
                stack.tags.len(),
                50 - MAX_STACK_TAGS
            ),
            at: at(whole),
            label: "too many tags".into(),
            help: Some(format!("keep at most {MAX_STACK_TAGS} tags in the stack")),
        });
    }
    for (key, value) in &stack.tags {
        let pmigc = PMIGC_TAGS.iter().find(|(k, _)| *k == key.as_str());
        let problem = if let Some((_, why)) = pmigc {
            Some((
                format!("is a tag pmigc sets itself: {why}"),
                "the stack's value would be lost",
            ))
        } else if key.to_ascii_lowercase().starts_with("aws:") {
            Some((
                "starts with `aws:`, a prefix AWS keeps for its own tags".to_string(),
                "AWS refuses this key",
            ))
        } else if key.chars().count() > 128 {
            Some((
                format!("is {} characters; AWS allows 128", key.chars().count()),
                "key too long",
            ))
        } else if value.chars().count() > 256 {
            Some((
                format!(
                    "has a value of {} characters; AWS allows 256",
                    value.chars().count()
                ),
                "value too long",
            ))
        } else {
            key.chars()
                .chain(value.chars())
                .find(|c| !allowed(*c))
                .map(|c| {
                    (
                        format!("holds `{c}`, which AWS does not accept in tags"),
                        "AWS refuses this tag",
                    )
                })
        };
        if let Some((problem, label)) = problem {
            ctx.error(BadTag {
                key: key.clone(),
                problem,
                at: at(entry(key)),
                label: label.to_string(),
                help: Some(if pmigc.is_some() {
                    "choose another key: pmigc writes `Name`, `pmigc-stack`, `pmigc-workspace` and `pmigc:parameters` itself".into()
                } else {
                    "tag keys are 1 to 128 and values up to 256 letters, digits, spaces and `_.:/=+-@`; keys may not start with `aws:`".into()
                }),
            });
        }
    }
}

/// The source-IP values a listener rule holds beside its path: a rule holds five condition
/// values ("Listener rules for your Application Load Balancer", condition limits, Elastic Load
/// Balancing User Guide), one of them the path pattern.
pub(crate) const PATH_ALLOW_MAX: usize = 4;

/// An allow-list entry reaches its target only if the replies can go back to it: the target
/// sits in private subnets, whose routes lead to the VPC itself, the VPN's networks (through
/// the attached gateway) and, for everything else, a NAT gateway, which carries no connection
/// opened from outside ("NAT gateways", Amazon VPC User Guide). A service routed by path is
/// reached through its load balancer: its list becomes the listener rule's source-IP condition.
fn allow_lists(ctx: &mut Ctx, stack: &Stack) {
    let routable = |network: &Id<Network>| -> Vec<ipnet::Ipv4Net> {
        let Some(net) = stack.find(network) else {
            return Vec::new();
        };
        let mut nets = vec![net.cidr];
        if let Some(vpn) = net.vpn.as_ref().and_then(|v| stack.find(v)) {
            nets.extend(vpn.networks.iter().copied());
        }
        nets
    };
    // What a user who allows public addresses on a service with an internet-facing load
    // balancer usually means is an allow-list at that load balancer, which `allow` is not.
    let check = |ctx: &mut Ctx,
                 kind: &str,
                 key: &crate::registry::Attr,
                 name: &str,
                 allow: &[ipnet::Ipv4Net],
                 network: &Id<Network>,
                 internet_facing: Option<bool>| {
        let nets = routable(network);
        for entry in allow
            .iter()
            .filter(|a| !nets.iter().any(|n| n.contains(*a)))
        {
            let vpn = stack.find(network).and_then(|n| n.vpn.clone());
            ctx.error(AllowUnroutable {
                block: format!("{kind} `{name}`"),
                network: entry.to_string(),
                why: "its replies would leave through the NAT gateway, which carries no connection opened from outside".into(),
                at: at(span_of(ctx, name, key)),
                help: Some(match vpn {
                    Some(v) => format!("allow only networks of the VPC or behind VPN `{v}` ({}), or add the network to the VPN's `networks` if the data centre routes it", nets.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
                    None => format!("the network reaches this {kind} only through a VPN: attach one with `vpn = NAME` in network `{}` and list the network in its `networks`", network.name()),
                } + match internet_facing {
                    Some(true) => "; `allow` opens the service's own port, not its load balancer, which admits every address, behind its web application firewall (pmigc cannot narrow an internet-facing load balancer to a list yet)",
                    Some(false) => "; `allow` opens the service's own port, not its load balancer, which admits every address (pmigc cannot narrow an internet-facing load balancer to a list yet)",
                    None => "",
                }),
            });
        }
    };
    for db in &stack.databases {
        check(
            ctx,
            "database",
            &database::ALLOW.attr,
            db.name.as_str(),
            &db.allow,
            &db.placement.network,
            None,
        );
    }
    for service in &stack.services {
        if service.route.is_some() {
            if service.allow.len() > PATH_ALLOW_MAX {
                ctx.error(PathAllowTooLong {
                    service: service.name.to_string(),
                    count: service.allow.len(),
                    max: PATH_ALLOW_MAX,
                    at: at(span_of(ctx, service.name.as_str(), &service::ALLOW)),
                    help: Some(format!("merge the networks into at most {PATH_ALLOW_MAX} blocks, or give the service its own load balancer")),
                });
            }
            continue;
        }
        check(
            ctx,
            "service",
            &service::ALLOW.attr,
            service.name.as_str(),
            &service.allow,
            &service.placement.network,
            service
                .exposure
                .as_ref()
                .filter(|e| e.facing == crate::model::Facing::Internet)
                .map(|e| e.waf),
        );
    }
}

/// Two example DNS server addresses for a help, inside the VPN's first network (its second and
/// third addresses) so the example is one the checker accepts.
fn example_servers(networks: &[ipnet::Ipv4Net]) -> String {
    let base = networks
        .first()
        .map_or(0xAC10_0000, |n| u32::from(n.network()));
    let address = |k: u32| std::net::Ipv4Addr::from(base.saturating_add(k));
    format!("\"{}\", \"{}\"", address(2), address(3))
}

/// The network attribute that sizes a tier's subnets.
fn tier_key(tier: Tier) -> &'static Key<network::Of> {
    match tier {
        Tier::Public => &network::PUBLIC,
        Tier::Private => &network::PRIVATE,
    }
}
