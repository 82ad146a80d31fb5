//! The diagnostics `check::names` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown block kind `{kind}`")]
pub(crate) struct UnknownBlockKind {
    pub(crate) kind: String,
    #[label("not a kind of block pmigc knows")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownBlockKind {
    const TITLE: &str = "unknown block kind";
    const EXPLANATION: &str = r#"The first word of a block says what it describes. The kinds are `stack`, `existing`,
`network`, `database`, `service`, `replication`, `cutover`, `dashboard` and `workspace`, plus
the `input` and `output` declarations."#;
    const WRONG: &str = r#"netwrok edge {
  cidr = 10.8.0.0/20
}
"#;
    const RIGHT: &str = r#"network edge {
  cidr = 10.8.0.0/20
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{problem}")]
pub(crate) struct BadHeader {
    pub(crate) problem: String,
    #[label("{expected}")]
    pub(crate) at: SourceSpan,
    pub(crate) expected: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadHeader {
    const TITLE: &str = "block header without a name, or with extra words";
    const EXPLANATION: &str = r#"Every block is named so that other blocks can refer to it (`reads = ledger`), and the name
derives its Terraform addresses. References to a block of a kind whose name is missing are not
reported again."#;
    const WRONG: &str = r#"database {
  instance = db.r6g.large
}
"#;
    const RIGHT: &str = r#"database ledger {
  instance = db.r6g.large
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{problem}")]
pub(crate) struct StackBlock {
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for StackBlock {
    const TITLE: &str = "no stack block, or more than one";
    const EXPLANATION: &str = r#"Every file describes exactly one stack, and starts with its settings: the region, the name
pattern every AWS name is built from, and the common tags. Without it nothing else can be
checked (zone counts depend on the region, name lengths on the pattern), so this is reported
alone; a second `stack` block is reported at its header."#;
    const WRONG: &str = r#"network edge {
  cidr = 10.8.0.0/20
}
"#;
    const RIGHT: &str = r#"stack shop {
  region = "eu-west-1"
  name   = "shop-{env}"
}

network edge {
  cidr = 10.8.0.0/20
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("no {kind} named `{name}`")]
pub(crate) struct UndefinedName {
    pub(crate) name: String,
    pub(crate) kind: String,
    #[label("not defined")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UndefinedName {
    const TITLE: &str = "undefined name";
    const EXPLANATION: &str = r#"A reference names nothing the stack declares. The help suggests the closest declared name of
the right kind. A misspelt name is reported where it is used, once per use, and nothing else
cascades from it."#;
    const WRONG: &str = r#"service api {
  reads = ledgr
}
"#;
    const RIGHT: &str = r#"service api {
  reads = ledger
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{name}` is {actual}, but {expected} is expected here")]
pub(crate) struct WrongKind {
    pub(crate) name: String,
    pub(crate) actual: String,
    pub(crate) expected: String,
    #[label("expected {expected}")]
    pub(crate) at: SourceSpan,
    #[label("`{name}` is declared here as {actual}")]
    pub(crate) declared: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for WrongKind {
    const TITLE: &str = "wrong kind of thing";
    const EXPLANATION: &str = r#"The name exists but is the wrong kind of block: a database where a service is expected
(`aws = ledger` in a cutover), a service where a network tier is expected. The second label
shows where the name is declared and as what, and the help names a declared block of the
expected kind."#;
    const WRONG: &str = r#"cutover payments {
  aws = ledger
}
"#;
    const RIGHT: &str = r#"cutover payments {
  aws = api
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{kind} `{name}` is never used")]
#[diagnostic(severity(Warning))]
pub(crate) struct Unused {
    pub(crate) name: String,
    pub(crate) kind: String,
    #[label("declared here")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for Unused {
    const TITLE: &str = "unused declaration (warning)";
    const EXPLANATION: &str = r#"A network, database, input or existing resource that nothing refers to. It is probably a
leftover or a typo elsewhere. Warnings do not fail `pmigc check` unless `--deny warnings`."#;
    const WRONG: &str = r#"existing certificate spare { domain = "old.example.com" }
"#;
    const RIGHT: &str = r#"# (removed)
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the name `{name}` is declared twice")]
#[diagnostic(help("names are shared by every block of the stack; rename one of them"))]
pub(crate) struct DuplicateName {
    pub(crate) name: String,
    #[label("declared again here")]
    pub(crate) at: SourceSpan,
    #[label("first declared here")]
    pub(crate) first: SourceSpan,
}

impl Violation for DuplicateName {
    const TITLE: &str = "name declared twice";
    const EXPLANATION: &str = r#"Blocks, inputs and existing resources share one namespace, so every name must be unique. Both
places are shown; references to the name are not reported again."#;
    const WRONG: &str = r#"network web { cidr = 10.8.0.0/20 }
service web { in = web.private }
"#;
    const RIGHT: &str = r#"network edge { cidr = 10.8.0.0/20 }
service web  { in = edge.private }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{name}` is not something {owner} has")]
pub(crate) struct UnknownMember {
    pub(crate) name: String,
    pub(crate) owner: String,
    #[label("expected one of: {options}")]
    pub(crate) at: SourceSpan,
    pub(crate) options: String,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownMember {
    const TITLE: &str = "unknown member";
    const EXPLANATION: &str = r#"`BLOCK.MEMBER` names something the block does not have: a network tier other than `public` or
`private`, an output other than those a block exposes (`dns_name` of a service, `endpoint` and
`reader_endpoint` of a database, `status` of a replication, `id` of a network, `connection` of a
VPN), or a gate metric other than `lag`."#;
    const WRONG: &str = r#"output alb_dns_name = api.url
"#;
    const RIGHT: &str = r#"output alb_dns_name = api.dns_name
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
