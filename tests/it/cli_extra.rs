//! The command line's conveniences (issue 19): `pmigc init`, finding the stack when no FILE is
//! given, shell completions, the manual page, and build progress that never reaches a pipe.

use crate::cli_support;

use cli_support::{payment, pmigc, pmigc_env, repo, stderr, stdout};
use std::path::Path;
use std::process::Command;

/// A scratch directory with the given files (parents created).
fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The subcommands `pmigc --help` lists (without `help`).
fn subcommands() -> Vec<String> {
    let help = stdout(&pmigc(&["--help"], &repo()));
    let commands = help
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section");
    let names: Vec<String> = commands
        .lines()
        .take_while(|l| l.starts_with("  "))
        // A description that wraps continues on a line indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    for expected in [
        "check",
        "build",
        "phases",
        "diff",
        "explain",
        "init",
        "completions",
        "man",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    names
}

/// The long options `pmigc SUBCOMMAND --help` lists.
fn long_options(subcommand: &str) -> Vec<String> {
    let help = stdout(&pmigc(&[subcommand, "--help"], &repo()));
    let mut options: Vec<String> = help
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .to_string()
        })
        .collect();
    options.sort();
    options.dedup();
    assert!(options.contains(&"--help".to_string()), "{help}");
    options
}

/// The positional arguments `pmigc SUBCOMMAND -h` lists (`FILE`, `SHELL`…).
fn arguments(subcommand: &str) -> Vec<String> {
    let help = stdout(&pmigc(&[subcommand, "-h"], &repo()));
    let Some(section) = help.split("Arguments:\n").nth(1) else {
        return Vec::new();
    };
    section
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .map(|w| {
            w.trim_end_matches("...")
                .trim_matches(|c| matches!(c, '[' | ']' | '<' | '>'))
                .to_string()
        })
        .collect()
}

/// The values `pmigc init -h` lists for `--engine`.
fn engines() -> Vec<String> {
    let help = stdout(&pmigc(&["init", "-h"], &repo()));
    // Wrapped lines joined again.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let after = help.split("--engine").nth(1).expect("--engine in help");
    let values = after
        .split("[possible values: ")
        .nth(1)
        .and_then(|v| v.split(']').next())
        .expect("possible values of --engine");
    values.split(", ").map(str::to_string).collect()
}

// ---- pmigc init ------------------------------------------------------------------------------

