//! `pmigc completions SHELL`: the shell completion script (clap_complete), generated from the
//! same clap definition the commands are parsed with, printed to stdout. Install it as the
//! shell expects, e.g. `pmigc completions bash > ~/.local/share/bash-completion/completions/pmigc`.

use super::{Cli, Fatal};
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// The script for `shell`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pmigc", &mut out);
    out
}

pub fn print(shell: clap_complete::Shell) -> Result<ExitCode, Fatal> {
    std::io::stdout()
        .lock()
        .write_all(&script(shell))
        .map_err(|e| Fatal(format!("cannot write to stdout: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
