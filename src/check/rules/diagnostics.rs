//! The diagnostics `check::rules` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "replication `{replication}` reads {source_family} into {target_title} database `{database}`: a heterogeneous migration"
)]
#[diagnostic(help(
    "DMS copies rows as they are within one engine family; between families the schema must be converted first (AWS Schema Conversion Tool or DMS Schema Conversion), which pmigc does not do. Replicate into a database with `engine = {source_keyword} \"{source_version}\"`, or convert the schema outside pmigc"
))]
pub(crate) struct CrossFamily {
    pub(crate) replication: String,
    pub(crate) source_family: &'static str,
    pub(crate) database: String,
    pub(crate) target_title: &'static str,
    pub(crate) source_keyword: &'static str,
    pub(crate) source_version: &'static str,
    #[label("a {source_family} source")]
    pub(crate) at: SourceSpan,
    #[label("{target_title} target")]
    pub(crate) target_at: SourceSpan,
}

impl Violation for CrossFamily {
    const TITLE: &str = "replication between engine families";
    const EXPLANATION: &str = r#"DMS copies rows as they are from a source into a target of the same engine family: MySQL or
MariaDB into Aurora MySQL, PostgreSQL into Aurora PostgreSQL. Between families (MySQL into
Aurora PostgreSQL, or the reverse) the schema, types and stored code must be converted first,
with the AWS Schema Conversion Tool or DMS Schema Conversion, which pmigc does not do; a
replication across families would start and then fail, or silently change the data. Replicate
into a database of the source's family, or convert the schema outside pmigc."#;
    const WRONG: &str = r#"replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
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
#[error("network `{network}` ({cidr}) overlaps the on-premises network {onprem} behind `{vpn}`")]
#[diagnostic(help(
    "traffic for the overlapping addresses could not be routed back to the data centre through the VPN; pick a VPC range outside every on-premises network"
))]
pub(crate) struct OverlapsOnPremises {
    pub(crate) network: String,
    pub(crate) cidr: String,
    pub(crate) onprem: String,
    pub(crate) vpn: String,
    #[label("overlaps {onprem}")]
    pub(crate) at: SourceSpan,
    #[label("on-premises network declared here")]
    pub(crate) onprem_at: SourceSpan,
}

impl Violation for OverlapsOnPremises {
    const TITLE: &str = "VPC overlaps the on-premises network";
    const EXPLANATION: &str = r#"The VPC's range overlaps a network behind the VPN to the data centre. Traffic from AWS to those
addresses would stay inside the VPC and never reach on-premises: replication breaks, and with
it the migration. It is a classic migration outage, and invisible until traffic flows."#;
    const WRONG: &str = r#"existing vpn onprem {
  networks = [192.168.0.0/16]
}
network main {
  cidr = 192.168.0.0/16
  vpn  = onprem
}
"#;
    const RIGHT: &str = r#"existing vpn onprem {
  networks = [192.168.0.0/16]
}
network main {
  cidr = 10.40.0.0/16
  vpn  = onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("networks `{a}` ({a_cidr}) and `{b}` ({b_cidr}) overlap")]
#[diagnostic(help(
    "give each network its own address range so they can be routed to each other and to on-premises"
))]
pub(crate) struct NetworksOverlap {
    pub(crate) a: String,
    pub(crate) a_cidr: String,
    pub(crate) b: String,
    pub(crate) b_cidr: String,
    #[label("overlaps `{a}`")]
    pub(crate) at: SourceSpan,
    #[label("`{a}` declared here")]
    pub(crate) other: SourceSpan,
}

