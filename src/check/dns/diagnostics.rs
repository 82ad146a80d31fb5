//! The diagnostics `check::dns` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspace `{workspace}` overrides `{cutover}.{key}`, but only {managers} cutover `{cutover}`"
)]
pub(crate) struct UnmanagedCutoverOverride {
    pub(crate) workspace: String,
    pub(crate) cutover: String,
    pub(crate) key: String,
    /// `workspace `a` manages` or `workspaces `a` and `b` manage` (`Owners::manage`).
    pub(crate) managers: String,
    #[label("this workspace's root holds no record of `{cutover}`: this changes nothing")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for UnmanagedCutoverOverride {
    const TITLE: &str = "a cutover overridden in a workspace that does not manage it";
    const EXPLANATION: &str = r#"A cutover that names an `owner` has its weighted records, its gate and its alarms in that
workspace's root only; the other workspaces of the account build none of them. An override of
the cutover (`payments.record = …`) in another workspace would be accepted and change nothing
that is applied. Override it in the owner (`workspace aws-production { payments.record = … }`),
or remove it. A cutover may list several owners (`owner = [staging, production]`), each managing
its own record: override it in each of them."#;
    const WRONG: &str = r#"workspace legacy-sync { payments.record = "pay.example.com" in zone "example.com" }
"#;
    const RIGHT: &str = r#"workspace legacy-sync { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspace `{workspace}` sets `{input}`, the `{attr}` of cutover `{cutover}`, but only {managers} cutover `{cutover}`"
)]
#[diagnostic(severity(Warning))]
pub(crate) struct UnmanagedCutoverInput {
    pub(crate) workspace: String,
    pub(crate) input: String,
    pub(crate) attr: String,
    pub(crate) cutover: String,
    /// `workspace `a` manages` or `workspaces `a` and `b` manage` (`Owners::manage`).
    pub(crate) managers: String,
    #[label(
        "this workspace's root holds no record of `{cutover}`, and `{input}` feeds nothing else here: this changes nothing"
    )]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for UnmanagedCutoverInput {
    const TITLE: &str = "a cutover's weight set in a workspace that does not manage it";
    const EXPLANATION: &str = r#"A cutover that names an `owner` has its weighted records in that workspace's root only. Its
`weight` is an input (`weight = traffic_weight`); another workspace that sets that input
(`traffic_weight = 50%`) changes nothing in its root when nothing else there reads the input.
The same holds for an input that only fills in the cutover's `record` or `legacy` name
(`record = pay_host in zone "example.com"`, `pay_host = "…"` in a workspace that is not the
owner). The weight that moves the traffic is the owner's (`pmigc move` edits it there, and refuses the
other workspaces). Remove the setting, or set it in the owner. A warning, not an error: the
stack still builds and the setting is harmless, only idle. For the same reason the weight checks
(PMG0803, PMG0804, PMG0805) hold only the owner's weight: the input's default, where only another
workspace gets it, is not held to the phases there. A setting is not reported when the input also feeds
something the workspace does build (another input's default, a cutover it manages)."#;
    const WRONG: &str = r#"workspace legacy-sync { traffic_weight = 10% }
"#;
    const RIGHT: &str = r#"workspace legacy-sync { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "certificate `{certificate}` does not cover `{record}`, the name the cutover moves to `{service}`"
)]
pub(crate) struct CertificateDoesNotCover {
    pub(crate) certificate: String,
    pub(crate) record: String,
    pub(crate) service: String,
    #[label("clients ask for `{record}`")]
    pub(crate) at: SourceSpan,
    #[label("the certificate is for {covers}")]
    pub(crate) certificate_at: SourceSpan,
    pub(crate) covers: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for CertificateDoesNotCover {
    const TITLE: &str = "the certificate does not cover the cutover's record";
    const EXPLANATION: &str = r#"The load balancer presents the certificate named in `exposed = https via ... with CERT`. When the
cutover's record is not its domain, one of its `names` (subject alternative names), or matched by
a wildcard (`*.example.com` covers exactly one label more: `pay.example.com`, not `example.com`
nor `a.pay.example.com`), every client the first weighted step sends to AWS gets a TLS error.
The certificate is only looked up, so its other names are stated on it: `names = [...]`."#;
    const WRONG: &str = r#"existing certificate pay { domain = "shop.example.com" }
"#;
    const RIGHT: &str = r#"existing certificate pay { domain = "*.example.com" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the legacy target of cutover `{cutover}` is its own record `{record}`")]
#[diagnostic(help(
    "`legacy` is the data centre's own name for the service (e.g. `legacy.{record}`), never the record being moved: a CNAME to itself resolves nowhere"
))]
pub(crate) struct CnameLoop {
    pub(crate) cutover: String,
    pub(crate) record: String,
    #[label("a CNAME from `{record}` to itself")]
    pub(crate) at: SourceSpan,
    #[label("the record being moved")]
    pub(crate) record_at: SourceSpan,
}

