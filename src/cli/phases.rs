//! The commands that walk a cutover: `pmigc phases` (the runbook, as text or JSON), `pmigc diff`
//! (what Terraform would change between two phases, or two states of a data cutover) and
//! `pmigc move` (the weight, or a data cutover's state, written into the stack: the one edit
//! the runbook asks for between applies).

use super::*;

pub(super) fn phases(
    file: Option<PathBuf>,
    workspace: Option<String>,
    cutover: Option<String>,
    out: &Path,
    format: RunbookFormat,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let selected: Vec<String> = workspace.into_iter().collect();
    let mut timings = Timings::new(options.timings);
    let loaded = match load(file, &selected, &[], options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    known_cutover(&loaded.stacks, cutover.as_deref())?;
    // The commands name the paths exactly as given (quoted for `sh`), so they must be text.
    let paths = pmigc::runbook::Paths {
        stack: utf8(&loaded.path, "the stack's path")?,
        out: utf8(out, "--out")?,
    };
    // The migration plan, model-checked: after the runbook, once for the workspaces that share
    // a plan; in JSON, in each workspace's runbook.
    let proofs = pmigc::plan::verdicts(&loaded.stacks, &loaded.text);
    for stack in &loaded.stacks {
        match format {
            RunbookFormat::Text => console::out(&escape_controls(&pmigc::runbook::text(
                stack,
                paths,
                cutover.as_deref(),
            )))?,
            RunbookFormat::Json => {
                let mut runbook = pmigc::runbook::json(stack, paths, cutover.as_deref());
                let proof = proofs
                    .iter()
                    .find(|p| p.workspaces.contains(&stack.workspace.name.to_string()));
                if let (Some(object), Some(proof)) = (runbook.as_object_mut(), proof) {
                    object.insert("plan".into(), pmigc::plan::json(proof));
                }
                console::out(&format!("{runbook}\n"))?
            }
        }
    }
    if matches!(format, RunbookFormat::Text) {
        console::out(&escape_controls(&pmigc::plan::text(
            &proofs,
            cutover.as_deref(),
        )))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A path the runbook's commands name, as text.
fn utf8<'p>(path: &'p Path, what: &str) -> Result<&'p str, Fatal> {
    path.to_str().ok_or_else(|| {
        Fatal(format!(
            "{what} `{}` is not UTF-8: the runbook's commands cannot name it; rename it",
            shown(path)
        ))
    })
}

/// A workspace's Terraform root, or, when lowering claimed an address twice (a bug in pmigc,
/// PMG0003), what `pmigc build` would say: such a root is never written, nor diffed.
fn root_of(stack: &pmigc::Stack) -> Result<pmigc::Root, Fatal> {
    pmigc::root_of(stack, &[]).map_err(|errors| {
        Fatal(
            errors
                .iter()
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// `--cutover NAME` must name a cutover of the stack.
fn known_cutover(stacks: &[pmigc::Stack], cutover: Option<&str>) -> Result<(), Fatal> {
    let Some(name) = cutover else {
        return Ok(());
    };
    let known: Vec<&str> = stacks
        .first()
        .map(|s| {
            s.cutovers
                .iter()
                .map(|c| c.name.as_str())
                .chain(s.data_cutovers.iter().map(|d| d.name.as_str()))
                .collect()
        })
        .unwrap_or_default();
    if known.contains(&name) {
        return Ok(());
    }
    let hint = pmigc::diag::did_you_mean(name, known.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Err(Fatal(format!(
        "unknown cutover `{name}`{hint}; the stack declares: {}",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    )))
}

pub(super) fn diff(
    file: Option<PathBuf>,
    from: &str,
    to: &str,
    workspace: Option<String>,
    cutover: Option<String>,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    match pmigc::diff::Between::parse(from, to) {
        pmigc::diff::Between::States(a, b) => data_diff(file, a, b, workspace, cutover, options),
        pmigc::diff::Between::Phases(a, b) => phase_diff(file, a, b, workspace, cutover, options),
        pmigc::diff::Between::Workspaces(from, to) => workspace_diff(file, from, to, options),
    }
}

/// `pmigc diff --from 25% --to 50%`: what changes between two phases of each cutover (of the
/// one `--cutover` names) in each workspace (the one `--workspace` names).
fn phase_diff(
    file: Option<PathBuf>,
    a: pmigc::Percent,
    b: pmigc::Percent,
    workspace: Option<String>,
    cutover: Option<String>,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let mut timings = Timings::new(options.timings);
    let selected: Vec<String> = workspace.into_iter().collect();
    let stacks = match load(file, &selected, &[], options, &mut timings)? {
        Ok(loaded) => loaded.stacks,
        Err(code) => return Ok(code),
    };
    known_cutover(&stacks, cutover.as_deref())?;
    let mut shown_any = false;
    for stack in &stacks {
        let root = root_of(stack)?;
        for c in &stack.cutovers {
            if cutover
                .as_deref()
                .is_some_and(|name| name != c.name.as_str())
            {
                continue;
            }
            let both = c.is_phase(a) && c.is_phase(b);
            // Without --cutover, a cutover with other phases is simply not shown; named,
            // it must have both.
            if !both && cutover.is_none() {
                continue;
            }
            for w in [a, b] {
                if !c.is_phase(w) {
                    return Err(Fatal(format!(
                        "{w} is not a phase of cutover `{}` (phases: {})",
                        c.name,
                        c.phase_list()
                    )));
                }
            }
            shown_any = true;
            let changes = pmigc::diff::phases(&root, c, a, b);
            console::out(&escape_controls(&format!(
                "Workspace `{}`, cutover `{}`: {a} → {b}\n{}{} resource{} change{}.\n\n",
                stack.workspace.name,
                c.name,
                pmigc::diff::text(&changes),
                changes.len(),
                if changes.len() == 1 { "" } else { "s" },
                if changes.len() == 1 { "s" } else { "" }
            )))?;
        }
    }
    if !shown_any {
        let phases: Vec<String> = stacks
            .first()
            .map(|s| {
                s.cutovers
                    .iter()
                    .map(|c| format!("`{}`: {}", c.name, c.phase_list()))
                    .collect()
            })
            .unwrap_or_default();
        return Err(Fatal(format!(
            "{a} and {b} are not both phases of any cutover ({})",
            if phases.is_empty() {
                "the stack declares no cutover".to_string()
            } else {
                phases.join("; ")
            }
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// `pmigc diff --from staging --to production`: the blocks two workspaces' roots differ by.
fn workspace_diff(
    file: Option<PathBuf>,
    from: &str,
    to: &str,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let mut timings = Timings::new(options.timings);
    let selected = vec![from.to_string(), to.to_string()];
    let stacks = match load(file, &selected, &[], options, &mut timings)? {
        Ok(loaded) => loaded.stacks,
        Err(code) => return Ok(code),
    };
    let root = |name: &str| -> Result<serde_json::Value, Fatal> {
        match stacks.iter().find(|s| s.workspace.name.as_str() == name) {
            Some(s) => Ok(root_of(s)?.value()),
            None => Ok(serde_json::Value::default()),
        }
    };
    let changes = pmigc::diff::roots(&root(from)?, &root(to)?);
    console::out(&escape_controls(&format!(
        "Workspace `{from}` → workspace `{to}`\n{}{} block{} differ.\n",
        pmigc::diff::text(&changes),
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    )))?;
    Ok(ExitCode::SUCCESS)
}

/// `pmigc move CUTOVER WEIGHT`: the one-line change of the stack, proven by the library
/// (`pmigc::edit`), written atomically.
pub(super) fn move_cutover(
    file: Option<PathBuf>,
    cutover: &str,
    weight: &str,
    workspace: Option<String>,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let weight = match pmigc::edit::To::parse(weight).map_err(|e| Fatal(e.0))? {
        pmigc::edit::To::State(state) => {
            return move_data_cutover(file, cutover, state, workspace, options);
        }
        pmigc::edit::To::Weight(weight) => weight,
    };
    let (loaded, workspace, edit) = match load_for_move(file, workspace, options)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let edited =
        pmigc::edit::move_cutover(&loaded.text, &loaded.stacks, &workspace, cutover, weight)
            .map_err(|e| Fatal(e.0))?;
    if edited == loaded.text {
        console::err(&escape_controls(&format!(
            "cutover `{cutover}` of workspace `{workspace}` is already at {weight}; `{}` is unchanged\n",
            shown(&loaded.path)
        )))?;
        return Ok(ExitCode::SUCCESS);
    }
    edit.replace(edited.as_bytes())?;
    let runbook = pmigc::shell::command([
        "pmigc",
        "phases",
        "--cutover",
        cutover,
        "--workspace",
        &workspace,
        &pmigc::shell::path(&loaded.path.to_string_lossy()),
    ]);
    console::err(&escape_controls(&format!(
        "moved cutover `{cutover}` of workspace `{workspace}` to {weight} in `{}`; now build and apply (`{runbook}`)\n",
        shown(&loaded.path)
    )))?;
    Ok(ExitCode::SUCCESS)
}

/// `pmigc move DATA_CUTOVER STATE`: the data cutover's one-line change, proven by the library
/// (`pmigc::edit::move_data_cutover`), written atomically.
fn move_data_cutover(
    file: Option<PathBuf>,
    name: &str,
    state: pmigc::Writer,
    workspace: Option<String>,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let (loaded, workspace, edit) = match load_for_move(file, workspace, options)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let moved =
        pmigc::edit::move_data_cutover(&loaded.text, &loaded.stacks, &workspace, name, state)
            .map_err(|e| Fatal(e.0))?;
    if moved.text == loaded.text {
        console::err(&escape_controls(&format!(
            "data cutover `{name}` of workspace `{workspace}` is already at `{state}`; `{}` is unchanged\n",
            shown(&loaded.path)
        )))?;
        return Ok(ExitCode::SUCCESS);
    }
    edit.replace(moved.text.as_bytes())?;
    let along = match moved.along.as_slice() {
        [] => String::new(),
        others => format!(" (with {}, which share its input)", others.join(", ")),
    };
    let runbook = pmigc::shell::command([
        "pmigc",
        "phases",
        "--cutover",
        name,
        "--workspace",
        &workspace,
        &pmigc::shell::path(&loaded.path.to_string_lossy()),
    ]);
    console::err(&escape_controls(&format!(
        "moved data cutover `{name}` of workspace `{workspace}` to `{state}`{along} in `{}`; now build and apply (`{runbook}`)\n",
        shown(&loaded.path)
    )))?;
    Ok(ExitCode::SUCCESS)
}

/// `pmigc diff --from datacentre --to aurora`: what a data cutover changes (or its rollback),
/// in each workspace that owns one: the stack moved to each state by `pmigc move`'s proven
/// edit (so a state the checker refuses is refused here, with its reason), each built, the
/// two roots compared.
fn data_diff(
    file: Option<PathBuf>,
    from: pmigc::Writer,
    to: pmigc::Writer,
    workspace: Option<String>,
    only: Option<String>,
    options: &DiagnosticOptions,
) -> Result<ExitCode, Fatal> {
    let mut timings = Timings::new(options.timings);
    let loaded = match load(file, &[], &[], options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    known_cutover(&loaded.stacks, only.as_deref())?;
    let mut shown_any = false;
    for stack in &loaded.stacks {
        let ws = stack.workspace.name.as_str();
        if workspace.as_deref().is_some_and(|w| w != ws) {
            continue;
        }
        for data_cutover in stack.owned_data_cutovers() {
            let name = data_cutover.name.as_str();
            if only.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            let at = |state| {
                pmigc::edit::move_data_cutover(&loaded.text, &loaded.stacks, ws, name, state)
                    .map_err(|e| Fatal(e.0))
                    .and_then(|moved| {
                        moved
                            .stacks
                            .into_iter()
                            .find(|s| s.workspace.name.as_str() == ws)
                            .ok_or_else(|| Fatal(format!("no workspace `{ws}`")))
                            .and_then(|s| Ok(root_of(&s)?.value()))
                    })
            };
            let changes = pmigc::diff::roots(&at(from)?, &at(to)?);
            shown_any = true;
            console::out(&escape_controls(&format!(
                "Workspace `{ws}`, data cutover `{name}`: {from} → {to}\n{}{} block{} differ.\n\n",
                pmigc::diff::text(&changes),
                changes.len(),
                if changes.len() == 1 { "" } else { "s" }
            )))?;
        }
    }
    if !shown_any {
        return Err(Fatal(
            "no workspace selected owns a data cutover (`data_cutover NAME { owner = ... }`)"
                .into(),
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The stack a move edits, read under its directory's lock (a `fmt` or another `move` of it
/// waits, so neither loses the other's change) and checked in every workspace, the workspace
/// it moves (needed when the stack has several), and the edit that writes it back.
fn load_for_move(
    file: Option<PathBuf>,
    workspace: Option<String>,
    options: &DiagnosticOptions,
) -> Result<Result<(Loaded, String, super::fs::Edit), ExitCode>, Fatal> {
    let mut timings = Timings::new(options.timings);
    let path = super::find::stack(file)?;
    let (edit, bytes) = super::fs::Edit::open(&path, super::fs::STACK)?;
    let text = input::text(&shown(&path), bytes)?;
    timings.mark("read");
    let loaded = match load_text(path, text, &[], &[], options, &mut timings)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(Err(code)),
    };
    let workspace = match (workspace, loaded.declared.as_slice()) {
        (Some(w), _) => w,
        (None, [only]) => only.clone(),
        (None, all) => {
            return Err(Fatal(format!(
                "`{}` has several workspaces; say which with --workspace ({})",
                shown(&loaded.path),
                all.join(", ")
            )));
        }
    };
    Ok(Ok((loaded, workspace, edit)))
}
