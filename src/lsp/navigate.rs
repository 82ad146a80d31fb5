//! Go to definition, find references, rename, the outline and formatting.
//!
//! Rename changes a name where it is declared and everywhere the checker resolved a use of it
//! (`check::references`). Renaming a block that owns AWS resources would make Terraform
//! destroy and re-create them, so the answer carries a warning naming the
//! `pmigc build --renamed OLD=NEW` that moves them instead.

use super::Document;
use crate::check::references::{Symbol, SymbolKind};
use crate::registry::{self, Kind};
use crate::syntax::ast::{Block, Item};
use lsp_types as lsp;

fn symbol_at(doc: &Document, position: lsp::Position) -> Option<&Symbol> {
    doc.references.at(doc.offset(position)?)
}

pub fn definition(
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
) -> Option<lsp::Location> {
    let symbol = symbol_at(doc, position)?;
    Some(lsp::Location::new(uri.clone(), doc.range(symbol.decl)))
}

pub fn references(
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
    include_declaration: bool,
) -> Vec<lsp::Location> {
    let Some(symbol) = symbol_at(doc, position) else {
        return Vec::new();
    };
    include_declaration
        .then_some(symbol.decl)
        .into_iter()
        .chain(symbol.refs.iter().copied())
        .map(|span| lsp::Location::new(uri.clone(), doc.range(span)))
        .collect()
}

/// Why a symbol cannot be renamed, if it cannot.
fn not_renamable(symbol: &Symbol) -> Option<String> {
    match symbol.kind {
        SymbolKind::Tier => Some(format!(
            "`{}` is a subnet tier: its name is fixed (`public` or `private`)",
            symbol.name
        )),
        _ => None,
    }
}

pub fn prepare_rename(
    doc: &Document,
    position: lsp::Position,
) -> Result<Option<lsp::PrepareRenameResponse>, String> {
    let Some(offset) = doc.offset(position) else {
        return Ok(None);
    };
    let Some(symbol) = doc.references.at(offset) else {
        return Ok(None);
    };
    if let Some(why) = not_renamable(symbol) {
        return Err(why);
    }
    let span = std::iter::once(symbol.decl)
        .chain(symbol.refs.iter().copied())
        .find(|s| s.start <= offset && offset <= s.end)
        .unwrap_or(symbol.decl);
    Ok(Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: doc.range(span),
        placeholder: symbol.short().to_string(),
    }))
}

/// The longest new name a rename accepts: every use gets a copy of it, so it bounds the answer.
const MAX_NEW_NAME: usize = 128;

/// A rename: the edits, and a warning to show when the block owns AWS resources. `Err` is a
/// refusal in the stack's words (not a name, or not a name that can change).
pub fn rename(
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
    new_name: &str,
) -> Result<Option<(lsp::WorkspaceEdit, Option<String>)>, String> {
    let Some(symbol) = symbol_at(doc, position) else {
        return Ok(None);
    };
    if let Some(why) = not_renamable(symbol) {
        return Err(why);
    }
    if !crate::check::is_name(new_name) {
        return Err(format!(
            "`{}` is not a name: a name starts with a letter or `_` and holds letters, digits, `_` and `-`",
            new_name.chars().take(MAX_NEW_NAME).collect::<String>()
        ));
    }
    if new_name.len() > MAX_NEW_NAME {
        return Err(format!(
            "a name of {} characters is too long: at most {MAX_NEW_NAME} (AWS identifiers made from a block's name hold at most 63)",
            new_name.len()
        ));
    }
    if doc.references.taken(symbol, new_name) && new_name != symbol.short() {
        return Err(format!("the stack already declares `{new_name}`"));
    }
    let edits: Vec<lsp::TextEdit> = std::iter::once(symbol.decl)
        .chain(symbol.refs.iter().copied())
        .map(|span| lsp::TextEdit::new(doc.range(span), new_name.to_string()))
        .collect();
    let owns_resources = match symbol.kind {
        SymbolKind::Decl(kind) => registry::of_kind(kind).is_some_and(|b| b.creates_resources),
        _ => false,
    };
    let warning = owns_resources.then(|| {
        format!(
            "`{old}` owns AWS resources, whose Terraform addresses and names derive from its name: build with `pmigc build --renamed {old}={new_name}` so that Terraform moves them instead of destroying and re-creating them",
            old = symbol.name
        )
    });
    let edit = lsp::WorkspaceEdit {
        changes: Some([(uri.clone(), edits)].into_iter().collect()),
        ..Default::default()
    };
    Ok(Some((edit, warning)))
}

