//! The `database` and `service` blocks: an Aurora cluster (an engine of `crate::engine`) and
//! its instances, and instances
//! behind an internet-facing load balancer or a path on another service's.

use super::context::{Attrs, Ctx};
use super::error::{CheckError, replace};
use super::instances;
use super::names::Kind;
use crate::diag::{at, did_you_mean};
use crate::engine::{self, Engine};
use crate::model::{
    self, Arch, Database, Exposure, HttpMode, Image, Placement, Port, Route, Service, Tier,
};
use crate::syntax::ast::{Block, Ident, TermKind, Value, dotted};

pub use crate::registry::DATABASE;
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
            backup_days: backup_days?,
            port: Port::new(engine.profile().port)?,
            allow: allow.networks,
            allow_because: allow.public_because,
            unencrypted_because: unencrypted_because?,
            origin: self.origin(block.header_span),
        })
    }

    /// `kms` (the default) or `off because "reason"`: turning encryption off needs a reason
    /// written in the stack, which travels into the output for reviewers and scanners.
    fn encryption(&mut self, value: &'a Value) -> Option<Option<String>> {
        if let [off, because, reason] = value.terms.as_slice()
            && matches!(&off.kind, TermKind::Path(p) if dotted(p) == "off")
            && matches!(&because.kind, TermKind::Path(p) if dotted(p) == "because")
        {
            return match &reason.kind {
                TermKind::String(text) if text.trim().len() >= 10 => {
                    Some(Some(text.trim().to_string()))
                }
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
            TermKind::String(s) => s.clone(),
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
            Some(v) => self.exposure(v).map(Some),
            None => Some(None),
        };
        let http = match attrs.get("http") {
            Some(v) => self.http_mode(v, name),
            None => Some(HttpMode::Off),
        };
        let waf = match attrs.get("waf") {
            Some(v) => self.waf(v).map(|off| Some((off, v.span))),
            None => Some(None),
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
        let waf_off_because = waf.and_then(|(off, _)| off);
        let (exposure, route) = match exposed {
            Some(Exposed::Own(placement, certificate)) => (
                Some(Exposure {
                    placement,
                    certificate,
                    http,
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

    /// `https via main.public with pay`.
    fn exposure(&mut self, value: &'a Value) -> Option<Exposed> {
        let shape =
            "`https via NETWORK.public with CERTIFICATE` or `path \"/orders/*\" on SERVICE`";
        if value.has_invalid() {
            return None;
        }
        let word = |t: &crate::syntax::ast::Term| match &t.kind {
            TermKind::Path(p) if p.len() == 1 => p.first().map(|i| i.text.clone()),
            _ => None,
        };
        if let [first, path, on, service] = value.terms.as_slice()
            && word(first).as_deref() == Some("path")
        {
            let TermKind::String(path) = &path.kind else {
                self.mismatch(
                    value,
                    shape,
                    Some("the path is quoted: `path \"/orders/*\" on api`".into()),
                );
                return None;
            };
            if !path.starts_with('/') || word(on).as_deref() != Some("on") {
                self.mismatch(
                    value,
                    shape,
                    Some("write `path \"/orders/*\" on api`".into()),
                );
                return None;
            }
            let TermKind::Path(p) = &service.kind else {
                self.mismatch(value, shape, None);
                return None;
            };
            let [via] = p.as_slice() else {
                self.mismatch(value, shape, None);
                return None;
            };
            let decls = self.decls;
            let via = decls.resolve(via, &[Kind::Service], &mut self.errors)?;
            return Some(Exposed::Route(decls.id(&via.name.text)?, path.clone()));
        }
        let [protocol, via, placement, with, certificate] = value.terms.as_slice() else {
            self.mismatch(value, shape, None);
            return None;
        };
        if word(via).as_deref() != Some("via") || word(with).as_deref() != Some("with") {
            self.mismatch(value, shape, None);
            return None;
        }
        // The placement and the certificate are read even when the protocol is wrong, so
        // their own mistakes are reported and the certificate counts as used.
        let protocol_ok = match word(protocol).as_deref() {
            Some("https") => true,
            Some("http") => {
                self.error(CheckError::UnknownValue {
                    what: "protocol for an exposed service".into(),
                    value: "http".into(),
                    at: at(protocol.span),
                    options: "https".into(),
                    help: Some("payment traffic is served over TLS only; add `http = redirect` to also answer port 80 with a redirect".into()),
                    fix: replace(protocol.span, "https"),
                });
                false
            }
            _ => {
                let text = super::values::value_text(&Value {
                    terms: vec![protocol.clone()],
                    span: protocol.span,
                });
                self.unknown_word(&text, protocol.span, "protocol", &["https"]);
                false
            }
        };
        let placement = self.placement_of(&Value {
            terms: vec![placement.clone()],
            span: placement.span,
        });
        let certificate = match &certificate.kind {
            TermKind::Path(p) => match p.as_slice() {
                [name] => {
                    let decls = self.decls;
                    decls
                        .resolve(name, &[Kind::Certificate], &mut self.errors)
                        .and_then(|d| decls.id(&d.name.text))
                }
                _ => {
                    self.certificate_mismatch(certificate);
                    None
                }
            },
            _ => {
                self.certificate_mismatch(certificate);
                None
            }
        };
        let placement = placement?;
        if !protocol_ok {
            return None;
        }
        if placement.tier != Tier::Public {
            self.error(CheckError::TypeMismatch {
                expected: "a public tier for the load balancer".into(),
                found: "a private tier".into(),
                at: at(value.span),
                help: Some(format!(
                    "an internet-facing load balancer sits in public subnets: `via {}.public`",
                    placement.network
                )),
            });
            return None;
        }
        Some(Exposed::Own(placement, certificate?))
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
    Own(Placement, model::Id<model::Certificate>),
    Route(model::Id<model::Service>, String),
}
