//! The systematic search of issue 27 ("for every attribute, in every workspace, what does a
//! value change in the output?"): for each stack of `stacks/` and a few golden cases, each
//! workspace, each block and each attribute the registry lets a workspace override (and each
//! input), the test writes the registry's example value (or a value of the input's type) in
//! that workspace and asserts that it either produces a diagnostic or changes that workspace's
//! output: its root, or its runbook (`pmigc phases`, where a cutover's phases take effect).
//! The same at top level: every attribute of every block, `stack { … }` included, written in
//! the block, and every input's default, must change some workspace's output or be told. A
//! setting that does neither does nothing silently; `KNOWN` and `KNOWN_TOP` list those not
//! fixed, so the lists can only shrink (a known one that starts to show fails the test too,
//! to be taken off the list).

use pmigc::reference as registry;
use std::path::Path;

/// The stacks swept: every shipped one, and golden cases of shapes none of those has (a boot
/// script per workspace, overrides and placeholders, two PostgreSQL databases).
const STACKS: &[&str] = &[
    "stacks/payment.pmig",
    "stacks/marketplace.pmig",
    "stacks/orders.pmig",
    "stacks/shop.pmig",
    "stacks/ledger.pmig",
    "stacks/reports.pmig",
    "tests/cases/ok/boot-script.pmig",
    "tests/cases/ok/overrides-and-placeholders.pmig",
    "tests/cases/ok/postgresql-two-databases.pmig",
];

/// (stack, workspace, setting) found silent and not fixed yet (issue 27). None is left: an
/// override of a data cutover in a non-owner is PMG0845; `http` on a service with no load
/// balancer of its own is PMG0846; a VPN's `dns`/`domains` nothing forwards is PMG0847; a
/// reader login overridden where nothing reads the reader is PMG0848; an `existing vpn`'s
/// `connection` is watched by the tunnel alarm (`lower::network`); a cutover's `phases` shape
/// the owner's runbook, which the sweep compares beside the root (elsewhere they are PMG0834).
const KNOWN: &[(&str, &str, &str)] = &[];

/// The top-level blocks of `text`: (the keyword and sub-keyword, the name).
fn blocks(text: &str) -> Vec<(&'static registry::Block, String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(head) = line
            .split(" #")
            .next()
            .and_then(|l| l.trim_end().strip_suffix('{'))
        else {
            continue;
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        let found = match words.as_slice() {
            ["existing", sub, name] => {
                registry::by_keyword("existing", Some(sub)).map(|b| (b, *name))
            }
            ["stack", _] => registry::by_keyword("stack", None).map(|b| (b, "stack")),
            ["workspace", _] => None,
            [keyword, name] => registry::by_keyword(keyword, None).map(|b| (b, *name)),
            _ => None,
        };
        if let Some((block, name)) = found {
            out.push((block, name.to_string(), line.to_string()));
        }
    }
    out
}

/// The inputs of `text`: (name, type).
fn inputs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("input "))
        .filter_map(|l| {
            let (name, rest) = l.split_once(':')?;
            let ty = rest.split_whitespace().next()?;
            Some((name.trim().to_string(), ty.to_string()))
        })
        .collect()
}

/// The value `block` writes for `attr` at top level, whitespace collapsed (`None`: left out).
fn own_value(text: &str, header: &str, attr: &str) -> Option<String> {
    let start = text.find(header)?;
    let end = text[start..].find("\n}").map_or(text.len(), |i| start + i);
    text[start..end].lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == attr).then(|| {
            let value = value.split(" #").next().unwrap_or(value);
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        })
    })
}

/// The body of `workspace`'s block, as written.
fn body<'a>(text: &'a str, workspace: &str) -> &'a str {
    let head = format!("workspace {workspace} {{");
    let start = text.find(&head).map(|i| i + head.len()).unwrap_or(0);
    let end = text[start..]
        .find("\n}")
        .map(|i| start + i)
        .unwrap_or(text.len());
    &text[start..end]
}

/// `text` with `line` added first in `workspace`'s block, and where it is.
fn set_in(text: &str, workspace: &str, line: &str) -> Changed {
    let head = format!("workspace {workspace} {{\n");
    let changed = text.replacen(&head, &format!("{head}  {line}\n"), 1);
    let at = changed.find(&head).map_or(0, |i| i + head.len());
    let range = line_at(&changed, at);
    (changed, range)
}

