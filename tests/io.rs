//! Reads and writes a user can trust (issue 13): one build at a time into a directory, a whole
//! build or none, never through a symbolic link, nothing stale left behind, the same source
//! map however the stack is named; only regular files of bounded size are read, in bounded
//! memory; closed or full output never panics; nothing from the stack reaches a terminal raw.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod cli_support;

use cli_support::{command as pmigc, payment, pmigc as run, stderr};

/// Another valid stack: a different capacity, and no 75% phase.
fn other() -> String {
    payment()
        .replace("capacity = 3..9", "capacity = 3..12")
        .replace("50%, 75%, 100%", "50%, 100%")
}

/// A scratch directory with `a.pmig` (the payment stack) and `b.pmig` (`other()`).
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.pmig"), payment()).expect("write");
    std::fs::write(dir.path().join("b.pmig"), other()).expect("write");
    dir
}

/// Every file under `dir` (but pmigc's own `.pmigc/`), by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry"))
        {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .display()
                .to_string();
            if rel == ".pmigc" {
                continue;
            }
            let kind = entry.file_type().expect("type");
            if kind.is_dir() {
                files.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, files);
            } else {
                files.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Builds `stack` into `out` (both relative to `dir`) and returns the tree it wrote.
fn reference(dir: &Path, stack: &str, out: &str) -> BTreeMap<String, Vec<u8>> {
    let output = run(&["build", stack, "--out", out], dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    tree(&dir.join(out))
}

fn wait_with_timeout(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pmigc did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

// 1. Concurrent builds.

#[test]
fn concurrent_builds_of_two_stacks_leave_one_stack_whole() {
    let dir = scratch();
    let (a, b) = (
        reference(dir.path(), "a.pmig", "ref-a"),
        reference(dir.path(), "b.pmig", "ref-b"),
    );
    assert_ne!(a, b);
    for round in 0..12 {
        // Every few rounds from no output directory at all: both builds then race to create
        // `out/` and `out/.pmigc` before either holds the lock.
        if round % 3 == 0 {
            let _ = std::fs::remove_dir_all(dir.path().join("out"));
        }
        let spawn = |stack: &str| {
            pmigc()
                .args(["build", stack, "--out", "out"])
                .current_dir(dir.path())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn")
        };
        let (first, second) = if round % 2 == 0 {
            (spawn("a.pmig"), spawn("b.pmig"))
        } else {
            (spawn("b.pmig"), spawn("a.pmig"))
        };
        for child in [first, second] {
            let output = wait_with_timeout(child, Duration::from_secs(60));
            assert_eq!(output.status.code(), Some(0));
        }
        let out = tree(&dir.path().join("out"));
        assert!(
            out == a || out == b,
            "round {round}: the output mixes the two stacks"
        );
    }
}

#[test]
fn a_second_build_waits_for_the_lock_and_says_so() {
    let dir = scratch();
    std::fs::create_dir_all(dir.path().join("out/.pmigc")).expect("mkdir");
    let lock = std::fs::File::create(dir.path().join("out/.pmigc/lock")).expect("lock file");
    lock.lock().expect("lock");
    let child = pmigc()
        .args(["build", "a.pmig"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(1500));
    let mut child = child;
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the build must wait while another holds the lock"
    );
    assert!(
        !dir.path().join("out/legacy-sync").exists(),
        "nothing written while waiting"
    );
    drop(lock);
    let output = wait_with_timeout(child, Duration::from_secs(60));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("waiting for another build into `out` to finish"),
        "{}",
        stderr(&output)
    );
    assert!(dir.path().join("out/legacy-sync/main.tf.json").is_file());
}

// 2. All or nothing.

#[test]
fn a_directory_where_a_file_goes_fails_the_build_before_anything_changes() {
    let dir = scratch();
    let a = reference(dir.path(), "a.pmig", "out");
    let sourcemap = dir.path().join("out/aws-production/sourcemap.json");
    std::fs::remove_file(&sourcemap).expect("rm");
    std::fs::create_dir(&sourcemap).expect("mkdir");
    let output = run(&["build", "b.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is a directory where pmigc writes a file"),
        "{}",
        stderr(&output)
    );
    let mut expected = a;
    expected.remove("aws-production/sourcemap.json");
    expected.insert("aws-production/sourcemap.json/".into(), Vec::new());
    assert_eq!(
        tree(&dir.path().join("out")),
        expected,
        "no file may change"
    );
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_point_leaves_the_old_output_or_is_completed_by_the_next() {
    let dir = scratch();
    let a = reference(dir.path(), "a.pmig", "out");
    let b = reference(dir.path(), "b.pmig", "ref-b");
    let killed = |point: &str| {
        let output = pmigc()
            .args(["build", "b.pmig"])
            .env("PMIGC_TEST_ABORT", point)
            .current_dir(dir.path())
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            None,
            "killed at {point}: {}",
            stderr(&output)
        );
    };
    // Killed with every file staged, before the commit: the output is the old one, and the
    // next build removes the staging.
    killed("staged");
    assert_eq!(tree(&dir.path().join("out")), a);
    assert!(dir.path().join("out/.pmigc/stage").exists());
    // Killed in the middle of the commit: the commit list says so; the next build (here of
    // one workspace of the first stack) first completes it.
    killed("renamed:3");
    assert!(dir.path().join("out/.pmigc/commit").is_file());
    let output = run(
        &["build", "a.pmig", "--workspace", "legacy-sync"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = tree(&dir.path().join("out"));
    let of = |t: &BTreeMap<String, Vec<u8>>, ws: &str| -> BTreeMap<String, Vec<u8>> {
        t.iter()
            .filter(|(k, _)| k.starts_with(ws))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(
        of(&out, "aws-production"),
        of(&b, "aws-production"),
        "b's commit completed"
    );
    assert_eq!(of(&out, "legacy-sync"), of(&a, "legacy-sync"));
    let mut state: Vec<String> = std::fs::read_dir(dir.path().join("out/.pmigc"))
        .expect("state")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    state.sort();
    assert_eq!(state, ["lock", "manifest"], "no staging or commit left");
}

// 3. Symbolic links.

#[cfg(unix)]
#[test]
fn a_build_never_writes_through_a_symbolic_link() {
    let dir = scratch();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("out/aws-production"))
        .expect("symlink");
    let output = run(&["build", "a.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("out/aws-production` is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_dir(elsewhere.path()).expect("dir").count(), 0);
    assert!(
        !dir.path().join("out/legacy-sync").exists(),
        "nothing written"
    );

    // A link in place of a file is refused too, and its target is left alone.
    std::fs::remove_file(dir.path().join("out/aws-production")).expect("rm link");
    reference(dir.path(), "a.pmig", "out");
    let target = elsewhere.path().join("keep");
    std::fs::write(&target, "keep").expect("write");
    let main = dir.path().join("out/legacy-sync/main.tf.json");
    std::fs::remove_file(&main).expect("rm");
    std::os::unix::fs::symlink(&target, &main).expect("symlink");
    let output = run(&["build", "b.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("main.tf.json` is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&target).expect("target"), "keep");
}

// 4. Leftovers.

#[test]
fn the_output_holds_exactly_what_the_build_produced() {
    let dir = scratch();
    reference(dir.path(), "a.pmig", "out");
    let out = dir.path().join("out");
    // A temporary file of a killed build (as earlier versions named them), a user's files.
    std::fs::write(out.join("legacy-sync/.tmpAb12Cd"), "partial").expect("write");
    std::fs::create_dir(out.join("notes")).expect("mkdir");
    std::fs::write(out.join("notes/main.tf.json"), "{}").expect("write");
    std::fs::write(out.join("legacy-sync/terraform.tfstate"), "{}").expect("write");
    // The stack loses its 75% phase and renames a workspace.
    std::fs::write(
        dir.path().join("b.pmig"),
        other()
            .replace("workspace legacy-sync", "workspace staging")
            .replace("dms_roles = legacy-sync", "dms_roles = staging"),
    )
    .expect("write");
    let output = run(&["build", "b.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let built = reference(dir.path(), "b.pmig", "ref-b");
    let mut expected = built.clone();
    expected.insert("notes/".into(), Vec::new());
    expected.insert("notes/main.tf.json".into(), b"{}".to_vec());
    // pmigc's files of the workspace that is gone are removed; its Terraform state is not.
    expected.insert("legacy-sync/".into(), Vec::new());
    expected.insert("legacy-sync/terraform.tfstate".into(), b"{}".to_vec());
    assert_eq!(
        tree(&out).keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert_eq!(tree(&out), expected);
}

// 5. Absolute paths.

#[test]
fn the_source_map_is_the_same_however_the_stack_is_named() {
    let dir = scratch();
    let absolute = dir.path().join("a.pmig").display().to_string();
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let builds = [
        (run(&["build", "a.pmig", "--out", "one"], dir.path()), "one"),
        (
            run(&["build", &absolute, "--out", "two"], dir.path()),
            "two",
        ),
        (
            run(
                &["build", "../a.pmig", "--out", "../three"],
                &dir.path().join("sub"),
            ),
            "three",
        ),
    ];
    let maps: Vec<Vec<u8>> = builds
        .iter()
        .map(|(output, out)| {
            assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
            std::fs::read(dir.path().join(out).join("aws-production/sourcemap.json"))
                .expect("source map")
        })
        .collect();
    assert_eq!(maps[0], maps[1]);
    assert_eq!(maps[0], maps[2]);
    let map: serde_json::Value = serde_json::from_slice(&maps[0]).expect("JSON");
    assert_eq!(map["file"], "../../a.pmig");
    assert!(!String::from_utf8_lossy(&maps[1]).contains(&absolute));
}

// 6. Reads.

fn check_with_timeout(path: &Path) -> Output {
    let child = pmigc()
        .args(["check"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_with_timeout(child, Duration::from_secs(20))
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("fifo.pmig");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for (path, kind) in [
        (fifo, "a FIFO"),
        (PathBuf::from("/dev/zero"), "a character device"),
        (dir.path().to_path_buf(), "a directory"),
    ] {
        let output = check_with_timeout(&path);
        assert_eq!(output.status.code(), Some(2), "{}", path.display());
        assert!(
            stderr(&output).contains(&format!("not a regular file ({kind})")),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_stack_over_8_mib_is_refused_with_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let limit = 8 * 1024 * 1024;
    let path = dir.path().join("big.pmig");
    std::fs::write(&path, "#".repeat(limit + 1)).expect("write");
    let output = check_with_timeout(&path);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("larger than the 8 MiB limit"),
        "{}",
        stderr(&output)
    );
    std::fs::write(&path, "#".repeat(limit)).expect("write");
    let output = check_with_timeout(&path);
    assert!(!stderr(&output).contains("limit"), "{}", stderr(&output));
}

/// The peak memory `check --timings` reports, in bytes.
fn peak_memory(path: &Path) -> u64 {
    let output = pmigc()
        .args(["check", "--timings", "--message-format", "short"])
        .arg(path)
        .output()
        .expect("runs");
    let err = stderr(&output);
    let kib = err
        .split("peak memory ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no peak memory in: {err}"));
    kib * 1024
}

/// README, "Output contract": checking a stack takes at most 48 bytes of memory per byte of
/// input plus 32 MiB, measured here near the 8 MiB limit (valid stack, one huge line).
#[cfg(target_os = "linux")]
#[test]
fn memory_per_input_byte_is_bounded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = pmigc::synth::stack(43_000);
    let line = format!(
        "stack p {{\n  region = {}\n}}\n",
        "x".repeat(8 * 1024 * 1024 - 40)
    );
    for (name, text) in [("services.pmig", stack), ("line.pmig", line)] {
        let path = dir.path().join(name);
        assert!(text.len() > 7 * 1024 * 1024 && text.len() <= 8 * 1024 * 1024);
        std::fs::write(&path, &text).expect("write");
        let peak = peak_memory(&path);
        let bound = 48 * text.len() as u64 + 32 * 1024 * 1024;
        assert!(
            peak <= bound,
            "{name}: {peak} bytes for {} bytes of input (bound {bound})",
            text.len()
        );
    }
}

/// README, "Output contract": whatever the input, checking takes at most 256 bytes of memory
/// per byte plus 32 MiB. Measured at 1 MiB on the shapes that cost most per byte: tiny items
/// (each a block, each an error), one block of tiny attributes, and nothing but syntax errors
/// (reading stops after 100 of them, so that one is far below the bound).
#[cfg(target_os = "linux")]
#[test]
fn memory_per_input_byte_is_bounded_for_any_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let size = 1024 * 1024;
    let stack = "stack s {\n  region = \"us-east-1\"\n  name = \"s\"\n}\n";
    let fill = |line: &str| format!("{stack}{}", line.repeat((size - stack.len()) / line.len()));
    let shapes = [
        ("kinds.pmig", fill("x y {}\n")),
        (
            "dense.pmig",
            format!("{stack}network n {{\n{}}}\n", "  a = 1\n".repeat(size / 8)),
        ),
        ("errors.pmig", fill("x\n")),
    ];
    for (name, text) in shapes {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).expect("write");
        let peak = peak_memory(&path);
        let bound = 256 * text.len() as u64 + 32 * 1024 * 1024;
        assert!(
            peak <= bound,
            "{name}: {peak} bytes for {} bytes of input (bound {bound})",
            text.len()
        );
    }
}

// 7. Closed and full output.

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("bad.pmig"),
        payment().replace("reads    = ledger", "reads    = ledgr"),
    )
    .expect("write");
    let closed = || {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        writer
    };
    let output = pmigc()
        .args(["check", "bad.pmig", "--message-format", "json"])
        .current_dir(dir.path())
        .stdout(closed())
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "the stack's result: {}",
        stderr(&output)
    );
    assert_eq!(stderr(&output), "");
    let output = pmigc()
        .arg("explain")
        .stdout(closed())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_device_is_one_line_on_stderr_and_exit_2() {
    let dir = scratch();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    for args in [
        vec!["phases", "a.pmig"],
        vec!["explain"],
        vec!["explain", "PMG0504"],
    ] {
        let output = pmigc()
            .args(&args)
            .current_dir(dir.path())
            .stdout(full())
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            stderr(&output),
            "error: cannot write to stdout: No space left on device (os error 28)\n"
        );
    }
    std::fs::write(
        dir.path().join("bad.pmig"),
        payment().replace("zones   = 3", "zones   = 3%"),
    )
    .expect("write");
    for args in [
        vec!["build", "a.pmig"],
        vec!["check", "bad.pmig"],
        vec!["build", "bad.pmig"],
    ] {
        let output = pmigc()
            .args(&args)
            .current_dir(dir.path())
            .stderr(full())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

// 8. Terminal safety.

/// `pmigc check FILE` in `dir` in each message format: the format and everything printed
/// (stdout then stderr), each run having refused the stack (exit 1).
fn every_rendering(dir: &Path, file: &str) -> Vec<(&'static str, String)> {
    ["human", "short", "json"]
        .into_iter()
        .map(|format| {
            let output = run(&["check", file, "--message-format", format], dir);
            assert_eq!(output.status.code(), Some(1));
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                stderr(&output)
            );
            (format, all)
        })
        .collect()
}

#[test]
fn control_characters_from_the_stack_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("temp dir");
    let evil = "\u{1b}[2J\u{8}\u{202e}\u{2066}\u{85}\u{7f}\r";
    let text = payment().replace(
        "reads    = ledger",
        &format!("reads    = ledgr # {evil} hidden"),
    );
    std::fs::write(dir.path().join("evil.pmig"), text).expect("write");
    for (format, all) in every_rendering(dir.path(), "evil.pmig") {
        assert!(all.contains("PMG0601"), "{all}");
        for c in evil.chars().filter(|c| !c.is_ascii_graphic()) {
            assert!(!all.contains(c), "{format}: {:?} echoed raw in {all}", c);
        }
        if format == "human" {
            assert!(all.contains(r"\u{1b}[2J\u{8}\u{202e}"), "{all}");
        }
    }
}

#[test]
fn a_huge_identifier_is_cut_in_every_rendering() {
    let dir = tempfile::tempdir().expect("temp dir");
    let huge = "l".repeat(200_000);
    let text = payment().replace("reads    = ledger", &format!("reads    = {huge}"));
    std::fs::write(dir.path().join("huge.pmig"), text).expect("write");
    for (format, all) in every_rendering(dir.path(), "huge.pmig") {
        assert!(all.contains('…'), "{format}: {all}");
        assert!(all.len() < 10_000, "{format}: {} bytes echoed", all.len());
        if format != "json" {
            let widest = all.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(widest <= 300, "{format}: a line of {widest} characters");
        }
    }
}
