//! The plan of a checked model: [`Plan::from_stack`], the one function that reads the model,
//! and [`Locator`], which finds in the stack's syntax tree the place each element comes from
//! (the model keeps only block headers; a trace points at the attribute that allows a step:
//! `rollback = 0%`, `reads = ledger`, `gate = …`), a workspace's override first.
//!
//! Against today's model a service that `reads = DB` writes straight into the Aurora cluster
//! (`Access::Direct`), whatever replication writes into it too; no database has a data cutover
//! or a replication back. When the language says where writes go, this is the function its
//! fields feed: the writer name (`Access::Writer`), `.reader` uses (`Service::reads`), the data
//! cutover, the fallback and two-way replications (`Source::back`).

use super::{Access, At, Cutover, Database, Plan, Service, Source, Use};
use crate::model::{self, MigrationMode, Stack};
use crate::syntax::ast::{Block, File, Item, Span, TermKind, Value};
use crate::syntax::line_index::LineIndex;
use std::collections::HashMap;

/// Where things are written in a stack's text.
pub struct Locator<'a> {
    lines: LineIndex<'a>,
    /// `(kind, name)` → block, for the blocks a plan points into.
    blocks: HashMap<(&'a str, &'a str), &'a Block>,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a File, text: &'a str) -> Locator<'a> {
        let blocks = file
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Block(block) => match block.header.as_slice() {
                    [kind, name] => Some(((kind.text.as_str(), name.text.as_str()), block)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        Locator {
            lines: LineIndex::new(text),
            blocks,
        }
    }

    fn at(&self, span: Span) -> At {
        At {
            span,
            line: self.lines.line(span.start) + 1,
        }
    }

    /// Block `kind name` as workspace `workspace` sees it (each lookup is done once here: a
    /// stack of thousands of services is located in a few milliseconds).
    pub fn block<'l>(&'l self, workspace: &str, kind: &str, name: &'l str) -> Place<'l, 'a> {
        Place {
            locator: self,
            overrides: self.blocks.get(&("workspace", workspace)).copied(),
            block: self.blocks.get(&(kind, name)).copied(),
            name,
        }
    }
}

/// A block of the stack, and the workspace whose overrides apply to it.
pub struct Place<'l, 'a> {
    locator: &'l Locator<'a>,
    overrides: Option<&'a Block>,
    block: Option<&'a Block>,
    name: &'l str,
}

impl<'a> Place<'_, 'a> {
    /// The block's name.
    pub fn name(&self) -> At {
        let span = self
            .block
            .and_then(|b| b.header.get(1))
            .map(|n| n.span)
            .unwrap_or_default();
        self.locator.at(span)
    }

    /// The value of `key`: the workspace's override, else the block's own attribute.
    fn value(&self, key: &str) -> Option<&'a Value> {
        let name = self.name;
        let overridden = self.overrides.and_then(|ws| {
            ws.attrs
                .iter()
                .find(|a| matches!(a.key.as_slice(), [b, k] if b.text == name && k.text == key))
        });
        let own = || {
            self.block.and_then(|b| {
                b.attrs
                    .iter()
                    .find(|a| matches!(a.key.as_slice(), [k] if k.text == key))
            })
        };
        overridden.or_else(own).map(|a| &a.value)
    }

    /// Where `key` is written (else the block's name).
    pub fn attr(&self, key: &str) -> At {
        match self.value(key) {
            Some(value) => self.locator.at(value.span),
            None => self.name(),
        }
    }

    /// Where `word` is written in `key` (`ledger` in `reads = [ledger, catalog]`), else the
    /// whole value.
    pub fn word(&self, key: &str, word: &str) -> At {
        match self.value(key).and_then(|value| find_word(value, word)) {
            Some(span) => self.locator.at(span),
            None => self.attr(key),
        }
    }
}

/// The first dotted name starting with `word` in a value, lists included.
fn find_word(value: &Value, word: &str) -> Option<Span> {
    value.terms.iter().find_map(|term| match &term.kind {
        TermKind::Path(path) if path.first().is_some_and(|i| i.text == word) => Some(term.span),
        TermKind::List(items) => items.iter().find_map(|v| find_word(v, word)),
        _ => None,
    })
}

impl Plan {
    /// The plan of one workspace's checked model.
    pub fn from_stack(stack: &Stack, locate: &Locator) -> Plan {
        let ws = stack.workspace.name.as_str();
        let databases = stack
            .databases
            .iter()
            .map(|db| Database {
                name: db.name.to_string(),
                at: locate.block(ws, "database", db.name.as_str()).name(),
                sources: stack
                    .replications
                    .iter()
                    .filter(|r| r.target.name() == &db.name)
                    .map(|r| source(r, ws, locate))
                    .collect(),
                // Today a service's `reads` is the cluster's writer endpoint.
                access: Access::Direct,
                data_cutover: None,
            })
            .collect();
        let services = stack
            .services
            .iter()
            .map(|s| {
                let name = s.name.as_str();
                let place = locate.block(ws, "service", name);
                Service {
                    name: name.to_string(),
                    at: place.name(),
                    // Today every database a service names, it may write.
                    writes: s
                        .reads
                        .iter()
                        .map(|db| Use {
                            database: db.name().to_string(),
                            at: place.word("reads", db.name().as_str()),
                        })
                        .collect(),
                    reads: Vec::new(),
                    via: s.route.as_ref().map(|r| r.via.name().to_string()),
                    health_at: place.attr("health"),
                }
            })
            .collect();
        let cutovers = stack
            .cutovers
            .iter()
            .map(|c| cutover(c, ws, locate))
            .collect();
        Plan {
            databases,
            services,
            cutovers,
        }
    }
}

fn source(r: &model::Replication, ws: &str, locate: &Locator) -> Source {
    let name = r.name.as_str();
    let place = locate.block(ws, "replication", name);
    Source {
        replication: name.to_string(),
        at: place.attr("to"),
        host: format!(
            "{} {}:{}",
            r.source.engine.profile().keyword,
            r.source.host,
            r.source.port.get()
        ),
        host_at: place.attr("from"),
        cdc: r.mode != MigrationMode::FullLoad,
        back: None,
    }
}

fn cutover(c: &model::Cutover, ws: &str, locate: &Locator) -> Cutover {
    let name = c.name.as_str();
    let gate = c.gate.as_ref();
    let place = locate.block(ws, "cutover", name);
    Cutover {
        name: name.to_string(),
        at: place.name(),
        record: c.record.clone(),
        legacy: c.legacy_host.clone(),
        service: c.service.name().to_string(),
        service_at: place.attr("aws"),
        phases: c.phases.clone(),
        phases_at: place.attr("phases"),
        rollback: c.rollback,
        rollback_at: place.attr("rollback"),
        gate: gate
            .map(|g| {
                g.conditions
                    .iter()
                    .map(|cond| cond.replication.name().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        gate_text: gate.map(model::Gate::describe).unwrap_or_default(),
        gate_at: gate.map(|_| place.attr("gate")),
    }
}
