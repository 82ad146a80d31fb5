//! Where writes go: the model of a database's primary at each moment of a migration.
//!
//! A database no replication feeds is its own primary from the start (Aurora). A database a
//! replication feeds has its primary in the data centre (the replication's source) until its
//! **data cutover** moves it to Aurora; services reach it through one name pmigc switches
//! (`writer.<database>.<zone>`), never through an endpoint baked into each instance. A service
//! that only reads (`reads = DB.reader`) reads Aurora's reader endpoint, stale by at most the
//! replication's lag. The data cutover's state in a workspace is an input of type `writer`
//! (`datacentre`, `both`, `aurora`), moved with `pmigc move` like a traffic weight; after it, a
//! **fallback replication** carries Aurora's writes back to the data centre, so a rollback loses
//! nothing. `both` (writes on both sides) exists only for a stack that declares a two-way
//! replication (`two_way`) with how its keys are kept apart.
//!
//! What the plan checker (`crate::plan`) reads, all through `Stack`:
//! - per database: `Stack::feeding` (the replications into it, their sources),
//!   `Stack::data_cutover_of` (its data cutover, owned or not), `Stack::write_path` (where its
//!   writes go in this workspace, which replications run), and `Database::origin`;
//! - per data cutover (`DataCutover`): its database, the replication it drains, its state
//!   (`writer`) and where the state is written (`writer_origin`), its fallback, whether it is
//!   two-way (`two_way`, always with DMS loopback prevention), its `owner`, its `origin`;
//! - per service: `Service::writes` and `Service::reads_only` (the databases it writes and those
//!   it only reads), `Service::origin`;
//! - per cutover (`Cutover`): its service, phases, weight, rollback, gate, owner, origin.

use super::*;

/// Where a replicated database's writes go in a workspace: the value of an input of type
/// `writer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Writer {
    /// The data centre's primary (the replication's source) takes every write; Aurora is a
    /// copy the forward replication keeps up to date.
    Datacentre,
    /// Two primaries joined by a two-way replication with loopback prevention: the data
    /// centre's application writes the data centre, AWS's services write Aurora. Only with
    /// `two_way` declared.
    Both,
    /// Aurora is the primary; the fallback replication keeps the data centre up to date for a
    /// rollback.
    Aurora,
}

impl Writer {
    /// Every state, as a stack writes it, in the order a migration moves through them.
    pub const ALL: [Writer; 3] = [Writer::Datacentre, Writer::Both, Writer::Aurora];

    /// As the stack writes it: `datacentre`, `both`, `aurora`.
    pub fn as_str(self) -> &'static str {
        match self {
            Writer::Datacentre => "datacentre",
            Writer::Both => "both",
            Writer::Aurora => "aurora",
        }
    }

    /// A state typed on a command line or in a stack.
    pub fn parse(text: &str) -> Option<Writer> {
        Writer::ALL.into_iter().find(|w| w.as_str() == text.trim())
    }

    /// Whether the forward replication (data centre → Aurora) runs in this state.
    pub fn forward_runs(self) -> bool {
        self != Writer::Aurora
    }

    /// Whether the fallback replication (Aurora → data centre) runs in this state.
    pub fn fallback_runs(self) -> bool {
        self != Writer::Datacentre
    }

    /// Whether AWS's services write Aurora (rather than the data centre) in this state.
    pub fn aws_writes_aurora(self) -> bool {
        self != Writer::Datacentre
    }
}

impl std::fmt::Display for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A login read from an existing secret: a user name and where its password is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub username: String,
    pub password: SecretRef,
}

/// How a two-way replication keeps the two sides' new rows apart (DMS detects no conflicts:
/// the guide's "Performing bidirectional replication" says writes must be segregated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysApart {
    /// MySQL: both sides generate `AUTO_INCREMENT` keys with the same step and different
    /// offsets, so no key is generated twice. pmigc sets Aurora's pair in its cluster parameter
    /// group; the data centre's is the stack's declaration (its runbook says to set it).
    AutoIncrement {
        increment: u16,
        datacentre_offset: u16,
        aurora_offset: u16,
    },
    /// Stated by the stack, which pmigc cannot check (PostgreSQL's sequences, natural keys
    /// owned by one side): the reason, carried into the runbook.
    Stated(String),
}

