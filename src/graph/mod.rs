//! The migration as a picture: a small graph built from one workspace's checked model
//! (`model::Stack`), then written as Graphviz DOT (`dot`), Mermaid (`mermaid`) or an SVG that
//! pmigc lays out and draws itself (`svg`). The graph has three places: the data centre (the
//! networks behind each VPN, the legacy hosts, the source databases), what lies between (the
//! VPNs and each cutover's DNS record) and AWS (each VPC with its zones and subnet tiers, load
//! balancers, services, databases). Edges carry traffic (a record's weights at the chosen
//! phase, with the gate on the AWS side), reads, the write path (a service writing the data
//! centre's primary until its database's data cutover, or Aurora after it), replications (mode
//! and lag budget, and each fallback the other way, running or stopped) and the VPN's
//! attachment. Every text taken from the stack has its control characters escaped here;
//! each writer escapes it again for its own format. Pure: no IO.

use crate::diag::render::escape_controls;
use crate::model::{Cutover, Percent, Stack, WritePath};
use describe::{Builder, position, replication_label};

mod describe;
pub mod dot;
pub mod mermaid;
mod place;
pub mod svg;

/// Where a node stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// On premises: looked up or pointed at, never created.
    DataCentre,
    /// The VPN and the DNS records: what joins the two.
    Between,
    /// Created in the stack's AWS region.
    Aws,
}

/// What a node stands for (decides its colour and shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Networks,
    LegacyHost,
    SourceDatabase,
    Vpn,
    Record,
    Vpc,
    LoadBalancer,
    Service,
    Database,
}

impl NodeKind {
    pub fn side(self) -> Side {
        match self {
            NodeKind::Networks | NodeKind::LegacyHost | NodeKind::SourceDatabase => {
                Side::DataCentre
            }
            NodeKind::Vpn | NodeKind::Record => Side::Between,
            NodeKind::Vpc | NodeKind::LoadBalancer | NodeKind::Service | NodeKind::Database => {
                Side::Aws
            }
        }
    }
}

/// A box: a title and a few lines, already free of control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub title: String,
    pub lines: Vec<String>,
}

/// What an edge carries (decides its colour and line style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// A DNS record's share of traffic to one side.
    Traffic,
    /// A load balancer forwarding to a service, or a path routed to one.
    Forward,
    /// A service connecting to a database.
    Reads,
    /// DMS copying rows from the data centre into AWS, or back (a fallback).
    Replication,
    /// A service writing the data centre's primary, before its database's data cutover.
    Writes,
    /// The VPN joining the data centre's networks and a VPC.
    Tunnel,
}

/// An edge between two nodes (indices into `Graph::nodes`), with its label lines and the
/// gates that guard it (shown apart, so a reviewer sees what holds traffic back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub label: Vec<String>,
    pub gates: Vec<String>,
}

impl Edge {
    /// The label's lines followed by the gates'.
    pub fn all_lines(&self) -> impl Iterator<Item = &String> {
        self.label.iter().chain(&self.gates)
    }
}

/// The picture of one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// `payment · workspace aws-production · us-east-1`.
    pub title: String,
    /// The AWS region, for the AWS group's caption.
    pub region: String,
    /// The workspace drawn.
    pub workspace: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Graph {
    /// The indices of the nodes on `side`, in order.
    pub fn on(&self, side: Side) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.kind.side() == side)
    }
}

/// `--phase P` is not a percentage, or names a weight that is not a phase of a cutover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhaseError {
    NotAPercentage {
        typed: String,
    },
    NotAPhase {
        phase: Percent,
        cutover: String,
        phases: String,
    },
    NoCutover {
        phase: Percent,
    },
}

