//! `pmigc graph` on the command line: each format on stdout, `--phase` and `--workspace`
//! choosing the weights drawn, the first workspace by default, `--out` written whole and the
//! same on every run, nothing written for a broken stack, and the usage errors (an unknown
//! phase or workspace, a phase that is not a percentage, a directory as `--out`): exit 2.

use crate::cli_support;

use cli_support::{pmigc, repo, stderr, stdout};
use std::path::Path;

#[test]
fn each_format_goes_to_stdout() {
    for (format, start) in [
        ("svg", "<svg "),
        ("mermaid", "flowchart LR\n"),
        ("dot", "digraph migration {\n"),
    ] {
        let o = pmigc(
            &[
                "graph",
                "stacks/payment.pmig",
                "--workspace",
                "aws-production",
                "--format",
                format,
            ],
            &repo(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).starts_with(start), "{format}: {}", stdout(&o));
        assert_eq!(stderr(&o), "");
    }
    // The default format is SVG.
    let o = pmigc(
        &["graph", "stacks/payment.pmig", "-w", "legacy-sync"],
        &repo(),
    );
    assert!(stdout(&o).starts_with("<svg "));
}

#[test]
fn phase_and_workspace_choose_the_weights_drawn() {
    let dot = |args: &[&str]| {
        let mut all = vec!["graph", "stacks/payment.pmig", "--format", "dot"];
        all.extend_from_slice(args);
        let o = pmigc(&all, &repo());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let at_10 = dot(&["--workspace", "aws-production", "--phase", "10%"]);
    assert!(at_10.contains("label=\"AWS 10%\\ngate onprem_to_aws.lag < 5s\""));
    assert!(at_10.contains("label=\"legacy 90%\""));
    // `10` is the same phase as `10%`.
    assert_eq!(dot(&["-w", "aws-production", "--phase", "10"]), at_10);
    let production = dot(&["--workspace", "aws-production"]);
    assert!(production.contains("\"AWS 100%\\n"));
    // legacy-sync does not manage cutover `payments` (its owner is aws-production): its root
    // holds none of the records, so none of their weights is drawn (issue 27).
    let sync = dot(&["--workspace", "legacy-sync"]);
    assert!(
        !sync.contains("AWS 50%") && !sync.contains("legacy 50%"),
        "{sync}"
    );
    // The record node (its name; the listener's certificate names it too) only in the owner.
    let record = "label=\"record pay.example.com";
    assert!(!sync.contains(record), "{sync}");
    assert!(production.contains(record), "{production}");
    assert!(sync.contains("legacy-sync"));
}

#[test]
fn without_workspace_the_first_is_drawn_and_named() {
    let o = pmigc(
        &["graph", "stacks/payment.pmig", "--format", "mermaid"],
        &repo(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("drawing workspace `legacy-sync`"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("workspace legacy-sync"));
}

#[test]
fn an_unknown_phase_or_workspace_is_a_usage_error() {
    let o = pmigc(
        &[
            "graph",
            "stacks/payment.pmig",
            "-w",
            "aws-production",
            "--phase",
            "30%",
        ],
        &repo(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "30% is not a phase of cutover `payments` (phases: 0%, 10%, 25%, 50%, 75%, 100%)"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
    let o = pmigc(
        &["graph", "stacks/payment.pmig", "--phase", "quarter"],
        &repo(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--phase `quarter` is not a percentage"));
    let o = pmigc(
        &["graph", "stacks/payment.pmig", "--workspace", "aws-prod"],
        &repo(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown workspace `aws-prod`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("did you mean `aws-production`"));
    assert_eq!(stdout(&o), "");
}

#[test]
fn out_writes_the_file_the_same_on_every_run_and_nothing_for_a_broken_stack() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("payment.svg");
    let args = |out: &Path| {
        vec![
            "graph".to_string(),
            repo().join("stacks/payment.pmig").display().to_string(),
            "-w".into(),
            "aws-production".into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        pmigc(&refs, dir.path())
    };
    let o = run(args(&out));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let first = std::fs::read(&out).unwrap();
    assert!(first.starts_with(b"<svg "));
    assert_eq!(run(args(&out)).status.code(), Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), first);

    let broken = dir.path().join("broken.pmig");
    let text = std::fs::read_to_string(repo().join("stacks/payment.pmig")).unwrap();
    std::fs::write(&broken, text.replace("max_lag  = 5s", "max_lag  = 5")).unwrap();
    let nothing = dir.path().join("nothing.svg");
    let o = pmigc(
        &[
            "graph",
            &broken.display().to_string(),
            "--out",
            &nothing.display().to_string(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("PMG0302"));
    assert!(!nothing.exists());
    // A directory is not a file to write.
    let o = pmigc(
        &[
            "graph",
            &repo().join("stacks/payment.pmig").display().to_string(),
            "--out",
            &dir.path().display().to_string(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"));
}
