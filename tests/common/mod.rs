//! Helpers shared by the integration tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::{Map, Value};

/// Checks a stack (which must have no errors) and lowers every workspace: `(workspace, root)`,
/// the root as Terraform reads it, every emitted `*.tf.json` file merged into one object.
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
            let mut root = Map::new();
            for (_, text) in pmigc::emit::render_files(&pmigc::lower::lower(s)) {
                let file: Map<String, Value> =
                    serde_json::from_str(&text).expect("emitted JSON parses");
                root.extend(file);
            }
            (s.workspace.name.to_string(), Value::Object(root))
        })
        .collect()
}
