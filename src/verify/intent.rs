//! What a stack means, in the verifier's terms: the flows it asks for (who connects to whom,
//! on which port), the AWS API calls each component makes, the host names each must resolve,
//! the on-premises networks behind each VPN, and the allow-lists that restrict a path.
//!
//! The intent is written from the checked model by [`of`] — a dozen lines per kind of block,
//! apart from lowering — and travels in `sourcemap.json` beside the root, so `pmigc verify`
//! reads it back ([`Intent::read`]) without the stack. The verifier then proves the root's
//! resources realise exactly this, whatever lowering (or a hand edit) produced. A new kind of
//! flow is one `push` in [`of`]: the rules that prove paths take any flow.
//!
//! Components are named by the one address that stands for them in a root: a service by its
//! Auto Scaling group, a load balancer by `aws_lb.NAME`, a database by its cluster, a
//! replication by its DMS instance.

use crate::model::{Facing, HttpMode, Listener, Stack, WritePath};
use ipnet::Ipv4Net;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::Value;

/// One end of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Anyone on the internet.
    Internet,
    /// Route 53's health checkers (public addresses, so the internet as far as rules go).
    HealthCheckers,
    /// A network: the VPC's range, an on-premises network, an allow-list entry.
    Cidr(Ipv4Net),
    /// A component, by its address.
    Block(String),
}

impl End {
    fn encode(&self) -> String {
        match self {
            End::Internet => "internet".into(),
            End::HealthCheckers => "route53-health-checkers".into(),
            End::Cidr(net) => format!("cidr:{net}"),
            End::Block(address) => address.clone(),
        }
    }

    fn decode(text: &str) -> Option<End> {
        Some(match text {
            "internet" => End::Internet,
            "route53-health-checkers" => End::HealthCheckers,
            _ => match text.strip_prefix("cidr:") {
                Some(net) => End::Cidr(net.parse().ok()?),
                None => End::Block(text.to_string()),
            },
        })
    }

    /// The component's address, if it is one.
    pub fn block(&self) -> Option<&str> {
        match self {
            End::Block(a) => Some(a),
            _ => None,
        }
    }
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            End::Internet => f.write_str("the internet"),
            End::HealthCheckers => f.write_str("Route 53's health checkers"),
            End::Cidr(net) => write!(f, "{net}"),
            End::Block(a) => f.write_str(a),
        }
    }
}

/// A TCP connection the stack asks for (replies are implied: a path must exist both ways).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: End,
    pub to: End,
    pub port: u16,
    /// The stack's reason, for messages: "service api reads database ledger".
    pub why: String,
}

/// An AWS API call a component makes: what its role must allow, and what it must reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub from: String,
    pub action: String,
    /// As written in a policy (an ARN, or an expression for one).
    pub resource: String,
}

/// A host name a component connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub from: String,
    pub name: String,
}

/// What is behind a VPN gateway: the networks it routes, the data centre's DNS servers and
/// the domains only they know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vpn {
    pub gateway: String,
    pub networks: Vec<Ipv4Net>,
    pub dns: Vec<std::net::Ipv4Addr>,
    pub domains: Vec<String>,
}

/// A target only some networks may reach through a shared load balancer (a routed service
/// with `allow`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restricted {
    pub target: String,
    pub sources: Vec<Ipv4Net>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Intent {
    /// The AWS account the root is applied in (`default` when the stack names none).
    pub account: String,
    pub flows: Vec<Flow>,
    pub calls: Vec<Call>,
    pub hosts: Vec<Host>,
    pub vpns: Vec<Vpn>,
    pub restricted: Vec<Restricted>,
}

