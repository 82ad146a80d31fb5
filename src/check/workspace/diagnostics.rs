//! The diagnostics `check::workspace` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspace `{workspace}` overrides `{key}`, which is {problem}")]
pub(crate) struct UnknownOverride {
    pub(crate) workspace: String,
    pub(crate) key: String,
    pub(crate) problem: String,
    #[label("nothing to override")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownOverride {
    const TITLE: &str = "override of something that does not exist";
    const EXPLANATION: &str = r#"A workspace sets inputs (`traffic_weight = 0%`), its `state`, or `BLOCK.ATTRIBUTE`
(`api.capacity = 2..4`, `pay.domain = "pay.example.org"`, and the stack's own settings by its
keyword, `stack.tags = { … }`). Anything else is a typo, and every override is checked exactly like the
original value."#;
    const WRONG: &str = r#"workspace aws-production {
  traffic_weigth = 100%
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  traffic_weight = 100%
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspace `{workspace}` overrides `{key}`, which a workspace cannot override: {why}")]
pub(crate) struct NotOverridable {
    pub(crate) workspace: String,
    pub(crate) key: String,
    pub(crate) why: String,
    #[label("a workspace cannot set this")]
    pub(crate) at: SourceSpan,
    #[label("set here, once for every workspace")]
    pub(crate) original: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NotOverridable {
    const TITLE: &str = "attribute a workspace cannot override";
    const EXPLANATION: &str = r#"A workspace overrides `BLOCK.ATTRIBUTE` (`api.capacity = 2..4`, `stack.tags = {…}`,
`pay.domain = "…"`), checked exactly like the original. A few attributes are one fact for every
workspace and cannot be set by one of them: the stack's `region` (the state buckets, the zones
and the account-wide names are read in it), `dms_roles` and a cutover's `owner` (which one
workspace of an account creates or manages something), and a secret's `keys` (what `SECRET.KEY`
references are checked against). Set them in the block itself."#;
    const WRONG: &str = r#"workspace aws-production {
  stack.region = "eu-west-1"
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  stack.tags = { service = "payments", cost-center = "pay-42", owner = "platform", env = "prod" }
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the state {what} `{value}` {problem}")]
pub(crate) struct BadStateLocation {
    pub(crate) what: &'static str,
    pub(crate) value: String,
    pub(crate) problem: String,
    #[label("{rule}")]
    pub(crate) at: SourceSpan,
    pub(crate) rule: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadStateLocation {
    const TITLE: &str = "a state bucket or key S3 or Terraform refuses";
    const EXPLANATION: &str = r#"`state = s3 "BUCKET" "KEY"` is written into the root's backend as it is, so a bucket S3 cannot
have or a key the S3 backend refuses fails `terraform init`, after the build. A bucket name is 3
to 63 lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit, without
`..`, not shaped like an IP address, not starting with `xn--`, `sthree-` or `amzn-s3-demo-` and
not ending with `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3` or `--table-s3` (S3's "General purpose
bucket naming rules"). A key is at most 1024 bytes with the `.tflock` its lock file adds (S3's
object keys), does not start or end with `/` and has no `//` (Terraform's S3 backend refuses
those), and holds no control character."#;
    const WRONG: &str = r#"workspace aws-production {
  state = s3 "Pay_TFState" "payment/aws-production.tfstate"
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  state = s3 "pay-tfstate" "payment/aws-production.tfstate"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
