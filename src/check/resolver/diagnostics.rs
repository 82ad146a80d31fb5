//! The diagnostics `check::resolver` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{vpn}.{setting}` changes nothing: {why}")]
#[diagnostic(severity(Warning))]
pub(crate) struct IdleVpnDns {
    pub(crate) vpn: String,
    pub(crate) setting: &'static str,
    pub(crate) why: String,
    #[label("no resolver endpoint or forwarding rule is built from this")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for IdleVpnDns {
    const TITLE: &str = "a VPN's DNS servers or domains that nothing uses";
    const EXPLANATION: &str = r#"An `existing vpn`'s `dns` (the data centre's DNS servers) and `domains` (names only those
servers answer) serve one thing: a network that replicates from a host under such a name gets a
Route 53 Resolver outbound endpoint and a forwarding rule per domain. A VPN whose `dns` no
replication needs (every source is an address, or a public name), or a `domains` entry that no
replication's source host lies under, builds nothing in that workspace: the setting is idle.
Remove it, or name the replication's source by a host under the domain. A warning: the stack
still builds and the setting harms nothing. It is not reported while a block has an error
(a replication that failed to check would look absent)."#;
    const WRONG: &str = r#"workspace legacy-sync { onprem.domains = ["dc.example.com"] }
"#;
    const RIGHT: &str = r#"workspace legacy-sync { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
