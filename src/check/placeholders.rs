//! `{input}` placeholders. In the stack's `name` they make the name pattern
//! (`stack::name_pattern`, inputs of type `name`); in every other string of a block — a record,
//! a zone, a legacy host, a replication's source host, a certificate's domain, a tag, a user
//! name, a path, a reason — `Ctx::fill` fills them in with the value the workspace being checked
//! gives the input, before the attribute's own checks run, so the result is judged exactly like
//! a literal (DNS syntax, a record inside its zone, tag characters, lengths). `{NAME}` is a
//! placeholder when NAME is declared: an input of type `name` or `text` is filled in; an input
//! of another type (`percent`, `number`: quantities with no single spelling) is refused
//! (PMG1005), and so is any other declaration, a service or a network (PMG1006). Braces around
//! anything else are literal text (`"/items/{id}"`), as they always were.
//!
//! What is never filled in is refused (PMG1004) rather than reaching AWS with its braces: the
//! stack's `region` (one per stack, read before any workspace is), a workspace's own `state`
//! and `account` (the workspace is where inputs get their values: write the value itself), an
//! input's value (inputs are not made of other inputs), and a secret's `keys` (the names that
//! `SECRET.KEY` references are resolved against, the same in every workspace).

mod diagnostics;
pub(crate) use diagnostics::{PlaceholderNotFilled, PlaceholderNotInput, PlaceholderType};

use super::context::Ctx;
use super::error::CheckError;
use super::names::{Declarations, Declared, Kind};
use crate::check::mismatch::TypeMismatch;
use crate::diag::at;
use crate::registry::workspace;
use crate::syntax::ast::{File, Item, Span, Term, TermKind, Value};
use std::collections::BTreeSet;

/// Where placeholders are never filled in, and why, for PMG1004's help.
const NOT_FILLED: &str = "placeholders are filled in in the strings of blocks; not in the stack's `region` (one per stack), a workspace's `state` or `account` (write the workspace's value itself), an input's value, or a secret's `keys`";

/// Reports every `{input}` written where it is never filled in (PMG1004).
pub(crate) fn check(file: &File, decls: &Declarations, errors: &mut Vec<CheckError>) {
    let stack = decls.stack.map(|(_, block)| block.header_span);
    let workspaces: BTreeSet<Span> = decls
        .workspaces
        .iter()
        .map(|(_, w)| w.header_span)
        .collect();
    let secrets: BTreeSet<Span> = decls
        .of_kind(&[Kind::Secret])
        .filter_map(|d| match d.item {
            Declared::Block(b) => Some(b.header_span),
            _ => None,
        })
        .collect();
    for item in &file.items {
        match item {
            Item::Block(block) => {
                let unfilled: &[&str] = if Some(block.header_span) == stack {
                    &["region"]
                } else if secrets.contains(&block.header_span) {
                    &["keys"]
                } else {
                    &[]
                };
                let workspace = workspaces.contains(&block.header_span);
                for attr in &block.attrs {
                    let key = attr.key_text();
                    // In a workspace: its own settings, and the values it gives inputs.
                    let refused = unfilled.contains(&key.as_str())
                        || (workspace
                            && attr.key.len() == 1
                            && (key == workspace::STATE.name()
                                || key == workspace::ACCOUNT.name()
                                || decls.get(&key).is_some_and(|d| d.kind == Kind::Input)));
                    if refused {
                        value(&attr.value, decls, errors);
                    }
                }
            }
            Item::Input(input) => {
                if let Some(default) = &input.default {
                    value(default, decls, errors);
                }
            }
            Item::Output(_) | Item::Broken(_) => {}
        }
    }
}

fn value(value: &Value, decls: &Declarations, errors: &mut Vec<CheckError>) {
    for term in &value.terms {
        match &term.kind {
            TermKind::String(text) | TermKind::HostPort { host: text, .. } => {
                for (name, span) in placeholders(text, term.span.start + 1) {
                    if decls.get(name).is_some_and(|d| d.kind == Kind::Input) {
                        errors.push(
                            PlaceholderNotFilled {
                                input: name.to_string(),
                                at: at(span),
                                help: Some(format!("{NOT_FILLED}. Spell the value out here")),
                            }
                            .into(),
                        );
                    }
                }
            }
            TermKind::List(items) => items.iter().for_each(|v| self::value(v, decls, errors)),
            TermKind::Map(entries) => entries
                .iter()
                .for_each(|e| self::value(&e.value, decls, errors)),
            _ => {}
        }
    }
}

/// Every `{NAME}` in `text` (which starts at byte `start` of the file) whose NAME is a word, with
/// the span of the braces; the byte range of each in `text` is `span - start`.
fn placeholders(text: &str, start: usize) -> Vec<(&str, Span)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('{')) {
        let open = from + open;
        let Some(close) = text.get(open..).and_then(|t| t.find('}')) else {
            break;
        };
        let close = open + close;
        let name = text.get(open + 1..close).unwrap_or_default().trim();
        let word = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if word {
            found.push((name, Span::new(start + open, start + close + 1)));
            from = close + 1;
        } else {
            // `{` inside `{{x}`: the next `{` may open a placeholder.
            from = open + 1;
        }
    }
    found
}

