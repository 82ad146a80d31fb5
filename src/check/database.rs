//! The `database` block: an Aurora cluster of an engine of `crate::engine` at a version Aurora
//! offers, its instances (a catalogued class, or Serverless v2 with its capacity within what the
//! version serves), placement in private subnets, master user, backups, encryption, and the
//! database a PostgreSQL migration moves (`dbname`).

mod diagnostics;
pub(crate) use diagnostics::{
    BackupRetention, BadDbname, DbnameListOnMysql, DbnameOnMysql, DuplicateDbname, EmptyDbnameList,
    EncryptionOff, PublicDatabase, UnknownEngine,
};

/// What `dbname` holds as written: each name and where, and the list's span if a list.
struct DbnameValues {
    names: Vec<(String, Span)>,
    list: Option<Span>,
}

use super::context::{Attrs, Ctx};
use super::error::replace;
use crate::aws::instances;
use crate::check::context::MissingAttribute;
use crate::check::mismatch::TypeMismatch;
use crate::diag::{at, did_you_mean};
use crate::engine::{self, Engine};
use crate::model::{self, Database, Port, Tier};
use crate::syntax::ast::{Block, Ident, Span, TermKind, Value, dotted};

use crate::registry::Key;
use crate::registry::database::{
    self as key, ALLOW, BACKUPS, CAPACITY, DBNAME, ENCRYPTION, ENGINE, IN, INSTANCE, PASSWORD,
    READER_PASSWORD, READER_USERNAME, READERS, USERNAME, WRITERS,
};

/// Databases every Aurora PostgreSQL cluster already has (RDS refuses them as `DatabaseName`).
const RESERVED_DATABASES: &[&str] = &["postgres", "template0", "template1", "rdsadmin"];

impl<'a> Ctx<'a> {
    pub(crate) fn database(&mut self, name: &'a Ident, block: &'a Block) -> Option<Database> {
        let attrs = self.attrs::<key::Of>(name, block);
        let engine = attrs.get(&ENGINE).and_then(|v| self.engine(v));
        let instance_class = attrs.get(&INSTANCE).and_then(|v| {
            self.instance_type(
                v,
                "Aurora instance class",
                instances::AURORA,
                &[instances::SERVERLESS],
            )
        });
        let serverless = self.serverless_capacity(
            instance_class.as_deref().zip(attrs.get(&INSTANCE)),
            attrs.get(&CAPACITY),
        );
        let writers =
            self.optional_count(&attrs, &WRITERS, "writers (Aurora has exactly one writer)");
        let readers = self.optional_count(&attrs, &READERS, "readers");
        let placement = attrs.get(&IN).and_then(|v| self.placement(v));
        if let (Some(p), Some(value)) = (&placement, attrs.get(&IN))
            && p.tier == Tier::Public
        {
            self.error(PublicDatabase {
                name: name.text.clone(),
                at: at(value.span),
                fix: replace(value.span, format!("{}.private", p.network)),
            });
        }
        let username = match attrs.get(&USERNAME) {
            Some(v) => self.string(v, "a user name"),
            None => engine
                .as_ref()
                .map(|(e, _)| e.profile().default_username.to_string()),
        };
        let password = attrs
            .get(&PASSWORD)
            .and_then(|v| self.secret_ref(v, "the database password"));
        let dbname = attrs.get(&DBNAME).map(|v| self.dbname_values(v));
        let reader_login = self.reader_login(name, &attrs);
        let backup_days = match attrs.get(&BACKUPS) {
            Some(v) => self.backup_days(v),
            None => BACKUPS.default_number().and_then(|d| u8::try_from(d).ok()),
        };
        let allow = match attrs.get(&ALLOW) {
            Some(v) => self.allow(v, &format!("database `{}`", name.text)),
            None => Some(super::hardening::Allow {
                networks: Vec::new(),
                public_because: None,
            }),
        };
        let unencrypted_because = match attrs.get(&ENCRYPTION) {
            Some(v) => self.encryption(v),
            None => Some(None),
        };
        let (engine, version) = engine?;
        let (dbname, more_databases) = match dbname {
            None => (self.dbname(name, engine, None)?, Vec::new()),
            Some(written) => self.dbnames(name, engine, written?)?,
        };
        if let (Some(Some((_, most))), Some(value)) = (&serverless, attrs.get(&CAPACITY)) {
            self.serverless_within(engine, version, *most, value);
        }
        if let (Some(Some((least, _))), Some(value)) = (&serverless, attrs.get(&CAPACITY)) {
            self.serverless_pause(engine, version, *least, value);
        }
        let allow = allow?;
        Some(Database {
            name: model::Name::checked(name.text.clone()),
            engine,
            engine_version: version.full.to_string(),
            parameter_family: version.parameter_family.to_string(),
            instance_class: instance_class?,
            serverless: serverless?,
            writers: writers?,
            readers: readers?,
            placement: placement?,
            username: username?,
            password: password?,
            dbname,
            more_databases,
            backup_days: backup_days?,
            port: Port::new(engine.profile().port)?,
            allow: allow.networks,
            allow_because: allow.public_because,
            unencrypted_because: unencrypted_because?,
            reader_login: reader_login?,
            origin: self.origin(block.header_span),
        })
    }