/// A value of an input's type that differs from what the workspace has (both are tried).
fn input_values(ty: &str) -> &'static [&'static str] {
    match ty {
        "percent" => &["10%", "25%"],
        "name" => &["\"qa\"", "\"qb\""],
        "text" => &["\"qa.example.com\"", "\"qb.example.com\""],
        "number" => &["3", "4"],
        "writer" => &["aurora", "datacentre"],
        _ => &[],
    }
}

/// What a stack builds for each workspace: its root, and its runbook (`pmigc phases --format
/// json`), which is where a cutover's phases take effect.
type Built = Vec<(String, serde_json::Value)>;

/// A stack's diagnostics (code and message: a line added moves every span), where each starts,
/// and what it builds (nothing when it has errors).
struct Outcome {
    told: Vec<String>,
    starts: Vec<usize>,
    built: Built,
}

fn build(path: &Path, text: &str) -> Outcome {
    let checked = pmigc::check_source_with(text, &mut crate::common::reader(dir(path)));
    let mut told: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    told.sort();
    let starts = checked
        .diagnostics
        .iter()
        .map(|d| d.primary_span().start)
        .collect();
    if checked.has_errors() {
        return Outcome {
            told,
            starts,
            built: Vec::new(),
        };
    }
    let paths = pmigc::runbook::Paths {
        stack: "stack.pmig",
        out: "out",
    };
    let built = checked
        .stacks
        .iter()
        .map(|s| {
            let mut root = serde_json::Map::new();
            for (_, text) in pmigc::emit::render_files(&pmigc::root_of(s, &[]).unwrap()) {
                let file: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&text).unwrap();
                root.extend(file);
            }
            let runbook = pmigc::runbook::json(s, paths, None);
            (
                s.workspace.name.to_string(),
                serde_json::json!({ "root": root, "runbook": runbook }),
            )
        })
        .collect();
    Outcome {
        told,
        starts,
        built,
    }
}

fn dir(path: &Path) -> std::path::PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Whether `changed` (the setting written on its line `at`) shows against `base`: a diagnostic
/// `base` has not, a diagnostic on the setting's line (one `base` has too, about the value
/// written there before), or another root or runbook in `workspace` (in any, for `None`).
fn shows(
    path: &Path,
    base: &Outcome,
    (changed, at): (&str, std::ops::Range<usize>),
    workspace: Option<&str>,
) -> bool {
    let outcome = build(path, changed);
    if outcome.told != base.told || outcome.starts.iter().any(|s| at.contains(s)) {
        return true;
    }
    let of = |b: &Built| -> Vec<serde_json::Value> {
        b.iter()
            .filter(|(w, _)| workspace.is_none_or(|ws| ws == w))
            .map(|(_, v)| v.clone())
            .collect()
    };
    of(&outcome.built) != of(&base.built)
}

/// The byte range of the line of `text` that starts at `start`.
fn line_at(text: &str, start: usize) -> std::ops::Range<usize> {
    start..text[start..].find('\n').map_or(text.len(), |i| start + i)
}

/// The registry's example for `attr`, unless it is what `block` already has (its own value, or
/// the default when it has none): `None`, nothing to try.
fn example_that_differs(text: &str, header: &str, attr: &registry::Attr) -> Option<String> {
    if attr.example.is_empty() {
        return None;
    }
    let example = attr
        .example
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let own = own_value(text, header, attr.name);
    // The default as written: the word where it holds (`waf`), any engine's user name.
    let defaults: Vec<String> = match attr.default {
        Some(registry::Default::InternetFacing(word)) => vec![word.into()],
        Some(registry::Default::EngineUsername) => pmigc::reference::TARGETS
            .iter()
            .map(|t| format!("\"{}\"", pmigc::reference::engine(*t).default_username))
            .collect(),
        Some(d) => vec![
            d.to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ],
        None => Vec::new(),
    };
    let unchanged = match own.as_ref() {
        Some(v) => same_engine(v, &example).unwrap_or(*v == example),
        None => defaults.contains(&example),
    };
    (!unchanged).then_some(example)
}

/// Whether two engine values are one engine version (`aurora_mysql "8.0"` and `"3.08"` are
/// both 3.08.2); `None` when either is not an engine.
fn same_engine(a: &str, b: &str) -> Option<bool> {
    let full = |v: &str| {
        let (keyword, version) = v.split_once(' ')?;
        pmigc::reference::full_version(keyword, version.trim_matches('"'))
    };
    Some(full(a)? == full(b)?)
}

