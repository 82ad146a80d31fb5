//! The diagnostics `check::tables` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{pattern}` in `{attr}` is not a `schema.table` pattern")]
pub(crate) struct BadTablePattern {
    pub(crate) pattern: String,
    pub(crate) attr: String,
    #[label("{why}")]
    pub(crate) at: SourceSpan,
    pub(crate) why: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadTablePattern {
    const TITLE: &str = "a table pattern that is not `schema.table`";
    const EXPLANATION: &str = r#"`include` and `exclude` name what a replication copies, as DMS selection rules: each item is one
schema, a `.`, and one table, with `%` for any run of characters (`"shop.%"` is every table of
schema `shop`, `"%.invoices"` table `invoices` of every schema). `%` is the only wildcard: `_` is
an underscore (pmigc writes it to DMS as `[_]`, since DMS reads a bare `_` as any one
character), and `[`, `]` are refused. A name without a `.`, with two, or with an empty side is
refused. (The right example copies every table, `%.%`, as the reference stack's data
cutover needs: PMG0840.)"#;
    const WRONG: &str = r#"replication onprem_to_aws {
  include = ["ledger"]
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  include = ["%.%"]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the `exclude` of replication `{replication}` removes every table its `include` selects")]
pub(crate) struct ExcludesEverything {
    pub(crate) replication: String,
    #[label("excludes all of it")]
    pub(crate) at: SourceSpan,
    #[label("selects only these")]
    pub(crate) include_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for ExcludesEverything {
    const TITLE: &str = "an exclude that removes everything";
    const EXPLANATION: &str = r#"Every table an `include` pattern selects is also selected by an `exclude` pattern, so DMS would
copy nothing: the task would run and protect no data. Without `include` the replication selects
every table (`%.%`), so `exclude = ["%.%"]` alone is the same mistake. Narrow `exclude` to the
tables to leave behind. (pmigc refuses this when one exclude pattern covers an include pattern;
several excludes that only together cover one are not detected.) (The right example copies every table, `%.%`, as the reference stack's data
cutover needs: PMG0840.)"#;
    const WRONG: &str = r#"replication onprem_to_aws {
  include = ["ledger.entries"]
  exclude = ["ledger.%"]
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  include = ["%.%"]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{attr}` of replication `{replication}` names no table")]
pub(crate) struct EmptyTableList {
    pub(crate) attr: String,
    pub(crate) replication: String,
    #[label("an empty list")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for EmptyTableList {
    const TITLE: &str = "an include or exclude list that names nothing";
    const EXPLANATION: &str = r#"`include = []` selects no table, and DMS requires at least one selection rule that includes
something; `exclude = []` leaves nothing behind and so does nothing. Name the tables, or remove
the attribute (no `include` copies every table). (The right example copies every table, `%.%`, as the reference stack's data
cutover needs: PMG0840.)"#;
    const WRONG: &str = r#"replication onprem_to_aws {
  include = []
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  include = ["%.%"]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{pattern}` copies {engine}'s system schema `{schema}`")]
pub(crate) struct SystemSchema {
    pub(crate) pattern: String,
    pub(crate) engine: String,
    pub(crate) schema: String,
    #[label("the source server's own catalogue, not the application's data")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SystemSchema {
    const TITLE: &str = "a system schema included";
    const EXPLANATION: &str = r#"A source server keeps its own catalogue and settings in system schemas: `mysql`, `sys`,
`information_schema` and `performance_schema` on MySQL (and MariaDB), `information_schema`,
`pg_catalog` and `pg_toast` on PostgreSQL. They are not the application's data, and Aurora has
its own. An `include` pattern that names one outright is refused; a wildcard schema (`%`) is
not. Create the application's users and grants on Aurora yourself. (The right example copies every table, `%.%`, as the reference stack's data
cutover needs: PMG0840.)"#;
    const WRONG: &str = r#"replication onprem_to_aws {
  include = ["ledger.%", "mysql.user"]
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  include = ["%.%"]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
