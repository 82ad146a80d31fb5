//! Where writes go: the `data_cutover` block, the `writer` input type, and the rules that keep
//! one primary per database at every moment (`crate::model::writes` explains the model).
//!
//! A data cutover names a database that exactly one replication feeds, and that replication
//! must capture changes (PMG0820–0822, one data cutover per database: PMG0827). Its state in a
//! workspace may be `aurora` only while every cutover whose service writes the database is at
//! 100 %, since the legacy application writes the data centre's copy (PMG0823); `both` only with
//! a two-way replication that says how new keys are kept apart (PMG0824, 0825). A service that
//! writes a replicated database writes the data centre's primary before the data cutover, so
//! its network must reach it through the replication's VPN (PMG0826), and a database several
//! replications feed has no single primary to write (PMG0821). A workspace that does not own
//! the data cutover cannot move it (PMG0829). A replicated database that services write and no
//! data cutover names keeps its primary in the data centre for good (PMG0828, a warning).

mod diagnostics;
pub(crate) use diagnostics::{
    BothWithoutTwoWay, DataCutoverWithoutReplication, DuplicateDataCutover, KeysNotApart,
    NoDataCutover, NotTheOwner, NothingToDrain, PartialCopyCutover, SeveralPrimaries, TwoOwners,
    TwoPrimaries, UnownedDataCutoverOverride, WriterNotOwned, WriterUnreachable,
};

use super::context::Ctx;
use super::error::CheckError;
use super::hardening::with_reason;
use super::migration::CutoverFacts;
use super::names::Kind;
use crate::check::mismatch::TypeMismatch;
use crate::diag::at;
use crate::model::{
    self, DataCutover, Fallback, Id, KeysApart, Login, Lookup, MigrationMode, Stack, Tier, Writer,
};
use crate::syntax::ast::{Block, Ident, Span, Term, TermKind, Value, dotted};

use crate::registry::data_cutover::{
    self as key, DATABASE, FALLBACK, MAX_LAG, OWNER, PASSWORD, TWO_WAY, USERNAME, WRITER,
};

/// The words of the `writer` input type, in the order a migration moves through them.
pub(crate) const WRITER_STATES: [&str; 3] = ["datacentre", "both", "aurora"];

/// A data cutover as its block reads, before the replication it drains is known (that needs
/// every replication of the stack: `resolve`).
pub(crate) struct Pending {
    pub name: model::Name,
    pub database: Id<model::Database>,
    pub writer_input: model::Name,
    pub writer: Writer,
    pub writer_origin: model::Origin,
    pub fallback: Fallback,
    pub two_way: Option<KeysApart>,
    pub owner: Option<model::Name>,
    pub origin: model::Origin,
}

/// Spans the rules across blocks point at.
pub(crate) struct DataCutoverFacts {
    /// The database it names (to say a database's problem once, at its data cutover).
    pub database: model::Name,
    pub header_span: Span,
    pub database_span: Span,
    /// Where this workspace's state is written (the workspace's setting or the default).
    pub state_span: Span,
    pub two_way_span: Option<Span>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn data_cutover(
        &mut self,
        name: &'a Ident,
        block: &'a Block,
    ) -> Option<(Pending, DataCutoverFacts)> {
        let attrs = self.attrs::<key::Of>(name, block);
        let database_value = attrs.get(&DATABASE);
        let database =
            database_value.and_then(|v| self.reference(v, &[Kind::Database], "a database"));
        let writer = attrs.get(&WRITER).and_then(|v| self.writer_input(v));
        let fallback_class = attrs.get(&FALLBACK).and_then(|v| {
            self.instance_type(v, "DMS instance class", crate::aws::instances::DMS, &[])
        });
        let username = attrs
            .get(&USERNAME)
            .and_then(|v| self.string(v, "a user name"));
        let password = attrs
            .get(&PASSWORD)
            .and_then(|v| self.secret_ref(v, "the data centre login's password"));
        let max_lag = attrs.get(&MAX_LAG).and_then(|v| self.duration(v));
        let two_way_value = attrs.get(&TWO_WAY);
        let two_way = match two_way_value {
            Some(v) => self.two_way(v).map(Some),
            None => Some(None),
        };
        let owner = match attrs.get(&OWNER) {
            Some(v) => self
                .workspace_ref(v, "owns this data cutover's switch and fallback")
                .map(Some),
            None => Some(None),
        };
        let (writer_input, writer, state_span) = writer?;
        let database = self.decls.id(&database?.text)?;
        let (max_lag, _) = max_lag?;
        let database_name = database.name().clone();
        Some((
            Pending {
                name: model::Name::checked(name.text.clone()),
                database,
                writer_input,
                writer,
                writer_origin: self.origin(state_span),
                fallback: Fallback {
                    instance_class: fallback_class?,
                    login: Login {
                        username: username?,
                        password: password?,
                    },
                    max_lag,
                },
                two_way: two_way?,
                owner: owner?,
                origin: self.origin(block.header_span),
            },
            DataCutoverFacts {
                database: database_name,
                header_span: block.header_span,
                database_span: database_value.map(|v| v.span).unwrap_or_default(),
                state_span,
                two_way_span: two_way_value.map(|v| v.span),
            },
        ))
    }

