//! `pmigc verify [DIR]`: verifies roots already written (edited by hand since, say). Every
//! directory under DIR with a `main.tf.json` is a workspace's root; its `sourcemap.json`, when
//! there, gives the stack's intent and the line each resource came from. Findings are reported
//! by rule id (`reach.api`, `account.once`, …; `pmigc verify --rules` lists them), one per
//! line, with the stack line their first resource came from; exit 1 when there are any.

use super::fs::{self, Kind, Links, shown};
use super::{Fatal, console};
use pmigc::diag::render::escape_controls;
use serde_json::json;
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
    // Each root is read, verified and dropped before the next; the rules across roots read
    // what each left (`Facts`).
    let mut findings = Vec::new();
    let mut facts = Vec::new();
    let mut files = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let here = dir.join(name);
        let main = fs::read(&here.join("main.tf.json"), fs::ROOT, Links::Refuse)
            .map_err(|e| e.fatal(&here.join("main.tf.json")))?;
        let not_json = || {
            Fatal(format!(
                "`{}` is not JSON",
                shown(&here.join("main.tf.json"))
            ))
        };
        let text = std::str::from_utf8(&main).map_err(|_| not_json())?;
        let root = pmigc::verify::root::Root::parse(text).map_err(|_| not_json())?;
        // No source map: the root is verified without the stack's lines.
        let sourcemap = match fs::read(&here.join("sourcemap.json"), fs::ROOT, Links::Refuse) {
            Ok(bytes) => bytes,
            Err(e) if e.is_missing() => Vec::new(),
            Err(e) => return Err(e.fatal(&here.join("sourcemap.json"))),
        };
        let stack = pmigc::verify::member(&sourcemap, "file")
            .and_then(|v| v.as_str().map(str::to_string))
            .map(|f| here.join(f));
        let intent = pmigc::verify::read_intent(&sourcemap);
        let ws = pmigc::verify::Workspace::of(name, root, intent);
        findings.extend(pmigc::verify::check_root(&ws).into_iter().map(|f| (i, f)));
        facts.push(ws.facts());
        files.push(stack);
    }
    findings.extend(pmigc::verify::check_accounts(&facts));
    // Where the findings' resources came from: the source maps of the roots with findings.
    let mut origins: std::collections::HashMap<usize, pmigc::verify::Origins> =
        std::collections::HashMap::new();
    for (i, _) in &findings {
        if let (false, Some(name)) = (origins.contains_key(i), names.get(*i)) {
            // Read (and refused if need be) above; read again only for the roots with findings.
            let sourcemap = fs::read(
                &dir.join(name).join("sourcemap.json"),
                fs::ROOT,
                Links::Refuse,
            )
            .unwrap_or_default();
            origins.insert(*i, pmigc::verify::Origins::read(&sourcemap));
        }
    }
    let mut text = String::new();
    for (i, finding) in &findings {
        let Some(ws) = facts.get(*i) else {
            continue;
        };
        let at = origins.get(i).and_then(|o| o.of(&finding.resources));
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
