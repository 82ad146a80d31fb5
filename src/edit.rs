//! `pmigc move`: the one-line change of the stack that moves one cutover of one workspace to
//! another phase. The weight lives in the stack (the workspace's value of the cutover's weight
//! input, or the input's default when the stack has no workspaces); this rewrites that one
//! value (or adds the line to the workspace), keeps the file's layout (canonical files stay
//! canonical), and proves the result before returning it: the new text checks with no error,
//! the cutover is at the new weight in that workspace, and every other cutover of every
//! workspace is exactly where it was. A data cutover moves the same way
//! (`move_data_cutover`: the workspace's value of its `writer` input). Pure text in, text
//! out; the CLI reads and writes.

use crate::model::{Percent, Stack, Writer};
use crate::syntax::ast::{Item, Span};

/// A move that cannot be made, in the user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveError(pub String);

/// Where `pmigc move` moves a cutover, as the user typed it: a phase of a cutover (`25%`) or
/// the state of a data cutover (`datacentre`, `both`, `aurora`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Weight(Percent),
    State(Writer),
}

impl To {
    /// What `typed` names, or why it names nothing.
    pub fn parse(typed: &str) -> Result<To, MoveError> {
        if let Some(state) = Writer::parse(typed) {
            return Ok(To::State(state));
        }
        Percent::parse(typed).map(To::Weight).ok_or_else(|| {
            MoveError(format!(
                "`{typed}` is not a percentage nor a data cutover's state; write a phase such as `25%`, or `datacentre`, `both` or `aurora`"
            ))
        })
    }
}

/// Every `(workspace, cutover) → weight` of a set of checked stacks.
fn weights(stacks: &[Stack]) -> Vec<(String, String, Percent)> {
    stacks
        .iter()
        .flat_map(|s| {
            s.cutovers
                .iter()
                .map(|c| (s.workspace.name.to_string(), c.name.to_string(), c.weight))
        })
        .collect()
}

/// Moves `cutover` in `workspace` to `weight`. `stacks` are the checked models of `text`
/// (every workspace). Returns the new text (the same text when the cutover is already there).
pub fn move_cutover(
    text: &str,
    stacks: &[Stack],
    workspace: &str,
    cutover: &str,
    weight: Percent,
) -> Result<String, MoveError> {
    let stack = workspace_of(stacks, workspace)?;
    let Some(target) = stack.cutovers.iter().find(|c| c.name.as_str() == cutover) else {
        if stack
            .data_cutovers
            .iter()
            .any(|d| d.name.as_str() == cutover)
        {
            return Err(MoveError(format!(
                "`{cutover}` is a data cutover: move it to `datacentre`, `both` or `aurora`, not to {weight}"
            )));
        }
        let names: Vec<&str> = stack.cutovers.iter().map(|c| c.name.as_str()).collect();
        return Err(MoveError(format!(
            "no cutover `{cutover}` (cutovers: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    if let Some(owner) = target.owner.as_ref().filter(|_| !stack.manages(target)) {
        let with: Vec<String> = owner
            .names()
            .iter()
            .map(|o| format!("`--workspace {o}`"))
            .collect();
        let (holds, with) = if owner.several() {
            ("each hold their own records", with.join(" or "))
        } else {
            ("holds its records", with.join(""))
        };
        return Err(MoveError(format!(
            "workspace `{workspace}` does not manage cutover `{cutover}`: only {} {holds}, so its weight there would change nothing; move it with {with}",
            owner.join("and")
        )));
    }
    if !target.is_phase(weight) {
        return Err(MoveError(format!(
            "{weight} is not a phase of cutover `{cutover}` (phases: {})",
            target.phase_list()
        )));
    }
    if target.weight == weight {
        return Ok(text.to_string());
    }
    let value = format!("{}%", weight.get());
    let mut edited = set_input(text, workspace, target.weight_input.as_str(), &value)?;
    if crate::fmt::format(text).is_ok_and(|canonical| canonical == text)
        && let Ok(canonical) = crate::fmt::format(&edited)
    {
        edited = canonical;
    }
    prove(&edited, stacks, workspace, cutover, weight)?;
    Ok(edited)
}

/// `text` with workspace `workspace`'s value of `input` set to `value` (the line rewritten, or
/// added to the workspace), or the input's default when the stack has no workspaces.
fn set_input(text: &str, workspace: &str, input: &str, value: &str) -> Result<String, MoveError> {
    let (file, _) = crate::syntax::parse(text);
    let mut edited = None;
    for item in &file.items {
        match item {
            Item::Block(block) if matches!(block.header.as_slice(), [kind, name] if kind.text == "workspace" && name.text == workspace) =>
            {
                edited = Some(match block.attrs.iter().find(|a| a.key_text() == input) {
                    Some(attr) => splice(text, attr.value.span, value),
                    None => {
                        // After the last attribute's line (its trailing comment stays
                        // with it), or just inside the opening brace.
                        let at = match block.attrs.last() {
                            Some(last) => line_end(text, last.value.span.end, block.span.end),
                            None => text
                                .get(block.header_span.end..block.span.end)
                                .and_then(|rest| rest.find('{'))
                                .map_or(block.header_span.end, |i| block.header_span.end + i + 1),
                        };
                        splice(text, Span::new(at, at), &format!("\n  {input} = {value}"))
                    }
                });
            }
            Item::Input(decl) if file_has_no_workspace(&file) && decl.name.text == input => {
                if let Some(default) = &decl.default {
                    edited = Some(splice(text, default.span, value));
                }
            }
            _ => {}
        }
    }
    edited.ok_or_else(|| {
        MoveError(format!(
            "cannot find where workspace `{workspace}` sets `{input}`"
        ))
    })
}

/// The checked model of `workspace`.
fn workspace_of<'s>(stacks: &'s [Stack], workspace: &str) -> Result<&'s Stack, MoveError> {
    stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == workspace)
        .ok_or_else(|| {
            let names: Vec<&str> = stacks.iter().map(|s| s.workspace.name.as_str()).collect();
            MoveError(format!(
                "no workspace `{workspace}` (workspaces: {})",
                names.join(", ")
            ))
        })
}

