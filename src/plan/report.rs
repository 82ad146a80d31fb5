//! The verdicts where a user looks: the plans of a stack's workspaces checked once each
//! (`verdicts`), their counterexamples as diagnostics (PMG0812 for split writes, PMG0813 for a
//! lost write; the steps are the secondary labels, numbered, in order), and as the text and
//! JSON `pmigc phases` prints.

mod diagnostics;
pub(crate) use diagnostics::{LostWrite, SplitWrites};

use super::{DatabaseVerdict, Locator, Plan, Trace, Verdict, check};
use crate::check::error::CheckError;
use crate::diag::{Coded, at};
use crate::model::Stack;
use crate::syntax::ast::File;

/// A checked plan: the workspaces whose models make it, the plan, and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub workspaces: Vec<String>,
    pub plan: Plan,
    pub verdict: Verdict,
}

/// The plan of every distinct workspace model of a stack (workspaces whose plans are the same
/// share one), each checked: what `check` and `pmigc phases` report. `stacks` are the checked
/// models of `text`.
pub fn verdicts(stacks: &[Stack], text: &str) -> Vec<Proof> {
    let (file, _) = crate::syntax::parse(text);
    verdicts_in(stacks, &file, text)
}

/// [`verdicts`] of a text already parsed into `file`.
pub(crate) fn verdicts_in(stacks: &[Stack], file: &File, text: &str) -> Vec<Proof> {
    let locate = Locator::new(file, text);
    let mut plans: Vec<(Plan, Vec<String>)> = Vec::new();
    for stack in stacks {
        let plan = Plan::from_stack(stack, &locate);
        let workspace = stack.workspace.name.to_string();
        match plans.iter_mut().find(|(p, _)| *p == plan) {
            Some((_, workspaces)) => workspaces.push(workspace),
            None => plans.push((plan, vec![workspace])),
        }
    }
    plans
        .into_iter()
        .map(|(plan, workspaces)| Proof {
            verdict: check(&plan),
            workspaces,
            plan,
        })
        .collect()
}

/// One diagnostic per violated property and database.
pub(crate) fn diagnostics(stacks: &[Stack], file: &File, text: &str) -> Vec<CheckError> {
    diagnostics_of(&verdicts_in(stacks, file, text))
}

/// The diagnostics of checked plans (PMG0812, PMG0813), named by workspace when there are
/// several.
pub fn diagnostics_of(proofs: &[Proof]) -> Vec<CheckError> {
    let several = proofs.len() > 1;
    let mut errors = Vec::new();
    for Proof {
        workspaces,
        verdict,
        ..
    } in proofs
    {
        let workspaces = if several {
            format!(" (workspace {})", quoted(workspaces))
        } else {
            String::new()
        };
        for db in &verdict.databases {
            if let Some(trace) = &db.split {
                errors.push(
                    SplitWrites {
                        database: db.database.clone(),
                        sources: quoted(&db.sources),
                        workspaces: workspaces.clone(),
                        at: at(trace.conclusion.at.span),
                        conclusion: trace.conclusion.text.clone(),
                        steps: labels(trace),
                        help: Some(trace.help.clone()),
                    }
                    .into(),
                );
            }
            if let Some(trace) = &db.lost {
                errors.push(
                    LostWrite {
                        database: db.database.clone(),
                        count: trace.steps.len(),
                        workspaces: workspaces.clone(),
                        at: at(trace.conclusion.at.span),
                        conclusion: trace.conclusion.text.clone(),
                        steps: labels(trace),
                        help: Some(trace.help.clone()),
                    }
                    .into(),
                );
            }
        }
    }
    errors
}

/// The steps as secondary labels, numbered, in order.
fn labels(trace: &Trace) -> Vec<miette::LabeledSpan> {
    trace
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| miette::LabeledSpan::new_with_span(Some(numbered(i, &s.text)), at(s.at.span)))
        .collect()
}

fn numbered(i: usize, text: &str) -> String {
    format!("{}. {text}", i + 1)
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.join(", ")
}

/// The proofs as `pmigc phases` prints them after the runbook; with `only`, the databases
/// that services behind that cutover write.
pub fn text(proofs: &[Proof], only: Option<&str>) -> String {
    let mut out = String::from(
        "The plan, model-checked: every order of the runbook's steps, with gates tripping, replications stopping, services failing and writer switches half done (docs/migration-model.md)\n",
    );
    let several = proofs.len() > 1;
    for proof in proofs {
        let indent = if several {
            out.push_str(&format!("  workspace {}:\n", quoted(&proof.workspaces)));
            "    "
        } else {
            "  "
        };
        let databases: Vec<&DatabaseVerdict> = proof
            .verdict
            .databases
            .iter()
            .filter(|d| only.is_none_or(|c| proof.plan.fronted_writes(c, &d.database)))
            .collect();
        if databases.is_empty() {
            out.push_str(&format!(
                "{indent}no service writes a database a replication copies into: nothing to prove\n"
            ));
        }
        for db in databases {
            let head = format!(
                "{indent}database `{}` (from {}), {} states:",
                db.database,
                db.sources.join(", "),
                db.states
            );
            if db.split.is_none() && db.lost.is_none() {
                out.push_str(&format!(
                    "{head} proven: never two places accepting writes, never a write lost\n"
                ));
                continue;
            }
            out.push_str(&format!("{head} NOT SAFE\n"));
            for (code, what, trace) in [
                (SplitWrites::CODE, "two places accept writes", &db.split),
                (LostWrite::CODE, "a write is lost", &db.lost),
            ] {
                let Some(trace) = trace else { continue };
                out.push_str(&format!("{indent}  {what} ({code}):\n"));
                for (i, step) in trace.steps.iter().enumerate() {
                    out.push_str(&format!(
                        "{indent}    {} (line {})\n",
                        numbered(i, &step.text),
                        step.at.line
                    ));
                }
                out.push_str(&format!(
                    "{indent}    then: {} (line {})\n{indent}    help: {}\n",
                    trace.conclusion.text, trace.conclusion.at.line, trace.help
                ));
            }
        }
    }
    out
}

/// A proof as `pmigc phases --format json` adds it to a workspace's runbook.
pub fn json(proof: &Proof) -> serde_json::Value {
    let trace = |trace: &Option<Trace>| {
        trace.as_ref().map(|t| {
            serde_json::json!({
                "steps": t.steps.iter().map(|s| serde_json::json!({ "text": s.text, "line": s.at.line })).collect::<Vec<_>>(),
                "then": { "text": t.conclusion.text, "line": t.conclusion.at.line },
                "help": t.help,
            })
        })
    };
    serde_json::json!({
        "states": proof.verdict.states,
        "safe": proof.verdict.is_safe(),
        "databases": proof.verdict.databases.iter().map(|d| serde_json::json!({
            "database": d.database,
            "sources": d.sources,
            "states": d.states,
            "split_writes": trace(&d.split),
            "lost_write": trace(&d.lost),
        })).collect::<Vec<_>>(),
    })
}
