//! Unit tests of `check` as a whole: renamed blocks measured by the name they keep in AWS,
//! warnings that must not drop a workspace, and the internal error for a workspace that
//! vanishes without a diagnostic.

use super::*;
use crate::check::names::Unused;
use crate::check::values::PortOutOfRange;
use crate::diag::Code;

const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

fn checked(text: &str, renames: &[(&str, &str)]) -> Checked {
    let (file, syntax) = crate::syntax::parse(text);
    assert!(syntax.is_empty(), "{syntax:?}");
    let options = Options {
        renames: renames
            .iter()
            .map(|(old, new)| (model::Name::checked(*old), model::Name::checked(*new)))
            .collect(),
        ..Options::default()
    };
    check_with(&file, text, &options)
}

fn codes(checked: &Checked) -> Vec<&str> {
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn a_renamed_block_is_measured_by_the_name_it_keeps_in_aws() {
    // `api` was called `checkout-frontend-service` before: its load balancer keeps that name,
    // `payment-migration-prod-checkout-frontend-service`, over AWS's 32 characters.
    let result = checked(PAYMENT, &[("checkout-frontend-service", "api")]);
    let too_long: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::PMG1101)
        .collect();
    // One per workspace: `payment-migration-sync-…` and `payment-migration-prod-…`.
    assert_eq!(too_long.len(), 2, "{:#?}", result.diagnostics);
    for diagnostic in too_long {
        assert!(
            diagnostic.message.contains("-checkout-frontend-service`"),
            "{}",
            diagnostic.message
        );
        assert!(
            diagnostic
                .help
                .as_deref()
                .is_some_and(|h| h.contains("renamed from `checkout-frontend-service`")),
            "{:?}",
            diagnostic.help
        );
    }
    assert!(result.stacks.is_empty());
    // Unrenamed, the same stack is fine.
    assert_eq!(codes(&checked(PAYMENT, &[])), Vec::<&str>::new());
}

#[test]
fn a_long_new_name_is_fine_when_aws_keeps_the_short_old_one() {
    let text = PAYMENT
        .replace("service api {", "service checkout-frontend-service {")
        .replace("aws      = api", "aws      = checkout-frontend-service")
        .replace("api.dns_name", "checkout-frontend-service.dns_name")
        .replace("api.reads ", "checkout-frontend-service.reads ");
    assert!(codes(&checked(&text, &[])).contains(&"PMG1101"));
    let renamed = checked(&text, &[("api", "checkout-frontend-service")]);
    assert_eq!(codes(&renamed), Vec::<&str>::new());
    assert_eq!(renamed.stacks.len(), 2);
}

#[test]
fn a_warning_does_not_drop_the_workspaces() {
    // `http = forward` is allowed with a warning; it used to leave every workspace without a
    // model, so `check` said "ok (0 workspaces: )" and `build` wrote nothing.
    let text = PAYMENT.replace(
        "  reads    = ledger\n",
        "  reads    = ledger\n  http     = forward\n",
    );
    let result = checked(&text, &[]);
    assert_eq!(codes(&result), ["PMG0904"]);
    assert_eq!(result.stacks.len(), 2);
}

#[test]
fn a_workspace_without_a_model_or_a_reported_error_is_an_internal_error() {
    let internal = vanished("aws-production", Span::new(3, 9), false).map(|e| {
        let d = Diagnostic::from_report(&e);
        let error = d.is_error();
        (d.code, d.message, error)
    });
    assert_eq!(
        internal,
        Some((
            Code::PMG0001,
            "internal error: workspace `aws-production` produced no model and no diagnostic; please report".to_string(),
            true
        ))
    );
    assert!(vanished("aws-production", Span::new(3, 9), true).is_none());
}

#[test]
fn warnings_do_not_count_as_a_reported_error_but_errors_do() {
    let warning = Unused {
        name: "x".into(),
        kind: "input".into(),
        at: at(Span::new(0, 1)),
        help: None,
    };
    assert!(!is_error(&warning.into()));
    let error = PortOutOfRange {
        value: "0".into(),
        at: at(Span::new(0, 1)),
    };
    assert!(is_error(&error.into()));
}

#[test]
fn a_value_that_did_not_parse_excuses_a_quiet_checker() {
    let (clean, _) = crate::syntax::parse(PAYMENT);
    assert!(!has_syntax_errors(&clean));
    let (broken, syntax) = crate::syntax::parse(&PAYMENT.replace("10.40.0.0/16", "10.40.0/16"));
    assert!(!syntax.is_empty());
    assert!(has_syntax_errors(&broken));
}

#[test]
fn a_certificate_covers_the_record_by_its_domain_a_wildcard_or_one_of_its_names() {
    let with = |certificate: &str| {
        let text = PAYMENT.replace(
            "existing certificate pay { domain = \"pay.example.com\" }",
            certificate,
        );
        codes(&checked(&text, &[])).contains(&"PMG1201")
    };
    assert!(!with(
        "existing certificate pay { domain = \"*.example.com\" }"
    ));
    assert!(!with(
        "existing certificate pay { domain = \"shop.example.com\", names = [\"pay.example.com\"] }"
    ));
    assert!(!with(
        "existing certificate pay { domain = \"shop.example.com\", names = [\"*.example.com\"] }"
    ));
    assert!(with(
        "existing certificate pay { domain = \"*.pay.example.com\" }"
    ));
    assert!(with(
        "existing certificate pay { domain = \"example.com\", names = [\"www.example.com\"] }"
    ));
}

#[test]
fn a_default_that_every_workspace_overrides_is_still_checked_but_a_used_one_only_once() {
    let out_of_range = PAYMENT.replace("percent = 50%", "percent = 150%");
    assert_eq!(codes(&checked(&out_of_range, &[])), ["PMG0401"]);
    // Without workspaces the default is the value: reported once, not twice.
    let start = PAYMENT
        .find("workspace legacy-sync")
        .unwrap_or(PAYMENT.len());
    let alone = PAYMENT
        .get(..start)
        .unwrap_or(PAYMENT)
        .replace("percent = 50%", "percent = 150%")
        // Nothing left for `dms_roles` and `owner` to name.
        .replace("  dms_roles = legacy-sync\n", "")
        .replace(
            "  owner    = aws-production # the one workspace of the account that manages the records\n",
            "",
        )
        .replace("  owner    = aws-production\n", "");
    assert_eq!(codes(&checked(&alone, &[])), ["PMG0401"]);
}