    /// `writer = ledger_writer`: an input of type `writer`, so that each workspace sets its
    /// own state (like a cutover's weight). Returns the input, its value here, and where that
    /// value is written.
    fn writer_input(&mut self, value: &'a Value) -> Option<(model::Name, Writer, Span)> {
        let expected = "where writes go (datacentre, both, aurora)";
        let (resolved, input) = self.follow_typed(value, &["writer"], expected)?;
        let Some(input) = input else {
            self.error(TypeMismatch {
                expected: "an input of type writer".into(),
                found: "a fixed value".into(),
                at: at(value.span),
                help: Some("declare `input ledger_writer: writer = datacentre` and write `writer = ledger_writer`, so each workspace can set its own state and `pmigc move` can change it".into()),
            });
            return None;
        };
        let state = self.writer_state(resolved)?;
        Some((
            model::Name::checked(input.text.clone()),
            state,
            resolved.span,
        ))
    }

    /// One of `datacentre`, `both`, `aurora` (an input of type `writer`'s value).
    pub(crate) fn writer_state(&mut self, value: &'a Value) -> Option<Writer> {
        let word = self.word(value, "writer state", &WRITER_STATES)?;
        Writer::parse(word)
    }

    /// `auto_increment STEP datacentre N aurora M` or `keys_apart because "REASON"`.
    fn two_way(&mut self, value: &'a Value) -> Option<KeysApart> {
        let shape =
            "`auto_increment 2 datacentre 1 aurora 2` (MySQL) or `keys_apart because \"REASON\"`";
        if let Some((first, reason)) = with_reason(value)
            && word_is(first, "keys_apart")
        {
            return self
                .reason_text(reason, |span| KeysNotApart {
                    problem: "writes on both sides need the reason their new keys cannot collide"
                        .into(),
                    at: at(span),
                    label: "not a reason".into(),
                    help: Some("say in quotes, in a few words, how each side's new rows get keys the other never makes (sequences with disjoint ranges, keys owned by one side): it is what the next engineer reads".into()),
                }.into())
                .map(KeysApart::Stated);
        }
        let [kind, step, dc_word, dc, aurora_word, aurora] = value.terms.as_slice() else {
            self.mismatch(value, shape, None);
            return None;
        };
        if !word_is(kind, "auto_increment")
            || !word_is(dc_word, "datacentre")
            || !word_is(aurora_word, "aurora")
        {
            self.mismatch(value, shape, None);
            return None;
        }
        // MySQL takes 1 to 65535 for both variables.
        let number = |ctx: &mut Ctx<'a>, term: &'a Term, what: &str| -> Option<u16> {
            let parsed = match &term.kind {
                TermKind::Quantity { number, unit: None } => number.parse::<u16>().ok(),
                _ => None,
            };
            match parsed.filter(|n| *n >= 1) {
                Some(n) => Some(n),
                None => {
                    ctx.error(TypeMismatch {
                        expected: format!("{what}: a whole number from 1 to 65535"),
                        found: term.kind.describe().into(),
                        at: at(term.span),
                        help: None,
                    });
                    None
                }
            }
        };
        let increment = number(self, step, "an auto_increment step");
        let datacentre_offset = number(self, dc, "the data centre's auto_increment offset");
        let aurora_offset = number(self, aurora, "Aurora's auto_increment offset");
        let (increment, datacentre_offset, aurora_offset) =
            (increment?, datacentre_offset?, aurora_offset?);
        let problem = if increment < 2 {
            Some((
                step.span,
                format!(
                    "an auto_increment step of {increment} makes both sides generate every key"
                ),
                "at least 2: one offset per side".to_string(),
            ))
        } else if datacentre_offset == aurora_offset {
            Some((
                aurora.span,
                format!(
                    "both sides generate keys at offset {aurora_offset}: every new key may be taken twice"
                ),
                "the same offset as the data centre's".to_string(),
            ))
        } else {
            [(dc, datacentre_offset), (aurora, aurora_offset)]
                .into_iter()
                .find(|(_, o)| *o > increment)
                .map(|(term, offset)| {
                    (
                        term.span,
                        format!(
                            "an auto_increment offset of {offset} is above the step {increment}: MySQL then ignores the offset"
                        ),
                        format!("at most {increment}"),
                    )
                })
        };
        if let Some((span, problem, label)) = problem {
            self.error(KeysNotApart {
                problem,
                at: at(span),
                label,
                help: Some("give both sides the step and distinct offsets from 1 to the step, e.g. `auto_increment 2 datacentre 1 aurora 2`: MySQL's auto_increment_increment and auto_increment_offset (pmigc sets Aurora's, the runbook says to set the data centre's)".into()),
            });
            return None;
        }
        Some(KeysApart::AutoIncrement {
            increment,
            datacentre_offset,
            aurora_offset,
        })
    }
}

