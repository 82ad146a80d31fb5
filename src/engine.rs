//! The database engines pmigc migrates between, in one table: every name, port, parameter,
//! log type, DMS setting and runbook line that depends on the engine is a field of [`Profile`]
//! (the Aurora target) or [`SourceProfile`] (the on-premises source), and nothing outside this
//! file spells an engine. A new engine is a row here and a variant of [`Engine`] or
//! [`Source`]. Migrations stay within one [`Family`]: a MySQL source into Aurora MySQL, a
//! PostgreSQL source into Aurora PostgreSQL (between families the schema must be converted
//! first, which pmigc does not do).
//!
//! Versions: Aurora MySQL 3 (MySQL 8.0) and Aurora PostgreSQL 13 to 17, the majors under AWS
//! standard support, each pinned to a minor AWS lists as available ("Release Notes for Aurora
//! PostgreSQL", extension versions per minor, docs.aws.amazon.com, read 2026-11-30; "Release
//! Notes for Aurora MySQL version 3").

/// The SQL dialect a database speaks: what a replication may cross.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Mysql,
    Postgresql,
}

impl Family {
    /// How a person names the protocol, in descriptions and messages.
    pub fn label(self) -> &'static str {
        match self {
            Family::Mysql => "MySQL",
            Family::Postgresql => "PostgreSQL",
        }
    }

    /// The family a misspelt engine word most likely means (`postgres`, `aurora-mysql`), so a
    /// suggestion that would change the family is never offered as a fix.
    pub fn hinted_by(word: &str) -> Option<Family> {
        let word = word.to_ascii_lowercase();
        if word.contains("postg") || word.contains("pg") {
            Some(Family::Postgresql)
        } else if word.contains("mysq") || word.contains("maria") {
            Some(Family::Mysql)
        } else {
            None
        }
    }
}

/// An Aurora engine a `database` block runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    AuroraMysql,
    AuroraPostgresql,
}

/// A version a stack may write, the full engine version it means, and its parameter family.
pub struct Version {
    pub written: &'static str,
    /// Offered in messages and the starter (the short spellings); the others are accepted.
    pub offered: bool,
    pub full: &'static str,
    pub parameter_family: &'static str,
    /// The most ACUs a Serverless v2 instance of this version scales to: 256 on recent
    /// versions, 128 on older ones ("Aurora Serverless v2 capacity", Aurora User Guide, and
    /// `MaxCapacity` of `ServerlessV2FeaturesSupport` in the RDS API reference, read
    /// 2026-11-30: 256 from Aurora MySQL 3.06 and Aurora PostgreSQL 13.15, 14.12, 15.7, 16.3).
    pub serverless_max_acus: u16,
    /// Whether Serverless v2 instances of this version scale to 0 ACUs and pause (Aurora User
    /// Guide, "Aurora Serverless v2 capacity": Aurora MySQL 3.08.0 and later; Aurora
    /// PostgreSQL 13.15, 14.12, 15.7, 16.3 and later).
    pub pauses: bool,
}

/// Everything about an Aurora engine that the checker and the lowering need.
pub struct Profile {
    pub engine: Engine,
    pub family: Family,
    /// As the language spells it: `engine = aurora_mysql "8.0"`.
    pub keyword: &'static str,
    pub title: &'static str,
    /// `aws_rds_cluster.engine`.
    pub rds_engine: &'static str,
    /// DMS `engine_name` of a target endpoint.
    pub dms_target: &'static str,
    pub port: u16,
    /// The cluster parameter that refuses connections without TLS, and its value.
    pub tls_parameter: (&'static str, &'static str),
    /// Cluster parameters that make the exported logs useful: (name, value).
    pub log_parameters: &'static [(&'static str, &'static str)],
    /// `enabled_cloudwatch_logs_exports`.
    pub log_exports: &'static [&'static str],
    /// The master user when the stack names none.
    pub default_username: &'static str,
    /// DMS needs the database to connect to (PostgreSQL); MySQL endpoints see every schema.
    pub needs_database_name: bool,
    /// Extra RDS metrics on the dashboard: (metric, what it shows).
    pub dashboard_metrics: &'static [(&'static str, &'static str)],
    /// Cluster parameters that make Aurora a DMS source (for the fallback replication), set
    /// from the first apply so that none waits for a reboot on the day of the data cutover:
    /// (name, value).
    pub dms_source_parameters: &'static [(&'static str, &'static str)],
    /// What the runbook has run on Aurora before a data cutover, beyond its parameters.
    pub source_preparation: &'static [&'static str],
    pub versions: &'static [Version],
    /// The version a starter writes.
    pub default_version: &'static str,
}

