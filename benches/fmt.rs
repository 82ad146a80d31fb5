//! `pmigc fmt` at growing sizes, to show it linear in the number of top-level items (issue 28:
//! it was quadratic, over 9 minutes for an 8 MiB stack). Two shapes: generated stacks with N
//! extra services (`synth`, `tests/it/synth.rs`, 9 lines each), and the payment stack with N one-line
//! outputs (the most items per byte a stack that checks can have). Each size is 4 times the
//! last: linear means 4 times the time. `cargo bench --bench fmt`.

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

use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

const SERVICES: &[usize] = &[1_000, 4_000, 16_000];
const OUTPUTS: &[usize] = &[10_000, 40_000, 160_000];

#[divan::bench(args = SERVICES, sample_count = 5)]
fn services(bencher: Bencher, n: usize) {
    let text = synth::stack(n);
    bencher.bench(|| pmigc::fmt::format(black_box(&text)).unwrap().len());
}

#[divan::bench(args = OUTPUTS, sample_count = 5)]
fn outputs(bencher: Bencher, n: usize) {
    let mut text = include_str!("../stacks/payment.pmig").to_string();
    for i in 0..n {
        text.push_str(&format!("output o{i} = main.id\n"));
    }
    bencher.bench(|| pmigc::fmt::format(black_box(&text)).unwrap().len());
}
