//! The test suite, one binary: each module was a test file of its own (`tests/cases.rs`, …) and
//! is named as it was, so `cargo test cases::` runs what `cargo test --test cases` ran. One
//! binary links once instead of two dozen times after a change to the library, and the header
//! below is written once instead of in every file.
//!
//! The golden cases of `tests/cases/` are one test each
//! (`cases::err::pmg0504_vpc_overlaps_onprem`, `cases::ok::minimal_service`): see [`cases`].

// What the library may not do on input it does not control (Cargo.toml's lints), a test may:
// a failed `unwrap` is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

// Helpers shared by the modules.
mod about;
mod cli_support;
mod common;
mod golden;
/// Generated stacks (test data; the benchmarks and `examples/synth_stack.rs` include this file too).
mod synth;

mod architecture;
mod boot;
mod cases;
mod catalogue;
mod cli;
mod cli_extra;
mod cutovers;
mod docs;
mod engines;
mod fixes;
mod fmt;
mod gates;
mod graph;
mod graph_cli;
mod injection;
mod io;
mod library;
mod lsp;
mod lsp_handlers;
mod migration;
mod plan;
mod robustness;
mod roots;
mod scale;
mod security;
mod seed;
mod silence;
mod sweep;
mod syntax;
mod verify;
mod writes;
