//! The diagnostics `check::database` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unsupported {what} `{value}`")]
pub(crate) struct UnknownEngine {
    pub(crate) what: String,
    pub(crate) value: String,
    #[label("supported: {options}")]
    pub(crate) at: SourceSpan,
    pub(crate) options: String,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownEngine {
    const TITLE: &str = "unsupported engine or version";
    const EXPLANATION: &str = r#"The database engines are Aurora MySQL (`aurora_mysql "8.0"`) and Aurora PostgreSQL
(`aurora_postgresql "16"`); the on-premises source engines are `mysql`, `mariadb` and
`postgresql`. The versions are those Aurora offers: for Aurora MySQL `8.0` (the current 3.08
line), `3.08`, `3.07`, `3.05`, or a full version such as `8.0.mysql_aurora.3.08.2`; for Aurora
PostgreSQL the majors under standard support, `13` to `17`, or a full version such as `15.14`.
A misspelt engine is corrected only to an engine of the same family (`aurora_postgres` to
`aurora_postgresql`); pmigc never offers a fix that turns a PostgreSQL database into a MySQL one."#;
    const WRONG: &str = r#"database ledger {
  engine = aurora_mysql "8.1"
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine = aurora_mysql "8.0"
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("backup retention of {value} is outside the 1 to 35 days Aurora allows")]
pub(crate) struct BackupRetention {
    pub(crate) value: String,
    #[label("out of range")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BackupRetention {
    const TITLE: &str = "backup retention out of range";
    const EXPLANATION: &str = r#"Aurora keeps automated backups for 1 to 35 whole days. Longer retention needs snapshots or AWS
Backup, outside this stack."#;
    const WRONG: &str = r#"database ledger {
  backups = 90 days
}
"#;
    const RIGHT: &str = r#"database ledger {
  backups = 35 days
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("database name `{name}` {problem}")]
pub(crate) struct BadDbname {
    pub(crate) name: String,
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadDbname {
    const TITLE: &str = "a database name Aurora PostgreSQL refuses";
    const EXPLANATION: &str = r#"An Aurora PostgreSQL cluster is created with one database, the one DMS reads on the source and
writes on Aurora: `dbname = "shop"`, or the block's name when the block writes none. RDS takes
1 to 63 letters, digits and `_`, starting with a letter, and refuses the databases every
cluster already has (`postgres`, `template0`, `template1`, `rdsadmin`). When the block's name
is the problem, the label is on the name and the help says to write `dbname`."#;
    const WRONG: &str = r#"database reports {
  engine   = aurora_postgresql "16"
  instance = db.r6g.large
  in       = main.private
  password = db.password
  dbname   = "9reports"
}
"#;
    const RIGHT: &str = r#"database reports {
  engine   = aurora_postgresql "16"
  instance = db.r6g.large
  in       = main.private
  password = db.password
  dbname   = "reports"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`dbname` applies to Aurora PostgreSQL, not to {engine}")]
pub(crate) struct DbnameOnMysql {
    pub(crate) engine: String,
    #[label("a MySQL migration names no database")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for DbnameOnMysql {
    const TITLE: &str = "`dbname` on Aurora MySQL";
    const EXPLANATION: &str = r#"`dbname` names the PostgreSQL database a migration moves. A MySQL migration names none: DMS
reads every schema its task selects, and an Aurora MySQL cluster needs no initial database. The
attribute is refused rather than ignored."#;
    const WRONG: &str = r#"database ledger {
  dbname = "ledger"
}
"#;
    const RIGHT: &str = r#"database ledger {
  backups = 7 days
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("database `{name}` is placed in public subnets")]
#[diagnostic(help(
    "place it in the private tier (`in = NETWORK.private`): a payment database is never reachable from the internet"
))]
pub(crate) struct PublicDatabase {
    pub(crate) name: String,
    #[label("a public tier: one security-group change from the internet")]
    pub(crate) at: SourceSpan,
    pub(crate) fix: Option<Fix>,
}

impl Violation for PublicDatabase {
    const TITLE: &str = "database in public subnets";
    const EXPLANATION: &str = r#"A payment database is never reachable from the internet; it belongs in the private tier. A
database in public subnets is one security-group change away from exposure, and PCI DSS expects
the systems holding card data to be segmented from the internet. Place it in the private tier
of the same network (`in = main.private`); services reach it through `reads`."#;
    const WRONG: &str = r#"database ledger {
  in = main.public
}
"#;
    const RIGHT: &str = r#"database ledger {
  in = main.private
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("encryption at rest is turned off without a reason")]
pub(crate) struct EncryptionOff {
    #[label("the database would store payment data unencrypted")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for EncryptionOff {
    const TITLE: &str = "encryption at rest turned off without a reason";
    const EXPLANATION: &str = r#"Everything that stores data is encrypted with the stack's KMS key. Turning it off for a database
needs a reason written in the stack, `encryption = off because "..."`: the reason travels into the
compiled Terraform as the waiver a reviewer and the security scan read. Plain `encryption = off`,
or a reason of a word or two, is refused: card data at rest must be encrypted."#;
    const WRONG: &str = r#"database ledger {
  encryption = off
}
"#;
    const RIGHT: &str = r#"database ledger {
  # no `encryption` line: encrypted with the stack's KMS key
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("a list of databases applies to Aurora PostgreSQL, not to {engine}")]
pub(crate) struct DbnameListOnMysql {
    pub(crate) engine: String,
    #[label("a MySQL database is a schema, and DMS reads every schema of the server")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for DbnameListOnMysql {
    const TITLE: &str = "a list of databases on Aurora MySQL";
    const EXPLANATION: &str = r#"On MySQL and MariaDB a database is a schema, and one DMS task reads every schema of the server
its table mappings select: there is nothing to list. To move only some of them, name them in
the replication's `include` (`include = ["shop.%", "billing.%"]`, schema `.` table)."#;
    const WRONG: &str = r#"database shop {
  engine = aurora_mysql "8.0"
  dbname = ["shop", "billing"]
}
"#;
    const RIGHT: &str = r#"replication sync {
  include = ["shop.%", "billing.%"]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("database `{name}` is listed twice in `dbname`")]
pub(crate) struct DuplicateDbname {
    pub(crate) name: String,
    #[label("listed again here")]
    pub(crate) at: SourceSpan,
    #[label("first here")]
    pub(crate) first: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for DuplicateDbname {
    const TITLE: &str = "a database listed twice";
    const EXPLANATION: &str = r#"Each database of `dbname = ["ledger", "ledger_audit"]` gets its own DMS endpoints and task
(and its own fallback task under a data cutover). A name listed twice would make two tasks
write the same database."#;
    const WRONG: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "ledger_audit", "ledger"]
}

replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "ledger_audit"]
}

replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`dbname` lists no database")]
pub(crate) struct EmptyDbnameList {
    #[label("an empty list")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for EmptyDbnameList {
    const TITLE: &str = "an empty list of databases";
    const EXPLANATION: &str = r#"An Aurora PostgreSQL cluster is created with a database, and DMS reads and writes the databases
`dbname` names: an empty list names none. Write the databases the source holds, the cluster's
own first (`dbname = ["ledger", "ledger_audit"]`), or leave `dbname` out for the block's name."#;
    const WRONG: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = []
}

replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "ledger_audit"]
}

replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
