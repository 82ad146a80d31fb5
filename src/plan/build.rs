//! The plan of a checked model: [`Plan::from_stack`], the one function that reads the model,
//! and [`Locator`], which finds in the stack's syntax tree the place each element comes from
//! (the model keeps only block headers; a trace points at the attribute that allows a step:
//! `rollback = 0%`, `reads = ledger`, `gate = …`), a workspace's override first.
//!
//! A service that writes a database a replication feeds reaches it through the writer name
//! pmigc switches (`Access::Writer`: the data centre's primary until the data cutover this
//! workspace owns moves it); a database no replication feeds is written on Aurora from the start
//! (`Access::Direct`). `reads = DB.reader` is a read (`Service::reads`). The data cutover this
//! workspace owns gives the database its `DataCutover` and the replication it drains its
//! fallback (`Source::back`); a workspace that does not own it never moves the writer, and its
//! services may not write the database (PMG0830).

use super::{
    Access, At, Back, BackKind, Cutover, DataCutover, Database, Plan, Service, Source, Use,
};
use crate::model::{self, MigrationMode, Stack, WritePath};
use crate::syntax::ast::{Attr, Block, File, Item, Span, TermKind, Value};
use crate::syntax::line_index::LineIndex;
use std::collections::HashMap;

/// Where things are written in a stack's text.
pub(crate) struct Locator<'a> {
    lines: LineIndex<'a>,
    /// `(kind, name)` → block, for the blocks a plan points into.
    blocks: HashMap<(&'a str, &'a str), &'a Block>,
    /// `(workspace, block)` → the workspace's overrides of that block (`block.key = …`), in
    /// the order written: a block's lookup costs its own overrides, not the workspace's all.
    overrides: HashMap<(&'a str, &'a str), Vec<&'a Attr>>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(file: &'a File, text: &'a str) -> Locator<'a> {
        let blocks: HashMap<(&'a str, &'a str), &'a Block> = file
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
        let mut overrides: HashMap<(&'a str, &'a str), Vec<&'a Attr>> = HashMap::new();
        // The workspace blocks `blocks` holds (one per name), each read in its own order.
        let workspaces = blocks.iter().filter(|((kind, _), _)| *kind == "workspace");
        for (&(_, workspace), block) in workspaces {
            for attr in &block.attrs {
                if let [target, _] = attr.key.as_slice() {
                    overrides
                        .entry((workspace, target.text.as_str()))
                        .or_default()
                        .push(attr);
                }
            }
        }
        Locator {
            lines: LineIndex::new(text),
            blocks,
            overrides,
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
    pub(crate) fn block<'l>(
        &'l self,
        workspace: &'l str,
        kind: &str,
        name: &'l str,
    ) -> Place<'l, 'a> {
        Place {
            locator: self,
            overrides: self
                .overrides
                .get(&(workspace, name))
                .map_or(&[], Vec::as_slice),
            block: self.blocks.get(&(kind, name)).copied(),
        }
    }
}

/// A block of the stack, and the workspace whose overrides apply to it.
pub(crate) struct Place<'l, 'a> {
    locator: &'l Locator<'a>,
    /// The workspace's overrides of this block.
    overrides: &'l [&'a Attr],
    block: Option<&'a Block>,
}

impl<'a> Place<'_, 'a> {
    /// The block's name.
    pub(crate) fn name(&self) -> At {
        let span = self
            .block
            .and_then(|b| b.header.get(1))
            .map(|n| n.span)
            .unwrap_or_default();
        self.locator.at(span)
    }

    /// The value of `key`: the workspace's override, else the block's own attribute.
    fn value(&self, key: &str) -> Option<&'a Value> {
        let overridden = self
            .overrides
            .iter()
            .copied()
            .find(|a| matches!(a.key.as_slice(), [_, k] if k.text == key));
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
    pub(crate) fn attr(&self, key: &str) -> At {
        match self.value(key) {
            Some(value) => self.locator.at(value.span),
            None => self.name(),
        }
    }

    /// Where `word` is written in `key` (`ledger` in `reads = [ledger, catalog]`), else the
    /// whole value.
    pub(crate) fn word(&self, key: &str, word: &str) -> At {
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
    /// The plan of one workspace's checked model, `stack`, of the stack `text`.
    pub fn of(stack: &Stack, text: &str) -> Plan {
        let (file, _) = crate::syntax::parse(text);
        Plan::from_stack(stack, &Locator::new(&file, text))
    }

    /// The plan of one workspace's checked model.
    pub(crate) fn from_stack(stack: &Stack, locate: &Locator) -> Plan {
        let ws = stack.workspace.name.as_str();
        let databases = stack
            .database_ids()
            .map(|(id, db)| {
                let path = stack.write_path(&id);
                let owned = match &path {
                    WritePath::Replicated { owned, .. } => *owned,
                    WritePath::Aurora => None,
                };
                let place = locate.block(ws, "database", db.name.as_str());
                let data_cutover = owned.map(|d| locate.block(ws, "data_cutover", d.name.as_str()));
                Database {
                    name: db.name.to_string(),
                    at: place.name(),
                    sources: stack
                        .replications
                        .iter()
                        .filter(|r| r.target.name() == &db.name)
                        .map(|r| {
                            let mut source = source(r, ws, locate);
                            if let (Some(d), Some(at)) = (owned, &data_cutover)
                                && d.replication.name() == &r.name
                            {
                                source.back = Some(Back {
                                    replication: d.name.to_string(),
                                    at: at.attr("fallback"),
                                    kind: BackKind::Fallback,
                                });
                            }
                            source
                        })
                        .collect(),
                    access: match path {
                        WritePath::Aurora => Access::Direct,
                        WritePath::Replicated { .. } => Access::Writer {
                            at: data_cutover
                                .as_ref()
                                .map_or_else(|| place.name(), |at| at.attr("writer")),
                        },
                    },
                    data_cutover: owned.zip(data_cutover.as_ref()).map(|(d, at)| DataCutover {
                        at: at.name(),
                        // The data rollback switches the writer back in a targeted apply with
                        // the services still at zero, and restores their capacity only in a
                        // later step, once the writer record's TTL has passed
                        // (`runbook::data`): no instance can still hold Aurora's answer.
                        services_return_once_switched: true,
                        two_way: d.two_way.is_some(),
                    }),
                }
            })
            .collect();
        let services = stack
            .services
            .iter()
            .map(|s| {
                let name = s.name.as_str();
                let place = locate.block(ws, "service", name);
                let uses = |dbs: &mut dyn Iterator<Item = &model::Id<model::Database>>| {
                    dbs.map(|db| Use {
                        database: db.name().to_string(),
                        at: place.word("reads", db.name().as_str()),
                    })
                    .collect()
                };
                Service {
                    name: name.to_string(),
                    at: place.name(),
                    writes: uses(&mut s.writes()),
                    reads: uses(&mut s.reads.iter().filter(|db| s.reads_only(db))),
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
