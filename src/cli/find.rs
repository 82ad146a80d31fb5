//! Which stack a command works on when no FILE is given: the only `.pmig` file in the current
//! directory, else the only one under `stacks/`. Several in the first place that has any is a
//! usage error that lists them (sorted, so the message is the same on every run); none in
//! either place says where pmigc looked.

use super::Fatal;
use std::path::{Path, PathBuf};

/// The stack file: `file` when given, else the one found from the current directory.
pub fn stack(file: Option<PathBuf>) -> Result<PathBuf, Fatal> {
    match file {
        Some(file) => Ok(file),
        None => find_in(Path::new(".")),
    }
}

/// The `.pmig` files directly in `dir`, as paths that start with `shown` (so `stacks/x.pmig`,
/// not `./stacks/x.pmig`), sorted. A directory that cannot be read holds none.
fn stacks_in(dir: &Path, shown: &Path) -> Vec<PathBuf> {
    let Ok(entries) = super::fs::list(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .into_iter()
        .filter(|e| e.path.extension().is_some_and(|x| x == "pmig"))
        // A directory named `x.pmig` is not a stack; a link to a file is.
        .filter(|e| super::fs::leads_to_file(&e.path))
        .map(|e| shown.join(e.name))
        .collect();
    found.sort();
    found
}

/// The stack to use when working in `base`, named relative to `base`.
fn find_in(base: &Path) -> Result<PathBuf, Fatal> {
    for shown in [Path::new(""), Path::new("stacks")] {
        let found = stacks_in(&base.join(shown), shown);
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one.clone()),
            many => {
                let place = if shown.as_os_str().is_empty() {
                    "the current directory".to_string()
                } else {
                    format!("`{}/`", shown.display())
                };
                let list: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
                return Err(Fatal(format!(
                    "no FILE given and several stacks in {place}: {}; name one",
                    list.join(", ")
                )));
            }
        }
    }
    Err(Fatal(
        "no FILE given and no .pmig file in the current directory or in `stacks/`; name one, or start one with `pmigc init`".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, path: &str) {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, "").unwrap();
    }

    fn found(dir: &Path) -> Result<String, String> {
        find_in(dir)
            .map(|p| p.display().to_string())
            .map_err(|Fatal(message)| message)
    }

    #[test]
    fn the_current_directory_comes_before_stacks() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "stacks/b.pmig");
        assert_eq!(found(dir.path()), Ok("stacks/b.pmig".into()));
        touch(dir.path(), "a.pmig");
        assert_eq!(found(dir.path()), Ok("a.pmig".into()));
    }

    #[test]
    fn several_are_listed_in_order_and_none_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let none = found(dir.path()).unwrap_err();
        assert!(none.contains("current directory or in `stacks/`"), "{none}");
        touch(dir.path(), "stacks/z.pmig");
        touch(dir.path(), "stacks/m.pmig");
        touch(dir.path(), "stacks/notes.txt");
        std::fs::create_dir_all(dir.path().join("stacks/dir.pmig")).unwrap();
        assert_eq!(
            found(dir.path()),
            Err(
                "no FILE given and several stacks in `stacks/`: stacks/m.pmig, stacks/z.pmig; name one"
                    .into()
            )
        );
    }
}
