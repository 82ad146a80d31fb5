//! Helpers shared by the integration tests.

use serde_json::Value;

/// Checks a stack (which must have no errors) and lowers every workspace: `(workspace, root)`.
pub fn compile(text: &str) -> Vec<(String, Value)> {
    let checked = pmigc::check_source(text);
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        checked.diagnostics
    );
    checked
        .stacks
        .iter()
        .map(|s| {
            let json = pmigc::emit::render(&pmigc::lower::lower(s));
            (
                s.workspace.name.to_string(),
                serde_json::from_str(&json).expect("emitted JSON parses"),
            )
        })
        .collect()
}
