//! A run of the state machine in the stack's words: each step as one line (what happens, and
//! the place in the stack that allows it: the phases for a move, `rollback` for a rollback, the
//! gate or the health check for a trip, the service's `reads` for its write, the replication's
//! `to` for its task), what is wrong at the end of the run, and the fix.

use super::machine::{Conclusion, Run, Unit};
use super::state::{Phase, Site, Stage, State, Step};
use super::{Access, At, BackKind};
use crate::model::Percent;

/// A counterexample in the stack's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub steps: Vec<TraceStep>,
    /// What is wrong in the last state, and where the stack lets it happen.
    pub conclusion: TraceStep,
    /// The fix.
    pub help: String,
}

/// One line of a trace: what happens, and the place in the stack that allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    pub text: String,
    pub at: At,
}

/// A run of `unit` in the stack's words.
pub(super) fn trace(unit: &Unit, run: &Run, conclusion: Conclusion) -> Trace {
    let words = Words { unit };
    let steps: Vec<TraceStep> = run
        .steps
        .iter()
        .map(|(before, step)| words.step(*before, *step))
        .collect();
    let last = steps.last().map(|s| s.at);
    let (conclusion, help) = match conclusion {
        Conclusion::Split => (
            words.split(run.end, run.steps.is_empty()),
            words.split_help(run.end),
        ),
        Conclusion::Lost(site) => (
            words.lost(site, last.unwrap_or(words.writer_at())),
            words.lost_help(site, run.end),
        ),
    };
    Trace {
        steps,
        conclusion,
        help,
    }
}

struct Words<'u, 'p> {
    unit: &'u Unit<'p>,
}

impl Words<'_, '_> {
    fn db(&self) -> &str {
        &self.unit.database.name
    }
    fn host(&self) -> &str {
        &self.unit.source.host
    }
    fn forward(&self) -> &str {
        &self.unit.source.replication
    }
    fn back(&self) -> Option<&str> {
        self.unit
            .source
            .back
            .as_ref()
            .map(|b| b.replication.as_str())
    }
    fn writer(&self) -> &str {
        self.unit.writer.map_or("?", |w| w.name.as_str())
    }
    /// Where the writer says it uses the database (`reads = ledger`).
    fn writer_at(&self) -> At {
        self.unit
            .writer
            .and_then(|w| w.writes.iter().find(|u| u.database == self.db()))
            .map_or(self.unit.database.at, |u| u.at)
    }
    fn data_at(&self) -> At {
        self.unit
            .database
            .data_cutover
            .map_or(self.unit.database.at, |d| d.at)
    }
    fn say(&self, text: String, at: At) -> TraceStep {
        TraceStep { text, at }
    }

    fn step(&self, before: State, step: Step) -> TraceStep {
        let (db, host, forward) = (self.db(), self.host(), self.forward());
        let back = self.back().unwrap_or("?");
        match step {
            Step::Move(weight) => self.cutover_move(before, weight),
            Step::Rollback => self.cutover_rollback(),
            Step::Trip | Step::Recover => self.gate(step == Step::Trip),
            Step::Data(stage) => self.data(before.stage, stage),
            Step::WriteAurora => {
                let how = match self.unit.database.access {
                    Access::Direct => format!(
                        ", which replication `{forward}` only writes into (its `reads` is the cluster's writer endpoint)"
                    ),
                    Access::Writer { .. } => " through the writer name".to_string(),
                };
                let free = if self.unit.always_on {
                    " (no cutover holds it back)"
                } else {
                    ""
                };
                self.say(
                    format!(
                        "service `{}`{free} accepts a write on database `{db}`'s Aurora cluster{how}",
                        self.writer()
                    ),
                    self.writer_at(),
                )
            }
            Step::WriteDataCentre => {
                let through = matches!(self.unit.database.access, Access::Writer { .. })
                    && self.unit.active(before)
                    && self.unit.sees(before, Site::DataCentre);
                if through {
                    self.say(
                        format!(
                            "service `{}` accepts a write on `{host}` through the writer name",
                            self.writer()
                        ),
                        self.writer_at(),
                    )
                } else {
                    self.say(
                        format!("the data centre's applications accept a write on `{host}`"),
                        self.unit.source.host_at,
                    )
                }
            }
            Step::CarryForward => self.say(
                format!("replication `{forward}` carries the data centre's writes into the Aurora cluster of `{db}`"),
                self.unit.source.at,
            ),
            Step::CarryBack => self.say(
                format!("replication `{back}` carries the Aurora cluster's writes back to `{host}`"),
                self.back_at(),
            ),
            Step::Settle => self.say(
                format!("every service now reaches the writer of `{db}` where it points (DNS caches expired, connection pools recycled)"),
                match self.unit.database.access {
                    Access::Writer { at } => at,
                    Access::Direct => self.unit.database.at,
                },
            ),
            Step::ForwardFails | Step::ForwardRestarts | Step::BackFails | Step::BackRestarts => {
                let (name, at) = match step {
                    Step::ForwardFails | Step::ForwardRestarts => (forward, self.unit.source.at),
                    _ => (back, self.back_at()),
                };
                let what = match step {
                    Step::ForwardFails | Step::BackFails => "stops (its DMS task fails)",
                    _ => "is restarted",
                };
                self.say(format!("replication `{name}` {what}"), at)
            }
        }
    }

