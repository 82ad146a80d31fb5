//! The printer behind `fmt::format`: walks the token stream of a text that parses and writes
//! it out in the canonical layout (see the module above for the rules).
//!
//! The tokens are first reduced to `Elem`s: every token but whitespace, each with how many
//! line breaks preceded it and whether only spaces did. The printer writes `Line`s (indent,
//! text, trailing comment, whether a blank line precedes) and a last pass aligns trailing
//! comments and joins the lines.

use crate::syntax::lexer::{self, TokenKind as K};
use std::collections::BTreeMap;

/// A token that is not whitespace, with the whitespace before it summarised.
#[derive(Debug, Clone, Copy)]
struct Elem<'a> {
    kind: K,
    text: &'a str,
    /// Line breaks between the previous element and this one.
    nl: usize,
    /// Only spaces (or nothing) between the previous element and this one.
    plain: bool,
    start: usize,
}

#[derive(Debug, Default)]
struct Line {
    indent: usize,
    text: String,
    /// A comment after the line's text.
    comment: Option<String>,
    blank_before: bool,
}

/// Which declarations line up: per top-level item start, the width its name (with the colon
/// of an input) and its type are padded to.
#[derive(Debug, Clone, Copy, Default)]
struct Pad {
    name: usize,
    ty: usize,
}

struct Printer<'a> {
    e: Vec<Elem<'a>>,
    lines: Vec<Line>,
    cur: Option<Line>,
}

/// Units that may follow a number after spaces (`7 days`), as in `grammar/pmig.pest`.
const UNIT_WORDS: &[&str] = &[
    "milliseconds",
    "seconds",
    "second",
    "minutes",
    "minute",
    "hours",
    "hour",
    "days",
    "day",
    "GiB",
    "GB",
];

/// The canonical layout of a text that parses.
pub(super) fn format(text: &str) -> String {
    let mut printer = Printer {
        e: elems(text),
        lines: Vec::new(),
        cur: None,
    };
    printer.file(text);
    printer.flush();
    let mut out = String::with_capacity(text.len() + 64);
    if text.starts_with('\u{feff}') {
        out.push('\u{feff}');
    }
    render(&mut printer.lines, &mut out);
    out
}

fn elems(text: &str) -> Vec<Elem<'_>> {
    let mut out = Vec::new();
    let (mut nl, mut plain) = (0, true);
    for t in lexer::lex(text) {
        match t.kind {
            K::Bom => {}
            K::Newline => {
                nl += 1;
                plain = false;
            }
            K::Space => plain &= t.text(text).bytes().all(|b| b == b' '),
            kind => {
                let body = t.text(text);
                out.push(Elem {
                    kind,
                    text: if kind == K::Comment {
                        body.trim_end()
                    } else {
                        body
                    },
                    nl,
                    plain,
                    start: t.span.start,
                });
                (nl, plain) = (0, true);
            }
        }
    }
    out
}

/// `digits` or `digits.digits`: a number a unit word may follow.
fn is_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match text.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(text),
    }
}

