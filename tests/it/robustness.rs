//! No input makes pmigc panic or hang: thousands of mutations of the payment stack (deleted,
//! duplicated and swapped lines, truncations, swapped tokens, random bytes, very long names,
//! deep nesting) all end in diagnostics or a compiled stack. Deterministic: a fixed-seed
//! generator, so a failure reproduces.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::common::Rng;

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
const CASES: usize = 4000;

const SNIPPETS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "=",
    ",",
    "%",
    "..",
    "/",
    ":",
    "<",
    "10.0.0.0/8",
    "999.1.1.1/33",
    "5s",
    "7 days",
    "50",
    "0%",
    "101%",
    "main.private",
    "ledger",
    "api",
    "onprem_to_aws.lag",
    "\n",
    "#",
    "service",
    "database x {",
    "input",
    "output",
    "workspace",
    "existing",
    "é",
    "💳",
    "\t",
    "3..1",
    "0..0",
    "/33",
    "-",
    "_",
    "stack",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // Earlier mutations may have cut everything: nothing left to swap or duplicate.
    if lines.is_empty() {
        return format!("{text}stack");
    }
    match rng.below(9) {
        0 => {
            let skip = rng.below(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n")
        }
        1 => {
            let dup = rng.below(lines.len());
            let mut out: Vec<&str> = lines.clone();
            if let Some(line) = lines.get(dup) {
                out.insert(dup, line);
            }
            out.join("\n")
        }
        2 => {
            let mut cut = rng.below(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        3 => {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            let mut out = lines.clone();
            out.swap(a, b);
            out.join("\n")
        }
        4 => {
            let mut words: Vec<&str> = text.split(' ').collect();
            let (a, b) = (rng.below(words.len()), rng.below(words.len()));
            words.swap(a, b);
            words.join(" ")
        }
        5 => {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
            format!("{}{}{}", &text[..at], snippet, &text[at..])
        }
        6 => {
            let bytes: String = (0..rng.below(40) + 1)
                .map(|_| char::from_u32((rng.next() % 0x250) as u32).unwrap_or('?'))
                .collect();
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            format!("{}{}{}", &text[..at], bytes, &text[at..])
        }
        7 => text.replacen("api", &"a".repeat(1 + rng.below(5000)), 1 + rng.below(3)),
        _ => {
            let depth = 1 + rng.below(3000);
            text.replacen(
                "[0%,",
                &format!("{}0%{},", "[".repeat(depth), "]".repeat(depth)),
                1,
            )
        }
    }
}

#[test]
fn mutated_stacks_never_panic() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut compiled = 0;
    let mut rejected = 0;
    for case in 0..CASES {
        // Mutations compound: every fourth case starts over from the clean stack.
        let mut text = PAYMENT.to_string();
        for _ in 0..=(case % 4) {
            text = mutate(&mut rng, &text);
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            let checked = pmigc::check_source(&text);
            let has_errors = checked.diagnostics.iter().any(|d| d.is_error());
            if has_errors {
                assert!(
                    checked.stacks.is_empty(),
                    "a stack with errors must not compile"
                );
                let source = pmigc::diag::render::Source {
                    name: "mutant.pmig",
                    text: &text,
                };
                let rendered = pmigc::diag::render::human(&source, &checked.diagnostics, false);
                assert!(rendered.contains("error["), "errors must render");
                let _ = pmigc::diag::render::json_lines(&source, &checked.diagnostics);
            }
            for stack in &checked.stacks {
                let _ = pmigc::emit::render_files(&pmigc::root_of(stack, &[]).unwrap());
            }
            has_errors
        }));
        match result {
            Ok(true) => rejected += 1,
            Ok(false) => compiled += 1,
            Err(_) => panic!("case {case} panicked on input:\n{text}"),
        }
    }
    // The mutations must exercise both paths, or the test proves little.
    assert!(
        rejected > CASES / 2,
        "only {rejected} mutants were rejected"
    );
    assert!(compiled > 0, "no mutant compiled");
}
