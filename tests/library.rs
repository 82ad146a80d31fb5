//! The library API the CLI, the formatter and an editor share: `pmigc::compile` takes text
//! and returns diagnostics and models, without touching a file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

const PAYMENT: &str = include_str!("../stacks/payment.pmig");

#[test]
fn compile_gives_a_model_per_workspace_and_its_root() {
    let mut stages = Vec::new();
    let compiled = pmigc::compile(PAYMENT, &[], |s| stages.push(s)).unwrap();
    assert_eq!(stages, vec![pmigc::Stage::Parse, pmigc::Stage::Check]);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let names: Vec<&str> = compiled
        .stacks
        .iter()
        .map(|s| s.workspace.name.as_str())
        .collect();
    assert_eq!(names, ["legacy-sync", "aws-production"]);
    for stack in &compiled.stacks {
        assert!(compiled.root(stack).resource_count() > 50);
    }
}

#[test]
fn a_bad_rename_is_refused_before_checking() {
    for bad in ["old db!=ledger", "=books", "${path.cwd}=books", "ledger"] {
        let result = pmigc::compile(PAYMENT, &[bad.to_string()], |_| {});
        assert!(result.is_err(), "`--renamed {bad}` was accepted");
    }
    let renamed = PAYMENT
        .replace("database ledger", "database books")
        .replace("= ledger", "= books")
        .replace("input ledger_writer:", "input books_writer:")
        .replace("ledger.", "books.");
    let compiled = pmigc::compile(&renamed, &["ledger=books".into()], |_| {}).unwrap();
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let root = compiled.root(&compiled.stacks[0]).value();
    assert!(root["moved"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn an_errorful_stack_has_diagnostics_and_no_models() {
    let broken = PAYMENT.replace("reads    = ledger", "reads    = ledgr");
    let compiled = pmigc::compile(&broken, &[], |_| {}).unwrap();
    assert!(compiled.has_errors());
    assert!(!compiled.has_internal_error());
    assert!(compiled.stacks.is_empty());
}
