//! An input's default is checked like any value, even when every workspace sets the input
//! today: the next workspace added inherits it. The stack is checked once more as a workspace
//! that sets nothing, and the problems found inside a default that every workspace overrides
//! (which no workspace's check saw) are added to the stack's diagnostics, at the default,
//! unless a workspace already reported the same kind of problem (a cutover without
//! replication is one root cause, whichever weight shows it). A default used inside another
//! value (filled into a string, a record that is an input) is judged at that use, and the
//! problem is labelled at the default too.

use super::context::Ctx;
use super::error::CheckError;
use super::names::{Declarations, Declared};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{Block, Span};

/// The spans of defaults that every workspace overrides.
fn hidden_defaults(decls: &Declarations) -> Vec<Span> {
    if decls.workspaces.is_empty() {
        return Vec::new();
    }
    let sets = |block: &Block, name: &str| {
        block
            .attrs
            .iter()
            .any(|a| a.key.len() == 1 && a.key_text() == name)
    };
    decls
        .decls
        .iter()
        .filter_map(|d| match d.item {
            Declared::Input(input) => input.default.as_ref().map(|v| (input, v.span)),
            _ => None,
        })
        .filter(|(input, _)| {
            decls
                .workspaces
                .iter()
                .all(|(_, block)| sets(block, &input.name.text))
        })
        .map(|(_, span)| span)
        .collect()
}

/// The problems of defaults no workspace uses, found by checking a workspace that sets
/// nothing; `build` checks the stack for the workspace in `ctx`.
pub(super) fn check<'a>(
    decls: &'a Declarations<'a>,
    reported: &[CheckError],
    provenance: &mut super::provenance::Provenance,
    mut ctx: Ctx<'a>,
    build: impl FnOnce(&mut Ctx<'a>),
) -> Vec<CheckError> {
    let spans = hidden_defaults(decls);
    if spans.is_empty() {
        return Vec::new();
    }
    build(&mut ctx);
    let codes: Vec<Code> = reported
        .iter()
        .map(|e| Diagnostic::from_report(e).code)
        .collect();
    let inside = |inner: Span, outer: Span| outer.start <= inner.start && inner.end <= outer.end;
    // A default filled into a string or used as a record is judged where it is used.
    let uses: Vec<Span> = ctx
        .substitutions
        .iter()
        .filter(|s| spans.iter().any(|d| inside(s.value, *d)))
        .map(|s| s.used)
        .collect();
    let hidden: Vec<CheckError> = ctx
        .errors
        .into_iter()
        .filter(|e| {
            let d = Diagnostic::from_report(e);
            let at = d.primary_span();
            !codes.contains(&d.code)
                && (spans.iter().any(|s| inside(at, *s)) || uses.iter().any(|u| inside(*u, at)))
        })
        .collect();
    provenance.note(&hidden, &ctx.substitutions, "");
    hidden
}
