//! The diagnostics `check::context` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown attribute `{name}` in {block}")]
pub(crate) struct UnknownAttribute {
    pub(crate) name: String,
    pub(crate) block: String,
    #[label("not an attribute of {block}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownAttribute {
    const TITLE: &str = "unknown attribute";
    const EXPLANATION: &str = r#"The block does not have an attribute by this name. Usually it is a typo of one it does have,
and the help names the closest one; otherwise it lists the attributes the block takes. pmigc
refuses unknown attributes rather than ignoring them: an ignored `readrs = 2` would silently
build the cluster with the default single reader. If the misspelt attribute is a required one,
the block is also reported as missing it."#;
    const WRONG: &str = r#"service web {
  capcity = 1..2
}
"#;
    const RIGHT: &str = r#"service web {
  capacity = 1..2
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{block} is missing `{name}`")]
pub(crate) struct MissingAttribute {
    pub(crate) name: String,
    pub(crate) block: String,
    #[label("needs `{name} = {example}`")]
    pub(crate) at: SourceSpan,
    pub(crate) example: String,
}

impl Violation for MissingAttribute {
    const TITLE: &str = "missing attribute";
    const EXPLANATION: &str = r#"A required attribute is not set, so pmigc cannot know what to build: a service without its
`port` has no target group to register with the load balancer, a database without `password`
no credentials. The label shows the attribute with an example value; optional attributes
(`nat`, `readers`, `http`, ...) have defaults and are never reported here."#;
    const WRONG: &str = r#"service web {
  instance = t3.small
  capacity = 1..2
  in       = edge.private
}
"#;
    const RIGHT: &str = r#"service web {
  instance = t3.small
  capacity = 1..2
  in       = edge.private
  port     = 3000
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{name}` is set twice")]
#[diagnostic(help("remove one of them"))]
pub(crate) struct DuplicateAttribute {
    pub(crate) name: String,
    #[label("set again here")]
    pub(crate) at: SourceSpan,
    #[label("first set here")]
    pub(crate) first: SourceSpan,
}

impl Violation for DuplicateAttribute {
    const TITLE: &str = "attribute set twice";
    const EXPLANATION: &str = r#"An attribute appears twice in one block; which one was meant is ambiguous. (A workspace can
override an attribute; that is not a duplicate.) A workspace that sets one thing twice — its
`state` (`state = s3 …` then `state = local` would give production an empty local state), its
`account`, an input, or one override — is refused the same way: the last one never wins
silently."#;
    const WRONG: &str = r#"network edge {
  zones = 2
  zones = 3
}
"#;
    const RIGHT: &str = r#"network edge {
  zones = 3
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("input `{name}` is defined in terms of itself")]
#[diagnostic(help("give one of the inputs in the cycle a literal value"))]
pub(crate) struct InputCycle {
    pub(crate) name: String,
    #[label("`{name}` refers back to itself through {path}")]
    pub(crate) at: SourceSpan,
    pub(crate) path: String,
}

impl Violation for InputCycle {
    const TITLE: &str = "input defined in terms of itself";
    const EXPLANATION: &str = r#"Inputs may take their default from another input; a chain that comes back to where it started
has no value, in the stack or in any workspace that does not override it. Each cycle is
reported once, with the path around it; give one input of the cycle a literal value."#;
    const WRONG: &str = r#"input rollback_weight: percent = fallback
input fallback:        percent = rollback_weight
cutover payments {
  rollback = fallback
}
"#;
    const RIGHT: &str = r#"input rollback_weight: percent = 0%
input fallback:        percent = rollback_weight
cutover payments {
  rollback = fallback
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
