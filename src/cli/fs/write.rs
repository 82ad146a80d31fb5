//! Writing a file whole, one writer at a time (the clauses are in `docs/io.md`).
//!
//! Every write locks the directory the file is in (an advisory `flock` on the directory, held
//! until the file is in place), removes what killed runs left there (a regular file named like
//! pmigc's temporary files; a link of that name is removed as a link, never followed), writes a
//! temporary file `.pmigc-XXXXXXXX.tmp` beside the target with the target's permissions and
//! owner, flushes it to disk, renames it over the target, and flushes the directory. A run
//! killed at any moment leaves the old file or the new one, and at most a temporary file the
//! next write into that directory removes. The target is refused, not replaced, when it is a
//! link (except an `Edit` of the stack: the file the link names is written, the link kept), not
//! a regular file, read-only, or has several hard links: a rename would give the new text to
//! this name only, and writing through the inode in place is not all-or-nothing (a run killed
//! halfway would leave every name with half a file), so pmigc says so and writes nothing.

use super::{Kind, Limit, Links, ReadError, kind, list, read, shown};
use crate::cli::Fatal;
use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What to do when the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (a regular file that may be rewritten).
    Replace,
    /// Never: the write fails with `WriteError::Exists` (`pmigc init`).
    Keep,
}

/// How far a write is carried before pmigc goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durable {
    /// Flushed to disk, the file and then the directory (`fsync`): a stack, a drawing, a new
    /// stack — what a person wrote or will read.
    Disk,
    /// Whole for every other process, even if this one is killed, but not flushed: the output
    /// directory's own state, which the next build recovers from or rebuilds (README,
    /// "Output contract": milliseconds per file are not worth a power loss there).
    Process,
}

/// Why a file was not written; nothing changed.
#[derive(Debug)]
pub enum WriteError {
    /// The target exists and `Existing::Keep`.
    Exists,
    /// The message: what the target is and what to do.
    Refused(String),
}

impl WriteError {
    pub fn fatal(self, path: &Path) -> Fatal {
        match self {
            WriteError::Exists => Fatal(format!("cannot write `{}`: it exists", shown(path))),
            WriteError::Refused(message) => Fatal(message),
        }
    }
}

impl From<WriteError> for Fatal {
    fn from(e: WriteError) -> Fatal {
        match e {
            WriteError::Exists => Fatal("cannot write: the file exists".into()),
            WriteError::Refused(message) => Fatal(message),
        }
    }
}

fn io_error(what: &str, path: &Path, e: &io::Error) -> WriteError {
    WriteError::Refused(format!("cannot {what} `{}`: {e}", shown(path)))
}

/// For tests only: `PMIGC_TEST_ABORT=POINT` kills the process at a named point, as a crash
/// would (`written`: a file's temporary copy is complete and flushed, not yet renamed; the
/// build's points are in `commit.rs`). Read nowhere else; changes nothing when unset.
pub fn abort_at(point: &str) {
    if std::env::var("PMIGC_TEST_ABORT").is_ok_and(|p| p == point) {
        std::process::abort();
    }
}

/// A directory locked against every other pmigc writing in it.
struct DirLock {
    dir: PathBuf,
    file: File,
}

/// The directory `path` is in (`.` for a bare name).
fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn lock_dir(dir: &Path) -> Result<DirLock, WriteError> {
    let file = File::open(dir).map_err(|e| io_error("write in", dir, &e))?;
    if !file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(WriteError::Refused(format!(
            "cannot write in `{}`: not a directory",
            shown(dir)
        )));
    }
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let _ = crate::cli::console::err(&format!(
                "pmigc: waiting for another pmigc writing in `{}` to finish\n",
                shown(dir)
            ));
            file.lock().map_err(|e| io_error("write in", dir, &e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(io_error("write in", dir, &e));
        }
    }
    Ok(DirLock {
        dir: dir.to_path_buf(),
        file,
    })
}

