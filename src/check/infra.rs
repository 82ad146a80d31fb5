//! The `service` block: instances of a catalogued EC2 type running the latest Amazon Linux of
//! their architecture (or a named AMI), scaled within a range, behind a load balancer of their
//! own (internet-facing in public subnets, or internal in private subnets) or a path on
//! another's (`check::exposure`), reading the databases they name.

mod diagnostics;
pub(crate) use diagnostics::{
    BadCapacity, BadImage, ClassNotOnAurora, HttpWithoutLoadBalancer, UnknownInstanceType,
    UnusedServiceSetting, WafWithoutLoadBalancer,
};

use super::context::Ctx;
use super::error::replace;
use super::names::Kind;
use crate::aws::instances;
use crate::check::context::MissingAttribute;
use crate::check::mismatch::TypeMismatch;
use crate::check::names::UnknownMember;
use crate::diag::{at, did_you_mean};
use crate::model::{self, Arch, Exposure, Facing, HttpMode, Image, Listener, Route, Service};
use crate::syntax::ast::{Block, Ident, TermKind, Value};

use crate::registry::service::{
    self as key, ALLOW, BOOT, CAPACITY, EXPOSED, HEALTH, HTTP, IMAGE, IN, INSTANCE, PORT, READS,
    WAF,
};

use super::exposure::Exposed;

