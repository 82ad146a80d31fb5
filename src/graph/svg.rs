//! The graph as an SVG that pmigc draws itself, from where `place` (`layout-rs`) put the boxes
//! and routed the edges: a band around the data centre (the first row) and one around AWS
//! (the rows below the VPNs and records), the edges with their labels (gates in red), each box
//! with its title and lines. Every text is XML-escaped; the numbers are printed with one
//! decimal, so the output is the same on every run.

use super::place::{Canvas, LINE, Path, TEXT_ADVANCE, TITLE_ADVANCE, lay_out, text_width};
use super::{Edge, EdgeKind, Graph, Node, NodeKind, Side};
use layout::core::geometry::Point;
use std::fmt::Write;

/// Font sizes of the drawing (pixels).
const TITLE_SIZE: f64 = 13.0;
const TEXT_SIZE: f64 = 11.5;
const LABEL_SIZE: f64 = 11.0;
const MARGIN: f64 = 24.0;
/// The most boxes an SVG is drawn with. Without optimisations the layout still grows about
/// with the cube of the graph (measured, debug build: 310 boxes 3.5 s, 610 boxes 24 s); a
/// picture of more boxes is unreadable anyway, and DOT or Mermaid draw it.
pub const MAX_BOXES: usize = 250;

/// A graph with more boxes than `MAX_BOXES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    pub boxes: usize,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the graph has {} boxes, more than the {MAX_BOXES} pmigc lays out as SVG in reasonable time; `--format dot` (for Graphviz) or `--format mermaid` draws it",
            self.boxes
        )
    }
}
const BAND_PAD: f64 = 18.0;

/// XML character data and attribute values: `&`, `<`, `>`, `"` and `'` escaped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn stroke_of(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Networks | NodeKind::LegacyHost | NodeKind::SourceDatabase => "#546e7a",
        NodeKind::Vpn => "#ef6c00",
        NodeKind::Record => "#5e35b1",
        NodeKind::Vpc => "#2e7d32",
        NodeKind::LoadBalancer => "#1565c0",
        NodeKind::Service => "#f9a825",
        NodeKind::Database => "#ad1457",
    }
}

/// Bounds of a set of rectangles.
#[derive(Clone, Copy)]
struct Bounds {
    min: Point,
    max: Point,
}

impl Bounds {
    fn empty() -> Bounds {
        Bounds {
            min: Point::new(f64::MAX, f64::MAX),
            max: Point::new(f64::MIN, f64::MIN),
        }
    }
    fn add(&mut self, xy: Point, size: Point) {
        self.min = Point::new(self.min.x.min(xy.x), self.min.y.min(xy.y));
        self.max = Point::new(self.max.x.max(xy.x + size.x), self.max.y.max(xy.y + size.y));
    }
    fn is_empty(&self) -> bool {
        self.min.x > self.max.x
    }
}

/// The box drawn for a label: its top-left corner and size.
fn label_box(centre: Point, lines: &[&str]) -> (Point, Point) {
    let width = lines
        .iter()
        .map(|l| text_width(l, TEXT_ADVANCE))
        .fold(0.0, f64::max)
        + 8.0;
    let height = lines.len() as f64 * 13.0 + 4.0;
    (
        Point::new(centre.x - width / 2.0, centre.y - height / 2.0),
        Point::new(width, height),
    )
}

fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    // `-0.0` and `0.0` print the same.
    format!("{:.1}", rounded + 0.0)
}

/// Where the layout's coordinates land in the picture: a shift, printed with one decimal.
struct Frame {
    dx: f64,
    dy: f64,
}

impl Frame {
    fn at(&self, p: Point) -> (String, String) {
        (n(p.x + self.dx), n(p.y + self.dy))
    }
}

/// A band around one side: its caption and bounds (empty when the side has no box).
type Band = (Side, String, Bounds);

