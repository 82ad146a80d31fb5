//! Issue 15: stacks with many of everything, workspaces that share one account. Each item is
//! tested on `stacks/marketplace.pmig` (two databases, two replications, two cutovers gated at
//! different thresholds, an internal service, two dashboards) and, where it applies, on the
//! payment stack too: moving one cutover never moves another (item 1), one alarm pair per
//! distinct gate condition (2), gates over several replications (3), unique dashboards (4), a
//! runbook that names only what exists and `--cutover` (5), one account (6).

use serde_json::{Value, json};

use crate::cli_support;
use crate::common;
use cli_support::{pmigc, repo};
use common::compile;

const MARKET: &str = include_str!("../../stacks/marketplace.pmig");
const PAYMENT: &str = include_str!("../../stacks/payment.pmig");

fn root_of<'a>(roots: &'a [(String, Value)], ws: &str) -> &'a Value {
    &roots.iter().find(|(n, _)| n == ws).expect("workspace").1
}

/// `text` with `cutover` of `workspace` moved to `weight` by `pmigc move`'s library function.
fn moved(text: &str, workspace: &str, cutover: &str, weight: u8) -> String {
    let checked = common::check(text);
    let weight = pmigc::Percent::new(weight).unwrap();
    pmigc::edit::move_cutover(text, &checked.stacks, workspace, cutover, weight).unwrap()
}

/// The AWS and legacy weights of a cutover's records in a root.
fn weights(root: &Value, cutover: &str) -> (Value, Value) {
    let records = &root["resource"]["aws_route53_record"];
    (
        records[format!("{cutover}_aws")]["weighted_routing_policy"]["weight"].clone(),
        records[format!("{cutover}_legacy")]["weighted_routing_policy"]["weight"].clone(),
    )
}

#[test]
fn item1_moving_api_never_moves_admin() {
    // admin to 100 %, then api 0 → every phase → 100 → back down to 0: admin stays at 100 %
    // in every root, and each step changes nothing but api's two records.
    let mut text = moved(MARKET, "production", "admin_traffic", 100);
    let mut previous = compile(&text);
    assert_eq!(
        weights(root_of(&previous, "production"), "admin_traffic"),
        (json!(100), json!(0))
    );
    for weight in [0u8, 5, 25, 50, 100, 50, 25, 5, 0] {
        text = moved(&text, "production", "api_traffic", weight);
        let roots = compile(&text);
        let production = root_of(&roots, "production");
        assert_eq!(
            weights(production, "api_traffic"),
            (json!(weight), json!(100 - weight))
        );
        assert_eq!(
            weights(production, "admin_traffic"),
            (json!(100), json!(0)),
            "admin moved when api went to {weight}%"
        );
        for ((ws, old), (_, new)) in previous.iter().zip(&roots) {
            for change in pmigc::diff::roots(old, new) {
                assert!(
                    ws == "production"
                        && change
                            .address()
                            .starts_with("aws_route53_record.api_traffic_"),
                    "{ws}: api to {weight}% changed {change:?}"
                );
            }
        }
        previous = roots;
    }
}

/// The lines that differ between two versions of a stack, side by side.
fn changed_lines<'t>(before: &'t str, after: &'t str) -> Vec<(&'t str, &'t str)> {
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect()
}

#[test]
fn item1_a_move_is_one_line_and_refuses_what_is_not_a_phase() {
    let edited = moved(MARKET, "production", "api_traffic", 25);
    let changed = changed_lines(MARKET, &edited);
    assert_eq!(
        changed,
        [("  api_weight    = 0%", "  api_weight    = 25%")],
        "{edited}"
    );
    assert_eq!(MARKET.lines().count(), edited.lines().count());
    // A production that does not set the input: the line is added at the end of its block
    // (which the canonical layout realigns), nothing else changes.
    let unset = MARKET.replace("  admin_weight  = 0%\n", "");
    assert_ne!(unset, MARKET);
    let production = moved(&unset, "production", "admin_traffic", 50);
    assert_eq!(production.lines().count(), unset.lines().count() + 1);
    assert!(
        production.contains(concat!(
            "  state         = s3 \"market-tfstate\" \"marketplace/production.tfstate\"\n",
            "  admin_weight  = 50%\n}\n"
        )),
        "{production}"
    );
    let checked = common::check(MARKET);
    let refuse = |ws: &str, c: &str, w: u8| {
        pmigc::edit::move_cutover(
            MARKET,
            &checked.stacks,
            ws,
            c,
            pmigc::Percent::new(w).unwrap(),
        )
        .unwrap_err()
        .0
    };
    assert_eq!(
        refuse("production", "admin_traffic", 25),
        "25% is not a phase of cutover `admin_traffic` (phases: 0%, 50%, 100%)"
    );
    assert!(refuse("production", "nope", 0).starts_with("no cutover `nope`"));
    assert!(refuse("prod", "api_traffic", 0).starts_with("no workspace `prod`"));
}

