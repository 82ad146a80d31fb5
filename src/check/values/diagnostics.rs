//! The diagnostics `check::values` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{text}` needs a unit: expected {expected}")]
pub(crate) struct MissingUnit {
    pub(crate) text: String,
    pub(crate) expected: String,
    #[label("a bare number")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for MissingUnit {
    const TITLE: &str = "missing unit";
    const EXPLANATION: &str = r#"A bare number where a quantity with a unit is expected: `50` for a percentage, `5` for a
duration. pmigc never guesses the unit; the machine-applicable fix adds the usual one."#;
    const WRONG: &str = r#"replication onprem_to_aws {
  max_lag = 5
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  max_lag = 5s
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{unit}` is not a unit of {expected}")]
pub(crate) struct WrongUnit {
    pub(crate) unit: String,
    pub(crate) expected: String,
    #[label("expected {expected}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for WrongUnit {
    const TITLE: &str = "wrong unit";
    const EXPLANATION: &str = r#"The unit is not one this attribute takes: durations use `s`, `m`, `h` and `days`, percentages
`%`, and counts take no unit at all."#;
    const WRONG: &str = r#"replication onprem_to_aws {
  max_lag = 5x
}
"#;
    const RIGHT: &str = r#"replication onprem_to_aws {
  max_lag = 5s
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{value} is not a percentage between 0% and 100%")]
pub(crate) struct PercentOutOfRange {
    pub(crate) value: String,
    #[label("out of range")]
    pub(crate) at: SourceSpan,
}

impl Violation for PercentOutOfRange {
    const TITLE: &str = "percentage out of range";
    const EXPLANATION: &str = r#"Percentages are between 0% and 100%: a traffic weight is the share of requests the cutover
sends to AWS, a phase is a step of that share. 100% already sends everything to AWS; anything
above it is a typo, usually an extra digit."#;
    const WRONG: &str = r#"workspace aws-production {
  traffic_weight = 150%
}
"#;
    const RIGHT: &str = r#"workspace aws-production {
  traffic_weight = 100%
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{what} must be between {min} and {max}, found {value}")]
pub(crate) struct CountOutOfRange {
    pub(crate) what: String,
    pub(crate) value: String,
    pub(crate) min: u64,
    pub(crate) max: u64,
    #[label("out of range")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for CountOutOfRange {
    const TITLE: &str = "count out of range";
    const EXPLANATION: &str = r#"A count is outside what AWS allows or what pmigc builds: 1 to 6 availability zones per network,
exactly 1 Aurora writer (Aurora MySQL clusters have a single writer; scale reads with readers),
and 0 to 15 readers (the Aurora replica limit). Terraform would accept any number, and the
apply would fail part-way, with some of the stack already created. A lag budget or a gate's
threshold is at most 2147483647 seconds: DMS reports a task's change-data-capture latency as a
32-bit count of seconds, so a larger lag is never measured (the gate would never close), and
past that a threshold would not be the number the alarm's name says."#;
    const WRONG: &str = r#"database ledger {
  readers = 20
}
"#;
    const RIGHT: &str = r#"database ledger {
  readers = 15
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("port {value} is outside 1–65535")]
pub(crate) struct PortOutOfRange {
    pub(crate) value: String,
    #[label("not a TCP port")]
    pub(crate) at: SourceSpan,
}

impl Violation for PortOutOfRange {
    const TITLE: &str = "port out of range";
    const EXPLANATION: &str = r#"TCP ports are 1 to 65535. The service's `port` becomes the target group's port, the health
check's port and the security-group rule from the load balancer; a typo here only shows up at
apply time, when AWS rejects the target group or the rule."#;
    const WRONG: &str = r#"service api {
  port = 80800
}
"#;
    const RIGHT: &str = r#"service api {
  port = 8080
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{text}` is not a valid IPv4 address block")]
pub(crate) struct InvalidCidr {
    pub(crate) text: String,
    #[label("{reason}")]
    pub(crate) at: SourceSpan,
    pub(crate) reason: String,
}

impl Violation for InvalidCidr {
    const TITLE: &str = "invalid IPv4 block";
    const EXPLANATION: &str = r#"The text looks like an IPv4 address block but cannot be one: an octet is above 255, the prefix
length is above 32, or the prefix is missing (`10.40.0.0` is an address; the block is
`10.40.0.0/16`). The label says which part is wrong."#;
    const WRONG: &str = r#"network main {
  cidr = 10.400.0.0/16
}
"#;
    const RIGHT: &str = r#"network main {
  cidr = 10.40.0.0/16
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{text}` has host bits set")]
pub(crate) struct HostBitsSet {
    pub(crate) text: String,
    #[label("the address is not the start of a /{prefix} block")]
    pub(crate) at: SourceSpan,
    pub(crate) prefix: u8,
    #[help]
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
}

impl Violation for HostBitsSet {
    const TITLE: &str = "host bits set";
    const EXPLANATION: &str = r#"The address is not the first address of its block: `10.40.1.0/16` means `10.40.0.0/16` with a
typo somewhere, and AWS rejects it. The fix is the block that contains the address."#;
    const WRONG: &str = r#"network main {
  cidr = 10.40.1.0/16
}
"#;
    const RIGHT: &str = r#"network main {
  cidr = 10.40.0.0/16
}
"#;

    fn fix(&self) -> Option<Fix> {
        self.fix.clone()
    }
}
