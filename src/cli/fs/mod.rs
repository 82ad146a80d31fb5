//! The IO contract: every file the command line reads or writes goes through this module, and
//! nothing else in pmigc calls `std::fs` (`docs/io.md` says what each clause is for and which
//! test keeps it).
//!
//! Reading (`read`, `read_capped`, `read_stream`): only a regular file is read — a FIFO, a
//! device, a socket or a directory is refused after an open that cannot block — and at most a
//! limit per kind of file (`Limit`), said in the error; the read stops one byte past the limit
//! whatever size the file claims. A path is followed through a symbolic link only where the
//! caller says so (`Links::Follow`: the stack the user names); pmigc's own state is never read
//! through one.
//!
//! Writing (`write`, `Edit`, in `write.rs`): all or nothing (a temporary file in the same
//! directory, written whole, flushed to disk, renamed over the target); one writer at a time
//! (the directory is locked from the read to the rename, so a `move` and a `fmt` of the same
//! stack never lose each other's change); the target's permissions and owner kept; a
//! read-only file, a file with several hard links, and anything that is not a regular file are
//! refused, never replaced. The primitives of the output directory (`create_dir`, `rename`,
//! `remove_file`…) act on a link itself, never on what it points to.

mod write;

pub use write::{Durable, Edit, Existing, WriteError, abort_at, write};

use super::Fatal;
use pmigc::diag::render::escape_controls;
use std::ffi::OsString;
pub use std::fs::File;
use std::fs::{Metadata, OpenOptions};
use std::io::{self, BufWriter, Read};
use std::path::{Path, PathBuf};

/// The most pmigc reads of one kind of file.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bytes: u64,
    /// What the file is, for the message: "a stack".
    pub what: &'static str,
}

/// The largest stack pmigc reads: 8 MiB, about 25,000 services — far above any real stack, and
/// small enough that checking one stays within a few hundred MB (`docs/io.md`).
pub const STACK: Limit = Limit {
    bytes: 8 * 1024 * 1024,
    what: "a stack",
};

/// A file of the output directory's own state (`.pmigc/manifest`, `.pmigc/commit`): one line
/// per file a build wrote, far below this.
pub const STATE: Limit = Limit {
    bytes: 16 * 1024 * 1024,
    what: "a file of pmigc's own state",
};

/// A file of a root pmigc wrote (`main.tf.json`, `sourcemap.json`), read back by `verify` and
/// `build`: about 460 bytes per resource, so the largest root an 8 MiB stack compiles to
/// (some 44,000 services, 660,000 resources in a workspace) is about 300 MB.
pub const ROOT: Limit = Limit {
    bytes: 512 * 1024 * 1024,
    what: "a root's file",
};

/// A file the system gives (`/proc/self/status`).
pub const SYSTEM: Limit = Limit {
    bytes: 1024 * 1024,
    what: "a system file",
};

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const MIB: u64 = 1024 * 1024;
        match self.bytes {
            b if b >= MIB && b % MIB == 0 => write!(f, "{} MiB", b / MIB),
            b if b >= 1024 && b % 1024 == 0 => write!(f, "{} KiB", b / 1024),
            b => write!(f, "{b} bytes"),
        }
    }
}

/// Whether a read may go through a symbolic link at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// The path may be a link (the stack the user names: its target is what they mean).
    Follow,
    /// A link at the path is refused (pmigc's own files).
    Refuse,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// A symbolic link where `Links::Refuse`.
    Link,
    /// Not a regular file: what it is ("a FIFO").
    NotRegular(&'static str),
    /// Larger than the limit, by the size the file system gives.
    TooLarge {
        size: u64,
        limit: Limit,
    },
}

impl ReadError {
    /// Why, in words.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => e.to_string(),
            ReadError::Link => {
                "a symbolic link, which pmigc does not follow here; remove it".into()
            }
            ReadError::NotRegular(kind) => format!("not a regular file ({kind})"),
            ReadError::TooLarge { limit, .. } => {
                format!("larger than the {limit} limit for {}", limit.what)
            }
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }

    /// `cannot read PATH: why`.
    pub fn fatal(&self, path: &Path) -> Fatal {
        Fatal(format!("cannot read `{}`: {}", shown(path), self.reason()))
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        // `O_NOFOLLOW` on a link.
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return ReadError::Link;
        }
        ReadError::Io(e)
    }
}

/// A path as it may be shown on a terminal.
pub fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string()).into_owned()
}

/// What a file that is not a regular file is, for a message.
pub fn describe(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

fn regular(meta: &Metadata) -> Result<(), ReadError> {
    if meta.file_type().is_symlink() {
        Err(ReadError::Link)
    } else if meta.is_file() {
        Ok(())
    } else {
        Err(ReadError::NotRegular(describe(meta)))
    }
}

/// Opens a regular file for reading. The kind is looked at before the open (so that no device
/// is opened at all) and again on the file opened (the path may have been replaced in
/// between); the open cannot block (`O_NONBLOCK`: a FIFO opens at once, and is then refused).
pub fn open_regular(path: &Path, links: Links) -> Result<File, ReadError> {
    let meta = match links {
        Links::Follow => std::fs::metadata(path)?,
        Links::Refuse => std::fs::symlink_metadata(path)?,
    };
    regular(&meta)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        let nofollow = if links == Links::Refuse {
            libc::O_NOFOLLOW
        } else {
            0
        };
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            libc::O_NONBLOCK | libc::O_CLOEXEC | nofollow,
        );
    }
    let file = options.open(path)?;
    regular(&file.metadata()?)?;
    Ok(file)
}

