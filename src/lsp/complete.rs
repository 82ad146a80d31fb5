//! Completion, from the text before the cursor (which, while typing, rarely parses): the
//! lexer finds the open blocks and the statement being written, the registry says what fits.
//!
//! At top level: the block keywords (and after `existing`, its kinds; after `input NAME:`, the
//! input types). In a block: the attributes it still lacks, required ones first; in a
//! workspace, inputs, `state` and `BLOCK.ATTRIBUTE`. After `KEY =`: the attribute's allowed
//! words (enum values, instance classes), names of the kinds it refers to (`reads =`
//! databases, `to =` databases, `aws =` services, `gate =` replications' `lag`, `in =` the
//! networks' tiers, `password =` the secrets' keys), and the stack's inputs.

use super::Document;
use crate::check::references::SymbolKind;
use crate::registry::{self, Block, Kind};
use crate::syntax::ast::{Item, Span};
use crate::syntax::lexer::{self, TokenKind};
use lsp_types as lsp;

/// What the cursor is in the middle of.
struct Context {
    /// The headers (words before `{`) of the open blocks and maps, outermost first.
    blocks: Vec<Vec<String>>,
    /// Whether a list is open in the current statement.
    in_list: bool,
    /// The solid tokens' texts of the statement being written, before the word being typed.
    statement: Vec<String>,
    /// The word being typed and where it starts.
    partial: (String, usize),
    /// The keys already written in the innermost block before the cursor.
    keys: Vec<String>,
}

fn context(text: &str, offset: usize) -> Context {
    let before = text.get(..offset).unwrap_or("");
    let tokens = lexer::lex(before);
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut keys_stack: Vec<Vec<String>> = vec![Vec::new()];
    let mut brackets = 0usize;
    let mut statement: Vec<String> = Vec::new();
    for token in &tokens {
        let word = token.text(before).to_string();
        match token.kind {
            TokenKind::LBrace => {
                blocks.push(std::mem::take(&mut statement));
                keys_stack.push(Vec::new());
            }
            TokenKind::RBrace => {
                blocks.pop();
                keys_stack.pop();
                if keys_stack.is_empty() {
                    keys_stack.push(Vec::new());
                }
                statement.clear();
            }
            TokenKind::LBracket => {
                brackets += 1;
                statement.push(word);
            }
            TokenKind::RBracket => {
                brackets = brackets.saturating_sub(1);
                statement.push(word);
            }
            TokenKind::Newline | TokenKind::Comma if brackets == 0 => statement.clear(),
            TokenKind::Equals => {
                if let (Some(key), Some(keys)) = (statement.last(), keys_stack.last_mut()) {
                    keys.push(key.clone());
                }
                statement.push(word);
            }
            kind if kind.is_trivia() => {}
            _ => statement.push(word),
        }
    }
    let partial = match tokens.last() {
        Some(t) if t.kind == TokenKind::Word && t.span.end == before.len() => {
            statement.pop();
            (t.text(before).to_string(), t.span.start)
        }
        _ => (String::new(), offset),
    };
    Context {
        blocks,
        in_list: brackets > 0,
        statement,
        partial,
        keys: keys_stack.pop().unwrap_or_default(),
    }
}

