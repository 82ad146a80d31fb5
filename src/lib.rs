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
extern crate alloc;

// The generated stacks of the test binary (`tests/it/synth.rs`, which names the library
// `pmigc`), for the unit tests that parse large stacks; never compiled into the library.
#[cfg(test)]
extern crate self as pmigc;
#[cfg(test)]
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/synth.rs"]
mod synth;

pub mod aws;
pub mod check;
pub mod codes;
pub mod derived;
pub mod diag;
pub mod emit;
pub mod engine;
pub mod fmt;
#[cfg(feature = "graph")]
pub mod graph;
pub mod lower;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod plan;
pub mod registry;
pub mod source;
pub mod syntax;
pub mod verify;

pub mod analysis;
pub use analysis::{Analysis, Reader, Stage, analyse};

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

pub mod diff;
pub mod edit;
pub mod runbook;
pub mod shell;
