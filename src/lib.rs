//! pmigc: a compiler from `.pmig` migration stacks to Terraform JSON.
//!
//! The pipeline is four calls, each a pure function of its input:
//! `syntax::parse` (text → AST with spans), `check::check` (AST → one checked
//! `model::Stack` per workspace, or diagnostics), `lower::lower` (model → a Terraform root whose
//! resource bodies are already printed) and `emit::write_main` (root → bytes, streamed). Only the
//! CLI (`cli`) touches files, the terminal or the clock.

// pest's generated parser names `alloc` when pest is built without `std`, which it is here:
// `std` adds a native stack probe to every rule call (a fifth of parse time), and the parser
// never recurses deeper than `syntax::split` allows.
extern crate alloc;

pub mod check;
pub mod diag;
pub mod emit;
pub mod lower;
pub mod model;
pub mod syntax;

/// Parses and checks a stack's source: every diagnostic, and a model per workspace when there
/// are no errors.
pub fn check_source(text: &str) -> check::Checked {
    let (file, diagnostics) = syntax::parse(text);
    combine(diagnostics, check::check(&file, text))
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
    checked.diagnostics = diag::normalize(diagnostics);
    checked
}
pub mod diff;
pub mod runbook;
pub mod synth;