impl Violation for CnameLoop {
    const TITLE: &str = "the legacy target is the record itself";
    const EXPLANATION: &str = r#"The cutover writes two weighted CNAME records on its record: one to the load balancer, one to
`legacy`. When `legacy` is the record itself, the legacy share of the traffic is a CNAME to
itself, a loop every resolver gives up on: the data centre is unreachable from the first apply."#;
    const WRONG: &str = r#"cutover payments { legacy = "pay.example.com" }
"#;
    const RIGHT: &str = r#"cutover payments { legacy = "legacy.pay.example.com" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("a TTL of {ttl} makes rolling back cutover `{cutover}` take up to {ttl}")]
pub(crate) struct TtlTooLong {
    pub(crate) cutover: String,
    pub(crate) ttl: String,
    #[label("resolvers keep the old answer this long")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for TtlTooLong {
    const TITLE: &str = "a TTL that makes rollback slow";
    const EXPLANATION: &str = r#"Resolvers keep a weighted answer for the record's TTL. Above an hour, a rollback (or a gate that
takes AWS out of rotation) reaches clients only hours later, while they keep hitting the side
that failed. Route 53 accepts it; the cutover cannot be undone in time."#;
    const WRONG: &str = r#"cutover payments { ttl = 1 day }
"#;
    const RIGHT: &str = r#"cutover payments { ttl = 60s }
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "a TTL of {ttl} keeps traffic on AWS for up to {ttl} after the gate of cutover `{cutover}` closes"
)]
#[diagnostic(severity(Warning))]
pub(crate) struct TtlDefeatsGate {
    pub(crate) cutover: String,
    pub(crate) ttl: String,
    #[label("cached for {ttl}: weights move in coarse steps and the gate acts late")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for TtlDefeatsGate {
    const TITLE: &str = "a TTL that defeats the weights and the gate (warning)";
    const EXPLANATION: &str = r#"Above five minutes, each resolver sticks to one side for the whole TTL: a large resolver's
clients move all at once instead of by the phase's share, and when the gate closes on
replication lag, clients stay on AWS until their answer expires. 60 seconds is the usual choice
for weighted, health-checked records."#;
    const WRONG: &str = r#"cutover payments { ttl = 15m }
"#;
    const RIGHT: &str = r#"cutover payments { ttl = 60s }
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("replication `{replication}` copies the data once (`full_load`), but {why}")]
pub(crate) struct FullLoadCannotGate {
    pub(crate) replication: String,
    pub(crate) why: String,
    #[label("no change after the load reaches AWS")]
    pub(crate) at: SourceSpan,
    #[label("{other_label}")]
    pub(crate) other: SourceSpan,
    pub(crate) other_label: String,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for FullLoadCannotGate {
    const TITLE: &str = "a full-load replication cannot back a cutover";
    const EXPLANATION: &str = r#"`mode = full_load` copies the database once and stops. A gate on its lag waits on a
change-data-capture latency DMS never reports, and without a gate the cutover moves traffic to a
copy that misses every write made in the data centre after the load. A replication behind a
cutover needs `full_load_and_cdc` (or `cdc` on a database loaded otherwise)."#;
    const WRONG: &str = r#"replication onprem_to_aws { mode = full_load }
"#;
    const RIGHT: &str = r#"replication onprem_to_aws { mode = full_load_and_cdc }
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{name}` is not a valid DNS name: {problem}")]
pub(crate) struct BadDnsName {
    pub(crate) name: String,
    pub(crate) problem: String,
    #[label("{what}")]
    pub(crate) at: SourceSpan,
    pub(crate) what: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadDnsName {
    const TITLE: &str = "not a valid DNS name";
    const EXPLANATION: &str = r#"Route 53 and ACM take names made of labels of 1 to 63 letters, digits, `-` and `_`, separated by
dots, at most 253 characters, a label never starting or ending with `-`. Anything else is
rejected at apply time (record, zone, certificate) or never resolves (the legacy host). The host a
replication's source is read from (`from = mysql "HOST":3306 via …`) is DMS's `server_name`: a
host name by the same rules, or an IPv4 address; a URL (`mysql://db…`), a `host:port` typed
inside the quotes or an IPv6 address is refused with the host as it should be written."#;
    const WRONG: &str = r#"cutover payments { legacy = "legacy pay.example.com" }
"#;
    const RIGHT: &str = r#"cutover payments { legacy = "legacy.pay.example.com" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{name}`: a wildcard `*` is only allowed as the whole leftmost label{where_}")]
pub(crate) struct MisplacedWildcard {
    pub(crate) name: String,
    pub(crate) where_: String,
    #[label("{what}")]
    pub(crate) at: SourceSpan,
    pub(crate) what: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for MisplacedWildcard {
    const TITLE: &str = "misplaced wildcard";
    const EXPLANATION: &str = r#"A `*` is only meaningful as the whole leftmost label of a certificate's domain or a record
(`*.example.com`); ACM rejects `pay.*.example.com`, and a legacy host is a real host, never a
pattern."#;
    const WRONG: &str = r#"existing certificate pay { domain = "pay.*.example.com" }
"#;
    const RIGHT: &str = r#"existing certificate pay { domain = "*.example.com" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the legacy target `{address}` is an IP address; a CNAME record must name a host")]
#[diagnostic(help(
    "Route 53 stores it, but resolvers then look up a host called `{address}` and find none, so every client sent to the data centre fails: give the data centre's host name, e.g. `legacy.pay.example.com`"
))]
pub(crate) struct LegacyIsAddress {
    pub(crate) address: String,
    #[label("the weighted record is a CNAME: this must be a host name")]
    pub(crate) at: SourceSpan,
}

impl Violation for LegacyIsAddress {
    const TITLE: &str = "the legacy target is an IP address";
    const EXPLANATION: &str = r#"The legacy side of the cutover is a CNAME record, whose value is a host name. Route 53 stores an
address written there, but resolvers then look for a host with that name and find none: every
client sent to the data centre fails."#;
    const WRONG: &str = r#"cutover payments { legacy = "192.168.10.20" }
"#;
    const RIGHT: &str = r#"cutover payments { legacy = "legacy.pay.example.com" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "replication `{replication}` reads from `{host}`, the name cutover `{cutover}` moves to AWS"
)]
#[diagnostic(help(
    "replicate from the database's own host in the data centre (e.g. `db.corp.example.com`): as the cutover moves, `{host}` starts answering with AWS and DMS would read from its own target"
))]
pub(crate) struct SourceIsCutoverRecord {
    pub(crate) replication: String,
    pub(crate) host: String,
    pub(crate) cutover: String,
    #[label("the source database's host")]
    pub(crate) at: SourceSpan,
    #[label("moved to AWS by the cutover")]
    pub(crate) record_at: SourceSpan,
}

