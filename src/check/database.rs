//! The `database` block: an Aurora cluster of an engine of `crate::engine` at a version Aurora
//! offers, its instances (a catalogued class, or Serverless v2 with its capacity within what the
//! version serves), placement in private subnets, master user, backups, encryption, and the
//! database a PostgreSQL migration moves (`dbname`).

mod diagnostics;
pub(crate) use diagnostics::{
    BackupRetention, BadDbname, DbnameOnMysql, EncryptionOff, PublicDatabase, UnknownEngine,
};

use super::context::{Attrs, Ctx};
use super::error::replace;
use crate::aws::instances;
use crate::check::context::MissingAttribute;
use crate::check::values::TypeMismatch;
use crate::diag::{at, did_you_mean};
use crate::engine::{self, Engine};
use crate::model::{self, Database, Port, Tier};
use crate::syntax::ast::{Block, Ident, Span, TermKind, Value, dotted};

pub(crate) use crate::registry::DATABASE;
use crate::registry::{Attr, DATABASE_BACKUPS, DATABASE_READERS, DATABASE_WRITERS};

/// Databases every Aurora PostgreSQL cluster already has (RDS refuses them as `DatabaseName`).
const RESERVED_DATABASES: &[&str] = &["postgres", "template0", "template1", "rdsadmin"];

impl<'a> Ctx<'a> {
    pub(crate) fn database(&mut self, name: &'a Ident, block: &'a Block) -> Option<Database> {
        let attrs = self.attrs(name, block, &DATABASE);
        let engine = attrs.get("engine").and_then(|v| self.engine(v));
        let instance_class = attrs.get("instance").and_then(|v| {
            self.instance_type(
                v,
                "Aurora instance class",
                instances::AURORA,
                &[instances::SERVERLESS],
            )
        });
        let serverless = self.serverless_capacity(
            instance_class.as_deref().zip(attrs.get("instance")),
            attrs.get("capacity"),
        );
        let writers = self.optional_count(
            &attrs,
            &DATABASE_WRITERS,
            "writers (Aurora has exactly one writer)",
        );
        let readers = self.optional_count(&attrs, &DATABASE_READERS, "readers");
        let placement = attrs.get("in").and_then(|v| self.placement(v));
        if let (Some(p), Some(value)) = (&placement, attrs.get("in"))
            && p.tier == Tier::Public
        {
            self.error(PublicDatabase {
                name: name.text.clone(),
                at: at(value.span),
                fix: replace(value.span, format!("{}.private", p.network)),
            });
        }
        let username = match attrs.get("username") {
            Some(v) => self.string(v, "a user name"),
            None => engine
                .as_ref()
                .map(|(e, _)| e.profile().default_username.to_string()),
        };
        let password = attrs
            .get("password")
            .and_then(|v| self.secret_ref(v, "the database password"));
        let dbname = match attrs.get("dbname") {
            Some(v)
                if v.single()
                    .is_some_and(|t| matches!(t.kind, TermKind::List(_))) =>
            {
                self.mismatch(v, "a database name", Some("a cluster is created with one database: name it here (`dbname = \"orders\"`); from a PostgreSQL source DMS reads the database of that name. pmigc cannot yet copy several databases of one source into one cluster".into()));
                None
            }
            Some(v) => self.string(v, "a database name").map(|d| Some((d, v.span))),
            None => Some(None),
        };
        let reader_login = self.reader_login(name, &attrs);
        let backup_days = match attrs.of(&DATABASE_BACKUPS) {
            Some(v) => self.backup_days(v),
            None => DATABASE_BACKUPS
                .default_number()
                .and_then(|d| u8::try_from(d).ok()),
        };
        let allow = match attrs.get("allow") {
            Some(v) => self.allow(v, &format!("database `{}`", name.text)),
            None => Some(super::hardening::Allow {
                networks: Vec::new(),
                public_because: None,
            }),
        };
        let unencrypted_because = match attrs.get("encryption") {
            Some(v) => self.encryption(v),
            None => Some(None),
        };
        let (engine, version) = engine?;
        let dbname = self.dbname(name, engine, dbname?)?;
        if let (Some(Some((_, most))), Some(value)) = (&serverless, attrs.get("capacity")) {
            self.serverless_within(engine, version, *most, value);
        }
        if let (Some(Some((least, _))), Some(value)) = (&serverless, attrs.get("capacity")) {
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
    fn reader_login(&mut self, name: &'a Ident, attrs: &Attrs<'a>) -> Option<Option<model::Login>> {
        let username = attrs.get("reader_username");
        let password = attrs.get("reader_password");
        let username = username.map(|v| self.string(v, "a user name"));
        let password = password.map(|v| self.secret_ref(v, "the read-only user's password"));
        match (username, password) {
            (None, None) => Some(None),
            (Some(username), Some(password)) => Some(Some(model::Login {
                username: username?,
                password: password?,
            })),
            (Some(_), None) | (None, Some(_)) => {
                let (missing, example) = match attrs.get("reader_username") {
                    Some(_) => ("reader_password", "db.reader_password"),
                    None => ("reader_username", "\"shop_ro\""),
                };
                self.error(MissingAttribute {
                    name: missing.into(),
                    block: format!("database `{}`", name.text),
                    at: at(name.span),
                    example: example.into(),
                });
                None
            }
        }
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
        match self.word(value, "encryption", &["kms", "off"])? {
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
    fn optional_count(&mut self, attrs: &Attrs<'a>, attr: &Attr, what: &str) -> Option<u8> {
        let (min, max) = attr.bounds();
        match attrs.of(attr) {
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
        let (min, max) = DATABASE_BACKUPS.bounds();
        if seconds.0 % 86400 != 0 || !(min..=max).contains(&days) {
            self.error(BackupRetention {
                value: super::values::value_text(value),
                at: at(span),
                help: Some(format!("Aurora keeps {min} to {max} whole days of automated backups; keep longer with snapshots or AWS Backup")),
            });
            return None;
        }
        match u8::try_from(days) {
            Ok(days) => Some(days),
            Err(_) => {
                self.error(BackupRetention {
                    value: super::values::value_text(value),
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
