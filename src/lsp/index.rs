//! Every name of a stack, where it is declared and where it is used: what go to definition,
//! find references, rename and hover on a name answer from.
//!
//! Names are blocks and inputs (one namespace, as in the checker), secret keys (`db.password`:
//! declared in the secret's `keys` list), subnet tiers (`main.private`: declared by the
//! network's `public` and `private` attributes), outputs and workspaces. A use is a name in a
//! value (`reads = ledger`, `[0%, step]`, `api.dns_name`), in a workspace's keys
//! (`traffic_weight = 0%`, `api.capacity = 2..4`) or an `{input}` in a string. A dotted value
//! counts only where the attribute refers to blocks (`in`, `password`, `gate`, outputs…), so
//! an instance type `t3.medium` never names a block called `t3`.

use crate::registry::{self, Kind};
use crate::syntax::ast::{Attr, Block, File, Ident, Item, Span, TermKind, Value};
use std::collections::HashMap;

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A block or an input, in the shared namespace.
    Decl(Kind),
    /// A key of an existing secret.
    SecretKey,
    /// A subnet tier of a network.
    Tier,
    Output,
    Workspace,
    Stack,
}

/// One declared name and its uses.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// As written (`ledger`), or qualified by its owner for keys and tiers (`db.password`).
    pub name: String,
    pub kind: SymbolKind,
    /// The name where it is declared.
    pub decl: Span,
    /// The whole declaring item (block, input line, attribute).
    pub item: Span,
    /// Every use, in source order.
    pub refs: Vec<Span>,
}

impl Symbol {
    /// The name as written at a use (the last part of a qualified name).
    pub fn short(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// The symbols of one file.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    /// The first declaration of each name of the shared namespace, and of each qualified
    /// secret key and tier (whose names hold a `.`, so they cannot collide).
    by_name: HashMap<String, usize>,
}

impl Index {
    pub fn new(file: &File, text: &str) -> Index {
        let mut index = Index::default();
        for item in &file.items {
            index.declare_item(item);
        }
        for item in &file.items {
            index.uses_in_item(item, text);
        }
        index
    }

    /// The symbol declared or used at `offset` (a name's end counts: the cursor after it).
    pub fn at(&self, offset: usize) -> Option<&Symbol> {
        let hit = |s: &Span| s.start <= offset && offset <= s.end;
        self.symbols
            .iter()
            .find(|s| hit(&s.decl) || s.refs.iter().any(hit))
    }

    /// The symbol of the shared namespace named `name`.
    pub fn decl(&self, name: &str) -> Option<&Symbol> {
        self.by_name
            .get(name)
            .and_then(|&i| self.symbols.get(i))
            .filter(|s| matches!(s.kind, SymbolKind::Decl(_)))
    }

    /// Every declaration of one of `kinds`, in source order.
    pub fn of_kinds<'a>(&'a self, kinds: &'a [Kind]) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols
            .iter()
            .filter(move |s| matches!(s.kind, SymbolKind::Decl(k) if kinds.contains(&k)))
    }

