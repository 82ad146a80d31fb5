//! pmigc: a compiler from `.pmig` migration stacks to Terraform JSON.
//!
//! The library has no IO: [`analyse`] takes a stack's text and returns its diagnostics, one
//! checked model per workspace, each of which lowers to a Terraform root
//! ([`Analysis::root`]), and the names the checker resolved. The binary (`src/main.rs` and its
//! `cli` module, not part of this library) reads files, calls it and writes files; the
//! formatter ([`fmt`]) and an editor's language server call the same functions.
//!
//! The pipeline inside is four pure steps, private to the library: `syntax::parse` (text → AST
//! with spans), `check::check_with` (AST → one checked [`Stack`] per workspace, or
//! diagnostics), `lower::lower` (model → a Terraform [`Root`] whose resource bodies are already
//! printed) and [`emit::write_main`] (root → bytes, streamed). A user calls the entry points
//! ([`analyse`], [`check_source`], [`check_source_with`], [`root_of`]) and the command modules
//! ([`plan`], [`runbook`], [`diff`], [`edit`], [`verify`], [`emit`], [`fmt`], `graph`, `lsp`);
//! the reference data ([`reference`]: the block registry and the AWS and engine facts;
//! [`codes`]: every diagnostic) is read-only.

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
#![deny(unreachable_pub)]

extern crate alloc;

// The generated stacks of the test binary (`tests/it/synth.rs`, which names the library
// `pmigc`), for the unit tests that parse large stacks; never compiled into the library.
#[cfg(test)]
extern crate self as pmigc;
#[cfg(test)]
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/synth.rs"]
mod synth;
// The test binary's helpers (reading a stack's files beside it, the golden cases), for the
// unit tests that were moved beside the code they test because they use its insides.
#[cfg(test)]
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/common.rs"]
mod common;
#[cfg(test)]
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/golden.rs"]
mod golden;

// The public façade (issue 26.6): the entry points below (`analyse`, `check_source`,
// `check_source_with`, `root_of`), the types their signatures name (re-exported here), the
// command modules and the read-only reference data. The pipeline's modules are private: what
// of them is `pub` is reachable only through the re-exports and signatures, and
// `#![deny(unreachable_pub)]` keeps everything else `pub(crate)` at most;
// `architecture::the_public_facade_is_the_listed_one` keeps this list.

// AWS facts: instance types, engine versions, names and regions.
mod aws;
// Stack → checked model per workspace (`check::Checked`), and the rules' diagnostics.
mod check;
/// Every diagnostic code, registered once (`Code::PMG0504`), and the catalogue (`pmigc explain`).
pub mod codes;
// Every Terraform address and AWS name a stack derives, with the rule each name follows
// (`docs/names.md` is generated from it by `registry`'s unit tests).
mod derived;
/// Diagnostics: the plain `Diagnostic`, its renderers, the catalogue's pages.
pub mod diag;
/// Root → bytes: `main.tf.json` and `sourcemap.json`.
pub mod emit;
// The database engines pmigc migrates and their Aurora counterparts.
mod engine;
/// The canonical layout of a stack (`pmigc fmt`).
pub mod fmt;
/// The migration drawn as DOT, Mermaid or SVG (`pmigc graph`; feature `graph`).
#[cfg(feature = "graph")]
pub mod graph;
// Model → Terraform root (`lower::Root`).
mod lower;
/// The language server's answers (`pmigc lsp`; feature `lsp`).
#[cfg(feature = "lsp")]
pub mod lsp;
// The checked model (`model::Stack`), made only by the checker.
mod model;
/// The migration plan and its model checker (`pmigc phases`, PMG0812/PMG0813).
pub mod plan;
// The block registry: every block kind and its attributes, and the typed keys the checker reads
// attributes through; its read-only part is public as `reference`.
mod registry;
// Spans and the line index.
mod source;
// Text → syntax tree with spans.
mod syntax;
/// Checks written roots against how AWS behaves (`pmigc verify`).
pub mod verify;

mod analysis;
pub use analysis::{Analysis, Reader, Stage, analyse, no_files};

// The types the entry points and the command modules take or return, named at the root; the
// modules that define them (`syntax`, `check`, `model`, `lower`, `aws`, `engine`, `source`) are
// the pipeline's inside and private.

/// What [`check_source`] returns: every diagnostic, one checked model per workspace when there
/// are no errors, and the resolved references.
pub use check::Checked;
/// The most bytes of a file a stack names that pmigc reads (AWS's user-data limit).
pub use check::files::USER_DATA_LIMIT;
/// A file a stack names (`boot = file "PATH"`), as a [`Reader`] found it.
pub use check::files::{FileRead, Found};
/// A Terraform root, one per workspace ([`root_of`]), which [`emit`] prints.
pub use lower::Root;
/// A name the checker accepted (a block's, a workspace's).
pub use model::Name;
/// Where in the stack's text a part of the model was written.
pub use model::Origin;
/// A cutover's weight, 0–100 (a phase of `pmigc phases`, `pmigc graph --phase`).
pub use model::Percent;
/// One workspace's checked model, made only by the checker.
pub use model::Stack;
/// Who writes a database during a data cutover (`pmigc move`, `pmigc diff`).
pub use model::Writer;
/// A byte range of a stack's text (a diagnostic's label points at one).
pub use source::Span;
/// Line and column of a byte offset in a text.
pub use source::line_index::LineIndex;

/// Parses and checks a stack's source ([`analyse`], no renames, no files beside it): every
/// diagnostic, a model per workspace when there are no errors, and the resolved references.
pub fn check_source(text: &str) -> check::Checked {
    check_source_with(text, &mut analysis::no_files)
}

/// [`check_source`], with the files the stack names read by `reader`.
pub fn check_source_with(text: &str, reader: Reader) -> check::Checked {
    let (file, syntax) = syntax::parse(text);
    analysis::analyse_parsed(text, &file, syntax, Vec::new(), reader).into()
}

/// The Terraform root of one workspace's model (with `moved` blocks for `renames`), or, when
/// lowering claimed an address twice, the internal errors (PMG0003) that say which blocks did:
/// such a root is never written.
pub fn root_of(
    stack: &model::Stack,
    renames: &[(model::Name, model::Name)],
) -> Result<lower::Root, Vec<diag::Diagnostic>> {
    let root = lower::lower_renamed(stack, renames);
    if root.conflicts().is_empty() {
        return Ok(root);
    }
    let span = |o: model::Origin| diag::at(source::Span::new(o.start, o.end));
    Err(root
        .conflicts()
        .iter()
        .map(|c| {
            diag::Diagnostic::from_report(&check::internal::AddressClaimedTwice {
                workspace: stack.workspace.name.to_string(),
                address: c.address.clone(),
                at: span(c.second),
                first: span(c.first),
            })
        })
        .collect())
}

/// What changes between two phases or two workspaces (`pmigc diff`).
pub mod diff;
/// One edit of a stack's text (`pmigc move`, renames).
pub mod edit;
/// Reference data, read-only: the block registry's entries, and the AWS regions, instance
/// classes and engines a stack is written against (`pmigc init`).
pub mod reference;
/// The cutover runbook (`pmigc phases`).
pub mod runbook;
/// Every command pmigc prints for a shell, quoted word by word.
pub mod shell;
