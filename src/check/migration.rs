//! The migration blocks: `replication` (DMS from on-premises into a database of the stack) and
//! `cutover` (weighted DNS between the data centre and AWS, moved through declared phases,
//! guarded by a gate on replication lag), with the rules that make a cutover safe.

mod diagnostics;
pub(crate) use diagnostics::{
    BadGate, CutoverAtApex, GateRepeatsReplication, PhasesEnds, PhasesNotIncreasing, SourceVersion,
    UnknownWorkspace,
};

use super::context::Ctx;
use super::error::replace;
use super::mismatch::value_text;
use super::names::Kind;
use crate::check::database::UnknownEngine;
use crate::check::dns::BadDnsName;
use crate::check::gates::BadServiceGate;
use crate::check::mismatch::TypeMismatch;
use crate::check::names::UnknownMember;
use crate::check::values::CountOutOfRange;
use crate::diag::{at, did_you_mean};
use crate::engine::{self, SourceProfile};
use crate::model::{self, Cutover, Gate, MigrationMode, Percent, Replication, ReplicationSource};
use crate::syntax::ast::{Block, Ident, Span, Term, TermKind, Value};

use crate::registry::{cutover, replication};

/// Facts about a replication the cutover rules need: where its lag budget was written.
pub(crate) struct ReplicationFacts {
    pub max_lag_span: Span,
    /// The source engine's word (`postgresql`), where a cross-family migration is reported.
    pub engine_span: Span,
    /// The value of `mode = …`, when written.
    pub mode_span: Option<Span>,
    /// Where `include`/`exclude` were written.
    pub tables: super::tables::TableSpans,
}

/// Spans the cross-block migration rules point at.
pub(crate) struct CutoverFacts {
    pub weight_span: Span,
    pub phases_span: Span,
    pub rollback_span: Span,
    pub gate_span: Option<Span>,
    pub aws_span: Span,
    /// The block's header (`cutover payments`), for what the block lacks.
    pub header_span: Span,
    /// The value of `weight = …` as the cutover writes it.
    pub weight_attr_span: Span,
}

/// The longest lag pmigc takes, in seconds: DMS reports a task's change-data-capture latency
/// as an `Integer` (32 bits, `DataMigrationStatistics.CDCLatency`), so no larger lag is ever
/// measured; CloudWatch compares the lag alarms' thresholds as a `Double` (`PutMetricAlarm`,
/// `Threshold`), exact for every whole number up to this bound.
/// https://docs.aws.amazon.com/dms/latest/APIReference/API_DataMigrationStatistics.html
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
pub(crate) const MAX_LAG_SECONDS: u64 = 2_147_483_647;

/// A checked `from`: the engine (and where its word is), host, port and VPN.
type Source = (
    (engine::Source, Span),
    Option<&'static engine::SourceVersion>,
    String,
    model::Port,
    model::Id<model::Vpn>,
);

fn word(term: &Term) -> Option<&str> {
    match &term.kind {
        TermKind::Path(p) => match p.as_slice() {
            [one] => Some(one.text.as_str()),
            _ => None,
        },
        _ => None,
    }
}

impl<'a> Ctx<'a> {
    pub(crate) fn replication(
        &mut self,
        name: &'a Ident,
        block: &'a Block,
    ) -> Option<(Replication, ReplicationFacts)> {
        let attrs = self.attrs::<replication::Of>(name, block);
        let from = attrs.get(&replication::FROM).and_then(|v| self.source(v));
        let username = attrs
            .get(&replication::USERNAME)
            .and_then(|v| self.string(v, "a user name"));
        let password = attrs
            .get(&replication::PASSWORD)
            .and_then(|v| self.secret_ref(v, "the source database password"));
        let target = attrs
            .get(&replication::TO)
            .and_then(|v| self.reference(v, &[Kind::Database], "a database"));
        let instance_class = attrs.get(&replication::INSTANCE).and_then(|v| {
            self.instance_type(v, "DMS instance class", crate::aws::instances::DMS, &[])
        });
        let mode_span = attrs.get(&replication::MODE).map(|v| v.span);
        let mode = self.word_or_default(&attrs, &replication::MODE, "replication mode");
        let max_lag = attrs
            .get(&replication::MAX_LAG)
            .and_then(|v| self.duration(v))
            .and_then(|(lag, span)| self.measurable_lag(lag, span, "a lag budget"));
        let family = from
            .as_ref()
            .map(|((engine, _), ..)| engine.profile().family);
        let tables = self.table_selection(
            name,
            family,
            attrs.get(&replication::INCLUDE),
            attrs.get(&replication::EXCLUDE),
        );
        let ((engine, engine_span), version, host, port, vpn) = from?;
        let target = self.decls.id(&target?.text)?;
        let (max_lag, max_lag_span) = max_lag?;
        let (tables, table_spans) = tables?;
        Some((
            Replication {
                name: model::Name::checked(name.text.clone()),
                source: ReplicationSource {
                    engine,
                    version,
                    host,
                    port,
                    vpn,
                    username: username?,
                    password: password?,
                },
                target,
                instance_class: instance_class?,
                mode: match mode? {
                    "full_load" => MigrationMode::FullLoad,
                    "cdc" => MigrationMode::Cdc,
                    _ => MigrationMode::FullLoadAndCdc,
                },
                max_lag,
                tables,
                origin: self.origin(block.header_span),
            },
            ReplicationFacts {
                max_lag_span,
                engine_span,
                mode_span,
                tables: table_spans,
            },
        ))
    }

