//! Rules across blocks, run on the blocks that checked: address overlaps between the VPCs and
//! the on-premises networks, the safety of each cutover (weights, rollback, replication, a gate
//! that watches every replication its service's data comes from, one weight input per
//! cutover), what a load balancer needs, workspaces sharing state, and AWS's limits on
//! generated names.

mod diagnostics;
pub(crate) use diagnostics::{BadDatabaseTask, DatabaseAsSchema};
pub(crate) use diagnostics::{
    CrossFamily, CutoverToInternal, CutoverWithoutReplication, GateAboveBudget,
    GateMissesReplication, NetworksOverlap, NoGate, NotExposed, OverlapsOnPremises,
    RollbackAbovePhase, SharedState, SharedWeight, WeightNotAPhase,
};

use super::context::Ctx;
use super::error::{CheckError, replace};
use super::migration::{CutoverFacts, ReplicationFacts};
use super::network::NetworkFacts;
use super::workspace::LOCK_SUFFIX;
use crate::check::derived::NameCharacters;
use crate::check::serverless::ServerlessCapacity;
use crate::diag::at;
use crate::model::{Backend, Facing, Input, InputValue, Lookup, Name, NamePart, Stack};
use crate::syntax::ast::Span;

/// Spans of checked blocks, for labels that point at more than one place.
#[derive(Default)]
pub(crate) struct Facts {
    pub onprem: Vec<(Name, Vec<Span>)>,
    pub networks: Vec<(Name, NetworkFacts)>,
    pub replications: Vec<(Name, ReplicationFacts)>,
    pub cutovers: Vec<(Name, CutoverFacts)>,
    pub data_cutovers: Vec<(Name, super::writes::DataCutoverFacts)>,
    pub name_span: Span,
}

