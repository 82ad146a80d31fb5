//! The diagnostics `check::idle` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspace `{workspace}` overrides `{database}.{key}`, but no service of it with a boot script reads `{database}` through its reader"
)]
#[diagnostic(severity(Warning))]
pub(crate) struct IdleReaderLogin {
    pub(crate) workspace: String,
    pub(crate) database: String,
    pub(crate) key: String,
    #[label(
        "the read-only login goes only to the boot scripts of services with `reads = {database}.reader`: this changes nothing here"
    )]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for IdleReaderLogin {
    const TITLE: &str = "a read-only login overridden where nothing reads through the reader";
    const EXPLANATION: &str = r#"A database's `reader_username` and `reader_password` are the login of the services that only
read it (`reads = ledger.reader`), published for their boot script (`boot = file …`) as SSM
parameters; a service without a boot script gets none of it. A workspace that overrides the
login while none of its services with a boot script reads the database through its reader
changes nothing in its root. Remove the override, or set it in the workspace whose services read the
reader. A warning: the setting is idle, not harmful. Only a workspace's own override is
reported, since the block's value may serve another workspace."#;
    const WRONG: &str = r#"workspace aws-production {
  ledger.reader_username = "pay_ro"
  ledger.reader_password = db.password
}
"#;
    const RIGHT: &str = r#"workspace aws-production { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
