//! The output directory of `build`, written as one transaction.
//!
//! `DIR/.pmigc/` is pmigc's own: `lock` (an advisory lock held for the whole build; a second
//! build into the same directory waits for it), `manifest` (every file the builds wrote, one
//! path per line, so that pmigc recognises its own files and never touches anyone else's),
//! and, only while a build runs, `stage/` (the new files) and `commit` (the list of changes,
//! written once every file is staged: the commit point).
//!
//! A build stages every file of every workspace under `stage/`, checks that each target can be
//! replaced (no symbolic link on the way, no directory where a file goes), writes `commit`, and
//! then renames the staged files into place and removes the files this build no longer
//! produces. A killed build leaves either no `commit` (the output is exactly as before; the
//! staging is removed by the next build) or a `commit`, which the next build carries out to the
//! end before anything else (`commit.rs`). A file whose contents did not change is left
//! untouched: same inode, same modification time.

use super::Fatal;
use super::commit::{self, Commit};
use super::fs::{self, Kind, Links, shown};
use super::paths::{beneath, is_dir, is_relative, read_state, target};
use fs::File;
use std::collections::BTreeSet;
use std::io::{self, BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};

/// The output directory, locked for this build.
pub struct OutDir {
    root: PathBuf,
    state: PathBuf,
    /// Held until the build ends (the lock is released when the file is closed).
    _lock: File,
}

fn create_dir(path: &Path) -> Result<(), Fatal> {
    if !is_dir(path)? {
        match fs::create_dir(path) {
            Ok(()) => {}
            // Another build made it between the look and the create (before either holds the
            // lock): what matters is that it is a directory, not a link.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && is_dir(path)? => {}
            Err(e) => return Err(Fatal(format!("cannot create `{}`: {e}", shown(path)))),
        }
    }
    Ok(())
}

