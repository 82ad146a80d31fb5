//! The golden cases under `tests/cases/`, as the tests read them. A case is either a whole
//! stack (`NAME.pmig`) or a change to another stack (`NAME.patch`): a unified diff, as
//! `diff -u` writes it, whose `---` line names the stack it changes (a path from the crate's
//! root, e.g. `stacks/payment.pmig`). A near-copy of a hundred-line stack is thus the few lines
//! that make it wrong, and a change to the stack reaches every case made from it. A hunk is
//! applied where its old lines are, searched outward from the line it names (as `patch` does
//! when lines moved); a hunk whose old lines are nowhere fails the test that reads the case,
//! naming the case and the hunk.
//!
//! `scripts/golden-patch.sh CASE.pmig BASE` writes a case as a patch.

use std::path::{Path, PathBuf};

/// One golden case: where it is, its name (the file's stem), and the stack it stands for.
pub struct Case {
    pub path: PathBuf,
    pub name: String,
    pub text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every case of `tests/cases/DIR`, whole stacks and patches, sorted by name.
pub fn cases(dir: &str) -> Vec<Case> {
    let dir = root().join("tests/cases").join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pmig" || x == "patch"))
        .collect();
    paths.sort_by_key(|p| p.file_stem().map(|s| s.to_os_string()));
    assert!(!paths.is_empty(), "no cases in {}", dir.display());
    paths.into_iter().map(read_case).collect()
}

/// The case `tests/cases/DIR/FILE` (`FILE` with its extension, `.pmig` or `.patch`).
pub fn case(dir: &str, file: &str) -> Case {
    read_case(root().join("tests/cases").join(dir).join(file))
}

fn read_case(path: PathBuf) -> Case {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = read(&path);
    let text = if path.extension().is_some_and(|x| x == "patch") {
        patched(&path, &text)
    } else {
        text
    };
    Case { path, name, text }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The stack a patch file stands for: its base with its hunks applied.
fn patched(path: &Path, patch: &str) -> String {
    let base = patch
        .lines()
        .find_map(|l| l.strip_prefix("--- "))
        .map(|b| b.split('\t').next().unwrap_or(b).trim())
        .unwrap_or_else(|| panic!("{}: no `--- BASE` line", path.display()));
    apply(&read(&root().join(base)), patch)
        .unwrap_or_else(|e| panic!("{}: {e} (base {base})", path.display()))
}

/// A hunk: the line it starts at in the base (0-based), the lines it expects there, and the
/// lines it puts in their place.
struct Hunk {
    header: String,
    start: usize,
    old: Vec<String>,
    new: Vec<String>,
}

fn hunks(patch: &str) -> Result<Vec<Hunk>, String> {
    let mut hunks: Vec<Hunk> = Vec::new();
    for line in patch.lines() {
        if let Some(rest) = line.strip_prefix("@@ -") {
            let old = rest.split(' ').next().unwrap_or("");
            let (start, count) = old.split_once(',').unwrap_or((old, "1"));
            let start: usize = start.parse().map_err(|_| format!("bad hunk `{line}`"))?;
            let count: usize = count.parse().map_err(|_| format!("bad hunk `{line}`"))?;
            // `-S,0` inserts after line S; otherwise the hunk starts at line S (1-based).
            let start = if count == 0 {
                start
            } else {
                start.saturating_sub(1)
            };
            hunks.push(Hunk {
                header: line.to_string(),
                start,
                old: Vec::new(),
                new: Vec::new(),
            });
            continue;
        }
        let Some(hunk) = hunks.last_mut() else {
            continue; // `---`, `+++` and anything before the first hunk
        };
        match line.split_at_checked(1) {
            Some((" ", text)) => {
                hunk.old.push(text.to_string());
                hunk.new.push(text.to_string());
            }
            Some(("-", text)) => hunk.old.push(text.to_string()),
            Some(("+", text)) => hunk.new.push(text.to_string()),
            Some(("\\", _)) => {} // "\ No newline at end of file"
            None => {
                hunk.old.push(String::new());
                hunk.new.push(String::new());
            }
            Some(_) => return Err(format!("unexpected line `{line}` in {}", hunk.header)),
        }
    }
    Ok(hunks)
}

/// `base` with the hunks of `patch` applied in order.
fn apply(base: &str, patch: &str) -> Result<String, String> {
    let lines: Vec<&str> = base.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut next = 0; // the first base line not yet copied or replaced
    let mut shift: isize = 0; // how far the previous hunk was found from where it said
    for hunk in hunks(patch)? {
        let wanted = hunk.start.saturating_add_signed(shift).max(next);
        let fits = |at: usize| {
            at >= next
                && at + hunk.old.len() <= lines.len()
                && hunk.old.iter().zip(&lines[at..]).all(|(a, b)| a == b)
        };
        let found = (0..=lines.len())
            .flat_map(|d| [wanted.checked_add(d), wanted.checked_sub(d)])
            .flatten()
            .find(|at| fits(*at))
            .ok_or_else(|| {
                format!(
                    "hunk `{}` does not apply: its lines are not in the base",
                    hunk.header
                )
            })?;
        shift = found as isize - hunk.start as isize;
        out.extend(lines[next..found].iter().map(|l| l.to_string()));
        out.extend(hunk.new.iter().cloned());
        next = found + hunk.old.len();
    }
    out.extend(lines[next..].iter().map(|l| l.to_string()));
    let mut text = out.join("\n");
    text.push('\n');
    Ok(text)
}

#[test]
fn a_patch_applies_where_its_lines_moved_and_fails_where_they_are_gone() {
    let base = "a\nb\nc\nd\ne\n";
    let patch = "--- base\n+++ case\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n";
    assert_eq!(apply(base, patch).unwrap(), "a\nb\nC\nd\ne\n");
    // Two lines added above: found two lines further down.
    assert_eq!(
        apply(&format!("x\ny\n{base}"), patch).unwrap(),
        "x\ny\na\nb\nC\nd\ne\n"
    );
    // An insertion at the top, and a deletion at the end.
    let patch = "--- base\n+++ case\n@@ -0,0 +1 @@\n+# top\n@@ -5 +5,0 @@\n-e\n";
    assert_eq!(apply(base, patch).unwrap(), "# top\na\nb\nc\nd\n");
    assert!(apply("a\nb\nd\n", "@@ -2,2 +2,2 @@\n b\n-c\n+C\n").is_err());
}