    /// A lag DMS can report: at most `MAX_LAG_SECONDS` (PMG0403). A larger one would be a
    /// gate that never closes, and past `i64` an alarm whose threshold is another number than
    /// its name says.
    fn measurable_lag(
        &mut self,
        lag: model::Seconds,
        span: Span,
        what: &str,
    ) -> Option<(model::Seconds, Span)> {
        if lag.0 <= MAX_LAG_SECONDS {
            return Some((lag, span));
        }
        self.error(CountOutOfRange {
            what: format!("{what} in seconds"),
            value: format!("{}s", lag.0),
            min: 1,
            max: MAX_LAG_SECONDS,
            at: at(span),
            help: Some(format!(
                "DMS reports a task's change-data-capture latency in whole seconds as a 32-bit integer, so no lag above {MAX_LAG_SECONDS}s (68 years) is ever measured: a gate on it would never close; write the lag you can accept, like `5s`"
            )),
        });
        None
    }

    /// `mysql "db.corp.example.com":3306 via onprem`, with the source's version after the
    /// engine if the stack knows it: `mysql "5.7" "db.corp.example.com":3306 via onprem`.
    fn source(&mut self, value: &'a Value) -> Option<Source> {
        let shape = "a source like `mysql \"db.corp.example.com\":3306 via onprem`";
        if value.has_invalid() {
            return None;
        }
        let terms = value.terms.as_slice();
        let (engine, version, address, via, vpn) = match terms {
            [engine, address, via, vpn] => (engine, None, address, via, vpn),
            [engine, version, address, via, vpn] if matches!(version.kind, TermKind::String(_)) => {
                (engine, Some(version), address, via, vpn)
            }
            _ => {
                self.source_shape(value, shape);
                return None;
            }
        };
        let engine_name = word(engine).unwrap_or("");
        let source = match SourceProfile::by_keyword(engine_name) {
            Some(profile) => profile,
            None => {
                let options: Vec<&str> = engine::SOURCES.iter().map(|p| p.keyword).collect();
                let text = value_text(&Value {
                    terms: vec![engine.clone()],
                    span: engine.span,
                });
                let suggestion = did_you_mean(&text, options.iter().copied());
                // Never a fix that moves the source to another engine family.
                let same_family = suggestion
                    .and_then(SourceProfile::by_keyword)
                    .is_some_and(|p| engine::Family::hinted_by(&text) == Some(p.family));
                self.error(UnknownEngine {
                    what: "source engine".into(),
                    value: text,
                    at: at(engine.span),
                    options: options.join(", "),
                    help: suggestion.map(|s| format!("did you mean `{s}`?")),
                    fix: suggestion
                        .filter(|_| same_family)
                        .and_then(|s| replace(engine.span, s)),
                });
                return None;
            }
        };
        let TermKind::HostPort { host, port } = &address.kind else {
            let help = match &address.kind {
                TermKind::String(h) => {
                    Some(format!("add the port: `\"{h}\":{}`", source.default_port))
                }
                _ => None,
            };
            self.error(TypeMismatch {
                expected: "a host and port like `\"db.corp.example.com\":3306`".into(),
                found: address.kind.describe().into(),
                at: at(address.span),
                help,
            });
            return None;
        };
        let port = self.port_number(port, address.span);
        if word(via) != Some("via") {
            self.mismatch(value, shape, None);
            return None;
        }
        let TermKind::Path(path) = &vpn.kind else {
            self.mismatch(value, shape, None);
            return None;
        };
        let [vpn_name] = path.as_slice() else {
            self.mismatch(value, shape, None);
            return None;
        };
        let version = match version {
            Some(term) => Some(self.source_version(source, term)?),
            None => None,
        };
        let decls = self.decls;
        let vpn = decls.resolve(vpn_name, &[Kind::Vpn], &mut self.errors)?;
        let host = self.fill(host, address.span.start + 1)?;
        if let Some((problem, help)) = super::dns::host_problem(&host) {
            self.error(BadDnsName {
                name: host,
                problem,
                at: at(address.span),
                what: "the host DMS connects to: a host name or an IPv4 address".into(),
                help: Some(help),
            });
            return None;
        }
        Some((
            (source.source, engine.span),
            version,
            host,
            port?,
            decls.id(&vpn.name.text)?,
        ))
    }

