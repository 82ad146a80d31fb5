//! The stack's declarations: every named block, input and output, by name.
//!
//! Blocks, inputs and `existing` things share one namespace, so a reference like
//! `reads = ledger` is unambiguous; outputs and workspaces have namespaces of their own.
//! Lookups mark names as used, which is how unused declarations are found, and record where
//! each use resolved to (`references`), which is what an editor follows.

mod diagnostics;
pub(crate) use diagnostics::{
    BadHeader, DuplicateName, StackBlock, UndefinedName, UnknownBlockKind, UnknownMember, Unused,
    WrongKind,
};

use super::error::{CheckError, replace};
use super::references::{Recorder, References, SymbolKind};
use crate::check::mismatch::UnknownValue;
use crate::diag::{at, did_you_mean};
use crate::model::{self, Id};
use crate::syntax::ast::{Block, File, Ident, InputDecl, Item, OutputDecl, Span, TermKind};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) use crate::registry::Kind;

/// The block kinds a header may start with (the parser's top-level keywords), and the
/// `existing` sub-kinds.
pub(crate) const BLOCK_KINDS: &[&str] = crate::syntax::split::TOP_LEVEL_KEYWORDS;
pub(crate) const EXISTING_KINDS: &[&str] = &["vpn", "secret", "certificate"];

/// How a workspace names the `stack` block in an override (`stack.tags = {…}`): by its
/// keyword, not its name, which a block may share (`stack orders` with `database orders`).
pub(crate) const STACK_TARGET: &str = "stack";

#[derive(Debug, Clone, Copy)]
pub(crate) enum Declared<'a> {
    Input(&'a InputDecl),
    Block(&'a Block),
    Broken,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Decl<'a> {
    pub kind: Kind,
    pub name: &'a Ident,
    pub item: Declared<'a>,
    /// Position among the declarations of its kind: where its block lands in the model's
    /// vector of that kind, which is what a `model::Id` holds.
    pub ordinal: usize,
    /// Its symbol in the record of references.
    symbol: usize,
}

/// The model type a kind of declaration checks into: what `Declarations::id` may make an id
/// of.
pub(crate) trait Declares {
    const KIND: Kind;
}

macro_rules! declares {
    ($($ty:ident => $kind:ident),* $(,)?) => {$(
        impl Declares for model::$ty {
            const KIND: Kind = Kind::$kind;
        }
    )*};
}

declares!(
    Input => Input,
    Vpn => Vpn,
    Secret => Secret,
    Certificate => Certificate,
    Network => Network,
    Database => Database,
    Service => Service,
    Replication => Replication,
    Cutover => Cutover,
    DataCutover => DataCutover,
);

#[derive(Default)]
pub(crate) struct Declarations<'a> {
    pub stack: Option<(&'a Ident, &'a Block)>,
    /// The shared namespace, in source order.
    pub decls: Vec<Decl<'a>>,
    by_name: BTreeMap<&'a str, usize>,
    /// Kinds of which a block has no name: an undefined name of such a kind may well be
    /// that block's, so it is not reported again.
    anonymous: Vec<Kind>,
    /// Names declared more than once.
    ambiguous: BTreeSet<&'a str>,
    pub outputs: Vec<&'a OutputDecl>,
    pub workspaces: Vec<(&'a Ident, &'a Block)>,
    used: RefCell<BTreeSet<&'a str>>,
    /// How many declarations of each kind there are so far.
    counts: BTreeMap<Kind, usize>,
    /// Every declared name and every use resolved so far.
    recorder: RefCell<Recorder>,
    /// The symbols of secret keys and network tiers, by qualified name (`db.password`).
    members: BTreeMap<(&'a str, &'a str), usize>,
}

