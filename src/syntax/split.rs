//! Cutting a file into top-level items before parsing, so that one syntax error costs one
//! item, not the rest of the file.
//!
//! An item starts on a line whose first token begins with a letter while no bracket is open,
//! or, to recover from a missing `}`, on a line that starts in column 0 with a top-level
//! keyword (`database ledger {`) even though a bracket is still open. Strings and comments
//! are skipped when counting brackets.

/// Words that start a top-level item.
pub const TOP_LEVEL_KEYWORDS: &[&str] = &[
    "stack",
    "input",
    "existing",
    "network",
    "database",
    "service",
    "replication",
    "cutover",
    "dashboard",
    "output",
    "workspace",
];

/// Byte ranges of the top-level items of `text`, in order, covering all non-blank text.
pub fn split_items(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = Vec::new();
    let mut depth: i64 = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let first = trimmed.chars().next();
        let starts_word = first.is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let keyword_in_col0 = indent == 0 && starts_with_keyword(trimmed);
        // `name = value` after a block closed too early belongs to that block, not to a new
        // item: it reads as an attribute.
        let attribute_like = !starts_with_keyword(trimmed) && looks_like_attribute(trimmed);
        if starts_word && ((depth <= 0 && !attribute_like) || keyword_in_col0) {
            starts.push(offset + indent);
            depth = 0;
        } else if starts.is_empty() && first.is_some_and(|c| c != '#' && !trimmed.starts_with("//"))
        {
            // Stray text before the first item: parse it as an item of its own.
            starts.push(offset + indent);
        }
        depth += bracket_balance(line);
        offset += line.len();
    }
    let mut ranges = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        ranges.push(start..end);
    }
    ranges
}

/// `word =` (but not `word ==`): the start of an attribute.
fn looks_like_attribute(line: &str) -> bool {
    let rest = line.trim_start_matches(|c: char| {
        c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
    });
    let rest = rest.trim_start();
    rest.starts_with('=') && !rest.starts_with("==")
}

fn starts_with_keyword(line: &str) -> bool {
    let word: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    TOP_LEVEL_KEYWORDS.contains(&word.as_str())
}

/// The deepest bracket nesting in `text` and the offset of the bracket that reaches it.
pub fn deepest_nesting(text: &str) -> (usize, usize) {
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut in_string = false;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => in_string = !in_string,
                _ if in_string => {}
                '#' => break,
                '/' if chars.peek().map(|(_, c)| *c) == Some('/') => break,
                '{' | '[' | '(' => {
                    depth += 1;
                    if depth > deepest {
                        deepest = depth;
                        at = offset + i;
                    }
                }
                '}' | ']' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        offset += line.len();
    }
    (deepest, at)
}

/// Opening minus closing brackets on one line, outside strings and comments.
pub fn bracket_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_string = !in_string,
            _ if in_string => {}
            '#' => break,
            '/' if chars.peek() == Some(&'/') => break,
            '{' | '[' | '(' => balance += 1,
            '}' | ']' | ')' => balance -= 1,
            _ => {}
        }
    }
    balance
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn braces_in_strings_and_comments_do_not_count() {
        let text = "stack s {\n  name = \"{x\" # {\n}\nnetwork n { }\n";
        assert_eq!(items(text).len(), 2);
    }
}
