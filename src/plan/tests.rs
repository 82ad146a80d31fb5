//! The checker on hand-built plans: each property violated and kept, a half-done writer switch,
//! a gate trip after the data cutover, two-way replication with and without loopback
//! prevention, a data rollback through a healthy and an unhealthy fallback.

use super::explore::{explore, units};
use super::state::{Phase, Stage, State, Step};
use super::*;

fn at(line: usize) -> At {
    At {
        span: Span::new(line * 100, line * 100 + 5),
        line,
    }
}

fn percent(p: u8) -> Percent {
    Percent::new(p).expect("a percentage")
}

/// How the plan's one database is set up.
#[derive(Clone, Copy)]
struct Setup {
    access: Access,
    data_cutover: bool,
    back: Option<BackKind>,
    cdc: bool,
    /// `worker` writes the database too, with no cutover in front of it.
    worker: bool,
    gate: bool,
    /// The data rollback brings the services back only once the writer name settled.
    waits: bool,
    /// The data cutover allows writes on both sides.
    both: bool,
}

/// Today's seed: services write the Aurora cluster straight, one way replication, a gated
/// cutover in front of `api`, rollback to 0 %.
const SEED: Setup = Setup {
    access: Access::Direct,
    data_cutover: false,
    back: None,
    cdc: true,
    worker: false,
    gate: true,
    waits: true,
    both: false,
};

/// What issue 25 asks for: the writer name, a data cutover and its fallback.
const SAFE: Setup = Setup {
    access: Access::Writer {
        at: At {
            span: Span {
                start: 4000,
                end: 4005,
            },
            line: 40,
        },
    },
    data_cutover: true,
    back: Some(BackKind::Fallback),
    ..SEED
};

fn plan(setup: Setup) -> Plan {
    let uses = |line| {
        vec![Use {
            database: "ledger".into(),
            at: at(line),
        }]
    };
    let mut services = vec![Service {
        name: "api".into(),
        at: at(20),
        writes: uses(21),
        reads: Vec::new(),
        via: None,
        health_at: at(22),
    }];
    if setup.worker {
        services.push(Service {
            name: "worker".into(),
            at: at(25),
            writes: uses(26),
            reads: Vec::new(),
            via: None,
            health_at: at(27),
        });
    }
    Plan {
        databases: vec![Database {
            name: "ledger".into(),
            at: at(10),
            sources: vec![Source {
                replication: "onprem_to_aws".into(),
                at: at(31),
                host: "mysql db.corp.example.com:3306".into(),
                host_at: at(30),
                cdc: setup.cdc,
                back: setup.back.map(|kind| Back {
                    replication: "fallback".into(),
                    at: at(35),
                    kind,
                }),
            }],
            access: setup.access,
            data_cutover: setup.data_cutover.then_some(DataCutover {
                at: at(45),
                services_return_once_switched: setup.waits,
                two_way: setup.both,
            }),
        }],
        services,
        cutovers: vec![Cutover {
            name: "payments".into(),
            at: at(50),
            record: "pay.example.com".into(),
            legacy: "legacy.pay.example.com".into(),
            service: "api".into(),
            service_at: at(51),
            phases: [0, 10, 25, 50, 75, 100].map(percent).to_vec(),
            phases_at: at(52),
            rollback: percent(0),
            rollback_at: at(53),
            gate: if setup.gate {
                vec!["onprem_to_aws".into()]
            } else {
                Vec::new()
            },
            gate_text: if setup.gate {
                "onprem_to_aws.lag < 5s".into()
            } else {
                String::new()
            },
            gate_at: setup.gate.then(|| at(54)),
        }],
    }
}

fn verdict(setup: Setup) -> DatabaseVerdict {
    let verdict = check(&plan(setup));
    assert_eq!(verdict.databases.len(), 1);
    verdict.databases.into_iter().next().expect("one database")
}

/// Every state reachable in the plan's (one) unit, and that unit's run to each violation.
fn reachable(setup: Setup) -> Vec<State> {
    let plan = plan(setup);
    let db = plan.databases.first().expect("a database");
    let source = db.sources.first().expect("a source");
    let units = units(&plan, db, source);
    assert_eq!(units.len(), 1);
    units.iter().flat_map(|u| explore(u).visited).collect()
}

fn lines(trace: &Trace) -> Vec<usize> {
    trace.steps.iter().map(|s| s.at.line).collect()
}

fn texts(trace: &Trace) -> String {
    let steps: Vec<&str> = trace.steps.iter().map(|s| s.text.as_str()).collect();
    format!("{}\nthen: {}", steps.join("\n"), trace.conclusion.text)
}

