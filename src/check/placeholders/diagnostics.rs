//! The diagnostics `check::placeholders` reports: each one's message, labels, help and fix, with
//! its catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("placeholder `{{{input}}}` is not filled in here")]
pub(crate) struct PlaceholderNotFilled {
    pub(crate) input: String,
    #[label("input `{input}` written inside a string")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PlaceholderNotFilled {
    const TITLE: &str = "placeholder not filled in";
    const EXPLANATION: &str = r#"`{input}` placeholders are filled in, per workspace, in every string of the stack's blocks (a
record, a legacy host, a certificate's domain, a tag, a user name…). A few strings are read
before any workspace's values exist or are where those values are set, and are written as they
are: the stack's `region` (one per stack), a workspace's own `state` and `account`, an input's
value, and a secret's `keys`. There the braces would reach AWS or the backend as they are, so a
`{NAME}` that names a declared input is refused. Spell the value out."#;
    const WRONG: &str = r#"workspace aws-production {
  state = s3 "pay-tfstate" "payment/{environment_suffix}.tfstate"
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

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "placeholder `{{{input}}}` names an input of type `{ty}`, which cannot be written into a string"
)]
pub(crate) struct PlaceholderType {
    pub(crate) input: String,
    pub(crate) ty: String,
    #[label("an input of type `{ty}` written inside a string")]
    pub(crate) at: SourceSpan,
    #[label("`{input}` is declared here as `{ty}`")]
    pub(crate) declared: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PlaceholderType {
    const TITLE: &str = "placeholder of an input that is not text";
    const EXPLANATION: &str = r#"A placeholder is filled in with the text of an input of type `name` or `text`. A `percent` or
`number` input is a quantity with no single spelling inside a string (`50%`, `50`, `0.5`), so
it cannot be a placeholder; declare a `text` input with the words to write."#;
    const WRONG: &str = r#"cutover payments {
  legacy = "legacy-{traffic_weight}.pay.example.com"
}
"#;
    const RIGHT: &str = r#"cutover payments {
  legacy = "legacy-{environment_suffix}.pay.example.com"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("placeholder `{{{name}}}` names {actual}, not an input")]
pub(crate) struct PlaceholderNotInput {
    pub(crate) name: String,
    pub(crate) actual: String,
    #[label("a placeholder is filled in with an input's value")]
    pub(crate) at: SourceSpan,
    #[label("`{name}` is declared here as {actual}")]
    pub(crate) declared: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PlaceholderNotInput {
    const TITLE: &str = "placeholder naming something that is not an input";
    const EXPLANATION: &str = r#"`{NAME}` in a string is a placeholder when NAME is declared: it is filled in with that input's
value in each workspace. A `{NAME}` naming a service, a network or any other block has no value
to fill in. (Braces around a word that names nothing, as in `"/items/{id}"`, are text.)"#;
    const WRONG: &str = r#"stack payment {
  tags = { service = "payments", cost-center = "pay-{api}" }
}
"#;
    const RIGHT: &str = r#"stack payment {
  tags = { service = "payments", cost-center = "pay-42" }
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
