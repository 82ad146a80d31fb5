//! The `pmigc` binary: parses the command line and hands over to `cli`.

fn main() -> std::process::ExitCode {
    pmigc::cli::main()
}
