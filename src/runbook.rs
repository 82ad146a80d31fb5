//! The cutover runbook: for each cutover a workspace manages, the steps from 0 % to 100 % with
//! what to verify before each move, the exact commands that make it, and the rollback. A step
//! is a one-line change of the stack (`pmigc move`, which rewrites the workspace's weight for
//! that cutover and nothing else), a build, and a plain `terraform apply`: a root has no weight
//! variable, so it always applies every cutover exactly where the stack puts it. What to verify
//! names only what exists: the gate's alarms by their conditions, the replication's status
//! through an output the stack declares (else through the AWS CLI), each dashboard by name.
//! `text` prints it for people, `json` for a pipeline to drive. Pure: the CLI decides where the
//! stack and the roots are.

mod data;

use crate::model::{Cutover, OutputValue, Percent, Stack};
use crate::shell;
use serde_json::{Value, json};

/// Where the stack and the roots are, as the user reaches them (as given on the command line,
/// unescaped: every command quotes them, `shell`).
#[derive(Debug, Clone, Copy)]
pub struct Paths<'a> {
    /// The `.pmig` file.
    pub stack: &'a str,
    /// The directory `build` writes the roots into (`out`).
    pub out: &'a str,
}

impl Paths<'_> {
    fn root(&self, stack: &Stack) -> String {
        format!("{}/{}", self.out, stack.workspace.name)
    }

    /// `terraform -chdir=ROOT` and `words`, quoted.
    fn terraform(&self, stack: &Stack, words: &[&str]) -> String {
        let chdir = format!("-chdir={}", self.root(stack));
        shell::command(
            ["terraform", chdir.as_str()]
                .into_iter()
                .chain(words.iter().copied()),
        )
    }
}

/// The commands that move `cutover` to `weight` in this workspace, each word quoted for `sh`.
pub fn commands(stack: &Stack, cutover: &Cutover, weight: Percent, paths: Paths) -> Vec<String> {
    let weight = weight.to_string();
    let (stack_path, out) = (shell::path(paths.stack), shell::path(paths.out));
    vec![
        shell::command([
            "pmigc",
            "move",
            cutover.name.as_str(),
            &weight,
            "--workspace",
            stack.workspace.name.as_str(),
            &stack_path,
        ]),
        shell::command(["pmigc", "build", &stack_path, "--out", &out]),
        paths.terraform(stack, &["apply"]),
    ]
}

/// One step of a runbook.
struct Step {
    weight: Percent,
    verify: Vec<String>,
    commands: Vec<String>,
}

/// How to see that a replication's DMS task runs: the stack's own output when it declares one.
fn running(stack: &Stack, replication: &crate::model::Replication, paths: Paths) -> String {
    let output = stack.outputs.iter().find(
        |o| matches!(&o.value, OutputValue::ReplicationStatus(r) if r.name() == &replication.name),
    );
    let how = match output {
        Some(output) => format!(
            "`{}` prints `running`",
            paths.terraform(stack, &["output", "-raw", output.name.as_str()])
        ),
        None => format!(
            "`{}` shows `\"Status\": \"running\"`",
            shell::command([
                "aws",
                "dms",
                "describe-replication-tasks",
                "--filters",
                &format!(
                    "Name=replication-task-id,Values={}",
                    stack.aws_name(&replication.name)
                ),
            ])
        ),
    };
    format!(
        "replication `{}` ({}) is running: {how}",
        replication.name,
        replication.mode.dms_value()
    )
}

/// What change data capture needs on the source, per engine, and the database DMS reads.
fn prerequisites(
    stack: &Stack,
    replication: &crate::model::Replication,
    paths: Paths,
) -> Vec<String> {
    let source = replication.source.engine.profile();
    // Every endpoint pmigc emits connects with `ssl_mode = require` (`lower::replication`).
    let mut lines = vec![source.tls.to_string()];
    // Change data capture reads the source's log: what it needs there, per engine and version.
    if replication.mode != crate::model::MigrationMode::FullLoad {
        lines.extend(source.cdc_lines(replication.source.version));
    }
    let db = &stack[&replication.target];
    if let Some(database) = db.initial_database() {
        lines.push(format!(
            "the source's database is named `{database}`: DMS reads that database on `{}` and writes it into the Aurora cluster, which pmigc creates with it",
            replication.source.host
        ));
    }
    lines.extend(more_databases(stack, replication, db, paths));
    lines
}

