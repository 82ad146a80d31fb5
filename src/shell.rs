//! Text that reaches a shell. Every command pmigc prints for someone (or a pipeline) to run —
//! the runbook's `pmigc move`, `pmigc build` and `terraform` lines, the hints in messages —
//! is built here, one word at a time, each word quoted for POSIX `sh`: a word made only of
//! characters no shell treats specially is written as it is, any other in single quotes, a
//! single quote inside written `'\''`. Inside single quotes `sh` gives no character a meaning
//! (`$(…)`, backticks, `$`, `\`, `*`, a newline: all literal), so whatever a stack's path, a
//! workspace's name or `--out` holds, the command names exactly that. A path that starts with
//! `-` would be read as an option by the program whatever the quoting: `path` writes it
//! `./-…`.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Bytes that mean nothing to `sh` anywhere in a word (POSIX, Shell Command Language, 2.2
/// Quoting and 2.6 Word Expansions: `=` and `~` only mean something at the start of a word or
/// an assignment, `%`, `+`, `,`, `:`, `@` and `^` never).
fn is_plain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'-' | b'_' | b'.' | b'/' | b',' | b':' | b'@' | b'%' | b'+' | b'='
        )
}

/// `word` as one `sh` word: as it is when nothing in it is special, else in single quotes.
pub fn quote(word: &str) -> Cow<'_, str> {
    let plain = !word.is_empty()
        && word.bytes().all(is_plain)
        // `=` at the start, or `~` anywhere, are never left bare (`is_plain` refuses `~`).
        && !word.starts_with('=');
    if plain {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len() + 2);
    out.push('\'');
    for c in word.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    Cow::Owned(out)
}

/// A path as the program must receive it to read it as a path, never as an option: a
/// relative path that starts with `-` gets `./` in front (still to be quoted, by `command`).
pub fn path(path: &str) -> Cow<'_, str> {
    if path.starts_with('-') {
        return Cow::Owned(format!("./{path}"));
    }
    Cow::Borrowed(path)
}

/// A command line: each word quoted (`quote`), separated by single spaces. A word that must
/// be read as a path is passed through `path` first by the caller.
pub fn command<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{}", quote(word));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare_and_the_rest_is_single_quoted() {
        for word in [
            "out",
            "payment.pmig",
            "stacks/a-b_c.pmig",
            "25%",
            "-chdir=out/x",
        ] {
            assert_eq!(quote(word), word);
        }
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(quote("`id`"), "'`id`'");
        assert_eq!(quote("a\nb"), "'a\nb'");
        assert_eq!(quote("~"), "'~'");
        assert_eq!(quote("=x"), "'=x'");
        assert_eq!(quote("*.pmig"), "'*.pmig'");
    }

    #[test]
    fn a_path_is_never_an_option() {
        assert_eq!(path("-rf.pmig"), "./-rf.pmig");
        assert_eq!(command([path("-a b").as_ref()]), "'./-a b'");
        assert_eq!(path("/abs/x"), "/abs/x");
        assert_eq!(
            command(["pmigc", "build", "a b.pmig"]),
            "pmigc build 'a b.pmig'"
        );
    }
}
