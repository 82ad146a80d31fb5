//! The checking context: the declarations, the workspace being checked and its overrides,
//! and the errors found so far. Block checkers ask it for attributes (`attrs`), which applies
//! the workspace's overrides and reports unknown, duplicate and missing attributes.

mod diagnostics;
pub(crate) use diagnostics::{DuplicateAttribute, InputCycle, MissingAttribute, UnknownAttribute};

use super::error::{CheckError, replace};
use super::names::{Declarations, Declared, Kind};
use crate::check::mismatch::TypeMismatch;
use crate::diag::at;
use crate::model::Origin;
use crate::registry::{Key, Schema as Keys};
use crate::syntax::ast::{Attr, Block, Ident, InputDecl, Span, TermKind, Value};
use crate::syntax::line_index::LineIndex;
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// The attributes a block kind accepts: the block registry's entry for it.
pub(crate) use crate::registry::Block as Schema;

static NO_FILES: super::files::Files = super::files::Files::new();

/// A block's attributes by name, after the workspace's overrides: read only through the
/// registry's keys of that block (`attrs.get(&database::READERS)`), so a misspelt attribute
/// or one of another block does not compile.
pub(crate) struct Attrs<'a, S> {
    map: BTreeMap<&'a str, &'a Value>,
    /// The block as messages name it (`network `main``), and where it is declared: for an
    /// attribute the checker needs a value of that neither the stack nor the registry gives.
    label: String,
    declared: Span,
    block: PhantomData<fn() -> S>,
}

impl<'a, S> Attrs<'a, S> {
    /// The value of an attribute, when it is written (or the workspace overrides it).
    pub(crate) fn get(&self, key: &Key<S>) -> Option<&'a Value> {
        self.map.get(key.name()).copied()
    }
}

/// An input's value used in this workspace: where it is used (a placeholder, or the input's
/// name as a value), and the value it has there (the workspace's setting, or the default).
#[derive(Debug, Clone)]
pub(crate) struct Substitution {
    pub input: String,
    pub used: Span,
    pub value: Span,
    /// The value as written, without quotes (`stg`, `100%`).
    pub text: String,
}