impl Violation for NetworksOverlap {
    const TITLE: &str = "networks overlap each other";
    const EXPLANATION: &str = r#"Two networks of the stack share addresses. AWS refuses to peer VPCs whose ranges overlap, and
a transit gateway or the on-premises router could not tell which one an address belongs to, so
the networks could never reach each other. Give each network its own range; the second label
shows the network it overlaps."#;
    const WRONG: &str = r#"network edge {
  cidr = 10.8.0.0/20
}
network spare {
  cidr    = 10.8.0.0/16
  zones   = 1
  public  = /24 per zone
  private = /24 per zone
}
"#;
    const RIGHT: &str = r#"network edge {
  cidr = 10.8.0.0/20
}
network spare {
  cidr    = 10.9.0.0/16
  zones   = 1
  public  = /24 per zone
  private = /24 per zone
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "cutover `{cutover}` sends traffic to service `{service}`, whose load balancer is internal"
)]
pub(crate) struct CutoverToInternal {
    pub(crate) cutover: String,
    pub(crate) service: String,
    #[label("a public DNS record cannot send clients here")]
    pub(crate) at: SourceSpan,
    #[label("internal: reached only from the VPC and its VPN")]
    pub(crate) exposed_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for CutoverToInternal {
    const TITLE: &str = "cutover to a service behind an internal load balancer";
    const EXPLANATION: &str = r#"A cutover moves a public DNS record (its zone is looked up as a public hosted zone) between
the data centre and the service's load balancer. An internal load balancer has private
addresses only: clients outside the VPC would be sent to an address they cannot reach. A
service that a cutover moves traffic to is exposed to the internet (`exposed = https via
NETWORK.public with CERTIFICATE`); an internal service is reached from the VPC or through the
VPN, by its load balancer's name (`output x = SERVICE.dns_name`)."#;
    const WRONG: &str = r#"service api {
  exposed = internal https via main.private with pay
}
cutover payments {
  aws = api
}
"#;
    const RIGHT: &str = r#"service api {
  exposed = https via main.public with pay
}
cutover payments {
  aws = api
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} {weight} is not one of the cutover's phases")]
pub(crate) struct WeightNotAPhase {
    /// `traffic weight` or `rollback weight`.
    pub(crate) what: &'static str,
    pub(crate) weight: String,
    #[label("{weight} in {context}")]
    pub(crate) at: SourceSpan,
    pub(crate) context: String,
    #[label("phases declared here")]
    pub(crate) phases_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for WeightNotAPhase {
    const TITLE: &str = "traffic weight is not a phase";
    const EXPLANATION: &str = r#"A workspace's traffic weight (or the rollback) is between phases, so it skips the checks planned
for a phase. The compiled Terraform also refuses such a weight in a precondition; this catches
it before Terraform runs. The fix moves it to the nearest phase."#;
    const WRONG: &str = r#"workspace aws-production {
  traffic_weight = 30%
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  traffic_weight = 25%
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "rollback to {rollback} would move traffic forward from {current} in workspace `{workspace}`"
)]
#[diagnostic(help(
    "roll back to 0% (all traffic to the data centre) or to a phase at or below every workspace's weight"
))]
pub(crate) struct RollbackAbovePhase {
    pub(crate) rollback: String,
    pub(crate) current: String,
    pub(crate) workspace: String,
    #[label("rolls traffic forward, not back")]
    pub(crate) at: SourceSpan,
    #[label("the traffic weight in `{workspace}`")]
    pub(crate) weight_at: SourceSpan,
}