#[test]
fn item2_one_alarm_pair_per_distinct_gate_condition() {
    let roots = compile(MARKET);
    let production = root_of(&roots, "production");
    let alarms = production["resource"]["aws_cloudwatch_metric_alarm"]
        .as_object()
        .unwrap();
    let mut gate_alarms: Vec<(String, Value, Value)> = alarms
        .iter()
        .filter(|(name, _)| name.contains("_lag_under_"))
        .map(|(name, a)| {
            (
                name.clone(),
                a["threshold"].clone(),
                a["alarm_name"].clone(),
            )
        })
        .collect();
    gate_alarms.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        gate_alarms,
        [
            (
                "catalog_sync_lag_under_30s_source",
                30,
                "catalog-sync-lag-under-30s-source"
            ),
            (
                "catalog_sync_lag_under_30s_target",
                30,
                "catalog-sync-lag-under-30s-target"
            ),
            (
                "orders_sync_lag_under_2s_source",
                2,
                "orders-sync-lag-under-2s-source"
            ),
            (
                "orders_sync_lag_under_2s_target",
                2,
                "orders-sync-lag-under-2s-target"
            ),
            (
                "orders_sync_lag_under_5s_source",
                5,
                "orders-sync-lag-under-5s-source"
            ),
            (
                "orders_sync_lag_under_5s_target",
                5,
                "orders-sync-lag-under-5s-target"
            ),
        ]
        .map(|(n, t, a)| (
            n.to_string(),
            json!(t),
            json!(format!("${{local.name}}-{a}"))
        ))
        .to_vec()
    );
    let checks = &production["resource"]["aws_route53_health_check"];
    let children = |gate: &str| checks[gate]["child_healthchecks"].clone();
    assert_eq!(
        children("api_traffic_gate"),
        json!([
            "${aws_route53_health_check.orders_sync_lag_under_2s_source.id}",
            "${aws_route53_health_check.orders_sync_lag_under_2s_target.id}",
            "${aws_route53_health_check.catalog_sync_lag_under_30s_source.id}",
            "${aws_route53_health_check.catalog_sync_lag_under_30s_target.id}",
            // The application's health and each watched replication's consistency (issue 17).
            "${aws_route53_health_check.api_traffic_app.id}",
            "${aws_route53_health_check.orders_sync_validation_failed.id}",
            "${aws_route53_health_check.orders_sync_validation_suspended.id}",
            "${aws_route53_health_check.catalog_sync_validation_failed.id}",
            "${aws_route53_health_check.catalog_sync_validation_suspended.id}",
        ])
    );
    assert_eq!(checks["api_traffic_gate"]["child_health_threshold"], 9);
    assert_eq!(
        children("admin_traffic_gate"),
        json!([
            "${aws_route53_health_check.orders_sync_lag_under_5s_source.id}",
            "${aws_route53_health_check.orders_sync_lag_under_5s_target.id}",
            "${aws_route53_health_check.admin_traffic_app.id}",
            "${aws_route53_health_check.orders_sync_validation_failed.id}",
            "${aws_route53_health_check.orders_sync_validation_suspended.id}",
        ])
    );
    // A workspace that manages no cutover has no gate alarms.
    let staging = root_of(&roots, "staging");
    let staging_alarms = staging["resource"]["aws_cloudwatch_metric_alarm"]
        .as_object()
        .unwrap();
    assert!(staging_alarms.keys().all(|k| !k.contains("_lag_under_")));
    let gate = json!({
        "alarms": production["resource"]["aws_cloudwatch_metric_alarm"],
        "health_checks": checks,
        "records": production["resource"]["aws_route53_record"],
        "check": production["check"],
    });
    common::snapshots().bind(|| {
        insta::assert_json_snapshot!("cutovers__marketplace_gate_resources", gate);
    });
}