    /// The keys or tiers owned by `owner` (`db` → `db.password`, …).
    pub fn members<'a>(
        &'a self,
        owner: &'a str,
        kind: SymbolKind,
    ) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols.iter().filter(move |s| {
            s.kind == kind && s.name.split_once('.').is_some_and(|(o, _)| o == owner)
        })
    }

    fn push(&mut self, name: String, kind: SymbolKind, decl: Span, item: Span) {
        let named = matches!(
            kind,
            SymbolKind::Decl(_) | SymbolKind::SecretKey | SymbolKind::Tier
        );
        if named && !self.by_name.contains_key(&name) {
            self.by_name.insert(name.clone(), self.symbols.len());
        }
        self.symbols.push(Symbol {
            name,
            kind,
            decl,
            item,
            refs: Vec::new(),
        });
    }

    fn declare_item(&mut self, item: &Item) {
        match item {
            Item::Input(input) => self.push(
                input.name.text.clone(),
                SymbolKind::Decl(Kind::Input),
                input.name.span,
                input.span,
            ),
            Item::Output(output) => self.push(
                output.name.text.clone(),
                SymbolKind::Output,
                output.name.span,
                output.span,
            ),
            Item::Block(block) => self.declare_block(block),
            Item::Broken(_) => {}
        }
    }

    fn declare_block(&mut self, block: &Block) {
        let words: Vec<&str> = block.header.iter().map(|i| i.text.as_str()).collect();
        let (kind, name) = match words.as_slice() {
            ["stack", _] => (SymbolKind::Stack, block.header.get(1)),
            ["workspace", _] => (SymbolKind::Workspace, block.header.get(1)),
            ["existing", sub, _] => match registry::by_keyword("existing", Some(sub)) {
                Some(entry) => (
                    entry.kind.map_or(SymbolKind::Stack, SymbolKind::Decl),
                    block.header.get(2),
                ),
                None => return,
            },
            [keyword, _] => match registry::by_keyword(keyword, None).and_then(|e| e.kind) {
                Some(kind) => (SymbolKind::Decl(kind), block.header.get(1)),
                None => return,
            },
            _ => return,
        };
        let Some(name) = name else { return };
        self.push(name.text.clone(), kind, name.span, block.span);
        match kind {
            SymbolKind::Decl(Kind::Secret) => {
                for attr in block.attrs.iter().filter(|a| a.key_text() == "keys") {
                    for key in list_names(&attr.value) {
                        self.push(
                            format!("{}.{}", name.text, key.text),
                            SymbolKind::SecretKey,
                            key.span,
                            key.span,
                        );
                    }
                }
            }
            SymbolKind::Decl(Kind::Network) => {
                for attr in &block.attrs {
                    if let [key] = attr.key.as_slice()
                        && matches!(key.text.as_str(), "public" | "private")
                    {
                        self.push(
                            format!("{}.{}", name.text, key.text),
                            SymbolKind::Tier,
                            key.span,
                            attr.key_span.to(attr.value.span),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn uses_in_item(&mut self, item: &Item, text: &str) {
        match item {
            Item::Input(input) => {
                if let Some(value) = &input.default {
                    self.uses_in_value(value, true, text);
                }
            }
            Item::Output(output) => self.uses_in_value(&output.value, true, text),
            Item::Block(block) => {
                let keyword = block.header.first().map(|i| i.text.as_str());
                let sub = block.header.get(1).map(|i| i.text.as_str());
                let entry = keyword.and_then(|k| registry::by_keyword(k, sub));
                let workspace = keyword == Some("workspace");
                for attr in &block.attrs {
                    if workspace {
                        self.uses_in_key(attr);
                    }
                    let refers = match (workspace, entry) {
                        // `api.exposed = …` refers like `exposed` does.
                        (true, _) => attr.key.len() == 2,
                        (false, Some(entry)) => entry
                            .attr(&attr.key_text())
                            .is_some_and(|a| !a.refers_to.is_empty()),
                        (false, None) => false,
                    };
                    self.uses_in_value(&attr.value, refers, text);
                }
            }
            Item::Broken(_) => {}
        }
    }

    /// A workspace's key: an input it sets, or the block of `BLOCK.ATTRIBUTE`.
    fn uses_in_key(&mut self, attr: &Attr) {
        if let Some(first) = attr.key.first() {
            self.use_name(first);
        }
    }

    fn uses_in_value(&mut self, value: &Value, dotted: bool, text: &str) {
        for term in &value.terms {
            match &term.kind {
                TermKind::Path(path) => match path.as_slice() {
                    [name] => {
                        self.use_name(name);
                    }
                    // The owner is recorded as used first; then the key or tier, if any.
                    [owner, member, ..] if dotted && self.use_name(owner) => {
                        let qualified = format!("{}.{}", owner.text, member.text);
                        if let Some(s) = self
                            .by_name
                            .get(&qualified)
                            .and_then(|&i| self.symbols.get_mut(i))
                        {
                            s.refs.push(member.span);
                        }
                    }
                    _ => {}
                },
                TermKind::List(items) => {
                    for item in items {
                        self.uses_in_value(item, dotted, text);
                    }
                }
                TermKind::Map(entries) => {
                    for entry in entries {
                        self.uses_in_value(&entry.value, dotted, text);
                    }
                }
                TermKind::String(_) | TermKind::HostPort { .. } => {
                    self.uses_in_template(term.span, text)
                }
                _ => {}
            }
        }
    }

    /// `{input}` placeholders in a string, found in the source text of the string.
    fn uses_in_template(&mut self, span: Span, text: &str) {
        let Some(source) = text.get(span.start..span.end) else {
            return;
        };
        let mut rest = source;
        let mut base = span.start;
        while let Some(open) = rest.find('{') {
            let after = rest.get(open + 1..).unwrap_or("");
            let Some(close) = after.find('}') else { break };
            let word = after.get(..close).unwrap_or("");
            let start = base + open + 1;
            if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                let ident = Ident {
                    text: word.to_string(),
                    span: Span::new(start, start + word.len()),
                };
                if self
                    .decl(word)
                    .is_some_and(|s| s.kind == SymbolKind::Decl(Kind::Input))
                {
                    self.use_name(&ident);
                }
            }
            base = start + close + 1;
            rest = after.get(close + 1..).unwrap_or("");
        }
    }

    /// Records a use of a name of the shared namespace; whether it is one.
    fn use_name(&mut self, name: &Ident) -> bool {
        match self
            .by_name
            .get(&name.text)
            .and_then(|&i| self.symbols.get_mut(i))
            .filter(|s| matches!(s.kind, SymbolKind::Decl(_)))
        {
            Some(symbol) => {
                symbol.refs.push(name.span);
                true
            }
            None => false,
        }
    }
}

/// The one-word names of a list value (`[password, dms_password]`).
fn list_names(value: &Value) -> Vec<&Ident> {
    value
        .terms
        .iter()
        .flat_map(|t| match &t.kind {
            TermKind::List(items) => items.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .filter_map(|v| match v.single().map(|t| &t.kind) {
            Some(TermKind::Path(path)) => match path.as_slice() {
                [name] => Some(name),
                _ => None,
            },
            _ => None,
        })
        .collect()
}
