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
    }
}

impl Version {
    /// A version whose Serverless v2 instances scale to at most `max` ACUs.
    const fn serving_at_most(self, max: u16) -> Version {
        Version {
            serverless_max_acus: max,
            ..self
        }
    }
}

pub const AURORA_MYSQL: Profile = Profile {
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
        v("3.07", "8.0.mysql_aurora.3.07.1", "aurora-mysql8.0"),
        v("3.05", "8.0.mysql_aurora.3.05.2", "aurora-mysql8.0").serving_at_most(128),
        exact("8.0.mysql_aurora.3.08.2", "aurora-mysql8.0"),
        exact("8.0.mysql_aurora.3.07.1", "aurora-mysql8.0"),
        exact("8.0.mysql_aurora.3.05.2", "aurora-mysql8.0").serving_at_most(128),
    ],
    default_version: "8.0",
};

pub const AURORA_POSTGRESQL: Profile = Profile {
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
pub const ENGINES: &[&Profile] = &[&AURORA_MYSQL, &AURORA_POSTGRESQL];

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
    /// What change data capture needs on the source, for the runbook's "before the first step".
    pub cdc_prerequisites: &'static [&'static str],
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
    "on the source: `binlog_format = ROW` and `binlog_row_image = FULL`, binary logs kept until DMS has read them (`binlog_expire_logs_seconds` of a day or more)",
    "on the source: the replication user has `REPLICATION CLIENT` and `REPLICATION SLAVE`, and `SELECT` on the migrated schemas",
];

// DMS guide, "Using a MySQL-compatible database as a target" (prerequisites and
// limitations), and "Performing bidirectional replication" (loopback prevention's table).
const MYSQL_TARGET: &[&str] = &[
    "on the data centre: the fallback's login may write what is replicated: `GRANT ALTER, CREATE, DROP, INDEX, INSERT, UPDATE, DELETE, SELECT ON <schema>.* TO {user}@'%';` for each replicated schema, `GRANT ALL PRIVILEGES ON awsdms_control.* TO {user}@'%';` (DMS's control tables) and `GRANT ALL PRIVILEGES ON awsdms_loopback.* TO {user}@'%';` (its loopback prevention table), after `CREATE DATABASE awsdms_loopback;`",
    "on the data centre: TLS on (the endpoint requires it: `require_secure_transport` or at least a server certificate), `local_infile = 1`, and the server admits the login from the VPC's addresses",
    "on the data centre: triggers fire on rows DMS applies: drop or disable every trigger whose effect Aurora already replicates (audit rows, counters), or they happen twice; foreign keys may stay on, DMS applies each transaction in commit order",
];

pub const MYSQL: SourceProfile = SourceProfile {
    source: Source::Mysql,
    family: Family::Mysql,
    keyword: "mysql",
    dms_engine: "mysql",
    default_port: 3306,
    cdc_prerequisites: MYSQL_CDC,
    target_prerequisites: MYSQL_TARGET,
    stop_writes: "ALTER USER {user}@'%' ACCOUNT LOCK; then end its sessions: SELECT CONCAT('KILL ', id, ';') FROM information_schema.processlist WHERE user = {user}; and run what it prints (lock the legacy application's logins the same way)",
    resume_writes: "ALTER USER {user}@'%' ACCOUNT UNLOCK; (and the legacy application's logins)",
    sessions: "SELECT COUNT(*) FROM information_schema.processlist WHERE user = {user};",
    log_position: Some("SHOW MASTER STATUS; -- from MySQL 8.2: SHOW BINARY LOG STATUS;"),
};

pub const MARIADB: SourceProfile = SourceProfile {
    source: Source::Mariadb,
    family: Family::Mysql,
    keyword: "mariadb",
    dms_engine: "mariadb",
    default_port: 3306,
    cdc_prerequisites: MYSQL_CDC,
    target_prerequisites: MYSQL_TARGET,
    stop_writes: "ALTER USER {user}@'%' ACCOUNT LOCK; then end its sessions: SELECT CONCAT('KILL ', id, ';') FROM information_schema.processlist WHERE user = {user}; and run what it prints (lock the legacy application's logins the same way)",
    resume_writes: "ALTER USER {user}@'%' ACCOUNT UNLOCK; (and the legacy application's logins)",
    sessions: "SELECT COUNT(*) FROM information_schema.processlist WHERE user = {user};",
    log_position: Some("SHOW MASTER STATUS; -- from MySQL 8.2: SHOW BINARY LOG STATUS;"),
};

pub const POSTGRESQL: SourceProfile = SourceProfile {
    source: Source::Postgresql,
    family: Family::Postgresql,
    keyword: "postgresql",
    dms_engine: "postgres",
    default_port: 5432,
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
pub const SOURCES: &[&SourceProfile] = &[&MYSQL, &MARIADB, &POSTGRESQL];

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
    fn postgresql_offers_majors_13_to_17() {
        let pg = Engine::AuroraPostgresql.profile();
        assert_eq!(pg.short_versions(), ["17", "16", "15", "14", "13"]);
        assert_eq!(
            Engine::AuroraMysql.profile().short_versions(),
            ["8.0", "3.08", "3.07", "3.05"]
        );
    }
}
