//! The `pmigc` binary: the command line (`cli`), the only code that touches files, the terminal
//! or the process. The compiler itself is the `pmigc` library, which does no IO.

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

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