impl<'a> Declarations<'a> {
    pub(crate) fn collect(file: &'a File, errors: &mut Vec<CheckError>) -> Declarations<'a> {
        let mut decls = Declarations::default();
        let mut output_names: BTreeMap<&str, Span> = BTreeMap::new();
        let mut workspace_names: BTreeMap<&str, Span> = BTreeMap::new();
        let mut stack_first: Option<Span> = None;
        for item in &file.items {
            match item {
                Item::Input(input) => {
                    decls.declare(Kind::Input, &input.name, Declared::Input(input), errors)
                }
                Item::Output(output) => {
                    unique(&mut output_names, &output.name, errors);
                    decls.outputs.push(output);
                    decls.recorder.get_mut().declare(
                        output.name.text.clone(),
                        SymbolKind::Output,
                        output.name.span,
                        output.span,
                    );
                }
                Item::Broken(words) => {
                    // `database ledger {` → ledger; `input x: …` → x.
                    if let Some(name) = words.iter().rev().find(|w| {
                        !BLOCK_KINDS.contains(&w.text.as_str())
                            && !EXISTING_KINDS.contains(&w.text.as_str())
                    }) && !decls.by_name.contains_key(name.text.as_str())
                    {
                        decls.declare(Kind::Unknown, name, Declared::Broken, errors);
                    }
                }
                Item::Block(block) => {
                    let Some((kind_word, rest)) = block.header.split_first() else {
                        continue;
                    };
                    let kind = match kind_word.text.as_str() {
                        "stack" => {
                            if let Some(name) = header_name(block, rest, "stack", errors) {
                                match stack_first {
                                    Some(first) => errors.push(StackBlock {
                                        problem: "a file describes one stack, but this is the second `stack` block".into(),
                                        at: at(block.header_span),
                                        label: "second stack block".into(),
                                        help: Some(format!("merge it into the first one (line with `stack {}`)", name.text)).filter(|_| first.start < block.span.start),
                                    }.into()),
                                    None => {
                                        stack_first = Some(block.header_span);
                                        decls.stack = Some((name, block));
                                        decls.recorder.get_mut().declare(
                                            name.text.clone(),
                                            SymbolKind::Stack,
                                            name.span,
                                            block.span,
                                        );
                                    }
                                }
                            }
                            continue;
                        }
                        "workspace" => {
                            if let Some(name) = header_name(block, rest, "workspace", errors) {
                                unique(&mut workspace_names, name, errors);
                                decls.workspaces.push((name, block));
                                decls.recorder.get_mut().declare(
                                    name.text.clone(),
                                    SymbolKind::Workspace,
                                    name.span,
                                    block.span,
                                );
                            }
                            continue;
                        }
                        "existing" => {
                            let Some((sub, rest)) = rest.split_first() else {
                                errors.push(BadHeader {
                                    problem: "an `existing` block needs what it is and a name".into(),
                                    at: at(block.header_span),
                                    expected: "expected `existing vpn NAME`, `existing secret NAME` or `existing certificate NAME`".into(),
                                    help: None,
                                }.into());
                                continue;
                            };
                            let known = crate::registry::EXISTING
                                .iter()
                                .find(|(word, _)| *word == sub.text)
                                .map(|(_, kind)| *kind);
                            let kind = match known {
                                Some(kind) => kind,
                                None => {
                                    let other = sub.text.as_str();
                                    let suggestion =
                                        did_you_mean(other, EXISTING_KINDS.iter().copied());
                                    errors.push(
                                        UnknownValue {
                                            what: "kind of existing resource".into(),
                                            value: other.into(),
                                            at: at(sub.span),
                                            options: EXISTING_KINDS.join(", "),
                                            help: suggestion
                                                .map(|s| format!("did you mean `{s}`?")),
                                            fix: suggestion.and_then(|s| replace(sub.span, s)),
                                        }
                                        .into(),
                                    );
                                    if let Some(name) = rest.first() {
                                        decls.declare(
                                            Kind::Unknown,
                                            name,
                                            Declared::Broken,
                                            errors,
                                        );
                                    }
                                    continue;
                                }
                            };
                            match header_name(
                                block,
                                rest,
                                &format!("existing {}", sub.text),
                                errors,
                            ) {
                                Some(name) => {
                                    decls.declare(kind, name, Declared::Block(block), errors)
                                }
                                None => decls.anonymous.push(kind),
                            }
                            continue;
                        }
                        // The kinds that declare a name, from the block registry.
                        other
                            if let Some(kind) =
                                crate::registry::by_keyword(other, None).and_then(|b| b.kind) =>
                        {
                            kind
                        }
                        other => {
                            let suggestion = did_you_mean(other, BLOCK_KINDS.iter().copied());
                            errors.push(
                                UnknownBlockKind {
                                    kind: other.into(),
                                    at: at(kind_word.span),
                                    help: Some(match suggestion {
                                        Some(s) => format!("did you mean `{s}`?"),
                                        None => {
                                            format!("blocks are one of: {}", BLOCK_KINDS.join(", "))
                                        }
                                    }),
                                    fix: suggestion.and_then(|s| replace(kind_word.span, s)),
                                }
                                .into(),
                            );
                            if let Some(name) = rest.last() {
                                decls.declare(Kind::Unknown, name, Declared::Broken, errors);
                            }
                            continue;
                        }
                    };
                    match header_name(block, rest, kind_word.text.as_str(), errors) {
                        Some(name) => decls.declare(kind, name, Declared::Block(block), errors),
                        None => decls.anonymous.push(kind),
                    }
                }
            }
        }
        decls
    }

    fn declare(
        &mut self,
        kind: Kind,
        name: &'a Ident,
        item: Declared<'a>,
        errors: &mut Vec<CheckError>,
    ) {
        if let Some(first) = self.get(&name.text).copied() {
            if first.kind != Kind::Unknown && kind != Kind::Unknown {
                errors.push(
                    DuplicateName {
                        name: name.text.clone(),
                        at: at(name.span),
                        first: at(first.name.span),
                    }
                    .into(),
                );
                // Both blocks are still checked; references to the name stay quiet, since
                // which one they mean is the error already reported.
                self.ambiguous.insert(name.text.as_str());
                self.push(kind, name, item);
            }
            return;
        }
        self.by_name.insert(name.text.as_str(), self.decls.len());
        self.push(kind, name, item);
    }

    fn push(&mut self, kind: Kind, name: &'a Ident, item: Declared<'a>) {
        let count = self.counts.entry(kind).or_insert(0);
        let ordinal = *count;
        *count += 1;
        let whole = match item {
            Declared::Input(input) => input.span,
            Declared::Block(block) => block.span,
            Declared::Broken => name.span,
        };
        let recorder = self.recorder.get_mut();
        let symbol = recorder.declare(name.text.clone(), SymbolKind::Decl(kind), name.span, whole);
        if let Declared::Block(block) = item {
            for (member, member_kind, member_item) in members(kind, block) {
                let qualified = format!("{}.{}", name.text, member.text);
                let at = recorder.declare(qualified, member_kind, member.span, member_item);
                self.members
                    .entry((name.text.as_str(), member.text.as_str()))
                    .or_insert(at);
            }
        }
        self.decls.push(Decl {
            kind,
            name,
            item,
            ordinal,
            symbol,
        });
    }

    /// Records a use of `name` at `at` (when it is declared) without marking it used: a
    /// workspace setting an input, or naming the block whose attribute it overrides.
    pub(crate) fn refer(&self, name: &str, at: Span) {
        if let Some(decl) = self.get(name) {
            self.record(at, decl.symbol);
        }
    }

    /// Records a use of the key or tier `member` of the block `owner` (`db.password`), when
    /// the block declares it.
    pub(crate) fn refer_member(&self, owner: &str, member: &Ident) {
        if let Some(&symbol) = self.members.get(&(owner, member.text.as_str())) {
            self.record(member.span, symbol);
        }
    }

    fn record(&self, at: Span, symbol: usize) {
        self.recorder.borrow_mut().uses.push((at, symbol));
    }

    /// Every declared name and the uses the checker resolved to each (what was recorded is
    /// taken: call once, when checking is done).
    pub(crate) fn references(&self) -> References {
        References::new(self.recorder.take())
    }

    /// The id of a declaration of the kind `T` checks into, when `name` is one.
    pub(crate) fn id<T: Declares>(&self, name: &str) -> Option<Id<T>> {
        self.get(name)
            .filter(|d| d.kind == T::KIND)
            .map(|d| Id::new(d.ordinal, model::Name::checked(d.name.text.clone())))
    }

    /// Looks a name up without marking it used.
    pub(crate) fn get(&self, name: &str) -> Option<&Decl<'a>> {
        self.by_name.get(name).and_then(|&i| self.decls.get(i))
    }

