//! Settings written at top level that no workspace's root reads (issue 27: every setting takes
//! effect or is told). `dms_roles` in the `stack` block says which workspace creates DMS's two
//! fixed-name roles, which a root creates only when the stack has a replication: in a stack
//! without one it changes nothing (PMG0870). A database's read-only login (`reader_username`,
//! `reader_password`) reaches a root only as the SSM parameters of the boot scripts of services
//! that read the database through its reader: written in the block while no workspace has such
//! a service, it changes nothing (PMG0871; a workspace's own override of it is PMG0848). Both
//! are warnings: the setting is idle, not harmful. They run once over every workspace's model,
//! after the checks that build them.

mod diagnostics;
pub(crate) use diagnostics::{IdleDmsRoles, IdleReaderLoginInBlock};

use super::context::written;
use super::error::CheckError;
use crate::diag::at;
use crate::model::Stack;
use crate::registry::{database, stack};
use crate::syntax::ast::{Block, File, Item};

/// The top-level blocks whose header is `keyword NAME…` (`stack`, `database`), with their name.
fn blocks_of<'f>(file: &'f File, keyword: &str) -> impl Iterator<Item = (&'f str, &'f Block)> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Block(b) => Some(b),
            _ => None,
        })
        .filter(move |b| b.header.first().is_some_and(|w| w.text == keyword))
        .map(|b| (b.header.get(1).map_or("", |w| w.text.as_str()), b))
}

pub(crate) fn check(file: &File, stacks: &[Stack], errors: &mut Vec<CheckError>) {
    if stacks.is_empty() {
        return;
    }
    if stacks.iter().all(|s| s.replications.is_empty()) {
        for (_, block) in blocks_of(file, "stack") {
            if let Some(attr) = written(block, &stack::DMS_ROLES) {
                errors.push(
                    IdleDmsRoles {
                        at: at(attr.key_span),
                        help: Some(
                            "remove `dms_roles`: it matters once the stack has a `replication`"
                                .to_string(),
                        ),
                    }
                    .into(),
                );
            }
        }
    }
    let mut reported: Vec<&str> = Vec::new();
    for (database, block) in blocks_of(file, "database") {
        // The login's first attribute as the block writes it.
        let Some(attr) = [&database::READER_USERNAME, &database::READER_PASSWORD]
            .into_iter()
            .filter_map(|k| written(block, k))
            .min_by_key(|a| a.key_span.start)
        else {
            continue;
        };
        if reported.contains(&database) {
            continue;
        }
        // Read when some workspace has a service with a boot script reading it through its reader.
        let read = stacks.iter().any(|stack| {
            stack
                .database_ids()
                .filter(|(_, db)| db.name.as_str() == database)
                .any(|(id, _)| {
                    stack
                        .services
                        .iter()
                        .any(|s| s.boot.is_some() && s.reads_only(&id))
                })
        });
        if read {
            continue;
        }
        reported.push(database);
        errors.push(
            IdleReaderLoginInBlock {
                database: database.to_string(),
                key: attr.key_text(),
                at: at(attr.key_span),
                help: Some(format!(
                    "remove the login from database `{database}`, or give the services that read it through its reader (`reads = {database}.reader`) a boot script (`boot = file \"…\"`), which receives it"
                )),
            }
            .into(),
        );
    }
}
