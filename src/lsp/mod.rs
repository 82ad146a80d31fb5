//! The language server's answers, as pure functions: each handler takes a document (analysed
//! once per change into a [`Document`]) and a position, and returns the `lsp_types` value the
//! protocol wants. The JSON-RPC loop that reads and writes the messages lives in the binary
//! (`src/cli/lsp/`); nothing here does IO.
//!
//! A document is analysed by the one analysis `pmigc check` runs ([`crate::analyse`]'s
//! `analysis::analyse_parsed`): the same diagnostics (codes, severities, messages, the same
//! error limit), and the same resolved references, which definition, references, rename, hover
//! and completion read. Secondary labels become related information, in order; the code links
//! to its catalogue entry, and a machine-applicable fix becomes a quick fix. Hover and
//! completion read the block registry (`crate::registry`). A document larger than
//! [`MAX_DOCUMENT_BYTES`] is not analysed: it gets one diagnostic saying so.
//!
//! Positions are counted in UTF-16 code units unless the client accepted UTF-8 (`Encoding`),
//! through the compiler's one `LineIndex`, whose table (with column checkpoints, so that a
//! position costs a bounded scan on any line) is built once per version: every request is
//! linear in the size of the document and its answer.

mod complete;
mod hover;
mod incremental;
mod navigate;
#[cfg(test)]
mod tests;

pub use complete::completion;
pub use hover::hover;
pub use navigate::{definition, document_symbols, formatting, prepare_rename, references, rename};

use crate::check::references::References;
use crate::diag::{self, Severity};
use crate::source::line_index::{LineIndex, LineTable};
use crate::syntax::ast::{File, Span};
use lsp_types as lsp;

/// The largest document the server analyses: 4 MiB, some 22,000 services (the largest stack
/// anyone has written is a few hundred lines). Every change re-analyses the whole document, so
/// the limit bounds what one keystroke can cost: at 4 MiB about a second and a few hundred MB
/// (`docs/lsp.md`). A larger document gets one diagnostic saying so, and nothing else.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

impl Encoding {
    /// UTF-8 when the client offers it (LSP 3.17 `general.positionEncodings`), else UTF-16.
    pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        }
    }
}

/// One open document, analysed: parsed and checked as `pmigc check` would.
#[derive(Debug)]
pub struct Document {
    pub text: String,
    /// The syntax tree of `text`, for the handlers (the pipeline's inside, not the façade).
    pub(crate) file: File,
    pub diagnostics: Vec<diag::Diagnostic>,
    /// Every name and the uses the checker resolved to it.
    pub references: References,
    pub encoding: Encoding,
    /// The lines of `text`, for positions.
    lines: LineTable,
    /// The parsed items of this version, for the next one.
    cache: incremental::Cache,
    /// The size of a document larger than [`MAX_DOCUMENT_BYTES`], which is not analysed (and
    /// whose text is not kept).
    too_large: Option<usize>,
}

/// A document that is not a file on disk (an unsaved buffer) has nothing beside it.
pub fn no_files(path: &str) -> crate::check::boot::Found {
    crate::check::boot::Found::unread(
        path,
        "the document is not a file on disk, so nothing is beside it",
    )
}

impl Document {
    /// Parses and checks `text`, as `pmigc check` would.
    pub fn new(text: String, encoding: Encoding) -> Document {
        Document::new_with(text, encoding, &mut no_files)
    }

    /// [`Document::new`], with the files the stack names (`boot = file "…"`) read by
    /// `reader`, as `pmigc check` reads them beside the stack.
    pub fn new_with(text: String, encoding: Encoding, reader: crate::Reader) -> Document {
        Document::analyse(text, encoding, incremental::Cache::default(), reader)
    }

    /// The next version of this document: the same analysis as `new`, re-parsing only the
    /// top-level items whose text changed.
    pub fn edit(self, text: String) -> Document {
        self.edit_with(text, &mut no_files)
    }

    /// [`Document::edit`], with the files the stack names read by `reader` (again: a file
    /// beside the stack may have changed since the last version).
    pub fn edit_with(self, text: String, reader: crate::Reader) -> Document {
        Document::analyse(text, self.encoding, self.cache, reader)
    }

    fn analyse(
        text: String,
        encoding: Encoding,
        mut cache: incremental::Cache,
        reader: crate::Reader,
    ) -> Document {
        if text.len() > MAX_DOCUMENT_BYTES {
            // Not even kept: the size is all its diagnostic says.
            return Document {
                too_large: Some(text.len()),
                diagnostics: Vec::new(),
                file: File::default(),
                references: References::default(),
                text: String::new(),
                encoding,
                lines: LineTable::new(""),
                cache: incremental::Cache::default(),
            };
        }
        let lines = LineTable::with_columns(&text);
        let (file, syntax) = cache.parse(&text);
        let analysis = crate::analysis::analyse_parsed(&text, &file, syntax, Vec::new(), reader);
        Document {
            too_large: None,
            diagnostics: analysis.diagnostics,
            references: analysis.references,
            file,
            text,
            encoding,
            lines,
            cache,
        }
    }

