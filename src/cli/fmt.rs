//! `pmigc fmt`: rewrites `.pmig` files in the canonical layout (`pmigc::fmt`).
//!
//! Files are replaced atomically (a temporary file beside them, renamed over them, keeping
//! their permissions) and only when their text changes. `--check` writes nothing: it names
//! the files that would change and exits 1 if there are any. `--stdin` formats standard input
//! to standard output. A file with syntax errors is left alone and its diagnostics printed
//! (exit 1); an unreadable file is exit 2.

use super::Fatal;
use pmigc::diag::render::{self, Source};
use pmigc::fmt::FormatError;
use std::io::{IsTerminal, Read, Write};
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
        let text = super::input::read(path)?;
        let Some(formatted) = format(&path.display().to_string(), &text)? else {
            failed = true;
            continue;
        };
        if formatted == text {
            continue;
        }
        if !check {
            replace(path, &formatted)?;
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
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| super::input::not_utf8("<stdin>", &e))?;
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
    let entries = std::fs::read_dir("stacks")
        .map_err(|e| Fatal(format!("no FILE given and cannot read `stacks/`: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
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

/// Replaces `path` with `text`: a temporary file beside it, with its permissions, renamed
/// over it.
pub(super) fn replace(path: &Path, text: &str) -> Result<(), Fatal> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Fatal(format!("cannot write `{}`: {e}", path.display()));
    let mut temp = tempfile::Builder::new()
        .prefix(".pmigc-fmt")
        .tempfile_in(dir)
        .map_err(fail)?;
    temp.write_all(text.as_bytes()).map_err(fail)?;
    if let Ok(meta) = std::fs::metadata(path) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(fail)?;
    }
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
