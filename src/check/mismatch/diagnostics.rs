//! The diagnostics `check::mismatch` declares, which the context, the declarations and every
//! reader of values report: each one's message, labels, help and fix, with its catalogue entry
//! (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("expected {expected}, found {found}")]
pub(crate) struct TypeMismatch {
    pub(crate) expected: String,
    pub(crate) found: String,
    #[label("expected {expected}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for TypeMismatch {
    const TITLE: &str = "wrong type of value";
    const EXPLANATION: &str = r#"The value is of a different kind than the attribute takes: a string where a number is expected,
a list where a single name is expected, several words where one is expected. The help shows the
form to write when it is clear."#;
    const WRONG: &str = r#"network edge {
  zones = "two"
}
"#;
    const RIGHT: &str = r#"network edge {
  zones = 2
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown {what} `{value}`")]
pub(crate) struct UnknownValue {
    pub(crate) what: String,
    pub(crate) value: String,
    #[label("expected one of: {options}")]
    pub(crate) at: SourceSpan,
    pub(crate) options: String,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownValue {
    const TITLE: &str = "unknown value";
    const EXPLANATION: &str = r#"The attribute takes one of a fixed set of words (a NAT mode, a replication mode, a protocol, a
kind of existing resource); the label lists them and the help names the closest."#;
    const WRONG: &str = r#"network main {
  nat = per_az
}
"#;
    const RIGHT: &str = r#"network main {
  nat = per_zone
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
