//! `pmigc init [NAME] [--engine ENGINE]`: writes a commented starter stack to
//! `stacks/NAME.pmig`, never over an existing file. The text is the template
//! `init/starter.pmig`, whose `{{placeholders}}` are filled in from the name, the engine and
//! the checker's own tables (regions, instance types, versions), so the allowed values listed
//! in its comments are always the ones `pmigc check` accepts. The name is validated before it
//! is substituted, so it cannot inject anything; the result is checked before it is written,
//! and a starter that did not check clean would be refused rather than written.

use super::Fatal;
use clap::ValueEnum;
use pmigc::reference::{self, Classes, Target};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The template; see the module comment.
const STARTER: &str = include_str!("init/starter.pmig");

/// The longest stack name: the starter's longest AWS name, the load balancer's
/// `NAME-SUFFIX-app`, must stay within AWS's 32 characters even with a 7-letter suffix.
pub const MAX_NAME: usize = 20;

/// The name used when none is given.
pub const DEFAULT_NAME: &str = "migration";

/// The database engine the starter migrates into. A new engine is a variant here, mapped to
/// its `pmigc::reference::Target` in [`Engine::params`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Aurora MySQL (the source is MySQL or MariaDB).
    #[value(name = "aurora_mysql")]
    AuroraMysql,
    /// Aurora PostgreSQL (the source is PostgreSQL).
    #[value(name = "aurora_postgresql")]
    AuroraPostgresql,
}

/// What a starter says about its engine.
struct EngineParams {
    /// The engine as the language spells it (`engine = aurora_mysql "8.0"`).
    keyword: &'static str,
    version: &'static str,
    /// Versions the stack may write.
    versions: Vec<&'static str>,
    /// The on-premises source engine DMS reads, and the others it could read.
    source: &'static str,
    sources: Vec<&'static str>,
    port: u16,
    classes: Vec<String>,
}

impl Engine {
    fn params(self) -> EngineParams {
        let engine = reference::engine(match self {
            Engine::AuroraMysql => Target::AuroraMysql,
            Engine::AuroraPostgresql => Target::AuroraPostgresql,
        });
        EngineParams {
            keyword: engine.keyword,
            version: engine.default_version,
            // The short spellings; the full ones (`8.0.mysql_aurora.3.08.2`) are accepted too.
            source: engine.sources.first().copied().unwrap_or_default(),
            versions: engine.versions,
            sources: engine.sources,
            port: engine.port,
            classes: reference::classes(Classes::Database),
        }
    }
}

/// Why `name` cannot name a stack, if it cannot: it becomes the stack block's name, the prefix
/// of every AWS name and part of a file name and a state key.
pub fn invalid_name(name: &str) -> Option<String> {
    let rule = format!(
        "a stack name is 1 to {MAX_NAME} lowercase letters, digits and single `-`, starting with a letter"
    );
    let problem = if name.is_empty() {
        "is empty".to_string()
    } else if name.len() > MAX_NAME {
        format!("is {} characters long", name.len())
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        "does not start with a lowercase letter".to_string()
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        format!("contains {c:?}")
    } else if name.contains("--") || name.ends_with('-') {
        "has a `-` that is doubled or last".to_string()
    } else {
        return None;
    };
    Some(format!("`{}` {problem}: {rule}", name.escape_debug()))
}

/// Items joined by `, `, wrapped so that no line (with `prefix`) is longer than 96 characters.
fn wrapped(items: &[String], prefix: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 == items.len() {
            item.clone()
        } else {
            format!("{item},")
        };
        if !line.is_empty() && prefix.len() + line.len() + 1 + piece.len() > 96 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    lines.push(line);
    lines.join(&format!("\n{prefix}"))
}

