//! pest pairs to AST nodes, shifting every span by the item's offset in the file.
//!
//! Error nodes of the grammar (`unterminated_string`, `bad_number`) become `TermKind::Invalid`
//! terms plus a syntax error, so the rest of the item is still checked.

use super::ast::*;
use super::error::SyntaxError;
use super::grammar::Rule;
use super::lexer::{self, TokenKind};
use crate::diag::at;
use crate::syntax::error::{BadLiteral, UnterminatedString};
use pest::iterators::Pair;

pub(super) struct Builder {
    offset: usize,
    pub errors: Vec<SyntaxError>,
}

impl Builder {
    pub(super) fn new(offset: usize) -> Builder {
        Builder {
            offset,
            errors: Vec::new(),
        }
    }

    /// The pair's span in the file, without the trailing whitespace and comments pest's
    /// implicit whitespace leaves at the end of a repetition.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let text = pair.as_str();
        let mut len = text.len();
        loop {
            let trimmed = text.get(..len).unwrap_or("").trim_end();
            // A trailing comment, on a line of its own or after the last token of a line
            // (`weight = 0% # start`): cut it. A line starts at a token boundary (no token
            // spans lines), so lexing the last line alone finds where its comment starts; only
            // a line with a comment marker is lexed.
            let cut = trimmed.rfind('\n').map_or(0, |nl| nl + 1);
            let last_line = trimmed.get(cut..).unwrap_or("");
            let comment = (last_line.contains('#') || last_line.contains("//"))
                .then(|| lexer::lex(last_line).last().copied())
                .flatten()
                .filter(|t| t.kind == TokenKind::Comment)
                .map(|t| cut + t.span.start)
                .filter(|&at| at > 0);
            match comment {
                Some(at) => len = at,
                None => {
                    len = trimmed.len();
                    break;
                }
            }
        }
        Span::new(self.offset + s.start(), self.offset + s.start() + len)
    }

    fn ident(&self, pair: &Pair<Rule>) -> Ident {
        Ident {
            text: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    pub(super) fn item(&mut self, pair: Pair<Rule>) -> Item {
        let Some(inner) = pair.into_inner().next() else {
            return Item::Broken(Vec::new());
        };
        let span = self.span(&inner);
        match inner.as_rule() {
            Rule::input_decl => {
                let mut idents = Vec::new();
                let mut default = None;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::ident => idents.push(self.ident(&p)),
                        Rule::value => default = Some(self.value(p)),
                        _ => {}
                    }
                }
                let mut idents = idents.into_iter();
                match (idents.next(), idents.next()) {
                    (Some(name), Some(ty)) => Item::Input(InputDecl {
                        name,
                        ty,
                        default,
                        span,
                    }),
                    (name, _) => Item::Broken(name.into_iter().collect()),
                }
            }
            Rule::output_decl => {
                let mut name = None;
                let mut value = None;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::ident => name = Some(self.ident(&p)),
                        Rule::value => value = Some(self.value(p)),
                        _ => {}
                    }
                }
                match (name, value) {
                    (Some(name), Some(value)) => Item::Output(OutputDecl { name, value, span }),
                    (name, _) => Item::Broken(name.into_iter().collect()),
                }
            }
            _ => self.block(inner, span),
        }
    }

    /// The words of a block header and their span.
    pub(super) fn header(&self, pair: Pair<Rule>) -> (Vec<Ident>, Span) {
        let span = self.span(&pair);
        (pair.into_inner().map(|i| self.ident(&i)).collect(), span)
    }

    fn block(&mut self, pair: Pair<Rule>, span: Span) -> Item {
        let mut header = Vec::new();
        let mut header_span = span;
        let mut attrs = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::header => (header, header_span) = self.header(p),
                Rule::body => attrs = p.into_inner().map(|a| self.attr(a)).collect(),
                _ => {}
            }
        }
        Item::Block(Block {
            header,
            header_span,
            attrs,
            span,
        })
    }

    pub(super) fn attr(&mut self, pair: Pair<Rule>) -> Attr {
        let mut key = Vec::new();
        let mut key_span = self.span(&pair);
        let mut value = Value {
            terms: Vec::new(),
            span: key_span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::key => {
                    key_span = self.span(&p);
                    key = self.key_parts(&p);
                }
                Rule::value => value = self.value(p),
                _ => {}
            }
        }
        Attr {
            key,
            key_span,
            value,
        }
    }

    /// `a.b.c` split into identifiers with their own spans.
    fn key_parts(&self, pair: &Pair<Rule>) -> Vec<Ident> {
        let start = self.span(pair).start;
        let mut parts = Vec::new();
        let mut pos = 0;
        for part in pair.as_str().split('.') {
            parts.push(Ident {
                text: part.to_string(),
                span: Span::new(start + pos, start + pos + part.len()),
            });
            pos += part.len() + 1;
        }
        parts
    }

    fn value(&mut self, pair: Pair<Rule>) -> Value {
        let span = self.span(&pair);
        let terms = pair.into_inner().map(|t| self.term(t)).collect();
        Value { terms, span }
    }

    fn term(&mut self, pair: Pair<Rule>) -> Term {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::list => TermKind::List(pair.into_inner().map(|v| self.value(v)).collect()),
            Rule::map => TermKind::Map(pair.into_inner().map(|e| self.attr(e)).collect()),
            Rule::string => TermKind::String(unquote(text)),
            Rule::host_port => {
                let mut inner = pair.into_inner();
                let host = inner
                    .next()
                    .map(|p| unquote(p.as_str()))
                    .unwrap_or_default();
                let port = inner
                    .next()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                TermKind::HostPort { host, port }
            }
            Rule::cidr => TermKind::Cidr(text.to_string()),
            Rule::range => {
                let mut inner = pair.into_inner();
                let low = inner
                    .next()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                let high = inner
                    .next()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                TermKind::Range { low, high }
            }
            Rule::quantity => {
                let mut number = String::new();
                let mut unit = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::number => number = p.as_str().to_string(),
                        _ => unit = Some(self.ident(&p)),
                    }
                }
                TermKind::Quantity { number, unit }
            }
            Rule::prefix => TermKind::Prefix(text.trim_start_matches('/').to_string()),
            Rule::operator => TermKind::Operator(text.to_string()),
            Rule::path => TermKind::Path(self.key_parts(&pair)),
            Rule::unterminated_string => {
                self.errors.push(
                    UnterminatedString {
                        at: at(span),
                        end: Span::new(span.end, span.end),
                    }
                    .into(),
                );
                TermKind::Invalid
            }
            _ => {
                self.errors.push(
                    BadLiteral {
                        text: text.to_string(),
                        at: at(span),
                        help: literal_help(text),
                    }
                    .into(),
                );
                TermKind::Invalid
            }
        };
        Term { kind, span }
    }
}

fn unquote(text: &str) -> String {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
        .to_string()
}

/// A hint for a malformed literal, from its shape.
fn literal_help(text: &str) -> Option<String> {
    let dots = text.matches('.').count();
    if text.contains('/') && dots != 3 {
        Some(format!(
            "an IP address block has four numbers and a prefix length, like `10.0.0.0/16`; this one has {}",
            dots + 1
        ))
    } else if dots >= 2 && !text.contains('/') {
        Some(
            "numbers have at most one decimal point; an IP address block looks like `10.0.0.0/16`"
                .to_string(),
        )
    } else {
        Some("write a number (`3`), a percentage (`50%`), a duration (`5s`, `7 days`) or an IP address block (`10.0.0.0/16`)".to_string())
    }
}