/// The outline: every item, and the attributes of each block.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn document_symbols(doc: &Document) -> Vec<lsp::DocumentSymbol> {
    let symbol =
        |name: String, detail: String, kind, range, selection, children| lsp::DocumentSymbol {
            name,
            detail: Some(detail),
            kind,
            tags: None,
            deprecated: None,
            range,
            selection_range: selection,
            children,
        };
    doc.file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Input(input) => Some(symbol(
                input.name.text.clone(),
                format!("input: {}", input.ty.text),
                lsp::SymbolKind::VARIABLE,
                doc.range(input.span),
                doc.range(input.name.span),
                None,
            )),
            Item::Output(output) => Some(symbol(
                output.name.text.clone(),
                "output".into(),
                lsp::SymbolKind::PROPERTY,
                doc.range(output.span),
                doc.range(output.name.span),
                None,
            )),
            Item::Block(block) => {
                let name = block.header.last()?;
                let children = block
                    .attrs
                    .iter()
                    .map(|a| {
                        symbol(
                            a.key_text(),
                            String::new(),
                            lsp::SymbolKind::FIELD,
                            doc.range(a.key_span.to(a.value.span)),
                            doc.range(a.key_span),
                            None,
                        )
                    })
                    .collect();
                Some(symbol(
                    name.text.clone(),
                    header_kind(block),
                    outline_kind(block),
                    doc.range(block.span),
                    doc.range(name.span),
                    Some(children),
                ))
            }
            Item::Broken(_) => None,
        })
        .collect()
}

fn header_kind(block: &Block) -> String {
    let words: Vec<&str> = block.header.iter().map(|i| i.text.as_str()).collect();
    words
        .get(..words.len().saturating_sub(1))
        .unwrap_or(&[])
        .join(" ")
}

fn outline_kind(block: &Block) -> lsp::SymbolKind {
    let keyword = block.header.first().map(|i| i.text.as_str()).unwrap_or("");
    let sub = block.header.get(1).map(|i| i.text.as_str());
    match registry::by_keyword(keyword, sub).and_then(|b| b.kind) {
        Some(Kind::Network) => lsp::SymbolKind::NAMESPACE,
        Some(Kind::Database) => lsp::SymbolKind::STRUCT,
        Some(Kind::Service) => lsp::SymbolKind::CLASS,
        Some(Kind::Replication | Kind::Cutover | Kind::DataCutover) => lsp::SymbolKind::EVENT,
        Some(Kind::Vpn | Kind::Secret | Kind::Certificate) => lsp::SymbolKind::INTERFACE,
        Some(Kind::Dashboard) => lsp::SymbolKind::OBJECT,
        Some(Kind::Input | Kind::Unknown) => lsp::SymbolKind::VARIABLE,
        None => lsp::SymbolKind::MODULE,
    }
}

/// The whole document in `pmigc fmt`'s layout: one edit, or none when it is already
/// formatted. `Err` says why it was not formatted (syntax errors).
pub fn formatting(doc: &Document) -> Result<Vec<lsp::TextEdit>, String> {
    match crate::fmt::format(&doc.text) {
        Ok(formatted) if formatted == doc.text => Ok(Vec::new()),
        Ok(formatted) => Ok(vec![lsp::TextEdit::new(doc.full_range(), formatted)]),
        Err(crate::fmt::FormatError::Syntax(d)) => Err(format!(
            "not formatted: the stack has {} syntax error(s)",
            d.iter().filter(|d| d.is_error()).count()
        )),
        Err(crate::fmt::FormatError::Internal(why)) => Err(format!("not formatted: {why}")),
    }
}
