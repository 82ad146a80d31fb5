//! The diagnostics `check::derived` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} `{name}` would be {len} characters; AWS allows at most {max}")]
pub(crate) struct NameTooLong {
    pub(crate) what: String,
    pub(crate) name: String,
    pub(crate) len: usize,
    pub(crate) max: usize,
    #[label("the name pattern produces `{name}` in workspace `{workspace}`")]
    pub(crate) at: SourceSpan,
    pub(crate) workspace: String,
    /// The block the name is derived from, when it is not the stack.
    #[label("named after this block")]
    pub(crate) block_at: Option<SourceSpan>,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NameTooLong {
    const TITLE: &str = "generated AWS name too long";
    const EXPLANATION: &str = r#"AWS limits load balancer and target group names to 32 characters, RDS and DMS identifiers to 63,
IAM role names to 64, and every other name it takes has a limit of its own (`docs/names.md`).
pmigc builds them from the name pattern, with each workspace's inputs, the block's name and a
suffix of its own (`-writer-1`, `-reader-15`, `-monitoring`, `-secrets`, `-source`), measures
every one of them, and reports the one that exceeds its limit most: the message says which
resource it names, and a label points at the block it is named after."#;
    const WRONG: &str = r#"stack payment { name = "payment-migration-{environment_suffix}" }
workspace aws-production { environment_suffix = "production-eu" }
"#;
    const RIGHT: &str = r#"stack payment { name = "payment-migration-{environment_suffix}" }
workspace aws-production { environment_suffix = "prod-eu" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} `{name}` {problem}")]
pub(crate) struct NameCharacters {
    pub(crate) what: String,
    pub(crate) name: String,
    /// What is wrong: its characters, or its length.
    pub(crate) problem: String,
    #[label("{rule}")]
    pub(crate) at: SourceSpan,
    pub(crate) rule: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NameCharacters {
    const TITLE: &str = "characters AWS rejects in names";
    const EXPLANATION: &str = r#"Load balancer, RDS and DMS names take lowercase letters, digits and single hyphens, starting
with a letter. The name pattern's own text must follow that rule (inputs of type `name` already
do). A `name` input is 1 to 24 such characters; when it is too long or empty, the message says
that it is the length, not the characters. Every name pmigc derives is also held to AWS's rule
for it (`docs/names.md`): a block named `Ledger` would give an RDS identifier the provider
refuses (uppercase), a name pattern starting `sg-` security group names EC2 refuses, a service
whose name holds `AWSLogs` a log prefix load balancers refuse. The diagnostic points at the
block when its own name is the cause, at the name pattern otherwise."#;
    const WRONG: &str = r#"stack payment { name = "payment_migration-{environment_suffix}" }
"#;
    const RIGHT: &str = r#"stack payment { name = "payment-migration-{environment_suffix}" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
