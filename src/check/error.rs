//! Every problem the checker can report: one variant per diagnostic code.
//!
//! Messages say what is wrong in the stack's own words; labels point at the exact span and,
//! where another place is involved (the first definition of a duplicate, the VPC a subnet falls
//! outside of), at that place too; `help` gives the fix when there is one. The first label is
//! the primary one.

use crate::check::internal::{AddressClaimedTwice, Internal, Unverified};
use crate::diag::{Code, Coded, Fix};
use crate::syntax::ast::Span;

/// Codes that report a bug in pmigc, not in the stack (the CLI exits 2 on them).
pub(crate) const INTERNAL_CODES: &[Code] =
    &[Internal::CODE, Unverified::CODE, AddressClaimedTwice::CODE];

/// What the checker reports: one of the diagnostic structs declared beside the rules
/// (`check::*::diagnostics`), erased.
pub(crate) type CheckError = crate::diag::Report;

/// A replacement of `span` by `text`, for errors that know their fix.
pub(crate) fn replace(span: Span, text: impl Into<String>) -> Option<Fix> {
    Some(Fix {
        span,
        replacement: text.into(),
    })
}
