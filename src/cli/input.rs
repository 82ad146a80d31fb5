//! Reading the stack and the files it names, through the IO contract (`fs`): only a regular
//! file, at most `fs::STACK` of it, in UTF-8. The files a stack names (`boot = file "…"`) are
//! read the same way, relative to the stack's directory and never through a link that leads
//! out of it, with EC2's user-data limit (`beside`).

use super::Fatal;
use super::fs::{self, Limit, Links, ReadError};
use pmigc::LineIndex;
use pmigc::{FileRead, Found, USER_DATA_LIMIT};
use std::path::Path;

pub use fs::shown;

/// The stack's text: a regular file of at most `fs::STACK`, in UTF-8 (the path may be a
/// link: the user named it).
pub fn read(path: &Path) -> Result<String, Fatal> {
    let bytes = fs::read(path, fs::STACK, Links::Follow).map_err(|e| e.fatal(path))?;
    text(&shown(path), bytes)
}

/// Bytes read from `name` as UTF-8 text.
pub fn text(name: &str, bytes: Vec<u8>) -> Result<String, Fatal> {
    String::from_utf8(bytes).map_err(|e| not_utf8(name, &e))
}

/// A file the stack at `stack` names (`boot = file "PATH"`), read relative to the stack's
/// directory, at most `USER_DATA_LIMIT` + 1 bytes of it; what is wrong with it is the
/// checker's to say, in the stack's words.
pub fn beside(stack: &Path, path: &str) -> Found {
    let resolved = stack.parent().unwrap_or_else(|| Path::new("")).join(path);
    let limit = Limit {
        bytes: USER_DATA_LIMIT as u64,
        what: "a boot script",
    };
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
    let read = match fs::read_capped(&resolved, limit, Links::Follow) {
        // One byte past the limit (a file that grew while read) is judged too large.
        Ok(bytes) => FileRead::Bytes(bytes),
        Err(ReadError::TooLarge { size, .. }) => FileRead::TooLarge(size),
        Err(e) => FileRead::Unreadable(e.reason()),
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
    let dir = fs::canonical(dir.unwrap_or_else(|| Path::new("."))).ok()?;
    let real = fs::canonical(resolved).ok()?;
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
