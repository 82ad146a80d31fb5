//! The migration plan, model-checked (`pmigc::plan`), on real stacks: the plan each checked model
//! makes (services reach a replicated database through its writer name; the owning workspace's
//! data cutover and fallback), proven safe for every shipped stack; the same stacks as the seed's
//! CDKTF wired them (services writing the Aurora cluster directly, no data cutover, nothing back:
//! `cdktf`), which give issue 25's counterexamples, with traces that point at the lines a
//! workspace's overrides write; the verdict wherever a user looks — `pmigc phases` (text and
//! JSON) and the language server's related information — and generated stacks with many
//! cutovers and databases, whose state count grows linearly. The checker on hand-built plans is
//! `src/plan/tests.rs`; the catalogue's examples and the golden cases are `tests/it/catalogue.rs` and
//! `tests/it/cases.rs`.

use crate::cli_support::{pmigc, repo, stdout};
use crate::common;
use pmigc::plan::{Access, BackKind, Plan, Proof};

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");
const MARKETPLACE: &str = include_str!("../../stacks/marketplace.pmig");
const ORDERS: &str = include_str!("../../stacks/orders.pmig");
/// The payment stack as the seed wrote it (no data cutover, `reads = ledger` in every
/// workspace): in today's language its services write the data centre's primary through the
/// writer name, and its data never cuts over (PMG0828).
const SEED: &str = include_str!("../cases/err/pmg0828-the-seed-as-written.pmig");

/// Every distinct plan of a stack, checked.
fn proofs(text: &str) -> Vec<Proof> {
    let checked = common::check(text);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    pmigc::plan::verdicts(&checked.stacks, text)
}

/// The diagnostics of a stack checked with the plan check on.
fn planned(text: &str) -> Vec<pmigc::diag::Diagnostic> {
    common::check_in(text, common::repo("stacks"), true).diagnostics
}

/// A plan as the seed's CDKTF wired it, before pmigc said where writes go: every service on AWS
/// writes the Aurora cluster straight away, whatever replication writes into it too; no data
/// cutover, nothing replicated back.
fn cdktf(mut plan: Plan) -> Plan {
    for db in &mut plan.databases {
        db.access = Access::Direct;
        db.data_cutover = None;
        for source in &mut db.sources {
            source.back = None;
        }
    }
    for service in &mut plan.services {
        let reads = std::mem::take(&mut service.reads);
        service.writes.extend(reads);
    }
    plan
}

