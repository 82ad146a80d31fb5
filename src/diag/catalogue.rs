//! The catalogue of diagnostic codes: for each, a title, what it means, a minimal wrong
//! example and its corrected form. `pmigc explain CODE` prints an entry; tests check that
//! every code the compiler can emit has an entry and a golden test, and that no entry is
//! orphaned.

pub struct Entry {
    pub code: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
    pub wrong: &'static str,
    pub right: &'static str,
}

pub const ENTRIES: &[Entry] = &[];

pub fn find(code: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.code == code)
}

/// The text `pmigc explain` prints.
pub fn page(entry: &Entry) -> String {
    format!(
        "{code}: {title}\n\n{explanation}\n\nWrong:\n\n{wrong}\n\nRight:\n\n{right}\n",
        code = entry.code,
        title = entry.title,
        explanation = entry.explanation.trim(),
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