/// The databases after the first of `dbname = [...]`: each has a DMS task of its own, and
/// must exist on Aurora before that task starts. RDS creates only the cluster's one
/// `DatabaseName` (CreateDBCluster,
/// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html) and
/// DMS does not create the target database ("The target database must exist before you
/// connect", https://docs.aws.amazon.com/dms/latest/userguide/data-providers-postgresql.html):
/// the first apply creates the cluster's instances alone (`-target`), `psql` creates the
/// others, then the full apply creates and starts the tasks.
fn more_databases(
    stack: &Stack,
    replication: &crate::model::Replication,
    db: &crate::model::Database,
    paths: Paths,
) -> Vec<String> {
    let (Some(first), false) = (db.initial_database(), db.more_databases.is_empty()) else {
        return Vec::new();
    };
    let tasks: Vec<String> = stack
        .replication_tasks(&replication.name)
        .iter()
        .filter_map(|(task, database)| {
            database
                .as_ref()
                .map(|d| format!("`{}` ({d})", stack.aws_name(task)))
        })
        .collect();
    let writer = crate::derived::table::database::INSTANCE.at(&db.name, &["writer", "1"]);
    let cluster = stack.aws_name(&db.name);
    let mut lines = vec![format!(
        "the source's other databases, {}, move into the same cluster: one DMS task per database, {}",
        db.more_databases
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", "),
        tasks.join(", ")
    )];
    // A logical replication slot decodes the changes of one database (PostgreSQL docs,
    // "Logical Decoding Concepts", https://www.postgresql.org/docs/current/logicaldecoding-explanation.html):
    // each task holds a slot of its own on the source.
    let all = db.databases();
    lines.push(format!(
        "on the source: each of the {} tasks reads through a replication slot of its own (a logical slot decodes one database): `max_replication_slots` and `max_wal_senders` at least {} more than in use, and the replication user has `CONNECT` and `SELECT` on the migrated tables in each of {}",
        all.len(),
        all.len(),
        all.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
    ));
    let target = format!("-target={}", writer.spelled());
    let apply_cluster = paths.terraform(stack, &["apply", target.as_str()]);
    let endpoint = crate::shell::command([
        "aws",
        "rds",
        "describe-db-clusters",
        "--db-cluster-identifier",
        &cluster,
        "--query",
        "DBClusters[0].Endpoint",
        "--output",
        "text",
    ]);
    for database in &db.more_databases {
        let psql = crate::shell::command([
            "psql",
            &format!(
                "port={} dbname={first} user={} sslmode=require",
                db.port.get(),
                db.username
            ),
            "-c",
            &format!("CREATE DATABASE {database}"),
        ]);
        lines.push(format!(
            "before the first full apply, database `{database}` exists on Aurora (RDS creates only `{first}`, DMS creates no database): create the cluster alone with `{apply_cluster}`, then from a host that reaches it run `PGHOST=\"$({endpoint})\" {psql}` with the master password, then apply everything (the task of `{database}` starts then)"
        ));
    }
    lines
}