/// A short spelling, offered in messages.
const fn v(written: &'static str, full: &'static str, parameter_family: &'static str) -> Version {
    Version {
        written,
        offered: true,
        full,
        parameter_family,
        serverless_max_acus: 256,
        pauses: true,
    }
}

/// A full engine version, accepted as written but not offered.
const fn exact(full: &'static str, parameter_family: &'static str) -> Version {
    Version {
        written: full,
        offered: false,
        full,
        parameter_family,
        serverless_max_acus: 256,
        pauses: true,
    }
}

impl Version {
    /// A version whose Serverless v2 instances cannot scale to 0 ACUs.
    const fn never_pausing(self) -> Version {
        Version {
            pauses: false,
            ..self
        }
    }

    /// A version whose Serverless v2 instances scale to at most `max` ACUs.
    const fn serving_at_most(self, max: u16) -> Version {
        Version {
            serverless_max_acus: max,
            ..self
        }
    }
}

pub(crate) const AURORA_MYSQL: Profile = Profile {
    engine: Engine::AuroraMysql,
    family: Family::Mysql,
    keyword: "aurora_mysql",
    title: "Aurora MySQL",
    rds_engine: "aurora-mysql",
    dms_target: "aurora",
    port: 3306,
    tls_parameter: ("require_secure_transport", "ON"),
    log_parameters: &[],
    log_exports: &["audit", "error", "slowquery"],
    default_username: "admin",
    needs_database_name: false,
    dashboard_metrics: &[],
    // DMS guide, "Using a MySQL-compatible database as a source", AWS-managed databases:
    // `binlog_format = ROW`, `binlog_row_image = Full`, `binlog_checksum = NONE`; Aurora turns
    // binary logging on through `binlog_format` in the cluster parameter group (Aurora User
    // Guide, "Configuring Aurora MySQL binary logging"), a change that takes a reboot of the
    // writer on an existing cluster.
    dms_source_parameters: &[
        ("binlog_format", "ROW"),
        ("binlog_row_image", "full"),
        ("binlog_checksum", "NONE"),
    ],
    // Same page: AWS-managed MySQL purges binary logs as soon as it can; DMS needs them kept.
    source_preparation: &[
        "on Aurora, keep binary logs for DMS (a stored procedure, not a parameter): `CALL mysql.rds_set_configuration('binlog retention hours', 24);` (longer if the fallback may be stopped longer), and check `SHOW VARIABLES LIKE 'binlog_format'` reads `ROW`: a cluster that existed before pmigc set it needs its writer rebooted once",
    ],
    versions: &[
        v("8.0", "8.0.mysql_aurora.3.08.2", "aurora-mysql8.0"),
        v("3.08", "8.0.mysql_aurora.3.08.2", "aurora-mysql8.0"),
        v("3.07", "8.0.mysql_aurora.3.07.1", "aurora-mysql8.0").never_pausing(),
        v("3.05", "8.0.mysql_aurora.3.05.2", "aurora-mysql8.0")
            .serving_at_most(128)
            .never_pausing(),
        exact("8.0.mysql_aurora.3.08.2", "aurora-mysql8.0"),
        exact("8.0.mysql_aurora.3.07.1", "aurora-mysql8.0").never_pausing(),
        exact("8.0.mysql_aurora.3.05.2", "aurora-mysql8.0")
            .serving_at_most(128)
            .never_pausing(),
    ],
    default_version: "8.0",
};

