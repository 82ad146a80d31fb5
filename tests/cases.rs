//! Data-driven golden tests over `tests/cases/`.
//!
//! - `err/*.pmig`: each file starts with `# expect: PMG0123` lines naming the codes it must
//!   produce (and no others); its human-readable diagnostics are snapshotted.
//! - `ok/*.pmig`: each must check without errors; the Terraform JSON of every workspace is
//!   snapshotted.
//!
//! A file a case names (`boot = file "boot/api.sh"`) is read beside the case, as the CLI reads
//! it beside a stack.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;

fn cases(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    files
}

/// Checks a case; the files it names (`boot = file "…"`) are read beside it.
fn check(path: &Path, text: &str) -> pmigc::check::Checked {
    let dir = path
        .parent()
        .expect("a case is in a directory")
        .to_path_buf();
    pmigc::check_source_with(text, &mut common::reader(dir))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

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
    for path in cases("err") {
        let text = std::fs::read_to_string(&path).expect("readable case");
        let expected = expected_codes(&text);
        assert!(
            !expected.is_empty(),
            "{} declares no `# expect:` code",
            path.display()
        );
        let checked = check(&path, &text);
        let actual: BTreeSet<String> = checked.diagnostics.iter().map(|d| d.code.clone()).collect();
        if actual != expected {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                path.display(),
                expected,
                actual
            ));
        }
        let name = format!("tests/cases/err/{}.pmig", stem(&path));
        let source = pmigc::diag::render::Source {
            name: &name,
            text: &text,
        };
        let rendered = pmigc::diag::render::human(&source, &checked.diagnostics, false);
        insta::assert_snapshot!(format!("err__{}", stem(&path)), rendered);
    }
    assert!(
        failures.is_empty(),
        "cases with the wrong codes:\n{}",
        failures.join("\n")
    );
}

#[test]
fn ok_cases_check_cleanly_and_compile() {
    for path in cases("ok") {
        let text = std::fs::read_to_string(&path).expect("readable case");
        let checked = check(&path, &text);
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
            insta::assert_snapshot!(
                format!("ok__{}__{}", stem(&path), stack.workspace.name),
                json
            );
        }
    }
}
