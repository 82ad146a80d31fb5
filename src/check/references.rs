//! The resolved references of a stack: every name it declares and every use of a name that the
//! checker's resolver (`names::Declarations`) resolved to a declaration, recorded as it
//! resolves. Go to definition, find references, rename, hover and completion read this record
//! (`crate::lsp`), so the editor follows a name exactly where `pmigc check` does: a word that
//! the checker does not read as a name (`nat = single`, `t3.medium`) is never one.
//!
//! Names are blocks and inputs (one namespace), the keys of an existing secret (`db.password`,
//! declared in its `keys` list), the subnet tiers of a network (`main.private`, declared by its
//! `public` and `private` attributes), outputs, workspaces and the stack. A use is recorded
//! once however many workspaces check it; uses are the spans of the names as written.

use crate::registry::Kind;
use crate::syntax::ast::Span;
use std::collections::HashMap;
use std::sync::OnceLock;

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
#[derive(Debug, Clone, PartialEq, Eq)]
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

    /// The span of this symbol's name (its declaration or a use) that holds `offset`.
    pub fn occurrence(&self, offset: usize) -> Option<Span> {
        std::iter::once(self.decl)
            .chain(self.refs.iter().copied())
            .find(|s| s.start <= offset && offset <= s.end)
    }
}

/// Every symbol of a stack, with its uses: what the resolver recorded, put in order the first
/// time it is read (the command line never reads it, so it costs `pmigc check` nothing more
/// than the recording).
#[derive(Debug, Clone, Default)]
pub struct References {
    recorded: Recorder,
    finished: OnceLock<Finished>,
}

#[derive(Debug, Clone, Default)]
struct Finished {
    symbols: Vec<Symbol>,
    /// The first declaration of each name of the shared namespace, and of each qualified secret
    /// key and tier (whose names hold a `.`, so they cannot collide).
    by_name: HashMap<String, usize>,
    /// Every declaration and use as (span, symbol), sorted: what is at an offset, in O(log n).
    occurrences: Vec<(Span, usize)>,
}

/// What the resolver records while it resolves: symbols as declared, and uses of them.
#[derive(Debug, Clone, Default)]
pub(super) struct Recorder {
    pub symbols: Vec<Symbol>,
    /// (use, symbol index), repeated as each workspace resolves the same uses again.
    pub uses: Vec<(Span, usize)>,
}

impl Recorder {
    pub(super) fn declare(
        &mut self,
        name: String,
        kind: SymbolKind,
        decl: Span,
        item: Span,
    ) -> usize {
        self.symbols.push(Symbol {
            name,
            kind,
            decl,
            item,
            refs: Vec::new(),
        });
        self.symbols.len().saturating_sub(1)
    }

    /// The finished record: symbols in source order, each with its uses in source order, once.
    fn finish(&self) -> Finished {
        let mut uses = self.uses.clone();
        uses.sort_unstable();
        uses.dedup();
        let mut order: Vec<usize> = (0..self.symbols.len()).collect();
        order.sort_by_key(|&i| self.symbols.get(i).map(|s| (s.decl.start, s.decl.end)));
        let mut new_index = vec![0; self.symbols.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(slot) = new_index.get_mut(old) {
                *slot = new;
            }
        }
        let mut symbols: Vec<Symbol> = order
            .iter()
            .filter_map(|&i| self.symbols.get(i).cloned())
            .collect();
        for &(span, old) in &uses {
            if let Some(symbol) = new_index.get(old).and_then(|&i| symbols.get_mut(i)) {
                symbol.refs.push(span);
            }
        }
        let mut by_name = HashMap::new();
        let mut occurrences = Vec::new();
        for (i, symbol) in symbols.iter().enumerate() {
            let named = matches!(
                symbol.kind,
                SymbolKind::Decl(_) | SymbolKind::SecretKey | SymbolKind::Tier
            );
            if named {
                by_name.entry(symbol.name.clone()).or_insert(i);
            }
            occurrences.push((symbol.decl, i));
            occurrences.extend(symbol.refs.iter().map(|&r| (r, i)));
        }
        occurrences.sort();
        Finished {
            symbols,
            by_name,
            occurrences,
        }
    }
}

impl References {
    pub(super) fn new(recorded: Recorder) -> References {
        References {
            recorded,
            finished: OnceLock::new(),
        }
    }

    fn finished(&self) -> &Finished {
        self.finished.get_or_init(|| self.recorded.finish())
    }

    /// Every symbol, in the order of its declarations.
    pub fn symbols(&self) -> &[Symbol] {
        &self.finished().symbols
    }

    /// The symbol declared or used at `offset` (a name's end counts: the cursor after it).
    pub fn at(&self, offset: usize) -> Option<&Symbol> {
        // Names do not overlap: the last occurrence starting at or before `offset` is the only
        // candidate, and it holds `offset` when it ends at or after it.
        let finished = self.finished();
        let after = finished
            .occurrences
            .partition_point(|(s, _)| s.start <= offset);
        let (span, i) = finished.occurrences.get(after.checked_sub(1)?)?;
        (offset <= span.end)
            .then(|| finished.symbols.get(*i))
            .flatten()
    }

    /// The symbol of the shared namespace named `name`.
    pub fn decl(&self, name: &str) -> Option<&Symbol> {
        let finished = self.finished();
        finished
            .by_name
            .get(name)
            .and_then(|&i| finished.symbols.get(i))
            .filter(|s| matches!(s.kind, SymbolKind::Decl(_)))
    }

    /// Every declaration of one of `kinds`, in source order.
    pub fn of_kinds<'a>(&'a self, kinds: &'a [Kind]) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols()
            .iter()
            .filter(move |s| matches!(s.kind, SymbolKind::Decl(k) if kinds.contains(&k)))
    }

    /// The keys or tiers owned by `owner` (`db` → `db.password`, …).
    pub fn members<'a>(
        &'a self,
        owner: &'a str,
        kind: SymbolKind,
    ) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols().iter().filter(move |s| {
            s.kind == kind && s.name.split_once('.').is_some_and(|(o, _)| o == owner)
        })
    }

    /// Whether a symbol of `kind` is already called `name` where a symbol of that kind would be
    /// (the shared namespace, the keys of `owner`, the outputs…).
    pub fn taken(&self, symbol: &Symbol, name: &str) -> bool {
        match symbol.kind {
            SymbolKind::Decl(_) => self.decl(name).is_some(),
            SymbolKind::SecretKey | SymbolKind::Tier => {
                symbol.name.split_once('.').is_some_and(|(owner, _)| {
                    self.finished()
                        .by_name
                        .contains_key(&format!("{owner}.{name}"))
                })
            }
            _ => self
                .symbols()
                .iter()
                .any(|s| s.kind == symbol.kind && s.name == name),
        }
    }
}