impl std::fmt::Display for PhaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhaseError::NotAPercentage { typed } => write!(
                f,
                "--phase `{typed}` is not a percentage; write one of the cutover's phases, e.g. `--phase 25%`"
            ),
            PhaseError::NotAPhase {
                phase,
                cutover,
                phases,
            } => write!(
                f,
                "{phase} is not a phase of cutover `{cutover}` (phases: {phases})"
            ),
            PhaseError::NoCutover { phase } => write!(
                f,
                "--phase {phase}: the stack has no cutover, so it has no phases"
            ),
        }
    }
}

/// The phase `--phase` names, as the user typed it (`25%`).
pub fn phase(typed: &str) -> Result<Percent, PhaseError> {
    Percent::parse(typed).ok_or_else(|| PhaseError::NotAPercentage {
        typed: typed.to_string(),
    })
}

/// Text from the stack, safe to show: control characters escaped.
fn shown(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// The weight a cutover is drawn at: `phase` when given (it must be one of its phases),
/// else the workspace's weight.
fn weight_of(cutover: &Cutover, phase: Option<Percent>) -> Result<Percent, PhaseError> {
    match phase {
        None => Ok(cutover.weight),
        Some(p) if cutover.is_phase(p) => Ok(p),
        Some(p) => Err(PhaseError::NotAPhase {
            phase: p,
            cutover: shown(cutover.name.as_str()),
            phases: cutover.phase_list(),
        }),
    }
}

/// Builds the picture of one workspace, every cutover it manages at `phase` (default: the
/// workspace's weight, as `pmigc phases` and the built root have it); a cutover another
/// workspace owns has no records in this root and is not drawn.
pub fn build(stack: &Stack, phase: Option<Percent>) -> Result<Graph, PhaseError> {
    if let (Some(phase), true) = (phase, stack.cutovers.is_empty()) {
        return Err(PhaseError::NoCutover { phase });
    }
    let mut g = Builder::default();
    let title = format!(
        "{} · workspace {} · {}",
        shown(stack.name.as_str()),
        shown(stack.workspace.name.as_str()),
        shown(&stack.region)
    );
    // AWS first, so that references from the rest find their nodes.
    let vpcs: Vec<usize> = stack.networks.iter().map(|n| g.vpc(n)).collect();
    let lbs: Vec<Option<usize>> = stack
        .services
        .iter()
        .map(|s| g.load_balancer(stack, s))
        .collect();
    let services: Vec<usize> = stack.services.iter().map(|s| g.service(s)).collect();
    let databases: Vec<usize> = stack.databases.iter().map(|d| g.database(d)).collect();
    for (i, service) in stack.services.iter().enumerate() {
        let (Some(&node), Some(lb)) = (services.get(i), lbs.get(i)) else {
            continue;
        };
        // A service behind a load balancer has a port (the checker requires one).
        if let (Some(lb), Some(port), Some(exposure)) = (lb, service.port, &service.exposure) {
            let protocol = match exposure.listener {
                crate::model::Listener::Https(_) => "HTTPS",
                crate::model::Listener::Http => "HTTP",
            };
            g.edge(
                *lb,
                node,
                EdgeKind::Forward,
                vec![format!("{protocol} → :{}", port.get())],
            );
        }
        if let Some(route) = &service.route {
            let via = stack
                .services
                .iter()
                .position(|s| s.name == *route.via.name());
            if let (Some(Some(lb)), Some(port)) = (via.and_then(|v| lbs.get(v)), service.port) {
                g.edge(
                    *lb,
                    node,
                    EdgeKind::Forward,
                    vec![format!("path {} → :{}", shown(&route.path), port.get())],
                );
            }
        }
        for read in &service.reads {
            let Some(&db) =
                position(&stack.databases, read.name(), |d| &d.name).and_then(|i| databases.get(i))
            else {
                continue;
            };
            let port = stack[read].port.get();
            // The write path: where the service's writes go in this workspace.
            match (service.reads_only(read), stack.write_path(read)) {
                (true, _) => {
                    g.edge(
                        node,
                        db,
                        EdgeKind::Reads,
                        vec![format!("only reads :{port} (reader)")],
                    );
                }
                (false, WritePath::Aurora) => {
                    g.edge(
                        node,
                        db,
                        EdgeKind::Reads,
                        vec![format!("reads and writes :{port}")],
                    );
                }
                (false, WritePath::Replicated { writer, .. }) if writer.aws_writes_aurora() => {
                    g.edge(
                        node,
                        db,
                        EdgeKind::Reads,
                        vec![
                            format!("reads and writes :{port}"),
                            format!("through writer.{}", shown(read.name().as_str())),
                        ],
                    );
                }
                (false, WritePath::Replicated { replication, .. }) => {
                    let source = g.source(replication);
                    g.edge(
                        node,
                        source,
                        EdgeKind::Writes,
                        vec![
                            format!("reads and writes :{}", replication.source.port.get()),
                            format!(
                                "through writer.{}, until its data cutover",
                                shown(read.name().as_str())
                            ),
                        ],
                    );
                }
            }
        }
    }
    // The data centre and the VPNs.
    for vpn in &stack.vpns {
        let mut lines: Vec<String> = vpn.networks.iter().map(|n| n.to_string()).collect();
        if lines.is_empty() {
            lines.push("(none declared)".into());
        }
        let networks = g.node(NodeKind::Networks, "on-premises networks".into(), lines);
        let tunnel = g.node(
            NodeKind::Vpn,
            format!("VPN {}", shown(vpn.name.as_str())),
            vec![shown(&vpn.connection_id), shown(&vpn.gateway_id)],
        );
        g.edge(networks, tunnel, EdgeKind::Tunnel, Vec::new());
        for (i, network) in stack.networks.iter().enumerate() {
            let attached = network.vpn.as_ref().is_some_and(|v| v.name() == &vpn.name);
            if let (true, Some(&vpc)) = (attached, vpcs.get(i)) {
                g.edge(
                    tunnel,
                    vpc,
                    EdgeKind::Tunnel,
                    vec!["routes propagated".into()],
                );
            }
        }
    }
    for replication in &stack.replications {
        let source = g.source(replication);
        if let Some(&db) = position(&stack.databases, replication.target.name(), |d| &d.name)
            .and_then(|i| databases.get(i))
        {
            let mut label = replication_label(replication);
            if !stack.forward_runs(&replication.name) {
                label.push("stopped: drained at the data cutover".into());
            }
            g.edge(source, db, EdgeKind::Replication, label);
        }
    }
    // Each fallback runs the other way: Aurora into the data centre's primary.
    for data_cutover in stack.owned_data_cutovers() {
        let replication = &stack[&data_cutover.replication];
        let source = g.source(replication);
        if let Some(&db) = position(&stack.databases, data_cutover.database.name(), |d| &d.name)
            .and_then(|i| databases.get(i))
        {
            g.edge(
                db,
                source,
                EdgeKind::Replication,
                vec![
                    format!("fallback {}", shown(data_cutover.name.as_str())),
                    match data_cutover.writer.fallback_runs() {
                        true => format!("changes only, running ({})", data_cutover.writer),
                        false => "changes only, stopped until the data cutover".into(),
                    },
                    format!(
                        "DMS {}, max lag {}s",
                        shown(&data_cutover.fallback.instance_class),
                        data_cutover.fallback.max_lag.0
                    ),
                ],
            );
        }
    }
    for cutover in &stack.cutovers {
        // `--phase` is checked against every cutover; only those whose records this
        // workspace's root holds are drawn (another workspace's weight moves nothing here).
        let weight = weight_of(cutover, phase)?;
        if stack.manages(cutover) {
            g.cutover(stack, cutover, weight, &lbs, &services);
        }
    }
    Ok(Graph {
        title,
        region: shown(&stack.region),
        workspace: shown(stack.workspace.name.as_str()),
        nodes: g.nodes,
        edges: g.edges,
    })
}
