//! The diagnostics `check::writes` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "data cutover `{data_cutover}` moves the writes of database `{database}`, but no replication feeds it"
)]
pub(crate) struct DataCutoverWithoutReplication {
    pub(crate) data_cutover: String,
    pub(crate) database: String,
    #[label("no `replication` has `to = {database}`")]
    pub(crate) at: SourceSpan,
    #[label("`{database}` declared here")]
    pub(crate) database_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for DataCutoverWithoutReplication {
    const TITLE: &str = "a data cutover on a database no replication feeds";
    const EXPLANATION: &str = r#"A data cutover moves a database's writes from the data centre's primary (the source of the
replication that feeds it) to Aurora, with a fallback replication back. A database no
replication feeds has no primary in the data centre: it is its own primary, Aurora, from the
start, and there is nothing to cut over. Remove the data cutover, or declare the replication
that brings the data centre's data into the database."#;
    const WRONG: &str = r#"database books {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}
input books_writer: writer = datacentre
data_cutover books_data {
  database = books
  writer   = books_writer
  fallback = dms.t3.medium
  username = "dms_writer"
  password = db.dms_writer_password
  max_lag  = 10s
  owner    = aws-production
}
"#;
    const RIGHT: &str = r#"database books {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}
input books_writer: writer = datacentre
replication books_sync {
  from     = mysql "books.corp.example.com":3306 via onprem
  username = "dms_reader"
  password = db.dms_password
  to       = books
  instance = dms.t3.medium
  max_lag  = 5s
}
data_cutover books_data {
  database = books
  writer   = books_writer
  fallback = dms.t3.medium
  username = "dms_writer"
  password = db.dms_writer_password
  max_lag  = 10s
  owner    = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "{what} needs one primary in the data centre, but {count} replications feed database `{database}`"
)]
pub(crate) struct SeveralPrimaries {
    pub(crate) what: String,
    pub(crate) count: usize,
    pub(crate) database: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[label("`{first}` feeds it")]
    pub(crate) first_at: SourceSpan,
    pub(crate) first: String,
    #[label("and so does `{second}`")]
    pub(crate) second_at: SourceSpan,
    pub(crate) second: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SeveralPrimaries {
    const TITLE: &str = "a written database with several primaries";
    const EXPLANATION: &str = r#"Before its data cutover a database's writes go to the data centre's primary: the source of the
replication that feeds it. When two replications feed one database, there are two sources and
no single primary to write, nor one for a fallback replication to write back to. A service that
writes the database (`reads = DB`), or a data cutover of it, is refused. Feed the database from
one replication, or have the service only read it (`reads = DB.reader`)."#;
    const WRONG: &str = r#"replication reports_sync {
  from     = mysql "reports.corp.example.com":3306 via onprem
  username = "dms_reader"
  password = db.dms_password
  to       = ledger
  instance = dms.t3.medium
  max_lag  = 30s
}
service api { reads = ledger }
cutover payments { gate = onprem_to_aws.lag < 5s and reports_sync.lag < 30s }
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
cutover payments { gate = onprem_to_aws.lag < 5s and reports_sync.lag < 30s }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "data cutover `{data_cutover}` has nothing to drain: replication `{replication}` copies once and follows no change"
)]
pub(crate) struct NothingToDrain {
    pub(crate) data_cutover: String,
    pub(crate) replication: String,
    #[label("drains `{replication}`")]
    pub(crate) at: SourceSpan,
    #[label("`mode = full_load`: the data centre's writes after the copy never reach Aurora")]
    pub(crate) mode_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NothingToDrain {
    const TITLE: &str = "a data cutover with nothing to drain";
    const EXPLANATION: &str = r#"A data cutover stops writes at the data centre, waits for the replication to carry the last of
them into Aurora, and only then switches the writer. A replication that copies once
(`mode = full_load`) follows no change: the data centre's writes after the copy never reach
Aurora, and switching the writer would leave them behind. Replicate changes until the data
cutover (`mode = full_load_and_cdc`). When a cutover relies on the replication, PMG1205 says
so already, and this is not said twice."#;
    const WRONG: &str = r#"database books {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}
input books_writer: writer = datacentre
replication books_sync {
  from     = mysql "books.corp.example.com":3306 via onprem
  username = "dms_reader"
  password = db.dms_password
  to       = books
  instance = dms.t3.medium
  mode     = full_load
  max_lag  = 5s
}
data_cutover books_data {
  database = books
  writer   = books_writer
  fallback = dms.t3.medium
  username = "dms_writer"
  password = db.dms_writer_password
  max_lag  = 10s
  owner    = aws-production
}
"#;
    const RIGHT: &str = r#"database books {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}
input books_writer: writer = datacentre
replication books_sync {
  from     = mysql "books.corp.example.com":3306 via onprem
  username = "dms_reader"
  password = db.dms_password
  to       = books
  instance = dms.t3.medium
  mode     = full_load_and_cdc
  max_lag  = 5s
}
data_cutover books_data {
  database = books
  writer   = books_writer
  fallback = dms.t3.medium
  username = "dms_writer"
  password = db.dms_writer_password
  max_lag  = 10s
  owner    = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "database `{database}`'s writes go to Aurora in workspace `{workspace}`, but cutover `{cutover}` still sends {legacy} of its traffic to the data centre"
)]
pub(crate) struct TwoPrimaries {
    pub(crate) database: String,
    pub(crate) workspace: String,
    pub(crate) cutover: String,
    pub(crate) legacy: String,
    #[label("writes go to Aurora here")]
    pub(crate) at: SourceSpan,
    #[label(
        "at {weight}, the legacy application still writes the data centre's database: two primaries"
    )]
    pub(crate) weight_at: SourceSpan,
    pub(crate) weight: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for TwoPrimaries {
    const TITLE: &str = "Aurora takes the writes while the legacy application still has traffic";
    const EXPLANATION: &str = r#"Once a database's data cutover is at `aurora`, Aurora is its only primary: the data centre's
copy is the fallback replication's target. The legacy application writes that copy, so every
cutover whose service writes the database must send it no traffic (100 % on AWS): otherwise the
two copies take writes at once, and no replication can reconcile them. The data cutover comes
after the traffic; to roll the traffic back, roll the data back first (`pmigc move DATA_CUTOVER
datacentre`). `pmigc move` refuses either move in the wrong order with this diagnostic."#;
    const WRONG: &str = r#"workspace aws-production {
  traffic_weight = 50%
  ledger_writer  = aurora
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  traffic_weight = 100%
  ledger_writer  = aurora
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "`both` writes on both sides, but data cutover `{data_cutover}` declares no two-way replication"
)]
pub(crate) struct BothWithoutTwoWay {
    pub(crate) data_cutover: String,
    #[label("writes to the data centre and to Aurora at once")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BothWithoutTwoWay {
    const TITLE: &str = "writes on both sides without a two-way replication";
    const EXPLANATION: &str = r#"`both` lets AWS's services write Aurora while the legacy application writes the data centre.
AWS DMS replicates both ways only with loopback prevention on both tasks, and resolves no
conflict (DMS guide, "Performing bidirectional replication"): the two sides must never make the
same key. So `both` needs the data cutover to declare `two_way` and how keys are kept apart.
Declare it, or write one side only (`datacentre` before the data cutover, `aurora` after)."#;
    const WRONG: &str = r#"data_cutover ledger_data {
  max_lag = 10s
}
workspace aws-production { ledger_writer = both }
"#;
    const RIGHT: &str = r#"data_cutover ledger_data {
  max_lag = 10s
  two_way = auto_increment 2 datacentre 1 aurora 2
}
workspace aws-production { ledger_writer = both }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{problem}")]
pub(crate) struct KeysNotApart {
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for KeysNotApart {
    const TITLE: &str = "keys not kept apart";
    const EXPLANATION: &str = r#"A two-way replication is safe only while the two sides never generate the same key. With
MySQL's auto-increment pair both sides use one step and distinct offsets from 1 to the step
(pmigc sets Aurora's `auto_increment_increment` and `auto_increment_offset` in its cluster
parameter group; the runbook says to set the data centre's): a step below 2, equal offsets, or
an offset above the step (which MySQL ignores) lets both sides make one key. PostgreSQL has no
such setting: state how its keys are kept apart (`keys_apart because "..."`)."#;
    const WRONG: &str = r#"data_cutover ledger_data {
  two_way = auto_increment 2 datacentre 1 aurora 1
}
"#;
    const RIGHT: &str = r#"data_cutover ledger_data {
  two_way = auto_increment 2 datacentre 1 aurora 2
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "service `{service}` writes database `{database}` through the data centre's primary, but cannot reach it"
)]
pub(crate) struct WriterUnreachable {
    pub(crate) service: String,
    pub(crate) database: String,
    #[label("{why}")]
    pub(crate) at: SourceSpan,
    pub(crate) why: String,
    #[label("the primary is `{host}`, through VPN `{vpn}`")]
    pub(crate) source_at: SourceSpan,
    pub(crate) host: String,
    pub(crate) vpn: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for WriterUnreachable {
    const TITLE: &str = "a service cannot reach the primary it writes";
    const EXPLANATION: &str = r#"Until a database's data cutover its writes go to the data centre's primary, through the VPN of
the replication that feeds it. pmigc opens the service's security group to the VPN's networks
on the source's port, but the route must exist: only the private subnets of a network with that
VPN get its routes. Place the service in the private tier, or have it only read the database
(`reads = DB.reader`, which reads Aurora)."#;
    const WRONG: &str = r#"service api { in = main.public }
"#;
    const RIGHT: &str = r#"service api { in = main.private }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("database `{database}` has two data cutovers, `{first}` and `{second}`")]
#[diagnostic(help("keep one: a database has one primary, moved by one step"))]
pub(crate) struct DuplicateDataCutover {
    pub(crate) database: String,
    pub(crate) first: String,
    pub(crate) second: String,
    #[label("the second")]
    pub(crate) at: SourceSpan,
    #[label("the first")]
    pub(crate) first_at: SourceSpan,
}

impl Violation for DuplicateDataCutover {
    const TITLE: &str = "two data cutovers of one database";
    const EXPLANATION: &str = r#"A database has one primary at a time, moved by one step: two data cutovers could put its
writes in two places, with two fallbacks writing the data centre. Keep one."#;
    const WRONG: &str = r#"data_cutover ledger_data { max_lag = 10s }
data_cutover ledger_again {
  database = ledger
  writer   = ledger_writer
  fallback = dms.t3.medium
  username = "dms_writer"
  password = db.dms_writer_password
  max_lag  = 10s
}
"#;
    const RIGHT: &str = r#"data_cutover ledger_data { max_lag = 10s }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the writes of database `{database}` never move to Aurora: no data cutover names it")]
#[diagnostic(severity(Warning))]
pub(crate) struct NoDataCutover {
    pub(crate) database: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NoDataCutover {
    const TITLE: &str = "a database whose writes never move to Aurora";
    const EXPLANATION: &str = r#"A warning: services write a database a replication feeds, so its writes go to the data centre's
primary, and no data cutover names it: they stay there for good, and the data centre can never
be turned off. Declare the step that moves them, with its fallback replication (the help writes
it); a stack that means to keep its primary in the data centre may ignore this."#;
    const WRONG: &str = r#"service api { reads = ledger }
"#;
    const RIGHT: &str = r#"service api { reads = ledger }
data_cutover ledger_data { database = ledger }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspace `{workspace}` sets data cutover `{data_cutover}` to `{state}`, but only workspace `{owner}` owns it"
)]
pub(crate) struct NotTheOwner {
    pub(crate) workspace: String,
    pub(crate) data_cutover: String,
    pub(crate) state: String,
    pub(crate) owner: String,
    #[label("this workspace's services write the data centre whatever this says")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for NotTheOwner {
    const TITLE: &str = "a workspace moves a data cutover it does not own";
    const EXPLANATION: &str = r#"When several workspaces share an account, a data cutover names the one workspace (`owner`)
whose root switches the writer and runs the fallback replication. The others write the data
centre whatever their writer input says, so a state other than `datacentre` there would do
nothing but mislead. Leave it at `datacentre`, or move the data cutover in its owner."#;
    const WRONG: &str = r#"workspace legacy-sync { ledger_writer = aurora }
"#;
    const RIGHT: &str = r#"workspace legacy-sync { ledger_writer = datacentre }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "service `{service}` writes database `{database}` in workspace `{workspace}`, which does not own its data cutover"
)]
pub(crate) struct WriterNotOwned {
    pub(crate) service: String,
    pub(crate) database: String,
    pub(crate) workspace: String,
    #[label("writes `{database}` in every workspace")]
    pub(crate) at: SourceSpan,
    #[label("owned by workspace `{owner}`")]
    pub(crate) owner_at: SourceSpan,
    pub(crate) owner: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for WriterNotOwned {
    const TITLE: &str = "a workspace writes a database whose data cutover another owns";
    const EXPLANATION: &str = r#"When several workspaces replicate one data centre database, one of them (`owner`) owns its data
cutover. In the others, a service that writes the database writes the data centre's primary:
after the owner's data cutover that copy is the fallback replication's target, so those writes
land behind Aurora's back and are lost when the data centre goes. Let the service only read in
those workspaces (`SERVICE.reads = DB.reader` in the workspace), or give the workspace a source
of its own."#;
    const WRONG: &str = r#"workspace legacy-sync { api.reads = ledger }
"#;
    const RIGHT: &str = r#"workspace legacy-sync { api.reads = ledger.reader }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspaces `{first}` and `{second}` both own a data cutover of the data centre's primary `{host}`"
)]
pub(crate) struct TwoOwners {
    pub(crate) first: String,
    pub(crate) second: String,
    pub(crate) host: String,
    #[label("owned by both")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for TwoOwners {
    const TITLE: &str = "two workspaces own one data centre primary";
    const EXPLANATION: &str = r#"A data cutover switches where a data centre database's writes go and starts a fallback
replication into it. Two workspaces that each own a data cutover of the same source (the same
host and port) would each switch it and each write it back: two fallbacks, two primaries. Name
the one workspace that owns it (`owner`)."#;
    const WRONG: &str = r#"data_cutover ledger_data {
  max_lag = 10s
}
"#;
    const RIGHT: &str = r#"data_cutover ledger_data {
  max_lag = 10s
  owner   = aws-production
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "data cutover `{data_cutover}` moves every write of `{database}` to Aurora, but replication `{replication}` copies only some of its tables"
)]
#[diagnostic(severity(Warning))]
pub(crate) struct PartialCopyCutover {
    pub(crate) data_cutover: String,
    pub(crate) database: String,
    pub(crate) replication: String,
    #[label("writes to tables not copied land in Aurora alone")]
    pub(crate) at: SourceSpan,
    #[label("what is copied, both ways")]
    pub(crate) tables_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PartialCopyCutover {
    const TITLE: &str = "a data cutover of a database copied only in part (warning)";
    const EXPLANATION: &str = r#"A data cutover moves every write of the database to Aurora (the writer name switches), but DMS
carries forward only the tables its replication's `include`/`exclude` select, and the fallback
carries back the same tables. A service that writes a table not copied writes Aurora alone from
the data cutover on: the data centre never sees that write, and a data rollback leaves it behind
in Aurora. pmigc cannot know which tables the services write, so it warns rather than refuses;
check that they write only copied tables, or widen `include`."#;
    const WRONG: &str = r#"replication onprem_to_aws {
  include = ["ledger.%"]
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  mode = full_load_and_cdc
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "workspace `{workspace}` overrides `{data_cutover}.{key}`, but only workspace `{owner}` owns data cutover `{data_cutover}`"
)]
pub(crate) struct UnownedDataCutoverOverride {
    pub(crate) workspace: String,
    pub(crate) data_cutover: String,
    pub(crate) key: String,
    pub(crate) owner: String,
    #[label(
        "this workspace's root holds neither the switch nor the fallback of `{data_cutover}`: this changes nothing"
    )]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for UnownedDataCutoverOverride {
    const TITLE: &str = "a data cutover overridden in a workspace that does not own it";
    const EXPLANATION: &str = r#"A data cutover that names an `owner` has its writer switch and its fallback replication in that
workspace's root only; the other workspaces of the account write to the data centre and build
neither. An override of the data cutover (`ledger_data.max_lag = 5s`, `ledger_data.username =
…`) in another workspace would be accepted and change nothing that is applied, like an
override of a cutover there (PMG0834). Override it in the owner (`workspace aws-production {
ledger_data.max_lag = 5s }`), or remove it."#;
    const WRONG: &str = r#"workspace legacy-sync { ledger_data.max_lag = 5s }
"#;
    const RIGHT: &str = r#"workspace legacy-sync { }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
