//! What changes between two compiled roots — two workspaces, or two phases of one cutover —
//! at the level a reviewer of a Terraform plan cares about: resources added, removed, and the
//! attributes (as dotted paths) whose configured values differ.
//!
//! A phase only sets the cutover's weight variable, so the roots of two phases are the same
//! text with a different variable; `phases` finds every attribute that reads the variable and
//! evaluates it at both weights. That is also the proof that nothing but the Route 53 records
//! depends on the weight.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Removed(String),
    /// An address and its changed attributes: path, before, after.
    Changed(String, Vec<(String, String, String)>),
}

impl Change {
    pub fn address(&self) -> &str {
        match self {
            Change::Added(a) | Change::Removed(a) | Change::Changed(a, _) => a,
        }
    }
}

/// Every block of a root by address: `aws_vpc.main`, `data.aws_ami.x`, `output.vpc_id`,
/// `variable.traffic_weight`, `terraform`, `provider.aws`, `locals`.
fn blocks(root: &Value) -> BTreeMap<String, &Value> {
    let mut blocks = BTreeMap::new();
    let Some(sections) = root.as_object() else {
        return blocks;
    };
    for (section, body) in sections {
        match section.as_str() {
            "resource" | "data" => {
                let prefix = if section == "data" { "data." } else { "" };
                for (kind, instances) in body.as_object().into_iter().flatten() {
                    for (name, block) in instances.as_object().into_iter().flatten() {
                        blocks.insert(format!("{prefix}{kind}.{name}"), block);
                    }
                }
            }
            "terraform" | "locals" => {
                blocks.insert(section.clone(), body);
            }
            _ => {
                for (name, block) in body.as_object().into_iter().flatten() {
                    blocks.insert(format!("{section}.{name}"), block);
                }
            }
        }
    }
    blocks
}

/// Leaf values of a block by dotted path (`health_check.0.path`).
fn leaves(value: &Value, path: String, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let next = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaves(v, next, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{path}.{i}"), out);
            }
        }
        Value::String(s) => {
            out.insert(path, s.clone());
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

fn flat(value: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    leaves(value, String::new(), &mut out);
    out
}

/// The changes from `before` to `after` (two roots as JSON).
pub fn roots(before: &Value, after: &Value) -> Vec<Change> {
    let (old, new) = (blocks(before), blocks(after));
    let mut changes = Vec::new();
    for (address, block) in &old {
        match new.get(address) {
            None => changes.push(Change::Removed(address.clone())),
            Some(other) => {
                let (a, b) = (flat(block), flat(other));
                let mut attributes = Vec::new();
                for path in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                    let (x, y) = (a.get(path), b.get(path));
                    if x != y {
                        let show =
                            |v: Option<&String>| v.cloned().unwrap_or_else(|| "(unset)".into());
                        attributes.push((path.clone(), show(x), show(y)));
                    }
                }
                if !attributes.is_empty() {
                    changes.push(Change::Changed(address.clone(), attributes));
                }
            }
        }
    }
    for address in new.keys().filter(|a| !old.contains_key(*a)) {
        changes.push(Change::Added(address.clone()));
    }
    changes.sort_by(|a, b| a.address().cmp(b.address()));
    changes
}

/// Evaluates the expressions pmigc writes around a variable at one value: `${var.x}` and
/// `${100 - var.x}` exactly; anything else is shown with the variable substituted.
fn evaluate(template: &str, variable: &str, value: u8) -> String {
    let reference = format!("var.{variable}");
    if template == format!("${{{reference}}}") {
        return value.to_string();
    }
    if template == format!("${{100 - {reference}}}") {
        return (100 - u16::from(value)).to_string();
    }
    template.replace(&reference, &value.to_string())
}

/// The attributes of `root` that read `var.VARIABLE`, evaluated at `from` and at `to`.
/// Lifecycle conditions are checks, not configuration, and are left out.
pub fn phases(root: &Value, variable: &str, from: u8, to: u8) -> Vec<Change> {
    let reference = format!("var.{variable}");
    let mut changes = Vec::new();
    for (address, block) in blocks(root) {
        if address.starts_with("variable.") || address.starts_with("check.") {
            continue;
        }
        let attributes: Vec<(String, String, String)> = flat(block)
            .into_iter()
            .filter(|(path, v)| v.contains(&reference) && !path.starts_with("lifecycle."))
            .map(|(path, v)| {
                (
                    path,
                    evaluate(&v, variable, from),
                    evaluate(&v, variable, to),
                )
            })
            .filter(|(_, a, b)| a != b)
            .collect();
        if !attributes.is_empty() {
            changes.push(Change::Changed(address, attributes));
        }
    }
    changes
}

/// The changes as text, one address per line with its attributes indented.
pub fn text(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        match change {
            Change::Added(a) => out.push_str(&format!("  + {a}\n")),
            Change::Removed(a) => out.push_str(&format!("  - {a}\n")),
            Change::Changed(a, attributes) => {
                out.push_str(&format!("  ~ {a}\n"));
                for (path, before, after) in attributes {
                    out.push_str(&format!("      {path}: {before} → {after}\n"));
                }
            }
        }
    }
    out
}