    fn back_at(&self) -> At {
        self.unit
            .source
            .back
            .as_ref()
            .map_or(self.unit.source.at, |b| b.at)
    }

    fn cutover_move(&self, before: State, weight: Percent) -> TraceStep {
        let Some(front) = &self.unit.front else {
            return self.say(format!("traffic moves to {weight}"), self.writer_at());
        };
        let c = front.cutover;
        let what = match Phase::of(weight) {
            Phase::Zero => format!("sends all of `{}` back to `{}`", c.record, c.legacy),
            Phase::Full => format!("sends all of `{}` to service `{}`", c.record, c.service),
            Phase::Partial => format!(
                "sends {weight} of `{}` to service `{}`",
                c.record, c.service
            ),
        };
        // The abstract step from the first partial phase to 100% stands for the moves through
        // the partial phases between, which change nothing for writes.
        let between: Vec<String> = c
            .phases
            .iter()
            .filter(|p| Phase::of(**p) == Phase::Partial)
            .skip(1)
            .map(Percent::to_string)
            .collect();
        let through = if before.phase == Phase::Partial
            && Phase::of(weight) == Phase::Full
            && !between.is_empty()
        {
            format!(" (after {})", between.join(", "))
        } else {
            String::new()
        };
        self.say(
            format!(
                "`pmigc move {} {weight}`{through} — cutover `{}` {what}",
                c.name, c.name
            ),
            c.phases_at,
        )
    }

    fn cutover_rollback(&self) -> TraceStep {
        let Some(front) = &self.unit.front else {
            return self.say("a rollback".to_string(), self.writer_at());
        };
        let c = front.cutover;
        let what = if c.rollback.get() == 0 {
            format!("all of `{}` goes back to `{}`", c.record, c.legacy)
        } else {
            format!("AWS's share of `{}` falls to {}", c.record, c.rollback)
        };
        self.say(
            format!(
                "the rollback of cutover `{}`: `pmigc move {} {}` — {what}",
                c.name, c.name, c.rollback
            ),
            c.rollback_at,
        )
    }

    fn gate(&self, trips: bool) -> TraceStep {
        let Some(front) = &self.unit.front else {
            return self.say("Route 53 changes its answer".to_string(), self.writer_at());
        };
        let c = front.cutover;
        let service = &c.service;
        let health_at = front.service.map_or(c.service_at, |s| s.health_at);
        match (&c.gate_at, trips) {
            (Some(gate_at), true) => self.say(
                format!(
                    "the gate of cutover `{}` trips (`{}` fails, or service `{service}` fails its health check): Route 53 takes `{service}` out, `{}` gets all of `{}`",
                    c.name, c.gate_text, c.legacy, c.record
                ),
                *gate_at,
            ),
            (Some(gate_at), false) => self.say(
                format!(
                    "the gate of cutover `{}` holds again: Route 53 sends service `{service}` its share of `{}` again",
                    c.name, c.record
                ),
                *gate_at,
            ),
            (None, true) => self.say(
                format!(
                    "service `{service}` fails its health check: Route 53 takes it out of `{}`, `{}` gets all of it",
                    c.record, c.legacy
                ),
                health_at,
            ),
            (None, false) => self.say(
                format!(
                    "service `{service}` passes its health check again: Route 53 sends it its share of `{}` again",
                    c.record
                ),
                health_at,
            ),
        }
    }