#[test]
fn item3_a_gate_watches_every_replication_the_service_reads() {
    // The API reads both databases: a gate on one of them only is refused.
    let narrow = MARKET.replace(
        "gate     = orders_sync.lag < 2s and catalog_sync.lag < 30s",
        "gate     = orders_sync.lag < 2s",
    );
    let checked = common::check(&narrow);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["PMG0810"], "{:#?}", checked.diagnostics);
    assert!(checked.diagnostics[0].message.contains("`catalog_sync`"));
    // No gate at all: a warning that names both replications, and the stack still builds.
    let none = MARKET.replace(
        "  gate     = orders_sync.lag < 2s and catalog_sync.lag < 30s\n",
        "",
    );
    let checked = common::check(&none);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["PMG0811"]);
    assert!(
        checked.diagnostics[0]
            .message
            .contains("replication `orders_sync` and `catalog_sync`"),
        "{}",
        checked.diagnostics[0].message
    );
    assert_eq!(checked.stacks.len(), 2);
}

#[test]
fn item4_dashboards_have_unique_names_and_show_the_whole_stack() {
    for (ws, root) in compile(MARKET) {
        let dashboards = root["resource"]["aws_cloudwatch_dashboard"]
            .as_object()
            .unwrap();
        let names: Vec<&Value> = dashboards.values().map(|d| &d["dashboard_name"]).collect();
        assert_eq!(
            names,
            [json!("${local.name}-data"), json!("${local.name}-traffic")]
                .iter()
                .collect::<Vec<_>>(),
            "{ws}"
        );
        for dashboard in dashboards.values() {
            let body: Value =
                serde_json::from_str(dashboard["dashboard_body"].as_str().unwrap()).unwrap();
            let titles: Vec<&str> = body["widgets"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|w| w["properties"]["title"].as_str())
                .collect();
            for expected in [
                "cutover api_traffic (api.market.example.com): gate orders_sync.lag < 2s and catalog_sync.lag < 30s",
                "cutover admin_traffic (admin.market.example.com): gate orders_sync.lag < 5s",
                "api: response time",
                "admin: requests",
                "orders: CPU and connections",
                "catalog: CPU and connections",
                "orders_sync: replication lag (budget 5s)",
                "catalog_sync: replication lag (budget 30s)",
                "indexer: instance CPU",
            ] {
                assert!(
                    titles.contains(&expected),
                    "{ws}: {expected} missing from {titles:?}"
                );
            }
        }
    }
    // Payment's one dashboard is named after its block too.
    for (ws, root) in compile(PAYMENT) {
        assert_eq!(
            root["resource"]["aws_cloudwatch_dashboard"]["migration"]["dashboard_name"],
            "${local.name}-migration",
            "{ws}"
        );
    }
}

fn runbook(text: &str, ws: &str, only: Option<&str>) -> (String, Value) {
    let checked = common::check(text);
    let stack = checked
        .stacks
        .iter()
        .find(|s| s.workspace.name.as_str() == ws)
        .unwrap();
    let paths = pmigc::runbook::Paths {
        stack: "stacks/marketplace.pmig",
        out: "out",
    };
    (
        pmigc::runbook::text(stack, paths, only),
        pmigc::runbook::json(stack, paths, only),
    )
}