/// Writes `bytes` to `path`, all or nothing, never through a link at `path`.
pub fn write(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    durable: Durable,
) -> Result<(), WriteError> {
    let lock = lock_dir(&parent(path))?;
    replace(&lock, path, path, bytes, existing, durable)
}

/// A file opened for a read-modify-write (`fmt`, `move`): its directory stays locked until the
/// `Edit` is dropped, so no other pmigc writes it between the read and the write. When the path
/// is a symbolic link, the file it names is read and written, and the link stays a link.
pub struct Edit {
    /// The file itself, every link resolved.
    real: PathBuf,
    /// The name messages use: as the user named it, or the file itself when that is a link.
    named: PathBuf,
    lock: DirLock,
}

impl Edit {
    /// Locks the file's directory and reads it (a regular file of at most `limit`).
    pub fn open(path: &Path, limit: Limit) -> Result<(Edit, Vec<u8>), Fatal> {
        let real = super::canonical(path).map_err(|e| ReadError::Io(e).fatal(path))?;
        // Nothing but a regular file is worth locking its directory for (`/dev/zero`).
        super::open_regular(&real, Links::Refuse).map_err(|e| e.fatal(path))?;
        let lock = lock_dir(&parent(&real)).map_err(|e| e.fatal(path))?;
        let bytes = read(&real, limit, Links::Refuse).map_err(|e| e.fatal(path))?;
        let named = match kind(path) {
            Ok(Kind::File) => path.to_path_buf(),
            _ => real.clone(),
        };
        let edit = Edit { real, named, lock };
        Ok((edit, bytes))
    }

    /// Replaces the file's text (the directory is still locked).
    pub fn replace(&self, bytes: &[u8]) -> Result<(), Fatal> {
        replace(
            &self.lock,
            &self.real,
            &self.named,
            bytes,
            Existing::Replace,
            Durable::Disk,
        )
        .map_err(|e| e.fatal(&self.named))
    }
}

/// Whether a file may not be written: no write permission bit at all, or none for its owner
/// when that is this process (`me`: the owner of a file this process just created). A file of
/// another user is refused anyway, since pmigc would have to change its owner.
fn read_only(meta: &Metadata, me: &Metadata) -> bool {
    if meta.permissions().readonly() {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() == me.uid() && meta.mode() & 0o200 == 0 {
            return true;
        }
    }
    #[cfg(not(unix))]
    let _ = me;
    false
}

