//! Cutting a file into top-level items before parsing, so that one syntax error costs one
//! item, not the rest of the file.
//!
//! An item starts on a line whose first token begins with a letter while no bracket is open,
//! or, to recover from a missing `}`, on a line that starts in column 0 with a top-level
//! keyword (`database ledger {`) even though a bracket is still open. Brackets in strings and
//! comments do not count, and a byte-order mark is not text.

/// Words that start a top-level item.
pub(crate) const TOP_LEVEL_KEYWORDS: &[&str] = &[
    "stack",
    "input",
    "existing",
    "network",
    "database",
    "service",
    "replication",
    "cutover",
    "data_cutover",
    "dashboard",
    "output",
    "workspace",
];

/// Byte ranges of the top-level items of `text`, in order, covering all non-blank text.
#[cfg(test)]
pub(crate) fn split_items(text: &str) -> Vec<std::ops::Range<usize>> {
    split(text).into_iter().map(|piece| piece.range).collect()
}

/// One top-level item: where it is, and how deeply its brackets nest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub range: std::ops::Range<usize>,
    /// The deepest bracket nesting in the item.
    pub depth: usize,
    /// The offset (in the file) of the first bracket that reaches `depth`.
    pub deepest: usize,
}

/// How a line starts, as far as cutting items is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineStart {
    /// Offset of the line's first character that is not whitespace.
    at: usize,
    /// That character is in column 0.
    col0: bool,
    /// It begins a word that starts with a letter or `_`.
    word: bool,
    /// The word begins with a top-level keyword (`network`, also `network-x`, as before).
    keyword: bool,
    /// The line reads `word =` (not `word ==`): an attribute.
    attribute: bool,
    /// The line is a comment.
    comment: bool,
}

/// The decisions of `split`, fed one line start and one bracket at a time.
#[derive(Default)]
struct Splitter {
    pieces: Vec<Piece>,
    depth: i64,
    /// Nesting within the current item, never below 0, for `MAX_NESTING`.
    nested: usize,
}

impl Splitter {
    fn line(&mut self, line: LineStart) {
        // `name = value` after a block closed too early belongs to that block, not to a new
        // item: it reads as an attribute.
        let attribute_like = !line.keyword && line.attribute;
        let new_item =
            line.word && ((self.depth <= 0 && !attribute_like) || (line.col0 && line.keyword));
        // Stray text before the first item: parse it as an item of its own.
        let stray = self.pieces.is_empty() && !line.comment;
        if new_item || stray {
            if let Some(last) = self.pieces.last_mut() {
                last.range.end = line.at;
            }
            self.pieces.push(Piece {
                range: line.at..usize::MAX,
                depth: 0,
                deepest: line.at,
            });
            if new_item {
                self.depth = 0;
            }
            self.nested = 0;
        }
    }

    fn bracket(&mut self, at: usize, opens: bool) {
        if opens {
            self.depth += 1;
            self.nested += 1;
            if let Some(piece) = self.pieces.last_mut().filter(|p| self.nested > p.depth) {
                piece.depth = self.nested;
                piece.deepest = at;
            }
        } else {
            self.depth -= 1;
            self.nested = self.nested.saturating_sub(1);
        }
    }

    fn finish(mut self, len: usize) -> Vec<Piece> {
        if let Some(last) = self.pieces.last_mut() {
            last.range.end = len;
        }
        self.pieces
    }
}

/// The top-level items of `text`.
///
/// This runs on every parse, so it reads bytes, not tokens: lexing a file with
/// `lexer::lex` costs 20 times as much as this scan (measured on a generated stack of 5,000
/// services: 10 ms here, 230 ms lexing, 300 ms parsing). A test proves that it cuts every
/// stack and golden case, and a set of awkward lines, exactly as the token stream does.
pub(crate) fn split(text: &str) -> Vec<Piece> {
    let mut splitter = Splitter::default();
    // A byte-order mark is not part of the first line's text.
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for line in text.get(offset..).unwrap_or("").split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if !trimmed.is_empty() {
            let word = trimmed.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
            splitter.line(LineStart {
                at: offset + indent,
                col0: indent == 0,
                word,
                keyword: is_keyword(trimmed),
                attribute: word && looks_like_attribute(trimmed),
                comment: trimmed.starts_with('#') || trimmed.starts_with("//"),
            });
        }
        let mut in_string = false;
        let mut bytes = line.bytes().enumerate().peekable();
        while let Some((i, b)) = bytes.next() {
            match b {
                b'"' => in_string = !in_string,
                _ if in_string => {}
                b'#' => break,
                b'/' if bytes.peek().map(|(_, b)| *b) == Some(b'/') => break,
                b'{' | b'[' | b'(' => splitter.bracket(offset + i, true),
                b'}' | b']' | b')' => splitter.bracket(offset + i, false),
                _ => {}
            }
        }
        offset += line.len();
    }
    splitter.finish(text.len())
}

/// `word =` (but not `word ==`): the start of an attribute.
fn looks_like_attribute(line: &str) -> bool {
    let rest = line.trim_start_matches(|c: char| {
        c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
    });
    let rest = rest.trim_start();
    rest.starts_with('=') && !rest.starts_with("==")
}

