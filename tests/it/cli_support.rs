//! Running the `pmigc` binary from the integration tests, one way for all of them: colour off
//! (`NO_COLOR`), no test-only abort point inherited, the repository's files at hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, ready for arguments.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pmigc"));
    command.env("NO_COLOR", "1").env_remove("PMIGC_TEST_ABORT");
    command
}

/// `pmigc ARGS` run in `dir`, to completion.
pub fn pmigc(args: &[&str], dir: &Path) -> Output {
    pmigc_env(args, dir, &[])
}

/// `pmigc ARGS` run in `dir` with extra environment variables.
pub fn pmigc_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    command()
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("pmigc runs")
}

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The reference stack's text.
pub fn payment() -> String {
    std::fs::read_to_string(repo().join("stacks/payment.pmig")).expect("payment stack")
}
