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

    /// The block's name.
    pub fn block(&self, kind: &str, name: &str) -> At {
        let span = self
            .blocks
            .get(&(kind, name))
            .and_then(|b| b.header.get(1))
            .map(|n| n.span)
            .unwrap_or_default();
        self.at(span)
    }

    /// The value of `name.key` as workspace `workspace` sees it: its override there, else the
    /// block's own attribute.
    fn value(&self, workspace: &str, kind: &str, name: &str, key: &str) -> Option<&'a Value> {
        let overridden = self.blocks.get(&("workspace", workspace)).and_then(|ws| {
            ws.attrs
                .iter()
                .find(|a| matches!(a.key.as_slice(), [b, k] if b.text == name && k.text == key))
        });
        let own = || {
            self.blocks.get(&(kind, name)).and_then(|b| {
                b.attrs
                    .iter()
                    .find(|a| matches!(a.key.as_slice(), [k] if k.text == key))
            })
        };
        overridden.or_else(own).map(|a| &a.value)
    }

    /// Where `name.key` is written (else the block's name).
    pub fn attr(&self, workspace: &str, kind: &str, name: &str, key: &str) -> At {
        match self.value(workspace, kind, name, key) {
            Some(value) => self.at(value.span),
            None => self.block(kind, name),
        }
    }

    /// Where `word` is written in `name.key` (`ledger` in `reads = [ledger, catalog]`, a gate's
    /// replication), else the whole value.
    pub fn word(&self, workspace: &str, kind: &str, name: &str, key: &str, word: &str) -> At {
        let found = self
            .value(workspace, kind, name, key)
            .and_then(|value| find_word(value, word));
        match found {
            Some(span) => self.at(span),
            None => self.attr(workspace, kind, name, key),
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
                at: locate.block("database", db.name.as_str()),
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
                Service {
                    name: name.to_string(),
                    at: locate.block("service", name),
                    // Today every database a service names, it may write.
                    writes: s
                        .reads
                        .iter()
                        .map(|db| Use {
                            database: db.name().to_string(),
                            at: locate.word(ws, "service", name, "reads", db.name().as_str()),
                        })
                        .collect(),
                    reads: Vec::new(),
                    via: s.route.as_ref().map(|r| r.via.name().to_string()),
                    health_at: locate.attr(ws, "service", name, "health"),
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
    Source {
        replication: name.to_string(),
        at: locate.attr(ws, "replication", name, "to"),
        host: format!(
            "{} {}:{}",
            r.source.engine.profile().keyword,
            r.source.host,
            r.source.port.get()
        ),
        host_at: locate.attr(ws, "replication", name, "from"),
        cdc: r.mode != MigrationMode::FullLoad,
        back: None,
    }
}

fn cutover(c: &model::Cutover, ws: &str, locate: &Locator) -> Cutover {
    let name = c.name.as_str();
    let gate = c.gate.as_ref();
    Cutover {
        name: name.to_string(),
        at: locate.block("cutover", name),
        record: c.record.clone(),
        legacy: c.legacy_host.clone(),
        service: c.service.name().to_string(),
        service_at: locate.attr(ws, "cutover", name, "aws"),
        phases: c.phases.clone(),
        phases_at: locate.attr(ws, "cutover", name, "phases"),
        rollback: c.rollback,
        rollback_at: locate.attr(ws, "cutover", name, "rollback"),
        gate: gate
            .map(|g| {
                g.conditions
                    .iter()
                    .map(|cond| cond.replication.name().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        gate_text: gate.map(model::Gate::describe).unwrap_or_default(),
        gate_at: gate.map(|_| locate.attr(ws, "cutover", name, "gate")),
    }
}