    /// Marks a declaration as used, at `at` (a reference to it).
    pub(crate) fn mark_used(&self, decl: &Decl<'a>, at: Span) {
        self.record(at, decl.symbol);
        self.used.borrow_mut().insert(decl.name.text.as_str());
    }

    pub(crate) fn is_used(&self, name: &str) -> bool {
        self.used.borrow().contains(name)
    }

    /// Every declaration of one of `kinds`.
    pub(crate) fn of_kind(&self, kinds: &[Kind]) -> impl Iterator<Item = &Decl<'a>> {
        let kinds = kinds.to_vec();
        self.decls.iter().filter(move |d| kinds.contains(&d.kind))
    }

    /// Resolves a reference to one of `expected`, reporting undefined names (with the closest
    /// declared name of a fitting kind) and names of the wrong kind.
    pub(crate) fn resolve(
        &self,
        name: &Ident,
        expected: &[Kind],
        errors: &mut Vec<CheckError>,
    ) -> Option<Decl<'a>> {
        let expected_text = expected
            .iter()
            .map(|k| k.article())
            .collect::<Vec<_>>()
            .join(" or ");
        match self.get(&name.text) {
            Some(decl) => {
                self.mark_used(decl, name.span);
                let decl = *decl;
                if decl.kind == Kind::Unknown || self.ambiguous.contains(name.text.as_str()) {
                    return None;
                }
                if expected.contains(&decl.kind) {
                    return Some(decl);
                }
                let fitting: Vec<&str> = self
                    .of_kind(expected)
                    .map(|d| d.name.text.as_str())
                    .collect();
                errors.push(
                    WrongKind {
                        name: name.text.clone(),
                        actual: decl.kind.article().into(),
                        expected: expected_text,
                        at: at(name.span),
                        declared: at(decl.name.span),
                        help: match (
                            did_you_mean(&name.text, fitting.iter().copied()),
                            fitting.len(),
                        ) {
                            (Some(s), _) => Some(format!("did you mean `{s}`?")),
                            (None, 1..=6) => Some(format!(
                                "use one of: {}",
                                fitting
                                    .iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                            (None, _) => None,
                        },
                    }
                    .into(),
                );
                None
            }
            None if expected.iter().any(|k| self.anonymous.contains(k)) => None,
            None => {
                let fitting: Vec<&str> = self
                    .of_kind(expected)
                    .map(|d| d.name.text.as_str())
                    .collect();
                let suggestion = did_you_mean(&name.text, fitting.iter().copied());
                errors.push(
                    UndefinedName {
                        name: name.text.clone(),
                        kind: match expected {
                            [one] => one.noun().to_string(),
                            [a, b] => format!("{} or {}", a.noun(), b.noun()),
                            _ => "block".to_string(),
                        },
                        at: at(name.span),
                        help: match (suggestion, fitting.as_slice()) {
                            (Some(s), _) => Some(format!("did you mean `{s}`?")),
                            (None, []) => Some(format!(
                                "declare {} named `{}`",
                                expected.first().map(|k| k.article()).unwrap_or("a block"),
                                name.text
                            )),
                            (None, many) => {
                                Some(format!("the stack declares: {}", many.join(", ")))
                            }
                        },
                        fix: suggestion.and_then(|s| replace(name.span, s)),
                    }
                    .into(),
                );
                None
            }
        }
    }
}

