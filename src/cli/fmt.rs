//! `pmigc fmt`: rewrites `.pmig` files in the canonical layout (`pmigc::fmt`).
//!
//! Files are rewritten through the IO contract (`fs::Edit`: read and written under their
//! directory's lock, replaced whole, their permissions kept, a symbolic link's target written
//! and the link kept) and only when their text changes. `--check` writes nothing: it names
//! the files that would change and exits 1 if there are any. `--stdin` formats standard input
//! to standard output. A file with syntax errors is left alone and its diagnostics printed
//! (exit 1); an unreadable file is exit 2.

use super::Fatal;
use super::fs::{self, Edit, shown};
use pmigc::diag::render::{self, Source};
use pmigc::fmt::FormatError;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(files: &[PathBuf], check: bool, stdin: bool) -> Result<ExitCode, Fatal> {
    if stdin {
        if !files.is_empty() {
            return Err(Fatal(
                "`--stdin` formats standard input: give no FILE".into(),
            ));
        }
        return from_stdin(check);
    }
    let files = if files.is_empty() {
        stacks()?
    } else {
        files.to_vec()
    };
    let mut failed = false;
    let mut changed = Vec::new();
    for path in &files {
        // Rewriting: the file is read and written under its directory's lock, so a `move`
        // of the same stack waits instead of losing its change or this one.
        let (edit, text) = if check {
            (None, super::input::read(path)?)
        } else {
            let (edit, bytes) = Edit::open(path, fs::STACK)?;
            (Some(edit), super::input::text(&shown(path), bytes)?)
        };
        let Some(formatted) = format(&path.display().to_string(), &text)? else {
            failed = true;
            continue;
        };
        if formatted == text {
            continue;
        }
        if let Some(edit) = edit {
            edit.replace(formatted.as_bytes())?;
        }
        changed.push(path);
    }
    let listed: String = changed
        .iter()
        .map(|path| format!("{}\n", path.display()))
        .collect();
    super::console::out(&listed)?;
    if check && !changed.is_empty() {
        let plural = if changed.len() == 1 { "" } else { "s" };
        super::console::err(&format!(
            "pmigc: {} file{plural} would be reformatted by `pmigc fmt`\n",
            changed.len()
        ))?;
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn from_stdin(check: bool) -> Result<ExitCode, Fatal> {
    let bytes = fs::read_stream(std::io::stdin().lock(), fs::STACK)
        .map_err(|e| Fatal(format!("cannot read standard input: {}", e.reason())))?;
    let text = super::input::text("<stdin>", bytes)?;
    let Some(formatted) = format("<stdin>", &text)? else {
        return Ok(ExitCode::from(1));
    };
    if check {
        if formatted == text {
            return Ok(ExitCode::SUCCESS);
        }
        super::console::out("<stdin>\n")?;
        return Ok(ExitCode::from(1));
    }
    super::console::out(&formatted)?;
    Ok(ExitCode::SUCCESS)
}

/// The formatted text, or `None` after printing the syntax errors that prevent it.
fn format(name: &str, text: &str) -> Result<Option<String>, Fatal> {
    match pmigc::fmt::format(text) {
        Ok(formatted) => Ok(Some(formatted)),
        Err(FormatError::Syntax(diagnostics)) => {
            let color = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let source = Source { name, text };
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(render::human(&source, &diagnostics, color).as_bytes());
            let _ = writeln!(stderr, "pmigc: `{name}` has syntax errors; not formatted");
            Ok(None)
        }
        Err(FormatError::Internal(why)) => Err(Fatal(format!(
            "internal error formatting `{name}`: {why}; the file is left as it is, please report"
        ))),
    }
}

/// Every `.pmig` file under `stacks/`, sorted.
fn stacks() -> Result<Vec<PathBuf>, Fatal> {
    let entries = fs::list(Path::new("stacks"))
        .map_err(|e| Fatal(format!("no FILE given and cannot read `stacks/`: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .map(|e| e.path)
        .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Fatal(
            "no FILE given and `stacks/` holds no .pmig file".into(),
        ));
    }
    Ok(files)
}