#[test]
fn item5_the_runbook_names_only_what_exists() {
    let (text, json) = runbook(MARKET, "production", None);
    common::snapshots().bind(|| {
        insta::assert_snapshot!("cutovers__marketplace_runbook_production", text);
    });
    // orders_sync has an output; catalog_sync has none, so the AWS CLI is named instead.
    assert!(text.contains(
        "`terraform -chdir=out/production output -raw orders_sync_status` prints `running`"
    ));
    assert!(text.contains("Values=market-prod-catalog-sync"));
    assert!(!text.contains("dms_replication_status"));
    assert!(text.contains("CloudWatch alarms `market-prod-orders-sync-lag-under-2s-source`"));
    assert!(text.contains("dashboard `market-prod-traffic`"));
    assert!(text.contains("dashboard `market-prod-data`"));
    assert_eq!(json["cutovers"].as_array().unwrap().len(), 2);
    let (only, json) = runbook(MARKET, "production", Some("admin_traffic"));
    assert!(!only.contains("api_traffic"), "{only}");
    assert_eq!(json["cutovers"][0]["cutover"], "admin_traffic");
    assert_eq!(json["cutovers"][0]["gate"][0]["threshold_seconds"], 5);
    // A stack without any output: no `terraform output` is printed at all.
    let bare: String = PAYMENT
        .lines()
        .filter(|l| !l.starts_with("output "))
        .map(|l| format!("{l}\n"))
        .collect();
    let (text, _) = runbook(&bare, "aws-production", None);
    assert!(!text.contains("output -raw"), "{text}");
    assert!(text.contains("aws dms describe-replication-tasks"));
    // A workspace that does not own the cutover says who does.
    let (text, _) = runbook(MARKET, "staging", None);
    assert!(text.contains("Cutover `api_traffic` is managed by workspace `production`"));
}

#[test]
fn item6_workspaces_share_one_account_unless_the_stack_says_otherwise() {
    let roots = compile(MARKET);
    let roles = |ws: &str| -> Vec<String> {
        root_of(&roots, ws)["resource"]["aws_iam_role"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|r| r["name"].as_str())
            .filter(|n| n.starts_with("dms-"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        roles("staging"),
        ["dms-cloudwatch-logs-role", "dms-vpc-role"]
    );
    assert!(roles("production").is_empty());
    // Staging manages no cutover's records: its only records are the writer and reader
    // names of its own private zone.
    let staging_records = root_of(&roots, "staging")["resource"]["aws_route53_record"]
        .as_object()
        .unwrap()
        .clone();
    assert!(
        staging_records.values().all(|r| r["name"]
            .as_str()
            .unwrap()
            .ends_with(".${local.name}.internal")),
        "{staging_records:?}"
    );
    // Without owners, the two workspaces collide on the roles and on each cutover's records.
    let unowned = MARKET.replace("  owner    = production\n", "").replace(
        "  dms_roles = staging # the workspace applied first creates DMS's fixed-name roles\n",
        "",
    );
    let checked = common::check(&unowned);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["PMG0613"; 3], "{:#?}", checked.diagnostics);
    // …unless each workspace has its own account.
    let apart = unowned.replace(
        "  env           = \"stg\"\n",
        "  env           = \"stg\"\n  account       = \"staging\"\n",
    );
    assert_ne!(apart, unowned);
    let checked = common::check(&apart);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert_eq!(checked.stacks.len(), 2);
    // `dms_roles = existing`: no workspace creates them.
    let existing = MARKET.replace("dms_roles = staging", "dms_roles = existing");
    for (ws, root) in compile(&existing) {
        let names = root["resource"]["aws_iam_role"].to_string();
        assert!(!names.contains("dms-vpc-role"), "{ws}");
    }
    // Same suffix in one account: one error naming both workspaces.
    let same = MARKET.replace("env           = \"stg\"", "env           = \"prod\"");
    assert_ne!(same, MARKET);
    let checked = common::check(&same);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["PMG0614"]);
}

// ---- the CLI ----------------------------------------------------------------------------

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary directory holding `text` as `name` and the API's boot script beside it, as in
/// `stacks/`.
fn beside_its_scripts(text: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let stack = dir.path().join(name);
    std::fs::write(&stack, text).unwrap();
    std::fs::create_dir(dir.path().join("scripts")).unwrap();
    std::fs::copy(
        common::repo("stacks/scripts/api-boot.sh"),
        dir.path().join("scripts/api-boot.sh"),
    )
    .unwrap();
    (dir, stack)
}

