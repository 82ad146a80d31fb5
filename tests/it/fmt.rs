//! `pmigc fmt` on the command line: `--check`, in-place and `--stdin`. What formatting does
//! to a text (the roots and diagnostics it keeps, idempotence, comments, mangled whitespace,
//! mutations) is tested beside the formatter (`src/fmt/properties.rs`).

use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn pmigc(args: &[&str], dir: &Path, stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmigc"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_command_checks_rewrites_and_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let payment = read(&root().join("stacks/payment.pmig"));
    let messy = payment
        .replace("cidr    = ", "cidr=")
        .replace("  zones", "\tzones");
    std::fs::write(dir.path().join("good.pmig"), &payment).unwrap();
    std::fs::write(dir.path().join("messy.pmig"), &messy).unwrap();
    let broken = "network n {\n  cidr = \"x\n}\n";
    std::fs::write(dir.path().join("broken.pmig"), broken).unwrap();

    // --check: a canonical file passes silently.
    let o = pmigc(&["fmt", "--check", "good.pmig"], dir.path(), None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");

    // --check: names the file that would change, exits 1, writes nothing.
    let o = pmigc(
        &["fmt", "--check", "good.pmig", "messy.pmig"],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "messy.pmig\n");
    assert!(stderr(&o).contains("1 file would be reformatted"));
    assert_eq!(read(&dir.path().join("messy.pmig")), messy);

    // In place: rewritten to the canonical text; nothing left beside it.
    let o = pmigc(&["fmt", "messy.pmig"], dir.path(), None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(&dir.path().join("messy.pmig")), payment);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");

    // Syntax errors: diagnostics, exit 1, the file untouched.
    let o = pmigc(&["fmt", "broken.pmig"], dir.path(), None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("PMG0103"), "{}", stderr(&o));
    assert_eq!(read(&dir.path().join("broken.pmig")), broken);

    // --stdin: formatted text on stdout.
    let o = pmigc(&["fmt", "--stdin"], dir.path(), Some(&messy));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), payment);
    let o = pmigc(&["fmt", "--stdin"], dir.path(), Some(broken));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");

    // A missing file is a usage problem.
    let o = pmigc(&["fmt", "missing.pmig"], dir.path(), None);
    assert_eq!(o.status.code(), Some(2));
}

/// What `.ci/run` runs: the repository's stacks are canonical.
#[test]
fn the_repository_stacks_pass_fmt_check() {
    let o = pmigc(&["fmt", "--check"], root(), None);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
