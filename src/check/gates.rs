//! A gate's conditions on the cutover's own service: `api.errors < 10 per minute` (5XX
//! responses at its load balancer, per minute) and `api.latency < 500ms` (the average target
//! response time). What Route 53 cannot be bound to — an error *rate* (a metric-math ratio of
//! two metrics) and a latency percentile (an extended statistic) — gets one diagnostic naming
//! AWS's reason and the form it accepts (PMG0841). `lower::service_gate` compiles them.

mod diagnostics;
pub(crate) use diagnostics::{BadServiceGate, GateOnOtherService, UnsupportedGateMetric};

use super::context::Ctx;
use super::error::replace;
use super::names::Kind;
use crate::check::names::UnknownMember;
use crate::check::values::CountOutOfRange;
use crate::diag::{at, did_you_mean};
use crate::model::{ServiceCondition, ServiceMetric};
use crate::syntax::ast::{Ident, Span, Term, TermKind};

/// The largest count or millisecond threshold a service gate takes: CloudWatch keeps an alarm's
/// threshold as a `Double` (`PutMetricAlarm`,
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
/// exact for whole numbers up to 2^53; past it the alarm would compare another number.
pub(crate) const MAX_GATE_THRESHOLD: u64 = 1 << 53;

/// The members a service has in a gate.
const MEMBERS: [&str; 2] = ["errors", "latency"];

const HELP: &str = "write `SERVICE.errors < 10 per minute` (5XX responses at its load balancer) or `SERVICE.latency < 500ms` (the average response time), joined to the lag conditions by `and`";

// The pages are cited in `docs/diagnostics.md` (`pmigc explain PMG0841`): a URL in a message
// would be cut by the renderer's limit on one word.
const PERCENTILE_REASON: &str = "a Route 53 health check is bound to a CloudWatch alarm whose statistic is Average, Minimum, Maximum, Sum or SampleCount: \"Extended statistics aren't supported\" (Route 53 API Reference, AlarmIdentifier), and a percentile is one";

const RATE_REASON: &str = "a Route 53 health check is bound to an alarm on one metric (its CloudWatchAlarmConfiguration names one MetricName, Namespace and Statistic: Route 53 API Reference), and an error rate is a ratio of two (5XX ÷ RequestCount, a metric-math alarm)";

