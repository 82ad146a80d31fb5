//! Reading the stack: which file (the argument, or the only `.pmig` under `stacks/`), and its
//! text. Only a regular file is read — a FIFO, a device (`/dev/zero`), a socket or a directory
//! is refused before it is read, so nothing can block or stream forever — and at most
//! `MAX_STACK_BYTES` of it: the read stops one byte past the limit whatever the file's size
//! claims to be. The files a stack names (`boot = file "…"`) are read the same way, relative
//! to the stack's directory and never through a link that leads out of it, with EC2's
//! user-data limit (`beside`).

use super::Fatal;
use pmigc::check::boot::{FileRead, Found, USER_DATA_LIMIT};
use pmigc::diag::render::escape_controls;
use pmigc::syntax::line_index::LineIndex;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// The largest stack pmigc reads: 8 MiB, about 25,000 services — far above any real stack,
/// and small enough that checking one stays within a few hundred MB (README, "Output contract").
pub const MAX_STACK_BYTES: u64 = 8 * 1024 * 1024;

/// A path as it may be shown on a terminal.
pub fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string()).into_owned()
}

/// What a file that is not a regular file is, for the message.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
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

fn too_large(path: &Path) -> Fatal {
    Fatal(format!(
        "cannot read `{}`: larger than the {} MiB limit for a stack",
        shown(path),
        MAX_STACK_BYTES / (1024 * 1024)
    ))
}

/// Opens a file for reading without blocking on a FIFO (which a check before the open could
/// not rule out: the path may be replaced in between).
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// Why a file could not be read whole within a limit.
enum Unread {
    /// The error or the kind of file, in words.
    Cannot(String),
    /// Larger than the limit, by the size the file system gives.
    TooLarge(u64),
}

/// The bytes of a regular file whose size is at most `limit`; the read stops one byte past
/// the limit whatever the size claimed (a file that grew), so more than `limit` bytes back
/// means "larger".
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    let cannot = |e: std::io::Error| Unread::Cannot(e.to_string());
    let regular = |meta: &std::fs::Metadata| {
        if meta.is_file() {
            Ok(())
        } else {
            Err(Unread::Cannot(format!(
                "not a regular file ({})",
                kind(meta)
            )))
        }
    };
    regular(&std::fs::metadata(path).map_err(cannot)?)?;
    let file = open(path).map_err(cannot)?;
    // The file that was opened is the one that counts.
    let meta = file.metadata().map_err(cannot)?;
    regular(&meta)?;
    if meta.len() > limit {
        return Err(Unread::TooLarge(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(bytes)
}

/// The stack's text: a regular file of at most `MAX_STACK_BYTES`, in UTF-8.
pub fn read(path: &Path) -> Result<String, Fatal> {
    let bytes = read_capped(path, MAX_STACK_BYTES).map_err(|unread| match unread {
        Unread::Cannot(reason) => Fatal(format!("cannot read `{}`: {reason}", shown(path))),
        Unread::TooLarge(_) => too_large(path),
    })?;
    if bytes.len() as u64 > MAX_STACK_BYTES {
        return Err(too_large(path));
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(&shown(path), &e))
}

/// A file the stack at `stack` names (`boot = file "PATH"`), read relative to the stack's
/// directory, at most `USER_DATA_LIMIT` + 1 bytes of it; what is wrong with it is the
/// checker's to say, in the stack's words.
pub fn beside(stack: &Path, path: &str) -> Found {
    let resolved = stack.parent().unwrap_or_else(|| Path::new("")).join(path);
    let limit = USER_DATA_LIMIT as u64;
    // The checker lets no `..` or absolute path through; a symbolic link could still lead
    // out of the stack's directory, and is refused the same way.
    if let Some(outside) = outside(stack, &resolved) {
        return Found {
            resolved: shown(&resolved),
            read: FileRead::Unreadable(format!(
                "a link that leads outside the stack's directory, to `{}`",
                shown(&outside)
            )),
        };
    }
    let read = match read_capped(&resolved, limit) {
        // One byte past the limit (a file that grew while read) is judged too large.
        Ok(bytes) => FileRead::Bytes(bytes),
        Err(Unread::TooLarge(size)) => FileRead::TooLarge(size),
        Err(Unread::Cannot(reason)) => FileRead::Unreadable(reason),
    };
    Found {
        resolved: shown(&resolved),
        read,
    }
}

/// Where `resolved` really is, when that is outside the directory of the stack (both with
/// every link followed); `None` when it is inside or does not exist (reading it says why).
fn outside(stack: &Path, resolved: &Path) -> Option<std::path::PathBuf> {
    let dir = stack.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = std::fs::canonicalize(dir.unwrap_or_else(|| Path::new("."))).ok()?;
    let real = std::fs::canonicalize(resolved).ok()?;
    (!real.starts_with(&dir)).then_some(real)
}

/// A text that is not UTF-8, reported at the line and character column of its first bad byte
/// (counted in the valid text before it), as an editor shows them.
pub fn not_utf8(name: &str, e: &std::string::FromUtf8Error) -> Fatal {
    let valid = e.utf8_error().valid_up_to();
    let before = e.as_bytes().get(..valid).unwrap_or(&[]);
    let text = std::str::from_utf8(before).unwrap_or("");
    let (line, column) = LineIndex::new(text).line_col(valid);
    let byte = e.as_bytes().get(valid).copied().unwrap_or(0);
    Fatal(format!(
        "{name}:{line}:{column}: not UTF-8 text: byte 0x{byte:02x} at line {line}, column {column}; save the file as UTF-8"
    ))
}