/// The names a block declares inside it: the keys of an existing secret (each name in its
/// `keys` list) and the tiers of a network (its `public` and `private` attributes), with the
/// kind of symbol and the span of the declaring item.
fn members(kind: Kind, block: &Block) -> Vec<(&Ident, SymbolKind, Span)> {
    match kind {
        Kind::Secret => block
            .attrs
            .iter()
            .filter(|a| a.key_text() == crate::registry::secret::KEYS.name())
            .flat_map(|a| &a.value.terms)
            .filter_map(|t| match &t.kind {
                TermKind::List(items) => Some(items),
                _ => None,
            })
            .flatten()
            .filter_map(|v| match v.single().map(|t| &t.kind) {
                Some(TermKind::Path(path)) => match path.as_slice() {
                    [key] => Some((key, SymbolKind::SecretKey, key.span)),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
        Kind::Network => block
            .attrs
            .iter()
            .filter_map(|a| match a.key.as_slice() {
                [key] if matches!(key.text.as_str(), "public" | "private") => {
                    Some((key, SymbolKind::Tier, a.key_span.to(a.value.span)))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The name in a block header `KIND NAME`, reporting a missing name or extra words.
fn header_name<'a>(
    block: &'a Block,
    rest: &'a [Ident],
    kind: &str,
    errors: &mut Vec<CheckError>,
) -> Option<&'a Ident> {
    match rest {
        [name] => Some(name),
        [] => {
            errors.push(
                BadHeader {
                    problem: format!("this {kind} block has no name"),
                    at: at(block.header_span),
                    expected: format!("expected `{kind} NAME {{`"),
                    help: Some("every block is named, so other blocks can refer to it".into()),
                }
                .into(),
            );
            None
        }
        [name, extra @ ..] => {
            let span = extra.iter().fold(
                extra.first().map(|i| i.span).unwrap_or(name.span),
                |s, i| s.to(i.span),
            );
            errors.push(
                BadHeader {
                    problem: format!("a {kind} block has one name, found {}", rest.len()),
                    at: at(span),
                    expected: "unexpected words after the name".into(),
                    help: Some(format!("write `{kind} {} {{`", name.text)),
                }
                .into(),
            );
            Some(name)
        }
    }
}

fn unique<'a>(seen: &mut BTreeMap<&'a str, Span>, name: &'a Ident, errors: &mut Vec<CheckError>) {
    if let Some(first) = seen.get(name.text.as_str()) {
        errors.push(
            DuplicateName {
                name: name.text.clone(),
                at: at(name.span),
                first: at(*first),
            }
            .into(),
        );
    } else {
        seen.insert(name.text.as_str(), name.span);
    }
}
