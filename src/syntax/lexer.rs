//! The lexer: a `.pmig` text cut into tokens with byte spans, trivia included.
//!
//! The token rules live in `grammar/tokens.pest`. Every byte belongs to exactly one token —
//! whitespace, line breaks, `#` and `//` comments and a leading byte-order mark are tokens
//! too — so the concatenated token texts are the input, and anything that needs the layout
//! of a file (the splitter, the wording of syntax errors, the formatter, an editor) reads the
//! token stream instead of scanning characters by hand. The lexer never fails: a character
//! that starts no token is an `Unknown` token, which the parser then reports.
//!
//! `parse` does not lex the whole file: the pest grammar in `grammar/pmig.pest` reads the
//! characters itself, and lexing costs about as much as parsing (230 ms against 320 ms for a
//! generated stack of 5,000 services, 0.9 MB; the byte scan that cuts the file into items,
//! `split`, takes 10 ms). So the lexer runs only where the layout matters: wording syntax
//! errors and recovering from them, `fmt`, and editors.

use super::ast::Span;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tokens.pest"]
struct TokenGrammar;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum TokenKind {
    /// A UTF-8 byte-order mark at the start of the file.
    Bom,
    /// `\n` or `\r\n`.
    Newline,
    /// Spaces, tabs and carriage returns that end no line.
    Space,
    /// `# ...` or `// ...` up to the end of the line (not the line break).
    Comment,
    /// `"..."` on one line.
    String,
    /// `"...` with no closing quote on its line.
    UnterminatedString,
    /// A name, path, number, quantity, CIDR block, range or prefix: `main.private`, `50%`.
    Word,
    /// `<`, `<=`, `>`, `>=`, `==`.
    Operator,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Colon,
    Equals,
    /// Any other character.
    Unknown,
}

impl TokenKind {
    /// Whitespace, line breaks, comments and the byte-order mark: what the grammar skips.
    pub(crate) fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Bom | TokenKind::Newline | TokenKind::Space | TokenKind::Comment
        )
    }

    /// +1 for an opening bracket, -1 for a closing one, 0 otherwise.
    pub(crate) fn nesting(self) -> i64 {
        match self {
            TokenKind::LBrace | TokenKind::LBracket | TokenKind::LParen => 1,
            TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen => -1,
            _ => 0,
        }
    }
}

/// One token: its kind and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    /// The token's text in the text it was lexed from.
    pub(crate) fn text(self, source: &str) -> &str {
        source.get(self.span.start..self.span.end).unwrap_or("")
    }
}

/// The tokens of `text`, in order, covering every byte.
pub(crate) fn lex(text: &str) -> Vec<Token> {
    let Ok(pairs) = TokenGrammar::parse(Rule::tokens, text) else {
        // Unreachable (every character is at least an `unknown` token); kept total.
        return vec![Token {
            kind: TokenKind::Unknown,
            span: Span::new(0, text.len()),
        }];
    };
    let mut tokens = Vec::with_capacity(text.len() / 4);
    for pair in pairs {
        let kind = match pair.as_rule() {
            Rule::bom => TokenKind::Bom,
            Rule::token => kind_of(pair.as_str()),
            _ => continue,
        };
        let span = pair.as_span();
        tokens.push(Token {
            kind,
            span: Span::new(span.start(), span.end()),
        });
    }
    tokens
}

/// The kind of a token the grammar cut, from its first characters (the grammar's
/// alternatives start differently, so the first two bytes tell them apart).
fn kind_of(token: &str) -> TokenKind {
    let bytes = token.as_bytes();
    match bytes {
        [b'\n'] | [b'\r', b'\n'] => TokenKind::Newline,
        [b' ' | b'\t' | b'\r', ..] => TokenKind::Space,
        [b'#', ..] | [b'/', b'/', ..] => TokenKind::Comment,
        [b'"', .., b'"'] => TokenKind::String,
        [b'"', ..] => TokenKind::UnterminatedString,
        [b'=', b'='] | [b'<' | b'>', ..] => TokenKind::Operator,
        [b'{'] => TokenKind::LBrace,
        [b'}'] => TokenKind::RBrace,
        [b'['] => TokenKind::LBracket,
        [b']'] => TokenKind::RBracket,
        [b'('] => TokenKind::LParen,
        [b')'] => TokenKind::RParen,
        [b','] => TokenKind::Comma,
        [b':'] => TokenKind::Colon,
        [b'='] => TokenKind::Equals,
        [c, ..] if c.is_ascii_alphanumeric() || b"_-.%/".contains(c) => TokenKind::Word,
        _ => TokenKind::Unknown,
    }
}

/// The tokens cut into lines, each line with its `Newline` token at the end (the last line
/// may have none).
pub(crate) fn lines(tokens: &[Token]) -> impl Iterator<Item = &[Token]> {
    tokens.split_inclusive(|t| t.kind == TokenKind::Newline)
}

