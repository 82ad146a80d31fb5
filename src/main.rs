//! The `pmigc` binary: the command line (`cli`), the only code that touches files, the terminal
//! or the process. The compiler itself is the `pmigc` library, which does no IO.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
