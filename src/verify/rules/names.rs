//! `names`: every argument that names a resource in AWS (`crate::aws::names::ARGUMENTS`)
//! against AWS's rule for it — the same rules the checker measures the names a block derives
//! with, before anything is lowered.

use super::super::{Finding, Input};
use crate::aws::names::ARGUMENTS;
use serde_json::Value;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for kind in input.root.resource_types() {
        for argument in ARGUMENTS.iter().filter(|a| a.kind == kind || a.kind == "*") {
            for (address, body) in input.root.each(kind) {
                for text in at_path(body, argument.path) {
                    // A name built from another resource's attribute is known only after apply.
                    let Some(name) = input.root.evaluate(text) else {
                        continue;
                    };
                    if let Some(problem) = argument.rule.problem(&name) {
                        out.push(Finding {
                            rule: "names",
                            message: format!(
                                "the {} of {address}, `{name}`, {problem}",
                                argument.rule.what
                            ),
                            resources: vec![address.to_string()],
                        });
                    }
                }
            }
        }
    }
}

/// The strings at a dotted path in a body: a map's key, a nested block's argument (a block
/// written as a list is looked into element by element), or, in a list of Terraform's
/// `{ key, value }` tag blocks (`tag` of an Auto Scaling group), the value of that key.
pub fn at_path<'v>(body: &'v Value, path: &str) -> Vec<&'v str> {
    let mut here = vec![body];
    for segment in path.split('.') {
        let mut next = Vec::new();
        for value in here {
            let objects: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for object in objects {
                if let Some(v) = object.get(segment) {
                    next.push(v);
                } else if object.get("key").and_then(Value::as_str) == Some(segment)
                    && let Some(v) = object.get("value")
                {
                    next.push(v);
                }
            }
        }
        here = next;
    }
    here.into_iter().filter_map(Value::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::at_path;
    use serde_json::json;

    #[test]
    fn paths_reach_maps_blocks_and_tag_lists() {
        let body = json!({
            "name": "pay-api",
            "tags": { "Name": "pay-api" },
            "access_logs": [{ "prefix": "api" }],
            "tag": [
                { "key": "Name", "value": "pay-worker", "propagate_at_launch": true },
                { "key": "Team", "value": "payments", "propagate_at_launch": true }
            ]
        });
        assert_eq!(at_path(&body, "name"), ["pay-api"]);
        assert_eq!(at_path(&body, "tags.Name"), ["pay-api"]);
        assert_eq!(at_path(&body, "access_logs.prefix"), ["api"]);
        assert_eq!(at_path(&body, "tag.Name"), ["pay-worker"]);
        assert!(at_path(&body, "tags.Team").is_empty());
        assert!(at_path(&body, "missing.Name").is_empty());
    }
}
