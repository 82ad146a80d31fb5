//! The abstract syntax tree of a `.pmig` file, with a byte span on every node.
//!
//! The tree is deliberately loose: a block is a list of header words and `key = value`
//! attributes, a value is a sequence of terms. Which words and terms make sense where is the
//! checker's business, so the parser accepts near-misses and the checker explains them.

/// A byte range in the source file (declared at the bottom, in `crate::source`).
pub(crate) use crate::source::Span;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    pub text: String,
    pub span: Span,
}

/// `a.b.c`: a dotted path as written.
pub(crate) fn dotted(path: &[Ident]) -> String {
    let parts: Vec<&str> = path.iter().map(|i| i.text.as_str()).collect();
    parts.join(".")
}

/// A parsed file: its top-level items in source order.
#[derive(Debug, Clone, Default)]
pub(crate) struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub(crate) enum Item {
    Input(InputDecl),
    Output(OutputDecl),
    Block(Block),
    /// An item that did not parse; its syntax error is already reported. The header words
    /// that could be read are kept so that references to its name do not cascade into
    /// "undefined name" errors.
    Broken(Vec<Ident>),
}

/// `input NAME: TYPE = DEFAULT`
#[derive(Debug, Clone)]
pub(crate) struct InputDecl {
    pub name: Ident,
    pub ty: Ident,
    pub default: Option<Value>,
    pub span: Span,
}

/// `output NAME = VALUE`
#[derive(Debug, Clone)]
pub(crate) struct OutputDecl {
    pub name: Ident,
    pub value: Value,
    pub span: Span,
}

/// `WORD... { key = value ... }`
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub header: Vec<Ident>,
    pub header_span: Span,
    pub attrs: Vec<Attr>,
    pub span: Span,
}

/// `key = value`; the key may be dotted (`api.capacity`) in workspace overrides.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub key: Vec<Ident>,
    pub key_span: Span,
    pub value: Value,
}

impl Attr {
    /// The key as written, e.g. `api.capacity`.
    pub(crate) fn key_text(&self) -> String {
        dotted(&self.key)
    }
}

/// One or more terms side by side.
#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub terms: Vec<Term>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub kind: TermKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum TermKind {
    List(Vec<Value>),
    Map(Vec<Attr>),
    /// The text between the quotes.
    String(String),
    /// `"host":port`
    HostPort {
        host: String,
        port: String,
    },
    /// `a.b.c.d` or `a.b.c.d/n`, octets not yet range-checked.
    Cidr(String),
    /// `lo..hi`
    Range {
        low: String,
        high: String,
    },
    /// A number with an optional unit: `50%`, `5s`, `7 days`, `8080`.
    Quantity {
        number: String,
        unit: Option<Ident>,
    },
    /// `/24`
    Prefix(String),
    /// `<`, `<=`, `>`, `>=`, `==`
    Operator(String),
    /// `main.private`, `t3.medium`, `per_zone`
    Path(Vec<Ident>),
    /// A malformed token whose syntax error was already reported.
    Invalid,
}

impl TermKind {
    /// What this kind of term is called in messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            TermKind::List(_) => "a list",
            TermKind::Map(_) => "a map",
            TermKind::String(_) => "a string",
            TermKind::HostPort { .. } => "a host and port",
            TermKind::Cidr(_) => "an IP address block",
            TermKind::Range { .. } => "a range",
            TermKind::Quantity { unit: None, .. } => "a number",
            TermKind::Quantity { unit: Some(_), .. } => "a quantity",
            TermKind::Prefix(_) => "a prefix length",
            TermKind::Operator(_) => "an operator",
            TermKind::Path(p) if p.len() == 1 => "a name",
            TermKind::Path(_) => "a dotted name",
            TermKind::Invalid => "an invalid token",
        }
    }
}

impl Value {
    /// The single term of a one-term value.
    pub(crate) fn single(&self) -> Option<&Term> {
        match self.terms.as_slice() {
            [t] => Some(t),
            _ => None,
        }
    }
    /// True when any term failed to parse (its error was reported already).
    pub(crate) fn has_invalid(&self) -> bool {
        self.terms.iter().any(|t| match &t.kind {
            TermKind::Invalid => true,
            TermKind::List(items) => items.iter().any(Value::has_invalid),
            TermKind::Map(entries) => entries.iter().any(|e| e.value.has_invalid()),
            _ => false,
        })
    }
}
