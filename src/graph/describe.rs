//! The words of the picture: what each box and edge of `Graph` says about a block of the
//! model (a VPC's zones and subnets, a service's capacity and port, a database's engine and
//! size, a replication's mode and lag budget, a record's phases with the one drawn marked).
//! `Builder` collects the boxes and edges; `super::build` decides which to make.

use super::{Edge, EdgeKind, Node, NodeKind, shown};
use crate::model::{
    Cutover, Database, Facing, HttpMode, Listener, MigrationMode, Name, NatMode, Network, Percent,
    Placement, Replication, Service, Stack, Tier,
};

pub(super) fn position<T>(items: &[T], name: &Name, key: impl Fn(&T) -> &Name) -> Option<usize> {
    items.iter().position(|item| key(item) == name)
}

fn mode(mode: MigrationMode) -> &'static str {
    match mode {
        MigrationMode::FullLoad => "full load",
        MigrationMode::Cdc => "CDC",
        MigrationMode::FullLoadAndCdc => "full load + CDC",
    }
}

pub(super) fn replication_label(r: &Replication) -> Vec<String> {
    vec![
        format!("replication {}", shown(r.name.as_str())),
        format!("{}, max lag {}s", mode(r.mode), r.max_lag.0),
        format!(
            "DMS {} via VPN {}",
            shown(&r.instance_class),
            shown(r.source.vpn.name().as_str())
        ),
    ]
}

fn tier(placement: &Placement) -> String {
    let tier = match placement.tier {
        Tier::Public => "public",
        Tier::Private => "private",
    };
    format!("in {}.{tier}", shown(placement.network.name().as_str()))
}

#[derive(Default)]
pub(super) struct Builder {
    pub(super) nodes: Vec<Node>,
    pub(super) edges: Vec<Edge>,
}

impl Builder {
    pub(super) fn node(&mut self, kind: NodeKind, title: String, lines: Vec<String>) -> usize {
        self.nodes.push(Node { kind, title, lines });
        self.nodes.len() - 1
    }

    /// A node of the data centre named by `title` and `lines`, shared by every block that
    /// names the same host.
    pub(super) fn shared(&mut self, kind: NodeKind, title: String, lines: Vec<String>) -> usize {
        match self
            .nodes
            .iter()
            .position(|n| n.kind == kind && n.title == title && n.lines == lines)
        {
            Some(i) => i,
            None => self.node(kind, title, lines),
        }
    }

    pub(super) fn edge(
        &mut self,
        from: usize,
        to: usize,
        kind: EdgeKind,
        label: Vec<String>,
    ) -> usize {
        self.edges.push(Edge {
            from,
            to,
            kind,
            label,
            gates: Vec::new(),
        });
        self.edges.len() - 1
    }

    pub(super) fn vpc(&mut self, n: &Network) -> usize {
        let mut lines = vec![
            format!(
                "{}, {} zone{}",
                n.cidr,
                n.zones,
                if n.zones == 1 { "" } else { "s" }
            ),
            match n.nat {
                NatMode::PerZone => "NAT gateway per zone".into(),
                NatMode::Single => "one NAT gateway (single)".into(),
            },
        ];
        for (i, (public, private)) in n.public_subnets.iter().zip(&n.private_subnets).enumerate() {
            lines.push(format!(
                "zone {}: public {public} · private {private}",
                i + 1
            ));
        }
        self.node(
            NodeKind::Vpc,
            format!("VPC {}", shown(n.name.as_str())),
            lines,
        )
    }

