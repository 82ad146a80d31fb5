//! `pmigc man`: the manual page, pmigc(1), in roff, printed to stdout (`pmigc man | man -l -`;
//! or install it as `man1/pmigc.1`). It is generated from the clap definition with
//! clap_mangen: the page of `pmigc` itself, followed by a COMMANDS section in which each
//! subcommand has its description, synopsis and options, so one page documents every option.

use super::{Cli, Fatal};
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// The page, as roff text.
pub fn page() -> std::io::Result<Vec<u8>> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let man = clap_mangen::Man::new(cli.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub_man = clap_mangen::Man::new(sub.clone());
        let mut synopsis = Vec::new();
        sub_man.render_synopsis_section(&mut synopsis)?;
        let mut description = Vec::new();
        sub_man.render_description_section(&mut description)?;
        let mut options = Vec::new();
        sub_man.render_options_section(&mut options)?;
        // Each subcommand is a subsection: its usage line, what it does, then its options.
        writeln!(out, ".SS \"pmigc {}\"", sub.get_name())?;
        out.extend_from_slice(&body(&synopsis));
        out.extend_from_slice(b".PP\n");
        out.extend_from_slice(&body(&description));
        out.extend_from_slice(&body(&options));
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// A rendered section without its `.SH` heading line, and without the definition of the
/// `Aq` string that clap_mangen puts before every section (the page's title defines it once).
fn body(section: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(section.len());
    for line in section.split_inclusive(|&b| b == b'\n') {
        if !(line.starts_with(b".SH ")
            || line.starts_with(b".ie \\n(.g .ds Aq")
            || line.starts_with(b".el .ds Aq"))
        {
            out.extend_from_slice(line);
        }
    }
    out
}

pub fn print() -> Result<ExitCode, Fatal> {
    let page = page().map_err(|e| Fatal(format!("cannot render the manual page: {e}")))?;
    std::io::stdout()
        .lock()
        .write_all(&page)
        .map_err(|e| Fatal(format!("cannot write to stdout: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
