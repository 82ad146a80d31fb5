//! Where a workspace's value came from. A problem found in a value a workspace gives an input
//! (`admin_host = "admin.other.org"` used as a record, `env = "stg"` filled into
//! `"shop-{env}.example.eu"`) is reported where the checker found it, and this module adds the
//! other end as a second label: at the workspace's setting (or the input's default) when the
//! problem points at the use and its message names the value (a problem with the use itself,
//! such as two cutovers sharing one weight input, is not about the value), at the use when it points at the setting and the value is used
//! in one place only (a `name` input used in ten strings would otherwise label all ten). The
//! same problem in several workspaces stays one diagnostic, its label naming them all.

use super::context::Substitution;
use super::error::CheckError;
use crate::diag::{Diagnostic, Label};
use crate::syntax::ast::Span;
use std::collections::{BTreeMap, BTreeSet};

/// A label to add to a diagnostic, keyed by what identifies the diagnostic and the label's span.
type Key = (Span, String, Span);

/// The labels to add, with the workspaces each was found in.
#[derive(Default)]
pub(super) struct Provenance {
    labels: BTreeMap<Key, (String, BTreeSet<String>)>,
}

fn inside(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

impl Provenance {
    /// Notes the second label of each of `errors`, found in `workspace` with `substitutions`.
    pub(super) fn note(
        &mut self,
        errors: &[CheckError],
        substitutions: &[Substitution],
        workspace: &str,
    ) {
        for error in errors {
            let d = Diagnostic::from_report(error);
            let primary = d.primary_span();
            let labelled = |span: Span| d.labels.iter().any(|l| inside(span, l.span));
            for sub in substitutions {
                // At the value only when the problem is about the value: it names it.
                let named = !sub.text.is_empty() && d.message.contains(&sub.text);
                let (span, message) = if inside(sub.used, primary) && named && !labelled(sub.value)
                {
                    (sub.value, format!("`{}` has this value", sub.input))
                } else if inside(sub.value, primary)
                    && !labelled(sub.used)
                    && only_use(sub, substitutions)
                {
                    (sub.used, format!("`{}` is used here", sub.input))
                } else {
                    continue;
                };
                self.labels
                    .entry((primary, d.message.clone(), span))
                    .or_insert_with(|| (message, BTreeSet::new()))
                    .1
                    .insert(workspace.to_string());
            }
        }
    }

    /// Adds the noted labels to the diagnostics they belong to.
    pub(super) fn apply(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            let primary = d.primary_span();
            let found: Vec<Label> = self
                .labels
                .range((primary, d.message.clone(), Span::default())..)
                .take_while(|((p, m, _), _)| *p == primary && *m == d.message)
                .map(|((_, _, span), (message, workspaces))| Label {
                    span: *span,
                    message: format!("{message} in {}", named(workspaces)),
                    primary: false,
                })
                .collect();
            d.labels.extend(found);
        }
    }
}

/// Whether `sub`'s value is used in one place only in this workspace.
fn only_use(sub: &Substitution, all: &[Substitution]) -> bool {
    all.iter()
        .filter(|s| s.value == sub.value)
        .all(|s| s.used == sub.used)
}

/// "workspace `a`", "workspaces `a`, `b`"; the empty name is the stack checked with every
/// input at its default ("a workspace that sets nothing").
fn named(workspaces: &BTreeSet<String>) -> String {
    let list: Vec<String> = workspaces
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| format!("`{w}`"))
        .collect();
    match list.as_slice() {
        [] => "a workspace that sets nothing".to_string(),
        [one] => format!("workspace {one}"),
        _ => format!("workspaces {}", list.join(", ")),
    }
}
