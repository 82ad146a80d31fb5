//! The commit of a build: `DIR/.pmigc/commit` lists what changes (files to rename from the
//! stage into place, files to remove, directories to remove when empty). It is written whole
//! (to `commit.tmp`, then renamed) once every file is staged and every target checked; from
//! then on the build is decided, and the list is carried out. Every step can be repeated, so a
//! build killed halfway through the list is completed by the next build into the directory
//! (`recover`), before it does anything else.
//!
//! For tests only, `PMIGC_TEST_ABORT` kills the process at a chosen point of a commit, as a
//! crash would: `staged` (every file staged, the commit not yet written) or `renamed:N` (after
//! N renames). It is read nowhere else and changes nothing when unset.

use super::Fatal;
use super::input::shown;
use super::output::{is_dir, is_relative, link};
use serde_json::{Value, json};
use std::path::Path;

/// What a build changes in the output directory (paths relative to it, `/`-separated).
#[derive(Default)]
pub struct Commit {
    pub rename: Vec<String>,
    pub remove: Vec<String>,
    pub prune: Vec<String>,
}

fn abort_at(point: &str) {
    if std::env::var("PMIGC_TEST_ABORT").is_ok_and(|p| p == point) {
        std::process::abort();
    }
}

/// Writes the commit (the commit point) and carries it out.
pub fn run(root: &Path, state: &Path, plan: &Commit) -> Result<(), Fatal> {
    abort_at("staged");
    let text = json!({ "rename": plan.rename, "remove": plan.remove, "prune": plan.prune });
    let (temp, path) = (state.join("commit.tmp"), state.join("commit"));
    std::fs::write(&temp, text.to_string())
        .and_then(|()| std::fs::rename(&temp, &path))
        .map_err(|e| Fatal(format!("cannot write `{}`: {e}", shown(&path))))?;
    apply(root, state, plan)
}

/// Completes a commit that a killed build left unfinished, and forgets one that was never
/// written whole.
pub fn recover(root: &Path, state: &Path) -> Result<(), Fatal> {
    let _ = std::fs::remove_file(state.join("commit.tmp"));
    let path = state.join("commit");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_file(state.join("manifest.new"));
            return Ok(());
        }
        Err(e) => return Err(Fatal(format!("cannot read `{}`: {e}", shown(&path)))),
    };
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let list = |key: &str| -> Option<Vec<String>> {
        value
            .get(key)?
            .as_array()?
            .iter()
            .map(|v| v.as_str().filter(|p| is_relative(p)).map(str::to_string))
            .collect()
    };
    let (Some(rename), Some(remove), Some(prune)) = (list("rename"), list("remove"), list("prune"))
    else {
        return Err(Fatal(format!(
            "`{}` is not a commit pmigc wrote; remove it and build again",
            shown(&path)
        )));
    };
    apply(
        root,
        state,
        &Commit {
            rename,
            remove,
            prune,
        },
    )
}

/// Carries out a commit; each step is skipped when it is already done.
fn apply(root: &Path, state: &Path, plan: &Commit) -> Result<(), Fatal> {
    let stage = state.join("stage");
    for (done, path) in plan.rename.iter().enumerate() {
        if done > 0 {
            abort_at(&format!("renamed:{done}"));
        }
        let (from, to) = (stage.join(path), root.join(path));
        if std::fs::symlink_metadata(&from).is_err() {
            continue;
        }
        let mut dir = root.to_path_buf();
        let parts: Vec<&str> = path.split('/').collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            dir.push(part);
            if !is_dir(&dir)? {
                std::fs::create_dir(&dir)
                    .map_err(|e| Fatal(format!("cannot create `{}`: {e}", shown(&dir))))?;
            }
        }
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(link(&to));
        }
        std::fs::rename(&from, &to).map_err(|e| {
            Fatal(format!(
                "cannot write `{}`: {e}; the build is committed but not complete: the next \
                 build into this directory completes it",
                shown(&to)
            ))
        })?;
    }
    for path in &plan.remove {
        let target = root.join(path);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
            std::fs::remove_file(&target)
                .map_err(|e| Fatal(format!("cannot remove `{}`: {e}", shown(&target))))?;
        }
    }
    for dir in &plan.prune {
        // Only an empty directory goes: whatever else is in it (a Terraform state) stays.
        let _ = std::fs::remove_dir(root.join(dir));
    }
    let manifest = state.join("manifest");
    if std::fs::symlink_metadata(state.join("manifest.new")).is_ok() {
        std::fs::rename(state.join("manifest.new"), &manifest)
            .map_err(|e| Fatal(format!("cannot write `{}`: {e}", shown(&manifest))))?;
    }
    let path = state.join("commit");
    std::fs::remove_file(&path)
        .map_err(|e| Fatal(format!("cannot remove `{}`: {e}", shown(&path))))?;
    let _ = std::fs::remove_dir_all(&stage);
    Ok(())
}
