//! The language server's incremental analysis against the library's full one (moved here
//! from the test binary: it compares with the parser itself, which is not public).

use super::{Document, Encoding};

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
const MINIMAL: &str = include_str!("../../tests/cases/ok/minimal-service.pmig");

/// Re-parsing only the changed items gives exactly what a full parse and check give, through
/// a chain of edits that break, mend, move and merge items.
#[test]
fn an_edited_document_is_analysed_as_a_fresh_one() {
    let big = crate::synth::stack(200);
    let versions: Vec<String> = vec![
        PAYMENT.into(),
        PAYMENT.replacen("reads    = ledger", "reads    = ledgr", 1),
        PAYMENT.replacen("port     = 8080\n", "port     = \"8080\n", 1),
        PAYMENT.replacen("database ledger {", "database ledger", 1),
        format!("# a new first line moves every item\n\n{PAYMENT}"),
        format!("input extra: number = 3\n{PAYMENT}").replacen(
            "readers  = 2",
            "readers  = extra",
            1,
        ),
        PAYMENT.replacen("}\n\nservice api {", "\nservice api {", 1),
        PAYMENT.to_string(),
        MINIMAL.into(),
        big.clone(),
        big.replacen("capacity = 1..3", "capacity = 3..1", 7),
        String::new(),
        PAYMENT.into(),
        // More than `MAX_ERRORS` syntax errors, in items that each parse alone: reading stops
        // where it stops in a full parse.
        format!("{PAYMENT}{}", "output x = \"open\n".repeat(150)),
        format!("{}{PAYMENT}", "service s { port = \"x }\n".repeat(60)),
        PAYMENT.into(),
    ];
    let mut doc = Document::new(String::new(), Encoding::Utf16);
    let mut stopped = 0;
    for text in versions {
        doc = doc.edit(text.clone());
        let (file, _) = crate::syntax::parse(&text);
        let fresh = crate::check_source(&text);
        assert_eq!(format!("{:?}", doc.file), format!("{file:?}"));
        assert_eq!(doc.diagnostics, fresh.diagnostics);
        assert_eq!(doc.references.symbols(), fresh.references.symbols());
        stopped += usize::from(doc.diagnostics.iter().any(|d| d.code.as_str() == "PMG0106"));
    }
    assert_eq!(
        stopped, 2,
        "both versions with too many errors stop reading"
    );
}
