//! The diagnostics `check::account` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspaces `{a}` and `{b}` of account `{account}` both create {what} `{name}`")]
pub(crate) struct AccountNameTaken {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) account: String,
    pub(crate) what: String,
    pub(crate) name: String,
    #[label("`{b}` creates it")]
    pub(crate) at: SourceSpan,
    #[label("`{a}` creates it too")]
    pub(crate) other: SourceSpan,
    #[label("{cause}")]
    pub(crate) cause_at: SourceSpan,
    pub(crate) cause: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for AccountNameTaken {
    const TITLE: &str = "two workspaces of one account create the same name";
    const EXPLANATION: &str = r#"Workspaces share one AWS account unless one says `account = "…"`, and in an account many names
are account-wide: IAM roles, S3 buckets, RDS and DMS identifiers, load balancers, dashboards,
alarms, Route 53 record sets. Two workspaces of one account that create the same one collide:
the second apply fails ("EntityAlreadyExists"), or two states fight over one record set. Most
of what pmigc creates is named after the stack's name, which differs per workspace; what is not
needs one owner: DMS's two fixed-name roles (`dms_roles = WORKSPACE` in the `stack` block, or
`dms_roles = existing` when the account has them) and a cutover's weighted records (`owner =
WORKSPACE` on the cutover: only that workspace's root manages them). Every other name AWS keeps
unique in a region or an account is compared too: a name pattern can make one workspace's names
another's (`payment-migration-{environment_suffix}` with `prod` in one workspace and
`prod-ledger` in the other: database `ledger`'s monitoring role of the first is service
`monitoring`'s role of the second). Both workspaces and the block that causes the name are
shown."#;
    const WRONG: &str = r#"cutover payments {
  rollback = 0%
}
"#;
    const RIGHT: &str = r#"cutover payments {
  rollback = 0%
  owner    = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspaces `{a}` and `{b}` of account `{account}` give the stack the same name `{name}`")]
pub(crate) struct SameNameInAccount {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) account: String,
    pub(crate) name: String,
    #[label("`{b}` is named `{name}`")]
    pub(crate) at: SourceSpan,
    #[label("so is `{a}`")]
    pub(crate) other: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SameNameInAccount {
    const TITLE: &str = "two workspaces of one account share the stack's name";
    const EXPLANATION: &str = r#"Every AWS name pmigc writes starts with the stack's name with the workspace's inputs filled in
(`payment-migration-{environment_suffix}`). Two workspaces of one account that give it the same
value would create every resource under the same names; give each its own value, or its own
account (`account = "…"`)."#;
    const WRONG: &str = r#"workspace legacy-sync {
  environment_suffix = "prod"
}
"#;
    const RIGHT: &str = r#"workspace legacy-sync {
  environment_suffix = "sync"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspaces `{a}` and `{b}` both attach VPN gateway `{gateway}` of VPN `{vpn}`{why}")]
pub(crate) struct SharedVpnGateway {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) vpn: String,
    pub(crate) gateway: String,
    /// Why AWS refuses it: one account or two.
    pub(crate) why: String,
    #[label("`{b}` attaches `{gateway}` to its VPC")]
    pub(crate) at: SourceSpan,
    #[label("so does `{a}`")]
    pub(crate) other: SourceSpan,
    #[label("the gateway of VPN `{vpn}`")]
    pub(crate) gateway_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SharedVpnGateway {
    const TITLE: &str = "two workspaces attach one VPN gateway";
    const EXPLANATION: &str = r#"AWS attaches a virtual private gateway to one VPC at a time: when two workspaces of one account
attach the same gateway to their own VPCs, the second apply fails (the emulator does not enforce
it). A gateway also exists in one account only, so workspaces in two accounts cannot share one
either. Give each workspace its own gateway and connection to the data centre by overriding the
VPN's `gateway` and `connection` in the workspace."#;
    const WRONG: &str = r#"workspace aws-production {
  onprem.gateway = "vgw-0a1b2c3d4e5f67890"
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  onprem.gateway = "vgw-0a1b2c3d4e5f67891"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
