//! The catalogue and the compiler agree: every code the compiler can emit has an explanation
//! (with a wrong and a right example) and a golden test, no entry is orphaned,
//! `docs/diagnostics.md` is exactly what the catalogue reads from it, and every example does
//! what its page says: the wrong one, applied to the reference stack, produces its code, and the
//! right one removes it without causing anything new.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pmigc::codes::{self, ENTRIES};
use pmigc::diag::catalogue::{self, Entry};

use crate::common;
use crate::golden;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn is_code(text: &str) -> bool {
    text.len() == 7 && text.starts_with("PMG") && text.bytes().skip(3).all(|b| b.is_ascii_digit())
}

/// Every registered code (`src/codes.rs`): the codes the compiler can emit.
fn codes_in_source() -> BTreeSet<String> {
    pmigc::diag::Code::ALL
        .iter()
        .map(|code| code.to_string())
        .collect()
}

/// Every case of `tests/cases/err/` (a stack or a patch), with the codes its `# expect:`
/// lines declare.
fn error_cases() -> Vec<(PathBuf, BTreeSet<String>)> {
    golden::cases("err")
        .into_iter()
        .map(|case| {
            let codes = case
                .text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("# expect:"))
                .flat_map(|rest| rest.split([' ', ',']).filter(|c| !c.is_empty()))
                .map(str::to_string)
                .collect();
            (case.path, codes)
        })
        .collect()
}

#[test]
fn every_code_has_an_entry_and_a_golden_test_and_no_entry_is_orphaned() {
    let emitted = codes_in_source();
    assert!(emitted.len() > 40, "found only {emitted:?}");
    let documented: BTreeSet<String> = ENTRIES.iter().map(|e| e.code.to_string()).collect();
    let tested: BTreeSet<String> = error_cases()
        .into_iter()
        .flat_map(|(_, codes)| codes)
        .collect();
    let undocumented: Vec<_> = emitted.difference(&documented).collect();
    let orphaned: Vec<_> = documented.difference(&emitted).collect();
    let untested: Vec<_> = emitted
        .difference(&tested)
        .filter(|c| !INTERNAL.contains(&c.as_str()) && !PROVEN.contains(&c.as_str()))
        .collect();
    let unknown: Vec<_> = tested.difference(&emitted).collect();
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
        "codes without a golden test in tests/cases/err: {untested:?}"
    );
    assert!(
        unknown.is_empty(),
        "cases expect codes the compiler does not define: {unknown:?}"
    );
}

/// `pmg0504-vpc-overlaps-onprem.pmig` is the golden test of PMG0504: it must expect it.
#[test]
fn a_case_named_after_a_code_expects_that_code() {
    for (path, codes) in error_cases() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(code) = name.get(..7).filter(|c| c.starts_with("pmg")) else {
            continue;
        };
        let code = code.to_ascii_uppercase();
        assert!(is_code(&code), "{name}: not named `pmgNNNN-...`");
        assert!(
            codes.contains(&code),
            "{name} is named after {code} but expects {codes:?}"
        );
    }
}

#[test]
fn every_entry_explains_with_a_wrong_and_a_right_example() {
    let mut seen = BTreeSet::new();
    for entry in ENTRIES.iter() {
        assert!(seen.insert(entry.code), "{} documented twice", entry.code);
        assert!(is_code(entry.code), "bad code {:?}", entry.code);
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
            entry.wrong.trim(),
            entry.right.trim(),
            "{}: the fix changes nothing",
            entry.code
        );
        let page = catalogue::page(entry);
        assert!(page.starts_with(&format!("{}: {}\n", entry.code, entry.title)));
        assert!(
            page.contains(entry.explanation),
            "{}: page lacks its explanation",
            entry.code
        );
        // The examples appear on the page as written, indented, in order: wrong, then right.
        let wrong_at = page.find("\nWrong:\n").expect("a Wrong: heading");
        let right_at = page.find("\nRight:\n").expect("a Right: heading");
        assert!(wrong_at < right_at, "{}: Wrong after Right", entry.code);
        let indented = |text: &str| {
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
        };
        let (wrong_part, right_part) = page.split_at(right_at);
        assert!(
            wrong_part[wrong_at..].contains(&indented(entry.wrong)),
            "{}: page lacks the wrong example",
            entry.code
        );
        assert!(
            right_part.contains(&indented(entry.right)),
            "{}: page lacks the right example",
            entry.code
        );
    }
    let codes: Vec<&str> = ENTRIES.iter().map(|e| e.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "entries are kept in code order");
}

#[test]
fn explain_finds_every_entry_and_nothing_else() {
    for entry in ENTRIES.iter() {
        assert_eq!(codes::find(entry.code).as_ref(), Some(entry));
    }
    assert_eq!(codes::find("PMG9999"), None);
    assert_eq!(codes::entries(), *ENTRIES);
}

