//! The diagnostics `check::network` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("region {region} has {available} availability zones, the network asks for {zones}")]
pub(crate) struct TooManyZones {
    pub(crate) region: String,
    pub(crate) available: u8,
    pub(crate) zones: u64,
    #[label("more zones than {region} has")]
    pub(crate) at: SourceSpan,
    #[label("region set here")]
    pub(crate) region_at: SourceSpan,
}

impl Violation for TooManyZones {
    const TITLE: &str = "more zones than the region has";
    const EXPLANATION: &str = r#"The network asks for more availability zones than its region offers, so some subnets could
never be placed and the apply would fail. The second label shows where the region is set;
ask for fewer zones, or move the stack to a region that has enough."#;
    const WRONG: &str = r#"stack payment {
  region = "us-west-1"
}
network main {
  zones = 3
}
"#;
    const RIGHT: &str = r#"stack payment {
  region = "us-west-1"
}
network main {
  zones = 2
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{network} cannot hold {needed}")]
pub(crate) struct SubnetsDoNotFit {
    pub(crate) network: String,
    /// `6 /24 subnets`, or `3 /20 and 3 /24 subnets` when the tiers differ.
    pub(crate) needed: String,
    #[label("{needed} needed")]
    pub(crate) at: SourceSpan,
    #[label("{cidr} has room for {room}")]
    pub(crate) cidr_at: SourceSpan,
    pub(crate) cidr: String,
    pub(crate) room: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SubnetsDoNotFit {
    const TITLE: &str = "subnets do not fit";
    const EXPLANATION: &str = r#"One public and one private subnet per zone, at the sizes asked for, need more addresses than
the network has: three zones of /24 public and /24 private subnets need six /24 blocks, and a
/22 holds four, so the subnets cannot be carved out of the range. Use a larger network (a
shorter prefix) or smaller subnets (a longer prefix). The second label shows the network's
range and how much fits in it."#;
    const WRONG: &str = r#"network main {
  cidr    = 10.40.0.0/22
  zones   = 3
  public  = /24 per zone
  private = /24 per zone
}
"#;
    const RIGHT: &str = r#"network main {
  cidr    = 10.40.0.0/21
  zones   = 3
  public  = /24 per zone
  private = /24 per zone
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("subnet size /{size} is {problem}")]
pub(crate) struct BadSubnetSize {
    pub(crate) size: u64,
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadSubnetSize {
    const TITLE: &str = "invalid subnet size";
    const EXPLANATION: &str = r#"Subnet sizes are given as a prefix length per zone (`/24 per zone`). AWS subnets are /16 to /28,
and a subnet must be smaller than the network that holds it (`/16` subnets in a `/16` network
leave no room for the other tier). AWS would reject the subnet at apply time."#;
    const WRONG: &str = r#"network main {
  public = /30 per zone
}
"#;
    const RIGHT: &str = r#"network main {
  public = /24 per zone
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