/// The fallback replication of a data cutover: Aurora → the data centre, change data capture
/// only, started at the data cutover.
#[derive(Debug, Clone)]
pub struct Fallback {
    /// The DMS replication instance class (its own instance beside the forward one).
    pub instance_class: String,
    /// The data centre's login DMS writes with (write privileges on the replicated schemas).
    pub login: Login,
    /// The lag budget of the fallback: its alarms fire above it.
    pub max_lag: Seconds,
}

/// `data_cutover NAME`: the step that moves a replicated database's primary from the data
/// centre to Aurora, with its fallback replication.
#[derive(Debug, Clone)]
pub struct DataCutover {
    pub name: Name,
    pub database: Id<Database>,
    /// The one replication feeding the database, proven to capture changes: what the data
    /// cutover drains, and whose source becomes the fallback's target.
    pub replication: Id<Replication>,
    /// The input of type `writer` that holds the state (`ledger_writer`).
    pub writer_input: Name,
    /// The state in this workspace.
    pub writer: Writer,
    /// Where this workspace's state is written: the workspace's setting of the input, or the
    /// input's default.
    pub writer_origin: Origin,
    pub fallback: Fallback,
    /// Writes on both sides, with how keys are kept apart: `both` is allowed only with it.
    /// The forward and fallback tasks always run with DMS loopback prevention.
    pub two_way: Option<KeysApart>,
    /// The only workspace whose root owns the switch and the fallback when several share an
    /// account; `None`: every workspace's root does.
    pub owner: Option<Name>,
    pub origin: Origin,
}

/// Where a database's writes go in one workspace, and which replications run.
#[derive(Debug, Clone, Copy)]
pub enum WritePath<'a> {
    /// No replication feeds the database: Aurora is its primary from the start.
    Aurora,
    /// A replication feeds it: `writer` says where AWS's services write (always the data
    /// centre where this workspace owns no data cutover of it).
    Replicated {
        replication: &'a Replication,
        /// The data cutover this workspace owns, if any (it creates the fallback).
        owned: Option<&'a DataCutover>,
        writer: Writer,
    },
}

impl WritePath<'_> {
    /// The state of the writer name: the data centre unless an owned data cutover moved it.
    pub fn writer(&self) -> Writer {
        match self {
            WritePath::Aurora => Writer::Aurora,
            WritePath::Replicated { writer, .. } => *writer,
        }
    }
}

impl Stack {
    /// Every database with its id, in source order.
    pub fn database_ids(&self) -> impl Iterator<Item = (Id<Database>, &Database)> {
        self.databases
            .iter()
            .enumerate()
            .map(|(i, d)| (Id::new(i, d.name.clone()), d))
    }