#[test]
fn the_seed_loses_the_payment_accepted_at_10_percent_when_it_rolls_back() {
    let v = verdict(SEED);
    let lost = v.lost.expect("the seed loses a write");
    assert_eq!(
        lost.steps
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>(),
        [
            "`pmigc move payments 10%` — cutover `payments` sends 10% of `pay.example.com` to service `api`",
            "service `api` accepts a write on database `ledger`'s Aurora cluster, which replication `onprem_to_aws` only writes into (its `reads` is the cluster's writer endpoint)",
            "the rollback of cutover `payments`: `pmigc move payments 0%` — all of `pay.example.com` goes back to `legacy.pay.example.com`",
        ]
    );
    // Each step points at the line that allows it: the phases, the service's use of the
    // database, the rollback.
    assert_eq!(lines(&lost), [52, 21, 53]);
    assert_eq!(lost.conclusion.at.line, 53);
    assert!(
        lost.conclusion.text.ends_with("it is lost"),
        "{}",
        texts(&lost)
    );
    let split = v.split.expect("and writes in two places");
    assert_eq!(lines(&split), [52]);
    assert_eq!(split.conclusion.at.line, 21);
}

#[test]
fn the_writer_name_with_a_data_cutover_and_a_fallback_is_proven() {
    let v = verdict(SAFE);
    assert_eq!(v.split, None);
    assert_eq!(v.lost, None);
    // Exhaustive: every stage of the data cutover and its rollback is visited, with every
    // phase of the cutover.
    let states = reachable(SAFE);
    assert_eq!(v.states, states.len());
    for stage in [
        Stage::Datacentre,
        Stage::WritesStopped,
        Stage::Drained,
        Stage::Validated,
        Stage::Aurora,
        Stage::BackStopped,
        Stage::BackDrained,
        Stage::DcResumed,
        Stage::SwitchedBack,
    ] {
        for phase in [Phase::Zero, Phase::Partial, Phase::Full] {
            assert!(
                states.iter().any(|s| s.stage == stage && s.phase == phase),
                "{stage:?} at {phase:?} not reached"
            );
        }
    }
}

#[test]
fn a_half_done_switch_to_aurora_is_harmless_while_the_data_centre_refuses_writes() {
    let states = reachable(SAFE);
    // Writes on Aurora while some services still see the data centre (the operator went on
    // before every DNS cache expired), the writes not yet carried back.
    assert!(states.iter().any(|s| s.stage == Stage::Aurora
        && !s.settled
        && s.aurora_ahead
        && s.phase == Phase::Full));
    assert_eq!(verdict(SAFE).split, None);
}

#[test]
fn a_half_done_switch_back_splits_writes_unless_the_services_wait_for_it() {
    // The rollback brings the services back in the apply that switches the writer back: one
    // that still has Aurora's answer writes Aurora, which nothing stops any more, while the
    // data centre takes writes again.
    let v = verdict(Setup {
        waits: false,
        ..SAFE
    });
    let split = v
        .split
        .expect("two primaries while the switch back is half done");
    let text = texts(&split);
    assert!(
        text.contains("the writer name switches back to `mysql db.corp.example.com:3306`"),
        "{text}"
    );
    assert!(
        split
            .steps
            .last()
            .is_some_and(|s| s.text.contains("its services come back")),
        "{text}"
    );
    assert!(
        split
            .conclusion
            .text
            .contains("still has the writer name's old answer"),
        "{text}"
    );
    assert!(
        split.help.contains("only once the writer name"),
        "{}",
        split.help
    );
    // And what such a service writes on Aurora is lost once it, too, sees the data centre.
    let lost = v.lost.expect("the stale service's write is lost");
    assert!(
        lost.steps
            .last()
            .is_some_and(|s| s.text.starts_with("every service now reaches the writer")),
        "{}",
        texts(&lost)
    );
    assert!(
        lost.help.contains("only once the writer name"),
        "{}",
        lost.help
    );
    // Waiting for the switch to settle is what makes it safe.
    assert_eq!(verdict(SAFE).split, None);
}