fn steps(stack: &Stack, cutover: &Cutover, paths: Paths) -> (Vec<String>, Vec<Step>, Step) {
    let mut before = Vec::new();
    let mut checks = Vec::new();
    // After the data cutover of a database its service writes, the legacy record and the gate
    // are gone (`lower::cutover`): nothing to verify of them.
    let retired = stack.legacy_retired(cutover);
    match cutover.gate.as_ref().filter(|_| !retired) {
        Some(gate) => {
            for condition in gate
                .conditions
                .iter()
                .filter(|c| stack.forward_runs(c.replication.name()))
            {
                let replication = &stack[&condition.replication];
                if let crate::model::DmsRoles::Use(Some(creator)) = &stack.dms_roles {
                    let line = format!(
                        "workspace `{creator}` is applied first: it creates DMS's account-wide IAM roles (`{}`), which this root's replication instances need",
                        crate::model::DMS_ROLES.join("`, `")
                    );
                    if !before.contains(&line) {
                        before.push(line);
                    }
                }
                before.push(running(stack, replication, paths));
                for line in prerequisites(stack, replication, paths) {
                    // Two sources of one engine need the same things: said once.
                    if !before.contains(&line) {
                        before.push(line);
                    }
                }
                // Every task of the replication (one per database of its target) is in the
                // gate, so every task's alarms are checked, not only the first database's.
                let alarms: Vec<String> = stack
                    .task_lag_alarm_names(condition)
                    .iter()
                    .flatten()
                    .map(|a| format!("`{a}`"))
                    .collect();
                checks.push(format!(
                    "gate condition `{}`: CloudWatch alarms {} are OK",
                    condition.describe(),
                    alarms.join(" and ")
                ));
                for (task, _) in stack.replication_tasks(condition.replication.name()) {
                    let [failed, suspended] = stack.consistency_alarm_names(&task);
                    checks.push(format!(
                        "data consistency of `{task}`: CloudWatch alarms `{failed}` (rows that failed DMS validation) and `{suspended}` (validation suspended) are OK"
                    ));
                }
            }
            for condition in &gate.service {
                let alarms: Vec<String> = stack
                    .service_alarm_names(condition)
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect();
                checks.push(format!(
                    "gate condition `{}`: CloudWatch {} {} OK",
                    condition.describe(),
                    if alarms.len() == 1 { "alarm" } else { "alarms" },
                    if alarms.len() == 1 {
                        format!("{} is", alarms.join(""))
                    } else {
                        format!("{} are", alarms.join(" and "))
                    }
                ));
            }
        }
        None if retired => before.push(
            "after the data cutover the legacy application takes no traffic: its record and the gate are gone until the data rollback".into(),
        ),
        None => before.push(
            "this cutover has no gate: nothing stops traffic moving while replication is behind; check the lag yourself before each step".into(),
        ),
    }
    if !retired {
        checks.push(format!(
            "application health: Route 53 health check `{}` (HTTPS `{}` through the load balancer) is healthy",
            stack.app_check_name(&cutover.name),
            stack[&cutover.service].health_path
        ));
    }
    for dashboard in &stack.dashboards {
        checks.push(format!(
            "dashboard `{}`: load balancer latency and requests, database CPU and connections, replication lag are normal",
            stack.aws_name(&dashboard.name)
        ));
    }
    let steps = cutover
        .phases
        .iter()
        .map(|&weight| Step {
            weight,
            verify: checks.clone(),
            commands: commands(stack, cutover, weight, paths),
        })
        .collect();
    let (writes, refused) = data::traffic_notes(stack, cutover);
    before.extend(writes);
    let mut rollback_verify: Vec<String> = refused.into_iter().collect();
    rollback_verify.push(format!(
        "`{}` resolves to `{}` again for {}% of queries (TTL {}s)",
        cutover.record,
        cutover.legacy_host,
        cutover.rollback.complement().get(),
        cutover.ttl
    ));
    if cutover.gate.is_some() && !retired {
        rollback_verify.push("automatic: while a gate alarm fires, Route 53's health check takes the AWS record out of rotation by itself".into());
    }
    if !retired {
        rollback_verify.push("automatic: while the application fails its health check, Route 53 takes the AWS record out of rotation by itself".into());
    }
    let rollback = Step {
        weight: cutover.rollback,
        verify: rollback_verify,
        commands: commands(stack, cutover, cutover.rollback, paths),
    };
    (before, steps, rollback)
}

/// The cutovers of `stack` a runbook covers: every one, or the one named `only`.
fn selected<'a>(stack: &'a Stack, only: Option<&'a str>) -> impl Iterator<Item = &'a Cutover> {
    stack
        .cutovers
        .iter()
        .filter(move |c| only.is_none_or(|o| c.name.as_str() == o))
}