pub(crate) const AURORA_POSTGRESQL: Profile = Profile {
    engine: Engine::AuroraPostgresql,
    family: Family::Postgresql,
    keyword: "aurora_postgresql",
    title: "Aurora PostgreSQL",
    rds_engine: "aurora-postgresql",
    dms_target: "aurora-postgresql",
    port: 5432,
    tls_parameter: ("rds.force_ssl", "1"),
    // Schema changes and statements slower than a second go to the `postgresql` log.
    log_parameters: &[
        ("log_statement", "ddl"),
        ("log_min_duration_statement", "1000"),
    ],
    log_exports: &["postgresql"],
    default_username: "postgres",
    needs_database_name: true,
    dashboard_metrics: &[(
        "MaximumUsedTransactionIDs",
        "transaction IDs not yet vacuumed",
    )],
    // DMS guide, "Using a PostgreSQL database as a source", AWS-managed PostgreSQL: set
    // `rds.logical_replication` to 1 in the DB cluster parameter group, a static parameter
    // (it takes a reboot) that also sets `wal_level`, `max_wal_senders` and
    // `max_replication_slots`.
    dms_source_parameters: &[("rds.logical_replication", "1")],
    source_preparation: &[
        "on Aurora, check `SHOW rds.logical_replication` reads `on`: a cluster that existed before pmigc set it needs its writer rebooted once; DMS creates the fallback's replication slot when the fallback first starts, and the slot holds WAL on Aurora while the fallback is stopped (watch `TransactionLogsDiskUsage`)",
    ],
    versions: &[
        v("17", "17.6", "aurora-postgresql17"),
        v("16", "16.10", "aurora-postgresql16"),
        v("15", "15.14", "aurora-postgresql15"),
        v("14", "14.19", "aurora-postgresql14"),
        v("13", "13.22", "aurora-postgresql13"),
        exact("17.6", "aurora-postgresql17"),
        exact("16.10", "aurora-postgresql16"),
        exact("15.14", "aurora-postgresql15"),
        exact("14.19", "aurora-postgresql14"),
        exact("13.22", "aurora-postgresql13"),
    ],
    default_version: "16",
};

/// Every engine, in the order messages list them.
pub(crate) const ENGINES: &[&Profile] = &[&AURORA_MYSQL, &AURORA_POSTGRESQL];

impl Engine {
    pub fn profile(self) -> &'static Profile {
        match self {
            Engine::AuroraMysql => &AURORA_MYSQL,
            Engine::AuroraPostgresql => &AURORA_POSTGRESQL,
        }
    }
}

impl Profile {
    pub fn by_keyword(word: &str) -> Option<&'static Profile> {
        ENGINES.iter().find(|p| p.keyword == word).copied()
    }

    pub fn version(&self, written: &str) -> Option<&'static Version> {
        self.versions.iter().find(|v| v.written == written)
    }

    /// The oldest short spelling whose Serverless v2 instances scale to `acus` (halves).
    pub fn oldest_serving(&self, halves: u16) -> Option<&'static Version> {
        self.versions
            .iter()
            .filter(|v| v.offered && v.serverless_max_acus.saturating_mul(2) >= halves)
            .min_by(|a, b| a.full.cmp(b.full))
    }

    /// The short spellings (`"8.0"`, `"15"`), as offered in messages and the starter.
    pub fn short_versions(&self) -> Vec<&'static str> {
        self.versions
            .iter()
            .filter(|v| v.offered)
            .map(|v| v.written)
            .collect()
    }
}

/// An on-premises engine DMS reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Mysql,
    Mariadb,
    Postgresql,
}