    pub(crate) fn cutover(
        &mut self,
        name: &'a Ident,
        block: &'a Block,
    ) -> Option<(Cutover, CutoverFacts)> {
        let attrs = self.attrs::<cutover::Of>(name, block);
        let record = attrs.get(&cutover::RECORD).and_then(|v| self.record(v));
        let legacy = attrs
            .get(&cutover::LEGACY)
            .and_then(|v| self.string(v, "the legacy host name"));
        let aws_value = attrs.get(&cutover::AWS);
        let service = aws_value.and_then(|v| self.reference(v, &[Kind::Service], "a service"));
        let weight_value = attrs.get(&cutover::WEIGHT);
        let weight = weight_value.and_then(|v| self.weight(v));
        let phases_value = attrs.get(&cutover::PHASES);
        let phases = phases_value.and_then(|v| self.phases(v));
        let gate_value = attrs.get(&cutover::GATE);
        // Every attribute is read before any error ends the block: a bad gate must not hide a
        // bad rollback.
        let aws = service
            .zip(aws_value)
            .map(|(s, v)| (s.text.as_str(), v.span));
        let gate = gate_value.map(|v| self.gate(v, aws));
        let rollback_value = attrs.get(&cutover::ROLLBACK);
        let rollback = rollback_value.and_then(|v| self.percent(v)).map(|(p, _)| p);
        let ttl = match attrs.get(&cutover::TTL) {
            Some(v) => self.ttl(v),
            None => cutover::TTL
                .default_number()
                .and_then(|d| u32::try_from(d).ok()),
        };
        let owner_value = attrs.get(&cutover::OWNER);
        let owner = match owner_value {
            Some(v) => self.owners(v).map(Some),
            None => Some(None),
        };
        let gate = match gate {
            Some(gate) => Some(gate?),
            None => None,
        };
        let (record, zone) = record?;
        let (weight, weight_input, weight_span) = weight?;
        let (phases, _) = phases?;
        Some((
            Cutover {
                name: model::Name::checked(name.text.clone()),
                record,
                zone,
                legacy_host: legacy?,
                service: self.decls.id(&service?.text)?,
                weight_input,
                weight,
                phases,
                gate,
                rollback: rollback?,
                ttl: ttl?,
                owner: owner?,
                origin: self.origin(block.header_span),
            },
            CutoverFacts {
                weight_span,
                phases_span: phases_value.map(|v| v.span).unwrap_or_default(),
                rollback_span: rollback_value.map(|v| v.span).unwrap_or_default(),
                gate_span: gate_value.map(|v| v.span),
                aws_span: aws_value.map(|v| v.span).unwrap_or_default(),
                header_span: block.header_span,
                weight_attr_span: weight_value.map(|v| v.span).unwrap_or_default(),
            },
        ))
    }