/// Every `(workspace, data cutover) → state` of a set of checked stacks.
fn states(stacks: &[Stack]) -> Vec<(String, String, Writer)> {
    stacks
        .iter()
        .flat_map(|s| {
            s.data_cutovers
                .iter()
                .map(|d| (s.workspace.name.to_string(), d.name.to_string(), d.writer))
        })
        .collect()
}

/// A move of a data cutover, proven: the new text and its checked models.
#[derive(Debug)]
pub struct DataMove {
    pub text: String,
    pub stacks: Vec<Stack>,
    /// The other data cutovers that move with it (they share its `writer` input).
    pub along: Vec<String>,
}

/// Moves data cutover `name` in `workspace` to `state`: the one-line change of the stack, like
/// `move_cutover`'s. The result checks with no error (so a data cutover to `aurora` while a
/// writing service's traffic is not all on AWS is refused, PMG0823, and so is a traffic
/// rollback below 100 % while the writer is Aurora), the data cutover is at `state` in that
/// workspace, and nothing else moved but the data cutovers that share its input.
pub fn move_data_cutover(
    text: &str,
    stacks: &[Stack],
    workspace: &str,
    name: &str,
    state: Writer,
) -> Result<DataMove, MoveError> {
    let stack = workspace_of(stacks, workspace)?;
    let Some(target) = stack.data_cutovers.iter().find(|d| d.name.as_str() == name) else {
        let names: Vec<&str> = stack
            .data_cutovers
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        return Err(MoveError(format!(
            "no data cutover `{name}` (data cutovers: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    if let Some(owner) = target.owner.as_ref().filter(|_| !stack.owns(target)) {
        return Err(MoveError(format!(
            "workspace `{workspace}` does not own data cutover `{name}`: only `{owner}` switches its writer"
        )));
    }
    if target.writer == state {
        return Ok(DataMove {
            text: text.to_string(),
            stacks: stacks.to_vec(),
            along: Vec::new(),
        });
    }
    let input = target.writer_input.as_str();
    let mut edited = set_input(text, workspace, input, state.as_str())?;
    if crate::fmt::format(text).is_ok_and(|canonical| canonical == text)
        && let Ok(canonical) = crate::fmt::format(&edited)
    {
        edited = canonical;
    }
    let checked = crate::check_source_with(&edited, &mut |path: &str| boot_file(stacks, path));
    if let Some(first) = checked.diagnostics.iter().find(|d| d.is_error()) {
        return Err(MoveError(format!(
            "moving `{name}` to `{state}` would make the stack invalid ({}: {}){}",
            first.code,
            first.message,
            first
                .help
                .as_ref()
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        )));
    }
    let along: Vec<String> = stack
        .data_cutovers
        .iter()
        .filter(|d| d.writer_input.as_str() == input && d.name.as_str() != name)
        .map(|d| d.name.to_string())
        .collect();
    let expected: Vec<(String, String, Writer)> = states(stacks)
        .into_iter()
        .map(|(ws, d, w)| {
            let moved = ws == workspace && (d == name || along.contains(&d));
            (ws, d, if moved { state } else { w })
        })
        .collect();
    if states(&checked.stacks) != expected || weights(&checked.stacks) != weights(stacks) {
        return Err(MoveError(format!(
            "moving `{name}` to `{state}` in `{workspace}` would move something else too (its writer input is shared with another workspace); change the stack by hand"
        )));
    }
    Ok(DataMove {
        text: edited,
        stacks: checked.stacks,
        along,
    })
}

fn file_has_no_workspace(file: &crate::syntax::ast::File) -> bool {
    !file.items.iter().any(|item| {
        matches!(item, Item::Block(b) if b.header.first().is_some_and(|k| k.text == "workspace"))
    })
}

/// Where the line holding `at` ends (before its line break), or the block's closing brace
/// when that comes first (`workspace w { a = 1 }`).
fn line_end(text: &str, at: usize, block_end: usize) -> usize {
    let close = block_end.saturating_sub(1);
    let eol = text
        .get(at..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| at + i);
    // A `\r\n` line keeps its `\r` after the inserted line's text.
    let eol = if text.get(..eol).is_some_and(|t| t.ends_with('\r')) {
        eol - 1
    } else {
        eol
    };
    eol.min(close).max(at)
}

fn splice(text: &str, span: Span, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..span.start).unwrap_or_default());
    out.push_str(with);
    out.push_str(text.get(span.end..).unwrap_or_default());
    out
}

/// A boot script of the checked models, as it was read.
fn boot_file(stacks: &[Stack], path: &str) -> crate::check::boot::Found {
    use crate::check::boot::{FileRead, Found};
    let script = stacks
        .iter()
        .flat_map(|s| &s.services)
        .filter_map(|s| s.boot.as_ref())
        .find(|b| b.path == path);
    match script {
        Some(boot) => Found {
            resolved: path.to_string(),
            read: FileRead::Bytes(boot.script.as_bytes().to_vec()),
        },
        None => Found::unread(path, "not read when the stack was checked"),
    }
}

/// The edited text checks, and only the one cutover of the one workspace moved.
fn prove(
    edited: &str,
    before: &[Stack],
    workspace: &str,
    cutover: &str,
    weight: Percent,
) -> Result<(), MoveError> {
    // A move changes no boot script: the files are the ones `before` was checked with.
    let checked = crate::check_source_with(edited, &mut |path: &str| boot_file(before, path));
    if checked.has_errors() {
        let first = checked
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| {
                let help = d
                    .help
                    .as_ref()
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                format!("{}: {}{help}", d.code, d.message)
            })
            .unwrap_or_default();
        return Err(MoveError(format!(
            "moving `{cutover}` to {weight} would make the stack invalid ({first})"
        )));
    }
    let expected: Vec<(String, String, Percent)> = weights(before)
        .into_iter()
        .map(|(ws, c, w)| {
            let moved = ws == workspace && c == cutover;
            (ws, c, if moved { weight } else { w })
        })
        .collect();
    let actual = weights(&checked.stacks);
    if actual != expected {
        return Err(MoveError(format!(
            "moving `{cutover}` to {weight} in `{workspace}` would move something else too (the weight input is shared with another workspace or cutover); change the stack by hand"
        )));
    }
    Ok(())
}
