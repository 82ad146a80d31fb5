//! Engines other than the seed's: `stacks/orders.pmig` (on-premises PostgreSQL into Aurora
//! PostgreSQL, a user's file compiled as written) is PostgreSQL throughout and snapshotted
//! whole; every stack in `stacks/` builds; migrations never cross engine families; a misspelt
//! engine is never "fixed" into another family.

use std::path::Path;

use crate::common;

const ORDERS: &str = include_str!("../../stacks/orders.pmig");
const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

/// Every file `build` writes for every workspace of `text`, a stack in `stacks/`, by name.
fn files(text: &str) -> Vec<(String, String, String)> {
    let checked = common::check(text);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    assert!(!checked.stacks.is_empty());
    checked
        .stacks
        .iter()
        .flat_map(|stack| {
            let ws = stack.workspace.name.to_string();
            pmigc::emit::render_files(&pmigc::root_of(stack, &[]).unwrap())
                .into_iter()
                .map(move |(name, body)| (ws.clone(), name.to_string(), body))
        })
        .collect()
}

#[test]
fn the_orders_stack_is_postgresql_throughout() {
    let files = files(ORDERS);
    for (ws, name, body) in &files {
        let lower = body.to_ascii_lowercase();
        assert!(!lower.contains("mysql"), "{ws}/{name} mentions MySQL");
        assert!(!lower.contains("3306"), "{ws}/{name} mentions port 3306");
    }
    let main = files
        .iter()
        .find(|(_, name, _)| name == "main.tf.json")
        .map(|(_, _, body)| body)
        .expect("a root");
    for wanted in [
        r#""engine": "aurora-postgresql""#,
        r#""engine_version": "15.14""#,
        r#""family": "aurora-postgresql15""#,
        r#""name": "rds.force_ssl""#,
        r#""engine_name": "postgres""#,
        r#""engine_name": "aurora-postgresql""#,
        r#""plugin_name": "test_decoding""#,
        r#""database_name": "orders""#,
        r#""port": 5432"#,
        r#""postgresql""#,
    ] {
        assert!(main.contains(wanted), "no {wanted} in the orders root");
    }
    // The payment stack is MySQL, and says so.
    let payment = files_text(PAYMENT);
    assert!(payment.contains(r#""engine": "aurora-mysql""#));
    assert!(!payment.contains("postgres"));
}

fn files_text(text: &str) -> String {
    files(text).into_iter().map(|(_, _, body)| body).collect()
}

/// The whole output of the orders stack, read before it was accepted.
#[test]
fn the_orders_stack_golden_output() {
    for (ws, name, body) in files(ORDERS) {
        let name = format!("engines__orders__{ws}__{}", name.replace('/', "_"));
        common::snapshots().bind(|| insta::assert_snapshot!(name, body));
    }
    let checked = pmigc::check_source(ORDERS);
    let paths = pmigc::runbook::Paths {
        stack: "stacks/orders.pmig",
        out: "out",
    };
    for stack in &checked.stacks {
        let name = format!("engines__orders__{}__runbook", stack.workspace.name);
        let text = pmigc::runbook::text(stack, paths, None);
        common::snapshots().bind(|| insta::assert_snapshot!(name, text));
    }
}

#[test]
fn every_stack_in_stacks_builds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks");
    let mut stacks = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pmig") {
            files(&std::fs::read_to_string(&path).unwrap());
            stacks += 1;
        }
    }
    assert!(stacks >= 2, "payment and orders at least");
}

/// A replication between families is refused both ways, at the source engine's word.
#[test]
fn replications_stay_within_one_family() {
    let mysql_into_postgresql = ORDERS.replace(
        r#"postgresql "pg01.corp.example.eu":5432"#,
        r#"mysql "pg01.corp.example.eu":3306"#,
    );
    let postgresql_into_mysql = PAYMENT.replace(
        r#"mysql "db.corp.example.com":3306"#,
        r#"postgresql "db.corp.example.com":5432"#,
    );
    let mariadb_into_postgresql = ORDERS.replace(
        r#"postgresql "pg01.corp.example.eu":5432"#,
        r#"mariadb "pg01.corp.example.eu":3306"#,
    );
    for (text, word) in [
        (&mysql_into_postgresql, "mysql"),
        (&postgresql_into_mysql, "postgresql"),
        (&mariadb_into_postgresql, "mariadb"),
    ] {
        assert_ne!(text, ORDERS);
        assert_ne!(text, PAYMENT);
        let checked = pmigc::check_source(text);
        // Errors only: the orders stack's worker carries its PMG0609 warnings along.
        let codes: Vec<&str> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["PMG0307"], "{word}");
        let error = checked.diagnostics.iter().find(|d| d.is_error()).unwrap();
        let span = error.labels.iter().find(|l| l.primary).unwrap().span;
        assert_eq!(&text[span.start..span.end], word);
        assert!(checked.stacks.is_empty());
    }
}

/// The fix offered for a misspelt engine keeps the family the text names; when the text names
/// none, the suggestion is help only, never a machine-applicable fix.
#[test]
fn engine_fixes_never_change_the_family() {
    let cases = [
        ("aurora_postgres", Some("aurora_postgresql")),
        ("aurora-postgresql", Some("aurora_postgresql")),
        ("aurora_postgresq", Some("aurora_postgresql")),
        ("aurora_pg", Some("aurora_postgresql")),
        ("aurora_mysq", Some("aurora_mysql")),
        ("aurora", None),
        ("postgresql", None),
    ];
    for (written, fix) in cases {
        let text = ORDERS.replace("aurora_postgresql \"15\"", &format!("{written} \"15\""));
        let checked = pmigc::check_source(&text);
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "PMG0306")
            .unwrap_or_else(|| panic!("{written}: {:#?}", checked.diagnostics));
        let offered = d.fix.as_ref().map(|f| f.replacement.as_str());
        assert_eq!(offered, fix, "{written}");
        if let Some(offered) = offered {
            let family = |w: &str| w.contains("postgres") || w.contains("pg");
            assert_eq!(family(offered), family(written), "{written} → {offered}");
        }
    }
    for (written, fix) in [
        ("postgres", Some("postgresql")),
        ("mysq", Some("mysql")),
        ("oracle", None),
    ] {
        let text = ORDERS.replace("from     = postgresql", &format!("from     = {written}"));
        let checked = pmigc::check_source(&text);
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "PMG0306")
            .unwrap();
        assert_eq!(
            d.fix.as_ref().map(|f| f.replacement.as_str()),
            fix,
            "{written}"
        );
    }
}

/// Every major Aurora PostgreSQL offers builds, each with its own parameter family.
#[test]
fn every_postgresql_major_builds() {
    for major in ["13", "14", "15", "16", "17"] {
        let text = ORDERS.replace(
            "aurora_postgresql \"15\"",
            &format!("aurora_postgresql \"{major}\""),
        );
        let body = files_text(&text);
        assert!(
            body.contains(&format!(r#""family": "aurora-postgresql{major}""#)),
            "{major}"
        );
    }
}
