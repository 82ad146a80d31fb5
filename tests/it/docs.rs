//! The documentation is compiled: every code example in `README.md`, `ARCHITECTURE.md`,
//! `CONTRIBUTING.md` and `docs/*.md` does what it says, the language reference's attribute
//! tables are the registry's, the CLI reference's usage blocks are clap's, and every relative
//! link leads to a file. `docs/diagnostics.md` is the catalogue's (`catalogue::`), whose examples
//! are wrong on purpose; it is left to that test.
//!
//! A fenced block's info string says what it is (CONTRIBUTING.md, "Code examples in the docs"):
//!
//! - ` ```pmig ` — a whole stack: checks with no diagnostic at all (files it names are read
//!   beside `stacks/`);
//! - ` ```pmig edit=PATH ` — blocks and attributes applied to the stack at PATH as the
//!   catalogue applies its examples (an attribute replaces the one of that name in the block
//!   of that kind and name, anything else is added): the result checks with no diagnostic;
//! - ` ```pmig expect=PMG0504 ` (with or without `edit=`) — the stack produces that code;
//! - ` ```pmig fragment ` — a piece of a stack shown alone: it parses without a syntax error;
//! - ` ```sh ` — every line that starts with `pmigc` runs against the built binary, in a
//!   scratch copy of `stacks/`, and exits 0 (or N, when the line ends in `# exit N`); other
//!   lines (`terraform …`) are not run;
//! - ` ```text golden=err/NAME ` — exactly the diagnostics of the golden case `NAME`;
//! - ` ```text help=COMMAND ` — exactly `pmigc COMMAND --help` (`PMIGC_BLESS=1` rewrites);
//! - ` ```LANG excerpt=PATH ` — lines found as they are, in order and together, in PATH;
//! - a block with no info string, ` ```text `, ` ```json `, ` ```console ` or ` ```toml ` is
//!   output or configuration shown as an illustration, and not run; any other language fails.

use crate::catalogue;
use crate::cli_support;
use crate::common;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One fenced code block: where it is, its info string and its text.
struct Block {
    file: String,
    line: usize,
    info: String,
    text: String,
}

impl Block {
    fn lang(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or("")
    }

    /// The value of `key=VALUE` in the info string.
    fn param(&self, key: &str) -> Option<&str> {
        self.info
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
    }