/// The intent of one workspace's model.
pub fn of(stack: &Stack) -> Intent {
    let mut intent = Intent {
        account: stack.workspace.account.clone(),
        ..Intent::default()
    };
    let flow = |from: End, to: End, port: u16, why: String| Flow {
        from,
        to,
        port,
        why,
    };
    for vpn in &stack.vpns {
        intent.vpns.push(Vpn {
            gateway: vpn.gateway_id.clone(),
            networks: vpn.networks.clone(),
            dns: vpn.dns.clone(),
            domains: vpn.domains.clone(),
        });
    }
    let cutover_targets: Vec<&str> = stack
        .cutovers
        .iter()
        .map(|c| c.service.name().as_str())
        .collect();
    for service in &stack.services {
        let s = service.name.address();
        let asg = End::Block(format!("aws_autoscaling_group.{s}"));
        let lb = End::Block(format!("aws_lb.{s}"));
        if let Some(exposure) = &service.exposure {
            let mut ports = vec![match exposure.listener {
                Listener::Https(_) => 443,
                Listener::Http => 80,
            }];
            if matches!(exposure.listener, Listener::Https(_)) && exposure.http != HttpMode::Off {
                ports.push(80);
            }
            let network = &stack[&exposure.placement.network];
            for port in ports {
                match exposure.facing {
                    Facing::Internet => intent.flows.push(flow(
                        End::Internet,
                        lb.clone(),
                        port,
                        format!("service {} is exposed to the internet", service.name),
                    )),
                    Facing::Internal => {
                        let mut from = vec![network.cidr];
                        if let Some(vpn) = &network.vpn {
                            from.extend(stack[vpn].networks.iter().copied());
                        }
                        for net in from {
                            intent.flows.push(flow(
                                End::Cidr(net),
                                lb.clone(),
                                port,
                                format!("service {} is exposed inside", service.name),
                            ));
                        }
                    }
                }
            }
            if cutover_targets.contains(&service.name.as_str())
                && exposure.facing == Facing::Internet
            {
                intent.flows.push(flow(
                    End::HealthCheckers,
                    lb.clone(),
                    443,
                    format!("a cutover checks service {}'s health", service.name),
                ));
            }
        }
        let owner = match (&service.exposure, &service.route) {
            (Some(_), _) => Some(service.name.address()),
            (None, Some(route)) => Some(route.via.address()),
            _ => None,
        };
        if let (Some(owner), Some(port)) = (owner, service.port) {
            intent.flows.push(flow(
                End::Block(format!("aws_lb.{owner}")),
                asg.clone(),
                port.get(),
                format!("service {}'s load balancer forwards to it", service.name),
            ));
        }
        if let (Some(port), None) = (service.port, &service.route) {
            for net in &service.allow {
                intent.flows.push(flow(
                    End::Cidr(*net),
                    asg.clone(),
                    port.get(),
                    format!("service {} allows {net}", service.name),
                ));
            }
        }
        if service.route.is_some() && !service.allow.is_empty() {
            intent.restricted.push(Restricted {
                target: format!("aws_autoscaling_group.{s}"),
                sources: service.allow.clone(),
            });
        }
        for id in &service.reads {
            let db = &stack[id];
            intent.flows.push(flow(
                asg.clone(),
                End::Block(format!("aws_rds_cluster.{}", db.name.address())),
                db.port.get(),
                format!("service {} reads database {}", service.name, db.name),
            ));
            intent.calls.push(Call {
                from: format!("aws_autoscaling_group.{s}"),
                action: "secretsmanager:GetSecretValue".into(),
                resource: format!(
                    "${{data.aws_secretsmanager_secret.{}.arn}}",
                    stack.login_for(service, id).password.secret.address()
                ),
            });
        }
        if service.boot.is_some() && !service.reads.is_empty() {
            let arn = format!(
                "arn:aws:ssm:{}:${{data.aws_caller_identity.current.account_id}}:parameter/${{local.name}}-{}",
                stack.region,
                service.name.as_str().replace('_', "-")
            );
            for action in [
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:GetParametersByPath",
            ] {
                for resource in [arn.clone(), format!("{arn}/*")] {
                    intent.calls.push(Call {
                        from: format!("aws_autoscaling_group.{s}"),
                        action: action.into(),
                        resource,
                    });
                }
            }
        }
    }
    for db in &stack.databases {
        for net in &db.allow {
            intent.flows.push(flow(
                End::Cidr(*net),
                End::Block(format!("aws_rds_cluster.{}", db.name.address())),
                db.port.get(),
                format!("database {} allows {net}", db.name),
            ));
        }
    }
    for replication in &stack.replications {
        let r = replication.name.address();
        let dms = End::Block(format!("aws_dms_replication_instance.{r}"));
        let target = &stack[&replication.target];
        intent.flows.push(flow(
            dms.clone(),
            End::Block(format!("aws_rds_cluster.{}", target.name.address())),
            target.port.get(),
            format!(
                "replication {} writes database {}",
                replication.name, target.name
            ),
        ));
        to_datacentre(
            &mut intent,
            &format!("aws_dms_replication_instance.{r}"),
            &replication.source,
            stack,
            format!("replication {} reads its source", replication.name),
        );
    }
    // A data cutover's fallback (in the workspace that owns it) reads Aurora and writes the
    // data centre's database; a service writes a replicated database's data-centre primary
    // until its data cutover moves the writer.
    for data_cutover in stack.owned_data_cutovers() {
        let d = format!(
            "aws_dms_replication_instance.{}",
            data_cutover.name.address()
        );
        let db = &stack[&data_cutover.database];
        intent.flows.push(flow(
            End::Block(d.clone()),
            End::Block(format!("aws_rds_cluster.{}", db.name.address())),
            db.port.get(),
            format!(
                "the fallback of data cutover {} reads database {}",
                data_cutover.name, db.name
            ),
        ));
        to_datacentre(
            &mut intent,
            &d,
            &stack[&data_cutover.replication].source,
            stack,
            format!(
                "the fallback of data cutover {} writes the data centre's database",
                data_cutover.name
            ),
        );
    }
    for service in &stack.services {
        for db in service.writes() {
            if let WritePath::Replicated {
                replication,
                writer,
                ..
            } = stack.write_path(db)
                && !writer.aws_writes_aurora()
            {
                to_datacentre(
                    &mut intent,
                    &format!("aws_autoscaling_group.{}", service.name.address()),
                    &replication.source,
                    stack,
                    format!(
                        "service {} writes database {} at the data centre's primary",
                        service.name,
                        db.name()
                    ),
                );
            }
        }
    }
    intent
}

