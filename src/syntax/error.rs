//! Syntax errors, worded for people: "expected a value", never "expected term".
//!
//! `from_pest` reads where pest stopped and which rules it was trying, and picks the one
//! message that explains it; tokens that are almost right (an unterminated string, a malformed
//! number) are reported by the AST builder, which knows exactly what they are.

use super::ast::{Ident, Span};
use super::grammar::Rule;
use super::lexer::{self, TokenKind};
use crate::diag::{Fix, Violation, at};
use miette::SourceSpan;

/// What the syntax stage reports (one of the structs below, erased).
pub(crate) type SyntaxError = crate::diag::Report;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("expected {expected}, found {found}")]
pub(crate) struct Unexpected {
    pub(crate) expected: String,
    pub(crate) found: String,
    #[label("expected {expected}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for Unexpected {
    const TITLE: &str = "unexpected token";
    const EXPLANATION: &str = r#"The parser found something it cannot read at this point, such as a stray `}` after a block has
already ended, or `=` where a block's `{` belongs. The message says in words what could come
next. Everything else in the file is still checked: each top-level block is parsed on its own."#;
    const WRONG: &str = r#"service web {
  port = 3000
}
}
"#;
    const RIGHT: &str = r#"service web {
  port = 3000
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("this block is never closed")]
#[diagnostic(help("add `}}` at the end of the block"))]
pub(crate) struct UnclosedBlock {
    #[label("expected `}}` before this")]
    pub(crate) end: SourceSpan,
    #[label("the block opened here")]
    pub(crate) open: SourceSpan,
    pub(crate) insert_at: Span,
}

impl Violation for UnclosedBlock {
    const TITLE: &str = "block never closed";
    const EXPLANATION: &str = r#"A block opened with `{` reaches the next top-level block (or the end of the file) without its
closing `}`. pmigc still checks the attributes it could read, and points at both the opening
brace and where the `}` is missing."#;
    const WRONG: &str = r#"network edge {
  cidr = 10.8.0.0/20

service web {
  port = 3000
}
"#;
    const RIGHT: &str = r#"network edge {
  cidr = 10.8.0.0/20
}

service web {
  port = 3000
}
"#;

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            span: self.insert_at,
            replacement: "}\n".to_string(),
        })
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unterminated string")]
#[diagnostic(help("strings end on the line they start: add the closing `\"`"))]
pub(crate) struct UnterminatedString {
    #[label("this string has no closing quote")]
    pub(crate) at: SourceSpan,
    pub(crate) end: Span,
}

