//! `boot = file "PATH"` on a service: the script its instances run at first boot (EC2 user
//! data), a file beside the stack.
//!
//! The library reads no file. [`named`] lists the paths a parsed stack names (in `service`
//! blocks and in workspace overrides, `api.boot = file "…"`); the caller reads each one
//! relative to the stack's directory, at most [`USER_DATA_LIMIT`] + 1 bytes of it, and hands
//! back what it found ([`Found`]); [`read`] asks for them, after refusing a path that is not
//! relative to the stack (an absolute path would make the output depend on the machine, so the
//! caller is never asked to read one). `Ctx::boot` then judges what was read: readable
//! (PMG0610), within AWS's user-data limit (PMG0611), a non-empty UTF-8 text (PMG0612).
//! The reading half is `check::files`, below the context that carries what was read; this
//! module re-exports it, where callers name it.

mod diagnostics;
pub(crate) use diagnostics::{BadBootFile, BootFileTooLarge, BootFileUnreadable};

pub(crate) use super::files::{
    FileRead, Files, Found, NOT_GIVEN, USER_DATA_LIMIT, path_problem, read,
};

use super::context::Ctx;
use super::error::CheckError;
use super::files::file_path;
use crate::check::mismatch::TypeMismatch;
use crate::diag::at;
use crate::model::Boot;
use crate::syntax::ast::Value;

impl<'a> Ctx<'a> {
    /// `boot = file "PATH"`: the script, read by the caller, proven readable, within the limit
    /// and a non-empty UTF-8 text.
    pub(crate) fn boot(&mut self, service: &str, value: &'a Value) -> Option<Boot> {
        let Some(path) = file_path(value) else {
            self.error(TypeMismatch {
                expected: "a file beside the stack: `file \"PATH\"`".into(),
                found: value
                    .terms
                    .first()
                    .map_or("nothing", |t| t.kind.describe())
                    .into(),
                at: at(value.span),
                help: Some("write `boot = file \"scripts/boot.sh\"`, a path relative to the directory of the stack".into()),
            });
            return None;
        };
        let span = value.terms.get(1).map_or(value.span, |t| t.span);
        let bad = |problem: String, help: &str| BadBootFile {
            service: service.to_string(),
            path: path.to_string(),
            problem,
            at: at(span),
            help: Some(help.to_string()),
        };
        if let Some(problem) = path_problem(path) {
            self.error(bad(
                format!("the path {problem}"),
                "keep the script in the stack's directory or below it and name it from there, e.g. `file \"scripts/boot.sh\"` for `scripts/boot.sh` beside the stack, so the stack builds the same on every machine and reads nothing else",
            ));
            return None;
        }
        let Some(found) = self.files.get(path) else {
            self.error(BootFileUnreadable {
                service: service.to_string(),
                path: path.to_string(),
                resolved: path.to_string(),
                reason: NOT_GIVEN.into(),
                at: at(span),
            });
            return None;
        };
        match &found.read {
            FileRead::Unreadable(reason) => {
                self.error(BootFileUnreadable {
                    service: service.to_string(),
                    path: path.to_string(),
                    resolved: found.resolved.clone(),
                    reason: reason.clone(),
                    at: at(span),
                });
                None
            }
            FileRead::TooLarge(size) => {
                self.error(too_large(
                    service,
                    path,
                    found,
                    format!("{size} bytes"),
                    span,
                ));
                None
            }
            // The reader stopped one byte past the limit: the file is at least that long.
            FileRead::Bytes(bytes) if bytes.len() > USER_DATA_LIMIT => {
                let size = format!("more than {USER_DATA_LIMIT} bytes");
                self.error(too_large(service, path, found, size, span));
                None
            }
            FileRead::Bytes(bytes) if bytes.is_empty() => {
                self.error(bad(
                    format!("`{}` is empty", found.resolved),
                    "write the script the instances run at first boot, or leave `boot` out to boot the image as it is",
                ));
                None
            }
            FileRead::Bytes(bytes) => match std::str::from_utf8(bytes) {
                Ok(script) => Some(Boot {
                    path: path.to_string(),
                    script: script.to_string(),
                }),
                Err(e) => {
                    let line = bytes
                        .get(..e.valid_up_to())
                        .map_or(0, |b| b.iter().filter(|&&b| b == b'\n').count())
                        + 1;
                    self.error(bad(
                        format!("`{}` is not UTF-8 text (a bad byte on line {line})", found.resolved),
                        "save the script as UTF-8; pmigc sends a text script, which reviewers can read in the stack's repository (a compressed or binary payload is not accepted)",
                    ));
                    None
                }
            },
        }
    }
}

fn too_large(
    service: &str,
    path: &str,
    found: &Found,
    size: String,
    span: crate::syntax::ast::Span,
) -> CheckError {
    BootFileTooLarge {
        service: service.to_string(),
        path: path.to_string(),
        resolved: found.resolved.clone(),
        size,
        at: at(span),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_relative_to_the_stack_are_accepted() {
        for ok in [
            "scripts/boot.sh",
            "boot.sh",
            "./boot.sh",
            "a b/c.sh",
            "x..y/z.sh",
        ] {
            assert_eq!(path_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "/etc/boot.sh",
            "~/boot.sh",
            "C:\\boot.sh",
            "\\\\host\\x",
            "a\nb",
            "../shared/boot.sh",
            "scripts/../../x.sh",
            "..",
            "a\\..\\b.sh",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn named_lists_services_and_workspace_overrides_once() {
        let text = "service api { boot = file \"b.sh\" }\nservice w { boot = file \"a.sh\" }\n\
                    database d { boot = file \"no.sh\" }\n\
                    workspace p { api.boot = file \"b.sh\"\n w.boot = file \"/abs.sh\" }\n";
        let (file, _) = crate::syntax::parse(text);
        assert_eq!(super::super::files::named(&file), ["a.sh", "b.sh"]);
    }
}
