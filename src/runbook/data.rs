//! The data cutover's runbook: for each data cutover a workspace owns, what must hold before it
//! (the traffic of every writing service on AWS, Aurora ready to be a DMS source, the data
//! centre ready to be its target), the steps of the data cutover — writes stop at the data
//! centre, the forward replication drains to zero lag, validation shows no differing row, the
//! writer switches for every service at once (`pmigc move`, build, apply: the fallback starts),
//! connections are recycled, writes resume, the fallback's gate holds — and the data rollback
//! through the fallback, whose verify step refuses to go on while any fallback alarm fires.
//! Every command is exact: SQL for the databases (the stack's logins quoted as SQL), shell for
//! the rest (each word quoted for `sh`). Engine-dependent lines come from `crate::engine`.

use super::Paths;
use crate::engine::Family;
use crate::model::{DataCutover, KeysApart, Service, Stack, WRITER_ZONE_SUFFIX, Writer};
use serde_json::{Value, json};

/// One step: what it does, the commands, and what to verify before the next.
pub(super) struct Step {
    title: String,
    commands: Vec<String>,
    verify: Vec<String>,
}

/// A data cutover's runbook in one workspace.
pub(super) struct Runbook {
    /// What the data cutover is, in a few lines.
    summary: Vec<String>,
    before: Vec<String>,
    steps: Vec<Step>,
    rollback: Vec<Step>,
}

/// A word for POSIX `sh`: as it is when it holds only characters `sh` leaves alone, else in
/// single quotes (a quote inside as `'\''`).
fn word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:@%+".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A command line: every word quoted for `sh`.
fn command(words: &[&str]) -> String {
    words.iter().map(|w| word(w)).collect::<Vec<_>>().join(" ")
}

/// An SQL string literal (standard SQL and MySQL's default mode: `'` doubled; MySQL also
/// reads `\` as an escape, so it is doubled too, which PostgreSQL's standard strings read as
/// two backslashes: the engines differ, hence the `family`).
fn sql_literal(text: &str, family: Family) -> String {
    let escaped = text.replace('\'', "''");
    match family {
        Family::Mysql => format!("'{}'", escaped.replace('\\', r"\\")),
        Family::Postgresql => format!("'{escaped}'"),
    }
}

/// A PostgreSQL identifier, quoted (`"` doubled).
fn sql_identifier(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// An engine's SQL template with the application's login filled in: `{user}` as a string
/// literal, `{role}` as an identifier.
fn fill(template: &str, login: &str, family: Family) -> String {
    template
        .replace("{user}", &sql_literal(login, family))
        .replace("{role}", &sql_identifier(login))
}

/// `aws dms describe-replication-tasks … --query Q --output text` for the task `id`.
fn task_query(id: &str, query: &str) -> String {
    command(&[
        "aws",
        "dms",
        "describe-replication-tasks",
        "--filters",
        &format!("Name=replication-task-id,Values={id}"),
        "--query",
        query,
        "--output",
        "text",
    ])
}

/// A check that fails (exit status 1) unless task `id` is `status`.
fn task_is(id: &str, status: &str) -> String {
    format!(
        "test \"$({})\" = {}",
        task_query(id, "ReplicationTasks[0].Status"),
        word(status)
    )
}

/// The largest CDC latency of task `id` (on instance `instance`) over the last five minutes,
/// on the source and the target side.
fn latency(instance: &str, id: &str) -> Vec<String> {
    let task = format!(
        "$({} | cut -d: -f7)",
        task_query(id, "ReplicationTasks[0].ReplicationTaskArn")
    );
    ["CDCLatencySource", "CDCLatencyTarget"]
        .iter()
        .map(|metric| {
            format!(
                "{} --dimensions {} \"Name=ReplicationTaskIdentifier,Value={task}\" --start-time \"$(date -u -d '5 minutes ago' +%Y-%m-%dT%H:%M:%SZ)\" --end-time \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" --period 60 --statistics Maximum --query 'Datapoints[].Maximum' --output text",
                command(&[
                    "aws",
                    "cloudwatch",
                    "get-metric-statistics",
                    "--namespace",
                    "AWS/DMS",
                    "--metric-name",
                    metric,
                ]),
                word(&format!("Name=ReplicationInstanceIdentifier,Value={instance}")),
            )
        })
        .collect()
}

/// Every table of task `id` whose validation is not done or found differing rows (it prints
/// nothing when every table validated with no failed row).
fn unvalidated(id: &str) -> String {
    format!(
        "{} --replication-task-arn \"$({})\" --query {} --output text",
        command(&["aws", "dms", "describe-table-statistics"]),
        task_query(id, "ReplicationTasks[0].ReplicationTaskArn"),
        word(
            "TableStatistics[?ValidationState!=`\"Validated\"` || ValidationFailedRecords > `0`].[SchemaName,TableName,ValidationState,ValidationFailedRecords]"
        )
    )
}

/// The services that write the data cutover's database.
fn writers<'s>(stack: &'s Stack, data_cutover: &DataCutover) -> Vec<&'s Service> {
    stack
        .services
        .iter()
        .filter(|s| s.writes().any(|db| db == &data_cutover.database))
        .collect()
}

