//! The block registry: every kind of block a stack may declare, described once — its keyword,
//! what it is, and each attribute with its type, unit, allowed values or range, default,
//! whether a workspace may override it, and a one-line doc.
//!
//! The checker reads attributes against these tables (`check::context::Ctx::attrs`: unknown,
//! duplicate and missing attributes, workspace overrides), each through its typed key
//! (`key::Key`, a constant of its block's module: `database::READERS`), and names kinds with
//! them (`Kind`); the language server (`lsp`) answers hover and completion from the same
//! tables. A test
//! (`src/registry/tests.rs`) proves the tables right against the checker: every attribute is
//! accepted, every required one is required, every listed value and the default are accepted.

mod key;
mod tables;

pub(crate) use key::{Key, Named, Schema};
pub use tables::*;

/// What a name is declared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Input,
    Vpn,
    Secret,
    Certificate,
    Network,
    Database,
    Service,
    Replication,
    Cutover,
    DataCutover,
    Dashboard,
    /// Declared by an item that failed to parse: references to it stay quiet.
    Unknown,
}

/// One attribute of a block kind.
#[derive(Debug)]
pub struct Attr {
    pub name: &'static str,
    /// The block is refused without it.
    pub required: bool,
    /// A value as it would be written, for messages and completion.
    pub example: &'static str,
    /// What kind of value: "CIDR block", "duration", "name of a database"…
    pub ty: &'static str,
    /// The unit a number carries, if any.
    pub unit: Option<&'static str>,
    /// The words allowed, when the value is one of a fixed set (enum values, `db.serverless`).
    pub values: &'static [&'static str],
    /// The instance catalogue the value is taken from (`aws::instances`), when it is an
    /// instance class; every size of every family in it is allowed.
    pub catalogue: &'static [crate::aws::instances::Family],
    /// The range allowed: whole numbers the checker checks with these bounds, or a rule the
    /// checker states in code, described for people.
    pub range: Option<Range>,
    /// The value when the attribute is left out: the checker's default for numbers and
    /// durations is read from here; `src/registry/tests.rs` compiles every stack without each
    /// defaulted attribute and with its default written, and holds the roots identical.
    pub default: Option<Default>,
    /// What a name here must refer to, for completion after `ATTR =`.
    pub refers_to: &'static [Kind],
    /// Whether a workspace may set it (`api.capacity = 2..4`, `stack.tags = {…}`).
    pub overridable: bool,
    /// Why a workspace may not, when it may not: the end of PMG1008's message.
    pub fixed_because: &'static str,
    pub doc: &'static str,
}

impl Attr {
    /// The bounds of its whole-number range; without a range, any number.
    pub const fn bounds(&self) -> (u64, u64) {
        match self.range {
            Some(range) => range.bounds(),
            None => (0, u64::MAX),
        }
    }

    /// Its default as a whole number (in its unit, for a duration), if it has one.
    pub const fn default_number(&self) -> Option<u64> {
        match self.default {
            Some(default) => default.number(),
            None => None,
        }
    }

    /// Every word allowed: the fixed values and every class of the catalogue.
    pub fn allowed(&self) -> Vec<String> {
        self.values
            .iter()
            .map(|v| v.to_string())
            .chain(crate::aws::instances::names(self.catalogue))
            .collect()
    }
}

/// The values an attribute allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Whole numbers from `min` to `max` (in `unit`, as written after the maximum: `" days"`),
    /// with a `note` for people after them.
    Whole {
        min: u64,
        max: u64,
        unit: &'static str,
        note: &'static str,
    },
    /// A rule the checker states in code, described for people.
    Described(&'static str),
}

impl Range {
    /// Whole numbers from `min` to `max`, without a unit or note.
    pub const fn whole(min: u64, max: u64) -> Range {
        Range::Whole {
            min,
            max,
            unit: "",
            note: "",
        }
    }

    /// The bounds of a `Whole` range (a `Described` one is `0..=u64::MAX`: its rule is in code).
    pub const fn bounds(&self) -> (u64, u64) {
        match *self {
            Range::Whole { min, max, .. } => (min, max),
            Range::Described(_) => (0, u64::MAX),
        }
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Range::Whole {
                min,
                max,
                unit,
                note,
            } if min == max => write!(f, "{}{unit}{note}", grouped(*min)),
            Range::Whole {
                min,
                max,
                unit,
                note,
            } => write!(f, "{} to {}{unit}{note}", grouped(*min), grouped(*max)),
            Range::Described(text) => f.write_str(text),
        }
    }
}

