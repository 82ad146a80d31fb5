//! The invariants of `ARCHITECTURE.md` that no other test keeps: the library touches no disk,
//! process, environment or terminal; every module opens with a `//!` paragraph; every
//! diagnostic code is declared once; every test file is a module of the one test binary; and
//! every test the document names as an invariant's keeper exists.

use crate::common;

fn source_files() -> Vec<(String, String)> {
    common::rust_files(&common::repo("src"))
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(common::repo(""))
                .unwrap()
                .display()
                .to_string();
            (rel, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The library's code: every file outside the binary's (`src/main.rs`, `src/cli/`), without
/// its `#[cfg(test)]` modules (a test may read the repository's files) and without comments.
fn library_code() -> Vec<(String, Vec<(usize, String)>)> {
    source_files()
        .into_iter()
        .filter(|(rel, _)| {
            rel != "src/main.rs" && !rel.starts_with("src/cli/") && !rel.ends_with("/tests.rs")
        })
        .map(|(rel, text)| {
            let lines = code_lines(&text);
            (rel, lines)
        })
        .collect()
}

/// A file's numbered lines before its `#[cfg(test)]` module, without `//` comments.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .collect()
}

/// What only a program that touches the machine writes: files, processes, the environment,
/// sockets, the terminal, the clock.
const IO: &[&str] = &[
    "std::fs",
    "fs::",
    "std::env",
    "env::var",
    "std::process",
    "process::",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "stdin()",
    "stdout()",
    "stderr()",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "dbg!",
    "SystemTime",
    "Instant::now",
];

#[test]
fn the_library_never_touches_the_disk_or_the_terminal() {
    let mut found = Vec::new();
    for (file, lines) in library_code() {
        for (n, code) in lines {
            for word in IO.iter().filter(|w| code.contains(*w)) {
                found.push(format!("{file}:{n}: `{word}` in `{}`", code.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "IO belongs in src/cli/ (the binary), never in the library:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_io_scan_finds_io() {
    // The scan above would pass on anything if it never matched: it matches these.
    for line in [
        "let t = std::fs::read_to_string(p);",
        "println!(\"x\");",
        "let v = std::env::var(\"X\");",
    ] {
        assert!(IO.iter().any(|w| line.contains(w)), "{line}");
    }
}

#[test]
fn every_module_opens_with_a_doc_paragraph() {
    let bare: Vec<String> = source_files()
        .into_iter()
        .filter(|(_, text)| !text.starts_with("//!"))
        .map(|(rel, _)| rel)
        .collect();
    assert!(
        bare.is_empty(),
        "modules that do not open with a `//!` paragraph: {bare:?}"
    );
}

/// A code is declared once, by its registration line in `src/codes.rs` (the `Code` type; a
/// code registered twice does not compile), and is a type everywhere else: no
/// `#[diagnostic(code(PMG…))]` attribute, and no code written as a string in `src/` outside its
/// tests — behaviour compares `Code::PMG0603`, never `"PMG0603"`.
#[test]
fn every_diagnostic_code_is_declared_once() {
    let registry = std::fs::read_to_string(common::repo("src/codes.rs")).unwrap();
    let registered: Vec<&str> = registry
        .lines()
        .filter_map(|l| l.trim().split_once(" => "))
        .map(|(code, _)| code)
        .filter(|code| code.starts_with("PMG"))
        .collect();
    let unique: std::collections::BTreeSet<&str> = registered.iter().copied().collect();
    assert_eq!(registered.len(), unique.len(), "a code registered twice");
    assert_eq!(registered.len(), pmigc::diag::Code::ALL.len());
    assert!(registered.len() > 100, "found only {}", registered.len());
    let mut strings = Vec::new();
    for (rel, text) in source_files() {
        if rel.ends_with("/tests.rs") {
            continue;
        }
        let code = text
            .lines()
            .enumerate()
            .take_while(|(_, l)| l.trim() != "#[cfg(test)]");
        for (i, line) in code {
            let line = line.split("//").next().unwrap_or("");
            let quoted = line.match_indices("\"PMG").any(|(at, _)| {
                line.get(at + 4..at + 5)
                    .is_some_and(|c| c.bytes().all(|b| b.is_ascii_digit()))
            });
            if quoted || line.contains("code(PMG") {
                strings.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        strings.is_empty(),
        "codes written as strings or attributes instead of `Code::…`: {strings:#?}"
    );
    // A `Code` is made only by the registration list (`diag` declares the constructor).
    let made: Vec<String> = library_code()
        .into_iter()
        .filter(|(rel, _)| rel != "src/codes.rs" && rel != "src/diag/mod.rs")
        .flat_map(|(rel, lines)| {
            lines
                .into_iter()
                .filter(|(_, l)| l.contains("Code::registered(") || l.contains("Code(&"))
                .map(move |(n, l)| format!("{rel}:{n}: {}", l.trim()))
        })
        .collect();
    assert!(
        made.is_empty(),
        "codes made outside src/codes.rs: {made:#?}"
    );
    assert!(
        naming("src/codes.rs", "Code::registered(").len() == 1,
        "the registration macro makes every code with one `Code::registered(` call"
    );
}

/// Every `` `module::test_name` `` ARCHITECTURE.md names as the keeper of an invariant is a
/// test of this binary, and every `` `path::tests::test_name` `` a unit test of the library
/// (in `src/PATH/tests.rs`, or the `tests` module of `src/PATH.rs` or `src/PATH/mod.rs`), so
/// the document cannot name a test that was renamed or removed.
#[test]
fn every_test_the_architecture_names_exists() {
    let text = std::fs::read_to_string(common::repo("ARCHITECTURE.md")).unwrap();
    let mut tests = Vec::new();
    let mut unit: Vec<(String, bool)> = Vec::new();
    let files = common::rust_files(&common::repo("tests/it"));
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let module = p.file_stem().unwrap().to_string_lossy().into_owned();
            (module, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    // Outside fenced blocks, every `module::name` whose module is a test module of this binary.
    let prose: String = text.split("```").step_by(2).collect::<Vec<_>>().join("");
    for word in prose.split('`').skip(1).step_by(2) {
        if let Some((path, name)) = word.rsplit_once("::tests::") {
            let path = path.replace("::", "/");
            let is_unit_test = ["tests.rs", ".rs", "mod.rs"].iter().any(|file| {
                let file = match *file {
                    "tests.rs" => format!("src/{path}/tests.rs"),
                    ".rs" => format!("src/{path}.rs"),
                    _ => format!("src/{path}/mod.rs"),
                };
                std::fs::read_to_string(common::repo(&file))
                    .is_ok_and(|src| src.contains(&format!("fn {name}(")))
            });
            unit.push((word.to_string(), is_unit_test));
            continue;
        }
        let Some((module, name)) = word.split_once("::") else {
            continue;
        };
        let is_test_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if is_test_name && sources.iter().any(|(m, _)| m == module) {
            tests.push((module.to_string(), name.to_string()));
        }
    }
    assert!(tests.len() > 10, "only {} tests named", tests.len());
    let missing: Vec<String> = tests
        .iter()
        .filter(|(module, name)| {
            !sources
                .iter()
                .any(|(m, src)| m == module && src.contains(&format!("fn {name}(")))
        })
        .map(|(m, n)| format!("{m}::{n}"))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names tests that do not exist: {missing:?}"
    );
    assert!(unit.len() > 5, "only {} unit tests named", unit.len());
    let missing: Vec<&String> = unit
        .iter()
        .filter(|(_, found)| !found)
        .map(|(w, _)| w)
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names unit tests that do not exist: {missing:?}"
    );
}

/// One test binary: no test file outside `tests/it/` (it would be a binary of its own, with its
/// own copy of the helpers), and every file in it a module of `main.rs` (one that is not is
/// never compiled, so its tests would silently never run).
#[test]
fn every_test_file_is_a_module_of_the_one_binary() {
    let outside: Vec<String> = std::fs::read_dir(common::repo("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        outside.is_empty(),
        "test files outside tests/it/ (move them there and add `mod NAME;` to tests/it/main.rs): {outside:?}"
    );
    let main = std::fs::read_to_string(common::repo("tests/it/main.rs")).unwrap();
    let files = common::rust_files(&common::repo("tests/it"));
    let undeclared: Vec<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "main" && !main.lines().any(|l| l.trim() == format!("mod {m};")))
        .collect();
    assert!(
        undeclared.is_empty(),
        "files of tests/it/ that tests/it/main.rs does not declare (never compiled): {undeclared:?}"
    );
}

/// Which module may not import which: `(files under, forbidden path, why)`. The AWS facts and
/// the registry are below the checker (the checker reads them, never the other way round); the
/// engine table and the AWS facts are below everything that compiles a stack.
const FORBIDDEN_IMPORTS: &[(&str, &str, &str)] = &[
    (
        "src/registry/",
        "crate::check",
        "the registry is read by the checker",
    ),
    (
        "src/aws/",
        "crate::check",
        "AWS facts are read by the checker",
    ),
    ("src/aws/", "crate::lower", "AWS facts are read by lowering"),
    (
        "src/aws/",
        "crate::registry",
        "the registry reads AWS facts",
    ),
    (
        "src/source",
        "crate::",
        "spans and line maps are the bottom: every layer counts in them",
    ),
    (
        "src/diag/",
        "crate::syntax",
        "diagnostics point into the text with crate::source, below the parser",
    ),
    (
        "src/diag/",
        "crate::codes",
        "the list of codes names every rule, and every rule names diag",
    ),
    (
        "src/diag/",
        "crate::check",
        "diagnostics are declared by the rules, which name diag",
    ),
    (
        "src/check/",
        "Code::PMG",
        "a rule reads its own code as `Struct::CODE`: the `Code::PMG…` constants are the registration list's, above every rule",
    ),
    (
        "src/syntax/",
        "Code::PMG",
        "the parser reads its own codes as `Struct::CODE`",
    ),
    (
        "src/plan/",
        "Code::PMG",
        "the plan reads its own codes as `Struct::CODE`",
    ),
    (
        "src/engine.rs",
        "crate::check",
        "the engine table is read by the checker",
    ),
    (
        "src/engine.rs",
        "crate::lower",
        "the engine table is read by lowering",
    ),
];

/// The lines of library code under `under` that name `path` (in a `use` or inline).
fn naming(under: &str, path: &str) -> Vec<String> {
    library_code()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with(under))
        .flat_map(|(rel, lines)| {
            lines
                .into_iter()
                .filter(|(_, l)| l.contains(path))
                .map(move |(n, l)| format!("{rel}:{n}: {}", l.trim()))
        })
        .collect()
}

/// The bottom of the checker: the error list, the declarations, the files a stack names and a
/// value's text with the diagnostics every reader of values reports. These modules (and their
/// `diagnostics` submodules) name nothing of `check/` but each other.
const CHECK_BOTTOM: &[&str] = &[
    "check::error",
    "check::internal",
    "check::references",
    "check::names",
    "check::files",
    "check::mismatch",
];

/// The helpers every rule reads values and spans with, above the context (`Ctx`) they extend:
/// they name nothing of `check/` but the context and the bottom, so no rule, and no
/// orchestrator (`rules`, `check` itself).
const CHECK_HELPERS: &[&str] = &["check::values", "check::spans", "check::identifiers"];

/// The modules of `check/` that `module` names above its layer of the checker: the bottom
/// names only the bottom, `check::context` (which every rule takes) only the bottom, the
/// helpers only the context and the bottom (`[]` for a module of no layer: a rule, an
/// orchestrator, a module outside the checker).
fn above_its_checker_layer(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    module: &str,
) -> Vec<String> {
    let within = |m: &str, of: &str| m == of || m.starts_with(&format!("{of}::"));
    let among = |m: &str, layer: &[&str]| layer.iter().any(|b| within(m, b));
    let may_name: &[&[&str]] = if among(module, CHECK_BOTTOM) || module == "check::context" {
        &[CHECK_BOTTOM]
    } else if among(module, CHECK_HELPERS) {
        &[CHECK_BOTTOM, &["check::context"]]
    } else {
        return Vec::new();
    };
    graph
        .get(module)
        .into_iter()
        .flatten()
        .filter(|t| {
            within(t, "check") && !within(t, module) && !may_name.iter().any(|l| among(t, l))
        })
        .cloned()
        .collect()
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let mut found = Vec::new();
    for (under, path, why) in FORBIDDEN_IMPORTS {
        for line in naming(under, path) {
            found.push(format!("{line}  ({under} must not name {path}: {why})"));
        }
    }
    let graph = imports();
    for module in graph.keys() {
        for above in above_its_checker_layer(&graph, module) {
            found.push(format!(
                "{module} names {above}  (the checker's layers: its bottom ({}) names only itself, \
                 check::context only the bottom, the helpers ({}) only the context and the \
                 bottom: move what it takes down)",
                CHECK_BOTTOM.join(", "),
                CHECK_HELPERS.join(", ")
            ));
        }
    }
    assert!(
        found.is_empty(),
        "imports across layers:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_layer_scan_finds_an_import() {
    // The scan reads what it is meant to: the checker does name the registry and the AWS facts.
    assert!(!naming("src/check/", "crate::registry").is_empty());
    assert!(!naming("src/check/", "crate::aws").is_empty());
    // And the parser and the renderers do count in the bottom layer's spans and line maps.
    assert!(!naming("src/syntax/", "crate::source").is_empty());
    assert!(!naming("src/diag/", "crate::source").is_empty());
    // Code above the rules does name the codes' constants; the rules' own codes are read.
    assert!(!naming("src/analysis.rs", "Code::PMG").is_empty());
    assert!(!naming("src/syntax/", "::CODE").is_empty());
    // The checker's layers are read from the import graph: the context does name its bottom,
    // and were it to name a rule again, the scan would say so.
    let mut graph = imports();
    assert!(graph["check::context"].contains("check::names"));
    assert!(graph["check::spans"].contains("check::context"));
    assert!(above_its_checker_layer(&graph, "check::context").is_empty());
    assert!(above_its_checker_layer(&graph, "check::spans").is_empty());
    graph
        .get_mut("check::context")
        .unwrap()
        .insert("check::boot".into());
    graph
        .get_mut("check::spans")
        .unwrap()
        .insert("check::workspace".into());
    assert_eq!(
        above_its_checker_layer(&graph, "check::context"),
        ["check::boot"]
    );
    assert_eq!(
        above_its_checker_layer(&graph, "check::spans"),
        ["check::workspace"]
    );
}

/// The module a source file is (`src/check/mod.rs` → `check`, `src/lower/json.rs` →
/// `lower::json`, `src/lib.rs` → ``).
fn module_of(rel: &str) -> String {
    let path = rel.trim_start_matches("src/").trim_end_matches(".rs");
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.last() == Some(&"mod") || parts == ["lib"] || parts == ["main"] {
        parts.pop();
    }
    parts.join("::")
}

/// Which module each module's code names (`use crate::…`, `use super::…`, or a path inline),
/// outside test modules: the graph whose cycles are import loops.
fn imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let code = library_code();
    let mut files: Vec<(String, Vec<(usize, String)>)> = code
        .into_iter()
        .map(|(rel, lines)| (module_of(&rel), lines))
        .collect();
    // The binary's modules too (`src/cli/`), which `library_code` leaves out.
    for (rel, text) in source_files() {
        if rel.starts_with("src/cli/") && !rel.ends_with("/tests.rs") {
            files.push((module_of(&rel), code_lines(&text)));
        }
    }
    let modules: std::collections::BTreeSet<String> =
        files.iter().map(|(m, _)| m.clone()).collect();
    // The longest module a path names: `crate::lower::json::Json` → `lower::json`.
    let resolve = |segments: &[&str]| -> Option<String> {
        (1..=segments.len())
            .rev()
            .map(|n| segments[..n].join("::"))
            .find(|m| modules.contains(m))
    };
    let mut graph = std::collections::BTreeMap::new();
    for (module, lines) in &files {
        let here: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        // The module `super::` names: the parent of a `mod.rs`'s module, else of the file's.
        let parent: Vec<&str> = here[..here.len().saturating_sub(1)].to_vec();
        let mut named = std::collections::BTreeSet::new();
        let mut name = |path: &str| {
            let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let mut base: Vec<&str> = Vec::new();
            if segments.first() == Some(&"super") {
                base = parent.clone();
            }
            segments.remove(0);
            base.extend(segments);
            if let Some(target) = resolve(&base)
                && target != *module
                && !target.is_empty()
            {
                named.insert(target);
            }
        };
        for (_, line) in lines {
            for (at, _) in line
                .match_indices("crate::")
                .chain(line.match_indices("super::"))
            {
                let before = line[..at].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let path: String = line[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                name(&path);
            }
        }
        // A group, `use super::{Root, network};` (over several lines, maybe): each of its
        // items is a path of its own (`super::network`), which the scan above stops before.
        let text: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
        for group in text.split("use ").skip(1) {
            // `replication as repl` is the path `replication`.
            let statement: String = group
                .split(';')
                .next()
                .unwrap_or("")
                .replace(" as ", "@")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let Some((head, items)) = statement.split_once("::{") else {
                continue;
            };
            if !(head.starts_with("crate") || head.starts_with("super")) {
                continue;
            }
            let mut depth = 0;
            let mut item = String::new();
            for c in items.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        name(&format!("{head}::{}", item.split('@').next().unwrap_or("")));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && c != '}' {
                    item.push(c);
                }
            }
            name(&format!("{head}::{}", item.split('@').next().unwrap_or("")));
        }
        graph.insert(module.clone(), named);
    }
    graph
}

/// The strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        index: std::collections::BTreeMap<&'g str, usize>,
        low: std::collections::BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.graph.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: Default::default(),
        low: Default::default(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found.sort();
    s.found
}

/// No two modules name each other, directly or through others (issue 26.6): the layers of each
/// directory form a DAG, so a module can be read, tested and moved knowing only what is below
/// it. `scripts/import-loops.py --inline` reads the same graph and prints any loop.
///
/// The last loops were broken by moving the shared piece down: in `check/` (twenty-two files
/// around `check::context`) what the context needs sits below it (`names`, `files`,
/// `mismatch`), `writes` takes the facts it reads as slices instead of `rules::Facts`, and
/// `workspace` holds its own `LOCK_SUFFIX`; `emit` names the intent's own module
/// (`verify::intent`), which names neither it nor the verifier; `lower::health` holds the DMS
/// task's CloudWatch dimension (`task_resource_id`) that `replication` named it for; and `Run`
/// and `Conclusion` are `plan::machine`'s, `Trace` is `plan::words`', so `plan::explore` and
/// `plan::words` no longer name each other.
#[test]
fn no_import_loop_between_modules() {
    let found: Vec<String> = cycles(&imports()).iter().map(|c| c.join(" ")).collect();
    assert!(
        found.is_empty(),
        "these modules name each other in a loop (scripts/import-loops.py --inline lists them); \
         move what the lower one takes from the higher one down, or pass it in:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_loop_scan_finds_a_loop() {
    let mut graph = imports();
    // `cli::commit` and `cli::output` no longer import each other (`cli::paths` holds what
    // both use); put the loop back and the scan must see it.
    graph
        .get_mut("cli::commit")
        .unwrap()
        .insert("cli::output".into());
    assert!(
        cycles(&graph)
            .iter()
            .any(|c| c == &["cli::commit".to_string(), "cli::output".to_string()])
    );
    // The checker's context named `check::values` (for `value_text`) until it moved down to
    // `check::mismatch`: name it again and the loop is back.
    graph
        .get_mut("check::context")
        .unwrap()
        .insert("check::values".into());
    assert!(
        cycles(&graph)
            .iter()
            .any(|c| c.contains(&"check::context".to_string())
                && c.contains(&"check::values".to_string()))
    );
    // An item of a group is an edge of its own: `lower::replication` names `lower::network`
    // only in `use super::{Root, attr, network, row_tag};`.
    assert!(imports()["lower::replication"].contains("lower::network"));
}

/// Every attribute name of the registry (`region`, `readers`, …).
fn attribute_names() -> std::collections::BTreeSet<&'static str> {
    use pmigc::reference::{self as registry, Kind};
    let kinds = [
        Kind::Vpn,
        Kind::Secret,
        Kind::Certificate,
        Kind::Network,
        Kind::Database,
        Kind::Service,
        Kind::Replication,
        Kind::Cutover,
        Kind::DataCutover,
        Kind::Dashboard,
    ];
    kinds
        .iter()
        .filter_map(|k| registry::of_kind(*k))
        .chain([&registry::STACK, &registry::WORKSPACE])
        .flat_map(|b| b.attrs.iter().map(|a| a.name))
        .collect()
}

/// What reads an attribute by a name written as a string: a map lookup (`attrs.get("port")`),
/// a comparison with an attribute's key (`a.key_text() == "keys"`, `key.text == "state"`), or
/// a helper that finds where an attribute is written (`span_of(ctx, block, "health")`), or a
/// key or attribute name compared with one (`key(attr) == Some("dms_roles")`,
/// `key == "state"`, `*k == "reader_username"`, `attr == "weight"`).
const STRING_KEYED: &[&str] = &[
    ".get(",
    "key_text() ==",
    "key.text ==",
    "== Some(",
    "key ==",
    "k ==",
    "attr ==",
    "span_of(",
    "term_span(",
    "value_span(",
    "value_of(",
    "stack_value(",
];

/// The reads of `code` (comments and tests removed, lines joined) that name an attribute of
/// the registry by a string: `(opener, name)`.
fn string_keyed_reads(code: &str, names: &std::collections::BTreeSet<&str>) -> Vec<String> {
    let mut found = Vec::new();
    for opener in STRING_KEYED {
        for (at, _) in code.match_indices(opener) {
            // The string argument of the call (or the right of the comparison), up to the end
            // of the call's first line of arguments.
            let rest = &code[at + opener.len()..];
            let end = rest.find([';', '{', ')']).unwrap_or(rest.len());
            let args = &rest[..end];
            for piece in args.split('"').skip(1).step_by(2) {
                if names.contains(piece) {
                    found.push(format!("`{}…\"{piece}\"`", opener.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_checker_reads_attributes_only_through_registry_keys() {
    let names = attribute_names();
    let mut found = Vec::new();
    for (file, lines) in library_code() {
        if !file.starts_with("src/check/") || file.ends_with("/diagnostics.rs") {
            continue;
        }
        let code: String = lines
            .iter()
            .map(|(_, l)| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        for read in string_keyed_reads(&code, &names) {
            found.push(format!("{file}: {read}"));
        }
    }
    assert!(
        found.is_empty(),
        "the checker reads these attributes by a name written as a string; read them through \
         the registry's key instead (`attrs.get(&database::READERS)`, \
         `span_of(ctx, block, &service::HEALTH)`, `written(block, &secret::KEYS)`):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_string_key_scan_finds_a_string_keyed_read() {
    // The scan above would pass on anything if it never matched: it finds each of these, and
    // none of the reads through keys.
    let names = attribute_names();
    for code in [
        "let port = attrs.get(\"port\").and_then(|v| self.port(v));",
        "let connection = attrs .get(\"connection\") .and_then(|v| v);",
        "let k = block.attrs.iter().find(|a| a.key_text() == \"keys\");",
        "[key] if key.text == \"state\" => {",
        "at: at(span_of(ctx, block, \"health\")),",
        "let record = term_span(ctx, block, \"record\", 0);",
        "if key(attr) == Some(\"dms_roles\") {",
        ".filter(|k| *k == \"reader_username\")",
        "let weight = (attr == \"weight\", true);",
    ] {
        assert_eq!(string_keyed_reads(code, &names).len(), 1, "{code}");
    }
    for code in [
        "let port = attrs.get(&PORT).and_then(|v| self.port(v));",
        "at: at(span_of(ctx, block, &service::HEALTH)),",
        "let d = decls.get(\"not an attribute\");",
        "if word(via) == Some(\"via\") {",
        "if key == stack::DMS_ROLES.name() {",
    ] {
        assert!(string_keyed_reads(code, &names).is_empty(), "{code}");
    }
}

/// What only the `lsp` and `graph` features bring: their modules and the crates they compile.
const FEATURE_GATED: &[(&str, &[&str])] = &[
    ("src/lsp/", &["crate::lsp", "lsp_types"]),
    ("src/graph/", &["crate::graph", "use layout::"]),
];

/// The library code outside `inside` that names one of `names`.
fn naming_outside(inside: &str, names: &[&str]) -> Vec<String> {
    library_code()
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(inside))
        .flat_map(|(rel, lines)| {
            lines
                .into_iter()
                .filter(|(_, l)| names.iter().any(|n| l.contains(n)))
                .map(move |(n, l)| format!("{rel}:{n}: {}", l.trim()))
        })
        .collect()
}

/// The language server and the graph are cargo features (default on, required by the binary):
/// no other library module names them or the crates they bring, and `lib.rs` declares each
/// module only under its feature, so `cargo build --lib --no-default-features` (CI) compiles
/// neither `lsp-types` nor `layout-rs`.
#[test]
fn the_language_server_and_the_graph_are_features() {
    let mut found = Vec::new();
    for (inside, names) in FEATURE_GATED {
        found.extend(naming_outside(inside, names));
    }
    assert!(
        found.is_empty(),
        "library code outside a feature's module names it:\n{}",
        found.join("\n")
    );
    let lib = std::fs::read_to_string(common::repo("src/lib.rs")).unwrap();
    for (feature, module) in [("lsp", "lsp"), ("graph", "graph")] {
        let gated = format!("#[cfg(feature = \"{feature}\")]\npub mod {module};");
        assert!(lib.contains(&gated), "src/lib.rs must declare `{gated}`");
    }
    let manifest = std::fs::read_to_string(common::repo("Cargo.toml")).unwrap();
    for dependency in ["lsp-types", "layout-rs"] {
        assert!(
            manifest
                .lines()
                .any(|l| l.starts_with(&format!("{dependency} = {{"))
                    && l.contains("optional = true")),
            "Cargo.toml must make {dependency} optional"
        );
    }
}

#[test]
fn the_feature_scan_finds_a_use() {
    // The scan reads what it is meant to: inside their modules the features do use their crates,
    // and library code outside `src/lsp/` is seen (it names the checker).
    assert!(!naming("src/lsp/", "lsp_types").is_empty());
    assert!(!naming("src/graph/", "use layout::").is_empty());
    assert!(!naming_outside("src/lsp/", &["crate::check"]).is_empty());
}

/// The files outside `src/` that use the generated stacks (`tests/it/synth.rs`), and how.
fn synth_users() -> Vec<(String, String)> {
    ["benches", "examples", "tests/it"]
        .iter()
        .flat_map(|dir| common::rust_files(&common::repo(dir)))
        .map(|p| {
            let rel = p
                .strip_prefix(common::repo(""))
                .unwrap()
                .display()
                .to_string();
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        // This file names what it looks for.
        .filter(|(rel, text)| rel != "tests/it/architecture.rs" && text.contains("synth::"))
        .collect()
}

/// The test-data generator is not the library's API: it is `tests/it/synth.rs`, a module of the
/// test binary that the benchmarks and the example include by path; no file of `src/` is it,
/// and nothing asks the library for it (its unit tests include it only under `#[cfg(test)]`).
#[test]
fn the_test_data_generator_is_not_library_api() {
    assert!(!common::repo("src/synth.rs").exists());
    let lib = std::fs::read_to_string(common::repo("src/lib.rs")).unwrap();
    // Only the unit tests include it (`#[cfg(test)]`, private).
    let declared = lib.find("mod synth;").unwrap();
    assert!(lib[..declared].ends_with("#[path = \"../tests/it/synth.rs\"]\n"));
    assert!(!lib.contains("pub mod synth"), "src/lib.rs exports synth");
    let attributes = &lib[..declared];
    let opening = attributes.rfind("\n\n").unwrap_or(0);
    assert!(
        attributes[opening..].contains("#[cfg(test)]"),
        "synth outside #[cfg(test)]"
    );
    let asking: Vec<String> = synth_users()
        .into_iter()
        .filter(|(_, text)| text.contains("pmigc::synth"))
        .map(|(rel, _)| rel)
        .collect();
    assert!(asking.is_empty(), "ask the library for synth: {asking:?}");
}

#[test]
fn the_synth_scan_finds_its_users() {
    // Every bench and the example use the generator, each by including the file.
    let users = synth_users();
    for file in [
        "benches/pipeline.rs",
        "benches/plan.rs",
        "examples/synth_stack.rs",
    ] {
        let (_, text) = users.iter().find(|(rel, _)| rel == file).unwrap();
        assert!(
            text.contains("#[path = \"../tests/it/synth.rs\"]"),
            "{file}"
        );
    }
}

/// The library's public names: each `pub mod`, `pub fn` and `pub use` of `src/lib.rs`, with
/// `(hidden)` after a module that is `#[doc(hidden)]`.
fn public_facade() -> Vec<String> {
    let lib = std::fs::read_to_string(common::repo("src/lib.rs")).unwrap();
    let mut names = Vec::new();
    let mut hidden = false;
    for line in lib.lines() {
        if line.trim() == "#[doc(hidden)]" {
            hidden = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub mod ") {
            let name = rest.trim_end_matches(';');
            names.push(if hidden {
                format!("{name} (hidden)")
            } else {
                name.to_string()
            });
        } else if let Some(rest) = line.strip_prefix("pub fn ") {
            names.push(rest.split('(').next().unwrap().to_string());
        } else if let Some(rest) = line.strip_prefix("pub use ") {
            names.push(rest.trim_end_matches(';').to_string());
        }
        if !line.starts_with("///") && !line.starts_with("#[") {
            hidden = false;
        }
    }
    names
}

/// The façade: what a library user (and the binary, the benchmarks, the test binary) may name.
/// A module added to it, or a type re-exported, is a decision: add it here. The entry points
/// and the types their signatures name; the command modules; the read-only reference data
/// (`codes`; `reference`, which re-exports the block registry's entries and gives the AWS and
/// engine facts). The pipeline (`syntax`, `check`, `model`, `lower`, `aws`, `engine`, `source`)
/// and the registries behind it (`registry`, `derived`) are private: everything of it not reachable from here is
/// at most `pub(crate)` (`#![deny(unreachable_pub)]` in `src/lib.rs`), and a test of its
/// insides is a unit test beside it. Nothing is `#[doc(hidden)]`: hidden items are API too.
const FACADE: &[&str] = &[
    "codes",
    "diag",
    "emit",
    "fmt",
    "graph",
    "lsp",
    "plan",
    "verify",
    "analysis::{Analysis, Reader, Stage, analyse, no_files}",
    "check::Checked",
    "check::files::USER_DATA_LIMIT",
    "check::files::{FileRead, Found}",
    "lower::Root",
    "model::Name",
    "model::Origin",
    "model::Percent",
    "model::Stack",
    "model::Writer",
    "source::Span",
    "source::line_index::LineIndex",
    "check_source",
    "check_source_with",
    "root_of",
    "diff",
    "edit",
    "reference",
    "runbook",
    "shell",
];

#[test]
fn the_public_facade_is_the_listed_one() {
    assert_eq!(public_facade(), FACADE);
    let lib = std::fs::read_to_string(common::repo("src/lib.rs")).unwrap();
    assert!(
        lib.lines().any(|l| l.trim() == "#![deny(unreachable_pub)]"),
        "src/lib.rs must deny unreachable_pub"
    );
}

#[test]
fn the_facade_scan_finds_the_modules() {
    // The scan reads `src/lib.rs` as it is: a public module, a hidden one, a function.
    let facade = public_facade();
    for name in ["diag", "reference", "root_of", "model::Stack"] {
        assert!(
            facade.iter().any(|n| n == name),
            "{name} not found in {facade:?}"
        );
    }
    assert!(!facade.iter().any(|n| n.starts_with("synth")));
    // A private module is not the façade; a hidden one would be marked.
    for private in [
        "syntax", "check", "model", "lower", "aws", "engine", "source", "registry", "derived",
    ] {
        assert!(
            !facade.iter().any(|n| n == private),
            "{private} in {facade:?}"
        );
    }
    assert!(
        !facade.iter().any(|n| n.ends_with("(hidden)")),
        "{facade:?}"
    );
}
