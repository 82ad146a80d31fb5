//! Exhaustive, breadth-first exploration of a plan, decomposed into small units, with the state
//! count measured.
//!
//! **The decomposition and why it is sound.** The properties are about one database's data at
//! a time: the data-centre database a replication copies from and the Aurora cluster it copies
//! into (a *unit*; a database fed by two replications has two). A unit's copies change only
//! through its own data cutover, its replications and the writes of the services that use it;
//! the rest of the stack reaches it only through the cutovers in front of those services, and
//! only through one bit: whether some service that writes the database receives traffic. So each
//! unit is explored on its own, with the cutovers' other effects left free (a gate's recovery
//! waits for the replications of *this* unit it watches; those of other units it is allowed to
//! ignore, which only adds behaviour): every real run projects onto a run of the unit, so a unit
//! without a violation proves the stack's runs have none for that data.
//!
//! One cutover per unit is enough: any single cutover in front of a writer can turn that bit on
//! (its next phase) and off (its previous phases or rollback, without ever tripping) at any
//! moment, and nothing else of the unit depends on which cutover did, so the sequences of
//! (unit state, bit) — everything the properties read — are the same with one cutover as with
//! all of them. Each cutover in front is still explored, and the shortest counterexample kept;
//! a writer no cutover holds back receives traffic all the time, and then no cutover matters.
//! Each unit has at most a few thousand states, so a stack checks in time linear in its
//! databases and the cutovers in front of their writers.

use super::machine::{Conclusion, Front, Run, Unit};
use super::state::{Site, State, Step};
use super::words::Trace;
use super::{Database, Plan, Service, Source};

/// The outcome of checking a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// States visited in all units.
    pub states: usize,
    /// One per database a replication feeds, in the stack's order.
    pub databases: Vec<DatabaseVerdict>,
}

impl Verdict {
    pub fn is_safe(&self) -> bool {
        self.databases
            .iter()
            .all(|d| d.split.is_none() && d.lost.is_none())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseVerdict {
    pub database: String,
    /// The data-centre databases its data comes from (`mysql db.corp.example.com:3306`).
    pub sources: Vec<String>,
    pub states: usize,
    /// A shortest run to a state where two copies accept writes (P1).
    pub split: Option<Trace>,
    /// A shortest run to a state where a write is lost (P2).
    pub lost: Option<Trace>,
}

/// Explores every unit of `plan`.
pub fn check(plan: &Plan) -> Verdict {
    let databases: Vec<DatabaseVerdict> = plan
        .databases
        .iter()
        .filter(|db| !db.sources.is_empty())
        .map(|db| check_database(plan, db))
        .collect();
    Verdict {
        states: databases.iter().map(|d| d.states).sum(),
        databases,
    }
}

fn check_database(plan: &Plan, db: &Database) -> DatabaseVerdict {
    let mut verdict = DatabaseVerdict {
        database: db.name.clone(),
        sources: db.sources.iter().map(|s| s.host.clone()).collect(),
        states: 0,
        split: None,
        lost: None,
    };
    for source in &db.sources {
        for unit in units(plan, db, source) {
            let found = explore(&unit);
            verdict.states += found.visited.len();
            let render = |run: &Run, conclusion| super::words::trace(&unit, run, conclusion);
            keep_shortest(
                &mut verdict.split,
                found.split.map(|run| render(&run, Conclusion::Split)),
            );
            keep_shortest(
                &mut verdict.lost,
                found
                    .lost
                    .map(|(run, site)| render(&run, Conclusion::Lost(site))),
            );
        }
    }
    verdict
}

fn keep_shortest(kept: &mut Option<Trace>, found: Option<Trace>) {
    if let Some(found) = found
        && kept
            .as_ref()
            .is_none_or(|k| found.steps.len() < k.steps.len())
    {
        *kept = Some(found);
    }
}

/// The services that write `db`, each with the cutovers in front of it.
fn writers<'p>(plan: &'p Plan, db: &Database) -> Vec<(&'p Service, Vec<&'p super::Cutover>)> {
    plan.services
        .iter()
        .filter(|s| s.writes.iter().any(|u| u.database == db.name))
        .map(|s| (s, plan.fronts(s).collect()))
        .collect()
}

/// The units of one source of `db`: one per cutover in front of a writer, or a single one when
/// a writer runs without a cutover (or nothing writes the database).
pub(super) fn units<'p>(plan: &'p Plan, db: &'p Database, source: &'p Source) -> Vec<Unit<'p>> {
    let writers = writers(plan, db);
    let unit = |writer, always_on, front| Unit {
        database: db,
        source,
        writer,
        always_on,
        front,
    };
    if let Some((always, _)) = writers.iter().find(|(_, fronts)| fronts.is_empty()) {
        return vec![unit(Some(*always), true, None)];
    }
    let mut units: Vec<Unit> = Vec::new();
    for cutover in &plan.cutovers {
        let Some((writer, _)) = writers
            .iter()
            .find(|(_, fronts)| fronts.iter().any(|c| c.name == cutover.name))
        else {
            continue;
        };
        let watches =
            |name: Option<&str>| name.is_some_and(|n| cutover.gate.iter().any(|g| g == n));
        units.push(unit(
            Some(*writer),
            false,
            Some(Front {
                cutover,
                service: plan.service(&cutover.service),
                watches_forward: watches(Some(&source.replication)),
                watches_back: watches(source.back.as_ref().map(|b| b.replication.as_str())),
            }),
        ));
    }
    if units.is_empty() {
        units.push(unit(None, false, None));
    }
    units
}

pub(super) struct Found {
    /// Every reachable state, in the order reached.
    pub visited: Vec<State>,
    pub split: Option<Run>,
    pub lost: Option<(Run, Site)>,
}

/// Breadth-first search over every reachable state of `unit`; each property is checked when a
/// state is first reached, so the first violation found is one of the nearest.
pub(super) fn explore(unit: &Unit) -> Found {
    let initial = unit.initial();
    let mut nodes: Vec<(State, Option<(usize, Step)>)> = vec![(initial, None)];
    // Each state's position in `nodes`, plus one (0: not reached yet).
    let mut seen = vec![0u32; State::COUNT];
    let mut mark = |state: State, id: usize| match seen.get_mut(state.index()) {
        Some(slot) if *slot == 0 => {
            *slot = u32::try_from(id + 1).unwrap_or(u32::MAX);
            true
        }
        _ => false,
    };
    mark(initial, 0);
    let mut split = unit.split(initial).then_some(0);
    let mut lost = unit.lost(initial).map(|site| (0, site));
    let mut next = 0;
    while let Some(&(state, _)) = nodes.get(next) {
        for (step, to) in unit.successors(state) {
            let id = nodes.len();
            if !mark(to, id) {
                continue;
            }
            nodes.push((to, Some((next, step))));
            if split.is_none() && unit.split(to) {
                split = Some(id);
            }
            if lost.is_none()
                && let Some(site) = unit.lost(to)
            {
                lost = Some((id, site));
            }
        }
        next += 1;
    }
    let path = |mut id: usize| {
        let mut steps = Vec::new();
        let end = nodes.get(id).map_or(initial, |n| n.0);
        while let Some((_, Some((parent, step)))) = nodes.get(id) {
            let before = nodes.get(*parent).map_or(initial, |n| n.0);
            steps.push((before, *step));
            id = *parent;
        }
        steps.reverse();
        Run { steps, end }
    };
    Found {
        visited: nodes.iter().map(|n| n.0).collect(),
        split: split.map(path),
        lost: lost.map(|(id, site)| (path(id), site)),
    }
}