impl Violation for RollbackAbovePhase {
    const TITLE: &str = "rollback above the current phase";
    const EXPLANATION: &str = r#"A rollback returns traffic to the data centre. In a workspace whose traffic weight is below the
rollback weight, "rolling back" would send *more* traffic to AWS, the opposite of what an
operator pressing the button during an incident expects. Roll back to 0% (everything to the
data centre), or to a phase at or below every workspace's weight. Only the weight of a workspace
that manages the cutover counts: another workspace's weight moves no traffic (PMG0835)."#;
    const WRONG: &str = r#"cutover payments {
  rollback = 25%
}
workspace aws-production {
  traffic_weight = 10%
}
"#;
    const RIGHT: &str = r#"cutover payments {
  rollback = 0%
}
workspace aws-production {
  traffic_weight = 10%
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{weight} of traffic goes to AWS, but nothing replicates into database `{database}`")]
pub(crate) struct CutoverWithoutReplication {
    pub(crate) weight: String,
    pub(crate) database: String,
    #[label("sends traffic to `{service}`, which reads `{database}`")]
    pub(crate) at: SourceSpan,
    pub(crate) service: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for CutoverWithoutReplication {
    const TITLE: &str = "traffic to AWS with nothing replicating its data";
    const EXPLANATION: &str = r#"A workspace sends traffic to a service whose database no replication feeds: customers would
read an empty or stale database, without the balances and payments made in the data centre.
Declare the replication from on-premises (with a gate on its lag), or keep the workspace at 0%.
This rule runs only once every block of the stack checks: while a block has an error, a
replication that failed to check would look absent."#;
    const WRONG: &str = r#"service api { reads = ledger }
cutover payments { aws = api }
workspace aws-production { traffic_weight = 100% }
"#;
    const RIGHT: &str = r#"service api { reads = ledger }
replication onprem_to_aws {
  from    = mysql "db.corp.example.com":3306 via onprem
  to      = ledger
  max_lag = 5s
}
data_cutover ledger_data { database = ledger }
cutover payments {
  aws  = api
  gate = onprem_to_aws.lag < 5s
}
output dms_replication_status = onprem_to_aws.status
workspace aws-production { traffic_weight = 100% }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("gate threshold {threshold} is above the replication's lag budget {max_lag}")]
pub(crate) struct GateAboveBudget {
    pub(crate) threshold: String,
    pub(crate) max_lag: String,
    #[label("lets traffic move while lag is over budget")]
    pub(crate) at: SourceSpan,
    #[label("`max_lag` declared here")]
    pub(crate) budget_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for GateAboveBudget {
    const TITLE: &str = "gate looser than the lag budget";
    const EXPLANATION: &str = r#"The gate lets traffic move while replication lag is above the replication's own `max_lag`, so
the lag budget would be broken exactly when it matters: during a phase change, customers would
be served from a database minutes behind the data centre. Gate at or below the budget; the
second label shows where the budget is set."#;
    const WRONG: &str = r#"replication onprem_to_aws { max_lag = 5s }
cutover payments { gate = onprem_to_aws.lag < 30s }
"#;
    const RIGHT: &str = r#"replication onprem_to_aws { max_lag = 5s }
cutover payments { gate = onprem_to_aws.lag < 5s }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cutovers `{a}` and `{b}` are both moved by input `{input}`")]
pub(crate) struct SharedWeight {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) input: String,
    #[label("`{b}` reads `{input}`")]
    pub(crate) at: SourceSpan,
    #[label("`{a}` reads `{input}` too")]
    pub(crate) other: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SharedWeight {
    const TITLE: &str = "two cutovers moved by one weight input";
    const EXPLANATION: &str = r#"A cutover's weight is the value its weight input has in a workspace, and a phase is a change of
that one value (`pmigc move`). Two cutovers reading one input would always move together:
moving one must never move another. Give each cutover its own percent input."#;
    const WRONG: &str = r#"cutover admin {
  record   = "admin.pay.example.com" in zone "example.com"
  legacy   = "legacy-admin.pay.example.com"
  aws      = api
  weight   = traffic_weight
  phases   = [0%, 100%]
  gate     = onprem_to_aws.lag < 5s
  rollback = 0%
  owner    = aws-production
}
"#;
    const RIGHT: &str = r#"input admin_weight: percent = 0%
cutover admin {
  record   = "admin.pay.example.com" in zone "example.com"
  legacy   = "legacy-admin.pay.example.com"
  aws      = api
  weight   = admin_weight
  phases   = [0%, 100%]
  gate     = onprem_to_aws.lag < 5s
  rollback = 0%
  owner    = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the gate of cutover `{cutover}` does not watch replication `{replication}`, which feeds database `{database}` that `{service}` reads"
)]
pub(crate) struct GateMissesReplication {
    pub(crate) cutover: String,
    pub(crate) replication: String,
    pub(crate) database: String,
    pub(crate) service: String,
    #[label("traffic moves whatever `{replication}`'s lag")]
    pub(crate) at: SourceSpan,
    #[label("`{replication}` declared here")]
    pub(crate) replication_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for GateMissesReplication {
    const TITLE: &str = "the gate misses a replication the service depends on";
    const EXPLANATION: &str = r#"The service a cutover sends traffic to reads databases; every replication that writes into one
of them decides whether AWS serves current data. A gate that watches only some of them lets
traffic move while another is hours behind. Add a condition for each (`and`), at or below its
lag budget."#;
    const WRONG: &str = r#"database reports {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}
replication reports_sync {
  from     = mysql "reports.corp.example.com":3306 via onprem
  username = "dms_reader"
  password = db.dms_password
  to       = reports
  instance = dms.t3.medium
  max_lag  = 30s
}
service api { reads = [ledger, reports.reader] }
cutover payments {
  gate = onprem_to_aws.lag < 5s
}
"#;
    const RIGHT: &str = r#"database reports {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}
replication reports_sync {
  from     = mysql "reports.corp.example.com":3306 via onprem
  username = "dms_reader"
  password = db.dms_password
  to       = reports
  instance = dms.t3.medium
  max_lag  = 30s
}
service api { reads = [ledger, reports.reader] }
cutover payments {
  gate = onprem_to_aws.lag < 5s and reports_sync.lag < 30s
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cutover `{cutover}` has no gate: traffic moves to AWS whatever the lag of {replications}")]
#[diagnostic(severity(Warning))]
pub(crate) struct NoGate {
    pub(crate) cutover: String,
    pub(crate) replications: String,
    #[label("no `gate`")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NoGate {
    const TITLE: &str = "a cutover without a gate";
    const EXPLANATION: &str = r#"A warning: the cutover's service reads data that a replication brings over, but nothing ties
the traffic to that replication's lag. With a gate, Route 53 takes AWS out of rotation by itself
while replication is behind; without one, only the person applying the next phase can notice.
The help writes the gate at each replication's lag budget."#;
    const WRONG: &str = r#"cutover payments {
  rollback = 0%
}
"#;
    const RIGHT: &str = r#"cutover payments {
  rollback = 0%
  gate     = onprem_to_aws.lag < 5s
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("service `{service}` has no load balancer, but {user} needs one")]
#[diagnostic(help("expose the service: `exposed = https via NETWORK.public with CERTIFICATE`"))]
pub(crate) struct NotExposed {
    pub(crate) service: String,
    pub(crate) user: String,
    #[label("needs `{service}` to be exposed")]
    pub(crate) at: SourceSpan,
    #[label("declared here without `exposed`")]
    pub(crate) declared: SourceSpan,
}

impl Violation for NotExposed {
    const TITLE: &str = "service has no load balancer";
    const EXPLANATION: &str = r#"A cutover, an output such as `api.dns_name`, or a service routed through another one needs the
service's load balancer, but the service has no `exposed` line and therefore no load balancer.
The cutover's weighted Route 53 record would have no load balancer to point at. Expose the service over HTTPS with a certificate, or point the cutover at a service that is
exposed. The second label shows the service."#;
    const WRONG: &str = r#"service api {
  port = 8080
}
cutover payments {
  aws = api
}
"#;
    const RIGHT: &str = r#"service api {
  port    = 8080
  exposed = https via main.public with pay
}
cutover payments {
  aws = api
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("workspaces `{a}` and `{b}` share one state location")]
#[diagnostic(help(
    "each workspace needs its own state key, or one apply overwrites the other's state"
))]
pub(crate) struct SharedState {
    pub(crate) a: String,
    pub(crate) b: String,
    /// How the two meet: "same bucket and key as `a`", or a lock file's key.
    pub(crate) how: String,
    #[label("{how}")]
    pub(crate) at: SourceSpan,
    #[label("`{a}` keeps its state here")]
    pub(crate) other: SourceSpan,
}

impl Violation for SharedState {
    const TITLE: &str = "two workspaces share one state location";
    const EXPLANATION: &str = r#"Two workspaces with the same S3 bucket and key would overwrite each other's state: the second
apply would plan to destroy everything the first created. The same holds for a key that is
another workspace's lock file: the S3 backend locks a state `KEY` by writing `KEY.tflock`
beside it, so a workspace whose key is `payment/legacy-sync.tfstate.tflock` would have its
state overwritten by the other's lock (or find it locked). Only the bucket and the key count:
bucket names are global."#;
    const WRONG: &str = r#"workspace legacy-sync    { state = s3 "pay-tfstate" "payment.tfstate" }
workspace aws-production { state = s3 "pay-tfstate" "payment.tfstate" }
"#;
    const RIGHT: &str = r#"workspace legacy-sync    { state = s3 "pay-tfstate" "payment/legacy-sync.tfstate" }
workspace aws-production { state = s3 "pay-tfstate" "payment/aws-production.tfstate" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "pattern `{pattern}` of replication `{replication}` names schema `{schema}`, which is also one of the databases it moves"
)]
pub(crate) struct DatabaseAsSchema {
    pub(crate) pattern: String,
    pub(crate) replication: String,
    pub(crate) schema: String,
    #[label("a schema in every database, or database `{schema}`?")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for DatabaseAsSchema {
    const TITLE: &str = "a table pattern that names a database";
    const EXPLANATION: &str = r#"With several databases (`dbname = ["ledger", "ledger_audit"]`) a replication runs one DMS task
per database, and its `include`/`exclude` patterns are `schema.table` within EACH database: a
DMS table mapping selects schemas and tables of the one database its source endpoint names.
A pattern whose schema is the name of one of those databases reads as if it chose that
database, which it does not (it selects a schema of that name in every database): pmigc
refuses it rather than guess. Select by schema and table only; to move only some databases,
list only those in `dbname`."#;
    const WRONG: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "ledger_audit"]
}

