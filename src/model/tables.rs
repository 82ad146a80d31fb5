//! What a replication copies: the `include`/`exclude` lists of `schema.table` patterns a
//! stack writes, proven well formed by the checker (`crate::check::tables`), and the DMS
//! table mappings they compile to. In a pmigc pattern `%` is the only wildcard (zero or more
//! characters); every other character is itself. DMS also reads `_` as any one character and
//! `[…]` as a set ("Wildcards in table mapping", DMS user guide,
//! https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Wildcards.html),
//! so a literal `_` is written to DMS as `[_]` (the page's own escape) and the checker refuses
//! `[` and `]`: DMS selects exactly the tables the stack names, never more.

/// One `schema.table` pattern, as the stack writes it (`%` wild, everything else literal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePattern {
    pub schema: String,
    pub table: String,
}

impl TablePattern {
    /// `%.%`: every table of every schema.
    pub fn everything() -> TablePattern {
        TablePattern {
            schema: "%".into(),
            table: "%".into(),
        }
    }

    /// The pattern as the stack writes it: `shop.orders`.
    pub fn describe(&self) -> String {
        format!("{}.{}", self.schema, self.table)
    }

    /// Whether every table `other` selects is also selected by `self` (both parts).
    pub fn covers(&self, other: &TablePattern) -> bool {
        covers(&self.schema, &other.schema) && covers(&self.table, &other.table)
    }

    /// Whether `name` (a schema) matches the schema part.
    pub fn schema_matches(&self, name: &str) -> bool {
        covers(&self.schema, name) && !name.contains('%')
    }
}

/// Whether every name pattern `narrow` matches is matched by `wide`. Exact for `%`-only
/// patterns: `narrow`'s `%` is treated as a character no literal of `wide` matches (only a `%`
/// of `wide` absorbs it); if `wide` fails on that word, the word with that character put in
/// for each `%` is a name `narrow` matches and `wide` does not.
fn covers(wide: &str, narrow: &str) -> bool {
    let w: Vec<char> = wide.chars().collect();
    let n: Vec<char> = narrow.chars().collect();
    // matched[j]: `wide[..i]` matches `narrow[..j]`, row by row over i.
    let mut matched = vec![false; n.len() + 1];
    if let Some(first) = matched.first_mut() {
        *first = true;
    }
    for c in &w {
        let mut next = vec![false; n.len() + 1];
        if *c == '%' {
            // `%` matches any run: next[j] holds if some k <= j had matched[k].
            let mut any = false;
            for (j, slot) in next.iter_mut().enumerate() {
                any = any || matched.get(j).copied().unwrap_or(false);
                *slot = any;
            }
        } else {
            for (j, nc) in n.iter().enumerate() {
                if nc == c
                    && *nc != '%'
                    && matched.get(j).copied().unwrap_or(false)
                    && let Some(slot) = next.get_mut(j + 1)
                {
                    *slot = true;
                }
            }
        }
        matched = next;
    }
    matched.last().copied().unwrap_or(false)
}

/// What a replication copies: the tables `include` selects that no `exclude` selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSelection {
    /// At least one pattern (`%.%` when the stack writes no `include`).
    pub include: Vec<TablePattern>,
    pub exclude: Vec<TablePattern>,
}

impl Default for TableSelection {
    fn default() -> Self {
        TableSelection {
            include: vec![TablePattern::everything()],
            exclude: Vec::new(),
        }
    }
}

impl TableSelection {
    /// Whether it copies every table of the source (no list narrows it).
    pub fn copies_everything(&self) -> bool {
        self.exclude.is_empty()
            && self
                .include
                .iter()
                .any(|p| p.covers(&TablePattern::everything()))
    }

    /// The DMS selection rules, in order: the includes, then the excludes, numbered from 1
    /// (rule ids and names unique, as DMS requires: "Selection rules and actions", DMS user
    /// guide, https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Selections.html).
    /// Each is `(action, schema-name, table-name)` in DMS's wildcard syntax.
    pub fn rules(&self) -> Vec<(&'static str, String, String)> {
        let include = self.include.iter().map(|p| ("include", p));
        let exclude = self.exclude.iter().map(|p| ("exclude", p));
        include
            .chain(exclude)
            .map(|(action, p)| (action, dms_pattern(&p.schema), dms_pattern(&p.table)))
            .collect()
    }
}

/// A pmigc pattern in DMS's syntax: `_` (a wildcard to DMS) as the literal `[_]`.
fn dms_pattern(pattern: &str) -> String {
    pattern.replace('_', "[_]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> TablePattern {
        let (schema, table) = text.split_once('.').unwrap_or((text, ""));
        TablePattern {
            schema: schema.into(),
            table: table.into(),
        }
    }

    #[test]
    fn coverage_is_exact_for_percent_patterns() {
        let cases = [
            ("%.%", "shop.orders", true),
            ("shop.%", "shop.tmp_%", true),
            ("shop.tmp_%", "shop.%", false),
            ("shop.tmp%", "shop.tmp_%", true),
            ("shop.%_%", "shop.tmp_%", true),
            ("shop.%_%", "shop.%", false),
            ("shop.orders", "shop.orders", true),
            ("shop.orders", "shop.order%", false),
            ("%op.%", "shop.a", true),
            ("s%p.%", "sp.a", true),
            ("s%p.%", "s.a", false),
        ];
        for (wide, narrow, expected) in cases {
            assert_eq!(p(wide).covers(&p(narrow)), expected, "{wide} ⊇ {narrow}");
        }
    }

    #[test]
    fn underscores_reach_dms_as_literals_and_percent_stays_wild() {
        let selection = TableSelection {
            include: vec![p("shop_eu.%")],
            exclude: vec![p("shop_eu.tmp_%")],
        };
        assert_eq!(
            selection.rules(),
            vec![
                ("include", "shop[_]eu".into(), "%".into()),
                ("exclude", "shop[_]eu".into(), "tmp[_]%".into()),
            ]
        );
        assert!(!selection.copies_everything());
        assert!(TableSelection::default().copies_everything());
    }
}
