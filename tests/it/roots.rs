//! Whole roots stay byte-identical unless a change says so. The golden success cases snapshot
//! only what each is about (`cases::ok::`); this test holds every file pmigc emits for every
//! workspace of every shipped stack (`stacks/*.pmig`) and golden success case
//! (`tests/cases/ok/*.pmig`) to `tests/roots.digest`: one line per file, its size and its
//! FNV-1a 64-bit hash. A change to any root fails here, naming the files; a change meant to
//! change roots updates the digest in the same commit (`PMIGC_BLESS=1 cargo test roots::`),
//! so it is visible in review. On a mismatch the roots as they are now are written under
//! `target/tmp/roots/` to diff against a build of the previous commit
//! (`pmigc build STACK --out DIR`).

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DIGEST: &str = "tests/roots.digest";

/// FNV-1a, 64 bits: enough to notice a changed file, and no dependency.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Every stack whose roots are held: `(name in the digest, path)`.
fn stacks() -> Vec<(String, PathBuf)> {
    let mut stacks = Vec::new();
    for (dir, prefix) in [("stacks", ""), ("tests/cases/ok", "ok-")] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(common::repo(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
            .collect();
        paths.sort();
        for path in paths {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            stacks.push((format!("{prefix}{stem}"), path));
        }
    }
    stacks
}

/// `name/workspace/file` → the file's text, for every stack.
fn roots() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (name, path) in stacks() {
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap().to_path_buf();
        let checked = pmigc::check_source_with(&text, &mut common::reader(dir));
        assert!(
            !checked.has_errors(),
            "{}: {:#?}",
            path.display(),
            checked.diagnostics
        );
        common::said_once(&path, &checked);
        for stack in &checked.stacks {
            for (file, text) in pmigc::emit::render_files(&pmigc::root_of(stack, &[]).unwrap()) {
                files.insert(format!("{name}/{}/{file}", stack.workspace.name), text);
            }
        }
    }
    files
}

fn digest(files: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "# Every file pmigc emits for the stacks of stacks/ and tests/cases/ok/ (ok- prefixed):\n\
         # FNV-1a 64 of its bytes, its size, its path. Checked by tests/it/roots.rs; after a\n\
         # deliberate change to the output: PMIGC_BLESS=1 cargo test roots::\n",
    );
    for (path, text) in files {
        out.push_str(&format!(
            "{:016x} {:>9} {path}\n",
            fnv1a(text.as_bytes()),
            text.len()
        ));
    }
    out
}

#[test]
fn every_root_is_byte_identical_to_the_committed_digest() {
    let files = roots();
    let expected = digest(&files);
    let path = common::repo(DIGEST);
    if std::env::var_os("PMIGC_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    let lines = |text: &str| -> BTreeMap<String, String> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                l.rsplit_once(' ')
                    .map(|(h, p)| (p.to_string(), h.to_string()))
            })
            .collect()
    };
    let (was, now) = (lines(&actual), lines(&expected));
    let mut changes = Vec::new();
    for (file, hash) in &now {
        match was.get(file) {
            None => changes.push(format!("new:     {file}")),
            Some(old) if old != hash => changes.push(format!("changed: {file}")),
            Some(_) => {}
        }
    }
    changes.extend(
        was.keys()
            .filter(|f| !now.contains_key(*f))
            .map(|f| format!("gone:    {f}")),
    );
    let written = Path::new(env!("CARGO_TARGET_TMPDIR")).join("roots");
    let _ = std::fs::remove_dir_all(&written);
    for (file, text) in &files {
        let target = written.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    panic!(
        "the emitted roots are not those of {DIGEST}:\n{}\n(the roots as they are now are in {}; \
         if the change is meant, `PMIGC_BLESS=1 cargo test roots::` and commit the digest)",
        changes.join("\n"),
        written.display()
    );
}

#[test]
fn the_hash_is_fnv1a_64() {
    // The published test vectors of FNV-1a 64.
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
}
