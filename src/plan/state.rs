//! The states and transitions of the plan's state machine (`machine` gives them their
//! meaning): the data cutover's stage, the two copies, a cutover's abstract phase, a state, and
//! the named steps a trace is made of.

use crate::model::Percent;

/// Where the data cutover of the unit's database stands: each runbook step enters the next
/// stage, in the order of the data cutover's runbook (`pmigc phases`). Without a data cutover
/// the unit stays at `Datacentre`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Stage {
    /// The writer points at the data centre; the forward replication runs.
    Datacentre,
    /// Writes stopped at the data centre (the application's login locked there).
    WritesStopped,
    /// The forward replication drained to zero lag.
    Drained,
    /// Validation shows no differing rows.
    Validated,
    /// The writer points at Aurora: one apply switched it, stopped the forward replication and
    /// started the fallback.
    Aurora,
    /// The data rollback: writes stopped on Aurora (its services taken out).
    BackStopped,
    /// The fallback drained to zero lag.
    BackDrained,
    /// The data centre takes writes again; the writer still points at Aurora.
    DcResumed,
    /// The writer points at the data centre again, the forward replication runs, the fallback
    /// stopped; the services are not back yet.
    SwitchedBack,
    /// Writes on both sides (a two-way data cutover): the writer points at Aurora for the
    /// services, the data centre keeps its own writes, both replications run.
    Both,
    /// From `Both` towards Aurora: writes stopped at the data centre.
    BothDcStopped,
    /// From `Both` back towards the data centre: writes stopped on Aurora.
    BothAuroraStopped,
}

impl Stage {
    /// The next runbook step's stage (the data cutover, then its rollback, round again;
    /// from `Both`, on to Aurora).
    pub(super) fn next(self) -> Stage {
        match self {
            Stage::Both => Stage::BothDcStopped,
            Stage::BothDcStopped => Stage::Aurora,
            Stage::BothAuroraStopped => Stage::SwitchedBack,
            Stage::Datacentre => Stage::WritesStopped,
            Stage::WritesStopped => Stage::Drained,
            Stage::Drained => Stage::Validated,
            Stage::Validated => Stage::Aurora,
            Stage::Aurora => Stage::BackStopped,
            Stage::BackStopped => Stage::BackDrained,
            Stage::BackDrained => Stage::DcResumed,
            Stage::DcResumed => Stage::SwitchedBack,
            Stage::SwitchedBack => Stage::Datacentre,
        }
    }

    /// Whether the runbook runs the forward replication (data centre → Aurora) here.
    pub(super) fn runs_forward(self) -> bool {
        matches!(
            self,
            Stage::Datacentre
                | Stage::WritesStopped
                | Stage::Drained
                | Stage::Validated
                | Stage::SwitchedBack
                | Stage::Both
                | Stage::BothDcStopped
                | Stage::BothAuroraStopped
        )
    }

    /// Whether the runbook runs the fallback (Aurora → data centre) here.
    pub(super) fn runs_fallback(self) -> bool {
        matches!(
            self,
            Stage::Aurora
                | Stage::BackStopped
                | Stage::BackDrained
                | Stage::DcResumed
                | Stage::Both
                | Stage::BothDcStopped
                | Stage::BothAuroraStopped
        )
    }

    /// Where the writer points (for the services: in `Both` the data centre's application
    /// keeps writing the data centre).
    pub(super) fn writer(self) -> Site {
        match self {
            Stage::Aurora
            | Stage::BackStopped
            | Stage::BackDrained
            | Stage::DcResumed
            | Stage::Both
            | Stage::BothDcStopped
            | Stage::BothAuroraStopped => Site::Aurora,
            _ => Site::DataCentre,
        }
    }

    /// Whether the runbook has stopped the applications' writes on `site` here: at the data
    /// centre from the data cutover's first step until the rollback lets it take writes again;
    /// on Aurora from the rollback's first step until its services come back.
    pub(super) fn stops(self, site: Site) -> bool {
        match site {
            Site::DataCentre => matches!(
                self,
                Stage::WritesStopped
                    | Stage::Drained
                    | Stage::Validated
                    | Stage::Aurora
                    | Stage::BackStopped
                    | Stage::BackDrained
                    | Stage::BothDcStopped
            ),
            Site::Aurora => matches!(
                self,
                Stage::BackStopped
                    | Stage::BackDrained
                    | Stage::DcResumed
                    | Stage::SwitchedBack
                    | Stage::BothAuroraStopped
            ),
        }
    }
}

/// One of the two copies of a unit's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Site {
    DataCentre,
    Aurora,
}

/// A cutover's phase, as far as writes care: no, some or all traffic to AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Phase {
    Zero,
    Partial,
    Full,
}

impl Phase {
    pub(super) fn of(weight: Percent) -> Phase {
        match weight.get() {
            0 => Phase::Zero,
            100 => Phase::Full,
            _ => Phase::Partial,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct State {
    pub stage: Stage,
    /// Every service sees the writer where it points (false from a switch until DNS caches
    /// expire and connection pools recycle).
    pub settled: bool,
    /// The forward replication, which the runbook runs, has stopped.
    pub forward_failed: bool,
    /// The replication back to the data centre, which the runbook runs, has stopped.
    pub back_failed: bool,
    /// The data centre holds writes the Aurora cluster lacks.
    pub dc_ahead: bool,
    /// The Aurora cluster holds writes the data centre lacks.
    pub aurora_ahead: bool,
    /// The front cutover's phase (`Zero` without one).
    pub phase: Phase,
    /// Route 53 has taken the AWS side of the front cutover out of rotation.
    pub out: bool,
}

impl State {
    /// How many states there are: `index` is below this.
    pub(super) const COUNT: usize = 16 << 8;

    /// A dense number for the state, below `State::COUNT` (for the explorer's visited table).
    pub(super) fn index(self) -> usize {
        let stage = self.stage as usize;
        let phase = self.phase as usize;
        let bits = [
            self.settled,
            self.forward_failed,
            self.back_failed,
            self.dc_ahead,
            self.aurora_ahead,
            self.out,
        ]
        .iter()
        .fold(0, |acc, b| (acc << 1) | usize::from(*b));
        (stage << 8) | (phase << 6) | bits
    }
}

/// A transition, named for the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// `pmigc move CUTOVER WEIGHT` (the front cutover's next or previous phase).
    Move(Percent),
    /// The front cutover's rollback.
    Rollback,
    /// The data cutover's (or data rollback's) runbook step that enters this stage, from the
    /// next stage or back (an abandoned step, writes on both sides again).
    Data(Stage),
    WriteAurora,
    WriteDataCentre,
    /// The forward replication carries the data centre's writes to Aurora.
    CarryForward,
    /// The replication back carries Aurora's writes to the data centre.
    CarryBack,
    /// Every service now sees the writer where it points.
    Settle,
    /// The gate trips or the service fails its health check: Route 53 takes AWS out.
    Trip,
    Recover,
    ForwardFails,
    ForwardRestarts,
    BackFails,
    BackRestarts,
}
