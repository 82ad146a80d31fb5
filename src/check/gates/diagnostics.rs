//! The diagnostics `check::gates` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("Route 53 cannot hold a cutover back on {what}")]
pub(crate) struct UnsupportedGateMetric {
    pub(crate) what: String,
    #[label("{reason}")]
    pub(crate) at: SourceSpan,
    pub(crate) reason: String,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for UnsupportedGateMetric {
    const TITLE: &str = "a gate on what Route 53 cannot watch";
    const EXPLANATION: &str = r#"A gate's conditions on the cutover's service compile to CloudWatch alarms, each bound to a
Route 53 health check; Route 53 accepts only alarms on one standard-resolution metric with the
statistic Average, Minimum, Maximum, Sum or SampleCount ("Extended statistics aren't
supported": https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html;
the health check keeps one MetricName, Namespace and Statistic:
https://docs.aws.amazon.com/Route53/latest/APIReference/API_CloudWatchAlarmConfiguration.html).
An error rate (`api.error_rate < 1%`: 5XX divided by RequestCount, a metric-math alarm) and a
latency percentile (`api.latency.p99 < 500ms`: an extended statistic) are neither, so pmigc
refuses them rather than emit a gate AWS rejects. Gate on the count of 5XX responses a minute
(`api.errors < 10 per minute`) or the average response time (`api.latency < 500ms`; the quick
fix of a percentile drops it)."#;
    const WRONG: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 5s and api.error_rate < 1%
}
"#;
    const RIGHT: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 5s and api.errors < 10 per minute
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the gate watches service `{service}`, but the cutover sends its traffic to `{aws}`")]
pub(crate) struct GateOnOtherService {
    pub(crate) service: String,
    pub(crate) aws: String,
    #[label("not the cutover's service")]
    pub(crate) at: SourceSpan,
    #[label("the record's traffic goes to `{aws}`")]
    pub(crate) aws_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for GateOnOtherService {
    const TITLE: &str = "a gate on another service than the cutover's";
    const EXPLANATION: &str = r#"A cutover sends its record's traffic to one service's load balancer (`aws`), so its gate's
service conditions measure that load balancer: what the clients moved to AWS get. Another
service's errors or latency say nothing about them, and would hold this cutover back for a
fault elsewhere (or not at all). Gate on the cutover's own service; a service behind another
cutover is gated by that cutover."#;
    const WRONG: &str = r#"service web {
  instance = t3.medium
  capacity = 2..4
  in       = main.private
  port     = 8080
  health   = "/health"
  exposed  = https via main.public with pay
  reads    = ledger.reader
}
cutover payments {
  gate = onprem_to_aws.lag < 5s and web.errors < 10 per minute
}
"#;
    const RIGHT: &str = r#"service web {
  instance = t3.medium
  capacity = 2..4
  in       = main.private
  port     = 8080
  health   = "/health"
  exposed  = https via main.public with pay
  reads    = ledger.reader
}
cutover payments {
  gate = onprem_to_aws.lag < 5s and api.errors < 10 per minute
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "a service gate is written `SERVICE.errors < N per minute` or `SERVICE.latency < DURATION`"
)]
pub(crate) struct BadServiceGate {
    #[label("{problem}")]
    pub(crate) at: SourceSpan,
    pub(crate) problem: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadServiceGate {
    const TITLE: &str = "a malformed service gate";
    const EXPLANATION: &str = r#"A gate's condition on the cutover's service is `SERVICE.errors < N per minute` (5XX responses
a minute at its load balancer, N from 1) or `SERVICE.latency < DURATION` (the average response
time, in `ms` or `s`), at most one of each, joined to the lag conditions by `and`. Errors are
counted per minute because the alarms evaluate one-minute periods; a gate holds while the
service is *below* its threshold, so the operator is `<`."#;
    const WRONG: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 5s and api.errors < 5 per hour
}
"#;
    const RIGHT: &str = r#"cutover payments {
  gate = onprem_to_aws.lag < 5s and api.errors < 5 per minute
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