/// Whether `member` names a percentile: `p99`, `p50`, `p999`.
fn is_percentile(member: &str) -> bool {
    member
        .strip_prefix('p')
        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

impl<'a> Ctx<'a> {
    /// Whether a gate condition is about a service (its first word names one): then it is read
    /// by `service_condition`, not as a lag.
    pub(crate) fn names_service(&self, terms: &[Term]) -> bool {
        let Some(TermKind::Path(path)) = terms.first().map(|t| &t.kind) else {
            return false;
        };
        path.first()
            .and_then(|first| self.decls.get(&first.text))
            .is_some_and(|d| d.kind == Kind::Service)
    }

    /// `SERVICE.errors < N per minute` or `SERVICE.latency < DURATION`; `aws` is the cutover's
    /// own service, the only one whose load balancer carries the record's traffic.
    pub(crate) fn service_condition(
        &mut self,
        terms: &'a [Term],
        span: Span,
        aws: Option<(&str, Span)>,
    ) -> Option<ServiceCondition> {
        let (first, rest) = terms.split_first()?;
        let TermKind::Path(path) = &first.kind else {
            return None;
        };
        let (service, members) = path.split_first()?;
        let decls = self.decls;
        let decl = decls.resolve(service, &[Kind::Service], &mut self.errors)?;
        let Some(member) = members.first() else {
            self.bad(first.span, "expected `SERVICE.errors` or `SERVICE.latency`");
            return None;
        };
        let extra = members.get(1);
        let whole = first.span;
        let metric = match (member.text.as_str(), extra) {
            ("latency", Some(p)) if is_percentile(&p.text) && members.len() == 2 => {
                let supported = format!("{}.latency", service.text);
                self.error(UnsupportedGateMetric {
                    what: format!("a latency percentile (`{}`)", p.text),
                    at: at(whole),
                    reason: "a percentile is an extended statistic".into(),
                    help: Some(format!(
                        "{PERCENTILE_REASON}; gate on the average response time instead, `{supported} < 500ms` (an average runs lower than a p99: pick its threshold from the service's dashboard)"
                    )),
                    fix: replace(whole, supported),
                });
                return None;
            }
            (m, None) if is_percentile(m) => {
                self.unsupported_percentile(service, m, whole);
                return None;
            }
            ("error_rate" | "errors_rate" | "error_ratio", None) => {
                self.unsupported_rate(service, whole);
                return None;
            }
            ("errors", None) => self.errors(rest, span, service)?,
            ("latency", None) => self.latency(rest, span)?,
            (m, _) if MEMBERS.contains(&m) => {
                self.bad(whole, &format!("expected `{}.{m}`", service.text));
                return None;
            }
            (m, _) => {
                let suggestion = did_you_mean(m, MEMBERS);
                self.error(UnknownMember {
                    name: m.to_string(),
                    owner: "a service gate".into(),
                    at: at(member.span),
                    options: MEMBERS.join(", "),
                    help: Some(match suggestion {
                        Some(s) => format!("did you mean `{s}`? {HELP}"),
                        None => HELP.into(),
                    }),
                    fix: suggestion.and_then(|s| replace(member.span, s)),
                });
                return None;
            }
        };
        if let Some((aws, aws_span)) = aws
            && aws != service.text
        {
            self.error(GateOnOtherService {
                service: service.text.clone(),
                aws: aws.to_string(),
                at: at(service.span),
                aws_at: at(aws_span),
                help: Some(format!(
                    "the cutover's record sends its traffic to `{aws}`'s load balancer alone: gate on what clients of the record get, `{aws}.{}`",
                    metric.describe()
                )),
                fix: replace(service.span, aws),
            });
            return None;
        }
        Some(ServiceCondition {
            service: self.decls.id(&decl.name.text)?,
            metric,
        })
    }

    fn bad(&mut self, span: Span, problem: &str) {
        self.error(BadServiceGate {
            at: at(span),
            problem: problem.into(),
            help: Some(HELP.into()),
        });
    }

    fn unsupported_percentile(&mut self, service: &Ident, member: &str, span: Span) {
        self.error(UnsupportedGateMetric {
            what: format!("a percentile (`{member}`)"),
            at: at(span),
            reason: "a percentile is an extended statistic".into(),
            help: Some(format!(
                "{PERCENTILE_REASON}; gate on the average response time instead: `{}.latency < 500ms`",
                service.text
            )),
            fix: None,
        });
    }

    fn unsupported_rate(&mut self, service: &Ident, span: Span) {
        self.error(UnsupportedGateMetric {
            what: "an error rate".into(),
            at: at(span),
            reason: "a rate is a ratio of two metrics".into(),
            help: Some(format!(
                "{RATE_REASON}; gate on the count of errors instead: `{}.errors < 10 per minute` (1% of 1000 requests a minute)",
                service.text
            )),
            fix: None,
        });
    }

    /// `< N per minute` after `SERVICE.errors`.
    fn errors(&mut self, rest: &'a [Term], span: Span, service: &Ident) -> Option<ServiceMetric> {
        let [operator, number, rest @ ..] = rest else {
            self.bad(span, "expected `SERVICE.errors < N per minute`");
            return None;
        };
        self.below(operator)?;
        if let TermKind::Quantity { unit: Some(u), .. } = &number.kind
            && u.text == "%"
        {
            self.unsupported_rate(service, span);
            return None;
        }
        let per_minute = matches!(
            rest,
            [per, minute] if word_is(per, "per") && word_is(minute, "minute")
        );
        let (
            TermKind::Quantity {
                number: n,
                unit: None,
            },
            true,
        ) = (&number.kind, per_minute)
        else {
            self.bad(
                number.span.to(rest.last().map_or(number.span, |t| t.span)),
                "expected a count of errors per minute, like `10 per minute`",
            );
            return None;
        };
        let per_minute = self.gate_threshold(n, number.span, "errors per minute")?;
        Some(ServiceMetric::Errors { per_minute })
    }

    /// `< DURATION` after `SERVICE.latency`, in whole milliseconds.
    fn latency(&mut self, rest: &'a [Term], span: Span) -> Option<ServiceMetric> {
        let [operator, threshold] = rest else {
            self.bad(span, "expected `SERVICE.latency < DURATION`");
            return None;
        };
        self.below(operator)?;
        let factor = match &threshold.kind {
            TermKind::Quantity { unit: Some(u), .. } => match u.text.as_str() {
                "ms" | "milliseconds" => Some(1),
                "s" | "second" | "seconds" => Some(1000),
                _ => None,
            },
            _ => None,
        };
        let (TermKind::Quantity { number, .. }, Some(factor)) = (&threshold.kind, factor) else {
            self.bad(
                threshold.span,
                "expected a response time like `500ms` or `2s`",
            );
            return None;
        };
        let millis = number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(factor))
            .map_or_else(|| number.clone(), |m| m.to_string());
        let millis =
            self.gate_threshold(&millis, threshold.span, "a gate's latency in milliseconds")?;
        Some(ServiceMetric::Latency { millis })
    }

    /// The operator: a service gate holds while its metric is below the threshold.
    fn below(&mut self, operator: &Term) -> Option<()> {
        match &operator.kind {
            TermKind::Operator(op) if op == "<" => Some(()),
            _ => {
                self.error(BadServiceGate {
                    at: at(operator.span),
                    problem: "a gate holds while the service is below a threshold: expected `<`"
                        .into(),
                    help: Some(HELP.into()),
                });
                None
            }
        }
    }

    /// A threshold from 1 to `MAX_GATE_THRESHOLD`: below 1 the gate can never hold.
    fn gate_threshold(&mut self, number: &str, span: Span, what: &str) -> Option<u64> {
        match number.parse::<u64>() {
            Ok(n) if (1..=MAX_GATE_THRESHOLD).contains(&n) => Some(n),
            _ => {
                self.error(CountOutOfRange {
                    what: what.into(),
                    value: number.into(),
                    min: 1,
                    max: MAX_GATE_THRESHOLD,
                    at: at(span),
                    help: Some(
                        "a gate holds while the service is below its threshold: below 1 it never holds, and CloudWatch keeps a threshold as a Double, exact up to 2^53; write a whole number like `10 per minute` or `500ms`"
                            .into(),
                    ),
                });
                None
            }
        }
    }
}

fn word_is(term: &Term, text: &str) -> bool {
    matches!(&term.kind, TermKind::Path(p) if matches!(p.as_slice(), [one] if one.text == text))
}

/// Two conditions of one gate on the same metric of a service.
pub(crate) fn repeats(a: &ServiceCondition, b: &ServiceCondition) -> bool {
    a.service == b.service && std::mem::discriminant(&a.metric) == std::mem::discriminant(&b.metric)
}
