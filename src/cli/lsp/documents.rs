//! The open documents, each analysed as `pmigc check` would analyse it, within bounds a client
//! cannot push past: a document larger than `pmigc::lsp::MAX_DOCUMENT_BYTES` is not analysed
//! (the library says so in one diagnostic), and all the documents the server analyses hold at
//! most [`MAX_OPEN_BYTES`] of text and [`MAX_OPEN_DOCUMENTS`] documents, each named by a URI
//! of at most [`MAX_URI_BYTES`]: a client opening a thousand copies of a large stack gets a
//! diagnostic on each one too many, not a server that runs out of memory. A document the
//! server does not analyse keeps nothing but its size.

use lsp_types as lsp;
use pmigc::lsp::{Document, Encoding};
use std::collections::HashMap;

/// The most text, in all, of the documents analysed at once: two at the size limit, hundreds
/// of real stacks. Analysed, a document takes some 65 times its size in memory at its peak
/// (`docs/lsp.md`), so this bounds the server near 600 MB.
pub const MAX_OPEN_BYTES: usize = 8 * 1024 * 1024;

/// The most documents open at once (an editor opens the few a person works on).
pub const MAX_OPEN_DOCUMENTS: usize = 256;

/// The longest URI kept (a path of some thousands of characters, percent-escaped).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// A document as the server holds it.
pub enum Open {
    Analysed(Box<Document>),
    /// Not analysed, for the reason given (in the words of its one diagnostic).
    Refused(String),
}

#[derive(Default)]
pub struct Documents {
    open: HashMap<lsp::Uri, Open>,
    /// The bytes of text of the analysed documents.
    bytes: usize,
}

impl Documents {
    /// The analysed document at `uri`, or why there is none.
    pub fn get(&self, uri: &lsp::Uri) -> Result<&Document, String> {
        match self.open.get(uri) {
            Some(Open::Analysed(doc)) if !doc.is_analysed() => Err(format!(
                "`{}` is not analysed: it is larger than the {} MiB the server analyses",
                shown(uri),
                mib(pmigc::lsp::MAX_DOCUMENT_BYTES)
            )),
            Some(Open::Analysed(doc)) => Ok(doc),
            Some(Open::Refused(why)) => Err(format!("`{}` is not analysed: {why}", shown(uri))),
            None => Err(format!("`{}` is not open", shown(uri))),
        }
    }

    /// Opens or changes the document at `uri` to `text`, and returns it as held. `None` when
    /// its URI is too long to keep (the caller answers nothing for it).
    pub fn update(&mut self, uri: lsp::Uri, text: String, encoding: Encoding) -> Option<&Open> {
        if uri.as_str().len() > MAX_URI_BYTES {
            return None;
        }
        let previous = self.close(&uri);
        let held = self.bytes;
        let open = if previous.is_none() && self.open.len() >= MAX_OPEN_DOCUMENTS {
            Open::Refused(format!(
                "{MAX_OPEN_DOCUMENTS} documents are open, the most the server keeps: close some"
            ))
        } else if text.len() <= pmigc::lsp::MAX_DOCUMENT_BYTES && held + text.len() > MAX_OPEN_BYTES
        {
            Open::Refused(format!(
                "the open documents hold {} MiB, and the server analyses {} MiB in all: close some",
                mib(held),
                mib(MAX_OPEN_BYTES)
            ))
        } else {
            // The files the stack names are read beside it, as `pmigc check` reads them; an
            // unsaved buffer (not a `file:` URI) has nothing beside it.
            let stack = file_path(&uri);
            let mut reader = |path: &str| match &stack {
                Some(stack) => crate::cli::input::beside(stack, path),
                None => pmigc::lsp::no_files(path),
            };
            let doc = match previous {
                Some(Open::Analysed(previous)) => previous.edit_with(text, &mut reader),
                _ => Document::new_with(text, encoding, &mut reader),
            };
            if doc.is_analysed() {
                self.bytes += doc.text.len();
            }
            Open::Analysed(Box::new(doc))
        };
        self.open.insert(uri.clone(), open);
        self.open.get(&uri)
    }