pub struct SourceProfile {
    pub source: Source,
    pub family: Family,
    /// As the language spells it: `from = postgresql "host":5432 via vpn`.
    pub keyword: &'static str,
    /// DMS `engine_name` of a source endpoint.
    pub dms_engine: &'static str,
    pub default_port: u16,
    /// What change data capture needs on the source, for the runbook's "before the first step":
    /// `{retention}` stands for how the source keeps its log, per version ([`Self::retention`]).
    pub cdc_prerequisites: &'static [&'static str],
    /// The versions DMS reads as a source, newest first (`from = mysql "5.7" …`).
    pub versions: &'static [SourceVersion],
    /// Where DMS's list of supported versions stops for a newer one, and why pmigc stops there.
    pub versions_note: &'static str,
    /// TLS on the source: every endpoint pmigc emits connects with `ssl_mode = require`.
    pub tls: &'static str,
    /// What the data centre's database needs as the fallback replication's DMS target: the
    /// fallback's login as `{user}` (an SQL string literal) or `{role}` (an identifier).
    pub target_prerequisites: &'static [&'static str],
    /// How the application's writes stop on the data centre's database while DMS's logins
    /// keep working, as SQL: `{user}` is the application's login as a string literal, `{role}`
    /// as an identifier.
    pub stop_writes: &'static str,
    /// How they resume (the data rollback): `{user}` and `{role}` as above.
    pub resume_writes: &'static str,
    /// How to count the sessions of the application's login (`{user}`), as SQL: none left
    /// means its writes stopped.
    pub sessions: &'static str,
    /// How to read the log position, as SQL, when only the application writes the log (a
    /// PostgreSQL source's WAL also moves with DMS's heartbeat, so it proves nothing there).
    pub log_position: Option<&'static str>,
}

const MYSQL_CDC: &[&str] = &[
    "on the source: `binlog_format = ROW`{row_image}, binary logs kept until DMS has read them ({retention})",
    "on the source: the replication user has `REPLICATION CLIENT` and `REPLICATION SLAVE`, and `SELECT` on the migrated schemas",
];

// DMS guide, "Using a MySQL-compatible database as a target" (prerequisites and
// limitations), and "Performing bidirectional replication" (loopback prevention's table).
const MYSQL_TARGET: &[&str] = &[
    "on the data centre: the fallback's login may write what is replicated: `GRANT ALTER, CREATE, DROP, INDEX, INSERT, UPDATE, DELETE, SELECT ON <schema>.* TO {user}@'%';` for each replicated schema, `GRANT ALL PRIVILEGES ON awsdms_control.* TO {user}@'%';` (DMS's control tables) and `GRANT ALL PRIVILEGES ON awsdms_loopback.* TO {user}@'%';` (its loopback prevention table), after `CREATE DATABASE awsdms_loopback;`",
    "on the data centre: TLS on (the endpoint requires it: `require_secure_transport` or at least a server certificate), `local_infile = 1`, and the server admits the login from the VPC's addresses",
    "on the data centre: triggers fire on rows DMS applies: drop or disable every trigger whose effect Aurora already replicates (audit rows, counters), or they happen twice; foreign keys may stay on, DMS applies each transaction in commit order",
];

// The versions DMS reads as a source: DMS User Guide, "Sources for AWS DMS"
// (https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Introduction.Sources.html): MySQL
// 5.5, 5.6, 5.7, 8.0 and 8.4; MariaDB 10.0.24 and later 10.0, 10.2 to 10.6, 10.11 and 11.4;
// PostgreSQL 9.4 and later 9.x, and 10 to 16 from DMS 3.5.3 (17 and 18 only on later DMS
// engine versions, which pmigc does not pin).
const MYSQL_VERSIONS: &[SourceVersion] = &[
    sv("8.4", 8, 4),
    sv("8.0", 8, 0),
    sv("5.7", 5, 7),
    sv("5.6", 5, 6),
    sv("5.5", 5, 5),
];
const MARIADB_VERSIONS: &[SourceVersion] = &[
    sv("11.4", 11, 4),
    sv("10.11", 10, 11),
    sv("10.6", 10, 6),
    sv("10.5", 10, 5),
    sv("10.4", 10, 4),
    sv("10.3", 10, 3),
    sv("10.2", 10, 2),
    sv("10.0", 10, 0),
];
const POSTGRESQL_VERSIONS: &[SourceVersion] = &[
    sv("16", 16, 0),
    sv("15", 15, 0),
    sv("14", 14, 0),
    sv("13", 13, 0),
    sv("12", 12, 0),
    sv("11", 11, 0),
    sv("10", 10, 0),
    sv("9.6", 9, 6),
    sv("9.5", 9, 5),
    sv("9.4", 9, 4),
];

