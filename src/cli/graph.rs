//! `pmigc graph`: checks the stack like `build`, builds the picture of one workspace
//! (`pmigc::graph`) at the workspace's weight or at `--phase`, and writes it as SVG, Mermaid or
//! DOT to stdout or to `--out FILE`. The file is written through the IO contract (`fs::write`):
//! whole or not at all, with the permissions the umask gives a new file (or those of the file
//! it replaces), and never over a link, a FIFO, a device or a directory.

use super::{DiagnosticOptions, Fatal, console, input::shown, load, timings::Timings};
use clap::ValueEnum;
use std::path::PathBuf;
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
        Some(text) => Some(pmigc::graph::phase(text).map_err(|e| Fatal(e.to_string()))?),
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
        Some(path) => super::fs::write(
            path,
            text.as_bytes(),
            super::fs::Existing::Replace,
            super::fs::Durable::Disk,
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
