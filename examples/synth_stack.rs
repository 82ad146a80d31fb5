//! Prints a valid stack for benchmarks: `stacks/payment.pmig` plus N more services (see
//! `pmigc::synth`).
//!
//!     cargo run --release --example synth_stack -- --services 1000 > /tmp/n1000.pmig

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

fn main() {
    let mut args = std::env::args().skip(1);
    let mut services = 0usize;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().and_then(|n| n.parse().ok())) {
            ("--services", Some(n)) => services = n,
            _ => {
                eprintln!("usage: synth_stack --services N");
                std::process::exit(2);
            }
        }
    }
    print!("{}", pmigc::synth::stack(services));
}