    /// `reader_username` and `reader_password`: both or neither (a user without a password
    /// could not log in, a password without a user is for no one).
    fn reader_login(
        &mut self,
        name: &'a Ident,
        attrs: &Attrs<'a, key::Of>,
    ) -> Option<Option<model::Login>> {
        let username = attrs.get(&READER_USERNAME);
        let password = attrs.get(&READER_PASSWORD);
        let username = username.map(|v| self.string(v, "a user name"));
        let password = password.map(|v| self.secret_ref(v, "the read-only user's password"));
        match (username, password) {
            (None, None) => Some(None),
            (Some(username), Some(password)) => Some(Some(model::Login {
                username: username?,
                password: password?,
            })),
            (Some(_), None) | (None, Some(_)) => {
                let missing = match attrs.get(&READER_USERNAME) {
                    Some(_) => &READER_PASSWORD,
                    None => &READER_USERNAME,
                };
                self.error(MissingAttribute {
                    name: missing.name().into(),
                    block: format!("database `{}`", name.text),
                    at: at(name.span),
                    example: missing.attr.example.into(),
                });
                None
            }
        }
    }

    /// `dbname = "x"` or `dbname = ["x", "y"]`: each name with its span, and the list's span
    /// when it is a list (PMG0852 when it is empty).
    fn dbname_values(&mut self, value: &'a Value) -> Option<DbnameValues> {
        match value.single().map(|t| &t.kind) {
            Some(TermKind::List(items)) => {
                if items.is_empty() {
                    self.error(EmptyDbnameList {
                        at: at(value.span),
                        help: Some("name the databases the source holds, the cluster's own first: `dbname = [\"ledger\", \"ledger_audit\"]`, or remove `dbname` for the block's name".into()),
                    });
                    return None;
                }
                let names: Vec<Option<(String, Span)>> = items
                    .iter()
                    .map(|v| self.string(v, "a database name").map(|d| (d, v.span)))
                    .collect();
                Some(DbnameValues {
                    names: names.into_iter().collect::<Option<Vec<_>>>()?,
                    list: Some(value.span),
                })
            }
            _ => self.string(value, "a database name").map(|d| DbnameValues {
                names: vec![(d, value.span)],
                list: None,
            }),
        }
    }

    /// The databases of a `dbname` the stack writes: the first is the one the cluster is
    /// created with, the others move from the same source into the same cluster. A list is
    /// PostgreSQL's (PMG0850 on MySQL, whose databases are schemas DMS reads already); each
    /// name follows the rules of one `dbname` (PMG0412), and none is listed twice (PMG0851).
    fn dbnames(
        &mut self,
        block: &Ident,
        engine: Engine,
        written: DbnameValues,
    ) -> Option<(Option<String>, Vec<String>)> {
        let profile = engine.profile();
        if let (Some(list), false) = (written.list, profile.needs_database_name) {
            self.error(DbnameListOnMysql {
                engine: profile.title.into(),
                at: at(list),
                help: Some("DMS reads every schema of a MySQL server (a MySQL database is a schema): remove `dbname`, and to move only some schemas name them in the replication's `include`, e.g. `include = [\"ledger.%\", \"ledger_audit.%\"]`".into()),
            });
            return None;
        }
        let mut names: Vec<(String, Span)> = Vec::new();
        let mut ok = true;
        for (name, span) in written.names {
            if let Some((_, first)) = names.iter().find(|(n, _)| n == &name) {
                self.error(DuplicateDbname {
                    name: name.clone(),
                    at: at(span),
                    first: at(*first),
                    help: Some(format!(
                        "each database gets its own DMS task: remove the second `\"{name}\"`"
                    )),
                });
                ok = false;
                continue;
            }
            ok &= self
                .dbname(block, engine, Some((name.clone(), span)))
                .is_some();
            names.push((name, span));
        }
        if !ok {
            return None;
        }
        let mut names = names.into_iter().map(|(n, _)| n);
        Some((names.next(), names.collect()))
    }

