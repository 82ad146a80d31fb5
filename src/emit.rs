//! Emit: a lowered root to bytes. serde_json's maps are sorted by key, so the same model gives
//! the same bytes on every run and machine; pretty-printed with two spaces and a final newline
//! so diffs between builds (and between phases) read line by line. The tree is serialized in
//! place, never copied.

use crate::lower::Root;
use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value, json};

/// The sections of a root whose key matches (`keep == true`) or does not match `key`.
struct Sections<'a> {
    tree: &'a Map<String, Value>,
    key: &'static str,
    keep: bool,
}

impl Serialize for Sections<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.tree
                .iter()
                .filter(|(k, _)| (k.as_str() == self.key) == self.keep),
        )
    }
}

fn pretty(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The files of a root: `terraform.tf.json` (the `terraform` block: required versions and the
/// literal backend) and `main.tf.json` (everything else). Terraform reads both as one module;
/// keeping the settings apart leaves `main.tf.json` readable by scanners such as checkov, whose
/// Terraform-JSON parser drops a whole file when its `terraform` block holds plain values.
pub fn render_files(root: &Root) -> [(&'static str, String); 2] {
    let settings = Sections {
        tree: &root.tree,
        key: "terraform",
        keep: true,
    };
    [
        ("terraform.tf.json", pretty(&settings)),
        ("main.tf.json", render(root)),
    ]
}

/// `main.tf.json`: the root without its `terraform` block.
pub fn render(root: &Root) -> String {
    pretty(&Sections {
        tree: &root.tree,
        key: "terraform",
        keep: false,
    })
}

/// `sourcemap.json`: for each Terraform address, the `.pmig` file, line and byte range of the
/// block it came from (stack-wide resources, like the KMS key, map to the `stack` block).
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
    pretty(&json!({ "file": file, "addresses": entries }))
}
