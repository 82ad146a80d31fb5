//! The library API the CLI, the formatter and an editor share: `pmigc::analyse` takes text
//! and returns diagnostics, models and resolved references, without touching a file.

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

fn compile(
    text: &str,
    renamed: &[String],
    stage: impl FnMut(pmigc::Stage),
) -> Result<pmigc::Analysis, Vec<String>> {
    pmigc::analyse(text, renamed, &mut pmigc::no_files, stage)
}

#[test]
fn compile_gives_a_model_per_workspace_and_its_root() {
    let mut stages = Vec::new();
    let compiled = compile(PAYMENT, &[], |s| stages.push(s)).unwrap();
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
        let result = compile(PAYMENT, &[bad.to_string()], |_| {});
        assert!(result.is_err(), "`--renamed {bad}` was accepted");
    }
    let renamed = PAYMENT
        .replace("database ledger", "database books")
        .replace("= ledger", "= books")
        .replace("input ledger_writer:", "input books_writer:")
        .replace("ledger.", "books.");
    let compiled = compile(&renamed, &["ledger=books".into()], |_| {}).unwrap();
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let root = compiled.root(&compiled.stacks[0]).value();
    assert!(root["moved"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn an_errorful_stack_has_diagnostics_and_no_models() {
    let broken = PAYMENT.replace("reads    = ledger", "reads    = ledgr");
    let compiled = compile(&broken, &[], |_| {}).unwrap();
    assert!(compiled.has_errors());
    assert!(!compiled.has_internal_error());
    assert!(compiled.stacks.is_empty());
}

/// The analysis records every use the checker resolved, at the name as written: `ledger` where
/// a service reads it (and where a workspace overrides that, `ledger.reader`), a replication
/// writes to it, its data cutover names it and two outputs read it; a secret key and a
/// subnet tier at their member's name; an input in a `{placeholder}` inside the braces.
#[test]
fn the_analysis_records_the_names_the_checker_resolved() {
    let analysis = compile(PAYMENT, &[], |_| {}).unwrap();
    let refs = &analysis.references;
    let uses = |name: &str| -> Vec<&str> {
        let symbol = refs
            .symbols()
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no symbol {name}"));
        symbol
            .refs
            .iter()
            .map(|r| &PAYMENT[r.start..r.end])
            .collect()
    };
    assert_eq!(uses("ledger"), ["ledger"; 6]);
    assert_eq!(uses("db.dms_password"), ["dms_password"]);
    assert!(uses("main.private").iter().all(|u| *u == "private"));
    assert!(uses("environment_suffix").contains(&"environment_suffix"));
    let at = PAYMENT.find("reads    = ledger").unwrap() + 12;
    assert_eq!(refs.at(at).map(|s| s.name.as_str()), Some("ledger"));
    assert_eq!(refs.at(PAYMENT.find("per_zone").unwrap()), None);
}

/// A word the checker does not read as a name is no use of one, even when a block has that
/// name: `nat = single` is the NAT mode, not the service `single`.
#[test]
fn a_word_that_is_not_a_reference_is_not_a_use() {
    let text = PAYMENT
        .replace("nat     = per_zone", "nat     = single")
        .replace("service api {", "service single {")
        .replace("aws      = api", "aws      = single")
        .replace("api.", "single.");
    let analysis = compile(&text, &[], |_| {}).unwrap();
    assert!(!analysis.has_errors(), "{:#?}", analysis.diagnostics);
    let single = analysis.references.decl("single").unwrap();
    let nat = text.find("nat     = single").unwrap();
    assert!(!single.refs.is_empty());
    assert!(
        single
            .refs
            .iter()
            .all(|r| !(nat..nat + 20).contains(&r.start)),
        "{:?}",
        single.refs
    );
}
