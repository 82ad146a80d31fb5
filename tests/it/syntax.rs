//! The syntax layer seen from outside: a UTF-8 byte-order mark at the start of a file is
//! accepted (editors on Windows write one), and positions are counted as if it were not there.

use crate::common;

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = include_str!("../../stacks/payment.pmig");
    let with_bom = format!("\u{feff}{text}");
    let checked = pmigc::check_source(&with_bom);
    assert_eq!(checked.diagnostics, Vec::new());
    assert_eq!(common::compile(&with_bom), common::compile(text));
}

#[test]
fn positions_after_a_byte_order_mark_are_those_without_it() {
    let text = include_str!("../../stacks/payment.pmig").replace("zones   = 3", "zones   = 3%");
    let with_bom = format!("\u{feff}{text}");
    let short = |text: &str| {
        let checked = pmigc::check_source(text);
        let source = pmigc::diag::render::Source {
            name: "s.pmig",
            text,
        };
        pmigc::diag::render::short(&source, &checked.diagnostics)
    };
    assert_eq!(
        short(&text),
        "s.pmig:33:14: error[PMG0303]: `%` is not a unit of the number of zones (a plain number)\n"
    );
    assert_eq!(short(&with_bom), short(&text));
}

#[test]
fn a_byte_order_mark_before_a_broken_item_changes_nothing() {
    let text = "network n {\n  cidr = 10.0.0/16\n}\n";
    let codes = |text: &str| -> Vec<String> {
        let checked = pmigc::check_source(text);
        checked
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect()
    };
    assert!(codes(text).contains(&"PMG0104".to_string()));
    assert_eq!(codes(&format!("\u{feff}{text}")), codes(text));
}
