//! The state machine of one *unit*: one data-centre database and the Aurora cluster a
//! replication copies it into (the two copies of the same data), with one cutover in front of
//! the services that write it (`explore` says why one is enough).
//!
//! A state holds the data cutover's progress (`Stage`, which fixes where the writer points,
//! which copy refuses application writes and which replication the runbook runs), whether every
//! service already sees the writer where it points (`settled`: DNS caches, pools), whether a
//! replication the runbook runs has failed, which copy holds writes the other lacks (the
//! abstraction of writes), and the cutover's phase — abstracted to none, part or all of the
//! traffic to AWS, which is all that matters to writes — and whether Route 53 has taken AWS out
//! (a gate or the service's health check). Transitions are the runbook's steps, writes and
//! their replication, and failures with their repairs.
//!
//! Who writes where: the data centre's own applications write its database whenever its writes
//! are not stopped (pmigc cannot see them, so it assumes they exist); the services write the
//! Aurora cluster directly (`Access::Direct`) or wherever the writer name points
//! (`Access::Writer`), while they receive traffic. A *primary* is a copy the application is
//! served from: the one the writer points at (the data centre before the data cutover, Aurora
//! after it, both while the switch is half done), any copy a service that receives traffic
//! uses, and any copy that takes writes.

use super::state::{Phase, Site, Stage, State, Step};
use super::{Access, BackKind, Cutover, Database, Service, Source};

/// A run from the initial state: each step with the state it starts from, and the last state.
pub(super) struct Run {
    pub steps: Vec<(State, Step)>,
    pub end: State,
}

/// Which property a run violates.
#[derive(Debug, Clone, Copy)]
pub(super) enum Conclusion {
    Split,
    /// The write on this copy is lost.
    Lost(Site),
}

/// What one exploration is about.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit<'p> {
    pub database: &'p Database,
    pub source: &'p Source,
    /// A service that writes the database (the one the trace names).
    pub writer: Option<&'p Service>,
    /// `writer` receives traffic whatever the cutovers do (no cutover is in front of it).
    pub always_on: bool,
    /// The cutover in front of `writer`, when it has one.
    pub front: Option<Front<'p>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Front<'p> {
    pub cutover: &'p Cutover,
    /// The service the cutover sends traffic to (`aws = …`), whose load balancer `writer` is
    /// on.
    pub service: Option<&'p Service>,
    /// Its gate watches the unit's forward replication, or the one back: Route 53 keeps AWS
    /// out while a watched task is stopped (its lag alarm treats missing data as breaching).
    pub watches_forward: bool,
    pub watches_back: bool,
}

