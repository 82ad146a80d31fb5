//! `dms.mappings`: every DMS task's table mappings are a document DMS accepts and that copies
//! something. Per "Selection rules and actions" (DMS user guide,
//! https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Selections.html):
//! at least one selection rule; each rule's `rule-id` numeric and unique, its `rule-name`
//! unique; a selection rule's `rule-action` `include`, `exclude` or `explicit`, and its
//! `object-locator` naming a `schema-name` and a `table-name`. pmigc adds: at least one rule
//! includes something (a task of only excludes copies nothing).

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::{Finding, Input};

pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    for body in input.root.each("aws_dms_replication_task") {
        let task = body.address();
        let Some(text) = body.text("table_mappings") else {
            out.push(finding(task, "has no table mappings".into()));
            continue;
        };
        // Terraform reads `$${` and `%%{` in a string as the literal `${`, `%{`.
        let json = text.replace("$${", "${").replace("%%{", "%{");
        for problem in problems(&json) {
            out.push(finding(task, problem));
        }
    }
}

fn finding(task: &str, problem: String) -> Finding {
    Finding {
        rule: "dms.mappings",
        message: format!("{task}'s table mappings: {problem}"),
        resources: vec![task.to_string()],
    }
}

/// What DMS would refuse in a table-mapping document, or what would copy nothing.
fn problems(json: &str) -> Vec<String> {
    let document: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON ({e})")],
    };
    let Some(rules) = document.get("rules").and_then(Value::as_array) else {
        return vec!["no `rules` list".into()];
    };
    let mut out = Vec::new();
    let (mut ids, mut names) = (BTreeSet::new(), BTreeSet::new());
    let mut selections = 0;
    let mut includes = 0;
    for rule in rules {
        let field = |key: &str| rule.get(key).and_then(Value::as_str).unwrap_or("");
        let id = field("rule-id");
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            out.push(format!("rule id `{id}` is not a number"));
        } else if !ids.insert(id.to_string()) {
            out.push(format!("rule id {id} is used twice"));
        }
        let name = field("rule-name");
        if name.is_empty() {
            out.push(format!("rule {id} has no name"));
        } else if !names.insert(name.to_string()) {
            out.push(format!("rule name `{name}` is used twice"));
        }
        if field("rule-type") != "selection" {
            continue;
        }
        selections += 1;
        let action = field("rule-action");
        match action {
            "include" | "explicit" => includes += 1,
            "exclude" => {}
            other => out.push(format!(
                "rule {id}'s action `{other}` is not include, exclude or explicit"
            )),
        }
        let locator = |key: &str| {
            rule.get("object-locator")
                .and_then(|l| l.get(key))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        for key in ["schema-name", "table-name"] {
            if locator(key).is_empty() {
                out.push(format!("rule {id}'s object locator has no {key}"));
            }
        }
    }
    if selections == 0 {
        out.push("no selection rule".into());
    } else if includes == 0 {
        out.push("no rule includes a table: the task copies nothing".into());
    }
    out
}
