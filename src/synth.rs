//! Synthetic stacks for benchmarks and scale tests: `stacks/payment.pmig` plus N more
//! services, each routed by path behind the payment API's load balancer, each with its own
//! launch template, Auto Scaling group, target group, listener rule, security group and rules,
//! scaling policy and CPU alarm (about 15 Terraform resources per service and workspace). They
//! only read the ledger (`ledger.reader`): in the workspace that does not own its data cutover
//! nothing may write it.

use std::fmt::Write;

const PAYMENT: &str = include_str!("../stacks/payment.pmig");

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
