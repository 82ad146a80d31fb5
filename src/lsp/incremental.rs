//! Re-parsing after an edit: only the items whose text changed.
//!
//! The file is cut into top-level items as `syntax::parse` does (`split`), and each item is
//! parsed on its own from its text alone (`syntax::parse_items`), so an item whose text is
//! unchanged since the last version parses to the same tree and diagnostics, moved by the
//! difference of its offset. The cache keeps the items of the last version, parsed at offset
//! 0; a test compares every result with a full parse. When the items hold
//! [`crate::syntax::MAX_ERRORS`] errors or more, where reading stops depends on the items
//! before, so the file is parsed again in one run, as `syntax::parse` does.

use crate::diag::Diagnostic;
use crate::syntax::ast::{Attr, File, Ident, Item, Span, TermKind, Value};
use crate::syntax::split::{self, Piece};
use std::collections::HashMap;

/// An item's text and nesting depth → what it parses to at offset 0.
#[derive(Debug, Default)]
pub(super) struct Cache {
    items: HashMap<(String, usize), (Vec<Item>, Vec<Diagnostic>)>,
}

impl Cache {
    /// Parses `text`, reusing the items of the previous version; the cache then holds this
    /// version's items.
    pub(super) fn parse(&mut self, text: &str) -> (File, Vec<Diagnostic>) {
        let mut old = std::mem::take(&mut self.items);
        let mut file = File::default();
        let mut diagnostics = Vec::new();
        let pieces = split::split(text);
        for piece in &pieces {
            let Some(chunk) = text.get(piece.range.clone()) else {
                continue;
            };
            let key = (chunk.to_string(), piece.depth);
            let parsed = match old.remove(&key) {
                Some(parsed) => parsed,
                None => {
                    let alone = Piece {
                        range: 0..chunk.len(),
                        depth: piece.depth,
                        deepest: piece.deepest.saturating_sub(piece.range.start),
                    };
                    let (f, d) = crate::syntax::parse_items(chunk, &[alone]);
                    (f.items, d)
                }
            };
            let delta = piece.range.start;
            file.items.extend(parsed.0.iter().cloned().map(|mut i| {
                shift_item(&mut i, delta);
                i
            }));
            diagnostics.extend(parsed.1.iter().cloned().map(|mut d| {
                shift_diagnostic(&mut d, delta);
                d
            }));
            self.items.insert(key, parsed);
        }
        if diagnostics.len() >= crate::syntax::MAX_ERRORS {
            return crate::syntax::parse_items(text, &pieces);
        }
        (file, diagnostics)
    }
}

fn shift(span: &mut Span, delta: usize) {
    span.start += delta;
    span.end += delta;
}

fn shift_diagnostic(d: &mut Diagnostic, delta: usize) {
    for label in &mut d.labels {
        shift(&mut label.span, delta);
    }
    if let Some(fix) = &mut d.fix {
        shift(&mut fix.span, delta);
    }
}

fn shift_idents(idents: &mut [Ident], delta: usize) {
    for i in idents {
        shift(&mut i.span, delta);
    }
}

fn shift_item(item: &mut Item, delta: usize) {
    match item {
        Item::Input(input) => {
            shift(&mut input.span, delta);
            shift(&mut input.name.span, delta);
            shift(&mut input.ty.span, delta);
            if let Some(v) = &mut input.default {
                shift_value(v, delta);
            }
        }
        Item::Output(output) => {
            shift(&mut output.span, delta);
            shift(&mut output.name.span, delta);
            shift_value(&mut output.value, delta);
        }
        Item::Block(block) => {
            shift(&mut block.span, delta);
            shift(&mut block.header_span, delta);
            shift_idents(&mut block.header, delta);
            shift_attrs(&mut block.attrs, delta);
        }
        Item::Broken(words) => shift_idents(words, delta),
    }
}

fn shift_attrs(attrs: &mut [Attr], delta: usize) {
    for attr in attrs {
        shift(&mut attr.key_span, delta);
        shift_idents(&mut attr.key, delta);
        shift_value(&mut attr.value, delta);
    }
}

fn shift_value(value: &mut Value, delta: usize) {
    shift(&mut value.span, delta);
    for term in &mut value.terms {
        shift(&mut term.span, delta);
        match &mut term.kind {
            TermKind::List(values) => {
                for v in values {
                    shift_value(v, delta);
                }
            }
            TermKind::Map(attrs) => shift_attrs(attrs, delta),
            TermKind::Quantity {
                unit: Some(unit), ..
            } => shift(&mut unit.span, delta),
            TermKind::Path(path) => shift_idents(path, delta),
            TermKind::String(_)
            | TermKind::HostPort { .. }
            | TermKind::Cidr(_)
            | TermKind::Range { .. }
            | TermKind::Quantity { unit: None, .. }
            | TermKind::Prefix(_)
            | TermKind::Operator(_)
            | TermKind::Invalid => {}
        }
    }
}
