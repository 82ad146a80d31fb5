//! `boot = file "PATH"`: the user data of a service's launch template.
//!
//! - every stack in `stacks/` and every `ok/` case with a boot script: each launch template's
//!   `user_data` decodes (with a decoder of this file's own) to the exact bytes of the file
//!   beside the stack, and a service without `boot` has none;
//! - a script made of Terraform syntax (`${…}`, `%{…}`) reaches the instance unchanged;
//! - the limit: 16384 bytes build, 16385 are refused; a missing file names the resolved path;
//! - the CLI: `pmigc build` from another working directory reads the script beside the stack
//!   and writes the same roots; `check` reports a missing file and a huge (sparse) one without
//!   reading it, and follows no link out of the stack's directory; the parameters describe the databases the service reads, and nothing else.

use crate::common;

use common::{reader, repo};
use pmigc::{FileRead, Found, USER_DATA_LIMIT};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// RFC 4648 base64, decoded independently of the encoder under test.
fn decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    assert_eq!(text.len() % 4, 0, "padded base64");
    let mut out = Vec::new();
    for group in text.as_bytes().chunks(4) {
        let data: Vec<u8> = group.iter().copied().filter(|&c| c != b'=').collect();
        let n = data
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
        out.extend(n.to_be_bytes()[1..].iter().take(data.len() - 1));
    }
    out
}

/// The launch templates of every workspace: `(workspace, service, user_data)`.
fn user_data(roots: &[(String, Value)]) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    for (ws, root) in roots {
        // A stack may have no service at all.
        let Some(templates) = root["resource"]["aws_launch_template"].as_object() else {
            continue;
        };
        for (service, body) in templates {
            let data = body
                .get("user_data")
                .map(|d| d.as_str().unwrap().to_string());
            out.push((ws.clone(), service.clone(), data));
        }
    }
    out
}

fn lowered(checked: &pmigc::Checked) -> Vec<(String, Value)> {
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    checked
        .stacks
        .iter()
        .map(|s| {
            let mut root = serde_json::Map::new();
            for (_, text) in pmigc::emit::render_files(&pmigc::root_of(s, &[]).unwrap()) {
                let file: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
                root.extend(file);
            }
            (s.workspace.name.to_string(), Value::Object(root))
        })
        .collect()
}

/// The script each service of each workspace boots, read from the stack as a person would:
/// the service's `boot` line, or the workspace's `SERVICE.boot` override.
fn expected_script(text: &str, workspace: &str, service: &str) -> Option<String> {
    let path_in = |line: &str| line.split('"').nth(1).map(str::to_string);
    let mut block = String::new();
    let mut from_service = None;
    let mut from_workspace = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.ends_with('{') && !line.starts_with(' ') {
            block = words[..words.len() - 1].join(" ");
        }
        if block == format!("service {service}") && words.first() == Some(&"boot") {
            from_service = path_in(line);
        }
        if block == format!("workspace {workspace}")
            && words.first() == Some(&format!("{service}.boot").as_str())
        {
            from_workspace = path_in(line);
        }
    }
    from_workspace.or(from_service)
}

#[test]
fn user_data_decodes_to_the_exact_bytes_of_the_script_beside_the_stack() {
    let mut booted = 0;
    let mut plain = 0;
    for dir in ["stacks", "tests/cases/ok"] {
        let dir = repo(dir);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pmig"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let checked = pmigc::check_source_with(&text, &mut reader(dir.clone()));
            for (ws, service, data) in user_data(&lowered(&checked)) {
                match (expected_script(&text, &ws, &service), data) {
                    (Some(script), Some(data)) => {
                        let bytes = std::fs::read(dir.join(&script)).unwrap();
                        assert_eq!(decode(&data), bytes, "{}: {ws}/{service}", path.display());
                        booted += 1;
                    }
                    (None, None) => plain += 1,
                    (script, data) => panic!(
                        "{}: {ws}/{service}: script {script:?}, user data {data:?}",
                        path.display()
                    ),
                }
            }
        }
    }
    // marketplace's api in two workspaces, the ok case's web in two (one override).
    assert!(booted >= 4, "{booted} booted services");
    assert!(plain >= 10, "{plain} services without boot");
}