/// `docs/diagnostics.md` is generated from the diagnostics' declarations (`src/codes.rs` and
/// each rule's `Violation` constants): it must be exactly what they say.
/// `PMIGC_BLESS=1 cargo test catalogue::` regenerates it.
#[test]
fn docs_diagnostics_md_is_exactly_the_catalogue() {
    let path = root().join("docs/diagnostics.md");
    let expected = catalogue::document(&ENTRIES);
    if std::env::var_os("PMIGC_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).expect("docs/diagnostics.md writable");
        return;
    }
    let actual = read(&path);
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "docs/diagnostics.md is not what the diagnostics declare (first difference at line \
             {}); it is generated: edit the diagnostic's declaration beside its rule, then run \
             `PMIGC_BLESS=1 cargo test catalogue::`",
            line + 1
        );
    }
}

// ---- the examples do what the pages say ----------------------------------------------------

/// A top-level item of a `.pmig` text: a block (`network main { ... }`) or a one-line declaration
/// (`input x: percent = 5%`, `output y = z`, or a stray token), keyed by its header words.
struct Item {
    key: String,
    start: usize,
    end: usize,
    /// Byte offsets of the `{` and of the matching `}` of a block.
    body: Option<(usize, usize)>,
}

/// Byte offsets of every character outside comments and string contents (quotes included),
/// with its bracket depth.
fn code_chars(text: &str) -> Vec<(usize, char, i32)> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut in_string = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            // Strings and comments end with the line.
            in_string = false;
            in_comment = false;
        } else if in_comment {
            continue;
        } else if c == '"' {
            in_string = !in_string;
            out.push((i, c, depth));
            continue;
        } else if in_string {
            continue;
        } else if c == '#' {
            in_comment = true;
            continue;
        }
        match c {
            '{' | '[' | '(' => {
                out.push((i, c, depth));
                depth += 1;
            }
            '}' | ']' | ')' => {
                depth -= 1;
                out.push((i, c, depth));
            }
            _ => out.push((i, c, depth)),
        }
    }
    out
}

fn items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut start: Option<usize> = None;
    let mut open: Option<usize> = None;
    let finish = |items: &mut Vec<Item>, start: usize, end: usize, body: Option<(usize, usize)>| {
        let head_end = body.map_or(end, |(o, _)| o);
        let head = text.get(start..head_end).unwrap_or("");
        let head = head.split(['=', ':', '{']).next().unwrap_or(head);
        let key = head.split_whitespace().collect::<Vec<_>>().join(" ");
        items.push(Item {
            key,
            start,
            end,
            body,
        });
    };
    for (i, c, depth) in code_chars(text) {
        if depth < 0 {
            // A `}` that closes nothing is an item of its own.
            if let Some(s) = start.take() {
                finish(&mut items, s, i, None);
            }
            finish(&mut items, i, i + 1, None);
            return items.into_iter().chain(items_after(text, i + 1)).collect();
        }
        match (c, depth, start, open) {
            (c, 0, None, _) if !c.is_whitespace() => {
                start = Some(i);
                if c == '{' {
                    open = Some(i);
                }
            }
            ('{', 0, Some(_), None) => open = Some(i),
            ('}', 0, Some(s), Some(o)) => {
                finish(&mut items, s, i + 1, Some((o, i)));
                start = None;
                open = None;
            }
            ('\n', 0, Some(s), None) => {
                finish(&mut items, s, i, None);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        // An unclosed block or a last line without a newline.
        finish(&mut items, s, text.len(), None);
    }
    items
}

fn items_after(text: &str, from: usize) -> Vec<Item> {
    let rest = text.get(from..).unwrap_or("");
    items(rest)
        .into_iter()
        .map(|item| Item {
            start: item.start + from,
            end: item.end + from,
            body: item.body.map(|(o, c)| (o + from, c + from)),
            ..item
        })
        .collect()
}

/// The attributes of a block body, one per line or comma: (name, start, end).
fn attributes(text: &str, (open, close): (usize, usize)) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last = open;
    let push = |out: &mut Vec<(String, usize, usize)>, s: usize, e: usize| {
        let attr = text.get(s..e).unwrap_or("").trim_end();
        let name = attr.split('=').next().unwrap_or(attr).trim().to_string();
        out.push((name, s, s + attr.len()));
    };
    for (i, c, depth) in code_chars(text) {
        if i <= open || i >= close || depth != 1 {
            continue;
        }
        match (c, start) {
            ('\n' | ',', Some(s)) => {
                push(&mut out, s, last + 1);
                start = None;
            }
            (c, None) if !c.is_whitespace() && c != ',' => {
                start = Some(i);
                last = i;
            }
            (c, Some(_)) if !c.is_whitespace() => last = i + c.len_utf8() - 1,
            _ => {}
        }
    }
    if let Some(s) = start {
        push(&mut out, s, last + 1);
    }
    out
}

