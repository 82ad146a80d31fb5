//! Syntax: text to AST.
//!
//! The file is first cut into top-level items (`split`), each item is parsed with the pest
//! grammar in `grammar/pmig.pest`, and the pest pairs are turned into the AST (`build`).
//! Syntax errors are collected per item and worded for people (`error`); an item that fails
//! to parse becomes `Item::Broken` so the checker can stay quiet about it.

pub mod ast;
mod build;
pub mod error;
mod recover;
pub mod split;

use crate::diag::Diagnostic;
use ast::{File, Item};
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/pmig.pest"]
pub(crate) struct PmigParser;

/// Deeper nesting than this is refused before parsing: no stack needs it, and the parser
/// recurses once per level.
pub const MAX_NESTING: usize = 32;

/// The AST of every item that parsed, and a diagnostic for every item that did not.
pub fn parse(text: &str) -> (File, Vec<Diagnostic>) {
    let mut file = File::default();
    let mut diagnostics = Vec::new();
    for range in split::split_items(text) {
        let offset = range.start;
        let Some(chunk) = text.get(range) else {
            continue;
        };
        let (depth, deepest) = split::deepest_nesting(chunk);
        if depth > MAX_NESTING {
            let report = error::SyntaxError::TooDeep {
                depth,
                at: crate::diag::at(ast::Span::new(offset + deepest, offset + deepest + 1)),
            };
            diagnostics.push(Diagnostic::from_report(&report));
            file.items
                .push(Item::Broken(error::header_words(chunk, offset)));
            continue;
        }
        match PmigParser::parse(Rule::item_only, chunk) {
            Ok(pairs) => {
                let mut builder = build::Builder::new(offset);
                for pair in pairs
                    .flatten()
                    .filter(|p| p.as_rule() == Rule::item)
                    .take(1)
                {
                    file.items.push(builder.item(pair));
                }
                diagnostics.extend(builder.errors.iter().map(Diagnostic::from_report));
            }
            Err(error) => match recover::block(chunk, offset) {
                (Some(block), errors) if !errors.is_empty() => {
                    diagnostics.extend(errors.iter().map(Diagnostic::from_report));
                    file.items.push(block);
                }
                _ => {
                    let report = error::from_pest(&error, chunk, offset);
                    diagnostics.push(Diagnostic::from_report(&report));
                    file.items
                        .push(Item::Broken(error::header_words(chunk, offset)));
                }
            },
        }
    }
    (file, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payment_stack_parses_cleanly() {
        let text = include_str!("../../stacks/payment.pmig");
        let (file, diagnostics) = parse(text);
        assert_eq!(diagnostics, Vec::new());
        assert_eq!(file.items.len(), 20);
        assert!(!file.items.iter().any(|i| matches!(i, Item::Broken(_))));
    }

    #[test]
    fn one_error_per_broken_item_and_the_rest_still_parses() {
        let text = "network main {\n  cidr = 10.40.0/16\n}\nservice api {\n  port = \"8080\n}\ndatabase d {\n  readers = 2\n";
        let (file, diagnostics) = parse(text);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["PMG0104", "PMG0103", "PMG0102"]);
        assert_eq!(file.items.len(), 3);
    }
}
