//! The diagnostics `check::boot` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the boot script of service `{service}` cannot be read: `{resolved}`: {reason}")]
#[diagnostic(help(
    "`boot = file \"PATH\"` is read when the stack is compiled, relative to the directory of the stack file; check the path's spelling and that the file exists there and is readable"
))]
pub(crate) struct BootFileUnreadable {
    pub(crate) service: String,
    pub(crate) path: String,
    /// The path the caller tried: the stack's directory joined with `path`.
    pub(crate) resolved: String,
    pub(crate) reason: String,
    #[label("read as `{resolved}`")]
    pub(crate) at: SourceSpan,
}

impl Violation for BootFileUnreadable {
    const TITLE: &str = "a service's boot script cannot be read";
    const EXPLANATION: &str = r#"`boot = file "PATH"` names the script a service's instances run at first boot (EC2 user
data). pmigc reads it when the stack is compiled — by `pmigc check`, `pmigc build` and the
language server alike — relative to the directory of the stack file, not to the directory
pmigc is run from. A path that names no file there, a directory, or a file that cannot be
opened is refused; the message says which path was tried."#;
    const WRONG: &str = r#"service api {
  boot = file "script/api-boot.sh"
}
"#;
    const RIGHT: &str = r#"service api {
  boot = file "scripts/api-boot.sh"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the boot script of service `{service}` is larger than the 16384 bytes of user data EC2 accepts"
)]
#[diagnostic(help(
    "EC2 takes at most 16 KB of user data, counted before base64 encoding; keep the boot script small (install and start the application), and let it fetch anything larger, e.g. from S3 or a package repository"
))]
pub(crate) struct BootFileTooLarge {
    pub(crate) service: String,
    pub(crate) path: String,
    pub(crate) resolved: String,
    /// "20000 bytes", or "more than 16384 bytes" when the reader stopped there.
    pub(crate) size: String,
    #[label("`{resolved}` is {size}; the limit is 16384")]
    pub(crate) at: SourceSpan,
}

impl Violation for BootFileTooLarge {
    const TITLE: &str = "a service's boot script is larger than EC2's user-data limit";
    const EXPLANATION: &str = r#"EC2 accepts at most 16 KB (16384 bytes) of user data, counted before base64 encoding; a
larger script would be refused by AWS when the launch template is created. pmigc checks the
size when it compiles the stack (and stops reading a file one byte past the limit). Keep the
boot script small — install and start the application — and let it fetch anything larger
from S3 or a package repository."#;
    const WRONG: &str = r#"service api {
  boot = file "scripts/api-setup.sh"
}
"#;
    const RIGHT: &str = r#"service api {
  boot = file "scripts/api-boot.sh"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the boot script `{path}` of service `{service}` cannot be used: {problem}")]
pub(crate) struct BadBootFile {
    pub(crate) service: String,
    pub(crate) path: String,
    pub(crate) problem: String,
    #[label("{problem}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadBootFile {
    const TITLE: &str = "a boot script pmigc cannot send";
    const EXPLANATION: &str = r#"A boot script lives in the stack's directory or below it, and is named from there: an absolute
path (`/…`, `~/…`, `C:\…`) would make the stack build differently on another machine, and a
path through `..` would let a stack embed any file the machine that builds it can read (a CI
runner's, say); both are refused, as is an empty path, and the file is never read. (A
symbolic link that leads out of the stack's directory is not followed either: PMG0610.) The file must be a non-empty UTF-8 text: an empty file is refused (leave
`boot` out to boot the image as it is), and so is a file that is not UTF-8 (a compressed or
binary payload), since the script is meant to be read in the stack's repository. A script
needs no `#!` line; whatever it holds is sent to the instance unchanged, `${…}` included."#;
    const WRONG: &str = r#"service api {
  boot = file "/home/me/api-boot.sh"
}
"#;
    const RIGHT: &str = r#"service api {
  boot = file "scripts/api-boot.sh"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
