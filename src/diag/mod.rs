//! Diagnostics: one data type for every problem pmigc reports, whatever stage found it.
//!
//! Each stage has its own error enum deriving `miette::Diagnostic` (that is where codes,
//! messages, labels and help are declared, one variant per code). `Diagnostic::from_report`
//! turns any of them into this plain value, which the renderers in `render` print as human
//! text (codespan-reporting), one-line short form, or JSON. Nothing here touches IO.

pub mod catalogue;
pub mod render;

use crate::syntax::ast::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A labelled place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    /// The place the diagnostic is about (one per diagnostic); others are context.
    pub primary: bool,
}

/// A machine-applicable edit: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `PMG0101` etc.; every code has an entry in the catalogue.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

/// A stage error: a `miette::Diagnostic` that may also know a machine-applicable fix.
pub trait Report: miette::Diagnostic {
    fn fix(&self) -> Option<Fix> {
        None
    }
}

impl Diagnostic {
    /// Reads a stage error through its `miette::Diagnostic` implementation. The first label is
    /// the primary one.
    pub fn from_report<R: Report + ?Sized>(report: &R) -> Diagnostic {
        let severity = match report.severity() {
            Some(miette::Severity::Warning) => Severity::Warning,
            Some(miette::Severity::Advice) => Severity::Note,
            _ => Severity::Error,
        };
        let labels = report
            .labels()
            .map(|labels| {
                labels
                    .enumerate()
                    .map(|(i, l)| Label {
                        span: Span::new(l.offset(), l.offset() + l.len()),
                        message: l.label().unwrap_or_default().to_string(),
                        primary: i == 0,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Diagnostic {
            code: report.code().map(|c| c.to_string()).unwrap_or_default(),
            severity,
            message: report.to_string(),
            labels,
            help: report.help().map(|h| h.to_string()),
            fix: report.fix(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span, used to sort diagnostics in source order.
    pub fn primary_span(&self) -> Span {
        self.labels
            .iter()
            .find(|l| l.primary)
            .map(|l| l.span)
            .unwrap_or_default()
    }
}

/// Turns a `Span` into miette's span type for the `#[label]` fields of stage errors.
pub fn at(span: Span) -> miette::SourceSpan {
    miette::SourceSpan::new(span.start.into(), span.len())
}

/// Sorts in source order and removes exact repeats (a base block checked once per
/// workspace reports its problems once).
pub fn normalize(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (a.primary_span(), &a.code, &a.message).cmp(&(b.primary_span(), &b.code, &b.message))
    });
    diagnostics.dedup();
    diagnostics
}

/// The closest candidate to `word`, if any is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}
