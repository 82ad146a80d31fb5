//! The golden corpus as a whole (issue 16):
//!
//! - every machine-applicable fix, applied, gives a stack that checks clean or closer to clean
//!   (fewer diagnostics, no code it did not have), and the fixes of a case never overlap;
//! - one root cause, one diagnostic: each case is one mistake (or says how many it makes, in
//!   `SEVERAL` below), and produces no more diagnostics than that. The count is printed
//!   (`cargo test fixes:: -- --nocapture`).

use crate::common;
use crate::golden;

use std::collections::BTreeSet;

/// Every diagnostic, errors and warnings: a fix may remove either. The files a case names
/// (`boot = file "…"`) are read beside the cases.
fn errors(text: &str) -> Vec<pmigc::diag::Diagnostic> {
    let dir = common::repo("tests/cases/err");
    common::check_in(text, dir, common::expects_plan(text)).diagnostics
}

/// Every fix of `text`'s diagnostics, applied from the end of the file.
fn apply_fixes(text: &str, diagnostics: &[pmigc::diag::Diagnostic]) -> Option<String> {
    let mut fixes: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.clone()).collect();
    if fixes.is_empty() {
        return None;
    }
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    fixes.dedup_by(|a, b| a.span == b.span && a.replacement == b.replacement);
    for pair in fixes.windows(2) {
        assert!(
            pair[0].span.end <= pair[1].span.start,
            "overlapping fixes: {pair:?}"
        );
    }
    let mut out = text.to_string();
    for fix in fixes.iter().rev() {
        out.replace_range(fix.span.start..fix.span.end, &fix.replacement);
    }
    Some(out)
}

