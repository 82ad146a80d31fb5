//! The catalogue of diagnostic codes: for each, a title, what it means, a minimal wrong
//! example and its corrected form. Each entry is declared by its diagnostic, beside the rule
//! that reports it (the `Violation` constants), carried by its [`Code`](super::Code), and
//! assembled in code order by the registration list above the rules (`crate::codes::ENTRIES`,
//! which this module does not name): `pmigc explain`, the language server's hover and code
//! links, and `docs/diagnostics.md` (`document`, which a test compares with the file) all read
//! these entries. Tests check that every code has an entry and a golden test, and that every
//! wrong example, applied to the reference stack, produces its code and the right one does not.

/// One code's entry: what its diagnostic declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
    pub wrong: &'static str,
    pub right: &'static str,
}

/// `docs/diagnostics.md` before its entries.
const INTRODUCTION: &str = r#"# pmigc diagnostics

Every problem pmigc reports has a stable code. `pmigc explain CODE` prints the entry below.
This file is generated: each entry is declared beside the rule that reports it (the
diagnostic's `Violation` constants, in `src/check/*/diagnostics.rs`, `src/syntax/error.rs` or
`src/plan/report/diagnostics.rs`; the code by its line in `src/codes.rs`). Edit the
declaration, then `PMIGC_BLESS=1 cargo test catalogue::` rewrites this file; a test fails
while it differs. Tests check that every code has an entry and a golden test in
`tests/cases/err/`.

The examples are edits of a real stack: `stacks/payment.pmig` (`network main`, `database ledger`,
`service api`, ...) or the smallest one, `tests/cases/ok/minimal-service.pmig` (`stack shop`,
`network edge`, `service web`). Each shows only the lines that matter; the attributes shown
replace those of the same block. `tests/it/catalogue.rs` applies every Wrong example to its stack
and checks that it produces its code, and that the Right example removes it without causing
anything new.

Codes by family: 00xx internal errors (a bug in pmigc, never in the stack: no stack may
produce one, so they have no golden test), 01xx syntax, 02xx blocks and attributes, 03xx types
and units, 04xx values and ranges, 05xx addresses, 06xx references, 07xx secrets, 08xx the
migration, 09xx security, 10xx workspaces, 11xx names (AWS naming rules; PMG1103 a misspelt declaration), 12xx AWS apply-time constraints and migration
safety (what AWS refuses at apply time, or accepts and then fails on; see docs/checks.md)."#;

/// `docs/diagnostics.md` as it should read for `entries`: the file's introduction, then one
/// section per entry in the form the reader expects. The catalogue test compares the file with
/// this, so a section the reader would misread (a stray paragraph after `Right:`, a heading
/// without `: `) fails the build instead of vanishing from `pmigc explain`.
pub fn document(entries: &[Entry]) -> String {
    let mut out = INTRODUCTION.to_string();
    out.push('\n');
    for entry in entries {
        out.push_str(&format!(
            "\n## {code}: {title}\n\n{explanation}\n\nWrong:\n\n```pmig\n{wrong}```\n\nRight:\n\n```pmig\n{right}```\n",
            code = entry.code,
            title = entry.title,
            explanation = entry.explanation,
            wrong = entry.wrong,
            right = entry.right,
        ));
    }
    out
}

/// The text `pmigc explain` prints.
pub fn page(entry: &Entry) -> String {
    format!(
        "{code}: {title}\n\n{explanation}\n\nWrong:\n\n{wrong}\n\nRight:\n\n{right}\n",
        code = entry.code,
        title = entry.title,
        explanation = entry.explanation,
        wrong = indent(entry.wrong),
        right = indent(entry.right),
    )
}

fn indent(text: &str) -> String {
    text.trim_matches('\n')
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
