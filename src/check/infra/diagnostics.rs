//! The diagnostics `check::infra` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown {what} `{value}`")]
pub(crate) struct UnknownInstanceType {
    pub(crate) what: String,
    pub(crate) value: String,
    #[label("pmigc does not know this {what}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownInstanceType {
    const TITLE: &str = "unknown instance type";
    const EXPLANATION: &str = r#"The EC2 instance type, Aurora instance class or DMS instance class is not one pmigc knows.
Catching `t3.medum` here saves a failed `terraform apply` and a half-created stack."#;
    const WRONG: &str = r#"service api {
  instance = t3.medum
}
"#;
    const RIGHT: &str = r#"service api {
  instance = t3.medium
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{problem}")]
pub(crate) struct BadCapacity {
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadCapacity {
    const TITLE: &str = "impossible capacity";
    const EXPLANATION: &str = r#"The capacity of a service is the `min..max` size of its Auto Scaling group. A group needs at
least one instance (a service with `0..N` serves nothing until something scales it), its
minimum cannot be above its maximum (the Auto Scaling API rejects such a group at apply time,
when much of the stack may already exist), and pmigc caps a group at 1000 instances. The help
usually swaps the two ends."#;
    const WRONG: &str = r#"service api {
  capacity = 9..3
}
"#;
    const RIGHT: &str = r#"service api {
  capacity = 3..9
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{value}` is not an AMI id")]
pub(crate) struct BadImage {
    pub(crate) value: String,
    #[label("expected `ami-` and 8 or 17 lowercase hex digits")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadImage {
    const TITLE: &str = "not an AMI id";
    const EXPLANATION: &str = r#"`image` names the machine image a service boots, by its id: `ami-` followed by 17 (or, for
old images, 8) lowercase hexadecimal digits, as `aws ec2 describe-images` prints it. Without
`image`, a service boots the latest Amazon Linux 2023 for its instance's architecture (arm64
for Graviton families such as `t4g` or `m7g`, x86_64 otherwise), read from AWS's public SSM
parameter."#;
    const WRONG: &str = r#"service api {
  image = "amazon-linux"
}
"#;
    const RIGHT: &str = r#"service api {
  image = "ami-0123456789abcdef0"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("Aurora does not offer `{class}`: {why}")]
pub(crate) struct ClassNotOnAurora {
    pub(crate) class: String,
    pub(crate) why: String,
    #[label("an RDS class, not an Aurora one")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for ClassNotOnAurora {
    const TITLE: &str = "an RDS class Aurora does not offer";
    const EXPLANATION: &str = r#"RDS for MySQL and PostgreSQL sell classes that Aurora does not run: the general-purpose
families (`db.m5`, `db.m6g`, `db.m7i`, `db.m8g`…), the local-disk and extended-memory
variants (`db.m6gd`, `db.r5d`, `db.x2iedn`, `db.z1d`…), and burstable sizes other than
`medium` and `large` (`db.t3.small`, `db.t4g.2xlarge`). Copied from an RDS stack, they would
fail when Aurora creates the instance. The help names the nearest Aurora class: the
memory-optimized family of the same generation and size (`db.m6g.large` → `db.r6g.large`), or
the nearest burstable size; it is not applied automatically, since it changes the instance's
memory and price."#;
    const WRONG: &str = r#"database ledger {
  instance = db.m6g.large
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
#[error("service `{service}` is reached by nothing, so its {what} is never used")]
#[diagnostic(
    severity(Warning),
    help(
        "a service's port and health check serve a load balancer (`exposed = ...`) or the networks in `allow`; remove the setting, or expose the service: `exposed = https via NETWORK.public with CERTIFICATE`, `exposed = internal http via NETWORK.private`, `exposed = path \"/x/*\" on SERVICE`"
    )
)]
pub(crate) struct UnusedServiceSetting {
    pub(crate) service: String,
    pub(crate) what: &'static str,
    #[label("nothing uses it")]
    pub(crate) at: SourceSpan,
}

impl Violation for UnusedServiceSetting {
    const TITLE: &str = "a service's port or health check that nothing uses";
    const EXPLANATION: &str = r#"A service's `port` is what its load balancer (`exposed = https via …`, or a path on another
service's, `exposed = path "/x/*" on api`) or the networks in `allow` connect to, and `health`
is the path its load balancer probes. A service that none of them reach (a queue worker, a
batch job) needs neither: its security group admits nothing, and a port written anyway would
suggest a listener that does not exist. It is a warning, since the stack still compiles; a
service that *is* reached and has no `port` is an error (PMG0204)."#;
    const WRONG: &str = r#"service batch {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 9000
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

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("service `{service}` has no load balancer of its own for `waf` to protect")]
#[diagnostic(help(
    "`waf` belongs on the service that is `exposed = https via ...`; a service routed by path is protected by that load balancer's firewall"
))]
pub(crate) struct WafWithoutLoadBalancer {
    pub(crate) service: String,
    #[label("`waf` here")]
    pub(crate) at: SourceSpan,
}

impl Violation for WafWithoutLoadBalancer {
    const TITLE: &str = "`waf` on a service without its own load balancer";
    const EXPLANATION: &str = r#"`waf` protects the load balancer of a service that is `exposed = https via ...`. A service
without one (internal, or routed by path on another service's load balancer, `exposed = path
"/orders/*" on api`) has nothing for it to protect: the load balancer it is reached through is
protected by that service's firewall. Move `waf` to the service that owns the load balancer."#;
    const WRONG: &str = r#"service worker {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 9000
  waf      = on
}
"#;
    const RIGHT: &str = r#"service worker {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 9000
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("service `{service}` has no load balancer of its own whose port 80 `http` could set")]
#[diagnostic(help(
    "`http` says what the port 80 listener of a service's own load balancer does (`exposed = https via ...`); a service nothing exposes, or one routed by path on another's load balancer, has none: remove `http`, or set it on the service that owns the load balancer"
))]
pub(crate) struct HttpWithoutLoadBalancer {
    pub(crate) service: String,
    #[label("this service has no port 80 listener: this changes nothing")]
    pub(crate) at: SourceSpan,
}

impl Violation for HttpWithoutLoadBalancer {
    const TITLE: &str = "`http` on a service without its own load balancer";
    const EXPLANATION: &str = r#"`http` says what port 80 of a service's own load balancer does (`redirect` to HTTPS, `off`,
`forward`). A service that nothing exposes (a worker), or one routed by path on another
service's load balancer (`exposed = path "/orders/*" on api`), has no port 80 listener of its
own: the setting would be accepted and change nothing. Remove it, or set it on the service
whose load balancer serves port 80. `http = off`, the default, says what such a service has
(no port 80 listener) and is accepted."#;
    const WRONG: &str = r#"service worker {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  http     = redirect
}
"#;
    const RIGHT: &str = r#"service worker {
  instance = t3.small
  capacity = 1..2
  in       = main.private
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