    /// The data cutover's runbook step from `before` to `next`.
    fn data(&self, before: Stage, next: Stage) -> TraceStep {
        let (db, host, forward) = (self.db(), self.host(), self.forward());
        let back = self.back();
        let cutover = format!("the data cutover of `{db}`");
        let rollback = format!("the data rollback of `{db}`");
        let drains_back = match back {
            Some(back) => format!("replication `{back}` drains to zero lag"),
            None => "no replication back to the data centre to drain".to_string(),
        };
        let text = match (before, next) {
            (_, Stage::WritesStopped) => format!("{cutover}: writes stop at `{host}`"),
            (_, Stage::Drained) => {
                format!("{cutover}: replication `{forward}` drains to zero lag")
            }
            (_, Stage::Validated) => format!("{cutover}: validation shows no differing rows"),
            (Stage::BothDcStopped, Stage::Aurora) => format!(
                "{cutover}: replication `{forward}` drains to zero lag and stops; only the Aurora cluster takes writes now"
            ),
            (Stage::BackStopped | Stage::BackDrained, Stage::Aurora) => format!(
                "{rollback} is abandoned before the switch: its services come back on the Aurora cluster"
            ),
            (_, Stage::Aurora) => {
                let fallback = match back {
                    Some(back) => {
                        format!("`{back}` starts, from the Aurora cluster back to `{host}`")
                    }
                    None => format!("no replication runs back to `{host}`"),
                };
                format!(
                    "{cutover}: the writer name switches to the Aurora cluster (services follow as their DNS caches expire), replication `{forward}` stops, {fallback}"
                )
            }
            (_, Stage::BackStopped) => format!("{rollback}: writes stop on the Aurora cluster"),
            (_, Stage::BackDrained) => format!("{rollback}: {drains_back}"),
            (_, Stage::DcResumed) => format!("{rollback}: `{host}` takes writes again"),
            (before, Stage::SwitchedBack) => format!(
                "{rollback}: {}the writer name switches back to `{host}` (services follow as their DNS caches expire), replication `{forward}` starts again{}",
                if before == Stage::BothAuroraStopped {
                    format!("{drains_back}, ")
                } else {
                    String::new()
                },
                back.map(|b| format!(", `{b}` stops")).unwrap_or_default()
            ),
            (Stage::SwitchedBack, Stage::Datacentre) => format!(
                "{rollback}: its services come back, each writing where the writer name points for it"
            ),
            (_, Stage::Datacentre) => {
                format!("{cutover} is abandoned before the switch: `{host}` takes writes again")
            }
            (Stage::Datacentre, Stage::Both) => format!(
                "writes on both sides for `{db}`: the writer name switches to the Aurora cluster for the services (they follow as their DNS caches expire), {}, and `{host}` keeps the data centre's writes",
                back.map_or("no replication runs back".to_string(), |b| format!(
                    "`{b}` starts back to `{host}`"
                ))
            ),
            (Stage::Aurora, Stage::Both) => format!(
                "writes on both sides for `{db}`: `{host}` takes writes again and replication `{forward}` starts again"
            ),
            (_, Stage::Both) => format!("writes on both sides for `{db}` again"),
            (_, Stage::BothDcStopped) => format!(
                "from writes on both sides to the Aurora cluster alone, for `{db}`: writes stop at `{host}`"
            ),
            (_, Stage::BothAuroraStopped) => format!(
                "from writes on both sides back to the data centre, for `{db}`: writes stop on the Aurora cluster"
            ),
        };
        self.say(text, self.data_at())
    }

    /// P1 at the end of a run (`start`: the run has no step, the first apply is enough).
    fn split(&self, end: State, start: bool) -> TraceStep {
        let (db, host, forward) = (self.db(), self.host(), self.forward());
        let why = match (self.unit.back(), self.back()) {
            (Some(BackKind::TwoWay { .. }), Some(back)) => format!(
                "two-way replication `{back}` joins them without loopback prevention, so each change comes back to where it was made"
            ),
            _ => format!(
                "replication `{forward}` copies one way only: DMS is not a multi-master solution, so each side misses the other's writes and colliding keys stop the task or overwrite rows"
            ),
        };
        let writers = if self.unit.sees(end, Site::DataCentre) {
            "the data centre's applications and services write"
        } else {
            "the data centre's applications write"
        };
        let when = if start {
            format!(
                "from the first apply, service `{}` (no cutover holds it back)",
                self.writer()
            )
        } else if self.stale(end) {
            format!(
                "now service `{}`, which still has the writer name's old answer,",
                self.writer()
            )
        } else {
            format!("now service `{}`", self.writer())
        };
        self.say(
            format!(
                "{when} writes database `{db}`'s Aurora cluster while {writers} `{host}`, and {why}"
            ),
            self.writer_at(),
        )
    }