/// At most `limit.bytes + 1` bytes of a regular file: more than the limit back means the file
/// grew while it was read. A file the file system says is larger is refused unread.
pub fn read_capped(path: &Path, limit: Limit, links: Links) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path, links)?;
    let size = file.metadata()?.len();
    if size > limit.bytes {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.bytes + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A regular file of at most `limit`, whole.
pub fn read(path: &Path, limit: Limit, links: Links) -> Result<Vec<u8>, ReadError> {
    let bytes = read_capped(path, limit, links)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// At most `limit` bytes of a stream (standard input), whole.
pub fn read_stream(stream: impl Read, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    stream.take(limit.bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// What is at a path, without following a link there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    Link,
    Dir,
    File,
    /// A FIFO, a device, a socket: what it is.
    Other(&'static str),
}

impl Kind {
    fn of(meta: &Metadata) -> Kind {
        let kind = meta.file_type();
        if kind.is_symlink() {
            Kind::Link
        } else if kind.is_dir() {
            Kind::Dir
        } else if kind.is_file() {
            Kind::File
        } else {
            Kind::Other(describe(meta))
        }
    }
}

/// What is at `path` (a link is a link, whatever it points to).
pub fn kind(path: &Path) -> io::Result<Kind> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => Ok(Kind::of(&meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
        Err(e) => Err(e),
    }
}

/// Whether `path` leads to a regular file, through links (a link to a stack is a stack).
pub fn leads_to_file(path: &Path) -> bool {
    path.is_file()
}

/// `path` with every link and `..` resolved.
pub fn canonical(path: &Path) -> io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

/// One entry of a directory.
pub struct Entry {
    pub name: OsString,
    pub path: PathBuf,
    /// What it is, a link not followed.
    pub kind: Kind,
}

/// The entries of `dir` (in the order the file system gives them).
pub fn list(dir: &Path) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = match entry.file_type() {
            Ok(t) if t.is_symlink() => Kind::Link,
            Ok(t) if t.is_dir() => Kind::Dir,
            Ok(t) if t.is_file() => Kind::File,
            _ => kind(&entry.path())?,
        };
        entries.push(Entry {
            name: entry.file_name(),
            path: entry.path(),
            kind,
        });
    }
    Ok(entries)
}

// The primitives of the output directory. Each acts on the path itself: a link there is
// created, renamed or removed as a link, never followed (`unlink`, `rename` and `rmdir` do not
// follow a link in the last component, and `output.rs` refuses one on the way).

pub fn create_dir(path: &Path) -> io::Result<()> {
    std::fs::create_dir(path)
}

pub fn create_dir_all(path: &Path) -> io::Result<()> {
    std::fs::create_dir_all(path)
}

pub fn remove_file(path: &Path) -> io::Result<()> {
    std::fs::remove_file(path)
}

/// Removes a directory only when it is empty.
pub fn remove_empty_dir(path: &Path) -> io::Result<()> {
    std::fs::remove_dir(path)
}

/// Removes a directory and everything in it; a link inside is removed, not followed, and a
/// link at `path` itself is refused.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    if kind(path)? == Kind::Link {
        return Err(io::Error::other("a symbolic link, not a directory"));
    }
    std::fs::remove_dir_all(path)
}

pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to)
}

/// Creates a new file (never over anything at `path`, a link included: `O_EXCL`) and writes it
/// through a buffer. Not flushed to disk: for staged output a rebuild reproduces.
pub fn create_new(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    write(&mut out)?;
    io::Write::flush(&mut out)
}

/// Opens (creating it) and locks a lock file that must be a regular file, never through a
/// link and without blocking on a FIFO; `waiting` is called once before blocking on a lock
/// another process holds.
pub fn lock(path: &Path, waiting: impl FnOnce() -> Result<(), Fatal>) -> Result<File, Fatal> {
    let cannot = |why: String| Fatal(format!("cannot lock `{}`: {why}", shown(path)));
    match kind(path).map_err(|e| cannot(e.to_string()))? {
        Kind::Missing | Kind::File => {}
        Kind::Link => return Err(cannot(ReadError::Link.reason())),
        Kind::Dir => return Err(cannot(ReadError::NotRegular("a directory").reason())),
        Kind::Other(what) => return Err(cannot(ReadError::NotRegular(what).reason())),
    }
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
    );
    let file = options
        .open(path)
        .map_err(|e| cannot(ReadError::from(e).reason()))?;
    let meta = file.metadata().map_err(|e| cannot(e.to_string()))?;
    regular(&meta).map_err(|e| cannot(e.reason()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting()?;
            file.lock().map_err(|e| cannot(e.to_string()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(cannot(e.to_string())),
    }
    Ok(file)
}
