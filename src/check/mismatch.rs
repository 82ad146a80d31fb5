//! A value that is not what its place takes, as every reader of values says it: how a value
//! reads in a message ([`value_text`]) and the two diagnostics the context, the declarations and
//! the typed readers of `check::values` all report, a value of the wrong type
//! ([`TypeMismatch`]) and a word that is none of the allowed ones ([`UnknownValue`]). It sits
//! below the context and names nothing of `check/`, so every layer above can report them.

mod diagnostics;
pub(crate) use diagnostics::{TypeMismatch, UnknownValue};

use crate::syntax::ast::{TermKind, Value, dotted};

/// A short rendering of a value's terms, for help texts.
pub(crate) fn value_text(value: &Value) -> String {
    value
        .terms
        .iter()
        .map(|t| match &t.kind {
            TermKind::String(s) => format!("\"{s}\""),
            // `7 days` keeps its space, `5s` and `50%` stay joined, as written.
            TermKind::Quantity {
                number,
                unit: Some(u),
            } if u.text.len() > 2 => format!("{number} {}", u.text),
            TermKind::Quantity {
                number,
                unit: Some(u),
            } => format!("{number}{}", u.text),
            TermKind::Quantity { number, unit: None } => number.clone(),
            TermKind::Cidr(c) => c.clone(),
            TermKind::Path(p) => dotted(p),
            TermKind::Range { low, high } => format!("{low}..{high}"),
            TermKind::Prefix(p) => format!("/{p}"),
            TermKind::Operator(o) => o.clone(),
            TermKind::HostPort { host, port } => format!("\"{host}\":{port}"),
            other => other.describe().to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