/// The blocks and attributes of `example`: (block key, attribute name) pairs, with `None` for
/// the block itself.
fn parts(example: &str) -> BTreeSet<(String, Option<String>)> {
    let mut out = BTreeSet::new();
    for item in items(example) {
        if let Some(body) = item.body {
            for (name, _, _) in attributes(example, body) {
                out.insert((item.key.clone(), Some(name)));
            }
        }
        out.insert((item.key, None));
    }
    out
}

/// The stack with an example applied. An example block's attributes replace those of the same
/// name in the stack's block of the same kind and name (or are added to it), a one-line
/// declaration replaces the one of the same name, and anything else is appended. Blocks and
/// attributes in `without` are first removed from the stack: a wrong example is its right
/// example with something missing (an attribute, a replication), so what only the right one
/// has is taken out before the wrong one is applied.
pub(crate) fn apply(
    base: &str,
    example: &str,
    without: &BTreeSet<(String, Option<String>)>,
) -> String {
    let base_items = items(base);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for target in &base_items {
        if without.contains(&(target.key.clone(), None)) {
            edits.push((target.start, target.end, String::new()));
        } else if let Some(body) = target.body {
            for (name, s, e) in attributes(base, body) {
                if without.contains(&(target.key.clone(), Some(name))) {
                    let comma = usize::from(base.get(e..e + 1) == Some(","));
                    edits.push((s, e + comma, String::new()));
                }
            }
        }
    }
    let mut appended = String::new();
    for item in items(example) {
        let text = example.get(item.start..item.end).unwrap_or("");
        match base_items.iter().find(|b| b.key == item.key) {
            None => {
                appended.push('\n');
                appended.push_str(text);
                appended.push('\n');
            }
            Some(target) => match (item.body, target.body) {
                (Some(body), Some(target_body)) => {
                    let existing = attributes(base, target_body);
                    let mut replaced = BTreeSet::new();
                    for (name, s, e) in attributes(example, body) {
                        let attr = example.get(s..e).unwrap_or("").to_string();
                        match existing.iter().find(|(n, _, _)| *n == name) {
                            Some((_, bs, be)) if replaced.insert(name.clone()) => {
                                edits.push((*bs, *be, attr));
                            }
                            _ => {
                                edits.push((target_body.1, target_body.1, format!("\n  {attr}\n")))
                            }
                        }
                    }
                }
                _ => edits.push((target.start, target.end, text.to_string())),
            },
        }
    }
    let mut out = base.to_string();
    // From the end, so earlier offsets stay valid; inserts at one place keep their order.
    edits.sort_by_key(|(start, _, _)| *start);
    for (start, end, text) in edits.into_iter().rev() {
        out.replace_range(start..end, &text);
    }
    out.push_str(&appended);
    out
}

/// The wrong and the right example of an entry, each applied to the stack it edits.
fn applied(bases: &[String; 2], entry: &Entry) -> (String, String) {
    let base = base_for(bases, entry.wrong);
    let only_right: BTreeSet<_> = parts(entry.right)
        .difference(&parts(entry.wrong))
        .cloned()
        .collect();
    (
        apply(base, entry.wrong, &only_right),
        apply(base, entry.right, &BTreeSet::new()),
    )
}

/// The stacks the examples are written against: the reference stack (`network main`,
/// `service api`, ...) and the smallest one (`stack shop`, `network edge`, `service web`).
fn bases() -> [String; 2] {
    [
        read(&root().join("stacks/payment.pmig")),
        read(&root().join("tests/cases/ok/minimal-service.pmig")),
    ]
}

/// The base an example edits: the one that declares most of the names the example's blocks
/// have (the reference stack when there is no such name).
fn base_for<'a>(bases: &'a [String; 2], example: &str) -> &'a str {
    let names = |text: &str| -> BTreeSet<String> {
        items(text)
            .into_iter()
            .filter_map(|i| {
                let words: Vec<&str> = i.key.split(' ').collect();
                (words.len() > 1).then(|| words.last().map(|w| w.to_string()))?
            })
            .collect()
    };
    let wanted = names(example);
    let shared = |base: &str| names(base).intersection(&wanted).count();
    if shared(&bases[1]) > shared(&bases[0]) {
        &bases[1]
    } else {
        &bases[0]
    }
}

