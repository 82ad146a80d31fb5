//! `pmigc graph`: what the picture shows for every stack we have (the payment stack, the
//! cases under `tests/cases/graph/` and `tests/cases/ok/`), each format well formed and the
//! same on every run, hostile text escaped for each format, the Mermaid of each graph case
//! against its snapshot beside it, and `docs/payment.svg` in step with the code. The command
//! line is tested in `graph_cli.rs`.

use pmigc::graph::{self, Edge, EdgeKind, Graph, Node, NodeKind};
use pmigc::{Percent, Stack};
use std::path::{Path, PathBuf};

use crate::common;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspaces of a stack in `stacks/`.
fn stacks_of(text: &str) -> Vec<Stack> {
    stacks_in(text, &repo().join("stacks"))
}

/// The workspaces of a stack in `dir` (its boot scripts are read there).
fn stacks_in(text: &str, dir: &Path) -> Vec<Stack> {
    let checked = pmigc::check_source_with(text, &mut common::reader(dir.to_path_buf()));
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        checked.diagnostics
    );
    checked.stacks
}

/// Every stack the tests know that compiles: `(file, text)`.
fn all_stacks() -> Vec<(PathBuf, String)> {
    let mut files = vec![repo().join("stacks/payment.pmig")];
    for dir in ["tests/cases/graph", "tests/cases/ok"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
            .collect();
        found.sort();
        files.extend(found);
    }
    let mut stacks: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect();
    // Generated stacks: the payment stack with more services behind its load balancer.
    for n in [3, 40] {
        stacks.push((PathBuf::from(format!("synth-{n}")), crate::synth::stack(n)));
    }
    stacks
}

/// The data centre's band and AWS's band of an SVG (`x`, `y`, `width`, `height`).
fn bands(svg: &str) -> Vec<[f64; 4]> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("stroke-dasharray") == Some("6,4"))
        .map(|n| ["x", "y", "width", "height"].map(|a| n.attribute(a).unwrap().parse().unwrap()))
        .collect()
}

/// A writer of one format.
type Writer = fn(&Graph) -> String;

fn svg(g: &Graph) -> String {
    graph::svg::write(g).unwrap()
}

fn writers() -> [(&'static str, Writer); 3] {
    [
        ("svg", svg),
        ("mermaid", graph::mermaid::write),
        ("dot", graph::dot::write),
    ]
}

/// The text content of every `<text>` element of an SVG, which must parse as XML.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let allowed = ["svg", "title", "defs", "marker", "path", "rect", "text"];
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert!(
            allowed.contains(&node.tag_name().name()),
            "unexpected element <{}>",
            node.tag_name().name()
        );
    }
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// The strings between double quotes of a DOT document, unescaped; panics on a string that
/// does not end, or on a backslash escape pmigc never writes.
fn dot_strings(dot: &str) -> Vec<String> {
    dot_parts(dot).0
}

/// The strings of a DOT document and what is left outside them (the statements).
fn dot_parts(dot: &str) -> (Vec<String>, String) {
    let mut strings = Vec::new();
    let mut skeleton = String::new();
    let mut chars = dot.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            assert!(
                c != '\\' && c != '<',
                "a `{c}` outside a quoted string in\n{dot}"
            );
            skeleton.push(c);
            continue;
        }
        skeleton.push_str("\"\"");
        let mut s = String::new();
        loop {
            match chars.next().expect("unterminated DOT string") {
                '"' => break,
                '\\' => match chars.next().expect("dangling backslash") {
                    '\\' => s.push('\\'),
                    '"' => s.push('"'),
                    'n' => s.push('\n'),
                    other => panic!("unexpected escape \\{other}"),
                },
                c => s.push(c),
            }
        }
        strings.push(s);
    }
    (strings, skeleton)
}

/// The labels of a Mermaid flowchart, decoded: every `"…"` must hold only the characters the
/// writer lets through, `#NNN;` entities and `<br>`.
fn mermaid_labels(text: &str) -> Vec<String> {
    let mut labels = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 0 {
            // Outside labels: pmigc's own syntax only.
            assert!(
                !part.contains('#') || part.contains("classDef"),
                "entity outside a label: {part}"
            );
            continue;
        }
        let mut decoded = String::new();
        let mut rest = part;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("<br>") {
                decoded.push('\n');
                rest = after;
            } else if let Some(after) = rest.strip_prefix('#') {
                let end = after.find(';').expect("entity ends with ;");
                let code: u32 = after[..end].parse().expect("decimal entity");
                decoded.push(char::from_u32(code).unwrap());
                rest = &after[end + 1..];
            } else {
                assert!(
                    c.is_ascii_alphanumeric() || " .,:/-_()+=".contains(c),
                    "`{c}` unescaped in Mermaid label {part:?}"
                );
                decoded.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        labels.push(decoded);
    }
    assert!(text.split('"').count() % 2 == 1, "unbalanced quotes");
    labels
}

