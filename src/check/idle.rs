//! Overrides a workspace writes that its root does not read. A database's read-only login
//! (`reader_username`, `reader_password`) is given only to the services that read the database
//! through its reader (`reads = DB.reader`) and learn it at boot (`boot = file …`, as SSM
//! parameters); a workspace that overrides the login where no such service reads the database
//! changes nothing in its root: PMG0848, a warning (the
//! setting is idle, not harmful). Only the workspace's own override is reported: the block's
//! value may serve another workspace. It runs only once every block checks: a service that
//! failed to check would look absent.

mod diagnostics;
pub(crate) use diagnostics::IdleReaderLogin;

use super::context::Ctx;
use super::dns::overrides_of;
use crate::diag::at;
use crate::model::Stack;
use crate::registry::database;

pub(crate) fn check(ctx: &mut Ctx, stack: &Stack) {
    for (id, db) in stack.database_ids() {
        // The login reaches a root only as the SSM parameters of a service's boot script
        // (`crate::lower::boot`): a service without `boot` gets none of it.
        if stack
            .services
            .iter()
            .any(|s| s.boot.is_some() && s.reads_only(&id))
        {
            continue;
        }
        let name = db.name.as_str();
        // One diagnostic per database: the login's two halves are one idle setting.
        let mut found: Vec<(String, crate::syntax::ast::Span)> = overrides_of(ctx, name)
            .into_iter()
            .filter(|(key, _)| {
                [&database::READER_USERNAME, &database::READER_PASSWORD]
                    .iter()
                    .any(|k| key == k.name())
            })
            .collect();
        found.sort_by_key(|(_, span)| span.start);
        let Some((key, span)) = found.first().cloned() else {
            continue;
        };
        let keys: Vec<String> = found.iter().map(|(k, _)| format!("`{name}.{k}`")).collect();
        let workspace = stack.workspace.name.to_string();
        ctx.error(IdleReaderLogin {
            help: Some(format!(
                "remove {} from workspace `{workspace}`, or set the login in the workspace whose services with a boot script read `{name}` through its reader (`reads = {name}.reader`)",
                keys.join(" and ")
            )),
            workspace,
            database: name.to_string(),
            key,
            at: at(span),
        });
    }
}