impl Violation for UnterminatedString {
    const TITLE: &str = "unterminated string";
    const EXPLANATION: &str = r#"A string starts with `"` and the line ends before its closing quote. Strings never span lines
in `.pmig`, so the fix is always on the same line."#;
    const WRONG: &str = r#"stack shop {
  name = "shop-{env}
}
"#;
    const RIGHT: &str = r#"stack shop {
  name = "shop-{env}"
}
"#;

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            span: self.end,
            replacement: "\"".to_string(),
        })
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{text}` is not a valid literal")]
pub(crate) struct BadLiteral {
    pub(crate) text: String,
    #[label("not a number, percentage, duration or IP address block")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadLiteral {
    const TITLE: &str = "malformed literal";
    const EXPLANATION: &str = r#"Something starts like a number but is none of the literals pmigc knows: a number (`3`), a
percentage (`50%`), a duration (`5s`, `7 days`), a range (`3..9`) or an IPv4 block
(`10.0.0.0/16`). The most common cause is an IP address block with a missing octet."#;
    const WRONG: &str = r#"network edge {
  cidr = 10.8.0/20
}
"#;
    const RIGHT: &str = r#"network edge {
  cidr = 10.8.0.0/20
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("IPv6 is not supported here: `{text}`")]
#[diagnostic(help(
    "pmigc's networks, on-premises networks and allow lists are IPv4 blocks, like `10.40.0.0/16`"
))]
pub(crate) struct Ipv6 {
    pub(crate) text: String,
    #[label("an IPv6 address")]
    pub(crate) at: SourceSpan,
}

impl Violation for Ipv6 {
    const TITLE: &str = "IPv6 is not supported";
    const EXPLANATION: &str = r#"pmigc's VPCs, subnets, on-premises networks and allow lists are IPv4. An IPv6 address or block
is named as such, rather than reported as a stray `:`."#;
    const WRONG: &str = r#"network main { cidr = 2001:db8::/56 }
"#;
    const RIGHT: &str = r#"network main { cidr = 10.40.0.0/16 }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("brackets nested {depth} deep")]
#[diagnostic(help(
    "pmigc accepts at most 32 levels of `{{`, `[` and `(`; a stack never needs more — look for a missing closing bracket"
))]
pub(crate) struct TooDeep {
    pub(crate) depth: usize,
    #[label("this bracket is too deep")]
    pub(crate) at: SourceSpan,
}

impl Violation for TooDeep {
    const TITLE: &str = "brackets nested too deep";
    const EXPLANATION: &str = r#"More than 32 levels of `{`, `[` or `(`. No stack needs that many; it usually means a closing
bracket is missing somewhere. pmigc refuses the item before parsing it, so a pathological file
cannot exhaust the parser."#;
    const WRONG: &str = r#"service web {
  port = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[3000]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
}
"#;
    const RIGHT: &str = r#"service web {
  port = 3000
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("too many errors: stopped after {limit}")]
#[diagnostic(help(
    "fix the errors above and check again: the rest is read and reported once there are fewer"
))]
pub(crate) struct TooMany {
    pub(crate) limit: usize,
    pub(crate) what: &'static str,
    #[label("{what}")]
    pub(crate) at: SourceSpan,
}

impl Violation for TooMany {
    const TITLE: &str = "too many errors";
    const EXPLANATION: &str = r#"After 100 errors pmigc stops: a syntax error stops the reading of the file there (the rest is
neither parsed nor checked, since checking a fraction of a stack would only add noise), and
errors found by the checker stop being listed. A stack with a million mistakes is one screen of
output, in well under a second and bounded memory, not a million lines. Fix the errors shown
and check again. The example is one mistake, made 101 times (`tests/it/catalogue.rs` repeats it)."#;
    const WRONG: &str = r#"output api_dns = "api.dns_name
"#;
    const RIGHT: &str = r#"output api_dns = api.dns_name
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

/// Words for the rules pest may say it expected.
fn describe(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::value | Rule::atom | Rule::term => "a value",
        Rule::list => "a list like `[a, b]`",
        Rule::map => "a map like `{ key = \"value\" }`",
        Rule::string | Rule::host_port => "a string in double quotes",
        Rule::cidr => "an IP address block like `10.0.0.0/16`",
        Rule::range => "a range like `3..9`",
        Rule::quantity | Rule::number => "a number",
        Rule::ident | Rule::header | Rule::path => "a name",
        Rule::key | Rule::attr | Rule::entry => "an attribute like `name = value`",
        Rule::body => "`{` to open the block",
        Rule::item
        | Rule::block
        | Rule::input_decl
        | Rule::output_decl
        | Rule::kw_input
        | Rule::kw_output => "a block like `network main { ... }`, an `input` or an `output`",
        Rule::EOI => "the end of the item",
        _ => return None,
    })
}

/// The token at `pos`, described for a message: "`zones`", "`}`", "the end of the file".
fn found_at(chunk: &str, pos: usize) -> (String, usize) {
    let rest = chunk.get(pos..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("nothing".to_string(), 0);
    };
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = rest.get(..len).unwrap_or("");
    (format!("`{}`", token.escape_debug()), len)
}

/// The byte range of an IPv6 address or block (`2001:db8::/56`) that the error at `pos` falls
/// in: the grammar has no IPv6 literal, so its first `:` is where parsing stops.
fn ipv6_around(chunk: &str, pos: usize) -> Option<(usize, usize)> {
    let part = |c: char| c.is_ascii_hexdigit() || c == ':' || c == '.' || c == '/';
    let before = chunk.get(..pos)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| part(*c))
        .last()
        .map_or(pos, |(i, _)| i);
    let after = chunk.get(pos..)?;
    let end = pos + after.find(|c: char| !part(c)).unwrap_or(after.len());
    let text = chunk.get(start..end)?;
    let address = text.split('/').next()?;
    (address.contains(':') && address.parse::<std::net::Ipv6Addr>().is_ok()).then_some((start, end))
}

/// Turns pest's first error in an item into one diagnostic with offsets into the file.
pub(crate) fn from_pest(
    error: &pest::error::Error<Rule>,
    chunk: &str,
    offset: usize,
) -> SyntaxError {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let positives: Vec<Rule> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let tokens = lexer::lex(chunk);
    let rest_is_blank = lexer::only_trivia(
        tokens
            .iter()
            .position(|t| t.span.end > pos)
            .and_then(|i| tokens.get(i..))
            .unwrap_or(&[]),
    );
    let count = |kind: TokenKind| tokens.iter().filter(|t| t.kind == kind).count();
    if rest_is_blank && count(TokenKind::LBrace) > count(TokenKind::RBrace) {
        let open = tokens
            .iter()
            .find(|t| t.kind == TokenKind::LBrace)
            .map_or(0, |t| t.span.start);
        let end = offset + lexer::content_end(chunk);
        return UnclosedBlock {
            end: at(Span::new(offset + chunk.len(), offset + chunk.len())),
            open: at(Span::new(offset + open, offset + open + 1)),
            insert_at: Span::new(end, end),
        }
        .into();
    }
    if let Some((start, end)) = ipv6_around(chunk, pos) {
        return Ipv6 {
            text: chunk.get(start..end).unwrap_or("").to_string(),
            at: at(Span::new(offset + start, offset + end)),
        }
        .into();
    }
    if positives.contains(&Rule::EOI)
        && let Some(stray) = after_the_block(chunk, &tokens, pos)
    {
        // The block's own `}` is where pest stopped; what is wrong is what follows it.
        let text = stray.text(chunk);
        return Unexpected {
            expected: "the end of the block".into(),
            found: format!("`{}`", text.escape_debug()),
            at: at(Span::new(
                offset + stray.span.start,
                offset + stray.span.end,
            )),
            help: Some(format!(
                "the block ends with the `}}` before it: remove `{}`, or start what follows on a line of its own",
                text.escape_debug()
            )),
        }.into();
    }
    let (found, len) = found_at(chunk, pos);
    let at_span = at(Span::new(offset + pos, offset + pos + len));
    if positives.contains(&Rule::EOI) {
        return Unexpected {
            expected: "the end of the block".into(),
            found,
            at: at_span,
            help: Some(if chunk.get(pos..).is_some_and(|r| r.starts_with('}')) {
                "this `}` closes nothing: remove it".to_string()
            } else {
                "each block ends with its `}`; start the next one on a new line".to_string()
            }),
        }
        .into();
    }
    let value_rules = [
        Rule::value,
        Rule::atom,
        Rule::term,
        Rule::list,
        Rule::map,
        Rule::string,
        Rule::cidr,
        Rule::quantity,
        Rule::path,
    ];
    let mut expected: Vec<&str> =
        if positives.iter().filter(|r| value_rules.contains(r)).count() >= 3 {
            std::iter::once("a value")
                .chain(
                    positives
                        .iter()
                        .filter(|r| !value_rules.contains(r))
                        .filter_map(describe),
                )
                .collect()
        } else {
            positives.iter().filter_map(describe).collect()
        };
    expected.dedup();
    let expected = match expected.as_slice() {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        many => {
            let (last, rest) = many.split_last().unwrap_or((&"", &[]));
            format!("{} or {}", rest.join(", "), last)
        }
    };
    let help = if positives.contains(&Rule::body) {
        Some("a block is written `kind name { attribute = value ... }`".to_string())
    } else {
        None
    };
    Unexpected {
        expected,
        found,
        at: at_span,
        help,
    }
    .into()
}

/// The first token after the `}` at `pos` that closes the item's block, when it is not trivia:
/// something written after the block (`}x`, `} ;`), which pest reports at the brace.
fn after_the_block(chunk: &str, tokens: &[lexer::Token], pos: usize) -> Option<lexer::Token> {
    if !chunk.get(pos..).is_some_and(|rest| rest.starts_with('}')) {
        return None;
    }
    let before = tokens.iter().take_while(|t| t.span.start < pos);
    let depth = before.fold(0i64, |depth, t| match t.kind {
        TokenKind::LBrace => depth + 1,
        TokenKind::RBrace => depth - 1,
        _ => depth,
    });
    // Only the brace that closes the outermost block ends the item.
    if depth != 1 {
        return None;
    }
    tokens
        .iter()
        .skip_while(|t| t.span.start <= pos)
        .find(|t| !t.kind.is_trivia())
        .copied()
}

/// The header words of an item that failed to parse (`database ledger {` → database, ledger).
pub(crate) fn header_words(chunk: &str, offset: usize) -> Vec<Ident> {
    lexer::lex(chunk)
        .into_iter()
        .take_while(|t| {
            !matches!(
                t.kind,
                TokenKind::LBrace | TokenKind::Equals | TokenKind::Colon | TokenKind::Newline
            )
        })
        .filter(|t| t.kind == TokenKind::Word)
        .filter(|t| {
            t.text(chunk)
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .map(|t| Ident {
            text: t.text(chunk).to_string(),
            span: Span::new(offset + t.span.start, offset + t.span.end),
        })
        .collect()
}