impl Violation for SourceIsCutoverRecord {
    const TITLE: &str = "DMS reads from the name the cutover moves";
    const EXPLANATION: &str = r#"The replication's source is the data centre's database. When its host is the cutover's record,
the name starts answering with AWS as soon as traffic moves, and DMS connects to its own target
(or to the load balancer): replication stops exactly when it matters."#;
    const WRONG: &str = r#"replication onprem_to_aws { from = mysql "pay.example.com":3306 via onprem }
"#;
    const RIGHT: &str = r#"replication onprem_to_aws { from = mysql "db.corp.example.com":3306 via onprem }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cutover `{cutover}` moves all traffic in one step ({phases})")]
#[diagnostic(
    severity(Warning),
    help(
        "add intermediate phases, e.g. `[0%, 10%, 50%, 100%]`, so a problem shows on a share of the traffic before it reaches all of it"
    )
)]
pub(crate) struct OneStepCutover {
    pub(crate) cutover: String,
    pub(crate) phases: String,
    #[label("no phase between 0% and 100%")]
    pub(crate) at: SourceSpan,
}

impl Violation for OneStepCutover {
    const TITLE: &str = "a cutover in one step (warning)";
    const EXPLANATION: &str = r#"Phases `[0%, 100%]` move every client at once: a problem the first share of traffic would have
shown reaches everyone, and the only rollback is a full one."#;
    const WRONG: &str = r#"cutover payments { phases = [0%, 100%] }
"#;
    const RIGHT: &str = r#"cutover payments { phases = [0%, 10%, 50%, 100%] }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} of 0s can never be met: replication lag is never below zero")]
#[diagnostic(help(
    "give the largest lag the cutover may tolerate, e.g. `5s`; DMS reports CDC latency in whole seconds"
))]
pub(crate) struct ZeroLag {
    pub(crate) what: String,
    #[label("traffic would never move to AWS")]
    pub(crate) at: SourceSpan,
}

impl Violation for ZeroLag {
    const TITLE: &str = "a lag of zero seconds";
    const EXPLANATION: &str = r#"Replication lag is measured in whole seconds and is never below zero: a gate `lag < 0s` never
opens, and a `max_lag` of 0s cannot be met, so traffic would never move to AWS."#;
    const WRONG: &str = r#"cutover payments { gate = onprem_to_aws.lag < 0s }
"#;
    const RIGHT: &str = r#"cutover payments { gate = onprem_to_aws.lag < 5s }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
