//! Prints a valid stack for benchmarks: `stacks/payment.pmig` plus N more services, each routed
//! by path behind the payment API's load balancer, with its own launch template, Auto Scaling
//! group, target group, listener rule, security group and rules.
//!
//!     cargo run --release --example synth_stack -- --services 1000 > /tmp/n1000.pmig

use std::fmt::Write;

const PAYMENT: &str = include_str!("../stacks/payment.pmig");

fn main() {
    let mut args = std::env::args().skip(1);
    let mut services = 0usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--services" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => services = n,
                None => {
                    eprintln!("--services needs a whole number");
                    std::process::exit(2);
                }
            },
            other => {
                eprintln!("unknown argument `{other}`; usage: synth_stack --services N");
                std::process::exit(2);
            }
        }
    }
    print!("{}", synthesize(services));
}

/// The payment stack with `services` extra services appended.
fn synthesize(services: usize) -> String {
    let mut text = String::with_capacity(PAYMENT.len() + services * 260);
    text.push_str(PAYMENT);
    for i in 0..services {
        let _ = write!(
            text,
            "\nservice svc{i} {{\n  instance = t3.small\n  capacity = 1..3\n  in       = main.private\n  port     = 8080\n  health   = \"/health\"\n  exposed  = path \"/svc{i}/*\" on api\n  reads    = ledger\n}}\n"
        );
    }
    text
}
