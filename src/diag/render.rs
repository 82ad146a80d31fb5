//! The three renderings of a `Diagnostic`: human (rustc-like snippets drawn by
//! codespan-reporting, coloured or plain), short (`file:line:col: error[CODE]: message`), and
//! JSON (one object per line, for editors and CI). All return strings; the CLI prints them.
//! Whatever comes from the stack is made safe to show first (`safe`): control characters are
//! escaped in every rendering, echoed source lines and words are cut to a sane width.

use super::{Diagnostic, Severity};
use crate::source::Span;
use crate::source::line_index::LineIndex;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde_json::json;

mod safe;

pub use safe::{clean, escape_controls};

/// The file a set of diagnostics refers to.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        LineIndex::new(self.text).line_col(offset)
    }
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn clamp(text: &str, span: Span) -> std::ops::Range<usize> {
    let start = clamp_to_char_boundary(text, span.start);
    let end = clamp_to_char_boundary(text, span.end).max(start);
    start..end
}

/// rustc-style text with source snippets; ANSI colours when `color` is set.
pub fn human(source: &Source, diagnostics: &[Diagnostic], color: bool) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let anchors = diagnostics
        .iter()
        .flat_map(|d| &d.labels)
        .flat_map(|l| {
            let range = clamp(source.text, l.span);
            [range.start, range.end]
        })
        .collect();
    let view = safe::View::new(source.name, source.text, anchors);
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Note => cs::Severity::Note,
        };
        let labels = d
            .labels
            .iter()
            .map(|l| {
                let range = clamp(source.text, l.span);
                let start = view.map(range.start);
                let range = start..view.map(range.end).max(start);
                let label = if l.primary {
                    cs::Label::primary((), range)
                } else {
                    cs::Label::secondary((), range)
                };
                label.with_message(clean(&l.message))
            })
            .collect();
        let notes = d
            .help
            .iter()
            .map(|h| format!("help: {}", clean(h)))
            .collect();
        let rendered = cs::Diagnostic::new(severity)
            .with_code(clean(d.code.as_str()))
            .with_message(clean(&d.message))
            .with_labels(labels)
            .with_notes(notes);
        // Rendering into memory cannot fail for a span mapped into the view.
        let _ = term::emit_to_write_style(&mut buffer, &config, &view, &rendered);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One line per diagnostic: `file:line:col: severity[CODE]: message`.
pub fn short(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source.text);
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = index.line_col(d.primary_span().start);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            escape_controls(source.name),
            line,
            col,
            d.severity.as_str(),
            clean(d.code.as_str()),
            // One line per diagnostic: a line feed in a message is shown as a space.
            clean(&d.message).replace('\n', " ")
        ));
    }
    out
}

/// One JSON object per line, with byte and line/column ranges for every label.
pub fn json_lines(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source.text);
    let mut out = String::new();
    for d in diagnostics {
        let range = |span: Span| {
            let (line_start, column_start) = index.line_col(span.start);
            let (line_end, column_end) = index.line_col(span.end);
            json!({
                "byte_start": span.start, "byte_end": span.end,
                "line_start": line_start, "column_start": column_start,
                "line_end": line_end, "column_end": column_end,
            })
        };
        let labels: Vec<_> = d
            .labels
            .iter()
            .map(|l| json!({ "primary": l.primary, "message": clean(&l.message), "span": range(l.span) }))
            .collect();
        let fix = d.fix.as_ref().map(|f| {
            json!({ "span": range(f.span), "replacement": f.replacement, "applicability": "machine-applicable" })
        });
        let object = json!({
            "code": d.code.as_str(),
            "severity": d.severity.as_str(),
            "message": clean(&d.message),
            "file": source.name,
            "labels": labels,
            "help": d.help.as_deref().map(clean),
            "fix": fix,
        });
        out.push_str(&object.to_string());
        out.push('\n');
    }
    out
}
