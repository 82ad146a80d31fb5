//! The formatter's tests: small texts with their canonical layout, then the properties, data-
//! driven over `stacks/` and `tests/cases/` (moved from the test binary's `fmt.rs`: they mangle
//! and mutate texts token by token with the lexer, which is not public): formatting never
//! changes what a stack compiles to (Terraform roots) or what it is told (diagnostics); it is
//! idempotent and keeps every comment; whitespace mangled in many ways formats back to the
//! canonical file.

use super::*;
use crate::common;
use crate::golden;
use crate::syntax::lexer::{self, TokenKind};
use std::path::{Path, PathBuf};

fn ok(text: &str) -> String {
    match format(text) {
        Ok(out) => out,
        Err(e) => panic!("{e:?}\n{text}"),
    }
}

#[test]
fn the_payment_stack_is_a_fixed_point() {
    let text = include_str!("../../stacks/payment.pmig");
    assert_eq!(ok(text), text);
}

#[test]
fn spacing_alignment_and_commas() {
    let text = "stack s {\n region=\"x\" ,name = \"n\"\n\n\n  tags={a=1,b = [x,y , ]}\n}\n";
    assert_eq!(
        ok(text),
        "stack s {\n  region = \"x\"\n  name   = \"n\"\n\n  tags = { a = 1, b = [x, y] }\n}\n"
    );
}

#[test]
fn one_line_blocks_stay_on_one_line() {
    assert_eq!(
        ok("existing  secret db {name=\"x\" keys=[a,b]}"),
        "existing secret db { name = \"x\", keys = [a, b] }\n"
    );
    assert_eq!(ok("dashboard d {}\n"), "dashboard d { }\n");
}

#[test]
fn comments_are_kept_and_trailing_ones_aligned() {
    let text = "# head\n\n\nnetwork n { # open\n  # own line\n  cidr = 10.0.0.0/16 # a\n  zones = 3  # b\n  nat = single,\n}   # after\n// tail";
    assert_eq!(
        ok(text),
        "# head\n\nnetwork n { # open\n  # own line\n  cidr  = 10.0.0.0/16 # a\n  zones = 3           # b\n  nat   = single\n} # after\n// tail\n"
    );
}

#[test]
fn inputs_and_outputs_align_in_runs() {
    let text = "input a: name = \"x\"\ninput long_name: percent = 5%\n\noutput o = a.b\noutput longer = c.d\n";
    assert_eq!(
        ok(text),
        "input a:         name    = \"x\"\ninput long_name: percent = 5%\n\noutput o      = a.b\noutput longer = c.d\n"
    );
}

#[test]
fn broken_lists_get_one_element_per_line() {
    let text = "stack s {\n  phases = [0%,\n 10%, 100%]\n}\n";
    assert_eq!(
        ok(text),
        "stack s {\n  phases = [\n    0%,\n    10%,\n    100%,\n  ]\n}\n"
    );
}

#[test]
fn a_number_and_a_unit_on_different_lines_stay_apart() {
    // `7\n days` is two terms (a quantity needs spaces only); joining them would make
    // it `7 days`, one quantity.
    let text = "database d {\n  backups = 7\n days\n  x = 7   days\n}\n";
    let out = ok(text);
    assert_eq!(
        out,
        "database d {\n  backups = 7\n    days\n  x       = 7 days\n}\n"
    );
    assert_eq!(ok(&out), out);
}

#[test]
fn syntax_errors_are_returned_not_formatted() {
    let Err(FormatError::Syntax(d)) = format("network n {\n  cidr = \"x\n}\n") else {
        panic!("formatted a broken text");
    };
    assert_eq!(d.first().map(|d| d.code.as_str()), Some("PMG0103"));
}

#[test]
fn byte_order_mark_and_crlf() {
    assert_eq!(
        ok("\u{feff}stack s {\r\n  a = 1 # c\r\n}\r\n"),
        "\u{feff}stack s {\n  a = 1 # c\n}\n"
    );
}