impl OutDir {
    /// Creates `root` if needed and takes its lock, waiting (after saying so on stderr) while
    /// another build holds it; then completes a commit a killed build left unfinished and
    /// clears any staging left behind.
    pub fn open(root: &Path) -> Result<OutDir, Fatal> {
        fs::create_dir_all(root)
            .map_err(|e| Fatal(format!("cannot create `{}`: {e}", shown(root))))?;
        let state = root.join(".pmigc");
        create_dir(&state)?;
        let lock_path = state.join("lock");
        let lock = fs::lock(&lock_path, || {
            super::console::err(&format!(
                "pmigc: waiting for another build into `{}` to finish (it holds `{}`)\n",
                shown(root),
                shown(&lock_path)
            ))
        })
        .map_err(|Fatal(why)| {
            Fatal(format!(
                "{why}; `.pmigc/` is pmigc's own state: remove what is there and build again"
            ))
        })?;
        let out = OutDir {
            root: root.to_path_buf(),
            state,
            _lock: lock,
        };
        commit::recover(&out.root, &out.state)?;
        let stage = out.stage();
        // Whatever is there is a killed build's: a directory goes with what is in it, anything
        // else (a link) is unlinked, never followed.
        let removed = match fs::kind(&stage) {
            Ok(Kind::Missing) => Ok(()),
            Ok(Kind::Dir) => fs::remove_tree(&stage),
            Ok(_) => fs::remove_file(&stage),
            Err(e) => Err(e),
        };
        removed.map_err(|e| Fatal(format!("cannot remove `{}`: {e}", shown(&stage))))?;
        fs::create_dir(&stage)
            .map_err(|e| Fatal(format!("cannot create `{}`: {e}", shown(&stage))))?;
        Ok(out)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where this build's files are staged: `stage/<workspace>/…` mirrors `DIR/<workspace>/…`.
    pub fn stage(&self) -> PathBuf {
        self.state.join("stage")
    }

    /// Puts the staged files in place. `produced` are the staged files (paths relative to the
    /// output directory, `/`-separated); `declared` every workspace of the stack. Files that
    /// pmigc wrote before and no longer produces are removed: stale phase files of a built
    /// workspace, and every file of a workspace the stack no longer declares (its directory too
    /// when nothing else is left in it). Nothing pmigc did not write is touched.
    pub fn commit(self, produced: &[String], declared: &[&str]) -> Result<(), Fatal> {
        let stage = self.stage();
        let built: BTreeSet<&str> = produced.iter().filter_map(|p| workspace_of(p)).collect();
        let old = read_manifest(&self.state.join("manifest"))?;
        let mut plan = Commit::default();
        let produced_set: BTreeSet<&str> = produced.iter().map(String::as_str).collect();
        for path in produced {
            let target = self.check_target(path)?;
            if !same_contents(&stage.join(path), &target) {
                plan.rename.push(path.clone());
            }
        }
        let mut manifest: BTreeSet<String> = produced.iter().cloned().collect();
        for ws in &built {
            for stale in self.stale_in(ws, &produced_set)? {
                plan.remove.push(stale);
            }
        }
        let mut gone = BTreeSet::new();
        for path in old {
            let Some(ws) = workspace_of(&path) else {
                continue;
            };
            if !declared.contains(&ws) {
                gone.insert(ws.to_string());
            }
            if produced_set.contains(path.as_str()) || plan.remove.contains(&path) {
                continue;
            }
            if built.contains(ws) || !declared.contains(&ws) {
                let target = self.check_target(&path)?;
                if fs::kind(&target).is_ok_and(|k| k == Kind::File) {
                    plan.remove.push(path.clone());
                }
                for dir in ancestors(&path) {
                    if !plan.prune.contains(&dir) {
                        plan.prune.push(dir);
                    }
                }
            } else if beneath(&self.root, &path)?
                .is_some_and(|p| fs::kind(&p).is_ok_and(|k| k == Kind::File))
            {
                manifest.insert(path);
            }
        }
        for ws in &gone {
            for stale in self.stale_in(ws, &produced_set)? {
                if !plan.remove.contains(&stale) {
                    plan.remove.push(stale);
                }
            }
        }
        // Deepest directories first, so that a workspace's `phases/` goes before it.
        plan.prune
            .sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
        let text: String = manifest.iter().map(|p| format!("{p}\n")).collect();
        let next = self.state.join("manifest.new");
        fs::write(
            &next,
            text.as_bytes(),
            fs::Existing::Replace,
            fs::Durable::Process,
        )?;
        commit::run(&self.root, &self.state, &plan)
    }

    /// The path of `rel` in the output directory, after checking that no directory on the way
    /// is a symbolic link or a file, and that the target itself is not a link or a directory.
    fn check_target(&self, rel: &str) -> Result<PathBuf, Fatal> {
        let Some(path) = beneath(&self.root, rel)? else {
            return Ok(self.root.join(rel));
        };
        target(&path)?;
        Ok(path)
    }

    /// Files pmigc writes in a workspace's directory that this build did not produce: phase
    /// files of phases no longer in the stack, and temporary files of builds by earlier
    /// versions of pmigc (`.tmpXXXXXX`) that were killed.
    fn stale_in(&self, ws: &str, produced: &BTreeSet<&str>) -> Result<Vec<String>, Fatal> {
        let mut stale = Vec::new();
        for dir in [ws.to_string(), format!("{ws}/phases")] {
            let path = self.root.join(&dir);
            if !is_dir(&path)? {
                continue;
            }
            let entries = fs::list(&path)
                .map_err(|e| Fatal(format!("cannot read `{}`: {e}", shown(&path))))?;
            for entry in entries {
                let name = entry.name.to_string_lossy().into_owned();
                let rel = format!("{dir}/{name}");
                let phase = dir.ends_with("/phases") && is_phase_file(&name);
                let temp = name.starts_with(".tmp") && name.len() == 10;
                if (phase || temp) && !produced.contains(rel.as_str()) && entry.kind == Kind::File {
                    stale.push(rel);
                }
            }
        }
        stale.sort();
        Ok(stale)
    }
}

/// `NNN.tfvars.json`, the name of a phase file.
fn is_phase_file(name: &str) -> bool {
    name.strip_suffix(".tfvars.json")
        .is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The workspace a path relative to the output directory belongs to.
fn workspace_of(path: &str) -> Option<&str> {
    path.split('/').next().filter(|ws| !ws.is_empty())
}

/// The directories of `path` under the output directory, deepest first.
fn ancestors(path: &str) -> Vec<String> {
    let mut dirs = Vec::new();
    let mut rest = path;
    while let Some((dir, _)) = rest.rsplit_once('/') {
        dirs.push(dir.to_string());
        rest = dir;
    }
    dirs
}

/// The paths of the last manifest; a line that is not a plain relative path is ignored.
fn read_manifest(path: &Path) -> Result<Vec<String>, Fatal> {
    let text = read_state(path)?.unwrap_or_default();
    Ok(text
        .lines()
        .filter(|line| is_relative(line))
        .map(str::to_string)
        .collect())
}

/// Writes one staged file, creating its directories under the stage.
pub fn write_staged(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), Fatal> {
    let cannot = |e: io::Error| Fatal(format!("cannot write `{}`: {e}", shown(path)));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(cannot)?;
    }
    // No fsync: the guarantees are for a killed process (docs/cli.md, "Output contract"); output
    // that a rebuild reproduces is not worth milliseconds per file against a power loss.
    fs::create_new(path, write).map_err(cannot)
}

/// Whether two files hold the same bytes (false when either cannot be read).
fn same_contents(a: &Path, b: &Path) -> bool {
    let (Ok(file_a), Ok(file_b)) = (
        fs::open_regular(a, Links::Refuse),
        fs::open_regular(b, Links::Refuse),
    ) else {
        return false;
    };
    let (Ok(meta_a), Ok(meta_b)) = (file_a.metadata(), file_b.metadata()) else {
        return false;
    };
    if meta_a.len() != meta_b.len() {
        return false;
    }
    let (mut a, mut b) = (BufReader::new(file_a), BufReader::new(file_b));
    let (mut chunk_a, mut chunk_b) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let Ok(n) = a.read(&mut chunk_a) else {
            return false;
        };
        if n == 0 {
            return true;
        }
        let (Some(read), Some(expected)) = (chunk_b.get_mut(..n), chunk_a.get(..n)) else {
            return false;
        };
        if b.read_exact(read).is_err() || read != expected {
            return false;
        }
    }
}
