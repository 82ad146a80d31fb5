//! The command line: the only code that reads files, writes files, looks at the terminal or
//! the environment (a module of the binary; the `pmigc` library does no IO). Exit codes: 0
//! clean, 1 the stack has errors, 2 usage or IO problems. Everything printed goes through
//! `console`, which never panics.

use clap::{Parser, Subcommand, ValueEnum};
use pmigc::codes;
use pmigc::diag::render::{self, Source, escape_controls};
use pmigc::diag::{Diagnostic, catalogue};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod build;
mod commit;
mod completions;
mod console;
mod find;
mod fmt;
mod fs;
mod graph;
mod init;
mod input;
mod lsp;
mod man;
mod output;
mod paths;
mod phases;
mod progress;
mod timings;
mod verify;

use input::shown;
use timings::Timings;

#[derive(Parser)]
#[command(
    name = "pmigc",
    version,
    about = "Compiles .pmig migration stacks to Terraform JSON, one root module per workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DiagnosticOptions {
    /// How to print diagnostics: human (snippets, on stderr), short (one line each, on stdout)
    /// or json (one object per line, on stdout).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Colour in human diagnostics; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Treat warnings as errors (`--deny warnings`).
    #[arg(long, value_name = "warnings")]
    deny: Option<Deny>,
    /// Print the time of each stage and the resource count to stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum RunbookFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Subcommand)]