/// A stack whose one service boots `script`, checked with it in memory.
fn with_script(script: &[u8]) -> pmigc::Checked {
    let text = std::fs::read_to_string(repo("tests/cases/ok/boot-script.pmig")).unwrap();
    let script = script.to_vec();
    pmigc::check_source_with(&text, &mut |path: &str| Found {
        resolved: format!("mem/{path}"),
        read: FileRead::Bytes(script.clone()),
    })
}

fn codes(checked: &pmigc::Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn terraform_syntax_in_a_script_reaches_the_instance_unchanged() {
    let script = "#!/bin/sh\n${jsondecode(data.aws_secretsmanager_secret_version.db.secret_string).password}\n%{ for x in y }$${x}%{ endfor }\n${file(\"/etc/passwd\")}\n";
    let roots = lowered(&with_script(script.as_bytes()));
    let mut seen = 0;
    for (_, _, data) in user_data(&roots) {
        assert_eq!(decode(&data.unwrap()), script.as_bytes());
        seen += 1;
    }
    assert_eq!(seen, 2);
    // Nowhere in the output is the script's text, escaped or not: only its base64.
    for (_, root) in &roots {
        let all = root.to_string();
        assert!(!all.contains("jsondecode"), "the script leaked as text");
        assert!(!all.contains("file("), "the script leaked as text");
    }
}

#[test]
fn exactly_the_limit_builds_and_one_byte_more_is_refused() {
    let at_limit = vec![b'#'; USER_DATA_LIMIT];
    assert_eq!(USER_DATA_LIMIT, 16384);
    let roots = lowered(&with_script(&at_limit));
    for (_, _, data) in user_data(&roots) {
        assert_eq!(decode(&data.unwrap()), at_limit);
    }
    // Both scripts of the stack (the service's, the canary's override) are one byte over.
    let over = with_script(&vec![b'#'; USER_DATA_LIMIT + 1]);
    assert_eq!(codes(&over), ["PMG0611", "PMG0611"]);
    assert!(over.stacks.is_empty());
    // A size the reader reports without reading (a huge file) is refused the same way.
    let text = std::fs::read_to_string(repo("tests/cases/ok/boot-script.pmig")).unwrap();
    let huge = pmigc::check_source_with(&text, &mut |path: &str| Found {
        resolved: path.to_string(),
        read: FileRead::TooLarge(1 << 40),
    });
    assert_eq!(codes(&huge), ["PMG0611", "PMG0611"]);
    assert!(
        huge.diagnostics[0].labels[0]
            .message
            .contains("1099511627776 bytes")
    );
}

#[test]
fn a_missing_script_names_the_path_that_was_tried() {
    let text = std::fs::read_to_string(repo("tests/cases/ok/boot-script.pmig")).unwrap();
    let checked = pmigc::check_source_with(&text, &mut reader(repo("tests/cases/err")));
    assert_eq!(codes(&checked), ["PMG0610", "PMG0610"]);
    assert!(
        checked.diagnostics[0]
            .message
            .contains("`tests/cases/err/boot/web.sh`"),
        "{:?}",
        checked.diagnostics[0].message
    );
    // The library without a reader reads nothing, and says so.
    let alone = pmigc::check_source(&text);
    assert!(alone.has_errors());
    assert!(
        alone
            .diagnostics
            .iter()
            .all(|d| d.code.as_str() == "PMG0610")
    );
}

fn pmigc(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pmigc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A stack directory holding the `boot-script` case and its scripts: `DIR/stack/`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let stack = dir.path().join("stack");
    std::fs::create_dir_all(stack.join("boot")).unwrap();
    std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    std::fs::copy(
        repo("tests/cases/ok/boot-script.pmig"),
        stack.join("main.pmig"),
    )
    .unwrap();
    for name in ["web.sh", "web-canary.sh"] {
        std::fs::copy(
            repo("tests/cases/ok/boot").join(name),
            stack.join("boot").join(name),
        )
        .unwrap();
    }
    dir
}

#[test]
fn build_reads_the_script_beside_the_stack_from_any_working_directory() {
    let dir = scratch();
    let here = pmigc(&["build", "stack/main.pmig", "--out", "out1"], dir.path());
    assert!(here.status.success(), "{here:?}");
    let there = pmigc(
        &["build", "../stack/main.pmig", "--out", "../out2"],
        &dir.path().join("elsewhere"),
    );
    assert!(there.status.success(), "{there:?}");
    let inside = pmigc(
        &["build", "main.pmig", "--out", "../out3"],
        &dir.path().join("stack"),
    );
    assert!(inside.status.success(), "{inside:?}");
    for ws in ["staging", "canary"] {
        let main = |out: &str| {
            std::fs::read_to_string(dir.path().join(out).join(ws).join("main.tf.json")).unwrap()
        };
        assert_eq!(main("out1"), main("out2"), "{ws}");
        assert_eq!(main("out1"), main("out3"), "{ws}");
        let root: Value = serde_json::from_str(&main("out1")).unwrap();
        let data = root["resource"]["aws_launch_template"]["web"]["user_data"]
            .as_str()
            .unwrap();
        let script = if ws == "canary" {
            "web-canary.sh"
        } else {
            "web.sh"
        };
        let bytes = std::fs::read(dir.path().join("stack/boot").join(script)).unwrap();
        assert_eq!(decode(data), bytes);
    }
}

#[test]
fn check_reports_a_missing_and_a_huge_script_without_reading_it() {
    let dir = scratch();
    std::fs::remove_file(dir.path().join("stack/boot/web-canary.sh")).unwrap();
    let missing = pmigc(&["check", "main.pmig"], &dir.path().join("stack"));
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("error[PMG0610]"), "{stderr}");
    assert!(stderr.contains("read as `boot/web-canary.sh`"), "{stderr}");
    // A 64 GiB sparse file: refused by its size, never read (the check is instant).
    let huge = std::fs::File::create(dir.path().join("stack/boot/web-canary.sh")).unwrap();
    huge.set_len(64 << 30).unwrap();
    let started = std::time::Instant::now();
    let output = pmigc(&["check", "stack/main.pmig"], dir.path());
    assert!(started.elapsed().as_secs() < 10);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[PMG0611]"), "{stderr}");
    assert!(stderr.contains("68719476736 bytes"), "{stderr}");
    // A link that leads out of the stack's directory is not followed.
    std::fs::remove_file(dir.path().join("stack/boot/web-canary.sh")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "not for the instance").unwrap();
    std::os::unix::fs::symlink(
        "../../secret.txt",
        dir.path().join("stack/boot/web-canary.sh"),
    )
    .unwrap();
    let output = pmigc(&["check", "stack/main.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[PMG0610]"), "{stderr}");
    assert!(
        stderr.contains("a link that leads outside the stack's directory"),
        "{stderr}"
    );
    // A link inside it is fine.
    std::fs::remove_file(dir.path().join("stack/boot/web-canary.sh")).unwrap();
    std::os::unix::fs::symlink("web.sh", dir.path().join("stack/boot/web-canary.sh")).unwrap();
    let output = pmigc(&["check", "stack/main.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // A directory where the script should be.
    std::fs::remove_file(dir.path().join("stack/boot/web-canary.sh")).unwrap();
    std::fs::create_dir(dir.path().join("stack/boot/web-canary.sh")).unwrap();
    let output = pmigc(&["check", "stack/main.pmig"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not a regular file (a directory)"),
        "{stderr}"
    );
}

#[test]
fn parameters_describe_exactly_the_databases_the_service_reads() {
    let text = std::fs::read_to_string(repo("stacks/marketplace.pmig")).unwrap();
    for (ws, root) in common::compile(&text) {
        let parameters = root["resource"]["aws_ssm_parameter"].as_object().unwrap();
        // Staging does not own the data cutovers: there the API only reads, through the
        // reader names, as the read-only login where the database declares one.
        if ws == "staging" {
            for db in ["orders", "catalog"] {
                let reader = &parameters[&format!("api_{db}_reader_endpoint")]["insecure_value"];
                assert_eq!(
                    reader.as_str(),
                    Some(format!("reader.{db}.${{local.name}}.internal").as_str())
                );
                assert!(!parameters.contains_key(&format!("api_{db}_writer_endpoint")));
            }
            assert_eq!(
                parameters["api_orders_username"]["insecure_value"],
                "market_ro"
            );
            continue;
        }
        let names: Vec<&str> = parameters.keys().map(String::as_str).collect();
        // api writes orders (MySQL: no database name) and catalog (PostgreSQL: one), both fed
        // by a replication: each is reached through its writer name, which a data cutover
        // switches, and has no reader endpoint (a writing service reads through the writer).
        assert_eq!(names.len(), 11, "{ws}: {names:?}");
        for db in ["orders", "catalog"] {
            let writer = &parameters[&format!("api_{db}_writer_endpoint")]["insecure_value"];
            assert_eq!(
                writer.as_str(),
                Some(format!("writer.{db}.${{local.name}}.internal").as_str()),
                "{ws}"
            );
            assert!(!names.contains(&format!("api_{db}_reader_endpoint").as_str()));
        }
        assert!(names.iter().all(|n| n.starts_with("api_")), "{names:?}");
        for (_, body) in parameters {
            assert_eq!(body["type"], "String");
            let name = body["name"].as_str().unwrap();
            assert!(name.starts_with("/${local.name}-api/"), "{name}");
            let value = body["insecure_value"].as_str().unwrap();
            assert!(!value.contains("secret_string"), "a secret value: {value}");
        }
        let policy = root["resource"]["aws_iam_role_policy"]["api_parameters"]["policy"]
            .as_str()
            .unwrap();
        let policy: Value = serde_json::from_str(policy).unwrap();
        let resources = policy["Statement"][0]["Resource"].as_array().unwrap();
        assert_eq!(resources.len(), 2);
        for r in resources {
            let r = r.as_str().unwrap();
            assert!(r.contains(":parameter/${local.name}-api"), "{r}");
            assert!(!r.ends_with(":*") && r != "*", "{r}");
        }
        // Only the booting service gets a policy, a path tag and instance tags in metadata.
        for service in ["admin", "indexer"] {
            assert!(
                root["resource"]["aws_iam_role_policy"][format!("{service}_parameters")].is_null()
            );
            let template = &root["resource"]["aws_launch_template"][service];
            assert!(template["metadata_options"]["instance_metadata_tags"].is_null());
        }
        let tags = root["resource"]["aws_autoscaling_group"]["api"]["tag"]
            .as_array()
            .unwrap();
        assert!(
            tags.iter()
                .any(|t| t["key"] == "pmigc:parameters" && t["value"] == "/${local.name}-api/")
        );
    }
}

/// The example the registry shows in hover and completion checks clean when its file exists.
#[test]
fn the_registry_example_is_accepted() {
    let example = pmigc::reference::SERVICE.attr("boot").unwrap().example;
    let text = std::fs::read_to_string(repo("tests/cases/ok/minimal-service.pmig")).unwrap();
    let text = text.replace(
        "  http     = redirect\n}",
        &format!("  http     = redirect\n  boot     = {example}\n}}"),
    );
    assert!(
        text.contains("boot     = file \"scripts/api-boot.sh\""),
        "{text}"
    );
    let checked = pmigc::check_source_with(&text, &mut reader(repo("stacks")));
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert!(checked.stacks[0].services[0].boot.is_some());
}