// The properties.

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pmig_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .pmig in {dir}");
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn canonical(path: &Path, text: &str) -> String {
    match format(text) {
        Ok(out) => out,
        Err(e) => panic!("{}: {e:?}", path.display()),
    }
}

/// What a diagnostic says, without where: code, severity, message, help, the fix's text, and
/// each label's message with the source text it underlines (whitespace removed, since
/// formatting may change the whitespace inside a span).
fn said(text: &str) -> Vec<String> {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>().replace(',', "");
    common::check_in(
        text,
        common::repo("tests/cases/err"),
        common::expects_plan(text),
    )
    .diagnostics
    .iter()
    .map(|d| {
        let labels: Vec<String> = d
            .labels
            .iter()
            .map(|l| {
                let under = text.get(l.span.start..l.span.end).unwrap_or("?");
                format!("{} {} [{}]", l.primary, l.message, squeeze(under))
            })
            .collect();
        format!(
            "{} {:?} {} | {:?} | {:?} | {:?}",
            d.code,
            d.severity,
            d.message,
            d.help,
            d.fix.as_ref().map(|f| &f.replacement),
            labels
        )
    })
    .collect()
}

fn comments(text: &str) -> Vec<String> {
    lexer::lex(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| t.text(text).trim_end().to_string())
        .collect()
}

#[test]
fn the_stacks_are_canonical() {
    for path in pmig_files("stacks") {
        let text = read(&path);
        assert_eq!(canonical(&path, &text), text, "{}", path.display());
    }
}

/// Stacks and `ok/` cases compile to the same Terraform roots before and after formatting.
#[test]
fn formatting_never_changes_the_terraform() {
    let mut files = pmig_files("stacks");
    files.extend(pmig_files("tests/cases/ok"));
    for path in files {
        let text = read(&path);
        let formatted = canonical(&path, &text);
        let dir = path.parent().unwrap();
        assert_eq!(
            common::compile_in(&text, dir),
            common::compile_in(&formatted, dir),
            "{}",
            path.display()
        );
    }
}

/// `err/` cases: a syntax error is not formatted (its diagnostics come back); any other
/// case is told exactly the same things after formatting.
#[test]
fn formatting_never_changes_the_diagnostics() {
    let (mut formatted_cases, mut syntax_cases) = (0, 0);
    for golden::Case { path, text, .. } in golden::cases("err") {
        match format(&text) {
            Ok(formatted) => {
                formatted_cases += 1;
                assert_eq!(said(&text), said(&formatted), "{}", path.display());
                assert!(!said(&formatted).is_empty(), "{}", path.display());
            }
            Err(FormatError::Syntax(diagnostics)) => {
                syntax_cases += 1;
                let checked = pmigc::check_source(&text).diagnostics;
                assert!(!diagnostics.is_empty());
                for d in &diagnostics {
                    // Syntax errors are PMG01xx, and PMG0507 (an IPv6 literal, which the
                    // grammar has no token for).
                    assert!(
                        d.code.as_str().starts_with("PMG01") || d.code.as_str() == "PMG0507",
                        "{}: {}",
                        path.display(),
                        d.code
                    );
                    assert!(checked.contains(d), "{}: {d:?}", path.display());
                }
            }
            Err(e) => panic!("{}: {e:?}", path.display()),
        }
    }
    assert!(formatted_cases > 30 && syntax_cases >= 4);
}

#[test]
fn formatting_is_idempotent_and_keeps_every_comment() {
    let mut files: Vec<(PathBuf, String)> = pmig_files("stacks")
        .into_iter()
        .map(|p| (p.clone(), read(&p)))
        .collect();
    for dir in ["ok", "err"] {
        files.extend(golden::cases(dir).into_iter().map(|c| (c.path, c.text)));
    }
    for (path, text) in files {
        let Ok(once) = format(&text) else { continue };
        assert_eq!(canonical(&path, &once), once, "{}", path.display());
        assert_eq!(comments(&text), comments(&once), "{}", path.display());
        assert!(!once.contains(" \n") && once.ends_with('\n'));
    }
}

