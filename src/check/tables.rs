//! What a replication copies: `include = ["shop.%", "billing.invoices"]` and
//! `exclude = ["shop.tmp_%"]`, lists of `schema.table` patterns where `%` is the only wildcard
//! (`crate::model::TableSelection`). Refused: a pattern that is not `schema.table` (PMG0836),
//! an empty list (PMG0838), an `exclude` that removes everything the `include` selects
//! (PMG0837), and a source's system schema named in `include` (PMG0839).

mod diagnostics;
pub(crate) use diagnostics::{BadTablePattern, EmptyTableList, ExcludesEverything, SystemSchema};

use super::context::Ctx;
use crate::diag::at;
use crate::engine::Family;
use crate::model::{TablePattern, TableSelection};
use crate::syntax::ast::{Ident, Span, Value};

/// The schemas a source server keeps its own catalogue in, by family. MySQL: "The mysql
/// System Schema", "INFORMATION_SCHEMA Tables", "MySQL Performance Schema", "MySQL sys
/// Schema" (MySQL 8.0 Reference Manual, chapters 5.3, 28, 29, 30). PostgreSQL:
/// `information_schema` and `pg_catalog` (PostgreSQL documentation, "The Information Schema"
/// and "System Catalogs"), with `pg_toast` beside them.
fn system_schemas(family: Family) -> &'static [&'static str] {
    match family {
        Family::Mysql => &["mysql", "sys", "information_schema", "performance_schema"],
        Family::Postgresql => &["information_schema", "pg_catalog", "pg_toast"],
    }
}

/// Where the lists were written, for the data cutover's warning (PMG0840).
pub(crate) struct TableSpans {
    pub include: Option<Span>,
    pub exclude: Option<Span>,
}

impl<'a> Ctx<'a> {
    /// The selection of replication `name` from a `family` source; `None` after an error.
    pub(crate) fn table_selection(
        &mut self,
        name: &Ident,
        family: Option<Family>,
        include: Option<&'a Value>,
        exclude: Option<&'a Value>,
    ) -> Option<(TableSelection, TableSpans)> {
        let spans = TableSpans {
            include: include.map(|v| v.span),
            exclude: exclude.map(|v| v.span),
        };
        let included = match include {
            Some(v) => self.patterns(name, "include", v),
            None => Some(vec![(TablePattern::everything(), Span::default())]),
        };
        let excluded = match exclude {
            Some(v) => self.patterns(name, "exclude", v),
            None => Some(Vec::new()),
        };
        let (included, excluded) = (included?, excluded?);
        let mut ok = true;
        if let (Some(family), Some(_)) = (family, include) {
            for (pattern, span) in &included {
                ok &= self.not_a_system_schema(pattern, *span, family);
            }
        }
        let removed = included
            .iter()
            .all(|(i, _)| excluded.iter().any(|(e, _)| e.covers(i)));
        if let (true, Some(exclude)) = (removed, exclude) {
            let include_at = include.map(|v| v.span).unwrap_or(exclude.span);
            self.error(ExcludesEverything {
                replication: name.text.clone(),
                at: at(exclude.span),
                include_at: at(include_at),
                help: Some(match include {
                    Some(_) => "a replication that copies no table protects nothing: narrow `exclude` to the tables to leave behind, or remove the replication".into(),
                    None => "without `include` a replication selects every table (`%.%`): name the tables to copy in `include`, and in `exclude` only those to leave behind".into(),
                }),
            });
            ok = false;
        }
        ok.then(|| {
            (
                TableSelection {
                    include: included.into_iter().map(|(p, _)| p).collect(),
                    exclude: excluded.into_iter().map(|(p, _)| p).collect(),
                },
                spans,
            )
        })
    }

    /// The patterns of one list, each checked; `None` after an error.
    fn patterns(
        &mut self,
        name: &Ident,
        attr: &str,
        value: &'a Value,
    ) -> Option<Vec<(TablePattern, Span)>> {
        let items = self.list(value, "a list of `\"schema.table\"` patterns")?;
        if items.is_empty() {
            self.error(EmptyTableList {
                attr: attr.into(),
                replication: name.text.clone(),
                at: at(value.span),
                help: Some(match attr {
                    "include" => "name what DMS copies, like `include = [\"shop.%\"]` (every table of schema `shop`), or remove `include` to copy every table".into(),
                    _ => "remove `exclude`, or name the tables to leave behind, like `exclude = [\"shop.tmp%\"]`".into(),
                }),
            });
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let Some(text) = self.literal_string(item, "a `\"schema.table\"` pattern") else {
                ok = false;
                continue;
            };
            match parse(&text) {
                Ok(pattern) => out.push((pattern, item.span)),
                Err(why) => {
                    self.error(BadTablePattern {
                        pattern: text.clone(),
                        attr: attr.into(),
                        at: at(item.span),
                        why: why.into(),
                        help: Some(pattern_help(&text)),
                    });
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// PMG0839: an `include` pattern whose schema is written out as a system schema.
    fn not_a_system_schema(&mut self, pattern: &TablePattern, span: Span, family: Family) -> bool {
        if pattern.schema.contains('%') {
            // Only a schema named outright is refused: `s%` may well mean `shop`. Whether DMS
            // itself skips the system schemas under `%` is not confirmed from an AWS page here.
            return true;
        }
        let Some(schema) = system_schemas(family)
            .iter()
            .find(|s| s.eq_ignore_ascii_case(&pattern.schema))
        else {
            return true;
        };
        self.error(SystemSchema {
            pattern: pattern.describe(),
            engine: family.label().into(),
            schema: (*schema).into(),
            at: at(span),
            help: Some(format!(
                "remove `\"{}\"` from `include`: Aurora keeps its own `{schema}`; create the application's users and grants on Aurora itself",
                pattern.describe()
            )),
        });
        false
    }
}

/// A `schema.table` pattern, or why it is not one.
fn parse(text: &str) -> Result<TablePattern, &'static str> {
    let Some((schema, table)) = text.split_once('.') else {
        return Err("no `.` between a schema and a table");
    };
    if table.contains('.') {
        return Err("more than one `.`: a pattern is one schema and one table");
    }
    if schema.is_empty() || table.is_empty() {
        return Err("an empty schema or table name");
    }
    if text.contains(['[', ']']) {
        return Err("`[` and `]` are not allowed: `%` is the only wildcard");
    }
    if text.chars().any(char::is_control) {
        return Err("a control character");
    }
    Ok(TablePattern {
        schema: schema.into(),
        table: table.into(),
    })
}

/// The fix for a pattern: the closest `schema.table` form of what was written.
fn pattern_help(text: &str) -> String {
    match text.split_once('.') {
        None if !text.is_empty() => format!(
            "name a schema and its tables: `\"{text}.%\"` copies every table of schema `{text}`, `\"%.{text}\"` table `{text}` of every schema"
        ),
        _ => "write one schema, a `.` and one table, with `%` for any run of characters: `\"shop.%\"`, `\"billing.invoices\"`, `\"shop.tmp%\"`".into(),
    }
}
