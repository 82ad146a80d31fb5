//! `{input}` placeholders are filled in in the stack's `name` only (`stack::name_pattern`).
//! Anywhere else a string is written as is, braces included, so a `{NAME}` that names a
//! declared input is refused (PMG1004) rather than reaching AWS as literal text: a record
//! `"shop-{env}.example.eu"` would otherwise create a DNS name with braces in it.

use super::error::CheckError;
use super::names::{Declarations, Kind};
use crate::diag::at;
use crate::syntax::ast::{Attr, File, Item, Span, TermKind, Value};

pub fn check(file: &File, decls: &Declarations, errors: &mut Vec<CheckError>) {
    let stack = decls.stack.map(|(_, block)| block.header_span);
    for item in &file.items {
        match item {
            Item::Block(block) => {
                let is_stack = Some(block.header_span) == stack;
                for attr in &block.attrs {
                    // The stack's name pattern is where placeholders are filled in.
                    if !(is_stack && attr.key_text() == "name") {
                        value(&attr.value, decls, errors);
                    }
                }
            }
            Item::Input(input) => {
                if let Some(default) = &input.default {
                    value(default, decls, errors);
                }
            }
            Item::Output(_) | Item::Broken(_) => {}
        }
    }
}

fn value(value: &Value, decls: &Declarations, errors: &mut Vec<CheckError>) {
    for term in &value.terms {
        match &term.kind {
            TermKind::String(text) | TermKind::HostPort { host: text, .. } => {
                string(text, term.span.start + 1, decls, errors)
            }
            TermKind::List(items) => items.iter().for_each(|v| self::value(v, decls, errors)),
            TermKind::Map(entries) => entries
                .iter()
                .for_each(|e: &Attr| self::value(&e.value, decls, errors)),
            _ => {}
        }
    }
}

/// Every `{NAME}` in `text` (which starts at byte `start` of the file) that names an input.
fn string(text: &str, start: usize, decls: &Declarations, errors: &mut Vec<CheckError>) {
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('{')) {
        let open = from + open;
        let Some(close) = text.get(open..).and_then(|t| t.find('}')) else {
            return;
        };
        let close = open + close;
        let name = text.get(open + 1..close).unwrap_or_default().trim();
        let is_input = decls
            .decls
            .iter()
            .any(|d| d.kind == Kind::Input && d.name.text == name);
        if is_input {
            errors.push(CheckError::PlaceholderNotFilled {
                input: name.to_string(),
                at: at(Span::new(start + open, start + close + 1)),
                help: Some(
                    "`{input}` is filled in in the stack's `name` only; here the braces would reach AWS as they are. Spell the value out; to vary it per workspace, override the attribute in each workspace block (`BLOCK.ATTRIBUTE = \"...\"`)"
                        .to_string(),
                ),
            });
        }
        from = close + 1;
    }
}

/// Codes that judge a string's characters (a DNS name, a tag), which a `{NAME}` placeholder
/// breaks by its braces: that string's placeholder is the one root cause, reported as PMG1004.
const CHARACTER_CODES: &[&str] = &["PMG1206", "PMG1222"];

/// Drops the character complaints about a string whose placeholder PMG1004 already reports.
pub fn one_root_cause(diagnostics: &mut Vec<crate::diag::Diagnostic>) {
    let placeholders: Vec<Span> = diagnostics
        .iter()
        .filter(|d| d.code == "PMG1004")
        .map(|d| d.primary_span())
        .collect();
    if placeholders.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !CHARACTER_CODES.contains(&d.code.as_str())
            || !placeholders.iter().any(|p| {
                let span = d.primary_span();
                span.start <= p.start && p.end <= span.end
            })
    });
}