fn word_is(term: &Term, word: &str) -> bool {
    matches!(&term.kind, TermKind::Path(p) if dotted(p) == word)
}

/// Gives each data cutover the one replication it drains (PMG0820, 0821, 0822) and refuses a
/// second data cutover of a database (PMG0827); returns the complete data cutovers, and
/// whether every pending one became one.
///
/// `checked`: every block checked. When some did not, a replication that seems missing may
/// be one with an error of its own (already reported), so nothing is said of it.
pub(crate) fn resolve(
    ctx: &mut Ctx,
    stack: &Stack,
    pending: Vec<(Pending, DataCutoverFacts)>,
    replications: &[(model::Name, super::migration::ReplicationFacts)],
    checked: bool,
) -> (Vec<DataCutover>, bool) {
    let mut out: Vec<DataCutover> = Vec::new();
    let mut complete = true;
    let mut seen: Vec<(Id<model::Database>, model::Name, Span)> = Vec::new();
    for (p, facts) in pending {
        if let Some((_, first, first_span)) = seen.iter().find(|(db, _, _)| db == &p.database) {
            ctx.error(DuplicateDataCutover {
                database: p.database.to_string(),
                first: first.to_string(),
                second: p.name.to_string(),
                at: at(facts.header_span),
                first_at: at(*first_span),
            });
            complete = false;
            continue;
        }
        seen.push((p.database.clone(), p.name.clone(), facts.header_span));
        let feeding: Vec<&model::Replication> = stack.feeding(&p.database).collect();
        let replication = match feeding.as_slice() {
            [] if !checked => {
                complete = false;
                continue;
            }
            [] => {
                let database_at = stack
                    .find(&p.database)
                    .map(|d| Span::new(d.origin.start, d.origin.end))
                    .unwrap_or_default();
                ctx.error(DataCutoverWithoutReplication {
                    data_cutover: p.name.to_string(),
                    database: p.database.to_string(),
                    at: at(facts.database_span),
                    database_at: at(database_at),
                    help: Some(format!(
                        "a database no replication feeds is its own primary from the start (Aurora), with nothing to cut over: remove `data_cutover {}`, or declare the replication that brings the data centre's data into `{}`",
                        p.name, p.database
                    )),
                });
                complete = false;
                continue;
            }
            [one] => *one,
            [first, second, ..] => {
                ctx.error(several(
                    format!("data cutover `{}`", p.name),
                    "moves this database's writes".into(),
                    facts.database_span,
                    &p.database,
                    feeding.len(),
                    (first, second),
                ));
                complete = false;
                continue;
            }
        };
        partial_copy(ctx, &p, &facts, replication, replications);
        // A full load that a cutover relies on is refused already (PMG1205, `dns`): the same
        // `mode` is the cause, said once.
        if replication.mode == MigrationMode::FullLoad && relied_on(stack, replication) {
            complete = false;
            continue;
        }
        if replication.mode == MigrationMode::FullLoad {
            let mode_at = replications
                .iter()
                .find(|(n, _)| n == &replication.name)
                .and_then(|(_, f)| f.mode_span)
                .unwrap_or(Span::new(replication.origin.start, replication.origin.end));
            ctx.error(NothingToDrain {
                data_cutover: p.name.to_string(),
                replication: replication.name.to_string(),
                at: at(facts.database_span),
                mode_at: at(mode_at),
                help: Some(format!(
                    "follow the data centre's changes until the data cutover: `mode = full_load_and_cdc` in replication `{}`",
                    replication.name
                )),
            });
            complete = false;
            continue;
        }
        let Some(replication) = ctx
            .decls
            .id::<model::Replication>(replication.name.as_str())
        else {
            complete = false;
            continue;
        };
        out.push(DataCutover {
            name: p.name,
            database: p.database,
            replication,
            writer_input: p.writer_input,
            writer: p.writer,
            writer_origin: p.writer_origin,
            fallback: p.fallback,
            two_way: p.two_way,
            owner: p.owner,
            origin: p.origin,
        });
    }
    (out, complete)
}