/// Text that starts with a top-level keyword (`network`, also `network-x`, as before).
fn is_keyword(text: &str) -> bool {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    TOP_LEVEL_KEYWORDS.contains(&text.get(..end).unwrap_or(""))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every stack and golden case as text; of a case written as a patch
    /// (`tests/it/golden.rs`), the lines the patch adds, since its base is among the stacks.
    pub(crate) fn stacks_and_cases() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["stacks", "tests/cases/ok", "tests/cases/err"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                match path.extension().and_then(|x| x.to_str()) {
                    Some("pmig") => texts.push(text),
                    Some("patch") => texts.push(
                        text.lines()
                            .filter(|l| !l.starts_with("+++"))
                            .filter_map(|l| l.strip_prefix('+'))
                            .map(|l| format!("{l}\n"))
                            .collect(),
                    ),
                    _ => {}
                }
            }
        }
        texts
    }

    fn items(text: &str) -> Vec<&str> {
        split_items(text)
            .into_iter()
            .map(|r| text.get(r).unwrap_or("").trim())
            .collect()
    }

    #[test]
    fn splits_blocks_and_declarations() {
        let text = "stack s {\n  region = \"x\"\n}\ninput a: percent = 5%\n\nnetwork n {\n}\n";
        assert_eq!(
            items(text),
            vec![
                "stack s {\n  region = \"x\"\n}",
                "input a: percent = 5%",
                "network n {\n}"
            ]
        );
    }

    #[test]
    fn a_missing_brace_costs_one_block() {
        let text = "network n {\n  zones = 3\n\ndatabase d {\n  readers = 2\n}\n";
        assert_eq!(items(text).len(), 2);
    }

    #[test]
    fn a_byte_order_mark_is_not_stray_text() {
        let text = "\u{feff}stack s {\n}\nnetwork n { }\n";
        assert_eq!(items(text), vec!["stack s {\n}", "network n { }"]);
        assert_eq!(split_items(text).first().map(|r| r.start), Some(3));
    }

    /// `split` as the token stream reads it: the reference the byte scan must agree with.
    fn split_by_tokens(text: &str) -> Vec<Piece> {
        use crate::syntax::lexer::{self, TokenKind};
        let tokens = lexer::lex(text);
        let mut splitter = Splitter::default();
        for line in lexer::lines(&tokens) {
            let line = match line.split_first() {
                Some((bom, rest)) if bom.kind == TokenKind::Bom => rest,
                _ => line,
            };
            let line_start = line.first().map_or(0, |t| t.span.start);
            let solid: Vec<_> = line.iter().filter(|t| t.kind != TokenKind::Space).collect();
            if let Some(first) = solid.first().filter(|t| t.kind != TokenKind::Newline) {
                let text_of = |t: &lexer::Token| t.text(text).to_string();
                let first_text = text_of(first);
                let word = first.kind == TokenKind::Word
                    && first_text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
                let key = word
                    && first_text
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
                splitter.line(LineStart {
                    at: first.span.start,
                    col0: first.span.start == line_start,
                    word,
                    keyword: first.kind == TokenKind::Word && is_keyword(&first_text),
                    attribute: key && solid.get(1).is_some_and(|t| t.kind == TokenKind::Equals),
                    comment: first.kind == TokenKind::Comment,
                });
            }
            for t in line {
                match t.kind.nesting() {
                    1 => splitter.bracket(t.span.start, true),
                    -1 => splitter.bracket(t.span.start, false),
                    _ => {}
                }
            }
        }
        splitter.finish(text.len())
    }

    #[test]
    fn the_byte_scan_cuts_as_the_token_stream_does() {
        let mut texts = vec![
            "stack s {\n  name = \"{x\" # {\n}\nnetwork n { }\n".to_string(),
            "\u{feff}# c\nstack s { a = \"//\" // }\n}\n  x = 1\noutput o = a.b\n".to_string(),
            "junk ] ) }\n\nnetwork-x n {\n  a.b-c = [ ( {\n database d {\ndatabase e {\n"
                .to_string(),
            "stack s { a = \"unterminated {\n b == c\n}\n\t service\r\n  x\r\n".to_string(),
            "x = 1 //{\n  # }\nworkspace w { api.capacity = 2..4 }".to_string(),
        ];
        texts.extend(stacks_and_cases());
        texts.push(crate::synth::stack(50));
        for text in &texts {
            assert_eq!(split(text), split_by_tokens(text), "{text}");
        }
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let text = "stack s {\n  name = \"{x\" # {\n}\nnetwork n { }\n";
        assert_eq!(items(text).len(), 2);
    }

    /// The stack with its top-level items in reverse order.
    fn reversed(text: &str) -> String {
        let items: Vec<&str> = split_items(text)
            .into_iter()
            .filter_map(|r| text.get(r))
            .collect();
        items
            .into_iter()
            .rev()
            .map(|i| format!("{}\n", i.trim_end()))
            .collect()
    }

    /// Moved from the test binary's `migration.rs` (it reorders a stack with `split_items`, which is
    /// not public): the order of top-level items changes no root.
    #[test]
    fn reordering_blocks_changes_nothing() {
        use serde_json::Value;
        use std::collections::BTreeSet;
        const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
        let addresses = |root: &Value| {
            let mut out = BTreeSet::new();
            for (kind, instances) in root["resource"].as_object().into_iter().flatten() {
                for name in instances.as_object().into_iter().flatten().map(|(n, _)| n) {
                    out.insert(format!("{kind}.{name}"));
                }
            }
            out
        };
        let original = crate::common::compile(PAYMENT);
        let reordered = crate::common::compile(&reversed(PAYMENT));
        let names = |roots: &[(String, Value)]| {
            roots
                .iter()
                .map(|(n, _)| n.clone())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(names(&original), names(&reordered));
        for (ws, root) in &original {
            let (_, other) = reordered
                .iter()
                .find(|(n, _)| n == ws)
                .expect("same workspaces");
            assert_eq!(addresses(root), addresses(other), "{ws}");
            assert_eq!(root, other, "{ws}: reordering changed the configuration");
        }
    }
}
