//! `pmigc build`: lowers each workspace on its own thread, stages its files in the output
//! directory's stage (`output`), and commits the whole build at once.

use super::input::shown;
use super::output::{OutDir, write_staged};
use super::timings::Timings;
use super::{DiagnosticOptions, Fatal, console, load};
use pmigc::{Name, Stack};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

/// The path from directory `from` to `to`, both absolute, `/`-separated.
fn relative(from: &Path, to: &Path) -> String {
    let (from, to): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = from.len().saturating_sub(common);
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(
        to.iter()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The stack's path as `sourcemap.json` records it: relative to the workspace's directory
/// (where `sourcemap.json` lies), so the same however the stack was named on the command line
/// and wherever the two lie, as long as they stay put relative to each other.
fn source_from(root: &Path, workspace: &str, stack: &Path) -> String {
    match (super::fs::canonical(root), super::fs::canonical(stack)) {
        (Ok(root), Ok(stack)) => relative(&root.join(workspace), &stack),
        _ => stack.display().to_string(),
    }
}

pub fn build(
    file: Option<PathBuf>,
    selected: &[String],
    out: &Path,
    renamed: &[String],
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let progress = super::progress::Progress::for_build(matches!(
        options.message_format,
        super::MessageFormat::Json
    ));
    let shown_progress = progress.handle();
    shown_progress.stage("reading");
    let mut timings = Timings::new(options.timings).with_progress(progress.handle());
    let loaded = match load(file, selected, renamed, options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let stacks = &loaded.stacks;
    let renames = &loaded.renames;
    shown_progress.workspaces(stacks.len());
    let dir = OutDir::open(out)?;
    timings.mark("lock");
    let stage = dir.stage();
    // The workspaces are independent: each is lowered and staged on its own thread.
    let built: Vec<Result<Result<Workspace, Vec<pmigc::diag::Diagnostic>>, Fatal>> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = stacks
                .iter()
                .map(|stack| {
                    let name = stack.workspace.name.as_str();
                    let source = source_from(dir.root(), name, &loaded.path);
                    let stage = &stage;
                    let shown_progress = &shown_progress;
                    scope.spawn(move || {
                        let built = build_workspace(stack, renames, stage, &source);
                        shown_progress.workspace_done();
                        built
                    })
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
    let mut produced = Vec::new();
    let mut resources = 0;
    let mut findings = Vec::new();
    let mut facts = Vec::new();
    let mut internal = Vec::new();
    let mut workspaces = Vec::new();
    for workspace in built {
        match workspace? {
            Ok(workspace) => workspaces.push(workspace),
            Err(mut diagnostics) => internal.append(&mut diagnostics),
        }
    }
    // A root that claims an address twice is pmigc's bug: reported, and nothing committed.
    if !internal.is_empty() {
        super::report(&loaded.path, &loaded.text, &internal, options)?;
        return Ok(ExitCode::from(2));
    }
    for (i, workspace) in workspaces.into_iter().enumerate() {
        resources += workspace.resources;
        timings.workspace(workspace.name, workspace.stages);
        produced.extend(workspace.files);
        findings.extend(workspace.findings.into_iter().map(|f| (i, f)));
        facts.push(workspace.facts);
    }
    // Each root was verified as written, on its thread; what AWS allows once per account is
    // verified across them. A finding on a stack the checker accepted is pmigc's bug,
    // reported at the block it came from; nothing is written.
    findings.extend(pmigc::verify::check_accounts(&facts));
    timings.mark("verify");
    if !findings.is_empty() {
        let diagnostics: Vec<pmigc::diag::Diagnostic> = findings
            .iter()
            .filter_map(|(i, f)| {
                let name = &facts.get(*i)?.name;
                // Where each address came from: the staged source map, read only now.
                let sourcemap = super::fs::read(
                    &stage.join(name).join("sourcemap.json"),
                    super::fs::ROOT,
                    super::fs::Links::Refuse,
                )
                .unwrap_or_default();
                let origins = pmigc::verify::Origins::read(&sourcemap);
                Some(pmigc::verify::internal_diagnostic(name, &origins, f))
            })
            .collect();
        super::report(&loaded.path, &loaded.text, &diagnostics, options)?;
        return Ok(ExitCode::from(2));
    }
    let declared: Vec<&str> = loaded.declared.iter().map(String::as_str).collect();
    dir.commit(&produced, &declared)?;
    timings.mark("commit");
    progress.finish();
    timings.report(Some((resources, stacks.len())))?;
    let mut wrote = String::new();
    for stack in stacks {
        let main = out.join(stack.workspace.name.as_str()).join("main.tf.json");
        let _ = writeln!(wrote, "wrote {}", shown(&main));
    }
    console::err(&wrote)?;
    Ok(ExitCode::SUCCESS)
}

/// One workspace's root, staged and verified.
struct Workspace {
    name: String,
    resources: usize,
    /// The staged files, relative to the output directory.
    files: Vec<String>,
    /// What the verifier found in the root as written.
    findings: Vec<pmigc::verify::Finding>,
    /// What the rules across roots read of it.
    facts: pmigc::verify::Facts,
    stages: Vec<(&'static str, std::time::Duration)>,
}

/// Lowers one workspace, stages its files (main.tf.json streamed from the lowered root), and
/// verifies the root as written: its bytes are read back once the lowered root is gone, and
/// dropped once verified, so a build holds one copy of a root at a time. A root that claims
/// an address twice is never written: its internal errors are returned instead.
fn build_workspace(
    stack: &Stack,
    renames: &[(Name, Name)],
    stage: &Path,
    source: &str,
) -> Result<Result<Workspace, Vec<pmigc::diag::Diagnostic>>, Fatal> {
    let start = std::time::Instant::now();
    let root = match pmigc::root_of(stack, renames) {
        Ok(root) => root,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let lowered = std::time::Instant::now();
    let name = stack.workspace.name.as_str();
    let mut files = Vec::new();
    let mut stage_text = |rel: String, text: &str| -> Result<(), Fatal> {
        write_staged(&stage.join(&rel), |out| out.write_all(text.as_bytes()))?;
        files.push(rel);
        Ok(())
    };
    stage_text(
        format!("{name}/terraform.tf.json"),
        &pmigc::emit::render_settings(&root),
    )?;
    // The intent the source map carries is the one verified (not read back: the verifier
    // reads the intent of `sourcemap.json` the same way, tests/it/verify.rs).
    let intent = pmigc::verify::intent::of(stack);
    let sources = pmigc::emit::render_sources_with(&root, source, Some(&intent));
    stage_text(format!("{name}/sourcemap.json"), &sources)?;
    drop(sources);
    let main = format!("{name}/main.tf.json");
    write_staged(&stage.join(&main), |out| {
        pmigc::emit::write_main(&root, out)
    })?;
    let resources = root.resource_count();
    drop(root);
    let emitted = std::time::Instant::now();
    let written = super::fs::read(
        &stage.join(&main),
        super::fs::ROOT,
        super::fs::Links::Refuse,
    )
    .map_err(|e| Fatal(format!("cannot read back `{main}`: {}", e.reason())))?;
    let read = pmigc::verify::Workspace::read(name, &written, intent);
    let findings = pmigc::verify::check_root(&read);
    let facts = read.facts();
    drop(read);
    drop(written);
    files.push(main);
    files.sort();
    files.dedup();
    Ok(Ok(Workspace {
        name: name.to_string(),
        resources,
        files,
        findings,
        facts,
        stages: vec![
            ("lower", lowered - start),
            ("emit", emitted - lowered),
            ("verify", emitted.elapsed()),
        ],
    }))
}
