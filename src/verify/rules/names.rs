//! `names`: every argument that names a resource in AWS (`crate::aws::names::ARGUMENTS`)
//! against AWS's rule for it — the same rules the checker measures the names a block derives
//! with, before anything is lowered.

use super::super::root::{Body, Val};
use super::super::{Finding, Input};
use crate::aws::names::ARGUMENTS;
use std::borrow::Cow;

pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    for kind in input.root.resource_types() {
        for argument in ARGUMENTS.iter().filter(|a| a.kind == kind || a.kind == "*") {
            for body in input.root.each(kind) {
                for text in at_path(body, argument.path) {
                    // A name built from another resource's attribute is known only after apply.
                    let Some(name) = input.root.evaluate(&text) else {
                        continue;
                    };
                    if let Some(problem) = argument.rule.problem(&name) {
                        let address = body.address();
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

/// The strings at a dotted path in a body: an attribute, then a map's key or a nested block's
/// argument (a block written as a list is looked into element by element), or, in a list of
/// Terraform's `{ key, value }` tag blocks (`tag` of an Auto Scaling group), the value of
/// that key.
pub(super) fn at_path<'a>(body: Body<'_, 'a>, path: &str) -> Vec<Cow<'a, str>> {
    let mut segments = path.split('.');
    let Some(first) = segments.next().and_then(|s| body.get(s)) else {
        return Vec::new();
    };
    let mut here: Vec<Val<'a>> = vec![first];
    for segment in segments {
        let mut next = Vec::new();
        for value in here {
            let objects = value.items().unwrap_or_else(|| vec![value]);
            for object in objects {
                if let Some(v) = object.get(segment) {
                    next.push(v);
                } else if object.get("key").and_then(Val::as_str).as_deref() == Some(segment)
                    && let Some(v) = object.get("value")
                {
                    next.push(v);
                }
            }
        }
        here = next;
    }
    here.into_iter().filter_map(Val::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::root::Root;
    use super::at_path;

    #[test]
    fn paths_reach_maps_blocks_and_tag_lists() {
        let text = r#"{ "resource": { "aws_autoscaling_group": { "worker": {
            "name": "pay-worker",
            "tags": { "Name": "pay-worker" },
            "access_logs": [{ "prefix": "worker" }],
            "tag": [
                { "key": "Name", "value": "pay-worker-1", "propagate_at_launch": true },
                { "key": "Team", "value": "payments", "propagate_at_launch": true }
            ]
        } } } }"#;
        let root = Root::read(text.as_bytes());
        let Some(body) = root.get("aws_autoscaling_group.worker") else {
            panic!("the block is read");
        };
        assert_eq!(at_path(body, "name"), ["pay-worker"]);
        assert_eq!(at_path(body, "tags.Name"), ["pay-worker"]);
        assert_eq!(at_path(body, "access_logs.prefix"), ["worker"]);
        assert_eq!(at_path(body, "tag.Name"), ["pay-worker-1"]);
        assert!(at_path(body, "tags.Team").is_empty());
        assert!(at_path(body, "missing.Name").is_empty());
    }
}
