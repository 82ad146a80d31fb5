//! The commit of a build: `DIR/.pmigc/commit` lists what changes (files to rename from the
//! stage into place, files to remove, directories to remove when empty). It is written whole
//! (to `commit.tmp`, then renamed) once every file is staged and every target checked; from
//! then on the build is decided, and the list is carried out. Every step can be repeated, so a
//! build killed halfway through the list is completed by the next build into the directory
//! (`recover`), before it does anything else.
//!
//! Recovery never leaves the output directory: the stage, every directory on the way to a file
//! and the file itself are looked at without following a link, and a link anywhere there stops
//! the commit with a message (nothing outside is moved in, removed or pruned). The commit list
//! itself is read as pmigc's own state (`paths::read_state`: a regular file, bounded, never
//! through a link), so a FIFO or a link to `/dev/zero` there is an error, not a hang.
//!
//! For tests only, `PMIGC_TEST_ABORT` kills the process at a chosen point of a commit, as a
//! crash would (`fs::abort_at`): `staged` (every file staged, the commit not yet written) or
//! `renamed:N` (after N renames).

use super::Fatal;
use super::fs::{self, Kind, abort_at, shown};
use super::paths::{beneath, is_dir, is_relative, link, read_state, target};
use serde_json::{Value, json};
use std::path::Path;

/// What a build changes in the output directory (paths relative to it, `/`-separated).
#[derive(Default)]
pub struct Commit {
    pub rename: Vec<String>,
    pub remove: Vec<String>,
    pub prune: Vec<String>,
}

/// Writes the commit (the commit point) and carries it out.
pub fn run(root: &Path, state: &Path, plan: &Commit) -> Result<(), Fatal> {
    abort_at("staged");
    let text = json!({ "rename": plan.rename, "remove": plan.remove, "prune": plan.prune });
    fs::write(
        &state.join("commit"),
        text.to_string().as_bytes(),
        fs::Existing::Replace,
        fs::Durable::Process,
    )?;
    apply(root, state, plan)
}

/// Completes a commit that a killed build left unfinished, and forgets one that was never
/// written whole.
pub fn recover(root: &Path, state: &Path) -> Result<(), Fatal> {
    // The temporary commit of pmigc before 0.2 (`unlink` removes a link, never its target).
    let _ = fs::remove_file(&state.join("commit.tmp"));
    let path = state.join("commit");
    let Some(text) = read_state(&path)? else {
        let _ = fs::remove_file(&state.join("manifest.new"));
        return Ok(());
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
    // The staged files are read only from a stage that is a directory of pmigc's own (a
    // stage that is gone has nothing left to move).
    is_dir(&stage)?;
    for (done, path) in plan.rename.iter().enumerate() {
        if done > 0 {
            abort_at(&format!("renamed:{done}"));
        }
        // A source already moved (or a stage already gone) is a step already done.
        let Some(from) = beneath(&stage, path)? else {
            continue;
        };
        match fs::kind(&from) {
            Ok(Kind::File) => {}
            Ok(Kind::Missing) => continue,
            Ok(Kind::Link) => return Err(link(&from)),
            _ => {
                return Err(Fatal(format!(
                    "`{}` is not a file pmigc staged; remove `{}` and build again",
                    shown(&from),
                    shown(state)
                )));
            }
        }
        let mut dir = root.to_path_buf();
        let parts: Vec<&str> = path.split('/').collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            dir.push(part);
            if !is_dir(&dir)? {
                fs::create_dir(&dir)
                    .map_err(|e| Fatal(format!("cannot create `{}`: {e}", shown(&dir))))?;
            }
        }
        let to = root.join(path);
        target(&to)?;
        fs::rename(&from, &to).map_err(|e| {
            Fatal(format!(
                "cannot write `{}`: {e}; the build is committed but not complete: the next \
                 build into this directory completes it",
                shown(&to)
            ))
        })?;
    }
    for path in &plan.remove {
        // Only a regular file, reached through directories that are not links, is removed.
        let Some(target) = beneath(root, path)? else {
            continue;
        };
        if fs::kind(&target).is_ok_and(|k| k == Kind::File) {
            fs::remove_file(&target)
                .map_err(|e| Fatal(format!("cannot remove `{}`: {e}", shown(&target))))?;
        }
    }
    for dir in &plan.prune {
        // Only an empty directory goes: whatever else is in it (a Terraform state) stays.
        if let Some(dir) = beneath(root, dir)?
            && fs::kind(&dir).is_ok_and(|k| k == Kind::Dir)
        {
            let _ = fs::remove_empty_dir(&dir);
        }
    }
    let (next, manifest) = (state.join("manifest.new"), state.join("manifest"));
    if fs::kind(&next).is_ok_and(|k| k != Kind::Missing) {
        fs::rename(&next, &manifest)
            .map_err(|e| Fatal(format!("cannot write `{}`: {e}", shown(&manifest))))?;
    }
    let path = state.join("commit");
    fs::remove_file(&path).map_err(|e| Fatal(format!("cannot remove `{}`: {e}", shown(&path))))?;
    if fs::kind(&stage).is_ok_and(|k| k == Kind::Dir) {
        let _ = fs::remove_tree(&stage);
    }
    Ok(())
}
