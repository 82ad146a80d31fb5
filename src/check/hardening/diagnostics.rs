//! The diagnostics `check::hardening` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} would be reachable from the whole internet")]
pub(crate) struct OpenToInternet {
    pub(crate) what: String,
    #[label("{cidr} is every address on the internet")]
    pub(crate) at: SourceSpan,
    pub(crate) cidr: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for OpenToInternet {
    const TITLE: &str = "reachable from the whole internet";
    const EXPLANATION: &str = r#"`allow` opens a database or a service port to extra networks, such as on-premises ranges that
need to reach the database during the migration; the whole internet (`0.0.0.0/0`) is never
allowed, however it is split: the list is judged by the union of its blocks, so
`[0.0.0.0/1, 128.0.0.0/1]` is refused too. Only the load balancer's HTTPS listener faces the
internet. List the networks that really need access."#;
    const WRONG: &str = r#"database ledger {
  allow = [0.0.0.0/0]
}
"#;
    const RIGHT: &str = r#"database ledger {
  allow = [192.168.10.0/24]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the web application firewall is turned off without a reason")]
pub(crate) struct WafOffWithoutReason {
    #[label("the load balancer would face the internet with no firewall rules")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for WafOffWithoutReason {
    const TITLE: &str = "web application firewall turned off without a reason";
    const EXPLANATION: &str = r#"Every internet-facing load balancer gets a WAF web ACL with AWS's managed rules (IP reputation,
anonymous IPs, the common rule set, known bad inputs, SQL injection), its requests logged to a
KMS-encrypted log group. `waf = off` takes it away; that needs a reason written in the stack,
which travels into the compiled load balancer as a scan waiver an auditor reads. Leave `waf`
out (or write `waf = on`), or say why: `waf = off because "..."`."#;
    const WRONG: &str = r#"service api {
  waf = off
}
"#;
    const RIGHT: &str = r#"service api {
  waf = on
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} would be reachable from public addresses ({cidr}) without a reason")]
pub(crate) struct PublicAllowWithoutReason {
    pub(crate) what: String,
    pub(crate) cidr: String,
    #[label("public address space")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PublicAllowWithoutReason {
    const TITLE: &str = "public addresses allowed without a reason";
    const EXPLANATION: &str = r#"`allow` is for networks that need to reach a database or a service port directly, such as the
on-premises ranges behind the VPN: private addresses (10.0.0.0/8, 172.16.0.0/12,
192.168.0.0/16, and the shared 100.64.0.0/10). A block with public internet addresses opens
that port to whoever holds them; when that is really meant (a partner's office, say), write why
after the list: `allow = [203.0.113.0/24] because "..."`. The reason must be a few words."#;
    const WRONG: &str = r#"database ledger {
  allow = [203.0.113.0/24]
}
"#;
    const RIGHT: &str = r#"database ledger {
  allow = [192.168.10.0/24]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
