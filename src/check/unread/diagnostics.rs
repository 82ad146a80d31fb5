//! The diagnostics `check::unread` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`dms_roles` is set, but the stack has no replication: no workspace creates DMS's roles")]
#[diagnostic(severity(Warning))]
pub(crate) struct IdleDmsRoles {
    #[label("DMS's roles are created only for a replication: this changes nothing")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for IdleDmsRoles {
    const TITLE: &str = "`dms_roles` in a stack without a replication";
    const EXPLANATION: &str = r#"`dms_roles` in the `stack` block says which workspace of an account creates DMS's two
fixed-name IAM roles (`dms-vpc-role`, `dms-cloudwatch-logs-role`), or `existing` when the account
has them. A root creates them only when the stack has a `replication`: in a stack without one the
setting changes no workspace's root. Remove it, or keep it for the day a replication is added
(the warning then goes away). A warning: the setting is idle, not harmful."#;
    const WRONG: &str = r#"stack shop {
  dms_roles = existing
}
"#;
    const RIGHT: &str = r#"stack shop { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "database `{database}` has a read-only login (`{key}`), but no service with a boot script reads it through its reader in any workspace"
)]
#[diagnostic(severity(Warning))]
pub(crate) struct IdleReaderLoginInBlock {
    pub(crate) database: String,
    pub(crate) key: String,
    #[label(
        "the read-only login goes only to the boot scripts of services with `reads = {database}.reader`: this changes nothing"
    )]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for IdleReaderLoginInBlock {
    const TITLE: &str = "a read-only login that no workspace's services receive";
    const EXPLANATION: &str = r#"A database's `reader_username` and `reader_password` are the login of the services that only
read it (`reads = ledger.reader`), published for their boot script (`boot = file …`) as SSM
parameters; a service without a boot script gets none of it. Written in the `database` block
while no workspace has a service with a boot script reading the database through its reader, the
login reaches no root. Remove it, or give the reading services a boot script. A warning: the
setting is idle, not harmful. (A workspace's own override of the login is PMG0848.)"#;
    const WRONG: &str = r#"database ledger {
  reader_username = "pay_ro"
  reader_password = db.password
}
"#;
    const RIGHT: &str = r#"database ledger { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