#[test]
fn cli_move_rewrites_one_value_and_build_applies_it() {
    let (dir, stack) = beside_its_scripts(MARKET, "m.pmig");
    let moved = pmigc(
        &[
            "move",
            "api_traffic",
            "25%",
            "--workspace",
            "production",
            "m.pmig",
        ],
        dir.path(),
    );
    assert_eq!(moved.status.code(), Some(0), "{}", text(&moved.stderr));
    assert_eq!(
        std::fs::read_to_string(&stack).unwrap(),
        MARKET.replace("  api_weight    = 0%", "  api_weight    = 25%")
    );
    let again = pmigc(
        &[
            "move",
            "api_traffic",
            "25%",
            "--workspace",
            "production",
            "m.pmig",
        ],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again.stderr).contains("already at 25%"));
    for (args, message) in [
        (
            vec![
                "move",
                "admin_traffic",
                "25%",
                "--workspace",
                "production",
                "m.pmig",
            ],
            "25% is not a phase of cutover `admin_traffic`",
        ),
        (
            vec!["move", "api_traffic", "25%", "m.pmig"],
            "has several workspaces; say which with --workspace",
        ),
        (
            vec!["move", "api_traffic", "lots", "m.pmig"],
            "`lots` is not a percentage",
        ),
    ] {
        let refused = pmigc(&args, dir.path());
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        assert!(
            text(&refused.stderr).contains(message),
            "{}",
            text(&refused.stderr)
        );
    }
    let build = pmigc(&["build", "m.pmig"], dir.path());
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    let main: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/production/main.tf.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(weights(&main, "api_traffic"), (json!(25), json!(75)));
    assert_eq!(weights(&main, "admin_traffic"), (json!(0), json!(100)));
}

#[test]
fn cli_phases_and_diff_take_a_cutover() {
    let dir = repo();
    let phases = pmigc(
        &[
            "phases",
            "stacks/marketplace.pmig",
            "--workspace",
            "production",
            "--cutover",
            "admin_traffic",
        ],
        &dir,
    );
    assert_eq!(phases.status.code(), Some(0), "{}", text(&phases.stderr));
    let out = text(&phases.stdout);
    assert!(
        out.contains("pmigc move admin_traffic 50% --workspace production stacks/marketplace.pmig"),
        "{out}"
    );
    assert!(!out.contains("api_traffic"), "{out}");
    // 5% and 25% are phases of api_traffic only: without --cutover, admin_traffic is left out
    // instead of failing the command.
    let diff = pmigc(
        &[
            "diff",
            "stacks/marketplace.pmig",
            "--from",
            "5%",
            "--to",
            "25%",
        ],
        &dir,
    );
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stderr));
    let out = text(&diff.stdout);
    assert!(
        out.contains("Workspace `production`, cutover `api_traffic`: 5% → 25%"),
        "{out}"
    );
    assert!(
        out.contains("weighted_routing_policy.weight: 5 → 25"),
        "{out}"
    );
    assert!(!out.contains("admin_traffic"), "{out}");
    let named = pmigc(
        &[
            "diff",
            "stacks/marketplace.pmig",
            "--from",
            "5%",
            "--to",
            "25%",
            "--cutover",
            "admin_traffic",
        ],
        &dir,
    );
    assert_eq!(named.status.code(), Some(2));
    assert!(
        text(&named.stderr)
            .contains("5% is not a phase of cutover `admin_traffic` (phases: 0%, 50%, 100%)")
    );
    let unknown = pmigc(
        &[
            "phases",
            "stacks/marketplace.pmig",
            "--cutover",
            "admn_traffic",
        ],
        &dir,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr)
            .contains("unknown cutover `admn_traffic` (did you mean `admin_traffic`?)")
    );
}

