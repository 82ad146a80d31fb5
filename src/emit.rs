//! Emit: a lowered root to bytes. serde_json's maps are sorted by key, so the same model gives
//! the same bytes on every run and machine; pretty-printed with two spaces and a final newline
//! so diffs between builds (and between phases) read line by line.

use crate::lower::Root;
use serde_json::{Map, Value, json};

/// The files of a root: `terraform.tf.json` (the `terraform` block: required versions and the
/// literal backend) and `main.tf.json` (everything else). Terraform reads both as one module;
/// keeping the settings apart leaves `main.tf.json` readable by scanners such as checkov, whose
/// Terraform-JSON parser drops a whole file when its `terraform` block holds plain values.
pub fn render_files(root: &Root) -> [(&'static str, String); 2] {
    let settings: Map<String, Value> = root
        .tree
        .iter()
        .filter(|(k, _)| *k == "terraform")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    [
        ("terraform.tf.json", pretty(&settings)),
        ("main.tf.json", render(root)),
    ]
}

/// `main.tf.json`: the root without its `terraform` block.
pub fn render(root: &Root) -> String {
    let body: Map<String, Value> = root
        .tree
        .iter()
        .filter(|(k, _)| *k != "terraform")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    pretty(&body)
}

fn pretty(map: &Map<String, Value>) -> String {
    let mut text = serde_json::to_string_pretty(map).unwrap_or_default();
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
