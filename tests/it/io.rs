//! Reads and writes a user can trust (issue 13): one build at a time into a directory, a whole
//! build or none, never through a symbolic link, nothing stale left behind, the same source
//! map however the stack is named; only regular files of bounded size are read, in bounded
//! memory; closed or full output never panics; nothing from the stack reaches a terminal raw.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::cli_support;

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
    let path = path.display().to_string();
    bounded(&["check", &path], Path::new("."))
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
        // The commands that rewrite a stack refuse it the same way, before locking anything.
        let path = path.display().to_string();
        for args in [
            vec!["fmt", &path],
            vec!["fmt", "--check", &path],
            vec!["move", "payments", "10%", &path],
        ] {
            let output = bounded(&args, dir.path());
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            assert!(
                stderr(&output).contains(&format!("not a regular file ({kind})")),
                "{args:?}: {}",
                stderr(&output)
            );
        }
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

/// docs/cli.md, "Output contract": checking a stack takes at most 48 bytes of memory per byte of
/// input plus 32 MiB, measured here near the 8 MiB limit (valid stack, one huge line).
#[cfg(target_os = "linux")]
#[test]
fn memory_per_input_byte_is_bounded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = crate::synth::stack(43_000);
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

/// docs/cli.md, "Output contract": whatever the input, checking takes at most 256 bytes of memory
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

// 9. The IO contract of every file pmigc touches (issue 28; `docs/io.md`).

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

/// `pmigc ARGS` in `dir` that must end within 20 s.
fn bounded(args: &[&str], dir: &Path) -> Output {
    let child = pmigc()
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_with_timeout(child, Duration::from_secs(20))
}