/// True when every token is trivia (blank text and comments).
pub(crate) fn only_trivia(tokens: &[Token]) -> bool {
    tokens.iter().all(|t| t.kind.is_trivia())
}

/// Opening minus closing brackets among `tokens` (strings and comments are tokens of their
/// own, so brackets in them do not count).
pub(crate) fn nesting(tokens: &[Token]) -> i64 {
    tokens.iter().map(|t| t.kind.nesting()).sum()
}

/// The first token that is not whitespace or a byte-order mark.
pub(crate) fn first_solid(tokens: &[Token]) -> Option<Token> {
    tokens
        .iter()
        .copied()
        .find(|t| !matches!(t.kind, TokenKind::Space | TokenKind::Bom))
}

/// Where `text` ends before its trailing blank lines and comment lines: the end of the last
/// line that holds something other than trivia (its line break included), or 0.
pub(crate) fn content_end(text: &str) -> usize {
    let tokens = lex(text);
    let mut end = 0;
    for line in lines(&tokens) {
        if !only_trivia(line) {
            end = line.last().map_or(end, |t| t.span.end);
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        lex(text)
            .into_iter()
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    fn round_trip(text: &str) {
        let tokens = lex(text);
        let joined: String = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(joined, text);
        let mut at = 0;
        for t in &tokens {
            assert_eq!(t.span.start, at, "tokens are contiguous");
            assert!(t.span.end > t.span.start, "no empty token");
            at = t.span.end;
        }
        assert_eq!(at, text.len());
    }

    #[test]
    fn tokens_of_an_attribute_with_a_comment() {
        use TokenKind::*;
        assert_eq!(
            kinds("  cidr = 10.40.0.0/16 # the VPC\r\n"),
            vec![
                (Space, "  "),
                (Word, "cidr"),
                (Space, " "),
                (Equals, "="),
                (Space, " "),
                (Word, "10.40.0.0/16"),
                (Space, " "),
                (Comment, "# the VPC"),
                (Newline, "\r\n"),
            ]
        );
    }

    #[test]
    fn values_strings_and_operators() {
        use TokenKind::*;
        assert_eq!(
            kinds("from=mysql \"db:{x}\":3306//c\ngate = a.lag <= 5s == \"open"),
            vec![
                (Word, "from"),
                (Equals, "="),
                (Word, "mysql"),
                (Space, " "),
                (String, "\"db:{x}\""),
                (Colon, ":"),
                (Word, "3306"),
                (Comment, "//c"),
                (Newline, "\n"),
                (Word, "gate"),
                (Space, " "),
                (Equals, "="),
                (Space, " "),
                (Word, "a.lag"),
                (Space, " "),
                (Operator, "<="),
                (Space, " "),
                (Word, "5s"),
                (Space, " "),
                (Operator, "=="),
                (Space, " "),
                (UnterminatedString, "\"open"),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_only_at_the_start() {
        use TokenKind::*;
        let text = "\u{feff}stack s { }\u{feff}";
        let tokens = kinds(text);
        assert_eq!(tokens.first(), Some(&(Bom, "\u{feff}")));
        assert_eq!(tokens.last(), Some(&(Unknown, "\u{feff}")));
        round_trip(text);
    }

    #[test]
    fn odd_characters_are_unknown_tokens_and_nothing_is_lost() {
        for text in [
            "",
            "é ü 😀 \u{0}\t\r \r\n\n",
            "a{b[c(d)e]f}g,h:i=j<k>l",
            "\"x\n\"",
            "10.40.0/16 //x#y\n# //z",
            "/24 per zone",
            "a//b",
        ] {
            round_trip(text);
        }
        assert_eq!(kinds("a//b").get(1).map(|t| t.0), Some(TokenKind::Comment));
    }

    /// Concatenating the tokens of every stack and golden case gives the file back (of a
    /// patched case, the lines its patch adds: its base is among the stacks).
    #[test]
    fn round_trip_over_every_stack_and_case() {
        let texts = crate::syntax::split::tests::stacks_and_cases();
        assert!(texts.len() > 60, "only {} files", texts.len());
        for text in &texts {
            round_trip(text);
        }
    }

    #[test]
    fn content_end_skips_trailing_comments_and_blank_lines() {
        let text = "a = 1 # x\n  b = 2\n\n  # trailing\n\n";
        assert_eq!(content_end(text), "a = 1 # x\n  b = 2\n".len());
        assert_eq!(content_end("# only\n\n"), 0);
        assert_eq!(content_end("x"), 1);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        let tokens = lex("{ \"{[\" # {\n [ ( ");
        assert_eq!(nesting(&tokens), 3);
        assert_eq!(lines(&tokens).count(), 2);
    }
}