/// The proofs of a stack's plans as the seed's CDKTF wired them.
fn cdktf_proofs(text: &str) -> Vec<Proof> {
    proofs(text)
        .into_iter()
        .map(|proof| {
            let plan = cdktf(proof.plan);
            Proof {
                verdict: pmigc::plan::check(&plan),
                plan,
                workspaces: proof.workspaces,
            }
        })
        .collect()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn the_seed_writes_through_the_writer_name_and_the_payment_stack_moves_it_with_a_fallback() {
    let text = SEED;
    let checked = common::check(text);
    let stack = checked.stacks.first().expect("a workspace");
    let plan = Plan::of(stack, text);
    let ledger = plan.database("ledger").expect("ledger");
    assert!(matches!(ledger.access, Access::Writer { .. }));
    assert_eq!(ledger.data_cutover, None);
    let source = ledger.sources.first().expect("a replication feeds ledger");
    assert_eq!(source.replication, "onprem_to_aws");
    assert_eq!(source.host, "mysql db.corp.example.com:3306");
    assert!(source.cdc && source.back.is_none());
    assert_eq!(source.at.line, line_of(text, "to       = ledger"));
    let api = plan.service("api").expect("api");
    assert_eq!(api.writes.len(), 1);
    assert_eq!(api.writes[0].at.line, line_of(text, "reads    = ledger"));
    let cutover = plan.cutovers.first().expect("payments");
    assert_eq!(cutover.service, "api");
    assert_eq!(cutover.gate, ["onprem_to_aws"]);
    assert_eq!(cutover.phases_at.line, line_of(text, "phases   = [0%"));
    assert_eq!(cutover.rollback_at.line, line_of(text, "rollback = 0%"));
    // Both workspaces make the same plan: it is checked once, and proven safe.
    let seed = proofs(text);
    assert_eq!(seed.len(), 1);
    assert_eq!(seed[0].workspaces, ["legacy-sync", "aws-production"]);
    assert!(seed[0].verdict.is_safe(), "{:#?}", seed[0].verdict);

    // The shipped payment stack: the workspace that owns the data cutover has it and its
    // fallback; the other only reads. Every plan is proven safe.
    let proofs = proofs(PAYMENT);
    let owner = proofs
        .iter()
        .find(|p| p.workspaces.iter().any(|w| w == "aws-production"))
        .expect("aws-production");
    let ledger = owner.plan.database("ledger").expect("ledger");
    let data_cutover = ledger.data_cutover.expect("the data cutover");
    assert_eq!(
        data_cutover.at.line,
        line_of(PAYMENT, "data_cutover ledger_data")
    );
    assert!(data_cutover.services_return_once_switched);
    let back = ledger.sources[0].back.as_ref().expect("the fallback");
    assert_eq!(back.kind, BackKind::Fallback);
    for proof in &proofs {
        assert!(
            proof.verdict.is_safe(),
            "{:?}: {:#?}",
            proof.workspaces,
            proof.verdict
        );
    }
}

#[test]
fn the_seed_as_its_cdktf_wired_it_gives_issue_25_s_trace_and_as_written_in_pmig_is_safe() {
    // As a stack, the seed checks with the plan check on: its only finding is that its data
    // never cuts over, and that legacy-sync sets the weight of a cutover it does not manage.
    let codes: Vec<String> = planned(SEED).iter().map(|d| d.code.to_string()).collect();
    assert_eq!(codes, ["PMG0828", "PMG0835"]);
    // Wired as the CDKTF program wired it, the same plan splits and loses a payment.
    let proofs = cdktf_proofs(SEED);
    assert_eq!(proofs.len(), 1);
    let ledger = &proofs[0].verdict.databases[0];
    assert!(ledger.split.is_some());
    let lost = ledger.lost.as_ref().expect("a lost payment");
    let steps: Vec<(&str, usize)> = lost
        .steps
        .iter()
        .map(|s| (s.text.as_str(), s.at.line))
        .collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(
        steps[0].0.starts_with("`pmigc move payments 10%`"),
        "{steps:?}"
    );
    assert!(
        steps[1]
            .0
            .starts_with("service `api` accepts a write on database `ledger`'s Aurora cluster"),
        "{steps:?}"
    );
    assert!(
        steps[2]
            .0
            .starts_with("the rollback of cutover `payments`: `pmigc move payments 0%`"),
        "{steps:?}"
    );
    assert_eq!(
        steps.iter().map(|s| s.1).collect::<Vec<_>>(),
        [
            line_of(SEED, "phases   = [0%"),
            line_of(SEED, "reads    = ledger"),
            line_of(SEED, "rollback = 0%")
        ]
    );
    assert!(
        lost.conclusion.text.ends_with("it is lost"),
        "{}",
        lost.conclusion.text
    );
    // As diagnostics: PMG0812 and PMG0813, the steps numbered.
    let diagnostics: Vec<pmigc::diag::Diagnostic> = pmigc::plan::diagnostics_of(&proofs)
        .iter()
        .map(pmigc::diag::Diagnostic::from_report)
        .collect();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["PMG0812", "PMG0813"]);
    assert!(diagnostics[1].labels.iter().any(|l| {
        l.message
            .starts_with("3. the rollback of cutover `payments`")
    }));
}