#[test]
fn writes_on_both_sides_are_joined_and_leaving_them_strands_nothing() {
    let both = Setup { both: true, ..SAFE };
    let v = verdict(both);
    // Joined by the two tasks with loopback prevention: never split.
    assert_eq!(v.split, None);
    let states = reachable(both);
    // Both sides take writes, each holding some the other lacks, with a cutover's share on AWS.
    assert!(states.iter().any(|s| s.stage == Stage::Both
        && s.dc_ahead
        && s.aurora_ahead
        && s.phase == Phase::Partial));
    for stage in [Stage::BothDcStopped, Stage::BothAuroraStopped] {
        assert!(states.iter().any(|s| s.stage == stage), "{stage:?}");
    }
    // A task may fail while one side's last writes are in flight to the other, with that side
    // stopped …
    assert!(
        states
            .iter()
            .any(|s| s.stage == Stage::BothDcStopped && s.dc_ahead && s.forward_failed)
    );
    assert!(states.len() > reachable(SAFE).len());
    // … but the side being left stays the primary of those writes until its task has drained
    // them (the switch waits for zero lag), so nothing is lost.
    assert!(
        v.lost.is_none(),
        "{}",
        v.lost.map(|l| texts(&l)).unwrap_or_default()
    );
}

#[test]
fn a_data_rollback_without_a_fallback_loses_aurora_s_writes_once_every_service_switched_back() {
    let v = verdict(Setup { back: None, ..SAFE });
    assert_eq!(v.split, None);
    let lost = v.lost.expect("Aurora's writes have no way back");
    let text = texts(&lost);
    assert!(
        text.contains(
            "the data cutover of `ledger`: writes stop at `mysql db.corp.example.com:3306`"
        ),
        "{text}"
    );
    assert!(
        text.contains("no replication back to the data centre to drain"),
        "{text}"
    );
    assert!(
        text.contains("the writer name switches back to `mysql db.corp.example.com:3306`"),
        "{text}"
    );
    // While the switch back is half done, services that still see Aurora keep it a primary:
    // the write is lost when the last of them moves.
    assert!(
        lost.steps
            .last()
            .is_some_and(|s| s.text.starts_with("every service now reaches the writer")),
        "{text}"
    );
    assert!(
        lost.help.contains("declare a fallback replication"),
        "{}",
        lost.help
    );
}

#[test]
fn a_rollback_through_an_unhealthy_fallback_waits_for_it_and_loses_nothing() {
    let plan = plan(SAFE);
    let db = plan.databases.first().expect("a database");
    let source = db.sources.first().expect("a source");
    let unit = units(&plan, db, source).into_iter().next().expect("a unit");
    let stopped = State {
        stage: Stage::BackStopped,
        settled: true,
        forward_failed: false,
        back_failed: true,
        dc_ahead: false,
        aurora_ahead: true,
        phase: Phase::Full,
        out: false,
    };
    // The drain (and so the switch back) waits until the fallback is restarted.
    let steps: Vec<Step> = unit
        .successors(stopped)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(
        !steps.contains(&Step::Data(Stage::BackDrained)),
        "{steps:?}"
    );
    assert!(steps.contains(&Step::BackRestarts), "{steps:?}");
    let healthy = State {
        back_failed: false,
        ..stopped
    };
    let drained = unit
        .successors(healthy)
        .into_iter()
        .find(|(s, _)| *s == Step::Data(Stage::BackDrained))
        .map(|(_, t)| t)
        .expect("a healthy fallback drains");
    assert!(!drained.aurora_ahead);
    assert!(explore(&unit).visited.contains(&stopped));
    assert_eq!(verdict(SAFE).lost, None);
}

#[test]
fn a_gate_trip_after_the_data_cutover_sends_traffic_to_a_data_centre_that_refuses_writes() {
    let states = reachable(SAFE);
    assert!(
        states
            .iter()
            .any(|s| s.stage == Stage::Aurora && s.out && s.aurora_ahead && s.phase == Phase::Full)
    );
    let v = verdict(SAFE);
    assert!(v.split.is_none() && v.lost.is_none());
}

#[test]
fn two_way_replication_joins_both_sides_only_with_loopback_prevention() {
    let with = verdict(Setup {
        back: Some(BackKind::TwoWay {
            loopback_prevention: true,
        }),
        ..SEED
    });
    assert_eq!(with.split, None);
    let without = verdict(Setup {
        back: Some(BackKind::TwoWay {
            loopback_prevention: false,
        }),
        ..SEED
    });
    let split = without.split.expect("no loopback prevention: split writes");
    assert!(
        split
            .conclusion
            .text
            .contains("without loopback prevention"),
        "{}",
        texts(&split)
    );
    assert!(split.help.contains("loopback prevention"));
    // A write on Aurora is safe while the task back runs; when it stops after AWS lost its
    // traffic, the write sits where nobody is served from (P2 counts only running tasks).
    let lost = with.lost.expect("a stopped task back strands the write");
    let text = texts(&lost);
    assert!(text.contains("replication `fallback` stops"), "{text}");
    assert!(
        lost.conclusion.text.contains("stopped, does not carry it"),
        "{text}"
    );
}

