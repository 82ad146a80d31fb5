//! What changes between two compiled roots — two workspaces, or two phases of one cutover —
//! at the level a reviewer of a Terraform plan cares about: resources added, removed, and the
//! attributes (as dotted paths) whose configured values differ.
//!
//! A phase only sets the cutover's weight variable, so the roots of two phases are the same
//! text with a different variable; `phases` evaluates the values lowering recorded as reading
//! that weight (typed, never by matching the printed text). `tests/it/migration.rs` proves from
//! the printed roots that nothing else reads it.

use crate::lower::{Root, WeightRead};
use crate::model::{Cutover, Percent, Writer};
use serde_json::Value;
use std::collections::BTreeMap;

/// What `pmigc diff --from A --to B` compares, as the user typed it: two states of a data
/// cutover, two phases of a cutover, or else two workspaces (by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Between<'a> {
    States(Writer, Writer),
    Phases(Percent, Percent),
    Workspaces(&'a str, &'a str),
}

impl<'a> Between<'a> {
    /// What `from` and `to` name: both states, both phases, or else workspaces.
    pub fn parse(from: &'a str, to: &'a str) -> Between<'a> {
        if let (Some(a), Some(b)) = (Writer::parse(from), Writer::parse(to)) {
            return Between::States(a, b);
        }
        if let (Some(a), Some(b)) = (Percent::parse(from), Percent::parse(to)) {
            return Between::Phases(a, b);
        }
        Between::Workspaces(from, to)
    }
}

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

/// What moving `cutover` from the weight `from` to `to` changes in `root`: every value that
/// reads the cutover's weight (recorded by lowering as it wrote them, see
/// `Root::weight_reads`), evaluated at both weights. Nothing else in a root depends on a
/// weight, and no other cutover's values move.
pub fn phases(root: &Root, cutover: &Cutover, from: Percent, to: Percent) -> Vec<Change> {
    let mut changes: Vec<Change> = root
        .weight_reads()
        .iter()
        .filter(|read| read.cutover == cutover.name)
        .filter(|read| read.side.at(from) != read.side.at(to))
        .map(|read| {
            Change::Changed(
                read.address.clone(),
                vec![(
                    WeightRead::PATH.to_string(),
                    read.side.at(from).get().to_string(),
                    read.side.at(to).get().to_string(),
                )],
            )
        })
        .collect();
    changes.sort_by(|a, b| a.address().cmp(b.address()));
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
