//! The graph as Graphviz DOT (`dot -Tsvg`): the data centre and AWS as clusters, the VPNs and
//! DNS records between them, left to right. Node ids are pmigc's own (`n0`, `n1`, …); every
//! text from the stack is written inside a double-quoted string with `\` and `"` escaped, so
//! no name or string can end the string, start an attribute or a Graphviz escape (`\N`, `\l`).

use super::{EdgeKind, Graph, Node, NodeKind, Side};
use std::fmt::Write;

/// A DOT double-quoted string: `\` and `"` escaped; lines joined with `\n`, Graphviz's own
/// line break (written by pmigc, never taken from the stack).
fn quoted(lines: &[&str]) -> String {
    let mut out = String::from("\"");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in line.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' | '\r' => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

pub(super) fn fill(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Networks | NodeKind::LegacyHost | NodeKind::SourceDatabase => "#eceff1",
        NodeKind::Vpn => "#fff3e0",
        NodeKind::Record => "#ede7f6",
        NodeKind::Vpc => "#e8f5e9",
        NodeKind::LoadBalancer => "#e3f2fd",
        NodeKind::Service => "#fff8e1",
        NodeKind::Database => "#fce4ec",
    }
}

pub(super) fn stroke(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Traffic => "#5e35b1",
        EdgeKind::Forward => "#1565c0",
        EdgeKind::Reads => "#6d4c41",
        EdgeKind::Writes => "#ad1457",
        EdgeKind::Replication => "#c62828",
        EdgeKind::Tunnel => "#ef6c00",
    }
}

fn node(out: &mut String, indent: &str, id: usize, n: &Node) {
    let mut lines = vec![n.title.as_str()];
    lines.extend(n.lines.iter().map(String::as_str));
    let shape = match n.kind {
        NodeKind::Database | NodeKind::SourceDatabase => "cylinder",
        NodeKind::Record => "hexagon",
        _ => "box",
    };
    let _ = writeln!(
        out,
        "{indent}n{id} [label={}, shape={shape}, fillcolor=\"{}\"];",
        quoted(&lines),
        fill(n.kind)
    );
}

/// The whole graph as a DOT document.
pub fn write(graph: &Graph) -> String {
    let mut out = String::from("digraph migration {\n");
    let _ = writeln!(out, "  label={};", quoted(&[&graph.title]));
    out.push_str("  labelloc=t;\n  rankdir=LR;\n  fontname=\"Helvetica\";\n");
    out.push_str("  node [style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let groups = [
        (
            Side::DataCentre,
            "cluster_dc",
            "data centre".to_string(),
            "#f5f5f5",
        ),
        (
            Side::Aws,
            "cluster_aws",
            format!("AWS {}", graph.region),
            "#fffaf0",
        ),
    ];
    for (side, id, label, colour) in groups {
        let _ = writeln!(
            out,
            "  subgraph {id} {{\n    label={};\n    style=filled;\n    fillcolor=\"{colour}\";",
            quoted(&[&label])
        );
        for (i, n) in graph.on(side) {
            node(&mut out, "    ", i, n);
        }
        out.push_str("  }\n");
    }
    for (i, n) in graph.on(Side::Between) {
        node(&mut out, "  ", i, n);
    }
    for e in &graph.edges {
        let lines: Vec<&str> = e.all_lines().map(String::as_str).collect();
        let style = match e.kind {
            EdgeKind::Replication => ", style=dashed, penwidth=2",
            EdgeKind::Traffic => ", penwidth=2",
            EdgeKind::Tunnel => ", style=bold, dir=none",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}, color=\"{c}\", fontcolor=\"{c}\"{style}];",
            e.from,
            e.to,
            quoted(&lines),
            c = stroke(e.kind),
        );
    }
    out.push_str("}\n");
    out
}
