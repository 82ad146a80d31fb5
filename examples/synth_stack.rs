//! Prints a valid stack for benchmarks: `stacks/payment.pmig` plus N more services (see
//! `tests/it/synth.rs`).
//!
//!     cargo run --release --example synth_stack -- --services 1000 > /tmp/n1000.pmig
//!
//! `--cutovers N` prints instead a migration of N databases, each with its own replication,
//! service and gated cutover (`synth::migration`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

// Generated stacks: test data, not the library's API (shared with the test binary).
#[allow(dead_code)]
#[path = "../tests/it/synth.rs"]
mod synth;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut services = 0usize;
    let mut cutovers = None;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().and_then(|n| n.parse().ok())) {
            ("--services", Some(n)) => services = n,
            ("--cutovers", Some(n)) => cutovers = Some(n),
            _ => {
                eprintln!("usage: synth_stack --services N | --cutovers N");
                std::process::exit(2);
            }
        }
    }
    match cutovers {
        Some(n) => print!("{}", synth::migration(n)),
        None => print!("{}", synth::stack(services)),
    }
}
