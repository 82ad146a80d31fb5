//! The formatter: one canonical layout for a `.pmig` text, as a function from text to text.
//!
//! Built on the lexer with trivia (`syntax::lexer`): comments (`#` and `//`), blank lines
//! and the order of everything are kept; only whitespace, alignment and optional commas
//! change. The layout is `stacks/payment.pmig`'s: two-space indent; a block, map or list
//! written on one line stays on one line (`{ a = 1, b = 2 }`, `[a, b]`), one written over
//! several lines gets one attribute (or element) per line; `=` aligned within a run of
//! attributes not separated by a blank line, and likewise for runs of `input` and `output`
//! declarations; trailing comments aligned within a run of consecutive lines that have one;
//! at most one blank line in a row; `\n` line ends; one final newline.
//!
//! A text with syntax errors is not formatted: `format` returns its syntax diagnostics. The
//! result is checked before it is returned: it must parse to the same tree and carry the same
//! comments, or `format` reports an internal error instead of changing meaning.

mod layout;
mod shape;

use crate::diag::Diagnostic;
use crate::syntax::lexer::{self, TokenKind};

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatError {
    /// The text has syntax errors (their diagnostics): it is left as it is.
    Syntax(Vec<Diagnostic>),
    /// The formatter would have changed the meaning of the text (a bug in pmigc).
    Internal(String),
}

/// The canonical layout of `text`.
pub fn format(text: &str) -> Result<String, FormatError> {
    let (file, diagnostics) = crate::syntax::parse(text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Syntax(diagnostics));
    }
    let formatted = layout::format(text);
    let (again, errors) = crate::syntax::parse(&formatted);
    if errors.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Internal(
            "the formatted text does not parse".into(),
        ));
    }
    if !shape::same(&file, &again) {
        return Err(FormatError::Internal(
            "the formatted text parses differently".into(),
        ));
    }
    if comments(text) != comments(&formatted) {
        return Err(FormatError::Internal(
            "the formatted text lost or changed a comment".into(),
        ));
    }
    Ok(formatted)
}

/// The comments of a text, without trailing whitespace, in order.
fn comments(text: &str) -> Vec<&str> {
    lexer::lex(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| t.text(text).trim_end())
        .collect()
}

#[cfg(test)]
mod tests;