/// The text rebuilt from its tokens, each passed through `f` with the depth stack of
/// brackets it is in (`{` or `[`).
fn rebuild(text: &str, mut f: impl FnMut(&[TokenKind], usize, &str) -> String) -> String {
    let tokens = lexer::lex(text);
    let mut stack: Vec<TokenKind> = Vec::new();
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == TokenKind::RBrace || t.kind == TokenKind::RBracket {
            stack.pop();
        }
        out.push_str(&f(&stack, i, t.text(text)));
        if t.kind == TokenKind::LBrace || t.kind == TokenKind::LBracket {
            stack.push(t.kind);
        }
    }
    out
}

/// Ways to mangle a canonical file's whitespace and optional commas, each deterministic.
fn mangles(text: &str) -> Vec<(&'static str, String)> {
    let tokens = lexer::lex(text);
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let solid_before = |i: usize| {
        (0..i)
            .rev()
            .map(|k| tokens[k].kind)
            .find(|k| *k != TokenKind::Space)
    };
    vec![
        // Every run of spaces becomes one: no alignment left.
        (
            "collapsed",
            rebuild(text, |_, i, s| {
                if kind(i) == Some(TokenKind::Space) {
                    " ".into()
                } else {
                    s.into()
                }
            }),
        ),
        // Every run of spaces becomes three, every line ends in blanks and starts with a tab.
        (
            "expanded",
            rebuild(text, |_, i, s| match kind(i) {
                Some(TokenKind::Space) => "   ".into(),
                Some(TokenKind::Newline) => " \t \n\t".into(),
                _ => s.into(),
            }),
        ),
        // No space around `=`, `,` and brackets where none is needed.
        (
            "tight",
            rebuild(text, |_, i, s| {
                let around = |k: Option<TokenKind>| {
                    matches!(
                        k,
                        Some(
                            TokenKind::Equals
                                | TokenKind::Comma
                                | TokenKind::LBracket
                                | TokenKind::RBracket
                                | TokenKind::LBrace
                                | TokenKind::RBrace
                        )
                    )
                };
                if kind(i) == Some(TokenKind::Space)
                    && (around(kind(i + 1)) || around(kind(i.wrapping_sub(1))))
                    && kind(i.wrapping_sub(1)) != Some(TokenKind::Newline)
                    && i > 0
                {
                    String::new()
                } else {
                    s.into()
                }
            }),
        ),
        // Optional commas dropped from maps and one-line blocks.
        (
            "no commas",
            rebuild(text, |stack, i, s| {
                if kind(i) == Some(TokenKind::Comma) && stack.last() == Some(&TokenKind::LBrace) {
                    String::new()
                } else {
                    s.into()
                }
            }),
        ),
        // Optional commas added after every attribute of a multi-line block.
        (
            "commas",
            rebuild(text, |stack, i, s| {
                let ends_attribute = matches!(
                    solid_before(i),
                    Some(
                        TokenKind::Word
                            | TokenKind::String
                            | TokenKind::RBracket
                            | TokenKind::RBrace
                    )
                );
                if kind(i) == Some(TokenKind::Newline)
                    && stack.last() == Some(&TokenKind::LBrace)
                    && ends_attribute
                {
                    ",\n".into()
                } else {
                    s.into()
                }
            }),
        ),
        // Two attributes of a multi-line block joined on one line, and blank lines doubled.
        ("joined", {
            let mut joined = 0;
            rebuild(text, |stack, i, s| {
                let in_block = stack.last() == Some(&TokenKind::LBrace) && stack.len() == 1;
                let plain_line_end = matches!(
                    solid_before(i),
                    Some(TokenKind::Word | TokenKind::String | TokenKind::RBracket)
                );
                let next_is_attr =
                    kind(i + 1) == Some(TokenKind::Space) && kind(i + 2) == Some(TokenKind::Word);
                if kind(i) == Some(TokenKind::Newline) && kind(i + 1) == Some(TokenKind::Newline) {
                    return "\n\n\n".into();
                }
                if kind(i) == Some(TokenKind::Newline) && in_block && plain_line_end && next_is_attr
                {
                    joined += 1;
                    if joined % 2 == 1 {
                        return " ".into();
                    }
                }
                s.into()
            })
        }),
    ]
}