/// Whether a cutover relies on `replication` (PMG1205's condition): its gate watches it, or,
/// without a gate, its service reads the database it feeds.
fn relied_on(stack: &Stack, replication: &model::Replication) -> bool {
    stack.cutovers.iter().any(|c| match &c.gate {
        Some(gate) => gate.covers(&replication.name),
        None => stack
            .find(&c.service)
            .is_some_and(|s| s.reads.contains(&replication.target)),
    })
}

/// PMG0821 for `what`, which needs `db`'s one primary, when `count` replications feed it.
fn several(
    what: String,
    label: String,
    span: Span,
    db: &Id<model::Database>,
    count: usize,
    (first, second): (&model::Replication, &model::Replication),
) -> CheckError {
    SeveralPrimaries {
        what,
        count,
        database: db.to_string(),
        at: at(span),
        label,
        first_at: at(Span::new(first.origin.start, first.origin.end)),
        first: first.name.to_string(),
        second_at: at(Span::new(second.origin.start, second.origin.end)),
        second: second.name.to_string(),
        help: Some(format!(
            "before its data cutover a database's writes go to the data centre's primary, the source of the replication that feeds it: with several sources there is none to write; feed `{db}` from one replication, or have the service only read it (`reads = {db}.reader`)"
        )),
    }.into()
}

/// The rules across blocks, on the blocks that checked. `complete`: every block checked, so
/// something missing is really missing.
pub(crate) fn check(
    ctx: &mut Ctx,
    stack: &Stack,
    data_cutovers: &[(model::Name, DataCutoverFacts)],
    cutovers: &[(model::Name, CutoverFacts)],
    complete: bool,
) {
    for data_cutover in &stack.data_cutovers {
        let Some(f) = data_cutovers
            .iter()
            .find(|(n, _)| n == &data_cutover.name)
            .map(|(_, f)| f)
        else {
            continue;
        };
        owner(ctx, stack, data_cutover, f);
        unowned_overrides(ctx, stack, data_cutover);
        two_primaries(ctx, stack, data_cutover, f, cutovers);
        both_sides(ctx, stack, data_cutover, f);
    }
    for service in &stack.services {
        not_owned(ctx, stack, service);
        for db in service.writes() {
            let feeding: Vec<&model::Replication> = stack.feeding(db).collect();
            let service_span = Span::new(service.origin.start, service.origin.end);
            match feeding.as_slice() {
                [] => {}
                [one] => reachable(ctx, stack, service, db, one),
                // Said once, at the database's data cutover, when it has one.
                [_, _, ..] if data_cutovers.iter().any(|(_, f)| &f.database == db.name()) => {}
                [first, second, ..] => ctx.error(several(
                    format!("service `{}`, which writes `{db}`,", service.name),
                    format!("writes `{db}`"),
                    service_span,
                    db,
                    feeding.len(),
                    (first, second),
                )),
            }
        }
    }
    if complete {
        never_cut_over(ctx, stack);
    }
}

