//! The diagnostics `check::exposure` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the {facing} load balancer of service `{service}` would sit in the {tier} subnets of `{network}`"
)]
pub(crate) struct LoadBalancerTier {
    pub(crate) service: String,
    pub(crate) facing: &'static str,
    pub(crate) tier: &'static str,
    pub(crate) wanted: &'static str,
    pub(crate) network: String,
    #[label("{tier} subnets; a{} {facing} load balancer needs the {wanted} ones", if facing.starts_with('i') { "n" } else { "" })]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for LoadBalancerTier {
    const TITLE: &str = "load balancer in the wrong subnet tier";
    const EXPLANATION: &str = r#"An internet-facing load balancer (`exposed = https via NETWORK.public with CERTIFICATE`) sits in
the network's public subnets, where the internet gateway routes; an internal one (`exposed =
internal https via NETWORK.private with CERTIFICATE` or `internal http via NETWORK.private`)
sits in its private subnets, where only the VPC and the on-premises networks behind its VPN
reach it. An internal load balancer in public subnets would be one route away from the
internet, and an internet-facing one in private subnets would get no traffic at all. For an
internal one the fix is the private tier; for an internet-facing one, the public tier, or
`internal` when only the VPC and the VPN should reach it."#;
    const WRONG: &str = r#"service admin {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  exposed  = internal https via main.public with pay
}
"#;
    const RIGHT: &str = r#"service admin {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  exposed  = internal https via main.private with pay
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{setting}` has no effect on the internal load balancer of service `{service}`")]
#[diagnostic(severity(Warning))]
pub(crate) struct NoEffectOnInternal {
    pub(crate) setting: String,
    pub(crate) service: String,
    #[label("nothing to change")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NoEffectOnInternal {
    const TITLE: &str = "setting without effect on an internal load balancer (warning)";
    const EXPLANATION: &str = r#"An internal load balancer has no web application firewall unless it asks for one (`waf =
on`): only the VPC and the on-premises networks behind its VPN reach it, so `waf = off
because "..."` turns off nothing. A plain-HTTP internal load balancer (`exposed = internal
http via NETWORK.private`) has one listener, port 80, which forwards to the service, so `http
= off` or `http = forward` changes nothing either (`http = redirect` is an error there: there is
no HTTPS to redirect to). Remove the setting."#;
    const WRONG: &str = r#"service admin {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  exposed  = internal https via main.private with pay
  waf      = off because "only the office network reaches it"
}
"#;
    const RIGHT: &str = r#"service admin {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  exposed  = internal https via main.private with pay
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("plain HTTP is forwarded to service `{service}`")]
#[diagnostic(severity(Warning))]
pub(crate) struct HttpForwarded {
    pub(crate) service: String,
    #[label("requests on port 80 reach the service unencrypted")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for HttpForwarded {
    const TITLE: &str = "plain HTTP forwarded (warning)";
    const EXPLANATION: &str = r#"`http = forward` serves the service over unencrypted HTTP on port 80, so card data and session
cookies could cross the internet in clear text. It is a warning, not an error, for services
that really must answer plain HTTP. Answer port 80 with a redirect to HTTPS instead
(`http = redirect`), or leave `http` out: then the load balancer does not listen on port 80."#;
    const WRONG: &str = r#"service api {
  http = forward
}
"#;
    const RIGHT: &str = r#"service api {
  http = redirect
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