#[test]
fn a_workspace_s_override_gets_its_own_plan_and_its_own_lines() {
    let text = PAYMENT.replace(
        "  traffic_weight     = 100%\n",
        "  traffic_weight     = 100%\n  payments.phases    = [0%, 20%, 100%]\n",
    );
    assert_ne!(text, PAYMENT);
    let proofs = proofs(&text);
    assert_eq!(proofs.len(), 2);
    assert!(proofs.iter().all(|p| p.verdict.is_safe()));
    let production = cdktf_proofs(&text)
        .into_iter()
        .find(|p| p.workspaces.iter().any(|w| w == "aws-production"))
        .expect("aws-production");
    let lost = production.verdict.databases[0]
        .lost
        .clone()
        .expect("a lost write as CDKTF wired it");
    let first = lost.steps.first().expect("a first step");
    assert!(
        first.text.contains("pmigc move payments 20%"),
        "{}",
        first.text
    );
    assert_eq!(first.at.line, line_of(&text, "payments.phases"));
}

#[test]
fn marketplace_and_orders_are_proven_safe_and_as_cdktf_wired_them_split_from_the_first_apply() {
    for (text, databases) in [
        (MARKETPLACE, &["orders", "catalog"][..]),
        (ORDERS, &["orders"][..]),
    ] {
        for proof in proofs(text) {
            assert!(proof.verdict.is_safe(), "{:#?}", proof.verdict);
        }
        for proof in cdktf_proofs(text) {
            let names: Vec<&str> = proof
                .verdict
                .databases
                .iter()
                .map(|d| d.database.as_str())
                .collect();
            assert_eq!(names, databases);
            for db in &proof.verdict.databases {
                // A service no cutover holds back (support, indexer, worker) writes it all the
                // time: two primaries from the first apply, and no write ever stranded.
                let split = db.split.as_ref().expect("split writes");
                assert!(split.steps.is_empty());
                assert!(split.conclusion.text.starts_with("from the first apply"));
                assert!(db.lost.is_none());
            }
        }
    }
}

#[test]
fn the_language_server_shows_each_step_as_related_information_in_order() {
    use pmigc::lsp::{Document, Encoding};
    let mut doc = Document::new(SEED.to_string(), Encoding::Utf16);
    doc.diagnostics = pmigc::plan::diagnostics_of(&cdktf_proofs(SEED))
        .iter()
        .map(pmigc::diag::Diagnostic::from_report)
        .collect();
    let uri: lsp_types::Uri = "file:///work/payment.pmig".parse().unwrap();
    let shown = pmigc::lsp::diagnostics(&doc, &uri, None);
    let lost = shown
        .iter()
        .find(|d| d.code == Some(lsp_types::NumberOrString::String("PMG0813".into())))
        .expect("the lost write");
    let related = lost
        .related_information
        .as_ref()
        .expect("related information");
    let messages: Vec<&str> = related.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(messages.len(), 3);
    for (i, message) in messages.iter().enumerate() {
        assert!(message.starts_with(&format!("{}. ", i + 1)), "{messages:?}");
        assert!(!message.contains('\n'));
    }
    let lines: Vec<u32> = related
        .iter()
        .map(|r| r.location.range.start.line + 1)
        .collect();
    assert_eq!(
        lines,
        [
            line_of(SEED, "phases   = [0%") as u32,
            line_of(SEED, "reads    = ledger") as u32,
            line_of(SEED, "rollback = 0%") as u32
        ]
    );
    assert_eq!(
        lost.range.start.line + 1,
        line_of(SEED, "rollback = 0%") as u32
    );
}

