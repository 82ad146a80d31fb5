//! pmigc: a compiler from `.pmig` migration stacks to Terraform JSON.
//!
//! The pipeline is four calls, each a pure function of its input:
//! `syntax::parse` (text → AST with spans), `check::check` (AST → one checked
//! `model::Stack` per workspace, or diagnostics), `lower::lower` (model → Terraform JSON tree)
//! and `emit::render` (tree → bytes). Only the CLI (`cli`) touches files, the terminal or the clock.

pub mod emit;
pub mod lower;
pub mod model;