#[test]
fn a_writer_no_cutover_holds_back_splits_writes_from_the_first_apply() {
    let v = verdict(Setup {
        worker: true,
        ..SEED
    });
    let split = v.split.expect("split from the start");
    assert!(split.steps.is_empty());
    assert!(
        split
            .conclusion
            .text
            .starts_with("from the first apply, service `worker`")
    );
    assert_eq!(split.conclusion.at.line, 26);
    // It keeps the Aurora cluster a primary, so its writes there are never stranded.
    assert_eq!(v.lost, None);
}

#[test]
fn a_full_load_copies_nothing_after_it_so_the_data_cutover_cannot_drain() {
    let states = reachable(Setup { cdc: false, ..SAFE });
    assert!(
        states
            .iter()
            .all(|s| s.stage == Stage::Datacentre || s.stage == Stage::WritesStopped)
    );
    let v = verdict(Setup { cdc: false, ..SAFE });
    assert!(v.split.is_none() && v.lost.is_none());
}

#[test]
fn without_a_gate_the_service_s_health_check_takes_aws_out() {
    let v = verdict(Setup {
        gate: false,
        ..SEED
    });
    assert!(v.lost.is_some() && v.split.is_some());
    let plan = plan(Setup {
        gate: false,
        ..SEED
    });
    let db = plan.databases.first().expect("a database");
    let unit = units(&plan, db, db.sources.first().expect("a source"))
        .into_iter()
        .next()
        .expect("a unit");
    let at_10 = State {
        phase: Phase::Partial,
        ..unit.initial()
    };
    let (step, out) = unit
        .successors(at_10)
        .into_iter()
        .find(|(s, _)| *s == Step::Trip)
        .expect("the health check can fail");
    assert!(out.out && !unit.active(out), "{step:?}");
}

#[test]
fn every_cutover_in_front_of_a_writer_is_explored_and_each_finds_what_one_finds() {
    let mut plan = plan(SEED);
    // A second cutover, first in the stack, in front of a service routed on `admin`'s load
    // balancer that writes the database too, with no gate and a rollback to 50 %.
    plan.services.push(Service {
        name: "reports".into(),
        at: at(60),
        writes: vec![Use {
            database: "ledger".into(),
            at: at(61),
        }],
        reads: Vec::new(),
        via: Some("admin".into()),
        health_at: at(62),
    });
    plan.services.push(Service {
        name: "admin".into(),
        at: at(63),
        writes: Vec::new(),
        reads: Vec::new(),
        via: None,
        health_at: at(64),
    });
    let payments = plan.cutovers.first().expect("payments").clone();
    plan.cutovers.insert(
        0,
        Cutover {
            name: "back_office".into(),
            service: "admin".into(),
            phases: [0, 50, 100].map(percent).to_vec(),
            phases_at: at(72),
            rollback: percent(50),
            gate: Vec::new(),
            gate_text: String::new(),
            gate_at: None,
            ..payments
        },
    );
    let db = plan.databases.first().expect("a database");
    let units = units(&plan, db, db.sources.first().expect("a source"));
    assert_eq!(units.len(), 2);
    // One cutover alone can turn the writers' traffic on and off: both find both violations.
    for unit in &units {
        let found = explore(unit);
        assert!(found.split.is_some() && found.lost.is_some());
    }
    let v = check(&plan);
    let lost = v
        .databases
        .first()
        .and_then(|d| d.lost.clone())
        .expect("lost");
    // Equally short: the first in the stack's order is kept.
    assert_eq!(lines(&lost), [72, 61, 72]);
    assert!(texts(&lost).contains("service `reports` accepts a write"));
    assert!(v.states > check(&super::tests::plan(SEED)).states);
}

#[test]
fn a_database_nothing_replicates_into_has_nothing_to_prove_and_checking_is_deterministic() {
    let mut plan = plan(SEED);
    if let Some(db) = plan.databases.first_mut() {
        db.sources.clear();
    }
    assert!(check(&plan).databases.is_empty());
    let seed = super::tests::plan(SEED);
    assert_eq!(check(&seed), check(&seed));
}

#[test]
fn nothing_writing_the_database_leaves_it_to_the_data_centre() {
    let mut plan = plan(SEED);
    for s in &mut plan.services {
        s.reads = std::mem::take(&mut s.writes);
    }
    let v = check(&plan);
    let db = v.databases.first().expect("ledger");
    assert!(db.split.is_none() && db.lost.is_none());
}
