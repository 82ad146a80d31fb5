//! Syntax: text to AST.
//!
//! The file is first cut into top-level items (`split`), each item is parsed with the pest
//! grammar in `grammar/pmig.pest`, and the pest pairs are turned into the AST (`build`).
//! Syntax errors are collected per item and worded for people (`error`); an item that fails
//! to parse becomes `Item::Broken` so the checker can stay quiet about it.

pub(crate) mod ast;
mod build;
pub(crate) mod error;
mod grammar;
pub(crate) mod lexer;
/// The line index lives at the bottom (`crate::source`); the parser's users find it here too.
pub(crate) use crate::source::line_index;
mod recover;
pub(crate) mod split;

use crate::diag::{Coded, Diagnostic};
use crate::syntax::error::{TooDeep, TooMany};
use ast::{File, Item};
use grammar::{PmigParser, Rule};
use pest::Parser;

/// Deeper nesting than this is refused before parsing: no stack needs it, and the parser
/// recurses once per level.
pub(crate) const MAX_NESTING: usize = 32;

/// After this many syntax errors the rest of the file is not read: the errors so far are
/// reported with one PMG0106 saying where reading stopped. This bounds the time and memory a
/// file of nothing but errors can take, and a person does not read past the first screens anyway.
pub(crate) const MAX_ERRORS: usize = 100;

/// Below this size a file is parsed on one thread: starting another costs more than it saves.
const PARALLEL_FROM_BYTES: usize = 64 * 1024;

