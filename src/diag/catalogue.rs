//! The catalogue of diagnostic codes: for each, a title, what it means, a minimal wrong
//! example and its corrected form. The text lives in `docs/diagnostics.md` (one `## CODE: title`
//! section each, with `Wrong:` and `Right:` code blocks) and is compiled in, so the published
//! docs and `pmigc explain` can never disagree. Tests check that every code the compiler can
//! emit has an entry and a golden test, that no entry is orphaned, that `document` writes the
//! file back unchanged (so nothing in it is silently dropped by the reader), and that every
//! wrong example, applied to the reference stack, produces its code and the right one does not.

use std::sync::LazyLock;

const SOURCE: &str = include_str!("../../docs/diagnostics.md");

/// Every entry, in code order, read once from `docs/diagnostics.md`.
pub static ENTRIES: LazyLock<Vec<Entry>> = LazyLock::new(parse);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
    pub wrong: &'static str,
    pub right: &'static str,
}

/// The first fenced `pmig` block after `label`.
fn example<'a>(section: &'a str, label: &str) -> &'a str {
    section
        .split_once(label)
        .and_then(|(_, rest)| rest.split_once("```pmig\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(code, _)| code)
        .unwrap_or("")
}

/// Every entry, in code order.
pub fn entries() -> Vec<Entry> {
    ENTRIES.clone()
}

fn parse() -> Vec<Entry> {
    SOURCE
        .split("\n## ")
        .skip(1)
        .filter_map(|section| {
            let (header, body) = section.split_once('\n')?;
            let (code, title) = header.split_once(": ")?;
            let explanation = body
                .split_once("\nWrong:")
                .map(|(e, _)| e)
                .unwrap_or(body)
                .trim();
            Some(Entry {
                code,
                title,
                explanation,
                wrong: example(body, "\nWrong:"),
                right: example(body, "\nRight:"),
            })
        })
        .collect()
}

pub fn find(code: &str) -> Option<Entry> {
    ENTRIES.iter().find(|e| e.code == code).copied()
}

/// `docs/diagnostics.md` as it should read for `entries`: the file's introduction, then one
/// section per entry in the form the reader expects. The catalogue test compares the file with
/// this, so a section the reader would misread (a stray paragraph after `Right:`, a heading
/// without `: `) fails the build instead of vanishing from `pmigc explain`.
pub fn document(entries: &[Entry]) -> String {
    let introduction = SOURCE
        .split_once("\n## ")
        .map_or(SOURCE, |(intro, _)| intro);
    let mut out = introduction.trim_end().to_string();
    out.push('\n');
    for entry in entries {
        out.push_str(&format!(
            "\n## {code}: {title}\n\n{explanation}\n\nWrong:\n\n```pmig\n{wrong}```\n\nRight:\n\n```pmig\n{right}```\n",
            code = entry.code,
            title = entry.title,
            explanation = entry.explanation,
            wrong = entry.wrong,
            right = entry.right,
        ));
    }
    out
}

/// The text `pmigc explain` prints.
pub fn page(entry: &Entry) -> String {
    format!(
        "{code}: {title}\n\n{explanation}\n\nWrong:\n\n{wrong}\n\nRight:\n\n{right}\n",
        code = entry.code,
        title = entry.title,
        explanation = entry.explanation,
        wrong = indent(entry.wrong),
        right = indent(entry.right),
    )
}

fn indent(text: &str) -> String {
    text.trim_matches('\n')
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