#[cfg(unix)]
#[test]
fn recovering_an_interrupted_build_never_moves_a_file_in_from_outside() {
    let dir = scratch();
    reference(dir.path(), "a.pmig", "out");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(outside.path().join("legacy-sync")).expect("mkdir");
    let theirs = outside.path().join("legacy-sync/main.tf.json");
    std::fs::write(&theirs, "not pmigc's").expect("write");
    // A commit left behind whose stage is a link to a directory outside.
    let state = dir.path().join("out/.pmigc");
    std::fs::write(
        state.join("commit"),
        r#"{"rename":["legacy-sync/main.tf.json"],"remove":[],"prune":[]}"#,
    )
    .expect("write");
    let _ = std::fs::remove_dir_all(state.join("stage"));
    std::os::unix::fs::symlink(outside.path(), state.join("stage")).expect("symlink");
    let output = bounded(&["build", "a.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("stage` is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&theirs).expect("kept"),
        "not pmigc's"
    );
    assert_ne!(
        std::fs::read(dir.path().join("out/legacy-sync/main.tf.json")).expect("main"),
        b"not pmigc's"
    );
}

#[cfg(unix)]
#[test]
fn recovering_an_interrupted_build_never_removes_a_file_outside() {
    let dir = scratch();
    reference(dir.path(), "a.pmig", "out");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(outside.path().join("phases")).expect("mkdir");
    let theirs = outside.path().join("phases/010.tfvars.json");
    std::fs::write(&theirs, "{}").expect("write");
    // A workspace directory that is a link out, and a commit that removes a file in it.
    std::os::unix::fs::symlink(outside.path(), dir.path().join("out/gone")).expect("symlink");
    std::fs::write(
        dir.path().join("out/.pmigc/commit"),
        r#"{"rename":[],"remove":["gone/phases/010.tfvars.json"],"prune":["gone/phases"]}"#,
    )
    .expect("write");
    let output = bounded(&["build", "a.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("out/gone` is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert!(theirs.is_file(), "a file outside the output was removed");
    // Once the link is gone, the build completes the commit and goes on.
    std::fs::remove_file(dir.path().join("out/gone")).expect("rm link");
    let output = bounded(&["build", "a.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(theirs.is_file());
}

#[cfg(unix)]
#[test]
fn state_files_that_are_fifos_or_links_to_dev_zero_fail_at_once() {
    for name in ["lock", "manifest", "commit"] {
        for what in ["a FIFO", "/dev/zero"] {
            let dir = scratch();
            reference(dir.path(), "a.pmig", "out");
            let path = dir.path().join("out/.pmigc").join(name);
            let _ = std::fs::remove_file(&path);
            if what == "a FIFO" {
                mkfifo(&path);
            } else {
                std::os::unix::fs::symlink("/dev/zero", &path).expect("symlink");
            }
            let output = bounded(&["build", "a.pmig"], dir.path());
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{name} as {what}: {err}");
            let expected = if what == "a FIFO" {
                "not a regular file (a FIFO)"
            } else {
                "a symbolic link"
            };
            assert!(
                err.contains(expected) && err.contains(&format!(".pmigc/{name}`")),
                "{name} as {what}: {err}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn graph_out_replaces_no_fifo_link_or_directory() {
    let dir = scratch();
    let elsewhere = dir.path().join("elsewhere.svg");
    std::fs::write(&elsewhere, "mine").expect("write");
    mkfifo(&dir.path().join("fifo.svg"));
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("link.svg")).expect("symlink");
    std::fs::create_dir(dir.path().join("dir.svg")).expect("mkdir");
    for (name, said) in [
        ("fifo.svg", "is a FIFO, not a regular file"),
        ("link.svg", "is a symbolic link"),
        ("dir.svg", "is a directory"),
    ] {
        let output = bounded(&["graph", "a.pmig", "--out", name], dir.path());
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(said),
            "{name}: {}",
            stderr(&output)
        );
    }
    let kind = |name: &str| {
        std::fs::symlink_metadata(dir.path().join(name))
            .expect("still there")
            .file_type()
    };
    use std::os::unix::fs::FileTypeExt;
    assert!(kind("fifo.svg").is_fifo());
    assert!(kind("link.svg").is_symlink());
    assert!(kind("dir.svg").is_dir());
    assert_eq!(std::fs::read_to_string(&elsewhere).expect("kept"), "mine");
}

/// `pmigc ARGS` in `dir` under `umask MASK` (set by `sh`, as a user's shell would).
#[cfg(unix)]
fn with_umask(mask: &str, args: &[&str], dir: &Path) -> Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "umask {mask} && exec '{}' {}",
        env!("CARGO_BIN_EXE_pmigc"),
        quoted.join(" ")
    );
    Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

#[cfg(unix)]
#[test]
fn graph_out_respects_the_umask_and_keeps_an_existing_files_mode() {
    let dir = scratch();
    for (mask, expected) in [("022", 0o644), ("027", 0o640), ("077", 0o600)] {
        let name = format!("graph-{mask}.svg");
        let output = with_umask(mask, &["graph", "a.pmig", "--out", &name], dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(mode(&dir.path().join(&name)), expected, "umask {mask}");
    }
    // Rewritten, a file keeps the mode it had.
    let path = dir.path().join("graph-022.svg");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o664))
        .expect("chmod");
    let output = with_umask(
        "077",
        &["graph", "a.pmig", "--out", "graph-022.svg"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(mode(&path), 0o664);
}

/// The payment stack with its alignment undone, so that `fmt` rewrites it.
fn messy() -> String {
    payment()
        .replace("cidr    = ", "cidr=")
        .replace("  zones   = 3", "\tzones = 3")
}

fn canonical_text(text: &str) -> bool {
    pmigc::fmt::format(text).is_ok_and(|formatted| formatted == text)
}

#[cfg(unix)]
#[test]
fn fmt_and_move_write_the_file_a_symbolic_link_names_and_keep_the_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("real")).expect("mkdir");
    let real = dir.path().join("real/payment.pmig");
    std::fs::write(&real, messy()).expect("write");
    let link = dir.path().join("payment.pmig");
    std::os::unix::fs::symlink("real/payment.pmig", &link).expect("symlink");
    let is_link = || {
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    };
    let output = run(&["fmt", "payment.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(is_link(), "fmt replaced the link with a file");
    assert_eq!(std::fs::read_to_string(&real).expect("real"), payment());
    let output = run(
        &[
            "move",
            "payments",
            "10%",
            "--workspace",
            "aws-production",
            "payment.pmig",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(is_link(), "move replaced the link with a file");
    assert!(
        std::fs::read_to_string(&real)
            .expect("real")
            .contains("traffic_weight     = 10%")
    );
    let names: Vec<_> = std::fs::read_dir(dir.path().join("real"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["payment.pmig"], "nothing left beside the stack");
}

#[cfg(unix)]
#[test]
fn fmt_and_move_refuse_a_file_with_several_hard_links_and_a_read_only_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (one, two) = (dir.path().join("one.pmig"), dir.path().join("two.pmig"));
    std::fs::write(&one, messy()).expect("write");
    std::fs::hard_link(&one, &two).expect("link");
    // `fmt` and `move` of `one.pmig` both refuse, saying `said`, and change nothing.
    let refused = |said: &str| {
        for args in [
            &["fmt", "one.pmig"][..],
            &[
                "move",
                "payments",
                "10%",
                "--workspace",
                "aws-production",
                "one.pmig",
            ],
        ] {
            let output = run(args, dir.path());
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(said), "{args:?}: {err}");
            assert_eq!(std::fs::read_to_string(&one).expect("one"), messy());
        }
    };
    refused("`one.pmig` has 2 hard links");
    assert_eq!(std::fs::read_to_string(&two).expect("two"), messy());
    std::fs::remove_file(&two).expect("rm");
    std::fs::set_permissions(&one, std::os::unix::fs::PermissionsExt::from_mode(0o444))
        .expect("chmod");
    refused("`one.pmig` is read-only");
    assert_eq!(mode(&one), 0o444);
    // A read-only file that needs no change is fine.
    std::fs::set_permissions(&one, std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .expect("chmod");
    std::fs::write(&one, payment()).expect("write");
    std::fs::set_permissions(&one, std::os::unix::fs::PermissionsExt::from_mode(0o444))
        .expect("chmod");
    let output = run(&["fmt", "one.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn fmt_keeps_the_mode_of_the_file_it_rewrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.pmig");
    std::fs::write(&path, messy()).expect("write");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o640))
        .expect("chmod");
    let output = with_umask("077", &["fmt", "a.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), payment());
    assert_eq!(mode(&path), 0o640);
}

#[cfg(unix)]
#[test]
fn a_killed_fmt_leaves_the_stack_whole_and_its_leftover_is_cleaned_up_safely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.pmig");
    std::fs::write(&path, messy()).expect("write");
    let output = pmigc()
        .args(["fmt", "a.pmig"])
        .env("PMIGC_TEST_ABORT", "written")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), None, "killed: {}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), messy());
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let left = names();
    assert_eq!(left.len(), 2, "the killed run's copy is there: {left:?}");
    // Beside it: a link named like a leftover that leads outside, and an earlier version's
    // leftover.
    let outside = tempfile::tempdir().expect("temp dir");
    let theirs = outside.path().join("theirs");
    std::fs::write(&theirs, "theirs").expect("write");
    std::os::unix::fs::symlink(&theirs, dir.path().join(".pmigc-AAAAAAAA.tmp")).expect("link");
    std::fs::write(dir.path().join(".pmigc-fmtAbCdEf"), "partial").expect("write");
    let output = run(&["fmt", "a.pmig"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), payment());
    assert_eq!(names(), [".pmigc-AAAAAAAA.tmp", "a.pmig"]);
    assert_eq!(std::fs::read_to_string(&theirs).expect("kept"), "theirs");
}

#[test]
fn a_move_and_a_fmt_of_the_same_stack_at_once_lose_neither_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.pmig");
    // Large enough that checking takes a while, with its alignment undone.
    let messy = crate::synth::stack(1500).replace("  instance = t3.small", "  instance=t3.small");
    assert!(!canonical_text(&messy));
    for round in 0..6 {
        std::fs::write(&path, &messy).expect("write");
        let spawn = |args: &[&str]| {
            pmigc()
                .args(args)
                .current_dir(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let moving = spawn(&[
            "move",
            "payments",
            "10%",
            "--workspace",
            "aws-production",
            "a.pmig",
        ]);
        std::thread::sleep(Duration::from_millis(10 * round));
        let formatting = spawn(&["fmt", "a.pmig"]);
        for child in [moving, formatting] {
            let output = wait_with_timeout(child, Duration::from_secs(60));
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        }
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.contains("traffic_weight     = 10%"),
            "round {round}: the move was lost"
        );
        assert!(
            canonical_text(&text),
            "round {round}: the formatting was lost"
        );
    }
}

/// The contract is written once: no code under `src/` but `src/cli/fs/` touches the file
/// system (test modules, at the end of a file after `#[cfg(test)]` or a `tests.rs` its module
/// declares `#[cfg(test)] mod tests;`, may).
#[test]
fn every_file_operation_goes_through_the_io_module() {
    const CALLS: &[&str] = &[
        "std::fs",
        "OpenOptions",
        "tempfile::",
        "read_dir(",
        "canonicalize(",
        "symlink_metadata(",
        "read_link(",
        ".is_file()",
        ".is_dir()",
        ".exists()",
    ];
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if !path.ends_with("src/cli/fs") {
                    walk(&path, found);
                }
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            if path.file_name().is_some_and(|n| n == "tests.rs") {
                let parent = path.parent().expect("a module's directory");
                let declared = ["mod.rs", "lib.rs"].iter().any(|m| {
                    std::fs::read_to_string(parent.join(m))
                        .is_ok_and(|t| t.contains("#[cfg(test)]\nmod tests;"))
                });
                if declared {
                    continue;
                }
            }
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                if let Some(call) = CALLS.iter().find(|c| line.contains(*c)) {
                    found.push(format!("{}:{}: {call}", path.display(), n + 1));
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "file operations outside src/cli/fs: {found:#?}"
    );
}

#[test]
fn standard_input_is_read_up_to_the_stack_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = pmigc()
        .args(["fmt", "--stdin"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    // More than the limit, written until pmigc stops reading.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b'#'; 1 << 20];
        for _ in 0..64 {
            if input.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let output = wait_with_timeout(child, Duration::from_secs(20));
    let _ = writer.join();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot read standard input: larger than the 8 MiB limit"),
        "{}",
        stderr(&output)
    );
}

/// `pmigc verify DIR` reads the roots through the contract: a FIFO or a link to `/dev/zero`
/// where a root's file is, is an error at once, never a hang or unbounded memory.
#[cfg(unix)]
#[test]
fn verify_reads_no_fifo_and_no_link() {
    let dir = scratch();
    reference(dir.path(), "a.pmig", "out");
    let sourcemap = dir.path().join("out/legacy-sync/sourcemap.json");
    std::fs::remove_file(&sourcemap).expect("rm");
    mkfifo(&sourcemap);
    let output = bounded(&["verify", "out"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("sourcemap.json`: not a regular file (a FIFO)"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_file(&sourcemap).expect("rm");
    let main = dir.path().join("out/aws-production/main.tf.json");
    std::fs::remove_file(&main).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &main).expect("symlink");
    let output = bounded(&["verify", "out"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("main.tf.json`: a symbolic link"),
        "{}",
        stderr(&output)
    );
}