#[test]
fn pmigc_phases_prints_the_plan_after_the_runbook_and_in_its_json() {
    let out = pmigc(&["phases", "stacks/payment.pmig"], &repo());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let plan = text
        .split("The plan, model-checked")
        .nth(1)
        .expect("a plan section");
    assert!(
        plan.contains(
            "database `ledger` (from mysql db.corp.example.com:3306), 288 states: proven: never two places accepting writes, never a write lost"
        ),
        "{plan}"
    );
    // Once, after both workspaces' runbooks.
    assert_eq!(text.matches("The plan, model-checked").count(), 1);
    let json = pmigc(
        &[
            "phases",
            "stacks/payment.pmig",
            "--workspace",
            "aws-production",
            "--format",
            "json",
        ],
        &repo(),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON runbook");
    let plan = &value["plan"];
    assert_eq!(plan["safe"], true);
    assert_eq!(plan["states"], 288);
    assert!(plan["databases"][0]["lost_write"].is_null());
    // An unsafe plan, as the same printer says it: the seed as CDKTF wired it.
    let proofs = cdktf_proofs(SEED);
    let unsafe_text = pmigc::plan::text(&proofs, None);
    assert!(unsafe_text.contains("NOT SAFE"), "{unsafe_text}");
    assert!(
        unsafe_text.contains("a write is lost (PMG0813):"),
        "{unsafe_text}"
    );
    assert!(unsafe_text.contains(&format!(
        "3. the rollback of cutover `payments`: `pmigc move payments 0%` — all of `pay.example.com` goes back to `legacy.pay.example.com` (line {})",
        line_of(SEED, "rollback = 0%")
    )), "{unsafe_text}");
    let json = pmigc::plan::json(&proofs[0]);
    assert_eq!(json["safe"], false);
    assert_eq!(
        json["databases"][0]["lost_write"]["steps"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[test]
fn many_cutovers_and_databases_check_unit_by_unit_in_linear_state_counts() {
    #[derive(Clone, Copy, PartialEq)]
    enum Wiring {
        AsWritten,
        Cdktf,
        DataCutovers,
    }
    let states = |n: usize, wiring: Wiring| {
        let text = crate::synth::migration(n);
        let checked = pmigc::check_source(&text);
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        let stack = checked.stacks.first().expect("one workspace");
        let plan = Plan::of(stack, &text);
        let plan = match wiring {
            Wiring::AsWritten => plan,
            Wiring::Cdktf => cdktf(plan),
            Wiring::DataCutovers => crate::synth::with_data_cutovers(plan),
        };
        let verdict = pmigc::plan::check(&plan);
        assert_eq!(verdict.databases.len(), n);
        // Written in pmig, every database is safe, with or without a data cutover; wired as
        // CDKTF wired the seed, every one splits and loses a write.
        let unsafe_ = wiring == Wiring::Cdktf;
        assert!(
            verdict
                .databases
                .iter()
                .all(|d| d.split.is_some() == unsafe_ && d.lost.is_some() == unsafe_)
        );
        verdict.states
    };
    for wiring in [Wiring::AsWritten, Wiring::Cdktf, Wiring::DataCutovers] {
        let one = states(1, wiring);
        assert!(one > 0);
        assert_eq!(states(10, wiring), 10 * one);
        assert_eq!(states(100, wiring), 100 * one);
    }
}

/// The plan check on every variant of the payment stack that still checks after one line is
/// deleted or duplicated, and on the ok cases: no panic, the same verdict twice, and a trace step
/// for every line it names that is inside the text.
#[test]
fn the_plan_check_is_total_and_deterministic_on_stacks_that_check() {
    let lines: Vec<&str> = PAYMENT.lines().collect();
    let mut texts: Vec<String> = Vec::new();
    for i in 0..lines.len() {
        let mut deleted = lines.clone();
        deleted.remove(i);
        texts.push(deleted.join("\n"));
        let mut doubled = lines.clone();
        doubled.insert(i, lines[i]);
        texts.push(doubled.join("\n"));
    }
    for entry in std::fs::read_dir(common::repo("tests/cases/ok")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "pmig") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    let mut checked_any = 0;
    for text in &texts {
        let checked = pmigc::check_source(text);
        if checked.has_errors() {
            continue;
        }
        checked_any += 1;
        let first = pmigc::plan::verdicts(&checked.stacks, text);
        assert_eq!(first, pmigc::plan::verdicts(&checked.stacks, text));
        let line_count = text.lines().count();
        for proof in &first {
            for db in &proof.verdict.databases {
                for trace in [&db.split, &db.lost].into_iter().flatten() {
                    for step in trace.steps.iter().chain([&trace.conclusion]) {
                        assert!((1..=line_count).contains(&step.at.line), "{step:?}");
                        assert!(text.get(step.at.span.start..step.at.span.end).is_some());
                    }
                }
            }
        }
    }
    assert!(checked_any > 50, "only {checked_any} variants checked");
}