/// Whether an input of type `ty` is written into strings as it is (`name`, `text`).
fn writes_as_text(ty: &str) -> bool {
    ty == "name" || ty == "text"
}

impl<'a> Ctx<'a> {
    /// `text` (a string that starts at byte `start` of the file) with its `{input}` placeholders
    /// filled in with the workspace's values; `None` after reporting a placeholder that cannot
    /// be filled in.
    pub(crate) fn fill(&mut self, text: &str, start: usize) -> Option<String> {
        let mut out = String::new();
        let mut copied = 0;
        let mut ok = true;
        for (name, span) in placeholders(text, start) {
            let Some(decl) = self.decls.get(name).copied() else {
                continue;
            };
            let range = span.start.saturating_sub(start)..span.end.saturating_sub(start);
            let filled = match decl.item {
                Declared::Input(input) => {
                    // The use is the name inside the braces (`{ env }`: `env`).
                    let inner = text.get(range.start + 1..range.end.saturating_sub(1));
                    let lead = inner.map_or(0, |i| i.len() - i.trim_start().len());
                    let name_at = span.start + 1 + lead;
                    self.decls
                        .mark_used(&decl, Span::new(name_at, name_at + name.len()));
                    let ty = input.ty.text.as_str();
                    if writes_as_text(ty) {
                        self.input_text(input, span)
                    } else {
                        if crate::registry::INPUT_TYPES.contains(&ty) {
                            self.error(PlaceholderType {
                                input: name.to_string(),
                                ty: ty.to_string(),
                                at: at(span),
                                declared: at(input.ty.span),
                                help: Some(format!(
                                    "only inputs of type `name` or `text` are written into strings; a `{ty}` has no single spelling: declare a `text` input with the words to write"
                                )),
                            });
                        }
                        None
                    }
                }
                Declared::Block(_) if decl.kind != Kind::Unknown => {
                    self.error(PlaceholderNotInput {
                        name: name.to_string(),
                        actual: decl.kind.article().to_string(),
                        at: at(span),
                        declared: at(decl.name.span),
                        help: Some(format!(
                            "`{{{name}}}` would be filled in with an input's value; declare `input {name}_text: text = \"...\"` and write `{{{name}_text}}`, or write the text without braces"
                        )),
                    });
                    None
                }
                _ => None,
            };
            match filled {
                Some(value) => {
                    out.push_str(text.get(copied..range.start).unwrap_or_default());
                    out.push_str(&value);
                    copied = range.end;
                }
                None => ok = false,
            }
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        ok.then_some(out)
    }

    /// One term of a compound value that is a string (placeholders filled in) or the name of
    /// an input of type `name` or `text` (its value in the workspace being checked).
    pub(crate) fn term_string(&mut self, term: &'a Term, what: &str) -> Option<String> {
        match &term.kind {
            TermKind::String(text) => self.fill(text, term.span.start + 1),
            TermKind::Path(path) if matches!(path.as_slice(), [_]) => {
                let name = path.first()?;
                let decls = self.decls;
                let decl = decls.resolve(name, &[Kind::Input], &mut self.errors)?;
                let Declared::Input(input) = decl.item else {
                    return None;
                };
                let ty = input.ty.text.as_str();
                if !writes_as_text(ty) {
                    if crate::registry::INPUT_TYPES.contains(&ty) {
                        self.error(TypeMismatch {
                            expected: what.to_string(),
                            found: format!("input `{}`, a {ty}", name.text),
                            at: at(term.span),
                            help: Some(format!(
                                "write {what} in quotes here, or use an input of type `name` or `text`"
                            )),
                        });
                    }
                    return None;
                }
                // A missing default is reported by `Ctx::input`.
                let value = self.workspace_value(input)?;
                let text = self.literal_string(value, what)?;
                self.substituted(input, term.span, value.span, text.clone());
                Some(text)
            }
            _ => {
                self.error(TypeMismatch {
                    expected: format!("{what} in quotes, or an input"),
                    found: term.kind.describe().to_string(),
                    at: at(term.span),
                    help: None,
                });
                None
            }
        }
    }

    /// The text an input of type `name` or `text` has in the workspace being checked, written
    /// as is (an input's value is never filled in); `used` is where it is filled in.
    fn input_text(
        &mut self,
        input: &'a crate::syntax::ast::InputDecl,
        used: Span,
    ) -> Option<String> {
        // A missing default is reported by `Ctx::input`.
        let value = self.workspace_value(input)?;
        let (value, _) = self.follow(value)?;
        match value.single().map(|t| &t.kind) {
            Some(TermKind::String(text)) => {
                self.substituted(input, used, value.span, text.clone());
                Some(text.clone())
            }
            // Not a string: `Ctx::input` reports it at the value.
            _ => None,
        }
    }
}
