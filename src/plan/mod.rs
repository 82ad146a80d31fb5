//! The migration plan, model-checked (issue 25, point 4).
//!
//! A [`Plan`] is a small, engine-free description of a migration, built from a checked model by
//! one function ([`Plan::from_stack`], in `build`): the databases and the data-centre databases
//! that replications copy into them, how services reach each database and which they write or
//! only read, the cutovers in front of the services (phases, rollback, gate), the data cutover
//! and the replication back to the data centre when the stack declares them, and for every
//! element the place in the stack it comes from. `machine` turns it into a state machine —
//! where each database's writes go, which replications run, whether writes are stopped, each
//! cutover's phase and gate — whose transitions are every step of the runbook in any order it
//! allows and what goes wrong in production (a gate trips, a replication stops, a service turns
//! unhealthy, the writer switch is half done). `explore` visits every reachable state
//! breadth-first and checks two properties in each:
//!
//! - **P1, no split writes**: at no moment do the data centre's database and the Aurora cluster
//!   both accept writes for the same data, unless a two-way replication with loopback
//!   prevention joins them;
//! - **P2, no lost write**: every write accepted in any state is, in every later state, on a
//!   primary of the database or carried there by a running replication.
//!
//! A violation is a shortest counterexample, which `words` says in the stack's words and
//! `report` turns into a diagnostic whose labels are its steps (PMG0812 for P1, PMG0813 for P2)
//! and into what `pmigc phases` prints.
//! `docs/migration-model.md` explains the model, its abstraction and what it does not cover.

mod build;
mod explore;
mod machine;
pub(crate) mod report;
mod state;
mod words;

pub(crate) use build::Locator;
pub use explore::{DatabaseVerdict, Verdict, check};
pub(crate) use report::diagnostics;
pub use report::{Proof, diagnostics_of, json, text, verdicts};
pub use words::{Trace, TraceStep};

use crate::model::Percent;
use crate::syntax::ast::Span;

/// Whether `check` (and so `build`, `pmigc check` and the language server) refuses a stack
/// whose plan can split or lose writes. On: the language says where writes go (data cutovers,
/// the writer name, `.reader`), and a stack whose plan can lose a write does not build.
pub const ENFORCE: bool = true;

/// A place in the stack: a span and its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct At {
    pub span: Span,
    pub line: usize,
}

/// What the model checker knows of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub databases: Vec<Database>,
    pub services: Vec<Service>,
    pub cutovers: Vec<Cutover>,
}

/// An Aurora database of the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub name: String,
    /// The block's name.
    pub at: At,
    /// The data-centre databases replications copy into it (usually one).
    pub sources: Vec<Source>,
    /// How the services that write it reach it.
    pub access: Access,
    /// Its data cutover, when the stack declares one.
    pub data_cutover: Option<DataCutover>,
}

/// How services reach the database they write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Straight to the Aurora cluster's writer endpoint, from the first apply (today's model:
    /// `reads = DB`).
    Direct,
    /// Through a writer name pmigc switches: the data centre's primary until the data cutover,
    /// the Aurora cluster after it.
    Writer { at: At },
}

/// A data-centre database that a replication copies into the Aurora database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The replication that copies it (DMS, data centre to Aurora).
    pub replication: String,
    /// Where the replication names the database it writes into (`to = ledger`).
    pub at: At,
    /// The data centre's database as the stack writes it: `mysql db.corp.example.com:3306`.
    pub host: String,
    /// Its `from`.
    pub host_at: At,
    /// Whether the replication keeps carrying changes after the first copy (change data
    /// capture); a `full_load` copies once and then carries nothing.
    pub cdc: bool,
    /// A replication from the Aurora cluster back to this database, if any.
    pub back: Option<Back>,
}

/// A replication from the Aurora cluster back to the data centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Back {
    pub replication: String,
    pub at: At,
    pub kind: BackKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackKind {
    /// The fallback of the data cutover: stopped until the writer switches to Aurora, running
    /// from then until the data rollback.
    Fallback,
    /// A second, permanent task for writes on both sides; `loopback_prevention` says whether
    /// DMS keeps each side's changes from coming back to it.
    TwoWay { loopback_prevention: bool },
}

/// The data cutover of a database, whose runbook the state machine follows: writes stop at
/// the data centre, the replication drains, validation shows no differing rows, one apply
/// switches the writer to Aurora, stops the replication and starts the fallback, writes resume.
/// Its rollback: writes stop on Aurora (its services taken out), the fallback drains, the data
/// centre takes writes again, one apply switches the writer back, restarts the replication,
/// stops the fallback, and the services come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataCutover {
    pub at: At,
    /// The rollback brings the services back only once the writer name resolves to the data
    /// centre for every one of them (after the record's TTL). Otherwise a service that still
    /// has Aurora's answer writes Aurora, which nothing stops then, while the data centre
    /// takes writes again.
    pub services_return_once_switched: bool,
    /// Writes on both sides may be allowed (a `both` state): the writer points at Aurora for
    /// the services while the data centre keeps its application's writes, joined by the
    /// fallback and the forward replication, both with DMS loopback prevention, the keys kept
    /// apart as the stack says.
    pub two_way: bool,
}

/// A service and the databases it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub at: At,
    pub writes: Vec<Use>,
    /// Databases it only reads (stale reads accepted); they play no part in the properties.
    pub reads: Vec<Use>,
    /// `exposed = path "…" on SERVICE`: it gets its traffic through that service's load
    /// balancer, so through the cutovers in front of that one.
    pub via: Option<String>,
    /// Its health check (`health`), which Route 53 reads when a cutover has no gate.
    pub health_at: At,
}

/// A database a service uses, with where the stack says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub database: String,
    pub at: At,
}

/// A weighted DNS cutover from the legacy host to a service's load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutover {
    pub name: String,
    pub at: At,
    pub record: String,
    pub legacy: String,
    pub service: String,
    /// `aws = SERVICE`.
    pub service_at: At,
    /// Strictly increasing from 0 % to 100 %.
    pub phases: Vec<Percent>,
    pub phases_at: At,
    pub rollback: Percent,
    pub rollback_at: At,
    /// The replications the gate watches (their lag, their validation); empty without a gate.
    pub gate: Vec<String>,
    /// The gate as written (`onprem_to_aws.lag < 5s`) and where.
    pub gate_text: String,
    pub gate_at: Option<At>,
}

impl Plan {
    pub fn database(&self, name: &str) -> Option<&Database> {
        self.databases.iter().find(|d| d.name == name)
    }
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
    /// The cutovers in front of a service: its own, and those of the service on whose load
    /// balancer it is routed.
    pub fn fronts<'p>(&'p self, service: &'p Service) -> impl Iterator<Item = &'p Cutover> {
        self.cutovers.iter().filter(move |c| {
            c.service == service.name || service.via.as_deref() == Some(c.service.as_str())
        })
    }
    /// Whether a service behind `cutover` writes `database`.
    pub fn fronted_writes(&self, cutover: &str, database: &str) -> bool {
        self.services.iter().any(|s| {
            s.writes.iter().any(|u| u.database == database)
                && self.fronts(s).any(|c| c.name == cutover)
        })
    }
}

#[cfg(test)]
mod tests;