pub(crate) struct Ctx<'a> {
    /// The source's lines, for line numbers in `Origin`s.
    lines: &'a LineIndex<'a>,
    pub decls: &'a Declarations<'a>,
    pub errors: Vec<CheckError>,
    /// Input values set by the workspace being checked.
    pub input_overrides: BTreeMap<&'a str, &'a Value>,
    /// `block.attribute = value` overrides of the workspace being checked.
    pub attr_overrides: BTreeMap<(&'a str, &'a str), &'a Attr>,
    resolving: Vec<&'a str>,
    /// Every `{input}` filled in so far, for the labels that show a workspace's value.
    pub substitutions: Vec<Substitution>,
    /// Input cycles already reported, by their sorted members.
    cycles: Vec<Vec<String>>,
    /// The files the stack names, as the caller read them (`boot = file "…"`).
    pub files: &'a super::files::Files,
    /// Whether the names the workspace derives are checked (`derived`): not in the check of
    /// hidden defaults, whose findings are kept only inside a default's value.
    pub derives_names: bool,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(lines: &'a LineIndex<'a>, decls: &'a Declarations<'a>) -> Ctx<'a> {
        Ctx {
            lines,
            decls,
            errors: Vec::new(),
            input_overrides: BTreeMap::new(),
            attr_overrides: BTreeMap::new(),
            resolving: Vec::new(),
            substitutions: Vec::new(),
            cycles: Vec::new(),
            files: &NO_FILES,
            derives_names: true,
        }
    }

    /// This context, not checking the names the workspace derives.
    pub(crate) fn without_derived_names(mut self) -> Ctx<'a> {
        self.derives_names = false;
        self
    }

    /// This context, reading the files the caller gave.
    pub(crate) fn with_files(mut self, files: &'a super::files::Files) -> Ctx<'a> {
        self.files = files;
        self
    }

    /// Where a block was declared, for the source map.
    pub(crate) fn origin(&self, span: Span) -> Origin {
        Origin {
            start: span.start,
            end: span.end,
            line: self.lines.line(span.start) + 1,
        }
    }

    pub(crate) fn error(&mut self, error: impl Into<CheckError>) {
        self.errors.push(error.into());
    }

    /// Reads a block's attributes against its registry entry (`S::BLOCK`).
    pub(crate) fn attrs<S: Keys>(&mut self, name: &'a Ident, block: &'a Block) -> Attrs<'a, S> {
        self.attrs_as(&name.text, name, block)
    }

    /// The word an attribute says: the one written, which must be one of the registry's
    /// `values`, else the registry's default word. An attribute with neither is reported
    /// missing (so a registry entry that lost its default fails
    /// `registry::required_attributes_are_required_and_optional_ones_are_not`, never builds
    /// without the block).
    pub(crate) fn word_or_default<S>(
        &mut self,
        attrs: &Attrs<'a, S>,
        key: &Key<S>,
        what: &str,
    ) -> Option<&'static str> {
        match (attrs.get(key), key.default_word()) {
            (Some(v), _) => self.word(v, what, key.values()),
            (None, Some(default)) => Some(default),
            (None, None) => {
                self.error(MissingAttribute {
                    name: key.name().to_string(),
                    block: attrs.label.clone(),
                    at: at(attrs.declared),
                    example: key.attr.example.to_string(),
                });
                None
            }
        }
    }

    /// Reads a block's attributes, with the workspace's overrides of `target.ATTRIBUTE` (the
    /// block's name, or `stack` for the stack block).
    pub(crate) fn attrs_as<S: Keys>(
        &mut self,
        target: &str,
        name: &'a Ident,
        block: &'a Block,
    ) -> Attrs<'a, S> {
        let schema = S::BLOCK;
        let label = format!("{} `{}`", schema.block, name.text);
        let mut map: BTreeMap<&'a str, &'a Value> = BTreeMap::new();
        let mut first_seen: BTreeMap<&'a str, Span> = BTreeMap::new();
        // Attributes an unknown one was probably meant to be: not reported missing too.
        let mut meant: Vec<&'static str> = Vec::new();
        for attr in &block.attrs {
            let Some(key) = single_key(attr) else {
                meant.extend(self.unknown_attribute(attr, &label, schema));
                continue;
            };
            if !schema.names().any(|n| n == key) {
                meant.extend(self.unknown_attribute(attr, &label, schema));
                continue;
            }
            if let Some(first) = first_seen.get(key) {
                self.error(DuplicateAttribute {
                    name: key.to_string(),
                    at: at(attr.key_span),
                    first: at(*first),
                });
                continue;
            }
            first_seen.insert(key, attr.key_span);
            map.insert(key, &attr.value);
        }
        for (key, attr) in self.overrides_of(target) {
            if schema.names().any(|n| n == key) {
                map.insert(key, &attr.value);
            }
        }
        for attr in schema.attrs {
            if attr.required && !map.contains_key(attr.name) && !meant.contains(&attr.name) {
                self.error(MissingAttribute {
                    name: attr.name.to_string(),
                    block: label.clone(),
                    at: at(name.span.to(block.header_span)),
                    example: attr.example.to_string(),
                });
            }
        }
        Attrs {
            map,
            label,
            declared: name.span.to(block.header_span),
            block: PhantomData,
        }
    }

    /// The workspace's overrides of `target.ATTRIBUTE`, by attribute: a range of the ordered
    /// map (every key `(target, …)` sorts after `(target, "")`), so reading a block costs its
    /// own overrides, not every override of the workspace.
    pub(crate) fn overrides_of<'t>(
        &'t self,
        target: &'t str,
    ) -> impl Iterator<Item = (&'a str, &'a Attr)> + 't {
        self.attr_overrides
            .range((target, "")..)
            .take_while(move |((block, _), _)| *block == target)
            .map(|((_, key), attr)| (*key, *attr))
    }

    /// Reports an unknown attribute; returns the attribute it was probably meant to be.
    fn unknown_attribute(
        &mut self,
        attr: &Attr,
        label: &str,
        schema: &Schema,
    ) -> Option<&'static str> {
        let key = attr.key_text();
        let (help, suggestion) = schema.help_for(&key);
        self.error(UnknownAttribute {
            name: key,
            block: label.to_string(),
            at: at(attr.key_span),
            help: Some(help),
            fix: suggestion.and_then(|s| replace(attr.key_span, s)),
        });
        suggestion
    }

    /// The value itself, or, when it is the bare name of an input, that input's value in the
    /// workspace being checked. Returns the input's name alongside when one was followed.
    pub(crate) fn follow(&mut self, value: &'a Value) -> Option<(&'a Value, Option<&'a Ident>)> {
        let Some(TermKind::Path(path)) = value.single().map(|t| &t.kind) else {
            return Some((value, None));
        };
        let [name] = path.as_slice() else {
            return Some((value, None));
        };
        let Some(decl) = self.decls.get(&name.text).copied() else {
            return Some((value, None));
        };
        let Declared::Input(input) = decl.item else {
            return Some((value, None));
        };
        self.decls.mark_used(&decl, name.span);
        if self.resolving.contains(&input.name.text.as_str()) {
            let mut path: Vec<&str> = self.resolving.clone();
            path.push(&input.name.text);
            // One cycle, one diagnostic: whichever of its inputs is checked first reports it.
            let mut members: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            members.sort();
            members.dedup();
            if !self.cycles.contains(&members) {
                self.cycles.push(members);
                self.error(InputCycle {
                    name: input.name.text.clone(),
                    at: at(input.name.span),
                    path: path.join(" → "),
                });
            }
            return None;
        }
        let target = self.workspace_value(input)?;
        self.resolving.push(&input.name.text);
        let result = self.follow(target).map(|(v, _)| (v, Some(&input.name)));
        self.resolving.pop();
        if let Some((followed, _)) = result {
            let text = super::mismatch::value_text(followed)
                .trim_matches('"')
                .to_string();
            self.substituted(input, value.span, followed.span, text);
        }
        result
    }

    /// The value `input` has in the workspace being checked: the workspace's setting, else the
    /// input's default (`None` when it has neither, which `Ctx::input` reports).
    pub(crate) fn workspace_value(&self, input: &'a InputDecl) -> Option<&'a Value> {
        match self.input_overrides.get(input.name.text.as_str()) {
            Some(v) => Some(*v),
            None => input.default.as_ref(),
        }
    }

    /// Notes that `input`'s value (written at `value`, reading `text`) is used at `used`, so a
    /// problem found in it can be labelled at both ends (`check::provenance`).
    pub(crate) fn substituted(&mut self, input: &InputDecl, used: Span, value: Span, text: String) {
        self.substitutions.push(Substitution {
            input: input.name.text.clone(),
            used,
            value,
            text,
        });
    }

    /// Resolves a one-word reference to one of `kinds`.
    pub(crate) fn reference(
        &mut self,
        value: &'a Value,
        kinds: &[Kind],
        what: &str,
    ) -> Option<&'a Ident> {
        let term = self.single(value, what)?;
        match &term.kind {
            TermKind::Path(path) => match path.as_slice() {
                [name] => {
                    let decls = self.decls;
                    decls.resolve(name, kinds, &mut self.errors).map(|d| d.name)
                }
                _ => {
                    self.mismatch(value, what, None);
                    None
                }
            },
            _ => {
                self.mismatch(value, what, None);
                None
            }
        }
    }

    /// The only term of a value, or a type error naming what was expected.
    pub(crate) fn single(
        &mut self,
        value: &'a Value,
        what: &str,
    ) -> Option<&'a crate::syntax::ast::Term> {
        if value.has_invalid() {
            return None;
        }
        match value.single() {
            Some(term) => Some(term),
            None => {
                self.mismatch(value, what, None);
                None
            }
        }
    }

    /// Reports that `value` is not `expected`.
    pub(crate) fn mismatch(&mut self, value: &Value, expected: &str, help: Option<String>) {
        if value.has_invalid() {
            return;
        }
        let found = match value.single() {
            Some(term) => term.kind.describe().to_string(),
            None => format!("{} words", value.terms.len()),
        };
        self.error(TypeMismatch {
            expected: expected.to_string(),
            found,
            at: at(value.span),
            help,
        });
    }
}

/// An attribute as a block writes it, found by its registry key: for the rules that read a
/// block other than the one being checked (a secret's `keys` from a reference to it).
pub(crate) fn written<'a, S>(block: &'a Block, key: &Key<S>) -> Option<&'a Attr> {
    block
        .attrs
        .iter()
        .find(|a| single_key(a) == Some(key.name()))
}

/// The key of an attribute when it is a single word.
fn single_key(attr: &Attr) -> Option<&str> {
    match attr.key.as_slice() {
        [one] => Some(one.text.as_str()),
        _ => None,
    }
}