/// `text` with `attr = value` written in the block whose header line is `header`, at top
/// level: the line replaced where the block has it, else added first. `None` for a block
/// written on one line that has it (not rewritten).
fn set_top(text: &str, header: &str, attr: &str, value: &str) -> Option<Changed> {
    let start = text.find(header)?;
    let end = text[start..].find("\n}").map_or(text.len(), |i| start + i);
    let block = &text[start..end];
    let mut offset = start;
    for line in block.split_inclusive('\n') {
        if line
            .split_once('=')
            .is_some_and(|(key, _)| key.trim() == attr && !line.contains('{'))
        {
            let indent = &line[..line.len() - line.trim_start().len()];
            let mut out = text.to_string();
            out.replace_range(
                offset..offset + line.trim_end_matches('\n').len(),
                &format!("{indent}{attr} = {value}"),
            );
            let range = line_at(&out, offset);
            return Some((out, range));
        }
        offset += line.len();
    }
    if header.trim_end().ends_with('}') && header.contains(&format!("{attr} =")) {
        return None;
    }
    let brace = start + header.find('{')? + 1;
    let mut out = text.to_string();
    out.insert_str(brace, &format!("\n  {attr} = {value}\n"));
    let range = line_at(&out, brace + 1);
    Some((out, range))
}

/// A stack with one setting changed, and the byte range of the setting's line.
type Changed = (String, std::ops::Range<usize>);

/// A top-level setting that shows nowhere: (stack, setting). Each is a value every workspace
/// of the stack overrides: it reaches no root today, and is the value of the next workspace
/// added (so it is checked like any value: `err/input-default-overridden-everywhere`); pmigc
/// does not warn about it (docs/limitations.md). (Fixed: `dms_roles` in a stack without a
/// replication is PMG0870; a database's reader login no workspace's services receive, PMG0871.)
const KNOWN_TOP: &[(&str, &str)] = &[
    ("boot-script.pmig", "input env"),
    ("ledger.pmig", "input env"),
    ("marketplace.pmig", "input env"),
    ("orders.pmig", "input env"),
    ("orders.pmig", "orders.readers = 2"),
    ("orders.pmig", "web.capacity = 3..9"),
    ("orders.pmig", "worker.capacity = 3..9"),
    ("payment.pmig", "input environment_suffix"),
    (
        "overrides-and-placeholders.pmig",
        "creds.name = \"payment-db-credentials\"",
    ),
    ("postgresql-two-databases.pmig", "input env"),
    ("reports.pmig", "input env"),
    ("shop.pmig", "input env"),
];