/// The AST of every item that parsed, and a diagnostic for every item that did not.
///
/// Items parse independently, so a large file is parsed in as many contiguous runs of items
/// as the machine has cores, and the runs are joined in order: the result is the same as on
/// one thread. A file with more than [`MAX_ERRORS`] errors is parsed again on one thread up
/// to the point where reading stops, so that where it stops does not depend on the cores.
pub(crate) fn parse(text: &str) -> (File, Vec<Diagnostic>) {
    let items = split::split(text);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if text.len() < PARALLEL_FROM_BYTES || cores < 2 || items.len() < 2 {
        return parse_items(text, &items);
    }
    let run = items.len().div_ceil(cores);
    let parts: Vec<(File, Vec<Diagnostic>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(run)
            .map(|items| scope.spawn(move || parse_items(text, items)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    if parts.iter().map(|(_, errors)| errors.len()).sum::<usize>() >= MAX_ERRORS {
        return parse_items(text, &items);
    }
    let mut file = File::default();
    let mut diagnostics = Vec::new();
    for (part, errors) in parts {
        file.items.extend(part.items);
        diagnostics.extend(errors);
    }
    (file, diagnostics)
}

/// Whether reading stopped early because of too many errors (the checker then has too little
/// of the file to say anything useful).
pub(crate) fn stopped_early(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.code == TooMany::CODE)
}

/// Parses the items `pieces` of `text`, in order. Each item is parsed on its own, from its
/// text and its offset only (the language server re-parses only the items an edit changed).
pub(crate) fn parse_items(text: &str, pieces: &[split::Piece]) -> (File, Vec<Diagnostic>) {
    let mut file = File::default();
    let mut diagnostics = Vec::new();
    for piece in pieces {
        let offset = piece.range.start;
        if diagnostics.len() >= MAX_ERRORS {
            let chunk = text.get(piece.range.clone()).unwrap_or("");
            let start = offset + chunk.len() - chunk.trim_start().len();
            diagnostics.push(too_many(start));
            break;
        }
        let Some(chunk) = text.get(piece.range.clone()) else {
            continue;
        };
        if piece.depth > MAX_NESTING {
            let report = TooDeep {
                depth: piece.depth,
                at: crate::diag::at(ast::Span::new(piece.deepest, piece.deepest + 1)),
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
                let budget = MAX_ERRORS.saturating_sub(diagnostics.len());
                diagnostics.extend(
                    builder
                        .errors
                        .iter()
                        .take(budget)
                        .map(Diagnostic::from_report),
                );
                if let Some(next) = builder.errors.get(budget) {
                    let at = Diagnostic::from_report(next)
                        .labels
                        .first()
                        .map_or(offset, |l| l.span.start);
                    diagnostics.push(too_many(at));
                    break;
                }
            }
            Err(error) => {
                match recover::block(chunk, offset, MAX_ERRORS.saturating_sub(diagnostics.len())) {
                    (Some(block), errors, stopped) if !errors.is_empty() => {
                        diagnostics.extend(errors.iter().map(Diagnostic::from_report));
                        file.items.push(block);
                        if let Some(at) = stopped {
                            diagnostics.push(too_many(at));
                            break;
                        }
                    }
                    _ => {
                        let report = error::from_pest(&error, chunk, offset);
                        diagnostics.push(Diagnostic::from_report(&report));
                        file.items
                            .push(Item::Broken(error::header_words(chunk, offset)));
                    }
                }
            }
        }
    }
    (file, diagnostics)
}

/// The PMG0106 that ends reading at file offset `at`.
fn too_many(at: usize) -> Diagnostic {
    Diagnostic::from_report(&TooMany {
        limit: MAX_ERRORS,
        what: "nothing from here on was read",
        at: crate::diag::at(ast::Span::new(at, at)),
    })
}

/// Keeps the first [`MAX_ERRORS`] errors of sorted `diagnostics` (and the warnings before the
/// last of them) and ends the list with a PMG0106 where the next error was: a stack with a
/// million mistakes is not a million lines of output.
pub(crate) fn limit(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if stopped_early(&diagnostics) {
        return diagnostics;
    }
    let Some(cut) = diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_error())
        .nth(MAX_ERRORS)
        .map(|(i, _)| i)
    else {
        return diagnostics;
    };
    let at = diagnostics
        .get(cut)
        .and_then(|d| d.labels.first())
        .map_or(0, |l| l.span.start);
    diagnostics.truncate(cut);
    diagnostics.push(Diagnostic::from_report(&TooMany {
        limit: MAX_ERRORS,
        what: "errors from here on are not shown",
        at: crate::diag::at(ast::Span::new(at, at)),
    }));
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payment_stack_parses_cleanly() {
        let text = include_str!("../../stacks/payment.pmig");
        let (file, diagnostics) = parse(text);
        assert_eq!(diagnostics, Vec::new());
        assert_eq!(file.items.len(), 22);
        assert!(!file.items.iter().any(|i| matches!(i, Item::Broken(_))));
    }

    /// A file large enough to be parsed on several threads gives what one thread gives: the
    /// same items and the same diagnostics, in the same order.
    #[test]
    fn parallel_parsing_is_sequential_parsing() {
        let mut text = crate::synth::stack(1000);
        text.push_str("service broken {\n  port = \"8080\n}\n");
        let middle = text.find("\nservice svc500 ").unwrap_or_default();
        text.insert_str(middle, "\nnetwork bad {\n  cidr = 10.40.0/16\n}\n");
        assert!(text.len() > 2 * PARALLEL_FROM_BYTES);
        let (file, diagnostics) = parse(&text);
        let (expected, expected_diagnostics) = parse_items(&text, &split::split(&text));
        assert_eq!(format!("{file:?}"), format!("{expected:?}"));
        assert_eq!(diagnostics, expected_diagnostics);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["PMG0104", "PMG0103"]);
    }

    /// Past `MAX_ERRORS` nothing more is read, on one thread or several, and the place where
    /// reading stopped is the same.
    #[test]
    fn reading_stops_after_max_errors() {
        let mut text = String::from("stack s {\n  region = \"eu-west-1\"\n}\n");
        for i in 0..20_000 {
            text.push_str(&format!("output o{i} = \"x\n"));
        }
        assert!(text.len() > 2 * PARALLEL_FROM_BYTES);
        let (file, diagnostics) = parse(&text);
        assert_eq!(diagnostics.len(), MAX_ERRORS + 1);
        assert!(stopped_early(&diagnostics));
        let last = diagnostics.last().and_then(|d| d.labels.first());
        let stop = text.find("output o100 ").unwrap_or_default();
        assert_eq!(last.map(|l| l.span.start), Some(stop));
        assert_eq!(file.items.len(), MAX_ERRORS + 1);
        // Errors inside one block count the same way.
        let block = format!("network n {{\n{}}}\n", "  cidr = \"x\n".repeat(500));
        let (_, diagnostics) = parse(&block);
        assert_eq!(diagnostics.len(), MAX_ERRORS + 1);
        assert!(stopped_early(&diagnostics));
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
