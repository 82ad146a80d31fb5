//! Recovery inside a block: when a block does not parse as a whole, its header and each of its
//! attributes are parsed on their own, so every broken attribute gets its own error and the
//! good ones are still checked. A broken attribute is kept with an `Invalid` value, which the
//! checker treats as "present, already reported" — no "missing attribute" cascade.

use super::ast::{Attr, Block, Ident, Item, Span, Term, TermKind, Value};
use super::build::Builder;
use super::error::{self, SyntaxError};
use super::grammar::{PmigParser, Rule};
use super::lexer::{self, TokenKind};
use crate::syntax::error::{UnclosedBlock, Unexpected};
use pest::Parser;

/// In the last attribute of a block, the `}` that closes the block (where the brackets first go
/// below zero) and the first token after it that is not trivia, when there is one: text
/// written after the block, on the brace's line or the next (`}x`).
fn stray_after_brace(text: &str) -> Option<(usize, Span)> {
    let tokens = lexer::lex(text);
    let mut depth = 0i64;
    let brace = tokens.iter().position(|t| {
        depth += match t.kind {
            TokenKind::LBrace | TokenKind::LBracket | TokenKind::LParen => 1,
            TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => -1,
            _ => 0,
        };
        depth < 0 && t.kind == TokenKind::RBrace
    })?;
    let start = tokens.get(brace)?.span.start;
    let stray = tokens
        .get(brace + 1..)?
        .iter()
        .find(|t| !t.kind.is_trivia())?;
    Some((start, stray.span))
}

/// Re-parses a block that failed as a whole. Returns the block (or `None` when even its
/// header is unreadable), the errors found, and — when `budget` errors were found before the
/// end of the block — the file offset where reading stopped.
pub(super) fn block(
    chunk: &str,
    offset: usize,
    budget: usize,
) -> (Option<Item>, Vec<SyntaxError>, Option<usize>) {
    let Some(open) = chunk.find('{') else {
        return (None, Vec::new(), None);
    };
    let head = chunk.get(..=open).unwrap_or("");
    let Ok(mut pairs) = PmigParser::parse(Rule::header_only, head) else {
        return (None, Vec::new(), None);
    };
    let mut builder = Builder::new(offset);
    let Some(header_pair) = pairs
        .next()
        .and_then(|p| p.into_inner().find(|p| p.as_rule() == Rule::header))
    else {
        return (None, Vec::new(), None);
    };
    let (header, header_span) = builder.header(header_pair);
    let body_start = open + 1;
    let body = chunk.get(body_start..).unwrap_or("");
    let body = body.get(..lexer::content_end(body)).unwrap_or(body);
    let mut errors = Vec::new();
    let mut attrs = Vec::new();
    let mut stopped = None;
    // More closing than opening brackets in the body: the block's own `}` is there, at the
    // end of the last attribute.
    let closed = lexer::nesting(&lexer::lex(body)) < 0;
    let ranges = attribute_ranges(body);
    let last = ranges.len().saturating_sub(1);
    for (i, (start, end)) in ranges.into_iter().enumerate() {
        let text = body.get(start..end).unwrap_or("");
        let trimmed = text.trim_end();
        let trimmed = match trimmed.strip_suffix('}') {
            Some(rest) if closed && i == last => rest.trim_end(),
            _ if closed && i == last => {
                // Something follows the block's own `}` (`}x`): that is what is wrong, not
                // the brace; the attribute before the brace is read as usual.
                match stray_after_brace(trimmed) {
                    Some((brace, stray)) => {
                        let stray_text = trimmed.get(stray.start..stray.end).unwrap_or("");
                        let at = offset + body_start + start;
                        errors.push(Unexpected {
                            expected: "the end of the block".into(),
                            found: format!("`{}`", stray_text.escape_debug()),
                            at: crate::diag::at(Span::new(at + stray.start, at + stray.end)),
                            help: Some(format!(
                                "the block ends with the `}}` before it: remove `{}`, or start what follows on a line of its own",
                                stray_text.escape_debug()
                            )),
                        }.into());
                        trimmed.get(..brace).unwrap_or("").trim_end()
                    }
                    None => trimmed,
                }
            }
            _ => trimmed,
        };
        if lexer::only_trivia(&lexer::lex(trimmed)) {
            continue;
        }
        let at = offset + body_start + start;
        if errors.len() >= budget {
            stopped = Some(at);
            break;
        }
        match PmigParser::parse(Rule::attr_only, trimmed) {
            Ok(pairs) => {
                let mut attr_builder = Builder::new(at);
                if let Some(attr) = pairs.flatten().find(|p| p.as_rule() == Rule::attr) {
                    attrs.push(attr_builder.attr(attr));
                }
                errors.append(&mut attr_builder.errors);
            }
            Err(e) => {
                errors.push(error::from_pest(&e, trimmed, at));
                if let Some(key) = key_of(trimmed, at) {
                    let span = Span::new(at, at + trimmed.len());
                    attrs.push(Attr {
                        key_span: key.span,
                        key: vec![key],
                        value: Value {
                            terms: vec![Term {
                                kind: TermKind::Invalid,
                                span,
                            }],
                            span,
                        },
                    });
                }
            }
        }
    }
    if !closed && stopped.is_none() {
        let open_span = Span::new(offset + open, offset + open + 1);
        let end = offset + lexer::content_end(chunk);
        errors.push(
            UnclosedBlock {
                end: crate::diag::at(Span::new(offset + chunk.len(), offset + chunk.len())),
                open: crate::diag::at(open_span),
                insert_at: Span::new(end, end),
            }
            .into(),
        );
    }
    errors.append(&mut builder.errors);
    let span = Span::new(offset, offset + chunk.trim_end().len());
    (
        Some(Item::Block(Block {
            header,
            header_span,
            attrs,
            span,
        })),
        errors,
        stopped,
    )
}

/// `key` of a `key = …` line, if it starts like one.
fn key_of(text: &str, offset: usize) -> Option<Ident> {
    let leading = text.len() - text.trim_start().len();
    let rest = text.get(leading..)?;
    let len =
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))?;
    let key = rest.get(..len)?;
    let after = rest.get(len..)?.trim_start();
    (!key.is_empty() && after.starts_with('=')).then(|| Ident {
        text: key.to_string(),
        span: Span::new(offset + leading, offset + leading + len),
    })
}

/// Byte ranges of the attributes of a block body: a new attribute starts on a line that
/// begins with `word =` while no bracket opened by the previous attribute is still open.
fn attribute_ranges(body: &str) -> Vec<(usize, usize)> {
    let tokens = lexer::lex(body);
    let mut starts = Vec::new();
    let mut depth: i64 = 0;
    for line in lexer::lines(&tokens) {
        if let Some(first) = lexer::first_solid(line) {
            let mut solid = line.iter().filter(|t| t.kind != TokenKind::Space);
            let key = solid.next().is_some_and(|t| {
                t.kind == TokenKind::Word
                    && t.text(body)
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            });
            let equals = solid.next().is_some_and(|t| {
                t.kind == TokenKind::Equals
                    || (t.kind == TokenKind::Operator && t.text(body) == "==")
            });
            if depth <= 0 && key && equals {
                starts.push(first.span.start);
                depth = 0;
            } else if starts.is_empty() && !lexer::only_trivia(line) {
                starts.push(first.span.start);
            }
        }
        depth += lexer::nesting(line);
    }
    let mut ranges = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        ranges.push((start, starts.get(i + 1).copied().unwrap_or(body.len())));
    }
    ranges
}