replication onprem_to_aws {
  from    = postgresql "db.corp.example.com":5432 via onprem
  include = ["ledger_audit.%"]
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "ledger_audit"]
}

replication onprem_to_aws {
  from    = postgresql "db.corp.example.com":5432 via onprem
  include = ["public.%"]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the DMS task of database `{database}` would be named `{task}`, which {problem}")]
pub(crate) struct BadDatabaseTask {
    pub(crate) database: String,
    pub(crate) task: String,
    pub(crate) problem: String,
    #[label("this database's task and endpoints are named after `{block}` and it")]
    pub(crate) at: SourceSpan,
    pub(crate) block: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadDatabaseTask {
    const TITLE: &str = "a database whose DMS task cannot be named";
    const EXPLANATION: &str = r#"Each database after the first of `dbname = [...]` gets its own DMS endpoints and task, named
after the replication (or the data cutover, for its fallback) and the database:
`pg_sync_ledger_audit`, `STACK-pg-sync-ledger-audit` in AWS. That name must be one no other
block of the stack derives, and one DMS takes (letters, digits and single hyphens, not ending
with a hyphen: a database name with `__` or a final `_` makes `--` or a final `-`)."#;
    const WRONG: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "audit__log"]
}

replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine = aurora_postgresql "16"
  dbname = ["ledger", "audit_log"]
}

replication onprem_to_aws {
  from = postgresql "db.corp.example.com":5432 via onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
