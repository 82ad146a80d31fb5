//! The pipeline through the library's entry points (parse and check, lower, emit) and end to end, on `stacks/payment.pmig` and on
//! generated stacks with N extra services (`synth`, `tests/it/synth.rs`). `cargo bench`.

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

const SIZES: &[usize] = &[0, 10, 100, 1000, 5000];

/// Parsing and checking, as the library's entry point runs them (`check_source`); the stages
/// inside are the library's own (`pmigc check --timings` reports each).
#[divan::bench(args = SIZES, sample_count = 10)]
fn check(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    bencher.bench(|| pmigc::check_source(black_box(&text)));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn lower(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    let checked = pmigc::check_source(&text);
    bencher.bench(|| {
        checked
            .stacks
            .iter()
            .filter(|s| pmigc::root_of(s, &[]).is_ok())
            .count()
    });
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn emit(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    let checked = pmigc::check_source(&text);
    let roots: Vec<_> = checked
        .stacks
        .iter()
        .map(|s| pmigc::root_of(s, &[]).unwrap())
        .collect();
    bencher.bench(|| {
        roots
            .iter()
            .map(|r| pmigc::emit::render(r).len())
            .sum::<usize>()
    });
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn end_to_end(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    bencher.bench(|| {
        let checked = pmigc::check_source(black_box(&text));
        checked
            .stacks
            .iter()
            .map(|s| pmigc::emit::render(&pmigc::root_of(s, &[]).unwrap()).len())
            .sum::<usize>()
    });
}
