//! Data-driven golden tests over `tests/cases/`.
//!
//! - `err/`: each case (a stack, or a patch of one: `tests/golden/mod.rs`) starts with
//!   `# expect: PMG0123` lines naming the codes it must produce (and no others); its
//!   human-readable diagnostics are snapshotted.
//! - `ok/*.pmig`: each must check without errors; the Terraform JSON of every workspace is
//!   snapshotted.
//!
//! A file a case names (`boot = file "boot/api.sh"`) is read beside the case, as the CLI reads
//! it beside a stack.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

mod common;
mod golden;

use std::path::Path;

/// Checks a case; the files it names (`boot = file "…"`) are read beside it. A case that
/// expects a plan code runs the plan check, which `check` leaves off until `plan::ENFORCE`.
fn check(path: &Path, text: &str) -> pmigc::check::Checked {
    let dir = path
        .parent()
        .expect("a case is in a directory")
        .to_path_buf();
    common::check_in(text, dir, common::expects_plan(text))
}

/// The codes a case declares with `# expect: CODE` lines.
pub fn expected_codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .flat_map(|rest| {
            rest.split([',', ' '])
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn error_cases_report_exactly_their_codes() {
    let mut failures = Vec::new();
    for case in golden::cases("err") {
        let (path, text) = (&case.path, &case.text);
        let expected = expected_codes(text);
        assert!(
            !expected.is_empty(),
            "{} declares no `# expect:` code",
            path.display()
        );
        let checked = check(path, text);
        let actual: BTreeSet<String> = checked.diagnostics.iter().map(|d| d.code.clone()).collect();
        if actual != expected {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                path.display(),
                expected,
                actual
            ));
        }
        let name = format!("tests/cases/err/{}.pmig", case.name);
        let source = pmigc::diag::render::Source { name: &name, text };
        let rendered = pmigc::diag::render::human(&source, &checked.diagnostics, false);
        insta::assert_snapshot!(format!("err__{}", case.name), rendered);
    }
    assert!(
        failures.is_empty(),
        "cases with the wrong codes:\n{}",
        failures.join("\n")
    );
}

#[test]
fn ok_cases_check_cleanly_and_compile() {
    for case in golden::cases("ok") {
        let (path, text) = (&case.path, &case.text);
        let checked = check(path, text);
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{}: {:#?}", path.display(), errors);
        assert!(
            !checked.stacks.is_empty(),
            "{}: no workspace compiled",
            path.display()
        );
        for stack in &checked.stacks {
            let files = pmigc::emit::render_files(&pmigc::lower::lower(stack));
            let json: String = files
                .iter()
                .map(|(name, text)| format!("// {name}\n{text}"))
                .collect();
            insta::assert_snapshot!(format!("ok__{}__{}", case.name, stack.workspace.name), json);
        }
    }
}

/// `ok/overrides-and-placeholders.pmig`: each workspace's root holds its own values, filled in
/// from its inputs (`{env}` in a record, a legacy host, a tag; `admin_host` as a record) and its
/// overrides (`stack.tags`, the certificate's domain, the secret's name), and none of the
/// other workspace's.
#[test]
fn each_workspace_root_has_its_own_filled_in_and_overridden_values() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/ok/overrides-and-placeholders.pmig");
    let text = std::fs::read_to_string(path).unwrap();
    let checked = pmigc::check_source(&text);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let root = |workspace: &str| -> serde_json::Value {
        let stack = checked
            .stacks
            .iter()
            .find(|s| s.workspace.name.as_str() == workspace)
            .unwrap();
        let files = pmigc::emit::render_files(&pmigc::lower::lower(stack));
        let (_, main) = files
            .iter()
            .find(|(n, _)| n.ends_with("main.tf.json"))
            .unwrap();
        serde_json::from_str(main).unwrap()
    };
    for (workspace, env, admin, other) in [
        ("staging", "stg", "admin-stg.example.eu", "prod"),
        ("production", "prod", "admin.example.eu", "stg"),
    ] {
        let json = root(workspace);
        let records = &json["resource"]["aws_route53_record"];
        assert_eq!(
            records["storefront_aws"]["name"],
            format!("shop-{env}.example.eu")
        );
        assert_eq!(
            records["storefront_legacy"]["records"][0],
            format!("legacy-shop-{env}.example.eu")
        );
        assert_eq!(records["back_office_aws"]["name"], admin);
        assert_eq!(
            records["back_office_legacy"]["records"][0],
            format!("legacy-admin-{env}.example.eu")
        );
        let tags = &json["provider"]["aws"]["default_tags"]["tags"];
        assert_eq!(tags["env"], env);
        assert_eq!(tags["cost-center"], format!("shop-{workspace}"));
        assert_eq!(
            json["data"]["aws_acm_certificate"]["shop_cert"]["domain"],
            format!("shop-{env}.example.eu")
        );
        assert_eq!(
            json["data"]["aws_secretsmanager_secret"]["creds"]["name"],
            format!("shop/{workspace}/db")
        );
        let all = json.to_string();
        assert!(
            !all.contains(&format!("-{other}.")),
            "{workspace} holds `{other}`"
        );
        assert!(
            !all.contains("{env}") && !all.contains("admin-dev"),
            "{workspace}"
        );
    }
}
