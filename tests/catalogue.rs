//! The catalogue and the compiler agree: every code the compiler can emit has an explanation
//! (with a wrong and a right example) and a golden test, and no entry is orphaned.

use std::collections::BTreeSet;
use std::path::Path;

/// Codes declared in `#[diagnostic(code(PMGxxxx))]` attributes under `src/`.
fn codes_in_source() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir)
            .expect("src readable")
            .filter_map(|e| e.ok())
        {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).expect("source readable");
                for (i, _) in text.match_indices("code(PMG") {
                    if let Some(code) = text.get(i + 5..i + 12) {
                        out.insert(code.to_string());
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// Codes that some `tests/cases/err/*.pmig` declares with `# expect:`.
fn codes_with_golden_tests() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/err");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir)
        .expect("cases")
        .filter_map(|e| e.ok())
    {
        let text = std::fs::read_to_string(entry.path()).expect("case readable");
        for line in text.lines().filter_map(|l| l.strip_prefix("# expect:")) {
            out.extend(
                line.split([' ', ','])
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            );
        }
    }
    out
}

#[test]
fn every_code_has_an_entry_and_a_golden_test_and_no_entry_is_orphaned() {
    let emitted = codes_in_source();
    assert!(emitted.len() > 40, "found only {emitted:?}");
    let documented: BTreeSet<String> = pmigc::diag::catalogue::entries()
        .iter()
        .map(|e| e.code.to_string())
        .collect();
    let tested = codes_with_golden_tests();
    let undocumented: Vec<_> = emitted.difference(&documented).collect();
    let orphaned: Vec<_> = documented.difference(&emitted).collect();
    let untested: Vec<_> = emitted.difference(&tested).collect();
    assert!(
        undocumented.is_empty(),
        "codes without a catalogue entry: {undocumented:?}"
    );
    assert!(
        orphaned.is_empty(),
        "catalogue entries for codes the compiler never emits: {orphaned:?}"
    );
    assert!(
        untested.is_empty(),
        "codes without a golden test: {untested:?}"
    );
}

#[test]
fn every_entry_explains_with_a_wrong_and_a_right_example() {
    let entries = pmigc::diag::catalogue::entries();
    let mut seen = BTreeSet::new();
    for entry in &entries {
        assert!(seen.insert(entry.code), "{} documented twice", entry.code);
        assert!(
            entry.code.len() == 7 && entry.code.starts_with("PMG"),
            "bad code {:?}",
            entry.code
        );
        assert!(!entry.title.is_empty(), "{}: no title", entry.code);
        assert!(
            entry.explanation.len() > 40,
            "{}: explanation too thin",
            entry.code
        );
        assert!(
            !entry.wrong.trim().is_empty() && !entry.right.trim().is_empty(),
            "{}: missing example",
            entry.code
        );
        assert_ne!(
            entry.wrong, entry.right,
            "{}: the fix changes nothing",
            entry.code
        );
        let page = pmigc::diag::catalogue::page(entry);
        assert!(page.starts_with(&format!("{}: {}", entry.code, entry.title)));
        for line in entry
            .wrong
            .lines()
            .chain(entry.right.lines())
            .filter(|l| !l.is_empty())
        {
            assert!(page.contains(line), "{}: page lacks `{line}`", entry.code);
        }
    }
    let codes: Vec<&str> = entries.iter().map(|e| e.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "entries are kept in code order");
}
