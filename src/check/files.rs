//! The files a stack names and what its caller found there: the paths of `boot = file "PATH"`
//! ([`named`]), the reading the caller does for the library ([`read`], [`Found`]) and the
//! [`Files`] the checking context carries. It names nothing of `check/` (the context, below
//! every rule, holds a [`Files`]); `check::boot` judges what was read and re-exports this
//! module's items, where the callers name them.

use crate::syntax::ast::{File, Item, TermKind, Value};
use std::collections::BTreeMap;

/// The most user data EC2 takes: "User data is limited to 16 KB, in raw form, before it is
/// base64-encoded" (Amazon EC2 User Guide, "Work with instance user data", Considerations,
/// <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html>, read
/// 2026-11; the EC2 API Reference's `RequestLaunchTemplateData.UserData`, which a launch
/// template sends, says the same: "User data is limited to 16 KB").
pub const USER_DATA_LIMIT: usize = 16 * 1024;

/// What the caller found at a path the stack names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path the caller read (the stack's directory joined with the path), for messages.
    pub resolved: String,
    pub read: FileRead,
}

impl Found {
    /// A file that was not read at `path`, and why.
    pub fn unread(path: &str, why: impl Into<String>) -> Found {
        Found {
            resolved: path.to_string(),
            read: FileRead::Unreadable(why.into()),
        }
    }
}

/// Why a file the stack names is missing when the caller read none.
pub(crate) const NOT_GIVEN: &str = "no file was given to the compiler";

/// The outcome of reading one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRead {
    /// The file's bytes; a caller stops reading one byte past [`USER_DATA_LIMIT`].
    Bytes(Vec<u8>),
    /// Larger than the limit, by the size the file system gives.
    TooLarge(u64),
    /// Not read: why, in words ("No such file or directory", "a directory").
    Unreadable(String),
}

/// The files a stack names, as its caller read them, by path as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Files(BTreeMap<String, Found>);

impl Files {
    pub(crate) const fn new() -> Files {
        Files(BTreeMap::new())
    }

    pub(crate) fn get(&self, path: &str) -> Option<&Found> {
        self.0.get(path)
    }
}

/// Every path the stack names in `boot = file "PATH"`, once each, sorted; paths that leave the
/// stack's directory (see [`path_problem`]) are left out.
pub(crate) fn named(file: &File) -> Vec<String> {
    let mut paths = Vec::new();
    for item in &file.items {
        let Item::Block(block) = item else { continue };
        let kind = block.header.first().map(|i| i.text.as_str());
        for attr in &block.attrs {
            let boot = match (kind, attr.key.as_slice()) {
                (Some("service"), [key]) => key.text == crate::registry::service::BOOT.name(),
                (Some("workspace"), [_, key]) => key.text == crate::registry::service::BOOT.name(),
                _ => false,
            };
            if let Some(path) = boot.then(|| file_path(&attr.value)).flatten()
                && path_problem(path).is_none()
            {
                paths.push(path.to_string());
            }
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// Asks `reader` for every file the stack names.
pub(crate) fn read(file: &File, reader: &mut dyn FnMut(&str) -> Found) -> Files {
    Files(
        named(file)
            .into_iter()
            .map(|path| {
                let found = reader(&path);
                (path, found)
            })
            .collect(),
    )
}

/// The path of `file "PATH"`.
pub(super) fn file_path(value: &Value) -> Option<&str> {
    match value.terms.as_slice() {
        [word, path] => match (&word.kind, &path.kind) {
            (TermKind::Path(w), TermKind::String(p)) => match w.as_slice() {
                [word] if word.text == "file" => Some(p.as_str()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Why a path cannot name a file beside the stack, if it cannot.
pub(crate) fn path_problem(path: &str) -> Option<&'static str> {
    let bytes = path.as_bytes();
    if path.is_empty() {
        Some("is empty")
    } else if path.starts_with(['/', '\\', '~']) || bytes.get(1) == Some(&b':') {
        Some("is not relative to the stack's directory")
    } else if path.split(['/', '\\']).any(|part| part == "..") {
        Some("leaves the stack's directory (`..`)")
    } else if path.chars().any(char::is_control) {
        Some("holds a control character")
    } else {
        None
    }
}
