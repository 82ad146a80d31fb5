//! `pmigc graph`: checks the stack like `build`, builds the picture of one workspace
//! (`pmigc::graph`) at the workspace's weight or at `--phase`, and writes it as SVG, Mermaid or
//! DOT to stdout or to `--out FILE`. The file is written whole or not at all: the picture is
//! made first, then written to a temporary file beside FILE and renamed over it.

use super::{DiagnosticOptions, Fatal, console, input::shown, load, timings::Timings};
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// A picture pmigc lays out and draws itself.
    Svg,
    /// A Mermaid flowchart (renders in pull-request descriptions).
    Mermaid,
    /// Graphviz DOT (`dot -Tpng`).
    Dot,
}

pub struct Options {
    pub file: Option<PathBuf>,
    pub workspace: Option<String>,
    pub phase: Option<String>,
    pub format: Format,
    pub out: Option<PathBuf>,
}

pub fn run(options: Options, diagnostics: &DiagnosticOptions) -> Result<ExitCode, Fatal> {
    let phase = match &options.phase {
        None => None,
        Some(text) => Some(pmigc::model::Percent::parse(text).ok_or_else(|| {
            Fatal(format!(
                "--phase `{text}` is not a percentage; write one of the cutover's phases, e.g. `--phase 25%`"
            ))
        })?),
    };
    let selected: Vec<String> = options.workspace.iter().cloned().collect();
    let mut timings = Timings::new(diagnostics.timings);
    let loaded = match load(options.file, &selected, &[], diagnostics, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let Some(stack) = loaded.stacks.first() else {
        return Err(Fatal(format!(
            "`{}` declares no workspace to draw",
            shown(&loaded.path)
        )));
    };
    if options.workspace.is_none() && loaded.declared.len() > 1 {
        console::err(&format!(
            "drawing workspace `{}` (the first of {}); `--workspace NAME` draws another\n",
            stack.workspace.name,
            loaded.declared.join(", ")
        ))?;
    }
    let graph = pmigc::graph::build(stack, phase).map_err(|e| Fatal(e.to_string()))?;
    let text = match options.format {
        Format::Svg => pmigc::graph::svg::write(&graph).map_err(|e| Fatal(e.to_string()))?,
        Format::Mermaid => pmigc::graph::mermaid::write(&graph),
        Format::Dot => pmigc::graph::dot::write(&graph),
    };
    match &options.out {
        None => console::out(&text)?,
        Some(path) => write_whole(path, &text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to `path` through a temporary file in the same directory, renamed into place.
fn write_whole(path: &Path, text: &str) -> Result<(), Fatal> {
    let fail = |e: std::io::Error| Fatal(format!("cannot write `{}`: {e}", path.display()));
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(Fatal(format!(
            "cannot write `{}`: it is a directory",
            path.display()
        )));
    }
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
