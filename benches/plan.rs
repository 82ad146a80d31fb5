//! The plan check's exploration (`pmigc::plan::check`) on generated migrations of N databases,
//! each with its replication, service and gated cutover (`synth::migration`): as the
//! stack is written (services reach the data centre's primary through the writer name; no data
//! cutover), and with a data cutover and a fallback per database (its whole state space
//! explored); both safe. The shipped stacks and `scripts/perf.sh`'s generated stacks (payment
//! plus N services, `synth::stack`), from their checked models to the verdicts: what
//! the plan check (`plan::ENFORCE`, on) adds to `check`.
//! `cargo bench --bench plan`; the state counts are printed first.

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
use pmigc::plan::Plan;

fn main() {
    for name in SHIPPED {
        let (text, checked) = shipped(name);
        let states: usize = pmigc::plan::verdicts(&checked.stacks, &text)
            .iter()
            .map(|p| p.verdict.states)
            .sum();
        eprintln!("stacks/{name}.pmig: {states} states");
    }
    for &n in SIZES {
        let (written, safe) = plans(n);
        eprintln!(
            "N = {n}: {} states as written, {} with data cutovers",
            pmigc::plan::check(&written).states,
            pmigc::plan::check(&safe).states
        );
    }
    divan::main();
}

const SIZES: &[usize] = &[1, 10, 100];

/// The plan of the generated stack's one workspace, and the same with data cutovers.
fn plans(n: usize) -> (Plan, Plan) {
    let text = synth::migration(n);
    let checked = pmigc::check_source(&text);
    let stack = checked.stacks.first().expect("the generated stack checks");
    let plan = Plan::of(stack, &text);
    (plan.clone(), synth::with_data_cutovers(plan))
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn as_written(bencher: Bencher, n: usize) {
    let (plan, _) = plans(n);
    bencher.bench(|| pmigc::plan::check(black_box(&plan)));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn with_data_cutovers(bencher: Bencher, n: usize) {
    let (_, plan) = plans(n);
    bencher.bench(|| pmigc::plan::check(black_box(&plan)));
}

/// From the checked models to the verdicts, as `pmigc phases` runs it (parse and plan building
/// included).
#[divan::bench(args = SIZES, sample_count = 20)]
fn from_models(bencher: Bencher, n: usize) {
    let text = synth::migration(n);
    let checked = pmigc::check_source(&text);
    bencher.bench(|| pmigc::plan::verdicts(black_box(&checked.stacks), &text));
}

const SHIPPED: &[&str] = &["payment", "marketplace", "orders"];

/// A shipped stack's text and its checked models (its boot scripts read beside it).
fn shipped(name: &str) -> (String, pmigc::Checked) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks");
    let text = std::fs::read_to_string(dir.join(format!("{name}.pmig"))).unwrap();
    let mut reader = |path: &str| pmigc::Found {
        resolved: path.to_string(),
        read: match std::fs::read(dir.join(path)) {
            Ok(bytes) => pmigc::FileRead::Bytes(bytes),
            Err(e) => pmigc::FileRead::Unreadable(e.to_string()),
        },
    };
    let checked = pmigc::check_source_with(&text, &mut reader);
    assert!(!checked.has_errors(), "{name}: {:?}", checked.diagnostics);
    (text, checked)
}

/// A shipped stack, from its checked models to the verdicts (what `check` adds, and a parse).
#[divan::bench(args = SHIPPED, sample_count = 50)]
fn stacks(bencher: Bencher, name: &str) {
    let (text, checked) = shipped(name);
    bencher.bench(|| pmigc::plan::verdicts(black_box(&checked.stacks), &text));
}

/// `scripts/perf.sh`'s stacks: the payment stack plus N services behind its cutover.
#[divan::bench(args = [100, 1000, 5000], sample_count = 10)]
fn services(bencher: Bencher, n: usize) {
    let text = synth::stack(n);
    let checked = pmigc::check_source(&text);
    bencher.bench(|| pmigc::plan::verdicts(black_box(&checked.stacks), &text));
}
