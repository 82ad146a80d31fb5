//! The language server's handlers as library functions (`pmigc::lsp`), on many texts at once:
//! every handler anywhere in half-written stacks, and incremental re-parsing against a full
//! parse. The protocol end to end is `tests/it/lsp.rs`.

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
const MINIMAL: &str = include_str!("../cases/ok/minimal-service.pmig");
const URI: &str = "file:///work/stack.pmig";

/// The payment stack with a line holding an emoji and an accent before a name.
fn wide_stack() -> String {
    PAYMENT.replacen(
        "existing secret db {\n  name = \"payment-db-credentials\"\n  keys = [password, dms_password, dms_writer_password]\n}",
        "existing secret db { name = \"pay-\u{1F4B3}-é\", keys = [password, dms_password, dms_writer_password] }",
        1,
    )
}

/// Every handler at every line and a spread of columns of stacks cut short at many places (what
/// an editor sends while typing): no panic, and every location it answers is inside the text.
#[test]
fn handlers_answer_anywhere_in_half_written_stacks() {
    use pmigc::lsp::{self as h, Document, Encoding};
    let uri: lsp_types::Uri = URI.parse().unwrap();
    let mut texts: Vec<String> = vec![PAYMENT.into(), MINIMAL.into(), wide_stack()];
    for cut in (0..PAYMENT.len()).step_by(211) {
        if PAYMENT.is_char_boundary(cut) {
            texts.push(PAYMENT[..cut].to_string());
        }
    }
    let mut answered = 0;
    for text in texts {
        let lines = text.lines().count() as u32 + 1;
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let doc = Document::new(text.clone(), encoding);
            let end = doc.full_range().end;
            let inside = |r: &lsp_types::Range| r.start <= r.end && r.end <= end;
            for line in 0..lines {
                for character in [0, 2, 9, 14, 40, 200] {
                    let at = lsp_types::Position::new(line, character);
                    if h::hover(&doc, at).is_some() {
                        answered += 1;
                    }
                    let _ = h::completion(&doc, at);
                    if let Some(l) = h::definition(&doc, &uri, at) {
                        assert!(inside(&l.range));
                    }
                    for l in h::references(&doc, &uri, at, true) {
                        assert!(inside(&l.range));
                    }
                    let _ = h::prepare_rename(&doc, at);
                    let _ = h::rename(&doc, &uri, at, "renamed");
                    let range = lsp_types::Range::new(at, at);
                    let _ = h::code_actions(&doc, &uri, range, None);
                }
            }
            let _ = h::document_symbols(&doc);
            let _ = h::formatting(&doc);
            for d in h::diagnostics(&doc, &uri, Some("https://example.com/d.md")) {
                assert!(inside(&d.range), "{d:?}");
            }
        }
    }
    assert!(answered > 1000, "hover answered only {answered} times");
}

/// A diagnostic with many labels (a counterexample trace of the migration's steps) keeps every
/// step in the editor: each label but the primary one becomes related information, in order,
/// one without words saying what the diagnostic says.
#[test]
fn every_label_of_a_diagnostic_is_related_information_in_order() {
    use pmigc::Span;
    use pmigc::diag::{Diagnostic, Label, Severity};
    use pmigc::lsp::{Document, Encoding};
    let uri: lsp_types::Uri = URI.parse().unwrap();
    let mut doc = Document::new(PAYMENT.into(), Encoding::Utf16);
    let step = |n: usize, message: &str| Label {
        span: Span::new(n * 10, n * 10 + 3),
        message: message.into(),
        primary: false,
    };
    doc.diagnostics = vec![Diagnostic {
        code: pmigc::diag::Code::PMG0601,
        severity: Severity::Error,
        message: "a write can be lost".into(),
        labels: vec![
            step(1, "step 1: writes go to the data centre"),
            Label {
                span: Span::new(0, 5),
                message: "here".into(),
                primary: true,
            },
            step(2, "step 2: the weight moves"),
            step(3, ""),
            step(4, "step 4: a write lands in AWS"),
        ],
        help: None,
        fix: None,
    }];
    let published = pmigc::lsp::diagnostics(&doc, &uri, None);
    let related: Vec<&str> = published[0]
        .related_information
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.message.as_str())
        .collect();
    assert_eq!(
        related,
        [
            "step 1: writes go to the data centre",
            "step 2: the weight moves",
            "a write can be lost",
            "step 4: a write lands in AWS"
        ]
    );
    let lines: Vec<u32> = published[0]
        .related_information
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.location.range.start.character + r.location.range.start.line * 1000)
        .collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
}