const MYSQL_TLS: &str = "on the source: TLS on, since DMS's endpoint connects with `ssl_mode = require`: a server certificate and key (`ssl_cert`, `ssl_key`; `SHOW VARIABLES LIKE 'have_ssl'` reads `YES`)";

pub(crate) const MYSQL: SourceProfile = SourceProfile {
    source: Source::Mysql,
    family: Family::Mysql,
    keyword: "mysql",
    dms_engine: "mysql",
    default_port: 3306,
    cdc_prerequisites: MYSQL_CDC,
    versions: MYSQL_VERSIONS,
    versions_note: "DMS reads MySQL 5.5, 5.6, 5.7, 8.0 and 8.4",
    tls: MYSQL_TLS,
    target_prerequisites: MYSQL_TARGET,
    stop_writes: "ALTER USER {user}@'%' ACCOUNT LOCK; then end its sessions: SELECT CONCAT('KILL ', id, ';') FROM information_schema.processlist WHERE user = {user}; and run what it prints (lock the legacy application's logins the same way)",
    resume_writes: "ALTER USER {user}@'%' ACCOUNT UNLOCK; (and the legacy application's logins)",
    sessions: "SELECT COUNT(*) FROM information_schema.processlist WHERE user = {user};",
    log_position: Some("SHOW MASTER STATUS; -- from MySQL 8.2: SHOW BINARY LOG STATUS;"),
};

pub(crate) const MARIADB: SourceProfile = SourceProfile {
    source: Source::Mariadb,
    family: Family::Mysql,
    keyword: "mariadb",
    dms_engine: "mariadb",
    default_port: 3306,
    cdc_prerequisites: MYSQL_CDC,
    versions: MARIADB_VERSIONS,
    versions_note: "DMS reads MariaDB 10.0 (from 10.0.24), 10.2 to 10.6, 10.11 and 11.4",
    tls: MYSQL_TLS,
    target_prerequisites: MYSQL_TARGET,
    stop_writes: "ALTER USER {user}@'%' ACCOUNT LOCK; then end its sessions: SELECT CONCAT('KILL ', id, ';') FROM information_schema.processlist WHERE user = {user}; and run what it prints (lock the legacy application's logins the same way)",
    resume_writes: "ALTER USER {user}@'%' ACCOUNT UNLOCK; (and the legacy application's logins)",
    sessions: "SELECT COUNT(*) FROM information_schema.processlist WHERE user = {user};",
    log_position: Some("SHOW MASTER STATUS; -- from MySQL 8.2: SHOW BINARY LOG STATUS;"),
};