    /// A workspace named by a block (`owner = aws-production`): one word naming a declared
    /// workspace. `role` says what the workspace does, for the label.
    pub(crate) fn workspace_ref(&mut self, value: &'a Value, role: &str) -> Option<model::Name> {
        let term = self.single(value, "a workspace's name")?;
        let Some(text) = word(term) else {
            self.mismatch(value, "a workspace's name like `aws-production`", None);
            return None;
        };
        let names: Vec<&str> = self
            .decls
            .workspaces
            .iter()
            .map(|(n, _)| n.text.as_str())
            .collect();
        if names.contains(&text) {
            return Some(model::Name::checked(text.to_string()));
        }
        let suggestion = did_you_mean(text, names.iter().copied());
        self.error(UnknownWorkspace {
            name: text.to_string(),
            at: at(term.span),
            label: format!("the workspace that {role}"),
            help: Some(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None if names.is_empty() => "declare the workspace: `workspace NAME { … }`".into(),
                None => format!("the workspaces are {}", names.join(", ")),
            }),
            fix: suggestion.and_then(|s| replace(term.span, s)),
        });
        None
    }

    /// The record's TTL in seconds: Route 53 takes 0 to 2147483647.
    fn ttl(&mut self, value: &'a Value) -> Option<u32> {
        const MAX_TTL: u32 = 2_147_483_647;
        let (seconds, span) = self.duration(value)?;
        match u32::try_from(seconds.0) {
            Ok(ttl) if ttl <= MAX_TTL => Some(ttl),
            _ => {
                self.error(CountOutOfRange {
                    what: "a record's TTL in seconds".into(),
                    value: value_text(value),
                    min: 0,
                    max: u64::from(MAX_TTL),
                    at: at(span),
                    help: Some("Route 53 keeps a TTL of at most 2147483647 seconds; a cutover wants a short one, such as `60s`, so that a phase takes effect within a minute".into()),
                });
                None
            }
        }
    }

    /// A source of the wrong shape: the words missing, or the extra word named.
    fn source_shape(&mut self, value: &'a Value, shape: &str) {
        let terms = value.terms.as_slice();
        let address = terms
            .iter()
            .position(|t| matches!(t.kind, TermKind::HostPort { .. }));
        let is_string = |t: &Term| matches!(t.kind, TermKind::String(_));
        // `ENGINE ["VERSION"] ADDRESS via VPN`: between the engine and the address one version
        // string at most, and after the address two words.
        let extra = address.and_then(|i| {
            let skip = usize::from(terms.get(1).is_some_and(is_string));
            let between = terms.get(1 + skip..i).and_then(|t| t.first());
            between.or_else(|| terms.get(i + 3))
        });
        if let Some(extra) = extra {
            let text = value_text(&Value {
                terms: vec![extra.clone()],
                span: extra.span,
            });
            self.error(TypeMismatch {
                expected: shape.to_string(),
                found: format!("an extra word `{text}`"),
                at: at(extra.span),
                help: Some("a source is the engine, its version if you give it (`mysql \"5.7\"`), the host and port, and `via` the VPN that reaches it: remove the extra word".into()),
            });
            return;
        }
        let help = match address {
            Some(i) if terms.len() == i + 1 => {
                Some("say which VPN reaches it: add `via VPN_NAME`".to_string())
            }
            None if terms.iter().skip(1).any(is_string) => {
                Some("add the port after the host: `\"db.corp.example.com\":3306`".to_string())
            }
            _ => None,
        };
        self.mismatch(value, shape, help);
    }

    /// The source's version, one DMS reads (PMG0832 otherwise).
    fn source_version(
        &mut self,
        source: &'static SourceProfile,
        term: &'a Term,
    ) -> Option<&'static engine::SourceVersion> {
        let written = self.term_string(term, "the source's version")?;
        if let Some(row) = source.version(&written) {
            return Some(row);
        }
        let offered: Vec<String> = source
            .versions
            .iter()
            .map(|v| format!("`\"{}\"`", v.written))
            .collect();
        self.error(SourceVersion {
            engine: source.keyword.into(),
            version: written,
            at: at(term.span),
            why: source.versions_note.into(),
            help: Some(format!(
                "write one of {} (a release such as `\"{}.1\"` is read as its major)",
                offered.join(", "),
                source.versions.first().map_or("", |v| v.written)
            )),
        });
        None
    }

    /// `"pay.example.com" in zone "example.com"`; the record and the zone may each be a string
    /// with `{input}` placeholders or an input of type `name` or `text`.
    fn record(&mut self, value: &'a Value) -> Option<(String, String)> {
        let shape = "a record like `\"pay.example.com\" in zone \"example.com\"`";
        let [record, in_word, zone_word, zone] = value.terms.as_slice() else {
            self.mismatch(value, shape, None);
            return None;
        };
        if word(in_word) != Some("in") || word(zone_word) != Some("zone") {
            self.mismatch(value, shape, None);
            return None;
        }
        let record_text = self.term_string(record, "the record's name");
        let zone_text = self.term_string(zone, "the hosted zone's name");
        let (record_text, zone_text) = (record_text?, zone_text?);
        // A cutover weights two CNAME records at its name; a CNAME cannot sit at the zone
        // apex, and an alias record there routes only to an AWS resource or to a record of the
        // same zone that is not a CNAME — never to the legacy host (Route 53 Developer Guide,
        // "Choosing between alias and non-alias records",
        // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html).
        if record_text.trim_end_matches('.') == zone_text.trim_end_matches('.') {
            self.error(CutoverAtApex {
                record: record_text,
                at: at(record.span),
                help: Some(format!("a cutover weights two CNAME records at its name, the legacy host's and the load balancer's, and Route 53 cannot hold a CNAME at the zone apex (an alias record can sit there, but routes to an AWS resource only, not to the legacy host): cut over a name inside the zone, such as `\"www.{zone_text}\" in zone \"{zone_text}\"`, and leave the apex out of the cutover (once everything runs on AWS, an alias record at the apex can route to the load balancer)")),
            });
            return None;
        }
        if !record_text.ends_with(&format!(".{zone_text}")) {
            self.error(TypeMismatch {
                expected: format!("a name inside the zone `{zone_text}`"),
                found: format!("`{record_text}`"),
                at: at(record.span),
                help: Some(format!(
                    "a hosted zone holds its own name and the names below it: write a name ending in `.{zone_text}`, or the zone that holds `{record_text}`"
                )),
            });
            return None;
        }
        Some((record_text, zone_text))
    }

    /// The cutover weight: a `percent` input, so that each workspace can set it.
    fn weight(&mut self, value: &'a Value) -> Option<(Percent, model::Name, Span)> {
        let (resolved, _) = self.follow(value)?;
        let (percent, input) = self.percent(value)?;
        let Some(input) = input else {
            self.error(TypeMismatch {
                expected: "an input of type percent".into(),
                found: "a fixed percentage".into(),
                at: at(value.span),
                help: Some("declare `input traffic_weight: percent = 0%` and write `weight = traffic_weight`, so each workspace can set its own weight".into()),
            });
            return None;
        };
        Some((
            percent,
            model::Name::checked(input.text.clone()),
            resolved.span,
        ))
    }

    fn phases(&mut self, value: &'a Value) -> Option<(Vec<Percent>, Vec<Span>)> {
        let items = self.list(value, "a list of percentages")?;
        let mut phases = Vec::new();
        let mut spans = Vec::new();
        let mut ok = true;
        for item in items {
            match self.percent(item) {
                Some((p, _)) => {
                    phases.push(p);
                    spans.push(item.span);
                }
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let mut increasing = true;
        for (i, pair) in phases.windows(2).enumerate() {
            if let ([previous, current], Some(prev_span), Some(span)) =
                (pair, spans.get(i), spans.get(i + 1))
                && current <= previous
            {
                increasing = false;
                self.error(PhasesNotIncreasing {
                    previous: format!("{}%", previous.get()),
                    current: format!("{}%", current.get()),
                    at: at(*span),
                    previous_at: at(*prev_span),
                });
            }
        }
        let (first, last) = (phases.first().copied(), phases.last().copied());
        let first_span = spans.first().copied().unwrap_or(value.span);
        let last_span = spans.last().copied().unwrap_or(value.span);
        if first.map(Percent::get) != Some(0) {
            self.error(PhasesEnds {
                problem: "start at 0% (all traffic still in the data centre)".into(),
                at: at(first_span),
                label: "the first phase".into(),
                help: Some("add `0%` at the start: it is where the cutover begins and where a rollback returns".into()),
            });
            increasing = false;
        }
        if last.map(Percent::get) != Some(100) {
            self.error(PhasesEnds {
                problem: "end at 100% (all traffic on AWS)".into(),
                at: at(last_span),
                label: "the last phase".into(),
                help: Some("add `100%` at the end: a migration that never reaches it keeps the data centre forever".into()),
            });
            increasing = false;
        }
        increasing.then_some((phases, spans))
    }

    /// `onprem_to_aws.lag < 5s`, or several such conditions joined by `and`
    /// (`orders.lag < 5s and catalog.lag < 30s`), at most one per replication.
    fn gate(&mut self, value: &'a Value, aws: Option<(&str, Span)>) -> Option<Gate> {
        let mut conditions: Vec<(model::LagCondition, Span)> = Vec::new();
        let mut service: Vec<(model::ServiceCondition, Span)> = Vec::new();
        let mut ok = true;
        let mut rest = value.terms.as_slice();
        loop {
            let (part, after) = match rest.iter().position(|t| word(t) == Some("and")) {
                Some(i) => (rest.get(..i).unwrap_or(&[]), rest.get(i + 1..)),
                None => (rest, None),
            };
            let span = match (part.first(), part.last()) {
                (Some(first), Some(last)) => first.span.to(last.span),
                _ => value.span,
            };
            if self.names_service(part) {
                match self.service_condition(part, span, aws) {
                    Some(condition) => {
                        if service
                            .iter()
                            .any(|(c, _)| super::gates::repeats(c, &condition))
                        {
                            self.error(BadServiceGate {
                                at: at(span),
                                problem: format!(
                                    "a second condition on `{}.{}`",
                                    condition.service,
                                    condition.metric.member()
                                ),
                                help: Some(
                                    "keep one condition per metric of the service: the tighter threshold is the one that holds".into(),
                                ),
                            });
                            ok = false;
                        } else {
                            service.push((condition, span));
                        }
                    }
                    None => ok = false,
                }
            } else {
                match self.condition(part, span) {
                    Some(condition) => {
                        let earlier = conditions
                            .iter()
                            .find(|(c, _)| c.replication == condition.replication)
                            .map(|(_, s)| *s);
                        if let Some(earlier) = earlier {
                            self.error(GateRepeatsReplication {
                                replication: condition.replication.to_string(),
                                at: at(span),
                                earlier: at(earlier),
                            });
                            ok = false;
                        } else {
                            conditions.push((condition, span));
                        }
                    }
                    None => ok = false,
                }
            }
            match after {
                Some(next) => rest = next,
                None => break,
            }
        }
        ok.then(|| Gate {
            conditions: conditions.into_iter().map(|(c, _)| c).collect(),
            service: service.into_iter().map(|(c, _)| c).collect(),
        })
    }

    /// One condition of a gate: `REPLICATION.lag < DURATION`.
    fn condition(&mut self, terms: &'a [Term], span: Span) -> Option<model::LagCondition> {
        let help = Some("write `REPLICATION.lag < 5s`, or several joined by `and`: traffic moves only while every replication's lag is under its threshold".to_string());
        let [metric, operator, threshold] = terms else {
            self.error(BadGate {
                at: at(span),
                problem: "expected `REPLICATION.lag < DURATION`".into(),
                help,
            });
            return None;
        };
        let TermKind::Path(path) = &metric.kind else {
            self.error(BadGate {
                at: at(metric.span),
                problem: "expected a replication's `lag`".into(),
                help,
            });
            return None;
        };
        let [replication, member] = path.as_slice() else {
            self.error(BadGate {
                at: at(metric.span),
                problem: "expected `REPLICATION.lag`".into(),
                help,
            });
            return None;
        };
        let decls = self.decls;
        let replication = decls.resolve(replication, &[Kind::Replication], &mut self.errors);
        if member.text != "lag" {
            let suggestion = did_you_mean(&member.text, ["lag"]);
            self.error(UnknownMember {
                name: member.text.clone(),
                owner: "a replication gate".into(),
                at: at(member.span),
                options: "lag".into(),
                help: suggestion.map(|s| format!("did you mean `{s}`?")),
                fix: suggestion.and_then(|s| replace(member.span, s)),
            });
            return None;
        }
        match &operator.kind {
            TermKind::Operator(op) if op == "<" || op == "<=" => {}
            _ => {
                self.error(BadGate {
                    at: at(operator.span),
                    problem: "a gate holds while lag is below a threshold: expected `<`".into(),
                    help,
                });
                return None;
            }
        }
        let threshold = match self.duration_term(&threshold.kind, threshold.span) {
            Some(t) => self
                .measurable_lag(t, threshold.span, "a gate's lag threshold")
                .map(|(t, _)| t)?,
            None => {
                if !matches!(threshold.kind, TermKind::Quantity { .. }) {
                    self.error(BadGate {
                        at: at(threshold.span),
                        problem: "expected a duration like `5s`".into(),
                        help,
                    });
                }
                return None;
            }
        };
        Some(model::LagCondition {
            replication: self.decls.id(&replication?.name.text)?,
            threshold,
        })
    }
}
