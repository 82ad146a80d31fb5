//! Emit: a lowered root to bytes. serde_json's maps are sorted by key, so the same model gives
//! the same bytes on every run and machine; pretty-printed with two spaces and a final newline
//! so diffs between builds (and between phases) read line by line.

use crate::lower::Root;
use serde::Serialize;
use serde_json::{Map, Value, json};

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
    let settings: Map<String, Value> = root
        .tree
        .iter()
        .filter(|(k, _)| k.as_str() == "terraform")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    [
        ("terraform.tf.json", pretty(&settings)),
        ("main.tf.json", render(root)),
    ]
}

/// `main.tf.json`: the root without its `terraform` block, in the layout serde_json's pretty
/// printer gives a sorted map (the resource bodies were serialized when they were added, and
/// are indented into place here).
pub fn render(root: &Root) -> String {
    let size: usize = root
        .resources
        .values()
        .flat_map(|m| m.values())
        .map(|b| b.len() + 64)
        .sum();
    let mut out = String::with_capacity(size + 4096);
    let mut sections: Vec<(&str, Option<&Value>)> = root
        .tree
        .iter()
        .filter(|(k, _)| k.as_str() != "terraform")
        .map(|(k, v)| (k.as_str(), Some(v)))
        .collect();
    if !root.resources.is_empty() {
        sections.push(("resource", None));
    }
    sections.sort_by(|a, b| a.0.cmp(b.0));
    if sections.is_empty() {
        return "{}\n".to_string();
    }
    out.push_str("{\n");
    for (i, (key, value)) in sections.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str("  ");
        push_key(&mut out, key);
        match value {
            Some(value) => push_indented(
                &mut out,
                &serde_json::to_string_pretty(value).unwrap_or_default(),
                2,
            ),
            None => push_resources(&mut out, root),
        }
    }
    out.push_str("\n}\n");
    out
}

/// `"key": ` with the key escaped as JSON.
fn push_key(out: &mut String, key: &str) {
    out.push_str(&serde_json::to_string(key).unwrap_or_default());
    out.push_str(": ");
}

/// Appends pretty JSON text nested `depth` spaces deep.
fn push_indented(out: &mut String, text: &str, depth: usize) {
    let pad = " ".repeat(depth);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(line);
    }
}

fn push_resources(out: &mut String, root: &Root) {
    out.push_str("{\n");
    for (k, (kind, instances)) in root.resources.iter().enumerate() {
        if k > 0 {
            out.push_str(",\n");
        }
        out.push_str("    ");
        push_key(out, kind);
        out.push_str("{\n");
        for (n, (name, body)) in instances.iter().enumerate() {
            if n > 0 {
                out.push_str(",\n");
            }
            out.push_str("      ");
            push_key(out, name);
            push_indented(out, body, 6);
        }
        out.push_str("\n    }");
    }
    out.push_str("\n  }");
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