#[test]
fn mangled_whitespace_formats_back_to_the_canonical_file() {
    let mut files = vec![root().join("stacks/payment.pmig")];
    files.extend(pmig_files("tests/cases/ok"));
    let mut changed = std::collections::BTreeMap::new();
    for path in files {
        let text = canonical(&path, &read(&path));
        for (how, mangled) in mangles(&text) {
            if mangled == text {
                continue;
            }
            *changed.entry(how).or_insert(0) += 1;
            let back = match format(&mangled) {
                Ok(back) => back,
                Err(e) => panic!("{how} {}: {e:?}\n{mangled}", path.display()),
            };
            assert_eq!(back, text, "{how} {}:\n{mangled}", path.display());
        }
    }
    // Every mangling changed the payment stack and at least one more file.
    assert_eq!(changed.len(), 6, "{changed:?}");
    assert!(changed.values().all(|n| *n >= 2), "{changed:?}");
}

// The property test (issue 28): `fmt` is total on every text that parses, idempotent, keeps
// every comment, and never changes what `check` says — on the stacks and `ok/` cases mutated
// at every token boundary and in random combinations.

use common::Rng;

/// The byte offsets between tokens (and both ends).
fn boundaries(text: &str) -> Vec<usize> {
    let mut at: Vec<usize> = lexer::lex(text).iter().map(|t| t.span.start).collect();
    at.push(text.len());
    at
}

/// What can be put between two tokens without touching either.
const INSERTS: &[&str] = &[
    " # inserted\n",
    "// inserted\n",
    "\n# own line\n",
    "\n\n",
    "\n",
    "\n\n# after a blank line\n\n",
    " ",
];

fn insert(text: &str, at: usize, what: &str) -> String {
    format!("{}{what}{}", &text[..at], &text[at..])
}

/// The top-level items of a text, with the trivia before each.
fn items(text: &str) -> Vec<String> {
    let pieces = crate::syntax::split::split(text);
    let mut out = Vec::new();
    let mut from = 0;
    for piece in &pieces {
        out.push(text[from..piece.range.end].to_string());
        from = piece.range.end;
    }
    if let Some(last) = out.last_mut() {
        last.push_str(&text[from..]);
    }
    out
}

/// One random mutation of `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        // Something between two tokens.
        0..=2 => {
            let at = boundaries(text);
            insert(
                text,
                at[rng.below(at.len())],
                INSERTS[rng.below(INSERTS.len())],
            )
        }
        // Two top-level items swapped.
        3 => {
            let mut items = items(text);
            if items.len() > 1 {
                let (a, b) = (rng.below(items.len()), rng.below(items.len()));
                items.swap(a, b);
                for item in &mut items {
                    if !item.ends_with('\n') {
                        item.push('\n');
                    }
                }
            }
            items.concat()
        }
        // A top-level item written twice.
        _ => {
            let mut items = items(text);
            if !items.is_empty() {
                let i = rng.below(items.len());
                let copy = format!("\n{}\n", items[i].trim_end());
                items.insert(i, copy);
            }
            items.concat()
        }
    }
}

