//! pmigc: a compiler from `.pmig` migration stacks to Terraform JSON.
//!
//! The library has no IO: [`compile`] takes a stack's text and returns its diagnostics and
//! one checked model per workspace, each of which lowers to a Terraform root
//! ([`Compilation::root`]). The binary (`src/main.rs` and its `cli` module, not part of this
//! library) reads files, calls it and writes files; the formatter ([`fmt`]) and an editor's
//! language server call the same functions.
//!
//! The pipeline inside is four pure steps: `syntax::parse` (text → AST with spans),
//! `check::check_with` (AST → one checked `model::Stack` per workspace, or diagnostics),
//! `lower::lower` (model → a Terraform root whose resource bodies are already printed) and
//! `emit::write_main` (root → bytes, streamed).

// Unit tests may unwrap and index: what they feed the code is their own.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

// pest's generated parser names `alloc` when pest is built without `std`, which it is here:
// `std` adds a native stack probe to every rule call (a fifth of parse time), and the parser
// never recurses deeper than `syntax::split` allows.
extern crate alloc;

pub mod aws;
pub mod check;
pub mod diag;
pub mod emit;
pub mod engine;
pub mod fmt;
pub mod graph;
pub mod lower;
pub mod lsp;
pub mod model;
pub mod registry;
pub mod syntax;
pub mod verify;

/// Parses and checks a stack's source: every diagnostic, and a model per workspace when there
/// are no errors.
pub fn check_source(text: &str) -> check::Checked {
    let (file, diagnostics) = syntax::parse(text);
    combine(diagnostics, check::check(&file, text))
}

/// Reads a file the stack names (`boot = file "PATH"`, PATH relative to the stack's
/// directory, never absolute and never through `..`), for the library, which does no IO: the
/// caller's part.
pub type Reader<'r> = &'r mut dyn FnMut(&str) -> check::boot::Found;

/// [`check_source`], with the files the stack names read by `reader`.
pub fn check_source_with(text: &str, reader: Reader) -> check::Checked {
    let (file, diagnostics) = syntax::parse(text);
    let options = check::Options {
        files: check::boot::read(&file, reader),
        ..check::Options::default()
    };
    combine(diagnostics, check::check_with(&file, text, &options))
}

/// The stages of [`compile`], reported as each one ends (for `--timings` and progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Parse,
    Check,
}

/// A compiled stack: every diagnostic, and when there are no errors one checked model per
/// workspace, with the renames it was compiled with.
#[derive(Debug)]
pub struct Compilation {
    pub diagnostics: Vec<diag::Diagnostic>,
    pub stacks: Vec<model::Stack>,
    /// `--renamed OLD=NEW`, validated: `(old, new)`.
    pub renames: Vec<(model::Name, model::Name)>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(diag::Diagnostic::is_error)
    }

    /// Whether a diagnostic reports a bug in pmigc rather than in the stack.
    pub fn has_internal_error(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| check::error::INTERNAL_CODES.contains(&d.code.as_str()))
    }

    /// The Terraform root of one workspace's model, with `moved` blocks for the renames.
    pub fn root(&self, stack: &model::Stack) -> lower::Root {
        lower::lower_renamed(stack, &self.renames)
    }
}

/// Compiles a stack's text. `renamed` are `OLD=NEW` pairs as typed on a command line: a bad
/// one is refused before anything else (`Err`, one message per problem), since it is not the
/// stack's mistake. `stage` is told as each stage ends.
pub fn compile(
    text: &str,
    renamed: &[String],
    stage: impl FnMut(Stage),
) -> Result<Compilation, Vec<String>> {
    compile_with(
        text,
        renamed,
        &mut |path| check::boot::Found::unread(path, check::boot::NOT_GIVEN),
        stage,
    )
}

/// [`compile`], with the files the stack names read by `reader` (the CLI reads them relative
/// to the stack's directory, at most `check::boot::USER_DATA_LIMIT` + 1 bytes each).
pub fn compile_with(
    text: &str,
    renamed: &[String],
    reader: Reader,
    mut stage: impl FnMut(Stage),
) -> Result<Compilation, Vec<String>> {
    let (file, syntax) = syntax::parse(text);
    stage(Stage::Parse);
    // With syntax errors the stack is refused anyway; its diagnostics say more than a rename
    // checked against what could be read.
    let renames = if syntax.iter().any(diag::Diagnostic::is_error) {
        Vec::new()
    } else {
        check::renames(&file, renamed)?
    };
    let options = check::Options {
        renames: renames.clone(),
        files: check::boot::read(&file, reader),
    };
    // Reading stopped at too many errors: the checker would judge a fraction of the file.
    let checked = if syntax::stopped_early(&syntax) {
        combine(syntax, check::Checked::default())
    } else {
        combine(syntax, check::check_with(&file, text, &options))
    };
    stage(Stage::Check);
    Ok(Compilation {
        diagnostics: checked.diagnostics,
        stacks: checked.stacks,
        renames,
    })
}

/// Joins the syntax diagnostics of a file with the result of checking its AST.
pub fn combine(
    mut diagnostics: Vec<diag::Diagnostic>,
    mut checked: check::Checked,
) -> check::Checked {
    if diagnostics.iter().any(diag::Diagnostic::is_error) {
        checked.stacks.clear();
        // A block that did not parse uses nothing, so "unused" would be noise.
        checked.diagnostics.retain(|d| d.code != "PMG0603");
    }
    diagnostics.append(&mut checked.diagnostics);
    checked.diagnostics = syntax::limit(diag::normalize(diagnostics));
    checked
}
pub mod diff;
pub mod edit;
pub mod runbook;
pub mod synth;