/// The bands around the data centre and AWS, and the extent of everything drawn.
fn extent(graph: &Graph, canvas: &Canvas) -> ([Band; 2], Bounds) {
    let mut bands = [
        (Side::DataCentre, "data centre".to_string(), Bounds::empty()),
        (Side::Aws, format!("AWS {}", graph.region), Bounds::empty()),
    ];
    let mut all = Bounds::empty();
    for (id, xy, size) in &canvas.boxes {
        all.add(*xy, *size);
        let side = index(id, 'n')
            .and_then(|i| graph.nodes.get(i))
            .map(|n| n.kind.side());
        for (band_side, _, bounds) in &mut bands {
            if side == Some(*band_side) {
                bounds.add(*xy, *size);
            }
        }
    }
    for (_, caption, bounds) in &mut bands {
        if !bounds.is_empty() {
            // Room for the caption above the boxes.
            let top = BAND_PAD + 18.0;
            let min = Point::new(bounds.min.x - BAND_PAD, bounds.min.y - top);
            let size = Point::new(
                bounds.max.x - bounds.min.x + 2.0 * BAND_PAD,
                bounds.max.y - bounds.min.y + BAND_PAD + top,
            );
            *bounds = Bounds::empty();
            bounds.add(min, size);
            all.add(min, size);
            let caption_width = text_width(caption, TITLE_ADVANCE) + 16.0;
            all.add(min, Point::new(caption_width, 1.0));
        }
    }
    for (centre, text) in &canvas.labels {
        let (xy, size) = label_box(*centre, &label_lines(text));
        all.add(xy, size);
    }
    for (_, path, _) in &canvas.arrows {
        for (p, c) in path {
            all.add(*p, Point::new(0.0, 0.0));
            all.add(*c, Point::new(0.0, 0.0));
        }
    }
    if all.is_empty() {
        all.add(Point::new(0.0, 0.0), Point::new(1.0, 1.0));
    }
    all.add(
        all.min,
        Point::new(text_width(&graph.title, TITLE_ADVANCE), 1.0),
    );
    (bands, all)
}

/// `n3` → 3, `e5` → 5: the index of a node or edge from the id `place` gave its shape.
fn index(id: &str, prefix: char) -> Option<usize> {
    id.strip_prefix(prefix)?.parse().ok()
}

/// A label's lines without the blank ones `place` added for its height.
fn label_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// The whole graph as an SVG document, unless it has more than `MAX_BOXES` boxes.
pub fn write(graph: &Graph) -> Result<String, TooLarge> {
    if graph.nodes.len() > MAX_BOXES {
        return Err(TooLarge {
            boxes: graph.nodes.len(),
        });
    }
    let canvas = lay_out(graph);
    let (bands, all) = extent(graph, &canvas);
    let title_height = 34.0;
    let frame = Frame {
        dx: MARGIN - all.min.x,
        dy: MARGIN + title_height - all.min.y,
    };
    let width = all.max.x - all.min.x + 2.0 * MARGIN;
    let height = all.max.y - all.min.y + 2.0 * MARGIN + title_height;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"Helvetica, Arial, sans-serif\">",
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>{}</title>", xml(&graph.title));
    out.push_str("<defs>\n");
    for kind in [
        EdgeKind::Traffic,
        EdgeKind::Forward,
        EdgeKind::Reads,
        EdgeKind::Writes,
        EdgeKind::Replication,
        EdgeKind::Tunnel,
    ] {
        let colour = super::dot::stroke(kind);
        let id = marker(kind);
        let _ = writeln!(
            out,
            "<marker id=\"{id}-end\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"{colour}\"/></marker>\n<marker id=\"{id}-start\" markerWidth=\"10\" markerHeight=\"8\" refX=\"1\" refY=\"4\" orient=\"auto\"><path d=\"M10,0 L0,4 L10,8 z\" fill=\"{colour}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(width),
        n(height)
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\" fill=\"#263238\">{}</text>",
        n(MARGIN),
        n(MARGIN + 8.0),
        xml(&graph.title)
    );
    for band in &bands {
        draw_band(&mut out, &frame, band);
    }
    for (id, path, heads) in &canvas.arrows {
        if let Some(edge) = index(id, 'e').and_then(|i| graph.edges.get(i)) {
            draw_edge(&mut out, &frame, edge, path, *heads);
        }
    }
    for (id, xy, size) in &canvas.boxes {
        if let Some(node) = index(id, 'n').and_then(|i| graph.nodes.get(i)) {
            draw_box(&mut out, &frame, node, *xy, *size);
        }
    }
    for (centre, text) in &canvas.labels {
        draw_label(&mut out, &frame, graph, *centre, &label_lines(text));
    }
    out.push_str("</svg>\n");
    Ok(out)
}

fn draw_band(out: &mut String, frame: &Frame, (side, caption, bounds): &Band) {
    if bounds.is_empty() {
        return;
    }
    let (fill, line) = match side {
        Side::DataCentre => ("#f5f5f5", "#90a4ae"),
        _ => ("#fff8ef", "#ff9900"),
    };
    let (x, y) = frame.at(bounds.min);
    let _ = writeln!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>",
        n(bounds.max.x - bounds.min.x),
        n(bounds.max.y - bounds.min.y)
    );
    let (tx, ty) = frame.at(Point::new(bounds.min.x + 10.0, bounds.min.y + 20.0));
    let _ = writeln!(
        out,
        "<text x=\"{tx}\" y=\"{ty}\" font-size=\"{TITLE_SIZE}\" font-weight=\"bold\" fill=\"{line}\">{}</text>",
        xml(caption)
    );
}

