//! Emit: a lowered root to bytes. Every object is written with its keys sorted, so the same
//! model gives the same bytes on every run and machine; pretty-printed with two spaces and a
//! final newline so diffs between builds (and between phases) read line by line. The resource
//! bodies, nearly all of a root, were printed by lowering; `write_main` streams them out in
//! order, so the CLI writes a large root to disk without a second copy in memory.

use crate::lower::Root;
use crate::lower::json::{write_escaped, write_integer, write_string};
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::{self, Write};

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
    [
        ("terraform.tf.json", render_settings(root)),
        ("main.tf.json", render(root)),
    ]
}

/// `terraform.tf.json`: the root's `terraform` block alone.
pub fn render_settings(root: &Root) -> String {
    let settings: Map<String, Value> = root
        .tree
        .iter()
        .filter(|(k, _)| k.as_str() == "terraform")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    pretty(&settings)
}

/// `main.tf.json` as a string (see `write_main`).
pub fn render(root: &Root) -> String {
    let mut bytes = Vec::new();
    // Writing to a vector cannot fail, and every piece written is a `str`.
    let _ = write_main(root, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// `main.tf.json`: the root without its `terraform` block, in the layout serde_json's pretty
/// printer gives a sorted map. The resource bodies were printed, at their depth, when they
/// were added; here they are written in order, straight from the root to `out`, so a large
/// root is never copied whole.
pub fn write_main(root: &Root, out: &mut impl Write) -> io::Result<()> {
    let mut sections: Vec<(&str, Option<&Value>)> = root
        .tree
        .iter()
        .filter(|(k, _)| k.as_str() != "terraform")
        .map(|(k, v)| (k.as_str(), Some(v)))
        .collect();
    if root.resource_count() > 0 {
        sections.push(("resource", None));
    }
    sections.sort_by(|a, b| a.0.cmp(b.0));
    if sections.is_empty() {
        return out.write_all(b"{}\n");
    }
    out.write_all(b"{\n")?;
    for (i, (key, value)) in sections.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        write_key(out, 1, key)?;
        match value {
            Some(value) => {
                let text = serde_json::to_string_pretty(value).unwrap_or_default();
                out.write_all(text.replace('\n', "\n  ").as_bytes())?;
            }
            None => write_resources(out, root)?,
        }
    }
    out.write_all(b"\n}\n")
}

/// `"key": `, indented `depth` levels, the key escaped as JSON.
fn write_key(out: &mut impl Write, depth: usize, key: &str) -> io::Result<()> {
    let mut text = String::with_capacity(key.len() + 2 * depth + 4);
    text.push_str(&"  ".repeat(depth));
    write_string(&mut text, key);
    text.push_str(": ");
    out.write_all(text.as_bytes())
}

/// The `resource` section. Should lowering ever add the same address twice, the last body
/// counts, as in a JSON object.
fn write_resources(out: &mut impl Write, root: &Root) -> io::Result<()> {
    out.write_all(b"{\n")?;
    let mut kind = None;
    let mut resources = root.resources().peekable();
    while let Some((k, name, body)) = resources.next() {
        if let Some(next) = resources.peek()
            && (next.0, next.1) == (k, name)
        {
            continue;
        }
        if kind != Some(k) {
            if kind.is_some() {
                out.write_all(b"\n    },\n")?;
            }
            write_key(out, 2, k)?;
            out.write_all(b"{\n")?;
            kind = Some(k);
        } else {
            out.write_all(b",\n")?;
        }
        write_key(out, 3, name)?;
        out.write_all(body.as_bytes())?;
    }
    out.write_all(b"\n    }\n  }")
}

/// `sourcemap.json`: for each Terraform address, the `.pmig` file, line and byte range of the
/// block it came from (stack-wide resources, like the KMS key, map to the `stack` block).
pub fn render_sources(root: &Root, file: &str) -> String {
    render_sources_with(root, file, None)
}

/// `sourcemap.json` with the stack's intent (`crate::verify::intent`), which `pmigc verify`
/// reads back to verify the root without the stack.
pub fn render_sources_with(
    root: &Root,
    file: &str,
    intent: Option<&crate::verify::intent::Intent>,
) -> String {
    let sources = root.sources();
    let mut out = String::with_capacity(sources.len() * 100 + file.len() + 64);
    if sources.is_empty() {
        out.push_str("{\n  \"addresses\": {},\n");
    } else {
        out.push_str("{\n  \"addresses\": {");
        for (i, (kind, name, origin)) in sources.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push('"');
            write_escaped(&mut out, kind);
            out.push('.');
            write_escaped(&mut out, name);
            out.push('"');
            for (j, (key, n)) in [
                ("end", origin.end),
                ("line", origin.line),
                ("start", origin.start),
            ]
            .into_iter()
            .enumerate()
            {
                out.push_str(if j == 0 {
                    ": {\n      \""
                } else {
                    ",\n      \""
                });
                out.push_str(key);
                out.push_str("\": ");
                write_integer(&mut out, i64::try_from(n).unwrap_or(i64::MAX));
            }
            out.push_str("\n    }");
        }
        out.push_str("\n  },\n");
    }
    out.push_str("  \"file\": ");
    write_string(&mut out, file);
    if let Some(intent) = intent {
        out.push_str(",\n  \"intent\": ");
        let text = intent.to_json_text();
        out.push_str(&text.replace('\n', "\n  "));
    }
    out.push_str("\n}\n");
    out
}