/// The runbook as text, for every cutover or the one named `only`.
pub fn text(stack: &Stack, paths: Paths, only: Option<&str>) -> String {
    let mut out = String::new();
    let ws = &stack.workspace.name;
    for cutover in selected(stack, only) {
        if let Some(owner) = cutover.owner.as_ref().filter(|_| !stack.manages(cutover)) {
            out.push_str(&format!(
                "Cutover `{}` is managed by {}: the root of `{ws}` leaves its records alone.\n\n",
                cutover.name,
                owner.who()
            ));
            continue;
        }
        let (before, steps, rollback) = steps(stack, cutover, paths);
        out.push_str(&format!(
            "Cutover `{}` in workspace `{ws}`: `{}` moves from `{}` to service `{}`\n",
            cutover.name, cutover.record, cutover.legacy_host, cutover.service
        ));
        out.push_str(&format!(
            "The stack puts it at {}% (input `{}`); each step below changes that one value, builds and applies. No other cutover moves.\n\n",
            cutover.weight.get(),
            cutover.weight_input
        ));
        out.push_str(&format!(
            "Before the first step\n  {}\n",
            paths.terraform(stack, &["init"])
        ));
        for line in &before {
            out.push_str(&format!("  verify: {line}\n"));
        }
        let total = steps.len();
        for (i, step) in steps.iter().enumerate() {
            out.push_str(&format!(
                "\nStep {} of {}: {}% of traffic to AWS\n",
                i + 1,
                total,
                step.weight.get()
            ));
            for command in &step.commands {
                out.push_str(&format!("  run:    {command}\n"));
            }
            for line in &step.verify {
                out.push_str(&format!("  verify before the next step: {line}\n"));
            }
        }
        out.push_str(&format!(
            "\nRollback (from any step): back to {}%\n",
            rollback.weight.get()
        ));
        for command in &rollback.commands {
            out.push_str(&format!("  run:    {command}\n"));
        }
        for line in &rollback.verify {
            out.push_str(&format!("  verify: {line}\n"));
        }
        out.push('\n');
    }
    out.push_str(&data::text(stack, paths, only));
    if stack.cutovers.is_empty() && stack.data_cutovers.is_empty() {
        out.push_str(&format!("Workspace `{ws}` declares no cutover.\n"));
    }
    out
}

/// The runbook as data, for every cutover or the one named `only`.
pub fn json(stack: &Stack, paths: Paths, only: Option<&str>) -> Value {
    let cutovers: Vec<Value> = selected(stack, only)
        .map(|cutover| {
            let managed = stack.manages(cutover);
            let (before, steps, rollback) = steps(stack, cutover, paths);
            let step = |s: &Step| {
                json!({
                    "weight": s.weight.get(),
                    "commands": s.commands,
                    "verify": s.verify,
                })
            };
            json!({
                "cutover": cutover.name.as_str(),
                "record": cutover.record,
                "legacy": cutover.legacy_host,
                "service": cutover.service.name().as_str(),
                "weight_input": cutover.weight_input.as_str(),
                "current_weight": cutover.weight.get(),
                "managed_here": managed,
                // One owner as a string (as before several could be listed), several as a list.
                "owner": cutover.owner.as_ref().map(|o| match o.names() {
                    [one] => json!(one.as_str()),
                    names => json!(names.iter().map(|n| n.as_str()).collect::<Vec<_>>()),
                }),
                "gate": cutover.gate.as_ref().map(|g| g.conditions.iter().map(|c| json!({
                    "replication": c.replication.name().as_str(),
                    "threshold_seconds": c.threshold.0,
                    "alarms": stack.task_lag_alarm_names(c).concat(),
                })).collect::<Vec<_>>()),
                "service_gate": cutover.gate.as_ref().map(|g| g.service.iter().map(|c| json!({
                    "service": c.service.name().as_str(),
                    "condition": c.describe(),
                    "alarms": stack.service_alarm_names(c),
                })).collect::<Vec<_>>()),
                "before": before,
                "steps": if managed { steps.iter().map(step).collect::<Vec<_>>() } else { Vec::new() },
                "rollback": managed.then(|| step(&rollback)),
            })
        })
        .collect();
    json!({
        "workspace": stack.workspace.name.as_str(),
        "root": paths.root(stack),
        "cutovers": cutovers,
        "data_cutovers": data::json(stack, paths, only),
    })
}