fn draw_edge(
    out: &mut String,
    frame: &Frame,
    edge: &Edge,
    path: &Path,
    (start, end): (bool, bool),
) {
    let (Some(first), Some(second)) = (path.first(), path.get(1)) else {
        return;
    };
    let mut d = String::new();
    let (x0, y0) = frame.at(first.0);
    let (x1, y1) = frame.at(first.1);
    let (x2, y2) = frame.at(second.0);
    let (x3, y3) = frame.at(second.1);
    let _ = write!(d, "M {x0} {y0} C {x1} {y1}, {x2} {y2}, {x3} {y3}");
    for point in path.iter().skip(2) {
        let (a, b) = frame.at(point.0);
        let (c, e) = frame.at(point.1);
        let _ = write!(d, " S {a} {b}, {c} {e}");
    }
    let style = match edge.kind {
        EdgeKind::Replication => " stroke-width=\"2.5\" stroke-dasharray=\"8,4\"",
        EdgeKind::Traffic => " stroke-width=\"2.5\"",
        EdgeKind::Tunnel => " stroke-width=\"3\" stroke-dasharray=\"2,3\"",
        _ => " stroke-width=\"1.5\"",
    };
    let mut heads = String::new();
    if edge.kind != EdgeKind::Tunnel {
        let id = marker(edge.kind);
        if start {
            let _ = write!(heads, " marker-start=\"url(#{id}-start)\"");
        }
        if end {
            let _ = write!(heads, " marker-end=\"url(#{id}-end)\"");
        }
    }
    let _ = writeln!(
        out,
        "<path d=\"{d}\" fill=\"none\" stroke=\"{}\"{style}{heads}/>",
        super::dot::stroke(edge.kind)
    );
}

fn draw_box(out: &mut String, frame: &Frame, node: &Node, xy: Point, size: Point) {
    let (x, y) = frame.at(xy);
    let _ = writeln!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
        n(size.x),
        n(size.y),
        super::dot::fill(node.kind),
        stroke_of(node.kind)
    );
    let centre = xy.x + size.x / 2.0;
    let (cx, ty) = frame.at(Point::new(centre, xy.y + 19.0));
    let _ = writeln!(
        out,
        "<text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" font-size=\"{TITLE_SIZE}\" font-weight=\"bold\" fill=\"#212121\">{}</text>",
        xml(&node.title)
    );
    for (k, line) in node.lines.iter().enumerate() {
        let (cx, ly) = frame.at(Point::new(centre, xy.y + 19.0 + (k + 1) as f64 * LINE));
        let _ = writeln!(
            out,
            "<text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\" font-size=\"{TEXT_SIZE}\" fill=\"#37474f\">{}</text>",
            xml(line)
        );
    }
}

fn draw_label(out: &mut String, frame: &Frame, graph: &Graph, centre: Point, lines: &[&str]) {
    // The edge whose label this is, for its colour and to tell its gates apart.
    let edge = graph.edges.iter().find(|e| {
        let own: Vec<&str> = e.all_lines().map(String::as_str).collect();
        own == lines
    });
    let colour = edge.map_or("#37474f", |e| super::dot::stroke(e.kind));
    let gates = edge.map_or(0, |e| e.gates.len());
    let (xy, size) = label_box(centre, lines);
    let (x, y) = frame.at(xy);
    let _ = writeln!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>",
        n(size.x),
        n(size.y)
    );
    let first_gate = lines.len().saturating_sub(gates);
    for (k, line) in lines.iter().enumerate() {
        let (cx, ly) = frame.at(Point::new(centre.x, xy.y + 13.0 + k as f64 * 13.0));
        let (fill, weight) = if k >= first_gate {
            ("#c62828", " font-weight=\"bold\"")
        } else {
            (colour, "")
        };
        let _ = writeln!(
            out,
            "<text x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\" font-size=\"{LABEL_SIZE}\" fill=\"{fill}\"{weight}>{}</text>",
            xml(line)
        );
    }
}

fn marker(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Traffic => "traffic",
        EdgeKind::Forward => "forward",
        EdgeKind::Reads => "reads",
        EdgeKind::Writes => "writes",
        EdgeKind::Replication => "replication",
        EdgeKind::Tunnel => "tunnel",
    }
}