/// The flows from `from` to an on-premises database `source` through its VPN (to its
/// address, or to the networks behind the VPN when it is a name, which `from` must resolve).
fn to_datacentre(
    intent: &mut Intent,
    from: &str,
    source: &crate::model::ReplicationSource,
    stack: &Stack,
    why: String,
) {
    let to: Vec<Ipv4Net> = match source.host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => vec![Ipv4Net::from(ip)],
        Err(_) => stack[&source.vpn].networks.clone(),
    };
    for net in to {
        intent.flows.push(Flow {
            from: End::Block(from.to_string()),
            to: End::Cidr(net),
            port: source.port.get(),
            why: format!("{why} {} through VPN {}", source.host, source.vpn.name()),
        });
    }
    if source.host.parse::<std::net::Ipv4Addr>().is_err() {
        intent.hosts.push(Host {
            from: from.to_string(),
            name: source.host.clone(),
        });
    }
}

impl Intent {
    /// The intent as `sourcemap.json` carries it: pretty JSON, keys sorted, written straight
    /// from the intent (at 5,000 services a tree of it first cost emit a tenth of its time).
    /// [`Intent::read`] reads it back (tests/it/verify.rs: the intent of every shipped stack).
    pub fn to_json_text(&self) -> String {
        serde_json::to_string_pretty(&Ser(self)).unwrap_or_default()
    }

