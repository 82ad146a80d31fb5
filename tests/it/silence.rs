//! Nothing fails silently (issue 12): every attribute of the payment stack, set to values that
//! are too large for what they become, empty, or of the wrong shape, is either refused with an
//! error diagnostic or compiles every workspace. A stack that yields fewer workspaces than it
//! declares with no error, or the internal error PMG0001, fails the test.

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

/// Values that are out of every range, or shaped like something else.
const VALUES: &[&str] = &[
    "99999999999s",
    "99999999999",
    "18446744073709551616",
    "99999999999999999999 days",
    "999999999999999999 days",
    "4294967296",
    "65536",
    "256",
    "0",
    "0s",
    "0%",
    "999999999%",
    "1..99999999999",
    "99999999999..1",
    "0..0",
    "/99",
    "/99 per zone",
    "/0 per zone",
    "\"\"",
    "\"${x}\"",
    "[]",
    "[99999999999%]",
    "{}",
    "x",
    "x.y.z",
    "a b c",
    "https via main.public with pay.x",
    "https via main.private with pay",
    "path \"/x\" on api",
    "mysql \"h\":99999999 via onprem",
    "onprem_to_aws.lag < 99999999999 days",
    "off because \"\"",
    "s3 \"\" \"\"",
    "local",
    "forward",
    "single",
];

/// The payment stack with the optional attributes written out, so they are mutated too.
fn base() -> String {
    PAYMENT
        .replace("  rollback = 0%\n", "  rollback = 0%\n  ttl      = 60s\n")
        .replace(
            "  reads    = ledger\n",
            "  reads    = ledger\n  http     = redirect\n  allow    = [192.168.10.0/24]\n",
        )
        .replace(
            "  backups  = 7 days\n",
            "  backups  = 7 days\n  encryption = kms\n",
        )
}

/// Byte ranges of every attribute value: the text after ` = ` on lines inside a block.
fn values(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if body.starts_with("  ")
            && let Some(eq) = body.find(" = ")
        {
            let start = eq + 3;
            let value = &body[start..];
            let lead = value.len() - value.trim_start().len();
            out.push((offset + start + lead, offset + body.len()));
        }
        offset += line.len();
    }
    out
}

#[test]
fn no_value_makes_a_workspace_vanish_without_an_error() {
    let base = base();
    let clean = pmigc::check_source(&base);
    assert!(!clean.has_errors(), "{:#?}", clean.diagnostics);
    let workspaces = clean.stacks.len();
    assert_eq!(workspaces, 2);
    let slots = values(&base);
    assert!(
        slots.len() > 40,
        "only {} attribute values found",
        slots.len()
    );
    let mut silent = Vec::new();
    let mut refused = 0;
    for &(start, end) in &slots {
        for value in VALUES {
            let text = format!("{}{}{}", &base[..start], value, &base[end..]);
            let checked = pmigc::check_source(&text);
            let internal = checked
                .diagnostics
                .iter()
                .any(|d| d.code.as_str() == "PMG0001");
            if checked.has_errors() {
                refused += 1;
            }
            if internal || (!checked.has_errors() && checked.stacks.len() != workspaces) {
                silent.push(format!(
                    "`{}` = {value}: {} workspaces, codes {:?}",
                    base[..start].lines().last().unwrap_or("").trim(),
                    checked.stacks.len(),
                    checked
                        .diagnostics
                        .iter()
                        .map(|d| d.code.as_str())
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(refused > slots.len(), "the values exercise little");
    assert!(
        silent.is_empty(),
        "{} mutants failed silently:\n{}",
        silent.len(),
        silent.join("\n")
    );
}
