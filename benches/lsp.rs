//! The language server's work per keystroke: re-analysing a document after an edit (parse,
//! check, resolved references) and turning its diagnostics into protocol form, on
//! `stacks/payment.pmig` and on generated stacks with N extra services (`synth`, `tests/it/synth.rs`); and
//! the requests an editor sends, each with the JSON text the server writes for its answer, at
//! 1,000 and 5,000 services (every service reads `ledger`, so references and rename answer
//! N + 5 places): a request is linear when the second costs about five times the first.
//! `cargo bench --bench lsp`; the numbers are in `docs/lsp.md`.

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
use pmigc::lsp::{self, Document, Encoding};

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[0, 1000];

/// Stack sizes (extra services) for the requests.
const REQUEST_SIZES: &[usize] = &[1000, 5000];

/// A document of the generated stack with `services` extra services, and a position on the
/// name of `database ledger`.
fn at_ledger(services: usize) -> (Document, lsp_types::Position) {
    let text = synth::stack(services);
    let offset = text.find("database ledger").unwrap() + "database le".len();
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let doc = Document::new(text, Encoding::Utf16);
    (doc, lsp_types::Position::new(line as u32, column as u32))
}

fn uri() -> lsp_types::Uri {
    "file:///stack.pmig".parse().unwrap()
}

/// The outline (`textDocument/documentSymbol`): every item and its attributes.
#[divan::bench(args = REQUEST_SIZES, sample_count = 10)]
fn document_symbols(bencher: Bencher, services: usize) {
    let (doc, _) = at_ledger(services);
    bencher.bench(|| serde_json::to_string(&lsp::document_symbols(black_box(&doc))).unwrap());
}

/// `textDocument/references` on `ledger`, with its declaration.
#[divan::bench(args = REQUEST_SIZES, sample_count = 10)]
fn references(bencher: Bencher, services: usize) {
    let (doc, at) = at_ledger(services);
    let uri = uri();
    bencher.bench(|| {
        let found = lsp::references(black_box(&doc), &uri, at, true);
        assert_eq!(found.len(), services + 5);
        serde_json::to_string(&found).unwrap()
    });
}

/// `textDocument/rename` of `ledger`.
#[divan::bench(args = REQUEST_SIZES, sample_count = 10)]
fn rename(bencher: Bencher, services: usize) {
    let (doc, at) = at_ledger(services);
    let uri = uri();
    bencher.bench(|| {
        let (edit, _) = lsp::rename(black_box(&doc), &uri, at, "books")
            .unwrap()
            .unwrap();
        serde_json::to_string(&edit).unwrap()
    });
}

/// `textDocument/definition` and `textDocument/hover` on the name of `ledger`.
#[divan::bench(args = REQUEST_SIZES, sample_count = 10)]
fn definition_and_hover(bencher: Bencher, services: usize) {
    let (doc, at) = at_ledger(services);
    let uri = uri();
    bencher.bench(|| {
        let definition = lsp::definition(black_box(&doc), &uri, at);
        let hover = lsp::hover(black_box(&doc), at);
        serde_json::to_string(&(definition, hover)).unwrap()
    });
}

/// `textDocument/formatting` (`pmigc fmt` of the whole document).
#[divan::bench(args = REQUEST_SIZES, sample_count = 10)]
fn formatting(bencher: Bencher, services: usize) {
    let (doc, _) = at_ledger(services);
    bencher.bench(|| serde_json::to_string(&lsp::formatting(black_box(&doc)).unwrap()).unwrap());
}

/// The text after an edit: one attribute of the first service changed.
fn edited(services: usize) -> String {
    synth::stack(services).replacen("capacity = 3..9", "capacity = 3..8", 1)
}

/// What the server does on `didChange`: the previous version re-analysed as the edited text
/// (only the changed item re-parsed), and its diagnostics in protocol form.
#[divan::bench(args = SIZES, sample_count = 20)]
fn recheck_after_edit(bencher: Bencher, services: usize) {
    let before = synth::stack(services);
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

#[divan::bench(args = REQUEST_SIZES, sample_count = 20)]
fn completion_after_reads(bencher: Bencher, services: usize) {
    let text = edited(services).replacen("reads    = ledger", "reads    = ", 1);
    let line = text[..text.find("reads    = ").unwrap()]
        .matches('\n')
        .count();
    let doc = Document::new(text, Encoding::Utf16);
    let at = lsp_types::Position::new(line as u32, 13);
    bencher.bench(|| lsp::completion(black_box(&doc), at));
}

#[divan::bench(args = REQUEST_SIZES, sample_count = 20)]
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