/// The starter stack for a (valid) name and an engine.
pub fn starter(name: &str, engine: Engine) -> String {
    let p = engine.params();
    let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let lists: [(&str, Vec<String>); 6] = [
        (
            "{{regions}}",
            reference::regions()
                .iter()
                .map(|(r, zones)| format!("{r} ({zones})"))
                .collect(),
        ),
        ("{{service_types}}", reference::classes(Classes::Service)),
        ("{{database_classes}}", {
            let mut classes = p.classes.clone();
            classes.push(format!("{} (Aurora Serverless v2)", reference::SERVERLESS));
            classes
        }),
        ("{{dms_classes}}", reference::classes(Classes::Replication)),
        (
            "{{engine_versions}}",
            p.versions.iter().map(|v| format!("\"{v}\"")).collect(),
        ),
        ("{{source_engines}}", owned(&p.sources)),
    ];
    let port = p.port.to_string();
    // Aurora's master user: 1 to 16 letters, digits and `_`, starting with a letter (PMG1225);
    // the name starts with a letter.
    let admin: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .chain("_admin".chars())
        .collect();
    let scalars = [
        ("{{name}}", name),
        ("{{admin_user}}", admin.as_str()),
        ("{{engine}}", p.keyword),
        ("{{engine_version}}", p.version),
        ("{{source_engine}}", p.source),
        ("{{port}}", port.as_str()),
    ];
    let mut text = String::with_capacity(STARTER.len() * 2);
    for line in STARTER.lines() {
        let mut line = line.to_string();
        for (placeholder, items) in &lists {
            if let Some(at) = line.find(placeholder) {
                let prefix = if line.trim_start().starts_with('#') {
                    let indent = line.len() - line.trim_start().len();
                    format!("{}#   ", " ".repeat(indent))
                } else {
                    String::new()
                };
                line.replace_range(at..at + placeholder.len(), &wrapped(items, &prefix));
            }
        }
        for (placeholder, value) in scalars {
            line = line.replace(placeholder, value);
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// `pmigc init`: validates the name, checks the starter and writes it to `stacks/NAME.pmig`.
pub fn run(name: &str, engine: Engine) -> Result<ExitCode, Fatal> {
    if let Some(problem) = invalid_name(name) {
        return Err(Fatal(problem));
    }
    let text = starter(name, engine);
    let checked = pmigc::check_source(&text);
    if text.contains("{{") || !checked.diagnostics.is_empty() {
        let codes: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        return Err(Fatal(format!(
            "internal error: the starter for `{name}` does not check clean ({}); please report it",
            codes.join(", ")
        )));
    }
    let path = PathBuf::from("stacks").join(format!("{name}.pmig"));
    write_new(&path, &text)?;
    let file = path.display().to_string();
    let run = |words: &[&str]| pmigc::shell::command(words.iter().copied().chain([file.as_str()]));
    super::console::err(&format!(
        "wrote {file}\nnext: set the values marked CHOOSE (`{}`), then `{}` and `{}`\n",
        run(&["grep", "-n", "CHOOSE"]),
        run(&["pmigc", "check"]),
        run(&["pmigc", "build"]),
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to `path` all at once, never replacing an existing file (`fs::write`).
fn write_new(path: &Path, text: &str) -> Result<(), Fatal> {
    let exists = |path: &Path| {
        Fatal(format!(
            "`{}` already exists; `pmigc init` never overwrites a file: choose another NAME or move it away",
            path.display()
        ))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    super::fs::create_dir_all(dir)
        .map_err(|e| Fatal(format!("cannot create `{}`: {e}", dir.display())))?;
    super::fs::write(
        path,
        text.as_bytes(),
        super::fs::Existing::Keep,
        super::fs::Durable::Disk,
    )
    .map_err(|e| match e {
        super::fs::WriteError::Exists => exists(path),
        other => other.fatal(path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every engine `--engine` accepts gives a starter that checks with no diagnostic at all,
    /// at the shortest and the longest names.
    #[test]
    fn every_engine_checks_clean() {
        for engine in Engine::value_variants() {
            for name in [
                "a",
                "shop",
                "payments-eu-2",
                "abcdefghij-klmnopq-r",
                "stack",
                "input",
                "app",
            ] {
                assert!(invalid_name(name).is_none(), "{name}");
                let text = starter(name, *engine);
                assert!(!text.contains("{{"), "a placeholder is left:\n{text}");
                let checked = pmigc::check_source(&text);
                assert!(
                    checked.diagnostics.is_empty(),
                    "{engine:?} {name}: {:#?}",
                    checked.diagnostics
                );
                assert_eq!(checked.stacks.len(), 2);
            }
        }
    }

    #[test]
    fn bad_names_are_refused_with_the_rule() {
        for name in [
            "",
            "Shop",
            "9lives",
            "-x",
            "x-",
            "a--b",
            "a_b",
            "a.b",
            "a/b",
            "../x",
            "a\"b",
            "a{b}",
            "abcdefghij-klmnopq-rs",
        ] {
            let problem = invalid_name(name).unwrap_or_else(|| panic!("{name:?} accepted"));
            assert!(problem.contains("1 to 20 lowercase letters"), "{problem}");
        }
    }

    #[test]
    fn lists_are_wrapped_under_their_comment() {
        let text = starter("shop", Engine::AuroraMysql);
        assert!(
            text.lines().all(|l| l.chars().count() <= 100),
            "a line is too long"
        );
        // Every region appears, on comment lines only.
        for (region, _) in reference::regions() {
            let line = text
                .lines()
                .find(|l| l.contains(&format!("{region} (")))
                .unwrap_or_else(|| panic!("{region} missing"));
            assert!(line.trim_start().starts_with('#'), "{line}");
        }
    }
}