    /// The database a PostgreSQL cluster is created with and DMS reads and writes: `dbname`
    /// when written (PMG0413 on MySQL, which names none), else the block's name; either must
    /// be a name Aurora PostgreSQL takes (PMG0412).
    fn dbname(
        &mut self,
        block: &Ident,
        engine: Engine,
        written: Option<(String, Span)>,
    ) -> Option<Option<String>> {
        let profile = engine.profile();
        if !profile.needs_database_name {
            if let Some((_, span)) = written {
                self.error(DbnameOnMysql {
                    engine: profile.title.into(),
                    at: at(span),
                    help: Some("DMS reads every MySQL schema its task selects, and Aurora MySQL needs no initial database: remove `dbname`".into()),
                });
                return None;
            }
            return Some(None);
        }
        let (name, span, label) = match &written {
            Some((name, span)) => (name.clone(), *span, "Aurora PostgreSQL refuses this name"),
            None => (
                model::default_dbname(&model::Name::checked(block.text.clone())),
                block.span,
                "the block's name is the database's name",
            ),
        };
        let problem = super::identifiers::sql_identifier_problem(
            &name,
            63,
            "PostgreSQL",
            RESERVED_DATABASES,
            "is a database every PostgreSQL cluster already has",
        );
        match problem {
            None => Some(written.map(|(name, _)| name)),
            Some(problem) => {
                self.error(BadDbname {
                    name,
                    problem,
                    at: at(span),
                    label: label.into(),
                    help: Some(match written {
                        Some(_) => "a database name is 1 to 63 letters, digits and `_`, starting with a letter, e.g. \"shop\"".into(),
                        None => "name the database the source holds: `dbname = \"shop\"`".into(),
                    }),
                });
                None
            }
        }
    }

    /// `kms` (the default) or `off because "reason"`: turning encryption off needs a reason
    /// written in the stack, which travels into the output for reviewers and scanners.
    fn encryption(&mut self, value: &'a Value) -> Option<Option<String>> {
        if let [off, because, reason] = value.terms.as_slice()
            && matches!(&off.kind, TermKind::Path(p) if dotted(p) == "off")
            && matches!(&because.kind, TermKind::Path(p) if dotted(p) == "because")
        {
            return match &reason.kind {
                TermKind::String(text) if text.trim().len() >= 10 => self
                    .fill(
                        text.trim(),
                        reason.span.start + 1 + (text.len() - text.trim_start().len()),
                    )
                    .map(Some),
                _ => {
                    self.error(EncryptionOff {
                        at: at(reason.span),
                        help: Some("give a real reason in quotes, at least a few words: it is what an auditor reads".into()),
                        fix: None,
                    });
                    None
                }
            };
        }
        match self.word(value, "encryption", ENCRYPTION.values())? {
            "off" => {
                self.error(EncryptionOff {
                    at: at(value.span),
                    help: Some("pmigc encrypts every data store with the stack's KMS key; remove `encryption = off`, or, if this database really holds no card data, say why: `encryption = off because \"...\"`".into()),
                    fix: replace(value.span, "kms"),
                });
                None
            }
            _ => Some(None),
        }
    }

    /// A count within its registry range, or its registry default when left out.
    fn optional_count(
        &mut self,
        attrs: &Attrs<'a, key::Of>,
        attr: &Key<key::Of>,
        what: &str,
    ) -> Option<u8> {
        let (min, max) = attr.bounds();
        match attrs.get(attr) {
            Some(v) => self.count_as(v, what, min, max),
            None => attr.default_number().and_then(|d| u8::try_from(d).ok()),
        }
    }