    /// The replications whose target is `db`, in source order.
    pub fn feeding<'s>(&'s self, db: &Id<Database>) -> impl Iterator<Item = &'s Replication> {
        let db = db.clone();
        self.replications.iter().filter(move |r| r.target == db)
    }

    /// The data cutover of `db`, if the stack declares one (whether this workspace owns it).
    pub fn data_cutover_of(&self, db: &Id<Database>) -> Option<&DataCutover> {
        self.data_cutovers.iter().find(|d| &d.database == db)
    }

    /// Whether this workspace's root owns `data_cutover`'s switch and fallback: it names no
    /// owner, or names this workspace.
    pub fn owns(&self, data_cutover: &DataCutover) -> bool {
        data_cutover
            .owner
            .as_ref()
            .is_none_or(|owner| owner == &self.workspace.name)
    }

    /// Where `db`'s writes go in this workspace. A database fed by a replication has a writer
    /// name; the checker proves that a database with a data cutover, or written by a service,
    /// is fed by exactly one replication (the first is taken otherwise: only services that read
    /// it through `.reader` use it, and they read Aurora).
    pub fn write_path(&self, db: &Id<Database>) -> WritePath<'_> {
        let Some(replication) = self.feeding(db).next() else {
            return WritePath::Aurora;
        };
        let owned = self.data_cutover_of(db).filter(|d| self.owns(d));
        WritePath::Replicated {
            replication,
            owned,
            writer: owned.map_or(Writer::Datacentre, |d| d.writer),
        }
    }

    /// The owned data cutovers, in source order: each has a fallback in this root.
    pub fn owned_data_cutovers(&self) -> impl Iterator<Item = &DataCutover> {
        self.data_cutovers.iter().filter(|d| self.owns(d))
    }

    /// Whether `replication`'s task runs in this workspace: it stops once its database's
    /// data cutover is at `aurora`.
    pub fn forward_runs(&self, replication: &Name) -> bool {
        self.owned_data_cutovers()
            .filter(|d| d.replication.name() == replication)
            .all(|d| d.writer.forward_runs())
    }

    /// The owned data cutover that drains `replication`, if any: its forward task then runs
    /// with loopback prevention, paired with the fallback.
    pub fn drained_by(&self, replication: &Name) -> Option<&DataCutover> {
        self.owned_data_cutovers()
            .find(|d| d.replication.name() == replication)
    }

    /// Whether the legacy side of `cutover` must get no traffic: its service writes a database
    /// whose writes go to Aurora alone (the checker proves the cutover is then at 100 %).
    pub fn legacy_retired(&self, cutover: &Cutover) -> bool {
        self.services
            .iter()
            .find(|s| s.name == *cutover.service.name())
            .is_some_and(|service| {
                service.writes().any(|db| {
                    matches!(
                        self.write_path(db),
                        WritePath::Replicated {
                            writer: Writer::Aurora,
                            ..
                        }
                    )
                })
            })
    }

    /// The names of a fallback's four alarms in this workspace: lag on the source and target
    /// side, rows that failed validation, validation suspended.
    /// One four per fallback task: a data cutover of several databases (`dbname = [...]`) has
    /// a fallback task per database, each with its alarms.
    pub fn fallback_alarm_names(&self, data_cutover: &DataCutover) -> Vec<[String; 4]> {
        self.tasks(&data_cutover.name, data_cutover.database.name())
            .iter()
            .map(|(task, _)| {
                fallback_alarm_suffixes(task)
                    .map(|suffix| format!("{}-{suffix}", self.resolved_name))
            })
            .collect()
    }

    /// The DNS zone of the writer and reader names, after the stack's resolved name:
    /// `payment-migration-prod.internal` (`.internal` is reserved for private use).
    pub fn writer_zone(&self) -> String {
        format!("{}.{}", self.resolved_name, WRITER_ZONE_SUFFIX)
    }
}

/// The schema, on both sides of a paired forward and fallback replication, that holds DMS's
/// `awsdms_loopback_prevention` table (DMS guide, "Performing bidirectional replication",
/// "Preventing loopback": each task names the schema at its source and at its target).
pub(crate) const LOOPBACK_SCHEMA: &str = "awsdms_loopback";

/// The top-level domain of the private zone that holds the writer and reader names: ICANN
/// reserved `.internal` for private use (2024), so it never collides with a public name.
pub(crate) const WRITER_ZONE_SUFFIX: &str = "internal";

/// The alarm names' part after the stack's name, for a fallback: `{data cutover}-lag-source`,
/// `-lag-target`, `-validation-failed`, `-validation-suspended`.
pub(crate) fn fallback_alarm_suffixes(data_cutover: &Name) -> [String; 4] {
    let base = data_cutover.as_str().replace('_', "-");
    [
        "lag-source",
        "lag-target",
        "validation-failed",
        "validation-suspended",
    ]
    .map(|what| format!("{base}-{what}"))
}

/// The DNS label of a database in the writer zone: its name, lowercase, `_` as `-`.
pub(crate) fn writer_label(db: &Name) -> String {
    db.as_str().replace('_', "-").to_ascii_lowercase()
}

impl Stack {
    /// The login `service` connects to `db` with: the database's read-only login when the
    /// service only reads it and the database declares one, else the master user.
    pub fn login_for(&self, service: &Service, db: &Id<Database>) -> Login {
        let database = &self[db];
        match (&database.reader_login, service.reads_only(db)) {
            (Some(login), true) => login.clone(),
            _ => Login {
                username: database.username.clone(),
                password: database.password.clone(),
            },
        }
    }
}

impl Service {
    /// The databases the service writes (and reads through the writer): every database it
    /// names without `.reader`.
    pub fn writes(&self) -> impl Iterator<Item = &Id<Database>> {
        self.reads.iter().filter(|db| !self.read_only.contains(db))
    }

    /// Whether the service only reads `db` (`reads = DB.reader`).
    pub fn reads_only(&self, db: &Id<Database>) -> bool {
        self.read_only.contains(db)
    }
}
