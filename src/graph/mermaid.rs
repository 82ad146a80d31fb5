//! The graph as a Mermaid flowchart, for pull-request descriptions (GitHub renders a
//! `mermaid` code block). The data centre and AWS are subgraphs; node ids are pmigc's own
//! (`n0`, `n1`, …). Every label is a double-quoted string in which each character other than
//! ASCII letters, digits, space and `.,:/-_()+=` is written as Mermaid's decimal entity code
//! (`#60;` for `<`, `#34;` for `"`, `#35;` for `#` itself, `#62;` for the `>` of `-->`), so no
//! text from the stack can end a label or an edge's `|…|`, open a tag, an entity or a comment
//! (`%%`); line breaks are `<br>`, written by pmigc.

use super::{EdgeKind, Graph, Node, NodeKind, Side};
use std::fmt::Write;

/// One line of a label, every character Mermaid could read as syntax written as an entity.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_alphanumeric()
            || matches!(
                c,
                ' ' | '.' | ',' | ':' | '/' | '-' | '_' | '(' | ')' | '+' | '='
            )
        {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
}

/// A double-quoted label of several lines joined by `<br>`.
fn label<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("\"");
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        escape(&mut out, line);
    }
    out.push('"');
    out
}

fn class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Networks | NodeKind::LegacyHost | NodeKind::SourceDatabase => "dc",
        NodeKind::Vpn => "vpn",
        NodeKind::Record => "record",
        NodeKind::Vpc => "vpc",
        NodeKind::LoadBalancer => "lb",
        NodeKind::Service => "service",
        NodeKind::Database => "database",
    }
}

fn node(out: &mut String, indent: &str, id: usize, n: &Node) {
    let text = label(std::iter::once(n.title.as_str()).chain(n.lines.iter().map(String::as_str)));
    let (open, close) = match n.kind {
        NodeKind::Database | NodeKind::SourceDatabase => ("[(", ")]"),
        NodeKind::Record => ("{{", "}}"),
        _ => ("[", "]"),
    };
    let _ = writeln!(out, "{indent}n{id}{open}{text}{close}:::{}", class(n.kind));
}

/// The whole graph as a Mermaid flowchart.
pub fn write(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let region = format!("AWS {} · workspace {}", graph.region, graph.workspace);
    let groups = [
        (Side::DataCentre, "dc_group", "data centre"),
        (Side::Aws, "aws_group", region.as_str()),
    ];
    for (side, id, caption) in groups {
        let _ = writeln!(out, "  subgraph {id}[{}]", label([caption]));
        for (i, n) in graph.on(side) {
            node(&mut out, "    ", i, n);
        }
        out.push_str("  end\n");
    }
    for (i, n) in graph.on(Side::Between) {
        node(&mut out, "  ", i, n);
    }
    for e in &graph.edges {
        let arrow = match e.kind {
            EdgeKind::Traffic => "==>",
            EdgeKind::Replication => "-.->",
            EdgeKind::Tunnel => "---",
            EdgeKind::Forward | EdgeKind::Reads | EdgeKind::Writes => "-->",
        };
        let lines: Vec<&str> = e.all_lines().map(String::as_str).collect();
        if lines.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", e.from, e.to);
        } else {
            let _ = writeln!(out, "  n{} {arrow}|{}| n{}", e.from, label(lines), e.to);
        }
    }
    for (name, fill, stroke) in [
        ("dc", "#eceff1", "#546e7a"),
        ("vpn", "#fff3e0", "#ef6c00"),
        ("record", "#ede7f6", "#5e35b1"),
        ("vpc", "#e8f5e9", "#2e7d32"),
        ("lb", "#e3f2fd", "#1565c0"),
        ("service", "#fff8e1", "#f9a825"),
        ("database", "#fce4ec", "#ad1457"),
    ] {
        let _ = writeln!(out, "  classDef {name} fill:{fill},stroke:{stroke}");
    }
    out
}