#[test]
fn init_writes_a_starter_that_checks_and_builds_clean() {
    let dir = scratch(&[]);
    let output = pmigc(&["init", "shop"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("wrote stacks/shop.pmig"));
    assert!(dir.path().join("stacks/shop.pmig").is_file());

    // Not a single diagnostic, warnings included, in any format.
    let short = pmigc(
        &["check", "--deny", "warnings", "--message-format", "short"],
        dir.path(),
    );
    assert_eq!(short.status.code(), Some(0), "{}", stdout(&short));
    assert_eq!(stdout(&short), "");
    let human = pmigc(&["check"], dir.path());
    assert_eq!(human.status.code(), Some(0));
    assert_eq!(
        stderr(&human),
        "stacks/shop.pmig: ok (2 workspaces: legacy-sync, aws-production)\n"
    );

    let build = pmigc(&["build"], dir.path());
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    for workspace in ["legacy-sync", "aws-production"] {
        let main = dir.path().join("out").join(workspace).join("main.tf.json");
        let text = std::fs::read_to_string(&main).expect("main.tf.json");
        assert!(text.contains("\"shop-"), "names carry the stack's name");
    }
}

#[test]
fn init_without_a_name_writes_the_default_and_the_file_is_a_commented_guide() {
    let dir = scratch(&[]);
    let output = pmigc(&["init"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(dir.path().join("stacks/migration.pmig")).expect("written");
    assert!(text.contains("stack migration {"));
    // Every choice a user must make is marked where it is made: on the attribute's line or in
    // the comment just above it (possibly above its neighbours of the same block).
    for attribute in [
        "region",
        "cidr",
        "connection",
        "gateway",
        "networks",
        "name = \"migration-db-credentials\"",
        "keys",
        "existing certificate",
        "record",
        "legacy",
        "phases",
        "state              = s3",
    ] {
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with(attribute))
            .unwrap_or_else(|| panic!("no `{attribute}` line"));
        let marked = lines[at].contains("CHOOSE")
            || lines[..at]
                .iter()
                .rev()
                .take_while(|l| !l.trim().is_empty() && !l.trim_end().ends_with('}'))
                .any(|l| l.trim_start().starts_with('#') && l.contains("CHOOSE"));
        assert!(marked, "`{attribute}` is not marked CHOOSE");
    }
    // The allowed values come from the checker's tables (instance families with their sizes).
    for value in [
        "eu-central-1 (3)",
        "db.r7g (large",
        "m7i (large",
        "2xlarge",
        "dms.r5 (large",
        "db.serverless",
    ] {
        assert!(text.contains(value), "{value} not listed");
    }
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = scratch(&[("stacks/shop.pmig", "# mine\n")]);
    let output = pmigc(&["init", "shop"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("`stacks/shop.pmig` already exists"), "{err}");
    assert!(err.contains("never overwrites"), "{err}");
    let text = std::fs::read_to_string(dir.path().join("stacks/shop.pmig")).expect("kept");
    assert_eq!(text, "# mine\n");
    // Nothing else (no temporary file) is left behind.
    let entries = std::fs::read_dir(dir.path().join("stacks"))
        .expect("stacks")
        .count();
    assert_eq!(entries, 1);
}

#[test]
fn init_refuses_a_bad_name_and_writes_nothing() {
    for name in [
        "Shop",
        "my_shop",
        "../escape",
        "a\"b",
        "{x}",
        "x-",
        "9a",
        "a-very-long-stack-name-x",
    ] {
        let dir = scratch(&[]);
        let output = pmigc(&["init", name], dir.path());
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(
            stderr(&output).contains("a stack name is 1 to 20 lowercase letters"),
            "{name}: {}",
            stderr(&output)
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("dir").count(),
            0,
            "{name}: something was written"
        );
    }
}

#[test]
fn init_for_every_accepted_engine_checks_clean() {
    let engines = engines();
    assert!(engines.contains(&"aurora_mysql".to_string()), "{engines:?}");
    for engine in &engines {
        let dir = scratch(&[]);
        let output = pmigc(&["init", "shop", "--engine", engine], dir.path());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{engine}: {}",
            stderr(&output)
        );
        let check = pmigc(&["check", "--deny", "warnings"], dir.path());
        assert_eq!(check.status.code(), Some(0), "{engine}: {}", stderr(&check));
        assert!(!stderr(&check).contains("warning"), "{}", stderr(&check));
    }
    let dir = scratch(&[]);
    let output = pmigc(&["init", "shop", "--engine", "oracle"], dir.path());
    assert_eq!(output.status.code(), Some(2));
}

// ---- finding the stack -----------------------------------------------------------------------

#[test]
fn the_only_stack_in_the_current_directory_comes_first() {
    let dir = scratch(&[("here.pmig", &payment()), ("stacks/broken.pmig", "stack {")]);
    let output = pmigc(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("here.pmig: ok"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_stack_command_finds_the_only_stack_under_stacks() {
    let dir = scratch(&[("stacks/pay.pmig", &payment()), ("notes.txt", "")]);
    let check = pmigc(&["check"], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).starts_with("stacks/pay.pmig: ok"));

    let build = pmigc(&["build", "--workspace", "legacy-sync"], dir.path());
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(dir.path().join("out/legacy-sync/main.tf.json").is_file());

    let phases = pmigc(&["phases", "--workspace", "aws-production"], dir.path());
    assert_eq!(phases.status.code(), Some(0), "{}", stderr(&phases));
    assert!(
        stdout(&phases).contains("pmigc move "),
        "{}",
        stdout(&phases)
    );

    let diff = pmigc(&["diff", "--from", "10%", "--to", "25%"], dir.path());
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    assert!(stdout(&diff).contains("10% → 25%"), "{}", stdout(&diff));
}

#[test]
fn several_stacks_are_listed_and_none_is_chosen() {
    let text = payment();
    let dir = scratch(&[
        ("b.pmig", &text),
        ("a.pmig", &text),
        ("stacks/c.pmig", &text),
    ]);
    for command in ["check", "build", "phases"] {
        let output = pmigc(&[command], dir.path());
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(
            stderr(&output),
            "error: no FILE given and several stacks in the current directory: a.pmig, b.pmig; name one\n"
        );
    }
    assert!(!dir.path().join("out").exists(), "build wrote nothing");
    let diff = pmigc(&["diff", "--from", "0%", "--to", "10%"], dir.path());
    assert_eq!(diff.status.code(), Some(2));

    let dir = scratch(&[("stacks/x.pmig", &text), ("stacks/y.pmig", &text)]);
    let output = pmigc(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("several stacks in `stacks/`: stacks/x.pmig, stacks/y.pmig"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_stack_says_where_it_looked() {
    let dir = scratch(&[("stacks/readme.txt", "")]);
    let output = pmigc(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("no .pmig file in the current directory or in `stacks/`"),
        "{err}"
    );
    assert!(err.contains("pmigc init"), "{err}");
    // A FILE that is named is used as it is, found or not.
    let output = pmigc(&["check", "elsewhere.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read `elsewhere.pmig`"));
}

// ---- completions and the manual page ---------------------------------------------------------

#[test]
fn completions_for_each_shell_name_every_subcommand() {
    let subcommands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = pmigc(&["completions", shell], &repo());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        assert!(script.len() > 500, "{shell}: {script}");
        for subcommand in &subcommands {
            assert!(
                script.contains(subcommand.as_str()),
                "{shell} completion lacks `{subcommand}`"
            );
        }
        // Options of subcommands are completed too.
        assert!(script.contains("message-format"), "{shell}");
        assert!(script.contains("renamed"), "{shell}");
    }
    let output = pmigc(&["completions", "tcsh"], &repo());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
}

#[test]
fn the_manual_page_names_every_subcommand_and_option() {
    let output = pmigc(&["man"], &repo());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.contains(".TH pmigc 1"), "{page}");
    // roff writes `-` as `\-`.
    let plain = page.replace("\\-", "-");
    let mut all_arguments = Vec::new();
    for subcommand in subcommands() {
        assert!(
            plain.contains(&format!(".SS \"pmigc {subcommand}\"")),
            "no section for `{subcommand}`"
        );
        // Each option and argument is described in its subcommand's section.
        let section = plain
            .split(&format!(".SS \"pmigc {subcommand}\""))
            .nth(1)
            .and_then(|rest| rest.split(".SS ").next())
            .unwrap_or_default();
        for option in long_options(&subcommand) {
            assert!(
                section.contains(&format!("\\fB{option}\\fR")),
                "`pmigc {subcommand} {option}` is not in the manual page"
            );
        }
        for argument in arguments(&subcommand) {
            assert!(
                section.contains(&format!("\\fI{argument}\\fR")),
                "`pmigc {subcommand} {argument}` is not in the manual page"
            );
            all_arguments.push(argument);
        }
    }
    for argument in ["FILE", "CODE", "NAME", "SHELL"] {
        assert!(
            all_arguments.iter().any(|a| a == argument),
            "{all_arguments:?}"
        );
    }
}

// ---- progress --------------------------------------------------------------------------------

/// A stack large enough that its build is not instant.
fn large_stack() -> tempfile::TempDir {
    scratch(&[("stacks/big.pmig", &crate::synth::stack(300))])
}

#[test]
fn piped_build_shows_no_progress_even_when_it_is_due_at_once() {
    let dir = large_stack();
    // A delay of 0 makes progress due from the start: only the pipe keeps it away.
    let output = pmigc_env(&["build"], dir.path(), &[("PMIGC_PROGRESS_DELAY_MS", "0")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err,
        "wrote out/legacy-sync/main.tf.json\nwrote out/aws-production/main.tf.json\n"
    );
    assert!(!err.contains('\r') && !err.contains('\x1b'));
    assert!(!stdout(&output).contains('\r'));
}

/// Runs `pmigc ARGS` in `dir` with stdin, stdout and stderr on a pseudo-terminal (through
/// util-linux `script`), and returns what the terminal showed.
#[cfg(target_os = "linux")]
fn on_a_terminal(args: &str, dir: &Path, delay_ms: &str) -> String {
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_pmigc"));
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("PMIGC_PROGRESS_DELAY_MS", delay_ms)
        .output()
        .expect("`script` (util-linux) runs; the progress tests need a pseudo-terminal");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[cfg(target_os = "linux")]
#[test]
fn a_terminal_sees_progress_erased_before_the_summary() {
    let dir = large_stack();
    let shown = on_a_terminal("build", dir.path(), "0");
    assert!(shown.contains("\rpmigc: reading… "), "{shown:?}");
    assert!(shown.contains("\rpmigc: checking… "), "{shown:?}");
    assert!(
        shown.contains("\rpmigc: building (0 of 2 workspaces done)… "),
        "{shown:?}"
    );
    assert!(!shown.contains('\x1b'), "no escape codes: {shown:?}");
    // The line is blanked (spaces, then back to its start) before the summary is printed.
    let (progress, summary) = shown.split_once("wrote ").expect("the summary");
    assert!(progress.ends_with('\r'), "{progress:?}");
    let blank = progress
        .trim_end_matches('\r')
        .rsplit('\r')
        .next()
        .unwrap_or("");
    assert!(
        !blank.is_empty() && blank.chars().all(|c| c == ' '),
        "{progress:?}"
    );
    assert!(!summary.contains("pmigc:"), "{summary:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_terminal_sees_no_progress_with_json_diagnostics_or_a_quick_build() {
    let dir = large_stack();
    let json = on_a_terminal("build --message-format json", dir.path(), "0");
    // (A terminal shows every line ending as `\r\n`, so only the text can tell.)
    assert!(!json.contains("pmigc:"), "{json:?}");
    assert!(
        json.contains("wrote out/legacy-sync/main.tf.json"),
        "{json:?}"
    );
    // The default delay: the payment stack builds long before progress is due.
    let dir = scratch(&[("stacks/pay.pmig", &payment())]);
    let quick = on_a_terminal("build", dir.path(), "");
    assert!(!quick.contains("pmigc:"), "{quick:?}");
    assert!(
        quick.contains("wrote out/aws-production/main.tf.json"),
        "{quick:?}"
    );
}
