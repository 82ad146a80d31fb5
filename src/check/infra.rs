//! The `database` and `service` blocks: an Aurora cluster (an engine of `crate::engine`) and
//! its instances, and instances
//! behind a load balancer of their own (internet-facing in public subnets, or internal in
//! private subnets) or a path on another service's.

use super::context::{Attrs, Ctx};
use super::error::{CheckError, replace};
use super::instances;
use super::names::Kind;
use crate::diag::{at, did_you_mean};
use crate::engine::{self, Engine};
use crate::model::{
    self, Arch, Database, Exposure, Facing, HttpMode, Image, Listener, Placement, Port, Route,
    Service, Tier,
};
use crate::syntax::ast::{Block, Ident, Span, TermKind, Value, dotted};

pub use crate::registry::DATABASE;

/// Databases every Aurora PostgreSQL cluster already has (RDS refuses them as `DatabaseName`).
const RESERVED_DATABASES: &[&str] = &["postgres", "template0", "template1", "rdsadmin"];
pub use crate::registry::SERVICE;

impl<'a> Ctx<'a> {
    /// A dotted instance type checked against the catalogue (`t3.2xlarge`, `db.r6g.large`),
    /// or one of `extra` (`db.serverless`).
    pub fn instance_type(
        &mut self,
        value: &'a Value,
        what: &str,
        table: &[instances::Family],
        extra: &[&str],
    ) -> Option<String> {
        let (text, term) = self.spelling(value, what)?;
        if instances::find(table, &text).is_some() || extra.contains(&text.as_str()) {
            return Some(text);
        }
        if let Some(rds) = instances::not_on_aurora(table, &text) {
            let help = match &rds.instead {
                Some(instead) => format!("the nearest class Aurora offers is `{instead}` (check its memory and price before you switch)"),
                None => "Aurora's classes are memory optimized (`db.r…`, `db.x2g`), burstable (`db.t3`, `db.t4g`: medium and large) or `db.serverless`".into(),
            };
            self.error(CheckError::ClassNotOnAurora {
                class: text,
                why: rds.why,
                at: at(term.span),
                help: Some(help),
            });
            return None;
        }
        let mut known = instances::names(table);
        known.extend(extra.iter().map(|e| e.to_string()));
        // A class written with another service's prefix, or none (`t3.medium`, `db.t3.medium`
        // for DMS): the same size under this service's prefix.
        let size = |t: &str| t.split_once('.').map_or("", |(_, rest)| rest).to_string();
        let suggestion = did_you_mean(&text, known.iter().map(String::as_str)).or_else(|| {
            known
                .iter()
                .map(String::as_str)
                .find(|k| size(k).contains('.') && (size(k) == text || size(k) == size(&text)))
        });
        self.error(CheckError::UnknownInstanceType {
            what: what.to_string(),
            value: text,
            at: at(term.span),
            help: suggestion.map(|s| format!("did you mean `{s}`?")),
            fix: suggestion.and_then(|s| replace(term.span, s)),
        });
        None
    }

