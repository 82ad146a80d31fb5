//! The diagnostics `check::migration` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("phases must be strictly increasing: {current} follows {previous}")]
#[diagnostic(help("list the traffic weights in the order the cutover moves through them"))]
pub(crate) struct PhasesNotIncreasing {
    pub(crate) previous: String,
    pub(crate) current: String,
    #[label("not above {previous}")]
    pub(crate) at: SourceSpan,
    #[label("previous phase")]
    pub(crate) previous_at: SourceSpan,
}

impl Violation for PhasesNotIncreasing {
    const TITLE: &str = "phases not strictly increasing";
    const EXPLANATION: &str = r#"A cutover moves traffic forward through its phases; a phase that is not above the previous one
is a typo in the plan."#;
    const WRONG: &str = r#"cutover payments {
  phases = [0%, 10%, 50%, 25%, 75%, 100%]
}
"#;
    const RIGHT: &str = r#"cutover payments {
  phases = [0%, 10%, 25%, 50%, 75%, 100%]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("phases must {problem}")]
pub(crate) struct PhasesEnds {
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PhasesEnds {
    const TITLE: &str = "phases do not start at 0% or end at 100%";
    const EXPLANATION: &str = r#"The first phase is where the cutover starts and where a rollback returns: 0%. The last is where
the migration ends: 100%. A plan that never reaches 100% keeps the data centre forever."#;
    const WRONG: &str = r#"cutover payments {
  phases = [0%, 10%, 25%, 50%, 75%]
}
"#;
    const RIGHT: &str = r#"cutover payments {
  phases = [0%, 10%, 25%, 50%, 75%, 100%]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("a gate is written `REPLICATION.lag < DURATION`")]
pub(crate) struct BadGate {
    #[label("{problem}")]
    pub(crate) at: SourceSpan,
    pub(crate) problem: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadGate {
    const TITLE: &str = "malformed gate";
    const EXPLANATION: &str = r#"A gate is written `REPLICATION.lag < DURATION`, or several such conditions joined by `and`:
traffic may move only while each replication's lag is below its threshold. It compiles into
CloudWatch alarms and a Route 53 health check."#;
    const WRONG: &str = r#"cutover payments {
  gate = onprem_to_aws.lag > 5s
}
"#;
    const RIGHT: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 5s
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the gate names replication `{replication}` twice")]
#[diagnostic(help(
    "keep one condition per replication: the tighter threshold is the one that holds"
))]
pub(crate) struct GateRepeatsReplication {
    pub(crate) replication: String,
    #[label("second condition on `{replication}`")]
    pub(crate) at: SourceSpan,
    #[label("first condition on `{replication}`")]
    pub(crate) earlier: SourceSpan,
}

impl Violation for GateRepeatsReplication {
    const TITLE: &str = "a gate names a replication twice";
    const EXPLANATION: &str = r#"A gate may watch several replications (`gate = orders.lag < 5s and catalog.lag < 30s`), each
once: two thresholds on one replication are one condition written twice, and only the tighter
one can hold. Keep the one you mean."#;
    const WRONG: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 5s and onprem_to_aws.lag < 2s
}
"#;
    const RIGHT: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 2s
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("DMS does not read {engine} `{version}` as a source")]
pub(crate) struct SourceVersion {
    pub(crate) engine: String,
    pub(crate) version: String,
    #[label("{why}")]
    pub(crate) at: SourceSpan,
    pub(crate) why: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SourceVersion {
    const TITLE: &str = "a source version DMS does not read";
    const EXPLANATION: &str = r#"A replication may name its source's version after the engine (`from = mysql "5.7" …`): the
runbook then asks the source for what that version has (MySQL 5.7 keeps its binary logs with
`expire_logs_days`; `binlog_expire_logs_seconds` exists from 8.0). DMS reads MySQL 5.5 to 8.4,
MariaDB 10.0.24 to 11.4 and PostgreSQL 9.4 to 16 (DMS User Guide, "Sources for AWS DMS"); an
older version cannot be replicated: upgrade the source first, or name the version it runs."#;
    const WRONG: &str = r#"replication onprem_to_aws {
  from = mysql "5.1" "db.corp.example.com":3306 via onprem
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  from = mysql "5.7" "db.corp.example.com":3306 via onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("a cutover cannot weight the zone apex `{record}`")]
pub(crate) struct CutoverAtApex {
    pub(crate) record: String,
    #[label("the zone's own name")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for CutoverAtApex {
    const TITLE: &str = "a cutover at the zone apex";
    const EXPLANATION: &str = r#"A cutover weights two CNAME records at its name, one to the legacy host and one to the load
balancer. Route 53 cannot hold a CNAME at the zone apex (`example.com` in zone `example.com`);
an alias record can sit there, but it routes only to an AWS resource or a record of the same
zone, never to the legacy host. Cut over a name inside the zone; once everything runs on AWS,
an alias record at the apex can route to the load balancer."#;
    const WRONG: &str = r#"cutover payments {
  record = "example.com" in zone "example.com"
}
"#;
    const RIGHT: &str = r#"cutover payments {
  record = "pay.example.com" in zone "example.com"
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("no workspace named `{name}`")]
pub(crate) struct UnknownWorkspace {
    pub(crate) name: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnknownWorkspace {
    const TITLE: &str = "no such workspace";
    const EXPLANATION: &str = r#"A block names the workspace that owns something only one workspace of an account may create
(`owner` on a cutover, `dms_roles` in the `stack` block), and no workspace has that name."#;
    const WRONG: &str = r#"cutover payments {
  owner = aws-prod
}
"#;
    const RIGHT: &str = r#"cutover payments {
  owner = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