enum Command {
    /// Check a stack and print its diagnostics; writes nothing.
    Check {
        /// The stack; defaults to the only `.pmig` file in the current directory, else under
        /// `stacks/`.
        file: Option<PathBuf>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Check a stack and write one Terraform root per workspace: DIR/<workspace>/main.tf.json.
    Build {
        /// The stack; defaults to the only `.pmig` file in the current directory, else under
        /// `stacks/`.
        file: Option<PathBuf>,
        /// Build only this workspace (repeatable); default: every workspace.
        #[arg(long, short)]
        workspace: Vec<String>,
        /// Where to write the roots.
        #[arg(long, short, default_value = "out")]
        out: PathBuf,
        /// A block was renamed from OLD to NEW (repeatable): emit Terraform `moved` blocks so
        /// its resources are moved in the state, not destroyed and recreated.
        #[arg(long, value_name = "OLD=NEW")]
        renamed: Vec<String>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Print the cutover runbook: each phase, what to verify, the exact Terraform command, and
    /// the rollback.
    Phases {
        /// The stack; defaults to the only `.pmig` file in the current directory, else under
        /// `stacks/`.
        file: Option<PathBuf>,
        /// Only this workspace (default: every workspace).
        #[arg(long, short)]
        workspace: Option<String>,
        /// Only this cutover (default: every cutover).
        #[arg(long, short)]
        cutover: Option<String>,
        /// Where `build` writes the roots (used in the printed commands).
        #[arg(long, short, default_value = "out")]
        out: PathBuf,
        /// `text` for people, `json` for a pipeline.
        #[arg(long, value_enum, default_value_t = RunbookFormat::Text)]
        format: RunbookFormat,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Show which Terraform resources and attributes change between two phases (`--from 10%
    /// --to 25%`) or between two workspaces (`--from legacy-sync --to aws-production`).
    Diff {
        /// The stack; defaults to the only `.pmig` file in the current directory, else under
        /// `stacks/`.
        file: Option<PathBuf>,
        /// A phase (`10%`), a data cutover's state (`datacentre`, `both`, `aurora`) or a
        /// workspace name.
        #[arg(long)]
        from: String,
        /// A phase (`25%`), a data cutover's state or a workspace name.
        #[arg(long)]
        to: String,
        /// For phases: only this workspace (default: every workspace).
        #[arg(long, short)]
        workspace: Option<String>,
        /// For phases: only this cutover (default: every cutover both weights are phases of);
        /// for states: only this data cutover.
        #[arg(long, short)]
        cutover: Option<String>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Move one cutover of one workspace to another phase, or one data cutover to another
    /// state: rewrite that one value in the stack (nothing else moves), then `build` and
    /// `terraform apply` as `pmigc phases` shows.
    Move {
        /// The cutover (or data cutover) to move.
        cutover: String,
        /// The phase to move it to (`25%`), or the data cutover's state (`datacentre`, `both`,
        /// `aurora`).
        weight: String,
        /// The stack; defaults to the only `.pmig` file in the current directory, else under
        /// `stacks/`.
        file: Option<PathBuf>,
        /// The workspace whose weight changes (needed when the stack has several).
        #[arg(long, short)]
        workspace: Option<String>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Draw the migration of one workspace: the data centre, the VPN, AWS, replications and
    /// each cutover's weights at a phase.
    Graph {
        /// The stack; defaults to the only `.pmig` file in the current directory, else under
        /// `stacks/`.
        file: Option<PathBuf>,
        /// The workspace to draw (default: the first one declared).
        #[arg(long, short)]
        workspace: Option<String>,
        /// Draw every cutover at this phase (`25%`); default: the workspace's weight.
        #[arg(long)]
        phase: Option<String>,
        /// `svg` (drawn by pmigc), `mermaid` (for pull requests) or `dot` (for Graphviz).
        #[arg(long, value_enum, default_value_t = graph::Format::Svg)]
        format: graph::Format,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        out: Option<PathBuf>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Verify roots already written (edited by hand since, say) against how AWS behaves: every
    /// DIR/<workspace>/main.tf.json, with the intent its sourcemap.json carries. Findings are
    /// reported by rule id; exit 1 when there are any.
    Verify {
        /// The directory `build` wrote the roots into.
        #[arg(default_value = "out")]
        dir: PathBuf,
        /// `text` (on stderr) or `json` (one object per finding, on stdout).
        #[arg(long, value_enum, default_value_t = RunbookFormat::Text)]
        format: RunbookFormat,
        /// List the rules and what each proves, and exit.
        #[arg(long)]
        rules: bool,
    },
    /// Rewrite .pmig files in the canonical layout (default: every .pmig under `stacks/`).
    Fmt {
        /// The files to format.
        files: Vec<PathBuf>,
        /// Write nothing; name the files that would change and exit 1 if there are any.
        #[arg(long)]
        check: bool,
        /// Format standard input to standard output.
        #[arg(long)]
        stdin: bool,
    },
    /// Explain a diagnostic code, with an example of the mistake and its fix.
    Explain {
        /// A code such as PMG0504; without one, lists every code.
        code: Option<String>,
    },
    /// Write a commented starter stack to `stacks/NAME.pmig` (never over an existing file).
    Init {
        /// The stack's name: 1 to 20 lowercase letters, digits and single `-`, starting with a
        /// letter.
        #[arg(default_value = init::DEFAULT_NAME)]
        name: String,
        /// The database engine to migrate into.
        #[arg(long, value_enum, default_value_t = init::Engine::AuroraMysql)]
        engine: init::Engine,
    },
    /// Run the language server on stdin/stdout (for editors: diagnostics, fixes, hover,
    /// completion, navigation, rename, outline, formatting).
    Lsp,
    /// Print the shell completion script for SHELL to stdout.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page, pmigc(1), as roff to stdout (`pmigc man | man -l -`).
    Man,
}

/// A usage or IO problem: exit code 2.
struct Fatal(String);

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `--help`, `--version` or a usage error; clap's own printing ignores write errors.
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // Styled only for a terminal (and not with NO_COLOR), as clap itself would.
            let terminal = if e.use_stderr() {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            };
            let text = if terminal && std::env::var_os("NO_COLOR").is_none() {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let printed = if e.use_stderr() {
                console::err(&text)
            } else {
                console::out(&text)
            };
            return match printed {
                Ok(()) => ExitCode::from(code),
                Err(Fatal(message)) => {
                    console::fatal(&message);
                    ExitCode::from(2)
                }
            };
        }
    };
    let result = match cli.command {
        Command::Check { file, diagnostics } => check(file, &diagnostics),
        Command::Build {
            file,
            workspace,
            out,
            renamed,
            diagnostics,
        } => build::build(file, &workspace, &out, &renamed, &diagnostics),
        Command::Phases {
            file,
            workspace,
            cutover,
            out,
            format,
            diagnostics,
        } => phases::phases(file, workspace, cutover, &out, format, &diagnostics),
        Command::Diff {
            file,
            from,
            to,
            workspace,
            cutover,
            diagnostics,
        } => phases::diff(file, &from, &to, workspace, cutover, &diagnostics),
        Command::Move {
            cutover,
            weight,
            file,
            workspace,
            diagnostics,
        } => phases::move_cutover(file, &cutover, &weight, workspace, &diagnostics),
        Command::Graph {
            file,
            workspace,
            phase,
            format,
            out,
            diagnostics,
        } => graph::run(
            graph::Options {
                file,
                workspace,
                phase,
                format,
                out,
            },
            &diagnostics,
        ),
        Command::Fmt {
            files,
            check,
            stdin,
        } => fmt::run(&files, check, stdin),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Verify { dir, format, rules } => {
            if rules {
                verify::rules()
            } else {
                verify::run(&dir, matches!(format, RunbookFormat::Json))
            }
        }
        Command::Init { name, engine } => init::run(&name, engine),
        Command::Completions { shell } => completions::print(shell),
        Command::Man => man::print(),
        Command::Lsp => lsp::run(),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            console::fatal(&escape_controls(&message));
            ExitCode::from(2)
        }
    }
}

/// Prints diagnostics; returns whether they fail the run.
fn report(
    path: &Path,
    text: &str,
    diagnostics: &[Diagnostic],
    options: &DiagnosticOptions,
) -> Result<bool, Fatal> {
    let name = path.display().to_string();
    let source = Source { name: &name, text };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match options.message_format {
        MessageFormat::Human => {
            let color = match options.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stderr().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let mut text = render::human(&source, diagnostics, color);
            if !diagnostics.is_empty() {
                text.push_str(&summary(errors, warnings));
                text.push('\n');
            }
            console::err(&text)?;
        }
        MessageFormat::Short => console::out(&render::short(&source, diagnostics))?,
        MessageFormat::Json => console::out(&render::json_lines(&source, diagnostics))?,
    }
    Ok(errors > 0 || (warnings > 0 && options.deny.is_some()))
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, w) => format!("pmigc: {}", plural(w, "warning")),
        (e, 0) => format!("pmigc: {}", plural(e, "error")),
        (e, w) => format!("pmigc: {}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn check(file: Option<PathBuf>, options: &DiagnosticOptions) -> Result<ExitCode, Fatal> {
    let mut timings = Timings::new(options.timings);
    let loaded = match load(file, &[], &[], options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    timings.report(None)?;
    if matches!(options.message_format, MessageFormat::Human) {
        let names = &loaded.declared;
        let plural = if names.len() == 1 { "" } else { "s" };
        console::err(&format!(
            "{}: ok ({} workspace{plural}: {})\n",
            shown(&loaded.path),
            names.len(),
            escape_controls(&names.join(", "))
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A checked stack.
struct Loaded {
    /// The stack's file, as named.
    path: PathBuf,
    /// The compiled workspaces that were asked for.
    stacks: Vec<pmigc::Stack>,
    /// Every workspace the stack declares.
    declared: Vec<String>,
    /// `--renamed OLD=NEW`, validated.
    renames: Vec<(pmigc::Name, pmigc::Name)>,
    /// The stack's text.
    text: String,
}

/// Reads and checks the stack, prints its diagnostics, and returns the compiled workspaces
/// named in `selected` (all when empty); `Err(1)` when the stack has errors.
fn load(
    file: Option<PathBuf>,
    selected: &[String],
    renamed: &[String],
    options: &DiagnosticOptions,
    timings: &mut Timings,
) -> Result<Result<Loaded, ExitCode>, Fatal> {
    let path = find::stack(file)?;
    let text = input::read(&path)?;
    timings.mark("read");
    load_text(path, text, selected, renamed, options, timings)
}

/// `load` of a stack already read.
fn load_text(
    path: PathBuf,
    text: String,
    selected: &[String],
    renamed: &[String],
    options: &DiagnosticOptions,
    timings: &mut Timings,
) -> Result<Result<Loaded, ExitCode>, Fatal> {
    let mut reader = |file: &str| input::beside(&path, file);
    let checked = pmigc::analyse(&text, renamed, &mut reader, |stage| match stage {
        pmigc::Stage::Parse => timings.mark("parse"),
        pmigc::Stage::Check => timings.mark("check"),
    })
    .map_err(|problems| Fatal(problems.join("\nerror: ")))?;
    if report(&path, &text, &checked.diagnostics, options)? {
        timings.report(None)?;
        // A workspace that vanished without a reason is pmigc's bug, not the stack's.
        let internal = checked.has_internal_error();
        return Ok(Err(ExitCode::from(if internal { 2 } else { 1 })));
    }
    let known: Vec<&str> = checked
        .stacks
        .iter()
        .map(|s| s.workspace.name.as_str())
        .collect();
    for name in selected {
        if !known.contains(&name.as_str()) {
            let hint = pmigc::diag::did_you_mean(name, known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(Fatal(format!(
                "unknown workspace `{name}`{hint}; `{}` declares: {}",
                shown(&path),
                known.join(", ")
            )));
        }
    }
    let declared = known.iter().map(|s| s.to_string()).collect();
    let stacks = checked
        .stacks
        .into_iter()
        .filter(|s| selected.is_empty() || selected.iter().any(|n| n == s.workspace.name.as_str()))
        .collect();
    Ok(Ok(Loaded {
        path,
        stacks,
        declared,
        renames: checked.renames,
        text,
    }))
}

fn explain(code: Option<&str>) -> Result<ExitCode, Fatal> {
    let Some(code) = code else {
        let list: String = codes::entries()
            .iter()
            .map(|entry| format!("{}  {}\n", entry.code, entry.title))
            .collect();
        console::out(&list)?;
        return Ok(ExitCode::SUCCESS);
    };
    // `PMG0504`, `pmg0504`, `0504` and `504` all name the same code.
    let upper = code.trim().to_ascii_uppercase();
    let digits = upper.strip_prefix("PMG").unwrap_or(&upper);
    let wanted = format!("PMG{digits:0>4}");
    match codes::find(&wanted) {
        Some(entry) => {
            console::out(&catalogue::page(&entry))?;
            Ok(ExitCode::SUCCESS)
        }
        None => Err(Fatal(format!(
            "no diagnostic code `{code}`; `pmigc explain` lists them all"
        ))),
    }
}
