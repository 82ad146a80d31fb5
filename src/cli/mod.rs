//! The command line: the only code that reads files, writes files, looks at the terminal or
//! the environment. Exit codes: 0 clean, 1 the stack has errors, 2 usage or IO problems.

use clap::{Parser, Subcommand, ValueEnum};
use pmigc::diag::render::{self, Source};
use pmigc::diag::{Diagnostic, catalogue};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod output;
mod timings;

use output::Staging;
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
        /// The stack; defaults to the only `.pmig` file under `stacks/`.
        file: Option<PathBuf>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Check a stack and write one Terraform root per workspace: DIR/<workspace>/main.tf.json.
    Build {
        /// The stack; defaults to the only `.pmig` file under `stacks/`.
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
        /// The stack; defaults to the only `.pmig` file under `stacks/`.
        file: Option<PathBuf>,
        /// Only this workspace (default: every workspace).
        #[arg(long, short)]
        workspace: Option<String>,
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
        /// The stack; defaults to the only `.pmig` file under `stacks/`.
        file: Option<PathBuf>,
        /// A phase (`10%`) or a workspace name.
        #[arg(long)]
        from: String,
        /// A phase (`25%`) or a workspace name.
        #[arg(long)]
        to: String,
        /// For phases: only this workspace (default: every workspace).
        #[arg(long, short)]
        workspace: Option<String>,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Explain a diagnostic code, with an example of the mistake and its fix.
    Explain {
        /// A code such as PMG0504; without one, lists every code.
        code: Option<String>,
    },
}