    /// Whether the document was analysed (it is at most [`MAX_DOCUMENT_BYTES`]).
    pub fn is_analysed(&self) -> bool {
        self.too_large.is_none()
    }

    /// The document's lines.
    fn lines(&self) -> LineIndex<'_> {
        LineIndex::over(&self.text, &self.lines)
    }

    /// The byte offset of a protocol position (clamped to its line), if the line exists.
    pub fn offset(&self, position: lsp::Position) -> Option<usize> {
        let lines = self.lines();
        let (line, column) = (position.line as usize, position.character as usize);
        match self.encoding {
            Encoding::Utf16 => lines.offset_utf16(line, column),
            Encoding::Utf8 => lines.offset_utf8(line, column),
        }
    }

    /// The protocol range of a byte span.
    pub fn range(&self, span: Span) -> lsp::Range {
        let lines = self.lines();
        let at = |offset: usize| {
            let p = lines.position(offset);
            let column = match self.encoding {
                Encoding::Utf16 => p.utf16,
                Encoding::Utf8 => p.utf8,
            };
            lsp::Position::new(to_u32(p.line), to_u32(column))
        };
        lsp::Range::new(at(span.start), at(span.end))
    }

    /// The whole text's range.
    pub fn full_range(&self) -> lsp::Range {
        self.range(Span::new(0, self.text.len()))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where the catalogue of codes is published: each diagnostic's code links to
/// `BASE#anchor` (the anchor of its `## CODE: title` heading, as GitHub writes it).
pub fn catalogue_link(base: &str, code: &str) -> Option<lsp::Uri> {
    let entry = crate::codes::find(code)?;
    let heading = format!("{}: {}", entry.code, entry.title);
    let anchor: String = heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    format!("{base}#{anchor}").parse().ok()
}

/// The document's diagnostics in protocol form. `catalogue` is the base URL of the catalogue
/// of codes, when there is one to link to.
pub fn diagnostics(
    doc: &Document,
    uri: &lsp::Uri,
    catalogue: Option<&str>,
) -> Vec<lsp::Diagnostic> {
    if let Some(bytes) = doc.too_large {
        return vec![too_large(bytes)];
    }
    doc.diagnostics
        .iter()
        .map(|d| to_lsp(doc, d, uri, catalogue))
        .collect()
}

/// The one diagnostic of a document larger than [`MAX_DOCUMENT_BYTES`], at its start. It is
/// about the server, not the stack, so it has no code of the catalogue (as `pmigc check` says
/// in a plain message that a file is larger than it reads).
fn too_large(bytes: usize) -> lsp::Diagnostic {
    const MIB: usize = 1024 * 1024;
    lsp::Diagnostic {
        range: lsp::Range::default(),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some("pmigc".into()),
        message: format!(
            "not analysed: this document is {:.1} MiB, more than the {} MiB the language server analyses\nhelp: run `pmigc check` on the file; no stack needs to be this large",
            bytes as f64 / MIB as f64,
            MAX_DOCUMENT_BYTES / MIB
        ),
        ..Default::default()
    }
}

fn to_lsp(
    doc: &Document,
    d: &diag::Diagnostic,
    uri: &lsp::Uri,
    catalogue: Option<&str>,
) -> lsp::Diagnostic {
    let first = d.labels.iter().position(|l| l.primary);
    let primary = first.and_then(|i| d.labels.get(i));
    // Every label but the primary one, in order (a trace of many steps keeps each step); a
    // label without words says what the diagnostic says.
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != first)
        .map(|(_, l)| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), doc.range(l.span)),
            message: if l.message.is_empty() {
                d.message.clone()
            } else {
                l.message.clone()
            },
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(label) = primary.filter(|l| !l.message.is_empty()) {
        message.push_str(&format!("\n{}", label.message));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    lsp::Diagnostic {
        range: doc.range(d.primary_span()),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: catalogue
            .and_then(|base| catalogue_link(base, d.code.as_str()))
            .map(|href| lsp::CodeDescription { href }),
        source: Some("pmigc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// Quick fixes: each machine-applicable fix of a diagnostic that touches `range`.
pub fn code_actions(
    doc: &Document,
    uri: &lsp::Uri,
    range: lsp::Range,
    catalogue: Option<&str>,
) -> Vec<lsp::CodeActionOrCommand> {
    let (Some(start), Some(end)) = (doc.offset(range.start), doc.offset(range.end)) else {
        return Vec::new();
    };
    doc.diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let span = d.primary_span();
            let touches = span.start <= end && start <= span.end
                || fix.span.start <= end && start <= fix.span.end;
            if !touches {
                return None;
            }
            let edit = lsp::TextEdit::new(doc.range(fix.span), fix.replacement.clone());
            let title = if fix.replacement.is_empty() {
                format!(
                    "Remove `{}`",
                    doc.text.get(fix.span.start..fix.span.end).unwrap_or("")
                )
            } else {
                format!("Replace with `{}`", fix.replacement)
            };
            Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("{title} ({})", d.code),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(doc, d, uri, catalogue)]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some([(uri.clone(), vec![edit])].into_iter().collect()),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            }))
        })
        .collect()
}