pub fn completion(doc: &Document, position: lsp::Position) -> Vec<lsp::CompletionItem> {
    let Some(offset) = doc.offset(position) else {
        return Vec::new();
    };
    let cx = context(&doc.text, offset);
    let edit_range = doc.range(Span::new(cx.partial.1, offset));
    let item =
        |label: String, kind, detail: String, doc_text: String, sort: &str| lsp::CompletionItem {
            label: label.clone(),
            kind: Some(kind),
            detail: (!detail.is_empty()).then_some(detail),
            documentation: (!doc_text.is_empty()).then_some(lsp::Documentation::MarkupContent(
                lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: doc_text,
                },
            )),
            sort_text: Some(format!("{sort}{label}")),
            filter_text: Some(label.clone()),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                edit_range, label,
            ))),
            ..Default::default()
        };
    let statement: Vec<&str> = cx.statement.iter().map(String::as_str).collect();
    match cx.blocks.as_slice() {
        [] => top_level(&statement)
            .into_iter()
            .map(|(label, detail)| {
                item(
                    label,
                    lsp::CompletionItemKind::KEYWORD,
                    detail,
                    String::new(),
                    "0",
                )
            })
            .collect(),
        [header] => {
            let words: Vec<&str> = header.iter().map(String::as_str).collect();
            let keyword = words.first().copied().unwrap_or("");
            let entry = registry::by_keyword(keyword, words.get(1).copied());
            match statement.iter().position(|w| *w == "=") {
                None if statement.is_empty() && keyword == "workspace" => workspace_keys(doc, &cx)
                    .into_iter()
                    .map(|(label, detail, sort)| {
                        item(
                            label,
                            lsp::CompletionItemKind::FIELD,
                            detail,
                            String::new(),
                            sort,
                        )
                    })
                    .collect(),
                None if statement.is_empty() => {
                    let present = present_keys(doc, offset, &cx.keys);
                    entry
                        .map(|e| e.attrs)
                        .unwrap_or(&[])
                        .iter()
                        .filter(|a| !present.iter().any(|p| p == a.name))
                        .map(|a| {
                            let detail = if a.required {
                                format!("{} (required)", a.ty)
                            } else {
                                a.ty.to_string()
                            };
                            item(
                                a.name.to_string(),
                                lsp::CompletionItemKind::FIELD,
                                detail,
                                a.doc.to_string(),
                                if a.required { "0" } else { "1" },
                            )
                        })
                        .collect()
                }
                Some(eq) if eq > 0 => {
                    let key = statement.get(eq - 1).copied().unwrap_or("");
                    let (entry, attr) = match (keyword, key.split_once('.')) {
                        ("workspace", Some((target, field))) => {
                            let entry = target_block(doc, target);
                            (entry, entry.and_then(|e| e.attr(field)))
                        }
                        ("workspace", None) if key == "state" => (
                            Some(&registry::WORKSPACE),
                            registry::WORKSPACE.attr("state"),
                        ),
                        (_, _) => (entry, entry.and_then(|e| e.attr(key))),
                    };
                    let first_word = statement.len() == eq + 1 || cx.in_list;
                    values(doc, entry, attr, &cx.partial.0, first_word)
                        .into_iter()
                        .map(|(label, kind, detail, sort)| {
                            item(label, kind, detail, String::new(), sort)
                        })
                        .collect()
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Keywords at top level, the kinds after `existing`, the types after `input NAME:`.
fn top_level(statement: &[&str]) -> Vec<(String, String)> {
    match statement {
        [] => registry::KEYWORDS
            .iter()
            .map(|(k, doc)| (k.to_string(), doc.to_string()))
            .collect(),
        ["existing"] => registry::EXISTING
            .iter()
            .map(|(k, kind)| {
                let doc = registry::of_kind(*kind).map_or("", |b| b.doc);
                (k.to_string(), doc.to_string())
            })
            .collect(),
        ["input", _, ":"] => registry::INPUT_TYPES
            .iter()
            .map(|t| (t.to_string(), "input type".to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The keys of the block the cursor is in: from the parsed file when it parses, plus the
/// ones the lexer saw before the cursor. A key right after the cursor on its line is the one
/// being typed over, so it does not count.
fn present_keys(doc: &Document, offset: usize, seen: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = seen.to_vec();
    let on_cursor_line = |start: usize| {
        start >= offset
            && doc
                .text
                .get(offset..start)
                .is_some_and(|between| !between.contains('\n'))
    };
    for item in &doc.file.items {
        if let Item::Block(b) = item
            && b.span.start <= offset
            && offset <= b.span.end
        {
            keys.extend(
                b.attrs
                    .iter()
                    .filter(|a| !on_cursor_line(a.key_span.start))
                    .map(|a| a.key_text()),
            );
        }
    }
    keys
}

/// The registry entry of the block a workspace override targets.
fn target_block(doc: &Document, name: &str) -> Option<&'static Block> {
    // The stack block is targeted by its keyword (`stack.tags`), as the checker reads it.
    if name == "stack" {
        return Some(&registry::STACK);
    }
    match doc.references.decl(name)?.kind {
        SymbolKind::Decl(kind) => registry::overridable(kind),
        _ => None,
    }
}

/// What a workspace may set: inputs, `state`, and `BLOCK.ATTRIBUTE` for each overridable
/// attribute of each block.
fn workspace_keys(doc: &Document, cx: &Context) -> Vec<(String, String, &'static str)> {
    let mut out = Vec::new();
    for input in doc.references.of_kinds(&[Kind::Input]) {
        if !cx.keys.contains(&input.name) {
            out.push((input.name.clone(), "input".to_string(), "0"));
        }
    }
    if !cx.keys.iter().any(|k| k == "state") {
        out.push((
            "state".to_string(),
            registry::WORKSPACE.doc.to_string(),
            "1",
        ));
    }
    if let Some((target, _)) = cx.partial.0.split_once('.')
        && let Some(entry) = target_block(doc, target)
    {
        for a in entry.attrs.iter().filter(|a| a.overridable) {
            out.push((format!("{target}.{}", a.name), a.ty.to_string(), "2"));
        }
    } else {
        out.push(("stack.".to_string(), registry::STACK.doc.to_string(), "2"));
        for symbol in doc.references.symbols() {
            if let SymbolKind::Decl(kind) = symbol.kind
                && registry::overridable(kind).is_some()
            {
                out.push((format!("{}.", symbol.name), kind.noun().to_string(), "2"));
            }
        }
    }
    out
}

type Candidate = (String, lsp::CompletionItemKind, String, &'static str);

/// What may follow `KEY =`.
fn values(
    doc: &Document,
    entry: Option<&'static Block>,
    attr: Option<&'static registry::Attr>,
    partial: &str,
    first_word: bool,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let Some(attr) = attr else {
        return out;
    };
    let value = lsp::CompletionItemKind::ENUM_MEMBER;
    let reference = lsp::CompletionItemKind::REFERENCE;
    match (entry.map(|e| e.block), attr.name) {
        (_, "in") => {
            for tier in doc
                .references
                .symbols()
                .iter()
                .filter(|s| s.kind == SymbolKind::Tier)
            {
                let database = entry.is_some_and(|e| e.kind == Some(Kind::Database));
                if !(database && tier.name.ends_with(".public")) {
                    out.push((tier.name.clone(), reference, "subnet tier".into(), "0"));
                }
            }
        }
        (_, "password") => {
            for key in doc
                .references
                .symbols()
                .iter()
                .filter(|s| s.kind == SymbolKind::SecretKey)
            {
                out.push((
                    key.name.clone(),
                    reference,
                    "key of an existing secret".into(),
                    "0",
                ));
            }
        }
        (_, "gate") => {
            for r in doc.references.of_kinds(&[Kind::Replication]) {
                out.push((
                    format!("{}.lag < ", r.name),
                    reference,
                    "replication lag".into(),
                    "0",
                ));
            }
            // The cutover's own service (the checker refuses any other: PMG0842).
            for s in doc.references.of_kinds(&[Kind::Service]) {
                out.push((
                    format!("{}.errors < ", s.name),
                    reference,
                    "5XX responses per minute at the service's load balancer (`< 10 per minute`)"
                        .into(),
                    "1",
                ));
                out.push((
                    format!("{}.latency < ", s.name),
                    reference,
                    "average response time at the service's load balancer (`< 500ms`)".into(),
                    "1",
                ));
            }
        }
        (Some("workspace"), "state") => {
            out.push((
                "local".into(),
                value,
                "state in the workspace's directory".into(),
                "0",
            ));
            out.push((
                "s3 \"BUCKET\" \"KEY\"".into(),
                value,
                "state in S3".into(),
                "0",
            ));
        }
        _ if first_word || !attr.refers_to.is_empty() => {
            let detail = attr.ty.to_string();
            for v in attr.allowed() {
                out.push((v, value, detail.clone(), "0"));
            }
            for s in doc.references.of_kinds(attr.refers_to) {
                if let SymbolKind::Decl(kind) = s.kind {
                    out.push((s.name.clone(), reference, kind.noun().to_string(), "0"));
                }
            }
        }
        _ => {}
    }
    // `main.` or `db.`: only what belongs to the owner typed so far.
    if let Some((owner, _)) = partial.split_once('.') {
        let allowed = attr.allowed();
        out.retain(|(label, ..)| {
            label.starts_with(&format!("{owner}.")) || allowed.contains(label)
        });
    }
    if first_word {
        for input in doc.references.of_kinds(&[Kind::Input]) {
            out.push((
                input.name.clone(),
                lsp::CompletionItemKind::VARIABLE,
                "input".into(),
                "9",
            ));
        }
    }
    out
}