    /// Closes the document at `uri`: what was held, if anything.
    pub fn close(&mut self, uri: &lsp::Uri) -> Option<Open> {
        let open = self.open.remove(uri)?;
        if let Open::Analysed(doc) = &open
            && doc.is_analysed()
        {
            self.bytes = self.bytes.saturating_sub(doc.text.len());
        }
        Some(open)
    }
}

fn mib(bytes: usize) -> usize {
    bytes.div_ceil(1024 * 1024)
}

/// A URI as it may be quoted in a message: at most 200 characters of it.
pub fn shown(uri: &lsp::Uri) -> String {
    let text = uri.as_str();
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// The local path of a `file:` URI (`file:///home/me/stack.pmig`, percent-escapes decoded).
pub fn file_path(uri: &lsp::Uri) -> Option<std::path::PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` names the same file as `file:///x`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let mut bytes = Vec::with_capacity(rest.len());
    let mut iter = rest.bytes();
    while let Some(b) = iter.next() {
        if b == b'%' {
            let hex: Vec<u8> = iter.by_ref().take(2).collect();
            let value = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            bytes.push(value);
        } else {
            bytes.push(b);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(std::path::PathBuf::from(std::ffi::OsString::from_vec(
            bytes,
        )))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(std::path::PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn file_uris_become_paths() {
        let path = |s: &str| file_path(&lsp::Uri::from_str(s).unwrap());
        assert_eq!(
            path("file:///home/me/my%20stacks/a.pmig"),
            Some("/home/me/my stacks/a.pmig".into())
        );
        assert_eq!(path("file://localhost/x.pmig"), Some("/x.pmig".into()));
        assert_eq!(path("untitled:Untitled-1"), None);
        assert_eq!(path("https://example.com/a.pmig"), None);
    }

    /// Documents beyond the count or the bytes the server keeps are refused, each with its
    /// reason; closing one makes room.
    #[test]
    fn the_open_documents_are_bounded() {
        let uri = |i: usize| lsp::Uri::from_str(&format!("untitled:{i}")).unwrap();
        let mut docs = Documents::default();
        for i in 0..MAX_OPEN_DOCUMENTS {
            assert!(matches!(
                docs.update(uri(i), "stack s {}".into(), Encoding::Utf16),
                Some(Open::Analysed(_))
            ));
        }
        let refused = docs.update(uri(MAX_OPEN_DOCUMENTS), String::new(), Encoding::Utf16);
        assert!(matches!(refused, Some(Open::Refused(why)) if why.contains("documents are open")));
        // A document already open may change.
        assert!(matches!(
            docs.update(uri(0), "stack t {}".into(), Encoding::Utf16),
            Some(Open::Analysed(_))
        ));
        let mut docs = Documents::default();
        let big = "#".repeat(pmigc::lsp::MAX_DOCUMENT_BYTES);
        for i in 0..MAX_OPEN_BYTES / big.len() {
            assert!(matches!(
                docs.update(uri(i), big.clone(), Encoding::Utf16),
                Some(Open::Analysed(_))
            ));
        }
        let refused = docs.update(uri(99), big.clone(), Encoding::Utf16);
        let limit = format!("{} MiB in all", MAX_OPEN_BYTES / (1024 * 1024));
        assert!(matches!(refused, Some(Open::Refused(why)) if why.contains(&limit)));
        docs.close(&uri(0));
        assert!(matches!(
            docs.update(uri(99), big, Encoding::Utf16),
            Some(Open::Analysed(_))
        ));
        let long = lsp::Uri::from_str(&format!("untitled:{}", "a".repeat(MAX_URI_BYTES))).unwrap();
        assert!(docs.update(long, String::new(), Encoding::Utf16).is_none());
    }
}
