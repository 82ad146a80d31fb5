//! The diagnostics `check::owners` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("a cutover's `owner` lists no workspace")]
#[diagnostic(help(
    "name the workspaces whose roots manage the cutover's records (`owner = [staging, production]`), or remove `owner` so that every workspace's root does"
))]
pub(crate) struct EmptyOwnerList {
    #[label("no workspace manages the cutover's records")]
    pub(crate) at: SourceSpan,
}

impl Violation for EmptyOwnerList {
    const TITLE: &str = "a cutover owned by no workspace";
    const EXPLANATION: &str = r#"`owner` says which workspaces' roots manage a cutover's weighted records, gate alarms and
health checks when several workspaces share one AWS account. An empty list would leave the
cutover in no root at all: the stack would declare a cutover that nothing builds. List the
workspaces that manage it, or leave `owner` out when each workspace is in an account of its
own (then every root manages its own records)."#;
    const WRONG: &str = r#"cutover payments {
  owner = []
}
"#;
    const RIGHT: &str = r#"cutover payments {
  owner = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspace `{workspace}` is listed twice in the cutover's `owner`")]
#[diagnostic(help("list each workspace once"))]
pub(crate) struct OwnerListedTwice {
    pub(crate) workspace: String,
    #[label("listed again here")]
    pub(crate) at: SourceSpan,
    #[label("first listed here")]
    pub(crate) first: SourceSpan,
}

impl Violation for OwnerListedTwice {
    const TITLE: &str = "a workspace listed twice as a cutover's owner";
    const EXPLANATION: &str = r#"Each workspace in a cutover's `owner` manages its own record of the cutover. A workspace listed
twice is most likely a typo for another workspace (`[production, production]` for `[staging,
production]`): the workspace meant would silently manage nothing. List each workspace once."#;
    const WRONG: &str = r#"cutover payments {
  owner = [aws-production, aws-production]
}
"#;
    const RIGHT: &str = r#"cutover payments {
  owner = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspaces `{a}` and `{b}` of account `{account}` both manage cutover `{cutover}`'s records of `{record}` in zone `{zone}`"
)]
pub(crate) struct SharedCutoverRecord {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) account: String,
    pub(crate) cutover: String,
    pub(crate) record: String,
    pub(crate) zone: String,
    #[label("`{b}` manages it")]
    pub(crate) at: SourceSpan,
    #[label("`{a}` manages it too")]
    pub(crate) other: SourceSpan,
    #[label("both own this cutover")]
    pub(crate) cause_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SharedCutoverRecord {
    const TITLE: &str = "two owners of a cutover in one account manage the same record";
    const EXPLANATION: &str = r#"Each workspace listed in a cutover's `owner` manages its own record of the cutover, as its
`workspace` block gives it. In one AWS account, a record set (its name, type and set
identifier in one hosted zone) can be managed by one root only: the second root to create the
weighted records of `pay.example.com` fails to apply (Route 53: "Tried to create resource record
set … but it already exists"), and were it forced, each apply would overwrite the other's
weights and each one's gate would move the other's traffic. Give every owner but one a record of its own in its
`workspace` block (`payments.record = "pay-sync.example.com" in zone "example.com"`, with a
certificate that covers it), or put the workspaces in different accounts (`account = "…"`).
Names are compared as Route 53 compares them: without case and without the trailing dot."#;
    const WRONG: &str = r#"cutover payments {
  owner = [legacy-sync, aws-production]
}
workspace legacy-sync { }
"#;
    const RIGHT: &str = r#"cutover payments {
  owner = [legacy-sync, aws-production]
}
workspace legacy-sync {
  pay.domain      = "pay-sync.example.com"
  payments.record = "pay-sync.example.com" in zone "example.com"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
