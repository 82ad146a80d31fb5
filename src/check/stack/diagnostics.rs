//! The diagnostics `check::stack` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown input type `{ty}`")]
pub(crate) struct UnknownInputType {
    pub(crate) ty: String,
    #[label("expected one of: name, percent, text, number")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownInputType {
    const TITLE: &str = "unknown input type";
    const EXPLANATION: &str = r#"Inputs have one of four types: `name` (lowercase letters, digits and `-`, usable in resource
names), `percent`, `text` and `number`."#;
    const WRONG: &str = r#"input traffic_weight: percentage = 50%
"#;
    const RIGHT: &str = r#"input traffic_weight: percent = 50%
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown region `{region}`")]
pub(crate) struct UnknownRegion {
    pub(crate) region: String,
    #[label("not an AWS region pmigc knows")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownRegion {
    const TITLE: &str = "unknown region";
    const EXPLANATION: &str = r#"The region is not an AWS region pmigc knows, so it cannot check zone counts or instance
availability against it, and Terraform would only find out when the provider first calls AWS.
The help suggests the closest region name."#;
    const WRONG: &str = r#"stack payment {
  region = "us-east-7"
}
"#;
    const RIGHT: &str = r#"stack payment {
  region = "us-east-1"
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} is written as plain text")]
pub(crate) struct PlaintextSecret {
    pub(crate) what: String,
    #[label("a secret in the stack ends up in git, in the plan and in the state")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PlaintextSecret {
    const TITLE: &str = "secret written as plain text";
    const EXPLANATION: &str = r#"A password in the stack ends up in git, in every plan and in the Terraform state. Declare the
existing Secrets Manager secret and refer to one of its keys; pmigc emits only a data-source
reference."#;
    const WRONG: &str = r#"database ledger {
  password = "hunter2"
}
"#;
    const RIGHT: &str = r#"existing secret db { name = "payment-db-credentials", keys = [password, dms_password, dms_writer_password] }
database ledger {
  password = db.password
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("secret `{secret}` has no key `{key}`")]
pub(crate) struct UnknownSecretKey {
    pub(crate) secret: String,
    pub(crate) key: String,
    #[label("not one of the declared keys")]
    pub(crate) at: SourceSpan,
    #[label("keys declared here")]
    pub(crate) keys_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownSecretKey {
    const TITLE: &str = "unknown secret key";
    const EXPLANATION: &str = r#"The secret does not declare this key, so the lookup would fail at apply time (or worse, read an
empty value). The second label shows the declared keys."#;
    const WRONG: &str = r#"existing secret db { name = "payment-db-credentials", keys = [password, dms_password, dms_writer_password] }
database ledger {
  password = db.admin_password
}
"#;
    const RIGHT: &str = r#"existing secret db { name = "payment-db-credentials", keys = [password, dms_password, dms_writer_password] }
database ledger {
  password = db.password
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
