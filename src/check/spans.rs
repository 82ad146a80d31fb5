//! Where an attribute is written for the workspace being checked, for rules that run on the
//! checked model (`dns`, `apply`): the workspace's override when it has one, else the block's
//! own line, else the block's name. A value reached through an input is pointed at where the
//! input is used, the misuse, not at the input's declaration.

use super::context::Ctx;
use super::names::Declared;
use crate::registry::Named;
use crate::syntax::ast::{Span, Value};

/// The value of `block.key` as the workspace being checked sees it.
pub(super) fn value_of<'a>(ctx: &Ctx<'a>, block: &str, key: &impl Named) -> Option<&'a Value> {
    let key = key.name();
    if let Some(attr) = ctx.attr_overrides.get(&(block, key)) {
        return Some(&attr.value);
    }
    let decl = ctx.decls.get(block)?;
    let Declared::Block(b) = decl.item else {
        return None;
    };
    b.attrs
        .iter()
        .find(|a| a.key.len() == 1 && a.key_text() == key)
        .map(|a| &a.value)
}

/// The span of `block.key`'s value, when it is written.
pub(super) fn value_span(ctx: &Ctx, block: &str, key: &impl Named) -> Option<Span> {
    value_of(ctx, block, key).map(|v| v.span)
}

/// The span of `block.key`'s value, or of the block's name when it is not written.
pub(super) fn span_of(ctx: &Ctx, block: &str, key: &impl Named) -> Span {
    value_span(ctx, block, key)
        .or_else(|| ctx.decls.get(block).map(|d| d.name.span))
        .unwrap_or_default()
}

/// The span of the `index`th term of `block.key` (`"pay.example.com"` in `record = "pay…" in
/// zone "…"`), or of the whole value.
pub(super) fn term_span(ctx: &Ctx, block: &str, key: &impl Named, index: usize) -> Span {
    value_of(ctx, block, key)
        .and_then(|v| v.terms.get(index).map(|t| t.span))
        .unwrap_or_else(|| span_of(ctx, block, key))
}

/// The span of a term of a replication's `from`, counted from the host (0: `"HOST":PORT`,
/// 1: `via`, 2: the VPN): the engine and, when given, the source's version come before it. A
/// replication is only built when every term was read, so its version says whether one was.
pub(super) fn source_term(
    ctx: &Ctx,
    replication: &crate::model::Replication,
    from_host: usize,
) -> Span {
    let host = 1 + usize::from(replication.source.version.is_some());
    term_span(
        ctx,
        replication.name.as_str(),
        &crate::registry::replication::FROM,
        host + from_host,
    )
}

/// The value of the stack block's `key` as the workspace being checked sees it (`stack.tags`).
pub(super) fn stack_value<'a>(ctx: &Ctx<'a>, key: &impl Named) -> Option<&'a Value> {
    let key = key.name();
    if let Some(attr) = ctx.attr_overrides.get(&(super::names::STACK_TARGET, key)) {
        return Some(&attr.value);
    }
    let (_, block) = ctx.decls.stack?;
    block
        .attrs
        .iter()
        .find(|a| a.key.len() == 1 && a.key_text() == key)
        .map(|a| &a.value)
}
