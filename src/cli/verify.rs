//! `pmigc verify [DIR]`: verifies roots already written (edited by hand since, say). Every
//! directory under DIR with a `main.tf.json` is a workspace's root; its `sourcemap.json`, when
//! there, gives the stack's intent and the line each resource came from. Findings are reported
//! by rule id (`reach.api`, `account.once`, …; `pmigc verify --rules` lists them), one per
//! line, with the stack line their first resource came from; exit 1 when there are any.

use super::fs::{self, Kind, Links, shown};
use super::{Fatal, console};
use pmigc::diag::render::escape_controls;
use serde_json::{Value, json};
use std::path::Path;
use std::process::ExitCode;

/// Prints every rule with its doc.
pub fn rules() -> Result<ExitCode, Fatal> {
    let mut text = String::new();
    for (id, doc) in pmigc::verify::RULES
        .iter()
        .map(|r| (r.id, r.doc))
        .chain(pmigc::verify::ACCOUNT_RULES.iter().map(|r| (r.id, r.doc)))
    {
        text.push_str(&format!("{id}\n    {doc}\n"));
    }
    console::out(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run(dir: &Path, json_lines: bool) -> Result<ExitCode, Fatal> {
    let entries = fs::list(dir).map_err(|e| Fatal(format!("cannot read `{}`: {e}", shown(dir))))?;
    // A root is a directory (not a link out of DIR) with a `main.tf.json`, which must then be
    // a regular file (reading it says what else it is).
    let mut names: Vec<String> = entries
        .into_iter()
        .filter(|e| e.kind == Kind::Dir)
        .filter(|e| fs::kind(&e.path.join("main.tf.json")).is_ok_and(|k| k != Kind::Missing))
        .filter_map(|e| e.name.to_str().map(str::to_string))
        .collect();
    names.sort();
    if names.is_empty() {
        let out = pmigc::shell::path(&dir.to_string_lossy()).into_owned();
        return Err(Fatal(format!(
            "`{}` holds no root (no `*/main.tf.json`); build one with `{}`",
            shown(dir),
            pmigc::shell::command(["pmigc", "build", "--out", &out])
        )));
    }
    let mut workspaces = Vec::new();
    let mut files = Vec::new();
    for name in &names {
        let here = dir.join(name);
        let main = fs::read(&here.join("main.tf.json"), fs::ROOT, Links::Refuse)
            .map_err(|e| e.fatal(&here.join("main.tf.json")))?;
        if serde_json::from_slice::<Value>(&main).is_err() {
            return Err(Fatal(format!(
                "`{}` is not JSON",
                shown(&here.join("main.tf.json"))
            )));
        }
        // No source map: the root is verified without the stack's lines.
        let sourcemap = match fs::read(&here.join("sourcemap.json"), fs::ROOT, Links::Refuse) {
            Ok(bytes) => bytes,
            Err(e) if e.is_missing() => Vec::new(),
            Err(e) => return Err(e.fatal(&here.join("sourcemap.json"))),
        };
        let stack = serde_json::from_slice::<Value>(&sourcemap)
            .ok()
            .and_then(|v| v.get("file").and_then(Value::as_str).map(str::to_string))
            .map(|f| here.join(f));
        workspaces.push(pmigc::verify::read_workspace(name, &main, &sourcemap));
        files.push(stack);
    }
    let findings = pmigc::verify::check_all(&workspaces);
    let mut text = String::new();
    for (i, finding) in &findings {
        let Some(ws) = workspaces.get(*i) else {
            continue;
        };
        let at = ws.origin(&finding.resources);
        let file = files.get(*i).cloned().flatten();
        if json_lines {
            let line = json!({
                "workspace": ws.name,
                "rule": finding.rule,
                "message": finding.message,
                "resources": finding.resources,
                "file": file.as_ref().map(|f| shown(f)),
                "line": at.map(|a| a.2),
            });
            text.push_str(&line.to_string());
            text.push('\n');
        } else {
            text.push_str(&format!(
                "{}: [{}] {}\n",
                ws.name, finding.rule, finding.message
            ));
            if let (Some(file), Some((_, _, line))) = (&file, at) {
                text.push_str(&format!("  --> {}:{line}\n", shown(file)));
            }
        }
    }
    if !json_lines {
        let n = findings.len();
        text.push_str(&format!(
            "pmigc verify: {} root{}, {}\n",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            match n {
                0 => "no findings".to_string(),
                1 => "1 finding".to_string(),
                _ => format!("{n} findings"),
            }
        ));
    }
    let text = escape_controls(&text);
    if json_lines {
        console::out(&text)?;
    } else {
        console::err(&text)?;
    }
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