fn hard_links(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// A path as one word of a command in a message.
fn word(path: &Path) -> String {
    pmigc::shell::quote(&pmigc::shell::path(&path.to_string_lossy())).into_owned()
}

/// The target as it is: `None` when there is none; refused when it must not be replaced.
fn existing_file(
    path: &Path,
    name: &Path,
    existing: Existing,
) -> Result<Option<Metadata>, WriteError> {
    let quoted = word(name);
    let at = shown(name);
    match kind(path).map_err(|e| io_error("write", name, &e))? {
        Kind::Missing => return Ok(None),
        _ if existing == Existing::Keep => return Err(WriteError::Exists),
        Kind::File => {}
        Kind::Link => {
            return Err(WriteError::Refused(format!(
                "`{at}` is a symbolic link; pmigc never replaces a link with a file: name the file it points to, or remove the link"
            )));
        }
        Kind::Dir => {
            return Err(WriteError::Refused(format!(
                "cannot write `{at}`: it is a directory"
            )));
        }
        Kind::Other(what) => {
            return Err(WriteError::Refused(format!(
                "`{at}` is {what}, not a regular file; pmigc writes only regular files and replaces nothing else: choose another path"
            )));
        }
    }
    let meta = std::fs::symlink_metadata(path).map_err(|e| io_error("write", name, &e))?;
    let links = hard_links(&meta);
    if links > 1 {
        return Err(WriteError::Refused(format!(
            "`{at}` has {links} hard links; pmigc writes a file by renaming a complete copy over it (so that a killed run never leaves half a file), which would leave the other names with the old text: make this name a file of its own (`cp {quoted} {quoted}.new && mv {quoted}.new {quoted}`), or write through a symbolic link, and run again"
        )));
    }
    Ok(Some(meta))
}

/// Gives the temporary file the target's owner and permissions, or refuses a target that is
/// read-only.
fn keep_attributes(temp: &File, name: &Path, meta: &Metadata) -> Result<(), WriteError> {
    let mine = temp.metadata().map_err(|e| io_error("write", name, &e))?;
    if read_only(meta, &mine) {
        let quoted = word(name);
        return Err(WriteError::Refused(format!(
            "`{}` is read-only; pmigc does not rewrite a read-only file: make it writable (`chmod u+w {quoted}`) if it is meant to change",
            shown(name)
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid())
            && std::os::unix::fs::fchown(temp, Some(meta.uid()), Some(meta.gid())).is_err()
        {
            return Err(WriteError::Refused(format!(
                "`{}` belongs to user {} and group {}; replacing it would change its owner: run as its owner",
                shown(name),
                meta.uid(),
                meta.gid()
            )));
        }
        // After the owner: changing it clears the set-id bits.
        temp.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))
            .map_err(|e| io_error("write", name, &e))?;
    }
    #[cfg(not(unix))]
    {
        temp.set_permissions(meta.permissions())
            .map_err(|e| io_error("write", name, &e))?;
    }
    Ok(())
}

/// Whether `name` is a temporary file of pmigc: `.pmigc-XXXXXXXX.tmp`, or `.pmigc-fmtXXXXXX`
/// (`fmt` and `move` before 0.2).
fn is_temporary(name: &str) -> bool {
    (name.starts_with(".pmigc-") && name.ends_with(".tmp") && name.len() == 19)
        || (name.starts_with(".pmigc-fmt") && name.len() == 16)
}

/// Removes what killed writers left in the locked directory: every writer holds the lock while
/// its temporary file exists, so any left now is a leftover. Only regular files go (`unlink`
/// removes a link of that name without following it; a directory or FIFO is left alone).
fn clean(lock: &DirLock) {
    let Ok(entries) = list(&lock.dir) else {
        return;
    };
    for entry in entries {
        if entry.kind == Kind::File && entry.name.to_str().is_some_and(is_temporary) {
            let _ = super::remove_file(&entry.path);
        }
    }
}

/// Replaces `path` in the locked directory (`name` is how messages call it).
fn replace(
    lock: &DirLock,
    path: &Path,
    name: &Path,
    bytes: &[u8],
    existing: Existing,
    durable: Durable,
) -> Result<(), WriteError> {
    let before = existing_file(path, name, existing)?;
    clean(lock);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pmigc-").suffix(".tmp").rand_bytes(8);
    // A new file gets what the umask allows of rw-rw-rw-, as any file an editor creates.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder
        .tempfile_in(&lock.dir)
        .map_err(|e| io_error("write in", &lock.dir, &e))?;
    if let Some(meta) = &before {
        keep_attributes(temp.as_file(), name, meta)?;
    }
    temp.write_all(bytes)
        .and_then(|()| match durable {
            Durable::Disk => temp.as_file().sync_all(),
            Durable::Process => Ok(()),
        })
        .map_err(|e| io_error("write", name, &e))?;
    abort_at("written");
    match existing {
        Existing::Replace => temp
            .persist(path)
            .map_err(|e| io_error("write", name, &e.error))?,
        Existing::Keep => temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists
            } else {
                io_error("write", name, &e.error)
            }
        })?,
    };
    // The rename is durable once the directory is (some file systems cannot sync one).
    if durable == Durable::Disk {
        let _ = lock.file.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names() {
        assert!(is_temporary(".pmigc-Ab12Cd34.tmp"));
        assert!(is_temporary(".pmigc-fmtAb12Cd"));
        assert!(!is_temporary(".pmigc-Ab12Cd34.tmp.keep"));
        assert!(!is_temporary("payment.pmig"));
        assert!(!is_temporary(".pmigc"));
    }
}