    /// Services come back, or write, while the switch of the writer back to the data centre is
    /// half done: some still reach Aurora, which nothing stops then.
    fn stale(&self, end: State) -> bool {
        matches!(self.unit.database.access, Access::Writer { .. })
            && end.stage == Stage::Datacentre
            && self.unit.database.data_cutover.is_some()
    }

    fn stale_help(&self) -> String {
        format!(
            "bring the services of `{}` back only once the writer name resolves to `{}` for every one of them (the record's TTL after the switch back): once they are back, nothing stops writes on the Aurora cluster",
            self.db(),
            self.host()
        )
    }

    fn split_help(&self, end: State) -> String {
        let (db, host, forward) = (self.db(), self.host(), self.forward());
        if self.stale(end) && !end.settled {
            return self.stale_help();
        }
        match (self.unit.back(), self.back(), self.unit.database.access) {
            (Some(BackKind::TwoWay { .. }), Some(back), _) => format!(
                "turn on loopback prevention for `{back}` (DMS marks the changes it applies so they are not sent back) and keep the two sides' keys apart"
            ),
            (_, _, Access::Direct) => format!(
                "until the data cutover of `{db}`, its services must write at the data centre's primary (`{host}`), which `{forward}` copies from; the data cutover then stops writes there, drains `{forward}`, switches the writer to Aurora and starts a fallback replication back. Writes on both sides need a two-way replication with loopback prevention"
            ),
            _ => format!(
                "stop writes at `{host}` before any service writes the Aurora cluster of `{db}`: that is where the data cutover starts"
            ),
        }
    }

    /// P2 at the end of a run: the write on `site` is lost at `at` (the last step).
    fn lost(&self, site: Site, at: At) -> TraceStep {
        let (db, host, forward) = (self.db(), self.host(), self.forward());
        let text = match site {
            Site::Aurora => {
                let carrier = match self.back() {
                    None => "no replication carries it there".to_string(),
                    Some(back) => format!("replication `{back}`, stopped, does not carry it"),
                };
                format!(
                    "here the write on the Aurora cluster is on no primary any more (`{host}` serves `{db}`) and {carrier}: it is lost"
                )
            }
            Site::DataCentre => format!(
                "here the write on `{host}` is on no primary any more (the Aurora cluster serves `{db}`) and replication `{forward}` does not carry it there: it is lost"
            ),
        };
        self.say(text, at)
    }

    fn lost_help(&self, site: Site, end: State) -> String {
        let (db, host, forward) = (self.db(), self.host(), self.forward());
        if site == Site::Aurora && self.stale(end) && self.unit.back().is_some() {
            return self.stale_help();
        }
        if matches!(end.stage, Stage::BothDcStopped | Stage::BothAuroraStopped) {
            let (from, task) = match site {
                Site::DataCentre => (format!("`{host}`"), forward.to_string()),
                Site::Aurora => (
                    "the Aurora cluster".to_string(),
                    self.back().unwrap_or("?").to_string(),
                ),
            };
            return format!(
                "leaving writes on both sides, the last writes on {from} reach the other copy only through `{task}`, and a task that stops before it drains leaves them where nobody is served from: move the writer of `{db}` with the one-way data cutover instead (writes stop where the writer still points, the replication drains, then the writer switches)"
            );
        }
        match (site, self.unit.back(), self.back()) {
            (Site::DataCentre, _, _) => format!(
                "drain `{forward}` to zero lag with writes stopped at `{host}` before the writer of `{db}` switches to Aurora"
            ),
            (Site::Aurora, Some(BackKind::TwoWay { .. }), Some(back)) => format!(
                "a two-way replication keeps a write only while its task runs: when `{back}` stops after AWS lost its traffic, the write waits on a copy nobody is served from; move the writer of `{db}` with a data cutover instead (writes stop, the replication drains, the writer switches)"
            ),
            (Site::Aurora, Some(BackKind::Fallback), Some(back)) => format!(
                "switch the writer of `{db}` back only once `{back}` has drained to zero lag with writes stopped on the Aurora cluster"
            ),
            (Site::Aurora, _, _) if self.unit.database.data_cutover.is_some() => format!(
                "declare a fallback replication from `{db}` back to `{host}`: the data rollback drains it before the writer switches back"
            ),
            (Site::Aurora, _, _) => format!(
                "nothing carries a write on the Aurora cluster back to `{host}`: let services write at the data centre's primary until the data cutover of `{db}`, and declare a fallback replication that runs back from the data cutover on"
            ),
        }
    }
}