/// The writer name as services resolve it in this workspace.
fn writer_name(stack: &Stack, data_cutover: &DataCutover) -> String {
    format!(
        "writer.{}.{}.{WRITER_ZONE_SUFFIX}",
        crate::model::writer_label(data_cutover.database.name()),
        stack.resolved_name
    )
}

/// The commands that move `data_cutover` to `state` in this workspace: the move, the build,
/// and the apply — of `targets` only (with their dependencies) when some are given.
fn moves(
    stack: &Stack,
    data_cutover: &DataCutover,
    state: Writer,
    paths: Paths,
    targets: &[String],
) -> Vec<String> {
    let chdir = format!("-chdir={}", paths.root(stack));
    let targets: Vec<String> = targets.iter().map(|t| format!("-target={t}")).collect();
    let apply: Vec<&str> = ["terraform", chdir.as_str(), "apply"]
        .into_iter()
        .chain(targets.iter().map(String::as_str))
        .collect();
    vec![
        command(&[
            "pmigc",
            "move",
            data_cutover.name.as_str(),
            state.as_str(),
            "--workspace",
            stack.workspace.name.as_str(),
            paths.stack,
        ]),
        command(&["pmigc", "build", paths.stack, "--out", paths.out]),
        command(&apply),
    ]
}

/// What the data rollback's switch applies, and nothing else: the writer record, the forward
/// and fallback tasks, and the writing services' egress to the data centre's primary. Not the
/// services' Auto Scaling groups: a full apply would restore the capacity the rollback took
/// down in the same apply that moves the writer record, and an instance started then may
/// still get Aurora's answer from a resolver's cache (for up to the record's TTL) and write
/// where nothing carries the write back any more. Their capacity returns in the next step,
/// once the TTL has passed.
fn switch_back_targets(
    stack: &Stack,
    data_cutover: &DataCutover,
    services: &[&Service],
) -> Vec<String> {
    use crate::lower::writer::{datacentre_rule, writer_record};
    let db = data_cutover.database.name();
    let replication = &stack[&data_cutover.replication];
    let networks = stack[&replication.source.vpn].networks.len();
    use crate::derived::table::replication as row;
    // Every task, forward and fallback, of every database (`dbname = [...]`): a task left out
    // of the targets would keep running (or stay stopped) against the switch.
    let tasks = stack
        .replication_tasks(&replication.name)
        .into_iter()
        .chain(stack.tasks(&data_cutover.name, db))
        .map(|(task, _)| row::TASK.at(&task, &[]).spelled());
    std::iter::once(writer_record(db).spelled())
        .chain(tasks)
        .chain(services.iter().flat_map(|service| {
            (0..networks).map(|i| datacentre_rule(&service.name, db, i).spelled())
        }))
        .collect()
}

/// `aws autoscaling describe-auto-scaling-groups` printing the instances of group `g`.
fn instances_of(g: &str) -> String {
    command(&[
        "aws",
        "autoscaling",
        "describe-auto-scaling-groups",
        "--auto-scaling-group-names",
        g,
        "--query",
        "AutoScalingGroups[0].Instances[].InstanceId",
        "--output",
        "text",
    ])
}