impl Unit<'_> {
    pub(super) fn initial(&self) -> State {
        State {
            stage: Stage::Datacentre,
            settled: true,
            forward_failed: false,
            back_failed: false,
            dc_ahead: false,
            aurora_ahead: false,
            phase: Phase::Zero,
            out: false,
        }
    }

    fn switched(&self) -> bool {
        matches!(self.database.access, Access::Writer { .. })
    }

    /// The data cutover allows writes on both sides.
    fn two_way(&self) -> bool {
        self.database.data_cutover.is_some_and(|d| d.two_way)
    }

    pub(super) fn back(&self) -> Option<BackKind> {
        self.source.back.as_ref().map(|b| b.kind)
    }

    /// Whether the services that write the database reach `site`.
    pub(super) fn sees(&self, s: State, site: Site) -> bool {
        if self.switched() {
            site == s.stage.writer() || !s.settled
        } else {
            site == Site::Aurora
        }
    }

    /// Whether `site` refuses the applications' writes (the runbook stopped them).
    pub(super) fn stopped(&self, s: State, site: Site) -> bool {
        s.stage.stops(site)
    }

    /// The services that write the database receive traffic. While Route 53 has taken AWS out
    /// they get none, even at 100 %: when every record of nonzero weight is unhealthy Route 53
    /// answers with the records of weight 0, and the legacy record, which has no health check,
    /// is always healthy
    /// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
    pub(super) fn active(&self, s: State) -> bool {
        self.always_on || (self.front.is_some() && s.phase != Phase::Zero && !s.out)
    }

    pub(super) fn forward_runs(&self, s: State) -> bool {
        self.source.cdc && s.stage.runs_forward() && !s.forward_failed
    }

    fn back_scheduled(&self, stage: Stage) -> bool {
        match self.back() {
            None => false,
            Some(BackKind::TwoWay { .. }) => true,
            Some(BackKind::Fallback) => stage.runs_fallback(),
        }
    }

    pub(super) fn back_runs(&self, s: State) -> bool {
        self.back_scheduled(s.stage) && !s.back_failed
    }

    /// Whether `site` accepts application writes.
    pub(super) fn accepts(&self, s: State, site: Site) -> bool {
        !self.stopped(s, site)
            && match site {
                Site::DataCentre => true,
                Site::Aurora => self.active(s) && self.sees(s, site),
            }
    }

    /// Whether `site` is a primary: the application is served from it. Leaving writes on both
    /// sides for Aurora alone, the data centre stays the primary of its own last writes until
    /// the forward replication has drained them: the runbook switches only then (the same
    /// steps as the one-way data cutover, where the writer still points at the data centre
    /// while it drains), and a task that fails meanwhile is resumed, or writes return to both
    /// sides.
    pub(super) fn primary(&self, s: State, site: Site) -> bool {
        s.stage.writer() == site
            || s.stage == Stage::Both
            || (s.stage == Stage::BothDcStopped && site == Site::DataCentre)
            || (self.switched() && !s.settled)
            || (self.active(s) && self.sees(s, site))
            || self.accepts(s, site)
    }

    /// P1: both copies accept writes and no two-way replication with loopback prevention
    /// joins them. DMS is not a multi-master solution (no conflict resolution); two-way
    /// replication is two tasks whose loopback prevention keeps each side's changes from coming
    /// back to it (https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Task.CDC.html).
    pub(super) fn split(&self, s: State) -> bool {
        let joined = self.back()
            == Some(BackKind::TwoWay {
                loopback_prevention: true,
            })
            || (s.stage == Stage::Both && self.two_way());
        !joined && self.accepts(s, Site::DataCentre) && self.accepts(s, Site::Aurora)
    }

    /// P2: the copy that holds a write nothing else has, when it is no primary and no running
    /// replication carries the write to one.
    pub(super) fn lost(&self, s: State) -> Option<Site> {
        let stranded = |ahead: bool, site: Site, carried: bool, other: Site| {
            ahead && !self.primary(s, site) && !(carried && self.primary(s, other))
        };
        if stranded(
            s.aurora_ahead,
            Site::Aurora,
            self.back_runs(s),
            Site::DataCentre,
        ) {
            Some(Site::Aurora)
        } else if stranded(
            s.dc_ahead,
            Site::DataCentre,
            self.forward_runs(s),
            Site::Aurora,
        ) {
            Some(Site::DataCentre)
        } else {
            None
        }
    }

    /// Every transition from `s`, runbook steps first (so a shortest trace prefers them).
    pub(super) fn successors(&self, s: State) -> Vec<(Step, State)> {
        let mut out = Vec::new();
        if let Some(front) = &self.front {
            self.cutover_steps(front, s, &mut out);
        }
        if self.database.data_cutover.is_some() {
            self.data_steps(s, &mut out);
        }
        if self.accepts(s, Site::Aurora) && !s.aurora_ahead {
            out.push((
                Step::WriteAurora,
                State {
                    aurora_ahead: true,
                    ..s
                },
            ));
        }
        if self.accepts(s, Site::DataCentre) && !s.dc_ahead {
            out.push((
                Step::WriteDataCentre,
                State {
                    dc_ahead: true,
                    ..s
                },
            ));
        }
        if s.dc_ahead && self.forward_runs(s) {
            out.push((
                Step::CarryForward,
                State {
                    dc_ahead: false,
                    ..s
                },
            ));
        }
        if s.aurora_ahead && self.back_runs(s) {
            out.push((
                Step::CarryBack,
                State {
                    aurora_ahead: false,
                    ..s
                },
            ));
        }
        if !s.settled {
            out.push((Step::Settle, State { settled: true, ..s }));
        }
        if let Some(front) = &self.front {
            if s.phase != Phase::Zero && !s.out {
                out.push((Step::Trip, State { out: true, ..s }));
            }
            let held = (front.watches_forward && !self.forward_runs(s))
                || (front.watches_back && !self.back_runs(s));
            if s.out && !held {
                out.push((Step::Recover, State { out: false, ..s }));
            }
        }
        if self.source.cdc && s.stage.runs_forward() && !s.forward_failed {
            out.push((
                Step::ForwardFails,
                State {
                    forward_failed: true,
                    ..s
                },
            ));
        }
        if s.forward_failed {
            out.push((
                Step::ForwardRestarts,
                State {
                    forward_failed: false,
                    ..s
                },
            ));
        }
        if self.back_scheduled(s.stage) && !s.back_failed {
            out.push((
                Step::BackFails,
                State {
                    back_failed: true,
                    ..s
                },
            ));
        }
        if s.back_failed {
            out.push((
                Step::BackRestarts,
                State {
                    back_failed: false,
                    ..s
                },
            ));
        }
        out
    }

    /// The front cutover's rollback, next and previous phase, as abstract phases: moves
    /// between two partial phases change nothing for writes and are left out.
    fn cutover_steps(&self, front: &Front, s: State, out: &mut Vec<(Step, State)>) {
        let c = front.cutover;
        let to = |phase: Phase| State { phase, ..s };
        let rollback = Phase::of(c.rollback);
        if rollback < s.phase {
            out.push((Step::Rollback, to(rollback)));
        }
        let partials = || c.phases.iter().filter(|p| Phase::of(**p) == Phase::Partial);
        let up = match s.phase {
            Phase::Zero => c.phases.get(1).copied(),
            Phase::Partial => c.phases.last().copied(),
            Phase::Full => None,
        };
        if let Some(weight) = up {
            out.push((Step::Move(weight), to(Phase::of(weight))));
        }
        let down = match s.phase {
            Phase::Zero => None,
            Phase::Partial => c.phases.first().copied(),
            Phase::Full => partials().next_back().or(c.phases.first()).copied(),
        };
        if let Some(weight) = down {
            out.push((Step::Move(weight), to(Phase::of(weight))));
        }
    }

    /// The data cutover's next step (guarded as its runbook verifies) and the abandons.
    fn data_steps(&self, s: State, out: &mut Vec<(Step, State)>) {
        let to = |next: Stage, out: &mut Vec<(Step, State)>| {
            let mut t = self.enter(s, next);
            if self.switched() && s.stage.writer() != next.writer() {
                t.settled = false;
            }
            match (s.stage, next) {
                // Drained: the lag is zero, which needs the replication running.
                (_, Stage::Drained) | (Stage::BothDcStopped, Stage::Aurora) => {
                    if !self.forward_runs(s) {
                        return;
                    }
                    t.dc_ahead = false;
                }
                // Without a replication back there is nothing to drain and the runbook goes on.
                (_, Stage::BackDrained) | (Stage::BothAuroraStopped, Stage::SwitchedBack)
                    if self.back().is_some() =>
                {
                    if !self.back_runs(s) {
                        return;
                    }
                    t.aurora_ahead = false;
                }
                // The services come back at once, or once every one of them sees the writer at
                // the data centre, as the runbook says.
                (_, Stage::Datacentre) if s.stage == Stage::SwitchedBack => {
                    let waits = self
                        .database
                        .data_cutover
                        .is_some_and(|d| d.services_return_once_switched);
                    if waits && !s.settled {
                        return;
                    }
                }
                _ => {}
            }
            out.push((Step::Data(next), t));
        };
        to(s.stage.next(), out);
        match s.stage {
            Stage::WritesStopped | Stage::Drained | Stage::Validated => {
                to(Stage::Datacentre, out);
            }
            Stage::BackStopped | Stage::BackDrained => to(Stage::Aurora, out),
            Stage::BothDcStopped => to(Stage::Both, out),
            Stage::Both => to(Stage::BothAuroraStopped, out),
            Stage::BothAuroraStopped => to(Stage::Both, out),
            Stage::Datacentre | Stage::Aurora if self.two_way() => to(Stage::Both, out),
            _ => {}
        }
    }

    /// `s` at `stage`; a replication the runbook stops or starts has no failure left over.
    fn enter(&self, s: State, stage: Stage) -> State {
        State {
            stage,
            forward_failed: s.forward_failed && stage.runs_forward() && s.stage.runs_forward(),
            back_failed: s.back_failed
                && self.back_scheduled(stage)
                && self.back_scheduled(s.stage),
            ..s
        }
    }
}