    fn has(&self, word: &str) -> bool {
        self.info.split_whitespace().any(|w| w == word)
    }

    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The documents whose examples are checked here, relative to the repository.
fn documents() -> Vec<String> {
    let mut files = vec![
        "README.md".to_string(),
        "ARCHITECTURE.md".to_string(),
        "CONTRIBUTING.md".to_string(),
    ];
    let mut docs: Vec<String> = std::fs::read_dir(common::repo("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "diagnostics.md")
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::repo(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The fenced blocks of a markdown text (``` fences, at any indentation).
fn blocks_of(file: &str, text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String, String)> = None; // line, indent, info, text
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        match (&mut open, trimmed.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some((
                    i + 1,
                    indent.to_string(),
                    info.trim().to_string(),
                    String::new(),
                ))
            }
            (Some((start, _, info, body)), Some("")) => {
                blocks.push(Block {
                    file: file.to_string(),
                    line: *start,
                    info: info.clone(),
                    text: std::mem::take(body),
                });
                open = None;
            }
            (Some((_, indent, _, body)), _) => {
                body.push_str(line.strip_prefix(indent.as_str()).unwrap_or(line));
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "{file}: a code block is not closed");
    blocks
}

fn all_blocks() -> Vec<Block> {
    documents()
        .iter()
        .flat_map(|f| blocks_of(f, &read(f)))
        .collect()
}

const ILLUSTRATIONS: &[&str] = &["", "text", "json", "console", "toml"];

#[test]
fn every_block_says_what_it_is() {
    let mut bad = Vec::new();
    for block in all_blocks() {
        let known = matches!(block.lang(), "pmig" | "sh")
            || block.param("excerpt").is_some()
            || ILLUSTRATIONS.contains(&block.lang());
        if !known {
            bad.push(format!("{}: ```{}", block.at(), block.info));
        }
    }
    assert!(
        bad.is_empty(),
        "code blocks in a language no test checks (see tests/it/docs.rs):\n{}",
        bad.join("\n")
    );
}

/// The diagnostics of a stack whose files are read beside `stacks/`.
fn diagnostics(text: &str) -> Vec<pmigc::diag::Diagnostic> {
    pmigc::check_source_with(text, &mut common::reader(common::repo("stacks"))).diagnostics
}

#[test]
fn every_pmig_example_checks_as_it_says() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for block in all_blocks().into_iter().filter(|b| b.lang() == "pmig") {
        seen += 1;
        if block.has("fragment") {
            // The formatter refuses a text that does not parse, with its syntax diagnostics.
            if let Err(pmigc::fmt::FormatError::Syntax(errors)) = pmigc::fmt::format(&block.text) {
                let codes: Vec<_> = errors.iter().map(|d| d.code.to_string()).collect();
                failures.push(format!(
                    "{}: the fragment does not parse: {codes:?}",
                    block.at()
                ));
            }
            continue;
        }
        let text = match block.param("edit") {
            Some(base) => catalogue::apply(&read(base), &block.text, &BTreeSet::new()),
            None => block.text.clone(),
        };
        let found = diagnostics(&text);
        let codes: BTreeSet<String> = found.iter().map(|d| d.code.to_string()).collect();
        match block.param("expect") {
            Some(code) if !codes.contains(code) => {
                failures.push(format!("{}: expected {code}, got {codes:?}", block.at()))
            }
            Some(_) => {}
            None if !found.is_empty() => {
                let messages: Vec<String> = found
                    .iter()
                    .map(|d| format!("{}: {}", d.code, d.message))
                    .collect();
                failures.push(format!("{}: {messages:#?}", block.at()));
            }
            None => {}
        }
    }
    assert!(seen > 5, "only {seen} pmig examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A scratch directory holding a copy of `stacks/` (with its scripts) and an empty `docs/`.
fn scratch() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&common::repo("stacks"), &dir.path().join("stacks"));
    // Where `pmigc graph … --out docs/payment.svg` writes.
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    dir
}

/// The command lines of a `sh` block: `\`-continued lines joined, comments kept.
fn command_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        match line.trim_end().strip_suffix('\\') {
            Some(start) => current.push_str(start),
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    lines
}

#[test]
fn every_pmigc_command_in_the_docs_runs() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_pmigc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in all_blocks().into_iter().filter(|b| b.lang() == "sh") {
        // Each block in a fresh copy: a block's commands may build on each other's files.
        let dir = scratch();
        for line in command_lines(&block.text) {
            let command = line.trim();
            if !command.starts_with("pmigc ") {
                continue;
            }
            let (command, expected) = match command.rsplit_once("# exit ") {
                Some((c, code)) => (c.trim(), code.trim().parse::<i32>().unwrap()),
                None => (command, 0),
            };
            ran += 1;
            let output = std::process::Command::new("sh")
                .args(["-c", command])
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .current_dir(dir.path())
                .output()
                .unwrap();
            if output.status.code() != Some(expected) {
                failures.push(format!(
                    "{}: `{command}` exited {:?}, not {expected}:\n{}",
                    block.at(),
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
    }
    assert!(ran > 5, "only {ran} pmigc commands found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_diagnostic_shown_is_its_golden_case_s() {
    let mut failures = Vec::new();
    // From the last, so that rewriting one (`PMIGC_BLESS=1`) leaves the others' lines as read.
    for block in all_blocks().into_iter().rev() {
        let Some(case) = block.param("golden") else {
            continue;
        };
        let (dir, name) = case.split_once('/').unwrap();
        let file = ["pmig", "patch"]
            .iter()
            .map(|x| format!("{name}.{x}"))
            .find(|f| common::repo("tests/cases").join(dir).join(f).exists())
            .unwrap_or_else(|| panic!("{}: no golden case {case}", block.at()));
        let case = crate::golden::case(dir, &file);
        let checked = pmigc::check_source_with(
            &case.text,
            &mut common::reader(case.path.parent().unwrap().to_path_buf()),
        );
        let shown = format!("tests/cases/{dir}/{name}.pmig");
        let source = pmigc::diag::render::Source {
            name: &shown,
            text: &case.text,
        };
        let rendered = pmigc::diag::render::human(&source, &checked.diagnostics, false);
        if rendered.trim_end() != block.text.trim_end() {
            if bless() {
                rewrite_block(&block, &rendered);
                continue;
            }
            failures.push(format!(
                "{}: not what {shown} renders today:\n{rendered}",
                block.at()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rewrites the body of the block that opens at `block.line` of its file with `body` (for
/// `PMIGC_BLESS=1`), keeping the fence's indentation.
fn rewrite_block(block: &Block, body: &str) {
    let path = common::repo(&block.file);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let open = block.line - 1;
    let indent: String = lines[open]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let close = (open + 1..lines.len())
        .find(|&i| lines[i].trim() == "```")
        .unwrap();
    let mut out: Vec<String> = lines[..=open].iter().map(|l| l.to_string()).collect();
    out.extend(body.trim_end_matches('\n').lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!("{indent}{l}")
        }
    }));
    out.extend(lines[close..].iter().map(|l| l.to_string()));
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
}

#[test]
fn every_excerpt_is_in_its_file() {
    let mut failures = Vec::new();
    for block in all_blocks() {
        let Some(file) = block.param("excerpt") else {
            continue;
        };
        let source = read(file);
        let wanted = block.text.trim_end_matches('\n');
        if !source.contains(wanted) {
            failures.push(format!("{}: not found as it is in {file}", block.at()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_relative_link_leads_to_a_file() {
    let mut failures = Vec::new();
    for file in documents() {
        let text = read(&file);
        let dir = Path::new(&file).parent().unwrap_or(Path::new(""));
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = rest[..end].split('#').next().unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            if !common::repo(dir.join(target).to_str().unwrap()).exists() {
                failures.push(format!("{file}: the link `{target}` leads nowhere"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- generated parts: the registry's tables and clap's usage --------------------------------

const BEGIN: &str = "<!-- BEGIN generated from src/registry/ by tests/it/docs.rs: edit the registry, then PMIGC_BLESS=1 cargo test docs:: -->";
const END: &str = "<!-- END generated -->";

fn bless() -> bool {
    std::env::var_os("PMIGC_BLESS").is_some_and(|v| v == "1")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One table per block kind, from the registry, as `docs/language.md` holds them.
fn attribute_tables() -> String {
    use pmigc::reference::{self as registry, Block};
    let blocks: Vec<(&str, &Block)> = [
        ("stack", None),
        ("existing", Some("vpn")),
        ("existing", Some("secret")),
        ("existing", Some("certificate")),
        ("network", None),
        ("database", None),
        ("service", None),
        ("replication", None),
        ("cutover", None),
        ("dashboard", None),
        ("workspace", None),
    ]
    .into_iter()
    .map(|(k, sub)| {
        let block = registry::by_keyword(k, sub).unwrap();
        (block.block, block)
    })
    .collect();
    let mut out = String::new();
    for (name, block) in blocks {
        out.push_str(&format!("\n### `{name}`\n\n{}\n\n", block.doc));
        if block.attrs.is_empty() {
            out.push_str("No attributes.\n");
            continue;
        }
        out.push_str("| attribute | required | value | default | per workspace | what it is |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for attr in block.attrs {
            let mut value = attr.ty.to_string();
            if let Some(unit) = attr.unit {
                value.push_str(&format!(" ({unit})"));
            }
            if !attr.values.is_empty() {
                let words: Vec<String> = attr.values.iter().map(|v| format!("`{v}`")).collect();
                value.push_str(&format!(": {}", words.join(", ")));
            }
            if !attr.catalogue.is_empty() {
                value.push_str(", a class of the instance catalogue");
            }
            if let Some(range) = attr.range {
                value.push_str(&format!(", {range}"));
            }
            let overridable = if attr.overridable {
                "yes".to_string()
            } else if attr.fixed_because.is_empty() {
                "no".to_string()
            } else {
                format!("no: {}", attr.fixed_because)
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} |\n",
                attr.name,
                if attr.required { "yes" } else { "no" },
                cell(&value),
                attr.default
                    .map(|d| format!("`{}`", cell(&d.to_string())))
                    .unwrap_or_default(),
                cell(&overridable),
                cell(attr.doc),
            ));
        }
        if !block.members.is_empty() {
            let members: Vec<String> = block.members.iter().map(|m| format!("`{m}`")).collect();
            out.push_str(&format!(
                "\nAn `output` may read: {}.\n",
                members.join(", ")
            ));
        }
    }
    out
}

/// `text` with what lies between the markers replaced by `generated`.
fn replaced(text: &str, generated: &str) -> String {
    let begin = text.find(BEGIN).expect("the BEGIN marker") + BEGIN.len();
    let end = text.find(END).expect("the END marker");
    format!("{}\n{}\n{}", &text[..begin], generated.trim(), &text[end..])
}

#[test]
fn the_language_reference_s_tables_are_the_registry() {
    let file = "docs/language.md";
    let text = read(file);
    let expected = replaced(&text, &attribute_tables());
    if bless() {
        std::fs::write(common::repo(file), &expected).unwrap();
        return;
    }
    assert!(
        text == expected,
        "{file}'s attribute tables are not the registry's: run `PMIGC_BLESS=1 cargo test docs::`"
    );
}

/// `pmigc [COMMAND] --help`.
fn help(command: &str) -> String {
    let mut args: Vec<&str> = command.split_whitespace().collect();
    args.push("--help");
    let output = cli_support::command().args(&args).output().unwrap();
    assert!(output.status.success(), "pmigc {command} --help failed");
    String::from_utf8(output.stdout).unwrap()
}

/// The subcommands `pmigc --help` lists.
fn subcommands() -> Vec<String> {
    let top = help("");
    let commands = top
        .split("Commands:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap();
    commands
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn the_cli_reference_is_clap_s() {
    let file = "docs/cli.md";
    let text = read(file);
    let blocks = blocks_of(file, &text);
    let documented: Vec<String> = blocks
        .iter()
        .filter_map(|b| b.param("help").map(str::to_string))
        .collect();
    let mut failures = Vec::new();
    for command in subcommands() {
        if !documented.contains(&command) {
            failures.push(format!(
                "`pmigc {command}` has no ```text help={command} block"
            ));
        }
    }
    // From the last, so that rewriting one (`PMIGC_BLESS=1`) leaves the others' lines as read.
    for block in blocks.iter().rev().filter(|b| b.param("help").is_some()) {
        let command = block.param("help").unwrap();
        let command = if command == "pmigc" { "" } else { command };
        let actual = help(command);
        if block.text != actual {
            if bless() {
                rewrite_block(block, &actual);
            } else {
                failures.push(format!("{}: not `pmigc {command} --help`", block.at()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(`PMIGC_BLESS=1 cargo test docs::` rewrites the blocks)",
        failures.join("\n")
    );
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = read("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    assert!(lines.len() < 200, "README.md has {} lines", lines.len());
    assert_eq!(
        lines[..4],
        [
            "# pmigc",
            "",
            "    cargo run --release -- build stacks/payment.pmig   # Terraform JSON in out/<workspace>/main.tf.json",
            "    cargo test                                         # the whole test suite",
        ]
    );
    // `.ci/run` runs the README's test command last.
    let ci = read(".ci/run");
    let last = ci
        .lines()
        .rfind(|l| l.trim_start().starts_with("cargo "))
        .unwrap();
    assert!(last.contains("cargo test"), "{last}");
}

#[test]
fn a_block_is_read_with_its_info_string() {
    let text = "a\n```pmig edit=stacks/payment.pmig\nnetwork main {\n```\n  ```sh\n  pmigc check \\\n    x\n  ```\n";
    let blocks = blocks_of("t.md", text);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].param("edit"), Some("stacks/payment.pmig"));
    assert_eq!((blocks[0].line, blocks[0].lang()), (2, "pmig"));
    assert_eq!(blocks[1].text, "pmigc check \\\n  x\n");
    assert_eq!(command_lines(&blocks[1].text), ["pmigc check   x"]);
}
