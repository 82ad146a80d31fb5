//! Synthetic stacks for benchmarks and scale tests: `stacks/payment.pmig` plus N more
//! services, each routed by path behind the payment API's load balancer, each with its own
//! launch template, Auto Scaling group, target group, listener rule, security group and rules,
//! scaling policy and CPU alarm (about 15 Terraform resources per service and workspace; they
//! only read the ledger, `ledger.reader`: in the workspace that does not own its data cutover
//! nothing may write it); and migrations of N databases, each with its replication, service
//! and cutover (`migration`).
//!
//! Test data, not the compiler's API: a module of the test binary (`tests/it/main.rs`), which
//! the benchmarks and `examples/synth_stack.rs` include as a file of their own
//! (`#[path = "../tests/it/synth.rs"]`); it uses only the library's public API.

use std::fmt::Write;

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

/// The payment stack with `services` extra services appended.
pub fn stack(services: usize) -> String {
    let mut text = String::with_capacity(PAYMENT.len() + services * 200);
    // Each service may scale to 3 instances, each taking a private address: past what the
    // payment stack's /24 subnets hold (3 × 251, PMG1214), the private subnets are /18.
    if services * 3 + 13 > 3 * 251 {
        text.push_str(&PAYMENT.replace("private = /24 per zone", "private = /18 per zone"));
    } else {
        text.push_str(PAYMENT);
    }
    for i in 0..services {
        let _ = write!(
            text,
            "\nservice svc{i} {{\n  instance = t3.small\n  capacity = 1..3\n  in       = main.private\n  port     = 8080\n  health   = \"/health\"\n  exposed  = path \"/svc{i}/*\" on api\n  reads    = ledger.reader\n}}\n"
        );
    }
    text
}

/// A migration of `n` databases, each copied by its own replication from its own data-centre
/// host and written by its own service behind its own gated cutover: a stack whose plan has
/// `n` independent units (for the plan check's benchmark and scale test).
pub fn migration(n: usize) -> String {
    let mut text = String::from(
        r#"stack synth {
  region = "us-east-1"
  name   = "synth-{env}"
}

input env: name = "dev"

existing vpn dc {
  connection = "vpn-0a1b2c3d4e5f67890"
  gateway    = "vgw-0a1b2c3d4e5f67890"
  networks   = [192.168.0.0/16]
}
existing secret db {
  name = "synth-db-credentials"
  keys = [password, dms_password]
}
existing certificate site { domain = "*.example.com" }

network main {
  cidr    = 10.40.0.0/16
  zones   = 2
  public  = /22 per zone
  private = /20 per zone
  nat     = single
  vpn     = dc
}
"#,
    );
    for i in 0..n {
        let _ = write!(
            text,
            r#"
input w{i}: percent = 0%

database db{i} {{
  engine   = aurora_mysql "8.0"
  instance = db.r6g.large
  in       = main.private
  password = db.password
}}

service svc{i} {{
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8080
  health   = "/health"
  exposed  = https via main.public with site
  reads    = db{i}
}}

replication r{i} {{
  from     = mysql "db{i}.corp.example.com":3306 via dc
  username = "dms"
  password = db.dms_password
  to       = db{i}
  instance = dms.t3.medium
  mode     = full_load_and_cdc
  max_lag  = 5s
}}

cutover c{i} {{
  record   = "s{i}.example.com" in zone "example.com"
  legacy   = "legacy-s{i}.example.com"
  aws      = svc{i}
  weight   = w{i}
  phases   = [0%, 10%, 50%, 100%]
  gate     = r{i}.lag < 5s
  rollback = 0%
}}
"#
        );
    }
    text
}

/// `plan` with every database behind a writer name, a data cutover and a fallback replication
/// per source (what a stack gets from a `data_cutover` per database, in the owning workspace):
/// how benchmarks and tests explore the whole state space of a safe plan on generated stacks,
/// which declare no data cutover.
pub fn with_data_cutovers(mut plan: pmigc::plan::Plan) -> pmigc::plan::Plan {
    use pmigc::plan::{Access, Back, BackKind, DataCutover};
    for db in &mut plan.databases {
        db.access = Access::Writer { at: db.at };
        db.data_cutover = Some(DataCutover {
            at: db.at,
            services_return_once_switched: true,
            two_way: false,
        });
        for source in &mut db.sources {
            source.back = Some(Back {
                replication: format!("{}_fallback", source.replication),
                at: source.at,
                kind: BackKind::Fallback,
            });
        }
    }
    plan
}