/// A usage or IO problem: exit code 2.
struct Fatal(String);

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { file, diagnostics } => check(file, &diagnostics),
        Command::Build {
            file,
            workspace,
            out,
            renamed,
            diagnostics,
        } => build(file, &workspace, &out, &renamed, &diagnostics),
        Command::Phases {
            file,
            workspace,
            out,
            format,
            diagnostics,
        } => phases(file, workspace, &out, format, &diagnostics),
        Command::Diff {
            file,
            from,
            to,
            workspace,
            diagnostics,
        } => diff(file, &from, &to, workspace, &diagnostics),
        Command::Explain { code } => explain(code.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The stack file: the argument, or the only `.pmig` under `stacks/`.
fn stack_path(file: Option<PathBuf>) -> Result<PathBuf, Fatal> {
    if let Some(file) = file {
        return Ok(file);
    }
    let entries = std::fs::read_dir("stacks")
        .map_err(|e| Fatal(format!("no FILE given and cannot read `stacks/`: {e}")))?;
    let mut stacks: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
        .collect();
    stacks.sort();
    match stacks.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Fatal(
            "no FILE given and `stacks/` holds no .pmig file".into(),
        )),
        many => Err(Fatal(format!(
            "no FILE given and `stacks/` holds {} stacks ({}): name one",
            many.len(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn read(path: &Path) -> Result<String, Fatal> {
    let bytes =
        std::fs::read(path).map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        Fatal(format!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Prints diagnostics; returns whether they fail the run.
fn report(
    path: &Path,
    text: &str,
    diagnostics: &[Diagnostic],
    options: &DiagnosticOptions,
) -> bool {
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
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(render::human(&source, diagnostics, color).as_bytes());
            if !diagnostics.is_empty() {
                let _ = writeln!(stderr, "{}", summary(errors, warnings));
            }
        }
        MessageFormat::Short => print!("{}", render::short(&source, diagnostics)),
        MessageFormat::Json => print!("{}", render::json_lines(&source, diagnostics)),
    }
    errors > 0 || (warnings > 0 && options.deny.is_some())
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
    let (source, stacks) = match load(file, &[], options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    timings.report(None);
    if matches!(options.message_format, MessageFormat::Human) {
        let names: Vec<&str> = stacks.iter().map(|s| s.workspace.name.as_str()).collect();
        let plural = if names.len() == 1 { "" } else { "s" };
        eprintln!(
            "{source}: ok ({} workspace{plural}: {})",
            names.len(),
            names.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads and checks the stack, prints its diagnostics, and returns the compiled workspaces
/// named in `selected` (all when empty); `Err(1)` when the stack has errors.
fn load(
    file: Option<PathBuf>,
    selected: &[String],
    options: &DiagnosticOptions,
    timings: &mut Timings,
) -> Result<Result<(String, Vec<pmigc::model::Stack>), ExitCode>, Fatal> {
    let path = stack_path(file)?;
    let text = read(&path)?;
    timings.mark("read");
    let (ast, syntax) = pmigc::syntax::parse(&text);
    timings.mark("parse");
    let checked = pmigc::combine(syntax, pmigc::check::check(&ast, &text));
    timings.mark("check");
    if report(&path, &text, &checked.diagnostics, options) {
        timings.report(None);
        return Ok(Err(ExitCode::from(1)));
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
                path.display(),
                known.join(", ")
            )));
        }
    }
    let stacks = checked
        .stacks
        .into_iter()
        .filter(|s| selected.is_empty() || selected.iter().any(|n| n == s.workspace.name.as_str()))
        .collect();
    Ok(Ok((path.display().to_string(), stacks)))
}

fn phases(
    file: Option<PathBuf>,
    workspace: Option<String>,
    out: &Path,
    format: RunbookFormat,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let selected: Vec<String> = workspace.into_iter().collect();
    let mut timings = Timings::new(options.timings);
    let stacks = match load(file, &selected, options, &mut timings)? {
        Ok((_, stacks)) => stacks,
        Err(code) => return Ok(code),
    };
    for stack in &stacks {
        let root = out
            .join(stack.workspace.name.as_str())
            .display()
            .to_string();
        match format {
            RunbookFormat::Text => print!("{}", pmigc::runbook::text(stack, &root)),
            RunbookFormat::Json => println!("{}", pmigc::runbook::json(stack, &root)),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--renamed OLD=NEW` arguments, checked against the stack: NEW must be one of its blocks and
/// OLD must not be.
fn renames(
    stack: &pmigc::model::Stack,
    renamed: &[String],
) -> Result<Vec<(pmigc::model::Name, pmigc::model::Name)>, Fatal> {
    renamed
        .iter()
        .map(|pair| {
            let Some((old, new)) = pair.split_once('=') else {
                return Err(Fatal(format!(
                    "`--renamed {pair}`: write `--renamed OLD=NEW`"
                )));
            };
            let (old, new) = (
                pmigc::model::Name(old.trim().to_string()),
                pmigc::model::Name(new.trim().to_string()),
            );
            if !stack.declares(&new) {
                return Err(Fatal(format!(
                    "`--renamed {pair}`: the stack has no block named `{new}`"
                )));
            }
            if stack.declares(&old) {
                return Err(Fatal(format!(
                    "`--renamed {pair}`: the stack still has a block named `{old}`"
                )));
            }
            Ok((old, new))
        })
        .collect()
}

fn build(
    file: Option<PathBuf>,
    selected: &[String],
    out: &Path,
    renamed: &[String],
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let mut timings = Timings::new(options.timings);
    let (source, stacks) = match load(file, selected, options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let renames = stacks
        .iter()
        .map(|stack| renames(stack, renamed))
        .collect::<Result<Vec<_>, Fatal>>()?;
    // The workspaces are independent: each is lowered and written on its own thread.
    let built: Vec<Result<Workspace, Fatal>> = std::thread::scope(|scope| {
        let workers: Vec<_> = stacks
            .iter()
            .zip(&renames)
            .map(|(stack, renames)| {
                let (dir, source) = (out.join(stack.workspace.name.as_str()), &source);
                scope.spawn(move || build_workspace(stack, renames, &dir, source))
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Err(Fatal("internal error: a workspace's build panicked".into()))
                })
            })
            .collect()
    });
    timings.mark("workspaces");
    let mut staging = Staging::default();
    let mut resources = 0;
    for workspace in built {
        let workspace = workspace?;
        resources += workspace.resources;
        timings.workspace(workspace.name, workspace.stages);
        staging.extend(workspace.files);
    }
    staging.commit()?;
    timings.mark("write");
    timings.report(Some((resources, stacks.len())));
    for stack in &stacks {
        eprintln!(
            "wrote {}",
            out.join(stack.workspace.name.as_str())
                .join("main.tf.json")
                .display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One workspace's root, written beside its target files.
struct Workspace {
    name: String,
    resources: usize,
    files: Staging,
    stages: Vec<(&'static str, std::time::Duration)>,
}

/// Lowers one workspace and writes its files (main.tf.json streamed from the lowered root).
fn build_workspace(
    stack: &pmigc::model::Stack,
    renames: &[(pmigc::model::Name, pmigc::model::Name)],
    dir: &Path,
    source: &str,
) -> Result<Workspace, Fatal> {
    let start = std::time::Instant::now();
    let root = pmigc::lower::lower_renamed(stack, renames);
    let lowered = std::time::Instant::now();
    let mut files = Staging::default();
    files.write_text(
        dir.join("terraform.tf.json"),
        &pmigc::emit::render_settings(&root),
    )?;
    files.write(dir.join("main.tf.json"), |out| {
        pmigc::emit::write_main(&root, out)
    })?;
    files.write_text(
        dir.join("sourcemap.json"),
        &pmigc::emit::render_sources(&root, source),
    )?;
    for cutover in &stack.cutovers {
        for &weight in &cutover.phases {
            files.write_text(
                dir.join(pmigc::runbook::phase_file(weight)),
                &pmigc::runbook::phase_vars(cutover, weight),
            )?;
        }
    }
    Ok(Workspace {
        name: stack.workspace.name.to_string(),
        resources: root.resource_count(),
        files,
        stages: vec![("lower", lowered - start), ("emit", lowered.elapsed())],
    })
}

/// `10%` or `10` as a weight.
fn weight(text: &str) -> Option<u8> {
    text.trim()
        .trim_end_matches('%')
        .parse::<u8>()
        .ok()
        .filter(|w| *w <= 100)
}

fn diff(
    file: Option<PathBuf>,
    from: &str,
    to: &str,
    workspace: Option<String>,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let mut timings = Timings::new(options.timings);
    if let (Some(a), Some(b)) = (weight(from), weight(to)) {
        let selected: Vec<String> = workspace.into_iter().collect();
        let stacks = match load(file, &selected, options, &mut timings)? {
            Ok((_, stacks)) => stacks,
            Err(code) => return Ok(code),
        };
        for stack in &stacks {
            let root = pmigc::lower::lower(stack).value();
            for cutover in &stack.cutovers {
                let phases: Vec<u8> = cutover.phases.iter().map(|p| p.get()).collect();
                for w in [a, b] {
                    if !phases.contains(&w) {
                        let list: Vec<String> = phases.iter().map(|p| format!("{p}%")).collect();
                        return Err(Fatal(format!(
                            "{w}% is not a phase of cutover `{}` (phases: {})",
                            cutover.name,
                            list.join(", ")
                        )));
                    }
                }
                let changes = pmigc::diff::phases(&root, cutover.weight_input.as_str(), a, b);
                println!(
                    "Workspace `{}`, cutover `{}`: {a}% → {b}%",
                    stack.workspace.name, cutover.name
                );
                print!("{}", pmigc::diff::text(&changes));
                println!(
                    "{} resource{} change{}.\n",
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" },
                    if changes.len() == 1 { "s" } else { "" }
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let selected = vec![from.to_string(), to.to_string()];
    let stacks = match load(file, &selected, options, &mut timings)? {
        Ok((_, stacks)) => stacks,
        Err(code) => return Ok(code),
    };
    let root = |name: &str| {
        stacks
            .iter()
            .find(|s| s.workspace.name.as_str() == name)
            .map(|s| pmigc::lower::lower(s).value())
            .unwrap_or_default()
    };
    let changes = pmigc::diff::roots(&root(from), &root(to));
    println!("Workspace `{from}` → workspace `{to}`");
    print!("{}", pmigc::diff::text(&changes));
    println!(
        "{} block{} differ.",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}

fn explain(code: Option<&str>) -> Result<ExitCode, Fatal> {
    let Some(code) = code else {
        for entry in catalogue::entries() {
            println!("{}  {}", entry.code, entry.title);
        }
        return Ok(ExitCode::SUCCESS);
    };
    // `PMG0504`, `pmg0504`, `0504` and `504` all name the same code.
    let upper = code.trim().to_ascii_uppercase();
    let digits = upper.strip_prefix("PMG").unwrap_or(&upper);
    let wanted = format!("PMG{digits:0>4}");
    match catalogue::find(&wanted) {
        Some(entry) => {
            print!("{}", catalogue::page(&entry));
            Ok(ExitCode::SUCCESS)
        }
        None => Err(Fatal(format!(
            "no diagnostic code `{code}`; `pmigc explain` lists them all"
        ))),
    }
}
