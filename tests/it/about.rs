//! What a golden success case is about, and that part of a root.
//!
//! A case of `tests/cases/ok/` says in a header comment which parts of its roots it is about:
//!
//! ```text
//! # about: aws_lb.*, aws_wafv2_web_acl_association.*, aws_launch_template.web.user_data
//! ```
//!
//! (several `# about:` lines add up). Each selector is a Terraform address, optionally followed
//! by attribute names: `TYPE.NAME` is a resource, `data.TYPE.NAME`, `ephemeral.TYPE.NAME`,
//! `output.NAME`, `check.NAME`, `locals.NAME`, `provider.aws` and `terraform` are the other
//! top-level blocks; `*` stands for every key at its place (`aws_lb.*`). Inside a list, the
//! next name applies to each element. The snapshot of a workspace is the root with everything
//! else left out, keys sorted as in the emitted files; a selector that matches nothing in any
//! workspace fails the case, so an `about` line cannot rot into asserting nothing.

use serde_json::{Map, Value};

/// The top-level blocks of a Terraform JSON root other than `resource`.
const BLOCKS: &[&str] = &[
    "check",
    "data",
    "ephemeral",
    "locals",
    "moved",
    "output",
    "provider",
    "terraform",
    "variable",
];

/// The selectors of a case's `# about:` lines, or why there are none.
pub fn selectors(text: &str) -> Result<Vec<String>, String> {
    let selectors: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# about:"))
        .flat_map(|rest| rest.split(',').map(str::trim).filter(|s| !s.is_empty()))
        .map(str::to_string)
        .collect();
    if selectors.is_empty() {
        return Err(
            "no `# about:` line says which resources or attributes the case is about \
                    (e.g. `# about: aws_lb.*, aws_launch_template.web.user_data`)"
                .to_string(),
        );
    }
    Ok(selectors)
}

/// A workspace's root as Terraform reads it: its emitted files merged into one object.
pub fn root(files: &[(&str, String)]) -> Value {
    let mut root = Map::new();
    for (name, text) in files {
        let file: Map<String, Value> =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        root.extend(file);
    }
    Value::Object(root)
}

/// The part of `root` the selectors name, and for each selector whether it matched anything.
pub fn select(root: &Value, selectors: &[String]) -> (Value, Vec<bool>) {
    let mut part = Value::Null;
    let found = selectors
        .iter()
        .map(|selector| {
            let mut path: Vec<&str> = selector.split('.').collect();
            if !path.first().is_some_and(|first| BLOCKS.contains(first)) {
                path.insert(0, "resource");
            }
            copy(root, &path, &mut part)
        })
        .collect();
    (part, found)
}

/// Copies what `path` names in `from` into `into` (built up as `from`'s shape); whether it
/// named anything.
fn copy(from: &Value, path: &[&str], into: &mut Value) -> bool {
    let Some((key, rest)) = path.split_first() else {
        *into = from.clone();
        return true;
    };
    match from {
        Value::Object(map) => {
            let mut found = false;
            for (k, v) in map.iter().filter(|(k, _)| *key == "*" || k == key) {
                if !into.is_object() {
                    *into = Value::Object(Map::new());
                }
                let Value::Object(target) = into else {
                    unreachable!("made an object above")
                };
                let slot = target.entry(k.clone()).or_insert(Value::Null);
                if copy(v, rest, slot) {
                    found = true;
                } else if slot.is_null() {
                    target.remove(k);
                }
            }
            found
        }
        Value::Array(items) => {
            if !into.is_array() {
                *into = Value::Array(vec![Value::Null; items.len()]);
            }
            let Value::Array(target) = into else {
                unreachable!("made an array above")
            };
            let mut found = false;
            for (item, slot) in items.iter().zip(target.iter_mut()) {
                found |= copy(item, path, slot);
            }
            found
        }
        _ => false,
    }
}

#[test]
fn a_selector_keeps_exactly_what_it_names() {
    let root = serde_json::json!({
        "resource": {
            "aws_lb": {"a": {"name": "x", "idle": 60}, "b": {"name": "y"}},
            "aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
        },
        "provider": {"aws": [{"region": "eu-west-1", "default_tags": {"tags": {"k": "v"}}}]},
        "output": {"url": {"value": "${aws_lb.a.dns_name}"}},
    });
    let owned = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (part, found) = select(
        &root,
        &owned(&[
            "aws_lb.*.name",
            "provider.aws.default_tags",
            "aws_vpc.other",
        ]),
    );
    assert_eq!(
        part,
        serde_json::json!({
            "resource": {"aws_lb": {"a": {"name": "x"}, "b": {"name": "y"}}},
            "provider": {"aws": [{"default_tags": {"tags": {"k": "v"}}}]},
        })
    );
    assert_eq!(found, vec![true, true, false]);
    let (part, _) = select(&root, &owned(&["output.url", "aws_vpc.main"]));
    assert_eq!(
        part,
        serde_json::json!({
            "resource": {"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}}},
            "output": {"url": {"value": "${aws_lb.a.dns_name}"}},
        })
    );
    assert!(selectors("# A case\nstack x {}\n").is_err());
    assert_eq!(
        selectors("# about: aws_lb.*, output.url\n# about: terraform\n").unwrap(),
        ["aws_lb.*", "output.url", "terraform"]
    );
}
