//! The internal errors: a bug in pmigc, never in the stack (no stack may produce one; the CLI
//! exits 2 on them). Each is declared here with its message, labels and help, and its catalogue
//! entry; they are registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "internal error: workspace `{workspace}` produced no model and no diagnostic; please report"
)]
#[diagnostic(help(
    "this is a bug in pmigc, not in the stack: please report it with the stack that caused it"
))]
pub(crate) struct Internal {
    pub(crate) workspace: String,
    #[label("checking this workspace failed without saying why")]
    pub(crate) at: SourceSpan,
}

impl Violation for Internal {
    const TITLE: &str = "internal error: a workspace produced no model and no diagnostic";
    const EXPLANATION: &str = r#"pmigc has a bug: checking a workspace failed without saying why. Rather than print `ok` for a
stack it did not compile, or build nothing and exit 0, pmigc reports this and refuses the
stack; it is pmigc's failure, not the stack's. Please report it with the stack that caused it.
No stack should produce this code, so it has no golden test: the examples show the kind of
stack that once did (issue 12), a TTL too large for a Route 53 record, which is now reported as
PMG0403, and `tests/it/catalogue.rs` checks that it stays so."#;
    const WRONG: &str = r#"cutover payments {
  ttl = 99999999999s
}
"#;
    const RIGHT: &str = r#"cutover payments {
  ttl = 60s
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "internal error: pmigc's own output for workspace `{workspace}` fails verification ({rule}): {message}"
)]
#[diagnostic(help(
    "this is a bug in pmigc, not in the stack: the checker accepted the stack but the Terraform pmigc built from it would not work on AWS, so nothing was written; please report it with the stack that caused it"
))]
pub(crate) struct Unverified {
    pub(crate) workspace: String,
    pub(crate) rule: String,
    pub(crate) message: String,
    #[label("{resources} were built from this block")]
    pub(crate) at: SourceSpan,
    pub(crate) resources: String,
}

impl Violation for Unverified {
    const TITLE: &str = "internal error: pmigc's output fails verification";
    const EXPLANATION: &str = r#"pmigc has a bug: the checker accepted the stack, but the Terraform pmigc built from it would not
work on AWS, and the verifier (`docs/verify.md`) proved it — a flow with no path, an API a
component cannot reach, a permission missing or too broad, a name or value AWS refuses, something
created twice in one account. Nothing is written. The message names the verifier's rule and the
resources, and the label points at the block they were built from. Please report it with the
stack: the checker should have refused it first, in the stack's words. No stack should produce
this code, so it has no golden test: the examples show the kind of stack that once did (issue 24),
a source host only the data centre's DNS knows, which the checker now refuses as PMG1230."#;
    const WRONG: &str = r#"replication onprem_to_aws {
  from = mysql "db1.shop.internal":3306 via onprem
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  from = mysql "db.corp.example.com":3306 via onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "internal error: two blocks lowered to the one address `{address}` in workspace `{workspace}`; nothing was written"
)]
#[diagnostic(help(
    "this is a bug in pmigc, not in the stack: the checker should have refused the two blocks (PMG0608) before anything was lowered; please report it with the stack that caused it"
))]
pub(crate) struct AddressClaimedTwice {
    pub(crate) workspace: String,
    pub(crate) address: String,
    #[label("claims `{address}` again")]
    pub(crate) at: SourceSpan,
    #[label("claimed it first")]
    pub(crate) first: SourceSpan,
}

impl Violation for AddressClaimedTwice {
    const TITLE: &str = "internal error: two blocks lowered to one address";
    const EXPLANATION: &str = r#"pmigc has a bug: lowering a workspace claimed one Terraform address twice. The tree a root is
built in refuses the second claim instead of letting the last one written win (which once let a
worker named `api_alb` take the security group of service `api`'s load balancer and open 443 on
it), and `build` writes nothing and exits 2, naming both blocks. The checker should have refused
the two blocks first (PMG0608), in the stack's words; this code means it did not. Please report
it with the stack that caused it. No stack should produce it, so it has no golden test: the
examples show the stack that once did, which is now refused with PMG0608."#;
    const WRONG: &str = r#"service api_alb {
  instance = t3.small
  capacity = 1..2
  in       = main.private
}
"#;
    const RIGHT: &str = r#"service batch {
  instance = t3.small
  capacity = 1..2
  in       = main.private
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
