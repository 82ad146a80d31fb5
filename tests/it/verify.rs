//! The verifier over every stack the project ships: each stack in `stacks/` and each golden
//! success case compiles to roots the verifier finds nothing in (`docs/verify.md`), and a
//! root edited by hand the way the bugs were is caught again, through the CLI.

use crate::common;

use std::path::PathBuf;

const PAYMENT_TEXT: &str = include_str!("../../stacks/payment.pmig");

fn stacks() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in ["stacks", "tests/cases/ok"] {
        for entry in std::fs::read_dir(common::repo(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pmig") {
                all.push(path);
            }
        }
    }
    all.sort();
    all
}

#[test]
fn every_shipped_stack_and_success_case_verifies_clean() {
    let all = stacks();
    assert!(all.len() >= 10, "{all:?}");
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap().to_path_buf();
        let checked = pmigc::check_source_with(&text, &mut common::reader(dir));
        assert!(
            !checked.diagnostics.iter().any(|d| d.is_error()),
            "{}: {:?}",
            path.display(),
            checked.diagnostics
        );
        let findings = pmigc::verify::verify_stacks(&checked.stacks, &[]);
        assert!(findings.is_empty(), "{}: {findings:#?}", path.display());
    }
}

/// `build` verifies each root with the intent it computes from the stack, `pmigc verify` with
/// the one `sourcemap.json` carries: for every shipped stack and success case the two are the
/// same intent (written, then read back).
#[test]
fn the_intent_a_source_map_carries_reads_back_as_built() {
    // How many intents had each kind of part: every kind is exercised (allow-lists on a path,
    // which no shipped stack has, by src/verify/tests.rs).
    let mut seen = [0usize; 4];
    for path in stacks() {
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap().to_path_buf();
        let checked = pmigc::check_source_with(&text, &mut common::reader(dir));
        for stack in &checked.stacks {
            let intent = pmigc::verify::intent::of(stack);
            let root = pmigc::root_of(stack, &[]).unwrap();
            let sources = pmigc::emit::render_sources_with(&root, "", Some(&intent));
            let read = pmigc::verify::read_intent(sources.as_bytes());
            assert_eq!(read, intent, "{}", path.display());
            let parts = [
                intent.flows.len(),
                intent.calls.len(),
                intent.hosts.len(),
                intent.vpns.len(),
            ];
            for (n, count) in seen.iter_mut().zip(parts) {
                *n += usize::from(count > 0);
            }
        }
    }
    assert!(seen.iter().all(|n| *n > 0), "{seen:?}");
}

/// `pmigc verify` on a root whose DMS security group lost its way to Secrets Manager, and
/// whose second workspace attaches the first one's gateway: both findings, by rule id, with
/// the stack line; exit 1. The untouched roots verify clean, exit 0.
#[test]
fn pmigc_verify_reports_hand_edits_by_rule() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_pmigc"))
        .args(["build", "stacks/payment.pmig", "--out"])
        .arg(&out)
        .current_dir(common::repo(""))
        .output()
        .unwrap();
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let verify = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_pmigc"))
            .arg("verify")
            .arg(&out)
            .output()
            .unwrap()
    };
    let clean = verify();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(String::from_utf8_lossy(&clean.stderr).contains("2 roots, no findings"));
    let main = out.join("aws-production/main.tf.json");
    let mut root: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&main).unwrap()).unwrap();
    let rules = root["resource"]["aws_vpc_security_group_egress_rule"]
        .as_object_mut()
        .unwrap();
    assert!(rules.remove("onprem_to_aws_to_secretsmanager").is_some());
    root["data"]["aws_vpn_gateway"]["onprem"]["id"] = "vgw-0a1b2c3d4e5f67890".into();
    std::fs::write(&main, serde_json::to_string_pretty(&root).unwrap()).unwrap();
    let found = verify();
    let text = String::from_utf8_lossy(&found.stderr);
    assert_eq!(found.status.code(), Some(1), "{text}");
    assert!(text.contains("aws-production: [reach.api] aws_dms_replication_instance.onprem_to_aws cannot reach the secretsmanager API"), "{text}");
    assert!(
        text.contains("[account.once] VPN gateway vgw-0a1b2c3d4e5f67890 is attached by"),
        "{text}"
    );
    let line = PAYMENT_TEXT
        .lines()
        .position(|l| l.starts_with("replication onprem_to_aws {"))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!("stacks/payment.pmig:{line}")),
        "{text}"
    );
}
