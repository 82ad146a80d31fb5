//! The command line as a user meets it: exit codes, what is written and what is not.

use crate::cli_support;

use cli_support::{pmigc, repo, stderr, stdout};

/// A scratch directory holding a copy of the payment stack with `edit` applied.
fn scratch(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(repo().join("stacks/payment.pmig")).expect("payment stack");
    std::fs::create_dir_all(dir.path().join("stacks")).expect("mkdir");
    std::fs::write(dir.path().join("stacks/payment.pmig"), edit(text)).expect("write");
    dir
}

#[test]
fn check_of_the_payment_stack_exits_0() {
    // stacks/ holds more than one stack (payment, orders): the file is named.
    let output = pmigc(&["check", "stacks/payment.pmig"], &repo());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("ok (2 workspaces: legacy-sync, aws-production)"));
}

#[test]
fn check_with_errors_exits_1_and_names_the_code() {
    let dir = scratch(|t| t.replace("max_lag  = 5s", "max_lag  = 5"));
    let output = pmigc(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error[PMG0302]"), "{err}");
    assert!(err.contains("stacks/payment.pmig:"), "{err}");
    assert!(err.contains("pmigc: 1 error"), "{err}");
}

#[test]
fn io_and_usage_problems_exit_2() {
    let output = pmigc(&["check", "no/such/file.pmig"], &repo());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read `no/such/file.pmig`"));

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("latin1.pmig"),
        b"# \xc3\xa9t\xc3\xa9\nstack caf\xe9 {}\n",
    )
    .expect("write");
    let output = pmigc(&["check", "latin1.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    // At the line and character column of the bad byte (issue 16), not a byte offset.
    assert!(
        stderr(&output)
            .contains("latin1.pmig:2:10: not UTF-8 text: byte 0xe9 at line 2, column 10"),
        "{}",
        stderr(&output)
    );

    let output = pmigc(&["frobnicate"], &repo());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn build_writes_every_workspace_byte_identically() {
    let dir = scratch(|t| t);
    let first = pmigc(&["build"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let read = |ws: &str| {
        std::fs::read(dir.path().join("out").join(ws).join("main.tf.json")).expect("root written")
    };
    let (legacy, production) = (read("legacy-sync"), read("aws-production"));
    assert_ne!(legacy, production);
    let second = pmigc(&["build"], dir.path());
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(read("legacy-sync"), legacy);
    assert_eq!(read("aws-production"), production);
    let list = |rel: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join(rel))
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        list("out/legacy-sync"),
        vec!["main.tf.json", "sourcemap.json", "terraform.tf.json"],
        "temporary files left behind? (no phase files: a phase is a change of the stack)"
    );
}

/// A rebuild replaces the files that changed and leaves the others alone (same file, same
/// modification time); every output is an ordinary file, with the permissions any new file in
/// that directory gets.
#[cfg(unix)]
#[test]
fn rebuild_replaces_only_what_changed_and_outputs_are_ordinary_files() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch(|t| t);
    assert_eq!(pmigc(&["build"], dir.path()).status.code(), Some(0));
    let out = dir.path().join("out/legacy-sync");
    let meta = |name: &str| std::fs::metadata(out.join(name)).expect("written");
    let (main, phase) = (meta("main.tf.json"), meta("terraform.tf.json"));
    let ordinary = out.join("ordinary");
    std::fs::File::create(&ordinary).expect("create");
    let mode = |m: &std::fs::Metadata| m.mode() & 0o777;
    assert_eq!(mode(&main), mode(&meta("ordinary")));

    let stack = dir.path().join("stacks/payment.pmig");
    let text = std::fs::read_to_string(&stack).expect("stack");
    std::fs::write(&stack, text.replace("capacity = 3..9", "capacity = 3..12")).expect("write");
    assert_eq!(pmigc(&["build"], dir.path()).status.code(), Some(0));
    assert_ne!(
        meta("main.tf.json").ino(),
        main.ino(),
        "a changed root is replaced"
    );
    let unchanged = meta("terraform.tf.json");
    assert_eq!(
        unchanged.ino(),
        phase.ino(),
        "an unchanged file is left alone"
    );
    assert_eq!(unchanged.mtime_nsec(), phase.mtime_nsec());
    assert_eq!(mode(&meta("main.tf.json")), mode(&meta("ordinary")));
}

#[test]
fn build_of_one_workspace_writes_only_that_one() {
    let dir = scratch(|t| t);
    let output = pmigc(
        &["build", "--workspace", "legacy-sync", "--out", "roots"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(dir.path().join("roots/legacy-sync/main.tf.json").is_file());
    assert!(!dir.path().join("roots/aws-production").exists());
}

#[test]
fn unknown_workspace_is_refused_with_the_known_ones() {
    let dir = scratch(|t| t);
    let output = pmigc(&["build", "--workspace", "aws-prod"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("unknown workspace `aws-prod`"), "{err}");
    assert!(err.contains("legacy-sync, aws-production"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing may be written");
}

#[test]
fn build_with_errors_writes_nothing_and_keeps_old_output() {
    let dir = scratch(|t| t);
    assert_eq!(pmigc(&["build"], dir.path()).status.code(), Some(0));
    let before = std::fs::read(dir.path().join("out/legacy-sync/main.tf.json")).expect("built");
    let stack = dir.path().join("stacks/payment.pmig");
    let text = std::fs::read_to_string(&stack).expect("stack");
    std::fs::write(&stack, text.replace("zones   = 3", "zones   = 3%")).expect("write");
    let output = pmigc(&["build"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let after =
        std::fs::read(dir.path().join("out/legacy-sync/main.tf.json")).expect("still there");
    assert_eq!(before, after);
}

#[test]
fn short_and_json_formats_carry_the_same_diagnostic() {
    let dir = scratch(|t| t.replace("reads    = ledger", "reads    = ledgr"));
    let short = pmigc(&["check", "--message-format", "short"], dir.path());
    assert_eq!(short.status.code(), Some(1));
    let line = stdout(&short);
    assert!(line.starts_with("stacks/payment.pmig:"), "{line}");
    assert!(
        line.contains(": error[PMG0601]: no database named `ledgr`"),
        "{line}"
    );

    let json = pmigc(&["check", "--message-format", "json"], dir.path());
    let text = stdout(&json);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let first = objects.first().expect("a diagnostic");
    assert_eq!(first["code"], "PMG0601");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["fix"]["replacement"], "ledger");
    let span = &first["labels"][0]["span"];
    let (start, end) = (
        span["byte_start"].as_u64().expect("start"),
        span["byte_end"].as_u64().expect("end"),
    );
    let source = std::fs::read_to_string(dir.path().join("stacks/payment.pmig")).expect("stack");
    assert_eq!(source.get(start as usize..end as usize), Some("ledgr"));
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = scratch(|t| {
        t.replace(
            "existing certificate pay",
            "existing certificate spare { domain = \"x.example.com\" }\nexisting certificate pay",
        )
    });
    let output = pmigc(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning[PMG0603]"));
    let denied = pmigc(&["check", "--deny", "warnings"], dir.path());
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn explain_prints_a_page_and_refuses_unknown_codes() {
    let output = pmigc(&["explain", "PMG0504"], &repo());
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    assert!(page.starts_with("PMG0504: "), "{page}");
    assert!(page.contains("Wrong:") && page.contains("Right:"));
    let output = pmigc(&["explain", "PMG9999"], &repo());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn phases_prints_the_runbook_as_text_and_json() {
    let output = pmigc(
        &[
            "phases",
            "stacks/payment.pmig",
            "--workspace",
            "aws-production",
        ],
        &repo(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("Step 2 of 6: 10% of traffic to AWS"),
        "{text}"
    );
    assert!(
        text.contains("pmigc move payments 10% --workspace aws-production stacks/payment.pmig"),
        "{text}"
    );
    assert!(
        text.contains("terraform -chdir=out/aws-production apply\n"),
        "{text}"
    );
    let json = pmigc(
        &[
            "phases",
            "stacks/payment.pmig",
            "--workspace",
            "legacy-sync",
            "--format",
            "json",
        ],
        &repo(),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON runbook");
    assert_eq!(value["workspace"], "legacy-sync");
    assert_eq!(value["cutovers"][0]["gate"][0]["threshold_seconds"], 5);
    assert_eq!(value["cutovers"][0]["managed_here"], false);
    assert_eq!(value["cutovers"][0]["owner"], "aws-production");
}

#[test]
fn diff_between_phases_names_only_the_records_and_refuses_a_non_phase() {
    let output = pmigc(
        &[
            "diff",
            "stacks/payment.pmig",
            "--from",
            "25%",
            "--to",
            "50%",
            "--workspace",
            "aws-production",
        ],
        &repo(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "~ aws_route53_record.payments_aws\n      weighted_routing_policy.weight: 25 → 50"
        ),
        "{text}"
    );
    assert!(text.contains("2 resources change."), "{text}");
    let refused = pmigc(
        &[
            "diff",
            "stacks/payment.pmig",
            "--from",
            "25%",
            "--to",
            "30%",
        ],
        &repo(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("25% and 30% are not both phases of any cutover (`payments`: 0%, 10%, 25%, 50%, 75%, 100%)"),
        "{}",
        stderr(&refused)
    );
    let named = pmigc(
        &[
            "diff",
            "stacks/payment.pmig",
            "--from",
            "25%",
            "--to",
            "30%",
            "--cutover",
            "payments",
        ],
        &repo(),
    );
    assert_eq!(named.status.code(), Some(2));
    assert!(
        stderr(&named).contains("30% is not a phase of cutover `payments`"),
        "{}",
        stderr(&named)
    );
}

#[test]
fn renamed_needs_a_block_that_exists_under_its_new_name() {
    let dir = scratch(|t| t);
    let output = pmigc(&["build", "--renamed", "ledger=books"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the stack has no block named `books`"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("out").exists());
}

/// The runbook's commands run as a pipeline runs them (`sh -c`, one by one) name exactly the
/// stack and the output directory, whatever those hold: spaces, both quotes, `$(…)`,
/// backticks, a newline, a leading `-` (issue 28). `terraform` is a stand-in that records the
/// arguments it gets; `pmigc` is the real one.
#[cfg(unix)]
#[test]
fn the_runbooks_commands_quote_every_path_for_sh() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch(|text| text);
    let stack = "-my stack 'q' \"dq\" $(touch PWNED1) `touch PWNED2` \nend.pmig";
    let out = "-out $(touch PWNED3) 'x'";
    std::fs::rename(
        dir.path().join("stacks/payment.pmig"),
        dir.path().join(stack),
    )
    .expect("rename");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_pmigc"), bin.join("pmigc")).expect("link");
    let terraform = bin.join("terraform");
    std::fs::write(
        &terraform,
        "#!/bin/sh\nprintf '%s\\0' \"$@\" >> \"$TERRAFORM_ARGS\"\n",
    )
    .expect("write");
    std::fs::set_permissions(&terraform, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let output = cli_support::command()
        .args([
            "phases",
            "--workspace",
            "aws-production",
            "--format",
            "json",
        ])
        .arg(format!("--out={out}"))
        .arg("--")
        .arg(stack)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let runbook: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let step = &runbook["cutovers"][0]["steps"][1];
    assert_eq!(step["weight"], 10);
    let log = dir.path().join("terraform.args");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in step["commands"].as_array().expect("commands") {
        let command = command.as_str().expect("text");
        let ran = std::process::Command::new("sh")
            .args(["-c", command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("TERRAFORM_ARGS", &log)
            .output()
            .expect("sh runs");
        assert_eq!(ran.status.code(), Some(0), "{command}: {}", stderr(&ran));
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with("PWNED")),
        "the shell ran text from a path: {names:?}"
    );
    let moved = std::fs::read_to_string(dir.path().join(stack)).expect("the stack");
    assert!(moved.contains("traffic_weight     = 10%"), "not moved");
    assert!(
        dir.path()
            .join(out)
            .join("aws-production/main.tf.json")
            .is_file(),
        "not built where --out says: {names:?}"
    );
    let args = std::fs::read_to_string(&log).expect("terraform ran");
    assert_eq!(
        args,
        format!("-chdir={out}/aws-production\0apply\0"),
        "terraform's arguments"
    );
}