#[test]
fn every_stack_draws_in_every_format_deterministically_and_well_formed() {
    for (file, text) in all_stacks() {
        let dir = file.parent().unwrap_or(Path::new(""));
        for stack in stacks_in(&text, dir) {
            let g = graph::build(&stack, None).unwrap();
            assert!(!g.nodes.is_empty(), "{}: empty graph", file.display());
            for (format, write) in writers() {
                let first = write(&g);
                let again = write(&graph::build(&stack, None).unwrap());
                assert_eq!(first, again, "{} {format} differs", file.display());
                match format {
                    "svg" => {
                        // The data centre's band lies wholly above AWS's.
                        if let [dc, aws] = bands(&first)[..] {
                            assert!(
                                dc[1] + dc[3] < aws[1],
                                "{}: the bands overlap: {dc:?} {aws:?}",
                                file.display()
                            );
                        }
                        let texts = svg_texts(&first);
                        for n in &g.nodes {
                            assert!(
                                texts.contains(&n.title),
                                "{}: {} not drawn",
                                file.display(),
                                n.title
                            );
                            for line in &n.lines {
                                assert!(texts.contains(line), "{line} not drawn");
                            }
                        }
                        for e in &g.edges {
                            for line in e.all_lines() {
                                assert!(texts.contains(line), "edge label {line} not drawn");
                            }
                        }
                    }
                    "dot" => {
                        let strings = dot_strings(&first);
                        for n in &g.nodes {
                            let mut label = n.title.clone();
                            for line in &n.lines {
                                label.push('\n');
                                label.push_str(line);
                            }
                            assert!(strings.contains(&label), "{label} not in DOT");
                        }
                    }
                    _ => {
                        let labels = mermaid_labels(&first);
                        for n in &g.nodes {
                            assert!(labels.iter().any(|l| l.starts_with(&n.title)));
                        }
                    }
                }
            }
        }
    }
}

/// The payment stack's graph of `workspace` at `phase`.
fn payment(workspace: &str, phase: Option<u8>) -> Graph {
    let text = std::fs::read_to_string(repo().join("stacks/payment.pmig")).unwrap();
    let stacks = stacks_of(&text);
    let stack = stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == workspace)
        .unwrap();
    graph::build(stack, phase.map(|p| Percent::new(p).unwrap())).unwrap()
}

#[test]
fn the_payment_graph_shows_both_sides_the_vpn_the_replication_and_the_weights() {
    let g = payment("aws-production", Some(25));
    let node = |kind: NodeKind| g.nodes.iter().position(|n| n.kind == kind).unwrap();
    let edge = |from: usize, to: usize| {
        g.edges
            .iter()
            .find(|e| e.from == from && e.to == to)
            .unwrap_or_else(|| panic!("no edge {from} → {to}"))
    };
    let record = node(NodeKind::Record);
    let legacy = node(NodeKind::LegacyHost);
    let lb = node(NodeKind::LoadBalancer);
    assert_eq!(edge(record, legacy).label, ["legacy 75%"]);
    let aws = edge(record, lb);
    assert_eq!(aws.label, ["AWS 25%"]);
    assert_eq!(aws.gates, ["gate onprem_to_aws.lag < 5s"]);
    let replication = edge(node(NodeKind::SourceDatabase), node(NodeKind::Database));
    assert_eq!(replication.kind, EdgeKind::Replication);
    assert!(
        replication
            .label
            .contains(&"full load + CDC, max lag 5s".to_string())
    );
    let vpn = node(NodeKind::Vpn);
    edge(node(NodeKind::Networks), vpn);
    edge(vpn, node(NodeKind::Vpc));
    // The write path: before the ledger's data cutover the API writes the data centre's
    // primary (through the writer name), and the fallback waits, stopped, the other way.
    let writes = edge(node(NodeKind::Service), node(NodeKind::SourceDatabase));
    assert_eq!(writes.kind, EdgeKind::Writes);
    assert_eq!(
        writes.label,
        [
            "reads and writes :3306",
            "through writer.ledger, until its data cutover"
        ]
    );
    let fallback = edge(node(NodeKind::Database), node(NodeKind::SourceDatabase));
    assert_eq!(fallback.kind, EdgeKind::Replication);
    assert!(
        fallback
            .label
            .contains(&"changes only, stopped until the data cutover".to_string())
    );
    let vpc = &g.nodes[node(NodeKind::Vpc)];
    assert!(
        vpc.lines
            .contains(&"zone 3: public 10.40.2.0/24 · private 10.40.5.0/24".to_string())
    );
    // Without --phase: the workspace's own weight.
    let g = payment("aws-production", None);
    assert!(g.edges.iter().any(|e| e.label == ["AWS 100%"]));
    assert!(g.edges.iter().any(|e| e.label == ["legacy 0%"]));
}