pub(crate) const POSTGRESQL: SourceProfile = SourceProfile {
    source: Source::Postgresql,
    family: Family::Postgresql,
    keyword: "postgresql",
    dms_engine: "postgres",
    default_port: 5432,
    versions: POSTGRESQL_VERSIONS,
    versions_note: "DMS 3.5.3 reads PostgreSQL 9.4 to 16; 17 and 18 need a later DMS engine version, which pmigc does not pin",
    tls: "on the source: TLS on, since DMS's endpoint connects with `ssl_mode = require`: `ssl = on` with a server certificate (`ssl_cert_file`, `ssl_key_file`; PostgreSQL ships with `ssl = off`), and `pg_hba.conf` admits the replication user over `hostssl`",
    cdc_prerequisites: &[
        "on the source: logical replication is on (`wal_level = logical`, `max_replication_slots` and `max_wal_senders` at least one more than in use; restart after changing them), and `pg_hba.conf` admits the replication user from the VPC",
        "on the source: the replication user has the `REPLICATION` attribute and `SELECT` on the migrated tables; DMS creates its replication slot with the built-in `test_decoding` plugin (the endpoint's `plugin_name`) when the task starts, and the slot holds WAL on the source until the task is deleted",
        "on the source: every migrated table has a primary key (updates and deletes of a table without one are not replicated)",
    ],
    // DMS guide, "Using a PostgreSQL database as a target": the login's privileges,
    // `session_replication_role` against triggers and foreign keys, sequences not replicated.
    target_prerequisites: &[
        "on the data centre: the fallback's login may write what is replicated (`GRANT USAGE, CREATE ON SCHEMA <schema> TO {role};` and `GRANT INSERT, UPDATE, DELETE, SELECT ON ALL TABLES IN SCHEMA <schema> TO {role};` for each replicated schema) and owns a schema `awsdms_loopback` for DMS's loopback prevention table (`CREATE SCHEMA awsdms_loopback AUTHORIZATION {role};`)",
        "on the data centre: TLS on (`ssl = on` with a server certificate; the endpoint requires it) and `pg_hba.conf` admits the login from the VPC's addresses over `hostssl`",
        "on the data centre: pmigc's fallback endpoint sets `session_replication_role = replica` when it connects, so triggers and foreign-key checks do not fire on rows DMS applies (Aurora already ran them): the login needs the right to set it (superuser, or on PostgreSQL 15 and later `GRANT SET ON PARAMETER session_replication_role TO {role};`)",
        "sequences are not replicated: before writes resume on a new primary, set each sequence past the largest key the other side made (`SELECT setval('<sequence>', (SELECT max(<key>) FROM <table>));`)",
    ],
    stop_writes: "ALTER ROLE {role} NOLOGIN; then end its sessions: SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {user}; (the legacy application's logins the same way)",
    resume_writes: "ALTER ROLE {role} LOGIN; (and the legacy application's logins)",
    sessions: "SELECT count(*) FROM pg_stat_activity WHERE usename = {user};",
    log_position: None,
};

/// Every source engine, in the order messages list them.
pub(crate) const SOURCES: &[&SourceProfile] = &[&MYSQL, &MARIADB, &POSTGRESQL];

impl Source {
    pub fn profile(self) -> &'static SourceProfile {
        match self {
            Source::Mysql => &MYSQL,
            Source::Mariadb => &MARIADB,
            Source::Postgresql => &POSTGRESQL,
        }
    }
}

impl SourceProfile {
    pub fn by_keyword(word: &str) -> Option<&'static SourceProfile> {
        SOURCES.iter().find(|p| p.keyword == word).copied()
    }

    /// The row of a written version: its major (`"5.7"`, `"12"`) or a release of it
    /// (`"5.7.44"`, `"12.17"`); MariaDB 10.0 only from 10.0.24, as DMS reads it.
    pub fn version(&self, written: &str) -> Option<&'static SourceVersion> {
        let row = self.versions.iter().find(|v| {
            written == v.written
                || written
                    .strip_prefix(v.written)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|patch| {
                        !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit())
                    })
        })?;
        if self.source == Source::Mariadb && row.written == "10.0" {
            let patch: u16 = written.strip_prefix("10.0.")?.parse().ok()?;
            return (patch >= 24).then_some(row);
        }
        Some(row)
    }

    /// How the source keeps its log until DMS has read it: the variable differs by version.
    /// MySQL: `binlog_expire_logs_seconds` from 8.0, `expire_logs_days` before (MySQL 8.0
    /// Reference Manual, "Binary Logging Options and Variables"); MariaDB: from 10.6.1.
    pub fn retention(&self, version: Option<&SourceVersion>) -> &'static str {
        const SECONDS: &str = "`binlog_expire_logs_seconds` of a day or more";
        const DAYS: &str = "`expire_logs_days` of 1 or more";
        let from = match self.source {
            Source::Mysql => (8, 0),
            Source::Mariadb => (10, 6),
            Source::Postgresql => return "",
        };
        match version {
            Some(v) if (v.major, v.minor) >= from => SECONDS,
            Some(_) => DAYS,
            None => match self.source {
                Source::Mariadb => {
                    "`expire_logs_days` of 1 or more; `binlog_expire_logs_seconds` from MariaDB 10.6"
                }
                _ => {
                    "`binlog_expire_logs_seconds` of a day or more on MySQL 8.0 and later, `expire_logs_days` of 1 or more before"
                }
            },
        }
    }

    /// What change data capture needs on the source of `version` (unknown when not written).
    pub fn cdc_lines(&self, version: Option<&SourceVersion>) -> Vec<String> {
        // `binlog_row_image` exists from MySQL 5.6.2; every 5.5 row image is already full.
        let row_image = match version {
            Some(v) if self.source == Source::Mysql && (v.major, v.minor) < (5, 6) => "",
            _ => " and `binlog_row_image = FULL`",
        };
        self.cdc_prerequisites
            .iter()
            .map(|line| {
                line.replace("{row_image}", row_image)
                    .replace("{retention}", self.retention(version))
            })
            .collect()
    }
}