/// A word the grammar would read as the unit of a number before it (`days`, `GB`).
fn starts_with_unit(text: &str) -> bool {
    UNIT_WORDS.iter().any(|unit| {
        text.strip_prefix(unit).is_some_and(|rest| {
            !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    })
}

impl<'a> Printer<'a> {
    fn kind(&self, j: usize) -> Option<K> {
        self.e.get(j).map(|e| e.kind)
    }

    fn flush(&mut self) {
        if let Some(line) = self.cur.take() {
            self.lines.push(line);
        }
    }

    fn open_line(&mut self, indent: usize, blank_before: bool) {
        self.flush();
        let blank_before = blank_before && !self.lines.is_empty();
        self.cur = Some(Line {
            indent,
            blank_before,
            ..Line::default()
        });
    }

    fn write(&mut self, s: &str) {
        match &mut self.cur {
            Some(line) => line.text.push_str(s),
            None => {
                self.open_line(0, false);
                self.write(s);
            }
        }
    }

    fn line_is_empty(&self) -> bool {
        self.cur.as_ref().is_none_or(|l| l.text.trim().is_empty())
    }

    /// A comment: the text of an empty line, or after the text of the current one; either
    /// way the line ends there.
    fn comment(&mut self, text: &str) {
        if self.line_is_empty() {
            self.write(text);
        } else if let Some(line) = &mut self.cur {
            line.comment = Some(text.to_string());
        }
        self.flush();
    }

    /// The first element at or after `j` that is not a comment.
    fn next_solid(&self, j: usize) -> usize {
        let mut j = j;
        while self.kind(j) == Some(K::Comment) {
            j += 1;
        }
        j
    }

    /// The bracket that closes the one at `open` (or the end of the elements).
    fn matching(&self, open: usize) -> usize {
        let mut depth = 0i64;
        for (j, e) in self.e.iter().enumerate().skip(open) {
            depth += e.kind.nesting();
            if depth <= 0 {
                return j;
            }
        }
        self.e.len()
    }

    /// A group is broken (one part per line) when it was written over several lines.
    fn broken(&self, open: usize, close: usize) -> bool {
        self.e
            .iter()
            .take(close + 1)
            .skip(open + 1)
            .any(|e| e.nl > 0 || e.kind == K::Comment)
    }

    /// `key =` starts at `j`.
    fn is_entry(&self, j: usize) -> bool {
        self.kind(j) == Some(K::Word) && self.kind(self.next_solid(j + 1)) == Some(K::Equals)
    }

    /// Whether the value being written ends before `j` (comments skipped).
    fn ends_value(&self, j: usize, end: usize) -> bool {
        let k = self.next_solid(j);
        k >= end
            || matches!(
                self.kind(k),
                Some(K::RBrace | K::RBracket | K::Comma) | None
            )
            || self.is_entry(k)
    }

    /// Comments on the same line, after what was just written.
    fn trailing(&mut self, mut j: usize, end: usize, skip_commas: bool) -> usize {
        while j < end {
            match self.e.get(j) {
                Some(e) if skip_commas && e.kind == K::Comma => j += 1,
                Some(e) if e.kind == K::Comment && e.nl == 0 => {
                    self.comment(e.text);
                    j += 1;
                }
                _ => break,
            }
        }
        j
    }

    /// The terms of a value from `j`; returns where it ended.
    fn value(&mut self, mut j: usize, end: usize, indent: usize) -> usize {
        let mut prev: Option<Elem<'a>> = None;
        while j < end {
            let Some(el) = self.e.get(j).copied() else {
                break;
            };
            if el.kind == K::Comment {
                if self.ends_value(j, end) {
                    break;
                }
                // A comment inside a value: the value goes on on the next line.
                self.comment(el.text);
                self.open_line(indent + 2, false);
                j += 1;
                continue;
            }
            if prev.is_some() && self.ends_value(j, end) {
                break;
            }
            if let Some(p) = prev {
                let tight = (p.kind == K::String && el.kind == K::Colon) || p.kind == K::Colon;
                if is_number(p.text) && starts_with_unit(el.text) && !el.plain {
                    // `7` and `days` that are not a quantity: only spaces make one.
                    self.open_line(indent + 2, false);
                } else if !tight && !self.line_is_empty() {
                    self.write(" ");
                }
            }
            j = match el.kind {
                K::LBracket => self.list(j, indent),
                K::LBrace => self.body(j, indent),
                _ => {
                    self.write(el.text);
                    j + 1
                }
            };
            prev = Some(el);
        }
        j
    }

    /// `[a, b]` on one line, or one element per line with a comma after each.
    fn list(&mut self, open: usize, indent: usize) -> usize {
        let close = self.matching(open);
        self.write("[");
        let mut j = open + 1;
        if !self.broken(open, close) {
            let mut first = true;
            while j < close {
                if self.kind(j) == Some(K::Comma) {
                    j += 1;
                    continue;
                }
                if !first {
                    self.write(", ");
                }
                first = false;
                j = self.value(j, close, indent);
            }
            self.write("]");
            return close + 1;
        }
        self.one_per_line(j, close, indent, "]", |f, j| {
            let j = f.value(j, close, indent + 2);
            f.write(",");
            j
        })
    }

    /// The items between `j` and `close` one per line, indented, each written by `item` and
    /// followed by its trailing comment; comments between items kept, blank lines between
    /// items kept as one; then `end` on its own line. Returns the offset after `close`.
    fn one_per_line(
        &mut self,
        mut j: usize,
        close: usize,
        indent: usize,
        end: &'static str,
        mut item: impl FnMut(&mut Self, usize) -> usize,
    ) -> usize {
        j = self.trailing(j, close, false);
        self.flush();
        let mut first = true;
        while j < close {
            let Some(el) = self.e.get(j).copied() else {
                break;
            };
            match el.kind {
                K::Comma => j += 1,
                K::Comment => {
                    self.open_line(indent + 2, el.nl >= 2 && !first);
                    self.comment(el.text);
                    j += 1;
                }
                _ => {
                    self.open_line(indent + 2, el.nl >= 2 && !first);
                    j = item(self, j);
                    j = self.trailing(j, close, true);
                    self.flush();
                }
            }
            first = false;
        }
        self.open_line(indent, false);
        self.write(end);
        close + 1
    }

    /// A block body or a map: `{ a = 1, b = 2 }` on one line, or one attribute per line with
    /// `=` aligned in runs not separated by a blank line.
    fn body(&mut self, open: usize, indent: usize) -> usize {
        let close = self.matching(open);
        let mut j = open + 1;
        if !self.broken(open, close) {
            self.write("{");
            while j < close {
                if self.kind(j) == Some(K::Comma) {
                    j += 1;
                    continue;
                }
                self.write(if j == open + 1 { " " } else { ", " });
                j = self.entry(j, close, indent, 0);
            }
            self.write(" }");
            return close + 1;
        }
        // Key widths, per run of attributes.
        let mut widths = vec![0usize; close.saturating_sub(open)];
        let mut run: Vec<usize> = Vec::new();
        let mut depth = 0i64;
        for k in open + 1..close {
            let Some(el) = self.e.get(k).copied() else {
                break;
            };
            // A run ends where the output has a blank line: before an attribute or a comment
            // between attributes that had one (`one_per_line`), never inside a value.
            if depth == 0 && el.nl >= 2 && self.starts_line(k, close) {
                self.set_widths(&run, &mut widths, open);
                run.clear();
            }
            if depth == 0 && self.is_entry(k) {
                run.push(k);
            }
            depth += el.kind.nesting();
        }
        self.set_widths(&run, &mut widths, open);
        self.write("{");
        self.one_per_line(j, close, indent, "}", |f, j| {
            let width = widths.get(j - open).copied().unwrap_or(0);
            f.entry(j, close, indent + 2, width)
        })
    }

    /// Whether the element at `k` (at the top of a body ending at `close`) starts a line of
    /// `one_per_line`: an attribute, or a comment after a whole value.
    fn starts_line(&self, k: usize, close: usize) -> bool {
        self.is_entry(k) || (self.kind(k) == Some(K::Comment) && self.ends_value(k, close))
    }

    fn set_widths(&self, run: &[usize], widths: &mut [usize], open: usize) {
        let width = run
            .iter()
            .map(|&k| self.e.get(k).map_or(0, |e| e.text.chars().count()))
            .max()
            .unwrap_or(0);
        for &k in run {
            if let Some(w) = widths.get_mut(k - open) {
                *w = width;
            }
        }
    }

    /// `key = value` at `j`, the key padded to `width`.
    fn entry(&mut self, j: usize, end: usize, indent: usize, width: usize) -> usize {
        let Some(key) = self.e.get(j).copied() else {
            return j + 1;
        };
        if !self.is_entry(j) {
            // Not an attribute (the parser accepted the text, so this is not expected):
            // written as a value, so nothing is lost.
            return self.value(j, end, indent).max(j + 1);
        }
        self.write(key.text);
        let pad = width.saturating_sub(key.text.chars().count());
        self.write(&" ".repeat(pad));
        self.write(" = ");
        let equals = self.next_solid(j + 1);
        // Comments between the key and `=` go after `=`, as comments inside the value do:
        // the value goes on on the next line.
        for k in j + 1..equals {
            if let Some(comment) = self.e.get(k).filter(|e| e.kind == K::Comment) {
                self.comment(comment.text);
                self.open_line(indent + 2, false);
            }
        }
        self.value(equals + 1, end, indent)
    }

    /// The whole file: items, and the comments and blank lines between them.
    fn file(&mut self, text: &str) {
        let pieces = crate::syntax::split::split(text);
        let pads = self.pads(&pieces);
        let mut j = 0;
        while let Some(el) = self.e.get(j).copied() {
            if el.kind == K::Comment {
                if el.nl > 0 || self.cur.is_none() {
                    self.open_line(0, el.nl >= 2);
                }
                self.comment(el.text);
                j += 1;
                continue;
            }
            let end = self.item_end(j, &pieces);
            self.open_line(0, el.nl >= 2);
            let pad = pads.get(&j).copied().unwrap_or_default();
            j = self.item(j, end, pad).max(j + 1);
        }
    }

    /// The element index where the top-level item starting at `j` ends.
    fn item_end(&self, j: usize, pieces: &[crate::syntax::split::Piece]) -> usize {
        let start = self.e.get(j).map_or(0, |e| e.start);
        // The pieces are in file order: the one holding `start` is found by bisection, so
        // that the whole file stays linear-logarithmic in its number of items.
        let at = pieces.partition_point(|p| p.range.end <= start);
        let piece_end = pieces
            .get(at)
            .filter(|p| p.range.contains(&start))
            .map_or(usize::MAX, |p| p.range.end);
        self.e
            .iter()
            .skip(j)
            .position(|e| e.start >= piece_end)
            .map_or(self.e.len(), |n| n + j)
    }

    fn item(&mut self, j: usize, end: usize, pad: Pad) -> usize {
        let word = |k: usize| self.e.get(k).filter(|e| e.kind == K::Word).map(|e| e.text);
        let colon = self.kind(j + 2) == Some(K::Colon);
        match (word(j), word(j + 1)) {
            (Some("input"), Some(name)) if colon && word(j + 3).is_some() => {
                let ty = word(j + 3).unwrap_or("");
                let name = format!("{name}:");
                self.write(&format!("input {name:<0$} {ty}", pad.name));
                if self.kind(j + 4) == Some(K::Equals) {
                    self.write(&" ".repeat(pad.ty.saturating_sub(ty.chars().count())));
                    self.write(" = ");
                    return self.value(j + 5, end, 0);
                }
                j + 4
            }
            (Some("output"), Some(name)) if self.kind(j + 2) == Some(K::Equals) => {
                self.write(&format!("output {name:<0$} = ", pad.name));
                self.value(j + 3, end, 0)
            }
            _ => {
                // A block: header words, then the body.
                let mut k = j;
                while k < end && self.kind(k) != Some(K::LBrace) {
                    let Some(el) = self.e.get(k).copied() else {
                        break;
                    };
                    if el.kind == K::Comment {
                        self.comment(el.text);
                        self.open_line(2, false);
                    } else {
                        if !self.line_is_empty() {
                            self.write(" ");
                        }
                        self.write(el.text);
                    }
                    k += 1;
                }
                if k >= end {
                    return k;
                }
                if !self.line_is_empty() {
                    self.write(" ");
                }
                self.body(k, 0)
            }
        }
    }

    /// Whether the printer writes the elements `j..=last` on one line: no comment among them,
    /// no bracket written over several lines, no number and unit apart (line breaks between
    /// the terms of a value are not kept).
    fn one_line(&self, j: usize, last: usize) -> bool {
        let mut depth = 0i64;
        let mut prev: Option<&Elem<'a>> = None;
        for k in j..=last {
            let Some(el) = self.e.get(k) else {
                return false;
            };
            let split_unit =
                prev.is_some_and(|p| is_number(p.text)) && starts_with_unit(el.text) && !el.plain;
            if k > j && (el.kind == K::Comment || split_unit || (el.nl > 0 && depth > 0)) {
                return false;
            }
            depth += el.kind.nesting();
            prev = Some(el);
        }
        true
    }

    /// Widths for runs of one-line `input` and `output` declarations on consecutive lines
    /// (no blank line or comment between them), by the element index they start at.
    fn pads(&self, pieces: &[crate::syntax::split::Piece]) -> BTreeMap<usize, Pad> {
        struct Decl<'k> {
            start: usize,
            kind: Option<&'k str>,
            pad: Pad,
            /// On one line, with no comment inside it.
            alone: bool,
            comment_after: bool,
        }
        let text = |k: usize| self.e.get(k).map_or("", |e| e.text);
        let mut decls = Vec::new();
        let mut j = 0;
        while let Some(el) = self.e.get(j) {
            if el.kind == K::Comment {
                j += 1;
                continue;
            }
            let end = self.item_end(j, pieces);
            let kind = match (text(j), self.kind(j + 2)) {
                ("input", Some(K::Colon)) => Some("input"),
                ("output", Some(K::Equals)) => Some("output"),
                _ => None,
            };
            let pad = match kind {
                Some("input") => Pad {
                    name: text(j + 1).chars().count() + 1,
                    ty: text(j + 3).chars().count(),
                },
                _ => Pad {
                    name: text(j + 1).chars().count(),
                    ty: 0,
                },
            };
            let last = (j..end)
                .rev()
                .find(|&k| self.kind(k) != Some(K::Comment))
                .unwrap_or(j);
            let alone = self.one_line(j, last);
            // A comment on a line of its own after it ends a run (a trailing one does not).
            let comment_after = (last + 1..end).any(|k| self.e.get(k).is_some_and(|e| e.nl > 0));
            decls.push(Decl {
                start: j,
                kind,
                pad,
                alone,
                comment_after,
            });
            j = end.max(j + 1);
        }
        let mut pads = BTreeMap::new();
        let mut i = 0;
        while i < decls.len() {
            let mut k = i + 1;
            while let (Some(prev), Some(next)) = (decls.get(k - 1), decls.get(k)) {
                let joins = prev.kind.is_some()
                    && prev.kind == next.kind
                    && prev.alone
                    && !prev.comment_after
                    && next.alone
                    && self.e.get(next.start).is_some_and(|e| e.nl <= 1);
                if !joins {
                    break;
                }
                k += 1;
            }
            let run = decls.get(i..k).unwrap_or(&[]);
            let pad = Pad {
                name: run.iter().map(|d| d.pad.name).max().unwrap_or(0),
                ty: run.iter().map(|d| d.pad.ty).max().unwrap_or(0),
            };
            for d in run {
                pads.insert(d.start, pad);
            }
            i = k;
        }
        pads
    }
}

/// Aligns trailing comments in runs of consecutive lines and writes the lines.
fn render(lines: &mut [Line], out: &mut String) {
    let width = |l: &Line| l.indent + l.text.trim_end().chars().count();
    let trailing = |l: Option<&Line>| l.is_some_and(|l| l.comment.is_some());
    let mut columns = vec![0; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if !trailing(lines.get(i)) {
            i += 1;
            continue;
        }
        let mut k = i + 1;
        while trailing(lines.get(k)) && lines.get(k).is_some_and(|l| !l.blank_before) {
            k += 1;
        }
        let run = lines.get(i..k).unwrap_or(&[]);
        let column = run.iter().map(width).max().unwrap_or(0) + 1;
        for c in columns.get_mut(i..k).unwrap_or(&mut []) {
            *c = column;
        }
        i = k;
    }
    let mut first = true;
    for (line, column) in lines.iter().zip(columns) {
        let text = line.text.trim_end();
        if text.is_empty() && line.comment.is_none() {
            continue;
        }
        if line.blank_before && !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&" ".repeat(line.indent));
        out.push_str(text);
        if let Some(comment) = &line.comment {
            out.push_str(&" ".repeat(column.saturating_sub(width(line)).max(1)));
            out.push_str(comment);
        }
        out.push('\n');
    }
}