#[test]
fn item1_without_workspaces_the_move_edits_the_input_default() {
    let text: String = PAYMENT
        .split("\nworkspace ")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.contains("dms_roles") && !l.contains("owner    ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let edited = moved(&text, "default", "payments", 25);
    let changed = changed_lines(&text, &edited);
    assert_eq!(
        changed,
        [(
            "input traffic_weight:     percent = 50%",
            "input traffic_weight:     percent = 25%"
        )]
    );
}

/// Issue 28: a move keeps the trailing comment of the line it edits, and a line it adds goes
/// after the comment of the attribute before it; everything else stays byte for byte.
#[test]
fn item1_a_move_keeps_every_comment_where_it_was() {
    // Canonical (the comment where `fmt` puts it), and not: only the value changes.
    for (line, after) in [
        (
            "  traffic_weight     = 100% # AWS takes everything once the sync is done",
            "  traffic_weight     = 10% # AWS takes everything once the sync is done",
        ),
        (
            "  traffic_weight = 100%#start",
            "  traffic_weight = 10%#start",
        ),
    ] {
        let commented = PAYMENT.replace("  traffic_weight     = 100%\n", &format!("{line}\n"));
        assert_ne!(commented, PAYMENT);
        let edited = moved(&commented, "aws-production", "payments", 10);
        assert_eq!(changed_lines(&commented, &edited), [(line, after)]);
    }
    // The line added after the last attribute leaves that attribute's comment on its line.
    let state = "  state         = s3 \"market-tfstate\" \"marketplace/production.tfstate\"";
    let added = MARKET
        .replace("  admin_weight  = 0%\n", "")
        .replace(&format!("{state}\n"), &format!("{state} # its own state\n"));
    assert_eq!(added.lines().count() + 1, MARKET.lines().count());
    assert!(added.contains("# its own state"));
    let production = moved(&added, "production", "admin_traffic", 50);
    assert!(
        production.contains(&format!(
            "{state} # its own state\n  admin_weight  = 50%\n}}\n"
        )),
        "{production}"
    );
}

#[test]
fn a_move_in_a_workspace_that_does_not_manage_the_cutover_is_refused() {
    // `staging` and `legacy-sync` name no weight of their own that does anything: the cutover's
    // records live in its `owner`'s root. The move is refused, naming the owner, in the library
    // and in the CLI, and the file is left as it was.
    for (text, ws, cutover, weight, owner) in [
        (MARKET, "staging", "admin_traffic", 50u8, "production"),
        (MARKET, "staging", "api_traffic", 25, "production"),
        (PAYMENT, "legacy-sync", "payments", 10, "aws-production"),
    ] {
        let checked = common::check(text);
        let refused = pmigc::edit::move_cutover(
            text,
            &checked.stacks,
            ws,
            cutover,
            pmigc::Percent::new(weight).unwrap(),
        )
        .unwrap_err()
        .0;
        assert!(
            refused.starts_with(&format!(
                "workspace `{ws}` does not manage cutover `{cutover}`: only `{owner}` holds its records"
            )),
            "{refused}"
        );
        assert!(
            refused.contains(&format!("--workspace {owner}")),
            "{refused}"
        );
        let (dir, path) = beside_its_scripts(text, "s.pmig");
        let weight = format!("{weight}%");
        let output = pmigc(
            &["move", cutover, &weight, "--workspace", ws, "s.pmig"],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("only `{owner}` holds its records")),
            "{err}"
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains("apply"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

/// PMG0835: a workspace that does not manage a cutover and sets its weight input changes
/// nothing in its root: a warning, and the stack still compiles. When the input also feeds
/// something the workspace does manage (here through another input's default), it is no warning.
#[test]
fn a_weight_set_where_the_cutover_is_not_managed_is_a_warning_unless_it_feeds_something() {
    let idle = MARKET.replacen(
        "  env           = \"stg\"\n",
        "  env           = \"stg\"\n  api_weight    = 25%\n",
        1,
    );
    assert_ne!(idle, MARKET);
    let checked = common::check(&idle);
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "PMG0835")
        .collect();
    assert_eq!(found.len(), 1, "{:?}", checked.diagnostics);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    assert!(
        found
            .iter()
            .all(|d| d.message.contains("`staging` sets `api_weight`")
                && d.message.contains("only workspace `production`")),
        "{found:?}"
    );
    assert_eq!(compile(&idle).len(), 2);
    // The production workspace manages the cutover: its setting is the one that moves traffic.
    assert!(
        common::check(MARKET)
            .diagnostics
            .iter()
            .all(|d| d.code.as_str() != "PMG0835")
    );

    // `api_weight` is also the default of `canary_weight`, the weight of a cutover staging owns.
    let feeding = idle
        .replacen(
            "input admin_weight:   percent = 0%\n",
            "input admin_weight:   percent = 0%\ninput canary_weight:  percent = api_weight\n",
            1,
        )
        .replacen(
            "domain = \"admin.market.example.com\"",
            "domain = \"*.market.example.com\"",
            1,
        )
        .replacen(
            "dashboard traffic { }",
            "cutover canary {
  record   = \"canary.market.example.com\" in zone \"market.example.com\"
  legacy   = \"legacy-canary.market.example.com\"
  aws      = admin
  weight   = canary_weight
  phases   = [0%, 25%, 100%]
  gate     = orders_sync.lag < 5s
  rollback = 0%
  owner    = staging
}

dashboard traffic { }",
            1,
        );
    assert!(feeding.contains("cutover canary") && feeding.contains("*.market"));
    let checked = common::check(&feeding);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
}

/// A cutover owned by two workspaces of one account (`owner = [staging, production]`): each
/// owner's weight moves on its own (one line changed, the other owner's untouched), the graph
/// of each owner draws its own record, the runbook of each speaks of its own record, and a
/// workspace that is neither is refused, naming both owners (issue 27).
#[test]
fn each_owner_of_a_cutover_moves_draws_and_runs_its_own_record() {
    let two = include_str!("../cases/ok/cutover-owned-by-two-workspaces.pmig");
    let staging = moved(two, "staging", "tickets", 10);
    assert_eq!(
        changed_lines(two, &staging),
        [("  tickets_weight      = 50%", "  tickets_weight      = 10%")]
    );
    let production = moved(two, "production", "tickets", 50);
    assert_eq!(
        changed_lines(two, &production),
        [("  tickets_weight = 10%", "  tickets_weight = 50%")]
    );
    // A third workspace of the account, none of the owners.
    let three = format!(
        "{two}workspace qa {{\n  env               = \"qa\"\n  office.gateway    = \"vgw-0aa1bb2cc3dd4ee5b\"\n  office.connection = \"vpn-0aa1bb2cc3dd4ee5b\"\n  web.reads         = ticketsdb.reader\n}}\n"
    );
    let checked = common::check(&three);
    let refused = pmigc::edit::move_cutover(
        &three,
        &checked.stacks,
        "qa",
        "tickets",
        pmigc::Percent::new(10).unwrap(),
    )
    .unwrap_err()
    .0;
    assert!(
        refused.starts_with(
            "workspace `qa` does not manage cutover `tickets`: only `staging` and `production` each hold their own records"
        ),
        "{refused}"
    );
    assert!(
        refused.contains("`--workspace staging` or `--workspace production`"),
        "{refused}"
    );
    let (dir, path) = beside_its_scripts(&three, "s.pmig");
    let run = |args: &[&str]| {
        let o = pmigc(args, dir.path());
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code, out, err) = run(&["move", "tickets", "10%", "--workspace", "qa", "s.pmig"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!out.contains("apply"), "{out}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), three);
    // Each owner's graph draws its own record; qa's draws none.
    let graph = |ws: &str| run(&["graph", "s.pmig", "--format", "dot", "--workspace", ws]).1;
    let (stg, prod, qa) = (graph("staging"), graph("production"), graph("qa"));
    assert!(stg.contains("record tickets.staging.example.com"), "{stg}");
    assert!(stg.contains("AWS 50%"), "{stg}");
    assert!(prod.contains("record tickets.example.com"), "{prod}");
    assert!(prod.contains("AWS 10%"), "{prod}");
    assert!(!qa.contains("record tickets"), "{qa}");
    // The runbook of each owner moves its own record; qa's names the owners.
    let phases = |ws: &str| run(&["phases", "s.pmig", "--workspace", ws]).1;
    let stg = phases("staging");
    assert!(
        stg.contains(
            "`tickets.staging.example.com` moves from `legacy.tickets.staging.example.com`"
        ),
        "{stg}"
    );
    assert!(
        stg.contains("tickets-stg-copy-lag-under-10s-source"),
        "{stg}"
    );
    let prod = phases("production");
    assert!(
        prod.contains("`tickets.example.com` moves from `legacy.tickets.example.com`"),
        "{prod}"
    );
    assert!(
        prod.contains("tickets-prod-copy-lag-under-10s-source"),
        "{prod}"
    );
    assert!(
        phases("qa").contains(
            "Cutover `tickets` is managed by workspaces `staging` and `production`: the root of `qa` leaves its records alone."
        )
    );
    // As data: one owner is a string (as before), several a list.
    let json = run(&[
        "phases",
        "s.pmig",
        "--workspace",
        "staging",
        "--format",
        "json",
    ])
    .1;
    let book: Value = serde_json::from_str(&json).unwrap();
    let cutover = &book["cutovers"][0];
    assert_eq!(cutover["owner"], json!(["staging", "production"]), "{json}");
    assert_eq!(cutover["record"], json!("tickets.staging.example.com"));
    assert_eq!(cutover["managed_here"], json!(true));
}