impl<'a> Ctx<'a> {
    /// A dotted instance type checked against the catalogue (`t3.2xlarge`, `db.r6g.large`),
    /// or one of `extra` (`db.serverless`).
    pub(crate) fn instance_type(
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
            self.error(ClassNotOnAurora {
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
        self.error(UnknownInstanceType {
            what: what.to_string(),
            value: text,
            at: at(term.span),
            help: suggestion.map(|s| format!("did you mean `{s}`?")),
            fix: suggestion.and_then(|s| replace(term.span, s)),
        });
        None
    }

    /// One database a service names in `reads`: `ledger` (reads and writes) or `ledger.reader`
    /// (only reads); `true` when it only reads.
    fn database_use(&mut self, item: &'a Value) -> Option<(model::Id<model::Database>, bool)> {
        if let Some(TermKind::Path(path)) = item.single().map(|t| &t.kind)
            && let [db, member] = path.as_slice()
        {
            let decls = self.decls;
            let db = decls.resolve(db, &[Kind::Database], &mut self.errors)?;
            if member.text != "reader" {
                let help = match member.text.as_str() {
                    "reader_endpoint" | "readers" | "replica" | "read_only" | "readonly" => {
                        format!(
                            "for a service that only reads, name `{0}.reader`: it then reads Aurora's reader endpoint; `{0}` alone reads and writes",
                            db.name.text
                        )
                    }
                    _ => format!(
                        "write `{0}` to read and write it, or `{0}.reader` to only read it",
                        db.name.text
                    ),
                };
                let fix = matches!(
                    member.text.as_str(),
                    "reader_endpoint" | "readers" | "replica"
                )
                .then(|| replace(member.span, "reader"))
                .flatten();
                self.error(UnknownMember {
                    name: member.text.clone(),
                    owner: format!("database `{}` (in `reads`)", db.name.text),
                    at: at(member.span),
                    options: "reader".into(),
                    help: Some(help),
                    fix,
                });
                return None;
            }
            return Some((self.decls.id(&db.name.text)?, true));
        }
        let db = self.reference(item, &[Kind::Database], "a database")?;
        Some((self.decls.id(&db.text)?, false))
    }

    pub(crate) fn service(&mut self, name: &'a Ident, block: &'a Block) -> Option<Service> {
        let attrs = self.attrs::<key::Of>(name, block);
        let instance_type = attrs
            .get(&INSTANCE)
            .and_then(|v| self.instance_type(v, "EC2 instance type", instances::EC2, &[]));
        let image = match attrs.get(&IMAGE) {
            Some(v) => self.ami(v).map(Image::Ami),
            // The architecture follows the family: Graviton boots an arm64 image.
            None => Some(Image::AmazonLinux(
                instance_type
                    .as_deref()
                    .and_then(|t| instances::find(instances::EC2, t))
                    .map_or(Arch::X86_64, |f| f.arch),
            )),
        };
        let boot = match attrs.get(&BOOT) {
            Some(v) => self.boot(&name.text, v).map(Some),
            None => Some(None),
        };
        let capacity = attrs.get(&CAPACITY).and_then(|v| self.capacity(v));
        let placement = attrs.get(&IN).and_then(|v| self.placement(v));
        let port = attrs.get(&PORT).and_then(|v| self.port(v));
        let health_path = match (attrs.get(&HEALTH), HEALTH.default_text()) {
            (Some(v), _) => self.health_path(v),
            (None, default) => default.map(str::to_string),
        };
        // Every attribute is read before any error ends the block: a bad `exposed` must not
        // hide a misspelt `reads`.
        let exposed = match attrs.get(&EXPOSED) {
            Some(v) => self.exposure(v, name).map(Some),
            None => Some(None),
        };
        let own = match &exposed {
            Some(Some(Exposed::Own(_, facing, listener))) => Some((*facing, listener.clone())),
            _ => None,
        };
        let http = match (attrs.get(&HTTP), &own) {
            (Some(v), Some((_, Listener::Http))) => self.http_on_plain(v, name),
            (Some(v), _) => self.http_mode(v, name),
            (None, _) => HTTP.default_word().and_then(super::exposure::http_mode_of),
        };
        // `None`: not written; `Some(None)`: `on`; `Some(Some(reason))`: off, with the reason.
        let waf = match (attrs.get(&WAF), &own) {
            (Some(v), Some((Facing::Internal, _))) => self.waf_internal(v, name),
            (Some(v), _) => self.waf(v).map(|off| Some((off, v.span))),
            (None, _) => Some(None),
        };
        // A reference that does not resolve is reported and left out.
        let mut reads = Vec::new();
        let mut read_only = Vec::new();
        if let Some(v) = attrs.get(&READS) {
            let items: Vec<&'a Value> = match v.single().map(|t| &t.kind) {
                Some(TermKind::List(items)) => items.iter().collect(),
                _ => vec![v],
            };
            for item in items {
                if let Some((id, only)) = self.database_use(item) {
                    if only {
                        read_only.push(id.clone());
                    }
                    reads.push(id);
                }
            }
        }
        let allow = match attrs.get(&ALLOW) {
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
        let port = match (attrs.get(&PORT), reached) {
            (Some(_), true) => Some(Some(port?)),
            (None, true) => {
                self.error(MissingAttribute {
                    name: PORT.name().into(),
                    block: format!("service `{}`", name.text),
                    at: at(name.span.to(block.header_span)),
                    example: PORT.attr.example.into(),
                });
                None
            }
            (_, false) => {
                for (key, what) in [(&PORT, "port"), (&HEALTH, "health check")] {
                    if let Some(v) = attrs.get(key) {
                        self.error(UnusedServiceSetting {
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
            self.error(WafWithoutLoadBalancer {
                service: name.text.clone(),
                at: at(span),
            });
            return None;
        }
        // `http = off`, the default, says what such a service has (no port 80 listener): only
        // `redirect` and `forward` would claim a listener that is not built.
        if let Some(v) = attrs.get(&HTTP)
            && !matches!(http, HttpMode::Off)
            && !matches!(exposed, Some(Exposed::Own(..)))
        {
            self.error(HttpWithoutLoadBalancer {
                service: name.text.clone(),
                at: at(v.span),
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
            read_only,
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
        self.error(BadImage {
            value: id,
            at: at(value.span),
            help: Some("write the id of an AMI in the stack's region, as `aws ec2 describe-images` prints it (`ami-` and 17 lowercase hex digits), or leave `image` out to boot the latest Amazon Linux 2023 for the instance's architecture".into()),
        });
        None
    }

    fn capacity(&mut self, value: &'a Value) -> Option<(u16, u16)> {
        let (low, high, span) = self.range(value, "capacity")?;
        let (least, most) = CAPACITY.bounds();
        let problem = if low < least {
            Some((
                format!("capacity must be at least {least} instance"),
                "a service with 0 instances serves nothing".to_string(),
                Some(format!("write `{least}..{high}`")),
            ))
        } else if low > high {
            Some((
                format!("capacity {low}..{high} has its minimum above its maximum"),
                "minimum above maximum".to_string(),
                Some(format!("write `{high}..{low}`")),
            ))
        } else if high > most {
            Some((
                format!(
                    "capacity {low}..{high} is above the {most} instances pmigc allows per group"
                ),
                "too large".to_string(),
                None,
            ))
        } else {
            None
        };
        if let Some((problem, label, help)) = problem {
            self.error(BadCapacity {
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
                self.error(BadCapacity {
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
            self.error(TypeMismatch {
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
}