    pub(super) fn load_balancer(&mut self, stack: &Stack, s: &Service) -> Option<usize> {
        let exposure = s.exposure.as_ref()?;
        let mut lines = vec![match &exposure.listener {
            Listener::Https(certificate) => format!(
                "HTTPS :443, certificate {}",
                shown(&stack[certificate].domain)
            ),
            Listener::Http => "HTTP :80 (plain text)".into(),
        }];
        if exposure.facing == Facing::Internal {
            let network = &stack[&exposure.placement.network];
            lines.push(match &network.vpn {
                Some(vpn) => format!(
                    "internal: from VPC {} and VPN {} only",
                    shown(network.name.as_str()),
                    shown(vpn.name().as_str())
                ),
                None => format!("internal: from VPC {} only", shown(network.name.as_str())),
            });
        }
        lines.push(tier(&exposure.placement));
        match exposure.http {
            HttpMode::Off => {}
            HttpMode::Redirect => lines.push("HTTP :80 redirects to HTTPS".into()),
            HttpMode::Forward => lines.push("HTTP :80 forwards (plain text)".into()),
        }
        Some(self.node(
            NodeKind::LoadBalancer,
            format!("load balancer {}", shown(s.name.as_str())),
            lines,
        ))
    }

    pub(super) fn service(&mut self, s: &Service) -> usize {
        let lines = vec![
            format!("{}..{} × {}", s.min, s.max, shown(&s.instance_type)),
            match s.port {
                Some(port) => format!("port {}, health {}", port.get(), shown(&s.health_path)),
                None => "no port: reached by nothing".to_string(),
            },
            tier(&s.placement),
        ];
        self.node(
            NodeKind::Service,
            format!("service {}", shown(s.name.as_str())),
            lines,
        )
    }

    pub(super) fn database(&mut self, d: &Database) -> usize {
        let plural = |n: u8, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let lines = vec![
            format!("Aurora {}", shown(&d.parameter_family)),
            format!(
                "{} × {} + {}",
                plural(d.writers, "writer"),
                shown(&d.instance_class),
                plural(d.readers, "reader")
            ),
            format!("{}, backups {} days", tier(&d.placement), d.backup_days),
        ];
        self.node(
            NodeKind::Database,
            format!("database {}", shown(d.name.as_str())),
            lines,
        )
    }

    pub(super) fn source(&mut self, r: &Replication) -> usize {
        self.shared(
            NodeKind::SourceDatabase,
            "source database".into(),
            vec![format!(
                "{} {}:{}",
                r.source.engine.profile().keyword,
                shown(&r.source.host),
                r.source.port.get()
            )],
        )
    }

    pub(super) fn cutover(
        &mut self,
        stack: &Stack,
        c: &Cutover,
        weight: Percent,
        lbs: &[Option<usize>],
        services: &[usize],
    ) {
        let phases: Vec<String> = c
            .phases
            .iter()
            .map(|p| {
                if *p == weight {
                    format!("[{p}]")
                } else {
                    p.to_string()
                }
            })
            .collect();
        let record = self.node(
            NodeKind::Record,
            format!("record {}", shown(&c.record)),
            vec![
                format!("zone {}, TTL {}s", shown(&c.zone), c.ttl),
                format!("cutover {}", shown(c.name.as_str())),
                format!("phases {}", phases.join(" ")),
                format!("rollback {}", c.rollback),
            ],
        );
        let legacy = self.shared(
            NodeKind::LegacyHost,
            "legacy host".into(),
            vec![shown(&c.legacy_host)],
        );
        // After the data cutover of a database the service writes, the legacy record is gone.
        let retired = stack.legacy_retired(c) && weight == c.weight;
        let legacy_label = match retired {
            true => vec!["no legacy record".into(), "after the data cutover".into()],
            false => vec![format!("legacy {}", weight.complement())],
        };
        self.edge(record, legacy, EdgeKind::Traffic, legacy_label);
        let index = position(&stack.services, c.service.name(), |s| &s.name);
        let target = index.and_then(|i| match lbs.get(i) {
            Some(Some(lb)) => Some(*lb),
            _ => services.get(i).copied(),
        });
        if let Some(target) = target {
            let edge = self.edge(
                record,
                target,
                EdgeKind::Traffic,
                vec![format!("AWS {weight}")],
            );
            if let (Some(gate), Some(e), false) = (&c.gate, self.edges.get_mut(edge), retired) {
                e.gates.push(format!("gate {}", shown(&gate.describe())));
            }
        }
    }
}