#[test]
fn applying_every_fix_checks_clean_or_closer_to_clean() {
    let mut applied = 0;
    let mut clean = 0;
    let mut failures = Vec::new();
    for case in golden::cases("err") {
        let text = case.text;
        let before = errors(&text);
        let Some(fixed) = apply_fixes(&text, &before) else {
            continue;
        };
        applied += 1;
        let (was, now) = (errors(&text), errors(&fixed));
        let old: BTreeSet<&str> = before.iter().map(|d| d.code.as_str()).collect();
        let new: Vec<String> = errors(&fixed)
            .iter()
            .filter(|d| !old.contains(d.code.as_str()))
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        // Past the error limit (PMG0106) what a fix reveals replaces what it removed.
        let limited = before.iter().any(|d| d.code.as_str() == "PMG0106");
        if !limited && (now.len() >= was.len() || !new.is_empty()) {
            failures.push(format!(
                "{}: {} diagnostics before the fixes, {} after; new: {new:?}",
                case.name,
                was.len(),
                now.len()
            ));
        }
        if now.is_empty() {
            clean += 1;
        }
    }
    println!("fixes applied in {applied} cases; {clean} of them check clean afterwards");
    assert!(applied >= 15, "only {applied} cases have a fix");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Cases that make several mistakes on purpose: (case, mistakes, what they are).
const SEVERAL: &[(&str, usize, &str)] = &[
    (
        "cutover-bad-gate-and-bad-rollback",
        2,
        "a bad gate and a bad rollback",
    ),
    ("durations-too-large", 2, "a lag budget and a TTL"),
    (
        "gate-errors-per-hour-and-none",
        2,
        "errors per hour and a latency of 0ms",
    ),
    ("independent-errors-in-two-blocks", 2, "one in each block"),
    ("misspelt-database-at-three-uses", 3, "three misspelt uses"),
    ("network-bad-nat-and-bad-vpn", 2, "nat and vpn"),
    (
        "pmg0505-networks-overlap",
        2,
        "an overlapping network, which is also unused",
    ),
    (
        "pmg0607-service-not-exposed",
        2,
        "no load balancer, so its certificate is unused",
    ),
    ("pmg0608-two-names-one-address", 2, "two pairs of names"),
    (
        "pmg0306-misspelt-postgresql-engine",
        2,
        "a misspelt target engine and a misspelt source engine",
    ),
    (
        "pmg0609-unused-port-and-health",
        2,
        "an unused port and an unused health path",
    ),
    (
        "pmg1004-placeholder-outside-the-name",
        2,
        "a placeholder in a tag and one in the legacy host",
    ),
    (
        "pmg0106-too-many-errors",
        101,
        "a hundred and five broken outputs: 100 reported, then where reading stopped",
    ),
    (
        "pmg0106-too-many-check-errors",
        101,
        "a hundred and one unknown blocks: 100 reported, then where listing stopped",
    ),
    (
        "pmg1007-unknown-workspace",
        2,
        "an unknown owner and an unknown creator of the DMS roles",
    ),
    (
        "pmg0703-secret-looking-names",
        3,
        "a tag, an input, and that input unused",
    ),
    (
        "pmg0612-boot-file-empty-and-not-utf8",
        2,
        "an empty script and a script that is not UTF-8",
    ),
    (
        "pmg0612-boot-file-outside-the-stack",
        2,
        "an absolute path and a path through `..`",
    ),
    (
        "pmg1003-workspace-name-unusable-as-directory",
        2,
        "two workspace names",
    ),
    (
        "service-bad-exposed-and-misspelt-reads",
        2,
        "exposed and reads",
    ),
    (
        "syntax-and-check-errors-together",
        2,
        "a syntax and a check error",
    ),
    ("syntax-recovery-several-errors", 3, "three syntax errors"),
    (
        "pmg0411-rds-class-on-aurora",
        2,
        "an RDS class in the block and another in a workspace override",
    ),
    (
        "internal-load-balancer-forms",
        4,
        "no protocol, HTTPS without a certificate, a certificate for HTTP, a redirect without HTTPS",
    ),
    (
        "data-cutover-without-the-data-centre-login",
        2,
        "the login's user name and its password, both left out",
    ),
    (
        "read-only-said-otherwise",
        2,
        "`readonly = true` and `.reader_endpoint`",
    ),
    (
        "pmg0617-settings-without-effect-on-internal",
        2,
        "`waf = off` and `http = forward`, on two services",
    ),
    (
        "tags-pmigc-writes-and-given-twice",
        2,
        "a tag pmigc writes itself, and a tag given twice",
    ),
    (
        "pmg1010-state-bucket-and-key",
        2,
        "a bucket and a key, each refused",
    ),
    (
        "workspace-sets-things-twice",
        3,
        "a state, an input and an override, each set twice",
    ),
    (
        "derived-address-clash",
        2,
        "two workers, each named like an address another block derives",
    ),
    (
        "derived-name-too-long-monitoring-role",
        2,
        "a name too long in each of the two workspaces, each measured with its own inputs",
    ),
    (
        "input-as-record-default-outside-its-zone",
        2,
        "a default outside the zone, and a setting in a workspace that does not manage the cutover",
    ),
    (
        "pmg0828-the-seed-as-written",
        2,
        "data that never cuts over, and a weight set in a workspace that does not manage the cutover",
    ),
    (
        "table-pattern-not-schema-dot-table",
        2,
        "two patterns, one without a `.` and one with two",
    ),
    (
        "cutover-overridden-where-none-of-its-owners-is",
        2,
        "an override of the cutover and a weight set in a workspace that is none of its owners",
    ),
];

#[test]
fn one_root_cause_one_diagnostic() {
    let (mut diagnostics, mut causes) = (0, 0);
    let mut failures = Vec::new();
    for golden::Case {
        name: case, text, ..
    } in golden::cases("err")
    {
        let count = errors(&text).len();
        let mistakes = SEVERAL
            .iter()
            .find(|(n, _, _)| *n == case)
            .map_or(1, |(_, m, _)| *m);
        diagnostics += count;
        causes += mistakes;
        if count > mistakes {
            failures.push(format!(
                "{case}: {count} diagnostics for {mistakes} mistakes"
            ));
        }
    }
    println!(
        "golden corpus: {diagnostics} diagnostics for {causes} root causes ({:.3} per root cause)",
        diagnostics as f64 / causes as f64
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