/// Issue 27: `payments` is owned by aws-production; legacy-sync's root holds none of its
/// records, so its graph draws no record and no weight, at its own weight or at `--phase`.
#[test]
fn a_workspace_that_does_not_manage_a_cutover_draws_none_of_its_records_or_weights() {
    for phase in [None, Some(25)] {
        let g = payment("legacy-sync", phase);
        let kinds: Vec<_> = g.nodes.iter().map(|n| n.kind).collect();
        assert!(!kinds.contains(&NodeKind::Record), "{phase:?}: {kinds:?}");
        assert!(
            !kinds.contains(&NodeKind::LegacyHost),
            "{phase:?}: {kinds:?}"
        );
        assert!(
            !g.edges
                .iter()
                .any(|e| e.label.iter().any(|l| l.contains('%'))),
            "{phase:?}: a weight is drawn"
        );
        // The rest of the workspace is drawn as before.
        assert!(kinds.contains(&NodeKind::LoadBalancer) && kinds.contains(&NodeKind::Vpn));
    }
    let owner = payment("aws-production", None);
    assert!(owner.nodes.iter().any(|n| n.kind == NodeKind::Record));
}

#[test]
fn two_cutovers_each_draw_their_own_weights_and_gates() {
    let text = std::fs::read_to_string(repo().join("tests/cases/graph/two-cutovers.pmig")).unwrap();
    let stacks = stacks_of(&text);
    let staging = &stacks[0];
    let g = graph::build(staging, None).unwrap();
    let labels: Vec<Vec<String>> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Traffic)
        .map(|e| e.all_lines().cloned().collect())
        .collect();
    assert_eq!(
        labels,
        [
            vec!["legacy 90%".to_string()],
            vec!["AWS 10%".into(), "gate catalog_sync.lag < 5s".into()],
            vec!["legacy 100%".into()],
            vec![
                "AWS 0%".into(),
                "gate invoices_sync.lag < 30s and catalog_sync.lag < 5s".into()
            ],
        ]
    );
    assert_eq!(
        g.nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Database)
            .count(),
        2
    );
    // 50% is a phase of both; 10% only of `store`.
    assert!(graph::build(staging, Some(Percent::new(50).unwrap())).is_ok());
    let err = graph::build(staging, Some(Percent::new(10).unwrap())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "10% is not a phase of cutover `bills` (phases: 0%, 50%, 100%)"
    );
}

/// An internal load balancer's box says where it sits and who reaches it, and its arrow the
/// protocol it forwards (plain HTTP for `internal http`); an internet-facing one says neither.
#[test]
fn an_internal_load_balancer_says_who_reaches_it_and_its_protocol() {
    let text = std::fs::read_to_string(repo().join("tests/cases/ok/internal-load-balancers.pmig"))
        .unwrap();
    let stacks = stacks_of(&text);
    let g = graph::build(&stacks[0], None).unwrap();
    let index = |title: &str| g.nodes.iter().position(|n| n.title == title).unwrap();
    let lines = |title: &str| g.nodes[index(title)].lines.clone();
    assert_eq!(
        lines("load balancer desk"),
        [
            "HTTPS :443, certificate desk.corp.example.com",
            "internal: from VPC core and VPN office only",
            "in core.private",
            "HTTP :80 redirects to HTTPS",
        ]
    );
    assert_eq!(
        lines("load balancer tools"),
        [
            "HTTP :80 (plain text)",
            "internal: from VPC core and VPN office only",
            "in core.private",
        ]
    );
    assert!(
        !lines("load balancer shop")
            .iter()
            .any(|l| l.contains("internal"))
    );
    let forward = |from: &str, to: &str| {
        g.edges
            .iter()
            .find(|e| e.from == index(from) && e.to == index(to))
            .map(|e| e.label.clone())
            .unwrap()
    };
    assert_eq!(
        forward("load balancer tools", "service tools"),
        ["HTTP → :9000"]
    );
    assert_eq!(
        forward("load balancer desk", "service desk"),
        ["HTTPS → :8080"]
    );
    assert_eq!(
        forward("load balancer tools", "service reports"),
        ["path /reports/* → :9100"]
    );
}

#[test]
fn the_mermaid_of_each_graph_case_matches_its_snapshot() {
    for (file, text) in all_stacks() {
        if !file.starts_with(repo().join("tests/cases/graph")) {
            continue;
        }
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        for stack in stacks_of(&text) {
            let g = graph::build(&stack, None).unwrap();
            insta::with_settings!({
                snapshot_path => repo().join("tests/cases/graph"),
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(
                    format!("{stem}.{}", stack.workspace.name),
                    graph::mermaid::write(&g)
                );
            });
        }
    }
}

