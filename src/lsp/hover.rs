//! Hover: what the thing under the cursor is, in Markdown.
//!
//! A block keyword shows the block's doc and its attributes; an attribute its type, unit,
//! allowed values or range, default, whether it is required and whether a workspace may set
//! it (all from the block registry, the tables the checker reads); a name what it refers to
//! and where; a place with a diagnostic the catalogue page of its code, as `pmigc explain`
//! prints it.

use super::Document;
use crate::check::references::{Symbol, SymbolKind};
use crate::codes;
use crate::registry::{self, Block, Kind};
use crate::syntax::ast::{self, Item};
use lsp_types as lsp;

pub fn hover(doc: &Document, position: lsp::Position) -> Option<lsp::Hover> {
    let offset = doc.offset(position)?;
    let mut sections: Vec<String> = Vec::new();
    let mut range = None;
    if let Some((text, span)) = syntax_hover(doc, offset) {
        sections.push(text);
        range = Some(span);
    } else if let Some(symbol) = doc.references.at(offset) {
        sections.push(describe(doc, symbol));
        range = std::iter::once(symbol.decl)
            .chain(symbol.refs.iter().copied())
            .find(|s| s.start <= offset && offset <= s.end);
    }
    let mut codes: Vec<&str> = Vec::new();
    for d in &doc.diagnostics {
        let span = d.primary_span();
        if span.start <= offset && offset <= span.end && !codes.contains(&d.code.as_str()) {
            codes.push(d.code.as_str());
        }
    }
    for code in codes {
        if let Some(entry) = codes::find(code) {
            sections.push(format!(
                "**{}**: {}\n\n{}\n\nWrong:\n```pmig\n{}```\nRight:\n```pmig\n{}```",
                entry.code, entry.title, entry.explanation, entry.wrong, entry.right
            ));
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: range.map(|s| doc.range(s)),
    })
}

/// A block keyword or an attribute name under the cursor.
fn syntax_hover(doc: &Document, offset: usize) -> Option<(String, ast::Span)> {
    let inside = |s: ast::Span| s.start <= offset && offset <= s.end;
    let block = doc.file.items.iter().find_map(|item| match item {
        Item::Block(b) if inside(b.span) => Some(b),
        _ => None,
    })?;
    let keyword = block.header.first()?;
    let sub = block.header.get(1).map(|i| i.text.as_str());
    let entry = registry::by_keyword(&keyword.text, sub);
    let existing_word = (keyword.text == "existing")
        .then(|| block.header.get(1))
        .flatten();
    for word in std::iter::once(keyword).chain(existing_word) {
        if inside(word.span) {
            return Some((block_doc(entry?), word.span));
        }
    }
    let attr = block.attrs.iter().find(|a| inside(a.key_span))?;
    match (keyword.text.as_str(), attr.key.as_slice()) {
        // `api.capacity = …` in a workspace: the attribute of `api`'s kind.
        ("workspace", [target, field]) if inside(field.span) => {
            let kind = match doc.references.decl(&target.text)?.kind {
                SymbolKind::Decl(kind) => kind,
                _ => return None,
            };
            let entry = registry::of_kind(kind)?;
            Some((attr_doc(entry, entry.attr(&field.text)?), field.span))
        }
        ("workspace", [key]) if key.text != "state" => None,
        (_, [key]) => Some((attr_doc(entry?, entry?.attr(&key.text)?), key.span)),
        _ => None,
    }
}

fn block_doc(entry: &Block) -> String {
    let mut text = format!("**{}**\n\n{}", entry.block, entry.doc);
    if !entry.attrs.is_empty() {
        text.push_str("\n\n| attribute | type | |\n|---|---|---|\n");
        for a in entry.attrs {
            let required = if a.required {
                "required".to_string()
            } else {
                a.default
                    .map_or("optional".to_string(), |d| format!("default `{d}`"))
            };
            text.push_str(&format!("| `{}` | {} | {} |\n", a.name, a.ty, required));
        }
    }
    if !entry.members.is_empty() {
        let members: Vec<String> = entry.members.iter().map(|m| format!("`{m}`")).collect();
        text.push_str(&format!("\nOutputs may read: {}", members.join(", ")));
    }
    text
}

/// The most values listed in a hover (instance class tables are long).
const MAX_VALUES: usize = 24;

fn attr_doc(entry: &Block, a: &registry::Attr) -> String {
    let mut lines = vec![
        format!("**{}.{}**: {}", entry.block, a.name, a.ty),
        String::new(),
        a.doc.to_string(),
        String::new(),
    ];
    lines.push(if a.required {
        "- required".to_string()
    } else {
        format!(
            "- optional{}",
            a.default
                .map_or(String::new(), |d| format!(", default `{d}`"))
        )
    });
    if let Some(unit) = a.unit {
        lines.push(format!("- unit: {unit}"));
    }
    if let Some(range) = a.range {
        lines.push(format!("- range: {range}"));
    }
    if !a.values.is_empty() {
        let shown: Vec<String> = a
            .values
            .iter()
            .take(MAX_VALUES)
            .map(|v| format!("`{v}`"))
            .collect();
        let more = a.values.len().saturating_sub(MAX_VALUES);
        lines.push(format!(
            "- values: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if !a.refers_to.is_empty() {
        let kinds: Vec<&str> = a.refers_to.iter().map(|k| k.article()).collect();
        lines.push(format!("- refers to {}", kinds.join(" or ")));
    }
    lines.push(if a.overridable {
        "- a workspace may override it".to_string()
    } else {
        format!("- the same in every workspace: {}", a.fixed_because)
    });
    lines.push(format!("\nExample: `{} = {}`", a.name, a.example));
    lines.join("\n")
}

/// What a name refers to.
fn describe(doc: &Document, symbol: &Symbol) -> String {
    let line = doc.range(symbol.decl).start.line + 1;
    let uses = match symbol.refs.len() {
        0 => "not used".to_string(),
        1 => "used once".to_string(),
        n => format!("used {n} times"),
    };
    let declared = doc
        .text
        .get(symbol.item.start..symbol.item.end)
        .and_then(|t| t.lines().next())
        .unwrap_or("")
        .trim();
    let what = match symbol.kind {
        SymbolKind::Decl(Kind::Input) => format!("input `{}`", symbol.name),
        SymbolKind::Decl(kind) => {
            let doc = registry::of_kind(kind).map_or("", |b| b.doc);
            format!("{} `{}`: {doc}", kind.noun(), symbol.name)
        }
        SymbolKind::SecretKey => format!("key `{}` of an existing secret", symbol.name),
        SymbolKind::Tier => format!("subnet tier `{}`", symbol.name),
        SymbolKind::Output => format!("output `{}`", symbol.name),
        SymbolKind::Workspace => format!("workspace `{}`", symbol.name),
        SymbolKind::Stack => format!("stack `{}`", symbol.name),
    };
    format!("{what}\n\n```pmig\n{declared}\n```\ndeclared on line {line}, {uses}")
}
