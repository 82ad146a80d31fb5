//! Where the boxes go: `layout-rs` places them and routes the edges (a Sugiyama layout, top to
//! bottom), calling `Canvas`, a drawing backend that only records what it is asked to draw, in
//! the layout's coordinates, for `svg` to draw. Boxes are given their size (from their text);
//! edge labels are laid out as `layout-rs` connectors.
//!
//! Two layout choices keep the data centre in the first row and AWS below the VPNs and the
//! records: an edge that points into the data centre (a record's legacy share) is laid out
//! backwards and drawn with its head at the start, so every data-centre node is a source; and
//! hidden nodes and edges pin the rows (see `lay_out`).

use super::{Graph, Side};
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

/// Text metrics of the drawing (pixels): a sans-serif font's average advance per character is
/// about 0.6 of its size; widths are estimated with a little more so text never overflows.
pub(super) const TITLE_ADVANCE: f64 = 8.0;
pub(super) const TEXT_ADVANCE: f64 = 6.9;
/// The distance between two lines of a box.
pub(super) const LINE: f64 = 15.0;
/// The font size `layout-rs` measures edge labels with (it takes a character as wide as the
/// font is high, and a line as high): 7 makes its width about that of 11 px text; each label
/// line is followed by an empty one so that its height is right too.
const LAYOUT_LABEL_FONT: usize = 7;
/// The largest graph (nodes plus edges) laid out with `layout-rs`'s optimisations.
const OPTIMISED_UP_TO: usize = 120;

pub(super) fn text_width(text: &str, advance: f64) -> f64 {
    text.chars().count() as f64 * advance
}

/// A Bézier path as `layout-rs` gives it: points with their control points.
pub(super) type Path = Vec<(Point, Point)>;

/// What the layout drew, in its coordinates.
#[derive(Default)]
pub(super) struct Canvas {
    /// A node's box: `n{index}`, top-left corner, size.
    pub(super) boxes: Vec<(String, Point, Point)>,
    /// An edge label: its centre and text (with the layout's blank lines).
    pub(super) labels: Vec<(Point, String)>,
    /// An edge: `e{index}`, its Bézier path, heads (start, end).
    pub(super) arrows: Vec<(String, Path, (bool, bool))>,
}

impl RenderBackend for Canvas {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(id) = properties {
            self.boxes.push((id, xy, size));
        }
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        // Boxes are drawn with no text (this module writes their contents); what remains is
        // an edge label.
        if !text.is_empty() {
            self.labels.push((xy, text.to_string()));
        }
    }
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        if let Some(id) = properties {
            self.arrows.push((id, path.to_vec(), head));
        }
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// The size of a node's box for its title and lines.
fn box_size(title: &str, lines: &[String]) -> Point {
    let widest = lines
        .iter()
        .map(|l| text_width(l, TEXT_ADVANCE))
        .fold(text_width(title, TITLE_ADVANCE), f64::max);
    Point::new(widest + 24.0, 30.0 + lines.len() as f64 * LINE)
}

/// The text `layout-rs` sizes an edge label by: each line followed by an empty one.
fn layout_text(lines: &[&String]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push_str("\n \n");
    }
    text
}

/// Lays the graph out with `layout-rs` and returns what it drew.
pub(super) fn lay_out(graph: &Graph) -> Canvas {
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let mut handles = Vec::with_capacity(graph.nodes.len());
    for (i, n) in graph.nodes.iter().enumerate() {
        let look = StyleAttr::new(Color::fast("black"), 1, None, 6, 12);
        let element = Element::create_with_properties(
            ShapeKind::Box(String::new()),
            look,
            Orientation::TopToBottom,
            box_size(&n.title, &n.lines),
            format!("n{i}"),
        );
        handles.push(vg.add_node(element));
    }
    let mut out_degree = vec![0usize; graph.nodes.len()];
    for (i, e) in graph.edges.iter().enumerate() {
        let (Some(&from), Some(&to)) = (handles.get(e.from), handles.get(e.to)) else {
            continue;
        };
        let into_dc = graph
            .nodes
            .get(e.to)
            .is_some_and(|n| n.kind.side() == Side::DataCentre);
        let lines: Vec<&String> = e.all_lines().collect();
        let look = StyleAttr::new(Color::fast("black"), 1, None, 0, LAYOUT_LABEL_FONT);
        let (start, end, a, b, source) = if into_dc {
            (LineEndKind::Arrow, LineEndKind::None, to, from, e.to)
        } else {
            (LineEndKind::None, LineEndKind::Arrow, from, to, e.from)
        };
        let arrow = Arrow::with_properties(
            start,
            end,
            LineStyleKind::Normal,
            &layout_text(&lines),
            &look,
            format!("e{i}"),
            &None,
            &None,
        );
        if let Some(degree) = out_degree.get_mut(source) {
            *degree += 1;
        }
        vg.add_edge(arrow, a, b);
    }
    // Hidden nodes and edges that keep the rows apart: every data-centre node has more
    // hidden parents in row 0 than it has children, so `layout-rs` never sinks it out of row
    // 1; every AWS node hangs from a hidden chain that ends in row 3, below the VPNs (row 2)
    // and the records (row 3, after their legacy label), so AWS starts in row 4.
    let hidden = || {
        Element::create(
            ShapeKind::None,
            StyleAttr::simple(),
            Orientation::TopToBottom,
            Point::new(1.0, 1.0),
        )
    };
    let dc: Vec<usize> = graph.on(Side::DataCentre).map(|(i, _)| i).collect();
    let pins = dc
        .iter()
        .map(|&i| out_degree.get(i).copied().unwrap_or(0) + 1)
        .max()
        .unwrap_or(1);
    let tops: Vec<_> = (0..pins).map(|_| vg.add_node(hidden())).collect();
    for &top in &tops {
        for &i in &dc {
            if let Some(&h) = handles.get(i) {
                vg.add_edge(Arrow::invisible(), top, h);
            }
        }
    }
    let mut anchor = tops.first().copied();
    for _ in 0..3 {
        let next = vg.add_node(hidden());
        if let Some(previous) = anchor {
            vg.add_edge(Arrow::invisible(), previous, next);
        }
        anchor = Some(next);
    }
    if let Some(anchor) = anchor {
        for (i, _) in graph.on(Side::Aws) {
            if let Some(&h) = handles.get(i) {
                vg.add_edge(Arrow::invisible(), anchor, h);
            }
        }
    }
    let mut canvas = Canvas::default();
    // `layout-rs`'s optimisations (sinking nodes, reducing crossings) grow faster than the
    // graph: past a picture anyone could read they only cost time, so large graphs skip them.
    let optimise = graph.nodes.len() + graph.edges.len() <= OPTIMISED_UP_TO;
    vg.do_it(false, !optimise, false, &mut canvas);
    canvas
}
