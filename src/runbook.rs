//! The cutover runbook: for each cutover of a workspace, the steps from 0 % to 100 % with
//! what to verify before each move, the exact Terraform command that applies it (by phase
//! file, never by typing a number), and the rollback. `text` prints it for people, `json`
//! for a pipeline to drive. Pure: the CLI decides where the roots are.

use crate::model::{Cutover, Percent, Stack};
use serde_json::{Value, json};

/// The phase file of a weight, relative to the workspace's root: `phases/010.tfvars.json`.
pub fn phase_file(weight: Percent) -> String {
    format!("phases/{:03}.tfvars.json", weight.get())
}

/// The contents of a phase file: the cutover's weight input set to `weight`.
pub fn phase_vars(cutover: &Cutover, weight: Percent) -> String {
    let mut text = json!({ cutover.weight_input.as_str(): weight.get() }).to_string();
    text.push('\n');
    text
}

/// One step of a runbook.
struct Step {
    weight: Percent,
    verify: Vec<String>,
    command: String,
}

fn steps(stack: &Stack, cutover: &Cutover, root: &str) -> (Vec<String>, Vec<Step>, Step) {
    let dashboard = stack
        .dashboards
        .first()
        .map(|_| stack.resolved_name.clone());
    let mut before = Vec::new();
    let mut gate_checks = Vec::new();
    if let Some(gate) = &cutover.gate {
        let [source, target] = stack.lag_alarm_names(gate.replication.name());
        let replication = &stack[&gate.replication];
        before.push(format!(
            "replication `{}` ({}) is running: `terraform -chdir={root} output -raw dms_replication_status` prints `running`",
            replication.name,
            replication.mode.dms_value()
        ));
        // Change data capture reads the source's log: what it needs there, per engine.
        if replication.mode != crate::model::MigrationMode::FullLoad {
            before.extend(
                replication
                    .source
                    .engine
                    .profile()
                    .cdc_prerequisites
                    .iter()
                    .map(|line| line.to_string()),
            );
        }
        if let Some(database) = stack[&replication.target].initial_database() {
            before.push(format!(
                "the source's database is named `{database}`: DMS reads that database on `{}` and writes it into the Aurora cluster, which pmigc creates with it",
                replication.source.host
            ));
        }
        gate_checks.push(format!(
            "gate `{}.lag < {}s`: CloudWatch alarms `{source}` and `{target}` are OK",
            gate.replication, gate.threshold.0
        ));
    }
    if let Some(dashboard) = &dashboard {
        gate_checks.push(format!(
            "dashboard `{dashboard}`: load balancer latency and 5xx, database CPU and connections are normal"
        ));
    }
    let command = |weight: Percent| {
        format!(
            "terraform -chdir={root} apply -var-file={}",
            phase_file(weight)
        )
    };
    let steps = cutover
        .phases
        .iter()
        .map(|&weight| Step {
            weight,
            verify: gate_checks.clone(),
            command: command(weight),
        })
        .collect();
    let mut rollback_verify = vec![format!(
        "`{}` resolves to `{}` again for {}% of queries (TTL {}s)",
        cutover.record,
        cutover.legacy_host,
        cutover.rollback.complement().get(),
        cutover.ttl
    )];
    if cutover.gate.is_some() {
        rollback_verify.push("automatic: while the gate's alarm fires, Route 53's health check takes the AWS record out of rotation by itself".into());
    }
    let rollback = Step {
        weight: cutover.rollback,
        verify: rollback_verify,
        command: command(cutover.rollback),
    };
    (before, steps, rollback)
}

/// The runbook as text. `root` is the workspace's root directory as the user reaches it.
pub fn text(stack: &Stack, root: &str) -> String {
    let mut out = String::new();
    for cutover in &stack.cutovers {
        let (before, steps, rollback) = steps(stack, cutover, root);
        out.push_str(&format!(
            "Cutover `{}` in workspace `{}`: `{}` moves from `{}` to service `{}`\n",
            cutover.name,
            stack.workspace.name,
            cutover.record,
            cutover.legacy_host,
            cutover.service
        ));
        out.push_str(&format!(
            "The workspace is built at {}%; each step below applies one phase file.\n\n",
            cutover.weight.get()
        ));
        out.push_str(&format!(
            "Before the first step\n  terraform -chdir={root} init\n"
        ));
        for line in &before {
            out.push_str(&format!("  verify: {line}\n"));
        }
        let total = steps.len();
        for (i, step) in steps.iter().enumerate() {
            out.push_str(&format!(
                "\nStep {} of {}: {}% of traffic to AWS\n  apply:  {}\n",
                i + 1,
                total,
                step.weight.get(),
                step.command
            ));
            for line in &step.verify {
                out.push_str(&format!("  verify before the next step: {line}\n"));
            }
        }
        out.push_str(&format!(
            "\nRollback (from any step): back to {}%\n  apply:  {}\n",
            rollback.weight.get(),
            rollback.command
        ));
        for line in &rollback.verify {
            out.push_str(&format!("  verify: {line}\n"));
        }
        out.push('\n');
    }
    if stack.cutovers.is_empty() {
        out.push_str(&format!(
            "Workspace `{}` declares no cutover.\n",
            stack.workspace.name
        ));
    }
    out
}

/// The runbook as data.
pub fn json(stack: &Stack, root: &str) -> Value {
    let cutovers: Vec<Value> = stack
        .cutovers
        .iter()
        .map(|cutover| {
            let (before, steps, rollback) = steps(stack, cutover, root);
            let step = |s: &Step| {
                json!({
                    "weight": s.weight.get(),
                    "var_file": phase_file(s.weight),
                    "command": s.command,
                    "verify": s.verify,
                })
            };
            json!({
                "cutover": cutover.name.as_str(),
                "record": cutover.record,
                "legacy": cutover.legacy_host,
                "service": cutover.service.name().as_str(),
                "current_weight": cutover.weight.get(),
                "gate": cutover.gate.as_ref().map(|g| json!({
                    "replication": g.replication.name().as_str(),
                    "threshold_seconds": g.threshold.0,
                    "alarms": stack.lag_alarm_names(g.replication.name()),
                })),
                "before": before,
                "steps": steps.iter().map(step).collect::<Vec<_>>(),
                "rollback": step(&rollback),
            })
        })
        .collect();
    json!({
        "workspace": stack.workspace.name.as_str(),
        "root": root,
        "cutovers": cutovers,
    })
}