/// A number for people: six digits and more in groups of three (`1,000,000`); ports and
/// counts as they are written (`65535`).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    if digits.len() < 6 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The value an attribute has when it is left out, typed; printed as it would be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Default {
    /// A whole number: `1`.
    Number(u64),
    /// A duration in whole days: `7 days`.
    Days(u64),
    /// A duration in seconds: `60s`.
    Seconds(u64),
    /// A word of the attribute's `values`: `per_zone`.
    Word(&'static str),
    /// A string, written quoted: `"/"`.
    Text(&'static str),
    /// The empty list: `[]`.
    EmptyList,
    /// A list of strings, written quoted: `["%.%"]`.
    Texts(&'static [&'static str]),
    /// A word of the attribute's `values` on a service's own internet-facing load balancer;
    /// without one (internal, a path on another's, not exposed) the setting is absent (`waf`: an internal load balancer has no WAF unless it says
    /// `on`, and `waf = off` there is refused as having no effect).
    InternetFacing(&'static str),
    /// The database engine's master user name (`crate::engine::Profile::default_username`).
    EngineUsername,
}

impl Default {
    /// The default as a whole number, for the checker (a number, or a duration in its unit).
    pub const fn number(&self) -> Option<u64> {
        match *self {
            Default::Number(n) | Default::Days(n) | Default::Seconds(n) => Some(n),
            _ => None,
        }
    }
}

impl std::fmt::Display for Default {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Default::Number(n) => write!(f, "{n}"),
            Default::Days(n) => write!(f, "{n} days"),
            Default::Seconds(n) => write!(f, "{n}s"),
            Default::Word(word) => f.write_str(word),
            Default::Text(text) => write!(f, "\"{text}\""),
            Default::EmptyList => f.write_str("[]"),
            Default::Texts(texts) => {
                let quoted: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
                write!(f, "[{}]", quoted.join(", "))
            }
            Default::InternetFacing(word) => {
                write!(f, "{word} (internet-facing)")
            }
            Default::EngineUsername => {
                let names: Vec<String> = crate::engine::ENGINES
                    .iter()
                    .map(|p| format!("\"{}\" ({})", p.default_username, p.title))
                    .collect();
                f.write_str(&names.join(", "))
            }
        }
    }
}

/// One kind of block.
#[derive(Debug)]
pub struct Block {
    /// What it is called in messages: "network", "existing vpn".
    pub block: &'static str,
    /// The kind its name is declared as, when it has a name others refer to.
    pub kind: Option<Kind>,
    pub doc: &'static str,
    pub attrs: &'static [Attr],
    /// What an `output` may read of it (`api.dns_name`).
    pub members: &'static [&'static str],
    /// Whether it creates AWS resources (renaming it needs `--renamed OLD=NEW`).
    pub creates_resources: bool,
}

impl Block {
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.attrs.iter().map(|a| a.name)
    }

    pub fn attr(&self, name: &str) -> Option<&'static Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Help for a misspelt attribute: what the word means in this language when it names
    /// something said another way (`SAID_OTHERWISE`), else the closest name, or the list.
    pub fn help_for(&self, word: &str) -> (String, Option<&'static str>) {
        if let Some((_, _, help)) = SAID_OTHERWISE
            .iter()
            .find(|(block, said, _)| *block == self.block && *said == word)
        {
            return (help.to_string(), None);
        }
        match crate::diag::did_you_mean(word, self.names()) {
            Some(s) => (format!("did you mean `{s}`?"), Some(s)),
            None => (
                format!(
                    "{} has: {}",
                    self.block,
                    self.names().collect::<Vec<_>>().join(", ")
                ),
                None,
            ),
        }
    }
}

/// The keywords a top-level item starts with, each with what it declares.
pub const KEYWORDS: &[(&str, &str)] = &[
    ("stack", "The stack's settings: region, name, tags."),
    (
        "input",
        "`input NAME: TYPE = DEFAULT`: a value each workspace may set.",
    ),
    (
        "existing",
        "Something that already exists: `existing vpn|secret|certificate NAME`.",
    ),
    ("network", NETWORK.doc),
    ("database", DATABASE.doc),
    ("service", SERVICE.doc),
    ("replication", REPLICATION.doc),
    ("cutover", CUTOVER.doc),
    ("data_cutover", DATA_CUTOVER.doc),
    ("dashboard", DASHBOARD.doc),
    (
        "output",
        "`output NAME = BLOCK.MEMBER`: a value printed by Terraform.",
    ),
    ("workspace", WORKSPACE.doc),
];

