//! The diagnostics `check::misspelt` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{kind} `{declared}` is never used, and `{used}` is used {times} times and never declared")]
#[diagnostic(help("did you mean to name it `{used}`?"))]
pub(crate) struct MisspeltDeclaration {
    pub(crate) declared: String,
    pub(crate) used: String,
    pub(crate) times: usize,
    pub(crate) kind: String,
    #[label("declared as `{declared}`")]
    pub(crate) at: SourceSpan,
    #[label(collection, "used as `{used}`")]
    pub(crate) uses: Vec<SourceSpan>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for MisspeltDeclaration {
    const TITLE: &str = "a declaration's name misspelt";
    const EXPLANATION: &str = r#"When one name is used several times and never declared, and the declaration it most resembles
is never used, the declaration is what was misspelt. pmigc reports it once, at the declaration,
with every use as a secondary label and the rename as a machine-applicable fix, instead of an
undefined name at every use and an unused declaration."#;
    const WRONG: &str = r#"database ledgr {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  username = "payments_admin"
  password = db.password
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  username = "payments_admin"
  password = db.password
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