#[test]
fn every_setting_in_every_workspace_changes_its_root_or_is_told() {
    let mut silent: Vec<(String, String, String)> = Vec::new();
    let (mut tried, mut same) = (0, 0);
    for file in STACKS {
        let path = crate::common::repo(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let base = build(&path, &text);
        assert!(
            !base.built.is_empty(),
            "{file} does not build: {:#?}",
            base.told
        );
        let file = Path::new(file).file_name().unwrap().to_str().unwrap();
        for (workspace, _) in &base.built {
            let own = body(&text, workspace);
            let mut settings: Vec<Vec<String>> = Vec::new();
            for (block, name, header) in blocks(&text) {
                for attr in block.attrs.iter().filter(|a| a.overridable) {
                    let key = format!("{name}.{}", attr.name);
                    if own.contains(&format!("{key} ")) {
                        continue;
                    }
                    match example_that_differs(&text, &header, attr) {
                        Some(example) => settings.push(vec![format!("{key} = {example}")]),
                        None => same += 1,
                    }
                }
            }
            for (input, ty) in inputs(&text) {
                if own
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{input} ")))
                {
                    continue;
                }
                let values = input_values(&ty);
                settings.push(values.iter().map(|v| format!("{input} = {v}")).collect());
            }
            for tries in settings {
                tried += 1;
                // Silent only when no value of the tries shows: one may equal the default.
                let shown = tries.iter().any(|line| {
                    let (changed, at) = set_in(&text, workspace, line);
                    shows(&path, &base, (&changed, at), Some(workspace))
                });
                if !shown {
                    let first = tries.first().cloned().unwrap_or_default();
                    silent.push((file.to_string(), workspace.clone(), first));
                }
            }
        }
    }
    for s in &silent {
        eprintln!("silent: {} workspace {}: {}", s.0, s.1, s.2);
    }
    eprintln!(
        "{tried} settings tried, {same} skipped (the example is the block's own value or the default)"
    );
    assert!(tried > 300, "only {tried} settings tried");
    silent.sort();
    let mut known: Vec<(String, String, String)> = KNOWN
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    known.sort();
    assert_eq!(silent, known, "settings that do nothing, and say nothing");
}

/// The same at top level: every attribute of every block (overridable or not, `stack { … }`
/// included) set to the registry's example in the block itself, and every input's default
/// changed; each must change some workspace's root or runbook, or be told.
#[test]
fn every_top_level_setting_changes_a_root_or_is_told() {
    let mut silent: Vec<(String, String)> = Vec::new();
    let (mut tried, mut same) = (0, 0);
    for file in STACKS {
        let path = crate::common::repo(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let base = build(&path, &text);
        let file = Path::new(file).file_name().unwrap().to_str().unwrap();
        let mut settings: Vec<(String, Vec<Changed>)> = Vec::new();
        for (block, name, header) in blocks(&text) {
            for attr in block.attrs {
                let Some(example) = example_that_differs(&text, &header, attr) else {
                    same += 1;
                    continue;
                };
                let Some(changed) = set_top(&text, &header, attr.name, &example) else {
                    same += 1;
                    continue;
                };
                settings.push((format!("{name}.{} = {example}", attr.name), vec![changed]));
            }
        }
        for (input, ty) in inputs(&text) {
            let changed = input_values(&ty)
                .iter()
                .filter_map(|v| {
                    let line = text
                        .lines()
                        .find(|l| l.starts_with(&format!("input {input}:")))?;
                    let (decl, _) = line.split_once('=')?;
                    let changed = text.replacen(line, &format!("{decl}= {v}"), 1);
                    let at = line_at(&changed, text.find(line)?);
                    Some((changed, at))
                })
                .collect();
            settings.push((format!("input {input}"), changed));
        }
        for (setting, tries) in settings {
            tried += 1;
            if !tries
                .iter()
                .any(|(t, at)| shows(&path, &base, (t, at.clone()), None))
            {
                silent.push((file.to_string(), setting));
            }
        }
    }
    for s in &silent {
        eprintln!("silent at top level: {}: {}", s.0, s.1);
    }
    eprintln!("{tried} top-level settings tried, {same} skipped");
    assert!(tried > 300, "only {tried} settings tried");
    silent.sort();
    let mut known: Vec<(String, String)> = KNOWN_TOP
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    known.sort();
    assert_eq!(
        silent, known,
        "top-level settings that do nothing, and say nothing"
    );
}

/// The sweep's comparison can fail: in marketplace's production, which manages `api_traffic`,
/// its phases written again as they are change nothing and are found silent; other phases
/// change the runbook (`pmigc phases`) and not the root, and show; the VPN connection id
/// changes the root (the tunnel alarm watches it).
#[test]
fn the_sweep_finds_a_setting_that_changes_nothing() {
    let path = crate::common::repo("stacks/marketplace.pmig");
    let text = std::fs::read_to_string(&path).unwrap();
    let base = build(&path, &text);
    let set = |line: &str| set_in(&text, "production", line);
    let (same, at) = set("api_traffic.phases = [0%, 5%, 25%, 50%, 100%]");
    assert!(!shows(&path, &base, (&same, at), Some("production")));
    let (other, at) = set("api_traffic.phases = [0%, 10%, 25%, 50%, 75%, 100%]");
    assert!(shows(&path, &base, (&other, at), Some("production")));
    let built = build(&path, &other).built;
    let root = |b: &Built| {
        b.iter()
            .find(|(w, _)| w == "production")
            .map(|(_, v)| v["root"].clone())
    };
    assert_eq!(
        root(&built),
        root(&base.built),
        "phases are not in the root"
    );
    let (connection, _) = set_in(
        &text,
        "staging",
        "dc.connection = \"vpn-0123456789abcdef0\"",
    );
    let built = build(&path, &connection).built;
    let staging = |b: &Built| {
        b.iter()
            .find(|(w, _)| w == "staging")
            .map(|(_, v)| v["root"].clone())
    };
    let alarm =
        staging(&built).unwrap()["resource"]["aws_cloudwatch_metric_alarm"]["dc_tunnel_down"]
            .clone();
    assert_eq!(alarm["dimensions"]["VpnId"], "vpn-0123456789abcdef0");
    assert_ne!(staging(&built), staging(&base.built));
}
