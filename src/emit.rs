//! Emit: a lowered root to bytes. serde_json's maps are sorted by key, so the same model gives
//! the same bytes on every run and machine; pretty-printed with two spaces and a final newline
//! so diffs between builds (and between phases) read line by line.

use crate::lower::Root;
use serde_json::{Map, Value, json};

/// `main.tf.json`.
pub fn render(root: &Root) -> String {
    let mut text = serde_json::to_string_pretty(&root.tree).unwrap_or_default();
    text.push('\n');
    text
}

/// `sourcemap.json`: for each Terraform address, the `.pmig` file, line and byte range of the
/// block it came from (resources the stack as a whole needs, like the caller identity, map to
/// line 0).
pub fn render_sources(root: &Root, file: &str) -> String {
    let entries: Map<String, Value> = root
        .sources
        .iter()
        .map(|(address, origin)| {
            (
                address.clone(),
                json!({ "line": origin.line, "start": origin.start, "end": origin.end }),
            )
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "file": file, "addresses": entries }))
        .unwrap_or_default();
    text.push('\n');
    text
}
