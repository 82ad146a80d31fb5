//! The pipeline's stages, separately and end to end, on `stacks/payment.pmig` and on
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

#[divan::bench(args = SIZES, sample_count = 10)]
fn parse(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    bencher.bench(|| pmigc::syntax::parse(black_box(&text)));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn check(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    let (file, _) = pmigc::syntax::parse(&text);
    bencher.bench(|| pmigc::check::check(black_box(&file), &text));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn lower(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    let checked = pmigc::check_source(&text);
    bencher.bench(|| checked.stacks.iter().map(pmigc::lower::lower).count());
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn emit(bencher: Bencher, services: usize) {
    let text = synth::stack(services);
    let checked = pmigc::check_source(&text);
    let roots: Vec<_> = checked.stacks.iter().map(pmigc::lower::lower).collect();
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
            .map(|s| pmigc::emit::render(&pmigc::lower::lower(s)).len())
            .sum::<usize>()
    });
}
