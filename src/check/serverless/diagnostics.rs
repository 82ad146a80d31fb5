//! The diagnostics `check::serverless` reports: each one's message, labels, help and fix, with
//! its catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{problem}")]
pub(crate) struct ServerlessCapacity {
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for ServerlessCapacity {
    const TITLE: &str = "Aurora Serverless capacity missing or out of range";
    const EXPLANATION: &str = r#"`instance = db.serverless` (Aurora Serverless v2) has no fixed size: each instance scales
between a minimum and a maximum number of Aurora capacity units (ACUs, about 2 GiB of memory
each), written `capacity = 0.5..16`. AWS takes 0.5 to 256 ACUs in steps of 0.5, the minimum
first. A provisioned class (`db.r6g.large`) has the size its name says, so `capacity` on it is
an error rather than silently ignored."#;
    const WRONG: &str = r#"database ledger {
  instance = db.serverless
}
"#;
    const RIGHT: &str = r#"database ledger {
  instance = db.serverless
  capacity = 0.5..16
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{engine} {version} scales a Serverless v2 instance to {most} ACUs at most")]
pub(crate) struct ServerlessAboveVersion {
    pub(crate) engine: String,
    pub(crate) version: String,
    pub(crate) most: u16,
    #[label("{asked} ACUs asked")]
    pub(crate) at: SourceSpan,
    pub(crate) asked: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for ServerlessAboveVersion {
    const TITLE: &str = "Serverless capacity above what the engine version serves";
    const EXPLANATION: &str = r#"How many ACUs a Serverless v2 instance may scale to depends on the engine version: 256 on
recent versions, 128 on older ones (Aurora MySQL 3.05 and before; 256 from 3.06, and from
Aurora PostgreSQL 13.15, 14.12, 15.7 and 16.3, which every PostgreSQL version pmigc offers
meets). AWS refuses a larger maximum when it creates the cluster, after the network and
everything else in the root are already built; pmigc says so before. The help names the
oldest version that serves the capacity asked."#;
    const WRONG: &str = r#"database ledger {
  engine   = aurora_mysql "3.05"
  instance = db.serverless
  capacity = 0.5..192
}
"#;
    const RIGHT: &str = r#"database ledger {
  engine   = aurora_mysql "3.05"
  instance = db.serverless
  capacity = 0.5..128
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
