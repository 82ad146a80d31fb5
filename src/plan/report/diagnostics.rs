//! The diagnostics of the migration model checker (`plan::report`): each one's message, labels,
//! help and fix, with its catalogue entry (title, explanation, a wrong and a right example).
//! Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

// The plan check (`crate::plan`): a counterexample's steps are the secondary labels, in
// order; the primary label says what is wrong at its end.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "database `{database}` can accept writes in two places at once: {sources} and its Aurora cluster{workspaces}"
)]
pub(crate) struct SplitWrites {
    pub(crate) database: String,
    pub(crate) sources: String,
    pub(crate) workspaces: String,
    #[label("{conclusion}")]
    pub(crate) at: SourceSpan,
    pub(crate) conclusion: String,
    #[label(collection)]
    pub(crate) steps: Vec<miette::LabeledSpan>,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SplitWrites {
    const TITLE: &str = "a database can accept writes in two places at once";
    const EXPLANATION: &str = r#"pmigc model-checks the migration plan (docs/migration-model.md): it explores every order of the
runbook's steps — each cutover's phases and rollback, the data cutover and its rollback — with
what goes wrong in production (a gate trips and Route 53 takes AWS out, a replication task
stops, a service fails its health check, the writer switch is half done), and proves that at no
moment do the data centre's database and the Aurora cluster a replication copies it into both
accept writes, unless a two-way replication with loopback prevention joins them. DMS replication
is not a multi-master solution: a one-way task overwrites the cluster's rows with the data
centre's, stops on colliding keys, and never carries the cluster's writes back. The labels are a
shortest run to such a moment, one step per label, numbered, each on the line that allows it.
A service whose `reads` names a database writes its Aurora cluster from the moment it receives
traffic (with no cutover in front of it, from the first apply), while the data centre's
applications still write theirs. Until the database's data cutover, nothing on AWS may write the
database a replication writes into: the data cutover stops writes at the data centre, drains the
replication, switches the writer to Aurora and starts a fallback replication back.

No stack that the write model's rules accept (docs/data-cutover.md, PMG0820–PMG0831) reaches
this today: it is the plan check's second line of defence, and if pmigc reports it, the trace
shows a way to lose data that those rules missed (please report it). The Wrong example below
is the shape the seed's CDKTF program had — services on AWS using the database a replication
fills — which in pmig reaches the data centre's primary through the writer name and is proven
safe; the catalogue's test checks that it no longer produces this code."#;
    const WRONG: &str = r#"existing vpn dc {
  connection = "vpn-0a1b2c3d4e5f67890"
  gateway    = "vgw-0a1b2c3d4e5f67890"
  networks   = [192.168.0.0/16]
}
existing secret db { name = "shop-db", keys = [password, dms_password] }
network edge {
  vpn = dc
}
database orders {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = edge.private
  password = db.password
}
replication sync {
  from     = mysql "db.corp.example.com":3306 via dc
  username = "dms"
  password = db.dms_password
  to       = orders
  instance = dms.t3.medium
  mode     = full_load_and_cdc
  max_lag  = 5s
}
service web {
  reads = orders
}
"#;
    const RIGHT: &str = r#"existing vpn dc {
  connection = "vpn-0a1b2c3d4e5f67890"
  gateway    = "vgw-0a1b2c3d4e5f67890"
  networks   = [192.168.0.0/16]
}
existing secret db { name = "shop-db", keys = [password, dms_password] }
network edge {
  vpn = dc
}
database orders {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = edge.private
  password = db.password
}
replication sync {
  from     = mysql "db.corp.example.com":3306 via dc
  username = "dms"
  password = db.dms_password
  to       = orders
  instance = dms.t3.medium
  mode     = full_load_and_cdc
  max_lag  = 5s
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "a write to database `{database}` can be lost: after {count} steps it is on no primary and no running replication carries it to one{workspaces}"
)]
pub(crate) struct LostWrite {
    pub(crate) database: String,
    pub(crate) count: usize,
    pub(crate) workspaces: String,
    #[label("{conclusion}")]
    pub(crate) at: SourceSpan,
    pub(crate) conclusion: String,
    #[label(collection)]
    pub(crate) steps: Vec<miette::LabeledSpan>,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for LostWrite {
    const TITLE: &str = "a write can be lost";
    const EXPLANATION: &str = r#"The second property the plan check proves (docs/migration-model.md): every write accepted in any
state is, in every later state, on a primary of its database — the copy the writer points at, or
one a service that receives traffic uses — or on its way there in a replication that runs. A
write the Aurora cluster accepted while a cutover sent it traffic is lost when the traffic goes
back to the data centre (a rollback, a tripped gate, a failed health check) and no replication
carries the cluster's writes to the data centre: the seed's payment, accepted at 10 % and gone
at the rollback to 0 %. The labels are a shortest run to the loss, one numbered step per label,
each on the line that allows it. Until the data cutover, services must write at the data
centre's primary; after it, a fallback replication from Aurora back to the data centre keeps the
writes a data rollback needs.

No stack that the write model's rules accept (docs/data-cutover.md, PMG0820–PMG0831) reaches
this today: it is the plan check's second line of defence, and if pmigc reports it, the trace
shows a way to lose data that those rules missed (please report it). The Wrong example below
is the shape the seed's CDKTF program had — services on AWS using the database a replication
fills — which in pmig reaches the data centre's primary through the writer name and is proven
safe; the catalogue's test checks that it no longer produces this code."#;
    const WRONG: &str = r#"existing vpn dc {
  connection = "vpn-0a1b2c3d4e5f67890"
  gateway    = "vgw-0a1b2c3d4e5f67890"
  networks   = [192.168.0.0/16]
}
existing secret db { name = "shop-db", keys = [password, dms_password] }
network edge {
  vpn = dc
}
database orders {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = edge.private
  password = db.password
}
replication sync {
  from     = mysql "db.corp.example.com":3306 via dc
  username = "dms"
  password = db.dms_password
  to       = orders
  instance = dms.t3.medium
  mode     = full_load_and_cdc
  max_lag  = 5s
}
input weight: percent = 0%
cutover storefront {
  record   = "shop.example.com" in zone "example.com"
  legacy   = "legacy.shop.example.com"
  aws      = web
  weight   = weight
  phases   = [0%, 50%, 100%]
  gate     = sync.lag < 5s
  rollback = 0%
}
service web {
  reads = orders
}
"#;
    const RIGHT: &str = r#"existing vpn dc {
  connection = "vpn-0a1b2c3d4e5f67890"
  gateway    = "vgw-0a1b2c3d4e5f67890"
  networks   = [192.168.0.0/16]
}
existing secret db { name = "shop-db", keys = [password, dms_password] }
network edge {
  vpn = dc
}
database orders {
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = edge.private
  password = db.password
}
replication sync {
  from     = mysql "db.corp.example.com":3306 via dc
  username = "dms"
  password = db.dms_password
  to       = orders
  instance = dms.t3.medium
  mode     = full_load_and_cdc
  max_lag  = 5s
}
input weight: percent = 0%
cutover storefront {
  record   = "shop.example.com" in zone "example.com"
  legacy   = "legacy.shop.example.com"
  aws      = web
  weight   = weight
  phases   = [0%, 50%, 100%]
  gate     = sync.lag < 5s
  rollback = 0%
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
