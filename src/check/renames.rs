//! `--renamed OLD=NEW`: a block of the stack was renamed from OLD to NEW since the last build.
//! Both are names exactly as a stack writes them (the grammar's identifier rule); NEW must be a
//! block of the stack (or the stack itself) and OLD must not be, nor become the same Terraform
//! address or AWS name as another block, since the renamed block keeps OLD's names in AWS.
//! Nothing here reads files: the CLI passes the arguments and reports the messages.

use super::identifiers::{address_key, aws_key};
use super::names::{Declarations, Kind};
use crate::model::Name;
use crate::syntax::ast::File;

/// Whether `text` is a name as the grammar reads one: an ASCII letter or `_`, then ASCII
/// letters, digits, `_` and `-` (`ident` in `grammar/pmig.pest`).
pub(crate) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Why `text` (the OLD or NEW half of a pair) is not a name, if it is not one.
fn not_a_name(text: &str, half: &str) -> Option<String> {
    if text.is_empty() {
        return Some(format!("{half} is empty"));
    }
    if is_name(text) {
        return None;
    }
    // Echo at most a short, printable excerpt of what was given.
    let shown: String = text
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    Some(format!(
        "{half} `{shown}` is not a name: a name starts with a letter or `_` and goes on with letters, digits, `_` and `-`"
    ))
}

/// Validates `--renamed OLD=NEW` arguments against the stack's declarations. Returns the
/// `(old, new)` pairs, or one message per bad argument (each starting with the argument).
pub(crate) fn renames(file: &File, pairs: &[String]) -> Result<Vec<(Name, Name)>, Vec<String>> {
    let mut ignored = Vec::new();
    let decls = Declarations::collect(file, &mut ignored);
    let blocks: Vec<&str> = decls
        .decls
        .iter()
        .filter(|d| !matches!(d.kind, Kind::Input | Kind::Unknown))
        .map(|d| d.name.text.as_str())
        .chain(decls.stack.map(|(name, _)| name.text.as_str()))
        .collect();
    let mut problems = Vec::new();
    let mut out: Vec<(Name, Name)> = Vec::new();
    for pair in pairs {
        let shown: String = pair
            .chars()
            .take(80)
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let mut problem = |text: String| problems.push(format!("`--renamed {shown}`: {text}"));
        let Some((old, new)) = pair.split_once('=') else {
            problem("write `--renamed OLD=NEW`".into());
            continue;
        };
        let bad: Vec<String> = [not_a_name(old, "OLD"), not_a_name(new, "NEW")]
            .into_iter()
            .flatten()
            .collect();
        if !bad.is_empty() {
            problem(bad.join("; "));
            continue;
        }
        if !blocks.contains(&new) {
            // A typo in NEW would rename some other block's AWS names (a replacement): say
            // which block was probably meant.
            let hint = crate::diag::did_you_mean(new, blocks.iter().copied())
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            problem(format!("the stack has no block named `{new}`{hint}"));
            continue;
        }
        if blocks.contains(&old) {
            problem(format!("the stack still has a block named `{old}`"));
            continue;
        }
        if let Some(other) = blocks
            .iter()
            .filter(|b| **b != new)
            .find(|b| address_key(b) == address_key(old) || aws_key(b) == aws_key(old))
        {
            problem(format!(
                "`{old}` and the block `{other}` would have one Terraform address or AWS name; `{new}` keeps `{old}`'s names in AWS"
            ));
            continue;
        }
        if let Some((o, n)) = out
            .iter()
            .find(|(o, n)| o.as_str() == old || n.as_str() == new)
        {
            problem(format!("`{n}` is already renamed from `{o}`"));
            continue;
        }
        out.push((Name::checked(old), Name::checked(new)));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment() -> File {
        let text = include_str!("../../stacks/payment.pmig");
        let (file, diagnostics) = crate::syntax::parse(text);
        assert!(diagnostics.is_empty());
        file
    }

    fn refused(pair: &str) -> String {
        match renames(&payment(), &[pair.to_string()]) {
            Ok(pairs) => panic!("`{pair}` accepted as {pairs:?}"),
            Err(problems) => problems.join("\n"),
        }
    }

    #[test]
    fn a_rename_to_a_block_of_the_stack_is_accepted() {
        let ok = renames(&payment(), &["books=ledger".to_string()]);
        assert_eq!(
            ok,
            Ok(vec![(Name::checked("books"), Name::checked("ledger"))])
        );
    }

    #[test]
    fn names_that_a_stack_could_not_write_are_refused() {
        let spaced = refused("old db!=ledger");
        assert!(spaced.contains("OLD `old db!` is not a name"), "{spaced}");
        let empty = refused("=books");
        assert!(empty.contains("OLD is empty"), "{empty}");
        let template = refused("${path.cwd}=books");
        assert!(
            template.contains("OLD `${path.cwd}` is not a name"),
            "{template}"
        );
        for pair in [
            "ledger=",
            "books=led ger",
            "books=ledger\u{1b}[2J",
            "9lives=ledger",
        ] {
            refused(pair);
        }
        assert!(refused("ledger").contains("write `--renamed OLD=NEW`"));
    }

    #[test]
    fn a_typo_in_new_is_refused_with_the_block_it_resembles() {
        let typo = refused("books=ledgr");
        assert!(
            typo.contains("no block named `ledgr` (did you mean `ledger`?)"),
            "{typo}"
        );
    }

    #[test]
    fn new_must_be_a_block_and_old_must_not() {
        assert!(refused("ledger=books").contains("the stack has no block named `books`"));
        assert!(refused("api=ledger").contains("the stack still has a block named `api`"));
        // An input is not a block.
        assert!(refused("w=traffic_weight").contains("no block named `traffic_weight`"));
    }

    #[test]
    fn old_must_not_become_another_blocks_address_or_aws_name() {
        let clash = refused("onprem-to-aws=ledger");
        assert!(clash.contains("the block `onprem_to_aws`"), "{clash}");
        let case = refused("API=ledger");
        assert!(case.contains("the block `api`"), "{case}");
    }

    #[test]
    fn one_block_is_renamed_once() {
        let twice = renames(
            &payment(),
            &["books=ledger".to_string(), "accounts=ledger".to_string()],
        );
        assert!(twice.is_err(), "{twice:?}");
    }
}