    pub fn database(&mut self, name: &'a Ident, block: &'a Block) -> Option<Database> {
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
            "writers",
            "writers (Aurora has exactly one writer)",
            1,
            1,
            1,
        );
        let readers = self.optional_count(&attrs, "readers", "readers", 0, 15, 1);
        let placement = attrs.get("in").and_then(|v| self.placement(v));
        if let (Some(p), Some(value)) = (&placement, attrs.get("in"))
            && p.tier == Tier::Public
        {
            self.error(CheckError::PublicDatabase {
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
            Some(v) => self.string(v, "a database name").map(|d| Some((d, v.span))),
            None => Some(None),
        };
        let backup_days = match attrs.get("backups") {
            Some(v) => self.backup_days(v),
            None => Some(7),
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
            origin: self.origin(block.header_span),
        })
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
                self.error(CheckError::DbnameOnMysql {
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
                self.error(CheckError::BadDbname {
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
                    self.error(CheckError::EncryptionOff {
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
                self.error(CheckError::EncryptionOff {
                    at: at(value.span),
                    help: Some("pmigc encrypts every data store with the stack's KMS key; remove `encryption = off`, or, if this database really holds no card data, say why: `encryption = off because \"...\"`".into()),
                    fix: replace(value.span, "kms"),
                });
                None
            }
            _ => Some(None),
        }
    }

    fn optional_count(
        &mut self,
        attrs: &Attrs<'a>,
        key: &str,
        what: &str,
        min: u64,
        max: u64,
        default: u8,
    ) -> Option<u8> {
        match attrs.get(key) {
            Some(v) => self.count_as(v, what, min, max),
            None => Some(default),
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
            self.error(CheckError::UnknownEngine {
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
                self.error(CheckError::TypeMismatch {
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
                let suggestion = did_you_mean(&version_text, options.iter().copied());
                self.error(CheckError::UnknownEngine {
                    what: format!("{} version", profile.title),
                    value: version_text,
                    at: at(version.span),
                    options: options.join(", "),
                    help: suggestion.map(|s| format!("did you mean \"{s}\"?")),
                    fix: suggestion.and_then(|s| replace(version.span, format!("\"{s}\""))),
                });
                None
            }
        }
    }

    fn backup_days(&mut self, value: &'a Value) -> Option<u8> {
        let (seconds, span) = self.duration(value)?;
        let days = seconds.0 / 86400;
        if seconds.0 % 86400 != 0 || !(1..=35).contains(&days) {
            self.error(CheckError::BackupRetention {
                value: super::values::value_text(value),
                at: at(span),
                help: Some("Aurora keeps 1 to 35 whole days of automated backups; keep longer with snapshots or AWS Backup".into()),
            });
            return None;
        }
        match u8::try_from(days) {
            Ok(days) => Some(days),
            Err(_) => {
                self.error(CheckError::BackupRetention {
                    value: super::values::value_text(value),
                    at: at(span),
                    help: None,
                });
                None
            }
        }
    }

    pub fn service(&mut self, name: &'a Ident, block: &'a Block) -> Option<Service> {
        let attrs = self.attrs(name, block, &SERVICE);
        let instance_type = attrs
            .get("instance")
            .and_then(|v| self.instance_type(v, "EC2 instance type", instances::EC2, &[]));
        let image = match attrs.get("image") {
            Some(v) => self.ami(v).map(Image::Ami),
            // The architecture follows the family: Graviton boots an arm64 image.
            None => Some(Image::AmazonLinux(
                instance_type
                    .as_deref()
                    .and_then(|t| instances::find(instances::EC2, t))
                    .map_or(Arch::X86_64, |f| f.arch),
            )),
        };
        let boot = match attrs.get("boot") {
            Some(v) => self.boot(&name.text, v).map(Some),
            None => Some(None),
        };
        let capacity = attrs.get("capacity").and_then(|v| self.capacity(v));
        let placement = attrs.get("in").and_then(|v| self.placement(v));
        let port = attrs.get("port").and_then(|v| self.port(v));
        let health_path = match attrs.get("health") {
            Some(v) => self.health_path(v),
            None => Some("/".to_string()),
        };
        // Every attribute is read before any error ends the block: a bad `exposed` must not
        // hide a misspelt `reads`.
        let exposed = match attrs.get("exposed") {
            Some(v) => self.exposure(v, name).map(Some),
            None => Some(None),
        };
        let own = match &exposed {
            Some(Some(Exposed::Own(_, facing, listener))) => Some((*facing, listener.clone())),
            _ => None,
        };
        let http = match (attrs.get("http"), &own) {
            (Some(v), Some((_, Listener::Http))) => self.http_on_plain(v, name),
            (Some(v), _) => self.http_mode(v, name),
            (None, _) => Some(HttpMode::Off),
        };
        // `None`: not written; `Some(None)`: `on`; `Some(Some(reason))`: off, with the reason.
        let waf = match (attrs.get("waf"), &own) {
            (Some(v), Some((Facing::Internal, _))) => self.waf_internal(v, name),
            (Some(v), _) => self.waf(v).map(|off| Some((off, v.span))),
            (None, _) => Some(None),
        };
        // A reference that does not resolve is reported and left out.
        let mut reads = Vec::new();
        if let Some(v) = attrs.get("reads") {
            let items: Vec<&'a Value> = match v.single().map(|t| &t.kind) {
                Some(TermKind::List(items)) => items.iter().collect(),
                _ => vec![v],
            };
            for item in items {
                if let Some(db) = self.reference(item, &[Kind::Database], "a database")
                    && let Some(id) = self.decls.id(&db.text)
                {
                    reads.push(id);
                }
            }
        }
        let allow = match attrs.get("allow") {
            Some(v) => self.allow(v, &format!("service `{}`", name.text)),
            None => Some(super::hardening::Allow {
                networks: Vec::new(),
                public_because: None,
            }),
        };
        let (exposed, allow, waf) = (exposed?, allow?, waf?);
        // The port and health check serve a load balancer (its own or another's) or the
        // networks `allow` lists; without any, there is nothing to serve.
        let reached = exposed.is_some() || !allow.networks.is_empty();
        let port = match (attrs.get("port"), reached) {
            (Some(_), true) => Some(Some(port?)),
            (None, true) => {
                self.error(CheckError::MissingAttribute {
                    name: "port".into(),
                    block: format!("service `{}`", name.text),
                    at: at(name.span.to(block.header_span)),
                    example: "8080".into(),
                });
                None
            }
            (_, false) => {
                for (key, what) in [("port", "port"), ("health", "health check")] {
                    if let Some(v) = attrs.get(key) {
                        self.error(CheckError::UnusedServiceSetting {
                            service: name.text.clone(),
                            what,
                            at: at(v.span),
                        });
                    }
                }
                Some(None)
            }
        };
        let (min, max) = capacity?;
        let http = http?;
        if let Some((_, span)) = waf
            && !matches!(exposed, Some(Exposed::Own(..)))
        {
            self.error(CheckError::WafWithoutLoadBalancer {
                service: name.text.clone(),
                at: at(span),
            });
            return None;
        }
        let waf_off_because = waf.as_ref().and_then(|(off, _)| off.clone());
        let (exposure, route) = match exposed {
            Some(Exposed::Own(placement, facing, listener)) => (
                Some(Exposure {
                    placement,
                    facing,
                    listener,
                    http,
                    // Internet-facing: on unless turned off; internal: only on request.
                    waf: match facing {
                        Facing::Internet => waf_off_because.is_none(),
                        Facing::Internal => waf.is_some(),
                    },
                    waf_off_because,
                }),
                None,
            ),
            Some(Exposed::Route(via, path)) => (None, Some(Route { via, path })),
            None => (None, None),
        };
        Some(Service {
            name: model::Name::checked(name.text.clone()),
            instance_type: instance_type?,
            image: image?,
            boot: boot?,
            min,
            max,
            placement: placement?,
            port: port?,
            health_path: health_path?,
            exposure,
            route,
            reads,
            allow: allow.networks,
            allow_because: allow.public_because,
            origin: self.origin(block.header_span),
        })
    }

    /// `image = "ami-0123456789abcdef0"`: an AMI id, `ami-` and 8 or 17 hex digits.
    fn ami(&mut self, value: &'a Value) -> Option<String> {
        let id = self.string(value, "an AMI id like \"ami-0123456789abcdef0\"")?;
        let hex = id.strip_prefix("ami-").unwrap_or_default();
        if matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Some(id);
        }
        self.error(CheckError::BadImage {
            value: id,
            at: at(value.span),
            help: Some("write the id of an AMI in the stack's region, as `aws ec2 describe-images` prints it (`ami-` and 17 lowercase hex digits), or leave `image` out to boot the latest Amazon Linux 2023 for the instance's architecture".into()),
        });
        None
    }

    fn capacity(&mut self, value: &'a Value) -> Option<(u16, u16)> {
        let (low, high, span) = self.range(value, "capacity")?;
        let problem = if low < 1 {
            Some((
                "capacity must be at least 1 instance".to_string(),
                "a service with 0 instances serves nothing".to_string(),
                Some(format!("write `1..{high}`")),
            ))
        } else if low > high {
            Some((
                format!("capacity {low}..{high} has its minimum above its maximum"),
                "minimum above maximum".to_string(),
                Some(format!("write `{high}..{low}`")),
            ))
        } else if high > 1000 {
            Some((
                format!(
                    "capacity {low}..{high} is above the 1000 instances pmigc allows per group"
                ),
                "too large".to_string(),
                None,
            ))
        } else {
            None
        };
        if let Some((problem, label, help)) = problem {
            self.error(CheckError::BadCapacity {
                problem,
                at: at(span),
                label,
                help,
            });
            return None;
        }
        match (u16::try_from(low), u16::try_from(high)) {
            (Ok(low), Ok(high)) => Some((low, high)),
            _ => {
                self.error(CheckError::BadCapacity {
                    problem: format!("capacity {low}..{high} is not a number of instances"),
                    at: at(span),
                    label: "too large".into(),
                    help: None,
                });
                None
            }
        }
    }

    fn health_path(&mut self, value: &'a Value) -> Option<String> {
        let path = self.string(value, "a health-check path like \"/health\"")?;
        if !path.starts_with('/') || path.contains(char::is_whitespace) {
            self.error(CheckError::TypeMismatch {
                expected: "a health-check path starting with `/`".into(),
                found: format!("\"{path}\""),
                at: at(value.span),
                help: Some(format!(
                    "write \"/{}\"",
                    path.trim_start_matches('/').trim()
                )),
            });
            return None;
        }
        Some(path)
    }

    /// `https via main.public with pay`, `internal https via main.private with pay`,
    /// `internal http via main.private` or `path "/orders/*" on api`.
    fn exposure(&mut self, value: &'a Value, service: &Ident) -> Option<Exposed> {
        if value.has_invalid() {
            return None;
        }
        if let [first, path, on, service] = value.terms.as_slice()
            && word(first).as_deref() == Some("path")
        {
            return self.route(value, path, on, service);
        }
        let (facing, rest) = match value.terms.split_first() {
            Some((first, rest)) if word(first).as_deref() == Some("internal") => {
                (Facing::Internal, rest)
            }
            _ => (Facing::Internet, value.terms.as_slice()),
        };
        let (protocol, placement, certificate) = match (facing, rest) {
            (_, [protocol, via, placement, with, certificate])
                if word(via).as_deref() == Some("via") && word(with).as_deref() == Some("with") =>
            {
                (protocol, placement, Some(certificate))
            }
            (Facing::Internal, [protocol, via, placement])
                if word(via).as_deref() == Some("via") =>
            {
                (protocol, placement, None)
            }
            _ => {
                let placement = match rest {
                    [via, placement] if word(via).as_deref() == Some("via") => {
                        super::values::value_text(&Value {
                            terms: vec![placement.clone()],
                            span: placement.span,
                        })
                    }
                    _ => "NETWORK.private".into(),
                };
                let help = match facing {
                    Facing::Internal => Some(format!(
                        "name the protocol: `internal https via {placement} with CERTIFICATE` (TLS with an existing certificate) or `internal http via {placement}` (plain HTTP, only inside the VPC and from its VPN)"
                    )),
                    Facing::Internet => None,
                };
                self.mismatch(value, EXPOSED_SHAPE, help);
                return None;
            }
        };
        // The placement and the certificate are read even when the protocol is wrong, so
        // their own mistakes are reported and the certificate counts as used.
        let protocol_ok = self.protocol(protocol, facing, certificate.is_some());
        let placement_value = Value {
            terms: vec![placement.clone()],
            span: placement.span,
        };
        let tier = self.placement_of(&placement_value);
        let certificate = certificate.map(|term| self.exposure_certificate(term));
        let tier = tier?;
        if !protocol_ok {
            return None;
        }
        let wanted = match facing {
            Facing::Internet => Tier::Public,
            Facing::Internal => Tier::Private,
        };
        if tier.tier != wanted {
            self.error(CheckError::LoadBalancerTier {
                service: service.text.clone(),
                facing: match facing {
                    Facing::Internet => "internet-facing",
                    Facing::Internal => "internal",
                },
                tier: tier.tier.as_str(),
                wanted: wanted.as_str(),
                network: tier.network.to_string(),
                at: at(placement.span),
                help: Some(match facing {
                    Facing::Internet => format!(
                        "an internet-facing load balancer sits in public subnets: `via {}.public`; one reached only from the VPC and its VPN is internal: `exposed = internal https via {}.private with CERTIFICATE`",
                        tier.network, tier.network
                    ),
                    Facing::Internal => format!(
                        "an internal load balancer sits in private subnets, where only the VPC and its VPN reach it: `via {}.private`",
                        tier.network
                    ),
                }),
                fix: match facing {
                    // `internal` says what was meant; `https via X.private` might mean either.
                    Facing::Internal => replace(placement.span, format!("{}.private", tier.network)),
                    Facing::Internet => None,
                },
            });
            return None;
        }
        let listener = match certificate {
            Some(certificate) => Listener::Https(certificate?),
            None => Listener::Http,
        };
        Some(Exposed::Own(tier, facing, listener))
    }

    /// `path "/orders/*" on api`.
    fn route(
        &mut self,
        value: &'a Value,
        path: &'a crate::syntax::ast::Term,
        on: &'a crate::syntax::ast::Term,
        service: &'a crate::syntax::ast::Term,
    ) -> Option<Exposed> {
        let TermKind::String(path) = &path.kind else {
            self.mismatch(
                value,
                EXPOSED_SHAPE,
                Some("the path is quoted: `path \"/orders/*\" on api`".into()),
            );
            return None;
        };
        if !path.starts_with('/') || word(on).as_deref() != Some("on") {
            self.mismatch(
                value,
                EXPOSED_SHAPE,
                Some("write `path \"/orders/*\" on api`".into()),
            );
            return None;
        }
        let TermKind::Path(p) = &service.kind else {
            self.mismatch(value, EXPOSED_SHAPE, None);
            return None;
        };
        let [via] = p.as_slice() else {
            self.mismatch(value, EXPOSED_SHAPE, None);
            return None;
        };
        let decls = self.decls;
        let via = decls.resolve(via, &[Kind::Service], &mut self.errors)?;
        let path = self.fill(path, value.terms.get(1).map_or(0, |t| t.span.start + 1))?;
        Some(Exposed::Route(decls.id(&via.name.text)?, path))
    }

    /// The protocol word of an exposure: `https`, or for an internal one without a
    /// certificate, `http`.
    fn protocol(
        &mut self,
        protocol: &crate::syntax::ast::Term,
        facing: Facing,
        with_certificate: bool,
    ) -> bool {
        let expected = if with_certificate { "https" } else { "http" };
        match word(protocol).as_deref() {
            Some(w) if w == expected => true,
            Some("http") => {
                let (what, help) = match facing {
                    Facing::Internet => (
                        "protocol for an exposed service",
                        "payment traffic is served over TLS only; add `http = redirect` to also answer port 80 with a redirect",
                    ),
                    Facing::Internal => (
                        "protocol for a load balancer with a certificate",
                        "a certificate serves HTTPS: `internal https via NETWORK.private with CERTIFICATE`; plain HTTP takes none: `internal http via NETWORK.private`",
                    ),
                };
                self.error(CheckError::UnknownValue {
                    what: what.into(),
                    value: "http".into(),
                    at: at(protocol.span),
                    options: "https".into(),
                    help: Some(help.into()),
                    fix: replace(protocol.span, "https"),
                });
                false
            }
            Some("https") => {
                self.error(CheckError::TypeMismatch {
                    expected: "a certificate for HTTPS".into(),
                    found: "none".into(),
                    at: at(protocol.span),
                    help: Some("HTTPS needs an existing certificate: `internal https via NETWORK.private with CERTIFICATE`; plain HTTP inside the VPC is `internal http via NETWORK.private`".into()),
                });
                false
            }
            _ => {
                let text = super::values::value_text(&Value {
                    terms: vec![protocol.clone()],
                    span: protocol.span,
                });
                self.unknown_word(&text, protocol.span, "protocol", &[expected]);
                false
            }
        }
    }

    /// The certificate named after `with`.
    fn exposure_certificate(
        &mut self,
        term: &'a crate::syntax::ast::Term,
    ) -> Option<model::Id<model::Certificate>> {
        let TermKind::Path(p) = &term.kind else {
            self.certificate_mismatch(term);
            return None;
        };
        let [name] = p.as_slice() else {
            self.certificate_mismatch(term);
            return None;
        };
        let decls = self.decls;
        decls
            .resolve(name, &[Kind::Certificate], &mut self.errors)
            .and_then(|d| decls.id(&d.name.text))
    }

    /// A certificate in `exposed = ... with CERTIFICATE` that is not a one-word name.
    fn certificate_mismatch(&mut self, term: &crate::syntax::ast::Term) {
        self.error(CheckError::TypeMismatch {
            expected: "the name of an existing certificate".into(),
            found: term.kind.describe().into(),
            at: at(term.span),
            help: Some("write the name of an `existing certificate` block: `with pay`".into()),
        });
    }

    /// `http` on an internal plain-HTTP load balancer, whose one listener is port 80: a
    /// redirect has no HTTPS to go to; `off` or `forward` change nothing.
    fn http_on_plain(&mut self, value: &'a Value, service: &Ident) -> Option<HttpMode> {
        let mode = self.word(value, "HTTP handling", &["redirect", "off", "forward"])?;
        if mode == "redirect" {
            self.error(CheckError::TypeMismatch {
                expected: "no `http` on a plain-HTTP internal load balancer".into(),
                found: "`redirect`".into(),
                at: at(value.span),
                help: Some("its only listener is port 80, and there is no HTTPS to redirect to; serve HTTPS (`exposed = internal https via NETWORK.private with CERTIFICATE`) or remove `http`".into()),
            });
            return None;
        }
        self.error(CheckError::NoEffectOnInternal {
            setting: format!("http = {mode}"),
            service: service.text.clone(),
            at: at(value.span),
            help: Some("a plain-HTTP internal load balancer's only listener is port 80, which forwards to the service; remove `http`".into()),
        });
        Some(HttpMode::Off)
    }

    /// `waf` on an internal load balancer: `on` puts the web ACL in front of it; `off` is
    /// what it is already.
    fn waf_internal(
        &mut self,
        value: &'a Value,
        service: &Ident,
    ) -> Option<Option<(Option<String>, crate::syntax::ast::Span)>> {
        let off = match super::hardening::with_reason(value) {
            Some((off, _)) => matches!(&off.kind, TermKind::Path(p) if dotted(p) == "off"),
            None => self.word(value, "web application firewall", &["on", "off"])? == "off",
        };
        if !off {
            return Some(Some((None, value.span)));
        }
        self.error(CheckError::NoEffectOnInternal {
            setting: "waf = off".into(),
            service: service.text.clone(),
            at: at(value.span),
            help: Some("an internal load balancer is reached only from the VPC and its VPN's networks and has no web application firewall unless it says `waf = on`; remove `waf`".into()),
        });
        Some(None)
    }

    /// `http = redirect | off | forward`; forwarding plain HTTP is allowed with a warning.
    fn http_mode(&mut self, value: &'a Value, service: &Ident) -> Option<HttpMode> {
        match self.word(value, "HTTP handling", &["redirect", "off", "forward"])? {
            "redirect" => Some(HttpMode::Redirect),
            "off" => Some(HttpMode::Off),
            _ => {
                self.error(CheckError::HttpForwarded {
                    service: service.text.clone(),
                    at: at(value.span),
                    help: Some(
                        "answer port 80 with a redirect to HTTPS instead: `http = redirect`".into(),
                    ),
                    fix: replace(value.span, "redirect"),
                });
                Some(HttpMode::Forward)
            }
        }
    }
}

/// How a service is exposed: its own load balancer, or a path on another's.
enum Exposed {
    Own(Placement, Facing, Listener),
    Route(model::Id<model::Service>, String),
}

/// The forms of `exposed`, for type mismatches.
const EXPOSED_SHAPE: &str = "`https via NETWORK.public with CERTIFICATE`, `internal https via NETWORK.private with CERTIFICATE`, `internal http via NETWORK.private` or `path \"/orders/*\" on SERVICE`";

/// A one-word term's word.
fn word(t: &crate::syntax::ast::Term) -> Option<String> {
    match &t.kind {
        TermKind::Path(p) if p.len() == 1 => p.first().map(|i| i.text.clone()),
        _ => None,
    }
}
