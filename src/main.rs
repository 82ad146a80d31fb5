//! The `pmigc` binary: parses the command line and hands over to `cli`.

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

fn main() -> std::process::ExitCode {
    pmigc::cli::main()
}
