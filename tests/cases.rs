//! Data-driven golden tests over `tests/cases/`.
//!
//! - `err/`: each case (a stack, or a patch of one: `tests/golden/mod.rs`) starts with
//!   `# expect: PMG0123` lines naming the codes it must produce (and no others); its
//!   human-readable diagnostics are snapshotted.
//! - `ok/*.pmig`: each must check without errors; the Terraform JSON of every workspace is
//!   snapshotted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

mod golden;

/// The codes a case declares with `# expect: CODE` lines.
pub fn expected_codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .flat_map(|rest| {
            rest.split([',', ' '])
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn error_cases_report_exactly_their_codes() {
    let mut failures = Vec::new();
    for case in golden::cases("err") {
        let (path, text) = (&case.path, &case.text);
        let expected = expected_codes(text);
        assert!(
            !expected.is_empty(),
            "{} declares no `# expect:` code",
            path.display()
        );
        let checked = pmigc::check_source(text);
        let actual: BTreeSet<String> = checked.diagnostics.iter().map(|d| d.code.clone()).collect();
        if actual != expected {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                path.display(),
                expected,
                actual
            ));
        }
        let name = format!("tests/cases/err/{}.pmig", case.name);
        let source = pmigc::diag::render::Source { name: &name, text };
        let rendered = pmigc::diag::render::human(&source, &checked.diagnostics, false);
        insta::assert_snapshot!(format!("err__{}", case.name), rendered);
    }
    assert!(
        failures.is_empty(),
        "cases with the wrong codes:\n{}",
        failures.join("\n")
    );
}

#[test]
fn ok_cases_check_cleanly_and_compile() {
    for case in golden::cases("ok") {
        let (path, text) = (&case.path, &case.text);
        let checked = pmigc::check_source(text);
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{}: {:#?}", path.display(), errors);
        assert!(
            !checked.stacks.is_empty(),
            "{}: no workspace compiled",
            path.display()
        );
        for stack in &checked.stacks {
            let files = pmigc::emit::render_files(&pmigc::lower::lower(stack));
            let json: String = files
                .iter()
                .map(|(name, text)| format!("// {name}\n{text}"))
                .collect();
            insta::assert_snapshot!(format!("ok__{}__{}", case.name, stack.workspace.name), json);
        }
    }
}