    /// Reads the intent back; what does not read is left out (the rules then find less to
    /// prove, never more).
    pub fn read(value: &Value) -> Intent {
        let list = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        let nets = |v: &Value, key: &str| -> Vec<Ipv4Net> {
            v.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|n| n.as_str()?.parse().ok()).collect())
                .unwrap_or_default()
        };
        Intent {
            account: text(value, "account").unwrap_or_else(|| "default".into()),
            flows: list("flows")
                .iter()
                .filter_map(|f| {
                    Some(Flow {
                        from: End::decode(f.get("from")?.as_str()?)?,
                        to: End::decode(f.get("to")?.as_str()?)?,
                        port: u16::try_from(f.get("port")?.as_u64()?).ok()?,
                        why: text(f, "why").unwrap_or_default(),
                    })
                })
                .collect(),
            calls: list("calls")
                .iter()
                .filter_map(|c| {
                    Some(Call {
                        from: text(c, "from")?,
                        action: text(c, "action")?,
                        resource: text(c, "resource")?,
                    })
                })
                .collect(),
            hosts: list("hosts")
                .iter()
                .filter_map(|h| {
                    Some(Host {
                        from: text(h, "from")?,
                        name: text(h, "name")?,
                    })
                })
                .collect(),
            vpns: list("vpns")
                .iter()
                .filter_map(|v| {
                    Some(Vpn {
                        gateway: text(v, "gateway")?,
                        networks: nets(v, "networks"),
                        dns: v
                            .get("dns")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().filter_map(|n| n.as_str()?.parse().ok()).collect())
                            .unwrap_or_default(),
                        domains: v
                            .get("domains")
                            .and_then(Value::as_array)
                            .map(|a| {
                                a.iter()
                                    .filter_map(|n| n.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                })
                .collect(),
            restricted: list("restricted")
                .iter()
                .filter_map(|r| {
                    Some(Restricted {
                        target: text(r, "target")?,
                        sources: nets(r, "sources"),
                    })
                })
                .collect(),
        }
    }

    /// The on-premises networks behind the VPN gateway `id`.
    pub fn vpn(&self, gateway: &str) -> Option<&Vpn> {
        self.vpns.iter().find(|v| v.gateway == gateway)
    }
}

/// One part of the intent as `sourcemap.json` carries it (fields in key order).
struct Ser<'a, T>(&'a T);

/// A list of parts.
struct Seq<'a, T>(&'a [T]);

/// A list of addresses or networks, as their text.
struct Shown<'a, T>(&'a [T]);

impl<T> Serialize for Seq<'_, T>
where
    for<'a> Ser<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Ser))
    }
}

impl<T: std::fmt::Display> Serialize for Shown<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ToString::to_string))
    }
}

/// `fields!(serializer, name, [(key, value), …])`: a struct of those fields, in that order.
macro_rules! fields {
    ($s:expr, $name:literal, [$(($key:literal, $value:expr)),* $(,)?]) => {{
        let mut m = $s.serialize_struct($name, [$($key),*].len())?;
        $(m.serialize_field($key, $value)?;)*
        m.end()
    }};
}

impl Serialize for Ser<'_, Intent> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let i = self.0;
        fields!(
            s,
            "Intent",
            [
                ("account", &i.account),
                ("calls", &Seq(&i.calls)),
                ("flows", &Seq(&i.flows)),
                ("hosts", &Seq(&i.hosts)),
                ("restricted", &Seq(&i.restricted)),
                ("vpns", &Seq(&i.vpns)),
            ]
        )
    }
}

impl Serialize for Ser<'_, Call> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        fields!(
            s,
            "Call",
            [
                ("action", &c.action),
                ("from", &c.from),
                ("resource", &c.resource)
            ]
        )
    }
}

impl Serialize for Ser<'_, Flow> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        fields!(
            s,
            "Flow",
            [
                ("from", &f.from.encode()),
                ("port", &f.port),
                ("to", &f.to.encode()),
                ("why", &f.why),
            ]
        )
    }
}

impl Serialize for Ser<'_, Host> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = self.0;
        fields!(s, "Host", [("from", &h.from), ("name", &h.name)])
    }
}

impl Serialize for Ser<'_, Restricted> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        fields!(
            s,
            "Restricted",
            [("sources", &Shown(&r.sources)), ("target", &r.target)]
        )
    }
}

impl Serialize for Ser<'_, Vpn> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        fields!(
            s,
            "Vpn",
            [
                ("dns", &Shown(&v.dns)),
                ("domains", &v.domains),
                ("gateway", &v.gateway),
                ("networks", &Shown(&v.networks)),
            ]
        )
    }
}
