//! The diagnostics `check::identifiers` reports: each one's message, labels, help and fix, with
//! its catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{kind_a} `{a}` and {kind_b} `{b}` both become {what} `{common}`")]
pub(crate) struct NameClash {
    pub(crate) kind_a: String,
    pub(crate) a: String,
    pub(crate) kind_b: String,
    pub(crate) b: String,
    pub(crate) what: String,
    pub(crate) common: String,
    #[label("becomes `{common}`")]
    pub(crate) at: SourceSpan,
    #[label("`{a}` declared here")]
    pub(crate) other: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NameClash {
    const TITLE: &str = "two names, one address";
    const EXPLANATION: &str = r#"Two blocks whose names differ only in `-` and `_` get one Terraform address (addresses write
`-` as `_`), so one block's resources would take the place of the other's; two whose names
differ only in case or in `-` and `_` get one AWS name (AWS names write `_` as `-`, and RDS and
DMS keep identifiers in lowercase). Two workspaces whose names differ only in case are built
into one directory on macOS and Windows, whose file systems ignore case. pmigc never merges
them silently: both places are shown; rename one of them.

The same holds for every name a block derives (`docs/names.md` lists them): pmigc writes the
security group of service `api`'s load balancer as `aws_security_group.api_alb` and the
enhanced monitoring role of database `ledger` as `aws_iam_role.ledger_monitoring`, so a service
named `api_alb` or `ledger_monitoring` would take their place (the last one written would win,
443 open to the internet on a worker's group). The message names the address or the AWS name
both blocks derive, and the help what each block would use it for."#;
    const WRONG: &str = r#"service API {
  instance = t3.medium
  capacity = 1..2
  in       = main.private
  port     = 8081
}
"#;
    const RIGHT: &str = r#"service admin {
  instance = t3.medium
  capacity = 1..2
  in       = main.private
  port     = 8081
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} `{name}` looks like a secret")]
pub(crate) struct SecretLookingName {
    pub(crate) what: String,
    pub(crate) name: String,
    #[label("{reason}")]
    pub(crate) at: SourceSpan,
    pub(crate) reason: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SecretLookingName {
    const TITLE: &str = "input or tag named like a secret";
    const EXPLANATION: &str = r#"An input's value is written in plain text into the Terraform variables, the plan and the state,
and a tag is readable by anyone who can list the resources. An input or tag named like a
secret (a password, passwd, passphrase, secret, token, credential, API key, access key or
private key, in any case, as a word of the name: `db_password`, `apiKey`, `PRIVATE-KEY`) is
therefore refused: keep the secret in AWS Secrets Manager, declare it with `existing secret`
and refer to its key (`db.password`). If the value is no secret, choose a name that does not
say it is."#;
    const WRONG: &str = r#"input db_password: text = "hunter2"
"#;
    const RIGHT: &str = r#"existing secret db { name = "payment-db-credentials", keys = [password, dms_password, dms_writer_password] }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspace name `{name}` {problem}")]
pub(crate) struct WorkspaceName {
    pub(crate) name: String,
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for WorkspaceName {
    const TITLE: &str = "workspace name unusable as a directory";
    const EXPLANATION: &str = r#"Each workspace is built into a directory of its name (`out/aws-production/`). A name longer
than 64 characters (file systems allow 255 bytes, and the paths under it must stay usable), or
one Windows reserves for a device (`con`, `prn`, `aux`, `nul`, `com1` to `com9`, `lpt1` to
`lpt9`), would pass `check` and fail `build`, or fail on a colleague's machine; pmigc refuses it
when checking."#;
    const WRONG: &str = r#"workspace aux {
  environment_suffix = "aux"
  traffic_weight     = 0%
  state              = s3 "pay-tfstate" "payment/aux.tfstate"
}
"#;
    const RIGHT: &str = r#"workspace aux-site {
  environment_suffix = "aux"
  traffic_weight     = 0%
  state              = s3 "pay-tfstate" "payment/aux-site.tfstate"
  onprem.gateway     = "vgw-0a1b2c3d4e5f67892"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("input `{name}` is named like a workspace setting")]
pub(crate) struct InputNamedLikeSetting {
    pub(crate) name: String,
    #[label("`{name} = …` in a workspace sets {what}, never this input")]
    pub(crate) at: SourceSpan,
    pub(crate) what: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for InputNamedLikeSetting {
    const TITLE: &str = "an input named like a workspace setting";
    const EXPLANATION: &str = r#"A workspace sets its state with `state = …` and its account with `account = "…"`; an input
named `state` or `account` could never be given a value there (the line would set the
workspace's state or account instead), so every workspace would silently use its default.
Rename the input."#;
    const WRONG: &str = r#"input account: text = "payments"
"#;
    const RIGHT: &str = r#"input account_name: text = "payments"
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
