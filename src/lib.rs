//! pmigc: a compiler from `.pmig` migration stacks to Terraform JSON.
//!
//! The library has no IO: [`analyse`] takes a stack's text and returns its diagnostics, one
//! checked model per workspace, each of which lowers to a Terraform root
//! ([`Analysis::root`]), and the names the checker resolved. The binary (`src/main.rs` and its
//! `cli` module, not part of this library) reads files, calls it and writes files; the
//! formatter ([`fmt`]) and an editor's language server call the same functions.
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

// The public façade (issue 26.6): the entry points below (`analyse`, `check_source`,
// `check_source_with`, `root_of`) and the modules the binary (`src/cli/`), the benchmarks or
// the test binary name. `#![deny(unreachable_pub)]` keeps everything else of a module
// `pub(crate)` at most; `architecture::the_public_facade_is_the_listed_one` keeps this list.

/// AWS facts: instance types, engine versions, names and regions.
pub mod aws;
/// Stack → checked model per workspace (`check::Checked`), and the rules' diagnostics.
pub mod check;
/// Every diagnostic code, registered once (`Code::PMG0504`), and the catalogue (`pmigc explain`).
pub mod codes;
/// Derived Terraform names and addresses; public only for the test binary, which checks the
/// registry of derived names against lowering (`tests/it/registry.rs`).
#[doc(hidden)]
pub mod derived;
/// Diagnostics: the plain `Diagnostic`, its renderers, the catalogue's pages.
pub mod diag;
/// Root → bytes: `main.tf.json` and `sourcemap.json`.
pub mod emit;
/// The database engines pmigc migrates and their Aurora counterparts.
pub mod engine;
/// The canonical layout of a stack (`pmigc fmt`).
pub mod fmt;
/// The migration drawn as DOT, Mermaid or SVG (`pmigc graph`; feature `graph`).
#[cfg(feature = "graph")]
pub mod graph;
/// Model → Terraform root (`lower::Root`).
pub mod lower;
/// The language server's answers (`pmigc lsp`; feature `lsp`).
#[cfg(feature = "lsp")]
pub mod lsp;
/// The checked model (`model::Stack`), made only by the checker.
pub mod model;
/// The migration plan and its model checker (`pmigc phases`, PMG0812/PMG0813).
pub mod plan;
/// The block registry (attributes, types, ranges, defaults); public only for the test binary,
/// which proves the registry is what the checker accepts and generates the reference's tables
/// from it (`tests/it/registry.rs`, `tests/it/docs.rs`, `tests/it/sweep.rs`).
#[doc(hidden)]
pub mod registry;
/// Spans and the line index.
pub mod source;
/// Text → syntax tree with spans.
pub mod syntax;
/// Checks written roots against how AWS behaves (`pmigc verify`).
pub mod verify;

mod analysis;
pub use analysis::{Analysis, Reader, Stage, analyse, no_files};

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
/// The cutover runbook (`pmigc phases`).
pub mod runbook;
/// Every command pmigc prints for a shell, quoted word by word.
pub mod shell;
