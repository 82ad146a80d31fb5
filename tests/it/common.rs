//! Helpers shared by the integration tests.

use pmigc::{FileRead, Found};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The repository's directory of `rel`.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Reads the files a stack names (`boot = file "…"`) as if the stack lived in `dir`, the way
/// the CLI reads them beside the stack (whole: the test files are small).
pub fn reader(dir: PathBuf) -> impl FnMut(&str) -> Found {
    move |path| {
        let resolved = dir.join(path);
        let read = match std::fs::read(&resolved) {
            Ok(bytes) => FileRead::Bytes(bytes),
            Err(e) => FileRead::Unreadable(e.to_string()),
        };
        // Shown relative to the repository, so that snapshots do not depend on the checkout.
        let shown = resolved
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&resolved)
            .display()
            .to_string();
        Found {
            resolved: shown,
            read,
        }
    }
}

/// Checks a stack that lives in `stacks/` (its boot scripts are read beside it).
pub fn check(text: &str) -> pmigc::Checked {
    pmigc::check_source_with(text, &mut reader(repo("stacks")))
}

/// [`compile_in`] for a stack that lives in `stacks/`.
pub fn compile(text: &str) -> Vec<(String, Value)> {
    compile_in(text, &repo("stacks"))
}

/// Checks a stack that lives in `dir` (which must have no errors; its boot scripts are read
/// there) and lowers every workspace: `(workspace, root)`, the root as Terraform reads it,
/// every emitted `*.tf.json` file merged into one object.
pub fn compile_in(text: &str, dir: &Path) -> Vec<(String, Value)> {
    let checked = pmigc::check_source_with(text, &mut reader(dir.to_path_buf()));
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        checked.diagnostics
    );
    checked
        .stacks
        .iter()
        .map(|s| {
            let mut root = Map::new();
            for (_, text) in pmigc::emit::render_files(&pmigc::root_of(s, &[]).unwrap()) {
                let file: Map<String, Value> =
                    serde_json::from_str(&text).expect("emitted JSON parses");
                root.extend(file);
            }
            (s.workspace.name.to_string(), Value::Object(root))
        })
        .collect()
}

/// The codes of the migration-plan check (`pmigc::plan`), which `check` reports only once
/// `plan::ENFORCE` is on.
pub const PLAN_CODES: [&str; 2] = ["PMG0812", "PMG0813"];

/// Whether a golden case expects a plan code (its `# expect:` lines): it is checked with the plan
/// check on.
pub fn expects_plan(text: &str) -> bool {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .any(|codes| PLAN_CODES.iter().any(|c| codes.contains(c)))
}

/// Checks a stack whose files are read in `dir`, as `pmigc check` does, with the plan check on
/// when `plan` (the plan codes' own cases, while `plan::ENFORCE` is off; such a stack parses
/// without a syntax error, so the checker's diagnostics are all there is).
pub fn check_in(text: &str, dir: PathBuf, plan: bool) -> pmigc::Checked {
    // The plan check is on for every stack (`plan::ENFORCE`, asserted below); a plan case must
    // parse, or the checker's diagnostics would not all be there.
    if plan {
        assert!(
            !matches!(
                pmigc::fmt::format(text),
                Err(pmigc::fmt::FormatError::Syntax(_))
            ),
            "a plan case with syntax errors"
        );
    }
    pmigc::check_source_with(text, &mut reader(dir))
}

// The library runs the plan check on every stack; were it off, [`check_in`] could not run it.
const _: () = assert!(
    pmigc::plan::ENFORCE,
    "check_in relies on the plan check being on"
);

/// Every `.rs` file under `dir`, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut files = Vec::new();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    files
}

/// Insta's settings for a snapshot of `tests/snapshots/`: there, and named exactly as given
/// (`cases__err__NAME`: the module's name first, as insta named them when each module was a
/// test binary of its own), not after this binary's module path.
pub fn snapshots() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// xorshift64*: a small deterministic generator for the tests that mutate stacks, so that a
/// failure names its seed.
#[allow(dead_code)]
pub struct Rng(pub u64);

#[allow(dead_code)]
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One problem, one diagnostic: no two of a stack's diagnostics have the same code, message and
/// primary span. A problem found in several workspaces is said once (a value that differs per
/// workspace belongs in a label the checker merges, not in what two copies would differ by).
pub fn said_once(path: &Path, checked: &pmigc::Checked) {
    let mut seen = std::collections::BTreeSet::new();
    for d in &checked.diagnostics {
        let key = (d.code.to_string(), d.message.clone(), d.primary_span());
        assert!(
            seen.insert(key),
            "{}: {} `{}` is said twice at one place: {:#?}",
            path.display(),
            d.code,
            d.message,
            checked
                .diagnostics
                .iter()
                .filter(|e| e.code == d.code && e.message == d.message)
                .collect::<Vec<_>>()
        );
    }
}
