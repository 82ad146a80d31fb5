//! A cutover's owners: `owner = WORKSPACE` or `owner = [staging, production]`, the workspaces
//! whose roots manage the cutover's weighted records, gate alarms and health checks when
//! several workspaces share one AWS account. Each owner manages its own record of the cutover,
//! as its `workspace` block gives it (`storefront.record = … in zone …`, `legacy`, its own
//! weight); every other workspace's root leaves the cutover alone (PMG0834, PMG0835). A list
//! names declared workspaces, at least one (PMG0860), each once (PMG0861); and two owners in
//! one account must not manage the same record set — name, type and set identifier in one
//! hosted zone — (PMG0862): the second root's create fails ("Tried to create resource record
//! set … but it already exists": `aws_route53_record` creates with `allow_overwrite` off by
//! default, Terraform AWS provider, resource `aws_route53_record`), and were it forced, the two
//! states would overwrite each other's weights. Route 53 compares names without case and without
//! the trailing dot ("DNS domain name format", Amazon Route 53 Developer Guide:
//! https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html).

mod diagnostics;
pub(crate) use diagnostics::{EmptyOwnerList, OwnerListedTwice, SharedCutoverRecord};

use super::context::Ctx;
use crate::diag::at;
use crate::model::{Name, Owners};
use crate::syntax::ast::{Span, TermKind, Value};

/// What the owners do, for the label of a workspace name that is not declared.
const ROLE: &str = "manages this cutover's records";

impl<'a> Ctx<'a> {
    /// A checked `owner`: one workspace's name, or a list of them.
    pub(crate) fn owners(&mut self, value: &'a Value) -> Option<Owners> {
        let items = match value.terms.as_slice() {
            [term] => match &term.kind {
                TermKind::List(items) => items,
                _ => return self.workspace_ref(value, ROLE).and_then(one),
            },
            _ => return self.workspace_ref(value, ROLE).and_then(one),
        };
        if items.is_empty() {
            self.error(EmptyOwnerList { at: at(value.span) });
            return None;
        }
        let mut names: Vec<(Name, Span)> = Vec::new();
        let mut complete = true;
        for item in items {
            let Some(name) = self.workspace_ref(item, ROLE) else {
                complete = false;
                continue;
            };
            if let Some((_, first)) = names.iter().find(|(n, _)| n == &name) {
                self.error(OwnerListedTwice {
                    workspace: name.to_string(),
                    at: at(item.span),
                    first: at(*first),
                });
                complete = false;
                continue;
            }
            names.push((name, item.span));
        }
        if !complete {
            return None;
        }
        Owners::checked(names.into_iter().map(|(n, _)| n).collect())
    }
}

fn one(name: Name) -> Option<Owners> {
    Owners::checked(vec![name])
}

/// A record set as Route 53 compares it: the name in lowercase without its trailing dot.
pub(crate) fn record_set(record: &str, set: &str, zone: &str) -> String {
    let canonical = |n: &str| n.trim_end_matches('.').to_ascii_lowercase();
    format!("{} ({set}) in zone {}", canonical(record), canonical(zone))
}

/// The help of PMG0862: how `workspace` gets a record of its own.
pub(crate) fn own_record_help(cutover: &str, workspace: &str) -> String {
    format!(
        "give every owner but one a record of its own: in workspace `{workspace}` write `{cutover}.record = \"…\" in zone \"…\"`, with a certificate that covers it (or put the workspaces in different accounts, `account = \"…\"`)"
    )
}