/// PMG0829: only the owner moves a data cutover.
fn owner(ctx: &mut Ctx, stack: &Stack, data_cutover: &DataCutover, f: &DataCutoverFacts) {
    if let Some(owner) = &data_cutover.owner
        && !stack.owns(data_cutover)
        && data_cutover.writer != Writer::Datacentre
    {
        ctx.error(NotTheOwner {
            workspace: stack.workspace.name.to_string(),
            data_cutover: data_cutover.name.to_string(),
            state: data_cutover.writer.to_string(),
            owner: owner.to_string(),
            at: at(f.state_span),
            help: Some(format!(
                "only workspace `{owner}` switches `{}`'s writer and runs its fallback; leave `{}` at `datacentre` here",
                data_cutover.database, data_cutover.writer_input
            )),
        });
    }
}

/// PMG0845: a data cutover's switch and fallback are in its `owner`'s root only; an override
/// of the data cutover in any other workspace would be accepted and change nothing (like
/// PMG0834 for a cutover).
fn unowned_overrides(ctx: &mut Ctx, stack: &Stack, data_cutover: &DataCutover) {
    let Some(owner) = data_cutover
        .owner
        .as_ref()
        .filter(|_| !stack.owns(data_cutover))
    else {
        return;
    };
    let name = data_cutover.name.as_str();
    for (key, span) in super::dns::overrides_of(ctx, name) {
        let workspace = stack.workspace.name.to_string();
        ctx.error(UnownedDataCutoverOverride {
            help: Some(format!(
                "remove `{name}.{key}` from workspace `{workspace}`, or override it in workspace `{owner}`, whose root holds the switch and the fallback"
            )),
            workspace,
            data_cutover: name.to_string(),
            key,
            owner: owner.to_string(),
            at: at(span),
        });
    }
}

/// PMG0830: in a workspace that does not own a database's data cutover, nothing may write the
/// database. Its writes would go to the data centre's primary, which after the owner's data
/// cutover is the fallback's target: written behind Aurora's back, and lost when the data
/// centre goes.
fn not_owned(ctx: &mut Ctx, stack: &Stack, service: &model::Service) {
    for db in service.writes() {
        let Some(data_cutover) = stack.data_cutover_of(db).filter(|d| !stack.owns(d)) else {
            continue;
        };
        let owner = data_cutover
            .owner
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let ws = &stack.workspace.name;
        ctx.error(WriterNotOwned {
            service: service.name.to_string(),
            database: db.to_string(),
            workspace: ws.to_string(),
            at: at(super::spans::span_of(ctx, service.name.as_str(), &crate::registry::service::READS)),
            owner_at: at(Span::new(
                data_cutover.origin.start,
                data_cutover.origin.end,
            )),
            owner,
            help: Some(format!(
                "after the owner's data cutover the data centre's `{db}` is the fallback's target, where this workspace's writes would be lost: let `{}` only read here (`{}.reads = {db}.reader` in workspace `{ws}`), or give this workspace a source of its own",
                service.name, service.name
            )),
        });
    }
}

/// PMG0831: one data centre primary, one owner. Two workspaces that each own a data cutover of
/// the same source (host and port) would each switch it and each run a fallback into it.
pub(crate) fn one_owner_per_primary(stacks: &[Stack], errors: &mut Vec<CheckError>) {
    let mut seen: Vec<(String, u16, &str)> = Vec::new();
    let mut reported: Vec<(String, u16)> = Vec::new();
    for stack in stacks {
        for data_cutover in stack.owned_data_cutovers() {
            let Some(replication) = stack.find(&data_cutover.replication) else {
                continue;
            };
            let key = (
                replication.source.host.to_ascii_lowercase(),
                replication.source.port.get(),
            );
            let ws = stack.workspace.name.as_str();
            match seen
                .iter()
                .find(|(h, p, w)| (h, p) == (&key.0, &key.1) && *w != ws)
            {
                Some((_, _, first)) if !reported.contains(&key) => {
                    errors.push(TwoOwners {
                        first: first.to_string(),
                        second: ws.to_string(),
                        host: replication.source.host.clone(),
                        at: at(Span::new(
                            data_cutover.origin.start,
                            data_cutover.origin.end,
                        )),
                        help: Some(format!(
                            "name the one workspace that switches the writer and runs the fallback in data cutover `{}`: `owner = {first}` or `owner = {ws}`",
                            data_cutover.name
                        )),
                    }.into());
                    reported.push(key);
                }
                Some(_) => {}
                None => seen.push((key.0, key.1, ws)),
            }
        }
    }
}