pub(super) fn runbook(stack: &Stack, data_cutover: &DataCutover, paths: Paths) -> Runbook {
    let db = &stack[&data_cutover.database];
    let replication = &stack[&data_cutover.replication];
    let source = &replication.source;
    let family = db.profile().family;
    let forward = stack.aws_name(&replication.name);
    let fallback = stack.aws_name(&data_cutover.name);
    // One task per database (`dbname = [...]`), forward and back: every step that reads a
    // task's state reads each of them, so that no database is switched while it lags.
    let forwards: Vec<String> = stack
        .replication_tasks(&replication.name)
        .iter()
        .map(|(t, _)| stack.aws_name(t))
        .collect();
    let fallbacks: Vec<String> = stack
        .tasks(&data_cutover.name, data_cutover.database.name())
        .iter()
        .map(|(t, _)| stack.aws_name(t))
        .collect();
    let every = |tasks: &[String], f: &dyn Fn(&str) -> String| -> Vec<String> {
        tasks.iter().map(|t| f(t)).collect()
    };
    let names = |tasks: &[String]| -> String {
        tasks
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let writer = writer_name(stack, data_cutover);
    let host = &source.host;
    let login = &db.username;
    let services = writers(stack, data_cutover);
    let groups: Vec<String> = services.iter().map(|s| stack.aws_name(&s.name)).collect();
    let summary = vec![
        format!(
            "Database `{}`'s writes go to {} (input `{}` = `{}`); services reach the primary as `{writer}`.",
            db.name,
            match data_cutover.writer {
                Writer::Datacentre => format!("the data centre's primary `{host}`"),
                Writer::Both => format!(
                    "Aurora for AWS's services and `{host}` for the data centre's application (two-way)"
                ),
                Writer::Aurora => "Aurora".to_string(),
            },
            data_cutover.writer_input,
            data_cutover.writer
        ),
        format!(
            "Forward: replication `{}` (`{forward}`, the data centre → Aurora) {}. Fallback: `{fallback}` (Aurora → the data centre, changes only) {}.",
            replication.name,
            if data_cutover.writer.forward_runs() {
                "runs"
            } else {
                "is stopped"
            },
            if data_cutover.writer.fallback_runs() {
                "runs"
            } else {
                "exists, stopped"
            },
        ),
    ];
    let mut before = Vec::new();
    for cutover in stack
        .cutovers
        .iter()
        .filter(|c| services.iter().any(|s| s.name == *c.service.name()))
    {
        before.push(match cutover.weight.get() {
            100 => format!(
                "cutover `{}` is at 100%: the legacy application takes no traffic, so nothing writes the data centre's copy but the services",
                cutover.name
            ),
            w => format!(
                "cutover `{}` is at {w}%: move it to 100% first (the data cutover is refused while the legacy application takes traffic: two primaries)",
                cutover.name
            ),
        });
    }
    before.extend(
        db.profile()
            .source_preparation
            .iter()
            .map(|l| l.to_string()),
    );
    before.extend(
        source
            .engine
            .profile()
            .target_prerequisites
            .iter()
            .map(|l| fill(l, &data_cutover.fallback.login.username, family)),
    );
    let databases = db.databases();
    if databases.len() > 1 {
        // PostgreSQL schemas and grants belong to one database: what the fallback's login
        // needs, it needs in each.
        before.push(format!(
            "on the data centre: the fallback's grants and schema `{}` above are made in each database, {} (a PostgreSQL schema and its grants belong to one database); each fallback task holds a replication slot of its own on Aurora",
            crate::model::LOOPBACK_SCHEMA,
            databases.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    before.push(format!(
        "on the data centre: binary logs (MySQL) or the forward task's replication slot (PostgreSQL) are kept for as long as a data rollback may come: the forward task resumes from where it stopped at the data cutover, and skips what the fallback applied (loopback prevention, schema `{}`)",
        crate::model::LOOPBACK_SCHEMA
    ));
    before.push(format!(
        "the services' login `{login}` exists on `{host}` with the same password (secret `{}`, key `{}`): the writer name moves, the login does not",
        stack[&db.password.secret].secret_name, db.password.key
    ));
    before.push(format!(
        "clients that verify the server's host name: `{writer}` is in no certificate (Aurora's names its endpoints), so verify the certificate authority (MySQL `--ssl-mode=VERIFY_CA`, PostgreSQL `sslmode=verify-ca`)"
    ));
    for fallback in &fallbacks {
        before.push(match data_cutover.writer {
            Writer::Datacentre => format!(
                "the fallback exists and is stopped: `{}` prints `ready` or `stopped`",
                task_query(fallback, "ReplicationTasks[0].Status")
            ),
            _ => format!(
                "the fallback runs: `{}` succeeds",
                task_is(fallback, "running")
            ),
        });
    }
    if let Some(KeysApart::AutoIncrement {
        increment,
        datacentre_offset,
        ..
    }) = &data_cutover.two_way
    {
        before.push(format!(
            "on the data centre: `SET PERSIST auto_increment_increment = {increment}; SET PERSIST auto_increment_offset = {datacentre_offset};` (pmigc sets Aurora's pair in its cluster parameter group)"
        ));
    }
    if let Some(KeysApart::Stated(reason)) = &data_cutover.two_way {
        before.push(format!(
            "writes on both sides keep their keys apart as the stack says: {reason}"
        ));
    }
    let engine = source.engine.profile();
    let stop_dc = fill(engine.stop_writes, login, family);
    let mut steps = vec![
        Step {
            title: "stop writes at the data centre".into(),
            commands: vec![format!("on `{host}`, as an administrator: {stop_dc}")],
            verify: std::iter::once(format!(
                "on `{host}`: `{}` prints 0 (the application's writes stopped)",
                fill(engine.sessions, login, family)
            ))
            .chain(engine.log_position.map(|sql| {
                format!("on `{host}`: `{sql}` reads the same position twice, a minute apart (nothing writes any more)")
            }))
            .collect(),
        },
        Step {
            title: format!("drain replication `{}`", replication.name),
            commands: forwards.iter().flat_map(|t| latency(&forward, t)).collect(),
            verify: vec![match forwards.len() {
                1 => format!(
                    "both print only zeros: every change of the data centre is in Aurora (`{forward}`'s CDCLatencySource and CDCLatencyTarget)"
                ),
                _ => format!(
                    "each prints only zeros: every change of the data centre is in Aurora (the CDCLatencySource and CDCLatencyTarget of {}, one task per database)",
                    names(&forwards)
                ),
            }],
        },
        Step {
            title: "validate".into(),
            commands: every(&forwards, &|t| unvalidated(t)),
            verify: std::iter::once(
                "it prints nothing: every table validated, no row differs between the data centre and Aurora".to_string(),
            )
            .chain(partial_copy(replication))
            .collect(),
        },
        Step {
            title: "switch the writer to Aurora (for every service at once) and start the fallback".into(),
            commands: moves(stack, data_cutover, Writer::Aurora, paths, &[]),
            verify: vec![
                format!(
                    "from inside the VPC, `{}` prints Aurora's cluster endpoint, after the records' TTL ({}s)",
                    command(&["dig", "+short", "CNAME", &writer]),
                    crate::lower::writer::TTL
                ),
            ]
            .into_iter()
            .chain(every(&fallbacks, &|t| format!("`{}` succeeds (the fallback runs)", task_is(t, "running"))))
            .chain(every(&forwards, &|t| format!("`{}` succeeds (the forward replication is stopped)", task_is(t, "stopped"))))
            .collect(),
        },
    ];
    if family == Family::Postgresql {
        steps.push(Step {
            title: "move the sequences".into(),
            commands: vec![
                "on Aurora, for each sequence: `SELECT setval('<sequence>', (SELECT max(<key>) FROM <table>));` (DMS does not replicate sequences)".into(),
            ],
            verify: vec!["`SELECT last_value FROM <sequence>;` is at least each table's largest key".into()],
        });
    }
    steps.push(Step {
        title: "resume writes".into(),
        commands: groups
            .iter()
            .map(|g| {
                format!(
                    "recycle the database connections of `{g}` (they resolve the writer name when they open; the data centre closed the old ones): restart its connection pools, or `{}`",
                    command(&["aws", "autoscaling", "start-instance-refresh", "--auto-scaling-group-name", g])
                )
            })
            .collect(),
        verify: vec![format!(
            "on `{host}`: no session of `{login}` is left (the login stays locked: the data centre is the fallback's target now)"
        )],
    });
    let alarm_names = stack.fallback_alarm_names(data_cutover);
    let alarms_ok = format!(
        "test -z \"$({} --state-value ALARM --query 'MetricAlarms[].AlarmName' --output text)\"",
        command(
            &["aws", "cloudwatch", "describe-alarms", "--alarm-names"]
                .into_iter()
                .chain(alarm_names.iter().flatten().map(String::as_str))
                .collect::<Vec<_>>()
        )
    );
    // Per fallback task: its lag alarms (source, target) and validation alarms.
    let described: Vec<String> = alarm_names
        .iter()
        .map(|[lag_source, lag_target, failed, suspended]| {
            format!(
                "`{lag_source}`, `{lag_target}` (lag at {}s) and `{failed}`, `{suspended}` (validation)",
                data_cutover.fallback.max_lag.0
            )
        })
        .collect();
    steps.push(Step {
        title: "hold the fallback's gate".into(),
        commands: vec![alarms_ok.clone()],
        verify: vec![format!(
            "it succeeds: CloudWatch alarms {} are not firing; they hold back a data rollback",
            described.join("; ")
        )],
    });
    let resume_dc = fill(engine.resume_writes, login, family);
    let mut rollback = vec![
        Step {
            title: "stop writes on Aurora".into(),
            commands: groups
                .iter()
                .map(|g| {
                    command(&[
                        "aws",
                        "autoscaling",
                        "update-auto-scaling-group",
                        "--auto-scaling-group-name",
                        g,
                        "--min-size",
                        "0",
                        "--max-size",
                        "0",
                        "--desired-capacity",
                        "0",
                    ])
                })
                .collect(),
            verify: groups
                .iter()
                .map(|g| {
                    format!(
                        "`{}` prints nothing: `{g}` has no instance left (the services connect as the master user, which DMS uses too, so the login cannot be locked instead)",
                        instances_of(g)
                    )
                })
                .collect(),
        },
        Step {
            title: "the fallback is healthy: refuse to go on otherwise".into(),
            commands: std::iter::once(alarms_ok)
                .chain(every(&fallbacks, &|t| task_is(t, "running")))
                .collect(),
            verify: vec![format!(
                "{}, stop here: the fallback has not carried every write to the data centre, and switching back would lose them",
                match fallbacks.len() {
                    1 => "both succeed; if either fails",
                    _ => "every command succeeds; if one fails (one database's fallback behind or stopped)",
                }
            )],
        },
        Step {
            title: "drain the fallback".into(),
            commands: fallbacks.iter().flat_map(|t| latency(&fallback, t)).collect(),
            verify: vec![match fallbacks.len() {
                1 => "both print only zeros: every write made on Aurora is in the data centre".into(),
                _ => format!("each prints only zeros: every write made on Aurora is in the data centre, in every database ({})", names(&fallbacks)),
            }],
        },
        Step {
            title: "validate the fallback".into(),
            commands: every(&fallbacks, &|t| unvalidated(t)),
            verify: vec!["it prints nothing: no row differs between Aurora and the data centre".into()],
        },
    ];
    if family == Family::Postgresql {
        rollback.push(Step {
            title: "move the sequences back".into(),
            commands: vec![
                "on the data centre, for each sequence: `SELECT setval('<sequence>', (SELECT max(<key>) FROM <table>));`".into(),
            ],
            verify: vec!["`SELECT last_value FROM <sequence>;` is at least each table's largest key".into()],
        });
    }
    rollback.push(Step {
        title: "let the application write the data centre again".into(),
        commands: vec![format!("on `{host}`, as an administrator: {resume_dc}")],
        verify: vec![format!("`{login}` logs in on `{host}`")],
    });
    let ttl = crate::lower::writer::TTL;
    rollback.push(Step {
        title: "switch the writer back to the data centre; the forward replication resumes, the fallback stops; the services stay at zero".into(),
        commands: moves(
            stack,
            data_cutover,
            Writer::Datacentre,
            paths,
            &switch_back_targets(stack, data_cutover, &services),
        ),
        verify: std::iter::once(
            "the apply changes only the targets (Terraform warns that targeting is in effect: the rest of the root follows in the next step)".to_string(),
        )
        .chain([
            format!(
                "from inside the VPC, `{}` prints `{host}`",
                command(&["dig", "+short", &writer])
            ),
        ])
        .chain(every(&forwards, &|t| format!("`{}` succeeds", task_is(t, "running"))))
        .chain(every(&fallbacks, &|t| format!("`{}` succeeds", task_is(t, "stopped"))))
        .chain(groups.iter().map(|g| {
            format!(
                "`{}` still prints nothing: no instance of `{g}` runs while a resolver may hold Aurora's answer",
                instances_of(g)
            )
        }))
        .collect(),
    });
    rollback.push(Step {
        title: format!(
            "after the writer record's TTL ({ttl}s), bring the services back"
        ),
        commands: vec![
            command(&["sleep", &ttl.to_string()]),
            command(&[
                "terraform",
                &format!("-chdir={}", paths.root(stack)),
                "apply",
            ]),
        ],
        verify: vec![
            format!(
                "the previous step's apply ended at least {ttl}s ago (the record's TTL: no resolver in the VPC still answers Aurora for `{writer}`)"
            ),
            "the apply restores the services' capacity (and the forward replication's gate); their new instances resolve the writer name to the data centre".into(),
            "each service has its instances back, healthy behind its load balancer".into(),
            "only then may the traffic roll back below 100%".into(),
        ],
    });
    Runbook {
        summary,
        before,
        steps,
        rollback,
    }
}

/// What a traffic cutover's runbook says about where its service's writes go: a line for
/// before its first step, and, while a database it writes has its writes on Aurora, why its
/// rollback is refused until the data rollback.
pub(super) fn traffic_notes(
    stack: &Stack,
    cutover: &crate::model::Cutover,
) -> (Vec<String>, Option<String>) {
    let Some(service) = stack
        .services
        .iter()
        .find(|s| s.name == *cutover.service.name())
    else {
        return (Vec::new(), None);
    };
    let mut before = Vec::new();
    let mut refused = None;
    for db in service.writes() {
        match stack.write_path(db) {
            crate::model::WritePath::Aurora => {}
            crate::model::WritePath::Replicated {
                replication,
                owned,
                writer,
            } => match (owned, writer) {
                (Some(d), Writer::Aurora) => {
                    refused = Some(format!(
                        "refused now: database `{db}`'s writes go to Aurora; roll the data back first (data cutover `{}`: `pmigc phases --cutover {}`), then the traffic",
                        d.name, d.name
                    ));
                }
                (Some(d), Writer::Both) => before.push(format!(
                    "service `{}` writes database `{db}` on Aurora while the legacy application writes `{}`: a two-way replication joins them (data cutover `{}`)",
                    service.name, replication.source.host, d.name
                )),
                (Some(d), Writer::Datacentre) => before.push(format!(
                    "service `{}` writes database `{db}` on the data centre's primary `{}` until data cutover `{}`, after this cutover's last step",
                    service.name, replication.source.host, d.name
                )),
                (None, _) => before.push(format!(
                    "service `{}` writes database `{db}` on the data centre's primary `{}` (no data cutover of `{db}` in this workspace)",
                    service.name, replication.source.host
                )),
            },
        }
    }
    (before, refused)
}

/// The data cutovers `only` selects (every one when `None`), each with whether this workspace
/// owns it.
fn selected<'s>(
    stack: &'s Stack,
    only: Option<&'s str>,
) -> impl Iterator<Item = &'s DataCutover> + 's {
    stack
        .data_cutovers
        .iter()
        .filter(move |d| only.is_none_or(|o| d.name.as_str() == o))
}

/// The data cutovers' runbooks as text.
pub(super) fn text(stack: &Stack, paths: Paths, only: Option<&str>) -> String {
    let ws = &stack.workspace.name;
    let mut out = String::new();
    for data_cutover in selected(stack, only) {
        if let Some(owner) = data_cutover
            .owner
            .as_ref()
            .filter(|_| !stack.owns(data_cutover))
        {
            out.push_str(&format!(
                "Data cutover `{}` is owned by workspace `{owner}`: in `{ws}`, database `{}`'s writes go to the data centre.\n\n",
                data_cutover.name, data_cutover.database
            ));
            continue;
        }
        let book = runbook(stack, data_cutover, paths);
        out.push_str(&format!(
            "Data cutover `{}` in workspace `{ws}`: where database `{}`'s writes go\n",
            data_cutover.name, data_cutover.database
        ));
        for line in &book.summary {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("\nBefore the data cutover\n");
        for line in &book.before {
            out.push_str(&format!("  verify: {line}\n"));
        }
        write_steps(&mut out, "Data cutover", &book.steps);
        out.push_str("\nData rollback (after the data cutover, before any traffic rollback)\n");
        write_steps(&mut out, "Rollback", &book.rollback);
        out.push('\n');
    }
    out
}

fn write_steps(out: &mut String, what: &str, steps: &[Step]) {
    let total = steps.len();
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!(
            "\n{what} step {} of {total}: {}\n",
            i + 1,
            step.title
        ));
        for command in &step.commands {
            out.push_str(&format!("  run:    {command}\n"));
        }
        for line in &step.verify {
            out.push_str(&format!("  verify before the next step: {line}\n"));
        }
    }
}

/// The data cutovers' runbooks as data.
pub(super) fn json(stack: &Stack, paths: Paths, only: Option<&str>) -> Vec<Value> {
    selected(stack, only)
        .map(|data_cutover| {
            let owned = stack.owns(data_cutover);
            let book = runbook(stack, data_cutover, paths);
            let steps = |steps: &[Step]| -> Vec<Value> {
                steps
                    .iter()
                    .map(
                        |s| json!({ "title": s.title, "commands": s.commands, "verify": s.verify }),
                    )
                    .collect()
            };
            json!({
                "data_cutover": data_cutover.name.as_str(),
                "database": data_cutover.database.name().as_str(),
                "writer_input": data_cutover.writer_input.as_str(),
                "current_state": data_cutover.writer.as_str(),
                "writer_name": writer_name(stack, data_cutover),
                "replication": data_cutover.replication.name().as_str(),
                "fallback": stack.aws_name(&data_cutover.name),
                "fallback_alarms": stack.fallback_alarm_names(data_cutover).concat(),
                "owned_here": owned,
                "owner": data_cutover.owner.as_ref().map(|o| o.as_str()),
                "summary": book.summary,
                "before": book.before,
                "steps": if owned { steps(&book.steps) } else { Vec::new() },
                "rollback": if owned { steps(&book.rollback) } else { Vec::new() },
            })
        })
        .collect()
}

/// For a replication that copies only some tables (PMG0840): the check the data cutover needs
/// before the writer moves, since writes to other tables would land in Aurora alone.
fn partial_copy(replication: &crate::model::Replication) -> Option<String> {
    let tables = &replication.tables;
    if tables.copies_everything() {
        return None;
    }
    let list = |patterns: &[crate::model::TablePattern]| {
        let names: Vec<String> = patterns
            .iter()
            .map(|p| format!("`{}`", p.describe()))
            .collect();
        names.join(", ")
    };
    let excluded = match tables.exclude.as_slice() {
        [] => String::new(),
        patterns => format!(" except {}", list(patterns)),
    };
    Some(format!(
        "replication `{}` copies only {}{excluded}, and the fallback carries back only those: the services write no other table of this database (a write to one would land in Aurora alone)",
        replication.name,
        list(&tables.include)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_sh_would_read_are_quoted() {
        assert_eq!(word("payment-migration-prod"), "payment-migration-prod");
        assert_eq!(word("a b"), "'a b'");
        assert_eq!(word("it's"), r"'it'\''s'");
        assert_eq!(word("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(word(""), "''");
    }

    #[test]
    fn logins_are_sql_data() {
        assert_eq!(sql_literal("o'hara", Family::Postgresql), "'o''hara'");
        assert_eq!(sql_literal(r"a\'", Family::Mysql), r"'a\\'''");
        assert_eq!(sql_identifier("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(
            fill(
                "ALTER ROLE {role} NOLOGIN; WHERE usename = {user}",
                "app",
                Family::Postgresql
            ),
            "ALTER ROLE \"app\" NOLOGIN; WHERE usename = 'app'"
        );
    }
}
