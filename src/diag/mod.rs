//! Diagnostics: one data type for every problem pmigc reports, whatever stage found it.
//!
//! Each diagnostic is a struct declared beside the rule that reports it (`check::*::diagnostics`,
//! `syntax::error`, `plan::report`): its message, labels and help by `miette::Diagnostic`'s
//! derive, its fix and its catalogue entry by [`Violation`]. Its code is given once, by its
//! registration line in `src/codes.rs` (above every rule), which makes the `Code::PMG0504`
//! constants and each struct's [`Coded`] impl; this module declares the [`Code`] type (a
//! `&'static` descriptor of the code's catalogue entry) and names neither the list of codes
//! nor any rule. A stage collects what it
//! finds as [`Report`]s (any diagnostic, erased); `Diagnostic::from_report` turns one into this
//! plain value, which the renderers in `render` print as human text (codespan-reporting),
//! one-line short form, or JSON. Nothing here touches IO.

pub mod catalogue;
pub mod render;

use self::catalogue::Entry;

use crate::source::Span;

/// A diagnostic code (`PMG0504`): a `&'static` descriptor of its catalogue entry. The codes are
/// registered in `src/codes.rs`, above every rule, which defines `Code::PMG0504`, `Code::ALL`
/// and `Code::parse`; codes compare, order and hash by their text, which the registration keeps
/// unique and in code order.
#[derive(Clone, Copy)]
pub struct Code(&'static Entry);

impl Code {
    /// The code of `entry`. Only the registration list (`src/codes.rs`) makes codes
    /// (`architecture::every_diagnostic_code_is_declared_once`).
    pub(crate) const fn registered(entry: &'static Entry) -> Code {
        Code(entry)
    }

    /// `"PMG0504"`.
    pub fn as_str(self) -> &'static str {
        self.0.code
    }

    /// The catalogue entry its diagnostic declares.
    pub fn entry(self) -> Entry {
        *self.0
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Code {}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Code {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The code of a registered diagnostic: `Unused::CODE` is `Code::PMG0603`. Its impls are the
/// registration lines of `src/codes.rs`.
pub trait Coded {
    const CODE: Code;
}

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
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

/// What a diagnostic declares beside its message, labels and help: whether it has a
/// machine-applicable fix, and its catalogue entry (`pmigc explain`, `docs/diagnostics.md`).
/// `fix` has no default, so a new diagnostic says whether it has one.
pub trait Violation: miette::Diagnostic + Send + Sync + 'static {
    /// The entry's heading, after the code.
    const TITLE: &str;
    /// What is wrong and why, in the stack's words (Markdown).
    const EXPLANATION: &str;
    /// A minimal edit of `stacks/payment.pmig` or `tests/cases/ok/minimal-service.pmig` that
    /// produces the diagnostic (`tests/it/catalogue.rs` applies it).
    const WRONG: &str;
    /// The same edit, corrected: it removes the diagnostic and causes nothing new.
    const RIGHT: &str;

    /// The edit that fixes this occurrence, when there is one.
    fn fix(&self) -> Option<Fix>;
}

/// A diagnostic whose code is known: every registered [`Violation`] (`src/codes.rs`), and
/// [`Report`]. Object-safe, so a stage can hold any of them.
pub trait Reportable: miette::Diagnostic + Send + Sync + std::any::Any {
    fn code(&self) -> Code;
    fn fix(&self) -> Option<Fix>;
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: Violation + Coded> Reportable for T {
    fn code(&self) -> Code {
        T::CODE
    }
    fn fix(&self) -> Option<Fix> {
        Violation::fix(self)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Any registered diagnostic, as a stage collects them (`CheckError`, `SyntaxError`).
#[derive(Debug)]
pub struct Report(Box<dyn Reportable>);

impl<T: Violation + Coded> From<T> for Report {
    fn from(diagnostic: T) -> Report {
        Report(Box::new(diagnostic))
    }
}

impl Report {
    /// The diagnostic, if it is a `T` (for the few rules that fold one diagnostic into another).
    pub fn get<T: Violation>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.0.labels()
    }
}

impl Reportable for Report {
    fn code(&self) -> Code {
        Reportable::code(&*self.0)
    }
    fn fix(&self) -> Option<Fix> {
        self.0.fix()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self.0.as_any()
    }
}

impl Diagnostic {
    /// Reads a stage error through its `miette::Diagnostic` implementation. The first label is
    /// the primary one.
    pub fn from_report<R: Reportable + ?Sized>(report: &R) -> Diagnostic {
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
            code: Reportable::code(report),
            severity,
            message: report.to_string(),
            labels,
            help: report.help().map(|h| h.to_string()),
            fix: Reportable::fix(report),
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
