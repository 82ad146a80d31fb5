//! A declaration misspelt once and used correctly elsewhere: every use would be an undefined
//! name suggesting the typo, and the declaration an unused one. When one undefined name is used
//! at least twice and the declaration its did-you-mean points at is never used, the
//! declaration is the mistake: one diagnostic there (PMG1103), with the rename as its fix,
//! replaces the errors at the uses and the unused warning.

mod diagnostics;
pub(crate) use diagnostics::MisspeltDeclaration;

use super::error::{CheckError, replace};
use super::names::Declarations;
use crate::check::names::UndefinedName;
use crate::diag::at;
use crate::syntax::ast::Span;
use std::collections::{BTreeMap, BTreeSet};

/// Rewrites `errors`; returns the declarations whose unused warning the new diagnostic covers.
pub(crate) fn fold(errors: &mut Vec<CheckError>, decls: &Declarations) -> BTreeSet<String> {
    // Undefined name → (the declaration it suggests, the distinct places it is used).
    let mut uses: BTreeMap<String, (String, BTreeSet<(usize, usize)>)> = BTreeMap::new();
    for error in errors.iter() {
        if let Some(UndefinedName {
            name,
            at,
            fix: Some(fix),
            ..
        }) = error.get::<UndefinedName>()
        {
            let entry = uses
                .entry(name.clone())
                .or_insert_with(|| (fix.replacement.clone(), BTreeSet::new()));
            entry.1.insert((at.offset(), at.len()));
        }
    }
    let mut folded = BTreeSet::new();
    for (used, (declared, places)) in uses {
        let Some(decl) = decls.get(&declared) else {
            continue;
        };
        if places.len() < 2 || decls.is_used(&declared) || folded.contains(&declared) {
            continue;
        }
        errors.retain(|e| e.get::<UndefinedName>().is_none_or(|e| e.name != used));
        errors.push(
            MisspeltDeclaration {
                declared: declared.clone(),
                used: used.clone(),
                times: places.len(),
                kind: decl.kind.noun().to_string(),
                at: at(decl.name.span),
                uses: places
                    .iter()
                    .map(|(start, len)| at(Span::new(*start, start + len)))
                    .collect(),
                fix: replace(decl.name.span, used),
            }
            .into(),
        );
        folded.insert(declared);
    }
    folded
}
