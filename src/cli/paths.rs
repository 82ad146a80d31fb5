//! The checks on a path of the output directory that every write goes through, shared by the
//! build's staging (`output`) and the commit that completes it (`commit`): a directory and not
//! a link (`is_dir`, every directory on the way: `beneath`), a target that may be replaced
//! (`target`), pmigc's own state files (`read_state`), and the plain relative paths a manifest
//! or a commit list may name (`is_relative`).

use super::Fatal;
use super::fs::{self, Kind, Links, shown};
use std::path::{Component, Path, PathBuf};

/// Refuses a symbolic link, or anything but a directory, at `path`; `Ok(false)` when absent.
pub fn is_dir(path: &Path) -> Result<bool, Fatal> {
    match fs::kind(path) {
        Ok(Kind::Link) => Err(link(path)),
        Ok(Kind::Dir) => Ok(true),
        Ok(Kind::Missing) => Ok(false),
        Ok(_) => Err(Fatal(format!(
            "`{}` is not a directory; pmigc writes a workspace's files there",
            shown(path)
        ))),
        Err(e) => Err(Fatal(format!("cannot read `{}`: {e}", shown(path)))),
    }
}

/// `root/rel` after checking that every directory on the way below `root` is a directory and
/// not a symbolic link; `None` when one of them does not exist (so neither does the file).
pub fn beneath(root: &Path, rel: &str) -> Result<Option<PathBuf>, Fatal> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    let (file, dirs) = parts.split_last().unwrap_or((&"", &[]));
    for dir in dirs {
        path.push(dir);
        if !is_dir(&path)? {
            return Ok(None);
        }
    }
    path.push(file);
    Ok(Some(path))
}

/// The error for a symbolic link met inside the output directory.
pub fn link(path: &Path) -> Fatal {
    Fatal(format!(
        "`{}` is a symbolic link; pmigc never writes through a link inside the output \
         directory (remove it, or build into another --out)",
        shown(path)
    ))
}

/// Where a file of the build goes: nothing, or a regular file it replaces; a link, a directory,
/// a FIFO or a device there is refused before anything is written.
pub fn target(path: &Path) -> Result<(), Fatal> {
    match fs::kind(path) {
        Ok(Kind::Missing | Kind::File) => Ok(()),
        Ok(Kind::Link) => Err(link(path)),
        Ok(Kind::Dir) => Err(Fatal(format!(
            "`{}` is a directory where pmigc writes a file; nothing was written",
            shown(path)
        ))),
        Ok(Kind::Other(what)) => Err(Fatal(format!(
            "`{}` is {what} where pmigc writes a file; nothing was written",
            shown(path)
        ))),
        Err(e) => Err(Fatal(format!("cannot read `{}`: {e}", shown(path)))),
    }
}

/// A file of the output directory's own state (`.pmigc/manifest`, `.pmigc/commit`): a regular
/// file of at most `fs::STATE`, never through a link; `None` when there is none.
pub fn read_state(path: &Path) -> Result<Option<String>, Fatal> {
    let refused = |why: String| {
        Fatal(format!(
            "cannot read `{}`: {why}; it is pmigc's own state: remove it and build again",
            shown(path)
        ))
    };
    match fs::read(path, fs::STATE, Links::Refuse) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| refused("not UTF-8 text".into())),
        Err(e) if e.is_missing() => Ok(None),
        Err(e) => Err(refused(e.reason())),
    }
}

/// A relative path of plain names only (no `..`, no root), at least a workspace and a file.
pub fn is_relative(path: &str) -> bool {
    path.contains('/')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}
