//! The language server's work per keystroke: re-analysing a document after an edit (parse,
//! check, resolved references) and turning its diagnostics into protocol form, on `stacks/payment.pmig` and
//! on generated stacks with N extra services (`pmigc::synth`); and the requests an editor
//! sends while typing (completion, hover) on the largest. `cargo bench --bench lsp`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use divan::{Bencher, black_box};
use pmigc::lsp::{self, Document, Encoding};

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[0, 1000];

/// The text after an edit: one attribute of the first service changed.
fn edited(services: usize) -> String {
    pmigc::synth::stack(services).replacen("capacity = 3..9", "capacity = 3..8", 1)
}

/// What the server does on `didChange`: the previous version re-analysed as the edited text
/// (only the changed item re-parsed), and its diagnostics in protocol form.
#[divan::bench(args = SIZES, sample_count = 20)]
fn recheck_after_edit(bencher: Bencher, services: usize) {
    let before = pmigc::synth::stack(services);
    let text = edited(services);
    let uri: lsp_types::Uri = "file:///stack.pmig".parse().unwrap();
    bencher
        .with_inputs(|| Document::new(before.clone(), Encoding::Utf16))
        .bench_local_values(|doc| {
            let doc = doc.edit(black_box(text.clone()));
            lsp::diagnostics(&doc, &uri, None)
        });
}

/// The first analysis of a document (`didOpen`): everything parsed.
#[divan::bench(args = SIZES, sample_count = 20)]
fn open(bencher: Bencher, services: usize) {
    let text = edited(services);
    bencher.bench(|| Document::new(black_box(text.clone()), Encoding::Utf16));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn completion_after_reads(bencher: Bencher, services: usize) {
    let text = edited(services).replacen("reads    = ledger", "reads    = ", 1);
    let line = text[..text.find("reads    = ").unwrap()]
        .matches('\n')
        .count();
    let doc = Document::new(text, Encoding::Utf16);
    let at = lsp_types::Position::new(line as u32, 13);
    bencher.bench(|| lsp::completion(black_box(&doc), at));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn hover_on_reference(bencher: Bencher, services: usize) {
    let text = edited(services);
    let line = text[..text.find("reads    = ledger").unwrap()]
        .matches('\n')
        .count();
    let doc = Document::new(text, Encoding::Utf16);
    let at = lsp_types::Position::new(line as u32, 14);
    bencher.bench(|| lsp::hover(black_box(&doc), at));
}

/// What `pmigc check` itself costs on the same text, for comparison.
#[divan::bench(args = SIZES, sample_count = 20)]
fn check_only(bencher: Bencher, services: usize) {
    let text = edited(services);
    bencher.bench(|| pmigc::check_source(black_box(&text)));
}

/// Parsing alone (part of both).
#[divan::bench(args = SIZES, sample_count = 20)]
fn parse_only(bencher: Bencher, services: usize) {
    let text = edited(services);
    bencher.bench(|| pmigc::syntax::parse(black_box(&text)));
}
