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
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        match format(text) {
            Ok(out) => out,
            Err(e) => panic!("{e:?}\n{text}"),
        }
    }

    #[test]
    fn the_payment_stack_is_a_fixed_point() {
        let text = include_str!("../../stacks/payment.pmig");
        assert_eq!(ok(text), text);
    }

    #[test]
    fn spacing_alignment_and_commas() {
        let text = "stack s {\n region=\"x\" ,name = \"n\"\n\n\n  tags={a=1,b = [x,y , ]}\n}\n";
        assert_eq!(
            ok(text),
            "stack s {\n  region = \"x\"\n  name   = \"n\"\n\n  tags = { a = 1, b = [x, y] }\n}\n"
        );
    }

    #[test]
    fn one_line_blocks_stay_on_one_line() {
        assert_eq!(
            ok("existing  secret db {name=\"x\" keys=[a,b]}"),
            "existing secret db { name = \"x\", keys = [a, b] }\n"
        );
        assert_eq!(ok("dashboard d {}\n"), "dashboard d { }\n");
    }

    #[test]
    fn comments_are_kept_and_trailing_ones_aligned() {
        let text = "# head\n\n\nnetwork n { # open\n  # own line\n  cidr = 10.0.0.0/16 # a\n  zones = 3  # b\n  nat = single,\n}   # after\n// tail";
        assert_eq!(
            ok(text),
            "# head\n\nnetwork n { # open\n  # own line\n  cidr  = 10.0.0.0/16 # a\n  zones = 3           # b\n  nat   = single\n} # after\n// tail\n"
        );
    }

    #[test]
    fn inputs_and_outputs_align_in_runs() {
        let text = "input a: name = \"x\"\ninput long_name: percent = 5%\n\noutput o = a.b\noutput longer = c.d\n";
        assert_eq!(
            ok(text),
            "input a:         name    = \"x\"\ninput long_name: percent = 5%\n\noutput o      = a.b\noutput longer = c.d\n"
        );
    }

    #[test]
    fn broken_lists_get_one_element_per_line() {
        let text = "stack s {\n  phases = [0%,\n 10%, 100%]\n}\n";
        assert_eq!(
            ok(text),
            "stack s {\n  phases = [\n    0%,\n    10%,\n    100%,\n  ]\n}\n"
        );
    }

    #[test]
    fn a_number_and_a_unit_on_different_lines_stay_apart() {
        // `7\n days` is two terms (a quantity needs spaces only); joining them would make
        // it `7 days`, one quantity.
        let text = "database d {\n  backups = 7\n days\n  x = 7   days\n}\n";
        let out = ok(text);
        assert_eq!(
            out,
            "database d {\n  backups = 7\n    days\n  x       = 7 days\n}\n"
        );
        assert_eq!(ok(&out), out);
    }

    #[test]
    fn syntax_errors_are_returned_not_formatted() {
        let Err(FormatError::Syntax(d)) = format("network n {\n  cidr = \"x\n}\n") else {
            panic!("formatted a broken text");
        };
        assert_eq!(d.first().map(|d| d.code.as_str()), Some("PMG0103"));
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        assert_eq!(
            ok("\u{feff}stack s {\r\n  a = 1 # c\r\n}\r\n"),
            "\u{feff}stack s {\n  a = 1 # c\n}\n"
        );
    }
}