/// The property on one text: `Ok(true)` when it held, `Ok(false)` for a text with syntax
/// errors (which `fmt` refuses, with them, as tested above); `Err` says how it broke.
fn holds(text: &str) -> Result<bool, String> {
    let (_, syntax) = crate::syntax::parse(text);
    if syntax.iter().any(pmigc::diag::Diagnostic::is_error) {
        return Ok(false);
    }
    let once = format(text).map_err(|e| format!("not formatted: {e:?}"))?;
    let twice = format(&once).map_err(|e| format!("the formatted text is refused: {e:?}"))?;
    if twice != once {
        return Err(format!("not idempotent; once:\n{once}\ntwice:\n{twice}"));
    }
    if comments(text) != comments(&once) {
        return Err("a comment was lost or changed".into());
    }
    if said(text) != said(&once) {
        return Err(format!(
            "check says something else after formatting:\n{:#?}\n{:#?}",
            said(text),
            said(&once)
        ));
    }
    Ok(true)
}

fn property_inputs() -> Vec<(PathBuf, String)> {
    let mut files = pmig_files("stacks");
    files.extend(pmig_files("tests/cases/ok"));
    files.into_iter().map(|p| (p.clone(), read(&p))).collect()
}

/// At every token boundary of every stack and `ok/` case, one of the insertions (each in
/// turn, so that every kind lands in every kind of place across the files).
#[test]
fn an_insertion_at_every_token_boundary_formats_idempotently() {
    let mut failures = Vec::new();
    let (mut tried, mut formatted) = (0, 0);
    for (path, text) in property_inputs() {
        for (i, at) in boundaries(&text).into_iter().enumerate() {
            let what = INSERTS[(i + tried) % INSERTS.len()];
            let mutated = insert(&text, at, what);
            tried += 1;
            match holds(&mutated) {
                Ok(held) => formatted += usize::from(held),
                Err(why) => failures.push(format!(
                    "{} + {what:?} at byte {at}: {why}\n--- input:\n{mutated}",
                    path.display()
                )),
            }
        }
    }
    // Most insertions leave a text that parses (a line break between a number and its unit,
    // or before `{`, does not).
    assert!(
        tried > 5_000 && formatted * 10 > tried * 8,
        "{formatted} of {tried}"
    );
    assert!(
        failures.is_empty(),
        "{} of {tried} mutations broke fmt; the first:\n{}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn random_mutations_format_idempotently() {
    let inputs = property_inputs();
    let mut formatted = 0;
    for seed in 1..=300u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let (path, text) = &inputs[rng.below(inputs.len())];
        let mut mutated = text.clone();
        for _ in 0..1 + rng.below(8) {
            mutated = mutate(&mutated, &mut rng);
        }
        match holds(&mutated) {
            Ok(held) => formatted += usize::from(held),
            Err(why) => panic!(
                "seed {seed}, from {}: {why}\n--- input:\n{mutated}",
                path.display()
            ),
        }
    }
    assert!(formatted > 150, "only {formatted} mutated texts parsed");
}

/// Issue 28's three reproductions, each refused or unstable before: a comment between a key
/// and its `=` (an internal error), a value holding a blank line and a declaration written over
/// two lines (each formatted differently the second time).
#[test]
fn the_reported_breaks_format_once_and_for_all() {
    let cases = [
        (
            "stack s {\n  region # where\n  = \"us-east-1\"\n  name = \"n\"\n}\n",
            "stack s {\n  region = # where\n    \"us-east-1\"\n  name   = \"n\"\n}\n",
        ),
        (
            "network n {\n  cidr = 10.0.0.0/16\n  public = /24\n\n per zone\n  zones = 3\n}\n",
            "network n {\n  cidr   = 10.0.0.0/16\n  public = /24 per zone\n  zones  = 3\n}\n",
        ),
        (
            "input a: name\n = \"x\"\ninput bbbb: percent = 5%\n",
            "input a:    name    = \"x\"\ninput bbbb: percent = 5%\n",
        ),
    ];
    for (text, expected) in cases {
        let once = canonical(Path::new("case"), text);
        assert_eq!(once, expected, "{text}");
        assert_eq!(canonical(Path::new("case"), &once), once, "{text}");
        assert_eq!(said(text), said(&once), "{text}");
    }
}
