//! One analysis of a stack's text for every caller: `pmigc check`, `build` and the other
//! commands (through `src/cli`), the language server (`crate::lsp`) and the tests. It owns the
//! policies that decide what a stack's diagnostics are, so that the editor and the command line
//! cannot disagree:
//!
//! - **the error limit**: after [`syntax::MAX_ERRORS`] syntax errors reading stops (PMG0106)
//!   and the checker does not run, since it would judge a fraction of the file; of the errors
//!   of parse and check together, the first `MAX_ERRORS` are shown ([`syntax::limit`]);
//! - **what a syntax error suppresses**: the models (a stack that does not parse is never
//!   built), the "declared but never used" warnings (a block that did not parse uses nothing)
//!   and the validation of `--renamed` (its messages would be about what could be read);
//! - **the renames** (`--renamed OLD=NEW`), validated against the stack's declarations before
//!   anything else, since a bad one is the command line's mistake, not the stack's;
//! - **the files the stack names** (`boot = file "…"`), read by the caller's [`Reader`] (the
//!   library does no IO).
//!
//! It returns one record, [`Analysis`]: the diagnostics, one checked model per workspace, and
//! the resolved references (every declared name and each use the checker's resolver resolved
//! to it, `check::references`), which go to definition, references, rename and hover read.

use crate::check::{self, references::References};
use crate::diag::{self, Code, Diagnostic};
use crate::model::{self, Name};
use crate::syntax::{self, ast::File};

/// Reads a file the stack names (`boot = file "PATH"`, PATH relative to the stack's
/// directory, never absolute and never through `..`), for the library, which does no IO: the
/// caller's part.
pub type Reader<'r> = &'r mut dyn FnMut(&str) -> check::boot::Found;

/// The stages of [`analyse`], reported as each one ends (for `--timings` and progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Parse,
    Check,
}

/// An analysed stack: every diagnostic; when there are no errors one checked model per
/// workspace, with the renames it was checked with; and every name with its resolved uses.
#[derive(Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub stacks: Vec<model::Stack>,
    /// `--renamed OLD=NEW`, validated: `(old, new)`.
    pub renames: Vec<(Name, Name)>,
    pub references: References,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether a diagnostic reports a bug in pmigc rather than in the stack.
    pub fn has_internal_error(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| check::error::INTERNAL_CODES.contains(&d.code))
    }

    /// The Terraform root of one workspace's model, with `moved` blocks for the renames.
    pub fn root(&self, stack: &model::Stack) -> crate::lower::Root {
        crate::lower::lower_renamed(stack, &self.renames)
    }
}

impl From<Analysis> for check::Checked {
    fn from(analysis: Analysis) -> check::Checked {
        check::Checked {
            stacks: analysis.stacks,
            diagnostics: analysis.diagnostics,
            references: analysis.references,
        }
    }
}

/// A reader for a text that is no file: every file it names is unread, saying so.
pub fn no_files(path: &str) -> check::boot::Found {
    check::boot::Found::unread(path, check::boot::NOT_GIVEN)
}

/// Analyses a stack's text. `renamed` are `OLD=NEW` pairs as typed on a command line: a bad
/// one is refused before anything else (`Err`, one message per problem). The files the stack
/// names are read by `reader`; `stage` is told as each stage ends.
pub fn analyse(
    text: &str,
    renamed: &[String],
    reader: Reader,
    mut stage: impl FnMut(Stage),
) -> Result<Analysis, Vec<String>> {
    let (file, syntax) = syntax::parse(text);
    stage(Stage::Parse);
    // With syntax errors the stack is refused anyway; its diagnostics say more than a rename
    // checked against what could be read.
    let renames = if syntax.iter().any(Diagnostic::is_error) {
        Vec::new()
    } else {
        check::renames(&file, renamed)?
    };
    let analysis = analyse_parsed(text, &file, syntax, renames, reader);
    stage(Stage::Check);
    Ok(analysis)
}

/// [`analyse`] of a text already parsed into `file` with the diagnostics `syntax` (what
/// `syntax::parse` returns for `text`, or the language server's incremental parse, which
/// returns the same), with `renames` already validated.
pub(crate) fn analyse_parsed(
    text: &str,
    file: &File,
    syntax: Vec<Diagnostic>,
    renames: Vec<(Name, Name)>,
    reader: Reader,
) -> Analysis {
    // Reading stopped at too many errors: the checker would judge a fraction of the file.
    let checked = if syntax::stopped_early(&syntax) {
        check::Checked::default()
    } else {
        let options = check::Options {
            renames: renames.clone(),
            files: check::boot::read(file, reader),
            ..check::Options::default()
        };
        check::check_with(file, text, &options)
    };
    let check::Checked {
        mut stacks,
        diagnostics: mut checked,
        references,
    } = checked;
    let mut diagnostics = syntax;
    if diagnostics.iter().any(Diagnostic::is_error) {
        stacks.clear();
        // A block that did not parse uses nothing, so "unused" would be noise.
        checked.retain(|d| d.code != Code::PMG0603);
    }
    diagnostics.append(&mut checked);
    Analysis {
        diagnostics: syntax::limit(diag::normalize(diagnostics)),
        stacks,
        renames,
        references,
    }
}