/// The codes of a stack built from the examples, whose files (`boot = file "scripts/…"`) are
/// read from `docs/`, where the examples are written.
/// The plan codes' examples are checked with the plan check on (`common::check_in`).
fn codes(text: &str, code: &str) -> BTreeSet<String> {
    let plan = common::PLAN_CODES.contains(&code);
    common::check_in(text, root().join("docs"), plan)
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

/// Entries whose examples are whole files rather than edits of a stack.
const WHOLE_FILES: &[&str] = &["PMG0207"];

/// Entries whose wrong example is one mistake that must be made this many times (appended to
/// the reference stack) to produce the code; the right example is appended once.
const REPEATED: &[(&str, usize)] = &[("PMG0106", 101)];

/// Internal errors: a bug in pmigc, which no stack may produce. They have no golden test; their
/// wrong example is a stack that once produced them, and must now be refused with an ordinary
/// diagnostic instead.
const INTERNAL: &[&str] = &["PMG0001", "PMG0002", "PMG0003"];

/// The plan check's verdicts (split writes, a lost write), which the language's write model
/// keeps every stack it accepts from reaching: a service reaches a replicated database only
/// through its writer name, the data cutover needs the traffic at 100 % and a change-capturing
/// replication, writes on both sides need a two-way replication, only the owner writes. The
/// checker that produces them is tested on plans wired as the seed's CDKTF wired them
/// (`tests/it/plan.rs`, `src/plan/tests.rs`). Their wrong example is the seed's shape, a
/// service using the database a replication fills, which pmig now makes safe: it must check
/// without the code, as the right one does.
const PROVEN: &[&str] = &["PMG0812", "PMG0813"];

#[test]
fn the_base_stacks_check_cleanly() {
    for base in bases() {
        assert_eq!(codes(&base, ""), BTreeSet::new());
    }
}

#[test]
fn applying_an_example_edits_the_block_it_names() {
    let base = &bases()[0];
    let none = BTreeSet::new();
    let edited = apply(
        base,
        "network main {\n  cidr = 10.9.0.0/16\n  zones = 2\n}\nexisting secret db { name = \"x\", keys = [a] }\ninput traffic_weight: percent = 10%\nnetwork other { cidr = 10.8.0.0/16 }\n",
        &none,
    );
    assert!(edited.contains("network main {\n  cidr = 10.9.0.0/16\n  zones = 2\n  public  = /24"));
    assert!(edited.contains("existing secret db {\n  name = \"x\"\n  keys = [a]\n}"));
    assert!(edited.contains("\ninput traffic_weight: percent = 10%\n"));
    assert!(!edited.contains("percent = 50%"));
    assert!(edited.ends_with("\nnetwork other { cidr = 10.8.0.0/16 }\n"));
    // An attribute given twice is replaced once and added once.
    let twice = apply(base, "network main {\n  zones = 2\n  zones = 3\n}\n", &none);
    assert!(twice.contains("  zones = 2\n"), "{twice}");
    assert!(twice.contains("\n  zones = 3\n}"), "{twice}");
}

/// Each wrong example, applied to the stack it edits, produces its code; the right example
/// does not, and introduces no problem the wrong one did not have.
#[test]
fn every_wrong_example_produces_its_code_and_its_right_example_fixes_it() {
    let bases = bases();
    let mut failures = Vec::new();
    for entry in ENTRIES.iter() {
        let code = entry.code;
        let repeated = REPEATED.iter().find(|(c, _)| *c == code);
        let (wrong_text, right_text) = if WHOLE_FILES.contains(&code) {
            (entry.wrong.to_string(), entry.right.to_string())
        } else if let Some((_, times)) = repeated {
            let base = &bases[0];
            (
                format!("{base}\n{}", entry.wrong.repeat(*times)),
                format!("{base}\n{}", entry.right),
            )
        } else {
            applied(&bases, entry)
        };
        let (wrong_codes, right_codes) = (codes(&wrong_text, code), codes(&right_text, code));
        if PROVEN.contains(&code) {
            for (which, codes) in [("wrong", &wrong_codes), ("right", &right_codes)] {
                if codes.contains(code) {
                    failures.push(format!(
                        "{code}: the {which} example reaches a state the write model should prevent: {codes:?}"
                    ));
                }
            }
            continue;
        }
        if INTERNAL.contains(&code) {
            let refused = pmigc::check_source(&wrong_text).has_errors();
            if wrong_codes.contains(code) || !refused {
                failures.push(format!(
                    "{code}: the stack that once caused this internal error gives {wrong_codes:?}"
                ));
            }
            if !right_codes.is_empty() {
                failures.push(format!("{code}: the right example gives {right_codes:?}"));
            }
            continue;
        }
        if !wrong_codes.contains(code) {
            failures.push(format!("{code}: the wrong example gives {wrong_codes:?}"));
        }
        if right_codes.contains(code) {
            failures.push(format!(
                "{code}: the right example still gives it: {right_codes:?}"
            ));
        }
        let new: Vec<_> = right_codes.difference(&wrong_codes).collect();
        if !WHOLE_FILES.contains(&code) && !new.is_empty() {
            failures.push(format!(
                "{code}: the right example causes {new:?}, which the wrong one did not"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