/// Attributes users write that the language says another way: (block, word, help). A "did
/// you mean" on these would name the wrong attribute.
pub(crate) const SAID_OTHERWISE: &[(&str, &str, &str)] = &[
    (
        "service",
        "readonly",
        "a service that only reads names the database with `.reader`: `reads = DB.reader` (it reads Aurora's reader, with the database's read-only login when it declares one)",
    ),
    (
        "service",
        "read_only",
        "a service that only reads names the database with `.reader`: `reads = DB.reader` (it reads Aurora's reader, with the database's read-only login when it declares one)",
    ),
    (
        "service",
        "writes",
        "a service writes the databases it names in `reads` without `.reader`: `reads = DB` (through the database's writer)",
    ),
];

/// The kinds after `existing`.
pub const EXISTING: &[(&str, Kind)] = &[
    ("vpn", Kind::Vpn),
    ("secret", Kind::Secret),
    ("certificate", Kind::Certificate),
];

/// The types an input may have.
pub(crate) const INPUT_TYPES: &[&str] = &["name", "percent", "text", "number", "writer"];

/// The block a header keyword (and, for `existing`, its sub-kind) declares.
pub fn by_keyword(keyword: &str, sub: Option<&str>) -> Option<&'static Block> {
    match (keyword, sub) {
        ("stack", _) => Some(&STACK),
        ("existing", Some(sub)) => EXISTING
            .iter()
            .find(|(k, _)| *k == sub)
            .and_then(|(_, kind)| of_kind(*kind)),
        ("network", _) => Some(&NETWORK),
        ("database", _) => Some(&DATABASE),
        ("service", _) => Some(&SERVICE),
        ("replication", _) => Some(&REPLICATION),
        ("cutover", _) => Some(&CUTOVER),
        ("data_cutover", _) => Some(&DATA_CUTOVER),
        ("dashboard", _) => Some(&DASHBOARD),
        ("workspace", _) => Some(&WORKSPACE),
        _ => None,
    }
}

/// The block a kind of name is declared by (none for inputs and broken items).
pub fn of_kind(kind: Kind) -> Option<&'static Block> {
    match kind {
        Kind::Vpn => Some(&VPN),
        Kind::Secret => Some(&SECRET),
        Kind::Certificate => Some(&CERTIFICATE),
        Kind::Network => Some(&NETWORK),
        Kind::Database => Some(&DATABASE),
        Kind::Service => Some(&SERVICE),
        Kind::Replication => Some(&REPLICATION),
        Kind::Cutover => Some(&CUTOVER),
        Kind::DataCutover => Some(&DATA_CUTOVER),
        Kind::Dashboard => Some(&DASHBOARD),
        Kind::Input | Kind::Unknown => None,
    }
}

/// The block whose attributes a workspace may override, by the kind of the name it targets
/// (the `stack` block is targeted by its keyword: `stack.tags`).
pub(crate) fn overridable(kind: Kind) -> Option<&'static Block> {
    of_kind(kind).filter(|b| b.attrs.iter().any(|a| a.overridable))
}

impl Kind {
    /// "a database", for messages.
    pub fn article(self) -> &'static str {
        match self {
            Kind::Input => "an input",
            Kind::Vpn => "an existing VPN",
            Kind::Secret => "an existing secret",
            Kind::Certificate => "an existing certificate",
            Kind::Network => "a network",
            Kind::Database => "a database",
            Kind::Service => "a service",
            Kind::Replication => "a replication",
            Kind::Cutover => "a cutover",
            Kind::DataCutover => "a data cutover",
            Kind::Dashboard => "a dashboard",
            Kind::Unknown => "a block",
        }
    }
    /// "database", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Input => "input",
            Kind::Vpn => "VPN",
            Kind::Secret => "secret",
            Kind::Certificate => "certificate",
            Kind::Network => "network",
            Kind::Database => "database",
            Kind::Service => "service",
            Kind::Replication => "replication",
            Kind::Cutover => "cutover",
            Kind::DataCutover => "data cutover",
            Kind::Dashboard => "dashboard",
            Kind::Unknown => "block",
        }
    }
}

#[cfg(test)]
mod tests;