/// Text a stack can hold in its strings that means something in SVG, DOT or Mermaid (a stack
/// string cannot hold `"`; the IR test below covers it).
/// What the checker still lets through into a drawn string: a health path may hold `'`, `&`,
/// `;`, `%`, `$`, `(`… (DNS names, where `<`, `]` and `-->` once went, are now refused by the
/// checker, PMG1206; the direct `Graph` test below covers every character).
const HOSTILE: &[(&str, &str)] = &[(
    "health   = \"/health\"",
    "health   = \"/h';alert(1)&amp;quot;%%y$@:+,?\"",
)];

#[test]
fn hostile_strings_from_a_stack_are_escaped_in_every_format() {
    let mut text = std::fs::read_to_string(repo().join("stacks/payment.pmig")).unwrap();
    for (from, to) in HOSTILE {
        assert!(text.contains(from));
        text = text.replace(from, to);
    }
    let health = "port 8080, health /h';alert(1)&amp;quot;%%y$@:+,?";
    for stack in stacks_of(&text) {
        let g = graph::build(&stack, None).unwrap();
        let texts = svg_texts(&svg(&g));
        assert!(texts.iter().any(|t| t == health), "{texts:?}");
        let dot = graph::dot::write(&g);
        let strings = dot_strings(&dot);
        assert!(strings.iter().any(|s| s.contains(health)));
        // No label started a statement: one edge statement per edge.
        let (_, skeleton) = dot_parts(&dot);
        assert_eq!(
            skeleton.matches(" -> ").count(),
            g.edges.len(),
            "{skeleton}"
        );
        let labels = mermaid_labels(&graph::mermaid::write(&g));
        assert!(labels.iter().any(|l| l.contains(health)));
    }
}

#[test]
fn quotes_and_brackets_in_any_text_are_escaped_in_every_format() {
    let evil = "a\"] --> n0[\"<script>x</script>\\\" %% end ' `b` #quot; &lt;";
    let g = Graph {
        title: evil.into(),
        region: evil.into(),
        workspace: evil.into(),
        nodes: vec![
            Node {
                kind: NodeKind::LegacyHost,
                title: evil.into(),
                lines: vec![evil.into()],
            },
            Node {
                kind: NodeKind::Record,
                title: "record".into(),
                lines: vec![evil.into()],
            },
        ],
        edges: vec![Edge {
            from: 1,
            to: 0,
            kind: EdgeKind::Traffic,
            label: vec![evil.into()],
            gates: vec![evil.into()],
        }],
    };
    let texts = svg_texts(&svg(&g));
    assert!(
        texts.iter().filter(|t| *t == evil).count() >= 3,
        "{texts:?}"
    );
    let strings = dot_strings(&graph::dot::write(&g));
    assert!(strings.iter().any(|s| s == &format!("{evil}\n{evil}")));
    let labels = mermaid_labels(&graph::mermaid::write(&g));
    assert!(labels.iter().any(|l| l == &format!("{evil}\n{evil}")));
}

#[test]
fn a_graph_too_large_to_lay_out_is_refused_as_svg_and_drawn_as_dot() {
    let box_ = |i: usize| Node {
        kind: NodeKind::Service,
        title: format!("service s{i}"),
        lines: Vec::new(),
    };
    let mut g = payment("aws-production", None);
    g.nodes = (0..graph::svg::MAX_BOXES).map(box_).collect();
    g.edges.clear();
    assert!(graph::svg::write(&g).is_ok());
    g.nodes.push(box_(graph::svg::MAX_BOXES));
    let err = graph::svg::write(&g).unwrap_err();
    assert!(err.to_string().starts_with(&format!(
        "the graph has {} boxes",
        graph::svg::MAX_BOXES + 1
    )));
    assert!(graph::dot::write(&g).contains(&format!("service s{}", graph::svg::MAX_BOXES)));
}

// ---- docs/payment.svg ------------------------------------------------------------------

const DOCS_COMMAND: &str =
    "pmigc graph stacks/payment.pmig --workspace aws-production --phase 25% --out docs/payment.svg";

#[test]
fn docs_payment_svg_is_what_pmigc_draws_today() {
    let g = payment("aws-production", Some(25));
    let drawn = svg(&g);
    let committed = std::fs::read_to_string(repo().join("docs/payment.svg")).unwrap_or_default();
    assert!(
        committed == drawn,
        "docs/payment.svg is not what pmigc draws today; regenerate it with `cargo run -- {}`",
        DOCS_COMMAND.trim_start_matches("pmigc ")
    );
}
