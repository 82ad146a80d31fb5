//! `names`: every name argument against `crate::aws::names`.

use super::super::{Finding, Input};
use crate::aws::names::RULES;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    for rule in RULES {
        for body in input.root.each(rule.kind) {
            let Some(text) = body.text(rule.attribute) else {
                continue;
            };
            let address = body.address();
            // A name built from another resource's attribute is known only after apply.
            let Some(name) = input.root.evaluate(&text) else {
                continue;
            };
            if let Some(problem) = rule.problem(&name) {
                out.push(Finding {
                    rule: "names",
                    message: format!("the {} of {address}, `{name}`, {problem}", rule.what),
                    resources: vec![address.to_string()],
                });
            }
        }
    }
}