/// PMG0823: Aurora takes the writes only once no cutover sends a writing service's traffic
/// to the legacy application.
fn two_primaries(
    ctx: &mut Ctx,
    stack: &Stack,
    data_cutover: &DataCutover,
    f: &DataCutoverFacts,
    cutovers: &[(model::Name, CutoverFacts)],
) {
    if data_cutover.writer != Writer::Aurora || !stack.owns(data_cutover) {
        return;
    }
    for cutover in &stack.cutovers {
        let Some(service) = stack.find(&cutover.service) else {
            continue;
        };
        if !service.writes().any(|db| db == &data_cutover.database) || cutover.weight.get() == 100 {
            continue;
        }
        let weight_at = cutovers
            .iter()
            .find(|(n, _)| n == &cutover.name)
            .map(|(_, cf)| cf.weight_span)
            .unwrap_or_default();
        let ws = &stack.workspace.name;
        ctx.error(TwoPrimaries {
            database: data_cutover.database.to_string(),
            workspace: ws.to_string(),
            cutover: cutover.name.to_string(),
            legacy: cutover.weight.complement().to_string(),
            at: at(f.state_span),
            weight_at: at(weight_at),
            weight: cutover.weight.to_string(),
            help: Some(format!(
                "the data cutover comes after the traffic: move the traffic first (`pmigc move {} 100% --workspace {ws}`); to roll the traffic back, roll the data back first (`pmigc move {} datacentre --workspace {ws}`)",
                cutover.name, data_cutover.name
            )),
        });
    }
}

/// PMG0824 and PMG0825: `both` only with a two-way replication, and MySQL's auto-increment
/// pair only on MySQL.
fn both_sides(ctx: &mut Ctx, stack: &Stack, data_cutover: &DataCutover, f: &DataCutoverFacts) {
    if data_cutover.writer == Writer::Both && data_cutover.two_way.is_none() {
        ctx.error(BothWithoutTwoWay {
            data_cutover: data_cutover.name.to_string(),
            at: at(f.state_span),
            help: Some(format!(
                "DMS resolves no conflict between two primaries: writes on both sides need `two_way = ...` in data cutover `{}`, saying how new keys are kept apart; otherwise write one side, `datacentre` before the data cutover, `aurora` after",
                data_cutover.name
            )),
        });
    }
    if let (Some(KeysApart::AutoIncrement { .. }), Some(span), Some(db)) = (
        &data_cutover.two_way,
        f.two_way_span,
        stack.find(&data_cutover.database),
    ) && db.profile().family != crate::engine::Family::Mysql
    {
        ctx.error(KeysNotApart {
            problem: format!(
                "database `{}` is {}, which has no auto_increment settings",
                db.name,
                db.profile().title
            ),
            at: at(span),
            label: "MySQL's way of keeping keys apart".into(),
            help: Some("state how the keys are kept apart instead (sequences with disjoint ranges, keys owned by one side): `two_way = keys_apart because \"...\"`".into()),
        });
    }
}