/// The name pattern with every input at its value.
pub(crate) fn resolve_name(pattern: &[NamePart], inputs: &[Input]) -> String {
    pattern
        .iter()
        .map(|part| match part {
            NamePart::Text(t) => t.clone(),
            NamePart::Input(name) => inputs
                .iter()
                .find(|i| &i.name == name.name())
                .map(|i| match &i.value {
                    InputValue::Name(v) | InputValue::Text(v) => v.clone(),
                    InputValue::Percent(p) => p.get().to_string(),
                    InputValue::Number(n) => n.to_string(),
                    InputValue::Writer(w) => w.as_str().to_string(),
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// `complete` says every block checked: rules about something missing (no replication into a
/// database) only run then, or a block with an error would read as absent.
/// `renames` are the `(old, new)` pairs of a build: block `new` keeps the AWS names of `old`.
pub(crate) fn check_stack(
    ctx: &mut Ctx,
    stack: &Stack,
    facts: &Facts,
    complete: bool,
    renames: &[(Name, Name)],
) {
    network_overlaps(ctx, stack, facts);
    replications(ctx, stack, facts);
    database_tasks(ctx, stack);
    kept_awake(ctx, stack, facts);
    cutovers(ctx, stack, facts, complete);
    super::writes::check(ctx, stack, &facts.data_cutovers, &facts.cutovers, complete);
    names(ctx, stack, facts, renames);
    super::dns::check(ctx, stack);
    super::apply::check(ctx, stack);
    if complete {
        super::resolver::check(ctx, stack);
        super::idle::check(ctx, stack);
    }
}

fn network_overlaps(ctx: &mut Ctx, stack: &Stack, facts: &Facts) {
    for (i, network) in stack.networks.iter().enumerate() {
        let Some((_, nf)) = facts.networks.iter().find(|(n, _)| n == &network.name) else {
            continue;
        };
        for vpn in &stack.vpns {
            let spans = facts
                .onprem
                .iter()
                .find(|(n, _)| n == &vpn.name)
                .map(|(_, s)| s.as_slice())
                .unwrap_or(&[]);
            for (onprem, span) in vpn.networks.iter().zip(spans) {
                if network.cidr.contains(onprem) || onprem.contains(&network.cidr) {
                    ctx.error(OverlapsOnPremises {
                        network: network.name.to_string(),
                        cidr: network.cidr.to_string(),
                        onprem: onprem.to_string(),
                        vpn: vpn.name.to_string(),
                        at: at(nf.cidr_span),
                        onprem_at: at(*span),
                    });
                }
            }
        }
        for earlier in stack.networks.iter().take(i) {
            if network.cidr.contains(&earlier.cidr) || earlier.cidr.contains(&network.cidr) {
                let other = facts
                    .networks
                    .iter()
                    .find(|(n, _)| n == &earlier.name)
                    .map(|(_, f)| f.cidr_span)
                    .unwrap_or_default();
                ctx.error(NetworksOverlap {
                    a: earlier.name.to_string(),
                    a_cidr: earlier.cidr.to_string(),
                    b: network.name.to_string(),
                    b_cidr: network.cidr.to_string(),
                    at: at(nf.cidr_span),
                    other: at(other),
                });
            }
        }
    }
}

/// A replication stays within one engine family (`crate::engine::Family`).
fn replications(ctx: &mut Ctx, stack: &Stack, facts: &Facts) {
    for replication in &stack.replications {
        let (Some(db), Some((_, rf))) = (
            stack.find(&replication.target),
            facts
                .replications
                .iter()
                .find(|(n, _)| n == &replication.name),
        ) else {
            continue;
        };
        database_patterns(ctx, replication, db, rf);
        let source = replication.source.engine.profile().family;
        let target = db.profile();
        let counterpart = crate::engine::ENGINES.iter().find(|p| p.family == source);
        if let (true, Some(counterpart)) = (source != target.family, counterpart) {
            ctx.error(CrossFamily {
                replication: replication.name.to_string(),
                source_family: source.label(),
                database: db.name.to_string(),
                target_title: target.title,
                source_keyword: counterpart.keyword,
                source_version: counterpart.default_version,
                at: at(rf.engine_span),
                target_at: at(Span::new(db.origin.start, db.origin.end)),
            });
        }
    }
}

/// With several databases (`dbname = [...]`) `include`/`exclude` select within each database's
/// task: a pattern whose schema is one of those databases' names is ambiguous (PMG0853).
fn database_patterns(
    ctx: &mut Ctx,
    replication: &crate::model::Replication,
    db: &crate::model::Database,
    rf: &ReplicationFacts,
) {
    let databases = db.databases();
    if databases.len() < 2 {
        return;
    }
    let lists = [
        (&replication.tables.include, rf.tables.include),
        (&replication.tables.exclude, rf.tables.exclude),
    ];
    for (patterns, span) in lists {
        let Some(span) = span else { continue };
        for pattern in patterns {
            if let Some(schema) = databases.iter().find(|d| **d == pattern.schema) {
                ctx.error(DatabaseAsSchema {
                    pattern: pattern.describe(),
                    replication: replication.name.to_string(),
                    schema: schema.clone(),
                    at: at(span),
                    help: Some(format!("patterns are `schema.table` inside each of {}: to leave database `{schema}` out, remove it from `dbname`; for the tables of a schema in every database, name that schema (e.g. `\"public.%\"`)", databases.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "))),
                });
            }
        }
    }
}

/// The DMS tasks of the databases after the first (`model::task_block`) are named after their
/// replication or data cutover and the database: each name must be one no block of the stack
/// has, and one DMS takes as an identifier (PMG0854).
fn database_tasks(ctx: &mut Ctx, stack: &Stack) {
    let mut owners: Vec<(&Name, &Name)> = stack
        .replications
        .iter()
        .map(|r| (&r.name, r.target.name()))
        .collect();
    owners.extend(
        stack
            .data_cutovers
            .iter()
            .map(|d| (&d.name, d.database.name())),
    );
    // DMS's rows are derived by replications and data cutovers alone: a task's name must be
    // none of theirs, nor another database's task.
    let mut taken: Vec<String> = owners.iter().map(|(b, _)| b.address()).collect();
    // One diagnostic per database, at the first block whose task it cannot name.
    let mut reported: Vec<String> = Vec::new();
    for (block, database) in owners {
        let Some(db) = stack.databases.iter().find(|d| &d.name == database) else {
            continue;
        };
        for (task, name) in stack.tasks(block, database).into_iter().skip(1) {
            let Some(name) = name else { continue };
            let problem = if taken.contains(&task.address()) {
                Some("another block of the stack has".to_string())
            } else {
                crate::model::task_block_refused(&task).map(|aws| {
                    format!("DMS refuses as `{aws}` (two hyphens in a row, or a final one)")
                })
            };
            taken.push(task.address());
            if let Some(problem) = problem.filter(|_| !reported.contains(&name)) {
                reported.push(name.clone());
                ctx.error(BadDatabaseTask {
                    database: name.clone(),
                    task: task.to_string(),
                    problem,
                    at: at(Span::new(db.origin.start, db.origin.end)),
                    block: block.to_string(),
                    help: Some(format!("rename database `{name}` in `dbname` (no `__`, no final `_`) or rename `{block}`")),
                });
            }
        }
    }
}

/// A database a data cutover makes a DMS source keeps its binary log (MySQL) or logical
/// replication (PostgreSQL) on from the first apply, and Aurora does not pause an instance with
/// either on (Aurora User Guide, "Scaling to Zero ACUs with automatic pause and resume",
/// prerequisites and limitations): a minimum of 0 ACUs would never take effect. Only in the
/// workspace that owns the data cutover: elsewhere no fallback reads Aurora and the log
/// parameters are not set (`lower::database`), so the database may pause there.
fn kept_awake(ctx: &mut Ctx, stack: &Stack, facts: &Facts) {
    for (name, df) in &facts.data_cutovers {
        let Some(db) = stack
            .owned_data_cutovers()
            .find(|d| &d.name == name)
            .and_then(|d| stack.find(&d.database))
        else {
            continue;
        };
        // A version that cannot pause is refused at the database already (one cause, one
        // diagnostic).
        let pauses = db
            .profile()
            .versions
            .iter()
            .any(|v| v.full == db.engine_version && v.pauses);
        if !pauses || !matches!(db.serverless, Some((least, _)) if least.halves() == 0) {
            continue;
        }
        let log = match db.profile().family {
            crate::engine::Family::Mysql => "binary logging",
            crate::engine::Family::Postgresql => "logical replication",
        };
        ctx.error(ServerlessCapacity {
            problem: format!("database `{}` cannot pause at 0 ACUs: data cutover `{name}` makes it a replication source", db.name),
            at: at(df.database_span),
            label: format!("keeps {log} on in `{}`", db.name),
            help: Some(format!("the fallback replication reads Aurora's log from the first apply, and Aurora never pauses an instance with {log} on: give `{}` a minimum capacity of 0.5 or more", db.name)),
        });
    }
}

fn cutovers(ctx: &mut Ctx, stack: &Stack, facts: &Facts, complete: bool) {
    for cutover in &stack.cutovers {
        let Some((_, cf)) = facts.cutovers.iter().find(|(n, _)| n == &cutover.name) else {
            continue;
        };
        let percent = |p: crate::model::Percent| format!("{}%", p.get());
        // The weight moves traffic only in the root that holds the cutover's records: in any
        // other workspace the weight input's value does nothing (an explicit one is PMG0835),
        // so PMG0803 (weight), PMG0804 and PMG0805 hold it to the phases in the owner only.
        let managed = stack.manages(cutover);
        if managed && !cutover.is_phase(cutover.weight) {
            let nearest = cutover
                .phases
                .iter()
                .min_by_key(|p| (i16::from(p.get()) - i16::from(cutover.weight.get())).abs())
                .copied();
            ctx.error(WeightNotAPhase {
                what: "traffic weight",
                weight: percent(cutover.weight),
                at: at(cf.weight_span),
                context: format!("workspace `{}`", stack.workspace.name),
                phases_at: at(cf.phases_span),
                help: nearest.map(|n| format!("the nearest phase is {}; a weight between phases skips the checks planned for it", percent(n))),
                fix: nearest.and_then(|n| replace(cf.weight_span, percent(n))),
            });
        }
        if !cutover.is_phase(cutover.rollback) {
            ctx.error(WeightNotAPhase {
                what: "rollback weight",
                weight: percent(cutover.rollback),
                at: at(cf.rollback_span),
                context: "the rollback".into(),
                phases_at: at(cf.phases_span),
                help: Some("roll back to a phase already passed, usually 0%".into()),
                fix: replace(cf.rollback_span, "0%"),
            });
        } else if managed && cutover.rollback > cutover.weight {
            ctx.error(RollbackAbovePhase {
                rollback: percent(cutover.rollback),
                current: percent(cutover.weight),
                workspace: stack.workspace.name.to_string(),
                at: at(cf.rollback_span),
                weight_at: at(cf.weight_span),
            });
        }
        let Some(service) = stack.find(&cutover.service) else {
            continue;
        };
        if service.exposure.is_none() {
            ctx.error(NotExposed {
                service: service.name.to_string(),
                user: format!("cutover `{}`", cutover.name),
                at: at(cf.aws_span),
                declared: at(Span::new(service.origin.start, service.origin.end)),
            });
        } else if let Some(exposure) = &service.exposure
            && exposure.facing == Facing::Internal
        {
            let network = exposure.placement.network.name();
            ctx.error(CutoverToInternal {
                cutover: cutover.name.to_string(),
                service: service.name.to_string(),
                at: at(cf.aws_span),
                exposed_at: at(super::spans::span_of(ctx, service.name.as_str(), &crate::registry::service::EXPOSED)),
                help: Some(format!(
                    "the cutover's record is in the public zone `{}`, and an internal load balancer's addresses are private: clients outside the VPC could not connect; expose the service to the internet (`exposed = https via {network}.public with CERTIFICATE`) or point `aws` at a service that is",
                    cutover.zone
                )),
            });
        }
        if managed && complete && cutover.weight.get() > 0 {
            for db in &service.reads {
                if !stack.replications.iter().any(|r| &r.target == db) {
                    ctx.error(CutoverWithoutReplication {
                        weight: percent(cutover.weight),
                        database: db.to_string(),
                        at: at(cf.weight_span),
                        service: service.name.to_string(),
                        help: Some(format!(
                            "declare a `replication` with `to = {db}` so AWS serves the data centre's data, or keep this workspace at 0%"
                        )),
                    });
                }
            }
        }
        if complete {
            gate_coverage(ctx, stack, cutover, cf, service);
        }
        if let (Some(gate), Some(gate_span)) = (&cutover.gate, cf.gate_span) {
            for condition in &gate.conditions {
                let replication = stack.find(&condition.replication);
                let budget = facts
                    .replications
                    .iter()
                    .find(|(n, _)| n == condition.replication.name())
                    .map(|(_, f)| f.max_lag_span);
                if let (Some(replication), Some(budget)) = (replication, budget)
                    && condition.threshold > replication.max_lag
                    // A budget of 0s is its own mistake (PMG1211): lowering the gate cannot fix it.
                    && replication.max_lag.0 > 0
                {
                    ctx.error(GateAboveBudget {
                        threshold: format!("{}s", condition.threshold.0),
                        max_lag: format!("{}s", replication.max_lag.0),
                        at: at(gate_span),
                        budget_at: at(budget),
                        help: Some(format!(
                            "gate at or below the budget: `{}.lag < {}s`",
                            condition.replication, replication.max_lag.0
                        )),
                    });
                }
            }
        }
    }
    shared_weights(ctx, stack, facts);
    for service in &stack.services {
        if let Some(route) = &service.route
            && let Some(via) = stack.find(&route.via).filter(|v| v.exposure.is_none())
        {
            ctx.error(NotExposed {
                service: via.name.to_string(),
                user: format!("service `{}`'s route", service.name),
                at: at(Span::new(service.origin.start, service.origin.end)),
                declared: at(Span::new(via.origin.start, via.origin.end)),
            });
        }
    }
    for output in &stack.outputs {
        if let crate::model::OutputValue::LoadBalancerDns(name) = &output.value
            && let Some(service) = stack.find(name).filter(|s| s.exposure.is_none())
        {
            ctx.error(NotExposed {
                service: service.name.to_string(),
                user: format!("output `{}`", output.name),
                at: at(Span::new(output.origin.start, output.origin.end)),
                declared: at(Span::new(service.origin.start, service.origin.end)),
            });
        }
    }
}

/// Every replication that feeds a database the cutover's service reads must be watched by
/// its gate (PMG0810); a cutover with no gate at all, while such replications exist, is told
/// so (PMG0811, a warning: a gate is how Route 53 keeps traffic off stale data).
fn gate_coverage(
    ctx: &mut Ctx,
    stack: &Stack,
    cutover: &crate::model::Cutover,
    cf: &CutoverFacts,
    service: &crate::model::Service,
) {
    let feeding: Vec<(
        &crate::model::Replication,
        &crate::model::Id<crate::model::Database>,
    )> = service
        .reads
        .iter()
        .flat_map(|db| {
            stack
                .replications
                .iter()
                .filter(move |r| &r.target == db)
                .map(move |r| (r, db))
        })
        .collect();
    match (&cutover.gate, cf.gate_span) {
        (Some(gate), Some(gate_span)) => {
            for (replication, db) in feeding {
                if gate.covers(&replication.name) {
                    continue;
                }
                let mut conditions: Vec<String> =
                    gate.conditions.iter().map(|c| c.describe()).collect();
                conditions.push(format!(
                    "{}.lag < {}s",
                    replication.name, replication.max_lag.0
                ));
                ctx.error(GateMissesReplication {
                    cutover: cutover.name.to_string(),
                    replication: replication.name.to_string(),
                    database: db.to_string(),
                    service: service.name.to_string(),
                    at: at(gate_span),
                    replication_at: at(Span::new(replication.origin.start, replication.origin.end)),
                    help: Some(format!(
                        "watch every replication the service's data comes from: `gate = {}`",
                        conditions.join(" and ")
                    )),
                });
            }
        }
        _ if !feeding.is_empty() => {
            let names: Vec<String> = feeding
                .iter()
                .map(|(r, _)| format!("`{}`", r.name))
                .collect();
            let conditions: Vec<String> = feeding
                .iter()
                .map(|(r, _)| format!("{}.lag < {}s", r.name, r.max_lag.0))
                .collect();
            ctx.error(NoGate {
                cutover: cutover.name.to_string(),
                replications: format!("replication {}", names.join(" and ")),
                at: at(cf.header_span),
                help: Some(format!(
                    "add `gate = {}`: Route 53 then takes AWS out of rotation by itself while replication is behind",
                    conditions.join(" and ")
                )),
            });
        }
        _ => {}
    }
}

/// Two cutovers moved by one weight input would move together: moving one must never move
/// another.
fn shared_weights(ctx: &mut Ctx, stack: &Stack, facts: &Facts) {
    for (i, cutover) in stack.cutovers.iter().enumerate() {
        let Some(earlier) = stack
            .cutovers
            .iter()
            .take(i)
            .find(|c| c.weight_input == cutover.weight_input)
        else {
            continue;
        };
        let span_of = |name: &Name| {
            facts
                .cutovers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, f)| f.weight_attr_span)
                .unwrap_or_default()
        };
        ctx.error(SharedWeight {
            a: earlier.name.to_string(),
            b: cutover.name.to_string(),
            input: cutover.weight_input.to_string(),
            at: at(span_of(&cutover.name)),
            other: at(span_of(&earlier.name)),
            help: Some(format!(
                "give each cutover its own weight input: `input {}_weight: percent = 0%` and `weight = {}_weight`",
                cutover.name.address(),
                cutover.name.address()
            )),
        });
    }
}

/// AWS's naming rules, checked on the names this workspace produces: the literal text of the
/// pattern once for characters AWS rejects (one root cause, one diagnostic), then every name
/// the workspace derives (`derived`), which also refuses two blocks that would derive one.
fn names(ctx: &mut Ctx, stack: &Stack, facts: &Facts, renames: &[(Name, Name)]) {
    let literal: String = stack
        .name_pattern
        .iter()
        .filter_map(|part| match part {
            crate::model::NamePart::Text(t) => Some(t.as_str()),
            crate::model::NamePart::Input(_) => None,
        })
        .collect();
    let starts_with_text = matches!(
        stack.name_pattern.first(),
        Some(crate::model::NamePart::Text(_))
    );
    let bad_start = starts_with_text && !literal.starts_with(|c: char| c.is_ascii_lowercase());
    // Each piece of text on its own: `payment-{a}-{b}` has no `--`, though its text does.
    let double_hyphen = stack
        .name_pattern
        .iter()
        .any(|part| matches!(part, crate::model::NamePart::Text(t) if t.contains("--")));
    let bad = bad_start
        || double_hyphen
        || !literal
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if bad {
        ctx.error(NameCharacters {
            what: "the name pattern".into(),
            name: literal,
            problem: "has characters AWS rejects in resource names".into(),
            at: at(facts.name_span),
            rule: "load balancer, RDS and DMS names take lowercase letters, digits and single `-`, starting with a letter".into(),
            help: Some("write the pattern in lowercase letters, digits and `-`, e.g. \"payment-migration-{environment_suffix}\"".into()),
        });
    }
    if ctx.derives_names {
        super::derived::check(ctx, stack, facts.name_span, renames, !bad);
    }
}

/// Two workspaces writing one S3 state object would overwrite each other, and a workspace
/// whose state key is another's lock file (`KEY.tflock`, where the S3 backend's native locking
/// writes the lock of `KEY`) would have its state overwritten by a lock, or its lock refused.
/// Only the bucket and the key count: bucket names are global, whatever region a workspace
/// names.
pub(crate) fn shared_state(states: &[(String, Backend, Span)], errors: &mut Vec<CheckError>) {
    let s3 = |b: &Backend| match b {
        Backend::S3 { bucket, key, .. } => Some((bucket.clone(), key.clone())),
        Backend::Local => None,
    };
    for (i, (name, backend, span)) in states.iter().enumerate() {
        let Some((bucket, key)) = s3(backend) else {
            continue;
        };
        for (first, earlier, first_span) in states.iter().take(i) {
            let Some((their_bucket, their_key)) = s3(earlier) else {
                continue;
            };
            if their_bucket != bucket {
                continue;
            }
            let how = if their_key == key {
                format!("same bucket and key as `{first}`")
            } else if key == format!("{their_key}{LOCK_SUFFIX}") {
                format!("the key of `{first}`'s lock file (`{key}`)")
            } else if their_key == format!("{key}{LOCK_SUFFIX}") {
                format!("its lock file (`{their_key}`) is `{first}`'s state")
            } else {
                continue;
            };
            errors.push(
                SharedState {
                    a: first.clone(),
                    b: name.clone(),
                    how,
                    at: at(*span),
                    other: at(*first_span),
                }
                .into(),
            );
            break;
        }
    }
}