    /// `aurora_mysql "8.0"`, `aurora_postgresql "15"`: an engine of `crate::engine` and a
    /// version Aurora offers for it.
    fn engine(&mut self, value: &'a Value) -> Option<(Engine, &'static engine::Version)> {
        let (value, _) = self.follow(value)?;
        if value.has_invalid() {
            return None;
        }
        let (engine, version) = match value.terms.as_slice() {
            [engine, version] => (engine, version),
            _ => {
                self.mismatch(
                    value,
                    "an engine and version like `aurora_postgresql \"16\"` or `aurora_mysql \"8.0\"`",
                    None,
                );
                return None;
            }
        };
        let engine_text = match &engine.kind {
            TermKind::Path(p) => dotted(p),
            _ => String::new(),
        };
        let Some(profile) = engine::Profile::by_keyword(&engine_text) else {
            let keywords: Vec<&str> = engine::ENGINES.iter().map(|p| p.keyword).collect();
            let suggestion = did_you_mean(&engine_text, keywords.iter().copied());
            // A suggestion is a fix only when it keeps the engine family the text names:
            // `aurora_postgres` becomes `aurora_postgresql`, never `aurora_mysql`.
            let same_family = suggestion
                .and_then(engine::Profile::by_keyword)
                .is_some_and(|p| engine::Family::hinted_by(&engine_text) == Some(p.family));
            self.error(UnknownEngine {
                what: "database engine".into(),
                value: engine_text,
                at: at(engine.span),
                options: keywords.join(", "),
                help: Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "pmigc migrates MySQL and MariaDB into Aurora MySQL (`aurora_mysql`), PostgreSQL into Aurora PostgreSQL (`aurora_postgresql`)".into(),
                }),
                fix: suggestion
                    .filter(|_| same_family)
                    .and_then(|s| replace(engine.span, s)),
            });
            return None;
        };
        let version_text = match &version.kind {
            TermKind::String(s) => self.fill(s, version.span.start + 1)?,
            _ => {
                self.error(TypeMismatch {
                    expected: format!("a version in quotes like \"{}\"", profile.default_version),
                    found: version.kind.describe().into(),
                    at: at(version.span),
                    help: None,
                });
                return None;
            }
        };
        match profile.version(&version_text) {
            Some(found) => Some((profile.engine, found)),
            None => {
                let options = profile.short_versions();
                let older = older_mysql(profile, &version_text);
                let suggestion = did_you_mean(&version_text, options.iter().copied())
                    .filter(|_| older.is_none());
                self.error(UnknownEngine {
                    what: format!("{} version", profile.title),
                    value: version_text,
                    at: at(version.span),
                    options: options.join(", "),
                    help: older.or_else(|| suggestion.map(|s| format!("did you mean \"{s}\"?"))),
                    fix: suggestion.and_then(|s| replace(version.span, format!("\"{s}\""))),
                });
                None
            }
        }
    }

    fn backup_days(&mut self, value: &'a Value) -> Option<u8> {
        let (seconds, span) = self.duration(value)?;
        let days = seconds.0 / 86400;
        let (min, max) = BACKUPS.bounds();
        if seconds.0 % 86400 != 0 || !(min..=max).contains(&days) {
            self.error(BackupRetention {
                value: super::mismatch::value_text(value),
                at: at(span),
                help: Some(format!("Aurora keeps {min} to {max} whole days of automated backups; keep longer with snapshots or AWS Backup")),
            });
            return None;
        }
        match u8::try_from(days) {
            Ok(days) => Some(days),
            Err(_) => {
                self.error(BackupRetention {
                    value: super::mismatch::value_text(value),
                    at: at(span),
                    help: None,
                });
                None
            }
        }
    }
}

/// The help for a MySQL version Aurora MySQL 3 replaced, written by a user whose data centre
/// runs it (`aurora_mysql "5.7"`): Aurora MySQL 2 was the MySQL 5.7-compatible major and 1 the
/// 5.6 one; Aurora MySQL 3 is compatible with MySQL 8.0 (Aurora MySQL release notes, e.g.
/// "Aurora MySQL database engine updates 2021-11-18 (version 3.01.0)": "Aurora MySQL 2.x
/// versions are compatible with MySQL 5.7, and Aurora MySQL 1.x versions are compatible with
/// MySQL 5.6"). The source keeps its version; DMS replicates it into the newer major. No fix:
/// a major version is the team's choice.
fn older_mysql(profile: &engine::Profile, written: &str) -> Option<String> {
    if profile.family != engine::Family::Mysql {
        return None;
    }
    let major = ["5.7", "5.6", "5.5"]
        .into_iter()
        .find(|m| written == *m || written.starts_with(&format!("{m}.")))?;
    Some(format!(
        "Aurora MySQL 2 and 1 (compatible with MySQL 5.7 and 5.6) are not offered; Aurora MySQL 3 is compatible with MySQL 8.0: write `engine = {} \"{}\"` and give the data centre's version on the source instead (`from = mysql \"{major}\" \"HOST\":3306 via VPN`), which DMS replicates into it",
        profile.keyword, profile.default_version
    ))
}