/// A version of an on-premises engine, as DMS's list of sources names it.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceVersion {
    /// As the language spells it: `from = mysql "5.7" …`.
    pub written: &'static str,
    pub major: u16,
    pub minor: u16,
}

const fn sv(written: &'static str, major: u16, minor: u16) -> SourceVersion {
    SourceVersion {
        written,
        major,
        minor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_and_source_has_its_own_row() {
        for engine in [Engine::AuroraMysql, Engine::AuroraPostgresql] {
            assert_eq!(engine.profile().engine, engine);
            assert!(!engine.profile().versions.is_empty());
            assert!(
                engine
                    .profile()
                    .version(engine.profile().default_version)
                    .is_some()
            );
        }
        for source in [Source::Mysql, Source::Mariadb, Source::Postgresql] {
            assert_eq!(source.profile().source, source);
        }
    }

    #[test]
    fn a_source_version_is_a_major_or_a_release_of_one_that_dms_reads() {
        let cases = [
            (&MYSQL, "5.7", Some("5.7")),
            (&MYSQL, "5.7.44", Some("5.7")),
            (&MYSQL, "5.7.", None),
            (&MYSQL, "5.75", None),
            (&MYSQL, "5.1", None),
            (&MYSQL, "9.0", None),
            (&MARIADB, "10.0", None),
            (&MARIADB, "10.0.23", None),
            (&MARIADB, "10.0.24", Some("10.0")),
            (&MARIADB, "10.1", None),
            (&POSTGRESQL, "12", Some("12")),
            (&POSTGRESQL, "12.17", Some("12")),
            (&POSTGRESQL, "9.3", None),
            (&POSTGRESQL, "17", None),
        ];
        for (profile, written, row) in cases {
            assert_eq!(
                profile.version(written).map(|v| v.written),
                row,
                "{written}"
            );
        }
    }

    #[test]
    fn the_binary_log_retention_variable_follows_the_version() {
        let line = |p: &SourceProfile, v: &str| p.cdc_lines(p.version(v)).join("\n");
        assert!(line(&MYSQL, "5.7").contains("`expire_logs_days`"));
        assert!(!line(&MYSQL, "5.7").contains("binlog_expire_logs_seconds"));
        assert!(line(&MYSQL, "8.0").contains("`binlog_expire_logs_seconds`"));
        assert!(!line(&MYSQL, "5.5").contains("binlog_row_image"));
        assert!(line(&MYSQL, "5.6").contains("binlog_row_image"));
        assert!(line(&MARIADB, "10.5").contains("`expire_logs_days`"));
        assert!(line(&MARIADB, "10.11").contains("`binlog_expire_logs_seconds`"));
        for p in SOURCES {
            assert!(p.cdc_lines(None).iter().all(|l| !l.contains('{')));
        }
    }

    #[test]
    fn postgresql_offers_majors_13_to_17() {
        let pg = Engine::AuroraPostgresql.profile();
        assert_eq!(pg.short_versions(), ["17", "16", "15", "14", "13"]);
        assert_eq!(
            Engine::AuroraMysql.profile().short_versions(),
            ["8.0", "3.08", "3.07", "3.05"]
        );
    }
}