/// PMG0826: a service writing a replicated database reaches the data centre's primary through
/// the replication's VPN, from the private subnets (where the VPN's routes are propagated).
fn reachable(
    ctx: &mut Ctx,
    stack: &Stack,
    service: &model::Service,
    db: &Id<model::Database>,
    replication: &model::Replication,
) {
    let Some(network) = stack.find(&service.placement.network) else {
        return;
    };
    let vpn = &replication.source.vpn;
    // A service in another network than its database (PMG1218), or a database whose own
    // network lacks the VPN (PMG1216), is already reported: one cause, one diagnostic.
    let database_network = stack
        .find(db)
        .and_then(|d| stack.find(&d.placement.network));
    if database_network.is_none_or(|n| n.name != network.name || n.vpn.as_ref() != Some(vpn)) {
        return;
    }
    let why = if network.vpn.as_ref() != Some(vpn) {
        format!(
            "network `{}` has no VPN `{vpn}`: nothing routes to the data centre",
            network.name
        )
    } else if service.placement.tier == Tier::Public {
        format!(
            "in `{}.public`: the VPN's routes reach the private subnets only",
            network.name
        )
    } else {
        return;
    };
    let in_span = super::spans::span_of(ctx, service.name.as_str(), &crate::registry::service::IN);
    ctx.error(WriterUnreachable {
        service: service.name.to_string(),
        database: db.to_string(),
        at: at(in_span),
        why,
        source_at: at(Span::new(replication.origin.start, replication.origin.end)),
        host: replication.source.host.clone(),
        vpn: vpn.to_string(),
        help: Some(format!(
            "until the data cutover, `{db}`'s writes go to the data centre: place `{}` in a private tier of a network with `vpn = {vpn}`, or have it only read (`reads = {db}.reader`)",
            service.name
        )),
    });
}

/// PMG0828: a replicated database that services write, and that no data cutover names.
fn never_cut_over(ctx: &mut Ctx, stack: &Stack) {
    for db in &stack.databases {
        let written = stack
            .services
            .iter()
            .any(|s| s.writes().any(|w| w.name() == &db.name));
        let Some(replication) = stack
            .replications
            .iter()
            .find(|r| r.target.name() == &db.name)
        else {
            continue;
        };
        if !written
            || stack
                .data_cutovers
                .iter()
                .any(|d| d.database.name() == &db.name)
        {
            continue;
        }
        let writer = format!("{}_writer", db.name.address());
        ctx.error(NoDataCutover {
            database: db.name.to_string(),
            at: at(Span::new(db.origin.start, db.origin.end)),
            // The replication's name, not its source host: a host an input gives differs per
            // workspace, and the same problem in each workspace is one diagnostic.
            label: format!(
                "its services write the data centre's primary for good (replication `{}` copies it one way)",
                replication.name
            ),
            help: Some(format!(
                "declare the step that moves them, with its fallback: `input {writer}: writer = datacentre` and `data_cutover {}_data {{ database = {}, writer = {writer}, fallback = {}, username = \"...\", password = SECRET.KEY, max_lag = {}s }}`",
                db.name.address(),
                db.name,
                replication.instance_class,
                replication.max_lag.0
            )),
        });
    }
}

/// PMG0840 (a warning): a data cutover of a database its replication copies only in part. The
/// writer name moves every write to Aurora, while DMS carries forward, and the fallback
/// carries back, only the tables the replication selects: a write to any other table lands in
/// Aurora alone, and a data rollback leaves it there. pmigc cannot know which tables the
/// services write, so it says so rather than refusing.
fn partial_copy(
    ctx: &mut Ctx,
    p: &Pending,
    facts: &DataCutoverFacts,
    replication: &model::Replication,
    replications: &[(model::Name, super::migration::ReplicationFacts)],
) {
    if replication.tables.copies_everything() {
        return;
    }
    let spans = replications
        .iter()
        .find(|(n, _)| n == &replication.name)
        .map(|(_, f)| &f.tables);
    let tables_at = spans
        .and_then(|s| s.include.or(s.exclude))
        .unwrap_or(Span::new(replication.origin.start, replication.origin.end));
    ctx.error(PartialCopyCutover {
        data_cutover: p.name.to_string(),
        database: p.database.to_string(),
        replication: replication.name.to_string(),
        at: at(facts.database_span),
        tables_at: at(tables_at),
        help: Some(format!(
            "make sure the services that write `{}` write only tables replication `{}` copies (the fallback carries back the same ones), or widen `include` to every table they write",
            p.database, replication.name
        )),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_words_are_the_model_s() {
        let words: Vec<&str> = Writer::ALL.iter().map(|w| w.as_str()).collect();
        assert_eq!(words, WRITER_STATES);
    }
}
