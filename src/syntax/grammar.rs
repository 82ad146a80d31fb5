//! The parser pest derives from `grammar/pmig.pest`: [`PmigParser`] and its `Rule` enum, one
//! variant per grammar rule, which the parse loop (`syntax`), the tree builder, the recovery and
//! the wording of syntax errors read. A module of its own so that they name it rather than the
//! parse loop that calls them.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/pmig.pest"]
pub(crate) struct PmigParser;
